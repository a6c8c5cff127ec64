/*
 * cybex incident list|show|new|update|assign|note|task|link|merge|split|
 *     close|export: incident management on the hub's database, a thin
 * layer on lib/incident (include/cybex/incident.h; docs/incidents.md).
 * Every change is one transaction with an audit entry; --expect VERSION
 * refuses it when the incident changed since VERSION was read.  --json
 * prints JSON (one object per incident and line for list).  Exit: 0, 1
 * refused (no such incident, bad value, not allowed, stale version, TLP),
 * 2 usage or database errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/incident.h"
#include "cybex/store.h"

#include "cli.h"

#define REFS_MAX	CYBEX_INCIDENT_REFS_MAX

static const struct {
	const char	*verb;
	const char	*args;
	const char	*help;
} verbs[] = {
	{ "list", "[--status S] [--open] [--severity N] [--assignee U] "
	    "[--org O]\n            [--class C] [--text T] [--limit N] "
	    "[--next TOKEN]",
	    "Incidents, newest first, a page at a time (--limit, default 50; "
	    "the next\npage's token is printed on stderr)." },
	{ "show", "ID", "An incident: its state, SLA, tasks, evidence and "
	    "timeline." },
	{ "new", "--title T [--description D] [--severity 1-4] "
	    "[--priority 1-4]\n            [--class C --type T] [--assignee U] "
	    "[--org O] [--tlp L]\n            [--first-activity TS] "
	    "[--last-activity TS]",
	    "Open an incident (status new; severity 2, priority 5 - severity, "
	    "RSIT\nother/undetermined and TLP:AMBER unless given)." },
	{ "update", "ID [--status S] [--title T] [--description D] "
	    "[--severity N]\n            [--priority N] [--class C --type T] "
	    "[--org O] [--tlp L]\n            [--determination D] "
	    "[--first-activity TS --last-activity TS]",
	    "Change an incident; a status change follows the state machine "
	    "(close with\n`close`)." },
	{ "assign", "ID USER|--none", "Assign an incident to a user (or to "
	    "nobody)." },
	{ "note", "ID TEXT", "Add a note (a STIX note by --actor)." },
	{ "task", "ID add TITLE [--assignee U] [--due TS]\n"
	    "       cybex incident task ID update NO [--status S] "
	    "[--assignee U|--none]\n            [--due TS] [--log TEXT]",
	    "Add or change a task (status open, in-progress, done, "
	    "cancelled)." },
	{ "link", "ID REF... | ID --unlink REF", "Link STIX objects "
	    "(sightings, indicators, observables, reports)\nas evidence, or "
	    "unlink one." },
	{ "merge", "INTO FROM", "Merge incident FROM into INTO; FROM is "
	    "closed as its duplicate." },
	{ "split", "ID REF... [--title T]", "Move evidence REF... of ID to a "
	    "new incident." },
	{ "close", "ID --resolution R [--duplicate-of ID]", "Close an "
	    "incident: true-positive, false-positive, benign, duplicate\n"
	    "(with --duplicate-of), other." },
	{ "export", "ID [--max-tlp L] [-o FILE]", "A STIX bundle of the "
	    "incident for an audience cleared up to --max-tlp\n(default "
	    "amber); refused when the incident is marked above it." },
};
#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

#define COMMON_HELP \
	"  --actor NAME         who acts (audit, note and log author; "    \
	"default: cli)\n"                                                  \
	"  --at TS              record the change at RFC 3339 time TS\n"  \
	"  --expect VERSION     refuse the change unless the incident is " \
	"at VERSION\n"                                                     \
	"  --json               JSON output\n"

static void
verb_usage(FILE *f, size_t i)
{
	fprintf(f, "usage: cybex incident %s %s\n\n%s\n\n%s%s", verbs[i].verb,
	    verbs[i].args, verbs[i].help, COMMON_HELP, CLI_DB_HELP);
}

void
cmd_incident_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cybex incident VERB [options] ARGS (VERB --help "
	    "for each)\n\n");
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].verb, verbs[i].help);
	fprintf(f, "\nIncidents are STIX incident objects with the OASIS "
	    "Incident Core and the cybex\nworkflow extensions; every change "
	    "is a new version (docs/incidents.md).\n\n%s%s", COMMON_HELP,
	    CLI_DB_HELP);
}

enum {
	O_ACTOR = 1, O_AT, O_EXPECT, O_JSON, O_HELP, O_TITLE, O_DESC, O_SEV,
	O_PRI, O_CLASS, O_TYPE, O_ASSIGNEE, O_ORG, O_TLP, O_FIRST, O_LAST,
	O_STATUS, O_DETERM, O_NONE, O_DUE, O_LOG, O_UNLINK, O_RES, O_DUP,
	O_MAXTLP, O_OUT, O_OPEN, O_TEXT, O_LIMIT, O_NEXT,
};

struct opts {
	const char	*actor, *expect, *title, *desc, *class, *type;
	const char	*assignee, *org, *status, *determ, *log, *unlink;
	const char	*res, *dup, *out, *text, *next;
	int64_t		 at, first, last, due;
	int		 sev, pri, tlp, max_tlp;
	bool		 json, none, open, has_due, has_desc;
	size_t		 limit;
};

static int
parse_ts(const char *v, int64_t *out)
{
	struct cybex_time t;

	if (cybex_time_parse(v, strlen(v), 0, &t, NULL) != 0)
		return -1;
	*out = t.sec * 1000000 + t.nsec / 1000;
	return 0;
}

static int
parse_int(const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

static int
take(struct opts *o, int ch, const char *arg)
{
	int n;

	switch (ch) {
	case O_ACTOR: o->actor = arg; break;
	case O_EXPECT: o->expect = arg; break;
	case O_JSON: o->json = true; break;
	case O_TITLE: o->title = arg; break;
	case O_DESC: o->desc = arg; o->has_desc = true; break;
	case O_CLASS: o->class = arg; break;
	case O_TYPE: o->type = arg; break;
	case O_ASSIGNEE: o->assignee = arg; break;
	case O_ORG: o->org = arg; break;
	case O_STATUS: o->status = arg; break;
	case O_DETERM: o->determ = arg; break;
	case O_NONE: o->none = true; break;
	case O_LOG: o->log = arg; break;
	case O_UNLINK: o->unlink = arg; break;
	case O_RES: o->res = arg; break;
	case O_DUP: o->dup = arg; break;
	case O_OUT: o->out = arg; break;
	case O_OPEN: o->open = true; break;
	case O_TEXT: o->text = arg; break;
	case O_NEXT: o->next = arg; break;
	case O_AT:
		if (parse_ts(arg, &o->at) != 0)
			goto bad_ts;
		break;
	case O_FIRST:
		if (parse_ts(arg, &o->first) != 0)
			goto bad_ts;
		break;
	case O_LAST:
		if (parse_ts(arg, &o->last) != 0)
			goto bad_ts;
		break;
	case O_DUE:
		if (parse_ts(arg, &o->due) != 0)
			goto bad_ts;
		o->has_due = true;
		break;
	case O_SEV:
	case O_PRI:
		if (parse_int(arg, 1, 4, ch == O_SEV ? &o->sev : &o->pri) !=
		    0) {
			cli_err("cybex incident: '%s' is not 1 to 4\n", arg);
			return -1;
		}
		break;
	case O_LIMIT:
		if (parse_int(arg, 1, CYBEX_QUERY_LIMIT_MAX, &n) != 0) {
			cli_err("cybex incident: --limit '%s' is not 1 to "
			    "%d\n", arg, CYBEX_QUERY_LIMIT_MAX);
			return -1;
		}
		o->limit = (size_t)n;
		break;
	case O_TLP:
	case O_MAXTLP:
		if ((n = cybex_tlp_parse(arg)) <= 0) {
			cli_err("cybex incident: TLP '%s' is not clear, green, "
			    "amber, amber+strict or red\n", arg);
			return -1;
		}
		if (ch == O_TLP)
			o->tlp = n;
		else
			o->max_tlp = n;
		break;
	default:
		return -1;
	}
	return 0;
 bad_ts:
	cli_err("cybex incident: '%s' is not an RFC 3339 time\n", arg);
	return -1;
}

static void
fmt_time(int64_t us, char *out, size_t n)
{
	if (us == 0)
		snprintf(out, n, "-");
	else
		cybex_store_format_us(us, out, n);
}

/* Print a JSON value on one line (or pretty) to stdout. */
static int
put_json(json_t *v, bool pretty)
{
	struct cybex_buf b;
	int r;

	cybex_buf_init(&b, 0);
	if ((r = cybex_json_write(v, pretty ? CYBEX_JSON_PRETTY : 0,
	    &b)) == 0) {
		fwrite(b.data, 1, b.len, stdout);
		putchar('\n');
	}
	cybex_buf_free(&b);
	return r;
}

