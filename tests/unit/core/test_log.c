/* Unit tests for lib/core/log.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* The sink: remembers the lines it got. */
#define SINK_MAX	8
static struct {
	int	 n;
	int	 level[SINK_MAX];
	char	*line[SINK_MAX];
} sink;

static void
sink_fn(void *ud, int level, const char *line)
{
	assert_ptr_equal(ud, &sink);
	assert_true(sink.n < SINK_MAX);
	sink.level[sink.n] = level;
	sink.line[sink.n] = strdup(line);
	sink.n++;
}

static int
sink_reset(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < sink.n; i++)
		free(sink.line[i]);
	memset(&sink, 0, sizeof(sink));
	return 0;
}

static const struct cybex_log lg_info = { sink_fn, &sink, CYBEX_LOG_INFO };

/*
 * A strict reader for our lines: fields separated by one space, key=value,
 * values bare or quoted with \" \\ \n \r \t \xHH escapes.  Returns the
 * number of fields, or -1 if the line is not well-formed.  Decoded values
 * are malloc'd into vals (lengths in vlen).
 */
#define FIELDS_MAX	16
struct fields {
	int	 n;
	char	 key[FIELDS_MAX][64];
	char	*val[FIELDS_MAX];
	size_t	 vlen[FIELDS_MAX];
};

static int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
fields_free(struct fields *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		free(f->val[i]);
	f->n = 0;
}

static int
fields_parse(const char *line, struct fields *f)
{
	const char *p = line;
	size_t k, o;
	char *v;
	int h, l;

	memset(f, 0, sizeof(*f));
	while (*p != '\0') {
		if (f->n > 0 && *p++ != ' ')
			goto bad;
		if (f->n == FIELDS_MAX)
			goto bad;
		for (k = 0; *p != '=' && *p != '\0'; p++, k++) {
			if (*p == ' ' || *p == '"' || k >= 63 ||
			    (unsigned char)*p < 0x20)
				goto bad;
			f->key[f->n][k] = *p;
		}
		if (*p++ != '=' || k == 0)
			goto bad;
		v = calloc(1, strlen(p) + 1);
		assert_non_null(v);
		f->val[f->n] = v;
		f->n++;
		o = 0;
		if (*p != '"') {
			for (; *p != ' ' && *p != '\0'; p++) {
				if ((unsigned char)*p <= 0x20 ||
				    (unsigned char)*p >= 0x7f || *p == '"' ||
				    *p == '=' || *p == '\\')
					goto bad;
				v[o++] = *p;
			}
			f->vlen[f->n - 1] = o;
			continue;
		}
		for (p++; *p != '"'; p++) {
			if (*p == '\0' || (unsigned char)*p < 0x20 ||
			    *p == 0x7f)
				goto bad;
			if (*p != '\\') {
				v[o++] = *p;
				continue;
			}
			switch (*++p) {
			case '"':
			case '\\':
				v[o++] = *p;
				break;
			case 'n':
				v[o++] = '\n';
				break;
			case 'r':
				v[o++] = '\r';
				break;
			case 't':
				v[o++] = '\t';
				break;
			case 'x':
				h = hexv(p[1]);
				l = h < 0 ? -1 : hexv(p[2]);
				if (l < 0)
					goto bad;
				v[o++] = (char)(h << 4 | l);
				p += 2;
				break;
			default:
				goto bad;
			}
		}
		p++;
		f->vlen[f->n - 1] = o;
		if (*p != ' ' && *p != '\0')
			goto bad;
	}
	return f->n;
 bad:
	fields_free(f);
	return -1;
}

static void
test_level_names(void **state)
{
	(void)state;
	assert_string_equal(cybex_log_level_name(CYBEX_LOG_ERROR), "error");
	assert_string_equal(cybex_log_level_name(CYBEX_LOG_WARN), "warn");
	assert_string_equal(cybex_log_level_name(CYBEX_LOG_INFO), "info");
	assert_string_equal(cybex_log_level_name(CYBEX_LOG_DEBUG), "debug");
	assert_non_null(cybex_log_level_name(-1));
	assert_non_null(cybex_log_level_name(99));
}

static void
test_event_line(void **state)
{
	(void)state;
	cybex_log_event(&lg_info, CYBEX_LOG_INFO, "server.start", "addr",
	    "127.0.0.1:8080", "user", "alice", NULL);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.level[0], CYBEX_LOG_INFO);
	assert_string_equal(sink.line[0],
	    "level=info event=server.start addr=127.0.0.1:8080 user=alice");
	cybex_log_event(&lg_info, CYBEX_LOG_ERROR, "x", NULL);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[1], "level=error event=x");
	cybex_log_event(&lg_info, CYBEX_LOG_WARN, "x", "msg", "disk full",
	    "empty", "", "null", (const char *)NULL, NULL);
	assert_string_equal(sink.line[2],
	    "level=warn event=x msg=\"disk full\" empty=\"\" null=\"\"");
}

