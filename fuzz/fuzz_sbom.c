/*
 * Fuzz target: inventory files (cybex_sbom_read: CycloneDX, SPDX, CSV).
 *
 * Only documented errors with printable messages; every item handed out
 * has a CPE or a purl, each already in its normal form (reading and
 * writing it again changes nothing).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/vuln.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_item(void *ud, const struct cybex_sbom_item *it)
{
	struct cybex_cpe c;
	struct cybex_purl p;
	char out[4 * CYBEX_PURL_MAX];

	(void)ud;
	if (it->cpe == NULL && it->purl == NULL)
		abort();
	if (it->cpe != NULL && (cybex_cpe_read(it->cpe, strlen(it->cpe), &c,
	    &(struct cybex_diag){ 0 }) != 0 || cybex_cpe_write(&c, out,
	    sizeof(out)) != 0 || strcmp(out, it->cpe) != 0)) {
		fprintf(stderr, "fuzz_sbom: CPE '%s' is not normal\n",
		    it->cpe);
		abort();
	}
	if (it->purl != NULL && (cybex_purl_read(it->purl, strlen(it->purl),
	    &p, &(struct cybex_diag){ 0 }) != 0 || cybex_purl_write(&p, false,
	    out, sizeof(out)) != 0 || strcmp(out, it->purl) != 0)) {
		fprintf(stderr, "fuzz_sbom: purl '%s' is not normal\n",
		    it->purl);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_diag d;
	size_t i;
	int r;

	cybex_diag_clear(&d);
	r = cybex_sbom_read((const char *)data, size, on_item, NULL, &d);
	if (r == 0)
		return 0;
	if (r != CYBEX_EFORMAT && r != CYBEX_EJSON && r != CYBEX_EVERSION &&
	    r != CYBEX_ETOOBIG && r != CYBEX_ENOMEM)
		abort();
	for (i = 0; d.message[i] != '\0'; i++)
		if ((unsigned char)d.message[i] < 0x20)
			abort();
	return 0;
}
