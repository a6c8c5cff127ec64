/*
 * Internal interface of the detect module: the bounded table and the
 * sketches every detector keeps its state in, the settings, the detector
 * state and the alert builder.
 */
#ifndef CYBEX_DETECT_INT_H
#define CYBEX_DETECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"
#include "cybex/detect.h"	/* and cybex/obs.h */
#include "cybex/ip.h"
#include "cybex/settings.h"

/* ---- keys (table.c) ---- */

/* A 128-bit keyed hash (SipHash-2-4) of a key's bytes; never all zero. */
struct dt_key {
	uint64_t	 a, b;
};

struct dt_hasher {
	uint8_t		 k[16];
};

void	 dt_hash(const struct dt_hasher *h, const void *p, size_t n,
	    struct dt_key *out);

/*
 * Key builder: fields appended into a fixed buffer.  A string field ends
 * with a 0 byte (strings hold no NUL); one longer than DT_KB_STR_MAX is
 * replaced by a BLAKE2b digest, so any key fits.
 */
#define DT_KB_MAX	640
#define DT_KB_STR_MAX	255
struct dt_kb {
	size_t		 n;
	uint8_t		 b[DT_KB_MAX];
};
void	 dt_kb_init(struct dt_kb *kb, uint8_t tag);
void	 dt_kb_u64(struct dt_kb *kb, uint64_t v);
void	 dt_kb_ip(struct dt_kb *kb, const struct cybex_ip *ip);
void	 dt_kb_str(struct dt_kb *kb, const char *s);
void	 dt_kb_hash(const struct dt_kb *kb, const struct dt_hasher *h,
	    struct dt_key *out);

/* ---- the bounded table (table.c) ---- */

/*
 * A set-associative hash table with a fixed entry budget: cap entries in
 * buckets of DT_WAYS, each a header (key, last touched) and a value of
 * vsize bytes.  All memory is allocated at init; inserting into a full
 * bucket evicts the entry touched longest ago (counted).  Lookups and
 * inserts cost at most DT_WAYS key comparisons.
 */
#define DT_WAYS		8

struct dt_table {
	uint8_t		*mem;
	size_t		 nbuckets;
	size_t		 stride;
	size_t		 vsize;
	size_t		 used;
	uint64_t	 evictions;
};

/* Bytes a table of cap entries of vsize bytes takes. */
size_t	 dt_table_bytes(size_t cap, size_t vsize);
int	 dt_table_init(struct dt_table *t, size_t cap, size_t vsize);
void	 dt_table_fini(struct dt_table *t);
/* The value under k or NULL; touches it (now >= 0). */
void	*dt_table_find(struct dt_table *t, const struct dt_key *k,
	    int64_t now);
/*
 * The value under k, inserted zeroed (*created = true) when absent,
 * evicting the least recently touched entry of a full bucket.  Touches it.
 */
void	*dt_table_get(struct dt_table *t, const struct dt_key *k,
	    int64_t now, bool *created);
void	 dt_table_remove(struct dt_table *t, void *v);
/* Iterate: *it = 0 first; NULL at the end.  Removing v while iterating is
 * allowed. */
void	*dt_table_next(struct dt_table *t, size_t *it);
/* Where v is (stable while it stays), and the value at a slot or NULL. */
size_t	 dt_table_slot(const struct dt_table *t, const void *v);
void	*dt_table_at(struct dt_table *t, size_t slot);
/* Capacity in entries (a multiple of DT_WAYS, at least cap). */
size_t	 dt_table_cap(const struct dt_table *t);

/* ---- sketches (sketch.c) ---- */

/*
 * HyperLogLog with 2^p one-byte registers (caller's storage, zeroed):
 * distinct counts with a standard error of about 1.04/sqrt(2^p).
 */
void	 dt_hll_add(uint8_t *reg, unsigned p, uint64_t hash);
double	 dt_hll_count(const uint8_t *reg, unsigned p);

/*
 * An approximately sliding window counter: the current fixed window and
 * the previous one, weighted by how much of it still overlaps.
 */
struct dt_window {
	int64_t		 start;
	uint32_t	 cur, prev;
};
void	 dt_window_add(struct dt_window *w, int64_t now, int64_t len,
	    uint32_t n);
double	 dt_window_count(const struct dt_window *w, int64_t now,
	    int64_t len);

/* Median of v[0..n) (n <= 64; v is reordered). */
double	 dt_median(double *v, size_t n);

/* ---- settings (config.c) ---- */

struct dt_cidr {
	struct cybex_ip	 ip;
	unsigned	 bits;
};

/* Detectors, as bits of cybex_detect_config.enabled. */
enum dt_detector {
	DT_SCAN = 0,
	DT_BRUTEFORCE,
	DT_DDOS,
	DT_BEACON,
	DT_C2,
	DT_PHISHING,
	DT_PHARMING,
	DT_DEFACEMENT,
	DT_SPAM,
	DT_COOP,
	DT_IDS,
	DT_NDETECTORS
};
extern const char *const dt_detector_names[DT_NDETECTORS];

