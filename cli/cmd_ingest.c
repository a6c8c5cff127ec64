/*
 * cybex ingest --format F [--sensor NAME] [--org ORG] [--follow]
 *     [--collection C] [--indicators C] [--detect-config FILE]
 *     [--mapping FILE] [--ref-time TS] [--max-errors N] [--json] [--quiet]
 *     FILE...|-
 *
 * Reads sensor and feed records (one per line) through the ingest reader
 * of the format, looks every observation up in the stored indicators,
 * counts hits into sightings and runs the detectors; sightings and alerts
 * are written in transactions (every --flush seconds and at the end), so
 * a kill -9 loses at most the last interval and never leaves the store
 * half-written, and running the same input again counts nothing twice.
 * Unreadable records are printed as "file:line:col: error: message" (the
 * first --max-errors of them, then how many more).
 *
 * --follow keeps reading a growing file, as tail -F does: it notices a
 * rotation (the name now points to a new file: the old one is read to its
 * end first) and a truncation in place (copytruncate), and stops cleanly,
 * writing everything, on SIGINT or SIGTERM.
 *
 * Exit: 0 every record read, 1 some records unreadable, 2 usage, I/O or
 * database errors.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/analysis.h"
#include "cybex/core.h"
#include "cybex/store.h"

#include "cli.h"

#define CHUNK		(256u * 1024)
#define CONFIG_MAX	(1u << 20)	/* --detect-config, --mapping */
#define POLL_NS		200000000L	/* --follow: 0.2 s between looks */

static volatile sig_atomic_t stopping;

static void
on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

void
cmd_ingest_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex ingest --format F [--sensor NAME] [--org ORG] "
	    "[--follow]\n"
	    "                    [--collection C] [--indicators C] "
	    "[--detect-config FILE]\n"
	    "                    [--mapping FILE] [--ref-time TS] [--flush S] "
	    "[--max-errors N]\n"
	    "                    [--json] [--quiet] [--db PATH] FILE...|-\n\n"
	    "Read sensor and feed records, one per line, match them against "
	    "the stored\nindicators and run the detectors: indicator hits "
	    "become STIX sightings (one\nper indicator and sensor, with a "
	    "count), detections become alerts (cybex\nalerts list).  Running "
	    "the same input again counts nothing twice.\n\n"
	    "  --format F           eve, syslog, access, postfix, csv or page\n"
	    "  --sensor NAME        the sensor's name (default: from the "
	    "records, else their\n"
	    "                       reporting host)\n"
	    "  --org ORG            the member organization the data is from "
	    "(cybex org)\n"
	    "  --follow             keep reading the growing FILE, across "
	    "rotations, until\n"
	    "                       SIGINT or SIGTERM\n"
	    "  --collection C       where sightings go (default: 'sightings', "
	    "made on first\n"
	    "                       use)\n"
	    "  --indicators C       match only the indicators of collection C "
	    "(default: all)\n"
	    "  --detect-config FILE detector settings, 'name = value' lines\n"
	    "  --mapping FILE       csv: which column holds what "
	    "(docs/ingest.md)\n"
	    "  --ref-time TS        syslog without a year: the latest year "
	    "that puts a line\n"
	    "                       no later than TS plus one day (RFC 3339; "
	    "default: the\n"
	    "                       time each line is read)\n"
	    "  --flush S            write sightings and alerts every S "
	    "seconds (default 10)\n"
	    "  --max-errors N       print the first N unreadable records "
	    "(default 20)\n"
	    "  --json               the summary as JSON on stdout\n"
	    "  --quiet              no summary unless --json\n\n"
	    "exit status: 0 every record read, 1 some records unreadable, 2 "
	    "usage, I/O or\ndatabase errors.\n\n%s", CLI_DB_HELP);
}

struct ictx {
	const char		*file;		/* as shown in messages */
	unsigned long		 max_errors;
	unsigned long		 errors;
	unsigned long		 lines_long;	/* over-long lines */
};

static void
on_error(void *ud, const struct cybex_diag *d)
{
	struct ictx *ic = ud;

	ic->errors++;
	if (d->rule != NULL &&
	    strcmp(d->rule, CYBEX_ANALYSIS_RULE_LINE_TOO_LONG) == 0)
		ic->lines_long++;
	if (ic->errors <= ic->max_errors)
		cli_err("%s:%lu:%lu: error: %s\n", ic->file, d->line,
		    d->column > 0 ? d->column : 1, d->message);
}

