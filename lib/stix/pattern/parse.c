/*
 * Recursive-descent parser for STIXPattern.g4.  One token of lookahead is
 * enough for every rule.  Precedence, loosest first: FOLLOWEDBY, OR, AND
 * between observation expressions; qualifiers bind to the observation
 * expression just before them; inside [ ] OR is looser than AND.  AND and
 * OR chains become one n-ary node; FOLLOWEDBY stays binary and
 * left-associative.  The first syntax error stops the parse; its position
 * is the offending token, like ANTLR's (0-based there, 1-based here).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"

struct parser {
	struct plexer			 lx;
	struct ptoken			 tok;	/* lookahead */
	uint32_t			 prev_end;
	struct cybex_pattern		*p;
	struct perr			*e;
	size_t				 depth;
	size_t				 max_depth;
	size_t				 max_nodes;
};

/* A growable list of node pointers, copied into the arena when done. */
struct nvec {
	const struct cybex_pattern_node	**v;
	size_t				 n;
	size_t				 cap;
};

static struct cybex_pattern_node *obs_followedby(struct parser *);
static struct cybex_pattern_node *cmp_or(struct parser *);

static void
advance(struct parser *ps)
{
	ps->prev_end = ps->tok.pos + ps->tok.len;
	plex_next(&ps->lx, &ps->tok);
}

/* "'within'", "the end of the pattern", "'cead3f77f6cda6ec…'". */
static void
tok_text(const struct parser *ps, char *buf, size_t bufsz)
{
	const struct ptoken *t = &ps->tok;
	size_t n = t->len;

	if (t->type == PT_EOF) {
		snprintf(buf, bufsz, "the end of the pattern");
		return;
	}
	if (n > 24) {
		n = 24;
		/* Do not cut a UTF-8 sequence. */
		while (n > 0 && ((unsigned char)ps->lx.s[t->pos + n] & 0xc0) ==
		    0x80)
			n--;
		snprintf(buf, bufsz, "'%.*s...'", (int)n, ps->lx.s + t->pos);
		return;
	}
	snprintf(buf, bufsz, "'%.*s'", (int)n, ps->lx.s + t->pos);
}

/* Report "expected WHAT, found X" at the current token (unless the lexer
 * already failed there). */
static void *
expected(struct parser *ps, const char *what)
{
	char found[64];

	if (ps->tok.type == PT_ERROR)
		return NULL;
	tok_text(ps, found, sizeof(found));
	perr_set(ps->e, CYBEX_EFORMAT, "pattern-syntax", ps->tok.pos,
	    "expected %s, found %s", what, found);
	return NULL;
}

static bool
accept(struct parser *ps, int type)
{
	if (ps->tok.type != type)
		return false;
	advance(ps);
	return true;
}

static void *
nomem(struct parser *ps)
{
	perr_set(ps->e, CYBEX_ENOMEM, "pattern-syntax", ps->tok.pos,
	    "out of memory");
	return NULL;
}

static struct cybex_pattern_node *
new_node(struct parser *ps, int kind, uint32_t pos)
{
	struct cybex_pattern_node *n;

	if (++ps->p->nnodes > ps->max_nodes) {
		perr_set(ps->e, CYBEX_ETOOBIG, "pattern-too-big", pos,
		    "more than %zu comparisons and operators", ps->max_nodes);
		return NULL;
	}
	if ((n = cybex_arena_alloc(ps->p->a, sizeof(*n))) == NULL)
		return nomem(ps);
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->pos = pos;
	n->height = 1;
	return n;
}

/* n->height from its kids; false past CYBEX_PATTERN_HEIGHT_MAX. */
static bool
set_height(struct parser *ps, struct cybex_pattern_node *n)
{
	size_t k;

	n->height = 1;
	for (k = 0; k < n->nkids; k++)
		if (n->kids[k]->height + 1 > n->height)
			n->height = n->kids[k]->height + 1;
	if (n->height > CYBEX_PATTERN_HEIGHT_MAX) {
		perr_set(ps->e, CYBEX_ETOOBIG, "pattern-too-big", n->pos,
		    "more than %u operators and qualifiers in a chain",
		    CYBEX_PATTERN_HEIGHT_MAX);
		return false;
	}
	return true;
}

