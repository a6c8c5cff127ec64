/*
 * The STIX objects the pipeline writes: every one is validated against
 * every MUST rule before it is stored, so a bug here shows as an error,
 * never as invalid STIX served to members.
 */
#include <stdio.h>
#include <string.h>

#include "analysis_int.h"

const char *
tlp_marking_id(int tlp)
{
	/* The TLP 2.0 marking definitions (cybex_stix_tlp_find knows them). */
	static const char *const ids[] = {
		[CYBEX_TLP_CLEAR] = "marking-definition--"
		    "94868c89-83c2-464b-929b-a1a8aa3c8487",
		[CYBEX_TLP_GREEN] = "marking-definition--"
		    "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
		[CYBEX_TLP_AMBER] = "marking-definition--"
		    "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
		[CYBEX_TLP_AMBER_STRICT] = "marking-definition--"
		    "939a9414-2ddd-4d32-a0cd-375ea402b003",
		[CYBEX_TLP_RED] = "marking-definition--"
		    "e828b379-4e03-4974-9ac4-e53a884c97c1",
	};

	if (tlp < CYBEX_TLP_CLEAR || tlp > CYBEX_TLP_RED)
		tlp = CYBEX_TLP_AMBER;
	return ids[tlp];
}

struct first_error {
	bool			 seen;
	struct cybex_diag	 d;
};

static void
keep_first(void *ud, const struct cybex_diag *d)
{
	struct first_error *fe = ud;

	if (!fe->seen && d->severity == CYBEX_SEV_ERROR) {
		fe->seen = true;
		fe->d = *d;
	}
}

int
stix_check(const json_t *obj, struct cybex_diag *d)
{
	struct first_error fe;

	memset(&fe, 0, sizeof(fe));
	if (cybex_stix_validate(obj, NULL, NULL, keep_first, &fe, NULL) == 0)
		return 0;
	return cybex_diag_set(d, CYBEX_EINTERNAL, "a %s written by the "
	    "analysis pipeline is not valid STIX (%s: %s)",
	    json_string_value(json_object_get(obj, "type")) != NULL ?
	    json_string_value(json_object_get(obj, "type")) : "object",
	    fe.d.pointer, fe.d.message);
}

int
stix_put(struct cybex_store *s, const char *coll_id, const json_t *obj,
    struct cybex_buf *scratch, enum cybex_put_result *res,
    struct cybex_diag *d)
{
	const char *type = json_string_value(json_object_get(obj, "type"));
	int r;

	if ((r = stix_check(obj, d)) != 0)
		return r;
	cybex_buf_reset(scratch);
	if ((r = cybex_json_write(obj, 0, scratch)) != 0)
		return cybex_diag_set(d, r, "cannot write a %s", type);
	r = cybex_store_put(s, coll_id, obj, scratch->data, scratch->len, res,
	    d);
	/*
	 * An SCO's id is its content's: the same id with other content means
	 * someone stored it with more properties.  It is there; refer to it.
	 */
	if (r == CYBEX_ECONFLICT && type != NULL &&
	    cybex_stix_type_category(type) == CYBEX_STIX_SCO) {
		*res = CYBEX_PUT_PRESENT;
		r = 0;
	}
	return r;
}

void
stix_time(int64_t us, char *out)
{
	cybex_store_format_us(us, out, 32);
}
