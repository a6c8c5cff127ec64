/*
 * The detectors' settings: defaults, "name = value" text with precise
 * errors (and nothing applied on error), set, describe (which must read
 * back and must match docs/detect.md), and the checks between settings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/detect.h"
#include "testutil.h"

static char *
describe(const struct cybex_detect_config *c)
{
	struct cybex_buf b;

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_detect_config_describe(c, &b), 0);
	assert_non_null(b.data);
	return b.data;
}

/* The describe line of one setting (without its help). */
static void
value_of(const struct cybex_detect_config *c, const char *name, char *out,
    size_t outsz)
{
	char *all = describe(c), *p, *e, want[80];

	snprintf(want, sizeof(want), "\n%s =", name);
	p = strstr(all, want);
	if (p == NULL && strncmp(all, want + 1, strlen(want + 1)) == 0)
		p = all - 1;
	assert_non_null(p);
	p += strlen(want);
	e = strstr(p, "  #");
	assert_non_null(e);
	while (p < e && *p == ' ')
		p++;
	snprintf(out, outsz, "%.*s", (int)(e - p), p);
	cybex_free(all);
}

/* The setting name reads back as want in describe's text. */
static void
assert_value(const struct cybex_detect_config *c, const char *name,
    const char *want)
{
	char v[256];

	value_of(c, name, v, sizeof(v));
	if (strcmp(v, want) != 0)
		fail_msg("%s = '%s', expected '%s'", name, v, want);
}

static int
parse(struct cybex_detect_config *c, const char *text, struct cybex_diag *d)
{
	return cybex_detect_config_parse(c, text, strlen(text), d);
}

static void
test_defaults(void **state)
{
	struct cybex_detect_config *c;

	(void)state;
	assert_int_equal(cybex_detect_config_new(&c), 0);
	assert_value(c, "scan_theta0", "0.8");
	assert_value(c, "quiet_period", "600");
	assert_value(c, "detectors", "all");
	assert_value(c, "org", "");
	assert_value(c, "c2_indicator_types", "c2, command-and-control, "
	    "malicious-activity, botnet");
	cybex_detect_config_free(c);
	cybex_detect_config_free(NULL);
}

static void
test_parse(void **state)
{
	struct cybex_detect_config *c;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(cybex_detect_config_new(&c), 0);
	assert_int_equal(parse(c,
	    "# a comment\n"
	    "\n"
	    "  scan_pd = 0.999   # trailing comment\n"
	    "quiet_period = 10m\n"
	    "bf_window=1.5h\n"
	    "protected_domain = Northbank.Example.\n"
	    "protected_domain = b\xc3\xbc" "cher.example\n"
	    "protected_brand = PayPal\n"
	    "known_address = www.northbank.example 192.0.2.1  2001:db8::1\n"
	    "monitored_page = https://x.example/#frag ABCDEF0123456789ABCDEF0123456789\n"
	    "phishing_tld_swap = no\n"
	    "detectors = scan,ddos , coop\n"
	    "org = cert-a\n", &d), 0);
	assert_value(c, "scan_pd", "0.999");
	assert_value(c, "quiet_period", "600");
	assert_value(c, "bf_window", "5400");
	assert_value(c, "protected_brand", "paypal");
	assert_value(c, "known_address",
	    "www.northbank.example 192.0.2.1 2001:db8::1");
	assert_value(c, "monitored_page", "https://x.example/#frag "
	    "abcdef0123456789abcdef0123456789");
	assert_value(c, "phishing_tld_swap", "false");
	assert_value(c, "detectors", "scan, ddos, coop");
	assert_value(c, "org", "cert-a");
	/* Lists: domains lower-cased, IDNs as A-labels, both kept. */
	{
		char *all = describe(c);

		assert_non_null(strstr(all, "protected_domain = "
		    "northbank.example  #"));
		assert_non_null(strstr(all, "protected_domain = "
		    "xn--bcher-kva.example  #"));
		cybex_free(all);
	}
	/* An empty value clears a list. */
	assert_int_equal(cybex_detect_config_set(c, "protected_domain", "",
	    &d), 0);
	assert_value(c, "protected_domain", "");
	cybex_detect_config_free(c);
}

