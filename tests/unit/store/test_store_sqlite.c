/*
 * The store contract against the SQLite backend: every test gets a new
 * database file in its own mkdtemp directory under /tmp, removed after.
 * A few SQLite-only cases (files that are missing, not databases, or
 * opened read-only) follow the contract.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cybex/store.h"
#include "cybex/store_incident.h"

#include "contract.h"

static int
sq_create(void *ud, char *dsn, size_t dsnsz)
{
	char dir[] = "/tmp/cybex-store-test-XXXXXX";
	int n;

	if (mkdtemp(dir) == NULL)
		return -1;
	n = snprintf(dsn, dsnsz, "%s/test.db", dir);
	return n < 0 || (size_t)n >= dsnsz ? -1 : 0;
}

/* Remove the database's directory and whatever SQLite left in it. */
static void
sq_destroy(void *ud, const char *dsn)
{
	char dir[STORE_CONTRACT_DSN_MAX], path[STORE_CONTRACT_DSN_MAX + 256];
	struct dirent *e;
	char *slash;
	DIR *dp;

	if (dsn == NULL || dsn[0] == '\0')
		return;
	snprintf(dir, sizeof(dir), "%s", dsn);
	if ((slash = strrchr(dir, '/')) == NULL)
		return;
	*slash = '\0';
	if (strncmp(dir, "/tmp/cybex-store-test-", 22) != 0)
		return;		/* never remove anything else */
	if ((dp = opendir(dir)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(dp);
	}
	rmdir(dir);
}

static int
sq_set_schema_version(void *ud, const char *dsn, int version)
{
	sqlite3 *db = NULL;
	char sql[64];
	int rc = -1;

	if (sqlite3_open_v2(dsn, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		goto out;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
 out:
	sqlite3_close(db);
	return rc;
}

/* ---- SQLite only ---- */
/* What the migrations after 11 made: undone to fake an older schema. */
#define DROP_SINCE_14	"DROP TABLE incident_links; DROP TABLE incidents; "

struct tmpdb {
	char	 path[STORE_CONTRACT_DSN_MAX];
};

static int
setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof(*t));

	if (t == NULL || sq_create(NULL, t->path, sizeof(t->path)) != 0) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tmpdb *t = *state;

	sq_destroy(NULL, t->path);
	free(t);
	return 0;
}

static void
test_nocreate_missing(void **state)
{
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_diag d;

	cybex_diag_clear(&d);
	assert_true(cybex_store_open(t->path, CYBEX_STORE_NOCREATE, &s, &d) <
	    0);
	assert_null(s);
	assert_true(d.message[0] != '\0');
	assert_int_equal(access(t->path, F_OK), -1);	/* not created */
	assert_true(cybex_store_open(t->path, CYBEX_STORE_RDONLY, &s, &d) < 0);
	assert_null(s);
}

static void
test_not_a_database(void **state)
{
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	unsigned char junk[8192];
	unsigned i;
	int fd;

	/* Not SQLite at all: random-looking bytes. */
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131u + 7u) ^ (unsigned char)(i >> 3);
	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	cybex_diag_clear(&d);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), CYBEX_EDB);
	assert_null(s);
	assert_true(d.message[0] != '\0');
	/* A SQLite header followed by garbage. */
	memcpy(junk, "SQLite format 3", 16);
	fd = open(t->path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	assert_true(cybex_store_open(t->path, 0, &s, &d) < 0);
	assert_null(s);
}

static void
test_dsn_prefix_and_rdonly(void **state)
{
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_collection c;
	struct cybex_diag d;
	char dsn[STORE_CONTRACT_DSN_MAX + 8];

	snprintf(dsn, sizeof(dsn), "sqlite:%s", t->path);
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	cybex_store_close(s);
	assert_int_equal(access(t->path, F_OK), 0);
	s = NULL;
	assert_int_equal(cybex_store_open(t->path,
	    CYBEX_STORE_RDONLY | CYBEX_STORE_NOCREATE, &s, &d), 0);
	memset(&c, 0, sizeof(c));
	c.alias = "ro";
	c.title = "read-only";
	assert_true(cybex_store_collection_add(s, &c, &d) < 0);
	cybex_store_close(s);
}

/*
 * Migration 8: a version stored before granular markings counted (its tlp
 * column 0 although a granular marking says TLP:RED) is RED after the
 * upgrade, and served under no lower ceiling.
 */
