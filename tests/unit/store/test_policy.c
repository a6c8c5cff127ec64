/*
 * The sharing policy (include/cybex/policy.h): the egress matrix caller x
 * object TLP x collection ceiling, the alert matrix caller x alert owner
 * x alert TLP, the scope of an alert query, and the defaults of "unset".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/policy.h"

static const struct cybex_caller admin = { true, NULL };
static const struct cybex_caller admin_a = { true, "cert-a" };
static const struct cybex_caller member_a = { false, "cert-a" };
static const struct cybex_caller member_b = { false, "bank-b" };
static const struct cybex_caller nobody = { false, NULL };

static void
unset_defaults(void **state)
{
	int t;

	(void)state;
	assert_int_equal(CYBEX_TLP_UNSET, 0);
	assert_int_equal(CYBEX_TLP_NONE, CYBEX_TLP_UNSET);
	assert_int_equal(cybex_policy_collection_ceiling(0),
	    CYBEX_TLP_AMBER_STRICT);
	assert_int_equal(cybex_policy_alert_tlp(0), CYBEX_TLP_AMBER);
	for (t = CYBEX_TLP_CLEAR; t <= CYBEX_TLP_RED; t++) {
		assert_int_equal(cybex_policy_collection_ceiling(t), t);
		assert_int_equal(cybex_policy_alert_tlp(t), t);
	}
}

/* Every caller x object level x ceiling, against the rule written out. */
static void
egress_matrix(void **state)
{
	const struct cybex_caller *callers[] = { &admin, &admin_a, &member_a,
	    &member_b, &nobody };
	size_t c;
	int obj, ceil, eff;
	bool want;

	(void)state;
	for (c = 0; c < sizeof(callers) / sizeof(callers[0]); c++)
		for (ceil = CYBEX_TLP_UNSET; ceil <= CYBEX_TLP_RED; ceil++) {
			eff = ceil == 0 ? CYBEX_TLP_AMBER_STRICT : ceil;
			assert_int_equal(cybex_policy_egress_ceiling(callers[c],
			    ceil), eff);
			for (obj = CYBEX_TLP_UNSET; obj <= CYBEX_TLP_RED;
			    obj++) {
				want = obj <= eff;
				assert_int_equal(cybex_policy_object_visible(
				    callers[c], obj, ceil), want);
			}
		}
	/* The corners, spelled out. */
	assert_true(cybex_policy_object_visible(&member_a, 0, CYBEX_TLP_CLEAR));
	assert_false(cybex_policy_object_visible(&admin, CYBEX_TLP_RED, 0));
	assert_true(cybex_policy_object_visible(&admin,
	    CYBEX_TLP_AMBER_STRICT, 0));
	assert_false(cybex_policy_object_visible(&admin, CYBEX_TLP_GREEN,
	    CYBEX_TLP_CLEAR));
	assert_true(cybex_policy_object_visible(&member_b, CYBEX_TLP_RED,
	    CYBEX_TLP_RED));
}

enum owner { OWN_A, OWN_B, HUB_NAMES_A, HUB_NAMES_B, B_NAMES_A, NOWNERS };

static void
make_alert(struct cybex_alert_row *a, enum owner o, int tlp)
{
	static const char *const a_only[] = { "cert-a" };
	static const char *const b_only[] = { "bank-b" };

	memset(a, 0, sizeof(*a));
	a->tlp = tlp;
	switch (o) {
	case OWN_A:
		a->org = "cert-a";
		break;
	case OWN_B:
		a->org = "bank-b";
		break;
	case HUB_NAMES_A:
		a->orgs = a_only;
		a->norgs = 1;
		break;
	case HUB_NAMES_B:
		a->orgs = b_only;
		a->norgs = 1;
		break;
	case B_NAMES_A:
		a->org = "bank-b";
		a->orgs = a_only;
		a->norgs = 1;
		break;
	default:
		break;
	}
}

static void
alert_matrix(void **state)
{
	struct cybex_alert_row a;
	int o, t, eff;

	(void)state;
	for (o = 0; o < NOWNERS; o++)
		for (t = CYBEX_TLP_UNSET; t <= CYBEX_TLP_RED; t++) {
			make_alert(&a, (enum owner)o, t);
			eff = t == 0 ? CYBEX_TLP_AMBER : t;
			assert_true(cybex_policy_alert_visible(&admin, &a));
			assert_true(cybex_policy_alert_visible(&admin_a, &a));
			assert_false(cybex_policy_alert_visible(&nobody, &a));
			/* Its own at every level, named ones up to AMBER. */
			assert_int_equal(cybex_policy_alert_visible(&member_a,
			    &a), o == OWN_A || ((o == HUB_NAMES_A ||
			    o == B_NAMES_A) && eff <= CYBEX_TLP_AMBER));
			assert_int_equal(cybex_policy_alert_visible(&member_b,
			    &a), o == OWN_B || o == B_NAMES_A ||
			    (o == HUB_NAMES_B && eff <= CYBEX_TLP_AMBER));
		}
	/* TLP:RED goes only to its own organization. */
	make_alert(&a, HUB_NAMES_A, CYBEX_TLP_RED);
	assert_false(cybex_policy_alert_visible(&member_a, &a));
	make_alert(&a, OWN_A, CYBEX_TLP_RED);
	assert_true(cybex_policy_alert_visible(&member_a, &a));
}

static void
alert_scope(void **state)
{
	struct cybex_alert_query q;
	struct cybex_diag d;

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_int_equal(cybex_policy_alert_scope(&admin, NULL, &q, &d), 0);
	assert_null(q.org);
	assert_int_equal(q.max_tlp, 0);
	assert_int_equal(cybex_policy_alert_scope(&admin_a, "bank-b", &q, &d),
	    0);
	assert_string_equal(q.org, "bank-b");
	assert_int_equal(q.max_tlp, 0);

	memset(&q, 0, sizeof(q));
	assert_int_equal(cybex_policy_alert_scope(&member_a, NULL, &q, &d), 0);
	assert_string_equal(q.org, "cert-a");
	assert_int_equal(q.max_tlp, CYBEX_TLP_AMBER);
	memset(&q, 0, sizeof(q));
	assert_int_equal(cybex_policy_alert_scope(&member_a, "cert-a", &q, &d),
	    0);
	assert_string_equal(q.org, "cert-a");

	memset(&q, 0, sizeof(q));
	cybex_diag_clear(&d);
	assert_int_equal(cybex_policy_alert_scope(&member_a, "bank-b", &q, &d),
	    CYBEX_EPOLICY);
	assert_int_equal(d.code, CYBEX_EPOLICY);
	assert_non_null(strstr(d.message, "its own organization"));
	assert_null(q.org);
	cybex_diag_clear(&d);
	assert_int_equal(cybex_policy_alert_scope(&nobody, NULL, &q, &d),
	    CYBEX_EPOLICY);
	assert_non_null(strstr(d.message, "belongs to none"));
	assert_null(q.org);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unset_defaults),
		cmocka_unit_test(egress_matrix),
		cmocka_unit_test(alert_matrix),
		cmocka_unit_test(alert_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
