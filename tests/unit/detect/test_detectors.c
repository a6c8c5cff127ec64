/*
 * The detectors on generated traffic: each attack is found with the
 * right classification, parties and evidence inside normal traffic, and
 * the normal traffic around it raises nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dtest.h"

#define T0	1709251200000000LL	/* 2024-03-01T00:00:00Z */

static json_int_t
ev_int(const struct rec_alert *a, const char *name)
{
	json_t *v = json_object_get(a->evidence, name);

	if (!json_is_integer(v))
		fail_msg("evidence %s missing in %s", name, a->key);
	return json_integer_value(v);
}

static double
ev_real(const struct rec_alert *a, const char *name)
{
	json_t *v = json_object_get(a->evidence, name);

	if (!json_is_number(v))
		fail_msg("evidence %s missing in %s", name, a->key);
	return json_number_value(v);
}

static const char *
ev_str(const struct rec_alert *a, const char *name)
{
	json_t *v = json_object_get(a->evidence, name);

	if (!json_is_string(v))
		fail_msg("evidence %s missing in %s", name, a->key);
	return json_string_value(v);
}

/* Only the detectors named (comma list) raised anything. */
static void
only(const struct rec *r, const char *detectors)
{
	char want[128];
	size_t i;

	for (i = 0; i < r->n; i++) {
		snprintf(want, sizeof(want), ",%s,", r->a[i].detector);
		if (strstr(detectors, want) == NULL) {
			rec_dump(r);
			fail_msg("unexpected %s alert: %s", r->a[i].detector,
			    r->a[i].summary);
		}
	}
}

/* The last alert whose key holds sub, or NULL. */
static const struct rec_alert *
by_key(const struct rec *r, const char *sub)
{
	const struct rec_alert *a = NULL;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strstr(r->a[i].key, sub) != NULL)
			a = &r->a[i];
	return a;
}

/* One test's detector (GEN_PROTECTED and settings), traffic and alerts. */
struct run {
	struct cybex_detect *dt;
	struct gen	 g;
	struct rec	 r;
};

static void
run_start(struct run *t, const char *settings, uint64_t seed,
    const char *org)
{
	t->dt = dt_make(settings);
	rec_init(&t->r);
	gen_init(&t->g, seed, T0, org);
}

static void
run_end(struct run *t)
{
	rec_free(&t->r);
	cybex_detect_free(t->dt);
}

/* An attack of a test: its kind and when it starts (seconds from now). */
struct atk_at {
	enum gen_attack	 kind;
	double		 delay_s;
};

/* n normal observations with the attacks (up to ATK_NONE; NULL: none). */
static void
run_feed(struct run *t, uint64_t n, const struct atk_at *at)
{
	struct gen_atk atk[4];
	size_t k;

	for (k = 0; at != NULL && at[k].kind != ATK_NONE; k++) {
		assert_true(k < sizeof(atk) / sizeof(atk[0]));
		gen_attack(&t->g, &atk[k], at[k].kind, at[k].delay_s);
	}
	dt_feed(t->dt, &t->g, n, atk, k, &t->r);
}

static void
test_scan(void **state)
{
	static const struct atk_at at[] = {
		{ ATK_SCAN, 30 }, { ATK_VSCAN, 60 }, { ATK_NONE, 0 },
	};
	const struct rec_alert *a;
	struct run t;
	size_t i;

	(void)state;
	run_start(&t, NULL, 1, NULL);
	run_feed(&t, 300000, at);
	only(&t.r, ",scan,");
	assert_int_equal(t.r.total, 2);
	a = &t.r.a[0];
	assert_string_equal(a->cls, "information-gathering");
	assert_string_equal(a->type, "scanner");
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "198.51.100.23"));
	for (i = 0; i < a->n_parties; i++)
		if (a->p[i].role == CYBEX_PARTY_VICTIM)
			assert_memory_equal(a->p[i].value, "10.1.", 5);
	assert_string_equal(ev_str(a, "algorithm"), "threshold-random-walk");
	/* About 5 unanswered first contacts reach pd/pf = 990. */
	assert_true(ev_int(a, "unanswered") >= 5);
	assert_true(ev_int(a, "unanswered") <= 8);
	assert_true(ev_real(a, "likelihood_ratio") >= 990);
	/* The vertical scan: one host, many ports. */
	a = &t.r.a[1];
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "198.51.100.24"));
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "ipv4-addr",
	    "10.0.0.12"));
	assert_int_equal(ev_int(a, "hosts"), 1);
	assert_true(ev_int(a, "ports") >= 4);
	printf("# scan: horizontal found after %lld first contacts, vertical "
	    "after %lld\n", (long long)ev_int(&t.r.a[0], "first_contacts"),
	    (long long)ev_int(a, "first_contacts"));
	run_end(&t);
}

