/*
 * The store's front: picks a backend from the DSN, derives what every
 * backend needs from an object once (id, type, version key, revoked), and
 * holds the helpers all backends share (paging tokens, time, comparison).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cybex/policy.h"

#include "store_int.h"

static const struct cybex_store_ops *const backends[] = {
	&store_sqlite_ops,
};

/* Was the backend built against these tables (store_int.h)? */
static bool
ops_current(const struct cybex_store_ops *o)
{
	return o->abi == STORE_OPS_ABI &&
	    o->collections != NULL &&
	    o->collections->abi == STORE_COLLECTION_ABI &&
	    o->objects != NULL && o->objects->abi == STORE_OBJECT_ABI &&
	    o->auth != NULL && o->auth->abi == STORE_AUTH_ABI &&
	    o->taxii != NULL && o->taxii->abi == STORE_TAXII_ABI &&
	    o->analysis != NULL && o->analysis->abi == STORE_ANALYSIS_ABI &&
	    o->maint != NULL && o->maint->abi == STORE_MAINT_ABI &&
	    o->assets != NULL && o->assets->abi == STORE_ASSET_ABI;
}

int
cybex_store_open(const char *dsn, unsigned flags, struct cybex_store **out,
    struct cybex_diag *d)
{
	const struct cybex_store_ops *ops = &store_sqlite_ops;
	const char *path = dsn;
	size_t i, n;

	*out = NULL;
	if (dsn == NULL || *dsn == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "no database given");
	/* "scheme:rest" selects a backend; anything else is a SQLite path. */
	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		n = strlen(backends[i]->scheme);
		if (strncmp(dsn, backends[i]->scheme, n) == 0 && dsn[n] == ':') {
			ops = backends[i];
			path = dsn + n + 1;
		}
	}
	if (strncmp(dsn, "postgres", 8) == 0 && ops == &store_sqlite_ops &&
	    path == dsn)
		return cybex_diag_set(d, CYBEX_EINVAL, "this build has no "
		    "PostgreSQL backend");
	if (!ops_current(ops))
		return cybex_diag_set(d, CYBEX_EINTERNAL, "the %s backend was "
		    "built for other store tables (abi %d, want %d)",
		    ops->scheme, ops->abi, STORE_OPS_ABI);
	return ops->open(path, flags, out, d);
}

void
cybex_store_close(struct cybex_store *s)
{
	if (s != NULL)
		s->ops->close(s);
}

int
cybex_store_schema_version(struct cybex_store *s)
{
	return s->ops->schema_version(s);
}

int
cybex_store_schema_latest(void)
{
	return STORE_SCHEMA_LATEST;
}

int
cybex_store_begin(struct cybex_store *s, struct cybex_diag *d)
{
	return s->ops->begin(s, d);
}

int
cybex_store_commit(struct cybex_store *s, struct cybex_diag *d)
{
	return s->ops->commit(s, d);
}

int
cybex_store_rollback(struct cybex_store *s)
{
	return s->ops->rollback(s);
}

int
cybex_store_collection_add(struct cybex_store *s, struct cybex_collection *c,
    struct cybex_diag *d)
{
	struct cybex_uuid u;

	if (c->title == NULL || *c->title == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "a collection needs a "
		    "title");
	if (c->id[0] == '\0') {
		if (cybex_uuid_v4(&u) != 0)
			return cybex_diag_set(d, CYBEX_ECRYPTO, "no randomness "
			    "for a collection id");
		cybex_uuid_format(&u, c->id);
	} else if (!store_is_uuid(c->id))
		return cybex_diag_set(d, CYBEX_EINVAL, "collection id '%s' is "
		    "not a UUID", c->id);
	if (c->max_tlp < 0 || c->max_tlp > CYBEX_TLP_RED)
		return cybex_diag_set(d, CYBEX_EINVAL, "max_tlp %d is not a TLP "
		    "level", c->max_tlp);
	if (c->alias != NULL && (*c->alias == '\0' || store_is_uuid(c->alias) ||
	    strlen(c->alias) > 128))
		return cybex_diag_set(d, CYBEX_EINVAL, "collection alias '%s' "
		    "must be 1 to 128 characters and not a UUID", c->alias);
	return s->ops->collections->collection_add(s, c, d);
}

int
cybex_store_collection_get(struct cybex_store *s, const char *key,
    struct cybex_arena *a, struct cybex_collection *out, struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->collections->collection_get(s, key, a, out, d);
}

int
cybex_store_collection_count(struct cybex_store *s, const char *key,
    uint64_t *out, struct cybex_diag *d)
{
	*out = 0;
	return s->ops->collections->collection_count(s, key, out, d);
}

int
cybex_store_collection_list(struct cybex_store *s, cybex_collection_fn fn,
    void *ud, struct cybex_diag *d)
{
	return s->ops->collections->collection_list(s, fn, ud, d);
}

int
cybex_store_collection_set_max_tlp(struct cybex_store *s, const char *key,
    int max_tlp, uint64_t *above, struct cybex_diag *d)
{
	uint64_t n = 0;
	int r;

	if (above != NULL)
		*above = 0;
	if (max_tlp < CYBEX_TLP_CLEAR || max_tlp > CYBEX_TLP_RED)
		return cybex_diag_set(d, CYBEX_EINVAL, "max_tlp %d is not a TLP "
		    "level", max_tlp);
	if ((r = s->ops->collections->collection_set_max_tlp(s, key, max_tlp, &n, d)) != 0)
		return r;
	if (above != NULL)
		*above = n;
	return 0;
}

