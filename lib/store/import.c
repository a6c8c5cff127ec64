/*
 * The import loop shared by `cybex import` and the TAXII server's
 * add-objects jobs: read STIX with the streaming reader, validate each
 * object, store the valid ones, and commit every batch; callers hear of
 * each object's outcome (on_object) and may write their own progress
 * into each batch's transaction (before_commit).
 *
 * With more than one CPU to run on, two stages on two threads, because
 * reading and validating cost about as much as storing: a producer thread
 * reads, parses and validates; the calling thread stores and commits.
 * Between them is a bounded queue (slots and bytes), so memory stays flat
 * whatever the input size.  On one CPU the two threads would only take
 * turns, and the hand-off (a copy of every object's text, a queue, frees
 * from the other thread's arena) costs about a tenth of the time: there
 * everything runs on the calling thread, the reader's text and value are
 * stored as they are.  Either way all callbacks run on the calling thread,
 * in input order, and the results are the same.
 */
#define _GNU_SOURCE		/* sched_getaffinity, CPU_COUNT */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define QSLOTS		512
#define QBYTES		(8u * 1024 * 1024)	/* queued text, beyond one object */
#define DIAGS_MAX	16			/* per rejected object */
#define WAKE_AT		128			/* objects per consumer wake-up */
#define BATCH_MAX	(QSLOTS / 4)		/* objects per consumer take */

struct qitem {
	int			 kind;		/* CYBEX_STIX_ITEM_*, 0 = end */
	bool			 owned;		/* json and text are the item's */
	json_t			*json;
	char			*text;		/* owned: a copy of the reader's */
	struct cybex_stix_item	 meta;		/* meta.text points at text */
	bool			 invalid;
	unsigned		 ndiags;
	struct cybex_diag	*diags;		/* validation errors, located */
	unsigned long long	 offset;	/* input consumed after it */
	int			 error;		/* end: the reader's result */
};

/* What an owned item holds on the heap, to be freed. */
struct qheap {
	json_t			*json;
	char			*text;
	struct cybex_diag	*diags;
};

struct pipe {
	pthread_mutex_t			 mu;
	pthread_cond_t			 nonempty;
	pthread_cond_t			 nonfull;
	struct qitem			 q[QSLOTS];
	size_t				 head, count, bytes;
	bool				 stop;		/* consumer gave up */
	bool				 consumer_waits;
	bool				 end_queued;	/* the last item is in */
	bool				 producer_waits;
	struct cybex_diag		 end_diag;	/* of the end item */
	/*
	 * Items the consumer is done with go back to the producer, which
	 * frees them: memory freed by the thread that allocated it stays in
	 * that thread's malloc caches (freed by the other, each object cost
	 * both threads trips into the shared arena).
	 */
	struct qheap			 done[QSLOTS];
	size_t				 ndone;
	/* Consumer's own. */
	struct qitem			 got[BATCH_MAX];
	struct qheap			 back[BATCH_MAX];
	size_t				 nback;
	/* Producer's own. */
	struct qheap			 tofree[QSLOTS];
	struct cybex_stix_reader	*rd;
	struct cybex_stix_opts		 sopts;
};

static void
qheap_free(const struct qheap *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_decref(h[i].json);
		cybex_free(h[i].text);
		cybex_free(h[i].diags);
	}
}

static void
qitem_free(struct qitem *it)
{
	if (it->owned) {
		json_decref(it->json);
		cybex_free(it->text);
	}
	cybex_free(it->diags);
	memset(it, 0, sizeof(*it));
}

/* Producer side: validation errors collected with their location. */
struct vcollect {
	struct qitem	*qi;
	unsigned	 errors;
};

static void
on_vdiag(void *ud, const struct cybex_diag *d)
{
	struct vcollect *vc = ud;
	struct qitem *qi = vc->qi;

	if (d->severity != CYBEX_SEV_ERROR)
		return;
	vc->errors++;
	if (qi->ndiags >= DIAGS_MAX)
		return;
	if (qi->diags == NULL &&
	    (qi->diags = cybex_calloc(DIAGS_MAX, sizeof(*qi->diags))) == NULL)
		return;
	qi->diags[qi->ndiags] = *d;
	cybex_stix_item_locate(&qi->meta, &qi->diags[qi->ndiags]);
	qi->ndiags++;
}

