/*
 * Canonical forms of the values that indicators are most often written
 * against, so that a pattern and an observation that mean the same thing
 * compare equal: IP addresses and prefixes (2001:DB8::1 and
 * 2001:db8:0:0::1, 203.0.113.33/32 and 203.0.113.33), domain names and the
 * domain of e-mail addresses (case), URLs (RFC 3986 section 6.2.2 syntax
 * normalization plus the http/https scheme rules), hash digests and MAC
 * addresses (case).  The evaluator and the indicator index both use these
 * functions, so their answers agree.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cybex/core.h"
#include "cybex/ip.h"
#include "pattern_int.h"

bool
pcanon_latin1(const char *s, size_t n, struct cybex_buf *out)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			cp = (unsigned char)s[i];
			k = 1;
		} else if ((k = cybex_utf8_decode((const unsigned char *)s + i,
		    n - i, &cp)) == 0 || cp > 255)
			return false;
		if (cybex_buf_putc(out, (char)cp) != 0)
			return false;
		i += k;
	}
	return true;
}

bool
cybex_pattern_latin1(const char *s, size_t n, struct cybex_buf *out)
{
	return pcanon_latin1(s, n, out);
}

bool
cybex_pattern_ip_parse(const char *s, size_t n, int *family,
    uint8_t addr[16], unsigned *plen)
{
	struct cybex_ip ip;
	unsigned p, i, max;

	memset(addr, 0, 16);
	if (cybex_ip_cidr_parse(s, n, &ip, &p) != 0)
		return false;
	*family = ip.family;
	max = ip.family == 4 ? 32 : 128;
	memcpy(addr, ip.a, max / 8);
	/* Clear the host bits. */
	for (i = 0; i < max / 8; i++) {
		if (i * 8 >= p)
			addr[i] = 0;
		else if (i * 8 + 8 > p)
			addr[i] &= (uint8_t)(0xff << (8 - (p - i * 8)));
	}
	*plen = p;
	return true;
}

int
cybex_pattern_canon_kind(const char *objtype, const char *key,
    bool in_hashes)
{
	if (in_hashes)
		return CYBEX_PCANON_HASH;
	if (objtype == NULL || key == NULL || strcmp(key, "value") != 0)
		return CYBEX_PCANON_NONE;
	if (strcmp(objtype, "ipv4-addr") == 0 ||
	    strcmp(objtype, "ipv6-addr") == 0)
		return CYBEX_PCANON_IP;
	if (strcmp(objtype, "domain-name") == 0)
		return CYBEX_PCANON_DOMAIN;
	if (strcmp(objtype, "email-addr") == 0)
		return CYBEX_PCANON_EMAIL;
	if (strcmp(objtype, "url") == 0)
		return CYBEX_PCANON_URL;
	if (strcmp(objtype, "mac-addr") == 0)
		return CYBEX_PCANON_MAC;
	return CYBEX_PCANON_NONE;
}

