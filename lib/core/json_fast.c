/*
 * The fast path of JSON parsing: yajl tokenizes and jansson values are
 * built from its callbacks.  For the ~700-byte STIX objects of a threat
 * feed jansson's own parser costs about 12 us each here; this path about
 * 3.5 us, because yajl scans strings in bulk and hands out unescaped
 * strings in place instead of reading the text one character at a time.
 *
 * The contract with core_json_load and cybex_json_parser_load (json.c),
 * the only callers: this path accepts
 * only text that jansson accepts (with JSON_REJECT_DUPLICATES |
 * JSON_DECODE_ANY) and builds the value jansson would build, members in
 * the same order.  Whatever it cannot vouch for it declines, and the text
 * goes to jansson, which then either builds the value or words the error
 * with its position.  So every error message is jansson's, as before.
 *
 * What yajl alone would let through, and why it is declined here:
 * - UTF-8 that is only shaped right (overlong forms, surrogates, code
 *   points past U+10FFFF): one strict pass over the text first.
 * - "\u0000" and lone surrogate escapes (yajl writes '?' for a lone
 *   one): any \u escape of U+0000 or U+D800..U+DFFF is declined, so a
 *   proper surrogate pair also goes to jansson, which is rare and fine.
 * - '\f' and '\v' between tokens (whitespace to yajl, not to JSON): any
 *   control byte but tab, LF and CR is declined, wherever it is (inside a
 *   string both parsers reject it anyway).
 * - Duplicate keys: seen in the object being built.
 * - Integers outside int64_t: jansson reports them, so they are declined.
 * - Reals: converted by jansson itself from the number's own text, so the
 *   double is jansson's to the bit (and an overflow is declined).
 * - Nesting deeper than FAST_DEPTH_MAX: declined; jansson has its own cap.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "core_int.h"

#define FAST_DEPTH_MAX	128
#define KEY_INLINE	128

struct fast {
	yajl_handle	 h;		/* NULL until needed, or after a failure */
	json_t		*root;
	size_t		 end;		/* bytes consumed when the root ended */
	json_t		*stack[FAST_DEPTH_MAX];	/* open containers */
	size_t		 depth;
	/* The pending member name of the innermost object. */
	char		 key_inline[KEY_INLINE];
	char		*key;		/* key_inline or key_heap */
	size_t		 keylen;
	char		*key_heap;
	size_t		 key_heap_size;
	bool		 declined;
};

/* ---- the strict pre-pass ---- */

/*
 * 0 for bytes that need no look (printable ASCII but the backslash), 1
 * for everything else: control bytes, '\\' and bytes >= 0x80.
 */
