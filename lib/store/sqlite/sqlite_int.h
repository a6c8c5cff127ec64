/* Internal interface of the SQLite backend. */
#ifndef CYBEX_STORE_SQLITE_INT_H
#define CYBEX_STORE_SQLITE_INT_H

#include <stdarg.h>
#include <sqlite3.h>

#include "store_int.h"

/* Prepared statements, made on first use and kept for the handle's life. */
enum sq_stmt {
	SQ_BEGIN,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_OBJ_VERSIONS,	/* versions of one id */
	SQ_OBJ_INSERT,
	SQ_LINK_INSERT,
	SQ_LINK_INSERT_MANY,	/* SQ_LINKS_MAX rows in one statement */
	SQ_COLL_LAST,		/* last date_added of a collection */
	SQ_COLL_SET_LAST,
	SQ_COLL_BY_ID,
	SQ_COLL_BY_ALIAS,
	SQ_MARK_VERSIONS,	/* tlp and json of each version of a marking */
	SQ_MREF_INSERT,
	SQ_MREF_REFERRERS,	/* versions referencing a marking-definition */
	SQ_OBJ_SET_TLP,
	SQ_OBJ_JSON,
	SQ_OBJ_CIDS,		/* collections holding a version */
	SQ_OBJ_RAISE_TLP,	/* a shared version's level, raised only */
	SQ_NSTMT
};

/*
 * Links (collection_objects rows) added in a transaction are written
 * SQ_LINKS_MAX at a time: one multi-row INSERT costs about half as much
 * per row as single-row ones (each of which runs its foreign-key checks
 * and opens and closes its cursors).  Until then they wait in sq_store;
 * whatever reads collection_objects calls sq_flush first.
 */
#define SQ_LINKS_MAX	32
struct sq_link {
	int64_t		 cid;
	int64_t		 added;
	int64_t		 oid;
};

/*
 * What marking-definitions convey, remembered within one transaction (a
 * bulk import references the same few again and again); cleared when a
 * marking-definition is stored, anything is deleted, or the transaction
 * ends.
 */
#define SQ_MCACHE_MAX	8
struct sq_mcache {
	int64_t		 cid;
	char		 id[96];
	int		 level;
	bool		 found;
};

/* qcache.c: statements of built queries, by their SQL text. */
#define SQ_QCACHE_MAX	16
struct sq_qcache {
	char		*sql;
	size_t		 len;
	sqlite3_stmt	*st;
	uint64_t	 used;
	bool		 busy;
};

struct sq_store {
	struct cybex_store	 base;
	sqlite3			*db;
	sqlite3_stmt		*st[SQ_NSTMT];
	bool			 in_tx;
	bool			 rdonly;
	int			 schema;
	/* Cache of the last collection written to, valid in a transaction. */
	int64_t			 last_cid;
	int64_t			 last_added;
	bool			 last_dirty;	/* not yet written */
	/* Last collection id looked up: valid within one transaction. */
	char			 cache_coll[CYBEX_UUID_STRLEN + 1];
	int64_t			 cache_cid;
	int			 cache_max_tlp;
	/* events.c: its prepared statements (NULL until first used). */
	struct sq_events	*ev;
	/* Links not yet written, in the open transaction only. */
	struct sq_link		 links[SQ_LINKS_MAX];
	size_t			 nlinks;
	struct sq_mcache	 mcache[SQ_MCACHE_MAX];
	size_t			 nmcache;
	struct sq_qcache	 qcache[SQ_QCACHE_MAX];
	uint64_t		 qtick;
};

/* qcache.c */
/*
 * A prepared statement for sql[0..len), from the cache when it holds the
 * text; give it back with sq_qcache_release (never finalize it).
 */
int	 sq_qcache_prepare(struct sq_store *s, const char *sql, size_t len,
	    sqlite3_stmt **st, struct cybex_diag *d);
