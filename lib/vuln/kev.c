/*
 * The CISA Known Exploited Vulnerabilities catalogue (JSON feed) to
 * x-cybex-kev objects, one per entry.
 *
 * An entry's object keeps its id from one catalogue to the next (the
 * UUIDv5 of "kev:" and the CVE id), created is the day CISA added it and
 * modified the catalogue's dateReleased: each new catalogue is a new
 * version of every entry, and the same catalogue imported twice changes
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln_int.h"

struct kev_ctx {
	char			 ptr[CYBEX_DIAG_PTR_MAX];
	struct cybex_diag	*d;
	bool			 own;	/* the error is the catalogue's */
};

static int CYBEX_PRINTF(4, 5)
kfail(struct kev_ctx *c, int code, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(c->d, code, fmt, ap);
	va_end(ap);
	c->own = true;
	if (c->d != NULL) {
		snprintf(c->d->pointer, sizeof(c->d->pointer), "%s", c->ptr);
		if (key != NULL)
			cybex_json_pointer_push(c->d->pointer,
			    sizeof(c->d->pointer), key);
	}
	return code;
}

/* A required (or optional) string member of at most max bytes. */
static int
kstr(struct kev_ctx *c, const json_t *o, const char *key, bool required,
    bool empty_ok, size_t max, const char **out)
{
	const json_t *j = json_object_get(o, key);

	*out = NULL;
	if (j == NULL)
		return required ? kfail(c, CYBEX_EFORMAT, NULL, "'%s' is "
		    "required", key) : 0;
	if (!json_is_string(j))
		return kfail(c, CYBEX_EFORMAT, key, "'%s' must be a string",
		    key);
	if (!empty_ok && json_string_length(j) == 0)
		return kfail(c, CYBEX_EFORMAT, key, "'%s' must not be empty",
		    key);
	if (json_string_length(j) > max)
		return kfail(c, CYBEX_ETOOBIG, key, "'%s' is longer than %zu "
		    "bytes", key, max);
	*out = json_string_value(j);
	return 0;
}

/* "YYYY-MM-DD" as a STIX timestamp at midnight UTC, into out[32]. */
static int
kdate(struct kev_ctx *c, const json_t *o, const char *key, char *out)
{
	struct cybex_time t;
	struct cybex_diag td;
	const char *s;
	char buf[32];
	int r;

	if ((r = kstr(c, o, key, true, false, 10, &s)) != 0)
		return r;
	snprintf(buf, sizeof(buf), "%sT00:00:00.000Z", s);
	cybex_diag_clear(&td);
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    cybex_time_parse(buf, strlen(buf), CYBEX_TIME_UTC_Z, &t, &td) != 0)
		return kfail(c, CYBEX_EFORMAT, key, "'%s' must be a date "
		    "YYYY-MM-DD", key);
	cybex_time_format(&t, out, 32);
	return 0;
}

static int
kset(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return 0;
	return json_object_set_new(o, key, json_string(s)) != 0 ?
	    CYBEX_ENOMEM : 0;
}

