/*
 * Suricata EVE JSON, one record per line, read with yajl in callback mode.
 *
 * No tree is built: the callbacks follow where they are (a stack of
 * contexts: the record, its "dns" object, an answer of "dns.answers", ...)
 * and copy the members that matter straight into the observation.  A
 * member we do not read is skipped by counting brackets only.
 *
 * jansson's safety is kept by hand: before yajl sees the line, one pass
 * checks strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF) and the \u escapes (no \u0000, no lone surrogate), which yajl
 * alone lets through; nesting is capped at EVE_DEPTH_MAX; a member we read
 * that appears twice in one object is an error naming it (two values for
 * one field is a policy bypass).  Members we skip are not checked for
 * duplicates: they cannot change what we report.
 *
 * One yajl handle serves every line (yajl_allow_multiple_values): a new
 * one is made only after an error, which leaves the old one unusable.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "cybex/core.h"
#include "ingest_int.h"

#define EVE_DEPTH_MAX	64

enum ctx {
	C_ROOT = 0,
	C_ALERT,
	C_FLOW,
	C_NETFLOW,
	C_TCP,
	C_DNS,
	C_DNS_QUERIES,		/* array of query objects */
	C_DNS_QUERY,
	C_DNS_ANSWERS,		/* array of answer objects */
	C_DNS_ANSWER,
	C_DNS_GROUPED,		/* object: rrtype -> array */
	C_DNS_GROUPED_ARR,
	C_HTTP,
	C_TLS,
	C_TLS_JA3,
	C_TLS_JA3S,
	C_FILEINFO,
	C_SMTP,
	C_SMTP_RCPT,		/* array of strings */
	C_EMAIL,
	C_EMAIL_TO,		/* array of strings */
	C_ANOMALY,
	C_N
};

enum field {
	F_NONE = 0,
	/* the record */
	F_TIMESTAMP, F_EVENT_TYPE, F_SRC_IP, F_SRC_PORT, F_DEST_IP,
	F_DEST_PORT, F_PROTO, F_APP_PROTO, F_HOST, F_FLOW_ID,
	F_ALERT, F_FLOW, F_NETFLOW, F_TCP, F_DNS, F_HTTP, F_TLS, F_FILEINFO,
	F_SMTP, F_EMAIL, F_ANOMALY,
	/* alert */
	F_SIGNATURE, F_SIGNATURE_ID, F_SEVERITY, F_CATEGORY,
	/* flow, netflow, tcp */
	F_PKTS_TS, F_PKTS_TC, F_BYTES_TS, F_BYTES_TC, F_FLOW_STATE,
	F_NF_PKTS, F_NF_BYTES, F_TCP_FLAGS,
	/* dns */
	F_DNS_RRNAME, F_DNS_RRTYPE, F_DNS_RCODE, F_DNS_RDATA,
	F_DNS_QUERIES, F_DNS_ANSWERS, F_DNS_GROUPED,
	F_Q_RRNAME, F_Q_RRTYPE,
	F_A_RRNAME, F_A_RRTYPE, F_A_RDATA,
	F_G_TYPE,
	/* http */
	F_H_HOSTNAME, F_H_URL, F_H_UA, F_H_METHOD, F_H_REFER, F_H_STATUS,
	/* tls */
	F_T_SNI, F_T_SUBJECT, F_T_ISSUER, F_T_FP, F_T_JA3, F_T_JA3S, F_J_HASH,
	/* fileinfo */
	F_FI_NAME, F_FI_MD5, F_FI_SHA1, F_FI_SHA256, F_FI_SIZE,
	/* smtp, email */
	F_S_HELO, F_S_FROM, F_S_RCPT, F_E_FROM, F_E_TO, F_E_MSGID, F_E_STATUS,
	/* anomaly */
	F_AN_TYPE, F_AN_EVENT, F_AN_APP_PROTO,
	F_N
};

/* What a member's value must be. */
enum vtype { T_STR = 1, T_INT, T_STRINT, T_OBJ, T_ARR };

struct key {
	const char	*name;
	uint8_t		 len;
	uint8_t		 field;
	uint8_t		 type;
	uint8_t		 ctx;	/* the context an object/array value opens */
};

#define K(n, f, t, c)	{ n, sizeof(n) - 1, f, t, c }