int	 sq_bind_va(sqlite3_stmt *st, const char *types, va_list ap);
/* sq_prepare through the cache (for fixed SQL on hot paths). */
int	 sq_prepare_cached(struct sq_store *s, sqlite3_stmt **st,
	    const char *sql, const char *types, ...);
void	 sq_qcache_release(struct sq_store *s, sqlite3_stmt *st);
void	 sq_qcache_clear(struct sq_store *s);

/* sqlite.c */
/* Map a SQLite result to a CYBEX_E* code with a message; the one place. */
int	 sq_err(struct sq_store *s, int rc, struct cybex_diag *d,
	    const char *what);
/* The prepared statement k, reset and unbound, or NULL (d set). */
sqlite3_stmt *sq_stmt(struct sq_store *s, enum sq_stmt k, struct cybex_diag *d);
/* Run a statement that returns no rows. */
int	 sq_exec(struct sq_store *s, enum sq_stmt k, struct cybex_diag *d);
/* Run fixed SQL text (no input in it). */
int	 sq_exec_sql(struct sq_store *s, const char *sql, struct cybex_diag *d);
/*
 * Prepare sql and bind its parameters from the variadic list as types
 * says: 't' text (const char *, NULL = NULL), 'i' int64_t, 'b' a 32-byte
 * blob (const uint8_t *).  The caller steps and finalizes *st.
 */
int	 sq_prepare(struct sq_store *s, sqlite3_stmt **st, const char *sql,
	    const char *types, ...);
/*
 * Run a statement that returns no rows; *changes (may be NULL) gets the
 * rows changed.  what names the operation in errors.
 */
int	 sq_run(struct sq_store *s, struct cybex_diag *d, const char *what,
	    int *changes, const char *sql, const char *types, ...);
/* Internal collection id (rowid) of a collection by its id; ENOTFOUND. */
int	 sq_cid(struct sq_store *s, const char *coll_id, int64_t *cid,
	    struct cybex_diag *d);
/* The same, with the collection's max_tlp (may be NULL). */
int	 sq_coll(struct sq_store *s, const char *coll_id, int64_t *cid,
	    int *max_tlp, struct cybex_diag *d);
/* The 64-bit hash under which an object id is indexed. */
int64_t	 sq_idh(const char *id);
/*
 * Write what the open transaction deferred: its pending links and the
 * last date_added of the cached collection.  Call it before reading
 * collection_objects (or collections.last_added_us) and before commit.
 */
int	 sq_flush(struct sq_store *s, struct cybex_diag *d);
/* Delete versions that are in no collection any more. */
int	 sq_gc_orphans(struct sq_store *s, struct cybex_diag *d);

/* collections.c */
int	 sq_collection_add(struct cybex_store *, struct cybex_collection *,
	    struct cybex_diag *);
int	 sq_collection_get(struct cybex_store *, const char *,
	    struct cybex_arena *, struct cybex_collection *,
	    struct cybex_diag *);
int	 sq_collection_list(struct cybex_store *, cybex_collection_fn, void *,
	    struct cybex_diag *);
int	 sq_collection_remove(struct cybex_store *, const char *,
	    struct cybex_diag *);
int	 sq_collection_ceiling(struct cybex_store *, const char *, int *,
	    struct cybex_diag *);
int	 sq_collection_set_max_tlp(struct cybex_store *, const char *, int,
	    uint64_t *, struct cybex_diag *);

/* objects.c */
int	 sq_put(struct cybex_store *, const char *, const struct store_put *,
	    enum cybex_put_result *, struct cybex_diag *);
int	 sq_query(struct cybex_store *, const struct cybex_query *, bool,
	    cybex_row_fn, void *, struct cybex_page *, struct cybex_diag *);
int	 sq_delete(struct cybex_store *, const struct cybex_query *, size_t *,
	    struct cybex_diag *);

/* conflicts.c */
/* Record p as a conflict in collection cid (once per content). */
int	 sq_conflict_record(struct sq_store *s, int64_t cid,
	    const struct store_put *p, struct cybex_diag *d);
