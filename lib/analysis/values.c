/*
 * What an observation is looked up by, and the STIX Cyber-observable
 * objects its evidence is written as.
 *
 * values_of lists the values of an observation with the index field each
 * belongs to: addresses (source, destination, DNS answers, feed entries),
 * ports, domains (DNS query and CNAMEs, HTTP host, TLS SNI, the domains of
 * mail addresses), URLs (an HTTP path becomes http://host/path), file
 * hashes and names, e-mail addresses, accounts and certificate SHA-1
 * fingerprints (colons dropped).  It allocates nothing per observation:
 * derived strings go into the scratch buffer.
 */
#include <string.h>

#include "analysis_int.h"

const char *const lk_field[LK_N] = {
	[LK_IPV4] = "ipv4-addr:value",
	[LK_IPV6] = "ipv6-addr:value",
	[LK_DST_PORT] = "network-traffic:dst_port",
	[LK_SRC_PORT] = "network-traffic:src_port",
	[LK_DOMAIN] = "domain-name:value",
	[LK_URL] = "url:value",
	[LK_MD5] = "file:hashes.MD5",
	[LK_SHA1] = "file:hashes.'SHA-1'",
	[LK_SHA256] = "file:hashes.'SHA-256'",
	[LK_EMAIL] = "email-addr:value",
	[LK_USER] = "user-account:account_login",
	[LK_X509_SHA1] = "x509-certificate:hashes.'SHA-1'",
	[LK_FILE_NAME] = "file:name",
};

#define DERIVED	((size_t)-1)

struct vlist {
	struct lvalue		*v;
	size_t			 n;
	struct values_scratch	*sc;
};

static void
put_str(struct vlist *l, enum lk kind, const char *s)
{
	size_t len;

	if (s == NULL || l->n == VALUES_MAX)
		return;
	len = strlen(s);
	if (len == 0 || len > VALUE_MAX)
		return;
	l->v[l->n].kind = kind;
	l->v[l->n].s = s;
	l->v[l->n].len = len;
	l->v[l->n].i = 0;
	l->sc->offs[l->n] = DERIVED;
	l->n++;
}

/* A value made here: its bytes go to the scratch buffer. */
static void
put_derived(struct vlist *l, enum lk kind, const char *p, size_t len)
{
	size_t off = l->sc->b.len;

	if (l->n == VALUES_MAX || len == 0 || len > VALUE_MAX)
		return;
	if (cybex_buf_append(&l->sc->b, p, len) != 0 ||
	    cybex_buf_putc(&l->sc->b, '\0') != 0) {
		cybex_buf_truncate(&l->sc->b, off);
		return;
	}
	l->v[l->n].kind = kind;
	l->v[l->n].s = NULL;
	l->v[l->n].len = len;
	l->v[l->n].i = 0;
	l->sc->offs[l->n] = off;
	l->n++;
}

static void
put_int(struct vlist *l, enum lk kind, int64_t i)
{
	if (l->n == VALUES_MAX)
		return;
	l->v[l->n].kind = kind;
	l->v[l->n].s = NULL;
	l->v[l->n].len = 0;
	l->v[l->n].i = i;
	l->sc->offs[l->n] = DERIVED;
	l->n++;
}

static void
put_ip(struct vlist *l, const struct cybex_ip *ip, const char *text)
{
	char buf[CYBEX_IP_TEXT_MAX];
	enum lk kind;

	if (ip->family != 4 && ip->family != 6)
		return;
	kind = ip->family == 4 ? LK_IPV4 : LK_IPV6;
	if (text != NULL) {
		put_str(l, kind, text);
		return;
	}
	cybex_ip_format(ip, buf, sizeof(buf));
	if (buf[0] != '\0')
		put_derived(l, kind, buf, strlen(buf));
}

/* user@example.com: the address and its domain. */
static void
put_mail(struct vlist *l, const char *addr)
{
	const char *at;

	if (addr == NULL || *addr == '\0')
		return;
	put_str(l, LK_EMAIL, addr);
	if ((at = strrchr(addr, '@')) != NULL && at[1] != '\0')
		put_str(l, LK_DOMAIN, at + 1);
}