/* What a change prints: the incident's id and new version. */
static int
print_changed(struct cybex_store *s, const struct opts *o, const char *id,
    const char *what, const char *value, struct cybex_diag *d)
{
	struct cybex_incident *inc = NULL;
	json_t *j;
	int r;

	if ((r = cybex_incident_get(s, id, &inc, d)) != 0)
		return r;
	if (o->json) {
		j = json_pack("{s:s, s:s, s:s}", "id", inc->id, "version",
		    inc->modified, "status",
		    cybex_incident_status_name(inc->status));
		if (j != NULL && what != NULL)
			json_object_set_new(j, what, json_string(value));
		r = j != NULL ? put_json(j, false) : CYBEX_ENOMEM;
		json_decref(j);
	} else {
		cli_out("%s version %s status %s\n", inc->id, inc->modified,
		    cybex_incident_status_name(inc->status));
		if (what != NULL)
			cli_out("%s %s\n", what, value);
	}
	cybex_incident_free(inc);
	return r;
}

struct list_ctx {
	const struct opts	*o;
	size_t			 n;
};

static int
list_cb(void *ud, const struct cybex_incident_row *r)
{
	struct list_ctx *lc = ud;
	char c[32], u[32];
	json_t *j;
	int e;

	lc->n++;
	fmt_time(r->created_us, c, sizeof(c));
	fmt_time(r->updated_us, u, sizeof(u));
	if (!lc->o->json) {
		cli_out("%s  %-11s S%d P%d  %-12s %s\n", r->id, r->status,
		    r->severity, r->priority, r->assignee != NULL ?
		    r->assignee : "-", r->title);
		return 0;
	}
	j = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s?, s:s?, s:s?, s:s?, "
	    "s:s, s:s, s:s, s:s}", "id", r->id, "version", r->modified,
	    "status", r->status, "severity", r->severity, "priority",
	    r->priority, "assignee", r->assignee, "organization", r->org,
	    "class", r->class, "type", r->type, "tlp", cybex_tlp_name(r->tlp),
	    "title", r->title, "created", c, "modified", u);
	e = j != NULL ? put_json(j, false) : CYBEX_ENOMEM;
	json_decref(j);
	return e;
}

