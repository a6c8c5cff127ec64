/*
 * The table-driven validation engine: every declared property is checked
 * from its struct stix_prop (presence, JSON type, format, bounds,
 * vocabulary, reference targets); undeclared properties are custom
 * properties; then the common rules (rules_common.c) and the type's own
 * named check run.  Problems go to the caller's callback with a JSON
 * pointer and a stable rule name; nothing here allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "stix_int.h"
#include "validate_int.h"

static bool
has_upper(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static void report(struct vctx *, int, const char *, const char *,
    const char *, va_list) CYBEX_PRINTF(5, 0);

static void
report(struct vctx *v, int sev, const char *rule, const char *sub,
    const char *fmt, va_list ap)
{
	struct cybex_diag d;
	size_t n;

	if (sev == CYBEX_SEV_WARNING && v->opts != NULL &&
	    stix_check_off(v->opts->checks, rule, v->vocab))
		return;
	if (sev == CYBEX_SEV_WARNING && v->opts != NULL &&
	    (v->opts->flags & CYBEX_STIX_STRICT))
		sev = CYBEX_SEV_ERROR;
	if (sev == CYBEX_SEV_ERROR)
		v->errors++;
	else
		v->warnings++;
	if (v->fn == NULL)
		return;
	memset(&d, 0, sizeof(d));
	d.code = CYBEX_ESTIX;
	d.severity = sev;
	d.rule = rule;
	d.line = v->line;
	d.column = v->column;
	memcpy(d.pointer, v->ptr, v->ptrlen + 1);
	if (sub != NULL && *sub != '\0') {
		n = v->ptrlen;
		snprintf(d.pointer + n, sizeof(d.pointer) - n, "/%s", sub);
	}
	vsnprintf(d.message, sizeof(d.message), fmt, ap);
	v->fn(v->ud, &d);
}

void
v_err(struct vctx *v, const char *rule, const char *sub, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(v, CYBEX_SEV_ERROR, rule, sub, fmt, ap);
	va_end(ap);
}

void
v_warn(struct vctx *v, const char *rule, const char *sub, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(v, CYBEX_SEV_WARNING, rule, sub, fmt, ap);
	va_end(ap);
}

size_t
v_push(struct vctx *v, const char *key)
{
	size_t saved = v->ptrlen;

	/* A pointer too long to hold is cut; the diag stays usable. */
	(void)cybex_json_pointer_push(v->ptr, sizeof(v->ptr), key);
	v->ptrlen = strlen(v->ptr);
	return saved;
}

size_t
v_pushi(struct vctx *v, size_t index)
{
	size_t saved = v->ptrlen;

	(void)cybex_json_pointer_pushi(v->ptr, sizeof(v->ptr), index);
	v->ptrlen = strlen(v->ptr);
	return saved;
}

void
v_pop(struct vctx *v, size_t saved)
{
	v->ptrlen = saved;
	v->ptr[saved] = '\0';
}

const char *
v_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int
v_time(const json_t *obj, const char *key, struct cybex_time *out)
{
	const json_t *s = json_object_get(obj, key);

	if (!json_is_string(s))
		return 0;
	return cybex_time_parse(json_string_value(s), json_string_length(s),
	    CYBEX_TIME_UTC_Z, out, NULL) == 0;
}

void
v_time_order(struct vctx *v, const json_t *obj, const char *a, const char *b,
    bool strictly_after, const char *rule)
{
	struct cybex_time ta, tb;
	int c;

	if (!v_time(obj, a, &ta) || !v_time(obj, b, &tb))
		return;
	c = cybex_time_cmp(&tb, &ta);
	if (c < 0 || (strictly_after && c == 0))
		v_err(v, rule, b, "'%s' (%s) must be %s '%s' (%s)", b,
		    v_str(obj, b), strictly_after ? "later than" :
		    "later than or equal to", a, v_str(obj, a));
}

void
v_require_one(struct vctx *v, const json_t *obj, const char *rule, ...)
{
	char names[256];
	const char *k;
	size_t n = 0;
	va_list ap;
	int found = 0;

	names[0] = '\0';
	va_start(ap, rule);
	while ((k = va_arg(ap, const char *)) != NULL) {
		if (json_object_get(obj, k) != NULL)
			found = 1;
		if (n < sizeof(names))
			n += (size_t)snprintf(names + n, sizeof(names) - n,
			    "%s'%s'", n ? ", " : "", k);
	}
	va_end(ap);
	if (!found)
		v_err(v, rule, NULL, "must contain at least one of %s", names);
}

