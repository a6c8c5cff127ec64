/*
 * cybex STIX 2.1 patterning: parse and check patterns, evaluate them
 * against observed-data, and the building blocks indexes need.
 *
 * A pattern is parsed by hand (recursive descent over the grammar of
 * STIXPattern.g4) into a read-only tree that lives in the pattern's own
 * arena.  The checker then looks at what the grammar cannot: object types
 * and properties against the STIX registry, literal types against the
 * property, hash values, CIDRs for ISSUBSET/ISSUPERSET, regular
 * expressions for MATCHES (PCRE2), START before STOP and duplicate
 * qualifiers.  Positions are byte offsets into the pattern text; the
 * diagnostics carry them as offset and 1-based column (line is always 1).
 *
 * Evaluation follows the STIX 2.1 specification and the OASIS reference
 * matcher (stix2-matcher); docs/internals/pattern.md lists every place
 * where cybex decides a question the specification leaves open.
 */
#ifndef CYBEX_PATTERN_H
#define CYBEX_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"

/* ---- the tree ---- */

enum cybex_pattern_lit_type {
	CYBEX_PLIT_INT = 1,	/* i */
	CYBEX_PLIT_FLOAT,	/* f */
	CYBEX_PLIT_STRING,	/* s[0..n): unescaped UTF-8 */
	CYBEX_PLIT_BOOL,	/* i: 0 or 1 */
	CYBEX_PLIT_BINARY,	/* b'...': s[0..n) decoded bytes */
	CYBEX_PLIT_HEX,		/* h'...': s[0..n) decoded bytes */
	CYBEX_PLIT_TIMESTAMP,	/* t */
};

struct cybex_pattern_lit {
	int			 type;
	uint32_t		 pos;	/* byte offset of the literal */
	uint32_t		 len;	/* its length in the text */
	int64_t			 i;
	double			 f;	/* also set for INT */
	struct cybex_time	 t;
	const char		*s;	/* NUL-terminated too */
	size_t			 n;
};

enum cybex_pattern_step_kind {
	CYBEX_PSTEP_KEY = 1,	/* .name or .'quoted name' */
	CYBEX_PSTEP_INDEX,	/* [n]; negative n counts from the end */
	CYBEX_PSTEP_STAR,	/* [*] */
};

struct cybex_pattern_step {
	int		 kind;
	const char	*key;	/* KEY */
	int64_t		 index;	/* INDEX */
	uint32_t	 pos;
};

/* "type:first.second[*]": steps[0] is the first property. */
struct cybex_pattern_path {
	const char			*type;
	uint32_t			 pos;
	size_t				 nsteps;
	const struct cybex_pattern_step	*steps;
};

enum cybex_pattern_op {
	CYBEX_POP_EQ = 1,	/* = or == */
	CYBEX_POP_NE,		/* != or <> */
	CYBEX_POP_LT,
	CYBEX_POP_LE,
	CYBEX_POP_GT,
	CYBEX_POP_GE,
	CYBEX_POP_IN,
	CYBEX_POP_LIKE,
	CYBEX_POP_MATCHES,
	CYBEX_POP_ISSUBSET,
	CYBEX_POP_ISSUPERSET,
	CYBEX_POP_EXISTS,
};

enum cybex_pattern_node_kind {
	/* inside [ ]: comparison expressions */
	CYBEX_PN_TEST = 1,	/* path op literal(s) */
	CYBEX_PN_CAND,		/* kids: AND of comparisons */
	CYBEX_PN_COR,		/* kids: OR of comparisons */
	/* outside: observation expressions */
	CYBEX_PN_OBS,		/* [ kids[0] ] */
	CYBEX_PN_AND,		/* kids: needs distinct observations */
	CYBEX_PN_OR,
	CYBEX_PN_FOLLOWEDBY,	/* kids[0] FOLLOWEDBY kids[1] */
	CYBEX_PN_WITHIN,	/* kids[0] WITHIN within SECONDS */
	CYBEX_PN_REPEATS,	/* kids[0] REPEATS repeats TIMES */
	CYBEX_PN_STARTSTOP,	/* kids[0] START start STOP stop */
};

/*
 * One node.  AND and OR chains are n-ary (a AND b AND c is one node with
 * three kids); FOLLOWEDBY is binary and left-associative, as in the
 * grammar.  paren: the node was written in parentheses.
 */
