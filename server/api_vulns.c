/*
 * The REST API for vulnerabilities (docs/vulnerabilities.md):
 *
 *   GET /api/v1/vulnerabilities[?collection=C]          priority order
 *   GET /api/v1/vulnerabilities/{CVE-ID}[?collection=C]
 *   GET /api/v1/vulnerabilities/affected[?org=O&collection=C]
 *
 * What a caller sees: the vulnerabilities of a collection it may read
 * (admins: every collection); the affected list of its own organization
 * only (admins: of any organization, or of all without ?org).  Errors are
 * RFC 9457 problem details.
 */
#include <string.h>

#include "cybex/store.h"
#include "cybex/vuln.h"

#include "server.h"

#define JSON_MEDIA	"application/json"
#define VULNS_BODY_MAX	(64u * 1024 * 1024)

static const char *
arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

struct feed {
	struct cybex_remed	*rm;
};

static int
on_row(void *ud, const struct cybex_row *row)
{
	struct feed *f = ud;
	json_error_t je;
	json_t *o;
	int rc;

	if ((o = json_loadb(row->json, row->len, 0, &je)) == NULL)
		return 0;
	rc = cybex_remed_add_object(f->rm, o);
	json_decref(o);
	return rc;
}

/*
 * The builder filled with the collection's objects: NULL with the answer
 * queued when the caller may not read it or the store fails.
 */
static struct cybex_remed *
load(struct req *r, struct cybex_store **stp, enum MHD_Result *mr)
{
	static const char *const types[] = { "vulnerability", "x-cybex-kev",
		"x-cybex-epss" };
	struct cybex_collection coll;
	struct cybex_store *st;
	struct cybex_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct feed f;
	const char *key = arg(r, "collection");
	bool can_read = false, can_write = false;

	cybex_diag_clear(&d);
	if (key == NULL)
		key = "default";
	if ((st = req_store(r, &d)) == NULL) {
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return NULL;
	}
	*stp = st;
	if (cybex_store_collection_get(st, key, r->a, &coll, &d) != 0) {
		*mr = d.code == CYBEX_ENOTFOUND ? reply_problem(r, 404,
		    "Not Found", "no collection '%s'", key) :
		    reply_diag(r, SHAPE_PROBLEM, &d);
		return NULL;
	}
	if (auth_access(r, coll.id, &can_read, &can_write) != 0 || !can_read) {
		/* Not telling apart "not there" and "not yours". */
		*mr = reply_problem(r, 404, "Not Found", "no collection '%s' "
		    "that this user may read", key);
		return NULL;
	}
	if (cybex_remed_new(&f.rm) != 0) {
		*mr = reply_problem(r, 500, "Internal Server Error", "out of "
		    "memory");
		return NULL;
	}
	memset(&q, 0, sizeof(q));
	q.coll_id = coll.id;
	q.types = types;
	q.ntypes = 3;
	q.versions = CYBEX_VERSION_LAST;
	if (cybex_store_query(st, &q, on_row, &f, &pg, &d) != 0) {
		cybex_remed_free(f.rm);
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return NULL;
	}
	return f.rm;
}

static void
put_num(struct cybex_buf *b, const char *key, double v, int digits)
{
	if (v < 0)
		cybex_buf_printf(b, ",\"%s\":null", key);
	else
		cybex_buf_printf(b, ",\"%s\":%.*f", key, digits, v);
}

/* v as a JSON string (null when NULL). */
static void
put_json_str(struct cybex_buf *b, const char *v)
{
	json_t *j = v != NULL ? json_string(v) : NULL;

	if (j == NULL)
		cybex_buf_puts(b, "null");
	else
		(void)cybex_json_write(j, 0, b);
	json_decref(j);
}

static void
put_str(struct cybex_buf *b, const char *key, const char *v)
{
	cybex_buf_printf(b, ",\"%s\":", key);
	put_json_str(b, v);
}

struct vout {
	struct cybex_buf	 b;
	size_t			 n;
	bool			 full;
};

static int
on_vuln(void *ud, const struct cybex_remed_vuln *v)
{
	struct vout *o = ud;

	if (o->n++ > 0)
		cybex_buf_putc(&o->b, ',');
	cybex_buf_puts(&o->b, "{\"cve\":");
	put_json_str(&o->b, v->cve);
	cybex_buf_printf(&o->b, ",\"kev\":%s", v->prio.kev ? "true" : "false");
	put_num(&o->b, "epss", v->prio.epss, 5);
	put_num(&o->b, "cvss", v->prio.cvss, 1);
	put_str(&o->b, "description", v->vuln != NULL ? json_string_value(
	    json_object_get(v->vuln, "description")) : NULL);
	if (o->full) {
		cybex_buf_puts(&o->b, ",\"vulnerability\":");
		if (v->vuln != NULL)
			(void)cybex_json_write(v->vuln, 0, &o->b);
		else
			cybex_buf_puts(&o->b, "null");
	}
	return cybex_buf_putc(&o->b, '}');
}

struct aout {
	struct cybex_buf	 b;
	size_t			 n;
	const char		*org;	/* NULL: every organization */
};