int
cybex_store_collection_remove(struct cybex_store *s, const char *key,
    struct cybex_diag *d)
{
	return s->ops->collections->collection_remove(s, key, d);
}

int
cybex_store_version_key(const json_t *obj, char *out, struct cybex_diag *d)
{
	/* Objects that are never versioned (markings) have only created. */
	const json_t *m = json_object_get(obj, "modified") != NULL ?
	    json_object_get(obj, "modified") : json_object_get(obj, "created");
	struct cybex_diag td;
	struct cybex_time t;
	int r;

	out[0] = '\0';
	if (m == NULL)
		return 0;
	if (!json_is_string(m))
		return cybex_diag_set(d, CYBEX_ESTIX, "'modified' (or 'created') "
		    "is not a string");
	/*
	 * A bad timestamp is the object's fault (CYBEX_ESTIX), so callers
	 * reject that one object and go on; the parser accepts only what
	 * cybex_time_format can write back, so a parsed one always formats.
	 */
	if ((r = cybex_time_parse(json_string_value(m), json_string_length(m),
	    CYBEX_TIME_UTC_Z, &t, &td)) != 0)
		return cybex_diag_set(d, CYBEX_ESTIX, "'%s' is not a STIX "
		    "timestamp: %s", json_object_get(obj, "modified") != NULL ?
		    "modified" : "created", td.message);
	t.digits = 9;
	if (cybex_time_format(&t, out, CYBEX_VERSION_KEY_MAX) < 0) {
		out[0] = '\0';
		return cybex_diag_set(d, CYBEX_ESTIX, "'modified' cannot be "
		    "written back");
	}
	return 0;
}

void
cybex_store_format_us(int64_t us, char *out, size_t outsz)
{
	struct cybex_time t;

	t.sec = us / 1000000;
	t.nsec = (uint32_t)(us % 1000000) * 1000;
	if (us < 0 && us % 1000000 != 0) {
		t.sec--;
		t.nsec = (uint32_t)(1000000 + us % 1000000) * 1000;
	}
	t.digits = 6;
	if (cybex_time_format(&t, out, outsz) < 0 && outsz > 0)
		out[0] = '\0';
}

/* What a backend needs of obj to store it; media[64] holds media_type. */
static int
derive(struct cybex_store *s, const json_t *obj, const char *text,
    size_t len, int64_t date_added_us, struct store_put *p, char *media,
    struct cybex_diag *d)
{
	int r;

	memset(p, 0, sizeof(*p));
	p->id = json_string_value(json_object_get(obj, "id"));
	p->type = json_string_value(json_object_get(obj, "type"));
	p->spec_version = json_string_value(json_object_get(obj,
	    "spec_version"));
	if (p->id == NULL || p->type == NULL)
		return cybex_diag_set(d, CYBEX_ESTIX, "an object to store needs "
		    "string 'id' and 'type'");
	/* Absent spec_version: 2.1 for SCOs, implicitly 2.0 otherwise. */
	if (p->spec_version == NULL)
		p->spec_version = cybex_stix_type_category(p->type) ==
		    CYBEX_STIX_SCO ? "2.1" : "2.0";
	if (strcmp(p->spec_version, "2.1") == 0)
		p->media_type = CYBEX_MEDIA_STIX21;
	else {
		snprintf(media, 64, "application/stix+json;version=%s",
		    strlen(p->spec_version) < 16 ? p->spec_version : "unknown");
		p->media_type = media;
	}
	p->revoked = json_is_true(json_object_get(obj, "revoked"));
	if ((r = cybex_store_version_key(obj, p->version, d)) != 0)
		return r;
	p->obj = obj;
	p->text = text;
	p->len = len;
	p->date_added_us = date_added_us;
	p->tlp = (int)cybex_stix_tlp_of(obj);
	p->source = s->source[0] != '\0' ? s->source : NULL;
	return 0;
}

/* Marking-definitions as one collection holds them (store_tlp_resolve). */
struct in_coll {
	struct cybex_store	*s;
	const char		*coll_id;
	struct cybex_diag	*d;
};

static int
conveys_in(void *ud, const char *ref, int *level, bool *found)
{
	struct in_coll *ic = ud;

	return ic->s->ops->objects->marking_conveys(ic->s, ic->coll_id, ref, level,
	    found, ic->d);
}

/*
 * The rules before a version goes into collection coll_id: its TLP as
 * that collection sees it (only its marking-definitions count: another
 * collection's must neither show through the answer nor change it) into
 * p->tlp, and the ceiling.
 */
static int
admit(struct cybex_store *s, const char *coll_id, struct store_put *p,
    const char *whose, struct cybex_diag *d)
{
	struct in_coll ic = { s, coll_id, d };
	struct store_tlp t;
	int r, max_tlp = 0;

	if ((r = s->ops->collections->collection_ceiling(s, coll_id, &max_tlp, d)) != 0 ||
	    (r = store_tlp_resolve(p->obj, conveys_in, &ic, &t)) != 0 ||
	    (r = store_rule_ceiling(p->id, &t, max_tlp, whose, d)) != 0)
		return r;
	p->tlp = t.stored;
	return 0;
}

