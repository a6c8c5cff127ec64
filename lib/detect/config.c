/*
 * The detectors' settings: one table (name, type, default, bounds, help)
 * from which the defaults, the "name = value" parser, cybex_detect_config_set
 * and cybex_detect_config_describe (and so docs/detect.md) all come.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "detect_int.h"

#define CONFIG_TEXT_MAX	(16u << 20)	/* a settings text past 16 MiB */
#define VALUE_MAX	4096		/* one value */

const char *const dt_detector_names[DT_NDETECTORS] = {
	"scan", "bruteforce", "ddos", "beacon", "c2", "phishing", "pharming",
	"defacement", "spam", "coop", "ids",
};

enum stype {
	S_UINT,		/* uint64_t */
	S_REAL,		/* double */
	S_SECONDS,	/* int64_t microseconds, written in seconds */
	S_BOOL,		/* bool */
	S_STRING,	/* char *, replaced */
	S_LIST,		/* struct dt_list, appended (empty value: clear) */
};

/* Check and normalize a string or list value into *out (malloc'd). */
typedef int	(*norm_fn)(const char *v, char **out, char *why, size_t whysz);

struct setting {
	const char	*name;
	enum stype	 type;
	const char	*def;
	double		 min, max;
	size_t		 off;
	norm_fn		 norm;
	const char	*help;
};

static int	norm_detectors(const char *, char **, char *, size_t);
static int	norm_cidr(const char *, char **, char *, size_t);
static int	norm_domain(const char *, char **, char *, size_t);
static int	norm_brand(const char *, char **, char *, size_t);
static int	norm_known(const char *, char **, char *, size_t);
static int	norm_page(const char *, char **, char *, size_t);
static int	norm_words(const char *, char **, char *, size_t);

#define OFF(f)	offsetof(struct cybex_detect_config, f)
#define DAY	86400.0

