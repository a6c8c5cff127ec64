/*
 * Vulnerability management: CVSS v2.0, v3.0, v3.1 and v4.0 vectors,
 * parsed strictly and scored exactly as FIRST's specifications compute
 * them (docs/vulnerabilities.md).
 */
#ifndef CYBEX_VULN_H
#define CYBEX_VULN_H

#include <stdbool.h>
#include <stddef.h>

#include "cybex/core.h"

/* ---- CVSS ---- */
enum cybex_cvss_version {
	CYBEX_CVSS_V20 = 20,
	CYBEX_CVSS_V30 = 30,
	CYBEX_CVSS_V31 = 31,
	CYBEX_CVSS_V40 = 40,
};

/* The qualitative rating of a score (v2 has none officially; NVD's). */
enum cybex_cvss_rating {
	CYBEX_CVSS_NONE = 0,		/* 0.0 */
	CYBEX_CVSS_LOW,			/* 0.1-3.9 */
	CYBEX_CVSS_MEDIUM,		/* 4.0-6.9 */
	CYBEX_CVSS_HIGH,		/* 7.0-8.9 */
	CYBEX_CVSS_CRITICAL,		/* 9.0-10.0 */
};

/* Longest vector accepted (the longest valid v4.0 vector is ~180 bytes). */
#define CYBEX_CVSS_VECTOR_MAX	512

/*
 * The scores of one vector.  v2 and v3.x: base with its impact and
 * exploitability subscores, temporal and environmental, always computed
 * (unset metrics count as "X" / "ND"); has_temporal and has_environmental
 * say whether the vector gives a metric of the group.  v4.0: one score
 * (CVSS-B, -BT, -BE or -BTE after the groups given, named by
 * nomenclature), the macrovector, and the same number in base.  score
 * is the most specific score computed, and rating its qualitative rating.
 */
struct cybex_cvss {
	enum cybex_cvss_version	 version;
	double			 base;
	double			 impact;		/* v2/v3 */
	double			 exploitability;	/* v2/v3 */
	bool			 has_temporal;
	double			 temporal;
	bool			 has_environmental;
	double			 environmental;
	double			 modified_impact;	/* v3; v2: adjusted */
	double			 score;
	enum cybex_cvss_rating	 rating;
	char			 nomenclature[12];	/* v4: "CVSS-BTE" */
	char			 macrovector[8];	/* v4: "001100" */
};

/*
 * Parse and score vector[0..len): "AV:N/AC:L/Au:N/C:P/I:P/A:P[/...]" for
 * v2.0 (an optional "(...)" around it is not accepted), "CVSS:3.0/...",
 * "CVSS:3.1/..." and "CVSS:4.0/...".  Strict: every metric known to its
 * version, at most once, every base metric present, every value allowed,
 * and for v2.0 and v4.0 in the specification's order (v3.x allows any).
 * Fills *out on success.  Errors:
 * CYBEX_EFORMAT with d->column (1-based byte) at the offending metric
 * and a message naming it; CYBEX_ETOOBIG past CYBEX_CVSS_VECTOR_MAX.
 */
int	 cybex_cvss_read(const char *vector, size_t len, struct cybex_cvss *out,
	    struct cybex_diag *d);

/* The rating of a score in 0..10 (v3/v4 table; used for v2 as NVD does). */
enum cybex_cvss_rating cybex_cvss_rating_of(double score);
/* "None", "Low", "Medium", "High", "Critical". */
const char	*cybex_cvss_rating_name(enum cybex_cvss_rating r);

#endif /* CYBEX_VULN_H */
