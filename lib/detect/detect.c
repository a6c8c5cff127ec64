/*
 * The detectors together: creation from the settings with every table
 * allocated up front (so memory is fixed by the caps), dispatch of
 * observations and indicator hits, the clock, alert building, the quiet
 * period, and statistics.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "detect_int.h"

#define DT_TIME_MAX	(INT64_C(1) << 62)	/* about 146,000 years */

bool
dt_enabled(const struct cybex_detect *dt, enum dt_detector d)
{
	return (dt->cfg->enabled & (1u << d)) != 0;
}

const char *
dt_org(const struct cybex_detect *dt, const struct cybex_obs *o)
{
	if (o != NULL && o->org != NULL && o->org[0] != '\0')
		return o->org;
	return dt->cfg->org;
}

static bool
in_cidrs(const struct dt_cidr *c, size_t n, const struct cybex_ip *ip)
{
	size_t i;

	if (ip->family == 0)
		return false;
	for (i = 0; i < n; i++)
		if (dt_cidr_match(&c[i], ip))
			return true;
	return false;
}

bool
dt_allowed(const struct cybex_detect *dt, const struct cybex_ip *ip)
{
	return in_cidrs(dt->allow, dt->nallow, ip);
}

bool
dt_home(const struct cybex_detect *dt, const struct cybex_ip *ip)
{
	return in_cidrs(dt->home, dt->nhome, ip);
}

static int
cidrs_of(const struct cybex_setting_list *l, struct dt_cidr **out, size_t *n,
    size_t *mem)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (l->n == 0)
		return 0;
	if ((*out = cybex_calloc(l->n, sizeof(**out))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < l->n; i++)
		if (dt_cidr_parse(l->v[i], &(*out)[i]) != 0)
			return CYBEX_EINVAL;	/* checked when set */
	*n = l->n;
	*mem += l->n * sizeof(**out);
	return 0;
}

int
dt_table_alloc(struct cybex_detect *dt, struct dt_table *t, uint64_t cap,
    size_t vsize)
{
	int r;

	if ((r = dt_table_init(t, (size_t)cap, vsize)) == 0)
		dt->memory += dt_table_bytes((size_t)cap, vsize);
	return r;
}

int
cybex_detect_new(const struct cybex_detect_config *c,
    struct cybex_detect **out, struct cybex_diag *d)
{
	struct cybex_detect_config *def = NULL;
	struct cybex_detect *dt = NULL;
	const struct cybex_detect_config *cfg;
	int r;

	*out = NULL;
	cybex_diag_clear(d);
	if (c == NULL) {
		if ((r = cybex_detect_config_new(&def)) != 0)
			goto out;
		cfg = def;
	} else
		cfg = c;
	if ((r = dt_config_check(cfg, d)) != 0)
		goto out;
	r = CYBEX_ENOMEM;
	if ((dt = cybex_calloc(1, sizeof(*dt))) == NULL)
		goto out;
	dt->memory = sizeof(*dt);
	if ((r = dt_config_copy(cfg, &dt->cfg)) != 0)
		goto fail;
	if (cfg->hash_seed == 0)
		randombytes_buf(dt->h.k, sizeof(dt->h.k));
	else
		crypto_generichash(dt->h.k, sizeof(dt->h.k),
		    (const unsigned char *)&cfg->hash_seed,
		    sizeof(cfg->hash_seed), NULL, 0);
	if ((r = cidrs_of(&cfg->home_net, &dt->home, &dt->nhome,
	    &dt->memory)) != 0 || (r = cidrs_of(&cfg->allow_address,
	    &dt->allow, &dt->nallow, &dt->memory)) != 0)
		goto fail;
	if ((r = dt_table_alloc(dt, &dt->dedupe, cfg->alert_keys,
	    sizeof(int64_t))) != 0)
		goto fail;
	if (dt_enabled(dt, DT_SCAN) && (r = dt_scan_init(dt)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_BRUTEFORCE) && (r = dt_bf_init(dt)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_DDOS) && (r = dt_ddos_init(dt)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_BEACON) && (r = dt_beacon_init(dt)) != 0)
		goto fail;
	if ((dt_enabled(dt, DT_PHISHING) || dt_enabled(dt, DT_PHARMING)) &&
	    (r = dt_phish_init(dt, d)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_DEFACEMENT) && (r = dt_page_init(dt, d)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_SPAM) && (r = dt_spam_init(dt)) != 0)
		goto fail;
	if (dt_enabled(dt, DT_COOP) && (r = dt_coop_init(dt)) != 0)
		goto fail;
	*out = dt;
	dt = NULL;
	r = 0;
	goto out;
 fail:
	if (r == CYBEX_ENOMEM && d != NULL && d->code == 0)
		cybex_diag_set(d, r, "out of memory for the detectors' tables "
		    "(lower the *_sources, *_pairs, ... caps)");
	cybex_detect_free(dt);
 out:
	cybex_detect_config_free(def);
	return r;
}

