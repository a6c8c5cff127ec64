/*
 * cybex_store_import on one thread and on two: the same inputs must give
 * the same results either way (return code, counts, batches, every
 * rejection with its location, and what is stored, byte for byte).
 */
#include <sys/stat.h>

#include <dirent.h>
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

#define T0	"2020-01-01T00:00:00.000Z"
#define T1	"2020-02-01T00:00:00.000Z"
#define T2	"2020-03-01T00:00:00.000Z"

#define HEAD	"{\"type\":\"bundle\"," \
	"\"id\":\"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\",\"objects\":["

/* What one import did, written out so two runs can be compared. */
struct outcome {
	int			 rc;
	struct cybex_import_stats st;
	unsigned		 batches;
	struct cybex_buf	 log;	/* rejections, batches, then the rows */
};

static void
on_reject(void *ud, const struct cybex_diag *d)
{
	struct outcome *oc = ud;

	cybex_buf_printf(&oc->log, "reject %lu:%lu @%llu %s [%s] %s\n",
	    d->line, d->column, d->offset, cybex_strerror(d->code),
	    d->pointer, d->message);
}

static void
on_batch(void *ud, const struct cybex_import_stats *st)
{
	struct outcome *oc = ud;

	oc->batches++;
	cybex_buf_printf(&oc->log, "batch committed=%llu bytes=%llu\n",
	    (unsigned long long)st->committed, st->bytes);
}

/* For the test of the outcome and progress hooks. */
static uint64_t skip_first;	/* opts.skip */
static unsigned fail_commit;	/* before_commit fails on this call (1-based) */
static unsigned ncommits;

static void
on_object(void *ud, const struct cybex_import_object *ob)
{
	struct outcome *oc = ud;

	cybex_buf_printf(&oc->log, "object %llu %d %s %s\n",
	    (unsigned long long)ob->index, (int)ob->outcome,
	    ob->code != 0 ? cybex_strerror(ob->code) : "-",
	    ob->diag != NULL ? ob->diag->pointer : "-");
}

static int
before_commit(void *ud, const struct cybex_import_stats *st, bool last,
    struct cybex_diag *d)
{
	struct outcome *oc = ud;

	cybex_buf_printf(&oc->log, "before objects=%llu last=%d\n",
	    (unsigned long long)st->objects, (int)last);
	if (++ncommits == fail_commit)
		return cybex_diag_set(d, CYBEX_EIO, "the hook failed");
	return 0;
}

static int
on_row(void *ud, const struct cybex_row *r)
{
	struct outcome *oc = ud;

	cybex_buf_printf(&oc->log, "row %s %s %s %.*s\n", r->id, r->version,
	    r->media_type, (int)r->len, r->json);
	return 0;
}

