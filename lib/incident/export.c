/*
 * Reading an incident's history and sharing it: the timeline (from the
 * version chain) and the STIX bundle export under a TLP ceiling.
 */
#include <stdlib.h>
#include <string.h>

#include "incident_int.h"

struct versions {
	json_t		**v;
	size_t		  n, cap;
	int		  r;
};

static int
versions_cb(void *ud, const struct cybex_row *row)
{
	struct versions *vs = ud;
	json_t **nv, *o;

	if ((o = json_loadb(row->json, row->len, 0, NULL)) == NULL)
		return vs->r = CYBEX_EJSON;
	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 16;

		if ((nv = cybex_reallocarray(vs->v, cap, sizeof(*nv))) ==
		    NULL) {
			json_decref(o);
			return vs->r = CYBEX_ENOMEM;
		}
		vs->v = nv;
		vs->cap = cap;
	}
	vs->v[vs->n++] = o;
	return 0;
}

static int64_t
modified_us(const json_t *o)
{
	int64_t v = 0;

	(void)inc_time_us(json_string_value(json_object_get(o, "modified")),
	    &v);
	return v;
}

static int
by_modified(const void *a, const void *b)
{
	int64_t x = modified_us(*(json_t *const *)a);
	int64_t y = modified_us(*(json_t *const *)b);

	return x < y ? -1 : x > y;
}

static void
versions_free(struct versions *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		json_decref(vs->v[i]);
	cybex_free(vs->v);
}

int
cybex_incident_timeline(struct cybex_store *s, const char *id,
    cybex_incident_event_fn fn, void *ud, struct cybex_diag *d)
{
	struct cybex_incident_event e;
	struct versions vs;
	struct cybex_query q;
	struct cybex_page page;
	char coll[CYBEX_UUID_STRLEN + 1];
	const json_t *ch;
	json_t *note;
	size_t i;
	int r;

	memset(&vs, 0, sizeof(vs));
	if ((r = inc_collection(s, false, coll, d)) != 0)
		return r == CYBEX_ENOTFOUND ? cybex_diag_set(d, r, "no "
		    "incident '%s'", id) : r;
	memset(&q, 0, sizeof(q));
	q.coll_id = coll;
	q.ids = &id;
	q.nids = 1;
	q.versions = CYBEX_VERSION_ALL;
	if ((r = cybex_store_query(s, &q, versions_cb, &vs, &page, d)) != 0 ||
	    (r = vs.r) != 0)
		goto out;
	if (vs.n == 0) {
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no incident '%s'", id);
		goto out;
	}
	qsort(vs.v, vs.n, sizeof(*vs.v), by_modified);
	for (i = 0; i < vs.n; i++) {
		ch = json_object_get(json_object_get(json_object_get(vs.v[i],
		    "extensions"), CYBEX_INCIDENT_EXT_WORKFLOW), "last_change");
		memset(&e, 0, sizeof(e));
		e.time_us = modified_us(vs.v[i]);
		e.version = json_string_value(json_object_get(vs.v[i],
		    "modified"));
		e.action = json_string_value(json_object_get(ch, "action"));
		e.actor = json_string_value(json_object_get(ch, "actor"));
		e.summary = json_string_value(json_object_get(ch, "summary"));
		if (e.action == NULL)
			e.action = "update";	/* made elsewhere */
		note = NULL;
		if (strcmp(e.action, "note") == 0 &&
		    inc_get_latest(s, coll, json_string_value(json_object_get(
		    ch, "ref")), &note, NULL) == 0)
			e.text = json_string_value(json_object_get(note,
			    "content"));
		r = fn(ud, &e);
		json_decref(note);
		if (r != 0)
			goto out;
	}
 out:
	versions_free(&vs);
	return r;
}

/* The objects of a bundle being made, each id once. */
struct bundle {
	json_t		*objects;
	json_t		*seen;		/* id -> true */
	json_t		*markings;	/* id -> true */
};

