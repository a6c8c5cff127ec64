/*
 * The analysis pipeline with observations built by hand: each kind of
 * value finds its indicator, hits aggregate into one sighting per
 * (indicator, sensor) with a count, versions only when the count changed,
 * replays are not counted twice, a full table flushes and goes on,
 * compound patterns are evaluated, TLP withholds, every STIX object
 * written is valid, detector alerts are stored and merged, and indicator
 * hits from two organizations raise one cooperative alert naming both.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cybex/analysis.h"
#include "cybex/stix.h"
#include "cybex/store.h"
#include "testutil.h"

#define T0	1700000000000000LL	/* 2023-11-14T22:13:20Z */
#define SEC	1000000LL

/* ---- fixture: a fresh store per test ---- */
struct fx {
	char			 dir[64];
	char			 db[96];
	struct cybex_store	*s;
	struct cybex_arena	*a;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct cybex_diag d;

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/cybex-analysis-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	if (cybex_store_open(f->db, 0, &f->s, &d) != 0 ||
	    cybex_arena_new(0, &f->a) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[128];

	cybex_store_close(f->s);
	cybex_arena_free(f->a);
	snprintf(p, sizeof(p), "%s/t.db", f->dir);
	if (getenv("KEEP") == NULL) unlink(p);
	snprintf(p, sizeof(p), "%s/t.db-wal", f->dir);
	if (getenv("KEEP") == NULL) unlink(p);
	snprintf(p, sizeof(p), "%s/t.db-shm", f->dir);
	if (getenv("KEEP") == NULL) unlink(p);
	if (getenv("KEEP") == NULL) rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- indicators ---- */
static json_t *
indicator(unsigned n, const char *pattern, const char *types, int tlp)
{
	char id[80];
	json_t *o, *t;

	snprintf(id, sizeof(id), "indicator--00000000-0000-4000-8000-%012x",
	    n);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type",
	    "indicator", "spec_version", "2.1", "id", id, "created",
	    "2020-01-01T00:00:00.000Z", "modified", "2020-01-01T00:00:00.000Z",
	    "pattern", pattern, "pattern_type", "stix", "valid_from",
	    "2020-01-01T00:00:00Z");
	assert_non_null(o);
	if (types != NULL) {
		t = json_pack("[s]", types);
		json_object_set_new(o, "indicator_types", t);
	}
	if (tlp == CYBEX_TLP_RED)
		json_object_set_new(o, "object_marking_refs", json_pack("[s]",
		    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"));
	return o;
}

static void
ind_id(unsigned n, char *out, size_t sz)
{
	snprintf(out, sz, "indicator--00000000-0000-4000-8000-%012x", n);
}

struct ind {
	unsigned	 n;
	const char	*pattern;
	const char	*types;
	int		 tlp;
};

static struct cybex_analysis_intel *
intel(const struct ind *v, size_t n)
{
	struct cybex_analysis_intel_builder *b;
	struct cybex_analysis_intel *in;
	struct cybex_diag d;
	json_t *j;
	size_t i;

	assert_int_equal(cybex_analysis_intel_builder_new(NULL, NULL, &b), 0);
	for (i = 0; i < n; i++) {
		j = indicator(v[i].n, v[i].pattern, v[i].types, v[i].tlp);
		if (cybex_analysis_intel_builder_add(b, j, &d) != 0)
			fail_msg("indicator %u: %s", v[i].n, d.message);
		json_decref(j);
	}
	if (cybex_analysis_intel_builder_build(b, &in, &d) != 0)
		fail_msg("build: %s", d.message);
	cybex_analysis_intel_builder_free(b);
	return in;
}

/* Indicators 1 to ADDRESSES, each of the address 203.0.113.<n>. */
#define ADDRESSES	10
static struct cybex_analysis_intel *
intel_addresses(void)
{
	struct ind iv[ADDRESSES];
	char pat[ADDRESSES][64];
	size_t i;

	for (i = 0; i < ADDRESSES; i++) {
		snprintf(pat[i], sizeof(pat[i]), "[ipv4-addr:value = "
		    "'203.0.113.%zu']", i + 1);
		iv[i].n = (unsigned)i + 1;
		iv[i].pattern = pat[i];
		iv[i].types = NULL;
		iv[i].tlp = 0;
	}
	return intel(iv, ADDRESSES);
}

/* ---- observations ---- */
static void
ip4(struct cybex_ip *ip, unsigned a, unsigned b, unsigned c, unsigned dd)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = 4;
	ip->a[0] = (uint8_t)a;
	ip->a[1] = (uint8_t)b;
	ip->a[2] = (uint8_t)c;
	ip->a[3] = (uint8_t)dd;
}

static void
flow(struct cybex_obs *o, int64_t ts, const char *sensor, const char *org)
{
	memset(o, 0, sizeof(*o));
	o->kind = CYBEX_OBS_FLOW;
	o->ts_us = ts;
	o->sensor = sensor;
	o->org = org;
	o->source_type = "test";
	ip4(&o->src_ip, 192, 0, 2, 10);
	ip4(&o->dst_ip, 198, 51, 100, 7);
	o->has_src_port = o->has_dst_port = true;
	o->src_port = 40000;
	o->dst_port = 443;
	o->proto = "TCP";
}

/* A failed sshd password login as root from 198.51.100.<src> at ts. */
static void
ssh_failure(struct cybex_obs *o, int64_t ts, unsigned src)
{
	memset(o, 0, sizeof(*o));
	o->kind = CYBEX_OBS_AUTH;
	o->ts_us = ts;
	o->sensor = "ssh1";
	o->org = "cert-a";
	o->source_type = "sshd";
	ip4(&o->src_ip, 198, 51, 100, src);
	o->auth = CYBEX_AUTH_FAILURE;
	o->user = "root";
	o->auth_service = "sshd";
	o->auth_method = "password";
	o->host = "gw";
}

static struct cybex_analysis *
pipeline(struct fx *f, struct cybex_analysis_intel *in, size_t max)
{
	struct cybex_analysis_opts o;
	struct cybex_analysis *a;
	struct cybex_diag d;

	memset(&o, 0, sizeof(o));
	o.max_sightings = max;
	o.flush_interval_us = -1;
	if (cybex_analysis_new(f != NULL ? f->s : NULL, &o, &a, &d) != 0)
		fail_msg("pipeline: %s", d.message);
	cybex_analysis_set_intel(a, in);
	return a;
}

static void
observe(struct cybex_analysis *a, const struct cybex_obs *o)
{
	struct cybex_diag d;
	int rc;

	cybex_diag_clear(&d);
	if ((rc = cybex_analysis_observe(a, o, &d)) != 0)
		fail_msg("observe: %s: %s", cybex_strerror(rc), d.message);
}

static void
flush(struct cybex_analysis *a)
{
	struct cybex_diag d;
	int rc;

	cybex_diag_clear(&d);
	if ((rc = cybex_analysis_flush(a, &d)) != 0)
		fail_msg("flush: %s: %s", cybex_strerror(rc), d.message);
}

/* ---- what was stored ---- */
#define OBJS_MAX	64
struct objs {
	json_t		*v[OBJS_MAX];
	size_t		 n;
};

static int
collect(void *ud, const struct cybex_row *r)
{
	struct objs *os = ud;
	json_t *j;

	if (cybex_json_parse(r->json, r->len, 0, &j, NULL) != 0)
		return CYBEX_EJSON;
	if (os->n == OBJS_MAX) {
		json_decref(j);
		return CYBEX_ETOOBIG;
	}
	os->v[os->n++] = j;
	return 0;
}

/* Every stored version of type (NULL = all) in the sightings collection. */
static void
stored(struct fx *f, const char *type, unsigned versions, struct objs *os)
{
	struct cybex_collection c;
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	int rc;

	memset(os, 0, sizeof(*os));
	rc = cybex_store_collection_get(f->s, CYBEX_ANALYSIS_SIGHTINGS, f->a,
	    &c, &d);
	if (rc == CYBEX_ENOTFOUND)
		return;
	assert_int_equal(rc, 0);
	memset(&q, 0, sizeof(q));
	q.coll_id = c.id;
	q.types = &type;
	q.ntypes = type != NULL ? 1 : 0;
	q.versions = versions;
	assert_int_equal(cybex_store_query(f->s, &q, collect, os, &pg, &d), 0);
}

static void
objs_free(struct objs *os)
{
	size_t i;

	for (i = 0; i < os->n; i++)
		json_decref(os->v[i]);
	os->n = 0;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The stored object with this id (latest version), or NULL. */
static json_t *
find(struct objs *all, const char *id)
{
	size_t i;

	for (i = 0; i < all->n; i++)
		if (str(all->v[i], "id") != NULL &&
		    strcmp(str(all->v[i], "id"), id) == 0)
			return all->v[i];
	return NULL;
}

static void
assert_valid(const json_t *o)
{
	struct cybex_stix_result res;

	if (cybex_stix_validate(o, NULL, NULL, NULL, NULL, &res) != 0)
		fail_msg("invalid %s (%u errors)", str(o, "id"), res.errors);
}

/* The ADDRESSES sightings are stored, each with count hits. */
static void
assert_sightings(struct fx *f, json_int_t count)
{
	struct objs sg;
	size_t i;

	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, ADDRESSES);
	for (i = 0; i < sg.n; i++)
		assert_int_equal(json_integer_value(json_object_get(sg.v[i],
		    "count")), count);
	objs_free(&sg);
}

/* ---- tests ---- */

static void
test_one_sighting_with_a_count(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", "c2", 0 },
		{ 2, "[ipv4-addr:value = '203.0.113.99']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 2);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct cybex_analysis_stats st;
	struct cybex_sighting_state ss;
	struct cybex_diag d;
	struct cybex_obs o;
	struct objs sg, all;
	json_t *s, *od, *ident, *refs;
	char id1[80];
	size_t i;
	int i0;

	for (i0 = 0; i0 < 1000; i0++) {
		flow(&o, T0 + i0 * SEC, "sensor-a", "cert-a");
		observe(a, &o);
	}
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.observations, 1000);
	assert_int_equal(st.matched, 1000);
	assert_int_equal(st.hits, 1000);
	assert_int_equal(st.sightings_updated, 1);
	assert_int_equal(st.replays, 0);
	stored(f, "sighting", CYBEX_VERSION_ALL, &sg);
	assert_int_equal(sg.n, 1);
	s = sg.v[0];
	assert_valid(s);
	ind_id(1, id1, sizeof(id1));
	assert_string_equal(str(s, "sighting_of_ref"), id1);
	assert_int_equal(json_integer_value(json_object_get(s, "count")),
	    1000);
	assert_string_equal(str(s, "first_seen"),
	    "2023-11-14T22:13:20.000000Z");
	assert_string_equal(str(s, "last_seen"),
	    "2023-11-14T22:29:59.000000Z");
	/* The sensor's identity and the evidence are stored and valid. */
	stored(f, NULL, CYBEX_VERSION_LAST, &all);
	refs = json_object_get(s, "where_sighted_refs");
	assert_int_equal(json_array_size(refs), 1);
	ident = find(&all, json_string_value(json_array_get(refs, 0)));
	assert_non_null(ident);
	assert_string_equal(str(ident, "identity_class"), "system");
	assert_string_equal(str(ident, "name"), "sensor-a");
	refs = json_object_get(s, "observed_data_refs");
	assert_int_equal(json_array_size(refs), 1);
	od = find(&all, json_string_value(json_array_get(refs, 0)));
	assert_non_null(od);
	assert_string_equal(str(od, "last_observed"),
	    "2023-11-14T22:29:59.000000Z");
	refs = json_object_get(od, "object_refs");
	assert_true(json_array_size(refs) >= 3);	/* 2 addresses, traffic */
	for (i = 0; i < json_array_size(refs); i++)
		assert_non_null(find(&all, json_string_value(json_array_get(
		    refs, i))));
	for (i = 0; i < all.n; i++)
		assert_valid(all.v[i]);
	/* The state agrees. */
	assert_int_equal(cybex_store_sighting_get(f->s, str(s, "id"), f->a,
	    &ss, &d), 0);
	assert_int_equal(ss.count, 1000);
	assert_int_equal(ss.written_count, 1000);
	assert_string_equal(ss.org, "cert-a");
	/* Nothing new: a flush writes no version. */
	flush(a);
	objs_free(&sg);
	stored(f, "sighting", CYBEX_VERSION_ALL, &sg);
	assert_int_equal(sg.n, 1);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
	objs_free(&sg);
	objs_free(&all);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

static void
test_replay_not_counted_twice(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct cybex_obs o;
	struct objs sg;
	size_t run;
	int i;

	for (run = 0; run < 2; run++) {
		a = pipeline(f, in, 0);
		for (i = 0; i < 100; i++) {
			flow(&o, T0 + i * SEC, "sensor-a", "cert-a");
			observe(a, &o);
		}
		flush(a);
		cybex_analysis_stats(a, &st);
		assert_int_equal(st.hits, 100);
		assert_int_equal(st.replays, run == 0 ? 0 : 100);
		assert_int_equal(st.sightings_updated, run == 0 ? 1 : 0);
		cybex_analysis_free(a);
	}
	stored(f, "sighting", CYBEX_VERSION_ALL, &sg);
	assert_int_equal(sg.n, 1);
	assert_int_equal(json_integer_value(json_object_get(sg.v[0], "count")),
	    100);
	objs_free(&sg);
	/* Half old, half new (a re-run after a crash): the new half counts. */
	a = pipeline(f, in, 0);
	for (i = 50; i < 150; i++) {
		flow(&o, T0 + i * SEC, "sensor-a", "cert-a");
		observe(a, &o);
	}
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.replays, 50);
	stored(f, "sighting", CYBEX_VERSION_ALL, &sg);
	assert_int_equal(sg.n, 2);	/* a second version */
	assert_string_equal(str(sg.v[0], "id"), str(sg.v[1], "id"));
	assert_string_equal(str(sg.v[0], "created"), str(sg.v[1], "created"));
	assert_string_not_equal(str(sg.v[0], "modified"),
	    str(sg.v[1], "modified"));
	objs_free(&sg);
	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, 1);
	assert_int_equal(json_integer_value(json_object_get(sg.v[0], "count")),
	    150);
	objs_free(&sg);
	/* Another sensor seeing the same is another sighting. */
	flow(&o, T0, "sensor-b", "cert-a");
	observe(a, &o);
	flush(a);
	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, 2);
	objs_free(&sg);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/* One observation per kind of value, each finding only its indicator. */
static void
test_every_kind_of_value(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[domain-name:value = 'evil.example']", NULL, 0 },
		{ 2, "[url:value = 'http://shop.example/login.php?x=1']", NULL,
		    0 },
		{ 3, "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855']", NULL, 0 },
		{ 4, "[email-addr:value = 'boss@fraud.example']", NULL, 0 },
		{ 5, "[user-account:account_login = 'svc-backup']", NULL, 0 },
		{ 6, "[x509-certificate:hashes.'SHA-1' = "
		    "'0123456789abcdef0123456789abcdef01234567']", NULL, 0 },
		{ 7, "[network-traffic:dst_port = 4444]", NULL, 0 },
		{ 8, "[ipv4-addr:value ISSUBSET '10.9.0.0/16']", NULL, 0 },
		{ 9, "[domain-name:value LIKE '%.bad.example']", NULL, 0 },
		{ 10, "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
		    NULL, 0 },
		{ 11, "[domain-name:value = 'cname-target.example']", NULL, 0 },
		{ 12, "[ipv4-addr:value = '203.0.113.50']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 12);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct cybex_analysis_stats st;
	struct cybex_obs o;
	struct objs sg;
	char want[80];
	size_t i, k;
	bool seen[13];

	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.sensor = "s";
	/* DNS query with a CNAME and an A answer. */
	o.kind = CYBEX_OBS_DNS;
	o.dns_query = "evil.example";
	o.n_answers = 2;
	o.answers[0].rrtype = "CNAME";
	o.answers[0].rdata = "cname-target.example";
	o.answers[1].rrtype = "A";
	o.answers[1].rdata = "203.0.113.50";
	ip4(&o.answers[1].ip, 203, 0, 113, 50);
	observe(a, &o);
	/* HTTP: the path and host make the URL. */
	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.kind = CYBEX_OBS_HTTP;
	o.http_host = "shop.example";
	o.url = "/login.php?x=1";
	observe(a, &o);
	/* A file with hashes. */
	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.kind = CYBEX_OBS_FILE;
	o.sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855";
	o.md5 = "d41d8cd98f00b204e9800998ecf8427e";
	observe(a, &o);
	/* Mail from a listed sender. */
	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.kind = CYBEX_OBS_MAIL;
	o.mail_from = "boss@fraud.example";
	observe(a, &o);
	/* A login of a listed account. */
	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.kind = CYBEX_OBS_AUTH;
	o.user = "svc-backup";
	observe(a, &o);
	/* TLS: fingerprint with colons, SNI under a listed suffix. */
	memset(&o, 0, sizeof(o));
	o.ts_us = T0;
	o.kind = CYBEX_OBS_TLS;
	o.tls_fingerprint = "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:ab:cd:ef:"
	    "01:23:45:67";
	o.tls_sni = "cdn.bad.example";
	observe(a, &o);
	/* A flow to a listed port inside a listed network. */
	flow(&o, T0, "s", NULL);
	ip4(&o.dst_ip, 10, 9, 3, 4);
	o.dst_port = 4444;
	observe(a, &o);
	/* And one that matches nothing. */
	flow(&o, T0, "s", NULL);
	observe(a, &o);
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.observations, 8);
	assert_int_equal(st.matched, 7);
	assert_int_equal(st.hits, 12);
	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, 12);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sg.n; i++) {
		assert_valid(sg.v[i]);
		for (k = 1; k <= 12; k++) {
			ind_id((unsigned)k, want, sizeof(want));
			if (strcmp(str(sg.v[i], "sighting_of_ref"), want) == 0)
				seen[k] = true;
		}
	}
	for (k = 1; k <= 12; k++)
		if (!seen[k])
			fail_msg("no sighting of indicator %zu", k);
	objs_free(&sg);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