/* An HTTP path with a host becomes an absolute http:// URL. */
static void
put_url(struct vlist *l, const char *url, const char *host)
{
	struct cybex_buf *b = &l->sc->b;
	size_t off = b->len;

	if (url == NULL || *url == '\0')
		return;
	if (url[0] != '/') {
		put_str(l, LK_URL, url);
		return;
	}
	if (host == NULL || *host == '\0')
		return;
	if (cybex_buf_puts(b, "http://") != 0 || cybex_buf_puts(b, host) != 0 ||
	    cybex_buf_puts(b, url) != 0) {
		cybex_buf_truncate(b, off);
		return;
	}
	/* put_derived copies again; simpler to reuse the bytes in place. */
	if (l->n == VALUES_MAX || b->len - off > VALUE_MAX ||
	    cybex_buf_putc(b, '\0') != 0) {
		cybex_buf_truncate(b, off);
		return;
	}
	l->v[l->n].kind = LK_URL;
	l->v[l->n].s = NULL;
	l->v[l->n].len = b->len - off - 1;
	l->v[l->n].i = 0;
	l->sc->offs[l->n] = off;
	l->n++;
}

/* "AA:BB:..." -> "aabb...". */
static void
put_fingerprint(struct vlist *l, const char *fp)
{
	char hex[128];
	size_t k = 0;

	if (fp == NULL)
		return;
	for (; *fp != '\0' && k + 1 < sizeof(hex); fp++) {
		if (*fp == ':')
			continue;
		hex[k++] = (char)(*fp >= 'A' && *fp <= 'F' ? *fp + 32 : *fp);
	}
	if (*fp == '\0')
		put_derived(l, LK_X509_SHA1, hex, k);
}

static int
listed_kind(const char *type)
{
	static const struct {
		const char	*type;
		enum lk		 kind;
	} map[] = {
		{ "ipv4-addr", LK_IPV4 }, { "ipv6-addr", LK_IPV6 },
		{ "domain-name", LK_DOMAIN }, { "url", LK_URL },
		{ "email-addr", LK_EMAIL }, { "md5", LK_MD5 },
		{ "sha1", LK_SHA1 }, { "sha256", LK_SHA256 },
		{ "file:hashes.MD5", LK_MD5 },
		{ "file:hashes.'SHA-1'", LK_SHA1 },
		{ "file:hashes.'SHA-256'", LK_SHA256 },
	};
	size_t i;

	if (type == NULL)
		return -1;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].type, type) == 0)
			return (int)map[i].kind;
	return -1;
}

size_t
values_of(const struct cybex_obs *o, struct values_scratch *sc,
    struct lvalue *v)
{
	struct vlist l = { v, 0, sc };
	size_t i;
	int k;

	cybex_buf_reset(&sc->b);
	put_ip(&l, &o->src_ip, o->src_ip_text);
	put_ip(&l, &o->dst_ip, o->dst_ip_text);
	if (o->has_dst_port)
		put_int(&l, LK_DST_PORT, o->dst_port);
	if (o->has_src_port)
		put_int(&l, LK_SRC_PORT, o->src_port);
	put_str(&l, LK_DOMAIN, o->dns_query);
	for (i = 0; i < o->n_answers && i < CYBEX_OBS_ANSWERS_MAX; i++) {
		const struct cybex_obs_answer *an = &o->answers[i];

		if (an->ip.family != 0)
			put_ip(&l, &an->ip, NULL);
		else if (an->rrtype != NULL && strcmp(an->rrtype, "CNAME") == 0)
			put_str(&l, LK_DOMAIN, an->rdata);
	}
	put_str(&l, LK_DOMAIN, o->http_host);
	put_url(&l, o->url, o->http_host);
	put_str(&l, LK_DOMAIN, o->tls_sni);
	put_fingerprint(&l, o->tls_fingerprint);
	put_str(&l, LK_MD5, o->md5);
	put_str(&l, LK_SHA1, o->sha1);
	put_str(&l, LK_SHA256, o->sha256);
	put_str(&l, LK_FILE_NAME, o->file_name);
	put_mail(&l, o->mail_from);
	for (i = 0; i < o->n_rcpt && i < CYBEX_OBS_RCPT_MAX; i++)
		put_mail(&l, o->rcpt[i]);
	put_str(&l, LK_USER, o->user);
	if (o->listed_value != NULL &&
	    (k = listed_kind(o->listed_type)) >= 0) {
		if (k == LK_EMAIL)
			put_mail(&l, o->listed_value);
		else
			put_str(&l, (enum lk)k, o->listed_value);
	}
	/* The scratch buffer is complete: point into it. */
	for (i = 0; i < l.n; i++)
		if (sc->offs[i] != DERIVED)
			v[i].s = sc->b.data + sc->offs[i];
	return l.n;
}

