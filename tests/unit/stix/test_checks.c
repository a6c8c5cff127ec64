/*
 * The best-practice checks of the OASIS stix2-validator (lib/stix/checks.c)
 * and the validator's options: every check has a case that fires it and
 * one that does not; --strict turns each into an error and nothing else
 * does; --enable/--disable by code, name, group and rule; --strict-types,
 * --strict-properties, --enforce-refs (a bundle validated whole and the
 * streaming cybex_stix_xref), --interop.
 *
 * Test JSON is written with ' for " (and ` for ').
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/stix.h"
#include "testutil.h"

#define U1	"5b0be1cf-66e7-45cb-ad43-45ef9e519030"
#define U2	"b2339d4a-87e8-4b02-92c2-f78866bbeafd"
#define T0	"2020-01-01T00:00:00.000Z"
#define HDR(t)	"'type':'" t "','spec_version':'2.1','id':'" t "--" U1 \
	"','created':'" T0 "','modified':'" T0 "'"
#define IDENT	"'identity--" U2 "'"

static char *
dq(const char *s)
{
	char *r = strdup(s), *p;

	assert_non_null(r);
	for (p = r; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
		else if (*p == '`')
			*p = '\'';
	return r;
}

static int
run(const char *json, unsigned flags, const char *enable,
    const char *disable, struct tu_diags *ds)
{
	struct cybex_stix_opts o = { .flags = flags };
	struct cybex_stix_checks ck;
	struct cybex_diag d;
	char *s = dq(json);
	int r;

	if (enable != NULL || disable != NULL) {
		assert_int_equal(cybex_stix_checks_select(enable, disable, &ck,
		    &d), 0);
		o.checks = &ck;
	}
	r = tu_validate_opts(s, &o, ds);
	free(s);
	return r;
}

/* rule fires as a warning, as an error under --strict, and not when its
 * check (code) is disabled. */
static void
fires(const char *json, const char *rule, unsigned code)
{
	struct tu_diags ds;
	char c[16];

	if (run(json, 0, NULL, NULL, &ds) != 0 ||
	    !tu_has_rule(&ds, rule, CYBEX_SEV_WARNING)) {
		tu_dump(&ds);
		fail_msg("expected warning %s: %s", rule, json);
	}
	assert_int_equal(run(json, CYBEX_STIX_STRICT, NULL, NULL, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, rule, CYBEX_SEV_ERROR));
	snprintf(c, sizeof(c), "%u", code);
	assert_int_equal(cybex_stix_check_code(rule, NULL) != 0 ||
	    code == 0, true);
	(void)run(json, 0, NULL, code != 0 ? c : rule, &ds);
	if (tu_has_rule(&ds, rule, -1)) {
		tu_dump(&ds);
		fail_msg("%s still fires with --disable %s", rule, c);
	}
}

static void
clean(const char *json, const char *rule)
{
	struct tu_diags ds;

	(void)run(json, 0, NULL, NULL, &ds);
	if (tu_has_rule(&ds, rule, -1)) {
		tu_dump(&ds);
		fail_msg("did not expect %s: %s", rule, json);
	}
}

