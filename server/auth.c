/*
 * Who is asking: HTTP Basic (user and password, Argon2id) or a Bearer API
 * token (looked up by its SHA-256).  Verifying Argon2id costs ~60 ms and
 * 64 MiB, so a verified password is remembered for auth-cache-seconds
 * under a keyed BLAKE2b of user and password (the password itself is never
 * kept); the entry also pins the stored hash, so a password change or a
 * removed user takes effect at once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cybex/auth.h"
#include "cybex/incident.h"

#include "server.h"

struct cache_entry {
	uint8_t		 key[32];	/* keyed hash of user and password */
	uint8_t		 pwh[32];	/* hash of the stored Argon2id string */
	int64_t		 uid;
	time_t		 expires;
};

struct auth_cache {
	pthread_mutex_t		 mu;
	size_t			 n;
	struct cache_entry	*e;
};

int
auth_cache_new(size_t slots, struct auth_cache **out)
{
	struct auth_cache *c;

	*out = NULL;
	if ((c = cybex_calloc(1, sizeof(*c))) == NULL ||
	    (c->e = cybex_calloc(slots, sizeof(*c->e))) == NULL) {
		cybex_free(c);
		return CYBEX_ENOMEM;
	}
	c->n = slots;
	pthread_mutex_init(&c->mu, NULL);
	*out = c;
	return 0;
}

void
auth_cache_free(struct auth_cache *c)
{
	if (c == NULL)
		return;
	sodium_memzero(c->e, c->n * sizeof(*c->e));
	cybex_free(c->e);
	pthread_mutex_destroy(&c->mu);
	cybex_free(c);
}

static void
fail(struct req *r, const char *why)
{
	memset(&r->who, 0, sizeof(r->who));
	r->auth_error = 1;
	r->auth_why = why;
}

static void
pw_digest(const char *pwhash, uint8_t out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)pwhash,
	    strlen(pwhash), NULL, 0);
}

static bool
cache_hit(struct srv *s, const uint8_t key[32], const uint8_t pwh[32],
    int64_t uid)
{
	struct auth_cache *c = s->auth_cache;
	struct cache_entry *e;
	bool hit;

	if (c == NULL || s->cfg.auth_cache_seconds == 0)
		return false;
	pthread_mutex_lock(&c->mu);
	e = &c->e[(key[0] | key[1] << 8 | (size_t)key[2] << 16) % c->n];
	hit = sodium_memcmp(e->key, key, 32) == 0 &&
	    sodium_memcmp(e->pwh, pwh, 32) == 0 && e->uid == uid &&
	    e->expires > time(NULL);
	pthread_mutex_unlock(&c->mu);
	return hit;
}

static void
cache_put(struct srv *s, const uint8_t key[32], const uint8_t pwh[32],
    int64_t uid)
{
	struct auth_cache *c = s->auth_cache;
	struct cache_entry *e;

	if (c == NULL || s->cfg.auth_cache_seconds == 0)
		return;
	pthread_mutex_lock(&c->mu);
	e = &c->e[(key[0] | key[1] << 8 | (size_t)key[2] << 16) % c->n];
	memcpy(e->key, key, 32);
	memcpy(e->pwh, pwh, 32);
	e->uid = uid;
	e->expires = time(NULL) + (time_t)s->cfg.auth_cache_seconds;
	pthread_mutex_unlock(&c->mu);
}

/*
 * A valid hash to verify against when the user does not exist, so that an
 * unknown user takes as long to refuse as a wrong password.
 */
static char decoy[CYBEX_PWHASH_MAX];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void
make_decoy(void)
{
	if (cybex_password_hash("decoy-password-never-matches", 28, decoy,
	    NULL) != 0)
		decoy[0] = '\0';
}

