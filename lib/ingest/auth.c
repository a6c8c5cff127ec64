/*
 * Messages of the programs that log authentication: sshd, PAM modules,
 * su, sudo and login.  Each message becomes an observation with the
 * result (enum cybex_auth_result), the account tried, the account
 * switched to (su, sudo), the method and the client address and port.
 *
 * What each message means follows the OSSEC/Wazuh sshd rules and their
 * tests (../shared/conformance/authlog): a message those rules call a
 * duplicate of another (sshd's "input_userauth_request: invalid user",
 * PAM's "authentication failure ... tty=ssh" under sshd) gives
 * CYBEX_AUTH_OTHER so that one attempt is not counted twice.
 * Messages of these programs that are about something else (key
 * exchange, configuration errors) give kind CYBEX_OBS_OTHER with
 * CYBEX_AUTH_NONE, and the client address when the message names one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

/* A piece of the message. */
struct seg {
	const char	*p;
	size_t		 n;
};

static bool
eat(struct seg *s, const char *lit)
{
	size_t k = strlen(lit);

	if (s->n < k || memcmp(s->p, lit, k) != 0)
		return false;
	s->p += k;
	s->n -= k;
	return true;
}

/* Move past the first occurrence of lit; false (s unchanged) if none. */
static bool
skip_to(struct seg *s, const char *lit)
{
	const char *f = ingest_memmem(s->p, s->n, lit);

	if (f == NULL)
		return false;
	s->n -= (size_t)(f - s->p) + strlen(lit);
	s->p = f + strlen(lit);
	return true;
}

static bool
has(const struct seg *s, const char *lit)
{
	return ingest_memmem(s->p, s->n, lit) != NULL;
}

/* Last occurrence of lit in s, or NULL. */
static const char *
last(const struct seg *s, const char *lit)
{
	const char *f, *found = NULL;
	struct seg t = *s;

	while ((f = ingest_memmem(t.p, t.n, lit)) != NULL) {
		found = f;
		t.n -= (size_t)(f - t.p) + 1;
		t.p = f + 1;
	}
	return found;
}

static void
trim(struct seg *s)
{
	while (s->n > 0 && s->p[0] == ' ') {
		s->p++;
		s->n--;
	}
	while (s->n > 0 && s->p[s->n - 1] == ' ')
		s->n--;
}

/* The first space-delimited word of s (s moves past it). */
static struct seg
word(struct seg *s)
{
	struct seg w;
	size_t i;

	trim(s);
	for (i = 0; i < s->n && s->p[i] != ' '; i++)
		;
	w.p = s->p;
	w.n = i;
	s->p += i;
	s->n -= i;
	return w;
}

static int
set_text(struct cybex_ingest_reader *r, const char **dst, struct seg v,
    struct cybex_diag *d)
{
	trim(&v);
	if (v.n == 0)
		return 0;
	if ((*dst = ingest_text(r, v.p, v.n)) == NULL)
		return ingest_full(d, 1);
	return 0;
}

/* An address the message names: kept when it is an IP address (sshd
 * writes a host name instead when UseDNS is on; that is not an error). */
/*
 * A DNS host name as sshd and PAM log a client they know only by name:
 * a host name of two labels at least (cybex_domain_check) whose
 * top-level label is two or more letters ("ws1.corp.example"; not
 * "UNKNOWN", not "183.106.179.x").
 */
static bool
host_name(struct seg v)
{
	size_t i;

	if (!cybex_domain_check(v.p, v.n, CYBEX_DOMAIN_HOST |
	    CYBEX_DOMAIN_DOTTED))
		return false;
	for (i = v.n; i > 0 && v.p[i - 1] != '.'; i--)
		if (!((v.p[i - 1] >= 'a' && v.p[i - 1] <= 'z') ||
		    (v.p[i - 1] >= 'A' && v.p[i - 1] <= 'Z')))
			return false;
	return v.n - i >= 2;
}

