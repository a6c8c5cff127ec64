/*
 * Web server access logs in the Common and Combined Log Formats (Apache
 * and nginx defaults):
 *
 *   client ident user [10/Oct/2000:13:55:36 -0700] "request" status bytes
 *   [ "referrer" "user agent"] [anything else]
 *
 * The request line is kept whatever it holds: a TLS probe's bytes
 * (written by the server as "\x16\x03...") become the url with no method.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

/* "dd/Mon/yyyy:hh:mm:ss +zzzz" at s[0..n). */
static bool
clf_time(const char *s, size_t n, int64_t *us)
{
	unsigned v[6], i, k, oh, om;
	const unsigned pos[6] = { 0, 3, 7, 12, 15, 18 };
	const unsigned len[6] = { 2, 3, 4, 2, 2, 2 };
	char m3[4];
	int64_t off;

	if (n != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' ||
	    s[14] != ':' || s[17] != ':' || s[20] != ' ' ||
	    (s[21] != '+' && s[21] != '-'))
		return false;
	for (i = 0; i < 6; i++) {
		if (i == 1)
			continue;
		for (v[i] = 0, k = 0; k < len[i]; k++) {
			if (s[pos[i] + k] < '0' || s[pos[i] + k] > '9')
				return false;
			v[i] = v[i] * 10 + (unsigned)(s[pos[i] + k] - '0');
		}
	}
	memcpy(m3, s + 3, 3);
	m3[3] = '\0';
	if ((v[1] = ingest_month_parse(m3)) == 0)
		return false;
	for (oh = 0, om = 0, k = 22; k < 26; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		if (k < 24)
			oh = oh * 10 + (unsigned)(s[k] - '0');
		else
			om = om * 10 + (unsigned)(s[k] - '0');
	}
	if (v[0] < 1 || v[0] > cybex_month_days(v[2], v[1]) || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60 || oh > 23 || om > 59)
		return false;
	off = (int64_t)oh * 3600 + om * 60;
	if (s[21] == '-')
		off = -off;
	*us = (cybex_days_from_civil(v[2], v[1], v[0]) * 86400 +
	    v[3] * 3600 + v[4] * 60 + (v[5] == 60 ? 59 : v[5]) - off) *
	    1000000;
	return true;
}

/* The quoted string starting at s[i] == '"': *end is its closing quote. */
static bool
quoted(const char *s, size_t i, size_t n, size_t *end)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '"') {
			*end = i;
			return true;
		}
	}
	return false;
}

static bool
is_method(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' ||
		    s[i] == '_'))
			return false;
	return true;
}

/* "GET /x HTTP/1.1" -> method and url; anything else is all url. */
static int
request(struct cybex_ingest_reader *r, const char *s, size_t n,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	const char *sp1, *sp2;
	size_t ul;

	if (n == 0 || (n == 1 && s[0] == '-'))
		return 0;
	sp1 = memchr(s, ' ', n);
	if (sp1 != NULL && is_method(s, (size_t)(sp1 - s))) {
		ul = n - (size_t)(sp1 + 1 - s);
		sp2 = NULL;
		/* The protocol is the last word when it is "HTTP/..." */
		for (sp2 = s + n; sp2 > sp1 + 1 && sp2[-1] != ' '; sp2--)
			;
		if (sp2 > sp1 + 1 && ingest_prefix(sp2, (size_t)(s + n - sp2),
		    "HTTP/"))
			ul = (size_t)(sp2 - 1 - (sp1 + 1));
		if (ul > 0) {
			if ((o->http_method = ingest_text(r, s, (size_t)(sp1 -
			    s))) == NULL ||
			    (o->url = ingest_text(r, sp1 + 1, ul)) == NULL)
				return ingest_full(d, 1);
			return 0;
		}
	}
	if ((o->url = ingest_text(r, s, n)) == NULL)
		return ingest_full(d, 1);
	return 0;
}

