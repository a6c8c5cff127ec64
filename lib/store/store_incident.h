/*
 * The incident slots of a store backend: a table of their own, reached
 * from struct cybex_store_ops.incident (abi 8), so that the domain grows
 * without touching the flat table.
 */
#ifndef CYBEX_STORE_INCIDENT_INT_H
#define CYBEX_STORE_INCIDENT_INT_H

#include "cybex/store_incident.h"

#define STORE_INCIDENT_OPS_ABI	1

struct store_incident_ops {
	int	 abi;		/* add slots only at the end */
	int	(*put)(struct cybex_store *, const struct cybex_incident_row *,
		    struct cybex_diag *);
	int	(*get)(struct cybex_store *, const char *, struct cybex_arena *,
		    struct cybex_incident_row *, struct cybex_diag *);
	int	(*list)(struct cybex_store *,
		    const struct cybex_incident_filter *, cybex_incident_row_fn,
		    void *, struct cybex_page *, struct cybex_diag *);
	int	(*link)(struct cybex_store *, const struct cybex_incident_link *,
		    struct cybex_diag *);
	int	(*unlink)(struct cybex_store *, const char *, const char *,
		    struct cybex_diag *);
	int	(*links)(struct cybex_store *, const char *, int,
		    cybex_incident_link_fn, void *, struct cybex_diag *);
	int	(*by_ref)(struct cybex_store *, const char *,
		    cybex_incident_link_fn, void *, struct cybex_diag *);
};

#endif /* CYBEX_STORE_INCIDENT_INT_H */
