/*
 * CVSS scoring against every vector file of the conformance data
 * (cvss/redhat/vectors_*: "VECTOR - (base, temporal, environmental)", v4:
 * "(score,)"; cvss/js-cvss: valid, invalid and scored vectors), the
 * floating-point traps of Roundup, and the strictness of the parser.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cybex/vuln.h"
#include "testutil.h"
#include "vuln_int.h"

static bool
same(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* Parse "(x, y, z)" into up to 3 numbers; NAN for None or absent. */
static void
expected(const char *s, double e[3])
{
	char *end;
	int i;

	e[0] = e[1] = e[2] = NAN;
	if ((s = strchr(s, '(')) == NULL)
		return;
	s++;
	for (i = 0; i < 3 && *s != '\0' && *s != ')'; i++) {
		while (*s == ' ')
			s++;
		if (strncmp(s, "None", 4) == 0) {
			s += 4;
		} else {
			e[i] = strtod(s, &end);
			if (end == s)
				break;
			s = end;
		}
		if (*s == ',')
			s++;
	}
}

static void
vector_file(const char *name, size_t want)
{
	char rel[128], *path, *buf, *line, *nl, *sep;
	struct cybex_cvss c;
	struct cybex_diag d;
	size_t len, n = 0, bad = 0;
	double e[3];

	snprintf(rel, sizeof(rel), "cvss/redhat/%s", name);
	path = tu_conformance_path(rel);
	buf = tu_read_file(path, &len);
	assert_non_null(buf);
	for (line = buf; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		if ((sep = strstr(line, " - ")) == NULL || sep > nl)
			break;
		n++;
		expected(sep, e);
		if (cybex_cvss_read(line, (size_t)(sep - line), &c, &d) != 0) {
			print_message("%s: %.*s: %s\n", name,
			    (int)(sep - line), line, d.message);
			bad++;
		} else if (c.version == CYBEX_CVSS_V40) {
			if (!same(c.score, e[0])) {
				print_message("%s: %.*s: %.1f, want %.1f\n",
				    name, (int)(sep - line), line, c.score,
				    e[0]);
				bad++;
			}
		} else if (!same(c.base, e[0]) ||
		    (!isnan(e[1]) && !same(c.temporal, e[1])) ||
		    (!isnan(e[2]) && !same(c.environmental, e[2]))) {
			print_message("%s: %.*s: %.1f %.1f %.1f, want %.1f %.1f "
			    "%.1f\n", name, (int)(sep - line), line, c.base,
			    c.temporal, c.environmental, e[0], e[1], e[2]);
			bad++;
		}
		if (*nl == '\0')
			break;
	}
	print_message("# %s: %zu of %zu vectors give their expected scores\n",
	    name, n - bad, n);
	assert_int_equal(n, want);
	assert_int_equal(bad, 0);
	free(buf);
	free(path);
}

static void test_simple2(void **s) { (void)s; vector_file("vectors_simple2", 729); }
static void test_cvsslib2(void **s) { (void)s; vector_file("vectors_cvsslib2", 24); }
static void test_simple3(void **s) { (void)s; vector_file("vectors_simple3", 2592); }
static void test_simple31(void **s) { (void)s; vector_file("vectors_simple31", 2592); }
static void test_cvsslib3(void **s) { (void)s; vector_file("vectors_cvsslib3", 29); }
static void test_simple4(void **s) { (void)s; vector_file("vectors_simple4", 1058); }

static void
test_js_cvss(void **state)
{
	static const char *const vers[] = { "cvss20", "cvss30", "cvss31",
	    "cvss40" };
	char *path = tu_conformance_path(
	    "cvss/js-cvss/_extracted/js-cvss-test-vectors.json");
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *set, *t;
	struct cybex_cvss c;
	struct cybex_diag d;
	size_t i, k, n = 0;
	const char *vec;

	(void)state;
	assert_non_null(root);
	for (i = 0; i < 4; i++) {
		set = json_object_get(json_object_get(root, vers[i]), "valid");
		json_array_foreach(set, k, t) {
			vec = json_string_value(json_object_get(t, "vector"));
			if (cybex_cvss_read(vec, strlen(vec), &c, &d) != 0)
				fail_msg("%s should be valid: %s", vec,
				    d.message);
			n++;
		}
		set = json_object_get(json_object_get(root, vers[i]),
		    "invalid");
		json_array_foreach(set, k, t) {
			vec = json_string_value(json_object_get(t, "vector"));
			if (cybex_cvss_read(vec, strlen(vec), &c, &d) == 0)
				fail_msg("%s should be invalid", vec);
			assert_int_equal(d.code, CYBEX_EFORMAT);
			n++;
		}
		set = json_object_get(json_object_get(root, vers[i]), "Score");
		json_array_foreach(set, k, t) {
			json_t *x;

			vec = json_string_value(json_object_get(t, "vector"));
			assert_int_equal(cybex_cvss_read(vec, strlen(vec), &c,
			    &d), 0);
			if ((x = json_object_get(t, "score")) != NULL) {
				assert_true(same(c.score,
				    json_number_value(x)));
				assert_string_equal(c.nomenclature,
				    json_string_value(json_object_get(t,
				    "nomenclature")));
			}
			if ((x = json_object_get(t, "baseScore")) != NULL)
				assert_true(same(c.base, json_number_value(x)));
			if ((x = json_object_get(t, "temporalScore")) != NULL)
				assert_true(same(c.temporal,
				    json_number_value(x)));
			if ((x = json_object_get(t, "environmentalScore")) !=
			    NULL)
				assert_true(same(c.environmental,
				    json_number_value(x)));
			n++;
		}
	}
	print_message("# js-cvss: %zu vectors as expected\n", n);
	assert_true(n >= 40);
	json_decref(root);
	free(path);
}

