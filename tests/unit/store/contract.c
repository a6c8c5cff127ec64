/*
 * The store contract (see contract.h): what every backend must do, written
 * only against include/cybex/store.h.  Each test gets a fresh database from
 * the backend's factory, opened before and closed and removed after.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/policy.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "contract.h"

static const struct store_contract_backend *be;
static struct cybex_diag dg;		/* for calls whose detail no test reads */

/* ---- fixture: one fresh database per test ---- */
struct fx {
	char			 dsn[STORE_CONTRACT_DSN_MAX];
	struct cybex_store	*s;
	struct cybex_arena	*a;
	char			 def[CYBEX_UUID_STRLEN + 1];	/* default's id */
};

static void
fx_open(struct fx *f)
{
	struct cybex_collection c;
	struct cybex_diag d;
	int rc;

	cybex_diag_clear(&d);
	rc = cybex_store_open(f->dsn, 0, &f->s, &d);
	if (rc != 0)
		fail_msg("open %s: %s: %s", f->dsn, cybex_strerror(rc),
		    d.message);
	rc = cybex_store_collection_get(f->s, CYBEX_DEFAULT_COLLECTION, f->a,
	    &c, &d);
	if (rc != 0)
		fail_msg("no default collection: %s: %s", cybex_strerror(rc),
		    d.message);
	snprintf(f->def, sizeof(f->def), "%s", c.id);
}

static void
fx_close(struct fx *f)
{
	cybex_store_close(f->s);
	f->s = NULL;
}

static int
setup(void **state)
{
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (be->create(be->ud, f->dsn, sizeof(f->dsn)) != 0 ||
	    cybex_arena_new(0, &f->a) != 0) {
		free(f);
		return -1;
	}
	fx_open(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f == NULL)
		return 0;
	fx_close(f);
	be->destroy(be->ud, f->dsn);
	cybex_arena_free(f->a);
	free(f);
	return 0;
}

/* ---- objects ---- */
#define T0	"2020-01-01T00:00:00.000Z"
#define T1	"2020-02-01T00:00:00.000Z"
#define T2	"2020-03-01T00:00:00.000Z"
#define T3	"2020-04-01T00:00:00.000Z"

/* ipv4-addr 1.2.3.4 with its deterministic id. */
#define SCO_IP	"{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":" \
	"\"ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4\"," \
	"\"value\":\"1.2.3.4\"}"
#define SCO_IP_ID	"ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4"

struct ob {
	char	 id[128];
	char	 text[1024];
};

static void
oid(char *buf, size_t sz, const char *type, unsigned n)
{
	snprintf(buf, sz, "%s--00000000-0000-4000-8000-%012x", type, n);
}

/*
 * A valid STIX 2.1 SDO of type (identity, malware, campaign, tool) number
 * n with this modified; extra is appended to the members (",\"k\":v").
 */
static const char *
mk(struct ob *o, const char *type, unsigned n, const char *modified,
    const char *extra)
{
	const char *req = strcmp(type, "malware") == 0 ?
	    ",\"is_family\":false" : "";

	oid(o->id, sizeof(o->id), type, n);
	snprintf(o->text, sizeof(o->text), "{\"type\":\"%s\","
	    "\"spec_version\":\"2.1\",\"id\":\"%s\",\"created\":\"" T0 "\","
	    "\"modified\":\"%s\",\"name\":\"%s %u\"%s%s}", type, o->id,
	    modified, type, n, req, extra != NULL ? extra : "");
	return o->text;
}

static int
put(struct fx *f, const char *coll, const char *text,
    enum cybex_put_result *res)
{
	struct cybex_diag d;
	json_t *j = NULL;
	int rc;

	cybex_diag_clear(&d);
	if (cybex_json_parse(text, strlen(text), 0, &j, &d) != 0)
		fail_msg("test object is not JSON: %s: %s", d.message, text);
	*res = 0;
	rc = cybex_store_put(f->s, coll, j, text, strlen(text), res, &d);
	json_decref(j);
	return rc;
}

static void
put_expect(struct fx *f, const char *coll, const char *text,
    enum cybex_put_result want)
{
	enum cybex_put_result res;
	struct cybex_diag d;
	json_t *j = NULL;
	int rc;

	cybex_diag_clear(&d);
	if (cybex_json_parse(text, strlen(text), 0, &j, &d) != 0)
		fail_msg("test object is not JSON: %s: %s", d.message, text);
	res = 0;
	rc = cybex_store_put(f->s, coll, j, text, strlen(text), &res, &d);
	json_decref(j);
	if (rc != 0)
		fail_msg("put failed: %s: %s", cybex_strerror(rc), d.message);
	if (res != want)
		fail_msg("put gave result %d, wanted %d: %s", (int)res,
		    (int)want, text);
}

static void
coll_add(struct fx *f, const char *alias, char id[CYBEX_UUID_STRLEN + 1])
{
	struct cybex_collection c;
	struct cybex_diag d;
	int rc;

	memset(&c, 0, sizeof(c));
	c.alias = alias;
	c.title = alias;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_add(f->s, &c, &d)) != 0)
		fail_msg("collection add %s: %s: %s", alias,
		    cybex_strerror(rc), d.message);
	memcpy(id, c.id, CYBEX_UUID_STRLEN + 1);
}

/* ---- collecting query rows ---- */
struct row {
	char	*id;
	char	*type;
	char	*version;
	char	*spec_version;
	char	*json;		/* NULL when the row had none */
	size_t	 len;
	int64_t	 added;
};

struct rows {
	struct row	*r;
	size_t		 n;
	size_t		 cap;
	size_t		 stop_at;	/* return stop_ret at this row (1-based) */
	int		 stop_ret;
};

static char *
dup0(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static int
collect(void *ud, const struct cybex_row *r)
{
	struct rows *rs = ud;
	struct row *x;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap == 0 ? 64 : rs->cap * 2;
		rs->r = realloc(rs->r, rs->cap * sizeof(*rs->r));
		assert_non_null(rs->r);
	}
	x = &rs->r[rs->n++];
	assert_non_null(r->id);
	assert_non_null(r->type);
	assert_non_null(r->version);
	x->id = dup0(r->id);
	x->type = dup0(r->type);
	x->version = dup0(r->version);
	x->spec_version = dup0(r->spec_version);
	x->json = NULL;
	x->len = r->len;
	if (r->json != NULL) {
		x->json = malloc(r->len + 1);
		assert_non_null(x->json);
		memcpy(x->json, r->json, r->len);
		x->json[r->len] = '\0';
	}
	x->added = r->date_added_us;
	if (rs->stop_at != 0 && rs->n == rs->stop_at)
		return rs->stop_ret;
	return 0;
}

static void
rows_free(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->r[i].id);
		free(rs->r[i].type);
		free(rs->r[i].version);
		free(rs->r[i].spec_version);
		free(rs->r[i].json);
	}
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

/* Run q (appending to rs); returns what the store returned. */
static int
query(struct fx *f, const struct cybex_query *q, struct rows *rs,
    struct cybex_page *pg)
{
	struct cybex_page p;
	struct cybex_diag d;

	cybex_diag_clear(&d);
	return cybex_store_query(f->s, q, collect, rs, pg != NULL ? pg : &p,
	    &d);
}

/* Run q, which must succeed, into a fresh rs. */
static void
query_ok(struct fx *f, const struct cybex_query *q, struct rows *rs,
    struct cybex_page *pg)
{
	struct cybex_page p;
	struct cybex_diag d;
	int rc;

	memset(rs, 0, sizeof(*rs));
	cybex_diag_clear(&d);
	rc = cybex_store_query(f->s, q, collect, rs, pg != NULL ? pg : &p, &d);
	if (rc != 0)
		fail_msg("query failed: %s: %s", cybex_strerror(rc), d.message);
}

/* Rows of q over the whole collection coll. */
static void
query_coll(struct fx *f, const char *coll, unsigned versions,
    struct rows *rs)
{
	struct cybex_query q = { .coll_id = coll, .versions = versions };

	query_ok(f, &q, rs, NULL);
}

/* Index of the row with this id and version key prefix, or -1. */
static long
find_row(const struct rows *rs, const char *id, const char *vprefix)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].id, id) == 0 && (vprefix == NULL ||
		    strncmp(rs->r[i].version, vprefix, strlen(vprefix)) == 0))
			return (long)i;
	return -1;
}

static void
assert_increasing(const struct rows *rs)
{
	size_t i;

	for (i = 1; i < rs->n; i++)
		if (rs->r[i].added <= rs->r[i - 1].added)
			fail_msg("date_added not increasing at row %zu: %lld "
			    "then %lld", i, (long long)rs->r[i - 1].added,
			    (long long)rs->r[i].added);
}

/* ---- opening ---- */
static void
test_open_creates_schema(void **state)
{
	struct fx *f = *state;
	struct cybex_collection c;
	uint64_t n = 1;
	struct cybex_store_stats st;
	struct cybex_diag d;
	struct rows rs;

	assert_true(cybex_store_schema_latest() > 0);
	assert_int_equal(cybex_store_schema_version(f->s),
	    cybex_store_schema_latest());
	assert_int_equal(cybex_store_collection_get(f->s,
	    CYBEX_DEFAULT_COLLECTION, f->a, &c, &d), 0);
	assert_non_null(c.alias);
	assert_string_equal(c.alias, CYBEX_DEFAULT_COLLECTION);
	assert_non_null(c.title);
	assert_int_equal(strlen(c.id), CYBEX_UUID_STRLEN);
	assert_int_equal(c.nobjects, 0);
	assert_int_equal(cybex_store_collection_count(f->s,
	    CYBEX_DEFAULT_COLLECTION, &n, &d), 0);
	assert_int_equal(n, 0);
	/* The id finds it too. */
	assert_int_equal(cybex_store_collection_get(f->s, f->def, f->a, &c,
	    &d), 0);
	assert_string_equal(c.id, f->def);
	assert_int_equal(cybex_store_stats(f->s, NULL, NULL, &st, &d), 0);
	assert_int_equal(st.objects, 0);
	assert_int_equal(st.versions, 0);
	assert_int_equal(st.collections, 1);
	assert_int_equal(st.schema_version, cybex_store_schema_latest());
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
}

