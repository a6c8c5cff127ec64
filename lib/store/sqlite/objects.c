/*
 * SQLite backend: storing versions, queries (objects and manifests, with
 * every TAXII filter and paging), and deleting an object from a collection.
 *
 * Queries are assembled from fixed SQL fragments; every value from the
 * caller is a bound parameter, never SQL text.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

#define LIST_MAX	1000	/* values per match[...] list */
#define BINDS_MAX	(6 * LIST_MAX + 16)

/* ---- put ---- */

/*
 * The date_added of the next version added to collection cid: after the
 * collection's last one, strictly, even within one microsecond (or given,
 * when loading, which must then be later).  Nothing is written here.
 */
static int
next_added(struct sq_store *s, int64_t cid, int64_t given, int64_t *out,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int64_t last, now;
	int rc, r;

	if (s->in_tx && s->last_cid == cid)
		last = s->last_added;
	else {
		if ((r = sq_flush(s, d)) != 0)
			return r;
		if ((st = sq_stmt(s, SQ_COLL_LAST, d)) == NULL)
			return d != NULL ? d->code : CYBEX_EDB;
		sqlite3_bind_int64(st, 1, cid);
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			return sq_err(s, rc == SQLITE_DONE ? SQLITE_CORRUPT :
			    rc, d, "reading a collection");
		}
		last = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (given > 0) {
		if (given <= last)
			return cybex_diag_set(d, CYBEX_EINVAL, "date_added %lld "
			    "is not after the collection's last (%lld)",
			    (long long)given, (long long)last);
		*out = given;
	} else {
		now = store_now_us();
		*out = now > last ? now : last + 1;
	}
	return 0;
}

static int
write_last(struct sq_store *s, int64_t cid, int64_t added,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = sq_stmt(s, SQ_COLL_SET_LAST, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, cid);
	sqlite3_bind_int64(st, 2, added);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "updating a "
	    "collection");
}

/* One link, now. */
static int
insert_link(struct sq_store *s, const struct sq_link *l, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = sq_stmt(s, SQ_LINK_INSERT, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, l->cid);
	sqlite3_bind_int64(st, 2, l->added);
	sqlite3_bind_int64(st, 3, l->oid);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "adding to a "
	    "collection");
}

/* Write the pending links: SQ_LINKS_MAX in one statement, or one by one. */
static int
flush_links(struct sq_store *s, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc, r;

	if (s->nlinks == SQ_LINKS_MAX) {
		if ((st = sq_stmt(s, SQ_LINK_INSERT_MANY, d)) == NULL)
			return d != NULL ? d->code : CYBEX_EDB;
		for (i = 0; i < SQ_LINKS_MAX; i++) {
			sqlite3_bind_int64(st, (int)(3 * i + 1),
			    s->links[i].cid);
			sqlite3_bind_int64(st, (int)(3 * i + 2),
			    s->links[i].added);
			sqlite3_bind_int64(st, (int)(3 * i + 3),
			    s->links[i].oid);
		}
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sq_err(s, rc, d, "adding to a collection");
	} else {
		for (i = 0; i < s->nlinks; i++) {
			if ((r = insert_link(s, &s->links[i], d)) != 0)
				return r;
		}
	}
	s->nlinks = 0;
	return 0;
}

int
sq_flush(struct sq_store *s, struct cybex_diag *d)
{
	int r;

	/* Links pend only inside a transaction: its end clears them. */
	if (s->nlinks > 0 && (r = flush_links(s, d)) != 0)
		return r;
	if (!s->last_dirty)
		return 0;
	if ((r = write_last(s, s->last_cid, s->last_added, d)) != 0)
		return r;
	s->last_dirty = false;
	return 0;
}

/*
 * Remember the collection's new last date_added: inside a transaction in
 * memory until commit (one write per batch, not per object).
 */
static int
record_added(struct sq_store *s, int64_t cid, int64_t added,
    struct cybex_diag *d)
{
	if (!s->in_tx)
		return write_last(s, cid, added, d);
	s->last_cid = cid;
	s->last_added = added;
	s->last_dirty = true;
	return 0;
}

/*
 * Add version oid to collection cid at date_added added: in a transaction
 * it joins the pending links (written SQ_LINKS_MAX at a time, or by
 * sq_flush), else it is written now.
 */
