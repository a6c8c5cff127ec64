/*
 * The builder: which indicators are active, how each pattern is indexed,
 * and the compiled index.
 *
 * A pattern is "decomposable" when it is an OR (between observation
 * expressions or inside [ ]) of single comparisons without NOT, each of
 * = or IN (strings, integers, binary, hex and timestamp literals),
 * ISSUBSET (an IP or CIDR), LIKE or MATCHES.  Such a pattern holds for one
 * observation exactly when one of its comparisons holds for one value of
 * one SCO, so its comparisons become table entries:
 *   =, IN      exact keys: the literal in the canonical form the value
 *              will carry (canon.c), for every form the path allows
 *   LIKE '%.x' a domain suffix, when the path is domain-name:value
 *   ISSUBSET   a prefix in the field's radix tree
 *   LIKE, MATCHES  an expression in the field's Hyperscan set
 * The pattern itself is dropped unless it has expressions (their PCRE2
 * code confirms Hyperscan's hits).  Anything else is kept whole and
 * evaluated, for observations with an SCO of a type it names.
 */
#include <stdio.h>
#include <string.h>

#include "match_int.h"

enum { CLS_DEAD = 0, CLS_EXACT, CLS_REGEX, CLS_GENERAL };
enum { LEAF_KEY = 1, LEAF_CIDR, LEAF_RX };

struct bleaf {
	uint32_t			 ind;
	uint16_t			 field;
	uint8_t				 what;
	uint8_t				 fam;
	uint32_t			 off;	/* key or address in the pool */
	uint32_t			 len;	/* key length, or prefix length */
	const struct cybex_pattern_node	*test;	/* LEAF_RX */
};

struct bind {
	uint8_t			 uuid[16];
	char			*rawid;
	struct cybex_time	 modified;
	int			 cls;
	struct cybex_pattern	*p;
};

struct cybex_match_builder {
	struct cybex_match_opts	 o;
	struct cybex_time	 now;
	struct bind		*ind;
	size_t			 nind;
	size_t			 cap;
	size_t			 live;
	json_t			*byid;		/* id -> record number */
	struct bleaf		*leaf;
	size_t			 nleaf;
	size_t			 leafcap;
	uint8_t			*pool;
	size_t			 plen;
	size_t			 pcap;
	json_t			*fieldmap;	/* name -> field number */
	struct mfield		*fields;
	size_t			 nfields;
	size_t			 fcap;
	struct cybex_buf	 key;
	struct cybex_buf	 tmp;
	const struct cybex_pattern_node **tests;	/* classify's list */
	size_t			 skipped;
	size_t			 replaced;
	size_t			 invalid;
};

#define SAFE_INT	(1LL << 53)

int
cybex_match_builder_new(const struct cybex_match_opts *o,
    const struct cybex_time *now, struct cybex_match_builder **out)
{
	struct cybex_match_builder *b;
	int r;

	*out = NULL;
	if ((b = cybex_calloc(1, sizeof(*b))) == NULL)
		return CYBEX_ENOMEM;
	if (o != NULL)
		b->o = *o;
	if (b->o.max_indicators == 0)
		b->o.max_indicators = CYBEX_MATCH_INDICATORS_MAX_DEFAULT;
	if (now != NULL)
		b->now = *now;
	else if ((r = cybex_time_now(&b->now)) != 0) {
		cybex_free(b);
		return r;
	}
	cybex_buf_init(&b->key, MKEY_MAX);
	cybex_buf_init(&b->tmp, MKEY_MAX);
	if ((b->byid = json_object()) == NULL ||
	    (b->fieldmap = json_object()) == NULL) {
		cybex_match_builder_free(b);
		return CYBEX_ENOMEM;
	}
	*out = b;
	return 0;
}

