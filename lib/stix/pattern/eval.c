/*
 * The evaluator: which sets of observations satisfy a pattern.
 *
 * Like the OASIS reference matcher, it computes bottom-up, for every node
 * of the tree, the "bindings" that satisfy it: multisets of observations.
 * An observed-data with number_observed N is N observations of the same
 * thing at the same times, so a binding is a sorted list of (observation,
 * count) pairs, and "distinct observations" means no count goes past
 * number_observed.
 *
 *   [ ... ]        one binding per observation with an SCO that satisfies
 *                  the comparison expression (AND inside [ ] needs the same
 *                  SCO: see value.c)
 *   A OR B         the bindings of A and those of B (one-sided: adding an
 *                  observation never helps elsewhere)
 *   A AND B        unions of one binding of each that fit the counts
 *   A FOLLOWEDBY B the same, when the latest first_observed of A's binding
 *                  is not after the earliest last_observed of B's
 *   A WITHIN d     bindings whose latest first_observed minus earliest
 *                  last_observed is at most d (a window of d seconds
 *                  touches every observation)
 *   A REPEATS n    unions of n bindings of A (repetition allowed while the
 *                  counts fit)
 *   A START s STOP e  bindings whose observations all overlap [s, e)
 *
 * The number of bindings can grow combinatorially; each node keeps at most
 * max_bindings (deduplicated) and the whole evaluation at most max_steps
 * units of work.  Whatever is found within those limits is exact; when a
 * limit cut the search short and nothing matched, the answer is
 * CYBEX_ETOOBIG rather than a false "no match".
 */
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"

#define EVAL_BINDINGS_DEFAULT	10000u
#define EVAL_STEPS_DEFAULT	10000000u
#define EVAL_ARENA_CAP		(256u * 1024 * 1024)

struct pair {
	uint32_t	 obs;
	uint32_t	 cnt;
};

struct binding {
	const struct pair	*p;
	uint32_t		 n;
};

struct bset {
	struct binding	*b;
	size_t		 n;
	size_t		 cap;
};

struct eval {
	const struct cybex_pattern_obsset	*s;
	size_t					 only;	/* or SIZE_MAX */
	struct cybex_arena			*a;
	size_t					 max_bindings;
	size_t					 max_steps;
	size_t					 steps;
	bool					 truncated;
	int					 err;
	struct cybex_pattern_scratch		 c;
	uint32_t				*cnt;	/* REPEATS: counts */
};

static int eval_node(struct eval *, const struct cybex_pattern_node *,
    struct bset *);

static void
bset_free(struct bset *b)
{
	cybex_free(b->b);
	memset(b, 0, sizeof(*b));
}

static bool
budget(struct eval *ev, size_t n)
{
	ev->steps += n;
	if (ev->steps > ev->max_steps) {
		ev->truncated = true;
		return false;
	}
	return true;
}

/* Append (pairs already in the arena); false when full or on error. */
static bool
bset_add(struct eval *ev, struct bset *b, const struct pair *p, uint32_t n)
{
	struct binding *nv;
	size_t ncap;

	if (b->n >= ev->max_bindings) {
		ev->truncated = true;
		return false;
	}
	if (b->n == b->cap) {
		ncap = b->cap ? b->cap * 2 : 16;
		if ((nv = cybex_reallocarray(b->b, ncap, sizeof(*nv))) ==
		    NULL) {
			ev->err = CYBEX_ENOMEM;
			return false;
		}
		b->b = nv;
		b->cap = ncap;
	}
	b->b[b->n].p = p;
	b->b[b->n].n = n;
	b->n++;
	return true;
}

static struct pair *
pairs_new(struct eval *ev, size_t n)
{
	struct pair *p;

	if ((p = cybex_arena_alloc(ev->a, n * sizeof(*p))) == NULL) {
		ev->err = CYBEX_ETOOBIG;
		ev->truncated = true;
	}
	return p;
}

static int
binding_cmp(const void *x, const void *y)
{
	const struct binding *a = x, *b = y;
	uint32_t i;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (i = 0; i < a->n; i++) {
		if (a->p[i].obs != b->p[i].obs)
			return a->p[i].obs < b->p[i].obs ? -1 : 1;
		if (a->p[i].cnt != b->p[i].cnt)
			return a->p[i].cnt < b->p[i].cnt ? -1 : 1;
	}
	return 0;
}

