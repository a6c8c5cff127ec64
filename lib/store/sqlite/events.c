/*
 * SQLite backend: member organizations and their users, alerts (merged by
 * (org, key) while open) and the aggregation state of sightings.
 *
 * Alerts and sighting states are written in batches by the analysis
 * pipeline inside one transaction; the statements used per row are
 * prepared once per handle (struct sq_events) rather than per call.
 * Functions that write several rows make their own transaction when the
 * caller has none, and a savepoint inside the caller's otherwise, so each
 * call is all or nothing either way.
 */
#include <string.h>

#include "sqlite_int.h"

enum ev_stmt {
	EV_ALERT_FIND,
	EV_ALERT_INSERT,
	EV_ALERT_UPDATE,
	EV_ALERT_ORG,
	EV_SIGHT_MERGE,
	EV_SIGHT_GET,
	EV_SIGHT_WRITTEN,
	EV_COOP_NOTE,
	EV_COOP_COUNT,
	EV_N
};

static const char *const ev_sql[EV_N] = {
	[EV_ALERT_FIND] = "SELECT aid, id, first_seen_us, last_seen_us, hits, "
	    "severity, tlp FROM alerts WHERE org = ?1 AND key = ?2 AND "
	    "closed_us = 0",
	[EV_ALERT_INSERT] = "INSERT INTO alerts(id, org, key, detector, class, "
	    "type, severity, summary, sensor, first_seen_us, last_seen_us, "
	    "hits, parties, evidence, tlp, created_us, updated_us) VALUES (?1, "
	    "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
	    "?16, ?16)",
	/* ?9: the incoming alert is the later one and describes it now. */
	[EV_ALERT_UPDATE] = "UPDATE alerts SET hits = ?2, first_seen_us = ?3, "
	    "last_seen_us = ?4, severity = ?5, tlp = ?6, updated_us = ?7, "
	    "summary = CASE WHEN ?9 THEN ?10 ELSE summary END, "
	    "parties = CASE WHEN ?9 THEN ?11 ELSE parties END, "
	    "evidence = CASE WHEN ?9 THEN ?12 ELSE evidence END, "
	    "sensor = CASE WHEN ?9 THEN ?13 ELSE sensor END, "
	    "class = CASE WHEN ?9 THEN ?14 ELSE class END, "
	    "type = CASE WHEN ?9 THEN ?15 ELSE type END, "
	    "detector = CASE WHEN ?9 THEN ?16 ELSE detector END "
	    "WHERE id = ?1 AND closed_us = 0 AND hits = ?17 AND "
	    "first_seen_us = ?18 AND last_seen_us = ?19 AND severity = ?20 "
	    "AND tlp = ?21 RETURNING aid",
	[EV_ALERT_ORG] = "INSERT OR IGNORE INTO alert_orgs(org, aid) VALUES "
	    "(?1, ?2)",
	/*
	 * A run's first merge keeps the last_seen it found as its guard (the
	 * right-hand sides see the row as it was before the update).
	 */
	[EV_SIGHT_MERGE] = "INSERT INTO sighting_state(id, indicator, sensor, "
	    "org, hits, first_seen_us, last_seen_us, created_us, sample, run, "
	    "guard_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
	    "ON CONFLICT (id) DO UPDATE SET guard_us = CASE WHEN run = "
	    "excluded.run THEN guard_us ELSE last_seen_us END, run = "
	    "excluded.run, hits = hits + excluded.hits, first_seen_us = "
	    "MIN(first_seen_us, excluded.first_seen_us), last_seen_us = "
	    "MAX(last_seen_us, excluded.last_seen_us), sample = "
	    "COALESCE(excluded.sample, sample) RETURNING id, indicator, sensor, "
	    "org, hits, first_seen_us, last_seen_us, created_us, modified_us, "
	    "written_hits, sample, run, guard_us",
	[EV_SIGHT_GET] = "SELECT id, indicator, sensor, org, hits, "
	    "first_seen_us, last_seen_us, created_us, modified_us, "
	    "written_hits, sample, run, guard_us FROM sighting_state WHERE "
	    "id = ?1",
	[EV_SIGHT_WRITTEN] = "UPDATE sighting_state SET modified_us = ?2, "
	    "written_hits = ?3 WHERE id = ?1",
	[EV_COOP_NOTE] = "INSERT INTO coop_seen(subject, org, hits, "
	    "first_seen_us, last_seen_us) VALUES (?1, ?2, ?3, ?4, ?5) ON "
	    "CONFLICT (subject, org) DO UPDATE SET hits = hits + excluded.hits, "
	    "first_seen_us = MIN(first_seen_us, excluded.first_seen_us), "
	    "last_seen_us = MAX(last_seen_us, excluded.last_seen_us)",
	/* The organizations that saw subject, and whether org is one. */
	[EV_COOP_COUNT] = "SELECT COUNT(*), COALESCE(MAX(org = ?2), 0) FROM "
	    "coop_seen WHERE subject = ?1",
};

