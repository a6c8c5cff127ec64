/*
 * cybex store: the incident index (schema 14).  The incidents themselves
 * are STIX objects (incident, note, relationship versions) in the hub's
 * incident collection; this index holds what listing, filtering and
 * evidence look-ups need: one row per incident with its current state and
 * version, and one row per STIX object linked to an incident (evidence and
 * notes).  lib/incident keeps it in step with the objects in the same
 * transaction; nothing else writes it.
 */
#ifndef CYBEX_STORE_INCIDENT_H
#define CYBEX_STORE_INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "cybex/store.h"

#define CYBEX_INCIDENT_TITLE_MAX	512	/* bytes of a title */
#define CYBEX_INCIDENT_TEXT_MAX		65536	/* bytes of a note or description */

/* One incident as the index holds it (strings may be NULL when unset). */
struct cybex_incident_row {
	const char	*id;		/* "incident--UUID" */
	const char	*modified;	/* the current version, as in the JSON */
	const char	*status;	/* "new" ... "closed" */
	int		 severity;	/* 1 low .. 4 critical */
	int		 priority;	/* 1 (P1, highest) .. 4 */
	const char	*assignee;
	const char	*org;		/* owning organization */
	const char	*class;		/* RSIT classification */
	const char	*type;
	int		 tlp;		/* enum cybex_tlp */
	const char	*title;
	int64_t		 created_us;
	int64_t		 updated_us;	/* of the current version */
	int64_t		 seq;		/* set by the store: listing order */
};

/*
 * Which incidents to list: every field set narrows (AND); text matches a
 * substring of the title (case-insensitive for ASCII).  Newest first.
 * limit 0 = CYBEX_QUERY_LIMIT_MAX; next is the token of the page before.
 */
struct cybex_incident_filter {
	const char	*status;
	bool		 open_only;	/* status is not closed */
	int		 severity;	/* 0 = any */
	const char	*assignee;
	const char	*org;
	const char	*class;
	const char	*text;
	size_t		 limit;
	const char	*next;
};

/* Kinds of linked objects. */
#define CYBEX_INCIDENT_LINK_EVIDENCE	1
#define CYBEX_INCIDENT_LINK_NOTE	2
#define CYBEX_INCIDENT_LINK_RELATED	3	/* another incident (merge, split) */

/* An object linked to an incident (valid during the callback). */
struct cybex_incident_link {
	const char	*incident;
	const char	*ref;		/* the STIX id linked */
	int		 kind;		/* CYBEX_INCIDENT_LINK_* */
	const char	*rel;		/* the relationship object; NULL for notes */
	int64_t		 added_us;
};

typedef int	(*cybex_incident_row_fn)(void *ud,
		    const struct cybex_incident_row *r);
typedef int	(*cybex_incident_link_fn)(void *ud,
		    const struct cybex_incident_link *l);

/*
 * Add or replace the index row of r->id.  CYBEX_EINVAL for a missing id,
 * modified, status or title, a severity or priority outside 1..4.
 */
int	 cybex_store_incident_put(struct cybex_store *s,
	    const struct cybex_incident_row *r, struct cybex_diag *d);
/* The row of id, strings in arena a; CYBEX_ENOTFOUND. */
int	 cybex_store_incident_get(struct cybex_store *s, const char *id,
	    struct cybex_arena *a, struct cybex_incident_row *out,
	    struct cybex_diag *d);
/*
 * The rows matching f, newest (highest seq) first, by keyset: the cost of
 * a page does not grow with the number of incidents before it.  fn
 * returning non-zero stops and is returned; page->more and page->next say
 * where the next page starts.  CYBEX_EINVAL for a bad token.
 */
int	 cybex_store_incident_list(struct cybex_store *s,
	    const struct cybex_incident_filter *f, cybex_incident_row_fn fn,
	    void *ud, struct cybex_page *page, struct cybex_diag *d);
/*
 * Record that ref is linked to incident (kind, the relationship rel).
 * CYBEX_EEXIST when it is linked already.
 */
int	 cybex_store_incident_link(struct cybex_store *s,
	    const struct cybex_incident_link *l, struct cybex_diag *d);
/* Remove the link of ref to incident; CYBEX_ENOTFOUND. */
int	 cybex_store_incident_unlink(struct cybex_store *s,
	    const char *incident, const char *ref, struct cybex_diag *d);
/* The links of incident (kind 0 = all), oldest first. */
int	 cybex_store_incident_links(struct cybex_store *s,
	    const char *incident, int kind, cybex_incident_link_fn fn, void *ud,
	    struct cybex_diag *d);
/* The incidents ref is linked to (the correlation look-up), oldest first. */
int	 cybex_store_incident_by_ref(struct cybex_store *s, const char *ref,
	    cybex_incident_link_fn fn, void *ud, struct cybex_diag *d);

#endif /* CYBEX_STORE_INCIDENT_H */