bool
v_id_is(const char *id, const char *type)
{
	size_t n = strlen(type);

	return id != NULL && strncmp(id, type, n) == 0 && id[n] == '-' &&
	    id[n + 1] == '-';
}

/* ---- property values ---- */

static const char *
json_kind_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static enum stix_cat
class_of(const char *type)
{
	const struct stix_type *t = stix_type_find(type);

	return t != NULL ? t->cat : 0;
}

/*
 * Does the target type satisfy ref ("identity|location", "@sdo", "*")?
 * Classes and "*" accept unknown (custom) types.
 */
static bool
ref_allows(const char *ref, const char *type)
{
	const char *p = ref, *e;
	enum stix_cat cat = class_of(type);
	size_t n;

	if (ref == NULL)
		return true;
	while (*p != '\0') {
		e = strchr(p, '|');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 1 && *p == '*')
			return true;
		if (*p == '@') {
			if (cat == 0 ||
			    (n == 4 && memcmp(p, "@sdo", 4) == 0 &&
			    cat == SC_SDO) ||
			    (n == 4 && memcmp(p, "@sro", 4) == 0 &&
			    cat == SC_SRO) ||
			    (n == 4 && memcmp(p, "@sco", 4) == 0 &&
			    cat == SC_SCO) ||
			    (n == 5 && memcmp(p, "@meta", 5) == 0 &&
			    cat == SC_META))
				return true;
		} else if (strlen(type) == n && memcmp(p, type, n) == 0)
			return true;
		p += n;
		if (*p == '|')
			p++;
	}
	return false;
}

/* Dictionary keys: ASCII letters, digits, '_' and '-', at most 250. */
static void
check_dict_keys(struct vctx *v, const json_t *val, const char *name)
{
	const char *k, *c;
	json_t *x;

	json_object_foreach((json_t *)val, k, x) {
		(void)x;
		if (strlen(k) > 250) {
			v_err(v, "dictionary-key-format", name,
			    "dictionary key longer than 250 characters");
			continue;
		}
		for (c = k; *c != '\0'; c++) {
			if (!((*c >= 'a' && *c <= 'z') ||
			    (*c >= 'A' && *c <= 'Z') ||
			    (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
				break;
		}
		if (*c != '\0' || *k == '\0')
			v_err(v, "dictionary-key-format", name,
			    "dictionary key '%s' must hold only ASCII letters, "
			    "digits, '_' and '-'", k);
	}
}

static const struct {
	const char	*algo;
	size_t		 hexlen;
} hash_lens[] = {
	{ "MD5", 32 }, { "SHA-1", 40 }, { "SHA-256", 64 }, { "SHA-512", 128 },
	{ "SHA3-256", 64 }, { "SHA3-512", 128 },
};

/* SSDEEP and TLSH digests, per hashes-type.json (TLSH may carry "T1"). */
static bool
fuzzy_hash_ok(const char *algo, const char *s)
{
	size_t n = strlen(s), i;
	bool ssdeep = strcmp(algo, "SSDEEP") == 0;

	if (ssdeep ? (n < 1 || n > 128) :
	    !(n == 70 || (n == 72 && s[0] == 'T' && s[1] == '1')))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') ||
		    (ssdeep && strchr("/+:.", c) != NULL)))
			return false;
	}
	return true;
}

