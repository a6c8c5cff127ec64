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

/* ---- CPE 2.3 names (NISTIR 7695 binding, NISTIR 7696 matching) ---- */

/* The eleven attributes of a well-formed name, in binding order. */
#define CYBEX_CPE_NATTR		11
/* Longest formatted string accepted, and longest attribute (WFN form). */
#define CYBEX_CPE_MAX		1024
#define CYBEX_CPE_ATTR_MAX	256

enum cybex_cpe_kind {
	CYBEX_CPE_ANY = 0,	/* "*" */
	CYBEX_CPE_NA,		/* "-" */
	CYBEX_CPE_VALUE,	/* a string, maybe with wildcards */
};

/*
 * One attribute of a WFN.  value (kind VALUE) is the WFN string: lower
 * case, every character other than [a-z0-9_] quoted with a backslash,
 * except the wildcards: an unquoted '*' (any characters) and runs of
 * unquoted '?' (one character each), at the start or the end only.
 */
struct cybex_cpe_attr {
	enum cybex_cpe_kind	 kind;
	char			 value[CYBEX_CPE_ATTR_MAX];
};

/* part vendor product version update edition language sw_edition
 * target_sw target_hw other */
struct cybex_cpe {
	struct cybex_cpe_attr	 attr[CYBEX_CPE_NATTR];
};
#define CYBEX_CPE_PART		0
#define CYBEX_CPE_VENDOR	1
#define CYBEX_CPE_PRODUCT	2
#define CYBEX_CPE_VERSION	3

/*
 * Unbind a CPE 2.3 formatted string "cpe:2.3:part:vendor:...:other"
 * (exactly 11 attributes after the prefix, colons inside values quoted)
 * into a WFN, as NISTIR 7695 section 6.2.3 does; upper case is folded
 * (matching is case-insensitive).  Errors: CYBEX_EFORMAT with
 * d->column (1-based byte) and why (bad prefix, attribute count, a
 * character outside printable ASCII, an embedded unquoted '*' or '?', a
 * trailing backslash, part not a/o/h/ANY); CYBEX_ETOOBIG past
 * CYBEX_CPE_MAX or an attribute past CYBEX_CPE_ATTR_MAX.
 */
int	 cybex_cpe_read(const char *s, size_t len, struct cybex_cpe *out,
	    struct cybex_diag *d);

/*
 * Bind c to its formatted string (NISTIR 7695 section 6.2.2: '.', '-'
 * and '_' unquoted), the normal form cybex stores.  CYBEX_ETOOBIG when
 * outsz is too small (CYBEX_CPE_MAX always suffices for a read name).
 */
int	 cybex_cpe_write(const struct cybex_cpe *c, char *out, size_t outsz);

/* The attribute comparison relations of NISTIR 7696 section 5.2. */
enum cybex_cpe_rel {
	CYBEX_CPE_DISJOINT = 0,
	CYBEX_CPE_SUBSET,
	CYBEX_CPE_SUPERSET,
	CYBEX_CPE_EQUAL,
	CYBEX_CPE_UNDEFINED,	/* the target holds a wildcard */
};

/* Compare one source attribute with one target attribute (7696 6.1.2). */
enum cybex_cpe_rel cybex_cpe_attr_compare(const struct cybex_cpe_attr *src,
	    const struct cybex_cpe_attr *tgt);

/*
 * Compare the names attribute by attribute (rel[i], 7696 6.1), and give
 * the name relation: EQUAL when every attribute is EQUAL, SUPERSET when
 * each is SUPERSET or EQUAL, SUBSET when each is SUBSET or EQUAL,
 * DISJOINT when any is DISJOINT, else UNDEFINED (7696 6.2).  rel may be
 * NULL.  skip (a CYBEX_CPE_* index, or -1) counts as EQUAL: the matcher
 * compares versions by its own rules.
 */
enum cybex_cpe_rel cybex_cpe_compare(const struct cybex_cpe *src,
	    const struct cybex_cpe *tgt, int skip,
	    enum cybex_cpe_rel rel[CYBEX_CPE_NATTR]);

/* ---- package URLs (purl specification) ---- */

#define CYBEX_PURL_MAX		2048
#define CYBEX_PURL_PART_MAX	512

