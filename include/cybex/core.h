/*
 * cybex core: errors and diagnostics, allocation hooks, arenas, growable
 * buffers with caps, logging callback, RFC 3339 time, UUIDs and JSON helpers.
 *
 * Conventions (see STYLE.md): fallible functions return 0 or a negative
 * CYBEX_E* code; detail for humans goes into a caller-owned struct
 * cybex_diag; out-parameters are NULL/zeroed on entry and set on success.
 */
#ifndef CYBEX_CORE_H
#define CYBEX_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#ifdef __GNUC__
#define CYBEX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define CYBEX_SENTINEL __attribute__((sentinel))
#else
#define CYBEX_PRINTF(a, b)
#define CYBEX_SENTINEL
#endif

/* ---- error codes: append-only, documented in docs/ERRORS.md ---- */
#define CYBEX_OK	 0
#define CYBEX_EINTERNAL	-1	/* a bug in cybex */
#define CYBEX_ENOMEM	-2	/* allocation failed */
#define CYBEX_EINVAL	-3	/* bad argument or usage */
#define CYBEX_ETOOBIG	-4	/* a configured limit was exceeded */
#define CYBEX_EIO	-5	/* read or write failed */
#define CYBEX_EJSON	-6	/* input is not well-formed JSON */
#define CYBEX_ESTIX	-7	/* input is JSON but not valid STIX */
#define CYBEX_ENOTFOUND	-8	/* no such thing */
#define CYBEX_EFORMAT	-9	/* a value has the wrong format */
#define CYBEX_ECRYPTO	-10	/* crypto library failure */
#define CYBEX_ECONFLICT	-11	/* conflicts with what is stored */
#define CYBEX_EDB	-12	/* the database failed */
#define CYBEX_EVERSION	-13	/* data from a newer or unknown version */
#define CYBEX_EEXIST	-14	/* already exists */
#define CYBEX_EPOLICY	-15	/* refused by the sharing policy (TLP) */
#define CYBEX_EBUSY	-16	/* busy (database locked, queue full): try again */
#define CYBEX_ENOSPC	-17	/* no space left (the disk is full) */
#define CYBEX_ECODE_MIN	-17	/* lowest code in use */

/* Name of an error code ("CYBEX_ETOOBIG: limit exceeded"); never NULL. */
const char	*cybex_strerror(int code);

/* ---- diagnostics ---- */
enum cybex_severity {
	CYBEX_SEV_ERROR = 0,
	CYBEX_SEV_WARNING = 1,
};

#define CYBEX_DIAG_PTR_MAX	256
#define CYBEX_DIAG_MSG_MAX	384

/*
 * One problem, with where it is.  line/column are 1-based (0 = unknown),
 * column counts bytes; offset is the byte offset in the input; pointer is an
 * RFC 6901 JSON pointer (may be empty).  rule is a stable static name of the
 * check that fired ("modified-before-created"), or NULL.
 */
struct cybex_diag {
	int		 code;
	int		 severity;
	const char	*rule;
	unsigned long	 line;
	unsigned long	 column;
	unsigned long long offset;
	char		 pointer[CYBEX_DIAG_PTR_MAX];
	char		 message[CYBEX_DIAG_MSG_MAX];
};

/* Called once per problem found; the diag is only valid during the call. */
typedef void	(*cybex_diag_fn)(void *ud, const struct cybex_diag *d);

void	 cybex_diag_clear(struct cybex_diag *d);
/* Fill d (NULL-safe) with code and message; returns code. */
int	 cybex_diag_set(struct cybex_diag *d, int code, const char *fmt, ...)
	    CYBEX_PRINTF(3, 4);
int	 cybex_diag_vset(struct cybex_diag *d, int code, const char *fmt,
	    va_list ap) CYBEX_PRINTF(3, 0);

/* ---- allocation ---- */
/*
 * Allocation hooks.  Process-wide: install once at start, before any other
 * cybex or jansson call (this is the only mutable global of the library).
 * NULL restores the C library allocator.  jansson is hooked too.
 */
