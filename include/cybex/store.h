/*
 * cybex store: STIX objects with all their versions, collections with the
 * date each version was added, users, tokens and permissions, behind one
 * interface with interchangeable backends (SQLite now, PostgreSQL next).
 *
 * Identity of a stored version: the object's id plus its version, which is
 * its "modified" timestamp, else its "created" (marking definitions, never
 * versioned), else "" (SCOs); objects without modified therefore have
 * exactly one version.  The JSON is kept
 * exactly as received.  Every version lives in at least one collection;
 * adding a version to a collection gives it a date_added (microseconds)
 * that is strictly increasing within the collection, so paging by
 * added_after never skips or repeats.
 *
 * Threads: a struct cybex_store is used by one thread at a time.  Open one
 * per thread; SQLite serializes writers (one writer, many readers in WAL).
 */
#ifndef CYBEX_STORE_H
#define CYBEX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"
#include "cybex/stix.h"

struct cybex_store;

/* Flags for cybex_store_open. */
#define CYBEX_STORE_RDONLY	0x1	/* never write, never migrate */
#define CYBEX_STORE_NOCREATE	0x2	/* the database must exist */

/*
 * Open a store.  dsn is a file path (SQLite), "sqlite:PATH", or later
 * "postgresql://...".  A new database is created and its schema set up; an
 * older one is migrated (each numbered migration in its own transaction);
 * one written by a newer cybex is refused with CYBEX_EVERSION.  The
 * collection "default" always exists.
 */
int	 cybex_store_open(const char *dsn, unsigned flags,
	    struct cybex_store **out, struct cybex_diag *d);
/* Closes cleanly (checkpoints the WAL); NULL-safe. */
void	 cybex_store_close(struct cybex_store *s);
/* Schema version of the open database and of this build. */
int	 cybex_store_schema_version(struct cybex_store *s);
int	 cybex_store_schema_latest(void);

/*
 * Transactions.  Writes outside an explicit transaction commit one by one;
 * inside one, they are all or nothing.  Not nestable.
 */
int	 cybex_store_begin(struct cybex_store *s, struct cybex_diag *d);
int	 cybex_store_commit(struct cybex_store *s, struct cybex_diag *d);
int	 cybex_store_rollback(struct cybex_store *s);

/* ---- collections ---- */
#define CYBEX_MEDIA_STIX21	"application/stix+json;version=2.1"
#define CYBEX_DEFAULT_COLLECTION	"default"	/* its alias */

struct cybex_collection {
	char		 id[CYBEX_UUID_STRLEN + 1];
	const char	*alias;		/* may be NULL */
	const char	*title;
	const char	*description;	/* may be NULL */
	const char	*media_types;	/* comma-separated; NULL = STIX 2.1 */
	int64_t		 created_us;	/* set by the store */
	uint64_t	 nobjects;	/* versions in it: only from ..._count */
	const char	*api_root;	/* TAXII API root name; NULL = default */
	/*
	 * The most restrictive TLP (enum cybex_tlp) the collection may hold
	 * and serve; 0 = unset: CYBEX_POLICY_COLLECTION_TLP (AMBER+STRICT,
	 * include/cybex/policy.h).  An object marked above it
	 * is refused (CYBEX_EPOLICY); TLP:RED needs a collection whose
	 * readers are exactly the intended recipients.
	 */
	int		 max_tlp;
};

/*
 * Create a collection.  An empty id gets a new UUIDv4 (written back into
 * c->id).  CYBEX_EEXIST when the id or alias is taken; CYBEX_EINVAL for a
 * malformed id, an alias that looks like a UUID, or a missing title.
 */
int	 cybex_store_collection_add(struct cybex_store *s,
	    struct cybex_collection *c, struct cybex_diag *d);
/*
 * Find a collection by id or alias.  Strings in *out live in arena a.
 * CYBEX_ENOTFOUND when there is none.
 */
int	 cybex_store_collection_get(struct cybex_store *s, const char *key,
	    struct cybex_arena *a, struct cybex_collection *out,
	    struct cybex_diag *d);
typedef int	(*cybex_collection_fn)(void *ud,
		    const struct cybex_collection *c);
/*
 * The number of versions in a collection (get and list leave nobjects 0:
 * counting takes time proportional to the collection's size).
 */
int	 cybex_store_collection_count(struct cybex_store *s, const char *key,
	    uint64_t *out, struct cybex_diag *d);
/* Every collection, ordered by creation; fn returning non-zero stops. */
int	 cybex_store_collection_list(struct cybex_store *s,
	    cybex_collection_fn fn, void *ud, struct cybex_diag *d);
/*
 * Change the TLP ceiling (max_tlp, CYBEX_TLP_CLEAR .. CYBEX_TLP_RED) of a
 * collection (id or alias).  Versions already in it that are marked above
 * a lowered ceiling stay stored but are no longer served: every egress
 * path filters by the collection's current ceiling; raising it again
 * serves them again.  *above (may be NULL) gets the number of such
 * versions.  CYBEX_ENOTFOUND, CYBEX_EINVAL for a level out of range.
 */
int	 cybex_store_collection_set_max_tlp(struct cybex_store *s,
	    const char *key, int max_tlp, uint64_t *above,
	    struct cybex_diag *d);
/* Remove a collection and its membership rows; versions that are then in
 * no collection are deleted.  The default collection cannot be removed. */
int	 cybex_store_collection_remove(struct cybex_store *s, const char *key,
	    struct cybex_diag *d);

/* ---- TAXII API roots ---- */
#define CYBEX_DEFAULT_API_ROOT	"api1"	/* exists in every store */
#define CYBEX_API_ROOT_MAX	64	/* name: [a-z0-9_-], a URL path segment */

