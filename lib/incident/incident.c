/*
 * Incident changes: each one opens a store transaction, reads the current
 * version (checking the caller's expected version), writes the new STIX
 * versions (incident, notes, relationships), the index rows and an audit
 * entry, and commits; any error rolls all of it back.
 */
#include <stdio.h>
#include <string.h>

#include "incident_int.h"

/* One change in progress. */
struct tx {
	const struct cybex_incident_ctx	*c;
	struct cybex_store		*s;
	char				 coll[CYBEX_UUID_STRLEN + 1];
	int64_t				 now;
};

static const char *const tlp2_ids[] = {
	[CYBEX_TLP_CLEAR] =
	    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	[CYBEX_TLP_GREEN] =
	    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	[CYBEX_TLP_AMBER] =
	    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	[CYBEX_TLP_AMBER_STRICT] =
	    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	[CYBEX_TLP_RED] =
	    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

const char *
inc_tlp_marking(int tlp)
{
	if (tlp < CYBEX_TLP_CLEAR || tlp > CYBEX_TLP_RED)
		return NULL;
	return tlp2_ids[tlp];
}

static const char *const determinations[] = {
	"blocked", "confirmed", "failed-attempt", "false-positive",
	"low-value", "successful-attempt", "suspected", NULL,
};

static int
check_determination(const char *s, struct cybex_diag *d)
{
	size_t i;

	for (i = 0; s != NULL && determinations[i] != NULL; i++)
		if (strcmp(s, determinations[i]) == 0)
			return 0;
	return cybex_diag_set(d, CYBEX_EINVAL, "determination '%s' must be "
	    "one of blocked, confirmed, failed-attempt, false-positive, "
	    "low-value, successful-attempt, suspected", s != NULL ? s : "");
}

static void
fmt_us(int64_t us, char *out, size_t n)
{
	cybex_store_format_us(us, out, n);
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	if (v == NULL)
		return json_object_del(o, k), 0;
	return json_object_set_new(o, k, json_string(v)) == 0 ? 0 :
	    CYBEX_ENOMEM;
}

static int
set_time(json_t *o, const char *k, int64_t us)
{
	char ts[32];

	if (us == 0)
		return json_object_del(o, k), 0;
	fmt_us(us, ts, sizeof(ts));
	return set_str(o, k, ts);
}

static int
make_id(const char *type, char *out, size_t n)
{
	struct cybex_uuid u;
	char us[37];
	int r;

	if ((r = cybex_uuid_v4(&u)) != 0)
		return r;
	cybex_uuid_format(&u, us);
	snprintf(out, n, "%s--%s", type, us);
	return 0;
}

/* A STIX identifier ("type--UUID") that is not an incident's? */
static int
check_ref(const char *ref, struct cybex_diag *d)
{
	const char *p = ref != NULL ? strstr(ref, "--") : NULL;
	struct cybex_uuid u;
	const char *c;

	if (p == NULL || p == ref || strlen(p + 2) != 36 ||
	    cybex_uuid_parse(p + 2, 36, &u) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is not a STIX "
		    "identifier (type--UUID)", ref != NULL ? ref : "");
	for (c = ref; c < p; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    *c == '-'))
			return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is not a "
			    "STIX identifier (type--UUID)", ref);
	if (strncmp(ref, "incident--", 10) == 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is an incident: "
		    "merge incidents instead of linking them", ref);
	return 0;
}

static int
check_user(struct cybex_store *s, const char *name, struct cybex_diag *d)
{
	struct cybex_arena *a = NULL;
	struct cybex_user u;
	int r;

	if ((r = cybex_arena_new(4096, &a)) != 0)
		return r;
	r = cybex_store_user_get(s, name, a, &u, NULL, d);
	cybex_arena_free(a);
	if (r == CYBEX_ENOTFOUND)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no user '%s' to "
		    "assign", name);
	return r;
}

struct org_find {
	const char	*name;
	bool		 found;
};

static int
org_cb(void *ud, const struct cybex_org *o)
{
	struct org_find *f = ud;

	if (strcmp(o->name, f->name) == 0)
		f->found = true;
	return f->found;
}

static int
check_org(struct cybex_store *s, const char *name, struct cybex_diag *d)
{
	struct org_find f = { name, false };
	int r;

	r = cybex_store_org_list(s, org_cb, &f, d);
	if (r < 0)
		return r;
	return f.found ? 0 : cybex_diag_set(d, CYBEX_ENOTFOUND, "no "
	    "organization '%s'", name);
}

int
inc_collection(struct cybex_store *s, bool create,
    char coll[CYBEX_UUID_STRLEN + 1], struct cybex_diag *d)
{
	struct cybex_collection col;
	struct cybex_arena *a = NULL;
	int r;

	if ((r = cybex_arena_new(4096, &a)) != 0)
		return r;
	r = cybex_store_collection_get(s, CYBEX_INCIDENT_COLLECTION, a, &col,
	    d);
	if (r == CYBEX_ENOTFOUND && create) {
		memset(&col, 0, sizeof(col));
		col.alias = CYBEX_INCIDENT_COLLECTION;
		col.title = "Incidents";
		col.description = "Incidents, their notes and evidence links "
		    "(cybex incident)";
		col.max_tlp = CYBEX_TLP_RED;
		cybex_diag_clear(d);
		r = cybex_store_collection_add(s, &col, d);
	}
	if (r == 0)
		memcpy(coll, col.id, sizeof(col.id));
	cybex_arena_free(a);
	return r;
}

struct latest {
	json_t		*obj;
	int		 r;
};

static int
latest_cb(void *ud, const struct cybex_row *row)
{
	struct latest *l = ud;

	json_decref(l->obj);
	l->obj = json_loadb(row->json, row->len, 0, NULL);
	if (l->obj == NULL)
		l->r = CYBEX_EJSON;
	return 0;
}

int
inc_get_latest(struct cybex_store *s, const char *coll, const char *id,
    json_t **out, struct cybex_diag *d)
{
	struct cybex_query q;
	struct cybex_page page;
	struct latest l = { NULL, 0 };
	int r;

	*out = NULL;
	memset(&q, 0, sizeof(q));
	q.coll_id = coll;
	q.ids = &id;
	q.nids = 1;
	q.versions = CYBEX_VERSION_LAST;
	if ((r = cybex_store_query(s, &q, latest_cb, &l, &page, d)) != 0 ||
	    (r = l.r) != 0) {
		json_decref(l.obj);
		return r;
	}
	if (l.obj == NULL)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no object '%s' in "
		    "the store", id);
	*out = l.obj;
	return 0;
}

static int
tx_begin(struct tx *t, const struct cybex_incident_ctx *c, bool create,
    struct cybex_diag *d)
{
	struct cybex_time now;
	int r;