static int
do_list(struct cybex_store *s, const struct opts *o, struct cybex_diag *d)
{
	struct cybex_incident_filter f;
	struct cybex_page page;
	struct list_ctx lc = { o, 0 };
	int r;

	memset(&f, 0, sizeof(f));
	if (o->status != NULL && cybex_incident_status_parse(o->status) < 0)
		return cybex_diag_set(d, CYBEX_EINVAL, "unknown status '%s'",
		    o->status);
	f.status = o->status;
	f.open_only = o->open;
	f.severity = o->sev;
	f.assignee = o->assignee;
	f.org = o->org;
	f.class = o->class;
	f.text = o->text;
	f.limit = o->limit != 0 ? o->limit : 50;
	f.next = o->next;
	if ((r = cybex_store_incident_list(s, &f, list_cb, &lc, &page,
	    d)) != 0)
		return r;
	if (page.more)
		cli_err("cybex incident list: more: --next %s\n", page.next);
	return 0;
}

struct show_ctx {
	bool		 json;
	json_t		*arr;
	int		 r;
};

static int
link_show_cb(void *ud, const struct cybex_incident_link *l)
{
	struct show_ctx *sc = ud;
	char t[32];

	if (l->kind != CYBEX_INCIDENT_LINK_EVIDENCE &&
	    l->kind != CYBEX_INCIDENT_LINK_RELATED)
		return 0;
	fmt_time(l->added_us, t, sizeof(t));
	if (sc->json)
		json_array_append_new(sc->arr, json_pack("{s:s, s:s, s:s?, "
		    "s:s}", "ref", l->ref, "kind", l->kind ==
		    CYBEX_INCIDENT_LINK_EVIDENCE ? "evidence" : "related",
		    "relationship", l->rel, "added", t));
	else
		cli_out("  %s %s%s\n", t, l->ref, l->kind ==
		    CYBEX_INCIDENT_LINK_RELATED ? " (incident)" : "");
	return 0;
}

