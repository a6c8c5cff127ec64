/*
 * The index gives the evaluator's answers: random patterns (single
 * comparisons of every indexed kind, ORs of them, and compound patterns
 * with AND, FOLLOWEDBY, NOT, ordering and qualifiers) over a small
 * vocabulary of fields and values chosen to hit canonical forms (case,
 * IPv6 spellings, URLs with dot segments and default ports, hashes in
 * upper case, values ending in a newline), random observations of one to
 * four SCOs, and for every observation: the indicators the index returns
 * must be exactly those whose pattern cybex_pattern_match_one accepts.
 * Run with and without Hyperscan.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/match.h"
#include "cybex/pattern.h"
#include "testutil.h"

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

static unsigned
rn(unsigned n)
{
	return (unsigned)((rnd() >> 11) % n);
}

#define PICK(a)	((a)[rn(sizeof(a) / sizeof((a)[0]))])

/* Literals as they appear in patterns, by what they compare with. */
static const char *const ip4_lits[] = { "'10.0.0.1'", "'10.0.0.2'",
    "'10.0.1.5/32'", "'192.168.1.1'", "'10.0.0.0/24'" };
static const char *const cidr4_lits[] = { "'10.0.0.0/24'", "'10.0.0.0/8'",
    "'10.0.0.1'", "'192.168.0.0/16'", "'0.0.0.0/0'", "'10.0.1.4/31'" };
static const char *const ip6_lits[] = { "'2001:db8::1'", "'2001:DB8:0::2'",
    "'2001:db8::/32'" };
static const char *const cidr6_lits[] = { "'2001:db8::/32'",
    "'2001:db8::1/128'", "'fe80::/10'" };
static const char *const dom_lits[] = { "'evil.com'", "'a.evil.com'",
    "'EVIL.com.'", "'good.org'", "'b.a.evil.com'" };
static const char *const dom_like[] = { "'%.evil.com'", "'%evil%'",
    "'a.%'", "'%.a.evil.com'", "'%.EVIL.com'", "'evil.com'", "'_.evil.com'" };
static const char *const url_lits[] = { "'http://example.com/b'",
    "'HTTP://Example.com:80/a/../b'", "'https://x.org/p?q=%7e'",
    "'https://x.org/p?q=~'" };
static const char *const md5_lits[] = {
    "'cead3f77f6cda6ec00f57d76c9a6879f'",
    "'CEAD3F77F6CDA6EC00F57D76C9A6879F'",
    "'79054025255fb1a26e4bc422aef54eb4'" };
static const char *const name_lits[] = { "'a.exe'", "'b.dll'",
    "'Report.pdf'", "'line\\\\n'" };
static const char *const name_rx[] = { "'^a\\\\.'", "'exe$'", "'dll'",
    "'(?i)report'", "'^[ab]\\\\.(exe|dll)$'", "'\\\\w+\\\\.pdf'", "'.'",
    "'^$'", "'e\\\\z'" };
static const char *const name_like[] = { "'a.%'", "'%.dll'", "'_.exe'",
    "'%'", "'Report.pdf'" };
static const char *const size_lits[] = { "100", "200", "100.0", "'100'",
    "-1" };
static const char *const port_lits[] = { "443", "80", "8443" };
static const char *const ja3_lits[] = { "'e7d705a3286e19ea42f587b344ee6865'",
    "'6734f37431670b3ab4292b8f60f29984'" };
static const char *const hex_lits[] = { "h'ffd8'", "h'FFD9'", "b'/9g='",
    "'\xc3\xbf\xc3\x98'" };
static const char *const time_lits[] = { "t'2020-01-01T00:00:00Z'",
    "t'2020-01-01T00:00:00.000Z'", "t'2021-06-01T12:00:00Z'" };