/*
 * A package URL, decoded and normalized per type as the purl
 * specification says (type lower case; namespace and name lower case for
 * the types that are case-insensitive: alpm apk bitbucket bitnami
 * composer deb github hex npm oci pypi qpkg; pypi '_' to '-').  ns holds
 * the namespace segments joined by '/' ("" when none); version is "" when
 * none was given.  Qualifiers and subpath are checked and left out.
 */
struct cybex_purl {
	char	 type[64];
	char	 ns[CYBEX_PURL_PART_MAX];
	char	 name[CYBEX_PURL_PART_MAX];
	char	 version[CYBEX_PURL_PART_MAX];
};

/*
 * Parse "pkg:type/namespace/name@version?qualifiers#subpath".  Errors:
 * CYBEX_EFORMAT with d->column and why (scheme, type characters, empty
 * name, bad percent-encoding, a qualifier key, a type's required
 * namespace); CYBEX_ETOOBIG past CYBEX_PURL_MAX or a part.
 */
int	 cybex_purl_read(const char *s, size_t len, struct cybex_purl *out,
	    struct cybex_diag *d);
/*
 * The canonical "pkg:type/ns/name" (with_version: "@version" too, when
 * there is one), percent-encoded as the specification says.
 * CYBEX_ETOOBIG when outsz is too small.
 */
int	 cybex_purl_write(const struct cybex_purl *p, bool with_version,
	    char *out, size_t outsz);

/* ---- versions and version ranges (vers) ---- */

/*
 * Compare two versions under a versioning scheme: "semver" (also npm,
 * cargo, golang, nuget, composer: semver 2.0 precedence, a leading 'v'
 * and missing minor/patch allowed), "deb" (dpkg's epoch:upstream-revision
 * with '~'), "rpm" (rpmvercmp with epoch and release, '~' and '^'),
 * "generic" and every other scheme (numbers compared as numbers, other
 * runs as case-folded text, a qualifier after the last common part
 * ordering before the release: 2.0-beta9 < 2.0 < 2.0.1).  *out <0, 0, >0.
 * A semver scheme given a version that is not semver compares it as
 * generic.  Errors: CYBEX_EINVAL for scheme "git" (commits have no order)
 * or an empty version.
 */
int	 cybex_version_cmp(const char *scheme, const char *a, const char *b,
	    int *out, struct cybex_diag *d);

enum cybex_vers_op {
	CYBEX_VERS_EQ = 0, CYBEX_VERS_NE, CYBEX_VERS_LT, CYBEX_VERS_LE,
	CYBEX_VERS_GT, CYBEX_VERS_GE, CYBEX_VERS_STAR,
};
#define CYBEX_VERS_MAX		64	/* constraints in one range */
#define CYBEX_VERS_LEN		2048

struct cybex_vers_cons {
	enum cybex_vers_op	 op;
	const char		*version;	/* into buf of its range */
};
/* A parsed "vers:<scheme>/<constraint>|<constraint>..." range. */
struct cybex_vers {
	char			 scheme[32];
	size_t			 n;
	struct cybex_vers_cons	 c[CYBEX_VERS_MAX];
	char			 buf[CYBEX_VERS_LEN];
};

/*
 * Parse a vers range: scheme lower case, constraints '|'-separated, each
 * an operator (=, !=, <, <=, >, >=; none means =) and a percent-decoded
 * version, or "*" alone.  The constraints are sorted by version as the
 * scheme orders them (an unordered input is accepted; a version twice is
 * not).  Errors: CYBEX_EFORMAT with d->column and why; CYBEX_ETOOBIG
 * past CYBEX_VERS_LEN or CYBEX_VERS_MAX constraints.
 */
int	 cybex_vers_read(const char *s, size_t len, struct cybex_vers *out,
	    struct cybex_diag *d);
/* Whether version lies in v (the vers specification's algorithm). */
int	 cybex_vers_contains(const struct cybex_vers *v, const char *version,
	    bool *out, struct cybex_diag *d);

/* ---- affected products and matching ---- */

/*
 * What a source says of a product version.  NONE: the entry does not
 * name the product at all.  NOT_AFFECTED covers CVE "unaffected" and VEX
 * known_not_affected; FIXED is VEX fixed (CSAF, or a CVE change to
 * "unaffected").
 */