/* Forget everything added (the fields go to an index or are freed). */
static void
reset(struct cybex_match_builder *b, bool free_fields)
{
	size_t i;

	for (i = 0; i < b->nind; i++) {
		cybex_free(b->ind[i].rawid);
		cybex_pattern_free(b->ind[i].p);
	}
	cybex_free(b->ind);
	b->ind = NULL;
	b->nind = b->cap = b->live = 0;
	json_object_clear(b->byid);
	json_object_clear(b->fieldmap);
	cybex_free(b->leaf);
	b->leaf = NULL;
	b->nleaf = b->leafcap = 0;
	cybex_free(b->pool);
	b->pool = NULL;
	b->plen = b->pcap = 0;
	if (free_fields)
		for (i = 0; i < b->nfields; i++) {
			cybex_free(b->fields[i].name);
			cybex_pattern_free(b->fields[i].holder);
		}
	cybex_free(b->fields);
	b->fields = NULL;
	b->nfields = b->fcap = 0;
	b->skipped = b->replaced = b->invalid = 0;
}

void
cybex_match_builder_free(struct cybex_match_builder *b)
{
	if (b == NULL)
		return;
	reset(b, true);
	json_decref(b->byid);
	json_decref(b->fieldmap);
	cybex_free(b->tests);
	cybex_buf_free(&b->key);
	cybex_buf_free(&b->tmp);
	cybex_free(b);
}

/* ---- storage ---- */

static int
pool_add(struct cybex_match_builder *b, const void *p, size_t n,
    uint32_t *off)
{
	uint8_t *np;
	size_t ncap;

	if (b->plen + n >= UINT32_MAX)
		return CYBEX_ETOOBIG;
	if (b->plen + n > b->pcap) {
		ncap = b->pcap ? b->pcap * 2 : 65536;
		while (ncap < b->plen + n)
			ncap *= 2;
		if ((np = cybex_realloc(b->pool, ncap)) == NULL)
			return CYBEX_ENOMEM;
		b->pool = np;
		b->pcap = ncap;
	}
	memcpy(b->pool + b->plen, p, n);
	*off = (uint32_t)b->plen;
	b->plen += n;
	return 0;
}

static struct bleaf *
leaf_new(struct cybex_match_builder *b)
{
	struct bleaf *nv;
	size_t ncap;

	if (b->nleaf == b->leafcap) {
		ncap = b->leafcap ? b->leafcap * 2 : 256;
		if ((nv = cybex_reallocarray(b->leaf, ncap, sizeof(*nv))) ==
		    NULL)
			return NULL;
		b->leaf = nv;
		b->leafcap = ncap;
	}
	memset(&b->leaf[b->nleaf], 0, sizeof(b->leaf[b->nleaf]));
	return &b->leaf[b->nleaf++];
}

/* The field for path (made on first use); -1 on error. */
static int
field_get(struct cybex_match_builder *b, const struct cybex_pattern_path *pa)
{
	struct cybex_pattern_opts o = { .flags = CYBEX_PATTERN_SYNTAX_ONLY };
	struct mfield *f, *nv;
	const json_t *v;
	size_t ncap, i;
	int r;

	cybex_buf_reset(&b->tmp);
	if (cybex_pattern_write_path(pa, &b->tmp) != 0)
		return -1;
	if ((v = json_object_get(b->fieldmap, b->tmp.data)) != NULL)
		return (int)json_integer_value(v);
	if (b->nfields >= 65535)
		return -1;
	if (b->nfields == b->fcap) {
		ncap = b->fcap ? b->fcap * 2 : 16;
		if ((nv = cybex_reallocarray(b->fields, ncap, sizeof(*nv))) ==
		    NULL)
			return -1;
		b->fields = nv;
		b->fcap = ncap;
	}
	f = &b->fields[b->nfields];
	memset(f, 0, sizeof(*f));
	if ((f->name = cybex_strdup(b->tmp.data)) == NULL)
		return -1;
	/* The field owns its path: a pattern "[EXISTS path]". */
	cybex_buf_reset(&b->tmp);
	r = cybex_buf_puts(&b->tmp, "[EXISTS ");
	r |= cybex_buf_puts(&b->tmp, f->name);
	r |= cybex_buf_putc(&b->tmp, ']');
	if (r != 0 || cybex_pattern_new(b->tmp.data, b->tmp.len, &o, NULL,
	    NULL, &f->holder, NULL) != 0 ||
	    cybex_pattern_compact(f->holder) != 0) {
		cybex_free(f->name);
		cybex_pattern_free(f->holder);
		return -1;
	}
	f->path = cybex_pattern_root(f->holder)->kids[0]->path;
	f->type = f->path->type;
	for (i = 0; i < f->path->nsteps; i++)
		if (f->path->steps[i].kind == CYBEX_PSTEP_KEY &&
		    (strstr(f->path->steps[i].key, "_ref") != NULL))
			f->flags |= MF_REF;
	f->canon = CYBEX_PCANON_NONE;
	for (i = 0; i < 8; i++)
		if (mpath_canons(f->path) == 1u << i)
			f->canon = (int)i;
	if (json_object_set_new(b->fieldmap, f->name,
	    json_integer((json_int_t)b->nfields)) != 0) {
		cybex_free(f->name);
		cybex_pattern_free(f->holder);
		return -1;
	}
	return (int)b->nfields++;
}

