/*
 * The REST API of incidents and of the analyst's side of alerts
 * (docs/incidents.md has the routes, the authorization matrix and curl
 * examples; docs/api/openapi.json describes every answer):
 *
 *   GET    /api/v1/incidents[?status&open&severity&assignee&org&class&q
 *          &limit&next]                          list, newest first
 *   POST   /api/v1/incidents                     create
 *   GET    /api/v1/incidents/{id}                one, with its evidence
 *   PATCH  /api/v1/incidents/{id}                change fields (If-Match)
 *   POST   /api/v1/incidents/{id}/transitions    status (and resolution)
 *   POST   /api/v1/incidents/{id}/assign         assignee
 *   POST   /api/v1/incidents/{id}/notes          a note
 *   POST   /api/v1/incidents/{id}/tasks          a task
 *   PATCH  /api/v1/incidents/{id}/tasks/{no}     change a task
 *   POST   /api/v1/incidents/{id}/evidence       link evidence
 *   DELETE /api/v1/incidents/{id}/evidence/{ref} unlink it
 *   POST   /api/v1/incidents/{id}/merge          merge another into it
 *   POST   /api/v1/incidents/{id}/split          split evidence off
 *   GET    /api/v1/incidents/{id}/timeline       its history
 *   GET    /api/v1/incidents/{id}/export         a STIX bundle
 *   POST   /api/v1/alerts/{id}/acknowledge       close the alert
 *   POST   /api/v1/alerts/{id}/escalate          open an incident from it
 *
 * Who may do what is one function (may) over the caller's role in its
 * organization (cybex org member --role) and the incident's organization
 * and TLP.  An incident the caller may not read is a 404, as if it did
 * not exist; one it may read but not change is a 403.  Every answer that
 * names an incident carries its version as an ETag; a change may send
 * If-Match with it and is refused with 412 when the incident has moved
 * on (PATCH requires it: 428 without).  Every change is written with an
 * audit entry (who, when, what) by lib/incident in its transaction;
 * acknowledging and escalating alerts add theirs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cybex/incident.h"
#include "cybex/policy.h"

#include "server.h"

#define JSON_MEDIA	"application/json"
#define BODY_MAX	(512u * 1024)	/* a note of 64 KiB, escaped */
#define BODY_DEPTH	8
#define LIST_BODY_MAX	(64u * 1024 * 1024)
#define ALERT_REF_TYPE	"x-cybex-alert"	/* alert store id as a STIX id */

/* What a caller wants to do with an incident (the matrix's columns). */
enum perm {
	P_READ,		/* list, get, timeline */
	P_EXPORT,	/* a STIX bundle to take away */
	P_WRITE,	/* update, transition, notes, tasks, evidence, split */
	P_ASSIGN,
	P_CLOSE,	/* close or reopen */
	P_MERGE,
	P_ADMIN,	/* move to another organization */
};

struct caller {
	bool		 admin;
	const char	*name;
	const char	*org;	/* NULL: of none */
	unsigned	 role;	/* CYBEX_ORG_ROLE_* */
};

/* ---- answers ---- */

static enum MHD_Result
reply_obj(struct req *r, unsigned status, const char *media, json_t *j)
{
	struct cybex_buf b;
	enum MHD_Result mr;

	cybex_buf_init(&b, 0);
	if (j == NULL || cybex_json_write(j, 0, &b) != 0) {
		json_decref(j);
		cybex_buf_free(&b);
		return reply_problem(r, 500, "Internal Server Error", "could "
		    "not build the response");
	}
	json_decref(j);
	mr = reply_buf(r, status, media, &b);
	cybex_buf_free(&b);
	return mr;
}

static enum MHD_Result
forbidden(struct req *r, const char *why)
{
	return reply_problem(r, 403, "Forbidden", "%s", why);
}

static enum MHD_Result
no_incident(struct req *r, const char *id)
{
	return reply_problem(r, 404, "Not Found", "no incident '%s' that this "
	    "user may see", id);
}

static const char *
arg(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

static const char *
header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* ---- who is asking, and what they may do ---- */

static bool
load_caller(struct req *r, struct caller *c, enum MHD_Result *mr)
{
	struct cybex_store *st;
	struct cybex_diag d;
	unsigned rights = 0;

	memset(c, 0, sizeof(*c));
	c->admin = r->who.admin;
	c->name = r->who.name;
	cybex_diag_clear(&d);
	if ((st = req_store(r, &d)) == NULL ||
	    cybex_store_user_org(st, r->who.uid, r->a, &c->org, &rights,
	    &d) != 0) {
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return false;
	}
	c->role = rights & CYBEX_ORG_ROLE_MASK;
	if (!c->admin && c->org == NULL) {
		*mr = forbidden(r, "incidents and alerts belong to member "
		    "organizations: this user belongs to none (cybex org "
		    "member)");
		return false;
	}
	return true;
}

static int
tlp_of(int tlp)
{
	return tlp != 0 ? tlp : CYBEX_TLP_AMBER;
}

static bool
own(const struct caller *c, const char *org)
{
	return c->org != NULL && org != NULL && strcmp(c->org, org) == 0;
}

/*
 * Read: admins everything; a member its organization's incidents at
 * every TLP and other incidents (another organization's, or the hub's
 * own, of no organization) at most TLP:GREEN, the community's level.
 * So a TLP:AMBER or RED incident stays within its organization.
 */
static bool
visible(const struct caller *c, const char *org, int tlp)
{
	if (c->admin)
		return true;
	if (c->org == NULL)
		return false;
	return own(c, org) || tlp_of(tlp) <= CYBEX_TLP_GREEN;
}

/* The matrix (docs/incidents.md); visible() is checked first. */
static bool
may(const struct caller *c, enum perm p, const char *org)
{
	if (c->admin)
		return true;
	switch (p) {
	case P_READ:
		return true;
	case P_EXPORT:
		return c->role >= CYBEX_ORG_ROLE_ANALYST;
	case P_WRITE:
		return own(c, org) && c->role >= CYBEX_ORG_ROLE_ANALYST;
	case P_ASSIGN:
	case P_CLOSE:
	case P_MERGE:
		return own(c, org) && c->role == CYBEX_ORG_ROLE_LEAD;
	case P_ADMIN:
		return false;
	}
	return false;
}

static const char *
perm_why(enum perm p)
{
	switch (p) {
	case P_EXPORT:
		return "exporting an incident takes the analyst or lead role";
	case P_WRITE:
		return "changing an incident takes the analyst or lead role in "
		    "its organization";
	case P_ASSIGN:
		return "assigning an incident takes the lead role in its "
		    "organization";
	case P_CLOSE:
		return "closing or reopening an incident takes the lead role "
		    "in its organization";
	case P_MERGE:
		return "merging incidents takes the lead role in their "
		    "organization";
	case P_ADMIN:
		return "moving an incident to another organization takes a hub "
		    "admin";
	default:
		return "not allowed";
	}
}

/*
 * The current version of incident id for c wanting p: false with the
 * answer queued when there is none it may see (404) or may not do p
 * (403).  *out is the caller's (cybex_incident_free).
 */
static bool
load_incident(struct req *r, const struct caller *c, const char *id,
    enum perm p, struct cybex_incident **out, enum MHD_Result *mr)
{
	struct cybex_incident *inc = NULL;
	struct cybex_store *st;
	struct cybex_diag d;
	int rc;

	*out = NULL;
	cybex_diag_clear(&d);
	if ((st = req_store(r, &d)) == NULL) {
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return false;
	}
	if (strncmp(id, "incident--", 10) != 0) {
		*mr = no_incident(r, id);
		return false;
	}
	if ((rc = cybex_incident_get(st, id, &inc, &d)) != 0) {
		*mr = rc == CYBEX_ENOTFOUND || rc == CYBEX_EINVAL ?
		    no_incident(r, id) : reply_diag(r, SHAPE_PROBLEM, &d);
		return false;
	}
	if (!visible(c, inc->org, inc->tlp)) {
		cybex_incident_free(inc);
		*mr = no_incident(r, id);
		return false;
	}
	if (!may(c, p, inc->org)) {
		cybex_incident_free(inc);
		*mr = forbidden(r, perm_why(p));
		return false;
	}
	*out = inc;
	return true;
}

/* ---- JSON in ---- */

/*
 * The request body as a JSON object whose members are all in allowed
 * (NULL-terminated): false with the answer queued otherwise (415, 413,
 * 400 saying where).
 */
static bool
body_obj(struct req *r, const char *const *allowed, json_t **out,
    enum MHD_Result *mr)
{
	const char *ct = header(r, MHD_HTTP_HEADER_CONTENT_TYPE), *k;
	struct cybex_diag d;
	json_t *j = NULL, *v;
	size_t i, n;

	*out = NULL;
	n = ct != NULL ? strcspn(ct, ";") : 0;
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	if (ct == NULL || n != strlen(JSON_MEDIA) ||
	    strncasecmp(ct, JSON_MEDIA, n) != 0) {
		*mr = reply_problem(r, 415, "Unsupported Media Type", "send "
		    "the body as %s", JSON_MEDIA);
		return false;
	}
	if (r->body.len > BODY_MAX) {
		*mr = reply_problem(r, 413, "Payload Too Large", "the body is "
		    "larger than %u bytes", BODY_MAX);
		return false;
	}
	cybex_diag_clear(&d);
	if (r->body.len == 0 || cybex_json_parse(r->body.data, r->body.len,
	    BODY_DEPTH, &j, &d) != 0) {
		*mr = reply_problem(r, 400, "Bad Request", "the body is not "
		    "JSON: %s", r->body.len == 0 ? "it is empty" : d.message);
		return false;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*mr = reply_problem(r, 400, "Bad Request", "the body must be a "
		    "JSON object");
		return false;
	}
	json_object_foreach(j, k, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(allowed[i], k) == 0)
				break;
		if (allowed[i] == NULL) {
			*mr = reply_problem(r, 400, "Bad Request", "/%.64s: "
			    "unknown member", k);
			json_decref(j);
			return false;
		}
	}
	*out = j;
	return true;
}