static void
check_hashes(struct vctx *v, const json_t *val, const char *name)
{
	const struct stix_vocab *vo = stix_vocab_find("hash-algorithm-ov");
	const char *k, *s;
	json_t *x;
	size_t i, saved;

	if (json_object_size(val) == 0) {
		v_err(v, "hashes-empty", name, "'%s' must hold at least one "
		    "hash", name);
		return;
	}
	check_dict_keys(v, val, name);
	saved = v_push(v, name);
	json_object_foreach((json_t *)val, k, x) {
		if (!json_is_string(x)) {
			v_err(v, "property-type", k, "hash value must be a "
			    "string, not %s", json_kind_name(x));
			continue;
		}
		s = json_string_value(x);
		for (i = 0; i < sizeof(hash_lens) / sizeof(hash_lens[0]); i++) {
			if (strcmp(k, hash_lens[i].algo) != 0)
				continue;
			if (strlen(s) != hash_lens[i].hexlen || !stix_is_hex(s))
				v_err(v, "hash-value-format", k, "%s hash must be "
				    "%zu hex digits", k, hash_lens[i].hexlen);
		}
		/* Section 2.7: a custom hash name SHOULD be 30 or fewer. */
		if (strlen(k) > 30)
			v_warn(v, "hash-algorithm-length", k, "hash algorithm "
			    "name '%s' should be at most 30 characters", k);
		if ((strcmp(k, "SSDEEP") == 0 || strcmp(k, "TLSH") == 0) &&
		    !fuzzy_hash_ok(k, s))
			v_err(v, "hash-value-format", k, "not a valid %s value",
			    k);
		if (vo != NULL && !stix_vocab_has(vo, k) &&
		    strncmp(k, "x_", 2) != 0)
			v_warn(v, "hash-algorithm-vocab", k, "hash algorithm "
			    "'%s' is not in hash-algorithm-ov", k);
	}
	v_pop(v, saved);
}

static void
check_identifier(struct vctx *v, const struct stix_prop *p, const char *name,
    const json_t *val)
{
	char type[256];
	const char *s = json_string_value(val);

	if (!stix_is_identifier(s, type, sizeof(type))) {
		v_err(v, "identifier-format", name, "'%s' is not a STIX "
		    "identifier (type--UUID)", s);
		return;
	}
	if (!ref_allows(p->ref, type))
		v_err(v, "reference-target-type", name, "'%s' must refer to "
		    "%s, not '%s'", p->name, p->ref, type);
}