static int
put(struct cybex_store *s, const char *coll_id, const json_t *obj,
    const char *text, size_t len, int64_t date_added_us,
    enum cybex_put_result *out, struct cybex_diag *d)
{
	struct store_put p;
	char media[64];
	int r;

	*out = 0;
	if ((r = derive(s, obj, text, len, date_added_us, &p, media, d)) != 0 ||
	    (r = admit(s, coll_id, &p, "this", d)) != 0)
		return r;
	return s->ops->objects->put(s, coll_id, &p, out, d);
}

void
cybex_store_set_source(struct cybex_store *s, const char *source)
{
	snprintf(s->source, sizeof(s->source), "%s", source != NULL ? source :
	    "");
}

int
cybex_store_conflict_list(struct cybex_store *s, const char *coll_id,
    cybex_conflict_fn fn, void *ud, struct cybex_diag *d)
{
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	int r;

	if (coll_id == NULL)
		return s->ops->objects->conflict_list(s, NULL, 0, fn, ud, d);
	if ((r = cybex_arena_new(0, &a)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	if ((r = cybex_store_collection_get(s, coll_id, a, &c, d)) == 0)
		r = s->ops->objects->conflict_list(s, c.id, 0, fn, ud, d);
	cybex_arena_free(a);
	return r;
}

/* The one conflict xid: its collection and content (owned by the caller). */
struct conflict_copy {
	bool	 found;
	char	 coll[CYBEX_UUID_STRLEN + 1];
	char	*json;
	size_t	 len;
};

static int
conflict_take(void *ud, const struct cybex_conflict *c)
{
	struct conflict_copy *cc = ud;

	if ((cc->json = cybex_malloc(c->len + 1)) == NULL)
		return CYBEX_ENOMEM;
	memcpy(cc->json, c->json, c->len);
	cc->json[c->len] = '\0';
	cc->len = c->len;
	memcpy(cc->coll, c->coll_id, sizeof(cc->coll));
	cc->found = true;
	return 0;
}

int
cybex_store_conflict_resolve(struct cybex_store *s, int64_t xid,
    enum cybex_conflict_keep keep, struct cybex_diag *d)
{
	struct conflict_copy cc = { 0 };
	struct store_put p;
	json_t *obj = NULL;
	char media[64];
	int r;

	if (keep != CYBEX_KEEP_FIRST && keep != CYBEX_KEEP_SECOND)
		return cybex_diag_set(d, CYBEX_EINVAL, "keep the first or the "
		    "second content");
	if (xid <= 0)
		return cybex_diag_set(d, CYBEX_ENOTFOUND, "no conflict %lld",
		    (long long)xid);
	if (keep == CYBEX_KEEP_FIRST)
		return s->ops->objects->conflict_resolve(s, xid, NULL, d);
	if ((r = s->ops->objects->conflict_list(s, NULL, xid, conflict_take, &cc,
	    d)) != 0)
		goto out;
	if (!cc.found) {
		r = cybex_diag_set(d, CYBEX_ENOTFOUND, "no conflict %lld",
		    (long long)xid);
		goto out;
	}
	if ((r = cybex_json_parse(cc.json, cc.len, 0, &obj, d)) != 0 ||
	    (r = derive(s, obj, cc.json, cc.len, 0, &p, media, d)) != 0 ||
	    (r = admit(s, cc.coll, &p, "its", d)) != 0)
		goto out;
	r = s->ops->objects->conflict_resolve(s, xid, &p, d);
 out:
	json_decref(obj);
	cybex_free(cc.json);
	return r;
}

int
cybex_store_put(struct cybex_store *s, const char *coll_id, const json_t *obj,
    const char *text, size_t len, enum cybex_put_result *out,
    struct cybex_diag *d)
{
	return put(s, coll_id, obj, text, len, 0, out, d);
}

int
cybex_store_put_at(struct cybex_store *s, const char *coll_id,
    const json_t *obj, const char *text, size_t len, int64_t date_added_us,
    enum cybex_put_result *out, struct cybex_diag *d)
{
	if (date_added_us <= 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "date_added must be "
		    "after 1970");
	return put(s, coll_id, obj, text, len, date_added_us, out, d);
}

static int
check_query(const struct cybex_query *q, struct cybex_diag *d)
{
	if (q->limit > CYBEX_QUERY_LIMIT_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "limit %zu is above the "
		    "maximum %d", q->limit, CYBEX_QUERY_LIMIT_MAX);
	return 0;
}

int
cybex_store_query(struct cybex_store *s, const struct cybex_query *q,
    cybex_row_fn fn, void *ud, struct cybex_page *page, struct cybex_diag *d)
{
	int r;

	memset(page, 0, sizeof(*page));
	if ((r = check_query(q, d)) != 0)
		return r;
	return s->ops->objects->query(s, q, false, fn, ud, page, d);
}

int
cybex_store_manifest(struct cybex_store *s, const struct cybex_query *q,
    cybex_row_fn fn, void *ud, struct cybex_page *page, struct cybex_diag *d)
{
	int r;

	memset(page, 0, sizeof(*page));
	if ((r = check_query(q, d)) != 0)
		return r;
	return s->ops->objects->query(s, q, true, fn, ud, page, d);
}

int
cybex_store_delete(struct cybex_store *s, const struct cybex_query *q,
    size_t *removed, struct cybex_diag *d)
{
	*removed = 0;
	if (q->coll_id == NULL || q->nids != 1)
		return cybex_diag_set(d, CYBEX_EINVAL, "delete needs a "
		    "collection and exactly one object id");
	return s->ops->objects->delete(s, q, removed, d);
}

int
cybex_store_stats(struct cybex_store *s, cybex_count_fn fn, void *ud,
    struct cybex_store_stats *out, struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->maint->stats(s, fn, ud, out, d);
}

int
cybex_store_check(struct cybex_store *s, cybex_diag_fn fn, void *ud,
    struct cybex_diag *d)
{
	return s->ops->maint->check(s, fn, ud, d);
}

/* ---- shared helpers ---- */

void
store_token_encode(char kind, int64_t pos, char *out, size_t outsz)
{
	snprintf(out, outsz, "%c%016llx", kind, (unsigned long long)pos);
}

int
store_token_decode(const char *tok, char kind, int64_t *pos)
{
	unsigned long long v = 0;
	size_t i;

	if (tok == NULL || tok[0] != kind || strlen(tok) != 17)
		return CYBEX_EINVAL;
	for (i = 1; i < 17; i++) {
		char c = tok[i];
		int x;

		if (c >= '0' && c <= '9')
			x = c - '0';
		else if (c >= 'a' && c <= 'f')
			x = c - 'a' + 10;
		else
			return CYBEX_EINVAL;
		v = (v << 4) | (unsigned)x;
	}
	if (v > INT64_MAX)
		return CYBEX_EINVAL;
	*pos = (int64_t)v;
	return 0;
}

int64_t
store_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
store_same_json(const char *a, size_t alen, const json_t *b)
{
	struct cybex_buf ca, cb;
	json_t *ja = NULL;
	int r;

	cybex_buf_init(&ca, 0);
	cybex_buf_init(&cb, 0);
	if ((r = cybex_json_parse(a, alen, 0, &ja, NULL)) != 0)
		goto out;
	if ((r = cybex_json_write(ja, CYBEX_JSON_CANONICAL, &ca)) != 0 ||
	    (r = cybex_json_write(b, CYBEX_JSON_CANONICAL, &cb)) != 0)
		goto out;
	r = ca.len == cb.len && memcmp(ca.data, cb.data, ca.len) == 0;
 out:
	json_decref(ja);
	cybex_buf_free(&ca);
	cybex_buf_free(&cb);
	return r;
}

int
store_canon_sha256(const json_t *obj, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char h[crypto_hash_sha256_BYTES];
	struct cybex_buf b;
	size_t i;
	int r;

	out[0] = '\0';
	cybex_buf_init(&b, 0);
	if ((r = cybex_json_write(obj, CYBEX_JSON_CANONICAL, &b)) == 0) {
		crypto_hash_sha256(h, (const unsigned char *)b.data, b.len);
		for (i = 0; i < sizeof(h); i++) {
			out[2 * i] = hex[h[i] >> 4];
			out[2 * i + 1] = hex[h[i] & 0xf];
		}
		out[2 * sizeof(h)] = '\0';
	}
	cybex_buf_free(&b);
	return r;
}

bool
store_is_uuid(const char *key)
{
	struct cybex_uuid u;

	return key != NULL && cybex_uuid_parse(key, strlen(key), &u) == 0;
}

/* ---- accounts ---- */

/* "a" or "an" before what: "user", "group" or "organization". */
static const char *
article(const char *what)
{
	return what[0] == 'o' ? "an" : "a";
}

static int
check_name(const char *name, const char *what, struct cybex_diag *d)
{
	/* Each byte as itself or \xNN: the name goes to terminals and logs. */
	char shown[4 * CYBEX_NAME_MAX + 1];
	const unsigned char *c;
	size_t n = 0;

	if (name == NULL || *name == '\0' || strlen(name) > CYBEX_NAME_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "%s %s name must be 1 to "
		    "%d characters", article(what), what, CYBEX_NAME_MAX);
	for (c = (const unsigned char *)name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
		    *c == '@' || *c == '-'))
			break;
	if (*c == '\0')
		return 0;
	for (c = (const unsigned char *)name; *c != '\0'; c++) {
		if (*c >= 0x20 && *c < 0x7f && *c != '\\' && *c != '\'')
			shown[n++] = (char)*c;
		else {
			snprintf(shown + n, 5, "\\x%02x", *c);
			n += 4;
		}
	}
	shown[n] = '\0';
	return cybex_diag_set(d, CYBEX_EINVAL, "%s name '%s' may hold only "
	    "letters, digits and . _ @ -", what, shown);
}

int
cybex_store_user_add(struct cybex_store *s, const char *name,
    const char *pwhash, bool admin, struct cybex_diag *d)
{
	int r;

	if ((r = check_name(name, "user", d)) != 0)
		return r;
	return s->ops->auth->user_add(s, name, pwhash, admin, d);
}

int
cybex_store_user_get(struct cybex_store *s, const char *name,
    struct cybex_arena *a, struct cybex_user *out, const char **pwhash,
    struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	if (pwhash != NULL)
		*pwhash = NULL;
	return s->ops->auth->user_get(s, name, a, out, pwhash, d);
}

int
cybex_store_user_list(struct cybex_store *s, cybex_user_fn fn, void *ud,
    struct cybex_diag *d)
{
	return s->ops->auth->user_list(s, fn, ud, d);
}

int
cybex_store_user_remove(struct cybex_store *s, const char *name,
    struct cybex_diag *d)
{
	return s->ops->auth->user_remove(s, name, d);
}

int
cybex_store_user_set_password(struct cybex_store *s, const char *name,
    const char *pwhash, struct cybex_diag *d)
{
	return s->ops->auth->user_set_password(s, name, pwhash, d);
}

int
cybex_store_group_add(struct cybex_store *s, const char *name,
    struct cybex_diag *d)
{
	int r;

	if ((r = check_name(name, "group", d)) != 0)
		return r;
	return s->ops->auth->group_add(s, name, d);
}

int
cybex_store_group_remove(struct cybex_store *s, const char *name,
    struct cybex_diag *d)
{
	return s->ops->auth->group_remove(s, name, d);
}

int
cybex_store_group_member(struct cybex_store *s, const char *group,
    const char *user, bool member, struct cybex_diag *d)
{
	return s->ops->auth->group_member(s, group, user, member, d);
}

int
cybex_store_token_add(struct cybex_store *s, const char *user,
    const char *name, const uint8_t hash[CYBEX_TOKEN_HASH_LEN],
    int64_t expires_us, int64_t *tid, struct cybex_diag *d)
{
	*tid = 0;
	if (name != NULL && strlen(name) > 128)
		return cybex_diag_set(d, CYBEX_EINVAL, "a token name is at most "
		    "128 characters");
	return s->ops->auth->token_add(s, user, name, hash, expires_us, tid, d);
}

int
cybex_store_token_find(struct cybex_store *s,
    const uint8_t hash[CYBEX_TOKEN_HASH_LEN], struct cybex_arena *a,
    struct cybex_token *out, struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->auth->token_find(s, hash, a, out, d);
}

int
cybex_store_token_list(struct cybex_store *s, const char *user,
    cybex_token_fn fn, void *ud, struct cybex_diag *d)
{
	return s->ops->auth->token_list(s, user, fn, ud, d);
}

int
cybex_store_token_revoke(struct cybex_store *s, int64_t tid,
    struct cybex_diag *d)
{
	return s->ops->auth->token_revoke(s, tid, d);
}

int
cybex_store_token_touch(struct cybex_store *s, int64_t tid,
    struct cybex_diag *d)
{
	return s->ops->auth->token_touch(s, tid, d);
}

int
cybex_store_grant(struct cybex_store *s, const char *coll_key, bool group,
    const char *principal, bool can_read, bool can_write,
    struct cybex_diag *d)
{
	return s->ops->auth->grant(s, coll_key, group, principal, can_read,
	    can_write, d);
}

int
cybex_store_access(struct cybex_store *s, int64_t uid, const char *coll_id,
    bool *can_read, bool *can_write, struct cybex_diag *d)
{
	*can_read = *can_write = false;
	return s->ops->auth->access(s, uid, coll_id, can_read, can_write, d);
}

int
cybex_store_audit(struct cybex_store *s, const char *actor,
    const char *action, const char *target, const char *detail,
    struct cybex_diag *d)
{
	return s->ops->auth->audit(s, actor, action, target, detail, d);
}

/* ---- TAXII API roots and status ---- */

int
cybex_store_api_root_put(struct cybex_store *s, const struct cybex_api_root *r,
    bool replace, struct cybex_diag *d)
{
	const char *c;

	if (r->name == NULL || *r->name == '\0' ||
	    strlen(r->name) > CYBEX_API_ROOT_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "an API root name must be "
		    "1 to %d characters", CYBEX_API_ROOT_MAX);
	for (c = r->name; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    *c == '_' || *c == '-'))
			return cybex_diag_set(d, CYBEX_EINVAL, "API root name "
			    "'%s' may hold only a-z, 0-9, '_' and '-'", r->name);
	if (strcmp(r->name, "taxii2") == 0 || strcmp(r->name, "api") == 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is reserved for "
		    "the server's own endpoints", r->name);
	if (r->title == NULL || *r->title == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "an API root needs a "
		    "title");
	if (r->max_content_length < 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "max_content_length must "
		    "not be negative");
	return s->ops->taxii->api_root_put(s, r, replace, d);
}

