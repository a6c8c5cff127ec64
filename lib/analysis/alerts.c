/*
 * The alert sink: alerts are copied out of the detector's callback, made
 * storable (texts cut at the store's caps on a UTF-8 boundary, evidence
 * cut at the configured size, organizations named by the reporters of a
 * cooperative alert), merged by (organization, key) with the same rule
 * the store uses, and stored in the flush transaction.
 *
 * Whatever a detector says, storing must not fail on its content: an
 * alert the store would refuse would stay pending and fail every later
 * flush.  So every field is brought within the store's rules here.
 */
#include <string.h>

#include "analysis_int.h"

int
alerts_init(struct alerts *p, size_t max, size_t evidence_max, int tlp)
{
	memset(p, 0, sizeof(*p));
	p->max = max;
	p->evidence_max = evidence_max;
	p->tlp = tlp;
	return (p->ix = json_object()) == NULL ? CYBEX_ENOMEM : 0;
}

static void
palert_free(struct palert *pa)
{
	struct cybex_alert_row *r = &pa->row;
	size_t i;

	cybex_free((char *)r->key);
	cybex_free((char *)r->detector);
	cybex_free((char *)r->taxonomy_class);
	cybex_free((char *)r->taxonomy_type);
	cybex_free((char *)r->summary);
	cybex_free((char *)r->org);
	cybex_free((char *)r->sensor);
	cybex_free((char *)r->parties);
	cybex_free((char *)r->evidence);
	for (i = 0; i < r->norgs; i++)
		cybex_free(pa->orgs[i]);
	cybex_free(pa->orgs);
	cybex_free(pa->akind);
	cybex_free(pa->avalue);
	memset(pa, 0, sizeof(*pa));
}

void
alerts_clear(struct alerts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		palert_free(&p->v[i]);
	p->n = 0;
	json_object_clear(p->ix);
}

void
alerts_fini(struct alerts *p)
{
	if (p->ix != NULL)
		alerts_clear(p);
	cybex_free(p->v);
	json_decref(p->ix);
	memset(p, 0, sizeof(*p));
}

/* At most max bytes of s, cut on a UTF-8 character boundary; NULL -> NULL
 * (or "" when required). */
static char *
cut(const char *s, size_t max, bool required)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return required ? cybex_strdup("-") : NULL;
	n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return cybex_strndup(s, n);
}

/* A key longer than the store takes: a prefix and a digest of it all. */
static char *
key_of(const char *key)
{
	static const struct cybex_uuid ns = { {
		0x5b, 0x0c, 0x1e, 0x29, 0x77, 0x3f, 0x4d, 0x02,
		0x8a, 0x61, 0x4e, 0x90, 0x1b, 0xd3, 0x6c, 0x2e,
	} };
	struct cybex_uuid u;
	char *k, *p;
	size_t n;

	if (key == NULL || *key == '\0')
		return cybex_strdup("-");
	if (strlen(key) <= CYBEX_ALERT_KEY_MAX)
		return cybex_strdup(key);
	if (cybex_uuid_v5(&ns, key, strlen(key), &u) != 0 ||
	    (p = cut(key, CYBEX_ALERT_KEY_MAX - 40, true)) == NULL)
		return NULL;
	n = strlen(p);
	if ((k = cybex_malloc(n + 40)) != NULL) {
		memcpy(k, p, n);
		k[n] = '#';
		cybex_uuid_format(&u, k + n + 1);
	}
	cybex_free(p);
	return k;
}

static const char *
role_name(enum cybex_party_role r)
{
	switch (r) {
	case CYBEX_PARTY_ATTACKER:
		return "attacker";
	case CYBEX_PARTY_VICTIM:
		return "victim";
	case CYBEX_PARTY_REPORTER:
		return "reporter";
	}
	return "other";
}

