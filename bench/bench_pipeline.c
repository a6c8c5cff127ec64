/*
 * bench_pipeline: observations per second end to end: read, normalize,
 * match against a million indicators, detect, aggregate.
 *
 *   bench_pipeline gen-eve FILE N        N realistic EVE lines (seeded)
 *   bench_pipeline gen-sshd FILE N       N sshd syslog lines (seeded)
 *   bench_pipeline run FORMAT FILE [INDICATORS [HIT_EVERY [DB]]]
 *
 * run builds INDICATORS (default 1,000,000) exact-value indicators: one
 * for a value of every HIT_EVERY-th record of FILE (default 50: the
 * destination address, or the name asked for, the host or the SNI), so
 * about that share of records hits, and random ones of the same mix for
 * the rest (IPv4 40%, domains 25%, URLs 15%, SHA-256 10%, MD5 10%).
 * Then, each in its own child process (so the peak RSS is its own):
 *
 *   jansson    json_loadb of each line through the same line splitter
 *              (eve only: the reference, in the same run)
 *   read       the ingest reader alone: read + normalize
 *   pipeline   read + normalize + match + detect + sighting aggregates,
 *              writing nothing (the index is built before the clock runs)
 *   stored     the same writing sightings and alerts to a new SQLite
 *              database DB (given: its flushes are measured too)
 *
 * Rates are per CPU second of the process (time-slicing on a busy machine
 * does not count against them) and per wall second.  Pin it to one core
 * with `taskset -c 0`.  The last line, "pipeline_summary: ...", is for
 * scripts.  Never part of pass/fail.
 */
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cybex/analysis.h"
#include "cybex/ingest.h"
#include "bench_ingest_gen.h"
#include "bench_util.h"

enum mode { M_JANSSON, M_READ, M_PIPELINE };

struct job {
	const char	*path;
	int		 format;
	enum mode	 mode;
	unsigned long	 indicators;
	unsigned long	 hit_every;
	const char	*db;		/* M_PIPELINE: NULL = no store */
};

struct res {
	int		 ok;
	double		 wall, cpu;
	double		 build_s;	/* the index */
	double		 build_cpu;
	long		 rss_ready_kb;	/* index built, before the stream */
	double		 flush_s;	/* the last flush */
	unsigned long	 lines, obs, skipped, errors;
	unsigned long long bytes;
	unsigned long	 indicators;
	struct cybex_analysis_stats as;
	char		 msg[512];
};

static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the indicators ---- */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int
add(struct cybex_analysis_intel_builder *b, unsigned long n,
    const char *path, const char *value)
{
	char id[64], pat[600];
	struct cybex_diag d;
	json_t *o;
	int r;

	if (strlen(value) > 400 || strchr(value, '\'') != NULL ||
	    strchr(value, '\\') != NULL)
		return 0;
	snprintf(id, sizeof(id), "indicator--%08lx-0000-4000-8000-%012lx",
	    n >> 16, n);
	snprintf(pat, sizeof(pat), "[%s = '%s']", path, value);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type",
	    "indicator", "id", id, "pattern", pat, "pattern_type", "stix",
	    "valid_from", "2020-01-01T00:00:00Z", "modified",
	    "2020-01-01T00:00:00Z", "indicator_types", "malicious-activity");
	if (o == NULL)
		return -1;
	r = cybex_analysis_intel_builder_add(b, o, &d);
	json_decref(o);
	return r == 0 || r == CYBEX_EFORMAT ? 0 : -1;
}