int
cybex_store_api_root_get(struct cybex_store *s, const char *name,
    struct cybex_arena *a, struct cybex_api_root *out, struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->taxii->api_root_get(s, name, a, out, d);
}

int
cybex_store_api_root_list(struct cybex_store *s, cybex_api_root_fn fn,
    void *ud, struct cybex_diag *d)
{
	return s->ops->taxii->api_root_list(s, fn, ud, d);
}

int
cybex_store_status_put(struct cybex_store *s, const struct cybex_status *st,
    struct cybex_diag *d)
{
	if (!store_is_uuid(st->id))
		return cybex_diag_set(d, CYBEX_EINVAL, "a status id must be a "
		    "UUID");
	return s->ops->taxii->status_put(s, st, d);
}

int
cybex_store_status_job_add(struct cybex_store *s, const char *status_id,
    const char *coll_id, const char *body, size_t len, struct cybex_diag *d)
{
	if (!store_is_uuid(status_id) || !store_is_uuid(coll_id))
		return cybex_diag_set(d, CYBEX_EINVAL, "a job needs the ids "
		    "(UUIDs) of its status and collection");
	return s->ops->taxii->status_job_add(s, status_id, coll_id, body, len, d);
}

int
cybex_store_status_job_next(struct cybex_store *s, int64_t after,
    struct cybex_arena *a, struct cybex_status_job *out,
    struct cybex_buf *body, struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->taxii->status_job_next(s, after, a, out, body, d);
}

