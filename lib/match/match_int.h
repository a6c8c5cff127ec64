/*
 * Internal interface of the indicator index (lib/match): the exact-value
 * hash table, the CIDR radix tree, the Hyperscan sets, the builder and
 * the index layout that lookups read.
 */
#ifndef CYBEX_MATCH_INT_H
#define CYBEX_MATCH_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <hs.h>

#include "cybex/core.h"
#include "cybex/match.h"
#include "cybex/pattern.h"

/*
 * Keys of the exact table: field (2 bytes, little-endian), canonical form
 * (enum cybex_pattern_canon, 1 byte), kind (1 byte), then the value:
 */
#define MK_STR		's'	/* a string in canonical form */
#define MK_HASH		'h'	/* a hex hash digest, as bytes */
#define MK_BIN		'b'	/* bytes (binary literals, *_hex/_bin) */
#define MK_NUM		'n'	/* an integer, 8 bytes little-endian */
#define MK_TIME		't'	/* seconds (8) and nanoseconds (4) */
#define MK_SUFFIX	'd'	/* domain suffix: LIKE '%.evil.com' */
#define MK_HDR		4
#define MKEY_MAX	(MK_HDR + 65536)

/* Field flags: which key kinds to probe for a value. */
#define MF_STR		0x01
#define MF_HASH		0x02
#define MF_BIN		0x04
#define MF_NUM		0x08
#define MF_TIME		0x10
#define MF_SUFFIX	0x20
#define MF_CIDR		0x40
#define MF_REGEX	0x80
#define MF_REF		0x100	/* the path goes through a _ref */

/* Postings: indicator lists, linked through next (0 = end). */
struct mpost {
	uint32_t	 ind;
	uint32_t	 next;
};

struct mposts {
	struct mpost	*v;	/* v[0] unused: 0 means "none" */
	size_t		 n;
	size_t		 cap;
};

int	 mposts_init(struct mposts *p);
/* Prepend ind to the list at *head (no duplicate at the head). */
int	 mposts_add(struct mposts *p, uint32_t *head, uint32_t ind);

/* ---- the exact table (table.c) ---- */
/* A slot is the entry: open addressing over entries, len 0 = empty. */
struct mslot {
	uint32_t	 hash;
	uint32_t	 len;	/* key length */
	uint32_t	 off;	/* key in the pool */
	uint32_t	 post;	/* first posting */
};

struct mtab {
	uint8_t		*tags;		/* per slot: 0 empty, else 0x80 | 7
					   bits of the hash (stays in cache) */
	struct mslot	*slots;
	size_t		 nslots;	/* a power of two */
	size_t		 n;
	uint8_t		*pool;
	size_t		 plen;
	size_t		 pcap;
};

uint32_t mhash(const void *key, size_t len);
void	 mtab_init(struct mtab *t);
void	 mtab_free(struct mtab *t);
/*
 * The posting head of key (an entry is made when new) in *post, valid
 * until the next mtab_put.
 */
int	 mtab_put(struct mtab *t, const uint8_t *key, size_t len,
	    uint32_t **post);
/* The first posting of key, or 0. */
uint32_t mtab_get(const struct mtab *t, const uint8_t *key, size_t len);
size_t	 mtab_bytes(const struct mtab *t);

/* ---- CIDR prefixes (radix.c) ---- */
struct rnode {
	uint8_t		 key[16];
	uint8_t		 plen;
	uint8_t		 pad[3];
	uint32_t	 child[2];	/* node index, 0 = none */
	uint32_t	 post;
};

struct radix {
	struct rnode	*v;		/* v[0] unused */
	size_t		 n;
	size_t		 cap;
	uint32_t	 root[2];	/* IPv4, IPv6 */
	/*
	 * IPv4 jump table (big trees only), by the top 16 bits of an
	 * address: jump[x].node is the first node of length >= 16 on its
	 * path (0 when none) and up16[jump[x].at..jump[x + 1].at) are the
	 * postings of the prefixes shorter than 16 that hold it.
	 */
	struct rjump {
		uint32_t	 node;
		uint32_t	 at;
	}		*jump;		/* 65537 entries */
	uint32_t	*up16;
};

