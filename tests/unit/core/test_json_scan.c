/*
 * cybex_json_scan against a byte-at-a-time reference: the scanner skips
 * strings with memchr, which must find exactly what a loop over every
 * byte finds (return code and end), for every input and every prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"

/* The scanner as it was before strings were skipped with memchr. */
static int
ref_scan(const char *buf, size_t len, size_t max_depth, size_t *end)
{
	uint8_t stack[4096 / 8];
	size_t depth = 0, i;
	int c;

	*end = 0;
	if (len == 0)
		return 1;
	c = (unsigned char)buf[0];
	if (c != '{' && c != '[' && c != '"') {
		for (i = 0; i < len; i++) {
			c = (unsigned char)buf[i];
			if (strchr(" \t\n\r,]}{[\"", c) != NULL && c != '\0')
				break;
		}
		if (i == len)
			return 1;
		*end = i;
		return i == 0 ? CYBEX_EJSON : 0;
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (c == '"') {
			for (i++; i < len; i++) {
				c = (unsigned char)buf[i];
				if (c == '\\')
					i++;
				else if (c == '"')
					break;
			}
			if (i >= len)
				return 1;
			if (depth == 0) {
				*end = i + 1;
				return 0;
			}
		} else if (c == '{' || c == '[') {
			if (depth >= max_depth) {
				*end = i;
				return CYBEX_ETOOBIG;
			}
			if (c == '{')
				stack[depth / 8] |= (uint8_t)(1u << (depth % 8));
			else
				stack[depth / 8] &= (uint8_t)~(1u << (depth % 8));
			depth++;
		} else if (c == '}' || c == ']') {
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
		}
	}
	return 1;
}

static void
same_for_prefixes(const char *s, size_t len)
{
	size_t n, e1, e2;
	char *copy;
	int r1, r2;

	for (n = 0; n <= len; n++) {
		/* Exactly n bytes, so ASan sees a read past the end. */
		copy = malloc(n > 0 ? n : 1);
		assert_non_null(copy);
		memcpy(copy, s, n);
		r1 = cybex_json_scan(copy, n, 8, &e1);
		r2 = ref_scan(copy, n, 8, &e2);
		if (r1 != r2 || (r1 != 1 && e1 != e2))
			fail_msg("'%.*s': scan %d end %zu, reference %d end %zu",
			    (int)n, s, r1, e1, r2, e2);
		free(copy);
	}
}

static void
test_cases(void **state)
{
	static const char *const cases[] = {
		"\"abc\"",
		"\"a\\\"b\"",
		"\"a\\\\\"",
		"\"\\\\\\\\\\\"\"",
		"{\"k\":\"v\\\"}\",\"l\":[\"]\",\"\\\\\"]}",
		"[\"\\",
		"{\"a\":\"\\u0041\\n\\\"x\"}",
		"[[[\"}\"]]]",
		"\"no end",
		"{\"a\":\"b\"}}",
		"\"\\\"\"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_for_prefixes(cases[i], strlen(cases[i]));
}

/* Many random texts over the bytes that matter to the scanner. */
static void
test_random(void **state)
{
	static const char alphabet[] = "\"\\\\{}[]a ,:\"\"";
	char buf[64];
	uint32_t x = 12345;
	size_t k, i, n;

	(void)state;
	for (k = 0; k < 20000; k++) {
		x = x * 1103515245u + 12345u;
		n = 1 + (x >> 16) % sizeof(buf);
		for (i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
		}
		/* Start with a string or container most of the time. */
		if (k % 4 != 0)
			buf[0] = "\"{["[k % 3];
		same_for_prefixes(buf, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