static void
test_reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	struct cybex_collection c;
	uint64_t n = 0;
	struct cybex_diag d;
	char a[CYBEX_UUID_STRLEN + 1];
	struct ob o;
	struct rows rs;

	coll_add(f, "feed-a", a);
	put_expect(f, a, mk(&o, "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, o.text, CYBEX_PUT_LINKED);
	fx_close(f);
	fx_open(f);
	assert_int_equal(cybex_store_schema_version(f->s),
	    cybex_store_schema_latest());
	assert_int_equal(cybex_store_collection_get(f->s, "feed-a", f->a, &c,
	    &d), 0);
	assert_string_equal(c.id, a);
	/* get does not count (it is on every request's path); count does. */
	assert_int_equal(c.nobjects, 0);
	assert_int_equal(cybex_store_collection_count(f->s, "feed-a", &n,
	    &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cybex_store_collection_count(f->s, "no-such", &n,
	    &d), CYBEX_ENOTFOUND);
	query_coll(f, a, 0, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, o.text);
	rows_free(&rs);
	/* Opening again changes nothing: the same put is PRESENT. */
	put_expect(f, a, o.text, CYBEX_PUT_PRESENT);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct cybex_store *s2 = (struct cybex_store *)&s2;
	struct cybex_diag d;
	struct ob o;

	if (be->set_schema_version == NULL) {
		skip();
		return;
	}
	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	fx_close(f);
	assert_int_equal(be->set_schema_version(be->ud, f->dsn, 999), 0);
	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_open(f->dsn, 0, &s2, &d),
	    CYBEX_EVERSION);
	assert_null(s2);
	assert_true(d.message[0] != '\0');
	/* Read-only does not help: a newer schema is never read. */
	s2 = (struct cybex_store *)&s2;
	assert_int_equal(cybex_store_open(f->dsn, CYBEX_STORE_RDONLY, &s2, &d),
	    CYBEX_EVERSION);
	assert_null(s2);
	/* The refused open did not downgrade it: still refused. */
	assert_int_equal(cybex_store_open(f->dsn, 0, &s2, &d),
	    CYBEX_EVERSION);
	/* teardown closes f->s: give it a usable store again. */
	assert_int_equal(be->set_schema_version(be->ud, f->dsn,
	    cybex_store_schema_latest()), 0);
	fx_open(f);
	put_expect(f, f->def, o.text, CYBEX_PUT_PRESENT);
}

/* ---- collections ---- */
struct clist {
	size_t	 n;
	char	 id[16][CYBEX_UUID_STRLEN + 1];
	char	 alias[16][64];
	size_t	 stop_at;
};

static int
clist_fn(void *ud, const struct cybex_collection *c)
{
	struct clist *l = ud;

	assert_true(l->n < 16);
	snprintf(l->id[l->n], sizeof(l->id[0]), "%s", c->id);
	snprintf(l->alias[l->n], sizeof(l->alias[0]), "%s",
	    c->alias != NULL ? c->alias : "");
	assert_non_null(c->title);
	l->n++;
	return l->stop_at != 0 && l->n == l->stop_at ? 7 : 0;
}

static void
test_collections(void **state)
{
	struct fx *f = *state;
	struct cybex_collection c, g;
	struct cybex_diag d;
	struct clist l;
	char first[CYBEX_UUID_STRLEN + 1];
	const char *fixed = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
	struct cybex_uuid u;

	/* An empty id gets a fresh UUIDv4. */
	memset(&c, 0, sizeof(c));
	c.alias = "high-value";
	c.title = "High value indicators";
	c.description = "curated";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_int_equal(cybex_uuid_parse(c.id, strlen(c.id), &u), 0);
	assert_int_equal(cybex_uuid_version(&u), 4);
	memcpy(first, c.id, sizeof(first));

	/* A given id is kept. */
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", fixed);
	c.title = "No alias";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_string_equal(c.id, fixed);

	/* By id and by alias. */
	assert_int_equal(cybex_store_collection_get(f->s, first, f->a, &g,
	    &d), 0);
	assert_string_equal(g.id, first);
	assert_string_equal(g.alias, "high-value");
	assert_string_equal(g.title, "High value indicators");
	assert_non_null(g.description);
	assert_string_equal(g.description, "curated");
	assert_true(g.created_us > 0);
	assert_int_equal(cybex_store_collection_get(f->s, "high-value", f->a,
	    &g, &d), 0);
	assert_string_equal(g.id, first);
	assert_int_equal(cybex_store_collection_get(f->s, fixed, f->a, &g, &d),
	    0);
	assert_null(g.alias);
	assert_null(g.description);
	assert_int_equal(cybex_store_collection_get(f->s, "nope", f->a, &g,
	    &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_collection_get(f->s,
	    "4a0e0d1e-8f5c-4c3c-9d6e-3d1f0b5c9a77", f->a, &g, &d),
	    CYBEX_ENOTFOUND);

	/* Duplicates and bad input. */
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", fixed);
	c.title = "again";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EEXIST);
	memset(&c, 0, sizeof(c));
	c.alias = "high-value";
	c.title = "again";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EEXIST);
	memset(&c, 0, sizeof(c));
	c.alias = CYBEX_DEFAULT_COLLECTION;
	c.title = "again";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EEXIST);
	memset(&c, 0, sizeof(c));
	c.alias = "0b8c8c7e-6c1a-4b9e-9a54-2f6a1c1d7e10";
	c.title = "alias looks like a uuid";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EINVAL);
	memset(&c, 0, sizeof(c));
	c.alias = "no-title";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EINVAL);
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "not-a-uuid");
	c.title = "bad id";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EINVAL);

	/* List: by creation, the default first; fn can stop it. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(cybex_store_collection_list(f->s, clist_fn, &l, &d),
	    0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.id[0], f->def);
	assert_string_equal(l.alias[0], CYBEX_DEFAULT_COLLECTION);
	assert_string_equal(l.id[1], first);
	assert_string_equal(l.id[2], fixed);
	memset(&l, 0, sizeof(l));
	l.stop_at = 2;
	assert_int_equal(cybex_store_collection_list(f->s, clist_fn, &l, &d),
	    7);
	assert_int_equal(l.n, 2);

	/* Remove by alias and by id; the default stays. */
	assert_int_equal(cybex_store_collection_remove(f->s, "high-value", &d),
	    0);
	assert_int_equal(cybex_store_collection_get(f->s, first, f->a, &g,
	    &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_collection_remove(f->s, fixed, &d), 0);
	assert_int_equal(cybex_store_collection_remove(f->s, fixed, &d),
	    CYBEX_ENOTFOUND);
	assert_true(cybex_store_collection_remove(f->s,
	    CYBEX_DEFAULT_COLLECTION, &d) < 0);
	assert_true(cybex_store_collection_remove(f->s, f->def, &d) < 0);
	assert_int_equal(cybex_store_collection_get(f->s,
	    CYBEX_DEFAULT_COLLECTION, f->a, &g, &d), 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(cybex_store_collection_list(f->s, clist_fn, &l, &d),
	    0);
	assert_int_equal(l.n, 1);
	/* A removed alias can be used again. */
	memset(&c, 0, sizeof(c));
	c.alias = "high-value";
	c.title = "reborn";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_string_not_equal(c.id, first);
}

/*
 * A query run from inside another's row callback, with the same text:
 * the backend may keep built statements (a cache), but never hands the
 * running one out twice.  Both see every row; the outer one goes on.
 */
struct nested {
	struct fx	*f;
	const char	*coll;
	size_t		 outer, inner;
};

static int
nested_count(void *ud, const struct cybex_row *row)
{
	(*(size_t *)ud)++;
	return 0;
}

static int
nested_row(void *ud, const struct cybex_row *row)
{
	struct nested *n = ud;
	struct cybex_query q = { .coll_id = n->coll };
	struct cybex_page pg;
	struct cybex_diag d;

	n->outer++;
	if (cybex_store_query(n->f->s, &q, nested_count, &n->inner, &pg,
	    &d) != 0)
		return CYBEX_EINTERNAL;
	return 0;
}

static void
test_query_nested_same(void **state)
{
	struct fx *f = *state;
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct nested n;
	struct ob x, y, z;
	char a[CYBEX_UUID_STRLEN + 1];
	int k;

	coll_add(f, "nest", a);
	put_expect(f, a, mk(&x, "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&y, "malware", 2, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&z, "tool", 3, T1, NULL), CYBEX_PUT_ADDED);
	for (k = 0; k < 3; k++) {	/* again: from the cache, if any */
		memset(&n, 0, sizeof(n));
		n.f = f;
		n.coll = a;
		memset(&q, 0, sizeof(q));
		q.coll_id = a;
		assert_int_equal(cybex_store_query(f->s, &q, nested_row, &n, &pg,
		    &d), 0);
		assert_int_equal(n.outer, 3);
		assert_int_equal(n.inner, 9);
		assert_int_equal(pg.count, 3);
	}
}

static void
test_collection_remove_orphans(void **state)
{
	struct fx *f = *state;
	uint64_t n = 0;
	struct cybex_diag d;
	char a[CYBEX_UUID_STRLEN + 1];
	struct ob x, y;
	struct rows rs;

	coll_add(f, "a", a);
	put_expect(f, a, mk(&x, "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&y, "malware", 2, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, y.text, CYBEX_PUT_LINKED);
	assert_int_equal(cybex_store_collection_count(f->s, a, &n, &d), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cybex_store_collection_remove(f->s, "a", &d), 0);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, y.id);
	rows_free(&rs);
	/* x is gone for good: putting it again adds it. */
	put_expect(f, f->def, x.text, CYBEX_PUT_ADDED);
}

/* Put text with another handle s2 (same database). */
static int
put2(struct cybex_store *s2, const char *coll, const char *text,
    enum cybex_put_result *res)
{
	struct cybex_diag d;
	json_t *j = NULL;
	int rc;

	assert_int_equal(cybex_json_parse(text, strlen(text), 0, &j, &d), 0);
	rc = cybex_store_put(s2, coll, j, text, strlen(text), res, &d);
	json_decref(j);
	return rc;
}

/*
 * Two handles on one database (the server and a CLI command): what one
 * does to collections, the other sees at once.
 */
static void
test_two_handles(void **state)
{
	struct fx *f = *state;
	struct cybex_store *s2 = NULL;
	enum cybex_put_result res;
	struct cybex_collection c;
	char a[CYBEX_UUID_STRLEN + 1], b[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct ob o;
	struct rows rs;

	assert_int_equal(cybex_store_open(f->dsn, 0, &s2, &d), 0);
	coll_add(f, "a", a);
	coll_add(f, "b", b);
	assert_int_equal(put2(s2, a, mk(&o, "tool", 1, T1, NULL), &res), 0);
	assert_int_equal(res, CYBEX_PUT_ADDED);
	/* Removed through f: s2 must not write into it any more. */
	assert_int_equal(cybex_store_collection_remove(f->s, a, &d), 0);
	assert_int_equal(put2(s2, a, mk(&o, "tool", 2, T1, NULL), &res),
	    CYBEX_ENOTFOUND);
	/* Added again with the same id: s2 writes into the new one. */
	memset(&c, 0, sizeof(c));
	memcpy(c.id, a, sizeof(c.id));
	c.alias = "a";
	c.title = "a again";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_int_equal(put2(s2, a, mk(&o, "tool", 3, T1, NULL), &res), 0);
	assert_int_equal(res, CYBEX_PUT_ADDED);
	query_coll(f, a, 0, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, o.id);
	rows_free(&rs);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
	cybex_store_close(s2);
}

/* A collection added in a transaction that is rolled back is gone. */
static void
test_collection_rollback(void **state)
{
	struct fx *f = *state;
	enum cybex_put_result res;
	struct cybex_collection c;
	char b[CYBEX_UUID_STRLEN + 1], tx[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct ob o;

	coll_add(f, "b", b);
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	memset(&c, 0, sizeof(c));
	c.alias = "tx";
	c.title = "in a transaction";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	memcpy(tx, c.id, sizeof(tx));
	put_expect(f, tx, mk(&o, "tool", 1, T1, NULL), CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_rollback(f->s), 0);
	assert_int_equal(cybex_store_collection_get(f->s, "tx", f->a, &c, &d),
	    CYBEX_ENOTFOUND);
	assert_int_equal(put(f, tx, o.text, &res), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
}

/* ---- put ---- */
static void
test_put_results(void **state)
{
	struct fx *f = *state;
	char a[CYBEX_UUID_STRLEN + 1];
	struct ob o;
	struct rows rs;

	coll_add(f, "a", a);
	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, o.text, CYBEX_PUT_PRESENT);
	put_expect(f, a, o.text, CYBEX_PUT_LINKED);
	put_expect(f, a, o.text, CYBEX_PUT_PRESENT);
	/* A new version is ADDED, also in a collection that knows the id. */
	put_expect(f, a, mk(&o, "identity", 1, T2, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, o.text, CYBEX_PUT_LINKED);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 2);	/* each version once */
	rows_free(&rs);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
}

/* Put text, which must be refused; returns the refusal's message. */
static int
put_msg(struct fx *f, const char *coll, const char *text,
    enum cybex_put_result *res, char *msg, size_t msgsz)
{
	struct cybex_diag d;
	json_t *j = NULL;
	int rc;

	cybex_diag_clear(&d);
	if (cybex_json_parse(text, strlen(text), 0, &j, &d) != 0)
		fail_msg("test object is not JSON: %s: %s", d.message, text);
	*res = 0;
	rc = cybex_store_put(f->s, coll, j, text, strlen(text), res, &d);
	json_decref(j);
	snprintf(msg, msgsz, "%s", d.message);
	return rc;
}

/* ---- conflicts ---- */
struct cfl {
	int64_t		 xid;
	char		 coll[CYBEX_UUID_STRLEN + 1];
	char		*alias;
	char		*id;
	char		*version;
	char		*json;
	char		*source;
	char		 sha256[65];
	bool		 kept_present;
	int64_t		 created_us;
};

struct cfls {
	struct cfl	 c[16];
	size_t		 n;
};

static int
cfl_collect(void *ud, const struct cybex_conflict *c)
{
	struct cfls *cs = ud;
	struct cfl *x;

	if (cs->n == 16)
		fail_msg("too many conflicts");
	x = &cs->c[cs->n++];
	x->xid = c->xid;
	snprintf(x->coll, sizeof(x->coll), "%s", c->coll_id);
	x->alias = dup0(c->coll_alias);
	x->id = dup0(c->id);
	x->version = dup0(c->version);
	x->json = malloc(c->len + 1);
	assert_non_null(x->json);
	memcpy(x->json, c->json, c->len);
	x->json[c->len] = '\0';
	x->source = dup0(c->source);
	snprintf(x->sha256, sizeof(x->sha256), "%s", c->sha256);
	x->kept_present = c->kept_present;
	x->created_us = c->created_us;
	return 0;
}

static void
cfls_free(struct cfls *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->c[i].alias);
		free(cs->c[i].id);
		free(cs->c[i].version);
		free(cs->c[i].json);
		free(cs->c[i].source);
	}
	memset(cs, 0, sizeof(*cs));
}

static void
conflicts(struct fx *f, const char *coll, struct cfls *cs)
{
	struct cybex_diag d;
	int rc;

	memset(cs, 0, sizeof(*cs));
	cybex_diag_clear(&d);
	rc = cybex_store_conflict_list(f->s, coll, cfl_collect, cs, &d);
	if (rc != 0)
		fail_msg("conflict list: %s: %s", cybex_strerror(rc),
		    d.message);
}

static void
test_put_conflict_keeps_text(void **state)
{
	struct fx *f = *state;
	enum cybex_put_result res;
	char a[CYBEX_UUID_STRLEN + 1];
	char msg[CYBEX_DIAG_MSG_MAX];
	struct cfls cs;
	struct ob o, o2;
	struct rows rs;

	coll_add(f, "a", a);
	cybex_store_set_source(f->s, "test feed 1");
	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	mk(&o2, "identity", 1, T1, ",\"description\":\"changed\"");
	/* In the same collection: the first is kept, this one recorded. */
	assert_int_equal(put_msg(f, f->def, o2.text, &res, msg, sizeof(msg)),
	    CYBEX_ECONFLICT);
	assert_int_equal(res, CYBEX_PUT_CONFLICT);
	assert_non_null(strstr(msg, "this collection"));
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, o.text);
	rows_free(&rs);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 1);
	assert_true(cs.c[0].xid > 0);
	assert_string_equal(cs.c[0].coll, f->def);
	assert_string_equal(cs.c[0].alias, CYBEX_DEFAULT_COLLECTION);
	assert_string_equal(cs.c[0].id, o.id);
	assert_string_equal(cs.c[0].version, "2020-02-01T00:00:00.000000000Z");
	assert_string_equal(cs.c[0].json, o2.text);
	assert_string_equal(cs.c[0].source, "test feed 1");
	assert_int_equal(strlen(cs.c[0].sha256), 64);
	assert_true(cs.c[0].kept_present);
	assert_true(cs.c[0].created_us > 0);
	cfls_free(&cs);
	/* The same refused content again is the same conflict, once. */
	assert_int_equal(put(f, f->def, o2.text, &res), CYBEX_ECONFLICT);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 1);
	cfls_free(&cs);
	/* It was committed (no transaction open): a reopen keeps it. */
	fx_close(f);
	fx_open(f);
	conflicts(f, f->def, &cs);
	assert_int_equal(cs.n, 1);
	cfls_free(&cs);
	conflicts(f, a, &cs);
	assert_int_equal(cs.n, 0);
	cfls_free(&cs);
}

/*
 * Versions are compared only within the target collection: what other
 * collections hold (here: other content for the same id and modified, a
 * revocation) changes neither the result nor the message of a put.
 */
static void
test_put_collections_isolated(void **state)
{
	struct fx *f = *state;
	enum cybex_put_result res;
	char a[CYBEX_UUID_STRLEN + 1], b[CYBEX_UUID_STRLEN + 1];
	char m1[CYBEX_DIAG_MSG_MAX], m2[CYBEX_DIAG_MSG_MAX];
	struct cfls cs;
	struct ob x, y, z;
	struct rows rs;

	coll_add(f, "hidden", a);
	coll_add(f, "b", b);
	put_expect(f, a, mk(&x, "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	/* Other content, same id and modified, in b: stored there. */
	put_expect(f, b, mk(&y, "identity", 1, T1, ",\"description\":\"b\""),
	    CYBEX_PUT_ADDED);
	put_expect(f, b, y.text, CYBEX_PUT_PRESENT);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, x.text);
	rows_free(&rs);
	query_coll(f, b, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, y.text);
	rows_free(&rs);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 0);
	cfls_free(&cs);
	/* Refusals in b say the same whatever the hidden one holds. */
	mk(&z, "identity", 1, T1, ",\"description\":\"c\"");
	assert_int_equal(put_msg(f, b, z.text, &res, m1, sizeof(m1)),
	    CYBEX_ECONFLICT);
	put_expect(f, b, mk(&y, "identity", 2, T1, ",\"description\":\"b\""),
	    CYBEX_PUT_ADDED);
	mk(&z, "identity", 2, T1, ",\"description\":\"c\"");
	assert_int_equal(put_msg(f, b, z.text, &res, m2, sizeof(m2)),
	    CYBEX_ECONFLICT);
	assert_int_equal(res, CYBEX_PUT_CONFLICT);
	/* The same message but for the id. */
	assert_non_null(strstr(m1, "--00000000-0000-4000-8000-000000000001"));
	assert_non_null(strstr(m2, "--00000000-0000-4000-8000-000000000002"));
	assert_int_equal(strlen(m1), strlen(m2));
	conflicts(f, a, &cs);
	assert_int_equal(cs.n, 0);
	cfls_free(&cs);
	conflicts(f, b, &cs);
	assert_int_equal(cs.n, 2);
	cfls_free(&cs);
	/* A revocation elsewhere blocks nothing here. */
	put_expect(f, a, mk(&x, "campaign", 3, T1, ",\"revoked\":true"),
	    CYBEX_PUT_ADDED);
	put_expect(f, b, mk(&y, "campaign", 3, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, b, mk(&y, "campaign", 3, T2, NULL), CYBEX_PUT_ADDED);
	/* A pre-emptive later revoked version elsewhere neither. */
	put_expect(f, a, mk(&x, "campaign", 4, T3, ",\"revoked\":true"),
	    CYBEX_PUT_ADDED);
	put_expect(f, b, mk(&y, "campaign", 4, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, b, mk(&y, "campaign", 4, T2, NULL), CYBEX_PUT_ADDED);
	put_expect(f, b, mk(&y, "campaign", 4, T3, NULL), CYBEX_PUT_ADDED);
	query_coll(f, b, CYBEX_VERSION_LAST, &rs);
	assert_int_equal(find_row(&rs, y.id, "2020-04"), (long)rs.n - 1);
	assert_null(strstr(rs.r[rs.n - 1].json, "revoked"));
	rows_free(&rs);
	/* The same content in both is still stored once and linked. */
	put_expect(f, a, mk(&x, "tool", 5, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, b, x.text, CYBEX_PUT_LINKED);
	/* Two contents of one version in two collections are consistent. */
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &dg), 0);
	/* Removing the hidden collection leaves b's versions. */
	assert_int_equal(cybex_store_collection_remove(f->s, "hidden", &dg),
	    0);
	query_coll(f, b, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 8);
	rows_free(&rs);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &dg), 0);
}

static void
test_conflict_resolve(void **state)
{
	struct fx *f = *state;
	enum cybex_put_result res;
	char a[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct cfls cs;
	struct ob x, y, z;
	struct rows rs;
	int64_t before;

	coll_add(f, "a", a);
	put_expect(f, a, mk(&x, "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, x.text, CYBEX_PUT_LINKED);
	mk(&y, "identity", 1, T1, ",\"description\":\"second\"");
	mk(&z, "identity", 1, T1, ",\"description\":\"third\"");
	assert_int_equal(put(f, a, y.text, &res), CYBEX_ECONFLICT);
	assert_int_equal(put(f, a, z.text, &res), CYBEX_ECONFLICT);
	conflicts(f, a, &cs);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.c[0].json, y.text);
	assert_string_equal(cs.c[1].json, z.text);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	before = rs.r[0].added;
	rows_free(&rs);
	/* Keep the second: it replaces the first in this collection only. */
	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_conflict_resolve(f->s, cs.c[0].xid,
	    CYBEX_KEEP_SECOND, &d), 0);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, y.text);
	/* Pollers see the change: it is added again. */
	assert_true(rs.r[0].added > before);
	rows_free(&rs);
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, x.text);
	rows_free(&rs);
	/* A resolved conflict is gone; resolving it again is ENOTFOUND. */
	assert_int_equal(cybex_store_conflict_resolve(f->s, cs.c[0].xid,
	    CYBEX_KEEP_FIRST, &d), CYBEX_ENOTFOUND);
	cfls_free(&cs);
	conflicts(f, a, &cs);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.c[0].json, z.text);
	/* Keep the first (now the second's content): the record goes. */
	assert_int_equal(cybex_store_conflict_resolve(f->s, cs.c[0].xid,
	    CYBEX_KEEP_FIRST, &d), 0);
	cfls_free(&cs);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 0);
	cfls_free(&cs);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, y.text);
	rows_free(&rs);
	assert_int_equal(cybex_store_conflict_resolve(f->s, 999, 0, &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_store_conflict_resolve(f->s, 999,
	    CYBEX_KEEP_SECOND, &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &dg), 0);
	/* A conflict goes with its collection. */
	assert_int_equal(put(f, a, z.text, &res), CYBEX_ECONFLICT);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 1);
	cfls_free(&cs);
	assert_int_equal(cybex_store_collection_remove(f->s, "a", &dg), 0);
	conflicts(f, NULL, &cs);
	assert_int_equal(cs.n, 0);
	cfls_free(&cs);
}

static void
test_put_canonical_same(void **state)
{
	struct fx *f = *state;
	char a[CYBEX_UUID_STRLEN + 1];
	char other[1024];
	struct ob o;
	struct rows rs;

	coll_add(f, "a", a);
	put_expect(f, f->def, mk(&o, "identity", 7, T1,
	    ",\"description\":\"caf\\u00e9\",\"confidence\":50"),
	    CYBEX_PUT_ADDED);
	/* Same members in another order, other whitespace and escapes. */
	snprintf(other, sizeof(other), "{ \"confidence\" : 5e1 ,\n"
	    "  \"name\": \"identity 7\", \"description\": \"caf\xc3\xa9\",\n"
	    "  \"modified\": \"" T1 "\", \"created\": \"" T0 "\",\n"
	    "  \"id\": \"%s\", \"spec_version\": \"2.1\",\n"
	    "  \"type\": \"identity\"\n}", o.id);
	put_expect(f, f->def, other, CYBEX_PUT_PRESENT);
	put_expect(f, a, other, CYBEX_PUT_LINKED);
	/* The text first received is what is kept. */
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, o.text);
	rows_free(&rs);
}

