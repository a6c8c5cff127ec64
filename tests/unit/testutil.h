/* Shared helpers for the cmocka unit tests. */
#ifndef CYBEX_TESTUTIL_H
#define CYBEX_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "cybex/core.h"
#include "cybex/stix.h"

/* Directory of ../shared/conformance (from $CYBEX_CONFORMANCE). */
const char	*tu_conformance(void);
/* malloc'd "<conformance>/<rel>". */
char		*tu_conformance_path(const char *rel);
/* malloc'd NUL-terminated file contents, or NULL. */
char		*tu_read_file(const char *path, size_t *len);

#define TU_DIAGS_MAX	64
struct tu_diags {
	size_t			 n;
	unsigned		 errors;
	unsigned		 warnings;
	struct cybex_diag	 d[TU_DIAGS_MAX];
};

/*
 * Parse json (fails the test if it is not JSON) and validate it with
 * flags; collects diagnostics.  Returns what cybex_stix_validate returned.
 */
int		 tu_validate(const char *json, unsigned flags, struct tu_diags *out);
/* The same with every option (checks selection, strict-types, ...). */
int		 tu_validate_opts(const char *json,
		    const struct cybex_stix_opts *o, struct tu_diags *out);
/* True when a diagnostic with this rule (and severity, -1 = any) was seen. */
/* How many diagnostics name rule. */
size_t		 tu_count_rule(const struct tu_diags *ds, const char *rule);
bool		 tu_has_rule(const struct tu_diags *ds, const char *rule,
		    int severity);
/* Print the diagnostics (for failing tests). */
void		 tu_dump(const struct tu_diags *ds);

#endif
