/*
 * bench_import: how fast and in how little memory cybex imports STIX into
 * its SQLite store.
 *
 *   bench_import run FILE [REPS]   in one run, on the same file, each
 *                                measurement REPS times (default 3), the
 *                                best (shortest) kept:
 *                                jansson json_load_file of the whole file
 *                                (the reference: parse only),
 *                                cybex streaming read + validate (no store),
 *                                cybex_store_import into a fresh SQLite db
 *                                (parse, validate, store), on every CPU
 *                                and pinned to one CPU
 *   bench_import import FILE DB    cybex_store_import only, into DB (which
 *                                must not exist), in this process: for
 *                                perf record, callgrind, taskset
 *
 * BENCH_IMPORT_BATCH sets the objects per transaction (default: the
 * library's, 50000); BENCH_IMPORT_THREADS sets cybex_import_opts.threads
 * (default 0: two threads when the process may use more than one CPU).
 *
 * FILE is a bundle such as `bench_validate gen` writes.  Every measurement
 * runs in a forked child so its peak RSS (wait4 ru_maxrss) is its own; the
 * child sends its numbers back over a pipe.  cpu_s is the child's user +
 * system time for the measured part (all its threads); time_s - cpu_s on
 * one CPU is time spent waiting (fsync, or other processes on that CPU).
 * The databases are made in a temporary directory next to FILE and
 * removed.  Targets: >= 50,000 objects/s end to end on one core, peak RSS
 * < 128 MB whatever the input size.  The last line of `run` is
 * machine-readable for scripts/bench:
 *   import_summary: objs_per_s_1cpu=N objs_per_s=N peak_rss_kb=N
 */
#define _GNU_SOURCE		/* sched_setaffinity */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "bench_util.h"

#define TARGET_OBJS_S	50000.0
#define TARGET_RSS_MB	128.0

struct result {
	int			 ok;
	double			 secs;
	double			 cpu;		/* user + system, seconds */
	unsigned long		 objects;
	unsigned long		 invalid;
	struct cybex_import_stats st;
	unsigned long long	 db_bytes;
	char			 msg[CYBEX_DIAG_MSG_MAX + 64];
};

enum measure { M_JANSSON, M_VALIDATE, M_IMPORT, M_IMPORT_1CPU };

/* User + system time of this process (all threads), seconds. */
static double
cpu_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
measure_jansson(const char *path, struct result *res)
{
	double c0 = cpu_now();

	res->ok = bench_jansson_file(path, &res->secs, &res->objects,
	    res->msg, sizeof(res->msg)) == 0;
	res->cpu = cpu_now() - c0;
}

static void
measure_validate(const char *path, struct result *res)
{
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_item it;
	struct cybex_diag d;
	double t0, c0;
	int fd, rc;

	if ((fd = open(path, O_RDONLY)) == -1) {
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(errno));
		return;
	}
	t0 = bench_now();
	c0 = cpu_now();
	if (cybex_stix_reader_new(fd, NULL, &r) != 0)
		goto out;
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		res->objects++;
		if (cybex_stix_validate(it.json, NULL, it.pointer, NULL, NULL,
		    NULL) != 0)
			res->invalid++;
	}
	res->secs = bench_now() - t0;
	res->cpu = cpu_now() - c0;
	if (rc < 0) {
		snprintf(res->msg, sizeof(res->msg), "%lu:%lu: %s", d.line,
		    d.column, d.message);
		goto out;
	}
	res->ok = 1;
 out:
	cybex_stix_reader_free(r);
	close(fd);
}

static unsigned long long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (unsigned long long)st.st_size : 0;
}

/* A number from the environment (at most max), else 0. */
static unsigned long
env_number(const char *name, unsigned long max)
{
	const char *v = getenv(name);
	unsigned long n;
	char *end;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	return errno == 0 && *end == '\0' && n <= max ? n : 0;
}