struct sq_events {
	sqlite3_stmt	*st[EV_N];
};

void
sq_events_close(struct sq_store *s)
{
	size_t i;

	if (s->ev == NULL)
		return;
	for (i = 0; i < EV_N; i++)
		sqlite3_finalize(s->ev->st[i]);
	cybex_free(s->ev);
	s->ev = NULL;
}

/* Statement k, reset and unbound, or NULL with d set. */
static sqlite3_stmt *
ev_stmt(struct sq_store *s, enum ev_stmt k, struct cybex_diag *d)
{
	int rc;

	if (s->ev == NULL && (s->ev = cybex_calloc(1, sizeof(*s->ev))) ==
	    NULL) {
		cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		return NULL;
	}
	if (s->ev->st[k] == NULL) {
		rc = sqlite3_prepare_v3(s->db, ev_sql[k], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->ev->st[k], NULL);
		if (rc != SQLITE_OK) {
			sq_err(s, rc, d, "preparing a statement");
			return NULL;
		}
	}
	sqlite3_reset(s->ev->st[k]);
	sqlite3_clear_bindings(s->ev->st[k]);
	return s->ev->st[k];
}

static int
stmt_failed(struct cybex_diag *d)
{
	return d != NULL && d->code != 0 ? d->code : CYBEX_EDB;
}

static int
writable(struct sq_store *s, struct cybex_diag *d)
{
	return s->rdonly ? cybex_diag_set(d, CYBEX_EINVAL, "the store is "
	    "read-only") : 0;
}

/* All or nothing: a transaction of our own, or a savepoint in the
 * caller's. */
static int
tx_enter(struct sq_store *s, bool *own, struct cybex_diag *d)
{
	*own = !s->in_tx;
	return sq_exec_sql(s, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT ev", d);
}

static int
tx_leave(struct sq_store *s, bool own, int r, struct cybex_diag *d)
{
	if (r == 0 && (r = sq_exec_sql(s, own ? "COMMIT" : "RELEASE ev",
	    d)) == 0)
		return 0;
	sqlite3_exec(s->db, own ? "ROLLBACK" : "ROLLBACK TO ev; RELEASE ev",
	    NULL, NULL, NULL);
	return r;
}

static const char *
col_dup(sqlite3_stmt *st, int i, struct cybex_arena *a)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	return t != NULL ? cybex_arena_strndup(a, t, strlen(t)) : NULL;
}

/* Organizations are stored as '' when there is none (NULLs are distinct
 * in a unique index, so an open hub alert could not be found again). */
static const char *
org_in(const char *org)
{
	return org != NULL ? org : "";
}

/* ---- organizations ---- */

