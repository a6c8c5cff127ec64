/* Unit tests for lib/core/dname.c: the one domain-name rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"

static bool
ok(const char *s, unsigned flags)
{
	return cybex_domain_check(s, strlen(s), flags);
}

static void
test_rule(void **state)
{
	char lab[70], name[300];
	size_t i;

	(void)state;
	assert_true(ok("example.org", 0));
	assert_true(ok("localhost", 0));
	assert_true(ok("_dmarc.example.org", 0));
	assert_true(ok("xn--bcher-kva.example", 0));
	assert_true(ok("a-b.c0.example", 0));
	assert_true(ok("1.2.3.4", 0));		/* syntax only */
	assert_false(ok("", 0));
	assert_false(ok("example.org.", 0));	/* root dot: the caller's */
	assert_false(ok(".example.org", 0));
	assert_false(ok("bad..example", 0));
	assert_false(ok("-bank.example", 0));
	assert_false(ok("bank-.example", 0));
	assert_false(ok("bank.example-", 0));
	assert_false(ok("a b.example", 0));
	assert_false(ok("a/b.example", 0));
	assert_false(ok("b\xc3\xbc" "cher.example", 0));
	/* A NUL inside the length is not a name. */
	assert_false(cybex_domain_check("a\0b.example", 11, 0));
	assert_false(cybex_domain_check(NULL, 0, 0));
	/* Labels of 63 bytes, names of 253. */
	memset(lab, 'a', 63);
	lab[63] = '\0';
	assert_true(ok(lab, 0));
	lab[63] = 'a';
	lab[64] = '\0';
	assert_false(ok(lab, 0));
	for (i = 0; i < 253; i++)
		name[i] = i % 2 == 0 ? 'a' : '.';
	name[253] = '\0';
	assert_true(ok(name, 0));
	name[253] = '.';
	name[254] = 'a';
	name[255] = '\0';
	assert_false(ok(name, 0));
}

static void
test_flags(void **state)
{
	char lab[80];

	(void)state;
	assert_false(ok("localhost", CYBEX_DOMAIN_DOTTED));
	assert_true(ok("ws1.example", CYBEX_DOMAIN_DOTTED));
	assert_false(ok("_dmarc.example.org", CYBEX_DOMAIN_HOST));
	assert_true(ok("ws-1.example.org", CYBEX_DOMAIN_HOST));
	assert_true(ok("b\xc3\xbc" "cher.example", CYBEX_DOMAIN_IDN));
	assert_false(ok("-b\xc3\xbc" ".example", CYBEX_DOMAIN_IDN));
	/* A U-label's bytes are not capped at 63 (its A-label may be). */
	memset(lab, 'a', 60);
	memcpy(lab + 60, "\xc3\xbc\xc3\xbc\xc3\xbc", 6);
	memcpy(lab + 66, ".example", 9);
	assert_false(ok(lab, 0));
	assert_true(ok(lab, CYBEX_DOMAIN_IDN));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
