/*
 * The settings table of `cybex serve` and its resolution: defaults, then
 * the config file, then CYBEX_* environment variables, then flags.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"

#include "config.h"

#define OFF(f)	offsetof(struct srv_config, f)

const struct cfg_setting srv_settings[] = {
	{ "listen", CFG_STRING, "127.0.0.1:8400", 0, 0, false, OFF(listen),
	    "address and port to listen on (ADDR:PORT, [IPv6]:PORT)" },
	{ "data-dir", CFG_STRING, NULL, 0, 0, false, OFF(data_dir),
	    "data directory (default $XDG_DATA_HOME/cybex or "
	    "~/.local/share/cybex)" },
	{ "db", CFG_STRING, NULL, 0, 0, false, OFF(db),
	    "database (default cybex.db in the data directory)" },
	{ "tls-cert", CFG_STRING, NULL, 0, 0, false, OFF(tls_cert),
	    "PEM certificate (chain) for HTTPS" },
	{ "tls-key", CFG_STRING, NULL, 0, 0, false, OFF(tls_key),
	    "PEM private key for HTTPS" },
	{ "allow-plain-http", CFG_BOOL, "false", 0, 0, false,
	    OFF(allow_plain_http),
	    "allow plain HTTP on an address other than loopback" },
	{ "threads", CFG_INT, "0", 0, 256, false, OFF(threads),
	    "worker threads (0 = one per core)" },
	{ "max-body", CFG_SIZE, "16M", 1024, 1LL << 32, false, OFF(max_body),
	    "largest request body; larger gets 413" },
	{ "max-upload-memory", CFG_SIZE, "256M", 1024, 1LL << 36, false,
	    OFF(max_upload_memory), "memory for the bodies of all requests "
	    "together; beyond it uploads get 503 (at least --max-body is "
	    "always allowed)" },
	{ "max-objects", CFG_INT, "10000", 1, 1000000, false, OFF(max_objects),
	    "most objects in one add-objects request; more gets 413" },
	{ "max-header", CFG_SIZE, "32k", 4096, 1 << 20, false, OFF(max_header),
	    "memory for one request's headers; larger gets 431" },
	{ "max-connections", CFG_INT, "1024", 1, 65536, false,
	    OFF(max_connections), "most open connections" },
	{ "max-connections-per-ip", CFG_INT, "64", 1, 65536, false,
	    OFF(max_connections_per_ip),
	    "most open connections from one client address" },
	{ "request-timeout", CFG_SECONDS, "30", 1, 3600, false,
	    OFF(request_timeout),
	    "idle seconds before a connection is closed (slow clients)" },
	{ "header-timeout", CFG_SECONDS, "10", 1, 3600, false,
	    OFF(header_timeout), "seconds a client has for a request's line "
	    "and headers, from the connection (on a kept-alive one: from the "
	    "request line); trickling bytes does not extend it, then the "
	    "connection is closed" },
	{ "body-timeout", CFG_SECONDS, "60", 1, 86400, false,
	    OFF(body_timeout), "seconds a client has to send a request's "
	    "body, from the end of its headers; then it is closed" },
	{ "max-conns-per-ip", CFG_INT, "0", 0, 65536, false,
	    OFF(max_conns_per_ip), "most connections from one client address "
	    "the server accepts at all; more are closed at once, before any "
	    "byte is read (0 = twice --max-connections-per-ip)" },
	{ "page-size", CFG_INT, "100", 1, 10000, false, OFF(page_size),
	    "objects per page when the client gives no limit" },
	{ "max-page-size", CFG_INT, "1000", 1, 10000, false, OFF(max_page_size),
	    "largest limit a client may ask for" },
	{ "access-log", CFG_STRING, "-", 0, 0, true, OFF(access_log),
	    "access log file ('-' = standard error); reopened on SIGHUP" },
	{ "log-level", CFG_STRING, "info", 0, 0, false, OFF(log_level),
	    "error, warn, info or debug" },
	{ "title", CFG_STRING, "cybex", 0, 0, false, OFF(title),
	    "server title in TAXII discovery" },
	{ "description", CFG_STRING, "cybex information-exchange hub", 0, 0,
	    false, OFF(description), "server description in TAXII discovery" },
	{ "contact", CFG_STRING, NULL, 0, 0, false, OFF(contact),
	    "contact information in TAXII discovery" },
	{ "auth-cache-seconds", CFG_SECONDS, "300", 0, 86400, false,
	    OFF(auth_cache_seconds),
	    "how long a verified password is remembered (0 = never)" },
	{ "auth-fail-limit", CFG_INT, "20", 0, 1000000, false,
	    OFF(auth_fail_limit), "failed sign-ins per minute from one address "
	    "before it gets 429 (0 = no limit)" },
	{ "config", CFG_STRING, NULL, 0, 0, false, OFF(config_file),
	    "configuration file of 'name = value' lines" },
	{ "events-flush", CFG_SECONDS, "10", 1, 3600, false, OFF(events_flush),
	    "seconds between writes of the sightings and alerts that "
	    "POST /api/v1/events produced" },
	{ "events-max-skew", CFG_SECONDS, "300", 0, 86400, false,
	    OFF(events_max_skew), "seconds an event's time may be ahead of "
	    "when POST /api/v1/events received it; later times are taken as "
	    "that (counted in times_clamped)" },
	{ "intel-refresh", CFG_SECONDS, "60", 1, 86400, false,
	    OFF(intel_refresh), "seconds between looks for new stored "
	    "indicators (the matching index is rebuilt when there are)" },
	{ "intel-eager", CFG_BOOL, "false", 0, 0, false, OFF(intel_eager),
	    "build the indicator index for POST /api/v1/events at start-up, "
	    "in the background (default: when the first such request comes; "
	    "the server listens at once either way)" },
	{ "max-queued-adds", CFG_INT, "1024", 1, 100000, false,
	    OFF(max_queued_adds), "most add-objects requests accepted and not "
	    "yet done; beyond it they get 503" },
	{ "status-ttl", CFG_SECONDS, "604800", 60, 315360000, false,
	    OFF(status_ttl), "seconds a complete add-objects status is kept "
	    "after its last change (default 7 days)" },
	{ "status-max-bytes", CFG_SIZE, "256M", 0, 1LL << 40, false,
	    OFF(status_max_bytes), "most bytes of complete add-objects "
	    "statuses kept; beyond it the oldest go first (0 = no bound)" },
	{ NULL, 0, NULL, 0, 0, false, 0, NULL },
};

static size_t
nsettings(void)
{
	size_t n = 0;

	while (srv_settings[n].name != NULL)
		n++;
	return n;
}

static int64_t
parse_num(const char *v, enum cfg_type t, bool *ok)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	*ok = errno == 0 && end != v;
	if (!*ok)
		return 0;
	if (t == CFG_SIZE) {
		switch (*end) {
		case 'k': case 'K':
			n *= 1024;
			end++;
			break;
		case 'm': case 'M':
			n *= 1024 * 1024;
			end++;
			break;
		case 'g': case 'G':
			n *= 1024LL * 1024 * 1024;
			end++;
			break;
		default:
			break;
		}
		if (*end == 'B')
			end++;
	}
	if (t == CFG_SECONDS && *end == 's')
		end++;
	*ok = *end == '\0';
	return n;
}

/*
 * Like fprintf(f, ...), with the formatted text escaped for a terminal
 * (cybex_term_escape), one final newline aside: values, names and file
 * names in these messages come from the command line, the environment or
 * a config file.
 */
