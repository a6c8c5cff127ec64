/*
 * Cooperative analysis: the same attacking source or indicator seen by
 * several member organizations.
 *
 * Every alert with an attacker party and an organization (behavioural
 * alerts keyed by the attacker, "ipv4-addr|198.51.100.7"), and every
 * indicator hit with an organization (keyed by the indicator id), feeds a
 * capped table: per key the first 16 organizations (fingerprints; their
 * names live in a second capped table) and a HyperLogLog of all of them.
 * When the number of distinct organizations reaches coop_min_orgs one
 * "coop" alert names them all (REPORTER parties, and the full list in the
 * evidence) with the count; it is raised again only when the count grows,
 * never within or because of the quiet period.  So a source that each
 * member sees a little of, and none would report alone, becomes visible.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect_int.h"

#define ORGS		16
#define HLL_P		6
#define ORG_NAME_MAX	64

struct coop_ent {
	uint64_t	 org[ORGS];	/* fingerprints of the names */
	uint32_t	 slot[ORGS];	/* where the names are (coop_org) */
	uint8_t		 norg;
	uint8_t		 hll[1 << HLL_P];
	uint32_t	 raised;
	uint32_t	 count;
	int		 severity;
	uint32_t	 detectors;	/* bit per enum dt_detector */
	int64_t		 first_us;
	const char	*cls, *type;	/* static strings */
};

struct coop_org {
	uint64_t	 fp;
	char		 name[ORG_NAME_MAX];
};

/* The RSIT classes, in the order they win (see cybex/detect.h). */
static const struct {
	const char	*types[4];	/* NULL-terminated */
	const char	*class, *type;
} coop_classes[] = {
	{ { NULL }, "other", "other" },
	{ { "c2", "command-and-control", "botnet", NULL }, "malicious-code",
	    "c2-server" },
	{ { "phishing", NULL }, "fraud", "phishing" },
	{ { "spam", NULL }, "abusive-content", "spam" },
	{ { "scanner", "scanning", NULL }, "information-gathering",
	    "scanner" },
};
#define COOP_NCLASSES	(sizeof(coop_classes) / sizeof(coop_classes[0]))

int
cybex_detect_coop_class(const char *const *types)
{
	size_t c, i, j;

	for (c = 1; c < COOP_NCLASSES; c++)
		for (i = 0; types != NULL && types[i] != NULL; i++)
			for (j = 0; coop_classes[c].types[j] != NULL; j++)
				if (strcasecmp(types[i],
				    coop_classes[c].types[j]) == 0)
					return (int)c;
	return 0;
}

void
cybex_detect_coop_taxonomy(int cls, const char **class, const char **type)
{
	if (cls < 0 || (size_t)cls >= COOP_NCLASSES)
		cls = 0;
	*class = coop_classes[cls].class;
	*type = coop_classes[cls].type;
}

int
cybex_detect_coop_subject(char *out, size_t outsz, const char *kind,
    const char *value)
{
	int n;

	if (outsz == 0)
		return CYBEX_ETOOBIG;
	n = snprintf(out, outsz, "%s|%s", kind, value);
	if (n < 0 || (size_t)n >= outsz) {
		out[0] = '\0';
		return CYBEX_ETOOBIG;
	}
	return 0;
}

int
cybex_detect_coop_key(char *out, size_t outsz, const char *subject)
{
	return cybex_detect_coop_subject(out, outsz, "coop", subject);
}

int
dt_coop_init(struct cybex_detect *dt)
{
	int r;

	if ((r = dt_table_alloc(dt, &dt->coop, dt->cfg->coop_keys,
	    sizeof(struct coop_ent))) != 0)
		return r;
	return dt_table_alloc(dt, &dt->coop_org, dt->cfg->coop_orgs,
	    sizeof(struct coop_org));
}

