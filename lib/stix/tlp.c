/*
 * The predefined Traffic Light Protocol markings: the four TLP 1.0 objects
 * of STIX 2.1 section 7.2.1.4 and the five TLP 2.0 objects of the OASIS
 * TLP 2.0 marking extension, each with a fixed id.  Egress policy asks
 * cybex_stix_tlp_find() what a marking reference means; the validator
 * checks that an object claiming to be one of them is exactly it.
 */
#include <string.h>
#include <strings.h>

#include "stix_int.h"

static const struct cybex_tlp_marking tlp_markings[] = {
	{ "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	    "TLP:WHITE", CYBEX_TLP_CLEAR, 1, "white",
	    "2017-01-20T00:00:00.000Z" },
	{ "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	    "TLP:GREEN", CYBEX_TLP_GREEN, 1, "green",
	    "2017-01-20T00:00:00.000Z" },
	{ "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	    "TLP:AMBER", CYBEX_TLP_AMBER, 1, "amber",
	    "2017-01-20T00:00:00.000Z" },
	{ "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
	    "TLP:RED", CYBEX_TLP_RED, 1, "red",
	    "2017-01-20T00:00:00.000Z" },
	{ "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	    "TLP:CLEAR", CYBEX_TLP_CLEAR, 2, "clear",
	    "2022-10-01T00:00:00.000Z" },
	{ "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	    "TLP:GREEN", CYBEX_TLP_GREEN, 2, "green",
	    "2022-10-01T00:00:00.000Z" },
	{ "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	    "TLP:AMBER", CYBEX_TLP_AMBER, 2, "amber",
	    "2022-10-01T00:00:00.000Z" },
	{ "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	    "TLP:AMBER+STRICT", CYBEX_TLP_AMBER_STRICT, 2, "amber+strict",
	    "2022-10-01T00:00:00.000Z" },
	{ "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
	    "TLP:RED", CYBEX_TLP_RED, 2, "red",
	    "2022-10-01T00:00:00.000Z" },
};
#define NTLP	(sizeof(tlp_markings) / sizeof(tlp_markings[0]))

const struct cybex_tlp_marking *
cybex_stix_tlp_find(const char *marking_id)
{
	size_t i;

	if (marking_id == NULL)
		return NULL;
	for (i = 0; i < NTLP; i++)
		if (strcasecmp(tlp_markings[i].id, marking_id) == 0)
			return &tlp_markings[i];
	return NULL;
}

static const struct cybex_tlp_marking *
tlp2_by_value(const char *value)
{
	size_t i;

	for (i = 0; i < NTLP; i++)
		if (tlp_markings[i].tlp_version == 2 &&
		    strcmp(tlp_markings[i].value, value) == 0)
			return &tlp_markings[i];
	return NULL;
}

/*
 * A marking-definition using the TLP 2.0 extension must be one of the five
 * predefined objects, exactly; and an object with one of their ids must
 * carry that level.
 */
void
stix_check_tlp2(struct vctx *v, const json_t *obj)
{
	const json_t *ext = json_object_get(json_object_get(obj, "extensions"),
	    STIX_TLP2_EXTENSION);
	const struct cybex_tlp_marking *m, *byid;
	struct cybex_time got, want;
	const char *val, *id = v_str(obj, "id"), *name = v_str(obj, "name");
	const char *sub = "extensions/" STIX_TLP2_EXTENSION "/tlp_2_0";

	byid = cybex_stix_tlp_find(id);
	if (ext == NULL) {
		if (byid != NULL && byid->tlp_version == 2)
			v_err(v, "tlp-marking-nonstandard", "id", "'%s' is the "
			    "predefined TLP 2.0 %s marking; it must carry the "
			    "TLP 2.0 extension", id, byid->name);
		return;
	}
	if (!json_is_object(ext))
		return;		/* reported by the extensions rules */
	if ((val = v_str(ext, "tlp_2_0")) == NULL) {
		v_err(v, "tlp-marking-value", "extensions/" STIX_TLP2_EXTENSION,
		    "the TLP 2.0 extension must have a 'tlp_2_0' string");
		return;
	}
	if ((m = tlp2_by_value(val)) == NULL) {
		v_err(v, "tlp-marking-value", sub, "TLP 2.0 level '%s' must be "
		    "one of clear, green, amber, amber+strict, red", val);
		return;
	}
	if (id != NULL && strcasecmp(id, m->id) != 0)
		v_err(v, "tlp-marking-nonstandard", "id", "the TLP 2.0 %s "
		    "marking must use the predefined id '%s'", m->name, m->id);
	if (name == NULL || strcmp(name, m->name) != 0)
		v_err(v, "tlp-marking-nonstandard", "name", "the predefined TLP "
		    "2.0 marking is named '%s'", m->name);
	if (v_time(obj, "created", &got) &&
	    cybex_time_parse(m->created, strlen(m->created), CYBEX_TIME_UTC_Z,
	    &want, NULL) == 0 && cybex_time_cmp(&got, &want) != 0)
		v_err(v, "tlp-marking-nonstandard", "created", "the predefined "
		    "TLP 2.0 markings were created at %s", m->created);
}

