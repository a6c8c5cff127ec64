/*
 * Fuzz target: every ingest reader and the line splitter.
 *
 * Input: byte 0 picks the format (modulo the number of formats), byte 1
 * the CSV mapping (modulo 4, 0 = plain text) and the feed size for the
 * splitter; the rest is the stream.  Invariants:
 *   - the splitter never returns a line over its cap, and lines are
 *     numbered 1, 2, ... with no gaps;
 *   - read_line returns 1, 0, CYBEX_EFORMAT, CYBEX_EJSON or CYBEX_ETOOBIG;
 *     an error names the line and a column within it (or one past it);
 *   - every string of an observation is valid UTF-8 without NUL, counts
 *     are within their arrays, and an address's text is its canonical
 *     form;
 *   - EVE: a line jansson accepts as JSON is never called malformed JSON
 *     (the reader may still refuse its values); lines with a raw NUL byte
 *     are left out, jansson reads such a byte as the end of its input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/ingest.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LINE_MAX_FUZZ	4096

static const char *const mappings[] = {
	NULL,
	"name = f\ncategory = c2\ncolumn = 2\ntype = ipv4-addr\n"
	"time_column = 1\ntime_format = %Y-%m-%d %H:%M:%S\nskip_header = yes\n",
	"delimiter = ;\ncolumn = 1\ncomment = //\ntime_column = 2\n"
	"time_format = epoch\n",
	"delimiter = tab\ncolumn = 3\ntype = auto\ntime_column = 1\n"
	"time_format = rfc3339\n",
};

static void
die(const char *what, const char *line, size_t len)
{
	fprintf(stderr, "fuzz_ingest: %s: line '%.*s'\n", what,
	    (int)(len > 300 ? 300 : len), line);
	abort();
}

static int
utf8_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, j, k, n = strlen(s);
	uint32_t c;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf)
			k = 2, c = u[i] & 0x1f;
		else if (u[i] >= 0xe0 && u[i] <= 0xef)
			k = 3, c = u[i] & 0x0f;
		else if (u[i] >= 0xf0 && u[i] <= 0xf4)
			k = 4, c = u[i] & 0x07;
		else
			return 0;
		if (i + k > n)
			return 0;
		for (j = 1; j < k; j++) {
			if ((u[i + j] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (u[i + j] & 0x3f);
		}
		if ((k == 3 && c < 0x800) || (k == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

static void
check_ip(const struct cybex_ip *ip, const char *text, const char *line,
    size_t len)
{
	char buf[64];

	if (ip->family == 0) {
		if (text != NULL)
			die("address text without an address", line, len);
		return;
	}
	if (ip->family != 4 && ip->family != 6)
		die("bad address family", line, len);
	if (text == NULL)
		die("address without its text", line, len);
	cybex_ip_format(ip, buf, sizeof(buf));
	if (strcmp(buf, text) != 0)
		die("address text is not canonical", line, len);
}

static void
check_obs(const struct cybex_obs *o, unsigned long lineno, const char *line,
    size_t len)
{
	const char *const s[] = {
		o->sensor, o->org, o->source_type, o->src_ip_text,
		o->dst_ip_text, o->proto, o->app_proto, o->flow_state,
		o->tcp_flags, o->signature, o->category, o->dns_query,
		o->dns_rrtype, o->dns_rcode, o->http_host, o->url,
		o->http_method, o->user_agent, o->referrer, o->tls_sni,
		o->tls_subject, o->tls_issuer, o->tls_fingerprint, o->ja3,
		o->ja3s, o->file_name, o->md5, o->sha1, o->sha256,
		o->mail_from, o->mail_relay, o->mail_status, o->message_id,
		o->user, o->target_user, o->auth_service, o->auth_method,
		o->host, o->listed_value, o->listed_type, o->list_name,
		o->list_category, o->page_hash, o->command,
	};
	size_t i;

	if ((int)o->kind < 0 || o->kind >= CYBEX_OBS_KIND_MAX)
		die("bad kind", line, len);
	if ((int)o->auth < 0 || o->auth > CYBEX_AUTH_OTHER)
		die("bad auth result", line, len);
	if (o->line != lineno)
		die("wrong line number", line, len);
	if (o->source_type == NULL)
		die("no source type", line, len);
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i] != NULL && !utf8_ok(s[i]))
			die("a string is not UTF-8", line, len);
	if (o->n_answers > CYBEX_OBS_ANSWERS_MAX)
		die("too many answers", line, len);
	for (i = 0; i < o->n_answers; i++) {
		if ((o->answers[i].rrname != NULL &&
		    !utf8_ok(o->answers[i].rrname)) ||
		    (o->answers[i].rdata != NULL &&
		    !utf8_ok(o->answers[i].rdata)) ||
		    (o->answers[i].rrtype != NULL &&
		    !utf8_ok(o->answers[i].rrtype)))
			die("an answer is not UTF-8", line, len);
	}
	if (o->n_rcpt > CYBEX_OBS_RCPT_MAX || o->n_rcpt > o->n_rcpt_total)
		die("recipient counts", line, len);
	for (i = 0; i < o->n_rcpt; i++)
		if (o->rcpt[i] == NULL || !utf8_ok(o->rcpt[i]))
			die("a recipient is not UTF-8", line, len);
	check_ip(&o->src_ip, o->src_ip_text, line, len);
	check_ip(&o->dst_ip, o->dst_ip_text, line, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r = NULL;
	struct cybex_ingest_lines *l = NULL;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	const char *line, *in;
	size_t n, ll, off = 0, chunk;
	unsigned long no, expect = 1;
	json_t *j;
	int rc;

	if (size < 2)
		return 0;
	memset(&o, 0, sizeof(o));
	o.format = (enum cybex_ingest_format)(data[0] % CYBEX_INGEST_FORMAT_MAX);
	o.mapping = o.format == CYBEX_INGEST_CSV ? mappings[data[1] % 4] : NULL;
	o.ref_time_us = INT64_C(1717200000000000);
	o.line_max = LINE_MAX_FUZZ;
	o.postfix_queue_max = 8;
	if (cybex_ingest_reader_new(&o, &r, &d) != 0)
		abort();
	if (cybex_ingest_lines_new(LINE_MAX_FUZZ, &l) != 0)
		abort();
	chunk = (size_t)(data[1] >> 2) + 1;
	in = (const char *)data + 2;
	n = size - 2;
	for (;;) {
		if (off < n) {
			ll = n - off < chunk ? n - off : chunk;
			if (cybex_ingest_lines_feed(l, in + off, ll) != 0)
				abort();
			off += ll;
		}
		if (off >= n)
			cybex_ingest_lines_finish(l);
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) !=
		    0) {
			if (no != expect++)
				die("line numbers skip", "", 0);
			if (rc == CYBEX_ETOOBIG)
				continue;
			if (rc != 1 || ll > LINE_MAX_FUZZ)
				die("splitter broke its cap", "", 0);
			cybex_diag_clear(&d);
			rc = cybex_ingest_read_line(r, line, ll, no, &ob, &d);
			if (rc == 1) {
				check_obs(ob, no, line, ll);
			} else if (rc == 0) {
				if (ob != NULL)
					die("skipped line with an observation",
					    line, ll);
			} else {
				if (rc != CYBEX_EFORMAT && rc != CYBEX_EJSON &&
				    rc != CYBEX_ETOOBIG)
					die("unexpected error code", line, ll);
				if (d.line != no || d.column < 1 ||
				    d.column > ll + 1)
					die("error position outside the line",
					    line, ll);
			}
			/* jansson takes a raw NUL byte for the end of its
			 * input: such lines are not compared. */
			if (o.format == CYBEX_INGEST_EVE && rc == CYBEX_EJSON &&
			    memchr(line, '\0', ll) == NULL &&
			    cybex_json_parse(line, ll, 64, &j, NULL) == 0) {
				json_decref(j);
				die("valid JSON called malformed", line, ll);
			}
		}
		if (off >= n)
			break;
	}
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(r);
	return 0;
}
