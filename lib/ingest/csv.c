/*
 * Blocklist feeds: CSV (RFC 4180 quoting) described by a mapping, or plain
 * text with one value per line.  Each entry is an observation of kind
 * CYBEX_OBS_LISTED with the value, its indicator type, the feed's name and
 * category.
 *
 * The mapping is a small text of "key = value" lines ('#' comments):
 *   column       1-based column of the value (required for CSV)
 *   type         ipv4-addr | ipv6-addr | domain-name | url | email-addr |
 *                file-md5 | file-sha1 | file-sha256 | auto (default auto)
 *   delimiter    one character, or "tab" / "space" (default ",")
 *   comment      prefix of comment lines (default "#"; "" = none)
 *   skip_header  yes | no: the first record is a header (default no)
 *   name         the feed's name (list_name)
 *   category     what the feed lists: "spam", "c2", ... (list_category)
 *   time_column  1-based column of the entry's time (optional)
 *   time_format  rfc3339 | epoch | epoch_ms | a pattern of %Y %m %d %H %M
 *                %S %b %z and literal characters (default rfc3339)
 *
 * A quoted field cannot span lines (records are lines): such a record is
 * an error at the opening quote.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

#define FIELD_MAX	64	/* bytes of a mapping value */

enum vtype {
	V_AUTO = 0, V_IPV4, V_IPV6, V_DOMAIN, V_URL, V_EMAIL, V_MD5, V_SHA1,
	V_SHA256
};

static const char *const vnames[] = {
	"auto", "ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr",
	"file-md5", "file-sha1", "file-sha256",
};

enum tfmt { TF_RFC3339 = 0, TF_EPOCH, TF_EPOCH_MS, TF_PATTERN };

struct csv {
	bool		 plain;		/* no mapping: one value per line */
	unsigned	 column;	/* 1-based */
	enum vtype	 type;
	char		 delim;
	char		 comment[FIELD_MAX];
	bool		 skip_header;
	bool		 header_seen;
	char		*name;
	char		*category;
	unsigned	 time_column;	/* 0 = none */
	enum tfmt	 tfmt;
	char		 pattern[FIELD_MAX];
};

/* ---- values ---- */

/* IP with an optional /prefix; family 4 or 6, 0 if it is not one. */
static int
ip_or_cidr(const char *s, size_t n)
{
	struct cybex_ip ip;
	const char *sl;
	uint64_t pl;
	size_t an = n;

	if ((sl = memchr(s, '/', n)) != NULL)
		an = (size_t)(sl - s);
	if (cybex_ip_parse(s, an, &ip) != 0)
		return 0;
	if (sl != NULL && ingest_uint(sl + 1, n - an - 1, ip.family == 4 ?
	    32 : 128, &pl) != 0)
		return 0;
	return ip.family;
}

/* A feed's domain: the rule of cybex_domain_check, two labels at least. */
static bool
is_domain(const char *s, size_t n)
{
	return cybex_domain_check(s, n, CYBEX_DOMAIN_DOTTED);
}

static bool
is_url(const char *s, size_t n)
{
	const char *p = ingest_memmem(s, n, "://");
	size_t i;

	if (p == NULL || (size_t)(p - s) + 3 >= n ||
	    !ingest_is_scheme(s, (size_t)(p - s)))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

static bool
is_email(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);
	size_t i;

	if (at == NULL || at == s || memchr(at + 1, '@', n - (size_t)(at + 1 -
	    s)) != NULL)
		return false;
	for (i = 0; s + i < at; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '<' || s[i] == '>' ||
		    s[i] == 0x7f)
			return false;
	return is_domain(at + 1, n - (size_t)(at + 1 - s));
}

