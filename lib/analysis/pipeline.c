/*
 * The pipeline: one observation at a time through matching, the sighting
 * aggregates and the detectors; flushes write what accumulated in one
 * transaction.
 *
 * Matching takes the fast path: the index's field numbers are looked up
 * once per indicator set, and each value of an observation is one
 * cybex_match_lookup_value (or _int for ports).  Only when the set holds
 * compound patterns is the observation also turned into SCOs and
 * evaluated with cybex_match_lookup (docs/analysis.md has its cost).
 */
#include <string.h>
#include <time.h>

#include "cybex/policy.h"

#include "analysis_int.h"

#define CHECK_EVERY	1024	/* observations between clock reads */
#define OBS_HITS_MAX	256	/* distinct indicators kept per observation */

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
on_alert(void *ud, const struct cybex_alert *al)
{
	struct cybex_analysis *a = ud;
	int r;

	if (!al->update)
		a->st.alerts++;		/* updates merge into it */
	if (a->o.on_alert != NULL && (r = a->o.on_alert(a->o.ud, al)) != 0)
		return r;
	if ((r = alerts_add(&a->al, al)) < 0)
		return r;
	if (r == 2) {
		a->st.alerts_dropped++;
		return 0;
	}
	/* Flushed once the detector returns (not from inside it). */
	if (r == 1)
		a->alerts_full = true;
	return 0;
}

int
cybex_analysis_new(struct cybex_store *s, const struct cybex_analysis_opts *o,
    struct cybex_analysis **out, struct cybex_diag *d)
{
	struct cybex_analysis *a;
	struct cybex_collection c;
	struct cybex_detect_config *cfg = NULL;
	struct cybex_uuid u;
	size_t i;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((a = cybex_calloc(1, sizeof(*a))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	a->s = s;
	if (o != NULL)
		a->o = *o;
	if (a->o.max_sightings == 0)
		a->o.max_sightings = CYBEX_ANALYSIS_MAX_SIGHTINGS_DEFAULT;
	if (a->o.max_alerts == 0)
		a->o.max_alerts = CYBEX_ANALYSIS_MAX_ALERTS_DEFAULT;
	if (a->o.flush_interval_us == 0)
		a->o.flush_interval_us = CYBEX_ANALYSIS_FLUSH_DEFAULT_US;
	if (a->o.evidence_max == 0)
		a->o.evidence_max = CYBEX_ANALYSIS_EVIDENCE_MAX_DEFAULT;
	if (a->o.evidence_max > CYBEX_ALERT_EVIDENCE_MAX)
		a->o.evidence_max = CYBEX_ALERT_EVIDENCE_MAX;
	a->o.tlp = cybex_policy_alert_tlp(a->o.tlp);
	if (a->o.coop_min_orgs < 2)
		a->o.coop_min_orgs = 2;
	if (a->o.tlp < CYBEX_TLP_CLEAR || a->o.tlp > CYBEX_TLP_RED ||
	    a->o.max_sightings > UINT32_MAX / 4) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "bad analysis options (tlp "
		    "%d, %zu sightings)", a->o.tlp, a->o.max_sightings);
		goto fail;
	}
	a->o.collection = NULL;
	a->o.detect = NULL;
	/* Random, so runs of other processes never share it. */
	do {
		if (cybex_uuid_v4(&u) != 0) {
			r = cybex_diag_set(d, CYBEX_ECRYPTO, "no randomness for "
			    "the run's number");
			goto fail;
		}
		memcpy(&a->run, u.b, sizeof(a->run));
		a->run &= INT64_MAX;
	} while (a->run == 0);
	for (i = 0; i < LK_N; i++)
		a->field[i] = -1;
	cybex_buf_init(&a->buf, 0);
	cybex_buf_init(&a->vsc.b, 0);
	if (cybex_arena_new(0, &a->arena) != 0 ||
	    cybex_match_scratch_new(&a->msc) != 0 ||
	    sagg_init(&a->g, a->o.max_sightings) != 0 ||
	    alerts_init(&a->al, a->o.max_alerts, a->o.evidence_max,
	    a->o.tlp) != 0) {
		r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		goto fail;
	}
	if (o == NULL || o->detect == NULL) {
		if ((r = cybex_detect_config_new(&cfg)) != 0) {
			cybex_diag_set(d, r, "out of memory");
			goto fail;
		}
	}
	if ((r = cybex_detect_new(cfg != NULL ? cfg : o->detect, &a->dt,
	    d)) != 0)
		goto fail;
	/* A named collection must exist now; the default is made on use. */
	if (o != NULL && o->collection != NULL) {
		if ((a->coll_key = cybex_strdup(o->collection)) == NULL) {
			r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
			goto fail;
		}
		if (s != NULL) {
			if ((r = cybex_store_collection_get(s, o->collection,
			    a->arena, &c, d)) != 0)
				goto fail;
			memcpy(a->coll_id, c.id, sizeof(a->coll_id));
			a->coll_max_tlp = cybex_policy_collection_ceiling(
			    c.max_tlp);
		}
	}
	/* The ids it makes are the hub's own: unpredictable from outside. */
	if (s != NULL && (r = cybex_store_secret(s, "analysis-ids",
	    a->g.ns.b, sizeof(a->g.ns.b), d)) != 0)
		goto fail;
	cybex_detect_config_free(cfg);
	a->last_flush = mono_us();
	*out = a;
	return 0;
 fail:
	cybex_detect_config_free(cfg);
	cybex_analysis_free(a);
	return r;
}