static void
test_compound_patterns(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[network-traffic:dst_port = 443 AND "
		    "network-traffic:dst_ref.value = '198.51.100.7']", NULL, 0 },
		{ 2, "[ipv4-addr:value = '192.0.2.10']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 2);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct cybex_analysis_stats st;
	struct cybex_obs o;

	flow(&o, T0, "s", NULL);
	observe(a, &o);			/* both */
	flow(&o, T0 + SEC, "s", NULL);
	o.dst_port = 80;
	observe(a, &o);			/* only the address */
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.general_lookups, 2);
	assert_int_equal(st.hits, 3);
	assert_int_equal(st.matched, 2);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/* A table of 4 aggregates for 10 indicators: it flushes and goes on. */
static void
test_full_table_flushes(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis_intel *in;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct cybex_obs o;
	size_t i;
	int rep;

	in = intel_addresses();
	a = pipeline(f, in, 4);
	for (rep = 0; rep < 3; rep++)
		for (i = 0; i < 10; i++) {
			flow(&o, T0 + (rep * 10 + (int)i) * SEC, "s", NULL);
			ip4(&o.dst_ip, 203, 0, 113, (unsigned)i + 1);
			observe(a, &o);
		}
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_true(st.evictions >= 5);
	assert_int_equal(st.replays, 0);
	assert_sightings(f, 3);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/*
 * Hits in one second (syslog's resolution) across an eviction: the table
 * is written and emptied, and the hits that follow in the same second are
 * this run's, not a replay of an earlier one.
 */
static void
test_eviction_same_second(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '203.0.113.1']", NULL, 0 },
		{ 2, "[ipv4-addr:value = '203.0.113.2']", NULL, 0 },
		{ 3, "[ipv4-addr:value = '203.0.113.3']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 3);
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct cybex_sighting_state ss;
	struct cybex_obs o;
	struct objs sg;
	struct cybex_diag d;
	const unsigned seq[] = { 1, 2, 3, 1, 2, 3, 1 };
	size_t i, run;

	for (run = 0; run < 2; run++) {
		a = pipeline(f, in, 2);
		for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
			flow(&o, T0, "s", "cert-a");
			ip4(&o.dst_ip, 203, 0, 113, seq[i]);
			observe(a, &o);
		}
		flush(a);
		cybex_analysis_stats(a, &st);
		assert_true(st.evictions >= 2);
		/* The first run counts all; running it again counts none. */
		assert_int_equal(st.replays, run == 0 ? 0 : 7);
		cybex_analysis_free(a);
	}
	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, 3);
	for (i = 0; i < sg.n; i++) {
		if (cybex_store_sighting_get(f->s, str(sg.v[i], "id"), f->a,
		    &ss, &d) != 0)
			fail_msg("%s", d.message);
		assert_int_equal(ss.count, strcmp(ss.indicator_id + 35,
		    "000000000001") == 0 ? 3 : 2);
		assert_int_equal(json_integer_value(json_object_get(sg.v[i],
		    "count")), (json_int_t)ss.count);
	}
	objs_free(&sg);
	cybex_analysis_intel_unref(in);
}