int
sq_org_add(struct cybex_store *base, const char *name, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int r;

	r = sq_run(s, d, "adding an organization", NULL, "INSERT INTO "
	    "orgs(name, created_us) VALUES (?1, ?2)", "ti", name,
	    store_now_us());
	if (r == CYBEX_ECONFLICT)
		return cybex_diag_set(d, CYBEX_EEXIST, "an organization named "
		    "'%s' exists already", name);
	return r;
}

static int	named_exists(struct sq_store *, const char *, const char *,
		    struct cybex_diag *);

/* What the store holds under an organization's name: alerts (its own and
 * those that name it) and analysis state (sightings, cooperative notes). */
static int
org_state(struct sq_store *s, const char *name, int64_t *alerts,
    int64_t *state, struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sq_prepare(s, &st, "SELECT (SELECT COUNT(*) FROM alerts WHERE "
	    "org = ?1) + (SELECT COUNT(*) FROM alert_orgs WHERE org = ?1), "
	    "(SELECT COUNT(*) FROM sighting_state WHERE org = ?1) + (SELECT "
	    "COUNT(*) FROM coop_seen WHERE org = ?1)", "t", name);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*alerts = sqlite3_column_int64(st, 0);
		*state = sqlite3_column_int64(st, 1);
	} else
		r = sq_err(s, rc, d, "reading an organization's alerts");
	sqlite3_finalize(st);
	return r;
}

int
sq_org_remove(struct cybex_store *base, const char *name, unsigned flags,
    struct cybex_diag *d)
{
	static const char *const purge[] = {
		"DELETE FROM alerts WHERE org = ?1",
		"DELETE FROM alert_orgs WHERE org = ?1",
		"DELETE FROM sighting_state WHERE org = ?1",
		"DELETE FROM coop_seen WHERE org = ?1",
	};
	struct sq_store *s = (struct sq_store *)base;
	int64_t alerts = 0, state = 0;
	size_t i;
	bool own;
	int r;

	if ((flags & ~CYBEX_ORG_PURGE) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "unknown flags 0x%x",
		    flags);
	if ((r = writable(s, d)) != 0 || (r = tx_enter(s, &own, d)) != 0)
		return r;
	if ((r = named_exists(s, "SELECT 1 FROM orgs WHERE name = ?1", name,
	    d)) <= 0) {
		if (r == 0)
			r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no "
			    "organization '%s'", name);
		goto out;
	}
	if ((r = org_state(s, name, &alerts, &state, d)) != 0)
		goto out;
	/*
	 * Alerts and state are found by the name: a new organization of the
	 * same name would inherit them.  So they go with it, or it stays.
	 */
	if ((alerts > 0 || state > 0) && !(flags & CYBEX_ORG_PURGE)) {
		r = cybex_diag_set(d, CYBEX_ECONFLICT, "organization '%s' "
		    "still has %lld alert%s and %lld sighting or cooperative "
		    "record%s; removing it with them (purge) deletes them all",
		    name, (long long)alerts, alerts == 1 ? "" : "s",
		    (long long)state, state == 1 ? "" : "s");
		goto out;
	}
	for (i = 0; r == 0 && (flags & CYBEX_ORG_PURGE) &&
	    i < sizeof(purge) / sizeof(purge[0]); i++)
		r = sq_run(s, d, "purging an organization", NULL, purge[i],
		    "t", name);
	if (r == 0)
		r = sq_run(s, d, "removing an organization", NULL, "DELETE "
		    "FROM org_members WHERE oid = (SELECT oid FROM orgs WHERE "
		    "name = ?1)", "t", name);
	if (r == 0)
		r = sq_run(s, d, "removing an organization", NULL, "DELETE "
		    "FROM orgs WHERE name = ?1", "t", name);
 out:
	return tx_leave(s, own, r, d);
}