static const struct key k_root[] = {
	K("timestamp", F_TIMESTAMP, T_STR, 0),
	K("event_type", F_EVENT_TYPE, T_STR, 0),
	K("src_ip", F_SRC_IP, T_STR, 0),
	K("src_port", F_SRC_PORT, T_INT, 0),
	K("dest_ip", F_DEST_IP, T_STR, 0),
	K("dest_port", F_DEST_PORT, T_INT, 0),
	K("proto", F_PROTO, T_STRINT, 0),
	K("app_proto", F_APP_PROTO, T_STR, 0),
	K("host", F_HOST, T_STR, 0),
	K("flow_id", F_FLOW_ID, T_INT, 0),
	K("alert", F_ALERT, T_OBJ, C_ALERT),
	K("flow", F_FLOW, T_OBJ, C_FLOW),
	K("netflow", F_NETFLOW, T_OBJ, C_NETFLOW),
	K("tcp", F_TCP, T_OBJ, C_TCP),
	K("dns", F_DNS, T_OBJ, C_DNS),
	K("http", F_HTTP, T_OBJ, C_HTTP),
	K("tls", F_TLS, T_OBJ, C_TLS),
	K("fileinfo", F_FILEINFO, T_OBJ, C_FILEINFO),
	K("smtp", F_SMTP, T_OBJ, C_SMTP),
	K("email", F_EMAIL, T_OBJ, C_EMAIL),
	K("anomaly", F_ANOMALY, T_OBJ, C_ANOMALY),
};
static const struct key k_alert[] = {
	K("signature", F_SIGNATURE, T_STR, 0),
	K("signature_id", F_SIGNATURE_ID, T_INT, 0),
	K("severity", F_SEVERITY, T_INT, 0),
	K("category", F_CATEGORY, T_STR, 0),
};
static const struct key k_flow[] = {
	K("pkts_toserver", F_PKTS_TS, T_INT, 0),
	K("pkts_toclient", F_PKTS_TC, T_INT, 0),
	K("bytes_toserver", F_BYTES_TS, T_INT, 0),
	K("bytes_toclient", F_BYTES_TC, T_INT, 0),
	K("state", F_FLOW_STATE, T_STR, 0),
};
static const struct key k_netflow[] = {
	K("pkts", F_NF_PKTS, T_INT, 0),
	K("bytes", F_NF_BYTES, T_INT, 0),
};
static const struct key k_tcp[] = {
	K("tcp_flags", F_TCP_FLAGS, T_STR, 0),
};
static const struct key k_dns[] = {
	K("rrname", F_DNS_RRNAME, T_STR, 0),
	K("rrtype", F_DNS_RRTYPE, T_STR, 0),
	K("rcode", F_DNS_RCODE, T_STR, 0),
	K("rdata", F_DNS_RDATA, T_STR, 0),
	K("queries", F_DNS_QUERIES, T_ARR, C_DNS_QUERIES),
	K("query", F_DNS_QUERIES, T_ARR, C_DNS_QUERIES),	/* v2 */
	K("answers", F_DNS_ANSWERS, T_ARR, C_DNS_ANSWERS),
	K("grouped", F_DNS_GROUPED, T_OBJ, C_DNS_GROUPED),
};
static const struct key k_dns_query[] = {
	K("rrname", F_Q_RRNAME, T_STR, 0),
	K("rrtype", F_Q_RRTYPE, T_STR, 0),
};
static const struct key k_dns_answer[] = {
	K("rrname", F_A_RRNAME, T_STR, 0),
	K("rrtype", F_A_RRTYPE, T_STR, 0),
	K("rdata", F_A_RDATA, T_STR, 0),
};
static const struct key k_http[] = {
	K("hostname", F_H_HOSTNAME, T_STR, 0),
	K("url", F_H_URL, T_STR, 0),
	K("http_user_agent", F_H_UA, T_STR, 0),
	K("http_method", F_H_METHOD, T_STR, 0),
	K("http_refer", F_H_REFER, T_STR, 0),
	K("status", F_H_STATUS, T_STRINT, 0),
};
static const struct key k_tls[] = {
	K("sni", F_T_SNI, T_STR, 0),
	K("subject", F_T_SUBJECT, T_STR, 0),
	K("issuerdn", F_T_ISSUER, T_STR, 0),
	K("fingerprint", F_T_FP, T_STR, 0),
	K("ja3", F_T_JA3, T_OBJ, C_TLS_JA3),
	K("ja3s", F_T_JA3S, T_OBJ, C_TLS_JA3S),
};
static const struct key k_ja3[] = {
	K("hash", F_J_HASH, T_STR, 0),
};
static const struct key k_fileinfo[] = {
	K("filename", F_FI_NAME, T_STR, 0),
	K("md5", F_FI_MD5, T_STR, 0),
	K("sha1", F_FI_SHA1, T_STR, 0),
	K("sha256", F_FI_SHA256, T_STR, 0),
	K("size", F_FI_SIZE, T_INT, 0),
};
static const struct key k_smtp[] = {
	K("helo", F_S_HELO, T_STR, 0),
	K("mail_from", F_S_FROM, T_STR, 0),
	K("rcpt_to", F_S_RCPT, T_ARR, C_SMTP_RCPT),
};
static const struct key k_email[] = {
	K("from", F_E_FROM, T_STR, 0),
	K("to", F_E_TO, T_ARR, C_EMAIL_TO),
	K("message_id", F_E_MSGID, T_STR, 0),
	K("status", F_E_STATUS, T_STR, 0),
};
static const struct key k_anomaly[] = {
	K("type", F_AN_TYPE, T_STR, 0),
	K("event", F_AN_EVENT, T_STR, 0),
	K("app_proto", F_AN_APP_PROTO, T_STR, 0),
};

#define NK(a)	(sizeof(a) / sizeof((a)[0]))

/* Keys per object context; arrays have none. */
static const struct {
	const struct key *k;
	uint8_t		  n;
} keys[C_N] = {
	[C_ROOT] = { k_root, NK(k_root) },
	[C_ALERT] = { k_alert, NK(k_alert) },
	[C_FLOW] = { k_flow, NK(k_flow) },
	[C_NETFLOW] = { k_netflow, NK(k_netflow) },
	[C_TCP] = { k_tcp, NK(k_tcp) },
	[C_DNS] = { k_dns, NK(k_dns) },
	[C_DNS_QUERY] = { k_dns_query, NK(k_dns_query) },
	[C_DNS_ANSWER] = { k_dns_answer, NK(k_dns_answer) },
	[C_HTTP] = { k_http, NK(k_http) },
	[C_TLS] = { k_tls, NK(k_tls) },
	[C_TLS_JA3] = { k_ja3, NK(k_ja3) },
	[C_TLS_JA3S] = { k_ja3, NK(k_ja3) },
	[C_FILEINFO] = { k_fileinfo, NK(k_fileinfo) },
	[C_SMTP] = { k_smtp, NK(k_smtp) },
	[C_EMAIL] = { k_email, NK(k_email) },
	[C_ANOMALY] = { k_anomaly, NK(k_anomaly) },
};

struct frame {
	uint8_t		 ctx;
	uint64_t	 seen;		/* bit i: keys[ctx].k[i] was seen */
};

struct eve {
	yajl_handle	 h;
	struct cybex_ingest_reader *r;
	struct frame	 st[EVE_DEPTH_MAX + 1];
	struct cybex_obs_answer grouped[CYBEX_OBS_ANSWERS_MAX];
	const char	*email_to[CYBEX_OBS_RCPT_MAX];
	bool		 hinted;	/* "one object per line" was said */

	/* Reset for each record: everything from rc on. */
	int		 rc;		/* set by a callback that stops */
	struct cybex_diag *d;
	int		 depth;		/* frames in st */
	int		 skip;		/* levels inside an ignored value */
	const struct key *key;		/* member whose value comes next */
	bool		 done;		/* the record's object closed */
	size_t		 end_off;	/* offset just past it */

