/*
 * Lookups: which indicators one observation satisfies.
 *
 * For every SCO of the observation, the fields (property paths) the index
 * knows for its type are walked with the evaluator's own path code, and
 * each value found is probed in the tables its field has entries in:
 * exact keys (in the value's canonical form), domain suffixes (one probe
 * per label), the CIDR radix tree, and the LIKE/MATCHES set (Hyperscan,
 * then PCRE2 to confirm).  Then the compound patterns that name one of
 * the observation's types are evaluated in full on the observation.
 */
#include <math.h>
#include <string.h>

#include "match_int.h"

int
cybex_match_scratch_new(struct cybex_match_scratch **out)
{
	struct cybex_match_scratch *sc;

	*out = NULL;
	if ((sc = cybex_calloc(1, sizeof(*sc))) == NULL)
		return CYBEX_ENOMEM;
	cybex_buf_init(&sc->key, MKEY_MAX);
	cybex_buf_init(&sc->val, MKEY_MAX);
	cybex_buf_init(&sc->in, MKEY_MAX);
	if (cybex_pattern_scratch_new(&sc->ps) != 0) {
		cybex_free(sc);
		return CYBEX_ENOMEM;
	}
	*out = sc;
	return 0;
}

void
cybex_match_scratch_free(struct cybex_match_scratch *sc)
{
	if (sc == NULL)
		return;
	hs_free_scratch(sc->hs);
	cybex_pattern_scratch_free(sc->ps);
	cybex_buf_free(&sc->key);
	cybex_buf_free(&sc->val);
	cybex_buf_free(&sc->in);
	cybex_match_hits_free(&sc->cand);
	cybex_free(sc);
}

/* Size the Hyperscan scratch for every database of ix. */
static int
prepare(const struct cybex_match_index *ix, struct cybex_match_scratch *sc)
{
	size_t i;

	if (sc->for_ix == ix && sc->for_serial == ix->serial)
		return 0;
	for (i = 0; i < ix->nfields; i++)
		if (ix->fields[i].rx.db != NULL &&
		    hs_alloc_scratch(ix->fields[i].rx.db, &sc->hs) !=
		    HS_SUCCESS)
			return CYBEX_ENOMEM;
	sc->for_ix = ix;
	sc->for_serial = ix->serial;
	return 0;
}

struct lctx {
	const struct cybex_match_index	*ix;
	struct cybex_match_scratch	*sc;
	struct cybex_match_hits		*out;
	const struct mfield		*f;
	unsigned			 fid;
	const struct cybex_pattern_value *v;
	int				 err;
};

static void
add_posts(void *ud, uint32_t head)
{
	struct lctx *c = ud;
	uint32_t k;

	for (k = head; k != 0; k = c->ix->posts.v[k].next)
		if (mhits_add(c->out, c->ix->posts.v[k].ind) != 0)
			c->err = CYBEX_ENOMEM;
}

static void
probe(struct lctx *c, int canon, int kind, const void *v, size_t n)
{
	if (mkey(&c->sc->key, c->fid, canon, kind, v, n) != 0) {
		c->err = CYBEX_ENOMEM;
		return;
	}
	add_posts(c, mtab_get(&c->ix->tab, (const uint8_t *)c->sc->key.data,
	    c->sc->key.len));
}

static int
on_hs(unsigned int id, unsigned long long from, unsigned long long to,
    unsigned int flags, void *ud)
{
	struct lctx *c = ud;
	const struct mrxent *e = &c->f->rx.e[id];

	(void)from;
	(void)to;
	(void)flags;
	if (cybex_pattern_test_value(e->test, c->v, c->sc->ps) &&
	    mhits_add(c->out, e->ind) != 0) {
		c->err = CYBEX_ENOMEM;
		return 1;
	}
	return 0;
}

static void
regex(struct lctx *c)
{
	const struct mrx *x = &c->f->rx;
	size_t i;

	if (x->db != NULL && c->v->n <= UINT32_MAX)
		(void)hs_scan(x->db, c->v->s, (unsigned)c->v->n, 0, c->sc->hs,
		    on_hs, c);
	for (i = 0; x->nslow > 0 && i < x->n; i++)
		if ((!x->e[i].in_db || x->db == NULL || c->v->n > UINT32_MAX) &&
		    cybex_pattern_test_value(x->e[i].test, c->v, c->sc->ps) &&
		    mhits_add(c->out, x->e[i].ind) != 0)
			c->err = CYBEX_ENOMEM;
}

