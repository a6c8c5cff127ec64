/*
 * The detectors' settings: one table (name, type, default, bounds, help)
 * for the settings engine (include/cybex/settings.h), from which the
 * defaults, the "name = value" parser, cybex_detect_config_set and
 * cybex_detect_config_describe (and so docs/detect.md) all come.  What is
 * the detectors' own here: the checks and normal forms of their strings
 * and lists, and the checks between settings.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "cybex/settings.h"

#include "detect_int.h"

const char *const dt_detector_names[DT_NDETECTORS] = {
	"scan", "bruteforce", "ddos", "beacon", "c2", "phishing", "pharming",
	"defacement", "spam", "coop", "ids",
};

#define S_UINT		CYBEX_SETTING_UINT
#define S_REAL		CYBEX_SETTING_REAL
#define S_SECONDS	CYBEX_SETTING_USEC	/* int64_t microseconds */
#define S_BOOL		CYBEX_SETTING_BOOL
#define S_STRING	CYBEX_SETTING_STRING
#define S_LIST		CYBEX_SETTING_LIST	/* appended; empty: clear */
#define VALUE_MAX	CYBEX_SETTING_VALUE_MAX

static int	norm_detectors(const char *, char **, char *, size_t);
static int	norm_cidr(const char *, char **, char *, size_t);
static int	norm_domain(const char *, char **, char *, size_t);
static int	norm_brand(const char *, char **, char *, size_t);
static int	norm_known(const char *, char **, char *, size_t);
static int	norm_page(const char *, char **, char *, size_t);
static int	norm_words(const char *, char **, char *, size_t);

#define OFF(f)	offsetof(struct cybex_detect_config, f)
#define DAY	86400.0

