/*
 * The settings engine: one table declares every setting of a program part
 * (name, type, default, bounds, flags, where it is stored, help); from it
 * come the defaults, the "name = value" file parser, environment variables
 * with a prefix, "--name value" flags, the resolved value as text and the
 * origin of each value.  The table points into a caller's struct (offsetof)
 * so the caller reads plain fields afterwards.
 *
 * The rules, the same for every table (docs/internals/core.md):
 * - names match with '-' and '_' taken as the same character;
 * - booleans are true, yes, on, 1 or false, no, off, 0 (lower case);
 * - whole numbers are an optional '-' and decimal digits;
 * - sizes are a whole number with an optional k, M or G (powers of 1024,
 *   either case) and an optional B;
 * - durations are a number of seconds, possibly fractional, with an
 *   optional unit s, m, h or d; a whole-seconds setting rejects fractions;
 * - an empty value resets a string or a list to its default (a list's
 *   default is empty); numbers, booleans and enums need a value;
 * - a value is at most CYBEX_SETTING_VALUE_MAX bytes (CYBEX_ETOOBIG);
 * - in a file: '#' at the start of a line or after a blank starts a
 *   comment, blank lines are skipped, spaces around the name and value are
 *   dropped, a NUL byte is an error, a later line for the same setting wins
 *   (lists append one entry a line);
 * - empty environment variables are ignored.
 * Every error is CYBEX_EINVAL (CYBEX_ETOOBIG for caps) with a diag whose
 * message names the setting, the value, the source and why:
 *   "NAME: 'VALUE' (from ORIGIN) must be a whole number from 1 to 10",
 * "(from ORIGIN)" left out when no origin was given; file errors also set
 * d->line and d->column (1-based).
 */
#ifndef CYBEX_SETTINGS_H
#define CYBEX_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"

#define CYBEX_SETTING_VALUE_MAX	4096		/* bytes of one value */
#define CYBEX_SETTING_TEXT_MAX	(16u << 20)	/* bytes of a settings file */
#define CYBEX_SETTING_LIST_MAX	100000		/* entries of a list */

enum cybex_setting_type {
	CYBEX_SETTING_STRING,	/* char * (cybex_malloc'd); NULL = unset */
	CYBEX_SETTING_INT,	/* int64_t */
	CYBEX_SETTING_SIZE,	/* int64_t bytes */
	CYBEX_SETTING_BOOL,	/* bool */
	CYBEX_SETTING_SECONDS,	/* int64_t whole seconds */
	CYBEX_SETTING_UINT,	/* uint64_t */
	CYBEX_SETTING_REAL,	/* double, finite */
	CYBEX_SETTING_USEC,	/* int64_t microseconds, written in seconds */
	CYBEX_SETTING_ENUM,	/* int: index into choices */
	CYBEX_SETTING_LIST,	/* struct cybex_setting_list */
};

/* Flags of a setting. */
#define CYBEX_SETTING_RELOADABLE 0x01	/* takes effect on reload (SIGHUP) */
#define CYBEX_SETTING_NOFILE	0x02	/* not accepted in a settings file */

struct cybex_setting_list {
	size_t		 n;
	char		**v;		/* cybex_malloc'd entries */
};

/*
 * Check a string or list value and write its normal form to *out
 * (cybex_malloc'd).  On a bad value return CYBEX_EINVAL with a reason in
 * why (no name, no value: the engine adds those).
 */
typedef int	(*cybex_setting_norm_fn)(const char *v, char **out, char *why,
	    size_t whysz);

struct cybex_setting {
	const char	*name;
	enum cybex_setting_type type;
	const char	*def;		/* as text; NULL = unset */
	double		 min, max;	/* numbers (integers exact to 2^53) */
	unsigned	 flags;		/* CYBEX_SETTING_* */
	size_t		 off;		/* offsetof(struct ..., field) */
	const char	*help;
	cybex_setting_norm_fn norm;	/* STRING, LIST: NULL = taken as is */
	const char *const *choices;	/* ENUM: NULL-terminated names */
};