static int
set_addr(struct cybex_ingest_reader *r, struct seg v, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;

	trim(&v);
	/* "[192.0.2.1]" and a trailing ':' or ',' */
	if (v.n > 0 && v.p[0] == '[') {
		v.p++;
		v.n--;
	}
	while (v.n > 0 && (v.p[v.n - 1] == ']' || v.p[v.n - 1] == ':' ||
	    v.p[v.n - 1] == ','))
		v.n--;
	if (v.n == 0)
		return 0;
	switch (ingest_set_ip(r, &o->src_ip, &o->src_ip_text, v.p, v.n)) {
	case 0:
		return 0;
	case CYBEX_ETOOBIG:
		return ingest_full(d, 1);
	}
	/* Not an address: a host name ("rhost=ws1.example"), else nothing. */
	if (host_name(v) && (o->src_host = ingest_strdup_lower(r, v.p,
	    v.n)) == NULL)
		return ingest_full(d, 1);
	return 0;
}

static void
set_port(struct cybex_ingest_reader *r, struct seg v)
{
	uint64_t port;
	size_t i;

	for (i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++)
		;
	if (ingest_uint(v.p, i, 65535, &port) == 0) {
		r->obs.src_port = (uint16_t)port;
		r->obs.has_src_port = true;
	}
}

/* "ADDR[ port N][...]" */
static int
addr_port(struct cybex_ingest_reader *r, struct seg s, struct cybex_diag *d)
{
	struct seg a = word(&s);
	int rc;

	if ((rc = set_addr(r, a, d)) != 0)
		return rc;
	if (eat(&s, " port "))
		set_port(r, s);
	return 0;
}

/*
 * "[invalid user |illegal user ]USER from ADDR[ port N ...]": the last
 * " from " ends the user name (a name may hold spaces or "from").
 * Returns whether the user was marked invalid.
 */
static int
user_from(struct cybex_ingest_reader *r, struct seg s, bool *invalid,
    struct cybex_diag *d)
{
	struct seg u;
	const char *f;
	int rc;

	*invalid = eat(&s, "invalid user ") || eat(&s, "illegal user ");
	if ((f = last(&s, " from ")) == NULL) {
		u = word(&s);
		return set_text(r, &r->obs.user, u, d);
	}
	u.p = s.p;
	u.n = (size_t)(f - s.p);
	if ((rc = set_text(r, &r->obs.user, u, d)) != 0)
		return rc;
	s.n -= (size_t)(f - s.p) + 6;
	s.p = f + 6;
	return addr_port(r, s, d);
}

/* "[invalid user |authenticating user |user ]USER ADDR port N": sshd's
 * shape after "Disconnected from", "Connection closed by", ... */
static int
user_addr(struct cybex_ingest_reader *r, struct seg s, bool *invalid,
    struct cybex_diag *d)
{
	struct seg u, a;
	const char *p, *sp;
	int rc;

	*invalid = false;
	if (eat(&s, "invalid user ") || eat(&s, "illegal user "))
		*invalid = true;
	else if (!eat(&s, "authenticating user ") && !eat(&s, "user "))
		return addr_port(r, s, d);
	if ((p = last(&s, " port ")) != NULL) {
		set_port(r, (struct seg){ p + 6, s.n - (size_t)(p + 6 - s.p) });
		s.n = (size_t)(p - s.p);
	}
	trim(&s);
	/* The address is the last word; the user is what comes before. */
	for (sp = s.p + s.n; sp > s.p && sp[-1] != ' '; sp--)
		;
	a.p = sp;
	a.n = (size_t)(s.p + s.n - sp);
	u.p = s.p;
	u.n = sp > s.p ? (size_t)(sp - s.p) - 1 : 0;
	if ((rc = set_text(r, &r->obs.user, u, d)) != 0)
		return rc;
	return set_addr(r, a, d);
}

/* "Accepted password for ..." -> method "password", rest after " for ". */
static int
method_for(struct cybex_ingest_reader *r, struct seg *s, struct cybex_diag *d)
{
	struct seg m = word(s);

	if (!eat(s, " for "))
		return CYBEX_ENOTFOUND;
	return set_text(r, &r->obs.auth_method, m, d);
}

/* ---- PAM ---- */

/* The value of " key=" in a PAM message; values end at a space (an
 * empty one is followed by a second space: "rhost=  user=root"). */