static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* One value of kind p->kind (a list element or the property itself). */
static void
check_value(struct vctx *v, const struct stix_prop *p, const char *name,
    const json_t *val)
{
	const struct stix_vocab *vo;
	struct cybex_diag td;
	const char *s;
	json_int_t iv;
	double dv;
	size_t saved;

	switch (p->kind) {
	case SK_STRING:
	case SK_TIMESTAMP:
	case SK_IDENTIFIER:
	case SK_BINARY:
	case SK_HEX:
	case SK_OPENVOCAB:
	case SK_ENUM:
	case SK_LANG:
	case SK_URL:
		if (!json_is_string(val)) {
			v_err(v, "property-type", name, "'%s' must be a string, "
			    "not %s", p->name, json_kind_name(val));
			return;
		}
		break;
	case SK_INTEGER:
		if (!json_is_integer(val)) {
			v_err(v, "property-type", name, "'%s' must be an "
			    "integer, not %s", p->name, json_kind_name(val));
			return;
		}
		break;
	case SK_FLOAT:
		if (!json_is_number(val)) {
			v_err(v, "property-type", name, "'%s' must be a number, "
			    "not %s", p->name, json_kind_name(val));
			return;
		}
		break;
	case SK_BOOLEAN:
		if (!json_is_boolean(val)) {
			v_err(v, "property-type", name, "'%s' must be a "
			    "boolean, not %s", p->name, json_kind_name(val));
			return;
		}
		break;
	case SK_DICT:
	case SK_HASHES:
	case SK_EMBEDDED:
	case SK_EXTENSIONS:
	case SK_OBJECT:
		if (!json_is_object(val)) {
			v_err(v, "property-type", name, "'%s' must be an "
			    "object, not %s", p->name, json_kind_name(val));
			return;
		}
		break;
	default:
		break;
	}

	s = json_string_value(val);
	switch (p->kind) {
	case SK_STRING:
		if ((p->flags & SPF_NONEMPTY) && *s == '\0')
			v_err(v, "empty-string", name, "'%s' must not be empty",
			    p->name);
		if ((p->flags & SPF_BOUNDED) &&
		    ((int64_t)utf8_chars(s) < p->min ||
		    (int64_t)utf8_chars(s) > p->max))
			v_err(v, "string-length", name, "'%s' must be %lld to "
			    "%lld characters long", p->name, (long long)p->min,
			    (long long)p->max);
		break;
	case SK_INTEGER:
		iv = json_integer_value(val);
		if ((p->flags & SPF_BOUNDED) && (iv < p->min || iv > p->max))
			v_err(v, "value-range", name, "'%s' is %lld; it must be "
			    "between %lld and %lld", p->name, (long long)iv,
			    (long long)p->min, (long long)p->max);
		break;
	case SK_FLOAT:
		dv = json_number_value(val);
		if ((p->flags & SPF_BOUNDED) &&
		    (dv < (double)p->min || dv > (double)p->max))
			v_err(v, "value-range", name, "'%s' is %g; it must be "
			    "between %lld and %lld", p->name, dv,
			    (long long)p->min, (long long)p->max);
		break;
	case SK_TIMESTAMP:
		if (cybex_time_parse(s, json_string_length(val),
		    CYBEX_TIME_UTC_Z, &(struct cybex_time){ 0 }, &td) != 0)
			v_err(v, "timestamp-format", name, "'%s' is not a STIX "
			    "timestamp: %s", s, td.message);
		break;
	case SK_IDENTIFIER:
		check_identifier(v, p, name, val);
		break;
	case SK_BINARY:
		if (!stix_is_base64(s))
			v_err(v, "binary-format", name, "'%s' must be base64 "
			    "(RFC 4648, padded)", p->name);
		break;
	case SK_HEX:
		if (!stix_is_hex(s))
			v_err(v, "hex-format", name, "'%s' must be an even "
			    "number of hex digits", p->name);
		break;
	case SK_OPENVOCAB:
	case SK_ENUM:
		if ((vo = stix_vocab_find(p->ref)) == NULL) {
			v->internal = CYBEX_EINTERNAL;
			break;
		}
		if (p->kind == SK_OPENVOCAB && (strpbrk(s, "_ ") != NULL ||
		    has_upper(s)))
			v_warn(v, "vocab-format", name, "open vocabulary value "
			    "'%s' should be lowercase words separated by '-' "
			    "(section 10)", s);
		if (stix_vocab_has(vo, s))
			break;
		if (p->kind == SK_ENUM)
			v_err(v, "enum-value", name, "'%s' is not one of %s",
			    s, p->ref);
		else {
			v->vocab = p->ref;
			v_warn(v, "vocab-value", name, "'%s' is not in the "
			    "open vocabulary %s", s, p->ref);
			v->vocab = NULL;
		}
		break;
	case SK_LANG:
		/*
		 * Section 3.2: lang "MUST be a language code conformant
		 * to [RFC5646]"; the granular marking's likewise (7.2.3).
		 */
		if (!stix_is_lang_tag(s))
			v_err(v, "lang-format", name, "'%s' is not an RFC 5646 "
			    "language tag", s);
		break;
	case SK_URL:
		if (!stix_is_uri(s))
			v_err(v, "url-format", name, "'%s' is not a valid URL "
			    "(RFC 3986)", s);
		break;
	case SK_DICT:
		if (json_object_size(val) == 0)
			v_err(v, "dictionary-empty", name, "'%s' must not be an "
			    "empty dictionary", p->name);
		check_dict_keys(v, val, name);
		break;
	case SK_HASHES:
		check_hashes(v, val, name);
		break;
	case SK_EMBEDDED:
		saved = v_push(v, name);
		v_embedded(v, val, p->ref);
		v_pop(v, saved);
		break;
	case SK_EXTENSIONS:
		/* The common rules handle it with the object's type. */
		break;
	default:
		break;
	}
}

void
validate_prop(struct vctx *v, const struct stix_prop *p, const char *key,
    const json_t *val)
{
	char sub[24];
	size_t i, saved;

	if (p->flags & SPF_DEPRECATED)
		v_warn(v, "deprecated-property", key, "'%s' is deprecated",
		    key);
	if (!(p->flags & SPF_LIST)) {
		check_value(v, p, key, val);
		return;
	}
	if (!json_is_array(val)) {
		v_err(v, "property-type", key, "'%s' must be a list, not %s",
		    key, json_kind_name(val));
		return;
	}
	if (json_array_size(val) == 0) {
		v_err(v, "empty-list", key, "'%s' must not be an empty list",
		    key);
		return;
	}
	saved = v_push(v, key);
	for (i = 0; i < json_array_size(val); i++) {
		snprintf(sub, sizeof(sub), "%zu", i);
		check_value(v, p, sub, json_array_get(val, i));
	}
	v_pop(v, saved);
}