int
sq_org_list(struct cybex_store *base, cybex_org_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_org o;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sq_prepare(s, &st, "SELECT o.name, o.created_us, (SELECT "
	    "COUNT(*) FROM org_members m WHERE m.oid = o.oid) FROM orgs o "
	    "ORDER BY o.name", "");
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		o.name = (const char *)sqlite3_column_text(st, 0);
		o.created_us = sqlite3_column_int64(st, 1);
		o.members = (uint64_t)sqlite3_column_int64(st, 2);
		if ((r = fn(ud, &o)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing organizations");
	sqlite3_finalize(st);
	return r;
}

/* 1 when a row of table (users, orgs) has this name, 0 when not. */
static int
named_exists(struct sq_store *s, const char *sql, const char *name,
    struct cybex_diag *d)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sq_prepare(s, &st, sql, "t", name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "reading accounts");
}

int
sq_org_member(struct cybex_store *base, const char *org, const char *user,
    unsigned rights, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n = 0, r;

	if ((r = named_exists(s, "SELECT 1 FROM users WHERE name = ?1", user,
	    d)) <= 0)
		return r < 0 ? r : cybex_diag_set(d, CYBEX_ENOTFOUND, "no user "
		    "'%s'", user);
	if (org == NULL)
		return sq_run(s, d, "leaving an organization", NULL, "DELETE "
		    "FROM org_members WHERE uid = (SELECT uid FROM users WHERE "
		    "name = ?1)", "t", user);
	r = sq_run(s, d, "joining an organization", &n, "INSERT INTO "
	    "org_members(uid, oid, rights) SELECT u.uid, o.oid, ?3 FROM users "
	    "u, orgs o WHERE u.name = ?1 AND o.name = ?2 ON CONFLICT (uid) DO "
	    "UPDATE SET oid = excluded.oid, rights = excluded.rights", "tti",
	    user, org, (int64_t)rights);
	if (r == 0 && n == 0)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no organization '%s'",
		    org);
	return r;
}

int
sq_user_org(struct cybex_store *base, int64_t uid, struct cybex_arena *a,
    const char **org, unsigned *rights, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sq_prepare(s, &st, "SELECT o.name, m.rights FROM org_members m "
	    "JOIN orgs o ON o.oid = m.oid WHERE m.uid = ?1", "i", uid);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((*org = col_dup(st, 0, a)) == NULL)
			r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		*rights = (unsigned)sqlite3_column_int(st, 1);
	} else if (rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "reading a membership");
	sqlite3_finalize(st);
	return r;
}

/* ---- alerts ---- */

/*
 * The open alert of (org, key): 1 found (its scalars and id in *o), 0
 * none.  The merge is store.c's (cybex_store_alert_merge); here it is
 * only found and written.
 */