static int
link_version(struct sq_store *s, int64_t cid, int64_t oid, int64_t added,
    struct cybex_diag *d)
{
	struct sq_link l = { cid, added, oid };
	int r;

	if (!s->in_tx)
		r = insert_link(s, &l, d);
	else {
		/* Full only when a flush failed: the caller must roll back. */
		if (s->nlinks == SQ_LINKS_MAX &&
		    (r = flush_links(s, d)) != 0)
			return r;
		s->links[s->nlinks++] = l;
		r = s->nlinks == SQ_LINKS_MAX ? flush_links(s, d) : 0;
	}
	if (r != 0)
		return r;
	return record_added(s, cid, added, d);
}

bool
sq_pending_link(const struct sq_store *s, int64_t cid, int64_t oid)
{
	size_t i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i].oid == oid && s->links[i].cid == cid)
			return true;
	return false;
}

static int
insert_version(struct sq_store *s, const struct store_put *p, int tlp,
    int64_t idh, int64_t *oid, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = sq_stmt(s, SQ_OBJ_INSERT, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->spec_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->media_type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, p->revoked);
	sqlite3_bind_text(st, 7, p->text, (int)p->len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, idh);
	sqlite3_bind_int(st, 9, tlp);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "storing an object");
	*oid = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/*
 * A new version outside put (an operator keeping the second content of a
 * conflict) at the level p->tlp its collection sees; its references are
 * indexed when it is linked (sq_marking_added).
 */
int
sq_version_insert(struct sq_store *s, const struct store_put *p, int64_t *oid,
    struct cybex_diag *d)
{
	return insert_version(s, p, p->tlp, sq_idh(p->id), oid, d);
}

int
sq_link_new(struct sq_store *s, int64_t cid, int64_t oid,
    struct cybex_diag *d)
{
	int64_t added;
	int r;

	if ((r = next_added(s, cid, 0, &added, d)) != 0)
		return r;
	return link_version(s, cid, oid, added, d);
}

/*
 * What the store holds of p's id, as seen from collection cid: the
 * stored version with p's content (any collection: storage is shared),
 * whether cid holds it, another content of p's version in cid, and the
 * latest revoked version before p's in cid.  Nothing of what only other
 * collections hold may change a decision: they are not the writer's.
 */
struct sq_seen {
	int64_t		 same_oid;	/* p's version and content; 0 = none */
	bool		 same_linked;	/* ... in cid */
	int64_t		 other_oid;	/* p's version, other content, in cid */
	char		 revoked_at[CYBEX_VERSION_KEY_MAX];	/* in cid */
};

static int
versions_seen(struct sq_store *s, int64_t cid, const struct store_put *p,
    struct sq_seen *sn, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	const char *v, *json;
	int64_t oid;
	bool in_coll;
	size_t jlen;
	int rc, same;

	memset(sn, 0, sizeof(*sn));
	if ((st = sq_stmt(s, SQ_OBJ_VERSIONS, d)) == NULL)
		return d != NULL ? d->code : CYBEX_EDB;
	sqlite3_bind_int64(st, 1, sq_idh(p->id));
	sqlite3_bind_text(st, 2, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, cid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(st, 1);
		if (v == NULL)
			continue;
		oid = sqlite3_column_int64(st, 0);
		in_coll = sqlite3_column_int(st, 4) != 0 ||
		    sq_pending_link(s, cid, oid);
		if (in_coll && sqlite3_column_int(st, 2) &&
		    strcmp(v, p->version) < 0 &&
		    strcmp(v, sn->revoked_at) > 0 &&
		    strlen(v) < sizeof(sn->revoked_at))
			memcpy(sn->revoked_at, v, strlen(v) + 1);
		if (strcmp(v, p->version) != 0)
			continue;
		/* Another collection's content is only compared to share it. */
		if (!in_coll && sn->same_oid != 0)
			continue;
		json = (const char *)sqlite3_column_text(st, 3);
		jlen = (size_t)sqlite3_column_bytes(st, 3);
		/* Byte-equal is the common case; else compare canonically. */
		if (jlen == p->len && memcmp(json, p->text, jlen) == 0)
			same = 1;
		else if ((same = store_same_json(json, jlen, p->obj)) < 0) {
			sqlite3_reset(st);
			return cybex_diag_set(d, same, "cannot compare with the "
			    "stored version of %s", p->id);
		}
		if (same) {
			if (sn->same_oid == 0 || in_coll) {
				sn->same_oid = oid;
				sn->same_linked = in_coll;
			}
		} else if (in_coll)
			sn->other_oid = oid;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "reading stored versions");
	return 0;
}

