/* Internal interface of the core module. */
#ifndef CYBEX_CORE_INT_H
#define CYBEX_CORE_INT_H

#include "cybex/core.h"

/*
 * Parse buf[0..len) with jansson (duplicates rejected) without the depth
 * pre-scan: for callers that already ran cybex_json_scan over it.
 */
int	core_json_load(const char *buf, size_t len, json_t **out,
	    struct cybex_diag *d);

/*
 * The fast path of core_json_load (json_fast.c): 0 and *out (the value
 * jansson would build) on success, 1 when it declines the text, which is
 * then jansson's to parse or to reject.  Never an error of its own.
 */
int	core_json_fast(const char *buf, size_t len, json_t **out);

/*
 * A parser for many texts in a row (one per reader): it keeps yajl's
 * handle and buffers between texts.  Not for two threads at once.
 */
struct core_json_parser;
int	core_json_parser_new(struct core_json_parser **out);
void	core_json_parser_free(struct core_json_parser *p);	/* NULL-safe */
/* core_json_fast with p's buffers. */
int	core_json_parser_fast(struct core_json_parser *p, const char *buf,
	    size_t len, json_t **out);
/* core_json_load with p's buffers (p may be NULL). */
int	core_json_parser_load(struct core_json_parser *p, const char *buf,
	    size_t len, json_t **out, struct cybex_diag *d);

/*
 * Length (1..4) of the valid UTF-8 sequence at s[0..n) and its code point
 * in *cp, or 0 when it is not one (overlong forms, surrogates and code
 * points past U+10FFFF are invalid).  n must be at least 1.
 */
size_t	core_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