struct cybex_detect_config {
	/* general */
	char		*detectors;
	unsigned	 enabled;
	char		*org;
	int64_t		 quiet_us;
	uint64_t	 hash_seed;
	uint64_t	 alert_keys;
	struct cybex_setting_list home_net;
	struct cybex_setting_list allow_address;
	/* scan */
	double		 scan_theta0, scan_theta1, scan_pd, scan_pf;
	int64_t		 scan_idle_us;
	uint64_t	 scan_sources;
	/* brute force */
	int64_t		 bf_window_us;
	uint64_t	 bf_source_failures;
	uint64_t	 bf_account_failures;
	uint64_t	 bf_success_after;
	uint64_t	 bf_sources, bf_accounts;
	char		*privileged_accounts;
	/* ddos */
	int64_t		 ddos_interval_us;
	uint64_t	 ddos_warmup;
	double		 ddos_alpha, ddos_k, ddos_factor;
	uint64_t	 ddos_min_pps;
	uint64_t	 ddos_min_sources;
	uint64_t	 ddos_destinations;
	/* beacon and c2 */
	uint64_t	 beacon_min_intervals;
	double		 beacon_max_jitter;
	double		 beacon_min_fraction;
	int64_t		 beacon_min_period_us, beacon_max_period_us;
	int64_t		 beacon_min_gap_us;
	uint64_t	 beacon_pairs;
	char		*c2_indicator_types;
	/* phishing and pharming */
	struct cybex_setting_list protected_domain;
	struct cybex_setting_list protected_brand;
	struct cybex_setting_list known_address;
	uint64_t	 phishing_max_distance;
	uint64_t	 phishing_min_length;
	bool		 phishing_tld_swap;
	uint64_t	 phishing_names;
	/* defacement */
	struct cybex_setting_list monitored_page;
	bool		 defacement_learn_unlisted;
	uint64_t	 defacement_pages;
	/* spam */
	int64_t		 spam_window_us;
	uint64_t	 spam_recipients;
	uint64_t	 spam_senders;
	uint64_t	 spam_listed;
	/* coop */
	uint64_t	 coop_min_orgs;
	uint64_t	 coop_keys;
	uint64_t	 coop_orgs;
};

/* Most entries of one list setting. */
#define DT_LIST_MAX	CYBEX_SETTING_LIST_MAX

int	 dt_config_copy(const struct cybex_detect_config *c,
	    struct cybex_detect_config **out);
/* Checks between settings (theta1 < theta0, ...); EINVAL with d. */
int	 dt_config_check(const struct cybex_detect_config *c,
	    struct cybex_diag *d);
/* "a, b,c" -> does the comma list s hold word w (case-insensitive)? */
bool	 dt_list_has(const char *s, const char *w);

/* Addresses: "ADDR[/BITS]" (the rule of cybex_ip_cidr_parse). */
int	 dt_cidr_parse(const char *s, struct dt_cidr *out);
bool	 dt_cidr_match(const struct dt_cidr *c, const struct cybex_ip *ip);
const char *dt_ip_kind(const struct cybex_ip *ip);
bool	 dt_ip_equal(const struct cybex_ip *a, const struct cybex_ip *b);

/* ---- the detector state (detect.c and one file per detector) ---- */

struct dt_known;		/* pharming: name -> addresses */
struct dt_page_cfg;		/* defacement: configured pages */
struct dt_protected;		/* phishing: protected names */

struct cybex_detect {
	struct cybex_detect_config *cfg;
	struct dt_hasher h;
	int64_t		 now;
	bool		 started;
	uint64_t	 observations;
	uint64_t	 alerts;
	uint64_t	 suppressed;
	size_t		 memory;

	struct dt_cidr	*home;
	size_t		 nhome;
	struct dt_cidr	*allow;
	size_t		 nallow;

	struct dt_table	 dedupe;	/* alert key -> last raised */

	struct dt_table	 scan;
	double		 scan_fail_step, scan_ok_step;
	double		 scan_hi, scan_lo;

	struct dt_table	 bf_src, bf_acct;

	struct dt_table	 ddos;
	int64_t		 ddos_next_sweep;

	struct dt_table	 beacon;

	struct dt_protected *prot;
	struct dt_table	 phish;		/* names checked -> verdict */
	struct dt_known	*known;
	void		*psl;		/* psl_ctx_t, or NULL */

	struct dt_page_cfg *pages;
	struct dt_table	 page;

	struct dt_table	 spam, listed;
	uint64_t	 listed_v4;	/* prefix lengths listed: bit n = /n */
	uint64_t	 listed_v6[3];

	struct dt_table	 coop, coop_org;
};

/*
 * Allocate t with cap entries of vsize bytes and count them in
 * dt->memory (what the caps allow is what is held): 0 or CYBEX_ENOMEM.
 */
int	 dt_table_alloc(struct cybex_detect *dt, struct dt_table *t,
	    uint64_t cap, size_t vsize);

/* ---- alerts (detect.c) ---- */

#define DT_PARTY_MAX	256

