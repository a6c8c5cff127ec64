/*
 * cybex export [--collection C [--ignore-tlp]] [--type T]...
 *     [--added-after TS] [--version last|first|all] [--output FILE]
 *
 * Writes the stored objects as one STIX 2.1 bundle with a new id, each
 * object exactly as it was received, streamed from the store (nothing is
 * collected in memory).  With --collection only what the collection may
 * serve: nothing above its TLP ceiling, unless --ignore-tlp (an
 * administrator's full copy, with a warning).  With --output the bundle goes to FILE.tmp, which
 * is flushed to disk and then renamed to FILE: FILE is never half-written.
 * Exit: 0 written, 2 usage, database or I/O errors.
 */
#include <sys/stat.h>

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
#include "cybex/policy.h"
#include "cybex/stix.h"
#include "cybex/store.h"

#include "cli.h"

struct estate {
	FILE			*f;
	unsigned long long	 n;
};

void
cmd_export_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex export [--collection C [--ignore-tlp]] [--type T]... "
	    "[--added-after TS]\n"
	    "                    [--version last|first|all] [--output FILE] "
	    "[--quiet]\n"
	    "                    [--db PATH] [--data-dir DIR]\n\n"
	    "Write stored objects as one STIX 2.1 bundle (with a new bundle "
	    "id) on\nstandard output or to FILE.  Each object is written "
	    "exactly as it was\nimported.\n\n"
	    "  --collection C       only this collection (id or alias; "
	    "default: all,\n"
	    "                       each version once); only what it may "
	    "serve: nothing\n"
	    "                       above its TLP ceiling (max_tlp)\n"
	    "  --ignore-tlp         with --collection, also what is above its "
	    "ceiling\n"
	    "                       (an administrator's full copy; warns on "
	    "stderr)\n"
	    "  --type T             only objects of type T (repeatable)\n"
	    "  --added-after TS     only versions added after this RFC 3339 "
	    "time\n"
	    "  --version V          last (default), first, all, or a "
	    "comma-separated\n"
	    "                       combination such as first,last\n"
	    "  --output FILE        write FILE (through FILE.tmp and a rename)\n"
	    "  --quiet              no summary on stderr\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 written, 2 usage, database or I/O errors.\n");
}

static int
on_row(void *ud, const struct cybex_row *r)
{
	struct estate *es = ud;

	if (fputs(es->n == 0 ? ",\"objects\":[\n" : ",\n", es->f) == EOF ||
	    fwrite(r->json, 1, r->len, es->f) != r->len)
		return CYBEX_EIO;
	es->n++;
	return 0;
}

/* "last", "first", "all" or a comma-separated list of them; 0 if bad. */
static unsigned
parse_versions(const char *s)
{
	unsigned v = 0;
	size_t n;

	while (*s != '\0') {
		n = strcspn(s, ",");
		if (n == 4 && strncmp(s, "last", 4) == 0)
			v |= CYBEX_VERSION_LAST;
		else if (n == 5 && strncmp(s, "first", 5) == 0)
			v |= CYBEX_VERSION_FIRST;
		else if (n == 3 && strncmp(s, "all", 3) == 0)
			v |= CYBEX_VERSION_ALL;
		else
			return 0;
		s += n;
		if (*s == ',' && *++s == '\0')
			return 0;
	}
	return v;
}

