/*
 * Reader: format dispatch, statistics, the per-record string area and the
 * small text helpers every format shares.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cybex/core.h"
#include "ingest_int.h"

#define AREA_BLOCK	((size_t)64 * 1024)

static const struct ingest_fmt *const formats[CYBEX_INGEST_FORMAT_MAX] = {
	[CYBEX_INGEST_EVE] = &ingest_fmt_eve,
	[CYBEX_INGEST_SYSLOG] = &ingest_fmt_syslog,
	[CYBEX_INGEST_ACCESS] = &ingest_fmt_access,
	[CYBEX_INGEST_POSTFIX] = &ingest_fmt_postfix,
	[CYBEX_INGEST_CSV] = &ingest_fmt_csv,
	[CYBEX_INGEST_PAGE] = &ingest_fmt_page,
};

int
cybex_ingest_format_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CYBEX_INGEST_FORMAT_MAX; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return i;
	return -1;
}

const char *
cybex_ingest_format_name(enum cybex_ingest_format f)
{
	if ((int)f < 0 || f >= CYBEX_INGEST_FORMAT_MAX)
		return NULL;
	return formats[f]->name;
}

/* ---- string area ---- */

static void
area_reset(struct ingest_area *a)
{
	struct ingest_area_block *b, *next;

	/*
	 * Blocks are kept for the next record, but not past the cap: a few
	 * huge lines of different sizes must not pin memory for ever.
	 */
	if (a->head != NULL && a->held > a->max) {
		for (b = a->head->next; b != NULL; b = next) {
			next = b->next;
			cybex_free(b);
		}
		a->head->next = NULL;
		a->held = a->head->size;
	}
	for (b = a->head; b != NULL; b = b->next)
		b->used = 0;
	a->cur = a->head;
	a->used = 0;
}

static void
area_free(struct ingest_area *a)
{
	struct ingest_area_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		cybex_free(b);
	}
	memset(a, 0, sizeof(*a));
}

