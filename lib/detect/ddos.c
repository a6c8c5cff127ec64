/*
 * DDoS: traffic to one destination far above its learned baseline.
 *
 * Per destination, flow records are summed per interval (packets towards
 * it, bytes, flows) with a HyperLogLog of the sources.  When an interval
 * ends (on the next record for the destination, or at the sweep every
 * interval that cybex_detect_observe/tick does over the table), its packet
 * count x is compared with the baseline, an exponentially weighted moving
 * mean and variance of past intervals (empty intervals count as 0):
 *
 *   alert when x > max(ddos_min_pps * interval, mean + k * stddev)
 *              and x > factor * mean
 *
 * During the first ddos_warmup intervals there is no baseline yet and
 * only x > factor * ddos_min_pps * interval alerts.  An interval that
 * alerts is not learned, so a long attack does not become the baseline.
 * The alert names the destination, the number of distinct sources and a
 * sample of them; fewer than ddos_min_sources sources make it "dos".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect_int.h"

#define HLL_P		8
#define SAMPLES		6
#define GAP_MAX		256	/* empty intervals learned at most at once */

struct ddos_dst {
	struct cybex_ip	 dst;
	uint16_t	 port;
	uint8_t		 nsample, pos;
	int64_t		 istart;
	uint64_t	 pkts, bytes, flows;
	double		 mean, var;
	uint32_t	 nint;
	uint8_t		 src[1 << HLL_P];
	struct cybex_ip	 sample[SAMPLES];
	char		 org[64];
	char		 sensor[64];
};

int
dt_ddos_init(struct cybex_detect *dt)
{
	return dt_table_alloc(dt, &dt->ddos, dt->cfg->ddos_destinations,
	    sizeof(struct ddos_dst));
}

static int64_t
align(int64_t t, int64_t iv)
{
	int64_t m = t % iv;

	return t - (m < 0 ? m + iv : m);
}

static void
learn(struct ddos_dst *e, double x, double alpha)
{
	double diff, incr;

	if (e->nint == 0) {
		e->mean = x;
		e->var = 0;
	} else {
		diff = x - e->mean;
		incr = alpha * diff;
		e->mean += incr;
		e->var = (1 - alpha) * (e->var + diff * incr);
	}
	if (e->nint < UINT32_MAX)
		e->nint++;
}

static int
raise_flood(struct cybex_detect *dt, struct ddos_dst *e, double x,
    double thr, cybex_alert_fn fn, void *ud)
{
	const struct cybex_detect_config *c = dt->cfg;
	double ivs = (double)c->ddos_interval_us / 1e6;
	double sources = dt_hll_count(e->src, HLL_P);
	bool distributed = sources >= (double)c->ddos_min_sources;
	struct dt_alert x_;
	json_t *sample;
	char dst[64], t[64];
	size_t i;

	cybex_ip_format(&e->dst, dst, sizeof(dst));
	dt_alert_init(&x_, "ddos", "availability", distributed ? "ddos" : "dos",
	    3);
	dt_alert_org(&x_, e->org, e->sensor);
	dt_alert_key(&x_, "ddos|%s", dst);
	dt_alert_summary(&x_, "%s: %.0f packets/s from about %.0f source%s, "
	    "baseline %.0f packets/s", dst, x / ivs, sources, dt_plural(sources),
	    e->nint >= c->ddos_warmup ? e->mean / ivs : 0.0);
	(void)dt_alert_party_ip(&x_, CYBEX_PARTY_VICTIM, &e->dst);
	sample = json_array();
	for (i = 0; i < e->nsample; i++) {
		(void)dt_alert_party_ip(&x_, CYBEX_PARTY_ATTACKER, &e->sample[i]);
		cybex_ip_format(&e->sample[i], t, sizeof(t));
		if (sample != NULL)
			json_array_append_new(sample, json_string(t));
	}
	x_.a.first_seen_us = e->istart;
	x_.a.last_seen_us = e->istart + c->ddos_interval_us;
	x_.a.count = e->flows;
	x_.a.evidence = json_pack("{s:f, s:I, s:I, s:I, s:f, s:f, s:f, s:f, "
	    "s:f, s:f, s:b, s:I, s:I, s:o*}",
	    "interval_seconds", ivs,
	    "packets", (json_int_t)e->pkts, "bytes", (json_int_t)e->bytes,
	    "flows", (json_int_t)e->flows,
	    "pps", x / ivs,
	    "baseline_pps", e->mean / ivs,
	    "stddev_pps", sqrt(e->var) / ivs,
	    "threshold_pps", thr / ivs,
	    "k", c->ddos_k, "factor", c->ddos_factor,
	    "baseline_learned", e->nint >= c->ddos_warmup,
	    "sources", (json_int_t)llround(sources),
	    "dst_port", (json_int_t)e->port,
	    "sample_sources", sample);
	return dt_emit(dt, &x_, fn, ud);
}

