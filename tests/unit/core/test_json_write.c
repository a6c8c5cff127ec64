/* Unit tests for lib/core/json_write.c, including RFC 8785 (JCS). */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* Write v with flags; the result must equal want (and v is released). */
static void
check_write(json_t *v, unsigned flags, const char *want)
{
	struct cybex_buf b;
	int r;

	assert_non_null(v);
	cybex_buf_init(&b, 0);
	r = cybex_json_write(v, flags, &b);
	if (r != 0)
		fail_msg("write failed: %d (want %s)", r, want);
	if (strcmp(b.data, want) != 0)
		fail_msg("got  %s\nwant %s", b.data, want);
	assert_int_equal(b.len, strlen(want));
	cybex_buf_free(&b);
	json_decref(v);
}

static json_t *
load(const char *text)
{
	json_error_t e;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (v == NULL)
		fail_msg("test JSON: %s", e.text);
	return v;
}

/* RFC 8785 section 3.2.2: the sample with numbers, strings, literals. */
static void
test_jcs_rfc_sample(void **state)
{
	(void)state;
	check_write(load(
	    "{\n"
	    "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
	    "                2e-3, 0.000000000000000000000000001],\n"
	    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c"
	    "\\\\\\\"\\/\",\n"
	    "  \"literals\": [null, true, false]\n"
	    "}"), CYBEX_JSON_CANONICAL,
	    "{\"literals\":[null,true,false],"
	    "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
	    "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 section 3.2.3: sorting by UTF-16 code units. */
static void
test_jcs_rfc_sorting(void **state)
{
	(void)state;
	check_write(load(
	    "{\n"
	    "  \"\\u20ac\": \"Euro Sign\",\n"
	    "  \"\\r\": \"Carriage Return\",\n"
	    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
	    "  \"1\": \"One\",\n"
	    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
	    "  \"\\u0080\": \"Control\",\n"
	    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
	    "}"), CYBEX_JSON_CANONICAL,
	    "{\"\\r\":\"Carriage Return\","
	    "\"1\":\"One\","
	    "\"\xc2\x80\":\"Control\","
	    "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
	    "\"\xe2\x82\xac\":\"Euro Sign\","
	    "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	    "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* Where UTF-16 order and UTF-8 byte order disagree. */
static void
test_jcs_utf16_order(void **state)
{
	json_t *o = json_object();

	(void)state;
	/* U+FFFD (ef bf bd) sorts after U+10000 (f0 90 80 80) in UTF-16. */
	json_object_set_new(o, "\xef\xbf\xbd", json_integer(1));
	json_object_set_new(o, "\xf0\x90\x80\x80", json_integer(2));
	json_object_set_new(o, "\xee\x80\x80", json_integer(3)); /* E000 */
	json_object_set_new(o, "\xed\x9f\xbf", json_integer(4)); /* D7FF */
	json_object_set_new(o, "a", json_integer(5));
	json_object_set_new(o, "ab", json_integer(6));
	json_object_set_new(o, "", json_integer(7));
	check_write(o, CYBEX_JSON_CANONICAL,
	    "{\"\":7,\"a\":5,\"ab\":6,\"\xed\x9f\xbf\":4,"
	    "\"\xf0\x90\x80\x80\":2,\"\xee\x80\x80\":3,\"\xef\xbf\xbd\":1}");

	/* Same high surrogate, different low one, in either order. */
	o = json_object();
	json_object_set_new(o, "\xf0\x9f\x98\x81", json_integer(1));
	json_object_set_new(o, "\xf0\x9f\x98\x80", json_integer(0));
	check_write(o, CYBEX_JSON_CANONICAL,
	    "{\"\xf0\x9f\x98\x80\":0,\"\xf0\x9f\x98\x81\":1}");
	o = json_object();
	json_object_set_new(o, "\xf0\x9f\x98\x80", json_integer(0));
	json_object_set_new(o, "\xf0\x9f\x98\x81", json_integer(1));
	check_write(o, CYBEX_JSON_CANONICAL,
	    "{\"\xf0\x9f\x98\x80\":0,\"\xf0\x9f\x98\x81\":1}");
	/* A key that is a prefix of another sorts first. */
	o = json_object();
	json_object_set_new(o, "\xf0\x9f\x98\x80x", json_integer(1));
	json_object_set_new(o, "\xf0\x9f\x98\x80", json_integer(0));
	check_write(o, CYBEX_JSON_CANONICAL,
	    "{\"\xf0\x9f\x98\x80\":0,\"\xf0\x9f\x98\x80x\":1}");
}

static void
check_num(double v, const char *canon, const char *plain)
{
	check_write(json_real(v), CYBEX_JSON_CANONICAL, canon);
	check_write(json_real(v), 0, plain);
	/* Both forms read back as exactly v. */
	assert_true(strtod(canon, NULL) == v);
	assert_true(strtod(plain, NULL) == v);
}

/* ECMAScript Number.prototype.toString, as RFC 8785 3.2.2.3 requires. */
static void
test_jcs_numbers(void **state)
{
	(void)state;
	check_num(333333333.33333329, "333333333.3333333",
	    "333333333.3333333");
	check_num(1E30, "1e+30", "1e+30");
	check_num(4.50, "4.5", "4.5");
	check_num(2e-3, "0.002", "0.002");
	check_num(0.000000000000000000000000001, "1e-27", "1e-27");
	check_num(1e21, "1e+21", "1e+21");
	check_num(1e20, "100000000000000000000", "100000000000000000000.0");
	check_num(123456789012345680000.0, "123456789012345680000",
	    "123456789012345680000.0");
	check_num(295147905179352825856.0, "295147905179352830000",
	    "295147905179352830000.0");
	check_num(1e-6, "0.000001", "0.000001");
	check_num(1.2e-6, "0.0000012", "0.0000012");
	check_num(1e-7, "1e-7", "1e-7");
	check_num(1.5e-7, "1.5e-7", "1.5e-7");
	check_num(123e-20, "1.23e-18", "1.23e-18");
	check_num(1.0, "1", "1.0");
	check_num(-1.0, "-1", "-1.0");
	check_num(100.0, "100", "100.0");
	check_num(0.1, "0.1", "0.1");
	check_num(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004");
	check_num(-1.5, "-1.5", "-1.5");
	check_num(4.35, "4.35", "4.35");
	check_num(9007199254740992.0, "9007199254740992",
	    "9007199254740992.0");
	check_num(1e23, "1e+23", "1e+23");
	check_num(5e-324, "5e-324", "5e-324");
	check_num(-5e-324, "-5e-324", "-5e-324");
	check_num(1.7976931348623157e308, "1.7976931348623157e+308",
	    "1.7976931348623157e+308");
	check_num(2.2250738585072014e-308, "2.2250738585072014e-308",
	    "2.2250738585072014e-308");
	check_num(0.0, "0", "0.0");
	/* -0 is "0" in JCS; elsewhere the sign is kept. */
	check_write(json_real(-0.0), CYBEX_JSON_CANONICAL, "0");
	check_write(json_real(-0.0), 0, "-0.0");
	/* Integers are exact decimal. */
	check_write(json_integer(0), CYBEX_JSON_CANONICAL, "0");
	check_write(json_integer(-42), 0, "-42");
	check_write(json_integer(INT64_MAX), CYBEX_JSON_CANONICAL,
	    "9223372036854775807");
	check_write(json_integer(INT64_MIN), 0, "-9223372036854775808");
}

/* Random doubles: shortest output always reads back bit-exact. */
static void
test_real_roundtrip(void **state)
{
	struct cybex_buf b;
	uint64_t x = 0x9e3779b97f4a7c15ULL, bits;
	double v, back;
	json_t *j;
	int i, f;

	(void)state;
	cybex_buf_init(&b, 0);
	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		bits = x;
		memcpy(&v, &bits, sizeof(v));
		if (!isfinite(v))
			continue;
		j = json_real(v);
		assert_non_null(j);
		for (f = 0; f < 2; f++) {
			cybex_buf_reset(&b);
			assert_int_equal(cybex_json_write(j,
			    f ? CYBEX_JSON_CANONICAL : 0, &b), 0);
			back = strtod(b.data, NULL);
			if (memcmp(&back, &v, sizeof(v)) != 0 &&
			    !(v == 0 && f))
				fail_msg("%.17g wrote %s", v, b.data);
			assert_true(b.len <= 25);
			if (!f)
				assert_non_null(strpbrk(b.data, ".e"));
		}
		json_decref(j);
	}
	cybex_buf_free(&b);
}

static void
test_string_escapes(void **state)
{
	(void)state;
	check_write(json_stringn("\x01\x1f\x7f\b\f\n\r\t\"\\/\x00z", 13),
	    CYBEX_JSON_CANONICAL,
	    "\"\\u0001\\u001f\x7f\\b\\f\\n\\r\\t\\\"\\\\/\\u0000z\"");
	check_write(json_string("\x0b\x1a\x1b\x0e"), 0,
	    "\"\\u000b\\u001a\\u001b\\u000e\"");
	/* Non-ASCII is literal UTF-8, never \u escaped. */
	check_write(json_string("\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80"), 0,
	    "\"\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\"");
	/* Keys are escaped the same way. */
	check_write(load("{\"a\\nb\\u0001\":1}"), 0,
	    "{\"a\\nb\\u0001\":1}");
}

static void
test_layouts(void **state)
{
	const char *doc = "{\"z\":1,\"a\":[1,2.5,{}],\"m\":{\"y\":null,"
	    "\"b\":[]},\"e\":\"x\"}";

	(void)state;
	/* Default keeps member order and adds no whitespace. */
	check_write(load(doc), 0, doc);
	check_write(load(doc), CYBEX_JSON_CANONICAL,
	    "{\"a\":[1,2.5,{}],\"e\":\"x\",\"m\":{\"b\":[],\"y\":null},"
	    "\"z\":1}");
	check_write(load(doc), CYBEX_JSON_PRETTY,
	    "{\n"
	    "  \"z\": 1,\n"
	    "  \"a\": [\n"
	    "    1,\n"
	    "    2.5,\n"
	    "    {}\n"
	    "  ],\n"
	    "  \"m\": {\n"
	    "    \"y\": null,\n"
	    "    \"b\": []\n"
	    "  },\n"
	    "  \"e\": \"x\"\n"
	    "}");
	/* Canonical has no whitespace even if PRETTY is asked for too. */
	check_write(load("{\"b\":1,\"a\":2}"),
	    CYBEX_JSON_CANONICAL | CYBEX_JSON_PRETTY, "{\"a\":2,\"b\":1}");
	check_write(load("[]"), CYBEX_JSON_PRETTY, "[]");
	check_write(load("\"s\""), CYBEX_JSON_PRETTY, "\"s\"");
	check_write(json_true(), 0, "true");
	check_write(json_false(), 0, "false");
	check_write(json_null(), 0, "null");
}

static void
test_roundtrip_nested(void **state)
{
	static const char doc[] =
	    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
	    "{\"type\":\"indicator\",\"spec_version\":\"2.1\","
	    "\"pattern\":\"[ipv4-addr:value = '198.51.100.3']\","
	    "\"confidence\":85,\"score\":0.1,\"big\":1e300,\"tiny\":-2.5e-310,"
	    "\"labels\":[\"a\\\"b\",\"\\u00e9\\ud83d\\ude00\",\"\\t\\u0000\"],"
	    "\"nested\":{\"x\":[[[[]]],{\"y\":{\"z\":[true,false,null]}}]},"
	    "\"neg\":-9223372036854775808,\"f\":3.0,\"n0\":-0.0}]}";
	struct cybex_buf b;
	json_t *orig, *back;
	json_error_t e;
	unsigned flags[] = { 0, CYBEX_JSON_PRETTY };
	size_t i;

	(void)state;
	orig = load(doc);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		cybex_buf_init(&b, 0);
		assert_int_equal(cybex_json_write(orig, flags[i], &b), 0);
		back = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &e);
		if (back == NULL)
			fail_msg("output does not parse: %s\n%s", e.text,
			    b.data);
		assert_true(json_equal(orig, back));
		/* Order kept: "type" is still the first member. */
		assert_int_equal(strncmp(b.data, flags[i] ?
		    "{\n  \"type\"" : "{\"type\"", flags[i] ? 10 : 7), 0);
		json_decref(back);
		cybex_buf_free(&b);
	}
	json_decref(orig);
}

static void
test_errors(void **state)
{
	struct cybex_buf b;
	json_t *v, *inner;
	int i;

	(void)state;
	/* A cap hit is ETOOBIG and leaves what was there before. */
	cybex_buf_init(&b, 16);
	assert_int_equal(cybex_buf_puts(&b, "pre:"), 0);
	v = load("{\"key\":\"a long enough value\"}");
	assert_int_equal(cybex_json_write(v, 0, &b), CYBEX_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "pre:");
	json_decref(v);
	/* Output is appended. */
	v = load("[1,2]");
	assert_int_equal(cybex_json_write(v, 0, &b), 0);
	assert_string_equal(b.data, "pre:[1,2]");
	json_decref(v);
	cybex_buf_free(&b);

	/* Invalid UTF-8 that slipped into a value is refused. */
	cybex_buf_init(&b, 0);
	v = json_pack("{s:o}", "k", json_stringn_nocheck("\xff", 1));
	assert_int_equal(cybex_json_write(v, 0, &b), CYBEX_EINVAL);
	assert_int_equal(b.len, 0);
	json_decref(v);
	v = json_object();
	json_object_set_new_nocheck(v, "\xc0\x80", json_null());
	assert_int_equal(cybex_json_write(v, CYBEX_JSON_CANONICAL, &b),
	    CYBEX_EINVAL);
	json_decref(v);
	assert_int_equal(cybex_json_write(NULL, 0, &b), CYBEX_EINVAL);
	assert_int_equal(b.len, 0);

	/* Absurd nesting is refused, not a stack overflow. */
	v = json_array();
	for (i = 0, inner = v; i < 5000; i++) {
		json_t *n = json_array();

		json_array_append_new(inner, n);
		inner = n;
	}
	assert_int_equal(cybex_json_write(v, 0, &b), CYBEX_ETOOBIG);
	assert_int_equal(b.len, 0);
	json_decref(v);
	cybex_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jcs_rfc_sample),
		cmocka_unit_test(test_jcs_rfc_sorting),
		cmocka_unit_test(test_jcs_utf16_order),
		cmocka_unit_test(test_jcs_numbers),
		cmocka_unit_test(test_real_roundtrip),
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_roundtrip_nested),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