	/* what the record said, before it is turned into an observation */
	const char	*event_type;
	size_t		 event_type_len;
	bool		 has_ts;
	const char	*host;
	uint64_t	 nf_pkts, nf_bytes;
	const char	*dns_rrname, *dns_rrtype, *dns_rdata;
	const char	*q_rrname, *q_rrtype;
	size_t		 n_queries;
	bool		 detailed;	/* a "dns.answers" array was seen */
	size_t		 n_grouped;
	const char	*grouped_type;
	const char	*email_from;
	size_t		 n_email_to, n_email_to_total;
	const char	*an_app_proto;
};

/* ---- errors from callbacks ---- */

/* Column of a string yajl hands us: its opening quote when it points into
 * the line (no escapes), else the end of the token. */
static size_t
str_col(struct eve *e, const unsigned char *s)
{
	const char *p = (const char *)s;

	if (p > e->r->line && p <= e->r->line + e->r->len)
		return (size_t)(p - e->r->line);
	return yajl_get_bytes_consumed(e->h) + 1;
}

/* Column of a number: yajl hands us its text inside the line. */
static size_t
num_col(struct eve *e, const char *s)
{
	if (s >= e->r->line && s < e->r->line + e->r->len)
		return (size_t)(s - e->r->line) + 1;
	return yajl_get_bytes_consumed(e->h) + 1;
}

/* Column of byte off of a string value: exact when the string is in the
 * line as written (no escapes), else the end of its token. */
static size_t
in_col(struct eve *e, const unsigned char *s, size_t off)
{
	const char *p = (const char *)s;

	if (p > e->r->line && p + off <= e->r->line + e->r->len)
		return (size_t)(p - e->r->line) + 1 + off;
	return yajl_get_bytes_consumed(e->h);
}

static size_t
tok_col(struct eve *e)
{
	size_t n = yajl_get_bytes_consumed(e->h);

	return n > 0 ? n : 1;
}

/*
 * Start (0-based) of the JSON token of line that holds byte i, or of the
 * first one after i when i is white space.  Only tokens are found (a
 * string with its escapes, one punctuation byte, a run of anything
 * else): the line did not parse.
 */
static size_t
token_at(const char *s, size_t len, size_t i)
{
	size_t k = 0, start;

	while (k < len) {
		while (k < len && (s[k] == ' ' || s[k] == '\t' ||
		    s[k] == '\r' || s[k] == '\n'))
			k++;
		if (k == len)
			break;
		start = k;
		if (s[k] == '"') {
			for (k++; k < len && s[k] != '"'; k++)
				if (s[k] == '\\' && k + 1 < len)
					k++;
			if (k < len)
				k++;
		} else if (memchr("{}[],:", s[k], 6) != NULL)
			k++;
		else
			while (k < len && memchr(" \t\r\n{}[],:\"", s[k], 9) ==
			    NULL)
				k++;
		if (i < k)
			return start;
	}
	return i;
}

/*
 * The column of a yajl error (msg is its text).  yajl's offset is, for
 * a lexical error, just before the byte it could not take, except for
 * "invalid char" where it is just after it; for a parse error, the end
 * of the token it did not expect, except after a map's value, where it
 * steps back by the token's decoded length (inside the token, or before
 * it).  Either way the column is of the bad byte or the token's start.
 */
static size_t
yajl_err_col(struct eve *e, const char *line, size_t len, const char *msg)
{
	size_t off = yajl_get_bytes_consumed(e->h);

	if (strncmp(msg, "lexical", 7) == 0) {
		if (strstr(msg, "invalid char in json text") != NULL)
			return off > 0 ? off : 1;
		return off < len ? off + 1 : len + 1;
	}
	if (strstr(msg, "inside map, I expect") != NULL)
		return off < len ? token_at(line, len, off) + 1 : len + 1;
	if (off == 0)
		return 1;
	return token_at(line, len, off - 1) + 1;
}

/* Stop the parse with code and a message; col 0 = the current token. */
static int stop(struct eve *e, int code, size_t col, const char *fmt, ...)
    CYBEX_PRINTF(4, 5);

static int
stop(struct eve *e, int code, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	e->rc = cybex_diag_vset(e->d, code, fmt, ap);
	va_end(ap);
	if (e->d != NULL)
		e->d->column = (unsigned long)(col != 0 ? col : tok_col(e));
	return 0;
}

static int
nomem(struct eve *e)
{
	return stop(e, CYBEX_ETOOBIG, 0, "%s: the record's strings exceed "
	    "the reader's area", "eve");
}

/* ---- values ---- */

static const struct key *
lookup(uint8_t ctx, const unsigned char *s, size_t n, unsigned *idx)
{
	const struct key *k = keys[ctx].k;
	unsigned i;
	size_t j;

	if (n == 0)
		return NULL;
	/* Keys are short: compare bytes inline, first the length and the
	 * first and last bytes, which tell most keys apart. */
	for (i = 0; i < keys[ctx].n; i++) {
		if (k[i].len != n || (unsigned char)k[i].name[0] != s[0] ||
		    (unsigned char)k[i].name[n - 1] != s[n - 1])
			continue;
		for (j = 1; j + 1 < n; j++)
			if ((unsigned char)k[i].name[j] != s[j])
				break;
		if (j + 1 >= n) {
			*idx = i;
			return &k[i];
		}
	}
	return NULL;
}

