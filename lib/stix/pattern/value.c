/*
 * Values and comparisons: walking an object path through an SCO (and the
 * SCOs its _ref/_refs properties name in the same observation), and
 * deciding one comparison for one value.
 *
 * The rules are those of the specification as the OASIS reference matcher
 * applies them:
 *   - a path that selects several values (through [*]) holds when any of
 *     them passes the test; a path that selects nothing fails, with or
 *     without NOT (except NOT EXISTS);
 *   - = and != between types that cannot be compared make "not equal"
 *     (so != holds, also against a null); ordering between types that
 *     cannot be ordered is false, also under NOT; LIKE, MATCHES, ISSUBSET
 *     and ISSUPERSET on a value of a type they do not apply to (an
 *     integer, a float, a boolean, a string that is not an address) are
 *     false, so true under NOT;
 *   - LIKE and MATCHES on binary values compare the decoded bytes (each a
 *     code point below 256);
 *   - integers and floats compare as numbers; a timestamp literal
 *     compares with a string value read as a timestamp; binary values
 *     (properties ending in _hex or _bin) compare with strings whose code
 *     points are all below 256, taken as bytes;
 *   - values named in canon.c are compared in canonical form.
 */
#include <string.h>

#include "pattern_int.h"

int
pscratch_init(struct cybex_pattern_scratch *c)
{
	memset(c, 0, sizeof(*c));
	cybex_buf_init(&c->lit, 0);
	cybex_buf_init(&c->val, 0);
	cybex_buf_init(&c->bin, 0);
	if ((c->md = pcre2_match_data_create(1, NULL)) == NULL)
		return CYBEX_ENOMEM;
	return 0;
}

void
pscratch_fini(struct cybex_pattern_scratch *c)
{
	cybex_buf_free(&c->lit);
	cybex_buf_free(&c->val);
	cybex_buf_free(&c->bin);
	pcre2_match_data_free(c->md);
	c->md = NULL;
}

int
cybex_pattern_scratch_new(struct cybex_pattern_scratch **out)
{
	struct cybex_pattern_scratch *c;

	*out = NULL;
	if ((c = cybex_malloc(sizeof(*c))) == NULL)
		return CYBEX_ENOMEM;
	if (pscratch_init(c) != 0) {
		pscratch_fini(c);
		cybex_free(c);
		return CYBEX_ENOMEM;
	}
	*out = c;
	return 0;
}

void
cybex_pattern_scratch_free(struct cybex_pattern_scratch *c)
{
	if (c == NULL)
		return;
	pscratch_fini(c);
	cybex_free(c);
}

/* ---- the path walk ---- */

struct pwalk {
	const struct cybex_pattern_obsset	*s;
	size_t					 i;
	const struct cybex_pattern_path		*path;
	struct cybex_pattern_scratch		*c;
	cybex_pattern_value_fn			 fn;
	void					*ud;
	int					 err;
};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static const char *
type_of(const json_t *o)
{
	const json_t *t = json_object_get(o, "type");

	return json_is_string(t) ? json_string_value(t) : NULL;
}

/* *_hex and *_bin strings as bytes; false when they do not decode. */
static bool
to_binary(const char *key, const char *s, size_t n, struct cybex_buf *out)
{
	size_t i, k;
	uint32_t acc;
	int h, l;

	cybex_buf_reset(out);
	if (cybex_buf_reserve(out, n) != 0)
		return false;
	if (ends_with(key, "_hex")) {
		if (n % 2 != 0)
			return false;
		for (i = 0; i < n; i += 2) {
			if ((h = cybex_hexval(s[i])) < 0 || (l = cybex_hexval(s[i + 1])) < 0)
				return false;
			out->data[out->len++] = (char)(h << 4 | l);
		}
		out->data[out->len] = '\0';
		return true;
	}
	if (n % 4 != 0)
		return false;
	for (i = 0; i < n; i += 4) {
		acc = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == n && k >= 2)
				l = 0;
			else if ((l = cybex_b64val(s[i + k])) < 0)
				return false;
			acc = acc << 6 | (uint32_t)l;
		}
		out->data[out->len++] = (char)(acc >> 16);
		if (s[i + 2] != '=')
			out->data[out->len++] = (char)(acc >> 8);
		if (s[i + 3] != '=')
			out->data[out->len++] = (char)acc;
	}
	out->data[out->len] = '\0';
	return true;
}