/* One entry to its object; *out owned by the caller. */
static int
entry(struct kev_ctx *c, const json_t *e, const char *released,
    const char *catver, json_t **out)
{
	static const struct {
		const char	*in;
		const char	*out;
		size_t		 max;
	} strs[] = {
		{ "vendorProject", "vendor_project", 1024 },
		{ "product", "product", 1024 },
		{ "vulnerabilityName", "vulnerability_name", 1024 },
		{ "shortDescription", "short_description", 65536 },
		{ "requiredAction", "required_action", 65536 },
	};
	const char *cve, *s, *ransom, *notes;
	char added[32], due[32], id[80], vref[64], u[37];
	const json_t *cw, *x;
	struct cybex_uuid uu;
	json_t *o = NULL, *a;
	size_t i;
	int r;

	*out = NULL;
	if (!json_is_object(e))
		return kfail(c, CYBEX_EFORMAT, NULL, "an entry must be an "
		    "object");
	if ((r = kstr(c, e, "cveID", true, false, 32, &cve)) != 0)
		return r;
	if (!vuln_is_cve_id(cve))
		return kfail(c, CYBEX_EFORMAT, "cveID", "'cveID' must be "
		    "CVE-YYYY-NNNN (^CVE-[0-9]{4}-[0-9]{4,19}$)");
	if ((r = kdate(c, e, "dateAdded", added)) != 0 ||
	    (r = kdate(c, e, "dueDate", due)) != 0)
		return r;
	if (strcmp(added, released) > 0)
		return kfail(c, CYBEX_EFORMAT, "dateAdded", "'dateAdded' is "
		    "after the catalogue's dateReleased");
	if ((r = kstr(c, e, "knownRansomwareCampaignUse", true, false, 16,
	    &ransom)) != 0)
		return r;
	if (strcmp(ransom, "Known") != 0 && strcmp(ransom, "Unknown") != 0)
		return kfail(c, CYBEX_EFORMAT, "knownRansomwareCampaignUse",
		    "'knownRansomwareCampaignUse' must be Known or Unknown");
	if ((r = kstr(c, e, "notes", false, true, 65536, &notes)) != 0)
		return r;
	if ((o = json_object()) == NULL)
		return CYBEX_ENOMEM;
	snprintf(id, sizeof(id), "kev:%s", cve);
	cybex_uuid_v5(&vuln_ns, id, strlen(id), &uu);
	cybex_uuid_format(&uu, u);
	snprintf(id, sizeof(id), "x-cybex-kev--%s", u);
	if ((r = cybex_vuln_id(cve, vref, sizeof(vref))) != 0)
		goto out;
	if ((r = kset(o, "type", "x-cybex-kev")) != 0 ||
	    (r = kset(o, "spec_version", "2.1")) != 0 ||
	    (r = kset(o, "id", id)) != 0 ||
	    (r = kset(o, "created", added)) != 0 ||
	    (r = kset(o, "modified", released)) != 0 ||
	    (r = kset(o, "cve_id", cve)) != 0 ||
	    (r = kset(o, "vulnerability_ref", vref)) != 0)
		goto out;
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if ((r = kstr(c, e, strs[i].in, true, false, strs[i].max,
		    &s)) != 0 || (r = kset(o, strs[i].out, s)) != 0)
			goto out;
	if ((r = kset(o, "date_added", added)) != 0 ||
	    (r = kset(o, "due_date", due)) != 0 ||
	    (r = kset(o, "known_ransomware_campaign_use", ransom)) != 0 ||
	    (r = kset(o, "notes", notes != NULL && *notes != '\0' ? notes :
	    NULL)) != 0 ||
	    (r = kset(o, "catalog_version", catver)) != 0)
		goto out;
	if ((cw = json_object_get(e, "cwes")) != NULL) {
		if (!json_is_array(cw)) {
			r = kfail(c, CYBEX_EFORMAT, "cwes", "'cwes' must be "
			    "an array");
			goto out;
		}
		if ((a = json_array()) == NULL ||
		    json_object_set_new(o, "cwes", a) != 0) {
			r = CYBEX_ENOMEM;
			goto out;
		}
		json_array_foreach(cw, i, x) {
			const char *w = json_string_value(x);
			size_t k = 4;

			if (w != NULL && strncmp(w, "CWE-", 4) == 0 &&
			    w[4] >= '1' && w[4] <= '9')
				while (w[k] >= '0' && w[k] <= '9')
					k++;
			if (w == NULL || k == 4 || w[k] != '\0' || k > 14) {
				cybex_json_pointer_push(c->ptr,
				    sizeof(c->ptr), "cwes");
				cybex_json_pointer_pushi(c->ptr,
				    sizeof(c->ptr), i);
				r = kfail(c, CYBEX_EFORMAT, NULL, "a CWE id "
				    "must be CWE-<number>");
				goto out;
			}
			if (json_array_append(a, (json_t *)x) != 0) {
				r = CYBEX_ENOMEM;
				goto out;
			}
		}
	}
	*out = o;
	o = NULL;
	r = 0;
 out:
	json_decref(o);
	return r;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
walk(struct kev_ctx *c, const json_t *root, cybex_vuln_obj_fn fn, void *ud)
{
	const json_t *vs, *e, *cnt;
	const char *title, *catver, *rel, **ids = NULL;
	char released[32], buf[64];
	struct cybex_time t;
	struct cybex_diag td;
	json_t *o;
	size_t i, n;
	int r, pass;

	if (!json_is_object(root))
		return kfail(c, CYBEX_EFORMAT, NULL, "a KEV catalogue must be "
		    "a JSON object");
	if ((r = kstr(c, root, "title", true, false, 1024, &title)) != 0 ||
	    (r = kstr(c, root, "catalogVersion", true, false, 64,
	    &catver)) != 0 ||
	    (r = kstr(c, root, "dateReleased", true, false, 40, &rel)) != 0)
		return r;
	snprintf(buf, sizeof(buf), "%s", rel);
	cybex_diag_clear(&td);
	if (cybex_time_parse(buf, strlen(buf), 0, &t, &td) != 0)
		return kfail(c, CYBEX_EFORMAT, "dateReleased", "'dateReleased' "
		    "must be an RFC 3339 timestamp: %s", td.message);
	if (t.digits < 3)
		t.digits = 3;
	cybex_time_format(&t, released, sizeof(released));
	if ((vs = json_object_get(root, "vulnerabilities")) == NULL)
		return kfail(c, CYBEX_EFORMAT, NULL, "'vulnerabilities' is "
		    "required");
	if (!json_is_array(vs))
		return kfail(c, CYBEX_EFORMAT, "vulnerabilities",
		    "'vulnerabilities' must be an array");
	n = json_array_size(vs);
	if ((cnt = json_object_get(root, "count")) == NULL)
		return kfail(c, CYBEX_EFORMAT, NULL, "'count' is required");
	if (!json_is_integer(cnt) || json_integer_value(cnt) < 0 ||
	    (size_t)json_integer_value(cnt) != n)
		return kfail(c, CYBEX_EFORMAT, "count", "'count' must be the "
		    "number of entries (%zu)", n);
	/* Pass 0 checks everything (and duplicates); pass 1 calls fn. */
	if (n > 0 && (ids = cybex_calloc(n, sizeof(*ids))) == NULL)
		return CYBEX_ENOMEM;
	for (pass = 0; pass < 2; pass++) {
		json_array_foreach(vs, i, e) {
			snprintf(c->ptr, sizeof(c->ptr), "/vulnerabilities/%zu",
			    i);
			if ((r = entry(c, e, released, catver, &o)) != 0)
				goto out;
			if (pass == 0) {
				ids[i] = json_string_value(
				    json_object_get(e, "cveID"));
				json_decref(o);
				continue;
			}
			r = fn(ud, o);
			json_decref(o);
			if (r != 0)
				goto out;
		}
		if (pass == 0 && n > 1) {
			qsort(ids, n, sizeof(*ids), cmp_str);
			for (i = 1; i < n; i++)
				if (strcmp(ids[i - 1], ids[i]) == 0) {
					size_t seen = 0;

					/* Point at the second one. */
					json_array_foreach(vs, n, e)
						if (strcmp(json_string_value(
						    json_object_get(e,
						    "cveID")), ids[i]) == 0 &&
						    ++seen == 2)
							break;
					snprintf(c->ptr, sizeof(c->ptr),
					    "/vulnerabilities/%zu", n);
					r = kfail(c, CYBEX_EFORMAT, "cveID",
					    "%s is in the catalogue twice",
					    ids[i]);
					goto out;
				}
		}
	}
	r = 0;
 out:
	cybex_free(ids);
	return r;
}

int
cybex_kev_read(const char *buf, size_t len, cybex_vuln_obj_fn fn, void *ud,
    struct cybex_diag *d)
{
	struct kev_ctx c;
	json_t *root = NULL;
	size_t off;
	int r;

	memset(&c, 0, sizeof(c));
	c.d = d;
	if (len > CYBEX_KEV_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "KEV catalogue of %zu "
		    "bytes (at most %d)", len, CYBEX_KEV_MAX);
	if ((r = cybex_json_parse(buf, len, 0, &root, d)) != 0) {
		vuln_diag_clean(d);
		return r;
	}
	if ((r = walk(&c, root, fn, ud)) != 0 && c.own && d != NULL) {
		char ptr[CYBEX_DIAG_PTR_MAX], *slash;

		snprintf(ptr, sizeof(ptr), "%s", d->pointer);
		while (cybex_json_locate(buf, len, ptr, &off) != 0 &&
		    (slash = strrchr(ptr, '/')) != NULL)
			*slash = '\0';
		if (ptr[0] == '\0')
			off = 0;
		d->offset = off;
		cybex_text_linecol(buf, off, &d->line, &d->column);
	} else if (r == CYBEX_ENOMEM && !c.own)
		cybex_diag_set(d, r, "out of memory");
	if (r != 0)
		vuln_diag_clean(d);
	json_decref(root);
	return r;
}
