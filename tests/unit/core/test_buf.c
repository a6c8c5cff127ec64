/* Unit tests for lib/core/buf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

/*
 * A tracking allocator: remembers the size of each live block so free can
 * check that the block was wiped, and can be told to fail.
 */
#define TRACK_MAX	64
static struct {
	void	*p;
	size_t	 n;
} track[TRACK_MAX];
static int fail_alloc;		/* next allocations return NULL */
static int dirty_frees;		/* blocks freed with non-zero bytes */

static void *
track_malloc(size_t n)
{
	void *p;
	int i;

	if (fail_alloc)
		return NULL;
	if ((p = malloc(n)) == NULL)
		return NULL;
	for (i = 0; i < TRACK_MAX; i++) {
		if (track[i].p == NULL) {
			track[i].p = p;
			track[i].n = n;
			break;
		}
	}
	return p;
}

static void *
track_realloc(void *p, size_t n)
{
	(void)p;
	(void)n;
	fail_msg("buffers must not use realloc (stale copies of secrets)");
	return NULL;
}

static void
track_free(void *p)
{
	size_t j;
	int i;

	for (i = 0; p != NULL && i < TRACK_MAX; i++) {
		if (track[i].p != p)
			continue;
		for (j = 0; j < track[i].n; j++) {
			if (((unsigned char *)p)[j] != 0) {
				dirty_frees++;
				break;
			}
		}
		track[i].p = NULL;
	}
	free(p);
}

static const struct cybex_allocator tracking = {
	track_malloc, track_realloc, track_free,
};

static int
setup_tracking(void **state)
{
	(void)state;
	memset(track, 0, sizeof(track));
	fail_alloc = 0;
	dirty_frees = 0;
	cybex_set_allocator(&tracking);
	return 0;
}

static int
teardown_tracking(void **state)
{
	(void)state;
	cybex_set_allocator(NULL);
	return 0;
}

static void
test_append_basics(void **state)
{
	struct cybex_buf b;

	(void)state;
	cybex_buf_init(&b, 0);
	assert_int_equal(b.max, (size_t)1 << 30);	/* 0 = 1 GiB */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(cybex_buf_append(&b, "abc", 3), 0);
	assert_int_equal(cybex_buf_puts(&b, "def"), 0);
	assert_int_equal(cybex_buf_putc(&b, 'g'), 0);
	assert_int_equal(cybex_buf_putc(&b, 0x1ff), 0);	/* as a byte */
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "abcdefg\xff", 9);	/* incl. NUL */
	assert_true(b.alloc > b.len);
	assert_int_equal(cybex_buf_append(&b, NULL, 0), 0);
	assert_int_equal(b.len, 8);
	/* Binary data with NULs. */
	assert_int_equal(cybex_buf_append(&b, "x\0y", 3), 0);
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data + 8, "x\0y\0", 4);
	cybex_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_true(b.alloc > 0);			/* storage kept */
	cybex_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	cybex_buf_free(&b);				/* twice is fine */

	/* A zeroed struct behaves like init(0). */
	memset(&b, 0, sizeof(b));
	assert_int_equal(cybex_buf_puts(&b, "zero"), 0);
	assert_string_equal(b.data, "zero");
	cybex_buf_free(&b);
}

static void
test_cap(void **state)
{
	struct cybex_buf b;
	char *data;

	(void)state;
	cybex_buf_init(&b, 10);
	assert_int_equal(cybex_buf_puts(&b, "12345678"), 0);
	data = b.data;
	assert_int_equal(cybex_buf_puts(&b, "abc"), CYBEX_ETOOBIG);
	assert_int_equal(b.len, 8);
	assert_ptr_equal(b.data, data);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(cybex_buf_printf(&b, "%s", "abc"), CYBEX_ETOOBIG);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(cybex_buf_reserve(&b, 3), CYBEX_ETOOBIG);
	assert_int_equal(cybex_buf_reserve(&b, SIZE_MAX), CYBEX_ETOOBIG);
	assert_int_equal(cybex_buf_append(&b, "x", SIZE_MAX), CYBEX_ETOOBIG);
	assert_string_equal(b.data, "12345678");
	/* Exactly at the cap is fine; one more is not. */
	assert_int_equal(cybex_buf_puts(&b, "9A"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "123456789A");
	assert_int_equal(cybex_buf_putc(&b, 'B'), CYBEX_ETOOBIG);
	assert_int_equal(cybex_buf_reserve(&b, 0), 0);
	assert_string_equal(b.data, "123456789A");
	/* Storage never exceeds what the cap can use. */
	assert_true(b.alloc <= 11);
	/* Consuming makes room again. */
	cybex_buf_consume(&b, 4);
	assert_int_equal(cybex_buf_puts(&b, "BCDE"), 0);
	assert_string_equal(b.data, "56789ABCDE");
	cybex_buf_free(&b);
	assert_int_equal(b.max, 10);	/* cap survives free */

	/* An empty buffer with a tiny cap. */
	cybex_buf_init(&b, 1);
	assert_int_equal(cybex_buf_puts(&b, "ab"), CYBEX_ETOOBIG);
	assert_null(b.data);
	assert_int_equal(cybex_buf_putc(&b, 'a'), 0);
	assert_string_equal(b.data, "a");
	cybex_buf_free(&b);
}

static void
test_consume(void **state)
{
	struct cybex_buf b;

	(void)state;
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_buf_puts(&b, "hello world"), 0);
	cybex_buf_consume(&b, 0);
	assert_string_equal(b.data, "hello world");
	cybex_buf_consume(&b, 6);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "world");
	assert_int_equal(cybex_buf_puts(&b, "!"), 0);
	assert_string_equal(b.data, "world!");
	cybex_buf_consume(&b, 6);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	cybex_buf_free(&b);
	/* Consuming from an empty, unallocated buffer is harmless. */
	cybex_buf_init(&b, 0);
	cybex_buf_consume(&b, 0);
	assert_null(b.data);
}

