/*
 * The prioritized remediation list: which assets of which organization
 * a vulnerability affects, in the priority order of prio.c.
 *
 * Objects are joined by CVE id as `cybex vuln list` joins them: the
 * vulnerability (external reference "cve"), the KEV entry of the newest
 * catalogue, the EPSS score of the newest date.  Every asset is matched
 * against every affected entry of every vulnerability: O(assets x
 * entries), which for a constituency's inventory against a collection of
 * advisories is what a CIRT runs on demand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln_int.h"

struct rv {
	char		 cve[32];
	json_t		*vuln;
	char		 kev_mod[40];	/* "" none */
	double		 epss;
	char		 epss_date[40];
};

struct ra {
	char			*org, *name, *cpe, *purl, *version;
	int64_t			 id;
};

struct cybex_remed {
	struct rv	*v;
	size_t		 nv, capv;
	bool		 folded;
	struct ra	*a;
	size_t		 na, capa;
	char		 kev_newest[40];
};

int
cybex_remed_new(struct cybex_remed **out)
{
	*out = cybex_calloc(1, sizeof(**out));
	return *out != NULL ? 0 : CYBEX_ENOMEM;
}

void
cybex_remed_free(struct cybex_remed *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nv; i++)
		json_decref(r->v[i].vuln);
	for (i = 0; i < r->na; i++) {
		cybex_free(r->a[i].org);
		cybex_free(r->a[i].name);
		cybex_free(r->a[i].cpe);
		cybex_free(r->a[i].purl);
		cybex_free(r->a[i].version);
	}
	cybex_free(r->v);
	cybex_free(r->a);
	cybex_free(r);
}

static const char *
jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static const char *
cve_of(const json_t *o)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(o, "external_references"), i, e)
		if (strcmp(jstr(e, "source_name"), "cve") == 0)
			return json_string_value(json_object_get(e,
			    "external_id"));
	return NULL;
}

