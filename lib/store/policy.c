/*
 * The sharing policy (include/cybex/policy.h): TLP ceilings on egress
 * and who sees which alert.  Pure functions, no store access.
 */
#include <stddef.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/policy.h"

int
cybex_policy_collection_ceiling(int max_tlp)
{
	return max_tlp != CYBEX_TLP_UNSET ? max_tlp :
	    CYBEX_POLICY_COLLECTION_TLP;
}

int
cybex_policy_alert_tlp(int tlp)
{
	return tlp != CYBEX_TLP_UNSET ? tlp : CYBEX_POLICY_ALERT_TLP;
}

int
cybex_policy_egress_ceiling(const struct cybex_caller *who, int coll_max_tlp)
{
	(void)who;	/* admins are held to the ceiling too */
	return cybex_policy_collection_ceiling(coll_max_tlp);
}

bool
cybex_policy_object_visible(const struct cybex_caller *who, int obj_tlp,
    int coll_max_tlp)
{
	return obj_tlp <= cybex_policy_egress_ceiling(who, coll_max_tlp);
}

bool
cybex_policy_alert_visible(const struct cybex_caller *who,
    const struct cybex_alert_row *a)
{
	size_t i;

	if (who->admin)
		return true;
	if (who->org == NULL)
		return false;
	if (a->org != NULL && strcmp(a->org, who->org) == 0)
		return true;
	if (cybex_policy_alert_tlp(a->tlp) > CYBEX_POLICY_NAMED_ALERT_TLP)
		return false;
	for (i = 0; i < a->norgs; i++)
		if (a->orgs[i] != NULL && strcmp(a->orgs[i], who->org) == 0)
			return true;
	return false;
}

int
cybex_policy_alert_scope(const struct cybex_caller *who, const char *org,
    struct cybex_alert_query *q, struct cybex_diag *d)
{
	if (who->admin) {
		q->org = org;
		return 0;
	}
	if (who->org == NULL)
		return cybex_diag_set(d, CYBEX_EPOLICY, "alerts are shown to "
		    "the members of an organization and to admins; this user "
		    "belongs to none");
	if (org != NULL && strcmp(org, who->org) != 0)
		return cybex_diag_set(d, CYBEX_EPOLICY, "a member sees only "
		    "the alerts of its own organization");
	q->org = who->org;
	q->max_tlp = CYBEX_POLICY_NAMED_ALERT_TLP;
	return 0;
}