static void
test_sdo_checks(void **state)
{
	(void)state;
	/* 111 open-vocab-format */
	fires("{" HDR("malware") ",'is_family':false,'name':'m',"
	    "'malware_types':['Ransom_Ware']}", "vocab-format", 111);
	clean("{" HDR("malware") ",'is_family':false,'name':'m',"
	    "'malware_types':['ransomware','home-grown']}", "vocab-format");
	/* 143 malware-analysis-product */
	fires("{" HDR("malware-analysis") ",'product':'Microsoft Defender',"
	    "'result':'malicious'}", "malware-analysis-product-format", 143);
	clean("{" HDR("malware-analysis") ",'product':'microsoft-defender',"
	    "'result':'malicious'}", "malware-analysis-product-format");
	/* 202 relationship-types: the example and its fixes */
	fires("{" HDR("relationship") ",'relationship_type':'mitigates',"
	    "'source_ref':'malware--" U2 "','target_ref':'campaign--" U2 "'}",
	    "relationship-type-suggested", 202);
	fires("{" HDR("relationship") ",'relationship_type':'indicates',"
	    "'source_ref':'identity--" U2 "','target_ref':'malware--" U2 "'}",
	    "relationship-type-suggested", 202);
	clean("{" HDR("relationship") ",'relationship_type':'mitigates',"
	    "'source_ref':'course-of-action--" U2 "','target_ref':'malware--"
	    U2 "'}", "relationship-type-suggested");
	clean("{" HDR("relationship") ",'relationship_type':'related-to',"
	    "'source_ref':'malware--" U2 "','target_ref':'campaign--" U2 "'}",
	    "relationship-type-suggested");
	clean("{" HDR("relationship") ",'relationship_type':'x-acme',"
	    "'source_ref':'x-acme-thing--" U2 "','target_ref':'campaign--"
	    U2 "'}", "relationship-type-suggested");
	/* 277 countries: an assigned code, in either case */
	fires("{" HDR("location") ",'country':'xx'}", "location-country-code",
	    277);
	clean("{" HDR("location") ",'country':'th'}", "location-country-code");
	clean("{" HDR("location") ",'country':'US'}", "location-country-code");
	/* 302 extref-hashes */
	fires("{" HDR("campaign") ",'name':'c','external_references':[{"
	    "'source_name':'x','url':'https://example.com/a'}]}",
	    "external-reference-url-hashes", 302);
	clean("{" HDR("campaign") ",'name':'c','external_references':[{"
	    "'source_name':'x','url':'https://example.com/a','hashes':{"
	    "'SHA-256':'" "6db12788c37247f2316052e142f42f4b259d6561751e5f401a1a"
	    "e2a6df9c674b" "'}}]}", "external-reference-url-hashes");
	/* 303 indicator-properties */
	fires("{" HDR("indicator") ",'pattern':'[file:name = `a`]',"
	    "'pattern_type':'stix','valid_from':'" T0 "'}",
	    "indicator-name-description", 303);
	clean("{" HDR("indicator") ",'name':'n','description':'d',"
	    "'pattern':'[file:name = `a`]','pattern_type':'stix',"
	    "'valid_from':'" T0 "'}", "indicator-name-description");
	/* 305, 306: extension definitions */
	fires("{" HDR("extension-definition") ",'created_by_ref':" IDENT ","
	    "'name':'e','schema':'https://example.com/s','version':'1.0',"
	    "'extension_types':['toplevel-property-extension']}",
	    "extension-toplevel-properties", 306);
	fires("{" HDR("extension-definition") ",'created_by_ref':" IDENT ","
	    "'name':'e','schema':'https://example.com/s','version':'1.0',"
	    "'extension_types':['property-extension']}",
	    "extension-definition-description", 305);
	clean("{" HDR("extension-definition") ",'created_by_ref':" IDENT ","
	    "'name':'e','description':'d','schema':'https://example.com/s',"
	    "'version':'1.0','extension_types':["
	    "'toplevel-property-extension'],'extension_properties':['rank']}",
	    "extension-definition-description");
}

static void
test_bundle_duplicate_ids(void **state)
{
	const char *obj = "{" HDR("campaign") ",'name':'c'}";
	char b[1024];

	(void)state;
	snprintf(b, sizeof(b), "{'type':'bundle','id':'bundle--" U2 "',"
	    "'objects':[%s,%s]}", obj, obj);
	fires(b, "bundle-duplicate-id", 203);
	/* another version (another modified) is fine */
	snprintf(b, sizeof(b), "{'type':'bundle','id':'bundle--" U2 "',"
	    "'objects':[%s,{'type':'campaign','spec_version':'2.1','id':"
	    "'campaign--" U1 "','created':'" T0 "','modified':"
	    "'2021-01-01T00:00:00.000Z','name':'c'}]}", obj);
	clean(b, "bundle-duplicate-id");
}

