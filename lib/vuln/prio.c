/*
 * The remediation order (docs/vulnerabilities.md): KEV, then EPSS, then
 * CVSS, each compared only when the ones before are equal.  A weighted sum
 * would let a high CVSS outrank a slightly higher EPSS; the order the
 * issue asks for is lexicographic, so it is written as one.
 */
#include "vuln_int.h"

/* Higher first, unknown (negative) after every known value. */
static int
desc(double a, double b)
{
	bool ka = a >= 0, kb = b >= 0;

	if (ka != kb)
		return ka ? -1 : 1;
	if (a > b)
		return -1;
	if (a < b)
		return 1;
	return 0;
}

int
cybex_vuln_prio_cmp(const struct cybex_vuln_prio *a,
    const struct cybex_vuln_prio *b)
{
	int r;

	if (a->kev != b->kev)
		return a->kev ? -1 : 1;
	if ((r = desc(a->epss, b->epss)) != 0)
		return r;
	return desc(a->cvss, b->cvss);
}