struct cybex_api_root {
	const char	*name;		/* the URL segment: /<name>/ */
	const char	*title;
	const char	*description;	/* may be NULL */
	int64_t		 max_content_length;	/* bytes; 0 = server default */
};
/* Add, or with replace true update, an API root.  CYBEX_EEXIST. */
int	 cybex_store_api_root_put(struct cybex_store *s,
	    const struct cybex_api_root *r, bool replace, struct cybex_diag *d);
int	 cybex_store_api_root_get(struct cybex_store *s, const char *name,
	    struct cybex_arena *a, struct cybex_api_root *out,
	    struct cybex_diag *d);
typedef int	(*cybex_api_root_fn)(void *ud, const struct cybex_api_root *r);
int	 cybex_store_api_root_list(struct cybex_store *s, cybex_api_root_fn fn,
	    void *ud, struct cybex_diag *d);

/* ---- TAXII status resources (add objects) ---- */
struct cybex_status {
	char		 id[CYBEX_UUID_STRLEN + 1];
	const char	*api_root;
	int64_t		 uid;		/* who asked */
	int64_t		 created_us;	/* request_timestamp */
	bool		 complete;
	uint64_t	 total;
	uint64_t	 success;
	uint64_t	 failure;
	uint64_t	 pending;
	/* JSON object text {"successes":[..],"failures":[..],"pendings":[..]} */
	const char	*detail;
};
/* Insert or update a status resource (by id). */
int	 cybex_store_status_put(struct cybex_store *s,
	    const struct cybex_status *st, struct cybex_diag *d);
/* CYBEX_ENOTFOUND when there is none with this id in this API root. */
int	 cybex_store_status_get(struct cybex_store *s, const char *api_root,
	    const char *id, struct cybex_arena *a, struct cybex_status *out,
	    struct cybex_diag *d);

/*
 * Durable add-objects work.  A server that answers an add-objects request
 * with 202 first stores the request as a job, in the same transaction as
 * the new status, so that the accepted work survives a crash; a worker
 * takes the jobs oldest first and removes each in the transaction that
 * completes its status.  A removed status takes its job with it.
 */
struct cybex_status_job {
	int64_t		 jid;		/* increases in the order of adding */
	char		 status_id[CYBEX_UUID_STRLEN + 1];
	const char	*api_root;	/* of the status */
	const char	*coll_id;
	int64_t		 uid;		/* of the status */
	int64_t		 created_us;	/* of the status */
};
/*
 * Add the job of status status_id (which must exist: put it first, in
 * the same transaction) for collection coll_id; body[0..len) is the
 * request body, kept as it is.  CYBEX_ENOTFOUND when there is no such
 * status, CYBEX_EEXIST when it has a job already.
 */
int	 cybex_store_status_job_add(struct cybex_store *s,
	    const char *status_id, const char *coll_id, const char *body,
	    size_t len, struct cybex_diag *d);
/*
 * The oldest job whose jid is greater than after: *out (strings in arena
 * a) and its body appended to *body (caller's buffer, within its cap:
 * CYBEX_ETOOBIG).  CYBEX_ENOTFOUND when there is none.
 */
int	 cybex_store_status_job_next(struct cybex_store *s, int64_t after,
	    struct cybex_arena *a, struct cybex_status_job *out,
	    struct cybex_buf *body, struct cybex_diag *d);
/* Remove the job of status status_id; CYBEX_ENOTFOUND when it has none. */
int	 cybex_store_status_job_remove(struct cybex_store *s,
	    const char *status_id, struct cybex_diag *d);
/* The number of jobs not yet removed. */
int	 cybex_store_status_job_count(struct cybex_store *s, uint64_t *out,
	    struct cybex_diag *d);
/*
 * Expire status resources: remove the complete ones last updated before
 * before_us, then, while the details of the complete ones left take more
 * than max_bytes together (0 = no bound), the least recently updated.
 * Statuses that still have a job are kept.  *removed (may be NULL) gets
 * the number removed.
 */
int	 cybex_store_status_expire(struct cybex_store *s, int64_t before_us,
	    uint64_t max_bytes, uint64_t *removed, struct cybex_diag *d);

/*
 * The per-hub secret called name (len bytes, 16 to 64): made at random
 * (libsodium) the first time it is asked for, then kept in the database
 * for good.  It keys what outsiders must not predict, such as the ids of
 * the objects the hub itself writes.  CYBEX_EINVAL for a bad len or name;
 * the store's errors (a read-only store cannot make one).
 */
#define CYBEX_STORE_SECRET_MIN	16
#define CYBEX_STORE_SECRET_MAX	64
int	 cybex_store_secret(struct cybex_store *s, const char *name,
	    uint8_t *out, size_t len, struct cybex_diag *d);

/* ---- writing objects ---- */
enum cybex_put_result {
	CYBEX_PUT_ADDED = 1,	/* a new version, added to the collection */
	CYBEX_PUT_LINKED,	/* version known, newly added to this collection */
	CYBEX_PUT_PRESENT,	/* same version, same content, already there */
	/*
	 * With CYBEX_ECONFLICT: the collection holds this version with other
	 * content; that first content is kept and this one is recorded as a
	 * conflict (cybex_store_conflict_list) for an operator to resolve.
	 */
	CYBEX_PUT_CONFLICT,
};