enum cybex_vstatus {
	CYBEX_VS_NONE = 0,
	CYBEX_VS_UNKNOWN,
	CYBEX_VS_AFFECTED,
	CYBEX_VS_NOT_AFFECTED,
	CYBEX_VS_FIXED,
};
/* "none", "unknown", "affected", "known_not_affected", "fixed". */
const char	*cybex_vstatus_name(enum cybex_vstatus s);

/* A CVE 5 version change: from version at on, the status is status. */
struct cybex_vchange {
	const char		*at;
	enum cybex_vstatus	 status;
};

/*
 * One entry of a CVE 5 "versions" list: version alone is one version;
 * with less_than or less_equal (at most one; "*" = no upper bound) it is
 * the start of a range ("0" or "*": from the first).  type is the CVE
 * versionType, the scheme of cybex_version_cmp (NULL: generic).
 */
struct cybex_vrange {
	const char			*version;
	const char			*less_than;
	const char			*less_equal;
	const char			*type;
	enum cybex_vstatus		 status;
	const struct cybex_vchange	*changes;
	size_t				 nchanges;
};

/*
 * One affected-product entry, the matcher's input whatever the source
 * (a CVE record's affected[] now, CSAF product status later).  The
 * product is named by cpe (a formatted string, may hold wildcards)
 * and/or purl (type/namespace/name; a version in it pins one version).
 * Versions: ranges (CVE) or vers; a version they do not cover gets
 * default_status.  An entry with neither has status for every version
 * the names cover (a CPE's own version attribute, a purl's version).
 */
struct cybex_affected {
	const char			*cpe;
	const char			*purl;
	const char			*vers;
	const struct cybex_vrange	*ranges;
	size_t				 nranges;
	enum cybex_vstatus		 status;	/* vers / no ranges */
	enum cybex_vstatus		 default_status;
};

/* An asset as the matcher sees it; any member may be NULL. */
struct cybex_product {
	const char	*cpe;		/* a formatted string, no wildcards */
	const char	*purl;
	const char	*version;	/* else the CPE's or the purl's */
};

/*
 * What entry a says of product p: *out NONE when a does not name p;
 * else the status, and *explicit whether a range (or the entry itself)
 * named the version rather than a default.  A malformed CPE, purl, vers
 * or version is an error (CYBEX_EFORMAT, CYBEX_EINVAL with why): the
 * caller decides whether to skip the entry.
 */
int	 cybex_affected_status(const struct cybex_affected *a,
	    const struct cybex_product *p, enum cybex_vstatus *out,
	    bool *explicit, struct cybex_diag *d);

/*
 * The verdict of several entries on one product (docs/vulnerabilities.md):
 * an explicit not-affected or fixed (VEX) beats an explicit affected,
 * which beats a default affected, which beats a default not-affected;
 * NONE when no entry names the product.  Fold with this, starting at
 * (NONE, false).
 */
void	 cybex_vstatus_fold(enum cybex_vstatus *acc, bool *acc_explicit,
	    enum cybex_vstatus s, bool explicit);

/*
 * The affected entries of a vulnerability object cybex_cve_read made
 * (its x_cybex_affected): per product, one entry per CPE, one for
 * collectionURL + packageName as a purl (npm, PyPI, Maven, crates.io,
 * RubyGems, NuGet, Go, Packagist, Hex and GitHub URLs), and one CPE
 * made of vendor and product when it has neither.  Everything lives in
 * arena a.  An object without the property has none (*n 0).
 */
int	 cybex_vuln_affected(const json_t *vuln, struct cybex_arena *a,
	    struct cybex_affected **out, size_t *n, struct cybex_diag *d);

/* ---- SBOMs and asset lists ---- */

#define CYBEX_SBOM_MAX		(64 * 1024 * 1024)
#define CYBEX_SBOM_ITEMS_MAX	100000

