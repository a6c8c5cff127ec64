/*
 * Postfix mail logs (syslog lines of postfix/smtpd, cleanup, qmgr, smtp,
 * local, ...).  One message's story is spread over several lines tied by
 * its queue id:
 *
 *   smtpd   QID: client=mail.example.com[192.0.2.1]
 *   cleanup QID: message-id=<id@example.com>
 *   qmgr    QID: from=<a@example.com>, size=1234, nrcpt=2 (queue active)
 *   smtp    QID: to=<b@example.org>, relay=mx.example.org[198.51.100.2]:25,
 *                ..., status=sent (250 ok)
 *   qmgr    QID: removed
 *
 * What the first three say is kept in a table of queue ids so that each
 * delivery line becomes one observation with the sender, the client that
 * relayed the message in, the recipient and the message id.  The table
 * is capped (postfix_queue_max); past it the least recently used id is
 * dropped, so a log of messages that are never removed keeps memory flat.
 * A delivery whose id was dropped (or came before the log started) is
 * still an observation, without what was forgotten.
 *
 * Observations: deliveries (status sent, bounced, deferred, ...),
 * rejections ("NOQUEUE: reject: RCPT from ..."), smtpd connections, and
 * SASL logins and failures (kind CYBEX_OBS_AUTH, service "smtp").
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

#define QUEUE_MAX_DEFAULT	4096
#define QID_MAX			24
#define HOST_MAX		256
#define ADDR_MAX		48
#define FROM_MAX		328	/* RFC 5321 path: 64 + 1 + 255 + <> */
#define MSGID_MAX		256

struct qent {
	char		 qid[QID_MAX];		/* "" = free */
	char		 host[HOST_MAX];
	char		 addr[ADDR_MAX];
	char		 from[FROM_MAX];
	char		 msgid[MSGID_MAX];
	bool		 has_from;
	uint32_t	 nrcpt;
	int32_t		 prev, next;	/* LRU list, most recent at head */
	int32_t		 hnext;		/* hash chain */
};

struct pfx {
	struct qent	*e;
	size_t		 n;		/* entries in use or ever used */
	size_t		 alloc;
	size_t		 cap;
	int32_t		*bucket;
	size_t		 nbucket;	/* power of two */
	int32_t		 head, tail;	/* LRU */
	int32_t		 freelist;	/* through hnext */
	uint64_t	 evictions;
};

static uint32_t
hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static void
lru_unlink(struct pfx *t, int32_t i)
{
	struct qent *e = &t->e[i];

	if (e->prev >= 0)
		t->e[e->prev].next = e->next;
	else
		t->head = e->next;
	if (e->next >= 0)
		t->e[e->next].prev = e->prev;
	else
		t->tail = e->prev;
	e->prev = e->next = -1;
}

static void
lru_push(struct pfx *t, int32_t i)
{
	struct qent *e = &t->e[i];

	e->prev = -1;
	e->next = t->head;
	if (t->head >= 0)
		t->e[t->head].prev = i;
	t->head = i;
	if (t->tail < 0)
		t->tail = i;
}

static int32_t
find(struct pfx *t, const char *q, size_t n)
{
	int32_t i;

	if (t->bucket == NULL)
		return -1;
	for (i = t->bucket[hash(q, n) & (t->nbucket - 1)]; i >= 0;
	    i = t->e[i].hnext)
		if (strlen(t->e[i].qid) == n && memcmp(t->e[i].qid, q, n) == 0)
			return i;
	return -1;
}

static void
drop(struct pfx *t, int32_t i)
{
	struct qent *e = &t->e[i];
	int32_t *pp;

	pp = &t->bucket[hash(e->qid, strlen(e->qid)) & (t->nbucket - 1)];
	while (*pp != i)
		pp = &t->e[*pp].hnext;
	*pp = e->hnext;
	lru_unlink(t, i);
	e->qid[0] = '\0';
	e->hnext = t->freelist;
	t->freelist = i;
}

/* The entry of queue id q, made (evicting the oldest) if new; -1 = ENOMEM. */
static int32_t
get(struct pfx *t, const char *q, size_t n)
{
	struct qent *ne;
	uint32_t b;
	int32_t i;
	size_t na;

	if ((i = find(t, q, n)) >= 0) {
		lru_unlink(t, i);
		lru_push(t, i);
		return i;
	}
	if (t->freelist < 0 && t->n == t->cap) {
		drop(t, t->tail);
		t->evictions++;
	}
	if (t->freelist >= 0) {
		i = t->freelist;
		t->freelist = t->e[i].hnext;
	} else {
		if (t->n == t->alloc) {
			na = t->alloc == 0 ? 64 : t->alloc * 2;
			if (na > t->cap)
				na = t->cap;
			if ((ne = cybex_reallocarray(t->e, na,
			    sizeof(*ne))) == NULL)
				return -1;
			t->e = ne;
			t->alloc = na;
		}
		i = (int32_t)t->n++;
	}
	memset(&t->e[i], 0, sizeof(t->e[i]));
	memcpy(t->e[i].qid, q, n);
	t->e[i].qid[n] = '\0';
	b = hash(q, n) & (uint32_t)(t->nbucket - 1);
	t->e[i].hnext = t->bucket[b];
	t->bucket[b] = i;
	lru_push(t, i);
	return i;
}

