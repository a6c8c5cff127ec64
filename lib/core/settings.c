/*
 * The settings engine (include/cybex/settings.h): one set of rules for
 * every table of settings, the detectors' and `cybex serve`'s among them.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/settings.h"

#define WHY_MAX	512

static int
whyf(char *why, size_t whysz, const char *fmt, ...) CYBEX_PRINTF(3, 4);

static int
whyf(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
	return CYBEX_EINVAL;
}

size_t
cybex_settings_count(const struct cybex_setting *t)
{
	size_t n = 0;

	while (t[n].name != NULL)
		n++;
	return n;
}

static bool
name_eq(const char *a, const char *b, size_t blen)
{
	size_t i;
	char x, y;

	for (i = 0; i < blen; i++) {
		x = a[i] == '_' ? '-' : a[i];
		y = b[i] == '_' ? '-' : b[i];
		if (x == '\0' || x != y)
			return false;
	}
	return a[blen] == '\0';
}

const struct cybex_setting *
cybex_settings_find(const struct cybex_setting *t, const char *name,
    size_t len)
{
	for (; t->name != NULL; t++)
		if (name_eq(t->name, name, len))
			return t;
	return NULL;
}

/* ---- values ---- */

static bool
parse_real(const char *v, double *out)
{
	char *end;

	if (*v == '\0' || isspace((unsigned char)*v))
		return false;
	errno = 0;
	*out = strtod(v, &end);
	return errno == 0 && *end == '\0' && isfinite(*out);
}

/* An optional '-' and decimal digits; *end is what follows them. */
static bool
parse_int(const char *v, int64_t *out, const char **end)
{
	const char *p = v[0] == '-' ? v + 1 : v;
	char *e;
	long long n;

	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	n = strtoll(v, &e, 10);
	if (errno != 0)
		return false;
	*out = n;
	*end = e;
	return true;
}

static bool
parse_uint(const char *v, uint64_t *out)
{
	unsigned long long n;
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = n;
	return true;
}

static bool
parse_size(const char *v, int64_t *out)
{
	const char *end;
	int64_t n, mul = 1;

	if (!parse_int(v, &n, &end))
		return false;
	switch (*end) {
	case 'k': case 'K':
		mul = 1024;
		end++;
		break;
	case 'm': case 'M':
		mul = 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		mul = 1024LL * 1024 * 1024;
		end++;
		break;
	default:
		break;
	}
	if (*end == 'B')
		end++;
	if (*end != '\0' || n > INT64_MAX / mul || n < INT64_MIN / mul)
		return false;
	*out = n * mul;
	return true;
}

/* Seconds, possibly fractional, with an optional s/m/h/d unit. */
static bool
parse_seconds(const char *v, double *out)
{
	static const char units[] = "smhd";
	static const double mul[] = { 1, 60, 3600, 86400 };
	const char *u;
	char buf[64];
	size_t n = strlen(v);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, v, n + 1);
	/* buf[n - 1] is not the NUL, so strchr finds a unit or nothing. */
	if ((u = strchr(units, buf[n - 1])) != NULL)
		buf[--n] = '\0';
	if (!parse_real(buf, out) || *out < 0)
		return false;
	if (u != NULL)
		*out *= mul[u - units];
	return true;
}

