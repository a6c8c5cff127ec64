/*
 * Add-objects requests: accepted in the request thread, done here, in a
 * background thread, so that a large POST never holds up other requests.
 *
 * Durable: before the request is answered 202, its body is stored as a
 * job in the same transaction as its pending status (jobs_accept).  The
 * worker takes the stored jobs oldest first, at start-up too, so work
 * accepted before a crash or kill -9 is done after the restart.  Each job
 * runs cybex_store_import; every batch commits with the status written in
 * the same transaction, so the status always says exactly what is stored,
 * and a resumed job passes over what its committed batches covered.  The
 * last batch completes the status and removes the job in one transaction.
 * When storing fails midway, what was committed stays reported as
 * stored; the rest is reported failed with the reason.
 *
 * Objects without an id cannot be named in the failures list (TAXII
 * status-details need an id): they are counted in failure_count and
 * listed in "x_cybex_failures_without_id" by their index in the request.
 *
 * The number of stored jobs is bounded (--max-queued-adds, then 503; the
 * status is written only after that check).  Complete
 * statuses expire after --status-ttl, and the oldest go first when they
 * take more than --status-max-bytes together; the worker sweeps at
 * start-up, after every job and at least hourly.  A job that cannot be
 * finished (the store fails even to record the failure) stays stored and
 * is tried again when the worker wakes next (a new request, the hourly
 * sweep, a restart).  On shutdown the stored jobs are finished first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cybex/stix.h"

#include "server.h"

#define BATCH		500
#define SWEEP_S		3600	/* at least this often */
#define NOID_KEY	"x_cybex_failures_without_id"

struct jobs {
	struct srv		*srv;
	pthread_t		 th;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	size_t			 n;	/* stored jobs (and places reserved) */
	/*
	 * Requests storing a job now.  SQLite has one writer and its busy
	 * handler polls: a worker that begins its next batch at once after
	 * each commit would keep the lock from them until the job is done.
	 * After each batch it lets them write first.
	 */
	unsigned		 accepting;
	pthread_cond_t		 accepted;
	bool			 kick;	/* a job was stored since the last look */
	bool			 stopping;
};

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the request's objects ---- */