static void
basic(struct req *r, const char *b64)
{
	struct cybex_store *st;
	struct cybex_user u;
	struct cybex_diag d;
	unsigned char raw[CYBEX_NAME_MAX + CYBEX_PASSWORD_MAX + 2];
	uint8_t key[32], pwh[32];
	const char *pwhash = NULL;
	char *colon, *name;
	size_t n = 0, plen;

	if (strlen(b64) > 4 * (sizeof(raw) / 3) ||
	    sodium_base642bin(raw, sizeof(raw) - 1, b64, strlen(b64), " ",
	    &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		fail(r, "malformed Basic credentials");
		return;
	}
	raw[n] = '\0';
	if ((colon = memchr(raw, ':', n)) == NULL) {
		fail(r, "malformed Basic credentials (no ':')");
		goto out;
	}
	*colon = '\0';
	name = (char *)raw;
	if (strlen(name) != (size_t)(colon - (char *)raw)) {
		fail(r, "malformed Basic credentials (NUL in the user name)");
		goto out;
	}
	plen = n - (size_t)(colon + 1 - (char *)raw);
	crypto_generichash(key, 32, raw, n, r->srv->cache_key,
	    sizeof(r->srv->cache_key));
	if ((st = req_store(r, &d)) == NULL) {
		fail(r, "the credential store is unavailable");
		goto out;
	}
	if (cybex_store_user_get(st, name, r->a, &u, &pwhash, &d) != 0 ||
	    u.disabled || pwhash == NULL) {
		/* Same cost as a wrong password: no user enumeration. */
		(void)pthread_once(&decoy_once, make_decoy);
		(void)cybex_password_verify(decoy, colon + 1, plen);
		fail(r, "invalid user name or password");
		goto out;
	}
	pw_digest(pwhash, pwh);
	if (!cache_hit(r->srv, key, pwh, u.uid)) {
		if (cybex_password_verify(pwhash, colon + 1, plen) != 0) {
			fail(r, "invalid user name or password");
			goto out;
		}
		cache_put(r->srv, key, pwh, u.uid);
	}
	r->who.kind = WHO_USER;
	r->who.uid = u.uid;
	r->who.name = u.name;
	r->who.admin = u.is_admin;
 out:
	sodium_memzero(raw, sizeof(raw));
}

static void
bearer(struct req *r, const char *tok)
{
	struct cybex_store *st;
	struct cybex_token t;
	struct cybex_user u;
	struct cybex_diag d;
	uint8_t h[CYBEX_TOKEN_HASHLEN];
	int64_t now = (int64_t)time(NULL) * 1000000;

	if (strlen(tok) > CYBEX_TOKEN_MAX) {
		fail(r, "invalid token");
		return;
	}
	cybex_token_hash(tok, strlen(tok), h);
	if ((st = req_store(r, &d)) == NULL) {
		fail(r, "the credential store is unavailable");
		return;
	}
	if (cybex_store_token_find(st, h, r->a, &t, &d) != 0) {
		fail(r, "invalid token");
		return;
	}
	if (t.revoked_us != 0) {
		fail(r, "this token was revoked");
		return;
	}
	if (t.expires_us != 0 && t.expires_us < now) {
		fail(r, "this token has expired");
		return;
	}
	if (cybex_store_user_get(st, t.user, r->a, &u, NULL, &d) != 0 ||
	    u.disabled) {
		fail(r, "the token's user is disabled or gone");
		return;
	}
	/* Record use at most once a minute per token. */
	if (now - t.last_used_us > 60 * 1000000LL)
		(void)cybex_store_token_touch(st, t.tid, NULL);
	r->who.kind = WHO_TOKEN;
	r->who.uid = u.uid;
	r->who.name = u.name;
	r->who.admin = u.is_admin;
	r->who.tid = t.tid;
}

void
auth_request(struct req *r)
{
	const char *h;

	memset(&r->who, 0, sizeof(r->who));
	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL)
		return;
	if (strncasecmp(h, "Basic ", 6) == 0)
		basic(r, h + 6);
	else if (strncasecmp(h, "Bearer ", 7) == 0)
		bearer(r, h + 7);
	else
		fail(r, "unsupported Authorization scheme (use Basic or "
		    "Bearer)");
}

int
auth_access(struct req *r, const char *coll_id, bool *can_read,
    bool *can_write)
{
	struct cybex_collection c;
	struct cybex_store *st;
	struct cybex_diag d;
	int rc;

	*can_read = *can_write = false;
	if (r->who.kind == WHO_NONE)
		return 0;
	if (r->who.admin) {
		*can_read = *can_write = true;
		return 0;
	}
	if ((st = req_store(r, &d)) == NULL)
		return d.code;
	/*
	 * The incidents collection holds every organization's incidents at
	 * every TLP: members read incidents through the REST API, which
	 * knows their audience (api_incidents.c); through TAXII it is the
	 * admins' alone, whatever was granted.
	 */
	cybex_diag_clear(&d);
	rc = cybex_store_collection_get(st, coll_id, r->a, &c, &d);
	if (rc == 0 && c.alias != NULL &&
	    strcmp(c.alias, CYBEX_INCIDENT_COLLECTION) == 0)
		return 0;
	if (rc != 0 && rc != CYBEX_ENOTFOUND)
		return rc;
	return cybex_store_access(st, r->who.uid, coll_id, can_read,
	    can_write, &d);
}
