/*
 * Internal interface of the store: the versioned backend vtable (STYLE.md
 * section 5) and what store.c computes once for every backend.
 */
#ifndef CYBEX_STORE_INT_H
#define CYBEX_STORE_INT_H

#include "cybex/store.h"
#include "store_incident.h"

/* What a backend needs to store one version; derived by store.c. */
struct store_put {
	const char	*id;
	const char	*type;
	const char	*spec_version;
	const char	*media_type;
	char		 version[CYBEX_VERSION_KEY_MAX];
	bool		 revoked;
	const json_t	*obj;
	const char	*text;
	size_t		 len;
	int64_t		 date_added_us;	/* 0 = now */
	/*
	 * enum cybex_tlp as the target collection sees it (store_tlp_resolve,
	 * stored): a version several collections share keeps the most
	 * restrictive of their views.
	 */
	int		 tlp;
	const char	*source;	/* who sends it (set_source); may be NULL */
};

/*
 * The backend vtable is one table per domain (STYLE.md section 5).  Each
 * table starts with its own abi number: add slots only at the end of a
 * table and bump its number; a new domain is a new table whose pointer
 * goes at the end of struct cybex_store_ops (which then bumps
 * STORE_OPS_ABI).  store.c refuses a backend whose numbers differ.
 */

/* Collections: add, look up (by id or alias), list, remove, ceiling, counts. */
#define STORE_COLLECTION_ABI	1
struct store_collection_ops {
	int	 abi;		/* STORE_COLLECTION_ABI */
	int	(*collection_add)(struct cybex_store *s,
		    struct cybex_collection *c, struct cybex_diag *d);
	int	(*collection_get)(struct cybex_store *s, const char *key,
		    struct cybex_arena *a, struct cybex_collection *out,
		    struct cybex_diag *d);
	int	(*collection_list)(struct cybex_store *s,
		    cybex_collection_fn fn, void *ud, struct cybex_diag *d);
	int	(*collection_remove)(struct cybex_store *s, const char *key,
		    struct cybex_diag *d);
	int	(*collection_set_max_tlp)(struct cybex_store *, const char *,
		    int, uint64_t *, struct cybex_diag *);
	int	(*collection_count)(struct cybex_store *, const char *,
		    uint64_t *, struct cybex_diag *);
	/* A collection's ceiling (its id). */
	int	(*collection_ceiling)(struct cybex_store *, const char *, int *,
		    struct cybex_diag *);
};

/*
 * Object versions: put (at the level given; the rules are store.c's),
 * queries, deletes, what a marking-definition conveys in a collection,
 * conflicts.
 */
#define STORE_OBJECT_ABI	1
struct store_object_ops {
	int	 abi;		/* STORE_OBJECT_ABI */
	int	(*put)(struct cybex_store *s, const char *coll_id,
		    const struct store_put *p, enum cybex_put_result *out,
		    struct cybex_diag *d);
	int	(*query)(struct cybex_store *s, const struct cybex_query *q,
		    bool manifest, cybex_row_fn fn, void *ud,
		    struct cybex_page *page, struct cybex_diag *d);
	int	(*delete)(struct cybex_store *s, const struct cybex_query *q,
		    size_t *removed, struct cybex_diag *d);
	/*
	 * What marking-definition ref conveys in collection coll_id (an
	 * id): the most restrictive of the versions that collection holds
	 * (or received in the open transaction), each its TLP definition
	 * and its stored level; *found false when it holds none.
	 */
	int	(*marking_conveys)(struct cybex_store *, const char *,
		    const char *, int *, bool *, struct cybex_diag *);
	/*
	 * Conflicts of one collection (coll_id an id, NULL = all) or
	 * the one numbered xid (0 = any); resolve xid keeping the first
	 * (second NULL) or the second content (derived as for put).
	 */
	int	(*conflict_list)(struct cybex_store *, const char *, int64_t,
		    cybex_conflict_fn, void *, struct cybex_diag *);
	int	(*conflict_resolve)(struct cybex_store *, int64_t,
		    const struct store_put *, struct cybex_diag *);
};