int
jobs_scan(const char *body, size_t len, int64_t max_objects, json_t **out,
    size_t *n, struct cybex_diag *d)
{
	struct cybex_stix_opts o = { 0 };
	struct cybex_stix_reader *rd = NULL;
	struct cybex_stix_item it;
	const char *id, *mod;
	json_t *index, *p;
	int rc;

	*out = NULL;
	*n = 0;
	if ((index = json_array()) == NULL)
		return CYBEX_ENOMEM;
	if ((rc = cybex_stix_reader_new_mem(body, len, &o, &rd)) != 0)
		goto out;
	while ((rc = cybex_stix_reader_next(rd, &it, d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		if (!it.in_bundle) {
			rc = cybex_diag_set(d, CYBEX_ESTIX, "the body must be a "
			    "TAXII envelope: {\"objects\": [...]}");
			break;
		}
		if (++*n > (size_t)max_objects) {
			rc = cybex_diag_set(d, CYBEX_ETOOBIG, "more than %lld "
			    "objects in one request", (long long)max_objects);
			break;
		}
		/* No usable id: null, so that no list names it "". */
		id = json_string_value(json_object_get(it.json, "id"));
		mod = json_string_value(json_object_get(it.json, "modified"));
		if (id == NULL || *id == '\0')
			p = json_null();
		else if ((p = json_pack("{s:s}", "id", id)) != NULL &&
		    mod != NULL)
			json_object_set_new(p, "version", json_string(mod));
		if (p == NULL || json_array_append_new(index, p) != 0) {
			rc = CYBEX_ENOMEM;
			break;
		}
	}
	if (rc == 0) {
		*out = index;
		index = NULL;
	}
 out:
	cybex_stix_reader_free(rd);
	json_decref(index);
	return rc < 0 ? rc : 0;
}

/* {"pendings": [...]} of the objects from index first on (text, malloc). */
static char *
detail_text(json_t *successes, json_t *failures, json_t *noid, json_t *index,
    size_t first)
{
	json_t *detail, *rest;
	size_t i;
	char *text;

	if ((rest = json_array()) == NULL)
		return NULL;
	for (i = first; i < json_array_size(index); i++)
		if (!json_is_null(json_array_get(index, i)))
			json_array_append(rest, json_array_get(index, i));
	detail = json_pack("{s:o}", "pendings", rest);
	if (detail != NULL && successes != NULL)
		json_object_set(detail, "successes", successes);
	if (detail != NULL && failures != NULL)
		json_object_set(detail, "failures", failures);
	if (detail != NULL && noid != NULL)
		json_object_set(detail, NOID_KEY, noid);
	text = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	return text;
}

int
jobs_accept(struct jobs *js, struct cybex_store *s, const char *api_root,
    const char *coll_id, int64_t uid, int64_t created_us, const char *body,
    size_t len, json_t *index, struct cybex_status *st, char **detail,
    struct cybex_diag *d)
{
	struct cybex_uuid u;
	size_t n = json_array_size(index);
	bool reserved = false;
	int rc;

	*detail = NULL;
	memset(st, 0, sizeof(*st));
	/* First the queue: a status is written only for work taken on. */
	if (n > 0) {
		pthread_mutex_lock(&js->mu);
		if (js->n < (size_t)js->srv->cfg.max_queued_adds &&
		    !js->stopping) {
			js->n++;
			reserved = true;
		}
		pthread_mutex_unlock(&js->mu);
		if (!reserved)
			return cybex_diag_set(d, CYBEX_EBUSY, "%lld "
			    "add-objects requests are waiting already",
			    (long long)js->srv->cfg.max_queued_adds);
	}
	cybex_uuid_v4(&u);
	cybex_uuid_format(&u, st->id);
	st->api_root = api_root;
	st->uid = uid;
	st->created_us = created_us;
	st->total = st->pending = n;
	st->complete = n == 0;
	if ((*detail = detail_text(NULL, NULL, NULL, index, 0)) == NULL) {
		rc = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		goto out;
	}
	st->detail = *detail;
	if (n == 0) {
		rc = cybex_store_status_put(s, st, d);
		goto out;
	}
	/* The status and the job together, or neither. */
	pthread_mutex_lock(&js->mu);
	js->accepting++;
	pthread_mutex_unlock(&js->mu);
	rc = cybex_store_begin(s, d);
	if (rc == 0 && ((rc = cybex_store_status_put(s, st, d)) != 0 ||
	    (rc = cybex_store_status_job_add(s, st->id, coll_id, body, len,
	    d)) != 0 || (rc = cybex_store_commit(s, d)) != 0))
		cybex_store_rollback(s);
	pthread_mutex_lock(&js->mu);
	js->accepting--;
	pthread_cond_broadcast(&js->accepted);
	pthread_mutex_unlock(&js->mu);
 out:
	pthread_mutex_lock(&js->mu);
	if (reserved && rc != 0)
		js->n--;
	if (reserved && rc == 0) {
		js->kick = true;
		pthread_cond_signal(&js->cv);
	}
	pthread_mutex_unlock(&js->mu);
	if (rc != 0) {
		free(*detail);
		*detail = NULL;
		st->detail = NULL;
	}
	return rc;
}

/* ---- running one job ---- */

struct run {
	struct jobs		*js;
	struct srv		*srv;
	struct cybex_store	*s;
	struct cybex_status	 st;
	json_t			*index;		/* per object: {id, version} or null */
	json_t			*successes;
	json_t			*failures;
	json_t			*noid;		/* failures without an id */
	size_t			 done;		/* objects with an outcome */
	uint64_t		 nsucc, nfail;
	/* As of the last commit. */
	size_t			 c_done, c_succ, c_fail, c_noid;
	uint64_t		 c_nsucc, c_nfail;
	bool			 last_pending;	/* the final commit is under way */
	bool			 finished;	/* ...and it committed */
};

/* Write the status as it stands (in the caller's transaction, if any). */
static int
save(struct run *r, bool complete, struct cybex_diag *d)
{
	char *text;
	int rc;

	text = detail_text(r->successes, r->failures, r->noid, r->index,
	    r->done);
	if (text == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	r->st.success = r->nsucc;
	r->st.failure = r->nfail;
	r->st.pending = r->st.total - r->nsucc - r->nfail;
	r->st.complete = complete;
	r->st.detail = text;
	rc = cybex_store_status_put(r->s, &r->st, d);
	r->st.detail = NULL;
	free(text);
	return rc;
}

/* Object i failed with msg. */
static void
failed(struct run *r, size_t i, const char *msg)
{
	json_t *e = json_array_get(r->index, i);

	if (json_is_null(e) || e == NULL) {
		char m[CYBEX_DIAG_MSG_MAX + CYBEX_DIAG_PTR_MAX + 96];

		snprintf(m, sizeof(m), "object %zu of the request (counting "
		    "from 0) has no id: %s", i, msg);
		json_array_append_new(r->noid, json_pack("{s:I, s:s}", "index",
		    (json_int_t)i, "message", m));
	} else {
		e = json_deep_copy(e);
		if (e != NULL)
			json_object_set_new(e, "message", json_string(msg));
		json_array_append_new(r->failures, e);
	}
	r->nfail++;
}

/* Every object from r->done on failed with msg. */
static void
fail_rest(struct run *r, const char *msg)
{
	for (; r->done < json_array_size(r->index); r->done++)
		failed(r, r->done, msg);
}

static void
on_object(void *ud, const struct cybex_import_object *ob)
{
	struct run *r = ud;
	char msg[CYBEX_DIAG_MSG_MAX + CYBEX_DIAG_PTR_MAX + 8];
	json_t *e;

	/* The import counts objects as the scan did; never past it. */
	if (ob->index != r->done || r->done >= json_array_size(r->index))
		return;
	switch (ob->outcome) {
	case CYBEX_IMPORT_ADDED:
	case CYBEX_IMPORT_LINKED:
	case CYBEX_IMPORT_PRESENT:
		/* "linked" would tell that another collection holds it. */
		e = json_array_get(r->index, r->done);
		if (!json_is_null(e) && (e = json_deep_copy(e)) != NULL) {
			json_object_set_new(e, "message", json_string(
			    ob->outcome == CYBEX_IMPORT_PRESENT ?
			    "already present" : "added"));
			json_array_append_new(r->successes, e);
		}
		r->nsucc++;
		break;
	case CYBEX_IMPORT_CONFLICT:
		/* Only this collection's versions are compared (the store). */
		failed(r, r->done, "conflict: this collection already holds "
		    "this id and modified with other content; the first is "
		    "kept and this one is recorded as a conflict for an "
		    "operator to resolve; a changed object needs a new "
		    "modified");
		break;
	case CYBEX_IMPORT_REFUSED:
		if (ob->code == CYBEX_ECONFLICT) {
			failed(r, r->done, "refused: this collection holds a "
			    "revoked earlier version of this object; no later "
			    "version may be added");
			break;
		}
		/* FALLTHROUGH */
	default:
		if (ob->diag != NULL && ob->code == CYBEX_ESTIX)
			snprintf(msg, sizeof(msg), "%s [%s]", ob->diag->message,
			    ob->diag->pointer);
		else
			snprintf(msg, sizeof(msg), "%s", ob->diag != NULL ?
			    ob->diag->message : "invalid STIX");
		failed(r, r->done, msg);
		break;
	}
	r->done++;
}

/* In each batch's transaction: the status agrees with what commits. */
static int
before_commit(void *ud, const struct cybex_import_stats *ist, bool last,
    struct cybex_diag *d)
{
	struct run *r = ud;
	int rc;

	(void)ist;
	r->last_pending = last;
	if (last)
		fail_rest(r, "not stored: the request ended before this "
		    "object");
	if ((rc = save(r, last, d)) != 0)
		return rc;
	if (last)
		return cybex_store_status_job_remove(r->s, r->st.id, d);
	return 0;
}

static void
on_batch(void *ud, const struct cybex_import_stats *ist)
{
	struct run *r = ud;

	(void)ist;
	r->c_done = r->done;
	r->c_succ = json_array_size(r->successes);
	r->c_fail = json_array_size(r->failures);
	r->c_noid = json_array_size(r->noid);
	r->c_nsucc = r->nsucc;
	r->c_nfail = r->nfail;
	if (r->last_pending)
		r->finished = true;
	/* Requests waiting to store their job go first. */
	if (r->js != NULL) {
		pthread_mutex_lock(&r->js->mu);
		while (r->js->accepting > 0)
			pthread_cond_wait(&r->js->accepted, &r->js->mu);
		pthread_mutex_unlock(&r->js->mu);
	}
}

static void
truncate_to(json_t *a, size_t n)
{
	while (json_array_size(a) > n)
		json_array_remove(a, json_array_size(a) - 1);
}

static json_t *
detail_array(json_t *detail, const char *key)
{
	json_t *v = json_object_get(detail, key);

	return json_is_array(v) ? json_incref(v) : json_array();
}

/*
 * Run job j (body[0..len)); true when it is done with (its status is
 * complete and the job removed), false when it stays stored for later.
 */
static bool
run_job(struct jobs *js, struct cybex_store *s,
    const struct cybex_status_job *j, const char *body, size_t len)
{
	struct cybex_import_opts o = { 0 };
	struct cybex_import_stats ist;
	struct cybex_stix_reader *rd = NULL;
	struct cybex_arena *a = NULL;
	struct cybex_status cur;
	struct cybex_diag d;
	struct run r;
	json_t *detail = NULL;
	char msg[CYBEX_DIAG_MSG_MAX + 160], num[3][24];
	size_t n;
	bool gone = false;
	int rc;

	memset(&r, 0, sizeof(r));
	r.srv = js->srv;
	r.s = s;
	cybex_diag_clear(&d);
	if ((rc = cybex_arena_new(0, &a)) != 0)
		goto keep;
	rc = cybex_store_status_get(s, j->api_root, j->status_id, a, &cur, &d);
	if (rc == CYBEX_ENOTFOUND || (rc == 0 && cur.complete)) {
		/* Nothing left to report on. */
		(void)cybex_store_status_job_remove(s, j->status_id, &d);
		gone = true;
		goto out;
	}
	if (rc != 0)
		goto keep;
	memcpy(r.st.id, j->status_id, sizeof(r.st.id));
	r.st.api_root = j->api_root;
	r.st.uid = j->uid;
	r.st.created_us = j->created_us;
	r.st.total = cur.total;
	/* What committed batches said (nothing for a new job). */
	detail = json_loads(cur.detail != NULL ? cur.detail : "{}", 0, NULL);
	r.successes = detail_array(detail, "successes");
	r.failures = detail_array(detail, "failures");
	r.noid = detail_array(detail, NOID_KEY);
	r.nsucc = cur.success;
	r.nfail = cur.failure;
	r.done = (size_t)(cur.success + cur.failure);
	if (r.successes == NULL || r.failures == NULL || r.noid == NULL) {
		rc = CYBEX_ENOMEM;
		goto keep;
	}
	on_batch(&r, NULL);	/* the committed outcomes */
	r.js = js;
	rc = jobs_scan(body, len, INT32_MAX, &r.index, &n, &d);
	if (rc == 0 && (n != cur.total || r.done > n))
		rc = cybex_diag_set(&d, CYBEX_EINTERNAL, "the stored request "
		    "has %zu objects, its status %llu", n,
		    (unsigned long long)cur.total);
	if (rc != 0) {
		/* Cannot happen for an accepted request: give up on it. */
		if (r.index == NULL && (r.index = json_array()) == NULL)
			goto keep;
		snprintf(msg, sizeof(msg), "the stored request cannot be read "
		    "again: %s", d.message);
		goto give_up;
	}
	if (r.done > 0) {
		snprintf(num[0], sizeof(num[0]), "%zu", r.done);
		srv_log(js->srv, CYBEX_LOG_INFO, "add-objects-resumed", "status",
		    j->status_id, "done", num[0], NULL);
	}
	o.batch = BATCH;
	o.threads = 1;		/* the server's own threads are enough */
	o.on_object = on_object;
	o.before_commit = before_commit;
	o.on_batch = on_batch;
	o.ud = &r;
	o.skip = r.done;
	/* Conflicts say where they came from: the status names its user. */
	snprintf(msg, sizeof(msg), "taxii status %s (uid %lld)", j->status_id,
	    (long long)j->uid);
	cybex_store_set_source(s, msg);
	if ((rc = cybex_stix_reader_new_mem(body, len, NULL, &rd)) == 0)
		rc = cybex_store_import(s, j->coll_id, rd, &o, &ist, &d);
	cybex_store_set_source(s, NULL);
	if (r.finished)
		goto done;
	if (rc == 0)
		rc = cybex_diag_set(&d, CYBEX_EINTERNAL, "the import ended "
		    "without its last commit");
	if (rc == CYBEX_ENOTFOUND)
		snprintf(msg, sizeof(msg), "not stored: the collection no "
		    "longer exists");
	else
		snprintf(msg, sizeof(msg), "not stored: the server failed while "
		    "storing this request (%s); send it again",
		    rc == CYBEX_ENOSPC ?
		    "its disk is full" : cybex_strerror(rc));
 give_up:
	srv_log(js->srv, CYBEX_LOG_ERROR, "job-failed", "status", j->status_id,
	    "error", d.message, NULL);
	/* What was not committed did not happen; the committed stands. */
	truncate_to(r.successes, r.c_succ);
	truncate_to(r.failures, r.c_fail);
	truncate_to(r.noid, r.c_noid);
	r.done = r.c_done;
	r.nsucc = r.c_nsucc;
	r.nfail = r.c_nfail;
	fail_rest(&r, msg);
	if (r.nsucc + r.nfail < r.st.total)
		r.nfail = r.st.total - r.nsucc;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_begin(s, &d)) != 0 ||
	    (rc = save(&r, true, &d)) != 0 ||
	    (rc = cybex_store_status_job_remove(s, j->status_id, &d)) != 0 ||
	    (rc = cybex_store_commit(s, &d)) != 0) {
		cybex_store_rollback(s);
		goto keep;
	}
 done:
	gone = true;
	snprintf(num[1], sizeof(num[1]), "%llu", (unsigned long long)r.nsucc);
	snprintf(num[2], sizeof(num[2]), "%llu", (unsigned long long)r.nfail);
	srv_log(js->srv, CYBEX_LOG_INFO, "add-objects-done", "status",
	    j->status_id, "stored", num[1], "failed", num[2], NULL);
	goto out;
 keep:
	/* Its status stays pending; the job is tried again later. */
	srv_log(js->srv, CYBEX_LOG_ERROR, "job-postponed", "status",
	    j->status_id, "error", d.message[0] != '\0' ? d.message :
	    cybex_strerror(rc), NULL);
 out:
	cybex_stix_reader_free(rd);
	json_decref(detail);
	json_decref(r.index);
	json_decref(r.successes);
	json_decref(r.failures);
	json_decref(r.noid);
	cybex_arena_free(a);
	return gone;
}

/* Run the oldest job after jid *after (*after gets its jid). */
static int
take_one(struct jobs *js, struct cybex_store *s, int64_t *after)
{
	struct cybex_status_job j;
	struct cybex_arena *a = NULL;
	struct cybex_buf body;
	struct cybex_diag d;
	struct srv *srv = js->srv;
	size_t max = (size_t)srv->cfg.max_body, held, n;
	int rc;

	pthread_mutex_lock(&js->mu);
	n = js->n;
	pthread_mutex_unlock(&js->mu);
	if (n == 0)
		return CYBEX_ENOTFOUND;
	/*
	 * The body is in memory while the job runs: it counts against
	 * --max-upload-memory like an upload (waiting until it fits), and
	 * so does SQLite's copy of it while it is read.  Its buffer is
	 * allocated once, at its size bound, so that it never doubles.
	 */
	held = 2 * max;
	(void)srv_body_take(srv, held, true);
	cybex_buf_init(&body, INT32_MAX);	/* what a job may hold */
	if ((body.data = cybex_malloc(max + 1)) == NULL ||
	    (rc = cybex_arena_new(0, &a)) != 0) {
		cybex_free(body.data);
		srv_body_release(srv, held);
		return CYBEX_ENOMEM;
	}
	body.data[0] = '\0';
	body.alloc = max + 1;
	rc = cybex_store_status_job_next(s, *after, a, &j, &body, &d);
	/* SQLite's copy is gone: only the buffer stays counted. */
	if (body.alloc - 1 < held) {
		srv_body_release(srv, held - (body.alloc - 1));
		held = body.alloc - 1;
	} else if (body.alloc - 1 > held &&
	    srv_body_take(srv, body.alloc - 1 - held, false))
		held = body.alloc - 1;	/* stored under a larger --max-body */
	if (rc == 0) {
		*after = j.jid;
		if (run_job(js, s, &j, body.data != NULL ? body.data : "",
		    body.len)) {
			pthread_mutex_lock(&js->mu);
			if (js->n > 0)
				js->n--;
			pthread_mutex_unlock(&js->mu);
		}
	} else if (rc != CYBEX_ENOTFOUND)
		srv_log(js->srv, CYBEX_LOG_ERROR, "job-read-failed", "error",
		    d.message, NULL);
	cybex_buf_free(&body);
	srv_body_release(srv, held);
	cybex_arena_free(a);
	return rc;
}

static void
sweep(struct jobs *js, struct cybex_store *s)
{
	const struct srv_config *c = &js->srv->cfg;
	struct cybex_diag d;
	uint64_t n = 0;
	char num[24];

	if (cybex_store_status_expire(s, now_us() - c->status_ttl * 1000000,
	    (uint64_t)c->status_max_bytes, &n, &d) != 0) {
		srv_log(js->srv, CYBEX_LOG_WARN, "status-expiry-failed",
		    "error", d.message, NULL);
		return;
	}
	if (n > 0) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
		srv_log(js->srv, CYBEX_LOG_INFO, "statuses-expired", "removed",
		    num, NULL);
	}
}