struct cybex_pattern_node {
	int				 kind;
	uint32_t			 pos;	/* first byte of the node */
	uint32_t			 end;	/* one past its last byte */
	uint32_t			 height;	/* 1 for a leaf */
	bool				 paren;
	size_t				 nkids;
	const struct cybex_pattern_node	**kids;
	/* TEST */
	int				 op;
	bool				 negated;	/* NOT */
	uint32_t			 oppos;		/* the operator */
	const struct cybex_pattern_path	*path;
	size_t				 nlits;		/* 1; IN: 0..n; EXISTS: 0 */
	const struct cybex_pattern_lit	*lits;
	/* qualifiers */
	int64_t				 within_sec;	/* WITHIN, exact: */
	uint32_t			 within_nsec;	/* sec + nsec/1e9 */
	uint64_t			 repeats;
	struct cybex_time		 start;
	struct cybex_time		 stop;
	/* compiled regular expression of LIKE/MATCHES (internal) */
	void				*priv;
};

struct cybex_pattern;

/* The root of the tree (an observation expression); never NULL. */
const struct cybex_pattern_node *cybex_pattern_root(
	    const struct cybex_pattern *p);
/* The pattern text as given (NUL-terminated copy) and its length. */
const char	*cybex_pattern_text(const struct cybex_pattern *p, size_t *len);

/* ---- parse and check ---- */

#define CYBEX_PATTERN_STRICT	 0x1	/* unknown types, properties,
					   literal types: errors */
#define CYBEX_PATTERN_SYNTAX_ONLY 0x2	/* grammar only: no registry, regex
					   or value checks */

#define CYBEX_PATTERN_LEN_MAX_DEFAULT	(64u * 1024)
#define CYBEX_PATTERN_NODES_MAX_DEFAULT	10000u
#define CYBEX_PATTERN_DEPTH_MAX_DEFAULT	64u
#define CYBEX_PATTERN_HEIGHT_MAX	512u	/* tree height, any pattern */

struct cybex_pattern_opts {
	unsigned	 flags;
	size_t		 max_len;	/* bytes; 0 = default */
	size_t		 max_nodes;	/* tests + operators; 0 = default */
	size_t		 max_depth;	/* nesting of ( and [; 0 = default */
};

/*
 * Parse and check text[0..len).  Every problem is reported through fn
 * (may be NULL) with severity, a stable rule name ("pattern-syntax",
 * "pattern-unknown-type", ...: docs/internals/pattern.md), offset and
 * 1-based column in the pattern; a syntax error stops the parse, the
 * checker reports everything it finds.  Returns 0 when there is no error
 * (warnings allowed) and, when out is not NULL, sets *out to the pattern
 * (caller frees with cybex_pattern_free); CYBEX_EFORMAT when the pattern
 * is invalid, CYBEX_ETOOBIG past a limit, CYBEX_ENOMEM.  The first error
 * is also left in d (may be NULL).  The text need not be NUL-terminated;
 * bytes that are not UTF-8 are an error.
 */
int	 cybex_pattern_new(const char *text, size_t len,
	    const struct cybex_pattern_opts *o, cybex_diag_fn fn, void *ud,
	    struct cybex_pattern **out, struct cybex_diag *d);
void	 cybex_pattern_free(struct cybex_pattern *p);	/* NULL-safe */
/*
 * Move the tree into one block of exactly the size it needs (a parsed
 * pattern sits in an arena with room to spare): for callers that keep
 * many patterns.  The tree's addresses change.  CYBEX_ENOMEM leaves p as
 * it was.
 */
int	 cybex_pattern_compact(struct cybex_pattern *p);
/* Bytes the pattern holds (tree, text, compiled expressions estimated). */
size_t	 cybex_pattern_size(const struct cybex_pattern *p);

/*
 * Write the pattern back in one canonical form (single spaces, strings
 * re-escaped, qualifiers and parentheses kept).  Parsing the output gives
 * the same tree.
 */
int	 cybex_pattern_write(const struct cybex_pattern *p,
	    struct cybex_buf *out);
/* The same for one node (a comparison or an observation expression). */
int	 cybex_pattern_write_node(const struct cybex_pattern_node *n,
	    struct cybex_buf *out);
/* Append an object path as a pattern writes it ("file:hashes.'SHA-256'"). */
int	 cybex_pattern_write_path(const struct cybex_pattern_path *pa,
	    struct cybex_buf *out);
/* Append a literal as written in a pattern ('it''s' escaped, t'...'). */
int	 cybex_pattern_write_lit(const struct cybex_pattern_lit *l,
	    struct cybex_buf *out);
/* Name of an operator ("ISSUBSET"). */
const char *cybex_pattern_op_name(int op);

/* ---- observations ---- */