static const struct setting settings[] = {
	/* general */
	{ "detectors", S_STRING, "all", 0, 0, OFF(detectors), norm_detectors,
	    "detectors to run: all, or a comma list of scan, bruteforce, "
	    "ddos, beacon, c2, phishing, pharming, defacement, spam, coop, "
	    "ids" },
	{ "org", S_STRING, NULL, 0, 0, OFF(org), NULL,
	    "member organization of observations that name none" },
	{ "quiet_period", S_SECONDS, "600", 0, 30 * DAY, OFF(quiet_us), NULL,
	    "seconds before an alert with the same key is raised again" },
	{ "hash_seed", S_UINT, "0", 0, 1e18, OFF(hash_seed),
	    NULL, "key of the tables' hash (0 = random per instance; set it "
	    "to replay with identical evictions)" },
	{ "alert_keys", S_UINT, "65536", 64, 1 << 24, OFF(alert_keys), NULL,
	    "alert keys remembered for the quiet period" },
	{ "home_net", S_LIST, NULL, 0, 0, OFF(home_net), norm_cidr,
	    "the constituency's networks, ADDR[/BITS] (repeatable): beacon "
	    "sources and C2 victims are inside when any is set" },
	{ "allow_address", S_LIST, NULL, 0, 0, OFF(allow_address), norm_cidr,
	    "ADDR[/BITS] never reported as the source of scans, brute force, "
	    "beacons, floods or spam (repeatable; own scanners, relays)" },
	/* scan */
	{ "scan_theta0", S_REAL, "0.8", 0.01, 0.99, OFF(scan_theta0), NULL,
	    "TRW: probability that a benign source's first contact is "
	    "answered" },
	{ "scan_theta1", S_REAL, "0.2", 0.01, 0.99, OFF(scan_theta1), NULL,
	    "TRW: probability that a scanner's first contact is answered "
	    "(below scan_theta0)" },
	{ "scan_pd", S_REAL, "0.99", 0.5, 0.999999, OFF(scan_pd), NULL,
	    "TRW: wanted detection probability (scanner at pd/pf)" },
	{ "scan_pf", S_REAL, "0.001", 1e-9, 0.5, OFF(scan_pf), NULL,
	    "TRW: tolerated false-positive probability (benign at "
	    "(1-pd)/(1-pf))" },
	{ "scan_idle", S_SECONDS, "3600", 1, 30 * DAY, OFF(scan_idle_us), NULL,
	    "a source idle this long starts a new walk" },
	{ "scan_sources", S_UINT, "32768", 64, 1 << 24, OFF(scan_sources),
	    NULL, "sources tracked by the scan detector" },
	/* brute force */
	{ "bf_window", S_SECONDS, "600", 1, 7 * DAY, OFF(bf_window_us), NULL,
	    "sliding window of authentication failures" },
	{ "bf_source_failures", S_UINT, "20", 2, 1e9, OFF(bf_source_failures),
	    NULL, "failures from one source in the window: brute force" },
	{ "bf_account_failures", S_UINT, "30", 2, 1e9,
	    OFF(bf_account_failures), NULL,
	    "failures against one account in the window (any sources): "
	    "brute force" },
	{ "bf_success_after", S_UINT, "10", 1, 1e9, OFF(bf_success_after),
	    NULL, "a success after this many failures in the window: "
	    "unauthorized access" },
	{ "bf_sources", S_UINT, "32768", 64, 1 << 24, OFF(bf_sources), NULL,
	    "sources tracked by the brute-force detector" },
	{ "bf_accounts", S_UINT, "32768", 64, 1 << 24, OFF(bf_accounts), NULL,
	    "accounts tracked by the brute-force detector" },
	{ "privileged_accounts", S_STRING, "root, admin, administrator, toor",
	    0, 0, OFF(privileged_accounts), norm_words,
	    "accounts whose compromise is privileged-account-compromise" },
	/* ddos */
	{ "ddos_interval", S_SECONDS, "10", 1, 3600, OFF(ddos_interval_us),
	    NULL, "length of one measured interval" },
	{ "ddos_warmup", S_UINT, "30", 1, 1e6, OFF(ddos_warmup), NULL,
	    "intervals learned before the baseline is used" },
	{ "ddos_alpha", S_REAL, "0.05", 0.001, 0.5, OFF(ddos_alpha), NULL,
	    "weight of a new interval in the moving mean and variance" },
	{ "ddos_k", S_REAL, "6", 1, 100, OFF(ddos_k), NULL,
	    "alert above mean + k standard deviations" },
	{ "ddos_factor", S_REAL, "4", 1, 1e6, OFF(ddos_factor), NULL,
	    "and above factor times the mean" },
	{ "ddos_min_pps", S_UINT, "1000", 1, 1e12, OFF(ddos_min_pps), NULL,
	    "and above this many packets per second" },
	{ "ddos_min_sources", S_UINT, "10", 1, 1e9, OFF(ddos_min_sources),
	    NULL, "fewer distinct sources: dos rather than ddos" },
	{ "ddos_destinations", S_UINT, "4096", 64, 1 << 22,
	    OFF(ddos_destinations), NULL,
	    "destinations with a learned baseline" },
	/* beacon, c2 */
	{ "beacon_min_intervals", S_UINT, "10", 3, 16,
	    OFF(beacon_min_intervals), NULL,
	    "intervals between connections needed for a beacon" },
	{ "beacon_max_jitter", S_REAL, "0.1", 0, 1, OFF(beacon_max_jitter),
	    NULL, "an interval within this fraction of the median period is "
	    "on time" },
	{ "beacon_min_fraction", S_REAL, "0.8", 0.5, 1,
	    OFF(beacon_min_fraction), NULL,
	    "share of the intervals that must be on time" },
	{ "beacon_min_period", S_SECONDS, "10", 1, DAY, OFF(beacon_min_period_us),
	    NULL, "shortest beacon period" },
	{ "beacon_max_period", S_SECONDS, "86400", 1, 30 * DAY,
	    OFF(beacon_max_period_us), NULL, "longest beacon period" },
	{ "beacon_min_gap", S_SECONDS, "1", 0, 3600, OFF(beacon_min_gap_us),
	    NULL, "connections closer than this to the previous one are one "
	    "burst" },
	{ "beacon_pairs", S_UINT, "65536", 64, 1 << 24, OFF(beacon_pairs), NULL,
	    "source, destination and port pairs tracked" },
	{ "c2_indicator_types", S_STRING,
	    "c2, command-and-control, malicious-activity, botnet", 0, 0,
	    OFF(c2_indicator_types), norm_words,
	    "indicator types or labels whose hits mean an infected system" },
	/* phishing, pharming */
	{ "protected_domain", S_LIST, NULL, 0, 0, OFF(protected_domain),
	    norm_domain, "a domain of the constituency (repeatable); names "
	    "under it are legitimate, look-alikes are phishing" },
	{ "protected_brand", S_LIST, NULL, 0, 0, OFF(protected_brand),
	    norm_brand, "a brand name (repeatable): names containing it, "
	    "or a look-alike of it, are phishing" },
	{ "known_address", S_LIST, NULL, 0, 0, OFF(known_address), norm_known,
	    "NAME ADDR... (repeatable): the addresses a protected name "
	    "resolves to; other DNS answers are pharming" },
	{ "phishing_max_distance", S_UINT, "2", 0, 4,
	    OFF(phishing_max_distance), NULL,
	    "most edits (one per 4 characters of the protected label)" },
	{ "phishing_min_length", S_UINT, "5", 3, 63, OFF(phishing_min_length),
	    NULL, "shorter protected labels and brands are matched for "
	    "homographs only" },
	{ "phishing_tld_swap", S_BOOL, "true", 0, 0, OFF(phishing_tld_swap),
	    NULL, "a protected label under another suffix is phishing" },
	{ "phishing_names", S_UINT, "65536", 64, 1 << 24, OFF(phishing_names),
	    NULL, "names remembered (checked verdicts)" },
	/* defacement */
	{ "monitored_page", S_LIST, NULL, 0, 0, OFF(monitored_page), norm_page,
	    "URL [HASH] (repeatable): a page and its expected content hash "
	    "(without one, the first reported is learned)" },
	{ "defacement_learn_unlisted", S_BOOL, "true", 0, 0,
	    OFF(defacement_learn_unlisted), NULL,
	    "learn and watch pages the checker reports that are not listed" },
	{ "defacement_pages", S_UINT, "4096", 64, 1 << 22,
	    OFF(defacement_pages), NULL, "pages with a learned hash" },
	/* spam */
	{ "spam_window", S_SECONDS, "3600", 1, 7 * DAY, OFF(spam_window_us),
	    NULL, "window of distinct recipients per sending host" },
	{ "spam_recipients", S_UINT, "100", 2, 1e9, OFF(spam_recipients), NULL,
	    "distinct recipients from one host in the window: spam (with "
	    "home_net set, hosts inside it)" },
	{ "spam_senders", S_UINT, "16384", 64, 1 << 22, OFF(spam_senders), NULL,
	    "sending hosts tracked" },
	{ "spam_listed", S_UINT, "65536", 64, 1 << 24, OFF(spam_listed), NULL,
	    "spam-feed entries kept" },
	/* coop */
	{ "coop_min_orgs", S_UINT, "2", 2, 1000, OFF(coop_min_orgs), NULL,
	    "member organizations that must see one source or indicator" },
	{ "coop_keys", S_UINT, "32768", 64, 1 << 24, OFF(coop_keys), NULL,
	    "sources and indicators tracked across members" },
	{ "coop_orgs", S_UINT, "1024", 16, 1 << 20, OFF(coop_orgs), NULL,
	    "member organization names kept" },
	{ NULL, 0, NULL, 0, 0, 0, NULL, NULL },
};