static void
test_printf_growth(void **state)
{
	struct cybex_buf b;
	char want[64];
	size_t i, off = 0;

	(void)state;
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 0);
	for (i = 0; i < 2000; i++)
		assert_int_equal(cybex_buf_printf(&b, "[%zu:%05d]", i,
		    (int)i * 7), 0);
	for (i = 0; i < 2000; i++) {
		int n = snprintf(want, sizeof(want), "[%zu:%05d]", i,
		    (int)i * 7);

		assert_memory_equal(b.data + off, want, (size_t)n);
		off += (size_t)n;
	}
	assert_int_equal(b.len, off);
	assert_int_equal(b.data[b.len], '\0');
	/* One call producing far more than the current storage. */
	cybex_buf_reset(&b);
	assert_int_equal(cybex_buf_printf(&b, "%s-%*d", "x", 100000, 42), 0);
	assert_int_equal(b.len, 2 + 100000);
	assert_int_equal(strncmp(b.data, "x-   ", 5), 0);
	assert_string_equal(b.data + b.len - 2, "42");
	cybex_buf_free(&b);
}

static void
test_oom_leaves_buffer(void **state)
{
	struct cybex_buf b;
	char big[200];

	(void)state;
	memset(big, 'q', sizeof(big));
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_buf_puts(&b, "keep me"), 0);
	fail_alloc = 1;
	assert_int_equal(cybex_buf_append(&b, big, sizeof(big)),
	    CYBEX_ENOMEM);
	assert_int_equal(cybex_buf_printf(&b, "%200d", 1), CYBEX_ENOMEM);
	assert_int_equal(b.len, 7);
	assert_string_equal(b.data, "keep me");
	/* Appends that fit the current storage need no allocation. */
	assert_int_equal(cybex_buf_puts(&b, "!"), 0);
	assert_string_equal(b.data, "keep me!");
	fail_alloc = 0;
	cybex_buf_free(&b);
	assert_int_equal(dirty_frees, 0);
}

static void
test_free_wipes(void **state)
{
	struct cybex_buf b;
	int i;

	(void)state;
	cybex_buf_init(&b, 0);
	/* Grow several times: every old block must be wiped too. */
	for (i = 0; i < 100; i++)
		assert_int_equal(cybex_buf_puts(&b, "secret-token-"), 0);
	cybex_buf_free(&b);
	assert_int_equal(dirty_frees, 0);
	/* The check itself works: an unwiped block is noticed. */
	{
		char *p = cybex_malloc(8);

		memcpy(p, "secret", 7);
		cybex_free(p);
		assert_int_equal(dirty_frees, 1);
	}
}

static void
test_truncate(void **state)
{
	struct cybex_buf b;

	(void)state;
	cybex_buf_init(&b, 0);
	cybex_buf_truncate(&b, 0);		/* empty: nothing to do */
	assert_null(b.data);
	assert_int_equal(cybex_buf_puts(&b, "abc,def"), 0);
	cybex_buf_truncate(&b, 3);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	cybex_buf_truncate(&b, 10);		/* longer than it is: ignored */
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	cybex_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_basics),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_consume),
		cmocka_unit_test(test_printf_growth),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test_setup_teardown(test_oom_leaves_buffer,
		    setup_tracking, teardown_tracking),
		cmocka_unit_test_setup_teardown(test_free_wipes,
		    setup_tracking, teardown_tracking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
