/*
 * Long streams: normal traffic of the same volume as the attack tests,
 * and ten times more, raises no alert (the false-positive rate is printed
 * as alerts per million observations); memory stays flat over a 10x
 * longer stream, measured by an allocator that counts every byte the
 * library and jansson hold (installed before anything is allocated), and
 * the detectors still find an attack when their tables are full and
 * evicting.
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

#define T0	1709251200000000LL
#define N	400000ULL		/* the attack tests' volume */

static size_t live, peak;

struct hdr {
	size_t		 n;
	max_align_t	 pad;
};

static void *
c_malloc(size_t n)
{
	struct hdr *h = malloc(sizeof(*h) + n);

	if (h == NULL)
		return NULL;
	h->n = n;
	live += n;
	if (live > peak)
		peak = live;
	return h + 1;
}

static void
c_free(void *p)
{
	struct hdr *h;

	if (p == NULL)
		return;
	h = (struct hdr *)p - 1;
	live -= h->n;
	free(h);
}

static void *
c_realloc(void *p, size_t n)
{
	struct hdr *h, *nh;
	size_t old;

	if (p == NULL)
		return c_malloc(n);
	h = (struct hdr *)p - 1;
	old = h->n;
	if ((nh = realloc(h, sizeof(*nh) + n)) == NULL)
		return NULL;
	nh->n = n;
	live = live - old + n;
	if (live > peak)
		peak = live;
	return nh + 1;
}

/* Normal traffic only: n observations, alerts counted. */
static uint64_t
normal(struct cybex_detect *dt, struct gen *g, uint64_t n, struct rec *r)
{
	uint64_t before = r->total;

	dt_feed(dt, g, n, NULL, 0, r);
	return r->total - before;
}

static void
test_false_positives(void **state)
{
	struct cybex_detect *dt = dt_make(NULL);
	struct cybex_detect_stats st;
	struct gen g;
	struct rec r;
	uint64_t a1, a10;

	(void)state;
	rec_init(&r);
	gen_init(&g, 100, T0, NULL);
	a1 = normal(dt, &g, N, &r);
	a10 = normal(dt, &g, 9 * N, &r);
	if (r.total != 0)
		rec_dump(&r);
	cybex_detect_stats(dt, &st);
	printf("# normal traffic: %llu observations (%.0f s), %llu alerts in "
	    "the first %llu, %llu in all: %.2f false positives per million "
	    "observations\n", (unsigned long long)st.observations,
	    (double)(g.now - T0) / 1e6, (unsigned long long)a1,
	    (unsigned long long)N, (unsigned long long)(a1 + a10),
	    (double)(a1 + a10) * 1e6 / (double)st.observations);
	assert_int_equal(st.observations, 10 * N);
	assert_int_equal(a1 + a10, 0);
	rec_free(&r);
	cybex_detect_free(dt);
}

static void
test_memory_flat(void **state)
{
	struct cybex_detect *dt;
	struct cybex_detect_stats s1, s10;
	struct gen_atk atk[4];
	struct gen g;
	struct rec r;
	size_t l0, l1, l10, p1, p10;

	(void)state;
	rec_init(&r);
	l0 = live;
	dt = dt_make(NULL);
	gen_init(&g, 200, T0, NULL);
	gen_attack(&g, &atk[0], ATK_SCAN, 10);
	gen_attack(&g, &atk[1], ATK_BRUTE, 20);
	gen_attack(&g, &atk[2], ATK_PHISH, 30);
	gen_attack(&g, &atk[3], ATK_SPAM, 40);
	dt_feed(dt, &g, N, atk, 4, &r);
	cybex_detect_stats(dt, &s1);
	l1 = live;
	p1 = peak;
	gen_attack(&g, &atk[0], ATK_SCAN, 10);
	gen_attack(&g, &atk[1], ATK_DDOS, 20);
	dt_feed(dt, &g, 9 * N, atk, 2, &r);
	cybex_detect_stats(dt, &s10);
	l10 = live;
	p10 = peak;
	printf("# memory: %zu bytes held after %llu observations, %zu after "
	    "%llu (stats %zu, cap %zu); peak %zu then %zu; %llu evictions; "
	    "%llu alerts\n", l1 - l0, (unsigned long long)s1.observations,
	    l10 - l0, (unsigned long long)s10.observations, s10.memory,
	    s10.memory_cap, p1 - l0, p10 - l0,
	    (unsigned long long)s10.evictions, (unsigned long long)r.total);
	/* The alerts kept by the recorder hold evidence: count them out. */
	assert_true(r.total >= 6);
	assert_int_equal(s1.memory, s10.memory);
	assert_true(s10.memory <= s10.memory_cap);
	assert_true(s10.evictions > 0);		/* the stream overflowed */
	/* What the library holds beyond the evidence the test kept. */
	rec_free(&r);
	l10 = live;
	rec_init(&r);
	cybex_detect_free(dt);
	assert_int_equal(live, l0);		/* all given back */
	/* Held memory: the tables, within a page of the stats. */
	assert_true(l10 - l0 <= s10.memory + 4096);
	assert_true(l10 - l0 + 4096 >= s10.memory);
	/* Transient memory (evidence being built) stays small. */
	assert_true(p10 - p1 < 256 * 1024);
	(void)l1;
	rec_free(&r);
}

/* Tiny tables under a stream of 10^6: evictions, and attacks still found. */
static void
test_small_tables(void **state)
{
	struct cybex_detect *dt = dt_make("scan_sources = 64\n"
	    "bf_sources = 64\nbf_accounts = 64\nbeacon_pairs = 64\n"
	    "ddos_destinations = 64\nphishing_names = 64\nspam_senders = 64\n"
	    "spam_listed = 64\ncoop_keys = 64\ncoop_orgs = 16\n"
	    "alert_keys = 64\ndefacement_pages = 64\n");
	struct cybex_detect_stats st;
	struct gen_atk atk[3];
	struct gen g;
	struct rec r;
	size_t before;

	(void)state;
	rec_init(&r);
	gen_init(&g, 300, T0, NULL);
	before = live;
	gen_attack(&g, &atk[0], ATK_SCAN, 100);
	gen_attack(&g, &atk[1], ATK_BRUTE, 100);
	gen_attack(&g, &atk[2], ATK_PHISH, 100);
	dt_feed(dt, &g, 1000000, atk, 3, &r);
	cybex_detect_stats(dt, &st);
	printf("# small tables: %zu bytes, %llu evictions, %llu alerts\n",
	    st.memory, (unsigned long long)st.evictions,
	    (unsigned long long)r.total);
	assert_true(st.memory < 256 * 1024);
	assert_true(st.evictions > 100000);
	assert_non_null(rec_find(&r, "scan", "scanner"));
	assert_non_null(rec_find(&r, "bruteforce", "brute-force"));
	assert_non_null(rec_find(&r, "phishing", "phishing"));
	rec_free(&r);
	assert_int_equal(live, before);
	cybex_detect_free(dt);
}

int
main(void)
{
	const struct cybex_allocator a = { c_malloc, c_realloc, c_free };
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_false_positives),
		cmocka_unit_test(test_memory_flat),
		cmocka_unit_test(test_small_tables),
	};

	/* Before any cybex or jansson allocation. */
	cybex_set_allocator(&a);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
