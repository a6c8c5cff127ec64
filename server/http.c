/*
 * The request life cycle on libmicrohttpd: limits (body size, header
 * memory, connections per client, idle timeout, time for headers and for
 * the body, memory for all bodies together), authentication before
 * anything else, routing once the body is in, one access-log line per
 * request, and the response helpers.
 *
 * Deadlines: libmicrohttpd only closes idle connections, so a client
 * that sends a header line now and then would hold its connection for
 * ever.  Every connection is in a list with its deadline: the request
 * line and headers within --header-timeout of the connection (or of the
 * previous answer), the body within --body-timeout of the headers.  A
 * watchdog thread shuts down the socket of a connection past its
 * deadline; libmicrohttpd then sees it closed and cleans up as usual.
 * The list lock is held from the shutdown back to the close notice, and
 * libmicrohttpd closes the descriptor only after that notice, so the
 * watchdog never touches a descriptor that was reused.
 *
 * Bodies: the budget counts the room allocated for them (less the NUL
 * after each), not the bytes received: the Content-Length is taken
 * whole when the headers arrive
 * (503 at once when it does not fit, before a byte of it is read), and a
 * chunked body takes each larger buffer before it grows into it.
 *
 * libmicrohttpd calls on_request several times per request: first with
 * the headers, then with body chunks, then once more with no data.  The
 * response is queued on that last call (queuing earlier would make it
 * close the connection and lose keep-alive), except for refusals that must
 * not read the body at all (401, 413, 429).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cybex/auth.h"
#include "cybex/ip.h"

#include "server.h"

#define EXTRA_HEADERS	8

struct extra_header {
	char	*name;
	char	*value;
};

/* Headers to add to the response being built (per request). */
struct req_extra {
	struct extra_header	 h[EXTRA_HEADERS];
	size_t			 n;
};

#define WATCH_US	200000		/* how often the watchdog looks */

/* Where a connection is: what its deadline is for. */
enum conn_phase {
	PHASE_HEAD = 0,		/* request line and headers */
	PHASE_BODY,		/* the body */
	PHASE_WORK,		/* answering: no deadline (idle timeout) */
};

/* One open connection (libmicrohttpd's socket context). */
struct conn {
	struct conn		*prev, *next;	/* srv->conns, under conn_mu */
	int			 fd;
	char			 addr[IPS_ADDR_MAX];
	enum conn_phase		 phase;
	int64_t			 deadline;	/* monotonic us; 0 = none */
	bool			 cut;		/* shut down by the watchdog */
	bool			 path_nul;	/* this request's path has %00 */
	char			*raw_path;	/* ...as sent (malloc'd) */
};

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- logging ---- */

void
srv_log(struct srv *s, int level, const char *event, ...)
{
	const char *kv[32];
	va_list ap;
	size_t n = 0;

	/* Re-pack the pairs for cybex_log_event (at most 15 pairs). */
	va_start(ap, event);
	while (n + 2 < sizeof(kv) / sizeof(kv[0]) &&
	    (kv[n] = va_arg(ap, const char *)) != NULL) {
		kv[n + 1] = va_arg(ap, const char *);
		n += 2;
	}
	va_end(ap);
	while (n < sizeof(kv) / sizeof(kv[0]))
		kv[n++] = NULL;
	cybex_log_event(&s->log, level, event, kv[0], kv[1], kv[2], kv[3],
	    kv[4], kv[5], kv[6], kv[7], kv[8], kv[9], kv[10], kv[11], kv[12],
	    kv[13], kv[14], kv[15], kv[16], kv[17], kv[18], kv[19], kv[20],
	    kv[21], kv[22], kv[23], kv[24], kv[25], kv[26], kv[27], kv[28],
	    kv[29], (const char *)NULL);
}

void
srv_reopen_log(struct srv *s)
{
	FILE *f;

	if (s->cfg.access_log == NULL || strcmp(s->cfg.access_log, "-") == 0)
		return;
	if ((f = fopen(s->cfg.access_log, "a")) == NULL) {
		srv_log(s, CYBEX_LOG_ERROR, "log-reopen-failed", "path",
		    s->cfg.access_log, "error", strerror(errno), NULL);
		return;
	}
	pthread_mutex_lock(&s->log_mu);
	if (s->access != NULL && s->access != stderr)
		fclose(s->access);
	s->access = f;
	pthread_mutex_unlock(&s->log_mu);
}