/* Values of every hit_every-th record of the file become indicators. */
static int
hit_indicators(const struct job *j, struct cybex_analysis_intel_builder *b,
    unsigned long *n, struct res *r)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *rd = NULL;
	struct cybex_ingest_lines *l = NULL;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	static char buf[65536];
	char ip[64];
	const char *line;
	unsigned long no, k = 0;
	size_t ll;
	ssize_t got;
	int fd, rc, eof = 0, st = -1;

	memset(&o, 0, sizeof(o));
	o.format = (enum cybex_ingest_format)j->format;
	if ((fd = open(j->path, O_RDONLY)) < 0 ||
	    cybex_ingest_reader_new(&o, &rd, &d) != 0 ||
	    cybex_ingest_lines_new(0, &l) != 0) {
		snprintf(r->msg, sizeof(r->msg), "cannot read %s", j->path);
		goto out;
	}
	while (!eof && *n < j->indicators) {
		if ((got = read(fd, buf, sizeof(buf))) < 0)
			goto out;
		if (got == 0) {
			eof = 1;
			cybex_ingest_lines_finish(l);
		} else if (cybex_ingest_lines_feed(l, buf, (size_t)got) != 0)
			goto out;
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0 &&
		    *n < j->indicators) {
			if (rc < 0 || cybex_ingest_read_line(rd, line, ll, no,
			    &ob, &d) != 1 || k++ % j->hit_every != 0)
				continue;
			if (ob->dns_query != NULL)
				rc = add(b, (*n)++, "domain-name:value",
				    ob->dns_query);
			else if (ob->http_host != NULL)
				rc = add(b, (*n)++, "domain-name:value",
				    ob->http_host);
			else if (ob->tls_sni != NULL)
				rc = add(b, (*n)++, "domain-name:value",
				    ob->tls_sni);
			else if (ob->src_ip.family == 4 &&
			    ob->src_ip_text != NULL && ob->src_ip.a[0] != 10) {
				snprintf(ip, sizeof(ip), "%s", ob->src_ip_text);
				rc = add(b, (*n)++, "ipv4-addr:value", ip);
			} else if (ob->dst_ip.family == 4 &&
			    ob->dst_ip_text != NULL) {
				snprintf(ip, sizeof(ip), "%s", ob->dst_ip_text);
				rc = add(b, (*n)++, "ipv4-addr:value", ip);
			} else
				rc = 0;
			if (rc != 0)
				goto out;
		}
	}
	st = 0;
 out:
	if (fd >= 0)
		close(fd);
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(rd);
	return st;
}