int
sq_alert_find(struct cybex_store *base, const char *org, const char *key,
    struct cybex_alert_row *o, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st;
	const char *t;
	int rc;

	if ((st = ev_stmt(s, EV_ALERT_FIND, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, org_in(org), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 1);
		snprintf(o->id, sizeof(o->id), "%s", t != NULL ? t : "");
		o->first_seen_us = sqlite3_column_int64(st, 2);
		o->last_seen_us = sqlite3_column_int64(st, 3);
		o->count = (uint64_t)sqlite3_column_int64(st, 4);
		o->severity = sqlite3_column_int(st, 5);
		o->tlp = sqlite3_column_int(st, 6);
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "finding an alert");
}

static int
alert_insert(struct sq_store *s, const struct cybex_alert_row *a,
    int64_t *aid, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = ev_stmt(s, EV_ALERT_INSERT, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, org_in(a->org), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->detector, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->taxonomy_class, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, a->taxonomy_type, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, a->severity);
	sqlite3_bind_text(st, 8, a->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, a->sensor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, a->first_seen_us);
	sqlite3_bind_int64(st, 11, a->last_seen_us);
	sqlite3_bind_int64(st, 12, (int64_t)a->count);
	sqlite3_bind_text(st, 13, a->parties != NULL ? a->parties : "[]", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 14, a->evidence != NULL ? a->evidence : "{}",
	    -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 15, a->tlp);
	sqlite3_bind_int64(st, 16, store_now_us());
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return 1;	/* another writer opened it first */
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "storing an alert");
	*aid = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* Name the alert's organizations; *added counts the new ones. */
static int
alert_orgs(struct sq_store *s, const struct cybex_alert_row *a, int64_t aid,
    size_t *added, struct cybex_diag *d)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	*added = 0;
	for (i = 0; i < a->norgs; i++) {
		if (a->org != NULL && strcmp(a->orgs[i], a->org) == 0)
			continue;	/* its own organization is implied */
		if ((st = ev_stmt(s, EV_ALERT_ORG, d)) == NULL)
			return stmt_failed(d);
		sqlite3_bind_text(st, 1, a->orgs[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, aid);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return sq_err(s, rc, d, "naming an alert's "
			    "organizations");
		*added += (size_t)sqlite3_changes(s->db);
	}
	return 0;
}

/*
 * Write n over the open alert p if p is still what is stored (its aid,
 * when *aid is 0 on entry: 1 when it is not).
 */
static int
alert_update(struct sq_store *s, const struct cybex_alert_row *p,
    const struct cybex_alert_row *n, bool later, int64_t *aid,
    struct cybex_diag *d)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = ev_stmt(s, EV_ALERT_UPDATE, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)n->count);
	sqlite3_bind_int64(st, 3, n->first_seen_us);
	sqlite3_bind_int64(st, 4, n->last_seen_us);
	sqlite3_bind_int(st, 5, n->severity);
	sqlite3_bind_int(st, 6, n->tlp);
	sqlite3_bind_int64(st, 7, store_now_us());
	sqlite3_bind_int(st, 9, later);
	sqlite3_bind_text(st, 10, n->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, n->parties != NULL ? n->parties : "[]", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 12, n->evidence != NULL ? n->evidence : "{}",
	    -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, n->sensor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, n->taxonomy_class, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, n->taxonomy_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, n->detector, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 17, (int64_t)p->count);
	sqlite3_bind_int64(st, 18, p->first_seen_us);
	sqlite3_bind_int64(st, 19, p->last_seen_us);
	sqlite3_bind_int(st, 20, p->severity);
	sqlite3_bind_int(st, 21, p->tlp);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*aid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 1;
	return rc == SQLITE_ROW ? 0 : sq_err(s, rc, d, "updating an alert");
}

/* The aid of open alert p if it is still what is stored, else 1. */
static int
alert_still(struct sq_store *s, const struct cybex_alert_row *p,
    int64_t *aid, struct cybex_diag *d)
{
	struct cybex_alert_row now;
	sqlite3_stmt *st = NULL;
	int rc;

	memset(&now, 0, sizeof(now));
	if ((rc = sq_alert_find(&s->base, p->org, p->key, &now, d)) < 0)
		return rc;
	if (rc == 0 || strcmp(now.id, p->id) != 0 || now.count != p->count ||
	    now.first_seen_us != p->first_seen_us ||
	    now.last_seen_us != p->last_seen_us ||
	    now.severity != p->severity || now.tlp != p->tlp)
		return 1;
	rc = sq_prepare(s, &st, "SELECT aid FROM alerts WHERE id = ?1", "t",
	    p->id);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*aid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sq_err(s, rc == SQLITE_DONE ?
	    SQLITE_CORRUPT : rc, d, "reading an alert");
}

