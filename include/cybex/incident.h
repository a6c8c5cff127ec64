/*
 * cybex incident management (docs/incidents.md).
 *
 * An incident is a STIX 2.1 `incident` SDO carrying two property
 * extensions: the OASIS Incident Core Extension (determination,
 * investigation_status, criticality) and the cybex workflow extension
 * (status, resolution, severity, priority, RSIT classification, assignee,
 * owning organization, TLP, SLA due times, activity times, tasks and the
 * change that made the version).  Every change writes a new version (a
 * later `modified`) into the hub's incident collection (alias
 * CYBEX_INCIDENT_COLLECTION, TLP ceiling RED), so the version chain is
 * the history.  Notes are STIX `note` objects; evidence is linked with
 * `relationship` objects (related-to; unlinking revokes it).  The store's
 * incident index (cybex/store_incident.h) lists incidents and finds the
 * incidents an object is linked to.
 *
 * Every change runs in one store transaction (none may be open): the new
 * versions, the index and an audit entry commit together or not at all.
 * A change may name the version it was made against (expect, the
 * `modified` the caller read): when the incident has moved on since, the
 * change is refused with CYBEX_ECONFLICT and nothing is written.
 *
 * This is the library the CLI (`cybex incident`), the REST API and the
 * correlation rules are thin layers on.  Threads: as the store.
 */
#ifndef CYBEX_INCIDENT_H
#define CYBEX_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"
#include "cybex/store.h"
#include "cybex/store_incident.h"

#define CYBEX_INCIDENT_EXT_CORE \
	"extension-definition--ef765651-680c-498d-9894-99799f2fa126"
#define CYBEX_INCIDENT_EXT_WORKFLOW \
	"extension-definition--4acd5c6f-c3b5-45f0-8118-5a946d860590"
/* The identity that publishes the workflow extension (created_by_ref). */
#define CYBEX_INCIDENT_IDENTITY \
	"identity--f856d4f8-e8b5-40bf-aff1-0573041082e5"
#define CYBEX_INCIDENT_COLLECTION	"incidents"

#define CYBEX_INCIDENT_ID_MAX	64	/* "incident--UUID" and a NUL */
#define CYBEX_INCIDENT_TASKS_MAX	256
#define CYBEX_INCIDENT_LOG_MAX		1024	/* log entries of one task */

/* The workflow status, in lifecycle order. */
enum cybex_incident_status {
	CYBEX_INCIDENT_NEW = 1,
	CYBEX_INCIDENT_TRIAGE,
	CYBEX_INCIDENT_IN_PROGRESS,
	CYBEX_INCIDENT_CONTAINED,
	CYBEX_INCIDENT_ERADICATED,
	CYBEX_INCIDENT_RECOVERED,
	CYBEX_INCIDENT_CLOSED,
};
#define CYBEX_INCIDENT_NSTATUS	7

/* How a closed incident ended. */
enum cybex_incident_resolution {
	CYBEX_RESOLUTION_NONE = 0,	/* open */
	CYBEX_RESOLUTION_TRUE_POSITIVE,
	CYBEX_RESOLUTION_FALSE_POSITIVE,
	CYBEX_RESOLUTION_BENIGN,
	CYBEX_RESOLUTION_DUPLICATE,	/* duplicate_of names the survivor */
	CYBEX_RESOLUTION_OTHER,
};

/* "new", "in-progress", ... (static strings; NULL when out of range). */
const char	*cybex_incident_status_name(int status);
/* The status named s, or -1. */
int		 cybex_incident_status_parse(const char *s);
/*
 * May an incident go from status from to status to?  The state machine
 * (docs/incidents.md has the table): forward along the lifecycle (new ->
 * triage -> in-progress -> contained -> eradicated -> recovered), back to
 * in-progress from contained, eradicated and recovered (the threat is
 * back), to closed from any open status, and from closed to triage or
 * in-progress (reopen).  Staying in a status is not a transition.
 */
bool		 cybex_incident_transition_ok(int from, int to);
/*
 * The phase a status belongs to in NIST SP 800-61 Rev. 3 (a CSF 2.0
 * function and category, "Respond (RS.MI)") and in ISO/IEC 27035-1:2023
 * ("respond"); static strings.
 */
