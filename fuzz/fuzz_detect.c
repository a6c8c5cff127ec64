/*
 * Fuzz target: the detectors' settings parser and the detectors.
 *
 * The input is settings text, then a line "%%", then bytes that are read
 * as a stream of observations (a kind, a time step, addresses, ports,
 * counts, and strings from a small dictionary or made of the input's
 * bytes, mapped to domain-name characters so they stay valid UTF-8 as the
 * observation contract says).  Invariants:
 *   - parsing fails only with CYBEX_EINVAL, CYBEX_ETOOBIG or
 *     CYBEX_ENOMEM, with a line number inside the text;
 *   - accepted settings describe to text that parses back to the same
 *     description (a fixed point);
 *   - observe, hit and tick return 0 (the callback never stops them);
 *   - every alert has its fields, at most 8 parties, an evidence object
 *     and a severity of 1..4;
 *   - the memory the detectors hold never changes while they run.
 * The tables are forced small so each input runs fast.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/detect.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void	die(const char *what) __attribute__((noreturn));

static void
die(const char *what)
{
	fprintf(stderr, "fuzz_detect: %s\n", what);
	abort();
}

static const char *const caps[] = {
	"scan_sources", "bf_sources", "bf_accounts", "ddos_destinations",
	"beacon_pairs", "phishing_names", "defacement_pages", "spam_senders",
	"spam_listed", "coop_keys", "alert_keys", NULL,
};

static const char *const dict[] = {
	"northbank.example", "www.northbank.example", "paypa1.com",
	"xn--pypal-4ve.com", "northbank-login.com", "root", "alice",
	"https://www.northbank.example/", "spam", "c2", "org-a", "org-b",
	"xn--", "a..b", ".", "", "xn--bcher-kva.example", "paypal",
	"0123456789abcdef0123456789abcdef", "sha256:00", "203.0.113.9",
	"10.0.0.0/8", "example.co.uk", "1b", "14", "established",
};

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static unsigned
byte(struct in *in)
{
	unsigned v;

	if (in->n == 0)
		return 0;
	v = in->p[0];
	in->p++;
	in->n--;
	return v;
}

/* A string: from the dictionary, or input bytes as name characters. */
static const char *
str(struct in *in, char *buf, size_t bufsz)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789.-@:/";
	unsigned sel = byte(in), n, i;

	if (sel < 160)
		return dict[sel % (sizeof(dict) / sizeof(dict[0]))];
	if (sel < 176)
		return NULL;
	n = byte(in) % (unsigned)bufsz;
	for (i = 0; i < n; i++)
		buf[i] = chars[byte(in) % (sizeof(chars) - 1)];
	buf[n] = '\0';
	return buf;
}

static void
ip(struct in *in, struct cybex_ip *out)
{
	unsigned sel = byte(in), i;

	memset(out, 0, sizeof(*out));
	if (sel % 4 == 0)
		return;
	out->family = sel % 4 == 3 ? 6 : 4;
	if (sel < 128) {
		/* A few addresses, so state builds up. */
		out->a[0] = out->family == 4 ? 10 : 0x20;
		out->a[3] = (uint8_t)(sel % 8);
		return;
	}
	for (i = 0; i < (out->family == 4 ? 4u : 16u); i++)
		out->a[i] = (uint8_t)byte(in);
}

static int
check_alert(void *ud, const struct cybex_alert *a)
{
	size_t i;

	(void)ud;
	if (a->detector == NULL || a->taxonomy_class == NULL ||
	    a->taxonomy_type == NULL || a->key == NULL || a->summary == NULL)
		die("an alert field is NULL");
	if (a->n_parties > CYBEX_ALERT_PARTIES_MAX)
		die("too many parties");
	for (i = 0; i < a->n_parties; i++)
		if (a->parties[i].kind == NULL || a->parties[i].value == NULL)
			die("a party without kind or value");
	if (!json_is_object(a->evidence))
		die("evidence is not an object");
	if (a->severity < 1 || a->severity > 4)
		die("severity out of range");
	return 0;
}

