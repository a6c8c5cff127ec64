/*
 * `cybex serve`: the hub's HTTP(S) server on libmicrohttpd (epoll, thread
 * pool).  http.c owns the request life cycle, limits and the access log;
 * router.c maps paths to handlers; auth.c says who is asking; the
 * api_*.c files answer; jobs.c runs add-objects requests in the
 * background.
 */
#ifndef CYBEX_SERVER_H
#define CYBEX_SERVER_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <microhttpd.h>

#include "cybex/core.h"
#include "cybex/store.h"
#include "cybex/taxii.h"

#include "config.h"
#include "errors.h"
#include "ips.h"
#include "serve.h"

#define TAXII_MEDIA	CYBEX_TAXII_MEDIA
#define STIX_MEDIA	"application/stix+json;version=2.1"
#define PROBLEM_MEDIA	"application/problem+json"

struct srv;
struct conn;
struct jobs;
struct events;

/* A pool of store handles: one per concurrent request, reused. */
struct store_pool {
	pthread_mutex_t		 mu;
	struct cybex_store	**free;
	size_t			 nfree, cap;
	char			*dsn;
};

/* Who is asking. */
enum who_kind {
	WHO_NONE = 0,		/* no credentials */
	WHO_USER,		/* password */
	WHO_TOKEN,		/* API token */
};
struct who {
	enum who_kind	 kind;
	int64_t		 uid;
	const char	*name;		/* arena */
	bool		 admin;
	int64_t		 tid;		/* token id */
};

struct req {
	struct srv		*srv;
	struct MHD_Connection	*conn;
	const char		*method;
	const char		*url;
	char			 client[64];	/* address, for logs and limits */
	struct cybex_arena	*a;
	struct cybex_buf	 body;
	bool			 body_too_big;
	bool			 body_busy;	/* the server-wide budget is spent */
	size_t			 body_held;	/* counted in srv->body_bytes */
	bool			 answered;	/* a response was queued early */
	struct who		 who;
	int			 auth_error;	/* 0, or why authentication failed */
	const char		*auth_why;
	struct cybex_store	*store;		/* from the pool, when needed */
	int64_t			 t0_us;
	unsigned		 status;
	size_t			 resp_bytes;
	const char		*route;		/* for the access log */
};

struct srv {
	struct srv_config	 cfg;
	struct MHD_Daemon	*mhd;
	struct store_pool	 pool;
	struct jobs		*jobs;
	struct cybex_log	 log;
	pthread_mutex_t		 log_mu;
	FILE			*access;	/* access log */
	bool			 tls;
	char			*tls_cert_pem;
	char			*tls_key_pem;
	uint8_t			 cache_key[32];	/* keys the credential cache */
	struct auth_cache	*auth_cache;
	struct ip_table		*ips;
	volatile sig_atomic_t	 reopen_log;
	/*
	 * Bytes of request bodies held in memory, all requests together,
	 * and the body the add-objects worker is running (srv_body_take).
	 */
	pthread_mutex_t		 body_mu;
	pthread_cond_t		 body_cv;	/* bytes were given back */
	size_t			 body_bytes;
	size_t			 body_budget;
	/* Open connections and their deadlines (http.c's watchdog). */
	pthread_mutex_t		 conn_mu;
	pthread_cond_t		 conn_cv;
	struct conn		*conns;
	pthread_t		 watchdog;
	bool			 watchdog_on, watchdog_stop;
	struct events		*events;	/* api_events.c */
};

/* http.c */
int	 srv_start(struct srv *s, struct cybex_diag *d);
void	 srv_stop(struct srv *s);
/* The port actually bound (useful with --listen 127.0.0.1:0). */
unsigned srv_port(struct srv *s);
/*
 * Take n bytes of the server-wide upload budget (--max-upload-memory):
 * true when they fit.  With wait, waits until they fit, or until nothing
 * else is held (then n may pass the budget alone).
 */
bool	 srv_body_take(struct srv *s, size_t n, bool wait);
/* Give n bytes back to the server-wide upload budget. */
void	 srv_body_release(struct srv *s, size_t n);
/* Reopen the access log (SIGHUP). */
void	 srv_reopen_log(struct srv *s);
/* Log one line (key=value pairs, NULL-terminated). */
void	 srv_log(struct srv *s, int level, const char *event, ...)
	    CYBEX_SENTINEL;

/* Responses.  Each queues exactly one response and returns MHD's result. */
enum MHD_Result	 reply(struct req *r, unsigned status, const char *type,
		    const char *body, size_t len);
/* Body from a buffer that the response takes over (freed after sending). */
enum MHD_Result	 reply_buf(struct req *r, unsigned status, const char *type,
		    struct cybex_buf *b);
/* A TAXII error message (title, description, http_status). */
enum MHD_Result	 reply_taxii_error(struct req *r, unsigned status,
		    const char *title, const char *fmt, ...) CYBEX_PRINTF(4, 5);
/* An RFC 9457 problem (type about:blank, title, status, detail). */
enum MHD_Result	 reply_problem(struct req *r, unsigned status,
		    const char *title, const char *fmt, ...) CYBEX_PRINTF(4, 5);
/* The shape of an error body: TAXII endpoints or the REST API. */
enum reply_shape {
	SHAPE_TAXII,
	SHAPE_PROBLEM,
};
/*
 * The answer for code as errors.c's table says (status, title, and
 * Retry-After: retry_secs, 1 when 0), the detail from fmt.
 */
enum MHD_Result	 reply_error(struct req *r, enum reply_shape shape, int code,
		    unsigned retry_secs, const char *fmt, ...) CYBEX_PRINTF(5, 6);
