/*
 * Rules of the SDO/SRO/meta registry (registry_sdo.c) and the vocabularies
 * (vocab.c): every named rule has a case that fires it and one that does
 * not; every type has a minimal valid object and loses a required
 * property; the examples of the STIX 2.1 JSON schema repository validate.
 *
 * Test JSON is written with ' for " (and ` for ') to stay readable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "stix_int.h"
#include "testutil.h"

#define U1	"5b0be1cf-66e7-45cb-ad43-45ef9e519030"
#define U2	"b2339d4a-87e8-4b02-92c2-f78866bbeafd"
#define U3	"4509a8aa-29dd-4c0c-b39d-feffd53f7c87"
#define U4	"4a34336f-a285-4b96-9140-a3c4f64cb2d1"

#define T0	"2020-01-01T00:00:00.000Z"
#define T1	"2020-06-01T00:00:00.000Z"

/* Common properties of an SDO/SRO of type t. */
#define HDR(t) \
	"'type':'" t "','spec_version':'2.1','id':'" t "--" U1 "'," \
	"'created':'" T0 "','modified':'" T0 "'"

#define IND_REF	"'indicator--" U2 "'"
#define TLP_WHITE_ID \
	"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"

/* Minimal valid objects. */
#define ATTACK_PATTERN \
	"{" HDR("attack-pattern") ",'name':'Phishing'}"
#define CAMPAIGN \
	"{" HDR("campaign") ",'name':'Operation X'}"
#define COURSE_OF_ACTION \
	"{" HDR("course-of-action") ",'name':'Block it'}"
#define GROUPING \
	"{" HDR("grouping") ",'context':'suspicious-activity'," \
	"'object_refs':[" IND_REF "]}"
#define IDENTITY \
	"{" HDR("identity") ",'name':'ACME','identity_class':'organization'}"
#define INCIDENT \
	"{" HDR("incident") ",'name':'Breach'}"
#define INDICATOR \
	"{" HDR("indicator") ",'pattern_type':'stix'," \
	"'pattern':'[ipv4-addr:value = `198.51.100.1`]'," \
	"'valid_from':'" T0 "'}"
#define INFRASTRUCTURE \
	"{" HDR("infrastructure") ",'name':'C2 servers'}"
#define INTRUSION_SET \
	"{" HDR("intrusion-set") ",'name':'APT0'}"
#define LOCATION \
	"{" HDR("location") ",'region':'europe'}"
#define MALWARE \
	"{" HDR("malware") ",'name':'Dropper','is_family':true}"
#define MALWARE_ANALYSIS \
	"{" HDR("malware-analysis") ",'product':'av','result':'malicious'}"
#define NOTE \
	"{" HDR("note") ",'content':'See also'," \
	"'object_refs':[" IND_REF "]}"
#define OBSERVED_DATA \
	"{" HDR("observed-data") ",'first_observed':'" T0 "'," \
	"'last_observed':'" T1 "','number_observed':1," \
	"'object_refs':['ipv4-addr--" U2 "']}"
#define OPINION \
	"{" HDR("opinion") ",'opinion':'agree','object_refs':[" IND_REF "]}"
#define REPORT \
	"{" HDR("report") ",'name':'Weekly','published':'" T1 "'," \
	"'object_refs':[" IND_REF "]}"
#define THREAT_ACTOR \
	"{" HDR("threat-actor") ",'name':'Evil Corp'}"
#define TOOL \
	"{" HDR("tool") ",'name':'nmap'}"
#define VULNERABILITY \
	"{" HDR("vulnerability") ",'name':'CVE-2020-0601'}"
#define RELATIONSHIP \
	"{" HDR("relationship") ",'relationship_type':'indicates'," \
	"'source_ref':" IND_REF ",'target_ref':'malware--" U3 "'}"
#define SIGHTING \
	"{" HDR("sighting") ",'sighting_of_ref':" IND_REF "}"
#define LANGUAGE_CONTENT \
	"{" HDR("language-content") ",'object_ref':'campaign--" U2 "'," \
	"'contents':{'de':{'name':'Bankangriff'}}}"
#define MARKING_DEF \
	"{'type':'marking-definition','spec_version':'2.1'," \
	"'id':'marking-definition--" U1 "','created':'" T0 "'," \
	"'definition_type':'statement'," \
	"'definition':{'statement':'Copyright ACME'}}"
#define TLP_WHITE \
	"{'type':'marking-definition','spec_version':'2.1'," \
	"'id':'" TLP_WHITE_ID "','created':'2017-01-20T00:00:00.000Z'," \
	"'name':'TLP:WHITE','definition_type':'tlp'," \
	"'definition':{'tlp':'white'}}"
#define EXT_DEF \
	"{" HDR("extension-definition") "," \
	"'created_by_ref':'identity--" U2 "','name':'ext'," \
	"'schema':'https://example.com/ext.json','version':'1.0.0'," \
	"'extension_types':['property-extension']}"
#define BUNDLE \
	"{'type':'bundle','id':'bundle--" U4 "','objects':[" \
	INDICATOR "," MALWARE "]}"

/* ---- helpers ---- */

/* ' -> ", ` -> ' in a malloc'd copy. */
static char *
q(const char *s)
{
	char *r = strdup(s), *p;

	assert_non_null(r);
	for (p = r; *p != '\0'; p++) {
		if (*p == '\'')
			*p = '"';
		else if (*p == '`')
			*p = '\'';
	}
	return r;
}

/* Copy the next comma-separated key of *p into buf; false at the end. */
static bool
next_key(const char **p, char *buf, size_t bufsz)
{
	const char *e;
	size_t n;

	if (**p == '\0')
		return false;
	e = strchr(*p, ',');
	n = e != NULL ? (size_t)(e - *p) : strlen(*p);
	assert_true(n < bufsz);
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p += n + (e != NULL ? 1 : 0);
	return true;
}

static json_t *
load(const char *text)
{
	json_error_t err;
	char *s = q(text);
	json_t *j = json_loads(s, 0, &err);

	if (j == NULL)
		fail_msg("test JSON %s: %d: %s", s, err.line, err.text);
	free(s);
	return j;
}