/* One random comparison that the index can take (or not: kinds 12+). */
static void
comparison(struct cybex_buf *b, bool simple)
{
	switch (rn(simple ? 12 : 16)) {
	case 0:
		cybex_buf_printf(b, "ipv4-addr:value = %s", PICK(ip4_lits));
		break;
	case 1:
		cybex_buf_printf(b, "ipv4-addr:value ISSUBSET %s",
		    PICK(cidr4_lits));
		break;
	case 2:
		cybex_buf_printf(b, "ipv6-addr:value %s", rn(2) ?
		    "ISSUBSET " : "= ");
		cybex_buf_puts(b, rn(2) ? PICK(cidr6_lits) : PICK(ip6_lits));
		break;
	case 3:
		cybex_buf_printf(b, "domain-name:value IN (%s, %s)",
		    PICK(dom_lits), PICK(dom_lits));
		break;
	case 4:
		cybex_buf_printf(b, "domain-name:value LIKE %s",
		    PICK(dom_like));
		break;
	case 5:
		cybex_buf_printf(b, "url:value = %s", PICK(url_lits));
		break;
	case 6:
		cybex_buf_printf(b, "file:hashes%s = %s", rn(3) == 0 ?
		    "[*]" : rn(2) ? ".MD5" : ".'MD5'", PICK(md5_lits));
		break;
	case 7:
		if (rn(2))
			cybex_buf_printf(b, "file:name MATCHES %s",
			    PICK(name_rx));
		else
			cybex_buf_printf(b, "file:name %s %s", rn(2) ? "LIKE" :
			    "=", rn(2) ? PICK(name_like) : PICK(name_lits));
		break;
	case 8:
		cybex_buf_printf(b, "file:size = %s", PICK(size_lits));
		break;
	case 9:
		if (rn(2))
			cybex_buf_printf(b, "network-traffic:dst_port = %s",
			    PICK(port_lits));
		else
			cybex_buf_printf(b, "network-traffic:dst_ref.value = "
			    "%s", rn(2) ? PICK(ip4_lits) : PICK(dom_lits));
		break;
	case 10:
		cybex_buf_printf(b, "x-tls:ja3 = %s", PICK(ja3_lits));
		break;
	case 11:
		cybex_buf_printf(b, "file:%s = %s", rn(2) ?
		    "magic_number_hex" : "x_ctime", rn(2) ? PICK(hex_lits) :
		    PICK(time_lits));
		break;
	case 12:
		cybex_buf_printf(b, "file:size > %s", PICK(port_lits));
		break;
	case 13:
		cybex_buf_printf(b, "domain-name:value != %s", PICK(dom_lits));
		break;
	case 14:
		cybex_buf_printf(b, "ipv4-addr:value NOT ISSUBSET %s",
		    PICK(cidr4_lits));
		break;
	default:
		cybex_buf_printf(b, "%sEXISTS file:hashes.MD5", rn(2) ?
		    "NOT " : "");
		break;
	}
}

static void
observation_expr(struct cybex_buf *b, bool simple)
{
	unsigned n = 1 + rn(3), i;
	const char *op = !simple && rn(4) == 0 ? " AND " : " OR ";

	cybex_buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			cybex_buf_puts(b, op);
		comparison(b, simple);
	}
	cybex_buf_putc(b, ']');
}

/* Half the patterns are ORs of comparisons the index can take. */
static void
pattern(struct cybex_buf *b)
{
	unsigned n = 1 + rn(3), i, form = rn(8);
	bool simple = rn(2) == 0;
	const char *op = simple ? " OR " : form == 0 ? " AND " : form == 1 ?
	    " FOLLOWEDBY " : " OR ";

	if (simple)
		form = 7;

	if (form == 2)
		cybex_buf_putc(b, '(');
	for (i = 0; i < n; i++) {
		if (i > 0)
			cybex_buf_puts(b, op);
		observation_expr(b, simple);
	}
	if (form == 2)
		cybex_buf_printf(b, ") %s", rn(3) == 0 ? "REPEATS 2 TIMES" :
		    rn(2) ? "WITHIN 5 SECONDS" : "START "
		    "t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00Z'");
}

/* Values in observations. */
static const char *const ip4_vals[] = { "10.0.0.1", "10.0.0.2", "10.0.1.5",
    "192.168.1.1", "10.0.0.0/24", "8.8.8.8" };
static const char *const ip6_vals[] = { "2001:db8::1", "2001:0DB8::2",
    "fe80::1", "2001:db8:0:0::1/128" };
static const char *const dom_vals[] = { "evil.com", "a.evil.com",
    "Evil.COM", "b.a.evil.com.", "good.org", "xevil.com", ".evil.com" };
static const char *const url_vals[] = { "http://example.com/b",
    "http://EXAMPLE.com:80/b", "https://x.org/p?q=~", "https://x.org/p?q=%7E",
    "ftp://example.com/b" };
static const char *const md5_vals[] = { "cead3f77f6cda6ec00f57d76c9a6879f",
    "CEAD3F77F6CDA6EC00F57D76C9A6879F", "79054025255FB1A26E4BC422AEF54EB4",
    "zz" };