void
cybex_detect_free(struct cybex_detect *dt)
{
	if (dt == NULL)
		return;
	dt_table_fini(&dt->dedupe);
	dt_table_fini(&dt->scan);
	dt_table_fini(&dt->bf_src);
	dt_table_fini(&dt->bf_acct);
	dt_table_fini(&dt->ddos);
	dt_table_fini(&dt->beacon);
	dt_phish_fini(dt);
	dt_page_fini(dt);
	dt_table_fini(&dt->spam);
	dt_table_fini(&dt->listed);
	dt_table_fini(&dt->coop);
	dt_table_fini(&dt->coop_org);
	cybex_free(dt->home);
	cybex_free(dt->allow);
	cybex_detect_config_free(dt->cfg);
	cybex_free(dt);
}

/*
 * Move the clock to ts (observation time; it never goes back, so an
 * observation a little out of order counts at the latest time seen) and
 * close the DDoS intervals that ended.
 */
static int
advance(struct cybex_detect *dt, int64_t ts, cybex_alert_fn fn, void *ud)
{
	int64_t iv = dt->cfg->ddos_interval_us;
	int r = 0;

	/* Far beyond any real time; keeps every sum of times in range. */
	if (ts > DT_TIME_MAX)
		ts = DT_TIME_MAX;
	else if (ts < -DT_TIME_MAX)
		ts = -DT_TIME_MAX;
	if (!dt->started) {
		dt->started = true;
		dt->now = ts;
		dt->ddos_next_sweep = ts - (ts % iv) + iv;
		return 0;
	}
	if (ts > dt->now)
		dt->now = ts;
	if (dt->now >= dt->ddos_next_sweep) {
		dt->ddos_next_sweep = dt->now - (dt->now % iv) + iv;
		if (dt->ddos.mem != NULL)
			r = dt_ddos_tick(dt, fn, ud);
	}
	return r;
}

int
cybex_detect_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	int r;

	if (dt == NULL || o == NULL)
		return CYBEX_EINVAL;
	if ((r = advance(dt, o->ts_us, fn, ud)) != 0)
		return r;
	dt->observations++;
	switch (o->kind) {
	case CYBEX_OBS_FLOW:
		if (dt->scan.mem != NULL &&
		    (r = dt_scan_observe(dt, o, fn, ud)) != 0)
			break;
		if (dt->ddos.mem != NULL &&
		    (r = dt_ddos_observe(dt, o, fn, ud)) != 0)
			break;
		if (dt->beacon.mem != NULL)
			r = dt_beacon_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_DNS:
		if (dt_enabled(dt, DT_PHISHING) &&
		    (r = dt_phish_observe(dt, o, fn, ud)) != 0)
			break;
		if (dt_enabled(dt, DT_PHARMING))
			r = dt_pharm_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_HTTP:
	case CYBEX_OBS_TLS:
		if (dt_enabled(dt, DT_PHISHING))
			r = dt_phish_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_MAIL:
		if (dt_enabled(dt, DT_PHISHING) &&
		    (r = dt_phish_observe(dt, o, fn, ud)) != 0)
			break;
		if (dt->spam.mem != NULL)
			r = dt_spam_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_AUTH:
		if (dt->bf_src.mem != NULL)
			r = dt_bf_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_LISTED:
		if (dt->listed.mem != NULL)
			dt_spam_listed(dt, o);
		break;
	case CYBEX_OBS_PAGE:
		if (dt->page.mem != NULL)
			r = dt_page_observe(dt, o, fn, ud);
		break;
	case CYBEX_OBS_ALERT:
		if (dt_enabled(dt, DT_IDS))
			r = dt_ids_observe(dt, o, fn, ud);
		break;
	default:
		break;
	}
	return r;
}

