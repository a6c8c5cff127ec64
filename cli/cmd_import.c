/*
 * cybex import [--collection C] [--all-or-nothing] [--strict] [--batch N]
 *     [--json] [--quiet] FILE...
 *
 * Streams each file through the STIX reader and validator into the store
 * (cybex_store_import), committing every batch, so an interrupted import
 * keeps whole batches and a re-run completes it.  Rejected objects are
 * printed as "file:line:col: error: message [pointer]".  Exit: 0 every
 * object stored or already there, 1 some objects rejected, 2 usage, I/O,
 * database or not-JSON errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "cli.h"

#define BATCH_MAX	10000000UL
#define PROGRESS_EVERY	0.5	/* seconds between progress updates */

struct istate {
	const char		*file;
	bool			 json;
	bool			 progress;
	bool			 first_diag;
	bool			 drawn;		/* a progress line is showing */
	double			 t0;
	double			 last_draw;
	unsigned long		 diags;
	struct cybex_buf	 out;
};

void
cmd_import_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex import [--collection C] [--all-or-nothing] [--strict] "
	    "[--batch N]\n"
	    "                    [--json] [--quiet] [--db PATH] [--data-dir DIR] "
	    "FILE...\n\n"
	    "Validate STIX 2.1 bundles, objects, lists or JSON lines and store "
	    "the valid\nobjects with all their versions ('-' reads standard "
	    "input).  Every batch is\ncommitted on its own, so an interrupted "
	    "import keeps whole batches and running\nit again completes it.  "
	    "STIX 2.0 objects (no spec_version) are refused:\nconvert them to "
	    "2.1 first.  MISP JSON is not read yet (it is recognised and\n"
	    "refused).  Rejected objects are printed as\n"
	    "  file:line:col: error: message [json-pointer]\n\n"
	    "  --collection C       collection id or alias (default: "
	    "'default')\n"
	    "  --all-or-nothing     store a FILE only if every object in it is "
	    "valid\n"
	    "  --strict             SHOULD rules are errors, not warnings\n"
	    "  --batch N            objects per transaction (default 50000)\n"
	    "  --max-object-size N  largest single object (default 16M; "
	    "k/M/G suffixes)\n"
	    "  --json               results as JSON on stdout\n"
	    "  --quiet              no progress and no summary on stderr\n"
	    CLI_DB_HELP "\n"
	    "The summary counts objects added, linked (already stored, now "
	    "also in this\ncollection), already present, and rejected.\n\n"
	    "exit status: 0 all stored, 1 some objects rejected, 2 usage, "
	    "I/O, database\nor not-JSON errors.\n");
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
progress_clear(struct istate *is)
{
	if (is->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		is->drawn = false;
	}
}

static void
progress_draw(struct istate *is, const struct cybex_import_stats *st)
{
	double t = now_s(), dt = t - is->t0;

	is->last_draw = t;
	fputs("\r\033[K", stderr);	/* ours; is->file is escaped */
	cli_err("%s: %llu objects, %.0f objects/s, %.1f MB, "
	    "%llu error%s", is->file, (unsigned long long)st->objects,
	    dt > 0 ? (double)st->objects / dt : 0.0, (double)st->bytes / 1e6,
	    (unsigned long long)st->rejected, st->rejected == 1 ? "" : "s");
	fflush(stderr);
	is->drawn = true;
}

static void
on_batch(void *ud, const struct cybex_import_stats *st)
{
	struct istate *is = ud;

	if (is->progress && now_s() - is->last_draw >= PROGRESS_EVERY)
		progress_draw(is, st);
}

static void
on_reject(void *ud, const struct cybex_diag *d)
{
	struct istate *is = ud;

	progress_clear(is);
	is->diags++;
	cli_diag_print(is->file, is->json, &is->first_diag, &is->out, d,
	    d->line, d->column);
	if (!is->json)
		fflush(stdout);
}

/* An error that is not about one object: where the input broke, or why. */
static void
print_error(struct istate *is, const struct cybex_diag *d)
{
	struct cybex_diag e = *d;

	progress_clear(is);
	e.severity = CYBEX_SEV_ERROR;
	if (is->json || e.line > 0) {
		cli_diag_print(is->file, is->json, &is->first_diag, &is->out,
		    &e, e.line, e.column);
		return;
	}
	cli_out("%s: error: %s\n", is->file, e.message);
}

static void
add_stats(struct cybex_import_stats *t, const struct cybex_import_stats *s)
{
	t->objects += s->objects;
	t->added += s->added;
	t->linked += s->linked;
	t->present += s->present;
	t->rejected += s->rejected;
	t->conflicts += s->conflicts;
	t->committed += s->committed;
	t->bytes += s->bytes;
}