static struct seg
pam_kv(const struct seg *s, const char *key)
{
	struct seg v = { NULL, 0 }, t = *s;
	const char *f;
	size_t kl = strlen(key);

	while ((f = ingest_memmem(t.p, t.n, key)) != NULL) {
		t.n -= (size_t)(f - t.p) + kl;
		t.p = f + kl;
		if ((f == s->p || f[-1] == ' ' || f[-1] == ';') && t.n > 0 &&
		    t.p[0] == '=') {
			v.p = t.p + 1;
			for (v.n = 0; v.n < t.n - 1 && v.p[v.n] != ' '; v.n++)
				;
			return v;
		}
	}
	return v;
}

/*
 * A PAM module's message; service is the PAM service ("sshd", "su").
 * For su and sudo the account tried is the requesting user (ruser,
 * logname) and user= is the account switched to.
 */
static int
pam_message(struct cybex_ingest_reader *r, struct seg svc, struct seg s,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg u, by, t;
	size_t i;
	bool sw;
	int rc;

	sw = (svc.n == 2 && memcmp(svc.p, "su", 2) == 0) ||
	    (svc.n == 4 && memcmp(svc.p, "sudo", 4) == 0) ||
	    (svc.n == 5 && memcmp(svc.p, "su-l", 4) == 0);
	o->source_type = "pam";
	if ((rc = set_text(r, &o->auth_service, svc, d)) != 0)
		return rc;
	if (has(&s, "authentication failure")) {
		t = s;
		if ((rc = set_addr(r, pam_kv(&t, "rhost"), d)) != 0)
			return rc;
		u = pam_kv(&t, "user");
		if (sw) {
			if ((rc = set_text(r, &o->target_user, u, d)) != 0)
				return rc;
			u = pam_kv(&t, "ruser");
			if (u.n == 0)
				u = pam_kv(&t, "logname");
		}
		if ((rc = set_text(r, &o->user, u, d)) != 0)
			return rc;
		/* sshd logs its own "Failed ..." line for the same try. */
		if (svc.n == 4 && memcmp(svc.p, "sshd", 4) == 0 &&
		    has(&s, "tty=ssh") && !has(&s, "more authentication"))
			o->auth = CYBEX_AUTH_OTHER;
		else
			o->auth = CYBEX_AUTH_FAILURE;
		return 1;
	}
	if (has(&s, "check pass; user unknown") || has(&s, "user unknown")) {
		/* Under sshd: its "Invalid user" line counted the try. */
		o->auth = svc.n == 4 && memcmp(svc.p, "sshd", 4) == 0 ?
		    CYBEX_AUTH_OTHER : CYBEX_AUTH_INVALID_USER;
		return 1;
	}
	if (skip_to(&s, "session opened for user ")) {
		u = word(&s);
		/* newer PAM: "user root(uid=0) by (uid=0)" */
		for (i = 0; i < u.n && u.p[i] != '('; i++)
			;
		u.n = i;
		o->auth = CYBEX_AUTH_SUCCESS;
		by.p = s.p;
		by.n = 0;
		if (skip_to(&s, " by ")) {
			by = s;
			for (by.n = 0; by.n < s.n && s.p[by.n] != '(' &&
			    s.p[by.n] != ' '; by.n++)
				;
		}
		if (sw) {
			if ((rc = set_text(r, &o->target_user, u, d)) != 0)
				return rc;
			u = by;		/* may be empty: "by (uid=0)" */
		}
		return (rc = set_text(r, &o->user, u, d)) != 0 ? rc : 1;
	}
	if (skip_to(&s, "session closed for user ")) {
		o->auth = CYBEX_AUTH_OTHER;
		return (rc = set_text(r, sw ? &o->target_user : &o->user,
		    word(&s), d)) != 0 ? rc : 1;
	}
	if (has(&s, "account") && has(&s, "expired")) {
		o->auth = CYBEX_AUTH_DENIED;
		if (skip_to(&s, "account ") &&
		    (rc = set_text(r, &o->user, word(&s), d)) != 0)
			return rc;
		return 1;
	}
	o->auth = CYBEX_AUTH_OTHER;
	return 1;
}

/* "pam_unix(sshd:auth): MSG" at the start of a message. */
static int
pam_prefixed(struct cybex_ingest_reader *r, struct seg s, struct cybex_diag *d)
{
	struct seg svc;
	const char *c;

	if (!eat(&s, "pam_"))
		return 0;
	if ((c = memchr(s.p, '(', s.n)) == NULL)
		return 0;
	s.n -= (size_t)(c + 1 - s.p);
	s.p = c + 1;
	svc.p = s.p;
	for (svc.n = 0; svc.n < s.n && s.p[svc.n] != ':' &&
	    s.p[svc.n] != ')'; svc.n++)
		;
	if (!skip_to(&s, "): "))
		return 0;
	return pam_message(r, svc, s, d);
}

