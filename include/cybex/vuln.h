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

/* ---- CVE records, the KEV catalogue, EPSS scores ---- */

/* Largest CVE record accepted (the largest published ones are ~2 MB). */
#define CYBEX_CVE_MAX		(16 * 1024 * 1024)

/*
 * Read one CVE JSON 5.x record (dataVersion 5.0 to 5.x, the CVE
 * Program's schema) from buf[0..len) into a new STIX 2.1 vulnerability
 * object *out (the caller owns it: json_decref).  The id is the UUIDv5 of
 * the CVE id in cybex's namespace, so the same record always gives the
 * same object (docs/vulnerabilities.md lists every property).  A record
 * in state REJECTED is no vulnerability: 0 with *out NULL.  The members
 * used are checked as the schema states them; errors: CYBEX_EJSON (not
 * JSON; d has line and column), CYBEX_EFORMAT (d->pointer names the
 * member and d->line/column where it is, the message what was expected),
 * CYBEX_EVERSION (dataVersion not 5.x), CYBEX_ETOOBIG (past
 * CYBEX_CVE_MAX, or a member past its schema length), CYBEX_ENOMEM.
 */
int	 cybex_cve_read(const char *buf, size_t len, json_t **out,
	    struct cybex_diag *d);

/* The STIX id cybex gives the vulnerability of cve_id (into out[64]). */
int	 cybex_vuln_id(const char *cve_id, char *out, size_t outsz);

/* Called with each object a catalogue gives; non-zero stops the read. */
typedef int	(*cybex_vuln_obj_fn)(void *ud, json_t *obj);

/* Largest KEV catalogue and EPSS file accepted. */
#define CYBEX_KEV_MAX		(64 * 1024 * 1024)
#define CYBEX_EPSS_MAX		(256 * 1024 * 1024)

/*
 * Read a CISA Known Exploited Vulnerabilities catalogue (its JSON feed,
 * schema 1.x: title, catalogVersion, dateReleased, count,
 * vulnerabilities[]) and call fn with one x-cybex-kev object per entry
 * (docs/vulnerabilities.md), in catalogue order; the callee owns nothing
 * (the object is freed after the call).  Strict: every member of an entry
 * the object keeps is required and checked (cveID pattern, dates
 * YYYY-MM-DD, knownRansomwareCampaignUse Known/Unknown), no CVE twice,
 * count equal to the entries.  The whole catalogue is checked before the
 * first call, so a bad one calls fn never.  Errors as cybex_cve_read.
 */
int	 cybex_kev_read(const char *buf, size_t len, cybex_vuln_obj_fn fn,
	    void *ud, struct cybex_diag *d);

/*
 * Read a FIRST EPSS CSV file: an optional first line
 * "#model_version:V,score_date:YYYY-MM-DDTHH:MM:SS+0000", the header
 * "cve,epss,percentile", then one line a CVE with two probabilities in
 * 0..1.  fn gets one x-cybex-epss object a line.  Without the comment
 * line the score date is unknown and the file is refused (the objects'
 * version is that date).  Strict: every line three fields, numbers in
 * 0..1, no CVE twice.  Checked whole before the first call.  Errors:
 * CYBEX_EFORMAT with d->line and d->column, CYBEX_ETOOBIG,
 * CYBEX_ENOMEM.
 */
int	 cybex_epss_read(const char *buf, size_t len, cybex_vuln_obj_fn fn,
	    void *ud, struct cybex_diag *d);

/*
 * What the priority order uses of one vulnerability: known exploited
 * (KEV), the EPSS probability (negative when unknown), the highest CVSS
 * score (negative when unknown).
 */
struct cybex_vuln_prio {
	bool		 kev;
	double		 epss;
	double		 cvss;
};

/*
 * The priority order of docs/vulnerabilities.md, as a sort key compared
 * field by field: known exploited first; then the higher EPSS
 * probability (unknown after every known one); then the higher CVSS
 * score (unknown last).  <0 when a comes first, 0 when equal (callers
 * break ties by CVE id).
 */
int	 cybex_vuln_prio_cmp(const struct cybex_vuln_prio *a,
	    const struct cybex_vuln_prio *b);

#endif /* CYBEX_VULN_H */
