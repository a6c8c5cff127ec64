/*
 * Inventory files: CycloneDX JSON SBOMs (1.4 to 1.6), SPDX 2.3 JSON
 * documents and CSV asset lists, each product with its CPE and/or purl
 * normalized (cybex_cpe_write, cybex_purl_write) so that the same product
 * always reads the same.  The whole file is read and checked into an
 * arena before the callback sees the first item.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vuln_int.h"

struct items {
	struct cybex_arena	*a;
	struct cybex_sbom_item	*v;
	size_t			 n, alloc;
};

static char *
dup(struct items *it, const char *s, size_t n)
{
	return cybex_arena_strndup(it->a, s, n);
}

/*
 * Add one product; cpe and purl are checked and normalized.  where is
 * the JSON pointer (or NULL for CSV) for errors; a CSV error keeps the
 * line and column the caller set.
 */
static int
add(struct items *it, const char *cpe, size_t cpelen, const char *purl,
    size_t purllen, const char *name, const char *version,
    unsigned long line, const char *where, int *failed, struct cybex_diag *d)
{
	struct cybex_sbom_item *x, *nv;
	struct cybex_cpe c;
	struct cybex_purl p;
	char buf[CYBEX_PURL_MAX + CYBEX_CPE_MAX];
	int r;

	if (it->n == CYBEX_SBOM_ITEMS_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d products",
		    CYBEX_SBOM_ITEMS_MAX);
	if (it->n == it->alloc) {
		it->alloc = it->alloc == 0 ? 64 : it->alloc * 2;
		if ((nv = cybex_arena_alloc(it->a, it->alloc *
		    sizeof(*nv))) == NULL)
			return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
		if (it->n > 0)
			memcpy(nv, it->v, it->n * sizeof(*nv));
		it->v = nv;
	}
	x = &it->v[it->n];
	memset(x, 0, sizeof(*x));
	x->line = line;
	*failed = 1;
	if (cpe != NULL) {
		if ((r = cybex_cpe_read(cpe, cpelen, &c, d)) != 0)
			goto bad;
		if (cybex_cpe_write(&c, buf, sizeof(buf)) != 0) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "the CPE's normal "
			    "form is longer than %d bytes", CYBEX_CPE_MAX);
			goto bad;
		}
		if ((x->cpe = dup(it, buf, strlen(buf))) == NULL)
			goto nomem;
	}
	*failed = 2;
	if (purl != NULL) {
		if ((r = cybex_purl_read(purl, purllen, &p, d)) != 0)
			goto bad;
		if (cybex_purl_write(&p, false, buf, sizeof(buf)) != 0) {
			r = cybex_diag_set(d, CYBEX_ETOOBIG, "the package URL's "
			    "normal form is longer than %d bytes",
			    CYBEX_PURL_MAX);
			goto bad;
		}
		if ((x->purl = dup(it, buf, strlen(buf))) == NULL)
			goto nomem;
		if ((version == NULL || *version == '\0') &&
		    p.version[0] != '\0')
			version = dup(it, p.version, strlen(p.version));
	}
	if (name != NULL && (x->name = dup(it, name, strlen(name))) == NULL)
		goto nomem;
	if (version != NULL && *version != '\0' &&
	    (x->version = dup(it, version, strlen(version))) == NULL)
		goto nomem;
	if (where != NULL && (x->pointer = dup(it, where,
	    strlen(where))) == NULL)
		goto nomem;
	*failed = 0;
	it->n++;
	return 0;
 bad:
	/* The column is inside the value: the caller makes it the file's. */
	if (where != NULL) {
		snprintf(d->pointer, sizeof(d->pointer), "%s/%s", where,
		    *failed == 1 ? "cpe" : "purl");
		d->column = 0;
	}
	return r;
 nomem:
	*failed = 0;
	return cybex_diag_set(d, CYBEX_ENOMEM, "out of memory");
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* A member that must be a string when present. */
static int
opt_str(const json_t *o, const char *k, const char *where, const char **out,
    struct cybex_diag *d)
{
	const json_t *v = json_object_get(o, k);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v)) {
		snprintf(d->pointer, sizeof(d->pointer), "%s/%s", where, k);
		return cybex_diag_set(d, CYBEX_EFORMAT, "'%s' is a string", k);
	}
	*out = json_string_value(v);
	return 0;
}