/* ---- classification ---- */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static const char *
last_key(const struct cybex_pattern_path *pa)
{
	const struct cybex_pattern_step *st = &pa->steps[pa->nsteps - 1];

	return st->kind == CYBEX_PSTEP_KEY ? st->key : "";
}

static bool
is_binary_path(const struct cybex_pattern_path *pa)
{
	return ends_with(last_key(pa), "_hex") ||
	    ends_with(last_key(pa), "_bin");
}

/* Whether the test can become table entries. */
static bool
admissible(const struct cybex_pattern_node *t)
{
	const struct cybex_pattern_lit *l;
	uint8_t a[16];
	unsigned plen;
	size_t k, n;
	bool dotall;
	int fam;

	if (t->negated)
		return false;
	switch (t->op) {
	case CYBEX_POP_EQ:
	case CYBEX_POP_IN:
		for (k = 0; k < t->nlits; k++) {
			l = &t->lits[k];
			if (l->type == CYBEX_PLIT_BOOL ||
			    (l->type == CYBEX_PLIT_INT && (l->i > SAFE_INT ||
			    l->i < -SAFE_INT)) ||
			    (l->type == CYBEX_PLIT_FLOAT && (l->f != (double)
			    (int64_t)l->f || l->f > (double)SAFE_INT ||
			    l->f < -(double)SAFE_INT)))
				return false;
		}
		return true;
	case CYBEX_POP_ISSUBSET:
		return cybex_pattern_ip_parse(t->lits[0].s, t->lits[0].n, &fam,
		    a, &plen);
	case CYBEX_POP_LIKE:
		return cybex_pattern_regex(t, &n, &dotall) != NULL;
	case CYBEX_POP_MATCHES:
		return cybex_pattern_regex(t, &n, &dotall) != NULL &&
		    !is_binary_path(t->path);
	default:
		return false;
	}
}

/* Collect the tests of a decomposable pattern; false when it is not. */
static bool
decompose(const struct cybex_pattern_node *n,
    const struct cybex_pattern_node **out, size_t *nout, size_t max)
{
	size_t i;

	switch (n->kind) {
	case CYBEX_PN_OBS:
		return decompose(n->kids[0], out, nout, max);
	case CYBEX_PN_OR:
	case CYBEX_PN_COR:
		for (i = 0; i < n->nkids; i++)
			if (!decompose(n->kids[i], out, nout, max))
				return false;
		return true;
	case CYBEX_PN_TEST:
		if (*nout >= max || !admissible(n))
			return false;
		out[(*nout)++] = n;
		return true;
	default:
		return false;
	}
}