/*
 * Hand one item to the consumer; false when it has stopped.  The other
 * side is woken only when it may be waiting (queue was empty), so a busy
 * pipeline costs no system call per object.
 */
static bool
push(struct pipe *p, struct qitem *it)
{
	size_t nfree = 0;
	bool ok;

	pthread_mutex_lock(&p->mu);
	if (p->ndone > 0) {
		nfree = p->ndone;
		memcpy(p->tofree, p->done, nfree * sizeof(p->done[0]));
		p->ndone = 0;
	}
	while (!p->stop && (p->count == QSLOTS ||
	    (p->count > 0 && p->bytes + it->meta.len > QBYTES))) {
		p->producer_waits = true;
		/* The consumer may be waiting for more: let it drain. */
		if (p->consumer_waits) {
			p->consumer_waits = false;
			pthread_cond_signal(&p->nonempty);
		}
		pthread_cond_wait(&p->nonfull, &p->mu);
	}
	ok = !p->stop;
	if (ok) {
		p->q[(p->head + p->count) % QSLOTS] = *it;
		p->count++;
		p->bytes += it->meta.len;
		if (it->kind == 0)
			p->end_queued = true;
		/* Wake the consumer for a batch, not for every object. */
		if (p->consumer_waits && (p->count >= WAKE_AT ||
		    p->end_queued || p->bytes >= QBYTES / 2)) {
			p->consumer_waits = false;
			pthread_cond_signal(&p->nonempty);
		}
	}
	pthread_mutex_unlock(&p->mu);
	qheap_free(p->tofree, nfree);
	if (!ok)
		qitem_free(it);
	return ok;
}

/*
 * Take up to max items (at least one, waiting for it), and hand back what
 * the last ones held, for the producer to free.
 */
static size_t
pop_many(struct pipe *p, struct qitem *out, size_t max)
{
	size_t n = 0, keep = 0;

	pthread_mutex_lock(&p->mu);
	if (p->nback > 0 && p->ndone + p->nback <= QSLOTS) {
		memcpy(p->done + p->ndone, p->back,
		    p->nback * sizeof(p->back[0]));
		p->ndone += p->nback;
	} else
		keep = p->nback;	/* the producer is behind: free here */
	p->nback = 0;
	while (p->count == 0 || (p->count < WAKE_AT && !p->end_queued &&
	    p->bytes < QBYTES / 2 && !p->producer_waits)) {
		p->consumer_waits = true;
		pthread_cond_wait(&p->nonempty, &p->mu);
	}
	while (n < max && p->count > 0) {
		out[n] = p->q[p->head];
		p->head = (p->head + 1) % QSLOTS;
		p->count--;
		p->bytes -= out[n].meta.len;
		n++;
	}
	if (p->producer_waits && p->count <= QSLOTS / 2) {
		p->producer_waits = false;
		pthread_cond_signal(&p->nonfull);
	}
	pthread_mutex_unlock(&p->mu);
	qheap_free(p->back, keep);
	return n;
}

/*
 * Read and validate the next item into qi.  With copy, qi owns a copy of
 * the text and a reference to the value (they outlive the reader's next
 * call); without, it borrows the reader's until then.  Returns false when
 * qi is the end item (kind 0: the end of input or an error).
 */