static void
dedupe(struct eval *ev, struct bset *b)
{
	size_t i, o = 0;

	if (b->n < 2)
		return;
	(void)budget(ev, b->n);
	qsort(b->b, b->n, sizeof(*b->b), binding_cmp);
	for (i = 0; i < b->n; i++)
		if (o == 0 || binding_cmp(&b->b[o - 1], &b->b[i]) != 0)
			b->b[o++] = b->b[i];
	b->n = o;
}

/* Union of two bindings within the counts; false when they do not fit. */
static bool
merge(struct eval *ev, const struct binding *x, const struct binding *y,
    struct binding *out)
{
	struct pair *p;
	uint32_t i = 0, j = 0, n = 0;

	if ((p = pairs_new(ev, (size_t)x->n + y->n)) == NULL)
		return false;
	while (i < x->n || j < y->n) {
		if (j >= y->n || (i < x->n && x->p[i].obs < y->p[j].obs))
			p[n++] = x->p[i++];
		else if (i >= x->n || y->p[j].obs < x->p[i].obs)
			p[n++] = y->p[j++];
		else {
			p[n].obs = x->p[i].obs;
			p[n].cnt = x->p[i].cnt + y->p[j].cnt;
			if (p[n].cnt > ev->s->v[p[n].obs].count)
				return false;
			n++;
			i++;
			j++;
		}
	}
	out->p = p;
	out->n = n;
	return true;
}

static const struct cybex_time *
max_first(const struct eval *ev, const struct binding *b)
{
	const struct cybex_time *t = &ev->s->v[b->p[0].obs].first;
	uint32_t i;

	for (i = 1; i < b->n; i++)
		if (cybex_time_cmp(&ev->s->v[b->p[i].obs].first, t) > 0)
			t = &ev->s->v[b->p[i].obs].first;
	return t;
}

static const struct cybex_time *
min_last(const struct eval *ev, const struct binding *b)
{
	const struct cybex_time *t = &ev->s->v[b->p[0].obs].last;
	uint32_t i;

	for (i = 1; i < b->n; i++)
		if (cybex_time_cmp(&ev->s->v[b->p[i].obs].last, t) < 0)
			t = &ev->s->v[b->p[i].obs].last;
	return t;
}

/* ---- the nodes ---- */

static int
eval_obs(struct eval *ev, const struct cybex_pattern_node *n, struct bset *out)
{
	const json_t *objects, *root;
	const char *key;
	struct pair *p;
	size_t i, lo = 0, hi = ev->s->n;
	bool hit;
	int r;

	if (ev->only != SIZE_MAX) {
		lo = ev->only;
		hi = ev->only + 1;
	}
	for (i = lo; i < hi; i++) {
		objects = ev->s->v[i].objects;
		hit = false;
		json_object_foreach((json_t *)objects, key, root) {
			if (!budget(ev, 1))
				return 0;
			if ((r = pcmp_root(ev->s, i, root, n->kids[0], &ev->c,
			    &hit)) != 0)
				return r;
			if (hit)
				break;
		}
		if (!hit)
			continue;
		if ((p = pairs_new(ev, 1)) == NULL)
			return 0;
		p->obs = (uint32_t)i;
		p->cnt = 1;
		if (!bset_add(ev, out, p, 1))
			break;
	}
	return 0;
}

static int
eval_or(struct eval *ev, const struct cybex_pattern_node *n, struct bset *out)
{
	struct bset k;
	size_t i, j;
	int r = 0;

	for (i = 0; i < n->nkids && r == 0; i++) {
		memset(&k, 0, sizeof(k));
		if ((r = eval_node(ev, n->kids[i], &k)) == 0)
			for (j = 0; j < k.n; j++)
				if (!bset_add(ev, out, k.b[j].p, k.b[j].n))
					break;
		bset_free(&k);
	}
	dedupe(ev, out);
	return r;
}

