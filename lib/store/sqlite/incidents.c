/*
 * SQLite backend: the incident index (schema 14).  Listing walks one of
 * the (filter column, seq) indexes backwards from the page token, so a
 * page costs the same whether it is the first or the ten-thousandth.  The
 * SQL of a listing is put together from fixed pieces, one per filter set;
 * every value is a bound parameter.
 */
#include <string.h>

#include "sqlite_int.h"

static const char *
col_text(sqlite3_stmt *st, int i, struct cybex_arena *a)
{
	const char *v = (const char *)sqlite3_column_text(st, i);

	if (v == NULL)
		return NULL;
	return cybex_arena_strndup(a, v, strlen(v));
}

#define ROW_COLS "seq, id, modified, status, severity, priority, assignee, " \
	"org, class, type, tlp, title, created_us, updated_us"

/* Fill r from a row of ROW_COLS; strings in a (NULL: valid until step). */
static int
fill_row(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_incident_row *r)
{
	memset(r, 0, sizeof(*r));
	r->seq = sqlite3_column_int64(st, 0);
	if (a != NULL) {
		r->id = col_text(st, 1, a);
		r->modified = col_text(st, 2, a);
		r->status = col_text(st, 3, a);
		r->assignee = col_text(st, 6, a);
		r->org = col_text(st, 7, a);
		r->class = col_text(st, 8, a);
		r->type = col_text(st, 9, a);
		r->title = col_text(st, 11, a);
		if (r->id == NULL || r->modified == NULL || r->status == NULL ||
		    r->title == NULL)
			return CYBEX_ENOMEM;
	} else {
		r->id = (const char *)sqlite3_column_text(st, 1);
		r->modified = (const char *)sqlite3_column_text(st, 2);
		r->status = (const char *)sqlite3_column_text(st, 3);
		r->assignee = (const char *)sqlite3_column_text(st, 6);
		r->org = (const char *)sqlite3_column_text(st, 7);
		r->class = (const char *)sqlite3_column_text(st, 8);
		r->type = (const char *)sqlite3_column_text(st, 9);
		r->title = (const char *)sqlite3_column_text(st, 11);
	}
	r->severity = sqlite3_column_int(st, 4);
	r->priority = sqlite3_column_int(st, 5);
	r->tlp = sqlite3_column_int(st, 10);
	r->created_us = sqlite3_column_int64(st, 12);
	r->updated_us = sqlite3_column_int64(st, 13);
	return 0;
}

static int
sq_incident_put(struct cybex_store *base, const struct cybex_incident_row *r,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;

	/* The seq of an incident stays: listing order is creation order. */
	return sq_run(s, d, "indexing an incident", NULL,
	    "INSERT INTO incidents(id, modified, status, closed, severity, "
	    "priority, assignee, org, class, type, tlp, title, created_us, "
	    "updated_us) VALUES (?1, ?2, ?3, ?3 = 'closed', ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT(id) DO UPDATE SET "
	    "modified = ?2, status = ?3, closed = ?3 = 'closed', "
	    "severity = ?4, priority = ?5, assignee = ?6, org = ?7, "
	    "class = ?8, type = ?9, tlp = ?10, title = ?11, "
	    "updated_us = ?13", "tttiittttitii", r->id, r->modified,
	    r->status, (int64_t)r->severity, (int64_t)r->priority,
	    r->assignee, r->org, r->class, r->type, (int64_t)r->tlp,
	    r->title, r->created_us, r->updated_us);
}

static int
sq_incident_get(struct cybex_store *base, const char *id,
    struct cybex_arena *a, struct cybex_incident_row *out,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT " ROW_COLS " FROM incidents WHERE "
	    "id = ?1", "t", id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = fill_row(st, a, out);
	else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no incident '%s'", id);
	else
		r = sq_err(s, rc, d, "reading an incident");
	sqlite3_finalize(st);
	return r;
}

static int
bind_name(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	return i == 0 ? SQLITE_OK : sqlite3_bind_text(st, i, v, -1,
	    SQLITE_TRANSIENT);
}

static int
bind_name_int(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	return i == 0 ? SQLITE_OK : sqlite3_bind_int64(st, i, v);
}

