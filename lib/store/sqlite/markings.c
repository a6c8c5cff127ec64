/*
 * SQLite backend: TLP through marking-definition references, per
 * collection.
 *
 * What an object's markings make its TLP is the rule store_tlp_resolve
 * (rules.c) applies to a look-up; here the look-up is "the versions of
 * that marking-definition one collection holds" (or received in the open
 * transaction): what another collection holds never counts, so a writer
 * can neither probe another collection's marking-definitions nor change
 * what its objects count as.  A reference the collection cannot resolve
 * counts as TLP:RED in the stored level (egress withholds the object
 * until the marking-definition arrives there).  A version shared by
 * several collections is stored with the most restrictive of their
 * views.  marking_refs indexes who references what, so that storing a
 * marking-definition in a collection settles that collection's versions
 * that were waiting for it, and raises those that referenced an earlier
 * version.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define PROPAGATE_MAX	1000	/* marking-definitions settled per put */
#define MIGRATE_PASSES	16	/* chains of marking-definitions, at most */

static int
maxi(int a, int b)
{
	return a > b ? a : b;
}

static void
cache_clear(struct sq_store *s)
{
	s->nmcache = 0;
}

void
sq_marking_cache_clear(struct sq_store *s)
{
	cache_clear(s);
}

/*
 * What marking-definition ref conveys in collection cid into *level:
 * the most restrictive of the versions cid holds, each its TLP
 * definition and its stored level; *found false when cid holds none.
 */
static int
conveys(struct sq_store *s, int64_t cid, const char *ref, int *level,
    bool *found, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	json_t *j;
	size_t i, n = strlen(ref);
	int64_t oid;
	int rc, l = 0;

	*level = 0;
	*found = false;
	if (cid == 0)
		return 0;	/* in no collection: nothing resolves */
	for (i = 0; s->in_tx && i < s->nmcache; i++)
		if (s->mcache[i].cid == cid &&
		    strcmp(s->mcache[i].id, ref) == 0) {
			*level = s->mcache[i].level;
			*found = s->mcache[i].found;
			return 0;
		}
	if ((st = sq_stmt(s, SQ_MARK_VERSIONS, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, sq_idh(ref));
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		oid = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int(st, 3) == 0 &&
		    !sq_pending_link(s, cid, oid))
			continue;	/* another collection's */
		*found = true;
		l = maxi(l, sqlite3_column_int(st, 1));
		if (cybex_json_parse((const char *)sqlite3_column_text(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2), 0, &j, NULL) != 0) {
			l = CYBEX_TLP_RED;	/* unreadable: assume the worst */
			continue;
		}
		l = maxi(l, (int)cybex_stix_marking_conveys(j));
		json_decref(j);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "reading a marking-definition");
	*level = l;
	if (s->in_tx && n < sizeof(s->mcache[0].id)) {
		i = s->nmcache < SQ_MCACHE_MAX ? s->nmcache++ :
		    (size_t)(sq_idh(ref) & 0x7fffffff) % SQ_MCACHE_MAX;
		s->mcache[i].cid = cid;
		memcpy(s->mcache[i].id, ref, n + 1);
		s->mcache[i].level = l;
		s->mcache[i].found = *found;
	}
	return 0;
}

struct lookup {
	struct sq_store		*s;
	int64_t			 cid;
	struct cybex_diag	*d;
};

static int
lookup_fn(void *ud, const char *ref, int *level, bool *found)
{
	struct lookup *lk = ud;

	return conveys(lk->s, lk->cid, ref, level, found, lk->d);
}

int
sq_marking_conveys(struct cybex_store *base, const char *coll_id,
    const char *ref, int *level, bool *found, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int64_t cid;
	int r;

	*level = 0;
	*found = false;
	if ((r = sq_coll(s, coll_id, &cid, NULL, d)) != 0)
		return r;
	return conveys(s, cid, ref, level, found, d);
}

