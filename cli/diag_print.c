/*
 * How the CLI shows a problem in its input, the same for every command
 * that reads STIX (validate, import): "file:line:col: error: message
 * [pointer]" for people, one JSON object per problem for scripts.  The
 * library has already located the diagnostic (cybex_stix_item_locate).
 *
 * And how it prints any text that came from outside: file names, values
 * quoted in messages, what the database or a peer said may hold escape
 * sequences that would drive the user's terminal (retitle it, hide or
 * fake output, on some terminals even answer back), so every such line
 * goes through cli_vfprintf and is escaped in one place.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cybex/core.h"

#include "cli.h"

void
cli_json_str(struct cybex_buf *b, const char *s)
{
	json_t *j = json_string(s != NULL ? s : "");

	struct cybex_buf t;
	const unsigned char *u;
	size_t i;

	if (j == NULL)		/* not UTF-8: cannot come from parsed input */
		j = json_string("?");
	cybex_buf_init(&t, 0);
	if (cybex_json_write(j, 0, &t) != 0)
		goto out;
	/*
	 * The writer escapes only what JSON requires (C0, '"', '\\'); DEL
	 * and the C1 controls (U+0080..U+009F, CSI among them) would still
	 * act on a terminal showing the output, so they become \u00XX too:
	 * the same JSON value.
	 */
	u = (const unsigned char *)t.data;
	for (i = 0; i < t.len; i++) {
		if (u[i] == 0x7f)
			cybex_buf_puts(b, "\\u007f");
		else if (u[i] == 0xc2 && i + 1 < t.len && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f) {
			cybex_buf_printf(b, "\\u%04x", u[i + 1]);
			i++;
		} else
			cybex_buf_putc(b, u[i]);
	}
 out:
	cybex_buf_free(&t);
	json_decref(j);
}

void
cli_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[1024], *text = small;
	struct cybex_buf b;
	va_list aq;
	size_t len;
	bool nl;
	int n;

	va_copy(aq, ap);
	cybex_buf_init(&b, 0);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		goto out;
	if ((size_t)n >= sizeof(small)) {
		if ((text = malloc((size_t)n + 1)) == NULL)
			goto out;
		(void)vsnprintf(text, (size_t)n + 1, fmt, aq);
	}
	len = (size_t)n;
	nl = len > 0 && text[len - 1] == '\n';
	if (cybex_term_escape(&b, text, len - nl) != 0)
		goto out;
	fwrite(b.data, 1, b.len, f);
	if (nl)
		fputc('\n', f);
 out:
	if (text != small)
		free(text);
	cybex_buf_free(&b);
	va_end(aq);
}

void
cli_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfprintf(f, fmt, ap);
	va_end(ap);
}

void
cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void
cli_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void
cli_diag_print(const char *file, bool json, bool *first, struct cybex_buf *b,
    const struct cybex_diag *d, unsigned long line, unsigned long col)
{
	const char *sev = d->severity == CYBEX_SEV_ERROR ? "error" : "warning";

	if (!json) {
		/* file, message and pointer may all hold input bytes */
		cli_out("%s:%lu:%lu: %s: %s", file, line, col, sev, d->message);
		if (d->pointer[0] != '\0')
			cli_out(" [%s]", d->pointer);
		putchar('\n');
		return;
	}
	cybex_buf_reset(b);
	cybex_buf_puts(b, *first ? "\n" : ",\n");
	*first = false;
	cybex_buf_printf(b, "{\"severity\":\"%s\",\"rule\":", sev);
	cli_json_str(b, d->rule != NULL ? d->rule : cybex_strerror(d->code));
	cybex_buf_printf(b, ",\"line\":%lu,\"column\":%lu,\"offset\":%llu,"
	    "\"pointer\":", line, col, d->offset);
	cli_json_str(b, d->pointer);
	cybex_buf_puts(b, ",\"message\":");
	cli_json_str(b, d->message);
	cybex_buf_putc(b, '}');
	fwrite(b->data, 1, b->len, stdout);
}