static const char *const name_vals[] = { "a.exe", "b.dll", "Report.pdf",
    "report.PDF", "a.exe\\n", "", "line\\\\n", "\\u00e9.exe" };

static void
sco(struct cybex_buf *b, unsigned k)
{
	bool v4;

	switch (rn(8)) {
	case 0:
		cybex_buf_printf(b, "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--%u\","
		    "\"value\":\"%s\"}", k, PICK(ip4_vals));
		break;
	case 1:
		cybex_buf_printf(b, "{\"type\":\"ipv6-addr\",\"id\":\"ipv6-addr--%u\","
		    "\"value\":\"%s\"}", k, PICK(ip6_vals));
		break;
	case 2:
		cybex_buf_printf(b, "{\"type\":\"domain-name\","
		    "\"id\":\"domain-name--%u\",\"value\":\"%s\"}", k,
		    PICK(dom_vals));
		break;
	case 3:
		cybex_buf_printf(b, "{\"type\":\"url\",\"id\":\"url--%u\","
		    "\"value\":\"%s\"}", k, PICK(url_vals));
		break;
	case 4:
		cybex_buf_printf(b, "{\"type\":\"file\",\"id\":\"file--%u\","
		    "\"name\":\"%s\",\"size\":%s,\"hashes\":{\"MD5\":\"%s\"},"
		    "\"magic_number_hex\":\"%s\",\"x_ctime\":\"%s\"}", k,
		    PICK(name_vals), rn(2) ? "100" : rn(2) ? "100.0" : "200",
		    PICK(md5_vals), rn(2) ? "ffd8" : "FFD9", rn(2) ?
		    "2020-01-01T00:00:00Z" : "2021-06-01T12:00:00.0Z");
		break;
	case 5:
		/* a reference to the next SCO (an address or a name) */
		v4 = rn(2);
		cybex_buf_printf(b, "{\"type\":\"network-traffic\","
		    "\"id\":\"network-traffic--%u\",\"dst_port\":%s,"
		    "\"dst_ref\":\"%s--%u\",\"protocols\":[\"tcp\"]},", k,
		    PICK(port_lits), v4 ? "ipv4-addr" : "domain-name", k + 1);
		cybex_buf_printf(b, "{\"type\":\"%s\",\"id\":\"%s--%u\","
		    "\"value\":\"%s\"}", v4 ? "ipv4-addr" : "domain-name",
		    v4 ? "ipv4-addr" : "domain-name", k + 1, v4 ?
		    PICK(ip4_vals) : PICK(dom_vals));
		break;
	case 6:
		cybex_buf_printf(b, "{\"type\":\"x-tls\",\"id\":\"x-tls--%u\","
		    "\"ja3\":\"%s\"}", k, rn(2) ?
		    "e7d705a3286e19ea42f587b344ee6865" :
		    "6734F37431670B3AB4292B8F60F29984");
		break;
	default:
		cybex_buf_printf(b, "{\"type\":\"email-addr\","
		    "\"id\":\"email-addr--%u\",\"value\":\"a@b.org\"}", k);
		break;
	}
}

#define NIND	300
#define NOBS	400

