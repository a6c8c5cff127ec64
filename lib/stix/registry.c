/*
 * The common property tables and lookups over the registry tables that
 * registry_sdo.c, registry_sco.c and vocab.c define.
 */
#include <string.h>

#include "stix_int.h"

/* Common properties of SDOs and SROs (and language-content). */
const struct stix_prop stix_common_sdo[] = {
	{ "type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	/* Required: reported by check_spec_version() (rules_common.c). */
	{ "spec_version", SK_STRING, 0, NULL, 0, 0 },
	{ "id", SK_IDENTIFIER, SPF_REQUIRED, NULL, 0, 0 },
	{ "created_by_ref", SK_IDENTIFIER, 0, "identity", 0, 0 },
	{ "created", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "modified", SK_TIMESTAMP, SPF_REQUIRED, NULL, 0, 0 },
	{ "revoked", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "labels", SK_STRING, SPF_LIST, NULL, 0, 0 },
	{ "confidence", SK_INTEGER, SPF_BOUNDED, NULL, 0, 100 },
	{ "lang", SK_LANG, 0, NULL, 0, 0 },
	{ "external_references", SK_EMBEDDED, SPF_LIST, "external-reference",
	    0, 0 },
	{ "object_marking_refs", SK_IDENTIFIER, SPF_LIST, "marking-definition",
	    0, 0 },
	{ "granular_markings", SK_EMBEDDED, SPF_LIST, "granular-marking", 0, 0 },
	{ "extensions", SK_EXTENSIONS, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/* Common properties of SCOs. */
const struct stix_prop stix_common_sco[] = {
	{ "type", SK_STRING, SPF_REQUIRED, NULL, 0, 0 },
	{ "spec_version", SK_STRING, 0, NULL, 0, 0 },
	{ "id", SK_IDENTIFIER, SPF_REQUIRED, NULL, 0, 0 },
	{ "object_marking_refs", SK_IDENTIFIER, SPF_LIST, "marking-definition",
	    0, 0 },
	{ "granular_markings", SK_EMBEDDED, SPF_LIST, "granular-marking", 0, 0 },
	{ "defanged", SK_BOOLEAN, 0, NULL, 0, 0 },
	{ "extensions", SK_EXTENSIONS, 0, NULL, 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 },
};

/*
 * Lookups are linear over small tables; comparing the first byte before
 * strcmp skips most calls (this runs for every member of every object).
 */
static const struct stix_type *
find_in(const struct stix_type *tab, const char *name)
{
	for (; tab->name != NULL; tab++)
		if (tab->name[0] == name[0] && strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

const struct stix_type *
stix_type_find(const char *name)
{
	const struct stix_type *t;

	if ((t = find_in(stix_types_sdo, name)) != NULL)
		return t;
	return find_in(stix_types_sco, name);
}

const struct stix_type *
stix_embedded_find(const char *name)
{
	const struct stix_type *t;

	if ((t = find_in(stix_types_sdo_embedded, name)) != NULL)
		return t;
	return find_in(stix_types_sco_embedded, name);
}

static const struct stix_prop *
prop_in(const struct stix_prop *p, const char *name)
{
	if (p == NULL)
		return NULL;
	for (; p->name != NULL; p++)
		if (p->name[0] == name[0] && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

const struct stix_prop *
stix_prop_find(const struct stix_type *t, const char *name)
{
	const struct stix_prop *p;

	if ((p = prop_in(t->props, name)) != NULL)
		return p;
	return prop_in(t->common, name);
}

enum cybex_stix_category
cybex_stix_type_category(const char *type)
{
	const struct stix_type *t;

	if (type == NULL || (t = stix_type_find(type)) == NULL)
		return CYBEX_STIX_UNKNOWN;
	switch (t->cat) {
	case SC_SDO:
		return CYBEX_STIX_SDO;
	case SC_SRO:
		return CYBEX_STIX_SRO;
	case SC_SCO:
		return CYBEX_STIX_SCO;
	case SC_META:
		return CYBEX_STIX_META;
	case SC_BUNDLE:
		return CYBEX_STIX_BUNDLE;
	default:
		return CYBEX_STIX_UNKNOWN;
	}
}
