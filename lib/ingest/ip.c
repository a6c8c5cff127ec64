/* IP addresses in binary form: parse and format with inet_pton/inet_ntop. */
#include <arpa/inet.h>

#include <string.h>

#include "cybex/ingest.h"

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
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (memchr(buf, ':', len) != NULL) {
		if (inet_pton(AF_INET6, buf, ip.a) != 1)
			goto out;
		ip.family = 6;
	} else {
		if (inet_pton(AF_INET, buf, ip.a) != 1)
			goto out;
		ip.family = 4;
	}
	r = 0;
 out:
	*out = ip;
	return r;
}

void
cybex_ip_format(const struct cybex_ip *ip, char *out, size_t outsz)
{
	char buf[INET6_ADDRSTRLEN];
	const char *p = NULL;

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
	if (strlen(buf) < outsz)
		memcpy(out, buf, strlen(buf) + 1);
}