static int
cdx_component(struct items *it, const json_t *c, const char *where,
    size_t depth, struct cybex_diag *d)
{
	const char *name, *version, *purl, *cpe;
	const json_t *sub, *x;
	char ptr[CYBEX_DIAG_PTR_MAX];
	size_t i;
	int r, failed;

	if (!json_is_object(c)) {
		snprintf(d->pointer, sizeof(d->pointer), "%s", where);
		return cybex_diag_set(d, CYBEX_EFORMAT, "a component is an "
		    "object");
	}
	if ((r = opt_str(c, "name", where, &name, d)) != 0 ||
	    (r = opt_str(c, "version", where, &version, d)) != 0 ||
	    (r = opt_str(c, "purl", where, &purl, d)) != 0 ||
	    (r = opt_str(c, "cpe", where, &cpe, d)) != 0)
		return r;
	if (name == NULL) {
		snprintf(d->pointer, sizeof(d->pointer), "%s", where);
		return cybex_diag_set(d, CYBEX_EFORMAT, "a component has a "
		    "name");
	}
	if ((cpe != NULL || purl != NULL) && (r = add(it, cpe,
	    cpe != NULL ? strlen(cpe) : 0, purl, purl != NULL ? strlen(purl) :
	    0, name, version, 0, where, &failed, d)) != 0)
		return r;
	if ((sub = json_object_get(c, "components")) == NULL)
		return 0;
	if (!json_is_array(sub)) {
		snprintf(d->pointer, sizeof(d->pointer), "%s/components",
		    where);
		return cybex_diag_set(d, CYBEX_EFORMAT, "'components' is an "
		    "array");
	}
	json_array_foreach(sub, i, x) {
		snprintf(ptr, sizeof(ptr), "%s/components/%zu", where, i);
		if ((r = cdx_component(it, x, ptr, depth + 1, d)) != 0)
			return r;
	}
	return 0;
}

static int
cyclonedx(struct items *it, const json_t *root, struct cybex_diag *d)
{
	const char *sv = jstr(root, "specVersion");
	const json_t *comps, *meta, *c;
	char ptr[CYBEX_DIAG_PTR_MAX];
	size_t i;
	int r;

	if (sv == NULL) {
		snprintf(d->pointer, sizeof(d->pointer), "/specVersion");
		return cybex_diag_set(d, CYBEX_EFORMAT, "a CycloneDX BOM has "
		    "a specVersion");
	}
	if (strcmp(sv, "1.4") != 0 && strcmp(sv, "1.5") != 0 &&
	    strcmp(sv, "1.6") != 0) {
		snprintf(d->pointer, sizeof(d->pointer), "/specVersion");
		return cybex_diag_set(d, CYBEX_EVERSION, "CycloneDX %.16s; "
		    "1.4, 1.5 and 1.6 are read", sv);
	}
	meta = json_object_get(root, "metadata");
	if (meta != NULL && (c = json_object_get(meta, "component")) != NULL &&
	    (r = cdx_component(it, c, "/metadata/component", 0, d)) != 0)
		return r;
	if ((comps = json_object_get(root, "components")) == NULL)
		return 0;
	if (!json_is_array(comps)) {
		snprintf(d->pointer, sizeof(d->pointer), "/components");
		return cybex_diag_set(d, CYBEX_EFORMAT, "'components' is an "
		    "array");
	}
	json_array_foreach(comps, i, c) {
		snprintf(ptr, sizeof(ptr), "/components/%zu", i);
		if ((r = cdx_component(it, c, ptr, 0, d)) != 0)
			return r;
	}
	return 0;
}