static bool
all_hex_even(const char *s, size_t n)
{
	size_t i;

	if (n % 2 != 0 || n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Canonical hash text (lower-case hex) as bytes, in place. */
static size_t
unhex(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n / 2; i++) {
		int h = s[2 * i] <= '9' ? s[2 * i] - '0' : s[2 * i] - 'a' + 10;
		int l = s[2 * i + 1] <= '9' ? s[2 * i + 1] - '0' :
		    s[2 * i + 1] - 'a' + 10;

		s[i] = (char)(h << 4 | l);
	}
	return n / 2;
}

static int
add_key_leaf(struct cybex_match_builder *b, uint32_t ind, int field,
    int canon, int kind, const void *v, size_t n)
{
	struct bleaf *lf;
	int r;

	if ((r = mkey(&b->key, (unsigned)field, canon, kind, v, n)) != 0)
		return r;
	if ((lf = leaf_new(b)) == NULL)
		return CYBEX_ENOMEM;
	lf->ind = ind;
	lf->field = (uint16_t)field;
	lf->what = LEAF_KEY;
	lf->len = (uint32_t)b->key.len;
	return pool_add(b, b->key.data, b->key.len, &lf->off);
}

/* The exact keys of a string literal under every canonical form. */
static int
string_leaves(struct cybex_match_builder *b, uint32_t ind, int field,
    const struct cybex_pattern_lit *l)
{
	struct mfield *f = &b->fields[field];
	unsigned canons = mpath_canons(f->path), k;
	struct cybex_buf c;
	int r = 0;

	cybex_buf_init(&c, MKEY_MAX);
	for (k = 0; k < 8 && r == 0; k++) {
		if (!(canons & 1u << k))
			continue;
		cybex_buf_reset(&c);
		if ((r = cybex_pattern_canon((int)k, l->s, l->n, &c)) != 0)
			break;
		if (k == CYBEX_PCANON_HASH && all_hex_even(c.data, c.len)) {
			c.len = unhex(c.data, c.len);
			r = add_key_leaf(b, ind, field, (int)k, MK_HASH, c.data,
			    c.len);
			f->flags |= MF_HASH;
		} else {
			r = add_key_leaf(b, ind, field, (int)k, MK_STR, c.data,
			    c.len);
			f->flags |= MF_STR;
		}
	}
	if (r == 0 && is_binary_path(f->path)) {
		cybex_buf_reset(&c);
		if (cybex_buf_reserve(&c, l->n) != 0)
			r = CYBEX_ENOMEM;
		/* code points above 255 never equal bytes: no key then */
		else if (cybex_pattern_latin1(l->s, l->n, &c)) {
			r = add_key_leaf(b, ind, field, 0, MK_BIN, c.data != NULL ?
			    c.data : "", c.len);
			f->flags |= MF_BIN;
		}
	}
	cybex_buf_free(&c);
	return r;
}

static int
literal_leaves(struct cybex_match_builder *b, uint32_t ind, int field,
    const struct cybex_pattern_lit *l)
{
	struct mfield *f = &b->fields[field];
	uint8_t v[12];
	int64_t x;

	switch (l->type) {
	case CYBEX_PLIT_STRING:
		return string_leaves(b, ind, field, l);
	case CYBEX_PLIT_INT:
	case CYBEX_PLIT_FLOAT:
		x = l->type == CYBEX_PLIT_INT ? l->i : (int64_t)l->f;
		memcpy(v, &x, 8);
		f->flags |= MF_NUM;
		return add_key_leaf(b, ind, field, 0, MK_NUM, v, 8);
	case CYBEX_PLIT_BINARY:
	case CYBEX_PLIT_HEX:
		f->flags |= MF_BIN;
		return add_key_leaf(b, ind, field, 0, MK_BIN, l->s, l->n);
	case CYBEX_PLIT_TIMESTAMP:
		memcpy(v, &l->t.sec, 8);
		memcpy(v + 8, &l->t.nsec, 4);
		f->flags |= MF_TIME;
		return add_key_leaf(b, ind, field, 0, MK_TIME, v, 12);
	default:
		return CYBEX_EINTERNAL;
	}
}

/* LIKE '%.example.com' on domain-name:value, with a canonical suffix. */
static bool
suffix_of(struct cybex_match_builder *b, const struct cybex_pattern_node *t,
    const char **s, size_t *n)
{
	const struct cybex_pattern_lit *l = &t->lits[0];
	const struct cybex_pattern_path *pa = t->path;

	if (t->op != CYBEX_POP_LIKE || pa->nsteps != 1 ||
	    mpath_canons(pa) != 1u << CYBEX_PCANON_DOMAIN || l->n < 3 ||
	    l->s[0] != '%' || l->s[1] != '.' ||
	    memchr(l->s + 2, '%', l->n - 2) != NULL ||
	    memchr(l->s + 2, '_', l->n - 2) != NULL)
		return false;
	cybex_buf_reset(&b->tmp);
	if (cybex_pattern_canon(CYBEX_PCANON_DOMAIN, l->s + 2, l->n - 2,
	    &b->tmp) != 0 || b->tmp.len != l->n - 2 ||
	    memcmp(b->tmp.data, l->s + 2, l->n - 2) != 0)
		return false;
	*s = l->s + 2;
	*n = l->n - 2;
	return true;
}

static int
test_leaves(struct cybex_match_builder *b, uint32_t ind,
    const struct cybex_pattern_node *t, bool *has_rx)
{
	struct bleaf *lf;
	struct mfield *f;
	uint8_t a[16];
	unsigned plen;
	const char *sfx;
	size_t k, n;
	int field, fam, r = 0;

	if ((field = field_get(b, t->path)) < 0)
		return CYBEX_ENOMEM;
	f = &b->fields[field];
	switch (t->op) {
	case CYBEX_POP_EQ:
	case CYBEX_POP_IN:
		for (k = 0; k < t->nlits && r == 0; k++)
			r = literal_leaves(b, ind, field, &t->lits[k]);
		return r;
	case CYBEX_POP_ISSUBSET:
		(void)cybex_pattern_ip_parse(t->lits[0].s, t->lits[0].n, &fam,
		    a, &plen);
		if ((lf = leaf_new(b)) == NULL)
			return CYBEX_ENOMEM;
		lf->ind = ind;
		lf->field = (uint16_t)field;
		lf->what = LEAF_CIDR;
		lf->fam = (uint8_t)fam;
		lf->len = plen;
		f->flags |= MF_CIDR;
		return pool_add(b, a, 16, &lf->off);
	default:
		if (suffix_of(b, t, &sfx, &n)) {
			f->flags |= MF_SUFFIX;
			return add_key_leaf(b, ind, field, CYBEX_PCANON_DOMAIN,
			    MK_SUFFIX, sfx, n);
		}
		if ((lf = leaf_new(b)) == NULL)
			return CYBEX_ENOMEM;
		lf->ind = ind;
		lf->field = (uint16_t)field;
		lf->what = LEAF_RX;
		lf->test = t;
		f->flags |= MF_REGEX;
		*has_rx = true;
		return 0;
	}
}

#define LEAVES_MAX	4096

/* Index record ind's pattern: its class and its leaves. */
static int
classify(struct cybex_match_builder *b, uint32_t ind)
{
	const struct cybex_pattern_node **tests;
	struct bind *x = &b->ind[ind];
	size_t n = 0, i, saved = b->nleaf;
	bool has_rx = false;
	int r = 0;

	if (b->tests == NULL && (b->tests = cybex_reallocarray(NULL,
	    LEAVES_MAX, sizeof(*b->tests))) == NULL)
		return CYBEX_ENOMEM;
	tests = b->tests;
	if (!decompose(cybex_pattern_root(x->p), tests, &n, LEAVES_MAX)) {
		x->cls = CLS_GENERAL;
		goto out;
	}
	for (i = 0; i < n && r == 0; i++)
		r = test_leaves(b, ind, tests[i], &has_rx);
	if (r != 0) {
		b->nleaf = saved;
		goto out;
	}
	x->cls = has_rx ? CLS_REGEX : CLS_EXACT;
	if (!has_rx) {
		cybex_pattern_free(x->p);
		x->p = NULL;
	}
 out:
	return r;
}

/* ---- adding indicators ---- */

static bool
get_time(const json_t *o, const char *key, struct cybex_time *out)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && cybex_time_parse(json_string_value(v),
	    json_string_length(v), CYBEX_TIME_UTC_Z, out, NULL) == 0;
}

