/* The deterministic traffic generator (gen.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gen.h"

#define CLIENTS		2000
#define POPULAR		300
#define TAIL		20000
#define ADMINS		50
#define PAGES		10

const char *const gen_phish_names[] = {
	"paypa1.com",			/* digit for a letter */
	"xn--pypal-4ve.com",		/* Cyrillic a: p\u0430ypal.com */
	"northbank-login.com",		/* brand in the name */
	"nortbank.example",		/* one edit */
	"northbank.co",			/* another suffix */
	"secure.northbank.example.attacker.test",	/* brand as labels */
	"nothrbank.net",		/* transposition */
	NULL,
};

uint64_t
gen_rand(struct gen *g)
{
	/* xorshift64* */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545f4914f6cdd1dULL;
}

static double
u01(struct gen *g)
{
	return (double)(gen_rand(g) >> 11) / 9007199254740992.0;
}

static uint64_t
below(struct gen *g, uint64_t n)
{
	return gen_rand(g) % n;
}

void
gen_ip4(struct cybex_ip *ip, uint32_t a)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = 4;
	ip->a[0] = (uint8_t)(a >> 24);
	ip->a[1] = (uint8_t)(a >> 16);
	ip->a[2] = (uint8_t)(a >> 8);
	ip->a[3] = (uint8_t)a;
}

#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static const char *const syl[] = {
	"ka", "lo", "mi", "ve", "zu", "ran", "tor", "pel", "nix", "do",
	"sa", "qui", "bo", "fe", "gal", "hu", "jin", "ko", "lu", "mar",
	"ne", "ol", "ri", "su", "ti", "vo", "we", "xa", "yu", "dem",
};
static const char *const tlds[] = {
	"com", "net", "org", "io", "de", "fr", "cn", "co.uk",
};

/* The name of external domain i. */
static void
domain(uint64_t i, char *out, size_t outsz)
{
	uint64_t h = mix(i + 1);
	size_t ns = sizeof(syl) / sizeof(syl[0]);

	if (h % 3 == 0)
		snprintf(out, outsz, "%s%s%s.%s", syl[h % ns], syl[h / 7 % ns],
		    syl[h / 331 % ns], tlds[h / 9973 % 8]);
	else
		snprintf(out, outsz, "%s%s.%s", syl[h % ns], syl[h / 7 % ns],
		    tlds[h / 9973 % 8]);
	if (h / 104729 % 4 == 0) {
		/* Some with a host label. */
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s.%s", h / 13 % 2 ? "www" : "cdn",
		    out);
		snprintf(out, outsz, "%s", tmp);
	}
}

/* Where external domain i is served from (100.64.0.0/10). */
static uint32_t
server_of(uint64_t i)
{
	return IP4(100, 64, 0, 0) + (uint32_t)(mix(i + 77) % 4000000);
}

static uint64_t
pick_domain(struct gen *g)
{
	double r = u01(g);

	if (u01(g) < 0.85)
		return (uint64_t)(r * r * POPULAR);
	return POPULAR + below(g, TAIL);
}

static uint32_t
client(struct gen *g)
{
	uint32_t c = (uint32_t)below(g, CLIENTS) + 1;

	return IP4(10, 1, c >> 8, c & 255);
}

static void
clear(struct gen *g, enum cybex_obs_kind kind, const char *org)
{
	memset(&g->o, 0, sizeof(g->o));
	g->o.kind = kind;
	g->o.ts_us = g->now;
	g->o.org = org != NULL ? org : g->org;
	g->o.sensor = "test-sensor";
}

void
gen_init(struct gen *g, uint64_t seed, int64_t start_us, const char *org)
{
	memset(g, 0, sizeof(*g));
	g->rng = mix(seed) | 1;
	g->now = start_us;
	g->org = org;
}