static enum vtype
guess(const char *s, size_t n)
{
	int fam;

	if ((fam = ip_or_cidr(s, n)) != 0)
		return fam == 4 ? V_IPV4 : V_IPV6;
	if (is_url(s, n))
		return V_URL;
	if (memchr(s, '@', n) != NULL)
		return is_email(s, n) ? V_EMAIL : V_AUTO;
	if (ingest_is_hex(s, n) && (n == 32 || n == 40 || n == 64))
		return n == 32 ? V_MD5 : n == 40 ? V_SHA1 : V_SHA256;
	if (is_domain(s, n))
		return V_DOMAIN;
	return V_AUTO;
}

/* Check value s[0..n) against type t and put it in the observation. */
static int
listed(struct cybex_ingest_reader *r, struct csv *c, enum vtype t,
    const char *s, size_t n, size_t col, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	const char *v;
	bool ok;

	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
		col++;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return ingest_err(d, CYBEX_EFORMAT, col, "empty value");
	/* A domain written with its root dot. */
	if ((t == V_AUTO || t == V_DOMAIN) && n > 1 && s[n - 1] == '.' &&
	    is_domain(s, n - 1)) {
		t = V_DOMAIN;
		n--;
	}
	if (t == V_AUTO && (t = guess(s, n)) == V_AUTO)
		return ingest_err(d, CYBEX_EFORMAT, col, "cannot tell what "
		    "\"%.*s\" is (not an IP address, CIDR, domain, URL, "
		    "e-mail address or hash)", n > 64 ? 64 : (int)n, s);
	switch (t) {
	case V_IPV4:
		ok = ip_or_cidr(s, n) == 4;
		break;
	case V_IPV6:
		ok = ip_or_cidr(s, n) == 6;
		break;
	case V_DOMAIN:
		ok = is_domain(s, n);
		break;
	case V_URL:
		ok = is_url(s, n);
		break;
	case V_EMAIL:
		ok = is_email(s, n);
		break;
	case V_MD5:
		ok = n == 32 && ingest_is_hex(s, n);
		break;
	case V_SHA1:
		ok = n == 40 && ingest_is_hex(s, n);
		break;
	default:
		ok = n == 64 && ingest_is_hex(s, n);
		break;
	}
	if (!ok)
		return ingest_err(d, CYBEX_EFORMAT, col, "\"%.*s\" is not a "
		    "valid %s", n > 64 ? 64 : (int)n, s, vnames[t]);
	if (t == V_DOMAIN || t == V_MD5 || t == V_SHA1 || t == V_SHA256 ||
	    t == V_IPV6)
		v = ingest_strdup_lower(r, s, n);
	else
		v = ingest_text(r, s, n);
	if (v == NULL)
		return ingest_full(d, col);
	o->kind = CYBEX_OBS_LISTED;
	o->source_type = c->plain ? "blocklist" : "csv";
	o->listed_value = v;
	o->listed_type = vnames[t];
	o->list_name = c->name;
	o->list_category = c->category;
	if (t == V_IPV4 || t == V_IPV6) {
		/* A plain address (not a network) is also the source. */
		if (memchr(s, '/', n) == NULL)
			(void)ingest_set_ip(r, &o->src_ip, &o->src_ip_text, s,
			    n);
	} else if (t == V_URL) {
		o->url = v;
		if (ingest_url_host(r, v, &o->http_host) != 0)
			return ingest_full(d, col);
	} else if (t == V_DOMAIN) {
		o->dns_query = v;
	} else if (t == V_MD5) {
		o->md5 = v;
	} else if (t == V_SHA1) {
		o->sha1 = v;
	} else if (t == V_SHA256) {
		o->sha256 = v;
	} else if (t == V_EMAIL) {
		o->mail_from = v;
	}
	return 1;
}

/* ---- time ---- */