/* ---- sshd ---- */

/*
 * One try at an unknown account is logged by sshd as "Invalid user U
 * from A port P" when the client names the account, then (for a
 * password or keyboard-interactive try) "Failed password for invalid
 * user U from A port P", and "Connection closed by invalid user U A port
 * P" at the end.  The first line counts the try; the first "Failed" line
 * of the same connection (address, port, user) and its closing line are
 * the same try again (CYBEX_AUTH_OTHER).  Later "Failed" lines of the
 * connection are further tries and count.
 */
static uint64_t
conn_key(const struct cybex_obs *o)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *u;
	size_t i;

	if (o->src_ip.family == 0 || o->user == NULL)
		return 0;
	h = (h ^ o->src_ip.family) * 0x100000001b3ULL;
	for (i = 0; i < sizeof(o->src_ip.a); i++)
		h = (h ^ o->src_ip.a[i]) * 0x100000001b3ULL;
	for (u = o->user; *u != '\0'; u++)
		h = (h ^ (unsigned char)*u) * 0x100000001b3ULL;
	return h != 0 ? h : 1;
}

static struct ingest_sshd_conn *
conn_find(struct cybex_ingest_reader *r)
{
	uint64_t k = conn_key(&r->obs);
	size_t i;

	if (k == 0)
		return NULL;
	for (i = 0; i < INGEST_SSHD_CONNS; i++)
		if (r->sshd[i].key == k && (r->sshd[i].port == 0 ||
		    r->obs.src_port == 0 || r->sshd[i].port == r->obs.src_port))
			return &r->sshd[i];
	return NULL;
}

/* "Invalid user U from A port P": a new connection with an unknown user. */
static void
conn_open(struct cybex_ingest_reader *r)
{
	struct ingest_sshd_conn *c;
	uint64_t k = conn_key(&r->obs);

	if (k == 0)
		return;
	if ((c = conn_find(r)) == NULL) {
		c = &r->sshd[r->sshd_next];
		r->sshd_next = (r->sshd_next + 1) % INGEST_SSHD_CONNS;
	}
	c->key = k;
	c->port = r->obs.src_port;
	c->failed = false;
}

/* A "Failed ... for invalid user" try: the announced one is not new. */
static enum cybex_auth_result
conn_failed(struct cybex_ingest_reader *r)
{
	struct ingest_sshd_conn *c = conn_find(r);

	if (c == NULL || c->failed)
		return CYBEX_AUTH_INVALID_USER;
	c->failed = true;
	return CYBEX_AUTH_OTHER;
}

/* The end of an announced connection: counted already. */
static enum cybex_auth_result
conn_closed(struct cybex_ingest_reader *r)
{
	struct ingest_sshd_conn *c = conn_find(r);

	if (c == NULL)
		return CYBEX_AUTH_INVALID_USER;
	c->key = 0;
	return CYBEX_AUTH_OTHER;
}

