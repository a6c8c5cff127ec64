/*
 * The settings engine: every type's rule, files (comments, duplicates,
 * errors with line and column), the environment, flags, origins, copies,
 * and hostile input (huge lines, NUL bytes, overflowing numbers, unknown
 * names).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/settings.h"

struct conf {
	bool		 flag;
	int64_t		 n;
	int64_t		 size;
	int64_t		 secs;
	int64_t		 us;
	uint64_t	 u;
	double		 x;
	char		*name;
	char		*title;
	int		 level;
	struct cybex_setting_list list;
	char		*secret;
};

static const char *const levels[] = { "error", "warn", "info", NULL };

static int
norm_upper(const char *v, char **out, char *why, size_t whysz)
{
	size_t i;

	if (strchr(v, ' ') != NULL) {
		snprintf(why, whysz, "'%.64s' has a blank", v);
		return CYBEX_EINVAL;
	}
	if ((*out = cybex_strdup(v)) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; (*out)[i] != '\0'; i++)
		if ((*out)[i] >= 'a' && (*out)[i] <= 'z')
			(*out)[i] = (char)((*out)[i] - 32);
	return 0;
}

#define OFF(f)	offsetof(struct conf, f)

CYBEX_SETTINGS_TABLE_BEGIN
static const struct cybex_setting table[] = {
	{ "flag", CYBEX_SETTING_BOOL, "false", 0, 0, 0, OFF(flag), "a bool" },
	{ "count", CYBEX_SETTING_INT, "5", -10, 100, 0, OFF(n), "an int" },
	{ "max-size", CYBEX_SETTING_SIZE, "1k", 0, 1LL << 40, 0, OFF(size),
	    "a size" },
	{ "timeout", CYBEX_SETTING_SECONDS, "30", 1, 86400, 0, OFF(secs),
	    "whole seconds" },
	{ "period", CYBEX_SETTING_USEC, "1.5", 0, 3600, 0, OFF(us), "usec" },
	{ "big", CYBEX_SETTING_UINT, "7", 0, 1e18, 0, OFF(u), "a uint" },
	{ "ratio", CYBEX_SETTING_REAL, "0.5", 0, 1, 0, OFF(x), "a real" },
	{ "name", CYBEX_SETTING_STRING, NULL, 0, 0, 0, OFF(name), "a name",
	    norm_upper },
	{ "title", CYBEX_SETTING_STRING, "hub", 0, 0, 0, OFF(title), "title" },
	{ "level", CYBEX_SETTING_ENUM, "info", 0, 0, 0, OFF(level), "enum",
	    NULL, levels },
	{ "entry", CYBEX_SETTING_LIST, NULL, 0, 0, 0, OFF(list), "a list",
	    norm_upper },
	{ "secret", CYBEX_SETTING_STRING, NULL, 0, 0, CYBEX_SETTING_NOFILE,
	    OFF(secret), "not in files" },
	{ NULL, 0, NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};
CYBEX_SETTINGS_TABLE_END

#define N	(sizeof(table) / sizeof(table[0]) - 1)

struct fx {
	struct conf	 c;
	char		*origins[N];
	struct cybex_diag d;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(cybex_settings_defaults(table, &f->c, f->origins,
	    &f->d), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	cybex_settings_free(table, &f->c, f->origins);
	free(f);
	return 0;
}

static const char *
fmt(const char *name, const struct conf *c)
{
	static char out[256];
	const struct cybex_setting *s;
	struct cybex_buf b;

	s = cybex_settings_find(table, name, strlen(name));
	assert_non_null(s);
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_settings_format(s, c, &b), 0);
	snprintf(out, sizeof(out), "%s", b.data != NULL ? b.data : "");
	cybex_buf_free(&b);
	return out;
}

static int
set(struct fx *f, const char *name, const char *v)
{
	return cybex_settings_set(table, &f->c, name, v, "test", f->origins,
	    &f->d);
}

static void
expect_bad(struct fx *f, const char *name, const char *v, const char *msg)
{
	int r = set(f, name, v);

	if (r == 0 || strstr(f->d.message, msg) == NULL)
		fail_msg("%s = '%s': %d '%s', expected '%s'", name, v, r,
		    f->d.message, msg);
}

static void
test_defaults(void **state)
{
	struct fx *f = *state;

	assert_false(f->c.flag);
	assert_int_equal(f->c.n, 5);
	assert_int_equal(f->c.size, 1024);
	assert_int_equal(f->c.secs, 30);
	assert_int_equal(f->c.us, 1500000);
	assert_int_equal(f->c.level, 2);
	assert_null(f->c.name);
	assert_string_equal(f->c.title, "hub");
	assert_string_equal(f->origins[1], "default");
	assert_null(f->origins[7]);	/* name: no default */
	assert_string_equal(fmt("period", &f->c), "1.500000");
	assert_string_equal(fmt("level", &f->c), "info");
	assert_int_equal(cybex_settings_count(table), N);
}