static bool
produce_one(struct cybex_stix_reader *rd, const struct cybex_stix_opts *so,
    bool copy, struct qitem *qi, struct cybex_diag *end_diag)
{
	struct cybex_stix_item it;
	struct vcollect vc;
	int rc, vr;

	memset(qi, 0, sizeof(*qi));
	rc = cybex_stix_reader_next(rd, &it, end_diag);
	if (rc <= 0) {
		qi->error = rc;
		goto end;
	}
	qi->kind = it.kind;
	qi->meta = it;
	qi->meta.json = NULL;
	if (copy) {
		if ((qi->text = cybex_malloc(it.len + 1)) == NULL) {
			qi->error = cybex_diag_set(end_diag, CYBEX_ENOMEM,
			    "out of memory");
			goto end;
		}
		memcpy(qi->text, it.text, it.len);
		qi->text[it.len] = '\0';
		qi->owned = true;
	} else
		qi->text = (char *)it.text;	/* borrowed, not written */
	qi->meta.text = qi->text;
	memset(&vc, 0, sizeof(vc));
	vc.qi = qi;
	vr = cybex_stix_validate(it.json, so, it.pointer, on_vdiag, &vc,
	    NULL);
	qi->invalid = vr != 0;
	if (vr != 0 && vr != CYBEX_ESTIX) {
		qi->error = cybex_diag_set(end_diag, vr, "validation "
		    "failed: %s", cybex_strerror(vr));
		goto end;
	}
	qi->json = copy ? json_incref(it.json) : it.json;
	qi->offset = cybex_stix_reader_offset(rd);
	return true;
 end:
	/* The end item: only the error stays (qi->json was not set). */
	rc = qi->error;
	qitem_free(qi);
	qi->error = rc;
	qi->offset = cybex_stix_reader_offset(rd);
	return false;
}

static void *
produce(void *arg)
{
	struct pipe *p = arg;
	struct qitem qi;
	bool more;

	do {
		/* end_diag is the consumer's only after the end is queued. */
		more = produce_one(p->rd, &p->sopts, true, &qi, &p->end_diag);
		if (!push(p, &qi))
			return NULL;
	} while (more);
	return NULL;
}

static void
report(const struct cybex_import_opts *o, const struct qitem *qi)
{
	unsigned i;

	if (o->on_reject == NULL)
		return;
	for (i = 0; i < qi->ndiags; i++)
		o->on_reject(o->ud, &qi->diags[i]);
}

static void
reject_conflict(const struct cybex_import_opts *o, const struct qitem *qi,
    const struct cybex_diag *why)
{
	struct cybex_diag dd;

	if (o->on_reject == NULL)
		return;
	dd = *why;
	dd.severity = CYBEX_SEV_ERROR;
	snprintf(dd.pointer, sizeof(dd.pointer), "%s", qi->meta.pointer);
	cybex_stix_item_locate(&qi->meta, &dd);
	o->on_reject(o->ud, &dd);
}

/*
 * Commit the open batch (the caller's transaction is closed either way),
 * the before_commit hook's writes with it.  d may be NULL.
 */
static int
commit_batch(struct cybex_store *s, const struct cybex_import_opts *o,
    struct cybex_import_stats *st, unsigned long long bytes, bool last,
    struct cybex_diag *d)
{
	struct cybex_diag own;
	int r;

	if (d == NULL)
		d = &own;
	cybex_diag_clear(&own);
	if (o->before_commit != NULL &&
	    (r = o->before_commit(o->ud, st, last, d)) != 0) {
		cybex_store_rollback(s);
		return r;
	}
	if ((r = cybex_store_commit(s, d)) != 0)
		return r;
	st->committed = st->objects;
	st->bytes = bytes;
	if (o->on_batch != NULL)
		o->on_batch(o->ud, st);
	return 0;
}

static void
notify(const struct cybex_import_opts *o, const struct qitem *qi,
    uint64_t index, enum cybex_import_outcome oc, int code,
    const struct cybex_diag *why)
{
	struct cybex_import_object ob;

	if (o->on_object == NULL)
		return;
	ob.index = index;
	ob.json = qi->json;
	ob.outcome = oc;
	ob.code = code;
	ob.diag = why;
	o->on_object(o->ud, &ob);
}

#define SKIPPED	2	/* consume: passed over (opts.skip) */

/* Store one item; 1 = rejected, 0 = stored, SKIPPED, negative = fatal. */
static int
consume(struct cybex_store *s, const char *coll_id,
    const struct cybex_import_opts *o, struct qitem *qi,
    struct cybex_import_stats *st, struct cybex_diag *d)
{
	enum cybex_put_result res;
	struct cybex_diag pd, dd;
	uint64_t index;
	int r;

