/*
 * Internal interface of the patterning code (lib/stix/pattern): the lexer
 * and parser, the checker, compiled regular expressions, value access and
 * comparison, and the hook the indicator rule calls.
 */
#ifndef CYBEX_PATTERN_INT_H
#define CYBEX_PATTERN_INT_H

#include <stdbool.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cybex/core.h"
#include "cybex/pattern.h"

struct vctx;

/* ---- tokens (lex.c) ---- */
enum ptok {
	PT_EOF = 0,
	PT_ERROR,		/* the lexer failed; the lexer's error says why */
	PT_LBRACK, PT_RBRACK, PT_LPAREN, PT_RPAREN, PT_COLON, PT_DOT,
	PT_COMMA, PT_STAR, PT_EQ, PT_NE, PT_LT, PT_LE, PT_GT, PT_GE,
	PT_PLUS, PT_MINUS,	/* not part of any rule: always unexpected */
	PT_INVALID,		/* a character no rule accepts */
	PT_IDENT,		/* [a-zA-Z_][a-zA-Z0-9_]* */
	PT_IDENT_H,		/* the same with '-' */
	PT_STRING, PT_INT, PT_NEGINT, PT_FLOAT, PT_NEGFLOAT, PT_BOOL,
	PT_BINARY, PT_HEX, PT_TIMESTAMP,
	/* keywords (upper case only, as in the grammar) */
	PT_AND, PT_OR, PT_NOT, PT_FOLLOWEDBY, PT_LIKE, PT_MATCHES,
	PT_ISSUPERSET, PT_ISSUBSET, PT_EXISTS, PT_LAST, PT_IN, PT_START,
	PT_STOP, PT_SECONDS, PT_WITHIN, PT_REPEATS, PT_TIMES,
};

struct ptoken {
	int			 type;
	uint32_t		 pos;
	uint32_t		 len;
	struct cybex_pattern_lit lit;	/* literals; IDENT: lit.s = name */
};

/* First problem found, with where. */
struct perr {
	int		 code;		/* 0 = none */
	const char	*rule;
	uint32_t	 pos;
	char		 msg[CYBEX_DIAG_MSG_MAX];
};

struct plexer {
	const char		*s;
	size_t			 n;
	size_t			 i;
	struct cybex_arena	*a;
	struct perr		*err;
};

/* Whether s[0..n) is UTF-8; *bad = offset of the first bad byte. */
bool	 plex_utf8_ok(const char *s, size_t n, size_t *bad);
/* The next token (PT_ERROR with lx->err set on failure). */
void	 plex_next(struct plexer *lx, struct ptoken *t);
/* A short human name of a token type ("']'", "a string"). */
const char *plex_tok_name(int type);
void	 perr_set(struct perr *e, int code, const char *rule, size_t pos,
	    const char *fmt, ...) CYBEX_PRINTF(5, 6);
/*
 * The instant of a grammar-valid "YYYY-MM-DDTHH:MM:SS[.f]Z" (dates past
 * the month's end roll over, as 02-30 -> 03-01): for timestamps that match
 * the grammar but not the calendar.
 */
void	 plex_time_lenient(const char *s, size_t n, struct cybex_time *out);

/* ---- the parser (parse.c) ---- */
struct cybex_pattern {
	struct cybex_arena		*a;	/* NULL once compacted */
	void				*block;	/* the compacted tree */
	size_t				 blocklen;
	char				*text;
	size_t				 len;
	const struct cybex_pattern_node	*root;
	size_t				 nnodes;
	struct prx			**rx;	/* compiled regexes to free */
	size_t				 nrx;
	size_t				 rxcap;
};

/*
 * Parse p->text into p->root using limits o; on a syntax error returns
 * CYBEX_EFORMAT (CYBEX_ETOOBIG past a limit) with e set.
 */
int	 pattern_parse(struct cybex_pattern *p,
	    const struct cybex_pattern_opts *o, struct perr *e);

/* ---- compiled regular expressions (regex.c) ---- */
struct prx {
	pcre2_code		*utf;	/* for strings */
	pcre2_code		*bin;	/* for binary values, or NULL when the
					   expression has code points > 255 */
	pcre2_match_context	*mctx;
	char			*src;	/* the PCRE2 source (LIKE translated) */
	size_t			 srclen;
	bool			 dotall;	/* LIKE */
};

#define PRX_MATCH_LIMIT		1000000u
#define PRX_DEPTH_LIMIT		10000u

/*
 * Compile the LIKE or MATCHES test t into t->priv and register it with p
 * (with jit, also with the PCRE2 JIT: for patterns that will be matched,
 * not only checked).  On a bad MATCHES expression returns CYBEX_EFORMAT
 * with e set to the PCRE2 message and where in the pattern it is.
 */
int	 prx_compile(struct cybex_pattern *p, struct cybex_pattern_node *t,
	    bool jit, struct perr *e);
void	 prx_free(struct prx *r);
/* Translate a LIKE operand into a PCRE2 expression (\A ... \z). */
int	 prx_like_to_regex(const char *s, size_t n, struct cybex_buf *out);
/*
 * 1 when r matches subject[0..n) (binary: a byte string), 0 when not or
 * when a resource limit stopped PCRE2.  md may be NULL (one is made).
 */
int	 prx_match(const struct prx *r, const char *subject, size_t n,
	    bool binary, pcre2_match_data *md);

/* ---- the checker (check.c) ---- */
/* Report function for the checker: severity, rule, position, message. */
struct pcheck_out {
	cybex_diag_fn		 fn;
	void			*ud;
	unsigned		 flags;
	bool			 jit;	/* the pattern will be matched */
	unsigned		 errors;
	unsigned		 warnings;
	struct cybex_diag	*first;	/* first error goes here (may be NULL) */
};
void	 pattern_check(struct cybex_pattern *p, struct pcheck_out *co);
void	 pcheck_report(struct pcheck_out *co, int severity, const char *rule,
	    size_t pos, const char *fmt, ...) CYBEX_PRINTF(5, 6);

/* The indicator rule's hook: check the "pattern" property of obj. */
void	 stix_pattern_validate(struct vctx *v, const json_t *obj);

/* ---- values (value.c) ---- */
struct cybex_pattern_scratch {
	struct cybex_buf	 lit;	/* literal conversions */
	struct cybex_buf	 val;	/* the value being emitted */
	struct cybex_buf	 bin;	/* value as bytes */
	pcre2_match_data	*md;
};
int	 pscratch_init(struct cybex_pattern_scratch *c);
void	 pscratch_fini(struct cybex_pattern_scratch *c);
/* Whether the comparison expression n holds for root (an SCO). */
int	 pcmp_root(const struct cybex_pattern_obsset *s, size_t i,
	    const json_t *root, const struct cybex_pattern_node *n,
	    struct cybex_pattern_scratch *c, bool *out);

/* ---- canonical forms (canon.c) ---- */
/* UTF-8 s[0..n) as Latin-1 bytes into out; false when a code point > 255. */
bool	 pcanon_latin1(const char *s, size_t n, struct cybex_buf *out);

/* ---- observation sets (obs.c) ---- */
struct pobs {
	json_t			*objects;	/* key -> SCO */
	char			*id;		/* observed-data id or NULL */
	struct cybex_time	 first;
	struct cybex_time	 last;
	uint32_t		 count;
};

struct cybex_pattern_obsset {
	struct pobs	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 max;
};

#endif /* CYBEX_PATTERN_INT_H */