static void
test_sco_checks(void **state)
{
	(void)state;
	/* 103: an SCO with ID-contributing properties gets a UUIDv5 */
	fires("{'type':'ipv4-addr','spec_version':'2.1','id':'ipv4-addr--"
	    U1 "','value':'198.51.100.3'}", "id-uuid-version", 103);
	/* its deterministic value is cybex's own check: a warning only */
	fires("{'type':'ipv4-addr','spec_version':'2.1','id':'ipv4-addr--"
	    "8c6af861-7b20-51ef-9b59-6344fd872a8f','value':'198.51.100.3'}",
	    "sco-id-deterministic", 0);
	/* 141 observable-object-keys (the deprecated embedded objects) */
	fires("{" HDR("observed-data") ",'first_observed':'" T0 "',"
	    "'last_observed':'" T0 "','number_observed':1,'objects':{'a':{"
	    "'type':'domain-name','value':'example.com'}}}",
	    "observed-data-object-key", 141);
	clean("{" HDR("observed-data") ",'first_observed':'" T0 "',"
	    "'last_observed':'" T0 "','number_observed':1,'objects':{'0':{"
	    "'type':'domain-name','value':'example.com'}}}",
	    "observed-data-object-key");
	/* 142 observable-dictionary-keys, 150 hash-length */
	fires("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','x_s_dicts':{'FOOBAR':{'foo':'bar'}}}",
	    "sco-dictionary-key-format", 142);
	clean("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','hashes':{'MD5':'" "b365b9a80a06906fc9b400c06c33ff43"
	    "'},'x_s_dicts':{'foobar':{'foo':'bar'}}}",
	    "sco-dictionary-key-format");
	fires("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','hashes':{'x_a_very_long_hash_algorithm_name':'00'}}",
	    "hash-algorithm-length", 150);
	clean("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','hashes':{'x_short':'00'}}", "hash-algorithm-length");
	/* 276 pdf-doc-info */
	fires("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a.pdf','extensions':{'pdf-ext':{'document_info_dict':{"
	    "'Title':'t','foo':'bar'}}}}", "pdf-doc-info-key", 276);
	clean("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a.pdf','extensions':{'pdf-ext':{'document_info_dict':{"
	    "'Title':'t','Author':'a'}}}}", "pdf-doc-info-key");
}

static void
test_custom_content(void **state)
{
	struct tu_diags ds;
	const char *xs = "{" HDR("campaign") ",'name':'c','x_something':1}";
	const char *xss = "{" HDR("campaign") ",'name':'c','x_acme_thing':1}";
	const char *top = "{" HDR("campaign") ",'name':'c','rank':1,"
	    "'extensions':{'extension-definition--" U2 "':{'extension_type':"
	    "'toplevel-property-extension'}}}";

	(void)state;
	/* 401 extensions-use */
	fires(xs, "custom-without-extension", 401);
	clean(top, "custom-without-extension");
	fires("{" HDR("x-acme-widget") "}", "custom-without-extension", 401);
	/* 101/102 run when 401 is off */
	clean(xs, "custom-property-prefix-strict");
	(void)run(xs, 0, NULL, "extensions-use", &ds);
	assert_true(tu_has_rule(&ds, "custom-property-prefix-strict",
	    CYBEX_SEV_WARNING));
	assert_false(tu_has_rule(&ds, "custom-property-prefix", -1));
	(void)run(xss, 0, NULL, "401", &ds);
	assert_int_equal(ds.warnings, 0);
	(void)run(top, 0, NULL, "401", &ds);
	assert_true(tu_has_rule(&ds, "custom-property-prefix",
	    CYBEX_SEV_WARNING));
	(void)run(xs, 0, NULL, "extensions-use,custom-prefix", &ds);
	assert_int_equal(ds.warnings, 0);	/* lax passes x_ */
	(void)run("{" HDR("acme-widget") "}", 0, NULL, "401", &ds);
	assert_true(tu_has_rule(&ds, "custom-object-prefix",
	    CYBEX_SEV_WARNING));
	(void)run("{" HDR("x-widget") "}", 0, NULL, "401", &ds);
	assert_true(tu_has_rule(&ds, "custom-object-prefix-strict",
	    CYBEX_SEV_WARNING));
	(void)run("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','extensions':{'foobar-ext':{'a':1}}}", 0, NULL, "401",
	    &ds);
	assert_true(tu_has_rule(&ds, "custom-extension-prefix",
	    CYBEX_SEV_WARNING));
	(void)run("{'type':'file','spec_version':'2.1','id':'file--" U1 "',"
	    "'name':'a','extensions':{'x-foobar-ext':{'a':1}}}", 0, NULL,
	    "401", &ds);
	assert_true(tu_has_rule(&ds, "custom-extension-prefix-strict",
	    CYBEX_SEV_WARNING));
	/* --strict-properties, --strict-types: errors whatever is enabled */
	assert_int_equal(run(top, CYBEX_STIX_STRICT_PROPERTIES, NULL, NULL,
	    &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "custom-property-refused",
	    CYBEX_SEV_ERROR));
	assert_int_equal(run(top, 0, NULL, NULL, &ds), 0);
	assert_int_equal(run("{" HDR("x-acme-widget") "}",
	    CYBEX_STIX_STRICT_TYPES, NULL, NULL, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "custom-type-refused", CYBEX_SEV_ERROR));
	assert_int_equal(run("{" HDR("x-acme-widget") "}", 0, NULL, NULL,
	    &ds), 0);
}

