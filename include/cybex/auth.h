/*
 * cybex auth: password hashing (Argon2id) and API tokens.
 *
 * Passwords are stored only as libsodium's Argon2id strings (salt and
 * parameters included).  API tokens are 256 random bits shown to the user
 * once; the store keeps only their SHA-256 (enough for a secret that is
 * not guessable, and fast to look up per request).  Every buffer that held
 * a secret is wiped before it is released.
 */
#ifndef CYBEX_AUTH_H
#define CYBEX_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "cybex/core.h"

#define CYBEX_PWHASH_MAX	128	/* crypto_pwhash_STRBYTES */
#define CYBEX_PASSWORD_MIN	12	/* characters asked of new passwords */
#define CYBEX_PASSWORD_MAX	1024	/* longer input is refused, not hashed */

/*
 * Hash a password (Argon2id, 64 MiB, 2 passes: ~60 ms here).  out is
 * NUL-terminated.  CYBEX_EINVAL for a password shorter than
 * CYBEX_PASSWORD_MIN or longer than CYBEX_PASSWORD_MAX; CYBEX_ENOMEM when
 * the hash's memory cannot be had.
 */
int	 cybex_password_hash(const char *pw, size_t len,
	    char out[CYBEX_PWHASH_MAX], struct cybex_diag *d);
/*
 * 0 when pw matches hash, CYBEX_EINVAL when it does not (or the hash is
 * malformed).  Takes the time of one Argon2id hash either way.
 */
int	 cybex_password_verify(const char *hash, const char *pw, size_t len);

/* Tokens: "cybex_" + 43 base64url characters (32 random bytes). */
#define CYBEX_TOKEN_PREFIX	"cybex_"
#define CYBEX_TOKEN_MAX		64
#define CYBEX_TOKEN_HASHLEN	32
/* A new token (NUL-terminated) and its hash. */
int	 cybex_token_new(char out[CYBEX_TOKEN_MAX],
	    uint8_t hash[CYBEX_TOKEN_HASHLEN]);
/* The hash under which a presented token is looked up. */
void	 cybex_token_hash(const char *token, size_t len,
	    uint8_t hash[CYBEX_TOKEN_HASHLEN]);
/* Wipe a secret (sodium_memzero). */
void	 cybex_wipe(void *p, size_t n);

#endif /* CYBEX_AUTH_H */