/* Copy s[0..n) into a slot of size cap; too long = left empty. */
static void
slot(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap) {
		dst[0] = '\0';
		return;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- message pieces ---- */

/* The value of "key=" in s up to one of the stop bytes (or the end). */
static bool
kv(const char *s, size_t n, const char *key, const char *stop,
    const char **v, size_t *vn)
{
	const char *f = s, *p;
	size_t kl = strlen(key), left = n;

	while ((p = ingest_memmem(f, left, key)) != NULL) {
		if (p == s || p[-1] == ' ' || p[-1] == ',') {
			p += kl;
			*v = p;
			*vn = 0;
			while (p + *vn < s + n && strchr(stop, p[*vn]) == NULL)
				(*vn)++;
			return true;
		}
		left -= (size_t)(p + 1 - f);
		f = p + 1;
	}
	return false;
}

/* "<addr>" -> addr */
static void
unangle(const char **v, size_t *n)
{
	if (*n >= 2 && (*v)[0] == '<' && (*v)[*n - 1] == '>') {
		(*v)++;
		*n -= 2;
	}
}

/* "host[addr]" at s[0..n): host and address parts. */
static bool
host_addr(const char *s, size_t n, const char **h, size_t *hn,
    const char **a, size_t *an)
{
	const char *lb, *rb;

	if ((lb = memchr(s, '[', n)) == NULL ||
	    (rb = memchr(lb, ']', n - (size_t)(lb - s))) == NULL)
		return false;
	*h = s;
	*hn = (size_t)(lb - s);
	*a = lb + 1;
	*an = (size_t)(rb - lb - 1);
	return true;
}

/* Client host and address into the observation. */
static int
set_client(struct cybex_ingest_reader *r, const char *h, size_t hn,
    const char *a, size_t an, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;

	if (hn > 0 && !(hn == 7 && memcmp(h, "unknown", 7) == 0) &&
	    (o->mail_relay = ingest_text(r, h, hn)) == NULL)
		return ingest_full(d, 1);
	if (an > 0 && ingest_set_ip(r, &o->src_ip, &o->src_ip_text, a,
	    an) == CYBEX_ETOOBIG)
		return ingest_full(d, 1);
	return 0;
}

/* The one recipient a line names. */
static int
set_rcpt(struct cybex_ingest_reader *r, const char *v, size_t vn,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;

	if ((o->rcpt[0] = ingest_text(r, v, vn)) == NULL)
		return ingest_full(d, 1);
	o->n_rcpt = 1;
	if (o->n_rcpt_total == 0)
		o->n_rcpt_total = 1;
	return 0;
}

static int
from_entry(struct cybex_ingest_reader *r, const struct qent *e,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	int rc;

	if ((rc = set_client(r, e->host, strlen(e->host), e->addr,
	    strlen(e->addr), d)) != 0)
		return rc;
	if (e->has_from && (o->mail_from = ingest_text(r, e->from,
	    strlen(e->from))) == NULL)
		return ingest_full(d, 1);
	if (e->msgid[0] != '\0' && (o->message_id = ingest_text(r, e->msgid,
	    strlen(e->msgid))) == NULL)
		return ingest_full(d, 1);
	o->n_rcpt_total = e->nrcpt;
	return 0;
}

/* "reject: RCPT from host[addr]: 554 ...; from=<a> to=<b> proto=.." */
static int
reject(struct cybex_ingest_reader *r, const char *s, size_t n,
    const struct qent *e, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	const char *f, *h, *a, *v;
	size_t hn, an, vn;
	int rc;

	o->kind = CYBEX_OBS_MAIL;
	o->mail_status = "reject";
	if (e != NULL && (rc = from_entry(r, e, d)) != 0)
		return rc;
	if ((f = ingest_memmem(s, n, " from ")) != NULL) {
		f += 6;
		if (host_addr(f, n - (size_t)(f - s), &h, &hn, &a, &an) &&
		    (rc = set_client(r, h, hn, a, an, d)) != 0)
			return rc;
	}
	if (kv(s, n, "from=", " ,;", &v, &vn)) {
		unangle(&v, &vn);
		if (vn > 0 && (o->mail_from = ingest_text(r, v, vn)) == NULL)
			return ingest_full(d, 1);
	}
	if (kv(s, n, "to=", " ,;", &v, &vn)) {
		unangle(&v, &vn);
		if (vn > 0 && (rc = set_rcpt(r, v, vn, d)) != 0)
			return rc;
	}
	if (o->mail_relay == NULL && kv(s, n, "helo=", " ,;", &v, &vn)) {
		unangle(&v, &vn);
		if (vn > 0 && (o->mail_relay = ingest_text(r, v, vn)) == NULL)
			return ingest_full(d, 1);
	}
	return 1;
}

/* "to=<b>, relay=host[addr]:port, ..., status=sent (...)" */
static int
delivery(struct cybex_ingest_reader *r, const char *s, size_t n,
    const struct qent *e, struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	const char *v, *h, *a, *colon;
	size_t vn, hn, an;
	uint64_t port;
	int rc;

	o->kind = CYBEX_OBS_MAIL;
	if (e != NULL && (rc = from_entry(r, e, d)) != 0)
		return rc;
	if (kv(s, n, "to=", ",", &v, &vn)) {
		unangle(&v, &vn);
		if ((rc = set_rcpt(r, v, vn, d)) != 0)
			return rc;
	}
	if (kv(s, n, "relay=", ",", &v, &vn) && host_addr(v, vn, &h, &hn, &a,
	    &an)) {
		if (ingest_set_ip(r, &o->dst_ip, &o->dst_ip_text, a, an) ==
		    CYBEX_ETOOBIG)
			return ingest_full(d, 1);
		colon = a + an + 1;
		if (colon < v + vn && *colon == ':' && ingest_uint(colon + 1,
		    (size_t)(v + vn - colon - 1), 65535, &port) == 0) {
			o->dst_port = (uint16_t)port;
			o->has_dst_port = true;
		}
	}
	if (kv(s, n, "status=", " ,", &v, &vn) && vn > 0 &&
	    (o->mail_status = ingest_text(r, v, vn)) == NULL)
		return ingest_full(d, 1);
	return 1;
}

static bool
is_qid(const char *s, size_t n)
{
	size_t i;

	if (n < 5 || n >= QID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return true;
}

static int
postfix_read(struct cybex_ingest_reader *r, const char *line, size_t len,
    struct cybex_diag *d)
{
	struct pfx *t = r->state;
	struct cybex_obs *o = &r->obs;
	struct ingest_syslog h;
	const char *s, *q, *v, *hh = NULL, *a = NULL, *daemon;
	size_t n, qn, vn, hn = 0, an = 0, dn;
	struct qent *e = NULL;
	bool sender;
	int32_t i;
	uint64_t nr;
	int rc;

	if (len == 0)
		return 0;
	if ((rc = ingest_syslog_header(r, line, len, &h, d)) != 0)
		return rc;
	if (h.prog == NULL || h.prog_len < 8 ||
	    memcmp(h.prog, "postfix", 7) != 0)
		return 0;
	/* "postfix/smtpd", "postfix-in/smtpd" (multi-instance) */
	if ((daemon = memchr(h.prog, '/', h.prog_len)) == NULL)
		return 0;
	daemon++;
	dn = h.prog_len - (size_t)(daemon - h.prog);
	/* qmgr "from=<a>, size=, nrcpt=" and pickup "uid=N from=<a>" */
	sender = (dn == 4 && memcmp(daemon, "qmgr", 4) == 0) ||
	    (dn == 6 && memcmp(daemon, "pickup", 6) == 0);
	s = h.msg;
	n = h.msg_len;
	o->ts_us = h.ts_us;
	o->source_type = "postfix";
	o->app_proto = "smtp";
	if (h.host != NULL && (o->host = ingest_text(r, h.host,
	    h.host_len)) == NULL)
		return ingest_full(d, 1);

	/* Lines without a queue id. */
	if (ingest_prefix(s, n, "NOQUEUE: reject: "))
		return reject(r, s + 17, n - 17, NULL, d);
	if (ingest_prefix(s, n, "connect from ")) {
		if (!host_addr(s + 13, n - 13, &hh, &hn, &a, &an))
			return 0;
		o->kind = CYBEX_OBS_MAIL;
		o->mail_status = "connect";
		return (rc = set_client(r, hh, hn, a, an, d)) != 0 ? rc : 1;
	}
	if (ingest_prefix(s, n, "warning: ") &&
	    (v = ingest_memmem(s, n, " authentication failed")) != NULL &&
	    ingest_memmem(s, n, "SASL") != NULL) {
		o->kind = CYBEX_OBS_AUTH;
		o->auth = CYBEX_AUTH_FAILURE;
		o->auth_service = "smtp";
		if (host_addr(s + 9, n - 9, &hh, &hn, &a, &an) &&
		    (rc = set_client(r, hh, hn, a, an, d)) != 0)
			return rc;
		/* "SASL LOGIN authentication failed" */
		if ((q = ingest_memmem(s, (size_t)(v - s), "SASL ")) != NULL &&
		    q + 5 < v && (o->auth_method = ingest_text(r, q + 5,
		    (size_t)(v - q - 5))) == NULL)
			return ingest_full(d, 1);
		o->mail_relay = NULL;
		return 1;
	}

	/* "QID: ..." */
	q = s;
	for (qn = 0; qn < n && s[qn] != ':'; qn++)
		;
	if (qn + 2 > n || s[qn + 1] != ' ' || !is_qid(q, qn))
		return 0;
	s += qn + 2;
	n -= qn + 2;
	if (ingest_prefix(s, n, "removed")) {
		if ((i = find(t, q, qn)) >= 0)
			drop(t, i);
		return 0;
	}
	/* Lines that only use what is known must not push it out. */
	if ((i = find(t, q, qn)) >= 0)
		e = &t->e[i];
	if (ingest_prefix(s, n, "reject: ") ||
	    ingest_prefix(s, n, "milter-reject: "))
		return reject(r, s, n, e, d);
	if (ingest_prefix(s, n, "to=<"))
		return kv(s, n, "status=", " ", &v, &vn) ?
		    delivery(r, s, n, e, d) : 0;
	if (!ingest_prefix(s, n, "client=") &&
	    !ingest_prefix(s, n, "message-id=") && !sender)
		return 0;
	if ((i = get(t, q, qn)) < 0)
		return ingest_err(d, CYBEX_ENOMEM, 1, "out of memory");
	e = &t->e[i];
	if (ingest_prefix(s, n, "client=")) {
		s += 7;
		n -= 7;
		if (host_addr(s, n, &hh, &hn, &a, &an)) {
			slot(e->host, sizeof(e->host), hh, hn);
			slot(e->addr, sizeof(e->addr), a, an);
		}
		if (!kv(s, n, "sasl_username=", ",", &v, &vn) || vn == 0)
			return 0;
		o->kind = CYBEX_OBS_AUTH;
		o->auth = CYBEX_AUTH_SUCCESS;
		o->auth_service = "smtp";
		if ((o->user = ingest_text(r, v, vn)) == NULL)
			return ingest_full(d, 1);
		if (kv(s, n, "sasl_method=", ",", &v, &vn) && vn > 0 &&
		    (o->auth_method = ingest_text(r, v, vn)) == NULL)
			return ingest_full(d, 1);
		if ((rc = set_client(r, hh, hn, a, an, d)) != 0)
			return rc;
		o->mail_relay = NULL;
		return 1;
	}
	if (ingest_prefix(s, n, "message-id=")) {
		v = s + 11;
		vn = n - 11;
		unangle(&v, &vn);
		slot(e->msgid, sizeof(e->msgid), v, vn);
		return 0;
	}
	if (sender) {
		if (kv(s, n, "from=", ",", &v, &vn)) {
			unangle(&v, &vn);
			slot(e->from, sizeof(e->from), v, vn);
			e->has_from = vn > 0 && vn < sizeof(e->from);
		}
		if (kv(s, n, "nrcpt=", " ,", &v, &vn) && ingest_uint(v, vn,
		    UINT32_MAX, &nr) == 0)
			e->nrcpt = (uint32_t)nr;
	}
	return 0;
}

static int
postfix_init(struct cybex_ingest_reader *r, const struct cybex_ingest_opts *o,
    struct cybex_diag *d)
{
	struct pfx *t;
	size_t i;

	if ((t = cybex_calloc(1, sizeof(*t))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	r->state = t;
	t->cap = o->postfix_queue_max != 0 ? o->postfix_queue_max :
	    QUEUE_MAX_DEFAULT;
	if (t->cap > (1u << 24))
		return cybex_diag_set(d, CYBEX_EINVAL, "postfix_queue_max "
		    "%zu is over %u", t->cap, 1u << 24);
	for (t->nbucket = 16; t->nbucket < t->cap * 2; t->nbucket *= 2)
		;
	if ((t->bucket = cybex_reallocarray(NULL, t->nbucket,
	    sizeof(*t->bucket))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	for (i = 0; i < t->nbucket; i++)
		t->bucket[i] = -1;
	t->head = t->tail = t->freelist = -1;
	return 0;
}

static void
postfix_fini(struct cybex_ingest_reader *r)
{
	struct pfx *t = r->state;

	if (t == NULL)
		return;
	cybex_free(t->e);
	cybex_free(t->bucket);
	cybex_free(t);
	r->state = NULL;
}

const struct ingest_fmt ingest_fmt_postfix = {
	"postfix", postfix_init, postfix_fini, postfix_read,
};