/*
 * Everything of one put, inside a transaction.  Every refusal (conflict,
 * bad date_added) happens before the first write, so a refused put leaves
 * the transaction as it was, but for the record of a conflict.
 */
static int
put_locked(struct sq_store *s, int64_t cid, const struct store_put *p,
    enum cybex_put_result *out, struct cybex_diag *d)
{
	struct sq_seen sn;
	int64_t oid = 0, added = 0;
	int r;

	if ((r = versions_seen(s, cid, p, &sn, d)) != 0)
		return r;
	if (sn.same_oid != 0 && sn.same_linked) {
		*out = CYBEX_PUT_PRESENT;
		return 0;
	}
	if (sn.other_oid != 0) {
		/* The first content stays; this one is kept for an operator. */
		if ((r = sq_conflict_record(s, cid, p, d)) != 0)
			return r;
		*out = CYBEX_PUT_CONFLICT;
		return cybex_diag_set(d, CYBEX_ECONFLICT, "%s version %s is "
		    "already in this collection with other content: the first "
		    "is kept and this one is recorded as a conflict for an "
		    "operator to resolve; a changed object needs a new "
		    "'modified'", p->id,
		    p->version[0] ? p->version : "(no modified)");
	}
	if (sn.revoked_at[0] != '\0')
		return cybex_diag_set(d, CYBEX_ECONFLICT, "%s was revoked in "
		    "version %s in this collection; no later version may be "
		    "added", p->id, sn.revoked_at);
	if ((r = next_added(s, cid, p->date_added_us, &added, d)) != 0)
		return r;
	if (sn.same_oid != 0) {
		if ((r = link_version(s, cid, sn.same_oid, added, d)) != 0)
			return r;
		/* Shared: the most restrictive of the collections' views. */
		if ((r = sq_marking_added(s, cid, sn.same_oid, p->obj, p->id,
		    p->type, p->tlp, d)) != 0)
			return r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY ||
			    r == CYBEX_ESTIX ? cybex_diag_set(d, CYBEX_EDB,
			    "cannot settle the markings of %s", p->id) : r;
		*out = CYBEX_PUT_LINKED;
		return 0;
	}
	if ((r = insert_version(s, p, p->tlp, sq_idh(p->id), &oid, d)) != 0)
		return r;
	/*
	 * After the first write a failure is the store's, not the object's:
	 * the caller must roll back (a "conflict" here would be committed).
	 */
	if ((r = link_version(s, cid, oid, added, d)) != 0)
		return r == CYBEX_ECONFLICT ? cybex_diag_set(d, CYBEX_EDB,
		    "cannot add %s to the collection", p->id) : r;
	if ((r = sq_marking_added(s, cid, oid, p->obj, p->id, p->type, -1,
	    d)) != 0)
		return r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY ||
		    r == CYBEX_ESTIX ? cybex_diag_set(d, CYBEX_EDB, "cannot "
		    "settle the markings of %s", p->id) : r;
	*out = CYBEX_PUT_ADDED;
	return 0;
}

int
sq_put(struct cybex_store *base, const char *coll_id,
    const struct store_put *p, enum cybex_put_result *out,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_diag cd;
	int64_t cid;
	int r, rc;

	if (s->rdonly)
		return cybex_diag_set(d, CYBEX_EINVAL, "the store is read-only");
	/* The ceiling and p->tlp are store.c's (rules.c): here it is stored. */
	if ((r = sq_coll(s, coll_id, &cid, NULL, d)) != 0)
		return r;
	/*
	 * Inside the caller's transaction a refused put has written nothing
	 * but the record of a conflict (see put_locked); outside one, a put
	 * is its own transaction.
	 */
	if (s->in_tx)
		return put_locked(s, cid, p, out, d);
	if ((r = sq_exec(s, SQ_BEGIN, d)) != 0)
		return r;
	r = put_locked(s, cid, p, out, d);
	/* A recorded conflict commits: it is what the put did. */
	if (r == 0 || *out == CYBEX_PUT_CONFLICT) {
		cybex_diag_clear(&cd);
		if ((rc = sq_exec(s, SQ_COMMIT, &cd)) == 0)
			return r;
		if (d != NULL)
			*d = cd;
		r = rc;
	}
	sq_exec(s, SQ_ROLLBACK, NULL);
	*out = 0;
	return r;
}

