/*
 * CPE 2.3 names (NISTIR 7695 unbinding, NISTIR 7696 matching), package
 * URLs, version orders, vers ranges and the affected-product matcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/vuln.h"

static void
cpe(const char *s, struct cybex_cpe *c)
{
	struct cybex_diag d;

	cybex_diag_clear(&d);
	if (cybex_cpe_read(s, strlen(s), c, &d) != 0)
		fail_msg("%s: %s (column %lu)", s, d.message, d.column);
}

static const char *
attr(const struct cybex_cpe *c, int k)
{
	if (c->attr[k].kind == CYBEX_CPE_ANY)
		return "ANY";
	if (c->attr[k].kind == CYBEX_CPE_NA)
		return "NA";
	return c->attr[k].value;
}

/* NISTIR 7695 section 6.2.3 unbinding examples. */
static void
test_cpe_unbind(void **state)
{
	struct cybex_cpe c;
	char out[CYBEX_CPE_MAX];

	(void)state;
	cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
	    &c);
	assert_string_equal(attr(&c, 0), "a");
	assert_string_equal(attr(&c, 2), "internet_explorer");
	assert_string_equal(attr(&c, 3), "8\\.0\\.6001");
	assert_string_equal(attr(&c, 4), "beta");
	assert_string_equal(attr(&c, 5), "ANY");
	cpe("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:"
	    "win2003:x64:*", &c);
	assert_string_equal(attr(&c, 4), "NA");
	assert_string_equal(attr(&c, 7), "online");
	assert_string_equal(attr(&c, 8), "win2003");
	assert_string_equal(attr(&c, 9), "x64");
	cpe("cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:"
	    "ipod_touch:80gb:*", &c);
	assert_string_equal(attr(&c, 1), "foo\\\\bar");
	assert_string_equal(attr(&c, 2), "big\\$money_2010");
	cpe("cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*", &c);
	assert_string_equal(attr(&c, 2), "ANY");
	assert_string_equal(attr(&c, 3), "9\\.*");
	assert_string_equal(attr(&c, 5), "palmos");
	/* Quoted colon, a '?' run, and the formatted form back. */
	cpe("cpe:2.3:a:x:a\\:b:??1.2:*:*:*:*:*:*:*", &c);
	assert_string_equal(attr(&c, 2), "a\\:b");
	assert_string_equal(attr(&c, 3), "??1\\.2");
	assert_int_equal(cybex_cpe_write(&c, out, sizeof(out)), 0);
	assert_string_equal(out, "cpe:2.3:a:x:a\\:b:??1.2:*:*:*:*:*:*:*");
	/* A value of one quoted hyphen is no NA: it binds quoted (fuzz). */
	cpe("cpe:2.3:a:x:y:\\-:*:*:*:*:*:*:*", &c);
	assert_string_equal(attr(&c, 3), "\\-");
	assert_int_equal(cybex_cpe_write(&c, out, sizeof(out)), 0);
	assert_string_equal(out, "cpe:2.3:a:x:y:\\-:*:*:*:*:*:*:*");
	cpe("cpe:2.3:A:Foo:Bar-Baz:1.0:*:*:*:*:*:*:*", &c);
	assert_int_equal(cybex_cpe_write(&c, out, sizeof(out)), 0);
	assert_string_equal(out, "cpe:2.3:a:foo:bar-baz:1.0:*:*:*:*:*:*:*");
}

static void
test_cpe_bad(void **state)
{
	static const struct {
		const char	*in;
		unsigned long	 col;
		const char	*why;
	} bad[] = {
		{ "cpe:/a:foo:bar", 1, "formatted string" },
		{ "cpe:2.3:a:foo:bar:*:*:*:*:*:*:*", 32, "10 attributes" },
		{ "cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:*:*", 35, "more than" },
		{ "cpe:2.3:a:foo:bar:1*2:*:*:*:*:*:*:*", 20, "'*'" },
		{ "cpe:2.3:a:foo:bar:1?2:*:*:*:*:*:*:*", 20, "'?'" },
		{ "cpe:2.3:x:foo:bar:*:*:*:*:*:*:*:*", 9, "part" },
		{ "cpe:2.3:a:foo:b r:*:*:*:*:*:*:*:*", 16, "printable" },
		{ "cpe:2.3:a:foo::*:*:*:*:*:*:*:*", 15, "empty" },
		{ "cpe:2.3:a:foo:bar:*:*:*:*:*:*:*:x\\", 34, "backslash" },
	};
	struct cybex_cpe c;
	struct cybex_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cybex_diag_clear(&d);
		if (cybex_cpe_read(bad[i].in, strlen(bad[i].in), &c, &d) !=
		    CYBEX_EFORMAT || d.column != bad[i].col ||
		    strstr(d.message, bad[i].why) == NULL)
			fail_msg("%s: column %lu, '%s'", bad[i].in, d.column,
			    d.message);
	}
}

