/*
 * Internal interface of the analysis pipeline (lib/analysis): the
 * indicator set, the values an observation is looked up by, the sighting
 * aggregates and the pending alerts.
 */
#ifndef CYBEX_ANALYSIS_INT_H
#define CYBEX_ANALYSIS_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cybex/analysis.h"
#include "cybex/pattern.h"
#include "cybex/stix.h"

/* ---- the indicator set (intel.c) ---- */

struct intel_info {
	uint16_t	 tset;		/* index into types; 0 = none */
	uint8_t		 tlp;		/* enum cybex_tlp of the indicator */
	uint32_t	 cset;		/* index into csets; 0 = none */
};

/*
 * The collections an indicator may be read from (those that hold it under
 * a ceiling not below its TLP): interned lists of collection numbers
 * (indexes into colls), each ending with INTEL_CSET_END.
 */
#define INTEL_CSET_END	UINT16_MAX
#define INTEL_COLLS_MAX	(UINT16_MAX - 1)

struct cybex_analysis_intel {
	atomic_uint			 refs;
	struct cybex_match_index	*ix;
	struct intel_info		*info;	/* by indicator number */
	size_t				 n;
	const char *const		**types;	/* NULL-terminated lists */
	size_t				 ntypes;
	struct cybex_arena		*strings;	/* of types */
	bool				 general;	/* has compound patterns */
	/* With membership (loaded from every collection of a store): */
	bool				 has_colls;
	char				(*colls)[CYBEX_UUID_STRLEN + 1];
	size_t				 ncolls;
	uint16_t			**csets;	/* [0] = the empty list */
	size_t				 ncsets;
};

/* Whether indicator n is in a collection marked in readable[ncolls]. */
bool	 intel_readable(const struct cybex_analysis_intel *in, uint32_t n,
	    const uint8_t *readable);

/* indicator_types (and labels) of indicator n: NULL-terminated, or NULL. */
const char *const *intel_types(const struct cybex_analysis_intel *in,
	    uint32_t n);
int	 intel_tlp(const struct cybex_analysis_intel *in, uint32_t n);

/* ---- what an observation is looked up by (values.c) ---- */

/* Kinds of values, each a field of the index ("ipv4-addr:value"). */
enum lk {
	LK_IPV4 = 0,
	LK_IPV6,
	LK_DST_PORT,
	LK_SRC_PORT,
	LK_DOMAIN,
	LK_URL,
	LK_MD5,
	LK_SHA1,
	LK_SHA256,
	LK_EMAIL,
	LK_USER,
	LK_X509_SHA1,
	LK_FILE_NAME,
	LK_N
};

/* The index field path of each kind. */
extern const char *const lk_field[LK_N];

#define VALUE_MAX	4096	/* longer values are not looked up */
/* Every value an observation can carry (mail addresses count twice:
 * the address and its domain). */
#define VALUES_MAX	(24 + CYBEX_OBS_ANSWERS_MAX + 2 * CYBEX_OBS_RCPT_MAX)

struct lvalue {
	enum lk		 kind;
	const char	*s;	/* NUL-terminated; NULL for ports */
	size_t		 len;
	int64_t		 i;	/* ports */
};

/*
 * The values of o to look up, into v[VALUES_MAX] (strings point into o
 * or into scratch, valid until the next call with the same scratch).
 */
struct values_scratch {
	struct cybex_buf	 b;	/* derived strings, NUL-separated */
	size_t			 offs[VALUES_MAX];
};
size_t	 values_of(const struct cybex_obs *o, struct values_scratch *sc,
	    struct lvalue *v);
void	 values_scratch_free(struct values_scratch *sc);

/*
 * The network tuple and one matched value of a hit: what its evidence
 * SCOs are made of.
 */
struct hit_sample {
	int64_t		 ts_us;
	struct cybex_ip	 src, dst;
	bool		 has_sport, has_dport;
	uint16_t	 sport, dport;
	char		 proto[16];	/* lower case, may be "" */
	char		 app[16];
	enum lk		 kind;
	int64_t		 ivalue;	/* ports */
	char		*value;		/* owned, NUL-terminated, or NULL */
	size_t		 vcap;
};
/* Fill s from o and the matched value v (copies). */
int	 sample_set(struct hit_sample *s, const struct cybex_obs *o,
	    const struct lvalue *v);
