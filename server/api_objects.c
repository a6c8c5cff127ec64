/*
 * TAXII 2.1 objects of a collection: get objects (with every filter and
 * paging), get one object, its versions, the manifest, delete, and add
 * (answered at once with a status resource; jobs.c does the work).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/policy.h"
#include "cybex/stix.h"

#include "server.h"
#include "api.h"

#define RESPONSE_MAX	(64u * 1024 * 1024)	/* a page's body */
#define LIST_MAX	100			/* values of one match[...] */

static const char *
arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

/* Split "a,b,c" into an arena array; false when too many or empty. */
static bool
split_list(struct req *r, const char *v, const char ***out, size_t *n)
{
	const char **list, *p = v, *e;
	size_t k = 0, cap = 1;

	for (e = v; *e != '\0'; e++)
		if (*e == ',')
			cap++;
	if (cap > LIST_MAX)
		return false;
	if ((list = cybex_arena_alloc(r->a, cap * sizeof(*list))) == NULL)
		return false;
	for (;;) {
		e = strchr(p, ',');
		if ((e != NULL ? (size_t)(e - p) : strlen(p)) == 0)
			return false;
		list[k++] = cybex_arena_strndup(r->a, p, e != NULL ?
		    (size_t)(e - p) : strlen(p));
		if (list[k - 1] == NULL)
			return false;
		if (e == NULL)
			break;
		p = e + 1;
	}
	*out = list;
	*n = k;
	return true;
}

/* The sharing policy's ceiling for this caller and collection. */
static int
egress_ceiling(struct req *r, const struct cybex_collection *c)
{
	struct cybex_caller who = { r->who.admin, NULL };

	return cybex_policy_egress_ceiling(&who, c->max_tlp);
}

static int64_t
time_us(const struct cybex_time *t)
{
	return t->sec * 1000000 + t->nsec / 1000;
}

/*
 * The query parameters of the TAXII object endpoints into q.  what says
 * which filters the endpoint takes.  On a bad parameter: 400, false.
 */
#define P_ID		0x1
#define P_TYPE		0x2
#define P_VERSION	0x4
static bool
parse_params(struct req *r, struct cybex_query *q, unsigned what,
    enum MHD_Result *mr)
{
	struct cybex_diag d;
	struct cybex_time t;
	const char *v, **list;
	const char **at;
	size_t n, i, nat = 0;
	unsigned long long lim;
	char *end;

	v = arg(r, "added_after");
	if (v != NULL) {
		if (cybex_time_parse(v, strlen(v), 0, &t, &d) != 0) {
			*mr = reply_taxii_error(r, 400, "Bad Request",
			    "added_after '%s' is not an RFC 3339 timestamp: %s",
			    v, d.message);
			return false;
		}
		q->has_added_after = true;
		q->added_after_us = time_us(&t);
	}
	q->limit = (size_t)r->srv->cfg.page_size;
	if ((v = arg(r, "limit")) != NULL) {
		errno = 0;
		lim = strtoull(v, &end, 10);
		/* strtoull takes "-1" as a huge number: digits only. */
		if (errno != 0 || *end != '\0' || end == v || lim == 0 ||
		    *v < '0' || *v > '9') {
			*mr = reply_taxii_error(r, 400, "Bad Request", "limit "
			    "'%s' is not a positive whole number", v);
			return false;
		}
		q->limit = lim > (unsigned long long)r->srv->cfg.max_page_size ?
		    (size_t)r->srv->cfg.max_page_size : (size_t)lim;
	}
	if ((v = arg(r, "next")) != NULL)
		q->next = v;
	if ((what & P_ID) && (v = arg(r, "match[id]")) != NULL) {
		if (!split_list(r, v, &list, &n))
			goto bad_list;
		q->ids = list;
		q->nids = n;
	}
	if ((what & P_TYPE) && (v = arg(r, "match[type]")) != NULL) {
		if (!split_list(r, v, &list, &n))
			goto bad_list;
		q->types = list;
		q->ntypes = n;
	}
	if ((v = arg(r, "match[spec_version]")) != NULL) {
		if (!split_list(r, v, &list, &n))
			goto bad_list;
		q->spec_versions = list;
		q->nspec_versions = n;
	}
	if ((what & P_VERSION) && (v = arg(r, "match[version]")) != NULL) {
		if (!split_list(r, v, &list, &n))
			goto bad_list;
		if ((at = cybex_arena_alloc(r->a, n * sizeof(*at))) == NULL)
			goto bad_list;
		for (i = 0; i < n; i++) {
			if (strcmp(list[i], "last") == 0)
				q->versions |= CYBEX_VERSION_LAST;
			else if (strcmp(list[i], "first") == 0)
				q->versions |= CYBEX_VERSION_FIRST;
			else if (strcmp(list[i], "all") == 0)
				q->versions |= CYBEX_VERSION_ALL;
			else if (cybex_time_parse(list[i], strlen(list[i]), 0,
			    &t, &d) == 0)
				at[nat++] = list[i];
			else {
				*mr = reply_taxii_error(r, 400, "Bad Request",
				    "match[version] '%s' is not first, last, "
				    "all or a timestamp", list[i]);
				return false;
			}
		}
		q->version_at = at;
		q->nversion_at = nat;
	}
	return true;
 bad_list:
	*mr = reply_taxii_error(r, 400, "Bad Request", "a match[...] list is "
	    "empty, has an empty value, or more than %d values", LIST_MAX);
	return false;
}