static void
errf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
errf(FILE *f, const char *fmt, ...)
{
	char text[8192];
	struct cybex_buf b;
	va_list ap;
	size_t len;
	bool nl;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1;
	nl = len > 0 && text[len - 1] == '\n';
	cybex_buf_init(&b, 0);
	if (cybex_term_escape(&b, text, len - nl) == 0 && b.len > 0)
		fwrite(b.data, 1, b.len, f);
	if (nl)
		fputc('\n', f);
	cybex_buf_free(&b);
}

/* Set one setting from text; origin names where it came from. */
static int
set(struct srv_config *c, const struct cfg_setting *s, const char *v,
    const char *origin, FILE *err)
{
	char *base = (char *)c + s->off, **sp;
	int64_t n;
	bool ok;

	switch (s->type) {
	case CFG_STRING:
		sp = (char **)(void *)base;
		free(*sp);
		if ((*sp = strdup(v)) == NULL) {
			errf(err, "cybex serve: out of memory\n");
			return -1;
		}
		break;
	case CFG_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		    strcmp(v, "1") == 0 || strcmp(v, "on") == 0)
			*(bool *)(void *)base = true;
		else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "0") == 0 || strcmp(v, "off") == 0)
			*(bool *)(void *)base = false;
		else {
			errf(err, "cybex serve: %s: '%s' (from %s) is not "
			    "true or false\n", s->name, v, origin);
			return -1;
		}
		break;
	default:
		n = parse_num(v, s->type, &ok);
		if (!ok || n < s->min || n > s->max) {
			errf(err, "cybex serve: %s: '%s' (from %s) must be %s "
			    "from %lld to %lld\n", s->name, v, origin,
			    s->type == CFG_SIZE ? "a size (k, M, G suffixes)" :
			    "a whole number", (long long)s->min,
			    (long long)s->max);
			return -1;
		}
		*(int64_t *)(void *)base = n;
		break;
	}
	c->origin[s - srv_settings] = origin;
	return 0;
}