static void
test_levels_and_null(void **state)
{
	struct cybex_log lg = { sink_fn, &sink, CYBEX_LOG_WARN };

	(void)state;
	cybex_log_event(&lg, CYBEX_LOG_INFO, "dropped", NULL);
	cybex_log_event(&lg, CYBEX_LOG_DEBUG, "dropped", NULL);
	assert_int_equal(sink.n, 0);
	cybex_log_event(&lg, CYBEX_LOG_WARN, "kept", NULL);
	cybex_log_event(&lg, CYBEX_LOG_ERROR, "kept", NULL);
	assert_int_equal(sink.n, 2);
	cybex_log_event(NULL, CYBEX_LOG_ERROR, "nowhere", "k", "v", NULL);
	lg.fn = NULL;
	cybex_log_event(&lg, CYBEX_LOG_ERROR, "nowhere", NULL);
	assert_int_equal(sink.n, 2);
}

static void
check_escape(const char *in, size_t n, const char *want)
{
	struct cybex_buf b;

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_log_escape(&b, in, n), 0);
	if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0)
		fail_msg("escape gave [%s], want [%s]", b.data, want);
	cybex_buf_free(&b);
}

static void
test_escape_rules(void **state)
{
	(void)state;
	check_escape("plain", 5, "plain");
	check_escape("a/b:c.d-e_f,g", 13, "a/b:c.d-e_f,g");
	check_escape("", 0, "\"\"");
	check_escape("a b", 3, "\"a b\"");
	check_escape("a=b", 3, "\"a=b\"");
	check_escape("say \"hi\"", 8, "\"say \\\"hi\\\"\"");
	check_escape("C:\\dir", 6, "\"C:\\\\dir\"");
	check_escape("l1\nl2\r\t", 7, "\"l1\\nl2\\r\\t\"");
	check_escape("\x01\x1b[31m\x7f", 7, "\"\\x01\\x1b[31m\\x7f\"");
	check_escape("a\0b", 3, "\"a\\x00b\"");
	/* Valid UTF-8 passes inside quotes; invalid bytes are escaped. */
	check_escape("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"");
	check_escape("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"");
	check_escape("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"");
	check_escape("\xff\xfe", 2, "\"\\xff\\xfe\"");
	/* Truncated, overlong, surrogate. */
	check_escape("\xc3", 1, "\"\\xc3\"");
	check_escape("\xc0\xaf", 2, "\"\\xc0\\xaf\"");
	check_escape("\xed\xa0\x80", 3, "\"\\xed\\xa0\\x80\"");
	/* Unicode line breaks and bidi overrides cannot sneak through. */
	check_escape("\xc2\x85", 2, "\"\\xc2\\x85\"");		/* NEL */
	check_escape("\xe2\x80\xa8", 3, "\"\\xe2\\x80\\xa8\"");	/* LS */
	check_escape("\xe2\x80\xa9", 3, "\"\\xe2\\x80\\xa9\"");	/* PS */
	check_escape("\xe2\x80\xae", 3, "\"\\xe2\\x80\\xae\"");	/* RLO */
	/* n is honoured. */
	check_escape("abc def", 3, "abc");
}

static void
check_term(const char *in, size_t n, const char *want)
{
	struct cybex_buf b;

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_term_escape(&b, in, n), 0);
	/* An empty result may leave the buffer unallocated. */
	if (b.len != strlen(want) || (b.len > 0 &&
	    memcmp(b.data, want, b.len) != 0))
		fail_msg("term escape gave [%.*s], want [%s]", (int)b.len,
		    b.len > 0 ? b.data : "", want);
	cybex_buf_free(&b);
}

/* Text for a terminal: readable, but no byte that acts on the terminal. */
static void
test_term_escape(void **state)
{
	struct cybex_buf b;
	char in[256];
	size_t i;

	(void)state;
	check_term("plain text: a=b \"q\" C:\\d", 24,
	    "plain text: a=b \"q\" C:\\d");
	check_term("", 0, "");
	check_term(NULL, 5, "");
	check_term("\x1b[31mred\x1b[0m", 12, "\\x1b[31mred\\x1b[0m");
	check_term("\x1b]0;title\x07", 10, "\\x1b]0;title\\x07");
	check_term("l1\nl2\r\t\x7f", 8, "l1\\nl2\\r\\t\\x7f");
	check_term("a\0b", 3, "a\\x00b");
	/* Chinese and other printable UTF-8 stay readable. */
	check_term("\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9", 12,
	    "\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9");
	/* C1 CSI, as UTF-8 and as a lone 8-bit byte; line breaks; bidi. */
	check_term("\xc2\x9b" "31m", 5, "\\xc2\\x9b" "31m");
	check_term("\x9b" "31m", 4, "\\x9b" "31m");
	check_term("\xe2\x80\xa8\xe2\x80\xae", 6,
	    "\\xe2\\x80\\xa8\\xe2\\x80\\xae");
	check_term("\xff\xc3", 2, "\\xff\\xc3");
	/* No byte value below 0x20, DEL or a lone 0x80-0xff gets through. */
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)i;
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_term_escape(&b, in, sizeof(in)), 0);
	for (i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.data[i];

		if (c < 0x20 || c >= 0x7f)
			fail_msg("byte 0x%02x at %zu passed through", c, i);
	}
	cybex_buf_free(&b);
	/* All or nothing against a cap. */
	cybex_buf_init(&b, 8);
	assert_int_equal(cybex_buf_puts(&b, "k="), 0);
	assert_int_equal(cybex_term_escape(&b, "\x1b\x1b\x1b", 3),
	    CYBEX_ETOOBIG);
	assert_string_equal(b.data, "k=");
	cybex_buf_free(&b);
}

