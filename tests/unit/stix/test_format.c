/*
 * Table-driven tests of the stix_is_* format checks (lib/stix/format.c).
 * Each table lists values with the expected answer; a failure names the
 * value.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stix_int.h"

struct fcase {
	const char	*s;
	bool		 ok;
};

#define LONG250	\
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void
run(const struct fcase *c, size_t n, bool (*fn)(const char *), const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fn(c[i].s) != c[i].ok)
			fail_msg("%s(\"%s\") should be %s", what, c[i].s,
			    c[i].ok ? "true" : "false");
	}
}

#define RUN(tab, fn)	run(tab, sizeof(tab) / sizeof(tab[0]), fn, #fn)

static void
test_type_name(void **state)
{
	static const struct fcase c[] = {
		{ "file", true },
		{ "ipv4-addr", true },
		{ "x-acme-widget", true },
		{ "x509-certificate", true },
		{ "abc", true },
		{ "a1-2", true },
		{ "x-foo-", true },		/* schema allows a trailing '-' */
		{ LONG250, true },
		{ LONG250 "a", false },
		{ "ab", false },
		{ "", false },
		{ "File", false },
		{ "1file", false },
		{ "-file", false },
		{ "x--foo", false },
		{ "x_foo", false },
		{ "x foo", false },
		{ "x.foo", false },
		{ "caf\xc3\xa9", false },
	};

	(void)state;
	RUN(c, stix_is_type_name);
	assert_false(stix_is_type_name(NULL));
}

static void
test_prop_name(void **state)
{
	static const struct fcase c[] = {
		{ "name", true },
		{ "x_acme_score", true },
		{ "src_port", true },
		{ "abc", true },
		{ "a1_", true },
		{ LONG250, true },
		{ LONG250 "a", false },
		{ "id", false },
		{ "", false },
		{ "Name", false },
		{ "_name", false },
		{ "1abc", false },
		{ "x-acme", false },
		{ "x acme", false },
	};

	(void)state;
	RUN(c, stix_is_prop_name);
	assert_false(stix_is_prop_name(NULL));
}

static void
test_identifier(void **state)
{
	static const struct fcase c[] = {
		{ "file--4a4c1e13-5c6c-4ed6-9a6c-16e1f2ba8e21", true },
		{ "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", true },
		{ "x-acme--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F", true },
		{ "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", true },
		{ "abc--6ba7b810-9dad-11d1-80b4-00c04fd430c8", true },	/* v1 */
		{ "abc--00000000-0000-0000-0000-000000000000", false },	/* nil */
		{ "abc--6ba7b810-9dad-61d1-80b4-00c04fd430c8", false },	/* v6 */
		{ "abc--6ba7b810-9dad-41d1-c0b4-00c04fd430c8", false },	/* variant */
		{ "abc--6ba7b810-9dad-41d1-70b4-00c04fd430c8", false },
		{ "abc--6ba7b8109dad-41d1-80b4-00c04fd430c8a", false },
		{ "abc--6ba7b810-9dad-41d1-80b4-00c04fd430c", false },
		{ "abc--6ba7b810-9dad-41d1-80b4-00c04fd430c8f", false },
		{ "abc--6ba7b810-9dad-41d1-80b4-00c04fd430g8", false },
		{ "ab--6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "Abc--6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "abc-6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "abc---6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "a--b--6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "6ba7b810-9dad-41d1-80b4-00c04fd430c8", false },
		{ "file--", false },
		{ "", false },
	};
	char type[251];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (stix_is_identifier(c[i].s, NULL, 0) != c[i].ok)
			fail_msg("stix_is_identifier(\"%s\") should be %s",
			    c[i].s, c[i].ok ? "true" : "false");
		if (stix_is_identifier(c[i].s, type, sizeof(type)) != c[i].ok)
			fail_msg("stix_is_identifier(\"%s\", type) should be %s",
			    c[i].s, c[i].ok ? "true" : "false");
	}
	assert_true(stix_is_identifier(
	    "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", type,
	    sizeof(type)));
	assert_string_equal(type, "ipv4-addr");
	/* too small a buffer for the type part is a refusal, not truncation */
	assert_false(stix_is_identifier(
	    "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", type, 9));
	assert_false(stix_is_identifier(NULL, type, sizeof(type)));
	assert_string_equal(type, "");
}

