/*
 * Addresses for the detectors: text to binary and back (inet_pton and
 * inet_ntop; lib/ingest has its own), CIDR prefixes.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

int
dt_ip_parse(const char *s, struct cybex_ip *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->a) == 1) {
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->a) == 1) {
		out->family = 6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return CYBEX_EFORMAT;
}

int
dt_cidr_parse(const char *s, struct dt_cidr *out)
{
	char buf[64], *slash, *end;
	unsigned long bits;
	size_t n = strlen(s);
	int r = CYBEX_EFORMAT;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= sizeof(buf))
		goto out;
	memcpy(buf, s, n + 1);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (dt_ip_parse(buf, &out->ip) != 0)
		goto out;
	out->bits = out->ip.family == 4 ? 32 : 128;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')
			goto out;
		errno = 0;
		bits = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || bits > out->bits)
			goto out;
		out->bits = (unsigned)bits;
	}
	r = 0;
 out:
	return r;
}

bool
dt_cidr_match(const struct dt_cidr *c, const struct cybex_ip *ip)
{
	unsigned full = c->bits / 8, rest = c->bits % 8;
	uint8_t mask;

	if (ip->family != c->ip.family)
		return false;
	if (memcmp(ip->a, c->ip.a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (ip->a[full] & mask) == (c->ip.a[full] & mask);
}

void
dt_ip_text(const struct cybex_ip *ip, char *out, size_t outsz)
{
	out[0] = '\0';
	if (ip->family == 4)
		(void)inet_ntop(AF_INET, ip->a, out, (socklen_t)outsz);
	else if (ip->family == 6)
		(void)inet_ntop(AF_INET6, ip->a, out, (socklen_t)outsz);
}

const char *
dt_ip_kind(const struct cybex_ip *ip)
{
	return ip->family == 6 ? "ipv6-addr" : "ipv4-addr";
}

bool
dt_ip_equal(const struct cybex_ip *a, const struct cybex_ip *b)
{
	return a->family == b->family &&
	    memcmp(a->a, b->a, a->family == 4 ? 4 : 16) == 0;
}

void
dt_strlcpy(char *out, const char *s, size_t outsz)
{
	size_t n;

	if (outsz == 0)
		return;
	n = s != NULL ? strlen(s) : 0;
	if (n >= outsz) {
		/* Cut at a character boundary: values stay valid UTF-8. */
		n = outsz - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}
