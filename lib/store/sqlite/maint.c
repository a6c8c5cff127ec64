/* SQLite backend: statistics and the consistency check. */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

static int
scalar(struct sq_store *s, const char *sqltext, int64_t *out,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	rc = sqlite3_prepare_v2(s->db, sqltext, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "reading statistics");
}

static int
counts(struct sq_store *s, const char *sqltext, int kind, cybex_count_fn fn,
    void *ud, struct cybex_diag *d)
{
	struct cybex_store_count c;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	if ((rc = sqlite3_prepare_v2(s->db, sqltext, -1, &st, NULL)) !=
	    SQLITE_OK)
		return sq_err(s, rc, d, "reading statistics");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.name = (const char *)sqlite3_column_text(st, 0);
		c.objects = (uint64_t)sqlite3_column_int64(st, 1);
		c.versions = (uint64_t)sqlite3_column_int64(st, 2);
		if ((r = fn(ud, kind, &c)) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (r != 0)
		return r;
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "reading statistics");
}

int
sq_stats(struct cybex_store *base, cybex_count_fn fn, void *ud,
    struct cybex_store_stats *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int64_t v, pages, psize;
	int r;

	if ((r = sq_flush(s, d)) != 0)
		return r;
	if ((r = scalar(s, "SELECT COUNT(DISTINCT id) FROM objects", &v,
	    d)) != 0)
		return r;
	out->objects = (uint64_t)v;
	if ((r = scalar(s, "SELECT COUNT(*) FROM objects", &v, d)) != 0)
		return r;
	out->versions = (uint64_t)v;
	if ((r = scalar(s, "SELECT COUNT(*) FROM collections", &v, d)) != 0)
		return r;
	out->collections = (uint64_t)v;
	if ((r = scalar(s, "PRAGMA page_count", &pages, d)) != 0 ||
	    (r = scalar(s, "PRAGMA page_size", &psize, d)) != 0)
		return r;
	out->bytes_on_disk = (uint64_t)(pages * psize);
	out->schema_version = s->schema;
	if (fn == NULL)
		return 0;
	if ((r = counts(s, "SELECT type, COUNT(DISTINCT id), COUNT(*) FROM "
	    "objects GROUP BY type ORDER BY type", CYBEX_COUNT_TYPE, fn, ud,
	    d)) != 0)
		return r;
	return counts(s, "SELECT COALESCE(c.alias, c.id), COUNT(DISTINCT "
	    "o.id), COUNT(co.oid) FROM collections c LEFT JOIN "
	    "collection_objects co ON co.cid = c.cid LEFT JOIN objects o ON "
	    "o.oid = co.oid GROUP BY c.cid ORDER BY c.cid",
	    CYBEX_COUNT_COLLECTION, fn, ud, d);
}

struct problem_ctx {
	cybex_diag_fn	 fn;
	void		*ud;
	unsigned	 n;
};

static void
problem(struct problem_ctx *p, const char *label, const char *what)
{
	struct cybex_diag pd;

	p->n++;
	if (p->fn == NULL)
		return;
	cybex_diag_clear(&pd);
	cybex_diag_set(&pd, CYBEX_EDB, "%s%s", label, what);
	p->fn(p->ud, &pd);
}

/* Each row of sqltext is one problem, described by its first column. */
static int
rows_are_problems(struct sq_store *s, struct problem_ctx *p,
    const char *sqltext, const char *label, const char *skip,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	const char *t;
	int rc;

	if ((rc = sqlite3_prepare_v2(s->db, sqltext, -1, &st, NULL)) !=
	    SQLITE_OK)
		return sq_err(s, rc, d, "checking the database");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		if (skip != NULL && t != NULL && strcmp(t, skip) == 0)
			continue;
		problem(p, label, t != NULL ? t : "?");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "checking the "
	    "database");
}

int
sq_check(struct cybex_store *base, cybex_diag_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct problem_ctx p = { fn, ud, 0 };
	int r;

	if ((r = sq_flush(s, d)) != 0)
		return r;
	/* SQLite's own check of pages, indexes and constraints. */
	if ((r = rows_are_problems(s, &p, "PRAGMA integrity_check",
	    "integrity: ", "ok", d)) != 0 ||
	    (r = rows_are_problems(s, &p, "PRAGMA foreign_key_check",
	    "foreign key broken in table ", NULL, d)) != 0)
		return r;
	/* cybex's invariants. */
	if ((r = rows_are_problems(s, &p, "SELECT id || ' ' || version FROM "
	    "objects o WHERE NOT EXISTS (SELECT 1 FROM collection_objects c "
	    "WHERE c.oid = o.oid)", "version in no collection: ", NULL,
	    d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT c.id FROM collections c "
	    "WHERE c.last_added_us < (SELECT MAX(date_added) FROM "
	    "collection_objects co WHERE co.cid = c.cid)",
	    "last date_added is behind its objects in collection ", NULL,
	    d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT id || ' ' || version FROM "
	    "objects GROUP BY idh, id, version, json HAVING COUNT(*) > 1",
	    "version stored twice: ", NULL, d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT o.id || ' ' || o.version || "
	    "' in collection ' || c.id FROM collection_objects co JOIN objects "
	    "o ON o.oid = co.oid JOIN collections c ON c.cid = co.cid GROUP BY "
	    "co.cid, o.idh, o.id, o.version HAVING COUNT(*) > 1",
	    "two contents of one version: ", NULL, d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT id FROM objects WHERE idh != "
	    "cybex_idh(id)", "wrong id hash: ", NULL, d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT 'default' WHERE NOT EXISTS "
	    "(SELECT 1 FROM collections WHERE alias = 'default')",
	    "missing collection: ", NULL, d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT id FROM objects WHERE "
	    "json NOT LIKE '{%' OR length(json) < 2", "stored JSON is not an "
	    "object: ", NULL, d)) != 0)
		return r;
	/* Alerts and sighting aggregation (schema 5). */
	if ((r = rows_are_problems(s, &p, "SELECT id FROM alerts WHERE "
	    "first_seen_us > last_seen_us OR hits < 1 OR severity NOT BETWEEN "
	    "1 AND 4 OR json_type(parties) IS NOT 'array' OR json_type(evidence) "
	    "IS NOT 'object'", "alert with impossible values: ", NULL,
	    d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT id FROM sighting_state WHERE "
	    "first_seen_us > last_seen_us OR hits < written_hits OR "
	    "written_hits < 0", "sighting counts with impossible values: ",
	    NULL, d)) != 0 ||
	    (r = rows_are_problems(s, &p, "SELECT id FROM sighting_state s "
	    "WHERE modified_us > 0 AND NOT EXISTS (SELECT 1 FROM objects o "
	    "WHERE o.idh = cybex_idh(s.id) AND o.id = s.id)",
	    "sighting counted as written but not stored: ", NULL, d)) != 0)
		return r;
	if (p.n > 0)
		return cybex_diag_set(d, CYBEX_EDB, "%u problem%s found", p.n,
		    p.n == 1 ? "" : "s");
	return 0;
}
