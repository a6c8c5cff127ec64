/*
 * cybex index build [--at TIME] [--json] [--no-hyperscan] FILE...
 *
 * Reads the indicators of STIX files (bundles, objects, JSON lists or JSON
 * lines; '-' is standard input) with the streaming reader, compiles the
 * ones active at TIME (default: now) into the indicator index, and prints
 * what it holds: indicators per table, values, memory.  Indicators whose
 * pattern is invalid are reported as file:line:col warnings and left out.
 * Exit: 0 built, 2 unreadable input, not JSON, or a usage error.
 *
 * cybex index stats [--collection C] [--at TIME] [--json]
 *
 * The same for the indicators in the store (the latest version of each,
 * in one collection or all): what the hub's index holds and its memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/match.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "cli.h"

void
cmd_index_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex index build [--at TIME] [--json] [--no-hyperscan] "
	    "FILE...\n"
	    "       cybex index stats [--collection C] [--at TIME] [--json] "
	    "[--no-hyperscan]\n\n"
	    "stats compiles the stored indicators (latest versions; one "
	    "collection or all)\nthat are active at TIME and prints what the "
	    "index holds and its memory.\n"
	    "Compile the indicators in STIX files ('-' is standard input) "
	    "that are active at\nTIME (RFC 3339, default now) into the "
	    "indicator index and print what it holds.\n\n"
	    "  --at TIME        which indicators are active (valid_from, "
	    "valid_until)\n"
	    "  --json           machine-readable results on stdout\n"
	    "  --no-hyperscan   check LIKE/MATCHES one by one with PCRE2\n\n"
	    "exit status: 0 built, 2 unreadable input, not JSON, or a usage "
	    "error.\n");
}

static int
read_file(const char *path, struct cybex_match_builder *b,
    unsigned long *nind, unsigned long *nbad)
{
	struct cybex_stix_opts o = { 0 };
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_item it;
	struct cybex_diag d;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	const json_t *type;
	int fd, rc, status = EXIT_VALID;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_err("%s: error: cannot open: %s\n", name,
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	if (cybex_stix_reader_new(fd, &o, &r) != 0) {
		cli_err("%s: error: out of memory\n", name);
		status = EXIT_TROUBLE;
		goto out;
	}
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		type = json_object_get(it.json, "type");
		if (!json_is_string(type) ||
		    strcmp(json_string_value(type), "indicator") != 0)
			continue;
		(*nind)++;
		cybex_diag_clear(&d);
		rc = cybex_match_builder_add(b, it.json, &d);
		if (rc == CYBEX_EFORMAT) {
			(*nbad)++;
			cli_err("%s:%lu:%lu: warning: indicator left "
			    "out: %s\n", name, it.line, it.column, d.message);
		} else if (rc != 0) {
			cli_err("%s:%lu:%lu: error: %s\n", name,
			    it.line, it.column, d.message);
			status = EXIT_TROUBLE;
			goto out;
		}
	}
	if (rc < 0) {
		cli_err("%s:%lu:%lu: error: %s\n", name, d.line,
		    d.column, d.message);
		status = EXIT_TROUBLE;
	}
 out:
	cybex_stix_reader_free(r);
	if (fd != STDIN_FILENO)
		close(fd);
	return status;
}

static void
print_stats(const struct cybex_match_stats *st, bool json)
{
	if (json) {
		printf("{\"indicators\":%zu,\"skipped\":%zu,\"replaced\":%zu,"
		    "\"invalid\":%zu,\"exact_indicators\":%zu,"
		    "\"exact_values\":%zu,\"suffix_values\":%zu,"
		    "\"cidr_values\":%zu,\"regex_indicators\":%zu,"
		    "\"regex_values\":%zu,\"general_indicators\":%zu,"
		    "\"fields\":%zu,\"memory\":%zu,\"exact_memory\":%zu}\n",
		    st->indicators, st->skipped, st->replaced, st->invalid,
		    st->exact_indicators, st->exact_values, st->suffix_values,
		    st->cidr_values, st->regex_indicators, st->regex_values,
		    st->general_indicators, st->fields, st->memory,
		    st->exact_memory);
		return;
	}
	printf("indicators         %zu indexed (%zu inactive or not STIX "
	    "patterns, %zu older versions, %zu invalid)\n", st->indicators,
	    st->skipped, st->replaced, st->invalid);
	printf("  exact tables     %zu indicators: %zu exact values, %zu "
	    "domain suffixes, %zu CIDR prefixes\n", st->exact_indicators,
	    st->exact_values, st->suffix_values, st->cidr_values);
	printf("  regex sets       %zu indicators: %zu LIKE/MATCHES "
	    "expressions\n", st->regex_indicators, st->regex_values);
	printf("  evaluated        %zu compound patterns\n",
	    st->general_indicators);
	printf("fields             %zu property paths\n", st->fields);
	printf("memory             %zu bytes (%.1f MB); exact tables %zu "
	    "bytes, %zu per exact-value indicator\n", st->memory,
	    st->memory / 1048576.0, st->exact_memory,
	    st->exact_indicators > 0 ? st->exact_memory /
	    st->exact_indicators : 0);
}

/* The options both subcommands take. */
struct index_opts {
	struct cybex_match_opts	 mo;
	struct cybex_time	 at;
	const struct cybex_time	*atp;	/* NULL = now */
	bool			 json;
};

