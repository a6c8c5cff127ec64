/*
 * cybex alerts list [--since TS] [--org O] [--detector D] [--open]
 *     [--limit N] [--json]
 * cybex alerts show ID [--json]
 * cybex alerts close ID
 *
 * The alerts the detectors raised (cybex ingest, POST /api/v1/events),
 * oldest first, each with its classification (RSIT), the parties and the
 * evidence.  --since takes an RFC 3339 time or an age (90s, 30m, 12h, 7d).
 * --json prints one JSON object per alert per line, as the REST API
 * shows them.  Exit: 0, 1 no such alert, 2 usage or database errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cybex/analysis.h"
#include "cybex/core.h"
#include "cybex/store.h"

#include "cli.h"

#define PAGE	1000

void
cmd_alerts_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex alerts list [--since TS] [--org O] [--detector D] "
	    "[--open]\n"
	    "                         [--limit N] [--json]\n"
	    "       cybex alerts show ID [--json]\n"
	    "       cybex alerts close ID\n\n"
	    "Alerts raised by the detectors, oldest first: classification, "
	    "severity, the\norganizations and parties involved, the evidence.  "
	    "An alert is updated, not\nrepeated, while its situation goes on; "
	    "close it to have the next one open anew.\n\n"
	    "  --since TS     alerts seen at or after TS: RFC 3339, or an age "
	    "(90s, 30m,\n"
	    "                 12h, 7d)\n"
	    "  --org O        alerts of organization O and cooperative alerts "
	    "naming it\n"
	    "  --detector D   scan, bruteforce, ddos, beacon, c2, phishing, "
	    "pharming,\n"
	    "                 defacement, spam, coop\n"
	    "  --open         only alerts not closed\n"
	    "  --limit N      at most N alerts\n"
	    "  --json         one JSON object per alert and line\n\n%s",
	    CLI_DB_HELP);
}

/* RFC 3339, or an age before now: "90s", "30m", "12h", "7d". */
static int
parse_since(const char *v, int64_t *out)
{
	struct cybex_time t;
	struct timespec now;
	long long n;
	char *end;
	int64_t unit;

	if (cybex_time_parse(v, strlen(v), 0, &t, NULL) == 0) {
		*out = t.sec * 1000000 + t.nsec / 1000;
		return 0;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || n < 0 || end[0] == '\0' ||
	    end[1] != '\0')
		return -1;
	switch (*end) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	if (n > INT64_MAX / 1000000 / unit)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	*out = ((int64_t)now.tv_sec - n * unit) * 1000000;
	return 0;
}

struct print_ctx {
	bool			 json;
	bool			 detail;	/* show: everything */
	size_t			 shown;
	size_t			 limit;
	struct cybex_buf	 b;
	int			 err;
};

static void
print_text(struct print_ctx *pc, const struct cybex_alert_row *r)
{
	char last[32], first[32];
	size_t i;

	/*
	 * Every field may come from a sensor's log line or a peer: each is
	 * printed through cli_out, one line per call, so none can carry a
	 * terminal escape sequence or a line of its own.
	 */
	cybex_store_format_us(r->last_seen_us, last, sizeof(last));
	if (!pc->detail) {
		cli_out("%s  %.19sZ  sev %d  %-10s  %-8s  %6llu  %s\n", r->id,
		    last, r->severity, r->detector, r->org != NULL ? r->org :
		    "(hub)", (unsigned long long)r->count, r->summary);
		return;
	}
	cybex_store_format_us(r->first_seen_us, first, sizeof(first));
	cli_out("id           %s\n", r->id);
	cli_out("status       %s\n", r->closed_us != 0 ? "closed" : "open");
	cli_out("detector     %s\n", r->detector);
	cli_out("class/type   %s / %s\n", r->taxonomy_class != NULL ?
	    r->taxonomy_class : "-", r->taxonomy_type != NULL ?
	    r->taxonomy_type : "-");
	cli_out("severity     %d\n", r->severity);
	cli_out("summary      %s\n", r->summary);
	cli_out("organization %s\n", r->org != NULL ? r->org :
	    "(the hub: cooperative)");
	if (r->norgs > 0) {
		printf("names        ");
		for (i = 0; i < r->norgs; i++)
			cli_out("%s%s", i > 0 ? ", " : "", r->orgs[i]);
		printf("\n");
	}
	cli_out("sensor       %s\n", r->sensor != NULL ? r->sensor : "-");
	cli_out("seen         %s .. %s, %llu times\n", first, last,
	    (unsigned long long)r->count);
	cli_out("tlp          %s\n", cybex_tlp_name((enum cybex_tlp)r->tlp));
	cli_out("key          %s\n", r->key);
	cli_out("parties      %s\n", r->parties);
	cli_out("evidence     %s\n", r->evidence);
}