/*
 * Validate base with patch merged into it (may be NULL) and the keys of
 * del removed (comma-separated, may be NULL).
 */
static int
run(const char *base, const char *patch, const char *del, unsigned flags,
    struct tu_diags *ds)
{
	json_t *obj = load(base), *p;
	const char *d = del;
	char key[64], *text;
	int r;

	if (patch != NULL) {
		p = load(patch);
		assert_int_equal(json_object_update(obj, p), 0);
		json_decref(p);
	}
	while (d != NULL && next_key(&d, key, sizeof(key)))
		json_object_del(obj, key);
	text = json_dumps(obj, JSON_PRESERVE_ORDER);
	assert_non_null(text);
	r = tu_validate(text, flags, ds);
	free(text);
	json_decref(obj);
	return r;
}

/* The change makes rule fire with severity sev. */
static void
fires(const char *base, const char *patch, const char *del, const char *rule,
    int sev)
{
	struct tu_diags ds;
	int r = run(base, patch, del, 0, &ds);

	if (!tu_has_rule(&ds, rule, sev)) {
		tu_dump(&ds);
		fail_msg("expected %s '%s' for patch %s del %s",
		    sev == CYBEX_SEV_ERROR ? "error" : "warning", rule,
		    patch != NULL ? patch : "-", del != NULL ? del : "-");
	}
	if (sev == CYBEX_SEV_ERROR)
		assert_int_equal(r, CYBEX_ESTIX);
}

/* Like fires(), and the diagnostic points at ptr. */
static void
fires_at(const char *base, const char *patch, const char *del,
    const char *rule, const char *ptr)
{
	struct tu_diags ds;
	size_t i;

	(void)run(base, patch, del, 0, &ds);
	for (i = 0; i < ds.n; i++)
		if (ds.d[i].rule != NULL && strcmp(ds.d[i].rule, rule) == 0 &&
		    strcmp(ds.d[i].pointer, ptr) == 0)
			return;
	tu_dump(&ds);
	fail_msg("expected '%s' at '%s'", rule, ptr);
}

/* The object is valid (no error) and rule (may be NULL) does not fire. */
static void
clean(const char *base, const char *patch, const char *del, const char *rule)
{
	struct tu_diags ds;
	int r = run(base, patch, del, 0, &ds);

	if (r != 0 || ds.errors != 0 ||
	    (rule != NULL && tu_has_rule(&ds, rule, -1))) {
		tu_dump(&ds);
		fail_msg("expected valid without '%s' for patch %s del %s",
		    rule != NULL ? rule : "-", patch != NULL ? patch : "-",
		    del != NULL ? del : "-");
	}
}

/* ---- every type: a minimal object is valid, required properties ---- */

static const struct {
	const char	*json;
	const char	*required;	/* comma-separated */
} minimal[] = {
	{ ATTACK_PATTERN, "name" },
	{ CAMPAIGN, "name" },
	{ COURSE_OF_ACTION, "name" },
	{ GROUPING, "context,object_refs" },
	{ IDENTITY, "name" },
	{ INCIDENT, "name" },
	{ INDICATOR, "pattern,pattern_type,valid_from" },
	{ INFRASTRUCTURE, "name" },
	{ INTRUSION_SET, "name" },
	{ LOCATION, NULL },
	{ MALWARE, "is_family" },
	{ MALWARE_ANALYSIS, "product" },
	{ NOTE, "content,object_refs" },
	{ OBSERVED_DATA, "first_observed,last_observed,number_observed" },
	{ OPINION, "opinion,object_refs" },
	{ REPORT, "name,published,object_refs" },
	{ THREAT_ACTOR, "name" },
	{ TOOL, "name" },
	{ VULNERABILITY, "name" },
	{ RELATIONSHIP, "relationship_type,source_ref,target_ref" },
	{ SIGHTING, "sighting_of_ref" },
	{ LANGUAGE_CONTENT, "object_ref,contents" },
	{ MARKING_DEF, "spec_version,created" },
	{ TLP_WHITE, NULL },
	{ EXT_DEF, "created_by_ref,modified,name,schema,version,"
	    "extension_types" },
	{ BUNDLE, "id" },
};

static void
test_minimal_objects_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(minimal) / sizeof(minimal[0]); i++)
		clean(minimal[i].json, NULL, NULL, NULL);
}

static void
test_required_properties(void **state)
{
	const char *d;
	char key[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(minimal) / sizeof(minimal[0]); i++) {
		d = minimal[i].required;
		while (d != NULL && next_key(&d, key, sizeof(key)))
			fires(minimal[i].json, NULL, key, "required-property",
			    CYBEX_SEV_ERROR);
	}
}

/* ---- table wiring: vocabularies, kinds, references ---- */

