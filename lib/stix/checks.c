/*
 * The best-practice checks: every optional ("SHOULD") check of the OASIS
 * stix2-validator for STIX 2.1, with its code and name, and the cybex
 * warning rules that implement it; then cybex's own warning rules, which
 * have no reference code.  --enable/--disable select among them
 * (cybex_stix_checks_select); the validator drops a warning whose check is
 * off (check_off).  The table is also docs/internals/stix.md's.
 */
#include <string.h>

#include "stix_int.h"

struct stix_check {
	unsigned	 code;	/* the reference's; 0 for cybex's own rules */
	const char	*name;	/* the reference's name, or the cybex rule */
	const char	*rule;	/* the cybex rule that implements it */
	const char	*vocab;	/* vocab-value: its vocabulary */
};

/* A check implemented by two rules has two rows with the same code. */
static const struct stix_check checks[] = {
	{ 101, "custom-prefix", "custom-property-prefix", NULL },
	{ 101, "custom-prefix", "custom-object-prefix", NULL },
	{ 101, "custom-prefix", "custom-property-prefix-strict", NULL },
	{ 101, "custom-prefix", "custom-object-prefix-strict", NULL },
	{ 101, "custom-prefix", "custom-extension-prefix", NULL },
	{ 101, "custom-prefix", "custom-extension-prefix-strict", NULL },
	{ 102, "custom-prefix-lax", "custom-property-prefix", NULL },
	{ 102, "custom-prefix-lax", "custom-object-prefix", NULL },
	{ 102, "custom-prefix-lax", "custom-extension-prefix", NULL },
	{ 103, "uuid-check", "id-uuid-version", NULL },
	{ 111, "open-vocab-format", "vocab-format", NULL },
	{ 121, "kill-chain-names", "kill-chain-phase-format", NULL },
	{ 141, "observable-object-keys", "observed-data-object-key", NULL },
	{ 142, "observable-dictionary-keys", "sco-dictionary-key-format",
	    NULL },
	{ 143, "malware-analysis-product", "malware-analysis-product-format",
	    NULL },
	{ 149, "windows-process-priority-format", "windows-process-priority",
	    NULL },
	{ 150, "hash-length", "hash-algorithm-length", NULL },
	{ 201, "marking-definition-type", "marking-definition-type-unknown",
	    NULL },
	{ 202, "relationship-types", "relationship-type-suggested", NULL },
	{ 203, "duplicate-ids", "bundle-duplicate-id", NULL },
	{ 211, "attack-motivation", "vocab-value", "attack-motivation-ov" },
	{ 212, "attack-resource-level", "vocab-value",
	    "attack-resource-level-ov" },
	{ 213, "identity-class", "vocab-value", "identity-class-ov" },
	{ 214, "indicator-types", "vocab-value", "indicator-type-ov" },
	{ 215, "industry-sector", "vocab-value", "industry-sector-ov" },
	{ 216, "malware-types", "vocab-value", "malware-type-ov" },
	{ 218, "report-types", "vocab-value", "report-type-ov" },
	{ 219, "threat-actor-types", "vocab-value", "threat-actor-type-ov" },
	{ 220, "threat-actor-role", "vocab-value", "threat-actor-role-ov" },
	{ 221, "threat-actor-sophistication", "vocab-value",
	    "threat-actor-sophistication-ov" },
	{ 222, "tool-types", "vocab-value", "tool-type-ov" },
	{ 223, "region", "vocab-value", "region-ov" },
	{ 225, "grouping-context", "vocab-value", "grouping-context-ov" },
	{ 226, "implementation-languages", "vocab-value",
	    "implementation-language-ov" },
	{ 227, "infrastructure-types", "vocab-value",
	    "infrastructure-type-ov" },
	{ 228, "malware-capabilities", "vocab-value",
	    "malware-capabilities-ov" },
	{ 230, "processor-architecture", "vocab-value",
	    "processor-architecture-ov" },
	{ 231, "malware-result", "vocab-value", "malware-result-ov" },
	{ 241, "hash-algo", "hash-algorithm-vocab", NULL },
	{ 243, "windows-pebinary-type", "vocab-value",
	    "windows-pebinary-type-ov" },
	{ 244, "account-type", "vocab-value", "account-type-ov" },
	{ 245, "indicator-pattern-types", "vocab-value", "pattern-type-ov" },
	{ 271, "mime-type", "file-mime-type", NULL },
	{ 272, "protocols", "network-traffic-protocol-format", NULL },
	{ 273, "ipfix", "network-traffic-ipfix-name", NULL },
	{ 274, "http-request-headers", "http-request-header-name", NULL },
	{ 275, "socket-options", "socket-option-name", NULL },
	{ 276, "pdf-doc-info", "pdf-doc-info-key", NULL },
	{ 277, "countries", "location-country-code", NULL },
	{ 301, "network-traffic-ports", "network-traffic-ports", NULL },
	{ 302, "extref-hashes", "external-reference-url-hashes", NULL },
	{ 303, "indicator-properties", "indicator-name-description", NULL },
	{ 304, "deprecated-properties", "deprecated-property", NULL },
	{ 305, "extension-description", "extension-definition-description",
	    NULL },
	{ 306, "extension-properties", "extension-toplevel-properties", NULL },
	{ 401, "extensions-use", "custom-extension", NULL },
	{ 401, "extensions-use", "custom-without-extension", NULL },
	/* cybex's own SHOULD rules */
	{ 0, "sco-id-deterministic", "sco-id-deterministic", NULL },
	{ 0, "pattern-custom-type", "pattern-custom-type", NULL },
	{ 0, "pattern-unknown-type", "pattern-unknown-type", NULL },
	{ 0, "pattern-unknown-property", "pattern-unknown-property", NULL },
	{ 0, "pattern-and-types", "pattern-and-types", NULL },
	{ 0, "pattern-literal-type", "pattern-literal-type", NULL },
	{ 0, "pattern-path-list", "pattern-path-list", NULL },
	{ 0, "pattern-timestamp-calendar", "pattern-timestamp-calendar", NULL },
	{ 0, "pattern-duplicate-qualifier", "pattern-duplicate-qualifier",
	    NULL },
	{ 0, "pattern-start-stop-order", "pattern-start-stop-order", NULL },
	{ 0, "bundle-spec-version", "bundle-spec-version", NULL },
	{ 0, "email-addr-value", "email-addr-value", NULL },
	{ 0, "email-header-field-mapped", "email-header-field-mapped", NULL },
	{ 0, "http-request-lowercase", "http-request-lowercase", NULL },
	{ 0, "language-content-lang", "language-content-lang", NULL },
	{ 0, "recommended-property", "recommended-property", NULL },
	{ 0, "relationship-same-type", "relationship-same-type", NULL },
	{ 0, "spec-version-missing", "spec-version-missing", NULL },
	{ 0, "vocab-value", "vocab-value", NULL },
};
#define NCHECKS	(sizeof(checks) / sizeof(checks[0]))

