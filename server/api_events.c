/*
 * The hub's REST API for sensors and analysts:
 *
 *   POST /api/v1/events?format=eve|syslog|access|postfix|csv|page
 *        [&sensor=NAME]                  records, one a line (the body)
 *   GET  /api/v1/alerts[?since=TS&detector=D&org=O&limit=N&next=T]
 *   GET  /api/v1/alerts/{id}
 *   (and POST /api/v1/alerts/{id}/acknowledge|escalate, /api/v1/incidents
 *   and /api/v1/openapi.json: api_incidents.c, api_openapi.c)
 *
 * Events are analysed as their caller's member organization: the caller
 * needs an organization and the ingest right in it (cybex org member ORG
 * USER --ingest), else 403.  One pipeline serves every request (under a
 * mutex), so the detectors' state, and their cooperative view, spans all
 * members; its own store handle writes sightings and alerts every
 * --events-flush seconds (a timer thread also flushes when no event
 * comes), and the answer is 202: read and analysed, written within that
 * interval.  A body counts whole or not at all: while a failed write is
 * pending no body is analysed (503 with Retry-After: nothing counted,
 * send it again); a write that fails while a body is analysed does not
 * stop it (202 with write_pending: counted once, written later).  The
 * same thread builds the indicator index when the first events request
 * asks for it (not before the server listens), then looks every
 * --intel-refresh seconds for new stored indicators and swaps in a
 * rebuilt index.
 *
 * Who sees which alert (docs/analysis.md): admins every alert; a member
 * the alerts of its own organization at every TLP, and the hub's
 * cooperative alerts that name its organization when they are at most
 * TLP:AMBER; nothing else.  So a TLP:RED alert goes only to its own
 * organization.  Errors are RFC 9457 problem details.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "cybex/analysis.h"
#include "cybex/policy.h"

#include "server.h"

#define JSON_MEDIA	"application/json"
#define LINE_ERRORS_MAX	100	/* per-line problems in one answer */
#define SENSOR_MAX	128
#define ALERTS_BODY_MAX	(64u * 1024 * 1024)
#define INTEL_MAX_AGE	3600	/* seconds: rebuilt at least this often */
#define INTEL_WAIT_MS	2000	/* a POST waits this long for the index */
#define INTEL_RETRY_S	"5"	/* then: Retry-After */

/*
 * The indicator index is built by the timer thread, not before the
 * server listens: when the first POST /api/v1/events asks for it (or at
 * once with --intel-eager).  Until it is ready such a POST waits at most
 * INTEL_WAIT_MS, then gets 503 with Retry-After.  A stop interrupts a
 * build (the loader looks at ev->cancel before every row).
 */
enum intel_state {
	INTEL_IDLE,		/* nobody asked yet: no memory spent */
	INTEL_WANTED,		/* asked for: the timer builds it */
	INTEL_READY
};

struct events {
	struct srv			*srv;
	pthread_mutex_t			 mu;	/* the pipeline */
	struct cybex_store		*store;	/* the pipeline's own */
	struct cybex_store		*look;	/* the timer's, for indicators */
	struct cybex_analysis		*pipe;
	int64_t				 indicators_seen_us;	/* looked */
	pthread_t			 timer;
	pthread_mutex_t			 stop_mu;	/* and the state */
	pthread_cond_t			 stop_cv;	/* the timer wakes */
	pthread_cond_t			 ready_cv;	/* the index is ready */
	enum intel_state		 state;
	bool				 stop;
	bool				 timer_running;
	atomic_bool			 cancel;
	atomic_size_t			 loaded;	/* indicators read */
	const char			*gate;	/* test hook, see load_row */
};

/* ---- answers ---- */

static enum MHD_Result
reply_obj(struct req *r, unsigned status, const char *media, json_t *j)
{
	struct cybex_buf b;
	enum MHD_Result mr;

	cybex_buf_init(&b, 0);
	if (j == NULL || cybex_json_write(j, 0, &b) != 0) {
		json_decref(j);
		cybex_buf_free(&b);
		return reply_problem(r, 500, "Internal Server Error", "could "
		    "not build the response");
	}
	json_decref(j);
	mr = reply_buf(r, status, media, &b);
	cybex_buf_free(&b);
	return mr;
}

