/*
 * The checker: every rule fires where it should (with its severity and
 * column) and stays quiet on a case next to it; --strict turns warnings
 * into errors; syntax-only mode checks nothing beyond the grammar.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/pattern.h"
#include "testutil.h"

static void
collect(void *ud, const struct cybex_diag *d)
{
	struct tu_diags *ds = ud;

	if (d->severity == CYBEX_SEV_ERROR)
		ds->errors++;
	else
		ds->warnings++;
	if (ds->n < TU_DIAGS_MAX)
		ds->d[ds->n++] = *d;
}

static int
check(const char *s, unsigned flags, struct tu_diags *ds)
{
	struct cybex_pattern_opts o = { .flags = flags };

	memset(ds, 0, sizeof(*ds));
	return cybex_pattern_new(s, strlen(s), &o, collect, ds, NULL, NULL);
}

/* rule fires with severity sev at column col (0 = any). */
static void
fires(const char *s, const char *rule, int sev, unsigned long col)
{
	struct tu_diags ds;
	size_t i;
	int r = check(s, 0, &ds);

	for (i = 0; i < ds.n; i++)
		if (strcmp(ds.d[i].rule, rule) == 0 &&
		    ds.d[i].severity == sev && (col == 0 ||
		    ds.d[i].column == col))
			break;
	if (i == ds.n) {
		tu_dump(&ds);
		fail_msg("expected %s %s at %lu: %s", sev == CYBEX_SEV_ERROR ?
		    "error" : "warning", rule, col, s);
	}
	assert_int_equal(r, sev == CYBEX_SEV_ERROR ? CYBEX_EFORMAT : 0);
}

/* valid, and rule does not fire at all */
static void
quiet(const char *s, const char *rule)
{
	struct tu_diags ds;
	int r = check(s, 0, &ds);

	if (r != 0 || (rule != NULL && tu_has_rule(&ds, rule, -1))) {
		tu_dump(&ds);
		fail_msg("expected valid without %s: %s", rule != NULL ? rule :
		    "errors", s);
	}
}

static void
test_registry(void **state)
{
	(void)state;
	fires("[x-usb:serial = 'a']", "pattern-custom-type",
	    CYBEX_SEV_WARNING, 2);
	fires("[usb:serial = 'a']", "pattern-unknown-type",
	    CYBEX_SEV_WARNING, 2);
	fires("[indicator:name = 'a']", "pattern-unknown-type",
	    CYBEX_SEV_WARNING, 2);
	quiet("[file:name = 'a']", "pattern-unknown-type");
	fires("[file:nmae = 'a']", "pattern-unknown-property",
	    CYBEX_SEV_WARNING, 7);
	quiet("[file:x_acme_tag = 'a']", "pattern-unknown-property");
	quiet("[file:parent_directory_ref.path = 'a']",
	    "pattern-unknown-property");
	fires("[file:parent_directory_ref.pth = 'a']",
	    "pattern-unknown-property", CYBEX_SEV_WARNING, 28);
	quiet("[network-traffic:dst_ref.value = '10.0.0.1' AND "
	    "network-traffic:dst_ref.type = 'ipv4-addr']",
	    "pattern-unknown-property");
	quiet("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > "
	    "7.0]", NULL);
	fires("[file:extensions.'windows-pebinary-ext'.sectons[*].entropy > "
	    "7.0]", "pattern-unknown-property", CYBEX_SEV_WARNING, 41);
	fires("[file:extensions.'no-such-ext'.x = 1]",
	    "pattern-unknown-property", CYBEX_SEV_WARNING, 18);
	quiet("[file:extensions.'x-acme-ext'.x = 1]", NULL);
	quiet("[email-message:body_multipart[*].body_raw_ref.name = 'a']",
	    NULL);
	fires("[file:size.x = 1]", "pattern-unknown-property",
	    CYBEX_SEV_WARNING, 12);
	fires("[domain-name:resolves_to_refs.value = 'a']",
	    "pattern-path-list", CYBEX_SEV_WARNING, 31);
	quiet("[domain-name:resolves_to_refs[*].value = '10.0.0.1']", NULL);
	quiet("[process:environment_variables.PATH = 'x']", NULL);
}

