/* What the benchmarks share: a clock, measuring in a child, a warm cache. */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench_util.h"

double
bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
bench_in_child(void (*fn)(void *arg, void *res), void *arg, void *res,
    size_t ressz, long *maxrss_kb)
{
	struct rusage ru;
	pid_t pid;
	ssize_t got;
	int p[2], st;

	memset(&ru, 0, sizeof(ru));
	*maxrss_kb = 0;
	if (pipe(p) == -1)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		fn(arg, res);
		got = write(p[1], res, ressz);
		_exit(got == (ssize_t)ressz ? 0 : 1);
	}
	close(p[1]);
	got = read(p[0], res, ressz);
	close(p[0]);
	while (wait4(pid, &st, 0, &ru) == -1 && errno == EINTR)
		;
	*maxrss_kb = ru.ru_maxrss;
	if (got != (ssize_t)ressz || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

int
bench_warm(const char *prog, const char *path, unsigned long long *size)
{
	char buf[1 << 16];
	ssize_t got;
	int fd;

	*size = 0;
	if ((fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		*size += (unsigned long long)got;
	close(fd);
	return got == 0 ? 0 : -1;
}

int
bench_jansson_file(const char *path, double *secs, unsigned long *objects,
    char *msg, size_t msgsz)
{
	json_error_t err;
	json_t *root;
	double t0 = bench_now();

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	*secs = bench_now() - t0;
	if (root == NULL) {
		snprintf(msg, msgsz, "%d:%d: %s", err.line, err.column,
		    err.text);
		return -1;
	}
	*objects = (unsigned long)json_array_size(json_object_get(root,
	    "objects"));
	/* Freeing is not part of the parse; it happens after the clock. */
	json_decref(root);
	return 0;
}
