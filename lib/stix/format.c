/*
 * Format checks for STIX values: type and property names, identifiers,
 * base64, hex, RFC 5646 language tags, RFC 3986 URIs, IP and MAC addresses.
 *
 * Plain C scanners, no regex and no allocation.  Every function takes a
 * NUL-terminated string, treats NULL as invalid and never reads past the
 * terminator.  Where the spec prose and the OASIS JSON schemas differ in
 * strictness, the schemas (json-schemas/schemas/common) decide.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cybex/ip.h"
#include "stix_int.h"

#define NAME_MIN	3
#define NAME_MAX	250
#define UUID_LEN	36

static bool
is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static bool
is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * Type name body in s[0..n): starts with a-z, then a-z0-9 and '-', never
 * two hyphens in a row.  Length is checked by the callers.
 */
static bool
type_chars_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_lower((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '-') {
			if (s[i - 1] == '-')
				return false;
		} else if (!is_lower(c) && !is_digit(c))
			return false;
	}
	return true;
}

/*
 * The schema (cyber-observable-core.json, core.json) allows a trailing
 * hyphen in a type name; identifier.json does not allow one in the type
 * part of an identifier, which stix_is_identifier enforces.
 */
bool
stix_is_type_name(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < NAME_MIN || n > NAME_MAX)
		return false;
	return type_chars_ok(s, n);
}

/* a-z, 0-9, '_', first character a letter (STIX 2.1), 3..250 chars. */
bool
stix_is_prop_name(const char *s)
{
	size_t i, n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < NAME_MIN || n > NAME_MAX || !is_lower((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!is_lower(c) && !is_digit(c) && c != '_')
			return false;
	}
	return true;
}

/* RFC 4122 textual UUID, versions 1-5, variant 10xx, hex in either case. */
static bool
uuid_ok(const char *u)
{
	size_t i;

	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				return false;
		} else if (!is_xdigit((unsigned char)u[i]))
			return false;
	}
	if (u[UUID_LEN] != '\0')
		return false;
	if (u[14] < '1' || u[14] > '5')
		return false;
	return strchr("89abAB", u[19]) != NULL;
}

/*
 * "type--uuid".  The UUID has a fixed length, so the type part is what
 * precedes the last 38 characters.  When type is not NULL it receives the
 * type part; a typesz too small for it makes the result false (callers
 * pass at least NAME_MAX + 1 bytes).
 */
bool
stix_is_identifier(const char *s, char *type, size_t typesz)
{
	size_t n, tlen;

	if (type != NULL && typesz > 0)
		type[0] = '\0';
	if (s == NULL)
		return false;
	n = strlen(s);
	if (n < NAME_MIN + 2 + UUID_LEN)
		return false;
	tlen = n - UUID_LEN - 2;
	if (tlen > NAME_MAX || s[tlen] != '-' || s[tlen + 1] != '-')
		return false;
	if (!type_chars_ok(s, tlen) || s[tlen - 1] == '-')
		return false;
	if (!uuid_ok(s + tlen + 2))
		return false;
	if (type != NULL) {
		if (typesz <= tlen)
			return false;
		memcpy(type, s, tlen);
		type[tlen] = '\0';
	}
	return true;
}

static bool
is_b64(int c)
{
	return is_alnum(c) || c == '+' || c == '/';
}

/*
 * RFC 4648 section 4 with padding: groups of four, '=' only at the end.
 * Non-empty, as binary.json requires.
 */
bool
stix_is_base64(const char *s)
{
	size_t i, n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n == 0 || n % 4 != 0)
		return false;
	for (i = 0; i < n - 2; i++)
		if (!is_b64((unsigned char)s[i]))
			return false;
	if (s[n - 2] == '=')
		return s[n - 1] == '=';
	if (!is_b64((unsigned char)s[n - 2]))
		return false;
	return s[n - 1] == '=' || is_b64((unsigned char)s[n - 1]);
}

/* Non-empty, even number of hex digits, either case (hex.json). */
bool
stix_is_hex(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!is_xdigit((unsigned char)s[i]))
			return false;
	return i % 2 == 0;
}

/* ---- RFC 5646 language tags ---- */

/* Tags matched whole, case-insensitively (RFC 5646 section 2.1). */
static const char *const lang_grandfathered[] = {
	"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak",
	"i-klingon", "i-lux", "i-mingo", "i-navajo", "i-pwn", "i-tao",
	"i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
	"art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu",
	"zh-hakka", "zh-min", "zh-min-nan", "zh-xiang",
	NULL
};