/* Read a small text file (a config) into a NUL-terminated buffer. */
static char *
slurp(const char *path, size_t *len)
{
	struct cybex_buf b;
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_err("cybex ingest: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	cybex_buf_init(&b, CONFIG_MAX);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (cybex_buf_append(&b, chunk, (size_t)n) != 0) {
			cli_err("cybex ingest: %s: larger than %u "
			    "bytes\n", path, CONFIG_MAX);
			n = -1;
			errno = EFBIG;
			break;
		}
	close(fd);
	if (n < 0) {
		if (errno != EFBIG)
			cli_err("cybex ingest: %s: %s\n", path,
			    strerror(errno));
		cybex_buf_free(&b);
		return NULL;
	}
	if (cybex_buf_putc(&b, '\0') != 0) {
		cybex_buf_free(&b);
		return NULL;
	}
	*len = b.len - 1;
	return b.data;
}

struct run {
	struct cybex_analysis		*a;
	struct cybex_ingest_reader	*rd;
	struct ingest_totals {
		uint64_t	 lines, observations, skipped, errors;
	}				 tot;
	bool				 follow;
	bool				 failed;	/* store or memory */
};

/* Feed what l holds; false on a fatal error (printed). */
static bool
drain(struct run *rn, struct cybex_ingest_lines *l, struct ictx *ic)
{
	struct cybex_diag d;

	cybex_diag_clear(&d);
	if (cybex_analysis_feed(rn->a, rn->rd, l, on_error, ic, &d) != 0) {
		cli_err("cybex ingest: %s: %s\n", ic->file, d.message);
		rn->failed = true;
		return false;
	}
	return true;
}

/* Has the file at path been replaced (rotated) or cut (copytruncate)? */
enum change { SAME, ROTATED, TRUNCATED };

static enum change
changed(const char *path, int fd, off_t off)
{
	struct stat now, cur;

	if (stat(path, &now) != 0 || fstat(fd, &cur) != 0)
		return SAME;	/* gone for a moment: keep reading what we have */
	if (now.st_ino != cur.st_ino || now.st_dev != cur.st_dev)
		return ROTATED;
	if (now.st_size < off)
		return TRUNCATED;
	return SAME;
}

static int
open_input(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		cli_err("cybex ingest: %s: %s\n", path, strerror(errno));
	return fd;
}

static void
idle(struct run *rn, struct ictx *ic)
{
	struct timespec ts = { 0, POLL_NS };
	struct cybex_diag d;

	cybex_diag_clear(&d);
	if (cybex_analysis_tick(rn->a, 0, &d) != 0) {
		cli_err("cybex ingest: %s: %s\n", ic->file, d.message);
		rn->failed = true;
		return;
	}
	nanosleep(&ts, NULL);
}

/*
 * Read one input to its end (or, following, until a signal).  Returns
 * EXIT_VALID, or EXIT_TROUBLE when it cannot be read at all or the store
 * failed.
 */
