/*
 * How the CLI shows a problem in its input, the same for every command
 * that reads STIX (validate, import): "file:line:col: error: message
 * [pointer]" for people, one JSON object per problem for scripts.  The
 * library has already located the diagnostic (cybex_stix_item_locate).
 */
#include <stdbool.h>
#include <stdio.h>

#include "cybex/core.h"

#include "cli.h"

void
cli_json_str(struct cybex_buf *b, const char *s)
{
	json_t *j = json_string(s != NULL ? s : "");

	if (j == NULL)		/* not UTF-8: cannot come from parsed input */
		j = json_string("?");
	(void)cybex_json_write(j, 0, b);
	json_decref(j);
}

void
cli_diag_print(const char *file, bool json, bool *first, struct cybex_buf *b,
    const struct cybex_diag *d, unsigned long line, unsigned long col)
{
	const char *sev = d->severity == CYBEX_SEV_ERROR ? "error" : "warning";

	if (!json) {
		printf("%s:%lu:%lu: %s: %s", file, line, col, sev, d->message);
		if (d->pointer[0] != '\0')
			printf(" [%s]", d->pointer);
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
