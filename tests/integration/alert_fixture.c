/*
 * alert_fixture: store an alert straight in the store, for the REST API's
 * visibility tests (the detectors give every alert the same TLP).
 *
 *   alert_fixture DB ORG|- KEY TLP [NAMED_ORG...]
 *
 * ORG "-" makes a hub alert (cooperative); TLP is clear, green, amber,
 * amber+strict or red.  Prints the alert id.  Exit: 0 stored, 1 the store
 * said no (printed), 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"

int
main(int argc, char **argv)
{
	struct cybex_alert_row a;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	enum cybex_alert_put_result res;
	int tlp, rc;

	if (argc < 5 || (tlp = cybex_tlp_parse(argv[4])) < 0) {
		fprintf(stderr, "usage: alert_fixture DB ORG|- KEY TLP "
		    "[NAMED_ORG...]\n");
		return 2;
	}
	cybex_diag_clear(&d);
	if (cybex_store_open(argv[1], CYBEX_STORE_NOCREATE, &s, &d) != 0) {
		fprintf(stderr, "alert_fixture: %s\n", d.message);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.key = argv[3];
	a.detector = "fixture";
	a.taxonomy_class = "other";
	a.taxonomy_type = "other";
	a.severity = 2;
	a.summary = argv[3];
	a.org = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
	a.first_seen_us = a.last_seen_us = 1700000000000000LL;
	a.count = 1;
	a.tlp = tlp;
	a.orgs = (const char *const *)(argv + 5);
	a.norgs = (size_t)(argc - 5);
	rc = cybex_store_alert_put(s, &a, &res, &d);
	if (rc == 0)
		printf("%s\n", a.id);
	else
		fprintf(stderr, "alert_fixture: %s\n", d.message);
	cybex_store_close(s);
	return rc == 0 ? 0 : 1;
}