static void
settings(const uint8_t *data, size_t len, struct cybex_detect_config **out)
{
	struct cybex_detect_config *c, *c2 = NULL;
	struct cybex_buf b1, b2;
	struct cybex_diag d;
	unsigned long lines = 1;
	size_t i;
	int r;

	if (cybex_detect_config_new(&c) != 0)
		die("config_new");
	for (i = 0; i < len; i++)
		lines += data[i] == '\n';
	r = cybex_detect_config_parse(c, (const char *)data, len, &d);
	if (r != 0 && r != CYBEX_EINVAL && r != CYBEX_ETOOBIG &&
	    r != CYBEX_ENOMEM)
		die("unexpected error code from parse");
	if (r != 0 && d.line > lines)
		die("error line past the text");
	cybex_buf_init(&b1, 0);
	cybex_buf_init(&b2, 0);
	if (cybex_detect_config_describe(c, &b1) != 0 ||
	    cybex_detect_config_new(&c2) != 0 ||
	    cybex_detect_config_parse(c2, b1.data, b1.len, &d) != 0 ||
	    cybex_detect_config_describe(c2, &b2) != 0)
		die("described settings do not parse back");
	if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
		die("describe is not a fixed point");
	cybex_detect_config_free(c2);
	cybex_buf_free(&b1);
	cybex_buf_free(&b2);
	for (i = 0; caps[i] != NULL; i++)
		if (cybex_detect_config_set(c, caps[i], "64", &d) != 0)
			die("cannot cap a table");
	(void)cybex_detect_config_set(c, "coop_orgs", "16", &d);
	*out = c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "c2", "phishing", NULL };
	struct cybex_detect_config *c;
	struct cybex_detect *dt;
	struct cybex_detect_stats s0, s;
	struct cybex_diag d;
	struct cybex_obs o;
	struct in in;
	const uint8_t *sep = NULL;
	char b[12][40];
	int64_t now = 1709251200000000LL;
	size_t i, k, cfglen = size;

	for (i = 0; i + 4 <= size; i++)
		if (memcmp(data + i, "\n%%\n", 4) == 0) {
			sep = data + i;
			break;
		}
	if (sep != NULL)
		cfglen = (size_t)(sep - data) + 1;
	settings(data, cfglen, &c);
	if (cybex_detect_new(c, &dt, &d) != 0) {
		/* Only the checks between settings may refuse. */
		if (d.code != CYBEX_EINVAL)
			die("detect_new failed");
		cybex_detect_config_free(c);
		return 0;
	}
	cybex_detect_config_free(c);
	cybex_detect_stats(dt, &s0);
	in.p = sep != NULL ? sep + 4 : data + size;
	in.n = (size_t)(data + size - in.p);
	while (in.n > 0) {
		memset(&o, 0, sizeof(o));
		o.kind = (enum cybex_obs_kind)(byte(&in) % CYBEX_OBS_KIND_MAX);
		now += (int64_t)(byte(&in) * byte(&in)) * 100000;
		o.ts_us = now;
		o.org = str(&in, b[0], sizeof(b[0]));
		ip(&in, &o.src_ip);
		ip(&in, &o.dst_ip);
		o.has_dst_port = byte(&in) & 1;
		o.dst_port = (uint16_t)(byte(&in) << 8 | byte(&in));
		o.pkts_to_server = byte(&in);
		o.pkts_to_client = byte(&in) % 3;
		o.bytes_to_client = o.pkts_to_client * 100;
		o.tcp_flags = str(&in, b[1], sizeof(b[1]));
		o.flow_state = str(&in, b[2], sizeof(b[2]));
		o.dns_query = str(&in, b[3], sizeof(b[3]));
		o.http_host = str(&in, b[4], sizeof(b[4]));
		o.tls_sni = str(&in, b[5], sizeof(b[5]));
		o.n_answers = byte(&in) % 3;
		for (k = 0; k < o.n_answers; k++) {
			o.answers[k].rrname = o.dns_query;
			o.answers[k].rrtype = "A";
			ip(&in, &o.answers[k].ip);
		}
		o.mail_from = str(&in, b[6], sizeof(b[6]));
		o.n_rcpt = byte(&in) % 3;
		o.n_rcpt_total = o.n_rcpt + byte(&in) % 2;
		for (k = 0; k < o.n_rcpt; k++)
			o.rcpt[k] = str(&in, b[7 + k], sizeof(b[7 + k]));
		o.auth = (enum cybex_auth_result)(byte(&in) % 7);
		o.user = str(&in, b[9], sizeof(b[9]));
		o.host = str(&in, b[10], sizeof(b[10]));
		o.url = o.http_host;
		o.page_hash = str(&in, b[11], sizeof(b[11]));
		o.listed_value = o.mail_from;
		o.list_category = "spam";
		if (cybex_detect_observe(dt, &o, check_alert, NULL) != 0)
			die("observe failed");
		if ((byte(&in) & 7) == 0 && cybex_detect_hit(dt, &o,
		    "indicator--f", types, check_alert, NULL) != 0)
			die("hit failed");
	}
	if (cybex_detect_tick(dt, now + 3600000000LL, check_alert, NULL) != 0)
		die("tick failed");
	cybex_detect_stats(dt, &s);
	if (s.memory != s0.memory || s.memory > s.memory_cap)
		die("memory changed");
	cybex_detect_free(dt);
	return 0;
}
