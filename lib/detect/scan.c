/*
 * Scanning: threshold random walk (Jung, Paxson, Berger, Balakrishnan,
 * "Fast portscan detection using sequential hypothesis testing", 2004).
 *
 * Per source, each first contact of a (destination, port) is a Bernoulli
 * trial: answered with probability theta0 if the source is benign, theta1
 * if it scans.  The log likelihood ratio of "scanner" against "benign"
 * walks up by log((1-theta1)/(1-theta0)) on a failure and down by
 * log(theta1/theta0) on a success; reaching log(pd/pf) says scanner,
 * reaching log((1-pd)/(1-pf)) says benign.  Either way the walk starts
 * over, so a source that turns to scanning later is still caught, and a
 * scanner goes on being counted (its repeated alerts fall in the quiet
 * period).  Vertical (ports of one host) and horizontal (hosts) scans are
 * both first contacts.  Only first contacts move the walk: a benign
 * client's hundred connections to its usual servers count once each.
 *
 * First contacts are remembered per source in a 512-bit Bloom filter that
 * starts over after 48 entries: a false "seen" skips a trial (a slightly
 * slower detection, never a false alarm).  Distinct hosts and ports for
 * the evidence are HyperLogLog counts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

#define SEEN_BITS	512
#define SEEN_MAX	48	/* entries before the filter starts over */
#define HLL_P		5
#define SAMPLES		6

struct scan_src {
	double		 llr;
	uint32_t	 walk_contacts, walk_failures;
	uint32_t	 contacts, failures;	/* since first seen */
	uint32_t	 flows;
	uint16_t	 nseen;
	uint8_t		 nsample, sample_pos;
	int64_t		 first_us, last_us;
	uint8_t		 seen[SEEN_BITS / 8];
	uint8_t		 hosts[1 << HLL_P];
	uint8_t		 ports[1 << HLL_P];
	struct cybex_ip	 sample[SAMPLES];
	uint16_t	 sample_port[SAMPLES];
};

int
dt_scan_init(struct cybex_detect *dt)
{
	const struct cybex_detect_config *c = dt->cfg;

	dt->scan_fail_step = log((1 - c->scan_theta1) / (1 - c->scan_theta0));
	dt->scan_ok_step = log(c->scan_theta1 / c->scan_theta0);
	dt->scan_hi = log(c->scan_pd / c->scan_pf);
	dt->scan_lo = log((1 - c->scan_pd) / (1 - c->scan_pf));
	return dt_table_alloc(dt, &dt->scan, c->scan_sources,
	    sizeof(struct scan_src));
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The flow was answered: the destination took part in it. */
static bool
answered(const struct cybex_obs *o)
{
	unsigned long fl = 0;
	const char *p;
	int v;

	if (o->tcp_flags != NULL)
		for (p = o->tcp_flags; *p != '\0' &&
		    (v = cybex_hexval((unsigned char)*p)) >= 0; p++)
			fl = (fl << 4 | (unsigned)v) & 0xffff;
	if (o->pkts_to_client == 0 && o->bytes_to_client == 0)
		return o->flow_state != NULL &&
		    strcmp(o->flow_state, "established") == 0;
	/* A reset with no data pushed either way: refused. */
	if ((fl & 0x04) != 0 && (fl & 0x08) == 0 && o->pkts_to_client <= 1)
		return false;
	return true;
}

static bool
bloom_test_set(uint8_t *bits, uint64_t h)
{
	unsigned b1 = (unsigned)(h % SEEN_BITS);
	unsigned b2 = (unsigned)((h >> 20) % SEEN_BITS);
	bool seen = (bits[b1 / 8] >> (b1 % 8) & 1) &&
	    (bits[b2 / 8] >> (b2 % 8) & 1);

	bits[b1 / 8] |= (uint8_t)(1u << (b1 % 8));
	bits[b2 / 8] |= (uint8_t)(1u << (b2 % 8));
	return seen;
}

static int
raise_scan(struct cybex_detect *dt, struct scan_src *s,
    const struct cybex_obs *o, cybex_alert_fn fn, void *ud)
{
	const struct cybex_detect_config *c = dt->cfg;
	struct dt_alert x;
	char src[64], t[80];
	json_t *targets;
	double hosts, ports;
	size_t i;

	cybex_ip_format(&o->src_ip, src, sizeof(src));
	hosts = dt_hll_count(s->hosts, HLL_P);
	ports = dt_hll_count(s->ports, HLL_P);
	dt_alert_init(&x, "scan", "information-gathering", "scanner", 2);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "scan|%s", src);
	dt_alert_summary(&x, "%s scans: %u of %u first contacts unanswered, "
	    "about %.0f host%s and %.0f port%s", src, s->walk_failures,
	    s->walk_contacts, hosts, dt_plural(hosts), ports,
	    dt_plural(ports));
	x.coop_party = dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER, &o->src_ip);
	for (i = 0; i < s->nsample; i++)
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &s->sample[i]);
	x.a.first_seen_us = s->first_us;
	x.a.last_seen_us = dt->now;
	x.a.count = s->flows;
	targets = json_array();
	for (i = 0; targets != NULL && i < s->nsample; i++) {
		cybex_ip_format(&s->sample[i], src, sizeof(src));
		snprintf(t, sizeof(t), s->sample[i].family == 6 ? "[%s]:%u" :
		    "%s:%u", src, s->sample_port[i]);
		json_array_append_new(targets, json_string(t));
	}
	x.a.evidence = json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:o*}",
	    "algorithm", "threshold-random-walk",
	    "theta0", c->scan_theta0, "theta1", c->scan_theta1,
	    "eta1", c->scan_pd / c->scan_pf, "likelihood_ratio", exp(s->llr),
	    "pd", c->scan_pd,
	    "first_contacts", (json_int_t)s->walk_contacts,
	    "unanswered", (json_int_t)s->walk_failures,
	    "hosts", (json_int_t)llround(hosts),
	    "ports", (json_int_t)llround(ports),
	    "total_first_contacts", (json_int_t)s->contacts,
	    "total_unanswered", (json_int_t)s->failures,
	    "targets", targets);
	return dt_emit(dt, &x, fn, ud);
}