static void
test_migrate_granular_tlp(void **state)
{
	static const char *obj =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--1d7f4a5b-0e1b-4c4f-9a99-4b0e5d6f7081\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"m\","
	    "\"granular_markings\":[{\"marking_ref\":\"marking-definition--"
	    "e828b379-4e03-4974-9ac4-e53a884c97c1\",\"selectors\":"
	    "[\"name\"]}]}";
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_collection c;
	struct cybex_diag d;
	enum cybex_put_result res;
	json_t *o = json_loads(obj, 0, NULL);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_non_null(o);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	memset(&c, 0, sizeof(c));
	c.alias = "red";
	c.title = "red";
	c.max_tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_store_collection_add(s, &c, &d), 0);
	assert_int_equal(cybex_store_put(s, c.id, o, obj, strlen(obj), &res,
	    &d), 0);
	cybex_store_close(s);
	s = NULL;
	/* As schema 7 stored it. */
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE objects SET tlp = 0; "
	    "DROP TABLE secrets; DROP TABLE conflicts; DROP TABLE marking_refs; "
	    DROP_SINCE_14 "PRAGMA user_version = 7", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	cybex_store_close(s);
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT tlp FROM objects",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), CYBEX_TLP_RED);
	sqlite3_finalize(st);
	sqlite3_close(db);
	json_decref(o);
}

static int
count_conflict(void *ud, const struct cybex_conflict *c)
{
	(void)c;
	(*(int *)ud)++;
	return 0;
}

/*
 * Migration 10: a schema-9 database (global versions, one content per id
 * and version, no conflicts table) upgrades and keeps its versions; then
 * other content of a stored version is recorded as a conflict.
 */
static void
test_migrate_conflicts(void **state)
{
	static const char *v1 =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--2d7f4a5b-0e1b-4c4f-9a99-4b0e5d6f7081\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"a\"}";
	static const char *v2 =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--2d7f4a5b-0e1b-4c4f-9a99-4b0e5d6f7081\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"b\"}";
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	struct cybex_diag d;
	enum cybex_put_result res;
	json_t *o1 = json_loads(v1, 0, NULL), *o2 = json_loads(v2, 0, NULL);
	sqlite3 *db = NULL;
	int n = 0;

	assert_non_null(o1);
	assert_non_null(o2);
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	assert_int_equal(cybex_store_collection_get(s, "default", a, &c, &d),
	    0);
	assert_int_equal(cybex_store_put(s, c.id, o1, v1, strlen(v1), &res,
	    &d), 0);
	cybex_store_close(s);
	s = NULL;
	/* As schema 9 left it. */
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE conflicts; "
	    "DROP TABLE marking_refs; " DROP_SINCE_14 "PRAGMA user_version = 9", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	assert_int_equal(cybex_store_schema_version(s),
	    cybex_store_schema_latest());
	assert_int_equal(cybex_store_put(s, c.id, o1, v1, strlen(v1), &res,
	    &d), 0);
	assert_int_equal(res, CYBEX_PUT_PRESENT);
	assert_int_equal(cybex_store_put(s, c.id, o2, v2, strlen(v2), &res,
	    &d), CYBEX_ECONFLICT);
	assert_int_equal(res, CYBEX_PUT_CONFLICT);
	assert_int_equal(cybex_store_conflict_list(s, "default",
	    count_conflict, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cybex_store_check(s, NULL, NULL, &d), 0);
	cybex_store_close(s);
	cybex_arena_free(a);
	json_decref(o1);
	json_decref(o2);
}

/*
 * Migration 11: versions stored before marking-definition references
 * counted get the level of what they reference (a stored TLP:RED
 * definition; an unknown marking-definition counts as RED), and the
 * references are indexed so that a marking-definition stored later
 * settles them.
 */
static void
test_migrate_marking_refs(void **state)
{
	static const char *md = "{\"type\":\"marking-definition\","
	    "\"id\":\"marking-definition--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\","
	    "\"created\":\"2017-01-20T00:00:00.000Z\","
	    "\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}";
	static const char *known =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--2e8f5b6c-1f2c-4d5f-8aaa-5c1f6e7a8b01\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"k\","
	    "\"object_marking_refs\":[\"marking-definition--0b1c2d3e-4f50-"
	    "4a6b-8c7d-9e0f1a2b3c4d\"]}";
	static const char *unknown =
	    "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--2e8f5b6c-1f2c-4d5f-8aaa-5c1f6e7a8b02\","
	    "\"created\":\"2020-01-01T00:00:00.000Z\","
	    "\"modified\":\"2020-01-01T00:00:00.000Z\",\"name\":\"u\","
	    "\"granular_markings\":[{\"selectors\":[\"name\"],\"marking_ref\":"
	    "\"marking-definition--0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4e\"}]}";
	const char *objs[] = { md, known, unknown };
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_collection c;
	struct cybex_diag d;
	enum cybex_put_result res;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	json_t *o;
	size_t i;

	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	memset(&c, 0, sizeof(c));
	c.alias = "red";
	c.title = "red";
	c.max_tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_store_collection_add(s, &c, &d), 0);
	for (i = 0; i < 3; i++) {
		assert_non_null(o = json_loads(objs[i], 0, NULL));
		assert_int_equal(cybex_store_put(s, c.id, o, objs[i],
		    strlen(objs[i]), &res, &d), 0);
		json_decref(o);
	}
	cybex_store_close(s);
	s = NULL;
	/* As schema 10 stored them. */
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE objects SET tlp = 0; "
	    "DROP TABLE marking_refs; " DROP_SINCE_14 "PRAGMA user_version = 10", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	assert_int_equal(cybex_store_schema_version(s),
	    cybex_store_schema_latest());
	cybex_store_close(s);
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT type, tlp FROM "
	    "objects ORDER BY oid", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), CYBEX_TLP_NONE);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), CYBEX_TLP_RED);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 1), CYBEX_TLP_RED);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM "
	    "marking_refs", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * Migrations 12 to 14: a schema-11 database gets the incident index, whose
 * listing, filters and links then work; 12 and 13 are placeholders.
 */