static int
access_read(struct cybex_ingest_reader *r, const char *s, size_t n,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	const char *rb;
	size_t i, j, k, end;
	uint64_t v;
	int rc;

	for (i = 0; i < n && s[i] == ' '; i++)
		;
	if (i == n)
		return 0;
	/* client */
	for (j = i; j < n && s[j] != ' '; j++)
		;
	if (ingest_set_ip(r, &o->src_ip, &o->src_ip_text, s + i, j - i) != 0)
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "the client is not "
		    "an IPv4 or IPv6 address");
	/* ident, then the user up to " [" (a user name may hold spaces) */
	if (j >= n)
		return ingest_err(d, CYBEX_EFORMAT, n + 1, "the line ends "
		    "after the client");
	i = j + 1;
	for (j = i; j < n && s[j] != ' '; j++)
		;
	if (j >= n)
		return ingest_err(d, CYBEX_EFORMAT, j + 1, "the line ends "
		    "before the time");
	i = j + 1;
	for (j = i; j + 1 < n && !(s[j] == ' ' && s[j + 1] == '['); j++)
		;
	if (j + 1 >= n)
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "no [time] after "
		    "the user");
	if (!(j - i == 1 && s[i] == '-') && j > i &&
	    (o->user = ingest_text(r, s + i, j - i)) == NULL)
		return ingest_full(d, 1);
	i = j + 2;
	if ((rb = memchr(s + i, ']', n - i)) == NULL ||
	    !clf_time(s + i, (size_t)(rb - (s + i)), &o->ts_us))
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "bad time: expected "
		    "[10/Oct/2000:13:55:36 -0700]");
	i = (size_t)(rb - s) + 1;
	if (i + 1 >= n || s[i] != ' ' || s[i + 1] != '"')
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "no quoted request "
		    "line after the time");
	i++;
	if (!quoted(s, i, n, &end))
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "the request line's "
		    "quote is not closed");
	if ((rc = request(r, s + i + 1, end - i - 1, d)) != 0)
		return rc;
	/* status */
	i = end + 1;
	if (i + 4 > n || s[i] != ' ' || ingest_uint(s + i + 1, 3, 999,
	    &v) != 0 || (i + 4 < n && s[i + 4] != ' '))
		return ingest_err(d, CYBEX_EFORMAT, i + 1 < n ? i + 2 : n + 1,
		    "bad status: expected three digits");
	o->http_status = (int)v;
	i += 4;
	/* bytes: a number or "-" */
	if (i < n) {
		i++;
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (j - i == 1 && s[i] == '-')
			;
		else if (ingest_uint(s + i, j - i, UINT64_MAX,
		    &o->bytes_to_client) != 0)
			return ingest_err(d, CYBEX_EFORMAT, i + 1, "bad size: "
			    "expected a number of bytes or \"-\"");
		i = j;
	}
	/* Combined: "referrer" "user agent" */
	for (k = 0; k < 2 && i + 1 < n && s[i] == ' ' && s[i + 1] == '"'; k++) {
		i++;
		if (!quoted(s, i, n, &end))
			return ingest_err(d, CYBEX_EFORMAT, i + 1, "the %s's "
			    "quote is not closed", k == 0 ? "referrer" :
			    "user agent");
		if (!(end - i - 1 == 1 && s[i + 1] == '-') && end > i + 1 &&
		    (*(k == 0 ? &o->referrer : &o->user_agent) =
		    ingest_text(r, s + i + 1, end - i - 1)) == NULL)
			return ingest_full(d, 1);
		i = end + 1;
	}
	o->kind = CYBEX_OBS_HTTP;
	o->source_type = "access";
	o->app_proto = "http";
	if (o->url != NULL && (rc = ingest_url_host(r, o->url,
	    &o->http_host)) != 0)
		return ingest_full(d, 1);
	return 1;
}

const struct ingest_fmt ingest_fmt_access = {
	"access", NULL, NULL, access_read,
};