static void
test_types(void **state)
{
	struct fx *f = *state;

	/* Booleans: the eight spellings, nothing else. */
	assert_int_equal(set(f, "flag", "on"), 0);
	assert_true(f->c.flag);
	assert_int_equal(set(f, "flag", "0"), 0);
	assert_false(f->c.flag);
	expect_bad(f, "flag", "TRUE", "'TRUE' (from test) must be true or "
	    "false");
	expect_bad(f, "flag", "", "must be true or false");
	/* Whole numbers: '-' and digits, bounds. */
	assert_int_equal(set(f, "count", "-10"), 0);
	assert_int_equal(f->c.n, -10);
	expect_bad(f, "count", "+5", "count: '+5' (from test) must be a whole "
	    "number from -10 to 100");
	expect_bad(f, "count", " 5", "whole number");
	expect_bad(f, "count", "101", "whole number");
	expect_bad(f, "count", "99999999999999999999999", "whole number");
	expect_bad(f, "big", "-1", "whole number");
	expect_bad(f, "big", "18446744073709551616", "whole number");
	/* Sizes: k, M, G in either case, an optional B, no overflow. */
	assert_int_equal(set(f, "max-size", "16M"), 0);
	assert_int_equal(f->c.size, 16 << 20);
	assert_int_equal(set(f, "max-size", "2kB"), 0);
	assert_int_equal(f->c.size, 2048);
	assert_int_equal(set(f, "max-size", "3g"), 0);
	assert_int_equal(f->c.size, 3LL << 30);
	expect_bad(f, "max-size", "9999999999999999G", "must be a size");
	expect_bad(f, "max-size", "8589934592G", "must be a size");
	expect_bad(f, "max-size", "1T", "must be a size");
	expect_bad(f, "max-size", "1.5k", "must be a size");
	/* Durations: units, and whole seconds where the setting says so. */
	assert_int_equal(set(f, "timeout", "2m"), 0);
	assert_int_equal(f->c.secs, 120);
	assert_int_equal(set(f, "timeout", "1d"), 0);
	assert_int_equal(f->c.secs, 86400);
	expect_bad(f, "timeout", "1.5", "whole seconds");
	expect_bad(f, "timeout", "2d", "whole seconds");
	expect_bad(f, "timeout", "5 weeks", "duration");
	assert_int_equal(set(f, "period", "0.25"), 0);
	assert_int_equal(f->c.us, 250000);
	assert_int_equal(set(f, "period", "1m"), 0);
	assert_int_equal(f->c.us, 60000000);
	expect_bad(f, "period", "-1", "duration");
	expect_bad(f, "period", "1e400", "duration");
	/* Reals: finite only. */
	expect_bad(f, "ratio", "nan", "must be a number from 0 to 1");
	expect_bad(f, "ratio", "inf", "must be a number");
	/* Enums. */
	assert_int_equal(set(f, "level", "warn"), 0);
	assert_int_equal(f->c.level, 1);
	expect_bad(f, "level", "loud", "level: 'loud' (from test) must be "
	    "error, warn or info");
	/* Strings: normalized, checked, the origin in the message. */
	assert_int_equal(set(f, "name", "abc"), 0);
	assert_string_equal(f->c.name, "ABC");
	assert_string_equal(f->origins[7], "test");
	expect_bad(f, "name", "a b", "name: 'a b' has a blank (from test)");
	/* An empty value: back to the default. */
	assert_int_equal(set(f, "name", ""), 0);
	assert_null(f->c.name);
	assert_int_equal(set(f, "title", "x"), 0);
	assert_int_equal(set(f, "title", ""), 0);
	assert_string_equal(f->c.title, "hub");
	/* Lists append; empty clears. */
	assert_int_equal(set(f, "entry", "a"), 0);
	assert_int_equal(set(f, "entry", "b"), 0);
	assert_string_equal(fmt("entry", &f->c), "A, B");
	assert_int_equal(set(f, "entry", ""), 0);
	assert_int_equal(f->c.list.n, 0);
	/* Names: '-' and '_' are one; unknown names are named. */
	assert_int_equal(set(f, "max_size", "1k"), 0);
	expect_bad(f, "max-sizes", "1", "unknown setting 'max-sizes'");
	expect_bad(f, "max", "1", "unknown setting");
	assert_null(cybex_settings_find(table, "flag", 3));
	assert_non_null(cybex_settings_find(table, "flagX", 4));
}