/* out = every fitting union of x and y (FOLLOWEDBY: ordered in time). */
static void
cross(struct eval *ev, const struct bset *x, const struct bset *y,
    bool ordered, struct bset *out)
{
	struct binding m;
	size_t i, j;
	bool full = false;

	for (i = 0; i < x->n && !full; i++) {
		for (j = 0; j < y->n && !full; j++) {
			if (!budget(ev, 1) || ev->err != 0) {
				full = true;
				break;
			}
			if (ordered && cybex_time_cmp(max_first(ev, &x->b[i]),
			    min_last(ev, &y->b[j])) > 0)
				continue;
			if (!merge(ev, &x->b[i], &y->b[j], &m))
				continue;
			if (!bset_add(ev, out, m.p, m.n))
				full = true;
		}
	}
	dedupe(ev, out);
}

static int
eval_and(struct eval *ev, const struct cybex_pattern_node *n,
    struct bset *out)
{
	struct bset acc, k, next;
	size_t i;
	int r;

	memset(&acc, 0, sizeof(acc));
	if ((r = eval_node(ev, n->kids[0], &acc)) != 0)
		goto out;
	for (i = 1; i < n->nkids && acc.n > 0; i++) {
		memset(&k, 0, sizeof(k));
		memset(&next, 0, sizeof(next));
		if ((r = eval_node(ev, n->kids[i], &k)) != 0) {
			bset_free(&k);
			goto out;
		}
		cross(ev, &acc, &k, n->kind == CYBEX_PN_FOLLOWEDBY, &next);
		bset_free(&k);
		bset_free(&acc);
		acc = next;
	}
	*out = acc;
	memset(&acc, 0, sizeof(acc));
 out:
	bset_free(&acc);
	return r;
}

static bool
within(const struct eval *ev, const struct binding *b,
    const struct cybex_pattern_node *q)
{
	const struct cybex_time *f = max_first(ev, b), *l = min_last(ev, b);
	int64_t ds;
	int64_t dn;

	if (cybex_time_cmp(f, l) <= 0)
		return true;
	ds = f->sec - l->sec;
	dn = (int64_t)f->nsec - (int64_t)l->nsec;
	if (dn < 0) {
		ds--;
		dn += 1000000000;
	}
	return ds < q->within_sec || (ds == q->within_sec &&
	    dn <= (int64_t)q->within_nsec);
}

static bool
in_window(const struct eval *ev, const struct binding *b,
    const struct cybex_pattern_node *q)
{
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		const struct pobs *o = &ev->s->v[b->p[i].obs];

		if (cybex_time_cmp(&o->first, &q->stop) >= 0 ||
		    cybex_time_cmp(&o->last, &q->start) < 0)
			return false;
	}
	return true;
}

static int
eval_filter(struct eval *ev, const struct cybex_pattern_node *n,
    struct bset *out)
{
	size_t i, o = 0;
	int r;
	bool keep;

	if ((r = eval_node(ev, n->kids[0], out)) != 0)
		return r;
	for (i = 0; i < out->n; i++) {
		keep = n->kind == CYBEX_PN_WITHIN ? within(ev, &out->b[i], n) :
		    cybex_time_cmp(&n->start, &n->stop) < 0 &&
		    in_window(ev, &out->b[i], n);
		if (keep)
			out->b[o++] = out->b[i];
	}
	out->n = o;
	return 0;
}

static int
pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	return a->obs < b->obs ? -1 : a->obs > b->obs;
}

/* Emit the REPEATS combination: k[l] copies of in->b[l] for l <= L. */
static bool
rep_emit(struct eval *ev, const struct bset *in, const int64_t *k, size_t L,
    struct bset *out)
{
	struct pair *p;
	size_t l, n = 0, o = 0;
	uint32_t i;

	for (l = 0; l <= L; l++)
		if (k[l] > 0)
			n += in->b[l].n;
	if ((p = pairs_new(ev, n)) == NULL)
		return false;
	for (l = 0, n = 0; l <= L; l++) {
		if (k[l] <= 0)
			continue;
		for (i = 0; i < in->b[l].n; i++) {
			p[n].obs = in->b[l].p[i].obs;
			p[n].cnt = (uint32_t)(in->b[l].p[i].cnt * k[l]);
			n++;
		}
	}
	qsort(p, n, sizeof(*p), pair_cmp);
	for (l = 0; l < n; l++) {
		if (o > 0 && p[o - 1].obs == p[l].obs)
			p[o - 1].cnt += p[l].cnt;	/* fits: see rep_fit */
		else
			p[o++] = p[l];
	}
	return bset_add(ev, out, p, (uint32_t)o);
}

