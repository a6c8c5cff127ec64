/*
 * cybex taxii load FILE [--user NAME]
 *
 * Loads a TAXII server's data in the layout of medallion's data files
 * (API roots with their information, status resources, collections with
 * their objects and manifests), keeping each object's date_added from the
 * manifest so that paging and the X-TAXII-Date-Added headers come out as
 * on the server it came from.  With --user, the can_read/can_write of each
 * collection are granted to that user.  The "/discovery" part (title,
 * contact) is server configuration and is only reported.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/stix.h"
#include "cybex/store.h"

#include "cli.h"

#define LOAD_FILE_MAX	(256u * 1024 * 1024)

void
cmd_taxii_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex taxii load FILE [--user NAME]\n\n"
	    "Load API roots, collections (with their ids), objects (with their "
	    "date_added)\nand status resources from a TAXII data file in "
	    "medallion's layout.  With\n--user, grant NAME the can_read and "
	    "can_write the file gives each collection.\n\n%s", CLI_DB_HELP);
}

static int64_t
to_us(const char *ts)
{
	struct cybex_time t;

	if (ts == NULL || cybex_time_parse(ts, strlen(ts), 0, &t, NULL) != 0)
		return 0;
	return t.sec * 1000000 + t.nsec / 1000;
}

/* The next manifest entry from *at on of id at version (NULL: any). */
static const json_t *
manifest_find(const json_t *manifest, size_t *at, const char *id,
    const char *version)
{
	const json_t *m;
	const char *mid, *mv;

	for (; *at < json_array_size(manifest); (*at)++) {
		m = json_array_get(manifest, *at);
		mid = json_string_value(json_object_get(m, "id"));
		if (strcmp(mid != NULL ? mid : "", id) != 0)
			continue;
		mv = json_string_value(json_object_get(m, "version"));
		if (version == NULL || mv == NULL || strcmp(mv, version) == 0) {
			(*at)++;
			return m;
		}
	}
	return NULL;
}

/* The manifest's date_added of this version, in microseconds (0: none). */
static int64_t
added_of(const json_t *manifest, const char *id, const char *version)
{
	size_t at = 0;
	const json_t *m = manifest_find(manifest, &at, id, version);

	return m != NULL ? to_us(json_string_value(json_object_get(m,
	    "date_added"))) : 0;
}

/* Does the manifest give this version the media type of STIX 2.0? */
static bool
is_stix20(const json_t *manifest, const char *id, const char *version)
{
	const json_t *m;
	const char *mt;
	size_t at = 0;

	while ((m = manifest_find(manifest, &at, id, version)) != NULL)
		if ((mt = json_string_value(json_object_get(m,
		    "media_type"))) != NULL)
			return strstr(mt, "version=2.0") != NULL;
	return false;
}

struct pending_obj {
	const json_t	*obj;
	int64_t		 added;
	bool		 stix20;	/* the manifest's media type says 2.0 */
};

static int
by_added(const void *a, const void *b)
{
	const struct pending_obj *x = a, *y = b;

	return x->added < y->added ? -1 : x->added > y->added;
}