static void
test_selection(void **state)
{
	struct cybex_stix_checks ck;
	struct cybex_diag d;
	struct tu_diags ds;
	const char *two = "{" HDR("malware") ",'is_family':false,'name':'m',"
	    "'malware_types':['Home_Grown'],'external_references':[{"
	    "'source_name':'x','url':'https://example.com/a'}]}";

	(void)state;
	/* --enable: only those */
	(void)run(two, 0, "111", NULL, &ds);
	assert_true(tu_has_rule(&ds, "vocab-format", -1));
	assert_false(tu_has_rule(&ds, "external-reference-url-hashes", -1));
	assert_false(tu_has_rule(&ds, "vocab-value", -1));
	(void)run(two, 0, "extref-hashes", NULL, &ds);
	assert_false(tu_has_rule(&ds, "vocab-format", -1));
	assert_true(tu_has_rule(&ds, "external-reference-url-hashes", -1));
	/* groups: 1 is every 1xx, 210 every vocabulary, 270 the sources */
	(void)run(two, 0, NULL, "1", &ds);
	assert_false(tu_has_rule(&ds, "vocab-format", -1));
	assert_true(tu_has_rule(&ds, "vocab-value", -1));	/* 216 */
	(void)run(two, 0, NULL, "210", &ds);
	assert_false(tu_has_rule(&ds, "vocab-value", -1));
	assert_true(tu_has_rule(&ds, "vocab-format", -1));
	(void)run(two, 0, NULL, "malware-types", &ds);
	assert_false(tu_has_rule(&ds, "vocab-value", -1));
	/* enabling supersedes disabling */
	(void)run(two, 0, "111", "111", &ds);
	assert_true(tu_has_rule(&ds, "vocab-format", -1));
	/* cybex's own rules by rule name, or all of them */
	(void)run("{'type':'ipv4-addr','spec_version':'2.1','id':'ipv4-addr--"
	    "8c6af861-7b20-51ef-9b59-6344fd872a8f','value':'198.51.100.3'}", 0,
	    NULL, "cybex", &ds);
	assert_int_equal(ds.warnings, 0);
	/* unknown names are refused, naming the entry */
	assert_int_equal(cybex_stix_checks_select("218, nosuch", NULL, &ck,
	    &d), CYBEX_EINVAL);
	assert_non_null(strstr(d.message, "nosuch"));
	assert_int_equal(cybex_stix_checks_select(NULL, "999", &ck, &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_stix_check_code("vocab-value",
	    "report-type-ov"), 218);
	assert_int_equal(cybex_stix_check_code("bundle-duplicate-id", NULL),
	    203);
	assert_int_equal(cybex_stix_check_code("recommended-property", NULL),
	    0);
}

/* A SHOULD is never an error without --strict. */
static void
test_should_is_warning(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(run("{" HDR("location") ",'country':'xx'}", 0, NULL,
	    NULL, &ds), 0);
	assert_int_equal(ds.errors, 0);
	assert_int_equal(run("{'type':'ipv4-addr','spec_version':'2.1',"
	    "'id':'ipv4-addr--" U1 "','value':'198.51.100.3'}", 0, NULL, NULL,
	    &ds), 0);
	assert_int_equal(ds.errors, 0);
	assert_true(ds.warnings > 0);
}

static void
collect(void *ud, const struct cybex_diag *d)
{
	struct tu_diags *ds = ud;

	if (ds->n < sizeof(ds->d) / sizeof(ds->d[0]))
		ds->d[ds->n++] = *d;
}

static void
test_enforce_refs(void **state)
{
	const char *rel = "{" HDR("relationship") ",'relationship_type':"
	    "'uses','source_ref':'malware--" U2 "','target_ref':'tool--" U2
	    "'}";
	const char *mal = "{'type':'malware','spec_version':'2.1','id':"
	    "'malware--" U2 "','created':'" T0 "','modified':'" T0 "',"
	    "'name':'m','is_family':false}";
	struct cybex_stix_opts o = { .flags = CYBEX_STIX_ENFORCE_REFS };
	struct cybex_stix_result res = { 0, 0 };
	struct cybex_stix_xref *x;
	struct tu_diags ds;
	json_t *a, *b;
	char buf[2048];
	char *s;

	(void)state;
	snprintf(buf, sizeof(buf), "{'type':'bundle','id':'bundle--" U2 "',"
	    "'objects':[%s,%s]}", rel, mal);
	assert_int_equal(run(buf, CYBEX_STIX_ENFORCE_REFS, NULL, NULL, &ds),
	    CYBEX_ESTIX);
	assert_int_equal(ds.errors, 1);
	assert_true(tu_has_rule(&ds, "reference-unresolved",
	    CYBEX_SEV_ERROR));
	assert_string_equal(ds.d[0].pointer, "/objects/0/target_ref");
	assert_int_equal(run(buf, 0, NULL, NULL, &ds), 0);
	/* the streaming form: refs resolve against later objects too */
	s = dq(rel);
	a = json_loads(s, 0, NULL);
	free(s);
	s = dq(mal);
	b = json_loads(s, 0, NULL);
	free(s);
	assert_int_equal(cybex_stix_xref_new(&x), 0);
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(cybex_stix_xref_add(x, a, &o, "/objects/0", 3, 1,
	    collect, &ds, &res), 0);
	assert_int_equal(cybex_stix_xref_add(x, b, &o, "/objects/1", 4, 1,
	    collect, &ds, &res), 0);
	assert_int_equal(ds.n, 0);
	assert_int_equal(cybex_stix_xref_finish(x, &o, collect, &ds, &res), 0);
	assert_int_equal(res.errors, 1);
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].line, 3);
	cybex_stix_xref_free(x);
	json_decref(a);
	json_decref(b);
}