/*
 * NISTIR 7696 Table 6-2 (attribute comparison) and the wildcard
 * semantics of section 6.1.3, with quoting counted as the spec counts.
 */
static void
test_cpe_attr_table(void **state)
{
	static const struct {
		const char		*src, *tgt;
		enum cybex_cpe_rel	 rel;
	} t[] = {
		{ "*", "*", CYBEX_CPE_EQUAL },			/* 1 */
		{ "*", "-", CYBEX_CPE_SUPERSET },		/* 2 */
		{ "*", "foo", CYBEX_CPE_SUPERSET },		/* 3 */
		{ "*", "fo*", CYBEX_CPE_UNDEFINED },		/* 4 */
		{ "-", "*", CYBEX_CPE_SUBSET },			/* 5 */
		{ "-", "-", CYBEX_CPE_EQUAL },			/* 6 */
		{ "-", "foo", CYBEX_CPE_DISJOINT },		/* 7 */
		{ "-", "fo*", CYBEX_CPE_UNDEFINED },		/* 8 */
		{ "foo", "*", CYBEX_CPE_SUBSET },		/* 9 */
		{ "foo", "-", CYBEX_CPE_DISJOINT },		/* 10 */
		{ "foo", "foo", CYBEX_CPE_EQUAL },		/* 11 */
		{ "foo", "bar", CYBEX_CPE_DISJOINT },		/* 12 */
		{ "foo", "b*", CYBEX_CPE_UNDEFINED },		/* 13 */
		{ "fo*", "foo", CYBEX_CPE_SUPERSET },		/* 14 */
		{ "fo*", "bar", CYBEX_CPE_DISJOINT },		/* 14 */
		{ "fo*", "*", CYBEX_CPE_SUBSET },		/* 15 */
		{ "fo*", "-", CYBEX_CPE_DISJOINT },		/* 16 */
		{ "fo*", "f*", CYBEX_CPE_UNDEFINED },		/* 17 */
		{ "FOO", "foo", CYBEX_CPE_EQUAL },		/* case */
		{ "8.*", "8.0.6001", CYBEX_CPE_SUPERSET },
		{ "*.0", "8.0", CYBEX_CPE_SUPERSET },
		{ "*0", "8.1", CYBEX_CPE_DISJOINT },
		{ "?.0", "8.0", CYBEX_CPE_SUPERSET },		/* \. is one */
		{ "??", "8.0", CYBEX_CPE_DISJOINT },
		{ "???", "8.0", CYBEX_CPE_SUPERSET },
		{ "sp?", "sp2", CYBEX_CPE_SUPERSET },
		{ "sp?", "sp10", CYBEX_CPE_DISJOINT },
		/* 7696's algorithm: a '?' run at an end matches up to its
		 * length (leftover <= ends). */
		{ "sp??", "sp1", CYBEX_CPE_SUPERSET },
		{ "sp??", "sp123", CYBEX_CPE_DISJOINT },
		{ "1.1.1?", "1.1.1w", CYBEX_CPE_SUPERSET },
		{ "?p1", "sp1", CYBEX_CPE_SUPERSET },
		{ "?p1", "ssp1", CYBEX_CPE_DISJOINT },
		{ "*p1", "ssp1", CYBEX_CPE_SUPERSET },
		{ "\\*", "*x", CYBEX_CPE_UNDEFINED },
	};
	char s[128], g[128];
	struct cybex_cpe a, b;
	size_t i;
	enum cybex_cpe_rel r;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(s, sizeof(s), "cpe:2.3:a:v:%s:*:*:*:*:*:*:*:*",
		    t[i].src);
		snprintf(g, sizeof(g), "cpe:2.3:a:v:%s:*:*:*:*:*:*:*:*",
		    t[i].tgt);
		cpe(s, &a);
		cpe(g, &b);
		r = cybex_cpe_attr_compare(&a.attr[2], &b.attr[2]);
		if (r != t[i].rel)
			fail_msg("%s vs %s: %d, expected %d", t[i].src,
			    t[i].tgt, r, t[i].rel);
	}
}

