/*
 * TAXII 2.1 resources: build and read their JSON (include/cybex/taxii.h).
 * The builders are what the server answers; the readers check what a
 * client is given, member by member.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/store.h"
#include "cybex/taxii.h"

/* ---- reading helpers ---- */

static int
bad(struct cybex_diag *d, const char *what, const char *member,
    const char *why)
{
	int r = cybex_diag_set(d, CYBEX_ESTIX, "TAXII %s: '%s' %s", what,
	    member, why);

	if (d != NULL)
		snprintf(d->pointer, sizeof(d->pointer), "/%s", member);
	return r;
}

static int
is_object(const json_t *j, const char *what, struct cybex_diag *d)
{
	if (!json_is_object(j))
		return cybex_diag_set(d, CYBEX_ESTIX, "TAXII %s: not a JSON "
		    "object", what);
	return 0;
}

/* A string member: required, or NULL when absent. */
static int
get_str(const json_t *j, const char *what, const char *member, bool required,
    const char **out, struct cybex_diag *d)
{
	const json_t *v = json_object_get(j, member);

	*out = NULL;
	if (v == NULL)
		return required ? bad(d, what, member, "is missing") : 0;
	if (!json_is_string(v))
		return bad(d, what, member, "must be a string");
	*out = json_string_value(v);
	return 0;
}

