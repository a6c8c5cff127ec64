/*
 * cybex org add|remove|list|member|leave: the hub's member organizations
 * (constituents, ISAC members) and which organization each user acts
 * for.  A user is in at most one; --ingest lets them send events
 * (POST /api/v1/events) for it, --role sets what they may do with its
 * incidents and alerts (read-only, analyst, lead; default analyst).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cybex/store.h"

#include "cli.h"

void
cmd_org_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex org add ORG\n"
	    "       cybex org remove ORG [--purge]\n"
	    "       cybex org list [--json]\n"
	    "       cybex org member ORG USER [--ingest] [--role ROLE]\n"
	    "       cybex org leave USER\n\n"
	    "Member organizations of the hub.  A user belongs to at most one "
	    "organization\n(member moves them); --ingest lets the user send "
	    "events for it.  Removing\nan organization keeps its users; while "
	    "it has alerts or sighting state it is\nrefused unless --purge, "
	    "which deletes them with it (a new organization of\nthe same name "
	    "must not inherit them).\n\n"
	    "  --json      list as JSON lines\n"
	    "  --purge     remove the organization with its alerts, the "
	    "alerts' mentions of\n              it, its sighting state and "
	    "cooperative notes\n"
	    "  --ingest    the member may send events (POST /api/v1/events)\n"
	    "  --role R    read-only, analyst (the default) or lead: what the "
	    "member may do\n              with the organization's incidents "
	    "and alerts (docs/incidents.md)\n\n"
	    "%s", CLI_DB_HELP);
}

struct list_ctx {
	bool			 json;
	struct cybex_buf	 b;
};

static int
print_org(void *ud, const struct cybex_org *o)
{
	struct list_ctx *lc = ud;
	char ts[40];

	cybex_store_format_us(o->created_us, ts, sizeof(ts));
	if (!lc->json) {
		cli_out("%-24s %6llu member%s  created %s\n", o->name,
		    (unsigned long long)o->members, o->members == 1 ? " " : "s",
		    ts);
		return 0;
	}
	cybex_buf_reset(&lc->b);
	cybex_buf_puts(&lc->b, "{\"name\":");
	cli_json_str(&lc->b, o->name);
	cybex_buf_printf(&lc->b, ",\"members\":%llu,\"created\":\"%s\"}",
	    (unsigned long long)o->members, ts);
	printf("%s\n", lc->b.data != NULL ? lc->b.data : "{}");
	return 0;
}

int
cmd_org(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ingest", no_argument, NULL, 'i' },
		{ "purge", no_argument, NULL, 'p' },
		{ "role", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct list_ctx lc = { false, { NULL, 0, 0, 0, 0 } };
	struct cybex_store *s;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	const char *verb, *action = NULL;
	bool ingest = false, purge = false, role_set = false;
	int ch, n, r = 0, want, role = CYBEX_ORG_ROLE_ANALYST;
	char what[160];

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		if (ch == 'j')
			lc.json = true;
		else if (ch == 'i')
			ingest = true;
		else if (ch == 'p')
			purge = true;
		else if (ch == 'r') {
			if ((role = cybex_store_org_role_parse(optarg)) < 0) {
				cli_err("cybex org member: --role is read-only, "
				    "analyst or lead, not '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
			role_set = true;
		}
		else if (ch == 'h') {
			cmd_org_usage(stdout);
			return EXIT_VALID;
		} else {
			cmd_org_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		cmd_org_usage(stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[optind];
	n = argc - optind;
	want = strcmp(verb, "list") == 0 ? 1 : strcmp(verb, "member") == 0 ?
	    3 : strcmp(verb, "add") == 0 || strcmp(verb, "remove") == 0 ||
	    strcmp(verb, "leave") == 0 ? 2 : -1;
	if (want < 0 || n != want || ((ingest || role_set) &&
	    strcmp(verb, "member") != 0) ||
	    (purge && strcmp(verb, "remove") != 0)) {
		cmd_org_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("org", &o, strcmp(verb, "list") == 0 ?
	    CLI_DB_READ : CLI_DB_WRITE, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	cybex_buf_init(&lc.b, 1u << 16);
	if (strcmp(verb, "list") == 0)
		r = cybex_store_org_list(s, print_org, &lc, &d);
	else if (strcmp(verb, "add") == 0) {
		r = cybex_store_org_add(s, argv[optind + 1], &d);
		action = "org-add";
	} else if (strcmp(verb, "remove") == 0) {
		r = cybex_store_org_remove(s, argv[optind + 1], purge ?
		    CYBEX_ORG_PURGE : 0, &d);
		action = purge ? "org-remove-purge" : "org-remove";
	} else if (strcmp(verb, "member") == 0) {
		r = cybex_store_org_member(s, argv[optind + 1],
		    argv[optind + 2], (ingest ? CYBEX_ORG_INGEST : 0) |
		    (unsigned)role, &d);
		action = ingest ? "org-member-ingest" : "org-member";
	} else {
		r = cybex_store_org_member(s, NULL, argv[optind + 1], 0, &d);
		action = "org-leave";
	}
	if (r == 0 && action != NULL) {
		snprintf(what, sizeof(what), "%s role=%s", want == 3 ?
		    argv[optind + 2] : "", cybex_store_org_role_name(
		    (unsigned)role));
		(void)cybex_store_audit(s, "cli", action, argv[optind + 1],
		    want == 3 ? what : NULL, NULL);
	}
	cybex_buf_free(&lc.b);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex org %s: %s\n", verb, d.message);
		if (d.code == CYBEX_ECONFLICT)
			cli_err("cybex org remove: --purge removes it "
			    "with them\n");
		return d.code == CYBEX_EEXIST || d.code == CYBEX_ENOTFOUND ||
		    d.code == CYBEX_EINVAL || d.code == CYBEX_ECONFLICT ?
		    EXIT_INVALID : EXIT_TROUBLE;
	}
	return fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
}