static void
org_key(const struct cybex_detect *dt, const char *org, struct dt_key *k)
{
	struct dt_kb kb;

	dt_kb_init(&kb, 'O');
	dt_kb_str(&kb, org);
	dt_kb_hash(&kb, &dt->h, k);
}

/* The name of an organization ("" if it was evicted since). */
static const char *
org_name(struct cybex_detect *dt, uint64_t fp, uint32_t slot)
{
	struct coop_org *o = dt_table_at(&dt->coop_org, slot);

	return o != NULL && o->fp == fp ? o->name : "";
}

static int
detector_bit(const char *name)
{
	int i;

	for (i = 0; i < DT_NDETECTORS; i++)
		if (strcmp(dt_detector_names[i], name) == 0)
			return i;
	return -1;
}

struct feed {
	const char	*key;		/* "ipv4-addr|..." or "indicator|..." */
	const char	*org;
	const char	*sensor;
	const char	*kind, *value;	/* attacker party, may be NULL */
	const char	*detector;
	const char	*cls, *type;
	int		 severity;
	const char	*indicator;
};

static int
raise_coop(struct cybex_detect *dt, const struct feed *f,
    struct coop_ent *e, uint32_t members,
    cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	json_t *orgs, *dets;
	char list[256], key[CYBEX_DETECT_COOP_KEY_MAX + 1];
	const char *name;
	size_t i, len = 0;

	dt_alert_init(&x, "coop", e->cls, e->type,
	    e->severity > 3 ? e->severity : 3);
	x.no_dedupe = true;
	dt_alert_org(&x, NULL, f->sensor);
	if (cybex_detect_coop_key(key, sizeof(key), f->key) != 0)
		return 0;
	dt_alert_key(&x, "%s", key);
	(void)dt_alert_party(&x, CYBEX_PARTY_ATTACKER, f->kind, f->value);
	orgs = json_array();
	list[0] = '\0';
	for (i = 0; i < e->norg; i++) {
		name = org_name(dt, e->org[i], e->slot[i]);
		if (name[0] == '\0')
			continue;
		(void)dt_alert_party(&x, CYBEX_PARTY_REPORTER, "organization",
		    name);
		if (orgs != NULL)
			json_array_append_new(orgs, json_string(name));
		if (len < sizeof(list) - 1)
			len += (size_t)snprintf(list + len, sizeof(list) - len,
			    "%s%s", len ? ", " : "", name);
	}
	if (len >= sizeof(list))
		len = sizeof(list) - 1;
	dt_alert_summary(&x, "%s seen by %u member organizations (%s)",
	    f->value != NULL ? f->value : f->key, members, list);
	dets = json_array();
	for (i = 0; dets != NULL && i < DT_NDETECTORS; i++)
		if (e->detectors & (1u << i))
			json_array_append_new(dets,
			    json_string(dt_detector_names[i]));
	x.a.first_seen_us = e->first_us;
	x.a.count = e->count;
	x.a.evidence = json_pack("{s:I, s:I, s:o*, s:b, s:o*, s:s?, s:s}",
	    "members", (json_int_t)members,
	    "min_orgs", (json_int_t)dt->cfg->coop_min_orgs,
	    "orgs", orgs, "orgs_complete", members <= ORGS,
	    "detectors", dets, "indicator", f->indicator,
	    "key", f->key);
	return dt_emit(dt, &x, fn, ud);
}

