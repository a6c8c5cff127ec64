/*
 * The fast JSON path (lib/core/json_fast.c, yajl building jansson values)
 * against jansson itself: what it accepts must be what jansson accepts,
 * built the same (member order included); what it cannot vouch for it
 * declines, and core_json_load then answers exactly as jansson does.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core_int.h"
#include "testutil.h"

#define JFLAGS	(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

/* Written the way cybex keeps it (member order, exact integers). */
static char *
written(const json_t *v)
{
	struct cybex_buf b;

	cybex_buf_init(&b, 0);
	if (cybex_json_write(v, 0, &b) != 0)
		fail_msg("cannot write a parsed value");
	return b.data;
}

/* Same data, same member order, same number types. */
static void
assert_same(const json_t *a, const json_t *b, const char *what)
{
	char *wa, *wb;

	if (!json_equal(a, b))
		fail_msg("%s: values differ", what);
	wa = written(a);
	wb = written(b);
	if (strcmp(wa, wb) != 0)
		fail_msg("%s: written differently:\n%s\n%s", what, wa, wb);
	cybex_free(wa);
	cybex_free(wb);
}

/*
 * text[0..len): the fast path must take it (want_fast) or decline it;
 * either way core_json_load must agree with jansson.
 */
static void
check_n(const char *text, size_t len, bool want_fast)
{
	struct cybex_diag d;
	json_error_t e;
	json_t *fast = NULL, *ref, *loaded = NULL;
	int rf, rl;

	ref = json_loadb(text, len, JFLAGS, &e);
	rf = core_json_fast(text, len, &fast);
	if (rf != 0 && rf != 1)
		fail_msg("'%.*s': fast path returned %d", (int)len, text, rf);
	if (rf == 0 && !want_fast)
		fail_msg("'%.*s': fast path took it, should decline", (int)len,
		    text);
	if (rf == 1 && want_fast)
		fail_msg("'%.*s': fast path declined", (int)len, text);
	if (rf == 0) {
		if (ref == NULL)
			fail_msg("'%.*s': fast path took what jansson rejects "
			    "(%s)", (int)len, text, e.text);
		assert_same(fast, ref, text);
	} else
		assert_null(fast);
	/* The public path: the same value or the same error as jansson. */
	cybex_diag_clear(&d);
	rl = core_json_load(text, len, &loaded, &d);
	if (ref == NULL) {
		assert_int_equal(rl, CYBEX_EJSON);
		assert_null(loaded);
		assert_string_equal(d.message, e.text);
		assert_int_equal(d.offset,
		    e.position > 0 ? (size_t)e.position - 1 : 0);
	} else {
		assert_int_equal(rl, 0);
		assert_same(loaded, ref, text);
	}
	json_decref(fast);
	json_decref(ref);
	json_decref(loaded);
}

static void
check(const char *text, bool want_fast)
{
	check_n(text, strlen(text), want_fast);
}

static void
test_takes_ordinary_json(void **state)
{
	(void)state;
	check("{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":"
	    "\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\","
	    "\"labels\":[\"a\",\"b\"],\"confidence\":85,\"revoked\":false,"
	    "\"x\":null,\"kill_chain_phases\":[{\"kill_chain_name\":\"k\","
	    "\"phase_name\":\"p\"}]}", true);
	/* Member order is kept, not sorted. */
	check("{\"z\":1,\"a\":2,\"m\":{\"y\":[],\"b\":{}}}", true);
	check("  {}  ", true);
	check("[]", true);
	check("[[[[1]]],[2,[3]]]", true);
	/* Scalars at the top (JSON_DECODE_ANY), with whitespace around. */
	check("1", true);
	check(" \t\r\n-17 \n", true);
	check("\"s\"", true);
	check("true", true);
	check("false", true);
	check("null", true);
	/* Integers to the edges of int64_t, and -0 (an integer 0). */
	check("[9223372036854775807,-9223372036854775808,0,-0]", true);
	/* Reals: the same double as jansson's, also on underflow. */
	check("[1.5,-0.0,1e3,2E-3,1.7976931348623157e308,4.9e-324,1e-400,"
	    "0.1,123456789.123456789e-5]", true);
	/* Escapes, and non-ASCII as text and as escapes. */
	check("{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\te\","
	    "\"u\":\"\\u00e9\\u20ac\\u0041\\u007f\\uffff\","
	    "\"t\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}", true);
	/* A value with escapes right after a key (yajl reuses a buffer). */
	check("{\"k\\u0041\":\"v\\n\",\"k\\u0042\":\"w\\t\",\"kC\":1}", true);
	/* Keys are compared after unescaping: these two are different. */
	check("{\"a\":1,\"\\u0061b\":2}", true);
}