static int
parse(struct fx *f, const char *text, size_t len)
{
	return cybex_settings_parse(table, &f->c, text, len, "file t.conf",
	    f->origins, &f->d);
}

static void
test_file(void **state)
{
	struct fx *f = *state;
	const char *t =
	    "# comment\n"
	    "\n"
	    "   count = 7   # trailing comment\n"
	    "title = a#b\n"
	    "count=8\r\n"
	    "max_size = 2k\n"
	    "entry = x\n"
	    "entry = y\n";

	assert_int_equal(parse(f, t, strlen(t)), 0);
	assert_int_equal(f->c.n, 8);		/* the later line wins */
	assert_string_equal(f->c.title, "a#b");	/* no blank before '#' */
	assert_int_equal(f->c.size, 2048);
	assert_int_equal(f->c.list.n, 2);
	assert_string_equal(f->origins[1], "file t.conf");
	/* A comment after a blank is cut from the value. */
	assert_int_equal(parse(f, "title = a #b\n", 13), 0);
	assert_string_equal(f->c.title, "a");
}

struct bad {
	const char	*text;
	unsigned long	 line, column;
	const char	*msg;
};

static const struct bad bad[] = {
	{ "count = 1\nnope = 1\n", 2, 1, "unknown setting 'nope'" },
	{ "\n  count = 200\n", 2, 11, "count: '200' (from file t.conf) must "
	    "be a whole number from -10 to 100" },
	{ "words only\n", 1, 1, "expected 'name = value'" },
	{ "secret = x\n", 1, 1, "unknown setting 'secret'" },
	{ " = 1\n", 1, 2, "unknown setting ''" },
	{ "flag = maybe\n", 1, 8, "must be true or false" },
};

static void
test_file_errors(void **state)
{
	struct fx *f = *state;
	char *big;
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = parse(f, bad[i].text, strlen(bad[i].text));
		if (r != CYBEX_EINVAL || f->d.line != bad[i].line ||
		    f->d.column != bad[i].column ||
		    strstr(f->d.message, bad[i].msg) == NULL)
			fail_msg("case %zu: %d line %lu col %lu '%s'", i, r,
			    f->d.line, f->d.column, f->d.message);
	}
	/* A NUL byte: an error at its line, never a silent cut. */
	assert_int_equal(parse(f, "count = 1\ntitle = a\0b\n", 22),
	    CYBEX_EINVAL);
	assert_int_equal(f->d.line, 2);
	assert_non_null(strstr(f->d.message, "NUL byte"));
	/* A huge line: the value cap, cleanly. */
	big = malloc(100000);
	assert_non_null(big);
	memcpy(big, "title = ", 8);
	memset(big + 8, 'x', 100000 - 9);
	big[99999] = '\n';
	assert_int_equal(parse(f, big, 100000), CYBEX_ETOOBIG);
	assert_non_null(strstr(f->d.message, "title: value (from file t.conf) "
	    "longer than 4096 bytes"));
	/* A huge comment line is fine. */
	memset(big, '#', 99999);
	assert_int_equal(parse(f, big, 100000), 0);
	free(big);
	/* A text over the cap. */
	assert_int_equal(parse(f, "", CYBEX_SETTING_TEXT_MAX + 1),
	    CYBEX_ETOOBIG);
	assert_int_equal(parse(f, NULL, 0), 0);
	assert_int_equal(parse(f, NULL, 1), CYBEX_EINVAL);
}