static void
access_line(struct req *r)
{
	char status[8], ms[32], bytes[32], uid[32];

	snprintf(status, sizeof(status), "%u", r->status);
	snprintf(ms, sizeof(ms), "%.3f", (double)(now_us() - r->t0_us) / 1000);
	snprintf(bytes, sizeof(bytes), "%zu", r->resp_bytes);
	snprintf(uid, sizeof(uid), "%lld", (long long)r->who.uid);
	/* Never the Authorization header, never a query string secret. */
	srv_log(r->srv, CYBEX_LOG_INFO, "http", "client", r->client,
	    "method", r->method, "path", r->url, "status", status, "ms", ms,
	    "bytes", bytes, "user", r->who.name != NULL ? r->who.name : "-",
	    "auth", r->who.kind == WHO_TOKEN ? "token" :
	    r->who.kind == WHO_USER ? "password" : "none",
	    "route", r->route != NULL ? r->route : "-",
	    r->auth_why != NULL ? "auth_error" : NULL, r->auth_why, NULL);
}

/* ---- responses ---- */

static struct req_extra *req_extras(struct req *r);

void
reply_header(struct req *r, const char *name, const char *value)
{
	struct req_extra *x = req_extras(r);

	if (x == NULL || x->n >= EXTRA_HEADERS)
		return;
	x->h[x->n].name = cybex_arena_strndup(r->a, name, strlen(name));
	x->h[x->n].value = cybex_arena_strndup(r->a, value, strlen(value));
	if (x->h[x->n].name != NULL && x->h[x->n].value != NULL)
		x->n++;
}

static enum MHD_Result
queue(struct req *r, unsigned status, const char *type,
    struct MHD_Response *resp, size_t len)
{
	struct req_extra *x = req_extras(r);
	enum MHD_Result mr;
	size_t i;