static bool
str_is(const json_t *o, const char *key, const char *value)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && strcmp(json_string_value(v), value) == 0;
}

static int
record_new(struct cybex_match_builder *b, uint32_t *out)
{
	struct bind *nv;
	size_t ncap;

	if (b->live >= b->o.max_indicators || b->nind >= UINT32_MAX - 1)
		return CYBEX_ETOOBIG;
	if (b->nind == b->cap) {
		ncap = b->cap ? b->cap * 2 : 256;
		if ((nv = cybex_reallocarray(b->ind, ncap, sizeof(*nv))) ==
		    NULL)
			return CYBEX_ENOMEM;
		b->ind = nv;
		b->cap = ncap;
	}
	memset(&b->ind[b->nind], 0, sizeof(b->ind[b->nind]));
	*out = (uint32_t)b->nind++;
	return 0;
}

int
cybex_match_builder_add(struct cybex_match_builder *b,
    const json_t *indicator, struct cybex_diag *d)
{
	const json_t *idv = json_object_get(indicator, "id");
	const json_t *pat = json_object_get(indicator, "pattern"), *prev;
	struct cybex_time from, until, modified;
	struct cybex_uuid u;
	struct cybex_pattern *p = NULL;
	struct bind *x;
	const char *id;
	char back[64];
	uint32_t k;
	int r;

	if (!str_is(indicator, "type", "indicator") ||
	    !str_is(indicator, "pattern_type", "stix") ||
	    json_is_true(json_object_get(indicator, "revoked"))) {
		b->skipped++;
		return 0;
	}
	if (!json_is_string(idv) || !json_is_string(pat) ||
	    strncmp(json_string_value(idv), "indicator--", 11) != 0 ||
	    cybex_uuid_parse(json_string_value(idv) + 11,
	    json_string_length(idv) - 11, &u) != 0) {
		b->invalid++;
		return cybex_diag_set(d, CYBEX_EFORMAT, "an indicator needs an "
		    "id indicator--UUID and a pattern");
	}
	id = json_string_value(idv);
	if (!get_time(indicator, "valid_from", &from)) {
		b->invalid++;
		return cybex_diag_set(d, CYBEX_EFORMAT, "%s: valid_from is "
		    "missing or not a timestamp", id);
	}
	if (cybex_time_cmp(&from, &b->now) > 0 ||
	    (get_time(indicator, "valid_until", &until) &&
	    cybex_time_cmp(&until, &b->now) <= 0)) {
		b->skipped++;
		return 0;
	}
	if (!get_time(indicator, "modified", &modified) &&
	    !get_time(indicator, "created", &modified))
		memset(&modified, 0, sizeof(modified));
	r = cybex_pattern_new(json_string_value(pat), json_string_length(pat),
	    NULL, NULL, NULL, &p, d);
	if (r != 0) {
		if (r == CYBEX_EFORMAT || r == CYBEX_ETOOBIG)
			b->invalid++;
		if (d != NULL)
			snprintf(d->pointer, sizeof(d->pointer), "%s", id);
		return r;
	}
	/* Leaves point into the tree: make it compact before, not after. */
	if (cybex_pattern_compact(p) != 0) {
		cybex_pattern_free(p);
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	}
	if ((prev = json_object_get(b->byid, id)) != NULL) {
		x = &b->ind[json_integer_value(prev)];
		b->replaced++;
		if (cybex_time_cmp(&x->modified, &modified) >= 0) {
			cybex_pattern_free(p);
			return 0;		/* we have a newer one */
		}
		x->cls = CLS_DEAD;
		cybex_pattern_free(x->p);
		x->p = NULL;
		b->live--;
	}
	if ((r = record_new(b, &k)) != 0) {
		cybex_pattern_free(p);
		return cybex_diag_set(d, r, "%s", r == CYBEX_ETOOBIG ?
		    "too many indicators" : "out of memory");
	}
	x = &b->ind[k];
	memcpy(x->uuid, u.b, 16);
	cybex_uuid_format(&u, back);
	if (strcmp(back, id + 11) != 0 && (x->rawid = cybex_strdup(id)) ==
	    NULL) {
		b->nind--;
		cybex_pattern_free(p);
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	}
	x->modified = modified;
	x->p = p;
	if (json_object_set_new(b->byid, id, json_integer(k)) != 0 ||
	    (r = classify(b, k)) != 0) {
		cybex_free(x->rawid);
		cybex_pattern_free(x->p);
		b->nind--;
		json_object_del(b->byid, id);
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	}
	b->live++;
	return 0;
}