static void
test_literal_types(void **state)
{
	(void)state;
	fires("[file:size = '12']", "pattern-literal-type",
	    CYBEX_SEV_WARNING, 14);
	quiet("[file:size = 12]", "pattern-literal-type");
	quiet("[file:size < 12.5]", "pattern-literal-type");
	fires("[file:name = 12]", "pattern-literal-type",
	    CYBEX_SEV_WARNING, 14);
	fires("[network-traffic:is_active = 'true']", "pattern-literal-type",
	    CYBEX_SEV_WARNING, 0);
	quiet("[network-traffic:is_active = true]", "pattern-literal-type");
	fires("[file:ctime > '2020-01-01T00:00:00Z']",
	    "pattern-literal-type", CYBEX_SEV_WARNING, 0);
	quiet("[file:ctime > t'2020-01-01T00:00:00Z']",
	    "pattern-literal-type");
	quiet("[file:magic_number_hex = h'ffd8']", "pattern-literal-type");
	quiet("[artifact:payload_bin = b'AAAA']", "pattern-literal-type");
	fires("[file:size LIKE '1%']", "pattern-literal-type",
	    CYBEX_SEV_WARNING, 12);
	fires("[network-traffic:dst_ref = 'ipv4-addr--1']",
	    "pattern-literal-type", CYBEX_SEV_WARNING, 0);
	/* Section 9.6.1: the set's values MUST be of one type. */
	fires("[file:size IN (1, 'x')]", "pattern-set-types",
	    CYBEX_SEV_ERROR, 19);
	fires("[file:name IN ('a', 'b', t'2020-01-01T00:00:00Z')]",
	    "pattern-set-types", CYBEX_SEV_ERROR, 26);
	fires("[x-acme:flag NOT IN (true, 1)]", "pattern-set-types",
	    CYBEX_SEV_ERROR, 0);
	quiet("[file:size IN (1, 2.5)]", "pattern-set-types");
	quiet("[file:name IN ('a', 'b')]", "pattern-set-types");
}

static void
test_values(void **state)
{
	(void)state;
	fires("[file:hashes.'SHA-256' = 'f00']", "pattern-hash-value",
	    CYBEX_SEV_ERROR, 26);
	fires("[file:hashes.MD5 IN ('cead3f77f6cda6ec00f57d76c9a6879f', "
	    "'xyz')]", "pattern-hash-value", CYBEX_SEV_ERROR, 58);
	quiet("[file:hashes.MD5 = 'CEAD3F77F6CDA6EC00F57D76C9A6879F']", NULL);
	quiet("[file:hashes.'SHA-1' LIKE 'ab%']", NULL);
	quiet("[file:hashes.'x-acme' = 'anything']", "pattern-hash-value");
	fires("[file:hashes.SSDEEP = 'a b']", "pattern-hash-value",
	    CYBEX_SEV_ERROR, 0);
	fires("[ipv4-addr:value ISSUBSET '10.0.0.0/33']", "pattern-cidr",
	    CYBEX_SEV_ERROR, 27);
	fires("[ipv4-addr:value ISSUBSET '10.0.0']", "pattern-cidr",
	    CYBEX_SEV_ERROR, 0);
	fires("[ipv6-addr:value ISSUPERSET 'fe80::1/129']", "pattern-cidr",
	    CYBEX_SEV_ERROR, 0);
	quiet("[ipv6-addr:value ISSUBSET '2001:db8::/32']", NULL);
	quiet("[ipv4-addr:value ISSUBSET '192.168.0.1/24']", NULL);
	fires("[file:name MATCHES 'a(b']", "pattern-regex", CYBEX_SEV_ERROR,
	    0);
	fires("[file:name MATCHES '\\\\']", "pattern-regex", CYBEX_SEV_ERROR,
	    0);
	quiet("[file:name MATCHES '^a(b|c)+\\\\.exe$']", NULL);
	quiet("[file:name LIKE '(((']", NULL);
}

