/*
 * Rules every STIX object obeys whatever its type: the id matches the type,
 * spec_version, created/modified, granular marking selectors, the
 * extensions dictionary, and the rules for custom (unknown) objects.
 */
#include <stdlib.h>
#include <string.h>

#include "stix_int.h"
#include "validate_int.h"

static void check_custom_ext_name(struct vctx *, const char *);

#define EXT_DEF_PREFIX	"extension-definition--"

bool
has_toplevel_extension(const json_t *obj)
{
	const json_t *exts = json_object_get(obj, "extensions"), *e;
	const char *k, *et;

	if (!json_is_object(exts))
		return false;
	json_object_foreach((json_t *)exts, k, e) {
		et = v_str(e, "extension_type");
		if (et != NULL && strcmp(et, "toplevel-property-extension") == 0)
			return true;
	}
	return false;
}

/* Extension type of an extension-definition-based new object, or NULL. */
static const char *
new_object_extension(const json_t *obj)
{
	const json_t *exts = json_object_get(obj, "extensions"), *e;
	const char *k, *et;

	if (!json_is_object(exts))
		return NULL;
	json_object_foreach((json_t *)exts, k, e) {
		et = v_str(e, "extension_type");
		if (et != NULL && strncmp(et, "new-", 4) == 0)
			return et;
	}
	return NULL;
}

static void
check_id(struct vctx *v, const struct stix_type *t, const json_t *obj,
    const char *type)
{
	struct cybex_uuid u;
	const char *id = v_str(obj, "id");
	char expect[CYBEX_STIX_ID_MAX];
	size_t tl = strlen(type);
	int r;

	if (id == NULL || !stix_is_identifier(id, NULL, 0))
		return;		/* reported by the property pass */
	if (!v_id_is(id, type)) {
		v_err(v, "id-type-mismatch", "id", "id '%s' must start with "
		    "the object's type '%s--'", id, type);
		return;
	}
	if (cybex_uuid_parse(id + tl + 2, strlen(id + tl + 2), &u) != 0)
		return;
	if (t != NULL && t->cat == SC_SCO) {
		r = cybex_stix_sco_id(obj, expect, sizeof(expect), NULL);
		if (r == 0 && cybex_uuid_version(&u) != 5)
			v_warn(v, "id-uuid-version", "id", "the id of an SCO "
			    "with ID-contributing properties should be a "
			    "UUIDv5, not version %d (section 2.9)",
			    cybex_uuid_version(&u));
		else if (r == 0 && strcasecmp(expect, id) != 0)
			v_warn(v, "sco-id-deterministic", "id", "SCO id should "
			    "be the UUIDv5 of its ID-contributing properties: "
			    "'%s'", expect);
		else if (r == CYBEX_ENOTFOUND && cybex_uuid_version(&u) != 4)
			/*
			 * Section 2.9: "If the contributing properties are
			 * all optional, and none are present on the SCO,
			 * then a UUIDv4 MUST be used."
			 */
			v_err(v, "sco-id-uuid-v4", "id", "an SCO with none "
			    "of its ID-contributing properties must have a "
			    "UUIDv4 id, not version %d",
			    cybex_uuid_version(&u));
		return;
	}
	if (cybex_uuid_version(&u) != 4)
		v_warn(v, "id-uuid-version", "id", "the UUID of '%s' should be "
		    "version 4, not %d", id, cybex_uuid_version(&u));
}

/*
 * Section 3.2: spec_version "MUST be 2.1 for STIX Objects defined
 * according to this specification"; it is required of SDOs, SROs and
 * language-content (their property tables), optional for SCOs (default
 * 2.1).  marking-definition and extension-definition declare it required
 * in their own tables.  Without it an object is an error in a STIX 2.1
 * context: standalone, or in a bundle without "spec_version": "2.0".  In
 * a STIX 2.0 bundle (2.0 objects carried no spec_version; the bundle did)
 * it is STIX 2.0 content, checked against the 2.1 rules: a warning.  An
 * element of a bundle read as a stream cannot see the envelope (its
 * spec_version may come after "objects"), so it gets the warning too.
 */
