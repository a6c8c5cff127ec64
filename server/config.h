/*
 * Settings of `cybex serve`: one table declares each (name, type, default,
 * bounds, reloadable, help); command-line flags, CYBEX_* environment
 * variables and the optional config file all resolve through it, in that
 * order of precedence (flag > environment > file > default).
 */
#ifndef CYBEX_SERVER_CONFIG_H
#define CYBEX_SERVER_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cybex/settings.h"

/* The table's types: the engine's (its rules for values and files). */
#define CFG_STRING	CYBEX_SETTING_STRING
#define CFG_INT		CYBEX_SETTING_INT
#define CFG_SIZE	CYBEX_SETTING_SIZE	/* bytes, with k/M/G suffixes */
#define CFG_BOOL	CYBEX_SETTING_BOOL
#define CFG_SECONDS	CYBEX_SETTING_SECONDS	/* whole seconds */

struct srv_config {
	char		*listen;		/* ADDR:PORT */
	char		*data_dir;
	char		*db;
	char		*tls_cert;
	char		*tls_key;
	bool		 allow_plain_http;	/* on a non-loopback address */
	int64_t		 threads;
	int64_t		 max_body;
	int64_t		 max_upload_memory;	/* all request bodies together */
	int64_t		 max_objects;		/* per add-objects request */
	int64_t		 max_header;
	int64_t		 max_connections;
	int64_t		 max_connections_per_ip;
	int64_t		 request_timeout;	/* idle seconds */
	int64_t		 header_timeout;	/* seconds for line + headers */
	int64_t		 body_timeout;		/* seconds for a body */
	int64_t		 max_conns_per_ip;	/* accepted at all; 0 = auto */
	int64_t		 page_size;		/* default limit */
	int64_t		 max_page_size;
	char		*access_log;		/* path, or "-" for stderr */
	char		*log_level;
	char		*title;
	char		*description;
	char		*contact;
	int64_t		 auth_cache_seconds;
	int64_t		 auth_fail_limit;
	char		*config_file;
	int64_t		 events_flush;		/* seconds */
	int64_t		 events_max_skew;	/* seconds */
	int64_t		 intel_refresh;		/* seconds */
	bool		 intel_eager;		/* build the index at start */
	int64_t		 max_queued_adds;	/* add-objects jobs waiting */
	int64_t		 status_ttl;		/* seconds */
	int64_t		 status_max_bytes;	/* 0 = no bound */
	/* Where each value came from, for --check-config (cybex_malloc'd). */
	char		*origin[48];
};

/*
 * An entry: { name (flag --name, env CYBEX_NAME), type, default as text
 * (NULL = unset), min, max, reloadable (takes effect on SIGHUP), offsetof
 * (struct srv_config, ...), help }.
 */
#define cfg_setting	cybex_setting

extern const struct cfg_setting srv_settings[];

/*
 * Resolve the configuration from defaults, the config file (--config or
 * CYBEX_CONFIG), the environment and argv (consumed: argv[0] is the
 * command).  On error prints one line to err naming the setting, its
 * source and why, and returns -1.
 */
int	cfg_load(struct srv_config *c, int argc, char **argv, FILE *err);
void	cfg_free(struct srv_config *c);
/* Print every setting with its value and origin (no secrets: none are). */
void	cfg_print(const struct srv_config *c, FILE *f);
/* The options part of `cybex serve --help`, and a Markdown table. */
void	cfg_usage(FILE *f);
void	cfg_markdown(FILE *f);

#endif