/* Lower-case hex digit values; 0xff for anything else. */
static const uint8_t hexval[256] = {
	['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5,
	['6'] = 6, ['7'] = 7, ['8'] = 8, ['9'] = 9, ['a'] = 10, ['b'] = 11,
	['c'] = 12, ['d'] = 13, ['e'] = 14, ['f'] = 15,
};

/*
 * A canonical (lower-case) hex digest as bytes into out, in one pass;
 * false when s is not an even run of hex digits.  The table maps only
 * digits; its zero entries for other bytes are told apart by the check
 * on the character itself.
 */
static bool
unhex(const char *s, size_t n, char *out)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t i;
	uint8_t h, l;

	if (n == 0 || n % 2 != 0)
		return false;
	for (i = 0; i < n; i += 2) {
		h = hexval[u[i]];
		l = hexval[u[i + 1]];
		if ((h == 0 && u[i] != '0') || (l == 0 && u[i + 1] != '0'))
			return false;
		out[i / 2] = (char)(h << 4 | l);
	}
	return true;
}

static void
probe_string(struct lctx *c)
{
	const struct cybex_pattern_value *v = c->v;
	unsigned flags = c->f->flags;
	struct cybex_time t;
	struct cybex_buf *b = &c->sc->val;
	uint8_t a[16], tv[12];
	unsigned plen;
	size_t i;
	int fam;

	if (flags & (MF_STR | MF_HASH)) {
		cybex_buf_reset(b);
		if (cybex_buf_reserve(b, v->n / 2 + 1) != 0) {
			c->err = CYBEX_ENOMEM;
			return;
		}
		if (v->canon == CYBEX_PCANON_HASH && unhex(v->s, v->n, b->data))
			probe(c, v->canon, MK_HASH, b->data, v->n / 2);
		else
			probe(c, v->canon, MK_STR, v->s, v->n);
	}
	if ((flags & MF_SUFFIX) && v->canon == CYBEX_PCANON_DOMAIN)
		for (i = 0; i < v->n; i++)
			if (v->s[i] == '.' && i + 1 < v->n)
				probe(c, CYBEX_PCANON_DOMAIN, MK_SUFFIX,
				    v->s + i + 1, v->n - i - 1);
	if (flags & MF_BIN) {
		cybex_buf_reset(b);
		if (cybex_pattern_latin1(v->s, v->n, b))
			probe(c, 0, MK_BIN, b->data != NULL ? b->data : "",
			    b->len);
	}
	if ((flags & MF_TIME) && cybex_time_parse(v->s, v->n,
	    CYBEX_TIME_UTC_Z, &t, NULL) == 0) {
		memcpy(tv, &t.sec, 8);
		memcpy(tv + 8, &t.nsec, 4);
		probe(c, 0, MK_TIME, tv, 12);
	}
	if ((flags & MF_CIDR) && cybex_pattern_ip_parse(v->s, v->n, &fam, a,
	    &plen))
		radix_lookup(&c->f->cidr, fam, a, plen, add_posts, c);
	if (flags & MF_REGEX)
		regex(c);
}

/* One value of field c->f. */
static void
probe_value(struct lctx *c, const struct cybex_pattern_value *v)
{
	int64_t x;

	c->v = v;
	switch (v->kind) {
	case CYBEX_PVAL_STRING:
		probe_string(c);
		break;
	case CYBEX_PVAL_BINARY:
		if (c->f->flags & MF_BIN)
			probe(c, 0, MK_BIN, v->s, v->n);
		break;
	case CYBEX_PVAL_INT:
		if (c->f->flags & MF_NUM)
			probe(c, 0, MK_NUM, &v->i, 8);
		break;
	case CYBEX_PVAL_FLOAT:
		if ((c->f->flags & MF_NUM) && isfinite(v->f) &&
		    v->f > -9.2e18 && v->f < 9.2e18 &&
		    v->f == (double)(int64_t)v->f) {
			x = (int64_t)v->f;
			probe(c, 0, MK_NUM, &x, 8);
		}
		break;
	default:
		break;
	}
}

static int
on_value(void *ud, const struct cybex_pattern_value *v)
{
	struct lctx *c = ud;

	probe_value(c, v);
	return c->err != 0;
}

static const struct mtype *
type_find(const struct cybex_match_index *ix, const char *type)
{
	size_t i;

	for (i = 0; i < ix->ntypes; i++)
		if (strcmp(ix->types[i].type, type) == 0)
			return &ix->types[i];
	return NULL;
}