static int
print_alert(void *ud, const struct cybex_alert_row *r)
{
	struct print_ctx *pc = ud;

	if (pc->limit > 0 && pc->shown == pc->limit)
		return CYBEX_ROW_STOP;
	pc->shown++;
	if (!pc->json) {
		print_text(pc, r);
		return 0;
	}
	cybex_buf_reset(&pc->b);
	if ((pc->err = cybex_analysis_alert_json(r, &pc->b)) != 0)
		return pc->err;
	printf("%s\n", pc->b.data);
	return 0;
}

static int
alerts_list(struct cybex_store *s, struct cybex_alert_query *q,
    struct print_ctx *pc, struct cybex_diag *d)
{
	struct cybex_page pg;
	char next[64];
	int r;

	for (;;) {
		q->limit = PAGE;
		if ((r = cybex_store_alert_query(s, q, print_alert, pc, &pg,
		    d)) != 0)
			return r;
		if (!pg.more || (pc->limit > 0 && pc->shown == pc->limit))
			return 0;
		snprintf(next, sizeof(next), "%s", pg.next);
		q->next = next;
	}
}

int
cmd_alerts(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "org", required_argument, NULL, 'o' },
		{ "detector", required_argument, NULL, 'D' },
		{ "open", no_argument, NULL, 'O' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_alert_query q;
	struct print_ctx pc;
	struct cybex_store *s;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	const char *verb;
	unsigned long long lim;
	char *end;
	int ch, r, st;

	memset(&q, 0, sizeof(q));
	memset(&pc, 0, sizeof(pc));
	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case 's':
			if (parse_since(optarg, &q.since_us) != 0) {
				cli_err("cybex alerts: --since '%s' is "
				    "neither RFC 3339 nor an age like 30m, 12h, "
				    "7d\n", optarg);
				return EXIT_TROUBLE;
			}
			q.has_since = true;
			break;
		case 'o':
			q.org = optarg;
			break;
		case 'D':
			q.detector = optarg;
			break;
		case 'O':
			q.open_only = true;
			break;
		case 'l':
			errno = 0;
			lim = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || *optarg < '0' ||
			    *optarg > '9' || lim == 0) {
				cli_err("cybex alerts: --limit '%s' is not "
				    "a positive number\n", optarg);
				return EXIT_TROUBLE;
			}
			pc.limit = (size_t)lim;
			break;
		case 'j':
			pc.json = true;
			break;
		case 'h':
			cmd_alerts_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_alerts_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		cmd_alerts_usage(stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[optind];
	if (strcmp(verb, "list") == 0 ? argc - optind != 1 :
	    (strcmp(verb, "show") != 0 && strcmp(verb, "close") != 0) ||
	    argc - optind != 2) {
		cmd_alerts_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("alerts", &o, strcmp(verb, "close") == 0 ?
	    CLI_DB_WRITE : CLI_DB_READ, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	cybex_buf_init(&pc.b, 0);
	cybex_diag_clear(&d);
	st = EXIT_VALID;
	if (strcmp(verb, "close") == 0) {
		if ((r = cybex_store_alert_close(s, argv[optind + 1], &d)) == 0)
			(void)cybex_store_audit(s, "cli", "alert-close",
			    argv[optind + 1], NULL, NULL);
	} else if (strcmp(verb, "show") == 0) {
		memset(&q, 0, sizeof(q));
		q.id = argv[optind + 1];
		pc.detail = true;
		r = alerts_list(s, &q, &pc, &d);
		if (r == 0 && pc.shown == 0) {
			cli_err("cybex alerts show: no alert '%s'\n",
			    argv[optind + 1]);
			st = EXIT_INVALID;
		}
	} else
		r = alerts_list(s, &q, &pc, &d);
	cybex_buf_free(&pc.b);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex alerts %s: %s\n", verb, d.message);
		return r == CYBEX_ENOTFOUND || r == CYBEX_EINVAL ?
		    EXIT_INVALID : EXIT_TROUBLE;
	}
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	return st;
}
