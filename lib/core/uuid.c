/*
 * UUIDs (RFC 4122): random v4 from libsodium, name-based v5 with SHA-1
 * from nettle (STIX derives SCO identifiers this way), and the text form.
 */
#include <stdint.h>
#include <string.h>

#include <nettle/sha1.h>
#include <nettle/version.h>
#include <sodium.h>

#include "cybex/core.h"

/* Byte offsets of the '-' in the 8-4-4-4-12 text form. */
static int
is_dash_pos(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

static void
set_version(struct cybex_uuid *u, unsigned version)
{
	u->b[6] = (uint8_t)((u->b[6] & 0x0f) | (version << 4));
	u->b[8] = (uint8_t)((u->b[8] & 0x3f) | 0x80);	/* variant 10xx */
}

int
cybex_uuid_v4(struct cybex_uuid *out)
{
	int r = CYBEX_ECRYPTO;

	memset(out, 0, sizeof(*out));
	/* Idempotent and thread-safe; < 0 only when it cannot start. */
	if (sodium_init() < 0)
		goto out;
	randombytes_buf(out->b, sizeof(out->b));
	set_version(out, 4);
	r = 0;
 out:
	return r;
}

int
cybex_uuid_v5(const struct cybex_uuid *ns, const void *name, size_t len,
    struct cybex_uuid *out)
{
	struct sha1_ctx ctx;
	uint8_t dig[SHA1_DIGEST_SIZE];
	int r = CYBEX_EINVAL;

	memset(out, 0, sizeof(*out));
	if (name == NULL && len != 0)
		goto out;
	sha1_init(&ctx);
	sha1_update(&ctx, sizeof(ns->b), ns->b);
	if (len != 0)
		sha1_update(&ctx, len, name);
#if NETTLE_VERSION_MAJOR >= 4
	sha1_digest(&ctx, dig);
#else
	sha1_digest(&ctx, sizeof(dig), dig);
#endif
	memcpy(out->b, dig, sizeof(out->b));
	set_version(out, 5);
	r = 0;
 out:
	return r;
}

int
cybex_uuid_parse(const char *s, size_t len, struct cybex_uuid *out)
{
	struct cybex_uuid u;
	size_t i, k = 0;
	int hi, lo, r = CYBEX_EFORMAT;

	memset(out, 0, sizeof(*out));
	if (s == NULL || len != CYBEX_UUID_STRLEN)
		goto out;
	for (i = 0; i < CYBEX_UUID_STRLEN; ) {
		if (is_dash_pos(i)) {
			if (s[i] != '-')
				goto out;
			i++;
			continue;
		}
		/* Hex pairs never straddle a dash: groups have even width. */
		if ((hi = cybex_hexval(s[i])) < 0 || (lo = cybex_hexval(s[i + 1])) < 0)
			goto out;
		u.b[k++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	*out = u;
	r = 0;
 out:
	return r;
}

void
cybex_uuid_format(const struct cybex_uuid *u, char out[37])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, k = 0;

	for (i = 0; i < CYBEX_UUID_STRLEN; ) {
		if (is_dash_pos(i)) {
			out[i++] = '-';
			continue;
		}
		out[i++] = hex[u->b[k] >> 4];
		out[i++] = hex[u->b[k] & 0x0f];
		k++;
	}
	out[CYBEX_UUID_STRLEN] = '\0';
}

int
cybex_uuid_version(const struct cybex_uuid *u)
{
	return u->b[6] >> 4;
}

int
cybex_uuid_is_rfc4122(const struct cybex_uuid *u)
{
	return (u->b[8] & 0xc0) == 0x80;
}