static bool
nvec_push(struct parser *ps, struct nvec *v,
    const struct cybex_pattern_node *n)
{
	const struct cybex_pattern_node **nv;

	if (v->n == v->cap) {
		if ((nv = cybex_reallocarray(v->v, v->cap ? v->cap * 2 : 4,
		    sizeof(*nv))) == NULL) {
			nomem(ps);
			return false;
		}
		v->v = nv;
		v->cap = v->cap ? v->cap * 2 : 4;
	}
	v->v[v->n++] = n;
	return true;
}

/* Node of kind with kids v (or v's only element when it has one). */
static struct cybex_pattern_node *
nvec_finish(struct parser *ps, struct nvec *v, int kind)
{
	struct cybex_pattern_node *n = NULL;
	const struct cybex_pattern_node **kids;

	if (v->n == 1) {
		n = (struct cybex_pattern_node *)v->v[0];
		goto out;
	}
	if ((n = new_node(ps, kind, v->v[0]->pos)) == NULL)
		goto out;
	if ((kids = cybex_arena_alloc(ps->p->a, v->n * sizeof(*kids))) ==
	    NULL) {
		n = nomem(ps);
		goto out;
	}
	memcpy(kids, v->v, v->n * sizeof(*kids));
	n->kids = kids;
	n->nkids = v->n;
	n->end = v->v[v->n - 1]->end;
	if (!set_height(ps, n))
		n = NULL;
 out:
	cybex_free(v->v);
	v->v = NULL;
	return n;
}

static bool
enter(struct parser *ps)
{
	if (++ps->depth > ps->max_depth) {
		perr_set(ps->e, CYBEX_ETOOBIG, "pattern-too-big", ps->tok.pos,
		    "nested deeper than %zu", ps->max_depth);
		return false;
	}
	return true;
}

/* ---- object paths ---- */

static struct cybex_pattern_path *
path(struct parser *ps)
{
	struct cybex_pattern_path *pa;
	struct cybex_pattern_step steps[64], *st = NULL;
	size_t n = 0;
	bool inbr = false;	/* the next step is inside [ ] */

	if ((pa = cybex_arena_alloc(ps->p->a, sizeof(*pa))) == NULL)
		return nomem(ps);
	memset(pa, 0, sizeof(*pa));
	pa->type = ps->tok.lit.s;
	pa->pos = ps->tok.pos;
	advance(ps);
	if (!accept(ps, PT_COLON))
		return expected(ps, "':' after the object type");
	if (ps->tok.type != PT_IDENT && ps->tok.type != PT_STRING)
		return expected(ps, "a property name after ':'");
	for (;;) {
		if (n == sizeof(steps) / sizeof(steps[0])) {
			perr_set(ps->e, CYBEX_ETOOBIG, "pattern-too-big",
			    ps->tok.pos, "object path longer than %zu steps",
			    n);
			return NULL;
		}
		st = &steps[n];
		memset(st, 0, sizeof(*st));
		st->pos = ps->tok.pos;
		if (!inbr) {		/* IDENT or STRING, checked */
			st->kind = CYBEX_PSTEP_KEY;
			st->key = ps->tok.lit.s;
			advance(ps);
		} else {
			if (ps->tok.type == PT_STAR)
				st->kind = CYBEX_PSTEP_STAR;
			else if (ps->tok.type == PT_INT ||
			    ps->tok.type == PT_NEGINT) {
				st->kind = CYBEX_PSTEP_INDEX;
				st->index = ps->tok.lit.i;
			} else
				return expected(ps, "an index or '*' in [ ]");
			advance(ps);
			if (!accept(ps, PT_RBRACK))
				return expected(ps, "']' after the index");
		}
		n++;
		if (accept(ps, PT_DOT)) {
			if (ps->tok.type != PT_IDENT &&
			    ps->tok.type != PT_STRING)
				return expected(ps, "a property name after "
				    "'.'");
			inbr = false;
			continue;
		}
		if (accept(ps, PT_LBRACK)) {
			inbr = true;
			continue;
		}
		break;
	}
	if ((st = cybex_arena_alloc(ps->p->a, n * sizeof(*st))) == NULL)
		return nomem(ps);
	memcpy(st, steps, n * sizeof(*st));
	pa->steps = st;
	pa->nsteps = n;
	return pa;
}

