/*
 * JSON output over jansson values.
 *
 * One writer serves three layouts: compact (member order kept), pretty
 * (two-space indent) and RFC 8785 canonical (JCS: members sorted by their
 * UTF-16 code units, no whitespace, ECMAScript number formatting).
 * Strings are escaped the JCS way in every mode, so the only difference
 * between compact and canonical output is member order and reals.
 *
 * jansson integers are written as exact decimal; only reals go through
 * the ECMAScript Number-to-String rules (as the Python JCS reference and
 * STIX tooling do).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "core_int.h"

/* Deeper than any parsed document can be; also stops reference cycles. */
#define JW_DEPTH_MAX	2048

struct jw {
	struct cybex_buf	*out;
	int			 canonical;
	int			 pretty;
};

struct jw_member {
	const char	*key;
	size_t		 keylen;
	json_t		*value;
};

static int	jw_value(struct jw *, const json_t *, unsigned);

static int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		if ((k = cybex_utf8_decode(u + i, n - i, &cp)) == 0)
			return 0;
	}
	return 1;
}

/* First UTF-16 code unit of cp in *u1, the second (or 0) in *u2. */
static void
utf16_units(uint32_t cp, uint32_t *u1, uint32_t *u2)
{
	if (cp < 0x10000) {
		*u1 = cp;
		*u2 = 0;
	} else {
		*u1 = 0xd800 + ((cp - 0x10000) >> 10);
		*u2 = 0xdc00 + ((cp - 0x10000) & 0x3ff);
	}
}

/*
 * RFC 8785 3.2.3: compare keys as arrays of UTF-16 code units.  Keys were
 * validated as UTF-8 before sorting.  This differs from byte order only
 * where a supplementary character (surrogate pair, 0xd800..) meets a
 * character in U+E000..U+FFFF.
 */
static int
member_cmp(const void *pa, const void *pb)
{
	const struct jw_member *a = pa, *b = pb;
	const unsigned char *sa = (const unsigned char *)a->key;
	const unsigned char *sb = (const unsigned char *)b->key;
	size_t i = 0, j = 0, ka, kb;
	uint32_t ca, cb, a1, a2, b1, b2;

	while (i < a->keylen && j < b->keylen) {
		ka = cybex_utf8_decode(sa + i, a->keylen - i, &ca);
		kb = cybex_utf8_decode(sb + j, b->keylen - j, &cb);
		if (ka == 0 || kb == 0)	/* not reached: validated */
			return ka == 0 ? (kb == 0 ? 0 : -1) : 1;
		i += ka;
		j += kb;
		if (ca == cb)
			continue;
		utf16_units(ca, &a1, &a2);
		utf16_units(cb, &b1, &b2);
		if (a1 != b1)
			return a1 < b1 ? -1 : 1;
		return a2 < b2 ? -1 : 1;
	}
	if (i < a->keylen)
		return 1;
	if (j < b->keylen)
		return -1;
	return 0;
}

/* A JSON string, escaped per RFC 8785 3.2.2.2. */
static int
jw_string(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, run = 0;
	char e[6];
	int r;

	if (!utf8_valid(s, n)) {
		r = CYBEX_EINVAL;
		goto out;
	}
	if ((r = cybex_buf_putc(w->out, '"')) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\')
			continue;
		/* Flush the literal run before this byte. */
		if ((r = cybex_buf_append(w->out, s + run, i - run)) != 0)
			goto out;
		run = i + 1;
		e[0] = '\\';
		switch (u[i]) {
		case '"':
		case '\\':
			e[1] = (char)u[i];
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[u[i] >> 4];
			e[5] = hex[u[i] & 0x0f];
			r = cybex_buf_append(w->out, e, 6);
			goto next;
		}
		r = cybex_buf_append(w->out, e, 2);
 next:
		if (r != 0)
			goto out;
	}
	if ((r = cybex_buf_append(w->out, s + run, n - run)) != 0)
		goto out;
	r = cybex_buf_putc(w->out, '"');
 out:
	return r;
}