static void
test_put_revoked(void **state)
{
	struct fx *f = *state;
	enum cybex_put_result res;
	struct ob o;
	struct rows rs;

	put_expect(f, f->def, mk(&o, "campaign", 3, T1, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "campaign", 3, T2, ",\"revoked\":true"),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, o.text, CYBEX_PUT_PRESENT);
	assert_int_equal(put(f, f->def, mk(&o, "campaign", 3, T3, NULL), &res),
	    CYBEX_ECONFLICT);
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 2);
	assert_int_equal(find_row(&rs, o.id, "2020-04"), -1);
	rows_free(&rs);
}

static void
test_put_sco_version_empty(void **state)
{
	struct fx *f = *state;
	char a[CYBEX_UUID_STRLEN + 1];
	char key[CYBEX_VERSION_KEY_MAX];
	struct cybex_diag d;
	json_t *j;
	struct rows rs;

	coll_add(f, "a", a);
	put_expect(f, f->def, SCO_IP, CYBEX_PUT_ADDED);
	put_expect(f, f->def, SCO_IP, CYBEX_PUT_PRESENT);
	put_expect(f, a, SCO_IP, CYBEX_PUT_LINKED);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, SCO_IP_ID);
	assert_string_equal(rs.r[0].type, "ipv4-addr");
	assert_string_equal(rs.r[0].version, "");
	assert_string_equal(rs.r[0].json, SCO_IP);
	rows_free(&rs);
	/* Last and first of a one-version object are that version. */
	query_coll(f, a, CYBEX_VERSION_FIRST, &rs);
	assert_int_equal(rs.n, 1);
	rows_free(&rs);
	assert_int_equal(cybex_json_parse(SCO_IP, strlen(SCO_IP), 0, &j, &d),
	    0);
	assert_int_equal(cybex_store_version_key(j, key, &d), 0);
	assert_string_equal(key, "");
	json_decref(j);
}

static void
test_json_exact(void **state)
{
	struct fx *f = *state;
	const char *t = "{  \"name\" :\"\\u0041\\/b \\ud83d\\ude00 \xe2\x82\xac\","
	    "\n\t\"type\": \"identity\",\"spec_version\":\"2.1\",\r\n"
	    "\"id\":\"identity--00000000-0000-4000-8000-000000000abc\","
	    "\"created\":\"2020-01-01T00:00:00Z\","
	    "\"modified\":\"2020-01-01T00:00:00.1Z\","
	    "\"confidence\":1.0e1, \"x_custom\":[1,2 ,3] }";
	struct cybex_query q = { .ids = (const char *[]){
	    "identity--00000000-0000-4000-8000-000000000abc" }, .nids = 1 };
	struct rows rs;

	put_expect(f, f->def, t, CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].len, strlen(t));
	assert_memory_equal(rs.r[0].json, t, strlen(t));
	/* Version key: modified with nine fractional digits. */
	assert_string_equal(rs.r[0].version, "2020-01-01T00:00:00.100000000Z");
	assert_string_equal(rs.r[0].spec_version, "2.1");
	rows_free(&rs);
}

/* ---- queries ---- */
static void
test_query_by_collection(void **state)
{
	struct fx *f = *state;
	char a[CYBEX_UUID_STRLEN + 1], b[CYBEX_UUID_STRLEN + 1];
	struct ob o[4];
	struct rows rs;

	coll_add(f, "a", a);
	coll_add(f, "b", b);
	put_expect(f, a, mk(&o[0], "identity", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&o[1], "identity", 2, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&o[2], "malware", 3, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, b, o[2].text, CYBEX_PUT_LINKED);
	put_expect(f, b, mk(&o[3], "tool", 4, T1, NULL), CYBEX_PUT_ADDED);
	query_coll(f, a, 0, &rs);
	assert_int_equal(rs.n, 3);
	assert_true(find_row(&rs, o[0].id, NULL) >= 0);
	assert_true(find_row(&rs, o[1].id, NULL) >= 0);
	assert_true(find_row(&rs, o[2].id, NULL) >= 0);
	assert_increasing(&rs);
	rows_free(&rs);
	query_coll(f, b, 0, &rs);
	assert_int_equal(rs.n, 2);
	/* The order is the date added to b, not to a. */
	assert_string_equal(rs.r[0].id, o[2].id);
	assert_string_equal(rs.r[1].id, o[3].id);
	rows_free(&rs);
	query_coll(f, f->def, 0, &rs);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 4);
	rows_free(&rs);
}

static void
test_query_added_after(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct ob o;
	struct rows all, rs;
	unsigned i;

	for (i = 0; i < 10; i++)
		put_expect(f, f->def, mk(&o, "identity", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	query_coll(f, f->def, 0, &all);
	assert_int_equal(all.n, 10);
	q.coll_id = f->def;
	q.has_added_after = true;
	q.added_after_us = all.r[4].added;	/* strictly after: 5..9 */
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(rs.r[i].id, all.r[i + 5].id);
	rows_free(&rs);
	q.added_after_us = all.r[4].added - 1;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 6);
	rows_free(&rs);
	q.added_after_us = all.r[9].added;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	q.added_after_us = 0;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 10);
	rows_free(&rs);
	rows_free(&all);
}

static void
test_query_match_id_type(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	const char *ids[3], *types[2];
	struct ob o[8];
	struct rows rs;
	unsigned i;

	for (i = 0; i < 8; i++)
		put_expect(f, f->def, mk(&o[i], i % 2 ? "identity" :
		    i % 4 ? "malware" : "tool", i, T1, NULL), CYBEX_PUT_ADDED);
	/* 0 tool, 1 identity, 2 malware, 3 identity, 4 tool, ... */
	q.coll_id = f->def;
	ids[0] = o[5].id;
	ids[1] = o[2].id;
	ids[2] = "identity--ffffffff-0000-4000-8000-000000000000";
	q.ids = ids;
	q.nids = 3;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].id, o[2].id);
	assert_string_equal(rs.r[1].id, o[5].id);
	rows_free(&rs);
	q.ids = NULL;
	q.nids = 0;
	types[0] = "tool";
	types[1] = "malware";
	q.types = types;
	q.ntypes = 2;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 4);
	for (i = 0; i < rs.n; i++)
		assert_string_not_equal(rs.r[i].type, "identity");
	rows_free(&rs);
	/* id and type together: both must match. */
	q.ids = ids;
	q.nids = 2;
	q.ntypes = 1;		/* tool */
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	types[0] = "identity";
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, o[5].id);
	rows_free(&rs);
}

/* Number of rows of id whose version starts with vprefix. */
static int
nver(const struct rows *rs, const char *id, const char *vprefix)
{
	size_t i;
	int n = 0;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].id, id) == 0 &&
		    strncmp(rs->r[i].version, vprefix, strlen(vprefix)) == 0)
			n++;
	return n;
}

static void
test_query_versions(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	char b[CYBEX_UUID_STRLEN + 1];
	const char *at[2];
	struct ob x, y;
	struct rows rs;

	/* Added out of version order: first/last follow modified. */
	put_expect(f, f->def, mk(&x, "malware", 1, T2, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&x, "malware", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&x, "malware", 1, T3, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&y, "tool", 2, T1, NULL), CYBEX_PUT_ADDED);
	q.coll_id = f->def;

	query_ok(f, &q, &rs, NULL);		/* default: last */
	assert_int_equal(rs.n, 2);
	assert_int_equal(nver(&rs, x.id, "2020-04-01T00:00:00.000000000Z"), 1);
	assert_int_equal(nver(&rs, y.id, "2020-02"), 1);
	rows_free(&rs);
	q.versions = CYBEX_VERSION_LAST;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_int_equal(nver(&rs, x.id, "2020-04"), 1);
	rows_free(&rs);
	q.versions = CYBEX_VERSION_FIRST;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_int_equal(nver(&rs, x.id, "2020-02"), 1);
	assert_int_equal(nver(&rs, y.id, "2020-02"), 1);
	rows_free(&rs);
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 4);
	assert_increasing(&rs);
	rows_free(&rs);
	/* first|last: both ends, y (one version) once. */
	q.versions = CYBEX_VERSION_FIRST | CYBEX_VERSION_LAST;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 3);
	assert_int_equal(nver(&rs, x.id, "2020-02"), 1);
	assert_int_equal(nver(&rs, x.id, "2020-04"), 1);
	assert_int_equal(nver(&rs, y.id, ""), 1);
	rows_free(&rs);
	/* A specific version only: y has no such version. */
	q.versions = 0;
	at[0] = T2;
	q.version_at = at;
	q.nversion_at = 1;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, x.id);
	assert_string_equal(rs.r[0].version, "2020-03-01T00:00:00.000000000Z");
	rows_free(&rs);
	/* The same instant written with other precision matches. */
	at[0] = "2020-03-01T00:00:00Z";
	at[1] = "2020-02-01T00:00:00.000000Z";
	q.nversion_at = 2;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 3);	/* x T1, x T2, y T1 */
	assert_int_equal(nver(&rs, x.id, "2020-03"), 1);
	assert_int_equal(nver(&rs, x.id, "2020-02"), 1);
	assert_int_equal(nver(&rs, y.id, "2020-02"), 1);
	rows_free(&rs);
	/* Timestamps ORed with last. */
	at[0] = T2;
	q.nversion_at = 1;
	q.versions = CYBEX_VERSION_LAST;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 3);	/* x T2, x T3, y */
	assert_int_equal(nver(&rs, x.id, "2020-03"), 1);
	assert_int_equal(nver(&rs, x.id, "2020-04"), 1);
	assert_int_equal(nver(&rs, y.id, ""), 1);
	rows_free(&rs);
	/* First and last are among the versions in the queried collection. */
	coll_add(f, "b", b);
	put_expect(f, b, mk(&x, "malware", 1, T2, NULL), CYBEX_PUT_LINKED);
	q.coll_id = b;
	q.nversion_at = 0;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].version, "2020-03-01T00:00:00.000000000Z");
	rows_free(&rs);
	q.coll_id = f->def;
	/* The version of an SCO is "". */
	put_expect(f, f->def, SCO_IP, CYBEX_PUT_ADDED);
	q.versions = CYBEX_VERSION_LAST;
	q.nversion_at = 0;
	q.ids = (const char *[]){ SCO_IP_ID };
	q.nids = 1;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].version, "");
	rows_free(&rs);
}

static void
test_query_spec_version(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	const char *sv[2] = { "2.0", "2.1" };
	struct ob o;
	struct rows rs;

	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "tool", 2, T1, NULL), CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	q.spec_versions = sv;
	q.nspec_versions = 1;		/* 2.0: none */
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	q.versions = 0;
	q.nspec_versions = 2;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].spec_version, "2.1");
	rows_free(&rs);
	q.spec_versions = sv + 1;
	q.nspec_versions = 1;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
}

/*
 * With no spec_version asked for, an object is shown in its latest spec
 * version (TAXII 2.1 match[spec_version]): a 2.1 version wins over a later
 * modified 2.0 one, for last, first and all versions alike.
 */
static void
test_query_spec_version_latest(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	const char *sv20[1] = { "2.0" };
	struct ob o;
	struct rows rs;
	char v20a[512], v20b[512];

	oid(o.id, sizeof(o.id), "identity", 7);
	/* STIX 2.0 style (no spec_version), modified after the 2.1 ones. */
	snprintf(v20a, sizeof(v20a), "{\"type\":\"identity\",\"id\":\"%s\","
	    "\"created\":\"" T0 "\",\"modified\":\"" T2 "\",\"name\":\"x\"}",
	    o.id);
	snprintf(v20b, sizeof(v20b), "{\"type\":\"identity\",\"id\":\"%s\","
	    "\"created\":\"" T0 "\",\"modified\":\"" T3 "\",\"name\":\"x\"}",
	    o.id);
	put_expect(f, f->def, v20a, CYBEX_PUT_ADDED);
	put_expect(f, f->def, v20b, CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "identity", 7, T0, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "identity", 7, T1, NULL),
	    CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].spec_version, "2.1");
	assert_string_equal(rs.r[0].version, "2020-02-01T00:00:00.000000000Z");
	rows_free(&rs);
	q.versions = CYBEX_VERSION_FIRST;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].version, "2020-01-01T00:00:00.000000000Z");
	rows_free(&rs);
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0].spec_version, "2.1");
	assert_string_equal(rs.r[1].spec_version, "2.1");
	rows_free(&rs);
	/* Asked for, 2.0 is there, its own last version. */
	q.versions = 0;
	q.spec_versions = sv20;
	q.nspec_versions = 1;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].version, "2020-04-01T00:00:00.000000000Z");
	rows_free(&rs);
	/* The manifest follows the same rule. */
	q.spec_versions = NULL;
	q.nspec_versions = 0;
	q.versions = CYBEX_VERSION_ALL;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(cybex_store_manifest(f->s, &q, collect, &rs, &(struct
	    cybex_page){ 0 }, &dg), 0);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
}

/*
 * Page through q with limit, adding `grow` new objects (numbered from
 * *next_n) after each of the first `grow_pages` pages.  Checks every page.
 */
static void
page_all(struct fx *f, struct cybex_query *q, size_t limit, unsigned grow,
    unsigned grow_pages, unsigned *next_n, struct rows *all,
    unsigned *npages)
{
	struct cybex_page pg;
	char tok[sizeof(pg.next)];
	struct rows rs;
	struct ob o;
	size_t before;
	unsigned i;

	memset(all, 0, sizeof(*all));
	*npages = 0;
	q->limit = limit;
	q->next = NULL;
	for (;;) {
		memset(&rs, 0, sizeof(rs));
		memset(&pg, 0xa5, sizeof(pg));
		query_ok(f, q, &rs, &pg);
		(*npages)++;
		assert_true(*npages < 10000);
		assert_int_equal(pg.count, rs.n);
		assert_true(rs.n <= limit);
		if (rs.n > 0) {
			assert_int_equal(pg.first_added_us, rs.r[0].added);
			assert_int_equal(pg.last_added_us,
			    rs.r[rs.n - 1].added);
		}
		if (pg.more) {
			assert_int_equal(rs.n, limit);
			assert_true(pg.next[0] != '\0');
			assert_non_null(memchr(pg.next, '\0',
			    sizeof(pg.next)));
		}
		/* Move this page's rows into all. */
		before = all->n;
		for (i = 0; i < rs.n; i++) {
			if (all->n == all->cap) {
				all->cap = all->cap ? all->cap * 2 : 64;
				all->r = realloc(all->r,
				    all->cap * sizeof(*all->r));
				assert_non_null(all->r);
			}
			all->r[all->n++] = rs.r[i];
		}
		free(rs.r);
		if (before > 0 && all->n > before)
			assert_true(all->r[before].added >
			    all->r[before - 1].added);
		if (!pg.more)
			break;
		if (*npages <= grow_pages)
			for (i = 0; i < grow; i++) {
				put_expect(f, q->coll_id, mk(&o, "tool",
				    (*next_n)++, T1, NULL), CYBEX_PUT_ADDED);
			}
		memcpy(tok, pg.next, sizeof(tok));
		q->next = tok;
	}
	q->next = NULL;
}

static void
assert_each_once(const struct rows *all, const char *type, unsigned from,
    unsigned to)
{
	char id[128];
	unsigned i;
	size_t j;
	int seen;

	for (i = from; i < to; i++) {
		oid(id, sizeof(id), type, i);
		seen = 0;
		for (j = 0; j < all->n; j++)
			if (strcmp(all->r[j].id, id) == 0)
				seen++;
		if (seen != 1)
			fail_msg("%s seen %d times while paging", id, seen);
	}
}

static void
test_query_paging(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct rows all;
	struct ob o;
	unsigned i, n = 250, pages, next_n = 0;

	assert_int_equal(cybex_store_begin(f->s, &dg), 0);
	for (i = 0; i < n; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &dg), 0);
	q.coll_id = f->def;
	page_all(f, &q, 7, 0, 0, &next_n, &all, &pages);
	assert_int_equal(all.n, n);
	assert_int_equal(pages, (n + 6) / 7);
	assert_increasing(&all);
	assert_each_once(&all, "tool", 0, n);
	rows_free(&all);
	/* An exact multiple of the limit: the last full page says no more. */
	page_all(f, &q, 50, 0, 0, &next_n, &all, &pages);
	assert_int_equal(all.n, n);
	assert_int_equal(pages, 5);
	rows_free(&all);
	/* One page holds everything. */
	page_all(f, &q, 1000, 0, 0, &next_n, &all, &pages);
	assert_int_equal(pages, 1);
	assert_int_equal(all.n, n);
	rows_free(&all);
	/* Paging with a type filter and all versions. */
	put_expect(f, f->def, mk(&o, "tool", 3, T2, NULL), CYBEX_PUT_ADDED);
	q.versions = CYBEX_VERSION_ALL;
	q.types = (const char *[]){ "tool" };
	q.ntypes = 1;
	page_all(f, &q, 9, 0, 0, &next_n, &all, &pages);
	assert_int_equal(all.n, n + 1);
	assert_increasing(&all);
	rows_free(&all);
}

