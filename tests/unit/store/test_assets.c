/*
 * The asset inventory of the store (cybex_store_asset_*, schema 16): add
 * with duplicates and unknown organizations, list per organization and
 * in order, remove one or all, and assets going with their organization.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cybex/store.h"

struct fx {
	char			 dir[64];
	char			 path[128];
	struct cybex_store	*s;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct cybex_diag d;

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/cybex-asset-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	cybex_diag_clear(&d);
	if (cybex_store_open(f->path, 0, &f->s, &d) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[160];

	cybex_store_close(f->s);
	snprintf(p, sizeof(p), "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->path);
	unlink(p);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

struct seen {
	char	 text[2048];
	int64_t	 last_id;
	size_t	 n;
};

static int
collect(void *ud, const struct cybex_asset *a)
{
	struct seen *s = ud;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "%s|%s|%s|%s;", a->org,
	    a->cpe != NULL ? a->cpe : "-", a->purl != NULL ? a->purl : "-",
	    a->version != NULL ? a->version : "-");
	s->last_id = a->id;
	s->n++;
	return 0;
}

static void
test_assets(void **state)
{
	struct fx *f = *state;
	struct cybex_asset a;
	struct cybex_diag d;
	struct seen s;
	uint64_t removed;
	bool added;

	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_schema_version(f->s), 16);
	memset(&a, 0, sizeof(a));
	a.org = "shop";
	a.purl = "pkg:npm/lodash";
	a.version = "4.17.20";
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d),
	    CYBEX_ENOTFOUND);
	assert_non_null(strstr(d.message, "no organization 'shop'"));
	assert_int_equal(cybex_store_org_add(f->s, "shop", &d), 0);
	assert_int_equal(cybex_store_org_add(f->s, "office", &d), 0);
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d), 0);
	assert_true(added);
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d), 0);
	assert_false(added);			/* the same row */
	a.version = NULL;			/* another: version unknown */
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d), 0);
	assert_true(added);
	a.purl = NULL;
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d),
	    CYBEX_EINVAL);			/* neither CPE nor purl */
	a.org = "office";
	a.cpe = "cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*";
	assert_int_equal(cybex_store_asset_add(f->s, &a, &added, &d), 0);

	memset(&s, 0, sizeof(s));
	assert_int_equal(cybex_store_asset_list(f->s, NULL, collect, &s, &d),
	    0);
	assert_string_equal(s.text, "office|cpe:2.3:a:openssl:openssl:3.0.7:"
	    "*:*:*:*:*:*:*|-|-;shop|-|pkg:npm/lodash|-;shop|-|pkg:npm/lodash|"
	    "4.17.20;");
	memset(&s, 0, sizeof(s));
	assert_int_equal(cybex_store_asset_list(f->s, "shop", collect, &s, &d),
	    0);
	assert_int_equal(s.n, 2);
	assert_int_equal(cybex_store_asset_list(f->s, "nobody", collect, &s,
	    &d), CYBEX_ENOTFOUND);

	/* One by id (of its organization only), then all. */
	assert_int_equal(cybex_store_asset_remove(f->s, "office", s.last_id,
	    &removed, &d), CYBEX_ENOTFOUND);
	assert_int_equal(cybex_store_asset_remove(f->s, "shop", s.last_id,
	    &removed, &d), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(cybex_store_asset_remove(f->s, "shop", 0, &removed,
	    &d), 0);
	assert_int_equal(removed, 1);

	/* Assets go with their organization. */
	assert_int_equal(cybex_store_org_remove(f->s, "office", 0, &d), 0);
	assert_int_equal(cybex_store_org_add(f->s, "office", &d), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(cybex_store_asset_list(f->s, "office", collect, &s,
	    &d), 0);
	assert_int_equal(s.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_assets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