void
values_scratch_free(struct values_scratch *sc)
{
	cybex_buf_free(&sc->b);
}

/* ---- samples ---- */

static void
lower_copy(char *dst, size_t n, const char *src)
{
	size_t i = 0;

	if (src != NULL)
		for (; src[i] != '\0' && i + 1 < n; i++)
			dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ?
			    src[i] + 32 : src[i]);
	dst[i] = '\0';
}

int
sample_set(struct hit_sample *s, const struct cybex_obs *o,
    const struct lvalue *v)
{
	char *nv;
	size_t need;

	s->ts_us = o->ts_us;
	s->src = o->src_ip;
	s->dst = o->dst_ip;
	s->has_sport = o->has_src_port;
	s->has_dport = o->has_dst_port;
	s->sport = o->src_port;
	s->dport = o->dst_port;
	lower_copy(s->proto, sizeof(s->proto), o->proto);
	lower_copy(s->app, sizeof(s->app), o->app_proto);
	s->kind = v->kind;
	s->ivalue = v->i;
	if (v->s == NULL) {
		if (s->value != NULL)
			s->value[0] = '\0';
		return 0;
	}
	need = v->len + 1;
	if (need > s->vcap) {
		if ((nv = cybex_realloc(s->value, need)) == NULL)
			return CYBEX_ENOMEM;
		s->value = nv;
		s->vcap = need;
	}
	memcpy(s->value, v->s, v->len);
	s->value[v->len] = '\0';
	return 0;
}

void
sample_free(struct hit_sample *s)
{
	cybex_free(s->value);
	s->value = NULL;
	s->vcap = 0;
}

static bool
has_value(const struct hit_sample *s)
{
	return s->value != NULL && s->value[0] != '\0';
}

/* Give sco its deterministic id and append it to arr; id out (may be
 * NULL).  An SCO the validator refuses (an odd value) is left out. */
static int
add_sco(json_t *arr, json_t *sco, char *id, size_t idsz)
{
	char buf[CYBEX_STIX_ID_MAX];
	struct cybex_diag d;

	if (sco == NULL)
		return CYBEX_ENOMEM;
	if (cybex_stix_sco_id(sco, buf, sizeof(buf), &d) != 0 ||
	    json_object_set_new(sco, "id", json_string(buf)) != 0 ||
	    stix_check(sco, &d) != 0) {
		json_decref(sco);
		if (id != NULL)
			id[0] = '\0';
		return 0;
	}
	if (id != NULL)
		snprintf(id, idsz, "%s", buf);
	return json_array_append_new(arr, sco) == 0 ? 0 : CYBEX_ENOMEM;
}

static json_t *
sco_new(const char *type)
{
	return json_pack("{s:s, s:s}", "type", type, "spec_version", "2.1");
}

