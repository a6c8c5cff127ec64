/*
 * Matching an asset against affected-product entries.
 *
 * An entry names products by CPE (NISTIR 7696: the entry's name must be
 * a SUPERSET of or EQUAL to the asset's) and/or by purl (type, namespace
 * and name equal after normalization), and versions by CVE 5 "versions"
 * entries or a vers range.  The input is struct cybex_affected whatever
 * the source: cybex_vuln_affected fills it from a CVE record's
 * vulnerability object; CSAF product status fills the same fields.
 */
#include <stdio.h>
#include <string.h>

#include "vuln_int.h"

const char *
cybex_vstatus_name(enum cybex_vstatus s)
{
	switch (s) {
	case CYBEX_VS_NONE:
		return "none";
	case CYBEX_VS_UNKNOWN:
		return "unknown";
	case CYBEX_VS_AFFECTED:
		return "affected";
	case CYBEX_VS_NOT_AFFECTED:
		return "known_not_affected";
	case CYBEX_VS_FIXED:
		return "fixed";
	}
	return "?";
}

/* The product's version: given, else its CPE's, else its purl's. */
static const char *
product_version(const struct cybex_product *p, const struct cybex_cpe *pc,
    bool has_cpe, const struct cybex_purl *pp, bool has_purl)
{
	if (p->version != NULL && p->version[0] != '\0')
		return p->version;
	if (has_cpe && pc->attr[CYBEX_CPE_VERSION].kind == CYBEX_CPE_VALUE)
		return pc->attr[CYBEX_CPE_VERSION].value;
	if (has_purl && pp->version[0] != '\0')
		return pp->version;
	return NULL;
}

/*
 * A CPE version attribute is a WFN string: "2\.14\.1".  Versions compare
 * unquoted.
 */
static void
unquote(const char *v, char *out, size_t outsz)
{
	size_t o = 0;

	for (; *v != '\0' && o + 1 < outsz; v++) {
		if (*v == '\\' && v[1] != '\0')
			v++;
		out[o++] = *v;
	}
	out[o] = '\0';
}

static bool
unbounded(const char *v)
{
	return v == NULL || strcmp(v, "*") == 0;
}

/*
 * The CVE 5 versions algorithm: an entry without an upper bound names
 * one version; with one, the range [version, bound); a change moves the
 * status from its version on.  Exact entries are looked at first, then
 * ranges in order; the first that holds the version decides.
 */
static int
ranges_status(const struct cybex_affected *a, const char *ver,
    enum cybex_vstatus *out, bool *explicit, struct cybex_diag *d)
{
	const struct cybex_vrange *v;
	enum cybex_vstatus st;
	size_t i, k;
	int pass, c, r;
	bool in;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < a->nranges; i++) {
			v = &a->ranges[i];
			if (pass == 0) {
				if (v->less_than != NULL ||
				    v->less_equal != NULL)
					continue;
				if ((r = cybex_version_cmp(v->type, ver,
				    v->version, &c, d)) != 0 &&
				    r != CYBEX_EINVAL)
					return r;
				if (r == 0 && c == 0) {
					*out = v->status;
					*explicit = true;
					return 0;
				}
				continue;
			}
			if (v->less_than == NULL && v->less_equal == NULL)
				continue;
			in = true;
			if (!unbounded(v->version) &&
			    strcmp(v->version, "0") != 0) {
				if ((r = cybex_version_cmp(v->type, ver,
				    v->version, &c, d)) != 0)
					return r;
				in = c >= 0;
			}
			if (in && v->less_than != NULL &&
			    !unbounded(v->less_than)) {
				if ((r = cybex_version_cmp(v->type, ver,
				    v->less_than, &c, d)) != 0)
					return r;
				in = c < 0;
			} else if (in && v->less_equal != NULL &&
			    !unbounded(v->less_equal)) {
				if ((r = cybex_version_cmp(v->type, ver,
				    v->less_equal, &c, d)) != 0)
					return r;
				in = c <= 0;
			}
			if (!in)
				continue;
			st = v->status;
			/* Changes in the order given; the latest "at" wins. */
			for (k = 0; k < v->nchanges; k++) {
				if ((r = cybex_version_cmp(v->type, ver,
				    v->changes[k].at, &c, d)) != 0)
					return r;
				if (c >= 0)
					st = v->changes[k].status;
			}
			*out = st;
			*explicit = true;
			return 0;
		}
	*out = a->default_status;
	*explicit = false;
	return 0;
}