static const char *
arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

/* The caller's organization and rights: false with the answer queued
 * when it has none (admins may have none: *org is then NULL). */
static bool
caller_org(struct req *r, const char **org, unsigned *rights,
    enum MHD_Result *mr)
{
	struct cybex_store *st;
	struct cybex_diag d;

	cybex_diag_clear(&d);
	if ((st = req_store(r, &d)) == NULL ||
	    cybex_store_user_org(st, r->who.uid, r->a, org, rights, &d) != 0) {
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return false;
	}
	return true;
}

/*
 * A write of the pipeline failed: the log line says why and what the
 * pipeline dropped so far while writes failed.  Called with ev->mu held.
 */
static void
log_flush_failed(struct events *ev, const struct cybex_diag *d)
{
	struct cybex_analysis_stats st;
	char fails[32], alerts[32], hits[32];

	cybex_analysis_stats(ev->pipe, &st);
	snprintf(fails, sizeof(fails), "%llu",
	    (unsigned long long)st.write_failures);
	snprintf(alerts, sizeof(alerts), "%llu",
	    (unsigned long long)st.alerts_dropped);
	snprintf(hits, sizeof(hits), "%llu",
	    (unsigned long long)st.hits_dropped);
	srv_log(ev->srv, CYBEX_LOG_ERROR, "events-flush-failed", "error",
	    d->message, "write_failures", fails, "alerts_dropped", alerts,
	    "hits_dropped", hits, NULL);
}

/* ---- the indicator index ---- */

#define COLLS_MAX	4096

struct colls {
	char	(*id)[CYBEX_UUID_STRLEN + 1];
	size_t	 n;
};

static int
coll_id(void *ud, const struct cybex_collection *c)
{
	struct colls *cs = ud;

	if (cs->n == COLLS_MAX)
		return CYBEX_ETOOBIG;
	memcpy(cs->id[cs->n++], c->id, sizeof(c->id));
	return 0;
}

static int
any_row(void *ud, const struct cybex_row *row)
{
	(void)row;
	*(bool *)ud = true;
	return 0;
}

/*
 * Was an indicator stored after since_us?  One look per collection at
 * what was added after it (the date_added index: cheap, however many
 * objects there are).
 */
static int
indicators_added(struct cybex_store *s, int64_t since_us, bool *found,
    struct cybex_diag *d)
{
	static const char *const types[] = { "indicator" };
	struct colls cs = { NULL, 0 };
	struct cybex_query q;
	struct cybex_page pg;
	size_t i;
	int r;