static int
load_collection(struct cybex_store *s, const char *root, const json_t *c,
    unsigned long *nobj, unsigned long *nbad, unsigned long *nshift)
{
	struct cybex_stix_opts so = { 0 };
	struct cybex_collection col;
	struct pending_obj *po = NULL;
	struct cybex_buf b, mt;
	struct cybex_diag d;
	enum cybex_put_result res;
	const json_t *objs = json_object_get(c, "objects"), *o, *m;
	const json_t *manifest = json_object_get(c, "manifest");
	const char *id = json_string_value(json_object_get(c, "id"));
	size_t i, n = json_array_size(objs);
	int r = 0;

	memset(&col, 0, sizeof(col));
	cybex_buf_init(&mt, 4096);
	json_array_foreach(json_object_get(c, "media_types"), i, m) {
		if (i > 0)
			cybex_buf_putc(&mt, ',');
		cybex_buf_puts(&mt, json_string_value(m) ?
		    json_string_value(m) : "");
	}
	if (id == NULL || strlen(id) >= sizeof(col.id)) {
		cli_err("cybex taxii load: a collection in %s has no "
		    "usable id\n", root);
		cybex_buf_free(&mt);
		return EXIT_INVALID;
	}
	memcpy(col.id, id, strlen(id) + 1);
	col.title = json_string_value(json_object_get(c, "title"));
	col.description = json_string_value(json_object_get(c, "description"));
	col.media_types = mt.data;
	col.api_root = root;
	if (cybex_store_collection_add(s, &col, &d) != 0 &&
	    d.code != CYBEX_EEXIST) {
		cli_err("cybex taxii load: collection %s: %s\n", id,
		    d.message);
		cybex_buf_free(&mt);
		return EXIT_INVALID;
	}
	cybex_buf_free(&mt);
	if (n == 0)
		return 0;
	/* In date_added order, so each is after the collection's last. */
	if ((po = calloc(n, sizeof(*po))) == NULL)
		return EXIT_TROUBLE;
	json_array_foreach(objs, i, o) {
		po[i].obj = o;
		po[i].added = added_of(manifest, json_string_value(
		    json_object_get(o, "id")) ? json_string_value(
		    json_object_get(o, "id")) : "", json_string_value(
		    json_object_get(o, "modified")));
		po[i].stix20 = is_stix20(manifest, json_string_value(
		    json_object_get(o, "id")) ? json_string_value(
		    json_object_get(o, "id")) : "", json_string_value(
		    json_object_get(o, "modified")));
	}
	qsort(po, n, sizeof(*po), by_added);
	/*
	 * date_added is strictly increasing within a collection here (so
	 * added_after paging is exact); equal ones move by a microsecond.
	 */
	for (i = 1; i < n; i++) {
		if (po[i].added > 0 && po[i].added <= po[i - 1].added) {
			po[i].added = po[i - 1].added + 1;
			(*nshift)++;
		}
	}
	cybex_buf_init(&b, 0);
	for (i = 0; i < n; i++) {
		cybex_buf_reset(&b);
		so.flags = po[i].stix20 ? CYBEX_STIX_SPEC_20 : 0;
		if (cybex_json_write(po[i].obj, 0, &b) != 0 ||
		    cybex_stix_validate(po[i].obj, &so, NULL, NULL, NULL,
		    NULL) != 0) {
			(*nbad)++;
			continue;
		}
		r = po[i].added > 0 ? cybex_store_put_at(s, id, po[i].obj,
		    b.data, b.len, po[i].added, &res, &d) :
		    cybex_store_put(s, id, po[i].obj, b.data, b.len, &res, &d);
		if (r != 0) {
			cli_err("cybex taxii load: %s in %s: %s\n",
			    json_string_value(json_object_get(po[i].obj,
			    "id")), id, d.message);
			(*nbad)++;
			r = 0;
			continue;
		}
		(*nobj)++;
	}
	cybex_buf_free(&b);
	free(po);
	return 0;
}

static int
grant(struct cybex_store *s, const json_t *c, const char *user)
{
	const char *id = json_string_value(json_object_get(c, "id"));
	struct cybex_diag d;

	if (user == NULL || id == NULL)
		return 0;
	if (cybex_store_grant(s, id, false, user,
	    json_is_true(json_object_get(c, "can_read")),
	    json_is_true(json_object_get(c, "can_write")), &d) != 0) {
		cli_err("cybex taxii load: grant on %s: %s\n", id,
		    d.message);
		return EXIT_INVALID;
	}
	return 0;
}

static int
load_status(struct cybex_store *s, const char *root, const json_t *st)
{
	struct cybex_status rec;
	struct cybex_diag d;
	json_t *detail;
	const char *id = json_string_value(json_object_get(st, "id"));
	char *text;
	int r;

	memset(&rec, 0, sizeof(rec));
	if (id == NULL || strlen(id) >= sizeof(rec.id))
		return EXIT_INVALID;
	memcpy(rec.id, id, strlen(id) + 1);
	rec.api_root = root;
	rec.created_us = to_us(json_string_value(json_object_get(st,
	    "request_timestamp")));
	rec.complete = json_string_value(json_object_get(st, "status")) &&
	    strcmp(json_string_value(json_object_get(st, "status")),
	    "complete") == 0;
	rec.total = (uint64_t)json_integer_value(json_object_get(st,
	    "total_count"));
	rec.success = (uint64_t)json_integer_value(json_object_get(st,
	    "success_count"));
	rec.failure = (uint64_t)json_integer_value(json_object_get(st,
	    "failure_count"));
	rec.pending = (uint64_t)json_integer_value(json_object_get(st,
	    "pending_count"));
	detail = json_pack("{s:O?, s:O?, s:O?}", "successes",
	    json_object_get(st, "successes"), "failures", json_object_get(st,
	    "failures"), "pendings", json_object_get(st, "pendings"));
	text = detail != NULL ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	rec.detail = text;
	r = cybex_store_status_put(s, &rec, &d);
	free(text);
	if (r != 0)
		cli_err("cybex taxii load: status %s: %s\n", id,
		    d.message);
	return r == 0 ? 0 : EXIT_INVALID;
}

