/* Golden files for the vuln readers (golden.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"
#include "testutil.h"

char *
golden_path(const char *rel)
{
	const char *base = getenv("CYBEX_TESTDATA");
	size_t n;
	char *p;

	if (base == NULL)
		base = "tests/data";
	n = strlen(base) + strlen(rel) + 2;
	if ((p = malloc(n)) != NULL)
		snprintf(p, n, "%s/%s", base, rel);
	return p;
}

int
golden_check(const char *path, const char *got, size_t len)
{
	const char *up = getenv("CYBEX_UPDATE_GOLDEN");
	size_t elen = 0;
	char *exp;
	FILE *f;

	if (up != NULL && strcmp(up, "1") == 0) {
		if ((f = fopen(path, "w")) == NULL ||
		    fwrite(got, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "cannot write %s\n", path);
			return -1;
		}
		return 0;
	}
	if ((exp = tu_read_file(path, &elen)) == NULL) {
		fprintf(stderr, "# %s: missing (CYBEX_UPDATE_GOLDEN=1 writes "
		    "it)\n# got:\n%.*s\n", path, (int)len, got);
		return -1;
	}
	if (elen != len || memcmp(exp, got, len) != 0) {
		fprintf(stderr, "# %s differs\n# expected:\n%s\n# got:\n%.*s\n",
		    path, exp, (int)len, got);
		free(exp);
		return -1;
	}
	free(exp);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
golden_list(const char *dir, const char *suffix, size_t *n)
{
	struct dirent *de;
	char **v = NULL, **nv;
	size_t cap = 0, sl = strlen(suffix), l;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l <= sl || strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		v[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), cmp_name);
	return v;
}

void
golden_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