void	 sample_free(struct hit_sample *s);
/*
 * The SCOs of a sample (addresses, the network traffic between them, the
 * matched object) with their deterministic ids, appended to arr.
 */
int	 sample_scos(const struct hit_sample *s, json_t *arr,
	    struct cybex_diag *d);
/* The sample as compact JSON (for the sighting state). */
int	 sample_json(const struct hit_sample *s, struct cybex_buf *out);
/*
 * The SCOs of a whole observation (every value of v, one file object for
 * its hashes), for the evaluation of compound patterns.
 */
int	 obs_scos(const struct cybex_obs *o, const struct lvalue *v, size_t nv,
	    json_t *arr, struct cybex_diag *d);

/* ---- STIX objects written (stixout.c) ---- */

/* The TLP 2.0 marking-definition id of a level (CLEAR..RED). */
const char *tlp_marking_id(int tlp);
/* Validate obj (every MUST rule); CYBEX_EINTERNAL with d when it fails. */
int	 stix_check(const json_t *obj, struct cybex_diag *d);
/* Validate, serialize and store obj in coll_id; *res as cybex_store_put.
 * An SCO whose id is stored with other content counts as stored. */
int	 stix_put(struct cybex_store *s, const char *coll_id, const json_t *obj,
	    struct cybex_buf *scratch, enum cybex_put_result *res,
	    struct cybex_diag *d);
/* "2024-..Z" (microseconds) of us into out[32]. */
void	 stix_time(int64_t us, char *out);

/* ---- sighting aggregates (sighting.c) ---- */

struct sensor {
	char		*name;
	char		*org;		/* NULL = none */
	uint8_t		 uuid[16];
	char		 ref[64];	/* "identity--..." */
	int64_t		 latest;	/* stored high-water, at first use */
	bool		 latest_loaded;
	uint8_t		 identity;	/* IDENT_* */
};
#define IDENT_NONE	0
#define IDENT_STORED	1	/* committed */
#define IDENT_PENDING	2	/* written in the open transaction */

struct sagg_entry {
	uint8_t			 key[32];	/* indicator, sensor uuids */
	uint32_t		 sensor;
	uint8_t			 tlp;
	uint8_t			 cls;		/* cybex_detect_coop_class */
	bool			 guard_loaded;
	bool			 dirty;
	uint64_t		 count;		/* not yet flushed */
	int64_t			 first, last;	/* of those */
	int64_t			 guard;		/* counted before: <= it */
	struct hit_sample	 sample;
};

struct sagg {
	uint32_t		*slots;		/* entry index + 1; 0 = free */
	size_t			 nslots;
	struct sagg_entry	*e;
	size_t			 n, cap, max;	/* max: flush when full */
	struct sensor		*sensors;
	size_t			 nsensors;
	json_t			*sensor_ix;	/* "org\x1fname" -> index */
	uint32_t		 last_sensor;
	bool			 has_last;
	/* UUIDv5 namespace of the ids made: the hub's secret one (issue 25). */
	struct cybex_uuid	 ns;
};

/*
 * max entries are held between flushes; a full table is flushed and
 * emptied.  Only while a write fails inside a batch (the rest of a request
 * body) may it hold up to twice as many (SAGG_OVER): the slots are sized
 * for that.
 */
#define SAGG_OVER	2
int	 sagg_init(struct sagg *g, size_t max);
void	 sagg_fini(struct sagg *g);
/* Forget every entry and sensor (after they were flushed). */
void	 sagg_clear(struct sagg *g);

/* ---- pending alerts (alerts.c) ---- */

struct palert {
	struct cybex_alert_row	 row;	/* strings owned */
	char			**orgs;	/* row.orgs, owned */
	char			*akind;	/* its first attacker party, or NULL */
	char			*avalue;
};

struct alerts {
	struct palert		*v;
	size_t			 n, cap, max;
	json_t			*ix;		/* "org\x1fkey" -> index */
	size_t			 evidence_max;
	int			 tlp;
	/* The TLP of the indicator whose hit the detectors are given (0
	 * outside cybex_detect_hit): what they raise from it is at least. */
	int			 hit_tlp;
};

int	 alerts_init(struct alerts *p, size_t max, size_t evidence_max,
	    int tlp);