static void *
worker(void *arg)
{
	struct jobs *js = arg;
	struct srv *srv = js->srv;
	struct cybex_store *s;
	struct cybex_diag d;
	struct timespec until;
	int64_t after = 0, next_sweep = 0, every, wake;
	int rc;

	every = srv->cfg.status_ttl < SWEEP_S ? srv->cfg.status_ttl : SWEEP_S;
	for (;;) {
		rc = CYBEX_ENOTFOUND;
		if (pool_get(&srv->pool, &s, &d) == 0) {
			if (now_us() >= next_sweep) {
				sweep(js, s);
				next_sweep = now_us() + every * 1000000;
			}
			rc = take_one(js, s, &after);
			/* Statuses it completed may push others out. */
			if (rc == 0)
				sweep(js, s);
			pool_put(&srv->pool, s);
		} else
			srv_log(srv, CYBEX_LOG_ERROR, "job-store-failed",
			    "error", d.message, NULL);
		if (rc == 0)
			continue;
		pthread_mutex_lock(&js->mu);
		if (!js->kick && !js->stopping) {
			/* Until the next sweep; never a busy loop. */
			wake = next_sweep > now_us() ? next_sweep : now_us() +
			    every * 1000000;
			until.tv_sec = (time_t)(wake / 1000000);
			until.tv_nsec = (long)(wake % 1000000) * 1000;
			(void)pthread_cond_timedwait(&js->cv, &js->mu, &until);
		}
		if (js->stopping && !js->kick) {
			pthread_mutex_unlock(&js->mu);
			return NULL;
		}
		/* Look from the start again: postponed jobs are retried. */
		after = 0;
		js->kick = false;
		pthread_mutex_unlock(&js->mu);
	}
}

