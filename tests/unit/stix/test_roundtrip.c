/*
 * Serialization round trip: every object of the official STIX 2.1 examples
 * and the ATT&CK data, read and written back (compact and pretty), reads
 * back as the same JSON data with the same member order, validates the
 * same way, and keeps timestamps exactly as written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static size_t nobjects;

/* Same members in the same order, recursively. */
static bool
same_order(const json_t *a, const json_t *b)
{
	void *ia, *ib;
	size_t i;

	if (json_is_object(a)) {
		for (ia = json_object_iter((json_t *)a),
		    ib = json_object_iter((json_t *)b); ia != NULL && ib != NULL;
		    ia = json_object_iter_next((json_t *)a, ia),
		    ib = json_object_iter_next((json_t *)b, ib)) {
			if (strcmp(json_object_iter_key(ia),
			    json_object_iter_key(ib)) != 0 ||
			    !same_order(json_object_iter_value(ia),
			    json_object_iter_value(ib)))
				return false;
		}
		return ia == NULL && ib == NULL;
	}
	if (json_is_array(a)) {
		for (i = 0; i < json_array_size(a); i++)
			if (!same_order(json_array_get(a, i),
			    json_array_get(b, i)))
				return false;
	}
	return true;
}

static void
roundtrip_file(const char *path)
{
	struct cybex_stix_reader *r;
	struct cybex_stix_result r1, r2;
	struct cybex_stix_item it;
	struct cybex_diag d;
	struct cybex_buf b;
	unsigned flags[2] = { 0, CYBEX_JSON_PRETTY };
	json_t *back;
	int fd, rc, v1, v2;
	size_t k;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(cybex_stix_reader_new(fd, NULL, &r), 0);
	cybex_buf_init(&b, 0);
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		nobjects++;
		v1 = cybex_stix_validate(it.json, NULL, NULL, NULL, NULL, &r1);
		for (k = 0; k < 2; k++) {
			cybex_buf_reset(&b);
			assert_int_equal(cybex_stix_write(it.json, flags[k], &b),
			    0);
			if (cybex_json_parse(b.data, b.len, 0, &back, &d) != 0)
				fail_msg("%s: written object does not parse: %s",
				    path, d.message);
			if (!json_equal(it.json, back) ||
			    !same_order(it.json, back))
				fail_msg("%s %s: round trip changed the object",
				    path, it.pointer);
			v2 = cybex_stix_validate(back, NULL, NULL, NULL, NULL,
			    &r2);
			assert_int_equal(v1, v2);
			assert_int_equal(r1.errors, r2.errors);
			assert_int_equal(r1.warnings, r2.warnings);
			json_decref(back);
		}
	}
	if (rc != 0)
		fail_msg("%s: %s", path, d.message);
	cybex_buf_free(&b);
	cybex_stix_reader_free(r);
	close(fd);
}

static void
walk(const char *dir)
{
	struct dirent *e;
	struct stat st;
	char path[4096];
	DIR *dp = opendir(dir);

	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path);
		else if (strlen(e->d_name) > 5 && strcmp(e->d_name +
		    strlen(e->d_name) - 5, ".json") == 0)
			roundtrip_file(path);
	}
	closedir(dp);
}

static void
test_conformance_roundtrip(void **state)
{
	char *ex = tu_conformance_path("stix21/json-schemas/examples");
	char *att = tu_conformance_path("stix21/attack-data");

	(void)state;
	walk(ex);
	walk(att);
	free(ex);
	free(att);
	assert_true(nobjects > 100);
}

static void
test_precision_kept(void **state)
{
	const char *s = "{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"identity--8c6af861-7b20-41ef-9b59-6344fd872a8f\","
	    "\"created\":\"2016-08-08T15:50:10.983000Z\","
	    "\"modified\":\"2016-08-08T15:50:10.983123456Z\","
	    "\"name\":\"\\u00e9t\\u00e9 \\\"q\\\"\",\"x_n\":0.1,\"x_i\":-7,"
	    "\"x_big\":1e300,\"identity_class\":\"organization\"}";
	struct cybex_buf b;
	struct cybex_diag d;
	json_t *o, *back;

	(void)state;
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_json_parse(s, strlen(s), 0, &o, &d), 0);
	assert_int_equal(cybex_stix_write(o, 0, &b), 0);
	assert_non_null(strstr(b.data, "\"2016-08-08T15:50:10.983000Z\""));
	assert_non_null(strstr(b.data, "\"2016-08-08T15:50:10.983123456Z\""));
	assert_non_null(strstr(b.data, "\"x_n\":0.1"));
	assert_int_equal(cybex_json_parse(b.data, b.len, 0, &back, &d), 0);
	assert_true(json_equal(o, back));
	json_decref(o);
	json_decref(back);
	cybex_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_roundtrip),
		cmocka_unit_test(test_precision_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
