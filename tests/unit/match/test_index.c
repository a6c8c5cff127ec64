/*
 * The indicator index: which indicators are active, versions, the tables
 * (exact values in canonical form, domain suffixes, CIDRs, Hyperscan
 * sets, compound patterns), the fast value path, ids, the memory bound
 * for exact values, and swapping indexes under concurrent readers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>
#include <stdatomic.h>

#include <cmocka.h>

#include "cybex/match.h"
#include "cybex/pattern.h"
#include "testutil.h"

#define NOW	"2024-01-01T00:00:00Z"

static struct cybex_time
ts(const char *s)
{
	struct cybex_time t;

	assert_int_equal(cybex_time_parse(s, strlen(s), CYBEX_TIME_UTC_Z, &t,
	    NULL), 0);
	return t;
}

static json_t *
indicator(unsigned n, const char *pattern)
{
	char id[80];
	json_t *o;

	snprintf(id, sizeof(id), "indicator--00000000-0000-4000-8000-%012x",
	    n);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "indicator",
	    "id", id, "pattern", pattern, "pattern_type", "stix",
	    "valid_from", "2020-01-01T00:00:00Z", "modified",
	    "2020-01-01T00:00:00Z");
	assert_non_null(o);
	return o;
}

static struct cybex_match_builder *
builder(void)
{
	struct cybex_match_builder *b;
	struct cybex_time now = ts(NOW);

	assert_int_equal(cybex_match_builder_new(NULL, &now, &b), 0);
	return b;
}

static void
add(struct cybex_match_builder *b, unsigned n, const char *pattern)
{
	json_t *o = indicator(n, pattern);
	struct cybex_diag d;

	if (cybex_match_builder_add(b, o, &d) != 0)
		fail_msg("%s: %s", pattern, d.message);
	json_decref(o);
}

/* One observation of SCOs (JSON list text) in a fresh set. */
static struct cybex_pattern_obsset *
obs1(const char *scos)
{
	struct cybex_pattern_obsset *s;
	struct cybex_time t = ts("2023-06-01T00:00:00Z");
	json_t *arr = json_loads(scos, 0, NULL), *v[8];
	size_t i, n;

	assert_non_null(arr);
	n = json_array_size(arr);
	for (i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	assert_int_equal(cybex_pattern_obsset_new(0, &s), 0);
	assert_int_equal(cybex_pattern_obsset_add_scos(s, v, n, &t, &t, 1,
	    NULL), 0);
	json_decref(arr);
	return s;
}

/* The indicator numbers (the n of indicator()) an observation hits, as
 * "1,5,7". */
static void
hits_of(const struct cybex_match_index *ix, const char *scos, char *out,
    size_t outsz)
{
	struct cybex_pattern_obsset *s = obs1(scos);
	struct cybex_match_scratch *sc;
	struct cybex_match_hits h = { 0 };
	char id[300];
	size_t i, len = 0;

	assert_int_equal(cybex_match_scratch_new(&sc), 0);
	assert_int_equal(cybex_match_lookup(ix, s, 0, sc, &h, NULL), 0);
	out[0] = '\0';
	for (i = 0; i < h.n; i++) {
		cybex_match_index_indicator_id(ix, h.v[i], id, sizeof(id));
		len += (size_t)snprintf(out + len, outsz - len, "%s%lu",
		    i > 0 ? "," : "", strtoul(id + 11 + 24, NULL, 16));
	}
	cybex_match_hits_free(&h);
	cybex_match_scratch_free(sc);
	cybex_pattern_obsset_free(s);
}

#define HITS(ix, scos, expect) do {					\
	char got_[256];							\
	hits_of((ix), (scos), got_, sizeof(got_));			\
	if (strcmp(got_, (expect)) != 0)				\
		fail_msg("%s: got '%s', expected '%s'", (scos), got_,	\
		    (expect));						\
} while (0)

