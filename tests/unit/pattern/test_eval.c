/*
 * The evaluator: every comparison operator (with NOT, type mismatches and
 * canonical forms), object paths (_ref, _refs, [n], [-n], [*], extensions,
 * the deprecated embedded objects), and every observation operator and
 * qualifier with its edge cases: FOLLOWEDBY on equal and overlapping
 * times, REPEATS against number_observed, WITHIN at its exact boundary,
 * START included and STOP excluded, distinct observations for AND.
 *
 * Test JSON is written with ' for ".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/pattern.h"
#include "testutil.h"

/* ' -> " in a malloc'd copy. */
static char *
q(const char *s)
{
	char *r = strdup(s), *p;

	assert_non_null(r);
	for (p = r; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

static struct cybex_time
ts(const char *s)
{
	struct cybex_time t;

	assert_int_equal(cybex_time_parse(s, strlen(s), CYBEX_TIME_UTC_Z, &t,
	    NULL), 0);
	return t;
}

/* A set with one observation per call of obs(). */
static struct cybex_pattern_obsset *
set_new(void)
{
	struct cybex_pattern_obsset *s;

	assert_int_equal(cybex_pattern_obsset_new(0, &s), 0);
	return s;
}

static void
obs(struct cybex_pattern_obsset *s, const char *first, const char *last,
    uint32_t count, const char *scos)
{
	struct cybex_time f = ts(first), l = ts(last);
	char *text = q(scos);
	json_t *arr, *v[16];
	json_error_t err;
	size_t i, n;

	arr = json_loads(text, 0, &err);
	if (arr == NULL)
		fail_msg("bad test JSON %s: %s", text, err.text);
	n = json_array_size(arr);
	assert_true(n <= 16);
	for (i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	assert_int_equal(cybex_pattern_obsset_add_scos(s, v, n, &f, &l, count,
	    NULL), 0);
	json_decref(arr);
	free(text);
}

/* 1 match, 0 no match; fails the test on an invalid pattern. */
static int
m(const char *pattern, const struct cybex_pattern_obsset *s)
{
	struct cybex_pattern *p;
	struct cybex_pattern_result r;
	struct cybex_diag d;
	int rc, hit;

	rc = cybex_pattern_new(pattern, strlen(pattern), NULL, NULL, NULL, &p,
	    &d);
	if (rc != 0)
		fail_msg("pattern %s: column %lu: %s", pattern, d.column,
		    d.message);
	rc = cybex_pattern_match(p, s, NULL, &r, &d);
	if (rc != 0)
		fail_msg("match %s: %s", pattern, d.message);
	hit = r.matched;
	cybex_pattern_result_clear(&r);
	cybex_pattern_free(p);
	return hit;
}

#define YES(p, s)	do { if (m((p), (s)) != 1) fail_msg("expected a " \
			    "match: %s", (p)); } while (0)
#define NO(p, s)	do { if (m((p), (s)) != 0) fail_msg("expected no " \
			    "match: %s", (p)); } while (0)

#define T0	"2020-01-01T00:00:00Z"
#define T1	"2020-01-01T00:00:10Z"
#define T2	"2020-01-01T00:01:00Z"
#define T3	"2020-01-01T00:02:00Z"

static struct cybex_pattern_obsset *
one(const char *scos)
{
	struct cybex_pattern_obsset *s = set_new();

	obs(s, T0, T1, 1, scos);
	return s;
}

/* ---- comparison operators ---- */