/*
 * Store one valid STIX object (validate it first) in the collection with
 * id coll_id (the id, not an alias: see cybex_store_collection_get).
 * text[0..len) is the JSON as received and is what is stored; obj is its
 * parsed form.  Versions are compared only with those in the target
 * collection: what other collections hold never changes the result, the
 * error or its message (a writer must learn nothing of collections it
 * may not read); the same content already stored elsewhere is stored
 * once and linked.  The same id and version with different content
 * (compared as RFC 8785 canonical JSON) in the collection is never an
 * overwrite: the first is kept, this one is recorded as a conflict (once
 * per content, with the handle's source, see cybex_store_set_source; it
 * commits with the caller's transaction, or at once outside one) and the
 * put returns CYBEX_ECONFLICT with *out = CYBEX_PUT_CONFLICT.  A new
 * version of an object whose version in the collection is revoked is
 * CYBEX_ECONFLICT with *out = 0, and nothing is recorded.  An
 * object whose TLP marking is above the collection's max_tlp is
 * CYBEX_EPOLICY.  Markings count through marking-definition references,
 * within the target collection only: a marking-definition that
 * collection holds (or received earlier in the same transaction)
 * conveys its TLP definition (cybex_stix_marking_conveys) and its own
 * markings, most restrictive of the versions it holds there; what other
 * collections hold never counts, so the answer tells nothing of them.
 * A reference the collection cannot resolve does not stop the put, but
 * the version is stored as TLP:RED (served only by RED collections)
 * until that marking-definition is stored in the collection, which
 * settles it (and raises it, if the definition is above the ceiling, out
 * of what the collection serves).  A version several collections share
 * (the same content) is stored once, at the most restrictive of their
 * views: a collection that sees it as RED withholds it everywhere (only
 * a writer who holds that content can cause this).  An object the store
 * cannot take as it is (no string id or type, a modified/created that is
 * not a STIX timestamp) is CYBEX_ESTIX: like those two, a rejection of
 * this object, after which the caller can go on with the next.
 */
int	 cybex_store_put(struct cybex_store *s, const char *coll_id,
	    const json_t *obj, const char *text, size_t len,
	    enum cybex_put_result *out, struct cybex_diag *d);

/*
 * As cybex_store_put, with the date_added given (loading data exported
 * from another server).  It must be later than the collection's last
 * date_added (CYBEX_EINVAL otherwise), so added_after paging stays exact.
 */
int	 cybex_store_put_at(struct cybex_store *s, const char *coll_id,
	    const json_t *obj, const char *text, size_t len,
	    int64_t date_added_us, enum cybex_put_result *out,
	    struct cybex_diag *d);

/*
 * Who writes through handle s from now on (a feed, a file, a TAXII user),
 * kept with the conflicts its puts record; NULL or "" = nobody named.
 * Longer text is cut at CYBEX_STORE_SOURCE_MAX - 1 bytes.
 */
#define CYBEX_STORE_SOURCE_MAX	256
void	 cybex_store_set_source(struct cybex_store *s, const char *source);

/* ---- conflicts: same id and version, other content, one collection ---- */
struct cybex_conflict {
	int64_t		 xid;		/* the conflict's number */
	char		 coll_id[CYBEX_UUID_STRLEN + 1];
	const char	*coll_alias;	/* may be NULL */
	const char	*id;
	const char	*version;	/* version key; "" for an SCO */
	const char	*json;		/* the refused content, as received */
	size_t		 len;
	char		 sha256[65];	/* hex, of its RFC 8785 canonical form */
	const char	*source;	/* who sent it; may be NULL */
	int64_t		 created_us;	/* when it was refused */
	bool		 kept_present;	/* the collection holds the version */
};
typedef int	(*cybex_conflict_fn)(void *ud, const struct cybex_conflict *c);
/*
 * The recorded conflicts of collection coll_id (id or alias; NULL = all
 * collections), oldest first; the struct is valid during the call, fn
 * returning non-zero stops and is returned.  CYBEX_ENOTFOUND for an
 * unknown collection.
 */
int	 cybex_store_conflict_list(struct cybex_store *s, const char *coll_id,
	    cybex_conflict_fn fn, void *ud, struct cybex_diag *d);
enum cybex_conflict_keep {
	CYBEX_KEEP_FIRST = 1,	/* the stored content stays */
	CYBEX_KEEP_SECOND,	/* the refused content replaces it */
};
/*
 * Resolve conflict xid in one transaction (none may be open): keep the
 * first content (the record goes), or the second, which then replaces
 * the version in that collection only, with a new date_added (pollers see
 * the change; other collections keep theirs).  CYBEX_ENOTFOUND, CYBEX_EINVAL
 * for another keep; CYBEX_EPOLICY when the second is marked above what the
 * collection may hold now.
 */
int	 cybex_store_conflict_resolve(struct cybex_store *s, int64_t xid,
	    enum cybex_conflict_keep keep, struct cybex_diag *d);

/* ---- queries ---- */
enum cybex_version_match {
	CYBEX_VERSION_LAST = 0x1,	/* default */
	CYBEX_VERSION_FIRST = 0x2,
	CYBEX_VERSION_ALL = 0x4,
};

#define CYBEX_QUERY_LIMIT_MAX	10000

/*
 * A query over one collection (coll_id NULL = every collection, each
 * version once: for export).  Lists are NULL/0 when unused.  versions is a
 * bit set of enum cybex_version_match; version_at lists exact version
 * timestamps (match[version]=<timestamp>), ORed with the bits.  limit 0 =
 * no limit (export); TAXII callers always set one.  next is a token from a
 * previous page (it carries where that page ended; the other fields must be
 * the same).
 */
