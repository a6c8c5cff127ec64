/*
 * CPE 2.3 names: the formatted-string binding (NISTIR 7695 section 6.2)
 * and name matching (NISTIR 7696 sections 6.1 and 6.2).
 *
 * A name is held as its WFN: each attribute ANY, NA or a string in which
 * every character other than [a-z0-9_] is quoted with a backslash, except
 * unquoted wildcards.  Matching works on that form, as the pseudo-code of
 * 7696 does, so quoting counts as the specification counts it.
 */
#include <ctype.h>
#include <strings.h>
#include <string.h>

#include "vuln_int.h"

#define CPE_PREFIX	"cpe:2.3:"

static bool
is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * add_quoting of 7695 6.2.3.3 on s[0..n), folded to lower case, into
 * out->value.  col is the column of s[0] for errors.
 */
static int
unbind_value(const char *s, size_t n, size_t col, struct cybex_cpe_attr *out,
    struct cybex_diag *d)
{
	size_t i = 0, o = 0;
	bool embedded = false;
	int c;

	if (n == 1 && s[0] == '*') {
		out->kind = CYBEX_CPE_ANY;
		return 0;
	}
	if (n == 1 && s[0] == '-') {
		out->kind = CYBEX_CPE_NA;
		return 0;
	}
	if (n == 0) {
		d->column = col;
		return cybex_diag_set(d, CYBEX_EFORMAT, "an empty attribute "
		    "(ANY is '*', NA is '-')");
	}
	out->kind = CYBEX_CPE_VALUE;
	while (i < n) {
		c = (unsigned char)s[i];
		if (o + 3 > sizeof(out->value)) {
			d->column = col;
			return cybex_diag_set(d, CYBEX_ETOOBIG, "an attribute "
			    "longer than %d bytes", CYBEX_CPE_ATTR_MAX - 3);
		}
		if (is_word(c)) {
			out->value[o++] = (char)tolower(c);
			i++;
			embedded = true;
		} else if (c == '\\') {
			if (i + 1 >= n) {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a "
				    "backslash quotes nothing");
			}
			c = (unsigned char)s[i + 1];
			if (c < 0x21 || c > 0x7e) {
				d->column = col + i + 1;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a "
				    "byte outside printable ASCII");
			}
			/* A quoted word character is that character. */
			if (!is_word(c))
				out->value[o++] = '\\';
			out->value[o++] = (char)tolower(c);
			i += 2;
			embedded = true;
		} else if (c == '*') {
			if (i != 0 && i != n - 1) {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "an "
				    "unquoted '*' inside a value (only at its "
				    "start or end)");
			}
			out->value[o++] = '*';
			i++;
			embedded = true;
		} else if (c == '?') {
			if (i == 0 || i == n - 1 ||
			    (!embedded && s[i - 1] == '?') ||
			    (embedded && s[i + 1] == '?')) {
				out->value[o++] = '?';
				i++;
				embedded = false;
			} else {
				d->column = col + i;
				return cybex_diag_set(d, CYBEX_EFORMAT, "an "
				    "unquoted '?' inside a value (only runs "
				    "at its start or end)");
			}
		} else if (c >= 0x21 && c <= 0x7e) {
			out->value[o++] = '\\';
			out->value[o++] = (char)c;
			i++;
			embedded = true;
		} else {
			d->column = col + i;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a byte outside "
			    "printable ASCII");
		}
	}
	out->value[o] = '\0';
	return 0;
}

