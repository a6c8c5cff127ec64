/*
 * The sshd/PAM/su/sudo/syslog cases of the OSSEC/Wazuh rule tests
 * (../shared/conformance/authlog/ruleset/testing/tests/, the .ini files), one cmocka
 * test per [section].  Each "log N pass" line is read with the syslog
 * reader and what it derives is checked against the meaning of the rule
 * the case expects:
 *
 *   - for the sshd rules, the meaning comes from the rule's groups in
 *     rules/0095-sshd_rules.xml, read by this test: authentication_success
 *     -> success; invalid_login with authentication_failed -> invalid
 *     user; invalid_login alone -> denied; authentication_failed ->
 *     failure; a frequency rule (if_matched_sid) means what the rule it
 *     counts means; any other rule -> not a verdict (none or other).  One
 *     refinement: 5758 ("Maximum authentication attempts exceeded", in
 *     authentication_failed) is the more precise "maxtries";
 *   - the PAM, su, sudo and syslog rules are not in the conformance set:
 *     their meaning is the case's own title (table below).
 *
 * A verdict must come with the user, switched-to account and client
 * address listed in the expectations table for that line; a case that is
 * not an authentication event must be read without error and give
 * CYBEX_AUTH_NONE or CYBEX_AUTH_OTHER.  "log N fail" lines (the rule must
 * not fire on them in Wazuh's engine) are only required to be read
 * without error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_test.h"
#include "testutil.h"

#define CASES_MAX	128
#define LOGS_MAX	16
#define NOVERDICT	(-1)	/* none or other */

struct icase {
	char		 title[160];
	const char	*file;
	int		 rule;
	size_t		 nlogs;
	bool		 pass[LOGS_MAX];
	char		*log[LOGS_MAX];
};

static struct icase cases[CASES_MAX];
static struct CMUnitTest tests[CASES_MAX];
static size_t ncases;

/* ---- what a rule means ---- */

#define RULES_MAX	128
static struct {
	int		 id;
	int		 expect;	/* enum cybex_auth_result or NOVERDICT */
} rules[RULES_MAX];
static size_t nrules;

/* The rules outside 0095-sshd_rules.xml, by their test case titles. */
static const struct {
	int		 id;
	int		 expect;
} other_rules[] = {
	{ 5301, CYBEX_AUTH_FAILURE },		/* su: bad pass */
	{ 5302, CYBEX_AUTH_FAILURE },		/* su: failed */
	{ 5305, CYBEX_AUTH_SUCCESS },		/* su: first time executed */
	{ 5401, CYBEX_AUTH_FAILURE },		/* failed attempt to run sudo */
	{ 5403, CYBEX_AUTH_SUCCESS },		/* user executed sudo */
	{ 5404, CYBEX_AUTH_FAILURE },		/* 3 incorrect password attempts */
	{ 5405, CYBEX_AUTH_DENIED },		/* unauthorized user (sudoers) */
	{ 5501, CYBEX_AUTH_SUCCESS },		/* login session opened */
	{ 5502, NOVERDICT },			/* login session closed */
	{ 5503, CYBEX_AUTH_FAILURE },		/* user login failed */
	{ 5504, CYBEX_AUTH_INVALID_USER },	/* login with an invalid user */
	{ 2502, CYBEX_AUTH_FAILURE },		/* missed the password again */
	{ 2941, NOVERDICT },			/* iptables chain error */
	{ 2944, NOVERDICT },			/* nouveau error */
	{ 2945, NOVERDICT },			/* rsyslog rate limiting */
	{ 5905, NOVERDICT },			/* useradd failed */
};

static int
num(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* Text between <tag> and </tag> inside s[0..n), or NULL. */
static const char *
element(const char *s, size_t n, const char *tag, size_t *len)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	for (a = s; a + strlen(open) <= s + n; a++)
		if (memcmp(a, open, strlen(open)) == 0)
			break;
	if (a + strlen(open) > s + n)
		return NULL;
	a += strlen(open);
	for (b = a; b + strlen(close) <= s + n; b++)
		if (memcmp(b, close, strlen(close)) == 0) {
			*len = (size_t)(b - a);
			return a;
		}
	return NULL;
}

