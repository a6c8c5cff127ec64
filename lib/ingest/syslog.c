/*
 * Syslog lines: the header (time, host, program, pid) in the shapes found
 * in log files, then the message parsers of auth.c.
 *
 * Headers read:
 *   RFC 5424   <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG
 *   RFC 3164   [<PRI>]Mmm dd hh:mm:ss[.frac] [YYYY ]HOST TAG: MSG
 *   ISO time   [<PRI>]YYYY-MM-DD(T| )hh:mm:ss[.frac][zone] HOST TAG: MSG
 *              (rsyslog's high-precision format and its space variant)
 *   year first YYYY Mmm dd hh:mm:ss HOST TAG: MSG  (a syslog-ng template)
 * TAG is "prog[pid]", "prog" or "prog(module)[pid]"; the host may be left
 * out when the tag follows the time directly.  A line without a TAG is
 * read (program unknown) and skipped.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t
skip_spaces(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

static size_t
token_end(const char *s, size_t i, size_t n)
{
	while (i < n && s[i] != ' ')
		i++;
	return i;
}

/* "Mmm dd hh:mm:ss[.frac]" at s[i..n); *end past it. */
static int
bsd_time(struct cybex_ingest_reader *r, const char *s, size_t i, size_t n,
    int year, int64_t *us, size_t *end, struct cybex_diag *d)
{
	unsigned mon, day = 0, hh, mm, ss;
	uint32_t frac = 0, fd = 0;
	size_t start = i;
	char m3[4];
	struct cybex_time now;
	int64_t t;

	if (n - i < 15)
		goto bad;
	memcpy(m3, s + i, 3);
	m3[3] = '\0';
	if ((mon = ingest_month_parse(m3)) == 0 || s[i + 3] != ' ')
		goto bad;
	i += 4;
	/* The day is space-padded ("Feb  9") or not ("Feb 9"). */
	if (s[i] == ' ')
		i++;
	if (i < n && is_digit(s[i]))
		day = (unsigned)(s[i++] - '0');
	if (i < n && is_digit(s[i]))
		day = day * 10 + (unsigned)(s[i++] - '0');
	if (day == 0 || i + 9 > n || s[i] != ' ')
		goto bad;
	i++;
	if (!is_digit(s[i]) || !is_digit(s[i + 1]) || s[i + 2] != ':' ||
	    !is_digit(s[i + 3]) || !is_digit(s[i + 4]) || s[i + 5] != ':' ||
	    !is_digit(s[i + 6]) || !is_digit(s[i + 7]))
		goto bad;
	hh = (unsigned)((s[i] - '0') * 10 + s[i + 1] - '0');
	mm = (unsigned)((s[i + 3] - '0') * 10 + s[i + 4] - '0');
	ss = (unsigned)((s[i + 6] - '0') * 10 + s[i + 7] - '0');
	i += 8;
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++, fd++)
			if (fd < 6)
				frac = frac * 10 + (uint32_t)(s[i] - '0');
		for (; fd < 6; fd++)
			frac *= 10;
	}
	if (year >= 0) {
		if (day > cybex_month_days(year, mon) || hh > 23 || mm > 59 ||
		    ss > 60)
			goto bad_date;
		t = cybex_days_from_civil(year, mon, day) * 86400 +
		    hh * 3600 + mm * 60 + (ss == 60 ? 59 : ss);
		*us = t * 1000000 + frac;
	} else {
		/* "Now" is now for every line: a --follow lasts for days. */
		if (r->ref_now && cybex_time_now(&now) == 0)
			r->ref_time_us = now.sec * 1000000 + now.nsec / 1000;
		if (ingest_yearless_time(mon, day, hh, mm, ss, frac,
		    r->ref_time_us, us) != 0)
			goto bad_date;
	}
	*end = i;
	return 0;
 bad:
	return ingest_err(d, CYBEX_EFORMAT, i + 1, "not a syslog line: "
	    "expected a time like \"Feb  9 11:44:56\", an ISO 8601 time or "
	    "an RFC 5424 header");
 bad_date:
	return ingest_err(d, CYBEX_EFORMAT, start + 1, "impossible date or "
	    "time in the syslog header");
}