/* ---- queries ---- */

struct bind {
	const char	*s;	/* text, or NULL for an integer */
	int64_t		 i;
};

struct qb {
	struct cybex_buf sql;
	struct bind	 b[BINDS_MAX];
	int		 n;
	int		 err;
	/* Canonical version keys of version_at. */
	char		 (*vat)[CYBEX_VERSION_KEY_MAX];
};

/*
 * Not cybex_calloc: the bindings array is large (BINDS_MAX) and each
 * entry is written before it is used.
 */
static struct qb *
qb_new(void)
{
	struct qb *q;

	if ((q = cybex_malloc(sizeof(*q))) == NULL)
		return NULL;
	q->n = 0;
	q->err = 0;
	q->vat = NULL;
	return q;
}

static void
sql(struct qb *q, const char *s)
{
	if (q->err == 0)
		q->err = cybex_buf_puts(&q->sql, s);
}

static void
bind_text(struct qb *q, const char *s)
{
	if (q->n >= BINDS_MAX) {
		q->err = CYBEX_ETOOBIG;
		return;
	}
	q->b[q->n].s = s;
	q->b[q->n++].i = 0;
	sql(q, "?");
}

static void
bind_int(struct qb *q, int64_t i)
{
	if (q->n >= BINDS_MAX) {
		q->err = CYBEX_ETOOBIG;
		return;
	}
	q->b[q->n].s = NULL;
	q->b[q->n++].i = i;
	sql(q, "?");
}

/* " AND <col> IN (?, ?, ...)" */
static void
in_list(struct qb *q, const char *col, const char *const *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	sql(q, " AND ");
	sql(q, col);
	sql(q, " IN (");
	for (i = 0; i < n; i++) {
		if (i > 0)
			sql(q, ", ");
		bind_text(q, v[i]);
	}
	sql(q, ")");
}

/*
 * The version filter: rows that are the first/last version of their
 * object (among the versions in the same collection, or in the store when
 * exporting), or one of the given versions.  It looks at every version,
 * not only those added after added_after: "last" is the latest version.
 */
