/*
 * SQLite backend: conflicts.  A put of a version that its collection holds
 * with other content keeps the first and records the second here, once
 * per content; an operator lists them and keeps either.  Everything here
 * is per collection: a conflict is a collection's, and resolving it
 * changes that collection only.
 */
#include <string.h>

#include "sqlite_int.h"

int
sq_conflict_record(struct sq_store *s, int64_t cid, const struct store_put *p,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	char sha[65];
	int rc, r;

	if ((r = store_canon_sha256(p->obj, sha)) != 0)
		return cybex_diag_set(d, r, "cannot hash the content of %s",
		    p->id);
	rc = sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO conflicts(cid, "
	    "id, version, sha256, json, source, created_us) VALUES (?1, ?2, "
	    "?3, ?4, ?5, ?6, ?7)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, cid);
		sqlite3_bind_text(st, 2, p->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, p->version, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, p->text, (int)p->len, SQLITE_STATIC);
		if (p->source != NULL)
			sqlite3_bind_text(st, 6, p->source, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, store_now_us());
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "recording a "
	    "conflict");
}

int
sq_conflict_list(struct cybex_store *base, const char *coll_id, int64_t xid,
    cybex_conflict_fn fn, void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_conflict c;
	sqlite3_stmt *st = NULL;
	const char *t;
	int rc, r = 0;

	if ((r = sq_flush(s, d)) != 0)
		return r;
	rc = sqlite3_prepare_v2(s->db, "SELECT x.xid, c.id, c.alias, x.id, "
	    "x.version, x.json, x.sha256, x.source, x.created_us, EXISTS "
	    "(SELECT 1 FROM collection_objects co JOIN objects o ON o.oid = "
	    "co.oid WHERE co.cid = x.cid AND o.idh = cybex_idh(x.id) AND "
	    "o.id = x.id AND o.version = x.version) FROM conflicts x JOIN "
	    "collections c ON c.cid = x.cid WHERE (?1 IS NULL OR c.id = ?1) "
	    "AND (?2 = 0 OR x.xid = ?2) ORDER BY x.xid", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc, d, "listing conflicts");
	if (coll_id != NULL)
		sqlite3_bind_text(st, 1, coll_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, xid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		c.xid = sqlite3_column_int64(st, 0);
		if ((t = (const char *)sqlite3_column_text(st, 1)) != NULL &&
		    strlen(t) < sizeof(c.coll_id))
			memcpy(c.coll_id, t, strlen(t) + 1);
		c.coll_alias = (const char *)sqlite3_column_text(st, 2);
		c.id = (const char *)sqlite3_column_text(st, 3);
		c.version = (const char *)sqlite3_column_text(st, 4);
		c.json = (const char *)sqlite3_column_text(st, 5);
		c.len = (size_t)sqlite3_column_bytes(st, 5);
		if ((t = (const char *)sqlite3_column_text(st, 6)) != NULL &&
		    strlen(t) < sizeof(c.sha256))
			memcpy(c.sha256, t, strlen(t) + 1);
		c.source = (const char *)sqlite3_column_text(st, 7);
		c.created_us = sqlite3_column_int64(st, 8);
		c.kept_present = sqlite3_column_int(st, 9) != 0;
		if (c.id == NULL || c.version == NULL || c.json == NULL)
			continue;
		if ((r = fn(ud, &c)) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (r != 0)
		return r;
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "listing conflicts");
}

/* Remove the versions of p's (id, version) from collection cid. */
static int
unlink_version(struct sq_store *s, int64_t cid, const struct store_put *p,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int64_t oids[8];
	size_t n = 0, i;
	int rc, r;

	/* Within a collection (id, version) is unique: one row, not 8. */
	rc = sq_prepare(s, &st, "SELECT co.oid FROM collection_objects co JOIN "
	    "objects o ON o.oid = co.oid WHERE co.cid = ?1 AND o.idh = ?2 AND "
	    "o.id = ?3 AND o.version = ?4", "iitt", cid, sq_idh(p->id), p->id,
	    p->version);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW &&
	    n < sizeof(oids) / sizeof(oids[0]))
		oids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_err(s, rc, d, "resolving a conflict");
	for (i = 0; i < n; i++) {
		if ((r = sq_run(s, d, "resolving a conflict", NULL, "DELETE FROM "
		    "collection_objects WHERE cid = ?1 AND oid = ?2", "ii", cid,
		    oids[i])) != 0 ||
		    (r = sq_run(s, d, "resolving a conflict", NULL, "DELETE FROM "
		    "objects WHERE oid = ?1 AND NOT EXISTS (SELECT 1 FROM "
		    "collection_objects WHERE oid = ?1)", "i", oids[i])) != 0)
			return r;
	}
	return 0;
}