static int
add(struct bundle *b, json_t *obj)
{
	const char *id = json_string_value(json_object_get(obj, "id"));
	const json_t *m;
	size_t i;

	if (id == NULL || json_object_get(b->seen, id) != NULL)
		return 0;
	json_array_foreach(json_object_get(obj, "object_marking_refs"), i, m)
		if (json_is_string(m))
			json_object_set_new(b->markings, json_string_value(m),
			    json_true());
	if (json_object_set_new(b->seen, id, json_true()) != 0 ||
	    json_array_append(b->objects, obj) != 0)
		return CYBEX_ENOMEM;
	return 0;
}

static int
add_text(struct bundle *b, const char *text)
{
	json_t *o = json_loads(text, 0, NULL);
	int r;

	if (o == NULL)
		return CYBEX_EINTERNAL;
	r = add(b, o);
	json_decref(o);
	return r;
}

/* A predefined TLP 2.0 marking-definition object. */
static json_t *
tlp2_object(const struct cybex_tlp_marking *m)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}",
	    "type", "marking-definition", "spec_version", "2.1", "id", m->id,
	    "created", m->created, "name", m->name, "extensions",
	    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d",
	    "extension_type", "property-extension", "tlp_2_0", m->value);
}

struct exp {
	struct cybex_store	*s;
	const char		*coll;
	struct bundle		*b;
	int			 max_tlp;
	const char *const	*colls;		/* NULL: any collection */
	size_t			 ncolls;
	size_t			 withheld;
	int			 r;
	struct cybex_diag	*d;
};

static bool
allowed(const struct exp *x, const json_t *obj)
{
	return (int)cybex_stix_tlp_of(obj) <= x->max_tlp;
}

/*
 * The latest version of ref the reader may read: from the first of its
 * collections that holds it; CYBEX_EPOLICY when only others do,
 * CYBEX_ENOTFOUND when none does.
 */
static int
reader_get(struct exp *x, const char *ref, json_t **out)
{
	size_t i;
	int r;

	if (x->colls == NULL)
		return inc_get_latest(x->s, NULL, ref, out, x->d);
	for (i = 0; i < x->ncolls; i++) {
		r = inc_get_latest(x->s, x->colls[i], ref, out, x->d);
		if (r != CYBEX_ENOTFOUND)
			return r;
		cybex_diag_clear(x->d);
	}
	if ((r = inc_get_latest(x->s, NULL, ref, out, x->d)) != 0)
		return r;
	json_decref(*out);
	*out = NULL;
	return CYBEX_EPOLICY;
}

static int
link_cb(void *ud, const struct cybex_incident_link *l)
{
	struct exp *x = ud;
	json_t *rel = NULL, *target = NULL, *note = NULL;
	int r = 0;

	if (l->kind == CYBEX_INCIDENT_LINK_NOTE) {
		if ((r = inc_get_latest(x->s, x->coll, l->ref, &note,
		    x->d)) != 0)
			goto out;
		if (allowed(x, note))
			r = add(x->b, note);
		else
			x->withheld++;
		goto out;
	}
	if (l->rel != NULL && (r = inc_get_latest(x->s, x->coll, l->rel, &rel,
	    x->d)) != 0)
		goto out;
	if (rel != NULL && !allowed(x, rel)) {
		x->withheld++;
		goto out;
	}
	if (l->kind == CYBEX_INCIDENT_LINK_EVIDENCE) {
		r = reader_get(x, l->ref, &target);
		if (r == CYBEX_EPOLICY) {
			/* Stored where the reader may not read. */
			cybex_diag_clear(x->d);
			r = 0;
			x->withheld++;
			goto out;
		}
		if (r == CYBEX_ENOTFOUND) {
			/* A reference from elsewhere: the SRO alone. */
			cybex_diag_clear(x->d);
			r = 0;
		} else if (r != 0)
			goto out;
		else if (!allowed(x, target)) {
			x->withheld++;
			goto out;
		} else if ((r = add(x->b, target)) != 0)
			goto out;
	}
	if (rel != NULL)
		r = add(x->b, rel);
 out:
	json_decref(rel);
	json_decref(target);
	json_decref(note);
	if (r != 0)
		x->r = r;
	return r;
}