	memset(t, 0, sizeof(*t));
	t->c = c;
	t->s = c->store;
	if (c->actor == NULL || *c->actor == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "an incident change "
		    "needs an actor");
	if (c->now_us != 0)
		t->now = c->now_us;
	else {
		cybex_time_now(&now);
		t->now = now.sec * 1000000 + now.nsec / 1000;
	}
	if ((r = cybex_store_begin(t->s, d)) != 0)
		return r;
	if ((r = inc_collection(t->s, create, t->coll, d)) != 0) {
		cybex_store_rollback(t->s);
		if (r == CYBEX_ENOTFOUND)
			return cybex_diag_set(d, CYBEX_ENOTFOUND, "the store "
			    "holds no incidents");
	}
	return r;
}

static int
tx_end(struct tx *t, int r, struct cybex_diag *d)
{
	if (r == 0)
		return cybex_store_commit(t->s, d);
	cybex_store_rollback(t->s);
	return r;
}

/* The first error of a validation, kept. */
static void
first_error(void *ud, const struct cybex_diag *vd)
{
	struct cybex_diag *keep = ud;

	if (keep->code == 0 && vd->severity == CYBEX_SEV_ERROR)
		*keep = *vd;
}

/* Validate and store one object in the incident collection. */
static int
tx_put(struct tx *t, json_t *obj, struct cybex_diag *d)
{
	struct cybex_buf b;
	struct cybex_diag vd;
	enum cybex_put_result res;
	int r;

	memset(&vd, 0, sizeof(vd));
	if (cybex_stix_validate(obj, NULL, NULL, first_error, &vd,
	    NULL) != 0)
		return cybex_diag_set(d, CYBEX_EINTERNAL, "made an invalid "
		    "%s: %s: %s", json_string_value(json_object_get(obj,
		    "type")), vd.pointer, vd.message);
	cybex_buf_init(&b, 0);
	if ((r = cybex_json_write(obj, 0, &b)) == 0)
		r = cybex_store_put(t->s, t->coll, obj, b.data, b.len, &res,
		    d);
	cybex_buf_free(&b);
	return r;
}

/* A version time after prev (RFC 3339 text) and no earlier than now. */
static int64_t
next_time(const struct tx *t, const char *prev)
{
	int64_t p = 0;

	(void)inc_time_us(prev, &p);
	return t->now > p ? t->now : p + 1;
}

/*
 * The current version of incident id, checked against expect (NULL: no
 * check), as a private copy to change.
 */
static int
tx_load(struct tx *t, const char *id, const char *expect, json_t **out,
    struct cybex_diag *d)
{
	struct cybex_incident_row row;
	struct cybex_arena *a = NULL;
	json_t *obj = NULL;
	int r;

	*out = NULL;
	if ((r = cybex_arena_new(4096, &a)) != 0)
		return r;
	if ((r = cybex_store_incident_get(t->s, id, a, &row, d)) != 0)
		goto out;
	if (expect != NULL && strcmp(expect, row.modified) != 0) {
		r = cybex_diag_set(d, CYBEX_ECONFLICT, "incident %s changed: "
		    "it is at version %s, not %s (read it again)", id,
		    row.modified, expect);
		goto out;
	}
	if ((r = inc_get_latest(t->s, t->coll, id, &obj, d)) != 0)
		goto out;
	if (strcmp(json_string_value(json_object_get(obj, "modified")) ?
	    json_string_value(json_object_get(obj, "modified")) : "",
	    row.modified) != 0) {
		r = cybex_diag_set(d, CYBEX_EDB, "incident %s: the index says "
		    "version %s, the store holds another", id, row.modified);
		goto out;
	}
	*out = json_deep_copy(obj);
	r = *out == NULL ? CYBEX_ENOMEM : 0;
 out:
	json_decref(obj);
	cybex_arena_free(a);
	return r;
}

static json_t *
wf_of(json_t *obj)
{
	return json_object_get(json_object_get(obj, "extensions"),
	    CYBEX_INCIDENT_EXT_WORKFLOW);
}

static json_t *
core_of(json_t *obj)
{
	return json_object_get(json_object_get(obj, "extensions"),
	    CYBEX_INCIDENT_EXT_CORE);
}

/* Add ref to (or remove it from) the incident's evidence_refs. */
static int
evidence_set(json_t *obj, const char *ref, bool add)
{
	json_t *wf = wf_of(obj), *list = json_object_get(wf, "evidence_refs");
	json_t *v;
	size_t i;

	if (list == NULL) {
		if (!add)
			return 0;
		if (json_object_set_new(wf, "evidence_refs", json_array()) != 0)
			return CYBEX_ENOMEM;
		list = json_object_get(wf, "evidence_refs");
	}
	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), ref) == 0) {
			if (!add)
				json_array_remove(list, i);
			return 0;
		}
	if (add && json_array_append_new(list, json_string(ref)) != 0)
		return CYBEX_ENOMEM;
	if (json_array_size(list) == 0)
		json_object_del(wf, "evidence_refs");
	return 0;
}

static int
marking_refs(int tlp, json_t **out)
{
	const char *m = inc_tlp_marking(tlp);

	*out = m != NULL ? json_pack("[s]", m) : NULL;
	return *out != NULL ? 0 : CYBEX_ENOMEM;
}

/*
 * Work out what follows from the workflow state: the Incident Core
 * investigation_status and criticality, the SLA due times and when the
 * incident was first triaged and contained.
 */
static int
derive(json_t *obj, int64_t at)
{
	json_t *wf = wf_of(obj), *core = core_of(obj), *sla;
	struct cybex_incident_sla def;
	int64_t created = 0;
	int st, sev, r = 0;
	const char *inv;

	st = cybex_incident_status_parse(json_string_value(json_object_get(wf,
	    "status")));
	sev = (int)json_integer_value(json_object_get(wf, "severity"));
	(void)inc_time_us(json_string_value(json_object_get(obj, "created")),
	    &created);
	inv = st == CYBEX_INCIDENT_NEW ? "new" : st == CYBEX_INCIDENT_CLOSED ?
	    "closed" : "open";
	if (json_object_set_new(core, "investigation_status",
	    json_string(inv)) != 0 || json_object_set_new(core, "criticality",
	    json_integer(sev * 25)) != 0)
		return CYBEX_ENOMEM;
	if ((sla = json_object_get(wf, "sla")) == NULL) {
		if (json_object_set_new(wf, "sla", json_object()) != 0)
			return CYBEX_ENOMEM;
		sla = json_object_get(wf, "sla");
	}
	if (cybex_incident_sla_default(sev, &def) != 0)
		return CYBEX_EINTERNAL;
	if ((r = set_time(sla, "triage_due", created + def.triage_us)) != 0 ||
	    (r = set_time(sla, "contain_due", created + def.contain_us)) != 0)
		return r;
	if (st != CYBEX_INCIDENT_NEW && json_object_get(sla, "triaged") ==
	    NULL && (r = set_time(sla, "triaged", at)) != 0)
		return r;
	if (st >= CYBEX_INCIDENT_CONTAINED && st <= CYBEX_INCIDENT_RECOVERED &&
	    json_object_get(sla, "contained") == NULL &&
	    (r = set_time(sla, "contained", at)) != 0)
		return r;
	return 0;
}