static int
event_cb(void *ud, const struct cybex_incident_event *e)
{
	struct show_ctx *sc = ud;
	char t[32];

	fmt_time(e->time_us, t, sizeof(t));
	if (sc->json)
		json_array_append_new(sc->arr, json_pack("{s:s, s:s, s:s?, "
		    "s:s?, s:s?}", "time", t, "action", e->action, "actor",
		    e->actor, "summary", e->summary, "text", e->text));
	else
		cli_out("  %s %s %s: %s%s%s\n", t, e->actor != NULL ? e->actor :
		    "-", e->action, e->summary != NULL ? e->summary : "",
		    e->text != NULL ? " -- " : "", e->text != NULL ? e->text :
		    "");
	return 0;
}

static int
do_show(struct cybex_store *s, const struct opts *o, const char *id,
    struct cybex_diag *d)
{
	struct cybex_incident *inc = NULL;
	struct show_ctx ev = { o->json, NULL, 0 }, tl = { o->json, NULL, 0 };
	json_t *j = NULL;
	char a[32], b[32], c[32];
	size_t i;
	int r;

	if ((r = cybex_incident_get(s, id, &inc, d)) != 0)
		return r;
	if (o->json) {
		ev.arr = json_array();
		tl.arr = json_array();
		if ((r = cybex_store_incident_links(s, id, 0, link_show_cb, &ev,
		    d)) != 0 || (r = cybex_incident_timeline(s, id, event_cb,
		    &tl, d)) != 0)
			goto out;
		j = json_pack("{s:O, s:s, s:s, s:o, s:o}", "incident",
		    inc->json, "phase_nist",
		    cybex_incident_phase_nist(inc->status), "phase_iso",
		    cybex_incident_phase_iso(inc->status), "evidence", ev.arr,
		    "timeline", tl.arr);
		ev.arr = tl.arr = NULL;
		r = j != NULL ? put_json(j, true) : CYBEX_ENOMEM;
		goto out;
	}
	cli_out("%s  version %s\n", inc->id, inc->modified);
	cli_out("title: %s\n", inc->title);
	if (inc->description != NULL)
		cli_out("description: %s\n", inc->description);
	cli_out("status: %s%s%s%s%s%s\n",
	    cybex_incident_status_name(inc->status),
	    inc->resolution != 0 ? " (" : "", inc->resolution != 0 ?
	    cybex_incident_resolution_name(inc->resolution) : "",
	    inc->duplicate_of != NULL ? " of " : "", inc->duplicate_of != NULL ?
	    inc->duplicate_of : "", inc->resolution != 0 ? ")" : "");
	cli_out("phase: NIST SP 800-61r3 %s; ISO/IEC 27035 %s\n",
	    cybex_incident_phase_nist(inc->status),
	    cybex_incident_phase_iso(inc->status));
	cli_out("severity %d  priority P%d  classification %s/%s  "
	    "determination %s\n", inc->severity, inc->priority, inc->class,
	    inc->type, inc->determination);
	cli_out("assignee %s  organization %s  %s\n", inc->assignee != NULL ?
	    inc->assignee : "-", inc->org != NULL ? inc->org : "-",
	    cybex_tlp_name(inc->tlp));
	fmt_time(inc->triage_due_us, a, sizeof(a));
	fmt_time(inc->triaged_us, b, sizeof(b));
	cli_out("sla: triage due %s (triaged %s)\n", a, b);
	fmt_time(inc->contain_due_us, a, sizeof(a));
	fmt_time(inc->contained_us, b, sizeof(b));
	cli_out("sla: contain due %s (contained %s)\n", a, b);
	fmt_time(inc->first_activity_us, a, sizeof(a));
	fmt_time(inc->last_activity_us, b, sizeof(b));
	cli_out("activity: %s .. %s\n", a, b);
	cli_out("tasks:\n");
	for (i = 0; i < inc->ntasks; i++) {
		fmt_time(inc->tasks[i].due_us, c, sizeof(c));
		cli_out("  %d [%s] %s (assignee %s, due %s, %zu log)\n",
		    inc->tasks[i].no, inc->tasks[i].status, inc->tasks[i].title,
		    inc->tasks[i].assignee != NULL ? inc->tasks[i].assignee :
		    "-", c, inc->tasks[i].nlog);
	}
	cli_out("evidence:\n");
	if ((r = cybex_store_incident_links(s, id, 0, link_show_cb, &ev,
	    d)) != 0)
		goto out;
	cli_out("timeline:\n");
	r = cybex_incident_timeline(s, id, event_cb, &tl, d);
 out:
	json_decref(ev.arr);
	json_decref(tl.arr);
	json_decref(j);
	cybex_incident_free(inc);
	return r;
}