static void
test_query_paging_while_adding(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct rows all;
	struct ob o;
	unsigned i, n = 100, pages, next_n;

	for (i = 0; i < n; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	next_n = n;
	/* Three new objects after each of the first 12 pages. */
	page_all(f, &q, 10, 3, 12, &next_n, &all, &pages);
	assert_int_equal(next_n, n + 36);
	assert_int_equal(all.n, n + 36);
	assert_increasing(&all);
	assert_each_once(&all, "tool", 0, n + 36);
	rows_free(&all);
	/* Paging from an added_after start sees only the newer rows. */
	query_coll(f, f->def, 0, &all);
	q.has_added_after = true;
	q.added_after_us = all.r[n - 1].added;
	rows_free(&all);
	page_all(f, &q, 4, 0, 0, &next_n, &all, &pages);
	assert_int_equal(all.n, 36);
	assert_each_once(&all, "tool", n, n + 36);
	rows_free(&all);
}

static void
test_query_errors(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct cybex_page pg;
	struct rows rs;
	struct ob o;
	unsigned i;
	char tok[sizeof(pg.next)];

	for (i = 0; i < 5; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	q.limit = 2;
	memset(&rs, 0, sizeof(rs));
	q.next = "not a token!";
	assert_int_equal(query(f, &q, &rs, &pg), CYBEX_EINVAL);
	q.next = "\xff\xfe";
	assert_int_equal(query(f, &q, &rs, &pg), CYBEX_EINVAL);
	assert_int_equal(rs.n, 0);
	/* A good token works. */
	q.next = NULL;
	query_ok(f, &q, &rs, &pg);
	assert_true(pg.more);
	memcpy(tok, pg.next, sizeof(tok));
	rows_free(&rs);
	q.next = tok;
	query_ok(f, &q, &rs, &pg);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
	/* Unknown collections. */
	q.next = NULL;
	q.coll_id = "4a0e0d1e-8f5c-4c3c-9d6e-3d1f0b5c9a77";
	assert_int_equal(query(f, &q, &rs, &pg), CYBEX_ENOTFOUND);
	q.coll_id = "no such collection";
	assert_int_equal(query(f, &q, &rs, &pg), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_manifest(f->s, &q, collect, &rs, &pg,
	    &dg), CYBEX_ENOTFOUND);
	assert_int_equal(rs.n, 0);
}

static void
test_date_added_monotonic(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct rows rs;
	struct ob o;
	unsigned i;

	/* Half inside one transaction, half committing one by one. */
	assert_int_equal(cybex_store_begin(f->s, &dg), 0);
	for (i = 0; i < 500; i++)
		put_expect(f, f->def, mk(&o, "identity", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &dg), 0);
	for (i = 500; i < 1000; i++)
		put_expect(f, f->def, mk(&o, "identity", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(rs.n, 1000);
	assert_increasing(&rs);
	/* In put order. */
	for (i = 0; i < 1000; i += 111) {
		oid(o.id, sizeof(o.id), "identity", i);
		assert_string_equal(rs.r[i].id, o.id);
	}
	rows_free(&rs);
}

static int
manifest_collect(struct fx *f, const struct cybex_query *q, struct rows *rs)
{
	struct cybex_page pg;
	struct cybex_diag d;

	memset(rs, 0, sizeof(*rs));
	return cybex_store_manifest(f->s, q, collect, rs, &pg, &d);
}

static void
test_manifest(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct rows rs, ms;
	struct ob o;
	size_t i;

	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "identity", 1, T2, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "malware", 2, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, SCO_IP, CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	assert_int_equal(manifest_collect(f, &q, &ms), 0);
	assert_int_equal(rs.n, 4);
	assert_int_equal(ms.n, rs.n);
	for (i = 0; i < rs.n; i++) {
		assert_non_null(rs.r[i].json);
		assert_null(ms.r[i].json);
		assert_string_equal(ms.r[i].id, rs.r[i].id);
		assert_string_equal(ms.r[i].type, rs.r[i].type);
		assert_string_equal(ms.r[i].version, rs.r[i].version);
		assert_int_equal(ms.r[i].added, rs.r[i].added);
	}
	rows_free(&ms);
	rows_free(&rs);
	/* Filters apply the same way. */
	q.versions = 0;
	q.types = (const char *[]){ "identity" };
	q.ntypes = 1;
	assert_int_equal(manifest_collect(f, &q, &ms), 0);
	assert_int_equal(ms.n, 1);
	assert_string_equal(ms.r[0].version, "2020-03-01T00:00:00.000000000Z");
	rows_free(&ms);
}

static void
test_delete(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	char a[CYBEX_UUID_STRLEN + 1];
	const char *at[1];
	struct cybex_diag d;
	struct ob x, y;
	struct rows rs;
	size_t removed;

	coll_add(f, "a", a);
	put_expect(f, a, mk(&x, "malware", 1, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, f->def, x.text, CYBEX_PUT_LINKED);	/* v1 shared */
	put_expect(f, a, mk(&x, "malware", 1, T2, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&x, "malware", 1, T3, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&y, "tool", 2, T1, NULL), CYBEX_PUT_ADDED);

	/* One version by timestamp. */
	q.coll_id = a;
	q.ids = (const char *[]){ x.id };
	q.nids = 1;
	at[0] = T2;
	q.version_at = at;
	q.nversion_at = 1;
	removed = 99;
	assert_int_equal(cybex_store_delete(f->s, &q, &removed, &d), 0);
	assert_int_equal(removed, 1);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 3);
	assert_int_equal(nver(&rs, x.id, "2020-03"), 0);
	rows_free(&rs);
	/* The orphaned version is gone everywhere. */
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(nver(&rs, x.id, "2020-03"), 0);
	assert_int_equal(rs.n, 3);
	rows_free(&rs);

	/* No version filter: every version of x in a; y stays. */
	q.version_at = NULL;
	q.nversion_at = 0;
	removed = 99;
	assert_int_equal(cybex_store_delete(f->s, &q, &removed, &d), 0);
	assert_int_equal(removed, 2);
	query_coll(f, a, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id, y.id);
	rows_free(&rs);
	/* v1 is still in default; v3 was only in a and is gone. */
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 2);
	assert_int_equal(nver(&rs, x.id, "2020-02"), 1);
	assert_int_equal(nver(&rs, x.id, "2020-04"), 0);
	rows_free(&rs);
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].json, mk(&x, "malware", 1, T1, NULL));
	rows_free(&rs);
	/* Nothing left to remove in a. */
	removed = 99;
	assert_int_equal(cybex_store_delete(f->s, &q, &removed, &d), 0);
	assert_int_equal(removed, 0);
	/* With a version bit: first only. */
	put_expect(f, f->def, mk(&x, "malware", 1, T2, NULL), CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	q.versions = CYBEX_VERSION_FIRST;
	assert_int_equal(cybex_store_delete(f->s, &q, &removed, &d), 0);
	assert_int_equal(removed, 1);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(nver(&rs, x.id, "2020-02"), 0);
	assert_int_equal(nver(&rs, x.id, "2020-03"), 1);
	rows_free(&rs);
}

static void
test_transactions(void **state)
{
	struct fx *f = *state;
	struct rows rs;
	struct ob o;
	unsigned i;

	assert_int_equal(cybex_store_begin(f->s, &dg), 0);
	for (i = 0; i < 5; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_rollback(f->s), 0);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);

	assert_int_equal(cybex_store_begin(f->s, &dg), 0);
	assert_true(cybex_store_begin(f->s, &dg) < 0);	/* not nestable */
	for (i = 0; i < 5; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &dg), 0);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 5);
	rows_free(&rs);
	/* Committed data survives a reopen. */
	fx_close(f);
	fx_open(f);
	query_coll(f, f->def, 0, &rs);
	assert_int_equal(rs.n, 5);
	rows_free(&rs);
	/* A conflict inside a transaction does not poison it. */
	assert_int_equal(cybex_store_begin(f->s, &dg), 0);
	put_expect(f, f->def, mk(&o, "tool", 10, T1, NULL), CYBEX_PUT_ADDED);
	{
		enum cybex_put_result res;

		assert_int_equal(put(f, f->def, mk(&o, "tool", 0, T1,
		    ",\"description\":\"x\""), &res), CYBEX_ECONFLICT);
		assert_int_equal(res, CYBEX_PUT_CONFLICT);
	}
	put_expect(f, f->def, mk(&o, "tool", 11, T1, NULL), CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &dg), 0);
	query_coll(f, f->def, 0, &rs);
	assert_int_equal(rs.n, 7);
	rows_free(&rs);
}

struct counts {
	unsigned	 ntype, ncoll;
	uint64_t	 ident_obj, ident_ver, mal_obj, def_ver, a_ver, a_obj;
};

static int
count_fn(void *ud, int kind, const struct cybex_store_count *c)
{
	struct counts *k = ud;

	assert_non_null(c->name);
	if (kind == CYBEX_COUNT_TYPE) {
		k->ntype++;
		if (strcmp(c->name, "identity") == 0) {
			k->ident_obj = c->objects;
			k->ident_ver = c->versions;
		} else if (strcmp(c->name, "malware") == 0)
			k->mal_obj = c->objects;
	} else if (kind == CYBEX_COUNT_COLLECTION) {
		k->ncoll++;
		if (strcmp(c->name, CYBEX_DEFAULT_COLLECTION) == 0)
			k->def_ver = c->versions;
		else if (strcmp(c->name, "a") == 0) {
			k->a_ver = c->versions;
			k->a_obj = c->objects;
		}
	} else
		fail_msg("unknown count kind %d", kind);
	return 0;
}

static void
test_stats(void **state)
{
	struct fx *f = *state;
	struct cybex_store_stats st;
	char a[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct counts k;
	struct ob o;

	coll_add(f, "a", a);
	put_expect(f, f->def, mk(&o, "identity", 1, T1, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, f->def, mk(&o, "identity", 1, T2, NULL),
	    CYBEX_PUT_ADDED);
	put_expect(f, a, o.text, CYBEX_PUT_LINKED);
	put_expect(f, a, mk(&o, "identity", 2, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, mk(&o, "malware", 3, T1, NULL), CYBEX_PUT_ADDED);
	put_expect(f, a, SCO_IP, CYBEX_PUT_ADDED);
	memset(&k, 0, sizeof(k));
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(cybex_store_stats(f->s, count_fn, &k, &st, &d), 0);
	assert_int_equal(st.objects, 4);
	assert_int_equal(st.versions, 5);
	assert_int_equal(st.collections, 2);
	assert_true(st.bytes_on_disk > 0);
	assert_int_equal(st.schema_version, cybex_store_schema_latest());
	assert_int_equal(k.ntype, 3);		/* identity, malware, ipv4-addr */
	assert_int_equal(k.ident_obj, 2);
	assert_int_equal(k.ident_ver, 3);
	assert_int_equal(k.mal_obj, 1);
	assert_int_equal(k.ncoll, 2);
	assert_int_equal(k.def_ver, 2);
	assert_int_equal(k.a_ver, 4);
	assert_int_equal(k.a_obj, 4);
	/* Without a callback. */
	assert_int_equal(cybex_store_stats(f->s, NULL, NULL, &st, &d), 0);
	assert_int_equal(st.versions, 5);
}

static void
count_problem(void *ud, const struct cybex_diag *d)
{
	(*(unsigned *)ud)++;
}

static void
test_check(void **state)
{
	struct fx *f = *state;
	char a[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct ob o;
	unsigned n = 0, i;
	size_t removed;
	struct cybex_query q = { 0 };

	assert_int_equal(cybex_store_check(f->s, count_problem, &n, &d), 0);
	assert_int_equal(n, 0);
	coll_add(f, "a", a);
	for (i = 0; i < 50; i++)
		put_expect(f, i % 2 ? a : f->def, mk(&o, "identity", i % 20,
		    i < 20 ? T1 : i < 40 ? T2 : T3, NULL), CYBEX_PUT_ADDED);
	q.coll_id = a;
	q.ids = (const char *[]){ o.id };
	q.nids = 1;
	assert_int_equal(cybex_store_delete(f->s, &q, &removed, &d), 0);
	assert_int_equal(cybex_store_check(f->s, count_problem, &n, &d), 0);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
	assert_int_equal(n, 0);
}

static void
test_callback_stops(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct cybex_page pg;
	struct rows rs;
	struct ob o;
	char tok[sizeof(pg.next)];
	unsigned i;

	for (i = 0; i < 10; i++)
		put_expect(f, f->def, mk(&o, "tool", i, T1, NULL),
		    CYBEX_PUT_ADDED);
	q.coll_id = f->def;
	memset(&rs, 0, sizeof(rs));
	rs.stop_at = 3;
	rs.stop_ret = 42;
	assert_int_equal(query(f, &q, &rs, &pg), 42);
	assert_int_equal(rs.n, 3);
	rows_free(&rs);
	rs.stop_at = 1;
	rs.stop_ret = -7777;
	assert_int_equal(cybex_store_manifest(f->s, &q, collect, &rs, &pg,
	    &dg), -7777);
	assert_int_equal(rs.n, 1);
	rows_free(&rs);
	/* Export over every collection stops the same way. */
	q.coll_id = NULL;
	rs.stop_at = 5;
	rs.stop_ret = 7;
	assert_int_equal(query(f, &q, &rs, &pg), 7);
	assert_int_equal(rs.n, 5);
	rows_free(&rs);
	/* CYBEX_ROW_STOP ends the page before the row; the next starts there. */
	q.coll_id = f->def;
	rs.stop_at = 5;
	rs.stop_ret = CYBEX_ROW_STOP;
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 5);	/* collect() saw the refused row too */
	assert_int_equal(pg.count, 4);
	assert_true(pg.more);
	rows_free(&rs);
	memcpy(tok, pg.next, sizeof(tok));
	q.next = tok;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 6);	/* rows 5..10 */
	assert_false(pg.more);
	rows_free(&rs);
	q.next = NULL;
	/* The store is usable afterwards. */
	put_expect(f, f->def, mk(&o, "tool", 99, T1, NULL), CYBEX_PUT_ADDED);
}

struct counter {
	size_t		 n;
	int64_t		 last;
	bool		 ordered;
	size_t		 bytes;
};

static int
count_row(void *ud, const struct cybex_row *r)
{
	struct counter *c = ud;

	if (c->n > 0 && r->date_added_us <= c->last)
		c->ordered = false;
	c->last = r->date_added_us;
	c->bytes += r->len;
	c->n++;
	return 0;
}

static void
test_streaming_50k(void **state)
{
	struct fx *f = *state;
	struct cybex_query q = { 0 };
	struct cybex_page pg;
	struct cybex_diag d;
	struct counter c;
	struct ob o;
	unsigned i, n = 50000;
	int rc;

	for (i = 0; i < n; i++) {
		if (i % 10000 == 0)
			assert_int_equal(cybex_store_begin(f->s, &dg), 0);
		put_expect(f, f->def, mk(&o, i % 3 ? "tool" : "identity", i,
		    T1, NULL), CYBEX_PUT_ADDED);
		if (i % 10000 == 9999)
			assert_int_equal(cybex_store_commit(f->s, &dg), 0);
	}
	q.coll_id = f->def;
	memset(&c, 0, sizeof(c));
	c.ordered = true;
	rc = cybex_store_query(f->s, &q, count_row, &c, &pg, &d);
	assert_int_equal(rc, 0);
	assert_int_equal(c.n, n);
	assert_true(c.ordered);
	assert_false(pg.more);
	assert_int_equal(pg.count, n);
	/* Export: every collection. */
	q.coll_id = NULL;
	q.versions = CYBEX_VERSION_ALL;
	memset(&c, 0, sizeof(c));
	assert_int_equal(cybex_store_query(f->s, &q, count_row, &c, &pg, &d),
	    0);
	assert_int_equal(c.n, n);
	assert_true(c.bytes > (size_t)n * 150);
}

/*
 * TLP: a collection holds nothing marked above its max_tlp (default
 * AMBER+STRICT), and a query with max_tlp serves nothing above it.
 */
static void
test_tlp_policy(void **state)
{
	static const char *red =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--7f3b0c1e-6a7d-4e0b-9c55-0d6a1f2b3c4d\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"r\","
	    "\"object_marking_refs\":[\"marking-definition--5e57c739-391a-"
	    "4eb3-b6be-7d15ca92d5ed\"]}";
	static const char *amber =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--8a4c1d2f-7b8e-4f1c-8d66-1e7b2a3c4d5e\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"a\","
	    "\"object_marking_refs\":[\"marking-definition--55d920b0-5e8b-"
	    "4f79-9ee9-91f868d9b421\"]}";
	struct fx *f = *state;
	struct cybex_collection c;
	struct cybex_query q = { 0 };
	enum cybex_put_result res;
	struct cybex_diag d;
	struct rows rs;
	struct cybex_page pg;

	assert_int_equal(cybex_store_collection_get(f->s, "default", f->a, &c,
	    &d), 0);
	assert_int_equal(c.max_tlp, CYBEX_TLP_AMBER_STRICT);
	assert_int_equal(put(f, f->def, red, &res), CYBEX_EPOLICY);
	put_expect(f, f->def, amber, CYBEX_PUT_ADDED);
	memset(&c, 0, sizeof(c));
	c.alias = "red";
	c.title = "for the named recipients";
	c.max_tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	put_expect(f, c.id, red, CYBEX_PUT_ADDED);
	put_expect(f, c.id, amber, CYBEX_PUT_LINKED);
	q.coll_id = c.id;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
	q.max_tlp = CYBEX_TLP_AMBER;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.r[0].id,
	    "tool--8a4c1d2f-7b8e-4f1c-8d66-1e7b2a3c4d5e");
	rows_free(&rs);
	c.max_tlp = 9;
	c.id[0] = '\0';
	c.alias = "bad";
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d),
	    CYBEX_EINVAL);
}

