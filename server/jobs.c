/*
 * Add-objects requests run here, in a background thread, so that a large
 * POST never holds up other requests.  Each job validates every object,
 * stores the valid ones, and updates its status resource after every
 * batch (successes, failures with the reason, what is still pending).
 * The queue is bounded; on shutdown the queued jobs are finished first.
 */
#include <stdlib.h>
#include <string.h>

#include "cybex/stix.h"

#include "server.h"

#define QUEUE_MAX	64
#define BATCH		500

struct job {
	char			 api_root[CYBEX_API_ROOT_MAX + 1];
	char			 coll_id[CYBEX_UUID_STRLEN + 1];
	char			 status_id[CYBEX_UUID_STRLEN + 1];
	int64_t			 uid;
	int64_t			 created_us;
	struct cybex_buf	 body;
	size_t			 held;	/* counted in the server's upload budget */
	struct srv		*srv;
};

struct jobs {
	struct srv		*srv;
	pthread_t		 th;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*q[QUEUE_MAX];
	size_t			 head, n;
	bool			 stopping;
};

struct run {
	struct cybex_status	 st;
	json_t			*successes;
	json_t			*failures;
	json_t			*pendings;	/* in input order */
	size_t			 done;
};

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	if (j->held > 0)
		srv_body_release(j->srv, j->held);
	cybex_buf_free(&j->body);
	cybex_free(j);
}

/* Write the status with what is done so far. */
static int
save(struct cybex_store *s, struct run *run, bool complete,
    struct cybex_diag *d)
{
	json_t *detail, *rest;
	char *text;
	size_t i;
	int rc;

	rest = json_array();
	for (i = run->done; i < json_array_size(run->pendings); i++)
		json_array_append(rest, json_array_get(run->pendings, i));
	detail = json_pack("{s:O, s:O, s:o}", "successes", run->successes,
	    "failures", run->failures, "pendings", rest);
	text = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	if (text == NULL)
		return CYBEX_ENOMEM;
	run->st.success = json_array_size(run->successes);
	run->st.failure = json_array_size(run->failures);
	run->st.pending = run->st.total - run->st.success - run->st.failure;
	run->st.complete = complete;
	run->st.detail = text;
	rc = cybex_store_status_put(s, &run->st, d);
	run->st.detail = NULL;
	free(text);
	return rc;
}

static void
outcome(struct run *run, const json_t *obj, bool ok, const char *msg)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	const char *mod = json_string_value(json_object_get(obj, "modified"));
	json_t *e;

	e = json_pack("{s:s, s:s}", "id", id != NULL ? id : "", "message",
	    msg);
	if (e != NULL && mod != NULL)
		json_object_set_new(e, "version", json_string(mod));
	json_array_append_new(ok ? run->successes : run->failures, e);
	run->done++;
}

struct first_error {
	char	 msg[CYBEX_DIAG_MSG_MAX + CYBEX_DIAG_PTR_MAX + 8];
	bool	 set;
};

static void
on_vdiag(void *ud, const struct cybex_diag *d)
{
	struct first_error *fe = ud;

	if (d->severity != CYBEX_SEV_ERROR || fe->set)
		return;
	snprintf(fe->msg, sizeof(fe->msg), "%s [%s]", d->message, d->pointer);
	fe->set = true;
}