/*
 * Write obj as the incident's next version, made by action (summary, ref
 * may be NULL), with its index row and an audit entry.  version (may be
 * NULL) gets the new modified.
 */
static int
tx_save(struct tx *t, json_t *obj, const char *action, const char *summary,
    const char *ref, char *version, struct cybex_diag *d)
{
	struct cybex_incident *inc = NULL;
	struct cybex_incident_row row;
	json_t *ch;
	char ts[32], act[64];
	int64_t at;
	int r;

	at = next_time(t, json_string_value(json_object_get(obj,
	    "modified")));
	if (json_object_get(obj, "modified") == NULL)
		at = t->now;		/* a new incident */
	fmt_us(at, ts, sizeof(ts));
	if (json_object_get(obj, "created") == NULL &&
	    (r = set_str(obj, "created", ts)) != 0)
		return r;
	if ((r = set_str(obj, "modified", ts)) != 0 ||
	    (r = derive(obj, at)) != 0)
		return r;
	ch = json_pack("{s:s, s:s}", "action", action, "actor", t->c->actor);
	if (ch == NULL || (summary != NULL && set_str(ch, "summary",
	    summary) != 0) || (ref != NULL && set_str(ch, "ref", ref) != 0) ||
	    json_object_set_new(wf_of(obj), "last_change", ch) != 0)
		return CYBEX_ENOMEM;
	if ((r = tx_put(t, obj, d)) != 0)
		return r;
	if ((r = inc_read(obj, &inc, d)) != 0)
		return r;
	memset(&row, 0, sizeof(row));
	row.id = inc->id;
	row.modified = inc->modified;
	row.status = cybex_incident_status_name(inc->status);
	row.severity = inc->severity;
	row.priority = inc->priority;
	row.assignee = inc->assignee;
	row.org = inc->org;
	row.class = inc->class;
	row.type = inc->type;
	row.tlp = inc->tlp;
	row.title = inc->title;
	row.created_us = inc->created_us;
	row.updated_us = inc->modified_us;
	r = cybex_store_incident_put(t->s, &row, d);
	snprintf(act, sizeof(act), "incident-%s", action);
	if (r == 0)
		r = cybex_store_audit(t->s, t->c->actor, act, inc->id,
		    summary, d);
	if (r == 0 && version != NULL)
		snprintf(version, CYBEX_VERSION_KEY_MAX, "%s", inc->modified);
	cybex_incident_free(inc);
	return r;
}

/* A new SRO source -> target of type rtype, marked as the incident. */
static int
tx_relate(struct tx *t, const char *source, const char *rtype,
    const char *target, int tlp, int kind, struct cybex_diag *d)
{
	struct cybex_incident_link l;
	char rid[CYBEX_INCIDENT_ID_MAX + 8], ts[32];
	json_t *rel = NULL, *mk = NULL;
	int r;

	memset(&l, 0, sizeof(l));
	l.incident = source;
	l.ref = target;
	l.kind = kind;
	l.added_us = t->now;
	/*
	 * A relationship joins SDOs and SCOs only: a sighting (an SRO) is
	 * evidence through the workflow extension's evidence_refs alone.
	 */
	if (strncmp(target, "sighting--", 10) == 0 ||
	    strncmp(target, "relationship--", 14) == 0)
		return cybex_store_incident_link(t->s, &l, d);
	if ((r = make_id("relationship", rid, sizeof(rid))) != 0 ||
	    (r = marking_refs(tlp, &mk)) != 0)
		return r;
	fmt_us(t->now, ts, sizeof(ts));
	rel = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "type", "relationship", "spec_version", "2.1", "id", rid,
	    "created", ts, "modified", ts, "relationship_type", rtype,
	    "source_ref", source, "target_ref", target,
	    "object_marking_refs", mk);
	if (rel == NULL)
		return CYBEX_ENOMEM;
	r = tx_put(t, rel, d);
	json_decref(rel);
	if (r != 0)
		return r;
	l.rel = rid;
	return cybex_store_incident_link(t->s, &l, d);
}

/* Revoke relationship rel (a new version with revoked true). */
static int
tx_revoke(struct tx *t, const char *rel, struct cybex_diag *d)
{
	json_t *obj = NULL, *cp = NULL;
	char ts[32];
	int r;

	if ((r = inc_get_latest(t->s, t->coll, rel, &obj, d)) != 0)
		return r;
	if ((cp = json_deep_copy(obj)) == NULL) {
		json_decref(obj);
		return CYBEX_ENOMEM;
	}
	fmt_us(next_time(t, json_string_value(json_object_get(cp,
	    "modified"))), ts, sizeof(ts));
	if ((r = set_str(cp, "modified", ts)) == 0 &&
	    (r = json_object_set_new(cp, "revoked", json_true())) == 0)
		r = tx_put(t, cp, d);
	json_decref(cp);
	json_decref(obj);
	return r;
}

struct find_link {
	const char	*ref;
	char		 rel[CYBEX_INCIDENT_ID_MAX + 8];
	bool		 found;
};

static int
find_link_cb(void *ud, const struct cybex_incident_link *l)
{
	struct find_link *f = ud;

	if (strcmp(l->ref, f->ref) != 0)
		return 0;
	snprintf(f->rel, sizeof(f->rel), "%s", l->rel != NULL ? l->rel : "");
	f->found = true;
	return 1;
}

/* Unlink evidence ref from incident id, revoking its relationship. */
static int
tx_unlink(struct tx *t, const char *id, const char *ref, struct cybex_diag *d)
{
	struct find_link f;
	int r;

	memset(&f, 0, sizeof(f));
	f.ref = ref;
	r = cybex_store_incident_links(t->s, id, CYBEX_INCIDENT_LINK_EVIDENCE,
	    find_link_cb, &f, d);
	if (r < 0)
		return r;
	if (!f.found)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "'%s' is not "
		    "evidence of %s", ref, id);
	if ((r = cybex_store_incident_unlink(t->s, id, ref, d)) != 0)
		return r;
	return f.rel[0] != '\0' ? tx_revoke(t, f.rel, d) : 0;
}

static int
check_title(const char *title, struct cybex_diag *d)
{
	if (title == NULL || *title == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "an incident needs a "
		    "title");
	if (strlen(title) > CYBEX_INCIDENT_TITLE_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "an incident title has "
		    "at most %d bytes", CYBEX_INCIDENT_TITLE_MAX);
	return 0;
}

static int
check_level(const char *what, int v, struct cybex_diag *d)
{
	if (v < 1 || v > 4)
		return cybex_diag_set(d, CYBEX_EINVAL, "%s %d must be 1 to 4",
		    what, v);
	return 0;
}

static int
check_tlp(int tlp, struct cybex_diag *d)
{
	if (inc_tlp_marking(tlp) == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "TLP level %d: one of "
		    "clear, green, amber, amber+strict, red", tlp);
	return 0;
}

static int
check_activity(int64_t first, int64_t last, struct cybex_diag *d)
{
	if (first != 0 && last != 0 && first > last)
		return cybex_diag_set(d, CYBEX_EINVAL, "first activity is "
		    "after last activity");
	return 0;
}