static void
test_bruteforce(void **state)
{
	static const struct atk_at at[] = {
		{ ATK_BRUTE, 10 }, { ATK_SPRAY, 20 }, { ATK_NONE, 0 },
	};
	const struct rec_alert *a;
	struct run t;

	(void)state;
	run_start(&t, NULL, 2, NULL);
	run_feed(&t, 400000, at);
	only(&t.r, ",bruteforce,");
	/* The source: one alert in the quiet period. */
	a = rec_find(&t.r, "bruteforce", "brute-force");
	assert_non_null(a);
	assert_string_equal(a->cls, "intrusion-attempts");
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "203.0.113.9"));
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "user-account", "root"));
	assert_int_equal(ev_int(a, "failures"), 20);
	assert_string_equal(ev_str(a, "scope"), "source");
	/* One account: said in the singular. */
	if (strstr(a->summary, "against about 1 account") == NULL ||
	    strstr(a->summary, "1 accounts") != NULL)
		fail_msg("summary: %s", a->summary);
	/* The success after 60 failures: root is privileged. */
	a = rec_find(&t.r, "bruteforce", "privileged-account-compromise");
	assert_non_null(a);
	assert_string_equal(a->cls, "intrusions");
	assert_int_equal(a->severity, 4);
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "203.0.113.9"));
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "user-account", "root"));
	assert_true(ev_int(a, "source_failures") >= 55);
	/* The spray: 50 sources against alice. */
	a = by_key(&t.r, "bruteforce|account|alice@web02");
	assert_non_null(a);
	assert_string_equal(ev_str(a, "scope"), "account");
	assert_int_equal(ev_int(a, "failures"), 30);
	assert_true(ev_int(a, "sources") >= 25 && ev_int(a, "sources") <= 35);
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "user-account", "alice"));
	/* root was attacked too: its account alert, from one source. */
	a = by_key(&t.r, "bruteforce|account|root");
	assert_non_null(a);
	if (strstr(a->summary, "from about 1 source") == NULL ||
	    strstr(a->summary, "1 sources") != NULL)
		fail_msg("summary: %s", a->summary);
	/* Nothing else. */
	assert_int_equal(t.r.total, 4);
	run_end(&t);
}

static void
test_ddos(void **state)
{
	/* Baseline: 30 intervals of 10 s, then the flood. */
	static const struct atk_at at[] = { { ATK_DDOS, 400 }, { ATK_NONE, 0 } };
	const struct rec_alert *a;
	struct run t;
	double srcs;

	(void)state;
	run_start(&t, NULL, 3, NULL);
	run_feed(&t, 1000000, at);
	only(&t.r, ",ddos,");
	assert_int_equal(t.r.total, 1);
	a = &t.r.a[0];
	assert_string_equal(a->cls, "availability");
	assert_string_equal(a->type, "ddos");
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "ipv4-addr",
	    "10.0.0.10"));
	assert_true(a->n_parties >= 2);
	/* 400 flooding and about 670 customers in the interval. */
	srcs = (double)ev_int(a, "sources");
	assert_true(srcs > 850 && srcs < 1300);
	assert_true(ev_real(a, "pps") > 4 * ev_real(a, "baseline_pps"));
	assert_true(ev_real(a, "baseline_pps") > 500);
	printf("# ddos: %.0f packets/s against a baseline of %.0f, about %.0f "
	    "sources (400 attacking, ~670 customers)\n", ev_real(a, "pps"),
	    ev_real(a, "baseline_pps"), srcs);
	run_end(&t);
}