const char	*cybex_incident_phase_nist(int status);
const char	*cybex_incident_phase_iso(int status);
const char	*cybex_incident_resolution_name(int resolution);
int		 cybex_incident_resolution_parse(const char *s);

/*
 * Is (class, type) in the RSIT taxonomy v1.3 (ENISA Reference Security
 * Incident Taxonomy)?  Every pair the detectors give alerts
 * (cybex_detect_coop_taxonomy and the others) is.  0, or CYBEX_EINVAL
 * with d naming the classes (or the types of the class).
 */
int		 cybex_incident_classification_check(const char *class,
		    const char *type, struct cybex_diag *d);

/*
 * The default SLA of a severity (1..4): time to triage (leave status
 * new) and time to contain (reach contained or later), in microseconds
 * from the incident's creation.  Table in docs/incidents.md.
 */
struct cybex_incident_sla {
	int64_t		 triage_us;
	int64_t		 contain_us;
};
int		 cybex_incident_sla_default(int severity,
		    struct cybex_incident_sla *out);

/* Task statuses. */
#define CYBEX_TASK_OPEN		"open"
#define CYBEX_TASK_IN_PROGRESS	"in-progress"
#define CYBEX_TASK_DONE		"done"
#define CYBEX_TASK_CANCELLED	"cancelled"

struct cybex_incident_task {
	int		 no;		/* 1, 2, ... within the incident */
	const char	*title;
	const char	*status;
	const char	*assignee;	/* may be NULL */
	int64_t		 due_us;	/* 0 = none */
	size_t		 nlog;		/* log entries (in json) */
};

/*
 * One version of an incident, read.  Strings point into json, which the
 * struct owns; cybex_incident_free frees both.  Times are microseconds (0
 * = unset).
 */
struct cybex_incident {
	json_t		*json;		/* the STIX incident object */
	const char	*id;
	const char	*modified;	/* the version, as written */
	const char	*title;
	const char	*description;	/* may be NULL */
	int		 status;
	int		 resolution;
	const char	*duplicate_of;	/* may be NULL */
	int		 severity;
	int		 priority;
	const char	*class;
	const char	*type;
	const char	*assignee;	/* may be NULL */
	const char	*org;		/* may be NULL */
	int		 tlp;		/* enum cybex_tlp */
	const char	*determination;
	int64_t		 created_us;
	int64_t		 modified_us;
	int64_t		 triage_due_us;
	int64_t		 contain_due_us;
	int64_t		 triaged_us;	/* first left status new */
	int64_t		 contained_us;	/* first reached contained or later */
	int64_t		 first_activity_us;
	int64_t		 last_activity_us;
	struct cybex_incident_task *tasks;
	size_t		 ntasks;
};
void	 cybex_incident_free(struct cybex_incident *inc);	/* NULL-safe */

/*
 * Who acts, and when.  actor (required) is recorded as the author of
 * notes and task logs, in each version's change and in the audit log.
 * now_us: the time a change is recorded at (0 = the clock); a version is
 * always later than the one before (by a microsecond when the clock has
 * not moved on).
 */
struct cybex_incident_ctx {
	struct cybex_store	*store;
	const char		*actor;
	int64_t			 now_us;
};

/* A new incident: what it starts with (unset = the default). */
struct cybex_incident_spec {
	const char	*title;		/* required */
	const char	*description;
	int		 severity;	/* 0 = 2 (medium) */
	int		 priority;	/* 0 = from severity: 5 - severity */
	const char	*class;		/* NULL = "other" / "undetermined" */
	const char	*type;
	const char	*assignee;
	const char	*org;
	int		 tlp;		/* 0 = CYBEX_TLP_AMBER */
	int64_t		 first_activity_us;	/* 0 = unknown */
	int64_t		 last_activity_us;
	/* Evidence linked from the start, in the same transaction (as
	 * cybex_incident_link does; NULL/0 = none). */
	const char *const *evidence;
	size_t		 nevidence;
};
/*
 * Create an incident (status new) with its evidence; its id goes to out.
 * CYBEX_EINVAL for a missing or over-long title, a severity or priority
 * outside 1..4, a classification outside RSIT, an unknown TLP, first
 * activity after last, evidence as cybex_incident_link refuses it.
 */