static int
sshd_message(struct cybex_ingest_reader *r, struct seg s, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg t;
	bool invalid;
	int rc;

	o->source_type = "sshd";
	o->auth_service = "sshd";
	/* Solaris: "[ID 800047 auth.notice] " */
	if (s.n > 4 && memcmp(s.p, "[ID ", 4) == 0) {
		t = s;
		if (skip_to(&t, "] "))
			s = t;
	}
	if (s.n >= 9 && memcmp(s.p + s.n - 9, " [preauth]", 9) == 0)
		s.n -= 9;
	else if (s.n >= 10 && memcmp(s.p + s.n - 10, " [preauth]", 10) == 0)
		s.n -= 10;
	if (pam_prefixed(r, s, d) == 1) {
		o->source_type = "sshd";
		return 1;
	}
	t = s;
	if (eat(&t, "Accepted ")) {
		if ((rc = method_for(r, &t, d)) < 0 && rc != CYBEX_ENOTFOUND)
			return rc;
		o->auth = CYBEX_AUTH_SUCCESS;
		return (rc = user_from(r, t, &invalid, d)) != 0 ? rc : 1;
	}
	if (eat(&t, "Failed ") || eat(&t, "Postponed ")) {
		bool postponed = s.p[0] == 'P';

		if ((rc = method_for(r, &t, d)) == CYBEX_ENOTFOUND)
			goto other;
		if (rc != 0 || (rc = user_from(r, t, &invalid, d)) != 0)
			return rc;
		/* Postponed: the try goes on; its "Failed" line decides. */
		if (postponed)
			o->auth = invalid && conn_find(r) == NULL ?
			    CYBEX_AUTH_INVALID_USER : CYBEX_AUTH_OTHER;
		else
			o->auth = invalid ? conn_failed(r) :
			    CYBEX_AUTH_FAILURE;
		return 1;
	}
	if (eat(&t, "Invalid user ") || eat(&t, "Illegal user ")) {
		o->auth = CYBEX_AUTH_INVALID_USER;
		if ((rc = user_from(r, t, &invalid, d)) != 0)
			return rc;
		conn_open(r);
		return 1;
	}
	if (eat(&t, "input_userauth_request: invalid user ")) {
		/* The same try as the "Invalid user" line before it. */
		o->auth = CYBEX_AUTH_OTHER;
		return (rc = set_text(r, &o->user, word(&t), d)) != 0 ? rc : 1;
	}
	if (eat(&t, "error: PAM: ")) {
		if (skip_to(&t, "User not known to the underlying "
		    "authentication module for ")) {
			if ((rc = user_from(r, t, &invalid, d)) != 0)
				return rc;
			o->auth = CYBEX_AUTH_OTHER;	/* a duplicate */
			return 1;
		}
		if (skip_to(&t, "unknown user for ")) {
			if ((rc = user_from(r, t, &invalid, d)) != 0)
				return rc;
			o->auth = CYBEX_AUTH_INVALID_USER;
			return 1;
		}
		if (skip_to(&t, "uthentication failure for ") ||
		    skip_to(&t, "uthentication error for ") ||
		    skip_to(&t, "cannot retrieve user credentials for ")) {
			if ((rc = user_from(r, t, &invalid, d)) != 0)
				return rc;
			o->auth = invalid ? CYBEX_AUTH_INVALID_USER :
			    CYBEX_AUTH_FAILURE;
			return 1;
		}
		goto other;
	}
	if (eat(&t, "error: maximum authentication attempts exceeded for ")) {
		if ((rc = user_from(r, t, &invalid, d)) != 0)
			return rc;
		o->auth = CYBEX_AUTH_MAXTRIES;
		return 1;
	}
	if (eat(&t, "Disconnecting: Too many authentication failures")) {
		o->auth = CYBEX_AUTH_MAXTRIES;
		if (eat(&t, " for "))
			return (rc = user_from(r, t, &invalid, d)) != 0 ?
			    rc : 1;
		return 1;
	}
	if (eat(&t, "Disconnecting ") || eat(&t, "Disconnected from ") ||
	    eat(&t, "Connection closed by ") ||
	    eat(&t, "Connection reset by ")) {
		struct seg head = t;
		const char *colon = last(&t, ": ");

		if (colon != NULL)
			head.n = (size_t)(colon - t.p);
		if ((rc = user_addr(r, head, &invalid, d)) != 0)
			return rc;
		if (has(&t, "Too many authentication failures"))
			o->auth = CYBEX_AUTH_MAXTRIES;
		else if (invalid)
			o->auth = conn_closed(r);
		else
			o->auth = CYBEX_AUTH_OTHER;
		return 1;
	}
	if (eat(&t, "User ") && has(&t, " not allowed because ")) {
		struct seg u = word(&t);

		if ((rc = set_text(r, &o->user, u, d)) != 0)
			return rc;
		if (eat(&t, " from ") && (rc = set_addr(r, word(&t), d)) != 0)
			return rc;
		o->auth = CYBEX_AUTH_DENIED;
		return 1;
	}
	if (eat(&t, "Authentication refused: ") ||
	    has(&s, "Authentication service cannot retrieve user credentials")) {
		o->auth = CYBEX_AUTH_FAILURE;
		return 1;
	}
	/* Events around authentication, with the client's address. */
	t = s;
	if (skip_to(&t, "Did not receive identification string from ") ||
	    skip_to(&t, "Received disconnect from ") ||
	    skip_to(&t, "Timeout before authentication for ") ||
	    skip_to(&t, "Unable to negotiate with ") ||
	    (skip_to(&t, "Bad protocol version identification ") &&
	    skip_to(&t, " from "))) {
		o->auth = CYBEX_AUTH_OTHER;
		return (rc = addr_port(r, t, d)) != 0 ? rc : 1;
	}
	t = s;
	if (eat(&t, "reverse mapping checking getaddrinfo for ")) {
		(void)word(&t);
		o->auth = CYBEX_AUTH_OTHER;
		return (rc = set_addr(r, word(&t), d)) != 0 ? rc : 1;
	}
	if (eat(&t, "Address ") && has(&t, " maps to ")) {
		o->auth = CYBEX_AUTH_OTHER;
		return (rc = set_addr(r, word(&t), d)) != 0 ? rc : 1;
	}
	if (eat(&t, "pam_systemd(") || has(&s, "Failed to create session")) {
		o->auth = CYBEX_AUTH_OTHER;
		return 1;
	}
 other:
	/* Not about authentication: still say where from when it is said. */
	o->auth = CYBEX_AUTH_NONE;
	t = s;
	if (skip_to(&t, "remote host ") || skip_to(&t, "Connection from ") ||
	    skip_to(&t, " from "))
		if ((rc = addr_port(r, t, d)) != 0)
			return rc;
	return 1;
}

