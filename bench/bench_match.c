/*
 * bench_match: how fast the indicator index answers and how much memory
 * it takes.
 *
 *   bench_match [-n INDICATORS] [-l LOOKUPS] [-r REFERENCE_PATTERNS]
 *
 * Builds an index of INDICATORS (default 1,000,000) exact-value
 * indicators (IPv4 addresses 40%, domains 25%, SHA-256 hashes 15%, URLs
 * 10%, IPv4 CIDRs 5%, destination ports and AS numbers 5%), deterministic,
 * and reports:
 *   - build time and memory: bytes per exact-value indicator (target at
 *     most 200) and peak RSS;
 *   - lookups per CPU second on one core through cybex_match_lookup_value
 *     (the path a sensor pipeline uses; target at least 2,000,000/s),
 *     1% of them hits by default (-m); CPU time of the thread, so a busy machine does
 *     not skew it (wall-clock rate printed too);
 *   - lookups/s through cybex_match_lookup on single-SCO observations
 *     (the JSON walk included);
 *   - the reference in the same run: the plain evaluator on the same
 *     observations against REFERENCE_PATTERNS (default 2,000) of the
 *     patterns, scaled to the full set (what matching costs without the
 *     index).
 * Never part of pass/fail.
 */
#include <sys/resource.h>
#include <sys/time.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/match.h"
#include "cybex/pattern.h"

static uint64_t state = 0x853c49e6748fea9bULL;

static uint64_t
rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this thread: a busy machine does not skew the rates. */
static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

enum kind { K_IP, K_DOMAIN, K_HASH, K_URL, K_CIDR, K_PORT, K_ASN, K_N };

static const char *const field_names[K_N] = {
	"ipv4-addr:value", "domain-name:value", "file:hashes.'SHA-256'",
	"url:value", "ipv4-addr:value", "network-traffic:dst_port",
	"autonomous-system:number",
};

static enum kind
kind_of(uint64_t i)
{
	unsigned x = (unsigned)(i * 2654435761u % 100);

	if (x < 40)
		return K_IP;
	if (x < 65)
		return K_DOMAIN;
	if (x < 80)
		return K_HASH;
	if (x < 90)
		return K_URL;
	if (x < 95)
		return K_CIDR;
	return x < 97 ? K_PORT : K_ASN;
}

/* The value of indicator i (or of a miss when miss is set). */
static void
value_of(uint64_t i, bool miss, char *out, size_t outsz)
{
	uint64_t h = (i + 1 + (miss ? 0x10000000000ULL : 0)) *
	    0x9e3779b97f4a7c15ULL;

	switch (kind_of(i)) {
	case K_IP:
		snprintf(out, outsz, "%u.%u.%u.%u", (unsigned)(h >> 56) % 223 + 1,
		    (unsigned)(h >> 48) & 255, (unsigned)(h >> 40) & 255,
		    (unsigned)(h >> 32) & 255);
		break;
	case K_DOMAIN:
		snprintf(out, outsz, "h%016" PRIx64 ".example%u.com", h,
		    (unsigned)(i % 97));
		break;
	case K_HASH:
		snprintf(out, outsz, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64
		    "%016" PRIx64, h, h * 3, h * 5, h * 7);
		break;
	case K_URL:
		snprintf(out, outsz, "http://site%u.example.net/p/%016" PRIx64,
		    (unsigned)(i % 1000), h);
		break;
	case K_CIDR:
		snprintf(out, outsz, "%u.%u.%u.0/24", (unsigned)(h >> 56) % 223 + 1,
		    (unsigned)(h >> 48) & 255, (unsigned)(h >> 40) & 255);
		break;
	case K_PORT:
		snprintf(out, outsz, "%u", (unsigned)(h >> 40) % 65536);
		break;
	default:
		snprintf(out, outsz, "%u", (unsigned)(h >> 33) % 400000);
		break;
	}
}

static void
pattern_of(uint64_t i, char *out, size_t outsz)
{
	char v[160];

	value_of(i, false, v, sizeof(v));
	switch (kind_of(i)) {
	case K_CIDR:
		snprintf(out, outsz, "[ipv4-addr:value ISSUBSET '%s']", v);
		break;
	case K_PORT:
	case K_ASN:
		snprintf(out, outsz, "[%s = %s]", field_names[kind_of(i)], v);
		break;
	default:
		snprintf(out, outsz, "[%s = '%s']", field_names[kind_of(i)], v);
		break;
	}
}

/* Percent of probes that hit (the stream: 1%); -m sets it. */
static unsigned hit_pct = 1;

