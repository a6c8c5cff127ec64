/* Unit tests for lib/core/ip.c: the one address text rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/ip.h"

static int
parse(const char *s, struct cybex_ip *ip)
{
	return cybex_ip_parse(s, strlen(s), ip);
}

static void
round_trip(const char *s, int family, const char *want)
{
	struct cybex_ip ip;
	char t[CYBEX_IP_TEXT_MAX];

	assert_int_equal(parse(s, &ip), 0);
	assert_int_equal(ip.family, family);
	cybex_ip_format(&ip, t, sizeof(t));
	assert_string_equal(t, want);
}

static void
test_parse(void **state)
{
	(void)state;
	round_trip("192.0.2.1", 4, "192.0.2.1");
	round_trip("0.0.0.0", 4, "0.0.0.0");
	round_trip("255.255.255.255", 4, "255.255.255.255");
	round_trip("2001:DB8:0:0::1", 6, "2001:db8::1");
	round_trip("::ffff:192.0.2.1", 6, "::ffff:192.0.2.1");
	round_trip("::", 6, "::");
}

static void
test_reject(void **state)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.04",
		"1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.4/32", "0x1.2.3.4",
		"1234.1.1.1", "2001:db8::1::2", "fe80::1%eth0", "::1/128",
		"2001:db8::g", "example.org",
		"1111:2222:3333:4444:5555:6666:255.255.255.255:1",
	};
	struct cybex_ip ip;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&ip, 0xff, sizeof(ip));
		assert_int_equal(parse(bad[i], &ip), CYBEX_EFORMAT);
		assert_int_equal(ip.family, 0);
	}
	/* Only the len bytes count; a NUL inside them is an error. */
	assert_int_equal(cybex_ip_parse("10.0.0.1x", 8, &ip), 0);
	assert_int_equal(cybex_ip_parse("::1\0zz", 6, &ip), CYBEX_EFORMAT);
	assert_int_equal(cybex_ip_parse(NULL, 0, &ip), CYBEX_EFORMAT);
}

static void
cidr(const char *s, int rc, int family, unsigned bits)
{
	struct cybex_ip ip;
	unsigned b = 99;

	assert_int_equal(cybex_ip_cidr_parse(s, strlen(s), &ip, &b), rc);
	if (rc == 0) {
		assert_int_equal(ip.family, family);
		assert_int_equal(b, bits);
	} else
		assert_int_equal(ip.family, 0);
}

static void
test_cidr(void **state)
{
	struct cybex_ip ip;
	unsigned b;

	(void)state;
	cidr("10.0.0.0/8", 0, 4, 8);
	cidr("10.0.0.0", 0, 4, 32);
	cidr("0.0.0.0/0", 0, 4, 0);
	cidr("2001:db8::/33", 0, 6, 33);
	cidr("::/0", 0, 6, 0);
	cidr("::1", 0, 6, 128);
	cidr("10.0.0.0/33", CYBEX_EFORMAT, 0, 0);
	cidr("::/129", CYBEX_EFORMAT, 0, 0);
	cidr("10.0.0.0/08", CYBEX_EFORMAT, 0, 0);	/* no leading zero */
	cidr("10.0.0.0/", CYBEX_EFORMAT, 0, 0);
	cidr("10.0.0.0/-1", CYBEX_EFORMAT, 0, 0);
	cidr("10.0.0.0/+8", CYBEX_EFORMAT, 0, 0);
	cidr("10.0.0.0/8/8", CYBEX_EFORMAT, 0, 0);
	cidr("::/0128", CYBEX_EFORMAT, 0, 0);
	cidr("/8", CYBEX_EFORMAT, 0, 0);
	cidr("", CYBEX_EFORMAT, 0, 0);
	/* Host bits are kept as written. */
	assert_int_equal(cybex_ip_cidr_parse("10.1.2.3/8", 10, &ip, &b), 0);
	assert_int_equal(ip.a[3], 3);
}

static void
test_format(void **state)
{
	struct cybex_ip ip;
	char t[CYBEX_IP_TEXT_MAX], small[8];

	(void)state;
	memset(&ip, 0, sizeof(ip));
	t[0] = 'x';
	t[1] = '\0';
	cybex_ip_format(&ip, t, sizeof(t));
	assert_string_equal(t, "");
	cybex_ip_format(NULL, t, sizeof(t));
	assert_string_equal(t, "");
	assert_int_equal(parse("2001:db8::1", &ip), 0);
	cybex_ip_format(&ip, small, sizeof(small));	/* does not fit */
	assert_string_equal(small, "");
	cybex_ip_format(&ip, small, 0);			/* nothing written */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
