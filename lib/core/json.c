/*
 * JSON helpers over jansson: strict parsing with duplicate keys rejected and
 * a depth cap (yajl on the fast path, see json_fast.c), a fast structural
 * scanner used to cut values out of a stream, RFC 6901 pointers and
 * locating a pointer in raw text (for diagnostics).
 */
#include <stdio.h>
#include <string.h>

#include "cybex/core.h"
#include "core_int.h"

#define SCAN_DEPTH_HARD_MAX	4096

int
cybex_json_scan(const char *buf, size_t len, size_t max_depth, size_t *end)
{
	/* One bit per open container: 1 = object, 0 = array. */
	uint8_t stack[SCAN_DEPTH_HARD_MAX / 8];
	const char *q, *bs;
	size_t depth = 0, i = 0;
	int c;

	*end = 0;
	if (max_depth == 0)
		max_depth = CYBEX_JSON_DEPTH_DEFAULT;
	if (max_depth > SCAN_DEPTH_HARD_MAX)
		max_depth = SCAN_DEPTH_HARD_MAX;
	if (len == 0)
		return 1;

	/* A scalar at the top: it ends at the first delimiter. */
	c = (unsigned char)buf[0];
	if (c != '{' && c != '[' && c != '"') {
		for (i = 0; i < len; i++) {
			c = (unsigned char)buf[i];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			    c == ',' || c == ']' || c == '}' || c == '{' ||
			    c == '[' || c == '"')
				break;
		}
		if (i == len)
			return 1;
		*end = i;
		return i == 0 ? CYBEX_EJSON : 0;
	}

	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		switch (c) {
		case '"':
			/*
			 * The string ends at the first '"' that no backslash
			 * takes.  memchr finds both faster than a loop over
			 * every byte (most bytes of STIX are in strings); the
			 * quote found is kept until an escape takes it, so a
			 * string of many escapes is still scanned once.
			 */
			q = NULL;
			for (i++;;) {
				if (i >= len)
					return 1;
				if (q == NULL || q < buf + i) {
					q = memchr(buf + i, '"', len - i);
					if (q == NULL)
						return 1;
				}
				bs = memchr(buf + i, '\\', (size_t)(q - (buf + i)));
				if (bs == NULL)
					break;
				i = (size_t)(bs - buf) + 2;
			}
			i = (size_t)(q - buf);
			if (depth == 0) {
				*end = i + 1;
				return 0;
			}
			break;
		case '{':
		case '[':
			if (depth >= max_depth) {
				*end = i;
				return CYBEX_ETOOBIG;
			}
			if (c == '{')
				stack[depth / 8] |= (uint8_t)(1u << (depth % 8));
			else
				stack[depth / 8] &= (uint8_t)~(1u << (depth % 8));
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0 ||
			    ((stack[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1) !=
			    (c == '}')) {
				*end = i;
				return CYBEX_EJSON;
			}
			if (--depth == 0) {
				*end = i + 1;
				return 0;
			}
			break;
		default:
			break;
		}
	}
	return 1;
}

void
cybex_text_linecol(const char *text, size_t offset, unsigned long *line,
    unsigned long *column)
{
	unsigned long l = 1;
	size_t i, bol = 0;

	for (i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*column = (unsigned long)(offset - bol) + 1;
}

int
core_json_load(const char *buf, size_t len, json_t **out,
    struct cybex_diag *d)
{
	return cybex_json_parser_load(NULL, buf, len, out, d);
}

int
cybex_json_parser_load(struct cybex_json_parser *p, const char *buf,
    size_t len, json_t **out, struct cybex_diag *d)
{
	json_error_t err;
	json_t *v;
	size_t pos;

	*out = NULL;
	/* Most text takes the fast path; the rest, and every error, jansson. */
	if ((p != NULL ? core_json_parser_fast(p, buf, len, out) :
	    core_json_fast(buf, len, out)) == 0)
		return 0;
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (v == NULL) {
		cybex_diag_set(d, CYBEX_EJSON, "%s", err.text);
		if (d != NULL) {
			/* jansson's position is just past the bad token. */
			pos = err.position > 0 ? (size_t)err.position - 1 : 0;
			if (pos > len)
				pos = len;
			d->offset = pos;
			cybex_text_linecol(buf, pos, &d->line, &d->column);
		}
		return CYBEX_EJSON;
	}
	*out = v;
	return 0;
}

int
cybex_json_parse(const char *buf, size_t len, size_t max_depth, json_t **out,
    struct cybex_diag *d)
{
	size_t start = 0, end = 0;
	int r;

	*out = NULL;
	while (start < len && (buf[start] == ' ' || buf[start] == '\t' ||
	    buf[start] == '\n' || buf[start] == '\r'))
		start++;
	/* The scan enforces the depth cap before jansson recurses. */
	r = cybex_json_scan(buf + start, len - start, max_depth, &end);
	if (r == CYBEX_ETOOBIG) {
		cybex_diag_set(d, r, "JSON nesting deeper than %zu levels",
		    max_depth ? max_depth : (size_t)CYBEX_JSON_DEPTH_DEFAULT);
		if (d != NULL) {
			d->offset = start + end;
			cybex_text_linecol(buf, start + end, &d->line,
			    &d->column);
		}
		return r;
	}
	/* Structural errors and truncation: jansson words them best. */
	return core_json_load(buf, len, out, d);
}

int
cybex_json_pointer_push(char *ptr, size_t cap, const char *key)
{
	size_t n = strlen(ptr);
	const char *k;

	if (n + 1 >= cap)
		return CYBEX_ETOOBIG;
	ptr[n++] = '/';
	for (k = key; *k != '\0'; k++) {
		if (*k == '~' || *k == '/') {
			if (n + 2 >= cap)
				goto full;
			ptr[n++] = '~';
			ptr[n++] = *k == '~' ? '0' : '1';
		} else {
			if (n + 1 >= cap)
				goto full;
			ptr[n++] = *k;
		}
	}
	ptr[n] = '\0';
	return 0;
 full:
	ptr[n] = '\0';
	return CYBEX_ETOOBIG;
}

int
cybex_json_pointer_pushi(char *ptr, size_t cap, size_t index)
{
	char num[24];

	snprintf(num, sizeof(num), "%zu", index);
	return cybex_json_pointer_push(ptr, cap, num);
}

static size_t
skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
	    t[i] == '\r'))
		i++;
	return i;
}