struct cybex_query {
	const char		*coll_id;
	bool			 has_added_after;
	int64_t			 added_after_us;
	const char *const	*ids;
	size_t			 nids;
	const char *const	*types;
	size_t			 ntypes;
	unsigned		 versions;
	const char *const	*version_at;	/* RFC 3339 strings */
	size_t			 nversion_at;
	const char *const	*spec_versions;
	size_t			 nspec_versions;
	size_t			 limit;
	const char		*next;
	/* Serve nothing above it; 0 = unset: no ceiling (egress paths
	 * take cybex_policy_egress_ceiling). */
	int			 max_tlp;
};

/* One stored version as a query returns it; valid during the callback. */
struct cybex_row {
	const char	*id;
	const char	*type;
	const char	*version;	/* "" when the object has no modified */
	const char	*spec_version;
	const char	*media_type;
	const char	*json;		/* as received; NULL for manifests */
	size_t		 len;
	/* date_added in the queried collection (export: the first one) */
	int64_t		 date_added_us;
};
typedef int	(*cybex_row_fn)(void *ud, const struct cybex_row *r);
/*
 * A row callback may return CYBEX_ROW_STOP: the row is not taken and the
 * page ends before it (page->more and page->next are set so the next
 * page starts with it).  Any other non-zero value aborts the query.
 */
#define CYBEX_ROW_STOP	1

/* Where a page ended. */
struct cybex_page {
	size_t		 count;
	bool		 more;
	char		 next[64];		/* token when more */
	int64_t		 first_added_us;	/* of the rows returned */
	int64_t		 last_added_us;
};

/*
 * Run q, calling fn for each row in date_added order (export: storage
 * order); fn returning non-zero stops the query and is returned.  Rows are
 * streamed: nothing is collected in memory.  CYBEX_EINVAL for a bad next
 * token; CYBEX_ENOTFOUND for an unknown collection.
 */
int	 cybex_store_query(struct cybex_store *s, const struct cybex_query *q,
	    cybex_row_fn fn, void *ud, struct cybex_page *page,
	    struct cybex_diag *d);
/* The same rows without their JSON (TAXII manifests). */
int	 cybex_store_manifest(struct cybex_store *s,
	    const struct cybex_query *q, cybex_row_fn fn, void *ud,
	    struct cybex_page *page, struct cybex_diag *d);
/*
 * Remove the versions of one object (q->ids[0]) matching q's version and
 * spec_version filters from collection q->coll_id (TAXII delete: with no
 * version filter, every version).  *removed counts them; versions left in
 * no collection are deleted.
 */
int	 cybex_store_delete(struct cybex_store *s, const struct cybex_query *q,
	    size_t *removed, struct cybex_diag *d);

/* ---- maintenance ---- */
struct cybex_store_count {
	const char	*name;		/* type, or collection alias/id */
	uint64_t	 objects;	/* distinct ids */
	uint64_t	 versions;
};
typedef int	(*cybex_count_fn)(void *ud, int kind,
		    const struct cybex_store_count *c);
#define CYBEX_COUNT_TYPE	1
#define CYBEX_COUNT_COLLECTION	2
struct cybex_store_stats {
	uint64_t	 objects;	/* distinct ids */
	uint64_t	 versions;
	uint64_t	 collections;
	uint64_t	 bytes_on_disk;
	int		 schema_version;
};
/* Totals into *out; per-type and per-collection counts through fn. */
int	 cybex_store_stats(struct cybex_store *s, cybex_count_fn fn, void *ud,
	    struct cybex_store_stats *out, struct cybex_diag *d);
/*
 * Check consistency: the backend's own check (PRAGMA integrity_check) and
 * cybex's invariants.  Each problem goes to fn (may be NULL); returns 0
 * when consistent, CYBEX_EDB otherwise.
 */
int	 cybex_store_check(struct cybex_store *s, cybex_diag_fn fn, void *ud,
	    struct cybex_diag *d);

/* ---- helpers ---- */
/*
 * The version key of an object: its "modified" (else "created") rewritten
 * with nine fractional digits ("2016-04-06T20:03:00.000000000Z", so
 * versions sort as text), or "" when it has neither.  out needs
 * CYBEX_VERSION_KEY_MAX bytes.  CYBEX_ESTIX when that value is not a STIX
 * timestamp.
 */
#define CYBEX_VERSION_KEY_MAX	32
int	 cybex_store_version_key(const json_t *obj, char *out,
	    struct cybex_diag *d);
/* RFC 3339 with microseconds for a date_added; out needs 32 bytes. */
void	 cybex_store_format_us(int64_t us, char *out, size_t outsz);

/* ---- accounts: users, groups, API tokens, permissions, audit ---- */
struct cybex_user {
	int64_t		 uid;
	const char	*name;
	bool		 is_admin;
	bool		 disabled;
	int64_t		 created_us;
};

#define CYBEX_NAME_MAX	64	/* user and group names: [A-Za-z0-9._@-] */

/*
 * Add a user.  pwhash is an Argon2id string from cybex_password_hash (NULL:
 * no password, tokens only).  CYBEX_EEXIST when the name is taken,
 * CYBEX_EINVAL for a bad name.
 */
int	 cybex_store_user_add(struct cybex_store *s, const char *name,
	    const char *pwhash, bool admin, struct cybex_diag *d);
/*
 * A user by name; *pwhash (may be NULL to skip) gets the stored hash or
 * NULL.  Strings live in arena a.  CYBEX_ENOTFOUND.
 */
int	 cybex_store_user_get(struct cybex_store *s, const char *name,
	    struct cybex_arena *a, struct cybex_user *out, const char **pwhash,
	    struct cybex_diag *d);
typedef int	(*cybex_user_fn)(void *ud, const struct cybex_user *u);
int	 cybex_store_user_list(struct cybex_store *s, cybex_user_fn fn,
	    void *ud, struct cybex_diag *d);
