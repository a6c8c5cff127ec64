/* Internal interface of the incident module. */
#ifndef CYBEX_INCIDENT_INT_H
#define CYBEX_INCIDENT_INT_H

#include "cybex/incident.h"
#include "cybex/stix.h"

/* RFC 3339 (Z) to microseconds; NULL is 0.  CYBEX_ESTIX when malformed. */
int	 inc_time_us(const char *s, int64_t *out);
/* Read an incident version (obj is referenced, not stolen). */
int	 inc_read(json_t *obj, struct cybex_incident **out,
	    struct cybex_diag *d);
/*
 * The latest version of STIX object id in collection coll (NULL: any
 * collection) into *out (a new reference); CYBEX_ENOTFOUND.
 */
int	 inc_get_latest(struct cybex_store *s, const char *coll,
	    const char *id, json_t **out, struct cybex_diag *d);
/* The incident collection's id into coll; CYBEX_ENOTFOUND unless create. */
int	 inc_collection(struct cybex_store *s, bool create,
	    char coll[CYBEX_UUID_STRLEN + 1], struct cybex_diag *d);
/* The TLP 2.0 marking-definition id of a level (CLEAR..RED) or NULL. */
const char *inc_tlp_marking(int tlp);

#endif
