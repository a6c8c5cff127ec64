/*
 * Brute force and unauthorized access, from authentication records.
 *
 * Failures (wrong password or key, unknown account, refused by policy;
 * "too many failures" summaries are not counted twice) are counted in a
 * sliding window per source and per target account (account at host).
 * Past bf_source_failures from one source: brute force by that source
 * (with the number of accounts it tried: password spraying shows as many
 * accounts).  Past bf_account_failures against one account from any
 * sources: brute force against the account, naming the last sources.
 * A success from a source that failed at least bf_success_after times in
 * the window (or against an account that failed that often, from a
 * source among its recent attackers) is unauthorized access: an account
 * compromise, privileged for the accounts listed in privileged_accounts.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect_int.h"

#define HLL_P		6
#define RECENT		4
#define NAME_MAX_	64
#define EXACT		16	/* accounts counted exactly before the HLL */

struct bf_src {
	struct dt_window fails;
	uint32_t	 total;
	int64_t		 first_us;
	uint8_t		 users[1 << HLL_P];
	/*
	 * The first EXACT accounts' fingerprints: a small count is exact
	 * ("10 accounts", not the sketch's 11), the sketch takes over past
	 * them.
	 */
	uint32_t	 ufp[EXACT];
	uint8_t		 nufp;
	char		 last_user[NAME_MAX_];
};

struct bf_acct {
	struct dt_window fails;
	uint32_t	 total;
	int64_t		 first_us;
	uint8_t		 srcs[1 << HLL_P];
	uint8_t		 nrecent, pos;
	struct cybex_ip	 recent[RECENT];
};

int
dt_bf_init(struct cybex_detect *dt)
{
	int r;

	if ((r = dt_table_alloc(dt, &dt->bf_src, dt->cfg->bf_sources,
	    sizeof(struct bf_src))) != 0)
		return r;
	return dt_table_alloc(dt, &dt->bf_acct, dt->cfg->bf_accounts,
	    sizeof(struct bf_acct));
}

/* Who tried, as key and party: the address, or the local account. */
struct who {
	const char	*kind;
	char		 value[256];	/* an address, host name or account */
	const struct cybex_ip *ip;
};

static bool
who_of(const struct cybex_obs *o, struct who *w)
{
	w->ip = NULL;
	if (o->src_ip.family != 0) {
		w->ip = &o->src_ip;
		w->kind = dt_ip_kind(&o->src_ip);
		cybex_ip_format(&o->src_ip, w->value, sizeof(w->value));
		return true;
	}
	/* Logged by name only (PAM rhost=, sshd UseDNS): never resolved. */
	if (o->src_host != NULL && o->src_host[0] != '\0') {
		w->kind = "domain-name";
		dt_strlcpy(w->value, o->src_host, sizeof(w->value));
		return true;
	}
	/* su/sudo: the account that asked to become another. */
	if (o->target_user != NULL && o->user != NULL && o->user[0] != '\0') {
		w->kind = "user-account";
		dt_strlcpy(w->value, o->user, sizeof(w->value));
		return true;
	}
	return false;
}

/* The account tried, with its host: "root@web01". */
static void
account_of(const struct cybex_obs *o, char *out, size_t outsz,
    const char **user)
{
	char u[64], h[128];

	*user = o->target_user != NULL ? o->target_user : o->user;
	dt_strlcpy(u, *user, sizeof(u));
	if (o->host != NULL && o->host[0] != '\0')
		dt_strlcpy(h, o->host, sizeof(h));
	else
		cybex_ip_format(&o->dst_ip, h, sizeof(h));
	snprintf(out, outsz, "%s@%s", u, h);
}

/* Remember an account's fingerprint among the first EXACT ones. */
static void
note_user(struct bf_src *s, uint32_t fp)
{
	size_t i;

	for (i = 0; i < s->nufp; i++)
		if (s->ufp[i] == fp)
			return;
	if (s->nufp < EXACT)
		s->ufp[s->nufp++] = fp;
}

/* Seconds from the first failure to now (the activity's span). */
static int64_t
span_s(const struct cybex_detect *dt, int64_t first_us)
{
	return dt->now > first_us ? (dt->now - first_us) / 1000000 : 0;
}