/*
 * TLP through granular markings (issue 25): content marked TLP:RED (1.0 or
 * 2.0 id) by a granular marking makes the object RED: refused by an
 * AMBER+STRICT or GREEN collection, and never served under a lower
 * ceiling.
 */
static void
test_tlp_granular(void **state)
{
	static const char *red2 =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--9b5d2e3f-8c9f-4a2d-9e77-2f8c3b4d5e6f\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"g\","
	    "\"description\":\"the victim is bank X\","
	    "\"object_marking_refs\":[\"marking-definition--bab4a63c-aed9-"
	    "4cf5-a766-dfca5abac2bb\"],"
	    "\"granular_markings\":[{\"marking_ref\":\"marking-definition--"
	    "e828b379-4e03-4974-9ac4-e53a884c97c1\",\"selectors\":"
	    "[\"description\"]}]}";
	static const char *red1 =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--0c6e3f4a-9d0a-4b3e-8f88-3a9d4c5e6f70\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"h\","
	    "\"granular_markings\":[{\"marking_ref\":\"marking-definition--"
	    "5e57c739-391a-4eb3-b6be-7d15ca92d5ed\",\"selectors\":"
	    "[\"name\"]}]}";
	struct fx *f = *state;
	struct cybex_collection c;
	struct cybex_query q = { 0 };
	enum cybex_put_result res;
	struct rows rs;
	struct cybex_page pg;
	struct cybex_diag d;

	assert_int_equal(put(f, f->def, red2, &res), CYBEX_EPOLICY);
	assert_int_equal(put(f, f->def, red1, &res), CYBEX_EPOLICY);
	memset(&c, 0, sizeof(c));
	c.alias = "green";
	c.title = "community";
	c.max_tlp = CYBEX_TLP_GREEN;
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	assert_int_equal(put(f, c.id, red2, &res), CYBEX_EPOLICY);
	memset(&c, 0, sizeof(c));
	c.alias = "red";
	c.title = "for the named recipients";
	c.max_tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_store_collection_add(f->s, &c, &d), 0);
	put_expect(f, c.id, red2, CYBEX_PUT_ADDED);
	put_expect(f, c.id, red1, CYBEX_PUT_ADDED);
	q.coll_id = c.id;
	q.max_tlp = CYBEX_TLP_AMBER_STRICT;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	q.max_tlp = CYBEX_TLP_RED;
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(query(f, &q, &rs, &pg), 0);
	assert_int_equal(rs.n, 2);
	rows_free(&rs);
}

/* A collection alias with ceiling max_tlp; its id into id. */
static void
coll_add_tlp(struct fx *f, const char *alias, int max_tlp,
    char id[CYBEX_UUID_STRLEN + 1])
{
	struct cybex_collection c;
	struct cybex_diag d;
	int rc;

	memset(&c, 0, sizeof(c));
	c.alias = alias;
	c.title = alias;
	c.max_tlp = max_tlp;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_add(f->s, &c, &d)) != 0)
		fail_msg("collection add %s: %s", alias, d.message);
	memcpy(id, c.id, CYBEX_UUID_STRLEN + 1);
}

/* How many versions of collection coll a reader under max_tlp gets. */
static size_t
served(struct fx *f, const char *coll, int max_tlp)
{
	struct cybex_query q = { 0 };
	struct rows rs;
	size_t n;

	q.coll_id = coll;
	q.max_tlp = max_tlp;
	q.versions = CYBEX_VERSION_ALL;
	query_ok(f, &q, &rs, NULL);
	n = rs.n;
	rows_free(&rs);
	memset(&rs, 0, sizeof(rs));
	memset(&q, 0, sizeof(q));
	/* Manifests filter the same way. */
	q.coll_id = coll;
	q.max_tlp = max_tlp;
	q.versions = CYBEX_VERSION_ALL;
	assert_int_equal(cybex_store_manifest(f->s, &q, collect, &rs,
	    &(struct cybex_page){ 0 }, &dg), 0);
	assert_int_equal(rs.n, n);
	rows_free(&rs);
	return n;
}

#define MD(u)	"marking-definition--" u
#define MD_RED20	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e21")
#define MD_REDMARKED	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e22")
#define MD_LATER	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e23")
#define MD_STATEMENT	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e24")
#define MD_GREEN	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e25")
#define MD_CHAIN	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e26")

/* A tool n marked by the marking-definition reference ref. */
static const char *
tool_marked(char *buf, size_t sz, unsigned n, const char *ref, bool granular)
{
	snprintf(buf, sz, "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--7d8e9f00-1a2b-4c3d-8e4f-5a6b7c8d9e%02u\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"t%u\","
	    "%s\"%s\"%s}", n, n, granular ? "\"granular_markings\":[{"
	    "\"selectors\":[\"name\"],\"marking_ref\":" :
	    "\"object_marking_refs\":[", ref, granular ? "}]" : "]");
	return buf;
}

/*
 * TLP through marking-definition references: a marking-definition that
 * is not a predefined one but says TLP:RED by its definition (STIX 2.0
 * style) or is itself marked TLP:RED makes what references it RED, on
 * ingress (refused above the ceiling) and on egress (not served below
 * RED), through object and granular markings and through a chain.
 */
static void
test_tlp_marking_refs(void **state)
{
	static const char *red20 = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_RED20 "\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	static const char *redmarked = "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"" MD_REDMARKED "\","
	    "\"created\":\"2020-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"victim data\"},\"object_marking_refs\":[\"marking-definition--"
	    "e828b379-4e03-4974-9ac4-e53a884c97c1\"]}";
	static const char *chain = "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"" MD_CHAIN "\","
	    "\"created\":\"2020-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"c\"},\"granular_markings\":[{\"selectors\":[\"definition\"],"
	    "\"marking_ref\":\"" MD_RED20 "\"}]}";
	struct fx *f = *state;
	char red[CYBEX_UUID_STRLEN + 1], buf[1024];
	enum cybex_put_result res;

	coll_add_tlp(f, "red", CYBEX_TLP_RED, red);
	/* The definitions themselves: a RED-marked one only where RED goes. */
	put_expect(f, f->def, red20, CYBEX_PUT_ADDED);
	assert_int_equal(put(f, f->def, redmarked, &res), CYBEX_EPOLICY);
	put_expect(f, red, redmarked, CYBEX_PUT_ADDED);
	assert_int_equal(put(f, f->def, chain, &res), CYBEX_EPOLICY);
	put_expect(f, red, chain, CYBEX_PUT_ADDED);

	assert_int_equal(put(f, f->def, tool_marked(buf, sizeof(buf), 1,
	    MD_RED20, false), &res), CYBEX_EPOLICY);
	assert_int_equal(put(f, f->def, tool_marked(buf, sizeof(buf), 2,
	    MD_RED20, true), &res), CYBEX_EPOLICY);
	/*
	 * redmarked and chain are only in "red": the default collection
	 * does not resolve them, so its tools are taken in but withheld.
	 */
	put_expect(f, f->def, tool_marked(buf, sizeof(buf), 3, MD_REDMARKED,
	    false), CYBEX_PUT_ADDED);
	put_expect(f, f->def, tool_marked(buf, sizeof(buf), 4, MD_CHAIN,
	    false), CYBEX_PUT_ADDED);
	assert_int_equal(served(f, f->def, CYBEX_TLP_AMBER_STRICT), 1);
	assert_int_equal(served(f, f->def, CYBEX_TLP_RED), 3);

	/* In a RED collection they are stored, and served only to RED. */
	put_expect(f, red, tool_marked(buf, sizeof(buf), 1, MD_RED20, false),
	    CYBEX_PUT_ADDED);
	put_expect(f, red, tool_marked(buf, sizeof(buf), 2, MD_RED20, true),
	    CYBEX_PUT_ADDED);
	put_expect(f, red, tool_marked(buf, sizeof(buf), 3, MD_REDMARKED,
	    false), CYBEX_PUT_LINKED);
	put_expect(f, red, tool_marked(buf, sizeof(buf), 4, MD_CHAIN, false),
	    CYBEX_PUT_LINKED);
	/* redmarked, chain and the four tools are RED */
	assert_int_equal(served(f, red, CYBEX_TLP_AMBER_STRICT), 0);
	assert_int_equal(served(f, red, CYBEX_TLP_RED), 6);
}

/*
 * A reference the hub cannot resolve is taken in (its definition may come
 * later in the same bundle) but not served below RED until the
 * marking-definition is stored; then it is what that one says.  A later
 * version of a marking-definition that says more raises what references
 * it: the most restrictive version wins.
 */
static void
test_tlp_marking_later(void **state)
{
	static const char *statement = "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"" MD_STATEMENT "\","
	    "\"created\":\"2020-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"Copyright\"}}";
	static const char *later = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_LATER "\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	static const char *green1 = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_GREEN "\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"green\"}}";
	static const char *green2 = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_GREEN "\",\"created\":\"2018-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	struct fx *f = *state;
	char buf[1024], amber[CYBEX_UUID_STRLEN + 1];
	enum cybex_put_result res;
	struct cybex_diag d;

	put_expect(f, f->def, tool_marked(buf, sizeof(buf), 10, MD_STATEMENT,
	    false), CYBEX_PUT_ADDED);
	put_expect(f, f->def, tool_marked(buf, sizeof(buf), 11, MD_LATER,
	    true), CYBEX_PUT_ADDED);
	assert_int_equal(served(f, f->def, CYBEX_TLP_AMBER_STRICT), 0);
	assert_int_equal(served(f, f->def, CYBEX_TLP_RED), 2);
	/* In one transaction, as an import's batch. */
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	put_expect(f, f->def, statement, CYBEX_PUT_ADDED);
	put_expect(f, f->def, later, CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &d), 0);
	/* tool 10 and the two definitions; tool 11 is RED now */
	assert_int_equal(served(f, f->def, CYBEX_TLP_AMBER_STRICT), 3);

	put_expect(f, f->def, green1, CYBEX_PUT_ADDED);
	put_expect(f, f->def, tool_marked(buf, sizeof(buf), 12, MD_GREEN,
	    false), CYBEX_PUT_ADDED);
	assert_int_equal(served(f, f->def, CYBEX_TLP_GREEN), 5);
	put_expect(f, f->def, green2, CYBEX_PUT_ADDED);
	/* the second green definition is served; tool 12 is RED now */
	assert_int_equal(served(f, f->def, CYBEX_TLP_AMBER_STRICT), 5);
	assert_int_equal(served(f, f->def, CYBEX_TLP_GREEN), 5);
	assert_int_equal(served(f, f->def, CYBEX_TLP_RED), 7);
	/* ... and refused where it would now be above the ceiling */
	assert_int_equal(put(f, f->def, tool_marked(buf, sizeof(buf), 12,
	    MD_GREEN, false), &res), CYBEX_EPOLICY);
	/*
	 * A collection that holds no version of the definition takes it
	 * (nothing of the default collection's shows) and withholds it.
	 */
	coll_add_tlp(f, "amber", CYBEX_TLP_AMBER, amber);
	put_expect(f, amber, tool_marked(buf, sizeof(buf), 12, MD_GREEN,
	    false), CYBEX_PUT_LINKED);
	assert_int_equal(served(f, amber, CYBEX_TLP_AMBER), 0);
	assert_int_equal(served(f, amber, CYBEX_TLP_RED), 1);
}

#define MD_OWN		MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e27")
#define MD_PROBE	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e28")

/*
 * Marking-definitions resolve within the collection (issue 25): a
 * reference counts only what the target collection holds (or received
 * earlier in the same transaction) and the predefined TLP ids.  A writer
 * to one collection can neither tell whether another collection holds a
 * marking-definition (the put is answered the same) nor make another
 * collection's objects RED by storing a RED version of its id.  A version
 * several collections share takes the most restrictive of their views.
 */
static void
test_tlp_marking_per_collection(void **state)
{
	static const char *probe = "{\"type\":\"marking-definition\","
	    "\"spec_version\":\"2.1\",\"id\":\"" MD_PROBE "\","
	    "\"created\":\"2020-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"statement\",\"definition\":{\"statement\":"
	    "\"hidden\"},\"object_marking_refs\":[\"marking-definition--"
	    "e828b379-4e03-4974-9ac4-e53a884c97c1\"]}";
	static const char *green = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_OWN "\",\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"green\"}}";
	static const char *red = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_OWN "\",\"created\":\"2018-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	struct fx *f = *state;
	char hidden[CYBEX_UUID_STRLEN + 1], mine[CYBEX_UUID_STRLEN + 1];
	char victim[CYBEX_UUID_STRLEN + 1], batch[CYBEX_UUID_STRLEN + 1];
	char mine_red[CYBEX_UUID_STRLEN + 1], buf[1024];
	enum cybex_put_result res;
	struct cybex_diag d;

	coll_add_tlp(f, "hidden", CYBEX_TLP_RED, hidden);
	coll_add_tlp(f, "mine", CYBEX_TLP_GREEN, mine);
	coll_add_tlp(f, "victim", CYBEX_TLP_GREEN, victim);
	coll_add_tlp(f, "batch", CYBEX_TLP_GREEN, batch);
	coll_add_tlp(f, "mine-red", CYBEX_TLP_RED, mine_red);

	/* (a) no probe: a hidden RED definition is not "marked red through" */
	put_expect(f, hidden, probe, CYBEX_PUT_ADDED);
	put_expect(f, mine, tool_marked(buf, sizeof(buf), 30, MD_PROBE, false),
	    CYBEX_PUT_ADDED);
	/* ... answered as a reference to nothing is: taken in, withheld */
	put_expect(f, mine, tool_marked(buf, sizeof(buf), 31,
	    MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e99"), false),
	    CYBEX_PUT_ADDED);
	assert_int_equal(served(f, mine, CYBEX_TLP_GREEN), 0);
	assert_int_equal(served(f, mine, CYBEX_TLP_RED), 2);

	/* (b) the victim's own GREEN definition stays what it says there */
	put_expect(f, victim, green, CYBEX_PUT_ADDED);
	put_expect(f, victim, tool_marked(buf, sizeof(buf), 32, MD_OWN, false),
	    CYBEX_PUT_ADDED);
	assert_int_equal(served(f, victim, CYBEX_TLP_GREEN), 2);
	put_expect(f, mine, red, CYBEX_PUT_ADDED);
	assert_int_equal(served(f, victim, CYBEX_TLP_GREEN), 2);
	put_expect(f, victim, tool_marked(buf, sizeof(buf), 33, MD_OWN, true),
	    CYBEX_PUT_ADDED);
	assert_int_equal(served(f, victim, CYBEX_TLP_GREEN), 3);
	/* ... while in "mine" the RED version counts */
	assert_int_equal(put(f, mine, tool_marked(buf, sizeof(buf), 34, MD_OWN,
	    false), &res), CYBEX_EPOLICY);

	/* (c) a definition earlier in the same transaction resolves */
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	put_expect(f, batch, green, CYBEX_PUT_LINKED);
	put_expect(f, batch, tool_marked(buf, sizeof(buf), 35, MD_OWN, false),
	    CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_commit(f->s, &d), 0);
	assert_int_equal(served(f, batch, CYBEX_TLP_GREEN), 2);
	/* ... and one that arrives later settles what waited for it */
	put_expect(f, batch, tool_marked(buf, sizeof(buf), 36, MD_PROBE, false),
	    CYBEX_PUT_ADDED);
	assert_int_equal(served(f, batch, CYBEX_TLP_RED), 3);
	assert_int_equal(served(f, victim, CYBEX_TLP_GREEN), 3);

	/*
	 * (d) one version in two collections: the most restrictive view.
	 * "mine-red" holds the RED definition, so the shared version of
	 * tool 32 is RED for "victim" too (whoever links it holds its
	 * content already).
	 */
	put_expect(f, mine_red, red, CYBEX_PUT_LINKED);
	put_expect(f, mine_red, tool_marked(buf, sizeof(buf), 32, MD_OWN,
	    false), CYBEX_PUT_LINKED);
	assert_int_equal(served(f, victim, CYBEX_TLP_GREEN), 2);
	assert_int_equal(served(f, victim, CYBEX_TLP_RED), 3);
}

#define MD_LATE_RED	MD("6c7a3d52-1f0e-4f6b-9d3e-0a5b7c9d1e29")

/*
 * Keeping a conflict's second content applies the ceiling as a put does
 * (a rule of the store, not of a backend): a marking-definition that
 * arrived after the conflict was recorded makes the second content RED,
 * which a GREEN collection refuses; the first stays, so does the
 * conflict.
 */
static void
test_conflict_resolve_ceiling(void **state)
{
	static const char *late = "{\"type\":\"marking-definition\","
	    "\"id\":\"" MD_LATE_RED "\","
	    "\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	struct fx *f = *state;
	char green[CYBEX_UUID_STRLEN + 1], buf[1024], second[1024];
	enum cybex_put_result res;
	struct cybex_diag d;
	struct cfls cs;
	char *p;

	coll_add_tlp(f, "green", CYBEX_TLP_GREEN, green);
	put_expect(f, green, "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--7d8e9f00-1a2b-4c3d-8e4f-5a6b7c8d9e40\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"t40\"}",
	    CYBEX_PUT_ADDED);
	/* The same version, other content, marked by a definition to come. */
	tool_marked(buf, sizeof(buf), 40, MD_LATE_RED, false);
	assert_int_equal(put(f, green, buf, &res), CYBEX_ECONFLICT);
	snprintf(second, sizeof(second), "%s", buf);
	put_expect(f, green, late, CYBEX_PUT_ADDED);
	conflicts(f, green, &cs);
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.c[0].json, second);
	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_conflict_resolve(f->s, cs.c[0].xid,
	    CYBEX_KEEP_SECOND, &d), CYBEX_EPOLICY);
	assert_non_null(p = strstr(d.message, "through " MD_LATE_RED));
	assert_non_null(strstr(d.message, "its collection holds at most"));
	cfls_free(&cs);
	conflicts(f, green, &cs);
	assert_int_equal(cs.n, 1);
	cfls_free(&cs);
	/* the first content and the definition, both served */
	assert_int_equal(served(f, green, CYBEX_TLP_GREEN), 2);
}