/* "<a@b>" or "Name <a@b>" -> "a@b"; spaces trimmed. */
static void
mail_addr(const unsigned char **s, size_t *n)
{
	const unsigned char *lt, *gt, *p = *s;
	size_t len = *n;

	if ((lt = memchr(p, '<', len)) != NULL &&
	    (gt = memchr(lt, '>', len - (size_t)(lt - p))) != NULL) {
		p = lt + 1;
		len = (size_t)(gt - p);
	}
	while (len > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	*s = p;
	*n = len;
}

/*
 * Integer text from yajl (any JSON number) within [lo, hi]: *sv and *uv
 * (either may be NULL) get it.  Fractions and exponents are refused.
 */
static bool
num_int(const char *s, size_t n, int64_t lo, uint64_t hi, int64_t *sv,
    uint64_t *uv)
{
	uint64_t v;

	if (n > 0 && s[0] == '-') {
		if (lo >= 0 || ingest_uint(s + 1, n - 1, (uint64_t)INT64_MAX,
		    &v) != 0 || -(int64_t)v < lo)
			return false;
		if (sv != NULL)
			*sv = -(int64_t)v;
		if (uv != NULL)
			*uv = 0;
		return true;
	}
	if (ingest_uint(s, n, hi, &v) != 0)
		return false;
	if (sv != NULL)
		*sv = v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
	if (uv != NULL)
		*uv = v;
	return true;
}

static int
set_str(struct eve *e, const char **dst, const unsigned char *s, size_t n,
    bool lower)
{
	const char *p;

	p = lower ? ingest_strdup_lower(e->r, (const char *)s, n) :
	    ingest_strdup(e->r, (const char *)s, n);
	if (p == NULL)
		return nomem(e);
	*dst = p;
	return 1;
}

static int
set_hash(struct eve *e, const char **dst, const unsigned char *s, size_t n,
    size_t want)
{
	int rc;

	if ((rc = ingest_hash(e->r, (const char *)s, n, want, dst)) == 0)
		return 1;
	if (rc == CYBEX_ETOOBIG)
		return nomem(e);
	e->rc = ingest_err(e->d, CYBEX_EFORMAT, str_col(e, s), "\"%s\" is "
	    "not %zu hexadecimal digits", e->key->name, want);
	return 0;
}

static int
set_ip(struct eve *e, struct cybex_ip *ip, const char **text,
    const unsigned char *s, size_t n)
{
	int rc;

	if ((rc = ingest_set_ip(e->r, ip, text, (const char *)s, n)) == 0)
		return 1;
	if (rc == CYBEX_ETOOBIG)
		return nomem(e);
	return stop(e, CYBEX_EFORMAT, str_col(e, s), "\"%s\" is not an IPv4 "
	    "or IPv6 address", e->key->name);
}

/* The answer being filled in "dns.answers", or NULL past the cap. */
static struct cybex_obs_answer *
cur_answer(struct eve *e)
{
	struct cybex_obs *o = &e->r->obs;

	return o->n_answers < CYBEX_OBS_ANSWERS_MAX ?
	    &o->answers[o->n_answers] : NULL;
}

/* "www.example.com:8080" -> "www.example.com" (not for IPv6 literals). */
static void
strip_port(const unsigned char *s, size_t *n)
{
	size_t i, colon = *n;

	for (i = 0; i < *n; i++) {
		if (s[i] == ':') {
			if (colon != *n)
				return;		/* two colons: IPv6 */
			colon = i;
		}
	}
	if (colon == *n || colon + 1 == *n)
		return;
	for (i = colon + 1; i < *n; i++)
		if (s[i] < '0' || s[i] > '9')
			return;
	*n = colon;
}

static int
on_string(struct eve *e, const unsigned char *s, size_t n)
{
	struct cybex_obs *o = &e->r->obs;
	struct cybex_obs_answer *a;
	int64_t us;
	size_t end;

	switch (e->key->field) {
	case F_TIMESTAMP:
		if (ingest_iso_time((const char *)s, n, false, &us, &end) !=
		    0 || end != n)
			return stop(e, CYBEX_EFORMAT, in_col(e, s, end),
			    "\"%s\" is not a time stamp like "
			    "2017-04-07T22:24:37.251547+0100", "timestamp");
		o->ts_us = us;
		e->has_ts = true;
		return 1;
	case F_EVENT_TYPE:
		if (n == 0)
			return stop(e, CYBEX_EFORMAT, str_col(e, s), "\"%s\" "
			    "is empty", "event_type");
		if (set_str(e, &e->event_type, s, n, false) == 0)
			return 0;
		e->event_type_len = n;
		return 1;
	case F_SRC_IP:
		return set_ip(e, &o->src_ip, &o->src_ip_text, s, n);
	case F_DEST_IP:
		return set_ip(e, &o->dst_ip, &o->dst_ip_text, s, n);
	case F_PROTO:
		return set_str(e, &o->proto, s, n, false);
	case F_APP_PROTO:
		return set_str(e, &o->app_proto, s, n, false);
	case F_HOST:
		return set_str(e, &e->host, s, n, false);
	case F_SIGNATURE:
		return set_str(e, &o->signature, s, n, false);
	case F_CATEGORY:
		return set_str(e, &o->category, s, n, false);
	case F_FLOW_STATE:
		return set_str(e, &o->flow_state, s, n, false);
	case F_TCP_FLAGS:
		return set_str(e, &o->tcp_flags, s, n, true);
	case F_DNS_RRNAME:
		return set_str(e, &e->dns_rrname, s, n, true);
	case F_DNS_RRTYPE:
		return set_str(e, &e->dns_rrtype, s, n, false);
	case F_DNS_RCODE:
		return set_str(e, &o->dns_rcode, s, n, false);
	case F_DNS_RDATA:
		return set_str(e, &e->dns_rdata, s, n, false);
	case F_Q_RRNAME:
		if (e->n_queries == 0)
			return set_str(e, &e->q_rrname, s, n, true);
		return 1;
	case F_Q_RRTYPE:
		if (e->n_queries == 0)
			return set_str(e, &e->q_rrtype, s, n, false);
		return 1;
	case F_A_RRNAME:
		if ((a = cur_answer(e)) == NULL)
			return 1;
		return set_str(e, &a->rrname, s, n, true);
	case F_A_RRTYPE:
		if ((a = cur_answer(e)) == NULL)
			return 1;
		return set_str(e, &a->rrtype, s, n, false);
	case F_A_RDATA:
		if ((a = cur_answer(e)) == NULL)
			return 1;
		return set_str(e, &a->rdata, s, n, false);
	case F_G_TYPE:
		if (e->n_grouped < CYBEX_OBS_ANSWERS_MAX) {
			a = &e->grouped[e->n_grouped++];
			memset(a, 0, sizeof(*a));
			a->rrtype = e->grouped_type;
			return set_str(e, &a->rdata, s, n, false);
		}
		return 1;
	case F_H_HOSTNAME:
		strip_port(s, &n);
		return set_str(e, &o->http_host, s, n, true);
	case F_H_URL:
		return set_str(e, &o->url, s, n, false);
	case F_H_UA:
		return set_str(e, &o->user_agent, s, n, false);
	case F_H_METHOD:
		return set_str(e, &o->http_method, s, n, false);
	case F_H_REFER:
		return set_str(e, &o->referrer, s, n, false);
	case F_H_STATUS:
		/* EVE wrote it as a string in some versions ("200"). */
		if (!num_int((const char *)s, n, 0, 999, &us, NULL))
			return stop(e, CYBEX_EFORMAT, str_col(e, s), "\"%s\" "
			    "is not an HTTP status code", "status");
		o->http_status = (int)us;
		return 1;
	case F_T_SNI:
		return set_str(e, &o->tls_sni, s, n, true);
	case F_T_SUBJECT:
		return set_str(e, &o->tls_subject, s, n, false);
	case F_T_ISSUER:
		return set_str(e, &o->tls_issuer, s, n, false);
	case F_T_FP:
		return set_str(e, &o->tls_fingerprint, s, n, true);
	case F_J_HASH:
		if (e->st[e->depth - 1].ctx == C_TLS_JA3)
			return set_hash(e, &o->ja3, s, n, 32);
		return set_hash(e, &o->ja3s, s, n, 32);
	case F_FI_NAME:
		return set_str(e, &o->file_name, s, n, false);
	case F_FI_MD5:
		return set_hash(e, &o->md5, s, n, 32);
	case F_FI_SHA1:
		return set_hash(e, &o->sha1, s, n, 40);
	case F_FI_SHA256:
		return set_hash(e, &o->sha256, s, n, 64);
	case F_S_HELO:
		return set_str(e, &o->mail_relay, s, n, false);
	case F_S_FROM:
		mail_addr(&s, &n);
		return set_str(e, &o->mail_from, s, n, false);
	case F_S_RCPT:
		o->n_rcpt_total++;
		if (o->n_rcpt >= CYBEX_OBS_RCPT_MAX)
			return 1;
		mail_addr(&s, &n);
		return set_str(e, &o->rcpt[o->n_rcpt++], s, n, false);
	case F_E_FROM:
		mail_addr(&s, &n);
		return set_str(e, &e->email_from, s, n, false);
	case F_E_TO:
		e->n_email_to_total++;
		if (e->n_email_to >= CYBEX_OBS_RCPT_MAX)
			return 1;
		mail_addr(&s, &n);
		return set_str(e, &e->email_to[e->n_email_to++], s, n, false);
	case F_E_MSGID:
		mail_addr(&s, &n);
		return set_str(e, &o->message_id, s, n, false);
	case F_E_STATUS:
		return set_str(e, &o->mail_status, s, n, false);
	case F_AN_TYPE:
		return set_str(e, &o->category, s, n, false);
	case F_AN_EVENT:
		return set_str(e, &o->signature, s, n, false);
	case F_AN_APP_PROTO:
		return set_str(e, &e->an_app_proto, s, n, false);
	}
	return 1;
}

static int
on_number(struct eve *e, const char *s, size_t n)
{
	struct cybex_obs *o = &e->r->obs;
	size_t col = num_col(e, s);
	int64_t sv;
	uint64_t uv;

	switch (e->key->field) {
	case F_SRC_PORT:
	case F_DEST_PORT:
		if (!num_int(s, n, 0, 65535, NULL, &uv))
			return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not a port "
			    "number (0-65535)", e->key->name);
		if (e->key->field == F_SRC_PORT) {
			o->has_src_port = true;
			o->src_port = (uint16_t)uv;
		} else {
			o->has_dst_port = true;
			o->dst_port = (uint16_t)uv;
		}
		return 1;
	case F_PROTO:
		/* An unknown protocol is written as its number. */
		return set_str(e, &o->proto, (const unsigned char *)s, n,
		    false);
	case F_SIGNATURE_ID:
		if (!num_int(s, n, INT64_MIN, INT64_MAX, &sv, NULL))
			return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not an "
			    "integer", "signature_id");
		o->signature_id = sv;
		return 1;
	case F_FLOW_ID:
		if (!num_int(s, n, 0, UINT64_MAX, NULL, &uv))
			return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not a "
			    "flow id (an integer >= 0)", "flow_id");
		o->flow_id = uv;
		return 1;
	case F_SEVERITY:
		if (!num_int(s, n, 0, 255, &sv, NULL))
			return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not a "
			    "severity (0-255)", "severity");
		o->severity = (int)sv;
		return 1;
	case F_H_STATUS:
		if (!num_int(s, n, 0, 999, &sv, NULL))
			return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not an "
			    "HTTP status code", "status");
		o->http_status = (int)sv;
		return 1;
	default:
		break;
	}
	/* The counters. */
	if (!num_int(s, n, 0, UINT64_MAX, NULL, &uv))
		return stop(e, CYBEX_EFORMAT, col, "\"%s\" is not a count (an "
		    "integer >= 0)", e->key->name);
	switch (e->key->field) {
	case F_PKTS_TS:
		o->pkts_to_server = uv;
		break;
	case F_PKTS_TC:
		o->pkts_to_client = uv;
		break;
	case F_BYTES_TS:
		o->bytes_to_server = uv;
		break;
	case F_BYTES_TC:
		o->bytes_to_client = uv;
		break;
	case F_NF_PKTS:
		e->nf_pkts = uv;
		break;
	case F_NF_BYTES:
		e->nf_bytes = uv;
		break;
	case F_FI_SIZE:
		o->has_file_size = true;
		o->file_size = uv;
		break;
	}
	return 1;
}