static void
test_load_file(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/test_settings_XXXXXX";
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("count = 9\nmax-size = 1M\n", fp);
	fclose(fp);
	assert_int_equal(cybex_settings_load_file(table, &f->c, path,
	    f->origins, &f->d), 0);
	assert_int_equal(f->c.n, 9);
	assert_true(strncmp(f->origins[1], "file /tmp/test_settings_", 24) ==
	    0);
	unlink(path);
	assert_int_equal(cybex_settings_load_file(table, &f->c, path,
	    f->origins, &f->d), CYBEX_EIO);
	assert_non_null(strstr(f->d.message, "cannot read config file"));
}

static void
test_env_argv(void **state)
{
	struct fx *f = *state;
	char name[64];
	char *argv[] = { "--count", "3", "--max-size=4k", "--flag",
	    "--no-flag", "--timeout", NULL };

	cybex_settings_env_name(&table[2], "TS_", name, sizeof(name));
	assert_string_equal(name, "TS_MAX_SIZE");
	setenv("TS_COUNT", "12", 1);
	setenv("TS_TITLE", "", 1);		/* empty: ignored */
	assert_int_equal(cybex_settings_env(table, &f->c, "TS_", f->origins,
	    &f->d), 0);
	assert_int_equal(f->c.n, 12);
	assert_string_equal(f->origins[1], "TS_COUNT");
	assert_string_equal(f->c.title, "hub");
	setenv("TS_COUNT", "x", 1);
	assert_int_equal(cybex_settings_env(table, &f->c, "TS_", f->origins,
	    &f->d), CYBEX_EINVAL);
	assert_non_null(strstr(f->d.message, "count: 'x' (from TS_COUNT)"));
	unsetenv("TS_COUNT");
	unsetenv("TS_TITLE");

	assert_int_equal(cybex_settings_argv(table, &f->c, 5, argv,
	    f->origins, &f->d), 0);
	assert_int_equal(f->c.n, 3);
	assert_int_equal(f->c.size, 4096);
	assert_false(f->c.flag);
	assert_string_equal(f->origins[0], "flag");
	assert_int_equal(cybex_settings_argv(table, &f->c, 6, argv,
	    f->origins, &f->d), CYBEX_EINVAL);
	assert_string_equal(f->d.message, "--timeout needs a value");
	argv[0] = "--bogus";
	assert_int_equal(cybex_settings_argv(table, &f->c, 1, argv,
	    f->origins, &f->d), CYBEX_EINVAL);
	assert_string_equal(f->d.message, "unknown option '--bogus'");
	argv[0] = "plain";
	assert_int_equal(cybex_settings_argv(table, &f->c, 1, argv,
	    f->origins, &f->d), CYBEX_EINVAL);
	assert_string_equal(f->d.message, "unexpected argument 'plain'");
	argv[0] = "--no-count";		/* not a boolean */
	assert_int_equal(cybex_settings_argv(table, &f->c, 1, argv,
	    f->origins, &f->d), CYBEX_EINVAL);
	assert_string_equal(f->d.message, "unknown option '--no-count'");
}

static void
test_copy(void **state)
{
	struct fx *f = *state;
	struct conf c2;

	assert_int_equal(set(f, "name", "n"), 0);
	assert_int_equal(set(f, "entry", "e1"), 0);
	assert_int_equal(cybex_settings_copy(table, &c2, &f->c, sizeof(c2)),
	    0);
	assert_ptr_not_equal(c2.name, f->c.name);
	assert_string_equal(c2.name, "N");
	assert_int_equal(c2.list.n, 1);
	assert_ptr_not_equal(c2.list.v, f->c.list.v);
	assert_int_equal(c2.n, f->c.n);
	cybex_settings_free(table, &c2, NULL);
	assert_null(c2.name);
	cybex_settings_free(NULL, NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_load_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_env_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