/* Import path into a new database db: open, import, close (checkpoint). */
static void
measure_import(const char *path, const char *db, struct result *res)
{
	struct cybex_import_opts o = { 0 };
	struct cybex_stix_reader *r = NULL;
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	char wal[PATH_MAX + 8];
	double t0, c0;
	int fd, rc;

	cybex_diag_clear(&d);
	if ((fd = open(path, O_RDONLY)) == -1) {
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(errno));
		return;
	}
	t0 = bench_now();
	c0 = cpu_now();
	if ((rc = cybex_store_open(db, 0, &s, &d)) != 0 ||
	    (rc = cybex_arena_new(0, &a)) != 0 ||
	    (rc = cybex_store_collection_get(s, CYBEX_DEFAULT_COLLECTION, a,
	    &c, &d)) != 0 ||
	    (rc = cybex_stix_reader_new(fd, NULL, &r)) != 0) {
		snprintf(res->msg, sizeof(res->msg), "%s: %s",
		    cybex_strerror(rc), d.message);
		goto out;
	}
	o.batch = env_number("BENCH_IMPORT_BATCH", 10000000UL);
	o.threads = (int)env_number("BENCH_IMPORT_THREADS", 2);
	rc = cybex_store_import(s, c.id, r, &o, &res->st, &d);
	if (rc != 0) {
		snprintf(res->msg, sizeof(res->msg), "import: %lu:%lu: %s",
		    d.line, d.column, d.message);
		goto out;
	}
	/* Closing checkpoints the WAL: part of the cost of an import. */
	cybex_store_close(s);
	s = NULL;
	res->secs = bench_now() - t0;
	res->cpu = cpu_now() - c0;
	res->objects = (unsigned long)res->st.objects;
	snprintf(wal, sizeof(wal), "%s-wal", db);
	res->db_bytes = file_size(db) + file_size(wal);
	res->ok = 1;
 out:
	cybex_stix_reader_free(r);
	cybex_store_close(s);
	cybex_arena_free(a);
	close(fd);
}

