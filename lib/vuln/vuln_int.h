/* Internal interface of the vuln module. */
#ifndef CYBEX_VULN_INT_H
#define CYBEX_VULN_INT_H

#include "cybex/vuln.h"

/* One metric of a version's vector, in the specification's order. */
struct cvss_mdef {
	const char	*key;
	const char	*values;	/* allowed values, space-separated */
	bool		 mandatory;	/* a base metric */
};

#define CVSS_METRICS_MAX	32

/* A parsed vector: for each metric of the table, its value, or NULL. */
struct cvss_vec {
	const struct cvss_mdef	*defs;
	size_t			 ndefs;
	const char		*val[CVSS_METRICS_MAX];	/* static strings */
	/* The position of val[i] in defs[i].values (0 when unset). */
	unsigned char		 idx[CVSS_METRICS_MAX];
};

/* A v4.0 macrovector and its score (cvss4_table.c, sorted by key). */
struct cvss4_macro {
	char	 key[7];
	double	 score;
};
extern const struct cvss4_macro	cvss4_lookup[];
extern const size_t		cvss4_nlookup;

/* The v4.0 metric table (cvss4.c). */
extern const struct cvss_mdef	cvss4_defs[];
extern const size_t		cvss4_ndefs;

/* Score a parsed v4.0 vector into out (cvss4.c). */
int	cvss4_score(const struct cvss_vec *v, struct cybex_cvss *out,
	    struct cybex_diag *d);

/*
 * CVSS v3.1 Appendix A Roundup: the smallest one-decimal number not below
 * x, computed on x * 100,000 as an integer so that 4.000000000000001 is
 * 4.0 and 8.55 (8.5499...) is 8.6.
 */
double	cvss_roundup(double x);

/* The value of metric key in v, or NULL when it is not set. */
const char	*cvss_get(const struct cvss_vec *v, const char *key);

/* cybex's UUIDv5 namespace for the objects the vuln module makes. */
extern const struct cybex_uuid	vuln_ns;

/*
 * Replace the control bytes of d->message (NULL-safe) by '?': the
 * parsers below quote input in their messages (jansson's "near 'X'"),
 * and a message of this module is printable whatever the input.
 */
void	vuln_diag_clean(struct cybex_diag *d);

/* Whether s matches ^CVE-[0-9]{4}-[0-9]{4,19}$. */
bool	vuln_is_cve_id(const char *s);

/*
 * s (free text: a vendor, a product, a version) as a CPE WFN value into
 * out: lower case, spaces to '_', bytes outside printable ASCII dropped,
 * every character but [a-z0-9_] quoted (match.c).
 */
void	vuln_cpe_quote(const char *s, char *out, size_t outsz);

#endif
