/*
 * Sighting aggregates: one entry per (indicator, sensor) in a capped
 * open-addressing table, counting hits between flushes, and their writing
 * as sighting state and STIX objects.
 *
 * Ids are UUIDv5 under a cybex namespace: the sensor's identity from its
 * organization and name, the sighting from the indicator and the sensor,
 * the observed-data from the sighting and the version's time, so the same
 * input always names the same objects.
 *
 * Replays: a hit at or before the last_seen the store had for its
 * sighting when the entry was made was counted by an earlier run and is
 * skipped.  Reading that last_seen for every new entry would cost a query
 * per new (indicator, sensor); instead each sensor's latest last_seen is
 * read once, and an entry reads its own only for a hit that is not after
 * it (in a fresh database, never).  A run that emptied its full table
 * meets its own writes there: the store keeps, per state, the last_seen
 * from before the run's first merge, and that is the run's guard.
 */
#include <string.h>
#include <time.h>

#include "analysis_int.h"

/*
 * Namespace of the ids when the pipeline has no store; with a store it is
 * the hub's secret "analysis-ids" (cybex_store_secret), so that nobody
 * outside can predict the id of a sighting, an observed-data or a sensor's
 * identity and store an object there first (issue 25).  Hubs made before
 * schema 9 keep this one, under which their sightings were named.
 */
static const struct cybex_uuid analysis_ns_fixed = { {
	0x2f, 0x6a, 0x1f, 0x3e, 0x5c, 0x1d, 0x4b, 0x8a,
	0x9c, 0x47, 0x6e, 0x2f, 0x0d, 0x3a, 0x9b, 0x51,
} };

static int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
sagg_init(struct sagg *g, size_t max)
{
	memset(g, 0, sizeof(*g));
	g->max = max;
	g->ns = analysis_ns_fixed;
	g->nslots = 16;
	/* At most half full, also holding SAGG_OVER * max entries. */
	while (g->nslots < 2 * SAGG_OVER * max)
		g->nslots *= 2;
	if ((g->slots = cybex_calloc(g->nslots, sizeof(*g->slots))) == NULL ||
	    (g->sensor_ix = json_object()) == NULL) {
		sagg_fini(g);
		return CYBEX_ENOMEM;
	}
	return 0;
}

static void
sensors_free(struct sagg *g)
{
	size_t i;

	for (i = 0; i < g->nsensors; i++) {
		cybex_free(g->sensors[i].name);
		cybex_free(g->sensors[i].org);
	}
	g->nsensors = 0;
	g->has_last = false;
	json_object_clear(g->sensor_ix);
}

void
sagg_clear(struct sagg *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		sample_free(&g->e[i].sample);
	g->n = 0;
	if (g->slots != NULL)
		memset(g->slots, 0, g->nslots * sizeof(*g->slots));
	sensors_free(g);
}

void
sagg_fini(struct sagg *g)
{
	if (g->sensor_ix != NULL)
		sagg_clear(g);
	cybex_free(g->slots);
	cybex_free(g->e);
	cybex_free(g->sensors);
	json_decref(g->sensor_ix);
	memset(g, 0, sizeof(*g));
}

static uint32_t
key_hash(const uint8_t k[32])
{
	uint64_t w[4], h;

	memcpy(w, k, 32);
	h = w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL) ^ (w[2] + 0x632be59bd9b4e019ULL)
	    ^ (w[3] * 0xc2b2ae3d27d4eb4fULL);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (uint32_t)(h ^ (h >> 32));
}

/* The sensor (name, org) of an observation: its index, made when new.
 * -1: the sensor table is full (with over: SAGG_OVER times the cap). */