static void
test_vocab_values(void **state)
{
	static const char *const names[] = {
		"account-type-ov", "attack-motivation-ov",
		"attack-resource-level-ov", "grouping-context-ov",
		"hash-algorithm-ov", "identity-class-ov",
		"implementation-language-ov", "indicator-type-ov",
		"industry-sector-ov", "infrastructure-type-ov",
		"malware-result-ov", "malware-capabilities-ov",
		"malware-type-ov", "processor-architecture-ov", "region-ov",
		"report-type-ov", "threat-actor-type-ov",
		"threat-actor-role-ov",
		"threat-actor-sophistication-ov", "tool-type-ov",
		"pattern-type-ov", "encryption-algorithm-enum",
		"extension-type-enum", "network-socket-address-family-enum",
		"network-socket-type-enum", "opinion-enum",
		"windows-integrity-level-enum", "windows-pebinary-type-ov",
		"windows-registry-datatype-enum",
		"windows-service-start-type-enum", "windows-service-type-enum",
		"windows-service-status-enum",
	};
	const struct stix_vocab *vo;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (stix_vocab_find(names[i]) == NULL)
			fail_msg("vocabulary %s missing", names[i]);
	for (vo = stix_vocabs; vo->name != NULL; vo++)
		n++;
	assert_int_equal(n, sizeof(names) / sizeof(names[0]));
	assert_null(stix_vocab_find("no-such-ov"));
	assert_null(stix_vocab_find(NULL));

	vo = stix_vocab_find("region-ov");
	assert_true(stix_vocab_has(vo, "south-eastern-asia"));
	assert_true(stix_vocab_has(vo, "central-america"));
	assert_false(stix_vocab_has(vo, "central-america northern-america"));
	vo = stix_vocab_find("implementation-language-ov");
	assert_true(stix_vocab_has(vo, "c#"));
	assert_true(stix_vocab_has(vo, "c++"));
	assert_true(stix_vocab_has(stix_vocab_find("encryption-algorithm-enum"),
	    "ChaCha20-Poly1305"));
	assert_true(stix_vocab_has(stix_vocab_find("hash-algorithm-ov"),
	    "SHA3-256"));
	/* Exact and case-sensitive. */
	assert_false(stix_vocab_has(stix_vocab_find("hash-algorithm-ov"),
	    "sha-256"));
	assert_false(stix_vocab_has(stix_vocab_find("opinion-enum"), ""));
	assert_false(stix_vocab_has(NULL, "agree"));
	assert_false(stix_vocab_has(stix_vocab_find("opinion-enum"), NULL));
}

static void
check_table(const struct stix_type *t, const struct stix_prop *p)
{
	for (; p != NULL && p->name != NULL; p++) {
		if ((p->kind == SK_OPENVOCAB || p->kind == SK_ENUM) &&
		    stix_vocab_find(p->ref) == NULL)
			fail_msg("%s.%s: no vocabulary %s", t->name, p->name,
			    p->ref != NULL ? p->ref : "(null)");
		if (p->kind == SK_EMBEDDED &&
		    stix_embedded_find(p->ref) == NULL)
			fail_msg("%s.%s: no embedded type %s", t->name, p->name,
			    p->ref != NULL ? p->ref : "(null)");
		if ((p->flags & SPF_BOUNDED) && p->min > p->max)
			fail_msg("%s.%s: min > max", t->name, p->name);
		if (p->kind < SK_STRING || p->kind > SK_URL)
			fail_msg("%s.%s: bad kind", t->name, p->name);
	}
}

static void
test_tables_consistent(void **state)
{
	const struct stix_type *t;
	size_t n = 0;

	(void)state;
	for (t = stix_types_sdo; t->name != NULL; t++) {
		assert_ptr_equal(stix_type_find(t->name), t);
		check_table(t, t->props);
		n++;
	}
	assert_int_equal(n, 19 + 2 + 3 + 1);
	for (t = stix_types_sdo_embedded; t->name != NULL; t++) {
		assert_int_equal(t->cat, SC_EMBEDDED);
		check_table(t, t->props);
	}
	assert_int_equal(cybex_stix_type_category("malware-analysis"),
	    CYBEX_STIX_SDO);
	assert_int_equal(cybex_stix_type_category("sighting"), CYBEX_STIX_SRO);
	assert_int_equal(cybex_stix_type_category("extension-definition"),
	    CYBEX_STIX_META);
	assert_int_equal(cybex_stix_type_category("bundle"), CYBEX_STIX_BUNDLE);
	/* What is not a property of these types is a custom property. */
	assert_null(stix_prop_find(stix_type_find("marking-definition"),
	    "modified"));
	assert_null(stix_prop_find(stix_type_find("extension-definition"),
	    "confidence"));
	assert_non_null(stix_prop_find(stix_type_find("language-content"),
	    "object_marking_refs"));
}

static void
test_vocab_wiring(void **state)
{
	(void)state;
	fires(MALWARE, "{'malware_types':['not-a-type']}", NULL, "vocab-value",
	    CYBEX_SEV_WARNING);
	clean(MALWARE, "{'malware_types':['ransomware','worm']}", NULL,
	    "vocab-value");
	fires(OPINION, "{'opinion':'maybe'}", NULL, "enum-value",
	    CYBEX_SEV_ERROR);
	clean(OPINION, "{'opinion':'strongly-disagree'}", NULL, "enum-value");
	fires(GROUPING, "{'context':'other'}", NULL, "vocab-value",
	    CYBEX_SEV_WARNING);
	fires(THREAT_ACTOR, "{'sophistication':'godlike'}", NULL, "vocab-value",
	    CYBEX_SEV_WARNING);
	clean(THREAT_ACTOR, "{'sophistication':'strategic',"
	    "'roles':['malware-author'],'personal_motivations':['revenge']}",
	    NULL, "vocab-value");
	fires(EXT_DEF, "{'extension_types':['new-thing']}", NULL, "enum-value",
	    CYBEX_SEV_ERROR);
	fires(LOCATION, "{'region':'atlantis'}", NULL, "vocab-value",
	    CYBEX_SEV_WARNING);
}

static void
test_deprecated_and_lists(void **state)
{
	(void)state;
	fires(OBSERVED_DATA, "{'objects':{'0':{'type':'ipv4-addr',"
	    "'value':'198.51.100.1'}}}", "object_refs", "deprecated-property",
	    CYBEX_SEV_WARNING);
	fires(CAMPAIGN, "{'aliases':[]}", NULL, "empty-list", CYBEX_SEV_ERROR);
	fires(MALWARE, "{'is_family':'yes'}", NULL, "property-type",
	    CYBEX_SEV_ERROR);
	fires(INDICATOR, "{'kill_chain_phases':[{'kill_chain_name':'x'}]}",
	    NULL, "required-property", CYBEX_SEV_ERROR);
}

/* ---- references ---- */