int
cybex_store_status_job_remove(struct cybex_store *s, const char *status_id,
    struct cybex_diag *d)
{
	return s->ops->taxii->status_job_remove(s, status_id, d);
}

int
cybex_store_status_job_count(struct cybex_store *s, uint64_t *out,
    struct cybex_diag *d)
{
	*out = 0;
	return s->ops->taxii->status_job_count(s, out, d);
}

int
cybex_store_secret(struct cybex_store *s, const char *name, uint8_t *out,
    size_t len, struct cybex_diag *d)
{
	if (name == NULL || name[0] == '\0' || strlen(name) > 64 ||
	    len < CYBEX_STORE_SECRET_MIN || len > CYBEX_STORE_SECRET_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "a secret needs a name "
		    "of 1 to 64 bytes and %d to %d bytes", CYBEX_STORE_SECRET_MIN,
		    CYBEX_STORE_SECRET_MAX);
	return s->ops->auth->secret(s, name, out, len, d);
}

int
cybex_store_status_expire(struct cybex_store *s, int64_t before_us,
    uint64_t max_bytes, uint64_t *removed, struct cybex_diag *d)
{
	uint64_t n = 0;
	int r;

	if (max_bytes > INT64_MAX)
		max_bytes = INT64_MAX;
	r = s->ops->taxii->status_expire(s, before_us, max_bytes, &n, d);
	if (removed != NULL)
		*removed = r == 0 ? n : 0;
	return r;
}