/* Accounts: users, groups, tokens, grants, access, audit, per-hub secrets. */
#define STORE_AUTH_ABI	1
struct store_auth_ops {
	int	 abi;		/* STORE_AUTH_ABI */
	int	(*user_add)(struct cybex_store *, const char *, const char *,
		    bool, struct cybex_diag *);
	int	(*user_get)(struct cybex_store *, const char *,
		    struct cybex_arena *, struct cybex_user *, const char **,
		    struct cybex_diag *);
	int	(*user_list)(struct cybex_store *, cybex_user_fn, void *,
		    struct cybex_diag *);
	int	(*user_remove)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*user_set_password)(struct cybex_store *, const char *,
		    const char *, struct cybex_diag *);
	int	(*group_add)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*group_remove)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*group_member)(struct cybex_store *, const char *,
		    const char *, bool, struct cybex_diag *);
	int	(*token_add)(struct cybex_store *, const char *, const char *,
		    const uint8_t *, int64_t, int64_t *, struct cybex_diag *);
	int	(*token_find)(struct cybex_store *, const uint8_t *,
		    struct cybex_arena *, struct cybex_token *,
		    struct cybex_diag *);
	int	(*token_list)(struct cybex_store *, const char *,
		    cybex_token_fn, void *, struct cybex_diag *);
	int	(*token_revoke)(struct cybex_store *, int64_t,
		    struct cybex_diag *);
	int	(*token_touch)(struct cybex_store *, int64_t,
		    struct cybex_diag *);
	int	(*grant)(struct cybex_store *, const char *, bool, const char *,
		    bool, bool, struct cybex_diag *);
	int	(*access)(struct cybex_store *, int64_t, const char *, bool *,
		    bool *, struct cybex_diag *);
	int	(*audit)(struct cybex_store *, const char *, const char *,
		    const char *, const char *, struct cybex_diag *);
	int	(*secret)(struct cybex_store *, const char *, uint8_t *,
		    size_t, struct cybex_diag *);
};

/* TAXII API roots, status resources, durable add-objects jobs, expiry. */
#define STORE_TAXII_ABI	1
struct store_taxii_ops {
	int	 abi;		/* STORE_TAXII_ABI */
	int	(*api_root_put)(struct cybex_store *,
		    const struct cybex_api_root *, bool, struct cybex_diag *);
	int	(*api_root_get)(struct cybex_store *, const char *,
		    struct cybex_arena *, struct cybex_api_root *,
		    struct cybex_diag *);
	int	(*api_root_list)(struct cybex_store *, cybex_api_root_fn, void *,
		    struct cybex_diag *);
	int	(*status_put)(struct cybex_store *, const struct cybex_status *,
		    struct cybex_diag *);
	int	(*status_get)(struct cybex_store *, const char *, const char *,
		    struct cybex_arena *, struct cybex_status *,
		    struct cybex_diag *);
	int	(*status_job_add)(struct cybex_store *, const char *,
		    const char *, const char *, size_t, struct cybex_diag *);
	int	(*status_job_next)(struct cybex_store *, int64_t,
		    struct cybex_arena *, struct cybex_status_job *,
		    struct cybex_buf *, struct cybex_diag *);
	int	(*status_job_remove)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*status_job_count)(struct cybex_store *, uint64_t *,
		    struct cybex_diag *);
	int	(*status_expire)(struct cybex_store *, int64_t, uint64_t,
		    uint64_t *, struct cybex_diag *);
};

/*
 * Analysis: member organizations, alerts (found and written; the merge
 * is store.c's), sighting aggregation, cooperative notes.
 */