/* Decode one pointer token (~0 ~1) from *p into tok; advance *p. */
static int
next_token(const char **p, char *tok, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '/')
		return CYBEX_EINVAL;
	for (s++; *s != '\0' && *s != '/'; s++) {
		if (n + 1 >= cap)
			return CYBEX_ETOOBIG;
		if (*s == '~' && (s[1] == '0' || s[1] == '1')) {
			tok[n++] = s[1] == '0' ? '~' : '/';
			s++;
		} else
			tok[n++] = *s;
	}
	tok[n] = '\0';
	*p = s;
	return 0;
}

/* Is the JSON string token at t[0..n) (with quotes) equal to key? */
static int
key_equals(const char *t, size_t n, const char *key)
{
	json_t *s;
	int eq;

	if (memchr(t, '\\', n) == NULL)
		return n - 2 == strlen(key) && memcmp(t + 1, key, n - 2) == 0;
	if ((s = json_loadb(t, n, JSON_DECODE_ANY, NULL)) == NULL)
		return 0;
	eq = json_is_string(s) && strcmp(json_string_value(s), key) == 0;
	json_decref(s);
	return eq;
}

int
cybex_json_locate(const char *text, size_t len, const char *ptr,
    size_t *offset)
{
	char tok[CYBEX_DIAG_PTR_MAX];
	size_t i, end, keyat, index, k;
	char *ep;

	*offset = 0;
	i = skip_ws(text, len, 0);
	while (*ptr != '\0') {
		if (next_token(&ptr, tok, sizeof(tok)) != 0 || i >= len)
			return CYBEX_ENOTFOUND;
		if (text[i] == '{') {
			i = skip_ws(text, len, i + 1);
			for (;;) {
				if (i >= len || text[i] != '"')
					return CYBEX_ENOTFOUND;
				keyat = i;
				if (cybex_json_scan(text + i, len - i, 0, &end) != 0)
					return CYBEX_ENOTFOUND;
				i = skip_ws(text, len, i + end);
				if (i >= len || text[i] != ':')
					return CYBEX_ENOTFOUND;
				i = skip_ws(text, len, i + 1);
				if (key_equals(text + keyat, end, tok)) {
					*offset = keyat;
					break;
				}
				if (cybex_json_scan(text + i, len - i,
				    SCAN_DEPTH_HARD_MAX, &end) != 0)
					return CYBEX_ENOTFOUND;
				i = skip_ws(text, len, i + end);
				if (i < len && text[i] == ',')
					i = skip_ws(text, len, i + 1);
				else
					return CYBEX_ENOTFOUND;
			}
		} else if (text[i] == '[') {
			index = (size_t)strtoul(tok, &ep, 10);
			if (*tok == '\0' || *ep != '\0')
				return CYBEX_ENOTFOUND;
			i = skip_ws(text, len, i + 1);
			for (k = 0; k < index; k++) {
				if (cybex_json_scan(text + i, len - i,
				    SCAN_DEPTH_HARD_MAX, &end) != 0)
					return CYBEX_ENOTFOUND;
				i = skip_ws(text, len, i + end);
				if (i < len && text[i] == ',')
					i = skip_ws(text, len, i + 1);
				else
					return CYBEX_ENOTFOUND;
			}
			if (i >= len || text[i] == ']')
				return CYBEX_ENOTFOUND;
			*offset = i;
		} else
			return CYBEX_ENOTFOUND;
	}
	if (*offset == 0)
		*offset = i;
	return 0;
}