static int
sensor_of(struct sagg *g, const char *name, const char *org, bool over)
{
	struct sensor *sn, *nv;
	struct cybex_buf k;
	struct cybex_uuid u;
	const json_t *known;
	int idx = -2;

	if (name == NULL)
		name = "unnamed";
	if (g->has_last) {
		sn = &g->sensors[g->last_sensor];
		if (strcmp(sn->name, name) == 0 && (org == NULL ?
		    sn->org == NULL : sn->org != NULL &&
		    strcmp(sn->org, org) == 0))
			return (int)g->last_sensor;
	}
	cybex_buf_init(&k, 0);
	if (cybex_buf_puts(&k, "sensor\x1f") != 0 ||
	    cybex_buf_puts(&k, org != NULL ? org : "") != 0 ||
	    cybex_buf_putc(&k, 0x1f) != 0 || cybex_buf_puts(&k, name) != 0)
		goto out;
	if ((known = json_object_get(g->sensor_ix, k.data)) != NULL) {
		idx = (int)json_integer_value(known);
		goto found;
	}
	if (g->nsensors >= (over ? SAGG_OVER : 1) *
	    (size_t)CYBEX_ANALYSIS_MAX_SENSORS) {
		idx = -1;
		goto out;
	}
	if ((nv = cybex_reallocarray(g->sensors, g->nsensors + 1,
	    sizeof(*nv))) == NULL)
		goto out;
	g->sensors = nv;
	sn = &g->sensors[g->nsensors];
	memset(sn, 0, sizeof(*sn));
	if ((sn->name = cybex_strdup(name)) == NULL ||
	    (org != NULL && (sn->org = cybex_strdup(org)) == NULL) ||
	    cybex_uuid_v5(&g->ns, k.data, k.len, &u) != 0 ||
	    json_object_set_new(g->sensor_ix, k.data,
	    json_integer((json_int_t)g->nsensors)) != 0) {
		cybex_free(sn->name);
		cybex_free(sn->org);
		goto out;
	}
	memcpy(sn->uuid, u.b, 16);
	memcpy(sn->ref, "identity--", 10);
	cybex_uuid_format(&u, sn->ref + 10);
	idx = (int)g->nsensors++;
 found:
	g->last_sensor = (uint32_t)idx;
	g->has_last = true;
 out:
	cybex_buf_free(&k);
	return idx;
}

static struct sagg_entry *
entry_find(struct sagg *g, const uint8_t key[32], uint32_t h, size_t *slot)
{
	size_t i = h & (g->nslots - 1);
	uint32_t v;

	while ((v = g->slots[i]) != 0) {
		if (memcmp(g->e[v - 1].key, key, 32) == 0) {
			*slot = i;
			return &g->e[v - 1];
		}
		i = (i + 1) & (g->nslots - 1);
	}
	*slot = i;
	return NULL;
}

static void
sighting_id(const struct sagg *g, const struct sagg_entry *e,
    const struct sensor *sn, char *out, size_t outsz)
{
	struct cybex_uuid u;
	char ind[64], name[160];
	int n;

	memcpy(u.b, e->key, 16);
	memcpy(ind, "indicator--", 11);
	cybex_uuid_format(&u, ind + 11);
	n = snprintf(name, sizeof(name), "sighting\x1f%s\x1f%s", ind, sn->ref);
	cybex_uuid_v5(&g->ns, name, (size_t)n, &u);
	memcpy(out, "sighting--", 10);
	cybex_uuid_format(&u, out + 10);
	(void)outsz;
}

/* The stored last_seen of the entry's sighting (0 = none). */
static int
load_guard(struct cybex_analysis *a, struct sagg_entry *e,
    const struct sensor *sn, struct cybex_diag *d)
{
	struct cybex_sighting_state st;
	char id[64];
	int r;

	e->guard_loaded = true;
	e->guard = INT64_MIN;
	if (a->s == NULL)
		return 0;
	sighting_id(&a->g, e, sn, id, sizeof(id));
	cybex_arena_reset(a->arena);
	r = cybex_store_sighting_get(a->s, id, a->arena, &st, d);
	/*
	 * What this run wrote (before its table was emptied) is not a
	 * replay: only what the state had before this run's first merge.
	 */
	if (r == 0)
		e->guard = st.run == a->run ? st.guard_us : st.last_seen_us;
	return r == CYBEX_ENOTFOUND ? 0 : r;
}

