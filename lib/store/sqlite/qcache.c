/*
 * SQLite backend: a cache of the statements that queries build at run
 * time (objects.c: TAXII pages, manifests, exports).  A TAXII client
 * paging through a collection sends the same SQL text again and again;
 * preparing it is a fifth of a page's cost.  The cache keeps the last
 * SQ_QCACHE_MAX texts per handle, least recently used out first.  A
 * statement in use (a query run from inside another's row callback) is
 * never handed out twice: the second gets its own, finalized after use.
 */
#include <stdarg.h>
#include <string.h>

#include "sqlite_int.h"

/* The statement for sql[0..len): an SQLite result code. */
static int
qcache_get(struct sq_store *s, const char *sql, size_t len,
    sqlite3_stmt **st)
{
	struct sq_qcache *e, *victim = NULL;
	size_t i;
	char *copy;
	int rc;

	*st = NULL;
	s->qtick++;
	for (i = 0; i < SQ_QCACHE_MAX; i++) {
		e = &s->qcache[i];
		if (e->st != NULL && !e->busy && e->len == len &&
		    memcmp(e->sql, sql, len) == 0) {
			e->busy = true;
			e->used = s->qtick;
			*st = e->st;
			return SQLITE_OK;
		}
		if (e->busy)
			continue;
		if (victim == NULL || e->st == NULL ||
		    (victim->st != NULL && e->used < victim->used))
			victim = e;
	}
	rc = sqlite3_prepare_v3(s->db, sql, (int)len, victim != NULL ?
	    SQLITE_PREPARE_PERSISTENT : 0, st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(*st);
		*st = NULL;
		return rc;
	}
	if (victim == NULL || (copy = cybex_malloc(len + 1)) == NULL)
		return SQLITE_OK;	/* used once, finalized by release */
	memcpy(copy, sql, len);
	copy[len] = '\0';
	sqlite3_finalize(victim->st);
	cybex_free(victim->sql);
	victim->sql = copy;
	victim->len = len;
	victim->st = *st;
	victim->busy = true;
	victim->used = s->qtick;
	return SQLITE_OK;
}

int
sq_qcache_prepare(struct sq_store *s, const char *sql, size_t len,
    sqlite3_stmt **st, struct cybex_diag *d)
{
	int rc;

	if ((rc = qcache_get(s, sql, len, st)) != SQLITE_OK)
		return sq_err(s, rc, d, "preparing a query");
	return 0;
}

int
sq_prepare_cached(struct sq_store *s, sqlite3_stmt **st, const char *sql,
    const char *types, ...)
{
	va_list ap;
	int rc;

	if ((rc = qcache_get(s, sql, strlen(sql), st)) != SQLITE_OK)
		return rc;
	va_start(ap, types);
	rc = sq_bind_va(*st, types, ap);
	va_end(ap);
	return rc;
}

void
sq_qcache_release(struct sq_store *s, sqlite3_stmt *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < SQ_QCACHE_MAX; i++)
		if (s->qcache[i].st == st) {
			/* Unbound: the texts bound to it were the caller's. */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->qcache[i].busy = false;
			return;
		}
	sqlite3_finalize(st);
}

void
sq_qcache_clear(struct sq_store *s)
{
	size_t i;

	for (i = 0; i < SQ_QCACHE_MAX; i++) {
		sqlite3_finalize(s->qcache[i].st);
		cybex_free(s->qcache[i].sql);
		memset(&s->qcache[i], 0, sizeof(s->qcache[i]));
	}
}