static const char *const tnames[] = { "", "a string", "an integer",
    "a string or an integer", "an object", "an array" };

/* Arrays of strings: their items all go to one field. */
static bool
item_ctx(uint8_t ctx)
{
	return ctx == C_SMTP_RCPT || ctx == C_EMAIL_TO ||
	    ctx == C_DNS_GROUPED_ARR;
}

/*
 * Where a scalar goes: 1 = go on with e->key set to the member (or array
 * item) it is, 0 = ignore it, -1 = stop (error set).
 */
static int
scalar_target(struct eve *e, int vt, size_t col)
{
	static const struct key item_rcpt = K("rcpt_to", F_S_RCPT, T_STR, 0);
	static const struct key item_to = K("to", F_E_TO, T_STR, 0);
	static const struct key item_grp = K("grouped", F_G_TYPE, T_STR, 0);
	uint8_t ctx;

	if (e->skip > 0)
		return 0;
	if (e->depth == 0) {
		e->rc = ingest_err(e->d, CYBEX_EFORMAT, col, "an EVE record "
		    "must be a JSON object");
		return -1;
	}
	ctx = e->st[e->depth - 1].ctx;
	switch (ctx) {
	case C_SMTP_RCPT:
		e->key = &item_rcpt;
		break;
	case C_EMAIL_TO:
		e->key = &item_to;
		break;
	case C_DNS_GROUPED_ARR:
		e->key = &item_grp;
		break;
	case C_DNS_QUERIES:
	case C_DNS_ANSWERS:
		return 0;
	default:
		if (e->key == NULL)
			return 0;
		break;
	}
	if (vt == 0)		/* null: as if absent */
		goto ignore;
	if (e->key->type == vt || (e->key->type == T_STRINT &&
	    (vt == T_STR || vt == T_INT)))
		return 1;
	e->rc = ingest_err(e->d, CYBEX_EFORMAT, col, "\"%s\" must be %s",
	    e->key->name, tnames[e->key->type]);
	return -1;
 ignore:
	if (!item_ctx(ctx))
		e->key = NULL;
	return 0;
}

