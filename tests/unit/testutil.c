#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

const char *
tu_conformance(void)
{
	const char *p = getenv("CYBEX_CONFORMANCE");

	return p != NULL ? p : "tests/data/conformance";
}

char *
tu_conformance_path(const char *rel)
{
	size_t n = strlen(tu_conformance()) + strlen(rel) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", tu_conformance(), rel);
	return p;
}

char *
tu_read_file(const char *path, size_t *len)
{
	FILE *f;
	char *buf = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	if ((buf = malloc((size_t)n + 1)) == NULL)
		goto out;
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
 out:
	fclose(f);
	return buf;
}

static void
collect(void *ud, const struct cybex_diag *d)
{
	struct tu_diags *ds = ud;

	if (ds->n < TU_DIAGS_MAX)
		ds->d[ds->n++] = *d;
}

int
tu_validate(const char *json, unsigned flags, struct tu_diags *out)
{
	struct cybex_stix_opts o = { .flags = flags };

	return tu_validate_opts(json, &o, out);
}

int
tu_validate_opts(const char *json, const struct cybex_stix_opts *o,
    struct tu_diags *out)
{
	struct cybex_stix_result res;
	struct cybex_diag d;
	json_t *root = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = cybex_json_parse(json, strlen(json), 0, &root, &d);
	if (r != 0)
		fail_msg("test JSON does not parse: %d:%d: %s", (int)d.line,
		    (int)d.column, d.message);
	r = cybex_stix_validate(root, o, NULL, collect, out, &res);
	out->errors = res.errors;
	out->warnings = res.warnings;
	json_decref(root);
	return r;
}

size_t
tu_count_rule(const struct tu_diags *ds, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < ds->n; i++)
		if (ds->d[i].rule != NULL && strcmp(ds->d[i].rule, rule) == 0)
			n++;
	return n;
}

bool
tu_has_rule(const struct tu_diags *ds, const char *rule, int severity)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		if (ds->d[i].rule == NULL || strcmp(ds->d[i].rule, rule) != 0)
			continue;
		if (severity < 0 || ds->d[i].severity == severity)
			return true;
	}
	return false;
}

void
tu_dump(const struct tu_diags *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		print_message("# %s %s [%s] %s\n",
		    ds->d[i].severity == CYBEX_SEV_ERROR ? "error" : "warning",
		    ds->d[i].rule != NULL ? ds->d[i].rule : "-",
		    ds->d[i].pointer, ds->d[i].message);
}
