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

/* What an observation is about: which group of fields below is filled. */
enum cybex_obs_kind {
	CYBEX_OBS_OTHER = 0,
	CYBEX_OBS_ALERT,	/* an IDS alert (signature) */
	CYBEX_OBS_FLOW,		/* a flow or netflow record */
	CYBEX_OBS_DNS,		/* a DNS query and/or answers */
	CYBEX_OBS_HTTP,		/* an HTTP transaction (EVE http, access log) */
	CYBEX_OBS_TLS,		/* a TLS handshake */
	CYBEX_OBS_FILE,		/* a file seen on the wire */
	CYBEX_OBS_MAIL,		/* a mail transaction (EVE smtp, Postfix) */
	CYBEX_OBS_AUTH,		/* an authentication attempt or result */
	CYBEX_OBS_ANOMALY,	/* a protocol anomaly */
	CYBEX_OBS_LISTED,	/* an entry of a blocklist feed */
	CYBEX_OBS_PAGE,		/* a monitored page's content hash */
	CYBEX_OBS_KIND_MAX
};

/* Result of an authentication, as far as the log says. */
enum cybex_auth_result {
	CYBEX_AUTH_NONE = 0,	/* not an authentication record */
	CYBEX_AUTH_SUCCESS,	/* accepted, session opened for a login */
	CYBEX_AUTH_FAILURE,	/* wrong password/key, PAM auth failure */
	CYBEX_AUTH_INVALID_USER, /* unknown account tried */
	CYBEX_AUTH_DENIED,	/* refused by policy (AllowUsers, not in sudoers) */
	CYBEX_AUTH_MAXTRIES,	/* too many failures, disconnected */
	CYBEX_AUTH_OTHER,	/* an auth-related event without a verdict */
};

/* An IP address in binary form; family 0 = absent. */
struct cybex_ip {
	uint8_t		 family;	/* 0, 4 or 6 */
	uint8_t		 a[16];		/* v4 in a[0..3] */
};

#define CYBEX_OBS_ANSWERS_MAX	16	/* DNS answers kept per record */
#define CYBEX_OBS_RCPT_MAX	16	/* mail recipients kept per record */

struct cybex_obs_answer {
	const char	*rrname;
	const char	*rrtype;	/* "A", "AAAA", "CNAME", ... */
	const char	*rdata;
	struct cybex_ip	 ip;		/* rdata of A/AAAA */
};

/*
 * One normalized observation.  A NULL string, 0 family, or a false has_*
 * means "not in the record".  Strings are valid UTF-8 without NUL bytes.
 */
struct cybex_obs {
	enum cybex_obs_kind kind;
	int64_t		 ts_us;		/* microseconds since 1970 UTC */
	const char	*sensor;	/* reader option, else from the record */
	const char	*org;		/* member organization (reader option) */
	const char	*source_type;	/* "eve:alert", "sshd", "access", ... */
	unsigned long	 line;		/* line number in its input (0 = none) */

	/* network */
	struct cybex_ip	 src_ip, dst_ip;
	const char	*src_ip_text, *dst_ip_text;
	bool		 has_src_port, has_dst_port;
	uint16_t	 src_port, dst_port;
	const char	*proto;		/* "TCP", "UDP", "ICMP", ... */
	const char	*app_proto;	/* "http", "tls", "dns", "smtp", ... */
	uint64_t	 bytes_to_server, bytes_to_client;
	uint64_t	 pkts_to_server, pkts_to_client;
	const char	*flow_state;	/* "new", "established", "closed", ... */
	const char	*tcp_flags;	/* hex as EVE gives it ("1b"), or NULL */
	uint64_t	 flow_id;	/* EVE flow_id: the records of one flow; 0 = none */

	/* IDS alert / anomaly */
	const char	*signature;
	int64_t		 signature_id;
	int		 severity;	/* 1 (high) .. 4; 0 = none */
	const char	*category;

	/* DNS */
	const char	*dns_query;	/* rrname asked, lower case */
	const char	*dns_rrtype;
	const char	*dns_rcode;
	size_t		 n_answers;
	struct cybex_obs_answer answers[CYBEX_OBS_ANSWERS_MAX];

	/* HTTP */
	const char	*http_host;	/* lower case, no port */
	const char	*url;		/* as seen: path+query, or absolute */
	const char	*http_method;
	const char	*user_agent;
	const char	*referrer;
	int		 http_status;	/* 0 = none */

	/* TLS */
	const char	*tls_sni;
	const char	*tls_subject, *tls_issuer;
	const char	*tls_fingerprint;	/* certificate SHA-1, "aa:bb:.." */
	const char	*ja3, *ja3s;	/* hashes */

	/* files */
	const char	*file_name;
	const char	*md5, *sha1, *sha256;	/* lower-case hex */
	bool		 has_file_size;
	uint64_t	 file_size;

	/* mail */
	const char	*mail_from;
	size_t		 n_rcpt;	/* recipients kept (<= RCPT_MAX) */
	size_t		 n_rcpt_total;	/* recipients the record names */
	const char	*rcpt[CYBEX_OBS_RCPT_MAX];
	const char	*mail_relay;	/* host name of the client/relay */
	const char	*mail_status;	/* "sent", "bounced", "reject", ... */
	const char	*message_id;

	/* authentication */
	enum cybex_auth_result auth;
	const char	*user;		/* account tried */
	const char	*target_user;	/* su/sudo: account switched to */
	const char	*auth_service;	/* "sshd", "su", "sudo", "login", ... */
	const char	*auth_method;	/* "password", "publickey", ... */
	const char	*host;		/* the reporting host (syslog) */
	/*
	 * The client as a host name, when the log names no address (PAM
	 * "rhost=ws1.example", sshd with UseDNS): lower case, never
	 * resolved.  NULL when src_ip is set.
	 */
	const char	*src_host;

	/* feed entry (CYBEX_OBS_LISTED): value and its indicator type */
	const char	*listed_value;
	const char	*listed_type;	/* "ipv4-addr", "domain-name", "url", ... */
	const char	*list_name;	/* the feed ("spamhaus-drop") */
	const char	*list_category;	/* "spam", "c2", "phishing", ... */

	/* monitored page (CYBEX_OBS_PAGE) */
	const char	*page_hash;	/* content hash the checker reported */

	/* added after the first version (append only) */
	const char	*command;	/* sudo: the command run (COMMAND=) */
};

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

/* Text of an address ("192.0.2.1", "2001:db8::1") into out (46 bytes). */
void	 cybex_ip_format(const struct cybex_ip *ip, char *out, size_t outsz);
/* Parse v4 or v6 text; CYBEX_EFORMAT if it is neither. */
int	 cybex_ip_parse(const char *s, size_t len, struct cybex_ip *out);

#endif
