/*
 * Spam: a host sending mail to many recipients, or mail from a host
 * listed on a spam feed.
 *
 * Per sending host (the client address, else the relay's name) the
 * distinct recipients in a tumbling window of spam_window are counted
 * with a HyperLogLog (plus the recipients a record names beyond those it
 * keeps); spam_recipients or more is spam.
 *
 * Feed entries (CYBEX_OBS_LISTED) whose category says spam are kept in a
 * capped table (spam_listed; least recently listed or matched go first):
 * addresses, address prefixes (ADDR/BITS) and domain names.  A mail whose
 * client address, relay name or sender domain is listed is spam from a
 * listed source.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect_int.h"

#define HLL_P		8
#define NAME_MAX_	253

struct spam_sender {
	int64_t		 wstart;
	int64_t		 first_us;
	uint32_t	 msgs;
	uint32_t	 extra;		/* recipients named but not kept */
	uint8_t		 rcpt[1 << HLL_P];
	char		 from[96];
};

struct listed {
	int64_t		 listed_us;
	char		 list[48];
	char		 value[64];
};

int
dt_spam_init(struct cybex_detect *dt)
{
	int r;

	if ((r = dt_table_alloc(dt, &dt->spam, dt->cfg->spam_senders,
	    sizeof(struct spam_sender))) != 0)
		return r;
	return dt_table_alloc(dt, &dt->listed, dt->cfg->spam_listed,
	    sizeof(struct listed));
}

static void
masked(const struct cybex_ip *ip, unsigned bits, struct cybex_ip *out)
{
	unsigned i, nbytes = ip->family == 4 ? 4 : 16;

	*out = *ip;
	for (i = 0; i < nbytes; i++) {
		if (bits >= 8 * (i + 1))
			continue;
		if (bits <= 8 * i)
			out->a[i] = 0;
		else
			out->a[i] &= (uint8_t)(0xff << (8 - (bits - 8 * i)));
	}
}

static void
key_prefix(const struct cybex_detect *dt, const struct cybex_ip *ip,
    unsigned bits, struct dt_key *k)
{
	struct dt_kb kb;
	struct cybex_ip m;

	masked(ip, bits, &m);
	dt_kb_init(&kb, 'L');
	dt_kb_ip(&kb, &m);
	dt_kb_u64(&kb, bits);
	dt_kb_hash(&kb, &dt->h, k);
}

static void
key_name(const struct cybex_detect *dt, const char *name, struct dt_key *k)
{
	char low[NAME_MAX_ + 1];
	struct dt_kb kb;
	size_t n = strlen(name), i;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n > NAME_MAX_)
		n = NAME_MAX_;
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	dt_kb_init(&kb, 'N');
	dt_kb_str(&kb, low);
	dt_kb_hash(&kb, &dt->h, k);
}

void
dt_spam_listed(struct cybex_detect *dt, const struct cybex_obs *o)
{
	struct dt_cidr c;
	struct dt_key k;
	struct listed *e;
	bool created;

	if (o->listed_value == NULL || o->list_category == NULL ||
	    strstr(o->list_category, "spam") == NULL)
		return;
	if (dt_cidr_parse(o->listed_value, &c) == 0) {
		if (c.bits < 8)
			return;		/* a feed error, not a spam source */
		key_prefix(dt, &c.ip, c.bits, &k);
		/* Which prefix lengths lookups must try. */
		if (c.ip.family == 4)
			dt->listed_v4 |= 1ULL << c.bits;
		else
			dt->listed_v6[c.bits / 64] |= 1ULL << (c.bits % 64);
	} else if (strchr(o->listed_value, '.') != NULL &&
	    strpbrk(o->listed_value, "/@: ") == NULL)
		key_name(dt, o->listed_value, &k);
	else
		return;			/* URLs, e-mail addresses: not here */
	if ((e = dt_table_get(&dt->listed, &k, dt->now, &created)) == NULL)
		return;
	e->listed_us = dt->now;
	dt_strlcpy(e->list, o->list_name, sizeof(e->list));
	dt_strlcpy(e->value, o->listed_value, sizeof(e->value));
}

/* The listed entry covering ip (longest prefix first), or NULL. */
static struct listed *
listed_ip(struct cybex_detect *dt, const struct cybex_ip *ip)
{
	struct listed *e;
	struct dt_key k;
	int bits;

	if (ip->family == 0)
		return NULL;
	for (bits = ip->family == 4 ? 32 : 128; bits >= 8; bits--) {
		if (ip->family == 4 ? !(dt->listed_v4 >> bits & 1) :
		    !(dt->listed_v6[bits / 64] >> (bits % 64) & 1))
			continue;
		key_prefix(dt, ip, (unsigned)bits, &k);
		if ((e = dt_table_find(&dt->listed, &k, dt->now)) != NULL)
			return e;
	}
	return NULL;
}

static int
raise_listed(struct cybex_detect *dt, const struct cybex_obs *o,
    const struct listed *e, const char *matched, const char *kind,
    const char *value, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;

	dt_alert_init(&x, "spam", "abusive-content", "spam", 2);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "spam|listed|%s", value);
	dt_alert_summary(&x, "mail from %s, listed as a spam source by %s",
	    value, e->list[0] ? e->list : "a feed");
	x.coop_party = dt_alert_party(&x, CYBEX_PARTY_ATTACKER, kind, value);
	if (o->n_rcpt > 0)
		(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "email-addr",
		    o->rcpt[0]);
	x.a.count = 1;
	x.a.evidence = json_pack("{s:s, s:s, s:s, s:s?, s:I, s:s?, s:s?}",
	    "matched", matched, "listed_value", e->value,
	    "list", e->list, "mail_from", o->mail_from,
	    "recipients", (json_int_t)o->n_rcpt_total,
	    "message_id", o->message_id, "status", o->mail_status);
	return dt_emit(dt, &x, fn, ud);
}