/* A fresh database in its own directory. */
static void
db_new(char *dir, size_t dirsz, char *dsn, size_t dsnsz)
{
	snprintf(dir, dirsz, "/tmp/cybex-import-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(dsn, dsnsz, "%s/t.db", dir);
}

static void
db_remove(const char *dir)
{
	char p[512];
	struct dirent *e;
	DIR *dp;

	if ((dp = opendir(dir)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(dp);
	}
	rmdir(dir);
}

/*
 * Import each of texts[0..n) in turn into a new database with threads
 * (1 or 2) and record everything; then list what the collection holds.
 */
static void
run(const char *const *texts, size_t n, size_t batch, bool aon, int threads,
    struct outcome *oc)
{
	struct cybex_import_opts o = { 0 };
	struct cybex_stix_reader *r = NULL;
	struct cybex_import_stats st;
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	struct cybex_store *s = NULL;
	struct cybex_query q = { 0 };
	struct cybex_page page;
	struct cybex_diag d;
	char dir[64], dsn[128];
	size_t i;

	memset(oc, 0, sizeof(*oc));
	cybex_buf_init(&oc->log, 0);
	db_new(dir, sizeof(dir), dsn, sizeof(dsn));
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_store_collection_get(s, CYBEX_DEFAULT_COLLECTION,
	    a, &c, &d), 0);
	o.batch = batch;
	o.all_or_nothing = aon;
	o.on_reject = on_reject;
	o.on_batch = on_batch;
	o.ud = oc;
	o.threads = threads;
	o.on_object = on_object;
	o.before_commit = before_commit;
	o.skip = skip_first;
	ncommits = 0;
	for (i = 0; i < n; i++) {
		assert_int_equal(cybex_stix_reader_new_mem(texts[i],
		    strlen(texts[i]), NULL, &r), 0);
		cybex_diag_clear(&d);
		oc->rc = cybex_store_import(s, c.id, r, &o, &st, &d);
		cybex_buf_printf(&oc->log, "import %zu: %d %lu:%lu %s\n", i,
		    oc->rc, d.line, d.column, oc->rc != 0 ? d.message : "");
		cybex_buf_printf(&oc->log, "stats %llu %llu %llu %llu %llu "
		    "%llu %llu %llu\n", (unsigned long long)st.objects,
		    (unsigned long long)st.added, (unsigned long long)st.linked,
		    (unsigned long long)st.present,
		    (unsigned long long)st.rejected,
		    (unsigned long long)st.committed, st.bytes,
		    (unsigned long long)st.bad_bundles);
		oc->st = st;
		cybex_stix_reader_free(r);
		r = NULL;
	}
	q.coll_id = c.id;
	q.versions = CYBEX_VERSION_ALL;
	assert_int_equal(cybex_store_query(s, &q, on_row, oc, &page, &d), 0);
	cybex_store_close(s);
	cybex_arena_free(a);
	db_remove(dir);
}

/* Both modes, compared; returns the one-thread outcome for more checks. */
static void
both(const char *const *texts, size_t n, size_t batch, bool aon,
    struct outcome *one)
{
	struct outcome two;

	run(texts, n, batch, aon, 1, one);
	run(texts, n, batch, aon, 2, &two);
	if (one->log.len != two.log.len ||
	    memcmp(one->log.data, two.log.data, one->log.len) != 0)
		fail_msg("one thread:\n%s\ntwo threads:\n%s", one->log.data,
		    two.log.data);
	cybex_buf_free(&two.log);
}

/* A valid tool, number k, with this modified. */
static void
tool(struct cybex_buf *b, unsigned k, const char *modified, const char *name)
{
	cybex_buf_printf(b, "{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--00000000-0000-4000-8000-%012x\",\"created\":\""
	    T0 "\",\"modified\":\"%s\",\"name\":\"%s\"}", k, modified, name);
}

/* A bundle of n valid tools (numbers 0..n-1), left open after the last. */
static void
tools(struct cybex_buf *b, unsigned n)
{
	unsigned k;

	cybex_buf_puts(b, HEAD);
	for (k = 0; k < n; k++) {
		if (k > 0)
			cybex_buf_puts(b, ",\n");
		tool(b, k, T1, "t");
	}
}

static void
test_many_batches(void **state)
{
	struct cybex_buf b;
	struct outcome oc;
	const char *texts[1];

	(void)state;
	cybex_buf_init(&b, 0);
	tools(&b, 1000);
	/* The same object again: present, not added twice. */
	cybex_buf_puts(&b, ",\n");
	tool(&b, 5, T1, "t");
	cybex_buf_puts(&b, "]}");
	texts[0] = b.data;
	both(texts, 1, 64, false, &oc);
	assert_int_equal(oc.rc, 0);
	assert_int_equal(oc.st.objects, 1001);
	assert_int_equal(oc.st.added, 1000);
	assert_int_equal(oc.st.present, 1);
	assert_int_equal(oc.st.committed, 1001);
	assert_int_equal(oc.batches, 1000 / 64 + 1);
	cybex_buf_free(&oc.log);
	cybex_buf_free(&b);
}

static void
test_rejects_and_conflicts(void **state)
{
	struct cybex_buf b1, b2;
	struct outcome oc;
	const char *texts[2];

	(void)state;
	cybex_buf_init(&b1, 0);
	cybex_buf_init(&b2, 0);
	cybex_buf_puts(&b1, HEAD "\n");
	tool(&b1, 1, T1, "one");
	cybex_buf_puts(&b1, ",\n{\"type\":\"tool\",\"spec_version\":\"2.1\","
	    "\"id\":\"tool--00000000-0000-4000-8000-000000000002\","
	    "\"created\":\"" T1 "\",\"modified\":\"" T0 "\",\"name\":\"x\"},\n"
	    "{\"type\":\"tool\",\"id\":\"nope\"},\n");
	tool(&b1, 3, T1, "three");
	cybex_buf_puts(&b1, "]}");
	/* Second file: a changed object under a known version; JSON lines. */
	tool(&b2, 1, T1, "one, changed");
	cybex_buf_puts(&b2, "\n");
	tool(&b2, 1, T2, "one, newer");
	cybex_buf_puts(&b2, "\n");
	tool(&b2, 3, T1, "three");
	cybex_buf_puts(&b2, "\n");
	texts[0] = b1.data;
	texts[1] = b2.data;
	both(texts, 2, 2, false, &oc);
	assert_int_equal(oc.rc, 0);
	assert_int_equal(oc.st.objects, 3);
	assert_int_equal(oc.st.added, 1);
	assert_int_equal(oc.st.present, 1);
	assert_int_equal(oc.st.rejected, 1);
	assert_int_equal(oc.st.conflicts, 1);
	/* Located in the input: line 3 is the second object. */
	assert_non_null(strstr(oc.log.data, "reject 3:124 @380 CYBEX_ESTIX: "
	    "invalid STIX [/objects/1/modified]"));
	assert_non_null(strstr(oc.log.data, "reject 4:16 @446 CYBEX_ESTIX: "
	    "invalid STIX [/objects/2/id]"));
	assert_non_null(strstr(oc.log.data, "reject 1:1 @0 CYBEX_ECONFLICT"));
	cybex_buf_free(&oc.log);

	/* All or nothing: the first file has rejects, nothing is kept. */
	both(texts, 1, 2, true, &oc);
	assert_int_equal(oc.rc, CYBEX_ESTIX);
	assert_int_equal(oc.st.added, 0);
	assert_null(strstr(oc.log.data, "row "));
	cybex_buf_free(&oc.log);
	cybex_buf_free(&b1);
	cybex_buf_free(&b2);
}

static void
test_broken_input(void **state)
{
	struct cybex_buf b;
	struct outcome oc;
	const char *texts[1];

	(void)state;
	cybex_buf_init(&b, 0);
	tools(&b, 10);
	/* Not JSON after ten good objects: the good prefix is kept. */
	cybex_buf_puts(&b, ",\n{\"type\":\"tool\",\"a\":tru}]}");
	texts[0] = b.data;
	both(texts, 1, 4, false, &oc);
	assert_int_equal(oc.rc, CYBEX_EJSON);
	assert_int_equal(oc.st.added, 10);
	assert_int_equal(oc.st.committed, 10);
	assert_non_null(strstr(oc.log.data, "import 0: -6 11:"));
	cybex_buf_free(&oc.log);
	/* The same all or nothing: nothing is kept. */
	both(texts, 1, 4, true, &oc);
	assert_int_equal(oc.rc, CYBEX_EJSON);
	assert_null(strstr(oc.log.data, "row "));
	cybex_buf_free(&oc.log);
	cybex_buf_free(&b);
}

/*
 * Every object's outcome, in input order with its index; the progress
 * hook before each commit (last on the final one); a failing hook rolls
 * its batch back and ends the import; skip passes over the first objects.
 */
static void
test_outcomes_and_progress(void **state)
{
	struct cybex_buf b;
	struct outcome oc;
	const char *texts[1];

	(void)state;
	cybex_buf_init(&b, 0);
	cybex_buf_puts(&b, HEAD "\n");
	tool(&b, 0, T1, "zero");
	cybex_buf_puts(&b, ",\n");
	tool(&b, 1, T1, "one");
	cybex_buf_puts(&b, ",\n{\"type\":\"tool\",\"id\":\"nope\"},\n");
	tool(&b, 3, T1, "three");
	cybex_buf_puts(&b, ",\n");
	tool(&b, 1, T1, "one");
	cybex_buf_puts(&b, ",\n");
	tool(&b, 1, T1, "one, changed");
	cybex_buf_puts(&b, "]}");
	texts[0] = b.data;
	both(texts, 1, 2, false, &oc);
	assert_int_equal(oc.rc, 0);
	assert_non_null(strstr(oc.log.data, "object 0 1 - -\n"
	    "object 1 1 - -\nbefore objects=2 last=0\n"));
	assert_non_null(strstr(oc.log.data, "object 2 4 CYBEX_ESTIX: invalid "
	    "STIX /objects/2/"));
	/* Batches count stored objects. */
	assert_non_null(strstr(oc.log.data, "object 3 1 - -\n"
	    "object 4 3 - -\nbefore objects=5 last=0\n"));
	assert_non_null(strstr(oc.log.data, "object 5 6 CYBEX_ECONFLICT: "
	    "conflicts with stored data /objects/5\n"
	    "before objects=6 last=1\n"));
	cybex_buf_free(&oc.log);

	/* Resuming after the first three: neither stored nor reported. */
	skip_first = 3;
	both(texts, 1, 2, false, &oc);
	skip_first = 0;
	assert_int_equal(oc.rc, 0);
	assert_int_equal(oc.st.skipped, 3);
	assert_int_equal(oc.st.objects, 6);
	assert_null(strstr(oc.log.data, "object 0 "));
	assert_null(strstr(oc.log.data, "object 2 "));
	assert_non_null(strstr(oc.log.data, "object 3 1 - -\n"
	    "object 4 1 - -\nbefore objects=5 last=0\n"));
	assert_null(strstr(oc.log.data, "\"zero\""));
	assert_non_null(strstr(oc.log.data, "\"three\""));
	cybex_buf_free(&oc.log);

	/* The second batch's hook fails: only the first batch is kept. */
	fail_commit = 2;
	both(texts, 1, 2, false, &oc);
	fail_commit = 0;
	assert_int_equal(oc.rc, CYBEX_EIO);
	assert_int_equal(oc.st.committed, 2);
	assert_non_null(strstr(oc.log.data, "\"one\""));
	assert_null(strstr(oc.log.data, "\"three\""));
	cybex_buf_free(&oc.log);
	cybex_buf_free(&b);
}

static int
count_row(void *ud, const struct cybex_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

static size_t
rows_in(struct cybex_store *s, const char *coll)
{
	struct cybex_query q = { 0 };
	struct cybex_page page;
	struct cybex_diag d;
	size_t n = 0;

	q.coll_id = coll;
	q.versions = CYBEX_VERSION_ALL;
	assert_int_equal(cybex_store_query(s, &q, count_row, &n, &page, &d), 0);
	return n;
}

/*
 * Issue 25: a 'modified' of 9999-12-31T23:59:60.999Z (a leap second that
 * normalizes into year 10000) was valid to the validator but could not be
 * written as a version key; the store's error aborted the whole import.
 * Now that object alone is rejected, with its location, and the rest is
 * stored.
 */
static void
test_unstorable_timestamp(void **state)
{
	struct cybex_buf b;
	struct outcome oc;
	const char *texts[1];

	(void)state;
	cybex_buf_init(&b, 0);
	cybex_buf_puts(&b, HEAD "\n");
	tool(&b, 1, T1, "one");
	cybex_buf_puts(&b, ",\n");
	tool(&b, 2, "9999-12-31T23:59:60.999Z", "leap");
	cybex_buf_puts(&b, ",\n");
	tool(&b, 3, T1, "three");
	cybex_buf_puts(&b, "]}");
	texts[0] = b.data;
	both(texts, 1, 2, false, &oc);
	assert_int_equal(oc.rc, 0);
	assert_int_equal(oc.st.objects, 3);
	assert_int_equal(oc.st.added, 2);
	assert_int_equal(oc.st.rejected, 1);
	assert_non_null(strstr(oc.log.data, "[/objects/1/modified]"));
	assert_non_null(strstr(oc.log.data, "past the range"));
	cybex_buf_free(&oc.log);
	cybex_buf_free(&b);
}

/*
 * An object put without validation whose version key cannot be made is
 * the object's fault (CYBEX_ESTIX), not the store's: callers reject that
 * one object and go on.
 */
static void
test_put_bad_modified(void **state)
{
	static const char *const mods[] = {
		"\"9999-12-31T23:59:60Z\"", "\"2020-13-01T00:00:00Z\"", "12",
	};
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	struct cybex_store *s = NULL;
	enum cybex_put_result res;
	struct cybex_diag d;
	struct cybex_buf b;
	json_t *j = NULL;
	char dir[64], dsn[128];
	size_t i;

	(void)state;
	db_new(dir, sizeof(dir), dsn, sizeof(dsn));
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_store_collection_get(s, CYBEX_DEFAULT_COLLECTION,
	    a, &c, &d), 0);
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		cybex_buf_init(&b, 0);
		cybex_buf_printf(&b, "{\"type\":\"tool\",\"spec_version\":"
		    "\"2.1\",\"id\":\"tool--00000000-0000-4000-8000-"
		    "000000000001\",\"created\":\"" T0 "\",\"modified\":%s,"
		    "\"name\":\"t\"}", mods[i]);
		assert_int_equal(cybex_json_parse(b.data, b.len, 0, &j, &d), 0);
		cybex_diag_clear(&d);
		assert_int_equal(cybex_store_put(s, c.id, j, b.data, b.len,
		    &res, &d), CYBEX_ESTIX);
		assert_non_null(strstr(d.message, "'modified'"));
		json_decref(j);
		cybex_buf_free(&b);
	}
	assert_int_equal(rows_in(s, c.id), 0);
	cybex_store_close(s);
	cybex_arena_free(a);
	db_remove(dir);
}