/*
 * A set of observations: observed-data objects with their first_observed,
 * last_observed, number_observed and SCOs (from object_refs resolved in
 * the same bundle, or the deprecated embedded "objects" dictionary).  The
 * set keeps references to the JSON it is given.
 */
struct cybex_pattern_obsset;

#define CYBEX_PATTERN_OBS_MAX_DEFAULT	100000u

/* max_obs: most observed-data objects it may hold (0 = default). */
int	 cybex_pattern_obsset_new(size_t max_obs,
	    struct cybex_pattern_obsset **out);
void	 cybex_pattern_obsset_free(struct cybex_pattern_obsset *s);
/* Forget every observation (keeps the storage). */
void	 cybex_pattern_obsset_clear(struct cybex_pattern_obsset *s);
/*
 * Add every observed-data of a bundle (or of a JSON array of objects, or
 * a single observed-data object with embedded "objects").  References in
 * object_refs resolve against the objects of the same bundle; those that
 * do not resolve are ignored.  *nadded (may be NULL) counts what was
 * added.  CYBEX_ESTIX (with d naming the object) when an observed-data
 * lacks valid first_observed, last_observed or number_observed;
 * CYBEX_ETOOBIG past max_obs.
 */
int	 cybex_pattern_obsset_add_json(struct cybex_pattern_obsset *s,
	    const json_t *v, size_t *nadded, struct cybex_diag *d);
/*
 * Add one observation made of bare SCOs (ingest pipelines, the index):
 * scos[0..n) are its objects (references between them resolve by "id"),
 * seen count times between first and last.
 */
int	 cybex_pattern_obsset_add_scos(struct cybex_pattern_obsset *s,
	    json_t *const *scos, size_t n, const struct cybex_time *first,
	    const struct cybex_time *last, uint32_t count,
	    struct cybex_diag *d);
size_t	 cybex_pattern_obsset_count(const struct cybex_pattern_obsset *s);
/* The observed-data id of observation i, or NULL (bare SCOs). */
const char *cybex_pattern_obsset_id(const struct cybex_pattern_obsset *s,
	    size_t i);
/* Its first_observed, last_observed and number_observed (i < count). */
void	 cybex_pattern_obsset_times(const struct cybex_pattern_obsset *s,
	    size_t i, struct cybex_time *first, struct cybex_time *last,
	    uint32_t *count);

/* ---- evaluation ---- */

/*
 * Result of a match.  obs[0..nobs) are the indexes (into the set, in the
 * order added, ascending) of every observation that takes part in at
 * least one way the pattern is satisfied.  Free with
 * cybex_pattern_result_clear.
 */
struct cybex_pattern_result {
	bool		 matched;
	size_t		 nobs;
	size_t		*obs;
	size_t		 nbindings;	/* ways found (capped) */
};

struct cybex_pattern_eval_opts {
	size_t		 max_bindings;	/* per tree node; 0 = 10000 */
	size_t		 max_steps;	/* work budget; 0 = 10,000,000 */
};

/*
 * Evaluate p against every observation of s.  The qualifiers follow the
 * specification: an observed-data with number_observed N counts as N
 * observations; AND and FOLLOWEDBY need distinct observations; FOLLOWEDBY
 * needs timestamps that can be ordered; WITHIN needs a window of that many
 * seconds that overlaps each observation's [first_observed,
 * last_observed]; START/STOP needs each observation to overlap
 * [START, STOP).  Returns 0 with out filled (matched or not), or
 * CYBEX_ETOOBIG when the search outgrew o's limits before it could decide
 * (a match found within the limits is always reported), CYBEX_ENOMEM.
 */
int	 cybex_pattern_match(const struct cybex_pattern *p,
	    const struct cybex_pattern_obsset *s,
	    const struct cybex_pattern_eval_opts *o,
	    struct cybex_pattern_result *out, struct cybex_diag *d);
/* The same, over observation i alone. */
int	 cybex_pattern_match_one(const struct cybex_pattern *p,
	    const struct cybex_pattern_obsset *s, size_t i,
	    const struct cybex_pattern_eval_opts *o,
	    struct cybex_pattern_result *out, struct cybex_diag *d);
void	 cybex_pattern_result_clear(struct cybex_pattern_result *r);

/* ---- building blocks for indexes (lib/match) ---- */

/*
 * How values of a property are normalized before they are compared
 * (for both the value and, with =, != and IN, the literal).  Chosen by the
 * object the value was taken from and the property name.
 */