struct bad {
	const char	*text;
	int		 code;
	unsigned long	 line, column;
	const char	*msg;
};

static const struct bad bad[] = {
	{ "scan_pd = 0.9\nnope = 1\n", CYBEX_EINVAL, 2, 1,
	    "unknown setting 'nope'" },
	{ "\n\n  scan_pd = 2\n", CYBEX_EINVAL, 3, 13,
	    "scan_pd: '2' must be a number from 0.5 to 0.999999" },
	{ "scan_sources = 12\n", CYBEX_EINVAL, 1, 16,
	    "must be a whole number from 64" },
	{ "scan_sources = -5\n", CYBEX_EINVAL, 1, 16, "whole number" },
	{ "scan_sources = 1e3\n", CYBEX_EINVAL, 1, 16, "whole number" },
	{ "quiet_period = 5 weeks\n", CYBEX_EINVAL, 1, 16, "duration" },
	{ "phishing_tld_swap = maybe\n", CYBEX_EINVAL, 1, 21,
	    "must be true or false" },
	{ "home_net = 10.0.0.0/33\n", CYBEX_EINVAL, 1, 12,
	    "not an address or ADDR/BITS prefix" },
	{ "allow_address = example.org\n", CYBEX_EINVAL, 1, 17,
	    "not an address" },
	{ "known_address = bank.example\n", CYBEX_EINVAL, 1, 17,
	    "no address" },
	{ "known_address = bank.example 300.1.1.1\n", CYBEX_EINVAL, 1, 17,
	    "'300.1.1.1' is not an IPv4 or IPv6 address" },
	{ "protected_domain = bad..example\n", CYBEX_EINVAL, 1, 20,
	    "not a domain name" },
	{ "protected_domain = a b\n", CYBEX_EINVAL, 1, 20,
	    "not a domain name" },
	/* cybex_domain_check: no label starts or ends with a hyphen. */
	{ "protected_domain = -bank.example\n", CYBEX_EINVAL, 1, 20,
	    "not a domain name" },
	{ "protected_domain = bank-.example\n", CYBEX_EINVAL, 1, 20,
	    "not a domain name" },
	{ "home_net = 10.0.0.0/08\n", CYBEX_EINVAL, 1, 12,
	    "not an address or ADDR/BITS prefix" },
	{ "protected_brand = ab\n", CYBEX_EINVAL, 1, 19, "3 to 63 bytes" },
	{ "monitored_page = ftp://x.example/\n", CYBEX_EINVAL, 1, 18,
	    "not an http(s) URL" },
	{ "monitored_page = https://x.example/ 12zz\n", CYBEX_EINVAL, 1, 18,
	    "32 to 128 hex digits" },
	{ "detectors = scan, dns\n", CYBEX_EINVAL, 1, 13,
	    "unknown detector 'dns'" },
	{ "just words\n", CYBEX_EINVAL, 1, 1, "expected 'name = value'" },
	{ "scan_theta1 = 0.9\n", CYBEX_EINVAL, 0, 0,
	    "scan_theta1 (0.9) must be below scan_theta0 (0.8)" },
	{ "beacon_min_period = 20h\nbeacon_max_period = 10h\n", CYBEX_EINVAL,
	    0, 0, "must not exceed" },
};