static void
test_reference_targets(void **state)
{
	(void)state;
	fires_at(MALWARE, "{'sample_refs':['ipv4-addr--" U2 "']}", NULL,
	    "reference-target-type", "/sample_refs/0");
	clean(MALWARE, "{'sample_refs':['file--" U2 "','artifact--" U3 "'],"
	    "'operating_system_refs':['software--" U4 "']}", NULL, NULL);
	fires_at(MALWARE_ANALYSIS, "{'host_vm_ref':'file--" U2 "'}", NULL,
	    "reference-target-type", "/host_vm_ref");
	fires_at(MALWARE_ANALYSIS, "{'sample_ref':'indicator--" U2 "'}", NULL,
	    "reference-target-type", "/sample_ref");
	clean(MALWARE_ANALYSIS, "{'sample_ref':'network-traffic--" U2 "'}",
	    NULL, NULL);
	fires_at(MALWARE_ANALYSIS, "{'analysis_sco_refs':[" IND_REF "]}", NULL,
	    "reference-target-type", "/analysis_sco_refs/0");
	fires_at(SIGHTING, "{'sighting_of_ref':'relationship--" U2 "'}", NULL,
	    "reference-target-type", "/sighting_of_ref");
	fires_at(SIGHTING, "{'where_sighted_refs':[" IND_REF "]}", NULL,
	    "reference-target-type", "/where_sighted_refs/0");
	fires_at(SIGHTING, "{'observed_data_refs':[" IND_REF "]}", NULL,
	    "reference-target-type", "/observed_data_refs/0");
	clean(SIGHTING, "{'where_sighted_refs':['identity--" U2 "','location--"
	    U3 "'],'observed_data_refs':['observed-data--" U4 "']}", NULL,
	    NULL);
	fires_at(RELATIONSHIP, "{'source_ref':'marking-definition--" U2 "'}",
	    NULL, "reference-target-type", "/source_ref");
	fires_at(RELATIONSHIP, "{'target_ref':'bundle--" U2 "'}", NULL,
	    "reference-target-type", "/target_ref");
	fires_at(RELATIONSHIP, "{'target_ref':'sighting--" U2 "'}", NULL,
	    "reference-target-type", "/target_ref");
	fires_at(RELATIONSHIP, "{'source_ref':'language-content--" U2 "'}",
	    NULL, "reference-target-type", "/source_ref");
	clean(RELATIONSHIP, "{'relationship_type':'resolves-to',"
	    "'source_ref':'domain-name--" U2 "','target_ref':'x-custom--" U3
	    "'}", NULL, NULL);
	fires_at(OBSERVED_DATA, "{'object_refs':['ipv4-addr--" U2 "'," IND_REF
	    "]}", NULL, "reference-target-type", "/object_refs/1");
	clean(OBSERVED_DATA, "{'object_refs':['ipv4-addr--" U2 "',"
	    "'relationship--" U3 "']}", NULL, NULL);
	fires_at(REPORT, "{'object_refs':['bundle--" U2 "']}", NULL,
	    "reference-target-type", "/object_refs/0");
	clean(REPORT, "{'object_refs':[" IND_REF ",'" TLP_WHITE_ID "',"
	    "'ipv4-addr--" U3 "','relationship--" U4 "']}", NULL, NULL);
	fires_at(LANGUAGE_CONTENT, "{'object_ref':'language-content--" U2 "'}",
	    NULL, "reference-target-type", "/object_ref");
	fires_at(EXT_DEF, "{'created_by_ref':" IND_REF "}", NULL,
	    "reference-target-type", "/created_by_ref");
	fires_at(MARKING_DEF, "{'object_marking_refs':[" IND_REF "]}", NULL,
	    "reference-target-type", "/object_marking_refs/0");
}

/* ---- time order ---- */

static void
test_valid_until_after_valid_from(void **state)
{
	(void)state;
	fires(INDICATOR, "{'valid_until':'" T0 "'}", NULL,
	    "valid-until-before-valid-from", CYBEX_SEV_ERROR);
	fires_at(INDICATOR, "{'valid_until':'2019-01-01T00:00:00Z'}", NULL,
	    "valid-until-before-valid-from", "/valid_until");
	clean(INDICATOR, "{'valid_until':'2020-01-01T00:00:00.001Z'}", NULL,
	    "valid-until-before-valid-from");
}

static void
test_pattern_checked(void **state)
{
	struct tu_diags ds;
	size_t i;

	(void)state;
	clean(INDICATOR, NULL, NULL, "pattern-syntax");
	fires_at(INDICATOR, "{'pattern':'[ipv4-addr:value = `198.51.100.1`'}",
	    NULL, "pattern-syntax", "/pattern");
	fires(INDICATOR, "{'pattern':'[x-custom:a = 1]'}", NULL,
	    "pattern-custom-type", CYBEX_SEV_WARNING);
	fires(INDICATOR, "{'pattern':'[custom:a = 1]'}", NULL,
	    "pattern-unknown-type", CYBEX_SEV_WARNING);
	fires(INDICATOR, "{'pattern':'[file:size IN (1, `x`)]'}", NULL,
	    "pattern-set-types", CYBEX_SEV_ERROR);
	clean(INDICATOR, "{'pattern_type':'yara','pattern':'rule x "
	    "{ condition: true }'}", NULL, "pattern-syntax");
	/* The message gives the 1-based column in the pattern. */
	(void)run(INDICATOR, "{'pattern':'[file:size = ]'}", NULL, 0, &ds);
	for (i = 0; i < ds.n; i++)
		if (ds.d[i].rule != NULL &&
		    strcmp(ds.d[i].rule, "pattern-syntax") == 0)
			break;
	assert_true(i < ds.n);
	assert_non_null(strstr(ds.d[i].message, "at column 14 of the "
	    "pattern: expected"));
}

static void
test_last_seen_after_first_seen(void **state)
{
	static const char *const types[] = {
		CAMPAIGN, INFRASTRUCTURE, INTRUSION_SET, MALWARE, THREAT_ACTOR,
		SIGHTING,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		fires(types[i], "{'first_seen':'" T1 "','last_seen':'" T0 "'}",
		    NULL, "last-seen-before-first-seen", CYBEX_SEV_ERROR);
		clean(types[i], "{'first_seen':'" T0 "','last_seen':'" T0 "'}",
		    NULL, "last-seen-before-first-seen");
		clean(types[i], "{'first_seen':'" T0 "','last_seen':'" T1 "'}",
		    NULL, "last-seen-before-first-seen");
	}
}