static void
test_equality(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'file--1',"
	    "'name':'a.exe','size':1024,'x_ratio':0.5,'x_flag':true}]");

	(void)state;
	YES("[file:name = 'a.exe']", s);
	YES("[file:name == 'a.exe']", s);
	NO("[file:name = 'A.EXE']", s);
	YES("[file:name != 'b.exe']", s);
	YES("[file:name <> 'b.exe']", s);
	NO("[file:name != 'a.exe']", s);
	YES("[file:name NOT = 'b.exe']", s);
	NO("[file:name NOT != 'b.exe']", s);
	YES("[file:size = 1024]", s);
	YES("[file:size = 1024.0]", s);
	NO("[file:size = '1024']", s);		/* string vs integer */
	YES("[file:size != '1024']", s);	/* unequal types: != holds */
	YES("[file:x_ratio = 0.5]", s);
	YES("[file:x_flag = true]", s);
	NO("[file:x_flag = 1]", s);
	NO("[file:x_flag = false]", s);
	/* a missing property fails, with or without NOT */
	NO("[file:x_missing = 'x']", s);
	NO("[file:x_missing != 'x']", s);
	NO("[file:x_missing NOT = 'x']", s);
	/* another type */
	NO("[process:name = 'a.exe']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_ordering(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'file--1',"
	    "'name':'m','size':1024,'ctime':'2020-01-01T00:00:00.5Z'}]");

	(void)state;
	YES("[file:size > 1023]", s);
	NO("[file:size > 1024]", s);
	YES("[file:size >= 1024]", s);
	YES("[file:size < 1024.5]", s);
	NO("[file:size < 1024]", s);
	YES("[file:size <= 1024]", s);
	YES("[file:size NOT < 1000]", s);
	YES("[file:name > 'l' AND file:name < 'n']", s);
	NO("[file:name > 'm']", s);
	/* ordering between kinds that cannot compare is false, NOT too */
	NO("[file:size < 'zzz']", s);
	NO("[file:size NOT < 'zzz']", s);
	/* timestamps: a t'' literal reads the string value as a time */
	YES("[file:ctime > t'2020-01-01T00:00:00Z']", s);
	YES("[file:ctime = t'2020-01-01T00:00:00.500Z']", s);
	NO("[file:ctime < t'2020-01-01T00:00:00.4Z']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_in(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'network-traffic',"
	    "'id':'network-traffic--1','dst_port':8443,'protocols':['tcp']}]");

	(void)state;
	YES("[network-traffic:dst_port IN (443, 6443, 8443)]", s);
	NO("[network-traffic:dst_port IN (443, 6443)]", s);
	YES("[network-traffic:dst_port NOT IN (443, 6443)]", s);
	NO("[network-traffic:dst_port IN ()]", s);
	YES("[network-traffic:dst_port NOT IN ()]", s);
	YES("[network-traffic:protocols[0] IN ('udp', 'tcp')]", s);
	YES("[network-traffic:protocols[*] IN ('tcp')]", s);
	cybex_pattern_obsset_free(s);
}