/* TAG: "prog[pid]:", "prog:" at s[i..n); false if none is there. */
static bool
tag(const char *s, size_t i, size_t n, struct ingest_syslog *h)
{
	size_t j, k;

	for (j = i; j < n && s[j] != ' ' && s[j] != ':' && s[j] != '['; j++)
		;
	if (j == i || j >= n)
		return false;
	if (s[j] == '[') {
		for (k = j + 1; k < n && s[k] != ']' && s[k] != ' '; k++)
			;
		if (k + 1 >= n || s[k] != ']' || s[k + 1] != ':')
			return false;
		h->pid = s + j + 1;
		h->pid_len = k - j - 1;
		k += 2;
	} else if (s[j] == ':') {
		k = j + 1;
	} else {
		return false;
	}
	h->prog = s + i;
	h->prog_len = j - i;
	k = skip_spaces(s, k, n);
	h->msg = s + k;
	h->msg_len = n - k;
	return true;
}

/* After the time: "HOST TAG: MSG", "TAG: MSG" or just a message. */
static int
host_and_tag(const char *s, size_t i, size_t n, struct ingest_syslog *h,
    struct cybex_diag *d)
{
	size_t j;

	i = skip_spaces(s, i, n);
	if (i >= n)
		return ingest_err(d, CYBEX_EFORMAT, i + 1, "the syslog line "
		    "ends after its time");
	j = token_end(s, i, n);
	/* A first token that is a tag means the host was left out. */
	if ((s[j - 1] == ':' || memchr(s + i, '[', j - i) != NULL) &&
	    tag(s, i, n, h))
		return 0;
	h->host = s + i;
	h->host_len = j - i;
	i = skip_spaces(s, j, n);
	if (!tag(s, i, n, h)) {
		h->msg = s + i;
		h->msg_len = n - i;
	}
	return 0;
}

/* RFC 5424 after "<PRI>1 ". */
static int
rfc5424(struct cybex_ingest_reader *r, const char *s, size_t i, size_t n,
    struct ingest_syslog *h, struct cybex_diag *d)
{
	const char *f[4];
	size_t fl[4], j, k, end;
	int64_t us;
	int q;

	(void)r;
	if (i < n && s[i] == '-') {
		h->ts_us = 0;
		j = i + 1;
	} else {
		j = token_end(s, i, n);
		if (ingest_iso_time(s + i, j - i, false, &us, &end) != 0 ||
		    end != j - i)
			return ingest_err(d, CYBEX_EFORMAT, i + end + 1, "bad "
			    "RFC 5424 time stamp");
		h->ts_us = us;
	}
	/* HOSTNAME APP-NAME PROCID MSGID, "-" for none. */
	for (k = 0; k < 4; k++) {
		if (j >= n || s[j] != ' ')
			return ingest_err(d, CYBEX_EFORMAT, j + 1, "RFC 5424 "
			    "header ends early");
		i = j + 1;
		j = token_end(s, i, n);
		if (j == i)
			return ingest_err(d, CYBEX_EFORMAT, i + 1, "empty "
			    "field in the RFC 5424 header");
		f[k] = s + i;
		fl[k] = j - i;
		if (fl[k] == 1 && f[k][0] == '-')
			fl[k] = 0;
	}
	h->host = fl[0] ? f[0] : NULL;
	h->host_len = fl[0];
	h->prog = fl[1] ? f[1] : NULL;
	h->prog_len = fl[1];
	h->pid = fl[2] ? f[2] : NULL;
	h->pid_len = fl[2];
	if (j >= n || s[j] != ' ')
		return ingest_err(d, CYBEX_EFORMAT, j + 1, "RFC 5424 header "
		    "without structured data");
	i = j + 1;
	/* STRUCTURED-DATA: "-" or [id param="value" ...]... */
	if (i < n && s[i] == '-') {
		i++;
	} else {
		if (i >= n || s[i] != '[')
			return ingest_err(d, CYBEX_EFORMAT, i + 1, "bad RFC "
			    "5424 structured data");
		while (i < n && s[i] == '[') {
			for (q = 0, i++; i < n; i++) {
				if (q && s[i] == '\\') {
					i++;
					continue;
				}
				if (s[i] == '"')
					q = !q;
				else if (!q && s[i] == ']')
					break;
			}
			if (i >= n)
				return ingest_err(d, CYBEX_EFORMAT, n + 1,
				    "unterminated RFC 5424 structured data");
			i++;
		}
	}
	if (i < n && s[i] == ' ')
		i++;
	/* A UTF-8 BOM may open the message. */
	if (n - i >= 3 && (unsigned char)s[i] == 0xef &&
	    (unsigned char)s[i + 1] == 0xbb && (unsigned char)s[i + 2] == 0xbf)
		i += 3;
	h->msg = s + i;
	h->msg_len = n - i;
	return 0;
}