/* ---- literals ---- */

static bool
is_literal(int type, bool orderable)
{
	switch (type) {
	case PT_INT: case PT_NEGINT: case PT_FLOAT: case PT_NEGFLOAT:
	case PT_STRING: case PT_BINARY: case PT_HEX: case PT_TIMESTAMP:
		return true;
	case PT_BOOL:
		return !orderable;
	default:
		return false;
	}
}

static bool
set_literal(struct parser *ps, struct cybex_pattern_node *t)
{
	struct cybex_pattern_lit *v = NULL, *nv;
	size_t n = 0, cap = 0;
	bool ok = false;

	if (!accept(ps, PT_LPAREN)) {
		expected(ps, "'(' to start the set after IN");
		goto out;
	}
	if (ps->tok.type != PT_RPAREN) {
		for (;;) {
			if (!is_literal(ps->tok.type, false)) {
				expected(ps, "a literal in the set");
				goto out;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 8;
				if ((nv = cybex_reallocarray(v, cap,
				    sizeof(*v))) == NULL) {
					nomem(ps);
					goto out;
				}
				v = nv;
			}
			v[n++] = ps->tok.lit;
			advance(ps);
			if (!accept(ps, PT_COMMA))
				break;
		}
	}
	if (!accept(ps, PT_RPAREN)) {
		expected(ps, "',' or ')' in the set");
		goto out;
	}
	if (n > 0) {
		if ((nv = cybex_arena_alloc(ps->p->a, n * sizeof(*nv))) ==
		    NULL) {
			nomem(ps);
			goto out;
		}
		memcpy(nv, v, n * sizeof(*nv));
		t->lits = nv;
	}
	t->nlits = n;
	ok = true;
 out:
	cybex_free(v);
	return ok;
}

/* ---- comparison expressions ---- */

static int
tok_op(int type)
{
	switch (type) {
	case PT_EQ: return CYBEX_POP_EQ;
	case PT_NE: return CYBEX_POP_NE;
	case PT_LT: return CYBEX_POP_LT;
	case PT_LE: return CYBEX_POP_LE;
	case PT_GT: return CYBEX_POP_GT;
	case PT_GE: return CYBEX_POP_GE;
	case PT_IN: return CYBEX_POP_IN;
	case PT_LIKE: return CYBEX_POP_LIKE;
	case PT_MATCHES: return CYBEX_POP_MATCHES;
	case PT_ISSUBSET: return CYBEX_POP_ISSUBSET;
	case PT_ISSUPERSET: return CYBEX_POP_ISSUPERSET;
	default: return 0;
	}
}