int
cybex_cpe_read(const char *s, size_t len, struct cybex_cpe *out,
    struct cybex_diag *d)
{
	size_t i, start, k = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > CYBEX_CPE_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a CPE name longer than "
		    "%d bytes", CYBEX_CPE_MAX);
	if (len < strlen(CPE_PREFIX) ||
	    strncasecmp(s, CPE_PREFIX, strlen(CPE_PREFIX)) != 0) {
		d->column = 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "not a CPE 2.3 "
		    "formatted string (it starts \"cpe:2.3:\")");
	}
	start = i = strlen(CPE_PREFIX);
	for (;; i++) {
		if (i + 1 < len && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < len && s[i] != ':')
			continue;
		if (k == CYBEX_CPE_NATTR) {
			d->column = start + 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "more than %d "
			    "attributes", CYBEX_CPE_NATTR);
		}
		r = unbind_value(s + start, i - start, start + 1,
		    &out->attr[k], d);
		if (r != 0)
			return r;
		k++;
		if (i >= len)
			break;
		start = i + 1;
	}
	if (k != CYBEX_CPE_NATTR) {
		d->column = len + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "%zu attributes, a "
		    "CPE 2.3 name has %d", k, CYBEX_CPE_NATTR);
	}
	if (out->attr[0].kind == CYBEX_CPE_NA ||
	    (out->attr[0].kind == CYBEX_CPE_VALUE &&
	    strcmp(out->attr[0].value, "a") != 0 &&
	    strcmp(out->attr[0].value, "o") != 0 &&
	    strcmp(out->attr[0].value, "h") != 0)) {
		d->column = strlen(CPE_PREFIX) + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "part is 'a', 'o', "
		    "'h' or '*'");
	}
	return 0;
}

int
cybex_cpe_write(const struct cybex_cpe *c, char *out, size_t outsz)
{
	size_t o, k, i;
	const char *v;

	if (outsz < sizeof(CPE_PREFIX))
		return CYBEX_ETOOBIG;
	memcpy(out, CPE_PREFIX, strlen(CPE_PREFIX));
	o = strlen(CPE_PREFIX);
	for (k = 0; k < CYBEX_CPE_NATTR; k++) {
		if (k > 0) {
			if (o + 1 >= outsz)
				return CYBEX_ETOOBIG;
			out[o++] = ':';
		}
		if (c->attr[k].kind != CYBEX_CPE_VALUE) {
			if (o + 1 >= outsz)
				return CYBEX_ETOOBIG;
			out[o++] = c->attr[k].kind == CYBEX_CPE_ANY ? '*' : '-';
			continue;
		}
		v = c->attr[k].value;
		/*
		 * A value that is one quoted hyphen would bind to "-", which
		 * reads back as NA: it stays quoted.
		 */
		if (strcmp(v, "\\-") == 0) {
			if (o + 3 >= outsz)
				return CYBEX_ETOOBIG;
			memcpy(out + o, "\\-", 2);
			o += 2;
			continue;
		}
		for (i = 0; v[i] != '\0'; i++) {
			if (o + 2 >= outsz)
				return CYBEX_ETOOBIG;
			/* process_quoted_chars: \. \- \_ bind unquoted. */
			if (v[i] == '\\' && v[i + 1] != '\0' &&
			    strchr(".-_", v[i + 1]) != NULL)
				i++;
			else if (v[i] == '\\' && v[i + 1] != '\0')
				out[o++] = v[i++];
			out[o++] = v[i];
		}
	}
	out[o] = '\0';
	/* What cybex_cpe_read would refuse is no normal form. */
	return o > CYBEX_CPE_MAX ? CYBEX_ETOOBIG : 0;
}

/* Is the character at v[idx] unquoted (an even run of backslashes)? */
static bool
even_escapes(const char *v, size_t idx)
{
	size_t n = 0;

	while (idx > 0 && v[idx - 1] == '\\') {
		n++;
		idx--;
	}
	return n % 2 == 0;
}

/* Quoting backslashes in v[from..to). */
static size_t
count_escapes(const char *v, size_t from, size_t to)
{
	size_t n = 0, i;

	for (i = from; i < to; i++)
		if (v[i] == '\\') {
			n++;
			i++;
		}
	return n;
}

static bool
has_wildcards(const char *v)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '\\') {
			if (v[i + 1] != '\0')
				i++;
			continue;
		}
		if (v[i] == '*' || v[i] == '?')
			return true;
	}
	return false;
}

