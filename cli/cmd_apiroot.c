/*
 * cybex api-root add|set|list: the TAXII API roots the server offers.
 * "api1" always exists; collections belong to one API root
 * (cybex collection add --api-root NAME).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/store.h"

#include "cli.h"

void
cmd_apiroot_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex api-root add NAME --title T [--description D] "
	    "[--max-content-length N]\n"
	    "       cybex api-root set NAME --title T [--description D] "
	    "[--max-content-length N]\n"
	    "       cybex api-root list\n\n"
	    "NAME is the URL path segment (/NAME/): a-z, 0-9, '_' and '-'.\n\n%s",
	    CLI_DB_HELP);
}

static int
print_root(void *ud, const struct cybex_api_root *r)
{
	(void)ud;
	printf("%-20s %-40s %lld\n", r->name, r->title,
	    (long long)r->max_content_length);
	return 0;
}

int
cmd_apiroot(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "description", required_argument, NULL, 'd' },
		{ "max-content-length", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_api_root ar = { NULL, NULL, NULL, 0 };
	struct cybex_store *s;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	const char *verb;
	long long n;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case 't':
			ar.title = optarg;
			break;
		case 'd':
			ar.description = optarg;
			break;
		case 'm':
			if ((n = cli_parse_size(optarg)) < 0) {
				cli_err("cybex api-root: bad "
				    "--max-content-length '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
			ar.max_content_length = n;
			break;
		case 'h':
			cmd_apiroot_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_apiroot_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		cmd_apiroot_usage(stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[optind];
	if (strcmp(verb, "list") != 0 && argc - optind != 2) {
		cmd_apiroot_usage(stderr);
		return EXIT_TROUBLE;
	}
	s = cli_store_open("api-root", &o, strcmp(verb, "list") == 0 ?
	    CLI_DB_READ : CLI_DB_WRITE, NULL, 0);
	if (s == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	if (strcmp(verb, "list") == 0)
		r = cybex_store_api_root_list(s, print_root, NULL, &d);
	else if (strcmp(verb, "add") == 0 || strcmp(verb, "set") == 0) {
		ar.name = argv[optind + 1];
		r = cybex_store_api_root_put(s, &ar, strcmp(verb, "set") == 0,
		    &d);
	} else {
		cli_err("cybex api-root: unknown verb '%s'\n", verb);
		cybex_store_close(s);
		return EXIT_TROUBLE;
	}
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex api-root %s: %s\n", verb, d.message);
		return d.code == CYBEX_EEXIST || d.code == CYBEX_EINVAL ?
		    EXIT_INVALID : EXIT_TROUBLE;
	}
	return EXIT_VALID;
}
