/*
 * Golden files: tests/data/ingest/<format>/<case>.in read with the reader
 * of that format (a <case>.map beside a csv case is its mapping) must dump
 * to exactly <case>.exp.  Each file is also read through the line splitter
 * in chunks of 1, 7 and 4096 bytes, which must not change the result.
 * With CYBEX_UPDATE_GOLDEN=1 the .exp files are written instead (review
 * the diff before committing it).
 */
#include <sys/stat.h>

#include <dirent.h>
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

#define CASES_MAX	256

struct gcase {
	enum cybex_ingest_format format;
	char		 name[96];
	char		 in[1024];
};

static struct gcase cases[CASES_MAX];
static struct CMUnitTest tests[CASES_MAX];
static size_t ncases;

static const char *
datadir(void)
{
	const char *p = getenv("CYBEX_TESTDATA");

	return p != NULL ? p : "tests/data";
}

static char *
with_ext(const char *in, const char *ext)
{
	size_t n = strlen(in) - 3;
	char *p = malloc(n + strlen(ext) + 1);

	assert_non_null(p);
	memcpy(p, in, n);
	memcpy(p + n, ext, strlen(ext) + 1);
	return p;
}

static void
golden(void **state)
{
	const struct gcase *c = *state;
	static const size_t chunks[] = { 1, 7, 4096 };
	struct cybex_buf out, again;
	char *text, *map = NULL, *mapfile, *expfile, *exp;
	size_t len, i;
	FILE *f;

	text = tu_read_file(c->in, &len);
	assert_non_null(text);
	mapfile = with_ext(c->in, ".map");
	map = tu_read_file(mapfile, NULL);
	cybex_buf_init(&out, 0);
	it_read_all(c->format, map, text, len, 0, &out);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		cybex_buf_init(&again, 0);
		it_read_all(c->format, map, text, len, chunks[i], &again);
		assert_int_equal(again.len, out.len);
		assert_memory_equal(again.data, out.data, out.len);
		cybex_buf_free(&again);
	}
	expfile = with_ext(c->in, ".exp");
	if (getenv("CYBEX_UPDATE_GOLDEN") != NULL) {
		assert_non_null(f = fopen(expfile, "wb"));
		assert_int_equal(fwrite(out.data != NULL ? out.data : "", 1,
		    out.len, f), out.len);
		assert_int_equal(fclose(f), 0);
	}
	exp = tu_read_file(expfile, NULL);
	if (exp == NULL)
		fail_msg("%s: missing", expfile);
	if (strcmp(exp, out.data != NULL ? out.data : "") != 0) {
		print_message("# got:\n%s", out.data != NULL ? out.data : "");
		fail_msg("%s differs from what was read", expfile);
	}
	free(exp);
	free(expfile);
	free(mapfile);
	free(map);
	free(text);
	cybex_buf_free(&out);
}

static int
case_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gcase *)a)->name,
	    ((const struct gcase *)b)->name);
}

static void
collect(enum cybex_ingest_format f)
{
	char dir[512];
	struct dirent *de;
	size_t n;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/ingest/%s", datadir(),
	    cybex_ingest_format_name(f));
	if ((dp = opendir(dir)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL && ncases < CASES_MAX) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".in") != 0)
			continue;
		cases[ncases].format = f;
		snprintf(cases[ncases].name, sizeof(cases[ncases].name),
		    "%s/%.*s", cybex_ingest_format_name(f), (int)(n - 3),
		    de->d_name);
		snprintf(cases[ncases].in, sizeof(cases[ncases].in), "%s/%s",
		    dir, de->d_name);
		ncases++;
	}
	closedir(dp);
}

int
main(void)
{
	int f;
	size_t i;

	for (f = 0; f < CYBEX_INGEST_FORMAT_MAX; f++)
		collect((enum cybex_ingest_format)f);
	qsort(cases, ncases, sizeof(cases[0]), case_cmp);
	if (ncases == 0) {
		fprintf(stderr, "no golden files under %s/ingest\n", datadir());
		return 1;
	}
	for (i = 0; i < ncases; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = golden;
		tests[i].initial_state = &cases[i];
	}
	return _cmocka_run_group_tests("ingest_golden", tests, ncases, NULL,
	    NULL);
}