/* Hot path of the index: write straight into the buffer. */
static int
put_lower(struct cybex_buf *out, const char *s, size_t n)
{
	char *d;
	size_t i;

	if (n == 0)
		return 0;
	if (cybex_buf_reserve(out, n) != 0)
		return CYBEX_ENOMEM;
	d = out->data + out->len;
	for (i = 0; i < n; i++)
		d[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}

/* Dotted quad without printf (the index canonicalizes every address). */
static int
put_ipv4(struct cybex_buf *out, const uint8_t a[4])
{
	char buf[16];
	size_t k = 0, i;
	unsigned v;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			buf[k++] = '.';
		v = a[i];
		if (v >= 100)
			buf[k++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[k++] = (char)('0' + v / 10 % 10);
		buf[k++] = (char)('0' + v % 10);
	}
	return cybex_buf_append(out, buf, k);
}

static int
canon_ip(const char *s, size_t n, struct cybex_buf *out)
{
	uint8_t a[16];
	unsigned plen;
	int fam;
	char buf[INET6_ADDRSTRLEN + 8];

	if (!cybex_pattern_ip_parse(s, n, &fam, a, &plen))
		return cybex_buf_append(out, s, n);
	if (fam == 4) {
		if (put_ipv4(out, a) != 0)
			return CYBEX_ENOMEM;
	} else if (inet_ntop(AF_INET6, a, buf, sizeof(buf)) == NULL)
		return cybex_buf_append(out, s, n);
	else if (cybex_buf_puts(out, buf) != 0)
		return CYBEX_ENOMEM;
	if (plen != (fam == 4 ? 32u : 128u))
		return cybex_buf_printf(out, "/%u", plen);
	return 0;
}

/* Percent-encodings: upper-case hex, unreserved characters decoded. */
static int
put_pct(struct cybex_buf *out, const char *s, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	const char *pc;
	size_t i = 0, run;
	int r = 0, h, l;
	char c, enc[3];

	while (i < n && r == 0) {
		/* copy up to the next '%' in one go */
		pc = memchr(s + i, '%', n - i);
		run = pc != NULL ? (size_t)(pc - (s + i)) : n - i;
		if (run > 0 && (r = cybex_buf_append(out, s + i, run)) != 0)
			break;
		i += run;
		if (i >= n)
			break;
		if (i + 2 >= n || (h = cybex_hexval(s[i + 1])) < 0 ||
		    (l = cybex_hexval(s[i + 2])) < 0) {
			r = cybex_buf_putc(out, '%');
			i++;
			continue;
		}
		c = (char)(h << 4 | l);
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			r = cybex_buf_putc(out, c);
		else {
			enc[0] = '%';
			enc[1] = hx[h];
			enc[2] = hx[l];
			r = cybex_buf_append(out, enc, 3);
		}
		i += 3;
	}
	return r;
}

/* RFC 3986 5.2.4 on p[0..n), in place; returns the new length. */
static size_t
remove_dots(char *p, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (n - i >= 3 && memcmp(p + i, "../", 3) == 0)
			i += 3;
		else if (n - i >= 2 && memcmp(p + i, "./", 2) == 0)
			i += 2;
		else if (n - i >= 3 && memcmp(p + i, "/./", 3) == 0)
			i += 2;
		else if (n - i == 2 && memcmp(p + i, "/.", 2) == 0) {
			p[i + 1] = '/';
			i += 1;
		} else if ((n - i >= 4 && memcmp(p + i, "/../", 4) == 0) ||
		    (n - i == 3 && memcmp(p + i, "/..", 3) == 0)) {
			if (n - i == 3) {
				p[i + 2] = '/';
				i += 2;
			} else
				i += 3;
			while (o > 0 && p[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if ((n - i == 1 && p[i] == '.') ||
		    (n - i == 2 && memcmp(p + i, "..", 2) == 0))
			i = n;
		else {
			do
				p[o++] = p[i++];
			while (i < n && p[i] != '/');
		}
	}
	return o;
}

static int
canon_url(const char *s, size_t n, struct cybex_buf *out)
{
	size_t i, se, ae, pe, at, hs, colon, plen, start;
	const char *port = NULL;
	size_t portlen = 0;
	bool http, https;
	int r = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
		    c == '-' || c == '.'))))
			break;
	}
	if (i == 0 || i >= n || s[i] != ':')
		return cybex_buf_append(out, s, n);
	se = i;
	if ((r = put_lower(out, s, se + 1)) != 0)
		return r;
	http = se == 4 && strncasecmp(s, "http", 4) == 0;
	https = se == 5 && strncasecmp(s, "https", 5) == 0;
	i = se + 1;
	if (n - i < 2 || s[i] != '/' || s[i + 1] != '/')
		return put_pct(out, s + i, n - i);
	i += 2;
	for (ae = i; ae < n && s[ae] != '/' && s[ae] != '?' && s[ae] != '#';
	    ae++)
		;
	/* authority = [userinfo@]host[:port] */
	for (at = ae; at > i && s[at - 1] != '@'; at--)
		;
	hs = at > i ? at : i;
	colon = ae;
	if (hs < ae && s[hs] == '[') {		/* IP literal */
		const char *rb = memchr(s + hs, ']', ae - hs);

		if (rb != NULL && (size_t)(rb - s) + 1 < ae &&
		    s[rb - s + 1] == ':')
			colon = (size_t)(rb - s) + 1;
	} else {
		const char *c = memchr(s + hs, ':', ae - hs);

		if (c != NULL)
			colon = (size_t)(c - s);
	}
	if (colon < ae) {
		port = s + colon + 1;
		portlen = ae - colon - 1;
	}
	r |= cybex_buf_puts(out, "//");
	if (hs > i)
		r |= put_pct(out, s + i, hs - i);
	r |= put_lower(out, s + hs, colon - hs);
	if (port != NULL && portlen > 0 &&
	    !((http && portlen == 2 && memcmp(port, "80", 2) == 0) ||
	    (https && portlen == 3 && memcmp(port, "443", 3) == 0))) {
		r |= cybex_buf_putc(out, ':');
		r |= cybex_buf_append(out, port, portlen);
	}
	if (r != 0)
		return CYBEX_ENOMEM;
	for (pe = ae; pe < n && s[pe] != '?' && s[pe] != '#'; pe++)
		;
	start = out->len;
	if ((r = put_pct(out, s + ae, pe - ae)) != 0)
		return r;
	if (out->len > start) {
		plen = remove_dots(out->data + start, out->len - start);
		cybex_buf_truncate(out, start + plen);
	}
	if (out->len == start && (http || https))
		r = cybex_buf_putc(out, '/');
	if (r == 0 && pe < n)
		r = put_pct(out, s + pe, n - pe);
	return r;
}

int
cybex_pattern_canon(int kind, const char *s, size_t n, struct cybex_buf *out)
{
	const char *at;
	int r;

	switch (kind) {
	case CYBEX_PCANON_IP:
		r = canon_ip(s, n, out);
		break;
	case CYBEX_PCANON_DOMAIN:
		if (n > 1 && s[n - 1] == '.')
			n--;
		r = put_lower(out, s, n);
		break;
	case CYBEX_PCANON_EMAIL:
		for (at = s + n; at > s && at[-1] != '@'; at--)
			;
		if (at == s)
			r = cybex_buf_append(out, s, n);
		else {
			r = cybex_buf_append(out, s, (size_t)(at - s));
			if (r == 0)
				r = put_lower(out, at, n - (size_t)(at - s));
		}
		break;
	case CYBEX_PCANON_URL:
		r = canon_url(s, n, out);
		break;
	case CYBEX_PCANON_HASH:
	case CYBEX_PCANON_MAC:
		r = put_lower(out, s, n);
		break;
	default:
		r = cybex_buf_append(out, s, n);
		break;
	}
	if (r == 0 && out->data == NULL)
		r = cybex_buf_reserve(out, 1);	/* "" still has data */
	return r != 0 ? CYBEX_ENOMEM : 0;
}