int
cmd_taxii(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_db o = { NULL, NULL };
	struct cybex_api_root ar;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	const json_t *info, *c, *st;
	const char *user = NULL, *root;
	json_t *data = NULL, *rv;
	unsigned long nobj = 0, nbad = 0, nroots = 0, nshift = 0;
	json_error_t je;
	struct stat sb;
	size_t i;
	int ch, rc = EXIT_TROUBLE, r;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		if (ch == 'u')
			user = optarg;
		else if (ch == 'h') {
			cmd_taxii_usage(stdout);
			return EXIT_VALID;
		} else {
			cmd_taxii_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "load") != 0) {
		cmd_taxii_usage(stderr);
		return EXIT_TROUBLE;
	}
	/* The file is loaded whole: refuse one too big for that. */
	if (stat(argv[optind + 1], &sb) != 0) {
		cli_err("cybex taxii load: %s: %s\n", argv[optind + 1],
		    strerror(errno));
		return EXIT_TROUBLE;
	}
	if (!S_ISREG(sb.st_mode) || (unsigned long long)sb.st_size >
	    LOAD_FILE_MAX) {
		cli_err("cybex taxii load: %s is not a regular file of "
		    "at most %u MiB (import large data with cybex import)\n",
		    argv[optind + 1], LOAD_FILE_MAX >> 20);
		return EXIT_TROUBLE;
	}
	data = json_load_file(argv[optind + 1], JSON_REJECT_DUPLICATES, &je);
	if (data == NULL) {
		cli_err("%s:%d:%d: error: %s\n", argv[optind + 1],
		    je.line, je.column, je.text);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("taxii", &o, CLI_DB_WRITE, NULL, 0)) == NULL)
		goto out;
	if (cybex_store_begin(s, &d) != 0) {
		cli_err("cybex taxii load: %s\n", d.message);
		goto out;
	}
	rc = EXIT_VALID;
	json_object_foreach(data, root, rv) {
		if (root[0] == '/') {
			cli_err("cybex taxii load: '%s' is server "
			    "configuration (--title, --description, "
			    "--contact), not loaded\n", root);
			continue;
		}
		info = json_object_get(rv, "information");
		memset(&ar, 0, sizeof(ar));
		ar.name = root;
		ar.title = json_string_value(json_object_get(info, "title"));
		ar.description = json_string_value(json_object_get(info,
		    "description"));
		ar.max_content_length = json_integer_value(json_object_get(info,
		    "max_content_length"));
		if (cybex_store_api_root_put(s, &ar, true, &d) != 0) {
			cli_err("cybex taxii load: API root %s: %s\n",
			    root, d.message);
			rc = EXIT_INVALID;
			continue;
		}
		nroots++;
		json_array_foreach(json_object_get(rv, "collections"), i, c) {
			if ((r = load_collection(s, root, c, &nobj, &nbad,
			    &nshift)) != 0 ||
			    (r = grant(s, c, user)) != 0)
				rc = r;
		}
		json_array_foreach(json_object_get(rv, "status"), i, st)
			if ((r = load_status(s, root, st)) != 0)
				rc = r;
	}
	if (rc == EXIT_TROUBLE || cybex_store_commit(s, &d) != 0) {
		cybex_store_rollback(s);
		cli_err("cybex taxii load: nothing was loaded\n");
		rc = EXIT_TROUBLE;
		goto out;
	}
	cli_out("%s: %lu API roots, %lu objects loaded, %lu rejected\n",
	    argv[optind + 1], nroots, nobj, nbad);
	if (nshift > 0)
		cli_err("cybex taxii load: %lu date_added values equal "
		    "to another's were moved by 1 microsecond\n", nshift);
	if (nbad > 0 && rc == EXIT_VALID)
		rc = EXIT_INVALID;
 out:
	cybex_store_close(s);
	json_decref(data);
	return rc;
}