static void
check_spec_version(struct vctx *v, const struct stix_type *t,
    const json_t *obj)
{
	const char *sv = v_str(obj, "spec_version");

	if (json_object_get(obj, "spec_version") == NULL) {
		if (t->common != stix_common_sdo)
			return;
		if (v->opts != NULL &&
		    (v->opts->flags & CYBEX_STIX_REQUIRE_21))
			v_err(v, "spec-version-missing", NULL, "%s is a STIX "
			    "2.0 object (no spec_version); only STIX 2.1 is "
			    "stored: convert it to 2.1 (\"spec_version\": "
			    "\"2.1\" and what 2.1 requires, as the 2.1 "
			    "specification's changes from 2.0 say) and import "
			    "it again", v_str(obj, "id") != NULL ?
			    v_str(obj, "id") : "the object");
		else if (v->bundle == V_BUNDLE_20)
			v_warn(v, "spec-version-missing", NULL, "no "
			    "spec_version: STIX 2.0 content (the bundle's "
			    "spec_version is 2.0), checked against the 2.1 "
			    "rules");
		else if (v->bundle == V_BUNDLE_UNKNOWN)
			v_warn(v, "spec-version-missing", NULL, "no "
			    "spec_version: required unless the bundle is STIX "
			    "2.0 (\"spec_version\": \"2.0\"); add "
			    "\"spec_version\": \"2.1\"");
		else
			v_err(v, "spec-version-missing", NULL, "required "
			    "property 'spec_version' is missing (STIX 2.1 "
			    "objects carry \"spec_version\": \"2.1\")");
		return;
	}
	if (sv != NULL && strcmp(sv, "2.1") != 0)
		v_err(v, "spec-version", "spec_version", "spec_version is "
		    "'%s'; this validator checks STIX '2.1'", sv);
}

/* created and modified: precise to the millisecond, modified >= created. */
static void
check_created_modified(struct vctx *v, const json_t *obj)
{
	static const char *const keys[] = { "created", "modified" };
	struct cybex_time tm;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (v_time(obj, keys[i], &tm) && tm.digits < 3)
			v_err(v, "timestamp-precision", keys[i], "'%s' must be "
			    "precise to the millisecond (at least 3 fractional "
			    "digits)", keys[i]);
	}
	v_time_order(v, obj, "created", "modified", false,
	    "modified-before-created");
}

/* Does a granular marking selector name something present in obj? */
static bool
selector_resolves(const json_t *obj, const char *sel)
{
	const json_t *cur = obj;
	char tok[256];
	const char *p = sel, *e;
	unsigned long idx;
	char *end;
	size_t n;

	while (*p != '\0') {
		e = strchr(p, '.');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || n >= sizeof(tok))
			return false;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (tok[0] == '[') {
			idx = strtoul(tok + 1, &end, 10);
			if (end == tok + 1 || *end != ']' || end[1] != '\0' ||
			    !json_is_array(cur) || idx >= json_array_size(cur))
				return false;
			cur = json_array_get(cur, idx);
		} else {
			if (!json_is_object(cur) ||
			    (cur = json_object_get(cur, tok)) == NULL)
				return false;
		}
		p += n;
		if (*p == '.')
			p++;
		if (*p == '\0' && e != NULL)
			return false;	/* trailing '.' */
	}
	return true;
}

static void
check_granular_markings(struct vctx *v, const json_t *obj)
{
	const json_t *gms = json_object_get(obj, "granular_markings"), *gm;
	const json_t *sels, *s;
	char sub[96];
	size_t i, j;

	if (!json_is_array(gms))
		return;
	json_array_foreach(gms, i, gm) {
		sels = json_object_get(gm, "selectors");
		if (!json_is_array(sels))
			continue;
		json_array_foreach(sels, j, s) {
			if (!json_is_string(s) ||
			    selector_resolves(obj, json_string_value(s)))
				continue;
			snprintf(sub, sizeof(sub),
			    "granular_markings/%zu/selectors/%zu", i, j);
			v_err(v, "selector-unresolved", sub, "selector '%s' "
			    "does not refer to a property or list item of this "
			    "object", json_string_value(s));
		}
	}
}

/*
 * --interop: the STIX 2.1 Interoperability Test Document's rules, as the
 * reference validator's interop schemas apply them: every SDO and SRO
 * names its creator (created_by_ref), and object_marking_refs lists each
 * marking once.
 */
static void
check_interop(struct vctx *v, const struct stix_type *t, const json_t *obj)
{
	const json_t *refs = json_object_get(obj, "object_marking_refs");
	size_t i, j;

	if (t->common == stix_common_sdo &&
	    json_object_get(obj, "created_by_ref") == NULL)
		v_err(v, "interop-created-by-ref", NULL, "an SDO or SRO must "
		    "have 'created_by_ref' (--interop)");
	for (i = 0; i < json_array_size(refs); i++)
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(refs, i),
			    json_array_get(refs, j))) {
				char sub[64];

				snprintf(sub, sizeof(sub),
				    "object_marking_refs/%zu", i);
				v_err(v, "interop-unique-markings", sub, "a "
				    "marking may be listed once in "
				    "object_marking_refs (--interop)");
				j = i;
			}
}