	if (qi->kind == CYBEX_STIX_ITEM_BUNDLE) {
		/* The envelope's own problems; its objects came before. */
		report(o, qi);
		if (qi->invalid)
			st->bad_bundles++;
		return qi->invalid ? 1 : 0;
	}
	index = st->objects++;
	if (index < o->skip) {
		st->skipped++;
		return SKIPPED;
	}
	if (qi->invalid) {
		st->rejected++;
		report(o, qi);
		notify(o, qi, index, CYBEX_IMPORT_INVALID, CYBEX_ESTIX,
		    qi->ndiags > 0 ? &qi->diags[0] : NULL);
		return 1;
	}
	cybex_diag_clear(&pd);
	r = cybex_store_put(s, coll_id, qi->json, qi->text, qi->meta.len, &res,
	    &pd);
	/*
	 * This object's fault, not the store's: reject it and go on (an
	 * ESTIX from the store is a check the validator did not make; it
	 * fails before anything is written).
	 */
	if (r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY || r == CYBEX_ESTIX) {
		st->rejected++;
		if (r == CYBEX_ECONFLICT && res == CYBEX_PUT_CONFLICT)
			st->conflicts++;
		reject_conflict(o, qi, &pd);
		dd = pd;
		dd.severity = CYBEX_SEV_ERROR;
		snprintf(dd.pointer, sizeof(dd.pointer), "%s",
		    qi->meta.pointer);
		cybex_stix_item_locate(&qi->meta, &dd);
		notify(o, qi, index, r == CYBEX_ECONFLICT &&
		    res == CYBEX_PUT_CONFLICT ? CYBEX_IMPORT_CONFLICT :
		    CYBEX_IMPORT_REFUSED, r, &dd);
		return 1;
	}
	if (r != 0) {
		*d = pd;
		return r;
	}
	if (res == CYBEX_PUT_ADDED)
		st->added++;
	else if (res == CYBEX_PUT_LINKED)
		st->linked++;
	else
		st->present++;
	notify(o, qi, index, res == CYBEX_PUT_ADDED ? CYBEX_IMPORT_ADDED :
	    res == CYBEX_PUT_LINKED ? CYBEX_IMPORT_LINKED :
	    CYBEX_IMPORT_PRESENT, 0, NULL);
	return 0;
}

/* The consumer's side of one import. */
struct run {
	struct cybex_store		*s;
	const char			*coll_id;
	const struct cybex_import_opts	*o;
	struct cybex_import_stats	*st;
	size_t				 batch, in_batch;
	unsigned long long		 last_off;
	bool				 open_tx;
};

/*
 * Take one item: store it, count it, commit when a batch is full.  Returns
 * true when the import is over (the end item, or a fatal error), with *r
 * its result; *r is 0 otherwise.
 */
static bool
take(struct run *ru, struct qitem *qi, const struct cybex_diag *end_diag,
    int *r, struct cybex_diag *d)
{
	const struct cybex_import_opts *o = ru->o;

	/* The reader's offsets, as the producer saw them. */
	ru->last_off = qi->offset;
	if (qi->kind == 0) {
		*r = qi->error;
		if (*r < 0)
			*d = *end_diag;
		return true;
	}
	*r = consume(ru->s, ru->coll_id, o, qi, ru->st, d);
	if (*r < 0)
		return true;
	if (*r == SKIPPED) {
		*r = 0;
		return false;
	}
	if (*r == 1) {
		*r = 0;
		if (o->all_or_nothing) {
			*r = cybex_diag_set(d, CYBEX_ESTIX, "an object was "
			    "rejected: nothing was imported");
			return true;
		}
		return false;
	}
	if (!o->all_or_nothing && !o->caller_tx &&
	    ++ru->in_batch >= ru->batch) {
		ru->in_batch = 0;
		ru->open_tx = false;
		if ((*r = commit_batch(ru->s, o, ru->st, ru->last_off, false,
		    d)) != 0 || (*r = cybex_store_begin(ru->s, d)) != 0)
			return true;
		ru->open_tx = true;
	}
	return false;
}

/* Can this thread run on more than one CPU (taskset, cgroups)? */
static bool
several_cpus(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return true;
	return CPU_COUNT(&set) > 1;
}

/* Everything on the calling thread: nothing is copied or queued. */
static int
run_inline(struct run *ru, struct cybex_stix_reader *rd,
    const struct cybex_stix_opts *so, struct cybex_diag *d)
{
	struct cybex_diag end_diag;
	struct qitem qi;
	bool done;
	int r = 0;

	do {
		(void)produce_one(rd, so, false, &qi, &end_diag);
		done = take(ru, &qi, &end_diag, &r, d);
		qitem_free(&qi);
	} while (!done);
	return r;
}