static struct cybex_pattern_node *
prop_test(struct parser *ps)
{
	struct cybex_pattern_node *t, *inner;
	struct cybex_pattern_lit *lit;
	uint32_t pos = ps->tok.pos;
	char what[64];

	if (ps->tok.type == PT_LPAREN) {
		if (!enter(ps))
			return NULL;
		advance(ps);
		if ((inner = cmp_or(ps)) == NULL)
			return NULL;
		if (!accept(ps, PT_RPAREN))
			return expected(ps, "')'");
		ps->depth--;
		inner->paren = true;
		inner->pos = pos;
		inner->end = ps->prev_end;
		return inner;
	}
	if ((t = new_node(ps, CYBEX_PN_TEST, pos)) == NULL)
		return NULL;
	if (ps->tok.type == PT_NOT || ps->tok.type == PT_EXISTS) {
		t->negated = accept(ps, PT_NOT);
		if (ps->tok.type != PT_EXISTS)
			return expected(ps, "EXISTS after NOT (or an object "
			    "path first)");
		t->op = CYBEX_POP_EXISTS;
		t->oppos = ps->tok.pos;
		advance(ps);
		if (ps->tok.type != PT_IDENT && ps->tok.type != PT_IDENT_H)
			return expected(ps, "an object path after EXISTS");
		if ((t->path = path(ps)) == NULL)
			return NULL;
		t->end = ps->prev_end;
		return t;
	}
	if (ps->tok.type != PT_IDENT && ps->tok.type != PT_IDENT_H)
		return expected(ps, "an object path like file:name");
	if ((t->path = path(ps)) == NULL)
		return NULL;
	t->negated = accept(ps, PT_NOT);
	t->oppos = ps->tok.pos;
	if ((t->op = tok_op(ps->tok.type)) == 0)
		return expected(ps, t->negated ? "an operator after NOT" :
		    "a comparison operator");
	advance(ps);
	snprintf(what, sizeof(what), "a %sliteral after %s",
	    t->op == CYBEX_POP_EQ || t->op == CYBEX_POP_NE ? "" :
	    "string ", cybex_pattern_op_name(t->op));
	switch (t->op) {
	case CYBEX_POP_IN:
		if (!set_literal(ps, t))
			return NULL;
		break;
	case CYBEX_POP_LIKE: case CYBEX_POP_MATCHES:
	case CYBEX_POP_ISSUBSET: case CYBEX_POP_ISSUPERSET:
		if (ps->tok.type != PT_STRING)
			return expected(ps, what);
		/* FALLTHROUGH */
	default:
		if (!is_literal(ps->tok.type, t->op >= CYBEX_POP_LT &&
		    t->op <= CYBEX_POP_GE))
			return expected(ps, t->op >= CYBEX_POP_LT &&
			    t->op <= CYBEX_POP_GE ? "a number, string, "
			    "binary, hex or timestamp literal" : what);
		if ((lit = cybex_arena_alloc(ps->p->a, sizeof(*lit))) == NULL)
			return nomem(ps);
		*lit = ps->tok.lit;
		t->lits = lit;
		t->nlits = 1;
		advance(ps);
		break;
	}
	t->end = ps->prev_end;
	return t;
}

static struct cybex_pattern_node *
cmp_and(struct parser *ps)
{
	struct nvec v = { 0 };
	struct cybex_pattern_node *n;

	do {
		if ((n = prop_test(ps)) == NULL || !nvec_push(ps, &v, n)) {
			cybex_free(v.v);
			return NULL;
		}
	} while (accept(ps, PT_AND));
	return nvec_finish(ps, &v, CYBEX_PN_CAND);
}

static struct cybex_pattern_node *
cmp_or(struct parser *ps)
{
	struct nvec v = { 0 };
	struct cybex_pattern_node *n;

	do {
		if ((n = cmp_and(ps)) == NULL || !nvec_push(ps, &v, n)) {
			cybex_free(v.v);
			return NULL;
		}
	} while (accept(ps, PT_OR));
	return nvec_finish(ps, &v, CYBEX_PN_COR);
}

/* ---- observation expressions ---- */

/* WITHIN's number as exact seconds and nanoseconds. */
static bool
within_value(struct parser *ps, struct cybex_pattern_node *q)
{
	const char *s = ps->tok.lit.s;
	int64_t sec = 0;
	uint32_t ns = 0;
	unsigned k = 0;

	if (*s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (sec > (INT64_MAX - 9) / 10) {
			perr_set(ps->e, CYBEX_EFORMAT, "pattern-literal-range",
			    ps->tok.pos, "WITHIN value out of range");
			return false;
		}
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && k < 9; s++, k++)
			ns = ns * 10 + (uint32_t)(*s - '0');
	for (; k < 9; k++)
		ns *= 10;
	q->within_sec = sec;
	q->within_nsec = ns;
	return true;
}

