/*
 * cybex analysis: the pipeline that turns normalized observations
 * (cybex/ingest.h) into sightings and alerts.
 *
 *   observation -> match (indicator index) -> sighting aggregates
 *               -> detect (behavioural detectors, indicator hits) -> alerts
 *
 * Every observation is looked up in the indicator index by the values it
 * carries (addresses, ports, domains, URLs, hashes, e-mail addresses,
 * accounts, certificate fingerprints).  Each hit counts towards one
 * aggregate per (indicator, sensor); aggregates are held in memory (a
 * capped table) and flushed, in one transaction, into the sighting state
 * table and as STIX 2.1 objects: one `sighting` per (indicator, sensor)
 * whose id never changes (UUIDv5), a new version of it only when its count
 * changed, with the sensor's `identity` as where_sighted_refs and an
 * `observed-data` of the latest hit's SCOs as observed_data_refs.  A
 * million hits therefore make one sighting with a count.  Hits at or
 * before what the store already counted for that sighting are replays
 * (the same file ingested again, or again after a crash) and are not
 * counted twice.
 *
 * Indicator hits and observations also go to the detectors; their alerts
 * are merged by (organization, key) in memory and stored at each flush
 * (cybex_store_alert_put merges with what is stored).
 *
 * A struct cybex_analysis is used by one thread at a time.  The indicator
 * set (struct cybex_analysis_intel) is immutable and reference-counted:
 * cybex_analysis_set_intel swaps in a rebuilt one while whoever still
 * holds the old keeps it.  docs/analysis.md has the design and numbers.
 */
#ifndef CYBEX_ANALYSIS_H
#define CYBEX_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"
#include "cybex/detect.h"
#include "cybex/ingest.h"
#include "cybex/match.h"
#include "cybex/store.h"

/* ---- the indicators: the match index plus what analysis needs ---- */

/*
 * An indicator set: the compiled index (cybex/match.h) and, for each
 * indicator in it, its indicator_types (for the detectors) and its TLP
 * (a sighting of an indicator above the sightings collection's TLP is
 * counted but not published).  Immutable and reference-counted.
 */
struct cybex_analysis_intel;
struct cybex_analysis_intel_builder;

/* Indicators active at now (NULL = the current time); mo may be NULL. */
int	 cybex_analysis_intel_builder_new(const struct cybex_match_opts *mo,
	    const struct cybex_time *now,
	    struct cybex_analysis_intel_builder **out);
void	 cybex_analysis_intel_builder_free(
	    struct cybex_analysis_intel_builder *b);
/* As cybex_match_builder_add (same results and errors). */
int	 cybex_analysis_intel_builder_add(struct cybex_analysis_intel_builder *b,
	    const json_t *indicator, struct cybex_diag *d);
/* Compile; the builder is emptied.  Reference count 1. */
int	 cybex_analysis_intel_builder_build(
	    struct cybex_analysis_intel_builder *b,
	    struct cybex_analysis_intel **out, struct cybex_diag *d);

/*
 * Build from the stored indicators (the latest version of each) of
 * collection coll (id or alias; NULL = every collection).  Indicators
 * whose pattern is invalid are left out and counted in *ninvalid (may be
 * NULL).  CYBEX_ENOTFOUND for an unknown collection.
 */
int	 cybex_analysis_intel_load(struct cybex_store *s, const char *coll,
	    const struct cybex_match_opts *mo, const struct cybex_time *now,
	    struct cybex_analysis_intel **out, size_t *ninvalid,
	    struct cybex_diag *d);

/*
 * As cybex_analysis_intel_load, and fn (may be NULL) is called with ud
 * before each stored row is read: rows is the number of indicators read
 * so far, counting this one (0 while the collections' memberships are
 * read).  When fn returns nonzero the load stops at once: nothing is
 * built, *out is NULL and 0 is returned (a server stopping, say).
 */
typedef int	(*cybex_analysis_load_fn)(void *ud, size_t rows);
int	 cybex_analysis_intel_load_ctl(struct cybex_store *s, const char *coll,
	    const struct cybex_match_opts *mo, const struct cybex_time *now,
	    cybex_analysis_load_fn fn, void *ud,
	    struct cybex_analysis_intel **out, size_t *ninvalid,
	    struct cybex_diag *d);

struct cybex_analysis_intel *cybex_analysis_intel_ref(
	    struct cybex_analysis_intel *in);
/* The last unref frees; NULL-safe. */
void	 cybex_analysis_intel_unref(struct cybex_analysis_intel *in);
/* The index inside (borrowed: valid while in is referenced). */
const struct cybex_match_index *cybex_analysis_intel_index(
	    const struct cybex_analysis_intel *in);