static void
run_job(struct jobs *js, struct job *j)
{
	struct srv *srv = js->srv;
	struct cybex_stix_opts so = { 0 };
	struct cybex_stix_reader *rd = NULL;
	struct cybex_stix_item it;
	struct cybex_store *s = NULL;
	struct first_error fe;
	struct cybex_diag d;
	struct run run;
	enum cybex_put_result res;
	size_t in_batch = 0;
	json_t *detail;
	int rc;

	memset(&run, 0, sizeof(run));
	run.successes = json_array();
	run.failures = json_array();
	if (pool_get(&srv->pool, &s, &d) != 0) {
		srv_log(srv, CYBEX_LOG_ERROR, "job-failed", "status",
		    j->status_id, "error", d.message, NULL);
		goto out;
	}
	memcpy(run.st.id, j->status_id, sizeof(run.st.id));
	run.st.api_root = j->api_root;
	run.st.uid = j->uid;
	run.st.created_us = j->created_us;
	/* The pending list written by the request. */
	{
		struct cybex_status cur;
		struct cybex_arena *a = NULL;

		if (cybex_arena_new(0, &a) == 0 && cybex_store_status_get(s,
		    j->api_root, j->status_id, a, &cur, &d) == 0) {
			run.st.total = cur.total;
			detail = json_loads(cur.detail, 0, NULL);
			run.pendings = json_incref(json_object_get(detail,
			    "pendings"));
			json_decref(detail);
		}
		cybex_arena_free(a);
	}
	if (run.pendings == NULL)
		run.pendings = json_array();
	if (cybex_stix_reader_new_mem(j->body.data, j->body.len, &so, &rd) != 0 ||
	    cybex_store_begin(s, &d) != 0)
		goto fail_rest;
	while ((rc = cybex_stix_reader_next(rd, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		memset(&fe, 0, sizeof(fe));
		if (cybex_stix_validate(it.json, &so, it.pointer, on_vdiag, &fe,
		    NULL) != 0) {
			outcome(&run, it.json, false, fe.set ? fe.msg :
			    "invalid STIX");
			continue;
		}
		rc = cybex_store_put(s, j->coll_id, it.json, it.text, it.len,
		    &res, &d);
		if (rc == CYBEX_ECONFLICT) {
			/*
			 * The stored version may be in a collection the caller
			 * cannot see: say what to do, not what is stored.
			 */
			outcome(&run, it.json, false, "conflicts with a stored "
			    "version of this object (same id and modified, other "
			    "content, or after a revocation); a changed object "
			    "needs a new modified");
			continue;
		}
		if (rc == CYBEX_ESTIX || rc == CYBEX_EPOLICY) {
			outcome(&run, it.json, false, d.message);
			continue;
		}
		if (rc != 0)
			break;
		/* "linked" would tell that another collection holds it. */
		outcome(&run, it.json, true, res == CYBEX_PUT_PRESENT ?
		    "already present" : "added");
		if (++in_batch >= BATCH) {
			in_batch = 0;
			if (cybex_store_commit(s, &d) != 0 ||
			    save(s, &run, false, &d) != 0 ||
			    cybex_store_begin(s, &d) != 0) {
				rc = CYBEX_EDB;
				break;
			}
		}
	}
	if (rc == 0 && cybex_store_commit(s, &d) == 0) {
		(void)save(s, &run, true, &d);
		goto out;
	}
	cybex_store_rollback(s);
	/* What was not committed did not happen: report it as failed. */
	json_array_clear(run.successes);
	run.done = 0;
 fail_rest:
	srv_log(srv, CYBEX_LOG_ERROR, "job-failed", "status", j->status_id,
	    "error", d.message, NULL);
	while (run.done < json_array_size(run.pendings)) {
		json_t *p = json_array_get(run.pendings, run.done);
		json_t *e = json_deep_copy(p);

		json_object_set_new(e, "message", json_string("not stored: the "
		    "server failed while storing this request"));
		json_array_append_new(run.failures, e);
		run.done++;
	}
	(void)save(s, &run, true, &d);
 out:
	cybex_stix_reader_free(rd);
	if (s != NULL)
		pool_put(&srv->pool, s);
	json_decref(run.successes);
	json_decref(run.failures);
	json_decref(run.pendings);
	{
		char ok[24], bad[24];

		snprintf(ok, sizeof(ok), "%llu", (unsigned long long)
		    run.st.success);
		snprintf(bad, sizeof(bad), "%llu", (unsigned long long)
		    run.st.failure);
		srv_log(srv, CYBEX_LOG_INFO, "add-objects-done", "status",
		    j->status_id, "stored", ok, "failed", bad, NULL);
	}
}

static void *
worker(void *arg)
{
	struct jobs *js = arg;
	struct job *j;

	for (;;) {
		pthread_mutex_lock(&js->mu);
		while (js->n == 0 && !js->stopping)
			pthread_cond_wait(&js->cv, &js->mu);
		if (js->n == 0) {
			pthread_mutex_unlock(&js->mu);
			return NULL;
		}
		j = js->q[js->head];
		js->head = (js->head + 1) % QUEUE_MAX;
		js->n--;
		pthread_mutex_unlock(&js->mu);
		run_job(js, j);
		job_free(j);
	}
}

int
jobs_start(struct srv *s, struct jobs **out)
{
	struct jobs *js;

	*out = NULL;
	if ((js = cybex_calloc(1, sizeof(*js))) == NULL)
		return CYBEX_ENOMEM;
	js->srv = s;
	pthread_mutex_init(&js->mu, NULL);
	pthread_cond_init(&js->cv, NULL);
	if (pthread_create(&js->th, NULL, worker, js) != 0) {
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
	pthread_cond_destroy(&js->cv);
	pthread_mutex_destroy(&js->mu);
	cybex_free(js);
}

int
jobs_submit(struct jobs *js, const char *api_root, const char *coll_id,
    int64_t uid, const char *status_id, int64_t created_us,
    struct cybex_buf *body, size_t *held)
{
	struct job *j;

	if ((j = cybex_calloc(1, sizeof(*j))) == NULL)
		return CYBEX_ENOMEM;
	snprintf(j->api_root, sizeof(j->api_root), "%s", api_root);
	snprintf(j->coll_id, sizeof(j->coll_id), "%s", coll_id);
	snprintf(j->status_id, sizeof(j->status_id), "%s", status_id);
	j->uid = uid;
	j->created_us = created_us;
	pthread_mutex_lock(&js->mu);
	if (js->n == QUEUE_MAX || js->stopping) {
		pthread_mutex_unlock(&js->mu);
		cybex_free(j);
		return CYBEX_ETOOBIG;
	}
	/* Take the body over, and its share of the upload budget. */
	j->body = *body;
	cybex_buf_init(body, body->max);
	j->srv = js->srv;
	j->held = *held;
	*held = 0;
	js->q[(js->head + js->n) % QUEUE_MAX] = j;
	js->n++;
	pthread_cond_signal(&js->cv);
	pthread_mutex_unlock(&js->mu);
	return 0;
}
