/*
 * Package URLs: "pkg:type/namespace/name@version?qualifiers#subpath",
 * parsed as the purl specification's "How to parse a purl string" says
 * (from the right: subpath, qualifiers; from the left: scheme, type; then
 * version, name and namespace), percent-decoded and normalized per type.
 * Matching compares type, namespace and name of the normalized forms.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "vuln_int.h"

/* Types whose namespace and name are case-insensitive (lower-cased). */
static const char *const lower_types[] = {
	"alpm", "apk", "bitbucket", "bitnami", "composer", "deb", "github",
	"hex", "npm", "oci", "pypi", "qpkg",
};

static bool
lower_type(const char *t)
{
	size_t i;

	for (i = 0; i < sizeof(lower_types) / sizeof(lower_types[0]); i++)
		if (strcmp(t, lower_types[i]) == 0)
			return true;
	return false;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode s[0..n) (column col) and append it to out (of outsz,
 * *o bytes used, kept NUL-terminated).
 */
static int
decode(const char *s, size_t n, size_t col, char *out, size_t outsz,
    size_t *o, struct cybex_diag *d)
{
	size_t i;
	int c, h, l;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n) {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a '%%' "
				    "without two hex digits");
			}
			if ((h = hexval((unsigned char)s[i + 1])) < 0 ||
			    (l = hexval((unsigned char)s[i + 2])) < 0) {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a '%%' "
				    "without two hex digits");
			}
			c = h * 16 + l;
			i += 2;
			if (c == 0) {
				d->column = col + i - 2;
				return cybex_diag_set(d, CYBEX_EFORMAT, "an "
				    "encoded NUL");
			}
		} else if (c <= 0x20 || c == 0x7f) {
			d->column = col + i;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a control "
			    "byte or space (percent-encode it)");
		}
		if (*o + 1 >= outsz) {
			d->column = col;
			return cybex_diag_set(d, CYBEX_ETOOBIG, "a part longer "
			    "than %zu bytes", outsz - 1);
		}
		out[(*o)++] = (char)c;
	}
	out[*o] = '\0';
	return 0;
}

/* The last occurrence of c in s[0..n), or NULL. */
static const char *
last(const char *s, size_t n, int c)
{
	while (n > 0)
		if (s[--n] == c)
			return s + n;
	return NULL;
}

static int
check_qualifiers(const char *s, size_t n, size_t col, struct cybex_diag *d)
{
	char val[CYBEX_PURL_PART_MAX];
	size_t i = 0, k, j, o;
	const char *amp, *eq;
	int r;

	while (i < n) {
		amp = memchr(s + i, '&', n - i);
		k = amp != NULL ? (size_t)(amp - s) : n;
		if (k > i) {
			eq = memchr(s + i, '=', k - i);
			if (eq == NULL || eq == s + i) {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a "
				    "qualifier is key=value");
			}
			for (j = i; s + j < eq; j++)
				if (!isalnum((unsigned char)s[j]) &&
				    (s[j] == '\0' ||
				    strchr(".-_", s[j]) == NULL)) {
					d->column = col + j;
					return cybex_diag_set(d, CYBEX_EFORMAT,
					    "a qualifier key is made of "
					    "letters, digits, '.', '-', '_'");
				}
			o = 0;
			if ((r = decode(eq + 1, (size_t)(s + k - eq - 1),
			    col + (size_t)(eq + 1 - s), val, sizeof(val), &o,
			    d)) != 0)
				return r;
		}
		i = k + 1;
	}
	return 0;
}

