/*
 * The per-address table of server/ips.c with synthetic addresses and a
 * fake clock: counting, the sign-in window, and (the regression) that a
 * table filled by more addresses than it holds still limits new ones,
 * evicting the least recently seen address without open connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <sodium.h>

#include "ips.h"

#define WINDOW	60

static void
addr(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255,
	    i & 255);
}

static void
counts_connections(void **state)
{
	struct ip_table *t;

	(void)state;
	assert_int_equal(ips_new(8, &t), 0);
	assert_int_equal(ips_add(t, "192.0.2.1", 1, 0), 1);
	assert_int_equal(ips_add(t, "192.0.2.1", 1, 0), 2);
	assert_int_equal(ips_add(t, "192.0.2.2", 1, 0), 1);
	assert_int_equal(ips_add(t, "192.0.2.1", 0, 0), 2);
	assert_int_equal(ips_add(t, "192.0.2.1", -1, 0), 1);
	assert_int_equal(ips_add(t, "192.0.2.1", -1, 0), 0);
	assert_int_equal(ips_add(t, "192.0.2.1", -1, 0), 0);
	/* Reading an unknown address does not take a place. */
	assert_int_equal(ips_add(t, "192.0.2.9", 0, 0), 0);
	assert_int_equal(ips_fail(t, "192.0.2.9", 0, WINDOW, 0), 0);
	assert_int_equal(ips_count(t), 2);
	ips_free(t);
}

static void
fail_window(void **state)
{
	struct ip_table *t;
	int i;

	(void)state;
	assert_int_equal(ips_new(8, &t), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ips_fail(t, "2001:db8::1", 1, WINDOW, 100),
		    (unsigned)i + 1);
	assert_int_equal(ips_fail(t, "2001:db8::1", 0, WINDOW, 159), 3);
	assert_int_equal(ips_fail(t, "2001:db8::1", 0, WINDOW, 160), 0);
	assert_int_equal(ips_fail(t, "2001:db8::1", 1, WINDOW, 161), 1);
	ips_free(t);
}

/*
 * The reported attack: 4,200 addresses, one bad token each, against a
 * table of 4,096.  A new address must still be counted up to the limit.
 */
static void
full_table_still_limits(void **state)
{
	struct ip_table *t;
	char a[IPS_ADDR_MAX];
	unsigned i;

	(void)state;
	assert_int_equal(ips_new(4096, &t), 0);
	for (i = 0; i < 4200; i++) {
		addr(a, sizeof(a), i);
		assert_int_equal(ips_fail(t, a, 1, WINDOW, 1000 + i / 100), 1);
	}
	assert_int_equal(ips_count(t), 4096);
	for (i = 0; i < 20; i++)
		assert_int_equal(ips_fail(t, "198.51.100.7", 1, WINDOW, 1050),
		    i + 1);
	assert_int_equal(ips_fail(t, "198.51.100.7", 0, WINDOW, 1050), 20);
	/* The most recent of the flood are still counted too. */
	addr(a, sizeof(a), 4199);
	assert_int_equal(ips_fail(t, a, 0, WINDOW, 1050), 1);
	/* The oldest went first. */
	addr(a, sizeof(a), 0);
	assert_int_equal(ips_fail(t, a, 0, WINDOW, 1050), 0);
	assert_int_equal(ips_count(t), 4096);
	ips_free(t);
}

static void
evicts_least_recently_seen(void **state)
{
	struct ip_table *t;

	(void)state;
	assert_int_equal(ips_new(3, &t), 0);
	assert_int_equal(ips_fail(t, "a", 1, WINDOW, 1), 1);
	assert_int_equal(ips_fail(t, "b", 1, WINDOW, 2), 1);
	assert_int_equal(ips_fail(t, "c", 1, WINDOW, 3), 1);
	/* a is seen again (a read counts): b is now the oldest. */
	assert_int_equal(ips_fail(t, "a", 0, WINDOW, 4), 1);
	assert_int_equal(ips_fail(t, "d", 1, WINDOW, 5), 1);
	assert_int_equal(ips_fail(t, "b", 0, WINDOW, 6), 0);
	assert_int_equal(ips_fail(t, "a", 0, WINDOW, 6), 1);
	assert_int_equal(ips_fail(t, "c", 0, WINDOW, 6), 1);
	assert_int_equal(ips_fail(t, "d", 0, WINDOW, 6), 1);
	assert_int_equal(ips_count(t), 3);
	ips_free(t);
}

static void
open_connections_stay(void **state)
{
	struct ip_table *t;

	(void)state;
	assert_int_equal(ips_new(2, &t), 0);
	assert_int_equal(ips_add(t, "a", 1, 1), 1);
	assert_int_equal(ips_add(t, "b", 1, 2), 1);
	/* Nowhere to count c: a and b keep their connections. */
	assert_int_equal(ips_fail(t, "c", 1, WINDOW, 3), 0);
	assert_int_equal(ips_add(t, "a", 0, 3), 1);
	assert_int_equal(ips_add(t, "b", 0, 3), 1);
	/* a closes: it may go now, and c takes its place. */
	assert_int_equal(ips_add(t, "a", -1, 4), 0);
	assert_int_equal(ips_fail(t, "c", 1, WINDOW, 5), 1);
	assert_int_equal(ips_add(t, "b", 0, 5), 1);
	assert_int_equal(ips_count(t), 2);
	ips_free(t);
}

static void
many_addresses_bounded(void **state)
{
	struct ip_table *t;
	char a[IPS_ADDR_MAX];
	unsigned i;

	(void)state;
	assert_int_equal(ips_new(64, &t), 0);
	for (i = 0; i < 10000; i++) {
		addr(a, sizeof(a), i);
		assert_int_equal(ips_add(t, a, 1, i), 1);
		assert_int_equal(ips_fail(t, a, 1, 100000, i), 1);
		assert_int_equal(ips_add(t, a, -1, i), 0);
		assert_true(ips_count(t) <= 64);
	}
	for (i = 10000 - 64; i < 10000; i++) {
		addr(a, sizeof(a), i);
		assert_int_equal(ips_fail(t, a, 0, 100000, 10000), 1);
	}
	/* A long address is cut, not overflowed. */
	assert_int_equal(ips_add(t, "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789", 1, 1), 1);
	ips_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_connections),
		cmocka_unit_test(fail_window),
		cmocka_unit_test(full_table_still_limits),
		cmocka_unit_test(evicts_least_recently_seen),
		cmocka_unit_test(open_connections_stay),
		cmocka_unit_test(many_addresses_bounded),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
