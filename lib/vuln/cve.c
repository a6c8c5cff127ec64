/*
 * CVE JSON 5.x records (the CVE Program's schema, 5.0 to 5.1.1) to STIX
 * 2.1 vulnerability objects.
 *
 * Only what the STIX object keeps is read, and that strictly, as the
 * schema states it: types, the cveId and CWE-id patterns, the lengths,
 * the enumerations (state, version status), the required members.  A
 * member the mapping does not use is not checked: a record a later
 * minor version extends still imports.  Every error names the member by
 * its JSON pointer (d->pointer) and says what was expected.
 *
 * The object is a function of the record alone, so importing the same
 * record twice gives the same object (and the store says "present").
 */
#include <stdio.h>
#include <string.h>

#include "cybex/stix.h"

#include "vuln_int.h"

/* cybex's namespace for the ids of the objects the vuln module makes. */
const struct cybex_uuid vuln_ns = { {
	0x2f, 0x6e, 0x0b, 0x5c, 0x93, 0x1d, 0x4e, 0x57,
	0xa4, 0x0c, 0x7b, 0x3e, 0x61, 0x98, 0xd2, 0x45,
} };

struct cve_ctx {
	char			 ptr[CYBEX_DIAG_PTR_MAX];
	struct cybex_diag	*d;
};

/* Fail at member key of the object at c->ptr (key NULL: at c->ptr). */
static int CYBEX_PRINTF(4, 5)
fail(struct cve_ctx *c, int code, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(c->d, code, fmt, ap);
	va_end(ap);
	if (c->d != NULL) {
		snprintf(c->d->pointer, sizeof(c->d->pointer), "%s", c->ptr);
		if (key != NULL)
			cybex_json_pointer_push(c->d->pointer,
			    sizeof(c->d->pointer), key);
	}
	return code;
}

static const char *
kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* The pointer stack: push a key or index, pop back to a saved length. */
static size_t
push(struct cve_ctx *c, const char *key)
{
	size_t n = strlen(c->ptr);

	cybex_json_pointer_push(c->ptr, sizeof(c->ptr), key);
	return n;
}

static size_t
pushi(struct cve_ctx *c, size_t i)
{
	size_t n = strlen(c->ptr);

	cybex_json_pointer_pushi(c->ptr, sizeof(c->ptr), i);
	return n;
}

static void
pop(struct cve_ctx *c, size_t n)
{
	c->ptr[n] = '\0';
}

/* The number of characters (code points) of UTF-8 text s[0..n). */
static size_t
nchars(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

/*
 * Member key of obj as a string of min..max characters (max 0: no
 * bound), as the schema counts them.  *out NULL when absent and not
 * required.
 */
static int
get_str(struct cve_ctx *c, const json_t *obj, const char *key, bool required,
    size_t min, size_t max, const char **out)
{
	const json_t *j = json_object_get(obj, key);
	size_t n;

	*out = NULL;
	if (j == NULL) {
		if (required)
			return fail(c, CYBEX_EFORMAT, NULL, "'%s' is required",
			    key);
		return 0;
	}
	if (!json_is_string(j))
		return fail(c, CYBEX_EFORMAT, key, "'%s' must be a string, "
		    "not %s", key, kind(j));
	n = nchars(json_string_value(j), json_string_length(j));
	if (n < min)
		return fail(c, CYBEX_EFORMAT, key, "'%s' must not be empty",
		    key);
	if (max != 0 && n > max)
		return fail(c, CYBEX_ETOOBIG, key, "'%s' is longer than %zu "
		    "characters", key, max);
	*out = json_string_value(j);
	return 0;
}

/* Member key as an array of min.. items (NULL when absent, optional). */
static int
get_array(struct cve_ctx *c, const json_t *obj, const char *key,
    bool required, size_t min, size_t max, const json_t **out)
{
	const json_t *j = json_object_get(obj, key);

	*out = NULL;
	if (j == NULL) {
		if (required)
			return fail(c, CYBEX_EFORMAT, NULL, "'%s' is required",
			    key);
		return 0;
	}
	if (!json_is_array(j))
		return fail(c, CYBEX_EFORMAT, key, "'%s' must be an array, "
		    "not %s", key, kind(j));
	if (json_array_size(j) < min)
		return fail(c, CYBEX_EFORMAT, key, "'%s' must have at least "
		    "%zu item%s", key, min, min == 1 ? "" : "s");
	if (max != 0 && json_array_size(j) > max)
		return fail(c, CYBEX_ETOOBIG, key, "'%s' has more than %zu "
		    "items", key, max);
	*out = j;
	return 0;
}

static int
get_object(struct cve_ctx *c, const json_t *obj, const char *key,
    bool required, const json_t **out)
{
	const json_t *j = json_object_get(obj, key);

	*out = NULL;
	if (j == NULL) {
		if (required)
			return fail(c, CYBEX_EFORMAT, NULL, "'%s' is required",
			    key);
		return 0;
	}
	if (!json_is_object(j))
		return fail(c, CYBEX_EFORMAT, key, "'%s' must be an object, "
		    "not %s", key, kind(j));
	*out = j;
	return 0;
}

static bool
is_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

bool
vuln_is_cve_id(const char *s)
{
	size_t n = strlen(s);

	/* ^CVE-[0-9]{4}-[0-9]{4,19}$ */
	return n >= 13 && n <= 28 && memcmp(s, "CVE-", 4) == 0 &&
	    is_digits(s + 4, 4) && s[8] == '-' && is_digits(s + 9, n - 9);
}

/* ^CWE-[1-9][0-9]*$; with prefix, s may go on after a space. */
static size_t
cwe_len(const char *s, bool prefix)
{
	size_t n = 4;

	if (strncmp(s, "CWE-", 4) != 0 || s[4] < '1' || s[4] > '9')
		return 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n > 14)
		return 0;
	if (s[n] == '\0' || (prefix && s[n] == ' '))
		return n;
	return 0;
}