static void
round_trip(bool use_hs, unsigned *hits_total)
{
	struct cybex_match_opts mo = { .no_hyperscan = !use_hs };
	struct cybex_time now, t;
	struct cybex_match_builder *bld;
	struct cybex_match_index *ix;
	struct cybex_match_scratch *sc;
	struct cybex_match_hits hits = { 0 };
	struct cybex_match_stats st;
	struct cybex_pattern_obsset *set;
	struct cybex_pattern *pats[NIND];
	struct cybex_pattern_result res;
	struct cybex_buf b;
	struct cybex_diag d;
	json_t *ind, *arr;
	char id[80];
	unsigned i, j, k, n, nexp;
	uint32_t expect[NIND];

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_time_parse("2024-01-01T00:00:00Z", 20,
	    CYBEX_TIME_UTC_Z, &now, NULL), 0);
	assert_int_equal(cybex_match_builder_new(&mo, &now, &bld), 0);
	for (i = 0; i < NIND; i++) {
		cybex_buf_reset(&b);
		pattern(&b);
		if (cybex_pattern_new(b.data, b.len, NULL, NULL, NULL, &pats[i],
		    &d) != 0)
			fail_msg("generated pattern %s: %s", b.data, d.message);
		snprintf(id, sizeof(id), "indicator--00000000-0000-4000-8000-"
		    "%012x", i);
		ind = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type",
		    "indicator", "id", id, "pattern", b.data, "pattern_type",
		    "stix", "valid_from", "2020-01-01T00:00:00Z");
		assert_non_null(ind);
		if (cybex_match_builder_add(bld, ind, &d) != 0)
			fail_msg("add %s: %s", b.data, d.message);
		json_decref(ind);
	}
	assert_int_equal(cybex_match_builder_build(bld, &ix, &d), 0);
	cybex_match_index_stats(ix, &st);
	print_message("# exact %zu regex %zu general %zu values %zu cidr %zu "
	    "suffix %zu\n", st.exact_indicators, st.regex_indicators,
	    st.general_indicators, st.exact_values, st.cidr_values,
	    st.suffix_values);
	/* every path of the index is exercised */
	assert_int_equal(st.indicators, NIND);
	assert_true(st.exact_indicators > 0 && st.regex_indicators > 0 &&
	    st.general_indicators > 0 && st.cidr_values > 0 &&
	    st.suffix_values > 0 && st.exact_values > 0);
	assert_int_equal(st.exact_indicators + st.regex_indicators +
	    st.general_indicators, NIND);
	assert_int_equal(cybex_match_scratch_new(&sc), 0);
	assert_int_equal(cybex_pattern_obsset_new(0, &set), 0);
	t = now;
	for (k = 0; k < NOBS; k++) {
		cybex_buf_reset(&b);
		cybex_buf_putc(&b, '[');
		n = 1 + rn(4);
		for (j = 0; j < n; j++) {
			if (j > 0)
				cybex_buf_putc(&b, ',');
			sco(&b, j * 2);
		}
		cybex_buf_putc(&b, ']');
		arr = json_loads(b.data, 0, NULL);
		if (arr == NULL)
			fail_msg("generated observation %s", b.data);
		{
			json_t *v[16];

			n = (unsigned)json_array_size(arr);
			for (j = 0; j < n; j++)
				v[j] = json_array_get(arr, j);
			assert_int_equal(cybex_pattern_obsset_add_scos(set, v,
			    n, &t, &t, 1 + rn(2), NULL), 0);
		}
		json_decref(arr);
		/* the index ... */
		assert_int_equal(cybex_match_lookup(ix, set, k, sc, &hits, &d),
		    0);
		/* ... against the evaluator */
		nexp = 0;
		for (i = 0; i < NIND; i++) {
			int r = cybex_pattern_match_one(pats[i], set, k, NULL,
			    &res, NULL);

			assert_true(r == 0 || r == CYBEX_ETOOBIG);
			if (r == 0 && res.matched)
				expect[nexp++] = i;
			cybex_pattern_result_clear(&res);
		}
		if (hits.n != nexp || (nexp > 0 && memcmp(hits.v, expect,
		    nexp * sizeof(expect[0])) != 0)) {
			struct cybex_buf w;
			size_t x, y;

			cybex_buf_init(&w, 0);
			for (x = 0, y = 0; x < hits.n || y < nexp;) {
				uint32_t m = x < hits.n && (y >= nexp ||
				    hits.v[x] <= expect[y]) ? hits.v[x] :
				    expect[y];
				bool in_h = x < hits.n && hits.v[x] == m;
				bool in_e = y < nexp && expect[y] == m;

				if (in_h != in_e) {
					cybex_buf_reset(&w);
					cybex_pattern_write(pats[m], &w);
					print_error("%s: %s\n", in_h ?
					    "index only" : "evaluator only",
					    w.data);
				}
				x += in_h;
				y += in_e;
			}
			cybex_buf_free(&w);
			fail_msg("observation %u (hyperscan %d): %s", k,
			    use_hs, json_dumps(cybex_pattern_obsset_objects(set,
			    k), JSON_COMPACT));
		}
		*hits_total += (unsigned)hits.n;
		t.sec += 1;
	}
	cybex_match_hits_free(&hits);
	cybex_pattern_obsset_free(set);
	cybex_match_scratch_free(sc);
	cybex_match_index_unref(ix);
	cybex_match_builder_free(bld);
	for (i = 0; i < NIND; i++)
		cybex_pattern_free(pats[i]);
	cybex_buf_free(&b);
}

static void
test_equivalence(void **state)
{
	unsigned hits = 0, r;

	(void)state;
	for (r = 0; r < 6; r++) {
		round_trip(true, &hits);
		round_trip(false, &hits);
	}
	print_message("# %u hits agreed over %u observations\n", hits,
	    12 * NOBS);
	assert_true(hits > 1000);	/* the test really matches things */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equivalence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