/* Hand one JSON value to the callback. */
static int
emit(struct pwalk *w, const json_t *v, const char *holder, const char *key,
    bool in_hashes)
{
	struct cybex_pattern_value pv;
	struct cybex_pattern_scratch *c = w->c;

	memset(&pv, 0, sizeof(pv));
	pv.json = v;
	switch (json_typeof(v)) {
	case JSON_STRING:
		pv.kind = CYBEX_PVAL_STRING;
		pv.s = json_string_value(v);
		pv.n = json_string_length(v);
		if (key != NULL && (ends_with(key, "_hex") ||
		    ends_with(key, "_bin")) &&
		    to_binary(key, pv.s, pv.n, &c->bin)) {
			pv.kind = CYBEX_PVAL_BINARY;
			pv.s = c->bin.data != NULL ? c->bin.data : "";
			pv.n = c->bin.len;
			break;
		}
		pv.canon = cybex_pattern_canon_kind(holder, key, in_hashes);
		if (pv.canon != CYBEX_PCANON_NONE) {
			cybex_buf_reset(&c->val);
			if (cybex_pattern_canon(pv.canon, pv.s, pv.n,
			    &c->val) != 0) {
				w->err = CYBEX_ENOMEM;
				return 1;
			}
			pv.s = c->val.data;
			pv.n = c->val.len;
		}
		break;
	case JSON_INTEGER:
		pv.kind = CYBEX_PVAL_INT;
		pv.i = json_integer_value(v);
		pv.f = (double)pv.i;
		break;
	case JSON_REAL:
		pv.kind = CYBEX_PVAL_FLOAT;
		pv.f = json_real_value(v);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		pv.kind = CYBEX_PVAL_BOOL;
		pv.i = json_is_true(v);
		break;
	case JSON_NULL:
		/*
		 * A null (which STIX does not allow, but observations may
		 * hold) is a value of no comparable type: only != holds, as
		 * in the reference matcher.
		 */
	default:
		pv.kind = CYBEX_PVAL_OTHER;
		break;
	}
	return w->fn(w->ud, &pv);
}

/* cur was reached by steps[0..k), taken under key from an object of type
 * holder; returns nonzero to stop. */
static int
walk(struct pwalk *w, const json_t *cur, size_t k, const char *holder,
    const char *key, bool in_hashes)
{
	const struct cybex_pattern_step *st;
	const json_t *v, *target, *x, *objects;
	const char *k2;
	json_t *list;
	size_t n, j;
	int64_t idx;
	int r = 0;

	if (k == w->path->nsteps)
		return emit(w, cur, holder, key, in_hashes);
	st = &w->path->steps[k];
	objects = w->s->v[w->i].objects;
	switch (st->kind) {
	case CYBEX_PSTEP_KEY:
		if (!json_is_object(cur) ||
		    (v = json_object_get(cur, st->key)) == NULL)
			return 0;
		if (ends_with(st->key, "_ref")) {
			if (!json_is_string(v) || (target = json_object_get(
			    objects, json_string_value(v))) == NULL)
				return 0;
			return walk(w, target, k + 1, type_of(cur), st->key,
			    false);
		}
		if (ends_with(st->key, "_refs")) {
			if (!json_is_array(v))
				return 0;
			if ((list = json_array()) == NULL) {
				w->err = CYBEX_ENOMEM;
				return 1;
			}
			json_array_foreach(v, j, x) {
				if (json_is_string(x) && (target =
				    json_object_get(objects,
				    json_string_value(x))) != NULL &&
				    json_array_append(list,
				    (json_t *)target) != 0) {
					w->err = CYBEX_ENOMEM;
					r = 1;
					break;
				}
			}
			if (r == 0 && json_array_size(list) > 0)
				r = walk(w, list, k + 1, type_of(cur), st->key,
				    false);
			json_decref(list);
			return r;
		}
		return walk(w, v, k + 1, type_of(cur), st->key,
		    key != NULL && strcmp(key, "hashes") == 0);
	case CYBEX_PSTEP_INDEX:
		if (!json_is_array(cur))
			return 0;
		n = json_array_size(cur);
		idx = st->index < 0 ? (int64_t)n + st->index : st->index;
		if (idx < 0 || (uint64_t)idx >= n)
			return 0;
		return walk(w, json_array_get(cur, (size_t)idx), k + 1, holder,
		    key, in_hashes);
	default:
		if (json_is_array(cur)) {
			json_array_foreach(cur, j, x)
				if ((r = walk(w, x, k + 1, holder, key,
				    in_hashes)) != 0)
					return r;
		} else if (json_is_object(cur)) {
			json_object_foreach((json_t *)cur, k2, v)
				if ((r = walk(w, v, k + 1, type_of(cur), k2,
				    key != NULL &&
				    strcmp(key, "hashes") == 0)) != 0)
					return r;
		}
		return 0;
	}
}

static int
path_values(const struct cybex_pattern_obsset *s, size_t i,
    const json_t *root, const struct cybex_pattern_path *path,
    struct cybex_pattern_scratch *c, cybex_pattern_value_fn fn, void *ud)
{
	struct pwalk w;
	const char *t = type_of(root);

