/*
 * Fuzz target: CPE 2.3 formatted strings (cybex_cpe_read) and name
 * matching.
 *
 * Whatever the input: 0 or CYBEX_EFORMAT/ETOOBIG with a printable message
 * and (EFORMAT) a column inside the input.  An accepted name binds back
 * (cybex_cpe_write) to a string that reads again as the same WFN, compares
 * EQUAL to itself unless it holds a wildcard, and every attribute
 * comparison against the all-ANY name gives SUBSET or EQUAL (or UNDEFINED
 * for wildcards on the target side).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/vuln.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_cpe c, c2, any;
	struct cybex_diag d;
	char out[2 * CYBEX_CPE_MAX + 64];
	enum cybex_cpe_rel rel;
	size_t i;
	int r, k;

	cybex_diag_clear(&d);
	r = cybex_cpe_read((const char *)data, size, &c, &d);
	if (r != 0) {
		if (r != CYBEX_EFORMAT && r != CYBEX_ETOOBIG)
			abort();
		for (i = 0; d.message[i] != '\0'; i++)
			if ((unsigned char)d.message[i] < 0x20)
				abort();
		if (r == CYBEX_EFORMAT && (d.column == 0 ||
		    d.column > size + 1))
			abort();
		return 0;
	}
	if (cybex_cpe_write(&c, out, sizeof(out)) != 0)
		abort();
	cybex_diag_clear(&d);
	if (cybex_cpe_read(out, strlen(out), &c2, &d) != 0) {
		fprintf(stderr, "fuzz_cpe: '%s' does not read back: %s\n", out,
		    d.message);
		abort();
	}
	for (k = 0; k < CYBEX_CPE_NATTR; k++)
		if (c.attr[k].kind != c2.attr[k].kind ||
		    strcmp(c.attr[k].value, c2.attr[k].value) != 0)
			abort();
	rel = cybex_cpe_compare(&c, &c2, -1, NULL);
	if (rel != CYBEX_CPE_EQUAL && rel != CYBEX_CPE_UNDEFINED)
		abort();
	memset(&any, 0, sizeof(any));
	for (k = 0; k < CYBEX_CPE_NATTR; k++) {
		rel = cybex_cpe_attr_compare(&c.attr[k], &any.attr[k]);
		if (rel != CYBEX_CPE_SUBSET && rel != CYBEX_CPE_EQUAL)
			abort();
	}
	return 0;
}
