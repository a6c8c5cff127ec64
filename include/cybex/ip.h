/*
 * cybex ip: IP addresses in binary form (part of lib/core).
 *
 * The one text rule for addresses everywhere: IPv4 is a dotted quad of
 * decimal octets 0-255 without leading zeros; IPv6 is any form inet_pton
 * takes (with an embedded dotted quad, no zone index).  Text with a ':'
 * is IPv6, other text IPv4.  A prefix ("/N") is decimal 0-32 or 0-128
 * without leading zeros ("/08" is not a prefix).
 */
#ifndef CYBEX_IP_H
#define CYBEX_IP_H

#include <stddef.h>
#include <stdint.h>

/* An IP address in binary form; family 0 = absent. */
struct cybex_ip {
	uint8_t		 family;	/* 0, 4 or 6 */
	uint8_t		 a[16];		/* v4 in a[0..3] */
};

/* Longest text cybex_ip_format writes, with its NUL. */
#define CYBEX_IP_TEXT_MAX	46

/*
 * Parse the len bytes at s as an IPv4 or IPv6 address.  0, or
 * CYBEX_EFORMAT (a NUL byte, a prefix or anything else); *out is all
 * zero then.
 */
int	 cybex_ip_parse(const char *s, size_t len, struct cybex_ip *out);
/*
 * Parse an address with an optional "/N" prefix (N = 32 or 128 when
 * absent) into *out and *bits; the host bits are kept as written.  0 or
 * CYBEX_EFORMAT.
 */
int	 cybex_ip_cidr_parse(const char *s, size_t len, struct cybex_ip *out,
	    unsigned *bits);
/* Text of an address ("192.0.2.1", "2001:db8::1") into out; "" when the
 * family is 0 or the text does not fit. */
void	 cybex_ip_format(const struct cybex_ip *ip, char *out, size_t outsz);

#endif /* CYBEX_IP_H */