static enum MHD_Result
query_error(struct req *r, const struct cybex_diag *d)
{
	/* A limit of the query is a bad parameter, not a large body. */
	if (d->code == CYBEX_ETOOBIG)
		return reply_error(r, SHAPE_TAXII, CYBEX_EINVAL, 0, "%s",
		    d->message);
	return reply_diag(r, SHAPE_TAXII, d);
}

static void
date_headers(struct req *r, const struct cybex_page *pg)
{
	char ts[40];

	if (pg->count == 0)
		return;
	cybex_store_format_us(pg->first_added_us, ts, sizeof(ts));
	reply_header(r, "X-TAXII-Date-Added-First", ts);
	cybex_store_format_us(pg->last_added_us, ts, sizeof(ts));
	reply_header(r, "X-TAXII-Date-Added-Last", ts);
}

/* {"more":..., "next":..., <name>:[ <items> ]} around a body of items. */
static enum MHD_Result
reply_page(struct req *r, const struct cybex_page *pg, const char *name,
    struct cybex_buf *items)
{
	struct cybex_buf b;
	enum MHD_Result mr;

	cybex_buf_init(&b, RESPONSE_MAX + 4096);
	b.flags = CYBEX_BUF_NOWIPE;
	if (cybex_taxii_page_write(pg->more, pg->next, name, items->data,
	    items->len, pg->count, &b) != 0) {
		cybex_buf_free(&b);
		return reply_taxii_error(r, 500, "Internal Server Error",
		    "response too large");
	}
	date_headers(r, pg);
	mr = reply_buf(r, 200, TAXII_MEDIA, &b);
	cybex_buf_free(&b);
	return mr;
}

/* Objects are stored as received: copy their JSON text as it is. */
static int
add_object(void *ud, const struct cybex_row *row)
{
	struct cybex_buf *b = ud;

	size_t before = b->len;

	if (b->len > 0 && b->len + row->len + 1 > RESPONSE_MAX)
		return CYBEX_ROW_STOP;
	if ((b->len > 0 && cybex_buf_putc(b, ',') != 0) ||
	    cybex_buf_append(b, row->json, row->len) != 0) {
		cybex_buf_truncate(b, before);	/* no dangling ',' */
		return CYBEX_ROW_STOP;
	}
	return 0;
}

static enum MHD_Result
objects(struct req *r, const char *root, const char *coll, const char *id)
{
	struct cybex_collection c;
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct cybex_buf items;
	enum MHD_Result mr;
	bool rd, wr;
	int rc;

	if (!load_collection(r, root, coll, NEED_READ, &c, &rd, &wr, &mr))
		return mr;
	memset(&q, 0, sizeof(q));
	if (!parse_params(r, &q, (id == NULL ? P_ID | P_TYPE : 0) | P_VERSION,
	    &mr))
		return mr;
	q.coll_id = c.id;
	/* TLP: never serve above what the collection may hold. */
	q.max_tlp = egress_ceiling(r, &c);
	if (id != NULL) {
		q.ids = &id;
		q.nids = 1;
	}
	cybex_buf_init(&items, RESPONSE_MAX);
	items.flags = CYBEX_BUF_NOWIPE;	/* shared objects, no secret */
	rc = cybex_store_query(req_store(r, &d), &q, add_object, &items, &pg,
	    &d);
	if (rc != 0) {
		cybex_buf_free(&items);
		return query_error(r, &d);
	}
	if (id != NULL && pg.count == 0 && q.next == NULL) {
		cybex_buf_free(&items);
		return reply_taxii_error(r, 404, "Not Found", "no object '%s' "
		    "in this collection", id);
	}
	mr = reply_page(r, &pg, "objects", &items);
	cybex_buf_free(&items);
	return mr;
}