/* Make the JSON of a new incident from spec (checked). */
static int
build_new(struct tx *t, const struct cybex_incident_spec *sp,
    const char *id, json_t **out, struct cybex_diag *d)
{
	const char *cls = sp->class, *type = sp->type;
	int sev = sp->severity != 0 ? sp->severity : 2;
	int pri = sp->priority != 0 ? sp->priority : 5 - sev;
	int tlp = sp->tlp != 0 ? sp->tlp : CYBEX_TLP_AMBER;
	json_t *obj = NULL, *wf, *core, *mk = NULL;
	int r;

	*out = NULL;
	if (cls == NULL && type == NULL) {
		cls = "other";
		type = "undetermined";
	}
	if ((r = check_title(sp->title, d)) != 0 ||
	    (r = check_level("severity", sev, d)) != 0 ||
	    (r = check_level("priority", pri, d)) != 0 ||
	    (r = cybex_incident_classification_check(cls, type, d)) != 0 ||
	    (r = check_tlp(tlp, d)) != 0 ||
	    (r = check_activity(sp->first_activity_us, sp->last_activity_us,
	    d)) != 0 ||
	    (sp->assignee != NULL && (r = check_user(t->s, sp->assignee,
	    d)) != 0) ||
	    (sp->org != NULL && (r = check_org(t->s, sp->org, d)) != 0))
		return r;
	if (sp->description != NULL &&
	    strlen(sp->description) > CYBEX_INCIDENT_TEXT_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a description has at "
		    "most %d bytes", CYBEX_INCIDENT_TEXT_MAX);
	if ((r = marking_refs(tlp, &mk)) != 0)
		return r;
	core = json_pack("{s:s, s:s, s:s}", "extension_type",
	    "property-extension", "determination", "suspected",
	    "investigation_status", "new");
	wf = json_pack("{s:s, s:s, s:i, s:i, s:{s:s, s:s, s:s}, s:[]}",
	    "extension_type", "property-extension", "status", "new",
	    "severity", sev, "priority", pri, "classification", "taxonomy",
	    "rsit", "class", cls, "type", type, "tasks");
	obj = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:o, s:o}}",
	    "type", "incident", "spec_version", "2.1", "id", id, "name",
	    sp->title, "object_marking_refs", mk, "extensions",
	    CYBEX_INCIDENT_EXT_CORE, core, CYBEX_INCIDENT_EXT_WORKFLOW, wf);
	if (obj == NULL)
		return CYBEX_ENOMEM;
	wf = wf_of(obj);
	if (set_str(obj, "description", sp->description) != 0 ||
	    set_str(wf, "assignee", sp->assignee) != 0 ||
	    set_str(wf, "organization", sp->org) != 0 ||
	    set_time(wf, "first_activity", sp->first_activity_us) != 0 ||
	    set_time(wf, "last_activity", sp->last_activity_us) != 0) {
		json_decref(obj);
		return CYBEX_ENOMEM;
	}
	*out = obj;
	return 0;
}

int
cybex_incident_new(const struct cybex_incident_ctx *c,
    const struct cybex_incident_spec *spec, char out[CYBEX_INCIDENT_ID_MAX],
    struct cybex_diag *d)
{
	struct tx t;
	json_t *obj = NULL;
	char id[CYBEX_INCIDENT_ID_MAX];
	size_t i;
	int r;

	out[0] = '\0';
	if (spec->nevidence > CYBEX_INCIDENT_REFS_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "link 1 to %d objects "
		    "at a time", CYBEX_INCIDENT_REFS_MAX);
	for (i = 0; i < spec->nevidence; i++)
		if ((r = check_ref(spec->evidence[i], d)) != 0)
			return r;
	if ((r = make_id("incident", id, sizeof(id))) != 0)
		return r;
	if ((r = tx_begin(&t, c, true, d)) != 0)
		return r;
	r = build_new(&t, spec, id, &obj, d);
	for (i = 0; r == 0 && i < spec->nevidence; i++)
		if ((r = tx_relate(&t, id, "related-to", spec->evidence[i],
		    cybex_stix_tlp_of(obj), CYBEX_INCIDENT_LINK_EVIDENCE,
		    d)) == 0)
			r = evidence_set(obj, spec->evidence[i], true);
	if (r == 0)
		r = tx_save(&t, obj, "created", spec->title, NULL, NULL, d);
	json_decref(obj);
	if ((r = tx_end(&t, r, d)) == 0)
		snprintf(out, CYBEX_INCIDENT_ID_MAX, "%s", id);
	return r;
}

int
cybex_incident_get(struct cybex_store *s, const char *id,
    struct cybex_incident **out, struct cybex_diag *d)
{
	char coll[CYBEX_UUID_STRLEN + 1];
	json_t *obj = NULL;
	int r;

	*out = NULL;
	if ((r = inc_collection(s, false, coll, d)) != 0) {
		if (r == CYBEX_ENOTFOUND)
			return cybex_diag_set(d, CYBEX_ENOTFOUND, "no incident "
			    "'%s'", id);
		return r;
	}
	if ((r = inc_get_latest(s, coll, id, &obj, d)) != 0) {
		if (r == CYBEX_ENOTFOUND)
			return cybex_diag_set(d, CYBEX_ENOTFOUND, "no incident "
			    "'%s'", id);
		return r;
	}
	if (strcmp(json_string_value(json_object_get(obj, "type")) != NULL ?
	    json_string_value(json_object_get(obj, "type")) : "",
	    "incident") != 0)
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "'%s' is not an "
		    "incident", id);
	else
		r = inc_read(obj, out, d);
	json_decref(obj);
	return r;
}

/* Append "; " (unless first) and the pieces (NULL = none) to buf. */
static void
append(char *buf, size_t n, const char *a, const char *b, const char *c,
    const char *e)
{
	const char *p[5];
	size_t len = strlen(buf), i;

	p[0] = len > 0 ? "; " : "";
	p[1] = a;
	p[2] = b;
	p[3] = c;
	p[4] = e;
	for (i = 0; i < 5; i++) {
		if (p[i] == NULL)
			continue;
		snprintf(buf + len, n - len, "%s", p[i]);
		len = strlen(buf);
	}
}