struct cybex_allocator {
	void	*(*malloc_fn)(size_t);
	void	*(*realloc_fn)(void *, size_t);
	void	 (*free_fn)(void *);
};
void	 cybex_set_allocator(const struct cybex_allocator *a);
void	*cybex_malloc(size_t n);
void	*cybex_calloc(size_t nmemb, size_t size);	/* overflow-checked */
void	*cybex_realloc(void *p, size_t n);
void	*cybex_reallocarray(void *p, size_t nmemb, size_t size);
void	 cybex_free(void *p);				/* NULL-safe */
char	*cybex_strdup(const char *s);
char	*cybex_strndup(const char *s, size_t n);

/* ---- arenas: many allocations, one free ---- */
struct cybex_arena;

/* cap: most bytes the arena may hand out (0 = 64 MiB). */
int	 cybex_arena_new(size_t cap, struct cybex_arena **out);
void	 cybex_arena_free(struct cybex_arena *a);	/* NULL-safe */
/* Aligned for any type; NULL when the cap is reached or memory is out. */
void	*cybex_arena_alloc(struct cybex_arena *a, size_t n);
char	*cybex_arena_strndup(struct cybex_arena *a, const char *s, size_t n);
/* Forget everything allocated; keeps one block for reuse. */
void	 cybex_arena_reset(struct cybex_arena *a);
size_t	 cybex_arena_used(const struct cybex_arena *a);

/* ---- growable byte buffers with a cap ---- */
/*
 * data is always NUL-terminated after len bytes once anything was appended
 * (data may be NULL while empty).  max is the cap on len (0 = 1 GiB);
 * growing past it fails with CYBEX_ETOOBIG and leaves the buffer as it was.
 */
struct cybex_buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;
	size_t	 max;
	unsigned flags;		/* CYBEX_BUF_*; cybex_buf_init clears them */
};
/*
 * The contents are not secret (a TAXII page of shared objects): growing
 * and freeing skip the wipe, which costs as much as filling the buffer.
 */
#define CYBEX_BUF_NOWIPE	0x1
void	 cybex_buf_init(struct cybex_buf *b, size_t max);
int	 cybex_buf_reserve(struct cybex_buf *b, size_t extra);
int	 cybex_buf_append(struct cybex_buf *b, const void *p, size_t n);
int	 cybex_buf_puts(struct cybex_buf *b, const char *s);
int	 cybex_buf_putc(struct cybex_buf *b, int c);
int	 cybex_buf_printf(struct cybex_buf *b, const char *fmt, ...)
	    CYBEX_PRINTF(2, 3);
/* Cut the buffer back to len bytes (len <= b->len; keeps the NUL). */
void	 cybex_buf_truncate(struct cybex_buf *b, size_t len);
/* Remove the first n bytes (n <= len). */
void	 cybex_buf_consume(struct cybex_buf *b, size_t n);
void	 cybex_buf_reset(struct cybex_buf *b);		/* len = 0 */
/* Frees storage; wipes it first (buffers may have held secrets). */
void	 cybex_buf_free(struct cybex_buf *b);

/* ---- logging ---- */
enum cybex_log_level {
	CYBEX_LOG_ERROR = 0,
	CYBEX_LOG_WARN = 1,
	CYBEX_LOG_INFO = 2,
	CYBEX_LOG_DEBUG = 3,
};
/* The program's sink: one complete line (no newline) per call. */
typedef void	(*cybex_log_fn)(void *ud, int level, const char *line);
struct cybex_log {
	cybex_log_fn	 fn;
	void		*ud;
	int		 max_level;	/* lines above it are dropped */
};
const char	*cybex_log_level_name(int level);
/*
 * Log one event as `level=L event=E key=value ...`; the variadic part is
 * NULL-terminated pairs of const char * key and value.  Values are quoted
 * and escaped when they hold spaces, quotes, '=', control or non-ASCII
 * bytes, so untrusted bytes cannot forge fields or lines.  lg may be NULL.
 */
void	 cybex_log_event(const struct cybex_log *lg, int level,
	    const char *event, ...) CYBEX_SENTINEL;
/* Append s escaped for a key=value log line. */
int	 cybex_log_escape(struct cybex_buf *b, const char *s, size_t n);
/*
 * Append s[0..n) (s NULL: nothing) to b for showing on a terminal: valid
 * printable UTF-8 (Chinese, accents, emoji) as it is; every C0 control,
 * DEL, C1 control (CSI, OSC ...), invalid UTF-8 byte, Unicode line
 * separator and bidi override as \xNN per byte (\n, \r, \t by name), so
 * untrusted text can neither start an escape sequence nor forge a line.
 * Quotes and backslashes are left alone (it is for reading, not parsing).
 * All or nothing: CYBEX_ETOOBIG or CYBEX_ENOMEM leave b as it was.
 */
