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
 * Small fresh jobs are stored in groups, several in one transaction
 * (run_group, below): the same import and outcomes per job, one commit.
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
	/*
	 * The worker is storing a group (run_group): requests wait here
	 * for its commit rather than in SQLite's polling busy handler, and
	 * the worker begins its next group only when they are done.
	 */
	bool			 group_writing;
	pthread_cond_t		 group_done;
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
	while (js->group_writing)
		pthread_cond_wait(&js->group_done, &js->mu);
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

/* ---- several jobs in one commit ---- */

/*
 * Fresh jobs (nothing of them stored yet) of at most GROUP_JOB_MAX
 * objects are stored together: one transaction for up to GROUP_JOBS of
 * them and GROUP_OBJECTS objects, each with its own import (its own
 * collection, outcomes and source) and its status completed in the
 * same transaction.  When anything of it fails, the whole is rolled
 * back and each job runs alone (run_job), as if never grouped.  Larger
 * jobs run alone: their commits every BATCH objects let requests store
 * their jobs meanwhile, and a job resumed after a crash passes over
 * what its committed batches stored.
 */
#define GROUP_OBJECTS	50000
#define GROUP_JOBS	256
#define GROUP_JOB_MAX	5000

struct member {
	struct cybex_status_job	 j;
	struct cybex_buf	 body;
	struct run		 r;
};

static void
member_clear(struct member *m)
{
	json_decref(m->r.index);
	json_decref(m->r.successes);
	json_decref(m->r.failures);
	json_decref(m->r.noid);
	memset(&m->r, 0, sizeof(m->r));
}

/* Ready m for a group: false when it must run alone (or not at all). */
static bool
member_ready(struct jobs *js, struct cybex_store *s, struct member *m,
    struct cybex_arena *a)
{
	struct cybex_status cur;
	struct cybex_diag d;
	json_t *detail, *p;
	size_t n;

	memset(&m->r, 0, sizeof(m->r));
	cybex_diag_clear(&d);
	if (cybex_store_status_get(s, m->j.api_root, m->j.status_id, a, &cur,
	    &d) != 0 || cur.complete || cur.success + cur.failure > 0 ||
	    cur.total == 0 || cur.total > GROUP_JOB_MAX)
		return false;
	m->r.srv = js->srv;
	m->r.s = s;
	memcpy(m->r.st.id, m->j.status_id, sizeof(m->r.st.id));
	m->r.st.api_root = m->j.api_root;
	m->r.st.uid = m->j.uid;
	m->r.st.created_us = m->j.created_us;
	m->r.st.total = cur.total;
	if ((m->r.successes = json_array()) == NULL ||
	    (m->r.failures = json_array()) == NULL ||
	    (m->r.noid = json_array()) == NULL) {
		member_clear(m);
		return false;
	}
	/*
	 * The objects' ids as jobs_accept listed them in the pendings: when
	 * every object has one, that is the index, and the body need not
	 * be read twice.
	 */
	detail = json_loads(cur.detail != NULL ? cur.detail : "{}", 0, NULL);
	p = json_object_get(detail, "pendings");
	if (json_is_array(p) && json_array_size(p) == cur.total)
		m->r.index = json_incref(p);
	json_decref(detail);
	if (m->r.index == NULL && (jobs_scan(m->body.data != NULL ?
	    m->body.data : "", m->body.len, INT32_MAX, &m->r.index, &n,
	    &d) != 0 || n != cur.total)) {
		member_clear(m);
		return false;
	}
	return true;
}

static void
group_end(struct jobs *js)
{
	pthread_mutex_lock(&js->mu);
	js->group_writing = false;
	pthread_cond_broadcast(&js->group_done);
	pthread_mutex_unlock(&js->mu);
}

/* Store members g[0..n) in one transaction; false: nothing was stored. */
static bool
run_group(struct jobs *js, struct cybex_store *s, struct member *g, size_t n)
{
	struct cybex_import_opts o;
	struct cybex_import_stats ist;
	struct cybex_stix_reader *rd;
	struct cybex_diag d;
	struct run *r;
	char src[160], num[3][24];
	size_t k;
	int rc;

	cybex_diag_clear(&d);
	pthread_mutex_lock(&js->mu);
	while (js->accepting > 0)
		pthread_cond_wait(&js->accepted, &js->mu);
	js->group_writing = true;
	pthread_mutex_unlock(&js->mu);
	if ((rc = cybex_store_begin(s, &d)) != 0)
		goto fail;
	for (k = 0; k < n; k++) {
		r = &g[k].r;
		memset(&o, 0, sizeof(o));
		o.threads = 0;	/* two when there are CPUs for them */
		o.caller_tx = true;
		o.on_object = on_object;
		o.ud = r;
		snprintf(src, sizeof(src), "taxii status %s (uid %lld)",
		    g[k].j.status_id, (long long)g[k].j.uid);
		cybex_store_set_source(s, src);
		rd = NULL;
		if ((rc = cybex_stix_reader_new_mem(g[k].body.data != NULL ?
		    g[k].body.data : "", g[k].body.len, NULL, &rd)) == 0)
			rc = cybex_store_import(s, g[k].j.coll_id, rd, &o, &ist,
			    &d);
		cybex_stix_reader_free(rd);
		cybex_store_set_source(s, NULL);
		if (rc != 0)
			goto rollback;
		fail_rest(r, "not stored: the request ended before this "
		    "object");
		if ((rc = save(r, true, &d)) != 0 ||
		    (rc = cybex_store_status_job_remove(s, r->st.id, &d)) != 0)
			goto rollback;
	}
	if ((rc = cybex_store_commit(s, &d)) != 0)
		goto rollback;
	group_end(js);
	snprintf(num[0], sizeof(num[0]), "%zu", n);
	for (k = 0; k < n; k++) {
		snprintf(num[1], sizeof(num[1]), "%llu",
		    (unsigned long long)g[k].r.nsucc);
		snprintf(num[2], sizeof(num[2]), "%llu",
		    (unsigned long long)g[k].r.nfail);
		srv_log(js->srv, CYBEX_LOG_INFO, "add-objects-done", "status",
		    g[k].j.status_id, "stored", num[1], "failed", num[2],
		    "group", num[0], NULL);
	}
	return true;
 rollback:
	cybex_store_rollback(s);
 fail:
	group_end(js);
	srv_log(js->srv, CYBEX_LOG_WARN, "job-group-failed", "error",
	    d.message[0] != '\0' ? d.message : cybex_strerror(rc), NULL);
	return false;
}