static void
test_interop(void **state)
{
	struct tu_diags ds;
	const char *nocreator = "{" HDR("campaign") ",'name':'c'}";
	const char *twice = "{" HDR("campaign") ",'name':'c','created_by_ref':"
	    IDENT ",'object_marking_refs':['marking-definition--" U2 "',"
	    "'marking-definition--" U2 "']}";

	(void)state;
	assert_int_equal(run(nocreator, CYBEX_STIX_INTEROP, NULL, NULL, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "interop-created-by-ref",
	    CYBEX_SEV_ERROR));
	assert_int_equal(run(nocreator, 0, NULL, NULL, &ds), 0);
	assert_int_equal(run(twice, CYBEX_STIX_INTEROP, NULL, NULL, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "interop-unique-markings",
	    CYBEX_SEV_ERROR));
	assert_int_equal(run("{" HDR("campaign") ",'name':'c',"
	    "'created_by_ref':" IDENT "}", CYBEX_STIX_INTEROP, NULL, NULL,
	    &ds), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdo_checks),
		cmocka_unit_test(test_bundle_duplicate_ids),
		cmocka_unit_test(test_sco_checks),
		cmocka_unit_test(test_custom_content),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_should_is_warning),
		cmocka_unit_test(test_enforce_refs),
		cmocka_unit_test(test_interop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