struct dt_alert {
	struct cybex_alert a;
	int		 coop_party;	/* attacker party fed to coop, or -1 */
	bool		 no_dedupe;
	char		 key[512];
	char		 summary[512];
	char		 org[128];
	char		 sensor[128];
	char		 pv[CYBEX_ALERT_PARTIES_MAX][DT_PARTY_MAX];
};

void	 dt_alert_init(struct dt_alert *x, const char *detector,
	    const char *cls, const char *type, int severity);
void	 dt_alert_key(struct dt_alert *x, const char *fmt, ...)
	    CYBEX_PRINTF(2, 3);
/* "s" unless n rounds to 1: "about %.0f source%s" agrees with n. */
static inline const char *
dt_plural(double n)
{
	return n >= 0.5 && n < 1.5 ? "" : "s";
}
void	 dt_alert_summary(struct dt_alert *x, const char *fmt, ...)
	    CYBEX_PRINTF(2, 3);
/* Add a party (ignored when full or value is NULL/empty); its index. */
int	 dt_alert_party(struct dt_alert *x, enum cybex_party_role role,
	    const char *kind, const char *value);
int	 dt_alert_party_ip(struct dt_alert *x, enum cybex_party_role role,
	    const struct cybex_ip *ip);
/* org and sensor of the observation (org falls back to the setting). */
void	 dt_alert_from(struct cybex_detect *dt, struct dt_alert *x,
	    const struct cybex_obs *o);
void	 dt_alert_org(struct dt_alert *x, const char *org,
	    const char *sensor);
/*
 * Raise x unless its key was raised within the quiet period: calls fn,
 * then feeds the cooperative view.  Consumes x->a.evidence (NULL means a
 * JSON allocation failed: CYBEX_ENOMEM).  Returns fn's value or 0.
 */
int	 dt_emit(struct cybex_detect *dt, struct dt_alert *x,
	    cybex_alert_fn fn, void *ud);
/* True when the alert key would be suppressed now. */
bool	 dt_quiet(struct cybex_detect *dt, const char *key);

/* The organization an observation is from (NULL = none). */
const char *dt_org(const struct cybex_detect *dt, const struct cybex_obs *o);
bool	 dt_allowed(const struct cybex_detect *dt, const struct cybex_ip *ip);
bool	 dt_home(const struct cybex_detect *dt, const struct cybex_ip *ip);
bool	 dt_enabled(const struct cybex_detect *dt, enum dt_detector d);
/* Copy at most outsz-1 bytes of s (NULL = ""). */
void	 dt_strlcpy(char *out, const char *s, size_t outsz);

/* ---- detectors ---- */

int	 dt_scan_init(struct cybex_detect *dt);
int	 dt_scan_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);

int	 dt_bf_init(struct cybex_detect *dt);
int	 dt_bf_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);

int	 dt_ddos_init(struct cybex_detect *dt);
int	 dt_ddos_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);
int	 dt_ddos_tick(struct cybex_detect *dt, cybex_alert_fn fn, void *ud);

int	 dt_beacon_init(struct cybex_detect *dt);
int	 dt_beacon_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);
int	 dt_c2_hit(struct cybex_detect *dt, const struct cybex_obs *o,
	    const char *indicator_id, const char *const *types,
	    cybex_alert_fn fn, void *ud);

int	 dt_phish_init(struct cybex_detect *dt, struct cybex_diag *d);
void	 dt_phish_fini(struct cybex_detect *dt);
int	 dt_phish_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);
int	 dt_pharm_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);

int	 dt_page_init(struct cybex_detect *dt, struct cybex_diag *d);
void	 dt_page_fini(struct cybex_detect *dt);
int	 dt_page_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);

/* ids.c: the sensor's own IDS alerts (no state). */
int	 dt_ids_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);

int	 dt_spam_init(struct cybex_detect *dt);
int	 dt_spam_observe(struct cybex_detect *dt, const struct cybex_obs *o,
	    cybex_alert_fn fn, void *ud);
void	 dt_spam_listed(struct cybex_detect *dt, const struct cybex_obs *o);

int	 dt_coop_init(struct cybex_detect *dt);
/* Feed an alert (x, already raised) to the cooperative view. */
int	 dt_coop_alert(struct cybex_detect *dt, const struct dt_alert *x,
	    cybex_alert_fn fn, void *ud);
int	 dt_coop_hit(struct cybex_detect *dt, const struct cybex_obs *o,
	    const char *indicator_id, const char *const *types,
	    cybex_alert_fn fn, void *ud);

/* Look-alike names (lookalike.c). */
#define DT_LABEL_MAX	64
/*
 * Map a UTF-8 label to its skeleton: confusable letters of other scripts,
 * diacritics and the digits 0/1/3/5 to Latin look-alikes, "rn" to "m",
 * "vv" to "w", hyphens dropped.  Returns the skeleton's length (at most
 * outsz-1); code points it cannot map are kept as '?'.
 */
size_t	 dt_skeleton(const char *s, size_t n, char *out, size_t outsz);
/* Damerau-Levenshtein (optimal string alignment) distance; n, m < 64. */
unsigned dt_edit_distance(const char *a, size_t n, const char *b, size_t m);

#endif
