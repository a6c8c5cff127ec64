/*
 * SQLite backend: the asset inventory (table assets, schema 16).  An
 * absent CPE, purl or version is '' in the table, so that the UNIQUE
 * constraint sees it (NULLs are all distinct in SQLite).
 */
#include <string.h>

#include "sqlite_int.h"

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static const char *
or_null(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t != NULL && *t != '\0' ? t : NULL;
}

/* 1 when org exists, 0 when not. */
static int
org_exists(struct sq_store *s, const char *org, struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT 1 FROM orgs WHERE name = ?1", "t",
	    org);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		r = 1;
	else if (rc == SQLITE_DONE)
		r = 0;
	else
		r = sq_err(s, rc, d, "looking up an organization");
	sqlite3_finalize(st);
	return r;
}

static int
no_org(struct cybex_diag *d, const char *org)
{
	return cybex_diag_set(d, CYBEX_ENOTFOUND, "no organization '%s'", org);
}

static int
sq_asset_add(struct cybex_store *base, const struct cybex_asset *a,
    bool *added, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int changes = 0, r;

	*added = false;
	if (s->rdonly)
		return cybex_diag_set(d, CYBEX_EINVAL, "the store is read-only");
	if ((r = org_exists(s, a->org, d)) <= 0)
		return r == 0 ? no_org(d, a->org) : r;
	r = sq_run(s, d, "adding an asset", &changes, "INSERT OR IGNORE INTO "
	    "assets(oid, cpe, purl, version, name, source, created_us) "
	    "SELECT oid, ?2, ?3, ?4, ?5, ?6, ?7 FROM orgs WHERE name = ?1",
	    "tttttti", a->org, or_empty(a->cpe), or_empty(a->purl),
	    or_empty(a->version), a->name, a->source, store_now_us());
	if (r == 0)
		*added = changes > 0;
	return r;
}

static int
sq_asset_list(struct cybex_store *base, const char *org, cybex_asset_fn fn,
    void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_asset a;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	if (org != NULL && (r = org_exists(s, org, d)) <= 0)
		return r == 0 ? no_org(d, org) : r;
	r = 0;		/* an organization without assets lists nothing */
	rc = sq_prepare(s, &st, "SELECT a.aid, o.name, a.cpe, a.purl, "
	    "a.version, a.name, a.source, a.created_us FROM assets a JOIN "
	    "orgs o ON o.oid = a.oid WHERE ?1 IS NULL OR o.name = ?1 "
	    "ORDER BY o.name, a.cpe, a.purl, a.version, a.aid", "t", org);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		a.id = sqlite3_column_int64(st, 0);
		a.org = (const char *)sqlite3_column_text(st, 1);
		a.cpe = or_null(st, 2);
		a.purl = or_null(st, 3);
		a.version = or_null(st, 4);
		a.name = or_null(st, 5);
		a.source = or_null(st, 6);
		a.created_us = sqlite3_column_int64(st, 7);
		if ((r = fn(ud, &a)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing assets");
	sqlite3_finalize(st);
	return r;
}

static int
sq_asset_remove(struct cybex_store *base, const char *org, int64_t id,
    uint64_t *removed, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int changes = 0, r;

	*removed = 0;
	if (s->rdonly)
		return cybex_diag_set(d, CYBEX_EINVAL, "the store is read-only");
	if ((r = org_exists(s, org, d)) <= 0)
		return r == 0 ? no_org(d, org) : r;
	r = sq_run(s, d, "removing assets", &changes, "DELETE FROM assets "
	    "WHERE oid = (SELECT oid FROM orgs WHERE name = ?1) AND "
	    "(?2 = 0 OR aid = ?2)", "ti", org, id);
	if (r != 0)
		return r;
	if (id > 0 && changes == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "organization '%s' "
		    "has no asset %lld", org, (long long)id);
	*removed = (uint64_t)changes;
	return 0;
}

const struct store_asset_ops sq_asset_ops = {
	.abi = STORE_ASSET_ABI,
	.asset_add = sq_asset_add,
	.asset_list = sq_asset_list,
	.asset_remove = sq_asset_remove,
};