int
cybex_store_status_get(struct cybex_store *s, const char *api_root,
    const char *id, struct cybex_arena *a, struct cybex_status *out,
    struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->taxii->status_get(s, api_root, id, a, out, d);
}

/* ---- member organizations ---- */

int
cybex_store_org_add(struct cybex_store *s, const char *name,
    struct cybex_diag *d)
{
	int r;

	if ((r = check_name(name, "organization", d)) != 0)
		return r;
	return s->ops->analysis->org_add(s, name, d);
}

int
cybex_store_org_remove(struct cybex_store *s, const char *name,
    unsigned flags, struct cybex_diag *d)
{
	return s->ops->analysis->org_remove(s, name, flags, d);
}

int
cybex_store_org_list(struct cybex_store *s, cybex_org_fn fn, void *ud,
    struct cybex_diag *d)
{
	return s->ops->analysis->org_list(s, fn, ud, d);
}

int
cybex_store_org_member(struct cybex_store *s, const char *org,
    const char *user, unsigned rights, struct cybex_diag *d)
{
	if ((rights & ~(unsigned)(CYBEX_ORG_INGEST | CYBEX_ORG_ROLE_MASK)) !=
	    0 || (rights & CYBEX_ORG_ROLE_MASK) == CYBEX_ORG_ROLE_MASK)
		return cybex_diag_set(d, CYBEX_EINVAL, "unknown membership "
		    "rights 0x%x", rights);
	return s->ops->analysis->org_member(s, org, user, org != NULL ? rights : 0, d);
}

const char *
cybex_store_org_role_name(unsigned rights)
{
	switch (rights & CYBEX_ORG_ROLE_MASK) {
	case CYBEX_ORG_ROLE_ANALYST:
		return "analyst";
	case CYBEX_ORG_ROLE_LEAD:
		return "lead";
	default:
		return "read-only";
	}
}

int
cybex_store_org_role_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "read-only") == 0)
		return CYBEX_ORG_ROLE_READONLY;
	if (strcmp(s, "analyst") == 0)
		return CYBEX_ORG_ROLE_ANALYST;
	if (strcmp(s, "lead") == 0)
		return CYBEX_ORG_ROLE_LEAD;
	return -1;
}

int
cybex_store_user_org(struct cybex_store *s, int64_t uid,
    struct cybex_arena *a, const char **org, unsigned *rights,
    struct cybex_diag *d)
{
	*org = NULL;
	*rights = 0;
	return s->ops->analysis->user_org(s, uid, a, org, rights, d);
}

/* ---- alerts ---- */

/* text is a JSON value of type want (JSON_ARRAY, JSON_OBJECT) of at most
 * max bytes; what names it in errors. */