	if (resp == NULL)
		return MHD_NO;
	if (type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	for (i = 0; x != NULL && i < x->n; i++)
		MHD_add_response_header(resp, x->h[i].name, x->h[i].value);
	r->status = status;
	r->resp_bytes = len;
	r->answered = true;
	mr = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return mr;
}

enum MHD_Result
reply(struct req *r, unsigned status, const char *type, const char *body,
    size_t len)
{
	return queue(r, status, type, MHD_create_response_from_buffer(len,
	    (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY), len);
}

enum MHD_Result
reply_buf(struct req *r, unsigned status, const char *type,
    struct cybex_buf *b)
{
	struct MHD_Response *resp;
	size_t len = b->len;
	char *data = b->data;

	if (data == NULL)
		return reply(r, status, type, "", 0);
	resp = MHD_create_response_from_buffer_with_free_callback(len, data,
	    cybex_free);
	if (resp == NULL)
		return MHD_NO;
	/* The response owns the bytes now. */
	b->data = NULL;
	b->len = b->alloc = 0;
	return queue(r, status, type, resp, len);
}

/* One error answer in either shape: the TAXII error message or RFC 9457. */
static enum MHD_Result
vreply_error(struct req *r, enum reply_shape shape, unsigned status,
    const char *title, const char *fmt, va_list ap)
{
	struct cybex_taxii_error te;
	struct cybex_buf b;
	char desc[512];
	json_t *j = NULL;
	enum MHD_Result mr;

	vsnprintf(desc, sizeof(desc), fmt, ap);
	if (shape == SHAPE_PROBLEM)
		j = json_pack("{s:s, s:s, s:i, s:s}", "type", "about:blank",
		    "title", title, "status", (int)status, "detail", desc);
	else {
		memset(&te, 0, sizeof(te));
		te.title = title;
		te.description = desc;
		te.http_status = status;
		(void)cybex_taxii_error_write(&te, &j);
	}
	cybex_buf_init(&b, 1u << 20);
	if (j == NULL || cybex_json_write(j, 0, &b) != 0) {
		json_decref(j);
		cybex_buf_free(&b);
		return reply(r, status, "text/plain", title, strlen(title));
	}
	json_decref(j);
	mr = reply_buf(r, status, shape == SHAPE_PROBLEM ? PROBLEM_MEDIA :
	    TAXII_MEDIA, &b);
	cybex_buf_free(&b);
	return mr;
}

enum MHD_Result
reply_taxii_error(struct req *r, unsigned status, const char *title,
    const char *fmt, ...)
{
	enum MHD_Result mr;
	va_list ap;

	va_start(ap, fmt);
	mr = vreply_error(r, SHAPE_TAXII, status, title, fmt, ap);
	va_end(ap);
	return mr;
}

enum MHD_Result
reply_problem(struct req *r, unsigned status, const char *title,
    const char *fmt, ...)
{
	enum MHD_Result mr;
	va_list ap;

	va_start(ap, fmt);
	mr = vreply_error(r, SHAPE_PROBLEM, status, title, fmt, ap);
	va_end(ap);
	return mr;
}

enum MHD_Result
reply_error(struct req *r, enum reply_shape shape, int code,
    unsigned retry_secs, const char *fmt, ...)
{
	const struct http_error *e = http_error_of(code);
	enum MHD_Result mr;
	char secs[16];
	va_list ap;

	if (e->retry_after) {
		snprintf(secs, sizeof(secs), "%u", retry_secs > 0 ? retry_secs :
		    1);
		reply_header(r, "Retry-After", secs);
	}
	va_start(ap, fmt);
	mr = vreply_error(r, shape, e->status, e->title, fmt, ap);
	va_end(ap);
	return mr;
}

enum MHD_Result
reply_diag(struct req *r, enum reply_shape shape, const struct cybex_diag *d)
{
	int code = d->code < 0 ? d->code : CYBEX_EINTERNAL;
	const struct http_error *e = http_error_of(code);

	/* The client's mistake: say what it was. */
	if (e->status < 500)
		return reply_error(r, shape, code, 0, "%s", d->message);
	/* The server's trouble: the log has the detail, the client not. */
	srv_log(r->srv, CYBEX_LOG_ERROR, "store-error", "path", r->url,
	    "error", d->message, NULL);
	return reply_error(r, shape, code, 1, "%s", code == CYBEX_EBUSY ?
	    "the database is busy; try again" : code == CYBEX_ENOSPC ?
	    "the server's disk is full (see the server log)" :
	    "the store failed (see the server log)");
}

enum MHD_Result
reply_unauthorized(struct req *r)
{
	reply_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
	    "Basic realm=\"cybex\", Bearer realm=\"cybex\"");
	return reply_taxii_error(r, MHD_HTTP_UNAUTHORIZED, "Unauthorized",
	    "%s", r->auth_why != NULL ? r->auth_why : "authentication is "
	    "required: HTTP Basic (user and password) or a Bearer API token");
}

/* ---- media types ---- */

/* Does one media range (from Accept) admit TAXII 2.1 JSON? */
static bool
range_ok(const char *p, size_t n)
{
	char m[256];
	size_t i, k = 0;

	/* Lower-case, drop spaces; keep the parameters. */
	for (i = 0; i < n && k + 1 < sizeof(m); i++)
		if (p[i] != ' ' && p[i] != '\t')
			m[k++] = (char)((p[i] >= 'A' && p[i] <= 'Z') ?
			    p[i] + 32 : p[i]);
	m[k] = '\0';
	if (strstr(m, ";q=0") != NULL && strstr(m, ";q=0.") == NULL)
		return false;	/* explicitly refused */
	if (strncmp(m, "*/*", 3) == 0 || strncmp(m, "application/*", 13) == 0)
		return true;
	if (strncmp(m, "application/taxii+json", 22) != 0)
		return false;
	/* Without a version, or with version=2.1. */
	return strstr(m, "version=") == NULL || strstr(m, "version=2.1") != NULL;
}

bool
accept_taxii(const char *accept)
{
	const char *p = accept, *e;

	if (accept == NULL || *accept == '\0')
		return true;
	while (*p != '\0') {
		e = strchr(p, ',');
		if (range_ok(p, e != NULL ? (size_t)(e - p) : strlen(p)))
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

bool
content_is_taxii(const char *ctype)
{
	char m[128];
	size_t i, k = 0;

	if (ctype == NULL)
		return false;
	for (i = 0; ctype[i] != '\0' && k + 1 < sizeof(m); i++)
		if (ctype[i] != ' ' && ctype[i] != '\t')
			m[k++] = (char)((ctype[i] >= 'A' && ctype[i] <= 'Z') ?
			    ctype[i] + 32 : ctype[i]);
	m[k] = '\0';
	return strcmp(m, "application/taxii+json;version=2.1") == 0 ||
	    strncmp(m, "application/taxii+json;version=2.1;", 35) == 0;
}

/* ---- the request life cycle ---- */

struct req_full {
	struct req		 r;
	struct req_extra	 x;
};

static struct req_extra *
req_extras(struct req *r)
{
	return &((struct req_full *)(void *)r)->x;
}

struct cybex_store *
req_store(struct req *r, struct cybex_diag *d)
{
	if (r->store == NULL && pool_get(&r->srv->pool, &r->store, d) != 0)
		return NULL;
	return r->store;
}

static void
client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, n, "?");
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/* The connection's entry in the deadline list (NULL if it has none). */
static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci != NULL ? ci->socket_context : NULL;
}

/* Enter phase ph with a deadline secs from now (0: none). */
static void
conn_phase(struct srv *s, struct conn *k, enum conn_phase ph, int64_t secs)
{
	if (k == NULL)
		return;
	pthread_mutex_lock(&s->conn_mu);
	k->phase = ph;
	k->deadline = secs > 0 ? mono_us() + secs * 1000000 : 0;
	pthread_mutex_unlock(&s->conn_mu);
}

static struct req *
req_new(struct srv *s, struct MHD_Connection *c, const char *url,
    const char *method)
{
	struct req_full *f;
	struct req *r;

	if ((f = cybex_calloc(1, sizeof(*f))) == NULL)
		return NULL;
	r = &f->r;
	if (cybex_arena_new(1u << 24, &r->a) != 0) {
		cybex_free(f);
		return NULL;
	}
	r->srv = s;
	r->conn = c;
	r->url = cybex_arena_strndup(r->a, url, strlen(url));
	r->method = cybex_arena_strndup(r->a, method, strlen(method));
	r->t0_us = now_us();
	cybex_buf_init(&r->body, (size_t)s->cfg.max_body);
	client_addr(c, r->client, sizeof(r->client));
	return r;
}

bool
srv_body_take(struct srv *s, size_t n, bool wait)
{
	bool ok;

	pthread_mutex_lock(&s->body_mu);
	for (;;) {
		ok = n <= s->body_budget && s->body_bytes <= s->body_budget - n;
		if (ok || (wait && s->body_bytes == 0)) {
			s->body_bytes += n;
			ok = true;
			break;
		}
		if (!wait)
			break;
		pthread_cond_wait(&s->body_cv, &s->body_mu);
	}
	pthread_mutex_unlock(&s->body_mu);
	return ok;
}

void
srv_body_release(struct srv *s, size_t n)
{
	pthread_mutex_lock(&s->body_mu);
	s->body_bytes -= n;
	pthread_cond_broadcast(&s->body_cv);
	pthread_mutex_unlock(&s->body_mu);
}

/* Count n more bytes for r's body against the server-wide budget. */
static bool
body_reserve(struct req *r, size_t n)
{
	if (!srv_body_take(r->srv, n, false))
		return false;
	r->body_held += n;
	return true;
}

static void
body_release(struct req *r)
{
	if (r->body_held > 0)
		srv_body_release(r->srv, r->body_held);
	r->body_held = 0;
}

/*
 * Append n body bytes.  With a Content-Length the budget already holds
 * its whole buffer; a chunked body takes each larger buffer from the
 * budget before it is allocated (the old one is given back after the
 * copy: both are counted while both exist).  CYBEX_ETOOBIG past
 * --max-body, CYBEX_ENOMEM when the budget (or memory) is spent.
 */
static int
body_append(struct req *r, const char *p, size_t n)
{
	struct cybex_buf *b = &r->body;
	size_t max = (size_t)r->srv->cfg.max_body, need, nalloc;
	char *nd;

	if (n > max || b->len > max - n)
		return CYBEX_ETOOBIG;
	need = b->len + n + 1;
	if (need > b->alloc) {
		nalloc = b->alloc < 4096 ? 4096 : b->alloc;
		while (nalloc < need && nalloc <= max / 2)
			nalloc *= 2;
		if (nalloc < need)
			nalloc = need;
		if (nalloc > max + 1)
			nalloc = max + 1;
		/* Counted: the bytes a buffer holds, not its NUL. */
		if (b->data == NULL && r->body_held >= need - 1)
			nalloc = r->body_held + 1;	/* its Content-Length */
		else if (!body_reserve(r, nalloc - 1))
			return CYBEX_EBUSY;
		if ((nd = cybex_malloc(nalloc)) == NULL)
			return CYBEX_ENOMEM;
		if (b->data != NULL) {
			memcpy(nd, b->data, b->len);
			cybex_wipe(b->data, b->alloc);
			cybex_free(b->data);
			if (r->body_held > nalloc - 1) {
				srv_body_release(r->srv, r->body_held -
				    (nalloc - 1));
				r->body_held = nalloc - 1;
			}
		}
		b->data = nd;
		b->alloc = nalloc;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static void
req_free(struct req *r)
{
	if (r == NULL)
		return;
	if (r->store != NULL)
		pool_put(&r->srv->pool, r->store);
	cybex_buf_free(&r->body);
	body_release(r);
	cybex_arena_free(r->a);
	cybex_free(r);
}

/* Headers are in: refuse early what must not be read. */
static enum MHD_Result
on_headers(struct srv *s, struct req *r, struct conn *k)
{
	struct MHD_Connection *c = r->conn;
	const char *cl;
	unsigned long long n;
	char *end;

	if (k != NULL && k->path_nul) {
		/* Routing and logging would see the path cut at the NUL. */
		if (k->raw_path != NULL)
			r->url = cybex_arena_strndup(r->a, k->raw_path,
			    strlen(k->raw_path));
		return reply_taxii_error(r, 400, "Bad Request", "the request "
		    "path contains a NUL byte (%%00)");
	}
	if (ips_add(s->ips, r->client, 0, mono_us() / 1000000) >
	    (unsigned)s->cfg.max_connections_per_ip) {
		reply_header(r, "Retry-After", "5");
		return reply_taxii_error(r, 429, "Too Many Requests",
		    "more than %lld connections from %s",
		    (long long)s->cfg.max_connections_per_ip, r->client);
	}
	/* Too many failed sign-ins: refuse before any Argon2id work. */
	if (s->cfg.auth_fail_limit > 0 && ips_fail(s->ips, r->client, 0,
	    AUTH_FAIL_WINDOW, mono_us() / 1000000) >=
	    (unsigned)s->cfg.auth_fail_limit) {
		reply_header(r, "Retry-After", "60");
		r->auth_why = "too many failed sign-ins";
		return reply_taxii_error(r, 429, "Too Many Requests",
		    "too many failed sign-ins from %s; wait a minute",
		    r->client);
	}
	auth_request(r);
	if (r->who.kind == WHO_NONE) {
		if (r->auth_error)
			(void)ips_fail(s->ips, r->client, 1, AUTH_FAIL_WINDOW,
			    mono_us() / 1000000);
		return reply_unauthorized(r);
	}
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl == NULL)
		return MHD_YES;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' ||
	    n > (unsigned long long)s->cfg.max_body)
		return reply_taxii_error(r, 413, "Payload Too Large", "the "
		    "request body is larger than %lld bytes",
		    (long long)s->cfg.max_body);
	/* The whole body is counted now: never more in memory than that. */
	if (n > 0 && !body_reserve(r, (size_t)n))
		return reply_error(r, SHAPE_TAXII, CYBEX_EBUSY, 5, "the "
		    "server holds %lld bytes of uploads at once "
		    "(--max-upload-memory) and this body of %llu bytes does "
		    "not fit now; try again",
		    (long long)s->body_budget, n);
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct srv *s = cls;
	struct req *r = *con_cls;
	struct conn *k = conn_of(c);
	int rc;

	(void)version;
	if (r == NULL) {
		if ((r = req_new(s, c, url, method)) == NULL)
			return MHD_NO;
		*con_cls = r;
		conn_phase(s, k, PHASE_BODY, s->cfg.body_timeout);
		return on_headers(s, r, k);
	}
	if (*upload_size == 0)
		conn_phase(s, k, PHASE_WORK, 0);	/* the body is in */
	if (r->answered) {
		/* Already refused: swallow whatever still arrives. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->body_too_big || r->body_busy)
			;	/* drop the rest; answered when it ends */
		else if ((rc = body_append(r, upload, *upload_size)) != 0) {
			/* All uploads together may not exhaust memory. */
			if (rc == CYBEX_ETOOBIG)
				r->body_too_big = true;
			else
				r->body_busy = true;
			cybex_buf_free(&r->body);
			body_release(r);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->body_busy)
		return reply_error(r, SHAPE_TAXII, CYBEX_EBUSY, 5, "the "
		    "server holds too many uploads at once "
		    "(--max-upload-memory); try again");
	if (r->body_too_big)
		return reply_taxii_error(r, 413, "Payload Too Large", "the "
		    "request body is larger than %lld bytes",
		    (long long)s->cfg.max_body);
	return route(r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct srv *s = cls;
	struct req *r = *con_cls;
	struct conn *k = conn_of(c);
	bool cut = false;

	if (k != NULL) {
		pthread_mutex_lock(&s->conn_mu);
		cut = k->cut;
		k->phase = PHASE_HEAD;
		/* Idle waits are --request-timeout's; trickling is bounded. */
		k->deadline = mono_us() + (s->cfg.request_timeout +
		    s->cfg.header_timeout) * 1000000;
		k->path_nul = false;
		pthread_mutex_unlock(&s->conn_mu);
		free(k->raw_path);
		k->raw_path = NULL;
	}
	if (r == NULL)
		return;
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK && !r->answered)
		r->status = cut || why == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ?
		    408 : 499;
	access_line(r);
	req_free(r);
	*con_cls = NULL;
}

/* The request line is in (raw, before any decoding). */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct srv *s = cls;
	struct conn *k = conn_of(c);
	size_t plen = strcspn(uri, "?");
	const char *p;
	int64_t dl;
	bool nul = false;

	if (k == NULL)
		return NULL;
	/* %00 decodes to NUL, which would cut the decoded path short. */
	for (p = uri; (p = strchr(p, '%')) != NULL && (size_t)(p - uri) < plen;
	    p++)
		if (p[1] == '0' && p[2] == '0')
			nul = true;
	pthread_mutex_lock(&s->conn_mu);
	dl = mono_us() + s->cfg.header_timeout * 1000000;
	if (k->deadline == 0 || dl < k->deadline)
		k->deadline = dl;
	k->phase = PHASE_HEAD;
	k->path_nul = nul;
	pthread_mutex_unlock(&s->conn_mu);
	free(k->raw_path);
	k->raw_path = nul ? strndup(uri, plen) : NULL;
	return NULL;
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *ci;
	struct srv *s = cls;
	struct conn *k = *socket_ctx;
	char addr[IPS_ADDR_MAX];
	int64_t now = mono_us() / 1000000;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		client_addr(c, addr, sizeof(addr));
		ips_add(s->ips, addr, 1, now);
		if ((k = cybex_calloc(1, sizeof(*k))) == NULL)
			return;		/* served, without a deadline */
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci != NULL ? ci->connect_fd : -1;
		memcpy(k->addr, addr, sizeof(addr));
		k->phase = PHASE_HEAD;
		k->deadline = mono_us() + s->cfg.header_timeout * 1000000;
		pthread_mutex_lock(&s->conn_mu);
		k->next = s->conns;
		if (s->conns != NULL)
			s->conns->prev = k;
		s->conns = k;
		pthread_mutex_unlock(&s->conn_mu);
		*socket_ctx = k;
		return;
	}
	if (k == NULL) {
		client_addr(c, addr, sizeof(addr));
		ips_add(s->ips, addr, -1, now);
		return;
	}
	/* Before libmicrohttpd closes the descriptor: see the top. */
	pthread_mutex_lock(&s->conn_mu);
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		s->conns = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&s->conn_mu);
	ips_add(s->ips, k->addr, -1, now);
	free(k->raw_path);
	cybex_free(k);
	*socket_ctx = NULL;
}