/* Remove a user with their tokens, memberships and permissions. */
int	 cybex_store_user_remove(struct cybex_store *s, const char *name,
	    struct cybex_diag *d);
int	 cybex_store_user_set_password(struct cybex_store *s, const char *name,
	    const char *pwhash, struct cybex_diag *d);

int	 cybex_store_group_add(struct cybex_store *s, const char *name,
	    struct cybex_diag *d);
int	 cybex_store_group_remove(struct cybex_store *s, const char *name,
	    struct cybex_diag *d);
/* Add (member true) or remove a user from a group. */
int	 cybex_store_group_member(struct cybex_store *s, const char *group,
	    const char *user, bool member, struct cybex_diag *d);

/* An API token as stored: only its SHA-256 hash is kept. */
struct cybex_token {
	int64_t		 tid;
	const char	*name;
	const char	*user;
	int64_t		 uid;
	int64_t		 created_us;
	int64_t		 expires_us;	/* 0 = never */
	int64_t		 revoked_us;	/* 0 = not revoked */
	int64_t		 last_used_us;
};
#define CYBEX_TOKEN_HASH_LEN	32
/* Store a token's hash for user; *tid gets its id. */
int	 cybex_store_token_add(struct cybex_store *s, const char *user,
	    const char *name, const uint8_t hash[CYBEX_TOKEN_HASH_LEN],
	    int64_t expires_us, int64_t *tid, struct cybex_diag *d);
/*
 * The token with this hash (revoked and expired ones too: the caller
 * decides and says why).  CYBEX_ENOTFOUND.
 */
int	 cybex_store_token_find(struct cybex_store *s,
	    const uint8_t hash[CYBEX_TOKEN_HASH_LEN], struct cybex_arena *a,
	    struct cybex_token *out, struct cybex_diag *d);
typedef int	(*cybex_token_fn)(void *ud, const struct cybex_token *t);
/* Tokens of one user (NULL = all users). */
int	 cybex_store_token_list(struct cybex_store *s, const char *user,
	    cybex_token_fn fn, void *ud, struct cybex_diag *d);
int	 cybex_store_token_revoke(struct cybex_store *s, int64_t tid,
	    struct cybex_diag *d);
/* Record a use (throttled by the caller). */
int	 cybex_store_token_touch(struct cybex_store *s, int64_t tid,
	    struct cybex_diag *d);

/*
 * Grant (or with both false, revoke) read/write on a collection (id or
 * alias) to a user (group false) or group.  Replaces what was granted.
 */
int	 cybex_store_grant(struct cybex_store *s, const char *coll_key,
	    bool group, const char *principal, bool can_read, bool can_write,
	    struct cybex_diag *d);
/*
 * What user uid may do with collection coll_id: the union of the user's
 * own grants and those of their groups.  Admins are not special here.
 */
int	 cybex_store_access(struct cybex_store *s, int64_t uid,
	    const char *coll_id, bool *can_read, bool *can_write,
	    struct cybex_diag *d);

/* Append to the audit log (no secrets in any field). */
int	 cybex_store_audit(struct cybex_store *s, const char *actor,
	    const char *action, const char *target, const char *detail,
	    struct cybex_diag *d);

/* ---- member organizations ---- */
/*
 * A member organization of the hub (a constituent of a CSIRT, a member of
 * an ISAC).  A user belongs to at most one; what a member's sensors send
 * is analysed and stored as that organization's.  Names follow the rules
 * of user names (CYBEX_NAME_MAX, [A-Za-z0-9._@-]).
 */
struct cybex_org {
	const char	*name;
	int64_t		 created_us;
	uint64_t	 members;	/* users in it */
};

/* Rights of a member within its organization (bits). */
#define CYBEX_ORG_INGEST	0x1	/* may send events (POST /api/v1/events) */
/*
 * The member's role in its organization's incidents and alerts (the REST
 * API's authorization matrix, docs/incidents.md), stored in the rights
 * as two bits: read-only (0, so a membership made without a role reads
 * only), analyst, lead.  The hub admin (cybex user add --admin) is no
 * role: admins may do everything in every organization.
 */
#define CYBEX_ORG_ROLE_MASK	0x30
#define CYBEX_ORG_ROLE_READONLY	0x00
#define CYBEX_ORG_ROLE_ANALYST	0x10
#define CYBEX_ORG_ROLE_LEAD	0x20
/* "read-only", "analyst", "lead": the role in rights (static strings). */
const char	*cybex_store_org_role_name(unsigned rights);
/* The CYBEX_ORG_ROLE_* bits of role name s, or -1 when s names none. */
int		 cybex_store_org_role_parse(const char *s);

/* Add an organization.  CYBEX_EEXIST when the name is taken, CYBEX_EINVAL
 * for a bad name. */
int	 cybex_store_org_add(struct cybex_store *s, const char *name,
	    struct cybex_diag *d);
/*
 * Remove an organization; its users are members of none afterwards.
 * Alerts, sighting state and cooperative notes are found by the
 * organization's name, so a new organization of the same name would
 * inherit them: while the store holds any (its own alerts, alerts naming
 * it, its sighting state or cooperative notes) the removal is refused
 * with CYBEX_ECONFLICT (d says how many), unless flags has
 * CYBEX_ORG_PURGE, which deletes them all with the organization in one
 * transaction.  (The STIX sighting objects already published stay.)
 * CYBEX_ENOTFOUND; CYBEX_EINVAL for unknown flags.
 */
#define CYBEX_ORG_PURGE		0x1
int	 cybex_store_org_remove(struct cybex_store *s, const char *name,
	    unsigned flags, struct cybex_diag *d);