/* Apply ch to the private copy obj; summary says what changed. */
static int
apply(struct tx *t, json_t *obj, const struct cybex_incident_change *ch,
    char *summary, size_t n, const char **action, struct cybex_diag *d)
{
	json_t *wf = wf_of(obj), *core = core_of(obj), *cls, *mk;
	struct cybex_incident *cur = NULL;
	char num[2][16];
	int r;

	summary[0] = '\0';
	if ((r = inc_read(obj, &cur, d)) != 0)
		return r;
	if (ch->set == 0) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "nothing to change");
		goto out;
	}
	*action = ch->set == CYBEX_INCIDENT_SET_STATUS ? "status" :
	    ch->set == CYBEX_INCIDENT_SET_ASSIGNEE ? "assign" : "update";
	if (ch->set & CYBEX_INCIDENT_SET_TITLE) {
		if ((r = check_title(ch->title, d)) != 0 ||
		    (r = set_str(obj, "name", ch->title)) != 0)
			goto out;
		append(summary, n, "title", NULL, NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_DESCRIPTION) {
		if (ch->description != NULL &&
		    strlen(ch->description) > CYBEX_INCIDENT_TEXT_MAX) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "a description "
			    "has at most %d bytes", CYBEX_INCIDENT_TEXT_MAX);
			goto out;
		}
		if ((r = set_str(obj, "description", ch->description)) != 0)
			goto out;
		append(summary, n, "description", NULL, NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_SEVERITY) {
		if ((r = check_level("severity", ch->severity, d)) != 0)
			goto out;
		json_object_set_new(wf, "severity", json_integer(ch->severity));
		snprintf(num[0], sizeof(num[0]), "%d", cur->severity);
		snprintf(num[1], sizeof(num[1]), "%d", ch->severity);
		append(summary, n, "severity ", num[0], " -> ", num[1]);
	}
	if (ch->set & CYBEX_INCIDENT_SET_PRIORITY) {
		if ((r = check_level("priority", ch->priority, d)) != 0)
			goto out;
		json_object_set_new(wf, "priority", json_integer(ch->priority));
		snprintf(num[0], sizeof(num[0]), "%d", cur->priority);
		snprintf(num[1], sizeof(num[1]), "%d", ch->priority);
		append(summary, n, "priority ", num[0], " -> ", num[1]);
	}
	if (ch->set & CYBEX_INCIDENT_SET_CLASS) {
		if ((r = cybex_incident_classification_check(ch->class,
		    ch->type, d)) != 0)
			goto out;
		cls = json_pack("{s:s, s:s, s:s}", "taxonomy", "rsit", "class",
		    ch->class, "type", ch->type);
		if (cls == NULL || json_object_set_new(wf, "classification",
		    cls) != 0) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		append(summary, n, "classification ", ch->class, "/",
		    ch->type);
	}
	if (ch->set & CYBEX_INCIDENT_SET_ASSIGNEE) {
		if ((ch->assignee != NULL && (r = check_user(t->s,
		    ch->assignee, d)) != 0) ||
		    (r = set_str(wf, "assignee", ch->assignee)) != 0)
			goto out;
		append(summary, n, "assignee ", ch->assignee != NULL ?
		    ch->assignee : "(nobody)", NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_ORG) {
		if ((ch->org != NULL && (r = check_org(t->s, ch->org,
		    d)) != 0) ||
		    (r = set_str(wf, "organization", ch->org)) != 0)
			goto out;
		append(summary, n, "organization ", ch->org != NULL ?
		    ch->org : "(none)", NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_TLP) {
		if ((r = check_tlp(ch->tlp, d)) != 0 ||
		    (r = marking_refs(ch->tlp, &mk)) != 0)
			goto out;
		json_object_set_new(obj, "object_marking_refs", mk);
		append(summary, n, "tlp ", cybex_tlp_name(ch->tlp), NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_DETERMINATION) {
		if ((r = check_determination(ch->determination, d)) != 0 ||
		    (r = set_str(core, "determination",
		    ch->determination)) != 0)
			goto out;
		append(summary, n, "determination ", ch->determination,
		    NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_ACTIVITY) {
		if ((r = check_activity(ch->first_activity_us,
		    ch->last_activity_us, d)) != 0 ||
		    (r = set_time(wf, "first_activity",
		    ch->first_activity_us)) != 0 ||
		    (r = set_time(wf, "last_activity",
		    ch->last_activity_us)) != 0)
			goto out;
		append(summary, n, "activity", NULL, NULL, NULL);
	}
	if (ch->set & CYBEX_INCIDENT_SET_STATUS) {
		const char *from = cybex_incident_status_name(cur->status);
		const char *to = cybex_incident_status_name(ch->status);

		if (to == NULL) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "unknown status "
			    "%d", ch->status);
			goto out;
		}
		if (!cybex_incident_transition_ok(cur->status, ch->status)) {
			r = cybex_diag_set(d, CYBEX_EINVAL, "incident %s cannot "
			    "go from %s to %s", cur->id, from, to);
			goto out;
		}
		if (ch->status == CYBEX_INCIDENT_CLOSED) {
			const char *res = cybex_incident_resolution_name(
			    ch->resolution);

			if (ch->resolution == CYBEX_RESOLUTION_NONE ||
			    res == NULL) {
				r = cybex_diag_set(d, CYBEX_EINVAL, "closing "
				    "needs a resolution (true-positive, "
				    "false-positive, benign, duplicate, "
				    "other)");
				goto out;
			}
			if (ch->resolution == CYBEX_RESOLUTION_DUPLICATE) {
				struct cybex_incident_row tr;
				struct cybex_arena *a = NULL;

				if (ch->duplicate_of == NULL ||
				    strcmp(ch->duplicate_of, cur->id) == 0) {
					r = cybex_diag_set(d, CYBEX_EINVAL,
					    "a duplicate names the other "
					    "incident it duplicates");
					goto out;
				}
				if ((r = cybex_arena_new(4096, &a)) != 0)
					goto out;
				r = cybex_store_incident_get(t->s,
				    ch->duplicate_of, a, &tr, d);
				cybex_arena_free(a);
				if (r != 0)
					goto out;
				if ((r = tx_relate(t, cur->id, "duplicate-of",
				    ch->duplicate_of, cur->tlp,
				    CYBEX_INCIDENT_LINK_RELATED, d)) != 0)
					goto out;
			} else if (ch->duplicate_of != NULL) {
				r = cybex_diag_set(d, CYBEX_EINVAL, "only the "
				    "duplicate resolution names another "
				    "incident");
				goto out;
			}
			if ((r = set_str(wf, "resolution", res)) != 0 ||
			    (r = set_str(wf, "duplicate_of",
			    ch->duplicate_of)) != 0)
				goto out;
			if (ch->resolution == CYBEX_RESOLUTION_FALSE_POSITIVE &&
			    !(ch->set & CYBEX_INCIDENT_SET_DETERMINATION) &&
			    (r = set_str(core, "determination",
			    "false-positive")) != 0)
				goto out;
			append(summary, n, from, " -> closed (", res, ")");
		} else {
			if (ch->resolution != CYBEX_RESOLUTION_NONE ||
			    ch->duplicate_of != NULL) {
				r = cybex_diag_set(d, CYBEX_EINVAL, "a "
				    "resolution is given only when closing");
				goto out;
			}
			json_object_del(wf, "resolution");
			json_object_del(wf, "duplicate_of");
			/* What closing as a false positive said goes too. */
			if (cur->status == CYBEX_INCIDENT_CLOSED &&
			    cur->resolution == CYBEX_RESOLUTION_FALSE_POSITIVE &&
			    !(ch->set & CYBEX_INCIDENT_SET_DETERMINATION) &&
			    (r = set_str(core, "determination",
			    "suspected")) != 0)
				goto out;
			append(summary, n, from, " -> ", to, NULL);
		}
		if ((r = set_str(wf, "status", to)) != 0)
			goto out;
		if (cur->status == CYBEX_INCIDENT_CLOSED)
			*action = "reopen";
		else if (ch->status == CYBEX_INCIDENT_CLOSED)
			*action = "close";
	}
	r = 0;
 out:
	cybex_incident_free(cur);
	return r;
}

int
cybex_incident_update(const struct cybex_incident_ctx *c, const char *id,
    const char *expect, const struct cybex_incident_change *ch,
    char *version, struct cybex_diag *d)
{
	struct tx t;
	json_t *obj = NULL;
	const char *action = "update";
	char summary[1024];
	int r;

	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) == 0 &&
	    (r = apply(&t, obj, ch, summary, sizeof(summary), &action,
	    d)) == 0)
		r = tx_save(&t, obj, action, summary, NULL, version, d);
	json_decref(obj);
	return tx_end(&t, r, d);
}