CYBEX_SETTINGS_TABLE_BEGIN
static const struct cybex_setting settings[] = {
	/* general */
	{ "detectors", S_STRING, "all", 0, 0, 0, OFF(detectors),
	    "detectors to run: all, or a comma list of scan, bruteforce, "
	    "ddos, beacon, c2, phishing, pharming, defacement, spam, coop, "
	    "ids", norm_detectors },
	{ "org", S_STRING, NULL, 0, 0, 0, OFF(org),
	    "member organization of observations that name none", NULL },
	{ "quiet_period", S_SECONDS, "600", 0, 30 * DAY, 0, OFF(quiet_us),
	    "seconds before an alert with the same key is raised again", NULL },
	{ "hash_seed", S_UINT, "0", 0, 1e18, 0, OFF(hash_seed),
	    "key of the tables' hash (0 = random per instance; set it to "
	    "replay with identical evictions)", NULL },
	{ "alert_keys", S_UINT, "65536", 64, 1 << 24, 0, OFF(alert_keys),
	    "alert keys remembered for the quiet period", NULL },
	{ "home_net", S_LIST, NULL, 0, 0, 0, OFF(home_net),
	    "the constituency's networks, ADDR[/BITS] (repeatable): beacon "
	    "sources and C2 victims are inside when any is set", norm_cidr },
	{ "allow_address", S_LIST, NULL, 0, 0, 0, OFF(allow_address),
	    "ADDR[/BITS] never reported as the source of scans, brute force, "
	    "beacons, floods or spam (repeatable; own scanners, relays)",
	    norm_cidr },
	/* scan */
	{ "scan_theta0", S_REAL, "0.8", 0.01, 0.99, 0, OFF(scan_theta0),
	    "TRW: probability that a benign source's first contact is "
	    "answered", NULL },
	{ "scan_theta1", S_REAL, "0.2", 0.01, 0.99, 0, OFF(scan_theta1),
	    "TRW: probability that a scanner's first contact is answered "
	    "(below scan_theta0)", NULL },
	{ "scan_pd", S_REAL, "0.99", 0.5, 0.999999, 0, OFF(scan_pd),
	    "TRW: wanted detection probability (scanner at pd/pf)", NULL },
	{ "scan_pf", S_REAL, "0.001", 1e-9, 0.5, 0, OFF(scan_pf),
	    "TRW: tolerated false-positive probability (benign at "
	    "(1-pd)/(1-pf))", NULL },
	{ "scan_idle", S_SECONDS, "3600", 1, 30 * DAY, 0, OFF(scan_idle_us),
	    "a source idle this long starts a new walk", NULL },
	{ "scan_sources", S_UINT, "32768", 64, 1 << 24, 0, OFF(scan_sources),
	    "sources tracked by the scan detector", NULL },
	/* brute force */
	{ "bf_window", S_SECONDS, "600", 1, 7 * DAY, 0, OFF(bf_window_us),
	    "sliding window of authentication failures", NULL },
	{ "bf_source_failures", S_UINT, "20", 2, 1e9, 0,
	    OFF(bf_source_failures),
	    "failures from one source in the window: brute force", NULL },
	{ "bf_account_failures", S_UINT, "30", 2, 1e9, 0,
	    OFF(bf_account_failures),
	    "failures against one account in the window (any sources): brute "
	    "force", NULL },
	{ "bf_success_after", S_UINT, "10", 1, 1e9, 0, OFF(bf_success_after),
	    "a success after this many failures in the window: unauthorized "
	    "access", NULL },
	{ "bf_sources", S_UINT, "32768", 64, 1 << 24, 0, OFF(bf_sources),
	    "sources tracked by the brute-force detector", NULL },
	{ "bf_accounts", S_UINT, "32768", 64, 1 << 24, 0, OFF(bf_accounts),
	    "accounts tracked by the brute-force detector", NULL },
	{ "privileged_accounts", S_STRING, "root, admin, administrator, toor",
	    0, 0, 0, OFF(privileged_accounts),
	    "accounts whose compromise is privileged-account-compromise",
	    norm_words },
	/* ddos */
	{ "ddos_interval", S_SECONDS, "10", 1, 3600, 0, OFF(ddos_interval_us),
	    "length of one measured interval", NULL },
	{ "ddos_warmup", S_UINT, "30", 1, 1e6, 0, OFF(ddos_warmup),
	    "intervals learned before the baseline is used", NULL },
	{ "ddos_alpha", S_REAL, "0.05", 0.001, 0.5, 0, OFF(ddos_alpha),
	    "weight of a new interval in the moving mean and variance", NULL },
	{ "ddos_k", S_REAL, "6", 1, 100, 0, OFF(ddos_k),
	    "alert above mean + k standard deviations", NULL },
	{ "ddos_factor", S_REAL, "4", 1, 1e6, 0, OFF(ddos_factor),
	    "and above factor times the mean", NULL },
	{ "ddos_min_pps", S_UINT, "1000", 1, 1e12, 0, OFF(ddos_min_pps),
	    "and above this many packets per second", NULL },
	{ "ddos_min_sources", S_UINT, "10", 1, 1e9, 0, OFF(ddos_min_sources),
	    "fewer distinct sources: dos rather than ddos", NULL },
	{ "ddos_destinations", S_UINT, "4096", 64, 1 << 22, 0,
	    OFF(ddos_destinations),
	    "destinations with a learned baseline", NULL },
	/* beacon, c2 */
	{ "beacon_min_intervals", S_UINT, "10", 3, 16, 0,
	    OFF(beacon_min_intervals),
	    "intervals between connections needed for a beacon", NULL },
	{ "beacon_max_jitter", S_REAL, "0.1", 0, 1, 0, OFF(beacon_max_jitter),
	    "an interval within this fraction of the median period is on time",
	    NULL },
	{ "beacon_min_fraction", S_REAL, "0.8", 0.5, 1, 0,
	    OFF(beacon_min_fraction),
	    "share of the intervals that must be on time", NULL },
	{ "beacon_min_period", S_SECONDS, "10", 1, DAY, 0,
	    OFF(beacon_min_period_us),
	    "shortest beacon period", NULL },
	{ "beacon_max_period", S_SECONDS, "86400", 1, 30 * DAY, 0,
	    OFF(beacon_max_period_us),
	    "longest beacon period", NULL },
	{ "beacon_min_gap", S_SECONDS, "1", 0, 3600, 0, OFF(beacon_min_gap_us),
	    "connections closer than this to the previous one are one burst",
	    NULL },
	{ "beacon_pairs", S_UINT, "65536", 64, 1 << 24, 0, OFF(beacon_pairs),
	    "source, destination and port pairs tracked", NULL },
	{ "c2_indicator_types", S_STRING,
	    "c2, command-and-control, malicious-activity, botnet", 0, 0, 0,
	    OFF(c2_indicator_types),
	    "indicator types or labels whose hits mean an infected system",
	    norm_words },
	/* phishing, pharming */
	{ "protected_domain", S_LIST, NULL, 0, 0, 0, OFF(protected_domain),
	    "a domain of the constituency (repeatable); names under it are "
	    "legitimate, look-alikes are phishing", norm_domain },
	{ "protected_brand", S_LIST, NULL, 0, 0, 0, OFF(protected_brand),
	    "a brand name (repeatable): names containing it, or a look-alike "
	    "of it, are phishing", norm_brand },
	{ "known_address", S_LIST, NULL, 0, 0, 0, OFF(known_address),
	    "NAME ADDR... (repeatable): the addresses a protected name "
	    "resolves to; other DNS answers are pharming", norm_known },
	{ "phishing_max_distance", S_UINT, "2", 0, 4, 0,
	    OFF(phishing_max_distance),
	    "most edits (one per 4 characters of the protected label)", NULL },
	{ "phishing_min_length", S_UINT, "5", 3, 63, 0,
	    OFF(phishing_min_length),
	    "shorter protected labels and brands are matched for homographs "
	    "only", NULL },
	{ "phishing_tld_swap", S_BOOL, "true", 0, 0, 0, OFF(phishing_tld_swap),
	    "a protected label under another suffix is phishing", NULL },
	{ "phishing_names", S_UINT, "65536", 64, 1 << 24, 0,
	    OFF(phishing_names),
	    "names remembered (checked verdicts)", NULL },
	/* defacement */
	{ "monitored_page", S_LIST, NULL, 0, 0, 0, OFF(monitored_page),
	    "URL [HASH] (repeatable): a page and its expected content hash "
	    "(without one, the first reported is learned)", norm_page },
	{ "defacement_learn_unlisted", S_BOOL, "true", 0, 0, 0,
	    OFF(defacement_learn_unlisted),
	    "learn and watch pages the checker reports that are not listed",
	    NULL },
	{ "defacement_pages", S_UINT, "4096", 64, 1 << 22, 0,
	    OFF(defacement_pages),
	    "pages with a learned hash", NULL },
	/* spam */
	{ "spam_window", S_SECONDS, "3600", 1, 7 * DAY, 0, OFF(spam_window_us),
	    "window of distinct recipients per sending host", NULL },
	{ "spam_recipients", S_UINT, "100", 2, 1e9, 0, OFF(spam_recipients),
	    "distinct recipients from one host in the window: spam (with "
	    "home_net set, hosts inside it)", NULL },
	{ "spam_senders", S_UINT, "16384", 64, 1 << 22, 0, OFF(spam_senders),
	    "sending hosts tracked", NULL },
	{ "spam_listed", S_UINT, "65536", 64, 1 << 24, 0, OFF(spam_listed),
	    "spam-feed entries kept", NULL },
	/* coop */
	{ "coop_min_orgs", S_UINT, "2", 2, 1000, 0, OFF(coop_min_orgs),
	    "member organizations that must see one source or indicator",
	    NULL },
	{ "coop_keys", S_UINT, "32768", 64, 1 << 24, 0, OFF(coop_keys),
	    "sources and indicators tracked across members", NULL },
	{ "coop_orgs", S_UINT, "1024", 16, 1 << 20, 0, OFF(coop_orgs),
	    "member organization names kept", NULL },
	{ NULL, 0, NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};
CYBEX_SETTINGS_TABLE_END

/* ---- checks of strings and lists ---- */

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

bool
dt_list_has(const char *s, const char *w)
{
	size_t n = strlen(w), k;

	if (s == NULL)
		return false;
	while (*s != '\0') {
		while (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		k = strcspn(s, ", \t");
		if (k == n && k > 0 && strncasecmp(s, w, n) == 0)
			return true;
		s += k;
	}
	return false;
}

static int
whyf(char *why, size_t whysz, const char *fmt, ...) CYBEX_PRINTF(3, 4);

static int
whyf(char *why, size_t whysz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whysz, fmt, ap);
	va_end(ap);
	return CYBEX_EINVAL;
}

static int
dup_out(const char *v, char **out)
{
	if ((*out = cybex_strdup(v)) == NULL)
		return CYBEX_ENOMEM;
	return 0;
}

/* "a, b ,c" as "a, b, c", lower case; words are [a-z0-9._-]. */
static int
norm_words(const char *v, char **out, char *why, size_t whysz)
{
	struct cybex_buf b;
	size_t k;
	int r;

	cybex_buf_init(&b, VALUE_MAX);
	r = cybex_buf_puts(&b, "");
	while (r == 0 && *v != '\0') {
		while (*v == ',' || isspace((unsigned char)*v))
			v++;
		k = strcspn(v, ", \t");
		if (k == 0)
			break;
		if (b.len > 0)
			r = cybex_buf_puts(&b, ", ");
		if (r == 0)
			r = cybex_buf_append(&b, v, k);
		v += k;
	}
	if (r != 0) {
		cybex_buf_free(&b);
		return r;
	}
	lower(b.data);
	*out = b.data;
	(void)why;
	(void)whysz;
	return 0;
}

static int
norm_detectors(const char *v, char **out, char *why, size_t whysz)
{
	const char *p = v;
	size_t k, i;

	while (*p != '\0') {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if ((k = strcspn(p, ", \t")) == 0)
			break;
		for (i = 0; i < DT_NDETECTORS; i++)
			if (strlen(dt_detector_names[i]) == k &&
			    strncasecmp(p, dt_detector_names[i], k) == 0)
				break;
		if (i == DT_NDETECTORS && !(k == 3 &&
		    strncasecmp(p, "all", 3) == 0) && !(k == 4 &&
		    strncasecmp(p, "none", 4) == 0))
			return whyf(why, whysz, "unknown detector '%.*s'",
			    (int)(k > 64 ? 64 : k), p);
		p += k;
	}
	return norm_words(v, out, why, whysz);
}

static unsigned
enabled_of(const char *s)
{
	unsigned m = 0;
	size_t i;

	if (dt_list_has(s, "all"))
		return (1u << DT_NDETECTORS) - 1;
	for (i = 0; i < DT_NDETECTORS; i++)
		if (dt_list_has(s, dt_detector_names[i]))
			m |= 1u << i;
	return m;
}

static int
norm_cidr(const char *v, char **out, char *why, size_t whysz)
{
	struct dt_cidr c;

	if (dt_cidr_parse(v, &c) != 0)
		return whyf(why, whysz, "'%.64s' is not an address or "
		    "ADDR/BITS prefix", v);
	return dup_out(v, out);
}

/* A host name as lower-case ASCII (IDNs as A-labels), or an error. */
static int
norm_domain(const char *v, char **out, char *why, size_t whysz)
{
	char *a = NULL;
	const char *p;
	size_t n;
	bool ascii = true;
	int r;

	*out = NULL;
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = false;
	if (!ascii) {
		if (idn2_to_ascii_8z(v, &a, IDN2_NFC_INPUT |
		    IDN2_NONTRANSITIONAL) != IDN2_OK)
			return whyf(why, whysz, "'%.64s' is not a valid "
			    "internationalized domain name", v);
		r = dup_out(a, out);
		idn2_free(a);
		if (r != 0)
			return r;
	} else if ((r = dup_out(v, out)) != 0)
		return r;
	lower(*out);
	n = strlen(*out);
	if (n > 0 && (*out)[n - 1] == '.')
		(*out)[--n] = '\0';
	if (!cybex_domain_check(*out, n, 0))
		goto bad;
	return 0;
 bad:
	cybex_free(*out);
	*out = NULL;
	return whyf(why, whysz, "'%.64s' is not a domain name", v);
}

static int
norm_brand(const char *v, char **out, char *why, size_t whysz)
{
	size_t n = strlen(v);

	if (n < 3 || n > 63)
		return whyf(why, whysz, "a brand must have 3 to 63 bytes");
	if (strpbrk(v, " \t.") != NULL)
		return whyf(why, whysz, "a brand is one word without dots");
	if (dup_out(v, out) != 0)
		return CYBEX_ENOMEM;
	lower(*out);
	return 0;
}

static int
norm_known(const char *v, char **out, char *why, size_t whysz)
{
	struct cybex_buf b;
	struct cybex_ip ip;
	char tok[128], *name = NULL;
	size_t k;
	int r, naddr = 0;

	cybex_buf_init(&b, VALUE_MAX);
	k = strcspn(v, " \t");
	if (k == 0 || k >= sizeof(tok)) {
		r = whyf(why, whysz, "expected NAME ADDR...");
		goto out;
	}
	memcpy(tok, v, k);
	tok[k] = '\0';
	if ((r = norm_domain(tok, &name, why, whysz)) != 0)
		goto out;
	if ((r = cybex_buf_puts(&b, name)) != 0)
		goto out;
	v += k;
	for (;;) {
		while (isspace((unsigned char)*v))
			v++;
		if (*v == '\0')
			break;
		k = strcspn(v, " \t");
		if (k >= sizeof(tok)) {
			r = whyf(why, whysz, "address too long");
			goto out;
		}
		memcpy(tok, v, k);
		tok[k] = '\0';
		if (cybex_ip_parse(tok, strlen(tok), &ip) != 0) {
			r = whyf(why, whysz, "'%s' is not an IPv4 or IPv6 "
			    "address", tok);
			goto out;
		}
		if ((r = cybex_buf_printf(&b, " %s", tok)) != 0)
			goto out;
		naddr++;
		v += k;
	}
	if (naddr == 0) {
		r = whyf(why, whysz, "expected NAME ADDR...: no address");
		goto out;
	}
	*out = b.data;
	b.data = NULL;
	r = 0;
 out:
	cybex_free(name);
	cybex_buf_free(&b);
	return r;
}

static int
norm_page(const char *v, char **out, char *why, size_t whysz)
{
	const char *h;
	size_t k, n, i;
	char *s;

	k = strcspn(v, " \t");
	if (k == 0 || k > 2048)
		return whyf(why, whysz, "expected URL [HASH]");
	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
		return whyf(why, whysz, "'%.64s' is not an http(s) URL", v);
	h = v + k;
	while (isspace((unsigned char)*h))
		h++;
	n = strlen(h);
	if (n > 0) {
		if (strpbrk(h, " \t") != NULL || n < 32 || n > 128 || n % 2)
			return whyf(why, whysz, "the hash must be 32 to 128 hex "
			    "digits");
		for (i = 0; i < n; i++)
			if (cybex_hexval((unsigned char)h[i]) < 0)
				return whyf(why, whysz, "the hash must be hex "
				    "digits");
	}
	if ((s = cybex_malloc(k + 1 + n + 1)) == NULL)
		return CYBEX_ENOMEM;
	memcpy(s, v, k);
	s[k] = '\0';
	if (n > 0) {
		s[k] = ' ';
		memcpy(s + k + 1, h, n + 1);
		lower(s + k + 1);
	}
	*out = s;
	return 0;
}

/* ---- the config ---- */

int
cybex_detect_config_new(struct cybex_detect_config **out)
{
	struct cybex_detect_config *c;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((c = cybex_calloc(1, sizeof(*c))) == NULL)
		goto out;
	if ((r = cybex_settings_defaults(settings, c, NULL, NULL)) != 0) {
		cybex_detect_config_free(c);
		goto out;
	}
	c->enabled = enabled_of(c->detectors);
	*out = c;
	r = 0;
 out:
	return r;
}

void
cybex_detect_config_free(struct cybex_detect_config *c)
{
	if (c == NULL)
		return;
	cybex_settings_free(settings, c, NULL);
	cybex_free(c);
}

int
dt_config_copy(const struct cybex_detect_config *c,
    struct cybex_detect_config **out)
{
	struct cybex_detect_config *n;

	*out = NULL;
	if ((n = cybex_malloc(sizeof(*n))) == NULL)
		return CYBEX_ENOMEM;
	if (cybex_settings_copy(settings, n, c, sizeof(*n)) != 0) {
		cybex_free(n);
		return CYBEX_ENOMEM;
	}
	*out = n;
	return 0;
}

int
dt_config_check(const struct cybex_detect_config *c, struct cybex_diag *d)
{
	int r = CYBEX_EINVAL;

	if (c->scan_theta1 >= c->scan_theta0) {
		cybex_diag_set(d, r, "scan_theta1 (%g) must be below "
		    "scan_theta0 (%g)", c->scan_theta1, c->scan_theta0);
		goto out;
	}
	if (c->scan_pf >= c->scan_pd) {
		cybex_diag_set(d, r, "scan_pf (%g) must be below scan_pd (%g)",
		    c->scan_pf, c->scan_pd);
		goto out;
	}
	if (c->beacon_min_period_us > c->beacon_max_period_us) {
		cybex_diag_set(d, r, "beacon_min_period must not exceed "
		    "beacon_max_period");
		goto out;
	}
	r = 0;
 out:
	return r;
}

int
cybex_detect_config_set(struct cybex_detect_config *c, const char *name,
    const char *value, struct cybex_diag *d)
{
	int r;

	cybex_diag_clear(d);
	if (c == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "no setting given");
	r = cybex_settings_set(settings, c, name, value, NULL, NULL, d);
	c->enabled = enabled_of(c->detectors);
	return r;
}

int
cybex_detect_config_parse(struct cybex_detect_config *c, const char *text,
    size_t len, struct cybex_diag *d)
{
	struct cybex_detect_config *n = NULL, tmp;
	int r;

	cybex_diag_clear(d);
	if (c == NULL || (text == NULL && len > 0)) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "no settings given");
		goto out;
	}
	/* Apply to a copy: on any error nothing is applied. */
	if ((r = dt_config_copy(c, &n)) != 0)
		goto out;
	if ((r = cybex_settings_parse(settings, n, text, len, NULL, NULL,
	    d)) != 0)
		goto out;
	n->enabled = enabled_of(n->detectors);
	if ((r = dt_config_check(n, d)) != 0)
		goto out;
	/* Swap contents: c gets the new settings, n the old to free. */
	tmp = *c;
	*c = *n;
	*n = tmp;
	r = 0;
 out:
	cybex_detect_config_free(n);
	return r;
}