static int
spdx(struct items *it, const json_t *root, struct cybex_diag *d)
{
	const char *sv = jstr(root, "spdxVersion"), *name, *version, *type;
	const char *loc, *cpe, *purl;
	const json_t *pkgs, *p, *refs, *ref;
	char ptr[CYBEX_DIAG_PTR_MAX];
	size_t i, k;
	int r, failed;

	if (sv == NULL || (strcmp(sv, "SPDX-2.3") != 0 &&
	    strcmp(sv, "SPDX-2.2") != 0)) {
		snprintf(d->pointer, sizeof(d->pointer), "/spdxVersion");
		return cybex_diag_set(d, CYBEX_EVERSION, "%.16s; SPDX-2.2 and "
		    "SPDX-2.3 are read", sv != NULL ? sv : "no spdxVersion");
	}
	if ((pkgs = json_object_get(root, "packages")) == NULL)
		return 0;
	if (!json_is_array(pkgs)) {
		snprintf(d->pointer, sizeof(d->pointer), "/packages");
		return cybex_diag_set(d, CYBEX_EFORMAT, "'packages' is an "
		    "array");
	}
	json_array_foreach(pkgs, i, p) {
		snprintf(ptr, sizeof(ptr), "/packages/%zu", i);
		if (!json_is_object(p)) {
			snprintf(d->pointer, sizeof(d->pointer), "%s", ptr);
			return cybex_diag_set(d, CYBEX_EFORMAT, "a package is "
			    "an object");
		}
		if ((r = opt_str(p, "name", ptr, &name, d)) != 0 ||
		    (r = opt_str(p, "versionInfo", ptr, &version, d)) != 0)
			return r;
		cpe = purl = NULL;
		refs = json_object_get(p, "externalRefs");
		json_array_foreach(refs, k, ref) {
			type = jstr(ref, "referenceType");
			loc = jstr(ref, "referenceLocator");
			if (type == NULL || loc == NULL)
				continue;
			if (strcmp(type, "purl") == 0 && purl == NULL)
				purl = loc;
			else if (strcmp(type, "cpe23Type") == 0 && cpe == NULL)
				cpe = loc;
		}
		if ((cpe != NULL || purl != NULL) && (r = add(it, cpe,
		    cpe != NULL ? strlen(cpe) : 0, purl, purl != NULL ?
		    strlen(purl) : 0, name, version, 0, ptr, &failed, d)) != 0)
			return r;
	}
	return 0;
}

/* ---- CSV (RFC 4180) ---- */

#define CSV_COLS	32

struct csv_field {
	size_t	 off;		/* into the row buffer */
	size_t	 len;
	size_t	 col;		/* 1-based column in the line */
};

/*
 * One record from *p (up to e) into row (NUL-separated fields), fields
 * in f; *line advances by the lines it spans.  0, or an error.
 */
static int
csv_record(const char **pp, const char *e, unsigned long *line, char *row,
    size_t rowsz, struct csv_field *f, size_t *nf, struct cybex_diag *d)
{
	const char *p = *pp, *ls = p;
	size_t o = 0, n = 0;
	bool quoted;

	for (;;) {
		if (n == CSV_COLS) {
			d->line = *line;
			d->column = (size_t)(p - ls) + 1;
			return cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d "
			    "columns", CSV_COLS);
		}
		f[n].off = o;
		f[n].col = (size_t)(p - ls) + 1;
		quoted = p < e && *p == '"';
		if (quoted)
			p++;
		for (;;) {
			if (p >= e) {
				if (quoted) {
					d->line = *line;
					d->column = f[n].col;
					return cybex_diag_set(d, CYBEX_EFORMAT,
					    "a quoted field is not closed");
				}
				break;
			}
			if (quoted && *p == '"') {
				if (p + 1 < e && p[1] == '"') {
					p++;
				} else {
					p++;
					if (p < e && *p != ',' && *p != '\n' &&
					    *p != '\r') {
						d->line = *line;
						d->column = (size_t)(p - ls) + 1;
						return cybex_diag_set(d,
						    CYBEX_EFORMAT, "text after "
						    "a closing quote");
					}
					break;
				}
			} else if (!quoted && (*p == ',' || *p == '\n' ||
			    *p == '\r'))
				break;
			else if (!quoted && *p == '"') {
				d->line = *line;
				d->column = (size_t)(p - ls) + 1;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a quote "
				    "inside an unquoted field");
			}
			if (*p == '\n') {
				(*line)++;
				ls = p + 1;
			}
			if (*p == '\0' || o + 2 >= rowsz) {
				d->line = *line;
				d->column = (size_t)(p - ls) + 1;
				return cybex_diag_set(d, *p == '\0' ?
				    CYBEX_EFORMAT : CYBEX_ETOOBIG, *p == '\0' ?
				    "a NUL byte" : "a record longer than %zu "
				    "bytes", rowsz - 2);
			}
			row[o++] = *p++;
		}
		row[o++] = '\0';
		f[n].len = o - 1 - f[n].off;
		n++;
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		break;
	}
	if (p < e && *p == '\r')
		p++;
	if (p < e && *p == '\n')
		p++;
	(*line)++;
	*pp = p;
	*nf = n;
	return 0;
}

