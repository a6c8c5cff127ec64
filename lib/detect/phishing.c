/*
 * Phishing and pharming.
 *
 * Phishing: names seen in DNS queries, HTTP hosts, TLS SNI and mail
 * senders' domains are compared with the constituency's protected domains
 * and brands.  A name under a protected domain is legitimate.  Otherwise
 * its registrable label (the label before the public suffix, from libpsl;
 * xn-- labels decoded with libidn2) is a look-alike of a protected label
 * when:
 *   - its skeleton (lookalike.c) equals the protected label's: an IDN
 *     homograph, a digit for a letter, "rn" for "m", a hyphen added;
 *   - it is the protected label under another public suffix (tld swap);
 *   - the Damerau-Levenshtein distance of the skeletons is at most one
 *     edit per 4 characters of the protected label, and at most
 *     phishing_max_distance (labels shorter than phishing_min_length:
 *     homographs only);
 * and any name whose skeleton contains a brand (protected_brand, and the
 * protected domains' labels of at least phishing_min_length characters)
 * imitates it ("paypal-login.example", "paypal.com.evil.example").
 * Each name is checked once and its verdict remembered (phishing_names
 * entries); a look-alike is reported again only after the quiet period.
 *
 * Pharming: DNS answers (A/AAAA) for a name with known addresses
 * (known_address) that give another address.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>
#include <libpsl.h>

#include "detect_int.h"

#define NAME_MAX_	253

struct prot_name {
	char		*name;		/* "northbank.example" */
	const char	*suffix;	/* within name: "example" */
	char		 label[DT_LABEL_MAX];	/* "northbank" */
	char		 skel[DT_LABEL_MAX];
	size_t		 slen;
};

struct prot_brand {
	const char	*from;		/* the brand or protected domain */
	char		 raw[DT_LABEL_MAX];
	char		 skel[DT_LABEL_MAX];
	size_t		 slen;
};

struct dt_protected {
	struct prot_name *dom;		/* sorted by name */
	size_t		 ndom;
	struct prot_brand *brand;
	size_t		 nbrand;
};

struct known_ent {
	char		*name;
	struct cybex_ip	*ip;
	size_t		 nip;
};

struct dt_known {
	struct known_ent *e;		/* sorted by name */
	size_t		 n;
};

enum verdict {
	V_BENIGN = 1,
	V_PHISH,
};

struct phish_name {
	uint8_t		 verdict;
};

static void *
zalloc(struct cybex_detect *dt, size_t n, size_t sz)
{
	void *p = cybex_calloc(n != 0 ? n : 1, sz);

	if (p != NULL)
		dt->memory += (n != 0 ? n : 1) * sz;
	return p;
}