static void
test_relationship_times(void **state)
{
	(void)state;
	fires(RELATIONSHIP, "{'start_time':'" T0 "','stop_time':'" T0 "'}",
	    NULL, "relationship-stop-before-start", CYBEX_SEV_ERROR);
	fires_at(RELATIONSHIP, "{'start_time':'" T1 "','stop_time':'" T0 "'}",
	    NULL, "relationship-stop-before-start", "/stop_time");
	clean(RELATIONSHIP, "{'start_time':'" T0 "','stop_time':'" T1 "'}",
	    NULL, "relationship-stop-before-start");
}

/* ---- malware, malware-analysis ---- */

static void
test_malware_family_needs_name(void **state)
{
	(void)state;
	fires(MALWARE, NULL, "name", "malware-family-needs-name",
	    CYBEX_SEV_ERROR);
	clean(MALWARE, "{'is_family':false}", "name",
	    "malware-family-needs-name");
	clean(MALWARE, NULL, NULL, "malware-family-needs-name");
}

static void
test_malware_analysis_needs_result(void **state)
{
	(void)state;
	fires(MALWARE_ANALYSIS, NULL, "result", "malware-analysis-needs-result",
	    CYBEX_SEV_ERROR);
	clean(MALWARE_ANALYSIS, "{'analysis_sco_refs':['file--" U2 "']}",
	    "result", "malware-analysis-needs-result");
	clean(MALWARE_ANALYSIS, NULL, NULL, "malware-analysis-needs-result");
}

/* ---- observed-data ---- */

static void
test_observed_data(void **state)
{
	(void)state;
	fires_at(OBSERVED_DATA, "{'last_observed':'2019-12-31T23:59:59Z'}",
	    NULL, "observed-data-last-before-first", "/last_observed");
	clean(OBSERVED_DATA, "{'last_observed':'" T0 "'}", NULL,
	    "observed-data-last-before-first");

	fires(OBSERVED_DATA, "{'number_observed':0}", NULL, "value-range",
	    CYBEX_SEV_ERROR);
	fires(OBSERVED_DATA, "{'number_observed':1000000000}", NULL,
	    "value-range", CYBEX_SEV_ERROR);
	clean(OBSERVED_DATA, "{'number_observed':999999999}", NULL,
	    "value-range");

	fires(OBSERVED_DATA, "{'objects':{'0':{'type':'ipv4-addr',"
	    "'value':'198.51.100.1'}}}", NULL, "observed-data-objects-and-refs",
	    CYBEX_SEV_ERROR);
	fires(OBSERVED_DATA, NULL, "object_refs", "observed-data-needs-objects",
	    CYBEX_SEV_ERROR);
	fires(OBSERVED_DATA, "{'object_refs':['relationship--" U2 "']}", NULL,
	    "observed-data-needs-sco", CYBEX_SEV_ERROR);
	clean(OBSERVED_DATA, "{'object_refs':['relationship--" U2 "',"
	    "'file--" U3 "']}", NULL, "observed-data-needs-sco");
	/* A custom type may be a custom SCO. */
	clean(OBSERVED_DATA, "{'object_refs':['x-thing--" U2 "']}", NULL,
	    "observed-data-needs-sco");

	fires_at(OBSERVED_DATA, "{'objects':{'0':{'type':'indicator'}}}",
	    "object_refs", "observed-data-object-not-sco", "/objects/0");
	fires_at(OBSERVED_DATA, "{'objects':{'0':{'value':'x'}}}",
	    "object_refs", "observed-data-object-not-sco", "/objects/0");
	fires(OBSERVED_DATA, "{'objects':{'0':'file'}}", "object_refs",
	    "observed-data-object-not-sco", CYBEX_SEV_ERROR);
	{
		struct tu_diags ds;

		/* Deprecated, so a warning, but valid. */
		assert_int_equal(run(OBSERVED_DATA, "{'objects':{'0':{"
		    "'type':'ipv4-addr','value':'198.51.100.1'},'1':{"
		    "'type':'x-custom','x':1}}}", "object_refs", 0, &ds), 0);
		assert_false(tu_has_rule(&ds, "observed-data-object-not-sco",
		    -1));
	}
}

/* ---- location ---- */

static void
test_location(void **state)
{
	(void)state;
	fires(LOCATION, "{'latitude':48.8}", NULL,
	    "location-latitude-longitude", CYBEX_SEV_ERROR);
	fires(LOCATION, "{'longitude':2.3}", NULL,
	    "location-latitude-longitude", CYBEX_SEV_ERROR);
	clean(LOCATION, "{'latitude':48.8,'longitude':2.3}", "region",
	    "location-latitude-longitude");

	fires_at(LOCATION, "{'precision':10.0}", NULL,
	    "location-precision-needs-coordinates", "/precision");
	fires(LOCATION, "{'precision':10.0,'latitude':1.0}", NULL,
	    "location-precision-needs-coordinates", CYBEX_SEV_ERROR);
	clean(LOCATION, "{'precision':10,'latitude':-33.9,'longitude':18.4}",
	    NULL, "location-precision-needs-coordinates");

	fires(LOCATION, "{'precision':-1.5,'latitude':1,'longitude':1}", NULL,
	    "location-precision-negative", CYBEX_SEV_ERROR);
	clean(LOCATION, "{'precision':0,'latitude':1,'longitude':1}", NULL,
	    "location-precision-negative");

	fires(LOCATION, "{'city':'Paris'}", "region", "location-needs-place",
	    CYBEX_SEV_ERROR);
	fires(LOCATION, "{'latitude':1.0}", "region", "location-needs-place",
	    CYBEX_SEV_ERROR);
	clean(LOCATION, "{'country':'FR','city':'Paris'}", "region",
	    "location-needs-place");

	fires_at(LOCATION, "{'latitude':90.5,'longitude':0}", NULL,
	    "value-range", "/latitude");
	fires_at(LOCATION, "{'latitude':0,'longitude':-180.01}", NULL,
	    "value-range", "/longitude");
	clean(LOCATION, "{'latitude':-90,'longitude':180}", NULL,
	    "value-range");

	fires_at(LOCATION, "{'country':'France'}", NULL,
	    "location-country-code", "/country");
	fires(LOCATION, "{'country':'F1'}", NULL, "location-country-code",
	    CYBEX_SEV_WARNING);
	clean(LOCATION, "{'country':'FR'}", NULL, "location-country-code");
	/* Lower case is fine: the specification's own example has "th". */
	clean(LOCATION, "{'country':'th'}", NULL, "location-country-code");
}

