/*
 * Monitored pages for defacement detection: one JSON object per line from
 * a page checker,
 *
 *   {"url": "https://www.example.org/", "sha256": "<64 hex>",
 *    "time": "2024-05-01T10:00:00Z", "status": 200, "size": 5120}
 *
 * url and sha256 are required, time (RFC 3339) is optional, status (the
 * HTTP status the checker got) and size (bytes of the page) too; other
 * members are ignored.  Checks run at a human pace, so jansson (strict:
 * duplicate keys, bad UTF-8 and \u0000 are errors) is fast enough here.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest_int.h"

static int
bad(struct cybex_ingest_reader *r, const char *line, size_t len,
    const char *member, const char *why, struct cybex_diag *d)
{
	char ptr[64];
	size_t off = 0;

	snprintf(ptr, sizeof(ptr), "/%s", member);
	if (cybex_json_locate(line, len, ptr, &off) != 0)
		off = 0;
	(void)r;
	return ingest_err(d, CYBEX_EFORMAT, off + 1, "\"%s\" %s", member,
	    why);
}

static int
page_read(struct cybex_ingest_reader *r, const char *line, size_t len,
    struct cybex_diag *d)
{
	struct cybex_obs *o = &r->obs;
	struct cybex_diag jd;
	json_t *root = NULL, *v;
	const char *s;
	size_t i, end;
	int64_t us;
	int rc;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len)
		return 0;
	cybex_diag_clear(&jd);
	if ((rc = cybex_json_parse(line, len, 0, &root, &jd)) != 0) {
		rc = ingest_err(d, rc, jd.column, "%s", jd.message);
		goto out;
	}
	if (!json_is_object(root)) {
		rc = ingest_err(d, CYBEX_EFORMAT, i + 1, "a page record must "
		    "be a JSON object");
		goto out;
	}
	v = json_object_get(root, "url");
	if (!json_is_string(v) || (s = json_string_value(v))[0] == '\0' ||
	    strstr(s, "://") == NULL) {
		rc = v == NULL ? ingest_err(d, CYBEX_EFORMAT, 1, "no \"url\"") :
		    bad(r, line, len, "url", "must be an absolute URL", d);
		goto out;
	}
	if ((o->url = ingest_strdup(r, s, strlen(s))) == NULL ||
	    ingest_url_host(r, o->url, &o->http_host) != 0) {
		rc = ingest_full(d, 1);
		goto out;
	}
	v = json_object_get(root, "sha256");
	if (v == NULL) {
		rc = ingest_err(d, CYBEX_EFORMAT, 1, "no \"sha256\"");
		goto out;
	}
	if (!json_is_string(v) || ingest_hash(r, json_string_value(v),
	    json_string_length(v), 64, &o->page_hash) != 0) {
		rc = bad(r, line, len, "sha256", "must be 64 hexadecimal "
		    "digits", d);
		goto out;
	}
	o->sha256 = o->page_hash;
	if ((v = json_object_get(root, "time")) != NULL) {
		if (!json_is_string(v) || ingest_iso_time(json_string_value(v),
		    json_string_length(v), false, &us, &end) != 0 ||
		    end != json_string_length(v)) {
			rc = bad(r, line, len, "time", "must be an RFC 3339 "
			    "time", d);
			goto out;
		}
		o->ts_us = us;
	}
	if ((v = json_object_get(root, "status")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 100 ||
		    json_integer_value(v) > 999) {
			rc = bad(r, line, len, "status", "must be an HTTP "
			    "status code", d);
			goto out;
		}
		o->http_status = (int)json_integer_value(v);
	}
	if ((v = json_object_get(root, "size")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			rc = bad(r, line, len, "size", "must be a number of "
			    "bytes", d);
			goto out;
		}
		o->has_file_size = true;
		o->file_size = (uint64_t)json_integer_value(v);
	}
	o->kind = CYBEX_OBS_PAGE;
	o->source_type = "page";
	rc = 1;
 out:
	json_decref(root);
	return rc;
}

const struct ingest_fmt ingest_fmt_page = {
	"page", NULL, NULL, page_read,
};