/* Roundup's floating-point traps (v3.1 Appendix A) and the ratings. */
static void
test_roundup_traps(void **state)
{
	static const struct {
		const char	*vec;
		double		 score;
		const char	*rating;
	} t[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8,
		    "Critical" },
		{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5,
		    "Medium" },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0,
		    "None" },
		{ "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "High" },
		{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/"
		    "SI:H/SA:H", 10.0, "Critical" },
	};
	struct cybex_cvss c;
	struct cybex_diag d;
	size_t i;

	(void)state;
	assert_true(same(cvss_roundup(4.000000000000001), 4.0));
	assert_true(same(cvss_roundup(8.55), 8.6));
	assert_true(same(cvss_roundup(4.02), 4.1));
	assert_true(same(cvss_roundup(0.1 + 0.2), 0.3));
	assert_true(same(cvss_roundup(10.0), 10.0));
	assert_true(same(cvss_roundup(9.99999), 10.0));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(cybex_cvss_read(t[i].vec, strlen(t[i].vec),
		    &c, &d), 0);
		if (!same(c.score, t[i].score))
			fail_msg("%s: %.15g, want %.1f", t[i].vec, c.score,
			    t[i].score);
		assert_string_equal(cybex_cvss_rating_name(c.rating),
		    t[i].rating);
	}
}

/* Each malformed vector: CYBEX_EFORMAT at its column, with why. */
static void
test_strict(void **state)
{
	static const struct {
		const char	*vec;
		unsigned long	 col;
		const char	*why;
	} t[] = {
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", 41,
		    "base metric A is missing" },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L", 46,
		    "metric A given twice" },
		{ "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 13,
		    "AV takes one of N A L P" },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", 46,
		    "empty metric" },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", 46,
		    "unknown metric 'ZZ'" },
		{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E", 46,
		    "is not METRIC:VALUE" },
		{ "AV:N/AC:L/C:P/Au:N/I:P/A:P", 11,
		    "metric C out of order (Au comes before it)" },
		{ "AV:N/AC:L/Au:N/C:P/I:P/A:P/RL:OF/E:F", 34,
		    "metric E out of order (it comes before RL)" },
		{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VC:H/VA:H/SC:H/"
		    "SI:H/SA:H", 35, "out of order" },
		{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/"
		    "SI:S/SA:H", 58, "SI takes one of H L N" },
		{ "CVSS:3.2/AV:N", 6, "unknown CVSS version '3.2'" },
		{ "", 1, "empty CVSS vector" },
	};
	struct cybex_cvss c;
	struct cybex_diag d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cybex_diag_clear(&d);
		assert_int_equal(cybex_cvss_read(t[i].vec, strlen(t[i].vec),
		    &c, &d), CYBEX_EFORMAT);
		if (strstr(d.message, t[i].why) == NULL || d.column != t[i].col)
			fail_msg("%s: column %lu '%s', want %lu '%s'",
			    t[i].vec, d.column, d.message, t[i].col, t[i].why);
	}
}

/* Hostile input: the length cap, and no raw control byte in a message. */
static void
test_hostile(void **state)
{
	static const char esc[] =
	    "CVSS:3.1/AV:\x1b[31mN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	struct cybex_cvss c;
	struct cybex_diag d;
	char *big;
	size_t i;

	(void)state;
	big = malloc(100000);
	assert_non_null(big);
	memset(big, 'A', 100000);
	assert_int_equal(cybex_cvss_read(big, 100000, &c, &d), CYBEX_ETOOBIG);
	free(big);
	assert_int_equal(cybex_cvss_read(esc, strlen(esc), &c, &d),
	    CYBEX_EFORMAT);
	for (i = 0; d.message[i] != '\0'; i++)
		assert_true((unsigned char)d.message[i] >= 0x20);
	/* A NUL inside the length is a bad value, not the end. */
	assert_int_equal(cybex_cvss_read("AV:N\0AC:L", 9, &c, &d),
	    CYBEX_EFORMAT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple2),
		cmocka_unit_test(test_cvsslib2),
		cmocka_unit_test(test_simple3),
		cmocka_unit_test(test_simple31),
		cmocka_unit_test(test_cvsslib3),
		cmocka_unit_test(test_simple4),
		cmocka_unit_test(test_js_cvss),
		cmocka_unit_test(test_roundup_traps),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