static const uint8_t look[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Value of the 4 hex digits at s, or -1. */
static long
hex4(const unsigned char *s)
{
	long v = 0;
	int i, x;

	for (i = 0; i < 4; i++) {
		if ((x = cybex_hexval(s[i])) < 0)
			return -1;
		v = v * 16 + x;
	}
	return v;
}

#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL

/*
 * Are the 8 bytes at p all printable ASCII but the backslash?  Each term
 * is exact about whether some byte has the property (a borrow only
 * spreads from a byte that has it): >= 0x80, < 0x20, == '\\'.
 */
static bool
plain8(const unsigned char *p)
{
	uint64_t w, bs;

	memcpy(&w, p, sizeof(w));
	bs = w ^ (ONES * '\\');
	return ((w | ((w - ONES * 0x20) & ~w) | ((bs - ONES) & ~bs)) &
	    HIGHS) == 0;
}

/*
 * 1 when the text may go to yajl: strict UTF-8, no control byte but tab,
 * LF and CR, no \u escape of NUL or of a surrogate.  0 declines.  Most
 * text is plain ASCII, taken 8 bytes at a time.
 */
static int
prepass(const unsigned char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	long u;

	while (i < len) {
		if (len - i >= 8 && plain8(s + i)) {
			i += 8;
			continue;
		}
		if (look[s[i]] == 0) {
			i++;
			continue;
		}
		if (s[i] >= 0x80) {
			if ((n = cybex_utf8_decode(s + i, len - i, &cp)) == 0)
				return 0;
			i += n;
		} else if (s[i] == '\\') {
			/*
			 * Outside a string a backslash is a syntax error
			 * that yajl reports, so every one can be taken as
			 * the start of an escape here.
			 */
			if (i + 1 < len && s[i + 1] == 'u') {
				if (len - i < 6)
					return 0;
				u = hex4(s + i + 2);
				if (u <= 0 || (u >= 0xd800 && u <= 0xdfff))
					return 0;
				i += 6;
			} else
				i += 2;
		} else if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			i++;
		else
			return 0;
	}
	return 1;
}

/* ---- building jansson values from yajl's callbacks ---- */

static int
decline(struct fast *f)
{
	f->declined = true;
	return 0;		/* cancels the parse */
}

/* Put v where the parse is: the root, an array element or a member. */
static int
add(struct fast *f, json_t *v)
{
	json_t *top;
	size_t n;

	if (v == NULL)
		return decline(f);
	if (f->depth == 0) {
		if (f->root != NULL) {
			json_decref(v);
			return decline(f);
		}
		f->root = v;
		f->end = yajl_get_bytes_consumed(f->h);
		return 1;
	}
	top = f->stack[f->depth - 1];
	if (json_is_array(top)) {
		if (json_array_append_new(top, v) != 0)
			return decline(f);
		return 1;
	}
	if (f->key == NULL) {
		json_decref(v);
		return decline(f);
	}
	/*
	 * A duplicate key replaces the earlier value and leaves the size as
	 * it was: cheaper than a lookup before every member.  jansson then
	 * rejects the text and says where.
	 */
	n = json_object_size(top);
	if (json_object_setn_new_nocheck(top, f->key, f->keylen, v) != 0 ||
	    json_object_size(top) != n + 1)
		return decline(f);
	f->key = NULL;
	return 1;
}

static int
on_null(void *ud)
{
	return add(ud, json_null());
}

static int
on_boolean(void *ud, int b)
{
	return add(ud, json_boolean(b));
}

/* An integer exactly as strtoll would take it, or decline. */
static int
on_integer_text(struct fast *f, const char *s, size_t len)
{
	uint64_t v = 0, lim;
	bool neg = false;
	size_t i = 0;
	unsigned dgt;

	if (len > 0 && s[0] == '-') {
		neg = true;
		i = 1;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (i == len)
		return decline(f);
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return decline(f);
		dgt = (unsigned)(s[i] - '0');
		if (v > (lim - dgt) / 10)
			return decline(f);	/* jansson: "too big integer" */
		v = v * 10 + dgt;
	}
	if (neg)
		return add(f, json_integer(v == (uint64_t)INT64_MAX + 1 ?
		    INT64_MIN : -(json_int_t)v));
	return add(f, json_integer((json_int_t)v));
}

static int
on_number(void *ud, const char *s, size_t len)
{
	struct fast *f = ud;
	json_t *v;

	if (memchr(s, '.', len) == NULL && memchr(s, 'e', len) == NULL &&
	    memchr(s, 'E', len) == NULL)
		return on_integer_text(f, s, len);
	/* jansson's own conversion of the same text: the same double. */
	v = json_loadb(s, len, JSON_DECODE_ANY, NULL);
	if (v == NULL || !json_is_real(v)) {
		json_decref(v);
		return decline(f);
	}
	return add(f, v);
}

static int
on_string(void *ud, const unsigned char *s, size_t len)
{
	return add(ud, json_stringn_nocheck((const char *)s, len));
}

static int
open_container(struct fast *f, json_t *c)
{
	if (c == NULL || f->depth >= FAST_DEPTH_MAX) {
		json_decref(c);
		return decline(f);
	}
	/* The container is referenced by its parent (or is the root). */
	if (!add(f, c))
		return 0;
	f->stack[f->depth++] = c;
	return 1;
}

static int
on_start_map(void *ud)
{
	return open_container(ud, json_object());
}

static int
on_map_key(void *ud, const unsigned char *s, size_t len)
{
	struct fast *f = ud;
	char *nk;

	/*
	 * The name may sit in yajl's buffer for unescaped strings, which the
	 * value (if it has escapes) overwrites: keep a copy.
	 */
	if (len <= sizeof(f->key_inline))
		f->key = f->key_inline;
	else {
		if (len > f->key_heap_size) {
			if ((nk = cybex_realloc(f->key_heap, len)) == NULL)
				return decline(f);
			f->key_heap = nk;
			f->key_heap_size = len;
		}
		f->key = f->key_heap;
	}
	memcpy(f->key, s, len);
	f->keylen = len;
	return 1;
}

static int
on_end(void *ud)
{
	struct fast *f = ud;

	if (--f->depth == 0)
		f->end = yajl_get_bytes_consumed(f->h);
	return 1;
}

static int
on_start_array(void *ud)
{
	return open_container(ud, json_array());
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

/* yajl allocates through the library's hooks, like jansson. */
static void *
ya_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return cybex_malloc(n);
}

static void *
ya_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return cybex_realloc(p, n);
}