int	 radix_init(struct radix *r);
void	 radix_free(struct radix *r);
int	 radix_insert(struct radix *r, struct mposts *p, int family,
	    const uint8_t key[16], unsigned plen, uint32_t ind);
/* Call fn with the first posting of every prefix that holds (key, plen). */
void	 radix_lookup(const struct radix *r, int family, const uint8_t key[16],
	    unsigned plen, void (*fn)(void *, uint32_t), void *ud);
/* After the last insert: build the IPv4 jump table when it pays. */
int	 radix_finish(struct radix *r);
size_t	 radix_bytes(const struct radix *r);

/* ---- LIKE/MATCHES sets (regex.c) ---- */
struct mrxent {
	const struct cybex_pattern_node	*test;	/* its prx confirms */
	uint32_t			 ind;
	bool				 in_db;	/* else checked one by one */
};

struct mrx {
	hs_database_t	*db;		/* NULL: every entry one by one */
	struct mrxent	*e;
	size_t		 n;
	size_t		 cap;
	size_t		 nslow;		/* entries not in db */
};

int	 mrx_add(struct mrx *x, const struct cybex_pattern_node *test,
	    uint32_t ind);
/* Compile the entries that Hyperscan can take (prefilter mode). */
int	 mrx_compile(struct mrx *x, bool use_hs, struct cybex_diag *d);
void	 mrx_free(struct mrx *x);
size_t	 mrx_bytes(const struct mrx *x);

/* ---- the index ---- */
struct mfield {
	char				*name;	/* "ipv4-addr:value" */
	const char			*type;	/* path->type */
	struct cybex_pattern		*holder;	/* owns path */
	const struct cybex_pattern_path	*path;
	unsigned			 flags;	/* MF_* */
	int				 canon;	/* for lookup_value */
	struct radix			 cidr;
	struct mrx			 rx;
};

struct mtype {
	const char	*type;		/* an SCO type named by a field or a
					   general pattern */
	uint16_t	*fields;
	size_t		 nfields;
	uint32_t	*general;	/* indicators evaluated in full */
	size_t		 ngeneral;
};

struct mind {
	uint8_t		 uuid[16];
};

struct cybex_match_index {
	atomic_uint			 refs;
	uint64_t			 serial;	/* for scratch */
	struct mind			*ind;
	size_t				 nind;
	char				**rawid;	/* ids that are not
							   indicator--UUID */
	struct cybex_pattern		**pat;		/* by indicator, or
							   NULL (exact only) */
	struct mtab			 tab;
	struct mposts			 posts;
	struct mfield			*fields;
	size_t				 nfields;
	struct mtype			*types;
	size_t				 ntypes;
	size_t				 hs_dbs;
	struct cybex_match_stats	 st;
};

struct cybex_match_scratch {
	hs_scratch_t				*hs;
	const struct cybex_match_index		*for_ix;
	uint64_t				 for_serial;
	struct cybex_pattern_scratch		*ps;
	struct cybex_buf			 key;	/* table key */
	struct cybex_buf			 val;	/* conversions */
	struct cybex_buf			 in;	/* lookup_value's value */
	struct cybex_match_hits			 cand;	/* compound */
};

/* Append ind to hits (grows; no sorting). */
int	 mhits_add(struct cybex_match_hits *h, uint32_t ind);
/* Sort and drop duplicates. */
void	 mhits_finish(struct cybex_match_hits *h);

/*
 * Build the exact-table key of (field, canon, kind, bytes) into b.
 */
int	 mkey(struct cybex_buf *b, unsigned field, int canon, int kind,
	    const void *v, size_t n);
/* The canonical forms a value at this path can take (bit per kind). */
unsigned mpath_canons(const struct cybex_pattern_path *pa);

void	 mindex_free(struct cybex_match_index *ix);

#endif /* CYBEX_MATCH_INT_H */