static void
test_base64(void **state)
{
	static const struct fcase c[] = {
		{ "TWFu", true },
		{ "TWE=", true },
		{ "TQ==", true },
		{ "iVBORw0KGgoAAAANSUhEUgAAADI+/w==", true },
		{ "", false },			/* binary.json needs one group */
		{ "TWF", false },
		{ "TQ=", false },
		{ "T===", false },
		{ "=TWE", false },
		{ "TW=u", false },
		{ "TQ=a", false },
		{ "TWFu\n", false },
		{ "TW Fu", false },
		{ "TWF-", false },		/* base64url alphabet */
		{ "TWF_", false },
	};

	(void)state;
	RUN(c, stix_is_base64);
	assert_false(stix_is_base64(NULL));
}

static void
test_hex(void **state)
{
	static const struct fcase c[] = {
		{ "00", true },
		{ "deadBEEF", true },
		{ "0a1b2c", true },
		{ "", false },
		{ "0", false },
		{ "abc", false },
		{ "0x00", false },
		{ "gg", false },
		{ "00 ", false },
	};

	(void)state;
	RUN(c, stix_is_hex);
	assert_false(stix_is_hex(NULL));
}

static void
test_lang_tag(void **state)
{
	static const struct fcase c[] = {
		{ "en", true },
		{ "EN-us", true },
		{ "de-CH", true },
		{ "zh-Hant", true },
		{ "zh-Hant-TW", true },
		{ "zh-yue-HK", true },
		{ "es-419", true },
		{ "sl-rozaj-biske", true },
		{ "de-CH-1901", true },
		{ "hy-Latn-IT-arevela", true },
		{ "en-US-u-islamcal", true },
		{ "en-a-myext-b-another", true },
		{ "en-US-x-twain", true },
		{ "x-whatever", true },
		{ "qaa-Qaaa-QM-x-southern", true },
		{ "i-klingon", true },		/* grandfathered */
		{ "zh-min-nan", true },
		{ "tlh", true },
		{ "", false },
		{ "e", false },
		{ "en-", false },
		{ "-en", false },
		{ "en--US", false },
		{ "en_US", false },
		{ "en US", false },
		{ "toolonglang", false },
		{ "en-a", false },		/* singleton without subtag */
		{ "en-a-b-cd", false },
		{ "en-a-bb-a-cc", false },	/* duplicate singleton */
		{ "en-x", false },
		{ "x", false },
		{ "de-419-DE", false },		/* two regions */
		{ "en-US-Latn", false },	/* script after region */
		{ "a-DE", false },
		{ "ar-a-aaa-b-bbb-a-ccc", false },
		{ "en-abc1", false },
		{ "en-\xc3\xa9t", false },
	};

	(void)state;
	RUN(c, stix_is_lang_tag);
	assert_false(stix_is_lang_tag(NULL));
}

static void
test_uri(void **state)
{
	static const struct fcase c[] = {
		{ "http://example.com", true },
		{ "https://example.com/a/b?c=d&e=f#frag", true },
		{ "https://user:pw@example.com:8443/p%20q", true },
		{ "http://[2001:db8::1]:80/", true },
		{ "http://[v7.fe80::1]/", true },
		{ "http://192.0.2.1/x", true },
		{ "ftp://ftp.is.co.za/rfc/rfc1808.txt", true },
		{ "mailto:John.Doe@example.com", true },
		{ "urn:oasis:names:specification:docbook:dtd:xml:4.1.2", true },
		{ "tel:+1-816-555-1212", true },
		{ "file:///etc/passwd", true },
		{ "news:comp.infosystems.www.servers.unix", true },
		{ "x+y-z.w:opaque", true },
		{ "http://example.com/?q=a/b?c", true },
		{ "", false },
		{ "example.com", false },
		{ "/relative/path", false },
		{ "1http://example.com", false },
		{ ":nothing", false },
		{ "http://exa mple.com", false },
		{ "http://example.com/a b", false },
		{ "http://example.com/%zz", false },
		{ "http://example.com/%4", false },
		{ "http://example.com/#a#b", false },
		{ "http://example.com/<script>", false },
		{ "http://example.com/\"q\"", false },
		{ "http://[2001:db8::g]/", false },
		{ "http://[2001:db8::1/", false },
		{ "http://example.com:80a/", false },
		{ "http://ex[ample.com/", false },
		{ "http://example.com/\xc3\xa9", false },
		{ "http://example.com/a\\b", false },
		{ "ht tp://example.com", false },
	};

	(void)state;
	RUN(c, stix_is_uri);
	assert_false(stix_is_uri(NULL));
}