static void
test_ddos_tick(void **state)
{
	struct cybex_obs o;
	struct run t;
	int i, s;

	(void)state;
	run_start(&t, "ddos_warmup = 3\n", 0, NULL);
	memset(&o, 0, sizeof(o));
	o.kind = CYBEX_OBS_FLOW;
	gen_ip4(&o.dst_ip, 0x0a00000a);
	o.pkts_to_server = 100;
	/* Three quiet intervals, then 20000 packets/s in one. */
	for (i = 0; i < 30; i++) {
		o.ts_us = T0 + (int64_t)i * 1000000;
		gen_ip4(&o.src_ip, 0x64400000u + (uint32_t)i);
		assert_int_equal(cybex_detect_observe(t.dt, &o, rec_fn, &t.r),
		    0);
	}
	o.pkts_to_server = 1000;
	for (i = 0; i < 2000; i++) {
		o.ts_us = T0 + 30000000 + (int64_t)i * 4000;
		gen_ip4(&o.src_ip, 0xc6120000u + (uint32_t)(i % 300));
		assert_int_equal(cybex_detect_observe(t.dt, &o, rec_fn, &t.r),
		    0);
	}
	assert_int_equal(t.r.total, 0);
	/* No more traffic: the tick closes the interval. */
	assert_int_equal(cybex_detect_tick(t.dt, T0 + 41000000, rec_fn, &t.r),
	    0);
	assert_int_equal(t.r.total, 1);
	assert_string_equal(t.r.a[0].type, "ddos");
	s = (int)ev_int(&t.r.a[0], "sources");
	assert_true(s > 250 && s < 350);
	run_end(&t);
}

static void
test_beacon(void **state)
{
	static const struct atk_at at[] = { { ATK_BEACON, 5 }, { ATK_NONE, 0 } };
	const struct rec_alert *a;
	struct run t;

	(void)state;
	run_start(&t, NULL, 4, NULL);
	run_feed(&t, 100000, at);
	only(&t.r, ",beacon,");
	assert_int_equal(t.r.total, 1);
	a = &t.r.a[0];
	assert_string_equal(a->cls, "malicious-code");
	assert_string_equal(a->type, "infected-system");
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "ipv4-addr", "10.1.7.7"));
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "203.0.113.50"));
	assert_true(ev_real(a, "period_seconds") > 29 &&
	    ev_real(a, "period_seconds") < 31);
	assert_true(ev_real(a, "jitter") <= 0.05);
	assert_true(ev_real(a, "on_time") >= 0.8);
	assert_int_equal(ev_int(a, "intervals"), 10);
	run_end(&t);
}

static void
test_c2_hits(void **state)
{
	static const char *const c2[] = { "malicious-activity", NULL };
	static const char *const anon[] = { "anonymization", NULL };
	struct cybex_obs o;
	struct run t;

	(void)state;
	run_start(&t, NULL, 0, NULL);
	memset(&o, 0, sizeof(o));
	o.kind = CYBEX_OBS_DNS;
	o.ts_us = T0;
	gen_ip4(&o.src_ip, 0x0a010303);		/* 10.1.3.3 */
	gen_ip4(&o.dst_ip, 0x0a000035);
	o.dns_query = "update.badc2.test";
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--1", anon,
	    rec_fn, &t.r), 0);
	assert_int_equal(t.r.total, 0);
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--1", c2,
	    rec_fn, &t.r), 0);
	assert_int_equal(t.r.total, 1);
	assert_string_equal(t.r.a[0].detector, "c2");
	assert_string_equal(t.r.a[0].type, "infected-system");
	assert_true(rec_party(&t.r.a[0], CYBEX_PARTY_VICTIM, "ipv4-addr",
	    "10.1.3.3"));
	assert_true(rec_party(&t.r.a[0], CYBEX_PARTY_ATTACKER, "domain-name",
	    "update.badc2.test"));
	assert_string_equal(ev_str(&t.r.a[0], "indicator"), "indicator--1");
	/* The C2 calls in (a reverse channel): the victim is still ours. */
	memset(&o, 0, sizeof(o));
	o.kind = CYBEX_OBS_FLOW;
	o.ts_us = T0 + 1000000;
	gen_ip4(&o.src_ip, 0xcb00713c);		/* 203.0.113.60 */
	gen_ip4(&o.dst_ip, 0x0a010404);		/* 10.1.4.4 */
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--2", c2,
	    rec_fn, &t.r), 0);
	assert_int_equal(t.r.total, 2);
	assert_true(rec_party(&t.r.a[1], CYBEX_PARTY_VICTIM, "ipv4-addr",
	    "10.1.4.4"));
	assert_true(rec_party(&t.r.a[1], CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "203.0.113.60"));
	/* Between two outside addresses: not an infected system of ours. */
	gen_ip4(&o.dst_ip, 0xcb00713d);
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--2", c2,
	    rec_fn, &t.r), 0);
	assert_int_equal(t.r.total, 2);
	run_end(&t);
}