static int
ingest_file(struct run *rn, const char *path, struct ictx *ic)
{
	struct cybex_ingest_lines *l = NULL;
	char *buf = NULL;
	off_t off = 0;
	ssize_t n;
	int fd, st = EXIT_TROUBLE;
	bool follow = rn->follow && strcmp(path, "-") != 0;

	if ((fd = open_input(path)) < 0)
		return EXIT_TROUBLE;
	if ((buf = cybex_malloc(CHUNK)) == NULL ||
	    cybex_ingest_lines_new(0, &l) != 0) {
		cli_err("cybex ingest: out of memory\n");
		goto out;
	}
	while (!stopping && !rn->failed) {
		n = read(fd, buf, CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_err("cybex ingest: %s: %s\n", ic->file,
			    strerror(errno));
			goto out;
		}
		if (n > 0) {
			off += n;
			if (cybex_ingest_lines_feed(l, buf, (size_t)n) != 0) {
				cli_err("cybex ingest: out of memory\n");
				goto out;
			}
			if (!drain(rn, l, ic))
				goto out;
			continue;
		}
		/* The end of what is there now. */
		if (!follow)
			break;
		switch (changed(path, fd, off)) {
		case SAME:
			idle(rn, ic);
			continue;
		case TRUNCATED:
			/* copytruncate: start over; a partial line is gone. */
			if (lseek(fd, 0, SEEK_SET) < 0)
				goto out;
			break;
		case ROTATED:
			/* The old file is read to its end: finish its last
			 * line, then go on with the new one. */
			cybex_ingest_lines_finish(l);
			if (!drain(rn, l, ic))
				goto out;
			close(fd);
			if ((fd = open_input(path)) < 0)
				goto out;
			break;
		}
		off = 0;
		cybex_ingest_lines_free(l);
		l = NULL;
		if (cybex_ingest_lines_new(0, &l) != 0)
			goto out;
	}
	/* A partial last line of a followed file may still be being written:
	 * it is left for the next run (which counts nothing twice). */
	if (!stopping && !rn->failed) {
		cybex_ingest_lines_finish(l);
		if (!drain(rn, l, ic))
			goto out;
	}
	st = rn->failed ? EXIT_TROUBLE : EXIT_VALID;
 out:
	cybex_ingest_lines_free(l);
	cybex_free(buf);
	if (fd > STDIN_FILENO)
		close(fd);
	return st;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
summary(const struct run *rn, const struct cybex_analysis_stats *as,
    size_t nind, int nfiles, double secs, bool json)
{
	const struct ingest_totals *t = &rn->tot;

	if (json) {
		printf("{\"files\":%d,\"lines\":%llu,\"observations\":%llu,"
		    "\"skipped\":%llu,\"errors\":%llu,\"indicators\":%zu,"
		    "\"matched\":%llu,\"hits\":%llu,\"replays\":%llu,"
		    "\"sightings_updated\":%llu,\"sightings_withheld\":%llu,"
		    "\"alerts\":%llu,\"alerts_added\":%llu,"
		    "\"alerts_updated\":%llu,\"alerts_dropped\":%llu,"
		    "\"hits_dropped\":%llu,\"write_failures\":%llu,"
		    "\"seconds\":%.3f,\"interrupted\":%s}\n", nfiles,
		    (unsigned long long)t->lines,
		    (unsigned long long)t->observations,
		    (unsigned long long)t->skipped,
		    (unsigned long long)t->errors, nind,
		    (unsigned long long)as->matched,
		    (unsigned long long)as->hits,
		    (unsigned long long)as->replays,
		    (unsigned long long)as->sightings_updated,
		    (unsigned long long)as->sightings_withheld,
		    (unsigned long long)as->alerts,
		    (unsigned long long)as->alerts_added,
		    (unsigned long long)as->alerts_updated,
		    (unsigned long long)as->alerts_dropped,
		    (unsigned long long)as->hits_dropped,
		    (unsigned long long)as->write_failures, secs,
		    stopping ? "true" : "false");
		return;
	}
	printf("%llu lines: %llu observations, %llu skipped, %llu unreadable\n"
	    "%llu indicator hits in %llu observations (%zu indicators; %llu "
	    "hits counted before)\n"
	    "%llu sighting versions written (%llu withheld by TLP)\n"
	    "%llu alerts raised: %llu new, %llu updated\n"
	    "%.2f s%s\n",
	    (unsigned long long)t->lines, (unsigned long long)t->observations,
	    (unsigned long long)t->skipped, (unsigned long long)t->errors,
	    (unsigned long long)as->hits, (unsigned long long)as->matched, nind,
	    (unsigned long long)as->replays,
	    (unsigned long long)as->sightings_updated,
	    (unsigned long long)as->sightings_withheld,
	    (unsigned long long)as->alerts,
	    (unsigned long long)as->alerts_added,
	    (unsigned long long)as->alerts_updated, secs,
	    stopping ? " (stopped by a signal)" : "");
	if (as->write_failures > 0 || as->alerts_dropped > 0 ||
	    as->hits_dropped > 0)
		printf("%llu failed writes: %llu alerts and %llu hits dropped "
		    "while the store could not be written\n",
		    (unsigned long long)as->write_failures,
		    (unsigned long long)as->alerts_dropped,
		    (unsigned long long)as->hits_dropped);
}

struct org_find {
	const char	*name;
	bool		 found;
};

static int
org_is(void *ud, const struct cybex_org *o)
{
	struct org_find *of = ud;

	if (strcmp(o->name, of->name) == 0)
		of->found = true;
	return 0;
}

struct opts {
	const char		*format;
	const char		*sensor;
	const char		*org;
	const char		*collection;
	const char		*indicators;
	const char		*detect_config;
	const char		*mapping;
	struct cybex_time	 ref;
	bool			 has_ref;
	double			 flush_s;
	unsigned long		 max_errors;
	bool			 follow;
	bool			 json;
	bool			 quiet;
	struct cli_db		 db;
};

static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "sensor", required_argument, NULL, 's' },
		{ "org", required_argument, NULL, 'o' },
		{ "follow", no_argument, NULL, 'F' },
		{ "collection", required_argument, NULL, 'c' },
		{ "indicators", required_argument, NULL, 'I' },
		{ "detect-config", required_argument, NULL, 'D' },
		{ "mapping", required_argument, NULL, 'm' },
		{ "ref-time", required_argument, NULL, 'r' },
		{ "flush", required_argument, NULL, 'x' },
		{ "max-errors", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_diag d;
	char *end;
	int ch;

	memset(o, 0, sizeof(*o));
	o->max_errors = 20;
	o->flush_s = 10;
	while ((ch = getopt_long(argc, argv, "f:qh", lopts, NULL)) != -1) {
		if (cli_db_option(&o->db, ch, optarg))
			continue;
		switch (ch) {
		case 'f':
			o->format = optarg;
			break;
		case 's':
			o->sensor = optarg;
			break;
		case 'o':
			o->org = optarg;
			break;
		case 'F':
			o->follow = true;
			break;
		case 'c':
			o->collection = optarg;
			break;
		case 'I':
			o->indicators = optarg;
			break;
		case 'D':
			o->detect_config = optarg;
			break;
		case 'm':
			o->mapping = optarg;
			break;
		case 'r':
			if (cybex_time_parse(optarg, strlen(optarg), 0, &o->ref,
			    &d) != 0) {
				cli_err("cybex ingest: --ref-time '%s': "
				    "%s\n", optarg, d.message);
				return -1;
			}
			o->has_ref = true;
			break;
		case 'x':
			errno = 0;
			o->flush_s = strtod(optarg, &end);
			if (errno != 0 || *end != '\0' || !(o->flush_s > 0) ||
			    o->flush_s > 86400) {
				cli_err("cybex ingest: --flush '%s' is not "
				    "a number of seconds from 0 to 86400\n",
				    optarg);
				return -1;
			}
			break;
		case 'e':
			errno = 0;
			o->max_errors = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || *optarg == '-') {
				cli_err("cybex ingest: --max-errors '%s' "
				    "is not a number\n", optarg);
				return -1;
			}
			break;
		case 'j':
			o->json = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			cmd_ingest_usage(stdout);
			return 1;
		default:
			cmd_ingest_usage(stderr);
			return -1;
		}
	}
	if (o->format == NULL || cybex_ingest_format_parse(o->format) < 0) {
		cli_err("cybex ingest: --format must be eve, syslog, "
		    "access, postfix, csv or page\n");
		return -1;
	}
	if (optind >= argc) {
		cli_err("cybex ingest: no FILE given ('-' for standard "
		    "input)\n");
		return -1;
	}
	if (o->follow && (argc - optind != 1 || strcmp(argv[optind],
	    "-") == 0)) {
		cli_err("cybex ingest: --follow takes exactly one FILE "
		    "(not standard input)\n");
		return -1;
	}
	return 0;
}