/* ---- the pipeline ---- */

#define CYBEX_ANALYSIS_SIGHTINGS	"sightings"	/* default collection */
#define CYBEX_ANALYSIS_MAX_SIGHTINGS_DEFAULT	65536
#define CYBEX_ANALYSIS_MAX_ALERTS_DEFAULT	4096
#define CYBEX_ANALYSIS_MAX_SENSORS		4096
#define CYBEX_ANALYSIS_FLUSH_DEFAULT_US		(10 * 1000000LL)
#define CYBEX_ANALYSIS_EVIDENCE_MAX_DEFAULT	(16u * 1024)

struct cybex_analysis_opts {
	/*
	 * Collection (id or alias) the STIX sightings go to.  NULL = the
	 * collection with alias "sightings", made on first use with
	 * max_tlp AMBER.  A given collection must exist.
	 */
	const char	*collection;
	/* Detector settings; NULL = the defaults. */
	const struct cybex_detect_config *detect;
	/* Aggregates held between flushes (0 = default); a full table
	 * flushes and starts empty. */
	size_t		 max_sightings;
	/* Distinct alerts held between flushes (0 = default); a full table
	 * flushes.  While writes fail, at most twice as many are held and
	 * new ones beyond are dropped (counted in alerts_dropped). */
	size_t		 max_alerts;
	/* Wall-clock time between flushes (0 = default; < 0 = only when a
	 * table is full and on cybex_analysis_flush). */
	int64_t		 flush_interval_us;
	/* Bytes of an alert's evidence kept (0 = default, at most
	 * CYBEX_ALERT_EVIDENCE_MAX); larger evidence keeps its small
	 * members and says "truncated". */
	size_t		 evidence_max;
	/* TLP of the alerts and STIX objects written (0 = unset:
	 * CYBEX_POLICY_ALERT_TLP, AMBER). */
	int		 tlp;
	/*
	 * Organizations that must have seen an attacking source or an
	 * indicator before the hub raises its cooperative alert, counted
	 * in the store across runs and processes (0 = 2).
	 */
	unsigned	 coop_min_orgs;
	/* Each alert as a detector raises it (may be NULL). */
	cybex_alert_fn	 on_alert;
	void		*ud;
};

struct cybex_analysis;

/*
 * A pipeline writing to s (NULL: nothing is written; counts, sightings
 * and alerts are computed and dropped at each flush, for benchmarks).
 * The store handle is the caller's and must outlive the pipeline; the
 * pipeline opens and commits its own transactions on it.
 * CYBEX_ENOTFOUND when o->collection does not exist; detector config
 * errors as cybex_detect_new.
 */
int	 cybex_analysis_new(struct cybex_store *s,
	    const struct cybex_analysis_opts *o, struct cybex_analysis **out,
	    struct cybex_diag *d);
/* Frees without flushing (call cybex_analysis_flush first); NULL-safe. */
void	 cybex_analysis_free(struct cybex_analysis *a);

/*
 * Use indicator set in (takes a reference; NULL = no matching) from the
 * next observation on.  Cheap when in is the one already in use.
 */
void	 cybex_analysis_set_intel(struct cybex_analysis *a,
	    struct cybex_analysis_intel *in);

/*
 * Who the next observations are analysed for (issue 25): match them only
 * against the indicators of the collections coll_ids[0..n) (those the
 * sender may read), so that no hit, sighting or alert reveals an indicator
 * the sender cannot read; a hit on any other indicator is ignored (counted
 * in hits_hidden only).  all = true (or never calling this) matches every
 * indicator, as for an operator's `cybex ingest`.  The list is mapped onto
 * the current indicator set: call it after cybex_analysis_set_intel, and
 * again after each swap.  An indicator set loaded for one collection (or
 * built by hand) has no membership: with a reader set, nothing of it
 * matches.  CYBEX_ENOMEM.
 */
int	 cybex_analysis_set_reader(struct cybex_analysis *a, bool all,
	    const char *const *coll_ids, size_t n);

/*
 * Observations of the next calls are taken as at most limit_us (0 = no
 * limit, the default): a later time is clamped to it, counted in
 * times_clamped.  The detectors' clock follows observation times and
 * never goes back, and one pipeline serves every member: a sender whose
 * clock is wrong (or who lies) would otherwise move it into the future
 * for all, and every other organization's alerts would be dated then.
 * The events API sets it per request to the receive time plus
 * --events-max-skew.
 */
void	 cybex_analysis_set_time_limit(struct cybex_analysis *a,
	    int64_t limit_us);

