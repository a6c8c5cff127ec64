/*
 * cybex match: active STIX indicators compiled into an index that says,
 * for one observation, which indicators it satisfies without evaluating
 * every pattern.
 *
 * Patterns that are a disjunction of single comparisons (the common
 * "[ipv4-addr:value = '198.51.100.7']", "[file:hashes.MD5 = '...' OR
 * file:hashes.'SHA-256' = '...']", "[domain-name:value = 'evil.com' OR
 * domain-name:value LIKE '%.evil.com']", IN sets, ISSUBSET CIDRs) go into
 * exact tables: one hash table for exact values (addresses, domains, URLs,
 * e-mail addresses, hashes, fingerprints, ports, AS numbers, any property
 * path), domain suffixes for parent-domain matching, a radix tree per
 * property for CIDR prefixes.  LIKE and MATCHES go into one Hyperscan
 * database per property (prefilter mode, each hit confirmed with the same
 * PCRE2 code the evaluator uses).  Everything else (AND, FOLLOWEDBY,
 * qualifiers, NOT, ordering) is evaluated with cybex_pattern_match_one,
 * but only for indicators that name an object type the observation has.
 * The answers are exactly those of the evaluator on that one observation.
 *
 * An index is immutable and reference-counted; a handle holds the current
 * one and swaps in a rebuilt index atomically: lookups never wait for a
 * rebuild.  docs/internals/match.md has the layout and the numbers.
 */
#ifndef CYBEX_MATCH_H
#define CYBEX_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"
#include "cybex/pattern.h"

struct cybex_match_builder;
struct cybex_match_index;

#define CYBEX_MATCH_INDICATORS_MAX_DEFAULT	(16u * 1024 * 1024)

struct cybex_match_opts {
	size_t		 max_indicators;	/* 0 = default */
	bool		 no_hyperscan;	/* LIKE/MATCHES go to the evaluator */
};

/*
 * A builder for indicators active at now (NULL = the current time): not
 * revoked, valid_from <= now, and now < valid_until when it is given.
 */
int	 cybex_match_builder_new(const struct cybex_match_opts *o,
	    const struct cybex_time *now, struct cybex_match_builder **out);
void	 cybex_match_builder_free(struct cybex_match_builder *b);
/*
 * Add one STIX indicator object.  Returns 0 when it was indexed or
 * skipped (not a "stix" pattern, revoked, not active at now: counted in
 * the stats), CYBEX_EFORMAT when its pattern is invalid or it has no valid
 * id (d says why; the builder stays usable), CYBEX_ETOOBIG past
 * max_indicators, CYBEX_ENOMEM.  The same id added twice keeps the one
 * with the later "modified" (version replacement).
 */
int	 cybex_match_builder_add(struct cybex_match_builder *b,
	    const json_t *indicator, struct cybex_diag *d);
/*
 * Compile everything added into an index (reference count 1; release with
 * cybex_match_index_unref).  The builder is emptied and may be reused.
 */
int	 cybex_match_builder_build(struct cybex_match_builder *b,
	    struct cybex_match_index **out, struct cybex_diag *d);

/* Take and drop references; the last unref frees (NULL-safe). */
struct cybex_match_index *cybex_match_index_ref(struct cybex_match_index *ix);
void	 cybex_match_index_unref(struct cybex_match_index *ix);

/* What an index holds. */
struct cybex_match_stats {
	size_t		 indicators;	/* indexed */
	size_t		 skipped;	/* not stix, revoked or not active */
	size_t		 replaced;	/* older versions of the same id */
	size_t		 invalid;	/* pattern or id rejected */
	size_t		 exact_indicators;	/* only in exact tables */
	size_t		 exact_values;		/* exact table entries */
	size_t		 suffix_values;		/* domain suffixes */
	size_t		 cidr_values;		/* radix tree prefixes */
	size_t		 regex_indicators;	/* in Hyperscan sets */
	size_t		 regex_values;
	size_t		 general_indicators;	/* evaluated in full */
	size_t		 fields;		/* distinct property paths */
	size_t		 memory;		/* bytes, everything */
	size_t		 exact_memory;	/* bytes: records, tables, keys */
};
void	 cybex_match_index_stats(const struct cybex_match_index *ix,
	    struct cybex_match_stats *out);