/* ^5\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$ */
static bool
is_data_version(const char *s)
{
	int parts = 0;

	if (strncmp(s, "5.", 2) != 0)
		return false;
	s += 2;
	for (;;) {
		size_t n = strspn(s, "0123456789");

		if (n == 0 || (n > 1 && s[0] == '0') || n > 9)
			return false;
		s += n;
		parts++;
		if (*s == '\0')
			return true;
		if (*s != '.' || parts == 2)
			return false;
		s++;
	}
}

/* ^[A-Za-z]{2,4}([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$ */
static bool
is_language(const char *s)
{
	size_t n = 0, k;

	while (((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z'))
		n++;
	if (n < 2 || n > 4)
		return false;
	s += n;
	if ((*s == '-' || *s == '_')) {
		for (k = 1; ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'); k++)
			;
		if (k == 5) {
			s += 5;
		}
	}
	if (*s == '\0')
		return true;
	if (*s != '-' && *s != '_')
		return false;
	s++;
	if (strlen(s) == 2 && (s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z' &&
	    (s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z')
		return true;
	return strlen(s) == 3 && is_digits(s, 3);
}

/*
 * A CVE timestamp (RFC 3339 with the offset optional, GMT when absent)
 * as a STIX timestamp with at least millisecond precision, into out[32].
 */
static int
timestamp(struct cve_ctx *c, const json_t *obj, const char *key,
    char *out, bool *found)
{
	struct cybex_diag td;
	struct cybex_time t;
	const char *s;
	char buf[64];
	size_t n;
	int r;

	*found = false;
	if ((r = get_str(c, obj, key, false, 1, 40, &s)) != 0 || s == NULL)
		return r;
	n = strlen(s);
	if (n >= sizeof(buf) - 1)
		return fail(c, CYBEX_EFORMAT, key, "'%s' is not a timestamp",
		    key);
	memcpy(buf, s, n + 1);
	/* No offset: GMT, as the schema says. */
	if (n >= 19 && buf[n - 1] != 'Z' && buf[n - 1] != 'z' &&
	    strchr(buf + 19, '+') == NULL && strchr(buf + 19, '-') == NULL) {
		buf[n++] = 'Z';
		buf[n] = '\0';
	}
	cybex_diag_clear(&td);
	if (cybex_time_parse(buf, n, 0, &t, &td) != 0 || buf[10] != 'T')
		return fail(c, CYBEX_EFORMAT, key, "'%s' is not a timestamp "
		    "(yyyy-MM-ddTHH:mm:ss[.f][Z|+hh:mm]): %s", key,
		    td.message[0] != '\0' ? td.message : "no 'T'");
	if (t.digits < 3)
		t.digits = 3;
	if (cybex_time_format(&t, out, 32) < 0)
		return fail(c, CYBEX_EFORMAT, key, "'%s' is out of range",
		    key);
	*found = true;
	return 0;
}

static int
set(json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		return CYBEX_ENOMEM;
	return 0;
}

static int
set_str(json_t *obj, const char *key, const char *s)
{
	return s == NULL ? 0 : set(obj, key, json_string(s));
}

/* The English description of descriptions[] (lang "en" or "en-*"). */
static int
descriptions(struct cve_ctx *c, const json_t *cna, const char **out)
{
	const json_t *a, *e;
	const char *lang, *value;
	size_t i, n0, n1;
	int r;

	*out = NULL;
	if ((r = get_array(c, cna, "descriptions", true, 1, 0, &a)) != 0)
		return r;
	n0 = push(c, "descriptions");
	json_array_foreach(a, i, e) {
		n1 = pushi(c, i);
		if (!json_is_object(e))
			return fail(c, CYBEX_EFORMAT, NULL, "a description "
			    "must be an object, not %s", kind(e));
		if ((r = get_str(c, e, "lang", true, 1, 64, &lang)) != 0 ||
		    (r = get_str(c, e, "value", true, 1, 4096, &value)) != 0)
			return r;
		if (!is_language(lang))
			return fail(c, CYBEX_EFORMAT, "lang", "'lang' must be "
			    "a BCP 47 language code like \"en\" or \"en-US\"");
		if (*out == NULL && (lang[0] | 0x20) == 'e' &&
		    (lang[1] | 0x20) == 'n' && (lang[2] == '\0' ||
		    lang[2] == '-' || lang[2] == '_'))
			*out = value;
		pop(c, n1);
	}
	if (*out == NULL)
		return fail(c, CYBEX_EFORMAT, NULL, "no English description "
		    "(the schema requires one with lang \"en\")");
	pop(c, n0);
	return 0;
}

/* references[] as STIX external references of source src. */
static int
references(struct cve_ctx *c, const json_t *cna, const char *src,
    json_t *refs)
{
	const json_t *a, *e;
	const char *url, *name;
	json_t *x;
	size_t i, n0, n1;
	int r;

	if ((r = get_array(c, cna, "references", true, 1, 512, &a)) != 0)
		return r;
	n0 = push(c, "references");
	json_array_foreach(a, i, e) {
		n1 = pushi(c, i);
		if (!json_is_object(e))
			return fail(c, CYBEX_EFORMAT, NULL, "a reference must "
			    "be an object, not %s", kind(e));
		if ((r = get_str(c, e, "url", true, 1, 2048, &url)) != 0 ||
		    (r = get_str(c, e, "name", false, 1, 512, &name)) != 0)
			return r;
		if (!cybex_stix_is_uri(url))
			return fail(c, CYBEX_EFORMAT, "url", "'url' is not a "
			    "URI (RFC 3986)");
		if ((x = json_object()) == NULL ||
		    json_array_append_new(refs, x) != 0)
			return CYBEX_ENOMEM;
		if ((r = set_str(x, "source_name", src)) != 0 ||
		    (r = set_str(x, "description", name)) != 0 ||
		    (r = set_str(x, "url", url)) != 0)
			return r;
		pop(c, n1);
	}
	pop(c, n0);
	return 0;
}

/* Add id to the array of strings a unless it is there. */
static int
add_unique(json_t *a, const char *id, size_t n)
{
	const json_t *e;
	size_t i;

	json_array_foreach(a, i, e)
		if (strlen(json_string_value(e)) == n &&
		    strncmp(json_string_value(e), id, n) == 0)
			return 0;
	return json_array_append_new(a, json_stringn(id, n)) != 0 ?
	    CYBEX_ENOMEM : 0;
}

/*
 * problemTypes[].descriptions[]: cweId when given (checked against the
 * pattern), else a description that starts "CWE-<n> " (as records made
 * before cweId existed do).
 */
static int
problem_types(struct cve_ctx *c, const json_t *cont, json_t *cwes)
{
	const json_t *a, *e, *ds, *f;
	const char *lang, *desc, *cwe;
	size_t i, k, n0, n1, n2, n3, len;
	int r;

	if ((r = get_array(c, cont, "problemTypes", false, 1, 0, &a)) != 0 ||
	    a == NULL)
		return r;
	n0 = push(c, "problemTypes");
	json_array_foreach(a, i, e) {
		n1 = pushi(c, i);
		if (!json_is_object(e))
			return fail(c, CYBEX_EFORMAT, NULL, "a problem type "
			    "must be an object, not %s", kind(e));
		if ((r = get_array(c, e, "descriptions", true, 1, 0, &ds)) != 0)
			return r;
		n2 = push(c, "descriptions");
		json_array_foreach(ds, k, f) {
			n3 = pushi(c, k);
			if (!json_is_object(f))
				return fail(c, CYBEX_EFORMAT, NULL, "a problem "
				    "type description must be an object, "
				    "not %s", kind(f));
			if ((r = get_str(c, f, "lang", true, 1, 64,
			    &lang)) != 0 ||
			    (r = get_str(c, f, "description", true, 1, 4096,
			    &desc)) != 0 ||
			    (r = get_str(c, f, "cweId", false, 1, 64,
			    &cwe)) != 0)
				return r;
			if (!is_language(lang))
				return fail(c, CYBEX_EFORMAT, "lang", "'lang' "
				    "must be a BCP 47 language code");
			if (cwe != NULL) {
				if ((len = cwe_len(cwe, false)) == 0)
					return fail(c, CYBEX_EFORMAT, "cweId",
					    "'cweId' must be CWE-<number> "
					    "(^CWE-[1-9][0-9]*$)");
				if ((r = add_unique(cwes, cwe, len)) != 0)
					return r;
			} else if ((len = cwe_len(desc, true)) != 0 &&
			    (r = add_unique(cwes, desc, len)) != 0)
				return r;
			pop(c, n3);
		}
		pop(c, n2);
		pop(c, n1);
	}
	pop(c, n0);
	return 0;
}

/* One cvssV*_* member of a metric: checked, scored, appended to out. */
static int
cvss_metric(struct cve_ctx *c, const json_t *m, const char *key,
    const char *version, const char *src, json_t *out)
{
	static const char *const sev[] = { "NONE", "LOW", "MEDIUM", "HIGH",
		"CRITICAL" };
	const json_t *o, *bs;
	const char *ver, *vec, *bsev;
	struct cybex_cvss cv;
	struct cybex_diag vd;
	json_t *x;
	size_t n0, i;
	double base;
	int r;

	if ((r = get_object(c, m, key, false, &o)) != 0 || o == NULL)
		return r;
	n0 = push(c, key);
	if ((r = get_str(c, o, "version", true, 1, 8, &ver)) != 0 ||
	    (r = get_str(c, o, "vectorString", true, 1,
	    CYBEX_CVSS_VECTOR_MAX, &vec)) != 0 ||
	    (r = get_str(c, o, "baseSeverity", strcmp(version, "2.0") != 0,
	    1, 16, &bsev)) != 0)
		return r;
	if (strcmp(ver, version) != 0)
		return fail(c, CYBEX_EFORMAT, "version", "'version' must be "
		    "\"%s\" in %s", version, key);
	if ((bs = json_object_get(o, "baseScore")) == NULL)
		return fail(c, CYBEX_EFORMAT, NULL, "'baseScore' is required");
	if (!json_is_number(bs) || json_number_value(bs) < 0 ||
	    json_number_value(bs) > 10)
		return fail(c, CYBEX_EFORMAT, "baseScore", "'baseScore' must "
		    "be a number from 0 to 10");
	base = json_number_value(bs);
	if (bsev != NULL) {
		for (i = 0; i < 5; i++)
			if (strcmp(bsev, sev[i]) == 0)
				break;
		if (i == 5)
			return fail(c, CYBEX_EFORMAT, "baseSeverity",
			    "'baseSeverity' must be one of NONE, LOW, MEDIUM, "
			    "HIGH, CRITICAL");
	}
	cybex_diag_clear(&vd);
	if (cybex_cvss_read(vec, strlen(vec), &cv, &vd) != 0)
		return fail(c, CYBEX_EFORMAT, "vectorString", "'vectorString'"
		    " column %lu: %s", vd.column, vd.message);
	if ((cv.version == CYBEX_CVSS_V20) != (strcmp(version, "2.0") == 0) ||
	    (cv.version == CYBEX_CVSS_V30 && strcmp(version, "3.0") != 0) ||
	    (cv.version == CYBEX_CVSS_V31 && strcmp(version, "3.1") != 0) ||
	    (cv.version == CYBEX_CVSS_V40 && strcmp(version, "4.0") != 0))
		return fail(c, CYBEX_EFORMAT, "vectorString", "'vectorString' "
		    "is not a CVSS %s vector", version);
	if ((x = json_object()) == NULL || json_array_append_new(out, x) != 0)
		return CYBEX_ENOMEM;
	if ((r = set_str(x, "source", src)) != 0 ||
	    (r = set_str(x, "version", version)) != 0 ||
	    (r = set_str(x, "vector", vec)) != 0 ||
	    (r = set(x, "base_score", json_real(base))) != 0 ||
	    (r = set(x, "score", json_real(cv.score))) != 0 ||
	    (r = set_str(x, "rating", cybex_cvss_rating_name(cv.rating))) != 0)
		return r;
	pop(c, n0);
	return 0;
}

/* metrics[] of a container (CNA or ADP src) into out. */
static int
metrics(struct cve_ctx *c, const json_t *cont, const char *src, json_t *out)
{
	static const struct {
		const char	*key;
		const char	*version;
	} kinds[] = {
		{ "cvssV4_0", "4.0" }, { "cvssV3_1", "3.1" },
		{ "cvssV3_0", "3.0" }, { "cvssV2_0", "2.0" },
	};
	const json_t *a, *m;
	size_t i, k, n0, n1;
	int r;

	if ((r = get_array(c, cont, "metrics", false, 1, 0, &a)) != 0 ||
	    a == NULL)
		return r;
	n0 = push(c, "metrics");
	json_array_foreach(a, i, m) {
		n1 = pushi(c, i);
		if (!json_is_object(m))
			return fail(c, CYBEX_EFORMAT, NULL, "a metric must be "
			    "an object, not %s", kind(m));
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if ((r = cvss_metric(c, m, kinds[k].key,
			    kinds[k].version, src, out)) != 0)
				return r;
		pop(c, n1);
	}
	pop(c, n0);
	return 0;
}

static int
status_ok(struct cve_ctx *c, const json_t *o, const char *key, bool required)
{
	const char *s;
	int r;

	if ((r = get_str(c, o, key, required, 1, 16, &s)) != 0 || s == NULL)
		return r;
	if (strcmp(s, "affected") != 0 && strcmp(s, "unaffected") != 0 &&
	    strcmp(s, "unknown") != 0)
		return fail(c, CYBEX_EFORMAT, key, "'%s' must be affected, "
		    "unaffected or unknown", key);
	return 0;
}

/* Copy the string members keys[] of from into to, checked. */
static int
copy_strs(struct cve_ctx *c, const json_t *from, json_t *to,
    const char *const *keys, size_t max)
{
	const char *s;
	size_t i;
	int r;

	for (i = 0; keys[i] != NULL; i++) {
		if ((r = get_str(c, from, keys[i], false, 1, max, &s)) != 0 ||
		    (r = set_str(to, keys[i], s)) != 0)
			return r;
	}
	return 0;
}

/* An array of strings member, copied. */
static int
copy_str_array(struct cve_ctx *c, const json_t *from, json_t *to,
    const char *key, size_t max)
{
	const json_t *a, *e;
	json_t *x;
	size_t i, n0;
	int r;

	if ((r = get_array(c, from, key, false, 1, 0, &a)) != 0 || a == NULL)
		return r;
	if ((x = json_array()) == NULL || json_object_set_new(to, key, x) != 0)
		return CYBEX_ENOMEM;
	n0 = push(c, key);
	json_array_foreach(a, i, e) {
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    nchars(json_string_value(e), json_string_length(e)) >
		    max) {
			pushi(c, i);
			return fail(c, CYBEX_EFORMAT, NULL, "each item of '%s' "
			    "must be a string of 1 to %zu characters", key,
			    max);
		}
		if (json_array_append(x, (json_t *)e) != 0)
			return CYBEX_ENOMEM;
	}
	pop(c, n0);
	return 0;
}

static int
versions(struct cve_ctx *c, const json_t *p, json_t *to)
{
	static const char *const keys[] = { "version", "lessThan",
		"lessThanOrEqual", "versionType", NULL };
	const json_t *a, *v, *ch, *e;
	json_t *xa, *x, *xc, *xe;
	const char *s;
	size_t i, k, n0, n1, n2, n3;
	int r;

	if ((r = get_array(c, p, "versions", false, 1, 0, &a)) != 0 ||
	    a == NULL)
		return r;
	if ((xa = json_array()) == NULL ||
	    json_object_set_new(to, "versions", xa) != 0)
		return CYBEX_ENOMEM;
	n0 = push(c, "versions");
	json_array_foreach(a, i, v) {
		n1 = pushi(c, i);
		if (!json_is_object(v))
			return fail(c, CYBEX_EFORMAT, NULL, "a version must be "
			    "an object, not %s", kind(v));
		if ((r = get_str(c, v, "version", true, 1, 1024, &s)) != 0 ||
		    (r = status_ok(c, v, "status", true)) != 0)
			return r;
		if (json_object_get(v, "lessThan") != NULL &&
		    json_object_get(v, "lessThanOrEqual") != NULL)
			return fail(c, CYBEX_EFORMAT, "lessThanOrEqual",
			    "'lessThan' and 'lessThanOrEqual' exclude each "
			    "other");
		if ((x = json_object()) == NULL ||
		    json_array_append_new(xa, x) != 0)
			return CYBEX_ENOMEM;
		if ((r = copy_strs(c, v, x, keys, 1024)) != 0 ||
		    (r = set_str(x, "status", json_string_value(
		    json_object_get(v, "status")))) != 0)
			return r;
		if ((r = get_array(c, v, "changes", false, 1, 0, &ch)) != 0)
			return r;
		if (ch != NULL) {
			if ((json_object_get(v, "lessThan") == NULL &&
			    json_object_get(v, "lessThanOrEqual") == NULL))
				return fail(c, CYBEX_EFORMAT, "changes",
				    "'changes' needs 'lessThan' or "
				    "'lessThanOrEqual'");
			if ((xc = json_array()) == NULL ||
			    json_object_set_new(x, "changes", xc) != 0)
				return CYBEX_ENOMEM;
			n2 = push(c, "changes");
			json_array_foreach(ch, k, e) {
				n3 = pushi(c, k);
				if (!json_is_object(e))
					return fail(c, CYBEX_EFORMAT, NULL,
					    "a change must be an object");
				if ((r = get_str(c, e, "at", true, 1, 1024,
				    &s)) != 0 ||
				    (r = status_ok(c, e, "status", true)) != 0)
					return r;
				if ((xe = json_object()) == NULL ||
				    json_array_append_new(xc, xe) != 0 ||
				    set_str(xe, "at", s) != 0 ||
				    set_str(xe, "status", json_string_value(
				    json_object_get(e, "status"))) != 0)
					return CYBEX_ENOMEM;
				pop(c, n3);
			}
			pop(c, n2);
		}
		pop(c, n1);
	}
	pop(c, n0);
	return 0;
}

/* affected[]: each product checked and kept (the members matching uses). */
static int
affected(struct cve_ctx *c, const json_t *cna, json_t *out)
{
	static const char *const keys[] = { "vendor", "product",
		"collectionURL", "packageName", "defaultStatus", NULL };
	const json_t *a, *p;
	json_t *x;
	size_t i, n0, n1;
	int r;

	if ((r = get_array(c, cna, "affected", true, 1, 0, &a)) != 0)
		return r;
	n0 = push(c, "affected");
	json_array_foreach(a, i, p) {
		n1 = pushi(c, i);
		if (!json_is_object(p))
			return fail(c, CYBEX_EFORMAT, NULL, "a product must be "
			    "an object, not %s", kind(p));
		if ((x = json_object()) == NULL ||
		    json_array_append_new(out, x) != 0)
			return CYBEX_ENOMEM;
		if ((r = copy_strs(c, p, x, keys, 2048)) != 0 ||
		    (r = status_ok(c, p, "defaultStatus", false)) != 0)
			return r;
		if ((json_object_get(x, "vendor") == NULL ||
		    json_object_get(x, "product") == NULL) &&
		    (json_object_get(x, "collectionURL") == NULL ||
		    json_object_get(x, "packageName") == NULL))
			return fail(c, CYBEX_EFORMAT, NULL, "a product needs "
			    "'vendor' and 'product', or 'collectionURL' and "
			    "'packageName'");
		if ((r = copy_str_array(c, p, x, "cpes", 2048)) != 0 ||
		    (r = copy_str_array(c, p, x, "platforms", 1024)) != 0 ||
		    (r = versions(c, p, x)) != 0)
			return r;
		if (json_object_get(x, "versions") == NULL &&
		    json_object_get(x, "defaultStatus") == NULL)
			return fail(c, CYBEX_EFORMAT, NULL, "a product needs "
			    "'versions' or 'defaultStatus'");
		pop(c, n1);
	}
	pop(c, n0);
	return 0;
}

/* The provider's short name, else its orgId, else dflt. */
static const char *
provider(const json_t *cont, const char *dflt)
{
	const json_t *pm = json_object_get(cont, "providerMetadata");
	const char *s;

	if ((s = json_string_value(json_object_get(pm, "shortName"))) != NULL &&
	    *s != '\0')
		return s;
	if ((s = json_string_value(json_object_get(pm, "orgId"))) != NULL &&
	    *s != '\0')
		return s;
	return dflt;
}

static int
build(struct cve_ctx *c, const json_t *rec, json_t **out)
{
	const json_t *meta, *conts, *cna, *adps, *adp;
	const char *dt, *dv, *id, *state, *org, *title, *desc, *src;
	char created[32], modified[32], idbuf[64], url[96];
	json_t *o = NULL, *refs, *cwes, *cvss, *aff, *x;
	struct cybex_uuid uu;
	bool found, f2;
	size_t i, n0, n1;
	int r;

	*out = NULL;
	if (!json_is_object(rec))
		return fail(c, CYBEX_EFORMAT, NULL, "a CVE record must be a "
		    "JSON object, not %s", kind(rec));
	if ((r = get_str(c, rec, "dataType", true, 1, 0, &dt)) != 0 ||
	    (r = get_str(c, rec, "dataVersion", true, 1, 0, &dv)) != 0)
		return r;
	if (strcmp(dt, "CVE_RECORD") != 0)
		return fail(c, CYBEX_EFORMAT, "dataType", "'dataType' must be "
		    "\"CVE_RECORD\"");
	if (!is_data_version(dv))
		return fail(c, CYBEX_EVERSION, "dataVersion", "'dataVersion' "
		    "must be a 5.x version (CVE JSON 5), not \"%.16s\"", dv);
	if ((r = get_object(c, rec, "cveMetadata", true, &meta)) != 0 ||
	    (r = get_object(c, rec, "containers", true, &conts)) != 0)
		return r;
	n0 = push(c, "cveMetadata");
	if ((r = get_str(c, meta, "cveId", true, 1, 32, &id)) != 0 ||
	    (r = get_str(c, meta, "state", true, 1, 16, &state)) != 0 ||
	    (r = get_str(c, meta, "assignerOrgId", true, 1, 36, &org)) != 0)
		return r;
	if (!vuln_is_cve_id(id))
		return fail(c, CYBEX_EFORMAT, "cveId", "'cveId' must be "
		    "CVE-YYYY-NNNN (^CVE-[0-9]{4}-[0-9]{4,19}$)");
	if (cybex_uuid_parse(org, strlen(org), &uu) != 0)
		return fail(c, CYBEX_EFORMAT, "assignerOrgId", "'assignerOrgId'"
		    " must be a UUID");
	if (strcmp(state, "REJECTED") == 0)
		return 0;	/* no vulnerability: nothing to import */
	if (strcmp(state, "PUBLISHED") != 0)
		return fail(c, CYBEX_EFORMAT, "state", "'state' must be "
		    "PUBLISHED or REJECTED");
	if ((r = timestamp(c, meta, "datePublished", created, &found)) != 0 ||
	    (!found && (r = timestamp(c, meta, "dateReserved", created,
	    &found)) != 0) ||
	    (r = timestamp(c, meta, "dateUpdated", modified, &f2)) != 0)
		return r;
	pop(c, n0);
	n0 = push(c, "containers");
	if ((r = get_object(c, conts, "cna", true, &cna)) != 0)
		return r;
	n1 = push(c, "cna");
	if (!found) {
		if ((r = timestamp(c, cna, "datePublic", created, &found)) != 0)
			return r;
		/* No date at all (the schema allows it): a fixed one. */
		if (!found)
			snprintf(created, sizeof(created),
			    "1970-01-01T00:00:00.000Z");
	}
	if (!f2 || strcmp(modified, created) < 0)
		memcpy(modified, created, sizeof(modified));
	if ((r = get_str(c, cna, "title", false, 1, 256, &title)) != 0 ||
	    (r = descriptions(c, cna, &desc)) != 0)
		return r;

	if ((o = json_object()) == NULL)
		return CYBEX_ENOMEM;
	cybex_vuln_id(id, idbuf, sizeof(idbuf));
	snprintf(url, sizeof(url), "https://www.cve.org/CVERecord?id=%s", id);
	src = provider(cna, "cna");
	if ((r = set_str(o, "type", "vulnerability")) != 0 ||
	    (r = set_str(o, "spec_version", "2.1")) != 0 ||
	    (r = set_str(o, "id", idbuf)) != 0 ||
	    (r = set_str(o, "created", created)) != 0 ||
	    (r = set_str(o, "modified", modified)) != 0 ||
	    (r = set_str(o, "name", id)) != 0 ||
	    (r = set_str(o, "description", desc)) != 0 ||
	    (r = set(o, "external_references", refs = json_array())) != 0 ||
	    (r = set(o, "x_cybex_cve", x = json_object())) != 0 ||
	    (r = set_str(x, "state", state)) != 0 ||
	    (r = set_str(x, "data_version", dv)) != 0 ||
	    (r = set_str(x, "assigner", provider(cna, org))) != 0 ||
	    (r = set_str(x, "title", title)) != 0)
		goto out;
	if ((r = set(o, "x_cybex_cvss", cvss = json_array())) != 0 ||
	    (r = set(o, "x_cybex_cwe", cwes = json_array())) != 0 ||
	    (r = set(o, "x_cybex_affected", aff = json_array())) != 0)
		goto out;
	if ((x = json_object()) == NULL ||
	    json_array_append_new(refs, x) != 0 ||
	    (r = set_str(x, "source_name", "cve")) != 0 ||
	    (r = set_str(x, "external_id", id)) != 0 ||
	    (r = set_str(x, "url", url)) != 0) {
		r = r != 0 ? r : CYBEX_ENOMEM;
		goto out;
	}
	if ((r = problem_types(c, cna, cwes)) != 0 ||
	    (r = metrics(c, cna, src, cvss)) != 0 ||
	    (r = affected(c, cna, aff)) != 0 ||
	    (r = references(c, cna, src, refs)) != 0)
		goto out;
	pop(c, n1);
	/* ADP containers (CISA's among them) add CVSS scores and CWEs. */
	if ((r = get_array(c, conts, "adp", false, 1, 0, &adps)) != 0)
		goto out;
	if (adps != NULL) {
		n1 = push(c, "adp");
		json_array_foreach(adps, i, adp) {
			size_t n2 = pushi(c, i);

			if (!json_is_object(adp)) {
				r = fail(c, CYBEX_EFORMAT, NULL, "an ADP "
				    "container must be an object, not %s",
				    kind(adp));
				goto out;
			}
			if ((r = problem_types(c, adp, cwes)) != 0 ||
			    (r = metrics(c, adp, provider(adp, "adp"),
			    cvss)) != 0)
				goto out;
			pop(c, n2);
		}
		pop(c, n1);
	}
	pop(c, n0);
	/* CWE ids as external references too, where STIX tools look. */
	json_array_foreach(cwes, i, x) {
		json_t *e = json_object();
		char cu[96];

		snprintf(cu, sizeof(cu), "https://cwe.mitre.org/data/"
		    "definitions/%s.html", json_string_value(x) + 4);
		if (e == NULL || json_array_append_new(refs, e) != 0 ||
		    set_str(e, "source_name", "cwe") != 0 ||
		    set_str(e, "external_id", json_string_value(x)) != 0 ||
		    set_str(e, "url", cu) != 0) {
			r = CYBEX_ENOMEM;
			goto out;
		}
	}
	if (json_array_size(cvss) == 0)
		json_object_del(o, "x_cybex_cvss");
	if (json_array_size(cwes) == 0)
		json_object_del(o, "x_cybex_cwe");
	*out = o;
	o = NULL;
	r = 0;
 out:
	json_decref(o);
	return r;
}

void
vuln_diag_clean(struct cybex_diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; d->message[i] != '\0'; i++)
		if ((unsigned char)d->message[i] < 0x20 ||
		    (unsigned char)d->message[i] == 0x7f)
			d->message[i] = '?';
}

int
cybex_vuln_id(const char *cve_id, char *out, size_t outsz)
{
	struct cybex_uuid u;
	char us[37];

	if (!vuln_is_cve_id(cve_id) || outsz < 52)
		return CYBEX_EINVAL;
	cybex_uuid_v5(&vuln_ns, cve_id, strlen(cve_id), &u);
	cybex_uuid_format(&u, us);
	snprintf(out, outsz, "vulnerability--%s", us);
	return 0;
}

int
cybex_cve_read(const char *buf, size_t len, json_t **out,
    struct cybex_diag *d)
{
	struct cve_ctx c;
	json_t *rec = NULL;
	size_t off;
	int r;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.d = d;
	if (len > CYBEX_CVE_MAX) {
		r = cybex_diag_set(d, CYBEX_ETOOBIG, "CVE record of %zu bytes "
		    "(at most %d)", len, CYBEX_CVE_MAX);
		goto out;
	}
	if ((r = cybex_json_parse(buf, len, 0, &rec, d)) != 0)
		goto out;
	if ((r = build(&c, rec, out)) != 0 && d != NULL &&
	    r != CYBEX_ENOMEM) {
		/* Where the member is, for file:line:col. */
		char ptr[CYBEX_DIAG_PTR_MAX];
		char *slash;

		snprintf(ptr, sizeof(ptr), "%s", d->pointer);
		while (cybex_json_locate(buf, len, ptr, &off) != 0 &&
		    (slash = strrchr(ptr, '/')) != NULL)
			*slash = '\0';
		if (ptr[0] == '\0')
			off = 0;
		d->offset = off;
		cybex_text_linecol(buf, off, &d->line, &d->column);
	}
	if (r == CYBEX_ENOMEM)
		cybex_diag_set(d, r, "out of memory");
 out:
	if (r != 0)
		vuln_diag_clean(d);
	json_decref(rec);
	return r;
}