static void
test_like(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'file--1',"
	    "'name':'Final Report.exe','size':3}]");

	(void)state;
	YES("[file:name LIKE 'Final%']", s);
	YES("[file:name LIKE '%.exe']", s);
	YES("[file:name LIKE 'Final_Report.exe']", s);
	YES("[file:name LIKE '%']", s);
	NO("[file:name LIKE 'final%']", s);		/* case matters */
	NO("[file:name LIKE 'Final']", s);		/* whole string */
	NO("[file:name LIKE 'Final Report_exe_']", s);
	YES("[file:name NOT LIKE 'x%']", s);
	/* regex characters in LIKE are literal */
	NO("[file:name LIKE 'Final.Report%']", s);
	/* not a string: false */
	NO("[file:size LIKE '3']", s);
	/* LIKE does not apply to an integer: false, so true under NOT */
	YES("[file:size NOT LIKE '4']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_matches(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'file--1',"
	    "'name':'Final Report.exe','x_data_hex':'d4c3b2a1',"
	    "'x_blob_bin':'AAEC'}]");

	(void)state;
	YES("[file:name MATCHES 'Report']", s);		/* a search */
	YES("[file:name MATCHES '^Final Report.*\\\\.exe$']", s);
	NO("[file:name MATCHES '^Final Report.+\\\\.exe$']", s);
	NO("[file:name MATCHES '^Report']", s);
	YES("[file:name NOT MATCHES '^Report']", s);
	YES("[file:name MATCHES '(?i)final']", s);
	/* binary values match byte-wise */
	YES("[file:x_data_hex MATCHES '^\\\\xd4\\\\xc3']", s);
	NO("[file:x_data_hex MATCHES '^\\\\xc3']", s);
	YES("[file:x_blob_bin MATCHES '\\\\x01\\\\x02$']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_subset(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'ipv4-addr','id':'i--1',"
	    "'value':'198.51.100.7'},{'type':'ipv6-addr','id':'i--2',"
	    "'value':'2001:db8:dead:beef::1'},{'type':'ipv4-addr','id':'i--3',"
	    "'value':'203.0.113.0/25'}]");

	(void)state;
	YES("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", s);
	YES("[ipv4-addr:value ISSUBSET '198.51.100.7/32']", s);
	YES("[ipv4-addr:value ISSUBSET '198.51.100.7']", s);
	NO("[ipv4-addr:value ISSUBSET '198.51.101.0/24']", s);
	YES("[ipv4-addr:value ISSUBSET '203.0.113.0/24']", s);	/* CIDR in */
	YES("[ipv6-addr:value ISSUBSET "
	    "'2001:0db8:dead:beef:0000:0000:0000:0000/64']", s);
	NO("[ipv6-addr:value ISSUBSET '2001:db8:dead:bee0::/64']", s);
	NO("[ipv6-addr:value ISSUBSET '0.0.0.0/0']", s);	/* family */
	YES("[ipv4-addr:value ISSUPERSET '203.0.113.5']", s);
	NO("[ipv4-addr:value ISSUPERSET '203.0.113.200']", s);
	YES("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_exists(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'file--1',"
	    "'name':'a'}]");

	(void)state;
	YES("[EXISTS file:name]", s);
	NO("[EXISTS file:size]", s);
	YES("[NOT EXISTS file:size]", s);
	NO("[NOT EXISTS file:name]", s);
	NO("[NOT EXISTS process:pid]", s);	/* no process at all */
	cybex_pattern_obsset_free(s);
}

