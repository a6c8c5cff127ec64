/*
 * IP addresses: the one parser and formatter of address text (see
 * cybex/ip.h for the rule).  IPv4 is parsed here so that no C library's
 * leniency ("1.2.3", "010.0.0.1") leaks in; IPv6 with inet_pton.
 */
#include <arpa/inet.h>

#include <string.h>

#include "cybex/core.h"
#include "cybex/ip.h"

/* Dotted quad, decimal octets 0-255 without leading zeros. */
static int
ipv4_parse(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0, part, digits;
	unsigned v;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return CYBEX_EFORMAT;
			i++;
		}
		v = 0;
		digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			digits++;
			i++;
		}
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && s[i - digits] == '0'))
			return CYBEX_EFORMAT;
		out[part] = (uint8_t)v;
	}
	return i == n ? 0 : CYBEX_EFORMAT;
}

int
cybex_ip_parse(const char *s, size_t len, struct cybex_ip *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	struct cybex_ip ip;
	int r = CYBEX_EFORMAT;

	memset(&ip, 0, sizeof(ip));
	/* Longest textual form: IPv4-mapped IPv6 with all groups, 45 bytes. */
	if (s == NULL || len == 0 || len >= sizeof(buf))
		goto out;
	if (memchr(s, '\0', len) != NULL)
		goto out;
	if (memchr(s, ':', len) != NULL) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (inet_pton(AF_INET6, buf, ip.a) != 1)
			goto out;
		ip.family = 6;
	} else {
		if (ipv4_parse(s, len, ip.a) != 0)
			goto out;
		ip.family = 4;
	}
	r = 0;
 out:
	if (r != 0)
		memset(&ip, 0, sizeof(ip));
	*out = ip;
	return r;
}

int
cybex_ip_cidr_parse(const char *s, size_t len, struct cybex_ip *out,
    unsigned *bits)
{
	const char *slash = s != NULL ? memchr(s, '/', len) : NULL;
	size_t alen = slash != NULL ? (size_t)(slash - s) : len, i;
	unsigned max, p = 0;
	int r;

	*bits = 0;
	if ((r = cybex_ip_parse(s, alen, out)) != 0)
		return r;
	max = out->family == 4 ? 32 : 128;
	if (slash == NULL) {
		*bits = max;
		return 0;
	}
	/* 1-3 digits, no leading zero, at most max. */
	i = alen + 1;
	if (i >= len || len - i > 3 || (s[i] == '0' && len - i > 1))
		goto bad;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			goto bad;
		p = p * 10 + (unsigned)(s[i] - '0');
	}
	if (p > max)
		goto bad;
	*bits = p;
	return 0;
 bad:
	memset(out, 0, sizeof(*out));
	return CYBEX_EFORMAT;
}

void
cybex_ip_format(const struct cybex_ip *ip, char *out, size_t outsz)
{
	char buf[INET6_ADDRSTRLEN];
	const char *p = NULL;
	size_t n;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (ip == NULL)
		return;
	if (ip->family == 4)
		p = inet_ntop(AF_INET, ip->a, buf, sizeof(buf));
	else if (ip->family == 6)
		p = inet_ntop(AF_INET6, ip->a, buf, sizeof(buf));
	if (p == NULL)
		return;
	n = strlen(buf);
	if (n < outsz)
		memcpy(out, buf, n + 1);
}
