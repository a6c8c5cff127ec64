/*
 * Addresses for the detectors: CIDR prefixes (parsed by cybex/ip.h) and
 * small helpers over struct cybex_ip.
 */
#include <string.h>

#include "detect_int.h"

int
dt_cidr_parse(const char *s, struct dt_cidr *out)
{
	memset(out, 0, sizeof(*out));
	return cybex_ip_cidr_parse(s, strlen(s), &out->ip, &out->bits);
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
