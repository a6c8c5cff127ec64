/*
 * cybex serve [--check-config] [OPTIONS]
 *
 * Runs the hub: TAXII 2.1 at /taxii2/ and /{api-root}/..., on the SQLite
 * store in the data directory (created on first start).  Every option is
 * one row of the settings table in server/config.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/store.h"

#include "cli.h"
#include "serve.h"

void
cmd_serve_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex serve [--check-config] [OPTIONS]\n\n"
	    "Run the hub: TAXII 2.1 discovery at /taxii2/ and the API roots "
	    "at /<root>/.\nListens on 127.0.0.1:8400 unless told otherwise; "
	    "HTTPS when given a\ncertificate and key; plain HTTP is refused on "
	    "other addresses unless\n--allow-plain-http.  SIGHUP reopens the "
	    "access log; SIGTERM or SIGINT stop\nafter the requests in flight "
	    "and the queued uploads are finished.\n\n"
	    "  --check-config                   print the resolved settings, "
	    "check them\n"
	    "                                   (addresses, TLS files, database) "
	    "and exit\n");
	cfg_usage(f);
}

/* Check what can be checked without starting: exit status 0 or 1. */
static int
check(struct srv_config *c, const char *dsn)
{
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	int bad = 0;

	cfg_print(c, stdout);
	cybex_diag_clear(&d);
	if (srv_check(c, &d) != 0) {
		cli_err("cybex serve: %s\n", d.message);
		bad = 1;
	}
	if (c->tls_cert != NULL && access(c->tls_cert, R_OK) != 0) {
		cli_err("cybex serve: cannot read --tls-cert %s\n",
		    c->tls_cert);
		bad = 1;
	}
	if (c->tls_key != NULL && access(c->tls_key, R_OK) != 0) {
		cli_err("cybex serve: cannot read --tls-key %s\n",
		    c->tls_key);
		bad = 1;
	}
	if (cybex_store_open(dsn, CYBEX_STORE_RDONLY, &s, &d) != 0) {
		cli_err("cybex serve: database %s: %s\n", dsn,
		    d.message);
		bad = 1;
	}
	cybex_store_close(s);
	printf("%s\n", bad ? "configuration has errors" : "configuration ok");
	return bad ? 1 : 0;
}

int
cmd_serve(int argc, char **argv)
{
	struct srv_config c;
	struct cybex_store *s;
	struct cli_db o;
	char path[4096];
	bool check_only = false;
	int i, k, rc;

	/* Options that are not settings are taken out first. */
	for (i = 1, k = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cmd_serve_usage(stdout);
			return EXIT_VALID;
		}
		if (strcmp(argv[i], "--config-markdown") == 0) {
			cfg_markdown(stdout);
			return EXIT_VALID;
		}
		if (strcmp(argv[i], "--check-config") == 0) {
			check_only = true;
			continue;
		}
		argv[k++] = argv[i];
	}
	if (cfg_load(&c, k, argv, stderr) != 0) {
		cfg_free(&c);	/* what was set before the error */
		return EXIT_TROUBLE;
	}
	o.db = c.db;
	o.data_dir = c.data_dir;
	if (check_only) {
		/* Report every problem, the database's among them: exit 1. */
		if (cli_db_path(&o, path, sizeof(path)) != 0) {
			cli_err("cybex serve: no database path (set "
			    "--db or --data-dir)\n");
			cfg_free(&c);
			return EXIT_INVALID;
		}
		rc = check(&c, path);
		cfg_free(&c);
		return rc;
	}
	s = cli_store_open("serve", &o, CLI_DB_WRITE, path, sizeof(path));
	if (s == NULL) {
		cfg_free(&c);
		return EXIT_TROUBLE;
	}
	cybex_store_close(s);
	rc = serve_run(&c, path) == 0 ? EXIT_VALID : EXIT_TROUBLE;
	cfg_free(&c);
	return rc;
}
