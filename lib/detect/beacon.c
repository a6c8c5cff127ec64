/*
 * Botnet command and control: periodic beaconing, and hits on known C2
 * indicators.
 *
 * Beaconing: per (source, destination, port) the last 16 intervals
 * between connections (connections closer than beacon_min_gap to the
 * previous one are one burst).  With at least beacon_min_intervals of
 * them, a median period within [beacon_min_period, beacon_max_period],
 * and at least beacon_min_fraction of the intervals on time (within
 * beacon_max_jitter times the period of it), the source is an infected
 * system and the destination its C2.  The median and the fraction are
 * robust: a missed or an extra connection does not hide a beacon.  Busy
 * browsing gives random (roughly exponential) intervals, and ten of them
 * with eight within +-10% of their median happen about once in 10^7
 * windows.  With home_net set only sources inside it beaconing to
 * destinations outside it are considered.
 *
 * C2 hits: an indicator hit whose types or labels are in
 * c2_indicator_types names the internal end (home_net, else the
 * initiator) as the infected system and the other end, with the name it
 * asked for, as the C2.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect_int.h"

#define RING	16

struct beacon_pair {
	int64_t		 first_us, last_us;
	uint32_t	 iv_ms[RING];
	uint8_t		 n, pos;
	uint32_t	 flows;
	uint64_t	 bytes;
};

int
dt_beacon_init(struct cybex_detect *dt)
{
	return dt_table_alloc(dt, &dt->beacon, dt->cfg->beacon_pairs,
	    sizeof(struct beacon_pair));
}

static int
raise_beacon(struct cybex_detect *dt, struct beacon_pair *p,
    const struct cybex_obs *o, double period, double jitter, double on_time,
    size_t m, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	char src[64], dst[64];
	json_t *ivs;
	size_t i, j;

	cybex_ip_format(&o->src_ip, src, sizeof(src));
	cybex_ip_format(&o->dst_ip, dst, sizeof(dst));
	dt_alert_init(&x, "beacon", "malicious-code", "infected-system", 3);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "beacon|%s|%s|%u", src, dst,
	    o->has_dst_port ? o->dst_port : 0);
	dt_alert_summary(&x, "%s beacons to %s port %u every %.1f s "
	    "(jitter %.3f)", src, dst, o->has_dst_port ? o->dst_port : 0,
	    period / 1000, jitter);
	(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &o->src_ip);
	x.coop_party = dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER, &o->dst_ip);
	x.a.first_seen_us = p->first_us;
	x.a.count = p->flows;
	ivs = json_array();
	for (i = 0; ivs != NULL && i < m; i++) {
		j = (p->pos + RING - m + i) % RING;
		json_array_append_new(ivs, json_real(p->iv_ms[j] / 1000.0));
	}
	x.a.evidence = json_pack("{s:f, s:f, s:f, s:f, s:f, s:I, s:I, s:I, "
	    "s:I, s:s?, s:o*}",
	    "period_seconds", period / 1000, "jitter", jitter,
	    "on_time", on_time, "min_fraction", dt->cfg->beacon_min_fraction,
	    "max_jitter", dt->cfg->beacon_max_jitter,
	    "intervals", (json_int_t)m,
	    "dst_port", (json_int_t)(o->has_dst_port ? o->dst_port : 0),
	    "connections", (json_int_t)p->flows,
	    "bytes_to_server", (json_int_t)p->bytes,
	    "proto", o->proto,
	    "intervals_seconds", ivs);
	return dt_emit(dt, &x, fn, ud);
}

int
dt_beacon_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_detect_config *c = dt->cfg;
	struct beacon_pair *p;
	struct dt_kb kb;
	struct dt_key k;
	double v[RING], med, mad;
	int64_t gap;
	size_t m, i, on;
	bool created;

	if (o->src_ip.family == 0 || o->dst_ip.family == 0)
		return 0;
	if (dt->nhome > 0 && (!dt_home(dt, &o->src_ip) ||
	    dt_home(dt, &o->dst_ip)))
		return 0;
	if (dt_allowed(dt, &o->src_ip) || dt_allowed(dt, &o->dst_ip))
		return 0;
	dt_kb_init(&kb, 'B');
	dt_kb_str(&kb, dt_org(dt, o));
	dt_kb_ip(&kb, &o->src_ip);
	dt_kb_ip(&kb, &o->dst_ip);
	dt_kb_u64(&kb, o->has_dst_port ? o->dst_port : 0);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((p = dt_table_get(&dt->beacon, &k, dt->now, &created)) == NULL)
		return 0;
	if (p->flows < UINT32_MAX)
		p->flows++;
	p->bytes += o->bytes_to_server;
	if (created) {
		p->first_us = p->last_us = dt->now;
		return 0;
	}
	gap = dt->now - p->last_us;
	if (gap < c->beacon_min_gap_us || gap <= 0)
		return 0;			/* same burst */
	p->last_us = dt->now;
	p->iv_ms[p->pos] = gap / 1000 > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)(gap / 1000);
	p->pos = (uint8_t)((p->pos + 1) % RING);
	if (p->n < RING)
		p->n++;
	if (p->n < c->beacon_min_intervals)
		return 0;
	m = p->n;
	for (i = 0; i < m; i++)
		v[i] = p->iv_ms[(p->pos + RING - m + i) % RING];
	med = dt_median(v, m);
	if (med < (double)c->beacon_min_period_us / 1000 ||
	    med > (double)c->beacon_max_period_us / 1000 || med <= 0)
		return 0;
	/* On time: within max_jitter of the period. */
	for (i = 0, on = 0; i < m; i++) {
		v[i] = fabs(v[i] - med);
		if (v[i] <= c->beacon_max_jitter * med)
			on++;
	}
	if ((double)on < c->beacon_min_fraction * (double)m)
		return 0;
	mad = dt_median(v, m);
	return raise_beacon(dt, p, o, med, mad / med, (double)on / (double)m,
	    m, fn, ud);
}