int
cybex_remed_add_object(struct cybex_remed *r, json_t *obj)
{
	const char *type = jstr(obj, "type"), *cve;
	struct rv *e, *nv;
	size_t nc;

	if (strcmp(type, "vulnerability") == 0)
		cve = cve_of(obj);
	else if (strcmp(type, "x-cybex-kev") == 0 ||
	    strcmp(type, "x-cybex-epss") == 0)
		cve = json_string_value(json_object_get(obj, "cve_id"));
	else
		return 0;
	if (cve == NULL || strlen(cve) >= sizeof(e->cve))
		return 0;
	if (r->nv == r->capv) {
		nc = r->capv ? r->capv * 2 : 64;
		if ((nv = cybex_reallocarray(r->v, nc, sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		r->v = nv;
		r->capv = nc;
	}
	r->folded = false;
	e = &r->v[r->nv++];
	memset(e, 0, sizeof(*e));
	e->epss = -1;
	snprintf(e->cve, sizeof(e->cve), "%s", cve);
	if (type[0] == 'v') {
		json_incref(obj);
		e->vuln = obj;
	} else if (strcmp(type, "x-cybex-kev") == 0) {
		snprintf(e->kev_mod, sizeof(e->kev_mod), "%s",
		    jstr(obj, "modified"));
		if (strcmp(e->kev_mod, r->kev_newest) > 0)
			snprintf(r->kev_newest, sizeof(r->kev_newest), "%s",
			    e->kev_mod);
	} else if (json_is_number(json_object_get(obj, "epss"))) {
		e->epss = json_number_value(json_object_get(obj, "epss"));
		snprintf(e->epss_date, sizeof(e->epss_date), "%s",
		    jstr(obj, "score_date"));
	}
	return 0;
}

static char *
dup_or_null(const char *s, bool *fail)
{
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = cybex_strdup(s)) == NULL)
		*fail = true;
	return c;
}

int
cybex_remed_add_asset(struct cybex_remed *r, const char *org, int64_t id,
    const char *name, const struct cybex_product *p)
{
	struct ra *a, *na;
	size_t nc;
	bool fail = false;

	if (r->na == r->capa) {
		nc = r->capa ? r->capa * 2 : 64;
		if ((na = cybex_reallocarray(r->a, nc, sizeof(*na))) == NULL)
			return CYBEX_ENOMEM;
		r->a = na;
		r->capa = nc;
	}
	a = &r->a[r->na];
	memset(a, 0, sizeof(*a));
	a->id = id;
	a->org = dup_or_null(org != NULL ? org : "", &fail);
	a->name = dup_or_null(name, &fail);
	a->cpe = dup_or_null(p->cpe, &fail);
	a->purl = dup_or_null(p->purl, &fail);
	a->version = dup_or_null(p->version, &fail);
	r->na++;
	return fail ? CYBEX_ENOMEM : 0;
}

static int
cmp_cve(const void *x, const void *y)
{
	return strcmp(((const struct rv *)x)->cve, ((const struct rv *)y)->cve);
}

/* Merge the objects of each CVE into one entry (v sorted by CVE). */
static void
fold(struct cybex_remed *r)
{
	size_t i, j = 0;
	struct rv *t, *a;

	if (r->folded)
		return;
	r->folded = true;
	qsort(r->v, r->nv, sizeof(*r->v), cmp_cve);
	for (i = 0; i < r->nv; i++) {
		a = &r->v[i];
		if (j == 0 || strcmp(r->v[j - 1].cve, a->cve) != 0) {
			r->v[j++] = *a;
			continue;
		}
		t = &r->v[j - 1];
		if (a->vuln != NULL) {
			json_decref(t->vuln);
			t->vuln = a->vuln;
		}
		if (strcmp(a->kev_mod, t->kev_mod) > 0)
			memcpy(t->kev_mod, a->kev_mod, sizeof(t->kev_mod));
		if (a->epss >= 0 && (t->epss < 0 ||
		    strcmp(a->epss_date, t->epss_date) > 0)) {
			t->epss = a->epss;
			memcpy(t->epss_date, a->epss_date,
			    sizeof(t->epss_date));
		}
	}
	r->nv = j;
}

static double
max_cvss(const json_t *v)
{
	const json_t *m;
	double best = -1;
	size_t i;

	json_array_foreach(json_object_get(v, "x_cybex_cvss"), i, m)
		if (json_is_number(json_object_get(m, "score")) &&
		    json_number_value(json_object_get(m, "score")) > best)
			best = json_number_value(json_object_get(m, "score"));
	return best;
}

static struct cybex_vuln_prio prio_of(const struct cybex_remed *,
		    const struct rv *);

struct hit {
	const struct rv		*v;
	const struct ra		*a;
	struct cybex_vuln_prio	 prio;
};

static int
scmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
cmp_hit(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	int c;

	if ((c = strcmp(a->a->org, b->a->org)) != 0)
		return c;
	if ((c = cybex_vuln_prio_cmp(&a->prio, &b->prio)) != 0)
		return c;
	if ((c = strcmp(a->v->cve, b->v->cve)) != 0)
		return c;
	if ((c = scmp(a->a->cpe, b->a->cpe)) != 0 ||
	    (c = scmp(a->a->purl, b->a->purl)) != 0 ||
	    (c = scmp(a->a->version, b->a->version)) != 0)
		return c;
	return a->a->id < b->a->id ? -1 : a->a->id > b->a->id;
}

int
cybex_remed_run(struct cybex_remed *r, cybex_remed_fn fn, void *ud,
    size_t *skipped, struct cybex_diag *d)
{
	struct cybex_arena *arena = NULL;
	struct cybex_affected *ents;
	struct cybex_product p;
	struct cybex_remed_row row;
	struct cybex_diag ed;
	struct hit *hits = NULL, *nh;
	struct cybex_vuln_prio prio;
	enum cybex_vstatus acc, st;
	size_t i, k, e, nents, nhits = 0, caph = 0, skip = 0;
	bool acce, ex;
	int rc = 0;

	if (skipped != NULL)
		*skipped = 0;
	fold(r);
	if ((rc = cybex_arena_new(0, &arena)) != 0)
		return cybex_diag_set(d, rc, "out of memory");
	for (i = 0; i < r->nv; i++) {
		if (r->v[i].vuln == NULL)
			continue;
		cybex_arena_reset(arena);
		if ((rc = cybex_vuln_affected(r->v[i].vuln, arena, &ents,
		    &nents, d)) != 0)
			goto out;
		if (nents == 0)
			continue;
		prio = prio_of(r, &r->v[i]);
		for (k = 0; k < r->na; k++) {
			p.cpe = r->a[k].cpe;
			p.purl = r->a[k].purl;
			p.version = r->a[k].version;
			acc = CYBEX_VS_NONE;
			acce = false;
			for (e = 0; e < nents; e++) {
				cybex_diag_clear(&ed);
				if (cybex_affected_status(&ents[e], &p, &st,
				    &ex, &ed) != 0) {
					skip++;
					continue;
				}
				cybex_vstatus_fold(&acc, &acce, st, ex);
			}
			if (acc != CYBEX_VS_AFFECTED)
				continue;
			if (nhits == caph) {
				caph = caph ? caph * 2 : 64;
				if ((nh = cybex_reallocarray(hits, caph,
				    sizeof(*nh))) == NULL) {
					rc = cybex_diag_set(d, CYBEX_ENOMEM,
					    "out of memory");
					goto out;
				}
				hits = nh;
			}
			hits[nhits].v = &r->v[i];
			hits[nhits].a = &r->a[k];
			hits[nhits++].prio = prio;
		}
	}
	qsort(hits, nhits, sizeof(*hits), cmp_hit);
	for (i = 0; i < nhits; i++) {
		memset(&row, 0, sizeof(row));
		row.org = hits[i].a->org;
		row.asset_id = hits[i].a->id;
		row.name = hits[i].a->name;
		row.cpe = hits[i].a->cpe;
		row.purl = hits[i].a->purl;
		row.version = hits[i].a->version;
		row.cve = hits[i].v->cve;
		row.vuln_id = json_string_value(json_object_get(hits[i].v->vuln,
		    "id"));
		row.prio = hits[i].prio;
		if ((rc = fn(ud, &row)) != 0)
			goto out;
	}
	if (skipped != NULL)
		*skipped = skip;
 out:
	cybex_free(hits);
	cybex_arena_free(arena);
	return rc;
}

static struct cybex_vuln_prio
prio_of(const struct cybex_remed *r, const struct rv *v)
{
	struct cybex_vuln_prio p;

	p.kev = v->kev_mod[0] != '\0' && strcmp(v->kev_mod, r->kev_newest) == 0;
	p.epss = v->epss;
	p.cvss = v->vuln != NULL ? max_cvss(v->vuln) : -1;
	return p;
}

struct vsort {
	const struct rv		*v;
	struct cybex_vuln_prio	 prio;
};

static int
cmp_vsort(const void *x, const void *y)
{
	const struct vsort *a = x, *b = y;
	int c = cybex_vuln_prio_cmp(&a->prio, &b->prio);

	return c != 0 ? c : strcmp(a->v->cve, b->v->cve);
}

int
cybex_remed_vulns(struct cybex_remed *r, const char *only,
    cybex_remed_vuln_fn fn, void *ud)
{
	struct cybex_remed_vuln out;
	struct vsort *s;
	size_t i, n = 0;
	int rc = 0;

	fold(r);
	if ((s = cybex_calloc(r->nv + 1, sizeof(*s))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < r->nv; i++) {
		if (only != NULL && strcmp(only, r->v[i].cve) != 0)
			continue;
		s[n].v = &r->v[i];
		s[n++].prio = prio_of(r, &r->v[i]);
	}
	qsort(s, n, sizeof(*s), cmp_vsort);
	for (i = 0; i < n && rc == 0; i++) {
		out.cve = s[i].v->cve;
		out.vuln = s[i].v->vuln;
		out.prio = s[i].prio;
		rc = fn(ud, &out);
	}
	cybex_free(s);
	return rc;
}