static const char *const techniques[] = {
	"homograph", "homograph", "brand", "typo", "tld-swap", "brand", "typo",
};

static void
test_phishing(void **state)
{
	static const struct atk_at at[] = { { ATK_PHISH, 10 }, { ATK_NONE, 0 } };
	const struct rec_alert *a;
	struct run t;
	size_t i, k;

	(void)state;
	run_start(&t, NULL, 5, NULL);
	run_feed(&t, 200000, at);
	only(&t.r, ",phishing,");
	assert_int_equal(t.r.total, 7);
	for (i = 0; gen_phish_names[i] != NULL; i++) {
		a = NULL;
		for (k = 0; k < t.r.n; k++)
			if (rec_party(&t.r.a[k], CYBEX_PARTY_ATTACKER,
			    "domain-name", gen_phish_names[i]))
				a = &t.r.a[k];
		if (a == NULL)
			fail_msg("%s not reported", gen_phish_names[i]);
		assert_string_equal(a->cls, "fraud");
		assert_string_equal(a->type, "phishing");
		if (strcmp(ev_str(a, "technique"), techniques[i]) != 0)
			fail_msg("%s: technique %s, expected %s",
			    gen_phish_names[i], ev_str(a, "technique"),
			    techniques[i]);
	}
	/* The IDN: decoded, and the protected name it imitates. */
	a = by_key(&t.r, "xn--pypal");
	assert_non_null(a);
	assert_string_equal(ev_str(a, "unicode"), "p\xd0\xb0ypal.com");
	assert_string_equal(ev_str(a, "imitates"), "paypal.com");
	run_end(&t);
}

static void
test_pharming(void **state)
{
	static const struct atk_at at[] = { { ATK_PHARM, 10 }, { ATK_NONE, 0 } };
	const struct rec_alert *a;
	struct run t;

	(void)state;
	run_start(&t, NULL, 6, NULL);
	run_feed(&t, 200000, at);
	only(&t.r, ",pharming,");
	/* Three forged answers, one alert in the quiet period. */
	assert_int_equal(t.r.total, 1);
	a = &t.r.a[0];
	assert_string_equal(a->cls, "fraud");
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "domain-name",
	    "www.northbank.example"));
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "198.51.100.66"));
	assert_int_equal(json_array_size(json_object_get(a->evidence,
	    "known")), 2);
	run_end(&t);
}

static void
test_defacement(void **state)
{
	static const struct atk_at at[] = { { ATK_DEFACE, 30 }, { ATK_NONE, 0 } };
	const struct rec_alert *a;
	struct run t;

	(void)state;
	run_start(&t, NULL, 7, NULL);
	run_feed(&t, 200000, at);
	only(&t.r, ",defacement,");
	assert_int_equal(t.r.total, 2);
	a = &t.r.a[0];
	assert_string_equal(a->cls, "information-content-security");
	assert_string_equal(a->type, "unauthorised-information-modification");
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "url",
	    "https://www.northbank.example/"));
	assert_string_equal(ev_str(a, "expected_from"), "configured");
	assert_string_equal(ev_str(a, "expected"), GEN_PAGE_HASH);
	/* A learned page: alerts once, then the new hash is the one. */
	a = &t.r.a[1];
	assert_true(rec_party(a, CYBEX_PARTY_VICTIM, "url",
	    "https://cityhealth.example/p3"));
	assert_string_equal(ev_str(a, "expected_from"), "learned");
	/* The page checker goes on reporting the original p3 hash: that is a
	 * change back, one more alert; the configured page is fine again. */
	rec_clear(&t.r);
	run_feed(&t, 200000, NULL);
	assert_true(t.r.total <= 1);
	run_end(&t);
}