int	 cybex_term_escape(struct cybex_buf *b, const char *s, size_t n);

/* ---- characters ---- */
/* Value of a hex digit (either case), or -1. */
int	 cybex_hexval(int c);
/* Value of a base64 digit (RFC 4648 section 4 alphabet), or -1. */
int	 cybex_b64val(int c);

/* ---- domain names ---- */
/*
 * Is s[0..n) a domain name: 1-253 bytes of dot-separated labels of 1-63
 * letters, digits, hyphens and underscores, no label starting or ending
 * with a hyphen.  A final root dot is not part of it (callers that take
 * "example.com." strip it first).  Flags loosen or tighten the rule:
 */
#define CYBEX_DOMAIN_IDN	0x1	/* bytes >= 0x80 (U-labels) allowed;
					 * such a label has no 63-byte cap */
#define CYBEX_DOMAIN_DOTTED	0x2	/* at least two labels */
#define CYBEX_DOMAIN_HOST	0x4	/* a host name: no underscore */
bool	 cybex_domain_check(const char *s, size_t n, unsigned flags);

/* ---- RFC 3339 time ---- */
/*
 * An instant with nanosecond precision and the number of fractional
 * digits it was written with (so it can be written back the same way).
 */
struct cybex_time {
	int64_t		 sec;		/* seconds since 1970-01-01T00:00:00Z */
	uint32_t	 nsec;		/* 0..999999999 */
	uint8_t		 digits;	/* fractional digits as written, 0..9 */
};
/* Parse flags. */
#define CYBEX_TIME_UTC_Z	0x1	/* require upper-case 'T' and 'Z' (STIX) */
/*
 * Parse "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)".  Rejects
 * impossible dates (Feb 30), hours > 23, and, with CYBEX_TIME_UTC_Z, any
 * offset.  A leap second (":60") is accepted only at 23:59:60 UTC and
 * orders as the next day's first instant.  More than 9 fractional digits is
 * CYBEX_EFORMAT, and so is an instant outside what cybex_time_format can
 * write (0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z once
 * normalized to UTC, e.g. 9999-12-31T23:59:60Z).  d says which character is
 * wrong (d->column, 1-based within s).
 */
int	 cybex_time_parse(const char *s, size_t len, unsigned flags,
	    struct cybex_time *out, struct cybex_diag *d);
/*
 * Write t as "YYYY-MM-DDTHH:MM:SS[.f]Z" with t->digits fractional digits;
 * needs 31 bytes.  Returns the length, or CYBEX_EINVAL if bufsz is short or
 * the year is outside 0000..9999.
 */
int	 cybex_time_format(const struct cybex_time *t, char *buf, size_t bufsz);
/* <0, 0, >0 like strcmp, by instant (digits ignored). */
int	 cybex_time_cmp(const struct cybex_time *a, const struct cybex_time *b);
/* Current time, digits = 6 (microseconds). */
int	 cybex_time_now(struct cybex_time *out);
/*
 * The civil calendar (proleptic Gregorian, any year): days since
 * 1970-01-01 of y-m-d (m 1..12, d 1..31, not checked against the month),
 * its inverse, and the days of month m of year y (0 when m is not 1..12).
 */
int64_t	 cybex_days_from_civil(int64_t y, unsigned m, unsigned d);
void	 cybex_civil_from_days(int64_t days, int64_t *y, unsigned *m,
	    unsigned *d);
unsigned cybex_month_days(int64_t y, unsigned m);

/* ---- UUIDs ---- */
struct cybex_uuid {
	uint8_t	 b[16];
};
#define CYBEX_UUID_STRLEN	36
int	 cybex_uuid_v4(struct cybex_uuid *out);		/* libsodium random */
/* RFC 4122 name-based, SHA-1. */
int	 cybex_uuid_v5(const struct cybex_uuid *ns, const void *name,
	    size_t len, struct cybex_uuid *out);
/* Exactly 36 chars 8-4-4-4-12 hex, either case; CYBEX_EFORMAT otherwise. */
int	 cybex_uuid_parse(const char *s, size_t len, struct cybex_uuid *out);
/* Lower-case, NUL-terminated into out[37]. */
void	 cybex_uuid_format(const struct cybex_uuid *u, char out[37]);
int	 cybex_uuid_version(const struct cybex_uuid *u);	/* 0..15 */
/* 1 when the variant bits are RFC 4122 (10xx). */
int	 cybex_uuid_is_rfc4122(const struct cybex_uuid *u);

