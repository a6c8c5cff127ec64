/* The streaming reader: layouts, positions, limits and malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

static const char *
v_type(const json_t *o)
{
	return json_string_value(json_object_get(o, "type"));
}

#define ID1 "\"id\":\"identity--8c6af861-7b20-41ef-9b59-6344fd872a8f\""

static struct cybex_stix_reader *
open_mem(const char *s, size_t max_object)
{
	struct cybex_stix_opts o = { .max_object_bytes = max_object };
	struct cybex_stix_reader *r;

	assert_int_equal(cybex_stix_reader_new_mem(s, strlen(s), &o, &r), 0);
	return r;
}

static void
test_bundle_streams_objects(void **state)
{
	const char *s =
	    "{\"type\":\"bundle\",\n"
	    " \"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\n"
	    " \"objects\":[\n"
	    "  {\"type\":\"a\"},\n"
	    "  {\"type\":\"b\",\"n\":[1,{\"x\":\"]}\"}]}\n"
	    " ]}";
	struct cybex_stix_reader *r = open_mem(s, 0);
	struct cybex_stix_item it;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_OBJECT);
	assert_true(it.in_bundle);
	assert_string_equal(it.pointer, "/objects/0");
	assert_string_equal(v_type(it.json), "a");
	assert_int_equal(it.line, 4);
	assert_int_equal(it.column, 3);
	assert_int_equal(it.len, strlen("{\"type\":\"a\"}"));
	assert_memory_equal(it.text, "{\"type\":\"a\"}", it.len);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_string_equal(it.pointer, "/objects/1");
	assert_string_equal(v_type(it.json), "b");
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_BUNDLE);
	assert_int_equal(it.nobjects, 2);
	assert_null(json_object_get(it.json, "objects"));
	assert_string_equal(v_type(it.json), "bundle");
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 0);
	cybex_stix_reader_free(r);
}

static void
test_type_after_objects(void **state)
{
	const char *s = "{\"objects\":[{\"type\":\"a\"}],\"type\":\"bundle\","
	    "\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\"}";
	struct cybex_stix_reader *r = open_mem(s, 0);
	struct cybex_stix_item it;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_string_equal(it.pointer, "/objects/0");
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_BUNDLE);
	assert_non_null(json_object_get(it.json, "id"));
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 0);
	cybex_stix_reader_free(r);
}

static void
test_objects_list_in_non_bundle(void **state)
{
	struct cybex_stix_reader *r = open_mem(
	    "{\"type\":\"x-thing\",\"objects\":[1,2]}", 0);
	struct cybex_stix_item it;
	struct cybex_diag d;

	(void)state;
	/* type comes first and is not "bundle": objects is a plain member. */
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_OBJECT);
	assert_int_equal(json_array_size(json_object_get(it.json, "objects")),
	    2);
	cybex_stix_reader_free(r);

	r = open_mem("{\"objects\":[],\"type\":\"report\"}", 0);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), CYBEX_ESTIX);
	cybex_stix_reader_free(r);
}

static void
test_single_object_text(void **state)
{
	const char *s = "  \n {\"type\":\"identity\", " ID1 "}  \n";
	struct cybex_stix_reader *r = open_mem(s, 0);
	struct cybex_stix_item it;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_OBJECT);
	assert_false(it.in_bundle);
	assert_string_equal(it.pointer, "");
	assert_int_equal(it.line, 2);
	assert_int_equal(it.column, 2);
	assert_int_equal(it.offset, 4);
	assert_int_equal(it.len, strlen(s) - 7);
	assert_memory_equal(it.text, s + 4, it.len);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 0);
	cybex_stix_reader_free(r);
}

static void
test_json_lines_and_array(void **state)
{
	struct cybex_stix_reader *r;
	struct cybex_stix_item it;
	struct cybex_diag d;
	int n = 0;

	(void)state;
	r = open_mem("{\"type\":\"a\"}\n{\"type\":\"b\"}\n{\"type\":\"c\"}\n", 0);
	while (cybex_stix_reader_next(r, &it, &d) == 1)
		n++;
	assert_int_equal(n, 3);
	cybex_stix_reader_free(r);

	r = open_mem("[{\"type\":\"a\"},\n {\"type\":\"b\"}]", 0);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_string_equal(it.pointer, "/0");
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_string_equal(it.pointer, "/1");
	assert_int_equal(it.line, 2);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 0);
	cybex_stix_reader_free(r);
}