static int
raise_source(struct cybex_detect *dt, struct bf_src *s, const struct who *w,
    const struct cybex_obs *o, double n, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	double accounts = s->nufp < EXACT ? (double)s->nufp :
	    fmax(dt_hll_count(s->users, HLL_P), EXACT);

	dt_alert_init(&x, "bruteforce", "intrusion-attempts", "brute-force", 2);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "bruteforce|%s", w->value);
	/* The running totals: an update carries them as the attack goes on. */
	dt_alert_summary(&x, "%s: %lu failed login%s in %lld s, against "
	    "about %.0f account%s", w->value, (unsigned long)s->total,
	    dt_plural((double)s->total), (long long)span_s(dt, s->first_us),
	    accounts, dt_plural(accounts));
	x.coop_party = dt_alert_party(&x, CYBEX_PARTY_ATTACKER, w->kind,
	    w->value);
	if (o->dst_ip.family != 0)
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &o->dst_ip);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", o->host);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "user-account",
	    s->last_user);
	x.a.first_seen_us = s->first_us;
	x.a.count = s->total;
	x.a.evidence = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:s?, s:s?}",
	    "scope", "source",
	    "window_seconds", (json_int_t)(dt->cfg->bf_window_us / 1000000),
	    "failures", (json_int_t)llround(n),
	    "threshold", (json_int_t)dt->cfg->bf_source_failures,
	    "accounts", (json_int_t)llround(accounts),
	    "total_failures", (json_int_t)s->total,
	    "last_account", s->last_user,
	    "service", o->auth_service);
	return dt_emit(dt, &x, fn, ud);
}

static int
raise_account(struct cybex_detect *dt, struct bf_acct *a, const char *acct,
    const char *user, const struct cybex_obs *o, double n,
    cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	json_t *srcs;
	double sources = dt_hll_count(a->srcs, HLL_P);
	char t[64];
	size_t i;

	dt_alert_init(&x, "bruteforce", "intrusion-attempts", "brute-force", 2);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "bruteforce|account|%s", acct);
	dt_alert_summary(&x, "%lu failed login%s to %s in %lld s from about "
	    "%.0f source%s", (unsigned long)a->total,
	    dt_plural((double)a->total), acct,
	    (long long)span_s(dt, a->first_us), sources, dt_plural(sources));
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "user-account", user);
	if (o->dst_ip.family != 0)
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &o->dst_ip);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", o->host);
	srcs = json_array();
	for (i = 0; i < a->nrecent; i++) {
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER,
		    &a->recent[i]);
		cybex_ip_format(&a->recent[i], t, sizeof(t));
		if (srcs != NULL)
			json_array_append_new(srcs, json_string(t));
	}
	x.a.first_seen_us = a->first_us;
	x.a.count = a->total;
	x.a.evidence = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o*}",
	    "scope", "account", "account", acct,
	    "window_seconds", (json_int_t)(dt->cfg->bf_window_us / 1000000),
	    "failures", (json_int_t)llround(n),
	    "threshold", (json_int_t)dt->cfg->bf_account_failures,
	    "sources", (json_int_t)llround(sources),
	    "total_failures", (json_int_t)a->total,
	    "recent_sources", srcs);
	return dt_emit(dt, &x, fn, ud);
}

static int
raise_access(struct cybex_detect *dt, const struct who *w, const char *acct,
    const char *user, double sfail, double afail, int64_t first_us,
    const struct cybex_obs *o, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	bool priv = user != NULL &&
	    dt_list_has(dt->cfg->privileged_accounts, user);

	dt_alert_init(&x, "bruteforce", "intrusions", priv ?
	    "privileged-account-compromise" :
	    "unprivileged-account-compromise", priv ? 4 : 3);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "access|%s|%s", w->value, acct);
	dt_alert_summary(&x, "%s logged in to %s after %.0f failed attempts "
	    "(%.0f against the account)", w->value, acct, sfail, afail);
	x.coop_party = dt_alert_party(&x, CYBEX_PARTY_ATTACKER, w->kind,
	    w->value);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "user-account", user);
	if (o->dst_ip.family != 0)
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &o->dst_ip);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", o->host);
	/*
	 * From the first failure behind it: a later login within the quiet
	 * period is an update of the same activity, not counted again.
	 */
	x.a.first_seen_us = first_us;
	x.a.count = (uint64_t)llround(sfail > afail ? sfail : afail) + 1;
	x.a.evidence = json_pack("{s:s, s:I, s:I, s:I, s:I, s:b, s:s?, s:s?}",
	    "account", acct,
	    "source_failures", (json_int_t)llround(sfail),
	    "account_failures", (json_int_t)llround(afail),
	    "threshold", (json_int_t)dt->cfg->bf_success_after,
	    "window_seconds", (json_int_t)(dt->cfg->bf_window_us / 1000000),
	    "privileged", priv,
	    "service", o->auth_service, "method", o->auth_method);
	return dt_emit(dt, &x, fn, ud);
}