/* ---- yajl callbacks ---- */

static int
cb_null(void *ctx)
{
	struct eve *e = ctx;

	return scalar_target(e, 0, tok_col(e) - 3) < 0 ? 0 : 1;
}

static int
cb_boolean(void *ctx, int b)
{
	struct eve *e = ctx;
	int t;

	/* No member we read is a boolean: a boolean there is an error. */
	if ((t = scalar_target(e, 99, tok_col(e) - (b ? 3 : 4))) <= 0)
		return t == 0;
	return 0;
}

static int
cb_number(void *ctx, const char *s, size_t n)
{
	struct eve *e = ctx;
	int t, rc;

	if ((t = scalar_target(e, T_INT, num_col(e, s))) <= 0)
		return t == 0;
	rc = on_number(e, s, n);
	if (!item_ctx(e->st[e->depth - 1].ctx))
		e->key = NULL;
	return rc;
}

static int
cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct eve *e = ctx;
	int t, rc;

	if ((t = scalar_target(e, T_STR, str_col(e, s))) <= 0)
		return t == 0;
	rc = on_string(e, s, n);
	if (!item_ctx(e->st[e->depth - 1].ctx))
		e->key = NULL;
	return rc;
}

static int
open_level(struct eve *e, bool map)
{
	uint8_t ctx, next;

	if (e->depth + e->skip >= EVE_DEPTH_MAX)
		return stop(e, CYBEX_ETOOBIG, 0, "JSON nested deeper than "
		    "%s levels", "64");
	if (e->skip > 0) {
		e->skip++;
		return 1;
	}
	if (e->depth == 0) {
		if (!map)
			return stop(e, CYBEX_EFORMAT, 0, "an EVE record must "
			    "be a JSON object, not %s", "an array");
		if (e->done)
			return stop(e, CYBEX_EJSON, 0, "a second JSON value on "
			    "the line%s", "");
		e->st[0].ctx = C_ROOT;
		e->st[0].seen = 0;
		e->depth = 1;
		e->key = NULL;
		return 1;
	}
	ctx = e->st[e->depth - 1].ctx;
	if (ctx == C_DNS_QUERIES || ctx == C_DNS_ANSWERS) {
		if (!map)
			goto skip;
		next = ctx == C_DNS_QUERIES ? C_DNS_QUERY : C_DNS_ANSWER;
		if (next == C_DNS_ANSWER && cur_answer(e) != NULL)
			memset(cur_answer(e), 0, sizeof(struct cybex_obs_answer));
	} else if (item_ctx(ctx) || e->key == NULL) {
		goto skip;
	} else if (e->key->type == (map ? T_OBJ : T_ARR)) {
		next = e->key->ctx;
		if (next == C_DNS_ANSWERS)
			e->detailed = true;
	} else {
		e->rc = ingest_err(e->d, CYBEX_EFORMAT, tok_col(e), "\"%s\" "
		    "must be %s", e->key->name, tnames[e->key->type]);
		return 0;
	}
	e->st[e->depth].ctx = next;
	e->st[e->depth].seen = 0;
	e->depth++;
	e->key = NULL;
	return 1;
 skip:
	e->skip = 1;
	e->key = NULL;
	return 1;
}

static int
close_level(struct eve *e)
{
	struct cybex_obs *o = &e->r->obs;
	uint8_t ctx;

	if (e->skip > 0) {
		e->skip--;
		return 1;
	}
	ctx = e->st[--e->depth].ctx;
	e->key = NULL;
	switch (ctx) {
	case C_ROOT:
		e->done = true;
		e->end_off = yajl_get_bytes_consumed(e->h);
		break;
	case C_DNS_QUERY:
		e->n_queries++;
		break;
	case C_DNS_ANSWER:
		if (o->n_answers < CYBEX_OBS_ANSWERS_MAX)
			o->n_answers++;
		break;
	}
	return 1;
}

static int
cb_start_map(void *ctx)
{
	return open_level(ctx, true);
}

static int
cb_end_map(void *ctx)
{
	return close_level(ctx);
}

static int
cb_start_array(void *ctx)
{
	return open_level(ctx, false);
}

static int
cb_end_array(void *ctx)
{
	return close_level(ctx);
}

static int
cb_map_key(void *ctx, const unsigned char *s, size_t n)
{
	struct eve *e = ctx;
	struct frame *f;
	unsigned idx;

	if (e->skip > 0)
		return 1;
	f = &e->st[e->depth - 1];
	if (f->ctx == C_DNS_GROUPED) {
		/* Any key is an rrtype whose array of rdata follows. */
		static const struct key grp = K("grouped", F_G_TYPE, T_ARR,
		    C_DNS_GROUPED_ARR);

		if (set_str(e, &e->grouped_type, s, n, false) == 0)
			return 0;
		e->key = &grp;
		return 1;
	}
	if ((e->key = lookup(f->ctx, s, n, &idx)) == NULL)
		return 1;
	if (f->seen & ((uint64_t)1 << idx))
		return stop(e, CYBEX_EJSON, str_col(e, s), "duplicate key "
		    "\"%s\"", e->key->name);
	f->seen |= (uint64_t)1 << idx;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end_map, cb_start_array, cb_end_array,
};