int
cybex_affected_status(const struct cybex_affected *a,
    const struct cybex_product *p, enum cybex_vstatus *out, bool *explicit,
    struct cybex_diag *d)
{
	struct cybex_cpe ac, pc;
	struct cybex_purl ap, pp;
	struct cybex_vers vr;
	enum cybex_cpe_rel rel;
	struct cybex_cpe_attr pv;
	bool has_pc = false, has_pp = false, named = false, ranged, in;
	char vbuf[CYBEX_CPE_ATTR_MAX];
	const char *ver;
	int r, c;

	*out = CYBEX_VS_NONE;
	*explicit = false;
	ranged = a->nranges > 0 || a->vers != NULL;
	if (p->cpe != NULL) {
		if ((r = cybex_cpe_read(p->cpe, strlen(p->cpe), &pc, d)) != 0)
			return r;
		has_pc = true;
	}
	if (p->purl != NULL) {
		if ((r = cybex_purl_read(p->purl, strlen(p->purl), &pp,
		    d)) != 0)
			return r;
		has_pp = true;
	}
	ver = product_version(p, &pc, has_pc, &pp, has_pp);
	if (ver != NULL && has_pc && ver ==
	    pc.attr[CYBEX_CPE_VERSION].value) {
		unquote(ver, vbuf, sizeof(vbuf));
		ver = vbuf;
	}
	if (a->cpe != NULL && has_pc) {
		if ((r = cybex_cpe_read(a->cpe, strlen(a->cpe), &ac, d)) != 0)
			return r;
		/*
		 * Everything but the version by NISTIR 7696; with ranges the
		 * versions are theirs to decide (the entry's version
		 * attribute is ANY by convention), without them the entry's
		 * version attribute must cover the asset's: its CPE's, else
		 * its version column quoted as a WFN value.
		 */
		rel = cybex_cpe_compare(&ac, &pc, CYBEX_CPE_VERSION, NULL);
		if (rel == CYBEX_CPE_EQUAL || rel == CYBEX_CPE_SUPERSET) {
			if (ranged || ac.attr[CYBEX_CPE_VERSION].kind ==
			    CYBEX_CPE_ANY)
				named = true;
			else {
				pv = pc.attr[CYBEX_CPE_VERSION];
				if (pv.kind == CYBEX_CPE_ANY) {
					if (ver == NULL) {
						*out = CYBEX_VS_UNKNOWN;
						return 0;
					}
					pv.kind = CYBEX_CPE_VALUE;
					vuln_cpe_quote(ver, pv.value,
					    sizeof(pv.value));
				}
				rel = cybex_cpe_attr_compare(
				    &ac.attr[CYBEX_CPE_VERSION], &pv);
				if (rel == CYBEX_CPE_EQUAL ||
				    rel == CYBEX_CPE_SUPERSET)
					named = true;
				else
					return 0;
			}
		}
	}
	if (!named && a->purl != NULL && has_pp) {
		if ((r = cybex_purl_read(a->purl, strlen(a->purl), &ap,
		    d)) != 0)
			return r;
		if (strcmp(ap.type, pp.type) == 0 &&
		    strcmp(ap.ns, pp.ns) == 0 &&
		    strcmp(ap.name, pp.name) == 0) {
			if (ap.version[0] != '\0' && !ranged) {
				if (ver == NULL)
					return 0;
				if ((r = cybex_version_cmp(ap.type, ver,
				    ap.version, &c, d)) != 0 &&
				    r != CYBEX_EINVAL)
					return r;
				if (r != 0 || c != 0)
					return 0;
			}
			named = true;
		}
	}
	if (!named)
		return 0;
	if (!ranged) {
		*out = a->status;
		*explicit = true;
		return 0;
	}
	if (ver == NULL) {
		/* Named, but which version runs is not known. */
		*out = CYBEX_VS_UNKNOWN;
		return 0;
	}
	if (a->vers != NULL) {
		if ((r = cybex_vers_read(a->vers, strlen(a->vers), &vr,
		    d)) != 0 ||
		    (r = cybex_vers_contains(&vr, ver, &in, d)) != 0)
			return r;
		*out = in ? a->status : a->default_status;
		*explicit = in;
		return 0;
	}
	return ranges_status(a, ver, out, explicit, d);
}