/* ---- relationship, sighting ---- */

static void
test_relationship_type(void **state)
{
	(void)state;
	fires_at(RELATIONSHIP, "{'relationship_type':'Indicates'}", NULL,
	    "relationship-type-format", "/relationship_type");
	fires(RELATIONSHIP, "{'relationship_type':'related_to'}", NULL,
	    "relationship-type-format", CYBEX_SEV_ERROR);
	fires(RELATIONSHIP, "{'relationship_type':''}", NULL,
	    "relationship-type-format", CYBEX_SEV_ERROR);
	clean(RELATIONSHIP, "{'relationship_type':'x-delivered-by-2'}", NULL,
	    "relationship-type-format");

	fires(RELATIONSHIP, "{'relationship_type':'duplicate-of'}", NULL,
	    "relationship-same-type", CYBEX_SEV_WARNING);
	fires(RELATIONSHIP, "{'relationship_type':'derived-from'}", NULL,
	    "relationship-same-type", CYBEX_SEV_WARNING);
	clean(RELATIONSHIP, "{'relationship_type':'derived-from',"
	    "'target_ref':'indicator--" U3 "'}", NULL,
	    "relationship-same-type");
	clean(RELATIONSHIP, "{'relationship_type':'related-to'}", NULL,
	    "relationship-same-type");
}

static void
test_sighting_count(void **state)
{
	(void)state;
	fires_at(SIGHTING, "{'count':-1}", NULL, "value-range", "/count");
	fires(SIGHTING, "{'count':1000000000}", NULL, "value-range",
	    CYBEX_SEV_ERROR);
	clean(SIGHTING, "{'count':0,'summary':true}", NULL, "value-range");
	clean(SIGHTING, "{'count':999999999}", NULL, "value-range");
}

/* ---- language-content ---- */

static void
test_language_content(void **state)
{
	(void)state;
	fires_at(LANGUAGE_CONTENT, "{'contents':{'not a tag!':{'name':'x'}}}",
	    NULL, "language-content-key", "/contents/not a tag!");
	fires(LANGUAGE_CONTENT, "{'contents':{'123':{'name':'x'}}}", NULL,
	    "language-content-key", CYBEX_SEV_ERROR);
	clean(LANGUAGE_CONTENT, "{'contents':{'de':{'name':'x'},"
	    "'fr-CA':{'name':'y','aliases':['z']},"
	    "'zh-Hans':{'description':'w'}}}", NULL, "language-content-key");

	fires_at(LANGUAGE_CONTENT, "{'contents':{'de':'Bankangriff'}}", NULL,
	    "language-content-value", "/contents/de");
	fires_at(LANGUAGE_CONTENT, "{'contents':{'de':{'name':42}}}", NULL,
	    "language-content-value", "/contents/de/name");
	fires(LANGUAGE_CONTENT, "{'contents':{'de':{}}}", NULL,
	    "language-content-value", CYBEX_SEV_ERROR);
	clean(LANGUAGE_CONTENT, "{'contents':{'de':{'name':'x',"
	    "'kill_chain_phases':[{'kill_chain_name':'','phase_name':'y'}],"
	    "'x_extra':{'a':'b'}}}}", NULL, "language-content-value");

	fires_at(LANGUAGE_CONTENT, "{'contents':{'de':{'Name':'x'}}}", NULL,
	    "language-content-property", "/contents/de/Name");
	clean(LANGUAGE_CONTENT, NULL, NULL, "language-content-property");

	fires_at(LANGUAGE_CONTENT, "{'lang':'en'}", NULL,
	    "language-content-lang", "/lang");
	fires(LANGUAGE_CONTENT, "{'lang':'en'}", NULL, "language-content-lang",
	    CYBEX_SEV_WARNING);
	clean(LANGUAGE_CONTENT, "{'object_modified':'" T0 "'}", NULL,
	    "language-content-lang");
}

/* ---- marking-definition ---- */

static void
test_marking_definition(void **state)
{
	(void)state;
	fires(MARKING_DEF, NULL, "definition_type,definition",
	    "marking-definition-needs-definition", CYBEX_SEV_ERROR);
	/* Since 2.1 an extension may define the marking instead. */
	clean(MARKING_DEF, "{'name':'TLP:AMBER','id':'marking-definition--"
	    "55d920b0-5e8b-4f79-9ee9-91f868d9b421','created':"
	    "'2022-10-01T00:00:00.000Z','extensions':{"
	    "'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d':{"
	    "'extension_type':'property-extension','tlp_2_0':'amber'}}}",
	    "definition_type,definition",
	    "marking-definition-needs-definition");
	/* TLP 2.0 markings are the five predefined objects, exactly. */
	fires(MARKING_DEF, "{'name':'TLP:AMBER','extensions':{"
	    "'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d':{"
	    "'extension_type':'property-extension','tlp_2_0':'amber'}}}",
	    "definition_type,definition", "tlp-marking-nonstandard",
	    CYBEX_SEV_ERROR);
	fires(MARKING_DEF, "{'name':'TLP:PURPLE','extensions':{"
	    "'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d':{"
	    "'extension_type':'property-extension','tlp_2_0':'purple'}}}",
	    "definition_type,definition", "tlp-marking-value",
	    CYBEX_SEV_ERROR);
	fires(MARKING_DEF, "{'id':'marking-definition--e828b379-4e03-4974-"
	    "9ac4-e53a884c97c1'}", NULL, "tlp-marking-nonstandard",
	    CYBEX_SEV_ERROR);

	fires(MARKING_DEF, NULL, "definition", "marking-definition-incomplete",
	    CYBEX_SEV_ERROR);
	fires(MARKING_DEF, NULL, "definition_type",
	    "marking-definition-incomplete", CYBEX_SEV_ERROR);
	clean(MARKING_DEF, NULL, NULL, "marking-definition-incomplete");

	/* The statement definition type needs its statement. */
	fires_at(MARKING_DEF, "{'definition':{'text':'x'}}", NULL,
	    "required-property", "/definition");

	fires_at(MARKING_DEF, "{'definition_type':'acs'}", NULL,
	    "marking-definition-type-unknown", "/definition_type");
	clean(MARKING_DEF, NULL, NULL, "marking-definition-type-unknown");

	fires_at(MARKING_DEF, "{'object_marking_refs':['marking-definition--"
	    U1 "']}", NULL, "marking-circular-ref", "/object_marking_refs/0");
	fires_at(MARKING_DEF, "{'granular_markings':[{'marking_ref':"
	    "'marking-definition--" U1 "','selectors':['name']}],"
	    "'name':'m'}", NULL, "marking-circular-ref",
	    "/granular_markings/0/marking_ref");
	clean(MARKING_DEF, "{'object_marking_refs':['" TLP_WHITE_ID "']}",
	    NULL, "marking-circular-ref");
}

