/*
 * The store's rules as pure functions (lib/store/rules.c): what markings
 * make an object's TLP given a look-up, the ingress ceiling, and the
 * alert merge.  The contract suite checks the same outcomes through the
 * store; these pin the rules themselves.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"
#include "../../../lib/store/store_int.h"

#define M_GREEN	"marking-definition--00000000-0000-4000-8000-000000000001"
#define M_RED	"marking-definition--00000000-0000-4000-8000-000000000002"
#define M_NONE	"marking-definition--00000000-0000-4000-8000-000000000003"
#define TLP2_AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"

/* One collection's view: M_GREEN says GREEN, M_RED says RED. */
static int
table(void *ud, const char *ref, int *level, bool *found)
{
	size_t *calls = ud;

	(*calls)++;
	*found = true;
	if (strcmp(ref, M_GREEN) == 0)
		*level = CYBEX_TLP_GREEN;
	else if (strcmp(ref, M_RED) == 0)
		*level = CYBEX_TLP_RED;
	else
		*found = false;
	return 0;
}

static int
failing(void *ud, const char *ref, int *level, bool *found)
{
	(void)ud;
	(void)ref;
	*level = 0;
	*found = false;
	return CYBEX_EDB;
}

static json_t *
obj(const char *refs)
{
	char buf[512];
	json_t *j;

	snprintf(buf, sizeof(buf), "{\"type\":\"tool\",\"id\":\"tool--"
	    "00000000-0000-4000-8000-000000000009\",\"object_marking_refs\":"
	    "[%s]}", refs);
	j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	return j;
}

static void
test_resolve(void **state)
{
	struct store_tlp t;
	size_t calls = 0;
	json_t *j;

	(void)state;
	/* Predefined markings need no look-up. */
	j = obj("\"" TLP2_AMBER "\"");
	assert_int_equal(store_tlp_resolve(j, table, &calls, &t), 0);
	assert_int_equal(calls, 0);
	assert_int_equal(t.stored, CYBEX_TLP_AMBER);
	assert_int_equal(t.known, CYBEX_TLP_AMBER);
	assert_null(t.via);
	json_decref(j);
	/* Through a definition: the most restrictive, named. */
	j = obj("\"" TLP2_AMBER "\",\"" M_GREEN "\",\"" M_RED "\"");
	assert_int_equal(store_tlp_resolve(j, table, &calls, &t), 0);
	assert_int_equal(calls, 2);
	assert_int_equal(t.known, CYBEX_TLP_RED);
	assert_int_equal(t.stored, CYBEX_TLP_RED);
	assert_string_equal(t.via, M_RED);
	json_decref(j);
	/* Unresolved: stored RED (withheld), left out of known. */
	j = obj("\"" M_GREEN "\",\"" M_NONE "\"");
	assert_int_equal(store_tlp_resolve(j, table, &calls, &t), 0);
	assert_int_equal(t.known, CYBEX_TLP_GREEN);
	assert_int_equal(t.stored, CYBEX_TLP_RED);
	assert_string_equal(t.via, M_GREEN);
	/* The look-up's failure is the answer. */
	assert_int_equal(store_tlp_resolve(j, failing, NULL, &t), CYBEX_EDB);
	json_decref(j);
}

static void
test_ceiling(void **state)
{
	struct store_tlp t = { CYBEX_TLP_RED, CYBEX_TLP_AMBER, M_RED };
	struct cybex_diag d;

	(void)state;
	cybex_diag_clear(&d);
	assert_int_equal(store_rule_ceiling("tool--x", &t, CYBEX_TLP_AMBER,
	    "this", &d), 0);
	assert_int_equal(store_rule_ceiling("tool--x", &t, CYBEX_TLP_GREEN,
	    "this", &d), CYBEX_EPOLICY);
	assert_non_null(strstr(d.message, "through " M_RED));
	assert_non_null(strstr(d.message, "this collection holds at most"));
	t.via = NULL;
	assert_int_equal(store_rule_ceiling("tool--x", &t, CYBEX_TLP_CLEAR,
	    "its", &d), CYBEX_EPOLICY);
	assert_null(strstr(d.message, "through"));
	assert_non_null(strstr(d.message, "its collection"));
}

static void
row(struct cybex_alert_row *a, int64_t first, int64_t last, uint64_t count,
    int severity, int tlp, const char *summary)
{
	memset(a, 0, sizeof(*a));
	a->first_seen_us = first;
	a->last_seen_us = last;
	a->count = count;
	a->severity = severity;
	a->tlp = tlp;
	a->summary = summary;
}

static void
test_alert_merge(void **state)
{
	struct cybex_alert_row open, in;

	(void)state;
	/* Overlapping: the same activity raised again, the larger count. */
	row(&open, 1000, 2000, 20, 2, CYBEX_TLP_AMBER, "old");
	row(&in, 1000, 3000, 35, 1, CYBEX_TLP_GREEN, "new");
	assert_true(cybex_store_alert_merge(&open, &in));
	assert_int_equal(open.count, 35);
	assert_int_equal(open.first_seen_us, 1000);
	assert_int_equal(open.last_seen_us, 3000);
	assert_int_equal(open.severity, 2);
	assert_int_equal(open.tlp, CYBEX_TLP_AMBER);
	assert_string_equal(open.summary, "new");
	/* Replayed: nothing changes. */
	row(&in, 1000, 3000, 35, 2, CYBEX_TLP_AMBER, "new");
	assert_true(cybex_store_alert_merge(&open, &in));
	assert_int_equal(open.count, 35);
	/* After its last_seen: new activity, counted on top. */
	row(&in, 4000, 5000, 5, 4, CYBEX_TLP_RED, "newer");
	assert_true(cybex_store_alert_merge(&open, &in));
	assert_int_equal(open.count, 40);
	assert_int_equal(open.severity, 4);
	assert_int_equal(open.tlp, CYBEX_TLP_RED);
	/* An earlier one widens the window and keeps the texts. */
	row(&in, 10, 20, 1, 1, CYBEX_TLP_CLEAR, "earlier");
	assert_false(cybex_store_alert_merge(&open, &in));
	assert_int_equal(open.first_seen_us, 10);
	assert_int_equal(open.last_seen_us, 5000);
	assert_int_equal(open.count, 40);
	assert_string_equal(open.summary, "newer");
	/* Counts saturate. */
	row(&in, 6000, 7000, UINT64_MAX, 1, CYBEX_TLP_CLEAR, "x");
	cybex_store_alert_merge(&open, &in);
	assert_int_equal(open.count, INT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_alert_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