int
cybex_incident_note(const struct cybex_incident_ctx *c, const char *id,
    const char *expect, const char *text, char *note_id,
    struct cybex_diag *d)
{
	struct cybex_incident_link l;
	struct tx t;
	json_t *obj = NULL, *note = NULL, *mk;
	char nid[CYBEX_INCIDENT_ID_MAX], ts[32];
	int r;

	if (note_id != NULL)
		note_id[0] = '\0';
	if (text == NULL || *text == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "a note needs a text");
	if (strlen(text) > CYBEX_INCIDENT_TEXT_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a note has at most %d "
		    "bytes", CYBEX_INCIDENT_TEXT_MAX);
	if ((r = make_id("note", nid, sizeof(nid))) != 0)
		return r;
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) != 0)
		goto out;
	fmt_us(next_time(&t, json_string_value(json_object_get(obj,
	    "modified"))), ts, sizeof(ts));
	mk = json_deep_copy(json_object_get(obj, "object_marking_refs"));
	note = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:[s], s:o}",
	    "type", "note", "spec_version", "2.1", "id", nid, "created", ts,
	    "modified", ts, "authors", c->actor, "content", text,
	    "object_refs", id, "object_marking_refs", mk);
	if (note == NULL) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	if ((r = tx_put(&t, note, d)) != 0)
		goto out;
	memset(&l, 0, sizeof(l));
	l.incident = id;
	l.ref = nid;
	l.kind = CYBEX_INCIDENT_LINK_NOTE;
	l.added_us = t.now;
	if ((r = cybex_store_incident_link(t.s, &l, d)) != 0)
		goto out;
	r = tx_save(&t, obj, "note", nid, nid, NULL, d);
 out:
	json_decref(note);
	json_decref(obj);
	if ((r = tx_end(&t, r, d)) == 0 && note_id != NULL)
		snprintf(note_id, CYBEX_INCIDENT_ID_MAX, "%s", nid);
	return r;
}

static bool
task_status_ok(const char *s)
{
	return s != NULL && (strcmp(s, CYBEX_TASK_OPEN) == 0 ||
	    strcmp(s, CYBEX_TASK_IN_PROGRESS) == 0 ||
	    strcmp(s, CYBEX_TASK_DONE) == 0 ||
	    strcmp(s, CYBEX_TASK_CANCELLED) == 0);
}

/* Append a task to obj's list (copies from merges keep their log). */
static int
task_append(json_t *obj, json_t *task, int *no)
{
	json_t *tasks = json_object_get(wf_of(obj), "tasks"), *t;
	size_t i;
	int max = 0;

	if (tasks == NULL) {
		json_object_set_new(wf_of(obj), "tasks", json_array());
		tasks = json_object_get(wf_of(obj), "tasks");
	}
	if (json_array_size(tasks) >= CYBEX_INCIDENT_TASKS_MAX) {
		json_decref(task);
		return CYBEX_ETOOBIG;
	}
	json_array_foreach(tasks, i, t)
		if (json_integer_value(json_object_get(t, "no")) > max)
			max = (int)json_integer_value(json_object_get(t, "no"));
	*no = max + 1;
	if (json_object_set_new(task, "no", json_integer(*no)) != 0 ||
	    json_array_append_new(tasks, task) != 0)
		return CYBEX_ENOMEM;
	return 0;
}

int
cybex_incident_task_add(const struct cybex_incident_ctx *c, const char *id,
    const char *expect, const char *title, const char *assignee,
    int64_t due_us, int *no, struct cybex_diag *d)
{
	struct tx t;
	json_t *obj = NULL, *task;
	char summary[CYBEX_INCIDENT_TITLE_MAX + 32];
	int r, n = 0;

	if (no != NULL)
		*no = 0;
	if (title == NULL || *title == '\0' ||
	    strlen(title) > CYBEX_INCIDENT_TITLE_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "a task needs a title "
		    "of 1 to %d bytes", CYBEX_INCIDENT_TITLE_MAX);
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) != 0 ||
	    (assignee != NULL && (r = check_user(t.s, assignee, d)) != 0))
		goto out;
	task = json_pack("{s:s, s:s, s:[]}", "title", title, "status",
	    CYBEX_TASK_OPEN, "log");
	if (task == NULL || set_str(task, "assignee", assignee) != 0 ||
	    set_time(task, "due", due_us) != 0) {
		json_decref(task);
		r = CYBEX_ENOMEM;
		goto out;
	}
	if ((r = task_append(obj, task, &n)) != 0) {
		if (r == CYBEX_ETOOBIG)
			cybex_diag_set(d, r, "an incident has at most %d tasks",
			    CYBEX_INCIDENT_TASKS_MAX);
		goto out;
	}
	snprintf(summary, sizeof(summary), "task %d added: %s", n, title);
	r = tx_save(&t, obj, "task", summary, NULL, NULL, d);
 out:
	json_decref(obj);
	if ((r = tx_end(&t, r, d)) == 0 && no != NULL)
		*no = n;
	return r;
}

