/*
 * SQLite backend: users, groups, API tokens (hashes only), per-collection
 * permissions and the audit log.
 */
#include <string.h>

#include "sqlite_int.h"

static int
exists_or(struct sq_store *s, int rc, int changes, struct cybex_diag *d,
    const char *what, const char *name)
{
	if (rc != 0)
		return rc;
	if (changes == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no %s '%s'", what,
		    name);
	return 0;
}

int
sq_user_add(struct cybex_store *base, const char *name, const char *pwhash,
    bool admin, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int r;

	r = sq_run(s, d, "adding a user", NULL, "INSERT INTO users(name, "
	    "pwhash, is_admin, created_us) VALUES (?1, ?2, ?3, ?4)", "ttii",
	    name, pwhash, (int64_t)admin, store_now_us());
	if (r == CYBEX_ECONFLICT)
		return cybex_diag_set(d, CYBEX_EEXIST, "a user named '%s' "
		    "exists already", name);
	return r;
}

static void
fill_user(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_user *u)
{
	const char *n = (const char *)sqlite3_column_text(st, 1);

	u->uid = sqlite3_column_int64(st, 0);
	u->name = n != NULL ? cybex_arena_strndup(a, n, strlen(n)) : NULL;
	u->is_admin = sqlite3_column_int(st, 2) != 0;
	u->disabled = sqlite3_column_int(st, 3) != 0;
	u->created_us = sqlite3_column_int64(st, 4);
}

int
sq_user_get(struct cybex_store *base, const char *name, struct cybex_arena *a,
    struct cybex_user *out, const char **pwhash, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	const char *h;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT uid, name, is_admin, disabled, "
	    "created_us, pwhash FROM users WHERE name = ?1", "t", name);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_user(st, a, out);
		h = (const char *)sqlite3_column_text(st, 5);
		if (pwhash != NULL && h != NULL)
			*pwhash = cybex_arena_strndup(a, h, strlen(h));
		r = out->name == NULL ? CYBEX_ENOMEM : 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no user '%s'", name);
	else
		r = sq_err(s, rc, d, "reading a user");
	sqlite3_finalize(st);
	return r;
}