/*
 * Changing a collection's ceiling: lowering it refuses what is above and
 * stops serving what is stored above it (the caller's query takes the
 * collection's current max_tlp), which *above counts.
 */
static void
test_collection_set_max_tlp(void **state)
{
	static const char *amber = "{\"type\":\"tool\",\"spec_version\":"
	    "\"2.1\",\"id\":\"tool--8e9f0a1b-2c3d-4e5f-8a6b-7c8d9e0f1a2b\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"a\","
	    "\"object_marking_refs\":[\"marking-definition--f88d31f6-486f-"
	    "44da-b317-01333bde0b82\"]}";
	struct fx *f = *state;
	struct cybex_collection c;
	enum cybex_put_result res;
	struct cybex_diag d;
	char id[CYBEX_UUID_STRLEN + 1];
	uint64_t above = 99;

	coll_add_tlp(f, "shared", CYBEX_TLP_RED, id);
	put_expect(f, id, amber, CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, "shared",
	    CYBEX_TLP_GREEN, &above, &d), 0);
	assert_int_equal(above, 1);
	assert_int_equal(cybex_store_collection_get(f->s, id, f->a, &c, &d), 0);
	assert_int_equal(c.max_tlp, CYBEX_TLP_GREEN);
	assert_int_equal(served(f, id, c.max_tlp), 0);
	/* Within a transaction the new ceiling holds at once. */
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, id,
	    CYBEX_TLP_RED, &above, &d), 0);
	assert_int_equal(above, 0);
	put_expect(f, id, amber, CYBEX_PUT_PRESENT);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, id,
	    CYBEX_TLP_CLEAR, NULL, &d), 0);
	assert_int_equal(put(f, id, amber, &res), CYBEX_EPOLICY);
	assert_int_equal(cybex_store_commit(f->s, &d), 0);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, "nope",
	    CYBEX_TLP_RED, &above, &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, id, 0,
	    &above, &d), CYBEX_EINVAL);
	assert_int_equal(cybex_store_collection_set_max_tlp(f->s, id,
	    CYBEX_TLP_RED + 1, &above, &d), CYBEX_EINVAL);
}

/* Per-hub secrets: made once, then the same; bad sizes refused. */
static void
test_secret(void **state)
{
	static const uint8_t fixed[16] = { 0x2f, 0x6a, 0x1f, 0x3e, 0x5c, 0x1d,
	    0x4b, 0x8a, 0x9c, 0x47, 0x6e, 0x2f, 0x0d, 0x3a, 0x9b, 0x51 };
	struct fx *f = *state;
	uint8_t a[16], b[16], zero[16] = { 0 }, big[32];
	struct cybex_diag d;

	assert_int_equal(cybex_store_secret(f->s, "analysis-ids", a, 16, &d),
	    0);
	assert_int_equal(cybex_store_secret(f->s, "analysis-ids", b, 16, &d),
	    0);
	assert_memory_equal(a, b, 16);
	/* A new hub's is random: not zero, not the fixed pre-9 namespace. */
	assert_memory_not_equal(a, zero, 16);
	assert_memory_not_equal(a, fixed, 16);
	assert_int_equal(cybex_store_secret(f->s, "other", big, 32, &d), 0);
	assert_memory_not_equal(big, a, 16);
	assert_int_equal(cybex_store_secret(f->s, "analysis-ids", big, 32, &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_store_secret(f->s, "x", a, 8, &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_store_secret(f->s, "", a, 16, &d),
	    CYBEX_EINVAL);
}

/* ---- import ---- */
struct rejects {
	unsigned	 n;
	int		 codes[16];
	char		 ptr[16][CYBEX_DIAG_PTR_MAX];
	unsigned	 batches;
	uint64_t	 last_committed;
};

static void
on_reject(void *ud, const struct cybex_diag *d)
{
	struct rejects *r = ud;

	if (r->n < 16) {
		r->codes[r->n] = d->code;
		snprintf(r->ptr[r->n], sizeof(r->ptr[0]), "%s", d->pointer);
	}
	r->n++;
}

static void
on_batch(void *ud, const struct cybex_import_stats *st)
{
	struct rejects *r = ud;

	assert_true(st->committed >= r->last_committed);
	r->last_committed = st->committed;
	r->batches++;
}

#define BUNDLE_HEAD "{\"type\":\"bundle\"," \
	"\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["

static int
import_text(struct fx *f, const char *coll, const char *text, size_t batch,
    bool aon, struct rejects *rj, struct cybex_import_stats *st)
{
	struct cybex_import_opts o = { 0 };
	struct cybex_stix_reader *r = NULL;
	struct cybex_diag d;
	int rc;

	memset(rj, 0, sizeof(*rj));
	memset(st, 0, sizeof(*st));
	o.batch = batch;
	o.all_or_nothing = aon;
	o.on_reject = on_reject;
	o.on_batch = on_batch;
	o.ud = rj;
	assert_int_equal(cybex_stix_reader_new_mem(text, strlen(text), NULL,
	    &r), 0);
	cybex_diag_clear(&d);
	rc = cybex_store_import(f->s, coll, r, &o, st, &d);
	cybex_stix_reader_free(r);
	return rc;
}

/* A bundle of n valid tools numbered from first, plus extra members. */
static void
bundle(struct cybex_buf *b, unsigned first, unsigned n, const char *extra)
{
	struct ob o;
	unsigned i;

	cybex_buf_reset(b);
	assert_int_equal(cybex_buf_puts(b, BUNDLE_HEAD), 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			cybex_buf_putc(b, ',');
		cybex_buf_puts(b, mk(&o, "tool", first + i, T1, NULL));
		cybex_buf_putc(b, '\n');
	}
	if (extra != NULL)
		cybex_buf_puts(b, extra);
	assert_int_equal(cybex_buf_puts(b, "]}"), 0);
}

static void
test_import_mixed(void **state)
{
	struct fx *f = *state;
	struct cybex_import_stats st;
	struct cybex_buf b;
	struct rejects rj;
	struct rows rs;
	struct ob o;
	char extra[2048];
	int rc;

	cybex_buf_init(&b, 0);
	/* Pre-store tool 0 so a conflicting copy in the input is rejected. */
	put_expect(f, f->def, mk(&o, "tool", 0, T2, NULL), CYBEX_PUT_ADDED);
	snprintf(extra, sizeof(extra),
	    ",{\"type\":\"identity\",\"spec_version\":\"2.1\","
	    "\"id\":\"identity--00000000-0000-4000-8000-0000000000aa\","
	    "\"created\":\"" T0 "\",\"modified\":\"" T0 "\"}\n"
	    ",%s\n"
	    ",{\"type\":\"malware\",\"spec_version\":\"2.1\","
	    "\"id\":\"malware--00000000-0000-4000-8000-0000000000bb\","
	    "\"created\":\"" T2 "\",\"modified\":\"" T1 "\",\"name\":\"m\","
	    "\"is_family\":false}\n"
	    ",%s", mk(&o, "tool", 0, T2, ",\"description\":\"other\""),
	    SCO_IP);
	bundle(&b, 1, 5, extra);
	rc = import_text(f, f->def, b.data, 0, false, &rj, &st);
	assert_int_equal(rc, 0);
	assert_int_equal(st.objects, 9);
	assert_int_equal(st.added, 6);		/* 5 tools + ipv4-addr */
	assert_int_equal(st.rejected, 3);
	assert_int_equal(st.conflicts, 1);	/* of the rejected */
	assert_int_equal(st.linked, 0);
	assert_int_equal(st.present, 0);
	assert_true(st.committed >= st.added);
	assert_true(st.bytes > 0);
	assert_int_equal(rj.n, 3);
	assert_true(rj.codes[0] < 0);
	/* Rejects say which object: its place in the bundle. */
	assert_non_null(strstr(rj.ptr[0], "/objects/5"));
	assert_non_null(strstr(rj.ptr[1], "/objects/6"));
	assert_int_equal(rj.codes[1], CYBEX_ECONFLICT);
	assert_non_null(strstr(rj.ptr[2], "/objects/7"));
	query_coll(f, f->def, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 7);
	assert_int_equal(find_row(&rs,
	    "identity--00000000-0000-4000-8000-0000000000aa", NULL), -1);
	/* The stored tool 0 is unchanged. */
	oid(o.id, sizeof(o.id), "tool", 0);
	assert_string_equal(rs.r[find_row(&rs, o.id, NULL)].json,
	    mk(&o, "tool", 0, T2, NULL));
	rows_free(&rs);
	cybex_buf_free(&b);
}

static void
test_import_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct cybex_import_stats st;
	struct cybex_buf b;
	struct rejects rj;
	struct rows rs;
	int rc;

	cybex_buf_init(&b, 0);
	/* The bad object comes last, after several batches' worth. */
	bundle(&b, 0, 40, ",{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--00000000-0000-4000-8000-0000000000ff\","
	    "\"created\":\"" T0 "\",\"modified\":\"" T0 "\"}");
	rc = import_text(f, f->def, b.data, 7, true, &rj, &st);
	assert_true(rc < 0);
	assert_true(st.rejected >= 1);
	assert_true(rj.n >= 1);
	assert_int_equal(st.committed, 0);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 0);
	rows_free(&rs);
	/* Without the bad object it all goes in. */
	bundle(&b, 0, 40, NULL);
	rc = import_text(f, f->def, b.data, 7, true, &rj, &st);
	assert_int_equal(rc, 0);
	assert_int_equal(st.added, 40);
	assert_int_equal(st.committed, 40);
	query_coll(f, NULL, CYBEX_VERSION_ALL, &rs);
	assert_int_equal(rs.n, 40);
	rows_free(&rs);
	cybex_buf_free(&b);
}

/*
 * A large object after a few small ones: the two import threads must not
 * wait for each other for ever (the queue is bounded by bytes as well).
 */
static void
test_import_big_after_small(void **state)
{
	struct fx *f = *state;
	struct cybex_stix_opts so = { .max_object_bytes = 16u << 20 };
	struct cybex_import_opts o = { .stix = &so };
	struct cybex_import_stats st;
	struct cybex_stix_reader *rd = NULL;
	struct cybex_buf b;
	struct cybex_diag d;
	size_t i;

	cybex_buf_init(&b, 0);
	cybex_buf_puts(&b, "{\"type\":\"bundle\",\"id\":\"bundle--5d0092c5-"
	    "5f74-4287-9642-33f4c354e56d\",\"objects\":[");
	for (i = 0; i < 3; i++)
		cybex_buf_printf(&b, "{\"type\":\"tool\",\"spec_version\":"
		    "\"2.1\",\"id\":\"tool--0b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c%02zu"
		    "\",\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":"
		    "\"2020-01-01T00:00:00.000Z\",\"name\":\"t\"},", i);
	cybex_buf_puts(&b, "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--0b0a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1cff\",\"created\":"
	    "\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-01T00:00:00."
	    "000Z\",\"name\":\"big\",\"description\":\"");
	for (i = 0; i < (9u << 20) / 64; i++)
		cybex_buf_puts(&b, "0123456789012345678901234567890123456789012345"
		    "67890123456789ab");
	cybex_buf_puts(&b, "\"}]}");
	assert_int_equal(cybex_stix_reader_new_mem(b.data, b.len, &so, &rd), 0);
	assert_int_equal(cybex_store_import(f->s, f->def, rd, &o, &st, &d), 0);
	assert_int_equal(st.added, 4);
	cybex_stix_reader_free(rd);
	cybex_buf_free(&b);
}

/* A removed user's status resources go with them (ids are reused). */
static void
test_user_remove_takes_status(void **state)
{
	struct fx *f = *state;
	struct cybex_status st, got;
	struct cybex_user u;
	struct cybex_diag d;

	assert_int_equal(cybex_store_user_add(f->s, "carol", NULL, false, &d),
	    0);
	assert_int_equal(cybex_store_user_get(f->s, "carol", f->a, &u, NULL,
	    &d), 0);
	memset(&st, 0, sizeof(st));
	memcpy(st.id, "2d086da7-4bdc-4f91-900e-d77486753710", 37);
	st.uid = u.uid;
	st.created_us = 1;
	st.detail = "{}";
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    st.id, f->a, &got, &d), 0);
	assert_int_equal(cybex_store_user_remove(f->s, "carol", &d), 0);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    st.id, f->a, &got, &d), CYBEX_ENOTFOUND);
}

static void
status_mk(struct cybex_status *st, const char *id, int64_t updated_hint,
    const char *detail)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->id, sizeof(st->id), "%s", id);
	st->created_us = updated_hint;
	st->total = 1;
	st->complete = true;
	st->success = 1;
	st->detail = detail;
}

/*
 * Add-objects jobs: added with their status in one transaction (a
 * rollback takes both), taken oldest first with their body byte for byte,
 * removed; a removed status takes its job.
 */
static void
test_status_jobs(void **state)
{
	struct fx *f = *state;
	static const char s1[] = "11111111-1111-4111-8111-111111111111";
	static const char s2[] = "22222222-2222-4222-8222-222222222222";
	static const char s3[] = "33333333-3333-4333-8333-333333333333";
	static const char body1[] = "{\"objects\":[]}\n\x01\xff";
	struct cybex_status st, got;
	struct cybex_status_job j;
	struct cybex_user u;
	struct cybex_buf b;
	struct cybex_diag d;
	uint64_t n;

	cybex_buf_init(&b, 1 << 20);
	/* A job needs its status. */
	assert_int_equal(cybex_store_status_job_add(f->s, s1, f->def, "x", 1,
	    &d), CYBEX_ENOTFOUND);
	status_mk(&st, s1, 1, "{}");
	st.complete = false;
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_job_add(f->s, s1, f->def, body1,
	    sizeof(body1) - 1, &d), 0);
	assert_int_equal(cybex_store_status_job_add(f->s, s1, f->def, "x", 1,
	    &d), CYBEX_EEXIST);
	assert_int_equal(cybex_store_commit(f->s, &d), 0);
	/* Rolled back: neither the status nor the job. */
	status_mk(&st, s3, 1, "{}");
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_job_add(f->s, s3, f->def, "y", 1,
	    &d), 0);
	assert_int_equal(cybex_store_rollback(f->s), 0);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    s3, f->a, &got, &d), CYBEX_ENOTFOUND);
	status_mk(&st, s2, 2, "{}");
	st.complete = false;
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_job_add(f->s, s2, f->def, "{}", 2,
	    &d), 0);
	assert_int_equal(cybex_store_status_job_count(f->s, &n, &d), 0);
	assert_int_equal(n, 2);
	/* Survives closing the store. */
	fx_close(f);
	fx_open(f);
	assert_int_equal(cybex_store_status_job_next(f->s, 0, f->a, &j, &b,
	    &d), 0);
	assert_string_equal(j.status_id, s1);
	assert_string_equal(j.coll_id, f->def);
	assert_string_equal(j.api_root, CYBEX_DEFAULT_API_ROOT);
	assert_int_equal(j.created_us, 1);
	assert_int_equal(b.len, sizeof(body1) - 1);
	assert_memory_equal(b.data, body1, b.len);
	b.len = 0;
	assert_int_equal(cybex_store_status_job_next(f->s, j.jid, f->a, &j, &b,
	    &d), 0);
	assert_string_equal(j.status_id, s2);
	b.len = 0;
	assert_int_equal(cybex_store_status_job_next(f->s, j.jid, f->a, &j, &b,
	    &d), CYBEX_ENOTFOUND);
	/* Removed: the next is the other. */
	assert_int_equal(cybex_store_status_job_remove(f->s, s1, &d), 0);
	assert_int_equal(cybex_store_status_job_remove(f->s, s1, &d),
	    CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_status_job_next(f->s, 0, f->a, &j, &b,
	    &d), 0);
	assert_string_equal(j.status_id, s2);
	/* A status with a job never expires; without, it does. */
	assert_int_equal(cybex_store_status_expire(f->s, INT64_MAX, 0, &n, &d),
	    0);
	assert_int_equal(n, 0);
	status_mk(&st, s2, 2, "{}");
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_expire(f->s, INT64_MAX, 0, &n, &d),
	    0);
	assert_int_equal(n, 0);
	assert_int_equal(cybex_store_status_job_remove(f->s, s2, &d), 0);
	assert_int_equal(cybex_store_status_expire(f->s, INT64_MAX, 0, &n, &d),
	    0);
	assert_int_equal(n, 1);		/* s2; s1 is not complete */
	/* Removing a status (with its user) removes its job. */
	assert_int_equal(cybex_store_user_add(f->s, "dave", NULL, false, &d),
	    0);
	assert_int_equal(cybex_store_user_get(f->s, "dave", f->a, &u, NULL,
	    &d), 0);
	status_mk(&st, s3, 3, "{}");
	st.complete = false;
	st.uid = u.uid;
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_job_add(f->s, s3, f->def, "z", 1,
	    &d), 0);
	assert_int_equal(cybex_store_status_job_count(f->s, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cybex_store_user_remove(f->s, "dave", &d), 0);
	assert_int_equal(cybex_store_status_job_count(f->s, &n, &d), 0);
	assert_int_equal(n, 0);
	cybex_buf_free(&b);
}

