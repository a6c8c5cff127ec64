/*
 * Fuzz target: package URLs (cybex_purl_read) and vers ranges
 * (cybex_vers_read, cybex_vers_contains).
 *
 * The input is tried as both.  Only documented errors, with printable
 * messages and a column inside the input.  An accepted purl writes to a
 * canonical form that reads back to the same parts (normalization is
 * idempotent).  An accepted range holds each of its own '=' versions
 * and answers every version without an error (except git's order).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/vuln.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_err(int r, const struct cybex_diag *d, size_t size)
{
	size_t i;

	if (r != CYBEX_EFORMAT && r != CYBEX_ETOOBIG)
		abort();
	for (i = 0; d->message[i] != '\0'; i++)
		if ((unsigned char)d->message[i] < 0x20)
			abort();
	if (r == CYBEX_EFORMAT && (d->column == 0 || d->column > size + 1))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cybex_vers v;
	struct cybex_purl p, p2;
	struct cybex_diag d;
	char out[4 * CYBEX_PURL_MAX];
	size_t i;
	bool in;
	int r;

	cybex_diag_clear(&d);
	r = cybex_purl_read((const char *)data, size, &p, &d);
	if (r != 0)
		check_err(r, &d, size);
	else {
		if (cybex_purl_write(&p, true, out, sizeof(out)) != 0)
			abort();
		cybex_diag_clear(&d);
		if (cybex_purl_read(out, strlen(out), &p2, &d) != 0) {
			fprintf(stderr, "fuzz_purl: '%s': %s\n", out,
			    d.message);
			abort();
		}
		if (strcmp(p.type, p2.type) != 0 || strcmp(p.ns, p2.ns) != 0 ||
		    strcmp(p.name, p2.name) != 0 ||
		    strcmp(p.version, p2.version) != 0)
			abort();
	}
	cybex_diag_clear(&d);
	r = cybex_vers_read((const char *)data, size, &v, &d);
	if (r != 0) {
		check_err(r, &d, size);
		return 0;
	}
	for (i = 0; i < v.n; i++) {
		if (v.c[i].op == CYBEX_VERS_STAR)
			continue;
		cybex_diag_clear(&d);
		r = cybex_vers_contains(&v, v.c[i].version, &in, &d);
		if (r != 0 && strcmp(v.scheme, "git") != 0)
			abort();
		if (r == 0 && v.c[i].op == CYBEX_VERS_EQ && !in)
			abort();
	}
	return 0;
}