static bool
ieq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (lower((unsigned char)*a) != lower((unsigned char)*b))
			return false;
	return *a == *b;
}

struct subtag {
	const char	*p;
	size_t		 n;
	bool		 alpha;		/* only letters */
	bool		 digit;		/* only digits */
};

/* Next subtag at *s; false when it is empty or has a bad character. */
static bool
next_subtag(const char **s, struct subtag *t)
{
	const char *p = *s;
	size_t n = 0;

	t->p = p;
	t->alpha = t->digit = true;
	while (p[n] != '\0' && p[n] != '-') {
		int c = (unsigned char)p[n];

		if (!is_alnum(c))
			return false;
		if (is_alpha(c))
			t->digit = false;
		else
			t->alpha = false;
		n++;
	}
	if (n == 0 || n > 8)
		return false;
	t->n = n;
	*s = p + n;
	return true;
}

/* Consume the separator; false at the end of the tag or on "--"/"-$". */
static bool
more(const char **s)
{
	if (**s != '-')
		return false;
	(*s)++;
	return true;
}

/* privateuse = "x" 1*("-" 1*8alphanum); s is just past the "x". */
static bool
lang_privateuse(const char *s)
{
	struct subtag t;
	int count = 0;

	while (more(&s)) {
		if (!next_subtag(&s, &t))
			return false;
		count++;
	}
	return count > 0 && *s == '\0';
}

bool
stix_is_lang_tag(const char *s)
{
	struct subtag t;
	char seen[36];
	int state, i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; lang_grandfathered[i] != NULL; i++)
		if (ieq(s, lang_grandfathered[i]))
			return true;
	if (!next_subtag(&s, &t))
		return false;
	if (t.n == 1) {
		if (lower((unsigned char)t.p[0]) != 'x')
			return false;
		return lang_privateuse(s);
	}
	/* language: 2*3ALPHA [-extlang] / 4ALPHA / 5*8ALPHA */
	if (!t.alpha)
		return false;
	memset(seen, 0, sizeof(seen));
	/*
	 * States: 1 after language (extlang allowed when it was 2-3
	 * letters), 2 after extlangs, 3 after script, 4 after region,
	 * 5 among variants, 6 among extensions, 7 right after a singleton.
	 */
	state = t.n <= 3 ? 1 : 2;
	i = 0;				/* extlangs seen */
	while (more(&s)) {
		if (!next_subtag(&s, &t))
			return false;
		if (t.n == 1) {
			int c = lower((unsigned char)t.p[0]);
			int k = is_digit(c) ? c - '0' : c - 'a' + 10;

			if (state == 7)
				return false;	/* singleton, no subtag */
			if (c == 'x')
				return lang_privateuse(s);
			if (seen[k])
				return false;	/* duplicate singleton */
			seen[k] = 1;
			state = 7;
			continue;
		}
		if (state >= 6) {
			state = 6;	/* extension subtag, 2*8alphanum */
			continue;
		}
		if (state == 1 && t.n == 3 && t.alpha && i < 3) {
			if (++i == 3)
				state = 2;
			continue;
		}
		if (state <= 2 && t.n == 4 && t.alpha) {
			state = 3;
			continue;
		}
		if (state <= 3 && ((t.n == 2 && t.alpha) ||
		    (t.n == 3 && t.digit))) {
			state = 4;
			continue;
		}
		if (t.n >= 5 || (t.n == 4 && is_digit((unsigned char)t.p[0]))) {
			state = 5;
			continue;
		}
		return false;
	}
	return *s == '\0' && state != 7;
}

/* ---- RFC 3986 URIs ---- */