static bool
epoch(const char *s, size_t n, bool ms, int64_t *us)
{
	const char *dot = memchr(s, '.', n);
	uint64_t whole, frac = 0, scale;
	size_t wn = dot != NULL ? (size_t)(dot - s) : n, i, fd;

	if (ingest_uint(s, wn, ms ? (uint64_t)INT64_MAX / 1000 :
	    (uint64_t)INT64_MAX / 1000000, &whole) != 0)
		return false;
	if (dot != NULL) {
		fd = n - wn - 1;
		if (fd == 0 || fd > 9)
			return false;
		for (i = 0; i < fd; i++) {
			if (dot[1 + i] < '0' || dot[1 + i] > '9')
				return false;
			frac = frac * 10 + (uint64_t)(dot[1 + i] - '0');
		}
		for (scale = 1; fd > 0; fd--)
			scale *= 10;
		frac = frac * (ms ? 1000 : 1000000) / scale;
	}
	*us = (int64_t)(whole * (ms ? 1000 : 1000000) + frac);
	return true;
}

static bool
pattern_time(const char *pat, const char *s, size_t n, int64_t *us)
{
	unsigned v[6] = { 0, 1, 1, 0, 0, 0 }, k, w, oh, om;
	int64_t off = 0;
	size_t i = 0;
	char m3[4];
	const char *p;
	int idx;

	for (p = pat; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '%') {
			if (p[0] == '%')
				p++;
			if (i >= n || s[i] != *p)
				return false;
			i++;
			continue;
		}
		p++;
		idx = -1;
		switch (*p) {
		case 'Y': idx = 0; w = 4; break;
		case 'm': idx = 1; w = 2; break;
		case 'd': idx = 2; w = 2; break;
		case 'H': idx = 3; w = 2; break;
		case 'M': idx = 4; w = 2; break;
		case 'S': idx = 5; w = 2; break;
		case 'b':
			if (n - i < 3)
				return false;
			memcpy(m3, s + i, 3);
			m3[3] = '\0';
			if ((v[1] = ingest_month_parse(m3)) == 0)
				return false;
			i += 3;
			continue;
		case 'z':
			if (n - i < 5 || (s[i] != '+' && s[i] != '-'))
				return false;
			for (oh = om = 0, k = 1; k < 5; k++) {
				if (s[i + k] < '0' || s[i + k] > '9')
					return false;
				if (k < 3)
					oh = oh * 10 + (unsigned)(s[i + k] - '0');
				else
					om = om * 10 + (unsigned)(s[i + k] - '0');
			}
			off = (int64_t)oh * 3600 + om * 60;
			if (s[i] == '-')
				off = -off;
			i += 5;
			continue;
		default:
			return false;
		}
		if (n - i < w)
			return false;
		for (v[idx] = 0, k = 0; k < w; k++) {
			if (s[i + k] < '0' || s[i + k] > '9')
				return false;
			v[idx] = v[idx] * 10 + (unsigned)(s[i + k] - '0');
		}
		i += w;
	}
	if (i != n || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > cybex_month_days(v[0], v[1]) || v[3] > 23 || v[4] > 59 ||
	    v[5] > 60)
		return false;
	*us = (cybex_days_from_civil(v[0], v[1], v[2]) * 86400 +
	    v[3] * 3600 + v[4] * 60 + (v[5] == 60 ? 59 : v[5]) - off) *
	    1000000;
	return true;
}