/* Properties of an object or embedded object against a type's tables. */
void
validate_members(struct vctx *v, const struct stix_type *t, const json_t *obj,
    bool custom_ok)
{
	const struct stix_prop *tabs[2] = { t->props, t->common };
	const struct stix_prop *p;
	const char *key;
	json_t *val;
	size_t i;

	json_object_foreach((json_t *)obj, key, val) {
		if ((p = stix_prop_find(t, key)) != NULL) {
			if (strcmp(key, "extensions") == 0 &&
			    p->kind == SK_EXTENSIONS) {
				if (json_is_object(val))
					validate_extensions(v, t, obj, val);
				else
					check_value(v, p, key, val);
				continue;
			}
			validate_prop(v, p, key, val);
			continue;
		}
		validate_custom_property(v, key, custom_ok);
	}
	for (i = 0; i < 2; i++) {
		for (p = tabs[i]; p != NULL && p->name != NULL; p++) {
			if (json_object_get(obj, p->name) != NULL)
				continue;
			if (p->flags & SPF_REQUIRED)
				v_err(v, "required-property", NULL, "required "
				    "property '%s' is missing", p->name);
			else if (p->flags & SPF_SHOULD)
				v_warn(v, "recommended-property", NULL,
				    "property '%s' should be present", p->name);
		}
	}
}

/* Names the specification reserves for future use. */
static const char *const reserved_props[] = {
	"action", "phone_numbers", "severity", "username", NULL,
};

void
validate_custom_property(struct vctx *v, const char *key, bool quiet)
{
	const char *const *r;

	for (r = reserved_props; *r != NULL; r++) {
		if (strcmp(key, *r) == 0) {
			v_err(v, "reserved-property", key, "'%s' is a reserved "
			    "property name and must not be used", key);
			return;
		}
	}
	if (!stix_is_prop_name(key)) {
		v_err(v, "custom-property-name", key, "custom property '%s' "
		    "must be 3 to 250 characters of a-z, 0-9 and '_'", key);
		return;
	}
	if (quiet && v->custom_object)
		return;		/* a custom object's own property */
	if (v->opts != NULL &&
	    (v->opts->flags & CYBEX_STIX_STRICT_PROPERTIES)) {
		v_err(v, "custom-property-refused", key, "custom property "
		    "'%s' is not a property the specification defines "
		    "(--strict-properties)", key);
		return;
	}
	/* Section 11.1: custom properties are deprecated for extensions. */
	if (!quiet)
		v_warn(v, "custom-without-extension", key, "custom property "
		    "'%s' should be defined by an extension (a "
		    "toplevel-property-extension; custom properties are "
		    "deprecated in STIX 2.1)", key);
	/*
	 * The naming checks of deprecated custom content (section 11.1) run
	 * when extensions-use is off, as in the reference validator.
	 */
	if (!stix_check_off(v->opts != NULL ? v->opts->checks : NULL,
	    "custom-without-extension", NULL))
		return;
	if (strncmp(key, "x_", 2) != 0)
		v_warn(v, "custom-property-prefix", key, "custom property "
		    "'%s' should start with 'x_'", key);
	else if (strchr(key + 2, '_') == NULL || strchr(key + 2, '_') ==
	    key + 2 || key[strlen(key) - 1] == '_')
		v_warn(v, "custom-property-prefix-strict", key, "custom "
		    "property '%s' should be 'x_', a source unique identifier, "
		    "'_' and the name", key);
}

void
v_embedded(struct vctx *v, const json_t *obj, const char *name)
{
	const struct stix_type *t = stix_embedded_find(name);

	if (t == NULL) {
		v->internal = CYBEX_EINTERNAL;
		return;
	}
	if (!json_is_object(obj)) {
		v_err(v, "property-type", NULL, "%s must be an object, not %s",
		    name, json_kind_name(obj));
		return;
	}
	validate_members(v, t, obj, false);
	if (t->check != NULL)
		t->check(v, obj);
}

/* ---- objects ---- */