void
cybex_analysis_free(struct cybex_analysis *a)
{
	if (a == NULL)
		return;
	cybex_detect_free(a->dt);
	cybex_analysis_intel_unref(a->intel);
	cybex_match_scratch_free(a->msc);
	cybex_free(a->readable);
	cybex_match_hits_free(&a->hits);
	cybex_pattern_obsset_free(a->obsset);
	values_scratch_free(&a->vsc);
	sagg_fini(&a->g);
	alerts_fini(&a->al);
	coop_clear(&a->notes);
	cybex_free(a->notes.v);
	cybex_buf_free(&a->buf);
	cybex_arena_free(a->arena);
	cybex_free(a->coll_key);
	cybex_free(a);
}

void
cybex_analysis_set_intel(struct cybex_analysis *a,
    struct cybex_analysis_intel *in)
{
	size_t i;

	if (in == a->intel)
		return;
	cybex_analysis_intel_unref(a->intel);
	a->intel = cybex_analysis_intel_ref(in);
	/* A reader's list was mapped onto the old set: nothing until reset. */
	cybex_free(a->readable);
	a->readable = NULL;
	a->reader_stale = a->reader_set;
	for (i = 0; i < LK_N; i++)
		a->field[i] = in != NULL ? cybex_match_field(in->ix,
		    lk_field[i]) : -1;
}

int
cybex_analysis_set_reader(struct cybex_analysis *a, bool all,
    const char *const *coll_ids, size_t n)
{
	const struct cybex_analysis_intel *in = a->intel;
	size_t i, k;

	cybex_free(a->readable);
	a->readable = NULL;
	a->reader_set = !all;
	a->reader_stale = false;
	if (all)
		return 0;
	/* One byte more than the collections, so never a NULL for "none". */
	if ((a->readable = cybex_calloc((in != NULL ? in->ncolls : 0) + 1,
	    1)) == NULL) {
		a->reader_stale = true;		/* fail closed */
		return CYBEX_ENOMEM;
	}
	for (i = 0; in != NULL && i < in->ncolls; i++)
		for (k = 0; k < n; k++)
			if (coll_ids[k] != NULL &&
			    strcmp(in->colls[i], coll_ids[k]) == 0) {
				a->readable[i] = 1;
				break;
			}
	return 0;
}

/* Whether the reader may see the hit on indicator ind. */
static bool
hit_visible(const struct cybex_analysis *a, uint32_t ind)
{
	if (!a->reader_set)
		return true;
	if (a->reader_stale || a->readable == NULL)
		return false;
	return intel_readable(a->intel, ind, a->readable);
}

/* ---- matching ---- */

struct ohit {
	uint32_t	 ind;
	int		 vi;		/* value that matched; -1 = compound */
};

struct ohits {
	struct ohit	 v[OBS_HITS_MAX];
	size_t		 n;
};