/*
 * sco-dictionary-key-format (the reference's observable-dictionary-keys):
 * in an SCO, dictionary keys should be lower case (section 3.1: "dictionary
 * keys ... SHOULD be lowercase"), except in the dictionaries whose keys
 * are names defined elsewhere (hash algorithms, HTTP and e-mail header
 * fields, PDF and EXIF keys, IPFIX names, socket options, environment
 * variables, registry and startup names).
 */
static void
check_sco_dict_keys(struct vctx *v, const json_t *obj, int depth)
{
	static const char *const skip[] = { "hashes", "file_header_hashes",
	    "request_header", "additional_header_fields",
	    "document_info_dict", "exif_tags", "ipfix", "options",
	    "environment_variables", "key", "startup_info", NULL };
	const char *const *sk;
	const char *k, *c;
	json_t *val;
	size_t saved;

	if (depth > 16)
		return;
	json_object_foreach((json_t *)obj, k, val) {
		for (c = k; *c != '\0' && !(*c >= 'A' && *c <= 'Z'); c++)
			continue;
		if (*c != '\0' && depth > 0)
			v_warn(v, "sco-dictionary-key-format", k, "dictionary "
			    "key '%s' should be lower case", k);
		if (!json_is_object(val))
			continue;
		for (sk = skip; *sk != NULL && strcmp(*sk, k) != 0; sk++)
			continue;
		if (*sk != NULL)
			continue;
		saved = v_push(v, k);
		check_sco_dict_keys(v, val, depth + 1);
		v_pop(v, saved);
	}
}

void
validate_common(struct vctx *v, const struct stix_type *t, const json_t *obj)
{
	const char *type = v_str(obj, "type");

	check_id(v, t, obj, type);
	if (t->cat == SC_BUNDLE) {
		if (json_object_get(obj, "spec_version") != NULL)
			v_warn(v, "bundle-spec-version", "spec_version",
			    "a STIX 2.1 bundle has no spec_version (that was "
			    "STIX 2.0)");
		return;
	}
	check_spec_version(v, t, obj);
	if (strcmp(t->name, "marking-definition") == 0)
		stix_check_tlp2(v, obj);
	if (t->common == stix_common_sdo)
		check_created_modified(v, obj);
	else
		v_time_order(v, obj, "created", "modified", false,
		    "modified-before-created");
	check_granular_markings(v, obj);
	if (t->cat == SC_SCO)
		check_sco_dict_keys(v, obj, 0);
	if (v->opts != NULL && (v->opts->flags & CYBEX_STIX_INTEROP))
		check_interop(v, t, obj);
}

static const struct stix_type *
sco_extension(const char *name, const char *type, bool *other_type)
{
	const struct stix_type *e;

	*other_type = false;
	for (e = stix_types_sco_embedded; e->name != NULL; e++) {
		if (e->cat != SC_SCO_EXT || strcmp(e->name, name) != 0)
			continue;
		if (e->applies_to != NULL && strcmp(e->applies_to, type) == 0)
			return e;
		*other_type = true;
	}
	return NULL;
}

