/*
 * Fuzz target: the KEV catalogue and EPSS CSV readers (cybex_kev_read,
 * cybex_epss_read), both on every input.
 *
 * Each returns 0 or a documented error with a printable message; every
 * object either gives the callback is valid STIX 2.1 of its type.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/stix.h"
#include "cybex/vuln.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
count_errors(void *ud, const struct cybex_diag *d)
{
	if (d->severity == CYBEX_SEV_ERROR) {
		fprintf(stderr, "fuzz_vulnfeed: invalid STIX: %s: %s\n",
		    d->pointer, d->message);
		(*(int *)ud)++;
	}
}

static int
check(void *ud, json_t *o)
{
	int errors = 0;

	if (strcmp(json_string_value(json_object_get(o, "type")),
	    (const char *)ud) != 0)
		abort();
	cybex_stix_validate(o, NULL, NULL, count_errors, &errors, NULL);
	if (errors != 0)
		abort();
	return 0;
}

static void
check_diag(int r, const struct cybex_diag *d)
{
	size_t i;

	if (r == 0)
		return;
	if (r != CYBEX_EJSON && r != CYBEX_EFORMAT && r != CYBEX_ETOOBIG &&
	    r != CYBEX_ENOMEM)
		abort();
	for (i = 0; d->message[i] != '\0'; i++)
		if ((unsigned char)d->message[i] < 0x20)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_diag d;

	cybex_diag_clear(&d);
	check_diag(cybex_kev_read((const char *)data, size, check,
	    (void *)"x-cybex-kev", &d), &d);
	cybex_diag_clear(&d);
	check_diag(cybex_epss_read((const char *)data, size, check,
	    (void *)"x-cybex-epss", &d), &d);
	return 0;
}