/* compare_strings of 7696 6.1.3: SUPERSET or DISJOINT. */
static enum cybex_cpe_rel
compare_strings(const char *src, const char *tgt)
{
	size_t start = 0, end = strlen(src), tlen = strlen(tgt), slen;
	size_t esc, leftover, idx;
	long begins = 0, ends = 0;
	const char *hit, *from;
	char mid[CYBEX_CPE_ATTR_MAX];

	if (end > 0 && src[0] == '*') {
		start = 1;
		begins = -1;
	} else
		while (start < end && src[start] == '?') {
			start++;
			begins++;
		}
	if (end > start && src[end - 1] == '*' && even_escapes(src, end - 1)) {
		end--;
		ends = -1;
	} else
		while (end > start && src[end - 1] == '?' &&
		    even_escapes(src, end - 1)) {
			end--;
			ends++;
		}
	slen = end - start;
	memcpy(mid, src + start, slen);
	mid[slen] = '\0';
	leftover = tlen;
	from = tgt;
	while (leftover > 0) {
		if (from > tgt + tlen || (hit = strstr(from, mid)) == NULL)
			break;
		idx = (size_t)(hit - tgt);
		esc = count_escapes(tgt, 0, idx);
		if (idx > 0 && begins != -1 && (size_t)begins < idx - esc)
			break;
		/*
		 * 7696 counts the escapes from idx + 1, those inside the
		 * matched text too, which would subtract them twice (and
		 * underflow for "1\.1\.1?" against "1\.1\.1w"): what
		 * is left over is the characters after the match.
		 */
		esc = count_escapes(tgt, idx + slen, tlen);
		leftover = tlen - idx - slen - esc;
		from = hit + 1;
		if (leftover > 0 && ends != -1 && leftover > (size_t)ends)
			continue;
		return CYBEX_CPE_SUPERSET;
	}
	return CYBEX_CPE_DISJOINT;
}

enum cybex_cpe_rel
cybex_cpe_attr_compare(const struct cybex_cpe_attr *src,
    const struct cybex_cpe_attr *tgt)
{
	if (tgt->kind == CYBEX_CPE_VALUE && has_wildcards(tgt->value))
		return CYBEX_CPE_UNDEFINED;
	if (src->kind == tgt->kind && (src->kind != CYBEX_CPE_VALUE ||
	    strcmp(src->value, tgt->value) == 0))
		return CYBEX_CPE_EQUAL;
	if (src->kind == CYBEX_CPE_ANY)
		return CYBEX_CPE_SUPERSET;
	if (tgt->kind == CYBEX_CPE_ANY)
		return CYBEX_CPE_SUBSET;
	if (tgt->kind == CYBEX_CPE_NA || src->kind == CYBEX_CPE_NA)
		return CYBEX_CPE_DISJOINT;
	return compare_strings(src->value, tgt->value);
}

enum cybex_cpe_rel
cybex_cpe_compare(const struct cybex_cpe *src, const struct cybex_cpe *tgt,
    int skip, enum cybex_cpe_rel rel[CYBEX_CPE_NATTR])
{
	enum cybex_cpe_rel r;
	bool equal = true, superset = true, subset = true, disjoint = false;
	int k;

	for (k = 0; k < CYBEX_CPE_NATTR; k++) {
		r = k == skip ? CYBEX_CPE_EQUAL :
		    cybex_cpe_attr_compare(&src->attr[k], &tgt->attr[k]);
		if (rel != NULL)
			rel[k] = r;
		if (r != CYBEX_CPE_EQUAL)
			equal = false;
		if (r != CYBEX_CPE_EQUAL && r != CYBEX_CPE_SUPERSET)
			superset = false;
		if (r != CYBEX_CPE_EQUAL && r != CYBEX_CPE_SUBSET)
			subset = false;
		if (r == CYBEX_CPE_DISJOINT)
			disjoint = true;
	}
	if (disjoint)
		return CYBEX_CPE_DISJOINT;
	if (equal)
		return CYBEX_CPE_EQUAL;
	if (superset)
		return CYBEX_CPE_SUPERSET;
	if (subset)
		return CYBEX_CPE_SUBSET;
	return CYBEX_CPE_UNDEFINED;
}