/* A TLP:RED indicator's sighting is counted but not published. */
static void
test_tlp_withholds(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", NULL, CYBEX_TLP_RED },
	};
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct cybex_analysis_stats st;
	struct cybex_obs o;
	struct objs sg;

	flow(&o, T0, "s", NULL);
	observe(a, &o);
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.sightings_updated, 0);
	assert_int_equal(st.sightings_withheld, 1);
	stored(f, "sighting", CYBEX_VERSION_ALL, &sg);
	assert_int_equal(sg.n, 0);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

struct alert_seen {
	size_t		 n;
	char		 detector[8][32];
	uint64_t	 count[8];
	size_t		 norgs[8];
	char		 org[8][32];
	json_int_t	 members[8];	/* evidence "members" */
};

static int
alert_row(void *ud, const struct cybex_alert_row *r)
{
	struct alert_seen *as = ud;
	json_t *ev;

	if (as->n < 8) {
		snprintf(as->detector[as->n], 32, "%s", r->detector);
		as->count[as->n] = r->count;
		as->norgs[as->n] = r->norgs;
		snprintf(as->org[as->n], 32, "%s", r->org != NULL ? r->org :
		    "");
		if (cybex_json_parse(r->evidence, strlen(r->evidence), 0, &ev,
		    NULL) == 0) {
			as->members[as->n] = json_integer_value(
			    json_object_get(ev, "members"));
			json_decref(ev);
		}
	}
	as->n++;
	return 0;
}