static struct cybex_pattern_node *
qualifier(struct parser *ps, struct cybex_pattern_node *inner)
{
	struct cybex_pattern_node *q;
	const struct cybex_pattern_node **kid;
	int type = ps->tok.type;

	if ((q = new_node(ps, type == PT_WITHIN ? CYBEX_PN_WITHIN :
	    type == PT_REPEATS ? CYBEX_PN_REPEATS : CYBEX_PN_STARTSTOP,
	    inner->pos)) == NULL)
		return NULL;
	q->oppos = ps->tok.pos;
	advance(ps);
	switch (type) {
	case PT_WITHIN:
		if (ps->tok.type != PT_INT && ps->tok.type != PT_FLOAT)
			return expected(ps, "a positive number of seconds "
			    "after WITHIN");
		if (!within_value(ps, q))
			return NULL;
		advance(ps);
		if (!accept(ps, PT_SECONDS))
			return expected(ps, "SECONDS");
		break;
	case PT_REPEATS:
		if (ps->tok.type != PT_INT)
			return expected(ps, "a positive whole number after "
			    "REPEATS");
		if (ps->tok.lit.i > (int64_t)UINT32_MAX) {
			perr_set(ps->e, CYBEX_EFORMAT, "pattern-literal-range",
			    ps->tok.pos, "REPEATS count out of range");
			return NULL;
		}
		q->repeats = (uint64_t)ps->tok.lit.i;
		advance(ps);
		if (!accept(ps, PT_TIMES))
			return expected(ps, "TIMES");
		break;
	default:
		if (ps->tok.type != PT_TIMESTAMP)
			return expected(ps, "a timestamp t'...' after START");
		q->start = ps->tok.lit.t;
		advance(ps);
		if (!accept(ps, PT_STOP))
			return expected(ps, "STOP");
		if (ps->tok.type != PT_TIMESTAMP)
			return expected(ps, "a timestamp t'...' after STOP");
		q->stop = ps->tok.lit.t;
		advance(ps);
		break;
	}
	if ((kid = cybex_arena_alloc(ps->p->a, sizeof(*kid))) == NULL)
		return nomem(ps);
	*kid = inner;
	q->kids = kid;
	q->nkids = 1;
	q->end = ps->prev_end;
	return set_height(ps, q) ? q : NULL;
}

static struct cybex_pattern_node *
obs_primary(struct parser *ps)
{
	struct cybex_pattern_node *n, *inner;
	const struct cybex_pattern_node **kid;
	uint32_t pos = ps->tok.pos;

	if (!enter(ps))
		return NULL;
	if (accept(ps, PT_LBRACK)) {
		if ((n = new_node(ps, CYBEX_PN_OBS, pos)) == NULL ||
		    (inner = cmp_or(ps)) == NULL)
			return NULL;
		if (!accept(ps, PT_RBRACK))
			return expected(ps, ps->tok.type == PT_EOF ? "']'" :
			    "AND, OR or ']'");
		if ((kid = cybex_arena_alloc(ps->p->a, sizeof(*kid))) == NULL)
			return nomem(ps);
		*kid = inner;
		n->kids = kid;
		n->nkids = 1;
		if (!set_height(ps, n))
			return NULL;
	} else if (accept(ps, PT_LPAREN)) {
		if ((n = obs_followedby(ps)) == NULL)
			return NULL;
		if (!accept(ps, PT_RPAREN))
			return expected(ps, "AND, OR, FOLLOWEDBY, a qualifier "
			    "or ')'");
		n->paren = true;
		n->pos = pos;
	} else if (ps->tok.type == PT_IDENT || ps->tok.type == PT_IDENT_H) {
		perr_set(ps->e, CYBEX_EFORMAT, "pattern-syntax", ps->tok.pos,
		    "missing square brackets: a comparison goes inside "
		    "[ ], as in [file:size = 1280]");
		return NULL;
	} else
		return expected(ps, "'[' or '('");
	n->end = ps->prev_end;
	ps->depth--;
	return n;
}

