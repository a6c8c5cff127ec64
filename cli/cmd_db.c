/*
 * cybex db check [--json]   consistency: the backend's own check (SQLite's
 *                           PRAGMA integrity_check) and cybex's invariants
 * cybex db stats [--json]   objects per type and collection, versions,
 *                           size on disk
 *
 * Exit: 0 consistent (stats: printed), 1 inconsistent, 2 usage, missing
 * or unreadable database.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/store.h"

#include "cli.h"

void
cmd_db_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex db check [--json] [--db PATH] [--data-dir DIR]\n"
	    "       cybex db stats [--json] [--db PATH] [--data-dir DIR]\n\n"
	    "check   verify the database: the storage engine's own integrity "
	    "check and\n"
	    "        cybex's invariants; every problem is printed\n"
	    "stats   objects and versions per type and per collection, and "
	    "the size on disk\n\n"
	    "  --json               machine-readable output on stdout\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 consistent, 1 inconsistent, 2 usage error or the "
	    "database\ncannot be opened.\n");
}

/* Options shared by both subcommands. */
static int
db_args(const char *sub, int argc, char **argv, struct cli_db *db,
    bool *json)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		if (cli_db_option(db, ch, optarg))
			continue;
		switch (ch) {
		case 'j':
			*json = true;
			break;
		case 'h':
			cmd_db_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_db_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind < argc) {
		cli_err("cybex db %s: unexpected argument '%s'\n", sub,
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	return -1;
}

struct cstate {
	bool		 json;
	const char	*path;
	json_t		*problems;
	unsigned long	 n;
};

static void
on_problem(void *ud, const struct cybex_diag *d)
{
	struct cstate *cs = ud;

	cs->n++;
	if (cs->json)
		json_array_append_new(cs->problems, json_string(d->message));
	else
		cli_out("%s: error: %s\n", cs->path, d->message);
}

/* Print v as one line of JSON on stdout. */
static int
print_json(json_t *v)
{
	struct cybex_buf b;
	int rc;

	cybex_buf_init(&b, 0);
	if ((rc = cybex_json_write(v, 0, &b)) == 0) {
		fwrite(b.data, 1, b.len, stdout);
		putchar('\n');
	}
	cybex_buf_free(&b);
	return rc;
}

static int
db_check(int argc, char **argv)
{
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	struct cstate cs = { 0 };
	char path[4096];
	json_t *out = NULL;
	int rc, status;

	if ((status = db_args("check", argc, argv, &db, &cs.json)) >= 0)
		return status;
	status = EXIT_TROUBLE;
	if ((s = cli_store_open("db check", &db, CLI_DB_READ, path,
	    sizeof(path))) == NULL)
		goto out;
	cs.path = path;
	if (cs.json && (cs.problems = json_array()) == NULL)
		goto out;
	cybex_diag_clear(&d);
	rc = cybex_store_check(s, on_problem, &cs, &d);
	if (rc != 0 && cs.n == 0)
		on_problem(&cs, &d);	/* the check itself could not finish */
	if (rc == 0)
		status = EXIT_VALID;
	else if (rc == CYBEX_EDB)
		status = EXIT_INVALID;
	if (cs.json) {
		out = json_pack("{s:s, s:b, s:O, s:i}", "database", path,
		    "consistent", rc == 0, "problems", cs.problems, "status",
		    status);
		if (out == NULL || print_json(out) != 0)
			status = EXIT_TROUBLE;
	} else
		cli_err("%s: %s\n", path, rc == 0 ? "consistent" :
		    status == EXIT_INVALID ? "NOT consistent" :
		    "the check failed");
 out:
	json_decref(out);
	json_decref(cs.problems);
	cybex_store_close(s);
	return status;
}

struct sstate {
	json_t	*types;		/* name -> {objects, versions} */
	json_t	*colls;
};

static int
on_count(void *ud, int kind, const struct cybex_store_count *c)
{
	struct sstate *ss = ud;
	json_t *v;

	v = json_pack("{s:I, s:I}", "objects", (json_int_t)c->objects,
	    "versions", (json_int_t)c->versions);
	if (v == NULL)
		return CYBEX_ENOMEM;
	json_object_set_new(kind == CYBEX_COUNT_TYPE ? ss->types : ss->colls,
	    c->name != NULL ? c->name : "?", v);
	return 0;
}

static void
print_counts(const char *head, json_t *m)
{
	const char *k;
	json_t *v;

	printf("\n%-32s %12s %12s\n", head, "objects", "versions");
	json_object_foreach(m, k, v)
		printf("%-32s %12" JSON_INTEGER_FORMAT " %12"
		    JSON_INTEGER_FORMAT "\n", k,
		    json_integer_value(json_object_get(v, "objects")),
		    json_integer_value(json_object_get(v, "versions")));
}

static int
db_stats(int argc, char **argv)
{
	struct cybex_store_stats st;
	struct cybex_store *s = NULL;
	struct sstate ss = { NULL, NULL };
	struct cybex_diag d;
	struct cli_db db = { 0 };
	char path[4096];
	json_t *out = NULL;
	bool json = false;
	int rc, status;

	if ((status = db_args("stats", argc, argv, &db, &json)) >= 0)
		return status;
	status = EXIT_TROUBLE;
	if ((s = cli_store_open("db stats", &db, CLI_DB_READ, path,
	    sizeof(path))) == NULL)
		goto out;
	if ((ss.types = json_object()) == NULL ||
	    (ss.colls = json_object()) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_stats(s, on_count, &ss, &st, &d)) != 0) {
		cli_err("cybex db stats: %s\n", d.message[0] != '\0' ?
		    d.message : cybex_strerror(rc));
		goto out;
	}
	if (json) {
		out = json_pack("{s:s, s:i, s:I, s:I, s:I, s:I, s:O, s:O}",
		    "database", path, "schema_version", st.schema_version,
		    "bytes_on_disk", (json_int_t)st.bytes_on_disk,
		    "objects", (json_int_t)st.objects,
		    "versions", (json_int_t)st.versions,
		    "collections", (json_int_t)st.collections,
		    "types", ss.types, "by_collection", ss.colls);
		if (out == NULL || print_json(out) != 0)
			goto out;
	} else {
		cli_out("database        %s\n", path);
		printf("schema version  %d\n", st.schema_version);
		printf("size on disk    %.1f MB (%llu bytes)\n",
		    (double)st.bytes_on_disk / 1e6,
		    (unsigned long long)st.bytes_on_disk);
		printf("objects         %llu\n", (unsigned long long)st.objects);
		printf("versions        %llu\n",
		    (unsigned long long)st.versions);
		printf("collections     %llu\n",
		    (unsigned long long)st.collections);
		print_counts("type", ss.types);
		print_counts("collection", ss.colls);
	}
	status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
 out:
	json_decref(out);
	json_decref(ss.types);
	json_decref(ss.colls);
	cybex_store_close(s);
	return status;
}

int
cmd_db(int argc, char **argv)
{
	if (argc < 2) {
		cmd_db_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_db_usage(stdout);
		return EXIT_VALID;
	}
	if (strcmp(argv[1], "check") == 0)
		return db_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "stats") == 0)
		return db_stats(argc - 1, argv + 1);
	cli_err("cybex db: unknown subcommand '%s' (check, stats)\n",
	    argv[1]);
	return EXIT_TROUBLE;
}