static void
test_active(void **state)
{
	struct cybex_match_builder *b = builder();
	struct cybex_match_index *ix;
	struct cybex_match_stats st;
	struct cybex_diag d;
	json_t *o;

	(void)state;
	add(b, 1, "[ipv4-addr:value = '10.0.0.1']");
	o = indicator(2, "[ipv4-addr:value = '10.0.0.1']");
	json_object_set_new(o, "revoked", json_true());
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_decref(o);
	o = indicator(3, "[ipv4-addr:value = '10.0.0.1']");
	json_object_set_new(o, "valid_until", json_string(NOW));
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_object_set_new(o, "valid_until",
	    json_string("2024-01-01T00:00:00.001Z"));
	json_object_set_new(o, "id", json_string("indicator--"
	    "00000000-0000-4000-8000-000000000004"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_decref(o);
	o = indicator(5, "[ipv4-addr:value = '10.0.0.1']");
	json_object_set_new(o, "valid_from", json_string("2024-01-01T00:00:01Z"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_object_set_new(o, "valid_from", json_string(NOW));
	json_object_set_new(o, "pattern_type", json_string("sigma"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_object_set_new(o, "pattern_type", json_string("stix"));
	json_object_set_new(o, "pattern", json_string("[ipv4-addr:value = ]"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), CYBEX_EFORMAT);
	assert_string_equal(d.pointer,
	    "indicator--00000000-0000-4000-8000-000000000005");
	json_object_set_new(o, "pattern", json_string("[a:b = 1]"));
	json_object_set_new(o, "id", json_string("indicator--nope"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), CYBEX_EFORMAT);
	json_object_set_new(o, "id", json_string("malware--"
	    "00000000-0000-4000-8000-000000000009"));
	json_object_set_new(o, "type", json_string("malware"));
	assert_int_equal(cybex_match_builder_add(b, o, &d), 0);
	json_decref(o);
	assert_int_equal(cybex_match_builder_build(b, &ix, &d), 0);
	cybex_match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 2);	/* 1 and 4 */
	assert_int_equal(st.skipped, 5);
	assert_int_equal(st.invalid, 2);
	HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}]", "1,4");
	cybex_match_index_unref(ix);
	/* the builder is empty again and reusable */
	assert_int_equal(cybex_match_builder_build(b, &ix, &d), 0);
	cybex_match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 0);
	HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}]", "");
	cybex_match_index_unref(ix);
	cybex_match_builder_free(b);
}

static void
test_versions(void **state)
{
	struct cybex_match_builder *b = builder();
	struct cybex_match_index *ix;
	struct cybex_match_stats st;
	json_t *o;

	(void)state;
	o = indicator(1, "[ipv4-addr:value = '10.0.0.1']");
	assert_int_equal(cybex_match_builder_add(b, o, NULL), 0);
	json_object_set_new(o, "pattern",
	    json_string("[ipv4-addr:value = '10.0.0.2']"));
	json_object_set_new(o, "modified", json_string("2021-01-01T00:00:00Z"));
	assert_int_equal(cybex_match_builder_add(b, o, NULL), 0);
	/* an older version after the newer one is ignored */
	json_object_set_new(o, "pattern",
	    json_string("[ipv4-addr:value = '10.0.0.3']"));
	json_object_set_new(o, "modified", json_string("2020-06-01T00:00:00Z"));
	assert_int_equal(cybex_match_builder_add(b, o, NULL), 0);
	json_decref(o);
	/* an id written in upper case comes back as written */
	o = indicator(7, "[ipv4-addr:value = '10.0.0.2']");
	json_object_set_new(o, "id", json_string("indicator--"
	    "5B0BE1CF-66E7-45CB-AD43-45EF9E519030"));
	assert_int_equal(cybex_match_builder_add(b, o, NULL), 0);
	json_decref(o);
	assert_int_equal(cybex_match_builder_build(b, &ix, NULL), 0);
	cybex_match_index_stats(ix, &st);
	assert_int_equal(st.indicators, 2);
	assert_int_equal(st.replaced, 2);
	HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}]", "");
	HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.3\"}]", "");
	{
		char got[256], id[300];

		hits_of(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.2\"}]",
		    got, sizeof(got));
		assert_int_equal(strncmp(got, "1,", 2), 0);	/* and 7's */
		cybex_match_index_indicator_id(ix, 1, id, sizeof(id));
		assert_string_equal(id, "indicator--"
		    "5B0BE1CF-66E7-45CB-AD43-45EF9E519030");
		cybex_match_index_indicator_id(ix, 9, id, sizeof(id));
		assert_string_equal(id, "");
	}
	cybex_match_index_unref(ix);
	cybex_match_builder_free(b);
}