static int
on_affected(void *ud, const struct cybex_remed_row *row)
{
	struct aout *o = ud;

	if (o->n++ > 0)
		cybex_buf_putc(&o->b, ',');
	cybex_buf_puts(&o->b, "{\"org\":");
	put_json_str(&o->b, row->org);
	put_str(&o->b, "cve", row->cve);
	put_str(&o->b, "vulnerability", row->vuln_id);
	cybex_buf_printf(&o->b, ",\"kev\":%s", row->prio.kev ? "true" :
	    "false");
	put_num(&o->b, "epss", row->prio.epss, 5);
	put_num(&o->b, "cvss", row->prio.cvss, 1);
	cybex_buf_printf(&o->b, ",\"asset\":%lld", (long long)row->asset_id);
	put_str(&o->b, "name", row->name);
	put_str(&o->b, "cpe", row->cpe);
	put_str(&o->b, "purl", row->purl);
	put_str(&o->b, "version", row->version);
	return cybex_buf_putc(&o->b, '}');
}

static int
on_asset(void *ud, const struct cybex_asset *a)
{
	struct cybex_product p = { a->cpe, a->purl, a->version };

	return cybex_remed_add_asset(ud, a->org, a->id, a->name, &p);
}

static enum MHD_Result
affected(struct req *r)
{
	struct cybex_store *st = NULL;
	struct cybex_remed *rm;
	struct cybex_diag d;
	struct aout o;
	enum MHD_Result mr;
	const char *own = NULL, *want = arg(r, "org");
	unsigned rights = 0;
	int rc;

	cybex_diag_clear(&d);
	if ((st = req_store(r, &d)) == NULL ||
	    cybex_store_user_org(st, r->who.uid, r->a, &own, &rights,
	    &d) != 0)
		return reply_diag(r, SHAPE_PROBLEM, &d);
	if (!r->who.admin) {
		if (own == NULL)
			return reply_problem(r, 403, "Forbidden", "this user "
			    "is a member of no organization");
		if (want != NULL && strcmp(want, own) != 0)
			return reply_problem(r, 403, "Forbidden", "a member "
			    "sees the affected list of its own organization "
			    "only");
		want = own;
	}
	if ((rm = load(r, &st, &mr)) == NULL)
		return mr;
	memset(&o, 0, sizeof(o));
	o.org = want;
	cybex_buf_init(&o.b, VULNS_BODY_MAX);
	cybex_buf_puts(&o.b, "{\"affected\":[");
	if ((rc = cybex_store_asset_list(st, want, on_asset, rm, &d)) != 0 ||
	    (rc = cybex_remed_run(rm, on_affected, &o, NULL, &d)) != 0) {
		cybex_remed_free(rm);
		cybex_buf_free(&o.b);
		if (rc == CYBEX_ENOTFOUND)
			return reply_problem(r, 404, "Not Found", "no "
			    "organization '%s'", want);
		if (d.code == 0)
			cybex_diag_set(&d, rc, "%s", rc == CYBEX_ETOOBIG ?
			    "the answer is too large" : "listing failed");
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	cybex_remed_free(rm);
	if (cybex_buf_puts(&o.b, "]}") != 0) {
		cybex_buf_free(&o.b);
		return reply_problem(r, 500, "Internal Server Error", "the "
		    "answer is too large");
	}
	mr = reply_buf(r, 200, JSON_MEDIA, &o.b);
	cybex_buf_free(&o.b);
	return mr;
}

static enum MHD_Result
vulns(struct req *r, const char *cve)
{
	struct cybex_store *st = NULL;
	struct cybex_remed *rm;
	struct vout o;
	enum MHD_Result mr;
	int rc;

	if ((rm = load(r, &st, &mr)) == NULL)
		return mr;
	memset(&o, 0, sizeof(o));
	o.full = cve != NULL;
	cybex_buf_init(&o.b, VULNS_BODY_MAX);
	if (cve == NULL)
		cybex_buf_puts(&o.b, "{\"vulnerabilities\":[");
	rc = cybex_remed_vulns(rm, cve, on_vuln, &o);
	cybex_remed_free(rm);
	if (rc == 0 && cve == NULL)
		rc = cybex_buf_puts(&o.b, "]}");
	if (rc != 0) {
		cybex_buf_free(&o.b);
		return reply_problem(r, 500, "Internal Server Error", "the "
		    "answer is too large");
	}
	if (cve != NULL && o.n == 0) {
		cybex_buf_free(&o.b);
		return reply_problem(r, 404, "Not Found", "no vulnerability "
		    "'%s' in this collection", cve);
	}
	mr = reply_buf(r, 200, JSON_MEDIA, &o.b);
	cybex_buf_free(&o.b);
	return mr;
}

enum MHD_Result
api_vulns(struct req *r, char **seg, size_t n)
{
	if (n > 1)
		return reply_problem(r, 404, "Not Found", "no resource at this "
		    "path");
	r->route = n == 0 ? "vulnerabilities" : strcmp(seg[0],
	    "affected") == 0 ? "vulnerabilities-affected" : "vulnerability";
	if (strcmp(r->method, "GET") != 0) {
		reply_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
		return reply_problem(r, 405, "Method Not Allowed", "%s is not "
		    "allowed here (allowed: GET)", r->method);
	}
	if (n == 1 && strcmp(seg[0], "affected") == 0)
		return affected(r);
	return vulns(r, n == 1 ? seg[0] : NULL);
}