static const struct cfg_setting *
find(const char *name, size_t len)
{
	const struct cfg_setting *s;

	for (s = srv_settings; s->name != NULL; s++)
		if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
			return s;
	return NULL;
}

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

static int
load_file(struct srv_config *c, const char *path, FILE *err)
{
	static char origin[PATH_MAX + 32];
	const struct cfg_setting *s;
	char line[4096], *k, *v, *eq;
	unsigned long n = 0;
	FILE *f;
	int r = 0;

	if ((f = fopen(path, "r")) == NULL) {
		errf(err, "cybex serve: cannot read config file %s: %s\n",
		    path, strerror(errno));
		return -1;
	}
	snprintf(origin, sizeof(origin), "file %s", path);
	while (r == 0 && fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			errf(err, "cybex serve: %s:%lu: line too long\n",
			    path, n);
			r = -1;
			break;
		}
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		if ((eq = strchr(k, '=')) == NULL) {
			errf(err, "cybex serve: %s:%lu: expected 'name = "
			    "value'\n", path, n);
			r = -1;
			break;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		/* Accept both "max-body" and "max_body". */
		for (eq = k; *eq != '\0'; eq++)
			if (*eq == '_')
				*eq = '-';
		if ((s = find(k, strlen(k))) == NULL || s->off == OFF(config_file)) {
			errf(err, "cybex serve: %s:%lu: unknown setting "
			    "'%s'\n", path, n, k);
			r = -1;
			break;
		}
		r = set(c, s, v, origin, err);
	}
	fclose(f);
	return r;
}

static int
load_env(struct srv_config *c, FILE *err)
{
	static char names[sizeof(((struct srv_config *)0)->origin) /
	    sizeof(const char *)][64];
	const struct cfg_setting *s;
	const char *v;
	size_t i, j;

	for (i = 0, s = srv_settings; s->name != NULL; s++, i++) {
		snprintf(names[i], sizeof(names[i]), "CYBEX_");
		for (j = 0; s->name[j] != '\0' && j + 7 < sizeof(names[i]); j++)
			names[i][6 + j] = s->name[j] == '-' ? '_' :
			    (char)toupper((unsigned char)s->name[j]);
		names[i][6 + j] = '\0';
		if ((v = getenv(names[i])) != NULL && *v != '\0' &&
		    set(c, s, v, names[i], err) != 0)
			return -1;
	}
	return 0;
}

int
cfg_load(struct srv_config *c, int argc, char **argv, FILE *err)
{
	const struct cfg_setting *s;
	const char *arg, *v, *cfgfile = NULL;
	size_t len;
	int i, pass;

	memset(c, 0, sizeof(*c));
	if (nsettings() > sizeof(c->origin) / sizeof(c->origin[0]))
		return -1;
	for (s = srv_settings; s->name != NULL; s++)
		if (s->def != NULL && set(c, s, s->def, "default", err) != 0)
			return -1;
	/* The config file is named by a flag or the environment. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			cfgfile = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			cfgfile = argv[i] + 9;
	}
	if (cfgfile == NULL)
		cfgfile = getenv("CYBEX_CONFIG");
	if (cfgfile != NULL && *cfgfile != '\0') {
		if (load_file(c, cfgfile, err) != 0)
			return -1;
		if ((s = find("config", 6)) != NULL &&
		    set(c, s, cfgfile, "flag", err) != 0)
			return -1;
	}
	if (load_env(c, err) != 0)
		return -1;
	/* Flags last: --name VALUE, --name=VALUE, --flag / --no-flag. */
	for (pass = 0, i = 1; i < argc; i++) {
		arg = argv[i];
		if (strncmp(arg, "--", 2) != 0) {
			errf(err, "cybex serve: unexpected argument '%s'\n",
			    arg);
			return -1;
		}
		arg += 2;
		v = strchr(arg, '=');
		len = v != NULL ? (size_t)(v - arg) : strlen(arg);
		s = find(arg, len);
		if (s == NULL && strncmp(arg, "no-", 3) == 0 &&
		    (s = find(arg + 3, len - 3)) != NULL &&
		    s->type == CFG_BOOL && v == NULL) {
			if (set(c, s, "false", "flag", err) != 0)
				return -1;
			continue;
		}
		if (s == NULL) {
			errf(err, "cybex serve: unknown option '--%.*s' (see "
			    "'cybex serve --help')\n", (int)len, arg);
			return -1;
		}
		if (v != NULL)
			v++;
		else if (s->type == CFG_BOOL)
			v = "true";
		else if (i + 1 < argc)
			v = argv[++i];
		else {
			errf(err, "cybex serve: --%s needs a value\n",
			    s->name);
			return -1;
		}
		if (set(c, s, v, "flag", err) != 0)
			return -1;
	}
	(void)pass;
	return 0;
}

