/* SQLite backend: TAXII API roots, status resources and add-objects jobs. */
#include <string.h>

#include "sqlite_int.h"

int
sq_api_root_put(struct cybex_store *base, const struct cybex_api_root *r,
    bool replace, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int rv;

	if (replace)
		return sq_run(s, d, "storing an API root", NULL, "INSERT INTO "
		    "api_roots(name, title, description, max_content_length, "
		    "created_us) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) "
		    "DO UPDATE SET title = ?2, description = ?3, "
		    "max_content_length = ?4", "tttii", r->name, r->title,
		    r->description, r->max_content_length, store_now_us());
	rv = sq_run(s, d, "adding an API root", NULL, "INSERT INTO "
	    "api_roots(name, title, description, max_content_length, "
	    "created_us) VALUES (?1, ?2, ?3, ?4, ?5)", "tttii", r->name,
	    r->title, r->description, r->max_content_length, store_now_us());
	if (rv == CYBEX_ECONFLICT)
		return cybex_diag_set(d, CYBEX_EEXIST, "an API root named '%s' "
		    "exists already", r->name);
	return rv;
}

static const char *
dup(sqlite3_stmt *st, int i, struct cybex_arena *a)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t != NULL ? cybex_arena_strndup(a, t, strlen(t)) : NULL;
}

static void
fill_root(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_api_root *r)
{
	r->name = dup(st, 0, a);
	r->title = dup(st, 1, a);
	r->description = dup(st, 2, a);
	r->max_content_length = sqlite3_column_int64(st, 3);
}

int
sq_api_root_get(struct cybex_store *base, const char *name,
    struct cybex_arena *a, struct cybex_api_root *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	/* On every TAXII request: the statement is kept. */
	rc = sq_prepare_cached(s, &st, "SELECT name, title, description, "
	    "max_content_length FROM api_roots WHERE name = ?1", "t", name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_root(st, a, out);
		r = out->name == NULL ? CYBEX_ENOMEM : 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no API root '%s'", name);
	else
		r = sq_err(s, rc, d, "reading an API root");
	sq_qcache_release(s, st);
	return r;
}

int
sq_api_root_list(struct cybex_store *base, cybex_api_root_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_arena *a = NULL;
	struct cybex_api_root root;
	sqlite3_stmt *st = NULL;
	int rc, r;

	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	rc = sq_prepare(s, &st, "SELECT name, title, description, "
	    "max_content_length FROM api_roots ORDER BY rid", "");
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cybex_arena_reset(a);
		fill_root(st, a, &root);
		if ((r = fn(ud, &root)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing API roots");
	sqlite3_finalize(st);
	cybex_arena_free(a);
	return r;
}

int
sq_status_put(struct cybex_store *base, const struct cybex_status *st,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	r = sq_run(s, d, "storing a status", &n, "INSERT INTO status(id, rid, "
	    "uid, created_us, complete, total, success, failure, pending, "
	    "detail, updated_us) SELECT ?1, rid, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11 FROM api_roots WHERE name = ?2 ON CONFLICT (id) DO UPDATE "
	    "SET complete = ?5, total = ?6, success = ?7, failure = ?8, "
	    "pending = ?9, detail = ?10, updated_us = ?11", "ttiiiiiiiti",
	    st->id, st->api_root != NULL ? st->api_root :
	    CYBEX_DEFAULT_API_ROOT, st->uid, st->created_us,
	    (int64_t)st->complete, (int64_t)st->total, (int64_t)st->success,
	    (int64_t)st->failure, (int64_t)st->pending,
	    st->detail != NULL ? st->detail : "{}", store_now_us());
	if (r == 0 && n == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no API root '%s'",
		    st->api_root);
	return r;
}

int
sq_status_get(struct cybex_store *base, const char *api_root, const char *id,
    struct cybex_arena *a, struct cybex_status *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	const char *t;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT s.id, r.name, s.uid, s.created_us, "
	    "s.complete, s.total, s.success, s.failure, s.pending, s.detail "
	    "FROM status s JOIN api_roots r ON r.rid = s.rid WHERE s.id = ?1 "
	    "AND r.name = ?2", "tt", id, api_root);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		if (t != NULL)
			memcpy(out->id, t, strnlen(t, sizeof(out->id) - 1));
		out->api_root = dup(st, 1, a);
		out->uid = sqlite3_column_int64(st, 2);
		out->created_us = sqlite3_column_int64(st, 3);
		out->complete = sqlite3_column_int(st, 4) != 0;
		out->total = (uint64_t)sqlite3_column_int64(st, 5);
		out->success = (uint64_t)sqlite3_column_int64(st, 6);
		out->failure = (uint64_t)sqlite3_column_int64(st, 7);
		out->pending = (uint64_t)sqlite3_column_int64(st, 8);
		out->detail = dup(st, 9, a);
		r = out->detail == NULL ? CYBEX_ENOMEM : 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no status '%s'", id);
	else
		r = sq_err(s, rc, d, "reading a status");
	sqlite3_finalize(st);
	return r;
}

int
sq_status_job_add(struct cybex_store *base, const char *status_id,
    const char *coll_id, const char *body, size_t len, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	if (s->rdonly)
		return cybex_diag_set(d, CYBEX_EINVAL, "adding a job: the store "
		    "is read-only");
	if (len > INT32_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a job's body may not "
		    "exceed 2 GiB");
	/* The body is bound with its length: it is kept byte for byte. */
	rc = sq_prepare(s, &st, "INSERT INTO status_jobs(status_id, coll, body) "
	    "SELECT id, ?2, ?3 FROM status WHERE id = ?1", "tt", status_id,
	    coll_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 3, len > 0 ? body : "", (int)len,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		r = sqlite3_changes(s->db) == 1 ? 0 : cybex_diag_set(d,
		    CYBEX_ENOTFOUND, "no status '%s' for the job", status_id);
	else if ((rc & 0xff) == SQLITE_CONSTRAINT)
		r = cybex_diag_set(d, CYBEX_EEXIST, "status '%s' has a job "
		    "already", status_id);
	else
		r = sq_err(s, rc, d, "adding a job");
	sqlite3_finalize(st);
	return r;
}

int
sq_status_job_next(struct cybex_store *base, int64_t after,
    struct cybex_arena *a, struct cybex_status_job *out,
    struct cybex_buf *body, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	const char *t;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT j.jid, j.status_id, r.name, j.coll, "
	    "s.uid, s.created_us, j.body FROM status_jobs j JOIN status s ON "
	    "s.id = j.status_id JOIN api_roots r ON r.rid = s.rid WHERE j.jid "
	    "> ?1 ORDER BY j.jid LIMIT 1", "i", after);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->jid = sqlite3_column_int64(st, 0);
		t = (const char *)sqlite3_column_text(st, 1);
		if (t != NULL)
			memcpy(out->status_id, t, strnlen(t,
			    sizeof(out->status_id) - 1));
		out->api_root = dup(st, 2, a);
		out->coll_id = dup(st, 3, a);
		out->uid = sqlite3_column_int64(st, 4);
		out->created_us = sqlite3_column_int64(st, 5);
		t = sqlite3_column_blob(st, 6);
		r = out->api_root == NULL || out->coll_id == NULL ?
		    CYBEX_ENOMEM : 0;
		if (r == 0 && cybex_buf_append(body, t != NULL ? t : "",
		    (size_t)sqlite3_column_bytes(st, 6)) != 0)
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "the body of job "
			    "%lld does not fit the buffer", (long long)out->jid);
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no job after %lld",
		    (long long)after);
	else
		r = sq_err(s, rc, d, "reading a job");
	sqlite3_finalize(st);
	return r;
}