/* Name comparison (NISTIR 7696 section 6.2 and its examples). */
static void
test_cpe_names(void **state)
{
	struct cybex_cpe a, b;
	enum cybex_cpe_rel rel[CYBEX_CPE_NATTR];

	(void)state;
	/* Example: a specific IE is a SUBSET of "any IE". */
	cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:sp2:*:*:"
	    "*:*", &a);
	cpe("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*", &b);
	assert_int_equal(cybex_cpe_compare(&a, &b, -1, rel), CYBEX_CPE_SUBSET);
	assert_int_equal(rel[3], CYBEX_CPE_SUBSET);
	assert_int_equal(rel[5], CYBEX_CPE_EQUAL);
	assert_int_equal(cybex_cpe_compare(&b, &a, -1, NULL),
	    CYBEX_CPE_SUPERSET);
	/* Version 8.* with update sp?: beta is DISJOINT, sp2 a SUPERSET. */
	cpe("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", &a);
	cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
	    &b);
	assert_int_equal(cybex_cpe_compare(&a, &b, -1, rel),
	    CYBEX_CPE_DISJOINT);
	assert_int_equal(rel[3], CYBEX_CPE_SUPERSET);
	assert_int_equal(rel[4], CYBEX_CPE_DISJOINT);
	cpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp2:*:*:*:*:*:*",
	    &b);
	assert_int_equal(cybex_cpe_compare(&a, &b, -1, NULL),
	    CYBEX_CPE_SUPERSET);
	/* A target with a wildcard: UNDEFINED, not a match. */
	assert_int_equal(cybex_cpe_compare(&b, &a, -1, NULL),
	    CYBEX_CPE_UNDEFINED);
	assert_int_equal(cybex_cpe_compare(&a, &a, -1, NULL),
	    CYBEX_CPE_UNDEFINED);
	assert_int_equal(cybex_cpe_compare(&b, &b, -1, NULL),
	    CYBEX_CPE_EQUAL);
	/* skip: the version counts as EQUAL. */
	cpe("cpe:2.3:a:microsoft:internet_explorer:9:sp2:*:*:*:*:*:*", &a);
	assert_int_equal(cybex_cpe_compare(&a, &b, 3, NULL), CYBEX_CPE_EQUAL);
}

static void
test_purl(void **state)
{
	static const struct {
		const char	*in, *base, *version;
	} ok[] = {
		{ "pkg:npm/%40angular/animation@12.3.1",
		    "pkg:npm/%40angular/animation", "12.3.1" },
		{ "pkg:NPM/@Angular/Core@1.0", "pkg:npm/%40angular/core",
		    "1.0" },
		{ "pkg:pypi/Django_Allauth@0.50", "pkg:pypi/django-allauth",
		    "0.50" },
		{ "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
		    "?type=jar", "pkg:maven/org.apache.logging.log4j/"
		    "log4j-core", "2.14.1" },
		{ "pkg:deb/debian/OpenSSL@1.1.1n-0%2Bdeb11u4?arch=amd64&"
		    "distro=bullseye", "pkg:deb/debian/openssl",
		    "1.1.1n-0+deb11u4" },
		{ "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed"
		    "9c#api", "pkg:golang/github.com/gorilla/context",
		    "234fd47e07d1004f0aed9c" },
		{ "pkg://gem/jruby-launcher@1.1.2?Platform=java",
		    "pkg:gem/jruby-launcher", "1.1.2" },
		{ "pkg:github/Package-URL/purl-spec@244fd47e07d1004#everybody"
		    "/loves/dogs", "pkg:github/package-url/purl-spec",
		    "244fd47e07d1004" },
		{ "pkg:generic/openssl", "pkg:generic/openssl", "" },
		/* A '+' of the type is written as it is (fuzz). */
		{ "pkg:c++/Foo@1", "pkg:c++/Foo", "1" },
	};
	static const struct {
		const char	*in, *why;
	} bad[] = {
		{ "npm/foo@1", "pkg:" },
		{ "pkg:npm", "pkg:type/name" },
		{ "pkg:n%pm/foo", "type is made" },
		{ "pkg:1npm/foo", "digit" },
		{ "pkg:npm/foo%4", "hex" },
		{ "pkg:npm/foo%00", "NUL" },
		{ "pkg:maven/log4j-core@2", "namespace" },
		{ "pkg:npm/foo?a", "key=value" },
		{ "pkg:npm/foo?a$b=1", "qualifier key" },
		{ "pkg:npm/@1.0", "name" },
		/* strchr finds the NUL of its set: a NUL is no type (fuzz). */
		{ "pkg:\0pypi/x", "type is made" },
	};
	struct cybex_purl p;
	struct cybex_diag d;
	char out[CYBEX_PURL_MAX + 1];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cybex_diag_clear(&d);
		if (cybex_purl_read(ok[i].in, strlen(ok[i].in), &p, &d) != 0)
			fail_msg("%s: %s", ok[i].in, d.message);
		assert_int_equal(cybex_purl_write(&p, false, out,
		    sizeof(out)), 0);
		assert_string_equal(out, ok[i].base);
		assert_string_equal(p.version, ok[i].version);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cybex_diag_clear(&d);
		n = strlen(bad[i].in);
		if (strncmp(bad[i].in, "pkg:", 4) == 0 && n == 4)
			n += 1 + strlen(bad[i].in + 5);
		if (cybex_purl_read(bad[i].in, n, &p, &d) ==
		    0 || strstr(d.message, bad[i].why) == NULL ||
		    d.column == 0)
			fail_msg("%s: accepted or '%s'", bad[i].in, d.message);
	}
}