/* Field readers: 0, or CYBEX_EINVAL with d saying where and why. */
#define F_REQUIRED	0x1
#define F_NULLABLE	0x2	/* null is "unset": *present true, *out NULL */

static int
get_str(json_t *o, const char *k, unsigned fl, size_t max, const char **out,
    bool *present, struct cybex_diag *d)
{
	json_t *v = json_object_get(o, k);

	*out = NULL;
	if (present != NULL)
		*present = v != NULL;
	if (v == NULL)
		return (fl & F_REQUIRED) ? cybex_diag_set(d, CYBEX_EINVAL,
		    "/%s: required", k) : 0;
	if (json_is_null(v) && (fl & F_NULLABLE))
		return 0;
	if (!json_is_string(v))
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: must be a string%s",
		    k, (fl & F_NULLABLE) ? " or null" : "");
	if (json_string_length(v) == 0 || json_string_length(v) > max)
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: must be 1 to %zu "
		    "bytes", k, max);
	*out = json_string_value(v);
	return 0;
}

static int
get_int(json_t *o, const char *k, int lo, int hi, int *out, bool *present,
    struct cybex_diag *d)
{
	json_t *v = json_object_get(o, k);

	*present = v != NULL;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: must be a whole "
		    "number %d to %d", k, lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

static int
time_us(const char *s, int64_t *out, struct cybex_diag *d)
{
	struct cybex_time t;

	if (cybex_time_parse(s, strlen(s), 0, &t, d) != 0)
		return CYBEX_EINVAL;
	*out = t.sec * 1000000 + t.nsec / 1000;
	return 0;
}

/* An RFC 3339 time member (null = 0 when nullable). */
static int
get_time(json_t *o, const char *k, unsigned fl, int64_t *out, bool *present,
    struct cybex_diag *d)
{
	struct cybex_diag td;
	const char *s;
	int rc;

	*out = 0;
	if ((rc = get_str(o, k, fl, 64, &s, present, d)) != 0 || s == NULL)
		return rc;
	cybex_diag_clear(&td);
	if (time_us(s, out, &td) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: '%s' is not an RFC "
		    "3339 time: %s", k, s, td.message);
	return 0;
}

static int
get_tlp(json_t *o, const char *k, int *out, bool *present,
    struct cybex_diag *d)
{
	const char *s;
	int rc, t;

	*out = 0;
	if ((rc = get_str(o, k, 0, 32, &s, present, d)) != 0 || s == NULL)
		return rc;
	if ((t = cybex_tlp_parse(s)) <= 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: '%s' is not a TLP "
		    "level (clear, green, amber, amber+strict, red)", k, s);
	*out = t;
	return 0;
}

/* The refs array of a body (1..CYBEX_INCIDENT_REFS_MAX strings). */
static int
get_refs(json_t *o, const char ***out, size_t *n, struct cybex_arena *a,
    struct cybex_diag *d)
{
	json_t *v = json_object_get(o, "refs"), *e;
	const char **refs;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > CYBEX_INCIDENT_REFS_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "/refs: must be an array "
		    "of 1 to %d STIX identifiers", CYBEX_INCIDENT_REFS_MAX);
	if ((refs = cybex_arena_alloc(a, json_array_size(v) *
	    sizeof(*refs))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || json_string_length(e) == 0 ||
		    json_string_length(e) >= CYBEX_INCIDENT_ID_MAX + 64)
			return cybex_diag_set(d, CYBEX_EINVAL, "/refs/%zu: must "
			    "be a STIX identifier", i);
		refs[i] = json_string_value(e);
	}
	*out = refs;
	*n = json_array_size(v);
	return 0;
}

/*
 * If-Match: the version the change is made against, NULL when none is
 * given (or "*").  False with a 400 queued for anything but one strong
 * entity tag.
 */
static bool
if_match(struct req *r, const char **expect, enum MHD_Result *mr)
{
	const char *h = header(r, MHD_HTTP_HEADER_IF_MATCH);
	size_t n;

	*expect = NULL;
	if (h == NULL || strcmp(h, "*") == 0)
		return true;
	n = strlen(h);
	if (n < 3 || n > CYBEX_VERSION_KEY_MAX || h[0] != '"' ||
	    h[n - 1] != '"' || memchr(h + 1, '"', n - 2) != NULL) {
		*mr = reply_problem(r, 400, "Bad Request", "If-Match must be "
		    "one entity tag as the ETag header gave it (\"VERSION\")");
		return false;
	}
	*expect = cybex_arena_strndup(r->a, h + 1, n - 2);
	return *expect != NULL;
}