static void
test_canonical_values(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'domain-name',"
	    "'id':'d--1','value':'WWW.Example.COM.'},{'type':'url','id':'u--1',"
	    "'value':'HTTP://Example.com:80/a/./b/../c?q=%7e'},"
	    "{'type':'ipv6-addr','id':'i--1','value':'2001:DB8:0:0::1'},"
	    "{'type':'email-addr','id':'e--1','value':'Jane@Example.ORG'},"
	    "{'type':'file','id':'f--1','hashes':{'MD5':"
	    "'CEAD3F77F6CDA6EC00F57D76C9A6879F'}}]");

	(void)state;
	YES("[domain-name:value = 'www.example.com']", s);
	YES("[domain-name:value IN ('x.org', 'WWW.EXAMPLE.COM')]", s);
	YES("[url:value = 'http://example.com/a/c?q=~']", s);
	YES("[ipv6-addr:value = '2001:db8::1']", s);
	YES("[ipv6-addr:value = '2001:db8::1/128']", s);
	YES("[email-addr:value = 'Jane@example.org']", s);
	NO("[email-addr:value = 'jane@example.org']", s);  /* local part */
	YES("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']", s);
	YES("[file:hashes[*] = 'cead3f77f6cda6ec00f57d76c9a6879f']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_binary_literals(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'file','id':'f--1',"
	    "'magic_number_hex':'FFD8','name':'ab'},{'type':'artifact',"
	    "'id':'a--1','payload_bin':'dGhpcyBpcyBhIHRlc3Q='}]");

	(void)state;
	YES("[file:magic_number_hex = h'ffd8']", s);
	YES("[file:magic_number_hex = h'FFD8']", s);
	NO("[file:magic_number_hex = h'ffd9']", s);
	YES("[file:magic_number_hex > h'ff']", s);
	YES("[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", s);
	YES("[artifact:payload_bin = 'this is a test']", s);
	YES("[file:name = h'6162']", s);	/* string vs binary */
	NO("[file:name = b'YWM=']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_paths(void **state)
{
	struct cybex_pattern_obsset *s = one("["
	    "{'type':'email-message','id':'email-message--1','is_multipart':"
	    "true,'from_ref':'email-addr--1','to_refs':['email-addr--2',"
	    "'email-addr--9','email-addr--3'],'body_multipart':[{'body':'hi'},"
	    "{'body_raw_ref':'file--1'}]},"
	    "{'type':'email-addr','id':'email-addr--1','value':'a@x.org'},"
	    "{'type':'email-addr','id':'email-addr--2','value':'b@x.org'},"
	    "{'type':'email-addr','id':'email-addr--3','value':'c@x.org'},"
	    "{'type':'file','id':'file--1','name':'Final Report.exe',"
	    "'extensions':{'windows-pebinary-ext':{'pe_type':'exe',"
	    "'sections':[{'name':'.text','entropy':7.5}]}}}]");

	(void)state;
	YES("[email-message:from_ref.value = 'a@x.org']", s);
	YES("[email-message:to_refs[*].value = 'c@x.org']", s);
	YES("[email-message:to_refs[0].value = 'b@x.org']", s);
	/* unresolved references drop out of the list */
	YES("[email-message:to_refs[1].value = 'c@x.org']", s);
	YES("[email-message:to_refs[-1].value = 'c@x.org']", s);
	NO("[email-message:to_refs[5].value = 'c@x.org']", s);
	NO("[email-message:to_refs.value = 'c@x.org']", s);	/* a list */
	YES("[email-message:body_multipart[*].body_raw_ref.name MATCHES "
	    "'^Final Report.*\\\\.exe$']", s);
	YES("[email-message:body_multipart[0].body = 'hi']", s);
	YES("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > "
	    "7.0]", s);
	YES("[EXISTS email-message:from_ref]", s);
	/* AND inside [ ] needs one object; OR does not */
	YES("[email-message:from_ref.value = 'a@x.org' AND "
	    "email-message:is_multipart = true]", s);
	NO("[email-message:is_multipart = true AND file:name = "
	    "'Final Report.exe']", s);
	YES("[email-message:is_multipart = false OR file:name = "
	    "'Final Report.exe']", s);
	cybex_pattern_obsset_free(s);
}

static void
test_embedded_objects(void **state)
{
	struct cybex_pattern_obsset *s = set_new();
	char *text = q("{'type':'bundle','id':'bundle--1','objects':["
	    "{'type':'observed-data','id':'observed-data--1',"
	    "'first_observed':'" T0 "','last_observed':'" T1 "',"
	    "'number_observed':2,'objects':{'0':{'type':'file','name':'x',"
	    "'parent_directory_ref':'1'},'1':{'type':'directory',"
	    "'path':'C:\\\\tmp'}}},"
	    "{'type':'observed-data','id':'observed-data--2',"
	    "'first_observed':'" T2 "','last_observed':'" T2 "',"
	    "'number_observed':1,'object_refs':['ipv4-addr--1']},"
	    "{'type':'ipv4-addr','id':'ipv4-addr--1','value':'10.0.0.1'}]}");
	json_t *b = json_loads(text, 0, NULL);
	size_t n = 0;

	(void)state;
	assert_non_null(b);
	assert_int_equal(cybex_pattern_obsset_add_json(s, b, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_string_equal(cybex_pattern_obsset_id(s, 1), "observed-data--2");
	YES("[file:parent_directory_ref.path = 'C:\\\\tmp']", s);
	YES("[file:name = 'x'] FOLLOWEDBY [ipv4-addr:value = '10.0.0.1']", s);
	YES("[file:name = 'x'] REPEATS 2 TIMES", s);
	NO("[file:name = 'x'] REPEATS 3 TIMES", s);
	json_decref(b);
	free(text);
	cybex_pattern_obsset_free(s);
}

/* ---- observation operators and qualifiers ---- */

#define A	"[{'type':'ipv4-addr','id':'i--1','value':'10.0.0.1'}]"
#define B	"[{'type':'domain-name','id':'d--1','value':'evil.com'}]"
#define PA	"[ipv4-addr:value = '10.0.0.1']"
#define PB	"[domain-name:value = 'evil.com']"

static void
test_and_or(void **state)
{
	struct cybex_pattern_obsset *s = set_new();

	(void)state;
	obs(s, T0, T1, 1, A);
	YES(PA " OR " PB, s);
	NO(PA " AND " PB, s);
	NO(PA " AND " PA, s);		/* distinct observations */
	obs(s, T2, T2, 1, B);
	YES(PA " AND " PB, s);
	YES(PB " AND " PA, s);
	NO(PA " AND " PA " AND " PB, s);
	obs(s, T3, T3, 1, A);
	YES(PA " AND " PA " AND " PB, s);
	NO(PA " AND " PA " AND " PB " AND " PB, s);
	YES("(" PA " OR " PB ") AND " PB, s);
	cybex_pattern_obsset_free(s);
}

static void
test_followedby(void **state)
{
	struct cybex_pattern_obsset *s = set_new();

	(void)state;
	obs(s, T0, T1, 1, A);
	obs(s, T2, T2, 1, B);
	YES(PA " FOLLOWEDBY " PB, s);
	NO(PB " FOLLOWEDBY " PA, s);
	NO(PA " FOLLOWEDBY " PA, s);	/* one observation cannot be both */
	cybex_pattern_obsset_free(s);

	/* equal times may be ordered either way */
	s = set_new();
	obs(s, T1, T1, 1, A);
	obs(s, T1, T1, 1, B);
	YES(PA " FOLLOWEDBY " PB, s);
	YES(PB " FOLLOWEDBY " PA, s);
	cybex_pattern_obsset_free(s);

	/* overlapping intervals: some choice of times is ordered */
	s = set_new();
	obs(s, T0, T2, 1, A);
	obs(s, T1, T1, 1, B);
	YES(PA " FOLLOWEDBY " PB, s);
	YES(PB " FOLLOWEDBY " PA, s);
	cybex_pattern_obsset_free(s);

	/* number_observed 2: the same observed-data twice, same time */
	s = set_new();
	obs(s, T0, T0, 2, A);
	YES(PA " FOLLOWEDBY " PA, s);
	NO(PA " FOLLOWEDBY " PA " FOLLOWEDBY " PA, s);
	cybex_pattern_obsset_free(s);

	/* chains: a then b then a */
	s = set_new();
	obs(s, T0, T0, 1, A);
	obs(s, T1, T1, 1, B);
	obs(s, T2, T2, 1, A);
	YES(PA " FOLLOWEDBY " PB " FOLLOWEDBY " PA, s);
	NO(PB " FOLLOWEDBY " PA " FOLLOWEDBY " PB, s);
	YES("(" PA " FOLLOWEDBY " PB ") WITHIN 10 SECONDS", s);
	NO("(" PA " FOLLOWEDBY " PB " FOLLOWEDBY " PA ") WITHIN 59 SECONDS",
	    s);
	YES("(" PA " FOLLOWEDBY " PB " FOLLOWEDBY " PA ") WITHIN 60 SECONDS",
	    s);
	cybex_pattern_obsset_free(s);
}

static void
test_repeats(void **state)
{
	struct cybex_pattern_obsset *s = set_new();

	(void)state;
	obs(s, T0, T0, 3, A);
	YES(PA " REPEATS 1 TIMES", s);
	YES(PA " REPEATS 3 TIMES", s);
	NO(PA " REPEATS 4 TIMES", s);
	obs(s, T1, T1, 2, A);
	YES(PA " REPEATS 5 TIMES", s);
	NO(PA " REPEATS 6 TIMES", s);
	NO(PA " REPEATS 4000000000 TIMES", s);
	/* each repetition of an AND needs its own observations */
	obs(s, T2, T2, 1, B);
	YES("(" PA " AND " PB ") REPEATS 1 TIMES", s);
	NO("(" PA " AND " PB ") REPEATS 2 TIMES", s);
	YES("(" PA " OR " PB ") REPEATS 6 TIMES", s);
	NO("(" PA " OR " PB ") REPEATS 7 TIMES", s);
	/* REPEATS then WITHIN: a window over all of them */
	YES(PA " REPEATS 5 TIMES WITHIN 10 SECONDS", s);
	NO(PA " REPEATS 5 TIMES WITHIN 9.999999999 SECONDS", s);
	YES(PA " REPEATS 3 TIMES WITHIN 1 SECONDS", s);
	cybex_pattern_obsset_free(s);
}

static void
test_within(void **state)
{
	struct cybex_pattern_obsset *s = set_new();

	(void)state;
	obs(s, T0, T1, 1, A);		/* 00:00:00 .. 00:00:10 */
	obs(s, "2020-01-01T00:00:40Z", "2020-01-01T00:00:50Z", 1, B);
	/* gap between last of A (00:10) and first of B (00:40): 30 s */
	YES("(" PA " AND " PB ") WITHIN 30 SECONDS", s);
	NO("(" PA " AND " PB ") WITHIN 29.999 SECONDS", s);
	YES("(" PA " AND " PB ") WITHIN 30.000000001 SECONDS", s);
	YES("(" PA " FOLLOWEDBY " PB ") WITHIN 30 SECONDS", s);
	/* a single observation is always within any window */
	YES(PA " WITHIN 1 SECONDS", s);
	/* WITHIN inside AND binds to its own expression only */
	YES(PA " AND " PB " WITHIN 1 SECONDS", s);
	/* nested windows must both hold */
	NO("((" PA " AND " PB ") WITHIN 40 SECONDS) WITHIN 20 SECONDS", s);
	cybex_pattern_obsset_free(s);
}

static void
test_startstop(void **state)
{
	struct cybex_pattern_obsset *s = set_new();

	(void)state;
	obs(s, T1, T2, 1, A);		/* 00:00:10 .. 00:01:00 */
	YES(PA " START t'2020-01-01T00:00:00Z' STOP t'2020-01-01T00:00:11Z'",
	    s);
	/* last_observed == START: touches, included */
	YES(PA " START t'2020-01-01T00:01:00Z' STOP t'2020-01-01T00:02:00Z'",
	    s);
	/* first_observed == STOP: STOP is excluded */
	NO(PA " START t'2020-01-01T00:00:00Z' STOP t'2020-01-01T00:00:10Z'",
	    s);
	NO(PA " START t'2020-01-01T00:01:00.001Z' STOP "
	    "t'2020-01-01T00:02:00Z'", s);
	YES("(" PA " START t'2019-01-01T00:00:00Z' STOP "
	    "t'2021-01-01T00:00:00Z') REPEATS 1 TIMES", s);
	cybex_pattern_obsset_free(s);
}

static void
test_witness(void **state)
{
	struct cybex_pattern_obsset *s = set_new();
	struct cybex_pattern_result r;
	struct cybex_pattern *p;
	const char *pat = PA " FOLLOWEDBY " PB;

	(void)state;
	obs(s, T0, T0, 1, B);
	obs(s, T1, T1, 1, A);
	obs(s, T2, T2, 1, B);
	obs(s, T3, T3, 1, "[{'type':'file','id':'f--1','name':'x'}]");
	assert_int_equal(cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL,
	    &p, NULL), 0);
	assert_int_equal(cybex_pattern_match(p, s, NULL, &r, NULL), 0);
	assert_true(r.matched);
	assert_int_equal(r.nobs, 2);
	assert_int_equal(r.obs[0], 1);
	assert_int_equal(r.obs[1], 2);
	assert_int_equal(r.nbindings, 1);
	cybex_pattern_result_clear(&r);
	/* one observation alone */
	assert_int_equal(cybex_pattern_match_one(p, s, 1, NULL, &r, NULL), 0);
	assert_false(r.matched);
	cybex_pattern_result_clear(&r);
	cybex_pattern_free(p);
	pat = PB;
	assert_int_equal(cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL,
	    &p, NULL), 0);
	assert_int_equal(cybex_pattern_match_one(p, s, 2, NULL, &r, NULL), 0);
	assert_true(r.matched);
	assert_int_equal(r.nobs, 1);
	assert_int_equal(r.obs[0], 2);
	cybex_pattern_result_clear(&r);
	assert_int_equal(cybex_pattern_match_one(p, s, 9, NULL, &r, NULL),
	    CYBEX_EINVAL);
	cybex_pattern_free(p);
	cybex_pattern_obsset_free(s);
}

static void
test_limits(void **state)
{
	struct cybex_pattern_obsset *s = set_new();
	struct cybex_pattern_eval_opts o = { .max_bindings = 50,
	    .max_steps = 2000 };
	struct cybex_pattern_result r;
	struct cybex_pattern *p;
	struct cybex_diag d;
	const char *pat = "(" PA " AND " PA ") REPEATS 20 TIMES";
	char t[32];
	int i;

	(void)state;
	for (i = 0; i < 30; i++) {
		snprintf(t, sizeof(t), "2020-01-01T00:00:%02dZ", i);
		obs(s, t, t, 1, A);
	}
	assert_int_equal(cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL,
	    &p, NULL), 0);
	/* 60 observations are needed, 30 exist: the search gives up */
	assert_int_equal(cybex_pattern_match(p, s, &o, &r, &d), CYBEX_ETOOBIG);
	assert_false(r.matched);
	cybex_pattern_free(p);
	/* a match within the limits is still reported */
	pat = "(" PA " AND " PA ") REPEATS 2 TIMES";
	assert_int_equal(cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL,
	    &p, NULL), 0);
	assert_int_equal(cybex_pattern_match(p, s, &o, &r, &d), 0);
	assert_true(r.matched);
	cybex_pattern_result_clear(&r);
	cybex_pattern_free(p);
	cybex_pattern_obsset_free(s);
}