/*
 * Shortest decimal digits that read back as v (v > 0, finite): digits
 * d1..dk without a point, and the exponent n with v = 0.d1..dk * 10^n
 * (ECMA-262 Number::toString notation).  "%.*e" rounds correctly, so the
 * first precision that round-trips also gives the closest such digits.
 */
static int
shortest_digits(double v, char *dig, size_t digsz, int *k, int *n)
{
	char tmp[48];
	const char *p;
	long e;
	int prec, nd = 0, r = CYBEX_EINTERNAL;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec > 17)
		goto out;
	/* tmp is "d[.ddd]e[+-]xx"; the point may be locale-specific. */
	for (p = tmp; *p != '\0' && *p != 'e'; p++) {
		if (*p >= '0' && *p <= '9' && (size_t)nd < digsz - 1)
			dig[nd++] = *p;
	}
	if (*p != 'e' || nd == 0)
		goto out;
	e = strtol(p + 1, NULL, 10);
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	dig[nd] = '\0';
	*k = nd;
	*n = (int)e + 1;
	r = 0;
 out:
	return r;
}

/* Lay out a finite real; ECMAScript rules, ".0" added when not canonical. */
static int
jw_real(struct jw *w, double v)
{
	char dig[24], num[64];
	size_t len = 0;
	int k, n, i, x, r;

	if (!isfinite(v)) {
		r = CYBEX_EINVAL;
		goto out;
	}
	if (v == 0) {
		/* ES prints -0 as "0"; otherwise keep sign and point. */
		r = cybex_buf_puts(w->out, w->canonical ? "0" :
		    (signbit(v) ? "-0.0" : "0.0"));
		goto out;
	}
	if (v < 0) {
		num[len++] = '-';
		v = -v;
	}
	if ((r = shortest_digits(v, dig, sizeof(dig), &k, &n)) != 0)
		goto out;
	if (k <= n && n <= 21) {
		/* Integer-valued: digits then n - k zeros. */
		for (i = 0; i < k; i++)
			num[len++] = dig[i];
		for (i = k; i < n; i++)
			num[len++] = '0';
	} else if (0 < n && n <= 21) {
		for (i = 0; i < n; i++)
			num[len++] = dig[i];
		num[len++] = '.';
		for (i = n; i < k; i++)
			num[len++] = dig[i];
	} else if (-6 < n && n <= 0) {
		num[len++] = '0';
		num[len++] = '.';
		for (i = 0; i < -n; i++)
			num[len++] = '0';
		for (i = 0; i < k; i++)
			num[len++] = dig[i];
	} else {
		num[len++] = dig[0];
		if (k > 1) {
			num[len++] = '.';
			for (i = 1; i < k; i++)
				num[len++] = dig[i];
		}
		x = n - 1;
		num[len++] = 'e';
		num[len++] = x < 0 ? '-' : '+';
		len += (size_t)snprintf(num + len, sizeof(num) - len, "%d",
		    x < 0 ? -x : x);
	}
	num[len] = '\0';
	if (!w->canonical && strpbrk(num, ".e") == NULL) {
		/* Must read back as a real, not an integer. */
		num[len++] = '.';
		num[len++] = '0';
		num[len] = '\0';
	}
	r = cybex_buf_append(w->out, num, len);
 out:
	return r;
}

static int
jw_indent(struct jw *w, unsigned depth)
{
	unsigned i;
	int r = 0;

	if (!w->pretty)
		goto out;
	if ((r = cybex_buf_putc(w->out, '\n')) != 0)
		goto out;
	for (i = 0; i < depth && r == 0; i++)
		r = cybex_buf_append(w->out, "  ", 2);
 out:
	return r;
}

static int
jw_members(struct jw *w, const struct jw_member *m, size_t cnt,
    unsigned depth)
{
	size_t i;
	int r = 0;

	if ((r = cybex_buf_putc(w->out, '{')) != 0)
		goto out;
	for (i = 0; i < cnt; i++) {
		if (i > 0 && (r = cybex_buf_putc(w->out, ',')) != 0)
			goto out;
		if ((r = jw_indent(w, depth + 1)) != 0 ||
		    (r = jw_string(w, m[i].key, m[i].keylen)) != 0 ||
		    (r = cybex_buf_append(w->out, ": ",
		    w->pretty ? 2 : 1)) != 0 ||
		    (r = jw_value(w, m[i].value, depth + 1)) != 0)
			goto out;
	}
	if (cnt > 0 && (r = jw_indent(w, depth)) != 0)
		goto out;
	r = cybex_buf_putc(w->out, '}');
 out:
	return r;
}