	if (t == NULL || strcmp(t, path->type) != 0 || i >= s->n)
		return 0;
	w.s = s;
	w.i = i;
	w.path = path;
	w.c = c;
	w.fn = fn;
	w.ud = ud;
	w.err = 0;
	(void)walk(&w, root, 0, NULL, NULL, false);
	return w.err;
}

int
cybex_pattern_path_values(const struct cybex_pattern_obsset *s, size_t i,
    const json_t *root, const struct cybex_pattern_path *path,
    struct cybex_pattern_scratch *c, cybex_pattern_value_fn fn, void *ud)
{
	struct cybex_pattern_scratch tmp;
	int r;

	if (c != NULL)
		return path_values(s, i, root, path, c, fn, ud);
	if ((r = pscratch_init(&tmp)) == 0)
		r = path_values(s, i, root, path, &tmp, fn, ud);
	pscratch_fini(&tmp);
	return r;
}

/* ---- comparisons ---- */

static int
bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r != 0)
		return r;
	return an < bn ? -1 : an > bn ? 1 : 0;
}

static bool
is_num(int kind)
{
	return kind == CYBEX_PVAL_INT || kind == CYBEX_PVAL_FLOAT;
}

/*
 * Order v against literal l: *out <0, 0, >0; false when the two cannot be
 * compared.
 */
static bool
compare(const struct cybex_pattern_value *v, const struct cybex_pattern_lit *l,
    struct cybex_pattern_scratch *c, int *out)
{
	struct cybex_time t;

	switch (l->type) {
	case CYBEX_PLIT_INT:
	case CYBEX_PLIT_FLOAT:
		if (!is_num(v->kind))
			return false;
		if (v->kind == CYBEX_PVAL_INT && l->type == CYBEX_PLIT_INT)
			*out = v->i < l->i ? -1 : v->i > l->i;
		else
			*out = v->f < l->f ? -1 : v->f > l->f;
		return true;
	case CYBEX_PLIT_STRING:
		if (v->kind == CYBEX_PVAL_STRING) {
			*out = bytes_cmp(v->s, v->n, l->s, l->n);
			return true;
		}
		if (v->kind != CYBEX_PVAL_BINARY)
			return false;
		cybex_buf_reset(&c->lit);
		if (!pcanon_latin1(l->s, l->n, &c->lit))
			return false;
		*out = bytes_cmp(v->s, v->n, c->lit.data != NULL ?
		    c->lit.data : "", c->lit.len);
		return true;
	case CYBEX_PLIT_BINARY:
	case CYBEX_PLIT_HEX:
		if (v->kind == CYBEX_PVAL_BINARY) {
			*out = bytes_cmp(v->s, v->n, l->s, l->n);
			return true;
		}
		if (v->kind != CYBEX_PVAL_STRING)
			return false;
		cybex_buf_reset(&c->lit);
		if (!pcanon_latin1(v->s, v->n, &c->lit))
			return false;
		*out = bytes_cmp(c->lit.data != NULL ? c->lit.data : "",
		    c->lit.len, l->s, l->n);
		return true;
	case CYBEX_PLIT_TIMESTAMP:
		if (v->kind != CYBEX_PVAL_STRING || cybex_time_parse(v->s,
		    v->n, CYBEX_TIME_UTC_Z, &t, NULL) != 0)
			return false;
		*out = cybex_time_cmp(&t, &l->t);
		return true;
	default:
		return false;
	}
}

static bool
equal(const struct cybex_pattern_value *v, const struct cybex_pattern_lit *l,
    struct cybex_pattern_scratch *c)
{
	int r;

	if (l->type == CYBEX_PLIT_BOOL)
		return v->kind == CYBEX_PVAL_BOOL && v->i == l->i;
	if (l->type == CYBEX_PLIT_STRING && v->kind == CYBEX_PVAL_STRING &&
	    v->canon != CYBEX_PCANON_NONE) {
		cybex_buf_reset(&c->lit);
		if (cybex_pattern_canon(v->canon, l->s, l->n, &c->lit) != 0)
			return false;
		return bytes_cmp(v->s, v->n, c->lit.data, c->lit.len) == 0;
	}
	return compare(v, l, c, &r) && r == 0;
}

/* a (family, addr, plen) inside b? */
static bool
ip_within(const char *a, size_t an, const char *b, size_t bn)
{
	uint8_t x[16], y[16];
	unsigned xl, yl, i;
	int xf, yf;

	if (!cybex_pattern_ip_parse(a, an, &xf, x, &xl) ||
	    !cybex_pattern_ip_parse(b, bn, &yf, y, &yl) || xf != yf ||
	    xl < yl)
		return false;
	for (i = 0; i < yl; i++)
		if (((x[i / 8] ^ y[i / 8]) >> (7 - i % 8)) & 1)
			return false;
	return true;
}