typedef int	(*cybex_org_fn)(void *ud, const struct cybex_org *o);
/* Every organization by name; fn returning non-zero stops and is returned. */
int	 cybex_store_org_list(struct cybex_store *s, cybex_org_fn fn, void *ud,
	    struct cybex_diag *d);
/*
 * Make user a member of org with rights (CYBEX_ORG_* bits: CYBEX_ORG_INGEST
 * and one CYBEX_ORG_ROLE_*), replacing any earlier membership; org NULL
 * removes the user from their organization.  CYBEX_ENOTFOUND for an
 * unknown user or organization, CYBEX_EINVAL for unknown bits.
 */
int	 cybex_store_org_member(struct cybex_store *s, const char *org,
	    const char *user, unsigned rights, struct cybex_diag *d);
/*
 * The organization of user uid: *org (in arena a) and *rights, or NULL and
 * 0 when the user belongs to none.  A user that does not exist belongs to
 * none.
 */
int	 cybex_store_user_org(struct cybex_store *s, int64_t uid,
	    struct cybex_arena *a, const char **org, unsigned *rights,
	    struct cybex_diag *d);

/* ---- alerts ---- */
#define CYBEX_ALERT_EVIDENCE_MAX (64u * 1024)	/* bytes of evidence JSON */
#define CYBEX_ALERT_PARTIES_MAX_BYTES (16u * 1024) /* bytes of parties JSON */
#define CYBEX_ALERT_KEY_MAX	512
#define CYBEX_ALERT_TEXT_MAX	1024	/* summary and the other strings */
#define CYBEX_ALERT_ORGS_MAX	256	/* organizations one alert names */

/*
 * A stored alert.  An open alert is identified by (org, key): storing an
 * alert whose (org, key) matches an open one updates it instead of adding
 * a row.  org NULL is the hub's own alert (cooperative analysis); orgs
 * lists the member organizations it names (besides org).  parties is a
 * JSON array text, evidence a JSON object text.  Times are microseconds.
 */
struct cybex_alert_row {
	char		 id[CYBEX_UUID_STRLEN + 1];	/* set by the store */
	const char	*key;
	const char	*detector;
	const char	*taxonomy_class;	/* RSIT class, may be NULL */
	const char	*taxonomy_type;		/* RSIT type, may be NULL */
	int		 severity;	/* 1 low .. 4 critical */
	const char	*summary;
	const char	*org;
	const char	*sensor;	/* may be NULL */
	int64_t		 first_seen_us;
	int64_t		 last_seen_us;
	uint64_t	 count;		/* observations behind it, >= 1 */
	const char	*parties;	/* NULL = "[]" */
	const char	*evidence;	/* NULL = "{}" */
	const char *const *orgs;
	size_t		 norgs;
	/* enum cybex_tlp; 0 = unset: CYBEX_POLICY_ALERT_TLP (AMBER) */
	int		 tlp;
	int64_t		 created_us;	/* set by the store */
	int64_t		 updated_us;	/* set by the store */
	int64_t		 closed_us;	/* 0 = open */
};

enum cybex_alert_put_result {
	CYBEX_ALERT_ADDED = 1,		/* a new alert */
	CYBEX_ALERT_UPDATED,		/* merged into the open one */
	CYBEX_ALERT_UNCHANGED,		/* the open one already said it all */
};

/*
 * Store an alert, or merge it into the open alert with the same (org,
 * key), whose id is then written into a->id.  Merging widens first/last
 * seen, keeps the highest severity, unites the organizations named, takes
 * the summary, parties and evidence of whichever is later, and counts:
 * an alert that starts after the stored one's last_seen is new activity
 * and its count is added; one that overlaps it is the same activity
 * raised again (or a replayed input), so the count becomes the larger of
 * the two.  Re-running the same input therefore changes nothing.
 * CYBEX_EINVAL for a missing key, detector or summary, a count of 0,
 * first after last, a severity outside 1..4, parties or evidence that are
 * not a JSON array/object, CYBEX_ETOOBIG past the caps above.
 */
int	 cybex_store_alert_put(struct cybex_store *s, struct cybex_alert_row *a,
	    enum cybex_alert_put_result *out, struct cybex_diag *d);
/*
 * The merge rule of cybex_store_alert_put, alone (the analysis pipeline
 * merges pending alerts with it before they reach the store): widen
 * open's first/last seen, count in's count as above, keep the highest
 * severity and the most restrictive tlp.  True when in is the later one:
 * open then points at in's summary, parties, evidence, sensor,
 * taxonomy and detector (borrowed, not copied).  Organizations are the
 * caller's to unite.  Pure: no store, no allocation.
 */
bool	 cybex_store_alert_merge(struct cybex_alert_row *open,
	    const struct cybex_alert_row *in);

/*
 * Which alerts to list.  org: the alerts of org and those naming it
 * (NULL = all); max_tlp applies to the ones that are not org's own (0 =
 * unset: no limit; cybex_policy_alert_scope sets both for a caller).
 * since: alerts whose last_seen is at or after it.  limit 0 = no limit
 * (at most CYBEX_QUERY_LIMIT_MAX otherwise); next is a token from a
 * previous page of the same query.
 */
struct cybex_alert_query {
	const char	*id;		/* one alert; NULL = any */
	bool		 has_since;
	int64_t		 since_us;
	const char	*org;
	int		 max_tlp;
	const char	*detector;	/* NULL = any */
	bool		 open_only;
	size_t		 limit;
	const char	*next;
};
typedef int	(*cybex_alert_row_fn)(void *ud,
		    const struct cybex_alert_row *a);