int
sagg_hit(struct cybex_analysis *a, const struct cybex_obs *o,
    const struct lvalue *v, uint32_t n, bool over, struct cybex_diag *d)
{
	struct sagg *g = &a->g;
	size_t max = over ? SAGG_OVER * g->max : g->max;
	struct sagg_entry *e, *ne;
	struct sensor *sn;
	struct cybex_uuid u;
	uint8_t key[32];
	char id[CYBEX_STIX_ID_MAX];
	int64_t ts = o->ts_us > 0 ? o->ts_us : wall_us();
	size_t slot;
	uint32_t h;
	int si, r;

	cybex_match_index_indicator_id(a->intel->ix, n, id, sizeof(id));
	if (strncmp(id, "indicator--", 11) != 0 ||
	    cybex_uuid_parse(id + 11, strlen(id + 11), &u) != 0)
		return 0;
	/* The sensor: as named, else the host that reported the record. */
	if ((si = sensor_of(g, o->sensor != NULL ? o->sensor : o->host,
	    o->org, over)) == -1)
		return 1;
	if (si < 0)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	sn = &g->sensors[si];
	memcpy(key, u.b, 16);
	memcpy(key + 16, sn->uuid, 16);
	h = key_hash(key);
	if ((e = entry_find(g, key, h, &slot)) == NULL) {
		if (g->n >= max)
			return 1;
		if (g->n == g->cap) {
			size_t ncap = g->cap > 0 ? g->cap * 2 : 256;

			if (ncap > max)
				ncap = max;
			if ((ne = cybex_reallocarray(g->e, ncap,
			    sizeof(*ne))) == NULL)
				return cybex_diag_set(d, CYBEX_ENOMEM,
				    "out of memory");
			g->e = ne;
			g->cap = ncap;
		}
		e = &g->e[g->n];
		memset(e, 0, sizeof(*e));
		memcpy(e->key, key, 32);
		e->sensor = (uint32_t)si;
		e->tlp = (uint8_t)intel_tlp(a->intel, n);
		e->cls = (uint8_t)cybex_detect_coop_class(
		    intel_types(a->intel, n));
		g->slots[slot] = (uint32_t)++g->n;
	}
	if (!sn->latest_loaded) {
		sn->latest_loaded = true;
		sn->latest = INT64_MIN;
		if (a->s != NULL && (r = cybex_store_sighting_latest(a->s,
		    sn->ref, &sn->latest, d)) != 0)
			return r;
	}
	if (!e->guard_loaded && ts <= sn->latest &&
	    (r = load_guard(a, e, sn, d)) != 0)
		return r;
	if (e->guard_loaded && ts <= e->guard) {
		a->st.replays++;
		return 0;
	}
	if (e->count == 0 || ts < e->first)
		e->first = ts;
	if (e->count == 0 || ts > e->last)
		e->last = ts;
	e->count++;
	e->dirty = true;
	if (ts >= e->sample.ts_us && (r = sample_set(&e->sample, o, v)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	if (o->ts_us <= 0)
		e->sample.ts_us = ts;
	return 0;
}

/* ---- writing ---- */

struct flush_ctx {
	struct cybex_analysis	*a;
	const char		*coll;
	uint64_t		 updated;
	uint64_t		 withheld;
};

static int
put_identity(struct flush_ctx *fc, struct sensor *sn, int tlp,
    struct cybex_diag *d)
{
	enum cybex_put_result res;
	char now[32], desc[200];
	json_t *o;
	int r;

	stix_time(wall_us(), now);
	snprintf(desc, sizeof(desc), "sensor%s%s, as named in the events it "
	    "sent", sn->org != NULL ? " of " : "", sn->org != NULL ? sn->org :
	    "");
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}",
	    "type", "identity", "spec_version", "2.1", "id", sn->ref,
	    "created", now, "modified", now, "name", sn->name,
	    "description", desc, "identity_class", "system",
	    "object_marking_refs", tlp_marking_id(tlp));
	if (o == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	r = stix_put(fc->a->s, fc->coll, o, &fc->a->buf, &res, d);
	/* Made by an earlier run (with its own created): it is there. */
	if (r == CYBEX_ECONFLICT)
		r = 0;
	json_decref(o);
	return r;
}

static int
put_sighting(struct flush_ctx *fc, struct sagg_entry *e, struct sensor *sn,
    const struct cybex_sighting_state *t, int tlp, int64_t *modified,
    struct cybex_diag *d)
{
	struct cybex_analysis *a = fc->a;
	enum cybex_put_result res;
	struct cybex_uuid u;
	char created[32], mod[32], first[32], last[32], obs[32], name[160];
	char od[64];
	json_t *scos = NULL, *refs = NULL, *o = NULL, *sco;
	size_t i;
	int n, r;

	*modified = wall_us();
	if (*modified <= t->modified_us)
		*modified = t->modified_us + 1;	/* versions must advance */
	if (*modified < t->created_us)
		*modified = t->created_us;
	stix_time(t->created_us, created);
	stix_time(*modified, mod);
	stix_time(t->first_seen_us, first);
	stix_time(t->last_seen_us, last);
	if (sn->identity == IDENT_NONE) {
		if ((r = put_identity(fc, sn, tlp, d)) != 0)
			return r;
		sn->identity = IDENT_PENDING;
	}
	r = CYBEX_ENOMEM;
	if ((scos = json_array()) == NULL || (refs = json_array()) == NULL)
		goto nomem;
	if ((r = sample_scos(&e->sample, scos, d)) != 0)
		goto out;
	json_array_foreach(scos, i, sco) {
		if ((r = stix_put(a->s, fc->coll, sco, &a->buf, &res, d)) != 0)
			goto out;
		if (json_array_append(refs, json_object_get(sco, "id")) != 0)
			goto nomem;
	}
	od[0] = '\0';
	if (json_array_size(refs) > 0) {
		n = snprintf(name, sizeof(name), "observed-data\x1f%s\x1f%s",
		    t->id, mod);
		cybex_uuid_v5(&a->g.ns, name, (size_t)n, &u);
		memcpy(od, "observed-data--", 15);
		cybex_uuid_format(&u, od + 15);
		stix_time(e->sample.ts_us, obs);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:O, "
		    "s:[s]}", "type", "observed-data", "spec_version", "2.1",
		    "id", od, "created", mod, "modified", mod, "first_observed",
		    obs, "last_observed", obs, "number_observed", 1,
		    "object_refs", refs, "object_marking_refs",
		    tlp_marking_id(tlp));
		if (o == NULL)
			goto nomem;
		if ((r = stix_put(a->s, fc->coll, o, &a->buf, &res, d)) != 0)
			goto out;
		json_decref(o);
	}
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:[s], "
	    "s:[s]}", "type", "sighting", "spec_version", "2.1", "id", t->id,
	    "created", created, "modified", mod, "first_seen", first,
	    "last_seen", last, "count", (json_int_t)(t->count > 999999999 ?
	    999999999 : t->count), "sighting_of_ref", t->indicator_id,
	    "where_sighted_refs", sn->ref, "object_marking_refs",
	    tlp_marking_id(tlp));
	if (o == NULL)
		goto nomem;
	if (od[0] != '\0' && json_object_set_new(o, "observed_data_refs",
	    json_pack("[s]", od)) != 0)
		goto nomem;
	if ((r = stix_put(a->s, fc->coll, o, &a->buf, &res, d)) != 0)
		goto out;
	r = cybex_store_sighting_written(a->s, t->id, *modified, t->count, d);
	goto out;
 nomem:
	r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
 out:
	json_decref(o);
	json_decref(scos);
	json_decref(refs);
	return r;
}