static int
get_bool(const json_t *j, const char *what, const char *member,
    bool required, bool *out, struct cybex_diag *d)
{
	const json_t *v = json_object_get(j, member);

	*out = false;
	if (v == NULL)
		return required ? bad(d, what, member, "is missing") : 0;
	if (!json_is_boolean(v))
		return bad(d, what, member, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

static int
get_int(const json_t *j, const char *what, const char *member, bool required,
    int64_t *out, struct cybex_diag *d)
{
	const json_t *v = json_object_get(j, member);

	*out = 0;
	if (v == NULL)
		return required ? bad(d, what, member, "is missing") : 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(d, what, member, "must be a whole number >= 0");
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* An array of strings into an arena array; absent = none. */
static int
get_strs(const json_t *j, const char *what, const char *member,
    bool required, struct cybex_arena *a, const char *const **out,
    size_t *n, struct cybex_diag *d)
{
	const json_t *v = json_object_get(j, member), *e;
	const char **list;
	size_t i;

	*out = NULL;
	*n = 0;
	if (v == NULL)
		return required ? bad(d, what, member, "is missing") : 0;
	if (!json_is_array(v))
		return bad(d, what, member, "must be an array of strings");
	if (json_array_size(v) == 0)
		return 0;
	if ((list = cybex_arena_alloc(a, json_array_size(v) *
	    sizeof(*list))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return bad(d, what, member, "must be an array of "
			    "strings");
		list[i] = json_string_value(e);
	}
	*out = list;
	*n = json_array_size(v);
	return 0;
}

/* ---- building helpers ---- */

static json_t *
strs(const char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < n; i++)
		if (json_array_append_new(arr, json_string(v[i])) != 0) {
			json_decref(arr);
			return NULL;
		}
	return arr;
}

/* Set an optional string member; false when out of memory. */
static bool
opt_str(json_t *j, const char *member, const char *v)
{
	return v == NULL || json_object_set_new(j, member, json_string(v)) == 0;
}

static int
done(json_t *j, json_t **out)
{
	*out = j;
	return j != NULL ? 0 : CYBEX_ENOMEM;
}

/* ---- discovery ---- */

int
cybex_taxii_discovery_write(const struct cybex_taxii_discovery *v,
    json_t **out)
{
	json_t *j;

	*out = NULL;
	j = json_pack("{s:s}", "title", v->title);
	/* contact last: the order the server has always answered. */
	if (j != NULL && (!opt_str(j, "description", v->description) ||
	    !opt_str(j, "default", v->default_root) ||
	    json_object_set_new(j, "api_roots", strs(v->api_roots,
	    v->napi_roots)) != 0 || !opt_str(j, "contact", v->contact))) {
		json_decref(j);
		j = NULL;
	}
	return done(j, out);
}

int
cybex_taxii_discovery_read(const json_t *j, struct cybex_arena *a,
    struct cybex_taxii_discovery *out, struct cybex_diag *d)
{
	static const char w[] = "discovery";
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "title", true, &out->title, d)) != 0 ||
	    (r = get_str(j, w, "description", false, &out->description,
	    d)) != 0 ||
	    (r = get_str(j, w, "contact", false, &out->contact, d)) != 0 ||
	    (r = get_str(j, w, "default", false, &out->default_root, d)) != 0 ||
	    (r = get_strs(j, w, "api_roots", false, a, &out->api_roots,
	    &out->napi_roots, d)) != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

/* ---- API root ---- */

int
cybex_taxii_api_root_write(const struct cybex_taxii_api_root *v,
    json_t **out)
{
	json_t *j;

	*out = NULL;
	j = json_pack("{s:s, s:o, s:I}", "title", v->title, "versions",
	    strs(v->versions, v->nversions), "max_content_length",
	    (json_int_t)v->max_content_length);
	if (j != NULL && !opt_str(j, "description", v->description)) {
		json_decref(j);
		j = NULL;
	}
	return done(j, out);
}

int
cybex_taxii_api_root_read(const json_t *j, struct cybex_arena *a,
    struct cybex_taxii_api_root *out, struct cybex_diag *d)
{
	static const char w[] = "API root";
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "title", true, &out->title, d)) != 0 ||
	    (r = get_str(j, w, "description", false, &out->description,
	    d)) != 0 ||
	    (r = get_strs(j, w, "versions", true, a, &out->versions,
	    &out->nversions, d)) != 0 ||
	    (r = get_int(j, w, "max_content_length", true,
	    &out->max_content_length, d)) != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

/* ---- collections ---- */

int
cybex_taxii_media_types_split(const char *list, struct cybex_arena *a,
    const char *const **out, size_t *n)
{
	const char **v, *p, *e;
	size_t k = 1, i = 0;

	*out = NULL;
	*n = 0;
	if (list == NULL || *list == '\0')
		list = CYBEX_MEDIA_STIX21;
	for (p = list; *p != '\0'; p++)
		if (*p == ',')
			k++;
	if ((v = cybex_arena_alloc(a, k * sizeof(*v))) == NULL)
		return CYBEX_ENOMEM;
	for (p = list;; p = e + 1) {
		e = strchr(p, ',');
		v[i] = cybex_arena_strndup(a, p, e != NULL ? (size_t)(e - p) :
		    strlen(p));
		if (v[i++] == NULL)
			return CYBEX_ENOMEM;
		if (e == NULL)
			break;
	}
	*out = v;
	*n = i;
	return 0;
}

int
cybex_taxii_collection_write(const struct cybex_taxii_collection *v,
    json_t **out)
{
	json_t *j;

	*out = NULL;
	j = json_pack("{s:s, s:s, s:b, s:b, s:o}", "id", v->id, "title",
	    v->title, "can_read", v->can_read, "can_write", v->can_write,
	    "media_types", strs(v->media_types, v->nmedia_types));
	if (j != NULL && (!opt_str(j, "description", v->description) ||
	    !opt_str(j, "alias", v->alias))) {
		json_decref(j);
		j = NULL;
	}
	return done(j, out);
}

int
cybex_taxii_collection_read(const json_t *j, struct cybex_arena *a,
    struct cybex_taxii_collection *out, struct cybex_diag *d)
{
	static const char w[] = "collection";
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "id", true, &out->id, d)) != 0 ||
	    (r = get_str(j, w, "title", true, &out->title, d)) != 0 ||
	    (r = get_str(j, w, "description", false, &out->description,
	    d)) != 0 ||
	    (r = get_str(j, w, "alias", false, &out->alias, d)) != 0 ||
	    (r = get_bool(j, w, "can_read", true, &out->can_read, d)) != 0 ||
	    (r = get_bool(j, w, "can_write", true, &out->can_write, d)) != 0 ||
	    (r = get_strs(j, w, "media_types", false, a, &out->media_types,
	    &out->nmedia_types, d)) != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

int
cybex_taxii_collections_write(json_t *list, json_t **out)
{
	*out = NULL;
	if (list == NULL)
		return CYBEX_ENOMEM;
	if (json_array_size(list) == 0) {
		json_decref(list);
		return done(json_object(), out);
	}
	return done(json_pack("{s:o}", "collections", list), out);
}

int
cybex_taxii_collections_read(const json_t *j, struct cybex_arena *a,
    struct cybex_taxii_collection **out, size_t *n, struct cybex_diag *d)
{
	struct cybex_taxii_collection *v;
	const json_t *list, *e;
	size_t i;
	int r;