#define CUTS_MAX	32	/* logged per look; the rest are counted */

/* Shut down the connections past their deadline, until srv_stop. */
static void *
watchdog(void *arg)
{
	struct srv *s = arg;
	struct conn *k;
	struct timespec until;
	char addr[CUTS_MAX][IPS_ADDR_MAX], more[24];
	enum conn_phase ph[CUTS_MAX];
	int64_t now, wake;
	size_t n, i, extra;

	pthread_mutex_lock(&s->conn_mu);
	while (!s->watchdog_stop) {
		now = mono_us();
		n = extra = 0;
		for (k = s->conns; k != NULL; k = k->next) {
			if (k->cut || k->deadline == 0 || now < k->deadline ||
			    k->fd < 0)
				continue;
			(void)shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			if (n < CUTS_MAX) {
				memcpy(addr[n], k->addr, sizeof(addr[n]));
				ph[n++] = k->phase;
			} else
				extra++;
		}
		if (n > 0) {
			pthread_mutex_unlock(&s->conn_mu);
			for (i = 0; i < n; i++)
				srv_log(s, CYBEX_LOG_WARN, "connection-cut",
				    "client", addr[i], "reason", ph[i] ==
				    PHASE_BODY ? "body-timeout" :
				    "header-timeout", NULL);
			if (extra > 0) {
				snprintf(more, sizeof(more), "%zu", extra);
				srv_log(s, CYBEX_LOG_WARN, "connection-cut",
				    "more", more, NULL);
			}
			pthread_mutex_lock(&s->conn_mu);
		}
		wake = now_us() + WATCH_US;
		until.tv_sec = (time_t)(wake / 1000000);
		until.tv_nsec = (long)(wake % 1000000) * 1000;
		(void)pthread_cond_timedwait(&s->conn_cv, &s->conn_mu, &until);
	}
	pthread_mutex_unlock(&s->conn_mu);
	return NULL;
}