static void
alerts(struct fx *f, const char *detector, struct alert_seen *as)
{
	struct cybex_alert_query q;
	struct cybex_page pg;
	struct cybex_diag d;

	memset(&q, 0, sizeof(q));
	memset(as, 0, sizeof(*as));
	q.detector = detector;
	assert_int_equal(cybex_store_alert_query(f->s, &q, alert_row, as, &pg,
	    &d), 0);
}

/* The alerts an organization may see (at most AMBER when not its own). */
static size_t
visible(struct fx *f, const char *org, const char *detector)
{
	struct cybex_alert_query q;
	struct alert_seen mine;
	struct cybex_page pg;
	struct cybex_diag d;

	memset(&q, 0, sizeof(q));
	memset(&mine, 0, sizeof(mine));
	q.org = org;
	q.detector = detector;
	q.max_tlp = CYBEX_TLP_AMBER;
	assert_int_equal(cybex_store_alert_query(f->s, &q, alert_row, &mine,
	    &pg, &d), 0);
	return mine.n;
}

/* sshd failures from one address: a brute-force alert, stored once. */
static void
test_bruteforce_alert(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct alert_seen as;
	struct cybex_obs o;
	size_t run;
	int i;

	for (run = 0; run < 2; run++) {
		a = pipeline(f, NULL, 0);
		for (i = 0; i < 40; i++) {
			ssh_failure(&o, T0 + i * SEC, 66);
			observe(a, &o);
		}
		flush(a);
		cybex_analysis_stats(a, &st);
		assert_true(st.alerts >= 1);
		/* The second run is the same input: merged, unchanged. */
		if (run == 0)
			assert_true(st.alerts_added >= 1);
		else {
			assert_int_equal(st.alerts_added, 0);
			assert_int_equal(st.alerts_updated, 0);
		}
		cybex_analysis_free(a);
	}
	alerts(f, "bruteforce", &as);
	assert_true(as.n >= 1);
	assert_string_equal(as.org[0], "cert-a");
	assert_true(as.count[0] >= 20);
}