static void
test_spam(void **state)
{
	static const struct atk_at at[] = {
		{ ATK_SPAM, 10 }, { ATK_SPAMLISTED, 20 }, { ATK_NONE, 0 },
	};
	const struct rec_alert *a;
	struct run t;

	(void)state;
	run_start(&t, NULL, 8, NULL);
	run_feed(&t, 400000, at);
	only(&t.r, ",spam,");
	assert_int_equal(t.r.total, 2);
	a = by_key(&t.r, "spam|10.1.9.9");
	assert_non_null(a);
	assert_string_equal(a->cls, "abusive-content");
	assert_string_equal(a->type, "spam");
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "10.1.9.9"));
	assert_true(ev_int(a, "recipients") >= 100);
	assert_true(ev_int(a, "messages") <= 60);
	a = by_key(&t.r, "spam|listed|203.0.113.77");
	assert_non_null(a);
	assert_string_equal(ev_str(a, "list"), "test-spam-feed");
	assert_string_equal(ev_str(a, "matched"), "client address");
	assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
	    "203.0.113.77"));
	run_end(&t);
}

static void
test_coop(void **state)
{
	static const char *const types[] = { "c2", NULL };
	static const char *const orgs[] = { "org-a", "org-b", "org-c" };
	struct gen_atk atk[1];
	const struct rec_alert *a = NULL;
	struct cybex_obs o;
	struct run t;
	size_t i, k, ncoop = 0;

	(void)state;
	run_start(&t, NULL, 9, "org-a");
	/* One scanner: each member sees its own part. */
	for (k = 0; k < 3; k++) {
		gen_attack(&t.g, &atk[0], ATK_SCAN, 5);
		atk[0].org = orgs[k];
		atk[0].left = 30;
		dt_feed(t.dt, &t.g, 20000, atk, 1, &t.r);
	}
	assert_int_equal(rec_count(&t.r, "scan"), 3);
	for (i = 0; i < t.r.n; i++) {
		if (strcmp(t.r.a[i].detector, "coop") != 0)
			continue;
		ncoop++;
		a = &t.r.a[i];
		assert_string_equal(a->cls, "information-gathering");
		assert_true(rec_party(a, CYBEX_PARTY_ATTACKER, "ipv4-addr",
		    "198.51.100.23"));
		assert_int_equal(ev_int(a, "members"), ncoop + 1);
	}
	/* Raised at two members, again at three; not more. */
	assert_int_equal(ncoop, 2);
	for (k = 0; k < 3; k++)
		assert_true(rec_party(a, CYBEX_PARTY_REPORTER, "organization",
		    orgs[k]));
	assert_int_equal(t.r.total, 5);
	/* An indicator hit at two members. */
	rec_clear(&t.r);
	memset(&o, 0, sizeof(o));
	o.kind = CYBEX_OBS_FLOW;
	o.ts_us = t.g.now;
	gen_ip4(&o.src_ip, 0x0a010505);
	gen_ip4(&o.dst_ip, 0xcb007146);
	o.org = "org-a";
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--c2", types,
	    rec_fn, &t.r), 0);
	o.org = "org-b";
	assert_int_equal(cybex_detect_hit(t.dt, &o, "indicator--c2", types,
	    rec_fn, &t.r), 0);
	a = rec_find(&t.r, "coop", NULL);
	assert_non_null(a);
	assert_string_equal(a->type, "c2-server");
	assert_string_equal(ev_str(a, "indicator"), "indicator--c2");
	assert_int_equal(ev_int(a, "members"), 2);
	assert_int_equal(rec_count(&t.r, "c2"), 2);	/* one per member */
	run_end(&t);
}

static void
test_quiet_period(void **state)
{
	static const struct atk_at at[] = { { ATK_SCAN, 1 }, { ATK_NONE, 0 } };
	struct cybex_detect_stats st;
	struct run t;

	(void)state;
	run_start(&t, "quiet_period = 60\n", 10, NULL);
	/* 200 probes in 10 s: one alert, the rest suppressed. */
	run_feed(&t, 1000, at);
	assert_int_equal(t.r.total, 1);
	cybex_detect_stats(t.dt, &st);
	assert_true(st.suppressed > 10);
	/*
	 * Not raised again, but delivered as updates with the running
	 * totals: the same key, more observations, later (issue 23).
	 */
	assert_int_equal(t.r.updates, st.suppressed);
	assert_string_equal(t.r.upd.key, t.r.a[0].key);
	assert_true(t.r.upd.count > t.r.a[0].count);
	assert_true(t.r.upd.last_us > t.r.a[0].last_us);
	assert_int_equal(t.r.upd.first_us, t.r.a[0].first_us);
	/* After the quiet period the same scanner is raised again. */
	run_feed(&t, 150000, NULL);
	run_feed(&t, 1000, at);
	assert_int_equal(t.r.total, 2);
	assert_string_equal(t.r.a[0].key, t.r.a[1].key);
	run_end(&t);
}