static void
test_errors(void **state)
{
	struct cybex_detect_config *c;
	struct cybex_diag d;
	char before[64], after[64];
	size_t i;
	int r;

	(void)state;
	assert_int_equal(cybex_detect_config_new(&c), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		value_of(c, "scan_pd", before, sizeof(before));
		r = parse(c, bad[i].text, &d);
		if (r != bad[i].code || d.line != bad[i].line ||
		    d.column != bad[i].column ||
		    strstr(d.message, bad[i].msg) == NULL)
			fail_msg("case %zu: %d line %lu col %lu '%s'", i, r,
			    d.line, d.column, d.message);
		/* Nothing applied: the first line of case 0 was good. */
		value_of(c, "scan_pd", after, sizeof(after));
		assert_string_equal(before, after);
	}
	/* set: the same checks and messages. */
	assert_int_equal(cybex_detect_config_set(c, "nope", "1", &d),
	    CYBEX_EINVAL);
	assert_non_null(strstr(d.message, "unknown setting"));
	assert_int_equal(cybex_detect_config_set(c, "ddos_k", "0.5", &d),
	    CYBEX_EINVAL);
	assert_non_null(strstr(d.message, "ddos_k: '0.5' must be a number"));
	assert_int_equal(cybex_detect_config_set(c, "ddos_k", "3", &d), 0);
	/* A value past 4 KiB, and NUL bytes. */
	{
		char *big = malloc(5000);

		assert_non_null(big);
		memset(big, 'a', 4999);
		big[4999] = '\0';
		assert_int_equal(cybex_detect_config_set(c, "org", big, &d),
		    CYBEX_ETOOBIG);
		free(big);
		assert_int_equal(cybex_detect_config_parse(c, "org = a\0b\n",
		    10, &d), CYBEX_EINVAL);
		assert_int_equal(d.line, 1);
	}
	cybex_detect_config_free(c);
}

/* The theta checks also stop cybex_detect_new. */
static void
test_new_checks(void **state)
{
	struct cybex_detect_config *c;
	struct cybex_detect *dt = (void *)1;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(cybex_detect_config_new(&c), 0);
	assert_int_equal(cybex_detect_config_set(c, "scan_pf", "0.5", &d), 0);
	assert_int_equal(cybex_detect_config_set(c, "scan_pd", "0.5", &d), 0);
	assert_int_equal(cybex_detect_new(c, &dt, &d), CYBEX_EINVAL);
	assert_null(dt);
	assert_non_null(strstr(d.message, "scan_pf"));
	cybex_detect_config_free(c);
	/* NULL settings: the defaults. */
	assert_int_equal(cybex_detect_new(NULL, &dt, &d), 0);
	cybex_detect_free(dt);
	cybex_detect_free(NULL);
}

/* describe's text reads back to the same settings. */
static void
test_roundtrip(void **state)
{
	struct cybex_detect_config *a, *b;
	struct cybex_diag d;
	char *t1, *t2;

	(void)state;
	assert_int_equal(cybex_detect_config_new(&a), 0);
	assert_int_equal(parse(a, "protected_domain = northbank.example\n"
	    "protected_domain = cityhealth.example\n"
	    "known_address = www.northbank.example 192.0.2.10\n"
	    "home_net = 10.0.0.0/8\nscan_pf = 0.0001\nbeacon_min_gap = 0.25\n"
	    "org = cert-a\n", &d), 0);
	t1 = describe(a);
	assert_int_equal(cybex_detect_config_new(&b), 0);
	if (parse(b, t1, &d) != 0)
		fail_msg("line %lu: %s", d.line, d.message);
	t2 = describe(b);
	assert_string_equal(t1, t2);
	cybex_free(t1);
	cybex_free(t2);
	cybex_detect_config_free(a);
	cybex_detect_config_free(b);
}

/* docs/detect.md lists every setting with its default, as describe says. */
static void
test_docs(void **state)
{
	struct cybex_detect_config *c;
	const char *data = getenv("CYBEX_TESTDATA");
	char path[1024], full[1100], *doc, *all, *line, *nl;
	size_t len;

	(void)state;
	/* $CYBEX_TESTDATA is <source>/tests/data (which may not exist). */
	snprintf(path, sizeof(path), "%s", data != NULL ? data : "tests/data");
	len = strlen(path);
	if (len >= 10 && strcmp(path + len - 10, "tests/data") == 0)
		path[len - 10] = '\0';
	else
		path[0] = '\0';
	snprintf(full, sizeof(full), "%sdocs/detect.md", path);
	doc = tu_read_file(full, &len);
	if (doc == NULL)
		fail_msg("cannot read %s", full);
	assert_int_equal(cybex_detect_config_new(&c), 0);
	all = describe(c);
	for (line = all; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		if (strstr(doc, line) == NULL)
			fail_msg("docs/detect.md lacks \"%s\"", line);
	}
	cybex_free(all);
	free(doc);
	cybex_detect_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_new_checks),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_docs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