char *
ingest_alloc(struct cybex_ingest_reader *r, size_t n)
{
	struct ingest_area *a = &r->area;
	struct ingest_area_block *b, *nb, **tail;
	size_t sz;
	char *p;

	if (n > a->max - a->used)
		return NULL;
	/* First fit from the current block on; blocks are kept in order. */
	for (b = a->cur; b != NULL; b = b->next) {
		if (b->size - b->used >= n) {
			p = b->data + b->used;
			b->used += n;
			a->used += n;
			a->cur = b;
			return p;
		}
	}
	sz = n > AREA_BLOCK ? n : AREA_BLOCK;
	/* One record uses at most max bytes: held stays under 3 x max. */
	if (a->held > a->max * 3 + AREA_BLOCK * 2)
		return NULL;
	if ((nb = cybex_malloc(sizeof(*nb) + sz)) == NULL)
		return NULL;
	nb->next = NULL;
	nb->size = sz;
	nb->used = n;
	for (tail = &a->head; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = nb;
	a->cur = nb;
	a->held += sz;
	a->used += n;
	return nb->data;
}

const char *
ingest_strdup(struct cybex_ingest_reader *r, const char *s, size_t n)
{
	char *p;

	if ((p = ingest_alloc(r, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *
ingest_strdup_lower(struct cybex_ingest_reader *r, const char *s, size_t n)
{
	char *p;
	size_t i;

	if ((p = ingest_alloc(r, n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	p[n] = '\0';
	return p;
}

const char *
ingest_text(struct cybex_ingest_reader *r, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k, bad = 0, len;
	uint32_t cp;
	char *p;

	for (i = 0; i < n; i += k) {
		k = 1;
		if (u[i] >= 0x20 && u[i] < 0x7f)
			continue;
		if (u[i] >= 0x80 && (k = cybex_utf8_decode(u + i, n - i,
		    &cp)) != 0)
			continue;
		k = 1;
		bad++;
	}
	if (bad == 0)
		return ingest_strdup(r, s, n);
	len = n + bad * 3;
	if ((p = ingest_alloc(r, len + 1)) == NULL)
		return NULL;
	for (i = 0, len = 0; i < n; i += k) {
		k = 1;
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			p[len++] = s[i];
			continue;
		}
		if (u[i] >= 0x80 && (k = cybex_utf8_decode(u + i, n - i,
		    &cp)) != 0) {
			memcpy(p + len, s + i, k);
			len += k;
			continue;
		}
		k = 1;
		p[len++] = '\\';
		p[len++] = 'x';
		p[len++] = hex[u[i] >> 4];
		p[len++] = hex[u[i] & 15];
	}
	p[len] = '\0';
	return p;
}

int
ingest_err(struct cybex_diag *d, int code, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return code;
	va_start(ap, fmt);
	cybex_diag_vset(d, code, fmt, ap);
	va_end(ap);
	d->column = (unsigned long)col;
	return code;
}

int
ingest_full(struct cybex_diag *d, size_t col)
{
	return ingest_err(d, CYBEX_ETOOBIG, col, "the record's strings exceed "
	    "the reader's area");
}

size_t
ingest_col(const struct cybex_ingest_reader *r, const char *p)
{
	if (p >= r->line && p <= r->line + r->len)
		return (size_t)(p - r->line) + 1;
	return 0;
}

/* ---- text helpers ---- */

int
ingest_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0 || n > 20)
		return CYBEX_EFORMAT;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return CYBEX_EFORMAT;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return CYBEX_EFORMAT;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return CYBEX_EFORMAT;
	*out = v;
	return 0;
}

const char *
ingest_memmem(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p, *end;

	if (k == 0)
		return s;
	if (k > n)
		return NULL;
	end = s + n - k + 1;
	for (p = s; p < end; p++) {
		if ((p = memchr(p, needle[0], (size_t)(end - p))) == NULL)
			return NULL;
		if (memcmp(p, needle, k) == 0)
			return p;
	}
	return NULL;
}

bool
ingest_prefix(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

int
ingest_set_ip(struct cybex_ingest_reader *r, struct cybex_ip *ip,
    const char **text, const char *s, size_t n)
{
	char buf[48];

	if (cybex_ip_parse(s, n, ip) != 0) {
		*text = NULL;		/* ip is zeroed too: both absent */
		return CYBEX_EFORMAT;
	}
	/* cybex_ip_parse takes IPv4 only in its canonical dotted form. */
	if (ip->family == 4) {
		if ((*text = ingest_strdup(r, s, n)) == NULL)
			return CYBEX_ETOOBIG;
		return 0;
	}
	/* The canonical text (lower case, shortest IPv6 form). */
	cybex_ip_format(ip, buf, sizeof(buf));
	if ((*text = ingest_strdup(r, buf, strlen(buf))) == NULL)
		return CYBEX_ETOOBIG;
	return 0;
}

bool
ingest_is_scheme(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (i > 0 && ((s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '+' || s[i] == '-' || s[i] == '.'))))
			return false;
	}
	return true;
}

bool
ingest_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cybex_hexval((unsigned char)s[i]) < 0)
			return false;
	return true;
}

int
ingest_url_host(struct cybex_ingest_reader *r, const char *url,
    const char **out)
{
	const char *p, *h, *e, *at;

	*out = NULL;
	if ((p = strstr(url, "://")) == NULL ||
	    !ingest_is_scheme(url, (size_t)(p - url)))
		return 0;
	h = p + 3;
	e = h + strcspn(h, "/?#");
	/* userinfo ends at the last '@' of the authority */
	for (at = e; at > h && at[-1] != '@'; at--)
		;
	h = at;
	if (h < e && *h == '[') {
		if ((p = memchr(h, ']', (size_t)(e - h))) == NULL)
			return 0;
		h++;
		e = p;
	} else if ((p = memchr(h, ':', (size_t)(e - h))) != NULL) {
		e = p;
	}
	if (e == h)
		return 0;
	if ((*out = ingest_strdup_lower(r, h, (size_t)(e - h))) == NULL)
		return CYBEX_ETOOBIG;
	return 0;
}

int
ingest_hash(struct cybex_ingest_reader *r, const char *s, size_t n,
    size_t want, const char **out)
{
	if (n != want || !ingest_is_hex(s, n))
		return CYBEX_EFORMAT;
	if ((*out = ingest_strdup_lower(r, s, n)) == NULL)
		return CYBEX_ETOOBIG;
	return 0;
}

/* ---- the reader ---- */

int
cybex_ingest_reader_new(const struct cybex_ingest_opts *o,
    struct cybex_ingest_reader **out, struct cybex_diag *d)
{
	struct cybex_ingest_reader *r = NULL;
	struct cybex_time now;
	int rc = CYBEX_ENOMEM;

	*out = NULL;
	if (o == NULL || (int)o->format < 0 ||
	    o->format >= CYBEX_INGEST_FORMAT_MAX) {
		rc = cybex_diag_set(d, CYBEX_EINVAL, "unknown ingest format");
		goto out;
	}
	if ((r = cybex_calloc(1, sizeof(*r))) == NULL)
		goto out;
	r->format = o->format;
	r->fmt = formats[o->format];
	r->line_max = o->line_max != 0 ? o->line_max :
	    CYBEX_INGEST_LINE_MAX_DEFAULT;
	if (r->line_max > ((size_t)1 << 30)) {
		rc = cybex_diag_set(d, CYBEX_EINVAL, "line_max %zu is over "
		    "1 GiB", r->line_max);
		goto out;
	}
	/*
	 * A record's strings are never longer than its line, except text
	 * escaped as \xHH (4 bytes for 1): that bounds the area.
	 */
	r->area.max = r->line_max * 4 + 4096;
	if ((o->sensor != NULL && (r->sensor = cybex_strdup(o->sensor)) ==
	    NULL) || (o->org != NULL && (r->org = cybex_strdup(o->org)) ==
	    NULL))
		goto out;
	r->ref_time_us = o->ref_time_us;
	r->ref_now = o->ref_time_us == 0;
	if (r->ref_time_us == 0) {
		if ((rc = cybex_time_now(&now)) != 0)
			goto out;
		r->ref_time_us = now.sec * 1000000 + now.nsec / 1000;
	}
	if (r->fmt->init != NULL && (rc = r->fmt->init(r, o, d)) != 0)
		goto out;
	*out = r;
	r = NULL;
	rc = 0;
 out:
	cybex_ingest_reader_free(r);
	return rc;
}

void
cybex_ingest_reader_free(struct cybex_ingest_reader *r)
{
	if (r == NULL)
		return;
	if (r->fmt != NULL && r->fmt->fini != NULL)
		r->fmt->fini(r);
	area_free(&r->area);
	cybex_free(r->sensor);
	cybex_free(r->org);
	cybex_free(r);
}

int
cybex_ingest_read_line(struct cybex_ingest_reader *r, const char *line,
    size_t len, unsigned long lineno, const struct cybex_obs **out,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	int rc;

	*out = NULL;
	if (d != NULL)
		d->column = 0;
	r->stats.lines++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	area_reset(&r->area);
	memset(o, 0, sizeof(*o));
	r->line = line;
	r->len = len;
	r->lineno = lineno;
	if (len > r->line_max) {
		rc = ingest_err(d, CYBEX_ETOOBIG, r->line_max + 1, "the line "
		    "is %zu bytes long, over the limit of %zu", len,
		    r->line_max);
		goto out;
	}
	o->line = lineno;
	o->sensor = r->sensor;
	o->org = r->org;
	rc = r->fmt->read(r, line, len, d);
 out:
	if (rc == 1) {
		r->stats.observations++;
		*out = o;
	} else if (rc == 0) {
		r->stats.skipped++;
	} else {
		r->stats.errors++;
		if (d != NULL) {
			d->line = lineno;
			if (d->column == 0)
				d->column = 1;
			d->offset = d->column - 1;
		}
		memset(o, 0, sizeof(*o));
	}
	return rc;
}

void
cybex_ingest_reader_stats(const struct cybex_ingest_reader *r,
    struct cybex_ingest_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (r != NULL)
		*out = r->stats;
}
