/*
 * SQLite backend: TLP through marking-definition references.
 *
 * An object's TLP is the most restrictive of its predefined TLP markings
 * (cybex_stix_tlp_of) and of what each other marking-definition it
 * references conveys: that marking-definition's own TLP definition
 * (cybex_stix_marking_conveys) or its own markings (its tlp column), over
 * every stored version of it.  A reference the hub cannot resolve (no
 * such marking-definition stored) counts as TLP:RED in the stored level,
 * so egress withholds the object until the marking-definition arrives;
 * the ingress ceiling leaves such references out (the definition may come
 * later in the same bundle).  marking_refs indexes who references what,
 * so that storing a marking-definition settles the objects that were
 * waiting for it, and raises those that referenced an earlier version.
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
 * What stored marking-definition ref conveys into *level; *found false
 * when the hub has no version of it.
 */
static int
conveys(struct sq_store *s, const char *ref, int *level, bool *found,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	json_t *j;
	size_t i, n = strlen(ref);
	int rc, l = 0;

	*level = 0;
	*found = false;
	for (i = 0; s->in_tx && i < s->nmcache; i++)
		if (strcmp(s->mcache[i].id, ref) == 0) {
			*level = s->mcache[i].level;
			*found = s->mcache[i].found;
			return 0;
		}
	if ((st = sq_stmt(s, SQ_MARK_VERSIONS, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, sq_idh(ref));
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = true;
		l = maxi(l, sqlite3_column_int(st, 0));
		if (cybex_json_parse((const char *)sqlite3_column_text(st, 1),
		    (size_t)sqlite3_column_bytes(st, 1), 0, &j, NULL) != 0) {
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
		memcpy(s->mcache[i].id, ref, n + 1);
		s->mcache[i].level = l;
		s->mcache[i].found = *found;
	}
	return 0;
}

struct resolve {
	struct sq_store		*s;
	struct cybex_diag	*d;
	int			 stored;
	int			 known;
	const char		*via;	/* the reference that set known */
};

static int
on_ref(void *ud, const char *ref)
{
	struct resolve *rs = ud;
	bool found;
	int l, r;

	if ((r = conveys(rs->s, ref, &l, &found, rs->d)) != 0)
		return r;
	if (!found) {
		rs->stored = CYBEX_TLP_RED;
		return 0;
	}
	rs->stored = maxi(rs->stored, l);
	if (l > rs->known) {
		rs->known = l;
		rs->via = ref;
	}
	return 0;
}

int
sq_marking_tlp(struct sq_store *s, const json_t *obj, int *stored,
    int *known, const char **via, struct cybex_diag *d)
{
	struct resolve rs = { s, d, 0, 0, NULL };
	int r;

	rs.stored = rs.known = (int)cybex_stix_tlp_of(obj);
	if ((r = cybex_stix_marking_refs(obj, on_ref, &rs)) != 0)
		return r;
	*stored = rs.stored;
	*known = rs.known;
	if (via != NULL)
		*via = rs.via;
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

struct work {
	char		**ids;
	size_t		 n, cap;
};

static int
work_push(struct work *w, const char *id)
{
	char **nv, *c;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->ids[i], id) == 0)
			return 0;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		if ((nv = cybex_reallocarray(w->ids, w->cap,
		    sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		w->ids = nv;
	}
	if ((c = cybex_strdup(id)) == NULL)
		return CYBEX_ENOMEM;
	w->ids[w->n++] = c;
	return 0;
}

/* The referrers of marking-definition mid, collected before any update. */
static int
referrers(struct sq_store *s, const char *mid, struct referrer **out,
    size_t *nout, struct cybex_diag *d)
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

/* The level of stored version oid, worked out again from its JSON. */
static int
recompute(struct sq_store *s, int64_t oid, int *out, bool *gone,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	json_t *j = NULL;
	int rc, r, known;

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
	r = sq_marking_tlp(s, j, out, &known, NULL, d);
	json_decref(j);
	return r;
}

/*
 * Settle the referrers of marking-definition mid after a new version of
 * it was stored, and, when that changes what a referring
 * marking-definition conveys, its referrers in turn.  A referrer below
 * RED had every reference resolved: the new version can only raise it.
 * One at RED may have been waiting for mid: it is worked out again.
 */
int
sq_marking_settle(struct sq_store *s, const char *mid, struct cybex_diag *d)
{
	struct work w = { NULL, 0, 0 };
	struct referrer *v = NULL;
	size_t i, k, nv = 0, rounds = 0;
	int r, l, now;
	bool found, gone;

	cache_clear(s);
	if ((r = work_push(&w, mid)) != 0)
		goto out;
	for (k = 0; k < w.n; k++) {
		if (++rounds > PROPAGATE_MAX) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d "
			    "marking-definitions to settle after %s",
			    PROPAGATE_MAX, mid);
			goto out;
		}
		if ((r = conveys(s, w.ids[k], &l, &found, d)) != 0 ||
		    (r = referrers(s, w.ids[k], &v, &nv, d)) != 0)
			goto out;
		for (i = 0; i < nv; i++) {
			if (v[i].tlp >= CYBEX_TLP_RED) {
				if ((r = recompute(s, v[i].oid, &now, &gone,
				    d)) != 0)
					goto out;
				if (gone)
					continue;
			} else
				now = maxi(v[i].tlp, l);
			if (now == v[i].tlp)
				continue;
			if ((r = set_tlp(s, v[i].oid, now, d)) != 0)
				goto out;
			cache_clear(s);
			if (v[i].md_id != NULL &&
			    (r = work_push(&w, v[i].md_id)) != 0)
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
	cache_clear(s);
	return r;
}

int
sq_marking_added(struct sq_store *s, int64_t oid, const json_t *obj,
    const char *id, const char *type, struct cybex_diag *d)
{
	struct index ix = { s, d, oid };
	int r;

	if ((r = cybex_stix_marking_refs(obj, on_index, &ix)) != 0)
		return r;
	if (strcmp(type, "marking-definition") != 0)
		return 0;
	return sq_marking_settle(s, id, d);
}

/*
 * Schema 11: the references are indexed by the migration's SQL; here the
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