static int
entry_time(struct cybex_ingest_reader *r, struct csv *c, const char *s,
    size_t n, size_t col, struct cybex_diag *d)
{
	size_t end;
	bool ok;

	while (n > 0 && s[0] == ' ') {
		s++;
		n--;
		col++;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	switch (c->tfmt) {
	case TF_EPOCH:
	case TF_EPOCH_MS:
		ok = epoch(s, n, c->tfmt == TF_EPOCH_MS, &r->obs.ts_us);
		break;
	case TF_PATTERN:
		ok = pattern_time(c->pattern, s, n, &r->obs.ts_us);
		break;
	default:
		ok = ingest_iso_time(s, n, true, &r->obs.ts_us, &end) == 0 &&
		    end == n;
		break;
	}
	if (!ok)
		return ingest_err(d, CYBEX_EFORMAT, col, "bad time \"%.*s\" "
		    "(time_format %s)", n > 40 ? 40 : (int)n, s,
		    c->tfmt == TF_PATTERN ? c->pattern : c->tfmt == TF_EPOCH ?
		    "epoch" : c->tfmt == TF_EPOCH_MS ? "epoch_ms" : "rfc3339");
	return 0;
}

/* ---- records ---- */

/*
 * Field number k (1-based) of the record: its text (unquoted into the
 * area when it was quoted) and column.  1 found, 0 the record has fewer
 * fields, <0 error.
 */
static int
field(struct cybex_ingest_reader *r, struct csv *c, const char *s, size_t n,
    unsigned k, const char **out, size_t *on, size_t *col,
    struct cybex_diag *d)
{
	unsigned f = 1;
	size_t i = 0, j, len;
	char *buf;

	for (;;) {
		if (i < n && s[i] == '"') {
			/* RFC 4180: "" inside is one quote. */
			for (j = i + 1, len = 0; ; j++) {
				if (j >= n)
					return ingest_err(d, CYBEX_EFORMAT,
					    i + 1, "the quoted field is not "
					    "closed on its line");
				if (s[j] == '"') {
					if (j + 1 < n && s[j + 1] == '"') {
						j++;
						len++;
						continue;
					}
					break;
				}
				len++;
			}
			if (j + 1 < n && s[j + 1] != c->delim)
				return ingest_err(d, CYBEX_EFORMAT, j + 2,
				    "text after a quoted field");
			if (f == k) {
				if ((buf = ingest_alloc(r, len + 1)) == NULL)
					return ingest_err(d, CYBEX_ETOOBIG,
					    i + 1, "field too long");
				for (j = i + 1, len = 0; ; j++) {
					if (s[j] == '"') {
						if (s[j + 1] != '"')
							break;
						j++;
					}
					buf[len++] = s[j];
				}
				buf[len] = '\0';
				*out = buf;
				*on = len;
				*col = i + 2;
				return 1;
			}
			i = j + 1;
		} else {
			for (j = i; j < n && s[j] != c->delim; j++)
				;
			if (f == k) {
				*out = s + i;
				*on = j - i;
				*col = i + 1;
				return 1;
			}
			i = j;
		}
		if (i >= n)
			return 0;
		i++;		/* the delimiter */
		f++;
	}
}

static int
csv_read(struct cybex_ingest_reader *r, const char *s, size_t n,
    struct cybex_diag *d)
{
	struct csv *c = r->state;
	const char *v, *tok2;
	size_t i, vn, col, t2n;
	int rc;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == n)
		return 0;
	if (c->plain) {
		if (s[i] == '#' || s[i] == ';')
			return 0;
		v = s + i;
		for (vn = 0; i + vn < n && s[i + vn] != ' ' &&
		    s[i + vn] != '\t'; vn++)
			;
		col = i + 1;
		/* hosts-file lines: "0.0.0.0 ads.example.com" */
		if ((vn == 7 && memcmp(v, "0.0.0.0", 7) == 0) ||
		    (vn == 9 && memcmp(v, "127.0.0.1", 9) == 0) ||
		    (vn == 2 && memcmp(v, "::", 2) == 0)) {
			for (i += vn; i < n && (s[i] == ' ' || s[i] == '\t');
			    i++)
				;
			tok2 = s + i;
			for (t2n = 0; i + t2n < n && s[i + t2n] != ' ' &&
			    s[i + t2n] != '\t'; t2n++)
				;
			if (t2n > 0 && tok2[0] != '#') {
				v = tok2;
				vn = t2n;
				col = i + 1;
			}
		}
		return listed(r, c, V_AUTO, v, vn, col, d);
	}
	if (c->comment[0] != '\0' && ingest_prefix(s + i, n - i, c->comment))
		return 0;
	if (c->skip_header && !c->header_seen) {
		c->header_seen = true;
		return 0;
	}
	if ((rc = field(r, c, s, n, c->column, &v, &vn, &col, d)) < 0)
		return rc;
	if (rc == 0)
		return ingest_err(d, CYBEX_EFORMAT, n + 1, "the record has "
		    "fewer than %u fields", c->column);
	if ((rc = listed(r, c, c->type, v, vn, col, d)) != 1)
		return rc;
	if (c->time_column != 0) {
		if ((rc = field(r, c, s, n, c->time_column, &v, &vn, &col,
		    d)) < 0)
			return rc;
		if (rc == 0)
			return ingest_err(d, CYBEX_EFORMAT, n + 1, "the record "
			    "has no time column %u", c->time_column);
		if ((rc = entry_time(r, c, v, vn, col, d)) != 0)
			return rc;
	}
	return 1;
}

