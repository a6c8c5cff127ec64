/*
 * bench_ingest: how fast the readers turn lines into observations.
 *
 *   bench_ingest gen-eve FILE N      N realistic EVE lines (seeded)
 *   bench_ingest gen-sshd FILE N     N sshd syslog lines (seeded)
 *   bench_ingest read FORMAT FILE    read FILE with the reader of FORMAT
 *
 * read prints, for the reader alone (file read in 64 KiB chunks, the line
 * splitter, cybex_ingest_read_line): lines/s and MB/s by CPU time and by
 * wall time, and peak RSS, each measured in a child process.  For eve it
 * also runs the reference in the same run: jansson's json_loadb of each
 * line (JSON_REJECT_DUPLICATES, what the rest of cybex uses) through the
 * same splitter, and prints the ratio.  Never part of pass/fail.
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

#include "cybex/ingest.h"
#include "bench_ingest_gen.h"
#include "bench_util.h"

struct job {
	const char	*path;
	int		 format;	/* -1 = jansson reference */
};

struct res {
	int		 ok;
	double		 wall, cpu;
	unsigned long	 lines, obs, skipped, errors;
	unsigned long long bytes;
	char		 msg[512];
};

static double
cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
run(void *arg, void *out)
{
	const struct job *j = arg;
	struct res *r = out;
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *rd = NULL;
	struct cybex_ingest_lines *l = NULL;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	const char *line;
	static char buf[65536];
	size_t ll;
	unsigned long no;
	ssize_t got;
	json_error_t err;
	json_t *v;
	double w0, c0;
	int fd, rc, eof = 0;

	memset(r, 0, sizeof(*r));
	memset(&o, 0, sizeof(o));
	if ((fd = open(j->path, O_RDONLY)) == -1) {
		snprintf(r->msg, sizeof(r->msg), "%s", strerror(errno));
		return;
	}
	if (j->format >= 0) {
		o.format = (enum cybex_ingest_format)j->format;
		if (cybex_ingest_reader_new(&o, &rd, &d) != 0) {
			snprintf(r->msg, sizeof(r->msg), "%s", d.message);
			close(fd);
			return;
		}
	}
	if (cybex_ingest_lines_new(0, &l) != 0)
		abort();
	w0 = bench_now();
	c0 = cpu_now();
	while (!eof) {
		got = read(fd, buf, sizeof(buf));
		if (got < 0) {
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
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) !=
		    0) {
			r->lines++;
			if (rc < 0) {
				r->errors++;
				continue;
			}
			if (j->format < 0) {
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
			else if (r->errors++ == 0)
				snprintf(r->msg, sizeof(r->msg), "line %lu:%lu: "
				    "%s", d.line, d.column, d.message);
		}
	}
	r->cpu = cpu_now() - c0;
	r->wall = bench_now() - w0;
	r->ok = 1;
 out:
	close(fd);
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(rd);
}

static void
report(const char *what, const struct res *r, long rss)
{
	printf("%-22s %9lu lines %8.3f s cpu %8.3f s wall  %9.0f lines/s "
	    "%7.1f MB/s (cpu)  %9.0f lines/s (wall)  peak RSS %ld KiB\n",
	    what, r->lines, r->cpu, r->wall, r->lines / r->cpu,
	    (double)r->bytes / 1e6 / r->cpu, r->lines / r->wall, rss);
	printf("%-22s observations %lu, skipped %lu, errors %lu%s%s\n", "",
	    r->obs, r->skipped, r->errors, r->msg[0] ? ": " : "", r->msg);
}

static int
cmd_read(const char *fmt, const char *path)
{
	struct job j = { path, cybex_ingest_format_parse(fmt) };
	struct res mine, ref;
	unsigned long long size;
	long rss, rss_ref;

	if (j.format < 0) {
		fprintf(stderr, "bench_ingest: unknown format %s\n", fmt);
		return 1;
	}
	if (bench_warm("bench_ingest", path, &size) != 0)
		return 1;
	printf("file %s: %.1f MB\n", path, (double)size / 1e6);
	if (bench_in_child(run, &j, &mine, sizeof(mine), &rss) != 0 ||
	    !mine.ok) {
		fprintf(stderr, "bench_ingest: reader failed: %s\n", mine.msg);
		return 1;
	}
	report(fmt, &mine, rss);
	if (j.format != CYBEX_INGEST_EVE)
		return 0;
	j.format = -1;
	if (bench_in_child(run, &j, &ref, sizeof(ref), &rss_ref) != 0 ||
	    !ref.ok) {
		fprintf(stderr, "bench_ingest: reference failed: %s\n", ref.msg);
		return 1;
	}
	report("jansson json_loadb", &ref, rss_ref);
	printf("reader / jansson: %.2fx lines/s (cpu)\n",
	    (mine.lines / mine.cpu) / (ref.lines / ref.cpu));
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
			fprintf(stderr, "bench_ingest: bad count %s\n", argv[3]);
			return 1;
		}
		if (bench_gen_file(argv[2], argv[1] + 4, n, 1) != 0) {
			fprintf(stderr, "bench_ingest: %s: %s\n", argv[2],
			    strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "read") == 0)
		return cmd_read(argv[2], argv[3]);
	fprintf(stderr, "usage: bench_ingest gen-eve FILE N\n"
	    "       bench_ingest gen-sshd FILE N\n"
	    "       bench_ingest read FORMAT FILE\n");
	return 2;
}