/*
 * Around a table: entries may stop after help (norm and choices NULL)
 * without -Wmissing-field-initializers, so a table line stays one simple
 * positional initializer.
 */
#define CYBEX_SETTINGS_TABLE_BEGIN					\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")
#define CYBEX_SETTINGS_TABLE_END	_Pragma("GCC diagnostic pop")

/*
 * Tables end with an entry whose name is NULL.  base is the struct the
 * offsets point into.  origins, when not NULL, has one slot per setting
 * (cybex_settings_count): each successful set stores a copy of its origin
 * there ("default", "flag", "CYBEX_X", "file PATH", ...).  Free the values
 * and the origins with cybex_settings_free.
 */
size_t	 cybex_settings_count(const struct cybex_setting *t);
/* The setting called name[0..len) ('-' = '_'), or NULL. */
const struct cybex_setting *cybex_settings_find(const struct cybex_setting *t,
	    const char *name, size_t len);
/* Set every setting that has a default, origin "default". */
int	 cybex_settings_defaults(const struct cybex_setting *t, void *base,
	    char **origins, struct cybex_diag *d);
/*
 * Set s (an entry of t) from the text v; origin may be NULL.  Lists append
 * (CYBEX_ETOOBIG past CYBEX_SETTING_LIST_MAX entries).
 */
int	 cybex_settings_apply(const struct cybex_setting *t,
	    const struct cybex_setting *s, void *base, const char *v,
	    const char *origin, char **origins, struct cybex_diag *d);
/* Set the setting called name; unknown names: "unknown setting 'NAME'". */
int	 cybex_settings_set(const struct cybex_setting *t, void *base,
	    const char *name, const char *v, const char *origin,
	    char **origins, struct cybex_diag *d);
/*
 * Apply the "name = value" lines of text[0..len) (the rules above).  Stops
 * at the first error, lines before it applied: apply to a copy
 * (cybex_settings_copy) for all or nothing.  origin names the text in
 * messages and origins (NULL: none).
 */
int	 cybex_settings_parse(const struct cybex_setting *t, void *base,
	    const char *text, size_t len, const char *origin, char **origins,
	    struct cybex_diag *d);
/*
 * Read the file at path (at most CYBEX_SETTING_TEXT_MAX bytes) and parse
 * it with origin "file PATH".  A file that cannot be read: CYBEX_EIO,
 * "cannot read config file PATH: REASON".
 */
int	 cybex_settings_load_file(const struct cybex_setting *t, void *base,
	    const char *path, char **origins, struct cybex_diag *d);
/*
 * Apply the environment: setting "max-body" with prefix "CYBEX_" is
 * CYBEX_MAX_BODY (upper case, '-' as '_'); its name is the origin.
 */
int	 cybex_settings_env(const struct cybex_setting *t, void *base,
	    const char *prefix, char **origins, struct cybex_diag *d);
/* The environment name of s into buf (truncated to bufsz). */
void	 cybex_settings_env_name(const struct cybex_setting *s,
	    const char *prefix, char *buf, size_t bufsz);
/*
 * Apply flags argv[0..argc): "--name VALUE", "--name=VALUE", "--flag" and
 * "--no-flag" for booleans; origin "flag".  Errors: "unknown option
 * '--NAME'", "--NAME needs a value", "unexpected argument 'ARG'".
 */
int	 cybex_settings_argv(const struct cybex_setting *t, void *base,
	    int argc, char **argv, char **origins, struct cybex_diag *d);
/* Append the value of s as text that parses back ("" when unset). */
int	 cybex_settings_format(const struct cybex_setting *s,
	    const void *base, struct cybex_buf *out);
/*
 * Deep-copy the settings of src into dst (both of size bytes): every
 * field is copied, strings and lists duplicated.  On error dst is left
 * with nothing to free.
 */
int	 cybex_settings_copy(const struct cybex_setting *t, void *dst,
	    const void *src, size_t size);
/* Free the strings and lists of base and the origins; NULL-safe. */
void	 cybex_settings_free(const struct cybex_setting *t, void *base,
	    char **origins);

#endif