/* Close the interval of e (which ended before now) and the empty ones
 * after it. */
static int
close_interval(struct cybex_detect *dt, struct ddos_dst *e,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_detect_config *c = dt->cfg;
	int64_t iv = c->ddos_interval_us, gaps;
	double x = (double)e->pkts, thr, floor_ = (double)c->ddos_min_pps *
	    ((double)iv / 1e6);
	bool anomalous;
	int r = 0;

	if (e->nint >= c->ddos_warmup) {
		thr = e->mean + c->ddos_k * sqrt(e->var);
		if (thr < floor_)
			thr = floor_;
		anomalous = x > thr && x > c->ddos_factor * e->mean;
	} else {
		thr = floor_ * c->ddos_factor;
		anomalous = x > thr;
	}
	if (anomalous)
		r = raise_flood(dt, e, x, thr, fn, ud);
	else
		learn(e, x, c->ddos_alpha);
	gaps = (dt->now - e->istart) / iv - 1;
	if (gaps > GAP_MAX)
		gaps = GAP_MAX;
	for (; gaps > 0; gaps--)
		learn(e, 0, c->ddos_alpha);
	e->istart = align(dt->now, iv);
	e->pkts = e->bytes = e->flows = 0;
	e->nsample = e->pos = 0;
	memset(e->src, 0, sizeof(e->src));
	return r;
}

int
dt_ddos_tick(struct cybex_detect *dt, cybex_alert_fn fn, void *ud)
{
	struct ddos_dst *e;
	size_t it = 0;
	int r;

	while ((e = dt_table_next(&dt->ddos, &it)) != NULL)
		if (dt->now >= e->istart + dt->cfg->ddos_interval_us &&
		    (r = close_interval(dt, e, fn, ud)) != 0)
			return r;
	return 0;
}

int
dt_ddos_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	struct ddos_dst *e;
	struct dt_kb kb;
	struct dt_key k;
	bool created;
	int r = 0;

	if (o->dst_ip.family == 0 || dt_allowed(dt, &o->src_ip))
		return 0;
	dt_kb_init(&kb, 'D');
	dt_kb_str(&kb, dt_org(dt, o));
	dt_kb_ip(&kb, &o->dst_ip);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((e = dt_table_get(&dt->ddos, &k, dt->now, &created)) == NULL)
		return 0;
	if (created) {
		e->dst = o->dst_ip;
		e->istart = align(dt->now, dt->cfg->ddos_interval_us);
		dt_strlcpy(e->org, dt_org(dt, o), sizeof(e->org));
		dt_strlcpy(e->sensor, o->sensor, sizeof(e->sensor));
	} else if (dt->now >= e->istart + dt->cfg->ddos_interval_us &&
	    (r = close_interval(dt, e, fn, ud)) != 0)
		return r;
	e->pkts += o->pkts_to_server > 0 ? o->pkts_to_server : 1;
	e->bytes += o->bytes_to_server;
	e->flows++;
	if (o->has_dst_port)
		e->port = o->dst_port;
	if (o->src_ip.family != 0) {
		dt_kb_init(&kb, 'S');
		dt_kb_ip(&kb, &o->src_ip);
		dt_kb_hash(&kb, &dt->h, &k);
		dt_hll_add(e->src, HLL_P, k.a);
		if (e->nsample == 0 || !dt_ip_equal(&e->sample[(e->pos +
		    SAMPLES - 1) % SAMPLES], &o->src_ip)) {
			e->sample[e->pos] = o->src_ip;
			e->pos = (uint8_t)((e->pos + 1) % SAMPLES);
			if (e->nsample < SAMPLES)
				e->nsample++;
		}
	}
	return 0;
}
