/*
 * The incident model: status names and the state machine, the phases of
 * NIST SP 800-61r3 and ISO/IEC 27035-1 each status belongs to, resolutions,
 * the RSIT taxonomy, the default SLA table, the extension-definitions, and
 * reading an incident version into struct cybex_incident.
 */
#include <string.h>

#include "incident_int.h"

static const struct {
	const char	*name;
	const char	*nist;
	const char	*iso;
} statuses[CYBEX_INCIDENT_NSTATUS + 1] = {
	[CYBEX_INCIDENT_NEW] = { "new", "Detect (DE.AE: adverse event "
	    "analysis)", "detect and report" },
	[CYBEX_INCIDENT_TRIAGE] = { "triage", "Detect (DE.AE: incident "
	    "declaration)", "assess and decide" },
	[CYBEX_INCIDENT_IN_PROGRESS] = { "in-progress", "Respond (RS.MA, "
	    "RS.AN: management and analysis)", "respond" },
	[CYBEX_INCIDENT_CONTAINED] = { "contained", "Respond (RS.MI: "
	    "containment)", "respond" },
	[CYBEX_INCIDENT_ERADICATED] = { "eradicated", "Respond (RS.MI: "
	    "eradication)", "respond" },
	[CYBEX_INCIDENT_RECOVERED] = { "recovered", "Recover (RC.RP: "
	    "recovery plan execution)", "respond" },
	[CYBEX_INCIDENT_CLOSED] = { "closed", "Identify (ID.IM: "
	    "improvement, lessons learned)", "learn lessons" },
};

const char *
cybex_incident_status_name(int st)
{
	if (st < CYBEX_INCIDENT_NEW || st > CYBEX_INCIDENT_CLOSED)
		return NULL;
	return statuses[st].name;
}

int
cybex_incident_status_parse(const char *s)
{
	int i;

	for (i = CYBEX_INCIDENT_NEW; s != NULL && i <= CYBEX_INCIDENT_CLOSED;
	    i++)
		if (strcmp(s, statuses[i].name) == 0)
			return i;
	return -1;
}

const char *
cybex_incident_phase_nist(int st)
{
	return cybex_incident_status_name(st) == NULL ? NULL :
	    statuses[st].nist;
}

const char *
cybex_incident_phase_iso(int st)
{
	return cybex_incident_status_name(st) == NULL ? NULL :
	    statuses[st].iso;
}

/*
 * allowed[from] has bit to set when from -> to is a transition.  Forward
 * steps may skip (a contained incident found eradicated at once), never go
 * back to new or triage except by reopening.
 */
#define B(x)	(1u << (x))
static const unsigned allowed[CYBEX_INCIDENT_NSTATUS + 1] = {
	[CYBEX_INCIDENT_NEW] = B(CYBEX_INCIDENT_TRIAGE) |
	    B(CYBEX_INCIDENT_IN_PROGRESS) | B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_TRIAGE] = B(CYBEX_INCIDENT_IN_PROGRESS) |
	    B(CYBEX_INCIDENT_CONTAINED) | B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_IN_PROGRESS] = B(CYBEX_INCIDENT_CONTAINED) |
	    B(CYBEX_INCIDENT_ERADICATED) | B(CYBEX_INCIDENT_RECOVERED) |
	    B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_CONTAINED] = B(CYBEX_INCIDENT_IN_PROGRESS) |
	    B(CYBEX_INCIDENT_ERADICATED) | B(CYBEX_INCIDENT_RECOVERED) |
	    B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_ERADICATED] = B(CYBEX_INCIDENT_IN_PROGRESS) |
	    B(CYBEX_INCIDENT_RECOVERED) | B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_RECOVERED] = B(CYBEX_INCIDENT_IN_PROGRESS) |
	    B(CYBEX_INCIDENT_CLOSED),
	[CYBEX_INCIDENT_CLOSED] = B(CYBEX_INCIDENT_TRIAGE) |
	    B(CYBEX_INCIDENT_IN_PROGRESS),
};
#undef B

bool
cybex_incident_transition_ok(int from, int to)
{
	if (cybex_incident_status_name(from) == NULL ||
	    cybex_incident_status_name(to) == NULL)
		return false;
	return (allowed[from] & (1u << to)) != 0;
}