static int
sq_incident_list(struct cybex_store *base,
    const struct cybex_incident_filter *f, cybex_incident_row_fn fn,
    void *ud, struct cybex_page *page, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_incident_row row;
	struct cybex_buf sql;
	sqlite3_stmt *st = NULL;
	int64_t after = INT64_MAX;
	size_t limit = f->limit, n = 0;
	int rc = SQLITE_OK, r = 0;

	memset(page, 0, sizeof(*page));
	if (limit == 0 || limit > CYBEX_QUERY_LIMIT_MAX)
		limit = CYBEX_QUERY_LIMIT_MAX;
	if (f->next != NULL && store_token_decode(f->next, 'i', &after) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "bad page token '%s'",
		    f->next);
	cybex_buf_init(&sql, 4096);
	/* Fixed pieces only: which ones depends on the filters set. */
	if (cybex_buf_puts(&sql, "SELECT " ROW_COLS " FROM incidents WHERE "
	    "seq < :after") != 0 ||
	    (f->status != NULL && cybex_buf_puts(&sql,
	    " AND status = :status") != 0) ||
	    (f->open_only && cybex_buf_puts(&sql, " AND closed = 0") != 0) ||
	    (f->severity != 0 && cybex_buf_puts(&sql,
	    " AND severity = :severity") != 0) ||
	    (f->assignee != NULL && cybex_buf_puts(&sql,
	    " AND assignee = :assignee") != 0) ||
	    (f->org != NULL && cybex_buf_puts(&sql, " AND org = :org") != 0) ||
	    (f->class != NULL && cybex_buf_puts(&sql,
	    " AND class = :class") != 0) ||
	    (f->text != NULL && cybex_buf_puts(&sql,
	    " AND instr(lower(title), lower(:text)) > 0") != 0) ||
	    cybex_buf_puts(&sql, " ORDER BY seq DESC LIMIT :limit") != 0) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	rc = sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_name_int(st, ":after", after);
	if (rc == SQLITE_OK)
		rc = bind_name(st, ":status", f->status);
	if (rc == SQLITE_OK)
		rc = bind_name_int(st, ":severity", f->severity);
	if (rc == SQLITE_OK)
		rc = bind_name(st, ":assignee", f->assignee);
	if (rc == SQLITE_OK)
		rc = bind_name(st, ":org", f->org);
	if (rc == SQLITE_OK)
		rc = bind_name(st, ":class", f->class);
	if (rc == SQLITE_OK)
		rc = bind_name(st, ":text", f->text);
	/* One more than asked: whether there is a next page. */
	if (rc == SQLITE_OK)
		rc = bind_name_int(st, ":limit", (int64_t)limit + 1);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((r = fill_row(st, NULL, &row)) != 0)
			goto out;
		if (n == limit) {
			page->more = true;
			break;
		}
		if ((r = fn(ud, &row)) != 0)
			goto out;
		n++;
		store_token_encode('i', row.seq, page->next,
		    sizeof(page->next));
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing incidents");
 out:
	if (!page->more)
		page->next[0] = '\0';
	page->count = n;
	sqlite3_finalize(st);
	cybex_buf_free(&sql);
	return r;
}

static int
sq_incident_link(struct cybex_store *base, const struct cybex_incident_link *l,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int r;

	r = sq_run(s, d, "linking to an incident", NULL, "INSERT INTO "
	    "incident_links(incident, ref, kind, rel, added_us) VALUES (?1, "
	    "?2, ?3, ?4, ?5)", "ttiti", l->incident, l->ref, (int64_t)l->kind,
	    l->rel, l->added_us);
	if (r == CYBEX_ECONFLICT)
		return cybex_diag_set(d, CYBEX_EEXIST, "'%s' is linked to %s "
		    "already", l->ref, l->incident);
	return r;
}

static int
sq_incident_unlink(struct cybex_store *base, const char *incident,
    const char *ref, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int changes = 0, r;

	if ((r = sq_run(s, d, "unlinking from an incident", &changes,
	    "DELETE FROM incident_links WHERE incident = ?1 AND ref = ?2",
	    "tt", incident, ref)) != 0)
		return r;
	if (changes == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "'%s' is not linked "
		    "to %s", ref, incident);
	return 0;
}

static int
walk_links(struct sq_store *s, sqlite3_stmt *st, int rc,
    cybex_incident_link_fn fn, void *ud, struct cybex_diag *d)
{
	struct cybex_incident_link l;
	int r = 0;

	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		l.incident = (const char *)sqlite3_column_text(st, 0);
		l.ref = (const char *)sqlite3_column_text(st, 1);
		l.kind = sqlite3_column_int(st, 2);
		l.rel = (const char *)sqlite3_column_text(st, 3);
		l.added_us = sqlite3_column_int64(st, 4);
		if ((r = fn(ud, &l)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "reading incident links");
	sqlite3_finalize(st);
	return r;
}

static int
sq_incident_links(struct cybex_store *base, const char *incident, int kind,
    cybex_incident_link_fn fn, void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sq_prepare(s, &st, "SELECT incident, ref, kind, rel, added_us "
	    "FROM incident_links WHERE incident = ?1 AND (?2 = 0 OR "
	    "kind = ?2) ORDER BY added_us, ref", "ti", incident,
	    (int64_t)kind);
	return walk_links(s, st, rc, fn, ud, d);
}

static int
sq_incident_by_ref(struct cybex_store *base, const char *ref,
    cybex_incident_link_fn fn, void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sq_prepare(s, &st, "SELECT incident, ref, kind, rel, added_us "
	    "FROM incident_links WHERE ref = ?1 ORDER BY added_us, incident",
	    "t", ref);
	return walk_links(s, st, rc, fn, ud, d);
}

const struct store_incident_ops sq_incident_ops = {
	.abi = STORE_INCIDENT_OPS_ABI,
	.put = sq_incident_put,
	.get = sq_incident_get,
	.list = sq_incident_list,
	.link = sq_incident_link,
	.unlink = sq_incident_unlink,
	.links = sq_incident_links,
	.by_ref = sq_incident_by_ref,
};