#define STORE_ANALYSIS_ABI	1
struct store_analysis_ops {
	int	 abi;		/* STORE_ANALYSIS_ABI */
	int	(*org_add)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*org_remove)(struct cybex_store *, const char *, unsigned,
		    struct cybex_diag *);
	int	(*org_list)(struct cybex_store *, cybex_org_fn, void *,
		    struct cybex_diag *);
	int	(*org_member)(struct cybex_store *, const char *, const char *,
		    unsigned, struct cybex_diag *);
	int	(*user_org)(struct cybex_store *, int64_t, struct cybex_arena *,
		    const char **, unsigned *, struct cybex_diag *);
	/*
	 * The open alert of (org, key): 1 and its id, times, count,
	 * severity and tlp in *open, 0 none.  alert_write stores next as
	 * a new alert (prev NULL; next->id set by the caller) or over prev
	 * (its scalars when changed, its texts when later), all or nothing,
	 * naming next's organizations (*new_orgs counts the new ones); 1
	 * when prev is no longer what is stored (nothing written: find
	 * again).
	 */
	int	(*alert_find)(struct cybex_store *, const char *, const char *,
		    struct cybex_alert_row *, struct cybex_diag *);
	int	(*alert_write)(struct cybex_store *,
		    const struct cybex_alert_row *,
		    const struct cybex_alert_row *, bool, bool, size_t *,
		    struct cybex_diag *);
	int	(*alert_query)(struct cybex_store *,
		    const struct cybex_alert_query *, cybex_alert_row_fn, void *,
		    struct cybex_page *, struct cybex_diag *);
	int	(*alert_close)(struct cybex_store *, const char *,
		    struct cybex_diag *);
	int	(*sighting_merge)(struct cybex_store *,
		    const struct cybex_sighting_state *, struct cybex_arena *,
		    struct cybex_sighting_state *, struct cybex_diag *);
	int	(*sighting_get)(struct cybex_store *, const char *,
		    struct cybex_arena *, struct cybex_sighting_state *,
		    struct cybex_diag *);
	int	(*sighting_written)(struct cybex_store *, const char *, int64_t,
		    uint64_t, struct cybex_diag *);
	int	(*sighting_latest)(struct cybex_store *, const char *, int64_t *,
		    struct cybex_diag *);
	int	(*coop_note)(struct cybex_store *, const char *, const char *,
		    uint64_t, int64_t, int64_t, size_t *, bool *,
		    struct cybex_diag *);
	int	(*coop_orgs)(struct cybex_store *, const char *, cybex_coop_fn,
		    void *, struct cybex_diag *);
};

/* Maintenance: statistics and the consistency check. */
#define STORE_MAINT_ABI	1
struct store_maint_ops {
	int	 abi;		/* STORE_MAINT_ABI */
	int	(*stats)(struct cybex_store *s, cybex_count_fn fn, void *ud,
		    struct cybex_store_stats *out, struct cybex_diag *d);
	int	(*check)(struct cybex_store *s, cybex_diag_fn fn, void *ud,
		    struct cybex_diag *d);
};

/*
 * The asset inventory of member organizations (issue 13): add one
 * product (added false when the same row exists), list an organization's
 * (NULL: all) by org, cpe, purl, version, remove one (id > 0) or all of
 * an organization's (id 0).
 */
#define STORE_ASSET_ABI	1
struct store_asset_ops {
	int	 abi;		/* STORE_ASSET_ABI */
	int	(*asset_add)(struct cybex_store *, const struct cybex_asset *,
		    bool *, struct cybex_diag *);
	int	(*asset_list)(struct cybex_store *, const char *,
		    cybex_asset_fn, void *, struct cybex_diag *);
	int	(*asset_remove)(struct cybex_store *, const char *, int64_t,
		    uint64_t *, struct cybex_diag *);
};

