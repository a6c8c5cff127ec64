/*
 * Rules every object obeys (validate.c, rules_common.c): each with a case
 * that breaks it and one that satisfies it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static const char *base_identity =
    "{\"type\":\"identity\",\"spec_version\":\"2.1\","
    "\"id\":\"identity--8c6af861-7b20-41ef-9b59-6344fd872a8f\","
    "\"created\":\"2016-08-08T15:50:10.983Z\","
    "\"modified\":\"2016-08-08T15:50:10.983Z\","
    "\"name\":\"Franistan Intelligence\",\"identity_class\":\"organization\"}";

/* Validate base with patch merged in (members set) and del removed. */
static int
run(const char *base, const char *patch, const char *del, unsigned flags,
    struct tu_diags *ds)
{
	json_t *o = json_loads(base, 0, NULL), *p;
	char *s;
	int r;

	assert_non_null(o);
	if (patch != NULL) {
		p = json_loads(patch, 0, NULL);
		assert_non_null(p);
		json_object_update(o, p);
		json_decref(p);
	}
	if (del != NULL)
		json_object_del(o, del);
	s = json_dumps(o, 0);
	r = tu_validate(s, flags, ds);
	free(s);
	json_decref(o);
	return r;
}

/* patch breaks rule (error); good satisfies it (no error at all). */
static void
expect_rule(const char *patch, const char *del, const char *rule,
    int sev, const char *good)
{
	struct tu_diags ds;

	run(base_identity, patch, del, 0, &ds);
	if (!tu_has_rule(&ds, rule, sev)) {
		tu_dump(&ds);
		fail_msg("%s: expected rule %s", patch ? patch : del, rule);
	}
	if (good == NULL)
		return;
	if (run(base_identity, good, NULL, 0, &ds) != 0 ||
	    tu_has_rule(&ds, rule, -1)) {
		tu_dump(&ds);
		fail_msg("%s: unexpected rule %s or error", good, rule);
	}
}

static void
test_base_is_valid(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(run(base_identity, NULL, NULL, CYBEX_STIX_STRICT,
	    &ds), 0);
	assert_int_equal(ds.errors + ds.warnings, 0);
}

static void
test_required_and_types(void **state)
{
	(void)state;
	expect_rule(NULL, "modified", "required-property", CYBEX_SEV_ERROR,
	    NULL);
	/* Section 3.2: required of SDOs/SROs, no implicit "2.0". */
	expect_rule(NULL, "spec_version", "spec-version-missing",
	    CYBEX_SEV_ERROR, NULL);
	/* lang MUST be an RFC 5646 tag (section 3.2). */
	expect_rule("{\"lang\":\"en_GB\"}", NULL, "lang-format",
	    CYBEX_SEV_ERROR, "{\"lang\":\"en-GB\"}");
	expect_rule("{\"lang\":\"e\"}", NULL, "lang-format",
	    CYBEX_SEV_ERROR, "{\"lang\":\"zh-Hant-TW\"}");
	expect_rule("{\"revoked\":\"yes\"}", NULL, "property-type",
	    CYBEX_SEV_ERROR, "{\"revoked\":true}");
	expect_rule("{\"confidence\":101}", NULL, "value-range",
	    CYBEX_SEV_ERROR, "{\"confidence\":100}");
	expect_rule("{\"confidence\":50.5}", NULL, "property-type",
	    CYBEX_SEV_ERROR, "{\"confidence\":0}");
	expect_rule("{\"labels\":[]}", NULL, "empty-list", CYBEX_SEV_ERROR,
	    "{\"labels\":[\"a\"]}");
	expect_rule("{\"labels\":\"a\"}", NULL, "property-type",
	    CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"labels\":[1]}", NULL, "property-type",
	    CYBEX_SEV_ERROR, NULL);
}