/* ---- lists and strings ---- */

static void
list_clear(struct dt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		cybex_free(l->v[i]);
	cybex_free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
list_add(struct dt_list *l, char *s)
{
	char **v;

	if (l->n >= DT_LIST_MAX)
		return CYBEX_ETOOBIG;
	if ((l->n & (l->n - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow */
		v = cybex_reallocarray(l->v, l->n == 0 ? 1 : l->n * 2,
		    sizeof(*v));
		if (v == NULL)
			return CYBEX_ENOMEM;
		l->v = v;
	}
	l->v[l->n++] = s;
	return 0;
}

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

/* ---- values ---- */

static const struct setting *
find(const char *name)
{
	const struct setting *s;

	for (s = settings; s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static bool
parse_real(const char *v, double *out)
{
	char *end;

	if (*v == '\0' || isspace((unsigned char)*v))
		return false;
	errno = 0;
	*out = strtod(v, &end);
	return errno == 0 && *end == '\0' && isfinite(*out);
}

static bool
parse_uint(const char *v, uint64_t *out)
{
	unsigned long long n;
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = n;
	return true;
}

/* Seconds, possibly fractional, with an optional s/m/h/d unit. */
static bool
parse_seconds(const char *v, double *out)
{
	static const char units[] = "smhd";
	static const double mul[] = { 1, 60, 3600, 86400 };
	const char *u;
	char buf[64];
	size_t n = strlen(v);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, v, n + 1);
	/* buf[n - 1] is not the NUL, so strchr finds a unit or nothing. */
	if ((u = strchr(units, buf[n - 1])) != NULL)
		buf[--n] = '\0';
	if (!parse_real(buf, out) || *out < 0)
		return false;
	if (u != NULL)
		*out *= mul[u - units];
	return true;
}

static int
normalize(const struct setting *s, const char *v, char **out, char *why,
    size_t whysz)
{
	if (s->norm != NULL)
		return s->norm(v, out, why, whysz);
	return dup_out(v, out);
}

static int
apply(struct cybex_detect_config *c, const struct setting *s, const char *v,
    char *why, size_t whysz)
{
	char *base = (char *)c + s->off, *nv = NULL, **sp;
	struct dt_list *l;
	uint64_t u;
	double x;
	int r;

	if (strlen(v) > VALUE_MAX) {
		(void)whyf(why, whysz, "value longer than %u bytes",
		    VALUE_MAX);
		return CYBEX_ETOOBIG;
	}
	switch (s->type) {
	case S_UINT:
		if (!parse_uint(v, &u) || (double)u < s->min ||
		    (double)u > s->max)
			return whyf(why, whysz, "'%.64s' must be a whole number "
			    "from %.0f to %.0f", v, s->min, s->max);
		*(uint64_t *)(void *)base = u;
		break;
	case S_REAL:
		if (!parse_real(v, &x) || x < s->min || x > s->max)
			return whyf(why, whysz, "'%.64s' must be a number from "
			    "%g to %g", v, s->min, s->max);
		*(double *)(void *)base = x;
		break;
	case S_SECONDS:
		if (!parse_seconds(v, &x) || x < s->min || x > s->max)
			return whyf(why, whysz, "'%.64s' must be a duration "
			    "from %g to %g seconds (units s, m, h, d)", v,
			    s->min, s->max);
		*(int64_t *)(void *)base = (int64_t)llround(x * 1e6);
		break;
	case S_BOOL:
		if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
		    strcmp(v, "on") == 0 || strcmp(v, "1") == 0)
			*(bool *)(void *)base = true;
		else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
		    strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
			*(bool *)(void *)base = false;
		else
			return whyf(why, whysz, "'%.64s' must be true or false",
			    v);
		break;
	case S_STRING:
		sp = (char **)(void *)base;
		if (*v != '\0' && (r = normalize(s, v, &nv, why, whysz)) != 0)
			return r;
		cybex_free(*sp);
		*sp = nv;
		if (s->off == OFF(detectors))
			c->enabled = enabled_of(nv);
		break;
	case S_LIST:
		l = (struct dt_list *)(void *)base;
		if (*v == '\0') {
			list_clear(l);
			break;
		}
		if ((r = normalize(s, v, &nv, why, whysz)) != 0)
			return r;
		if ((r = list_add(l, nv)) != 0) {
			cybex_free(nv);
			if (r == CYBEX_ETOOBIG)
				whyf(why, whysz, "more than %u entries",
				    DT_LIST_MAX);
			return r;
		}
		break;
	}
	return 0;
}

int
cybex_detect_config_new(struct cybex_detect_config **out)
{
	struct cybex_detect_config *c;
	const struct setting *s;
	char why[256];
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((c = cybex_calloc(1, sizeof(*c))) == NULL)
		goto out;
	for (s = settings; s->name != NULL; s++) {
		if (s->def == NULL)
			continue;
		if ((r = apply(c, s, s->def, why, sizeof(why))) != 0) {
			cybex_detect_config_free(c);
			goto out;
		}
	}
	*out = c;
	r = 0;
 out:
	return r;
}

void
cybex_detect_config_free(struct cybex_detect_config *c)
{
	const struct setting *s;
	char *base;

	if (c == NULL)
		return;
	for (s = settings; s->name != NULL; s++) {
		base = (char *)c + s->off;
		if (s->type == S_STRING)
			cybex_free(*(char **)(void *)base);
		else if (s->type == S_LIST)
			list_clear((struct dt_list *)(void *)base);
	}
	cybex_free(c);
}

int
dt_config_copy(const struct cybex_detect_config *c,
    struct cybex_detect_config **out)
{
	struct cybex_detect_config *n;
	const struct setting *s;
	const struct dt_list *from;
	struct dt_list *to;
	char **sp, *v;
	size_t i;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((n = cybex_malloc(sizeof(*n))) == NULL)
		goto out;
	*n = *c;
	/* Detach every pointer first, so a failure frees only copies. */
	for (s = settings; s->name != NULL; s++) {
		if (s->type == S_STRING)
			*(char **)(void *)((char *)n + s->off) = NULL;
		else if (s->type == S_LIST)
			memset((char *)n + s->off, 0, sizeof(struct dt_list));
	}
	for (s = settings; s->name != NULL; s++) {
		if (s->type == S_STRING) {
			v = *(char *const *)(const void *)((const char *)c +
			    s->off);
			sp = (char **)(void *)((char *)n + s->off);
			if (v != NULL && (*sp = cybex_strdup(v)) == NULL)
				goto fail;
		} else if (s->type == S_LIST) {
			from = (const struct dt_list *)(const void *)
			    ((const char *)c + s->off);
			to = (struct dt_list *)(void *)((char *)n + s->off);
			for (i = 0; i < from->n; i++) {
				if ((v = cybex_strdup(from->v[i])) == NULL)
					goto fail;
				if (list_add(to, v) != 0) {
					cybex_free(v);
					goto fail;
				}
			}
		}
	}
	*out = n;
	r = 0;
	goto out;
 fail:
	cybex_detect_config_free(n);
 out:
	return r;
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

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
cybex_detect_config_set(struct cybex_detect_config *c, const char *name,
    const char *value, struct cybex_diag *d)
{
	const struct setting *s;
	char why[256];
	int r;

	cybex_diag_clear(d);
	if (c == NULL || name == NULL || value == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "no setting given");
	if ((s = find(name)) == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "unknown setting '%.64s'",
		    name);
	why[0] = '\0';
	if ((r = apply(c, s, value, why, sizeof(why))) != 0)
		cybex_diag_set(d, r, "%s: %s", s->name,
		    why[0] != '\0' ? why : cybex_strerror(r));
	return r;
}

/* Cut a trailing comment: '#' at the start or after a blank. */
static void
uncomment(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

int
cybex_detect_config_parse(struct cybex_detect_config *c, const char *text,
    size_t len, struct cybex_diag *d)
{
	struct cybex_detect_config *n = NULL, tmp;
	const struct setting *s;
	const char *p = text, *end = text + len, *nl;
	char *line = NULL, *l, *eq, *name, *value, why[256];
	unsigned long lineno = 0;
	size_t k;
	int r;

	cybex_diag_clear(d);
	if (c == NULL || (text == NULL && len > 0)) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "no settings given");
		goto out;
	}
	if (len > CONFIG_TEXT_MAX) {
		r = cybex_diag_set(d, CYBEX_ETOOBIG, "settings text over %u "
		    "bytes", CONFIG_TEXT_MAX);
		goto out;
	}
	/* Apply to a copy: on any error nothing is applied. */
	if ((r = dt_config_copy(c, &n)) != 0)
		goto out;
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl != NULL ? nl : end) - p);
		cybex_free(line);
		if ((line = cybex_strndup(p, k)) == NULL) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		p += k + (nl != NULL);
		if (strlen(line) != k) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "NUL byte in line");
			d->line = lineno;
			goto out;
		}
		uncomment(line);
		l = trim(line);
		if (*l == '\0')
			continue;
		if ((eq = strchr(l, '=')) == NULL) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "expected "
			    "'name = value'");
			d->line = lineno;
			d->column = (unsigned long)(l - line) + 1;
			goto out;
		}
		*eq = '\0';
		name = trim(l);
		value = trim(eq + 1);
		if ((s = find(name)) == NULL) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "unknown setting "
			    "'%.64s'", name);
			d->line = lineno;
			d->column = (unsigned long)(name - line) + 1;
			goto out;
		}
		why[0] = '\0';
		if ((r = apply(n, s, value, why, sizeof(why))) != 0) {
			cybex_diag_set(d, r, "%s: %s", s->name,
			    why[0] != '\0' ? why : cybex_strerror(r));
			d->line = lineno;
			d->column = (unsigned long)(value - line) + 1;
			goto out;
		}
	}
	if ((r = dt_config_check(n, d)) != 0)
		goto out;
	/* Swap contents: c gets the new settings, n the old to free. */
	tmp = *c;
	*c = *n;
	*n = tmp;
	r = 0;
 out:
	cybex_free(line);
	cybex_detect_config_free(n);
	return r;
}