/* Hostile values: each must come back as exactly one field, unchanged. */
static void
test_no_forgery(void **state)
{
	static const char *const evil[] = {
		"x\nlevel=error event=forged",
		"x\rlevel=error event=forged",
		"x level=error",
		"x\" admin=\"1",
		"x\\\" admin=1",
		"\\",
		"\"",
		"=",
		"admin=1",
		"a\\nb",
		"\xe2\x80\xa8level=error",
		"\xc2\x85level=error",
		"tab\there",
		"\x1b]0;title\x07",
		"\\x41",
	};
	struct fields f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		sink_reset(NULL);
		cybex_log_event(&lg_info, CYBEX_LOG_INFO, "login", "user",
		    evil[i], "result", "denied", NULL);
		assert_int_equal(sink.n, 1);
		assert_null(strchr(sink.line[0], '\n'));
		assert_null(strchr(sink.line[0], '\r'));
		assert_null(strstr(sink.line[0], "\xe2\x80\xa8"));
		assert_null(strstr(sink.line[0], "\xc2\x85"));
		if (fields_parse(sink.line[0], &f) != 4)
			fail_msg("value %zu: line not 4 fields: %s", i,
			    sink.line[0]);
		assert_string_equal(f.key[0], "level");
		assert_string_equal(f.val[0], "info");
		assert_string_equal(f.key[1], "event");
		assert_string_equal(f.key[2], "user");
		assert_int_equal(f.vlen[2], strlen(evil[i]));
		assert_memory_equal(f.val[2], evil[i], f.vlen[2]);
		assert_string_equal(f.key[3], "result");
		assert_string_equal(f.val[3], "denied");
		fields_free(&f);
	}
	/* Hostile event names and keys are neutralised too. */
	sink_reset(NULL);
	cybex_log_event(&lg_info, CYBEX_LOG_INFO, "a b=c", "k=v x", "1",
	    "", "2", NULL);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.line[0],
	    "level=info event=\"a b=c\" k_v_x=1 _=2");
}

/* Every byte value survives a trip through escape and back. */
static void
test_all_bytes(void **state)
{
	struct cybex_buf b;
	struct fields f;
	char in[256];
	int i;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (char)i;
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_buf_puts(&b, "v="), 0);
	assert_int_equal(cybex_log_escape(&b, in, sizeof(in)), 0);
	assert_int_equal(fields_parse(b.data, &f), 1);
	assert_int_equal(f.vlen[0], 256);
	assert_memory_equal(f.val[0], in, 256);
	fields_free(&f);
	cybex_buf_free(&b);
}

static void
test_limits(void **state)
{
	struct cybex_buf b;
	char *big;
	size_t n = 20000;

	(void)state;
	/* Escape is all-or-nothing against a small cap. */
	cybex_buf_init(&b, 8);
	assert_int_equal(cybex_buf_puts(&b, "k="), 0);
	assert_int_equal(cybex_log_escape(&b, "a b c d e", 9), CYBEX_ETOOBIG);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "k=");
	cybex_buf_free(&b);

	/* An oversized value is dropped, and the line says so. */
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'A', n);
	big[n] = '\0';
	cybex_log_event(&lg_info, CYBEX_LOG_INFO, "big", "a", "1", "b", big,
	    "c", "3", NULL);
	free(big);
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.line[0],
	    "level=info event=big a=1 truncated=1");

	/* Lines stay within 8 KiB (plus the marker), near the edge too. */
	sink_reset(NULL);
	n = 8180;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'B', n);
	big[n] = '\0';
	cybex_log_event(&lg_info, CYBEX_LOG_INFO, "edge", "a", big, NULL);
	cybex_log_event(&lg_info, CYBEX_LOG_INFO, "edge", "a", big + 20,
	    NULL);
	free(big);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.line[0], "level=info event=edge truncated=1");
	assert_int_equal(strlen(sink.line[1]), 21 + 3 + 8160);
	assert_int_equal(strncmp(sink.line[1], "level=info event=edge a=BBB",
	    27), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		cmocka_unit_test_teardown(test_event_line, sink_reset),
		cmocka_unit_test_teardown(test_levels_and_null, sink_reset),
		cmocka_unit_test(test_escape_rules),
		cmocka_unit_test(test_term_escape),
		cmocka_unit_test_teardown(test_no_forgery, sink_reset),
		cmocka_unit_test(test_all_bytes),
		cmocka_unit_test_teardown(test_limits, sink_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