void
validate_extensions(struct vctx *v, const struct stix_type *t,
    const json_t *obj, const json_t *exts)
{
	const struct stix_vocab *etv = stix_vocab_find("extension-type-enum");
	const struct stix_type *e;
	const char *key, *type = v_str(obj, "type"), *et;
	const json_t *val;
	size_t saved, s2;
	bool other;

	saved = v_push(v, "extensions");
	if (json_object_size(exts) == 0)
		v_err(v, "dictionary-empty", NULL, "'extensions' must not be "
		    "an empty dictionary");
	json_object_foreach((json_t *)exts, key, val) {
		s2 = v_push(v, key);
		if (!json_is_object(val)) {
			v_err(v, "property-type", NULL, "extension '%s' must be "
			    "an object", key);
			v_pop(v, s2);
			continue;
		}
		if (strncmp(key, EXT_DEF_PREFIX, strlen(EXT_DEF_PREFIX)) == 0) {
			if (!stix_is_identifier(key, NULL, 0))
				v_err(v, "extension-key", NULL, "'%s' is not a "
				    "valid extension-definition identifier", key);
			et = v_str(val, "extension_type");
			if (json_object_get(val, "extension_type") != NULL &&
			    (et == NULL || etv == NULL ||
			    !stix_vocab_has(etv, et)))
				v_err(v, "enum-value", "extension_type",
				    "extension_type must be one of "
				    "extension-type-enum");
		} else if (t != NULL && t->cat == SC_SCO &&
		    (e = sco_extension(key, type, &other)) != NULL) {
			validate_members(v, e, val, false);
			if (e->check != NULL)
				e->check(v, val);
		} else if (t != NULL && (sco_extension(key, type, &other),
		    other)) {
			v_err(v, "extension-wrong-type", NULL, "predefined "
			    "extension '%s' does not apply to '%s'", key, type);
		} else if (stix_is_type_name(key) && strlen(key) > 4 &&
		    strcmp(key + strlen(key) - 4, "-ext") == 0) {
			v_warn(v, "custom-extension", NULL, "'%s' is a STIX 2.0 "
			    "style custom extension; STIX 2.1 extensions are "
			    "keyed by an extension-definition id", key);
			/* Naming of deprecated custom extensions (11.1). */
			if (stix_check_off(v->opts != NULL ? v->opts->checks :
			    NULL, "custom-without-extension", NULL))
				check_custom_ext_name(v, key);
		} else {
			v_err(v, "extension-key", NULL, "extension key '%s' must "
			    "be an extension-definition id or a predefined "
			    "extension of '%s'", key, type);
		}
		v_pop(v, s2);
	}
	v_pop(v, saved);
}

/* A STIX 2.0 style custom extension key: "x-", a source, "-", name, "-ext". */
static void
check_custom_ext_name(struct vctx *v, const char *key)
{
	size_t n = strlen(key) - 4;	/* without "-ext" */
	const char *dash;

	if (strncmp(key, "x-", 2) != 0) {
		v_warn(v, "custom-extension-prefix", NULL, "custom extension "
		    "'%s' should start with 'x-'", key);
		return;
	}
	dash = memchr(key + 2, '-', n > 2 ? n - 2 : 0);
	if (n <= 2 || dash == NULL || dash == key + 2 || dash == key + n - 1)
		v_warn(v, "custom-extension-prefix-strict", NULL, "custom "
		    "extension '%s' should be 'x-', a source unique "
		    "identifier, '-', the name and '-ext'", key);
}

void
validate_custom_object(struct vctx *v, const json_t *obj, const char *type)
{
	/* Legacy custom objects and extension-defined new objects. */
	static const struct stix_type sdo_like = {
		"custom", SC_SDO, stix_common_sdo, NULL, NULL, NULL, NULL };
	static const struct stix_type sco_like = {
		"custom", SC_SCO, stix_common_sco, NULL, NULL, NULL, NULL };
	const char *newext = new_object_extension(obj);
	const struct stix_type *t = &sdo_like;

	if (strcmp(type, "action") == 0)
		v_err(v, "reserved-type", "type", "'action' is a reserved object "
		    "type and must not be used");
	if (newext != NULL && strcmp(newext, "new-sco") == 0)
		t = &sco_like;
	if (v->opts != NULL && (v->opts->flags & CYBEX_STIX_STRICT_TYPES)) {
		v_err(v, "custom-type-refused", "type", "'%s' is not an object "
		    "type the specification defines (--strict-types)", type);
		return;
	}
	if (newext == NULL)
		v_warn(v, "custom-without-extension", "type", "custom object "
		    "type '%s' should be defined by an extension-definition "
		    "(new-sdo, new-sco or new-sro; custom objects are "
		    "deprecated in STIX 2.1)", type);
	/* Naming of deprecated custom objects: when extensions-use is off. */
	if (stix_check_off(v->opts != NULL ? v->opts->checks : NULL,
	    "custom-without-extension", NULL)) {
		if (strncmp(type, "x-", 2) != 0)
			v_warn(v, "custom-object-prefix", "type", "custom "
			    "object type '%s' should start with 'x-'", type);
		else if (strchr(type + 2, '-') == NULL ||
		    strchr(type + 2, '-') == type + 2 ||
		    type[strlen(type) - 1] == '-')
			v_warn(v, "custom-object-prefix-strict", "type",
			    "custom object type '%s' should be 'x-', a source "
			    "unique identifier, '-' and the name", type);
	}
	/* Undeclared properties are the custom object's own. */
	v->custom_object = true;
	validate_members(v, t, obj, true);
	v->custom_object = false;
	check_id(v, NULL, obj, type);
	check_spec_version(v, t, obj);
	if (t == &sdo_like)
		check_created_modified(v, obj);
	check_granular_markings(v, obj);
}