/* ---- the index ---- */

static struct mtype *
type_get(struct cybex_match_index *ix, const char *type)
{
	struct mtype *nv;
	size_t i;

	for (i = 0; i < ix->ntypes; i++)
		if (strcmp(ix->types[i].type, type) == 0)
			return &ix->types[i];
	if ((nv = cybex_reallocarray(ix->types, ix->ntypes + 1,
	    sizeof(*nv))) == NULL)
		return NULL;
	ix->types = nv;
	memset(&nv[ix->ntypes], 0, sizeof(nv[ix->ntypes]));
	nv[ix->ntypes].type = type;
	return &nv[ix->ntypes++];
}

static int
type_add_general(struct mtype *t, uint32_t ind)
{
	uint32_t *nv;

	if (t->ngeneral > 0 && t->general[t->ngeneral - 1] == ind)
		return 0;
	if ((nv = cybex_reallocarray(t->general, t->ngeneral + 1,
	    sizeof(*nv))) == NULL)
		return CYBEX_ENOMEM;
	t->general = nv;
	t->general[t->ngeneral++] = ind;
	return 0;
}

/* Register a general pattern under every type its comparisons name. */
static int
general_types(struct cybex_match_index *ix, const struct cybex_pattern_node *n,
    uint32_t ind)
{
	struct mtype *t;
	size_t i;
	int r;

	if (n->kind == CYBEX_PN_TEST) {
		if ((t = type_get(ix, n->path->type)) == NULL)
			return CYBEX_ENOMEM;
		return type_add_general(t, ind);
	}
	for (i = 0; i < n->nkids; i++)
		if ((r = general_types(ix, n->kids[i], ind)) != 0)
			return r;
	return 0;
}