	*out = NULL;
	*n = 0;
	if ((r = is_object(j, "collections", d)) != 0)
		return r;
	if ((list = json_object_get(j, "collections")) == NULL)
		return 0;
	if (!json_is_array(list))
		return bad(d, "collections", "collections", "must be an array");
	if (json_array_size(list) == 0)
		return 0;
	if ((v = cybex_arena_alloc(a, json_array_size(list) *
	    sizeof(*v))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	json_array_foreach(list, i, e) {
		if ((r = cybex_taxii_collection_read(e, a, &v[i], d)) != 0) {
			if (d != NULL) {
				char inner[CYBEX_DIAG_PTR_MAX];
				size_t k, m;

				memcpy(inner, d->pointer, sizeof(inner));
				k = (size_t)snprintf(d->pointer,
				    sizeof(d->pointer), "/collections/%zu", i);
				m = strnlen(inner, sizeof(inner));
				if (k + m < sizeof(d->pointer)) {
					memcpy(d->pointer + k, inner, m);
					d->pointer[k + m] = '\0';
				}
			}
			return r;
		}
	}
	*out = v;
	*n = json_array_size(list);
	return 0;
}

/* ---- manifest ---- */

int
cybex_taxii_manifest_record_write(const struct cybex_taxii_manifest_record *v,
    json_t **out)
{
	json_t *j;

	*out = NULL;
	j = json_pack("{s:s, s:s, s:s}", "id", v->id, "date_added",
	    v->date_added, "version", v->version);
	if (j != NULL && !opt_str(j, "media_type", v->media_type)) {
		json_decref(j);
		j = NULL;
	}
	return done(j, out);
}

int
cybex_taxii_manifest_record_read(const json_t *j,
    struct cybex_taxii_manifest_record *out, struct cybex_diag *d)
{
	static const char w[] = "manifest record";
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "id", true, &out->id, d)) != 0 ||
	    (r = get_str(j, w, "date_added", true, &out->date_added, d)) != 0 ||
	    (r = get_str(j, w, "version", true, &out->version, d)) != 0 ||
	    (r = get_str(j, w, "media_type", false, &out->media_type, d)) != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

/* ---- pages: envelope, manifest, versions ---- */

int
cybex_taxii_page_write(bool more, const char *next, const char *name,
    const char *items, size_t len, size_t count, struct cybex_buf *out)
{
	json_t *nx;
	int r;

	r = cybex_buf_printf(out, "{\"more\":%s", more ? "true" : "false");
	if (r == 0 && more && next != NULL) {
		if ((nx = json_string(next)) == NULL)
			return CYBEX_ENOMEM;
		r = cybex_buf_puts(out, ",\"next\":");
		if (r == 0)
			r = cybex_json_write(nx, 0, out);
		json_decref(nx);
	}
	if (r == 0 && count > 0) {
		r = cybex_buf_printf(out, ",\"%s\":[", name);
		if (r == 0)
			r = cybex_buf_append(out, items, len);
		if (r == 0)
			r = cybex_buf_putc(out, ']');
	}
	if (r == 0)
		r = cybex_buf_putc(out, '}');
	return r;
}

int
cybex_taxii_page_read(const json_t *j, const char *name,
    struct cybex_taxii_page *out, struct cybex_diag *d)
{
	const json_t *items;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, name, d)) != 0 ||
	    (r = get_bool(j, name, "more", false, &out->more, d)) != 0 ||
	    (r = get_str(j, name, "next", false, &out->next, d)) != 0)
		goto out;
	items = json_object_get(j, name);
	if (items != NULL && !json_is_array(items)) {
		r = bad(d, name, name, "must be an array");
		goto out;
	}
	out->items = items;
 out:
	if (r != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

/* ---- status ---- */

int
cybex_taxii_status_write(const struct cybex_taxii_status *v,
    const json_t *details, json_t **out)
{
	const char *k;
	json_t *j, *e;

	*out = NULL;
	j = json_pack("{s:s, s:s}", "id", v->id, "status", v->complete ?
	    "complete" : "pending");
	if (j != NULL && (!opt_str(j, "request_timestamp",
	    v->request_timestamp) ||
	    json_object_set_new(j, "total_count",
	    json_integer(v->total_count)) != 0 ||
	    json_object_set_new(j, "success_count",
	    json_integer(v->success_count)) != 0 ||
	    json_object_set_new(j, "failure_count",
	    json_integer(v->failure_count)) != 0 ||
	    json_object_set_new(j, "pending_count",
	    json_integer(v->pending_count)) != 0)) {
		json_decref(j);
		j = NULL;
	}
	json_object_foreach((json_t *)details, k, e) {
		if (j != NULL && json_array_size(e) > 0 &&
		    json_object_set(j, k, e) != 0) {
			json_decref(j);
			j = NULL;
		}
	}
	return done(j, out);
}

static int
get_details(const json_t *j, const char *member, const json_t **out,
    struct cybex_diag *d)
{
	const json_t *v = json_object_get(j, member);

	*out = NULL;
	if (v != NULL && !json_is_array(v))
		return bad(d, "status", member, "must be an array");
	*out = v;
	return 0;
}

int
cybex_taxii_status_read(const json_t *j, struct cybex_taxii_status *out,
    struct cybex_diag *d)
{
	static const char w[] = "status";
	const char *st;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "id", true, &out->id, d)) != 0 ||
	    (r = get_str(j, w, "status", true, &st, d)) != 0 ||
	    (r = get_str(j, w, "request_timestamp", false,
	    &out->request_timestamp, d)) != 0 ||
	    (r = get_int(j, w, "total_count", true, &out->total_count,
	    d)) != 0 ||
	    (r = get_int(j, w, "success_count", true, &out->success_count,
	    d)) != 0 ||
	    (r = get_int(j, w, "failure_count", true, &out->failure_count,
	    d)) != 0 ||
	    (r = get_int(j, w, "pending_count", true, &out->pending_count,
	    d)) != 0 ||
	    (r = get_details(j, "successes", &out->successes, d)) != 0 ||
	    (r = get_details(j, "failures", &out->failures, d)) != 0 ||
	    (r = get_details(j, "pendings", &out->pendings, d)) != 0)
		goto out;
	if (strcmp(st, "complete") != 0 && strcmp(st, "pending") != 0) {
		r = bad(d, w, "status", "must be \"complete\" or \"pending\"");
		goto out;
	}
	out->complete = strcmp(st, "complete") == 0;
 out:
	if (r != 0)
		memset(out, 0, sizeof(*out));
	return r;
}