static void
test_detectors_setting(void **state)
{
	static const struct atk_at at[] = {
		{ ATK_SCAN, 1 }, { ATK_PHISH, 1 }, { ATK_BRUTE, 1 },
		{ ATK_NONE, 0 },
	};
	struct run t;

	(void)state;
	run_start(&t, "detectors = scan, ddos\n", 11, NULL);
	run_feed(&t, 10000, at);
	only(&t.r, ",scan,");
	assert_int_equal(t.r.total, 1);
	run_end(&t);
}

/* Odd observations: wrong families, NULL strings, huge counts. */
static void
test_odd_input(void **state)
{
	struct cybex_obs o;
	struct run t;
	int kind, i;

	(void)state;
	run_start(&t, NULL, 0, NULL);
	assert_int_equal(cybex_detect_observe(NULL, &o, rec_fn, &t.r),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_detect_observe(t.dt, NULL, rec_fn, &t.r),
	    CYBEX_EINVAL);
	for (kind = 0; kind < CYBEX_OBS_KIND_MAX + 2; kind++)
		for (i = 0; i < 50; i++) {
			memset(&o, 0, sizeof(o));
			o.kind = (enum cybex_obs_kind)kind;
			o.ts_us = i % 3 == 0 ? -5 : i % 3 == 1 ? INT64_MAX / 2 :
			    T0;
			o.src_ip.family = (uint8_t)(i % 8);
			o.dst_ip.family = (uint8_t)((i + 2) % 8);
			o.pkts_to_server = i % 2 ? UINT64_MAX : 0;
			o.bytes_to_server = UINT64_MAX;
			o.n_answers = i % 2 ? 1000 : 3;
			o.n_rcpt = i % 2 ? 1000 : 0;
			o.n_rcpt_total = UINT64_MAX;
			o.dns_query = i % 4 ? "." : "xn--zzzzzzz.xn--.";
			o.tls_sni = "";
			o.mail_from = "@";
			o.url = i % 2 ? "https://www.northbank.example/" : "";
			o.page_hash = i % 2 ? "sha256:" : "zz";
			o.listed_value = "0.0.0.0/0";
			o.list_category = "spam";
			o.auth = (enum cybex_auth_result)(i % 9);
			o.tcp_flags = "zz";
			assert_int_equal(cybex_detect_observe(t.dt, &o, rec_fn,
			    &t.r), 0);
			(void)cybex_detect_hit(t.dt, &o, i % 2 ? NULL : "x",
			    NULL, rec_fn, &t.r);
		}
	assert_int_equal(cybex_detect_tick(t.dt, INT64_MAX / 2 + 1000000000,
	    rec_fn, &t.r), 0);
	run_end(&t);
}

/* The callback's non-zero value stops and comes back. */
static int
stop_fn(void *ud, const struct cybex_alert *a)
{
	(void)a;
	(*(int *)ud)++;
	return 7;
}

static void
test_callback_stop(void **state)
{
	struct cybex_detect *dt = dt_make(NULL);
	struct gen_atk atk[1];
	const struct cybex_obs *o;
	struct gen g;
	int calls = 0, rc = 0;

	(void)state;
	gen_init(&g, 12, T0, NULL);
	gen_attack(&g, &atk[0], ATK_SCAN, 0);
	while (rc == 0 && atk[0].left > 0) {
		if ((o = gen_attack_next(&g, &atk[0])) == NULL)
			o = gen_normal(&g);
		rc = cybex_detect_observe(dt, o, stop_fn, &calls);
	}
	assert_int_equal(rc, 7);
	assert_int_equal(calls, 1);
	cybex_detect_free(dt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_bruteforce),
		cmocka_unit_test(test_ddos),
		cmocka_unit_test(test_ddos_tick),
		cmocka_unit_test(test_beacon),
		cmocka_unit_test(test_c2_hits),
		cmocka_unit_test(test_phishing),
		cmocka_unit_test(test_pharming),
		cmocka_unit_test(test_defacement),
		cmocka_unit_test(test_spam),
		cmocka_unit_test(test_coop),
		cmocka_unit_test(test_quiet_period),
		cmocka_unit_test(test_detectors_setting),
		cmocka_unit_test(test_odd_input),
		cmocka_unit_test(test_callback_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
