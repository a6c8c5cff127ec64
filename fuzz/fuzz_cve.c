/*
 * Fuzz target: CVE JSON 5.x records (cybex_cve_read).
 *
 * Whatever the input, the reader returns 0 or one of its documented
 * errors, with a message of printable bytes and a JSON pointer that is
 * empty or starts with '/'; a record it accepts gives either nothing
 * (REJECTED) or a vulnerability that is valid STIX 2.1 (no error).
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
		fprintf(stderr, "fuzz_cve: invalid STIX: %s: %s\n",
		    d->pointer, d->message);
		(*(int *)ud)++;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_diag d;
	json_t *o = NULL;
	size_t i;
	int r, errors = 0;

	cybex_diag_clear(&d);
	r = cybex_cve_read((const char *)data, size, &o, &d);
	if (r != 0) {
		if (o != NULL || (r != CYBEX_EJSON && r != CYBEX_EFORMAT &&
		    r != CYBEX_EVERSION && r != CYBEX_ETOOBIG &&
		    r != CYBEX_ENOMEM))
			abort();
		for (i = 0; d.message[i] != '\0'; i++)
			if ((unsigned char)d.message[i] < 0x20)
				abort();
		if (d.pointer[0] != '\0' && d.pointer[0] != '/')
			abort();
		return 0;
	}
	if (o == NULL)
		return 0;
	if (strcmp(json_string_value(json_object_get(o, "type")),
	    "vulnerability") != 0)
		abort();
	cybex_stix_validate(o, NULL, NULL, count_errors, &errors, NULL);
	if (errors != 0)
		abort();
	json_decref(o);
	return 0;
}
