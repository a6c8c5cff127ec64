/* SQLite backend: collections. */
#include <string.h>

#include "cybex/policy.h"

#include "sqlite_int.h"

static const char coll_cols[] =
    "SELECT c.id, c.alias, c.title, c.description, c.media_types, "
    "c.created_us, 0, r.name, c.max_tlp FROM collections c JOIN "
    "api_roots r ON r.rid = c.rid ";

int
sq_collection_add(struct cybex_store *base, struct cybex_collection *c,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sqlite3_prepare_v2(s->db, "INSERT INTO collections(id, alias, "
	    "title, description, media_types, created_us, rid, max_tlp) "
	    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, rid, ?8 FROM api_roots WHERE "
	    "name = ?7", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc, d, "adding a collection");
	sqlite3_bind_text(st, 7, c->api_root != NULL ? c->api_root :
	    CYBEX_DEFAULT_API_ROOT, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, cybex_policy_collection_ceiling(c->max_tlp));
	c->created_us = store_now_us();
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->alias, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->description, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->media_types != NULL ? c->media_types :
	    CYBEX_MEDIA_STIX21, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, c->created_us);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE && sqlite3_changes(s->db) == 0)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no API root '%s'",
		    c->api_root != NULL ? c->api_root : CYBEX_DEFAULT_API_ROOT);
	else if (rc == SQLITE_DONE)
		r = 0;
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		r = cybex_diag_set(d, CYBEX_EEXIST, "a collection with id '%s'%s"
		    "%s%s exists already", c->id, c->alias ? " or alias '" : "",
		    c->alias ? c->alias : "", c->alias ? "'" : "");
	else
		r = sq_err(s, rc, d, "adding a collection");
	sqlite3_finalize(st);
	return r;
}

static const char *
col_text(sqlite3_stmt *st, int i, struct cybex_arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	if (t == NULL)
		return NULL;
	return cybex_arena_strndup(a, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, i));
}

static void
fill(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_collection *c)
{
	const unsigned char *id = sqlite3_column_text(st, 0);

	memset(c, 0, sizeof(*c));
	if (id != NULL)
		memcpy(c->id, id, strnlen((const char *)id, sizeof(c->id) - 1));
	c->alias = col_text(st, 1, a);
	c->title = col_text(st, 2, a);
	c->description = col_text(st, 3, a);
	c->media_types = col_text(st, 4, a);
	c->created_us = sqlite3_column_int64(st, 5);
	c->api_root = col_text(st, 7, a);
	c->max_tlp = sqlite3_column_int(st, 8);
}

int
sq_collection_get(struct cybex_store *base, const char *key,
    struct cybex_arena *a, struct cybex_collection *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	char sql[512];
	sqlite3_stmt *st = NULL;
	int rc, r;

	/*
	 * No object count here: counting costs time proportional to the
	 * collection, and every TAXII request loads its collection
	 * (sq_collection_count is separate).
	 */
	snprintf(sql, sizeof(sql), "%s WHERE c.id = ?1 OR c.alias = ?1",
	    coll_cols);
	if ((rc = sq_prepare_cached(s, &st, sql, "t", key)) != SQLITE_OK) {
		sq_qcache_release(s, st);
		return sq_err(s, rc, d, "reading a collection");
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill(st, a, out);
		r = out->title == NULL ? cybex_diag_set(d, CYBEX_ENOMEM,
		    "out of memory") : 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no collection '%s'", key);
	else
		r = sq_err(s, rc, d, "reading a collection");
	sq_qcache_release(s, st);
	return r;
}

int
sq_collection_list(struct cybex_store *base, cybex_collection_fn fn,
    void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_arena *a = NULL;
	struct cybex_collection c;
	sqlite3_stmt *st = NULL;
	char sql[512];
	int rc, r;

	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	snprintf(sql, sizeof(sql), "%s ORDER BY c.cid", coll_cols);
	if ((rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL)) != SQLITE_OK) {
		r = sq_err(s, rc, d, "listing collections");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cybex_arena_reset(a);
		fill(st, a, &c);
		if ((r = fn(ud, &c)) != 0)
			goto out;
	}
	r = rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "listing collections");
 out:
	sqlite3_finalize(st);
	cybex_arena_free(a);
	return r;
}