static void on_mhd_error(void *, const char *, va_list) CYBEX_PRINTF(2, 0);

/* libmicrohttpd's own messages (its format strings) into our log. */
static void
on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	struct srv *s = cls;
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	srv_log(s, CYBEX_LOG_WARN, "httpd", "message", msg, NULL);
}

/* Parse ADDR:PORT or [V6]:PORT. */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len,
    bool *loopback, struct cybex_diag *d)
{
	struct cybex_ip ip;
	char host[128];
	const char *colon, *h = spec;
	size_t hl;
	char *end;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (*spec == '[') {
		colon = strstr(spec, "]:");
		if (colon == NULL)
			goto bad;
		h = spec + 1;
		hl = (size_t)(colon - h);
		colon++;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			goto bad;
		hl = (size_t)(colon - spec);
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || port < 0 || port > 65535)
		goto bad;
	if (cybex_ip_parse(host, hl, &ip) != 0)
		goto bad;
	if (ip.family == 4) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, ip.a, 4);
		*len = sizeof(struct sockaddr_in);
		*loopback = ip.a[0] == 127;
		return 0;
	}
	((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
	((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, ip.a, 16);
	*len = sizeof(struct sockaddr_in6);
	*loopback = IN6_IS_ADDR_LOOPBACK(
	    &((struct sockaddr_in6 *)ss)->sin6_addr);
	return 0;
 bad:
	return cybex_diag_set(d, CYBEX_EINVAL, "--listen '%s' is not "
	    "ADDR:PORT with a numeric IPv4 or [IPv6] address", spec);
}

static char *
read_pem(const char *path, struct cybex_diag *d)
{
	struct cybex_buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		cybex_diag_set(d, CYBEX_EIO, "cannot read %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	cybex_buf_init(&b, 1u << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (cybex_buf_append(&b, chunk, n) != 0)
			break;
	cybex_wipe(chunk, sizeof(chunk));	/* it held key bytes */
	fclose(f);
	if (b.data == NULL) {
		cybex_diag_set(d, CYBEX_EIO, "%s is empty", path);
		return NULL;
	}
	return b.data;	/* NUL-terminated by cybex_buf */
}

int
srv_check(const struct srv_config *c, struct cybex_diag *d)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool loopback = false, tls;
	int r;

	if ((r = parse_listen(c->listen, &ss, &sl, &loopback, d)) != 0)
		return r;
	tls = c->tls_cert != NULL || c->tls_key != NULL;
	if (tls && (c->tls_cert == NULL || c->tls_key == NULL))
		return cybex_diag_set(d, CYBEX_EINVAL, "HTTPS needs both "
		    "--tls-cert and --tls-key");
	if (!tls && !loopback && !c->allow_plain_http)
		return cybex_diag_set(d, CYBEX_EINVAL, "refusing plain HTTP on "
		    "%s: give --tls-cert and --tls-key, or --allow-plain-http "
		    "(credentials would cross the network in clear)",
		    c->listen);
	if (c->max_conns_per_ip != 0 &&
	    c->max_conns_per_ip < c->max_connections_per_ip)
		return cybex_diag_set(d, CYBEX_EINVAL, "--max-conns-per-ip %lld "
		    "is below --max-connections-per-ip %lld (which answers 429 "
		    "to the connections past it)", (long long)c->max_conns_per_ip,
		    (long long)c->max_connections_per_ip);
	if (c->page_size > c->max_page_size)
		return cybex_diag_set(d, CYBEX_EINVAL, "--page-size %lld is "
		    "above --max-page-size %lld", (long long)c->page_size,
		    (long long)c->max_page_size);
	return 0;
}

int
srv_start(struct srv *s, struct cybex_diag *d)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned flags, per_ip;
	bool loopback = false;
	int r;

	if ((r = srv_check(&s->cfg, d)) != 0 ||
	    (r = parse_listen(s->cfg.listen, &ss, &sl, &loopback, d)) != 0)
		return r;
	/* Every upload in memory at once; one maximal one always fits. */
	pthread_mutex_init(&s->body_mu, NULL);
	pthread_cond_init(&s->body_cv, NULL);
	s->body_budget = s->cfg.max_upload_memory > s->cfg.max_body ?
	    (size_t)s->cfg.max_upload_memory : (size_t)s->cfg.max_body;
	pthread_mutex_init(&s->conn_mu, NULL);
	pthread_cond_init(&s->conn_cv, NULL);
	per_ip = s->cfg.max_conns_per_ip != 0 ?
	    (unsigned)s->cfg.max_conns_per_ip :
	    (unsigned)(2 * s->cfg.max_connections_per_ip);
	s->tls = s->cfg.tls_cert != NULL || s->cfg.tls_key != NULL;
	if (s->tls) {
		if ((s->tls_cert_pem = read_pem(s->cfg.tls_cert, d)) == NULL ||
		    (s->tls_key_pem = read_pem(s->cfg.tls_key, d)) == NULL)
			return CYBEX_EIO;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG | (s->tls ? MHD_USE_TLS : 0);
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
	    /* Our own 429 answers first; MHD's limit is the hard cap. */
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.request_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)s->cfg.max_header,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
	    s->tls_cert_pem,
	    MHD_OPTION_HTTPS_MEM_KEY, s->tls_key_pem,
	    MHD_OPTION_END);
	if (s->mhd == NULL)
		return cybex_diag_set(d, CYBEX_EIO, "cannot listen on %s (in "
		    "use, or not an address of this host?)", s->cfg.listen);
	if (pthread_create(&s->watchdog, NULL, watchdog, s) != 0)
		return cybex_diag_set(d, CYBEX_EINTERNAL, "cannot start the "
		    "connection watchdog");
	s->watchdog_on = true;
	return 0;
}

void
srv_stop(struct srv *s)
{
	if (s->mhd != NULL) {
		/* Waits for the requests in flight. */
		MHD_stop_daemon(s->mhd);
		s->mhd = NULL;
	}
	if (s->watchdog_on) {
		pthread_mutex_lock(&s->conn_mu);
		s->watchdog_stop = true;
		pthread_cond_broadcast(&s->conn_cv);
		pthread_mutex_unlock(&s->conn_mu);
		pthread_join(s->watchdog, NULL);
		s->watchdog_on = false;
	}
	if (s->tls_cert_pem != NULL)
		cybex_free(s->tls_cert_pem);
	if (s->tls_key_pem != NULL) {
		cybex_wipe(s->tls_key_pem, strlen(s->tls_key_pem));
		cybex_free(s->tls_key_pem);
	}
	s->tls_cert_pem = s->tls_key_pem = NULL;
}

/* The port actually bound (for --listen ...:0). */
unsigned
srv_port(struct srv *s)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	return di != NULL ? di->port : 0;
}