static void
test_tlp_marking(void **state)
{
	(void)state;
	clean(TLP_WHITE, NULL, NULL, "tlp-marking-nonstandard");
	fires_at(TLP_WHITE, "{'definition':{'tlp':'purple'}}", NULL,
	    "tlp-marking-value", "/definition/tlp");
	fires_at(TLP_WHITE, "{'id':'marking-definition--" U1 "'}", NULL,
	    "tlp-marking-nonstandard", "/id");
	fires_at(TLP_WHITE, "{'name':'TLP:CLEAR'}", NULL,
	    "tlp-marking-nonstandard", "/name");
	fires_at(TLP_WHITE, "{'created':'2020-01-20T00:00:00.000Z'}", NULL,
	    "tlp-marking-nonstandard", "/created");
	fires_at(TLP_WHITE, "{'definition':{'tlp':'red'}}", NULL,
	    "tlp-marking-nonstandard", "/id");
	fires_at(TLP_WHITE, "{'definition':{}}", NULL, "required-property",
	    "/definition");
	fires_at(TLP_WHITE, "{'definition_type':'statement',"
	    "'definition':{'statement':'white'}}", NULL,
	    "tlp-marking-nonstandard", "/id");
	/* Older TLP objects have no name; that is allowed. */
	clean(TLP_WHITE, NULL, "name", "tlp-marking-nonstandard");
	clean("{'type':'marking-definition','spec_version':'2.1','id':"
	    "'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',"
	    "'created':'2017-01-20T00:00:00.000Z','name':'TLP:RED',"
	    "'definition_type':'tlp','definition':{'tlp':'red'}}", NULL, NULL,
	    "tlp-marking-nonstandard");
}

/* ---- extension-definition ---- */

static void
test_extension_definition(void **state)
{
	(void)state;
	fires_at(EXT_DEF, "{'extension_properties':['x_acme_score']}", NULL,
	    "extension-properties-without-toplevel", "/extension_properties");
	clean(EXT_DEF, "{'extension_types':['property-extension',"
	    "'toplevel-property-extension'],"
	    "'extension_properties':['x_acme_score']}", NULL,
	    "extension-properties-without-toplevel");

	fires_at(EXT_DEF, "{'extension_types':['toplevel-property-extension'],"
	    "'extension_properties':['ok_name','Bad-Name']}", NULL,
	    "extension-property-name", "/extension_properties/1");
	clean(EXT_DEF, "{'extension_types':['toplevel-property-extension'],"
	    "'extension_properties':['acme_score']}", NULL,
	    "extension-property-name");
}

/* ---- embedded types ---- */

static void
test_kill_chain_phase(void **state)
{
	(void)state;
	fires_at(ATTACK_PATTERN, "{'kill_chain_phases':[{'kill_chain_name':"
	    "'Lockheed Martin','phase_name':'reconnaissance'}]}", NULL,
	    "kill-chain-phase-format", "/kill_chain_phases/0/kill_chain_name");
	fires_at(ATTACK_PATTERN, "{'kill_chain_phases':[{'kill_chain_name':"
	    "'mitre-attack','phase_name':'initial_access'}]}", NULL,
	    "kill-chain-phase-format", "/kill_chain_phases/0/phase_name");
	fires(TOOL, "{'kill_chain_phases':[{'kill_chain_name':'a',"
	    "'phase_name':'Recon'}]}", NULL, "kill-chain-phase-format",
	    CYBEX_SEV_WARNING);
	clean(ATTACK_PATTERN, "{'kill_chain_phases':[{'kill_chain_name':"
	    "'lockheed-martin-cyber-kill-chain','phase_name':"
	    "'reconnaissance'}]}", NULL, "kill-chain-phase-format");
}