/* The marking-definitions the objects use: TLP ones made, others looked up. */
static int
add_markings(struct exp *x)
{
	const struct cybex_tlp_marking *m;
	const char *id;
	json_t *v, *o, *todo;
	int r = 0;

	/* Adding may add markings: iterate over a copy, once. */
	if ((todo = json_deep_copy(x->b->markings)) == NULL)
		return CYBEX_ENOMEM;
	json_object_foreach(todo, id, v) {
		o = NULL;
		if ((m = cybex_stix_tlp_find(id)) != NULL) {
			if (m->tlp_version == 2 && (o = tlp2_object(m)) == NULL) {
				r = CYBEX_ENOMEM;
				break;
			}
		} else if (inc_get_latest(x->s, NULL, id, &o, NULL) != 0)
			o = NULL;
		if (o != NULL && (r = add(x->b, o)) != 0) {
			json_decref(o);
			break;
		}
		json_decref(o);
	}
	json_decref(todo);
	return r;
}

int
cybex_incident_export(struct cybex_store *s, const char *id, int max_tlp,
    struct cybex_buf *out, size_t *withheld, struct cybex_diag *d)
{
	return cybex_incident_export_for(s, id, max_tlp, NULL, 0, out,
	    withheld, d);
}

int
cybex_incident_export_for(struct cybex_store *s, const char *id,
    int max_tlp, const char *const *colls, size_t ncolls,
    struct cybex_buf *out, size_t *withheld, struct cybex_diag *d)
{
	struct cybex_incident *inc = NULL;
	struct bundle b = { NULL, NULL, NULL };
	struct exp x;
	struct cybex_uuid u;
	char coll[CYBEX_UUID_STRLEN + 1], bid[64], us[37];
	json_t *bundle = NULL;
	int r;

	if (withheld != NULL)
		*withheld = 0;
	if (max_tlp < CYBEX_TLP_CLEAR || max_tlp > CYBEX_TLP_RED)
		return cybex_diag_set(d, CYBEX_EINVAL, "TLP ceiling %d: one of "
		    "clear, green, amber, amber+strict, red", max_tlp);
	if ((r = cybex_incident_get(s, id, &inc, d)) != 0 ||
	    (r = inc_collection(s, false, coll, d)) != 0)
		goto out;
	if (inc->tlp > max_tlp) {
		r = cybex_diag_set(d, CYBEX_EPOLICY, "incident %s is %s, above "
		    "the audience's %s: not exported", id,
		    cybex_tlp_name(inc->tlp), cybex_tlp_name(max_tlp));
		goto out;
	}
	b.objects = json_array();
	b.seen = json_object();
	b.markings = json_object();
	if (b.objects == NULL || b.seen == NULL || b.markings == NULL) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	if ((r = add_text(&b, cybex_incident_identity_json())) != 0 ||
	    (r = add_text(&b, cybex_incident_ext_core_json())) != 0 ||
	    (r = add_text(&b, cybex_incident_ext_workflow_json())) != 0 ||
	    (r = add(&b, inc->json)) != 0)
		goto out;
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.coll = coll;
	x.b = &b;
	x.max_tlp = max_tlp;
	x.colls = colls;
	x.ncolls = ncolls;
	x.d = d;
	if ((r = cybex_store_incident_links(s, id, 0, link_cb, &x, d)) != 0 ||
	    (r = x.r) != 0 || (r = add_markings(&x)) != 0)
		goto out;
	if ((r = cybex_uuid_v4(&u)) != 0)
		goto out;
	cybex_uuid_format(&u, us);
	snprintf(bid, sizeof(bid), "bundle--%s", us);
	bundle = json_pack("{s:s, s:s, s:O}", "type", "bundle", "id", bid,
	    "objects", b.objects);
	if (bundle == NULL) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	if ((r = cybex_json_write(bundle, CYBEX_JSON_PRETTY, out)) != 0 ||
	    (r = cybex_buf_putc(out, '\n')) != 0)
		goto out;
	if (withheld != NULL)
		*withheld = x.withheld;
 out:
	json_decref(bundle);
	json_decref(b.objects);
	json_decref(b.seen);
	json_decref(b.markings);
	cybex_incident_free(inc);
	return r;
}