static void
test_version_cmp(void **state)
{
	static const struct {
		const char	*scheme, *a, *b;
		int		 cmp;
	} t[] = {
		{ "semver", "1.0.0-alpha", "1.0.0-alpha.1", -1 },
		{ "semver", "1.0.0-alpha.1", "1.0.0-alpha.beta", -1 },
		{ "semver", "1.0.0-beta.2", "1.0.0-beta.11", -1 },
		{ "semver", "1.0.0-rc.1", "1.0.0", -1 },
		{ "semver", "1.0.0+build.5", "1.0.0", 0 },
		{ "npm", "v2.10.0", "2.9.9", 1 },
		{ "semver", "1.2", "1.2.0", 0 },
		{ "semver", "99999999999999999999.0.0", "2.0.0", 1 },
		{ "generic", "2.0-beta9", "2.0", -1 },
		{ "generic", "2.0", "2.0.1", -1 },
		{ "generic", "2.14.1", "2.15.0", -1 },
		{ "generic", "2.0-rc1", "2.0-beta2", 1 },
		{ "custom", "1.1.1w", "1.1.1", 1 },
		{ "custom", "1.1.1t", "1.1.1w", -1 },
		{ "maven", "2.3.1", "2.12.2", -1 },
		{ "deb", "1.0~rc1", "1.0", -1 },
		{ "deb", "1:0.9", "2.0", 1 },
		{ "deb", "1.1.1n-0+deb11u4", "1.1.1n-0+deb11u5", -1 },
		{ "deb", "1.2.3-1", "1.2.3-1", 0 },
		{ "deb", "1.0a", "1.0", 1 },
		{ "deb", "1.0-1", "1.0.1-1", -1 },
		{ "rpm", "1.0~rc1", "1.0", -1 },
		{ "rpm", "1.0^git1", "1.0", 1 },
		{ "rpm", "1.0^git1", "1.0.1", -1 },
		{ "rpm", "2:1.0-1", "1:9.0-1", 1 },
		{ "rpm", "1.0.a", "1.0.1", -1 },
		{ "rpm", "3.0.7-16.el9", "3.0.7-18.el9", -1 },
		{ "rpm", "1.0", "1.0-5", 0 },
		{ "git", "abc", "abc", 0 },
	};
	struct cybex_diag d;
	size_t i;
	int c;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cybex_diag_clear(&d);
		assert_int_equal(cybex_version_cmp(t[i].scheme, t[i].a,
		    t[i].b, &c, &d), 0);
		if ((c > 0) - (c < 0) != t[i].cmp)
			fail_msg("%s %s vs %s: %d", t[i].scheme, t[i].a,
			    t[i].b, c);
		assert_int_equal(cybex_version_cmp(t[i].scheme, t[i].b,
		    t[i].a, &c, &d), 0);
		assert_int_equal((c > 0) - (c < 0), -t[i].cmp);
	}
	assert_int_equal(cybex_version_cmp("git", "abc", "abd", &c, &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_version_cmp("semver", "", "1", &c, &d),
	    CYBEX_EINVAL);
}