static void
json_counts(struct cybex_buf *b, const struct cybex_import_stats *st)
{
	cybex_buf_printf(b, "\"objects\":%llu,\"added\":%llu,\"linked\":%llu,"
	    "\"present\":%llu,\"rejected\":%llu,\"conflicts\":%llu,"
	    "\"committed\":%llu",
	    (unsigned long long)st->objects, (unsigned long long)st->added,
	    (unsigned long long)st->linked, (unsigned long long)st->present,
	    (unsigned long long)st->rejected,
	    (unsigned long long)st->conflicts,
	    (unsigned long long)st->committed);
}

static void
summary(const char *what, const struct cybex_import_stats *st,
    const char *coll)
{
	char cf[128] = "";

	/* Conflicts are among the rejected: kept for an operator. */
	if (st->conflicts > 0)
		snprintf(cf, sizeof(cf), " (%llu conflict%s: the first content "
		    "kept, see 'cybex db conflicts')",
		    (unsigned long long)st->conflicts,
		    st->conflicts == 1 ? "" : "s");
	cli_err("%s: %llu object%s: %llu added, %llu linked (already "
	    "stored, added to '%s'), %llu already present, %llu rejected%s\n",
	    what, (unsigned long long)st->objects, st->objects == 1 ? "" : "s",
	    (unsigned long long)st->added, (unsigned long long)st->linked,
	    coll, (unsigned long long)st->present,
	    (unsigned long long)st->rejected, cf);
}

/*
 * A MISP event ({"Event": {...}}, a MISP API answer {"response": [...]})
 * is JSON that is not STIX: rather than "'type' is missing", say what it
 * is.  Only a file that can be read again from its start is looked at
 * (not a pipe).
 */
static bool
is_misp(int fd)
{
	static const char *const keys[] = { "\"Event\"", "\"response\"" };
	char buf[512];
	ssize_t n;
	size_t i = 0, k;

	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return false;
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n')
		i++;
	if (buf[i++] != '{')
		return false;
	while (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n')
		i++;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strncmp(buf + i, keys[k], strlen(keys[k])) == 0)
			return k == 0 || strstr(buf + i, "\"Event\"") != NULL;
	return false;
}

/* Import one open file; returns its exit status. */
static int
import_fd(struct cybex_store *s, const char *coll_id, int fd,
    struct istate *is, const struct cybex_import_opts *io,
    struct cybex_import_stats *st)
{
	struct cybex_stix_reader *r = NULL;
	struct cybex_diag d;
	unsigned long diags = is->diags;
	int rc, status;

