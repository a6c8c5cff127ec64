/*
 * The lexer and parser: the shape of the tree (precedence, n-ary chains,
 * qualifiers binding to what precedes them), literal decoding, errors with
 * their 1-based column, limits, and the canonical writer (parse, write,
 * parse again gives the same text).
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

static struct cybex_pattern *
ok(const char *s)
{
	struct cybex_pattern_opts o = { .flags = CYBEX_PATTERN_SYNTAX_ONLY };
	struct cybex_pattern *p = NULL;
	struct cybex_diag d;

	if (cybex_pattern_new(s, strlen(s), &o, NULL, NULL, &p, &d) != 0)
		fail_msg("%s: column %lu: %s", s, d.column, d.message);
	return p;
}

/* Fails at column col with a message containing what. */
static void
bad(const char *s, unsigned long col, const char *what)
{
	struct cybex_pattern_opts o = { .flags = CYBEX_PATTERN_SYNTAX_ONLY };
	struct cybex_pattern *p = NULL;
	struct cybex_diag d;
	int r = cybex_pattern_new(s, strlen(s), &o, NULL, NULL, &p, &d);

	if (r == 0)
		fail_msg("expected an error: %s", s);
	assert_null(p);
	if (d.column != col || strstr(d.message, what) == NULL)
		fail_msg("%s: expected column %lu '%s', got %lu '%s'", s, col,
		    what, d.column, d.message);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.offset + 1, d.column);
}

/* Canonical text of s. */
static char *
canon(const char *s)
{
	struct cybex_pattern *p = ok(s);
	struct cybex_buf b;
	char *r;

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_pattern_write(p, &b), 0);
	r = strdup(b.data);
	cybex_buf_free(&b);
	cybex_pattern_free(p);
	return r;
}

static void
same(const char *s, const char *expect)
{
	char *c = canon(s), *c2;

	if (strcmp(c, expect) != 0)
		fail_msg("%s\n  wrote %s\n  expected %s", s, c, expect);
	c2 = canon(c);
	assert_string_equal(c, c2);
	free(c);
	free(c2);
}

static void
test_tree_shape(void **state)
{
	struct cybex_pattern *p;
	const struct cybex_pattern_node *n;

	(void)state;
	/* FOLLOWEDBY is loosest, then OR, then AND */
	p = ok("[a:b = 1] AND [a:c = 2] OR [a:d = 3] FOLLOWEDBY [a:e = 4]");
	n = cybex_pattern_root(p);
	assert_int_equal(n->kind, CYBEX_PN_FOLLOWEDBY);
	assert_int_equal(n->kids[0]->kind, CYBEX_PN_OR);
	assert_int_equal(n->kids[0]->kids[0]->kind, CYBEX_PN_AND);
	assert_int_equal(n->kids[0]->kids[0]->nkids, 2);
	assert_int_equal(n->kids[1]->kind, CYBEX_PN_OBS);
	cybex_pattern_free(p);
	/* AND chains are n-ary; FOLLOWEDBY chains are left-associative */
	p = ok("[a:b = 1] AND [a:b = 2] AND [a:b = 3]");
	assert_int_equal(cybex_pattern_root(p)->nkids, 3);
	cybex_pattern_free(p);
	p = ok("[a:b = 1] FOLLOWEDBY [a:b = 2] FOLLOWEDBY [a:b = 3]");
	n = cybex_pattern_root(p);
	assert_int_equal(n->kids[0]->kind, CYBEX_PN_FOLLOWEDBY);
	assert_int_equal(n->height, 4);	/* FB, FB, OBS, TEST */
	cybex_pattern_free(p);
	/* a qualifier binds to the observation expression before it */
	p = ok("[a:b = 1] AND [a:c = 2] WITHIN 5 SECONDS");
	n = cybex_pattern_root(p);
	assert_int_equal(n->kind, CYBEX_PN_AND);
	assert_int_equal(n->kids[1]->kind, CYBEX_PN_WITHIN);
	assert_int_equal(n->kids[1]->within_sec, 5);
	cybex_pattern_free(p);
	/* inside [ ]: OR looser than AND; parentheses group */
	p = ok("[a:b = 1 OR a:c = 2 AND a:d = 3]");
	n = cybex_pattern_root(p)->kids[0];
	assert_int_equal(n->kind, CYBEX_PN_COR);
	assert_int_equal(n->kids[1]->kind, CYBEX_PN_CAND);
	cybex_pattern_free(p);
	p = ok("[(a:b = 1 OR a:c = 2) AND a:d = 3]");
	n = cybex_pattern_root(p)->kids[0];
	assert_int_equal(n->kind, CYBEX_PN_CAND);
	assert_true(n->kids[0]->paren);
	cybex_pattern_free(p);
	/* qualifier values */
	p = ok("[a:b = 1] REPEATS 5 TIMES WITHIN 1.25 SECONDS START "
	    "t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'");
	n = cybex_pattern_root(p);
	assert_int_equal(n->kind, CYBEX_PN_STARTSTOP);
	assert_int_equal(n->start.nsec, 123000000);
	n = n->kids[0];
	assert_int_equal(n->within_sec, 1);
	assert_int_equal(n->within_nsec, 250000000);
	assert_int_equal(n->kids[0]->repeats, 5);
	cybex_pattern_free(p);
}