int
sq_alert_write(struct cybex_store *base, const struct cybex_alert_row *prev,
    const struct cybex_alert_row *next, bool later, bool changed,
    size_t *new_orgs, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int64_t aid = 0;
	bool own;
	int r;

	*new_orgs = 0;
	if ((r = writable(s, d)) != 0 || (r = tx_enter(s, &own, d)) != 0)
		return r;
	if (prev == NULL) {
		if ((r = alert_insert(s, next, &aid, d)) != 0 ||
		    (r = alert_orgs(s, next, aid, new_orgs, d)) != 0)
			goto out;
		goto out;
	}
	if ((r = alert_still(s, prev, &aid, d)) != 0 ||
	    (r = alert_orgs(s, next, aid, new_orgs, d)) != 0)
		goto out;
	if ((changed || *new_orgs > 0) &&
	    (r = alert_update(s, prev, next, later, &aid, d)) != 0)
		goto out;
 out:
	if (r == 1) {
		/* Nothing written: roll it back and let the caller find again. */
		tx_leave(s, own, CYBEX_EDB, NULL);
		return 1;
	}
	return tx_leave(s, own, r, d);
}

/* The row's organizations (a JSON array text) into an arena array. */
static int
orgs_from_json(const char *text, struct cybex_arena *a,
    struct cybex_alert_row *row)
{
	const char **v;
	json_t *j = NULL, *e;
	size_t i;

	row->orgs = NULL;
	row->norgs = 0;
	if (text == NULL || cybex_json_parse(text, strlen(text), 0, &j,
	    NULL) != 0 || !json_is_array(j) || json_array_size(j) == 0) {
		json_decref(j);
		return 0;
	}
	if ((v = cybex_arena_alloc(a, json_array_size(j) * sizeof(*v))) ==
	    NULL) {
		json_decref(j);
		return CYBEX_ENOMEM;
	}
	json_array_foreach(j, i, e) {
		v[row->norgs] = cybex_arena_strndup(a, json_string_value(e) !=
		    NULL ? json_string_value(e) : "", json_string_length(e));
		if (v[row->norgs] == NULL) {
			json_decref(j);
			return CYBEX_ENOMEM;
		}
		row->norgs++;
	}
	row->orgs = v;
	json_decref(j);
	return 0;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
alert_row(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_alert_row *row)
{
	const char *t;

	memset(row, 0, sizeof(*row));
	t = col_text(st, 1);
	snprintf(row->id, sizeof(row->id), "%s", t != NULL ? t : "");
	t = col_text(st, 2);
	row->org = t != NULL && *t != '\0' ? t : NULL;
	row->key = col_text(st, 3);
	row->detector = col_text(st, 4);
	row->taxonomy_class = col_text(st, 5);
	row->taxonomy_type = col_text(st, 6);
	row->severity = sqlite3_column_int(st, 7);
	row->summary = col_text(st, 8);
	row->sensor = col_text(st, 9);
	row->first_seen_us = sqlite3_column_int64(st, 10);
	row->last_seen_us = sqlite3_column_int64(st, 11);
	row->count = (uint64_t)sqlite3_column_int64(st, 12);
	row->parties = col_text(st, 13);
	row->evidence = col_text(st, 14);
	row->tlp = sqlite3_column_int(st, 15);
	row->created_us = sqlite3_column_int64(st, 16);
	row->updated_us = sqlite3_column_int64(st, 17);
	row->closed_us = sqlite3_column_int64(st, 18);
	return orgs_from_json(col_text(st, 19), a, row);
}

int
sq_alert_query(struct cybex_store *base, const struct cybex_alert_query *q,
    cybex_alert_row_fn fn, void *ud, struct cybex_page *page,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_alert_row row;
	struct cybex_arena *a = NULL;
	sqlite3_stmt *st = NULL;
	int64_t after = 0, last = 0;
	int rc, r;

	if (q->next != NULL && store_token_decode(q->next, 'a', &after) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is not a paging "
		    "token of this query", q->next);
	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	rc = sq_prepare(s, &st, "SELECT aid, id, org, key, detector, class, "
	    "type, severity, summary, sensor, first_seen_us, last_seen_us, "
	    "hits, parties, evidence, tlp, created_us, updated_us, closed_us, "
	    "(SELECT json_group_array(o.org) FROM alert_orgs o WHERE o.aid = "
	    "a.aid) FROM alerts a WHERE aid > ?1 AND (?2 IS NULL OR id = ?2) "
	    "AND (?3 IS NULL OR last_seen_us >= ?3) AND (?4 IS NULL OR org = "
	    "?4 OR (aid IN (SELECT aid FROM alert_orgs WHERE org = ?4) AND "
	    "(?5 = 0 OR tlp <= ?5))) AND (?6 IS NULL OR detector = ?6) AND "
	    "(?7 = 0 OR closed_us = 0) ORDER BY aid", "");
	/* Parameters left unbound are NULL: "no filter". */
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, after);
		if (q->id != NULL)
			sqlite3_bind_text(st, 2, q->id, -1, SQLITE_STATIC);
		if (q->has_since)
			sqlite3_bind_int64(st, 3, q->since_us);
		if (q->org != NULL)
			sqlite3_bind_text(st, 4, q->org, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 5, q->max_tlp);
		if (q->detector != NULL)
			sqlite3_bind_text(st, 6, q->detector, -1,
			    SQLITE_STATIC);
		sqlite3_bind_int(st, 7, q->open_only);
	}
	r = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (q->limit > 0 && page->count == q->limit) {
			page->more = true;
			break;
		}
		cybex_arena_reset(a);
		if ((r = alert_row(st, a, &row)) != 0)
			break;
		if ((r = fn(ud, &row)) != 0) {
			if (r == CYBEX_ROW_STOP) {
				page->more = true;
				r = 0;
			}
			break;
		}
		last = sqlite3_column_int64(st, 0);
		page->count++;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = sq_err(s, rc, d, "listing alerts");
	if (r == 0 && page->more)
		store_token_encode('a', last != 0 ? last : after, page->next,
		    sizeof(page->next));
	sqlite3_finalize(st);
	cybex_arena_free(a);
	return r;
}

