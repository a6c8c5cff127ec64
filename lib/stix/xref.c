/*
 * What spans the objects of one bundle (or one file of objects): the same
 * id twice with the same modified (bundle-duplicate-id, the reference's
 * duplicate-ids check), and with CYBEX_STIX_ENFORCE_REFS the references
 * of relationships and sightings that no object of the bundle resolves
 * (reference-unresolved).  The validator uses it for a bundle validated
 * whole; `cybex validate` for the objects it streams.  Memory: the ids
 * seen and the references still unresolved.
 */
#include <string.h>

#include "stix_int.h"

struct cybex_stix_xref {
	json_t	*versions;	/* "id modified" -> true */
	json_t	*ids;		/* id -> true */
	json_t	*pending;	/* [ref, pointer, line, column] */
};

int
cybex_stix_xref_new(struct cybex_stix_xref **out)
{
	struct cybex_stix_xref *x;

	*out = NULL;
	if ((x = cybex_calloc(1, sizeof(*x))) == NULL)
		return CYBEX_ENOMEM;
	x->versions = json_object();
	x->ids = json_object();
	x->pending = json_array();
	if (x->versions == NULL || x->ids == NULL || x->pending == NULL) {
		cybex_stix_xref_free(x);
		return CYBEX_ENOMEM;
	}
	*out = x;
	return 0;
}

void
cybex_stix_xref_free(struct cybex_stix_xref *x)
{
	if (x == NULL)
		return;
	json_decref(x->versions);
	json_decref(x->ids);
	json_decref(x->pending);
	cybex_free(x);
}

static void
vinit(struct vctx *v, const struct cybex_stix_opts *o, const char *ptr,
    cybex_diag_fn fn, void *ud)
{
	memset(v, 0, sizeof(*v));
	v->opts = o;
	v->fn = fn;
	v->ud = ud;
	snprintf(v->ptr, sizeof(v->ptr), "%s", ptr != NULL ? ptr : "");
	v->ptrlen = strlen(v->ptr);
}

static void
vdone(const struct vctx *v, struct cybex_stix_result *res)
{
	if (res != NULL) {
		res->errors += v->errors;
		res->warnings += v->warnings;
	}
}

/* Remember a reference to check at the end (property sub of obj). */
static int
pend(struct cybex_stix_xref *x, const json_t *ref, const char *ptr,
    const char *sub, unsigned long line, unsigned long col)
{
	char p[CYBEX_DIAG_PTR_MAX];
	json_t *e;

	if (!json_is_string(ref))
		return 0;
	snprintf(p, sizeof(p), "%s/%s", ptr != NULL ? ptr : "", sub);
	e = json_pack("[O s I I]", ref, p, (json_int_t)line, (json_int_t)col);
	if (e == NULL || json_array_append_new(x->pending, e) != 0)
		return CYBEX_ENOMEM;
	return 0;
}

/* The references an SRO makes to the objects it links (section 5). */
static int
pend_sro(struct cybex_stix_xref *x, const json_t *obj, const char *ptr,
    unsigned long line, unsigned long col)
{
	static const char *const one[] = { "source_ref", "target_ref",
	    "sighting_of_ref", NULL };
	static const char *const many[] = { "observed_data_refs",
	    "where_sighted_refs", NULL };
	const char *type = v_str(obj, "type");
	const json_t *e;
	char sub[64];
	size_t i, k;
	int r = 0;

	if (type == NULL || (strcmp(type, "relationship") != 0 &&
	    strcmp(type, "sighting") != 0))
		return 0;
	for (k = 0; one[k] != NULL && r == 0; k++)
		r = pend(x, json_object_get(obj, one[k]), ptr, one[k], line, col);
	for (k = 0; many[k] != NULL && r == 0; k++)
		json_array_foreach(json_object_get(obj, many[k]), i, e) {
			snprintf(sub, sizeof(sub), "%s/%zu", many[k], i);
			if ((r = pend(x, e, ptr, sub, line, col)) != 0)
				break;
		}
	return r;
}

int
cybex_stix_xref_add(struct cybex_stix_xref *x, const json_t *obj,
    const struct cybex_stix_opts *o, const char *ptr, unsigned long line,
    unsigned long col, cybex_diag_fn fn, void *ud,
    struct cybex_stix_result *res)
{
	const char *id = v_str(obj, "id"), *mod = v_str(obj, "modified");
	char key[CYBEX_STIX_ID_MAX + 64];
	struct vctx v;
	int r = 0;

	if (id == NULL)
		return 0;
	vinit(&v, o, ptr, fn, ud);
	v.line = line;
	v.column = col;
	if (json_object_set_new(x->ids, id, json_true()) != 0)
		return CYBEX_ENOMEM;
	/*
	 * Section 3.6: versions of one object differ in modified; objects
	 * without modified (SCOs, marking definitions) are not judged.
	 */
	if (mod != NULL && strlen(id) < CYBEX_STIX_ID_MAX && strlen(mod) < 63) {
		snprintf(key, sizeof(key), "%s %s", id, mod);
		if (json_object_get(x->versions, key) != NULL)
			v_warn(&v, "bundle-duplicate-id", "id", "id '%s' "
			    "appears twice with the same modified '%s'; "
			    "versions of an object should differ in modified",
			    id, mod);
		else if (json_object_set_new(x->versions, key,
		    json_true()) != 0)
			r = CYBEX_ENOMEM;
	}
	if (r == 0 && o != NULL && (o->flags & CYBEX_STIX_ENFORCE_REFS))
		r = pend_sro(x, obj, ptr, line, col);
	vdone(&v, res);
	return r;
}

int
cybex_stix_xref_finish(struct cybex_stix_xref *x,
    const struct cybex_stix_opts *o, cybex_diag_fn fn, void *ud,
    struct cybex_stix_result *res)
{
	const json_t *e;
	const char *ref;
	struct vctx v;
	size_t i;

	json_array_foreach(x->pending, i, e) {
		ref = json_string_value(json_array_get(e, 0));
		if (ref == NULL || json_object_get(x->ids, ref) != NULL)
			continue;
		vinit(&v, o, json_string_value(json_array_get(e, 1)), fn, ud);
		v.line = (unsigned long)json_integer_value(json_array_get(e,
		    2));
		v.column = (unsigned long)json_integer_value(json_array_get(e,
		    3));
		v_err(&v, "reference-unresolved", NULL, "'%s' is not the id "
		    "of an object of this bundle (--enforce-refs)", ref);
		vdone(&v, res);
	}
	json_array_clear(x->pending);
	return 0;
}