/* One fewer stored job. */
static void
job_gone(struct jobs *js)
{
	pthread_mutex_lock(&js->mu);
	if (js->n > 0)
		js->n--;
	pthread_mutex_unlock(&js->mu);
}

/* Requests waiting to store their job go first. */
static void
let_accepts_in(struct jobs *js)
{
	pthread_mutex_lock(&js->mu);
	while (js->accepting > 0)
		pthread_cond_wait(&js->accepted, &js->mu);
	pthread_mutex_unlock(&js->mu);
}

/*
 * After the first job (g[0], ready): the next fresh ones, while they fit
 * (GROUP_JOBS, GROUP_OBJECTS, and --max-body bytes together, counted
 * against --max-upload-memory as they are read).  Returns how many
 * members g holds; *after the jid of the last; *held the bytes taken.
 */
static size_t
gather(struct jobs *js, struct cybex_store *s, struct member *g,
    struct cybex_arena *a, int64_t *after, size_t *held)
{
	struct srv *srv = js->srv;
	size_t max = (size_t)srv->cfg.max_body, n = 1, room;
	uint64_t objects = g[0].r.st.total;
	size_t bytes = g[0].body.len;
	struct cybex_diag d;
	struct member *m;

	while (n < GROUP_JOBS && objects < GROUP_OBJECTS && bytes < max) {
		room = max - bytes;
		if (!srv_body_take(srv, 2 * room, false))
			break;
		m = &g[n];
		memset(m, 0, sizeof(*m));
		cybex_buf_init(&m->body, room);
		cybex_diag_clear(&d);
		if (cybex_store_status_job_next(s, *after, a, &m->j, &m->body,
		    &d) != 0 || !member_ready(js, s, m, a) ||
		    objects + m->r.st.total > GROUP_OBJECTS) {
			member_clear(m);
			cybex_buf_free(&m->body);
			srv_body_release(srv, 2 * room);
			break;
		}
		/* SQLite's copy is gone: only the buffer stays counted. */
		srv_body_release(srv, 2 * room - m->body.alloc);
		*held += m->body.alloc;
		objects += m->r.st.total;
		bytes += m->body.len;
		*after = m->j.jid;
		n++;
	}
	return n;
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
	struct member *g;
	size_t max = (size_t)srv->cfg.max_body, held, n, ng = 1, k;
	bool ng_done = false;
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
	if ((g = cybex_calloc(GROUP_JOBS, sizeof(*g))) == NULL)
		return CYBEX_ENOMEM;
	held = 2 * max;
	(void)srv_body_take(srv, held, true);
	cybex_buf_init(&body, INT32_MAX);	/* what a job may hold */
	if ((body.data = cybex_malloc(max + 1)) == NULL ||
	    (rc = cybex_arena_new(0, &a)) != 0) {
		cybex_free(body.data);
		cybex_free(g);
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
		g[0].j = j;
		g[0].body = body;
		if (member_ready(js, s, &g[0], a)) {
			ng = gather(js, s, g, a, after, &held);
			if (run_group(js, s, g, ng)) {
				for (k = 0; k < ng; k++)
					job_gone(js);
				let_accepts_in(js);
				ng_done = true;
			}
			for (k = 0; k < ng; k++)
				member_clear(&g[k]);
		}
		/* Alone: the first, and the others when the group failed. */
		for (k = 0; !ng_done && k < ng; k++)
			if (run_job(js, s, &g[k].j, g[k].body.data != NULL ?
			    g[k].body.data : "", g[k].body.len))
				job_gone(js);
		for (k = 1; k < ng; k++)
			cybex_buf_free(&g[k].body);
	} else if (rc != CYBEX_ENOTFOUND)
		srv_log(js->srv, CYBEX_LOG_ERROR, "job-read-failed", "error",
		    d.message, NULL);
	cybex_buf_free(&body);
	srv_body_release(srv, held);
	cybex_arena_free(a);
	cybex_free(g);
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
	pthread_cond_init(&js->group_done, NULL);
	if (pthread_create(&js->th, NULL, worker, js) != 0) {
		pthread_cond_destroy(&js->group_done);
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
	pthread_cond_destroy(&js->group_done);
	pthread_cond_destroy(&js->accepted);
	pthread_cond_destroy(&js->cv);
	pthread_mutex_destroy(&js->mu);
	cybex_free(js);
}