int
sq_alert_close(struct cybex_store *base, const char *id, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n = 0, r;

	r = sq_run(s, d, "closing an alert", &n, "UPDATE alerts SET closed_us "
	    "= ?2, updated_us = ?2 WHERE id = ?1 AND closed_us = 0", "ti", id,
	    store_now_us());
	if (r == 0 && n == 0)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no open alert '%s'", id);
	return r;
}

/* ---- sighting aggregation ---- */

static int
sighting_row(sqlite3_stmt *st, struct cybex_arena *a,
    struct cybex_sighting_state *out)
{
	const char *org;

	out->id = col_dup(st, 0, a);
	out->indicator_id = col_dup(st, 1, a);
	out->sensor_ref = col_dup(st, 2, a);
	org = col_text(st, 3);
	out->org = org != NULL && *org != '\0' ? col_dup(st, 3, a) : NULL;
	out->count = (uint64_t)sqlite3_column_int64(st, 4);
	out->first_seen_us = sqlite3_column_int64(st, 5);
	out->last_seen_us = sqlite3_column_int64(st, 6);
	out->created_us = sqlite3_column_int64(st, 7);
	out->modified_us = sqlite3_column_int64(st, 8);
	out->written_count = (uint64_t)sqlite3_column_int64(st, 9);
	out->sample = col_dup(st, 10, a);
	out->run = (uint64_t)sqlite3_column_int64(st, 11);
	out->guard_us = sqlite3_column_int64(st, 12);
	if (out->id == NULL || out->indicator_id == NULL ||
	    out->sensor_ref == NULL)
		return CYBEX_ENOMEM;
	return 0;
}