/* The stored source alert of 198.51.100.<66>: its count and summary. */
static int
bf_row(void *ud, const struct cybex_alert_row *r)
{
	char *out = ud;

	if (strcmp(r->key, "bruteforce|cert-a|198.51.100.66") == 0)
		snprintf(out, 512, "%llu %s", (unsigned long long)r->count,
		    r->summary);
	return 0;
}

/*
 * A brute force that goes on after its alert (issue 23): each flush
 * brings the stored alert's count and text to the running totals, not
 * the counts at the threshold.
 */
static void
test_bruteforce_alert_running_totals(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct cybex_alert_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct cybex_obs o;
	char got[512];
	int i;

	a = pipeline(f, NULL, 0);
	for (i = 0; i < 286; i++) {
		ssh_failure(&o, T0 + i * 2 * SEC, 66);
		observe(a, &o);
		if (i == 99)
			flush(a);
	}
	flush(a);
	cybex_analysis_stats(a, &st);
	/* The source and the account alert, each raised once, updated. */
	assert_int_equal(st.alerts, 2);
	cybex_analysis_free(a);
	memset(&q, 0, sizeof(q));
	q.detector = "bruteforce";
	got[0] = '\0';
	assert_int_equal(cybex_store_alert_query(f->s, &q, bf_row, got, &pg,
	    &d), 0);
	assert_string_equal(got, "286 198.51.100.66: 286 failed logins in "
	    "570 s, against about 1 account");
}