/* ---- JSON out ---- */

static json_t *
time_json(int64_t us)
{
	struct cybex_time t;
	char buf[40];

	if (us == 0)
		return json_null();
	t.sec = us / 1000000;
	t.nsec = (uint32_t)(us % 1000000) * 1000;
	t.digits = 6;
	if (cybex_time_format(&t, buf, sizeof(buf)) < 0)
		return json_null();
	return json_string(buf);
}

static json_t *
str_json(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* "amber+strict": the TLP as the API writes it. */
static const char *
tlp_word(int tlp)
{
	switch (tlp_of(tlp)) {
	case CYBEX_TLP_CLEAR:
		return "clear";
	case CYBEX_TLP_GREEN:
		return "green";
	case CYBEX_TLP_AMBER_STRICT:
		return "amber+strict";
	case CYBEX_TLP_RED:
		return "red";
	default:
		return "amber";
	}
}

struct evid {
	json_t	*list;
	int	 err;
};

static int
evid_cb(void *ud, const struct cybex_incident_link *l)
{
	struct evid *e = ud;
	const char *kind = l->kind == CYBEX_INCIDENT_LINK_NOTE ? "note" :
	    l->kind == CYBEX_INCIDENT_LINK_RELATED ? "incident" : "evidence";

	if (json_array_append_new(e->list, json_pack("{s:s, s:s, s:o, s:o}",
	    "ref", l->ref, "kind", kind, "relationship", str_json(l->rel),
	    "added", time_json(l->added_us))) != 0)
		return e->err = CYBEX_ENOMEM;
	return 0;
}

/* The API's view of an incident: flat fields, then the STIX object. */
static json_t *
incident_json(struct req *r, const struct cybex_incident *inc, bool links)
{
	struct cybex_diag d;
	struct evid e = { NULL, 0 };
	json_t *j, *tasks, *t;
	size_t i;

	if ((tasks = json_array()) == NULL)
		return NULL;
	for (i = 0; i < inc->ntasks; i++) {
		t = json_pack("{s:i, s:s, s:s, s:o, s:o}", "no",
		    inc->tasks[i].no, "title", inc->tasks[i].title, "status",
		    inc->tasks[i].status, "assignee",
		    str_json(inc->tasks[i].assignee), "due",
		    time_json(inc->tasks[i].due_us));
		if (json_array_append_new(tasks, t) != 0) {
			json_decref(tasks);
			return NULL;
		}
	}
	j = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:i, s:i, "
	    "s:{s:s?, s:s?}, s:o, s:o, s:s, s:s?, s:{s:s?, s:s?}, s:o, s:o, "
	    "s:{s:o, s:o, s:o, s:o}, s:o, s:o, s:o, s:O}",
	    "id", inc->id, "version", inc->modified, "title", inc->title,
	    "description", str_json(inc->description),
	    "status", cybex_incident_status_name(inc->status),
	    "resolution", inc->resolution != CYBEX_RESOLUTION_NONE ?
	    str_json(cybex_incident_resolution_name(inc->resolution)) :
	    json_null(),
	    "duplicate_of", str_json(inc->duplicate_of),
	    "severity", inc->severity, "priority", inc->priority,
	    "classification", "class", inc->class, "type", inc->type,
	    "assignee", str_json(inc->assignee), "org", str_json(inc->org),
	    "tlp", tlp_word(inc->tlp), "determination", inc->determination,
	    "phase", "nist", cybex_incident_phase_nist(inc->status), "iso",
	    cybex_incident_phase_iso(inc->status),
	    "created", time_json(inc->created_us),
	    "modified", time_json(inc->modified_us),
	    "sla", "triage_due", time_json(inc->triage_due_us), "contain_due",
	    time_json(inc->contain_due_us), "triaged",
	    time_json(inc->triaged_us), "contained",
	    time_json(inc->contained_us),
	    "first_activity", time_json(inc->first_activity_us),
	    "last_activity", time_json(inc->last_activity_us),
	    "tasks", tasks, "stix", inc->json);
	if (j == NULL || !links)
		return j;
	cybex_diag_clear(&d);
	e.list = json_array();
	if (e.list == NULL || cybex_store_incident_links(r->store, inc->id, 0,
	    evid_cb, &e, &d) != 0 || e.err != 0) {
		json_decref(e.list);
		json_decref(j);
		return NULL;
	}
	json_object_set_new(j, "links", e.list);
	return j;
}

static void
etag(struct req *r, const char *version)
{
	char buf[CYBEX_VERSION_KEY_MAX + 4];

	snprintf(buf, sizeof(buf), "\"%s\"", version);
	reply_header(r, MHD_HTTP_HEADER_ETAG, buf);
}

/* Answer with the current version of id (after a change). */
static enum MHD_Result
reply_incident(struct req *r, unsigned status, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_diag d;
	char loc[CYBEX_INCIDENT_ID_MAX + 32];
	json_t *j;

	cybex_diag_clear(&d);
	if (cybex_incident_get(r->store, id, &inc, &d) != 0)
		return reply_diag(r, SHAPE_PROBLEM, &d);
	j = incident_json(r, inc, true);
	etag(r, inc->modified);
	if (status == 201) {
		snprintf(loc, sizeof(loc), "/api/v1/incidents/%s", inc->id);
		reply_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	}
	cybex_incident_free(inc);
	return reply_obj(r, status, JSON_MEDIA, j);
}

/*
 * A change the library refused: a stale If-Match is 412, another
 * concurrent change 409; notfound_status for an ENOTFOUND that names
 * something in the body (an assignee, an organization) rather than the
 * path.
 */
static enum MHD_Result
reply_change(struct req *r, const struct cybex_diag *d, const char *expect,
    unsigned notfound_status)
{
	if (d->code == CYBEX_ECONFLICT && expect != NULL)
		return reply_problem(r, 412, "Precondition Failed", "%s",
		    d->message);
	if (d->code == CYBEX_ENOTFOUND && notfound_status != 404)
		return reply_problem(r, notfound_status, notfound_status == 422 ?
		    "Unprocessable Content" : "Bad Request", "%s", d->message);
	return reply_diag(r, SHAPE_PROBLEM, d);
}

static void
ctx_of(struct req *r, const struct caller *c, struct cybex_incident_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->store = r->store;
	x->actor = c->name;
}

/* ---- GET /api/v1/incidents ---- */

struct list_page {
	const struct caller	*c;
	json_t			*list;
	int			 err;
};

static int
row_cb(void *ud, const struct cybex_incident_row *row)
{
	struct list_page *lp = ud;
	json_t *j;

	if (!visible(lp->c, row->org, row->tlp))
		return 0;
	j = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:{s:s?, "
	    "s:s?}, s:s, s:o, s:o}", "id", row->id, "version", row->modified,
	    "title", row->title, "status", row->status, "severity",
	    row->severity, "priority", row->priority, "assignee",
	    str_json(row->assignee), "org", str_json(row->org),
	    "classification", "class", row->class, "type", row->type,
	    "tlp", tlp_word(row->tlp), "created", time_json(row->created_us),
	    "modified", time_json(row->updated_us));
	if (j == NULL || json_array_append_new(lp->list, j) != 0)
		return lp->err = CYBEX_ENOMEM;
	return 0;
}