static void
flow(struct gen *g, uint32_t src, uint32_t dst, uint16_t port, bool answered,
    uint64_t pkts)
{
	clear(g, CYBEX_OBS_FLOW, NULL);
	g->o.source_type = "eve:flow";
	gen_ip4(&g->o.src_ip, src);
	gen_ip4(&g->o.dst_ip, dst);
	g->o.has_src_port = g->o.has_dst_port = true;
	g->o.src_port = (uint16_t)(32768 + below(g, 28000));
	g->o.dst_port = port;
	g->o.proto = "TCP";
	g->o.pkts_to_server = pkts;
	g->o.bytes_to_server = pkts * 90;
	if (answered) {
		g->o.pkts_to_client = pkts + 2;
		g->o.bytes_to_client = pkts * 900;
		g->o.flow_state = "closed";
		g->o.tcp_flags = "1b";
	} else {
		g->o.flow_state = "new";
		g->o.tcp_flags = "02";
	}
}

static void
dns(struct gen *g, uint32_t cl, const char *name, uint32_t answer)
{
	clear(g, CYBEX_OBS_DNS, NULL);
	g->o.source_type = "eve:dns";
	gen_ip4(&g->o.src_ip, cl);
	gen_ip4(&g->o.dst_ip, IP4(10, 0, 0, 53));
	g->o.has_dst_port = true;
	g->o.dst_port = 53;
	g->o.proto = "UDP";
	snprintf(g->s_query, sizeof(g->s_query), "%s", name);
	g->o.dns_query = g->s_query;
	g->o.dns_rrtype = "A";
	g->o.dns_rcode = "NOERROR";
	if (answer != 0) {
		g->o.n_answers = 1;
		g->o.answers[0].rrname = g->s_query;
		g->o.answers[0].rrtype = "A";
		gen_ip4(&g->o.answers[0].ip, answer);
	}
}

static void
auth(struct gen *g, uint32_t src, uint32_t dst, const char *host,
    const char *user, enum cybex_auth_result res)
{
	clear(g, CYBEX_OBS_AUTH, NULL);
	g->o.source_type = "sshd";
	gen_ip4(&g->o.src_ip, src);
	gen_ip4(&g->o.dst_ip, dst);
	snprintf(g->s_user, sizeof(g->s_user), "%.60s", user);
	g->o.user = g->s_user;
	g->o.host = host;
	g->o.auth = res;
	g->o.auth_service = "sshd";
	g->o.auth_method = "password";
}

static const char *const hosts[] = { "web01", "web02", "web03" };

static void
mail(struct gen *g, uint32_t src, const char *from, size_t nrcpt,
    uint64_t rcpt_base, bool external_rcpt)
{
	size_t i;

	clear(g, CYBEX_OBS_MAIL, NULL);
	g->o.source_type = "postfix";
	gen_ip4(&g->o.src_ip, src);
	gen_ip4(&g->o.dst_ip, IP4(10, 0, 0, 25));
	snprintf(g->s_from, sizeof(g->s_from), "%s", from);
	g->o.mail_from = g->s_from;
	for (i = 0; i < nrcpt && i < 16; i++) {
		if (external_rcpt) {
			char d[64];

			domain(POPULAR + (rcpt_base + i) % TAIL, d, sizeof(d));
			snprintf(g->s_rcpt[i], sizeof(g->s_rcpt[i]),
			    "p%llu@%s", (unsigned long long)(rcpt_base + i), d);
		} else
			snprintf(g->s_rcpt[i], sizeof(g->s_rcpt[i]),
			    "u%llu@northbank.example",
			    (unsigned long long)((rcpt_base + i) % CLIENTS));
		g->o.rcpt[i] = g->s_rcpt[i];
	}
	g->o.n_rcpt = g->o.n_rcpt_total = i;
	g->o.mail_status = "sent";
}

static uint32_t
page_hashseed(uint64_t k)
{
	return (uint32_t)mix(k + 5);
}