static const char *const resolutions[] = {
	[CYBEX_RESOLUTION_NONE] = "none",
	[CYBEX_RESOLUTION_TRUE_POSITIVE] = "true-positive",
	[CYBEX_RESOLUTION_FALSE_POSITIVE] = "false-positive",
	[CYBEX_RESOLUTION_BENIGN] = "benign",
	[CYBEX_RESOLUTION_DUPLICATE] = "duplicate",
	[CYBEX_RESOLUTION_OTHER] = "other",
};
#define NRESOLUTIONS	(sizeof(resolutions) / sizeof(resolutions[0]))

const char *
cybex_incident_resolution_name(int r)
{
	if (r < 0 || (size_t)r >= NRESOLUTIONS)
		return NULL;
	return resolutions[r];
}

int
cybex_incident_resolution_parse(const char *s)
{
	size_t i;

	for (i = 1; s != NULL && i < NRESOLUTIONS; i++)
		if (strcmp(s, resolutions[i]) == 0)
			return (int)i;
	return -1;
}

/* RSIT v1.3 (machine-readable version 1003): class, then its types. */
static const struct {
	const char	*class;
	const char	*types[6];	/* NULL-terminated */
} rsit[] = {
	{ "abusive-content", { "spam", "harmful-speech", "violence" } },
	{ "malicious-code", { "infected-system", "c2-server",
	    "malware-distribution", "malware-configuration" } },
	{ "information-gathering", { "scanner", "sniffing",
	    "social-engineering" } },
	{ "intrusion-attempts", { "ids-alert", "brute-force", "exploit" } },
	{ "intrusions", { "privileged-account-compromise",
	    "unprivileged-account-compromise", "application-compromise",
	    "system-compromise", "burglary" } },
	{ "availability", { "dos", "ddos", "misconfiguration", "sabotage",
	    "outage" } },
	{ "information-content-security", {
	    "unauthorised-information-access",
	    "unauthorised-information-modification", "data-loss",
	    "data-leak" } },
	{ "fraud", { "unauthorised-use-of-resources", "copyright",
	    "masquerade", "phishing" } },
	{ "vulnerable", { "weak-crypto", "ddos-amplifier",
	    "potentially-unwanted-accessible", "information-disclosure",
	    "vulnerable-system" } },
	{ "other", { "other", "undetermined" } },
	{ "test", { "test" } },
};
#define NRSIT	(sizeof(rsit) / sizeof(rsit[0]))

int
cybex_incident_classification_check(const char *class, const char *type,
    struct cybex_diag *d)
{
	size_t i, j;

	for (i = 0; class != NULL && i < NRSIT; i++) {
		if (strcmp(class, rsit[i].class) != 0)
			continue;
		for (j = 0; type != NULL && rsit[i].types[j] != NULL; j++)
			if (strcmp(type, rsit[i].types[j]) == 0)
				return 0;
		return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is not an RSIT "
		    "type of class '%s' (%s%s%s%s%s%s%s%s%s)",
		    type != NULL ? type : "", class, rsit[i].types[0],
		    rsit[i].types[1] != NULL ? ", " : "",
		    rsit[i].types[1] != NULL ? rsit[i].types[1] : "",
		    rsit[i].types[2] != NULL ? ", " : "",
		    rsit[i].types[2] != NULL ? rsit[i].types[2] : "",
		    rsit[i].types[3] != NULL ? ", " : "",
		    rsit[i].types[3] != NULL ? rsit[i].types[3] : "",
		    rsit[i].types[4] != NULL ? ", " : "",
		    rsit[i].types[4] != NULL ? rsit[i].types[4] : "");
	}
	return cybex_diag_set(d, CYBEX_EINVAL, "'%s' is not an RSIT class "
	    "(abusive-content, malicious-code, information-gathering, "
	    "intrusion-attempts, intrusions, availability, "
	    "information-content-security, fraud, vulnerable, other, test)",
	    class != NULL ? class : "");
}

#define MIN_US	(60 * INT64_C(1000000))
#define HOUR_US	(60 * MIN_US)

