/* Internal interface of the ingest module (docs/ingest.md). */
#ifndef CYBEX_INGEST_INT_H
#define CYBEX_INGEST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/ingest.h"

/*
 * The per-record string area: blocks that are never moved while a record
 * is read (so pointers handed out stay valid) and are all kept for reuse
 * when the next record starts, so a reader in steady state allocates
 * nothing.  max caps the bytes one record may store.
 */
struct ingest_area_block {
	struct ingest_area_block *next;
	size_t			 size;
	size_t			 used;
	char			 data[];
};

struct ingest_area {
	struct ingest_area_block *head;
	struct ingest_area_block *cur;
	size_t			 used;	/* bytes handed out for this record */
	size_t			 held;	/* bytes of all blocks */
	size_t			 max;
};

struct ingest_fmt;

/*
 * An sshd connection that named an unknown account ("Invalid user U from
 * A port P"), so that the lines sshd logs after it for the same try are
 * not counted again (auth.c).  Kept in a small ring per reader.
 */
struct ingest_sshd_conn {
	uint64_t		 key;	/* address and user, hashed; 0 = free */
	uint16_t		 port;	/* 0: the line gave none */
	bool			 failed; /* its first "Failed" line was seen */
};

#define INGEST_SSHD_CONNS	32

struct cybex_ingest_reader {
	enum cybex_ingest_format format;
	char			*sensor;
	char			*org;
	size_t			 line_max;
	int64_t			 ref_time_us;
	bool			 ref_now;	/* ref_time_us follows the clock */
	struct cybex_ingest_stats stats;
	struct cybex_obs	 obs;
	struct ingest_area	 area;
	/* The record being read, for error columns. */
	const char		*line;
	size_t			 len;
	unsigned long		 lineno;
	struct ingest_sshd_conn	 sshd[INGEST_SSHD_CONNS];
	unsigned		 sshd_next;
	/* Format state (eve.c, postfix.c, csv.c own theirs). */
	void			*state;
	const struct ingest_fmt	*fmt;
};

/*
 * One format.  read returns 1 (observation in r->obs), 0 (nothing to
 * observe) or a negative code with d filled (the caller adds the line).
 */
struct ingest_fmt {
	const char	*name;
	int	(*init)(struct cybex_ingest_reader *r,
		    const struct cybex_ingest_opts *o, struct cybex_diag *d);
	void	(*fini)(struct cybex_ingest_reader *r);
	int	(*read)(struct cybex_ingest_reader *r, const char *line,
		    size_t len, struct cybex_diag *d);
};

extern const struct ingest_fmt ingest_fmt_eve;
extern const struct ingest_fmt ingest_fmt_syslog;
extern const struct ingest_fmt ingest_fmt_access;
extern const struct ingest_fmt ingest_fmt_postfix;
extern const struct ingest_fmt ingest_fmt_csv;
extern const struct ingest_fmt ingest_fmt_page;