/* The detector settings of --detect-config (NULL = defaults); false on
 * an error (printed). */
static bool
detect_config(const struct opts *o, struct cybex_detect_config **out)
{
	struct cybex_diag d;
	char *text;
	size_t len;
	bool ok;

	*out = NULL;
	if (o->detect_config == NULL)
		return true;
	if ((text = slurp(o->detect_config, &len)) == NULL)
		return false;
	cybex_diag_clear(&d);
	if (cybex_detect_config_new(out) != 0) {
		cybex_free(text);
		return false;
	}
	ok = cybex_detect_config_parse(*out, text, len, &d) == 0;
	if (!ok) {
		cli_err("%s:%lu: error: %s\n", o->detect_config,
		    d.line, d.message);
		cybex_detect_config_free(*out);
		*out = NULL;
	}
	cybex_free(text);
	return ok;
}

int
cmd_ingest(int argc, char **argv)
{
	struct cybex_analysis_opts ao;
	struct cybex_analysis_stats as;
	struct cybex_ingest_opts io;
	struct cybex_ingest_stats rs;
	struct cybex_detect_config *dc = NULL;
	struct cybex_analysis_intel *in = NULL;
	struct cybex_match_stats ms;
	struct cybex_store *s = NULL;
	struct sigaction sa, old_int, old_term;
	struct org_find of;
	struct cybex_diag d;
	struct opts o;
	struct run rn;
	struct ictx ic;
	char *mapping = NULL;
	size_t len, ninvalid = 0;
	double t0 = now_s();
	int i, k, st = EXIT_TROUBLE, worst = EXIT_VALID;

	if ((k = parse(argc, argv, &o)) != 0)
		return k > 0 ? EXIT_VALID : EXIT_TROUBLE;
	memset(&rn, 0, sizeof(rn));
	rn.follow = o.follow;
	if (!detect_config(&o, &dc))
		return EXIT_TROUBLE;
	if (o.mapping != NULL && (mapping = slurp(o.mapping, &len)) == NULL)
		goto out;
	if ((s = cli_store_open("ingest", &o.db, CLI_DB_WRITE, NULL, 0)) ==
	    NULL)
		goto out;
	cybex_diag_clear(&d);
	if (o.org != NULL) {
		of.name = o.org;
		of.found = false;
		if (cybex_store_org_list(s, org_is, &of, &d) != 0) {
			cli_err("cybex ingest: %s\n", d.message);
			goto out;
		}
		if (!of.found) {
			cli_err("cybex ingest: no organization '%s' "
			    "(cybex org add)\n", o.org);
			goto out;
		}
	}
	if (cybex_analysis_intel_load(s, o.indicators, NULL, NULL, &in,
	    &ninvalid, &d) != 0) {
		cli_err("cybex ingest: indicators: %s\n", d.message);
		goto out;
	}
	cybex_match_index_stats(cybex_analysis_intel_index(in), &ms);
	if (ninvalid > 0)
		cli_err("cybex ingest: %zu stored indicators with "
		    "invalid patterns left out\n", ninvalid);
	memset(&ao, 0, sizeof(ao));
	ao.collection = o.collection;
	ao.detect = dc;
	ao.flush_interval_us = (int64_t)(o.flush_s * 1e6);
	if (cybex_analysis_new(s, &ao, &rn.a, &d) != 0) {
		cli_err("cybex ingest: %s\n", d.message);
		goto out;
	}
	cybex_analysis_set_intel(rn.a, in);
	/* Stop cleanly: interrupt reads, write what is pending. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (i = optind; i < argc && !stopping; i++) {
		memset(&io, 0, sizeof(io));
		io.format = (enum cybex_ingest_format)
		    cybex_ingest_format_parse(o.format);
		io.sensor = o.sensor;	/* NULL: the records say */
		io.org = o.org;
		io.mapping = mapping;
		if (o.has_ref)
			io.ref_time_us = o.ref.sec * 1000000 + o.ref.nsec / 1000;
		cybex_diag_clear(&d);
		if (cybex_ingest_reader_new(&io, &rn.rd, &d) != 0) {
			cli_err("%s:%lu: error: %s\n", o.mapping !=
			    NULL ? o.mapping : "cybex ingest", d.line,
			    d.message);
			goto stop;
		}
		memset(&ic, 0, sizeof(ic));
		ic.file = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i];
		ic.max_errors = o.max_errors;
		k = ingest_file(&rn, argv[i], &ic);
		cybex_ingest_reader_stats(rn.rd, &rs);
		cybex_ingest_reader_free(rn.rd);
		rn.rd = NULL;
		rn.tot.lines += rs.lines + ic.lines_long;
		rn.tot.observations += rs.observations;
		rn.tot.skipped += rs.skipped;
		rn.tot.errors += rs.errors + ic.lines_long;
		if (ic.errors > ic.max_errors)
			cli_err("%s: %lu more unreadable record%s not "
			    "shown\n", ic.file, ic.errors - ic.max_errors,
			    ic.errors - ic.max_errors == 1 ? "" : "s");
		if (k != EXIT_VALID) {
			worst = EXIT_TROUBLE;
			if (rn.failed)
				break;
		}
	}
	cybex_diag_clear(&d);
	if (cybex_analysis_flush(rn.a, &d) != 0) {
		cli_err("cybex ingest: writing sightings and alerts: "
		    "%s\n", d.message);
		goto stop;
	}
	cybex_analysis_stats(rn.a, &as);
	if (o.json || !o.quiet)
		summary(&rn, &as, ms.indicators, argc - optind, now_s() - t0,
		    o.json);
	if (worst == EXIT_VALID && rn.tot.errors > 0)
		worst = EXIT_INVALID;
	st = fflush(stdout) == 0 ? worst : EXIT_TROUBLE;
 stop:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
 out:
	cybex_ingest_reader_free(rn.rd);
	cybex_analysis_free(rn.a);
	cybex_analysis_intel_unref(in);
	cybex_detect_config_free(dc);
	cybex_free(mapping);
	cybex_store_close(s);
	return st;
}