static bool
ipv4_plain(const char *s)
{
	return stix_is_ipv4(s, false);
}

static bool
ipv4_cidr(const char *s)
{
	return stix_is_ipv4(s, true);
}

static bool
ipv6_plain(const char *s)
{
	return stix_is_ipv6(s, false);
}

static bool
ipv6_cidr(const char *s)
{
	return stix_is_ipv6(s, true);
}

static void
test_ipv4(void **state)
{
	static const struct fcase plain[] = {
		{ "198.51.100.3", true },
		{ "0.0.0.0", true },
		{ "255.255.255.255", true },
		{ "10.0.0.1", true },
		{ "198.51.100.0/24", false },
		{ "256.1.1.1", false },
		{ "1.2.3", false },
		{ "1.2.3.4.5", false },
		{ "01.2.3.4", false },
		{ "1.2.3.04", false },
		{ "1..3.4", false },
		{ "1.2.3.4.", false },
		{ ".1.2.3.4", false },
		{ "1.2.3.1000", false },
		{ "1.2.3.-1", false },
		{ " 1.2.3.4", false },
		{ "a.b.c.d", false },
		{ "", false },
		{ "::1", false },
	};
	static const struct fcase cidr[] = {
		{ "198.51.100.3", true },
		{ "198.51.100.0/24", true },
		{ "0.0.0.0/0", true },
		{ "10.0.0.0/32", true },
		{ "10.0.0.0/33", false },
		{ "10.0.0.0/", false },
		{ "10.0.0.0/08", false },
		{ "10.0.0.0/-1", false },
		{ "10.0.0.0/8/8", false },
		{ "10.0.0.0/8a", false },
		{ "/8", false },
		{ "256.0.0.0/8", false },
	};

	(void)state;
	RUN(plain, ipv4_plain);
	RUN(cidr, ipv4_cidr);
	assert_false(stix_is_ipv4(NULL, true));
}

static void
test_ipv6(void **state)
{
	static const struct fcase plain[] = {
		{ "2001:0db8:85a3:0000:0000:8a2e:0370:7334", true },
		{ "2001:db8::1", true },
		{ "::1", true },
		{ "::", true },
		{ "::ffff:192.0.2.128", true },
		{ "FE80::1", true },
		{ "2001:db8::/32", false },
		{ "2001:db8:::1", false },
		{ "2001:db8::1::2", false },
		{ "12345::", false },
		{ "1.2.3.4", false },
		{ "g::1", false },
		{ "", false },
		{ "fe80::1%eth0", false },
	};
	static const struct fcase cidr[] = {
		{ "2001:db8::1", true },
		{ "2001:db8::/32", true },
		{ "::/0", true },
		{ "::1/128", true },
		{ "::1/129", false },
		{ "::1/", false },
		{ "::1/064", false },
		{ "/64", false },
		{ "zz::/64", false },
	};

	(void)state;
	RUN(plain, ipv6_plain);
	RUN(cidr, ipv6_cidr);
	assert_false(stix_is_ipv6(NULL, true));
}

static void
test_mac(void **state)
{
	static const struct fcase c[] = {
		{ "d2:fb:49:24:37:18", true },
		{ "00:00:00:00:00:00", true },
		{ "0a:1b:2c:3d:4e:5f", true },
		{ "D2:FB:49:24:37:18", false },
		{ "d2-fb-49-24-37-18", false },
		{ "d2:fb:49:24:37", false },
		{ "d2:fb:49:24:37:18:00", false },
		{ "d2:fb:49:24:37:1", false },
		{ "2:fb:49:24:37:18", false },
		{ "d2fb.4924.3718", false },
		{ "d2:fb:49:24:37:1g", false },
		{ "d2:fb:49:24:37:18 ", false },
		{ "", false },
	};

	(void)state;
	RUN(c, stix_is_mac);
	assert_false(stix_is_mac(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_name),
		cmocka_unit_test(test_prop_name),
		cmocka_unit_test(test_identifier),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_lang_tag),
		cmocka_unit_test(test_uri),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
