/*
 * The detectors' building blocks: the bounded table (caps, eviction of
 * the least recently touched), HyperLogLog accuracy, the sliding window,
 * the median, skeletons and edit distances.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../../lib/detect/detect_int.h"

static struct dt_hasher hk = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    14, 15, 16 } };

static struct dt_key
key(uint64_t i)
{
	struct dt_key k;

	dt_hash(&hk, &i, sizeof(i), &k);
	return k;
}

static void
test_table(void **state)
{
	struct dt_table t;
	struct dt_key k;
	uint64_t *v, i, found = 0;
	size_t it = 0, n = 0;
	bool created;

	(void)state;
	assert_int_equal(dt_table_init(&t, 1000, sizeof(uint64_t)), 0);
	assert_int_equal(dt_table_cap(&t), 1000);
	assert_int_equal(dt_table_bytes(1000, 8), 1000 * 32);
	/* 10x the cap: the table holds at most cap, the rest evicted. */
	for (i = 0; i < 10000; i++) {
		k = key(i);
		v = dt_table_get(&t, &k, (int64_t)i, &created);
		assert_non_null(v);
		assert_true(created);
		*v = i;
	}
	assert_int_equal(t.used, 1000);
	assert_int_equal(t.evictions, 9000);
	while ((v = dt_table_next(&t, &it)) != NULL)
		n++;
	assert_int_equal(n, 1000);
	/* What is left is recent: nothing from the first 5000 survived. */
	for (i = 0; i < 10000; i++) {
		k = key(i);
		if ((v = dt_table_find(&t, &k, -1)) != NULL) {
			assert_int_equal(*v, i);
			found++;
			assert_true(i >= 5000);
		}
	}
	assert_int_equal(found, 1000);
	/* A touched entry outlives untouched ones of its bucket. */
	k = key(9999);
	for (i = 10000; i < 20000; i++) {
		struct dt_key kk = key(i);

		(void)dt_table_find(&t, &k, (int64_t)i);
		(void)dt_table_get(&t, &kk, (int64_t)i, &created);
	}
	assert_non_null(dt_table_find(&t, &k, -1));
	/* Remove, and the slot is found free again. */
	v = dt_table_find(&t, &k, -1);
	dt_table_remove(&t, v);
	assert_null(dt_table_find(&t, &k, -1));
	assert_int_equal(t.used, 999);
	dt_table_fini(&t);
}

static void
test_hll(void **state)
{
	static const uint64_t ns[] = { 1, 10, 100, 1000, 10000, 200000 };
	uint8_t reg[256];
	struct dt_key k;
	double e, err;
	size_t j;
	uint64_t i;

	(void)state;
	for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
		memset(reg, 0, sizeof(reg));
		for (i = 0; i < ns[j]; i++) {
			k = key(i + j * 1000000);
			dt_hll_add(reg, 8, k.a);
			dt_hll_add(reg, 8, k.a);	/* repeats count once */
		}
		e = dt_hll_count(reg, 8);
		err = (e - (double)ns[j]) / (double)ns[j];
		printf("# hll p=8: %llu distinct -> %.1f (%+.1f%%)\n",
		    (unsigned long long)ns[j], e, err * 100);
		/* 1.04/sqrt(256) = 6.5% standard error; 3 sigma. */
		assert_true(err > -0.2 && err < 0.2);
	}
	memset(reg, 0, sizeof(reg));
	assert_true(dt_hll_count(reg, 8) == 0);
}

static void
test_window(void **state)
{
	struct dt_window w;
	int64_t len = 100;

	(void)state;
	memset(&w, 0, sizeof(w));
	dt_window_add(&w, 1000, len, 10);
	assert_true(dt_window_count(&w, 1000, len) == 10);
	dt_window_add(&w, 1050, len, 10);
	assert_true(dt_window_count(&w, 1099, len) == 20);
	/* Half into the next window: half of the previous still counts. */
	dt_window_add(&w, 1150, len, 4);
	assert_true(dt_window_count(&w, 1150, len) == 4 + 10);
	/* Two windows later: nothing. */
	assert_true(dt_window_count(&w, 1400, len) == 0);
	dt_window_add(&w, 5000, len, 1);
	assert_true(dt_window_count(&w, 5000, len) == 1);
}

static void
test_median(void **state)
{
	double a[] = { 5, 1, 4, 2, 3 }, b[] = { 4, 1, 3, 2 };

	(void)state;
	assert_true(dt_median(a, 5) == 3);
	assert_true(dt_median(b, 4) == 2.5);
	assert_true(dt_median(a, 0) == 0);
}

static void
skel(const char *in, const char *want)
{
	char out[DT_LABEL_MAX];

	(void)dt_skeleton(in, strlen(in), out, sizeof(out));
	if (strcmp(out, want) != 0)
		fail_msg("skeleton(%s) = %s, want %s", in, out, want);
}

static void
test_skeleton(void **state)
{
	(void)state;
	skel("paypal", "paypal");
	skel("PayPa1", "paypal");
	skel("p\xd0\xb0yp\xd0\xb0l", "paypal");		/* Cyrillic a */
	skel("\xce\xbf\xcf\x81\xce\xb5n", "open");		/* Greek */
	skel("g00gle", "google");
	skel("rnicrosoft", "microsoft");
	skel("vvells", "wells");
	skel("north-bank", "northbank");
	skel("b\xc3\xbc" "cher", "bucher");
	skel("\xef\xbd\x90\xef\xbd\x81y", "pay");		/* full width */
	skel("\xe4\xb8\xad", "?");			/* unmapped */
	skel("\xff\xfe", "??");				/* not UTF-8 */
}