static enum MHD_Result
incidents_list(struct req *r, const struct caller *c)
{
	struct cybex_incident_filter f;
	struct list_page lp;
	struct cybex_page pg;
	struct cybex_diag d;
	unsigned long long lim;
	const char *v;
	char *end;
	json_t *j;

	memset(&f, 0, sizeof(f));
	f.status = arg(r, "status");
	if (f.status != NULL && cybex_incident_status_parse(f.status) < 0)
		return reply_problem(r, 400, "Bad Request", "status '%s' is not "
		    "new, triage, in-progress, contained, eradicated, "
		    "recovered or closed", f.status);
	if ((v = arg(r, "open")) != NULL) {
		if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
			return reply_problem(r, 400, "Bad Request", "open must "
			    "be true or false");
		f.open_only = strcmp(v, "true") == 0;
	}
	if ((v = arg(r, "severity")) != NULL) {
		if (v[0] < '1' || v[0] > '4' || v[1] != '\0')
			return reply_problem(r, 400, "Bad Request", "severity "
			    "must be 1 to 4");
		f.severity = v[0] - '0';
	}
	f.assignee = arg(r, "assignee");
	f.class = arg(r, "class");
	f.text = arg(r, "q");
	/* A member lists its own organization unless it names another. */
	f.org = arg(r, "org");
	if (f.org == NULL && !c->admin)
		f.org = c->org;
	f.limit = (size_t)r->srv->cfg.page_size;
	if ((v = arg(r, "limit")) != NULL) {
		errno = 0;
		lim = strtoull(v, &end, 10);
		if (errno != 0 || *end != '\0' || *v < '0' || *v > '9' ||
		    lim == 0)
			return reply_problem(r, 400, "Bad Request", "limit '%s' "
			    "is not a positive whole number", v);
		f.limit = lim > (unsigned long long)r->srv->cfg.max_page_size ?
		    (size_t)r->srv->cfg.max_page_size : (size_t)lim;
	}
	f.next = arg(r, "next");
	memset(&lp, 0, sizeof(lp));
	lp.c = c;
	if ((lp.list = json_array()) == NULL)
		return MHD_NO;
	cybex_diag_clear(&d);
	if (cybex_store_incident_list(r->store, &f, row_cb, &lp, &pg,
	    &d) != 0 || lp.err != 0) {
		json_decref(lp.list);
		if (d.code == 0)
			cybex_diag_set(&d, lp.err, "out of memory");
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	j = json_pack("{s:b, s:o}", "more", pg.more, "incidents", lp.list);
	if (j != NULL && pg.more)
		json_object_set_new(j, "next", json_string(pg.next));
	return reply_obj(r, 200, JSON_MEDIA, j);
}

/* ---- POST /api/v1/incidents ---- */

static const char *const create_keys[] = {
	"title", "description", "severity", "priority", "class", "type",
	"assignee", "org", "tlp", "first_activity", "last_activity", NULL
};

/* Read a create body into sp (strings borrowed from o). */
static int
spec_of(json_t *o, struct cybex_incident_spec *sp, struct cybex_diag *d)
{
	bool p;
	int rc;

	memset(sp, 0, sizeof(*sp));
	if ((rc = get_str(o, "title", F_REQUIRED, CYBEX_INCIDENT_TITLE_MAX,
	    &sp->title, &p, d)) != 0 ||
	    (rc = get_str(o, "description", F_NULLABLE, CYBEX_INCIDENT_TEXT_MAX,
	    &sp->description, &p, d)) != 0 ||
	    (rc = get_int(o, "severity", 1, 4, &sp->severity, &p, d)) != 0 ||
	    (rc = get_int(o, "priority", 1, 4, &sp->priority, &p, d)) != 0 ||
	    (rc = get_str(o, "class", 0, 64, &sp->class, &p, d)) != 0 ||
	    (rc = get_str(o, "type", 0, 64, &sp->type, &p, d)) != 0 ||
	    (rc = get_str(o, "assignee", F_NULLABLE, CYBEX_NAME_MAX,
	    &sp->assignee, &p, d)) != 0 ||
	    (rc = get_str(o, "org", F_NULLABLE, CYBEX_NAME_MAX, &sp->org, &p,
	    d)) != 0 ||
	    (rc = get_tlp(o, "tlp", &sp->tlp, &p, d)) != 0 ||
	    (rc = get_time(o, "first_activity", F_NULLABLE,
	    &sp->first_activity_us, &p, d)) != 0 ||
	    (rc = get_time(o, "last_activity", F_NULLABLE,
	    &sp->last_activity_us, &p, d)) != 0)
		return rc;
	if ((sp->class == NULL) != (sp->type == NULL))
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: class and type go "
		    "together", sp->class == NULL ? "class" : "type");
	return 0;
}

/*
 * May c open an incident as sp says?  Members open them in their own
 * organization (the default), analysts assigned to nobody or to
 * themselves; leads assign anyone.
 */
static const char *
create_refusal(const struct caller *c, struct cybex_incident_spec *sp)
{
	if (c->admin)
		return NULL;
	if (c->role < CYBEX_ORG_ROLE_ANALYST)
		return "opening an incident takes the analyst or lead role";
	if (sp->org == NULL)
		sp->org = c->org;
	else if (!own(c, sp->org))
		return "members open incidents in their own organization only";
	if (sp->assignee != NULL && c->role != CYBEX_ORG_ROLE_LEAD &&
	    strcmp(sp->assignee, c->name) != 0)
		return "assigning an incident to someone else takes the lead "
		    "role";
	return NULL;
}