static char *
parties_json(const struct cybex_alert *al)
{
	struct cybex_buf b;
	json_t *arr, *p;
	char *kind, *value;
	size_t i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < al->n_parties && i < CYBEX_ALERT_PARTIES_MAX; i++) {
		kind = cut(al->parties[i].kind, 32, true);
		value = cut(al->parties[i].value, 1024, true);
		p = kind != NULL && value != NULL ? json_pack("{s:s, s:s, s:s}",
		    "role", role_name(al->parties[i].role), "kind", kind,
		    "value", value) : NULL;
		cybex_free(kind);
		cybex_free(value);
		if (p == NULL || json_array_append_new(arr, p) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	cybex_buf_init(&b, CYBEX_ALERT_PARTIES_MAX_BYTES);
	if (cybex_json_write(arr, 0, &b) != 0) {
		cybex_buf_free(&b);
		json_decref(arr);
		return cybex_strdup("[]");
	}
	json_decref(arr);
	return b.data;
}

/*
 * The evidence as JSON of at most max bytes.  Too large: its members
 * that are small on their own, and "truncated": the size it had.
 */
static char *
evidence_json(const json_t *ev, size_t max)
{
	struct cybex_buf b, m;
	const char *k;
	json_t *small, *v;
	size_t full;

	if (!json_is_object(ev))
		return cybex_strdup("{}");
	cybex_buf_init(&b, max);
	if (cybex_json_write(ev, 0, &b) == 0)
		return b.data != NULL ? b.data : cybex_strdup("{}");
	cybex_buf_free(&b);
	cybex_buf_init(&m, 0);
	if (cybex_json_write(ev, 0, &m) != 0) {
		cybex_buf_free(&m);
		return cybex_strdup("{\"truncated\":true}");
	}
	full = m.len;
	cybex_buf_free(&m);
	if ((small = json_object()) == NULL)
		return NULL;
	json_object_foreach((json_t *)(uintptr_t)ev, k, v) {
		cybex_buf_init(&m, max / 8);
		if (cybex_json_write(v, 0, &m) == 0 && strlen(k) < 128)
			json_object_set(small, k, v);
		cybex_buf_free(&m);
	}
	json_object_set_new(small, "truncated", json_integer((json_int_t)full));
	cybex_buf_init(&b, max);
	/* Still too large (many members): only the mark. */
	if (cybex_json_write(small, 0, &b) != 0) {
		cybex_buf_free(&b);
		json_object_clear(small);
		json_object_set_new(small, "truncated",
		    json_integer((json_int_t)full));
		cybex_buf_init(&b, 0);
		cybex_json_write(small, 0, &b);
	}
	json_decref(small);
	return b.data;
}

/* The reporters of a cooperative alert, as organization names. */
static int
orgs_of(const struct cybex_alert *al, struct palert *pa)
{
	const struct cybex_party *p;
	size_t i, k;

	pa->row.norgs = 0;
	if ((pa->orgs = cybex_calloc(CYBEX_ALERT_PARTIES_MAX + 1,
	    sizeof(*pa->orgs))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < al->n_parties && i < CYBEX_ALERT_PARTIES_MAX; i++) {
		p = &al->parties[i];
		if (p->role != CYBEX_PARTY_REPORTER || p->kind == NULL ||
		    strcmp(p->kind, "organization") != 0 ||
		    !name_ok(p->value))
			continue;
		for (k = 0; k < pa->row.norgs; k++)
			if (strcmp(pa->orgs[k], p->value) == 0)
				break;
		if (k < pa->row.norgs)
			continue;
		if ((pa->orgs[pa->row.norgs] = cybex_strdup(p->value)) == NULL)
			return CYBEX_ENOMEM;
		pa->row.norgs++;
	}
	pa->row.orgs = (const char *const *)pa->orgs;
	return 0;
}

static int
palert_make(struct alerts *p, const struct cybex_alert *al, char *key,
    struct palert *pa)
{
	struct cybex_alert_row *r = &pa->row;
	size_t i;

	memset(pa, 0, sizeof(*pa));
	r->key = key;
	r->detector = cut(al->detector, CYBEX_NAME_MAX, true);
	r->taxonomy_class = cut(al->taxonomy_class, CYBEX_NAME_MAX, false);
	r->taxonomy_type = cut(al->taxonomy_type, CYBEX_NAME_MAX, false);
	r->summary = cut(al->summary, CYBEX_ALERT_TEXT_MAX, true);
	r->org = name_ok(al->org) ? cybex_strdup(al->org) : NULL;
	r->sensor = cut(al->sensor, CYBEX_ALERT_TEXT_MAX, false);
	r->severity = al->severity < 1 ? 1 : al->severity > 4 ? 4 :
	    al->severity;
	r->first_seen_us = al->first_seen_us < al->last_seen_us ?
	    al->first_seen_us : al->last_seen_us;
	r->last_seen_us = al->first_seen_us < al->last_seen_us ?
	    al->last_seen_us : al->first_seen_us;
	r->count = al->count > 0 ? al->count : 1;
	if (r->count > INT64_MAX)
		r->count = INT64_MAX;
	r->tlp = p->hit_tlp > p->tlp ? p->hit_tlp : p->tlp;
	r->parties = parties_json(al);
	r->evidence = evidence_json(al->evidence, p->evidence_max);
	for (i = 0; i < al->n_parties && i < CYBEX_ALERT_PARTIES_MAX; i++)
		if (al->parties[i].role == CYBEX_PARTY_ATTACKER &&
		    al->parties[i].kind != NULL && al->parties[i].value != NULL) {
			pa->akind = cut(al->parties[i].kind, 32, true);
			pa->avalue = cut(al->parties[i].value, 400, true);
			break;
		}
	if (r->detector == NULL || r->summary == NULL || r->parties == NULL ||
	    r->evidence == NULL || (al->org != NULL && name_ok(al->org) &&
	    r->org == NULL) || orgs_of(al, pa) != 0) {
		palert_free(pa);
		return CYBEX_ENOMEM;
	}
	return 0;
}

/*
 * Merge b into a (both pending) by the store's rule
 * (cybex_store_alert_merge); the texts b gives a change hands.
 */
static void
palert_merge(struct palert *a, struct palert *b)
{
	struct cybex_alert_row *x = &a->row, *y = &b->row, was = a->row;
	size_t i, k;

	if (cybex_store_alert_merge(x, y)) {
#define TAKE(f)	do { cybex_free((char *)was.f); y->f = NULL; } while (0)
		TAKE(summary);
		TAKE(parties);
		TAKE(evidence);
		TAKE(sensor);
		TAKE(taxonomy_class);
		TAKE(taxonomy_type);
		TAKE(detector);
#undef TAKE
	}
	for (i = 0; i < y->norgs; i++) {
		for (k = 0; k < x->norgs; k++)
			if (strcmp(a->orgs[k], b->orgs[i]) == 0)
				break;
		if (k < x->norgs || x->norgs == CYBEX_ALERT_ORGS_MAX)
			continue;
		/* Grows one at a time: cooperative alerts name few. */
		if (x->norgs >= CYBEX_ALERT_PARTIES_MAX) {
			char **nv = cybex_reallocarray(a->orgs, x->norgs + 1,
			    sizeof(*nv));

			if (nv == NULL)
				continue;
			a->orgs = nv;
			x->orgs = (const char *const *)nv;
		}
		a->orgs[x->norgs++] = b->orgs[i];
		b->orgs[i] = NULL;
	}
	for (i = 0; i < y->norgs; i++)
		cybex_free(b->orgs[i]);
	y->norgs = 0;
}

int
alerts_add(struct alerts *p, const struct cybex_alert *al)
{
	struct cybex_buf k;
	struct palert pa, *nv;
	const json_t *known;
	char *key;
	int r = CYBEX_ENOMEM;

	if ((key = key_of(al->key)) == NULL)
		return CYBEX_ENOMEM;
	cybex_buf_init(&k, 0);
	if (cybex_buf_puts(&k, name_ok(al->org) ? al->org : "") != 0 ||
	    cybex_buf_putc(&k, 0x1f) != 0 || cybex_buf_puts(&k, key) != 0) {
		cybex_free(key);
		goto out;
	}
	if ((r = palert_make(p, al, key, &pa)) != 0)
		goto out;
	if ((known = json_object_get(p->ix, k.data)) != NULL) {
		palert_merge(&p->v[json_integer_value(known)], &pa);
		palert_free(&pa);
		r = 0;
		goto out;
	}
	/* Held while writes fail: a hard cap, not more memory. */
	if (p->n >= ALERTS_HARD(p)) {
		palert_free(&pa);
		cybex_buf_free(&k);
		return 2;
	}
	if (p->n == p->cap) {
		size_t ncap = p->cap > 0 ? p->cap * 2 : 64;

		if ((nv = cybex_reallocarray(p->v, ncap, sizeof(*nv))) ==
		    NULL) {
			palert_free(&pa);
			r = CYBEX_ENOMEM;
			goto out;
		}
		p->v = nv;
		p->cap = ncap;
	}
	if (json_object_set_new(p->ix, k.data,
	    json_integer((json_int_t)p->n)) != 0) {
		palert_free(&pa);
		r = CYBEX_ENOMEM;
		goto out;
	}
	p->v[p->n++] = pa;
	r = 0;
 out:
	cybex_buf_free(&k);
	if (r != 0)
		return r;
	return p->n >= p->max ? 1 : 0;
}

int
alerts_store(struct cybex_analysis *a, struct cybex_diag *d)
{
	enum cybex_alert_put_result res;
	struct alerts *p = &a->al;
	struct palert *pa;
	char subj[CYBEX_DETECT_COOP_KEY_MAX + 1];
	size_t i;
	int r = 0;

	for (i = 0; i < p->n; i++) {
		pa = &p->v[i];
		if ((r = cybex_store_alert_put(a->s, &pa->row, &res, d)) != 0)
			break;
		if (res == CYBEX_ALERT_ADDED)
			a->flush_added++;
		else if (res == CYBEX_ALERT_UPDATED)
			a->flush_merged++;
		/* A replayed alert says nothing new about who saw whom. */
		if (res == CYBEX_ALERT_UNCHANGED || pa->row.org == NULL ||
		    pa->akind == NULL || strcmp(pa->row.detector, "coop") == 0)
			continue;
		if (cybex_detect_coop_subject(subj, sizeof(subj), pa->akind,
		    pa->avalue) != 0)
			continue;	/* too long to count */
		if ((r = coop_note(&a->notes, subj, pa->row.org,
		    res == CYBEX_ALERT_ADDED ? pa->row.count : 0,
		    pa->row.first_seen_us, pa->row.last_seen_us,
		    pa->row.taxonomy_class, pa->row.taxonomy_type, pa->akind,
		    pa->avalue, pa->row.tlp)) != 0) {
			r = cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
			break;
		}
	}
	return r;
}
