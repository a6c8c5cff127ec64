/*
 * The indicator set: the match index plus, for each indicator in it, its
 * indicator_types/labels (interned: a few distinct lists are shared by
 * millions of indicators) and its TLP.  The builder records these for
 * every indicator it is given, then maps them onto the index's numbers
 * once the index is built (the index decides which version of an id
 * wins; the builder mirrors that rule: the latest modified, the first
 * added among equals).  A set is immutable once built and shared by
 * reference count.
 */
#include <stdlib.h>
#include <string.h>

#include "cybex/policy.h"

#include "analysis_int.h"

#define TYPES_PER_INDICATOR	8
#define TYPE_LEN_MAX		64
#define TSETS_MAX		65535

/* What the builder keeps of each indicator added. */
struct irec {
	uint8_t		 uuid[16];
	int64_t		 sec;		/* modified */
	uint32_t	 nsec;
	uint32_t	 seq;		/* order added */
	uint16_t	 tset;
	uint8_t		 tlp;
};

struct cybex_analysis_intel_builder {
	struct cybex_match_builder	*mb;
	struct irec			*r;
	size_t				 n, cap;
	json_t				*tset_ix;	/* joined -> index */
	const char *const		**types;	/* [0] = NULL list */
	size_t				 ntypes, tcap;
	struct cybex_arena		*strings;
};

int
cybex_analysis_intel_builder_new(const struct cybex_match_opts *mo,
    const struct cybex_time *now, struct cybex_analysis_intel_builder **out)
{
	struct cybex_analysis_intel_builder *b;
	struct cybex_match_opts dflt;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	memset(&dflt, 0, sizeof(dflt));
	if ((b = cybex_calloc(1, sizeof(*b))) == NULL)
		return CYBEX_ENOMEM;
	if ((r = cybex_match_builder_new(mo != NULL ? mo : &dflt, now,
	    &b->mb)) != 0 || (r = cybex_arena_new(0, &b->strings)) != 0)
		goto fail;
	r = CYBEX_ENOMEM;
	if ((b->tset_ix = json_object()) == NULL ||
	    (b->types = cybex_calloc(16, sizeof(*b->types))) == NULL)
		goto fail;
	b->tcap = 16;
	b->ntypes = 1;		/* 0: no types */
	*out = b;
	return 0;
 fail:
	cybex_analysis_intel_builder_free(b);
	return r;
}

void
cybex_analysis_intel_builder_free(struct cybex_analysis_intel_builder *b)
{
	if (b == NULL)
		return;
	cybex_match_builder_free(b->mb);
	cybex_free(b->r);
	json_decref(b->tset_ix);
	cybex_free(b->types);
	cybex_arena_free(b->strings);
	cybex_free(b);
}

/* Append the usable strings of array v (indicator_types, labels). */
static void
collect_types(const json_t *v, const char **names, size_t *n)
{
	const json_t *e;
	size_t i, k;

	if (!json_is_array(v))
		return;
	json_array_foreach(v, i, e) {
		if (*n == TYPES_PER_INDICATOR)
			return;
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    json_string_length(e) > TYPE_LEN_MAX)
			continue;
		for (k = 0; k < *n; k++)
			if (strcmp(names[k], json_string_value(e)) == 0)
				break;
		if (k == *n)
			names[(*n)++] = json_string_value(e);
	}
}

/* The interned list of the indicator's types: its index, 0 for none. */
static int
tset_of(struct cybex_analysis_intel_builder *b, const json_t *ind,
    uint16_t *out)
{
	const char *names[TYPES_PER_INDICATOR];
	const char **list;
	char joined[TYPES_PER_INDICATOR * (TYPE_LEN_MAX + 1) + 1];
	const json_t *known;
	size_t n = 0, i, off = 0, len;
	const char *const **nt;

	*out = 0;
	collect_types(json_object_get(ind, "indicator_types"), names, &n);
	collect_types(json_object_get(ind, "labels"), names, &n);
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		memcpy(joined + off, names[i], len);
		off += len;
		joined[off++] = '\n';
	}
	joined[off] = '\0';
	if ((known = json_object_get(b->tset_ix, joined)) != NULL) {
		*out = (uint16_t)json_integer_value(known);
		return 0;
	}
	if (b->ntypes >= TSETS_MAX)
		return 0;	/* beyond it: no types (only detectors care) */
	if (b->ntypes == b->tcap) {
		if ((nt = cybex_reallocarray(b->types, b->tcap * 2,
		    sizeof(*nt))) == NULL)
			return CYBEX_ENOMEM;
		b->types = nt;
		b->tcap *= 2;
	}
	if ((list = cybex_arena_alloc(b->strings, (n + 1) *
	    sizeof(*list))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < n; i++)
		if ((list[i] = cybex_arena_strndup(b->strings, names[i],
		    strlen(names[i]))) == NULL)
			return CYBEX_ENOMEM;
	list[n] = NULL;
	if (json_object_set_new(b->tset_ix, joined,
	    json_integer((json_int_t)b->ntypes)) != 0)
		return CYBEX_ENOMEM;
	b->types[b->ntypes] = list;
	*out = (uint16_t)b->ntypes++;
	return 0;
}

