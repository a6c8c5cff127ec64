/*
 * Maps a request path and method to its handler.  TAXII 2.1 paths:
 *   /taxii2/                                          discovery
 *   /{root}/                                          API root
 *   /{root}/status/{id}/                              status
 *   /{root}/collections/                              collections
 *   /{root}/collections/{id}/                         a collection
 *   /{root}/collections/{id}/objects/                 get, add objects
 *   /{root}/collections/{id}/objects/{oid}/           get, delete an object
 *   /{root}/collections/{id}/objects/{oid}/versions/  versions
 *   /{root}/collections/{id}/manifest/                manifest
 * The trailing '/' is optional.  Authentication has already happened.
 * /api/v1/... is the REST API (api_events.c), which answers JSON.
 */
#include <string.h>

#include "server.h"

#define SEGS_MAX	8

static size_t
split(char *path, char **seg)
{
	size_t n = 0;
	char *p = path, *e;

	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		if (n == SEGS_MAX)
			return SEGS_MAX + 1;
		e = strchr(p, '/');
		seg[n++] = p;
		if (e == NULL)
			break;
		*e = '\0';
		p = e + 1;
	}
	return n;
}

static enum MHD_Result
not_allowed(struct req *r, const char *allow)
{
	reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	return reply_taxii_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not "
	    "Allowed", "%s is not allowed here (allowed: %s)", r->method, allow);
}

static enum MHD_Result
not_found(struct req *r)
{
	return reply_taxii_error(r, MHD_HTTP_NOT_FOUND, "Not Found", "no "
	    "resource at this path");
}

static bool
is(const char *m, const char *want)
{
	return strcmp(m, want) == 0;
}

enum MHD_Result
route(struct req *r)
{
	char *path, *seg[SEGS_MAX];
	const char *m = r->method, *accept;
	size_t n;

	if ((path = cybex_arena_strndup(r->a, r->url, strlen(r->url))) == NULL)
		return MHD_NO;
	n = split(path, seg);
	if (n == 0 || n > SEGS_MAX)
		return not_found(r);
	if (n >= 2 && strcmp(seg[0], "api") == 0 && strcmp(seg[1], "v1") == 0)
		return api_v1(r, seg + 2, n - 2);
	/* Every TAXII answer is TAXII JSON: refuse clients that won't take it. */
	accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT);
	if (!accept_taxii(accept))
		return reply_taxii_error(r, MHD_HTTP_NOT_ACCEPTABLE, "Not "
		    "Acceptable", "this server answers with %s", TAXII_MEDIA);
	if (strcmp(seg[0], "taxii2") == 0) {
		r->route = "discovery";
		if (n != 1)
			return not_found(r);
		return is(m, "GET") ? taxii_discovery(r) :
		    not_allowed(r, "GET");
	}
	if (n == 1) {
		r->route = "api-root";
		return is(m, "GET") ? taxii_api_root(r, seg[0]) :
		    not_allowed(r, "GET");
	}
	if (strcmp(seg[1], "status") == 0 && n == 3) {
		r->route = "status";
		return is(m, "GET") ? taxii_status(r, seg[0], seg[2]) :
		    not_allowed(r, "GET");
	}
	if (strcmp(seg[1], "collections") != 0)
		return not_found(r);
	if (n == 2) {
		r->route = "collections";
		return is(m, "GET") ? taxii_collections(r, seg[0]) :
		    not_allowed(r, "GET");
	}
	if (n == 3) {
		r->route = "collection";
		return is(m, "GET") ? taxii_collection(r, seg[0], seg[2]) :
		    not_allowed(r, "GET");
	}
	if (strcmp(seg[3], "manifest") == 0 && n == 4) {
		r->route = "manifest";
		return is(m, "GET") ? taxii_manifest(r, seg[0], seg[2]) :
		    not_allowed(r, "GET");
	}
	if (strcmp(seg[3], "objects") != 0)
		return not_found(r);
	if (n == 4) {
		r->route = "objects";
		if (is(m, "GET"))
			return taxii_objects(r, seg[0], seg[2]);
		if (is(m, "POST"))
			return taxii_add_objects(r, seg[0], seg[2]);
		return not_allowed(r, "GET, POST");
	}
	if (n == 5) {
		r->route = "object";
		if (is(m, "GET"))
			return taxii_object(r, seg[0], seg[2], seg[4]);
		if (is(m, "DELETE"))
			return taxii_delete_object(r, seg[0], seg[2], seg[4]);
		return not_allowed(r, "GET, DELETE");
	}
	if (n == 6 && strcmp(seg[5], "versions") == 0) {
		r->route = "versions";
		return is(m, "GET") ? taxii_versions(r, seg[0], seg[2],
		    seg[4]) : not_allowed(r, "GET");
	}
	return not_found(r);
}