enum MHD_Result
taxii_objects(struct req *r, const char *root, const char *coll)
{
	return objects(r, root, coll, NULL);
}

enum MHD_Result
taxii_object(struct req *r, const char *root, const char *coll,
    const char *id)
{
	return objects(r, root, coll, id);
}

/* The version of a row as TAXII shows it: modified, else date_added. */
static void
row_version(const struct cybex_row *row, char *out, size_t n)
{
	size_t len;

	if (row->version == NULL || row->version[0] == '\0') {
		cybex_store_format_us(row->date_added_us, out, n);
		return;
	}
	/* The stored key has 9 digits; show at least milliseconds. */
	snprintf(out, n, "%s", row->version);
	len = strlen(out);
	if (len > 2 && out[len - 1] == 'Z') {
		char *dot = strchr(out, '.');

		len--;
		while (dot != NULL && (size_t)(out + len - dot) > 4 &&
		    out[len - 1] == '0')
			len--;
		out[len] = 'Z';
		out[len + 1] = '\0';
	}
}

struct manifest_ctx {
	struct cybex_buf	*b;
	bool			 versions_only;
};

static int
add_manifest(void *ud, const struct cybex_row *row)
{
	struct manifest_ctx *mc = ud;
	struct cybex_taxii_manifest_record mr;
	char ver[48], added[40];
	json_t *j = NULL;
	size_t before = mc->b->len;
	int rc;

	if (before > 0 && before + 512 > RESPONSE_MAX)
		return CYBEX_ROW_STOP;
	row_version(row, ver, sizeof(ver));
	if (mc->versions_only)
		j = json_string(ver);
	else {
		cybex_store_format_us(row->date_added_us, added, sizeof(added));
		mr.id = row->id;
		mr.date_added = added;
		mr.version = ver;
		mr.media_type = row->media_type;
		(void)cybex_taxii_manifest_record_write(&mr, &j);
	}
	if (j == NULL)
		return CYBEX_ENOMEM;
	rc = (before > 0 ? cybex_buf_putc(mc->b, ',') : 0);
	if (rc == 0)
		rc = cybex_json_write(j, 0, mc->b);
	json_decref(j);
	if (rc != 0) {
		cybex_buf_truncate(mc->b, before);	/* no dangling ',' */
		return CYBEX_ROW_STOP;
	}
	return 0;
}

static enum MHD_Result
manifest(struct req *r, const char *root, const char *coll, const char *id)
{
	struct cybex_collection c;
	struct manifest_ctx mc;
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct cybex_buf items;
	enum MHD_Result mr;
	bool rd, wr;
	int rc;

	if (!load_collection(r, root, coll, NEED_READ, &c, &rd, &wr, &mr))
		return mr;
	memset(&q, 0, sizeof(q));
	if (!parse_params(r, &q, id == NULL ? P_ID | P_TYPE | P_VERSION : 0,
	    &mr))
		return mr;
	q.coll_id = c.id;
	q.max_tlp = egress_ceiling(r, &c);
	if (id != NULL) {
		q.ids = &id;
		q.nids = 1;
		q.versions = CYBEX_VERSION_ALL;
	}
	cybex_buf_init(&items, RESPONSE_MAX);
	items.flags = CYBEX_BUF_NOWIPE;	/* shared objects, no secret */
	mc.b = &items;
	mc.versions_only = id != NULL;
	rc = cybex_store_manifest(req_store(r, &d), &q, add_manifest, &mc, &pg,
	    &d);
	if (rc != 0) {
		cybex_buf_free(&items);
		return query_error(r, &d);
	}
	if (id != NULL && pg.count == 0 && q.next == NULL) {
		cybex_buf_free(&items);
		return reply_taxii_error(r, 404, "Not Found", "no object '%s' "
		    "in this collection", id);
	}
	mr = reply_page(r, &pg, id != NULL ? "versions" : "objects", &items);
	cybex_buf_free(&items);
	return mr;
}

enum MHD_Result
taxii_manifest(struct req *r, const char *root, const char *coll)
{
	return manifest(r, root, coll, NULL);
}