static void
page(struct gen *g, uint64_t k, bool changed)
{
	clear(g, CYBEX_OBS_PAGE, NULL);
	g->o.source_type = "page";
	g->o.sensor = "page-checker";
	if (k == 0) {
		snprintf(g->s_url, sizeof(g->s_url),
		    "https://www.northbank.example/");
		snprintf(g->s_hash, sizeof(g->s_hash), "%s", changed ?
		    "0123456789abcdef0123456789abcdef0123456789abcdef"
		    "0123456789abcdef" : GEN_PAGE_HASH);
	} else {
		snprintf(g->s_url, sizeof(g->s_url),
		    "https://cityhealth.example/p%llu", (unsigned long long)k);
		snprintf(g->s_hash, sizeof(g->s_hash), "%08x%08x%08x%08x",
		    page_hashseed(k), page_hashseed(k + 100) ^ (changed ?
		    0xdeadu : 0), page_hashseed(k + 200), page_hashseed(k + 300));
	}
	g->o.url = g->s_url;
	g->o.page_hash = g->s_hash;
	g->o.http_status = 200;
}

static void
listed(struct gen *g, const char *value, const char *type)
{
	clear(g, CYBEX_OBS_LISTED, NULL);
	g->o.source_type = "csv";
	snprintf(g->s_listed, sizeof(g->s_listed), "%.60s", value);
	g->o.listed_value = g->s_listed;
	g->o.listed_type = type;
	g->o.list_name = "test-spam-feed";
	g->o.list_category = "spam";
}