static bool
ip_ok(const char *s, size_t n)
{
	uint8_t a[16];
	unsigned l;
	int f;

	return cybex_pattern_ip_parse(s, n, &f, a, &l);
}

static bool
test_value(const struct cybex_pattern_node *t,
    const struct cybex_pattern_value *v, struct cybex_pattern_scratch *c)
{
	const struct cybex_pattern_lit *l = t->lits;
	bool r = false;
	size_t k;
	int o;

	switch (t->op) {
	case CYBEX_POP_EQ:
		r = equal(v, l, c);
		break;
	case CYBEX_POP_NE:
		r = !equal(v, l, c);
		break;
	case CYBEX_POP_IN:
		for (k = 0; k < t->nlits && !r; k++)
			r = equal(v, &l[k], c);
		break;
	case CYBEX_POP_LT: case CYBEX_POP_LE:
	case CYBEX_POP_GT: case CYBEX_POP_GE:
		if (!compare(v, l, c, &o))
			return false;
		r = t->op == CYBEX_POP_LT ? o < 0 : t->op == CYBEX_POP_LE ?
		    o <= 0 : t->op == CYBEX_POP_GT ? o > 0 : o >= 0;
		break;
	case CYBEX_POP_LIKE:
	case CYBEX_POP_MATCHES:
		if (t->priv == NULL)
			return false;
		/* a value of another type: false, and true under NOT */
		if (v->kind != CYBEX_PVAL_STRING &&
		    v->kind != CYBEX_PVAL_BINARY)
			break;
		r = prx_match(t->priv, v->s, v->n,
		    v->kind == CYBEX_PVAL_BINARY, c->md) == 1;
		break;
	case CYBEX_POP_ISSUBSET:
	case CYBEX_POP_ISSUPERSET:
		if (v->kind != CYBEX_PVAL_STRING || !ip_ok(v->s, v->n) ||
		    !ip_ok(l->s, l->n))
			break;
		r = t->op == CYBEX_POP_ISSUBSET ? ip_within(v->s, v->n, l->s,
		    l->n) : ip_within(l->s, l->n, v->s, v->n);
		break;
	default:
		return false;
	}
	return t->negated ? !r : r;
}

bool
cybex_pattern_test_value(const struct cybex_pattern_node *t,
    const struct cybex_pattern_value *v, struct cybex_pattern_scratch *c)
{
	struct cybex_pattern_scratch tmp;
	bool r = false;

	if (t->op == CYBEX_POP_EXISTS)
		return true;
	if (c != NULL)
		return test_value(t, v, c);
	if (pscratch_init(&tmp) == 0)
		r = test_value(t, v, &tmp);
	pscratch_fini(&tmp);
	return r;
}

/* ---- a comparison expression on one root ---- */

struct tstate {
	const struct cybex_pattern_node	*t;
	struct cybex_pattern_scratch	*c;
	bool				 hit;
};

static int
on_value(void *ud, const struct cybex_pattern_value *v)
{
	struct tstate *ts = ud;

	if (ts->t->op == CYBEX_POP_EXISTS)
		ts->hit = true;
	else
		ts->hit = test_value(ts->t, v, ts->c);
	return ts->hit;
}

int
pcmp_root(const struct cybex_pattern_obsset *s, size_t i, const json_t *root,
    const struct cybex_pattern_node *n, struct cybex_pattern_scratch *c,
    bool *out)
{
	struct tstate ts;
	const char *type;
	size_t k;
	int r = 0;
	bool b = false;

	switch (n->kind) {
	case CYBEX_PN_CAND:
	case CYBEX_PN_COR:
		b = n->kind == CYBEX_PN_CAND;
		for (k = 0; k < n->nkids; k++) {
			if ((r = pcmp_root(s, i, root, n->kids[k], c, &b)) != 0)
				break;
			if (b != (n->kind == CYBEX_PN_CAND))
				break;		/* decided */
		}
		break;
	case CYBEX_PN_TEST:
		type = type_of(root);
		if (type == NULL || strcmp(type, n->path->type) != 0)
			break;
		ts.t = n;
		ts.c = c;
		ts.hit = false;
		r = path_values(s, i, root, n->path, c, on_value, &ts);
		b = n->op == CYBEX_POP_EXISTS && n->negated ? !ts.hit : ts.hit;
		break;
	default:
		r = CYBEX_EINTERNAL;
		break;
	}
	*out = r == 0 && b;
	return r;
}
