/* Helpers shared by the ingest tests: a stable text dump of observations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_test.h"

static const char *const kinds[] = {
	"other", "alert", "flow", "dns", "http", "tls", "file", "mail",
	"auth", "anomaly", "listed", "page",
};

static const char *const auths[] = {
	"none", "success", "failure", "invalid-user", "denied", "maxtries",
	"other",
};

static void
str(struct cybex_buf *b, const char *name, const char *v)
{
	if (v != NULL)
		assert_int_equal(cybex_buf_printf(b, "  %s: %s\n", name, v), 0);
}

static void
num(struct cybex_buf *b, const char *name, uint64_t v)
{
	if (v != 0)
		assert_int_equal(cybex_buf_printf(b, "  %s: %llu\n", name,
		    (unsigned long long)v), 0);
}

static void
ip(struct cybex_buf *b, const char *name, const struct cybex_ip *a,
    const char *text, bool has_port, uint16_t port)
{
	char t[64];

	if (a->family == 0) {
		/* text without an address would be a reader bug */
		assert_null(text);
		if (has_port)
			assert_int_equal(cybex_buf_printf(b, "  %s_port: %u\n",
			    name, port), 0);
		return;
	}
	cybex_ip_format(a, t, sizeof(t));
	assert_non_null(text);
	assert_string_equal(t, text);
	if (has_port)
		assert_int_equal(cybex_buf_printf(b, "  %s: %s port %u\n", name,
		    t, port), 0);
	else
		assert_int_equal(cybex_buf_printf(b, "  %s: %s\n", name, t), 0);
}

void
it_dump_obs(const struct cybex_obs *o, struct cybex_buf *b)
{
	struct cybex_time t;
	char ts[40];
	size_t i;

	assert_true(o->kind >= 0 && o->kind < CYBEX_OBS_KIND_MAX);
	assert_int_equal(cybex_buf_printf(b, "line %lu: %s %s\n", o->line,
	    kinds[o->kind], o->source_type != NULL ? o->source_type : "-"), 0);
	if (o->ts_us != 0) {
		t.sec = o->ts_us / 1000000;
		t.nsec = (uint32_t)(o->ts_us % 1000000) * 1000;
		if (o->ts_us < 0 && o->ts_us % 1000000 != 0) {
			t.sec--;
			t.nsec = (uint32_t)(o->ts_us % 1000000 + 1000000) *
			    1000;
		}
		t.digits = t.nsec != 0 ? 6 : 0;
		assert_true(cybex_time_format(&t, ts, sizeof(ts)) > 0);
		str(b, "time", ts);
	}
	str(b, "sensor", o->sensor);
	str(b, "org", o->org);
	str(b, "host", o->host);
	ip(b, "src", &o->src_ip, o->src_ip_text, o->has_src_port, o->src_port);
	str(b, "src_host", o->src_host);
	ip(b, "dst", &o->dst_ip, o->dst_ip_text, o->has_dst_port, o->dst_port);
	str(b, "proto", o->proto);
	str(b, "app_proto", o->app_proto);
	num(b, "bytes_to_server", o->bytes_to_server);
	num(b, "bytes_to_client", o->bytes_to_client);
	num(b, "pkts_to_server", o->pkts_to_server);
	num(b, "pkts_to_client", o->pkts_to_client);
	str(b, "flow_state", o->flow_state);
	str(b, "tcp_flags", o->tcp_flags);
	if (o->flow_id != 0)
		assert_int_equal(cybex_buf_printf(b, "  flow_id: %llu\n",
		    (unsigned long long)o->flow_id), 0);
	str(b, "signature", o->signature);
	if (o->signature_id != 0)
		assert_int_equal(cybex_buf_printf(b, "  signature_id: %lld\n",
		    (long long)o->signature_id), 0);
	num(b, "severity", (uint64_t)o->severity);
	str(b, "category", o->category);
	str(b, "dns_query", o->dns_query);
	str(b, "dns_rrtype", o->dns_rrtype);
	str(b, "dns_rcode", o->dns_rcode);
	assert_true(o->n_answers <= CYBEX_OBS_ANSWERS_MAX);
	for (i = 0; i < o->n_answers; i++) {
		char a[64] = "";

		if (o->answers[i].ip.family != 0)
			cybex_ip_format(&o->answers[i].ip, a, sizeof(a));
		assert_int_equal(cybex_buf_printf(b, "  answer: %s %s %s%s%s\n",
		    o->answers[i].rrname ? o->answers[i].rrname : "-",
		    o->answers[i].rrtype ? o->answers[i].rrtype : "-",
		    o->answers[i].rdata ? o->answers[i].rdata : "-",
		    a[0] != '\0' ? " ip " : "", a), 0);
	}
	str(b, "http_host", o->http_host);
	str(b, "url", o->url);
	str(b, "http_method", o->http_method);
	str(b, "user_agent", o->user_agent);
	str(b, "referrer", o->referrer);
	num(b, "http_status", (uint64_t)o->http_status);
	str(b, "tls_sni", o->tls_sni);
	str(b, "tls_subject", o->tls_subject);
	str(b, "tls_issuer", o->tls_issuer);
	str(b, "tls_fingerprint", o->tls_fingerprint);
	str(b, "ja3", o->ja3);
	str(b, "ja3s", o->ja3s);
	str(b, "file_name", o->file_name);
	str(b, "md5", o->md5);
	str(b, "sha1", o->sha1);
	str(b, "sha256", o->sha256);
	if (o->has_file_size)
		assert_int_equal(cybex_buf_printf(b, "  file_size: %llu\n",
		    (unsigned long long)o->file_size), 0);
	str(b, "mail_from", o->mail_from);
	assert_true(o->n_rcpt <= CYBEX_OBS_RCPT_MAX);
	assert_true(o->n_rcpt <= o->n_rcpt_total);
	for (i = 0; i < o->n_rcpt; i++)
		str(b, "rcpt", o->rcpt[i]);
	num(b, "n_rcpt_total", o->n_rcpt_total);
	str(b, "mail_relay", o->mail_relay);
	str(b, "mail_status", o->mail_status);
	str(b, "message_id", o->message_id);
	if (o->auth != CYBEX_AUTH_NONE)
		str(b, "auth", auths[o->auth]);
	str(b, "user", o->user);
	str(b, "target_user", o->target_user);
	str(b, "auth_service", o->auth_service);
	str(b, "auth_method", o->auth_method);
	str(b, "command", o->command);
	str(b, "listed_value", o->listed_value);
	str(b, "listed_type", o->listed_type);
	str(b, "list_name", o->list_name);
	str(b, "list_category", o->list_category);
	str(b, "page_hash", o->page_hash);
}