enum MHD_Result
taxii_versions(struct req *r, const char *root, const char *coll,
    const char *id)
{
	return manifest(r, root, coll, id);
}

enum MHD_Result
taxii_delete_object(struct req *r, const char *root, const char *coll,
    const char *id)
{
	struct cybex_collection c;
	struct cybex_query q;
	struct cybex_diag d;
	enum MHD_Result mr;
	size_t removed = 0;
	char n[32];
	bool rd, wr;

	if (!load_collection(r, root, coll, NEED_READ | NEED_WRITE, &c, &rd,
	    &wr, &mr))
		return mr;
	memset(&q, 0, sizeof(q));
	if (!parse_params(r, &q, P_VERSION, &mr))
		return mr;
	q.coll_id = c.id;
	q.max_tlp = egress_ceiling(r, &c);
	q.ids = &id;
	q.nids = 1;
	q.limit = 0;
	q.has_added_after = false;
	if (cybex_store_delete(req_store(r, &d), &q, &removed, &d) != 0)
		return query_error(r, &d);
	if (removed == 0)
		return reply_taxii_error(r, 404, "Not Found", "no object '%s' "
		    "(with these filters) in this collection", id);
	snprintf(n, sizeof(n), "%zu", removed);
	(void)cybex_store_audit(req_store(r, &d), r->who.name, "delete", id,
	    c.id, NULL);
	srv_log(r->srv, CYBEX_LOG_INFO, "object-deleted", "id", id,
	    "collection", c.id, "versions", n, "user", r->who.name, NULL);
	return reply(r, 200, NULL, "", 0);
}

/* ---- add objects ---- */

enum MHD_Result
taxii_add_objects(struct req *r, const char *root, const char *coll)
{
	struct cybex_collection c;
	struct cybex_api_root ar;
	struct cybex_status st;
	struct cybex_diag d;
	enum MHD_Result mr;
	json_t *index = NULL;
	char *dtext = NULL;
	int64_t limit;
	size_t n;
	bool rd, wr;
	int rc;

	if (!load_collection(r, root, coll, NEED_WRITE, &c, &rd, &wr, &mr) ||
	    !load_root(r, root, &ar, &mr))
		return mr;
	if (!content_is_taxii(MHD_lookup_connection_value(r->conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return reply_taxii_error(r, 415, "Unsupported Media Type",
		    "send objects as %s", TAXII_MEDIA);
	if (r->body.len == 0)
		return reply_taxii_error(r, 400, "Bad Request", "the request "
		    "has no body");
	/* What the API root advertises (chunked bodies are counted too). */
	limit = ar.max_content_length > 0 && ar.max_content_length <
	    r->srv->cfg.max_body ? ar.max_content_length : r->srv->cfg.max_body;
	if ((int64_t)r->body.len > limit)
		return reply_taxii_error(r, 413, "Payload Too Large", "the "
		    "request body is larger than this API root's "
		    "max_content_length of %lld bytes", (long long)limit);
	/*
	 * A first pass over the envelope here: malformed input is answered
	 * 400 at once, and total_count is exact.
	 */
	cybex_diag_clear(&d);
	if ((rc = jobs_scan(r->body.data, r->body.len, r->srv->cfg.max_objects,
	    &index, &n, &d)) != 0) {
		if (rc == CYBEX_EJSON || rc == CYBEX_ESTIX)
			return reply_error(r, SHAPE_TAXII, rc, 0, "%lu:%lu: %s",
			    d.line, d.column, d.message);
		return reply_error(r, SHAPE_TAXII, rc, 0, "%s", rc ==
		    CYBEX_ENOMEM ? "out of memory" : d.message);
	}
	/* Stored, with its status, before the answer: a 202 is kept. */
	rc = jobs_accept(r->srv->jobs, req_store(r, &d), root, c.id,
	    r->who.uid, r->t0_us, r->body.data, r->body.len, index, &st,
	    &dtext, &d);
	json_decref(index);
	/* The queue is full (d says so) or the database busy. */
	if (rc == CYBEX_EBUSY)
		return reply_error(r, SHAPE_TAXII, rc, 10, "%s; try again",
		    d.message);
	if (rc != 0)
		return reply_diag(r, SHAPE_TAXII, &d);
	srv_log(r->srv, CYBEX_LOG_INFO, "add-objects", "status", st.id,
	    "collection", c.id, "user", r->who.name, NULL);
	mr = reply_json(r, 202, status_json(&st));
	free(dtext);
	return mr;
}
