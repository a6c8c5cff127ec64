/*
 * cybex detect: streaming behavioural detectors over normalized
 * observations (cybex/obs.h), each with bounded state, and the
 * cooperative view across member organizations.
 *
 * Detectors: scanning (threshold random walk), brute force and
 * unauthorized access, DDoS (learned per-destination baseline), botnet C2
 * beaconing, phishing look-alike names and pharming DNS answers, web
 * defacement (page hash changes), spam (many recipients, listed senders).
 * Every detector keeps capped tables with eviction or fixed-size sketches:
 * memory does not grow with the input rate or length.  Thresholds are
 * settings with defaults (docs/detect.md).
 *
 * Alerts carry a classification from the Reference Security Incident
 * Taxonomy (RSIT, ENISA): a class ("intrusion-attempts") and a type
 * ("brute-force"), the parties and the evidence that triggered them.
 *
 * Time is the observations' time (ts_us), not the wall clock: replaying a
 * file gives the same alerts as watching it live.  Not thread-safe: one
 * struct cybex_detect per thread or a lock around it.
 */
#ifndef CYBEX_DETECT_H
#define CYBEX_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"
#include "cybex/obs.h"

enum cybex_party_role {
	CYBEX_PARTY_ATTACKER = 0,	/* source of the activity */
	CYBEX_PARTY_VICTIM,		/* target of the activity */
	CYBEX_PARTY_REPORTER,		/* member organization that saw it */
};

/* One party of an alert: an address, an account, a domain or a host. */
struct cybex_party {
	enum cybex_party_role role;
	const char	*kind;		/* "ipv4-addr", "ipv6-addr", "user-account",
					 * "domain-name", "url", "email-addr",
					 * "organization" */
	const char	*value;
};

#define CYBEX_ALERT_PARTIES_MAX	8

/*
 * One alert.  Strings and evidence are owned by the detector and valid
 * only during the callback; copy what you keep (json_incref the evidence).
 * key identifies the situation ("bruteforce|cert-a|198.51.100.7": detector,
 * member organization when there is one, then what it is about; the keys
 * of every detector are listed in docs/detect.md) so a consumer can merge
 * repeated alerts of one situation.  The detectors themselves raise a key
 * again only after the quiet_period setting (coop alerts: when their count
 * of members grows); within it they deliver updates (update set) with the
 * running totals, so a merged alert never freezes at its threshold.
 */
struct cybex_alert {
	const char	*detector;	/* "scan", "bruteforce", "ddos", "beacon",
					 * "c2", "phishing", "pharming",
					 * "defacement", "spam", "coop" */
	const char	*taxonomy_class;	/* RSIT class */
	const char	*taxonomy_type;		/* RSIT type */
	int		 severity;	/* 1 low .. 4 critical */
	const char	*key;
	const char	*summary;	/* one line for people */
	int64_t		 first_seen_us, last_seen_us;
	uint64_t	 count;		/* observations behind it */
	const char	*org;		/* organization whose data raised it */
	const char	*sensor;
	size_t		 n_parties;
	struct cybex_party parties[CYBEX_ALERT_PARTIES_MAX];
	json_t		*evidence;	/* object: thresholds, counts, samples */
	/*
	 * An update: the key was raised within the quiet period and this
	 * carries its running totals (count, last seen, summary, evidence)
	 * while the activity goes on.  Merge it by key; it is not a new
	 * alert.
	 */
	bool		 update;
};

/* Return 0 to go on, non-zero to stop (given back by the caller). */
typedef int	(*cybex_alert_fn)(void *ud, const struct cybex_alert *a);

/*
 * Settings.  cybex_detect_config_default fills the defaults; set fields or
 * parse a "name = value" text (cybex_detect_config_parse) to change them.
 * Lists (protected names, known addresses, monitored pages) are owned by
 * the config; free with cybex_detect_config_free.
 */
struct cybex_detect_config;
int	 cybex_detect_config_new(struct cybex_detect_config **out);
void	 cybex_detect_config_free(struct cybex_detect_config *c);
/*
 * Apply "name = value" lines ('#' comments).  Unknown names, values out of
 * bounds: CYBEX_EINVAL with d->line and the reason; nothing applied then.
 * d->column is the column of the name or value at fault (1-based).  Lists
 * (protected_domain, ...) take one entry a line and an empty value clears
 * them.  A text over 16 MiB, a value over 4 KiB or a list over 100,000
 * entries is CYBEX_ETOOBIG.
 */