/* ---- JSON ---- */
#define CYBEX_JSON_DEPTH_DEFAULT	64

/*
 * Parse exactly one JSON value from buf[0..len) with jansson, rejecting
 * duplicate object keys, bad UTF-8, NaN, "\u0000", and nesting deeper than
 * max_depth (0 = CYBEX_JSON_DEPTH_DEFAULT).  On error returns CYBEX_EJSON
 * (CYBEX_ETOOBIG for depth) with d->line/column/offset relative to buf.
 * The caller owns *out (json_decref).
 */
int	 cybex_json_parse(const char *buf, size_t len, size_t max_depth,
	    json_t **out, struct cybex_diag *d);

/*
 * Structural scan of one JSON value starting at buf[0] (which must not be
 * whitespace).  On success returns 0 and sets *end to the offset just past
 * the value.  Returns 1 when buf ends before the value does (read more and
 * call again from the start), CYBEX_EJSON on a structural error (*end = the
 * offending offset), CYBEX_ETOOBIG when nesting exceeds max_depth.  It
 * checks brackets, strings and escapes, not full grammar: jansson does that.
 */
int	 cybex_json_scan(const char *buf, size_t len, size_t max_depth,
	    size_t *end);

/*
 * Find where the value at RFC 6901 pointer ptr starts in the JSON text
 * text[0..len) (which must be well-formed).  Sets *offset; for an object
 * member it is the offset of the member's key.  CYBEX_ENOTFOUND when the
 * pointer does not resolve.
 */
int	 cybex_json_locate(const char *text, size_t len, const char *ptr,
	    size_t *offset);

/* Line and column (1-based, bytes) of offset within text. */
void	 cybex_text_linecol(const char *text, size_t offset,
	    unsigned long *line, unsigned long *column);

/* Append "/" + key with RFC 6901 escaping (~0, ~1); CYBEX_ETOOBIG if full. */
int	 cybex_json_pointer_push(char *ptr, size_t cap, const char *key);
int	 cybex_json_pointer_pushi(char *ptr, size_t cap, size_t index);

/* Output flags for cybex_json_write. */
#define CYBEX_JSON_CANONICAL	0x1	/* RFC 8785 JCS: sorted keys, no space */
#define CYBEX_JSON_PRETTY	0x2	/* two-space indent, one member a line */
/*
 * Serialize v, keeping member order (unless CANONICAL; CANONICAL wins over
 * PRETTY).  Integers are written exactly, also in CANONICAL mode.  Invalid
 * UTF-8 is CYBEX_EINVAL, nesting past 2048 CYBEX_ETOOBIG; on any error out
 * is left at its previous length.  Reals are written
 * in the shortest form that reads back as the same double (ECMAScript
 * Number-to-String for CANONICAL); strings escape only what JSON requires
 * (JCS rules).  Non-finite reals are CYBEX_EINVAL.
 */
int	 cybex_json_write(const json_t *v, unsigned flags, struct cybex_buf *out);

/*
 * A JSON parser for many texts in a row (one per stream reader): it keeps
 * its yajl handle and buffers from text to text.  Not for two threads at
 * once.  cybex_json_parser_free(NULL) is a no-op.
 */
struct cybex_json_parser;
int	 cybex_json_parser_new(struct cybex_json_parser **out);
void	 cybex_json_parser_free(struct cybex_json_parser *p);
/*
 * Parse one JSON text buf[0..len) as cybex_json_parse does, without its
 * depth pre-scan (for callers that bound the depth already), with the
 * buffers of p (p may be NULL).  The caller owns *out.
 */
int	 cybex_json_parser_load(struct cybex_json_parser *p, const char *buf,
	    size_t len, json_t **out, struct cybex_diag *d);

/* ---- UTF-8 ---- */
/*
 * Length (1..4) of the valid UTF-8 sequence at s[0..n) and its code point
 * in *cp, or 0 when it is not one (overlong forms, surrogates and code
 * points past U+10FFFF are invalid).  n must be at least 1.
 */
size_t	 cybex_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif /* CYBEX_CORE_H */
