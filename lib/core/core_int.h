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

/* core_json_fast with the buffers of a stream parser (core.h). */
int	core_json_parser_fast(struct cybex_json_parser *p, const char *buf,
	    size_t len, json_t **out);

#endif