static void *
y_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return cybex_malloc(n);
}

static void *
y_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return cybex_realloc(p, n);
}

static void
y_free(void *ctx, void *p)
{
	(void)ctx;
	cybex_free(p);
}

static int
handle_new(struct eve *e)
{
	yajl_alloc_funcs af = { y_malloc, y_realloc, y_free, NULL };

	if (e->h != NULL)
		yajl_free(e->h);
	if ((e->h = yajl_alloc(&callbacks, &af, e)) == NULL)
		return CYBEX_ENOMEM;
	/* Strings are checked (more strictly) by check_text. */
	yajl_config(e->h, yajl_dont_validate_strings, 1);
	yajl_config(e->h, yajl_allow_multiple_values, 1);
	return 0;
}

/* The 4 hex digits at p (before end) into *c; false if there are not 4. */
static bool
hex4(const char *p, const char *end, unsigned *c)
{
	int j, v;

	*c = 0;
	for (j = 0; j < 4; j++) {
		if (p + j >= end || (v = cybex_hexval((unsigned char)p[j])) < 0)
			return false;
		*c = *c * 16 + (unsigned)v;
	}
	return true;
}

/*
 * What yajl does not check: strict UTF-8 and the \u escapes that decode to
 * NUL or to half of a surrogate pair.  Outside strings a backslash or a
 * byte >= 0x80 is a syntax error anyway, reported here a little earlier.
 */
static int
check_text(const char *line, size_t len, struct cybex_diag *d)
{
	const unsigned char *u = (const unsigned char *)line;
	const char *p, *end = line + len;
	uint64_t w;
	uint32_t cp;
	size_t i, k;
	unsigned c, c2;

	/* Bytes >= 0x80: eight at a time while all are ASCII. */
	for (i = 0; i < len; ) {
		if (i + 8 <= len) {
			memcpy(&w, u + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = cybex_utf8_decode(u + i, len - i, &cp)) == 0)
			return ingest_err(d, CYBEX_EJSON, i + 1, "invalid "
			    "UTF-8 (byte 0x%02x)", u[i]);
		i += k;
	}
	for (p = line; p < end && (p = memchr(p, '\\', (size_t)(end - p))) !=
	    NULL; ) {
		if (p + 1 >= end || p[1] != 'u') {
			p += 2;
			continue;
		}
		/* A bad escape is yajl's to report. */
		if (!hex4(p + 2, end, &c)) {
			p += 2;
			continue;
		}
		if (c == 0)
			return ingest_err(d, CYBEX_EJSON, (size_t)(p - line) +
			    1, "\\u0000 (NUL) in a string");
		if (c >= 0xdc00 && c <= 0xdfff)
			return ingest_err(d, CYBEX_EJSON, (size_t)(p - line) +
			    1, "\\u%04x is a lone low surrogate", c);
		if (c >= 0xd800 && c <= 0xdbff) {
			if (p + 12 <= end && p[6] == '\\' && p[7] == 'u' &&
			    hex4(p + 8, end, &c2) && c2 >= 0xdc00 &&
			    c2 <= 0xdfff) {
				p += 12;
				continue;
			}
			return ingest_err(d, CYBEX_EJSON, (size_t)(p - line) +
			    1, "\\u%04x is a lone high surrogate", c);
		}
		p += 6;
	}
	return 0;
}

/* ---- the record to the observation ---- */

static const struct {
	const char	*type;
	enum cybex_obs_kind kind;
	const char	*source_type;
} types[] = {
	{ "alert", CYBEX_OBS_ALERT, "eve:alert" },
	{ "flow", CYBEX_OBS_FLOW, "eve:flow" },
	{ "netflow", CYBEX_OBS_FLOW, "eve:netflow" },
	{ "dns", CYBEX_OBS_DNS, "eve:dns" },
	{ "http", CYBEX_OBS_HTTP, "eve:http" },
	{ "tls", CYBEX_OBS_TLS, "eve:tls" },
	{ "fileinfo", CYBEX_OBS_FILE, "eve:fileinfo" },
	{ "smtp", CYBEX_OBS_MAIL, "eve:smtp" },
	{ "anomaly", CYBEX_OBS_ANOMALY, "eve:anomaly" },
};

static bool
is_name_type(const char *t)
{
	return t != NULL && (strcmp(t, "CNAME") == 0 || strcmp(t, "NS") == 0 ||
	    strcmp(t, "PTR") == 0 || strcmp(t, "MX") == 0 ||
	    strcmp(t, "DNAME") == 0);
}

