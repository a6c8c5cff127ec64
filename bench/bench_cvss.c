/*
 * bench_cvss: how many CVSS vectors cybex parses and scores per second.
 *
 *   bench_cvss [-t SECONDS] FILE...
 *
 * Each FILE holds one vector a line, optionally followed by " - ..." (the
 * format of the conformance files in ../shared/conformance/cvss/redhat/).
 * The vectors of each file are parsed and scored with cybex_cvss_read (all
 * of base, temporal and environmental for v3.x; the one v4.0 score) in
 * rounds over the whole file until at least SECONDS (default 1.0) of
 * thread CPU time have passed; best of 3.  One line per file:
 *
 *   cvss_c file=F vectors=N rounds=R secs=S scores_per_s=X checksum=C
 *
 * checksum is the sum of every vector's scores (v3.x: base + temporal +
 * environmental; v4.0: score) over one round, so the JavaScript reference
 * (bench/cvss_ref.mjs) can be checked to compute the same numbers.
 * Never part of pass/fail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cybex/core.h"
#include "cybex/vuln.h"

struct vecs {
	char	**v;
	size_t	 *len;
	size_t	  n;
	size_t	  cap;
};

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
load(const char *path, struct vecs *vs)
{
	char line[1024], *p;
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "bench_cvss: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strstr(line, " - ")) != NULL)
			*p = '\0';
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (vs->n == vs->cap) {
			size_t nc = vs->cap ? vs->cap * 2 : 1024;
			char **nv = realloc(vs->v, nc * sizeof(*nv));
			size_t *nl;

			if (nv == NULL)
				goto oom;
			vs->v = nv;
			if ((nl = realloc(vs->len, nc * sizeof(*nl))) == NULL)
				goto oom;
			vs->len = nl;
			vs->cap = nc;
		}
		if ((vs->v[vs->n] = strdup(line)) == NULL)
			goto oom;
		vs->len[vs->n++] = n;
	}
	fclose(f);
	return 0;
 oom:
	fclose(f);
	fprintf(stderr, "bench_cvss: out of memory\n");
	return -1;
}

/* One round over every vector; the sum of the scores, or -1 on error. */
static double
round_once(const struct vecs *vs)
{
	struct cybex_cvss c;
	struct cybex_diag d;
	double sum = 0;
	size_t i;

	for (i = 0; i < vs->n; i++) {
		if (cybex_cvss_read(vs->v[i], vs->len[i], &c, &d) != 0) {
			fprintf(stderr, "bench_cvss: %s: column %lu: %s\n",
			    vs->v[i], d.column, d.message);
			return -1;
		}
		if (c.version == CYBEX_CVSS_V40)
			sum += c.score;
		else
			sum += c.base + c.temporal + c.environmental;
	}
	return sum;
}

int
main(int argc, char **argv)
{
	double secs = 1.0, best, t0, t, sum;
	unsigned long rounds, r;
	char *end;
	int i, k, arg = 1;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		errno = 0;
		secs = strtod(argv[2], &end);
		if (errno != 0 || *end != '\0' || secs <= 0 || secs > 600) {
			fprintf(stderr, "bench_cvss: bad -t %s\n", argv[2]);
			return 2;
		}
		arg = 3;
	}
	if (arg >= argc) {
		fprintf(stderr, "usage: bench_cvss [-t SECONDS] FILE...\n");
		return 2;
	}
	for (i = arg; i < argc; i++) {
		struct vecs vs = { 0 };
		size_t j;

		if (load(argv[i], &vs) != 0)
			return 1;
		if (vs.n == 0) {
			fprintf(stderr, "bench_cvss: %s: no vectors\n", argv[i]);
			return 1;
		}
		if ((sum = round_once(&vs)) < 0)
			return 1;
		best = 0;
		rounds = 0;
		for (k = 0; k < 3; k++) {
			r = 0;
			t0 = cpu();
			do {
				if (round_once(&vs) < 0)
					return 1;
				r++;
			} while ((t = cpu() - t0) < secs);
			if (best == 0 || t / (double)r < best / (double)rounds) {
				best = t;
				rounds = r;
			}
		}
		printf("cvss_c file=%s vectors=%zu rounds=%lu secs=%.3f "
		    "scores_per_s=%.0f checksum=%.1f\n", argv[i], vs.n, rounds,
		    best, (double)vs.n * (double)rounds / best, sum);
		for (j = 0; j < vs.n; j++)
			free(vs.v[j]);
		free(vs.v);
		free(vs.len);
	}
	return 0;
}
