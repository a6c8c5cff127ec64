/*
 * bench_incident [N] [DB]: the incident index with N incidents (default
 * 1,000,000; DB default a temporary file): how long a page of 100 takes,
 * first and deep (by keyset token), unfiltered and under each filter.
 * Rows go in through cybex_store_incident_put, one transaction.  Prints
 * milliseconds per page; never part of pass/fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/store_incident.h"

#include "bench_util.h"

static int
count(void *ud, const struct cybex_incident_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

static double
page(struct cybex_store *s, struct cybex_incident_filter *f, char *next,
    size_t *n)
{
	struct cybex_page pg;
	struct cybex_diag d;
	double t0 = bench_now();

	*n = 0;
	if (cybex_store_incident_list(s, f, count, n, &pg, &d) != 0) {
		fprintf(stderr, "bench_incident: %s\n", d.message);
		exit(1);
	}
	if (next != NULL)
		snprintf(next, 64, "%s", pg.more ? pg.next : "");
	return (bench_now() - t0) * 1000;
}

int
main(int argc, char **argv)
{
	static const char *const status[] = { "new", "triage", "in-progress",
	    "contained", "closed" };
	static const char *const users[] = { "alice", "bob", "carol", "dave" };
	struct cybex_incident_filter f;
	struct cybex_incident_row r;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	char path[256], id[300], title[64], next[64];
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000, i, k;
	double t0, ms;
	size_t got;

	if (n <= 0)
		return 2;
	if (argc > 2)
		snprintf(path, sizeof(path), "%s", argv[2]);
	else
		snprintf(path, sizeof(path), "/tmp/bench_incident.%ld.db",
		    (long)getpid());
	if (cybex_store_open(path, 0, &s, &d) != 0) {
		fprintf(stderr, "bench_incident: %s\n", d.message);
		return 1;
	}
	t0 = bench_now();
	if (cybex_store_begin(s, &d) != 0)
		return 1;
	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "incident--%08lx-0000-4000-8000-"
		    "000000000000", i);
		snprintf(title, sizeof(title), "incident %ld%s", i,
		    i % 1000 == 0 ? " ransomware" : "");
		r.id = id;
		r.modified = "2026-12-01T10:00:00.000000Z";
		r.status = status[i % 5];
		r.severity = 1 + (int)(i % 4);
		r.priority = 4 - (int)(i % 4);
		r.assignee = i % 10 == 0 ? users[(i / 10) % 4] : NULL;
		r.org = i % 7 == 0 ? "acme" : "other";
		r.class = "fraud";
		r.type = "phishing";
		r.tlp = 3;
		r.title = title;
		r.created_us = r.updated_us = 1796000000000000 + i;
		if (cybex_store_incident_put(s, &r, &d) != 0) {
			fprintf(stderr, "bench_incident: %s\n", d.message);
			return 1;
		}
	}
	if (cybex_store_commit(s, &d) != 0)
		return 1;
	printf("bench_incident: %ld incidents indexed in %.1f s\n", n,
	    bench_now() - t0);
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	ms = page(s, &f, next, &got);
	printf("  first page, no filter:        %7.3f ms (%zu)\n", ms, got);
	for (k = 0; k < 100 && next[0] != '\0'; k++) {
		f.next = next;
		ms = page(s, &f, next, &got);
	}
	printf("  page 101 by token:            %7.3f ms (%zu)\n", ms, got);
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	f.status = "triage";
	ms = page(s, &f, NULL, &got);
	printf("  status triage:                %7.3f ms (%zu)\n", ms, got);
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	f.assignee = "carol";
	ms = page(s, &f, NULL, &got);
	printf("  assignee carol:               %7.3f ms (%zu)\n", ms, got);
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	f.open_only = true;
	f.severity = 4;
	ms = page(s, &f, NULL, &got);
	printf("  open, severity 4:             %7.3f ms (%zu)\n", ms, got);
	memset(&f, 0, sizeof(f));
	f.limit = 100;
	f.text = "ransomware";
	ms = page(s, &f, NULL, &got);
	printf("  text 'ransomware' (1 in 1000): %7.3f ms (%zu)\n", ms, got);
	cybex_store_close(s);
	if (argc <= 2) {
		unlink(path);
		snprintf(id, sizeof(id), "%s-wal", path);
		unlink(id);
		snprintf(id, sizeof(id), "%s-shm", path);
		unlink(id);
	}
	return 0;
}
