/*
 * Deterministic SCO identifiers (STIX 2.1 section 2.9): UUIDv5 under the
 * STIX namespace over the RFC 8785 canonical JSON of the object's
 * ID-contributing properties that are present.  A hashes dictionary
 * contributes one hash, chosen in the order MD5, SHA-1, SHA-256, SHA-512,
 * else the first one given.
 */
#include <stdio.h>
#include <string.h>

#include "stix_int.h"

static const struct cybex_uuid stix_ns = { {
	0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c,
	0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
} };

static json_t *
one_hash(const json_t *hashes)
{
	static const char *const pref[] = { "MD5", "SHA-1", "SHA-256",
	    "SHA-512" };
	const char *k;
	json_t *v, *out;
	size_t i;

	if ((out = json_object()) == NULL)
		return NULL;
	for (i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		if ((v = json_object_get(hashes, pref[i])) != NULL) {
			json_object_set(out, pref[i], v);
			return out;
		}
	}
	json_object_foreach((json_t *)hashes, k, v) {
		json_object_set(out, k, v);
		break;
	}
	return out;
}

int
cybex_stix_sco_id(const json_t *obj, char *out, size_t outsz,
    struct cybex_diag *d)
{
	const struct stix_type *t;
	const char *const *p;
	const char *type = v_str(obj, "type");
	struct cybex_buf b;
	struct cybex_uuid u;
	char us[CYBEX_UUID_STRLEN + 1];
	json_t *contrib = NULL, *v, *h;
	int r = CYBEX_EINTERNAL;

	cybex_buf_init(&b, CYBEX_STIX_OBJECT_MAX_DEFAULT);
	if (outsz > 0)
		out[0] = '\0';
	if (type == NULL || (t = stix_type_find(type)) == NULL ||
	    t->cat != SC_SCO) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "not a known SCO type");
		goto out;
	}
	if (t->id_contrib == NULL) {
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "%s has no "
		    "ID-contributing properties", type);
		goto out;
	}
	if ((contrib = json_object()) == NULL) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	for (p = t->id_contrib; *p != NULL; p++) {
		if ((v = json_object_get(obj, *p)) == NULL)
			continue;
		if (strcmp(*p, "hashes") == 0 && json_is_object(v)) {
			if ((h = one_hash(v)) == NULL) {
				r = CYBEX_ENOMEM;
				goto out;
			}
			json_object_set_new(contrib, *p, h);
		} else
			json_object_set(contrib, *p, v);
	}
	if (json_object_size(contrib) == 0) {
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "none of the "
		    "ID-contributing properties of %s is present", type);
		goto out;
	}
	if ((r = cybex_json_write(contrib, CYBEX_JSON_CANONICAL, &b)) != 0)
		goto out;
	if ((r = cybex_uuid_v5(&stix_ns, b.data, b.len, &u)) != 0)
		goto out;
	cybex_uuid_format(&u, us);
	if ((size_t)snprintf(out, outsz, "%s--%s", type, us) >= outsz) {
		r = cybex_diag_set(d, CYBEX_ETOOBIG, "id buffer too small");
		if (outsz > 0)
			out[0] = '\0';
		goto out;
	}
	r = 0;
 out:
	json_decref(contrib);
	cybex_buf_free(&b);
	return r;
}