/* Remove dir and the database files in it. */
static void
remove_dir(const char *dir)
{
	char p[PATH_MAX + 256];
	struct dirent *e;
	DIR *dp;

	if ((dp = opendir(dir)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(dp);
	}
	rmdir(dir);
}

/* Run one measurement in a child; *maxrss_kb gets its peak RSS. */
struct job {
	const char	*path;
	const char	*db;
	enum measure	 m;
};

static void
child(void *arg, void *out)
{
	const struct job *j = arg;
	struct result *res = out;
	cpu_set_t set;

	if (j->m == M_IMPORT_1CPU) {
		CPU_ZERO(&set);
		CPU_SET(0, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0) {
			snprintf(res->msg, sizeof(res->msg),
			    "sched_setaffinity: %s", strerror(errno));
			return;
		}
	}
	if (j->m == M_JANSSON)
		measure_jansson(j->path, res);
	else if (j->m == M_VALIDATE)
		measure_validate(j->path, res);
	else
		measure_import(j->path, j->db, res);
}

/*
 * One measurement, reps times, each in its own child: the shortest run is
 * kept, and the highest peak RSS of all.  The database is removed between
 * runs (it must be new each time).
 */
static int
measure(const char *path, const char *db, enum measure m, int reps,
    struct result *res, long *maxrss_kb)
{
	struct job j = { path, db, m };
	struct result one;
	char wal[PATH_MAX + 16];
	long kb;
	int i;

	memset(res, 0, sizeof(*res));
	*maxrss_kb = 0;
	for (i = 0; i < reps; i++) {
		memset(&one, 0, sizeof(one));
		if (bench_in_child(child, &j, &one, sizeof(one), &kb) != 0) {
			snprintf(res->msg, sizeof(res->msg), "child failed");
			res->ok = 0;
			return -1;
		}
		if (!one.ok) {
			*res = one;
			return -1;
		}
		if (kb > *maxrss_kb)
			*maxrss_kb = kb;
		if (i == 0 || one.secs < res->secs)
			*res = one;
		if (db != NULL) {
			unlink(db);
			snprintf(wal, sizeof(wal), "%s-wal", db);
			unlink(wal);
			snprintf(wal, sizeof(wal), "%s-shm", db);
			unlink(wal);
		}
	}
	return 0;
}

static void
print_row(const char *name, const struct result *res, long rss_kb,
    unsigned long long size)
{
	if (!res->ok) {
		printf("%-40s FAILED: %s\n", name, res->msg);
		return;
	}
	printf("%-40s %8.2f %7.2f %9.1f %11.0f %11.1f\n", name, res->secs,
	    res->cpu, (double)size / 1e6 / res->secs,
	    (double)res->objects / res->secs, (double)rss_kb / 1024.0);
}

static void
print_import(const struct result *res)
{
	if (!res->ok)
		return;
	printf("  %llu objects: %llu added, %llu linked, %llu present, %llu "
	    "rejected; database %.1f MB\n",
	    (unsigned long long)res->st.objects,
	    (unsigned long long)res->st.added,
	    (unsigned long long)res->st.linked,
	    (unsigned long long)res->st.present,
	    (unsigned long long)res->st.rejected,
	    (double)res->db_bytes / 1e6);
}

/* A fresh directory for databases, next to FILE. */
static int
db_dir(const char *path, char *dir, size_t dirsz)
{
	const char *slash = strrchr(path, '/');
	int n;

	if (slash == NULL)
		n = snprintf(dir, dirsz, "./bench-import-XXXXXX");
	else
		n = snprintf(dir, dirsz, "%.*s/bench-import-XXXXXX",
		    (int)(slash - path), path);
	if (n < 0 || (size_t)n >= dirsz || mkdtemp(dir) == NULL) {
		fprintf(stderr, "bench_import: cannot make a directory next "
		    "to %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
cmd_run(const char *path, int reps)
{
	struct result rj, rv, ri, r1;
	unsigned long long size;
	char dir[PATH_MAX], db[PATH_MAX + 16], db1[PATH_MAX + 16];
	long kj, kv, ki, k1, kmax;
	int r = 1;

	if (bench_warm("bench_import", path, &size) != 0 ||
	    db_dir(path, dir, sizeof(dir)) != 0)
		return 1;
	snprintf(db, sizeof(db), "%s/all.db", dir);
	snprintf(db1, sizeof(db1), "%s/one.db", dir);
	printf("file: %s (%.1f MB), %ld CPUs, best of %d\n", path,
	    (double)size / 1e6, sysconf(_SC_NPROCESSORS_ONLN), reps);
	printf("%-40s %8s %7s %9s %11s %11s\n", "measurement", "time_s",
	    "cpu_s", "MB/s", "objects/s", "peak_RSS_MB");
	(void)measure(path, NULL, M_JANSSON, reps, &rj, &kj);
	print_row("jansson json_load_file (parse only)", &rj, kj, size);
	(void)measure(path, NULL, M_VALIDATE, reps, &rv, &kv);
	print_row("cybex read + validate (no store)", &rv, kv, size);
	(void)measure(path, db, M_IMPORT, reps, &ri, &ki);
	print_row("cybex_store_import, all CPUs", &ri, ki, size);
	print_import(&ri);
	(void)measure(path, db1, M_IMPORT_1CPU, reps, &r1, &k1);
	print_row("cybex_store_import, pinned to 1 CPU", &r1, k1, size);
	print_import(&r1);
	remove_dir(dir);
	if (!rj.ok || !rv.ok || !ri.ok || !r1.ok)
		goto out;
	if (rj.objects != ri.objects)
		printf("  object counts differ: jansson %lu, import %lu\n",
		    rj.objects, ri.objects);
	kmax = ki > k1 ? ki : k1;
	printf("end to end on 1 CPU: %.0f objects/s (target >= %.0f: %s)\n",
	    (double)r1.objects / r1.secs, TARGET_OBJS_S,
	    (double)r1.objects / r1.secs >= TARGET_OBJS_S ? "met" : "MISSED");
	printf("import peak RSS: %.1f MB (target < %.0f MB: %s); jansson "
	    "%.1f MB\n", (double)kmax / 1024.0, TARGET_RSS_MB,
	    (double)kmax / 1024.0 < TARGET_RSS_MB ? "met" : "MISSED",
	    (double)kj / 1024.0);
	printf("import_summary: objs_per_s_1cpu=%.0f objs_per_s=%.0f "
	    "peak_rss_kb=%ld\n", (double)r1.objects / r1.secs,
	    (double)ri.objects / ri.secs, kmax);
	r = 0;
 out:
	return r;
}

/* In this process, for perf record. */
static int
cmd_import(const char *path, const char *db)
{
	struct result res;
	unsigned long long size;
	struct stat st;

	if (stat(db, &st) == 0) {
		fprintf(stderr, "bench_import: %s exists; give a new path\n",
		    db);
		return 1;
	}
	if (bench_warm("bench_import", path, &size) != 0)
		return 1;
	memset(&res, 0, sizeof(res));
	measure_import(path, db, &res);
	print_row("cybex_store_import", &res, 0, size);
	print_import(&res);
	return res.ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	long reps = 3;
	char *end;

	if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0) {
		if (argc == 4) {
			errno = 0;
			reps = strtol(argv[3], &end, 10);
			if (errno != 0 || *end != '\0' || reps < 1 || reps > 100)
				goto usage;
		}
		return cmd_run(argv[2], (int)reps);
	}
	if (argc == 4 && strcmp(argv[1], "import") == 0)
		return cmd_import(argv[2], argv[3]);
 usage:
	fprintf(stderr, "usage: bench_import run FILE [REPS]\n"
	    "       bench_import import FILE NEW_DB\n");
	return 2;
}