/* The precedence of cybex_vstatus_fold: higher wins. */
static int
rank(enum cybex_vstatus s, bool explicit)
{
	switch (s) {
	case CYBEX_VS_NONE:
		return 0;
	case CYBEX_VS_UNKNOWN:
		return 1;
	case CYBEX_VS_NOT_AFFECTED:
	case CYBEX_VS_FIXED:
		return explicit ? 5 : 2;
	case CYBEX_VS_AFFECTED:
		return explicit ? 4 : 3;
	}
	return 0;
}

void
cybex_vstatus_fold(enum cybex_vstatus *acc, bool *acc_explicit,
    enum cybex_vstatus s, bool explicit)
{
	if (rank(s, explicit) > rank(*acc, *acc_explicit)) {
		*acc = s;
		*acc_explicit = explicit;
	}
}

/* ---- the entries of a CVE record's vulnerability object ---- */

static enum cybex_vstatus
cve_status(const char *s)
{
	if (s == NULL)
		return CYBEX_VS_UNKNOWN;
	if (strcmp(s, "affected") == 0)
		return CYBEX_VS_AFFECTED;
	if (strcmp(s, "unaffected") == 0)
		return CYBEX_VS_NOT_AFFECTED;
	return CYBEX_VS_UNKNOWN;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Package registries CVE records name in collectionURL, as purl types. */
static const struct {
	const char	*prefix;
	const char	*type;
} registries[] = {
	{ "https://registry.npmjs.org", "npm" },
	{ "https://www.npmjs.com", "npm" },
	{ "https://pypi.org", "pypi" },
	{ "https://pypi.python.org", "pypi" },
	{ "https://repo.maven.apache.org/maven2", "maven" },
	{ "https://repo1.maven.org/maven2", "maven" },
	{ "https://crates.io", "cargo" },
	{ "https://rubygems.org", "gem" },
	{ "https://www.nuget.org", "nuget" },
	{ "https://api.nuget.org", "nuget" },
	{ "https://proxy.golang.org", "golang" },
	{ "https://pkg.go.dev", "golang" },
	{ "https://packagist.org", "composer" },
	{ "https://hex.pm", "hex" },
	{ "https://github.com", "github" },
};

/*
 * The purl of collectionURL + packageName, in arena a, or NULL when the
 * registry is not known.  Maven's packageName is "group:artifact"; the
 * others' is the name, with a namespace before the last '/' (npm scopes,
 * Go modules, GitHub owner/repo).
 */
static char *
package_purl(const char *url, const char *pkg, struct cybex_arena *a)
{
	struct cybex_purl p;
	const char *type = NULL, *sep;
	char out[CYBEX_PURL_MAX + 1];
	size_t i, n, plen;

	if (url == NULL || pkg == NULL)
		return NULL;
	for (i = 0; i < sizeof(registries) / sizeof(registries[0]); i++) {
		plen = strlen(registries[i].prefix);
		if (strncmp(url, registries[i].prefix, plen) == 0 &&
		    (url[plen] == '\0' || url[plen] == '/')) {
			type = registries[i].type;
			break;
		}
	}
	if (type == NULL)
		return NULL;
	memset(&p, 0, sizeof(p));
	if (strlen(type) >= sizeof(p.type) || strlen(pkg) >= sizeof(p.name))
		return NULL;
	memcpy(p.type, type, strlen(type) + 1);
	sep = strcmp(type, "maven") == 0 ? strrchr(pkg, ':') :
	    strrchr(pkg, '/');
	if (sep != NULL) {
		n = (size_t)(sep - pkg);
		memcpy(p.ns, pkg, n);
		p.ns[n] = '\0';
		memcpy(p.name, sep + 1, strlen(sep + 1) + 1);
	} else
		memcpy(p.name, pkg, strlen(pkg) + 1);
	if (p.name[0] == '\0' || cybex_purl_write(&p, false, out,
	    sizeof(out)) != 0)
		return NULL;
	/* Round-trip through the parser: it normalizes per type. */
	if (cybex_purl_read(out, strlen(out), &p, NULL) != 0 ||
	    cybex_purl_write(&p, false, out, sizeof(out)) != 0)
		return NULL;
	return cybex_arena_strndup(a, out, strlen(out));
}

void
vuln_cpe_quote(const char *s, char *out, size_t outsz)
{
	size_t o = 0;
	int c;

	for (; *s != '\0' && o + 3 < outsz; s++) {
		c = (unsigned char)*s;
		if (c == ' ')
			c = '_';
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c < 0x21 || c > 0x7e)
			continue;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '_'))
			out[o++] = '\\';
		out[o++] = (char)c;
	}
	out[o] = '\0';
}

