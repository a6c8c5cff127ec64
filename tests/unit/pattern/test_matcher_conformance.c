/*
 * Differential test against the OASIS pattern matcher: every case of its
 * own test suite (stix2matcher/test/v21, turned into data by
 * tests/tools/extract-matcher-cases.py: the pattern, the observations and
 * the verdict the reference test expects) is run through cybex's parser
 * and evaluator.
 *
 *   match / nomatch          cybex must parse the pattern, load the
 *                            observations and give the same verdict
 *   parse-error, matcher-    cybex must refuse the pattern or the
 *   error                    observations (the reference raises either at
 *                            parse or at evaluation; which one is its own
 *                            implementation detail)
 *
 * Cases where cybex deliberately differs are listed, each with its reason,
 * in matcher_divergences.txt beside the data (see docs/internals/pattern.md).
 * The test fails on any other disagreement, and on a listed case that now
 * agrees (so the list is kept exact).  The agreement is printed.
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

static json_t *cases;
static char *divergent;	/* the divergence list, one "file test" a line */

static int
setup(void **state)
{
	char *path = tu_conformance_path("stix21/pattern-matcher/"
	    "matcher_cases.json");
	char *dpath = tu_conformance_path("stix21/pattern-matcher/"
	    "matcher_divergences.txt");
	json_error_t err;
	size_t len;

	(void)state;
	cases = json_load_file(path, 0, &err);
	if (cases == NULL)
		print_error("cannot read %s: %s\n", path, err.text);
	divergent = tu_read_file(dpath, &len);
	free(path);
	free(dpath);
	return cases == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(cases);
	free(divergent);
	return 0;
}

/* "match", "nomatch" or "error" (pattern or observations refused). */
static const char *
run_case(const json_t *c, char *why, size_t whylen)
{
	const char *text = json_string_value(json_object_get(c, "pattern"));
	const json_t *obs = json_object_get(c, "observations");
	struct cybex_pattern_opts po = { 0 };
	struct cybex_pattern *p = NULL;
	struct cybex_pattern_obsset *s = NULL;
	struct cybex_pattern_result r = { 0 };
	struct cybex_diag d;
	const char *v = "error";
	size_t i;

	why[0] = '\0';
	if (cybex_pattern_new(text, strlen(text), &po, NULL, NULL, &p,
	    &d) != 0) {
		snprintf(why, whylen, "pattern: column %lu: %s", d.column,
		    d.message);
		goto out;
	}
	assert_int_equal(cybex_pattern_obsset_new(0, &s), 0);
	for (i = 0; i < json_array_size(obs); i++)
		if (cybex_pattern_obsset_add_json(s, json_array_get(obs, i),
		    NULL, &d) != 0) {
			snprintf(why, whylen, "observations: %s", d.message);
			goto out;
		}
	if (cybex_pattern_match(p, s, NULL, &r, &d) != 0) {
		snprintf(why, whylen, "match: %s", d.message);
		goto out;
	}
	v = r.matched ? "match" : "nomatch";
out:
	cybex_pattern_result_clear(&r);
	cybex_pattern_obsset_free(s);
	cybex_pattern_free(p);
	return v;
}

static bool
listed(const char *file, const char *test)
{
	char key[512];
	const char *q;
	size_t n;

	n = (size_t)snprintf(key, sizeof(key), "%s %s", file, test);
	for (q = divergent; q != NULL && (q = strstr(q, key)) != NULL;
	    q += n)
		if ((q == divergent || q[-1] == '\n') &&
		    (q[n] == '\n' || q[n] == ' ' || q[n] == '\0'))
			return true;
	return false;
}

static void
test_matcher_cases(void **state)
{
	const json_t *all = json_object_get(cases, "cases");
	size_t i, agree = 0, bad = 0, nlisted = 0;
	char why[512];

	(void)state;
	assert_true(json_array_size(all) > 400);
	for (i = 0; i < json_array_size(all); i++) {
		const json_t *c = json_array_get(all, i);
		const char *file = json_string_value(json_object_get(c,
		    "file"));
		const char *test = json_string_value(json_object_get(c,
		    "test"));
		const char *want = json_string_value(json_object_get(c,
		    "expect"));
		const char *got = run_case(c, why, sizeof(why));
		bool same = strcmp(want, got) == 0 ||
		    (strcmp(got, "error") == 0 && strstr(want, "error"));
		bool dl = listed(file, test);

		if (same)
			agree++;
		if (dl)
			nlisted++;
		if (same == dl) {
			bad++;
			print_error("%s %s: %s: expected %s, cybex %s %s\n  %s\n",
			    file, test, dl ? "listed as divergent but agrees" :
			    "disagrees", want, got, why,
			    json_string_value(json_object_get(c, "pattern")));
		}
	}
	print_message("pattern matcher cases: %zu, agreeing %zu (%.1f%%), "
	    "listed divergences %zu\n", json_array_size(all), agree,
	    100.0 * (double)agree / (double)json_array_size(all), nlisted);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matcher_cases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