static void
test_literals(void **state)
{
	struct cybex_pattern *p;
	const struct cybex_pattern_node *t;

	(void)state;
	bad("[a:b IN (007)]", 11, "expected ',' or ')'");
	p = ok("[a:b IN ('it\\'s', 'c:\\\\x', -5, +7, -0.5, .5, true, false, "
	    "b'AAEC', h'00ff', t'2020-01-01T00:00:00.1234567891Z')]");
	t = cybex_pattern_root(p)->kids[0];
	assert_int_equal(t->nlits, 11);
	assert_string_equal(t->lits[0].s, "it's");
	assert_string_equal(t->lits[1].s, "c:\\x");
	assert_int_equal(t->lits[2].i, -5);
	assert_int_equal(t->lits[3].i, 7);
	assert_true(t->lits[4].f == -0.5);
	assert_true(t->lits[5].f == 0.5);
	assert_int_equal(t->lits[6].type, CYBEX_PLIT_BOOL);
	assert_int_equal(t->lits[7].i, 0);
	assert_int_equal(t->lits[8].type, CYBEX_PLIT_BINARY);
	assert_int_equal(t->lits[8].n, 3);
	assert_memory_equal(t->lits[8].s, "\0\1\2", 3);
	assert_int_equal(t->lits[9].n, 2);
	assert_memory_equal(t->lits[9].s, "\0\377", 2);
	assert_int_equal(t->lits[10].t.nsec, 123456789);
	cybex_pattern_free(p);
	/* leap second and a date past the month's end roll over */
	p = ok("[a:b = t'2016-12-31T23:59:60Z']");
	assert_int_equal(cybex_pattern_root(p)->kids[0]->lits[0].t.sec,
	    1483228800);
	cybex_pattern_free(p);
	p = ok("[a:b = t'2023-02-29T00:00:00Z']");
	assert_int_equal(cybex_pattern_root(p)->kids[0]->lits[0].t.sec,
	    1677628800);	/* 2023-03-01 */
	cybex_pattern_free(p);
	/* paths */
	bad("[x-a_b:'c d'.e[-1][*][+2].'f-g' EXISTS]", 33, "operator");
	p = ok("[EXISTS x-a_b:'c d'.e[-1][*][+2].'f-g']");
	t = cybex_pattern_root(p)->kids[0];
	assert_string_equal(t->path->type, "x-a_b");
	assert_int_equal(t->path->nsteps, 6);
	assert_string_equal(t->path->steps[0].key, "c d");
	assert_int_equal(t->path->steps[2].index, -1);
	assert_int_equal(t->path->steps[3].kind, CYBEX_PSTEP_STAR);
	assert_int_equal(t->path->steps[4].index, 2);
	assert_string_equal(t->path->steps[5].key, "f-g");
	cybex_pattern_free(p);
}

static void
test_whitespace_comments(void **state)
{
	struct cybex_pattern *p;

	(void)state;
	p = ok("\t/* c */ [ a:b /* x */ = // to the end\n 1 ]\r\n\xc2\xa0"
	    "\xe3\x80\x80");
	cybex_pattern_free(p);
	bad("[a:b = 1] /* open", 11, "unterminated comment");
}