/* ---- su ---- */

static int
su_message(struct cybex_ingest_reader *r, struct seg s, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg t = s, a, b;
	int rc;

	o->source_type = "su";
	o->auth_service = "su";
	if (pam_prefixed(r, s, d) == 1) {
		o->source_type = "su";
		return 1;
	}
	/* "BAD SU from to to on tty", "failed: tty changing from X to Y" */
	if (eat(&t, "BAD SU ") || (eat(&t, "failed: ") &&
	    skip_to(&t, "changing from "))) {
		o->auth = CYBEX_AUTH_FAILURE;
		goto from_to;
	}
	t = s;
	if (eat(&t, "FAILED SU (to ")) {
		o->auth = CYBEX_AUTH_FAILURE;
		goto paren;
	}
	t = s;
	if (eat(&t, "(to ")) {
		o->auth = CYBEX_AUTH_SUCCESS;
		goto paren;
	}
	t = s;
	if (eat(&t, "pam_authenticate: ")) {
		o->auth = CYBEX_AUTH_FAILURE;
		return 1;
	}
	/* "user to target on tty" */
	t = s;
	a = word(&t);
	if (a.n > 0 && eat(&t, " to ")) {
		o->auth = CYBEX_AUTH_SUCCESS;
		t = s;
		goto from_to;
	}
	o->auth = CYBEX_AUTH_NONE;
	return 1;
 from_to:
	a = word(&t);
	if (!eat(&t, " to "))
		return 1;
	b = word(&t);
	if ((rc = set_text(r, &o->user, a, d)) != 0)
		return rc;
	return (rc = set_text(r, &o->target_user, b, d)) != 0 ? rc : 1;
 paren:
	/* "target) user on tty" */
	b.p = t.p;
	for (b.n = 0; b.n < t.n && t.p[b.n] != ')'; b.n++)
		;
	if (b.n == t.n)
		return 1;
	t.p += b.n + 1;
	t.n -= b.n + 1;
	a = word(&t);
	if ((rc = set_text(r, &o->user, a, d)) != 0)
		return rc;
	return (rc = set_text(r, &o->target_user, b, d)) != 0 ? rc : 1;
}

/* ---- sudo ---- */