/* The level of a marking reference, raised into *t when higher. */
static void
raise_ref(const json_t *ref, enum cybex_tlp *t)
{
	const struct cybex_tlp_marking *m;

	if ((m = cybex_stix_tlp_find(json_string_value(ref))) != NULL &&
	    m->level > *t)
		*t = m->level;
}

/*
 * The most restrictive predefined TLP marking of the object as a whole and
 * of any part of it: object_marking_refs and every granular marking's
 * marking_ref (STIX 2.1 section 7.2.3).  Content marked TLP:RED through a
 * granular marking makes the object TLP:RED for sharing: a hub cannot
 * serve the object without that content.
 */
enum cybex_tlp
cybex_stix_tlp_of(const json_t *obj)
{
	enum cybex_tlp t = CYBEX_TLP_NONE;
	const json_t *r, *g;
	size_t i;

	json_array_foreach(json_object_get(obj, "object_marking_refs"), i, r)
		raise_ref(r, &t);
	json_array_foreach(json_object_get(obj, "granular_markings"), i, g)
		raise_ref(json_object_get(g, "marking_ref"), &t);
	return t;
}

/* A level from a TLP value; unknown ones are RED (see the header). */
static enum cybex_tlp
level_of_value(const json_t *v)
{
	int t;

	if (!json_is_string(v) || (t = cybex_tlp_parse(json_string_value(v))) <=
	    0)
		return CYBEX_TLP_RED;
	return (enum cybex_tlp)t;
}

enum cybex_tlp
cybex_stix_marking_conveys(const json_t *md)
{
	const char *type = json_string_value(json_object_get(md, "type"));
	const char *dt = json_string_value(json_object_get(md,
	    "definition_type"));
	const json_t *ext;
	enum cybex_tlp t = CYBEX_TLP_NONE, e;

	if (type == NULL || strcmp(type, "marking-definition") != 0)
		return CYBEX_TLP_NONE;
	if (dt != NULL && strcasecmp(dt, "tlp") == 0)
		t = level_of_value(json_object_get(json_object_get(md,
		    "definition"), "tlp"));
	ext = json_object_get(json_object_get(md, "extensions"),
	    STIX_TLP2_EXTENSION);
	if (ext != NULL && (e = level_of_value(json_object_get(ext,
	    "tlp_2_0"))) > t)
		t = e;
	return t;
}

/* ref, when it is a string naming no predefined TLP marking, to fn. */
static int
other_ref(const json_t *ref, int (*fn)(void *, const char *), void *ud)
{
	const char *s = json_string_value(ref);

	if (s == NULL || cybex_stix_tlp_find(s) != NULL)
		return 0;
	return fn(ud, s);
}

int
cybex_stix_marking_refs(const json_t *obj, int (*fn)(void *, const char *),
    void *ud)
{
	const json_t *r, *g;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(obj, "object_marking_refs"), i, r)
		if ((rc = other_ref(r, fn, ud)) != 0)
			return rc;
	json_array_foreach(json_object_get(obj, "granular_markings"), i, g)
		if ((rc = other_ref(json_object_get(g, "marking_ref"), fn,
		    ud)) != 0)
			return rc;
	return 0;
}

static const char *const tlp_names[] = {
	"none", "TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT",
	"TLP:RED",
};

int
cybex_tlp_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	if (strcasecmp(s, "white") == 0)
		return CYBEX_TLP_CLEAR;
	for (i = 0; i < sizeof(tlp_names) / sizeof(tlp_names[0]); i++)
		if (strcasecmp(s, i == 0 ? tlp_names[0] : tlp_names[i] + 4) ==
		    0)
			return (int)i;
	return -1;
}

const char *
cybex_tlp_name(enum cybex_tlp t)
{
	if ((size_t)t >= sizeof(tlp_names) / sizeof(tlp_names[0]))
		return "?";
	return tlp_names[t];
}
