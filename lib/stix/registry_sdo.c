/*
 * Registry of the STIX 2.1 domain objects (SDOs), relationship objects
 * (SROs), meta objects (language-content, marking-definition,
 * extension-definition), the bundle, and the embedded types they use
 * (kill-chain-phase, external-reference, granular-marking and the two
 * marking definition types).
 *
 * Each table declares what the engine checks property by property; each
 * check function holds the rules of the specification that span
 * properties.  Rule names are stable: they are what users filter on and
 * what tests assert.  Errors are MUST violations, warnings SHOULD ones.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "stix_int.h"
#include "pattern/pattern_int.h"

/* Largest count or number_observed a sighting or observed-data may hold. */
#define STIX_COUNT_MAX	999999999

/* Targets of report, grouping, note and opinion object_refs. */
#define ANY_OBJECT	"@sdo|@sro|@sco|@meta"

/* ---- shared rule helpers ---- */

static bool
has(const json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

static bool
str_is(const json_t *obj, const char *key, const char *value)
{
	const char *s = v_str(obj, key);

	return s != NULL && strcmp(s, value) == 0;
}

/* The type part of an identifier string, or false when s is not one. */
static bool
id_type(const char *s, char *type, size_t typesz)
{
	return s != NULL && stix_is_identifier(s, type, typesz);
}

/* Category of a type name; 0 for types the registry does not know. */
static enum stix_cat
cat_of(const char *type)
{
	const struct stix_type *t = stix_type_find(type);

	return t != NULL ? t->cat : 0;
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* At least one digit, only digits, from s up to the end. */
static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!is_digit((unsigned char)*s))
			return false;
	return true;
}

/* "CVE-YYYY-NNNN...": four or more digits, no leading zero past four. */
static bool
is_cve_id(const char *s)
{
	size_t i, n;

	if (strncmp(s, "CVE-", 4) != 0)
		return false;
	s += 4;
	for (i = 0; i < 4; i++)
		if (!is_digit((unsigned char)s[i]))
			return false;
	if (s[4] != '-')
		return false;
	s += 5;
	n = strlen(s);
	if (n < 4 || !all_digits(s))
		return false;
	return n == 4 || s[0] != '0';
}

static bool
is_capec_id(const char *s)
{
	return strncmp(s, "CAPEC-", 6) == 0 && all_digits(s + 6);
}

/* Case-insensitive prefix, then a digit: "CVE-2020-...", "capec-1". */
static bool
names_id(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s != NULL && strncasecmp(s, prefix, n) == 0 &&
	    is_digit((unsigned char)s[n]);
}

/*
 * Sections 4.1 and 4.19, external_references of Attack Pattern and
 * Vulnerability: "When specifying a CAPEC ID [CVE ID], the source_name
 * property of the external reference MUST be set to capec [cve] and the
 * external_id property MUST be formatted as CAPEC-[id] [be the exact CVE
 * identifier]."  An external_id naming a CAPEC or CVE id under another
 * source_name ("CVE", "nvd") breaks the first half; the second half is
 * external-reference-{capec,cve}-id.  The specification states the rule
 * for these two types only.
 *
 * The next external reference from *i on whose external_id names a
 * prefix id under a source_name other than source, or NULL; *i is its
 * index, and sub its JSON pointer relative to the object.
 */
static const json_t *
wrong_source(const json_t *obj, size_t *i, const char *prefix,
    const char *source, char *sub, size_t subsz)
{
	const json_t *refs = json_object_get(obj, "external_references"), *e;
	const char *sn;

	for (; json_is_array(refs) && *i < json_array_size(refs); (*i)++) {
		e = json_array_get(refs, *i);
		sn = v_str(e, "source_name");
		if (sn == NULL || strcmp(sn, source) == 0 ||
		    !names_id(v_str(e, "external_id"), prefix))
			continue;
		snprintf(sub, subsz, "external_references/%zu/source_name", *i);
		return e;
	}
	return NULL;
}

static void
check_attack_pattern(struct vctx *v, const json_t *obj)
{
	const json_t *e;
	char sub[64];
	size_t i;

	for (i = 0; (e = wrong_source(obj, &i, "CAPEC-", "capec", sub,
	    sizeof(sub))) != NULL; i++)
		v_err(v, "external-reference-capec-source", sub, "external_id "
		    "'%s' is a CAPEC id: source_name must be 'capec', not "
		    "'%s'", v_str(e, "external_id"), v_str(e, "source_name"));
}

static void
check_vulnerability(struct vctx *v, const json_t *obj)
{
	const json_t *e;
	char sub[64];
	size_t i;

	for (i = 0; (e = wrong_source(obj, &i, "CVE-", "cve", sub,
	    sizeof(sub))) != NULL; i++)
		v_err(v, "external-reference-cve-source", sub, "external_id "
		    "'%s' is a CVE id: source_name must be 'cve', not '%s'",
		    v_str(e, "external_id"), v_str(e, "source_name"));
}

static void
check_seen(struct vctx *v, const json_t *obj)
{
	v_time_order(v, obj, "first_seen", "last_seen", false,
	    "last-seen-before-first-seen");
}

/* ---- SDOs ---- */