int
cybex_detect_tick(struct cybex_detect *dt, int64_t now_us,
    cybex_alert_fn fn, void *ud)
{
	if (dt == NULL)
		return CYBEX_EINVAL;
	return advance(dt, now_us, fn, ud);
}

int
cybex_detect_hit(struct cybex_detect *dt, const struct cybex_obs *o,
    const char *indicator_id, const char *const *indicator_types,
    cybex_alert_fn fn, void *ud)
{
	int r;

	if (dt == NULL || o == NULL)
		return CYBEX_EINVAL;
	if ((r = advance(dt, o->ts_us, fn, ud)) != 0)
		return r;
	if (dt_enabled(dt, DT_C2) && (r = dt_c2_hit(dt, o, indicator_id,
	    indicator_types, fn, ud)) != 0)
		return r;
	if (dt->coop.mem != NULL)
		r = dt_coop_hit(dt, o, indicator_id, indicator_types, fn, ud);
	return r;
}

static uint64_t
evictions(const struct cybex_detect *dt)
{
	const struct dt_table *t[] = { &dt->dedupe, &dt->scan, &dt->bf_src,
	    &dt->bf_acct, &dt->ddos, &dt->beacon, &dt->phish, &dt->page,
	    &dt->spam, &dt->listed, &dt->coop, &dt->coop_org };
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		n += t[i]->evictions;
	return n;
}

void
cybex_detect_stats(const struct cybex_detect *dt,
    struct cybex_detect_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (dt == NULL)
		return;
	out->observations = dt->observations;
	out->alerts = dt->alerts;
	out->suppressed = dt->suppressed;
	/* Every table is allocated whole at creation: held == allowed. */
	out->memory = dt->memory;
	out->memory_cap = dt->memory;
	out->evictions = evictions(dt);
}

/* ---- alerts ---- */

void
dt_alert_init(struct dt_alert *x, const char *detector, const char *cls,
    const char *type, int severity)
{
	memset(&x->a, 0, sizeof(x->a));
	x->coop_party = -1;
	x->no_dedupe = false;
	x->key[0] = x->summary[0] = x->org[0] = x->sensor[0] = '\0';
	x->a.detector = detector;
	x->a.taxonomy_class = cls;
	x->a.taxonomy_type = type;
	x->a.severity = severity;
	x->a.key = x->key;
	x->a.summary = x->summary;
}

/* Drop a UTF-8 sequence that a cut at the end of s left incomplete. */
static void
utf8_tail(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0x80)
		return;
	need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

void
dt_alert_key(struct dt_alert *x, const char *fmt, ...)
{
	char tmp[sizeof(x->key)], *bar;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Members' situations are their own: "scan|org-a|198.51.100.7". */
	if (x->org[0] != '\0' && (bar = strchr(tmp, '|')) != NULL) {
		*bar = '\0';
		n = snprintf(x->key, sizeof(x->key), "%s|%s|%s", tmp, x->org,
		    bar + 1);
	} else
		memcpy(x->key, tmp, sizeof(tmp));
	if (n >= (int)sizeof(x->key))
		utf8_tail(x->key);
}

void
dt_alert_summary(struct dt_alert *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(x->summary, sizeof(x->summary), fmt, ap) >=
	    (int)sizeof(x->summary))
		utf8_tail(x->summary);
	va_end(ap);
}