/* 1 when ch was one of them, 0 when not, -1 on a bad value (printed). */
static int
index_option(int ch, const char *verb, struct index_opts *io)
{
	struct cybex_diag d;

	switch (ch) {
	case 'a':
		if (cybex_time_parse(optarg, strlen(optarg), 0, &io->at,
		    &d) != 0) {
			cli_err("cybex index %s: bad --at '%s': %s\n",
			    verb, optarg, d.message);
			return -1;
		}
		io->atp = &io->at;
		return 1;
	case 'j':
		io->json = true;
		return 1;
	case 'n':
		io->mo.no_hyperscan = true;
		return 1;
	default:
		return 0;
	}
}

static int
index_build(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-hyperscan", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct index_opts io = { { 0 }, { 0 }, NULL, false };
	struct cybex_match_builder *b = NULL;
	struct cybex_match_index *ix = NULL;
	struct cybex_match_stats st;
	struct cybex_diag d;
	unsigned long nind = 0, nbad = 0;
	int ch, i, k, status = EXIT_TROUBLE;

	while ((ch = getopt_long(argc, argv, "a:jnh", lopts, NULL)) != -1) {
		if ((k = index_option(ch, "build", &io)) < 0)
			return EXIT_TROUBLE;
		if (k > 0)
			continue;
		if (ch == 'h') {
			cmd_index_usage(stdout);
			return EXIT_VALID;
		}
		cmd_index_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (optind >= argc) {
		cli_err("cybex index build: no FILE given ('-' for "
		    "standard input)\n");
		return EXIT_TROUBLE;
	}
	if (cybex_match_builder_new(&io.mo, io.atp, &b) != 0) {
		cli_err("cybex index build: out of memory\n");
		goto out;
	}
	for (i = optind; i < argc; i++)
		if (read_file(argv[i], b, &nind, &nbad) != EXIT_VALID)
			goto out;
	if (cybex_match_builder_build(b, &ix, &d) != 0) {
		cli_err("cybex index build: %s\n", d.message);
		goto out;
	}
	cybex_match_index_stats(ix, &st);
	print_stats(&st, io.json);
	if (!io.json)
		cli_err("%d file%s, %lu indicator%s read\n",
		    argc - optind, argc - optind == 1 ? "" : "s", nind,
		    nind == 1 ? "" : "s");
	status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
 out:
	cybex_match_index_unref(ix);
	cybex_match_builder_free(b);
	return status;
}

struct stored_ctx {
	struct cybex_match_builder	*b;
	unsigned long			 nind;
	unsigned long			 nbad;
};

static int
add_stored(void *ud, const struct cybex_row *row)
{
	struct stored_ctx *sc = ud;
	struct cybex_diag d;
	json_t *j = NULL;
	int rc;

	sc->nind++;
	if (cybex_json_parse(row->json, row->len, 0, &j, &d) != 0) {
		sc->nbad++;
		return 0;
	}
	rc = cybex_match_builder_add(sc->b, j, &d);
	json_decref(j);
	if (rc == CYBEX_EFORMAT) {
		sc->nbad++;
		cli_err("%s: warning: indicator left out: %s\n",
		    row->id, d.message);
		return 0;
	}
	return rc;
}

static int
index_stats(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "at", required_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-hyperscan", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const char *const types[] = { "indicator" };
	struct index_opts io = { { 0 }, { 0 }, NULL, false };
	struct cybex_match_index *ix = NULL;
	struct cybex_match_stats st;
	struct cybex_collection c;
	struct cybex_store *s = NULL;
	struct cybex_arena *a = NULL;
	struct stored_ctx sc = { NULL, 0, 0 };
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	const char *coll = NULL;
	int ch, k, status = EXIT_TROUBLE;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		if ((k = index_option(ch, "stats", &io)) < 0)
			return EXIT_TROUBLE;
		if (k > 0)
			continue;
		if (ch == 'c')
			coll = optarg;
		else if (ch == 'h') {
			cmd_index_usage(stdout);
			return EXIT_VALID;
		} else {
			cmd_index_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if ((s = cli_store_open("index", &o, CLI_DB_READ, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	memset(&q, 0, sizeof(q));
	if (coll != NULL) {
		if (cybex_arena_new(0, &a) != 0 ||
		    cybex_store_collection_get(s, coll, a, &c, &d) != 0) {
			cli_err("cybex index stats: no collection "
			    "'%s'\n", coll);
			goto out;
		}
		q.coll_id = c.id;
	}
	q.types = types;
	q.ntypes = 1;
	q.versions = CYBEX_VERSION_LAST;
	if (cybex_match_builder_new(&io.mo, io.atp, &sc.b) != 0)
		goto out;
	if (cybex_store_query(s, &q, add_stored, &sc, &pg, &d) != 0) {
		cli_err("cybex index stats: %s\n", d.message);
		goto out;
	}
	if (cybex_match_builder_build(sc.b, &ix, &d) != 0) {
		cli_err("cybex index stats: %s\n", d.message);
		goto out;
	}
	cybex_match_index_stats(ix, &st);
	print_stats(&st, io.json);
	if (!io.json)
		cli_err("%lu stored indicator%s read\n", sc.nind,
		    sc.nind == 1 ? "" : "s");
	status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
 out:
	cybex_match_index_unref(ix);
	cybex_match_builder_free(sc.b);
	cybex_arena_free(a);
	cybex_store_close(s);
	return status;
}

int
cmd_index(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cmd_index_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	if (strcmp(argv[1], "build") == 0)
		return index_build(argc - 1, argv + 1);
	if (strcmp(argv[1], "stats") == 0)
		return index_stats(argc - 1, argv + 1);
	cli_err("cybex index: unknown subcommand '%s' (build, "
	    "stats)\n", argv[1]);
	return EXIT_TROUBLE;
}