static int
feed(struct cybex_detect *dt, const struct feed *f, cybex_alert_fn fn,
    void *ud)
{
	struct coop_ent *e;
	struct coop_org *on;
	struct dt_key ok, k;
	struct dt_kb kb;
	uint32_t members;
	double est;
	size_t i;
	bool created, known = false;
	int bit;

	if (f->org == NULL || f->org[0] == '\0')
		return 0;
	org_key(dt, f->org, &ok);
	on = dt_table_get(&dt->coop_org, &ok, dt->now, &created);
	if (created) {
		on->fp = ok.a;
		dt_strlcpy(on->name, f->org, sizeof(on->name));
	}
	dt_kb_init(&kb, 'C');
	dt_kb_str(&kb, f->key);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((e = dt_table_get(&dt->coop, &k, dt->now, &created)) == NULL)
		return 0;
	if (created) {
		e->first_us = dt->now;
		e->cls = f->cls;
		e->type = f->type;
		e->severity = f->severity;
	}
	if (e->count < UINT32_MAX)
		e->count++;
	if ((bit = detector_bit(f->detector)) >= 0)
		e->detectors |= 1u << bit;
	for (i = 0; i < e->norg; i++)
		if (e->org[i] == ok.a) {
			known = true;
			e->slot[i] = (uint32_t)dt_table_slot(&dt->coop_org, on);
		}
	if (!known && e->norg < ORGS) {
		e->org[e->norg] = ok.a;
		e->slot[e->norg++] = (uint32_t)dt_table_slot(&dt->coop_org, on);
	}
	dt_hll_add(e->hll, HLL_P, ok.a);
	members = e->norg;
	if (e->norg >= ORGS) {
		est = dt_hll_count(e->hll, HLL_P);
		if (est > members)
			members = (uint32_t)llround(est);
	}
	if (members < dt->cfg->coop_min_orgs || members <= e->raised)
		return 0;
	e->raised = members;
	return raise_coop(dt, f, e, members, fn, ud);
}

int
dt_coop_alert(struct cybex_detect *dt, const struct dt_alert *x,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_party *p = &x->a.parties[x->coop_party];
	char key[CYBEX_DETECT_COOP_KEY_MAX + 1];
	struct feed f;

	if (cybex_detect_coop_subject(key, sizeof(key), p->kind, p->value) != 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.key = key;
	f.org = x->a.org;
	f.sensor = x->a.sensor;
	f.kind = p->kind;
	f.value = p->value;
	f.detector = x->a.detector;
	f.cls = x->a.taxonomy_class;
	f.type = x->a.taxonomy_type;
	f.severity = x->a.severity;
	return feed(dt, &f, fn, ud);
}

int
dt_coop_hit(struct cybex_detect *dt, const struct cybex_obs *o,
    const char *indicator_id, const char *const *types, cybex_alert_fn fn,
    void *ud)
{
	const struct cybex_ip *ip = NULL;
	char key[CYBEX_DETECT_COOP_KEY_MAX + 1], ipt[CYBEX_IP_TEXT_MAX];
	const char *name;
	struct feed f;

	if (indicator_id == NULL || indicator_id[0] == '\0')
		return 0;
	memset(&f, 0, sizeof(f));
	if (cybex_detect_coop_subject(key, sizeof(key), "indicator",
	    indicator_id) != 0)
		return 0;
	f.key = key;
	f.org = dt_org(dt, o);
	f.sensor = o->sensor;
	f.detector = "coop";
	f.indicator = indicator_id;
	f.severity = 3;
	cybex_detect_coop_taxonomy(cybex_detect_coop_class(types), &f.cls,
	    &f.type);
	/* The party: the name asked for, else the outside (or far) end. */
	name = o->dns_query != NULL ? o->dns_query : o->http_host != NULL ?
	    o->http_host : o->tls_sni;
	if (name != NULL) {
		f.kind = "domain-name";
		f.value = name;
	} else {
		if (dt->nhome > 0 && o->src_ip.family != 0 &&
		    !dt_home(dt, &o->src_ip))
			ip = &o->src_ip;
		else if (o->dst_ip.family != 0)
			ip = &o->dst_ip;
		else if (o->src_ip.family != 0)
			ip = &o->src_ip;
		if (ip != NULL) {
			cybex_ip_format(ip, ipt, sizeof(ipt));
			f.kind = dt_ip_kind(ip);
			f.value = ipt;
		}
	}
	return feed(dt, &f, fn, ud);
}
