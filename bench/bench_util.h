/* What the benchmarks share: a clock, measuring in a child, a warm cache. */
#ifndef CYBEX_BENCH_UTIL_H
#define CYBEX_BENCH_UTIL_H

#include <stddef.h>

/* Seconds on the monotonic clock. */
double	bench_now(void);
/*
 * Run fn(arg, res) in a forked child so that its peak RSS is its own, and
 * copy the res it filled (ressz bytes) back over a pipe.  *maxrss_kb gets
 * the child's peak RSS.  0 when the child ran to its end and sent res.
 */
int	bench_in_child(void (*fn)(void *arg, void *res), void *arg, void *res,
	    size_t ressz, long *maxrss_kb);
/*
 * The reference: jansson's parse of the whole file.  0 with *secs and
 * *objects (the bundle's "objects"), or -1 with msg[0..msgsz) saying why.
 */
int	bench_jansson_file(const char *path, double *secs,
	    unsigned long *objects, char *msg, size_t msgsz);
/* Read path once so that measurements start from a warm page cache. */
int	bench_warm(const char *prog, const char *path,
	    unsigned long long *size);

#endif
