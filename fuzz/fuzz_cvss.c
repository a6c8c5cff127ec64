/*
 * Fuzz target: CVSS vectors (cybex_cvss_read).
 *
 * Whatever the input, the parser returns 0 or CYBEX_EFORMAT/ETOOBIG with a
 * message of printable bytes and a column inside the input; an accepted
 * vector has every score in 0.0..10.0 on a one-decimal grid and a rating
 * that agrees with its score.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/vuln.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_score(double s, const char *what)
{
	if (!(s >= 0.0 && s <= 10.0) ||
	    fabs(s * 10.0 - round(s * 10.0)) > 1e-6) {
		fprintf(stderr, "fuzz_cvss: %s %.17g off the grid\n", what, s);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_cvss c;
	struct cybex_diag d;
	size_t i;
	int r;

	cybex_diag_clear(&d);
	r = cybex_cvss_read((const char *)data, size, &c, &d);
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
	check_score(c.score, "score");
	check_score(c.base, "base");
	check_score(c.temporal, "temporal");
	check_score(c.environmental, "environmental");
	if (cybex_cvss_rating_of(c.score) != c.rating)
		abort();
	return 0;
}