static int
csv(struct items *it, const char *buf, size_t len, struct cybex_diag *d)
{
	static const char *const names[] = { "cpe", "purl", "name",
	    "version" };
	char hdr[8192], row[8192];
	struct csv_field hf[CSV_COLS], f[CSV_COLS];
	const char *p = buf, *e = buf + len, *v[4];
	long idx[4] = { -1, -1, -1, -1 };
	unsigned long line = 1, at;
	size_t nh, nf, i, k;
	int r, failed;

	if ((r = csv_record(&p, e, &line, hdr, sizeof(hdr), hf, &nh, d)) != 0)
		return r;
	for (i = 0; i < nh; i++)
		for (k = 0; k < 4; k++)
			if (strcasecmp(hdr + hf[i].off, names[k]) == 0) {
				if (idx[k] >= 0) {
					d->line = 1;
					d->column = hf[i].col;
					return cybex_diag_set(d, CYBEX_EFORMAT,
					    "column '%s' twice", names[k]);
				}
				idx[k] = (long)i;
			}
	if (idx[0] < 0 && idx[1] < 0) {
		d->line = 1;
		d->column = 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "not a CycloneDX or "
		    "SPDX JSON document, nor CSV with a header naming a 'cpe' "
		    "or 'purl' column");
	}
	while (p < e) {
		if (*p == '\n' || *p == '\r') {	/* blank line */
			if (*p == '\r' && p + 1 < e && p[1] == '\n')
				p++;
			p++;
			line++;
			continue;
		}
		at = line;
		if ((r = csv_record(&p, e, &line, row, sizeof(row), f, &nf,
		    d)) != 0)
			return r;
		if (nf != nh) {
			d->line = at;
			d->column = 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "%zu fields, "
			    "the header has %zu", nf, nh);
		}
		for (k = 0; k < 4; k++)
			v[k] = idx[k] >= 0 && f[idx[k]].len > 0 ?
			    row + f[idx[k]].off : NULL;
		if (v[0] == NULL && v[1] == NULL) {
			d->line = at;
			d->column = 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a product "
			    "needs a cpe or a purl");
		}
		if ((r = add(it, v[0], v[0] != NULL ? strlen(v[0]) : 0, v[1],
		    v[1] != NULL ? strlen(v[1]) : 0, v[2], v[3], at, NULL,
		    &failed, d)) != 0) {
			/* The parser's column is inside the field. */
			d->line = at;
			if (failed != 0)
				d->column = f[idx[failed - 1]].col +
				    (d->column > 0 ? d->column - 1 : 0);
			return r;
		}
		d->column = 0;
	}
	return 0;
}

int
cybex_sbom_read(const char *buf, size_t len, cybex_sbom_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct items it;
	json_t *root = NULL;
	size_t i = 0;
	int r;

	memset(&it, 0, sizeof(it));
	if (len > CYBEX_SBOM_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "an inventory larger "
		    "than %d bytes", CYBEX_SBOM_MAX);
	if ((r = cybex_arena_new(0, &it.a)) != 0)
		return cybex_diag_set(d, r, "out of memory");
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '{') {
		if ((r = cybex_json_parse(buf + i, len - i, 0, &root,
		    d)) != 0) {
			vuln_diag_clean(d);
			goto out;
		}
		if (jstr(root, "bomFormat") != NULL) {
			if (strcmp(jstr(root, "bomFormat"), "CycloneDX") != 0) {
				snprintf(d->pointer, sizeof(d->pointer),
				    "/bomFormat");
				r = cybex_diag_set(d, CYBEX_EFORMAT, "bomFormat "
				    "is \"CycloneDX\"");
				goto out;
			}
			r = cyclonedx(&it, root, d);
		} else if (json_object_get(root, "spdxVersion") != NULL)
			r = spdx(&it, root, d);
		else
			r = cybex_diag_set(d, CYBEX_EFORMAT, "a JSON inventory "
			    "is a CycloneDX BOM (bomFormat) or an SPDX "
			    "document (spdxVersion)");
	} else
		r = csv(&it, buf + i, len - i, d);
	if (r != 0) {
		vuln_diag_clean(d);
		goto out;
	}
	for (i = 0; i < it.n; i++)
		if ((r = fn(ud, &it.v[i])) != 0)
			break;
 out:
	json_decref(root);
	cybex_arena_free(it.a);
	return r;
}
