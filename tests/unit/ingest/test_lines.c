/*
 * The line splitter: lines split across feeds, CRLF, empty lines, no final
 * newline, the cap (reported once, with the line's number, and the bytes
 * of an endless line are not kept).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/ingest.h"

/* All lines of text fed in chunks of chunk bytes, as "N:text|" ("N:!|"
 * for an over-long line). */
static void
split(const char *text, size_t len, size_t chunk, size_t max, bool finish,
    char *out, size_t outsz)
{
	struct cybex_ingest_lines *l;
	const char *line;
	size_t off = 0, n, ll, o = 0;
	unsigned long no;
	int rc;

	assert_int_equal(cybex_ingest_lines_new(max, &l), 0);
	out[0] = '\0';
	while (off <= len) {
		n = len - off < chunk ? len - off : chunk;
		assert_int_equal(cybex_ingest_lines_feed(l, text + off, n), 0);
		off += n;
		if (off == len) {
			if (finish)
				cybex_ingest_lines_finish(l);
			off++;
		}
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0) {
			if (rc == CYBEX_ETOOBIG) {
				assert_null(line);
				o += (size_t)snprintf(out + o, outsz - o, "%lu:!|",
				    no);
				continue;
			}
			assert_int_equal(rc, 1);
			assert_true(ll <= (max ? max : CYBEX_INGEST_LINE_MAX_DEFAULT));
			o += (size_t)snprintf(out + o, outsz - o, "%lu:%.*s|", no,
			    (int)ll, line);
		}
		assert_true(o < outsz);
	}
	cybex_ingest_lines_free(l);
}

static void
across_feeds(void **state)
{
	static const char text[] = "alpha\nbeta\r\n\ngamma\r\ndelta";
	char out[256];
	size_t chunk;

	(void)state;
	for (chunk = 1; chunk <= sizeof(text); chunk++) {
		split(text, sizeof(text) - 1, chunk, 0, true, out, sizeof(out));
		assert_string_equal(out, "1:alpha|2:beta|3:|4:gamma|5:delta|");
		/* without finish the last line waits for its newline */
		split(text, sizeof(text) - 1, chunk, 0, false, out,
		    sizeof(out));
		assert_string_equal(out, "1:alpha|2:beta|3:|4:gamma|");
	}
}

static void
empty_input(void **state)
{
	char out[64];

	(void)state;
	split("", 0, 1, 0, true, out, sizeof(out));
	assert_string_equal(out, "");
	split("\n", 1, 1, 0, true, out, sizeof(out));
	assert_string_equal(out, "1:|");
	split("\r\n\r\n", 4, 3, 0, true, out, sizeof(out));
	assert_string_equal(out, "1:|2:|");
}

static void
cap(void **state)
{
	/* max 5: "12345" fits, "123456" does not; a CR does not count */
	static const char text[] = "12345\n123456\r\nabc\n1234567890123\n"
	    "12345\r\nxy";
	char out[256];
	size_t chunk;

	(void)state;
	for (chunk = 1; chunk <= sizeof(text); chunk++) {
		split(text, sizeof(text) - 1, chunk, 5, true, out, sizeof(out));
		assert_string_equal(out, "1:12345|2:!|3:abc|4:!|5:12345|6:xy|");
	}
	/* an over-long last line without a newline */
	split("ok\n1234567", 10, 4, 5, true, out, sizeof(out));
	assert_string_equal(out, "1:ok|2:!|");
	split("ok\n1234567", 10, 4, 5, false, out, sizeof(out));
	assert_string_equal(out, "1:ok|");
}

/* An endless line does not grow memory: count what is allocated. */
static size_t peak;

static void *
big_malloc(size_t n)
{
	if (n > peak)
		peak = n;
	return malloc(n);
}

static void *
big_realloc(void *p, size_t n)
{
	if (n > peak)
		peak = n;
	return realloc(p, n);
}

static void
endless_line(void **state)
{
	const struct cybex_allocator a = { big_malloc, big_realloc, free };
	struct cybex_ingest_lines *l;
	const char *line;
	char *chunk;
	size_t ll, i, cs = 65536;
	unsigned long no;
	int rc, toobig = 0;

	(void)state;
	assert_non_null(chunk = malloc(cs));
	memset(chunk, 'x', cs);
	cybex_set_allocator(&a);
	peak = 0;
	assert_int_equal(cybex_ingest_lines_new(1 << 20, &l), 0);
	assert_int_equal(cybex_ingest_lines_feed(l, "first\n", 6), 0);
	/* 64 MiB of one line */
	for (i = 0; i < 1024; i++) {
		assert_int_equal(cybex_ingest_lines_feed(l, chunk, cs), 0);
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0) {
			if (rc == CYBEX_ETOOBIG)
				toobig++;
			else
				assert_int_equal(no, 1);
		}
	}
	assert_int_equal(cybex_ingest_lines_feed(l, "\nlast\n", 6), 0);
	while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0) {
		if (rc == CYBEX_ETOOBIG) {
			assert_int_equal(no, 2);
			toobig++;
		} else {
			assert_int_equal(no, 3);
			assert_int_equal(ll, 4);
			assert_memory_equal(line, "last", 4);
		}
	}
	assert_int_equal(toobig, 1);
	/* never more than the cap and a chunk, whatever the line's length */
	assert_true(peak < (1u << 20) * 3);
	cybex_ingest_lines_free(l);
	cybex_set_allocator(NULL);
	free(chunk);
}

static void
many_lines_in_one_feed(void **state)
{
	struct cybex_ingest_lines *l;
	const char *line;
	char buf[64];
	size_t ll, i;
	unsigned long no, seen = 0;
	int rc;
	struct cybex_buf b;

	(void)state;
	cybex_buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		assert_int_equal(cybex_buf_printf(&b, "line %zu\n", i), 0);
	assert_int_equal(cybex_ingest_lines_new(16, &l), 0);
	assert_int_equal(cybex_ingest_lines_feed(l, b.data, b.len), 0);
	while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0) {
		assert_int_equal(rc, 1);
		snprintf(buf, sizeof(buf), "line %lu", no - 1);
		assert_int_equal(ll, strlen(buf));
		assert_memory_equal(line, buf, ll);
		seen++;
	}
	assert_int_equal(seen, 10000);
	cybex_ingest_lines_free(l);
	cybex_buf_free(&b);
	assert_int_equal(cybex_ingest_lines_new((size_t)1 << 31, &l),
	    CYBEX_EINVAL);
	assert_null(l);
	cybex_ingest_lines_free(NULL);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(across_feeds),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(cap),
		cmocka_unit_test(endless_line),
		cmocka_unit_test(many_lines_in_one_feed),
	};

	return cmocka_run_group_tests_name("ingest_lines", tests, NULL, NULL);
}