static int
index_leaves(struct cybex_match_builder *b, struct cybex_match_index *ix,
    const uint32_t *renum)
{
	const struct bleaf *lf;
	struct mfield *f;
	uint32_t *head;
	size_t i;
	int r = 0;

	for (i = 0; i < b->nleaf && r == 0; i++) {
		lf = &b->leaf[i];
		if (b->ind[lf->ind].cls == CLS_DEAD)
			continue;
		f = &ix->fields[lf->field];
		switch (lf->what) {
		case LEAF_KEY:
			if ((r = mtab_put(&ix->tab, b->pool + lf->off, lf->len,
			    &head)) == 0)
				r = mposts_add(&ix->posts, head,
				    renum[lf->ind]);
			if (b->pool[lf->off + 3] == MK_SUFFIX)
				ix->st.suffix_values++;
			break;
		case LEAF_CIDR:
			r = radix_insert(&f->cidr, &ix->posts, lf->fam,
			    b->pool + lf->off, lf->len, renum[lf->ind]);
			ix->st.cidr_values++;
			break;
		default:
			r = mrx_add(&f->rx, lf->test, renum[lf->ind]);
			ix->st.regex_values++;
			break;
		}
	}
	ix->st.exact_values = ix->tab.n - ix->st.suffix_values;
	return r;
}

static void
account(struct cybex_match_index *ix)
{
	size_t m, i, exact;

	exact = ix->nind * sizeof(*ix->ind) + mtab_bytes(&ix->tab) +
	    ix->posts.cap * sizeof(*ix->posts.v);
	m = sizeof(*ix) + exact + ix->nind * sizeof(*ix->pat) +
	    ix->nfields * sizeof(*ix->fields) + ix->ntypes * sizeof(*ix->types);
	for (i = 0; i < ix->nind; i++) {
		if (ix->pat[i] != NULL)
			m += cybex_pattern_size(ix->pat[i]);
		if (ix->rawid[i] != NULL)
			m += strlen(ix->rawid[i]) + 1;
	}
	for (i = 0; i < ix->nfields; i++) {
		m += strlen(ix->fields[i].name) + 1 +
		    cybex_pattern_size(ix->fields[i].holder) +
		    mrx_bytes(&ix->fields[i].rx);
		exact += radix_bytes(&ix->fields[i].cidr);
		m += radix_bytes(&ix->fields[i].cidr);
	}
	for (i = 0; i < ix->ntypes; i++)
		m += (ix->types[i].nfields * sizeof(uint16_t)) +
		    ix->types[i].ngeneral * sizeof(uint32_t);
	ix->st.memory = m;
	ix->st.exact_memory = exact;
}