/* The hard cap of the pending alerts: twice max (the flush point). */
#define ALERTS_HARD(p)	((p)->max * 2)
void	 alerts_fini(struct alerts *p);
/*
 * Copy and merge one alert; 1 when the table is full after it (flush it);
 * 2 when it was dropped: a new alert while ALERTS_HARD alerts are held
 * (writes are failing).  A merge into a held alert is never dropped.
 */
int	 alerts_add(struct alerts *p, const struct cybex_alert *a);
/* Store every pending alert (inside the caller's transaction); each
 * one of an organization with an attacker becomes a cooperative note. */
int	 alerts_store(struct cybex_analysis *a, struct cybex_diag *d);
void	 alerts_clear(struct alerts *p);

/* ---- cooperative analysis in the store (coop.c) ---- */

/* Is s a name the store takes for an organization? */
bool	 name_ok(const char *s);

/* One organization seeing one subject, noted during a flush. */
struct cnote {
	char		*subject;	/* "ipv4-addr|..." or "indicator|..." */
	char		*org;
	uint64_t	 hits;
	int64_t		 first, last;
	const char	*cls, *type;	/* static or owned by the alert */
	char		*pkind, *pvalue;	/* the attacker party */
	int		 tlp;		/* of what it comes from */
};

struct cnotes {
	struct cnote	*v;
	size_t		 n, cap;
};

/* Note (copies everything but cls/type, which must outlive the flush). */
int	 coop_note(struct cnotes *cn, const char *subject, const char *org,
	    uint64_t hits, int64_t first, int64_t last, const char *cls,
	    const char *type, const char *pkind, const char *pvalue, int tlp);
void	 coop_clear(struct cnotes *cn);
/*
 * Record the notes in the store; a subject that a new organization makes
 * seen by at least min_orgs raises (or updates) the hub's "coop" alert
 * naming them all.
 */
int	 coop_store(struct cybex_analysis *a, struct cybex_diag *d);

/* ---- the pipeline (pipeline.c) ---- */

struct cybex_analysis {
	struct cybex_store		*s;
	struct cybex_analysis_opts	 o;
	int64_t				 time_limit_us;	/* 0 = none */
	char				*coll_key;	/* NULL = default */
	char				 coll_id[CYBEX_UUID_STRLEN + 1];
	int				 coll_max_tlp;
	struct cybex_detect		*dt;
	struct cybex_analysis_intel	*intel;
	uint8_t				*readable;	/* by collection */
	bool				 reader_set;	/* false: all */
	bool				 reader_stale;	/* set, not remapped */
	int				 field[LK_N];	/* -1 = unused */
	struct cybex_match_scratch	*msc;
	struct cybex_match_hits		 hits;
	struct cybex_pattern_obsset	*obsset;
	struct values_scratch		 vsc;
	struct sagg			 g;
	uint64_t			 run;	/* this pipeline's, not 0 */
	struct alerts			 al;
	struct cybex_buf		 buf;		/* flush scratch */
	struct cybex_arena		*arena;		/* flush scratch */
	int64_t				 last_flush;	/* monotonic us */
	unsigned			 since_check;
	bool				 alerts_full;
	bool				 batch;		/* in a batch */
	bool				 write_failed;	/* last flush failed */
	bool				 batch_failed;	/* a flush of this batch */
	struct cybex_diag		 fail;		/* why it failed */
	struct cnotes			 notes;		/* of a flush */
	/* What the flush in progress wrote (counted once committed). */
	uint64_t			 flush_updated, flush_withheld;
	uint64_t			 flush_added, flush_merged;
	struct cybex_analysis_stats	 st;
};

/*
 * Count hit (o, value v, indicator n) in the aggregates; 1 = table full
 * (max entries or sensors; with over, SAGG_OVER times as many).
 */
int	 sagg_hit(struct cybex_analysis *a, const struct cybex_obs *o,
	    const struct lvalue *v, uint32_t n, bool over, struct cybex_diag *d);
/* Write the dirty aggregates (inside the caller's transaction). */
int	 sagg_store(struct cybex_analysis *a, struct cybex_diag *d);
/* After a committed flush: the written deltas are gone. */
void	 sagg_committed(struct sagg *g);
/* After a failed flush: what it wrote is not there. */
void	 sagg_rolled_back(struct sagg *g);

#endif /* CYBEX_ANALYSIS_INT_H */