/* severity -> (time to triage, time to contain); docs/incidents.md. */
static const struct cybex_incident_sla sla_table[5] = {
	[1] = { 24 * HOUR_US, 7 * 24 * HOUR_US },	/* low */
	[2] = { 4 * HOUR_US, 72 * HOUR_US },		/* medium */
	[3] = { 1 * HOUR_US, 24 * HOUR_US },		/* high */
	[4] = { 15 * MIN_US, 4 * HOUR_US },		/* critical */
};

int
cybex_incident_sla_default(int severity, struct cybex_incident_sla *out)
{
	if (severity < 1 || severity > 4) {
		memset(out, 0, sizeof(*out));
		return CYBEX_EINVAL;
	}
	*out = sla_table[severity];
	return 0;
}

/*
 * The published extension-definitions.  The Incident Core one is OASIS's
 * object, byte for byte as in cti-stix-common-objects (BSD-3-Clause;
 * tests/data/incident/ has it with its licence); the workflow one is
 * ours, its schema in docs/schemas/.
 */
static const char ext_core[] =
    "{\"id\":\"" CYBEX_INCIDENT_EXT_CORE "\","
    "\"type\":\"extension-definition\","
    "\"spec_version\":\"2.1\","
    "\"name\":\"Incident Core Extension\","
    "\"description\":\"A core extension of the Incident object to allow "
    "core details of the Incident to be shared while tracking major "
    "details tied to the incident's timeline.  Multiple Incidents can be "
    "tied together via relationships if a higher degree of fidelity is "
    "needed across phases.\","
    "\"created\":\"2020-10-19T20:51:00.000Z\","
    "\"modified\":\"2023-07-11T00:56:00.000Z\","
    "\"created_by_ref\":\"identity--8ce3f695-d5a4-4dc8-9e93-a65af453a31a\","
    "\"schema\":\"https://github.com/oasis-open/cti-stix-common-objects/"
    "tree/main/extension-definition-specifications/incident-ef7\","
    "\"version\":\"2.0.0\","
    "\"extension_types\":[\"property-extension\"]}";

static const char ext_workflow[] =
    "{\"type\":\"extension-definition\",\"spec_version\":\"2.1\","
    "\"id\":\"" CYBEX_INCIDENT_EXT_WORKFLOW "\","
    "\"created\":\"2026-12-07T00:00:00.000Z\","
    "\"modified\":\"2026-12-07T00:00:00.000Z\","
    "\"created_by_ref\":\"" CYBEX_INCIDENT_IDENTITY "\","
    "\"name\":\"cybex incident workflow\","
    "\"description\":\"The case-handling state of an incident on a cybex "
    "hub: status (mapped to NIST SP 800-61r3 and ISO/IEC 27035-1 phases), "
    "resolution, severity and priority 1-4, RSIT classification, "
    "assignee, owning organization, TLP, SLA due times, activity times, "
    "tasks and the change that made each version.\","
    "\"schema\":\"cybex docs/schemas/incident-workflow.json (JSON Schema "
    "2020-12) and docs/incidents.md\","
    "\"version\":\"1.0.0\","
    "\"extension_types\":[\"property-extension\"]}";

static const char identity[] =
    "{\"type\":\"identity\",\"spec_version\":\"2.1\","
    "\"id\":\"" CYBEX_INCIDENT_IDENTITY "\","
    "\"created\":\"2026-12-07T00:00:00.000Z\","
    "\"modified\":\"2026-12-07T00:00:00.000Z\","
    "\"name\":\"cybex\",\"identity_class\":\"system\","
    "\"description\":\"The cybex project, publisher of the cybex STIX "
    "extensions.\"}";

const char *
cybex_incident_ext_core_json(void)
{
	return ext_core;
}

const char *
cybex_incident_ext_workflow_json(void)
{
	return ext_workflow;
}

const char *
cybex_incident_identity_json(void)
{
	return identity;
}

int
inc_time_us(const char *s, int64_t *out)
{
	struct cybex_time t;

	*out = 0;
	if (s == NULL)
		return 0;
	if (cybex_time_parse(s, strlen(s), CYBEX_TIME_UTC_Z, &t, NULL) != 0)
		return CYBEX_ESTIX;
	*out = t.sec * 1000000 + t.nsec / 1000;
	return 0;
}

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
jtime(const json_t *o, const char *k)
{
	int64_t v;

	return inc_time_us(jstr(o, k), &v) == 0 ? v : 0;
}