static void
ohits_add(struct ohits *h, uint32_t ind, int vi)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i].ind == ind)
			return;
	if (h->n < OBS_HITS_MAX) {
		h->v[h->n].ind = ind;
		h->v[h->n].vi = vi;
		h->n++;
	}
}

/* Compound patterns: the observation as SCOs, evaluated. */
static int
match_general(struct cybex_analysis *a, const struct cybex_obs *o,
    const struct lvalue *v, size_t nv, struct ohits *oh,
    struct cybex_diag *d)
{
	json_t *scos, *arr[VALUES_MAX + 4];
	struct cybex_time t;
	size_t i, n;
	int r;

	if (a->obsset == NULL &&
	    (r = cybex_pattern_obsset_new(1, &a->obsset)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	if ((scos = json_array()) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	if ((r = obs_scos(o, v, nv, scos, d)) != 0 ||
	    (n = json_array_size(scos)) == 0)
		goto out;
	if (n > sizeof(arr) / sizeof(arr[0]))
		n = sizeof(arr) / sizeof(arr[0]);
	for (i = 0; i < n; i++)
		arr[i] = json_array_get(scos, i);
	memset(&t, 0, sizeof(t));
	if (o->ts_us > 0) {
		t.sec = o->ts_us / 1000000;
		t.nsec = (uint32_t)((o->ts_us % 1000000) * 1000);
		t.digits = 6;
	}
	cybex_pattern_obsset_clear(a->obsset);
	if ((r = cybex_pattern_obsset_add_scos(a->obsset, arr, n, &t, &t, 1,
	    d)) != 0)
		goto out;
	a->st.general_lookups++;
	if ((r = cybex_match_lookup(a->intel->ix, a->obsset, 0, a->msc,
	    &a->hits, d)) != 0)
		goto out;
	for (i = 0; i < a->hits.n; i++)
		ohits_add(oh, a->hits.v[i], -1);
 out:
	/* The set refers to the SCOs: empty it before they go. */
	if (a->obsset != NULL)
		cybex_pattern_obsset_clear(a->obsset);
	json_decref(scos);
	return r;
}

static int
match(struct cybex_analysis *a, const struct cybex_obs *o, struct lvalue *v,
    size_t *nvp, struct ohits *oh, struct cybex_diag *d)
{
	const struct cybex_match_index *ix = a->intel->ix;
	size_t i, k, nv;
	int f, r;

	nv = *nvp = values_of(o, &a->vsc, v);
	for (i = 0; i < nv; i++) {
		if ((f = a->field[v[i].kind]) < 0)
			continue;
		if (v[i].s != NULL)
			r = cybex_match_lookup_value(ix, f, v[i].s, v[i].len,
			    a->msc, &a->hits);
		else
			r = cybex_match_lookup_int(ix, f, v[i].i, a->msc,
			    &a->hits);
		if (r != 0)
			return cybex_diag_set(d, r, "indicator lookup failed");
		for (k = 0; k < a->hits.n; k++)
			ohits_add(oh, a->hits.v[k], (int)i);
	}
	if (a->intel->general && nv > 0)
		return match_general(a, o, v, nv, oh, d);
	return 0;
}

/* ---- flushing ---- */

static int
resolve_collection(struct cybex_analysis *a, struct cybex_diag *d)
{
	struct cybex_collection c;
	int r;

	if (a->coll_id[0] != '\0')
		return 0;
	cybex_arena_reset(a->arena);
	r = cybex_store_collection_get(a->s, CYBEX_ANALYSIS_SIGHTINGS,
	    a->arena, &c, d);
	if (r == CYBEX_ENOTFOUND) {
		memset(&c, 0, sizeof(c));
		c.alias = CYBEX_ANALYSIS_SIGHTINGS;
		c.title = "Sightings";
		c.description = "Sightings of indicators by the sensors of "
		    "member organizations (cybex ingest, POST /api/v1/events)";
		c.max_tlp = CYBEX_TLP_AMBER;
		r = cybex_store_collection_add(a->s, &c, d);
	}
	if (r != 0)
		return r;
	memcpy(a->coll_id, c.id, sizeof(a->coll_id));
	a->coll_max_tlp = cybex_policy_collection_ceiling(c.max_tlp);
	return 0;
}

static bool
pending(const struct cybex_analysis *a)
{
	size_t i;

	if (a->al.n > 0)
		return true;
	for (i = 0; i < a->g.n; i++)
		if (a->g.e[i].dirty)
			return true;
	return false;
}

int
cybex_analysis_flush(struct cybex_analysis *a, struct cybex_diag *d)
{
	bool made_coll;
	int r;

	a->last_flush = mono_us();
	a->alerts_full = false;
	if (!pending(a)) {
		a->write_failed = false;
		return 0;
	}
	if (a->s == NULL) {
		/* Nowhere to write: the counts were the point. */
		sagg_committed(&a->g);
		alerts_clear(&a->al);
		a->st.flushes++;
		return 0;
	}
	a->flush_updated = a->flush_withheld = 0;
	a->flush_added = a->flush_merged = 0;
	made_coll = a->coll_id[0] == '\0';
	if ((r = cybex_store_begin(a->s, d)) != 0)
		return r;
	coop_clear(&a->notes);
	if ((r = resolve_collection(a, d)) != 0 ||
	    (r = sagg_store(a, d)) != 0 ||
	    (r = alerts_store(a, d)) != 0 ||
	    (r = coop_store(a, d)) != 0 ||
	    (r = cybex_store_commit(a->s, d)) != 0) {
		cybex_store_rollback(a->s);
		sagg_rolled_back(&a->g);
		coop_clear(&a->notes);
		if (made_coll)
			a->coll_id[0] = '\0';
		a->write_failed = true;
		a->st.write_failures++;
		if (a->batch)
			a->batch_failed = true;
		a->fail = *d;
		a->fail.code = r;
		return r;
	}
	a->write_failed = false;
	coop_clear(&a->notes);
	sagg_committed(&a->g);
	alerts_clear(&a->al);
	a->st.flushes++;
	a->st.sightings_updated += a->flush_updated;
	a->st.sightings_withheld += a->flush_withheld;
	a->st.alerts_added += a->flush_added;
	a->st.alerts_updated += a->flush_merged;
	return 0;
}

/* A table is full: write it all and start empty. */
static int
evict(struct cybex_analysis *a, struct cybex_diag *d)
{
	int r;

	if ((r = cybex_analysis_flush(a, d)) != 0)
		return r;
	sagg_clear(&a->g);
	a->st.evictions++;
	return 0;
}

/*
 * May a flush be tried now?  Not again in a batch once one failed: each
 * try can wait the store's busy timeout, and the batch goes on anyway.
 */
static bool
may_write(const struct cybex_analysis *a)
{
	return !(a->batch && a->write_failed);
}

/*
 * A flush that the input started.  In a batch its failure is not the
 * batch's: what was analysed stays pending (a->fail says why) and the
 * batch goes on, to be kept whole.
 */
static int
flush_now(struct cybex_analysis *a, struct cybex_diag *d)
{
	int r;

	if ((r = cybex_analysis_flush(a, d)) != 0 && a->batch) {
		cybex_diag_clear(d);
		r = 0;
	}
	return r;
}

static int
maybe_flush(struct cybex_analysis *a, struct cybex_diag *d)
{
	if (!may_write(a))
		return 0;
	if (a->alerts_full)
		return flush_now(a, d);
	if (a->o.flush_interval_us > 0 &&
	    mono_us() - a->last_flush >= a->o.flush_interval_us)
		return flush_now(a, d);
	return 0;
}

/*
 * Count one hit in the aggregates.  A full table is written and emptied;
 * when that write fails in a batch, the table takes up to SAGG_OVER times
 * its size until the batch ends, and a hit beyond even that is dropped
 * (counted in hits_dropped).
 */
static int
count_hit(struct cybex_analysis *a, const struct cybex_obs *o,
    const struct lvalue *v, uint32_t ind, struct cybex_diag *d)
{
	int r;

	if ((r = sagg_hit(a, o, v, ind, false, d)) != 1)
		return r;
	if (may_write(a)) {
		if ((r = evict(a, d)) == 0) {
			if ((r = sagg_hit(a, o, v, ind, false, d)) != 1)
				return r;
		} else if (!a->batch)
			return r;
		else
			cybex_diag_clear(d);
	}
	if (a->batch && (r = sagg_hit(a, o, v, ind, true, d)) != 1)
		return r;
	a->st.hits_dropped++;
	return 0;
}

/* ---- observations ---- */

void
cybex_analysis_set_time_limit(struct cybex_analysis *a, int64_t limit_us)
{
	a->time_limit_us = limit_us > 0 ? limit_us : 0;
}

int
cybex_analysis_observe(struct cybex_analysis *a, const struct cybex_obs *o,
    struct cybex_diag *d)
{
	struct lvalue v[VALUES_MAX];
	struct ohits oh;
	struct cybex_obs clamped;
	const char *const *types;
	char id[CYBEX_STIX_ID_MAX];
	size_t i, nv = 0;
	int r;

	a->st.observations++;
	/* A time from the future moves the clock everyone shares. */
	if (a->time_limit_us > 0 && o->ts_us > a->time_limit_us) {
		clamped = *o;
		clamped.ts_us = a->time_limit_us;
		o = &clamped;
		a->st.times_clamped++;
	}
	oh.n = 0;
	if (a->intel != NULL && (r = match(a, o, v, &nv, &oh, d)) != 0)
		return r;
	if (oh.n > 0)
		a->st.matched++;
	for (i = 0; i < oh.n; i++) {
		/* A compound pattern's evidence: the observation's first value. */
		const struct lvalue *mv = oh.v[i].vi >= 0 ? &v[oh.v[i].vi] :
		    nv > 0 ? &v[0] : NULL;
		static const struct lvalue none = { LK_IPV4, NULL, 0, 0 };

		if (!hit_visible(a, oh.v[i].ind)) {
			a->st.hits_hidden++;
			continue;
		}
		a->st.hits++;
		if ((r = count_hit(a, o, mv != NULL ? mv : &none,
		    oh.v[i].ind, d)) != 0)
			return r;
		cybex_match_index_indicator_id(a->intel->ix, oh.v[i].ind, id,
		    sizeof(id));
		types = intel_types(a->intel, oh.v[i].ind);
		a->al.hit_tlp = intel_tlp(a->intel, oh.v[i].ind);
		r = cybex_detect_hit(a->dt, o, id, types, on_alert, a);
		a->al.hit_tlp = 0;
		if (r != 0)
			return cybex_diag_set(d, r < 0 ? r : CYBEX_EINTERNAL,
			    "the detectors failed: %s", cybex_strerror(r));
	}
	if ((r = cybex_detect_observe(a->dt, o, on_alert, a)) != 0)
		return cybex_diag_set(d, r < 0 ? r : CYBEX_EINTERNAL, "the "
		    "detectors failed: %s", cybex_strerror(r));
	if (a->alerts_full || ++a->since_check >= CHECK_EVERY) {
		a->since_check = 0;
		return maybe_flush(a, d);
	}
	return 0;
}

int
cybex_analysis_tick(struct cybex_analysis *a, int64_t now_us,
    struct cybex_diag *d)
{
	int r;

	if (now_us > 0 && (r = cybex_detect_tick(a->dt, now_us, on_alert,
	    a)) != 0)
		return cybex_diag_set(d, r < 0 ? r : CYBEX_EINTERNAL, "the "
		    "detectors failed: %s", cybex_strerror(r));
	a->since_check = 0;
	return maybe_flush(a, d);
}

int
cybex_analysis_batch_begin(struct cybex_analysis *a, struct cybex_diag *d)
{
	int r;

	a->batch = false;
	a->batch_failed = false;
	/* What a failed write left pending goes first, or nothing starts. */
	if (a->write_failed && (r = cybex_analysis_flush(a, d)) != 0) {
		if (d != NULL)
			d->code = CYBEX_EBUSY;
		return CYBEX_EBUSY;
	}
	a->batch = true;
	return 0;
}

int
cybex_analysis_batch_end(struct cybex_analysis *a, struct cybex_diag *d)
{
	bool failed = a->batch && a->batch_failed;

	a->batch = false;
	a->batch_failed = false;
	if (!failed)
		return 0;
	*d = a->fail;
	return a->fail.code < 0 ? a->fail.code : CYBEX_EDB;
}

void
cybex_analysis_stats(const struct cybex_analysis *a,
    struct cybex_analysis_stats *out)
{
	*out = a->st;
}
