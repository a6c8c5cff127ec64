/*
 * TAXII 2.1 resources about the server itself: discovery, API roots,
 * collections, status.  Objects, manifests and versions are in
 * api_objects.c.
 *
 * Authorization: every resource needs an authenticated caller.  A
 * collection the caller can neither read nor write is answered 404, as
 * if it did not exist (its existence is itself information); a caller
 * with some access but not the one needed gets 403.
 */
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "api.h"

/* ---- helpers shared with api_objects.c ---- */

enum MHD_Result
reply_json(struct req *r, unsigned status, json_t *j)
{
	struct cybex_buf b;
	enum MHD_Result mr;

	cybex_buf_init(&b, 0);
	if (j == NULL || cybex_json_write(j, 0, &b) != 0) {
		json_decref(j);
		cybex_buf_free(&b);
		return reply_taxii_error(r, 500, "Internal Server Error",
		    "could not build the response");
	}
	json_decref(j);
	mr = reply_buf(r, status, TAXII_MEDIA, &b);
	cybex_buf_free(&b);
	return mr;
}

/* "https://host/" for absolute URLs in discovery. */
static void
base_url(struct req *r, char *out, size_t n)
{
	const char *host = MHD_lookup_connection_value(r->conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	const char *h;

	/* A Host header is only echoed back if it looks like one. */
	for (h = host; h != NULL && *h != '\0'; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || strchr(".-:[]", *h) != NULL))
			break;
	if (host == NULL || *h != '\0' || strlen(host) > 255)
		host = r->srv->cfg.listen;
	snprintf(out, n, "%s://%s/", r->srv->tls ? "https" : "http", host);
}

bool
load_root(struct req *r, const char *root, struct cybex_api_root *ar,
    enum MHD_Result *mr)
{
	struct cybex_store *st;
	struct cybex_diag d;
	int rc;

	if ((st = req_store(r, &d)) == NULL) {
		*mr = reply_diag(r, SHAPE_TAXII, &d);
		return false;
	}
	rc = cybex_store_api_root_get(st, root, r->a, ar, &d);
	if (rc == CYBEX_ENOTFOUND) {
		*mr = reply_taxii_error(r, 404, "Not Found", "no API root "
		    "'%s'", root);
		return false;
	}
	if (rc != 0) {
		*mr = reply_diag(r, SHAPE_TAXII, &d);
		return false;
	}
	return true;
}

bool
load_collection(struct req *r, const char *root, const char *coll,
    unsigned need, struct cybex_collection *c, bool *can_read,
    bool *can_write, enum MHD_Result *mr)
{
	struct cybex_api_root ar;
	struct cybex_store *st;
	struct cybex_diag d;
	struct cybex_uuid u;
	int rc;

	if (!load_root(r, root, &ar, mr))
		return false;
	st = req_store(r, &d);
	memset(c, 0, sizeof(*c));
	/* Collections are named by id in TAXII URLs. */
	rc = cybex_uuid_parse(coll, strlen(coll), &u) != 0 ? CYBEX_ENOTFOUND :
	    cybex_store_collection_get(st, coll, r->a, c, &d);
	if (rc != 0 && rc != CYBEX_ENOTFOUND) {
		*mr = reply_diag(r, SHAPE_TAXII, &d);
		return false;
	}
	if (rc == CYBEX_ENOTFOUND || strcmp(c->id, coll) != 0 ||
	    c->api_root == NULL || strcmp(c->api_root, root) != 0) {
		*mr = reply_taxii_error(r, 404, "Not Found", "no collection "
		    "'%s' in API root '%s'", coll, root);
		return false;
	}
	if (auth_access(r, c->id, can_read, can_write) != 0) {
		*mr = reply_taxii_error(r, 500, "Internal Server Error",
		    "cannot read permissions");
		return false;
	}
	if (!*can_read && !*can_write) {
		*mr = reply_taxii_error(r, 404, "Not Found", "no collection "
		    "'%s' in API root '%s'", coll, root);
		return false;
	}
	if (((need & NEED_READ) && !*can_read) ||
	    ((need & NEED_WRITE) && !*can_write)) {
		*mr = reply_taxii_error(r, 403, "Forbidden", "you may not %s "
		    "collection '%s'", (need & NEED_WRITE) && !*can_write ?
		    "write to" : "read", coll);
		return false;
	}
	return true;
}

/* ---- discovery and API roots ---- */

struct roots_ctx {
	json_t		*list;
	const char	*base;
};

static int
add_root(void *ud, const struct cybex_api_root *ar)
{
	struct roots_ctx *rc = ud;
	char url[512];

	snprintf(url, sizeof(url), "%s%s/", rc->base, ar->name);
	return json_array_append_new(rc->list, json_string(url)) == 0 ? 0 :
	    CYBEX_ENOMEM;
}

enum MHD_Result
taxii_discovery(struct req *r)
{
	struct cybex_taxii_discovery v;
	struct cybex_store *st;
	struct cybex_diag d;
	struct roots_ctx rc;
	char base[320], def[512];
	const char **urls = NULL;
	json_t *j = NULL;
	size_t i;

	if ((st = req_store(r, &d)) == NULL)
		return reply_diag(r, SHAPE_TAXII, &d);
	base_url(r, base, sizeof(base));
	rc.base = base;
	rc.list = json_array();
	if (cybex_store_api_root_list(st, add_root, &rc, &d) != 0) {
		json_decref(rc.list);
		return reply_diag(r, SHAPE_TAXII, &d);
	}
	snprintf(def, sizeof(def), "%s%s/", base, CYBEX_DEFAULT_API_ROOT);
	memset(&v, 0, sizeof(v));
	v.title = r->srv->cfg.title;
	v.description = r->srv->cfg.description;
	v.contact = r->srv->cfg.contact;
	v.default_root = def;
	v.napi_roots = json_array_size(rc.list);
	if (v.napi_roots == 0 || (urls = cybex_arena_alloc(r->a,
	    v.napi_roots * sizeof(*urls))) != NULL) {
		for (i = 0; i < v.napi_roots; i++)
			urls[i] = json_string_value(json_array_get(rc.list, i));
		v.api_roots = urls;
		(void)cybex_taxii_discovery_write(&v, &j);
	}
	json_decref(rc.list);
	return reply_json(r, 200, j);
}