static void
test_obsset_errors(void **state)
{
	struct cybex_pattern_obsset *s = set_new();
	struct cybex_diag d;
	json_t *od;
	char *text;
	int i;

	(void)state;
	text = q("{'type':'observed-data','id':'observed-data--1',"
	    "'first_observed':'" T0 "','last_observed':'" T1 "',"
	    "'number_observed':0,'objects':{}}");
	od = json_loads(text, 0, NULL);
	assert_int_equal(cybex_pattern_obsset_add_json(s, od, NULL, &d),
	    CYBEX_ESTIX);
	assert_non_null(strstr(d.message, "number_observed"));
	json_object_set_new(od, "number_observed", json_integer(1));
	json_object_set_new(od, "last_observed", json_string("yesterday"));
	assert_int_equal(cybex_pattern_obsset_add_json(s, od, NULL, &d),
	    CYBEX_ESTIX);
	json_object_set_new(od, "last_observed", json_string(T0));
	json_object_set_new(od, "first_observed", json_string(T1));
	assert_int_equal(cybex_pattern_obsset_add_json(s, od, NULL, &d),
	    CYBEX_ESTIX);
	assert_int_equal(cybex_pattern_obsset_count(s), 0);
	json_decref(od);
	free(text);
	cybex_pattern_obsset_free(s);
	/* the cap on observations */
	assert_int_equal(cybex_pattern_obsset_new(3, &s), 0);
	for (i = 0; i < 3; i++)
		obs(s, T0, T0, 1, A);
	{
		struct cybex_time t = ts(T0);

		assert_int_equal(cybex_pattern_obsset_add_scos(s, NULL, 0, &t,
		    &t, 1, &d), CYBEX_ETOOBIG);
	}
	cybex_pattern_obsset_free(s);
}