/* "indicator--..." of indicator n (n < stats.indicators); out needs
 * CYBEX_STIX_ID_MAX (300) bytes. */
void	 cybex_match_index_indicator_id(const struct cybex_match_index *ix,
	    uint32_t n, char *out, size_t outsz);

/* ---- lookups ---- */

/* Indicator numbers found by a lookup: ascending, no duplicates. */
struct cybex_match_hits {
	uint32_t	*v;
	size_t		 n;
	size_t		 cap;
};
void	 cybex_match_hits_free(struct cybex_match_hits *h);

/*
 * Per-thread scratch space (Hyperscan scratch, buffers).  It follows the
 * index it is used with and may be used with any number of indexes, one
 * at a time.
 */
struct cybex_match_scratch;
int	 cybex_match_scratch_new(struct cybex_match_scratch **out);
void	 cybex_match_scratch_free(struct cybex_match_scratch *sc);

/*
 * The indicators observation i of s satisfies, in out (reset first):
 * exactly the indicators p for which cybex_pattern_match_one(p, s, i)
 * says "match".  Returns 0, CYBEX_ENOMEM, or CYBEX_EINVAL for a bad i.
 * A compound pattern whose evaluation outgrows its limits counts as no
 * match.
 */
int	 cybex_match_lookup(const struct cybex_match_index *ix,
	    const struct cybex_pattern_obsset *s, size_t i,
	    struct cybex_match_scratch *sc, struct cybex_match_hits *out,
	    struct cybex_diag *d);

/*
 * The fast path for sensors that already know what they saw: the
 * property path field ("ipv4-addr:value", "file:hashes.'SHA-256'",
 * "network-traffic:dst_port", as cybex_pattern_write writes paths) names
 * a field of the index; cybex_match_field returns its number or -1 when
 * no indexed indicator uses it.  cybex_match_lookup_value then gives the
 * indicators of the exact, suffix, CIDR and regex tables that one value
 * of that field satisfies (as an observation with a single SCO holding
 * that value would); compound patterns need cybex_match_lookup.  Fields
 * whose path goes through a _ref are not available here.
 */
int	 cybex_match_field(const struct cybex_match_index *ix,
	    const char *field);
int	 cybex_match_lookup_value(const struct cybex_match_index *ix,
	    int field, const char *value, size_t len,
	    struct cybex_match_scratch *sc, struct cybex_match_hits *out);
int	 cybex_match_lookup_int(const struct cybex_match_index *ix, int field,
	    int64_t value, struct cybex_match_scratch *sc,
	    struct cybex_match_hits *out);

/* ---- the current index, swapped atomically ---- */

struct cybex_match_handle;
int	 cybex_match_handle_new(struct cybex_match_handle **out);
/* Drops the handle's reference to its index (NULL-safe). */
void	 cybex_match_handle_free(struct cybex_match_handle *h);
/*
 * The current index with a reference taken (release with
 * cybex_match_index_unref), or NULL when none was set.  Never blocks:
 * readers only retry when a swap happens at the same instant.
 */
struct cybex_match_index *cybex_match_handle_acquire(
	    struct cybex_match_handle *h);
/*
 * Make ix (may be NULL) the current index; the handle takes over the
 * caller's reference.  The previous index is released once the readers
 * that were acquiring it have taken their references (a few instructions;
 * the writer waits, readers do not).  Concurrent swaps are serialized.
 */
void	 cybex_match_handle_swap(struct cybex_match_handle *h,
	    struct cybex_match_index *ix);

#endif /* CYBEX_MATCH_H */