/* The stored level of obj in collection cid (0: in none, all RED). */
static int
level_in(struct sq_store *s, int64_t cid, const json_t *obj, int *out,
    struct cybex_diag *d)
{
	struct lookup lk = { s, cid, d };
	struct store_tlp t;
	int r;

	if ((r = store_tlp_resolve(obj, lookup_fn, &lk, &t)) != 0)
		return r;
	*out = t.stored;
	return 0;
}

struct index {
	struct sq_store		*s;
	struct cybex_diag	*d;
	int64_t			 oid;
};

static int
on_index(void *ud, const char *ref)
{
	struct index *ix = ud;
	sqlite3_stmt *st;
	int rc;

	if ((st = sq_stmt(ix->s, SQ_MREF_INSERT, ix->d)) == NULL)
		return ix->d != NULL ? ix->d->code : CYBEX_EDB;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ix->oid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_err(ix->s, rc, ix->d, "indexing "
	    "marking references");
}

static int
set_tlp(struct sq_store *s, int64_t oid, int tlp, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = sq_stmt(s, SQ_OBJ_SET_TLP, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, oid);
	sqlite3_bind_int(st, 2, tlp);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "updating a TLP");
}

/* A referrer of a marking-definition being settled. */
struct referrer {
	int64_t		 oid;
	int		 tlp;
	char		*md_id;		/* its id when a marking-definition */
};

/* Marking-definitions to settle: in collection cid, or 0 = wherever. */
struct work {
	char		**ids;
	int64_t		*cids;
	size_t		 n, cap;
};

