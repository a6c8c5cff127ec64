/*
 * LIKE and MATCHES sets of one field in a Hyperscan database.
 *
 * Hyperscan runs in prefilter mode: it may report an expression that does
 * not match, never miss one that does, and accepts nearly everything
 * PCRE2 does.  Every reported expression is confirmed with the PCRE2 code
 * the evaluator uses, so the answers are the evaluator's.  Expressions
 * with non-ASCII characters (where the two libraries' case folding and
 * character classes may differ) and any that Hyperscan refuses are
 * checked one by one with PCRE2 instead; so is everything when Hyperscan
 * is turned off.
 */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

int
mrx_add(struct mrx *x, const struct cybex_pattern_node *test, uint32_t ind)
{
	struct mrxent *nv;
	size_t ncap;

	if (x->n == x->cap) {
		ncap = x->cap ? x->cap * 2 : 8;
		if ((nv = cybex_reallocarray(x->e, ncap, sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		x->e = nv;
		x->cap = ncap;
	}
	x->e[x->n].test = test;
	x->e[x->n].ind = ind;
	x->e[x->n].in_db = false;
	x->n++;
	return 0;
}

static bool
ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static unsigned
hs_flags(bool dotall)
{
	return HS_FLAG_PREFILTER | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY |
	    HS_FLAG_UTF8 | (dotall ? HS_FLAG_DOTALL : 0);
}

int
mrx_compile(struct mrx *x, bool use_hs, struct cybex_diag *d)
{
	const char **expr = NULL;
	unsigned *flags = NULL, *ids = NULL;
	hs_compile_error_t *err = NULL;
	const char *src;
	hs_expr_info_t *info;
	size_t len;
	bool dotall;
	size_t i, n = 0;
	int rc = CYBEX_ENOMEM;

	x->nslow = x->n;
	if (!use_hs || x->n == 0)
		return 0;
	if ((expr = cybex_calloc(x->n, sizeof(*expr))) == NULL ||
	    (flags = cybex_calloc(x->n, sizeof(*flags))) == NULL ||
	    (ids = cybex_calloc(x->n, sizeof(*ids))) == NULL)
		goto out;
	for (i = 0; i < x->n; i++) {
		src = cybex_pattern_regex(x->e[i].test, &len, &dotall);
		if (src == NULL || !ascii(src, len) || strlen(src) != len)
			continue;
		info = NULL;
		if (hs_expression_info(src, hs_flags(dotall), &info, &err) !=
		    HS_SUCCESS) {
			hs_free_compile_error(err);
			err = NULL;
			continue;
		}
		free(info);	/* Hyperscan allocates it with malloc */
		expr[n] = src;
		flags[n] = hs_flags(dotall);
		ids[n] = (unsigned)i;
		n++;
	}
	while (n > 0) {
		if (hs_compile_multi(expr, flags, ids, (unsigned)n, HS_MODE_BLOCK,
		    NULL, &x->db, &err) == HS_SUCCESS)
			break;
		/* Drop the expression it names (if any) and try again. */
		if (err->expression < 0 || (size_t)err->expression >= n) {
			hs_free_compile_error(err);
			err = NULL;
			n = 0;
			break;
		}
		i = (size_t)err->expression;
		hs_free_compile_error(err);
		err = NULL;
		memmove(&expr[i], &expr[i + 1], (n - i - 1) * sizeof(*expr));
		memmove(&flags[i], &flags[i + 1], (n - i - 1) * sizeof(*flags));
		memmove(&ids[i], &ids[i + 1], (n - i - 1) * sizeof(*ids));
		n--;
	}
	for (i = 0; i < n; i++)
		x->e[ids[i]].in_db = true;
	x->nslow = x->n - n;
	rc = 0;
 out:
	if (rc != 0)
		cybex_diag_set(d, rc, "out of memory compiling regular "
		    "expressions");
	cybex_free(expr);
	cybex_free(flags);
	cybex_free(ids);
	return rc;
}

void
mrx_free(struct mrx *x)
{
	hs_free_database(x->db);
	cybex_free(x->e);
	memset(x, 0, sizeof(*x));
}

size_t
mrx_bytes(const struct mrx *x)
{
	size_t sz = 0;

	if (x->db != NULL && hs_database_size(x->db, &sz) != HS_SUCCESS)
		sz = 0;
	return sz + x->cap * sizeof(*x->e);
}