static void
test_errors(void **state)
{
	(void)state;
	bad("", 1, "expected '[' or '('");
	bad("   ", 4, "expected '[' or '('");
	bad("[", 2, "object path");
	bad("[a:b = 1", 9, "expected ']'");
	bad("[a:b = 1]]", 10, "end of the pattern");
	bad("[a:b = 1] and [a:c = 2]", 11, "'and'");
	bad("[a:b = 'x]", 8, "unterminated string");
	bad("[a:b = 'x\\n']", 10, "backslash");
	bad("[a:b = h'abc']", 8, "hex literal");
	bad("[a:b = b'abc']", 8, "binary literal");
	bad("[a:b = b'']", 8, "binary literal");
	bad("[a:b = t'2020-01-01T00:00:00']", 8, "must end in 'Z'");
	bad("[a:b = t'2020-1-01T00:00:00Z']", 8, "timestamp");
	bad("[a:b = t'2020-01-01T00:00:00.Z']", 8, "fractional");
	bad("[a:b = t'2020-01-01T24:00:00Z']", 8, "hour");
	bad("[a:b > true]", 8, "number, string");
	bad("[a:b LIKE 5]", 11, "string literal after LIKE");
	bad("[a:b ISSUPERSET ]", 17, "string literal");
	bad("[a:b IN 'x']", 9, "'(' to start the set");
	bad("[a:b IN ('x',)]", 14, "literal in the set");
	bad("[a:b = 1] WITHIN 5", 19, "SECONDS");
	bad("[a:b = 1] WITHIN 1.5.5 SECONDS", 21, "SECONDS");
	bad("[a:b = 1] REPEATS 1.5 TIMES", 19, "whole number");
	bad("[a:b = 1] START '2020' STOP '2021'", 17, "timestamp");
	bad("[a:b = 1] START t'2020-01-01T00:00:00Z'", 40, "STOP");
	bad("[a:b = 99999999999999999999]", 8, "out of range");
	bad("[a:b = 1] REPEATS 99999999999 TIMES", 19, "out of range");
	bad("[a:b NOT EXISTS]", 10, "operator after NOT");
	bad("[NOT a:b = 1]", 6, "EXISTS");
	bad("[a:b[x] = 1]", 6, "index");
	bad("[a:b[1 = 1]", 8, "']'");
	bad("[a:b. = 1]", 7, "property name");
	bad("[a:'b' = 1] FOLLOWEDBY", 23, "'[' or '('");
	bad("[a:b = 1] AND ([a:c = 2]", 25, "')'");
	bad("[a:b = 1 OR (a:c = 2]", 21, "')'");
	bad("[a:b ! 1]", 6, "comparison operator");
	bad("[a:b = 1] ^", 11, "'^'");
	bad("[a:b = \xc3\xa9]", 8, "'\xc3\xa9'");
	bad("[a:b = 'x\xff']", 10, "UTF-8");
	bad("[a:b = '\xc0\x80']", 9, "UTF-8");
	bad("file:size = 1", 1, "missing square brackets");
	bad("(( a:b = 1 ))", 4, "missing square brackets");
}

static void
test_embedded_nul(void **state)
{
	struct cybex_diag d;
	const char s[] = "[a:b = 'x\0y']";

	(void)state;
	assert_int_equal(cybex_pattern_new(s, sizeof(s) - 1, NULL, NULL, NULL,
	    NULL, &d), CYBEX_EFORMAT);
	assert_int_equal(d.column, 10);
}