int
ingest_syslog_header(struct cybex_ingest_reader *r, const char *s, size_t n,
    struct ingest_syslog *h, struct cybex_diag *d)
{
	size_t i = 0, end, tok;
	unsigned pri = 0, y;
	int64_t us;
	int rc;

	memset(h, 0, sizeof(*h));
	if (n > 0 && s[0] == '<') {
		for (i = 1; i < n && i < 5 && is_digit(s[i]); i++)
			pri = pri * 10 + (unsigned)(s[i] - '0');
		if (i == 1 || i >= n || s[i] != '>' || pri > 191)
			return ingest_err(d, CYBEX_EFORMAT, i + 1, "bad syslog "
			    "priority (expected <0> to <191>)");
		i++;
		if (n - i >= 2 && s[i] == '1' && s[i + 1] == ' ')
			return rfc5424(r, s, i + 2, n, h, d);
	}
	if (n - i >= 10 && is_digit(s[i]) && is_digit(s[i + 3]) &&
	    s[i + 4] == '-') {
		tok = token_end(s, i, n);
		/* "YYYY-MM-DD hh:mm:ss...": the time is the next token. */
		if (tok - i == 10 && tok < n)
			tok = token_end(s, tok + 1, n);
		if (ingest_iso_time(s + i, tok - i, true, &us, &end) != 0 ||
		    end != tok - i)
			return ingest_err(d, CYBEX_EFORMAT, i + end + 1, "bad "
			    "ISO 8601 time in the syslog header");
		h->ts_us = us;
		return host_and_tag(s, tok, n, h, d);
	}
	if (n - i >= 5 && is_digit(s[i]) && is_digit(s[i + 1]) &&
	    is_digit(s[i + 2]) && is_digit(s[i + 3]) && s[i + 4] == ' ') {
		y = (unsigned)((s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 +
		    (s[i + 2] - '0') * 10 + (s[i + 3] - '0'));
		if ((rc = bsd_time(r, s, i + 5, n, (int)y, &us, &end, d)) != 0)
			return rc;
		h->ts_us = us;
		return host_and_tag(s, end, n, h, d);
	}
	if ((rc = bsd_time(r, s, i, n, -1, &us, &end, d)) != 0)
		return rc;
	h->ts_us = us;
	return host_and_tag(s, end, n, h, d);
}

static int
syslog_read(struct cybex_ingest_reader *r, const char *line, size_t len,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct ingest_syslog h;
	int rc;

	if (len == 0)
		return 0;
	if ((rc = ingest_syslog_header(r, line, len, &h, d)) != 0)
		return rc;
	if (h.prog == NULL)
		return 0;
	rc = ingest_auth_message(r, h.prog, h.prog_len, h.msg, h.msg_len, d);
	if (rc != 1)
		return rc;
	o->ts_us = h.ts_us;
	if (h.host != NULL && (o->host = ingest_text(r, h.host,
	    h.host_len)) == NULL)
		return ingest_full(d, 1);
	return 1;
}

const struct ingest_fmt ingest_fmt_syslog = {
	"syslog", NULL, NULL, syslog_read,
};