static int
fill_ranges(const json_t *prod, struct cybex_arena *a,
    struct cybex_affected *e, struct cybex_diag *d)
{
	const json_t *vs = json_object_get(prod, "versions"), *v, *chs, *ch;
	struct cybex_vrange *rg;
	struct cybex_vchange *cg;
	size_t i, k, n;

	e->default_status = cve_status(str(prod, "defaultStatus"));
	if (!json_is_array(vs) || (n = json_array_size(vs)) == 0)
		return 0;
	if ((rg = cybex_arena_alloc(a, n * sizeof(*rg))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	memset(rg, 0, n * sizeof(*rg));
	json_array_foreach(vs, i, v) {
		rg[i].version = str(v, "version");
		rg[i].less_than = str(v, "lessThan");
		rg[i].less_equal = str(v, "lessThanOrEqual");
		rg[i].type = str(v, "versionType");
		rg[i].status = cve_status(str(v, "status"));
		chs = json_object_get(v, "changes");
		if (!json_is_array(chs) || json_array_size(chs) == 0)
			continue;
		cg = cybex_arena_alloc(a, json_array_size(chs) * sizeof(*cg));
		if (cg == NULL)
			return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		json_array_foreach(chs, k, ch) {
			cg[k].at = str(ch, "at");
			cg[k].status = cve_status(str(ch, "status"));
			if (cg[k].at == NULL)
				cg[k].at = "*";
		}
		rg[i].changes = cg;
		rg[i].nchanges = json_array_size(chs);
		if (rg[i].version == NULL)
			rg[i].version = "0";
	}
	e->ranges = rg;
	e->nranges = n;
	/* Without versions the default status covers every version. */
	return 0;
}

int
cybex_vuln_affected(const json_t *vuln, struct cybex_arena *a,
    struct cybex_affected **out, size_t *n, struct cybex_diag *d)
{
	const json_t *aff = json_object_get(vuln, "x_cybex_affected"), *prod;
	const json_t *cpes, *c;
	struct cybex_affected *e, tmpl;
	size_t i, k, max, cnt = 0;
	char vend[CYBEX_CPE_ATTR_MAX], prodn[CYBEX_CPE_ATTR_MAX];
	char buf[3 * CYBEX_CPE_ATTR_MAX];
	const char *purl;
	int r;

	*out = NULL;
	*n = 0;
	if (!json_is_array(aff) || json_array_size(aff) == 0)
		return 0;
	max = 0;
	json_array_foreach(aff, i, prod)
		max += json_array_size(json_object_get(prod, "cpes")) + 2;
	if ((e = cybex_arena_alloc(a, max * sizeof(*e))) == NULL)
		return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
	json_array_foreach(aff, i, prod) {
		memset(&tmpl, 0, sizeof(tmpl));
		if ((r = fill_ranges(prod, a, &tmpl, d)) != 0)
			return r;
		/* No versions: the defaultStatus is every version's. */
		tmpl.status = tmpl.nranges == 0 ? tmpl.default_status :
		    CYBEX_VS_UNKNOWN;
		cpes = json_object_get(prod, "cpes");
		json_array_foreach(cpes, k, c) {
			if (!json_is_string(c))
				continue;
			e[cnt] = tmpl;
			e[cnt++].cpe = json_string_value(c);
		}
		purl = package_purl(str(prod, "collectionURL"),
		    str(prod, "packageName"), a);
		if (purl != NULL) {
			e[cnt] = tmpl;
			e[cnt++].purl = purl;
		}
		if (json_array_size(cpes) == 0 && purl == NULL &&
		    str(prod, "vendor") != NULL &&
		    str(prod, "product") != NULL) {
			vuln_cpe_quote(str(prod, "vendor"), vend, sizeof(vend));
			vuln_cpe_quote(str(prod, "product"), prodn, sizeof(prodn));
			if (vend[0] == '\0' || prodn[0] == '\0' ||
			    strlen(vend) + strlen(prodn) + 40 > sizeof(buf))
				continue;
			buf[0] = '\0';
			(void)snprintf(buf, sizeof(buf),
			    "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*:*", vend, prodn);
			e[cnt] = tmpl;
			if ((e[cnt].cpe = cybex_arena_strndup(a, buf,
			    strlen(buf))) == NULL)
				return cybex_diag_set(d, CYBEX_ENOMEM, "out of "
				    "memory");
			cnt++;
		}
	}
	*out = e;
	*n = cnt;
	return 0;
}
