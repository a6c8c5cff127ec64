/*
 * Cooperative analysis kept in the store.  The detectors' cooperative view
 * lives in one process's memory; members whose logs are analysed by
 * different processes (a `cybex ingest` per organization) or on different
 * days would never meet there.  So each flush also notes, in the store,
 * which organization saw which attacking source (the attacker of an
 * alert) and which indicator (a sighting), and when a new organization
 * brings a subject to coop_min_orgs, the hub raises one alert that names
 * them all.  Its key is the one the detectors use for the same subject
 * ("coop|ipv4-addr|198.51.100.7", "coop|indicator|indicator--..."), so
 * both views update one alert.
 */
#include <string.h>

#include "analysis_int.h"

#define COOP_PARTIES	8	/* reporters named as parties */

bool
name_ok(const char *s)
{
	size_t n = 0;

	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		    *s == '@' || *s == '-') || n >= CYBEX_NAME_MAX)
			return false;
	return true;
}

int
coop_note(struct cnotes *cn, const char *subject, const char *org,
    uint64_t hits, int64_t first, int64_t last, const char *cls,
    const char *type, const char *pkind, const char *pvalue, int tlp)
{
	struct cnote *c, *nv;

	if (!name_ok(org) || strlen(subject) > CYBEX_COOP_SUBJECT_MAX)
		return 0;
	if (cn->n == cn->cap) {
		size_t ncap = cn->cap > 0 ? cn->cap * 2 : 64;

		if ((nv = cybex_reallocarray(cn->v, ncap, sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		cn->v = nv;
		cn->cap = ncap;
	}
	c = &cn->v[cn->n];
	memset(c, 0, sizeof(*c));
	c->hits = hits;
	c->first = first;
	c->last = last;
	c->cls = cls;
	c->type = type;
	c->tlp = tlp;
	if ((c->subject = cybex_strdup(subject)) == NULL ||
	    (c->org = cybex_strdup(org)) == NULL ||
	    (pkind != NULL && (c->pkind = cybex_strdup(pkind)) == NULL) ||
	    (pvalue != NULL && (c->pvalue = cybex_strdup(pvalue)) == NULL)) {
		cybex_free(c->subject);
		cybex_free(c->org);
		cybex_free(c->pkind);
		return CYBEX_ENOMEM;
	}
	cn->n++;
	return 0;
}

void
coop_clear(struct cnotes *cn)
{
	size_t i;

	for (i = 0; i < cn->n; i++) {
		cybex_free(cn->v[i].subject);
		cybex_free(cn->v[i].org);
		cybex_free(cn->v[i].pkind);
		cybex_free(cn->v[i].pvalue);
	}
	cn->n = 0;
}

/* The organizations of a subject, gathered for its alert. */
struct members {
	json_t		*names;		/* every one, for the evidence */
	json_t		*parties;
	const char	*orgs[CYBEX_ALERT_ORGS_MAX];
	size_t		 norgs;
	uint64_t	 hits;
	int64_t		 first, last;
	struct cybex_buf list;		/* "a, b, c" for the summary */
};

static int
member(void *ud, const struct cybex_coop_org *o)
{
	struct members *m = ud;
	json_t *name = json_string(o->org);

	if (name == NULL || json_array_append_new(m->names, name) != 0)
		return CYBEX_ENOMEM;
	if (m->norgs < CYBEX_ALERT_ORGS_MAX)
		m->orgs[m->norgs++] = json_string_value(name);
	if (json_array_size(m->names) <= COOP_PARTIES &&
	    json_array_append_new(m->parties, json_pack("{s:s, s:s, s:s}",
	    "role", "reporter", "kind", "organization", "value", o->org)) != 0)
		return CYBEX_ENOMEM;
	if (m->list.len < 200)
		cybex_buf_printf(&m->list, "%s%s", m->list.len > 0 ? ", " : "",
		    o->org);
	m->hits = m->hits + o->hits < m->hits ? m->hits : m->hits + o->hits;
	if (m->first == 0 || o->first_seen_us < m->first)
		m->first = o->first_seen_us;
	if (o->last_seen_us > m->last)
		m->last = o->last_seen_us;
	return 0;
}

static int
raise(struct cybex_analysis *a, const struct cnote *c, size_t norgs,
    struct cybex_diag *d)
{
	struct cybex_alert_row row;
	struct members m;
	enum cybex_alert_put_result res;
	struct cybex_buf summary, parties, evidence;
	char key[CYBEX_DETECT_COOP_KEY_MAX + 1];
	const char *ind;
	json_t *ev = NULL;
	int r = CYBEX_ENOMEM;

	/* The key the detectors give the same subject. */
	if (cybex_detect_coop_key(key, sizeof(key), c->subject) != 0)
		return 0;	/* too long for either: not raised */
	memset(&m, 0, sizeof(m));
	cybex_buf_init(&m.list, 0);
	cybex_buf_init(&summary, 0);
	cybex_buf_init(&parties, CYBEX_ALERT_PARTIES_MAX_BYTES);
	cybex_buf_init(&evidence, CYBEX_ALERT_EVIDENCE_MAX);
	if ((m.names = json_array()) == NULL ||
	    (m.parties = json_array()) == NULL)
		goto out;
	if (c->pkind != NULL && c->pvalue != NULL &&
	    json_array_append_new(m.parties, json_pack("{s:s, s:s, s:s}",
	    "role", "attacker", "kind", c->pkind, "value", c->pvalue)) != 0)
		goto out;
	if ((r = cybex_store_coop_orgs(a->s, c->subject, member, &m, d)) != 0)
		goto out;
	r = CYBEX_ENOMEM;
	ind = strncmp(c->subject, "indicator|", 10) == 0 ? c->subject + 10 :
	    NULL;
	ev = json_pack("{s:I, s:I, s:O, s:b, s:s, s:s?, s:s}", "members",
	    (json_int_t)norgs, "min_orgs", (json_int_t)a->o.coop_min_orgs,
	    "orgs", m.names, "orgs_complete", norgs <= CYBEX_ALERT_ORGS_MAX,
	    "key", c->subject, "indicator", ind, "origin", "store");
	if (ev == NULL || cybex_buf_printf(&summary, "%.200s seen by %zu member "
	    "organizations (%s)", c->pvalue != NULL ? c->pvalue : c->subject,
	    norgs, m.list.data != NULL ? m.list.data : "") != 0 ||
	    cybex_json_write(m.parties, 0, &parties) != 0 ||
	    cybex_json_write(ev, 0, &evidence) != 0)
		goto out;
	memset(&row, 0, sizeof(row));
	row.key = key;
	row.detector = "coop";
	row.taxonomy_class = c->cls;
	row.taxonomy_type = c->type;
	row.severity = 3;
	row.summary = summary.data;
	row.first_seen_us = m.first <= m.last ? m.first : m.last;
	row.last_seen_us = m.last;
	row.count = m.hits > 0 ? m.hits : norgs;
	row.parties = parties.data;
	row.evidence = evidence.data;
	row.orgs = m.orgs;
	row.norgs = m.norgs;
	/* As restricted as what it comes from (a TLP:RED indicator's hits). */
	row.tlp = c->tlp > a->o.tlp ? c->tlp : a->o.tlp;
	if ((r = cybex_store_alert_put(a->s, &row, &res, d)) != 0)
		goto out;
	if (res == CYBEX_ALERT_ADDED)
		a->flush_added++;
	else if (res == CYBEX_ALERT_UPDATED)
		a->flush_merged++;
 out:
	json_decref(ev);
	json_decref(m.names);
	json_decref(m.parties);
	cybex_buf_free(&m.list);
	cybex_buf_free(&summary);
	cybex_buf_free(&parties);
	cybex_buf_free(&evidence);
	if (r == CYBEX_ENOMEM)
		cybex_diag_set(d, r, "out of memory");
	return r;
}

int
coop_store(struct cybex_analysis *a, struct cybex_diag *d)
{
	const struct cnote *c;
	size_t i, norgs;
	bool added;
	int r;

	for (i = 0; i < a->notes.n; i++) {
		c = &a->notes.v[i];
		if ((r = cybex_store_coop_note(a->s, c->subject, c->org,
		    c->hits, c->first, c->last, &norgs, &added, d)) != 0)
			return r;
		if (added && norgs >= a->o.coop_min_orgs &&
		    (r = raise(a, c, norgs, d)) != 0)
			return r;
	}
	return 0;
}