static int
count_row(void *ud, const struct cybex_incident_row *r)
{
	(*(int *)ud)++;
	assert_string_equal(r->status, "triage");
	return 0;
}

static void
test_migrate_incidents(void **state)
{
	struct tmpdb *t = *state;
	struct cybex_store *s = NULL;
	struct cybex_incident_row row;
	struct cybex_incident_filter f;
	struct cybex_incident_link l;
	struct cybex_page page;
	struct cybex_diag d;
	sqlite3 *db = NULL;
	int n = 0;

	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	cybex_store_close(s);
	s = NULL;
	assert_int_equal(sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, DROP_SINCE_14 "PRAGMA user_version "
	    "= 11", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cybex_store_open(t->path, 0, &s, &d), 0);
	assert_int_equal(cybex_store_schema_version(s),
	    cybex_store_schema_latest());
	memset(&row, 0, sizeof(row));
	row.id = "incident--6fb421c2-75df-48eb-8691-f593d78e7a27";
	row.modified = "2026-12-01T10:00:00.000Z";
	row.status = "triage";
	row.severity = 2;
	row.priority = 3;
	row.title = "t";
	assert_int_equal(cybex_store_incident_put(s, &row, &d), 0);
	row.severity = 5;
	assert_int_equal(cybex_store_incident_put(s, &row, &d), CYBEX_EINVAL);
	memset(&f, 0, sizeof(f));
	f.status = "triage";
	assert_int_equal(cybex_store_incident_list(s, &f, count_row, &n, &page,
	    &d), 0);
	assert_int_equal(n, 1);
	memset(&l, 0, sizeof(l));
	l.incident = row.id;
	l.ref = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
	l.kind = CYBEX_INCIDENT_LINK_EVIDENCE;
	assert_int_equal(cybex_store_incident_link(s, &l, &d), 0);
	assert_int_equal(cybex_store_incident_link(s, &l, &d), CYBEX_EEXIST);
	assert_int_equal(cybex_store_incident_unlink(s, row.id, l.ref, &d), 0);
	assert_int_equal(cybex_store_incident_unlink(s, row.id, l.ref, &d),
	    CYBEX_ENOTFOUND);
	cybex_store_close(s);
}

int
main(void)
{
	static const struct store_contract_backend sqlite_backend = {
		.name = "sqlite",
		.create = sq_create,
		.destroy = sq_destroy,
		.set_schema_version = sq_set_schema_version,
		.ud = NULL,
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_nocreate_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dsn_prefix_and_rdonly,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_marking_refs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_granular_tlp,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_conflicts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_incidents,
		    setup, teardown),
	};

	return store_contract_run(&sqlite_backend, tests,
	    sizeof(tests) / sizeof(tests[0]));
}