void
it_dump_err(unsigned long lineno, int rc, const struct cybex_diag *d,
    struct cybex_buf *b)
{
	assert_int_equal(d->line, lineno);
	assert_true(d->column >= 1);
	assert_int_equal(cybex_buf_printf(b, "line %lu: error %s at column "
	    "%lu: %s\n", lineno, cybex_strerror(rc), d->column, d->message), 0);
}

struct cybex_ingest_reader *
it_reader(enum cybex_ingest_format f, const char *mapping)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r = NULL;
	struct cybex_diag d;

	memset(&o, 0, sizeof(o));
	o.format = f;
	o.mapping = mapping;
	o.ref_time_us = IT_REF_US;
	cybex_diag_clear(&d);
	if (cybex_ingest_reader_new(&o, &r, &d) != 0)
		fail_msg("reader: %lu:%lu: %s", d.line, d.column, d.message);
	return r;
}

int
it_line(struct cybex_ingest_reader *r, const char *line,
    const struct cybex_obs **o, struct cybex_diag *d)
{
	cybex_diag_clear(d);
	return cybex_ingest_read_line(r, line, strlen(line), 1, o, d);
}

void
it_read_all(enum cybex_ingest_format f, const char *mapping,
    const char *text, size_t len, size_t chunk, struct cybex_buf *out)
{
	struct cybex_ingest_reader *r = it_reader(f, mapping);
	struct cybex_ingest_lines *l;
	const struct cybex_obs *o;
	struct cybex_diag d;
	const char *line;
	size_t off = 0, n, ll;
	unsigned long no;
	int rc;

	assert_int_equal(cybex_ingest_lines_new(0, &l), 0);
	for (;;) {
		if (off < len) {
			n = chunk == 0 || len - off < chunk ? len - off : chunk;
			assert_int_equal(cybex_ingest_lines_feed(l, text + off,
			    n), 0);
			off += n;
			if (off == len)
				cybex_ingest_lines_finish(l);
		} else if (len == 0) {
			cybex_ingest_lines_finish(l);
		}
		while ((rc = cybex_ingest_lines_next(l, &line, &ll, &no)) != 0) {
			assert_int_equal(rc, 1);
			cybex_diag_clear(&d);
			rc = cybex_ingest_read_line(r, line, ll, no, &o, &d);
			if (rc == 1)
				it_dump_obs(o, out);
			else if (rc < 0)
				it_dump_err(no, rc, &d, out);
			else
				assert_null(o);
		}
		if (off >= len)
			break;
	}
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(r);
}
