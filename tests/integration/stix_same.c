/*
 * stix_same: do two sets of STIX files hold the same objects?
 *
 *   stix_same OUT IN...
 *
 * Reads every object of OUT (e.g. what `cybex export --version all` wrote)
 * and of the IN files (what was imported), keyed by id and version (the
 * "modified" timestamp, normalized; none for objects without one), and
 * checks that OUT holds each key exactly once, that OUT and IN have the
 * same keys, and that the objects under each key are equal JSON
 * (json_equal: member order does not matter).  An IN key seen twice with
 * equal content counts once (the store keeps one copy); with different
 * content the first is what a store keeps, and a note says so.
 *
 * Exit: 0 same, 1 different (the differences are printed, up to 20), 2 a
 * file could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#define SHOW_MAX	20

/* Add every object of path to map (key -> object); 0, or -1 on error. */
static int
load(const char *path, json_t *map, int is_out, unsigned long *nread,
    unsigned long *problems)
{
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_item it;
	struct cybex_diag d;
	char key[CYBEX_STIX_ID_MAX + CYBEX_VERSION_KEY_MAX + 2];
	char ver[CYBEX_VERSION_KEY_MAX];
	const char *id;
	json_t *old;
	int fd, rc, ret = -1;

	if ((fd = open(path, O_RDONLY)) < 0) {
		fprintf(stderr, "stix_same: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (cybex_stix_reader_new(fd, NULL, &r) != 0)
		goto out;
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		if (it.kind != CYBEX_STIX_ITEM_OBJECT)
			continue;
		(*nread)++;
		id = json_string_value(json_object_get(it.json, "id"));
		if (id == NULL || cybex_store_version_key(it.json, ver,
		    &d) != 0) {
			fprintf(stderr, "stix_same: %s:%lu:%lu: no id or bad "
			    "modified\n", path, it.line, it.column);
			goto out;
		}
		snprintf(key, sizeof(key), "%s %s", id, ver);
		if ((old = json_object_get(map, key)) != NULL) {
			if (is_out) {
				if ((*problems)++ < SHOW_MAX)
					printf("exported twice: %s\n", key);
			} else if (!json_equal(old, it.json))
				printf("note: %s:%lu: %s differs from an "
				    "earlier copy (the first is kept)\n", path,
				    it.line, key);
			continue;
		}
		json_object_set(map, key, it.json);
	}
	if (rc < 0) {
		fprintf(stderr, "stix_same: %s:%lu:%lu: %s\n", path, d.line,
		    d.column, d.message);
		goto out;
	}
	ret = 0;
 out:
	cybex_stix_reader_free(r);
	close(fd);
	return ret;
}

int
main(int argc, char **argv)
{
	json_t *out = NULL, *in = NULL, *v;
	unsigned long nout = 0, nin = 0, problems = 0;
	const char *k;
	int i, status = 2;

	if (argc < 3) {
		fprintf(stderr, "usage: stix_same OUT IN...\n");
		return 2;
	}
	if ((out = json_object()) == NULL || (in = json_object()) == NULL)
		goto done;
	if (load(argv[1], out, 1, &nout, &problems) != 0)
		goto done;
	for (i = 2; i < argc; i++)
		if (load(argv[i], in, 0, &nin, &problems) != 0)
			goto done;
	json_object_foreach(in, k, v) {
		json_t *o = json_object_get(out, k);

		if (o == NULL) {
			if (problems++ < SHOW_MAX)
				printf("missing from %s: %s\n", argv[1], k);
		} else if (!json_equal(o, v)) {
			if (problems++ < SHOW_MAX)
				printf("differs: %s\n", k);
		}
	}
	json_object_foreach(out, k, v) {
		if (json_object_get(in, k) == NULL && problems++ < SHOW_MAX)
			printf("not in the input: %s\n", k);
	}
	printf("%s: %lu objects read, %zu distinct; input: %lu objects read, "
	    "%zu distinct; %lu difference%s\n", argv[1], nout,
	    json_object_size(out), nin, json_object_size(in), problems,
	    problems == 1 ? "" : "s");
	status = problems == 0 ? 0 : 1;
 done:
	json_decref(out);
	json_decref(in);
	return status;
}