enum cybex_pattern_canon {
	CYBEX_PCANON_NONE = 0,
	CYBEX_PCANON_IP,	/* ipv4-addr/ipv6-addr value: address/prefix */
	CYBEX_PCANON_DOMAIN,	/* domain-name value: lower case, no final dot */
	CYBEX_PCANON_EMAIL,	/* email-addr value: domain part lower case */
	CYBEX_PCANON_URL,	/* url value: RFC 3986 6.2.2 + scheme rules */
	CYBEX_PCANON_HASH,	/* a hashes dictionary value: lower case */
	CYBEX_PCANON_MAC,	/* mac-addr value: lower case */
};

/* The rule for property key of an object of type objtype (in_hashes: the
 * key is an algorithm inside a hashes dictionary). */
int	 cybex_pattern_canon_kind(const char *objtype, const char *key,
	    bool in_hashes);
/*
 * Append the normalized form of s[0..n) under kind to out (a value that
 * does not parse for its kind is appended unchanged).
 */
int	 cybex_pattern_canon(int kind, const char *s, size_t n,
	    struct cybex_buf *out);

/* One value found at the end of an object path. */
enum cybex_pattern_value_kind {
	CYBEX_PVAL_STRING = 1,
	CYBEX_PVAL_INT,
	CYBEX_PVAL_FLOAT,
	CYBEX_PVAL_BOOL,
	CYBEX_PVAL_BINARY,	/* from a *_hex or *_bin property */
	CYBEX_PVAL_OTHER,	/* object or array: only EXISTS sees it */
};

struct cybex_pattern_value {
	int		 kind;
	int		 canon;		/* enum cybex_pattern_canon */
	const char	*s;		/* STRING (canonical form), BINARY */
	size_t		 n;
	int64_t		 i;
	double		 f;
	const json_t	*json;		/* where it came from */
};

/*
 * Scratch space for repeated calls of the functions below (one per thread;
 * NULL makes a temporary one per call).
 */
struct cybex_pattern_scratch;
int	 cybex_pattern_scratch_new(struct cybex_pattern_scratch **out);
void	 cybex_pattern_scratch_free(struct cybex_pattern_scratch *c);

/*
 * Call fn for every value that path selects, starting at root (an SCO of
 * observation i; its "type" must equal path->type for anything to be
 * found).  _ref and _refs properties are followed to the objects of the
 * same observation; [*] walks the elements of a list and the values of a
 * dictionary.  Values are valid during the call.  fn returns nonzero to
 * stop the walk.  Returns 0, or CYBEX_ENOMEM.
 */
typedef int	(*cybex_pattern_value_fn)(void *ud,
		    const struct cybex_pattern_value *v);
int	 cybex_pattern_path_values(const struct cybex_pattern_obsset *s,
	    size_t i, const json_t *root, const struct cybex_pattern_path *path,
	    struct cybex_pattern_scratch *c, cybex_pattern_value_fn fn,
	    void *ud);
/* The SCOs of observation i (a JSON object: key -> SCO; borrowed). */
const json_t *cybex_pattern_obsset_objects(
	    const struct cybex_pattern_obsset *s, size_t i);
/*
 * Whether the comparison test t (a CYBEX_PN_TEST node other than EXISTS,
 * NOT included) holds for the single value v, exactly as the evaluator
 * decides it.
 */
bool	 cybex_pattern_test_value(const struct cybex_pattern_node *t,
	    const struct cybex_pattern_value *v,
	    struct cybex_pattern_scratch *c);

/*
 * Append UTF-8 s[0..n) to out as Latin-1 bytes (how a string compares
 * with a binary value); false when a code point is above 255 (such a
 * string never equals bytes) or memory runs out.
 */
bool	 cybex_pattern_latin1(const char *s, size_t n, struct cybex_buf *out);

/*
 * The PCRE2 expression of a LIKE or MATCHES test t (LIKE translated to an
 * anchored expression; *dotall then set: '.' matches newlines), or NULL
 * when t has none (another operator, or an expression that did not
 * compile).  Valid while the pattern lives.
 */
const char *cybex_pattern_regex(const struct cybex_pattern_node *t,
	    size_t *len, bool *dotall);

/*
 * Parse an IPv4 or IPv6 address with an optional "/prefix".  *family is 4
 * or 6; addr holds 4 or 16 bytes in network order with the host bits
 * cleared; *plen is the prefix length (32 or 128 when absent).  Returns
 * false when s is not an address.
 */
bool	 cybex_pattern_ip_parse(const char *s, size_t n, int *family,
	    uint8_t addr[16], unsigned *plen);

#endif /* CYBEX_PATTERN_H */