int
cybex_purl_read(const char *s, size_t len, struct cybex_purl *out,
    struct cybex_diag *d)
{
	const char *p, *e, *t, *hash, *q, *at, *sl, *seg;
	size_t n, o, i;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > CYBEX_PURL_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a package URL longer "
		    "than %d bytes", CYBEX_PURL_MAX);
	if (len < 4 || strncasecmp(s, "pkg:", 4) != 0) {
		d->column = 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "not a package URL "
		    "(it starts \"pkg:\")");
	}
	e = s + len;
	if ((hash = last(s, len, '#')) != NULL) {
		o = 0;
		if ((r = decode(hash + 1, (size_t)(e - hash - 1),
		    (size_t)(hash - s) + 2, out->version, sizeof(out->version),
		    &o, d)) != 0)
			return r;
		e = hash;
	}
	if ((q = last(s, (size_t)(e - s), '?')) != NULL) {
		if ((r = check_qualifiers(q + 1, (size_t)(e - q - 1),
		    (size_t)(q - s) + 2, d)) != 0)
			return r;
		e = q;
	}
	p = s + 4;
	while (p < e && *p == '/')
		p++;
	for (t = p; t < e && *t != '/'; t++)
		if (!isalnum((unsigned char)*t) && (*t == '\0' ||
		    strchr(".+-", *t) == NULL)) {
			d->column = (size_t)(t - s) + 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a type is made "
			    "of letters, digits, '.', '+', '-'");
		}
	if (t == p || t >= e || isdigit((unsigned char)*p)) {
		d->column = (size_t)(p - s) + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, t == p || t >= e ?
		    "a package URL is pkg:type/name at least" :
		    "a type does not start with a digit");
	}
	if ((size_t)(t - p) >= sizeof(out->type)) {
		d->column = (size_t)(p - s) + 1;
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a type longer than "
		    "%zu bytes", sizeof(out->type) - 1);
	}
	for (i = 0; p + i < t; i++)
		out->type[i] = (char)tolower((unsigned char)p[i]);
	p = t + 1;
	while (e > p && e[-1] == '/')
		e--;
	if ((at = last(p, (size_t)(e - p), '@')) != NULL) {
		/* An '@' before the last '/' is a namespace's (npm scope). */
		sl = last(p, (size_t)(e - p), '/');
		if (sl != NULL && at < sl)
			at = NULL;
	}
	out->version[0] = '\0';
	if (at != NULL) {
		o = 0;
		if ((r = decode(at + 1, (size_t)(e - at - 1),
		    (size_t)(at - s) + 2, out->version, sizeof(out->version),
		    &o, d)) != 0)
			return r;
		e = at;
	}
	sl = last(p, (size_t)(e - p), '/');
	n = sl != NULL ? (size_t)(e - sl - 1) : (size_t)(e - p);
	o = 0;
	if ((r = decode(e - n, n, (size_t)(e - n - s) + 1, out->name,
	    sizeof(out->name), &o, d)) != 0)
		return r;
	if (o == 0) {
		d->column = (size_t)(e - s) + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "a package URL needs "
		    "a name");
	}
	o = 0;
	if (sl != NULL)
		for (seg = p; seg < sl; ) {
			t = memchr(seg, '/', (size_t)(sl - seg));
			if (t == NULL)
				t = sl;
			if (t > seg) {
				if (o > 0 && o + 1 < sizeof(out->ns))
					out->ns[o++] = '/';
				if ((r = decode(seg, (size_t)(t - seg),
				    (size_t)(seg - s) + 1, out->ns,
				    sizeof(out->ns), &o, d)) != 0)
					return r;
			}
			seg = t + 1;
		}
	if (strcmp(out->type, "maven") == 0 && out->ns[0] == '\0') {
		d->column = (size_t)(p - s) + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "a maven package URL "
		    "needs a namespace (the groupId)");
	}
	if (lower_type(out->type)) {
		for (i = 0; out->ns[i] != '\0'; i++)
			out->ns[i] = (char)tolower((unsigned char)out->ns[i]);
		for (i = 0; out->name[i] != '\0'; i++)
			out->name[i] = (char)tolower((unsigned char)out->name[i]);
	}
	if (strcmp(out->type, "pypi") == 0)
		for (i = 0; out->name[i] != '\0'; i++)
			if (out->name[i] == '_')
				out->name[i] = '-';
	return 0;
}

static int
encode(const char *v, bool keep_slash, char *out, size_t outsz, size_t *o)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *v != '\0'; v++) {
		c = (unsigned char)*v;
		if (*o + 4 >= outsz)
			return CYBEX_ETOOBIG;
		if (isalnum(c) || strchr("-._~:", c) != NULL ||
		    (keep_slash && c == '/'))
			out[(*o)++] = (char)c;
		else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	out[*o] = '\0';
	return 0;
}

int
cybex_purl_write(const struct cybex_purl *p, bool with_version, char *out,
    size_t outsz)
{
	size_t o = 0, n;
	int r;

	if (outsz < 5)
		return CYBEX_ETOOBIG;
	memcpy(out, "pkg:", 4);
	o = 4;
	/* The type is [a-z0-9.+-] already, and '+' is no '%2B' there. */
	n = strlen(p->type);
	if (o + n + 2 >= outsz)
		return CYBEX_ETOOBIG;
	memcpy(out + o, p->type, n);
	o += n;
	out[o++] = '/';
	if (p->ns[0] != '\0') {
		/* Segments were joined by '/': those stay separators. */
		if ((r = encode(p->ns, true, out, outsz, &o)) != 0)
			return r;
		out[o++] = '/';
	}
	if ((r = encode(p->name, false, out, outsz, &o)) != 0)
		return r;
	if (with_version && p->version[0] != '\0') {
		out[o++] = '@';
		if ((r = encode(p->version, false, out, outsz, &o)) != 0)
			return r;
	}
	out[o] = '\0';
	/* What cybex_purl_read would refuse is no normal form. */
	return o > CYBEX_PURL_MAX ? CYBEX_ETOOBIG : 0;
}