/* ---- writes that fail ---- */

/*
 * SQL run on the test's own connection to the store's file: a trigger
 * that makes every write to a table fail (as a full disk would) and its
 * removal.
 */
static void
db_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;
	char *err = NULL;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* The one number a query on the test's own connection gives. */
static long long
db_count(struct fx *f, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	long long n = -1;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

#define FAIL_ON(t)	"CREATE TRIGGER fail_" t " BEFORE INSERT ON " t \
	" BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END"
#define FAIL_OFF(t)	"DROP TRIGGER fail_" t

/*
 * A batch (one request body) whose table fills while the store cannot be
 * written is analysed whole and counted once; while that write is still
 * pending no batch starts, and nothing of it is counted; once the store
 * takes writes again every hit is stored exactly once.
 */
static void
test_failed_write_counts_once(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis_intel *in;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st, st2;
	struct cybex_diag d;
	struct cybex_obs o;
	struct objs sg;
	size_t i;
	int rep;

	in = intel_addresses();
	a = pipeline(f, in, 8);
	db_exec(f, FAIL_ON("sighting_state"));
	cybex_diag_clear(&d);
	assert_int_equal(cybex_analysis_batch_begin(a, &d), 0);
	for (rep = 0; rep < 3; rep++)
		for (i = 0; i < 10; i++) {
			flow(&o, T0 + (rep * 10 + (int)i) * SEC, "s", "cert-a");
			ip4(&o.dst_ip, 203, 0, 113, (unsigned)i + 1);
			observe(a, &o);	/* the failed eviction does not stop it */
		}
	cybex_diag_clear(&d);
	assert_true(cybex_analysis_batch_end(a, &d) < 0);
	assert_non_null(strstr(d.message, "disk full (test)"));
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.hits, 30);
	assert_true(st.write_failures >= 1);
	assert_int_equal(st.hits_dropped, 0);
	assert_int_equal(st.flushes, 0);

	/* Still failing: the next batch is refused before it counts. */
	cybex_diag_clear(&d);
	assert_int_equal(cybex_analysis_batch_begin(a, &d), CYBEX_EBUSY);
	cybex_analysis_stats(a, &st2);
	assert_int_equal(st2.observations, st.observations);
	assert_int_equal(st2.write_failures, st.write_failures + 1);
	stored(f, "sighting", CYBEX_VERSION_LAST, &sg);
	assert_int_equal(sg.n, 0);
	objs_free(&sg);

	/* Writable again: the retry writes what was pending, once. */
	db_exec(f, FAIL_OFF("sighting_state"));
	cybex_diag_clear(&d);
	if (cybex_analysis_batch_begin(a, &d) != 0)
		fail_msg("batch_begin: %s", d.message);
	assert_int_equal(cybex_analysis_batch_end(a, &d), 0);
	flush(a);
	assert_sightings(f, 3);

	/* Past twice the table's size while failing: dropped and counted. */
	cybex_analysis_free(a);
	a = pipeline(f, in, 4);
	db_exec(f, FAIL_ON("sighting_state"));
	assert_int_equal(cybex_analysis_batch_begin(a, &d), 0);
	for (i = 0; i < 10; i++) {
		flow(&o, T0 + (100 + (int)i) * SEC, "s", "cert-a");
		ip4(&o.dst_ip, 203, 0, 113, (unsigned)i + 1);
		observe(a, &o);
	}
	assert_true(cybex_analysis_batch_end(a, &d) < 0);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.hits, 10);
	assert_int_equal(st.hits_dropped, 2);
	db_exec(f, FAIL_OFF("sighting_state"));
	flush(a);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/*
 * The pending alerts have a hard cap: while the store cannot be written,
 * at most twice max_alerts are held, and new alerts beyond are dropped and
 * counted, not kept in ever more memory.
 */