void
cybex_incident_free(struct cybex_incident *inc)
{
	if (inc == NULL)
		return;
	json_decref(inc->json);
	cybex_free(inc->tasks);
	cybex_free(inc);
}

int
inc_read(json_t *obj, struct cybex_incident **out, struct cybex_diag *d)
{
	struct cybex_incident *inc;
	const json_t *wf, *core, *sla, *cls, *tasks, *t;
	size_t i;

	*out = NULL;
	wf = json_object_get(json_object_get(obj, "extensions"),
	    CYBEX_INCIDENT_EXT_WORKFLOW);
	core = json_object_get(json_object_get(obj, "extensions"),
	    CYBEX_INCIDENT_EXT_CORE);
	if (!json_is_object(wf) || !json_is_object(core) ||
	    jstr(obj, "id") == NULL || jstr(obj, "modified") == NULL)
		return cybex_diag_set(d, CYBEX_ESTIX, "incident '%s' has no "
		    "cybex workflow or incident core extension",
		    jstr(obj, "id") != NULL ? jstr(obj, "id") : "?");
	if ((inc = cybex_calloc(1, sizeof(*inc))) == NULL)
		return CYBEX_ENOMEM;
	inc->json = json_incref(obj);
	inc->id = jstr(obj, "id");
	inc->modified = jstr(obj, "modified");
	inc->title = jstr(obj, "name");
	inc->description = jstr(obj, "description");
	inc->status = cybex_incident_status_parse(jstr(wf, "status"));
	inc->resolution = jstr(wf, "resolution") == NULL ? 0 :
	    cybex_incident_resolution_parse(jstr(wf, "resolution"));
	inc->duplicate_of = jstr(wf, "duplicate_of");
	inc->severity = (int)json_integer_value(json_object_get(wf,
	    "severity"));
	inc->priority = (int)json_integer_value(json_object_get(wf,
	    "priority"));
	cls = json_object_get(wf, "classification");
	inc->class = jstr(cls, "class");
	inc->type = jstr(cls, "type");
	inc->assignee = jstr(wf, "assignee");
	inc->org = jstr(wf, "organization");
	inc->tlp = cybex_stix_tlp_of(obj);
	inc->determination = jstr(core, "determination");
	inc->created_us = jtime(obj, "created");
	inc->modified_us = jtime(obj, "modified");
	sla = json_object_get(wf, "sla");
	inc->triage_due_us = jtime(sla, "triage_due");
	inc->contain_due_us = jtime(sla, "contain_due");
	inc->triaged_us = jtime(sla, "triaged");
	inc->contained_us = jtime(sla, "contained");
	inc->first_activity_us = jtime(wf, "first_activity");
	inc->last_activity_us = jtime(wf, "last_activity");
	tasks = json_object_get(wf, "tasks");
	if (json_array_size(tasks) > 0) {
		inc->tasks = cybex_calloc(json_array_size(tasks),
		    sizeof(*inc->tasks));
		if (inc->tasks == NULL) {
			cybex_incident_free(inc);
			return CYBEX_ENOMEM;
		}
		json_array_foreach(tasks, i, t) {
			inc->tasks[i].no = (int)json_integer_value(
			    json_object_get(t, "no"));
			inc->tasks[i].title = jstr(t, "title");
			inc->tasks[i].status = jstr(t, "status");
			inc->tasks[i].assignee = jstr(t, "assignee");
			inc->tasks[i].due_us = jtime(t, "due");
			inc->tasks[i].nlog = json_array_size(json_object_get(t,
			    "log"));
		}
		inc->ntasks = json_array_size(tasks);
	}
	if (inc->status < 0 || inc->resolution < 0 || inc->severity < 1 ||
	    inc->severity > 4 || inc->priority < 1 || inc->priority > 4 ||
	    inc->title == NULL) {
		cybex_diag_set(d, CYBEX_ESTIX, "incident '%s': the workflow "
		    "extension has a bad status, resolution, severity or "
		    "priority", inc->id);
		cybex_incident_free(inc);
		return CYBEX_ESTIX;
	}
	*out = inc;
	return 0;
}