static void
test_vers(void **state)
{
	static const struct {
		const char	*range, *version;
		bool		 in;
	} t[] = {
		{ "vers:npm/>=1.0.0|<2.0.0", "1.5.0", true },
		{ "vers:npm/>=1.0.0|<2.0.0", "2.0.0", false },
		{ "vers:npm/>=1.0.0|<2.0.0", "2.0.0-rc.1", true },
		{ "vers:npm/<2.0.0|>=1.0.0", "0.9.0", false },
		{ "vers:npm/1.2.3", "1.2.3", true },
		{ "vers:npm/1.2.3", "1.2.4", false },
		{ "vers:pypi/<=0.9|>=1.0|<1.5|>=2.0", "0.5", true },
		{ "vers:pypi/<=0.9|>=1.0|<1.5|>=2.0", "1.7", false },
		{ "vers:pypi/<=0.9|>=1.0|<1.5|>=2.0", "1.2", true },
		{ "vers:pypi/<=0.9|>=1.0|<1.5|>=2.0", "3.0", true },
		{ "vers:pypi/>=1.0|!=1.2|<2.0", "1.2", false },
		{ "vers:pypi/>=1.0|!=1.2|<2.0", "1.3", true },
		{ "vers:deb/>=1.1.1n-0%2Bdeb11u1|<1.1.1n-0%2Bdeb11u5",
		    "1.1.1n-0+deb11u4", true },
		{ "vers:rpm/<3.0.7-18.el9", "3.0.7-16.el9", true },
		{ "vers:generic/*", "anything", true },
		{ "vers:generic/!=1.0", "1.1", true },
		{ "vers:maven/>=2.0-beta9|<2.15.0", "2.14.1", true },
		{ "vers:maven/>=2.0-beta9|<2.15.0", "2.0", true },
		{ "vers:maven/>=2.0-beta9|<2.15.0", "1.2.17", false },
	};
	static const char *const bad[] = {
		"npm/>=1", "vers:npm", "vers:npm/", "vers:npm/>=", "vers:n$m/1",
		"vers:npm/*|>1", "vers:npm/1|=1", "vers:npm/%zz",
		/* One version to the generic order, as != and = (fuzz). */
		"vers:generic/!=2.0|>1|=2..0",
	};
	struct cybex_vers v;
	struct cybex_diag d;
	size_t i;
	bool in;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cybex_diag_clear(&d);
		if (cybex_vers_read(t[i].range, strlen(t[i].range), &v, &d) !=
		    0)
			fail_msg("%s: %s", t[i].range, d.message);
		assert_int_equal(cybex_vers_contains(&v, t[i].version, &in,
		    &d), 0);
		if (in != t[i].in)
			fail_msg("%s %s: %d", t[i].range, t[i].version, in);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cybex_diag_clear(&d);
		if (cybex_vers_read(bad[i], strlen(bad[i]), &v, &d) !=
		    CYBEX_EFORMAT || d.column == 0)
			fail_msg("%s: accepted (%s)", bad[i], d.message);
	}
}

static enum cybex_vstatus
status(const struct cybex_affected *a, const char *cpe_s, const char *purl,
    const char *version, bool *explicit)
{
	struct cybex_product p = { cpe_s, purl, version };
	struct cybex_diag d;
	enum cybex_vstatus s;
	bool e;

	cybex_diag_clear(&d);
	if (cybex_affected_status(a, &p, &s, &e, &d) != 0)
		fail_msg("%s", d.message);
	if (explicit != NULL)
		*explicit = e;
	return s;
}

