/*
 * The settings table of `cybex serve` and its resolution through the
 * settings engine (include/cybex/settings.h): defaults, then the config
 * file, then CYBEX_* environment variables, then flags.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"

#include "config.h"

#define OFF(f)	offsetof(struct srv_config, f)

CYBEX_SETTINGS_TABLE_BEGIN
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
	{ "config", CFG_STRING, NULL, 0, 0, CYBEX_SETTING_NOFILE, OFF(config_file),
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
CYBEX_SETTINGS_TABLE_END

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

/* Print d as one line: "cybex serve: [FILE:LINE: ]MESSAGE". */
static int
fail(FILE *err, const char *file, const struct cybex_diag *d)
{
	if (file != NULL && d->line > 0)
		errf(err, "cybex serve: %s:%lu: %s\n", file, d->line,
		    d->message);
	else if (strncmp(d->message, "unknown option", 14) == 0)
		errf(err, "cybex serve: %s (see 'cybex serve --help')\n",
		    d->message);
	else
		errf(err, "cybex serve: %s\n", d->message);
	return -1;
}

int
cfg_load(struct srv_config *c, int argc, char **argv, FILE *err)
{
	const struct cfg_setting *s;
	const char *cfgfile = NULL;
	struct cybex_diag d;
	int i;

	memset(c, 0, sizeof(*c));
	cybex_diag_clear(&d);
	if (cybex_settings_count(srv_settings) >
	    sizeof(c->origin) / sizeof(c->origin[0]))
		return -1;
	if (cybex_settings_defaults(srv_settings, c, c->origin, &d) != 0)
		return fail(err, NULL, &d);
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
		if (cybex_settings_load_file(srv_settings, c, cfgfile,
		    c->origin, &d) != 0)
			return fail(err, cfgfile, &d);
		if ((s = cybex_settings_find(srv_settings, "config", 6)) != NULL &&
		    cybex_settings_apply(srv_settings, s, c, cfgfile, "flag",
		    c->origin, &d) != 0)
			return fail(err, NULL, &d);
	}
	if (cybex_settings_env(srv_settings, c, "CYBEX_", c->origin, &d) != 0)
		return fail(err, NULL, &d);
	/* Flags last: --name VALUE, --name=VALUE, --flag / --no-flag. */
	if (cybex_settings_argv(srv_settings, c, argc - 1, argv + 1, c->origin,
	    &d) != 0)
		return fail(err, NULL, &d);
	return 0;
}

void
cfg_free(struct srv_config *c)
{
	cybex_settings_free(srv_settings, c, c->origin);
	memset(c, 0, sizeof(*c));
}

void
cfg_print(const struct srv_config *c, FILE *f)
{
	const struct cfg_setting *s;
	struct cybex_buf v;
	size_t i;

	cybex_buf_init(&v, 0);
	for (i = 0, s = srv_settings; s->name != NULL; s++, i++) {
		cybex_buf_reset(&v);
		if (s->type == CFG_STRING &&
		    *(char *const *)(const void *)((const char *)c + s->off) ==
		    NULL)
			(void)cybex_buf_puts(&v, "(unset)");
		else
			(void)cybex_settings_format(s, c, &v);
		errf(f, "%-24s %-32s (%s)\n", s->name,
		    v.data != NULL ? v.data : "",
		    c->origin[i] != NULL ? c->origin[i] : "unset");
	}
	cybex_buf_free(&v);
}

static const char *
type_name(enum cybex_setting_type t)
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

	fprintf(f, "| flag | environment | default | reloadable | meaning |\n");
	fprintf(f, "|---|---|---|---|---|\n");
	for (s = srv_settings; s->name != NULL; s++) {
		cybex_settings_env_name(s, "CYBEX_", env, sizeof(env));
		fprintf(f, "| `--%s` | `%s` | %s | %s | %s |\n", s->name, env,
		    s->def != NULL ? s->def : "",
		    (s->flags & CYBEX_SETTING_RELOADABLE) ? "yes" : "no", s->help);
	}
}
