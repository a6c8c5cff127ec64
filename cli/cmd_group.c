/*
 * cybex group add|remove|join|leave: groups of users, to grant collection
 * access to many at once (cybex collection grant ... --group G).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cybex/store.h"

#include "cli.h"

void
cmd_group_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex group add GROUP\n"
	    "       cybex group remove GROUP\n"
	    "       cybex group join GROUP USER\n"
	    "       cybex group leave GROUP USER\n\n"
	    "A user may read or write whatever any of their groups may.\n\n%s",
	    CLI_DB_HELP);
}

int
cmd_group(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	const char *verb;
	int ch, r, want;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		if (ch == 'h') {
			cmd_group_usage(stdout);
			return EXIT_VALID;
		}
		cmd_group_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (optind >= argc) {
		cmd_group_usage(stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[optind];
	want = strcmp(verb, "join") == 0 || strcmp(verb, "leave") == 0 ? 3 : 2;
	if (argc - optind != want || (want == 2 && strcmp(verb, "add") != 0 &&
	    strcmp(verb, "remove") != 0)) {
		cmd_group_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("group", &o, CLI_DB_WRITE, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	if (strcmp(verb, "add") == 0)
		r = cybex_store_group_add(s, argv[optind + 1], &d);
	else if (strcmp(verb, "remove") == 0)
		r = cybex_store_group_remove(s, argv[optind + 1], &d);
	else
		r = cybex_store_group_member(s, argv[optind + 1],
		    argv[optind + 2], strcmp(verb, "join") == 0, &d);
	if (r == 0)
		(void)cybex_store_audit(s, "cli", strcmp(verb, "add") == 0 ?
		    "group-add" : strcmp(verb, "remove") == 0 ? "group-remove" :
		    strcmp(verb, "join") == 0 ? "group-join" : "group-leave",
		    argv[optind + 1], want == 3 ? argv[optind + 2] : NULL, NULL);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex group %s: %s\n", verb, d.message);
		return d.code == CYBEX_EEXIST || d.code == CYBEX_ENOTFOUND ||
		    d.code == CYBEX_EINVAL ? EXIT_INVALID : EXIT_TROUBLE;
	}
	return EXIT_VALID;
}
