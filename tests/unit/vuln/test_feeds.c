/*
 * The CISA KEV catalogue and FIRST EPSS readers (cybex_kev_read,
 * cybex_epss_read) against golden files in tests/data/{kev,epss}/, and
 * the priority order (cybex_vuln_prio_cmp).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/vuln.h"

#include "golden.h"
#include "testutil.h"

struct collect {
	struct cybex_buf	 out;
	unsigned		 n;
	int			 stop_after;	/* 0: never */
};

static int
collect(void *ud, json_t *obj)
{
	struct collect *c = ud;
	struct tu_diags ds;
	struct cybex_buf one;

	cybex_buf_init(&one, 0);
	assert_int_equal(cybex_json_write(obj, 0, &one), 0);
	assert_int_equal(cybex_buf_putc(&one, '\0'), 0);
	/*
	 * Valid STIX; the warnings are the deterministic UUIDv5 id and the
	 * custom object type not defined by an extension-definition
	 * (extensions-use, check 401).
	 */
	if (tu_validate(one.data, 0, &ds) != 0 || ds.warnings -
	    tu_count_rule(&ds, "custom-without-extension") > 1) {
		tu_dump(&ds);
		fail_msg("not valid STIX: %s", one.data);
	}
	cybex_buf_append(&c->out, one.data, one.len - 1);
	cybex_buf_putc(&c->out, '\n');
	cybex_buf_free(&one);
	c->n++;
	if (c->stop_after != 0 && (int)c->n == c->stop_after)
		return CYBEX_EIO;
	return 0;
}

typedef int (*reader_fn)(const char *, size_t, cybex_vuln_obj_fn, void *,
    struct cybex_diag *);

static int
run(reader_fn fn, const char *rel, struct collect *c, struct cybex_diag *d)
{
	char *path = golden_path(rel), *buf;
	size_t len;
	int r;

	buf = tu_read_file(path, &len);
	if (buf == NULL)
		fail_msg("cannot read %s", path);
	cybex_diag_clear(d);
	r = fn(buf, len, collect, c, d);
	free(buf);
	free(path);
	return r;
}

static void
golden_good(reader_fn fn, const char *dir, const char *ext,
    const char *const *cases, size_t ncases, const unsigned *counts)
{
	struct cybex_diag d;
	struct collect c;
	char rel[128], *path;
	size_t i;

	for (i = 0; i < ncases; i++) {
		memset(&c, 0, sizeof(c));
		cybex_buf_init(&c.out, 0);
		snprintf(rel, sizeof(rel), "%s/%s%s", dir, cases[i], ext);
		if (run(fn, rel, &c, &d) != 0)
			fail_msg("%s: %lu:%lu: %s [%s]", rel, d.line, d.column,
			    d.message, d.pointer);
		assert_int_equal(c.n, counts[i]);
		snprintf(rel, sizeof(rel), "%s/%s.exp", dir, cases[i]);
		path = golden_path(rel);
		assert_int_equal(golden_check(path, c.out.data, c.out.len), 0);
		free(path);
		cybex_buf_free(&c.out);
	}
}

static void
golden_bad(reader_fn fn, const char *dir, const char *ext, size_t min)
{
	struct cybex_diag d;
	struct collect c;
	char **names, rel[160], msg[1024], *path;
	size_t n, i;
	int r, len;

	snprintf(rel, sizeof(rel), "%s/bad", dir);
	path = golden_path(rel);
	names = golden_list(path, ext, &n);
	free(path);
	assert_true(n >= min);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		cybex_buf_init(&c.out, 0);
		snprintf(rel, sizeof(rel), "%s/bad/%s", dir, names[i]);
		if ((r = run(fn, rel, &c, &d)) == 0)
			fail_msg("%s: accepted", rel);
		/* Checked whole before the first object is handed out. */
		assert_int_equal(c.n, 0);
		assert_true(d.line > 0 && d.column > 0);
		len = snprintf(msg, sizeof(msg), "%lu:%lu: %s: %s: %s\n",
		    d.line, d.column, cybex_strerror(r), d.pointer, d.message);
		snprintf(rel, sizeof(rel), "%s/bad/%.*s.err", dir,
		    (int)(strlen(names[i]) - strlen(ext)), names[i]);
		path = golden_path(rel);
		assert_int_equal(golden_check(path, msg, (size_t)len), 0);
		free(path);
		cybex_buf_free(&c.out);
	}
	golden_list_free(names, n);
}