static int
check_json_text(const char *text, json_type want, size_t max,
    const char *what, struct cybex_diag *d)
{
	struct cybex_diag jd;
	json_t *j = NULL;
	size_t len;
	int r;

	if (text == NULL)
		return 0;
	if ((len = strlen(text)) > max)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "the %s of an alert are "
		    "%zu bytes, more than %zu", what, len, max);
	cybex_diag_clear(&jd);
	if (cybex_json_parse(text, len, 0, &j, &jd) != 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "the %s of an alert are "
		    "not JSON: %s", what, jd.message);
	r = json_typeof(j) == want ? 0 : cybex_diag_set(d, CYBEX_EINVAL,
	    "the %s of an alert must be a JSON %s", what,
	    want == JSON_ARRAY ? "array" : "object");
	json_decref(j);
	return r;
}

static int
check_text(const char *v, bool required, size_t max, const char *what,
    struct cybex_diag *d)
{
	if (v == NULL || *v == '\0')
		return required ? cybex_diag_set(d, CYBEX_EINVAL, "an alert "
		    "needs a %s", what) : 0;
	if (strlen(v) > max)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "the %s of an alert is "
		    "longer than %zu bytes", what, max);
	return 0;
}

static bool
alert_same(const struct cybex_alert_row *x, const struct cybex_alert_row *y)
{
	return x->count == y->count && x->first_seen_us == y->first_seen_us &&
	    x->last_seen_us == y->last_seen_us && x->severity == y->severity &&
	    x->tlp == y->tlp;
}

#define ALERT_TRIES	8	/* finds again when another writer moved it */

/*
 * The merge is the rule (cybex_store_alert_merge, rules.c); the backend
 * finds the open alert and writes what the rule made of it, refusing
 * when the stored one changed in between (then found and merged again).
 */
static int
alert_store(struct cybex_store *s, struct cybex_alert_row *a,
    enum cybex_alert_put_result *out, struct cybex_diag *d)
{
	struct cybex_alert_row prev, next;
	struct cybex_uuid u;
	size_t tries, new_orgs = 0;
	bool later;
	int r;

	for (tries = 0; tries < ALERT_TRIES; tries++) {
		memset(&prev, 0, sizeof(prev));
		if ((r = s->ops->analysis->alert_find(s, a->org, a->key, &prev, d)) < 0)
			return r;
		if (r == 0) {
			if (cybex_uuid_v4(&u) != 0)
				return cybex_diag_set(d, CYBEX_ECRYPTO, "no "
				    "randomness for an alert id");
			cybex_uuid_format(&u, a->id);
			if ((r = s->ops->analysis->alert_write(s, NULL, a, true, true,
			    &new_orgs, d)) < 0)
				return r;
			if (r == 0) {
				*out = CYBEX_ALERT_ADDED;
				return 0;
			}
			continue;
		}
		prev.org = a->org;
		prev.key = a->key;
		next = prev;
		later = cybex_store_alert_merge(&next, a);
		next.orgs = a->orgs;
		next.norgs = a->norgs;
		next.org = a->org;
		next.key = a->key;
		if ((r = s->ops->analysis->alert_write(s, &prev, &next, later,
		    !alert_same(&prev, &next), &new_orgs, d)) < 0)
			return r;
		if (r == 0) {
			memcpy(a->id, prev.id, sizeof(a->id));
			*out = alert_same(&prev, &next) && new_orgs == 0 ?
			    CYBEX_ALERT_UNCHANGED : CYBEX_ALERT_UPDATED;
			return 0;
		}
	}
	return cybex_diag_set(d, CYBEX_EDB, "the open alert %s kept changing "
	    "while it was merged", a->key);
}

int
cybex_store_alert_put(struct cybex_store *s, struct cybex_alert_row *a,
    enum cybex_alert_put_result *out, struct cybex_diag *d)
{
	size_t i;
	int r;

	*out = 0;
	if ((r = check_text(a->key, true, CYBEX_ALERT_KEY_MAX, "key", d)) != 0 ||
	    (r = check_text(a->detector, true, CYBEX_NAME_MAX, "detector",
	    d)) != 0 ||
	    (r = check_text(a->summary, true, CYBEX_ALERT_TEXT_MAX, "summary",
	    d)) != 0 ||
	    (r = check_text(a->taxonomy_class, false, CYBEX_NAME_MAX,
	    "taxonomy class", d)) != 0 ||
	    (r = check_text(a->taxonomy_type, false, CYBEX_NAME_MAX,
	    "taxonomy type", d)) != 0 ||
	    (r = check_text(a->sensor, false, CYBEX_ALERT_TEXT_MAX, "sensor",
	    d)) != 0)
		return r;
	if (a->org != NULL && (r = check_name(a->org, "organization", d)) != 0)
		return r;
	if (a->severity < 1 || a->severity > 4)
		return cybex_diag_set(d, CYBEX_EINVAL, "alert severity %d is not "
		    "1 to 4", a->severity);
	if (a->count == 0 || a->count > INT64_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "an alert's count must "
		    "be at least 1");
	if (a->first_seen_us > a->last_seen_us)
		return cybex_diag_set(d, CYBEX_EINVAL, "an alert's first_seen "
		    "is after its last_seen");
	if (a->tlp < 0 || a->tlp > CYBEX_TLP_RED)
		return cybex_diag_set(d, CYBEX_EINVAL, "alert tlp %d is not a "
		    "TLP level", a->tlp);
	if (a->norgs > CYBEX_ALERT_ORGS_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "an alert names more "
		    "than %d organizations", CYBEX_ALERT_ORGS_MAX);
	for (i = 0; i < a->norgs; i++)
		if ((r = check_name(a->orgs[i], "organization", d)) != 0)
			return r;
	if ((r = check_json_text(a->parties, JSON_ARRAY,
	    CYBEX_ALERT_PARTIES_MAX_BYTES, "parties", d)) != 0 ||
	    (r = check_json_text(a->evidence, JSON_OBJECT,
	    CYBEX_ALERT_EVIDENCE_MAX, "evidence", d)) != 0)
		return r;
	a->tlp = cybex_policy_alert_tlp(a->tlp);
	return alert_store(s, a, out, d);
}

