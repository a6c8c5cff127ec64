/*
 * Differential test against the OASIS stix2-validator: every call of the
 * validator whose verdict its own test suite asserts
 * (stix2validator/test/v21, turned into data by
 * tests/tools/extract-validator-cases.py: the instance, the options and
 * "valid" or "invalid") is run through cybex_stix_validate with the same
 * options.
 *
 * A case is expressible when cybex has every option it uses: strict,
 * enabled/disabled (by code or name), strict_types, strict_properties,
 * enforce_refs, interop and version "2.1".  Not expressible: schema_dir
 * (the reference's own JSON schemas for custom objects; cybex validates
 * custom content by its extension definitions, not by user schemas),
 * version "2.0" (cybex validates STIX 2.1 only), and the output options
 * silent and verbose (whose one case is their refusal together).
 *
 * The reference has no counterpart of cybex's own SHOULD rules (those
 * without a reference code, such as sco-id-deterministic): the runner
 * disables them ("cybex" in the disabled list); their tests are in
 * test_rules_*.c.
 *
 * Expressible cases where cybex deliberately differs are listed with
 * their reason in validator_divergences.txt (see docs/internals/stix.md);
 * the test fails on any other disagreement, and on a listed case that
 * agrees.  The agreement is printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/stix.h"
#include "testutil.h"

static json_t *cases;
static char *divergent;

static int
setup(void **state)
{
	char *path = tu_conformance_path("stix21/validator-tests/"
	    "validator_cases.json");
	char *dpath = tu_conformance_path("stix21/validator-tests/"
	    "validator_divergences.txt");
	json_error_t err;
	size_t len;

	(void)state;
	cases = json_load_file(path, 0, &err);
	if (cases == NULL)
		print_error("cannot read %s: %s\n", path, err.text);
	divergent = tu_read_file(dpath, &len);
	free(path);
	free(dpath);
	return cases == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(cases);
	free(divergent);
	return 0;
}

static bool
listed(const char *test)
{
	size_t n = strlen(test);
	const char *q;

	for (q = divergent; q != NULL && (q = strstr(q, test)) != NULL; q += n)
		if ((q == divergent || q[-1] == '\n') &&
		    (q[n] == '\n' || q[n] == ' ' || q[n] == '\0'))
			return true;
	return false;
}

/* The checks list of an option: a string, a number or a list of them. */
static void
list_text(const json_t *v, char *buf, size_t sz)
{
	size_t i, n = 0;

	buf[0] = '\0';
	if (json_is_string(v))
		snprintf(buf, sz, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
	else if (json_is_array(v))
		for (i = 0; i < json_array_size(v) && n < sz; i++) {
			const json_t *e = json_array_get(v, i);

			if (json_is_string(e))
				n += (size_t)snprintf(buf + n, sz - n, "%s%s",
				    i ? "," : "", json_string_value(e));
			else
				n += (size_t)snprintf(buf + n, sz - n,
				    "%s%lld", i ? "," : "",
				    (long long)json_integer_value(e));
		}
}

/*
 * Options to cybex's; false when one has no cybex equivalent.  *refused:
 * cybex refuses the options (an unknown check), as the reference does.
 */
static bool
options(const json_t *opts, struct cybex_stix_opts *o,
    struct cybex_stix_checks *ck, bool *refused)
{
	const char *k;
	const json_t *v;
	char en[512] = "", dis[512] = "";
	struct cybex_diag d;

	memset(o, 0, sizeof(*o));
	json_object_foreach((json_t *)opts, k, v) {
		bool on = json_is_true(v);

		if (strcmp(k, "strict") == 0)
			o->flags |= on ? CYBEX_STIX_STRICT : 0;
		else if (strcmp(k, "strict_types") == 0)
			o->flags |= on ? CYBEX_STIX_STRICT_TYPES : 0;
		else if (strcmp(k, "strict_properties") == 0)
			o->flags |= on ? CYBEX_STIX_STRICT_PROPERTIES : 0;
		else if (strcmp(k, "enforce_refs") == 0)
			o->flags |= on ? CYBEX_STIX_ENFORCE_REFS : 0;
		else if (strcmp(k, "interop") == 0)
			o->flags |= on ? CYBEX_STIX_INTEROP : 0;
		else if (strcmp(k, "version") == 0) {
			if (!json_is_string(v) ||
			    strcmp(json_string_value(v), "2.1") != 0)
				return false;
		} else if (strcmp(k, "enabled") == 0)
			list_text(v, en, sizeof(en));
		else if (strcmp(k, "disabled") == 0)
			list_text(v, dis, sizeof(dis));
		else
			return false;	/* schema_dir, silent, verbose */
	}
	/*
	 * cybex's own SHOULD rules (no reference code) are outside what the
	 * reference checks; they have their own tests.
	 */
	if (en[0] == '\0' && strlen(dis) + 7 < sizeof(dis))
		memcpy(dis + strlen(dis), dis[0] != '\0' ? ",cybex" : "cybex",
		    dis[0] != '\0' ? 7 : 6);
	*refused = cybex_stix_checks_select(en, dis, ck, &d) != 0;
	o->checks = ck;
	return true;
}

struct msgs {
	char	 text[2048];
	size_t	 len;
};

static void
collect(void *ud, const struct cybex_diag *d)
{
	struct msgs *m = ud;

	if (m->len < sizeof(m->text))
		m->len += (size_t)snprintf(m->text + m->len,
		    sizeof(m->text) - m->len, "\n    %s %s [%s]: %s",
		    d->severity == CYBEX_SEV_ERROR ? "error" : "warning",
		    d->rule != NULL ? d->rule : "-", d->pointer, d->message);
}

static void
test_validator_cases(void **state)
{
	const json_t *all = json_object_get(cases, "cases");
	size_t i, expressible = 0, agree = 0, bad = 0, nlisted = 0;

	(void)state;
	assert_true(json_array_size(all) > 500);
	for (i = 0; i < json_array_size(all); i++) {
		const json_t *c = json_array_get(all, i);
		const char *test = json_string_value(json_object_get(c,
		    "test"));
		const char *want = json_string_value(json_object_get(c,
		    "expect"));
		const json_t *inst = json_object_get(c, "instance");
		struct cybex_stix_opts o;
		struct cybex_stix_checks ck;
		struct cybex_stix_result r = { 0 };
		struct msgs m = { .len = 0 };
		bool valid, same, dl, refused;
		int rc;

		if (!options(json_object_get(c, "options"), &o, &ck, &refused))
			continue;
		if (json_object_get(c, "file") != NULL)
			continue;
		expressible++;
		if (inst == NULL || refused)	/* not JSON, bad option */
			valid = false;
		else {
			rc = cybex_stix_validate(inst, &o, "", collect, &m,
			    &r);
			valid = (rc == 0 || rc == CYBEX_ESTIX) &&
			    r.errors == 0;
		}
		same = (strcmp(want, "valid") == 0) == valid;
		dl = listed(test);
		agree += same;
		nlisted += dl;
		if (same == dl) {
			bad++;
			print_error("%s: %s: expected %s, cybex %s%s\n", test,
			    dl ? "listed as divergent but agrees" :
			    "disagrees", want, valid ? "valid" : "invalid",
			    m.text);
		}
	}
	print_message("validator cases: %zu, expressible %zu, agreeing %zu "
	    "(%.1f%%), listed divergences %zu\n", json_array_size(all),
	    expressible, agree, 100.0 * (double)agree / (double)expressible,
	    nlisted);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator_cases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