int
dt_scan_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	struct scan_src *s;
	struct dt_kb kb;
	struct dt_key k, dk;
	uint64_t pair, seed, port = o->has_dst_port ? o->dst_port : 0;
	bool created, fail;
	int r = 0;

	if (o->src_ip.family == 0 || o->dst_ip.family == 0 ||
	    dt_allowed(dt, &o->src_ip))
		return 0;
	dt_kb_init(&kb, 's');
	dt_kb_str(&kb, dt_org(dt, o));
	dt_kb_ip(&kb, &o->src_ip);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((s = dt_table_get(&dt->scan, &k, dt->now, &created)) == NULL)
		return 0;
	if (created || dt->now - s->last_us > dt->cfg->scan_idle_us) {
		memset(s, 0, sizeof(*s));
		s->first_us = dt->now;
	}
	s->last_us = dt->now;
	if (s->flows < UINT32_MAX)
		s->flows++;
	dt_kb_init(&kb, 'd');
	dt_kb_ip(&kb, &o->dst_ip);
	dt_kb_hash(&kb, &dt->h, &dk);
	pair = mix64(dk.a ^ (port + 1) * 0x9e3779b97f4a7c15ULL);
	if (s->nseen >= SEEN_MAX) {
		memset(s->seen, 0, sizeof(s->seen));
		s->nseen = 0;
	}
	if (bloom_test_set(s->seen, pair))
		return 0;			/* not a first contact */
	s->nseen++;
	dt_hll_add(s->hosts, HLL_P, dk.b);
	/* The port's hash, keyed by the instance but not by the host. */
	memcpy(&seed, dt->h.k, sizeof(seed));
	dt_hll_add(s->ports, HLL_P, mix64(mix64(port + 1) ^ seed));
	fail = !answered(o);
	s->walk_contacts++;
	if (s->contacts < UINT32_MAX)
		s->contacts++;
	if (fail) {
		s->walk_failures++;
		if (s->failures < UINT32_MAX)
			s->failures++;
		s->llr += dt->scan_fail_step;
		s->sample[s->sample_pos] = o->dst_ip;
		s->sample_port[s->sample_pos] = (uint16_t)port;
		s->sample_pos = (uint8_t)((s->sample_pos + 1) % SAMPLES);
		if (s->nsample < SAMPLES)
			s->nsample++;
	} else
		s->llr += dt->scan_ok_step;
	if (s->llr >= dt->scan_hi) {
		r = raise_scan(dt, s, o, fn, ud);
		s->llr = 0;
		s->walk_contacts = s->walk_failures = 0;
	} else if (s->llr <= dt->scan_lo) {
		s->llr = 0;
		s->walk_contacts = s->walk_failures = 0;
	}
	return r;
}