int
cybex_match_builder_build(struct cybex_match_builder *b,
    struct cybex_match_index **out, struct cybex_diag *d)
{
	struct cybex_match_index *ix;
	struct cybex_uuid serial;
	uint32_t *renum = NULL, k;
	uint16_t *nv;
	struct mtype *t;
	size_t i;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((ix = cybex_calloc(1, sizeof(*ix))) == NULL)
		goto fail;
	atomic_init(&ix->refs, 1);
	mtab_init(&ix->tab);
	if (mposts_init(&ix->posts) != 0 ||
	    (renum = cybex_calloc(b->nind + 1, sizeof(*renum))) == NULL ||
	    (ix->ind = cybex_calloc(b->live + 1, sizeof(*ix->ind))) == NULL ||
	    (ix->rawid = cybex_calloc(b->live + 1, sizeof(*ix->rawid))) ==
	    NULL ||
	    (ix->pat = cybex_calloc(b->live + 1, sizeof(*ix->pat))) == NULL)
		goto fail;
	/* Live records, renumbered densely; patterns move to the index. */
	for (i = 0, k = 0; i < b->nind; i++) {
		struct bind *x = &b->ind[i];

		if (x->cls == CLS_DEAD)
			continue;
		renum[i] = k;
		memcpy(ix->ind[k].uuid, x->uuid, 16);
		ix->rawid[k] = x->rawid;
		ix->pat[k] = x->p;
		x->rawid = NULL;
		x->p = NULL;
		if (x->cls == CLS_EXACT)
			ix->st.exact_indicators++;
		else if (x->cls == CLS_REGEX)
			ix->st.regex_indicators++;
		else
			ix->st.general_indicators++;
		k++;
	}
	ix->nind = k;
	/* Fields move to the index too. */
	ix->fields = b->fields;
	ix->nfields = b->nfields;
	b->fields = NULL;
	b->nfields = b->fcap = 0;
	for (i = 0; i < ix->nfields; i++)
		radix_init(&ix->fields[i].cidr);
	if ((r = index_leaves(b, ix, renum)) != 0)
		goto fail;
	for (i = 0; i < ix->nfields; i++) {
		if ((r = mrx_compile(&ix->fields[i].rx, !b->o.no_hyperscan,
		    d)) != 0 || (r = radix_finish(&ix->fields[i].cidr)) != 0)
			goto fail;
		if (ix->fields[i].rx.db != NULL)
			ix->hs_dbs++;
		r = CYBEX_ENOMEM;
		if ((t = type_get(ix, ix->fields[i].type)) == NULL ||
		    (nv = cybex_reallocarray(t->fields, t->nfields + 1,
		    sizeof(*nv))) == NULL)
			goto fail;
		t->fields = nv;
		t->fields[t->nfields++] = (uint16_t)i;
	}
	for (i = 0; i < b->nind; i++) {
		if (b->ind[i].cls != CLS_GENERAL)
			continue;
		if ((r = general_types(ix, cybex_pattern_root(
		    ix->pat[renum[i]]), renum[i])) != 0)
			goto fail;
	}
	if (cybex_uuid_v4(&serial) == 0)
		memcpy(&ix->serial, serial.b, sizeof(ix->serial));
	ix->st.indicators = ix->nind;
	ix->st.skipped = b->skipped;
	ix->st.replaced = b->replaced;
	ix->st.invalid = b->invalid;
	ix->st.fields = ix->nfields;
	account(ix);
	cybex_free(renum);
	reset(b, true);
	*out = ix;
	return 0;
 fail:
	if (r == CYBEX_ENOMEM || r == CYBEX_ETOOBIG)
		cybex_diag_set(d, r, "building the index: %s",
		    cybex_strerror(r));
	cybex_free(renum);
	mindex_free(ix);
	reset(b, true);
	return r != 0 ? r : CYBEX_ENOMEM;
}

void
mindex_free(struct cybex_match_index *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->nind; i++) {
		cybex_free(ix->rawid[i]);
		cybex_pattern_free(ix->pat[i]);
	}
	cybex_free(ix->rawid);
	cybex_free(ix->pat);
	cybex_free(ix->ind);
	for (i = 0; i < ix->nfields; i++) {
		cybex_free(ix->fields[i].name);
		cybex_pattern_free(ix->fields[i].holder);
		radix_free(&ix->fields[i].cidr);
		mrx_free(&ix->fields[i].rx);
	}
	cybex_free(ix->fields);
	for (i = 0; i < ix->ntypes; i++) {
		cybex_free(ix->types[i].fields);
		cybex_free(ix->types[i].general);
	}
	cybex_free(ix->types);
	mtab_free(&ix->tab);
	cybex_free(ix->posts.v);
	cybex_free(ix);
}