int
cybex_incident_task_update(const struct cybex_incident_ctx *c,
    const char *id, const char *expect, int no,
    const struct cybex_incident_task_change *tc, struct cybex_diag *d)
{
	struct tx t;
	json_t *obj = NULL, *task = NULL, *tk, *log, *e;
	char summary[1100], what[1024], ts[32];
	size_t i;
	int r;

	if (tc->status != NULL && !task_status_ok(tc->status))
		return cybex_diag_set(d, CYBEX_EINVAL, "task status '%s' must "
		    "be open, in-progress, done or cancelled", tc->status);
	if (tc->status == NULL && !tc->set_assignee && !tc->set_due &&
	    tc->log == NULL)
		return cybex_diag_set(d, CYBEX_EINVAL, "nothing to change");
	if (tc->log != NULL && strlen(tc->log) > CYBEX_INCIDENT_TEXT_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a log entry has at "
		    "most %d bytes", CYBEX_INCIDENT_TEXT_MAX);
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) != 0)
		goto out;
	json_array_foreach(json_object_get(wf_of(obj), "tasks"), i, tk)
		if (json_integer_value(json_object_get(tk, "no")) == no)
			task = tk;
	if (task == NULL) {
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "incident %s has no "
		    "task %d", id, no);
		goto out;
	}
	what[0] = '\0';
	if (tc->status != NULL) {
		append(what, sizeof(what), NULL,
		    json_string_value(json_object_get(task, "status")), " -> ",
		    tc->status);
		if ((r = set_str(task, "status", tc->status)) != 0)
			goto out;
	}
	if (tc->set_assignee) {
		if ((tc->assignee != NULL && (r = check_user(t.s, tc->assignee,
		    d)) != 0) || (r = set_str(task, "assignee",
		    tc->assignee)) != 0)
			goto out;
		append(what, sizeof(what), "assignee ",
		    tc->assignee != NULL ? tc->assignee : "(nobody)", NULL,
		    NULL);
	}
	if (tc->set_due) {
		if ((r = set_time(task, "due", tc->due_us)) != 0)
			goto out;
		append(what, sizeof(what), "due", NULL, NULL, NULL);
	}
	if (tc->log != NULL) {
		log = json_object_get(task, "log");
		if (json_array_size(log) >= CYBEX_INCIDENT_LOG_MAX) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "a task has at "
			    "most %d log entries", CYBEX_INCIDENT_LOG_MAX);
			goto out;
		}
		fmt_us(t.now, ts, sizeof(ts));
		e = json_pack("{s:s, s:s, s:s}", "time", ts, "author", c->actor,
		    "text", tc->log);
		if (e == NULL || json_array_append_new(log, e) != 0) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		append(what, sizeof(what), "log: ", tc->log, NULL, NULL);
	}
	snprintf(summary, sizeof(summary), "task %d: %s", no, what);
	r = tx_save(&t, obj, "task", summary, NULL, NULL, d);
 out:
	json_decref(obj);
	return tx_end(&t, r, d);
}

static int
obj_tlp(json_t *obj)
{
	return cybex_stix_tlp_of(obj);
}

int
cybex_incident_link(const struct cybex_incident_ctx *c, const char *id,
    const char *expect, const char *const *refs, size_t nrefs,
    struct cybex_diag *d)
{
	struct cybex_buf sum;
	struct tx t;
	json_t *obj = NULL;
	size_t i;
	int r;

	if (nrefs == 0 || nrefs > CYBEX_INCIDENT_REFS_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "link 1 to %d objects "
		    "at a time", CYBEX_INCIDENT_REFS_MAX);
	for (i = 0; i < nrefs; i++)
		if ((r = check_ref(refs[i], d)) != 0)
			return r;
	cybex_buf_init(&sum, 0);
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) != 0)
		goto out;
	for (i = 0; i < nrefs; i++) {
		if ((r = tx_relate(&t, id, "related-to", refs[i], obj_tlp(obj),
		    CYBEX_INCIDENT_LINK_EVIDENCE, d)) != 0 ||
		    (r = evidence_set(obj, refs[i], true)) != 0)
			goto out;
		if ((i > 0 && cybex_buf_puts(&sum, ", ") != 0) ||
		    cybex_buf_puts(&sum, refs[i]) != 0) {
			r = CYBEX_ENOMEM;
			goto out;
		}
	}
	r = tx_save(&t, obj, "link", sum.data, nrefs == 1 ? refs[0] : NULL,
	    NULL, d);
 out:
	json_decref(obj);
	cybex_buf_free(&sum);
	return tx_end(&t, r, d);
}

int
cybex_incident_unlink(const struct cybex_incident_ctx *c, const char *id,
    const char *expect, const char *ref, struct cybex_diag *d)
{
	struct tx t;
	json_t *obj = NULL;
	int r;

	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, expect, &obj, d)) == 0 &&
	    (r = tx_unlink(&t, id, ref, d)) == 0 &&
	    (r = evidence_set(obj, ref, false)) == 0)
		r = tx_save(&t, obj, "unlink", ref, ref, NULL, d);
	json_decref(obj);
	return tx_end(&t, r, d);
}

/* The links of one incident, collected (refs and kinds). */
struct links {
	char		**ref;
	int		 *kind;
	size_t		  n, cap;
	int		  r;
};

static int
links_cb(void *ud, const struct cybex_incident_link *l)
{
	struct links *ls = ud;
	char **nr;
	int *nk;

	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;

		if ((nr = cybex_reallocarray(ls->ref, cap,
		    sizeof(*nr))) == NULL)
			return ls->r = CYBEX_ENOMEM;
		ls->ref = nr;
		if ((nk = cybex_reallocarray(ls->kind, cap,
		    sizeof(*nk))) == NULL)
			return ls->r = CYBEX_ENOMEM;
		ls->kind = nk;
		ls->cap = cap;
	}
	if ((ls->ref[ls->n] = cybex_strdup(l->ref)) == NULL)
		return ls->r = CYBEX_ENOMEM;
	ls->kind[ls->n++] = l->kind;
	return 0;
}

static void
links_free(struct links *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		cybex_free(ls->ref[i]);
	cybex_free(ls->ref);
	cybex_free(ls->kind);
}

/* A note refers to another incident too (a new version of the note). */
static int
tx_note_refer(struct tx *t, const char *note, const char *id,
    struct cybex_diag *d)
{
	struct cybex_incident_link l;
	json_t *obj = NULL, *cp = NULL;
	char ts[32];
	int r;

	if ((r = inc_get_latest(t->s, t->coll, note, &obj, d)) != 0)
		return r;
	if ((cp = json_deep_copy(obj)) == NULL) {
		r = CYBEX_ENOMEM;
		goto out;
	}
	fmt_us(next_time(t, json_string_value(json_object_get(cp,
	    "modified"))), ts, sizeof(ts));
	if ((r = set_str(cp, "modified", ts)) != 0 ||
	    (r = json_array_append_new(json_object_get(cp, "object_refs"),
	    json_string(id))) != 0 || (r = tx_put(t, cp, d)) != 0)
		goto out;
	memset(&l, 0, sizeof(l));
	l.incident = id;
	l.ref = note;
	l.kind = CYBEX_INCIDENT_LINK_NOTE;
	l.added_us = t->now;
	r = cybex_store_incident_link(t->s, &l, d);
 out:
	json_decref(cp);
	json_decref(obj);
	return r;
}