int
sq_status_job_remove(struct cybex_store *base, const char *status_id,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	r = sq_run(s, d, "removing a job", &n, "DELETE FROM status_jobs WHERE "
	    "status_id = ?1", "t", status_id);
	if (r == 0 && n == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "status '%s' has no "
		    "job", status_id);
	return r;
}

int
sq_status_job_count(struct cybex_store *base, uint64_t *out,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sq_prepare(s, &st, "SELECT COUNT(*) FROM status_jobs", "");
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (uint64_t)sqlite3_column_int64(st, 0);
	else
		r = sq_err(s, rc, d, "counting jobs");
	sqlite3_finalize(st);
	return r;
}

int
sq_status_expire(struct cybex_store *base, int64_t before_us,
    uint64_t max_bytes, uint64_t *removed, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n1 = 0, n2 = 0, r;

	r = sq_run(s, d, "expiring statuses", &n1, "DELETE FROM status WHERE "
	    "complete = 1 AND updated_us < ?1 AND id NOT IN (SELECT status_id "
	    "FROM status_jobs)", "i", before_us);
	/* Newest first: what is past the bound, counted from them, goes. */
	if (r == 0 && max_bytes > 0)
		r = sq_run(s, d, "expiring statuses", &n2, "DELETE FROM status "
		    "WHERE id IN (SELECT id FROM (SELECT id, SUM(length(CAST("
		    "detail AS BLOB))) OVER (ORDER BY updated_us DESC, id DESC "
		    "ROWS UNBOUNDED PRECEDING) AS upto FROM status WHERE "
		    "complete = 1 AND id NOT IN (SELECT status_id FROM "
		    "status_jobs)) WHERE upto > ?1)", "i", (int64_t)max_bytes);
	*removed = (uint64_t)n1 + (uint64_t)n2;
	return r;
}