/* The party kind of a matched value, for cooperative alerts. */
static const char *
party_kind(enum lk kind)
{
	switch (kind) {
	case LK_IPV4:
		return "ipv4-addr";
	case LK_IPV6:
		return "ipv6-addr";
	case LK_DOMAIN:
		return "domain-name";
	case LK_URL:
		return "url";
	case LK_EMAIL:
		return "email-addr";
	default:
		return NULL;
	}
}

static int
note_coop(struct cybex_analysis *a, const struct sagg_entry *e,
    const struct sensor *sn, const char *ind)
{
	const char *cls, *type, *pk;
	char subject[CYBEX_DETECT_COOP_KEY_MAX + 1];

	if (sn->org == NULL || cybex_detect_coop_subject(subject,
	    sizeof(subject), "indicator", ind) != 0)
		return 0;
	cybex_detect_coop_taxonomy(e->cls, &cls, &type);
	pk = e->sample.value != NULL && e->sample.value[0] != '\0' ?
	    party_kind(e->sample.kind) : NULL;
	return coop_note(&a->notes, subject, sn->org, e->count, e->first,
	    e->last, cls, type, pk, pk != NULL ? e->sample.value : NULL,
	    e->tlp);
}

int
sagg_store(struct cybex_analysis *a, struct cybex_diag *d)
{
	struct flush_ctx fc = { a, a->coll_id, 0, 0 };
	struct cybex_sighting_state delta, t;
	struct sagg *g = &a->g;
	struct sagg_entry *e;
	struct sensor *sn;
	char id[64], ind[64];
	struct cybex_uuid u;
	int64_t modified;
	size_t i;
	int tlp, r;

	for (i = 0; i < g->n; i++) {
		e = &g->e[i];
		if (!e->dirty)
			continue;
		sn = &g->sensors[e->sensor];
		sighting_id(g, e, sn, id, sizeof(id));
		memcpy(u.b, e->key, 16);
		memcpy(ind, "indicator--", 11);
		cybex_uuid_format(&u, ind + 11);
		memset(&delta, 0, sizeof(delta));
		delta.id = id;
		delta.indicator_id = ind;
		delta.sensor_ref = sn->ref;
		delta.org = sn->org;
		delta.count = e->count;
		delta.first_seen_us = e->first;
		delta.last_seen_us = e->last;
		delta.run = a->run;
		cybex_buf_reset(&a->buf);
		if (sample_json(&e->sample, &a->buf) == 0 &&
		    a->buf.len <= CYBEX_SIGHTING_SAMPLE_MAX)
			delta.sample = a->buf.data;
		cybex_arena_reset(a->arena);
		if ((r = cybex_store_sighting_merge(a->s, &delta, a->arena, &t,
		    d)) != 0)
			return r;
		if ((r = note_coop(a, e, sn, ind)) != 0)
			return cybex_diag_set(d, r, "out of memory");
		if (t.count == t.written_count)
			continue;
		tlp = a->o.tlp > e->tlp ? a->o.tlp : e->tlp;
		if (tlp > a->coll_max_tlp) {
			fc.withheld++;
			continue;
		}
		r = put_sighting(&fc, e, sn, &t, tlp, &modified, d);
		/*
		 * The store refused this sighting's objects (someone stored a
		 * revoked or other version of an id first, or a policy says
		 * no): set it aside and write the others; its counts stay in
		 * the sighting state and the next flush tries again.  One bad
		 * object never stops the pipeline for every member.
		 */
		if (r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY ||
		    r == CYBEX_ESTIX || r == CYBEX_EEXIST) {
			a->st.sightings_blocked++;
			continue;
		}
		if (r != 0)
			return r;
		fc.updated++;
	}
	a->flush_updated = fc.updated;
	a->flush_withheld = fc.withheld;
	return 0;
}

void
sagg_committed(struct sagg *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->e[i].dirty) {
			g->e[i].dirty = false;
			g->e[i].count = 0;
		}
	for (i = 0; i < g->nsensors; i++)
		if (g->sensors[i].identity == IDENT_PENDING)
			g->sensors[i].identity = IDENT_STORED;
}

void
sagg_rolled_back(struct sagg *g)
{
	size_t i;

	for (i = 0; i < g->nsensors; i++)
		if (g->sensors[i].identity == IDENT_PENDING)
			g->sensors[i].identity = IDENT_NONE;
}