static void
list_clear(struct cybex_setting_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cybex_free(l->v[i]);
	cybex_free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
list_add(struct cybex_setting_list *l, char *s)
{
	char **v;

	if (l->n >= CYBEX_SETTING_LIST_MAX)
		return CYBEX_ETOOBIG;
	if ((l->n & (l->n - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		v = cybex_reallocarray(l->v, l->n == 0 ? 1 : l->n * 2,
		    sizeof(*v));
		if (v == NULL)
			return CYBEX_ENOMEM;
		l->v = v;
	}
	l->v[l->n++] = s;
	return 0;
}

static int
normalize(const struct cybex_setting *s, const char *v, const char *from,
    char **out, char *why, size_t whysz)
{
	size_t n;
	int r;

	*out = NULL;
	if (s->norm != NULL) {
		if ((r = s->norm(v, out, why, whysz)) != 0 &&
		    (n = strlen(why)) > 0 && n + 1 < whysz)
			snprintf(why + n, whysz - n, "%s", from);
		return r;
	}
	if ((*out = cybex_strdup(v)) == NULL)
		return CYBEX_ENOMEM;
	return 0;
}

static int
choices_why(const struct cybex_setting *s, const char *v, const char *from,
    char *why, size_t whysz)
{
	struct cybex_buf b;
	size_t i;
	int r;

	cybex_buf_init(&b, WHY_MAX);
	r = cybex_buf_printf(&b, "'%.64s'%s must be", v, from);
	for (i = 0; r == 0 && s->choices[i] != NULL; i++)
		r = cybex_buf_printf(&b, "%s %s", i == 0 ? "" :
		    s->choices[i + 1] == NULL ? " or" : ",", s->choices[i]);
	whyf(why, whysz, "%s", r == 0 ? b.data : "not a known choice");
	cybex_buf_free(&b);
	return CYBEX_EINVAL;
}

/*
 * Set s from v.  from is " (from ORIGIN)" or "": it follows the value in
 * the messages of the engine's own types.
 */
static int
apply(const struct cybex_setting *s, void *base, const char *v,
    const char *from, char *why, size_t whysz)
{
	char *at = (char *)base + s->off, *nv = NULL, **sp;
	struct cybex_setting_list *l;
	const char *end;
	uint64_t u;
	int64_t n;
	double x;
	size_t i;
	int r;

	if (strlen(v) > CYBEX_SETTING_VALUE_MAX) {
		(void)whyf(why, whysz, "value%s longer than %u bytes", from,
		    CYBEX_SETTING_VALUE_MAX);
		return CYBEX_ETOOBIG;
	}
	switch (s->type) {
	case CYBEX_SETTING_INT:
		if (!parse_int(v, &n, &end) || *end != '\0' ||
		    (double)n < s->min || (double)n > s->max)
			return whyf(why, whysz, "'%.64s'%s must be a whole "
			    "number from %.0f to %.0f", v, from, s->min, s->max);
		*(int64_t *)(void *)at = n;
		break;
	case CYBEX_SETTING_UINT:
		if (!parse_uint(v, &u) || (double)u < s->min ||
		    (double)u > s->max)
			return whyf(why, whysz, "'%.64s'%s must be a whole "
			    "number from %.0f to %.0f", v, from, s->min, s->max);
		*(uint64_t *)(void *)at = u;
		break;
	case CYBEX_SETTING_SIZE:
		if (!parse_size(v, &n) || (double)n < s->min ||
		    (double)n > s->max)
			return whyf(why, whysz, "'%.64s'%s must be a size "
			    "(k, M, G suffixes) from %.0f to %.0f", v, from,
			    s->min, s->max);
		*(int64_t *)(void *)at = n;
		break;
	case CYBEX_SETTING_REAL:
		if (!parse_real(v, &x) || x < s->min || x > s->max)
			return whyf(why, whysz, "'%.64s'%s must be a number "
			    "from %.15g to %.15g", v, from, s->min, s->max);
		*(double *)(void *)at = x;
		break;
	case CYBEX_SETTING_SECONDS:
		if (!parse_seconds(v, &x) || x < s->min || x > s->max ||
		    x != floor(x))
			return whyf(why, whysz, "'%.64s'%s must be a duration "
			    "in whole seconds from %.15g to %.15g (units s, m, "
			    "h, d)", v, from, s->min, s->max);
		*(int64_t *)(void *)at = (int64_t)x;
		break;
	case CYBEX_SETTING_USEC:
		if (!parse_seconds(v, &x) || x < s->min || x > s->max)
			return whyf(why, whysz, "'%.64s'%s must be a duration "
			    "from %.15g to %.15g seconds (units s, m, h, d)", v,
			    from, s->min, s->max);
		*(int64_t *)(void *)at = (int64_t)llround(x * 1e6);
		break;
	case CYBEX_SETTING_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(bool *)(void *)at = true;
		else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			*(bool *)(void *)at = false;
		else
			return whyf(why, whysz, "'%.64s'%s must be true or "
			    "false", v, from);
		break;
	case CYBEX_SETTING_ENUM:
		for (i = 0; s->choices[i] != NULL; i++)
			if (strcmp(s->choices[i], v) == 0)
				break;
		if (s->choices[i] == NULL)
			return choices_why(s, v, from, why, whysz);
		*(int *)(void *)at = (int)i;
		break;
	case CYBEX_SETTING_STRING:
		sp = (char **)(void *)at;
		/* An empty value: back to the default. */
		if (*v == '\0' && s->def != NULL && *s->def != '\0')
			v = s->def;
		if (*v != '\0' && (r = normalize(s, v, from, &nv, why, whysz)) != 0)
			return r;
		cybex_free(*sp);
		*sp = nv;
		break;
	case CYBEX_SETTING_LIST:
		l = (struct cybex_setting_list *)(void *)at;
		if (*v == '\0') {
			list_clear(l);
			break;
		}
		if ((r = normalize(s, v, from, &nv, why, whysz)) != 0)
			return r;
		if ((r = list_add(l, nv)) != 0) {
			cybex_free(nv);
			if (r == CYBEX_ETOOBIG)
				whyf(why, whysz, "more than %u entries",
				    CYBEX_SETTING_LIST_MAX);
			return r;
		}
		break;
	}
	return 0;
}

static int
set_origin(const struct cybex_setting *t, const struct cybex_setting *s,
    const char *origin, char **origins)
{
	char *o, **slot;

	if (origins == NULL || origin == NULL)
		return 0;
	if ((o = cybex_strdup(origin)) == NULL)
		return CYBEX_ENOMEM;
	slot = &origins[s - t];
	cybex_free(*slot);
	*slot = o;
	return 0;
}

int
cybex_settings_apply(const struct cybex_setting *t,
    const struct cybex_setting *s, void *base, const char *v,
    const char *origin, char **origins, struct cybex_diag *d)
{
	char why[WHY_MAX], from[WHY_MAX / 2];
	int r;

	from[0] = '\0';
	if (origin != NULL)
		snprintf(from, sizeof(from), " (from %s)", origin);
	why[0] = '\0';
	if ((r = apply(s, base, v, from, why, sizeof(why))) != 0) {
		cybex_diag_set(d, r, "%s: %s", s->name,
		    why[0] != '\0' ? why : cybex_strerror(r));
		return r;
	}
	if ((r = set_origin(t, s, origin, origins)) != 0)
		cybex_diag_set(d, r, "out of memory");
	return r;
}

int
cybex_settings_set(const struct cybex_setting *t, void *base,
    const char *name, const char *v, const char *origin, char **origins,
    struct cybex_diag *d)
{
	const struct cybex_setting *s;

	if (name == NULL || v == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "no setting given");
	if ((s = cybex_settings_find(t, name, strlen(name))) == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "unknown setting "
		    "'%.64s'", name);
	return cybex_settings_apply(t, s, base, v, origin, origins, d);
}

int
cybex_settings_defaults(const struct cybex_setting *t, void *base,
    char **origins, struct cybex_diag *d)
{
	const struct cybex_setting *s;
	int r;

	for (s = t; s->name != NULL; s++)
		if (s->def != NULL && (r = cybex_settings_apply(t, s, base,
		    s->def, "default", origins, d)) != 0)
			return r;
	return 0;
}

/* ---- files ---- */

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Cut a comment: '#' at the start or after a blank. */
static void
uncomment(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

static int
at(struct cybex_diag *d, int r, unsigned long line, const char *l,
    const char *p)
{
	if (d != NULL) {
		d->line = line;
		d->column = (unsigned long)(p - l) + 1;
	}
	return r;
}

int
cybex_settings_parse(const struct cybex_setting *t, void *base,
    const char *text, size_t len, const char *origin, char **origins,
    struct cybex_diag *d)
{
	const struct cybex_setting *s;
	const char *p = text, *end = text + len, *nl;
	char *line = NULL, *l, *eq, *name, *value;
	unsigned long lineno = 0;
	size_t k;
	int r = 0;

	cybex_diag_clear(d);
	if (text == NULL && len > 0) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "no settings given");
		goto out;
	}
	if (len > CYBEX_SETTING_TEXT_MAX) {
		r = cybex_diag_set(d, CYBEX_ETOOBIG, "settings text over %u "
		    "bytes", CYBEX_SETTING_TEXT_MAX);
		goto out;
	}
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl != NULL ? nl : end) - p);
		cybex_free(line);
		if ((line = cybex_strndup(p, k)) == NULL) {
			r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
			goto out;
		}
		p += k + (nl != NULL);
		if (strlen(line) != k) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "NUL byte in line");
			r = at(d, r, lineno, line, line + strlen(line));
			goto out;
		}
		uncomment(line);
		l = trim(line);
		if (*l == '\0')
			continue;
		if ((eq = strchr(l, '=')) == NULL) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "expected "
			    "'name = value'");
			r = at(d, r, lineno, line, l);
			goto out;
		}
		*eq = '\0';
		name = trim(l);
		value = trim(eq + 1);
		s = cybex_settings_find(t, name, strlen(name));
		if (s == NULL || (s->flags & CYBEX_SETTING_NOFILE)) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "unknown setting "
			    "'%.64s'", name);
			r = at(d, r, lineno, line, name);
			goto out;
		}
		if ((r = cybex_settings_apply(t, s, base, value, origin,
		    origins, d)) != 0) {
			r = at(d, r, lineno, line, value);
			goto out;
		}
	}
 out:
	cybex_free(line);
	return r;
}

