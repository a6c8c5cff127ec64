/*
 * bench_detect: observations per second through all the detectors, on
 * generated mixed traffic (the unit tests' generator: web, DNS, mail,
 * logins, a steady server load, page checks, feed entries, with a scan,
 * a brute force, phishing look-ups, a DDoS, a beacon and spam mixed in),
 * and the memory it takes.
 *
 *   bench_detect [-n OBSERVATIONS] [-s SEED] [-f]
 *
 * -f: normal traffic only (no attacks), and every alert is a false
 * positive: prints them by detector and the rate per million.
 *
 * Default 4,000,000 observations (about 33 minutes of traffic at 2,000
 * observations/s) with the default settings and protected names.  The
 * generator's own cost is measured alone first (same seed, same count)
 * and taken off, so the rate is that of the detectors: CPU time of this
 * thread, so a busy machine does not skew it.  Peak RSS of the process
 * and the detectors' own bound (cybex_detect_stats) are printed.
 * Never part of pass/fail.
 */
#include <sys/resource.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/detect.h"
#include "gen.h"

#define T0	1709251200000000LL

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

static int	fp_only;

static int
count_alert(void *ud, const struct cybex_alert *a)
{
	(*(uint64_t *)ud)++;
	if (fp_only)
		printf("false positive: %s %s: %s\n", a->detector, a->key,
		    a->summary);
	return 0;
}

/* The attacks, one started every 150 s of traffic, in turn. */
static const enum gen_attack attacks[] = {
	ATK_SCAN, ATK_BRUTE, ATK_PHISH, ATK_DDOS, ATK_BEACON, ATK_SPAM,
	ATK_PHARM, ATK_DEFACE, ATK_VSCAN, ATK_SPRAY, ATK_SPAMLISTED,
};
#define NATK	(sizeof(attacks) / sizeof(attacks[0]))

static volatile uint64_t sink;

/* One pass; with dt NULL only the generator runs. */
static uint64_t
pass(struct cybex_detect *dt, uint64_t seed, uint64_t n, uint64_t *alerts)
{
	struct gen_atk atk[NATK];
	const struct cybex_obs *o;
	struct gen g;
	uint64_t i, seen = 0;
	size_t k, next = 0;
	int64_t every = 150000000, start;

	memset(atk, 0, sizeof(atk));
	gen_init(&g, seed, T0, NULL);
	start = g.now;
	for (i = 0; i < n; i++) {
		if (!fp_only && g.now - start >= every * (int64_t)(next + 1) &&
		    next < 1000) {
			k = next % NATK;
			if (atk[k].left == 0)
				gen_attack(&g, &atk[k], attacks[k], 1);
			next++;
		}
		o = NULL;
		for (k = 0; k < NATK && o == NULL; k++)
			o = gen_attack_next(&g, &atk[k]);
		if (o == NULL)
			o = gen_normal(&g);
		seen++;
		sink += (uint64_t)o->kind;	/* the generator's work is used */
		if (dt != NULL && cybex_detect_observe(dt, o, count_alert,
		    alerts) != 0) {
			fprintf(stderr, "bench_detect: observe failed\n");
			exit(1);
		}
	}
	return seen;
}

int
main(int argc, char **argv)
{
	struct cybex_detect_config *c;
	struct cybex_detect *dt;
	struct cybex_detect_stats st;
	struct cybex_diag d;
	uint64_t n = 4000000, seed = 1, alerts = 0;
	double t0, tgen, tall, net;
	char *end;
	int ch;

	while ((ch = getopt(argc, argv, "fn:s:")) != -1) {
		switch (ch) {
		case 'f':
			fp_only = 1;
			break;
		case 'n':
		case 's':
			errno = 0;
			if (ch == 'n')
				n = strtoull(optarg, &end, 10);
			else
				seed = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg) {
				fprintf(stderr, "bench_detect: bad -%c\n", ch);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: bench_detect [-n OBSERVATIONS] "
			    "[-s SEED] [-f]\n");
			return 2;
		}
	}
	if (cybex_detect_config_new(&c) != 0 ||
	    cybex_detect_config_parse(c, GEN_PROTECTED, strlen(GEN_PROTECTED),
	    &d) != 0 || cybex_detect_new(c, &dt, &d) != 0) {
		fprintf(stderr, "bench_detect: %s\n", d.message);
		return 1;
	}
	cybex_detect_config_free(c);
	t0 = cpu();
	(void)pass(NULL, seed, n, &alerts);
	tgen = cpu() - t0;
	t0 = cpu();
	(void)pass(dt, seed, n, &alerts);
	tall = cpu() - t0;
	net = tall - tgen;
	cybex_detect_stats(dt, &st);
	printf("observations:        %" PRIu64 " (generated mixed traffic, "
	    "seed %" PRIu64 ")\n", st.observations, seed);
	printf("generator alone:     %.2f s CPU\n", tgen);
	printf("generator+detectors: %.2f s CPU\n", tall);
	printf("detectors:           %.2f s CPU, %.0f observations/s "
	    "(%.0f ns each)\n", net, net > 0 ? (double)n / net : 0.0,
	    net > 0 ? net * 1e9 / (double)n : 0.0);
	printf("alerts:              %" PRIu64 " (%" PRIu64 " suppressed in "
	    "quiet periods)%s\n", st.alerts, st.suppressed,
	    fp_only ? ", all false positives" : "");
	if (fp_only)
		printf("false positives:     %.3f per million observations\n",
		    (double)st.alerts * 1e6 / (double)st.observations);
	printf("detector memory:     %.1f MiB held, bound %.1f MiB, %" PRIu64
	    " evictions\n", st.memory / 1048576.0, st.memory_cap / 1048576.0,
	    st.evictions);
	printf("peak RSS:            %.1f MiB\n", peak_rss_kb() / 1024.0);
	cybex_detect_free(dt);
	return 0;
}