static char *
sdup(struct cybex_detect *dt, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = zalloc(dt, n, 1);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static int
cmp_dom(const void *a, const void *b)
{
	return strcmp(((const struct prot_name *)a)->name,
	    ((const struct prot_name *)b)->name);
}

static int
cmp_known(const void *a, const void *b)
{
	return strcmp(((const struct known_ent *)a)->name,
	    ((const struct known_ent *)b)->name);
}

/*
 * The registrable label of name (decoded to UTF-8 if it is an A-label)
 * into label, and where its public suffix starts in name (NULL when name
 * has no registrable part).
 */
static const char *
reg_label(const struct cybex_detect *dt, const char *name, char *label,
    size_t labelsz)
{
	const char *reg = NULL, *dot;
	char raw[DT_LABEL_MAX + 1], *u = NULL;
	size_t n;

	label[0] = '\0';
	if (dt->psl != NULL)
		reg = psl_registrable_domain(dt->psl, name);
	if (reg == NULL) {
		/* No list: the last two labels. */
		if ((dot = strrchr(name, '.')) == NULL || dot == name)
			return NULL;
		for (reg = dot - 1; reg > name && reg[-1] != '.'; reg--)
			;
	}
	if ((dot = strchr(reg, '.')) == NULL)
		return NULL;
	n = (size_t)(dot - reg);
	if (n == 0 || n > DT_LABEL_MAX - 1)
		return NULL;
	memcpy(raw, reg, n);
	raw[n] = '\0';
	if (strncmp(raw, "xn--", 4) == 0 &&
	    idn2_to_unicode_8z8z(raw, &u, 0) == IDN2_OK) {
		dt_strlcpy(label, u, labelsz);
		idn2_free(u);
	} else
		dt_strlcpy(label, raw, labelsz);
	return dot + 1;
}

static int
add_brand(struct cybex_detect *dt, struct dt_protected *p, const char *from,
    const char *text)
{
	struct prot_brand *b = &p->brand[p->nbrand];

	b->from = from;
	dt_strlcpy(b->raw, text, sizeof(b->raw));
	b->slen = dt_skeleton(text, strlen(text), b->skel, sizeof(b->skel));
	if (b->slen == 0)
		return 0;
	p->nbrand++;
	(void)dt;
	return 0;
}

static int
init_protected(struct cybex_detect *dt)
{
	const struct cybex_detect_config *c = dt->cfg;
	struct dt_protected *p;
	struct prot_name *d;
	size_t i;

	if ((p = dt->prot = zalloc(dt, 1, sizeof(*p))) == NULL)
		return CYBEX_ENOMEM;
	if ((p->dom = zalloc(dt, c->protected_domain.n, sizeof(*p->dom))) ==
	    NULL || (p->brand = zalloc(dt, c->protected_domain.n +
	    c->protected_brand.n, sizeof(*p->brand))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < c->protected_domain.n; i++) {
		d = &p->dom[p->ndom];
		if ((d->name = sdup(dt, c->protected_domain.v[i])) == NULL)
			return CYBEX_ENOMEM;
		d->suffix = reg_label(dt, d->name, d->label, sizeof(d->label));
		if (d->suffix == NULL) {
			/* A bare suffix or one label: protects its subtree. */
			d->label[0] = '\0';
		}
		d->slen = dt_skeleton(d->label, strlen(d->label), d->skel,
		    sizeof(d->skel));
		p->ndom++;
	}
	qsort(p->dom, p->ndom, sizeof(*p->dom), cmp_dom);
	for (i = 0; i < p->ndom; i++)
		if (strlen(p->dom[i].label) >= c->phishing_min_length)
			(void)add_brand(dt, p, p->dom[i].name, p->dom[i].label);
	for (i = 0; i < c->protected_brand.n; i++)
		(void)add_brand(dt, p, c->protected_brand.v[i],
		    c->protected_brand.v[i]);
	return 0;
}

static int
init_known(struct cybex_detect *dt)
{
	const struct cybex_setting_list *l = &dt->cfg->known_address;
	struct dt_known *k;
	struct known_ent *e;
	char tok[128];
	const char *s;
	size_t i, n, j;

	if ((k = dt->known = zalloc(dt, 1, sizeof(*k))) == NULL ||
	    (k->e = zalloc(dt, l->n, sizeof(*k->e))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < l->n; i++) {
		/* "name addr addr ..." (checked when set). */
		s = l->v[i];
		e = &k->e[k->n++];
		n = strcspn(s, " ");
		if (n >= sizeof(tok))
			n = sizeof(tok) - 1;
		memcpy(tok, s, n);
		tok[n] = '\0';
		if ((e->name = sdup(dt, tok)) == NULL)
			return CYBEX_ENOMEM;
		for (j = 0; s[j] != '\0'; j++)
			if (s[j] == ' ')
				e->nip++;
		if ((e->ip = zalloc(dt, e->nip, sizeof(*e->ip))) == NULL)
			return CYBEX_ENOMEM;
		e->nip = 0;
		s += n;
		while (*s == ' ') {
			s++;
			n = strcspn(s, " ");
			if (n >= sizeof(tok))
				n = sizeof(tok) - 1;
			memcpy(tok, s, n);
			tok[n] = '\0';
			if (cybex_ip_parse(tok, n, &e->ip[e->nip]) == 0)
				e->nip++;
			s += n;
		}
	}
	qsort(k->e, k->n, sizeof(*k->e), cmp_known);
	/* Two lines for one name: merge into the first. */
	for (i = 0, j = 0; i < k->n; i++) {
		if (j > 0 && strcmp(k->e[j - 1].name, k->e[i].name) == 0) {
			struct known_ent *a = &k->e[j - 1], *b = &k->e[i];
			struct cybex_ip *m = zalloc(dt, a->nip + b->nip,
			    sizeof(*m));

			if (m == NULL)
				return CYBEX_ENOMEM;
			memcpy(m, a->ip, a->nip * sizeof(*m));
			memcpy(m + a->nip, b->ip, b->nip * sizeof(*m));
			cybex_free(a->ip);
			cybex_free(b->ip);
			cybex_free(b->name);
			b->ip = NULL;
			b->name = NULL;
			a->ip = m;
			a->nip += b->nip;
			continue;
		}
		k->e[j++] = k->e[i];
	}
	k->n = j;
	return 0;
}

int
dt_phish_init(struct cybex_detect *dt, struct cybex_diag *d)
{
	size_t cap = (size_t)dt->cfg->phishing_names;
	int r;

	/* The newest of the built-in list and the system's file. */
	dt->psl = (void *)psl_latest(NULL);
	if (dt->psl == NULL)
		dt->psl = (void *)psl_builtin();
	if ((r = init_protected(dt)) != 0 || (r = init_known(dt)) != 0)
		return r;
	(void)d;
	return dt_table_alloc(dt, &dt->phish, cap, sizeof(struct phish_name));
}

void
dt_phish_fini(struct cybex_detect *dt)
{
	size_t i;

	if (dt->psl != NULL && dt->psl != (const void *)psl_builtin())
		psl_free(dt->psl);
	dt->psl = NULL;
	if (dt->prot != NULL) {
		for (i = 0; i < dt->prot->ndom; i++)
			cybex_free(dt->prot->dom[i].name);
		cybex_free(dt->prot->dom);
		cybex_free(dt->prot->brand);
		cybex_free(dt->prot);
		dt->prot = NULL;
	}
	if (dt->known != NULL) {
		for (i = 0; i < dt->known->n; i++) {
			cybex_free(dt->known->e[i].name);
			cybex_free(dt->known->e[i].ip);
		}
		cybex_free(dt->known->e);
		cybex_free(dt->known);
		dt->known = NULL;
	}
	dt_table_fini(&dt->phish);
}

/* Is name (lower case) a protected domain or under one? */
static bool
protected_name(const struct dt_protected *p, const char *name)
{
	struct prot_name key;
	const char *s = name;

	for (;;) {
		key.name = (char *)(uintptr_t)s;
		if (bsearch(&key, p->dom, p->ndom, sizeof(*p->dom),
		    cmp_dom) != NULL)
			return true;
		if ((s = strchr(s, '.')) == NULL)
			return false;
		s++;
	}
}

/* Normalize a name: lower case, no trailing dot; false if unusable. */
static bool
norm_name(const char *in, char *out, size_t outsz)
{
	size_t n = strlen(in), i;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n > NAME_MAX_ || n >= outsz)
		return false;
	for (i = 0; i < n; i++) {
		if (in[i] == ' ' || in[i] == '/' || in[i] == '@')
			return false;
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[n] = '\0';
	return true;
}

/* The skeleton of the whole name, label by label (IDNs decoded). */
static size_t
name_skeleton(const char *name, char *out, size_t outsz)
{
	char lab[DT_LABEL_MAX + 1], *u;
	const char *s = name, *dot;
	size_t n, k = 0;

	out[0] = '\0';
	while (*s != '\0' && k + 2 < outsz) {
		dot = strchr(s, '.');
		n = dot != NULL ? (size_t)(dot - s) : strlen(s);
		if (n > DT_LABEL_MAX)
			n = DT_LABEL_MAX;
		memcpy(lab, s, n);
		lab[n] = '\0';
		u = NULL;
		if (strncmp(lab, "xn--", 4) == 0 &&
		    idn2_to_unicode_8z8z(lab, &u, 0) == IDN2_OK) {
			k += dt_skeleton(u, strlen(u), out + k, outsz - k);
			idn2_free(u);
		} else
			k += dt_skeleton(lab, n, out + k, outsz - k);
		if (dot == NULL)
			break;
		if (k + 1 < outsz) {
			out[k++] = '.';
			out[k] = '\0';
		}
		s = dot + 1;
	}
	return k;
}

struct lookalike {
	const char	*imitates;
	const char	*technique;
	unsigned	 distance;
	char		 label[DT_LABEL_MAX];
	char		 skel[DT_LABEL_MAX];
};

static unsigned
allowed_edits(const struct cybex_detect_config *c, size_t len)
{
	unsigned a;

	if (len < c->phishing_min_length)
		return 0;
	a = (unsigned)(len / 4);
	return a < c->phishing_max_distance ? a :
	    (unsigned)c->phishing_max_distance;
}

static bool
close_to(const struct cybex_detect_config *c, const char *s, size_t n,
    const char *p, size_t m, unsigned *dist)
{
	unsigned a = allowed_edits(c, m);
	size_t diff = n > m ? n - m : m - n;

	if (a == 0 || diff > a)
		return false;
	*dist = dt_edit_distance(s, n, p, m);
	return *dist > 0 && *dist <= a;
}

static bool
check(struct cybex_detect *dt, const char *name, struct lookalike *out)
{
	const struct cybex_detect_config *c = dt->cfg;
	const struct dt_protected *p = dt->prot;
	const struct prot_name *d;
	const struct prot_brand *b;
	const char *suffix;
	char full[NAME_MAX_ + 8];
	size_t i, slen;
	unsigned dist;

	memset(out, 0, sizeof(*out));
	suffix = reg_label(dt, name, out->label, sizeof(out->label));
	slen = dt_skeleton(out->label, strlen(out->label), out->skel,
	    sizeof(out->skel));
	for (i = 0; suffix != NULL && i < p->ndom; i++) {
		d = &p->dom[i];
		if (d->label[0] == '\0')
			continue;
		out->imitates = d->name;
		if (strcmp(out->label, d->label) == 0) {
			if (c->phishing_tld_swap && d->suffix != NULL &&
			    strcmp(suffix, d->suffix) != 0) {
				out->technique = "tld-swap";
				return true;
			}
			continue;
		}
		if (slen == d->slen && strcmp(out->skel, d->skel) == 0) {
			out->technique = "homograph";
			return true;
		}
		if (close_to(c, out->skel, slen, d->skel, d->slen, &dist)) {
			out->technique = "typo";
			out->distance = dist;
			return true;
		}
	}
	for (i = 0; i < p->nbrand; i++) {
		b = &p->brand[i];
		out->imitates = b->from;
		if (suffix != NULL && strcmp(out->label, b->raw) == 0) {
			/* The brand itself as a name: a tld swap at most. */
			if (!c->phishing_tld_swap)
				goto benign;
			out->technique = "tld-swap";
			return true;
		}
		if (suffix != NULL && slen == b->slen &&
		    strcmp(out->skel, b->skel) == 0) {
			out->technique = "homograph";
			return true;
		}
		if (suffix != NULL && close_to(c, out->skel, slen, b->skel,
		    b->slen, &dist)) {
			out->technique = "typo";
			out->distance = dist;
			return true;
		}
	}
	if (p->nbrand > 0) {
		(void)name_skeleton(name, full, sizeof(full));
		for (i = 0; i < p->nbrand; i++) {
			b = &p->brand[i];
			if (b->slen >= c->phishing_min_length &&
			    strstr(full, b->skel) != NULL) {
				out->imitates = b->from;
				out->technique = "brand";
				return true;
			}
		}
	}
	out->imitates = NULL;
	return false;
 benign:
	out->imitates = NULL;
	return false;
}

static int
raise_phish(struct cybex_detect *dt, const char *name, const char *source,
    const struct lookalike *l, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	char *u = NULL;

	if (strstr(name, "xn--") != NULL &&
	    idn2_to_unicode_8z8z(name, &u, 0) != IDN2_OK)
		u = NULL;
	dt_alert_init(&x, "phishing", "fraud", "phishing", 3);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "phishing|%s", name);
	dt_alert_summary(&x, "%s%s%s%s imitates %s (%s) in %s", name,
	    u != NULL ? " (" : "", u != NULL ? u : "", u != NULL ? ")" : "",
	    l->imitates, l->technique, source);
	x.coop_party = dt_alert_party(&x, CYBEX_PARTY_ATTACKER, "domain-name",
	    name);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, strchr(l->imitates, '.') ?
	    "domain-name" : "organization", l->imitates);
	if (o->kind == CYBEX_OBS_MAIL && o->n_rcpt > 0)
		(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "email-addr",
		    o->rcpt[0]);
	else
		(void)dt_alert_party_ip(&x, CYBEX_PARTY_VICTIM, &o->src_ip);
	x.a.count = 1;
	x.a.evidence = json_pack("{s:s, s:s?, s:s, s:s, s:I, s:s, s:s, s:s}",
	    "name", name, "unicode", u, "imitates", l->imitates,
	    "technique", l->technique, "distance", (json_int_t)l->distance,
	    "label", l->label, "skeleton", l->skel, "seen_in", source);
	idn2_free(u);
	return dt_emit(dt, &x, fn, ud);
}

static int
check_name(struct cybex_detect *dt, const char *raw, const char *source,
    const struct cybex_obs *o, cybex_alert_fn fn, void *ud)
{
	struct phish_name *e;
	struct lookalike l;
	struct dt_kb kb;
	struct dt_key k;
	char name[NAME_MAX_ + 2], key[NAME_MAX_ + 160], org[128];
	struct cybex_ip ip;
	bool created;

	if (raw == NULL || !norm_name(raw, name, sizeof(name)) ||
	    /* an address, not a name */
	    cybex_ip_parse(name, strlen(name), &ip) == 0)
		return 0;
	dt_kb_init(&kb, 'P');
	dt_kb_str(&kb, name);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((e = dt_table_get(&dt->phish, &k, dt->now, &created)) == NULL)
		return 0;
	if (!created && e->verdict == V_BENIGN)
		return 0;
	/* The key dt_alert_key makes (the org as the alert keeps it). */
	dt_strlcpy(org, dt_org(dt, o), sizeof(org));
	if (org[0] != '\0')
		snprintf(key, sizeof(key), "phishing|%s|%s", org, name);
	else
		snprintf(key, sizeof(key), "phishing|%s", name);
	if (!created && dt_quiet(dt, key))
		return 0;
	if (protected_name(dt->prot, name) || !check(dt, name, &l)) {
		e->verdict = V_BENIGN;
		return 0;
	}
	e->verdict = V_PHISH;
	return raise_phish(dt, name, source, &l, o, fn, ud);
}

int
dt_phish_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const char *at;
	char dom[NAME_MAX_ + 2];
	size_t n;

	if (dt->prot == NULL || (dt->prot->ndom == 0 && dt->prot->nbrand == 0))
		return 0;
	switch (o->kind) {
	case CYBEX_OBS_DNS:
		return check_name(dt, o->dns_query, "dns", o, fn, ud);
	case CYBEX_OBS_HTTP:
		return check_name(dt, o->http_host, "http", o, fn, ud);
	case CYBEX_OBS_TLS:
		return check_name(dt, o->tls_sni, "tls", o, fn, ud);
	case CYBEX_OBS_MAIL:
		if (o->mail_from == NULL ||
		    (at = strrchr(o->mail_from, '@')) == NULL)
			return 0;
		n = strcspn(at + 1, ">");
		if (n == 0 || n >= sizeof(dom))
			return 0;
		memcpy(dom, at + 1, n);
		dom[n] = '\0';
		return check_name(dt, dom, "mail", o, fn, ud);
	default:
		return 0;
	}
}