/*
 * Alerts in the order they were first stored, streamed to fn (the row is
 * valid during the call); fn returning CYBEX_ROW_STOP ends the page before
 * that row, another non-zero value aborts and is returned.  page->count,
 * more and next as for cybex_store_query.  CYBEX_EINVAL for a bad token.
 */
int	 cybex_store_alert_query(struct cybex_store *s,
	    const struct cybex_alert_query *q, cybex_alert_row_fn fn,
	    void *ud, struct cybex_page *page, struct cybex_diag *d);
/* Close an open alert: a later alert with its key opens a new one.
 * CYBEX_ENOTFOUND when there is no open alert with this id. */
int	 cybex_store_alert_close(struct cybex_store *s, const char *id,
	    struct cybex_diag *d);

/* ---- sighting aggregation ---- */
#define CYBEX_SIGHTING_SAMPLE_MAX (16u * 1024)	/* bytes of sample JSON */

/*
 * What the hub knows of one (indicator, sensor) pair: the id of the STIX
 * sighting that reports it, the counts, and which version of that sighting
 * was written last.  sample is the JSON of the latest hit's evidence.
 */
struct cybex_sighting_state {
	const char	*id;		/* "sighting--UUID" */
	const char	*indicator_id;
	const char	*sensor_ref;	/* "identity--UUID" of the sensor */
	const char	*org;		/* NULL = none */
	uint64_t	 count;
	int64_t		 first_seen_us;
	int64_t		 last_seen_us;
	int64_t		 created_us;	/* set by the store on insert */
	int64_t		 modified_us;	/* of the last STIX version written */
	uint64_t	 written_count;	/* count in that version */
	const char	*sample;	/* may be NULL */
	/*
	 * run: who merges (a number of the writing pipeline, not 0).  The
	 * store keeps in guard_us the last_seen the state had before run's
	 * first merge (INT64_MIN when run made it), so a writer that
	 * emptied its table can still tell its own hits from a replay of an
	 * earlier run's.  Rows from before schema 6 have run 0.
	 */
	uint64_t	 run;
	int64_t		 guard_us;	/* set by the store */
};

/*
 * Add delta->count to the state of delta->id (made when new, with the
 * indicator, sensor and org of delta), widen first/last seen, and replace
 * the sample when delta has one.  *out (may be NULL) gets the state after
 * the merge, strings in arena a.  CYBEX_EINVAL for a malformed id or a
 * first after last, CYBEX_ETOOBIG for a sample over the cap.
 */
int	 cybex_store_sighting_merge(struct cybex_store *s,
	    const struct cybex_sighting_state *delta, struct cybex_arena *a,
	    struct cybex_sighting_state *out, struct cybex_diag *d);
/* The state of sighting id; CYBEX_ENOTFOUND. */
int	 cybex_store_sighting_get(struct cybex_store *s, const char *id,
	    struct cybex_arena *a, struct cybex_sighting_state *out,
	    struct cybex_diag *d);
/* Record that the version modified_us with count was written. */
int	 cybex_store_sighting_written(struct cybex_store *s, const char *id,
	    int64_t modified_us, uint64_t count, struct cybex_diag *d);
/* The latest last_seen of any sighting of sensor_ref (0 when none). */
int	 cybex_store_sighting_latest(struct cybex_store *s,
	    const char *sensor_ref, int64_t *out, struct cybex_diag *d);

/* ---- cooperative analysis ---- */
#define CYBEX_COOP_SUBJECT_MAX	512

/*
 * Which member organizations have seen a subject: an attacking source
 * ("ipv4-addr|198.51.100.7", kind|value of an alert's attacker) or an
 * indicator ("indicator|indicator--...").  Kept in the store so that
 * organizations whose data is analysed by different processes, or on
 * different days, still meet.
 */
struct cybex_coop_org {
	const char	*org;
	uint64_t	 hits;
	int64_t		 first_seen_us;
	int64_t		 last_seen_us;
};
/*
 * Note that org saw subject hits more times (0: it was there) between
 * first_us and last_us.  *norgs gets the number of organizations that
 * have seen subject, *added whether org is new to it.  CYBEX_EINVAL for
 * an empty or over-long subject or a bad organization name.
 */
int	 cybex_store_coop_note(struct cybex_store *s, const char *subject,
	    const char *org, uint64_t hits, int64_t first_us, int64_t last_us,
	    size_t *norgs, bool *added, struct cybex_diag *d);
typedef int	(*cybex_coop_fn)(void *ud, const struct cybex_coop_org *o);
/* The organizations that saw subject, the first to see it first. */
int	 cybex_store_coop_orgs(struct cybex_store *s, const char *subject,
	    cybex_coop_fn fn, void *ud, struct cybex_diag *d);

/* ---- import: the streaming loop shared by the CLI and the server ---- */
struct cybex_import_stats;

/* What became of one object of an import (cybex_import_opts.on_object). */
enum cybex_import_outcome {
	CYBEX_IMPORT_ADDED = 1,		/* stored: a new version */
	CYBEX_IMPORT_LINKED,		/* stored: known, new to the collection */
	CYBEX_IMPORT_PRESENT,		/* already there, the same */
	CYBEX_IMPORT_INVALID,		/* failed validation (CYBEX_ESTIX) */
	CYBEX_IMPORT_REFUSED,		/* the store said no: ECONFLICT, EPOLICY */
	/* Not stored: the collection holds this version with other content;
	 * recorded as a conflict (code CYBEX_ECONFLICT). */
	CYBEX_IMPORT_CONFLICT,
};
struct cybex_import_object {
	uint64_t			 index;	/* among the input's objects, from 0 */
	const json_t			*json;	/* valid during the call */
	enum cybex_import_outcome	 outcome;
	int				 code;	/* rejected: why (CYBEX_E*); else 0 */
	/* Rejected: the first reason, located in the input; else NULL. */
	const struct cybex_diag		*diag;
};

