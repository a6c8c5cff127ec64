/*
 * The sharing policy: which TLP levels may leave the hub, to whom.  Pure
 * functions over TLP levels (enum cybex_tlp), used by the server (TAXII
 * objects, REST alerts), the analysis pipeline and the store alike, so
 * one rule is written once.  Part of the store module (lib/store/policy.c).
 *
 * TLP value 0 (CYBEX_TLP_UNSET) means "not set" in every struct field
 * that holds a level; where it is resolved, the default is one of these:
 *
 *   an object's level                 unset = unmarked: below every
 *                                     ceiling (it is served wherever its
 *                                     collection is readable)
 *   struct cybex_collection.max_tlp   CYBEX_POLICY_COLLECTION_TLP
 *   struct cybex_alert_row.tlp        CYBEX_POLICY_ALERT_TLP
 *   struct cybex_analysis_opts.tlp    CYBEX_POLICY_ALERT_TLP
 *   struct cybex_query.max_tlp and    no ceiling (the caller decides;
 *   struct cybex_alert_query.max_tlp  egress paths set one from here)
 */
#ifndef CYBEX_POLICY_H
#define CYBEX_POLICY_H

#include <stdbool.h>

#include "cybex/stix.h"
#include "cybex/store.h"

/* A collection's ceiling when its max_tlp is unset. */
#define CYBEX_POLICY_COLLECTION_TLP	CYBEX_TLP_AMBER_STRICT
/* An alert's level when it is unset. */
#define CYBEX_POLICY_ALERT_TLP		CYBEX_TLP_AMBER
/* The most a member sees of an alert that names it but is not its own. */
#define CYBEX_POLICY_NAMED_ALERT_TLP	CYBEX_TLP_AMBER

/* Who is asking: an admin, or a member of org (NULL: of none). */
struct cybex_caller {
	bool		 admin;
	const char	*org;
};

/* A collection's ceiling: max_tlp, or CYBEX_POLICY_COLLECTION_TLP if 0. */
int	 cybex_policy_collection_ceiling(int max_tlp);
/* An alert's level: tlp, or CYBEX_POLICY_ALERT_TLP if 0. */
int	 cybex_policy_alert_tlp(int tlp);

/*
 * The most restrictive level a caller may be served from a collection
 * whose max_tlp is coll_max_tlp (for cybex_query.max_tlp).  Access to
 * the collection itself is the caller's grants' business; the ceiling
 * holds for everyone, admins too.
 */
int	 cybex_policy_egress_ceiling(const struct cybex_caller *who,
	    int coll_max_tlp);
/* May an object of level obj_tlp (0 = unmarked) go to who from it? */
bool	 cybex_policy_object_visible(const struct cybex_caller *who,
	    int obj_tlp, int coll_max_tlp);

/*
 * Alert visibility: admins see every alert; a member the alerts of its
 * own organization at every level, and the alerts that name its
 * organization (the hub's cooperative alerts) when at most
 * CYBEX_POLICY_NAMED_ALERT_TLP; nothing else (a caller of no
 * organization sees nothing).  a's tlp 0 is resolved as above.
 */
bool	 cybex_policy_alert_visible(const struct cybex_caller *who,
	    const struct cybex_alert_row *a);
/*
 * Restrict q (its org and max_tlp) to what who may see; org is the
 * organization the caller asked for (NULL = any).  CYBEX_EPOLICY when a
 * member asks for another organization or belongs to none (d says why);
 * q is left as it was then.
 */
int	 cybex_policy_alert_scope(const struct cybex_caller *who,
	    const char *org, struct cybex_alert_query *q,
	    struct cybex_diag *d);

#endif