static void
test_alerts_capped_while_writes_fail(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis_opts ao;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct alert_seen as;
	struct cybex_diag d;
	struct cybex_obs o;
	unsigned src;
	int i;

	memset(&ao, 0, sizeof(ao));
	ao.max_alerts = 2;
	ao.flush_interval_us = -1;
	if (cybex_analysis_new(f->s, &ao, &a, &d) != 0)
		fail_msg("pipeline: %s", d.message);
	db_exec(f, FAIL_ON("alerts"));
	assert_int_equal(cybex_analysis_batch_begin(a, &d), 0);
	/* Ten brute-forcing sources: ten distinct alerts. */
	for (src = 0; src < 10; src++)
		for (i = 0; i < 40; i++) {
			ssh_failure(&o, T0 + (int64_t)(src * 40 +
			    (unsigned)i) * SEC, 60 + src);
			observe(a, &o);
		}
	assert_true(cybex_analysis_batch_end(a, &d) < 0);
	cybex_analysis_stats(a, &st);
	assert_true(st.alerts >= 10);
	assert_true(st.alerts_dropped >= 6);
	db_exec(f, FAIL_OFF("alerts"));
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.alerts_added, 4);
	alerts(f, NULL, &as);
	assert_int_equal(as.n, 4);
	cybex_analysis_free(a);
}

/* The same indicator hit by two member organizations. */
static void
test_cooperative_alert(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct alert_seen as;
	struct cybex_obs o;

	flow(&o, T0, "sensor-a", "cert-a");
	observe(a, &o);
	flow(&o, T0 + SEC, "sensor-a", "cert-a");
	observe(a, &o);
	flow(&o, T0 + 2 * SEC, "sensor-b", "bank-b");
	observe(a, &o);
	flush(a);
	alerts(f, "coop", &as);
	assert_int_equal(as.n, 1);
	assert_int_equal(as.members[0], 2);
	assert_int_equal(as.norgs[0], 2);
	assert_int_equal(as.count[0], 3);	/* hits behind it */
	assert_string_equal(as.org[0], "");
	/* Visible to each of the two. */
	assert_int_equal(visible(f, "cert-a", "coop"), 1);
	assert_int_equal(visible(f, "bank-b", "coop"), 1);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/*
 * Removing an organization: while alerts or analysis state carry its name
 * it is refused (a new organization of that name would inherit them);
 * with purge they all go with it, and a new organization of the same
 * name starts with nothing, while the other member keeps its view.
 */
static void
test_org_remove_purges(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", NULL, 0 },
	};
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct cybex_diag d;
	struct cybex_obs o;

	assert_int_equal(cybex_store_org_add(f->s, "cert-a", &d), 0);
	assert_int_equal(cybex_store_org_add(f->s, "bank-b", &d), 0);
	flow(&o, T0, "sensor-a", "cert-a");
	observe(a, &o);
	flow(&o, T0 + 2 * SEC, "sensor-b", "bank-b");
	observe(a, &o);
	flush(a);
	cybex_analysis_free(a);
	assert_true(visible(f, "cert-a", NULL) >= 1);
	assert_int_equal(visible(f, "bank-b", "coop"), 1);

	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0, &d),
	    CYBEX_ECONFLICT);
	assert_non_null(strstr(d.message, "alert"));
	assert_int_equal(cybex_store_org_add(f->s, "cert-a", &d),
	    CYBEX_EEXIST);		/* still there */
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0x80, &d),
	    CYBEX_EINVAL);

	assert_int_equal(cybex_store_org_remove(f->s, "cert-a",
	    CYBEX_ORG_PURGE, &d), 0);
	assert_int_equal(visible(f, "cert-a", NULL), 0);
	assert_int_equal(db_count(f, "SELECT COUNT(*) FROM alert_orgs WHERE "
	    "org = 'cert-a'"), 0);
	assert_int_equal(db_count(f, "SELECT COUNT(*) FROM sighting_state "
	    "WHERE org = 'cert-a'"), 0);
	assert_int_equal(db_count(f, "SELECT COUNT(*) FROM coop_seen WHERE "
	    "org = 'cert-a'"), 0);
	assert_int_equal(visible(f, "bank-b", "coop"), 1);
	assert_true(db_count(f, "SELECT COUNT(*) FROM sighting_state WHERE "
	    "org = 'bank-b'") == 1);

	/* A new organization of the name sees none of the old one's. */
	assert_int_equal(cybex_store_org_add(f->s, "cert-a", &d), 0);
	assert_int_equal(visible(f, "cert-a", NULL), 0);
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0, &d), 0);
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0, &d),
	    CYBEX_ENOTFOUND);
	cybex_analysis_intel_unref(in);
}

/*
 * Hits on a TLP:RED indicator: the alerts they raise are TLP:RED too, so
 * the cooperative one (which names the indicator and who else hit it) is
 * shown to no member, and the C2 alert only to the organization that
 * contacted it.
 */
static void
test_red_indicator_alerts_are_red(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", "c2",
		    CYBEX_TLP_RED },
	};
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a = pipeline(f, in, 0);
	struct alert_seen as;
	struct cybex_obs o;
	int pass;

	/* Twice: stored, then merged into the stored rows. */
	for (pass = 0; pass < 2; pass++) {
		flow(&o, T0 + pass * 100 * SEC, "sensor-a", "cert-a");
		observe(a, &o);
		flow(&o, T0 + (pass * 100 + 1) * SEC, "sensor-b", "bank-b");
		observe(a, &o);
		flush(a);
	}
	alerts(f, "coop", &as);
	assert_true(as.n >= 1);
	alerts(f, "c2", &as);
	assert_int_equal(as.n, 2);
	assert_int_equal(visible(f, "cert-a", "coop"), 0);
	assert_int_equal(visible(f, "bank-b", "coop"), 0);
	assert_int_equal(visible(f, "cert-a", "c2"), 1);
	assert_int_equal(visible(f, "bank-b", "c2"), 1);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