/*
 * The families where the OASIS reference matcher and cybex used to
 * differ (issue 17), each with its expected verdict: the specification
 * where it speaks, the reference matcher where it is silent.
 */
static void
test_reference_semantics(void **state)
{
	struct cybex_pattern_obsset *s = one("[{'type':'x-t','id':'x-t--1',"
	    "'n':5,'f':1.5,'b':true,'name':null,'s':'hello',"
	    "'name_bin':'YWxpY2U='}]");

	(void)state;
	/* NOT on a comparison whose operator does not apply to the type */
	YES("[x-t:n NOT LIKE 'he%']", s);
	YES("[x-t:f NOT MATCHES 'l+']", s);
	YES("[x-t:b NOT ISSUBSET '10.0.0.0/8']", s);
	YES("[x-t:n NOT ISSUPERSET '10.0.0.1']", s);
	NO("[x-t:n LIKE 'he%']", s);
	NO("[x-t:s NOT LIKE 'he%']", s);		/* it applies: false */
	/* LIKE on binary: the decoded bytes ("alice") */
	YES("[x-t:name_bin LIKE '%lic%']", s);
	YES("[x-t:name_bin LIKE 'alice']", s);
	NO("[x-t:name_bin LIKE 'YWxp%']", s);
	YES("[x-t:name_bin NOT LIKE '%aardvark%']", s);
	/* != against null holds; against an absent property it does not */
	YES("[x-t:name != 'alice']", s);
	NO("[x-t:name = 'alice']", s);
	NO("[x-t:name > 'alice']", s);
	NO("[x-t:missing != 'alice']", s);
	cybex_pattern_obsset_free(s);

	/* REPEATS counts number_observed: 2 + 3 observations */
	s = set_new();
	obs(s, T0, T0, 2, "[{'type':'x-p','id':'x-p--1','age':10}]");
	obs(s, T1, T1, 3, "[{'type':'x-p','id':'x-p--2','age':17}]");
	YES("[x-p:age < 20] REPEATS 5 TIMES", s);
	NO("[x-p:age < 20] REPEATS 6 TIMES", s);
	/* with WITHIN: the window holds all five (T0..T1 is 10 s) */
	YES("[x-p:age < 20] REPEATS 5 TIMES WITHIN 10 SECONDS", s);
	NO("[x-p:age < 20] REPEATS 5 TIMES WITHIN 5 SECONDS", s);
	YES("[x-p:age < 20] REPEATS 3 TIMES WITHIN 5 SECONDS", s);
	/* on a parenthesised expression with its own qualifier */
	YES("([x-p:age < 15] AND [x-p:age > 15]) WITHIN 10 SECONDS "
	    "REPEATS 2 TIMES", s);
	NO("([x-p:age < 15] AND [x-p:age > 15]) WITHIN 10 SECONDS "
	    "REPEATS 3 TIMES", s);
	/* several qualifiers of one kind apply in turn: 2 x 2, 2 x 3 */
	YES("[x-p:age < 20] REPEATS 2 TIMES REPEATS 2 TIMES", s);
	NO("[x-p:age < 20] REPEATS 2 TIMES REPEATS 3 TIMES", s);
	YES("[x-p:age < 20] WITHIN 20 SECONDS WITHIN 10 SECONDS", s);
	/* START/STOP with STOP not after START: valid, never matches */
	NO("[x-p:age < 20] START t'2020-01-01T00:00:10Z' STOP "
	    "t'2020-01-01T00:00:10Z'", s);
	NO("[x-p:age < 20] START t'2020-01-01T00:00:20Z' STOP "
	    "t'2020-01-01T00:00:00Z'", s);
	YES("[x-p:age < 20] START t'2020-01-01T00:00:00Z' STOP "
	    "t'2020-01-01T00:00:01Z'", s);
	cybex_pattern_obsset_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_in),
		cmocka_unit_test(test_like),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_subset),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_canonical_values),
		cmocka_unit_test(test_binary_literals),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_embedded_objects),
		cmocka_unit_test(test_and_or),
		cmocka_unit_test(test_followedby),
		cmocka_unit_test(test_repeats),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_startstop),
		cmocka_unit_test(test_witness),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_obsset_errors),
		cmocka_unit_test(test_reference_semantics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