static void
version_terms(struct qb *q, const struct cybex_query *cq, bool coll,
    bool default_all)
{
	unsigned v = cq->versions;
	bool first = true, latest_spec;
	size_t i;
	int k;

	if (v == 0 && cq->nversion_at == 0)
		v = default_all ? CYBEX_VERSION_ALL : CYBEX_VERSION_LAST;
	/*
	 * TAXII 2.1 (match[spec_version]): with none given, each object is
	 * shown in its latest spec version only ("2.1" sorts after "2.0"),
	 * and first/last are among its versions in that spec version.
	 * Exports and deletes keep every spec version.
	 */
	latest_spec = coll && !default_all && cq->nspec_versions == 0;
	/*
	 * The default TAXII view (the last version of each object, in its
	 * latest spec version) in one look-up per row instead of two: the
	 * row must be the collection's greatest (spec_version, version) of
	 * its id: no version of the id in the collection is greater.  The
	 * id hash index finds the id's versions (usually one: the row
	 * itself); no temporary table, no string built per row.
	 */
	if (latest_spec && v == CYBEX_VERSION_LAST && cq->nversion_at == 0) {
		sql(q, " AND NOT EXISTS (SELECT 1 FROM objects o2 WHERE "
		    "o2.idh = o.idh AND o2.id = o.id AND (o2.spec_version > "
		    "o.spec_version OR (o2.spec_version = o.spec_version AND "
		    "o2.version > o.version)) AND EXISTS (SELECT 1 FROM "
		    "collection_objects c2 WHERE c2.oid = o2.oid AND c2.cid = "
		    "co.cid))");
		return;
	}
	if (latest_spec)
		sql(q, " AND o.spec_version = (SELECT MAX(o3.spec_version) "
		    "FROM objects o3 WHERE o3.idh = o.idh AND o3.id = o.id AND "
		    "EXISTS (SELECT 1 FROM collection_objects c3 WHERE c3.oid = "
		    "o3.oid AND c3.cid = co.cid))");
	if (v & CYBEX_VERSION_ALL)
		return;
	sql(q, " AND (");
	for (k = 0; k < 2; k++) {
		unsigned bit = k == 0 ? CYBEX_VERSION_LAST : CYBEX_VERSION_FIRST;

		if (!(v & bit))
			continue;
		sql(q, first ? "" : " OR ");
		first = false;
		sql(q, bit == CYBEX_VERSION_LAST ? "o.version = (SELECT MAX" :
		    "o.version = (SELECT MIN");
		/*
		 * Driven by the id hash index, then the (oid, cid) index: a
		 * join starting from the collection would scan all of it for
		 * every row.
		 */
		sql(q, coll ? "(o2.version) FROM objects o2 WHERE o2.idh = "
		    "o.idh AND o2.id = o.id AND EXISTS (SELECT 1 FROM "
		    "collection_objects c2 WHERE c2.oid = o2.oid AND c2.cid = "
		    "co.cid)" : "(o2.version) FROM objects o2 WHERE o2.idh = "
		    "o.idh AND o2.id = o.id");
		/* Only among the spec versions asked for (or shown). */
		if (latest_spec)
			sql(q, " AND o2.spec_version = o.spec_version");
		for (i = 0; i < cq->nspec_versions; i++) {
			sql(q, i == 0 ? " AND o2.spec_version IN (" : ", ");
			bind_text(q, cq->spec_versions[i]);
		}
		if (cq->nspec_versions > 0)
			sql(q, ")");
		sql(q, ")");
	}
	if (cq->nversion_at > 0) {
		sql(q, first ? "o.version IN (" : " OR o.version IN (");
		for (i = 0; i < cq->nversion_at; i++) {
			if (i > 0)
				sql(q, ", ");
			bind_text(q, q->vat[i]);
		}
		sql(q, ")");
	}
	sql(q, ")");
}

static int
build(struct qb *q, const struct cybex_query *cq, int64_t cid, bool manifest,
    int64_t after, bool has_after, bool for_delete)
{
	bool coll = cq->coll_id != NULL;

	if (coll) {
		sql(q, for_delete ? "SELECT co.oid" : manifest ?
		    "SELECT o.id, o.type, o.version, o.spec_version, "
		    "o.media_type, NULL, co.date_added" :
		    "SELECT o.id, o.type, o.version, o.spec_version, "
		    "o.media_type, o.json, co.date_added");
		sql(q, " FROM collection_objects co JOIN objects o ON o.oid = "
		    "co.oid WHERE co.cid = ");
		bind_int(q, cid);
		if (has_after) {
			sql(q, " AND co.date_added > ");
			bind_int(q, after);
		}
	} else {
		sql(q, manifest ? "SELECT o.id, o.type, o.version, "
		    "o.spec_version, o.media_type, NULL, " : "SELECT o.id, "
		    "o.type, o.version, o.spec_version, o.media_type, o.json, ");
		sql(q, "(SELECT MIN(c.date_added) FROM collection_objects c "
		    "WHERE c.oid = o.oid), o.oid FROM objects o WHERE 1");
		if (cq->has_added_after) {
			sql(q, " AND EXISTS (SELECT 1 FROM collection_objects c "
			    "WHERE c.oid = o.oid AND c.date_added > ");
			bind_int(q, cq->added_after_us);
			sql(q, ")");
		}
		if (cq->next != NULL) {
			sql(q, " AND o.oid > ");
			bind_int(q, after);
		}
	}
	if (cq->nids > 0) {
		size_t i;

		/* The index is on the hash; the id itself settles it. */
		sql(q, " AND o.idh IN (");
		for (i = 0; i < cq->nids; i++) {
			if (i > 0)
				sql(q, ", ");
			bind_int(q, sq_idh(cq->ids[i]));
		}
		sql(q, ")");
		in_list(q, "o.id", cq->ids, cq->nids);
	}
	in_list(q, "o.type", cq->types, cq->ntypes);
	if (cq->max_tlp > 0) {
		sql(q, " AND o.tlp <= ");
		bind_int(q, cq->max_tlp);
	}
	in_list(q, "o.spec_version", cq->spec_versions, cq->nspec_versions);
	version_terms(q, cq, coll, for_delete);
	if (!for_delete) {
		sql(q, coll ? " ORDER BY co.date_added" : " ORDER BY o.oid");
		if (cq->limit > 0) {
			sql(q, " LIMIT ");
			bind_int(q, (int64_t)cq->limit + 1);
		}
	}
	return q->err;
}