/* The stored version with p's content (any collection's), or 0. */
static int
find_same(struct sq_store *s, const struct store_put *p, int64_t *oid,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	const char *json;
	size_t jlen;
	int rc, same = 0;

	*oid = 0;
	rc = sq_prepare(s, &st, "SELECT oid, json FROM objects WHERE idh = ?1 "
	    "AND id = ?2 AND version = ?3", "itt", sq_idh(p->id), p->id,
	    p->version);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json = (const char *)sqlite3_column_text(st, 1);
		jlen = (size_t)sqlite3_column_bytes(st, 1);
		if ((same = store_same_json(json, jlen, p->obj)) < 0)
			break;
		if (same) {
			*oid = sqlite3_column_int64(st, 0);
			break;
		}
	}
	sqlite3_finalize(st);
	if (same < 0)
		return cybex_diag_set(d, same, "cannot compare with the stored "
		    "versions of %s", p->id);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_err(s, rc, d, "resolving a conflict");
	return 0;
}

/*
 * In the open transaction: keep p (the second content) in cid, at the
 * level p->tlp that collection sees (its ceiling is store.c's).
 */
static int
keep_second(struct sq_store *s, int64_t cid, const struct store_put *p,
    struct cybex_diag *d)
{
	int64_t oid;
	int r;
	bool fresh = false;

	if ((r = unlink_version(s, cid, p, d)) != 0 ||
	    (r = find_same(s, p, &oid, d)) != 0)
		return r;
	if (oid == 0) {
		if ((r = sq_version_insert(s, p, &oid, d)) != 0)
			return r;
		fresh = true;
	}
	if ((r = sq_link_new(s, cid, oid, d)) != 0)
		return r;
	return sq_marking_added(s, cid, oid, p->obj, p->id, p->type,
	    fresh ? -1 : p->tlp, d);
}

int
sq_conflict_resolve(struct cybex_store *base, int64_t xid,
    const struct store_put *p, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int64_t cid = 0;
	bool match = false;
	int rc, r;

	if (s->rdonly)
		return cybex_diag_set(d, CYBEX_EINVAL, "the store is read-only");
	if ((r = base->ops->begin(base, d)) != 0)
		return r;
	rc = sq_prepare(s, &st, "SELECT cid, id, version FROM conflicts WHERE "
	    "xid = ?1", "i", xid);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cid = sqlite3_column_int64(st, 0);
		match = p == NULL || (strcmp((const char *)sqlite3_column_text(
		    st, 1), p->id) == 0 && strcmp((const char *)
		    sqlite3_column_text(st, 2), p->version) == 0);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no conflict %lld",
		    (long long)xid);
	else if (rc != SQLITE_ROW)
		r = sq_err(s, rc, d, "reading a conflict");
	else if (!match)
		r = cybex_diag_set(d, CYBEX_EDB, "conflict %lld changed while "
		    "it was resolved", (long long)xid);
	if (r != 0)
		goto fail;
	if (p != NULL && (r = keep_second(s, cid, p, d)) != 0)
		goto fail;
	if ((r = sq_run(s, d, "resolving a conflict", NULL, "DELETE FROM "
	    "conflicts WHERE xid = ?1", "i", xid)) != 0)
		goto fail;
	return base->ops->commit(base, d);
 fail:
	base->ops->rollback(base);
	return r;
}
