/*
 * cybex collection add [--id UUID] [--alias A] [--api-root R] --title T
 *     [--description D]
 * cybex collection list [--json]
 * cybex collection set ID|ALIAS --max-tlp LEVEL
 * cybex collection remove ID|ALIAS
 * cybex collection grant ID|ALIAS (--user U | --group G) [--read] [--write]
 * cybex collection revoke ID|ALIAS (--user U | --group G)
 *
 * Collections are what TAXII serves; every stored version is in at least
 * one.  Removing a collection deletes the versions that are then in no
 * collection.  Exit: 0 done, 2 usage, database errors, an id or alias
 * that is taken (add) or unknown (remove).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "cli.h"

void
cmd_collection_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex collection add [--id UUID] [--alias A] [--api-root R] "
	    "--title T\n"
	    "                            [--description D] [--max-tlp LEVEL] "
	    "[--json]\n"
	    "       cybex collection list [--json]\n"
	    "       cybex collection set ID|ALIAS --max-tlp LEVEL\n"
	    "       cybex collection remove ID|ALIAS\n"
	    "       cybex collection grant ID|ALIAS (--user U | --group G) "
	    "[--read] [--write]\n"
	    "       cybex collection revoke ID|ALIAS (--user U | --group G)\n"
	    "  (each also takes --db PATH and --data-dir DIR)\n\n"
	    "add     create a collection (a new UUIDv4 id unless --id is "
	    "given) and print\n"
	    "        its id\n"
	    "list    every collection with its object count, oldest first\n"
	    "set     change a collection's TLP ceiling; after lowering it, "
	    "objects stored\n"
	    "        above the new ceiling stay stored but are no longer "
	    "served (TAXII,\n"
	    "        export), until it is raised again\n"
	    "remove  delete a collection; versions in no other collection "
	    "are deleted\n"
	    "        too (the 'default' collection cannot be removed)\n"
	    "grant   let a user or group read and/or write the collection "
	    "(replaces what\n"
	    "        was granted before; administrators need no grant)\n"
	    "revoke  take every right on the collection from a user or group\n"
	    "\n  --api-root R         the TAXII API root it belongs to "
	    "(default api1)\n"
	    "  --max-tlp LEVEL      the most restrictive TLP it may hold and "
	    "serve: clear,\n"
	    "                       green, amber, amber+strict (default) or "
	    "red; objects\n"
	    "                       marked above it are refused\n"
	    "  --json               machine-readable output on stdout\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 done, 2 usage or database error, an id or alias "
	    "that is taken\n(add) or unknown (remove).\n");
}

static int
print_json(json_t *v)
{
	struct cybex_buf b;
	int rc;

	if (v == NULL)
		return CYBEX_ENOMEM;
	cybex_buf_init(&b, 0);
	if ((rc = cybex_json_write(v, 0, &b)) == 0) {
		fwrite(b.data, 1, b.len, stdout);
		putchar('\n');
	}
	cybex_buf_free(&b);
	return rc;
}

static json_t *
coll_json(const struct cybex_collection *c)
{
	char created[32];

	cybex_store_format_us(c->created_us, created, sizeof(created));
	return json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s, s:I, s:s, s:s}",
	    "id", c->id, "alias", c->alias, "title", c->title, "description",
	    c->description, "media_types", c->media_types != NULL ?
	    c->media_types : CYBEX_MEDIA_STIX21, "created", created, "objects",
	    (json_int_t)c->nobjects, "max_tlp",
	    cybex_tlp_name((enum cybex_tlp)c->max_tlp), "api_root",
	    c->api_root != NULL ? c->api_root : CYBEX_DEFAULT_API_ROOT);
}

static int
coll_add(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "alias", required_argument, NULL, 'a' },
		{ "title", required_argument, NULL, 't' },
		{ "description", required_argument, NULL, 'd' },
		{ "api-root", required_argument, NULL, 'r' },
		{ "max-tlp", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_collection c;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	json_t *out = NULL;
	bool json = false;
	int ch, rc, status = EXIT_TROUBLE;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "i:a:t:d:jh", lopts, NULL)) !=
	    -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'i':
			if (strlen(optarg) != CYBEX_UUID_STRLEN) {
				cli_err("cybex collection add: --id '%s' is "
				    "not a UUID\n", optarg);
				return EXIT_TROUBLE;
			}
			memcpy(c.id, optarg, CYBEX_UUID_STRLEN + 1);
			break;
		case 'a':
			c.alias = optarg;
			break;
		case 't':
			c.title = optarg;
			break;
		case 'd':
			c.description = optarg;
			break;
		case 'r':
			c.api_root = optarg;
			break;
		case 'T':
			if ((c.max_tlp = cybex_tlp_parse(optarg)) <= 0) {
				cli_err("cybex collection add: --max-tlp '%s' "
				    "is not clear, green, amber, amber+strict "
				    "or red\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_collection_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_collection_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind < argc || c.title == NULL) {
		fprintf(stderr, "cybex collection add: %s\n", optind < argc ?
		    "unexpected argument" : "--title is required");
		cmd_collection_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("collection add", &db, CLI_DB_WRITE, NULL,
	    0)) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_add(s, &c, &d)) != 0) {
		cli_err("cybex collection add: %s\n",
		    d.message[0] != '\0' ? d.message : cybex_strerror(rc));
		goto out;
	}
	if (json) {
		out = coll_json(&c);
		if (print_json(out) != 0)
			goto out;
	} else
		printf("%s\n", c.id);
	status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
 out:
	json_decref(out);
	cybex_store_close(s);
	return status;
}

struct lstate {
	struct cybex_store	*s;
	bool			 json;
	json_t			*all;
};

static int
on_coll(void *ud, const struct cybex_collection *cc)
{
	struct lstate *ls = ud;
	struct cybex_collection c1 = *cc, *c = &c1;
	struct cybex_diag d;
	char created[32];
	int r;

	if ((r = cybex_store_collection_count(ls->s, c->id, &c->nobjects,
	    &d)) != 0)
		return r;
	if (ls->json)
		return json_array_append_new(ls->all, coll_json(c)) == 0 ? 0 :
		    CYBEX_ENOMEM;
	cybex_store_format_us(c->created_us, created, sizeof(created));
	cli_out("%-36s  %-16s %10llu  %-19.19s  %-16s  %s\n", c->id,
	    c->alias != NULL ? c->alias : "-",
	    (unsigned long long)c->nobjects, created,
	    cybex_tlp_name((enum cybex_tlp)c->max_tlp), c->title);
	return 0;
}

static int
coll_list(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	struct lstate ls = { NULL, false, NULL };
	int ch, rc, status = EXIT_TROUBLE;

	while ((ch = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'j':
			ls.json = true;
			break;
		case 'h':
			cmd_collection_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_collection_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind < argc) {
		cli_err("cybex collection list: unexpected argument '%s'\n",
		    argv[optind]);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("collection list", &db, CLI_DB_READ, NULL,
	    0)) == NULL)
		goto out;
	ls.s = s;
	if (ls.json && (ls.all = json_array()) == NULL)
		goto out;
	if (!ls.json)
		printf("%-36s  %-16s %10s  %-19s  %-16s  %s\n", "ID", "ALIAS",
		    "OBJECTS", "CREATED", "MAX TLP", "TITLE");
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_list(s, on_coll, &ls, &d)) != 0) {
		cli_err("cybex collection list: %s\n",
		    d.message[0] != '\0' ? d.message : cybex_strerror(rc));
		goto out;
	}
	if (ls.json && print_json(ls.all) != 0)
		goto out;
	status = fflush(stdout) == 0 ? EXIT_VALID : EXIT_TROUBLE;
 out:
	json_decref(ls.all);
	cybex_store_close(s);
	return status;
}

static int
coll_remove(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	int ch, rc, status = EXIT_TROUBLE;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		if (ch == 'h') {
			cmd_collection_usage(stdout);
			return EXIT_VALID;
		}
		cmd_collection_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "cybex collection remove: give one collection "
		    "id or alias\n");
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("collection remove", &db, CLI_DB_READ, NULL,
	    0)) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_remove(s, argv[optind], &d)) != 0) {
		cli_err("cybex collection remove: %s\n",
		    d.message[0] != '\0' ? d.message : cybex_strerror(rc));
		goto out;
	}
	cli_err("removed collection '%s'\n", argv[optind]);
	status = EXIT_VALID;
 out:
	cybex_store_close(s);
	return status;
}

static int
coll_set(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "max-tlp", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	uint64_t above = 0;
	int ch, rc, level = 0, status = EXIT_TROUBLE;
	char detail[64];

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'T':
			if ((level = cybex_tlp_parse(optarg)) <= 0) {
				cli_err("cybex collection set: --max-tlp '%s' "
				    "is not clear, green, amber, amber+strict "
				    "or red\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h':
			cmd_collection_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_collection_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (argc - optind != 1 || level == 0) {
		fprintf(stderr, "cybex collection set: give one collection and "
		    "--max-tlp LEVEL\n");
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("collection set", &db, CLI_DB_READ, NULL,
	    0)) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if ((rc = cybex_store_collection_set_max_tlp(s, argv[optind], level,
	    &above, &d)) != 0) {
		cli_err("cybex collection set: %s\n", d.message[0] != '\0' ?
		    d.message : cybex_strerror(rc));
		status = rc == CYBEX_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
		goto out;
	}
	snprintf(detail, sizeof(detail), "max_tlp %s",
	    cybex_tlp_name((enum cybex_tlp)level));
	(void)cybex_store_audit(s, "cli", "collection set", argv[optind],
	    detail, NULL);
	cli_err("collection '%s': %s\n", argv[optind], detail);
	if (above > 0)
		cli_err("collection '%s': %llu stored version%s above %s: kept, "
		    "but no longer served\n", argv[optind],
		    (unsigned long long)above, above == 1 ? " is" : "s are",
		    cybex_tlp_name((enum cybex_tlp)level));
	status = EXIT_VALID;
 out:
	cybex_store_close(s);
	return status;
}

/* grant (revoke false) or revoke read/write on a collection. */
static int
coll_grant(int argc, char **argv, bool revoke)
{
	static const struct option lopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "group", required_argument, NULL, 'g' },
		{ "read", no_argument, NULL, 'r' },
		{ "write", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *verb = revoke ? "revoke" : "grant", *who = NULL;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	bool group = false, rd = false, wr = false;
	int ch, status = EXIT_TROUBLE;
	char detail[64];

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'u':
		case 'g':
			if (who != NULL) {
				fprintf(stderr, "cybex collection %s: one "
				    "--user or --group\n", verb);
				return EXIT_TROUBLE;
			}
			who = optarg;
			group = ch == 'g';
			break;
		case 'r':
			rd = true;
			break;
		case 'w':
			wr = true;
			break;
		case 'h':
			cmd_collection_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_collection_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (argc - optind != 1 || who == NULL) {
		fprintf(stderr, "cybex collection %s: give one collection and "
		    "--user U or --group G\n", verb);
		return EXIT_TROUBLE;
	}
	if (revoke && (rd || wr)) {
		fprintf(stderr, "cybex collection revoke takes every right; to "
		    "keep one, grant it alone\n");
		return EXIT_TROUBLE;
	}
	if (!revoke && !rd && !wr) {
		fprintf(stderr, "cybex collection grant: say --read, --write or "
		    "both\n");
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("collection", &db, CLI_DB_READ, NULL,
	    0)) == NULL)
		goto out;
	cybex_diag_clear(&d);
	if (cybex_store_grant(s, argv[optind], group, who, rd, wr, &d) != 0) {
		cli_err("cybex collection %s: %s\n", verb, d.message);
		status = d.code == CYBEX_ENOTFOUND ? EXIT_INVALID :
		    EXIT_TROUBLE;
		goto out;
	}
	snprintf(detail, sizeof(detail), "%s %s%s%s", group ? "group" : "user",
	    who, rd ? " read" : "", wr ? " write" : "");
	(void)cybex_store_audit(s, "cli", revoke ? "revoke" : "grant",
	    argv[optind], detail, NULL);
	cli_err("%s %s: %s\n", revoke ? "revoked on" : "granted on",
	    argv[optind], detail);
	status = EXIT_VALID;
 out:
	cybex_store_close(s);
	return status;
}

int
cmd_collection(int argc, char **argv)
{
	if (argc < 2) {
		cmd_collection_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cmd_collection_usage(stdout);
		return EXIT_VALID;
	}
	if (strcmp(argv[1], "add") == 0)
		return coll_add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return coll_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "set") == 0)
		return coll_set(argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0)
		return coll_remove(argc - 1, argv + 1);
	if (strcmp(argv[1], "grant") == 0)
		return coll_grant(argc - 1, argv + 1, false);
	if (strcmp(argv[1], "revoke") == 0)
		return coll_grant(argc - 1, argv + 1, true);
	cli_err("cybex collection: unknown subcommand '%s' (add, list, set, "
	    "remove, grant, revoke)\n", argv[1]);
	return EXIT_TROUBLE;
}