/*
 * A call that failed with d: a 4xx quotes d's message; a 5xx is logged
 * and its detail stays generic (CYBEX_EBUSY: 503 with Retry-After: 1).
 */
enum MHD_Result	 reply_diag(struct req *r, enum reply_shape shape,
		    const struct cybex_diag *d);
/* 401 with WWW-Authenticate. */
enum MHD_Result	 reply_unauthorized(struct req *r);
/* Extra header for the next reply (name/value copied). */
void	 reply_header(struct req *r, const char *name, const char *value);

/* A store handle for this request (returned to the pool at the end). */
struct cybex_store *req_store(struct req *r, struct cybex_diag *d);

/* Is this Accept header satisfied by TAXII 2.1 JSON? */
bool	 accept_taxii(const char *accept);
/* Is this Content-Type the TAXII 2.1 media type? */
bool	 content_is_taxii(const char *ctype);

/* pool.c */
int	 pool_init(struct store_pool *p, const char *dsn);
void	 pool_fini(struct store_pool *p);
int	 pool_get(struct store_pool *p, struct cybex_store **out,
	    struct cybex_diag *d);
void	 pool_put(struct store_pool *p, struct cybex_store *s);

/* router.c */
enum MHD_Result	 route(struct req *r);

/* auth.c */
struct auth_cache;
int	 auth_cache_new(size_t slots, struct auth_cache **out);
void	 auth_cache_free(struct auth_cache *c);
/* Authenticate r from its Authorization header: sets r->who, or
 * r->auth_error with r->auth_why. */
void	 auth_request(struct req *r);
/*
 * What the caller may do with a collection (admins: everything; the
 * incidents collection: nothing for anyone else, whatever was granted).
 */
int	 auth_access(struct req *r, const char *coll_id, bool *can_read,
	    bool *can_write);

#define AUTH_FAIL_WINDOW	60	/* seconds; the limit is --auth-fail-limit */

/* api_taxii.c */
enum MHD_Result	 taxii_discovery(struct req *r);
enum MHD_Result	 taxii_api_root(struct req *r, const char *root);
enum MHD_Result	 taxii_status(struct req *r, const char *root,
		    const char *id);
enum MHD_Result	 taxii_collections(struct req *r, const char *root);
enum MHD_Result	 taxii_collection(struct req *r, const char *root,
		    const char *coll);
enum MHD_Result	 taxii_objects(struct req *r, const char *root,
		    const char *coll);
enum MHD_Result	 taxii_add_objects(struct req *r, const char *root,
		    const char *coll);
enum MHD_Result	 taxii_object(struct req *r, const char *root,
		    const char *coll, const char *id);
enum MHD_Result	 taxii_delete_object(struct req *r, const char *root,
		    const char *coll, const char *id);
enum MHD_Result	 taxii_versions(struct req *r, const char *root,
		    const char *coll, const char *id);
enum MHD_Result	 taxii_manifest(struct req *r, const char *root,
		    const char *coll);

/*
 * jobs.c: add-objects requests, stored when accepted and done in the
 * background (resumed after a restart).
 */
int	 jobs_start(struct srv *s, struct jobs **out);
/* Finish the stored jobs, then stop. */
void	 jobs_stop(struct jobs *j);
/*
 * Read an add-objects body: *index (new reference) gets one entry per
 * object, {"id", "version"} or null for an object without a usable id;
 * *n their number.  CYBEX_EJSON (d: line, column) for malformed JSON,
 * CYBEX_ESTIX when it is no TAXII envelope, CYBEX_ETOOBIG past
 * max_objects.
 */
int	 jobs_scan(const char *body, size_t len, int64_t max_objects,
	    json_t **index, size_t *n, struct cybex_diag *d);
/*
 * Accept the request whose objects jobs_scan listed in index: when the
 * queue has room, store its pending status and (when it has objects) the
 * job in one transaction.  *st gets the status and *detail its detail
 * text (malloc'd, the caller frees; st->detail points at it).
 * CYBEX_EBUSY when the queue is full (nothing stored: 503), a store
 * error otherwise (nothing stored).
 */
int	 jobs_accept(struct jobs *j, struct cybex_store *s,
	    const char *api_root, const char *coll_id, int64_t uid,
	    int64_t created_us, const char *body, size_t len, json_t *index,
	    struct cybex_status *st, char **detail, struct cybex_diag *d);

/* api_events.c: the REST API's events and alerts (/api/v1/...). */
/* The analysis pipeline and its timer; events_stop flushes it. */
int	 events_start(struct srv *s, struct cybex_diag *d);
void	 events_stop(struct srv *s);
/* Stop building the indicator index and waiting for it (on SIGTERM). */
void	 events_cancel(struct srv *s);
/* seg[0..n) are the path segments after /api/v1/. */
enum MHD_Result	 api_v1(struct req *r, char **seg, size_t n);
/* api_vulns.c: /api/v1/vulnerabilities[/...] (seg after it). */
enum MHD_Result	 api_vulns(struct req *r, char **seg, size_t n);
enum MHD_Result	 api_events_post(struct req *r);
enum MHD_Result	 api_alerts_get(struct req *r, const char *id);

/* api_incidents.c: seg[0..n) are the segments after /api/v1/incidents. */
enum MHD_Result	 api_incidents(struct req *r, char **seg, size_t n);
/* POST /api/v1/alerts/{id}/{action}: acknowledge, escalate. */
enum MHD_Result	 api_alert_action(struct req *r, const char *id,
		    const char *action);
/* api_openapi.c: GET /api/v1/openapi.json. */
enum MHD_Result	 api_openapi(struct req *r);

#endif /* CYBEX_SERVER_H */