static struct cybex_pattern_node *
obs_qualified(struct parser *ps)
{
	struct cybex_pattern_node *n;

	if ((n = obs_primary(ps)) == NULL)
		return NULL;
	while (n != NULL && (ps->tok.type == PT_WITHIN ||
	    ps->tok.type == PT_REPEATS || ps->tok.type == PT_START))
		n = qualifier(ps, n);
	return n;
}

static struct cybex_pattern_node *
obs_and(struct parser *ps)
{
	struct nvec v = { 0 };
	struct cybex_pattern_node *n;

	do {
		if ((n = obs_qualified(ps)) == NULL || !nvec_push(ps, &v, n)) {
			cybex_free(v.v);
			return NULL;
		}
	} while (accept(ps, PT_AND));
	return nvec_finish(ps, &v, CYBEX_PN_AND);
}

static struct cybex_pattern_node *
obs_or(struct parser *ps)
{
	struct nvec v = { 0 };
	struct cybex_pattern_node *n;

	do {
		if ((n = obs_and(ps)) == NULL || !nvec_push(ps, &v, n)) {
			cybex_free(v.v);
			return NULL;
		}
	} while (accept(ps, PT_OR));
	return nvec_finish(ps, &v, CYBEX_PN_OR);
}

static struct cybex_pattern_node *
obs_followedby(struct parser *ps)
{
	struct cybex_pattern_node *l, *r, *f;
	const struct cybex_pattern_node **kids;

	if ((l = obs_or(ps)) == NULL)
		return NULL;
	while (ps->tok.type == PT_FOLLOWEDBY) {
		advance(ps);
		if ((r = obs_or(ps)) == NULL ||
		    (f = new_node(ps, CYBEX_PN_FOLLOWEDBY, l->pos)) == NULL)
			return NULL;
		if ((kids = cybex_arena_alloc(ps->p->a, 2 * sizeof(*kids))) ==
		    NULL)
			return nomem(ps);
		kids[0] = l;
		kids[1] = r;
		f->kids = kids;
		f->nkids = 2;
		f->end = r->end;
		if (!set_height(ps, f))
			return NULL;
		l = f;
	}
	return l;
}

int
pattern_parse(struct cybex_pattern *p, const struct cybex_pattern_opts *o,
    struct perr *e)
{
	struct parser ps;
	struct cybex_pattern_node *root;
	int r = CYBEX_EFORMAT;

	memset(&ps, 0, sizeof(ps));
	ps.lx.s = p->text;
	ps.lx.n = p->len;
	ps.lx.a = p->a;
	ps.lx.err = e;
	ps.p = p;
	ps.e = e;
	ps.max_depth = o != NULL && o->max_depth > 0 ? o->max_depth :
	    CYBEX_PATTERN_DEPTH_MAX_DEFAULT;
	ps.max_nodes = o != NULL && o->max_nodes > 0 ? o->max_nodes :
	    CYBEX_PATTERN_NODES_MAX_DEFAULT;
	plex_next(&ps.lx, &ps.tok);
	if ((root = obs_followedby(&ps)) == NULL)
		goto out;
	if (ps.tok.type != PT_EOF) {
		expected(&ps, "AND, OR, FOLLOWEDBY, a qualifier or the end of "
		    "the pattern");
		goto out;
	}
	p->root = root;
	r = 0;
 out:
	if (r != 0 && e->code == 0)	/* cannot happen; be safe */
		perr_set(e, CYBEX_EINTERNAL, "pattern-syntax", ps.tok.pos,
		    "parse failed");
	return r != 0 ? e->code : 0;
}