static int
describe_value(const struct cybex_detect_config *c, const struct setting *s,
    struct cybex_buf *out)
{
	const char *base = (const char *)c + s->off;
	int64_t us;
	double x;

	switch (s->type) {
	case S_UINT:
		return cybex_buf_printf(out, "%llu", (unsigned long long)
		    *(const uint64_t *)(const void *)base);
	case S_REAL:
		return cybex_buf_printf(out, "%.15g",
		    *(const double *)(const void *)base);
	case S_SECONDS:
		us = *(const int64_t *)(const void *)base;
		if (us % 1000000 == 0)
			return cybex_buf_printf(out, "%lld",
			    (long long)(us / 1000000));
		x = (double)us / 1e6;
		return cybex_buf_printf(out, "%.6f", x);
	case S_BOOL:
		return cybex_buf_puts(out,
		    *(const bool *)(const void *)base ? "true" : "false");
	case S_STRING:
		return cybex_buf_puts(out,
		    *(char *const *)(const void *)base != NULL ?
		    *(char *const *)(const void *)base : "");
	default:
		return 0;
	}
}

static int
describe_help(const struct setting *s, struct cybex_buf *out)
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
	const struct setting *s;
	const struct dt_list *l;
	size_t i;
	int r = 0;

	for (s = settings; s->name != NULL && r == 0; s++) {
		if (s->type == S_LIST) {
			l = (const struct dt_list *)(const void *)
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
		if ((r = describe_value(c, s, out)) != 0)
			break;
		/* An empty value leaves "name = " with a blank: trim it. */
		if (out->len > 0 && out->data[out->len - 1] == ' ')
			cybex_buf_truncate(out, out->len - 1);
		r = describe_help(s, out);
	}
	return r;
}