void
cfg_free(struct srv_config *c)
{
	const struct cfg_setting *s;

	for (s = srv_settings; s->name != NULL; s++)
		if (s->type == CFG_STRING)
			free(*(char **)(void *)((char *)c + s->off));
	memset(c, 0, sizeof(*c));
}

static void
value(const struct srv_config *c, const struct cfg_setting *s, char *buf,
    size_t n)
{
	const char *base = (const char *)c + s->off;
	const char *str;

	switch (s->type) {
	case CFG_STRING:
		str = *(char *const *)(const void *)base;
		snprintf(buf, n, "%s", str != NULL ? str : "(unset)");
		break;
	case CFG_BOOL:
		snprintf(buf, n, "%s", *(const bool *)(const void *)base ?
		    "true" : "false");
		break;
	default:
		snprintf(buf, n, "%lld",
		    (long long)*(const int64_t *)(const void *)base);
		break;
	}
}

void
cfg_print(const struct srv_config *c, FILE *f)
{
	const struct cfg_setting *s;
	char v[1024];

	for (s = srv_settings; s->name != NULL; s++) {
		value(c, s, v, sizeof(v));
		errf(f, "%-24s %-32s (%s)\n", s->name, v,
		    c->origin[s - srv_settings] != NULL ?
		    c->origin[s - srv_settings] : "unset");
	}
}

static const char *
type_name(enum cfg_type t)
{
	switch (t) {
	case CFG_INT:
		return "N";
	case CFG_SIZE:
		return "SIZE";
	case CFG_BOOL:
		return "";
	case CFG_SECONDS:
		return "SECONDS";
	default:
		return "VALUE";
	}
}

void
cfg_usage(FILE *f)
{
	const struct cfg_setting *s;
	char opt[64];

	for (s = srv_settings; s->name != NULL; s++) {
		snprintf(opt, sizeof(opt), "--%s %s", s->name,
		    type_name(s->type));
		fprintf(f, "  %-32s %s", opt, s->help);
		if (s->def != NULL && s->type != CFG_BOOL)
			fprintf(f, " [%s]", s->def);
		fprintf(f, "\n");
	}
	fprintf(f, "\nEvery option can also be set as CYBEX_<NAME> in the "
	    "environment (--max-body\nis CYBEX_MAX_BODY) or as 'name = value' "
	    "in the --config file.  Flags win over\nthe environment, which "
	    "wins over the file.\n");
}

void
cfg_markdown(FILE *f)
{
	const struct cfg_setting *s;
	char env[64];
	size_t j;

	fprintf(f, "| flag | environment | default | reloadable | meaning |\n");
	fprintf(f, "|---|---|---|---|---|\n");
	for (s = srv_settings; s->name != NULL; s++) {
		snprintf(env, sizeof(env), "CYBEX_");
		for (j = 0; s->name[j] != '\0' && j + 7 < sizeof(env); j++)
			env[6 + j] = s->name[j] == '-' ? '_' :
			    (char)toupper((unsigned char)s->name[j]);
		env[6 + j] = '\0';
		fprintf(f, "| `--%s` | `%s` | %s | %s | %s |\n", s->name, env,
		    s->def != NULL ? s->def : "", s->reloadable ? "yes" : "no",
		    s->help);
	}
}
