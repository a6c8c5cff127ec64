/* Helpers shared by the ingest tests: a stable text dump of observations. */
#ifndef CYBEX_INGEST_TEST_H
#define CYBEX_INGEST_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"
#include "cybex/ingest.h"

/* 2024-06-01T00:00:00Z: the reference time of every test (RFC 3164). */
#define IT_REF_US	INT64_C(1717200000000000)

/* Append a text dump of o (one "field: value" line per field set). */
void	it_dump_obs(const struct cybex_obs *o, struct cybex_buf *out);
/* Append "line N: error CODE at column C: message". */
void	it_dump_err(unsigned long lineno, int rc, const struct cybex_diag *d,
	    struct cybex_buf *out);
/*
 * Read all of text[0..len) with a reader of format f (mapping for csv)
 * through the line splitter, feeding chunk bytes at a time (0 = all at
 * once), and dump every observation and error into out.
 */
void	it_read_all(enum cybex_ingest_format f, const char *mapping,
	    const char *text, size_t len, size_t chunk, struct cybex_buf *out);
/* New reader of format f with the test reference time; fails the test
 * if it cannot be made. */
struct cybex_ingest_reader *it_reader(enum cybex_ingest_format f,
	    const char *mapping);
/* Read one NUL-terminated line; returns what read_line returned. */
int	it_line(struct cybex_ingest_reader *r, const char *line,
	    const struct cybex_obs **o, struct cybex_diag *d);

#endif
