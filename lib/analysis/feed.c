/*
 * Lines to observations: the loop `cybex ingest` and POST /api/v1/events
 * share, so a file, a followed file and an HTTP body are read the same way.
 */
#include "analysis_int.h"

int
cybex_analysis_feed(struct cybex_analysis *a, struct cybex_ingest_reader *r,
    struct cybex_ingest_lines *l, cybex_diag_fn on_error, void *ud,
    struct cybex_diag *d)
{
	const struct cybex_obs *o;
	struct cybex_diag ld;
	const char *line;
	unsigned long lineno;
	size_t len;
	int rc;

	for (;;) {
		rc = cybex_ingest_lines_next(l, &line, &len, &lineno);
		if (rc == 0)
			return 0;
		cybex_diag_clear(&ld);
		if (rc == CYBEX_ETOOBIG) {
			cybex_diag_set(&ld, CYBEX_ETOOBIG, "the line is longer "
			    "than the limit; skipped");
			ld.rule = CYBEX_ANALYSIS_RULE_LINE_TOO_LONG;
			ld.line = lineno;
			ld.column = 1;
			if (on_error != NULL)
				on_error(ud, &ld);
			continue;
		}
		if (rc < 0)
			return cybex_diag_set(d, rc, "reading lines: %s",
			    cybex_strerror(rc));
		rc = cybex_ingest_read_line(r, line, len, lineno, &o, &ld);
		if (rc < 0) {
			if (rc == CYBEX_ENOMEM)
				return cybex_diag_set(d, rc, "out of memory");
			if (ld.line == 0)
				ld.line = lineno;
			if (on_error != NULL)
				on_error(ud, &ld);
			continue;
		}
		if (rc == 0)
			continue;
		if ((rc = cybex_analysis_observe(a, o, d)) != 0)
			return rc;
	}
}