static int
sudo_message(struct cybex_ingest_reader *r, struct seg s, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg t, u, item;
	const char *semi;
	bool reason = false;
	int rc;

	o->source_type = "sudo";
	o->auth_service = "sudo";
	if (pam_prefixed(r, s, d) == 1) {
		o->source_type = "sudo";
		return 1;
	}
	/* "USER : [REASON ; ]TTY=.. ; PWD=.. ; USER=.. ; COMMAND=.." */
	t = s;
	trim(&t);
	u.p = t.p;
	for (u.n = 0; u.n < t.n && t.p[u.n] != ' '; u.n++)
		;
	t.p += u.n;
	t.n -= u.n;
	if (u.n == 0 || !eat(&t, " : ")) {
		o->auth = CYBEX_AUTH_NONE;
		return 1;
	}
	if ((rc = set_text(r, &o->user, u, d)) != 0)
		return rc;
	o->auth = CYBEX_AUTH_SUCCESS;
	while (t.n > 0) {
		trim(&t);
		if (eat(&t, "COMMAND=")) {
			if ((rc = set_text(r, &o->command, t, d)) != 0)
				return rc;
			break;
		}
		item = t;
		if ((semi = ingest_memmem(t.p, t.n, " ; ")) != NULL) {
			item.n = (size_t)(semi - t.p);
			t.n -= item.n + 3;
			t.p = semi + 3;
		} else {
			t.n = 0;
		}
		if (eat(&item, "USER=")) {
			if ((rc = set_text(r, &o->target_user, item, d)) != 0)
				return rc;
		} else if (!reason && memchr(item.p, '=', item.n) == NULL) {
			reason = true;
			if (has(&item, "incorrect password attempt"))
				o->auth = CYBEX_AUTH_FAILURE;
			else if (has(&item, "NOT in sudoers") ||
			    has(&item, "NOT allowed") ||
			    has(&item, "not allowed") ||
			    has(&item, "NOT authorized"))
				o->auth = CYBEX_AUTH_DENIED;
			else
				o->auth = CYBEX_AUTH_OTHER;
		}
	}
	return 1;
}

/* ---- login ---- */

static int
login_message(struct cybex_ingest_reader *r, struct seg s,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg t = s, u;
	int rc;

	o->source_type = "login";
	o->auth_service = "login";
	if (pam_prefixed(r, s, d) == 1) {
		o->source_type = "login";
		return 1;
	}
	if (eat(&t, "FAILED LOGIN ")) {
		o->auth = CYBEX_AUTH_FAILURE;
		if (skip_to(&t, " FOR ")) {
			u = t;
			for (u.n = 0; u.n < t.n && t.p[u.n] != ','; u.n++)
				;
			if ((rc = set_text(r, &o->user, u, d)) != 0)
				return rc;
		}
		return 1;
	}
	if (eat(&t, "ROOT LOGIN ")) {
		o->auth = CYBEX_AUTH_SUCCESS;
		o->user = "root";
		return 1;
	}
	if (eat(&t, "LOGIN ON ") && skip_to(&t, " BY ")) {
		o->auth = CYBEX_AUTH_SUCCESS;
		return (rc = set_text(r, &o->user, word(&t), d)) != 0 ? rc : 1;
	}
	o->auth = CYBEX_AUTH_NONE;
	return 1;
}

int
ingest_auth_message(struct cybex_ingest_reader *r, const char *prog,
    size_t prog_len, const char *msg, size_t len, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct seg s = { msg, len }, p = { prog, prog_len }, svc;
	const char *paren;
	int rc = 0;

	/* "su(pam_unix)": the old PAM tag, service before the module. */
	if ((paren = memchr(prog, '(', prog_len)) != NULL &&
	    ingest_memmem(prog, prog_len, "(pam_") != NULL) {
		svc.p = prog;
		svc.n = (size_t)(paren - prog);
		rc = pam_message(r, svc, s, d);
	} else if ((p.n == 4 && memcmp(p.p, "sshd", 4) == 0) ||
	    (p.n == 12 && memcmp(p.p, "sshd-session", 12) == 0)) {
		rc = sshd_message(r, s, d);
	} else if (p.n == 2 && memcmp(p.p, "su", 2) == 0) {
		rc = su_message(r, s, d);
	} else if (p.n == 4 && memcmp(p.p, "sudo", 4) == 0) {
		rc = sudo_message(r, s, d);
	} else if (p.n == 5 && memcmp(p.p, "login", 5) == 0) {
		rc = login_message(r, s, d);
	} else {
		/* Any program's PAM messages ("pam_unix(cron:session): "). */
		rc = pam_prefixed(r, s, d);
	}
	if (rc != 1)
		return rc;
	o->kind = o->auth != CYBEX_AUTH_NONE ? CYBEX_OBS_AUTH :
	    CYBEX_OBS_OTHER;
	return 1;
}