static enum cybex_put_result
put_tool(struct cybex_store *s, const char *coll, unsigned k)
{
	enum cybex_put_result res;
	struct cybex_diag d;
	struct cybex_buf b;
	json_t *j = NULL;

	cybex_buf_init(&b, 0);
	tool(&b, k, T1, "t");
	assert_int_equal(cybex_json_parse(b.data, b.len, 0, &j, &d), 0);
	if (cybex_store_put(s, coll, j, b.data, b.len, &res, &d) != 0)
		fail_msg("put %u: %s", k, d.message);
	json_decref(j);
	cybex_buf_free(&b);
	return res;
}

/*
 * Inside a transaction the store writes collection links in groups; what
 * it holds back must still be seen by every read in that transaction,
 * and must vanish with a rollback.
 */
static void
test_links_in_transaction(void **state)
{
	struct cybex_store_stats stats;
	struct cybex_collection c, c2;
	uint64_t n3 = 0;
	struct cybex_arena *a = NULL;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	char dir[64], dsn[128];
	unsigned k;

	(void)state;
	db_new(dir, sizeof(dir), dsn, sizeof(dsn));
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_store_collection_get(s, CYBEX_DEFAULT_COLLECTION,
	    a, &c, &d), 0);
	memset(&c2, 0, sizeof(c2));
	c2.title = "second";
	assert_int_equal(cybex_store_collection_add(s, &c2, &d), 0);

	assert_int_equal(cybex_store_begin(s, &d), 0);
	for (k = 0; k < 45; k++)
		assert_int_equal(put_tool(s, c.id, k), CYBEX_PUT_ADDED);
	/* Some of these links are still held back: all must be seen. */
	assert_int_equal(rows_in(s, c.id), 45);
	assert_int_equal(cybex_store_collection_count(s, c.id, &n3, &d), 0);
	assert_int_equal(n3, 45);
	assert_int_equal(cybex_store_stats(s, NULL, NULL, &stats, &d), 0);
	assert_int_equal(stats.versions, 45);
	/* Known and linked, though the link may be pending: present. */
	for (k = 40; k < 50; k++)
		assert_int_equal(put_tool(s, c.id, k), k < 45 ?
		    CYBEX_PUT_PRESENT : CYBEX_PUT_ADDED);
	/* Into another collection: linked, also while pending. */
	for (k = 0; k < 3; k++)
		assert_int_equal(put_tool(s, c2.id, k), CYBEX_PUT_LINKED);
	for (k = 0; k < 3; k++)
		assert_int_equal(put_tool(s, c2.id, k), CYBEX_PUT_PRESENT);
	assert_int_equal(rows_in(s, c2.id), 3);
	assert_int_equal(cybex_store_commit(s, &d), 0);
	assert_int_equal(rows_in(s, c.id), 50);
	assert_int_equal(rows_in(s, c2.id), 3);

	/* Rolled back: none of it, pending or written, remains. */
	assert_int_equal(cybex_store_begin(s, &d), 0);
	for (k = 100; k < 170; k++)
		assert_int_equal(put_tool(s, c.id, k), CYBEX_PUT_ADDED);
	assert_int_equal(cybex_store_rollback(s), 0);
	assert_int_equal(rows_in(s, c.id), 50);
	/* A put outside a transaction is written at once. */
	assert_int_equal(put_tool(s, c.id, 200), CYBEX_PUT_ADDED);
	assert_int_equal(rows_in(s, c.id), 51);
	assert_int_equal(cybex_store_check(s, NULL, NULL, &d), 0);
	cybex_store_close(s);

	/* And what was committed is there after a reopen. */
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	assert_int_equal(rows_in(s, c.id), 51);
	assert_int_equal(rows_in(s, c2.id), 3);
	cybex_store_close(s);
	/* A new database has 16 KiB pages. */
	{
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;

		assert_int_equal(sqlite3_open_v2(dsn, &db, SQLITE_OPEN_READONLY,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_size", -1,
		    &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 16384);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	cybex_arena_free(a);
	db_remove(dir);
}

/* Run sql on the database at dsn with a connection of its own. */
static void
sql_on(const char *dsn, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(dsn, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/*
 * A commit that fails ends the transaction as a rollback does: the last
 * date_added it held back for the collection is not written later.
 */
static void
test_failed_commit(void **state)
{
	struct cybex_collection c, c2;
	struct cybex_arena *a = NULL;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char dir[64], dsn[128];

	(void)state;
	db_new(dir, sizeof(dir), dsn, sizeof(dsn));
	assert_int_equal(cybex_store_open(dsn, 0, &s, &d), 0);
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_store_collection_get(s, CYBEX_DEFAULT_COLLECTION,
	    a, &c, &d), 0);
	memset(&c2, 0, sizeof(c2));
	c2.title = "second";
	assert_int_equal(cybex_store_collection_add(s, &c2, &d), 0);
	sql_on(dsn, "CREATE TRIGGER no_last BEFORE UPDATE OF last_added_us "
	    "ON collections BEGIN SELECT RAISE(ABORT, 'no'); END");
	assert_int_equal(cybex_store_begin(s, &d), 0);
	assert_int_equal(put_tool(s, c.id, 1), CYBEX_PUT_ADDED);
	assert_int_not_equal(cybex_store_commit(s, &d), 0);
	assert_int_equal(rows_in(s, c.id), 0);
	sql_on(dsn, "DROP TRIGGER no_last");
	/* Written at once, outside a transaction, into the other one. */
	assert_int_equal(put_tool(s, c2.id, 2), CYBEX_PUT_ADDED);
	cybex_store_close(s);
	assert_int_equal(sqlite3_open_v2(dsn, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT last_added_us FROM "
	    "collections WHERE id = ?1", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	cybex_arena_free(a);
	db_remove(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_batches),
		cmocka_unit_test(test_rejects_and_conflicts),
		cmocka_unit_test(test_broken_input),
		cmocka_unit_test(test_unstorable_timestamp),
		cmocka_unit_test(test_put_bad_modified),
		cmocka_unit_test(test_links_in_transaction),
		cmocka_unit_test(test_failed_commit),
		cmocka_unit_test(test_outcomes_and_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
