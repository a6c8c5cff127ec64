/*
 * The store's rules, one pure function each, the same for every backend:
 * what an object's markings make its TLP (given a look-up of what a
 * marking-definition conveys in one collection), the ingress ceiling, and
 * how an alert merges into the open one with the same (org, key).
 * store.c applies them around the backend calls; a backend only stores
 * (and uses store_tlp_resolve to keep its stored levels settled).
 */
#include <string.h>

#include "store_int.h"

static int
maxi(int a, int b)
{
	return a > b ? a : b;
}

struct resolve {
	store_conveys_fn	 fn;
	void			*ud;
	struct store_tlp	*t;
};

static int
on_ref(void *ud, const char *ref)
{
	struct resolve *rs = ud;
	bool found = false;
	int l = 0, r;

	if ((r = rs->fn(rs->ud, ref, &l, &found)) != 0)
		return r;
	if (!found) {
		rs->t->stored = CYBEX_TLP_RED;
		return 0;
	}
	rs->t->stored = maxi(rs->t->stored, l);
	if (l > rs->t->known) {
		rs->t->known = l;
		rs->t->via = ref;
	}
	return 0;
}

int
store_tlp_resolve(const json_t *obj, store_conveys_fn fn, void *ud,
    struct store_tlp *out)
{
	struct resolve rs = { fn, ud, out };

	out->stored = out->known = (int)cybex_stix_tlp_of(obj);
	out->via = NULL;
	return cybex_stix_marking_refs(obj, on_ref, &rs);
}

int
store_rule_ceiling(const char *id, const struct store_tlp *t, int max_tlp,
    const char *whose, struct cybex_diag *d)
{
	if (t->known <= max_tlp)
		return 0;
	return cybex_diag_set(d, CYBEX_EPOLICY, "%s is marked %s%s%s; %s "
	    "collection holds at most %s", id,
	    cybex_tlp_name((enum cybex_tlp)t->known), t->via != NULL ?
	    " through " : "", t->via != NULL ? t->via : "", whose,
	    cybex_tlp_name((enum cybex_tlp)max_tlp));
}

bool
cybex_store_alert_merge(struct cybex_alert_row *open,
    const struct cybex_alert_row *in)
{
	bool later = in->last_seen_us >= open->last_seen_us;

	if (in->first_seen_us > open->last_seen_us)	/* new activity */
		open->count = open->count + in->count < open->count ?
		    UINT64_MAX : open->count + in->count;
	else if (in->count > open->count)	/* the same, raised again */
		open->count = in->count;
	if (open->count > INT64_MAX)
		open->count = INT64_MAX;
	if (in->first_seen_us < open->first_seen_us)
		open->first_seen_us = in->first_seen_us;
	if (in->last_seen_us > open->last_seen_us)
		open->last_seen_us = in->last_seen_us;
	if (in->severity > open->severity)
		open->severity = in->severity;
	/* The more restrictive marking wins. */
	if (in->tlp > open->tlp)
		open->tlp = in->tlp;
	if (later) {
		open->summary = in->summary;
		open->parties = in->parties;
		open->evidence = in->evidence;
		open->sensor = in->sensor;
		open->taxonomy_class = in->taxonomy_class;
		open->taxonomy_type = in->taxonomy_type;
		open->detector = in->detector;
	}
	return later;
}
