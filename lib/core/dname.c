/*
 * Domain names: the one syntax rule (see cybex_domain_check in
 * cybex/core.h), used by the CSV feed reader, the log parsers' host
 * names, the detectors' settings and STIX domain-name validation.
 */
#include <stdbool.h>
#include <stddef.h>

#include "cybex/core.h"

#define DOMAIN_MAX	253	/* octets, without a final root dot */
#define LABEL_MAX	63

static bool
ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

bool
cybex_domain_check(const char *s, size_t n, unsigned flags)
{
	size_t i, start = 0, labels = 0;
	bool ascii = true;
	unsigned char c;

	if (s == NULL || n == 0 || n > DOMAIN_MAX)
		return false;
	for (i = 0; i <= n; i++) {
		c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (i == start || (ascii && i - start > LABEL_MAX) ||
			    s[start] == '-' || s[i - 1] == '-')
				return false;
			labels++;
			start = i + 1;
			ascii = true;
		} else if (c >= 0x80) {
			if (!(flags & CYBEX_DOMAIN_IDN))
				return false;
			ascii = false;
		} else if (!ldh(c) && (c != '_' || (flags & CYBEX_DOMAIN_HOST)))
			return false;
	}
	return labels >= ((flags & CYBEX_DOMAIN_DOTTED) ? 2u : 1u);
}