static void
test_qualifiers(void **state)
{
	(void)state;
	fires("[file:size = 1] WITHIN 0 SECONDS", "pattern-qualifier-value",
	    CYBEX_SEV_ERROR, 17);
	quiet("[file:size = 1] WITHIN 0.5 SECONDS", NULL);
	fires("[file:size = 1] REPEATS 0 TIMES", "pattern-qualifier-value",
	    CYBEX_SEV_ERROR, 17);
	fires("[file:size = 1] START t'2020-01-02T00:00:00Z' STOP "
	    "t'2020-01-01T00:00:00Z'", "pattern-start-stop-order",
	    CYBEX_SEV_WARNING, 17);
	fires("[file:size = 1] START t'2020-01-01T00:00:00Z' STOP "
	    "t'2020-01-01T00:00:00Z'", "pattern-start-stop-order",
	    CYBEX_SEV_WARNING, 17);
	quiet("[file:size = 1] START t'2020-01-01T00:00:00Z' STOP "
	    "t'2020-01-01T00:00:00.001Z'", NULL);
	fires("[file:size = 1] WITHIN 1 SECONDS WITHIN 2 SECONDS",
	    "pattern-duplicate-qualifier", CYBEX_SEV_WARNING, 34);
	fires("[file:size = 1] REPEATS 2 TIMES WITHIN 1 SECONDS REPEATS 3 "
	    "TIMES", "pattern-duplicate-qualifier", CYBEX_SEV_WARNING, 50);
	quiet("([file:size = 1] WITHIN 1 SECONDS) WITHIN 2 SECONDS", NULL);
	quiet("[file:size = 1] REPEATS 2 TIMES WITHIN 1 SECONDS", NULL);
	fires("[file:size = 1] START t'2020-02-30T00:00:00Z' STOP "
	    "t'2020-04-01T00:00:00Z'", "pattern-timestamp-calendar",
	    CYBEX_SEV_WARNING, 23);
	fires("[file:ctime = t'2021-04-31T00:00:00Z']",
	    "pattern-timestamp-calendar", CYBEX_SEV_WARNING, 15);
	quiet("[file:ctime = t'2020-02-29T00:00:00Z']",
	    "pattern-timestamp-calendar");
}

static void
test_and_types(void **state)
{
	(void)state;
	fires("[file:name = 'a' AND process:pid = 1]", "pattern-and-types",
	    CYBEX_SEV_WARNING, 22);
	quiet("[file:name = 'a' OR process:pid = 1]", "pattern-and-types");
	quiet("[(file:name = 'a' OR process:pid = 1) AND file:size = 1]",
	    "pattern-and-types");
	fires("[(file:name = 'a' OR file:size = 2) AND process:pid = 1]",
	    "pattern-and-types", CYBEX_SEV_WARNING, 0);
}

static void
test_strict_and_syntax_only(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(check("[x-usb:serial = 'a' AND x-usb:n = 1]", 0,
	    &ds), 0);
	assert_int_equal(ds.warnings, 2);
	/* A custom x- type says so, not "should start with 'x-'". */
	assert_int_equal(check("[x-usb:serial = 'a']", CYBEX_PATTERN_STRICT,
	    &ds), CYBEX_EFORMAT);
	assert_int_equal(ds.errors, 1);
	assert_true(tu_has_rule(&ds, "pattern-custom-type", CYBEX_SEV_ERROR));
	assert_non_null(strstr(ds.d[0].message, "'x-usb' is a custom object "
	    "type"));
	assert_null(strstr(ds.d[0].message, "should start with"));
	assert_int_equal(check("[usb:serial = 'a']", CYBEX_PATTERN_STRICT,
	    &ds), CYBEX_EFORMAT);
	assert_true(tu_has_rule(&ds, "pattern-unknown-type", CYBEX_SEV_ERROR));
	assert_non_null(strstr(ds.d[0].message, "should start with 'x-'"));
	assert_int_equal(check("[file:ctime = t'2021-04-31T00:00:00Z']",
	    CYBEX_PATTERN_STRICT, &ds), CYBEX_EFORMAT);
	/* syntax only: nothing beyond the grammar, not even errors */
	assert_int_equal(check("[file:hashes.MD5 = 'x' AND a:b ISSUBSET 'q'] "
	    "WITHIN 0 SECONDS", CYBEX_PATTERN_SYNTAX_ONLY, &ds), 0);
	assert_int_equal(ds.n, 0);
	/* one first error is returned in d */
	{
		struct cybex_diag d;

		assert_int_equal(cybex_pattern_new("[file:size = 1] WITHIN 0 "
		    "SECONDS", 32, NULL, NULL, NULL, NULL, &d),
		    CYBEX_EFORMAT);
		assert_string_equal(d.rule, "pattern-qualifier-value");
		assert_int_equal(d.column, 17);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_literal_types),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_qualifiers),
		cmocka_unit_test(test_and_types),
		cmocka_unit_test(test_strict_and_syntax_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