/* A producer thread reads and validates; this thread stores. */
static int
run_threads(struct run *ru, struct pipe *p, struct cybex_diag *d)
{
	pthread_t th;
	size_t ngot, k;
	bool done;
	int r = 0;

	if (pthread_create(&th, NULL, produce, p) != 0) {
		/* Nothing was stored: nothing to keep. */
		cybex_store_rollback(ru->s);
		ru->open_tx = false;
		return cybex_diag_set(d, CYBEX_EINTERNAL, "cannot start a "
		    "thread");
	}
	for (done = false; !done;) {
		ngot = pop_many(p, p->got, BATCH_MAX);
		for (k = 0; k < ngot; k++) {
			if (!done)
				done = take(ru, &p->got[k], &p->end_diag, &r,
				    d);
			/* Owned by the producer's thread: it frees them. */
			p->back[p->nback].json = p->got[k].json;
			p->back[p->nback].text = p->got[k].text;
			p->back[p->nback].diags = p->got[k].diags;
			p->nback++;
		}
	}
	/* Stop the producer and drain what it queued. */
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->nonfull);
	pthread_mutex_unlock(&p->mu);
	pthread_join(th, NULL);
	qheap_free(p->back, p->nback);
	qheap_free(p->done, p->ndone);
	p->nback = p->ndone = 0;
	while (p->count > 0) {
		qitem_free(&p->q[p->head]);
		p->head = (p->head + 1) % QSLOTS;
		p->count--;
	}
	return r;
}

int
cybex_store_import(struct cybex_store *s, const char *coll_id,
    struct cybex_stix_reader *rd, const struct cybex_import_opts *o,
    struct cybex_import_stats *st, struct cybex_diag *d)
{
	struct cybex_stix_opts sopts = { 0 };
	struct pipe *p = NULL;
	struct run ru;
	bool threads;
	int r, rc;

	memset(st, 0, sizeof(*st));
	memset(&ru, 0, sizeof(ru));
	ru.s = s;
	ru.coll_id = coll_id;
	ru.o = o;
	ru.st = st;
	ru.batch = o->batch ? o->batch : 50000;
	if (o->stix != NULL)
		sopts = *o->stix;
	threads = o->threads == 0 ? several_cpus() : o->threads > 1;
	if (threads) {
		if ((p = cybex_calloc(1, sizeof(*p))) == NULL)
			return CYBEX_ENOMEM;
		p->rd = rd;
		p->sopts = sopts;
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->nonempty, NULL);
		pthread_cond_init(&p->nonfull, NULL);
	}
	if (o->caller_tx && o->all_or_nothing) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "an import in the caller's "
		    "transaction cannot be all or nothing");
		goto out;
	}
	if (!o->caller_tx && (r = cybex_store_begin(s, d)) != 0)
		goto out;
	ru.open_tx = !o->caller_tx;
	r = threads ? run_threads(&ru, p, d) : run_inline(&ru, rd, &sopts, d);
	if (o->caller_tx && r == 0)
		st->committed = st->objects;	/* once the caller commits */
	if (ru.open_tx) {
		/*
		 * The end of input, or a broken input whose good prefix is
		 * kept (unless all-or-nothing, or the store itself failed).
		 */
		if (r == 0 || (!o->all_or_nothing && r != CYBEX_EDB &&
		    r != CYBEX_EBUSY && r != CYBEX_ENOSPC && r != CYBEX_EIO &&
		    r != CYBEX_ENOMEM)) {
			ru.open_tx = false;
			rc = commit_batch(s, o, st, ru.last_off, r == 0,
			    r == 0 ? d : NULL);
			if (r == 0)
				r = rc;
		}
	}
 out:
	if (ru.open_tx) {
		cybex_store_rollback(s);
		if (o->all_or_nothing) {
			st->added = st->linked = st->present = 0;
			st->committed = 0;
		}
	}
	if (p != NULL) {
		pthread_cond_destroy(&p->nonfull);
		pthread_cond_destroy(&p->nonempty);
		pthread_mutex_destroy(&p->mu);
		cybex_free(p);
	}
	return r;
}
