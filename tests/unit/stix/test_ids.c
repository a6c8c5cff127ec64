/* Deterministic SCO identifiers (UUIDv5 over RFC 8785 JSON). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static int
id_of(const char *json, char *out, size_t outsz)
{
	struct cybex_diag d;
	json_t *o = json_loads(json, 0, NULL);
	int r;

	assert_non_null(o);
	r = cybex_stix_sco_id(o, out, outsz, &d);
	json_decref(o);
	return r;
}

static void
test_known_answers(void **state)
{
	char id[CYBEX_STIX_ID_MAX];

	(void)state;
	assert_int_equal(id_of("{\"type\":\"ipv4-addr\",\"value\":"
	    "\"198.51.100.3\"}", id, sizeof(id)), 0);
	assert_string_equal(id,
	    "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
	assert_int_equal(id_of("{\"type\":\"url\",\"value\":"
	    "\"https://example.com/research/index.html\"}", id, sizeof(id)), 0);
	assert_string_equal(id, "url--47c3cf9a-5027-5bf0-997a-017c7edc7c55");
}

static void
test_only_contributing_properties_count(void **state)
{
	char a[CYBEX_STIX_ID_MAX], b[CYBEX_STIX_ID_MAX];

	(void)state;
	/* Non-contributing properties and member order do not matter. */
	assert_int_equal(id_of("{\"type\":\"file\",\"name\":\"a.exe\","
	    "\"size\":10,\"hashes\":{\"SHA-256\":\"aa\",\"MD5\":\"bb\"}}", a,
	    sizeof(a)), 0);
	assert_int_equal(id_of("{\"hashes\":{\"MD5\":\"bb\"},\"type\":\"file\","
	    "\"name\":\"a.exe\",\"id\":\"file--x\"}", b, sizeof(b)), 0);
	assert_string_equal(a, b);
	/* The MD5 hash is the one chosen; a different SHA-256 is ignored. */
	assert_int_equal(id_of("{\"type\":\"file\",\"name\":\"a.exe\","
	    "\"hashes\":{\"SHA-256\":\"cc\",\"MD5\":\"bb\"}}", b, sizeof(b)), 0);
	assert_string_equal(a, b);
	/* A contributing property changes the id. */
	assert_int_equal(id_of("{\"type\":\"file\",\"name\":\"b.exe\","
	    "\"hashes\":{\"MD5\":\"bb\"}}", b, sizeof(b)), 0);
	assert_string_not_equal(a, b);
	assert_true(strncmp(a, "file--", 6) == 0);
	assert_int_equal(a[6 + 14], '5');	/* version nibble */
}

static void
test_no_contributing_properties(void **state)
{
	char id[CYBEX_STIX_ID_MAX];

	(void)state;
	assert_int_equal(id_of("{\"type\":\"file\",\"size\":3}", id,
	    sizeof(id)), CYBEX_ENOTFOUND);
	assert_int_equal(id_of("{\"type\":\"indicator\"}", id, sizeof(id)),
	    CYBEX_EINVAL);
	assert_int_equal(id_of("{\"type\":\"x-custom\"}", id, sizeof(id)),
	    CYBEX_EINVAL);
	assert_int_equal(id_of("{\"type\":\"ipv4-addr\",\"value\":\"1.2.3.4\"}",
	    id, 10), CYBEX_ETOOBIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_only_contributing_properties_count),
		cmocka_unit_test(test_no_contributing_properties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