static int
rule_expect(int id)
{
	size_t i;

	for (i = 0; i < nrules; i++)
		if (rules[i].id == id)
			return rules[i].expect;
	for (i = 0; i < sizeof(other_rules) / sizeof(other_rules[0]); i++)
		if (other_rules[i].id == id)
			return other_rules[i].expect;
	fail_msg("rule %d has no known meaning", id);
	return NOVERDICT;
}

static bool
has_group(const char *g, size_t n, const char *name)
{
	char buf[256];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, g, n);
	buf[n] = '\0';
	return strstr(buf, name) != NULL;
}

static void
load_rules(void)
{
	char *path = tu_conformance_path(
	    "authlog/ruleset/rules/0095-sshd_rules.xml");
	char *xml = tu_read_file(path, NULL), *p, *end;
	const char *g, *m;
	size_t gn = 0, mn, i;
	int counts;

	assert_non_null(xml);
	for (p = xml; (p = strstr(p, "<rule id=\"")) != NULL; p = end) {
		assert_true(nrules < RULES_MAX);
		rules[nrules].id = num(p + 10);
		assert_non_null(end = strstr(p, "</rule>"));
		g = element(p, (size_t)(end - p), "group", &gn);
		m = element(p, (size_t)(end - p), "if_matched_sid", &mn);
		counts = m != NULL ? num(m) : 0;
		if (counts != 0) {
			rules[nrules].expect = rule_expect(counts);
		} else if (g == NULL) {
			rules[nrules].expect = NOVERDICT;
		} else if (has_group(g, gn, "authentication_success")) {
			rules[nrules].expect = CYBEX_AUTH_SUCCESS;
		} else if (has_group(g, gn, "invalid_login")) {
			rules[nrules].expect = has_group(g, gn,
			    "authentication_failed") ? CYBEX_AUTH_INVALID_USER :
			    CYBEX_AUTH_DENIED;
		} else if (has_group(g, gn, "authentication_failed")) {
			rules[nrules].expect = CYBEX_AUTH_FAILURE;
		} else {
			rules[nrules].expect = NOVERDICT;
		}
		if (rules[nrules].id == 5758)
			rules[nrules].expect = CYBEX_AUTH_MAXTRIES;
		nrules++;
	}
	/* Sanity: the groups say what the descriptions say. */
	assert_true(nrules > 50);
	for (i = 0; i < nrules; i++) {
		if (rules[i].id == 5715)
			assert_int_equal(rules[i].expect, CYBEX_AUTH_SUCCESS);
		if (rules[i].id == 5710 || rules[i].id == 5712)
			assert_int_equal(rules[i].expect,
			    CYBEX_AUTH_INVALID_USER);
		if (rules[i].id == 5718 || rules[i].id == 5719)
			assert_int_equal(rules[i].expect, CYBEX_AUTH_DENIED);
		if (rules[i].id == 5760 || rules[i].id == 5763)
			assert_int_equal(rules[i].expect, CYBEX_AUTH_FAILURE);
	}
	free(xml);
	free(path);
}

/* ---- what each verdict line must carry ---- */

static const struct {
	const char	*line;		/* a unique part of the log line */
	const char	*user;
	const char	*target;
	const char	*src;
} expect[] = {
#include "authlog_expect.h"
};

static void
check_details(const char *line, const struct cybex_obs *o)
{
	size_t i, found = 0, k = 0;

	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		if (strstr(line, expect[i].line) != NULL) {
			found++;
			k = i;
		}
	}
	if (found != 1)
		fail_msg("%zu expectations for: %s", found, line);
	if (expect[k].user == NULL)
		assert_null(o->user);
	else {
		assert_non_null(o->user);
		assert_string_equal(o->user, expect[k].user);
	}
	if (expect[k].target == NULL)
		assert_null(o->target_user);
	else {
		assert_non_null(o->target_user);
		assert_string_equal(o->target_user, expect[k].target);
	}
	if (expect[k].src == NULL) {
		assert_int_equal(o->src_ip.family, 0);
	} else {
		assert_non_null(o->src_ip_text);
		assert_string_equal(o->src_ip_text, expect[k].src);
	}
}

