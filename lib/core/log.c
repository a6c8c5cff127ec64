/*
 * Logging: one `key=value` line per event, handed to the program's sink.
 *
 * Untrusted bytes must not be able to forge a field or a line, so a value
 * is quoted whenever it holds anything beyond plain printable ASCII, and
 * inside quotes every byte that could end the value, the line, or confuse
 * a terminal is escaped.  Valid UTF-8 passes through inside quotes, except
 * for code points that act as line breaks or reorder text (C1 controls,
 * U+2028/U+2029, bidi overrides), which are escaped byte by byte.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cybex/core.h"
#include "core_int.h"

#define LOG_LINE_MAX	8192		/* soft cap on one line */
#define LOG_LINE_SLACK	64		/* room for " truncated=1" */

static const char *const level_names[] = {
	"error", "warn", "info", "debug",
};

/* What the sink gets when a line cannot be built (by level + 1). */
static const char *const failed_lines[] = {
	"level=unknown event=log-failed",
	"level=error event=log-failed",
	"level=warn event=log-failed",
	"level=info event=log-failed",
	"level=debug event=log-failed",
};

const char *
cybex_log_level_name(int level)
{
	if (level < 0 || level > CYBEX_LOG_DEBUG)
		return "unknown";
	return level_names[level];
}

/* Code points that break lines or reorder text on a terminal. */
static int
cp_unsafe(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

static int
needs_quotes(const unsigned char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '=' || s[i] == '\\')
			return 1;
	}
	return 0;
}

static int
put_hex(struct cybex_buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4];

	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 0x0f];
	return cybex_buf_append(b, e, sizeof(e));
}

/*
 * Append s[0..n) with every byte that could end a line or act on a
 * terminal escaped: C0 controls and DEL, invalid UTF-8, and the code
 * points of cp_unsafe (C1 controls such as CSI, line separators, bidi
 * overrides) as \xNN per byte, \n \r \t by name.  With quoted, '"'
 * and '\\' are escaped too, so that the value can be read back.
 */
static int
escape_bytes(struct cybex_buf *b, const unsigned char *s, size_t n,
    bool quoted)
{
	size_t i, k, seq;
	uint32_t cp;
	int r = 0;

	for (i = 0; i < n; i += seq) {
		seq = 1;
		switch (s[i]) {
		case '"':
			r = quoted ? cybex_buf_append(b, "\\\"", 2) :
			    cybex_buf_putc(b, s[i]);
			break;
		case '\\':
			r = quoted ? cybex_buf_append(b, "\\\\", 2) :
			    cybex_buf_putc(b, s[i]);
			break;
		case '\n':
			r = cybex_buf_append(b, "\\n", 2);
			break;
		case '\r':
			r = cybex_buf_append(b, "\\r", 2);
			break;
		case '\t':
			r = cybex_buf_append(b, "\\t", 2);
			break;
		default:
			if (s[i] >= 0x20 && s[i] < 0x7f) {
				r = cybex_buf_putc(b, s[i]);
				break;
			}
			if (s[i] >= 0x80 &&
			    (seq = cybex_utf8_decode(s + i, n - i, &cp)) != 0 &&
			    !cp_unsafe(cp)) {
				r = cybex_buf_append(b, s + i, seq);
				break;
			}
			if (seq == 0)
				seq = 1;
			for (k = 0; k < seq && r == 0; k++)
				r = put_hex(b, s[i + k]);
			break;
		}
		if (r != 0)
			break;
	}
	return r;
}

static int
escape_quoted(struct cybex_buf *b, const unsigned char *s, size_t n)
{
	int r;

	if ((r = cybex_buf_putc(b, '"')) == 0 &&
	    (r = escape_bytes(b, s, n, true)) == 0)
		r = cybex_buf_putc(b, '"');
	return r;
}

int
cybex_term_escape(struct cybex_buf *b, const char *s, size_t n)
{
	size_t start = b->len;
	int r;

	if (s == NULL)
		n = 0;
	if ((r = escape_bytes(b, (const unsigned char *)s, n, false)) != 0)
		cybex_buf_truncate(b, start);	/* all or nothing */
	return r;
}

int
cybex_log_escape(struct cybex_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = b->len;
	int r;

	if (s == NULL)
		n = 0;
	if (!needs_quotes(u, n))
		r = cybex_buf_append(b, s, n);
	else
		r = escape_quoted(b, u, n);
	/* All or nothing: never leave half a value behind. */
	if (r != 0)
		cybex_buf_truncate(b, start);
	return r;
}

/*
 * Keys come from code, but keep them safe anyway: anything outside
 * [A-Za-z0-9_.-] becomes '_' so a key can never carry '=' or a space.
 */
static int
put_key(struct cybex_buf *b, const char *k)
{
	size_t i, n;
	int r = 0;

	if (k == NULL || *k == '\0')
		k = "_";
	n = strlen(k);
	for (i = 0; i < n && r == 0; i++) {
		unsigned char c = (unsigned char)k[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    c == '-')
			r = cybex_buf_putc(b, c);
		else
			r = cybex_buf_putc(b, '_');
	}
	return r;
}

/* Append " key=value"; all or nothing, and within the soft line cap. */
static int
put_field(struct cybex_buf *b, const char *k, const char *v)
{
	size_t start = b->len;
	int r;

	if ((r = cybex_buf_putc(b, ' ')) != 0 ||
	    (r = put_key(b, k)) != 0 ||
	    (r = cybex_buf_putc(b, '=')) != 0 ||
	    (r = cybex_log_escape(b, v, v != NULL ? strlen(v) : 0)) != 0)
		goto out;
	if (b->len > LOG_LINE_MAX)
		r = CYBEX_ETOOBIG;
 out:
	if (r != 0)
		cybex_buf_truncate(b, start);
	return r;
}

void
cybex_log_event(const struct cybex_log *lg, int level, const char *event,
    ...)
{
	struct cybex_buf b;
	const char *k, *v;
	va_list ap;
	int r;

	if (lg == NULL || lg->fn == NULL || level > lg->max_level)
		return;
	cybex_buf_init(&b, LOG_LINE_MAX + LOG_LINE_SLACK);
	va_start(ap, event);
	if ((r = cybex_buf_puts(&b, "level=")) != 0 ||
	    (r = cybex_buf_puts(&b, cybex_log_level_name(level))) != 0 ||
	    (r = put_field(&b, "event", event)) != 0)
		goto out;
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if ((r = put_field(&b, k, v)) != 0) {
			/* Say the line is short rather than drop it. */
			r = cybex_buf_puts(&b, " truncated=1");
			break;
		}
	}
 out:
	va_end(ap);
	if (r == 0)
		lg->fn(lg->ud, level, b.data);
	else {
		/* Out of memory: still tell the sink something happened. */
		lg->fn(lg->ud, level, failed_lines[level >= 0 &&
		    level <= CYBEX_LOG_DEBUG ? level + 1 : 0]);
	}
	cybex_buf_free(&b);
}