/* ---- the mapping ---- */

static int
map_err(struct cybex_diag *d, unsigned long line, size_t col,
    const char *msg, const char *what)
{
	cybex_diag_set(d, CYBEX_EINVAL, "mapping line %lu: %s%s", line, msg,
	    what);
	if (d != NULL) {
		d->line = line;
		d->column = (unsigned long)col;
	}
	return CYBEX_EINVAL;
}

static bool
yesno(const char *v, size_t n, bool *out)
{
	if ((n == 3 && memcmp(v, "yes", 3) == 0) || (n == 4 &&
	    memcmp(v, "true", 4) == 0) || (n == 1 && v[0] == '1'))
		*out = true;
	else if ((n == 2 && memcmp(v, "no", 2) == 0) || (n == 5 &&
	    memcmp(v, "false", 5) == 0) || (n == 1 && v[0] == '0'))
		*out = false;
	else
		return false;
	return true;
}

static int
mapping(struct csv *c, const char *text, struct cybex_diag *d)
{
	const char *line = text, *nl, *eq, *k, *v;
	size_t len, kn, vn, i;
	unsigned long ln = 0;
	uint64_t u;
	bool seen_col = false;

	for (; *line != '\0'; line = nl != NULL ? nl + 1 : line + len) {
		ln++;
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		if (i == len || line[i] == '#') {
			if (nl == NULL)
				break;
			continue;
		}
		if ((eq = memchr(line, '=', len)) == NULL)
			return map_err(d, ln, i + 1, "expected \"key = "
			    "value\"", "");
		k = line + i;
		for (kn = (size_t)(eq - k); kn > 0 && (k[kn - 1] == ' ' ||
		    k[kn - 1] == '\t'); kn--)
			;
		v = eq + 1;
		vn = len - (size_t)(v - line);
		while (vn > 0 && (v[0] == ' ' || v[0] == '\t')) {
			v++;
			vn--;
		}
		while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
			vn--;
		/* An optional pair of double quotes keeps spaces. */
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
#define KEY(s)	(kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
#define VCOL	((size_t)(v - line) + 1)
		if (KEY("column") || KEY("time_column")) {
			if (ingest_uint(v, vn, 1000, &u) != 0 || u == 0)
				return map_err(d, ln, VCOL, "a column is a "
				    "number from 1 to 1000", "");
			if (KEY("column")) {
				c->column = (unsigned)u;
				seen_col = true;
			} else {
				c->time_column = (unsigned)u;
			}
		} else if (KEY("type")) {
			for (i = 0; i < sizeof(vnames) / sizeof(vnames[0]); i++)
				if (strlen(vnames[i]) == vn &&
				    memcmp(vnames[i], v, vn) == 0)
					break;
			if (i == sizeof(vnames) / sizeof(vnames[0]))
				return map_err(d, ln, VCOL, "unknown type (use "
				    "ipv4-addr, ipv6-addr, domain-name, url, "
				    "email-addr, file-md5, file-sha1, "
				    "file-sha256 or auto)", "");
			c->type = (enum vtype)i;
		} else if (KEY("delimiter")) {
			if (vn == 3 && memcmp(v, "tab", 3) == 0)
				c->delim = '\t';
			else if (vn == 5 && memcmp(v, "space", 5) == 0)
				c->delim = ' ';
			else if (vn == 2 && v[0] == '\\' && v[1] == 't')
				c->delim = '\t';
			else if (vn == 1 && v[0] != '"' && v[0] != '\r')
				c->delim = v[0];
			else
				return map_err(d, ln, VCOL, "a delimiter is "
				    "one character, \"tab\" or \"space\"", "");
		} else if (KEY("comment")) {
			if (vn >= sizeof(c->comment))
				return map_err(d, ln, VCOL, "comment prefix "
				    "too long", "");
			memcpy(c->comment, v, vn);
			c->comment[vn] = '\0';
		} else if (KEY("skip_header")) {
			if (!yesno(v, vn, &c->skip_header))
				return map_err(d, ln, VCOL, "expected yes or "
				    "no", "");
		} else if (KEY("name") || KEY("category")) {
			if (vn == 0 || vn > 200 || memchr(v, '\0', vn))
				return map_err(d, ln, VCOL, "expected 1 to 200 "
				    "characters", "");
			if (KEY("name")) {
				cybex_free(c->name);
				c->name = cybex_strndup(v, vn);
			} else {
				cybex_free(c->category);
				c->category = cybex_strndup(v, vn);
			}
			if ((KEY("name") ? c->name : c->category) == NULL)
				return cybex_diag_set(d, CYBEX_ENOMEM, "out "
				    "of memory");
		} else if (KEY("time_format")) {
			if (vn == 7 && memcmp(v, "rfc3339", 7) == 0)
				c->tfmt = TF_RFC3339;
			else if (vn == 5 && memcmp(v, "epoch", 5) == 0)
				c->tfmt = TF_EPOCH;
			else if (vn == 8 && memcmp(v, "epoch_ms", 8) == 0)
				c->tfmt = TF_EPOCH_MS;
			else if (vn > 0 && vn < sizeof(c->pattern) &&
			    memchr(v, '%', vn) != NULL) {
				c->tfmt = TF_PATTERN;
				memcpy(c->pattern, v, vn);
				c->pattern[vn] = '\0';
				for (i = 0; i < vn; i++) {
					if (v[i] != '%')
						continue;
					if (i + 1 >= vn || strchr("YmdHMSbz%",
					    v[i + 1]) == NULL)
						return map_err(d, ln, VCOL + i,
						    "time_format knows %Y %m "
						    "%d %H %M %S %b %z and %%",
						    "");
					i++;
				}
			} else
				return map_err(d, ln, VCOL, "time_format is "
				    "rfc3339, epoch, epoch_ms or a %Y-%m-%d "
				    "pattern", "");
		} else {
			return map_err(d, ln, i + 1, "unknown key; known: "
			    "column, type, delimiter, comment, skip_header, "
			    "name, category, time_column, time_format", "");
		}
#undef KEY
#undef VCOL
		if (nl == NULL)
			break;
	}
	if (!seen_col)
		return map_err(d, ln > 0 ? ln : 1, 1, "the mapping needs a "
		    "column", "");
	if (c->time_column == c->column)
		return map_err(d, ln, 1, "time_column is the value's column",
		    "");
	return 0;
}

static int
csv_init(struct cybex_ingest_reader *r, const struct cybex_ingest_opts *o,
    struct cybex_diag *d)
{
	struct csv *c;

	if ((c = cybex_calloc(1, sizeof(*c))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	r->state = c;
	c->delim = ',';
	c->comment[0] = '#';
	if (o->mapping == NULL) {
		c->plain = true;
		return 0;
	}
	return mapping(c, o->mapping, d);
}

static void
csv_fini(struct cybex_ingest_reader *r)
{
	struct csv *c = r->state;

	if (c == NULL)
		return;
	cybex_free(c->name);
	cybex_free(c->category);
	cybex_free(c);
	r->state = NULL;
}

const struct ingest_fmt ingest_fmt_csv = {
	"csv", csv_init, csv_fini, csv_read,
};