int
cmd_export(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "type", required_argument, NULL, 't' },
		{ "added-after", required_argument, NULL, 'a' },
		{ "version", required_argument, NULL, 'v' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "ignore-tlp", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_query q = { 0 };
	struct cybex_collection coll;
	struct cybex_arena *arena = NULL;
	struct cybex_store *s = NULL;
	struct cybex_page page;
	struct cybex_uuid u;
	struct cybex_time t;
	struct cybex_diag d;
	struct cli_db db = { 0 };
	struct estate es = { 0 };
	const char **types = NULL;
	const char *coll_key = NULL, *output = NULL;
	char bid[CYBEX_UUID_STRLEN + 1], tmp[4096];
	bool quiet = false, tmp_made = false, ignore_tlp = false;
	/* The operator, reading the database directly. */
	const struct cybex_caller admin = { true, NULL };
	size_t ntypes = 0;
	int ch, rc, status = EXIT_TROUBLE, fd;

	if ((types = calloc((size_t)argc, sizeof(*types))) == NULL) {
		fprintf(stderr, "cybex export: out of memory\n");
		return EXIT_TROUBLE;
	}
	q.versions = CYBEX_VERSION_LAST;
	while ((ch = getopt_long(argc, argv, "c:t:a:v:o:qh", lopts, NULL)) !=
	    -1) {
		if (cli_db_option(&db, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			coll_key = optarg;
			break;
		case 't':
			types[ntypes++] = optarg;
			break;
		case 'a':
			cybex_diag_clear(&d);
			if (cybex_time_parse(optarg, strlen(optarg), 0, &t,
			    &d) != 0) {
				cli_err("cybex export: bad --added-after "
				    "'%s': %s\n", optarg, d.message);
				goto out;
			}
			q.has_added_after = true;
			q.added_after_us = t.sec * 1000000 + t.nsec / 1000;
			break;
		case 'v':
			if ((q.versions = parse_versions(optarg)) == 0) {
				cli_err("cybex export: bad --version "
				    "'%s' (last, first, all)\n", optarg);
				goto out;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'I':
			ignore_tlp = true;
			break;
		case 'h':
			cmd_export_usage(stdout);
			status = EXIT_VALID;
			goto out;
		default:
			cmd_export_usage(stderr);
			goto out;
		}
	}
	if (optind < argc) {
		cli_err("cybex export: unexpected argument '%s'\n",
		    argv[optind]);
		cmd_export_usage(stderr);
		goto out;
	}
	if (ignore_tlp && coll_key == NULL) {
		fprintf(stderr, "cybex export: --ignore-tlp goes with "
		    "--collection (without one, everything is exported)\n");
		goto out;
	}
	q.types = types;
	q.ntypes = ntypes;
	if ((s = cli_store_open("export", &db, CLI_DB_READ, NULL, 0)) == NULL)
		goto out;
	if (coll_key != NULL) {
		if (cybex_arena_new(0, &arena) != 0)
			goto out;
		if ((rc = cybex_store_collection_get(s, coll_key, arena, &coll,
		    &d)) != 0) {
			if (rc == CYBEX_ENOTFOUND)
				cli_err("cybex export: no collection '%s' "
				    "('cybex collection list' shows them)\n",
				    coll_key);
			else
				cli_err("cybex export: collection '%s': %s\n",
				    coll_key, d.message);
			goto out;
		}
		q.coll_id = coll.id;
		/* What TAXII would serve from it: nothing above its ceiling. */
		if (!ignore_tlp)
			q.max_tlp = cybex_policy_egress_ceiling(&admin,
			    coll.max_tlp);
		else
			cli_err("cybex export: warning: --ignore-tlp: objects "
			    "above the ceiling of '%s' (%s) are exported too; "
			    "share the file only with their recipients\n",
			    coll_key, cybex_tlp_name((enum cybex_tlp)
			    coll.max_tlp));
	}
	if (cybex_uuid_v4(&u) != 0) {
		fprintf(stderr, "cybex export: no randomness for a bundle id\n");
		goto out;
	}
	cybex_uuid_format(&u, bid);
	if (output != NULL) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", output) >=
		    sizeof(tmp)) {
			fprintf(stderr, "cybex export: output name too long\n");
			goto out;
		}
		/* 0600 also when an old FILE.tmp is reused (docs/cybex.1.md) */
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || fchmod(fd, 0600) != 0 ||
		    (es.f = fdopen(fd, "w")) == NULL) {
			cli_err("cybex export: cannot write %s: %s\n", tmp,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			goto out;
		}
		tmp_made = true;
	} else
		es.f = stdout;
	fprintf(es.f, "{\"type\":\"bundle\",\"id\":\"bundle--%s\"", bid);
	cybex_diag_clear(&d);
	rc = cybex_store_query(s, &q, on_row, &es, &page, &d);
	if (rc == 0) {
		/* A bundle's "objects", when present, holds at least one. */
		fputs(es.n > 0 ? "\n]}\n" : "}\n", es.f);
	}
	if (rc == 0 && fflush(es.f) != 0)
		rc = CYBEX_EIO;
	if (rc == 0 && es.f != stdout && fsync(fileno(es.f)) != 0)
		rc = CYBEX_EIO;
	if (rc != 0) {
		cli_err("cybex export: %s\n", rc == CYBEX_EIO ?
		    strerror(errno != 0 ? errno : EIO) : d.message[0] != '\0' ?
		    d.message : cybex_strerror(rc));
		goto out;
	}
	if (es.f != stdout) {
		rc = fclose(es.f);
		es.f = NULL;
		if (rc != 0 || rename(tmp, output) != 0) {
			cli_err("cybex export: cannot write %s: %s\n",
			    output, strerror(errno));
			goto out;
		}
		tmp_made = false;
	}
	if (!quiet)
		cli_err("exported %llu object%s%s%s\n", es.n,
		    es.n == 1 ? "" : "s", output != NULL ? " to " : "",
		    output != NULL ? output : "");
	status = EXIT_VALID;
 out:
	if (es.f != NULL && es.f != stdout)
		fclose(es.f);
	if (tmp_made)
		unlink(tmp);
	cybex_arena_free(arena);
	cybex_store_close(s);
	free(types);
	return status;
}