static struct cybex_match_index *
sample(bool use_hs)
{
	struct cybex_match_opts o = { .no_hyperscan = !use_hs };
	struct cybex_time now = ts(NOW);
	struct cybex_match_builder *b;
	struct cybex_match_index *ix;

	assert_int_equal(cybex_match_builder_new(&o, &now, &b), 0);
	add(b, 1, "[ipv4-addr:value = '198.51.100.7']");
	add(b, 2, "[ipv4-addr:value ISSUBSET '10.0.0.0/8' OR "
	    "ipv6-addr:value ISSUBSET '2001:db8::/32']");
	add(b, 3, "[domain-name:value = 'evil.com' OR domain-name:value LIKE "
	    "'%.evil.com']");
	add(b, 4, "[url:value = 'http://Example.com:80/a/./b']");
	add(b, 5, "[file:hashes.'SHA-256' = "
	    "'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F']");
	add(b, 6, "[network-traffic:dst_port IN (443, 8443)]");
	add(b, 7, "[autonomous-system:number = 64496]");
	add(b, 8, "[x-tls:ja3 = 'e7d705a3286e19ea42f587b344ee6865']");
	add(b, 9, "[url:value MATCHES '/wp-admin/' OR url:value LIKE "
	    "'%/phpmyadmin%']");
	add(b, 10, "[file:name = 'a.exe'] AND [file:size = 1]");
	add(b, 11, "[ipv4-addr:value = '198.51.100.7' AND "
	    "ipv4-addr:value != '1.1.1.1']");
	add(b, 12, "[network-traffic:dst_ref.value = '198.51.100.7']");
	add(b, 13, "[email-addr:value = 'Jane@EXAMPLE.org']");
	assert_int_equal(cybex_match_builder_build(b, &ix, NULL), 0);
	cybex_match_builder_free(b);
	return ix;
}

static void
test_tables(void **state)
{
	struct cybex_match_index *ix;
	struct cybex_match_stats st;
	int hs;

	(void)state;
	for (hs = 0; hs < 2; hs++) {
		ix = sample(hs == 1);
		cybex_match_index_stats(ix, &st);
		assert_int_equal(st.indicators, 13);
		assert_int_equal(st.exact_indicators, 10);
		assert_int_equal(st.regex_indicators, 1);
		assert_int_equal(st.general_indicators, 2);
		assert_int_equal(st.cidr_values, 2);
		assert_int_equal(st.suffix_values, 1);
		assert_true(st.memory > st.exact_memory);
		HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"}]",
		    "1,11");
		HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.1.2.3\"}]",
		    "2");
		HITS(ix, "[{\"type\":\"ipv6-addr\",\"value\":\"2001:DB8::5\"}]",
		    "2");
		HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"11.0.0.1\"}]",
		    "");
		HITS(ix, "[{\"type\":\"domain-name\",\"value\":\"Evil.COM.\"}]",
		    "3");
		HITS(ix, "[{\"type\":\"domain-name\",\"value\":\"a.b.evil.com\"}]",
		    "3");
		HITS(ix, "[{\"type\":\"domain-name\",\"value\":\"notevil.com\"}]",
		    "");
		HITS(ix, "[{\"type\":\"url\",\"value\":\"http://example.com/a/b\"}]",
		    "4");
		HITS(ix, "[{\"type\":\"url\",\"value\":"
		    "\"https://x.org/wp-admin/x\"}]", "9");
		HITS(ix, "[{\"type\":\"url\",\"value\":"
		    "\"https://x.org/PHPMYADMIN\"}]", "");
		HITS(ix, "[{\"type\":\"url\",\"value\":"
		    "\"https://x.org/phpmyadmin/\"}]", "9");
		HITS(ix, "[{\"type\":\"file\",\"hashes\":{\"SHA-256\":"
		    "\"aec070645fe53ee3b3763059376134f058cc337247c978add178b6"
		    "ccdfb0019f\"},\"name\":\"a.exe\",\"size\":1}]", "5");
		HITS(ix, "[{\"type\":\"network-traffic\",\"id\":\"n--1\","
		    "\"dst_port\":8443,\"dst_ref\":\"i--1\"},{\"type\":"
		    "\"ipv4-addr\",\"id\":\"i--1\",\"value\":\"198.51.100.7\"}]",
		    "1,6,11,12");
		HITS(ix, "[{\"type\":\"autonomous-system\",\"number\":64496}]",
		    "7");
		HITS(ix, "[{\"type\":\"x-tls\",\"ja3\":"
		    "\"e7d705a3286e19ea42f587b344ee6865\"}]", "8");
		HITS(ix, "[{\"type\":\"email-addr\",\"value\":"
		    "\"Jane@example.ORG\"}]", "13");
		HITS(ix, "[{\"type\":\"email-addr\",\"value\":"
		    "\"jane@example.org\"}]", "");
		cybex_match_index_unref(ix);
	}
}