static int
work_push(struct work *w, int64_t cid, const char *id)
{
	int64_t *nc;
	char **nv, *c;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->cids[i] == cid && strcmp(w->ids[i], id) == 0)
			return 0;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		if ((nv = cybex_reallocarray(w->ids, w->cap,
		    sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		w->ids = nv;
		if ((nc = cybex_reallocarray(w->cids, w->cap,
		    sizeof(*nc))) == NULL)
			return CYBEX_ENOMEM;
		w->cids = nc;
	}
	if ((c = cybex_strdup(id)) == NULL)
		return CYBEX_ENOMEM;
	w->cids[w->n] = cid;
	w->ids[w->n++] = c;
	return 0;
}

/*
 * The referrers of marking-definition mid (those in collection cid, or
 * all for 0), collected before any update.
 */
static int
referrers(struct sq_store *s, int64_t cid, const char *mid,
    struct referrer **out, size_t *nout, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	struct referrer *v = NULL, *nv;
	const char *type, *id;
	size_t n = 0, cap = 0;
	int rc, r = 0;

	*out = NULL;
	*nout = 0;
	if ((st = sq_stmt(s, SQ_MREF_REFERRERS, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_text(st, 1, mid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, cid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = cybex_reallocarray(v, cap,
			    sizeof(*v))) == NULL) {
				r = CYBEX_ENOMEM;
				break;
			}
			v = nv;
		}
		v[n].oid = sqlite3_column_int64(st, 0);
		v[n].tlp = sqlite3_column_int(st, 1);
		v[n].md_id = NULL;
		type = (const char *)sqlite3_column_text(st, 2);
		id = (const char *)sqlite3_column_text(st, 3);
		if (type != NULL && id != NULL &&
		    strcmp(type, "marking-definition") == 0 &&
		    (v[n].md_id = cybex_strdup(id)) == NULL) {
			r = CYBEX_ENOMEM;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "reading marking references");
	*out = v;
	*nout = n;
	return r;
}

static void
referrers_free(struct referrer *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cybex_free(v[i].md_id);
	cybex_free(v);
}

/*
 * The collections holding version oid: written links, then pending ones
 * (the array has SQ_LINKS_MAX spare slots for those).
 */
static int
cids_of(struct sq_store *s, int64_t oid, int64_t **out, size_t *nout,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int64_t *v, *nv;
	size_t n = 0, cap = 4, i;
	int rc, r = 0;

	*out = NULL;
	*nout = 0;
	if ((v = cybex_calloc(cap + SQ_LINKS_MAX, sizeof(*v))) == NULL)
		return CYBEX_ENOMEM;
	if ((st = sq_stmt(s, SQ_OBJ_CIDS, d)) == NULL) {
		cybex_free(v);
		return d != NULL ? d->code : CYBEX_EDB;
	}
	sqlite3_bind_int64(st, 1, oid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			if ((nv = cybex_reallocarray(v, cap + SQ_LINKS_MAX,
			    sizeof(*v))) == NULL) {
				r = CYBEX_ENOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "reading a version's collections");
	for (i = 0; r == 0 && i < s->nlinks; i++)
		if (s->links[i].oid == oid)
			v[n++] = s->links[i].cid;
	if (r != 0) {
		cybex_free(v);
		return r;
	}
	*out = v;
	*nout = n;
	return 0;
}

/*
 * The level of stored version oid, worked out again from its JSON: the
 * most restrictive of what each collection holding it sees (in none:
 * its unresolved references count RED).
 */
static int
recompute(struct sq_store *s, int64_t oid, int *out, bool *gone,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	json_t *j = NULL;
	int64_t *cids = NULL;
	size_t n = 0, i;
	int rc, r, l;

	*gone = false;
	if ((st = sq_stmt(s, SQ_OBJ_JSON, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, oid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		*gone = true;	/* a reference row left by a deletion */
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return sq_err(s, rc, d, "reading an object");
	}
	r = cybex_json_parse((const char *)sqlite3_column_text(st, 0),
	    (size_t)sqlite3_column_bytes(st, 0), 0, &j, NULL);
	sqlite3_reset(st);
	if (r != 0) {
		*out = CYBEX_TLP_RED;
		return 0;
	}
	if ((r = cids_of(s, oid, &cids, &n, d)) != 0)
		goto out;
	if (n == 0) {
		r = level_in(s, 0, j, out, d);
		goto out;
	}
	*out = 0;
	for (i = 0; i < n; i++) {
		if ((r = level_in(s, cids[i], j, &l, d)) != 0)
			goto out;
		*out = maxi(*out, l);
	}
 out:
	cybex_free(cids);
	json_decref(j);
	return r;
}

/*
 * Settle the referrers of marking-definition mid after a version of it
 * joined collection cid, and, when that changes a referring
 * marking-definition's stored level, its referrers wherever they are.  A
 * referrer below RED had every reference resolved in every collection
 * holding it: the new version can only raise it (to what mid now
 * conveys in cid).  One at RED may have been waiting for mid: it is
 * worked out again.
 */
static int
settle(struct sq_store *s, int64_t cid, const char *mid,
    struct cybex_diag *d)
{
	struct work w = { NULL, NULL, 0, 0 };
	struct referrer *v = NULL;
	size_t i, k, nv = 0, rounds = 0;
	int r, l, now;
	bool found, gone;

	cache_clear(s);
	/* Pending links must be seen by the referrer query. */
	if ((r = sq_flush(s, d)) != 0 || (r = work_push(&w, cid, mid)) != 0)
		goto out;
	for (k = 0; k < w.n; k++) {
		if (++rounds > PROPAGATE_MAX) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d "
			    "marking-definitions to settle after %s",
			    PROPAGATE_MAX, mid);
			goto out;
		}
		l = 0;
		if ((w.cids[k] != 0 && (r = conveys(s, w.cids[k], w.ids[k], &l,
		    &found, d)) != 0) ||
		    (r = referrers(s, w.cids[k], w.ids[k], &v, &nv, d)) != 0)
			goto out;
		for (i = 0; i < nv; i++) {
			if (v[i].tlp >= CYBEX_TLP_RED || w.cids[k] == 0) {
				if ((r = recompute(s, v[i].oid, &now, &gone,
				    d)) != 0)
					goto out;
				if (gone)
					continue;
				if (v[i].tlp < CYBEX_TLP_RED)
					now = maxi(now, v[i].tlp);
			} else
				now = maxi(v[i].tlp, l);
			if (now == v[i].tlp)
				continue;
			if ((r = set_tlp(s, v[i].oid, now, d)) != 0)
				goto out;
			cache_clear(s);
			if (v[i].md_id != NULL &&
			    (r = work_push(&w, 0, v[i].md_id)) != 0)
				goto out;
		}
		referrers_free(v, nv);
		v = NULL;
		nv = 0;
	}
	r = 0;
 out:
	referrers_free(v, nv);
	for (k = 0; k < w.n; k++)
		cybex_free(w.ids[k]);
	cybex_free(w.ids);
	cybex_free(w.cids);
	cache_clear(s);
	return r;
}

/* Raise version oid's stored level to tlp; *raised when it changed. */
static int
raise_tlp(struct sq_store *s, int64_t oid, int tlp, bool *raised,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	*raised = false;
	if (tlp < 0)
		return 0;	/* just inserted with its level */
	if ((st = sq_stmt(s, SQ_OBJ_RAISE_TLP, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, oid);
	sqlite3_bind_int(st, 2, tlp);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "updating a TLP");
	*raised = sqlite3_changes(s->db) > 0;
	return 0;
}

int
sq_marking_added(struct sq_store *s, int64_t cid, int64_t oid,
    const json_t *obj, const char *id, const char *type, int tlp,
    struct cybex_diag *d)
{
	struct index ix = { s, d, oid };
	bool raised;
	int r;

	if ((r = raise_tlp(s, oid, tlp, &raised, d)) != 0 ||
	    (r = cybex_stix_marking_refs(obj, on_index, &ix)) != 0)
		return r;
	if (strcmp(type, "marking-definition") != 0)
		return 0;
	/* A raised definition changes what it conveys everywhere. */
	return settle(s, raised ? 0 : cid, id, d);
}

/*
 * Schema 11 and 13: the references are indexed by 11's SQL; here the
 * level of every referring version is worked out again, pass after pass
 * until nothing changes (a chain of marking-definitions settles one link
 * per pass).
 */
int
sq_marking_migrate(struct sq_store *s, struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int64_t *oids = NULL, *nv;
	int *tlps = NULL, *nt;
	size_t n = 0, cap = 0, i, pass;
	bool changed = true, gone;
	int rc, r = 0, now;

	rc = sqlite3_prepare_v2(s->db, "SELECT DISTINCT r.oid, o.tlp FROM "
	    "marking_refs r JOIN objects o ON o.oid = r.oid ORDER BY r.oid",
	    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc, d, "reading marking references");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((nv = cybex_reallocarray(oids, cap,
			    sizeof(*oids))) == NULL) {
				r = CYBEX_ENOMEM;
				goto out;
			}
			oids = nv;
			if ((nt = cybex_reallocarray(tlps, cap,
			    sizeof(*tlps))) == NULL) {
				r = CYBEX_ENOMEM;
				goto out;
			}
			tlps = nt;
		}
		oids[n] = sqlite3_column_int64(st, 0);
		tlps[n++] = sqlite3_column_int(st, 1);
	}
	if (rc != SQLITE_DONE) {
		r = sq_err(s, rc, d, "reading marking references");
		goto out;
	}
	for (pass = 0; changed && pass < MIGRATE_PASSES; pass++) {
		changed = false;
		for (i = 0; i < n; i++) {
			if ((r = recompute(s, oids[i], &now, &gone, d)) != 0)
				goto out;
			/* The predefined markings of schema 4 and 8 stay. */
			if (gone || now <= tlps[i])
				continue;
			if ((r = set_tlp(s, oids[i], now, d)) != 0)
				goto out;
			tlps[i] = now;
			changed = true;
		}
	}
 out:
	sqlite3_finalize(st);
	cybex_free(oids);
	cybex_free(tlps);
	return r;
}
