/*
 * Observation sets: the observed-data objects a pattern is evaluated
 * against, each with its time interval, its count and its SCOs keyed the
 * way references name them (ids for STIX 2.1 object_refs, the dictionary
 * keys of the deprecated embedded "objects").
 */
#include <stdio.h>
#include <string.h>

#include "pattern_int.h"

int
cybex_pattern_obsset_new(size_t max_obs, struct cybex_pattern_obsset **out)
{
	struct cybex_pattern_obsset *s;

	*out = NULL;
	if ((s = cybex_calloc(1, sizeof(*s))) == NULL)
		return CYBEX_ENOMEM;
	s->max = max_obs > 0 ? max_obs : CYBEX_PATTERN_OBS_MAX_DEFAULT;
	*out = s;
	return 0;
}

void
cybex_pattern_obsset_clear(struct cybex_pattern_obsset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		json_decref(s->v[i].objects);
		cybex_free(s->v[i].id);
	}
	s->n = 0;
}

void
cybex_pattern_obsset_free(struct cybex_pattern_obsset *s)
{
	if (s == NULL)
		return;
	cybex_pattern_obsset_clear(s);
	cybex_free(s->v);
	cybex_free(s);
}

size_t
cybex_pattern_obsset_count(const struct cybex_pattern_obsset *s)
{
	return s->n;
}

const char *
cybex_pattern_obsset_id(const struct cybex_pattern_obsset *s, size_t i)
{
	return i < s->n ? s->v[i].id : NULL;
}

void
cybex_pattern_obsset_times(const struct cybex_pattern_obsset *s, size_t i,
    struct cybex_time *first, struct cybex_time *last, uint32_t *count)
{
	*first = s->v[i].first;
	*last = s->v[i].last;
	*count = s->v[i].count;
}

const json_t *
cybex_pattern_obsset_objects(const struct cybex_pattern_obsset *s, size_t i)
{
	return i < s->n ? s->v[i].objects : NULL;
}

/* A new slot (zeroed) in *out; s->n is bumped by the caller. */
static int
slot(struct cybex_pattern_obsset *s, struct pobs **out, struct cybex_diag *d)
{
	struct pobs *nv;
	size_t ncap;

	*out = NULL;
	if (s->n >= s->max)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "more than %zu "
		    "observations", s->max);
	if (s->n == s->cap) {
		ncap = s->cap ? s->cap * 2 : 16;
		if ((nv = cybex_reallocarray(s->v, ncap, sizeof(*nv))) ==
		    NULL)
			return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		s->v = nv;
		s->cap = ncap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	*out = &s->v[s->n];
	return 0;
}

static int
get_time(const json_t *od, const char *key, struct cybex_time *out,
    const char *id, struct cybex_diag *d)
{
	const json_t *v = json_object_get(od, key);

	if (!json_is_string(v) || cybex_time_parse(json_string_value(v),
	    json_string_length(v), CYBEX_TIME_UTC_Z, out, NULL) != 0)
		return cybex_diag_set(d, CYBEX_ESTIX, "observed-data %s: %s is "
		    "missing or not a timestamp", id, key);
	return 0;
}

/* Add one observed-data; byid maps ids to the objects around it. */
static int
add_od(struct cybex_pattern_obsset *s, const json_t *od, const json_t *byid,
    struct cybex_diag *d)
{
	const json_t *idv = json_object_get(od, "id"), *nv, *embedded, *refs,
	    *ref, *target;
	const char *id = json_is_string(idv) ? json_string_value(idv) :
	    "(without id)";
	struct pobs *o;
	json_t *objects = NULL;
	json_int_t count;
	size_t i;
	int r;