const struct cybex_obs *
gen_normal(struct gen *g)
{
	char d[256], from[300];
	double u;
	uint64_t i, k;
	uint32_t c;

	g->now += (int64_t)(-log(1.0 - u01(g)) * 1e6 / GEN_RATE) + 1;
	if (g->pending_us != 0 && g->now >= g->pending_us) {
		/* The typo's second attempt. */
		snprintf(d, sizeof(d), "adm%u", g->pending_user);
		auth(g, g->pending_src, IP4(10, 0, 0, 10 + g->pending_user % 3),
		    hosts[g->pending_user % 3], d, CYBEX_AUTH_SUCCESS);
		g->pending_us = 0;
		return &g->o;
	}
	u = u01(g);
	if (u < 0.15) {
		/* DNS, sometimes for the constituency's own names. */
		c = client(g);
		k = below(g, 100);
		if (k < 2)
			dns(g, c, "www.northbank.example",
			    IP4(192, 0, 2, 10 + (uint32_t)k));
		else if (k < 3)
			dns(g, c, "login.northbank.example", IP4(192, 0, 2, 12));
		else if (k < 4)
			dns(g, c, "www.paypal.com", IP4(100, 127, 0, 1));
		else if (k < 5)
			dns(g, c, "cityhealth.example", IP4(192, 0, 2, 20));
		else {
			i = pick_domain(g);
			domain(i, d, sizeof(d));
			dns(g, c, d, server_of(i));
		}
		return &g->o;
	}
	if (u < 0.25) {
		/* Customers of the constituency's web servers: steady load. */
		flow(g, IP4(100, 96, 0, 0) + (uint32_t)below(g, 1u << 21),
		    IP4(10, 0, 0, 10 + (uint32_t)below(g, 3)), 443, true,
		    8 + below(g, 8));
		return &g->o;
	}
	if (u < 0.35) {
		/* TLS with SNI */
		i = pick_domain(g);
		domain(i, d, sizeof(d));
		flow(g, client(g), server_of(i), 443, true, 10);
		g->o.kind = CYBEX_OBS_TLS;
		g->o.source_type = "eve:tls";
		snprintf(g->s_sni, sizeof(g->s_sni), "%s", d);
		g->o.tls_sni = g->s_sni;
		return &g->o;
	}
	if (u < 0.40) {
		i = pick_domain(g);
		domain(i, d, sizeof(d));
		flow(g, client(g), server_of(i), 80, true, 10);
		g->o.kind = CYBEX_OBS_HTTP;
		g->o.source_type = "eve:http";
		snprintf(g->s_host, sizeof(g->s_host), "%s", d);
		g->o.http_host = g->s_host;
		g->o.url = "/";
		g->o.http_method = "GET";
		g->o.http_status = 200;
		return &g->o;
	}
	if (u < 0.42) {
		k = below(g, 2);
		if (k == 0) {
			/* inbound from one of 500 outside mail servers */
			i = below(g, 500);
			domain(POPULAR + i, d, sizeof(d));
			snprintf(from, sizeof(from), "news%llu@%s",
			    (unsigned long long)i, d);
			mail(g, IP4(100, 100, (uint32_t)(i >> 8),
			    (uint32_t)(i & 255)), from, 1 + below(g, 3),
			    below(g, CLIENTS), false);
		} else {
			/* a user writes to some of their 20 contacts */
			c = (uint32_t)below(g, CLIENTS) + 1;
			snprintf(from, sizeof(from), "u%u@northbank.example", c);
			mail(g, IP4(10, 1, c >> 8, c & 255), from,
			    1 + below(g, 3), (uint64_t)c * 20 + below(g, 18),
			    true);
		}
		return &g->o;
	}
	if (u < 0.425) {
		if (below(g, 100) < 1) {
			/*
			 * Background noise: a stray failure from outside,
			 * about 6 per account name per 10 minutes.
			 */
			static const char *const users[] = { "admin", "test",
			    "oracle", "ubuntu", "pi", "guest", "user", "git",
			    "postgres", "ftp" };

			auth(g, IP4(100, 70, 0, 0) + (uint32_t)below(g, 1u << 20),
			    IP4(10, 0, 0, 10), "web01", users[below(g, 10)],
			    CYBEX_AUTH_INVALID_USER);
			return &g->o;
		}
		k = below(g, ADMINS);
		snprintf(d, sizeof(d), "adm%llu", (unsigned long long)k);
		if (below(g, 100) < 6 && g->pending_us == 0) {
			auth(g, IP4(10, 2, 0, 1 + (uint32_t)k),
			    IP4(10, 0, 0, 10 + (uint32_t)(k % 3)), hosts[k % 3],
			    d, CYBEX_AUTH_FAILURE);
			g->pending_us = g->now + 2000000 +
			    (int64_t)below(g, 8000000);
			g->pending_src = IP4(10, 2, 0, 1 + (uint32_t)k);
			g->pending_user = (uint32_t)k;
			return &g->o;
		}
		auth(g, IP4(10, 2, 0, 1 + (uint32_t)k),
		    IP4(10, 0, 0, 10 + (uint32_t)(k % 3)), hosts[k % 3], d,
		    CYBEX_AUTH_SUCCESS);
		return &g->o;
	}
	if (u < 0.426) {
		page(g, below(g, PAGES), false);
		return &g->o;
	}
	if (u < 0.427) {
		k = below(g, 50);
		snprintf(d, sizeof(d), k % 2 ? "203.0.113.%llu" :
		    "spam-sender-%llu.example", (unsigned long long)(100 + k));
		listed(g, d, k % 2 ? "ipv4-addr" : "domain-name");
		return &g->o;
	}
	/* Web browsing: flows, a few unanswered. */
	i = pick_domain(g);
	flow(g, client(g), server_of(i), below(g, 5) ? 443 : 80,
	    below(g, 1000) >= 3, 5 + below(g, 25));
	return &g->o;
}

