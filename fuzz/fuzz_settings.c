/*
 * Fuzz target: the settings-file parser (cybex_settings_parse) over a
 * table with every type.  Whatever the input, the parse ends with 0 or a
 * documented code and a message; a failure names a line of the input.
 * After a success every value formats, and the formatted text set again
 * gives the same value (what --check-config and describe print reads back).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/settings.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct conf {
	bool		 b;
	int64_t		 i, z, s, us;
	uint64_t	 u;
	double		 x;
	int		 e;
	char		*str;
	struct cybex_setting_list l;
};

static const char *const choices[] = { "one", "two", NULL };

#define OFF(f)	offsetof(struct conf, f)

CYBEX_SETTINGS_TABLE_BEGIN
static const struct cybex_setting table[] = {
	{ "b", CYBEX_SETTING_BOOL, "false", 0, 0, 0, OFF(b), "" },
	{ "i", CYBEX_SETTING_INT, "0", -1e15, 1e15, 0, OFF(i), "" },
	{ "z", CYBEX_SETTING_SIZE, "1k", 0, 1LL << 50, 0, OFF(z), "" },
	{ "s", CYBEX_SETTING_SECONDS, "1", 0, 1e9, 0, OFF(s), "" },
	{ "us", CYBEX_SETTING_USEC, "1", 0, 1e9, 0, OFF(us), "" },
	{ "u", CYBEX_SETTING_UINT, "0", 0, 1e18, 0, OFF(u), "" },
	{ "x", CYBEX_SETTING_REAL, "0", -1e300, 1e300, 0, OFF(x), "" },
	{ "e", CYBEX_SETTING_ENUM, "one", 0, 0, 0, OFF(e), "", NULL,
	    choices },
	{ "str", CYBEX_SETTING_STRING, NULL, 0, 0, 0, OFF(str), "" },
	{ "l", CYBEX_SETTING_LIST, NULL, 0, 0, 0, OFF(l), "" },
	{ NULL, 0, NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};
CYBEX_SETTINGS_TABLE_END

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_settings: %s: %s\n", what, detail);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c, c2;
	struct cybex_diag d;
	const struct cybex_setting *s;
	struct cybex_buf a, b;
	unsigned long lines = 1;
	size_t i;
	int r;

	memset(&c, 0, sizeof(c));
	memset(&c2, 0, sizeof(c2));
	if (cybex_settings_defaults(table, &c, NULL, &d) != 0)
		die("defaults", d.message);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	r = cybex_settings_parse(table, &c, (const char *)data, size, "fuzz",
	    NULL, &d);
	if (r != 0) {
		if (r != CYBEX_EINVAL && r != CYBEX_ETOOBIG &&
		    r != CYBEX_ENOMEM)
			die("unexpected code", d.message);
		if (d.message[0] == '\0' || d.line < 1 || d.line > lines ||
		    d.column < 1)
			die("error without a message or a line", d.message);
		goto out;
	}
	if (cybex_settings_defaults(table, &c2, NULL, &d) != 0)
		die("defaults", d.message);
	cybex_buf_init(&a, 0);
	cybex_buf_init(&b, 0);
	for (s = table; s->name != NULL; s++) {
		if (s->type == CYBEX_SETTING_LIST)
			continue;
		cybex_buf_reset(&a);
		cybex_buf_reset(&b);
		if (cybex_settings_format(s, &c, &a) != 0)
			die("format", s->name);
		if (cybex_settings_apply(table, s, &c2, a.data != NULL ?
		    a.data : "", NULL, NULL, &d) != 0)
			die("a formatted value does not set", d.message);
		if (cybex_settings_format(s, &c2, &b) != 0)
			die("format", s->name);
		if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data,
		    a.len) != 0))
			die("a formatted value reads back otherwise", s->name);
	}
	cybex_buf_free(&a);
	cybex_buf_free(&b);
 out:
	cybex_settings_free(table, &c, NULL);
	cybex_settings_free(table, &c2, NULL);
	return 0;
}