int	 sq_conflict_list(struct cybex_store *, const char *, int64_t,
	    cybex_conflict_fn, void *, struct cybex_diag *);
int	 sq_conflict_resolve(struct cybex_store *, int64_t,
	    const struct store_put *, struct cybex_diag *);
/*
 * Add version oid to collection cid with a new date_added (objects.c);
 * in a transaction.
 */
int	 sq_link_new(struct sq_store *s, int64_t cid, int64_t oid,
	    struct cybex_diag *d);
/* Store p as a version of its own (no collection yet): *oid. */
int	 sq_version_insert(struct sq_store *s, const struct store_put *p,
	    int64_t *oid, struct cybex_diag *d);

/* accounts.c */
int	 sq_user_add(struct cybex_store *, const char *, const char *, bool,
	    struct cybex_diag *);
int	 sq_user_get(struct cybex_store *, const char *, struct cybex_arena *,
	    struct cybex_user *, const char **, struct cybex_diag *);
int	 sq_user_list(struct cybex_store *, cybex_user_fn, void *,
	    struct cybex_diag *);
int	 sq_user_remove(struct cybex_store *, const char *,
	    struct cybex_diag *);
int	 sq_user_set_password(struct cybex_store *, const char *, const char *,
	    struct cybex_diag *);
int	 sq_group_add(struct cybex_store *, const char *, struct cybex_diag *);
int	 sq_group_remove(struct cybex_store *, const char *,
	    struct cybex_diag *);
int	 sq_group_member(struct cybex_store *, const char *, const char *, bool,
	    struct cybex_diag *);
int	 sq_token_add(struct cybex_store *, const char *, const char *,
	    const uint8_t *, int64_t, int64_t *, struct cybex_diag *);
int	 sq_token_find(struct cybex_store *, const uint8_t *,
	    struct cybex_arena *, struct cybex_token *, struct cybex_diag *);
int	 sq_token_list(struct cybex_store *, const char *, cybex_token_fn,
	    void *, struct cybex_diag *);
int	 sq_token_revoke(struct cybex_store *, int64_t, struct cybex_diag *);
int	 sq_token_touch(struct cybex_store *, int64_t, struct cybex_diag *);
int	 sq_grant(struct cybex_store *, const char *, bool, const char *, bool,
	    bool, struct cybex_diag *);
int	 sq_access(struct cybex_store *, int64_t, const char *, bool *, bool *,
	    struct cybex_diag *);
int	 sq_audit(struct cybex_store *, const char *, const char *,
	    const char *, const char *, struct cybex_diag *);

/* taxii.c */
int	 sq_api_root_put(struct cybex_store *, const struct cybex_api_root *,
	    bool, struct cybex_diag *);
int	 sq_api_root_get(struct cybex_store *, const char *,
	    struct cybex_arena *, struct cybex_api_root *,
	    struct cybex_diag *);
int	 sq_api_root_list(struct cybex_store *, cybex_api_root_fn, void *,
	    struct cybex_diag *);
int	 sq_status_put(struct cybex_store *, const struct cybex_status *,
	    struct cybex_diag *);
int	 sq_status_get(struct cybex_store *, const char *, const char *,
	    struct cybex_arena *, struct cybex_status *, struct cybex_diag *);
int	 sq_status_job_add(struct cybex_store *, const char *, const char *,
	    const char *, size_t, struct cybex_diag *);
int	 sq_status_job_next(struct cybex_store *, int64_t, struct cybex_arena *,
	    struct cybex_status_job *, struct cybex_buf *, struct cybex_diag *);
int	 sq_status_job_remove(struct cybex_store *, const char *,
	    struct cybex_diag *);
int	 sq_status_job_count(struct cybex_store *, uint64_t *,
	    struct cybex_diag *);
int	 sq_collection_count(struct cybex_store *, const char *, uint64_t *,
	    struct cybex_diag *);