static int
prepare(struct sq_store *s, struct qb *q, sqlite3_stmt **st,
    struct cybex_diag *d)
{
	int i, rc;

	if ((rc = sq_qcache_prepare(s, q->sql.data, q->sql.len, st, d)) != 0)
		return rc;
	for (i = 0; i < q->n; i++) {
		if (q->b[i].s != NULL)
			sqlite3_bind_text(*st, i + 1, q->b[i].s, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_int64(*st, i + 1, q->b[i].i);
	}
	return 0;
}

static int
check_lists(const struct cybex_query *cq, struct qb *q, struct cybex_diag *d)
{
	struct cybex_diag td;
	json_t *tmp;
	size_t i;
	int r;

	if (cq->nids > LIST_MAX || cq->ntypes > LIST_MAX ||
	    cq->nspec_versions > LIST_MAX || cq->nversion_at > LIST_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d values "
		    "in one filter", LIST_MAX);
	if (cq->nversion_at == 0)
		return 0;
	q->vat = cybex_calloc(cq->nversion_at, sizeof(*q->vat));
	if (q->vat == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < cq->nversion_at; i++) {
		if ((tmp = json_pack("{s:s}", "modified",
		    cq->version_at[i])) == NULL)
			return cybex_diag_set(d, CYBEX_EINVAL, "bad version "
			    "timestamp");
		r = cybex_store_version_key(tmp, q->vat[i], &td);
		json_decref(tmp);
		if (r != 0)
			return cybex_diag_set(d, CYBEX_EINVAL, "version '%s' is "
			    "not a timestamp: %s", cq->version_at[i],
			    td.message);
	}
	return 0;
}

int
sq_query(struct cybex_store *base, const struct cybex_query *cq,
    bool manifest, cybex_row_fn fn, void *ud, struct cybex_page *page,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_row row;
	sqlite3_stmt *st = NULL;
	struct qb *q = NULL;
	int64_t cid = 0, after = 0, tok = 0, pos = 0;
	bool coll = cq->coll_id != NULL, has_after = false;
	int rc, r;

	/* What the open transaction added must be seen. */
	if ((r = sq_flush(s, d)) != 0)
		return r;
	if ((q = qb_new()) == NULL)
		return CYBEX_ENOMEM;
	cybex_buf_init(&q->sql, 1u << 20);
	if ((r = check_lists(cq, q, d)) != 0)
		goto out;
	if (coll && (r = sq_cid(s, cq->coll_id, &cid, d)) != 0)
		goto out;
	if (cq->next != NULL && store_token_decode(cq->next, coll ? 'a' : 'o',
	    &tok) != 0) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "'next' is not a token "
		    "this server gave out");
		goto out;
	}
	if (coll && cq->has_added_after) {
		has_after = true;
		after = cq->added_after_us;
	}
	if (cq->next != NULL) {
		has_after = true;
		if (!coll || tok > after)
			after = tok;
	}
	if ((r = build(q, cq, cid, manifest, after, has_after, false)) != 0) {
		r = cybex_diag_set(d, r, "query too large");
		goto out;
	}
	if ((r = prepare(s, q, &st, d)) != 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cq->limit > 0 && page->count == cq->limit) {
			page->more = true;
			store_token_encode(coll ? 'a' : 'o', pos, page->next,
			    sizeof(page->next));
			break;
		}
		memset(&row, 0, sizeof(row));
		row.id = (const char *)sqlite3_column_text(st, 0);
		row.type = (const char *)sqlite3_column_text(st, 1);
		row.version = (const char *)sqlite3_column_text(st, 2);
		row.spec_version = (const char *)sqlite3_column_text(st, 3);
		row.media_type = (const char *)sqlite3_column_text(st, 4);
		row.json = (const char *)sqlite3_column_text(st, 5);
		row.len = (size_t)sqlite3_column_bytes(st, 5);
		row.date_added_us = sqlite3_column_int64(st, 6);
		if ((r = fn(ud, &row)) == CYBEX_ROW_STOP && page->count == 0) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "%s does not fit in "
			    "a page", row.id != NULL ? row.id : "an object");
			goto out;
		}
		if (r == CYBEX_ROW_STOP) {
			/* Not taken: the next page starts with this row. */
			page->more = true;
			store_token_encode(coll ? 'a' : 'o', pos, page->next,
			    sizeof(page->next));
			r = 0;
			goto out;
		}
		if (r != 0)
			goto out;
		pos = coll ? row.date_added_us : sqlite3_column_int64(st, 7);
		if (page->count == 0)
			page->first_added_us = row.date_added_us;
		page->last_added_us = row.date_added_us;
		page->count++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		r = sq_err(s, rc, d, "running a query");
		goto out;
	}
	r = 0;
 out:
	sq_qcache_release(s, st);
	if (q != NULL) {
		cybex_free(q->vat);
		cybex_buf_free(&q->sql);
		cybex_free(q);
	}
	return r;
}