	*found = false;
	if ((cs.id = cybex_calloc(COLLS_MAX, sizeof(*cs.id))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	r = cybex_store_collection_list(s, coll_id, &cs, d);
	if (r == CYBEX_ETOOBIG) {
		*found = true;		/* too many to look: rebuild */
		r = 0;
	}
	for (i = 0; r == 0 && !*found && i < cs.n; i++) {
		memset(&q, 0, sizeof(q));
		q.coll_id = cs.id[i];
		q.types = types;
		q.ntypes = 1;
		q.versions = CYBEX_VERSION_ALL;
		q.has_added_after = true;
		q.added_after_us = since_us;
		q.limit = 1;
		r = cybex_store_manifest(s, &q, any_row, found, &pg, d);
	}
	cybex_free(cs.id);
	return r;
}

static int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Before each row the loader reads: stop when the server stops.
 * CYBEX_TEST_INTEL_GATE (for tests only, docs/server.md): before the
 * first indicator is read, wait until that file exists, so that a test
 * sees the server while its index is being built.
 */
static int
load_row(void *ud, size_t rows)
{
	struct events *ev = ud;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (rows > 0)
		atomic_store(&ev->loaded, rows - 1);
	if (rows == 1 && ev->gate != NULL)
		while (!atomic_load(&ev->cancel) && access(ev->gate, F_OK) != 0)
			nanosleep(&ts, NULL);
	return atomic_load(&ev->cancel) ? 1 : 0;
}

/* Build the index from the store and make it current (0 when stopped). */
static int
intel_reload(struct events *ev, struct cybex_diag *d)
{
	struct cybex_analysis_intel *in = NULL;
	struct cybex_match_stats ms;
	struct timespec t0, t1;
	char n[32], ms_s[32], bad[32];
	int64_t mark = wall_us();
	size_t ninvalid;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	atomic_store(&ev->loaded, 0);
	srv_log(ev->srv, CYBEX_LOG_INFO, "indicators-loading", NULL);
	/* What is added while the index builds is seen by the next look. */
	if ((r = cybex_analysis_intel_load_ctl(ev->look, NULL, NULL, NULL,
	    load_row, ev, &in, &ninvalid, d)) != 0)
		return r;
	if (in == NULL) {
		srv_log(ev->srv, CYBEX_LOG_INFO, "indicators-load-stopped",
		    NULL);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cybex_match_index_stats(cybex_analysis_intel_index(in), &ms);
	pthread_mutex_lock(&ev->mu);
	cybex_analysis_set_intel(ev->pipe, in);
	pthread_mutex_unlock(&ev->mu);
	cybex_analysis_intel_unref(in);
	ev->indicators_seen_us = mark;
	pthread_mutex_lock(&ev->stop_mu);
	ev->state = INTEL_READY;
	pthread_cond_broadcast(&ev->ready_cv);
	pthread_mutex_unlock(&ev->stop_mu);
	snprintf(n, sizeof(n), "%zu", ms.indicators);
	snprintf(bad, sizeof(bad), "%zu", ninvalid);
	snprintf(ms_s, sizeof(ms_s), "%.0f", (double)(t1.tv_sec - t0.tv_sec) *
	    1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	srv_log(ev->srv, CYBEX_LOG_INFO, "indicators-loaded", "indicators", n,
	    "invalid", bad, "ms", ms_s, NULL);
	return 0;
}

/*
 * Is the index ready?  Asks the timer to build it when nobody has, and
 * waits at most INTEL_WAIT_MS.  *loaded: indicators read so far.
 */
static bool
intel_ready(struct events *ev, size_t *loaded)
{
	struct timespec until;
	bool ready;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += INTEL_WAIT_MS / 1000;
	until.tv_nsec += (long)(INTEL_WAIT_MS % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&ev->stop_mu);
	if (ev->state == INTEL_IDLE) {
		ev->state = INTEL_WANTED;
		pthread_cond_signal(&ev->stop_cv);
	}
	while (ev->state != INTEL_READY && !ev->stop)
		if (pthread_cond_timedwait(&ev->ready_cv, &ev->stop_mu,
		    &until) != 0)
			break;
	ready = ev->state == INTEL_READY;
	pthread_mutex_unlock(&ev->stop_mu);
	*loaded = atomic_load(&ev->loaded);
	return ready;
}

/*
 * The timer: flushes the pipeline when its interval has passed (also when
 * no event comes) and looks for new indicators.
 */
static void *
timer_main(void *arg)
{
	struct events *ev = arg;
	struct cybex_diag d;
	struct timespec until;
	time_t last_look, last_build, last_try = 0;
	enum intel_state state;
	bool stop = false, found, due;

	last_look = last_build = time(NULL);
	while (!stop) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_mutex_lock(&ev->stop_mu);
		/* The first build, asked for; a failed one is tried again. */
		due = ev->state == INTEL_WANTED && time(NULL) - last_try >=
		    ev->srv->cfg.intel_refresh;
		if (!ev->stop && !due) {
			pthread_cond_timedwait(&ev->stop_cv, &ev->stop_mu,
			    &until);
			due = ev->state == INTEL_WANTED && time(NULL) -
			    last_try >= ev->srv->cfg.intel_refresh;
		}
		stop = ev->stop;
		state = ev->state;
		pthread_mutex_unlock(&ev->stop_mu);
		if (stop)
			break;
		if (due) {
			last_try = time(NULL);
			cybex_diag_clear(&d);
			if (intel_reload(ev, &d) != 0)
				srv_log(ev->srv, CYBEX_LOG_ERROR,
				    "indicators-load-failed", "error",
				    d.message, NULL);
			last_look = last_build = time(NULL);
			continue;
		}
		cybex_diag_clear(&d);
		pthread_mutex_lock(&ev->mu);
		if (cybex_analysis_tick(ev->pipe, 0, &d) != 0)
			log_flush_failed(ev, &d);
		pthread_mutex_unlock(&ev->mu);
		/* No index yet: nothing to refresh (and no memory spent). */
		if (state != INTEL_READY)
			continue;
		if (time(NULL) - last_look < ev->srv->cfg.intel_refresh)
			continue;
		last_look = time(NULL);
		cybex_diag_clear(&d);
		if (indicators_added(ev->look, ev->indicators_seen_us, &found,
		    &d) != 0) {
			srv_log(ev->srv, CYBEX_LOG_ERROR, "indicators-look-failed",
			    "error", d.message, NULL);
			continue;
		}
		/*
		 * New or changed indicators; or, now and then, ones that
		 * became active or expired with time, and ones loaded with
		 * an earlier date_added (cybex taxii load).
		 */
		if (!found && time(NULL) - last_build < INTEL_MAX_AGE)
			continue;
		last_build = time(NULL);
		if (intel_reload(ev, &d) != 0)
			srv_log(ev->srv, CYBEX_LOG_ERROR, "indicators-load-failed",
			    "error", d.message, NULL);
	}
	return NULL;
}

int
events_start(struct srv *s, struct cybex_diag *d)
{
	struct cybex_analysis_opts ao;
	struct events *ev;
	int r;

	if ((ev = cybex_calloc(1, sizeof(*ev))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	ev->srv = s;
	pthread_mutex_init(&ev->mu, NULL);
	pthread_mutex_init(&ev->stop_mu, NULL);
	pthread_cond_init(&ev->stop_cv, NULL);
	pthread_cond_init(&ev->ready_cv, NULL);
	atomic_init(&ev->cancel, false);
	atomic_init(&ev->loaded, 0);
	ev->gate = getenv("CYBEX_TEST_INTEL_GATE");
	if (ev->gate != NULL && *ev->gate == '\0')
		ev->gate = NULL;
	ev->state = s->cfg.intel_eager ? INTEL_WANTED : INTEL_IDLE;
	s->events = ev;
	if ((r = cybex_store_open(s->pool.dsn, CYBEX_STORE_NOCREATE,
	    &ev->store, d)) != 0 || (r = cybex_store_open(s->pool.dsn,
	    CYBEX_STORE_RDONLY, &ev->look, d)) != 0)
		return r;
	memset(&ao, 0, sizeof(ao));
	ao.flush_interval_us = (int64_t)s->cfg.events_flush * 1000000;
	if ((r = cybex_analysis_new(ev->store, &ao, &ev->pipe, d)) != 0)
		return r;
	if (pthread_create(&ev->timer, NULL, timer_main, ev) != 0)
		return cybex_diag_set(d, CYBEX_EINTERNAL, "cannot start the "
		    "events timer");
	ev->timer_running = true;
	return 0;
}

void
events_cancel(struct srv *s)
{
	struct events *ev = s->events;

	if (ev == NULL)
		return;
	atomic_store(&ev->cancel, true);
	pthread_mutex_lock(&ev->stop_mu);
	ev->stop = true;
	pthread_cond_broadcast(&ev->stop_cv);
	pthread_cond_broadcast(&ev->ready_cv);
	pthread_mutex_unlock(&ev->stop_mu);
}

void
events_stop(struct srv *s)
{
	struct events *ev = s->events;
	struct cybex_diag d;

	if (ev == NULL)
		return;
	events_cancel(s);
	if (ev->timer_running)
		pthread_join(ev->timer, NULL);
	/* Requests are done (the daemon stopped first): write the rest. */
	cybex_diag_clear(&d);
	if (ev->pipe != NULL && cybex_analysis_flush(ev->pipe, &d) != 0)
		log_flush_failed(ev, &d);
	cybex_analysis_free(ev->pipe);
	cybex_store_close(ev->store);
	cybex_store_close(ev->look);
	pthread_cond_destroy(&ev->ready_cv);
	pthread_cond_destroy(&ev->stop_cv);
	pthread_mutex_destroy(&ev->stop_mu);
	pthread_mutex_destroy(&ev->mu);
	cybex_free(ev);
	s->events = NULL;
}

/* ---- POST /api/v1/events ---- */

/*
 * The collections the caller may read (its own and its groups' grants):
 * the indicators its events are matched against.  *all for admins.
 * Computed before the pipeline's lock is taken.
 */
static int
readable_colls(struct req *r, bool *all, struct colls *cs, const char ***ids,
    struct cybex_diag *d)
{
	struct cybex_store *st;
	struct colls every = { NULL, 0 };
	bool rd, wr;
	size_t i;
	int rc;

	*all = r->who.admin;
	*ids = NULL;
	cs->n = 0;
	if (*all)
		return 0;
	if ((st = req_store(r, d)) == NULL)
		return d->code != 0 ? d->code : CYBEX_EDB;
	if ((every.id = cybex_calloc(COLLS_MAX, sizeof(*every.id))) == NULL ||
	    (cs->id = cybex_calloc(COLLS_MAX, sizeof(*cs->id))) == NULL ||
	    (*ids = cybex_calloc(COLLS_MAX, sizeof(**ids))) == NULL) {
		rc = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		goto out;
	}
	/* Past COLLS_MAX collections the rest are not read: fail closed. */
	if ((rc = cybex_store_collection_list(st, coll_id, &every, d)) != 0 &&
	    rc != CYBEX_ETOOBIG)
		goto out;
	rc = 0;
	for (i = 0; i < every.n; i++) {
		if ((rc = auth_access(r, every.id[i], &rd, &wr)) != 0)
			goto out;
		if (rd) {
			memcpy(cs->id[cs->n], every.id[i], sizeof(every.id[i]));
			(*ids)[cs->n] = cs->id[cs->n];
			cs->n++;
		}
	}
 out:
	cybex_free(every.id);
	return rc;
}

struct line_errors {
	json_t		*list;
	unsigned long	 n;
};

static void
line_error(void *ud, const struct cybex_diag *d)
{
	struct line_errors *le = ud;

	le->n++;
	if (le->list == NULL || json_array_size(le->list) >= LINE_ERRORS_MAX)
		return;
	json_array_append_new(le->list, json_pack("{s:s, s:s, s:s, s:I, s:I}",
	    "type", "about:blank", "title", "Unreadable record", "detail",
	    d->message, "line", (json_int_t)d->line, "column",
	    (json_int_t)(d->column > 0 ? d->column : 1)));
}

static bool
sensor_ok(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f || n >= SENSOR_MAX)
			return false;
	return n > 0;
}

enum MHD_Result
api_events_post(struct req *r)
{
	struct events *ev = r->srv->events;
	struct cybex_analysis_stats a0, a1;
	struct cybex_ingest_stats rs;
	struct cybex_ingest_opts io;
	struct cybex_ingest_reader *rd = NULL;
	struct cybex_ingest_lines *l = NULL;
	struct line_errors le = { NULL, 0 };
	struct cybex_diag d, wd;
	enum MHD_Result mr;
	const char *org = NULL, *fmt, *sensor;
	unsigned rights = 0;
	char nlines[32];
	int f, rc, wrc;
	json_t *j;
	struct colls rcs = { NULL, 0 };
	const char **rids = NULL;
	bool rall = false;
	int64_t recv_us;
	size_t loaded = 0;

	if (!caller_org(r, &org, &rights, &mr))
		return mr;
	if (org == NULL || !(rights & CYBEX_ORG_INGEST))
		return reply_problem(r, 403, "Forbidden", "%s", org == NULL ?
		    "events are sent by a member organization: this user "
		    "belongs to none (cybex org member)" : "this user may not "
		    "send events for its organization (cybex org member ... "
		    "--ingest)");
	fmt = arg(r, "format");
	if (fmt == NULL || (f = cybex_ingest_format_parse(fmt)) < 0)
		return reply_problem(r, 400, "Bad Request", "format must be "
		    "eve, syslog, access, postfix, csv or page");
	sensor = arg(r, "sensor");
	if (sensor != NULL && !sensor_ok(sensor))
		return reply_problem(r, 400, "Bad Request", "sensor must be 1 "
		    "to %d printable characters without spaces", SENSOR_MAX);
	if (r->body.len == 0)
		return reply_problem(r, 400, "Bad Request", "the request has no "
		    "body: send the records, one a line");
	memset(&io, 0, sizeof(io));
	io.format = (enum cybex_ingest_format)f;
	io.sensor = sensor;
	io.org = org;
	cybex_diag_clear(&d);
	if ((rc = cybex_ingest_reader_new(&io, &rd, &d)) != 0 ||
	    cybex_ingest_lines_new(0, &l) != 0 ||
	    cybex_ingest_lines_feed(l, r->body.data, r->body.len) != 0) {
		mr = rc == CYBEX_EINVAL ? reply_problem(r, 400, "Bad Request",
		    "%s", d.message) : reply_problem(r, 500, "Internal Server "
		    "Error", "out of memory");
		goto out;
	}
	cybex_ingest_lines_finish(l);
	if (!intel_ready(ev, &loaded)) {
		reply_header(r, "Retry-After", INTEL_RETRY_S);
		mr = reply_problem(r, 503, "Service Unavailable", "the indicator "
		    "index is being built: %zu indicators so far; nothing of "
		    "this request was analysed or counted: send it again",
		    loaded);
		goto out;
	}
	/* Event times at most this far ahead of now (docs/server.md). */
	recv_us = wall_us() + r->srv->cfg.events_max_skew * 1000000;
	if ((rc = readable_colls(r, &rall, &rcs, &rids, &d)) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	le.list = json_array();
	pthread_mutex_lock(&ev->mu);
	/*
	 * All or nothing: a write that failed before is retried first, and
	 * while it fails no body is analysed (503: nothing was counted);
	 * once started, the body is analysed whole even when a write fails
	 * midway (202: counted once, written by a later flush).
	 */
	if ((rc = cybex_analysis_batch_begin(ev->pipe, &d)) != 0) {
		log_flush_failed(ev, &d);
		pthread_mutex_unlock(&ev->mu);
		mr = reply_error(r, SHAPE_PROBLEM, rc, 1, "the "
		    "database cannot be written now; nothing of this request "
		    "was analysed or counted: send it again");
		goto out;
	}
	cybex_analysis_stats(ev->pipe, &a0);
	/* Only the indicators the sender may read (docs/analysis.md). */
	if ((rc = cybex_analysis_set_reader(ev->pipe, rall, rids,
	    rcs.n)) != 0)
		cybex_diag_set(&d, rc, "out of memory");
	else {
		cybex_analysis_set_time_limit(ev->pipe, recv_us);
		rc = cybex_analysis_feed(ev->pipe, rd, l, line_error, &le,
		    &d);
		cybex_analysis_set_time_limit(ev->pipe, 0);
	}
	cybex_diag_clear(&wd);
	if ((wrc = cybex_analysis_batch_end(ev->pipe, &wd)) != 0)
		log_flush_failed(ev, &wd);
	cybex_analysis_stats(ev->pipe, &a1);
	pthread_mutex_unlock(&ev->mu);
	if (rc != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	cybex_ingest_reader_stats(rd, &rs);
	snprintf(nlines, sizeof(nlines), "%llu",
	    (unsigned long long)(rs.lines + le.n - rs.errors));
	srv_log(r->srv, CYBEX_LOG_INFO, "events", "org", org, "user",
	    r->who.name, "format", fmt, "lines", nlines, NULL);
	/* Nothing readable at all: the whole request is refused. */
	if (rs.observations == 0 && rs.skipped == 0 && le.n > 0) {
		j = json_pack("{s:s, s:s, s:i, s:s, s:I, s:O}", "type",
		    "about:blank", "title", "Unprocessable Content", "status",
		    422, "detail", "no record could be read", "errors",
		    (json_int_t)le.n, "problems", le.list);
		mr = reply_obj(r, 422, PROBLEM_MEDIA, j);
		goto out;
	}
	j = json_pack("{s:s, s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:b, s:O, s:b}", "org", org, "format", fmt,
	    "sensor", sensor,
	    "lines", (json_int_t)(rs.lines + le.n - rs.errors),
	    "observations", (json_int_t)rs.observations,
	    "skipped", (json_int_t)rs.skipped, "errors", (json_int_t)le.n,
	    "hits", (json_int_t)(a1.hits - a0.hits),
	    "replays", (json_int_t)(a1.replays - a0.replays),
	    "alerts", (json_int_t)(a1.alerts - a0.alerts),
	    "hits_dropped", (json_int_t)(a1.hits_dropped - a0.hits_dropped),
	    "alerts_dropped", (json_int_t)(a1.alerts_dropped -
	    a0.alerts_dropped),
	    "times_clamped", (json_int_t)(a1.times_clamped -
	    a0.times_clamped),
	    "flush_seconds", (json_int_t)r->srv->cfg.events_flush,
	    "write_pending", wrc != 0,
	    "problems", le.list, "problems_complete", le.n <= LINE_ERRORS_MAX);
	mr = reply_obj(r, 202, JSON_MEDIA, j);
 out:
	json_decref(le.list);
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(rd);
	cybex_free(rcs.id);
	cybex_free(rids);
	return mr;
}

/* ---- GET /api/v1/alerts ---- */

struct alert_page {
	const struct cybex_caller	*who;
	struct cybex_buf		 b;
	size_t				 n;
	int				 err;
};

static int
add_alert(void *ud, const struct cybex_alert_row *row)
{
	struct alert_page *ap = ud;
	size_t before = ap->b.len;

	/* The query is scoped already; a row past the policy is not sent. */
	if (!cybex_policy_alert_visible(ap->who, row))
		return 0;
	if ((ap->n > 0 && cybex_buf_putc(&ap->b, ',') != 0) ||
	    cybex_analysis_alert_json(row, &ap->b) != 0) {
		cybex_buf_truncate(&ap->b, before);
		if (ap->n == 0)
			ap->err = CYBEX_ETOOBIG;
		return CYBEX_ROW_STOP;
	}
	ap->n++;
	return 0;
}

enum MHD_Result
api_alerts_get(struct req *r, const char *id)
{
	struct cybex_alert_query q;
	struct cybex_caller who;
	struct cybex_store *st;
	struct alert_page ap;
	struct cybex_page pg;
	struct cybex_time t;
	struct cybex_diag d;
	struct cybex_buf out;
	enum MHD_Result mr;
	const char *org = NULL, *v;
	unsigned rights = 0;
	unsigned long long lim;
	char *end;
	json_t *nx;

	if (!caller_org(r, &org, &rights, &mr))
		return mr;
	memset(&q, 0, sizeof(q));
	q.id = id;
	/* Members see their own and what names them, at most AMBER. */
	who.admin = r->who.admin;
	who.org = org;
	cybex_diag_clear(&d);
	if (cybex_policy_alert_scope(&who, arg(r, "org"), &q, &d) != 0)
		return reply_error(r, SHAPE_PROBLEM, d.code, 0, "%s",
		    d.message);
	q.detector = arg(r, "detector");
	if ((v = arg(r, "since")) != NULL) {
		if (cybex_time_parse(v, strlen(v), 0, &t, &d) != 0)
			return reply_problem(r, 400, "Bad Request", "since '%s' "
			    "is not an RFC 3339 time: %s", v, d.message);
		q.has_since = true;
		q.since_us = t.sec * 1000000 + t.nsec / 1000;
	}
	q.open_only = (v = arg(r, "status")) != NULL && strcmp(v, "open") == 0;
	q.limit = (size_t)r->srv->cfg.page_size;
	if ((v = arg(r, "limit")) != NULL) {
		errno = 0;
		lim = strtoull(v, &end, 10);
		if (errno != 0 || *end != '\0' || *v < '0' || *v > '9' ||
		    lim == 0)
			return reply_problem(r, 400, "Bad Request", "limit '%s' "
			    "is not a positive whole number", v);
		q.limit = lim > (unsigned long long)r->srv->cfg.max_page_size ?
		    (size_t)r->srv->cfg.max_page_size : (size_t)lim;
	}
	q.next = arg(r, "next");
	memset(&ap, 0, sizeof(ap));
	ap.who = &who;
	cybex_buf_init(&ap.b, ALERTS_BODY_MAX);
	cybex_diag_clear(&d);
	if ((st = req_store(r, &d)) == NULL ||
	    cybex_store_alert_query(st, &q, add_alert, &ap, &pg, &d) != 0) {
		cybex_buf_free(&ap.b);
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	if (id != NULL) {
		if (ap.n == 0) {
			cybex_buf_free(&ap.b);
			return reply_problem(r, 404, "Not Found", "no alert "
			    "'%s' that this user may see", id);
		}
		mr = reply_buf(r, 200, JSON_MEDIA, &ap.b);
		cybex_buf_free(&ap.b);
		return mr;
	}
	cybex_buf_init(&out, ALERTS_BODY_MAX + 4096);
	cybex_buf_printf(&out, "{\"more\":%s", pg.more ? "true" : "false");
	if (pg.more) {
		nx = json_string(pg.next);
		cybex_buf_puts(&out, ",\"next\":");
		cybex_json_write(nx, 0, &out);
		json_decref(nx);
	}
	cybex_buf_puts(&out, ",\"alerts\":[");
	cybex_buf_append(&out, ap.b.data != NULL ? ap.b.data : "", ap.b.len);
	cybex_buf_free(&ap.b);
	if (cybex_buf_puts(&out, "]}") != 0) {
		cybex_buf_free(&out);
		return reply_problem(r, 500, "Internal Server Error", "the "
		    "answer is too large");
	}
	mr = reply_buf(r, 200, JSON_MEDIA, &out);
	cybex_buf_free(&out);
	return mr;
}

/* ---- routing ---- */

enum MHD_Result
api_v1(struct req *r, char **seg, size_t n)
{
	const char *m = r->method;

	if (n == 1 && strcmp(seg[0], "events") == 0) {
		r->route = "events";
		if (strcmp(m, "POST") == 0)
			return api_events_post(r);
		reply_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
		return reply_problem(r, 405, "Method Not Allowed", "%s is not "
		    "allowed here (allowed: POST)", m);
	}
	if ((n == 1 || n == 2) && strcmp(seg[0], "alerts") == 0) {
		r->route = n == 1 ? "alerts" : "alert";
		if (strcmp(m, "GET") == 0)
			return api_alerts_get(r, n == 2 ? seg[1] : NULL);
		reply_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
		return reply_problem(r, 405, "Method Not Allowed", "%s is not "
		    "allowed here (allowed: GET)", m);
	}
	if (n >= 1 && strcmp(seg[0], "vulnerabilities") == 0)
		return api_vulns(r, seg + 1, n - 1);
	if (n == 3 && strcmp(seg[0], "alerts") == 0)
		return api_alert_action(r, seg[1], seg[2]);
	if (n >= 1 && strcmp(seg[0], "incidents") == 0)
		return api_incidents(r, seg + 1, n - 1);
	if (n == 1 && strcmp(seg[0], "openapi.json") == 0) {
		r->route = "openapi";
		if (strcmp(m, "GET") == 0)
			return api_openapi(r);
		reply_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
		return reply_problem(r, 405, "Method Not Allowed", "%s is not "
		    "allowed here (allowed: GET)", m);
	}
	return reply_problem(r, 404, "Not Found", "no resource at this path");
}