int
jobs_start(struct srv *s, struct jobs **out)
{
	struct cybex_store *st = NULL;
	struct cybex_diag d;
	struct jobs *js;
	uint64_t n = 0;
	char num[24];

	*out = NULL;
	if ((js = cybex_calloc(1, sizeof(*js))) == NULL)
		return CYBEX_ENOMEM;
	/* Jobs accepted before a stop or a crash are done first. */
	if (pool_get(&s->pool, &st, &d) == 0) {
		if (cybex_store_status_job_count(st, &n, &d) != 0)
			srv_log(s, CYBEX_LOG_ERROR, "job-count-failed", "error",
			    d.message, NULL);
		pool_put(&s->pool, st);
	}
	if (n > 0) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
		srv_log(s, CYBEX_LOG_INFO, "add-objects-waiting", "jobs", num,
		    NULL);
	}
	js->srv = s;
	js->n = (size_t)n;
	js->kick = n > 0;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->cv, NULL);
	pthread_cond_init(&js->accepted, NULL);
	if (pthread_create(&js->th, NULL, worker, js) != 0) {
		pthread_cond_destroy(&js->accepted);
		pthread_cond_destroy(&js->cv);
		pthread_mutex_destroy(&js->mu);
		cybex_free(js);
		return CYBEX_EINTERNAL;
	}
	*out = js;
	return 0;
}

void
jobs_stop(struct jobs *js)
{
	if (js == NULL)
		return;
	pthread_mutex_lock(&js->mu);
	js->stopping = true;
	pthread_cond_broadcast(&js->cv);
	pthread_mutex_unlock(&js->mu);
	pthread_join(js->th, NULL);
	pthread_cond_destroy(&js->accepted);
	pthread_cond_destroy(&js->cv);
	pthread_mutex_destroy(&js->mu);
	cybex_free(js);
}