int
cybex_match_lookup(const struct cybex_match_index *ix,
    const struct cybex_pattern_obsset *s, size_t i,
    struct cybex_match_scratch *sc, struct cybex_match_hits *out,
    struct cybex_diag *d)
{
	struct cybex_pattern_result res;
	const json_t *objects, *root, *tv;
	const struct mtype *t;
	struct lctx c;
	const char *key;
	size_t k;
	int r;

	out->n = 0;
	if (i >= cybex_pattern_obsset_count(s))
		return cybex_diag_set(d, CYBEX_EINVAL, "no observation %zu", i);
	if ((r = prepare(ix, sc)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	memset(&c, 0, sizeof(c));
	c.ix = ix;
	c.sc = sc;
	c.out = out;
	sc->cand.n = 0;
	objects = cybex_pattern_obsset_objects(s, i);
	json_object_foreach((json_t *)objects, key, root) {
		tv = json_object_get(root, "type");
		if (!json_is_string(tv) ||
		    (t = type_find(ix, json_string_value(tv))) == NULL)
			continue;
		for (k = 0; k < t->nfields && c.err == 0; k++) {
			c.fid = t->fields[k];
			c.f = &ix->fields[c.fid];
			if ((r = cybex_pattern_path_values(s, i, root, c.f->path,
			    sc->ps, on_value, &c)) != 0)
				c.err = r;
		}
		for (k = 0; k < t->ngeneral && c.err == 0; k++)
			if (mhits_add(&sc->cand, t->general[k]) != 0)
				c.err = CYBEX_ENOMEM;
		if (c.err != 0)
			break;
	}
	/* Compound patterns, each once. */
	mhits_finish(&sc->cand);
	for (k = 0; k < sc->cand.n && c.err == 0; k++) {
		r = cybex_pattern_match_one(ix->pat[sc->cand.v[k]], s, i, NULL,
		    &res, NULL);
		if (r == CYBEX_ENOMEM)
			c.err = r;
		else if (r == 0 && res.matched &&
		    mhits_add(out, sc->cand.v[k]) != 0)
			c.err = CYBEX_ENOMEM;
		cybex_pattern_result_clear(&res);
	}
	mhits_finish(out);
	if (c.err != 0)
		return cybex_diag_set(d, c.err, "out of memory");
	return 0;
}

int
cybex_match_field(const struct cybex_match_index *ix, const char *field)
{
	size_t i;

	for (i = 0; i < ix->nfields; i++)
		if (strcmp(ix->fields[i].name, field) == 0)
			return (int)i;
	return -1;
}

static int
lookup_one(const struct cybex_match_index *ix, int field,
    const struct cybex_pattern_value *v, struct cybex_match_scratch *sc,
    struct cybex_match_hits *out)
{
	struct lctx c;
	int r;

	out->n = 0;
	if (field < 0 || (size_t)field >= ix->nfields ||
	    (ix->fields[field].flags & MF_REF))
		return CYBEX_EINVAL;
	if ((r = prepare(ix, sc)) != 0)
		return r;
	memset(&c, 0, sizeof(c));
	c.ix = ix;
	c.sc = sc;
	c.out = out;
	c.fid = (unsigned)field;
	c.f = &ix->fields[field];
	probe_value(&c, v);
	mhits_finish(out);
	return c.err;
}

int
cybex_match_lookup_value(const struct cybex_match_index *ix, int field,
    const char *value, size_t len, struct cybex_match_scratch *sc,
    struct cybex_match_hits *out)
{
	struct cybex_pattern_value v;
	struct cybex_buf *b = &sc->in;

	memset(&v, 0, sizeof(v));
	v.kind = CYBEX_PVAL_STRING;
	v.s = value;
	v.n = len;
	if (field >= 0 && (size_t)field < ix->nfields &&
	    (v.canon = ix->fields[field].canon) != CYBEX_PCANON_NONE) {
		cybex_buf_reset(b);
		if (cybex_pattern_canon(v.canon, value, len, b) != 0)
			return CYBEX_ENOMEM;
		v.s = b->data;
		v.n = b->len;
	}
	return lookup_one(ix, field, &v, sc, out);
}

int
cybex_match_lookup_int(const struct cybex_match_index *ix, int field,
    int64_t value, struct cybex_match_scratch *sc,
    struct cybex_match_hits *out)
{
	struct cybex_pattern_value v;

	memset(&v, 0, sizeof(v));
	v.kind = CYBEX_PVAL_INT;
	v.i = value;
	v.f = (double)value;
	return lookup_one(ix, field, &v, sc, out);
}
