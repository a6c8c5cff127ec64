/* Password hashing and API tokens over libsodium. */
#include <string.h>

#include <sodium.h>

#include "cybex/auth.h"

/* Argon2id at 64 MiB and 2 passes (ARCHITECTURE.md: ~59 ms per hash). */
#define PW_OPSLIMIT	2
#define PW_MEMLIMIT	(64u * 1024 * 1024)

static int
init(void)
{
	return sodium_init() < 0 ? CYBEX_ECRYPTO : 0;
}

int
cybex_password_hash(const char *pw, size_t len, char out[CYBEX_PWHASH_MAX],
    struct cybex_diag *d)
{
	out[0] = '\0';
	if (init() != 0)
		return cybex_diag_set(d, CYBEX_ECRYPTO, "libsodium failed to "
		    "start");
	if (len < CYBEX_PASSWORD_MIN)
		return cybex_diag_set(d, CYBEX_EINVAL, "a password needs at "
		    "least %d characters", CYBEX_PASSWORD_MIN);
	if (len > CYBEX_PASSWORD_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "a password may have at "
		    "most %d characters", CYBEX_PASSWORD_MAX);
	if (crypto_pwhash_str(out, pw, len, PW_OPSLIMIT, PW_MEMLIMIT) != 0)
		return cybex_diag_set(d, CYBEX_ENOMEM, "not enough memory to "
		    "hash a password");
	return 0;
}

int
cybex_password_verify(const char *hash, const char *pw, size_t len)
{
	if (init() != 0 || hash == NULL || len > CYBEX_PASSWORD_MAX)
		return CYBEX_EINVAL;
	return crypto_pwhash_str_verify(hash, pw, len) == 0 ? 0 : CYBEX_EINVAL;
}

int
cybex_token_new(char out[CYBEX_TOKEN_MAX], uint8_t hash[CYBEX_TOKEN_HASHLEN])
{
	uint8_t raw[32];
	size_t n = strlen(CYBEX_TOKEN_PREFIX);

	if (init() != 0)
		return CYBEX_ECRYPTO;
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, CYBEX_TOKEN_PREFIX, n);
	sodium_bin2base64(out + n, CYBEX_TOKEN_MAX - n, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	cybex_token_hash(out, strlen(out), hash);
	return 0;
}

void
cybex_token_hash(const char *token, size_t len,
    uint8_t hash[CYBEX_TOKEN_HASHLEN])
{
	crypto_hash_sha256(hash, (const unsigned char *)token, len);
}

void
cybex_wipe(void *p, size_t n)
{
	if (p != NULL)
		sodium_memzero(p, n);
}