	memset(st, 0, sizeof(*st));
	cybex_diag_clear(&d);
	if (is_misp(fd)) {
		cybex_diag_set(&d, CYBEX_ESTIX, "this is a MISP event, not "
		    "STIX 2.1: cybex does not read MISP JSON yet (the MISP "
		    "converter is part of the exchange-formats work); export "
		    "the event from MISP as STIX 2.1 and import that");
		print_error(is, &d);
		return EXIT_INVALID;
	}
	if ((rc = cybex_stix_reader_new(fd, io->stix, &r)) != 0)
		cybex_diag_set(&d, rc, "cannot start reading: %s",
		    cybex_strerror(rc));
	else {
		is->t0 = now_s();
		is->last_draw = is->t0;
		rc = cybex_store_import(s, coll_id, r, io, st, &d);
		progress_clear(is);
	}
	if (rc == 0) {
		/* An invalid bundle envelope is reported but rejects nothing. */
		status = st->rejected > 0 || is->diags > diags ? EXIT_INVALID :
		    EXIT_VALID;
		goto out;
	}
	if (io->all_or_nothing && st->rejected > 0 &&
	    (rc == CYBEX_ESTIX || rc == CYBEX_ECONFLICT))
		/* The rejects were printed; say what became of the file. */
		cybex_diag_set(&d, rc, "nothing was imported (--all-or-nothing):"
		    " %llu object%s rejected", (unsigned long long)st->rejected,
		    st->rejected == 1 ? "" : "s");
	else if (d.message[0] == '\0')
		cybex_diag_set(&d, rc, "%s", cybex_strerror(rc));
	print_error(is, &d);
	/* JSON that is not STIX, or a conflict, is invalid input (1). */
	status = rc == CYBEX_ESTIX || rc == CYBEX_ECONFLICT ? EXIT_INVALID :
	    EXIT_TROUBLE;
 out:
	cybex_stix_reader_free(r);
	return status;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "all-or-nothing", no_argument, NULL, 'a' },
		{ "strict", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "max-object-size", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_stix_opts so = { 0 };
	struct cybex_import_opts io = { 0 };
	struct cybex_import_stats st, total;
	struct cybex_collection coll;
	struct cybex_arena *arena = NULL;
	struct cybex_store *s = NULL;
	struct cli_db db = { 0 };
	struct istate is;
	struct cybex_diag d;
	const char *coll_key = CYBEX_DEFAULT_COLLECTION, *coll_name;
	char src[CYBEX_STORE_SOURCE_MAX];
	bool json = false, quiet = false;
	unsigned long ul;
	long long n;
	char *end;
	int ch, i, fd, fs, rc, status = EXIT_VALID;

	memset(&is, 0, sizeof(is));
	memset(&total, 0, sizeof(total));
	while ((ch = getopt_long(argc, argv, "c:asb:jqh", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			coll_key = optarg;
			break;
		case 'a':
			io.all_or_nothing = true;
			break;
		case 's':
			so.flags |= CYBEX_STIX_STRICT;
			break;
		case 'b':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    optarg[0] == '-' || ul == 0 || ul > BATCH_MAX) {
				cli_err("cybex import: bad --batch '%s' "
				    "(1..%lu)\n", optarg, BATCH_MAX);
				return EXIT_TROUBLE;
			}
			io.batch = ul;
			break;
		case 'm':
			if ((n = cli_parse_size(optarg)) <= 0) {
				cli_err("cybex import: bad "
				    "--max-object-size '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
			so.max_object_bytes = (size_t)n;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cmd_import_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_import_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		cli_err("cybex import: no FILE given ('-' for standard "
		    "input)\n");
		cmd_import_usage(stderr);
		return EXIT_TROUBLE;
	}
	/* What is stored is served as 2.1: no implicit 2.0 objects. */
	so.flags |= CYBEX_STIX_REQUIRE_21;
	io.stix = &so;
	io.on_reject = on_reject;
	io.on_batch = on_batch;
	io.ud = &is;
	if ((s = cli_store_open("import", &db, CLI_DB_WRITE, NULL, 0)) ==
	    NULL) {
		status = EXIT_TROUBLE;
		goto out;
	}
	if (cybex_arena_new(0, &arena) != 0) {
		cli_err("cybex import: out of memory\n");
		status = EXIT_TROUBLE;
		goto out;
	}
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_get(s, coll_key, arena, &coll,
	    &d)) != 0) {
		if (rc == CYBEX_ENOTFOUND)
			cli_err("cybex import: no collection '%s' "
			    "(create it with: cybex collection add --alias "
			    "'%s' --title TITLE)\n", coll_key, coll_key);
		else
			cli_err("cybex import: collection '%s': %s\n",
			    coll_key, d.message);
		status = EXIT_TROUBLE;
		goto out;
	}
	coll_name = coll.alias != NULL ? coll.alias : coll.id;
	cybex_buf_init(&is.out, 1u << 20);
	is.json = json;
	is.progress = !quiet && isatty(STDERR_FILENO);
	if (json) {
		cybex_buf_puts(&is.out, "{\"collection\":");
		cli_json_str(&is.out, coll.id);
		cybex_buf_puts(&is.out, ",\"files\":[");
		fwrite(is.out.data, 1, is.out.len, stdout);
	}
	for (i = optind; i < argc; i++) {
		is.file = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i];
		is.first_diag = true;
		if (json) {
			cybex_buf_reset(&is.out);
			cybex_buf_puts(&is.out, i > optind ? ",\n{\"file\":" :
			    "\n{\"file\":");
			cli_json_str(&is.out, is.file);
			cybex_buf_puts(&is.out, ",\"diagnostics\":[");
			fwrite(is.out.data, 1, is.out.len, stdout);
		}
		memset(&st, 0, sizeof(st));
		/* Recorded with the conflicts this file makes. */
		snprintf(src, sizeof(src), "cybex import %s", is.file);
		cybex_store_set_source(s, src);
		if (strcmp(argv[i], "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(argv[i], O_RDONLY | O_CLOEXEC)) < 0) {
			cybex_diag_set(&d, CYBEX_EIO, "cannot open: %s",
			    strerror(errno));
			print_error(&is, &d);
		}
		fs = fd < 0 ? EXIT_TROUBLE : import_fd(s, coll.id, fd, &is, &io,
		    &st);
		if (fd > STDIN_FILENO)
			close(fd);
		if (json) {
			cybex_buf_reset(&is.out);
			cybex_buf_puts(&is.out, "],");
			json_counts(&is.out, &st);
			cybex_buf_printf(&is.out, ",\"status\":%d}", fs);
			fwrite(is.out.data, 1, is.out.len, stdout);
		} else if (!quiet && fd >= 0)
			summary(is.file, &st, coll_name);
		if (fs > status)
			status = fs;
		add_stats(&total, &st);
	}
	if (json) {
		cybex_buf_reset(&is.out);
		cybex_buf_puts(&is.out, "\n],");
		json_counts(&is.out, &total);
		cybex_buf_printf(&is.out, ",\"status\":%d}\n", status);
		fwrite(is.out.data, 1, is.out.len, stdout);
	} else if (!quiet && argc - optind > 1)
		summary("total", &total, coll_name);
	if (fflush(stdout) != 0 && status < EXIT_TROUBLE)
		status = EXIT_TROUBLE;
 out:
	cybex_buf_free(&is.out);
	cybex_arena_free(arena);
	cybex_store_close(s);
	return status;
}