int	 cybex_incident_new(const struct cybex_incident_ctx *c,
	    const struct cybex_incident_spec *spec,
	    char out[CYBEX_INCIDENT_ID_MAX], struct cybex_diag *d);

/* The current version of incident id; CYBEX_ENOTFOUND. */
int	 cybex_incident_get(struct cybex_store *s, const char *id,
	    struct cybex_incident **out, struct cybex_diag *d);

/* What an update changes: the fields whose CYBEX_INCIDENT_SET_* bit is set. */
#define CYBEX_INCIDENT_SET_TITLE	0x001
#define CYBEX_INCIDENT_SET_DESCRIPTION	0x002
#define CYBEX_INCIDENT_SET_STATUS	0x004	/* with resolution, duplicate_of */
#define CYBEX_INCIDENT_SET_SEVERITY	0x008	/* SLA due times follow */
#define CYBEX_INCIDENT_SET_PRIORITY	0x010
#define CYBEX_INCIDENT_SET_CLASS	0x020	/* class and type */
#define CYBEX_INCIDENT_SET_ASSIGNEE	0x040	/* NULL = nobody */
#define CYBEX_INCIDENT_SET_ORG		0x080
#define CYBEX_INCIDENT_SET_TLP		0x100
#define CYBEX_INCIDENT_SET_DETERMINATION 0x200
#define CYBEX_INCIDENT_SET_ACTIVITY	0x400	/* first/last activity */
struct cybex_incident_change {
	unsigned	 set;
	const char	*title;
	const char	*description;
	int		 status;
	int		 resolution;	/* required to close */
	const char	*duplicate_of;	/* required for the duplicate resolution */
	int		 severity;
	int		 priority;
	const char	*class;
	const char	*type;
	const char	*assignee;
	const char	*org;
	int		 tlp;
	/* Incident Core determination: blocked, confirmed, failed-attempt,
	 * false-positive, low-value, successful-attempt, suspected. */
	const char	*determination;
	int64_t		 first_activity_us;
	int64_t		 last_activity_us;
};
/*
 * Change incident id as ch says, against version expect (NULL: whatever
 * is current).  The new version goes to version (may be NULL; at least
 * CYBEX_VERSION_KEY_MAX bytes).  CYBEX_ECONFLICT for a stale expect;
 * CYBEX_EINVAL for a transition the state machine does not allow
 * (cybex_incident_transition_ok), closing without a resolution, a
 * resolution on an open status, duplicate without (or with an unknown,
 * or its own) duplicate_of, and the value errors of cybex_incident_new;
 * CYBEX_ENOTFOUND.  Nothing set is CYBEX_EINVAL too.  Reopening clears
 * the resolution.
 */
int	 cybex_incident_update(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect,
	    const struct cybex_incident_change *ch, char *version,
	    struct cybex_diag *d);

/*
 * Add a note (a STIX note by the actor, object_refs the incident, the
 * incident's marking) and record it on the incident.  note_id (may be
 * NULL) gets its id (CYBEX_INCIDENT_ID_MAX bytes).  CYBEX_EINVAL for an
 * empty text, CYBEX_ETOOBIG past CYBEX_INCIDENT_TEXT_MAX.
 */
int	 cybex_incident_note(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect, const char *text,
	    char *note_id, struct cybex_diag *d);

/* Add a task (status open); *no (may be NULL) gets its number. */
int	 cybex_incident_task_add(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect, const char *title,
	    const char *assignee, int64_t due_us, int *no,
	    struct cybex_diag *d);
/* What a task update changes (NULL / 0 / false: unchanged). */
struct cybex_incident_task_change {
	const char	*status;	/* open, in-progress, done, cancelled */
	bool		 set_assignee;
	const char	*assignee;	/* NULL = nobody */
	bool		 set_due;
	int64_t		 due_us;	/* 0 = none */
	const char	*log;		/* a log entry by the actor */
};
/* Change task no; CYBEX_ENOTFOUND for no such task. */
int	 cybex_incident_task_update(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect, int no,
	    const struct cybex_incident_task_change *tc, struct cybex_diag *d);