static void
test_type_and_id(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(tu_validate("{\"type\":\"Identity\"}", 0, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "type-format", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("{\"type\":\"a--b\"}", 0, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "type-format", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("[1]", 0, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "not-an-object", CYBEX_SEV_ERROR));
	expect_rule("{\"id\":\"tool--8c6af861-7b20-41ef-9b59-6344fd872a8f\"}",
	    NULL, "id-type-mismatch", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"id\":\"identity--8c6af861\"}", NULL,
	    "identifier-format", CYBEX_SEV_ERROR, NULL);
	/* A UUIDv1 is allowed but should be v4. */
	expect_rule("{\"id\":\"identity--8c6af861-7b20-11ef-9b59-"
	    "6344fd872a8f\"}", NULL, "id-uuid-version", CYBEX_SEV_WARNING,
	    NULL);
	expect_rule("{\"spec_version\":\"2.0\"}", NULL, "spec-version",
	    CYBEX_SEV_ERROR, NULL);
}

static void
test_references(void **state)
{
	(void)state;
	expect_rule("{\"created_by_ref\":\"malware--8c6af861-7b20-41ef-9b59-"
	    "6344fd872a8f\"}", NULL, "reference-target-type", CYBEX_SEV_ERROR,
	    "{\"created_by_ref\":\"identity--8c6af861-7b20-41ef-9b59-"
	    "6344fd872a8f\"}");
	expect_rule("{\"object_marking_refs\":[\"identity--8c6af861-7b20-41ef-"
	    "9b59-6344fd872a8f\"]}", NULL, "reference-target-type",
	    CYBEX_SEV_ERROR, "{\"object_marking_refs\":[\"marking-definition--"
	    "f88d31f6-486f-44da-b317-01333bde0b82\"]}");
}

static void
test_timestamps(void **state)
{
	(void)state;
	expect_rule("{\"modified\":\"2016-08-08T15:50:10.983+00:00\"}", NULL,
	    "timestamp-format", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"modified\":\"2016-08-08t15:50:10.983z\"}", NULL,
	    "timestamp-format", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"modified\":\"2016-02-30T15:50:10.983Z\"}", NULL,
	    "timestamp-format", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"created\":\"2016-08-08T15:50:10Z\"}", NULL,
	    "timestamp-precision", CYBEX_SEV_ERROR,
	    "{\"created\":\"2016-08-08T15:50:10.000Z\"}");
	/* Issue 25: normalizes past 9999, which nothing can store. */
	expect_rule("{\"modified\":\"9999-12-31T23:59:60.999Z\"}", NULL,
	    "timestamp-format", CYBEX_SEV_ERROR,
	    "{\"modified\":\"9999-12-31T23:59:59.999Z\"}");
	expect_rule("{\"modified\":\"2016-08-08T15:50:10.982Z\"}", NULL,
	    "modified-before-created", CYBEX_SEV_ERROR,
	    "{\"modified\":\"2016-08-08T15:50:10.983000001Z\"}");
}

static void
test_custom_properties(void **state)
{
	struct tu_diags ds;

	(void)state;
	expect_rule("{\"foo\":\"bar\"}", NULL, "custom-without-extension",
	    CYBEX_SEV_WARNING, NULL);
	expect_rule("{\"x-foo\":1}", NULL, "custom-property-name",
	    CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"xy\":1}", NULL, "custom-property-name",
	    CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"severity\":\"high\"}", NULL, "reserved-property",
	    CYBEX_SEV_ERROR, "{\"x_severity\":\"high\"}");
	/* --strict turns the SHOULD into an error. */
	assert_int_equal(run(base_identity, "{\"foo\":1}", NULL,
	    CYBEX_STIX_STRICT, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "custom-without-extension",
	    CYBEX_SEV_ERROR));
	/* A top-level property extension declares its own properties. */
	assert_int_equal(run(base_identity, "{\"foo\":1,\"extensions\":{"
	    "\"extension-definition--d83fce45-ef58-4c6c-a3f4-1fbc32e98c6e\":"
	    "{\"extension_type\":\"toplevel-property-extension\"}}}", NULL,
	    CYBEX_STIX_STRICT, &ds), 0);
}

static void
test_extensions(void **state)
{
	(void)state;
	expect_rule("{\"extensions\":{\"acme\":{\"a\":1}}}", NULL,
	    "extension-key", CYBEX_SEV_ERROR,
	    "{\"extensions\":{\"extension-definition--d83fce45-ef58-4c6c-a3f4-"
	    "1fbc32e98c6e\":{\"extension_type\":\"property-extension\","
	    "\"rank\":5}}}");
	expect_rule("{\"extensions\":{\"extension-definition--d83fce45\":"
	    "{}}}", NULL, "extension-key", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"extensions\":{\"extension-definition--d83fce45-ef58-"
	    "4c6c-a3f4-1fbc32e98c6e\":{\"extension_type\":\"new-thing\"}}}",
	    NULL, "enum-value", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"extensions\":{\"x-acme-ext\":{\"a\":1}}}", NULL,
	    "custom-extension", CYBEX_SEV_WARNING, NULL);
	expect_rule("{\"extensions\":{}}", NULL, "dictionary-empty",
	    CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"extensions\":{\"archive-ext\":{\"contains_refs\":"
	    "[\"file--8c6af861-7b20-41ef-9b59-6344fd872a8f\"]}}}", NULL,
	    "extension-wrong-type", CYBEX_SEV_ERROR, NULL);
}

static void
test_granular_markings(void **state)
{
	(void)state;
	expect_rule("{\"granular_markings\":[{\"marking_ref\":\"marking-"
	    "definition--f88d31f6-486f-44da-b317-01333bde0b82\",\"selectors\":"
	    "[\"description\"]}]}", NULL, "selector-unresolved",
	    CYBEX_SEV_ERROR,
	    "{\"description\":\"d\",\"granular_markings\":[{\"marking_ref\":"
	    "\"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82\","
	    "\"selectors\":[\"description\",\"granular_markings.[0]\"]}]}");
	expect_rule("{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\"}],\"granular_markings\":[{"
	    "\"marking_ref\":\"marking-definition--f88d31f6-486f-44da-b317-"
	    "01333bde0b82\",\"selectors\":[\"external_references.[1].url\"]}]}",
	    NULL, "selector-unresolved", CYBEX_SEV_ERROR,
	    "{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\"}],\"granular_markings\":[{"
	    "\"marking_ref\":\"marking-definition--f88d31f6-486f-44da-b317-"
	    "01333bde0b82\",\"selectors\":[\"external_references.[0].url\"]}]}");
}

static void
test_pointers(void **state)
{
	struct tu_diags ds;
	size_t i;
	bool found = false;

	(void)state;
	run(base_identity, "{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\"},{\"source_name\":\"b\",\"url\":"
	    "\"not a url\"}]}", NULL, 0, &ds);
	for (i = 0; i < ds.n; i++)
		if (strcmp(ds.d[i].pointer, "/external_references/1/url") == 0)
			found = true;
	if (!found) {
		tu_dump(&ds);
		fail_msg("no diagnostic at /external_references/1/url");
	}
}

static void
test_custom_objects(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(tu_validate("{\"type\":\"x-acme-widget\",\"spec_version"
	    "\":\"2.1\",\"id\":\"x-acme-widget--8c6af861-7b20-41ef-9b59-"
	    "6344fd872a8f\",\"created\":\"2016-08-08T15:50:10.983Z\","
	    "\"modified\":\"2016-08-08T15:50:10.983Z\",\"size\":3}",
	    0, &ds), 0);
	assert_true(tu_has_rule(&ds, "custom-without-extension",
	    CYBEX_SEV_WARNING));
	assert_false(tu_has_rule(&ds, "custom-object-prefix",
	    CYBEX_SEV_WARNING));
	assert_int_equal(tu_validate("{\"type\":\"acme-widget\",\"spec_version"
	    "\":\"2.1\",\"id\":\"acme-widget--8c6af861-7b20-41ef-9b59-"
	    "6344fd872a8f\",\"created\":\"2016-08-08T15:50:10.983Z\","
	    "\"modified\":\"2016-08-08T15:50:10.983Z\"}", 0, &ds), 0);
	assert_true(tu_has_rule(&ds, "custom-without-extension",
	    CYBEX_SEV_WARNING));
	assert_int_equal(tu_validate("{\"type\":\"x-acme-widget\",\"id\":"
	    "\"identity--8c6af861-7b20-41ef-9b59-6344fd872a8f\"}", 0, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "id-type-mismatch", CYBEX_SEV_ERROR));
	assert_true(tu_has_rule(&ds, "required-property", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("{\"type\":\"action\",\"id\":"
	    "\"action--8c6af861-7b20-41ef-9b59-6344fd872a8f\"}", 0, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "reserved-type", CYBEX_SEV_ERROR));
}

static void
test_bundles(void **state)
{
	struct tu_diags ds;
	char buf[2048];

	(void)state;
	snprintf(buf, sizeof(buf), "{\"type\":\"bundle\",\"id\":\"bundle--"
	    "5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":[%s]}",
	    base_identity);
	assert_int_equal(tu_validate(buf, CYBEX_STIX_STRICT, &ds), 0);
	snprintf(buf, sizeof(buf), "{\"type\":\"bundle\",\"id\":\"bundle--"
	    "5d0092c5-5f74-4287-9642-33f4c354e56d\",\"spec_version\":\"2.0\","
	    "\"objects\":[{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-"
	    "4287-9642-33f4c354e56d\"}]}");
	assert_int_equal(tu_validate(buf, 0, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "bundle-in-bundle", CYBEX_SEV_ERROR));
	assert_true(tu_has_rule(&ds, "bundle-spec-version", CYBEX_SEV_WARNING));
	assert_int_equal(tu_validate("{\"type\":\"bundle\",\"id\":\"report--"
	    "5d0092c5-5f74-4287-9642-33f4c354e56d\"}", 0, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "id-type-mismatch", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("{\"type\":\"bundle\",\"id\":\"bundle--"
	    "5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":{}}", 0, &ds),
	    CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "property-type", CYBEX_SEV_ERROR));
}

/* Collects diags for a direct cybex_stix_validate call. */
static void
collect_diag(void *ud, const struct cybex_diag *d)
{
	struct tu_diags *ds = ud;

	if (ds->n < TU_DIAGS_MAX)
		ds->d[ds->n++] = *d;
}

/*
 * spec_version is an error when missing in a STIX 2.1 context, a warning
 * in a STIX 2.0 bundle (and for a streamed bundle element, whose
 * envelope the validator does not see).
 */
static void
test_spec_version_context(void **state)
{
	struct cybex_stix_result res;
	struct tu_diags ds;
	json_t *o;
	char buf[2048];
	size_t n;

	(void)state;
	o = json_loads(base_identity, 0, NULL);
	assert_non_null(o);
	json_object_del(o, "spec_version");
	{
		char *s = json_dumps(o, JSON_COMPACT);

		n = (size_t)snprintf(buf, sizeof(buf), "{\"type\":\"bundle\","
		    "\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		    "\"objects\":[%s]}", s);
		assert_true(n < sizeof(buf));
		assert_int_equal(tu_validate(buf, 0, &ds), CYBEX_ESTIX);
		assert_true(tu_has_rule(&ds, "spec-version-missing",
		    CYBEX_SEV_ERROR));
		n = (size_t)snprintf(buf, sizeof(buf), "{\"type\":\"bundle\","
		    "\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		    "\"objects\":[%s],\"spec_version\":\"2.0\"}", s);
		assert_true(n < sizeof(buf));
		assert_int_equal(tu_validate(buf, 0, &ds), 0);
		assert_true(tu_has_rule(&ds, "spec-version-missing",
		    CYBEX_SEV_WARNING));
		free(s);
	}
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(cybex_stix_validate(o, NULL, "/objects/3",
	    collect_diag, &ds, &res), 0);
	assert_true(tu_has_rule(&ds, "spec-version-missing",
	    CYBEX_SEV_WARNING));
	assert_int_equal(res.errors, 0);
	memset(&ds, 0, sizeof(ds));
	assert_int_equal(cybex_stix_validate(o, NULL, NULL, collect_diag, &ds,
	    &res), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "spec-version-missing", CYBEX_SEV_ERROR));
	/* The caller says STIX 2.0 (a TAXII media type version=2.0). */
	{
		struct cybex_stix_opts so = { .flags = CYBEX_STIX_SPEC_20 };

		memset(&ds, 0, sizeof(ds));
		assert_int_equal(cybex_stix_validate(o, &so, NULL,
		    collect_diag, &ds, &res), 0);
		assert_true(tu_has_rule(&ds, "spec-version-missing",
		    CYBEX_SEV_WARNING));
	}
	json_decref(o);
}

static void
test_sco_ids(void **state)
{
	struct tu_diags ds;

	(void)state;
	assert_int_equal(tu_validate("{\"type\":\"ipv4-addr\",\"spec_version\":"
	    "\"2.1\",\"id\":\"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4\","
	    "\"value\":\"198.51.100.3\"}", CYBEX_STIX_STRICT, &ds), 0);
	assert_int_equal(tu_validate("{\"type\":\"ipv4-addr\",\"spec_version\":"
	    "\"2.1\",\"id\":\"ipv4-addr--8c6af861-7b20-41ef-9b59-6344fd872a8f\","
	    "\"value\":\"198.51.100.3\"}", 0, &ds), 0);
	assert_true(tu_has_rule(&ds, "id-uuid-version", CYBEX_SEV_WARNING));
	/* A UUIDv5, not the deterministic one. */
	assert_int_equal(tu_validate("{\"type\":\"ipv4-addr\",\"spec_version\":"
	    "\"2.1\",\"id\":\"ipv4-addr--8c6af861-7b20-51ef-9b59-6344fd872a8f\","
	    "\"value\":\"198.51.100.3\"}", 0, &ds), 0);
	assert_true(tu_has_rule(&ds, "sco-id-deterministic",
	    CYBEX_SEV_WARNING));
	assert_false(tu_has_rule(&ds, "id-uuid-version", CYBEX_SEV_WARNING));
	/*
	 * Section 2.9: with none of its ID-contributing properties (all
	 * optional) present, an SCO MUST have a UUIDv4 id; process has none
	 * at all.
	 */
	assert_int_equal(tu_validate("{\"type\":\"email-message\",\"id\":"
	    "\"email-message--28bb3599-77cd-5a82-a950-b5bc3caf07c4\","
	    "\"is_multipart\":false}", 0, &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "sco-id-uuid-v4", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("{\"type\":\"process\",\"id\":"
	    "\"process--28bb3599-77cd-1a82-a950-b5bc3caf07c4\",\"pid\":1}", 0,
	    &ds), CYBEX_ESTIX);
	assert_true(tu_has_rule(&ds, "sco-id-uuid-v4", CYBEX_SEV_ERROR));
	assert_int_equal(tu_validate("{\"type\":\"process\",\"id\":"
	    "\"process--8c6af861-7b20-41ef-9b59-6344fd872a8f\",\"pid\":1}",
	    CYBEX_STIX_STRICT, &ds), 0);
	assert_int_equal(tu_validate("{\"type\":\"email-message\",\"id\":"
	    "\"email-message--8c6af861-7b20-41ef-9b59-6344fd872a8f\","
	    "\"is_multipart\":false}", CYBEX_STIX_STRICT, &ds), 0);
}

static void
test_hashes_and_dicts(void **state)
{
	(void)state;
	expect_rule("{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\",\"hashes\":{\"SHA-256\":\"abc\"}}]}",
	    NULL, "hash-value-format", CYBEX_SEV_ERROR,
	    "{\"external_references\":[{\"source_name\":\"a\",\"url\":"
	    "\"https://a.example/\",\"hashes\":{\"SHA-256\":\"6db12788c37247f2"
	    "316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b\"}}]}");
	expect_rule("{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\",\"hashes\":{}}]}", NULL,
	    "hashes-empty", CYBEX_SEV_ERROR, NULL);
	expect_rule("{\"external_references\":[{\"source_name\":\"a\","
	    "\"url\":\"https://a.example/\",\"hashes\":{\"a b\":\"00\"}}]}",
	    NULL, "dictionary-key-format", CYBEX_SEV_ERROR, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_valid),
		cmocka_unit_test(test_required_and_types),
		cmocka_unit_test(test_type_and_id),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_custom_properties),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_granular_markings),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_custom_objects),
		cmocka_unit_test(test_bundles),
		cmocka_unit_test(test_spec_version_context),
		cmocka_unit_test(test_sco_ids),
		cmocka_unit_test(test_hashes_and_dicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