struct cybex_import_opts {
	const struct cybex_stix_opts	*stix;		/* reader/validator */
	/* objects per transaction (0 = 50000) */
	size_t				 batch;
	/* one transaction; any reject aborts */
	bool				 all_or_nothing;
	/* Called for each rejected object (validation errors, conflicts). */
	cybex_diag_fn			 on_reject;
	void				*ud;
	/* Called after each committed batch (progress). */
	void				(*on_batch)(void *ud,
					    const struct cybex_import_stats *st);
	/*
	 * 0: two threads (read+validate | store) when the calling thread
	 * may run on more than one CPU, else one; 1: one thread, the
	 * caller's; 2: two threads.  The results are the same.
	 */
	int				 threads;
	/*
	 * Called for each object (not for skipped ones), in input order,
	 * once its outcome is known: whether it is stored is settled when
	 * its batch commits (the stored ones of a batch that fails to
	 * commit are not stored).
	 */
	void				(*on_object)(void *ud,
					    const struct cybex_import_object *ob);
	/*
	 * Called in each batch's transaction just before its commit, st
	 * counting what the commit will hold (st->objects); last is true
	 * for the commit after the input was read to its end.  What it
	 * writes commits with the batch (progress that must agree with
	 * what is stored); non-zero rolls the batch back and ends the
	 * import with that code (d set).
	 */
	int				(*before_commit)(void *ud,
					    const struct cybex_import_stats *st,
					    bool last, struct cybex_diag *d);
	/*
	 * The first skip objects are read and passed over: neither stored
	 * nor reported (resuming an import whose first skip objects were
	 * committed).
	 */
	uint64_t			 skip;
	/*
	 * In the caller's open transaction: the import neither begins,
	 * commits nor rolls back (batch, before_commit and on_batch are
	 * not used); the caller commits what it stored, or rolls it back
	 * when the import fails (several imports in one commit: the
	 * server's queued add-objects requests).  Not with all_or_nothing.
	 */
	bool				 caller_tx;
};
struct cybex_import_stats {
	uint64_t	 objects;	/* read */
	uint64_t	 added;
	uint64_t	 linked;	/* known version, new to the collection */
	uint64_t	 present;
	uint64_t	 rejected;	/* invalid or conflicting */
	uint64_t	 committed;	/* objects in committed batches */
	unsigned long long bytes;	/* input consumed */
	uint64_t	 bad_bundles;	/* bundle envelopes with errors */
	uint64_t	 skipped;	/* passed over (opts.skip), in objects */
	uint64_t	 conflicts;	/* of the rejected: recorded conflicts */
};
/*
 * Read STIX from r (bundles, objects, lists, JSON lines), validate each
 * object, and store the valid ones in coll_id, committing every batch.
 * Rejected objects are reported and skipped (unless all_or_nothing, when
 * the first one aborts and nothing is stored).  Returns 0 when the input
 * was read to its end (even with rejects), or the reader's error code (the
 * batches committed before it stay committed; *st says how many).
 */
int	 cybex_store_import(struct cybex_store *s, const char *coll_id,
	    struct cybex_stix_reader *r, const struct cybex_import_opts *o,
	    struct cybex_import_stats *st, struct cybex_diag *d);

/* ---- the asset inventory (issue 13) ---- */

/*
 * One product a member organization runs: by CPE 2.3 (formatted string,
 * no wildcards) and/or package URL (type/namespace/name), with its
 * version.  cpe and purl are the normal forms cybex_sbom_read hands out
 * (lib/vuln); the store keeps them as given.
 */
struct cybex_asset {
	int64_t		 id;		/* set by the store */
	const char	*org;
	const char	*cpe;		/* NULL: none */
	const char	*purl;		/* NULL: none */
	const char	*version;	/* NULL: unknown */
	const char	*name;		/* for people; may be NULL */
	const char	*source;	/* the file it came from; may be NULL */
	int64_t		 created_us;	/* set by the store */
};
#define CYBEX_ASSET_FIELD_MAX	2048	/* longest cpe, purl, version... */

/*
 * Add an asset to a->org; *added false when the organization lists the
 * same (cpe, purl, version) already (nothing changes).  CYBEX_ENOTFOUND
 * for an unknown organization; CYBEX_EINVAL when it has neither a CPE
 * nor a purl or a field is longer than CYBEX_ASSET_FIELD_MAX.
 */
int	 cybex_store_asset_add(struct cybex_store *s,
	    const struct cybex_asset *a, bool *added, struct cybex_diag *d);
typedef int	(*cybex_asset_fn)(void *ud, const struct cybex_asset *a);
/*
 * Every asset of org (NULL: of every organization), ordered by
 * organization, CPE, purl and version; fn returning non-zero stops and
 * is returned.  CYBEX_ENOTFOUND for an unknown organization.
 */
int	 cybex_store_asset_list(struct cybex_store *s, const char *org,
	    cybex_asset_fn fn, void *ud, struct cybex_diag *d);
/*
 * Remove asset id of org, or (id 0) all of org's; *removed counts them.
 * CYBEX_ENOTFOUND for an unknown organization or an id it does not have.
 */
int	 cybex_store_asset_remove(struct cybex_store *s, const char *org,
	    int64_t id, uint64_t *removed, struct cybex_diag *d);

#endif /* CYBEX_STORE_H */