static void
run_case(void **state)
{
	const struct icase *c = *state;
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_SYSLOG, NULL);
	const struct cybex_obs *o;
	struct cybex_diag d;
	int want = rule_expect(c->rule), rc;
	size_t i;

	assert_true(c->nlogs > 0);
	for (i = 0; i < c->nlogs; i++) {
		/*
		 * Each line on its own, as the rules judge it: a reader
		 * that has seen the connection's earlier lines counts a
		 * repeat of the same try once (tests/data/ingest/syslog/
		 * sshd-invalid.in).
		 */
		cybex_ingest_reader_free(r);
		r = it_reader(CYBEX_INGEST_SYSLOG, NULL);
		rc = it_line(r, c->log[i], &o, &d);
		if (rc < 0)
			fail_msg("%s: %lu: %s", c->log[i], d.column, d.message);
		if (getenv("IT_PRINT") != NULL && rc == 1)
			print_message("# [%d %s] %d user=%s target=%s src=%s | "
			    "%s\n", c->rule, c->pass[i] ? "pass" : "fail",
			    o->auth, o->user ? o->user : "-",
			    o->target_user ? o->target_user : "-",
			    o->src_ip_text ? o->src_ip_text : "-", c->log[i]);
		if (!c->pass[i])
			continue;
		if (want == NOVERDICT) {
			if (rc == 1)
				assert_true(o->auth == CYBEX_AUTH_NONE ||
				    o->auth == CYBEX_AUTH_OTHER);
			continue;
		}
		if (rc != 1)
			fail_msg("not read as an observation: %s", c->log[i]);
		assert_int_equal(o->kind, CYBEX_OBS_AUTH);
		if ((int)o->auth != want)
			fail_msg("auth %d, rule %d means %d: %s", o->auth,
			    c->rule, want, c->log[i]);
		assert_non_null(o->auth_service);
		assert_true(o->ts_us != 0);
		check_details(c->log[i], o);
	}
	cybex_ingest_reader_free(r);
}

/* ---- the .ini files ---- */

static void
load_ini(const char *name)
{
	char rel[128], *path, *text, *line, *next, *v;
	struct icase *c = NULL;
	size_t n;

	snprintf(rel, sizeof(rel), "authlog/ruleset/testing/tests/%s", name);
	path = tu_conformance_path(rel);
	if ((text = tu_read_file(path, NULL)) == NULL)
		fail_msg("cannot read %s", path);
	for (line = text; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (line[0] == '[') {
			assert_true(ncases < CASES_MAX);
			c = &cases[ncases++];
			snprintf(c->title, sizeof(c->title), "%s %.*s", name,
			    (int)(n > 2 ? n - 2 : 0), line + 1);
			c->file = name;
			continue;
		}
		if (c == NULL)
			continue;
		if (strncmp(line, "log ", 4) == 0 &&
		    (v = strstr(line, " = ")) != NULL) {
			assert_true(c->nlogs < LOGS_MAX);
			c->pass[c->nlogs] = strstr(line, " pass ") != NULL &&
			    strstr(line, " pass ") < v;
			c->log[c->nlogs] = v + 3;
			c->nlogs++;
		} else if (strncmp(line, "rule = ", 7) == 0) {
			c->rule = num(line + 7);
		}
	}
	free(path);
	/* text stays: the cases point into it until the process ends */
}

int
main(void)
{
	static const char *const files[] = { "sshd.ini", "pam.ini", "su.ini",
	    "sudo.ini", "syslog.ini" };
	size_t i;

	load_rules();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		load_ini(files[i]);
	for (i = 0; i < ncases; i++) {
		tests[i].name = cases[i].title;
		tests[i].test_func = run_case;
		tests[i].initial_state = &cases[i];
	}
	return _cmocka_run_group_tests("ingest_authlog", tests, ncases, NULL,
	    NULL);
}
