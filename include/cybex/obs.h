/*
 * cybex obs: one normalized observation (part of lib/ingest).  The
 * readers of cybex/ingest.h fill it; the detectors (cybex/detect.h) and
 * the analysis pipeline (cybex/analysis.h) consume it.
 */
#ifndef CYBEX_OBS_H
#define CYBEX_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/ip.h"

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

#endif /* CYBEX_OBS_H */