static bool
is_unreserved(int c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool
is_subdelim(int c)
{
	return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/* pct-encoded at s: "%" HEXDIG HEXDIG. */
static bool
is_pct(const char *s)
{
	return s[0] == '%' && is_xdigit((unsigned char)s[1]) &&
	    is_xdigit((unsigned char)s[2]);
}

/*
 * Scan characters of class pchar plus the bytes in extra from *s; stop at
 * the first other character.  False on a malformed percent-encoding.
 */
static bool
scan_pchars(const char **s, const char *extra)
{
	const char *p = *s;

	for (;;) {
		int c = (unsigned char)*p;

		if (c == '%') {
			if (!is_pct(p))
				return false;
			p += 3;
		} else if (c != '\0' && (is_unreserved(c) || is_subdelim(c) ||
		    c == ':' || c == '@' || strchr(extra, c) != NULL))
			p++;
		else
			break;
	}
	*s = p;
	return true;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]"; s at "[". */
static bool
uri_ip_literal(const char **s)
{
	const char *p = *s + 1, *end;
	struct cybex_ip ip;
	size_t n;

	if ((end = strchr(p, ']')) == NULL)
		return false;
	n = (size_t)(end - p);
	if (n > 0 && lower((unsigned char)*p) == 'v') {
		/* IPvFuture: "v" 1*HEXDIG "." 1*(unreserved/sub-delims/":") */
		const char *q = p + 1;

		if (!is_xdigit((unsigned char)*q))
			return false;
		while (is_xdigit((unsigned char)*q))
			q++;
		if (*q++ != '.' || q == end)
			return false;
		for (; q < end; q++)
			if (!is_unreserved((unsigned char)*q) &&
			    !is_subdelim((unsigned char)*q) && *q != ':')
				return false;
	} else if (cybex_ip_parse(p, n, &ip) != 0 || ip.family != 6)
		return false;
	*s = end + 1;
	return true;
}

/* authority = [ userinfo "@" ] host [ ":" port ]; s just past "//". */
static bool
uri_authority(const char **s)
{
	const char *p = *s, *q;

	/* userinfo is everything up to an '@' before the path starts */
	for (q = p; *q != '\0' && *q != '/' && *q != '?' && *q != '#' &&
	    *q != '@'; q++)
		;
	if (*q == '@') {
		for (; p < q; p++) {
			if (*p == '%') {
				if (!is_pct(p))
					return false;
				p += 2;
			} else if (!is_unreserved((unsigned char)*p) &&
			    !is_subdelim((unsigned char)*p) && *p != ':')
				return false;
		}
		p++;
	}
	if (*p == '[') {
		if (!uri_ip_literal(&p))
			return false;
	} else {
		/* reg-name (IPv4address is a subset of it) */
		for (;;) {
			if (*p == '%') {
				if (!is_pct(p))
					return false;
				p += 3;
			} else if (*p != '\0' &&
			    (is_unreserved((unsigned char)*p) ||
			    is_subdelim((unsigned char)*p)))
				p++;
			else
				break;
		}
	}
	if (*p == ':') {
		p++;
		while (is_digit((unsigned char)*p))
			p++;
	}
	*s = p;
	return *p == '\0' || *p == '/' || *p == '?' || *p == '#';
}

/*
 * URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ] (absolute;
 * relative references are not URIs).  No spaces, no characters outside
 * the RFC 3986 set, well-formed percent-encoding.
 */
bool
stix_is_uri(const char *s)
{
	const char *p;

	if (s == NULL || !is_alpha((unsigned char)s[0]))
		return false;
	for (p = s + 1; is_alnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.'; p++)
		;
	if (*p++ != ':')
		return false;
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		if (!uri_authority(&p))
			return false;
	}
	/* path: segments of pchar separated by '/' */
	if (!scan_pchars(&p, "/"))
		return false;
	if (*p == '?') {
		p++;
		if (!scan_pchars(&p, "/?"))
			return false;
	}
	if (*p == '#') {
		p++;
		if (!scan_pchars(&p, "/?"))
			return false;
	}
	return *p == '\0';
}

bool
cybex_stix_is_uri(const char *s)
{
	return stix_is_uri(s);
}

/* ---- addresses ---- */

/* The rule of cybex/ip.h, one family, with a "/N" suffix if allowed. */
static bool
is_ip(const char *s, bool allow_cidr, int family)
{
	struct cybex_ip ip;
	unsigned bits;

	if (s == NULL || (!allow_cidr && strchr(s, '/') != NULL))
		return false;
	return cybex_ip_cidr_parse(s, strlen(s), &ip, &bits) == 0 &&
	    ip.family == family;
}

/* Dotted quad, octets 0-255 without leading zeros, optional /0-32. */
bool
stix_is_ipv4(const char *s, bool allow_cidr)
{
	return is_ip(s, allow_cidr, 4);
}

/* The IPv6 rule of cybex/ip.h, optional /0-128. */
bool
stix_is_ipv6(const char *s, bool allow_cidr)
{
	return is_ip(s, allow_cidr, 6);
}

/* Six colon-delimited lower-case hex octets, leading zeros included. */
bool
stix_is_mac(const char *s)
{
	int i;

	if (s == NULL)
		return false;
	for (i = 0; i < 17; i++) {
		int c = (unsigned char)s[i];

		if (i % 3 == 2) {
			if (c != ':')
				return false;
		} else if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			return false;
	}
	return s[17] == '\0';
}