static void
validate_object(struct vctx *v, const json_t *obj, bool in_bundle)
{
	const struct stix_type *t;
	const json_t *jt;
	const char *type;

	if (!json_is_object(obj)) {
		v_err(v, "not-an-object", NULL, "a STIX object must be a JSON "
		    "object, not %s", json_kind_name(obj));
		return;
	}
	jt = json_object_get(obj, "type");
	if (jt == NULL) {
		v_err(v, "required-property", NULL, "required property 'type' "
		    "is missing");
		return;
	}
	if (!json_is_string(jt)) {
		v_err(v, "property-type", "type", "'type' must be a string, "
		    "not %s", json_kind_name(jt));
		return;
	}
	type = json_string_value(jt);
	if (!stix_is_type_name(type)) {
		v_err(v, "type-format", "type", "type '%s' must be 3 to 250 "
		    "characters of a-z, 0-9 and '-', start with a letter and "
		    "have no '--'", type);
		return;
	}
	if ((t = stix_type_find(type)) == NULL) {
		validate_custom_object(v, obj, type);
		return;
	}
	if (t->cat == SC_BUNDLE) {
		if (in_bundle) {
			v_err(v, "bundle-in-bundle", NULL, "a bundle must not "
			    "contain a bundle");
			return;
		}
		validate_bundle(v, t, obj);
		return;
	}
	validate_members(v, t, obj, has_toplevel_extension(obj));
	validate_common(v, t, obj);
	if (t->check != NULL)
		t->check(v, obj);
}

void
validate_bundle(struct vctx *v, const struct stix_type *t, const json_t *obj)
{
	const json_t *objs = json_object_get(obj, "objects");
	struct cybex_stix_xref *xr;
	struct cybex_stix_result res = { 0, 0 };
	int r;
	const char *sv;
	size_t i, saved;

	/* "objects" elements are objects of their own; check the rest. */
	json_t *env = json_object();

	if (env == NULL) {
		v->internal = CYBEX_ENOMEM;
		return;
	}
	json_object_update(env, (json_t *)obj);
	json_object_del(env, "objects");
	json_object_del(env, "spec_version");	/* reported by the common rules */
	validate_members(v, t, env, false);
	json_decref(env);
	validate_common(v, t, obj);
	if (objs == NULL)
		return;
	if (!json_is_array(objs)) {
		v_err(v, "property-type", "objects", "'objects' must be a "
		    "list, not %s", json_kind_name(objs));
		return;
	}
	saved = v_push(v, "objects");
	sv = v_str(obj, "spec_version");
	v->bundle = sv != NULL && strcmp(sv, "2.0") == 0 ? V_BUNDLE_20 :
	    V_BUNDLE_21;
	if ((r = cybex_stix_xref_new(&xr)) != 0) {
		v->internal = r;
		return;
	}
	for (i = 0; i < json_array_size(objs); i++) {
		size_t s2 = v_pushi(v, i);

		validate_object(v, json_array_get(objs, i), true);
		if ((r = cybex_stix_xref_add(xr, json_array_get(objs, i),
		    v->opts, v->ptr, 0, 0, v->fn, v->ud, &res)) != 0)
			v->internal = r;
		v_pop(v, s2);
	}
	cybex_stix_xref_finish(xr, v->opts, v->fn, v->ud, &res);
	cybex_stix_xref_free(xr);
	v->errors += res.errors;
	v->warnings += res.warnings;
	v->bundle = V_BUNDLE_NONE;
	v_pop(v, saved);
}

int
cybex_stix_validate(const json_t *obj, const struct cybex_stix_opts *o,
    const char *base_ptr, cybex_diag_fn fn, void *ud,
    struct cybex_stix_result *out)
{
	struct cybex_stix_opts defaults = { 0 };
	struct vctx v;
	bool in_bundle;

	memset(&v, 0, sizeof(v));
	v.opts = o != NULL ? o : &defaults;
	v.fn = fn;
	v.ud = ud;
	if (base_ptr != NULL) {
		snprintf(v.ptr, sizeof(v.ptr), "%s", base_ptr);
		v.ptrlen = strlen(v.ptr);
	}
	in_bundle = base_ptr != NULL && strncmp(base_ptr, "/objects/", 9) == 0;
	if (in_bundle)
		v.bundle = V_BUNDLE_UNKNOWN;
	/* The caller knows the object is STIX 2.0 (its transport said so). */
	if (v.opts->flags & CYBEX_STIX_SPEC_20)
		v.bundle = V_BUNDLE_20;
	validate_object(&v, obj, in_bundle);
	if (out != NULL) {
		out->errors = v.errors;
		out->warnings = v.warnings;
	}
	if (v.internal != 0)
		return v.internal;
	return v.errors > 0 ? CYBEX_ESTIX : 0;
}