static const struct stix_prop attack_pattern_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop campaign_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "objective", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop course_of_action_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop grouping_props[] = {
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "context", SK_OPENVOCAB, SPF_REQUIRED, "grouping-context-ov", 0, 0 },
	{ "object_refs", SK_IDENTIFIER, SPF_REQUIRED | SPF_LIST, ANY_OBJECT,
	    0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop identity_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "roles", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "identity_class", SK_OPENVOCAB, 0, "identity-class-ov", 0, 0 },
	{ "sectors", SK_OPENVOCAB, SPF_LIST, "industry-sector-ov", 0, 0 },
	{ "contact_information", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop incident_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop indicator_props[] = {
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "indicator_types", SK_OPENVOCAB, SPF_LIST, "indicator-type-ov",
	    0, 0 },
	{ "pattern", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "pattern_type", SK_OPENVOCAB, SPF_REQUIRED, "pattern-type-ov", 0, 0 },
	{ "pattern_version", SK_STRING, 0, NULL, 0, 0 },
	{ "valid_from", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "valid_until", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_indicator(struct vctx *v, const json_t *obj)
{
	v_time_order(v, obj, "valid_from", "valid_until", true,
	    "valid-until-before-valid-from");
	stix_pattern_validate(v, obj);
	/* Section 4.7: name and description SHOULD be present. */
	if (!has(obj, "name") || !has(obj, "description"))
		v_warn(v, "indicator-name-description", NULL, "an indicator "
		    "should have both 'name' and 'description'");
}

static const struct stix_prop infrastructure_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "infrastructure_types", SK_OPENVOCAB, SPF_LIST,
	    "infrastructure-type-ov", 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop intrusion_set_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "goals", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "resource_level", SK_OPENVOCAB, 0, "attack-resource-level-ov", 0, 0 },
	{ "primary_motivation", SK_OPENVOCAB, 0, "attack-motivation-ov", 0, 0 },
	{ "secondary_motivations", SK_OPENVOCAB, SPF_LIST,
	    "attack-motivation-ov", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop location_props[] = {
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "latitude", SK_FLOAT, SPF_BOUNDED, NULL, -90, 90 },
	{ "longitude", SK_FLOAT, SPF_BOUNDED, NULL, -180, 180 },
	{ "precision", SK_FLOAT, 0, NULL, 0, 0 },
	{ "region", SK_OPENVOCAB, 0, "region-ov", 0, 0 },
	{ "country", SK_STRING, 0, NULL, 0, 0 },
	{ "administrative_area", SK_STRING, 0, NULL, 0, 0 },
	{ "city", SK_STRING, 0, NULL, 0, 0 },
	{ "street_address", SK_STRING, 0, NULL, 0, 0 },
	{ "postal_code", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/* The officially assigned ISO 3166-1 alpha-2 codes (249). */
static const char iso3166_alpha2[] =
	    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBR"
	    "BSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZ"
	    "ECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGW"
	    "GYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKY"
	    "KZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMV"
	    "MWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPY"
	    "QARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTG"
	    "THTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZM"
	    "ZW";

/* An assigned ISO 3166-1 alpha-2 code, in either case. */
static bool
is_country_code(const char *cc)
{
	size_t i;

	if (strlen(cc) != 2 || !is_alpha(cc[0]) || !is_alpha(cc[1]))
		return false;
	for (i = 0; iso3166_alpha2[i] != '\0'; i += 2)
		if (iso3166_alpha2[i] == (cc[0] & ~0x20) &&
		    iso3166_alpha2[i + 1] == (cc[1] & ~0x20))
			return true;
	return false;
}

static void
check_location(struct vctx *v, const json_t *obj)
{
	const json_t *prec = json_object_get(obj, "precision");
	bool lat = has(obj, "latitude"), lon = has(obj, "longitude");
	const char *cc = v_str(obj, "country");

	if (lat && !lon)
		v_err(v, "location-latitude-longitude", NULL, "'latitude' "
		    "requires 'longitude'");
	else if (lon && !lat)
		v_err(v, "location-latitude-longitude", NULL, "'longitude' "
		    "requires 'latitude'");
	if (prec != NULL && (!lat || !lon))
		v_err(v, "location-precision-needs-coordinates", "precision",
		    "'precision' requires both 'latitude' and 'longitude'");
	/* A distance in meters; the engine checked that it is a number. */
	if (json_is_number(prec) && json_number_value(prec) < 0)
		v_err(v, "location-precision-negative", "precision",
		    "'precision' is a distance in meters and must not be "
		    "negative");
	if (!has(obj, "region") && !has(obj, "country") && !(lat && lon))
		v_err(v, "location-needs-place", NULL, "a location must have "
		    "'region', 'country', or 'latitude' and 'longitude'");
	/*
	 * Section 4.10: country "SHOULD contain a valid ISO 3166-1 ALPHA-2
	 * Code".  Either case: the specification's own example is "th".
	 */
	if (cc != NULL && !is_country_code(cc))
		v_warn(v, "location-country-code", "country", "country '%s' "
		    "should be an ISO 3166-1 alpha-2 code (\"DE\", \"th\")",
		    cc);
}

static const struct stix_prop malware_props[] = {
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "malware_types", SK_OPENVOCAB, SPF_LIST, "malware-type-ov", 0, 0 },
	{ "is_family", SK_BOOLEAN, SPF_REQUIRED, NULL, 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "operating_system_refs", SK_IDENTIFIER, SPF_LIST, "software", 0, 0 },
	{ "architecture_execution_envs", SK_OPENVOCAB, SPF_LIST,
	    "processor-architecture-ov", 0, 0 },
	{ "implementation_languages", SK_OPENVOCAB, SPF_LIST,
	    "implementation-language-ov", 0, 0 },
	{ "capabilities", SK_OPENVOCAB, SPF_LIST, "malware-capabilities-ov",
	    0, 0 },
	{ "sample_refs", SK_IDENTIFIER, SPF_LIST, "file|artifact", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_malware(struct vctx *v, const json_t *obj)
{
	if (json_is_true(json_object_get(obj, "is_family")) &&
	    !has(obj, "name"))
		v_err(v, "malware-family-needs-name", NULL, "a malware family "
		    "('is_family' true) must have a 'name'");
	check_seen(v, obj);
}

static const struct stix_prop malware_analysis_props[] = {
	{ "product", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "version", SK_STRING, 0, NULL, 0, 0 },
	{ "host_vm_ref", SK_IDENTIFIER, 0, "software", 0, 0 },
	{ "operating_system_ref", SK_IDENTIFIER, 0, "software", 0, 0 },
	{ "installed_software_refs", SK_IDENTIFIER, SPF_LIST, "software", 0,
	    0 },
	{ "configuration_version", SK_STRING, 0, NULL, 0, 0 },
	{ "modules", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "analysis_engine_version", SK_STRING, 0, NULL, 0, 0 },
	{ "analysis_definition_version", SK_STRING, 0, NULL, 0, 0 },
	{ "submitted", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "analysis_started", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "analysis_ended", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "result_name", SK_STRING, 0, NULL, 0, 0 },
	{ "result", SK_OPENVOCAB, 0, "malware-result-ov", 0, 0 },
	{ "analysis_sco_refs", SK_IDENTIFIER, SPF_LIST, "@sco", 0, 0 },
	{ "sample_ref", SK_IDENTIFIER, 0, "file|network-traffic|artifact",
	    0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_malware_analysis(struct vctx *v, const json_t *obj)
{
	const char *c, *p;

	v_require_one(v, obj, "malware-analysis-needs-result", "result",
	    "analysis_sco_refs", (const char *)NULL);
	/*
	 * Section 4.12: product "SHOULD be all lowercase with words
	 * separated by a dash '-'".
	 */
	if ((c = v_str(obj, "product")) != NULL) {
		for (p = c; *p != '\0'; p++)
			if (!((*p >= 'a' && *p <= 'z') ||
			    is_digit((unsigned char)*p) || *p == '-'))
				break;
		if (*p != '\0' || *c == '\0')
			v_warn(v, "malware-analysis-product-format", "product",
			    "product '%s' should be lowercase words separated "
			    "by '-'", c);
	}
}

static const struct stix_prop note_props[] = {
	{ "abstract", SK_STRING, 0, NULL, 0, 0 },
	{ "content", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "authors", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "object_refs", SK_IDENTIFIER, SPF_REQUIRED | SPF_LIST, ANY_OBJECT,
	    0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop observed_data_props[] = {
	{ "first_observed", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "last_observed", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "number_observed", SK_INTEGER, SPF_REQUIRED | SPF_BOUNDED, NULL,
	    1, STIX_COUNT_MAX },
	{ "objects", SK_DICT, SPF_DEPRECATED, NULL, 0, 0 },
	{ "object_refs", SK_IDENTIFIER, SPF_LIST, "@sco|@sro", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/*
 * The deprecated "objects" dictionary holds SCOs in the STIX 2.0 style
 * (references are dictionary keys, no ids), so its members are not
 * validated as 2.1 SCOs; only that each one is an SCO.
 */
static void
check_observed_objects(struct vctx *v, const json_t *objs)
{
	const char *key, *type;
	enum stix_cat cat;
	json_t *o;
	size_t saved;

	saved = v_push(v, "objects");
	json_object_foreach((json_t *)objs, key, o) {
		/*
		 * The deprecated dictionary, as STIX 2.0 defined it: its keys
		 * are non-negative integers ("0", "1", ...) as strings.
		 */
		if (key[strspn(key, "0123456789")] != '\0' || *key == '\0')
			v_warn(v, "observed-data-object-key", key, "'objects' "
			    "key '%s' should be a non-negative integer", key);
		type = json_is_object(o) ? v_str(o, "type") : NULL;
		cat = type != NULL ? cat_of(type) : 0;
		if (type == NULL || !stix_is_type_name(type))
			v_err(v, "observed-data-object-not-sco", key,
			    "'objects' member '%s' must be a cyber-observable "
			    "object with a valid 'type'", key);
		else if (cat != 0 && cat != SC_SCO)
			v_err(v, "observed-data-object-not-sco", key,
			    "'objects' member '%s' is a '%s', not a "
			    "cyber-observable object", key, type);
	}
	v_pop(v, saved);
}

static void
check_observed_data(struct vctx *v, const json_t *obj)
{
	const json_t *objs = json_object_get(obj, "objects");
	const json_t *refs = json_object_get(obj, "object_refs"), *r;
	char type[256];
	bool any_id = false, any_sco = false;
	enum stix_cat cat;
	size_t i;

	v_time_order(v, obj, "first_observed", "last_observed", false,
	    "observed-data-last-before-first");
	if (objs != NULL && refs != NULL)
		v_err(v, "observed-data-objects-and-refs", NULL, "'objects' "
		    "and 'object_refs' must not both be present");
	else if (objs == NULL && refs == NULL)
		v_err(v, "observed-data-needs-objects", NULL, "observed-data "
		    "must have 'object_refs' (or the deprecated 'objects')");
	if (json_is_object(objs))
		check_observed_objects(v, objs);
	/* Custom types could be SCOs: only known non-SCOs do not count. */
	json_array_foreach(refs, i, r) {
		if (!id_type(json_string_value(r), type, sizeof(type)))
			continue;
		any_id = true;
		cat = cat_of(type);
		if (cat == 0 || cat == SC_SCO)
			any_sco = true;
	}
	if (any_id && !any_sco)
		v_err(v, "observed-data-needs-sco", "object_refs",
		    "'object_refs' must refer to at least one "
		    "cyber-observable object");
}

static const struct stix_prop opinion_props[] = {
	{ "explanation", SK_STRING, 0, NULL, 0, 0 },
	{ "authors", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "opinion", SK_ENUM, SPF_REQUIRED, "opinion-enum", 0, 0 },
	{ "object_refs", SK_IDENTIFIER, SPF_REQUIRED | SPF_LIST, ANY_OBJECT,
	    0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop report_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "report_types", SK_OPENVOCAB, SPF_LIST, "report-type-ov", 0, 0 },
	{ "published", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "object_refs", SK_IDENTIFIER, SPF_REQUIRED | SPF_LIST, ANY_OBJECT,
	    0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop threat_actor_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "threat_actor_types", SK_OPENVOCAB, SPF_LIST, "threat-actor-type-ov",
	    0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "roles", SK_OPENVOCAB, SPF_LIST, "threat-actor-role-ov", 0, 0 },
	{ "goals", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "sophistication", SK_OPENVOCAB, 0, "threat-actor-sophistication-ov",
	    0, 0 },
	{ "resource_level", SK_OPENVOCAB, 0, "attack-resource-level-ov", 0, 0 },
	{ "primary_motivation", SK_OPENVOCAB, 0, "attack-motivation-ov", 0, 0 },
	{ "secondary_motivations", SK_OPENVOCAB, SPF_LIST,
	    "attack-motivation-ov", 0, 0 },
	{ "personal_motivations", SK_OPENVOCAB, SPF_LIST,
	    "attack-motivation-ov", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop tool_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "tool_types", SK_OPENVOCAB, SPF_LIST, "tool-type-ov", 0, 0 },
	{ "aliases", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "kill_chain_phases", SK_EMBEDDED, SPF_LIST, "kill-chain-phase", 0,
	    0 },
	{ "tool_version", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop vulnerability_props[] = {
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/* ---- SROs ---- */

static const struct stix_prop relationship_props[] = {
	{ "relationship_type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "source_ref", SK_IDENTIFIER, SPF_REQUIRED, "@sdo|@sco", 0, 0 },
	{ "target_ref", SK_IDENTIFIER, SPF_REQUIRED, "@sdo|@sco", 0, 0 },
	{ "start_time", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "stop_time", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/*
 * The relationships the specification defines for each SDO (the
 * "Relationships" table of every SDO in section 4, summarized in its
 * appendix): "source relationship_type target target ...".  Section 5.1:
 * other relationship types and pairs are permitted ("SHOULD" use these).
 */
static const char *const suggested_relationships[] = {
	"attack-pattern delivers malware",
	"attack-pattern targets identity location vulnerability",
	"attack-pattern uses malware tool",
	"campaign attributed-to intrusion-set threat-actor",
	"campaign compromises infrastructure",
	"campaign originates-from location",
	"campaign targets identity location vulnerability",
	"campaign uses attack-pattern infrastructure malware tool",
	"course-of-action investigates indicator",
	"course-of-action mitigates attack-pattern indicator malware tool "
	    "vulnerability",
	"course-of-action remediates malware vulnerability",
	"domain-name resolves-to domain-name ipv4-addr ipv6-addr",
	"identity located-at location",
	"indicator indicates attack-pattern campaign infrastructure "
	    "intrusion-set malware threat-actor tool",
	"indicator based-on observed-data",
	"infrastructure communicates-with infrastructure ipv4-addr ipv6-addr "
	    "domain-name url",
	"infrastructure consists-of infrastructure observed-data artifact "
	    "autonomous-system directory domain-name email-addr email-message "
	    "file ipv4-addr ipv6-addr mac-addr mutex network-traffic process "
	    "software url user-account windows-registry-key x509-certificate",
	"infrastructure controls infrastructure malware",
	"infrastructure delivers malware",
	"infrastructure has vulnerability",
	"infrastructure hosts tool malware",
	"infrastructure located-at location",
	"infrastructure uses infrastructure",
	"intrusion-set attributed-to threat-actor",
	"intrusion-set compromises infrastructure",
	"intrusion-set hosts infrastructure",
	"intrusion-set originates-from location",
	"intrusion-set owns infrastructure",
	"intrusion-set targets identity location vulnerability",
	"intrusion-set uses attack-pattern infrastructure malware tool",
	"ipv4-addr resolves-to mac-addr",
	"ipv4-addr belongs-to autonomous-system",
	"ipv6-addr resolves-to mac-addr",
	"ipv6-addr belongs-to autonomous-system",
	"malware authored-by threat-actor intrusion-set",
	"malware beacons-to infrastructure",
	"malware exfiltrates-to infrastructure",
	"malware communicates-with ipv4-addr ipv6-addr domain-name url",
	"malware controls malware",
	"malware downloads malware file tool",
	"malware drops malware file tool",
	"malware exploits vulnerability",
	"malware originates-from location",
	"malware targets identity infrastructure location vulnerability",
	"malware uses attack-pattern infrastructure malware tool",
	"malware variant-of malware",
	"malware-analysis characterizes malware",
	"malware-analysis analysis-of malware",
	"malware-analysis static-analysis-of malware",
	"malware-analysis dynamic-analysis-of malware",
	"threat-actor attributed-to identity",
	"threat-actor compromises infrastructure",
	"threat-actor hosts infrastructure",
	"threat-actor owns infrastructure",
	"threat-actor impersonates identity",
	"threat-actor located-at location",
	"threat-actor targets identity location vulnerability",
	"threat-actor uses attack-pattern infrastructure malware tool",
	"tool delivers malware",
	"tool drops malware",
	"tool uses infrastructure",
	"tool has vulnerability",
	"tool targets identity infrastructure location vulnerability",
	"vulnerability impacts infrastructure",
	NULL,
};

/* Is word w (length n) one of the space-separated words of list? */
static bool
has_word(const char *list, const char *w, size_t n)
{
	const char *p = list;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' ||
		    p[n] == '\0'))
			return true;
		p++;
	}
	return false;
}

/*
 * relationship-type-suggested: the source, the type and the target of a
 * relationship between SDOs should be one the specification lists.  The
 * common types (section 5.1: derived-from, duplicate-of, related-to) link
 * any objects; a source or target that is not an SDO or SCO of the
 * specification (a custom object, a meta object) is not judged.
 */
static void
check_suggested_relationship(struct vctx *v, const char *rt,
    const char *st, const char *tt)
{
	const char *const *r;
	const struct stix_type *a = stix_type_find(st);
	const struct stix_type *b = stix_type_find(tt);
	size_t sl = strlen(st), rl = strlen(rt);
	bool src = false, type = false;

	if (strcmp(rt, "derived-from") == 0 || strcmp(rt, "duplicate-of") == 0
	    || strcmp(rt, "related-to") == 0)
		return;
	if (a == NULL || b == NULL || (a->cat != SC_SDO && a->cat != SC_SCO) ||
	    (b->cat != SC_SDO && b->cat != SC_SCO))
		return;
	for (r = suggested_relationships; *r != NULL; r++) {
		if (strncmp(*r, st, sl) != 0 || (*r)[sl] != ' ')
			continue;
		src = true;
		if (strncmp(*r + sl + 1, rt, rl) != 0 || (*r)[sl + 1 + rl] != ' ')
			continue;
		type = true;
		if (has_word(*r + sl + rl + 2, tt, strlen(tt)))
			return;
	}
	if (!src)
		v_warn(v, "relationship-type-suggested", "source_ref", "'%s' "
		    "is not a source the specification suggests for a '%s' "
		    "relationship (section 5.1: permitted, not suggested)", st,
		    rt);
	else if (!type)
		v_warn(v, "relationship-type-suggested", "relationship_type",
		    "'%s' is not a relationship the specification suggests "
		    "for '%s' objects (section 5.1)", rt, st);
	else
		v_warn(v, "relationship-type-suggested", "target_ref", "'%s' "
		    "is not a target the specification suggests for '%s' "
		    "'%s' (section 5.1)", tt, st, rt);
}

static void
check_relationship(struct vctx *v, const json_t *obj)
{
	const char *rt = v_str(obj, "relationship_type"), *c;
	char st[256], tt[256];

	v_time_order(v, obj, "start_time", "stop_time", true,
	    "relationship-stop-before-start");
	if (rt == NULL)
		return;
	for (c = rt; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || is_digit((unsigned char)*c) ||
		    *c == '-'))
			break;
	if (*c != '\0' || *rt == '\0')
		v_err(v, "relationship-type-format", "relationship_type",
		    "relationship_type '%s' must hold only a-z, 0-9 and '-'",
		    rt);
	/* The common relationships of this kind link objects of one type. */
	if ((strcmp(rt, "derived-from") == 0 ||
	    strcmp(rt, "duplicate-of") == 0) &&
	    id_type(v_str(obj, "source_ref"), st, sizeof(st)) &&
	    id_type(v_str(obj, "target_ref"), tt, sizeof(tt)) &&
	    strcmp(st, tt) != 0)
		v_warn(v, "relationship-same-type", "target_ref", "a '%s' "
		    "relationship should link objects of the same type, not "
		    "'%s' and '%s'", rt, st, tt);
	if (id_type(v_str(obj, "source_ref"), st, sizeof(st)) &&
	    id_type(v_str(obj, "target_ref"), tt, sizeof(tt)))
		check_suggested_relationship(v, rt, st, tt);
}

static const struct stix_prop sighting_props[] = {
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "first_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "last_seen", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "count", SK_INTEGER, SPF_BOUNDED, NULL, 0, STIX_COUNT_MAX },
	{ "sighting_of_ref", SK_IDENTIFIER, SPF_REQUIRED, "@sdo", 0, 0 },
	{ "observed_data_refs", SK_IDENTIFIER, SPF_LIST, "observed-data", 0,
	    0 },
	{ "where_sighted_refs", SK_IDENTIFIER, SPF_LIST, "identity|location",
	    0, 0 },
	{ "summary", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/* ---- meta objects ---- */

static const struct stix_prop language_content_props[] = {
	{ "object_ref", SK_IDENTIFIER, SPF_REQUIRED,
	    "@sdo|@sro|@sco|marking-definition|extension-definition", 0, 0 },
	{ "object_modified", SK_TIMESTAMP, 0, NULL, 0, 0 },
	{ "contents", SK_DICT, SPF_REQUIRED, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/*
 * contents: language tag -> { property name -> translated value }.  A
 * translated value mirrors the original: a string, a list, or an object
 * for embedded objects.
 */
static void
check_language_content(struct vctx *v, const json_t *obj)
{
	const json_t *contents = json_object_get(obj, "contents");
	const char *tag, *prop;
	json_t *tr, *val;
	size_t saved, s2;

	if (has(obj, "lang"))
		v_warn(v, "language-content-lang", "lang", "'lang' does not "
		    "apply to language-content; the languages are the keys "
		    "of 'contents'");
	if (!json_is_object(contents))
		return;
	saved = v_push(v, "contents");
	json_object_foreach((json_t *)contents, tag, tr) {
		s2 = v_push(v, tag);
		if (!stix_is_lang_tag(tag))
			v_err(v, "language-content-key", NULL, "'contents' key "
			    "'%s' must be an RFC 5646 language tag", tag);
		if (!json_is_object(tr)) {
			v_err(v, "language-content-value", NULL, "translation "
			    "'%s' must be a dictionary of property names to "
			    "translated values", tag);
			v_pop(v, s2);
			continue;
		}
		if (json_object_size(tr) == 0)
			v_err(v, "language-content-value", NULL, "translation "
			    "'%s' must not be empty", tag);
		json_object_foreach(tr, prop, val) {
			if (!stix_is_prop_name(prop))
				v_err(v, "language-content-property", prop,
				    "'%s' is not a STIX property name", prop);
			else if (!json_is_string(val) && !json_is_array(val) &&
			    !json_is_object(val))
				v_err(v, "language-content-value", prop,
				    "translated value of '%s' must be a "
				    "string, a list or an object", prop);
		}
		v_pop(v, s2);
	}
	v_pop(v, saved);
}

/*
 * marking-definition has its own set of common properties: it is never
 * versioned (no modified, revoked) and has no labels, confidence or lang.
 */
static const struct stix_prop marking_definition_props[] = {
	{ "type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "spec_version", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "id", SK_IDENTIFIER, SPF_REQUIRED, NULL, 0, 0 },
	{ "created_by_ref", SK_IDENTIFIER, 0, "identity", 0, 0 },
	{ "created", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "external_references", SK_EMBEDDED, SPF_LIST, "external-reference",
	    0, 0 },
	{ "object_marking_refs", SK_IDENTIFIER, SPF_LIST, "marking-definition",
	    0, 0 },
	{ "granular_markings", SK_EMBEDDED, SPF_LIST, "granular-marking", 0,
	    0 },
	{ "extensions", SK_EXTENSIONS, 0, NULL, 0, 0 },
	{ "name", SK_STRING, 0, NULL, 0, 0 },
	{ "definition_type", SK_STRING, 0, NULL, 0, 0 },
	{ "definition", SK_OBJECT, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/* The only TLP marking definitions there may be (STIX 2.1, 7.2.1.4). */
static const struct {
	const char	*tlp;
	const char	*id;
	const char	*name;
} tlp_markings[] = {
	{ "white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	    "TLP:WHITE" },
	{ "green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	    "TLP:GREEN" },
	{ "amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	    "TLP:AMBER" },
	{ "red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
	    "TLP:RED" },
};
#define TLP_CREATED	"2017-01-20T00:00:00.000Z"

static void
check_tlp_marking(struct vctx *v, const json_t *obj, const json_t *def)
{
	const char *tlp = v_str(def, "tlp"), *id, *name;
	struct cybex_time want, got;
	size_t i, n = sizeof(tlp_markings) / sizeof(tlp_markings[0]);

	if (tlp == NULL)
		return;		/* reported by the definition's table */
	for (i = 0; i < n; i++)
		if (strcmp(tlp_markings[i].tlp, tlp) == 0)
			break;
	if (i == n) {
		v_err(v, "tlp-marking-value", "definition/tlp", "TLP level "
		    "'%s' must be one of white, green, amber, red", tlp);
		return;
	}
	id = v_str(obj, "id");
	if (id != NULL && strcasecmp(id, tlp_markings[i].id) != 0)
		v_err(v, "tlp-marking-nonstandard", "id", "TLP:%s markings "
		    "must use the predefined id '%s'", tlp, tlp_markings[i].id);
	name = v_str(obj, "name");
	if (name != NULL && strcmp(name, tlp_markings[i].name) != 0)
		v_err(v, "tlp-marking-nonstandard", "name", "the predefined "
		    "TLP marking is named '%s'", tlp_markings[i].name);
	if (v_time(obj, "created", &got) &&
	    cybex_time_parse(TLP_CREATED, strlen(TLP_CREATED),
	    CYBEX_TIME_UTC_Z, &want, NULL) == 0 &&
	    cybex_time_cmp(&got, &want) != 0)
		v_err(v, "tlp-marking-nonstandard", "created", "the predefined "
		    "TLP markings were created at %s", TLP_CREATED);
}

static void
check_marking_definition(struct vctx *v, const json_t *obj)
{
	const char *dt = v_str(obj, "definition_type"), *id = v_str(obj, "id");
	const json_t *def = json_object_get(obj, "definition");
	const json_t *l, *e;
	char sub[64];
	size_t i, saved;

	if (!has(obj, "definition_type") && def == NULL) {
		if (!has(obj, "extensions"))
			v_err(v, "marking-definition-needs-definition", NULL,
			    "a marking definition must have 'definition_type' "
			    "and 'definition', or 'extensions'");
	} else if (!has(obj, "definition_type") || def == NULL) {
		v_err(v, "marking-definition-incomplete", NULL, "'definition' "
		    "and 'definition_type' must be present together");
	}
	if (dt != NULL && json_is_object(def)) {
		saved = v_push(v, "definition");
		if (strcmp(dt, "statement") == 0)
			v_embedded(v, def, "statement-marking");
		else if (strcmp(dt, "tlp") == 0)
			v_embedded(v, def, "tlp-marking");
		v_pop(v, saved);
		if (strcmp(dt, "tlp") == 0)
			check_tlp_marking(v, obj, def);
	}
	if (dt != NULL && strcmp(dt, "statement") != 0 &&
	    strcmp(dt, "tlp") != 0)
		v_warn(v, "marking-definition-type-unknown", "definition_type",
		    "definition_type '%s' should be 'statement' or 'tlp'", dt);
	if (id == NULL)
		return;
	/* The predefined TLP ids name TLP markings and nothing else. */
	for (i = 0; i < sizeof(tlp_markings) / sizeof(tlp_markings[0]); i++)
		if (strcasecmp(id, tlp_markings[i].id) == 0 &&
		    (dt == NULL || strcmp(dt, "tlp") != 0))
			v_err(v, "tlp-marking-nonstandard", "id", "'%s' is the "
			    "predefined %s marking; its definition_type must "
			    "be 'tlp'", id, tlp_markings[i].name);
	/* A marking definition must not mark itself. */
	json_array_foreach(json_object_get(obj, "object_marking_refs"), i, l) {
		if (json_is_string(l) &&
		    strcmp(json_string_value(l), id) == 0) {
			snprintf(sub, sizeof(sub), "object_marking_refs/%zu",
			    i);
			v_err(v, "marking-circular-ref", sub, "a marking "
			    "definition must not refer to itself");
		}
	}
	json_array_foreach(json_object_get(obj, "granular_markings"), i, e) {
		if (str_is(e, "marking_ref", id)) {
			snprintf(sub, sizeof(sub),
			    "granular_markings/%zu/marking_ref", i);
			v_err(v, "marking-circular-ref", sub, "a marking "
			    "definition must not refer to itself");
		}
	}
}

/* Extension definitions have no confidence, lang or extensions. */
static const struct stix_prop extension_definition_props[] = {
	{ "type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "spec_version", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "id", SK_IDENTIFIER, SPF_REQUIRED, NULL, 0, 0 },
	{ "created_by_ref", SK_IDENTIFIER, SPF_REQUIRED, "identity", 0, 0 },
	{ "created", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "modified", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "revoked", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "labels", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "external_references", SK_EMBEDDED, SPF_LIST, "external-reference",
	    0, 0 },
	{ "object_marking_refs", SK_IDENTIFIER, SPF_LIST, "marking-definition",
	    0, 0 },
	{ "granular_markings", SK_EMBEDDED, SPF_LIST, "granular-marking", 0,
	    0 },
	{ "name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "schema", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "version", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "extension_types", SK_ENUM, SPF_REQUIRED | SPF_LIST,
	    "extension-type-enum", 0, 0 },
	{ "extension_properties", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_extension_definition(struct vctx *v, const json_t *obj)
{
	const json_t *props = json_object_get(obj, "extension_properties");
	const json_t *e;
	bool toplevel = false;
	char sub[48];
	size_t i;

	json_array_foreach(json_object_get(obj, "extension_types"), i, e)
		if (json_is_string(e) && strcmp(json_string_value(e),
		    "toplevel-property-extension") == 0)
			toplevel = true;
	/* Section 7.3: description "SHOULD be populated". */
	if (!has(obj, "description"))
		v_warn(v, "extension-definition-description", NULL, "an "
		    "extension-definition should have a 'description'");
	/*
	 * Section 7.3: for a toplevel-property-extension,
	 * extension_properties "SHOULD include one or more property names".
	 */
	if (toplevel && props == NULL)
		v_warn(v, "extension-toplevel-properties", NULL, "a "
		    "toplevel-property-extension should list its properties "
		    "in 'extension_properties'");
	if (props == NULL)
		return;
	if (!toplevel)
		v_err(v, "extension-properties-without-toplevel",
		    "extension_properties", "'extension_properties' may only "
		    "be used when 'extension_types' has "
		    "'toplevel-property-extension'");
	json_array_foreach(props, i, e) {
		if (!json_is_string(e) ||
		    stix_is_prop_name(json_string_value(e)))
			continue;
		snprintf(sub, sizeof(sub), "extension_properties/%zu", i);
		v_err(v, "extension-property-name", sub, "'%s' is not a valid "
		    "property name (3 to 250 of a-z, 0-9 and '_')",
		    json_string_value(e));
	}
}

/* "objects" is validated element by element by the engine. */
static const struct stix_prop bundle_props[] = {
	{ "type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "id", SK_IDENTIFIER, SPF_REQUIRED, NULL, 0, 0 },
	{ "objects", SK_OBJECT, SPF_LIST, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

#define SDO(n, p, c)	\
	{ (n), SC_SDO, stix_common_sdo, (p), (c), NULL, NULL }
#define SRO(n, p, c)	\
	{ (n), SC_SRO, stix_common_sdo, (p), (c), NULL, NULL }

const struct stix_type stix_types_sdo[] = {
	SDO("attack-pattern", attack_pattern_props, check_attack_pattern),
	SDO("campaign", campaign_props, check_seen),
	SDO("course-of-action", course_of_action_props, NULL),
	SDO("grouping", grouping_props, NULL),
	SDO("identity", identity_props, NULL),
	SDO("incident", incident_props, NULL),
	SDO("indicator", indicator_props, check_indicator),
	SDO("infrastructure", infrastructure_props, check_seen),
	SDO("intrusion-set", intrusion_set_props, check_seen),
	SDO("location", location_props, check_location),
	SDO("malware", malware_props, check_malware),
	SDO("malware-analysis", malware_analysis_props, check_malware_analysis),
	SDO("note", note_props, NULL),
	SDO("observed-data", observed_data_props, check_observed_data),
	SDO("opinion", opinion_props, NULL),
	SDO("report", report_props, NULL),
	SDO("threat-actor", threat_actor_props, check_seen),
	SDO("tool", tool_props, NULL),
	SDO("vulnerability", vulnerability_props, check_vulnerability),
	SRO("relationship", relationship_props, check_relationship),
	SRO("sighting", sighting_props, check_seen),
	{ "language-content", SC_META, stix_common_sdo, language_content_props,
	    check_language_content, NULL, NULL },
	{ "marking-definition", SC_META, NULL, marking_definition_props,
	    check_marking_definition, NULL, NULL },
	{ "extension-definition", SC_META, NULL, extension_definition_props,
	    check_extension_definition, NULL, NULL },
	{ "bundle", SC_BUNDLE, NULL, bundle_props, NULL, NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL },
};

/* ---- embedded types ---- */

static const struct stix_prop kill_chain_phase_props[] = {
	{ "kill_chain_name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "phase_name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_kill_chain_phase(struct vctx *v, const json_t *obj)
{
	static const char *const keys[] = { "kill_chain_name", "phase_name" };
	const char *s, *c;
	size_t i;

	for (i = 0; i < 2; i++) {
		if ((s = v_str(obj, keys[i])) == NULL)
			continue;
		for (c = s; *c != '\0'; c++)
			if ((*c >= 'A' && *c <= 'Z') || *c == ' ' || *c == '_')
				break;
		if (*c != '\0')
			v_warn(v, "kill-chain-phase-format", keys[i], "'%s' "
			    "should be lower case with '-' between words", s);
	}
}

static const struct stix_prop external_reference_props[] = {
	{ "source_name", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "description", SK_STRING, 0, NULL, 0, 0 },
	{ "url", SK_URL, 0, NULL, 0, 0 },
	{ "hashes", SK_HASHES, 0, NULL, 0, 0 },
	{ "external_id", SK_STRING, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_external_reference(struct vctx *v, const json_t *obj)
{
	const char *xid = v_str(obj, "external_id");

	v_require_one(v, obj, "external-reference-needs-detail",
	    "description", "url", "external_id", (const char *)NULL);
	/* Section 2.5: with a url, hashes SHOULD be present. */
	if (has(obj, "url") && !has(obj, "hashes"))
		v_warn(v, "external-reference-url-hashes", "url", "an external "
		    "reference with a 'url' should have 'hashes' of what it "
		    "points to");
	if (str_is(obj, "source_name", "cve") &&
	    (xid == NULL || !is_cve_id(xid)))
		v_err(v, "external-reference-cve-id", xid != NULL ?
		    "external_id" : NULL, "a 'cve' reference needs an "
		    "external_id of the form CVE-YYYY-NNNN");
	if (str_is(obj, "source_name", "capec") &&
	    (xid == NULL || !is_capec_id(xid)))
		v_err(v, "external-reference-capec-id", xid != NULL ?
		    "external_id" : NULL, "a 'capec' reference needs an "
		    "external_id of the form CAPEC-N");
}

static const struct stix_prop granular_marking_props[] = {
	{ "lang", SK_LANG, 0, NULL, 0, 0 },
	{ "marking_ref", SK_IDENTIFIER, 0, "marking-definition", 0, 0 },
	{ "selectors", SK_STRING, SPF_REQUIRED | SPF_LIST, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static void
check_granular_marking(struct vctx *v, const json_t *obj)
{
	bool lang = has(obj, "lang"), ref = has(obj, "marking_ref");

	if (lang == ref)
		v_err(v, "granular-marking-lang-xor-ref", NULL, "a granular "
		    "marking must have exactly one of 'lang' and "
		    "'marking_ref'");
}

static const struct stix_prop statement_marking_props[] = {
	{ "statement", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

static const struct stix_prop tlp_marking_props[] = {
	{ "tlp", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

#define EMB(n, p, c)	{ (n), SC_EMBEDDED, NULL, (p), (c), NULL, NULL }

const struct stix_type stix_types_sdo_embedded[] = {
	EMB("kill-chain-phase", kill_chain_phase_props, check_kill_chain_phase),
	EMB("external-reference", external_reference_props,
	    check_external_reference),
	EMB("granular-marking", granular_marking_props, check_granular_marking),
	EMB("statement-marking", statement_marking_props, NULL),
	EMB("tlp-marking", tlp_marking_props, NULL),
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL },
};
