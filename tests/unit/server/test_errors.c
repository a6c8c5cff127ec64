/*
 * server/errors.c: every CYBEX_E* code has exactly one row, a client's
 * mistake is 4xx and the server's trouble 5xx, the title is the status's
 * reason phrase, and only CYBEX_EBUSY asks for Retry-After.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"

#include "errors.h"

static const char *
reason(unsigned status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return NULL;
	}
}

static void
every_code_has_one_row(void **state)
{
	const struct http_error *e;
	int c;

	(void)state;
	for (c = -1; c >= CYBEX_ECODE_MIN; c--) {
		e = http_error_find(c);
		if (e == NULL)
			fail_msg("no HTTP row for %s", cybex_strerror(c));
		assert_int_equal(e->code, c);
		assert_true(e->status >= 400 && e->status <= 599);
		if (reason(e->status) == NULL)
			fail_msg("%s: unexpected status %u", cybex_strerror(c),
			    e->status);
		assert_string_equal(e->title, reason(e->status));
	}
	assert_null(http_error_find(0));
	assert_null(http_error_find(CYBEX_ECODE_MIN - 1));
	assert_null(http_error_find(1));
}

static void
classifies(void **state)
{
	(void)state;
	assert_int_equal(http_error_of(CYBEX_EBUSY)->status, 503);
	assert_true(http_error_of(CYBEX_EBUSY)->retry_after);
	assert_int_equal(http_error_of(CYBEX_EINVAL)->status, 400);
	assert_int_equal(http_error_of(CYBEX_EJSON)->status, 400);
	assert_int_equal(http_error_of(CYBEX_ESTIX)->status, 400);
	assert_int_equal(http_error_of(CYBEX_EFORMAT)->status, 400);
	assert_int_equal(http_error_of(CYBEX_ETOOBIG)->status, 413);
	assert_int_equal(http_error_of(CYBEX_ENOTFOUND)->status, 404);
	assert_int_equal(http_error_of(CYBEX_EPOLICY)->status, 403);
	assert_int_equal(http_error_of(CYBEX_ECONFLICT)->status, 409);
	assert_int_equal(http_error_of(CYBEX_EEXIST)->status, 409);
	assert_int_equal(http_error_of(CYBEX_EDB)->status, 500);
	assert_int_equal(http_error_of(CYBEX_ENOMEM)->status, 500);
	assert_int_equal(http_error_of(CYBEX_ENOSPC)->status, 507);
	/* Unknown codes are the server's fault, never the client's. */
	assert_int_equal(http_error_of(-1000)->status, 500);
	assert_int_equal(http_error_of(0)->status, 500);
}

static void
only_busy_retries(void **state)
{
	int c;

	(void)state;
	for (c = -1; c >= CYBEX_ECODE_MIN; c--)
		assert_int_equal(http_error_of(c)->retry_after,
		    c == CYBEX_EBUSY);
}

static void
strerror_names_new_codes(void **state)
{
	(void)state;
	assert_string_equal(cybex_strerror(CYBEX_EBUSY),
	    "CYBEX_EBUSY: busy, try again later");
	assert_non_null(strstr(cybex_strerror(CYBEX_ENOSPC), "CYBEX_ENOSPC"));
	assert_string_equal(cybex_strerror(CYBEX_ECODE_MIN - 1),
	    "unknown error code");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_one_row),
		cmocka_unit_test(classifies),
		cmocka_unit_test(only_busy_retries),
		cmocka_unit_test(strerror_names_new_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