/* Statuses expire by age of their last update, and past a size bound. */
static void
test_status_expire(void **state)
{
	struct fx *f = *state;
	static const char *ids[4] = {
		"a0000000-0000-4000-8000-000000000001",
		"a0000000-0000-4000-8000-000000000002",
		"a0000000-0000-4000-8000-000000000003",
		"a0000000-0000-4000-8000-000000000004",
	};
	char detail[1100];
	struct cybex_status st, got;
	struct cybex_diag d;
	int64_t mid = 0;
	uint64_t n;
	size_t i;

	memset(detail, 'x', sizeof(detail));
	memcpy(detail, "{\"a\":\"", 6);
	memcpy(detail + 1000, "\"}", 3);	/* 1002 bytes */
	for (i = 0; i < 4; i++) {
		struct timespec ts = { 0, 2000000 };

		status_mk(&st, ids[i], 1, detail);
		assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
		/* Updated at distinct times (microseconds). */
		nanosleep(&ts, NULL);
		if (i == 1) {
			struct timespec now;

			clock_gettime(CLOCK_REALTIME, &now);
			mid = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
			nanosleep(&ts, NULL);
		}
	}
	/* Nothing is that old. */
	assert_int_equal(cybex_store_status_expire(f->s, 1, 0, &n, &d), 0);
	assert_int_equal(n, 0);
	/* The two updated before mid. */
	assert_int_equal(cybex_store_status_expire(f->s, mid, 0, &n, &d), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    ids[1], f->a, &got, &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    ids[2], f->a, &got, &d), 0);
	/* Room for one: the older of the two left goes. */
	assert_int_equal(cybex_store_status_expire(f->s, 1, 1500, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    ids[2], f->a, &got, &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    ids[3], f->a, &got, &d), 0);
	/* A pending status is never expired. */
	status_mk(&st, ids[0], 1, detail);
	st.complete = false;
	assert_int_equal(cybex_store_status_put(f->s, &st, &d), 0);
	assert_int_equal(cybex_store_status_expire(f->s, INT64_MAX, 1, &n, &d),
	    0);
	assert_int_equal(n, 1);		/* ids[3] */
	assert_int_equal(cybex_store_status_get(f->s, CYBEX_DEFAULT_API_ROOT,
	    ids[0], f->a, &got, &d), 0);
}

static void
test_import_twice(void **state)
{
	struct fx *f = *state;
	struct cybex_import_stats st;
	struct cybex_store_stats ss;
	char a[CYBEX_UUID_STRLEN + 1];
	struct cybex_diag d;
	struct cybex_buf b;
	struct rejects rj;

	cybex_buf_init(&b, 0);
	bundle(&b, 0, 25, NULL);
	assert_int_equal(import_text(f, f->def, b.data, 10, false, &rj, &st),
	    0);
	assert_int_equal(st.objects, 25);
	assert_int_equal(st.added, 25);
	assert_int_equal(st.committed, 25);
	assert_true(rj.batches >= 3);		/* 10 + 10 + 5 */
	assert_int_equal(rj.last_committed, 25);
	assert_int_equal(import_text(f, f->def, b.data, 10, false, &rj, &st),
	    0);
	assert_int_equal(st.objects, 25);
	assert_int_equal(st.added, 0);
	assert_int_equal(st.present, st.objects);
	assert_int_equal(st.rejected, 0);
	/* Into another collection: linked, nothing new stored. */
	coll_add(f, "a", a);
	assert_int_equal(import_text(f, a, b.data, 0, false, &rj, &st), 0);
	assert_int_equal(st.linked, 25);
	assert_int_equal(st.added, 0);
	assert_int_equal(cybex_store_stats(f->s, NULL, NULL, &ss, &d), 0);
	assert_int_equal(ss.objects, 25);
	assert_int_equal(ss.versions, 25);
	cybex_buf_free(&b);
}

static void
test_import_json_lines_and_bad_json(void **state)
{
	struct fx *f = *state;
	struct cybex_import_stats st;
	struct cybex_buf b;
	struct rejects rj;
	struct ob o;
	struct rows rs;
	unsigned i;
	int rc;

	cybex_buf_init(&b, 0);
	for (i = 0; i < 30; i++) {
		cybex_buf_puts(&b, mk(&o, "identity", i, T1, NULL));
		cybex_buf_putc(&b, '\n');
	}
	cybex_buf_puts(&b, "{\"type\": \"identity\", oops\n");
	rc = import_text(f, f->def, b.data, 10, false, &rj, &st);
	assert_int_equal(rc, CYBEX_EJSON);
	assert_int_equal(st.objects, 30);
	/*
	 * Whole batches before the error stay committed (whether the one
	 * the error cut short is kept is the backend's choice), and the
	 * stats say exactly what is stored.
	 */
	assert_true(st.committed >= 20);
	assert_int_equal(st.committed % 10, 0);
	query_coll(f, f->def, 0, &rs);
	assert_int_equal(rs.n, st.committed);
	rows_free(&rs);
	/* An unknown collection is refused before anything is read. */
	rc = import_text(f, "4a0e0d1e-8f5c-4c3c-9d6e-3d1f0b5c9a77", b.data,
	    10, false, &rj, &st);
	assert_int_equal(rc, CYBEX_ENOTFOUND);
	assert_int_equal(st.added, 0);
	cybex_buf_free(&b);
}

/* ---- member organizations ---- */
struct org_seen {
	char		 names[8][CYBEX_NAME_MAX + 1];
	uint64_t	 members[8];
	size_t		 n;
};

static int
collect_org(void *ud, const struct cybex_org *o)
{
	struct org_seen *os = ud;

	if (os->n < 8) {
		snprintf(os->names[os->n], sizeof(os->names[0]), "%s", o->name);
		os->members[os->n] = o->members;
	}
	os->n++;
	return 0;
}

static void
test_orgs(void **state)
{
	struct fx *f = *state;
	struct org_seen os;
	struct cybex_user u;
	struct cybex_diag d;
	const char *org;
	unsigned rights;

	assert_int_equal(cybex_store_org_add(f->s, "cert-a", &d), 0);
	assert_int_equal(cybex_store_org_add(f->s, "bank.b", &d), 0);
	assert_int_equal(cybex_store_org_add(f->s, "cert-a", &d), CYBEX_EEXIST);
	assert_int_equal(cybex_store_org_add(f->s, "no spaces", &d),
	    CYBEX_EINVAL);
	assert_int_equal(cybex_store_org_add(f->s, "", &d), CYBEX_EINVAL);
	assert_string_equal(d.message, "an organization name must be 1 to 64 "
	    "characters");
	/* What is echoed back is escaped: no control bytes reach a terminal. */
	assert_int_equal(cybex_store_org_add(f->s, "x\x1b[2J\n'\\\xc3\xa9",
	    &d), CYBEX_EINVAL);
	assert_string_equal(d.message, "organization name 'x\\x1b[2J\\x0a"
	    "\\x27\\x5c\\xc3\\xa9' may hold only letters, digits and . _ @ -");
	assert_int_equal(cybex_store_user_add(f->s, "", NULL, false, &d),
	    CYBEX_EINVAL);
	assert_string_equal(d.message, "a user name must be 1 to 64 "
	    "characters");
	assert_int_equal(cybex_store_user_add(f->s, "ann", NULL, false, &d), 0);
	assert_int_equal(cybex_store_user_add(f->s, "bob", NULL, false, &d), 0);
	assert_int_equal(cybex_store_user_get(f->s, "ann", f->a, &u, NULL, &d),
	    0);
	/* No organization yet. */
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_null(org);
	assert_int_equal(rights, 0);
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "ann",
	    CYBEX_ORG_INGEST, &d), 0);
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "bob", 0, &d),
	    0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_string_equal(org, "cert-a");
	assert_int_equal(rights, CYBEX_ORG_INGEST);
	/* At most one: joining another replaces the first. */
	assert_int_equal(cybex_store_org_member(f->s, "bank.b", "ann", 0, &d),
	    0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_string_equal(org, "bank.b");
	assert_int_equal(rights, 0);
	memset(&os, 0, sizeof(os));
	assert_int_equal(cybex_store_org_list(f->s, collect_org, &os, &d), 0);
	assert_int_equal(os.n, 2);
	assert_string_equal(os.names[0], "bank.b");
	assert_int_equal(os.members[0], 1);
	assert_string_equal(os.names[1], "cert-a");
	assert_int_equal(os.members[1], 1);
	/* Unknown user, unknown organization, unknown rights. */
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "nobody", 0,
	    &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_org_member(f->s, "nowhere", "bob", 0, &d),
	    CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "bob", 0x80,
	    &d), CYBEX_EINVAL);
	/* The role is kept with the rights; both role bits are no role. */
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "ann",
	    CYBEX_ORG_INGEST | CYBEX_ORG_ROLE_LEAD, &d), 0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_int_equal(rights, CYBEX_ORG_INGEST | CYBEX_ORG_ROLE_LEAD);
	assert_string_equal(cybex_store_org_role_name(rights), "lead");
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "ann",
	    CYBEX_ORG_ROLE_ANALYST, &d), 0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_string_equal(cybex_store_org_role_name(rights), "analyst");
	assert_string_equal(cybex_store_org_role_name(0), "read-only");
	assert_int_equal(cybex_store_org_member(f->s, "cert-a", "ann",
	    CYBEX_ORG_ROLE_MASK, &d), CYBEX_EINVAL);
	assert_int_equal(cybex_store_org_role_parse("lead"),
	    CYBEX_ORG_ROLE_LEAD);
	assert_int_equal(cybex_store_org_role_parse("read-only"),
	    CYBEX_ORG_ROLE_READONLY);
	assert_int_equal(cybex_store_org_role_parse("admin"), -1);
	/* Leaving. */
	assert_int_equal(cybex_store_org_member(f->s, NULL, "ann", 0, &d), 0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_null(org);
	/* Removing an organization removes its memberships, not its users. */
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0, &d), 0);
	assert_int_equal(cybex_store_org_remove(f->s, "cert-a", 0, &d),
	    CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_user_get(f->s, "bob", f->a, &u, NULL, &d),
	    0);
	assert_int_equal(cybex_store_user_org(f->s, u.uid, f->a, &org, &rights,
	    &d), 0);
	assert_null(org);
	/* A removed user's membership goes with them. */
	assert_int_equal(cybex_store_org_member(f->s, "bank.b", "bob", 0, &d),
	    0);
	assert_int_equal(cybex_store_user_remove(f->s, "bob", &d), 0);
	memset(&os, 0, sizeof(os));
	assert_int_equal(cybex_store_org_list(f->s, collect_org, &os, &d), 0);
	assert_int_equal(os.n, 1);
	assert_int_equal(os.members[0], 0);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
}

/* ---- alerts ---- */
static void
alert_init(struct cybex_alert_row *a, const char *org, const char *key,
    int64_t first, int64_t last, uint64_t count)
{
	memset(a, 0, sizeof(*a));
	a->key = key;
	a->detector = "bruteforce";
	a->taxonomy_class = "intrusion-attempts";
	a->taxonomy_type = "brute-force";
	a->severity = 2;
	a->summary = "many failed logins";
	a->org = org;
	a->sensor = "ssh1";
	a->first_seen_us = first;
	a->last_seen_us = last;
	a->count = count;
	a->parties = "[{\"role\":\"attacker\",\"kind\":\"ipv4-addr\","
	    "\"value\":\"198.51.100.7\"}]";
	a->evidence = "{\"failures\":20}";
}

struct alert_seen {
	char		 ids[16][CYBEX_UUID_STRLEN + 1];
	uint64_t	 counts[16];
	int64_t		 first[16], last[16];
	int		 severity[16];
	char		 evidence[16][64];
	size_t		 norgs[16];
	char		 org0[16][CYBEX_NAME_MAX + 1];
	size_t		 n;
	size_t		 stop_after;	/* 0 = never */
};

static int
collect_alert(void *ud, const struct cybex_alert_row *a)
{
	struct alert_seen *as = ud;

	if (as->stop_after > 0 && as->n == as->stop_after)
		return CYBEX_ROW_STOP;
	if (as->n < 16) {
		memcpy(as->ids[as->n], a->id, sizeof(a->id));
		as->counts[as->n] = a->count;
		as->first[as->n] = a->first_seen_us;
		as->last[as->n] = a->last_seen_us;
		as->severity[as->n] = a->severity;
		snprintf(as->evidence[as->n], sizeof(as->evidence[0]), "%s",
		    a->evidence);
		as->norgs[as->n] = a->norgs;
		snprintf(as->org0[as->n], sizeof(as->org0[0]), "%s",
		    a->norgs > 0 ? a->orgs[0] : "");
	}
	as->n++;
	return 0;
}

static void
alerts_list(struct fx *f, const struct cybex_alert_query *q,
    struct alert_seen *as, struct cybex_page *pg)
{
	struct cybex_diag d;
	int rc;

	memset(as, 0, sizeof(*as));
	rc = cybex_store_alert_query(f->s, q, collect_alert, as, pg, &d);
	if (rc != 0)
		fail_msg("alert query: %s: %s", cybex_strerror(rc), d.message);
}

static void
test_alert_merge(void **state)
{
	struct fx *f = *state;
	struct cybex_alert_row a;
	struct cybex_alert_query q;
	struct alert_seen as;
	struct cybex_page pg;
	struct cybex_diag d;
	enum cybex_alert_put_result res;
	struct cybex_uuid u;
	char id[CYBEX_UUID_STRLEN + 1];

	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 1000, 2000, 20);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_ADDED);
	assert_int_equal(cybex_uuid_parse(a.id, strlen(a.id), &u), 0);
	memcpy(id, a.id, sizeof(id));
	/* The same alert again (a replayed input): nothing changes. */
	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 1000, 2000, 20);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_UNCHANGED);
	assert_string_equal(a.id, id);
	/* Raised again over a longer window: the larger count, not the sum. */
	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 1000, 3000, 35);
	a.evidence = "{\"failures\":35}";
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_UPDATED);
	assert_string_equal(a.id, id);
	/* New activity after it: added, with a higher severity kept. */
	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 5000, 6000, 10);
	a.severity = 3;
	a.evidence = "{\"failures\":10}";
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_UPDATED);
	/* An older one raised late: counted, but it does not describe it. */
	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 100, 200, 5);
	a.severity = 1;
	a.evidence = "{\"failures\":5}";
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_UPDATED);
	memset(&q, 0, sizeof(q));
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 1);
	assert_string_equal(as.ids[0], id);
	assert_int_equal(as.counts[0], 35 + 10);
	assert_int_equal(as.first[0], 100);
	assert_int_equal(as.last[0], 6000);
	assert_int_equal(as.severity[0], 3);
	assert_string_equal(as.evidence[0], "{\"failures\":10}");
	/* The same key from another organization is another situation. */
	alert_init(&a, "bank-b", "bruteforce|198.51.100.7", 1000, 2000, 20);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_ADDED);
	assert_string_not_equal(a.id, id);
	/* A closed alert is not merged into: its key opens a new one. */
	assert_int_equal(cybex_store_alert_close(f->s, id, &d), 0);
	assert_int_equal(cybex_store_alert_close(f->s, id, &d),
	    CYBEX_ENOTFOUND);
	alert_init(&a, "cert-a", "bruteforce|198.51.100.7", 7000, 8000, 20);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(res, CYBEX_ALERT_ADDED);
	assert_string_not_equal(a.id, id);
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 3);
	q.open_only = true;
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 2);
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), 0);
}

static void
test_alert_refused(void **state)
{
	struct fx *f = *state;
	struct cybex_alert_row a;
	struct cybex_alert_query q;
	struct alert_seen as;
	struct cybex_page pg;
	struct cybex_diag d;
	enum cybex_alert_put_result res;
	const char *bad_org[] = { "has space" };
	struct cybex_buf big;
	size_t i;

	alert_init(&a, "cert-a", "", 1, 2, 1);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 1, 2, 0);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 3, 2, 1);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	a.severity = 5;
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	a.evidence = "[1,2]";
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	a.parties = "{\"not\":\"a list\"";
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	a.orgs = bad_org;
	a.norgs = 1;
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_EINVAL);
	/* Evidence over the cap. */
	cybex_buf_init(&big, 0);
	cybex_buf_puts(&big, "{\"x\":\"");
	for (i = 0; i < CYBEX_ALERT_EVIDENCE_MAX; i++)
		cybex_buf_putc(&big, 'a');
	cybex_buf_puts(&big, "\"}");
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	a.evidence = big.data;
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d),
	    CYBEX_ETOOBIG);
	cybex_buf_free(&big);
	/* Nothing was stored. */
	memset(&q, 0, sizeof(q));
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 0);
	/* Inside a transaction that is rolled back: gone too. */
	assert_int_equal(cybex_store_begin(f->s, &d), 0);
	alert_init(&a, "cert-a", "k", 1, 2, 1);
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	assert_int_equal(cybex_store_rollback(f->s), 0);
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 0);
	q.next = "not-a-token";
	assert_int_equal(cybex_store_alert_query(f->s, &q, collect_alert, &as,
	    &pg, &d), CYBEX_EINVAL);
}