int
cybex_store_alert_query(struct cybex_store *s,
    const struct cybex_alert_query *q, cybex_alert_row_fn fn, void *ud,
    struct cybex_page *page, struct cybex_diag *d)
{
	memset(page, 0, sizeof(*page));
	if (q->limit > CYBEX_QUERY_LIMIT_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "limit %zu is above the "
		    "maximum %d", q->limit, CYBEX_QUERY_LIMIT_MAX);
	if (q->max_tlp < 0 || q->max_tlp > CYBEX_TLP_RED)
		return cybex_diag_set(d, CYBEX_EINVAL, "max_tlp %d is not a TLP "
		    "level", q->max_tlp);
	return s->ops->analysis->alert_query(s, q, fn, ud, page, d);
}

int
cybex_store_alert_close(struct cybex_store *s, const char *id,
    struct cybex_diag *d)
{
	if (!store_is_uuid(id))
		return cybex_diag_set(d, CYBEX_EINVAL, "an alert id is a UUID");
	return s->ops->analysis->alert_close(s, id, d);
}

/* ---- sighting aggregation ---- */

static bool
is_stix_id(const char *id, const char *type)
{
	size_t n = strlen(type);

	return id != NULL && strncmp(id, type, n) == 0 && id[n] == '-' &&
	    id[n + 1] == '-' && store_is_uuid(id + n + 2);
}

int
cybex_store_sighting_merge(struct cybex_store *s,
    const struct cybex_sighting_state *delta, struct cybex_arena *a,
    struct cybex_sighting_state *out, struct cybex_diag *d)
{
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (!is_stix_id(delta->id, "sighting") ||
	    !is_stix_id(delta->indicator_id, "indicator") ||
	    !is_stix_id(delta->sensor_ref, "identity"))
		return cybex_diag_set(d, CYBEX_EINVAL, "a sighting state needs "
		    "sighting, indicator and identity ids");
	if (delta->first_seen_us > delta->last_seen_us ||
	    delta->count > INT64_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "a sighting's first_seen "
		    "is after its last_seen, or its count is out of range");
	if (delta->sample != NULL &&
	    strlen(delta->sample) > CYBEX_SIGHTING_SAMPLE_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a sighting's sample is "
		    "larger than %u bytes", CYBEX_SIGHTING_SAMPLE_MAX);
	return s->ops->analysis->sighting_merge(s, delta, a, out, d);
}

int
cybex_store_sighting_get(struct cybex_store *s, const char *id,
    struct cybex_arena *a, struct cybex_sighting_state *out,
    struct cybex_diag *d)
{
	memset(out, 0, sizeof(*out));
	return s->ops->analysis->sighting_get(s, id, a, out, d);
}

int
cybex_store_sighting_written(struct cybex_store *s, const char *id,
    int64_t modified_us, uint64_t count, struct cybex_diag *d)
{
	if (count > INT64_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "count out of range");
	return s->ops->analysis->sighting_written(s, id, modified_us, count, d);
}

int
cybex_store_sighting_latest(struct cybex_store *s, const char *sensor_ref,
    int64_t *out, struct cybex_diag *d)
{
	*out = 0;
	return s->ops->analysis->sighting_latest(s, sensor_ref, out, d);
}

/* ---- cooperative analysis ---- */

int
cybex_store_coop_note(struct cybex_store *s, const char *subject,
    const char *org, uint64_t hits, int64_t first_us, int64_t last_us,
    size_t *norgs, bool *added, struct cybex_diag *d)
{
	int r;

	*norgs = 0;
	*added = false;
	if (subject == NULL || *subject == '\0' ||
	    strlen(subject) > CYBEX_COOP_SUBJECT_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "a cooperative subject "
		    "is 1 to %d bytes", CYBEX_COOP_SUBJECT_MAX);
	if ((r = check_name(org, "organization", d)) != 0)
		return r;
	if (first_us > last_us || hits > INT64_MAX)
		return cybex_diag_set(d, CYBEX_EINVAL, "first after last, or "
		    "a count out of range");
	return s->ops->analysis->coop_note(s, subject, org, hits, first_us, last_us,
	    norgs, added, d);
}

int
cybex_store_coop_orgs(struct cybex_store *s, const char *subject,
    cybex_coop_fn fn, void *ud, struct cybex_diag *d)
{
	return s->ops->analysis->coop_orgs(s, subject, fn, ud, d);
}