static int
check_listed(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct listed *e;
	struct dt_key k;
	const char *at;
	char ip[64], dom[NAME_MAX_ + 1];
	size_t n;

	if (dt->listed.used == 0)
		return 0;
	if ((e = listed_ip(dt, &o->src_ip)) != NULL) {
		cybex_ip_format(&o->src_ip, ip, sizeof(ip));
		return raise_listed(dt, o, e, "client address",
		    dt_ip_kind(&o->src_ip), ip, fn, ud);
	}
	if (o->mail_relay != NULL && strlen(o->mail_relay) <= NAME_MAX_) {
		key_name(dt, o->mail_relay, &k);
		if ((e = dt_table_find(&dt->listed, &k, dt->now)) != NULL)
			return raise_listed(dt, o, e, "relay name",
			    "domain-name", o->mail_relay, fn, ud);
	}
	if (o->mail_from != NULL && (at = strrchr(o->mail_from, '@')) != NULL) {
		n = strcspn(at + 1, ">");
		if (n > 0 && n < sizeof(dom)) {
			memcpy(dom, at + 1, n);
			dom[n] = '\0';
			key_name(dt, dom, &k);
			if ((e = dt_table_find(&dt->listed, &k, dt->now)) !=
			    NULL)
				return raise_listed(dt, o, e, "sender domain",
				    "domain-name", dom, fn, ud);
		}
	}
	return 0;
}

static int
raise_volume(struct cybex_detect *dt, const struct cybex_obs *o,
    const struct spam_sender *s, const char *kind, const char *who,
    double n, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;

	dt_alert_init(&x, "spam", "abusive-content", "spam", 2);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "spam|%s", who);
	dt_alert_summary(&x, "%s sent %u messages to about %.0f distinct "
	    "recipient%s in %lld s", who, s->msgs, n, dt_plural(n),
	    (long long)(dt->cfg->spam_window_us / 1000000));
	x.coop_party = dt_alert_party(&x, CYBEX_PARTY_ATTACKER, kind, who);
	if (o->n_rcpt > 0)
		(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "email-addr",
		    o->rcpt[0]);
	x.a.first_seen_us = s->first_us;
	x.a.count = s->msgs;
	x.a.evidence = json_pack("{s:I, s:I, s:I, s:I, s:s?}",
	    "recipients", (json_int_t)llround(n),
	    "threshold", (json_int_t)dt->cfg->spam_recipients,
	    "window_seconds", (json_int_t)(dt->cfg->spam_window_us / 1000000),
	    "messages", (json_int_t)s->msgs,
	    "sample_from", s->from[0] ? s->from : NULL);
	return dt_emit(dt, &x, fn, ud);
}

int
dt_spam_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	struct spam_sender *s;
	struct dt_kb kb;
	struct dt_key k;
	const char *kind;
	char who[NAME_MAX_ + 1];
	size_t i, nr;
	double n;
	bool created;
	int r;

	if (o->src_ip.family != 0 && dt_allowed(dt, &o->src_ip))
		return 0;
	if ((r = check_listed(dt, o, fn, ud)) != 0)
		return r;
	/*
	 * Volume: with home_net set, only the constituency's own hosts (big
	 * outside providers legitimately write to many of our users).
	 */
	if (dt->nhome > 0 && !dt_home(dt, &o->src_ip))
		return 0;
	if (o->src_ip.family != 0) {
		cybex_ip_format(&o->src_ip, who, sizeof(who));
		kind = dt_ip_kind(&o->src_ip);
	} else if (o->mail_relay != NULL && o->mail_relay[0] != '\0') {
		dt_strlcpy(who, o->mail_relay, sizeof(who));
		kind = "domain-name";
	} else
		return 0;
	nr = o->n_rcpt > CYBEX_OBS_RCPT_MAX ? CYBEX_OBS_RCPT_MAX : o->n_rcpt;
	if (nr == 0 && o->n_rcpt_total == 0)
		return 0;
	dt_kb_init(&kb, 'M');
	dt_kb_str(&kb, dt_org(dt, o));
	dt_kb_str(&kb, who);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((s = dt_table_get(&dt->spam, &k, dt->now, &created)) == NULL)
		return 0;
	if (created || dt->now - s->wstart >= dt->cfg->spam_window_us) {
		memset(s, 0, sizeof(*s));
		s->wstart = s->first_us = dt->now;
	}
	if (s->msgs < UINT32_MAX)
		s->msgs++;
	dt_strlcpy(s->from, o->mail_from, sizeof(s->from));
	for (i = 0; i < nr; i++) {
		if (o->rcpt[i] == NULL)
			continue;
		dt_kb_init(&kb, 'R');
		dt_kb_str(&kb, o->rcpt[i]);
		dt_kb_hash(&kb, &dt->h, &k);
		dt_hll_add(s->rcpt, HLL_P, k.a);
	}
	if (o->n_rcpt_total > nr) {
		/* Named but not kept: counted as distinct (an upper bound). */
		s->extra += o->n_rcpt_total - nr > UINT32_MAX - s->extra ?
		    UINT32_MAX - s->extra : (uint32_t)(o->n_rcpt_total - nr);
	}
	n = dt_hll_count(s->rcpt, HLL_P) + s->extra;
	if (n >= (double)dt->cfg->spam_recipients)
		return raise_volume(dt, o, s, kind, who, n, fn, ud);
	return 0;
}