_Static_assert(NCHECKS <= CYBEX_STIX_CHECKS_MAX, "checks table size");

/* Does entry (a code, a group code, a name) select check i? */
static bool
selects(const char *e, size_t n, size_t i)
{
	const struct stix_check *c = &checks[i];
	char *end;
	unsigned long code;

	if (n > 0 && e[0] >= '0' && e[0] <= '9') {
		code = strtoul(e, &end, 10);
		if ((size_t)(end - e) != n || c->code == 0)
			return false;
		if (code == 1 || code == 2)	/* 1xx, 2xx */
			return c->code / 100 == code;
		if (code == 210)
			return c->code > 210 && c->code < 240;
		if (code == 270)
			return c->code > 270 && c->code < 280;
		return c->code == code;
	}
	if (n == 5 && strncmp(e, "cybex", 5) == 0)	/* cybex's own */
		return c->code == 0;
	if (strlen(c->name) == n && strncmp(c->name, e, n) == 0)
		return true;
	return strlen(c->rule) == n && strncmp(c->rule, e, n) == 0 &&
	    (c->code == 0 || strcmp(c->rule, "vocab-value") != 0);
}

/* Set mark[i] for every check the list selects. */
static int
mark_list(const char *list, unsigned char *mark, const char *what,
    struct cybex_diag *d)
{
	const char *e = list, *comma;
	size_t i, n;
	bool any;

	while (e != NULL && *e != '\0') {
		while (*e == ' ')
			e++;
		comma = strchr(e, ',');
		n = comma != NULL ? (size_t)(comma - e) : strlen(e);
		while (n > 0 && e[n - 1] == ' ')
			n--;
		any = false;
		for (i = 0; i < NCHECKS; i++)
			if (selects(e, n, i)) {
				mark[i] = 1;
				any = true;
			}
		if (!any && n > 0) {
			cybex_diag_set(d, CYBEX_EINVAL, "%s: unknown check "
			    "'%.*s'", what, (int)(n < 64 ? n : 64), e);
			return CYBEX_EINVAL;
		}
		e = comma != NULL ? comma + 1 : NULL;
	}
	return 0;
}

int
cybex_stix_checks_select(const char *enable, const char *disable,
    struct cybex_stix_checks *out, struct cybex_diag *d)
{
	unsigned char en[CYBEX_STIX_CHECKS_MAX] = { 0 };
	unsigned char dis[CYBEX_STIX_CHECKS_MAX] = { 0 };
	bool only = enable != NULL && *enable != '\0';
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = mark_list(enable, en, "--enable", d)) != 0 ||
	    (rc = mark_list(disable, dis, "--disable", d)) != 0)
		return rc;
	for (i = 0; i < NCHECKS; i++)
		out->off[i] = en[i] ? 0 : (only || dis[i]);
	/* A rule of two checks runs when either is on. */
	return 0;
}

unsigned
cybex_stix_check_code(const char *rule, const char *vocab)
{
	size_t i;

	for (i = 0; i < NCHECKS; i++)
		if (checks[i].code != 0 && strcmp(checks[i].rule, rule) == 0 &&
		    (checks[i].vocab == NULL || (vocab != NULL &&
		    strcmp(checks[i].vocab, vocab) == 0)))
			return checks[i].code;
	return 0;
}

/*
 * Is the warning rule (vocab: for vocab-value) turned off?  It runs when
 * any row naming it is on; a rule no row names always runs.
 */
bool
stix_check_off(const struct cybex_stix_checks *ck, const char *rule,
    const char *vocab)
{
	size_t i;
	bool named = false;

	if (ck == NULL || rule == NULL)
		return false;
	for (i = 0; i < NCHECKS; i++) {
		if (strcmp(checks[i].rule, rule) != 0)
			continue;
		if (checks[i].vocab != NULL && (vocab == NULL ||
		    strcmp(checks[i].vocab, vocab) != 0))
			continue;
		if (checks[i].vocab == NULL && checks[i].code == 0 &&
		    vocab != NULL && named)
			continue;
		named = true;
		if (!ck->off[i])
			return false;
	}
	return named;
}