static void
test_value_path(void **state)
{
	struct cybex_match_index *ix = sample(true);
	struct cybex_match_scratch *sc;
	struct cybex_match_hits h = { 0 };
	int f;

	(void)state;
	assert_int_equal(cybex_match_scratch_new(&sc), 0);
	f = cybex_match_field(ix, "ipv4-addr:value");
	assert_true(f >= 0);
	assert_int_equal(cybex_match_lookup_value(ix, f, "198.51.100.7", 12,
	    sc, &h), 0);
	assert_int_equal(h.n, 1);	/* 11 is compound: not on this path */
	assert_int_equal(cybex_match_lookup_value(ix, f, "10.9.9.9", 8, sc,
	    &h), 0);
	assert_int_equal(h.n, 1);
	f = cybex_match_field(ix, "domain-name:value");
	assert_int_equal(cybex_match_lookup_value(ix, f, "X.EVIL.COM", 10, sc,
	    &h), 0);
	assert_int_equal(h.n, 1);
	f = cybex_match_field(ix, "file:hashes.'SHA-256'");
	assert_true(f >= 0);
	assert_int_equal(cybex_match_lookup_value(ix, f, "AEC070645FE53EE3B37"
	    "63059376134F058CC337247C978ADD178B6CCDFB0019F", 64, sc, &h), 0);
	assert_int_equal(h.n, 1);
	f = cybex_match_field(ix, "network-traffic:dst_port");
	assert_int_equal(cybex_match_lookup_int(ix, f, 443, sc, &h), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(cybex_match_lookup_int(ix, f, 444, sc, &h), 0);
	assert_int_equal(h.n, 0);
	assert_int_equal(cybex_match_field(ix, "file:name:x"), -1);
	f = cybex_match_field(ix, "network-traffic:dst_ref.value");
	assert_true(f >= 0);
	assert_int_equal(cybex_match_lookup_value(ix, f, "198.51.100.7", 12,
	    sc, &h), CYBEX_EINVAL);
	assert_int_equal(cybex_match_lookup_value(ix, 999, "x", 1, sc, &h),
	    CYBEX_EINVAL);
	cybex_match_hits_free(&h);
	cybex_match_scratch_free(sc);
	cybex_match_index_unref(ix);
}

static void
test_memory_bound(void **state)
{
	struct cybex_match_builder *b = builder();
	struct cybex_match_index *ix;
	struct cybex_match_stats st;
	char p[128];
	unsigned i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		switch (i % 4) {
		case 0:
			snprintf(p, sizeof(p), "[ipv4-addr:value = '10.%u.%u.%u']",
			    i >> 16 & 255, i >> 8 & 255, i & 255);
			break;
		case 1:
			snprintf(p, sizeof(p), "[domain-name:value = "
			    "'host%u.example.com']", i);
			break;
		case 2:
			snprintf(p, sizeof(p), "[file:hashes.'SHA-256' = "
			    "'%064x']", i);
			break;
		default:
			snprintf(p, sizeof(p), "[url:value = "
			    "'http://example.com/p/%u']", i);
			break;
		}
		add(b, i, p);
	}
	assert_int_equal(cybex_match_builder_build(b, &ix, NULL), 0);
	cybex_match_index_stats(ix, &st);
	assert_int_equal(st.exact_indicators, 20000);
	print_message("# %zu bytes per exact indicator (%zu total)\n",
	    st.exact_memory / st.exact_indicators, st.memory);
	assert_true(st.exact_memory / st.exact_indicators <= 200);
	cybex_match_index_unref(ix);
	cybex_match_builder_free(b);
}