int
sq_sighting_merge(struct cybex_store *base,
    const struct cybex_sighting_state *delta, struct cybex_arena *a,
    struct cybex_sighting_state *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st;
	int rc, r = 0;

	if ((r = writable(s, d)) != 0)
		return r;
	if ((st = ev_stmt(s, EV_SIGHT_MERGE, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, delta->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, delta->indicator_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, delta->sensor_ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, org_in(delta->org), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)delta->count);
	sqlite3_bind_int64(st, 6, delta->first_seen_us);
	sqlite3_bind_int64(st, 7, delta->last_seen_us);
	sqlite3_bind_int64(st, 8, store_now_us());
	sqlite3_bind_text(st, 9, delta->sample, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, (int64_t)delta->run);
	sqlite3_bind_int64(st, 11, INT64_MIN);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (out != NULL && (r = sighting_row(st, a, out)) != 0)
			cybex_diag_set(d, r, "out of memory");
		/* The write completes when the statement runs to its end. */
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "storing a sighting's counts");
	return r;
}

int
sq_sighting_get(struct cybex_store *base, const char *id,
    struct cybex_arena *a, struct cybex_sighting_state *out,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st;
	int rc, r;

	if ((st = ev_stmt(s, EV_SIGHT_GET, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if ((r = sighting_row(st, a, out)) != 0)
			cybex_diag_set(d, r, "out of memory");
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no sighting state '%s'",
		    id);
	else
		r = sq_err(s, rc, d, "reading a sighting's counts");
	sqlite3_reset(st);
	return r;
}

int
sq_sighting_written(struct cybex_store *base, const char *id,
    int64_t modified_us, uint64_t count, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st;
	int rc;

	if ((rc = writable(s, d)) != 0)
		return rc;
	if ((st = ev_stmt(s, EV_SIGHT_WRITTEN, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, modified_us);
	sqlite3_bind_int64(st, 3, (int64_t)count);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "recording a sighting version");
	if (sqlite3_changes(s->db) == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no sighting state "
		    "'%s'", id);
	return 0;
}

int
sq_sighting_latest(struct cybex_store *base, const char *sensor_ref,
    int64_t *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sq_prepare(s, &st, "SELECT MAX(last_seen_us) FROM sighting_state "
	    "WHERE sensor = ?1", "t", sensor_ref);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "reading sightings");
}

/* ---- cooperative analysis ---- */

int
sq_coop_note(struct cybex_store *base, const char *subject, const char *org,
    uint64_t hits, int64_t first_us, int64_t last_us, size_t *norgs,
    bool *added, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st;
	int64_t before = 0;
	bool known = false;
	int rc;

	if ((rc = writable(s, d)) != 0)
		return rc;
	/* Read before the write: (subject, org) is new unless org is there. */
	if ((st = ev_stmt(s, EV_COOP_COUNT, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		before = sqlite3_column_int64(st, 0);
		known = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return sq_err(s, rc, d, "reading cooperative counts");
	if ((st = ev_stmt(s, EV_COOP_NOTE, d)) == NULL)
		return stmt_failed(d);
	sqlite3_bind_text(st, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, org, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)hits);
	sqlite3_bind_int64(st, 4, first_us);
	sqlite3_bind_int64(st, 5, last_us);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_err(s, rc, d, "storing cooperative counts");
	*added = !known;
	*norgs = (size_t)before + (known ? 0 : 1);
	return 0;
}

int
sq_coop_orgs(struct cybex_store *base, const char *subject, cybex_coop_fn fn,
    void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_coop_org o;
	sqlite3_stmt *st = NULL;
	int rc, r = 0;

	rc = sq_prepare(s, &st, "SELECT org, hits, first_seen_us, "
	    "last_seen_us FROM coop_seen WHERE subject = ?1 ORDER BY "
	    "first_seen_us, org", "t", subject);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		o.org = col_text(st, 0);
		o.hits = (uint64_t)sqlite3_column_int64(st, 1);
		o.first_seen_us = sqlite3_column_int64(st, 2);
		o.last_seen_us = sqlite3_column_int64(st, 3);
		if ((r = fn(ud, &o)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "reading cooperative counts");
	sqlite3_finalize(st);
	return r;
}