/* incidents.c */
extern const struct store_incident_ops sq_incident_ops;
int	 sq_secret(struct cybex_store *, const char *, uint8_t *, size_t,
	    struct cybex_diag *);
int	 sq_status_expire(struct cybex_store *, int64_t, uint64_t, uint64_t *,
	    struct cybex_diag *);

/* maint.c */
int	 sq_stats(struct cybex_store *, cybex_count_fn, void *,
	    struct cybex_store_stats *, struct cybex_diag *);
int	 sq_check(struct cybex_store *, cybex_diag_fn, void *,
	    struct cybex_diag *);

/* markings.c: TLP through marking-definition references, per collection */
/* What marking-definition ref conveys in collection cid (ops slot). */
int	 sq_marking_conveys(struct cybex_store *, const char *, const char *,
	    int *, bool *, struct cybex_diag *);
/*
 * After version oid of obj joined collection cid (linked, tlp the level
 * cid sees; inserted with it, -1): raise its stored level to tlp (the
 * most restrictive of its collections' views), index its references and, for
 * a marking-definition, settle the versions that reference it in cid.
 */
int	 sq_marking_added(struct sq_store *s, int64_t cid, int64_t oid,
	    const json_t *obj, const char *id, const char *type, int tlp,
	    struct cybex_diag *d);
/* Schema 11's and 13's step in C: the level of every referring version. */
int	 sq_marking_migrate(struct sq_store *s, struct cybex_diag *d);
void	 sq_marking_cache_clear(struct sq_store *s);
/* Is version oid in collection cid, among the links not yet written? */
bool	 sq_pending_link(const struct sq_store *s, int64_t cid, int64_t oid);

/* events.c: organizations, alerts, sighting aggregation */
/* Finalize events.c's statements (sq_close). */
void	 sq_events_close(struct sq_store *s);
int	 sq_org_add(struct cybex_store *, const char *, struct cybex_diag *);
int	 sq_org_remove(struct cybex_store *, const char *, unsigned,
	    struct cybex_diag *);
int	 sq_org_list(struct cybex_store *, cybex_org_fn, void *,
	    struct cybex_diag *);
int	 sq_org_member(struct cybex_store *, const char *, const char *,
	    unsigned, struct cybex_diag *);
int	 sq_user_org(struct cybex_store *, int64_t, struct cybex_arena *,
	    const char **, unsigned *, struct cybex_diag *);
int	 sq_alert_find(struct cybex_store *, const char *, const char *,
	    struct cybex_alert_row *, struct cybex_diag *);
int	 sq_alert_write(struct cybex_store *, const struct cybex_alert_row *,
	    const struct cybex_alert_row *, bool, bool, size_t *,
	    struct cybex_diag *);
int	 sq_alert_query(struct cybex_store *, const struct cybex_alert_query *,
	    cybex_alert_row_fn, void *, struct cybex_page *,
	    struct cybex_diag *);
int	 sq_alert_close(struct cybex_store *, const char *,
	    struct cybex_diag *);
int	 sq_sighting_merge(struct cybex_store *,
	    const struct cybex_sighting_state *, struct cybex_arena *,
	    struct cybex_sighting_state *, struct cybex_diag *);
int	 sq_sighting_get(struct cybex_store *, const char *,
	    struct cybex_arena *, struct cybex_sighting_state *,
	    struct cybex_diag *);
int	 sq_sighting_written(struct cybex_store *, const char *, int64_t,
	    uint64_t, struct cybex_diag *);
int	 sq_sighting_latest(struct cybex_store *, const char *, int64_t *,
	    struct cybex_diag *);
int	 sq_coop_note(struct cybex_store *, const char *, const char *,
	    uint64_t, int64_t, int64_t, size_t *, bool *, struct cybex_diag *);
int	 sq_coop_orgs(struct cybex_store *, const char *, cybex_coop_fn, void *,
	    struct cybex_diag *);

/* assets.c: the asset inventory. */
extern const struct store_asset_ops sq_asset_ops;

#endif
