/*
 * cybex db check [--json]   consistency: the backend's own check (SQLite's
 *                           PRAGMA integrity_check) and cybex's invariants
 * cybex db stats [--json]   objects per type and collection, versions,
 *                           size on disk
 * cybex db conflicts [--collection C] [--json]
 *                           content refused because its collection holds
 *                           the same id and modified with other content
 * cybex db conflicts resolve XID --keep first|second
 *                           keep the stored content or the refused one
 *
 * Exit: 0 consistent (stats: printed), 1 inconsistent, 2 usage, missing
 * or unreadable database.
 */
#include <errno.h>
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
	    "       cybex db stats [--json] [--db PATH] [--data-dir DIR]\n"
	    "       cybex db conflicts [--collection C] [--json] [--db PATH]\n"
	    "       cybex db conflicts resolve XID --keep first|second "
	    "[--db PATH]\n\n"
	    "check   verify the database: the storage engine's own integrity "
	    "check and\n"
	    "        cybex's invariants; every problem is printed\n"
	    "stats   objects and versions per type and per collection, and "
	    "the size on disk\n"
	    "conflicts\n"
	    "        objects refused because their collection holds the same "
	    "id and\n"
	    "        modified with other content (the first is kept); resolve "
	    "one by\n"
	    "        keeping the first or the second (which then replaces the "
	    "first\n"
	    "        in that collection, with a new date_added)\n\n"
	    "  --collection C       only the conflicts of collection C (id "
	    "or alias)\n"
	    "  --keep first|second  which content stays\n"
	    "  --json               machine-readable output on stdout\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 consistent, 1 inconsistent (conflicts: some "
	    "listed; resolve:\nno such conflict or refused), 2 usage error "
	    "or the database cannot be opened.\n");
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
	json_t		*conflicts;
	unsigned long	 nconflicts;
};

/* A conflict as JSON (with its content when full). */
static json_t *
conflict_json(const struct cybex_conflict *c, bool full)
{
	json_t *v;

	v = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s?, s:I, s:b}",
	    "conflict", (json_int_t)c->xid, "collection", c->coll_id, "alias",
	    c->coll_alias, "id", c->id, "version", c->version, "sha256",
	    c->sha256, "source", c->source, "created_us",
	    (json_int_t)c->created_us, "kept_present", c->kept_present);
	if (v != NULL && full)
		json_object_set_new(v, "content", json_stringn(c->json,
		    c->len));
	return v;
}

/* One line: what conflicts with what, and where. */
static void
conflict_line(const char *head, const struct cybex_conflict *c)
{
	char when[32];

	cybex_store_format_us(c->created_us, when, sizeof(when));
	cli_out("%sconflict %lld in '%s': %s version %s: refused content "
	    "sha256 %s from %s at %s%s\n", head, (long long)c->xid,
	    c->coll_alias != NULL ? c->coll_alias : c->coll_id, c->id,
	    c->version[0] != '\0' ? c->version : "(none)", c->sha256,
	    c->source != NULL ? c->source : "(unnamed)", when,
	    c->kept_present ? "" : " (the kept version is no longer there)");
}