enum MHD_Result
taxii_api_root(struct req *r, const char *root)
{
	static const char *const versions[] = { TAXII_MEDIA };
	struct cybex_taxii_api_root v;
	struct cybex_api_root ar;
	enum MHD_Result mr;
	json_t *j = NULL;

	if (!load_root(r, root, &ar, &mr))
		return mr;
	memset(&v, 0, sizeof(v));
	v.title = ar.title;
	v.description = ar.description;
	v.versions = versions;
	v.nversions = 1;
	v.max_content_length = ar.max_content_length > 0 &&
	    ar.max_content_length < r->srv->cfg.max_body ?
	    ar.max_content_length : r->srv->cfg.max_body;
	(void)cybex_taxii_api_root_write(&v, &j);
	return reply_json(r, 200, j);
}

/* ---- collections ---- */

json_t *
collection_json(struct req *r, const struct cybex_collection *c,
    bool can_read, bool can_write)
{
	struct cybex_taxii_collection v;
	json_t *j = NULL;

	memset(&v, 0, sizeof(v));
	v.id = c->id;
	v.title = c->title;
	v.description = c->description;
	v.alias = c->alias;
	v.can_read = can_read;
	v.can_write = can_write;
	if (cybex_taxii_media_types_split(c->media_types, r->a,
	    &v.media_types, &v.nmedia_types) != 0)
		return NULL;
	(void)cybex_taxii_collection_write(&v, &j);
	return j;
}

struct colls_ctx {
	struct req	*r;
	const char	*root;
	json_t		*list;
	int		 err;
};

static int
add_collection(void *ud, const struct cybex_collection *c)
{
	struct colls_ctx *cc = ud;
	bool rd, wr;

	if (c->api_root == NULL || strcmp(c->api_root, cc->root) != 0)
		return 0;
	/* Only what the caller may see. */
	if ((cc->err = auth_access(cc->r, c->id, &rd, &wr)) != 0)
		return cc->err;
	if (!rd && !wr)
		return 0;
	return json_array_append_new(cc->list, collection_json(cc->r, c, rd,
	    wr)) == 0 ? 0 : CYBEX_ENOMEM;
}

enum MHD_Result
taxii_collections(struct req *r, const char *root)
{
	struct cybex_api_root ar;
	struct cybex_store *st;
	struct colls_ctx cc;
	struct cybex_diag d;
	enum MHD_Result mr;
	json_t *j = NULL;

	if (!load_root(r, root, &ar, &mr))
		return mr;
	st = req_store(r, &d);
	cc.r = r;
	cc.root = root;
	cc.err = 0;
	cc.list = json_array();
	if (cybex_store_collection_list(st, add_collection, &cc, &d) != 0) {
		json_decref(cc.list);
		return reply_diag(r, SHAPE_TAXII, &d);
	}
	(void)cybex_taxii_collections_write(cc.list, &j);
	return reply_json(r, 200, j);
}

enum MHD_Result
taxii_collection(struct req *r, const char *root, const char *coll)
{
	struct cybex_collection c;
	enum MHD_Result mr;
	bool rd, wr;

	if (!load_collection(r, root, coll, 0, &c, &rd, &wr, &mr))
		return mr;
	return reply_json(r, 200, collection_json(r, &c, rd, wr));
}

/* ---- status ---- */

enum MHD_Result
taxii_status(struct req *r, const char *root, const char *id)
{
	struct cybex_api_root ar;
	struct cybex_status st;
	struct cybex_store *s;
	struct cybex_diag d;
	enum MHD_Result mr;
	int rc;

	if (!load_root(r, root, &ar, &mr))
		return mr;
	s = req_store(r, &d);
	rc = cybex_store_status_get(s, root, id, r->a, &st, &d);
	/* Someone else's status is as good as none. */
	if (rc == CYBEX_ENOTFOUND || (rc == 0 && !r->who.admin &&
	    st.uid != r->who.uid))
		return reply_taxii_error(r, 404, "Not Found", "no status '%s'",
		    id);
	if (rc != 0)
		return reply_diag(r, SHAPE_TAXII, &d);
	return reply_json(r, 200, status_json(&st));
}

json_t *
status_json(const struct cybex_status *st)
{
	struct cybex_taxii_status v;
	char ts[40];
	json_t *j = NULL, *detail;

	cybex_store_format_us(st->created_us, ts, sizeof(ts));
	memset(&v, 0, sizeof(v));
	v.id = st->id;
	v.complete = st->complete;
	v.request_timestamp = ts;
	v.total_count = (int64_t)st->total;
	v.success_count = (int64_t)st->success;
	v.failure_count = (int64_t)st->failure;
	v.pending_count = (int64_t)st->pending;
	detail = json_loads(st->detail != NULL ? st->detail : "{}",
	    JSON_REJECT_DUPLICATES, NULL);
	(void)cybex_taxii_status_write(&v, detail, &j);
	json_decref(detail);
	return j;
}