/* ---- swapping under readers ---- */

struct reader {
	struct cybex_match_handle	*h;
	atomic_int			*stop;
	unsigned long			 lookups;
	int				 bad;
};

static void *
read_loop(void *arg)
{
	struct reader *r = arg;
	struct cybex_match_scratch *sc;
	struct cybex_match_hits h = { 0 };
	struct cybex_match_index *ix;
	int f;

	if (cybex_match_scratch_new(&sc) != 0) {
		r->bad = 1;
		return NULL;
	}
	while (!atomic_load(r->stop)) {
		if ((ix = cybex_match_handle_acquire(r->h)) == NULL)
			continue;
		f = cybex_match_field(ix, "ipv4-addr:value");
		if (f < 0 || cybex_match_lookup_value(ix, f, "10.0.0.1", 8,
		    sc, &h) != 0 || h.n != 1)
			r->bad = 1;
		r->lookups++;
		cybex_match_index_unref(ix);
	}
	cybex_match_hits_free(&h);
	cybex_match_scratch_free(sc);
	return NULL;
}

static void
test_swap(void **state)
{
	struct cybex_match_handle *h;
	struct cybex_match_builder *b;
	struct cybex_match_index *ix;
	struct reader rd[4];
	pthread_t th[4];
	atomic_int stop;
	unsigned i, k;

	(void)state;
	assert_int_equal(cybex_match_handle_new(&h), 0);
	assert_null(cybex_match_handle_acquire(h));
	atomic_init(&stop, 0);
	for (k = 0; k < 4; k++) {
		rd[k].h = h;
		rd[k].stop = &stop;
		rd[k].lookups = 0;
		rd[k].bad = 0;
		assert_int_equal(pthread_create(&th[k], NULL, read_loop,
		    &rd[k]), 0);
	}
	for (i = 0; i < 200; i++) {
		b = builder();
		add(b, i, "[ipv4-addr:value = '10.0.0.1' OR url:value MATCHES "
		    "'x[0-9]+']");
		assert_int_equal(cybex_match_builder_build(b, &ix, NULL), 0);
		cybex_match_builder_free(b);
		cybex_match_handle_swap(h, ix);
	}
	atomic_store(&stop, 1);
	for (k = 0; k < 4; k++) {
		assert_int_equal(pthread_join(th[k], NULL), 0);
		assert_int_equal(rd[k].bad, 0);
		assert_true(rd[k].lookups > 0);
	}
	/* a reference outlives a swap */
	ix = cybex_match_handle_acquire(h);
	assert_non_null(ix);
	cybex_match_handle_swap(h, NULL);
	assert_null(cybex_match_handle_acquire(h));
	HITS(ix, "[{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.1\"}]", "199");
	cybex_match_index_unref(ix);
	cybex_match_handle_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_value_path),
		cmocka_unit_test(test_memory_bound),
		cmocka_unit_test(test_swap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