/*
 * 2: organizations, alerts, sightings; 3: add-objects jobs, status expiry;
 * 4: secrets; 5: per-collection conflicts; 6: changing a collection's TLP
 * ceiling; 7: object counts off the collection look-up; 8: rules out of
 * the backend (the ceiling and the alert merge are store.c's, see
 * rules.c); 9: the slots split into per-domain tables; 10: the incident
 * table (store_incident.h); 11: assets.
 */
#define STORE_OPS_ABI	11

struct cybex_store_ops {
	int		 abi;		/* STORE_OPS_ABI; add members only at the end */
	const char	*scheme;	/* "sqlite", "postgresql" */
	int	(*open)(const char *dsn, unsigned flags,
		    struct cybex_store **out, struct cybex_diag *d);
	void	(*close)(struct cybex_store *s);
	int	(*schema_version)(struct cybex_store *s);
	int	(*begin)(struct cybex_store *s, struct cybex_diag *d);
	int	(*commit)(struct cybex_store *s, struct cybex_diag *d);
	int	(*rollback)(struct cybex_store *s);
	const struct store_collection_ops	*collections;
	const struct store_object_ops	*objects;
	const struct store_auth_ops	*auth;
	const struct store_taxii_ops	*taxii;
	const struct store_analysis_ops	*analysis;
	const struct store_maint_ops	*maint;
	/* abi 10: incidents (NULL: not supported). */
	const struct store_incident_ops	*incident;
	/* abi 11: the asset inventory. */
	const struct store_asset_ops	*assets;
	/* New domains go here, one pointer each (STORE_OPS_ABI + 1). */
};


/* The first member of every backend's handle. */
struct cybex_store {
	const struct cybex_store_ops	*ops;
	char				 source[CYBEX_STORE_SOURCE_MAX];
};

extern const struct cybex_store_ops store_sqlite_ops;

/* Latest schema version (the same number for every backend). */
#define STORE_SCHEMA_LATEST	16

/* ---- rules.c: the rules every backend shares ---- */

/* An object's TLP as one collection sees it. */
struct store_tlp {
	int		 stored;	/* unresolved references count RED */
	int		 known;		/* ... are left out (the ceiling) */
	const char	*via;		/* the reference that set known */
};

/*
 * What marking-definition ref conveys where the caller looks (one
 * collection); *found false when it is not there.  Non-zero stops.
 */
typedef int (*store_conveys_fn)(void *ud, const char *ref, int *level,
    bool *found);

/*
 * The TLP of obj through its markings: its predefined TLP markings
 * (cybex_stix_tlp_of) and what each other marking-definition it
 * references conveys, as fn says.  out->via points into obj.
 */
int	store_tlp_resolve(const json_t *obj, store_conveys_fn fn, void *ud,
	    struct store_tlp *out);

/*
 * The ingress ceiling: CYBEX_EPOLICY (d names the marking and the
 * reference through which it came) when what t is known to say is above
 * max_tlp; whose is "this" or "its" (collection) in the message.
 */
int	store_rule_ceiling(const char *id, const struct store_tlp *t,
	    int max_tlp, const char *whose, struct cybex_diag *d);

/* Paging tokens: the position after which the next page starts. */
void	store_token_encode(char kind, int64_t pos, char *out, size_t outsz);
int	store_token_decode(const char *tok, char kind, int64_t *pos);

/* Microseconds since the epoch, now. */
int64_t	store_now_us(void);

/*
 * Do two JSON texts hold the same JSON data (RFC 8785 canonical forms
 * equal)?  1 yes, 0 no, negative on error.
 */
int	store_same_json(const char *a, size_t alen, const json_t *b);

/*
 * The SHA-256 (lower-case hex, 64 characters and a NUL) of obj's RFC 8785
 * canonical form.
 */
int	store_canon_sha256(const json_t *obj, char out[65]);

/* Is key a collection id (a UUID) rather than an alias? */
bool	store_is_uuid(const char *key);

#endif /* CYBEX_STORE_INT_H */