static int
on_check_conflict(void *ud, const struct cybex_conflict *c)
{
	struct cstate *cs = ud;
	char head[4096 + 16];

	cs->nconflicts++;
	if (cs->json)
		return json_array_append_new(cs->conflicts,
		    conflict_json(c, false)) == 0 ? 0 : CYBEX_ENOMEM;
	snprintf(head, sizeof(head), "%s: warning: ", cs->path);
	conflict_line(head, c);
	return 0;
}

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
	if (cs.json && (cs.conflicts = json_array()) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if (cybex_store_conflict_list(s, NULL, on_check_conflict, &cs,
	    &d) != 0) {
		cli_err("%s: cannot list the conflicts: %s\n", path, d.message);
		status = EXIT_TROUBLE;
	}
	if (cs.json) {
		out = json_pack("{s:s, s:b, s:O, s:O, s:i}", "database", path,
		    "consistent", rc == 0, "problems", cs.problems, "conflicts",
		    cs.conflicts, "status", status);
		if (out == NULL || print_json(out) != 0)
			status = EXIT_TROUBLE;
	} else {
		if (cs.nconflicts > 0)
			cli_err("%s: %lu conflict%s to resolve (cybex db "
			    "conflicts)\n", path, cs.nconflicts,
			    cs.nconflicts == 1 ? "" : "s");
		cli_err("%s: %s\n", path, rc == 0 ? "consistent" :
		    status == EXIT_INVALID ? "NOT consistent" :
		    "the check failed");
	}
 out:
	json_decref(out);
	json_decref(cs.conflicts);
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

struct xstate {
	bool		 json;
	json_t		*list;
	unsigned long	 n;
};

static int
on_conflict(void *ud, const struct cybex_conflict *c)
{
	struct xstate *xs = ud;

	xs->n++;
	if (xs->json)
		return json_array_append_new(xs->list, conflict_json(c,
		    true)) == 0 ? 0 : CYBEX_ENOMEM;
	conflict_line("", c);
	return 0;
}

/* cybex db conflicts resolve XID --keep first|second */
static int
db_resolve(struct cybex_store *s, const char *path, const char *xs,
    const char *keep)
{
	enum cybex_conflict_keep k;
	struct cybex_diag d;
	char *end = NULL, detail[96];
	long long xid;
	int rc;

	errno = 0;
	xid = strtoll(xs, &end, 10);
	if (errno != 0 || end == xs || *end != '\0' || xid <= 0) {
		cli_err("cybex db conflicts resolve: '%s' is not a conflict "
		    "number\n", xs);
		return EXIT_TROUBLE;
	}
	if (keep != NULL && strcmp(keep, "first") == 0)
		k = CYBEX_KEEP_FIRST;
	else if (keep != NULL && strcmp(keep, "second") == 0)
		k = CYBEX_KEEP_SECOND;
	else {
		cli_err("cybex db conflicts resolve: say --keep first or --keep "
		    "second\n");
		return EXIT_TROUBLE;
	}
	cybex_diag_clear(&d);
	if ((rc = cybex_store_conflict_resolve(s, xid, k, &d)) != 0) {
		cli_err("%s: conflict %lld: %s\n", path, xid,
		    d.message[0] != '\0' ? d.message : cybex_strerror(rc));
		return rc == CYBEX_ENOTFOUND || rc == CYBEX_EPOLICY ?
		    EXIT_INVALID : EXIT_TROUBLE;
	}
	snprintf(detail, sizeof(detail), "kept the %s content", keep);
	snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail),
	    " of conflict %lld", xid);
	(void)cybex_store_audit(s, "cli", "conflict-resolve", xs, detail, &d);
	cli_err("conflict %lld resolved: %s\n", xid, detail);
	return EXIT_VALID;
}

static int
db_conflicts(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "keep", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s = NULL;
	struct xstate xs = { 0 };
	struct cybex_diag d;
	struct cli_db db = { 0 };
	const char *coll = NULL, *keep = NULL;
	char path[4096];
	bool resolve = false;
	int ch, rc, status = EXIT_TROUBLE;

	if (argc > 1 && strcmp(argv[1], "resolve") == 0) {
		resolve = true;
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, "c:k:jh", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			coll = optarg;
			break;
		case 'k':
			keep = optarg;
			break;
		case 'j':
			xs.json = true;
			break;
		case 'h':
			cmd_db_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_db_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (resolve ? optind + 1 != argc || coll != NULL || xs.json :
	    optind < argc || keep != NULL) {
		cli_err("cybex db conflicts: %s\n", resolve ? "resolve takes "
		    "one conflict number and --keep" : "list takes no "
		    "arguments (resolve XID --keep first|second)");
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("db conflicts", &db, CLI_DB_READ, path,
	    sizeof(path))) == NULL)
		goto out;
	if (resolve) {
		status = db_resolve(s, path, argv[optind], keep);
		goto out;
	}
	if (xs.json && (xs.list = json_array()) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_conflict_list(s, coll, on_conflict, &xs,
	    &d)) != 0) {
		cli_err("cybex db conflicts: %s\n", d.message[0] != '\0' ?
		    d.message : cybex_strerror(rc));
		goto out;
	}
	if (xs.json && print_json(xs.list) != 0)
		goto out;
	if (!xs.json)
		cli_err("%lu conflict%s\n", xs.n, xs.n == 1 ? "" : "s");
	status = fflush(stdout) == 0 ? xs.n > 0 ? EXIT_INVALID : EXIT_VALID :
	    EXIT_TROUBLE;
 out:
	json_decref(xs.list);
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
	if (strcmp(argv[1], "conflicts") == 0)
		return db_conflicts(argc - 1, argv + 1);
	cli_err("cybex db: unknown subcommand '%s' (check, stats, "
	    "conflicts)\n", argv[1]);
	return EXIT_TROUBLE;
}