/* The rest: random values of the usual mix. */
static int
filler(const struct job *j, struct cybex_analysis_intel_builder *b,
    unsigned long *n)
{
	static const char *const tld[] = { "com", "net", "org", "ru", "cn",
	    "info", "top", "xyz" };
	uint64_t s = 0x9e3779b97f4a7c15ULL, x;
	char v[200], h[65];
	unsigned k, i;
	int rc;

	while (*n < j->indicators) {
		x = rnd(&s);
		k = (unsigned)(x % 100);
		if (k < 40) {
			snprintf(v, sizeof(v), "%u.%u.%u.%u",
			    1 + (unsigned)((x >> 8) % 222),
			    (unsigned)(x >> 16) & 255, (unsigned)(x >> 24) & 255,
			    1 + (unsigned)((x >> 32) % 254));
			rc = add(b, (*n)++, "ipv4-addr:value", v);
		} else if (k < 65) {
			snprintf(v, sizeof(v), "bad%llx.%s",
			    (unsigned long long)(x >> 20), tld[(x >> 8) % 8]);
			rc = add(b, (*n)++, "domain-name:value", v);
		} else if (k < 80) {
			snprintf(v, sizeof(v), "http://host%llx.%s/p/%llx.php",
			    (unsigned long long)(x >> 40), tld[(x >> 8) % 8],
			    (unsigned long long)(x & 0xffffff));
			rc = add(b, (*n)++, "url:value", v);
		} else {
			for (i = 0; i < 64; i++) {
				if (i % 16 == 0)
					x = rnd(&s);
				h[i] = "0123456789abcdef"[(x >> (4 * (i % 16))) &
				    15];
			}
			h[k < 90 ? 64 : 32] = '\0';
			rc = add(b, (*n)++, k < 90 ? "file:hashes.'SHA-256'" :
			    "file:hashes.MD5", h);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

static struct cybex_analysis_intel *
intel(const struct job *j, struct res *r)
{
	struct cybex_analysis_intel_builder *b = NULL;
	struct cybex_analysis_intel *in = NULL;
	struct cybex_match_stats ms;
	struct cybex_diag d;
	unsigned long n = 0;
	double t0 = bench_now(), c0 = cpu_now();

	if (cybex_analysis_intel_builder_new(NULL, NULL, &b) != 0 ||
	    hit_indicators(j, b, &n, r) != 0 || filler(j, b, &n) != 0 ||
	    cybex_analysis_intel_builder_build(b, &in, &d) != 0) {
		if (r->msg[0] == '\0')
			snprintf(r->msg, sizeof(r->msg), "building the index "
			    "failed");
		cybex_analysis_intel_builder_free(b);
		return NULL;
	}
	cybex_analysis_intel_builder_free(b);
	cybex_match_index_stats(cybex_analysis_intel_index(in), &ms);
	r->indicators = ms.indicators;
	r->build_s = bench_now() - t0;
	r->build_cpu = cpu_now() - c0;
	return in;
}

/* ---- one measurement ---- */

/* The resident set now (KiB), from /proc. */
static long
rss_now(void)
{
	char line[256];
	long kb = 0;
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static void
run(void *arg, void *out)
{
	const struct job *j = arg;
	struct res *r = out;
	struct cybex_analysis_opts ao;
	struct cybex_ingest_opts o;
	struct cybex_ingest_stats rs;
	struct cybex_analysis_intel *in = NULL;
	struct cybex_ingest_reader *rd = NULL;
	struct cybex_ingest_lines *l = NULL;
	struct cybex_analysis *a = NULL;
	struct cybex_store *s = NULL;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	static char buf[65536];
	const char *line;
	size_t ll;
	unsigned long no;
	ssize_t got;
	json_error_t err;
	json_t *v;
	double w0, c0, f0;
	int fd = -1, rc, eof = 0;

	memset(r, 0, sizeof(*r));
	memset(&o, 0, sizeof(o));
	o.format = (enum cybex_ingest_format)j->format;
	if (j->mode == M_PIPELINE) {
		if ((in = intel(j, r)) == NULL)
			return;
		if (j->db != NULL && cybex_store_open(j->db, 0, &s, &d) != 0) {
			snprintf(r->msg, sizeof(r->msg), "%s", d.message);
			goto out;
		}
		memset(&ao, 0, sizeof(ao));
		ao.flush_interval_us = -1;	/* once, at the end */
		if (cybex_analysis_new(s, &ao, &a, &d) != 0) {
			snprintf(r->msg, sizeof(r->msg), "%s", d.message);
			goto out;
		}
		cybex_analysis_set_intel(a, in);
		r->rss_ready_kb = rss_now();
	}
	if ((fd = open(j->path, O_RDONLY)) == -1) {
		snprintf(r->msg, sizeof(r->msg), "%s", strerror(errno));
		goto out;
	}
	if ((j->mode != M_JANSSON && cybex_ingest_reader_new(&o, &rd,
	    &d) != 0) || cybex_ingest_lines_new(0, &l) != 0) {
		snprintf(r->msg, sizeof(r->msg), "cannot make a reader");
		goto out;
	}
	w0 = bench_now();
	c0 = cpu_now();
	while (!eof) {
		if ((got = read(fd, buf, sizeof(buf))) < 0) {
			snprintf(r->msg, sizeof(r->msg), "%s", strerror(errno));
			goto out;
		}
		if (got == 0) {
			eof = 1;
			cybex_ingest_lines_finish(l);
		} else {
			r->bytes += (unsigned long long)got;
			if (cybex_ingest_lines_feed(l, buf, (size_t)got) != 0)
				abort();
		}
		if (j->mode == M_PIPELINE) {
			if (cybex_analysis_feed(a, rd, l, NULL, NULL, &d) != 0) {
				snprintf(r->msg, sizeof(r->msg), "%s", d.message);
				goto out;
			}
			continue;
		}
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) !=
		    0) {
			r->lines++;
			if (rc < 0) {
				r->errors++;
				continue;
			}
			if (j->mode == M_JANSSON) {
				v = json_loadb(line, ll, JSON_REJECT_DUPLICATES,
				    &err);
				if (v == NULL)
					r->errors++;
				else
					r->obs++;
				json_decref(v);
				continue;
			}
			rc = cybex_ingest_read_line(rd, line, ll, no, &ob, &d);
			if (rc == 1)
				r->obs++;
			else if (rc == 0)
				r->skipped++;
			else
				r->errors++;
		}
	}
	f0 = bench_now();
	if (a != NULL && cybex_analysis_flush(a, &d) != 0) {
		snprintf(r->msg, sizeof(r->msg), "flush: %s", d.message);
		goto out;
	}
	r->flush_s = bench_now() - f0;
	r->cpu = cpu_now() - c0;
	r->wall = bench_now() - w0;
	if (a != NULL) {
		cybex_analysis_stats(a, &r->as);
		cybex_ingest_reader_stats(rd, &rs);
		r->lines = rs.lines;
		r->obs = rs.observations;
		r->skipped = rs.skipped;
		r->errors = rs.errors;
	}
	r->ok = 1;
 out:
	if (fd >= 0)
		close(fd);
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(rd);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
	cybex_store_close(s);
}

static void
report(const char *what, const struct res *r, long rss)
{
	printf("%-10s %9lu lines %8.3f s cpu %8.3f s wall %9.0f lines/s "
	    "%7.1f MB/s (cpu) %9.0f lines/s (wall)  peak RSS %ld MiB\n",
	    what, r->lines, r->cpu, r->wall, r->lines / r->cpu,
	    (double)r->bytes / 1e6 / r->cpu, r->lines / r->wall, rss / 1024);
}

static int
measure(struct job *j, enum mode m, const char *what, struct res *r,
    long *rss)
{
	j->mode = m;
	if (bench_in_child(run, j, r, sizeof(*r), rss) != 0 || !r->ok) {
		fprintf(stderr, "bench_pipeline: %s failed: %s\n", what, r->msg);
		return -1;
	}
	report(what, r, *rss);
	return 0;
}

static int
cmd_run(int argc, char **argv)
{
	struct job j;
	struct res ref, rd, pl, st;
	unsigned long long size;
	long rss_ref = 0, rss_rd, rss_pl, rss_st = 0;
	const char *db;
	char *end;

	memset(&j, 0, sizeof(j));
	memset(&ref, 0, sizeof(ref));
	j.format = cybex_ingest_format_parse(argv[2]);
	j.path = argv[3];
	j.indicators = argc > 4 ? strtoul(argv[4], &end, 10) : 1000000;
	j.hit_every = argc > 5 ? strtoul(argv[5], &end, 10) : 50;
	db = argc > 6 ? argv[6] : NULL;
	if (j.format < 0 || j.hit_every == 0) {
		fprintf(stderr, "bench_pipeline: bad format or HIT_EVERY\n");
		return 1;
	}
	if (bench_warm("bench_pipeline", j.path, &size) != 0)
		return 1;
	printf("file %s: %.1f MB, format %s\n", j.path, (double)size / 1e6,
	    argv[2]);
	if (j.format == CYBEX_INGEST_EVE &&
	    measure(&j, M_JANSSON, "jansson", &ref, &rss_ref) != 0)
		return 1;
	if (measure(&j, M_READ, "read", &rd, &rss_rd) != 0 ||
	    measure(&j, M_PIPELINE, "pipeline", &pl, &rss_pl) != 0)
		return 1;
	printf("           %lu indicators indexed in %.2f s (%.2f s cpu), RSS "
	    "%ld MiB before the stream; %llu hits in %llu observations, %llu "
	    "alerts, %llu compound evaluations\n", pl.indicators, pl.build_s,
	    pl.build_cpu, pl.rss_ready_kb / 1024, (unsigned long long)pl.as.hits,
	    (unsigned long long)pl.as.matched,
	    (unsigned long long)pl.as.alerts,
	    (unsigned long long)pl.as.general_lookups);
	if (db != NULL) {
		j.db = db;
		if (measure(&j, M_PIPELINE, "stored", &st, &rss_st) != 0)
			return 1;
		printf("           the final flush wrote %llu sighting versions "
		    "and %llu alerts in %.2f s\n",
		    (unsigned long long)st.as.sightings_updated,
		    (unsigned long long)(st.as.alerts_added +
		    st.as.alerts_updated), st.flush_s);
	}
	if (ref.cpu > 0)
		printf("pipeline / jansson parse alone: %.2fx lines/s (cpu)\n",
		    (pl.lines / pl.cpu) / (ref.lines / ref.cpu));
	printf("pipeline_summary: format=%s lines=%lu lines_per_s=%.0f "
	    "mb_per_s=%.1f wall_lines_per_s=%.0f rss_kb=%ld indicators=%lu "
	    "build_s=%.2f hits=%llu alerts=%llu jansson_lines_per_s=%.0f "
	    "read_lines_per_s=%.0f\n", argv[2], pl.lines, pl.lines / pl.cpu,
	    (double)pl.bytes / 1e6 / pl.cpu, pl.lines / pl.wall, rss_pl,
	    pl.indicators, pl.build_s, (unsigned long long)pl.as.hits,
	    (unsigned long long)pl.as.alerts,
	    ref.cpu > 0 ? ref.lines / ref.cpu : 0.0, rd.lines / rd.cpu);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned long n;
	char *end;

	if (argc == 4 && (strcmp(argv[1], "gen-eve") == 0 ||
	    strcmp(argv[1], "gen-sshd") == 0)) {
		errno = 0;
		n = strtoul(argv[3], &end, 10);
		if (errno != 0 || *end != '\0' || n == 0) {
			fprintf(stderr, "bench_pipeline: bad count %s\n",
			    argv[3]);
			return 1;
		}
		if (bench_gen_file(argv[2], argv[1] + 4, n, 1) != 0) {
			fprintf(stderr, "bench_pipeline: %s: %s\n", argv[2],
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc >= 4 && argc <= 7 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv);
	fprintf(stderr, "usage: bench_pipeline gen-eve FILE N\n"
	    "       bench_pipeline gen-sshd FILE N\n"
	    "       bench_pipeline run FORMAT FILE [INDICATORS [HIT_EVERY "
	    "[DB]]]\n");
	return 2;
}