/*
 * Link evidence refs[0..nrefs) (any STIX ids: sightings, indicators,
 * observables, reports...) to the incident, each with a relationship
 * object (sightings, which relationships cannot target, through
 * evidence_refs only), in one change.  CYBEX_EINVAL for no refs, more than
 * CYBEX_INCIDENT_REFS_MAX, a malformed id or an incident; CYBEX_EEXIST
 * when one is linked already (then none is).  The objects need not be in
 * the store (references received from elsewhere).
 */
#define CYBEX_INCIDENT_REFS_MAX	1024
int	 cybex_incident_link(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect, const char *const *refs,
	    size_t nrefs, struct cybex_diag *d);
/* Unlink ref (its relationship is revoked); CYBEX_ENOTFOUND. */
int	 cybex_incident_unlink(const struct cybex_incident_ctx *c,
	    const char *id, const char *expect, const char *ref,
	    struct cybex_diag *d);

/*
 * Merge incident from into incident into: from's evidence moves to into
 * (new relationships; from's are revoked), its notes refer to both (a new
 * note version), its tasks are copied; into takes the higher severity,
 * the higher priority, the stricter TLP and the wider activity window;
 * from is closed as a
 * duplicate of into with a duplicate-of relationship.  Both keep their
 * version chains.  CYBEX_EINVAL for the same incident, a closed into or
 * a from closed already.
 */
int	 cybex_incident_merge(const struct cybex_incident_ctx *c,
	    const char *into, const char *from, struct cybex_diag *d);

/*
 * Split the evidence refs (nrefs > 0, each linked to id) off incident id
 * into a new incident titled title (NULL: "Split from <title>") with id's
 * severity, priority, classification, organization, assignee and TLP;
 * the new one is derived-from id.  new_id gets its id.  CYBEX_ENOTFOUND
 * for a ref not linked to id.
 */
int	 cybex_incident_split(const struct cybex_incident_ctx *c,
	    const char *id, const char *const *refs, size_t nrefs,
	    const char *title, char new_id[CYBEX_INCIDENT_ID_MAX],
	    struct cybex_diag *d);

/* One entry of an incident's timeline (valid during the callback). */
struct cybex_incident_event {
	int64_t		 time_us;
	const char	*version;	/* the incident version it made */
	const char	*action;	/* created, status, update, assign, note,
					 * task, link, unlink, merge, merged,
					 * split */
	const char	*actor;
	const char	*summary;	/* "triage -> in-progress", ... */
	const char	*text;		/* a note's content; else NULL */
};
typedef int	(*cybex_incident_event_fn)(void *ud,
		    const struct cybex_incident_event *e);
/*
 * The timeline of incident id in time order (the version chain: state
 * changes, notes with their text, task changes, evidence links, merges
 * and splits).  fn returning non-zero stops and is returned.
 */
int	 cybex_incident_timeline(struct cybex_store *s, const char *id,
	    cybex_incident_event_fn fn, void *ud, struct cybex_diag *d);

/*
 * A STIX bundle (JSON, into out) for an audience cleared up to max_tlp:
 * the incident's current version, its notes, its relationships and the
 * stored objects they point to, the TLP marking-definitions used, the two
 * extension-definitions and the identity that publishes the workflow
 * one.  CYBEX_EPOLICY when the incident itself is marked above max_tlp;
 * linked objects marked above it are left out (with their relationships)
 * and counted in *withheld (may be NULL).
 */
int	 cybex_incident_export(struct cybex_store *s, const char *id,
	    int max_tlp, struct cybex_buf *out, size_t *withheld,
	    struct cybex_diag *d);
/*
 * cybex_incident_export for a reader who may read only the collections
 * colls[0..ncolls) (ids; the REST API's callers): a linked object is taken
 * from the first of them that holds it; one stored only in others is left
 * out with its relationship and counted in *withheld, as one marked above
 * max_tlp is.  colls NULL is every collection (cybex_incident_export).
 */
int	 cybex_incident_export_for(struct cybex_store *s, const char *id,
	    int max_tlp, const char *const *colls, size_t ncolls,
	    struct cybex_buf *out, size_t *withheld, struct cybex_diag *d);

/* The extension-definition objects (and identity) as STIX JSON texts. */
const char	*cybex_incident_ext_core_json(void);
const char	*cybex_incident_ext_workflow_json(void);
const char	*cybex_incident_identity_json(void);

#endif /* CYBEX_INCIDENT_H */