int
sq_user_list(struct cybex_store *base, cybex_user_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_arena *a = NULL;
	struct cybex_user u;
	sqlite3_stmt *st = NULL;
	int rc, r;

	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	rc = sq_prepare(s, &st, "SELECT uid, name, is_admin, disabled, "
	    "created_us FROM users ORDER BY name", "");
	r = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cybex_arena_reset(a);
		fill_user(st, a, &u);
		if ((r = fn(ud, &u)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing users");
	sqlite3_finalize(st);
	cybex_arena_free(a);
	return r;
}

int
sq_user_remove(struct cybex_store *base, const char *name,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	/*
	 * Permissions and status resources name users by id, and a new user
	 * may be given a removed one's id: remove them with the user.
	 */
	if ((r = sq_run(s, d, "removing a user", NULL, "DELETE FROM "
	    "permissions WHERE principal = 'user' AND pid = (SELECT uid FROM "
	    "users WHERE name = ?1)", "t", name)) != 0 ||
	    (r = sq_run(s, d, "removing a user", NULL, "DELETE FROM status "
	    "WHERE uid = (SELECT uid FROM users WHERE name = ?1)", "t",
	    name)) != 0)
		return r;
	r = sq_run(s, d, "removing a user", &n, "DELETE FROM users WHERE "
	    "name = ?1", "t", name);
	return exists_or(s, r, n, d, "user", name);
}

int
sq_user_set_password(struct cybex_store *base, const char *name,
    const char *pwhash, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	r = sq_run(s, d, "setting a password", &n, "UPDATE users SET pwhash = "
	    "?2 WHERE name = ?1", "tt", name, pwhash);
	return exists_or(s, r, n, d, "user", name);
}

int
sq_group_add(struct cybex_store *base, const char *name, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int r;

	r = sq_run(s, d, "adding a group", NULL, "INSERT INTO groups(name, "
	    "created_us) VALUES (?1, ?2)", "ti", name, store_now_us());
	if (r == CYBEX_ECONFLICT)
		return cybex_diag_set(d, CYBEX_EEXIST, "a group named '%s' "
		    "exists already", name);
	return r;
}

int
sq_group_remove(struct cybex_store *base, const char *name,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	if ((r = sq_run(s, d, "removing a group", NULL, "DELETE FROM "
	    "permissions WHERE principal = 'group' AND pid = (SELECT gid FROM "
	    "groups WHERE name = ?1)", "t", name)) != 0)
		return r;
	r = sq_run(s, d, "removing a group", &n, "DELETE FROM groups WHERE "
	    "name = ?1", "t", name);
	return exists_or(s, r, n, d, "group", name);
}

int
sq_group_member(struct cybex_store *base, const char *group, const char *user,
    bool member, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_arena *a = NULL;
	struct cybex_user u;
	int n, r;

	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	if ((r = sq_user_get(base, user, a, &u, NULL, d)) != 0)
		goto out;
	if (member)
		r = sq_run(s, d, "adding to a group", &n, "INSERT OR IGNORE INTO "
		    "group_members(gid, uid) SELECT gid, ?2 FROM groups WHERE "
		    "name = ?1", "ti", group, u.uid);
	else
		r = sq_run(s, d, "removing from a group", &n, "DELETE FROM "
		    "group_members WHERE uid = ?2 AND gid = (SELECT gid FROM "
		    "groups WHERE name = ?1)", "ti", group, u.uid);
	if (r == 0 && n == 0 && member) {
		/* No row: either no such group or already a member. */
		sqlite3_stmt *st = NULL;
		int rc = sq_prepare(s, &st, "SELECT 1 FROM groups WHERE name = "
		    "?1", "t", group);

		if (rc == SQLITE_OK && sqlite3_step(st) != SQLITE_ROW)
			r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no group '%s'",
			    group);
		sqlite3_finalize(st);
	}
 out:
	cybex_arena_free(a);
	return r;
}

int
sq_token_add(struct cybex_store *base, const char *user, const char *name,
    const uint8_t *hash, int64_t expires_us, int64_t *tid,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	r = sq_run(s, d, "adding a token", &n, "INSERT INTO tokens(uid, name, "
	    "hash, created_us, expires_us) SELECT uid, ?2, ?3, ?4, ?5 FROM "
	    "users WHERE name = ?1", "ttbii", user, name, hash, store_now_us(),
	    expires_us);
	if ((r = exists_or(s, r, n, d, "user", user)) != 0)
		return r;
	*tid = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void
fill_token(sqlite3_stmt *st, struct cybex_arena *a, struct cybex_token *t)
{
	const char *n = (const char *)sqlite3_column_text(st, 1);
	const char *u = (const char *)sqlite3_column_text(st, 2);

	t->tid = sqlite3_column_int64(st, 0);
	t->name = n != NULL ? cybex_arena_strndup(a, n, strlen(n)) : NULL;
	t->user = u != NULL ? cybex_arena_strndup(a, u, strlen(u)) : NULL;
	t->uid = sqlite3_column_int64(st, 3);
	t->created_us = sqlite3_column_int64(st, 4);
	t->expires_us = sqlite3_column_int64(st, 5);
	t->revoked_us = sqlite3_column_int64(st, 6);
	t->last_used_us = sqlite3_column_int64(st, 7);
}

#define TOKEN_COLS "SELECT t.tid, t.name, u.name, t.uid, t.created_us, " \
	"COALESCE(t.expires_us, 0), COALESCE(t.revoked_us, 0), " \
	"COALESCE(t.last_used_us, 0) FROM tokens t JOIN users u ON " \
	"u.uid = t.uid "

int
sq_token_find(struct cybex_store *base, const uint8_t *hash,
    struct cybex_arena *a, struct cybex_token *out, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc, r;

	rc = sq_prepare(s, &st, TOKEN_COLS "WHERE t.hash = ?1", "b", hash);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_token(st, a, out);
		r = 0;
	} else if (rc == SQLITE_DONE)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "unknown token");
	else
		r = sq_err(s, rc, d, "reading a token");
	sqlite3_finalize(st);
	return r;
}