static int
describe_help(const struct cybex_setting *s, struct cybex_buf *out)
{
	int r;

	if ((r = cybex_buf_printf(out, "  # %s", s->help)) != 0)
		return r;
	switch (s->type) {
	case S_UINT:
		return cybex_buf_printf(out, " [%.0f..%.0f]\n", s->min, s->max);
	case S_REAL:
		return cybex_buf_printf(out, " [%.15g..%.15g]\n", s->min,
		    s->max);
	case S_SECONDS:
		return cybex_buf_printf(out, " [%.15g..%.15g s]\n", s->min,
		    s->max);
	default:
		return cybex_buf_puts(out, "\n");
	}
}

int
cybex_detect_config_describe(const struct cybex_detect_config *c,
    struct cybex_buf *out)
{
	const struct cybex_setting *s;
	const struct cybex_setting_list *l;
	size_t i;
	int r = 0;

	for (s = settings; s->name != NULL && r == 0; s++) {
		if (s->type == S_LIST) {
			l = (const struct cybex_setting_list *)(const void *)
			    ((const char *)c + s->off);
			for (i = 0; i < l->n && r == 0; i++) {
				r = cybex_buf_printf(out, "%s = %s", s->name,
				    l->v[i]);
				if (r == 0)
					r = describe_help(s, out);
			}
			if (l->n > 0 || r != 0)
				continue;
			if ((r = cybex_buf_printf(out, "%s =", s->name)) == 0)
				r = describe_help(s, out);
			continue;
		}
		if ((r = cybex_buf_printf(out, "%s = ", s->name)) != 0)
			break;
		if ((r = cybex_settings_format(s, c, out)) != 0)
			break;
		/* An empty value leaves "name = " with a blank: trim it. */
		if (out->len > 0 && out->data[out->len - 1] == ' ')
			cybex_buf_truncate(out, out->len - 1);
		r = describe_help(s, out);
	}
	return r;
}