void
gen_attack(struct gen *g, struct gen_atk *a, enum gen_attack kind,
    double delay_s)
{
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->next_us = g->now + (int64_t)(delay_s * 1e6);
	switch (kind) {
	case ATK_SCAN:
		a->left = 200;
		a->src = IP4(198, 51, 100, 23);
		break;
	case ATK_VSCAN:
		a->left = 300;
		a->src = IP4(198, 51, 100, 24);
		break;
	case ATK_BRUTE:
		a->left = 61;
		a->src = IP4(203, 0, 113, 9);
		break;
	case ATK_SPRAY:
		a->left = 100;
		break;
	case ATK_DDOS:
		a->left = 60000;	/* 1000 flows/s for a minute */
		break;
	case ATK_BEACON:
		a->left = 12;
		a->src = IP4(10, 1, 7, 7);
		break;
	case ATK_PHISH:
		a->left = 7;
		break;
	case ATK_PHARM:
		a->left = 3;
		break;
	case ATK_DEFACE:
		a->left = 2;
		break;
	case ATK_SPAM:
		a->left = 150;
		a->src = IP4(10, 1, 9, 9);
		break;
	case ATK_SPAMLISTED:
		a->left = 4;
		a->src = IP4(203, 0, 113, 77);
		break;
	default:
		break;
	}
}

const struct cybex_obs *
gen_attack_next(struct gen *g, struct gen_atk *a)
{
	char from[128];
	int64_t step = 1000000;
	uint32_t t;

	if (a->left == 0 || g->now < a->next_us)
		return NULL;
	switch (a->kind) {
	case ATK_SCAN:
		/* Mostly unanswered: few clients listen on 445. */
		t = IP4(10, 1, 0, 0) + (uint32_t)((a->i * 2654435761u) % 60000);
		flow(g, a->src, t, 445, below(g, 100) < 3, 2);
		step = 50000;
		break;
	case ATK_VSCAN:
		/* One server's ports in order; closed ports reset. */
		flow(g, a->src, IP4(10, 0, 0, 12), (uint16_t)(1 + a->i),
		    true, 1);
		if (a->i + 1 != 80 && a->i + 1 != 443) {
			g->o.pkts_to_client = 1;
			g->o.bytes_to_client = 60;
			g->o.tcp_flags = "16";
			g->o.flow_state = "closed";
		}
		step = 20000;
		break;
	case ATK_BRUTE:
		auth(g, a->src, IP4(10, 0, 0, 11), "web02", "root",
		    a->left == 1 ? CYBEX_AUTH_SUCCESS : CYBEX_AUTH_FAILURE);
		step = 2000000;
		break;
	case ATK_SPRAY:
		auth(g, IP4(198, 51, 100, 100 + (uint32_t)(a->i % 50)),
		    IP4(10, 0, 0, 11), "web02", "alice", CYBEX_AUTH_FAILURE);
		step = 3000000;
		break;
	case ATK_DDOS:
		flow(g, IP4(198, 18, 0, 0) + (uint32_t)below(g, 400),
		    IP4(10, 0, 0, 10), 443, true, 20 + below(g, 20));
		step = 1000;
		break;
	case ATK_BEACON:
		flow(g, a->src, IP4(203, 0, 113, 50), 443, true, 6);
		/* 30 s, jitter within +-1.5 s */
		step = 30000000 + (int64_t)below(g, 3000001) - 1500000;
		break;
	case ATK_PHISH:
		dns(g, client(g), gen_phish_names[a->i], IP4(198, 51, 100, 80));
		step = 5000000;
		break;
	case ATK_PHARM:
		dns(g, client(g), "www.northbank.example",
		    IP4(198, 51, 100, 66));
		step = 20000000;
		break;
	case ATK_DEFACE:
		page(g, a->i == 0 ? 0 : 3, true);
		step = 5000000;
		break;
	case ATK_SPAM:
		snprintf(from, sizeof(from), "u%u@northbank.example", 2309u);
		mail(g, a->src, from, 2, 50000 + a->i * 2, true);
		step = 2000000;
		break;
	case ATK_SPAMLISTED:
		if (a->i == 0)
			listed(g, "203.0.113.77", "ipv4-addr");
		else
			mail(g, a->src, "offer@cheap-pills.test", 2,
			    a->i * 5, false);
		step = 1000000;
		break;
	default:
		return NULL;
	}
	if (a->org != NULL)
		g->o.org = a->org;
	a->i++;
	a->left--;
	a->next_us += step;
	return &g->o;
}