static void
test_long_keys_and_strings(void **state)
{
	char *s;
	size_t i, n = 5000;

	(void)state;
	s = malloc(3 * n + 64);
	assert_non_null(s);
	/* {"kkk...":"vvv...","kkk...x":1}, keys past the inline buffer */
	memcpy(s, "{\"", 2);
	for (i = 0; i < n; i++)
		s[2 + i] = 'k';
	memcpy(s + 2 + n, "\":\"", 3);
	for (i = 0; i < n; i++)
		s[5 + n + i] = (i % 50 == 0) ? ' ' : 'v';
	memcpy(s + 5 + 2 * n, "\",\"", 3);
	memset(s + 8 + 2 * n, 'k', n);
	memcpy(s + 8 + 3 * n, "x\":1}", 6);
	check(s, true);
	/* The same key twice, long: declined, and jansson reports it. */
	s[8 + 3 * n] = '"';
	memmove(s + 8 + 3 * n + 1, ":1}", 4);
	check(s, false);
	free(s);
}

static void
test_declines(void **state)
{
	char deep[600];
	size_t i;

	(void)state;
	/* Duplicate keys, also after unescaping. */
	check("{\"a\":1,\"a\":2}", false);
	check("{\"a\":1,\"\\u0061\":2}", false);
	check("{\"o\":{\"b\":1,\"c\":2,\"b\":3}}", false);
	/* NUL and surrogates as escapes (a valid pair goes to jansson). */
	check("\"\\u0000\"", false);
	check("{\"a\\u0000\":1}", false);
	check("\"\\ud800\"", false);
	check("\"\\udc00x\"", false);
	check("\"\\ud83d\\ude00\"", false);
	/* UTF-8 that is only shaped right. */
	check("\"\xc0\x80\"", false);
	check("\"\xe0\x80\xaf\"", false);
	check("\"\xed\xa0\x80\"", false);
	check("\"\xf4\x90\x80\x80\"", false);
	check("\"\xff\"", false);
	check("\"\xc3\"", false);
	check("[\"\xe2\x82\"]", false);
	/* Whitespace only to yajl; raw control bytes in strings. */
	check("{\f}", false);
	check("[1,\v2]", false);
	check("\"a\tb\"", false);
	check("\"a\nb\"", false);
	check("\"\x01\"", false);
	/* Integers past int64_t; reals that overflow; not numbers. */
	check("9223372036854775808", false);
	check("-9223372036854775809", false);
	check("[123456789012345678901234567890]", false);
	check("1e400", false);
	check("[-1e999]", false);
	check("NaN", false);
	check("[Infinity]", false);
	check("-", false);
	check("01", false);
	check("1.", false);
	check(".5", false);
	check("+1", false);
	check("1e", false);
	/* Syntax: trailing text, two values, comments, truncation. */
	check("", false);
	check("   ", false);
	check("{} x", false);
	/* An unfinished token after the value: yajl reports nothing. */
	check("{} \"abc", false);
	check("{}\"abc", false);
	check("[1] \"x\\\"", false);
	check("\"a\" \"b", false);
	check("true \"", false);
	check("{}{}", false);
	check("1 2", false);
	check("/* c */ {}", false);
	check("{\"a\":1,}", false);
	check("[1,]", false);
	check("{\"a\" 1}", false);
	check("{\"a\":tru}", false);
	check("{\"a\":[1,2}", false);
	check("{'a':1}", false);
	check("\"\\x\"", false);
	check("\"\\u12\"", false);
	check("\"\\u12g4\"", false);
	check("\\u0041", false);
	/* Deeper than the fast path's stack: jansson decides. */
	for (i = 0; i < 300; i++) {
		deep[i] = '[';
		deep[300 + i] = ']';
	}
	check_n(deep, 600, false);
	check_n(deep + 171, 258, false);	/* 129 deep */
	check_n(deep + 172, 256, true);		/* 128 deep */
}

/*
 * The pre-pass looks at 8 bytes at a time: a byte that matters must be
 * seen in every position of such a word, with plain text around it.
 */
static void
test_every_lane(void **state)
{
	static const struct {
		const char	*ins;
		size_t		 len;
		bool		 fast;
	} cases[] = {
		{ "\x01", 1, false },
		{ "\x1f", 1, false },
		{ "\x0b", 1, false },
		{ "\t", 1, false },		/* raw tab in a string */
		{ "\x7f", 1, true },
		{ " ", 1, true },
		{ "]", 1, true },
		{ "\\u0000", 6, false },
		{ "\\udfff", 6, false },
		{ "\\u0041", 6, true },
		{ "\\n", 2, true },
		{ "\\\\", 2, true },
		{ "\xc3\xa9", 2, true },
		{ "\xc3", 1, false },
		{ "\xc0\x80", 2, false },
		{ "\xed\xa0\x80", 3, false },
		{ "\xf0\x9f\x98\x80", 4, true },
	};
	/* Between tokens: whitespace to yajl is not all whitespace to JSON. */
	static const struct {
		const char	*ins;
		bool		 fast;
	} between[] = {
		{ "\x0c", false },
		{ "\x0b", false },
		{ "\x01", false },
		{ " ", true },
		{ "\t", true },
		{ "\r\n", true },
	};
	char buf[64];
	size_t c, k, n;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (k = 1; k < 26; k++) {
			memset(buf, 'a', sizeof(buf));
			buf[0] = '"';
			memcpy(buf + k, cases[c].ins, cases[c].len);
			n = k + cases[c].len + 9;
			buf[n - 1] = '"';
			check_n(buf, n, cases[c].fast);
		}
	}
	for (c = 0; c < sizeof(between) / sizeof(between[0]); c++) {
		for (k = 3; k < 28; k++) {
			/* [1,   <ins>   2] */
			memset(buf, ' ', sizeof(buf));
			memcpy(buf, "[1,", 3);
			n = strlen(between[c].ins);
			memcpy(buf + k, between[c].ins, n);
			memcpy(buf + k + n + 9, "2]", 2);
			check_n(buf, k + n + 11, between[c].fast);
		}
	}
}

