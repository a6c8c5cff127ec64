/* Unit tests for lib/core/uuid.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* STIX 2.1 namespace for SCO identifiers (section 2.9). */
#define STIX_SCO_NS	"00abedb4-aa42-466c-9c01-fed23315a9b7"

static struct cybex_uuid
uuid(const char *s)
{
	struct cybex_uuid u;

	assert_int_equal(cybex_uuid_parse(s, strlen(s), &u), 0);
	return u;
}

static void
check_v5(const char *ns, const char *name, const char *want)
{
	struct cybex_uuid n = uuid(ns), u;
	char buf[37];

	assert_int_equal(cybex_uuid_v5(&n, name, strlen(name), &u), 0);
	cybex_uuid_format(&u, buf);
	assert_string_equal(buf, want);
	assert_int_equal(cybex_uuid_version(&u), 5);
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 1);
}

static void
test_v5_known_answers(void **state)
{
	(void)state;
	/* STIX SCO ids: ipv4-addr and url examples. */
	check_v5(STIX_SCO_NS, "{\"value\":\"198.51.100.3\"}",
	    "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
	check_v5(STIX_SCO_NS,
	    "{\"value\":\"https://example.com/research/index.html\"}",
	    "47c3cf9a-5027-5bf0-997a-017c7edc7c55");
	/* RFC 4122 DNS namespace, as Python's uuid.uuid5 computes it. */
	check_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org",
	    "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	/* The namespace's text case must not matter. */
	check_v5("00ABEDB4-AA42-466C-9C01-FED23315A9B7",
	    "{\"value\":\"198.51.100.3\"}",
	    "28bb3599-77cd-5a82-a950-b5bc3caf07c4");
}

static void
test_v5_properties(void **state)
{
	struct cybex_uuid ns = uuid(STIX_SCO_NS), a, b, c;

	(void)state;
	assert_int_equal(cybex_uuid_v5(&ns, "x", 1, &a), 0);
	assert_int_equal(cybex_uuid_v5(&ns, "x", 1, &b), 0);
	assert_int_equal(cybex_uuid_v5(&ns, "y", 1, &c), 0);
	assert_memory_equal(a.b, b.b, 16);	/* deterministic */
	assert_memory_not_equal(a.b, c.b, 16);
	/* Only len bytes of the name count. */
	assert_int_equal(cybex_uuid_v5(&ns, "xy", 1, &c), 0);
	assert_memory_equal(a.b, c.b, 16);
	/* Empty name is valid. */
	assert_int_equal(cybex_uuid_v5(&ns, NULL, 0, &c), 0);
	assert_int_equal(cybex_uuid_version(&c), 5);
	assert_int_equal(cybex_uuid_v5(&ns, NULL, 3, &c), CYBEX_EINVAL);
}

static void
test_v4(void **state)
{
	struct cybex_uuid a, b;
	int i;

	(void)state;
	assert_int_equal(cybex_uuid_v4(&a), 0);
	assert_int_equal(cybex_uuid_v4(&b), 0);
	assert_memory_not_equal(a.b, b.b, 16);
	for (i = 0; i < 200; i++) {
		assert_int_equal(cybex_uuid_v4(&a), 0);
		assert_int_equal(cybex_uuid_version(&a), 4);
		assert_int_equal(cybex_uuid_is_rfc4122(&a), 1);
		assert_int_equal(a.b[6] >> 4, 4);
		assert_int_equal(a.b[8] & 0xc0, 0x80);
	}
}

static void
test_parse_format(void **state)
{
	static const char *const good[] = {
		"00abedb4-aa42-466c-9c01-fed23315a9b7",
		"00000000-0000-0000-0000-000000000000",
		"ffffffff-ffff-ffff-ffff-ffffffffffff",
		"01234567-89ab-cdef-0123-456789abcdef",
	};
	static const uint8_t bytes[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	struct cybex_uuid u;
	char buf[37];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		u = uuid(good[i]);
		memset(buf, 'x', sizeof(buf));
		cybex_uuid_format(&u, buf);
		assert_int_equal(strlen(buf), CYBEX_UUID_STRLEN);
		assert_string_equal(buf, good[i]);
	}
	u = uuid("01234567-89AB-CDEF-0123-456789ABCDEF");
	assert_memory_equal(u.b, bytes, 16);
	cybex_uuid_format(&u, buf);
	assert_string_equal(buf, "01234567-89ab-cdef-0123-456789abcdef");

	u = uuid("00abedb4-aa42-466c-9c01-fed23315a9b7");
	assert_int_equal(cybex_uuid_version(&u), 4);
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 1);
	u = uuid("00000000-0000-0000-0000-000000000000");
	assert_int_equal(cybex_uuid_version(&u), 0);
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 0);
	u = uuid("00000000-0000-f000-c000-000000000000");
	assert_int_equal(cybex_uuid_version(&u), 15);
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 0);	/* 110x */
	u = uuid("00000000-0000-1000-bfff-000000000000");
	assert_int_equal(cybex_uuid_version(&u), 1);
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 1);
	u = uuid("00000000-0000-1000-7fff-000000000000");
	assert_int_equal(cybex_uuid_is_rfc4122(&u), 0);	/* 0xxx */
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"00abedb4-aa42-466c-9c01-fed23315a9b",
		"00abedb4-aa42-466c-9c01-fed23315a9b77",
		"00abedb4aa42-466c-9c01-fed23315a9b7a",
		"00abedb4-aa42466c-9c01-fed23315a9b7a",
		"00abedb-4aa42-466c-9c01-fed23315a9b7",
		"00abedb4-aa42-466c-9c01-fed23315a9bg",
		"g0abedb4-aa42-466c-9c01-fed23315a9b7",
		"00abedb4_aa42_466c_9c01_fed23315a9b7",
		"{0abedb4-aa42-466c-9c01-fed23315a9b}",
		"00abedb4-aa42-466c-9c01-fed23315a9 7",
		" 0abedb4-aa42-466c-9c01-fed23315a9b7",
		"00abedb4-aa42-466c-9c01+fed23315a9b7",
		"00abedb4aa42466c9c01fed23315a9b7",
		"urn:uuid:00abedb4-aa42-466c-9c01-fed23315a9b7",
	};
	struct cybex_uuid u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&u, 0xaa, sizeof(u));
		if (cybex_uuid_parse(bad[i], strlen(bad[i]), &u) !=
		    CYBEX_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
		/* Out-parameter zeroed on failure. */
		assert_int_equal(u.b[0] | u.b[7] | u.b[15], 0);
	}
	/* Embedded NUL and length mismatches. */
	assert_int_equal(cybex_uuid_parse("00abedb4-aa42-466c-9c01-fed23315a9\0"
	    "7", 36, &u), CYBEX_EFORMAT);
	assert_int_equal(cybex_uuid_parse(STIX_SCO_NS "0", 36, &u), 0);
	assert_int_equal(cybex_uuid_parse(STIX_SCO_NS, 35, &u),
	    CYBEX_EFORMAT);
	assert_int_equal(cybex_uuid_parse(NULL, 0, &u), CYBEX_EFORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v5_known_answers),
		cmocka_unit_test(test_v5_properties),
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_parse_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