static void
dist(const char *a, const char *b, unsigned want)
{
	unsigned d = dt_edit_distance(a, strlen(a), b, strlen(b));

	if (d != want)
		fail_msg("distance(%s, %s) = %u, want %u", a, b, d, want);
}

static void
test_distance(void **state)
{
	(void)state;
	dist("northbank", "northbank", 0);
	dist("nortbank", "northbank", 1);
	dist("nrothbank", "northbank", 1);	/* transposition */
	dist("nothrbank", "northbank", 2);
	dist("northbnak", "northbank", 1);
	dist("norhtbakn", "northbank", 2);
	dist("", "abc", 3);
	dist("kitten", "sitting", 3);
}

static void
test_cidr(void **state)
{
	struct dt_cidr c;
	struct cybex_ip ip;
	char t[64];

	(void)state;
	assert_int_equal(dt_cidr_parse("10.0.0.0/8", &c), 0);
	assert_int_equal(cybex_ip_parse("10.255.1.2", 10, &ip), 0);
	assert_true(dt_cidr_match(&c, &ip));
	assert_int_equal(cybex_ip_parse("11.0.0.1", 8, &ip), 0);
	assert_false(dt_cidr_match(&c, &ip));
	assert_int_equal(dt_cidr_parse("2001:db8::/33", &c), 0);
	assert_int_equal(cybex_ip_parse("2001:db8:7fff::1", 16, &ip), 0);
	assert_true(dt_cidr_match(&c, &ip));
	assert_int_equal(cybex_ip_parse("2001:db8:8000::1", 16, &ip), 0);
	assert_false(dt_cidr_match(&c, &ip));
	cybex_ip_format(&ip, t, sizeof(t));
	assert_string_equal(t, "2001:db8:8000::1");
	assert_int_equal(dt_cidr_parse("10.0.0.0/", &c), CYBEX_EFORMAT);
	assert_int_equal(dt_cidr_parse("10.0.0.0/-1", &c), CYBEX_EFORMAT);
	assert_int_equal(dt_cidr_parse("::/129", &c), CYBEX_EFORMAT);
	assert_int_equal(dt_cidr_parse("", &c), CYBEX_EFORMAT);
	/* The prefix rule of cybex_ip_cidr_parse: no leading zeros. */
	assert_int_equal(dt_cidr_parse("10.0.0.0/08", &c), CYBEX_EFORMAT);
	assert_int_equal(dt_cidr_parse("10.0.0.0/0", &c), 0);
	assert_int_equal(c.bits, 0);
}

/* The taxonomy and keys both cooperative views use. */
static void
test_coop_shared(void **state)
{
	static const char *const c2[] = { "malicious-activity", "Botnet",
	    NULL };
	static const char *const mixed[] = { "phishing", "c2", NULL };
	static const char *const mixed2[] = { "scanning", "spam", NULL };
	static const char *const none[] = { "compromised", NULL };
	const char *cls, *type;
	char k[CYBEX_DETECT_COOP_KEY_MAX + 1], small[16];
	char big[CYBEX_DETECT_COOP_KEY_MAX + 1];

	(void)state;
	cybex_detect_coop_taxonomy(cybex_detect_coop_class(c2), &cls, &type);
	assert_string_equal(cls, "malicious-code");
	assert_string_equal(type, "c2-server");
	/* The class does not depend on the order of the types. */
	assert_int_equal(cybex_detect_coop_class(mixed),
	    cybex_detect_coop_class(c2));
	cybex_detect_coop_taxonomy(cybex_detect_coop_class(mixed2), &cls,
	    &type);
	assert_string_equal(cls, "abusive-content");
	assert_string_equal(type, "spam");
	cybex_detect_coop_taxonomy(cybex_detect_coop_class(none), &cls, &type);
	assert_string_equal(cls, "other");
	assert_string_equal(type, "other");
	assert_int_equal(cybex_detect_coop_class(NULL), 0);
	cybex_detect_coop_taxonomy(99, &cls, &type);
	assert_string_equal(cls, "other");

	assert_int_equal(cybex_detect_coop_subject(k, sizeof(k), "ipv4-addr",
	    "198.51.100.7"), 0);
	assert_string_equal(k, "ipv4-addr|198.51.100.7");
	assert_int_equal(cybex_detect_coop_key(k, sizeof(k), "indicator|x"), 0);
	assert_string_equal(k, "coop|indicator|x");
	assert_int_equal(cybex_detect_coop_subject(small, sizeof(small),
	    "indicator", "indicator--0123"), CYBEX_ETOOBIG);
	assert_string_equal(small, "");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 6] = '\0';		/* 507 bytes: a 512-byte key */
	assert_int_equal(cybex_detect_coop_key(k, sizeof(k), big), 0);
	big[sizeof(big) - 6] = 'a';
	big[sizeof(big) - 5] = '\0';
	assert_int_equal(cybex_detect_coop_key(k, sizeof(k), big),
	    CYBEX_ETOOBIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_hll),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_coop_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
