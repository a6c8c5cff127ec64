/*
 * Replay driver for builds without libFuzzer: runs every file named on the
 * command line (a directory stands for the files in it, one level down,
 * sorted, dot files skipped) through LLVMFuzzerTestOneInput and prints TAP,
 * "ok N - path" per file and the plan "1..N" at the end.  A target that
 * finds a broken invariant aborts, which fails the test by itself; a file
 * that cannot be read is "not ok".
 *
 * Each input is copied into a buffer of exactly its size so AddressSanitizer
 * catches a read one byte past the end, as under libFuzzer.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX	(64u * 1024 * 1024)

struct counts {
	unsigned	 n;
	unsigned	 failed;
};

/* Read all of path into a malloc'd buffer of exactly its size. */
static int
slurp(const char *path, uint8_t **out, size_t *lenp)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t len = 0;
	ssize_t got;
	int fd = -1, r = -1;

	*out = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		goto out;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < 0 || (unsigned long long)st.st_size > INPUT_MAX)
		goto out;
	/* malloc(0) may return NULL; keep one byte then, but pass size 0. */
	if ((p = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL)
		goto out;
	while (len < (size_t)st.st_size) {
		got = read(fd, p + len, (size_t)st.st_size - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			goto out;
		len += (size_t)got;
	}
	*out = p;
	*lenp = len;
	p = NULL;
	r = 0;
 out:
	if (fd != -1)
		close(fd);
	free(p);
	return r;
}

static void
run_file(const char *path, struct counts *c)
{
	uint8_t *data = NULL;
	size_t len;

	c->n++;
	if (slurp(path, &data, &len) != 0) {
		printf("not ok %u - %s # cannot read: %s\n", c->n, path,
		    strerror(errno));
		c->failed++;
		goto out;
	}
	/* A crash here kills the process: the harness sees no plan. */
	fflush(stdout);
	(void)LLVMFuzzerTestOneInput(data, len);
	printf("ok %u - %s\n", c->n, path);
 out:
	free(data);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_dir(const char *dir, struct counts *c)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn, *path;
	size_t cnt = 0, cap = 0, i, len;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL) {
		c->n++;
		c->failed++;
		printf("not ok %u - %s # cannot open: %s\n", c->n, dir,
		    strerror(errno));
		goto out;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(dir) + 1 + strlen(de->d_name) + 1;
		if ((path = malloc(len)) == NULL)
			break;
		snprintf(path, len, "%s/%s", dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nn = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				free(path);
				break;
			}
			names = nn;
		}
		names[cnt++] = path;
	}
	closedir(dp);
	if (cnt > 0)
		qsort(names, cnt, sizeof(*names), name_cmp);
	for (i = 0; i < cnt; i++) {
		run_file(names[i], c);
		free(names[i]);
	}
 out:
	free(names);
}

int
main(int argc, char **argv)
{
	struct counts c = { 0, 0 };
	struct stat st;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i], &c);
		else
			run_file(argv[i], &c);
	}
	printf("1..%u\n", c.n);
	return c.failed != 0 ? 1 : 0;
}