static void
test_limits(void **state)
{
	struct cybex_pattern_opts o = { .flags = CYBEX_PATTERN_SYNTAX_ONLY };
	struct cybex_buf b;
	struct cybex_diag d;
	int i;

	(void)state;
	cybex_buf_init(&b, 0);
	o.max_len = 8;
	assert_int_equal(cybex_pattern_new("[a:b = 1]", 9, &o, NULL, NULL,
	    NULL, &d), CYBEX_ETOOBIG);
	o.max_len = 0;
	/* nesting */
	for (i = 0; i < 70; i++)
		cybex_buf_putc(&b, '(');
	cybex_buf_puts(&b, "[a:b = 1]");
	for (i = 0; i < 70; i++)
		cybex_buf_putc(&b, ')');
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), CYBEX_ETOOBIG);
	assert_string_equal(d.rule, "pattern-too-big");
	o.max_depth = 100;
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), 0);
	/* node count */
	cybex_buf_reset(&b);
	cybex_buf_puts(&b, "[a:b = 1");
	for (i = 0; i < 20; i++)
		cybex_buf_puts(&b, " OR a:b = 1");
	cybex_buf_putc(&b, ']');
	o.max_nodes = 10;
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), CYBEX_ETOOBIG);
	o.max_nodes = 0;
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), 0);
	/* chains taller than the height limit */
	cybex_buf_reset(&b);
	cybex_buf_puts(&b, "[a:b = 1]");
	for (i = 0; i < 600; i++)
		cybex_buf_puts(&b, " FOLLOWEDBY [a:b = 1]");
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), CYBEX_ETOOBIG);
	cybex_buf_reset(&b);
	cybex_buf_puts(&b, "[a:b = 1]");
	for (i = 0; i < 600; i++)
		cybex_buf_puts(&b, " WITHIN 1 SECONDS");
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), CYBEX_ETOOBIG);
	/* long AND/OR chains are flat and fine */
	cybex_buf_reset(&b);
	cybex_buf_puts(&b, "[a:b = 1]");
	for (i = 0; i < 3000; i++)
		cybex_buf_puts(&b, " OR [a:b = 1]");
	assert_int_equal(cybex_pattern_new(b.data, b.len, &o, NULL, NULL, NULL,
	    &d), 0);
	cybex_buf_free(&b);
}

static void
test_write(void **state)
{
	(void)state;
	same("[a:b=1]", "[a:b = 1]");
	same("  [ a:b == 'x' ]  ", "[a:b = 'x']");
	same("[a:b <> 'it\\'s']", "[a:b != 'it\\'s']");
	same("[a:'b c'.d NOT IN ( 1 ,2.50 , 'x' )]",
	    "[a:'b c'.d NOT IN (1, 2.50, 'x')]");
	same("[a:'AND'.'ok'[*][-2] LIKE 'a%']", "[a:'AND'.ok[*][-2] LIKE 'a%']");
	same("[NOT EXISTS a:b]", "[NOT EXISTS a:b]");
	same("[a:b = h'00FF' OR a:b = b'AAEC' OR a:b = t'2020-01-01T00:00:00Z']",
	    "[a:b = h'00ff' OR a:b = b'AAEC' OR a:b = t'2020-01-01T00:00:00Z']");
	same("([a:b = 1] AND [a:c = 2]) WITHIN 5.50 SECONDS REPEATS 2 TIMES",
	    "([a:b = 1] AND [a:c = 2]) WITHIN 5.5 SECONDS REPEATS 2 TIMES");
	same("[a:b = 1] START t'2016-06-01T01:30:00.123Z' "
	    "STOP t'2016-06-01T02:20:00Z'", "[a:b = 1] START "
	    "t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z'");
	same("[(a:b = 1 OR a:c = 2) AND a:d = 3]",
	    "[(a:b = 1 OR a:c = 2) AND a:d = 3]");
	same("([a:b = 1]) FOLLOWEDBY ([a:c = 2] OR [a:d = 3])",
	    "([a:b = 1]) FOLLOWEDBY ([a:c = 2] OR [a:d = 3])");
	same("[a:b ISSUBSET '10.0.0.0/8']", "[a:b ISSUBSET '10.0.0.0/8']");
	same("[a:b = -5]", "[a:b = -5]");
}

static void
test_compact(void **state)
{
	const char *s = "([file:name LIKE 'a%' AND file:hashes.'SHA-256' IN "
	    "('x', h'00ff')] FOLLOWEDBY [EXISTS x-a:'b c'[*][-1]]) WITHIN 5.5 "
	    "SECONDS START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'";
	struct cybex_pattern *p = ok(s);
	struct cybex_buf before, after;
	size_t big;

	(void)state;
	cybex_buf_init(&before, 0);
	cybex_buf_init(&after, 0);
	assert_int_equal(cybex_pattern_write(p, &before), 0);
	big = cybex_pattern_size(p);
	assert_int_equal(cybex_pattern_compact(p), 0);
	assert_int_equal(cybex_pattern_compact(p), 0);	/* twice: no-op */
	assert_true(cybex_pattern_size(p) < big);
	assert_int_equal(cybex_pattern_write(p, &after), 0);
	assert_string_equal(before.data, after.data);
	assert_string_equal(cybex_pattern_text(p, NULL), s);
	cybex_buf_free(&before);
	cybex_buf_free(&after);
	cybex_pattern_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_shape),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_whitespace_comments),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_compact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
