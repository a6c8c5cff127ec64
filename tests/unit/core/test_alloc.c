/* Unit tests for lib/core/alloc.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static long nmalloc, nrealloc, nfree;

static void *
count_malloc(size_t n)
{
	nmalloc++;
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n)
{
	nrealloc++;
	return realloc(p, n);
}

static void
count_free(void *p)
{
	if (p != NULL)
		nfree++;
	free(p);
}

static int
teardown_allocator(void **state)
{
	(void)state;
	cybex_set_allocator(NULL);
	return 0;
}

static void
test_hooks(void **state)
{
	static const struct cybex_allocator a = {
		count_malloc, count_realloc, count_free,
	};
	struct cybex_allocator partial = { count_malloc, NULL, NULL };
	json_t *j;
	void *p;

	(void)state;
	nmalloc = nrealloc = nfree = 0;
	cybex_set_allocator(&a);
	p = cybex_malloc(10);
	assert_non_null(p);
	assert_int_equal(nmalloc, 1);
	p = cybex_realloc(p, 100);
	assert_non_null(p);
	assert_int_equal(nrealloc, 1);
	cybex_free(p);
	assert_int_equal(nfree, 1);
	cybex_free(NULL);
	assert_int_equal(nfree, 1);

	/* jansson allocates through the same hooks. */
	nmalloc = nfree = 0;
	j = json_pack("{s:[i,s]}", "k", 1, "v");
	assert_non_null(j);
	assert_true(nmalloc > 0);
	json_decref(j);
	assert_int_equal(nfree, nmalloc);

	/* NULL restores the C library: the counters stop moving. */
	cybex_set_allocator(NULL);
	nmalloc = 0;
	p = cybex_malloc(10);
	cybex_free(p);
	j = json_object();
	json_decref(j);
	assert_int_equal(nmalloc, 0);

	/* Incomplete hooks are never mixed with libc: libc is used. */
	cybex_set_allocator(&partial);
	p = cybex_malloc(10);
	cybex_free(p);
	assert_int_equal(nmalloc, 0);
}

static void
test_overflow(void **state)
{
	void *p;

	(void)state;
	assert_null(cybex_calloc(SIZE_MAX / 2, 3));
	assert_null(cybex_calloc(3, SIZE_MAX / 2));
	assert_null(cybex_reallocarray(NULL, SIZE_MAX / 4, 8));
	/* Products that wrap to a small number must not "succeed". */
	assert_null(cybex_calloc(((size_t)1 << (sizeof(size_t) * 8 - 4)) + 1,
	    16));
	assert_null(cybex_reallocarray(NULL,
	    ((size_t)1 << (sizeof(size_t) * 8 - 4)) + 1, 16));
	p = cybex_calloc(16, 4);
	assert_non_null(p);
	assert_int_equal(((unsigned char *)p)[63], 0);
	p = cybex_reallocarray(p, 32, 4);
	assert_non_null(p);
	/* A failed reallocarray leaves the original block alive. */
	assert_null(cybex_reallocarray(p, SIZE_MAX, 2));
	((unsigned char *)p)[127] = 1;
	cybex_free(p);
}

static void
test_zero_sizes(void **state)
{
	void *p, *q;

	(void)state;
	/* Zero-byte requests still give a freeable, distinct pointer. */
	p = cybex_malloc(0);
	q = cybex_malloc(0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	cybex_free(q);
	p = cybex_realloc(p, 0);
	assert_non_null(p);
	cybex_free(p);
	p = cybex_calloc(0, 8);
	assert_non_null(p);
	cybex_free(p);
}

/* An allocator that, like some do, returns NULL for 0 bytes. */
static void *
null0_malloc(size_t n)
{
	return n == 0 ? NULL : malloc(n);
}

static void *
null0_realloc(void *p, size_t n)
{
	if (n == 0) {
		free(p);
		return NULL;
	}
	return realloc(p, n);
}

static void
test_zero_sizes_strict_allocator(void **state)
{
	static const struct cybex_allocator a = {
		null0_malloc, null0_realloc, free,
	};
	void *p;

	(void)state;
	cybex_set_allocator(&a);
	/* NULL must only ever mean out of memory. */
	p = cybex_malloc(0);
	assert_non_null(p);
	p = cybex_realloc(p, 0);
	assert_non_null(p);
	cybex_free(p);
	p = cybex_calloc(0, 0);
	assert_non_null(p);
	cybex_free(p);
}

static void
test_strdup(void **state)
{
	char *s;

	(void)state;
	s = cybex_strdup("hello");
	assert_string_equal(s, "hello");
	cybex_free(s);
	s = cybex_strdup("");
	assert_string_equal(s, "");
	cybex_free(s);
	s = cybex_strndup("hello", 3);
	assert_string_equal(s, "hel");
	cybex_free(s);
	s = cybex_strndup("he\0llo", 6);
	assert_string_equal(s, "he");
	cybex_free(s);
	s = cybex_strndup("abc", 0);
	assert_string_equal(s, "");
	cybex_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hooks, teardown_allocator),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_zero_sizes),
		cmocka_unit_test_teardown(test_zero_sizes_strict_allocator,
		    teardown_allocator),
		cmocka_unit_test(test_strdup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