static bool
among(const struct bf_acct *a, const struct cybex_ip *ip)
{
	size_t i;

	for (i = 0; i < a->nrecent; i++)
		if (dt_ip_equal(&a->recent[i], ip))
			return true;
	return false;
}

int
dt_bf_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_detect_config *c = dt->cfg;
	int64_t win = c->bf_window_us;
	struct bf_src *s = NULL;
	struct bf_acct *a = NULL;
	struct dt_kb kb;
	struct dt_key k;
	struct who w;
	char acct[256];
	const char *user;
	double sn = 0, an = 0;
	bool created, have_who, fail;
	int r = 0;

	fail = o->auth == CYBEX_AUTH_FAILURE ||
	    o->auth == CYBEX_AUTH_INVALID_USER || o->auth == CYBEX_AUTH_DENIED;
	if (!fail && o->auth != CYBEX_AUTH_SUCCESS)
		return 0;
	have_who = who_of(o, &w);
	if (have_who && w.ip != NULL && dt_allowed(dt, w.ip))
		return 0;
	account_of(o, acct, sizeof(acct), &user);
	if (have_who) {
		dt_kb_init(&kb, 'b');
		dt_kb_str(&kb, dt_org(dt, o));
		dt_kb_str(&kb, w.kind);
		dt_kb_str(&kb, w.value);
		dt_kb_hash(&kb, &dt->h, &k);
		s = fail ? dt_table_get(&dt->bf_src, &k, dt->now, &created) :
		    dt_table_find(&dt->bf_src, &k, dt->now);
		if (s != NULL && fail && created)
			s->first_us = dt->now;
	}
	if (user != NULL && user[0] != '\0') {
		dt_kb_init(&kb, 'a');
		dt_kb_str(&kb, dt_org(dt, o));
		dt_kb_str(&kb, acct);
		dt_kb_hash(&kb, &dt->h, &k);
		a = fail ? dt_table_get(&dt->bf_acct, &k, dt->now, &created) :
		    dt_table_find(&dt->bf_acct, &k, dt->now);
		if (a != NULL && fail && created)
			a->first_us = dt->now;
	}
	if (!fail) {
		if (!have_who)
			return 0;
		if (s != NULL)
			sn = dt_window_count(&s->fails, dt->now, win);
		if (a != NULL)
			an = dt_window_count(&a->fails, dt->now, win);
		if (sn >= (double)c->bf_success_after ||
		    (an >= (double)c->bf_success_after && w.ip != NULL &&
		    among(a, w.ip)))
			r = raise_access(dt, &w, acct, user, sn, an,
			    s != NULL && sn >= (double)c->bf_success_after ?
			    s->first_us : a != NULL ? a->first_us : 0, o, fn,
			    ud);
		return r;
	}
	if (s != NULL) {
		dt_window_add(&s->fails, dt->now, win, 1);
		if (s->total < UINT32_MAX)
			s->total++;
		if (user != NULL) {
			dt_kb_init(&kb, 'u');
			dt_kb_str(&kb, user);
			dt_kb_hash(&kb, &dt->h, &k);
			dt_hll_add(s->users, HLL_P, k.a);
			note_user(s, (uint32_t)k.a);
			dt_strlcpy(s->last_user, user, sizeof(s->last_user));
		}
		sn = dt_window_count(&s->fails, dt->now, win);
		if (sn >= (double)c->bf_source_failures &&
		    (r = raise_source(dt, s, &w, o, sn, fn, ud)) != 0)
			return r;
	}
	if (a != NULL) {
		dt_window_add(&a->fails, dt->now, win, 1);
		if (a->total < UINT32_MAX)
			a->total++;
		if (have_who && w.ip == NULL && o->src_host != NULL) {
			/* A source known by name counts among the sources. */
			dt_kb_init(&kb, 'n');
			dt_kb_str(&kb, w.value);
			dt_kb_hash(&kb, &dt->h, &k);
			dt_hll_add(a->srcs, HLL_P, k.a);
		}
		if (w.ip != NULL) {
			dt_kb_init(&kb, 'i');
			dt_kb_ip(&kb, w.ip);
			dt_kb_hash(&kb, &dt->h, &k);
			dt_hll_add(a->srcs, HLL_P, k.a);
			if (!among(a, w.ip)) {
				a->recent[a->pos] = *w.ip;
				a->pos = (uint8_t)((a->pos + 1) % RECENT);
				if (a->nrecent < RECENT)
					a->nrecent++;
			}
		}
		an = dt_window_count(&a->fails, dt->now, win);
		if (an >= (double)c->bf_account_failures)
			r = raise_account(dt, a, acct, user, o, an, fn, ud);
	}
	return r;
}