int	 cybex_detect_config_parse(struct cybex_detect_config *c,
	    const char *text, size_t len, struct cybex_diag *d);
/* Set one setting by name; same errors as parse. */
int	 cybex_detect_config_set(struct cybex_detect_config *c,
	    const char *name, const char *value, struct cybex_diag *d);
/* Every setting as "name = value  # help" lines, for docs and --help. */
int	 cybex_detect_config_describe(const struct cybex_detect_config *c,
	    struct cybex_buf *out);

struct cybex_detect;
/*
 * Detectors with settings c (NULL = the defaults; c is copied and may be
 * freed after).  Every table is allocated here, from the caps: memory does
 * not grow afterwards.  CYBEX_EINVAL when settings contradict each other
 * (scan_theta1 >= scan_theta0, ...; d says which), CYBEX_ENOMEM.
 */
int	 cybex_detect_new(const struct cybex_detect_config *c,
	    struct cybex_detect **out, struct cybex_diag *d);
void	 cybex_detect_free(struct cybex_detect *dt);

/*
 * Feed one observation; alerts it completes go to fn.  Returns 0, the
 * callback's non-zero value, or CYBEX_ENOMEM.
 */
int	 cybex_detect_observe(struct cybex_detect *dt,
	    const struct cybex_obs *o, cybex_alert_fn fn, void *ud);
/*
 * Advance time to now_us (observation time) with no observation: closes
 * windows (DDoS intervals, beacon checks) and may raise alerts.  observe
 * does this itself; call tick when input is idle.
 */
int	 cybex_detect_tick(struct cybex_detect *dt, int64_t now_us,
	    cybex_alert_fn fn, void *ud);

/*
 * An indicator hit (from the matching stage) for the C2 and cooperative
 * views: observation o matched indicator indicator_id whose STIX
 * indicator_types / labels say what it is ("malicious-activity", "c2",
 * "compromised", "phishing", ...; NULL-terminated, may be NULL).
 */
int	 cybex_detect_hit(struct cybex_detect *dt, const struct cybex_obs *o,
	    const char *indicator_id, const char *const *indicator_types,
	    cybex_alert_fn fn, void *ud);

/*
 * What the detectors' cooperative view and the hub's (lib/analysis, in
 * the store) share, so that both raise and update one alert.
 *
 * The RSIT class of an indicator by its types: the first of c2 ("c2",
 * "command-and-control", "botnet"), phishing, spam, scanner ("scanner",
 * "scanning") that any type names (case-insensitive), whatever the order
 * of the types; else "other".  cybex_detect_coop_class gives it as a small
 * number (0 = other, < 8) for cybex_detect_coop_taxonomy to name
 * ("malicious-code"/"c2-server", ...; static strings).
 */
int	 cybex_detect_coop_class(const char *const *types);
void	 cybex_detect_coop_taxonomy(int cls, const char **class,
	    const char **type);
/*
 * The subject "KIND|VALUE" ("ipv4-addr|198.51.100.7",
 * "indicator|indicator--...") and its alert's key "coop|SUBJECT" into
 * out.  0, or CYBEX_ETOOBIG with out "" when it does not fit (such a
 * subject is not counted).
 */
#define CYBEX_DETECT_COOP_KEY_MAX	512	/* bytes of a subject or key, as
						 * the store takes (+1 for NUL) */
int	 cybex_detect_coop_subject(char *out, size_t outsz, const char *kind,
	    const char *value);
int	 cybex_detect_coop_key(char *out, size_t outsz, const char *subject);

struct cybex_detect_stats {
	uint64_t	 observations;
	uint64_t	 alerts;
	size_t		 memory;	/* bytes held by all detectors */
	size_t		 memory_cap;	/* what the configured caps allow */
	uint64_t	 evictions;	/* table entries dropped to keep caps */
	uint64_t	 suppressed;	/* alerts not raised again: same key
					 * within the quiet period (delivered
					 * as updates instead) */
};
void	 cybex_detect_stats(const struct cybex_detect *dt,
	    struct cybex_detect_stats *out);

#endif