static int
do_export(struct cybex_store *s, const struct opts *o, const char *id,
    struct cybex_diag *d)
{
	struct cybex_buf b;
	size_t withheld = 0;
	int fd = 1, r;

	cybex_buf_init(&b, 0);
	if ((r = cybex_incident_export(s, id, o->max_tlp != 0 ? o->max_tlp :
	    CYBEX_TLP_AMBER, &b, &withheld, d)) != 0)
		goto out;
	if (o->out != NULL && (fd = open(o->out, O_WRONLY | O_CREAT |
	    O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		r = cybex_diag_set(d, CYBEX_EIO, "cannot write '%s': %s",
		    o->out, strerror(errno));
		goto out;
	}
	if (write(fd, b.data, b.len) != (ssize_t)b.len)
		r = cybex_diag_set(d, CYBEX_EIO, "writing the bundle failed");
	if (fd != 1)
		close(fd);
	if (r == 0 && withheld > 0)
		cli_err("cybex incident export: %zu linked object(s) withheld: "
		    "marked above the audience's TLP\n", withheld);
 out:
	cybex_buf_free(&b);
	return r;
}

static int
do_change(struct cybex_store *s, const struct opts *o, const char *verb,
    int nargs, char **args, struct cybex_diag *d)
{
	struct cybex_incident_ctx c = { s, o->actor, o->at };
	struct cybex_incident_change ch;
	struct cybex_incident_task_change tc;
	struct cybex_incident_spec sp;
	char id[CYBEX_INCIDENT_ID_MAX], num[16];
	int r, no;

	memset(&ch, 0, sizeof(ch));
	if (strcmp(verb, "new") == 0) {
		memset(&sp, 0, sizeof(sp));
		sp.title = o->title;
		sp.description = o->desc;
		sp.severity = o->sev;
		sp.priority = o->pri;
		sp.class = o->class;
		sp.type = o->type;
		sp.assignee = o->assignee;
		sp.org = o->org;
		sp.tlp = o->tlp;
		sp.first_activity_us = o->first;
		sp.last_activity_us = o->last;
		if ((r = cybex_incident_new(&c, &sp, id, d)) != 0)
			return r;
		return print_changed(s, o, id, NULL, NULL, d);
	}
	if (strcmp(verb, "update") == 0) {
		if (o->title != NULL)
			ch.set |= CYBEX_INCIDENT_SET_TITLE;
		ch.title = o->title;
		if (o->has_desc)
			ch.set |= CYBEX_INCIDENT_SET_DESCRIPTION;
		ch.description = o->desc;
		if (o->status != NULL) {
			ch.set |= CYBEX_INCIDENT_SET_STATUS;
			if ((ch.status = cybex_incident_status_parse(
			    o->status)) < 0)
				return cybex_diag_set(d, CYBEX_EINVAL, "unknown "
				    "status '%s' (new, triage, in-progress, "
				    "contained, eradicated, recovered, closed)",
				    o->status);
			if (ch.status == CYBEX_INCIDENT_CLOSED)
				return cybex_diag_set(d, CYBEX_EINVAL, "close "
				    "with `cybex incident close ID "
				    "--resolution R`");
		}
		if (o->sev != 0)
			ch.set |= CYBEX_INCIDENT_SET_SEVERITY;
		ch.severity = o->sev;
		if (o->pri != 0)
			ch.set |= CYBEX_INCIDENT_SET_PRIORITY;
		ch.priority = o->pri;
		if (o->class != NULL || o->type != NULL)
			ch.set |= CYBEX_INCIDENT_SET_CLASS;
		ch.class = o->class;
		ch.type = o->type;
		if (o->org != NULL)
			ch.set |= CYBEX_INCIDENT_SET_ORG;
		ch.org = o->org;
		if (o->tlp != 0)
			ch.set |= CYBEX_INCIDENT_SET_TLP;
		ch.tlp = o->tlp;
		if (o->determ != NULL)
			ch.set |= CYBEX_INCIDENT_SET_DETERMINATION;
		ch.determination = o->determ;
		if (o->first != 0 || o->last != 0)
			ch.set |= CYBEX_INCIDENT_SET_ACTIVITY;
		ch.first_activity_us = o->first;
		ch.last_activity_us = o->last;
	} else if (strcmp(verb, "assign") == 0) {
		if ((nargs == 2) == o->none)
			return cybex_diag_set(d, CYBEX_EINVAL, "assign takes "
			    "a USER or --none");
		ch.set = CYBEX_INCIDENT_SET_ASSIGNEE;
		ch.assignee = o->none ? NULL : args[1];
	} else if (strcmp(verb, "close") == 0) {
		ch.set = CYBEX_INCIDENT_SET_STATUS;
		ch.status = CYBEX_INCIDENT_CLOSED;
		if (o->res == NULL || (ch.resolution =
		    cybex_incident_resolution_parse(o->res)) < 0)
			return cybex_diag_set(d, CYBEX_EINVAL, "close needs "
			    "--resolution true-positive, false-positive, "
			    "benign, duplicate or other");
		ch.duplicate_of = o->dup;
	} else if (strcmp(verb, "note") == 0) {
		if ((r = cybex_incident_note(&c, args[0], o->expect, args[1],
		    id, d)) != 0)
			return r;
		return print_changed(s, o, args[0], "note", id, d);
	} else if (strcmp(verb, "task") == 0) {
		if (strcmp(args[1], "add") == 0) {
			if ((r = cybex_incident_task_add(&c, args[0],
			    o->expect, args[2], o->assignee, o->due, &no,
			    d)) != 0)
				return r;
		} else {
			if (parse_int(args[2], 1, CYBEX_INCIDENT_TASKS_MAX * 64,
			    &no) != 0)
				return cybex_diag_set(d, CYBEX_EINVAL, "'%s' "
				    "is not a task number", args[2]);
			memset(&tc, 0, sizeof(tc));
			tc.status = o->status;
			tc.set_assignee = o->assignee != NULL || o->none;
			tc.assignee = o->assignee;
			tc.set_due = o->has_due;
			tc.due_us = o->due;
			tc.log = o->log;
			if ((r = cybex_incident_task_update(&c, args[0],
			    o->expect, no, &tc, d)) != 0)
				return r;
		}
		snprintf(num, sizeof(num), "%d", no);
		return print_changed(s, o, args[0], "task", num, d);
	} else if (strcmp(verb, "link") == 0) {
		if (o->unlink != NULL)
			r = cybex_incident_unlink(&c, args[0], o->expect,
			    o->unlink, d);
		else
			r = cybex_incident_link(&c, args[0], o->expect,
			    (const char *const *)args + 1, (size_t)nargs - 1,
			    d);
		if (r != 0)
			return r;
		return print_changed(s, o, args[0], NULL, NULL, d);
	} else if (strcmp(verb, "merge") == 0) {
		if ((r = cybex_incident_merge(&c, args[0], args[1], d)) != 0)
			return r;
		return print_changed(s, o, args[0], "merged", args[1], d);
	} else if (strcmp(verb, "split") == 0) {
		if ((r = cybex_incident_split(&c, args[0],
		    (const char *const *)args + 1, (size_t)nargs - 1, o->title,
		    id, d)) != 0)
			return r;
		return print_changed(s, o, args[0], "new", id, d);
	}
	if ((r = cybex_incident_update(&c, args[0], o->expect, &ch, NULL,
	    d)) != 0)
		return r;
	return print_changed(s, o, args[0], NULL, NULL, d);
}

/* How many arguments each verb takes (min, max; -1 = any). */
static bool
nargs_ok(const char *verb, int n, const struct opts *o)
{
	if (strcmp(verb, "list") == 0)
		return n == 0;
	if (strcmp(verb, "new") == 0)
		return n == 0;
	if (strcmp(verb, "show") == 0 || strcmp(verb, "update") == 0 ||
	    strcmp(verb, "close") == 0 || strcmp(verb, "export") == 0)
		return n == 1;
	if (strcmp(verb, "assign") == 0)
		return n == 1 || n == 2;
	if (strcmp(verb, "note") == 0 || strcmp(verb, "merge") == 0)
		return n == 2;
	if (strcmp(verb, "task") == 0)
		return n == 3;
	if (strcmp(verb, "link") == 0)
		return o->unlink != NULL ? n == 1 : n >= 2 && n <= REFS_MAX;
	if (strcmp(verb, "split") == 0)
		return n >= 2 && n <= REFS_MAX;
	return false;
}

int
cmd_incident(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "actor", required_argument, NULL, O_ACTOR },
		{ "at", required_argument, NULL, O_AT },
		{ "expect", required_argument, NULL, O_EXPECT },
		{ "json", no_argument, NULL, O_JSON },
		{ "help", no_argument, NULL, O_HELP },
		{ "title", required_argument, NULL, O_TITLE },
		{ "description", required_argument, NULL, O_DESC },
		{ "severity", required_argument, NULL, O_SEV },
		{ "priority", required_argument, NULL, O_PRI },
		{ "class", required_argument, NULL, O_CLASS },
		{ "type", required_argument, NULL, O_TYPE },
		{ "assignee", required_argument, NULL, O_ASSIGNEE },
		{ "org", required_argument, NULL, O_ORG },
		{ "tlp", required_argument, NULL, O_TLP },
		{ "first-activity", required_argument, NULL, O_FIRST },
		{ "last-activity", required_argument, NULL, O_LAST },
		{ "status", required_argument, NULL, O_STATUS },
		{ "determination", required_argument, NULL, O_DETERM },
		{ "none", no_argument, NULL, O_NONE },
		{ "due", required_argument, NULL, O_DUE },
		{ "log", required_argument, NULL, O_LOG },
		{ "unlink", required_argument, NULL, O_UNLINK },
		{ "resolution", required_argument, NULL, O_RES },
		{ "duplicate-of", required_argument, NULL, O_DUP },
		{ "max-tlp", required_argument, NULL, O_MAXTLP },
		{ "output", required_argument, NULL, O_OUT },
		{ "open", no_argument, NULL, O_OPEN },
		{ "text", required_argument, NULL, O_TEXT },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "next", required_argument, NULL, O_NEXT },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli_db db = { NULL, NULL };
	struct cybex_store *s;
	struct cybex_diag d;
	struct opts o;
	const char *verb;
	size_t vi;
	int ch, r;
	bool writes;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cmd_incident_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	verb = argv[1];
	for (vi = 0; vi < NVERBS && strcmp(verbs[vi].verb, verb) != 0; vi++)
		;
	if (vi == NVERBS) {
		cli_err("cybex incident: unknown verb '%s'\n", verb);
		cmd_incident_usage(stderr);
		return EXIT_TROUBLE;
	}
	memset(&o, 0, sizeof(o));
	o.actor = "cli";
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "ho:", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		if (ch == 'h' || ch == O_HELP) {
			verb_usage(stdout, vi);
			return EXIT_VALID;
		}
		if (ch == 'o')
			ch = O_OUT;
		if (ch == '?' || take(&o, ch, optarg) != 0) {
			verb_usage(stderr, vi);
			return EXIT_TROUBLE;
		}
	}
	if (!nargs_ok(verb, argc - optind, &o) || (strcmp(verb, "task") == 0 &&
	    strcmp(argv[optind + 1], "add") != 0 &&
	    strcmp(argv[optind + 1], "update") != 0)) {
		verb_usage(stderr, vi);
		return EXIT_TROUBLE;
	}
	writes = strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0 &&
	    strcmp(verb, "export") != 0;
	if ((s = cli_store_open("incident", &db, writes ? CLI_DB_WRITE :
	    CLI_DB_READ, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	if (strcmp(verb, "list") == 0)
		r = do_list(s, &o, &d);
	else if (strcmp(verb, "show") == 0)
		r = do_show(s, &o, argv[optind], &d);
	else if (strcmp(verb, "export") == 0)
		r = do_export(s, &o, argv[optind], &d);
	else
		r = do_change(s, &o, verb, argc - optind, argv + optind, &d);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex incident %s: %s\n", verb, d.message);
		return r == CYBEX_ENOTFOUND || r == CYBEX_EINVAL ||
		    r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY ||
		    r == CYBEX_EEXIST || r == CYBEX_ETOOBIG ? EXIT_INVALID :
		    EXIT_TROUBLE;
	}
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	return EXIT_VALID;
}
