/*
 * cybex ingest: readers that turn sensor and feed records into normalized
 * observations.
 *
 * One record is one line (Suricata EVE JSON, syslog RFC 5424/3164 with the
 * sshd/PAM/su/sudo parsers, web access logs in the combined format, Postfix
 * logs, CSV and plain-text blocklist feeds).  A reader parses one line at a
 * time into one struct cybex_obs whose strings live in the reader and stay
 * valid until the next call on that reader; it never holds a whole file.
 * cybex_ingest_lines_* splits a byte stream into capped lines with their
 * numbers, so files, followed files and HTTP bodies share one path.
 *
 * Readers are not thread-safe; use one per thread.
 */
#ifndef CYBEX_INGEST_H
#define CYBEX_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"
#include "cybex/ip.h"
#include "cybex/obs.h"

enum cybex_ingest_format {
	CYBEX_INGEST_EVE = 0,
	CYBEX_INGEST_SYSLOG,
	CYBEX_INGEST_ACCESS,
	CYBEX_INGEST_POSTFIX,
	CYBEX_INGEST_CSV,
	CYBEX_INGEST_PAGE,	/* page checker JSON lines (docs/ingest.md) */
	CYBEX_INGEST_FORMAT_MAX
};

/*
 * "eve", "syslog", "access", "postfix", "csv", "page" <-> the enum; -1 if
 * unknown.  format_name gives NULL for a value outside the enum.
 */
int		 cybex_ingest_format_parse(const char *name);
const char	*cybex_ingest_format_name(enum cybex_ingest_format f);

#define CYBEX_INGEST_LINE_MAX_DEFAULT	(1u << 20)	/* 1 MiB */

struct cybex_ingest_opts {
	enum cybex_ingest_format format;
	const char	*sensor;	/* copied; NULL = from the record */
	const char	*org;		/* copied; NULL = none */
	/*
	 * CSV/blocklist mapping, the text of a small "key = value" file
	 * (docs/ingest.md): which column holds the value, its type, the
	 * delimiter, comment prefix, feed name and category.  NULL = one
	 * value per line, type guessed.  Ignored by the other formats.
	 */
	const char	*mapping;
	/* Syslog RFC 3164 lines carry no year: the latest year that puts
	 * the time no later than this plus one day (0 = the clock when each
	 * line is read). */
	int64_t		 ref_time_us;
	size_t		 line_max;	/* 0 = CYBEX_INGEST_LINE_MAX_DEFAULT */
	/* Postfix: queue ids remembered to correlate a message's lines;
	 * the least recently used one is dropped beyond it (0 = 4096). */
	size_t		 postfix_queue_max;
};

struct cybex_ingest_reader;

/* Returns 0, CYBEX_EINVAL (bad format or mapping: d says where), ENOMEM. */
int	 cybex_ingest_reader_new(const struct cybex_ingest_opts *o,
	    struct cybex_ingest_reader **out, struct cybex_diag *d);
void	 cybex_ingest_reader_free(struct cybex_ingest_reader *r);

/*
 * Read one line (without its newline; a trailing CR is ignored) numbered
 * lineno.  Returns 1 with *out set (valid until the next call on r), 0 when
 * the line is well-formed but holds nothing to observe (a blank line, a
 * comment, a syslog program that is not parsed; counted as skipped), or
 * CYBEX_EFORMAT/CYBEX_EJSON/CYBEX_ETOOBIG with d saying where (d->line =
 * lineno, d->column) and why.  The reader stays usable after an error.
 */
int	 cybex_ingest_read_line(struct cybex_ingest_reader *r,
	    const char *line, size_t len, unsigned long lineno,
	    const struct cybex_obs **out, struct cybex_diag *d);

struct cybex_ingest_stats {
	uint64_t	 lines;		/* lines given */
	uint64_t	 observations;	/* returned 1 */
	uint64_t	 skipped;	/* returned 0 */
	uint64_t	 errors;	/* returned an error */
};
void	 cybex_ingest_reader_stats(const struct cybex_ingest_reader *r,
	    struct cybex_ingest_stats *out);

/*
 * Line splitting over a byte stream, with a cap.  Feed bytes as they come;
 * next gives each complete line.  A line longer than line_max is reported
 * once as CYBEX_ETOOBIG (with its number) and its bytes are dropped up to
 * the next newline.  finish flushes a last line without a newline.
 */
struct cybex_ingest_lines;
int	 cybex_ingest_lines_new(size_t line_max,
	    struct cybex_ingest_lines **out);
void	 cybex_ingest_lines_free(struct cybex_ingest_lines *l);
/* Append bytes; CYBEX_ENOMEM only. */
int	 cybex_ingest_lines_feed(struct cybex_ingest_lines *l, const void *p,
	    size_t n);
/* Mark the end of input: a last unterminated line becomes available. */
void	 cybex_ingest_lines_finish(struct cybex_ingest_lines *l);
/*
 * 1 with *line, *len and *lineno of the next complete line (valid until the
 * next call), 0 when more bytes are needed, CYBEX_ETOOBIG for an over-long
 * line (lineno set; call again to go on).
 */
int	 cybex_ingest_lines_next(struct cybex_ingest_lines *l,
	    const char **line, size_t *len, unsigned long *lineno);

#endif