static json_t *
ip_sco(const struct cybex_ip *ip)
{
	char buf[CYBEX_IP_TEXT_MAX];
	json_t *o;

	cybex_ip_format(ip, buf, sizeof(buf));
	if (buf[0] == '\0')
		return NULL;
	if ((o = sco_new(ip->family == 4 ? "ipv4-addr" : "ipv6-addr")) != NULL &&
	    json_object_set_new(o, "value", json_string(buf)) != 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

static json_t *
traffic_sco(const char *src, const char *dst, bool has_sport, int sport,
    bool has_dport, int dport, const char *proto, const char *app,
    int family)
{
	json_t *o, *p;

	if ((o = sco_new("network-traffic")) == NULL ||
	    (p = json_array()) == NULL) {
		json_decref(o);
		return NULL;
	}
	if (src != NULL && *src != '\0')
		json_object_set_new(o, "src_ref", json_string(src));
	if (dst != NULL && *dst != '\0')
		json_object_set_new(o, "dst_ref", json_string(dst));
	if (has_sport)
		json_object_set_new(o, "src_port", json_integer(sport));
	if (has_dport)
		json_object_set_new(o, "dst_port", json_integer(dport));
	json_array_append_new(p, json_string(family == 6 ? "ipv6" : "ipv4"));
	if (proto != NULL && *proto != '\0')
		json_array_append_new(p, json_string(proto));
	if (app != NULL && *app != '\0' && strcmp(app, "failed") != 0)
		json_array_append_new(p, json_string(app));
	json_object_set_new(o, "protocols", p);
	return o;
}

/* The SCO of one matched value (not addresses or ports). */
static json_t *
value_sco(enum lk kind, const char *value)
{
	const char *type = NULL, *prop = "value", *hash = NULL;
	json_t *o, *h;

	switch (kind) {
	case LK_DOMAIN:
		type = "domain-name";
		break;
	case LK_URL:
		type = "url";
		break;
	case LK_EMAIL:
		type = "email-addr";
		break;
	case LK_USER:
		type = "user-account";
		prop = "account_login";
		break;
	case LK_FILE_NAME:
		type = "file";
		prop = "name";
		break;
	case LK_MD5:
		type = "file";
		hash = "MD5";
		break;
	case LK_SHA1:
		type = "file";
		hash = "SHA-1";
		break;
	case LK_SHA256:
		type = "file";
		hash = "SHA-256";
		break;
	case LK_X509_SHA1:
		type = "x509-certificate";
		hash = "SHA-1";
		break;
	default:
		return NULL;
	}
	if ((o = sco_new(type)) == NULL)
		return NULL;
	if (hash != NULL) {
		if ((h = json_pack("{s:s}", hash, value)) == NULL ||
		    json_object_set_new(o, "hashes", h) != 0) {
			json_decref(o);
			return NULL;
		}
	} else if (json_object_set_new(o, prop, json_string(value)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
sample_scos(const struct hit_sample *s, json_t *arr, struct cybex_diag *d)
{
	char src[CYBEX_STIX_ID_MAX] = "", dst[CYBEX_STIX_ID_MAX] = "";
	char ipbuf[CYBEX_IP_TEXT_MAX];
	int r;

	if (s->src.family != 0 &&
	    (r = add_sco(arr, ip_sco(&s->src), src, sizeof(src))) != 0)
		goto fail;
	if (s->dst.family != 0 &&
	    (r = add_sco(arr, ip_sco(&s->dst), dst, sizeof(dst))) != 0)
		goto fail;
	if ((src[0] != '\0' || dst[0] != '\0') &&
	    (r = add_sco(arr, traffic_sco(src, dst, s->has_sport, s->sport,
	    s->has_dport, s->dport, s->proto, s->app, s->src.family != 0 ?
	    s->src.family : s->dst.family), NULL, 0)) != 0)
		goto fail;
	if (!has_value(s))
		return 0;
	if (s->kind == LK_IPV4 || s->kind == LK_IPV6) {
		/* Only when it is not one of the endpoints already. */
		const struct cybex_ip *e[2] = { &s->src, &s->dst };
		size_t i;

		for (i = 0; i < 2; i++) {
			cybex_ip_format(e[i], ipbuf, sizeof(ipbuf));
			if (ipbuf[0] != '\0' && strcmp(ipbuf, s->value) == 0)
				return 0;
		}
		r = add_sco(arr, json_pack("{s:s, s:s, s:s}", "type",
		    s->kind == LK_IPV4 ? "ipv4-addr" : "ipv6-addr",
		    "spec_version", "2.1", "value", s->value), NULL, 0);
	} else
		r = add_sco(arr, value_sco(s->kind, s->value), NULL, 0);
	if (r == 0)
		return 0;
 fail:
	return cybex_diag_set(d, r, "out of memory");
}

int
sample_json(const struct hit_sample *s, struct cybex_buf *out)
{
	char ip[CYBEX_IP_TEXT_MAX], ts[40];
	json_t *o;
	int r = CYBEX_ENOMEM;

	if ((o = json_object()) == NULL)
		return CYBEX_ENOMEM;
	stix_time(s->ts_us, ts);
	json_object_set_new(o, "time", json_string(ts));
	cybex_ip_format(&s->src, ip, sizeof(ip));
	if (ip[0] != '\0')
		json_object_set_new(o, "src", json_string(ip));
	if (s->has_sport)
		json_object_set_new(o, "src_port", json_integer(s->sport));
	cybex_ip_format(&s->dst, ip, sizeof(ip));
	if (ip[0] != '\0')
		json_object_set_new(o, "dst", json_string(ip));
	if (s->has_dport)
		json_object_set_new(o, "dst_port", json_integer(s->dport));
	if (s->proto[0] != '\0')
		json_object_set_new(o, "proto", json_string(s->proto));
	if (s->app[0] != '\0')
		json_object_set_new(o, "app_proto", json_string(s->app));
	json_object_set_new(o, "field", json_string(lk_field[s->kind]));
	if (has_value(s))
		json_object_set_new(o, "value", json_string(s->value));
	else if (s->kind == LK_DST_PORT || s->kind == LK_SRC_PORT)
		json_object_set_new(o, "value", json_integer(s->ivalue));
	r = cybex_json_write(o, 0, out);
	json_decref(o);
	return r;
}

/* ---- a whole observation, for compound patterns ---- */

int
obs_scos(const struct cybex_obs *o, const struct lvalue *v, size_t nv,
    json_t *arr, struct cybex_diag *d)
{
	char src[CYBEX_STIX_ID_MAX] = "", dst[CYBEX_STIX_ID_MAX] = "";
	char proto[16], app[16];
	json_t *file = NULL, *hashes = NULL;
	size_t i, endpoints;
	int r = 0;

	if (o->src_ip.family != 0 &&
	    (r = add_sco(arr, ip_sco(&o->src_ip), src, sizeof(src))) != 0)
		goto out;
	if (o->dst_ip.family != 0 &&
	    (r = add_sco(arr, ip_sco(&o->dst_ip), dst, sizeof(dst))) != 0)
		goto out;
	lower_copy(proto, sizeof(proto), o->proto);
	lower_copy(app, sizeof(app), o->app_proto);
	if ((src[0] != '\0' || dst[0] != '\0') &&
	    (r = add_sco(arr, traffic_sco(src, dst, o->has_src_port,
	    o->src_port, o->has_dst_port, o->dst_port, proto, app,
	    o->src_ip.family != 0 ? o->src_ip.family : o->dst_ip.family),
	    NULL, 0)) != 0)
		goto out;
	/* values_of lists the endpoints first; other addresses are DNS
	 * answers and feed entries. */
	endpoints = (o->src_ip.family != 0) + (o->dst_ip.family != 0);
	for (i = 0; i < nv; i++) {
		const char *hname = v[i].kind == LK_MD5 ? "MD5" :
		    v[i].kind == LK_SHA1 ? "SHA-1" : v[i].kind == LK_SHA256 ?
		    "SHA-256" : NULL;

		if (hname != NULL || v[i].kind == LK_FILE_NAME) {
			/* One file object for the name and every hash. */
			if (file == NULL && (file = sco_new("file")) == NULL)
				goto nomem;
			if (hname == NULL)
				json_object_set_new(file, "name",
				    json_string(v[i].s));
			else {
				if (hashes == NULL && ((hashes = json_object()) ==
				    NULL || json_object_set_new(file, "hashes",
				    hashes) != 0))
					goto nomem;
				json_object_set_new(hashes, hname,
				    json_string(v[i].s));
			}
			continue;
		}
		if (v[i].s == NULL || ((v[i].kind == LK_IPV4 ||
		    v[i].kind == LK_IPV6) && i < endpoints))
			continue;	/* ports; the endpoints (above) */
		if (v[i].kind == LK_IPV4 || v[i].kind == LK_IPV6)
			r = add_sco(arr, json_pack("{s:s, s:s, s:s}", "type",
			    v[i].kind == LK_IPV4 ? "ipv4-addr" : "ipv6-addr",
			    "spec_version", "2.1", "value", v[i].s), NULL, 0);
		else
			r = add_sco(arr, value_sco(v[i].kind, v[i].s), NULL,
			    0);
		if (r != 0)
			goto out;
	}
	if (file != NULL) {
		r = add_sco(arr, file, NULL, 0);
		file = NULL;
	}
	goto out;
 nomem:
	r = CYBEX_ENOMEM;
 out:
	json_decref(file);
	if (r != 0)
		cybex_diag_set(d, r, "out of memory");
	return r;
}