static void
ya_free(void *ctx, void *p)
{
	(void)ctx;
	cybex_free(p);
}

struct cybex_json_parser {
	struct fast	 f;		/* yajl's context: must not move */
};

int
cybex_json_parser_new(struct cybex_json_parser **out)
{
	struct cybex_json_parser *p;

	*out = NULL;
	if ((p = cybex_calloc(1, sizeof(*p))) == NULL)
		return CYBEX_ENOMEM;
	*out = p;
	return 0;
}

void
cybex_json_parser_free(struct cybex_json_parser *p)
{
	if (p == NULL)
		return;
	if (p->f.h != NULL)
		yajl_free(p->f.h);
	json_decref(p->f.root);
	cybex_free(p->f.key_heap);
	cybex_free(p);
}

/* Only JSON whitespace in s[0..len)? */
static bool
all_ws(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	}
	return true;
}

/*
 * One handle parses value after value: allocating it (and its buffers)
 * for every object cost about a fifth of the parse.  With multiple values
 * allowed, yajl_complete_parse ends the value (a number needs it) and
 * leaves the handle ready for the next one.  What follows the value must
 * be whitespace: a second value would reach add() with the root set,
 * which declines, but an unfinished token (`{} "abc`) makes no callback
 * at all and is not an error to yajl even in its one-value mode, so the
 * text after the root's end is checked here.  After any failure the
 * handle's state is unknown, so it is dropped.
 */
int
core_json_parser_fast(struct cybex_json_parser *p, const char *buf,
    size_t len, json_t **out)
{
	yajl_alloc_funcs af = { ya_malloc, ya_realloc, ya_free, NULL };
	struct fast *f = &p->f;
	int r = 1;

	*out = NULL;
	if (!prepass((const unsigned char *)buf, len))
		return 1;
	f->root = NULL;
	f->depth = 0;
	f->key = NULL;
	f->keylen = 0;
	f->declined = false;
	if (f->h == NULL) {
		/* yajl copies af; it keeps a pointer to the static table. */
		if ((f->h = yajl_alloc(&callbacks, &af, f)) == NULL)
			goto out;
		if (!yajl_config(f->h, yajl_allow_multiple_values, 1)) {
			yajl_free(f->h);
			f->h = NULL;
			goto out;
		}
	}
	/*
	 * A root still open after yajl_parse is a number at the very end,
	 * which only yajl_complete_parse finishes: nothing can follow it.
	 */
	if (yajl_parse(f->h, (const unsigned char *)buf, len) !=
	    yajl_status_ok || f->declined || (f->root != NULL &&
	    (f->end > len || !all_ws(buf + f->end, len - f->end))) ||
	    yajl_complete_parse(f->h) != yajl_status_ok || f->declined ||
	    f->root == NULL || f->depth != 0) {
		yajl_free(f->h);
		f->h = NULL;
		goto out;
	}
	*out = f->root;
	f->root = NULL;
	r = 0;
 out:
	json_decref(f->root);
	f->root = NULL;
	return r;
}

int
core_json_fast(const char *buf, size_t len, json_t **out)
{
	struct cybex_json_parser *p;
	int r;

	*out = NULL;
	if (cybex_json_parser_new(&p) != 0)
		return 1;
	r = core_json_parser_fast(p, buf, len, out);
	cybex_json_parser_free(p);
	return r;
}