int
sq_token_list(struct cybex_store *base, const char *user, cybex_token_fn fn,
    void *ud, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	struct cybex_arena *a = NULL;
	struct cybex_token t;
	sqlite3_stmt *st = NULL;
	int rc, r;

	if ((r = cybex_arena_new(0, &a)) != 0)
		return r;
	rc = sq_prepare(s, &st, TOKEN_COLS "WHERE ?1 IS NULL OR u.name = ?1 "
	    "ORDER BY t.tid", "t", user);
	r = 0;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		cybex_arena_reset(a);
		fill_token(st, a, &t);
		if ((r = fn(ud, &t)) != 0)
			break;
		rc = SQLITE_OK;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_err(s, rc, d, "listing tokens");
	sqlite3_finalize(st);
	cybex_arena_free(a);
	return r;
}

int
sq_token_revoke(struct cybex_store *base, int64_t tid, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	int n, r;

	r = sq_run(s, d, "revoking a token", &n, "UPDATE tokens SET "
	    "revoked_us = ?2 WHERE tid = ?1 AND revoked_us IS NULL", "ii", tid,
	    store_now_us());
	if (r == 0 && n == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no active token %lld",
		    (long long)tid);
	return r;
}

int
sq_token_touch(struct cybex_store *base, int64_t tid, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;

	return sq_run(s, d, "recording a token use", NULL, "UPDATE tokens SET "
	    "last_used_us = ?2 WHERE tid = ?1", "ii", tid, store_now_us());
}

int
sq_grant(struct cybex_store *base, const char *coll_key, bool group,
    const char *principal, bool can_read, bool can_write,
    struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int64_t cid = 0, pid = 0;
	int rc, r;

	rc = sq_prepare(s, &st, "SELECT cid FROM collections WHERE id = ?1 OR "
	    "alias = ?1", "t", coll_key);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		cid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_err(s, rc, d, "granting");
	if (cid == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no collection '%s'",
		    coll_key);
	rc = sq_prepare(s, &st, group ? "SELECT gid FROM groups WHERE name = "
	    "?1" : "SELECT uid FROM users WHERE name = ?1", "t", principal);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		pid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_err(s, rc, d, "granting");
	if (pid == 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no %s '%s'",
		    group ? "group" : "user", principal);
	if (!can_read && !can_write)
		r = sq_run(s, d, "revoking", NULL, "DELETE FROM permissions "
		    "WHERE cid = ?1 AND principal = ?2 AND pid = ?3", "iti", cid,
		    group ? "group" : "user", pid);
	else
		r = sq_run(s, d, "granting", NULL, "INSERT INTO permissions(cid, "
		    "principal, pid, can_read, can_write) VALUES (?1, ?2, ?3, "
		    "?4, ?5) ON CONFLICT (cid, principal, pid) DO UPDATE SET "
		    "can_read = ?4, can_write = ?5", "itiii", cid,
		    group ? "group" : "user", pid, (int64_t)can_read,
		    (int64_t)can_write);
	return r;
}

int
sq_access(struct cybex_store *base, int64_t uid, const char *coll_id,
    bool *can_read, bool *can_write, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;
	sqlite3_stmt *st = NULL;
	int rc;

	/* On every TAXII request: the statement is kept. */
	rc = sq_prepare_cached(s, &st, "SELECT COALESCE(MAX(p.can_read), 0), "
	    "COALESCE(MAX(p.can_write), 0) FROM permissions p JOIN collections "
	    "c ON c.cid = p.cid WHERE c.id = ?1 AND ((p.principal = 'user' AND "
	    "p.pid = ?2) OR (p.principal = 'group' AND p.pid IN (SELECT gid "
	    "FROM group_members WHERE uid = ?2)))", "ti", coll_id, uid);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*can_read = sqlite3_column_int(st, 0) != 0;
		*can_write = sqlite3_column_int(st, 1) != 0;
		rc = SQLITE_DONE;
	}
	sq_qcache_release(s, st);
	return rc == SQLITE_DONE ? 0 : sq_err(s, rc, d, "reading permissions");
}

int
sq_audit(struct cybex_store *base, const char *actor, const char *action,
    const char *target, const char *detail, struct cybex_diag *d)
{
	struct sq_store *s = (struct sq_store *)base;

	return sq_run(s, d, "writing the audit log", NULL, "INSERT INTO "
	    "audit(ts_us, actor, action, target, detail) VALUES (?1, ?2, ?3, "
	    "?4, ?5)", "itttt", store_now_us(), actor, action, target, detail);
}
