/* The one JSON shape of a stored alert (REST API, `cybex alerts --json`). */
#include <string.h>

#include "analysis_int.h"

static const char *const severities[] = { "", "low", "medium", "high",
	"critical" };

/* Stored JSON text back into a value; what the store holds is checked on
 * the way in, so a failure here means a damaged row: show it as null. */
static json_t *
embedded(const char *text)
{
	json_t *j = NULL;

	if (text == NULL || cybex_json_parse(text, strlen(text), 0, &j,
	    NULL) != 0)
		return json_null();
	return j;
}

static json_t *
str_or_null(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

int
cybex_analysis_alert_json(const struct cybex_alert_row *r,
    struct cybex_buf *out)
{
	char first[32], last[32], created[32], updated[32], closed[32];
	json_t *o, *orgs;
	size_t i;
	int rc;

	stix_time(r->first_seen_us, first);
	stix_time(r->last_seen_us, last);
	stix_time(r->created_us, created);
	stix_time(r->updated_us, updated);
	if ((orgs = json_array()) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < r->norgs; i++)
		json_array_append_new(orgs, json_string(r->orgs[i]));
	o = json_pack("{s:s, s:s, s:s, s:{s:s, s:o, s:o}, s:i, s:s, s:s, s:o, "
	    "s:o, s:o, s:s, s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:s}",
	    "id", r->id, "key", r->key != NULL ? r->key : "",
	    "detector", r->detector != NULL ? r->detector : "",
	    "classification", "taxonomy", "rsit",
	    "class", str_or_null(r->taxonomy_class),
	    "type", str_or_null(r->taxonomy_type),
	    "severity", r->severity,
	    "severity_name", r->severity >= 1 && r->severity <= 4 ?
	    severities[r->severity] : "unknown",
	    "summary", r->summary != NULL ? r->summary : "",
	    "org", str_or_null(r->org), "orgs", orgs,
	    "sensor", str_or_null(r->sensor),
	    "first_seen", first, "last_seen", last,
	    "count", (json_int_t)r->count,
	    "parties", embedded(r->parties),
	    "evidence", embedded(r->evidence),
	    "tlp", cybex_tlp_name((enum cybex_tlp)r->tlp),
	    "status", r->closed_us != 0 ? "closed" : "open",
	    "created", created, "updated", updated);
	if (o == NULL)
		return CYBEX_ENOMEM;
	if (r->closed_us != 0) {
		stix_time(r->closed_us, closed);
		json_object_set_new(o, "closed", json_string(closed));
	}
	rc = cybex_json_write(o, 0, out);
	json_decref(o);
	return rc;
}