/* ---- hits on C2 indicators ---- */

static const struct cybex_ip no_ip;

static bool
is_c2(const struct cybex_detect *dt, const char *const *types)
{
	size_t i;

	for (i = 0; types != NULL && types[i] != NULL; i++)
		if (dt_list_has(dt->cfg->c2_indicator_types, types[i]))
			return true;
	return false;
}

/* The name the internal host asked for, if the observation has one. */
static const char *
asked_name(const struct cybex_obs *o)
{
	if (o->dns_query != NULL)
		return o->dns_query;
	if (o->http_host != NULL)
		return o->http_host;
	return o->tls_sni;
}

int
dt_c2_hit(struct cybex_detect *dt, const struct cybex_obs *o,
    const char *indicator_id, const char *const *types, cybex_alert_fn fn,
    void *ud)
{
	const struct cybex_ip *victim = &o->src_ip, *c2 = &o->dst_ip;
	const char *name = asked_name(o);
	struct dt_alert x;
	char v[64], a[64];
	json_t *jt;
	size_t i;

	if (!is_c2(dt, types))
		return 0;
	if (dt->nhome > 0) {
		/* The infected system is ours; the C2 is outside. */
		if (!dt_home(dt, &o->src_ip) && dt_home(dt, &o->dst_ip)) {
			victim = &o->dst_ip;
			c2 = &o->src_ip;
		} else if (!dt_home(dt, &o->src_ip))
			return 0;
		if (dt_home(dt, c2))
			c2 = &no_ip;
	}
	cybex_ip_format(victim, v, sizeof(v));
	cybex_ip_format(c2, a, sizeof(a));
	if (v[0] == '\0')
		dt_strlcpy(v, o->host, sizeof(v));
	if (v[0] == '\0' || (a[0] == '\0' && name == NULL))
		return 0;
	dt_alert_init(&x, "c2", "malicious-code", "infected-system", 3);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "c2|%s|%s", v, name != NULL ? name : a);
	dt_alert_summary(&x, "%s contacted the command-and-control %s%s%s "
	    "(%s)", v, name != NULL ? name : a, name != NULL && a[0] ? " at " :
	    "", name != NULL ? a : "", indicator_id != NULL ? indicator_id :
	    "indicator");
	if (victim->family != 0)
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, victim);
	else
		(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", v);
	(void)dt_alert_party(&x, CYBEX_PARTY_ATTACKER, "domain-name", name);
	(void)dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER, c2);
	x.a.count = 1;
	x.a.first_seen_us = x.a.last_seen_us = dt->now;
	jt = json_array();
	for (i = 0; jt != NULL && types != NULL && types[i] != NULL; i++)
		json_array_append_new(jt, json_string(types[i]));
	x.a.evidence = json_pack("{s:s?, s:o*, s:s?, s:I, s:s?, s:s?}",
	    "indicator", indicator_id, "indicator_types", jt,
	    "source_type", o->source_type,
	    "dst_port", (json_int_t)(o->has_dst_port ? o->dst_port : 0),
	    "url", o->url, "signature", o->signature);
	return dt_emit(dt, &x, fn, ud);
}