/*
 * A backend answers a scoped alert query (cybex_policy_alert_scope) with
 * exactly the alerts cybex_policy_alert_visible lets the caller see.
 */
struct policy_seen {
	const struct cybex_caller	*who;
	size_t				 n, hidden;
};

static int
policy_row(void *ud, const struct cybex_alert_row *a)
{
	struct policy_seen *ps = ud;

	ps->n++;
	if (!cybex_policy_alert_visible(ps->who, a))
		ps->hidden++;
	return 0;
}

static void
test_alert_policy(void **state)
{
	static const char *const a_only[] = { "cert-a" };
	static const char *const both[] = { "cert-a", "bank-b" };
	static const struct cybex_caller callers[] = {
		{ true, NULL }, { false, "cert-a" }, { false, "bank-b" },
		{ false, "other-c" },
	};
	struct fx *f = *state;
	struct cybex_alert_row a, all[32];
	struct cybex_alert_query q;
	struct policy_seen ps;
	struct cybex_page pg;
	struct cybex_diag d;
	enum cybex_alert_put_result res;
	char keys[32][32];
	size_t n = 0, i, k, want;
	int t, owner;

	/* Each owner at each level (0 = unset: AMBER). */
	for (owner = 0; owner < 5; owner++)
		for (t = CYBEX_TLP_UNSET; t <= CYBEX_TLP_RED; t++) {
			snprintf(keys[n], sizeof(keys[n]), "k|%d|%d", owner, t);
			alert_init(&a, owner == 0 ? "cert-a" : owner == 1 ?
			    "bank-b" : owner == 4 ? "bank-b" : NULL, keys[n],
			    1000, 2000, 1);
			if (owner == 2 || owner == 4) {
				a.orgs = a_only;
				a.norgs = 1;
			} else if (owner == 3) {
				a.orgs = both;
				a.norgs = 2;
			}
			a.tlp = t;
			if (cybex_store_alert_put(f->s, &a, &res, &d) != 0)
				fail_msg("alert put: %s", d.message);
			all[n++] = a;
		}
	for (k = 0; k < sizeof(callers) / sizeof(callers[0]); k++) {
		memset(&q, 0, sizeof(q));
		assert_int_equal(cybex_policy_alert_scope(&callers[k], NULL, &q,
		    &d), 0);
		memset(&ps, 0, sizeof(ps));
		ps.who = &callers[k];
		assert_int_equal(cybex_store_alert_query(f->s, &q, policy_row,
		    &ps, &pg, &d), 0);
		for (i = want = 0; i < n; i++)
			want += cybex_policy_alert_visible(&callers[k], &all[i]);
		assert_int_equal(ps.hidden, 0);
		assert_int_equal(ps.n, want);
	}
	/* The rule's corners hold (so the check above has teeth). */
	memset(&q, 0, sizeof(q));
	assert_int_equal(cybex_policy_alert_scope(&callers[1], NULL, &q, &d),
	    0);
	memset(&ps, 0, sizeof(ps));
	ps.who = &callers[1];
	assert_int_equal(cybex_store_alert_query(f->s, &q, policy_row, &ps,
	    &pg, &d), 0);
	/* cert-a: its 6, and 4 levels (unset..AMBER) of each of 3 naming. */
	assert_int_equal(ps.n, 6 + 3 * 4);
	memset(&ps, 0, sizeof(ps));
	ps.who = &callers[3];
	memset(&q, 0, sizeof(q));
	assert_int_equal(cybex_policy_alert_scope(&callers[3], NULL, &q, &d),
	    0);
	assert_int_equal(cybex_store_alert_query(f->s, &q, policy_row, &ps,
	    &pg, &d), 0);
	assert_int_equal(ps.n, 0);
}

static void
test_alert_query(void **state)
{
	struct fx *f = *state;
	struct cybex_alert_row a;
	struct cybex_alert_query q;
	struct alert_seen as;
	struct cybex_page pg;
	struct cybex_diag d;
	enum cybex_alert_put_result res;
	const char *both[] = { "cert-a", "bank-b" };
	const char *ab[] = { "cert-a" };
	char key[32], next[64];
	size_t i, total;

	/* Ten alerts of cert-a (last_seen 100..1000), one RED. */
	for (i = 0; i < 10; i++) {
		snprintf(key, sizeof(key), "scan|192.0.2.%zu", i);
		alert_init(&a, "cert-a", key, (int64_t)(i + 1) * 100,
		    (int64_t)(i + 1) * 100, 1);
		a.detector = "scan";
		if (i == 9)
			a.tlp = CYBEX_TLP_RED;
		assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	}
	/* A hub alert naming both organizations (AMBER by default). */
	alert_init(&a, NULL, "coop|198.51.100.7", 50, 60, 2);
	a.detector = "coop";
	a.orgs = both;
	a.norgs = 2;
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	/* A RED hub alert naming cert-a only. */
	alert_init(&a, NULL, "coop|203.0.113.9", 50, 60, 2);
	a.detector = "coop";
	a.orgs = ab;
	a.norgs = 1;
	a.tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_store_alert_put(f->s, &a, &res, &d), 0);
	memset(&q, 0, sizeof(q));
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 12);
	assert_false(pg.more);
	/* By organization: its own (every TLP) and those naming it. */
	q.org = "cert-a";
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 12);
	q.max_tlp = CYBEX_TLP_AMBER;
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 11);	/* own RED yes, other RED no */
	q.org = "bank-b";
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 1);
	assert_int_equal(as.norgs[0], 2);
	assert_int_equal(as.counts[0], 2);
	q.org = "nobody";
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 0);
	/* By detector and time. */
	memset(&q, 0, sizeof(q));
	q.detector = "coop";
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 2);
	q.detector = NULL;
	q.has_since = true;
	q.since_us = 800;
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 3);
	/* One by id. */
	memset(&q, 0, sizeof(q));
	q.id = a.id;
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 1);
	assert_string_equal(as.ids[0], a.id);
	/* Pages of 5: every alert once. */
	memset(&q, 0, sizeof(q));
	q.limit = 5;
	total = 0;
	next[0] = '\0';
	for (i = 0; i < 5; i++) {
		q.next = next[0] != '\0' ? next : NULL;
		alerts_list(f, &q, &as, &pg);
		total += as.n;
		if (!pg.more)
			break;
		assert_int_equal(as.n, 5);
		snprintf(next, sizeof(next), "%s", pg.next);
	}
	assert_int_equal(total, 12);
	assert_int_equal(i, 2);
	/* A callback that stops early ends the page there. */
	memset(&q, 0, sizeof(q));
	memset(&as, 0, sizeof(as));
	as.stop_after = 4;
	assert_int_equal(cybex_store_alert_query(f->s, &q, collect_alert, &as,
	    &pg, &d), 0);
	assert_int_equal(pg.count, 4);
	assert_true(pg.more);
	snprintf(next, sizeof(next), "%s", pg.next);
	q.next = next;
	alerts_list(f, &q, &as, &pg);
	assert_int_equal(as.n, 8);
	q.limit = CYBEX_QUERY_LIMIT_MAX + 1;
	assert_int_equal(cybex_store_alert_query(f->s, &q, collect_alert, &as,
	    &pg, &d), CYBEX_EINVAL);
}

/* ---- sighting aggregation ---- */
#define SIGHT_ID	"sighting--6b0e1c2a-3d4e-5f60-8172-839405a6b7c8"
#define IND_ID		"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
#define SENSOR_ID	"identity--a7b2c1d0-0000-5000-8000-000000000001"

static void
test_sighting_state(void **state)
{
	struct fx *f = *state;
	struct cybex_sighting_state in, out;
	struct cybex_diag d;
	int64_t latest;

	memset(&in, 0, sizeof(in));
	in.id = SIGHT_ID;
	in.indicator_id = IND_ID;
	in.sensor_ref = SENSOR_ID;
	in.org = "cert-a";
	in.count = 1000;
	in.first_seen_us = 5000;
	in.last_seen_us = 9000;
	in.sample = "{\"src\":\"198.51.100.7\"}";
	assert_int_equal(cybex_store_sighting_get(f->s, SIGHT_ID, f->a, &out,
	    &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_sighting_latest(f->s, SENSOR_ID, &latest,
	    &d), 0);
	assert_int_equal(latest, 0);
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, &out, &d),
	    0);
	assert_int_equal(out.count, 1000);
	assert_int_equal(out.written_count, 0);
	assert_int_equal(out.modified_us, 0);
	assert_true(out.created_us > 0);
	assert_string_equal(out.org, "cert-a");
	/* More hits, earlier and later, without a sample: the sample stays. */
	in.count = 24;
	in.first_seen_us = 4000;
	in.last_seen_us = 8000;
	in.sample = NULL;
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, &out, &d),
	    0);
	assert_int_equal(out.count, 1024);
	assert_int_equal(out.first_seen_us, 4000);
	assert_int_equal(out.last_seen_us, 9000);
	assert_string_equal(out.sample, "{\"src\":\"198.51.100.7\"}");
	assert_string_equal(out.indicator_id, IND_ID);
	assert_string_equal(out.sensor_ref, SENSOR_ID);
	assert_int_equal(cybex_store_sighting_written(f->s, SIGHT_ID, 77777,
	    1024, &d), 0);
	assert_int_equal(cybex_store_sighting_get(f->s, SIGHT_ID, f->a, &out,
	    &d), 0);
	assert_int_equal(out.written_count, 1024);
	assert_int_equal(out.modified_us, 77777);
	assert_int_equal(cybex_store_sighting_latest(f->s, SENSOR_ID, &latest,
	    &d), 0);
	assert_int_equal(latest, 9000);
	/*
	 * The replay guard of a run: the last_seen the state had before the
	 * run's first merge, kept over its later merges.
	 */
	assert_int_equal(out.run, 0);
	in.run = 7;
	in.count = 1;
	in.first_seen_us = in.last_seen_us = 9500;
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, &out, &d),
	    0);
	assert_int_equal(out.run, 7);
	assert_int_equal(out.guard_us, 9000);
	in.first_seen_us = in.last_seen_us = 9600;
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, &out, &d),
	    0);
	assert_int_equal(cybex_store_sighting_get(f->s, SIGHT_ID, f->a, &out,
	    &d), 0);
	assert_int_equal(out.run, 7);
	assert_int_equal(out.guard_us, 9000);
	assert_int_equal(out.last_seen_us, 9600);
	assert_int_equal(out.count, 1026);
	in.run = 8;
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, &out, &d),
	    0);
	assert_int_equal(out.guard_us, 9600);
	in.count = 24;
	in.first_seen_us = 4000;
	in.last_seen_us = 8000;
	in.run = 0;
	assert_int_equal(cybex_store_sighting_written(f->s,
	    "sighting--00000000-0000-4000-8000-000000000000", 1, 1, &d),
	    CYBEX_ENOTFOUND);
	/* Refused: ids of the wrong type, times the wrong way round. */
	in.id = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, NULL, &d),
	    CYBEX_EINVAL);
	in.id = SIGHT_ID;
	in.first_seen_us = 10;
	in.last_seen_us = 5;
	assert_int_equal(cybex_store_sighting_merge(f->s, &in, f->a, NULL, &d),
	    CYBEX_EINVAL);
	/* Written but the sighting object is not stored: check says so. */
	assert_int_equal(cybex_store_check(f->s, NULL, NULL, &d), CYBEX_EDB);
}

/* ---- cooperative analysis ---- */
struct coop_seen {
	char		 orgs[4][CYBEX_NAME_MAX + 1];
	uint64_t	 hits[4];
	size_t		 n;
};

static int
collect_coop(void *ud, const struct cybex_coop_org *o)
{
	struct coop_seen *cs = ud;

	if (cs->n < 4) {
		snprintf(cs->orgs[cs->n], sizeof(cs->orgs[0]), "%s", o->org);
		cs->hits[cs->n] = o->hits;
	}
	cs->n++;
	return 0;
}

static void
test_coop(void **state)
{
	struct fx *f = *state;
	struct coop_seen cs;
	struct cybex_diag d;
	size_t n;
	bool added;

	assert_int_equal(cybex_store_coop_note(f->s, "ipv4-addr|198.51.100.7",
	    "bank-b", 5, 2000, 3000, &n, &added, &d), 0);
	assert_int_equal(n, 1);
	assert_true(added);
	assert_int_equal(cybex_store_coop_note(f->s, "ipv4-addr|198.51.100.7",
	    "bank-b", 3, 2500, 4000, &n, &added, &d), 0);
	assert_int_equal(n, 1);
	assert_false(added);
	assert_int_equal(cybex_store_coop_note(f->s, "ipv4-addr|198.51.100.7",
	    "cert-a", 1, 1000, 1000, &n, &added, &d), 0);
	assert_int_equal(n, 2);
	assert_true(added);
	assert_int_equal(cybex_store_coop_note(f->s, "indicator|x", "cert-a",
	    0, 1, 1, &n, &added, &d), 0);
	assert_int_equal(n, 1);
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(cybex_store_coop_orgs(f->s, "ipv4-addr|198.51.100.7",
	    collect_coop, &cs, &d), 0);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.orgs[0], "cert-a");	/* first seen first */
	assert_int_equal(cs.hits[0], 1);
	assert_string_equal(cs.orgs[1], "bank-b");
	assert_int_equal(cs.hits[1], 8);
	assert_int_equal(cybex_store_coop_note(f->s, "", "cert-a", 1, 1, 1, &n,
	    &added, &d), CYBEX_EINVAL);
	assert_int_equal(cybex_store_coop_note(f->s, "s", "bad org", 1, 1, 1,
	    &n, &added, &d), CYBEX_EINVAL);
}

/* ---- helpers ---- */
static void
test_helpers(void **state)
{
	const char *t = "{\"modified\":\"2016-04-06T20:03:00Z\"}";
	char key[CYBEX_VERSION_KEY_MAX], buf[32];
	struct cybex_diag d;
	json_t *j;

	(void)state;
	assert_int_equal(cybex_json_parse(t, strlen(t), 0, &j, &d), 0);
	assert_int_equal(cybex_store_version_key(j, key, &d), 0);
	assert_string_equal(key, "2016-04-06T20:03:00.000000000Z");
	json_decref(j);
	t = "{\"modified\":\"2016-04-06T20:03:00.123456789Z\"}";
	assert_int_equal(cybex_json_parse(t, strlen(t), 0, &j, &d), 0);
	assert_int_equal(cybex_store_version_key(j, key, &d), 0);
	assert_string_equal(key, "2016-04-06T20:03:00.123456789Z");
	json_decref(j);
	t = "{\"modified\":\"yesterday\"}";
	assert_int_equal(cybex_json_parse(t, strlen(t), 0, &j, &d), 0);
	assert_true(cybex_store_version_key(j, key, &d) < 0);
	json_decref(j);
	cybex_store_format_us(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00.000000Z");
	cybex_store_format_us(1459972980123456LL, buf, sizeof(buf));
	assert_string_equal(buf, "2016-04-06T20:03:00.123456Z");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
store_contract_run(const struct store_contract_backend *b,
    const struct CMUnitTest *extra, size_t nextra)
{
	const struct CMUnitTest tests[] = {
		T(test_open_creates_schema),
		T(test_reopen_keeps_data),
		T(test_newer_schema_refused),
		T(test_collections),
		T(test_collection_remove_orphans),
		T(test_query_nested_same),
		T(test_two_handles),
		T(test_collection_rollback),
		T(test_put_results),
		T(test_put_conflict_keeps_text),
		T(test_put_collections_isolated),
		T(test_conflict_resolve),
		T(test_put_canonical_same),
		T(test_put_revoked),
		T(test_put_sco_version_empty),
		T(test_json_exact),
		T(test_query_by_collection),
		T(test_query_added_after),
		T(test_query_match_id_type),
		T(test_query_versions),
		T(test_query_spec_version),
		T(test_query_spec_version_latest),
		T(test_query_paging),
		T(test_query_paging_while_adding),
		T(test_query_errors),
		T(test_date_added_monotonic),
		T(test_manifest),
		T(test_delete),
		T(test_transactions),
		T(test_stats),
		T(test_check),
		T(test_callback_stops),
		T(test_streaming_50k),
		T(test_tlp_policy),
		T(test_tlp_granular),
		T(test_tlp_marking_refs),
		T(test_tlp_marking_later),
		T(test_tlp_marking_per_collection),
		T(test_conflict_resolve_ceiling),
		T(test_collection_set_max_tlp),
		T(test_secret),
		T(test_import_big_after_small),
		T(test_user_remove_takes_status),
		T(test_status_jobs),
		T(test_status_expire),
		T(test_import_mixed),
		T(test_import_all_or_nothing),
		T(test_import_twice),
		T(test_import_json_lines_and_bad_json),
		T(test_orgs),
		T(test_alert_merge),
		T(test_alert_refused),
		T(test_alert_query),
		T(test_alert_policy),
		T(test_sighting_state),
		T(test_coop),
		cmocka_unit_test(test_helpers),
	};
	size_t n = sizeof(tests) / sizeof(tests[0]);
	struct CMUnitTest *all;
	char name[64];
	int failed;

	be = b;
	if ((all = calloc(n + nextra, sizeof(*all))) == NULL)
		return 1;
	memcpy(all, tests, sizeof(tests));
	if (nextra > 0)
		memcpy(all + n, extra, nextra * sizeof(*extra));
	snprintf(name, sizeof(name), "store contract (%s)", b->name);
	failed = _cmocka_run_group_tests(name, all, n + nextra, NULL, NULL);
	free(all);
	return failed;
}
