/*
 * The asset inventory (issue 13): dispatch to the backend, with the
 * checks every backend shares.
 */
#include <string.h>

#include "store_int.h"

static int
field_ok(const char *what, const char *v, struct cybex_diag *d)
{
	if (v != NULL && strlen(v) > CYBEX_ASSET_FIELD_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "an asset's %s is longer "
		    "than %d bytes", what, CYBEX_ASSET_FIELD_MAX);
	return 0;
}

int
cybex_store_asset_add(struct cybex_store *s, const struct cybex_asset *a,
    bool *added, struct cybex_diag *d)
{
	int r;

	*added = false;
	if (a->org == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "an asset belongs to an "
		    "organization");
	if ((a->cpe == NULL || *a->cpe == '\0') &&
	    (a->purl == NULL || *a->purl == '\0'))
		return cybex_diag_set(d, CYBEX_EINVAL, "an asset has a CPE or "
		    "a package URL");
	if ((r = field_ok("CPE", a->cpe, d)) != 0 ||
	    (r = field_ok("purl", a->purl, d)) != 0 ||
	    (r = field_ok("version", a->version, d)) != 0 ||
	    (r = field_ok("name", a->name, d)) != 0 ||
	    (r = field_ok("source", a->source, d)) != 0)
		return r;
	return s->ops->assets->asset_add(s, a, added, d);
}

int
cybex_store_asset_list(struct cybex_store *s, const char *org,
    cybex_asset_fn fn, void *ud, struct cybex_diag *d)
{
	return s->ops->assets->asset_list(s, org, fn, ud, d);
}

int
cybex_store_asset_remove(struct cybex_store *s, const char *org, int64_t id,
    uint64_t *removed, struct cybex_diag *d)
{
	*removed = 0;
	if (org == NULL || id < 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "removing assets needs "
		    "an organization and an id >= 0");
	return s->ops->assets->asset_remove(s, org, id, removed, d);
}