static void
test_kev(void **state)
{
	static const char *const cases[] = { "catalog" };
	static const unsigned counts[] = { 3 };

	(void)state;
	golden_good(cybex_kev_read, "kev", ".json", cases, 1, counts);
	golden_bad(cybex_kev_read, "kev", ".json", 8);
}

static void
test_epss(void **state)
{
	static const char *const cases[] = { "scores", "scores-crlf" };
	static const unsigned counts[] = { 4, 2 };

	(void)state;
	golden_good(cybex_epss_read, "epss", ".csv", cases, 2, counts);
	golden_bad(cybex_epss_read, "epss", ".csv", 8);
}

/* What the objects hold, beyond the golden text. */
static void
test_fields(void **state)
{
	struct cybex_diag d;
	struct collect c;
	json_t *o;
	char vref[64];

	(void)state;
	memset(&c, 0, sizeof(c));
	cybex_buf_init(&c.out, 0);
	assert_int_equal(run(cybex_kev_read, "kev/catalog.json", &c, &d), 0);
	/* The first line is the first entry. */
	o = json_loadb(c.out.data, strcspn(c.out.data, "\n"), 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "cve_id")),
	    "CVE-2099-0001");
	assert_int_equal(cybex_vuln_id("CVE-2099-0001", vref, sizeof(vref)),
	    0);
	assert_string_equal(json_string_value(json_object_get(o,
	    "vulnerability_ref")), vref);
	assert_string_equal(json_string_value(json_object_get(o, "created")),
	    "2099-02-01T00:00:00.000Z");
	assert_string_equal(json_string_value(json_object_get(o, "modified")),
	    "2099-02-03T14:00:12.500Z");
	assert_string_equal(json_string_value(json_object_get(o,
	    "known_ransomware_campaign_use")), "Known");
	json_decref(o);
	cybex_buf_free(&c.out);

	memset(&c, 0, sizeof(c));
	cybex_buf_init(&c.out, 0);
	assert_int_equal(run(cybex_epss_read, "epss/scores.csv", &c, &d), 0);
	o = json_loadb(c.out.data, strcspn(c.out.data, "\n"), 0, NULL);
	assert_non_null(o);
	assert_true(json_real_value(json_object_get(o, "epss")) == 0.00043);
	assert_string_equal(json_string_value(json_object_get(o,
	    "score_date")), "2099-02-03T00:00:00.000Z");
	assert_string_equal(json_string_value(json_object_get(o,
	    "model_version")), "v2023.03.01");
	json_decref(o);
	cybex_buf_free(&c.out);

	/* A callback's error stops the read and is returned. */
	memset(&c, 0, sizeof(c));
	cybex_buf_init(&c.out, 0);
	c.stop_after = 2;
	assert_int_equal(run(cybex_epss_read, "epss/scores.csv", &c, &d),
	    CYBEX_EIO);
	assert_int_equal(c.n, 2);
	cybex_buf_free(&c.out);
}

static void
test_prio(void **state)
{
	const struct cybex_vuln_prio kev_low = { true, 0.01, 5.0 };
	const struct cybex_vuln_prio hi_epss = { false, 0.9, 4.0 };
	const struct cybex_vuln_prio lo_epss = { false, 0.2, 10.0 };
	const struct cybex_vuln_prio lo_epss_lo_cvss = { false, 0.2, 3.0 };
	const struct cybex_vuln_prio no_epss = { false, -1, 10.0 };
	const struct cybex_vuln_prio nothing = { false, -1, -1 };

	(void)state;
	/* KEV beats any EPSS and CVSS. */
	assert_true(cybex_vuln_prio_cmp(&kev_low, &hi_epss) < 0);
	/* A higher EPSS beats a higher CVSS. */
	assert_true(cybex_vuln_prio_cmp(&hi_epss, &lo_epss) < 0);
	/* Same EPSS: the higher CVSS first. */
	assert_true(cybex_vuln_prio_cmp(&lo_epss, &lo_epss_lo_cvss) < 0);
	/* A known EPSS, however low, before an unknown one. */
	assert_true(cybex_vuln_prio_cmp(&lo_epss_lo_cvss, &no_epss) < 0);
	assert_true(cybex_vuln_prio_cmp(&no_epss, &nothing) < 0);
	assert_true(cybex_vuln_prio_cmp(&nothing, &kev_low) > 0);
	assert_int_equal(cybex_vuln_prio_cmp(&lo_epss, &lo_epss), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kev),
		cmocka_unit_test(test_epss),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_prio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