int
sq_delete(struct cybex_store *base, const struct cybex_query *cq,
    size_t *removed, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL, *del = NULL, *gc = NULL;
	struct qb *q = NULL;
	bool own_tx = !s->in_tx;
	int64_t cid, *oids = NULL;
	size_t n = 0, cap = 0, i;
	int rc = SQLITE_DONE, r;

	if ((r = sq_flush(s, d)) != 0)
		return r;
	sq_marking_cache_clear(s);
	if ((q = qb_new()) == NULL)
		return CYBEX_ENOMEM;
	cybex_buf_init(&q->sql, 1u << 20);
	if ((r = check_lists(cq, q, d)) != 0 ||
	    (r = sq_cid(s, cq->coll_id, &cid, d)) != 0)
		goto out;
	if ((r = build(q, cq, cid, true, 0, false, true)) != 0) {
		r = cybex_diag_set(d, r, "query too large");
		goto out;
	}
	if (own_tx && (r = sq_exec(s, SQ_BEGIN, d)) != 0)
		goto out;
	if ((r = prepare(s, q, &st, d)) != 0)
		goto fail;
	rc = sqlite3_prepare_v2(s->db, "DELETE FROM collection_objects WHERE "
	    "cid = ?1 AND oid = ?2", -1, &del, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "DELETE FROM objects WHERE oid = "
		    "?1 AND NOT EXISTS (SELECT 1 FROM collection_objects WHERE "
		    "oid = ?1)", -1, &gc, NULL);
	if (rc != SQLITE_OK) {
		r = sq_err(s, rc, d, "deleting");
		goto fail;
	}
	/*
	 * Collect the versions first (one object's: few), then delete:
	 * SQLite does not promise what a running SELECT sees of rows
	 * deleted under it.
	 */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *nv;

			cap = cap ? 2 * cap : 16;
			if ((nv = cybex_reallocarray(oids, cap,
			    sizeof(*oids))) == NULL) {
				r = CYBEX_ENOMEM;
				goto fail;
			}
			oids = nv;
		}
		oids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		r = sq_err(s, rc, d, "deleting");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		sqlite3_reset(del);
		sqlite3_bind_int64(del, 1, cid);
		sqlite3_bind_int64(del, 2, oids[i]);
		if ((rc = sqlite3_step(del)) != SQLITE_DONE)
			break;
		sqlite3_reset(gc);
		sqlite3_bind_int64(gc, 1, oids[i]);
		if ((rc = sqlite3_step(gc)) != SQLITE_DONE)
			break;
		(*removed)++;
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE) {
		r = sq_err(s, rc, d, "deleting");
		goto fail;
	}
	sq_qcache_release(s, st);
	st = NULL;
	if (own_tx && (r = sq_exec(s, SQ_COMMIT, d)) != 0)
		goto fail;
	r = 0;
	goto out;
 fail:
	*removed = 0;
	if (own_tx)
		sq_exec(s, SQ_ROLLBACK, NULL);
 out:
	sq_qcache_release(s, st);
	sqlite3_finalize(del);
	sqlite3_finalize(gc);
	cybex_free(oids);
	if (q != NULL) {
		cybex_free(q->vat);
		cybex_buf_free(&q->sql);
		cybex_free(q);
	}
	return r;
}