/* Apply (+k) or remove (-k) k copies of b to the counts. */
static void
rep_apply(struct eval *ev, const struct binding *b, int64_t k)
{
	uint32_t i;

	for (i = 0; i < b->n; i++)
		ev->cnt[b->p[i].obs] = (uint32_t)((int64_t)ev->cnt[b->p[i].obs] +
		    k * b->p[i].cnt);
}

/* How many more copies of b fit the counts (at most want). */
static int64_t
rep_fit(const struct eval *ev, const struct binding *b, int64_t want)
{
	int64_t avail;
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		avail = (int64_t)ev->s->v[b->p[i].obs].count -
		    ev->cnt[b->p[i].obs];
		if (avail / b->p[i].cnt < want)
			want = avail / b->p[i].cnt;
	}
	return want;
}

/*
 * n bindings of in, repetition allowed: depth-first over in's bindings,
 * taking as many copies of each as fit first.  Iterative, so the depth of
 * the search does not use the C stack: k[L] is how many copies of
 * in->b[L] are applied.
 */
static int
eval_repeats(struct eval *ev, const struct cybex_pattern_node *q,
    struct bset *out)
{
	struct bset in;
	int64_t *k = NULL, *suf = NULL, remaining = (int64_t)q->repeats;
	size_t L = 0;
	int r = 0;
	bool descend = true;

	memset(&in, 0, sizeof(in));
	/* REPEATS 0 (only the grammar-only mode lets it through) never holds */
	if (q->repeats == 0 ||
	    (r = eval_node(ev, q->kids[0], &in)) != 0 || in.n == 0)
		goto out;
	if (q->repeats == 1) {
		*out = in;
		memset(&in, 0, sizeof(in));
		goto out;
	}
	if ((k = cybex_calloc(in.n, sizeof(*k))) == NULL ||
	    (suf = cybex_calloc(in.n + 1, sizeof(*suf))) == NULL ||
	    (ev->cnt == NULL && (ev->cnt = cybex_calloc(ev->s->n,
	    sizeof(*ev->cnt))) == NULL)) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	/* suf[l]: most copies bindings l.. could give, alone (a bound). */
	for (L = in.n; L > 0; L--) {
		suf[L - 1] = suf[L] + rep_fit(ev, &in.b[L - 1], remaining);
		if (suf[L - 1] > remaining)
			suf[L - 1] = remaining;
	}
	L = 0;
	for (;;) {
		if (descend) {
			k[L] = rep_fit(ev, &in.b[L], remaining);
			rep_apply(ev, &in.b[L], k[L]);
			remaining -= k[L];
		}
		if (!budget(ev, 1 + in.b[L].n) || ev->err != 0)
			break;
		if (remaining == 0) {
			if (!rep_emit(ev, &in, k, L, out))
				break;
		} else if (remaining > suf[L + 1]) {
			/* fewer copies here cannot help either */
			rep_apply(ev, &in.b[L], -k[L]);
			remaining += k[L];
			k[L] = 0;
		} else if (L + 1 < in.n) {
			L++;
			descend = true;
			continue;
		}
		/* the next alternative: one copy fewer here, or back up */
		while (k[L] == 0) {
			if (L == 0)
				goto done;
			L--;
		}
		rep_apply(ev, &in.b[L], -1);
		k[L]--;
		remaining++;
		descend = L + 1 < in.n;
		if (descend)
			L++;
	}
 done:
	memset(ev->cnt, 0, ev->s->n * sizeof(*ev->cnt));
	dedupe(ev, out);
 out:
	cybex_free(k);
	cybex_free(suf);
	bset_free(&in);
	return r != 0 ? r : ev->err == CYBEX_ENOMEM ? CYBEX_ENOMEM : 0;
}