int
cybex_settings_load_file(const struct cybex_setting *t, void *base,
    const char *path, char **origins, struct cybex_diag *d)
{
	struct cybex_buf b;
	char chunk[8192], *origin = NULL;
	size_t n;
	FILE *f;
	int r;

	cybex_buf_init(&b, CYBEX_SETTING_TEXT_MAX);
	if ((f = fopen(path, "r")) == NULL) {
		r = cybex_diag_set(d, CYBEX_EIO, "cannot read config file %s: "
		    "%s", path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((r = cybex_buf_append(&b, chunk, n)) != 0) {
			r = cybex_diag_set(d, r, "config file %s: over %u "
			    "bytes", path, CYBEX_SETTING_TEXT_MAX);
			goto out;
		}
	if (ferror(f)) {
		r = cybex_diag_set(d, CYBEX_EIO, "cannot read config file %s: "
		    "%s", path, strerror(errno));
		goto out;
	}
	n = strlen(path) + 6;
	if ((origin = cybex_malloc(n)) == NULL) {
		r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(origin, n, "file %s", path);
	r = cybex_settings_parse(t, base, b.data, b.len, origin, origins, d);
 out:
	if (f != NULL)
		fclose(f);
	cybex_free(origin);
	cybex_buf_free(&b);
	return r;
}

/* ---- environment, flags ---- */

void
cybex_settings_env_name(const struct cybex_setting *s, const char *prefix,
    char *buf, size_t bufsz)
{
	size_t i, j;

	if (bufsz == 0)
		return;
	for (i = 0; prefix[i] != '\0' && i + 1 < bufsz; i++)
		buf[i] = prefix[i];
	for (j = 0; s->name[j] != '\0' && i + 1 < bufsz; j++, i++)
		buf[i] = s->name[j] == '-' ? '_' :
		    (char)toupper((unsigned char)s->name[j]);
	buf[i] = '\0';
}

int
cybex_settings_env(const struct cybex_setting *t, void *base,
    const char *prefix, char **origins, struct cybex_diag *d)
{
	const struct cybex_setting *s;
	const char *v;
	char name[128];
	int r;

	for (s = t; s->name != NULL; s++) {
		cybex_settings_env_name(s, prefix, name, sizeof(name));
		if ((v = getenv(name)) != NULL && *v != '\0' &&
		    (r = cybex_settings_apply(t, s, base, v, name, origins,
		    d)) != 0)
			return r;
	}
	return 0;
}

int
cybex_settings_argv(const struct cybex_setting *t, void *base, int argc,
    char **argv, char **origins, struct cybex_diag *d)
{
	const struct cybex_setting *s;
	const char *arg, *v;
	size_t len;
	int i;

	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (strncmp(arg, "--", 2) != 0)
			return cybex_diag_set(d, CYBEX_EINVAL, "unexpected "
			    "argument '%s'", arg);
		arg += 2;
		v = strchr(arg, '=');
		len = v != NULL ? (size_t)(v - arg) : strlen(arg);
		s = cybex_settings_find(t, arg, len);
		if (s == NULL && v == NULL && strncmp(arg, "no-", 3) == 0) {
			/* --no-NAME is for booleans only. */
			s = cybex_settings_find(t, arg + 3, len - 3);
			if (s == NULL || s->type != CYBEX_SETTING_BOOL)
				return cybex_diag_set(d, CYBEX_EINVAL,
				    "unknown option '--%.*s'",
				    (int)(len > 64 ? 64 : len), arg);
			if (cybex_settings_apply(t, s, base, "false", "flag",
			    origins, d) != 0)
				return d != NULL ? d->code : CYBEX_EINVAL;
			continue;
		}
		if (s == NULL)
			return cybex_diag_set(d, CYBEX_EINVAL, "unknown option "
			    "'--%.*s'", (int)(len > 64 ? 64 : len), arg);
		if (v != NULL)
			v++;
		else if (s->type == CYBEX_SETTING_BOOL)
			v = "true";
		else if (i + 1 < argc)
			v = argv[++i];
		else
			return cybex_diag_set(d, CYBEX_EINVAL, "--%s needs a "
			    "value", s->name);
		if (cybex_settings_apply(t, s, base, v, "flag", origins, d) != 0)
			return d != NULL ? d->code : CYBEX_EINVAL;
	}
	return 0;
}

/* ---- reading back, copies ---- */

int
cybex_settings_format(const struct cybex_setting *s, const void *base,
    struct cybex_buf *out)
{
	const char *at = (const char *)base + s->off, *str;
	const struct cybex_setting_list *l;
	int64_t us;
	size_t i;
	int r = 0;

	switch (s->type) {
	case CYBEX_SETTING_INT:
	case CYBEX_SETTING_SIZE:
	case CYBEX_SETTING_SECONDS:
		return cybex_buf_printf(out, "%lld", (long long)
		    *(const int64_t *)(const void *)at);
	case CYBEX_SETTING_UINT:
		return cybex_buf_printf(out, "%llu", (unsigned long long)
		    *(const uint64_t *)(const void *)at);
	case CYBEX_SETTING_REAL:
		return cybex_buf_printf(out, "%.15g",
		    *(const double *)(const void *)at);
	case CYBEX_SETTING_USEC:
		us = *(const int64_t *)(const void *)at;
		if (us % 1000000 == 0)
			return cybex_buf_printf(out, "%lld",
			    (long long)(us / 1000000));
		return cybex_buf_printf(out, "%.6f", (double)us / 1e6);
	case CYBEX_SETTING_BOOL:
		return cybex_buf_puts(out,
		    *(const bool *)(const void *)at ? "true" : "false");
	case CYBEX_SETTING_ENUM:
		return cybex_buf_puts(out,
		    s->choices[*(const int *)(const void *)at]);
	case CYBEX_SETTING_STRING:
		str = *(char *const *)(const void *)at;
		return cybex_buf_puts(out, str != NULL ? str : "");
	case CYBEX_SETTING_LIST:
		l = (const struct cybex_setting_list *)(const void *)at;
		for (i = 0; i < l->n && r == 0; i++)
			r = cybex_buf_printf(out, "%s%s", i > 0 ? ", " : "",
			    l->v[i]);
		return r;
	}
	return 0;
}

/* Set every pointer of base to NULL (strings, lists). */
static void
detach(const struct cybex_setting *t, void *base)
{
	for (; t->name != NULL; t++) {
		if (t->type == CYBEX_SETTING_STRING)
			*(char **)(void *)((char *)base + t->off) = NULL;
		else if (t->type == CYBEX_SETTING_LIST)
			memset((char *)base + t->off, 0,
			    sizeof(struct cybex_setting_list));
	}
}

int
cybex_settings_copy(const struct cybex_setting *t, void *dst,
    const void *src, size_t size)
{
	const struct cybex_setting *s;
	const struct cybex_setting_list *from;
	struct cybex_setting_list *to;
	char **sp, *v;
	size_t i;

	memcpy(dst, src, size);
	detach(t, dst);
	for (s = t; s->name != NULL; s++) {
		if (s->type == CYBEX_SETTING_STRING) {
			v = *(char *const *)(const void *)((const char *)src +
			    s->off);
			sp = (char **)(void *)((char *)dst + s->off);
			if (v != NULL && (*sp = cybex_strdup(v)) == NULL)
				goto fail;
		} else if (s->type == CYBEX_SETTING_LIST) {
			from = (const struct cybex_setting_list *)(const void *)
			    ((const char *)src + s->off);
			to = (struct cybex_setting_list *)(void *)
			    ((char *)dst + s->off);
			for (i = 0; i < from->n; i++) {
				if ((v = cybex_strdup(from->v[i])) == NULL)
					goto fail;
				if (list_add(to, v) != 0) {
					cybex_free(v);
					goto fail;
				}
			}
		}
	}
	return 0;
 fail:
	cybex_settings_free(t, dst, NULL);
	return CYBEX_ENOMEM;
}

void
cybex_settings_free(const struct cybex_setting *t, void *base,
    char **origins)
{
	const struct cybex_setting *s;
	char *at;

	if (t == NULL)
		return;
	for (s = t; s->name != NULL; s++) {
		if (origins != NULL) {
			cybex_free(origins[s - t]);
			origins[s - t] = NULL;
		}
		if (base == NULL)
			continue;
		at = (char *)base + s->off;
		if (s->type == CYBEX_SETTING_STRING) {
			cybex_free(*(char **)(void *)at);
			*(char **)(void *)at = NULL;
		} else if (s->type == CYBEX_SETTING_LIST)
			list_clear((struct cybex_setting_list *)(void *)at);
	}
}