static enum MHD_Result
incidents_create(struct req *r, const struct caller *c)
{
	struct cybex_incident_spec sp;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	char id[CYBEX_INCIDENT_ID_MAX];
	const char *why;
	json_t *o;

	if (!body_obj(r, create_keys, &o, &mr))
		return mr;
	cybex_diag_clear(&d);
	if (spec_of(o, &sp, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	if ((why = create_refusal(c, &sp)) != NULL) {
		mr = forbidden(r, why);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_new(&x, &sp, id, &d) != 0)
		mr = reply_change(r, &d, NULL, 422);
	else
		mr = reply_incident(r, 201, id);
 out:
	json_decref(o);
	return mr;
}

/* ---- PATCH /api/v1/incidents/{id} ---- */

static const char *const update_keys[] = {
	"title", "description", "severity", "priority", "class", "type", "org",
	"tlp", "determination", "first_activity", "last_activity", NULL
};

static int
change_of(json_t *o, const struct cybex_incident *inc,
    struct cybex_incident_change *ch, struct cybex_diag *d)
{
	bool p, pc, pt, pf, pl;
	int rc;

	memset(ch, 0, sizeof(*ch));
	if ((rc = get_str(o, "title", 0, CYBEX_INCIDENT_TITLE_MAX, &ch->title,
	    &p, d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_TITLE : 0;
	if ((rc = get_str(o, "description", F_NULLABLE, CYBEX_INCIDENT_TEXT_MAX,
	    &ch->description, &p, d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_DESCRIPTION : 0;
	if ((rc = get_int(o, "severity", 1, 4, &ch->severity, &p, d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_SEVERITY : 0;
	if ((rc = get_int(o, "priority", 1, 4, &ch->priority, &p, d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_PRIORITY : 0;
	if ((rc = get_str(o, "class", 0, 64, &ch->class, &pc, d)) != 0 ||
	    (rc = get_str(o, "type", 0, 64, &ch->type, &pt, d)) != 0)
		return rc;
	if (pc != pt)
		return cybex_diag_set(d, CYBEX_EINVAL, "/%s: class and type go "
		    "together", pc ? "type" : "class");
	ch->set |= pc ? CYBEX_INCIDENT_SET_CLASS : 0;
	if ((rc = get_str(o, "org", F_NULLABLE, CYBEX_NAME_MAX, &ch->org, &p,
	    d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_ORG : 0;
	if ((rc = get_tlp(o, "tlp", &ch->tlp, &p, d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_TLP : 0;
	if ((rc = get_str(o, "determination", 0, 64, &ch->determination, &p,
	    d)) != 0)
		return rc;
	ch->set |= p ? CYBEX_INCIDENT_SET_DETERMINATION : 0;
	if ((rc = get_time(o, "first_activity", F_NULLABLE,
	    &ch->first_activity_us, &pf, d)) != 0 ||
	    (rc = get_time(o, "last_activity", F_NULLABLE,
	    &ch->last_activity_us, &pl, d)) != 0)
		return rc;
	if (pf || pl) {
		ch->set |= CYBEX_INCIDENT_SET_ACTIVITY;
		if (!pf)
			ch->first_activity_us = inc->first_activity_us;
		if (!pl)
			ch->last_activity_us = inc->last_activity_us;
	}
	if (ch->set == 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "the body changes "
		    "nothing: give one of title, description, severity, "
		    "priority, class and type, org, tlp, determination, "
		    "first_activity, last_activity");
	return 0;
}

static enum MHD_Result
incident_patch(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident_change ch;
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect;
	json_t *o = NULL;

	if (!if_match(r, &expect, &mr))
		return mr;
	if (expect == NULL)
		return reply_problem(r, 428, "Precondition Required", "send "
		    "If-Match with the incident's ETag: a change is made "
		    "against the version it was read at");
	if (!load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, update_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (change_of(o, inc, &ch, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	/* Another organization, or a wider audience, is not an analyst's. */
	if ((ch.set & CYBEX_INCIDENT_SET_ORG) && !may(c, P_ADMIN, inc->org) &&
	    !(ch.org != NULL && inc->org != NULL &&
	    strcmp(ch.org, inc->org) == 0)) {
		mr = forbidden(r, perm_why(P_ADMIN));
		goto out;
	}
	if ((ch.set & CYBEX_INCIDENT_SET_TLP) && ch.tlp < tlp_of(inc->tlp) &&
	    !may(c, P_CLOSE, inc->org)) {
		mr = forbidden(r, "lowering an incident's TLP takes the lead "
		    "role in its organization");
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_update(&x, id, expect, &ch, NULL, &d) != 0)
		mr = reply_change(r, &d, expect, 422);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

/* ---- POST .../transitions, .../assign ---- */

static const char *const transition_keys[] = {
	"status", "resolution", "duplicate_of", NULL
};

static enum MHD_Result
incident_transition(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident_change ch;
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, *st, *res;
	json_t *o = NULL;
	bool p;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, transition_keys, &o, &mr))
		goto out;
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_STATUS;
	cybex_diag_clear(&d);
	if (get_str(o, "status", F_REQUIRED, 32, &st, &p, &d) != 0 ||
	    get_str(o, "resolution", F_NULLABLE, 32, &res, &p, &d) != 0 ||
	    get_str(o, "duplicate_of", F_NULLABLE, CYBEX_INCIDENT_ID_MAX,
	    &ch.duplicate_of, &p, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	if ((ch.status = cybex_incident_status_parse(st)) < 0) {
		mr = reply_problem(r, 400, "Bad Request", "/status: '%s' is not "
		    "new, triage, in-progress, contained, eradicated, "
		    "recovered or closed", st);
		goto out;
	}
	if (res != NULL &&
	    (ch.resolution = cybex_incident_resolution_parse(res)) <= 0) {
		mr = reply_problem(r, 400, "Bad Request", "/resolution: '%s' is "
		    "not true-positive, false-positive, benign, duplicate or "
		    "other", res);
		goto out;
	}
	/* Closing and reopening are the lead's. */
	if ((ch.status == CYBEX_INCIDENT_CLOSED ||
	    inc->status == CYBEX_INCIDENT_CLOSED) && !may(c, P_CLOSE, inc->org)) {
		mr = forbidden(r, perm_why(P_CLOSE));
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_update(&x, id, expect, &ch, NULL, &d) != 0)
		mr = reply_change(r, &d, expect, 422);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

static const char *const assign_keys[] = { "assignee", NULL };

static enum MHD_Result
incident_assign(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident_change ch;
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect;
	json_t *o = NULL;
	bool p;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_ASSIGN, &inc, &mr))
		return mr;
	if (!body_obj(r, assign_keys, &o, &mr))
		goto out;
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_ASSIGNEE;
	cybex_diag_clear(&d);
	if (get_str(o, "assignee", F_REQUIRED | F_NULLABLE, CYBEX_NAME_MAX,
	    &ch.assignee, &p, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_update(&x, id, expect, &ch, NULL, &d) != 0)
		mr = reply_change(r, &d, expect, 422);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

/* ---- notes, tasks ---- */

static const char *const note_keys[] = { "text", NULL };

static enum MHD_Result
incident_note(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, *text;
	char nid[CYBEX_INCIDENT_ID_MAX];
	json_t *o = NULL, *j;
	bool p;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, note_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (get_str(o, "text", F_REQUIRED, CYBEX_INCIDENT_TEXT_MAX, &text, &p,
	    &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_note(&x, id, expect, text, nid, &d) != 0) {
		mr = reply_change(r, &d, expect, 404);
		goto out;
	}
	cybex_incident_free(inc);
	inc = NULL;
	if (cybex_incident_get(r->store, id, &inc, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	etag(r, inc->modified);
	j = json_pack("{s:s, s:s, s:s}", "id", nid, "incident", id, "version",
	    inc->modified);
	mr = reply_obj(r, 201, JSON_MEDIA, j);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

static const char *const task_keys[] = { "title", "assignee", "due", NULL };
static const char *const task_update_keys[] = {
	"status", "assignee", "due", "log", NULL
};

static enum MHD_Result
incident_task_add(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, *title, *who;
	int64_t due;
	json_t *o = NULL, *j;
	bool p;
	int no = 0;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, task_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (get_str(o, "title", F_REQUIRED, CYBEX_INCIDENT_TITLE_MAX, &title,
	    &p, &d) != 0 || get_str(o, "assignee", F_NULLABLE, CYBEX_NAME_MAX,
	    &who, &p, &d) != 0 || get_time(o, "due", F_NULLABLE, &due, &p,
	    &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_task_add(&x, id, expect, title, who, due, &no,
	    &d) != 0) {
		mr = reply_change(r, &d, expect, 422);
		goto out;
	}
	cybex_incident_free(inc);
	inc = NULL;
	if (cybex_incident_get(r->store, id, &inc, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	etag(r, inc->modified);
	j = json_pack("{s:i, s:s, s:s}", "no", no, "incident", id, "version",
	    inc->modified);
	mr = reply_obj(r, 201, JSON_MEDIA, j);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

static enum MHD_Result
incident_task_update(struct req *r, const struct caller *c, const char *id,
    const char *nos)
{
	struct cybex_incident_task_change tc;
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect;
	json_t *o = NULL;
	char *end;
	long no;
	bool p;

	errno = 0;
	no = strtol(nos, &end, 10);
	if (errno != 0 || *end != '\0' || *nos < '1' || *nos > '9' ||
	    no > CYBEX_INCIDENT_TASKS_MAX)
		return reply_problem(r, 404, "Not Found", "no task '%s'", nos);
	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, task_update_keys, &o, &mr))
		goto out;
	memset(&tc, 0, sizeof(tc));
	cybex_diag_clear(&d);
	if (get_str(o, "status", 0, 32, &tc.status, &p, &d) != 0 ||
	    get_str(o, "assignee", F_NULLABLE, CYBEX_NAME_MAX, &tc.assignee,
	    &tc.set_assignee, &d) != 0 ||
	    get_time(o, "due", F_NULLABLE, &tc.due_us, &tc.set_due, &d) != 0 ||
	    get_str(o, "log", 0, CYBEX_INCIDENT_TEXT_MAX, &tc.log, &p,
	    &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	if (json_object_size(o) == 0) {
		mr = reply_problem(r, 400, "Bad Request", "the body changes "
		    "nothing: give status, assignee, due or log");
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_task_update(&x, id, expect, (int)no, &tc, &d) != 0)
		mr = reply_change(r, &d, expect, 404);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

/* ---- evidence, merge, split ---- */

static const char *const refs_keys[] = { "refs", NULL };
static const char *const split_keys[] = { "refs", "title", NULL };
static const char *const merge_keys[] = { "from", NULL };

static enum MHD_Result
incident_link(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, **refs;
	json_t *o = NULL;
	size_t n;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, refs_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (get_refs(o, &refs, &n, r->a, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_link(&x, id, expect, refs, n, &d) != 0)
		mr = reply_change(r, &d, expect, 404);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

static enum MHD_Result
incident_unlink(struct req *r, const struct caller *c, const char *id,
    const char *ref)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	cybex_incident_free(inc);
	ctx_of(r, c, &x);
	cybex_diag_clear(&d);
	if (cybex_incident_unlink(&x, id, expect, ref, &d) != 0)
		return reply_change(r, &d, expect, 404);
	return reply_incident(r, 200, id);
}

static enum MHD_Result
incident_merge(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL, *from = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, *fid;
	json_t *o = NULL;
	bool p;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_MERGE, &inc, &mr))
		return mr;
	if (!body_obj(r, merge_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (get_str(o, "from", F_REQUIRED, CYBEX_INCIDENT_ID_MAX, &fid, &p,
	    &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	/* The one merged away must be the caller's to merge too. */
	if (!load_incident(r, c, fid, P_MERGE, &from, &mr))
		goto out;
	if (expect != NULL && strcmp(expect, inc->modified) != 0) {
		mr = reply_problem(r, 412, "Precondition Failed", "incident "
		    "'%s' is at version %s now, not %s", id, inc->modified,
		    expect);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_merge(&x, id, fid, &d) != 0)
		mr = reply_change(r, &d, NULL, 422);
	else
		mr = reply_incident(r, 200, id);
 out:
	json_decref(o);
	cybex_incident_free(from);
	cybex_incident_free(inc);
	return mr;
}

static enum MHD_Result
incident_split(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_ctx x;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *expect, **refs, *title;
	char nid[CYBEX_INCIDENT_ID_MAX];
	json_t *o = NULL;
	size_t n;
	bool p;

	if (!if_match(r, &expect, &mr) ||
	    !load_incident(r, c, id, P_WRITE, &inc, &mr))
		return mr;
	if (!body_obj(r, split_keys, &o, &mr))
		goto out;
	cybex_diag_clear(&d);
	if (get_refs(o, &refs, &n, r->a, &d) != 0 || get_str(o, "title",
	    F_NULLABLE, CYBEX_INCIDENT_TITLE_MAX, &title, &p, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	if (expect != NULL && strcmp(expect, inc->modified) != 0) {
		mr = reply_problem(r, 412, "Precondition Failed", "incident "
		    "'%s' is at version %s now, not %s", id, inc->modified,
		    expect);
		goto out;
	}
	ctx_of(r, c, &x);
	if (cybex_incident_split(&x, id, refs, n, title, nid, &d) != 0)
		mr = reply_change(r, &d, NULL, 422);
	else
		mr = reply_incident(r, 201, nid);
 out:
	json_decref(o);
	cybex_incident_free(inc);
	return mr;
}

/* ---- timeline, export ---- */

static int
event_cb(void *ud, const struct cybex_incident_event *e)
{
	json_t *list = ud, *j;

	j = json_pack("{s:o, s:s, s:s, s:s, s:s, s:o}", "time",
	    time_json(e->time_us), "version", e->version, "action", e->action,
	    "actor", e->actor != NULL ? e->actor : "", "summary",
	    e->summary != NULL ? e->summary : "", "text", str_json(e->text));
	return j == NULL || json_array_append_new(list, j) != 0 ?
	    CYBEX_ENOMEM : 0;
}

static enum MHD_Result
incident_timeline(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct cybex_diag d;
	enum MHD_Result mr;
	json_t *list;

	if (!load_incident(r, c, id, P_READ, &inc, &mr))
		return mr;
	etag(r, inc->modified);
	cybex_incident_free(inc);
	if ((list = json_array()) == NULL)
		return MHD_NO;
	cybex_diag_clear(&d);
	if (cybex_incident_timeline(r->store, id, event_cb, list, &d) != 0) {
		json_decref(list);
		if (d.code == 0)
			cybex_diag_set(&d, CYBEX_ENOMEM, "out of memory");
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	return reply_obj(r, 200, JSON_MEDIA, json_pack("{s:s, s:o}", "id", id,
	    "events", list));
}

#define COLLS_MAX	4096

struct colls {
	char		(*id)[CYBEX_UUID_STRLEN + 1];
	const char	**ids;
	size_t		 n;
};

static int
coll_cb(void *ud, const struct cybex_collection *col)
{
	struct colls *cs = ud;

	if (cs->n == COLLS_MAX)
		return CYBEX_ETOOBIG;
	memcpy(cs->id[cs->n], col->id, sizeof(col->id));
	cs->ids[cs->n] = cs->id[cs->n];
	cs->n++;
	return 0;
}

/*
 * The collections the caller may read (its own and its groups' grants):
 * where the linked objects of its exports may come from.  Past COLLS_MAX
 * collections the rest are left out (fail closed).
 */
static int
readable(struct req *r, struct colls *cs, struct cybex_diag *d)
{
	struct colls every;
	bool rd, wr;
	size_t i;
	int rc;

	cs->n = every.n = 0;
	every.id = cybex_calloc(COLLS_MAX, sizeof(*every.id));
	every.ids = cybex_calloc(COLLS_MAX, sizeof(*every.ids));
	cs->id = cybex_calloc(COLLS_MAX, sizeof(*cs->id));
	cs->ids = cybex_calloc(COLLS_MAX, sizeof(*cs->ids));
	if (every.id == NULL || every.ids == NULL || cs->id == NULL ||
	    cs->ids == NULL) {
		rc = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = cybex_store_collection_list(r->store, coll_cb, &every,
	    d)) != 0 && rc != CYBEX_ETOOBIG)
		goto out;
	rc = 0;
	for (i = 0; i < every.n; i++) {
		if ((rc = auth_access(r, every.id[i], &rd, &wr)) != 0) {
			cybex_diag_set(d, rc, "cannot read permissions");
			goto out;
		}
		if (rd) {
			memcpy(cs->id[cs->n], every.id[i], sizeof(every.id[i]));
			cs->ids[cs->n] = cs->id[cs->n];
			cs->n++;
		}
	}
 out:
	cybex_free(every.id);
	cybex_free(every.ids);
	return rc;
}

static enum MHD_Result
incident_export(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	struct colls cs = { NULL, NULL, 0 };
	struct cybex_buf b;
	struct cybex_diag d;
	enum MHD_Result mr;
	const char *v;
	size_t withheld = 0;
	char nw[32];
	int ceiling, want;

	if (!load_incident(r, c, id, P_EXPORT, &inc, &mr))
		return mr;
	/* The caller's audience: RED for its own, GREEN for others'. */
	ceiling = c->admin || own(c, inc->org) ? CYBEX_TLP_RED :
	    CYBEX_TLP_GREEN;
	want = ceiling;
	if ((v = arg(r, "max_tlp")) != NULL) {
		if ((want = cybex_tlp_parse(v)) <= 0) {
			cybex_incident_free(inc);
			return reply_problem(r, 400, "Bad Request", "max_tlp "
			    "'%s' is not clear, green, amber, amber+strict or "
			    "red", v);
		}
		if (want > ceiling)
			want = ceiling;
	}
	cybex_incident_free(inc);
	cybex_buf_init(&b, LIST_BODY_MAX);
	cybex_diag_clear(&d);
	/* Linked objects only from collections the caller may read. */
	if ((!c->admin && readable(r, &cs, &d) != 0) ||
	    cybex_incident_export_for(r->store, id, want, c->admin ? NULL :
	    cs.ids, cs.n, &b, &withheld, &d) != 0) {
		cybex_free(cs.id);
		cybex_free(cs.ids);
		cybex_buf_free(&b);
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	cybex_free(cs.id);
	cybex_free(cs.ids);
	snprintf(nw, sizeof(nw), "%zu", withheld);
	reply_header(r, "X-Cybex-Withheld", nw);
	mr = reply_buf(r, 200, STIX_MEDIA, &b);
	cybex_buf_free(&b);
	return mr;
}

/* ---- alerts: acknowledge, escalate ---- */

struct one_alert {
	const struct cybex_caller	*who;
	bool				 found;
	bool				 open;
	char				 org[CYBEX_NAME_MAX + 1];
	bool				 hub;	/* of no organization */
	int				 tlp;
	int				 severity;
	char				 cls[65], type[65];
	char				 summary[CYBEX_INCIDENT_TITLE_MAX];
	int64_t				 first_us, last_us;
};

static int
alert_cb(void *ud, const struct cybex_alert_row *a)
{
	struct one_alert *oa = ud;

	if (!cybex_policy_alert_visible(oa->who, a))
		return 0;
	oa->found = true;
	oa->open = a->closed_us == 0;
	oa->hub = a->org == NULL;
	snprintf(oa->org, sizeof(oa->org), "%s", a->org != NULL ? a->org : "");
	oa->tlp = cybex_policy_alert_tlp(a->tlp);
	oa->severity = a->severity >= 1 && a->severity <= 4 ? a->severity : 2;
	snprintf(oa->cls, sizeof(oa->cls), "%s", a->taxonomy_class != NULL ?
	    a->taxonomy_class : "");
	snprintf(oa->type, sizeof(oa->type), "%s", a->taxonomy_type != NULL ?
	    a->taxonomy_type : "");
	snprintf(oa->summary, sizeof(oa->summary), "%s", a->summary);
	oa->first_us = a->first_seen_us;
	oa->last_us = a->last_seen_us;
	return CYBEX_ROW_STOP;
}

/*
 * The alert id as the caller may see it (the GET /api/v1/alerts rule):
 * false with a 404 queued otherwise.
 */
static bool
load_alert(struct req *r, const struct caller *c, const char *id,
    struct cybex_caller *who, struct one_alert *oa, enum MHD_Result *mr)
{
	struct cybex_alert_query q;
	struct cybex_uuid u;
	struct cybex_page pg;
	struct cybex_diag d;
	int rc;

	memset(oa, 0, sizeof(*oa));
	who->admin = c->admin;
	who->org = c->org;
	oa->who = who;
	if (cybex_uuid_parse(id, strlen(id), &u) != 0) {
		*mr = reply_problem(r, 404, "Not Found", "no alert '%s' that "
		    "this user may see", id);
		return false;
	}
	memset(&q, 0, sizeof(q));
	q.id = id;
	q.limit = 1;
	cybex_diag_clear(&d);
	if (cybex_policy_alert_scope(who, NULL, &q, &d) != 0) {
		*mr = reply_error(r, SHAPE_PROBLEM, d.code, 0, "%s", d.message);
		return false;
	}
	rc = cybex_store_alert_query(r->store, &q, alert_cb, oa, &pg, &d);
	if (rc != 0 && rc != CYBEX_ROW_STOP) {
		*mr = reply_diag(r, SHAPE_PROBLEM, &d);
		return false;
	}
	if (!oa->found) {
		*mr = reply_problem(r, 404, "Not Found", "no alert '%s' that "
		    "this user may see", id);
		return false;
	}
	return true;
}

/* Acting on an alert: an analyst or lead of its organization, or admin. */
static bool
alert_writable(const struct caller *c, const struct one_alert *oa)
{
	if (c->admin)
		return true;
	return c->role >= CYBEX_ORG_ROLE_ANALYST && !oa->hub &&
	    strcmp(oa->org, c->org) == 0;
}

static enum MHD_Result
alert_ack(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_caller who;
	struct one_alert oa;
	struct cybex_diag d;
	enum MHD_Result mr;

	if (!load_alert(r, c, id, &who, &oa, &mr))
		return mr;
	if (!alert_writable(c, &oa))
		return forbidden(r, "acknowledging an alert takes the analyst "
		    "or lead role in its organization");
	if (!oa.open)
		return reply_problem(r, 409, "Conflict", "alert '%s' is closed "
		    "already", id);
	cybex_diag_clear(&d);
	if (cybex_store_begin(r->store, &d) != 0)
		return reply_diag(r, SHAPE_PROBLEM, &d);
	if (cybex_store_alert_close(r->store, id, &d) != 0 ||
	    cybex_store_audit(r->store, c->name, "alert-acknowledge", id,
	    NULL, &d) != 0 || cybex_store_commit(r->store, &d) != 0) {
		(void)cybex_store_rollback(r->store);
		return reply_diag(r, SHAPE_PROBLEM, &d);
	}
	return reply_obj(r, 200, JSON_MEDIA, json_pack("{s:s, s:s, s:s}", "id",
	    id, "status", "acknowledged", "by", c->name));
}

static const char *const escalate_keys[] = {
	"title", "description", "severity", "priority", "assignee", "tlp", NULL
};

static enum MHD_Result
alert_escalate(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident_spec sp;
	struct cybex_incident_ctx x;
	struct cybex_caller who;
	struct one_alert oa;
	struct cybex_diag d;
	enum MHD_Result mr;
	char iid[CYBEX_INCIDENT_ID_MAX], ref[CYBEX_INCIDENT_ID_MAX + 16];
	const char *refs[1], *why;
	json_t *o = NULL;
	bool p;

	if (!load_alert(r, c, id, &who, &oa, &mr))
		return mr;
	if (!alert_writable(c, &oa))
		return forbidden(r, "escalating an alert takes the analyst or "
		    "lead role in its organization");
	if (r->body.len > 0) {
		if (!body_obj(r, escalate_keys, &o, &mr))
			return mr;
	} else if ((o = json_object()) == NULL)
		return MHD_NO;
	memset(&sp, 0, sizeof(sp));
	cybex_diag_clear(&d);
	if (get_str(o, "title", 0, CYBEX_INCIDENT_TITLE_MAX, &sp.title, &p,
	    &d) != 0 || get_str(o, "description", F_NULLABLE,
	    CYBEX_INCIDENT_TEXT_MAX, &sp.description, &p, &d) != 0 ||
	    get_int(o, "severity", 1, 4, &sp.severity, &p, &d) != 0 ||
	    get_int(o, "priority", 1, 4, &sp.priority, &p, &d) != 0 ||
	    get_str(o, "assignee", F_NULLABLE, CYBEX_NAME_MAX, &sp.assignee, &p,
	    &d) != 0 || get_tlp(o, "tlp", &sp.tlp, &p, &d) != 0) {
		mr = reply_diag(r, SHAPE_PROBLEM, &d);
		goto out;
	}
	/* What the body leaves out comes from the alert. */
	if (sp.title == NULL)
		sp.title = oa.summary;
	if (sp.severity == 0)
		sp.severity = oa.severity;
	if (oa.cls[0] != '\0' && oa.type[0] != '\0') {
		sp.class = oa.cls;
		sp.type = oa.type;
	}
	/* Never below the alert's own level. */
	if (sp.tlp == 0 || sp.tlp < oa.tlp)
		sp.tlp = oa.tlp;
	sp.org = oa.hub ? NULL : oa.org;
	sp.first_activity_us = oa.first_us;
	sp.last_activity_us = oa.last_us;
	if (!c->admin && (why = create_refusal(c, &sp)) != NULL) {
		mr = forbidden(r, why);
		goto out;
	}
	/* The incident and its link to the alert: one transaction. */
	snprintf(ref, sizeof(ref), "%s--%s", ALERT_REF_TYPE, id);
	refs[0] = ref;
	sp.evidence = refs;
	sp.nevidence = 1;
	ctx_of(r, c, &x);
	if (cybex_incident_new(&x, &sp, iid, &d) != 0 ||
	    cybex_store_audit(r->store, c->name, "alert-escalate", id, iid,
	    &d) != 0)
		mr = reply_change(r, &d, NULL, 422);
	else
		mr = reply_incident(r, 201, iid);
 out:
	json_decref(o);
	return mr;
}

/* ---- routing ---- */

static enum MHD_Result
not_allowed(struct req *r, const char *allow)
{
	reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	return reply_problem(r, 405, "Method Not Allowed", "%s is not allowed "
	    "here (allowed: %s)", r->method, allow);
}

static bool
is(const char *m, const char *want)
{
	return strcmp(m, want) == 0;
}

typedef enum MHD_Result (*sub_fn)(struct req *, const struct caller *,
    const char *);

/* The actions on one incident: /api/v1/incidents/{id}/{name}. */
static const struct {
	const char	*name;
	const char	*method;
	sub_fn		 fn;
} subs[] = {
	{ "transitions", "POST", incident_transition },
	{ "assign", "POST", incident_assign },
	{ "notes", "POST", incident_note },
	{ "tasks", "POST", incident_task_add },
	{ "evidence", "POST", incident_link },
	{ "merge", "POST", incident_merge },
	{ "split", "POST", incident_split },
	{ "timeline", "GET", incident_timeline },
	{ "export", "GET", incident_export },
};

static enum MHD_Result
incident_get(struct req *r, const struct caller *c, const char *id)
{
	struct cybex_incident *inc = NULL;
	enum MHD_Result mr;
	json_t *j;

	if (!load_incident(r, c, id, P_READ, &inc, &mr))
		return mr;
	j = incident_json(r, inc, true);
	etag(r, inc->modified);
	cybex_incident_free(inc);
	return reply_obj(r, 200, JSON_MEDIA, j);
}

enum MHD_Result
api_incidents(struct req *r, char **seg, size_t n)
{
	const char *m = r->method;
	struct caller c;
	enum MHD_Result mr;
	size_t i;

	if (!load_caller(r, &c, &mr))
		return mr;
	if (n == 0) {
		r->route = "incidents";
		if (is(m, "GET"))
			return incidents_list(r, &c);
		if (is(m, "POST"))
			return incidents_create(r, &c);
		return not_allowed(r, "GET, POST");
	}
	if (n == 1) {
		r->route = "incident";
		if (is(m, "GET"))
			return incident_get(r, &c, seg[0]);
		if (is(m, "PATCH"))
			return incident_patch(r, &c, seg[0]);
		return not_allowed(r, "GET, PATCH");
	}
	if (n == 2) {
		for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
			if (strcmp(seg[1], subs[i].name) != 0)
				continue;
			r->route = subs[i].name;
			return is(m, subs[i].method) ? subs[i].fn(r, &c,
			    seg[0]) : not_allowed(r, subs[i].method);
		}
	}
	if (n == 3 && strcmp(seg[1], "tasks") == 0) {
		r->route = "task";
		return is(m, "PATCH") ? incident_task_update(r, &c, seg[0],
		    seg[2]) : not_allowed(r, "PATCH");
	}
	if (n == 3 && strcmp(seg[1], "evidence") == 0) {
		r->route = "evidence-ref";
		return is(m, "DELETE") ? incident_unlink(r, &c, seg[0],
		    seg[2]) : not_allowed(r, "DELETE");
	}
	return reply_problem(r, 404, "Not Found", "no resource at this path");
}

enum MHD_Result
api_alert_action(struct req *r, const char *id, const char *action)
{
	struct caller c;
	enum MHD_Result mr;

	if (strcmp(action, "acknowledge") != 0 &&
	    strcmp(action, "escalate") != 0)
		return reply_problem(r, 404, "Not Found", "no resource at this "
		    "path");
	r->route = action;
	if (!is(r->method, "POST"))
		return not_allowed(r, "POST");
	if (!load_caller(r, &c, &mr))
		return mr;
	return strcmp(action, "acknowledge") == 0 ? alert_ack(r, &c, id) :
	    alert_escalate(r, &c, id);
}