	if ((r = slot(s, &o, d)) != 0)
		return r;
	if ((r = get_time(od, "first_observed", &o->first, id, d)) != 0 ||
	    (r = get_time(od, "last_observed", &o->last, id, d)) != 0)
		return r;
	nv = json_object_get(od, "number_observed");
	count = json_is_integer(nv) ? json_integer_value(nv) : 0;
	if (count < 1 || count > 999999999)
		return cybex_diag_set(d, CYBEX_ESTIX, "observed-data %s: "
		    "number_observed is missing or not 1..999999999", id);
	if (cybex_time_cmp(&o->last, &o->first) < 0)
		return cybex_diag_set(d, CYBEX_ESTIX, "observed-data %s: "
		    "last_observed is before first_observed", id);
	/*
	 * STIX 2.1's object_refs first; the deprecated embedded "objects"
	 * when there are none (an object with both, which section 4.14
	 * forbids, is read by its 2.1 property, as the reference matcher
	 * does).
	 */
	embedded = json_object_get(od, "objects");
	refs = json_object_get(od, "object_refs");
	if (json_is_object(embedded) && !json_is_array(refs))
		objects = json_incref((json_t *)embedded);
	else {
		if ((objects = json_object()) == NULL)
			return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		json_array_foreach(refs, i, ref) {
			if (!json_is_string(ref) || byid == NULL ||
			    (target = json_object_get(byid,
			    json_string_value(ref))) == NULL)
				continue;
			if (json_object_set(objects, json_string_value(ref),
			    (json_t *)target) != 0) {
				json_decref(objects);
				return cybex_diag_set(d, CYBEX_ENOMEM,
				    "out of memory");
			}
		}
	}
	if (json_is_string(idv) &&
	    (o->id = cybex_strdup(json_string_value(idv))) == NULL) {
		json_decref(objects);
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	}
	o->objects = objects;
	o->count = (uint32_t)count;
	s->n++;
	return 0;
}

static bool
is_type(const json_t *v, const char *type)
{
	const json_t *t = json_object_get(v, "type");

	return json_is_string(t) && strcmp(json_string_value(t), type) == 0;
}

/* Every observed-data of the list, references resolved in the list. */
static int
add_list(struct cybex_pattern_obsset *s, const json_t *list, size_t *nadded,
    struct cybex_diag *d)
{
	json_t *byid = NULL;
	const json_t *x, *id;
	size_t i;
	int r = CYBEX_ENOMEM;

	if ((byid = json_object()) == NULL)
		goto out;
	json_array_foreach(list, i, x) {
		id = json_object_get(x, "id");
		if (json_is_string(id) && json_object_get(byid,
		    json_string_value(id)) == NULL &&
		    json_object_set(byid, json_string_value(id),
		    (json_t *)x) != 0)
			goto out;
	}
	json_array_foreach(list, i, x) {
		if (is_type(x, "bundle"))
			r = cybex_pattern_obsset_add_json(s, x, nadded, d);
		else if (is_type(x, "observed-data")) {
			if ((r = add_od(s, x, byid, d)) == 0 && nadded != NULL)
				(*nadded)++;
		} else
			continue;
		if (r != 0)
			goto out;
	}
	r = 0;
 out:
	if (r == CYBEX_ENOMEM)
		cybex_diag_set(d, r, "out of memory");
	json_decref(byid);
	return r;
}

int
cybex_pattern_obsset_add_json(struct cybex_pattern_obsset *s,
    const json_t *v, size_t *nadded, struct cybex_diag *d)
{
	const json_t *objs;
	int r = 0;

	if (json_is_array(v))
		r = add_list(s, v, nadded, d);
	else if (is_type(v, "bundle")) {
		objs = json_object_get(v, "objects");
		if (json_is_array(objs))
			r = add_list(s, objs, nadded, d);
	} else if (is_type(v, "observed-data")) {
		if ((r = add_od(s, v, NULL, d)) == 0 && nadded != NULL)
			(*nadded)++;
	}
	return r;
}

int
cybex_pattern_obsset_add_scos(struct cybex_pattern_obsset *s,
    json_t *const *scos, size_t n, const struct cybex_time *first,
    const struct cybex_time *last, uint32_t count, struct cybex_diag *d)
{
	struct pobs *o;
	json_t *objects;
	const json_t *id;
	char key[32];
	size_t i;
	int r;

	if (count < 1 || cybex_time_cmp(last, first) < 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "an observation needs "
		    "count >= 1 and last >= first");
	if ((r = slot(s, &o, d)) != 0)
		return r;
	if ((objects = json_object()) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		id = json_object_get(scos[i], "id");
		if (!json_is_string(id))
			snprintf(key, sizeof(key), "%zu", i);
		if (json_object_set(objects, json_is_string(id) ?
		    json_string_value(id) : key, scos[i]) != 0) {
			json_decref(objects);
			return cybex_diag_set(d, CYBEX_ENOMEM,
			    "out of memory");
		}
	}
	o->objects = objects;
	o->first = *first;
	o->last = *last;
	o->count = count;
	s->n++;
	return 0;
}