int
dt_alert_party(struct dt_alert *x, enum cybex_party_role role,
    const char *kind, const char *value)
{
	size_t i = x->a.n_parties;

	if (value == NULL || value[0] == '\0' || i >= CYBEX_ALERT_PARTIES_MAX)
		return -1;
	dt_strlcpy(x->pv[i], value, sizeof(x->pv[i]));
	x->a.parties[i].role = role;
	x->a.parties[i].kind = kind;
	x->a.parties[i].value = x->pv[i];
	x->a.n_parties++;
	return (int)i;
}

int
dt_alert_party_ip(struct dt_alert *x, enum cybex_party_role role,
    const struct cybex_ip *ip)
{
	char t[64];

	if (ip->family == 0)
		return -1;
	cybex_ip_format(ip, t, sizeof(t));
	return dt_alert_party(x, role, dt_ip_kind(ip), t);
}

void
dt_alert_org(struct dt_alert *x, const char *org, const char *sensor)
{
	dt_strlcpy(x->org, org, sizeof(x->org));
	dt_strlcpy(x->sensor, sensor, sizeof(x->sensor));
	x->a.org = x->org[0] != '\0' ? x->org : NULL;
	x->a.sensor = x->sensor[0] != '\0' ? x->sensor : NULL;
}

void
dt_alert_from(struct cybex_detect *dt, struct dt_alert *x,
    const struct cybex_obs *o)
{
	dt_alert_org(x, dt_org(dt, o), o != NULL ? o->sensor : NULL);
}

bool
dt_quiet(struct cybex_detect *dt, const char *key)
{
	struct dt_key k;
	int64_t *last;

	if (dt->cfg->quiet_us == 0)
		return false;
	dt_hash(&dt->h, key, strlen(key), &k);
	last = dt_table_find(&dt->dedupe, &k, -1);
	return last != NULL && dt->now - *last < dt->cfg->quiet_us;
}

/* Suppressed within the quiet period; else remember it as raised now. */
static bool
quiet_mark(struct cybex_detect *dt, const char *key)
{
	struct dt_key k;
	int64_t *last;
	bool created;

	if (dt->cfg->quiet_us == 0)
		return false;
	dt_hash(&dt->h, key, strlen(key), &k);
	last = dt_table_get(&dt->dedupe, &k, dt->now, &created);
	if (!created && dt->now - *last < dt->cfg->quiet_us)
		return true;
	*last = dt->now;
	return false;
}

int
dt_emit(struct cybex_detect *dt, struct dt_alert *x, cybex_alert_fn fn,
    void *ud)
{
	int r = 0;

	/*
	 * json_pack fails on memory or on a string that is not UTF-8 (the
	 * observation contract rules that out); keep the alert either way.
	 */
	if (x->a.evidence == NULL && (x->a.evidence = json_pack("{s:b}",
	    "incomplete", 1)) == NULL)
		return CYBEX_ENOMEM;
	/*
	 * Within the quiet period the key is not raised again, but its
	 * running totals still go out as an update: a consumer merging by
	 * key then shows the count, last seen and text of the activity so
	 * far instead of what it was at the threshold.  Updates tell the
	 * cooperative view nothing new (same organization, same attacker).
	 */
	x->a.update = !x->no_dedupe && quiet_mark(dt, x->key);
	if (x->a.update)
		dt->suppressed++;
	else
		dt->alerts++;
	if (x->a.last_seen_us == 0)
		x->a.last_seen_us = dt->now;
	if (x->a.first_seen_us == 0)
		x->a.first_seen_us = x->a.last_seen_us;
	if (fn != NULL && (r = fn(ud, &x->a)) != 0)
		goto out;
	if (!x->a.update && x->coop_party >= 0 && x->a.org != NULL &&
	    dt->coop.mem != NULL)
		r = dt_coop_alert(dt, x, fn, ud);
 out:
	json_decref(x->a.evidence);
	x->a.evidence = NULL;
	return r;
}