/* Text with a NUL byte inside: jansson rejects it, so must we. */
static void
test_embedded_nul(void **state)
{
	(void)state;
	check_n("\"a\0b\"", 5, false);
	check_n("{\"a\":1}\0", 8, false);
	check_n("[1,\0 2]", 7, false);
}

/*
 * One parser for text after text, as the reader uses it: a text that is
 * declined (a second value, an unfinished token, an error, a duplicate)
 * must not leave anything behind for the next one.
 */
static void
test_parser_reuse(void **state)
{
	static const struct {
		const char	*text;
		bool		 fast;
	} seq[] = {
		{ "{\"a\":1}", true },
		{ "{\"b\":[2,3]}", true },
		{ "{} {}", false },
		{ "{\"c\":3}", true },
		{ "{} \"abc", false },
		{ "{\"d\":4}", true },
		{ "[1] 2", false },
		{ "7", true },
		{ "8 ", true },
		{ "-", false },
		{ "9", true },
		{ "{\"e\":\"x\\ny\"}", true },
		{ "{\"a\":1,\"a\":1}", false },
		{ "{\"f\":", false },
		{ "}", false },
		{ "{\"g\":\"\\u00e9\"}", true },
		{ "\"\\ud800\"", false },
		{ "{\"h\":true}", true },
		{ "{\"i\":1e999}", false },
		{ "[{\"j\":null}]", true },
	};
	struct cybex_json_parser *p;
	struct cybex_diag d;
	json_error_t e;
	json_t *v, *ref;
	size_t i, k;
	int r;

	(void)state;
	assert_int_equal(cybex_json_parser_new(&p), 0);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
			ref = json_loads(seq[i].text, JFLAGS, &e);
			r = core_json_parser_fast(p, seq[i].text,
			    strlen(seq[i].text), &v);
			if (r != (seq[i].fast ? 0 : 1))
				fail_msg("'%s': got %d", seq[i].text, r);
			if (r == 0) {
				assert_non_null(ref);
				assert_same(v, ref, seq[i].text);
			} else
				assert_null(v);
			json_decref(v);
			/* And through the loader, as jansson would answer. */
			r = cybex_json_parser_load(p, seq[i].text,
			    strlen(seq[i].text), &v, &d);
			if (ref == NULL) {
				assert_int_equal(r, CYBEX_EJSON);
				assert_string_equal(d.message, e.text);
			} else {
				assert_int_equal(r, 0);
				assert_same(v, ref, seq[i].text);
			}
			json_decref(v);
			json_decref(ref);
		}
	}
	cybex_json_parser_free(p);
	cybex_json_parser_free(NULL);
}

/*
 * Every JSON file of the conformance data (STIX, TAXII, CSAF, CVE, ...):
 * the same values as jansson; most take the fast path.
 */
struct walk {
	size_t	 files;
	size_t	 fast;
};

static void
walk_dir(const char *dir, struct walk *w)
{
	char path[4096];
	struct dirent *e;
	struct stat st;
	json_t *v;
	char *text;
	size_t len, n;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_dir(path, w);
			continue;
		}
		n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0 ||
		    st.st_size > 64 * 1024 * 1024)
			continue;
		if ((text = tu_read_file(path, &len)) == NULL)
			continue;
		v = NULL;
		w->files++;
		if (core_json_fast(text, len, &v) == 0) {
			w->fast++;
			json_decref(v);
			check_n(text, len, true);
		} else
			check_n(text, len, false);
		free(text);
	}
	closedir(dp);
}

static void
test_conformance_files(void **state)
{
	struct walk w = { 0, 0 };

	(void)state;
	walk_dir(tu_conformance(), &w);
	if (w.files < 100)
		fail_msg("only %zu JSON files under %s", w.files,
		    tu_conformance());
	/* The fast path must be the common path, not a curiosity. */
	if (w.fast * 10 < w.files * 9)
		fail_msg("the fast path took only %zu of %zu files", w.fast,
		    w.files);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_takes_ordinary_json),
		cmocka_unit_test(test_long_keys_and_strings),
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_every_lane),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_parser_reuse),
		cmocka_unit_test(test_conformance_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
