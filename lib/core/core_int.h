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

#endif