int
cybex_analysis_intel_builder_add(struct cybex_analysis_intel_builder *b,
    const json_t *indicator, struct cybex_diag *d)
{
	const json_t *idv = json_object_get(indicator, "id");
	const json_t *mod;
	struct cybex_uuid u;
	struct cybex_time t;
	struct irec *x;
	int r;

	if ((r = cybex_match_builder_add(b->mb, indicator, d)) != 0)
		return r;
	/* Only indicators the index may hold need a record. */
	if (!json_is_string(idv) || json_string_length(idv) < 11 ||
	    strncmp(json_string_value(idv), "indicator--", 11) != 0 ||
	    cybex_uuid_parse(json_string_value(idv) + 11,
	    json_string_length(idv) - 11, &u) != 0)
		return 0;
	if (b->n == b->cap) {
		size_t ncap = b->cap > 0 ? b->cap * 2 : 1024;

		if ((x = cybex_reallocarray(b->r, ncap, sizeof(*x))) == NULL)
			return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		b->r = x;
		b->cap = ncap;
	}
	x = &b->r[b->n];
	memset(x, 0, sizeof(*x));
	memcpy(x->uuid, u.b, 16);
	mod = json_object_get(indicator, "modified");
	if (!json_is_string(mod))
		mod = json_object_get(indicator, "created");
	if (json_is_string(mod) && cybex_time_parse(json_string_value(mod),
	    json_string_length(mod), 0, &t, NULL) == 0) {
		x->sec = t.sec;
		x->nsec = t.nsec;
	}
	x->seq = (uint32_t)b->n;
	x->tlp = (uint8_t)cybex_stix_tlp_of(indicator);
	if ((r = tset_of(b, indicator, &x->tset)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	b->n++;
	return 0;
}

/* By uuid; within one uuid the version the index keeps comes first. */
static int
irec_cmp(const void *pa, const void *pb)
{
	const struct irec *a = pa, *b = pb;
	int c = memcmp(a->uuid, b->uuid, 16);

	if (c != 0)
		return c;
	if (a->sec != b->sec)
		return a->sec > b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec > b->nsec ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const struct irec *
irec_find(const struct irec *r, size_t n, const uint8_t uuid[16])
{
	size_t lo = 0, hi = n, mid;

	/* The first record of uuid. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(r[mid].uuid, uuid, 16) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && memcmp(r[lo].uuid, uuid, 16) == 0 ? &r[lo] : NULL;
}

int
cybex_analysis_intel_builder_build(struct cybex_analysis_intel_builder *b,
    struct cybex_analysis_intel **out, struct cybex_diag *d)
{
	struct cybex_analysis_intel *in = NULL;
	struct cybex_match_stats st;
	const struct irec *x;
	struct cybex_uuid u;
	char id[CYBEX_STIX_ID_MAX];
	size_t i;
	int r;

	*out = NULL;
	if ((in = cybex_calloc(1, sizeof(*in))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	atomic_init(&in->refs, 1);
	if ((r = cybex_match_builder_build(b->mb, &in->ix, d)) != 0)
		goto fail;
	cybex_match_index_stats(in->ix, &st);
	in->n = st.indicators;
	in->general = st.general_indicators > 0;
	r = CYBEX_ENOMEM;
	if ((in->info = cybex_calloc(in->n + 1, sizeof(*in->info))) == NULL)
		goto fail;
	if (b->n > 0)		/* qsort's array may not be NULL */
		qsort(b->r, b->n, sizeof(*b->r), irec_cmp);
	for (i = 0; i < in->n; i++) {
		cybex_match_index_indicator_id(in->ix, (uint32_t)i, id,
		    sizeof(id));
		if (strncmp(id, "indicator--", 11) != 0 ||
		    cybex_uuid_parse(id + 11, strlen(id + 11), &u) != 0 ||
		    (x = irec_find(b->r, b->n, u.b)) == NULL)
			continue;
		in->info[i].tset = x->tset;
		in->info[i].tlp = x->tlp;
	}
	/* The type lists and their strings move to the set. */
	in->types = b->types;
	in->ntypes = b->ntypes;
	in->strings = b->strings;
	b->types = NULL;
	b->strings = NULL;
	cybex_free(b->r);
	b->r = NULL;
	b->n = b->cap = 0;
	json_object_clear(b->tset_ix);
	b->tcap = b->ntypes = 0;
	if (cybex_arena_new(0, &b->strings) != 0 ||
	    (b->types = cybex_calloc(16, sizeof(*b->types))) == NULL) {
		cybex_analysis_intel_unref(in);
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	}
	b->tcap = 16;
	b->ntypes = 1;
	*out = in;
	return 0;
 fail:
	cybex_analysis_intel_unref(in);
	if (r == CYBEX_ENOMEM)
		cybex_diag_set(d, r, "out of memory");
	return r;
}

struct load_ctx {
	struct cybex_analysis_intel_builder	*b;
	size_t					 invalid;
	int					 err;
	struct cybex_diag			*d;
	/* The caller's look at each row: nonzero stops the load. */
	cybex_analysis_load_fn			 fn;
	void					*ud;
	size_t					 rows;
	bool					 stopped;
};

static int
add_stored(void *ud, const struct cybex_row *row)
{
	struct load_ctx *lc = ud;
	struct cybex_diag d;
	json_t *j = NULL;
	int r;

	if (lc->fn != NULL && lc->fn(lc->ud, ++lc->rows) != 0) {
		lc->stopped = true;
		return CYBEX_EINTERNAL;	/* aborts the query; not an error */
	}
	if (cybex_json_parse(row->json, row->len, 0, &j, &d) != 0) {
		lc->invalid++;
		return 0;
	}
	cybex_diag_clear(&d);
	r = cybex_analysis_intel_builder_add(lc->b, j, &d);
	json_decref(j);
	if (r == CYBEX_EFORMAT) {
		lc->invalid++;
		return 0;
	}
	if (r != 0 && lc->d != NULL)
		*lc->d = d;
	return r;
}

/* ---- collection membership ---- */

/* One (indicator, collection) link found while loading. */
struct cpair {
	uint8_t		 uuid[16];
	uint16_t	 coll;
};

struct member_ctx {
	struct cpair	*v;
	size_t		 n, cap;
	uint16_t	 coll;
	int		 max_tlp;	/* of the collection */
	int		 err;
	/* collections, while listing */
	char		(*ids)[CYBEX_UUID_STRLEN + 1];
	int		*tlps;
	size_t		 nids, capids;
	/* the caller's look (rows are not counted: 0) */
	cybex_analysis_load_fn fn;
	void		*ud;
	bool		 stopped;
};

static int
member_coll(void *ud, const struct cybex_collection *c)
{
	struct member_ctx *m = ud;
	void *p;

	if (m->nids == INTEL_COLLS_MAX)
		return CYBEX_ETOOBIG;
	if (m->nids == m->capids) {
		size_t nc = m->capids ? m->capids * 2 : 16;

		if ((p = cybex_reallocarray(m->ids, nc, sizeof(*m->ids))) ==
		    NULL)
			return CYBEX_ENOMEM;
		m->ids = p;
		if ((p = cybex_reallocarray(m->tlps, nc, sizeof(*m->tlps))) ==
		    NULL)
			return CYBEX_ENOMEM;
		m->tlps = p;
		m->capids = nc;
	}
	memcpy(m->ids[m->nids], c->id, sizeof(c->id));
	m->tlps[m->nids++] = cybex_policy_collection_ceiling(c->max_tlp);
	return 0;
}

static int
member_row(void *ud, const struct cybex_row *row)
{
	struct member_ctx *m = ud;
	struct cybex_uuid u;
	struct cpair *p;

	if (m->fn != NULL && m->fn(m->ud, 0) != 0) {
		m->stopped = true;
		return CYBEX_EINTERNAL;	/* aborts the query; not an error */
	}
	if (row->id == NULL || strncmp(row->id, "indicator--", 11) != 0 ||
	    cybex_uuid_parse(row->id + 11, strlen(row->id + 11), &u) != 0)
		return 0;
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 4096;

		if ((p = cybex_reallocarray(m->v, nc, sizeof(*p))) == NULL)
			return CYBEX_ENOMEM;
		m->v = p;
		m->cap = nc;
	}
	memcpy(m->v[m->n].uuid, u.b, 16);
	m->v[m->n++].coll = m->coll;
	return 0;
}

static int
cpair_cmp(const void *pa, const void *pb)
{
	const struct cpair *a = pa, *b = pb;
	int c = memcmp(a->uuid, b->uuid, 16);

	return c != 0 ? c : (a->coll > b->coll) - (a->coll < b->coll);
}

/* Every collection's indicator ids (manifests: no JSON is read). */
static int
members_load(struct cybex_store *s, struct member_ctx *m,
    struct cybex_diag *d)
{
	static const char *const types[] = { "indicator" };
	struct cybex_query q;
	struct cybex_page pg;
	size_t k;
	int r;

	if ((r = cybex_store_collection_list(s, member_coll, m, d)) != 0) {
		if (r == CYBEX_ETOOBIG)
			cybex_diag_set(d, r, "more than %d collections",
			    INTEL_COLLS_MAX);
		else if (r == CYBEX_ENOMEM)
			cybex_diag_set(d, r, "out of memory");
		return r;
	}
	for (k = 0; k < m->nids; k++) {
		memset(&q, 0, sizeof(q));
		q.coll_id = m->ids[k];
		q.types = types;
		q.ntypes = 1;
		q.versions = CYBEX_VERSION_LAST;
		q.max_tlp = m->tlps[k];
		m->coll = (uint16_t)k;
		if ((r = cybex_store_manifest(s, &q, member_row, m, &pg,
		    d)) != 0) {
			if (m->stopped) {
				cybex_diag_clear(d);
				return 0;
			}
			if (r == CYBEX_ENOMEM)
				cybex_diag_set(d, r, "out of memory");
			return r;
		}
	}
	if (m->n > 0)
		qsort(m->v, m->n, sizeof(*m->v), cpair_cmp);
	return 0;
}

/*
 * Give each indicator of in its readable collections: the links of its
 * uuid whose collection's ceiling is not below the indicator's TLP,
 * interned as lists.
 */
static int
members_apply(struct cybex_analysis_intel *in, struct member_ctx *m)
{
	char id[CYBEX_STIX_ID_MAX];
	struct cybex_uuid u;
	json_t *seen = NULL, *known;
	uint16_t list[64], *cp, **ns;
	char key[64 * 6 + 1];
	size_t i, lo, hi, mid, j, n, cap = 16, off;
	int r = CYBEX_ENOMEM;

	if ((in->colls = cybex_calloc(m->nids + 1, sizeof(*in->colls))) ==
	    NULL || (in->csets = cybex_calloc(cap, sizeof(*in->csets))) ==
	    NULL || (seen = json_object()) == NULL)
		goto out;
	if (m->nids > 0)
		memcpy(in->colls, m->ids, m->nids * sizeof(*m->ids));
	in->ncolls = m->nids;
	if ((in->csets[0] = cybex_calloc(1, sizeof(uint16_t))) == NULL)
		goto out;
	in->csets[0][0] = INTEL_CSET_END;
	in->ncsets = 1;
	for (i = 0; i < in->n; i++) {
		cybex_match_index_indicator_id(in->ix, (uint32_t)i, id,
		    sizeof(id));
		if (strncmp(id, "indicator--", 11) != 0 ||
		    cybex_uuid_parse(id + 11, strlen(id + 11), &u) != 0)
			continue;
		for (lo = 0, hi = m->n; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (memcmp(m->v[mid].uuid, u.b, 16) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		n = 0;
		off = 0;
		for (j = lo; j < m->n && memcmp(m->v[j].uuid, u.b, 16) == 0 &&
		    n < 64; j++) {
			if (in->info[i].tlp > m->tlps[m->v[j].coll])
				continue;	/* above that ceiling now */
			if (n > 0 && list[n - 1] == m->v[j].coll)
				continue;
			list[n++] = m->v[j].coll;
			off += (size_t)snprintf(key + off, sizeof(key) - off,
			    "%u,", (unsigned)m->v[j].coll);
		}
		if (n == 0)
			continue;	/* cset 0: nobody but admins */
		if ((known = json_object_get(seen, key)) != NULL) {
			in->info[i].cset = (uint32_t)json_integer_value(known);
			continue;
		}
		if (in->ncsets == cap) {
			if ((ns = cybex_reallocarray(in->csets, cap * 2,
			    sizeof(*ns))) == NULL)
				goto out;
			in->csets = ns;
			cap *= 2;
		}
		if ((cp = cybex_calloc(n + 1, sizeof(*cp))) == NULL)
			goto out;
		memcpy(cp, list, n * sizeof(*cp));
		cp[n] = INTEL_CSET_END;
		if (json_object_set_new(seen, key,
		    json_integer((json_int_t)in->ncsets)) != 0) {
			cybex_free(cp);
			goto out;
		}
		in->csets[in->ncsets] = cp;
		in->info[i].cset = (uint32_t)in->ncsets++;
	}
	in->has_colls = true;
	r = 0;
 out:
	json_decref(seen);
	return r;
}

bool
intel_readable(const struct cybex_analysis_intel *in, uint32_t n,
    const uint8_t *readable)
{
	const uint16_t *c;

	if (readable == NULL)
		return true;		/* no reader: everything (the CLI) */
	if (!in->has_colls || n >= in->n)
		return false;		/* fail closed */
	for (c = in->csets[in->info[n].cset]; *c != INTEL_CSET_END; c++)
		if (*c < in->ncolls && readable[*c])
			return true;
	return false;
}

int
cybex_analysis_intel_load(struct cybex_store *s, const char *coll,
    const struct cybex_match_opts *mo, const struct cybex_time *now,
    struct cybex_analysis_intel **out, size_t *ninvalid,
    struct cybex_diag *d)
{
	return cybex_analysis_intel_load_ctl(s, coll, mo, now, NULL, NULL, out,
	    ninvalid, d);
}

int
cybex_analysis_intel_load_ctl(struct cybex_store *s, const char *coll,
    const struct cybex_match_opts *mo, const struct cybex_time *now,
    cybex_analysis_load_fn fn, void *ud, struct cybex_analysis_intel **out,
    size_t *ninvalid, struct cybex_diag *d)
{
	static const char *const types[] = { "indicator" };
	struct load_ctx lc = { NULL, 0, 0, d, fn, ud, 0, false };
	struct member_ctx m;
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	struct cybex_query q;
	struct cybex_page pg;
	int r;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	m.fn = fn;
	m.ud = ud;
	if (ninvalid != NULL)
		*ninvalid = 0;
	memset(&q, 0, sizeof(q));
	if ((r = cybex_arena_new(0, &a)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	if (coll != NULL) {
		if ((r = cybex_store_collection_get(s, coll, a, &c, d)) != 0)
			goto out;
		q.coll_id = c.id;
	} else if ((r = members_load(s, &m, d)) != 0 || m.stopped)
		goto out;
	q.types = types;
	q.ntypes = 1;
	q.versions = CYBEX_VERSION_LAST;
	if ((r = cybex_analysis_intel_builder_new(mo, now, &lc.b)) != 0) {
		cybex_diag_set(d, r, "out of memory");
		goto out;
	}
	r = cybex_store_query(s, &q, add_stored, &lc, &pg, d);
	if (lc.stopped) {
		cybex_diag_clear(d);
		r = 0;
		goto out;
	}
	if (r != 0 || (r = cybex_analysis_intel_builder_build(lc.b, out,
	    d)) != 0)
		goto out;
	if (coll == NULL && (r = members_apply(*out, &m)) != 0) {
		cybex_analysis_intel_unref(*out);
		*out = NULL;
		cybex_diag_set(d, r, "out of memory");
		goto out;
	}
	if (ninvalid != NULL)
		*ninvalid = lc.invalid;
 out:
	cybex_analysis_intel_builder_free(lc.b);
	cybex_arena_free(a);
	cybex_free(m.v);
	cybex_free(m.ids);
	cybex_free(m.tlps);
	return r;
}

struct cybex_analysis_intel *
cybex_analysis_intel_ref(struct cybex_analysis_intel *in)
{
	if (in != NULL)
		atomic_fetch_add(&in->refs, 1);
	return in;
}

void
cybex_analysis_intel_unref(struct cybex_analysis_intel *in)
{
	size_t i;

	if (in == NULL || atomic_fetch_sub(&in->refs, 1) != 1)
		return;
	cybex_match_index_unref(in->ix);
	cybex_free(in->info);
	cybex_free(in->types);
	for (i = 0; i < in->ncsets; i++)
		cybex_free(in->csets[i]);
	cybex_free(in->csets);
	cybex_free(in->colls);
	cybex_arena_free(in->strings);
	cybex_free(in);
}

const struct cybex_match_index *
cybex_analysis_intel_index(const struct cybex_analysis_intel *in)
{
	return in->ix;
}

const char *const *
intel_types(const struct cybex_analysis_intel *in, uint32_t n)
{
	if (n >= in->n || in->info[n].tset == 0 ||
	    in->info[n].tset >= in->ntypes)
		return NULL;
	return in->types[in->info[n].tset];
}

int
intel_tlp(const struct cybex_analysis_intel *in, uint32_t n)
{
	return n < in->n ? in->info[n].tlp : 0;
}