/* ---- string area (reader.c) ---- */
/* n bytes of uninitialized room, or NULL (cap reached or no memory). */
char	*ingest_alloc(struct cybex_ingest_reader *r, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL. */
const char *ingest_strdup(struct cybex_ingest_reader *r, const char *s,
	    size_t n);
/* The same, lower-cased (ASCII). */
const char *ingest_strdup_lower(struct cybex_ingest_reader *r, const char *s,
	    size_t n);
/*
 * A copy of text from a log line: bytes that are not valid UTF-8, NUL and
 * other control bytes become "\xHH" so the result is always valid UTF-8
 * without NUL.
 */
const char *ingest_text(struct cybex_ingest_reader *r, const char *s,
	    size_t n);
/* Set d to code with message, d->column = col (1-based); returns code. */
int	 ingest_err(struct cybex_diag *d, int code, size_t col,
	    const char *fmt, ...) CYBEX_PRINTF(4, 5);
/*
 * The error of a record whose strings do not fit the reader's area
 * (CYBEX_ETOOBIG at column col); returns the code.
 */
int	 ingest_full(struct cybex_diag *d, size_t col);
/* Column (1-based) of p within the current line. */
size_t	 ingest_col(const struct cybex_ingest_reader *r, const char *p);

/* ---- time (ts.c) ---- */
/* Month number 1..12 of a three-letter English name (any case), or 0. */
unsigned ingest_month_parse(const char *s);
/*
 * Parse "YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}][Z|z|(+|-)HH[:]MM]" at
 * s[0..n): sets *us and *end (bytes used).  Without an offset the time is
 * UTC.  Returns 0, or CYBEX_EFORMAT with *end at the offending byte.
 * allow_no_zone: accept a missing zone (else it is an error).
 */
int	 ingest_iso_time(const char *s, size_t n, bool allow_no_zone,
	    int64_t *us, size_t *end);
/*
 * The UTC microseconds of a date without a year ("Feb  9 11:44:56"):
 * the latest year that puts the time no later than ref_us plus
 * INGEST_YEAR_SKEW_US (the year of ref_us, or the one before; a Feb 29
 * goes to the closest leap year that satisfies it), as rsyslog and
 * fail2ban do: a log line is not from the future.  Returns 0 or
 * CYBEX_EFORMAT.
 */
#define INGEST_YEAR_SKEW_US	(86400LL * 1000000)	/* clocks, zones */
int	 ingest_yearless_time(unsigned mon, unsigned day, unsigned hh,
	    unsigned mm, unsigned ss, uint32_t usec, int64_t ref_us,
	    int64_t *us);

/* ---- syslog header (syslog.c), shared with postfix.c ---- */
struct ingest_syslog {
	int64_t		 ts_us;
	const char	*host;		/* in the line, not NUL-terminated */
	size_t		 host_len;
	const char	*prog;
	size_t		 prog_len;
	const char	*pid;
	size_t		 pid_len;
	const char	*msg;		/* rest of the line */
	size_t		 msg_len;
};
/* Parse the header of one syslog line (RFC 5424, RFC 3164, variants). */
int	 ingest_syslog_header(struct cybex_ingest_reader *r, const char *line,
	    size_t len, struct ingest_syslog *out, struct cybex_diag *d);

/* ---- message parsers (auth.c) ---- */
/*
 * Parse the message of an sshd/su/sudo/PAM/login record into r->obs.
 * prog is the program name (without pid).  Returns 1 when it is a
 * program we read (obs filled), 0 when it is not.
 */
int	 ingest_auth_message(struct cybex_ingest_reader *r, const char *prog,
	    size_t prog_len, const char *msg, size_t len, struct cybex_diag *d);

/* ---- small text helpers (reader.c) ---- */
/* Parse an unsigned decimal s[0..n) (no sign, no spaces) <= max. */
int	 ingest_uint(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Find needle in s[0..n); NULL if absent. */
const char *ingest_memmem(const char *s, size_t n, const char *needle);
/* True when s[0..n) starts with the NUL-terminated prefix. */
bool	 ingest_prefix(const char *s, size_t n, const char *prefix);
/* True when s[0..n) is a URL scheme (RFC 3986: ALPHA *(ALPHA/DIGIT/+-.)). */
bool	 ingest_is_scheme(const char *s, size_t n);
/* True when s[0..n) is all hexadecimal digits (any case). */
bool	 ingest_is_hex(const char *s, size_t n);
/*
 * Set *ip and *text (the canonical form) from s[0..n); CYBEX_EFORMAT and
 * both cleared if it is not an IP address, CYBEX_ETOOBIG if the area is full.
 */
int	 ingest_set_ip(struct cybex_ingest_reader *r, struct cybex_ip *ip,
	    const char **text, const char *s, size_t n);
/*
 * The host of an absolute URL ("http://User@Example.com:8080/x" ->
 * "example.com", "[2001:db8::1]" -> "2001:db8::1"), lower-cased, into
 * *out; *out stays NULL for a URL without one.  0 or CYBEX_ETOOBIG.
 */
int	 ingest_url_host(struct cybex_ingest_reader *r, const char *url,
	    const char **out);
/* Validate hex of exactly want digits; lower-cased copy into *out. */
int	 ingest_hash(struct cybex_ingest_reader *r, const char *s, size_t n,
	    size_t want, const char **out);

#endif
