/* Unit tests for lib/core/arena.c. */
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/* Counting allocator: how many blocks are live right now. */
static long live;

static void *
count_malloc(size_t n)
{
	void *p = malloc(n);

	if (p != NULL)
		live++;
	return p;
}

static void *
count_realloc(void *p, size_t n)
{
	void *np = realloc(p, n);

	if (p == NULL && np != NULL)
		live++;
	return np;
}

static void
count_free(void *p)
{
	if (p != NULL)
		live--;
	free(p);
}

static const struct cybex_allocator counting = {
	count_malloc, count_realloc, count_free,
};

static int
teardown_allocator(void **state)
{
	(void)state;
	cybex_set_allocator(NULL);
	return 0;
}

static void
test_alignment(void **state)
{
	struct cybex_arena *a;
	unsigned char *p[200];
	size_t i, j, n;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	for (i = 0; i < 200; i++) {
		n = i % 37 + (i % 5 == 0 ? 5000 : 0);
		p[i] = cybex_arena_alloc(a, n);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		memset(p[i], (int)i, n);
	}
	/* Nothing overlapped: every block still holds its own pattern. */
	for (i = 0; i < 200; i++) {
		n = i % 37 + (i % 5 == 0 ? 5000 : 0);
		for (j = 0; j < n; j++)
			assert_int_equal(p[i][j], (unsigned char)i);
	}
	/* Types that need the strictest alignment work. */
	{
		long double *ld = cybex_arena_alloc(a, sizeof(*ld) * 3);

		assert_non_null(ld);
		ld[2] = 1.5L;
		assert_true(ld[2] == 1.5L);
	}
	cybex_arena_free(a);
}

static void
test_cap(void **state)
{
	struct cybex_arena *a;
	size_t al = alignof(max_align_t);

	(void)state;
	assert_int_equal(cybex_arena_new(1024, &a), 0);
	assert_int_equal(cybex_arena_used(a), 0);
	assert_non_null(cybex_arena_alloc(a, 1024 - al - 3));
	assert_int_equal(cybex_arena_used(a), 1024 - al);
	assert_null(cybex_arena_alloc(a, al + 1));	/* rounds past cap */
	assert_int_equal(cybex_arena_used(a), 1024 - al);
	assert_non_null(cybex_arena_alloc(a, al));
	assert_int_equal(cybex_arena_used(a), 1024);
	assert_null(cybex_arena_alloc(a, 1));
	assert_null(cybex_arena_strndup(a, "x", 1));
	/* A reset gives the whole cap back. */
	cybex_arena_reset(a);
	assert_int_equal(cybex_arena_used(a), 0);
	assert_non_null(cybex_arena_alloc(a, 1024));
	assert_null(cybex_arena_alloc(a, 1));
	cybex_arena_free(a);

	/* Huge requests fail cleanly rather than wrapping. */
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_null(cybex_arena_alloc(a, SIZE_MAX));
	assert_null(cybex_arena_alloc(a, SIZE_MAX - 3));
	/* Default cap is 64 MiB. */
	assert_null(cybex_arena_alloc(a, ((size_t)64 << 20) + 1));
	assert_non_null(cybex_arena_alloc(a, (size_t)1 << 20));
	assert_int_equal(cybex_arena_used(a), (size_t)1 << 20);
	cybex_arena_free(a);
}

static void
test_reset_keeps_one_block(void **state)
{
	struct cybex_arena *a;
	long base, after_first;
	int i;

	(void)state;
	cybex_set_allocator(&counting);
	live = 0;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	base = live;				/* the arena itself */
	assert_non_null(cybex_arena_alloc(a, 10));
	after_first = live;
	assert_int_equal(after_first, base + 1);
	/* Small allocations share blocks. */
	for (i = 0; i < 10; i++)
		assert_non_null(cybex_arena_alloc(a, 16));
	assert_int_equal(live, after_first);
	/* Many more small ones and some big ones need more blocks. */
	for (i = 0; i < 100; i++)
		assert_non_null(cybex_arena_alloc(a, 1000));
	for (i = 0; i < 5; i++)
		assert_non_null(cybex_arena_alloc(a, 100000));
	assert_true(live > after_first + 5);

	cybex_arena_reset(a);
	assert_int_equal(cybex_arena_used(a), 0);
	assert_int_equal(live, base + 1);	/* exactly one block kept */
	/* And it is reused: a small allocation needs no new memory. */
	assert_non_null(cybex_arena_alloc(a, 100));
	assert_int_equal(live, base + 1);
	cybex_arena_reset(a);
	cybex_arena_reset(a);
	assert_int_equal(live, base + 1);
	cybex_arena_free(a);
	assert_int_equal(live, 0);

	/* Reset of an arena that only ever held a big block. */
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_non_null(cybex_arena_alloc(a, 200000));
	cybex_arena_reset(a);
	assert_int_equal(live, base);
	assert_non_null(cybex_arena_alloc(a, 8));
	cybex_arena_free(a);
	assert_int_equal(live, 0);
	cybex_arena_free(NULL);
}

static void
test_big_and_small_interleave(void **state)
{
	struct cybex_arena *a;
	unsigned char *small1, *big, *small2;
	size_t i;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	small1 = cybex_arena_alloc(a, 32);
	big = cybex_arena_alloc(a, 1 << 20);
	small2 = cybex_arena_alloc(a, 32);
	assert_non_null(small1);
	assert_non_null(big);
	assert_non_null(small2);
	memset(small1, 1, 32);
	memset(big, 2, 1 << 20);
	memset(small2, 3, 32);
	/* The big block did not end the current block: small2 follows. */
	assert_ptr_equal(small2, small1 + 32);
	for (i = 0; i < 32; i++) {
		assert_int_equal(small1[i], 1);
		assert_int_equal(small2[i], 3);
	}
	assert_int_equal(big[0], 2);
	assert_int_equal(big[(1 << 20) - 1], 2);
	cybex_arena_free(a);
}

static void
test_strndup(void **state)
{
	struct cybex_arena *a;
	char *s;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	s = cybex_arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	s = cybex_arena_strndup(a, "hi\0there", 8);
	assert_string_equal(s, "hi");
	s = cybex_arena_strndup(a, "", 0);
	assert_string_equal(s, "");
	/* Reads no more than n bytes: no NUL needed within n. */
	s = cybex_arena_strndup(a, "abc", 2);
	assert_string_equal(s, "ab");
	cybex_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_cap),
		cmocka_unit_test_teardown(test_reset_keeps_one_block,
		    teardown_allocator),
		cmocka_unit_test(test_big_and_small_interleave),
		cmocka_unit_test(test_strndup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