static void
finish_answer(struct cybex_obs_answer *a)
{
	char *p;

	if (a->rdata == NULL || a->rrtype == NULL)
		return;
	if (strcmp(a->rrtype, "A") == 0 || strcmp(a->rrtype, "AAAA") == 0) {
		(void)cybex_ip_parse(a->rdata, strlen(a->rdata), &a->ip);
	} else if (is_name_type(a->rrtype)) {
		/* Names compare without case; the area is ours to change. */
		for (p = (char *)(uintptr_t)a->rdata; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
	}
}

static int
finish(struct eve *e, struct cybex_diag *d)
{
	struct cybex_ingest_reader *r = e->r;
	struct cybex_obs *o = &r->obs;
	struct cybex_obs_answer *a;
	char *st;
	size_t i;

	if (e->event_type == NULL)
		return ingest_err(d, CYBEX_EFORMAT, 1, "not an EVE record: no "
		    "\"event_type\"");
	if (!e->has_ts)
		return ingest_err(d, CYBEX_EFORMAT, 1, "not an EVE record: no "
		    "\"timestamp\"");
	if (strcmp(e->event_type, "stats") == 0)
		return 0;	/* engine counters: nothing observed */
	o->kind = CYBEX_OBS_OTHER;
	o->source_type = NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(types[i].type, e->event_type) == 0) {
			o->kind = types[i].kind;
			o->source_type = types[i].source_type;
			break;
		}
	}
	if (o->source_type == NULL) {
		if ((st = ingest_alloc(r, e->event_type_len + 5)) == NULL)
			return ingest_full(d, 1);
		memcpy(st, "eve:", 4);
		memcpy(st + 4, e->event_type, e->event_type_len + 1);
		o->source_type = st;
	}
	if (o->sensor == NULL)
		o->sensor = e->host;
	if (o->app_proto == NULL)
		o->app_proto = e->an_app_proto;
	if (strcmp(e->event_type, "netflow") == 0) {
		/* One direction per record: src -> dest. */
		if (o->pkts_to_server == 0 && o->bytes_to_server == 0) {
			o->pkts_to_server = e->nf_pkts;
			o->bytes_to_server = e->nf_bytes;
		}
	}
	/* DNS: the name asked, and answers detailed, grouped or (v1) flat. */
	o->dns_query = e->q_rrname != NULL ? e->q_rrname : e->dns_rrname;
	o->dns_rrtype = e->q_rrname != NULL ? e->q_rrtype : e->dns_rrtype;
	if (!e->detailed) {
		if (e->n_grouped > 0) {
			memcpy(o->answers, e->grouped, e->n_grouped *
			    sizeof(e->grouped[0]));
			o->n_answers = e->n_grouped;
		} else if (e->dns_rdata != NULL) {
			a = &o->answers[0];
			a->rrname = e->dns_rrname;
			a->rrtype = e->dns_rrtype;
			a->rdata = e->dns_rdata;
			o->n_answers = 1;
		}
	}
	for (i = 0; i < o->n_answers; i++)
		finish_answer(&o->answers[i]);
	/* Mail: the envelope (smtp) before the headers (email). */
	if (o->mail_from == NULL)
		o->mail_from = e->email_from;
	if (o->n_rcpt_total == 0 && e->n_email_to_total > 0) {
		memcpy(o->rcpt, e->email_to, e->n_email_to *
		    sizeof(e->email_to[0]));
		o->n_rcpt = e->n_email_to;
		o->n_rcpt_total = e->n_email_to_total;
	}
	return 1;
}

static void
reset(struct eve *e)
{
	/* Everything after rc; the handle and the reader stay. */
	memset(&e->rc, 0, sizeof(*e) - offsetof(struct eve, rc));
}

static int
eve_read(struct cybex_ingest_reader *r, const char *line, size_t len,
    struct cybex_diag *d)
{
	struct eve *e = r->state;
	yajl_status st;
	unsigned char *msg;
	size_t start, i, n, col;
	int rc;

	for (start = 0; start < len && (line[start] == ' ' ||
	    line[start] == '\t'); start++)
		;
	if (start == len)
		return 0;	/* blank */
	if ((rc = check_text(line, len, d)) != 0)
		return rc;
	/*
	 * A JSON array of records, or records written over several lines,
	 * fail on every line; say why once, at the first such line.
	 */
	if (!e->hinted && (line[start] == '[' || (line[start] == '{' &&
	    strspn(line + start + 1, " \t\r") == len - start - 1))) {
		e->hinted = true;
		return ingest_err(d, CYBEX_EFORMAT, start + 1, "%s: EVE is "
		    "one JSON object per line (JSON lines, as Suricata "
		    "writes it); convert the file, e.g. jq -c '%s'",
		    line[start] == '[' ? "a JSON array" :
		    "a JSON object over several lines",
		    line[start] == '[' ? ".[]" : ".");
	}
	if (e->h == NULL && (rc = handle_new(e)) != 0)
		return ingest_err(d, rc, 1, "out of memory");
	reset(e);
	e->d = d;
	st = yajl_parse(e->h, (const unsigned char *)line, len);
	if (st == yajl_status_client_canceled) {
		rc = e->rc != 0 ? e->rc : ingest_err(d, CYBEX_EINTERNAL, 1,
		    "parse stopped without a reason");
		goto broken;
	}
	if (st != yajl_status_ok) {
		msg = yajl_get_error(e->h, 0, (const unsigned char *)line,
		    len);
		n = msg != NULL ? strcspn((char *)msg, "\n") : 0;
		col = yajl_err_col(e, line, len, msg != NULL ? (char *)msg :
		    "");
		/* yajl's text starts with "lexical error: " or "parse error: " */
		rc = ingest_err(d, CYBEX_EJSON, col > 0 ? col : 1,
		    "malformed JSON: %.*s", (int)n, msg != NULL ?
		    (const char *)msg : "");
		if (msg != NULL)
			yajl_free_error(e->h, msg);
		goto broken;
	}
	if (!e->done && e->depth == 0) {
		/* A number alone is never finished for yajl: not an object. */
		rc = ingest_err(d, CYBEX_EFORMAT, start + 1, "an EVE record "
		    "must be a JSON object");
		goto broken;
	}
	if (!e->done || e->depth != 0 || e->skip != 0) {
		rc = ingest_err(d, CYBEX_EJSON, len + 1, "truncated JSON: the "
		    "line ends inside the record");
		goto broken;
	}
	/* A number after the record would still sit in yajl's lexer. */
	for (i = e->end_off; i < len; i++) {
		if (line[i] != ' ' && line[i] != '\t') {
			rc = ingest_err(d, CYBEX_EJSON, i + 1, "text after the "
			    "JSON record");
			goto broken;
		}
	}
	return finish(e, d);
 broken:
	/* yajl cannot go on after an error: the next line gets a new one. */
	yajl_free(e->h);
	e->h = NULL;
	return rc;
}

static int
eve_init(struct cybex_ingest_reader *r, const struct cybex_ingest_opts *o,
    struct cybex_diag *d)
{
	struct eve *e;

	(void)o;
	if ((e = cybex_calloc(1, sizeof(*e))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	e->r = r;
	r->state = e;
	if (handle_new(e) != 0)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	return 0;
}

static void
eve_fini(struct cybex_ingest_reader *r)
{
	struct eve *e = r->state;

	if (e == NULL)
		return;
	if (e->h != NULL)
		yajl_free(e->h);
	cybex_free(e);
	r->state = NULL;
}

const struct ingest_fmt ingest_fmt_eve = {
	"eve", eve_init, eve_fini, eve_read,
};
