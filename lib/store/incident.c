/*
 * The incident index: argument checks and dispatch to the backend's
 * incident table (store_incident.h).
 */
#include <string.h>

#include "store_int.h"

static int
ops(struct cybex_store *s, const struct store_incident_ops **out,
    struct cybex_diag *d)
{
	*out = s->ops->incident;
	if (*out == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "the %s store has no "
		    "incidents", s->ops->scheme);
	return 0;
}

int
cybex_store_incident_put(struct cybex_store *s,
    const struct cybex_incident_row *r, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	if ((e = ops(s, &o, d)) != 0)
		return e;
	if (r->id == NULL || strncmp(r->id, "incident--", 10) != 0 ||
	    r->modified == NULL || r->status == NULL || r->title == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "an incident row needs "
		    "an incident id, modified, status and title");
	if (r->severity < 1 || r->severity > 4 || r->priority < 1 ||
	    r->priority > 4)
		return cybex_diag_set(d, CYBEX_EINVAL, "severity %d and "
		    "priority %d must be 1 to 4", r->severity, r->priority);
	if (strlen(r->title) > CYBEX_INCIDENT_TITLE_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "an incident title "
		    "has at most %d bytes", CYBEX_INCIDENT_TITLE_MAX);
	return o->put(s, r, d);
}

int
cybex_store_incident_get(struct cybex_store *s, const char *id,
    struct cybex_arena *a, struct cybex_incident_row *out,
    struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	memset(out, 0, sizeof(*out));
	if ((e = ops(s, &o, d)) != 0)
		return e;
	return o->get(s, id, a, out, d);
}

int
cybex_store_incident_list(struct cybex_store *s,
    const struct cybex_incident_filter *f, cybex_incident_row_fn fn,
    void *ud, struct cybex_page *page, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	memset(page, 0, sizeof(*page));
	if ((e = ops(s, &o, d)) != 0)
		return e;
	if (f->severity < 0 || f->severity > 4)
		return cybex_diag_set(d, CYBEX_EINVAL, "severity %d: 1 to 4 "
		    "(0 = any)", f->severity);
	return o->list(s, f, fn, ud, page, d);
}

int
cybex_store_incident_link(struct cybex_store *s,
    const struct cybex_incident_link *l, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	if ((e = ops(s, &o, d)) != 0)
		return e;
	if (l->incident == NULL || l->ref == NULL ||
	    l->kind < CYBEX_INCIDENT_LINK_EVIDENCE ||
	    l->kind > CYBEX_INCIDENT_LINK_RELATED)
		return cybex_diag_set(d, CYBEX_EINVAL, "a link needs an "
		    "incident, a ref and a kind");
	return o->link(s, l, d);
}

int
cybex_store_incident_unlink(struct cybex_store *s, const char *incident,
    const char *ref, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	if ((e = ops(s, &o, d)) != 0)
		return e;
	return o->unlink(s, incident, ref, d);
}

int
cybex_store_incident_links(struct cybex_store *s, const char *incident,
    int kind, cybex_incident_link_fn fn, void *ud, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	if ((e = ops(s, &o, d)) != 0)
		return e;
	return o->links(s, incident, kind, fn, ud, d);
}

int
cybex_store_incident_by_ref(struct cybex_store *s, const char *ref,
    cybex_incident_link_fn fn, void *ud, struct cybex_diag *d)
{
	const struct store_incident_ops *o;
	int e;

	if ((e = ops(s, &o, d)) != 0)
		return e;
	return o->by_ref(s, ref, fn, ud, d);
}