/* One product an inventory file lists (normalized; NULL when absent). */
struct cybex_sbom_item {
	const char	*cpe;		/* cybex_cpe_write form */
	const char	*purl;		/* cybex_purl_write form, no version */
	const char	*name;
	const char	*version;	/* else the purl's version, else NULL */
	unsigned long	 line;		/* CSV line, else 0 */
	const char	*pointer;	/* JSON pointer of the component */
};
typedef int	(*cybex_sbom_fn)(void *ud, const struct cybex_sbom_item *it);

/*
 * Read an inventory: a CycloneDX JSON SBOM (bomFormat "CycloneDX",
 * specVersion 1.4 to 1.6; metadata.component and every component, nested
 * ones too), an SPDX 2.3 JSON document (packages with their purl and
 * cpe23Type external references) or CSV with a header naming the columns
 * cpe, purl, name, version (any order, others ignored; RFC 4180 quoting).
 * Items without a CPE or purl are skipped.  Everything is checked before
 * the first call.  Errors: CYBEX_EJSON, CYBEX_EFORMAT (d->line/column or
 * d->pointer and why), CYBEX_EVERSION (another specVersion or
 * spdxVersion), CYBEX_ETOOBIG, CYBEX_ENOMEM; fn's non-zero is returned.
 */
int	 cybex_sbom_read(const char *buf, size_t len, cybex_sbom_fn fn,
	    void *ud, struct cybex_diag *d);

/* ---- the prioritized remediation list ---- */

/*
 * A builder: feed it the newest version of every vulnerability,
 * x-cybex-kev and x-cybex-epss object of a collection and the assets of
 * one or more organizations, then run it for the affected list.
 */
struct cybex_remed;

/* One affected asset with the vulnerability, in the list's order. */
struct cybex_remed_row {
	const char		*org;
	int64_t			 asset_id;
	const char		*name;		/* may be NULL */
	const char		*cpe;		/* may be NULL */
	const char		*purl;		/* may be NULL */
	const char		*version;	/* may be NULL */
	const char		*cve;
	const char		*vuln_id;	/* the STIX id */
	struct cybex_vuln_prio	 prio;		/* kev, epss, cvss */
};
typedef int	(*cybex_remed_fn)(void *ud, const struct cybex_remed_row *r);

int	 cybex_remed_new(struct cybex_remed **out);
void	 cybex_remed_free(struct cybex_remed *r);	/* NULL-safe */
/*
 * Add one object (type "vulnerability", "x-cybex-kev" or
 * "x-cybex-epss"; others are ignored; the builder keeps a reference).
 * KEV counts as known exploited only for entries of the newest catalogue
 * added, EPSS takes the newest score date, as `cybex vuln list` does.
 */
int	 cybex_remed_add_object(struct cybex_remed *r, json_t *obj);
/* Add an asset (the strings are copied). */
int	 cybex_remed_add_asset(struct cybex_remed *r, const char *org,
	    int64_t id, const char *name, const struct cybex_product *p);
/*
 * Match every asset against every vulnerability's affected entries
 * (cybex_vuln_affected, verdicts folded by cybex_vstatus_fold) and call
 * fn for each pair whose verdict is AFFECTED, ordered by organization,
 * then cybex_vuln_prio_cmp, then CVE id, then asset (CPE, purl,
 * version, id).  An entry the matcher cannot read (a malformed CPE in a
 * record) is left out and counted in *skipped (may be NULL).  fn's
 * non-zero stops and is returned.
 */
int	 cybex_remed_run(struct cybex_remed *r, cybex_remed_fn fn, void *ud,
	    size_t *skipped, struct cybex_diag *d);

/* One vulnerability of the builder (its objects joined by CVE id). */
struct cybex_remed_vuln {
	const char		*cve;
	const json_t		*vuln;		/* NULL: known from feeds only */
	struct cybex_vuln_prio	 prio;
};
typedef int	(*cybex_remed_vuln_fn)(void *ud,
		    const struct cybex_remed_vuln *v);
/*
 * Every CVE the objects added name (only: that one, NULL = all), in the
 * order of `cybex vuln list` (cybex_vuln_prio_cmp, then CVE id).  fn's
 * non-zero stops and is returned; CYBEX_ENOMEM.
 */
int	 cybex_remed_vulns(struct cybex_remed *r, const char *only,
	    cybex_remed_vuln_fn fn, void *ud);

#endif /* CYBEX_VULN_H */