/* ---- error ---- */

int
cybex_taxii_error_write(const struct cybex_taxii_error *v, json_t **out)
{
	char code[16];
	json_t *j;

	*out = NULL;
	j = json_pack("{s:s}", "title", v->title);
	if (j != NULL && !opt_str(j, "description", v->description)) {
		json_decref(j);
		j = NULL;
	}
	if (j != NULL && v->http_status > 0) {
		snprintf(code, sizeof(code), "%u", v->http_status);
		if (!opt_str(j, "http_status", code)) {
			json_decref(j);
			j = NULL;
		}
	}
	if (j != NULL && (!opt_str(j, "error_id", v->error_id) ||
	    !opt_str(j, "error_code", v->error_code))) {
		json_decref(j);
		j = NULL;
	}
	return done(j, out);
}

int
cybex_taxii_error_read(const json_t *j, struct cybex_taxii_error *out,
    struct cybex_diag *d)
{
	static const char w[] = "error";
	const char *code;
	char *end;
	unsigned long n;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = is_object(j, w, d)) != 0 ||
	    (r = get_str(j, w, "title", true, &out->title, d)) != 0 ||
	    (r = get_str(j, w, "description", false, &out->description,
	    d)) != 0 ||
	    (r = get_str(j, w, "error_id", false, &out->error_id, d)) != 0 ||
	    (r = get_str(j, w, "error_code", false, &out->error_code, d)) != 0 ||
	    (r = get_str(j, w, "http_status", false, &code, d)) != 0)
		goto out;
	if (code != NULL) {
		n = strtoul(code, &end, 10);
		if (*code < '1' || *code > '9' || *end != '\0' || n < 100 ||
		    n > 599) {
			r = bad(d, w, "http_status", "must be an HTTP status "
			    "code (100 to 599)");
			goto out;
		}
		out->http_status = (unsigned)n;
	}
 out:
	if (r != 0)
		memset(out, 0, sizeof(*out));
	return r;
}