static void
test_external_reference(void **state)
{
	(void)state;
	fires_at(VULNERABILITY, "{'external_references':[{'source_name':"
	    "'acme'}]}", NULL, "external-reference-needs-detail",
	    "/external_references/0");
	clean(VULNERABILITY, "{'external_references':["
	    "{'source_name':'a','url':'https://example.com/x'},"
	    "{'source_name':'b','description':'d'},"
	    "{'source_name':'c','external_id':'X-1'}]}", NULL,
	    "external-reference-needs-detail");

	fires_at(VULNERABILITY, "{'external_references':[{'source_name':'cve',"
	    "'external_id':'CVE-2020-123'}]}", NULL,
	    "external-reference-cve-id", "/external_references/0/external_id");
	fires(VULNERABILITY, "{'external_references':[{'source_name':'cve',"
	    "'external_id':'CVE-2020-01234'}]}", NULL,
	    "external-reference-cve-id", CYBEX_SEV_ERROR);
	fires(VULNERABILITY, "{'external_references':[{'source_name':'cve',"
	    "'url':'https://cve.org'}]}", NULL, "external-reference-cve-id",
	    CYBEX_SEV_ERROR);
	clean(VULNERABILITY, "{'external_references':["
	    "{'source_name':'cve','external_id':'CVE-2020-0601'},"
	    "{'source_name':'cve','external_id':'CVE-2021-44228'}]}", NULL,
	    "external-reference-cve-id");

	/*
	 * Section 4.19: "When specifying a CVE ID, the source_name property
	 * of the external reference MUST be set to cve"; 4.1 likewise for
	 * CAPEC ids and capec.
	 */
	fires_at(VULNERABILITY, "{'external_references':[{'source_name':"
	    "'a','url':'https://a.example/'},{'source_name':'CVE',"
	    "'external_id':'CVE-2020-0601'}]}", NULL,
	    "external-reference-cve-source",
	    "/external_references/1/source_name");
	fires(VULNERABILITY, "{'external_references':[{'source_name':'nvd',"
	    "'external_id':'cve-2020-0601'}]}", NULL,
	    "external-reference-cve-source", CYBEX_SEV_ERROR);
	clean(VULNERABILITY, "{'external_references':[{'source_name':'nvd',"
	    "'external_id':'NVD-CWE-Other'},{'source_name':'cve',"
	    "'external_id':'CVE-2020-0601'}]}", NULL,
	    "external-reference-cve-source");
	fires_at(ATTACK_PATTERN, "{'external_references':[{'source_name':"
	    "'CAPEC','external_id':'CAPEC-163'}]}", NULL,
	    "external-reference-capec-source",
	    "/external_references/0/source_name");
	clean(ATTACK_PATTERN, "{'external_references':[{'source_name':"
	    "'mitre-attack','external_id':'T1566'}]}", NULL,
	    "external-reference-capec-source");
	/* The specification says it of those two types only. */
	clean(TOOL, "{'external_references':[{'source_name':'nvd',"
	    "'external_id':'CVE-2020-0601'}]}", NULL,
	    "external-reference-cve-source");

	fires_at(ATTACK_PATTERN, "{'external_references':[{'source_name':"
	    "'capec','external_id':'CAPEC-'}]}", NULL,
	    "external-reference-capec-id",
	    "/external_references/0/external_id");
	fires(ATTACK_PATTERN, "{'external_references':[{'source_name':'capec',"
	    "'external_id':'capec-163'}]}", NULL, "external-reference-capec-id",
	    CYBEX_SEV_ERROR);
	clean(ATTACK_PATTERN, "{'external_references':[{'source_name':"
	    "'capec','external_id':'CAPEC-163'}]}", NULL,
	    "external-reference-capec-id");

	fires_at(ATTACK_PATTERN, "{'external_references':[{'source_name':'a',"
	    "'url':'not a url'}]}", NULL, "url-format",
	    "/external_references/0/url");
}

static void
test_granular_marking(void **state)
{
	(void)state;
	fires_at(CAMPAIGN, "{'granular_markings':[{'lang':'en','marking_ref':"
	    "'" TLP_WHITE_ID "','selectors':['name']}]}", NULL,
	    "granular-marking-lang-xor-ref", "/granular_markings/0");
	fires(CAMPAIGN, "{'granular_markings':[{'selectors':['name']}]}", NULL,
	    "granular-marking-lang-xor-ref", CYBEX_SEV_ERROR);
	clean(CAMPAIGN, "{'granular_markings':[{'marking_ref':'" TLP_WHITE_ID
	    "','selectors':['name']},{'lang':'de','selectors':['name']}]}",
	    NULL, "granular-marking-lang-xor-ref");
	fires_at(CAMPAIGN, "{'granular_markings':[{'marking_ref':" IND_REF ","
	    "'selectors':['name']}]}", NULL, "reference-target-type",
	    "/granular_markings/0/marking_ref");
}

/* ---- the JSON schema repository's examples ---- */

static void
validate_tree(const char *dir, unsigned *count)
{
	struct tu_diags ds;
	struct dirent *de;
	struct stat st;
	char path[1024], *text;
	size_t n;
	DIR *d;
	int r;

	if ((d = opendir(dir)) == NULL)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			validate_tree(path, count);
			continue;
		}
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		if ((text = tu_read_file(path, NULL)) == NULL)
			fail_msg("cannot read %s", path);
		r = tu_validate(text, 0, &ds);
		if (r != 0 || ds.errors != 0) {
			tu_dump(&ds);
			fail_msg("%s: %u errors", path, ds.errors);
		}
		free(text);
		(*count)++;
	}
	closedir(d);
}

static void
test_schema_examples_valid(void **state)
{
	char *dir = tu_conformance_path("stix21/json-schemas/examples");
	unsigned count = 0;

	(void)state;
	validate_tree(dir, &count);
	assert_true(count >= 8);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_objects_valid),
		cmocka_unit_test(test_required_properties),
		cmocka_unit_test(test_vocab_values),
		cmocka_unit_test(test_tables_consistent),
		cmocka_unit_test(test_vocab_wiring),
		cmocka_unit_test(test_deprecated_and_lists),
		cmocka_unit_test(test_reference_targets),
		cmocka_unit_test(test_valid_until_after_valid_from),
		cmocka_unit_test(test_pattern_checked),
		cmocka_unit_test(test_last_seen_after_first_seen),
		cmocka_unit_test(test_relationship_times),
		cmocka_unit_test(test_malware_family_needs_name),
		cmocka_unit_test(test_malware_analysis_needs_result),
		cmocka_unit_test(test_observed_data),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_relationship_type),
		cmocka_unit_test(test_sighting_count),
		cmocka_unit_test(test_language_content),
		cmocka_unit_test(test_marking_definition),
		cmocka_unit_test(test_tlp_marking),
		cmocka_unit_test(test_extension_definition),
		cmocka_unit_test(test_kill_chain_phase),
		cmocka_unit_test(test_external_reference),
		cmocka_unit_test(test_granular_marking),
		cmocka_unit_test(test_schema_examples_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