/* Two organizations analysed by separate pipelines (processes, days). */
static void
test_cooperative_across_runs(void **state)
{
	struct fx *f = *state;
	const struct ind iv[] = {
		{ 1, "[ipv4-addr:value = '198.51.100.7']", "c2", 0 },
	};
	const char *orgs[] = { "cert-a", "bank-b", "isp-c" };
	struct cybex_analysis_intel *in = intel(iv, 1);
	struct cybex_analysis *a;
	struct alert_seen as;
	struct cybex_obs o;
	size_t k;
	int i;

	for (k = 0; k < 3; k++) {
		a = pipeline(f, in, 0);
		flow(&o, T0 + (int64_t)k * 100 * SEC, "gw", orgs[k]);
		observe(a, &o);
		/* Brute force from one address against each organization. */
		for (i = 0; i < 25; i++) {
			memset(&o, 0, sizeof(o));
			o.kind = CYBEX_OBS_AUTH;
			o.ts_us = T0 + (int64_t)k * 100 * SEC + i * SEC;
			o.sensor = "ssh";
			o.org = orgs[k];
			ip4(&o.src_ip, 198, 51, 100, 66);
			o.auth = CYBEX_AUTH_FAILURE;
			o.user = "admin";
			o.auth_service = "sshd";
			observe(a, &o);
		}
		flush(a);
		cybex_analysis_free(a);
		alerts(f, "coop", &as);
		if (k == 0) {
			assert_int_equal(as.n, 0);
			continue;
		}
		/*
		 * One for the indicator, one for the C2 address its hits
		 * make an attacker, one for the brute-forcing address.
		 */
		assert_int_equal(as.n, 3);
		for (i = 0; i < 3; i++) {
			assert_int_equal(as.members[i], (json_int_t)k + 1);
			assert_int_equal(as.norgs[i], k + 1);
		}
	}
	cybex_analysis_intel_unref(in);
}

/* Stored indicators, the handle, and a pipeline without a store. */
static void
test_intel_from_store(void **state)
{
	struct fx *f = *state;
	struct cybex_analysis_intel *in, *got;
	struct cybex_analysis *a;
	struct cybex_analysis_stats st;
	struct cybex_collection c;
	struct cybex_buf b;
	struct cybex_diag d;
	struct cybex_obs o;
	enum cybex_put_result res;
	struct cybex_match_stats ms;
	json_t *j;
	size_t bad;

	assert_int_equal(cybex_store_collection_get(f->s,
	    CYBEX_DEFAULT_COLLECTION, f->a, &c, &d), 0);
	j = indicator(1, "[ipv4-addr:value = '198.51.100.7']", "c2", 0);
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_json_write(j, 0, &b), 0);
	assert_int_equal(cybex_store_put(f->s, c.id, j, b.data, b.len, &res,
	    &d), 0);
	json_decref(j);
	cybex_buf_free(&b);
	assert_int_equal(cybex_analysis_intel_load(f->s, NULL, NULL, NULL, &in,
	    &bad, &d), 0);
	assert_int_equal(bad, 0);
	cybex_match_index_stats(cybex_analysis_intel_index(in), &ms);
	assert_int_equal(ms.indicators, 1);
	assert_int_equal(cybex_analysis_intel_load(f->s, "no-such", NULL, NULL,
	    &got, &bad, &d), CYBEX_ENOTFOUND);
	/* A collection without indicators: an empty set that matches nothing. */
	c.id[0] = '\0';
	c.alias = "empty";
	c.title = "Empty";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_int_equal(cybex_analysis_intel_load(f->s, "empty", NULL, NULL,
	    &got, &bad, &d), 0);
	cybex_match_index_stats(cybex_analysis_intel_index(got), &ms);
	assert_int_equal(ms.indicators, 0);
	a = pipeline(NULL, got, 0);
	flow(&o, T0, "s", NULL);
	observe(a, &o);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.hits, 0);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(got);
	/* No store: counted, nothing written. */
	a = pipeline(NULL, in, 0);
	flow(&o, T0, "s", NULL);
	observe(a, &o);
	flush(a);
	cybex_analysis_stats(a, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.flushes, 1);
	cybex_analysis_free(a);
	cybex_analysis_intel_unref(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_sighting_with_a_count,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_not_counted_twice,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_kind_of_value,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_compound_patterns, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_table_flushes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eviction_same_second,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlp_withholds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_counts_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alerts_capped_while_writes_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_bruteforce_alert_running_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bruteforce_alert, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cooperative_alert, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_red_indicator_alerts_are_red, setup, teardown),
		cmocka_unit_test_setup_teardown(test_org_remove_purges, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cooperative_across_runs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_intel_from_store, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