/* Versions linked to a collection: a range scan of its links. */
int
sq_collection_count(struct cybex_store *base, const char *key,
    uint64_t *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	/* The count includes the transaction's pending links. */
	if ((r = sq_flush(s, d)) != 0)
		return r;
	rc = sqlite3_prepare_v2(s->db, "SELECT (SELECT COUNT(*) FROM "
	    "collection_objects o WHERE o.cid = c.cid) FROM collections c "
	    "WHERE c.id = ?1 OR c.alias = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc, d, "counting a collection's objects");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = (uint64_t)sqlite3_column_int64(st, 0);
		r = 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no collection '%s'", key);
	else
		r = sq_err(s, rc, d, "counting a collection's objects");
	sqlite3_finalize(st);
	return r;
}

int
sq_collection_remove(struct cybex_store *base, const char *key,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int64_t cid = 0;
	bool own_tx = !s->in_tx;
	int rc, r;

	rc = sqlite3_prepare_v2(s->db, "SELECT cid, alias FROM collections "
	    "WHERE id = ?1 OR alias = ?1", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, rc, d, "removing a collection");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		cid = sqlite3_column_int64(st, 0);
		if (sqlite3_column_text(st, 1) != NULL &&
		    strcmp((const char *)sqlite3_column_text(st, 1),
		    CYBEX_DEFAULT_COLLECTION) == 0)
			cid = -1;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_err(s, rc, d, "removing a collection");
	if (cid == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no collection '%s'",
		    key);
	if (cid < 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "the default collection "
		    "cannot be removed");
	if (own_tx && (r = sq_exec(s, SQ_BEGIN, d)) != 0)
		return r;
	if ((r = sq_flush(s, d)) != 0)
		goto done;
	rc = sqlite3_prepare_v2(s->db, "DELETE FROM collection_objects WHERE "
	    "cid = ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, cid);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_DONE) {
		rc = sqlite3_prepare_v2(s->db, "DELETE FROM collections WHERE "
		    "cid = ?1", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, cid);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "removing a collection");
	else
		r = sq_gc_orphans(s, d);
 done:
	s->last_cid = 0;
	s->cache_coll[0] = '\0';
	if (own_tx) {
		if (r == 0)
			r = sq_exec(s, SQ_COMMIT, d);
		if (r != 0)
			sq_exec(s, SQ_ROLLBACK, NULL);
	}
	return r;
}

int
sq_collection_set_max_tlp(struct cybex_store *base, const char *key,
    int max_tlp, uint64_t *above, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int changes = 0, rc, r;

	*above = 0;
	if ((r = sq_run(s, d, "changing a collection's TLP ceiling", &changes,
	    "UPDATE collections SET max_tlp = ?2 WHERE id = ?1 OR alias = ?1",
	    "ti", key, (int64_t)max_tlp)) != 0)
		return r;
	/* The ceiling is cached for the transaction (sq_coll). */
	s->cache_coll[0] = '\0';
	if (changes == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no collection '%s'",
		    key);
	if ((r = sq_flush(s, d)) != 0)
		return r;
	rc = sq_prepare(s, &st, "SELECT COUNT(*) FROM collection_objects co "
	    "JOIN collections c ON c.cid = co.cid JOIN objects o ON o.oid = "
	    "co.oid WHERE (c.id = ?1 OR c.alias = ?1) AND o.tlp > ?2", "ti",
	    key, (int64_t)max_tlp);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*above = (uint64_t)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "counting what is "
	    "above a ceiling");
}

int
sq_collection_ceiling(struct cybex_store *base, const char *coll_id,
    int *max_tlp, struct cybex_diag *d)
{
	int64_t cid;

	return sq_coll((struct sq_store *)base, coll_id, &cid, max_tlp, d);
}