/* An object far bigger than one read chunk, read through a real file. */
static void
test_big_object_from_fd(void **state)
{
	char path[] = "/tmp/cybex-reader-XXXXXX";
	size_t big = 300 * 1000, i;
	struct cybex_stix_opts o = { 0 };
	struct cybex_stix_reader *r;
	struct cybex_stix_item it;
	struct cybex_diag d;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w+");
	fprintf(f, "{\"type\":\"bundle\",\"objects\":[");
	for (i = 0; i < 3; i++) {
		fprintf(f, "%s{\"type\":\"note\",\"content\":\"", i ? "," : "");
		for (size_t k = 0; k < big; k++)
			fputc('a' + (int)(k % 26), f);
		fprintf(f, "\"}");
	}
	fprintf(f, "]}");
	fflush(f);
	lseek(fd, 0, SEEK_SET);
	assert_int_equal(cybex_stix_reader_new(fd, &o, &r), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
		assert_int_equal(strlen(json_string_value(
		    json_object_get(it.json, "content"))), big);
	}
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 1);
	assert_int_equal(it.kind, CYBEX_STIX_ITEM_BUNDLE);
	assert_int_equal(it.nobjects, 3);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), 0);
	cybex_stix_reader_free(r);
	fclose(f);
	unlink(path);
}

static void
test_limits(void **state)
{
	struct cybex_stix_reader *r;
	struct cybex_stix_item it;
	struct cybex_diag d;
	char deep[300];
	size_t i;

	(void)state;
	r = open_mem("{\"type\":\"bundle\",\"objects\":[{\"type\":\"note\","
	    "\"content\":\"0123456789012345678901234567890123456789\"}]}", 32);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), CYBEX_ETOOBIG);
	assert_non_null(strstr(d.message, "limit of 32 bytes"));
	/* After an error, only errors. */
	assert_true(cybex_stix_reader_next(r, &it, &d) < 0);
	cybex_stix_reader_free(r);

	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (; i < 200; i++)
		deep[i] = ']';
	deep[i] = '\0';
	r = open_mem(deep, 0);
	assert_int_equal(cybex_stix_reader_next(r, &it, &d), CYBEX_ETOOBIG);
	assert_non_null(strstr(d.message, "nesting"));
	cybex_stix_reader_free(r);
}

static void
expect_error(const char *s, int code, unsigned long line, unsigned long col)
{
	struct cybex_stix_reader *r = open_mem(s, 0);
	struct cybex_stix_item it;
	struct cybex_diag d;
	int rc;

	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1)
		;
	if (rc != code || (line != 0 && (d.line != line || d.column != col)))
		fail_msg("%s: got %d at %lu:%lu (%s), wanted %d at %lu:%lu", s,
		    rc, d.line, d.column, d.message, code, line, col);
	cybex_stix_reader_free(r);
}

static void
test_malformed(void **state)
{
	(void)state;
	expect_error("", CYBEX_EJSON, 0, 0);
	expect_error("   \n ", CYBEX_EJSON, 0, 0);
	expect_error("{\"type\":\"bundle\",\"objects\":[{\"a\":1}", CYBEX_EJSON,
	    0, 0);
	expect_error("{\"type\":\"bundle\",\"objects\":[{\"a\":1,}]}",
	    CYBEX_EJSON, 1, 36);
	expect_error("{\"type\":\"bundle\",\n\"objects\":[\n{\"a\":tru}]}",
	    CYBEX_EJSON, 3, 8);	/* inside the bad token */
	expect_error("{\"type\":\"x\",\"type\":\"y\"}", CYBEX_EJSON, 0, 0);
	expect_error("{\"type\" \"x\"}", CYBEX_EJSON, 1, 9);
	expect_error("{\"a\":1 \"b\":2}", CYBEX_EJSON, 1, 8);
	expect_error("[{\"a\":1} {\"b\":2}]", CYBEX_EJSON, 1, 10);
	expect_error("{\"a\":1}]", CYBEX_EJSON, 1, 8);
	expect_error("42", CYBEX_ESTIX, 1, 1);
	expect_error("\"str\"", CYBEX_ESTIX, 1, 1);
	expect_error("{\"a\":\"\\u0000\"}", CYBEX_EJSON, 0, 0);
	expect_error("{\"a\":\"\xff\"}", CYBEX_EJSON, 0, 0);
	expect_error("{\"type\":\"bundle\",\"objects\":[{\"a\":\"\xc3\"}]}",
	    CYBEX_EJSON, 0, 0);
}

static void
test_truncated_everywhere(void **state)
{
	const char *s = "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-5f74-"
	    "4287-9642-33f4c354e56d\",\"objects\":[{\"type\":\"a\",\"l\":[1,2]},"
	    "{\"type\":\"b\"}]}";
	struct cybex_stix_reader *r;
	struct cybex_stix_item it;
	struct cybex_diag d;
	size_t n;
	int rc;

	(void)state;
	/* Every proper prefix is an error, never a crash or a success. */
	for (n = 0; n < strlen(s); n++) {
		assert_int_equal(cybex_stix_reader_new_mem(s, n, NULL, &r), 0);
		while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1)
			;
		if (rc == 0)
			fail_msg("prefix of %zu bytes was accepted", n);
		cybex_stix_reader_free(r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle_streams_objects),
		cmocka_unit_test(test_type_after_objects),
		cmocka_unit_test(test_objects_list_in_non_bundle),
		cmocka_unit_test(test_single_object_text),
		cmocka_unit_test(test_json_lines_and_array),
		cmocka_unit_test(test_big_object_from_fd),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