int
cybex_incident_merge(const struct cybex_incident_ctx *c, const char *into,
    const char *from, struct cybex_diag *d)
{
	struct cybex_incident *a = NULL, *b = NULL;
	struct links ls;
	struct tx t;
	json_t *ia = NULL, *ib = NULL, *tk, *cp, *wfb;
	char summary[256];
	size_t i;
	int r, no;

	memset(&ls, 0, sizeof(ls));
	if (strcmp(into, from) == 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "an incident cannot be "
		    "merged into itself");
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, into, NULL, &ib, d)) != 0 ||
	    (r = tx_load(&t, from, NULL, &ia, d)) != 0 ||
	    (r = inc_read(ib, &b, d)) != 0 || (r = inc_read(ia, &a, d)) != 0)
		goto out;
	if (b->status == CYBEX_INCIDENT_CLOSED) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "incident %s is closed: "
		    "reopen it to merge into it", into);
		goto out;
	}
	if (a->status == CYBEX_INCIDENT_CLOSED) {
		r = cybex_diag_set(d, CYBEX_EINVAL, "incident %s is closed "
		    "already", from);
		goto out;
	}
	if ((r = cybex_store_incident_links(t.s, from, 0, links_cb, &ls,
	    d)) != 0 || (r = ls.r) != 0)
		goto out;
	for (i = 0; i < ls.n; i++) {
		if (ls.kind[i] == CYBEX_INCIDENT_LINK_EVIDENCE) {
			if ((r = tx_unlink(&t, from, ls.ref[i], d)) != 0 ||
			    (r = evidence_set(ia, ls.ref[i], false)) != 0 ||
			    (r = evidence_set(ib, ls.ref[i], true)) != 0)
				goto out;
			r = tx_relate(&t, into, "related-to", ls.ref[i],
			    a->tlp > b->tlp ? a->tlp : b->tlp,
			    CYBEX_INCIDENT_LINK_EVIDENCE, d);
			if (r == CYBEX_EEXIST) {	/* both had it */
				cybex_diag_clear(d);
				r = 0;
			}
		} else if (ls.kind[i] == CYBEX_INCIDENT_LINK_NOTE)
			r = tx_note_refer(&t, ls.ref[i], into, d);
		else if (ls.kind[i] == CYBEX_INCIDENT_LINK_RELATED &&
		    strcmp(ls.ref[i], into) == 0)
			/*
			 * from was split off into (derived-from): the index
			 * holds one link a pair, and duplicate-of takes its
			 * place; the derived-from SRO stays in the history.
			 */
			r = cybex_store_incident_unlink(t.s, from, into, d);
		if (r != 0)
			goto out;
	}
	wfb = wf_of(ib);
	json_array_foreach(json_object_get(wf_of(ia), "tasks"), i, tk) {
		if ((cp = json_deep_copy(tk)) == NULL) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		if ((r = set_str(cp, "merged_from", from)) != 0 ||
		    (r = task_append(ib, cp, &no)) != 0)
			goto out;
	}
	/* What came from a stricter incident keeps its restriction. */
	if (a->tlp > b->tlp) {
		json_t *mk;

		if ((r = marking_refs(a->tlp, &mk)) != 0)
			goto out;
		json_object_set_new(ib, "object_marking_refs", mk);
	}
	if (a->severity > b->severity)
		json_object_set_new(wfb, "severity", json_integer(a->severity));
	if (a->priority < b->priority)
		json_object_set_new(wfb, "priority", json_integer(a->priority));
	if (a->first_activity_us != 0 && (b->first_activity_us == 0 ||
	    a->first_activity_us < b->first_activity_us))
		set_time(wfb, "first_activity", a->first_activity_us);
	if (a->last_activity_us > b->last_activity_us)
		set_time(wfb, "last_activity", a->last_activity_us);
	snprintf(summary, sizeof(summary), "merged %s into it", from);
	if ((r = tx_save(&t, ib, "merge", summary, from, NULL, d)) != 0)
		goto out;
	/* from: closed as a duplicate of into, pointing to it. */
	if ((r = tx_relate(&t, from, "duplicate-of", into, a->tlp,
	    CYBEX_INCIDENT_LINK_RELATED, d)) != 0 ||
	    (r = set_str(wf_of(ia), "status", "closed")) != 0 ||
	    (r = set_str(wf_of(ia), "resolution", "duplicate")) != 0 ||
	    (r = set_str(wf_of(ia), "duplicate_of", into)) != 0)
		goto out;
	snprintf(summary, sizeof(summary), "merged into %s", into);
	r = tx_save(&t, ia, "merged", summary, into, NULL, d);
 out:
	links_free(&ls);
	cybex_incident_free(a);
	cybex_incident_free(b);
	json_decref(ia);
	json_decref(ib);
	return tx_end(&t, r, d);
}

int
cybex_incident_split(const struct cybex_incident_ctx *c, const char *id,
    const char *const *refs, size_t nrefs, const char *title,
    char new_id[CYBEX_INCIDENT_ID_MAX], struct cybex_diag *d)
{
	struct cybex_incident_spec sp;
	struct cybex_incident *a = NULL;
	struct tx t;
	json_t *ia = NULL, *nb = NULL;
	char nid[CYBEX_INCIDENT_ID_MAX], summary[256];
	char ttl[CYBEX_INCIDENT_TITLE_MAX + 1];
	size_t i;
	int r;

	new_id[0] = '\0';
	if (nrefs == 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "a split moves at least "
		    "one piece of evidence");
	if ((r = make_id("incident", nid, sizeof(nid))) != 0)
		return r;
	if ((r = tx_begin(&t, c, false, d)) != 0)
		return r;
	if ((r = tx_load(&t, id, NULL, &ia, d)) != 0 ||
	    (r = inc_read(ia, &a, d)) != 0)
		goto out;
	memset(&sp, 0, sizeof(sp));
	if (title == NULL) {
		snprintf(ttl, sizeof(ttl), "Split from %s", a->title);
		title = ttl;
	}
	sp.title = title;
	sp.severity = a->severity;
	sp.priority = a->priority;
	sp.class = a->class;
	sp.type = a->type;
	sp.assignee = a->assignee;
	sp.org = a->org;
	sp.tlp = a->tlp != 0 ? a->tlp : CYBEX_TLP_AMBER;
	if ((r = build_new(&t, &sp, nid, &nb, d)) != 0 ||
	    (r = tx_save(&t, nb, "created", title, NULL, NULL, d)) != 0)
		goto out;
	for (i = 0; i < nrefs; i++)
		if ((r = tx_unlink(&t, id, refs[i], d)) != 0 ||
		    (r = evidence_set(ia, refs[i], false)) != 0 ||
		    (r = evidence_set(nb, refs[i], true)) != 0 ||
		    (r = tx_relate(&t, nid, "related-to", refs[i], sp.tlp,
		    CYBEX_INCIDENT_LINK_EVIDENCE, d)) != 0)
			goto out;
	if ((r = tx_relate(&t, nid, "derived-from", id, sp.tlp,
	    CYBEX_INCIDENT_LINK_RELATED, d)) != 0)
		goto out;
	snprintf(summary, sizeof(summary), "split from %s (%zu evidence)", id,
	    nrefs);
	if ((r = tx_save(&t, nb, "split", summary, id, NULL, d)) != 0)
		goto out;
	snprintf(summary, sizeof(summary), "split %zu evidence off to %s",
	    nrefs, nid);
	r = tx_save(&t, ia, "split", summary, nid, NULL, d);
 out:
	cybex_incident_free(a);
	json_decref(ia);
	json_decref(nb);
	if ((r = tx_end(&t, r, d)) == 0)
		snprintf(new_id, CYBEX_INCIDENT_ID_MAX, "%s", nid);
	return r;
}