/* ---- pharming ---- */

static const struct known_ent *
known(const struct dt_known *k, const char *name)
{
	struct known_ent key;

	key.name = (char *)(uintptr_t)name;
	return bsearch(&key, k->e, k->n, sizeof(*k->e), cmp_known);
}

static int
raise_pharm(struct cybex_detect *dt, const struct known_ent *e,
    const struct cybex_obs_answer *ans, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	char ip[64], t[64], src[64], dst[64];
	json_t *kn;
	size_t i;

	cybex_ip_format(&ans->ip, ip, sizeof(ip));
	cybex_ip_format(&o->src_ip, src, sizeof(src));
	cybex_ip_format(&o->dst_ip, dst, sizeof(dst));
	dt_alert_init(&x, "pharming", "fraud", "phishing", 4);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "pharming|%s|%s", e->name, ip);
	dt_alert_summary(&x, "DNS answered %s for %s, which is not one of its "
	    "%zu known addresses", ip, e->name, e->nip);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", e->name);
	x.coop_party = dt_alert_party_ip(&x, CYBEX_PARTY_ATTACKER, &ans->ip);
	x.a.count = 1;
	kn = json_array();
	for (i = 0; kn != NULL && i < e->nip; i++) {
		cybex_ip_format(&e->ip[i], t, sizeof(t));
		json_array_append_new(kn, json_string(t));
	}
	x.a.evidence = json_pack("{s:s, s:s, s:s?, s:o*, s:s?, s:s?, s:s?, "
	    "s:s?}",
	    "name", e->name, "answer", ip, "rrtype", ans->rrtype,
	    "known", kn, "query", o->dns_query, "rcode", o->dns_rcode,
	    "src", src[0] ? src : NULL, "dst", dst[0] ? dst : NULL);
	return dt_emit(dt, &x, fn, ud);
}

int
dt_pharm_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct cybex_obs_answer *ans;
	const struct known_ent *e;
	char name[NAME_MAX_ + 2];
	size_t i, j, n = o->n_answers;
	int r;

	if (dt->known == NULL || dt->known->n == 0)
		return 0;
	if (n > CYBEX_OBS_ANSWERS_MAX)
		n = CYBEX_OBS_ANSWERS_MAX;
	for (i = 0; i < n; i++) {
		ans = &o->answers[i];
		if (ans->ip.family == 0)
			continue;
		if (!norm_name(ans->rrname != NULL ? ans->rrname :
		    o->dns_query != NULL ? o->dns_query : "", name,
		    sizeof(name)))
			continue;
		if ((e = known(dt->known, name)) == NULL)
			continue;
		for (j = 0; j < e->nip; j++)
			if (dt_ip_equal(&e->ip[j], &ans->ip))
				break;
		if (j < e->nip)
			continue;
		if ((r = raise_pharm(dt, e, ans, o, fn, ud)) != 0)
			return r;
	}
	return 0;
}