static int
eval_node(struct eval *ev, const struct cybex_pattern_node *n,
    struct bset *out)
{
	memset(out, 0, sizeof(*out));
	if (ev->err == CYBEX_ENOMEM)
		return CYBEX_ENOMEM;
	switch (n->kind) {
	case CYBEX_PN_OBS:
		return eval_obs(ev, n, out);
	case CYBEX_PN_OR:
		return eval_or(ev, n, out);
	case CYBEX_PN_AND:
	case CYBEX_PN_FOLLOWEDBY:
		return eval_and(ev, n, out);
	case CYBEX_PN_WITHIN:
	case CYBEX_PN_STARTSTOP:
		return eval_filter(ev, n, out);
	case CYBEX_PN_REPEATS:
		return eval_repeats(ev, n, out);
	default:
		return CYBEX_EINTERNAL;
	}
}

static int
size_cmp(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return a < b ? -1 : a > b;
}

static int
run(const struct cybex_pattern *p, const struct cybex_pattern_obsset *s,
    size_t only, const struct cybex_pattern_eval_opts *o,
    struct cybex_pattern_result *out, struct cybex_diag *d)
{
	struct eval ev;
	struct bset res;
	size_t i, j, n = 0, total = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&ev, 0, sizeof(ev));
	memset(&res, 0, sizeof(res));
	ev.s = s;
	ev.only = only;
	ev.max_bindings = o != NULL && o->max_bindings > 0 ?
	    o->max_bindings : EVAL_BINDINGS_DEFAULT;
	ev.max_steps = o != NULL && o->max_steps > 0 ? o->max_steps :
	    EVAL_STEPS_DEFAULT;
	if ((r = cybex_arena_new(EVAL_ARENA_CAP, &ev.a)) != 0 ||
	    (r = pscratch_init(&ev.c)) != 0)
		goto out;
	if ((r = eval_node(&ev, p->root, &res)) != 0)
		goto out;
	if (ev.err == CYBEX_ENOMEM) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	out->nbindings = res.n;
	out->matched = res.n > 0;
	for (i = 0; i < res.n; i++)
		total += res.b[i].n;
	if (total > 0) {
		if ((out->obs = cybex_calloc(total, sizeof(*out->obs))) ==
		    NULL) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		for (i = 0; i < res.n; i++)
			for (j = 0; j < res.b[i].n; j++)
				out->obs[n++] = res.b[i].p[j].obs;
		qsort(out->obs, n, sizeof(*out->obs), size_cmp);
		for (i = 0, j = 0; i < n; i++)
			if (j == 0 || out->obs[j - 1] != out->obs[i])
				out->obs[j++] = out->obs[i];
		out->nobs = j;
	}
	if (!out->matched && ev.truncated) {
		r = cybex_diag_set(d, CYBEX_ETOOBIG, "the pattern has too many "
		    "ways to match these observations to decide within the "
		    "limits (%zu bindings a node, %zu steps)", ev.max_bindings,
		    ev.max_steps);
		goto out;
	}
	r = 0;
 out:
	if (r == CYBEX_ENOMEM)
		cybex_diag_set(d, r, "out of memory");
	if (r != 0)
		cybex_pattern_result_clear(out);
	bset_free(&res);
	pscratch_fini(&ev.c);
	cybex_free(ev.cnt);
	cybex_arena_free(ev.a);
	return r;
}

int
cybex_pattern_match(const struct cybex_pattern *p,
    const struct cybex_pattern_obsset *s,
    const struct cybex_pattern_eval_opts *o,
    struct cybex_pattern_result *out, struct cybex_diag *d)
{
	return run(p, s, SIZE_MAX, o, out, d);
}

int
cybex_pattern_match_one(const struct cybex_pattern *p,
    const struct cybex_pattern_obsset *s, size_t i,
    const struct cybex_pattern_eval_opts *o,
    struct cybex_pattern_result *out, struct cybex_diag *d)
{
	if (i >= s->n) {
		memset(out, 0, sizeof(*out));
		return cybex_diag_set(d, CYBEX_EINVAL, "no observation %zu", i);
	}
	return run(p, s, i, o, out, d);
}

void
cybex_pattern_result_clear(struct cybex_pattern_result *r)
{
	if (r == NULL)
		return;
	cybex_free(r->obs);
	memset(r, 0, sizeof(*r));
}