static void
test_match(void **state)
{
	/* CVE-2021-44228 style: ranges with changes. */
	static const struct cybex_vchange ch[] = {
		{ "2.12.2", CYBEX_VS_NOT_AFFECTED },
		{ "2.13.0", CYBEX_VS_AFFECTED },
		{ "2.15.0", CYBEX_VS_FIXED },
	};
	static const struct cybex_vrange rg[] = {
		{ "2.0-beta9", "2.99", NULL, "maven", CYBEX_VS_AFFECTED, ch,
		    3 },
		{ "2.14.0", NULL, NULL, "maven", CYBEX_VS_NOT_AFFECTED, NULL,
		    0 },
	};
	struct cybex_affected a = {
		.cpe = "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*",
		.purl = "pkg:maven/org.apache.logging.log4j/log4j-core",
		.ranges = rg, .nranges = 2,
		.default_status = CYBEX_VS_NOT_AFFECTED,
	};
	struct cybex_affected v = {
		.purl = "pkg:npm/lodash", .vers = "vers:npm/<4.17.21",
		.status = CYBEX_VS_AFFECTED,
		.default_status = CYBEX_VS_NOT_AFFECTED,
	};
	struct cybex_affected pin = {
		.cpe = "cpe:2.3:a:openssl:openssl:1.1.1?:*:*:*:*:*:*:*",
		.status = CYBEX_VS_AFFECTED,
	};
	struct cybex_affected vex = {
		.purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
		.status = CYBEX_VS_NOT_AFFECTED,
	};
	enum cybex_vstatus acc = CYBEX_VS_NONE;
	bool e, acce = false;

	(void)state;
	assert_int_equal(status(&a, "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:"
	    "*:*", NULL, NULL, &e), CYBEX_VS_AFFECTED);
	assert_true(e);
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-core@2.12.3", NULL, NULL), CYBEX_VS_NOT_AFFECTED);
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-core", "2.13.1", NULL), CYBEX_VS_AFFECTED);
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-core", "2.17.1", NULL), CYBEX_VS_FIXED);
	/* The exact entry beats the range. */
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-core", "2.14.0", NULL), CYBEX_VS_NOT_AFFECTED);
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-core", "1.2.17", &e), CYBEX_VS_NOT_AFFECTED);
	assert_false(e);
	assert_int_equal(status(&a, NULL, "pkg:maven/org.apache.logging.log4j"
	    "/log4j-api", "2.14.1", NULL), CYBEX_VS_NONE);
	assert_int_equal(status(&a, "cpe:2.3:a:apache:tomcat:9.0:*:*:*:*:*:"
	    "*:*", NULL, NULL, NULL), CYBEX_VS_NONE);
	/* Named, version unknown. */
	assert_int_equal(status(&a, "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*",
	    NULL, NULL, NULL), CYBEX_VS_UNKNOWN);
	assert_int_equal(status(&v, NULL, "pkg:npm/Lodash@4.17.20", NULL,
	    NULL), CYBEX_VS_AFFECTED);
	assert_int_equal(status(&v, NULL, "pkg:npm/lodash@4.17.21", NULL,
	    NULL), CYBEX_VS_NOT_AFFECTED);
	assert_int_equal(status(&pin, "cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*"
	    ":*:*:*:*", NULL, NULL, NULL), CYBEX_VS_AFFECTED);
	assert_int_equal(status(&pin, "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:"
	    "*:*", NULL, "1.1.1k", NULL), CYBEX_VS_AFFECTED);
	assert_int_equal(status(&pin, "cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:"
	    "*:*:*:*", NULL, NULL, NULL), CYBEX_VS_NONE);
	/* VEX: an explicit not-affected for the version beats affected. */
	assert_int_equal(status(&vex, NULL, "pkg:maven/org.apache.logging."
	    "log4j/log4j-core@2.14.1", NULL, &e), CYBEX_VS_NOT_AFFECTED);
	assert_true(e);
	assert_int_equal(status(&vex, NULL, "pkg:maven/org.apache.logging."
	    "log4j/log4j-core@2.14.0", NULL, NULL), CYBEX_VS_NONE);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_NOT_AFFECTED, false);
	assert_int_equal(acc, CYBEX_VS_NOT_AFFECTED);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_AFFECTED, false);
	assert_int_equal(acc, CYBEX_VS_AFFECTED);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_AFFECTED, true);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_NOT_AFFECTED, false);
	assert_int_equal(acc, CYBEX_VS_AFFECTED);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_FIXED, true);
	assert_int_equal(acc, CYBEX_VS_FIXED);
	cybex_vstatus_fold(&acc, &acce, CYBEX_VS_AFFECTED, true);
	assert_int_equal(acc, CYBEX_VS_FIXED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpe_unbind),
		cmocka_unit_test(test_cpe_bad),
		cmocka_unit_test(test_cpe_attr_table),
		cmocka_unit_test(test_cpe_names),
		cmocka_unit_test(test_purl),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_vers),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