static int
jw_object(struct jw *w, const json_t *v, unsigned depth)
{
	struct jw_member *m = NULL;
	size_t cnt, i = 0;
	void *it;
	int r = CYBEX_ENOMEM;

	cnt = json_object_size(v);
	if ((m = cybex_calloc(cnt != 0 ? cnt : 1, sizeof(*m))) == NULL)
		goto out;
	/* jansson's API is not const-correct; nothing is modified. */
	for (it = json_object_iter((json_t *)v); it != NULL && i < cnt;
	    it = json_object_iter_next((json_t *)v, it), i++) {
		m[i].key = json_object_iter_key(it);
#if JANSSON_VERSION_HEX >= 0x020e00
		m[i].keylen = json_object_iter_key_len(it);
#else
		m[i].keylen = strlen(m[i].key);
#endif
		m[i].value = json_object_iter_value(it);
	}
	cnt = i;
	if (w->canonical) {
		/* The comparator relies on valid UTF-8. */
		for (i = 0; i < cnt; i++) {
			if (!utf8_valid(m[i].key, m[i].keylen)) {
				r = CYBEX_EINVAL;
				goto out;
			}
		}
		qsort(m, cnt, sizeof(*m), member_cmp);
	}
	r = jw_members(w, m, cnt, depth);
 out:
	cybex_free(m);
	return r;
}

static int
jw_array(struct jw *w, const json_t *v, unsigned depth)
{
	size_t i, cnt = json_array_size(v);
	int r;

	if ((r = cybex_buf_putc(w->out, '[')) != 0)
		goto out;
	for (i = 0; i < cnt; i++) {
		if (i > 0 && (r = cybex_buf_putc(w->out, ',')) != 0)
			goto out;
		if ((r = jw_indent(w, depth + 1)) != 0 ||
		    (r = jw_value(w, json_array_get(v, i), depth + 1)) != 0)
			goto out;
	}
	if (cnt > 0 && (r = jw_indent(w, depth)) != 0)
		goto out;
	r = cybex_buf_putc(w->out, ']');
 out:
	return r;
}

static int
jw_value(struct jw *w, const json_t *v, unsigned depth)
{
	int r = CYBEX_EINVAL;

	if (v == NULL)
		goto out;
	if (depth >= JW_DEPTH_MAX) {
		r = CYBEX_ETOOBIG;
		goto out;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		r = jw_object(w, v, depth);
		break;
	case JSON_ARRAY:
		r = jw_array(w, v, depth);
		break;
	case JSON_STRING:
		r = jw_string(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		r = cybex_buf_printf(w->out, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL:
		r = jw_real(w, json_real_value(v));
		break;
	case JSON_TRUE:
		r = cybex_buf_puts(w->out, "true");
		break;
	case JSON_FALSE:
		r = cybex_buf_puts(w->out, "false");
		break;
	case JSON_NULL:
		r = cybex_buf_puts(w->out, "null");
		break;
	default:
		r = CYBEX_EINVAL;
		break;
	}
 out:
	return r;
}

int
cybex_json_write(const json_t *v, unsigned flags, struct cybex_buf *out)
{
	struct jw w;
	size_t start = out->len;
	int r;

	w.out = out;
	w.canonical = (flags & CYBEX_JSON_CANONICAL) != 0;
	/* Canonical form has no whitespace, so it wins over PRETTY. */
	w.pretty = !w.canonical && (flags & CYBEX_JSON_PRETTY) != 0;
	r = jw_value(&w, v, 0);
	/* All or nothing: drop a partial document. */
	if (r != 0)
		cybex_buf_truncate(out, start);
	return r;
}