/*
 * Analyse one observation.  Returns 0, CYBEX_ENOMEM, or the error of a
 * flush that a full table or the flush interval started (d says why; the
 * unwritten counts are kept for the next flush).
 */
int	 cybex_analysis_observe(struct cybex_analysis *a,
	    const struct cybex_obs *o, struct cybex_diag *d);
/*
 * A batch: the observations of one request, kept whole.  Inside a batch a
 * flush that fails (the store is locked, the disk is full) does not stop
 * the analysis: cybex_analysis_observe goes on and returns 0, what was
 * analysed stays pending, no further write is tried until the batch ends,
 * and the tables hold up to twice their size (a hit or alert beyond that
 * is dropped and counted in hits_dropped / alerts_dropped).  So every
 * observation of a batch is counted exactly once, whatever the store does.
 *
 * batch_begin first retries the write that failed before (in a batch or
 * by a flush or tick): when that fails again it returns CYBEX_EBUSY (d
 * says why the write failed) and no batch starts: the caller must not analyse the request (and
 * can answer "nothing was counted, try again").
 *
 * batch_end returns 0, or when a write failed during the batch, that
 * error with d (the batch was analysed whole all the same; its counts are
 * written by a later flush).  Other errors of cybex_analysis_observe
 * (CYBEX_ENOMEM, a failed read of the store) still stop a batch midway.
 */
int	 cybex_analysis_batch_begin(struct cybex_analysis *a,
	    struct cybex_diag *d);
int	 cybex_analysis_batch_end(struct cybex_analysis *a,
	    struct cybex_diag *d);

/*
 * The input is idle: advance the detectors to observation time now_us
 * (0 = leave them) and flush when the interval has passed.
 */
int	 cybex_analysis_tick(struct cybex_analysis *a, int64_t now_us,
	    struct cybex_diag *d);
/*
 * Write every pending sighting and alert in one transaction.  On failure
 * nothing of it is written and it stays pending (and the next
 * cybex_analysis_batch_begin retries it first).
 */
int	 cybex_analysis_flush(struct cybex_analysis *a, struct cybex_diag *d);

struct cybex_analysis_stats {
	uint64_t	 observations;
	uint64_t	 matched;	/* observations with at least one hit */
	uint64_t	 hits;		/* (observation, indicator) pairs */
	uint64_t	 replays;	/* hits the store had counted already */
	uint64_t	 general_lookups;	/* full pattern evaluations */
	uint64_t	 sightings_updated;	/* sighting versions written */
	uint64_t	 sightings_withheld;	/* above the collection's TLP */
	uint64_t	 alerts;	/* raised by the detectors */
	uint64_t	 alerts_added;	/* stored as new */
	uint64_t	 alerts_updated;	/* merged into a stored one */
	uint64_t	 flushes;
	uint64_t	 evictions;	/* full-table flushes */
	uint64_t	 write_failures;	/* flushes that failed */
	uint64_t	 hits_dropped;	/* not counted: table full, writes failing */
	uint64_t	 alerts_dropped;	/* likewise */
	/* Hits on indicators the reader may not read: ignored, unrevealed. */
	uint64_t	 hits_hidden;
	/* Sighting writes the store refused (set aside, tried again later). */
	uint64_t	 sightings_blocked;
	/* Observation times past the time limit, taken as the limit. */
	uint64_t	 times_clamped;
};
void	 cybex_analysis_stats(const struct cybex_analysis *a,
	    struct cybex_analysis_stats *out);

/*
 * Drain the complete lines of l through reader r into a: each line that
 * r cannot read, and each line over l's cap (d->rule is then
 * CYBEX_ANALYSIS_RULE_LINE_TOO_LONG: the reader never saw it), goes to
 * on_error (may be NULL) with d->line set; observations are analysed.
 * Returns 0 when l needs more bytes, or the first error of
 * cybex_analysis_observe.
 */
#define CYBEX_ANALYSIS_RULE_LINE_TOO_LONG	"line-too-long"
int	 cybex_analysis_feed(struct cybex_analysis *a,
	    struct cybex_ingest_reader *r, struct cybex_ingest_lines *l,
	    cybex_diag_fn on_error, void *ud, struct cybex_diag *d);

/*
 * An alert as the REST API and `cybex alerts --json` show it: one JSON
 * object (id, key, detector, classification {taxonomy, class, type},
 * severity, summary, org, orgs, sensor, first_seen, last_seen, count,
 * parties, evidence, tlp, status, created, updated), appended to out.
 */
int	 cybex_analysis_alert_json(const struct cybex_alert_row *r,
	    struct cybex_buf *out);

#endif /* CYBEX_ANALYSIS_H */