/* A value to look up for probe j: a hit for hit_pct of every 100. */
static enum kind
probe_of(uint64_t n, uint64_t j, char *out, size_t outsz)
{
	uint64_t i = rnd() % n;
	enum kind k = kind_of(i);
	bool miss = j % 100 >= hit_pct;
	char *slash;

	value_of(i, miss, out, outsz);
	if (k == K_CIDR) {		/* an address inside the prefix */
		if ((slash = strrchr(out, '/')) != NULL)
			*slash = '\0';
		out[strlen(out) - 1] = miss ? '1' : '7';
		k = K_IP;
	}
	return k;
}

#define PROBES_MAX	1000000

struct probe {
	enum kind	 kind;
	char		*s;
	size_t		 len;
	int64_t		 num;
};

static void
usage(void)
{
	fprintf(stderr, "usage: bench_match [-n INDICATORS] [-l LOOKUPS] "
	    "[-r REFERENCE_PATTERNS] [-m HIT_PERCENT]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	uint64_t n = 1000000, lookups = 4000000, nref = 2000, i, hits = 0;
	struct cybex_match_builder *b;
	struct cybex_match_index *ix;
	struct cybex_match_scratch *sc;
	struct cybex_match_hits h = { 0 };
	struct cybex_match_stats st;
	struct cybex_pattern_obsset *set;
	struct cybex_pattern **ref;
	struct cybex_pattern_result res;
	struct cybex_diag d;
	struct cybex_time t0;
	int fields[K_N], ch, k;
	char p[256], v[160], id[80];
	double t, dt, c, dc, rate, refrate, obsrate;
	json_t *o, *sco;
	uint64_t nobs = 100000, refobs = 200, nprobe;
	struct probe *probes;
	char *pool;
	size_t poolen;
	long rss0;

	while ((ch = getopt(argc, argv, "n:l:r:m:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoull(optarg, NULL, 10);
			break;
		case 'l':
			lookups = strtoull(optarg, NULL, 10);
			break;
		case 'm':
			hit_pct = (unsigned)strtoul(optarg, NULL, 10);
			if (hit_pct > 100)
				usage();
			break;
		case 'r':
			nref = strtoull(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (n == 0 || lookups == 0)
		usage();
	if (nref > n)
		nref = n;
	rss0 = peak_rss_kb();
	if (cybex_time_parse("2024-01-01T00:00:00Z", 20, CYBEX_TIME_UTC_Z, &t0,
	    NULL) != 0 || cybex_match_builder_new(NULL, &t0, &b) != 0)
		return 1;

	/* ---- build ---- */
	t = now();
	for (i = 0; i < n; i++) {
		pattern_of(i, p, sizeof(p));
		snprintf(id, sizeof(id), "indicator--%08" PRIx64
		    "-0000-4000-8000-%012" PRIx64, i >> 48, i & (uint64_t)0xffffffffffff);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "indicator",
		    "id", id, "pattern", p, "pattern_type", "stix",
		    "valid_from", "2020-01-01T00:00:00Z");
		if (o == NULL || cybex_match_builder_add(b, o, &d) != 0) {
			fprintf(stderr, "bench_match: %s: %s\n", p, d.message);
			return 1;
		}
		json_decref(o);
	}
	dt = now() - t;
	t = now();
	if (cybex_match_builder_build(b, &ix, &d) != 0) {
		fprintf(stderr, "bench_match: build: %s\n", d.message);
		return 1;
	}
	cybex_match_builder_free(b);
	cybex_match_index_stats(ix, &st);
	printf("indicators        %" PRIu64 " exact-value (%zu exact keys, "
	    "%zu CIDRs, %zu fields)\n", n, st.exact_values, st.cidr_values,
	    st.fields);
	printf("add               %.2f s (%.0f indicators/s: JSON, parse, "
	    "check, classify)\n", dt, n / dt);
	printf("build             %.2f s\n", now() - t);
	printf("memory            %zu bytes per exact-value indicator "
	    "(target <= 200); index %.1f MB; peak RSS %.1f MB (%.1f MB "
	    "before)\n", st.exact_memory / (st.exact_indicators ?
	    st.exact_indicators : 1), st.memory / 1048576.0,
	    peak_rss_kb() / 1024.0, rss0 / 1024.0);

	/* ---- the value path: probes made first, then timed ---- */
	if (cybex_match_scratch_new(&sc) != 0)
		return 1;
	for (k = 0; k < K_N; k++)
		fields[k] = cybex_match_field(ix, field_names[k]);
	nprobe = lookups < PROBES_MAX ? lookups : PROBES_MAX;
	if ((probes = calloc(nprobe, sizeof(*probes))) == NULL)
		return 1;
	/* one pool, in order: a sensor's value is in cache already */
	if ((pool = malloc(nprobe * 160)) == NULL)
		return 1;
	for (i = 0, poolen = 0; i < nprobe; i++) {
		probes[i].kind = probe_of(n, i, v, sizeof(v));
		probes[i].len = strlen(v);
		probes[i].s = pool + poolen;
		memcpy(pool + poolen, v, probes[i].len + 1);
		poolen += probes[i].len + 1;
		probes[i].num = strtoll(v, NULL, 10);
	}
	t = now();
	c = cpu();
	for (i = 0; i < lookups; i++) {
		const struct probe *pr = &probes[i % nprobe];

		if (pr->kind == K_PORT || pr->kind == K_ASN)
			(void)cybex_match_lookup_int(ix, fields[pr->kind],
			    pr->num, sc, &h);
		else
			(void)cybex_match_lookup_value(ix, fields[pr->kind],
			    pr->s, pr->len, sc, &h);
		hits += h.n;
	}
	dc = cpu() - c;
	dt = now() - t;
	rate = lookups / dc;
	printf("lookup_value      %.0f lookups per CPU second on one core "
	    "(target >= 2000000; %.0f/s wall), %" PRIu64 " hits in %" PRIu64
	    " lookups\n", rate, lookups / dt, hits, lookups);
	free(pool);
	free(probes);

	/* ---- observations ---- */
	if (cybex_pattern_obsset_new(nobs, &set) != 0)
		return 1;
	for (i = 0; i < nobs; i++) {
		enum kind kk = probe_of(n, i, v, sizeof(v));

		if (kk == K_PORT || kk == K_ASN)
			sco = json_pack("{s:s, s:I, s:[s]}", "type", kk == K_PORT ?
			    "network-traffic" : "autonomous-system",
			    kk == K_PORT ? "dst_port" : "number",
			    (json_int_t)strtoll(v, NULL, 10), "protocols", "tcp");
		else
			sco = json_pack("{s:s, s:s}", "type",
			    kk == K_IP ? "ipv4-addr" : kk == K_DOMAIN ?
			    "domain-name" : kk == K_URL ? "url" : "file",
			    kk == K_HASH ? "x" : "value", v);
		if (kk == K_HASH)
			json_object_set_new(sco, "hashes", json_pack("{s:s}",
			    "SHA-256", v));
		if (sco == NULL || cybex_pattern_obsset_add_scos(set, &sco, 1,
		    &t0, &t0, 1, NULL) != 0)
			return 1;
		json_decref(sco);
	}
	hits = 0;
	c = cpu();
	for (i = 0; i < nobs; i++) {
		(void)cybex_match_lookup(ix, set, i, sc, &h, NULL);
		hits += h.n;
	}
	obsrate = nobs / (cpu() - c);
	printf("lookup (SCO)      %.0f observations per CPU second, %" PRIu64
	    " hits in %" PRIu64 "\n", obsrate, hits, nobs);

	/* ---- the reference: evaluate patterns one by one ---- */
	if ((ref = calloc(nref, sizeof(*ref))) == NULL)
		return 1;
	for (i = 0; i < nref; i++) {
		pattern_of(i * (n / nref), p, sizeof(p));
		if (cybex_pattern_new(p, strlen(p), NULL, NULL, NULL, &ref[i],
		    NULL) != 0)
			return 1;
	}
	c = cpu();
	for (i = 0; i < refobs; i++) {
		uint64_t j;

		for (j = 0; j < nref; j++) {
			(void)cybex_pattern_match_one(ref[j], set, i, NULL,
			    &res, NULL);
			cybex_pattern_result_clear(&res);
		}
	}
	dc = cpu() - c;
	refrate = refobs / dc * ((double)nref / (double)n);
	printf("reference         %.1f observations per CPU second evaluating "
	    "all %" PRIu64
	    " patterns one by one (measured on %" PRIu64 "): the index is "
	    "%.0fx faster\n", refrate, n, nref, obsrate / refrate);
	for (i = 0; i < nref; i++)
		cybex_pattern_free(ref[i]);
	free(ref);
	printf("peak RSS          %.1f MB\n", peak_rss_kb() / 1024.0);
	cybex_match_hits_free(&h);
	cybex_match_scratch_free(sc);
	cybex_pattern_obsset_free(set);
	cybex_match_index_unref(ix);
	return 0;
}
