/* cybex: the command-line entry point; dispatches to cmd_<verb>.c. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef CYBEX_VERSION
#define CYBEX_VERSION "0.1.0"
#endif

static const struct cli_cmd cmds[] = {
	{ "validate", "check STIX 2.1 files and report every problem",
	    cmd_validate, cmd_validate_usage },
	{ "import", "store STIX 2.1 objects in a collection", cmd_import, cmd_import_usage },
	{ "export", "write stored objects as a STIX 2.1 bundle", cmd_export, cmd_export_usage },
	{ "db", "check the database or show its statistics", cmd_db, cmd_db_usage },
	{ "collection", "add, list or remove collections", cmd_collection, cmd_collection_usage },
	{ "pattern", "check a STIX pattern or match it against observed-data",
	    cmd_pattern, cmd_pattern_usage },
	{ "index", "compile indicators into the matching index and show it",
	    cmd_index, cmd_index_usage },
	{ "serve", "run the hub (TAXII 2.1 server)", cmd_serve,
	    cmd_serve_usage },
	{ "user", "add, list, remove users or change a password", cmd_user,
	    cmd_user_usage },
	{ "token", "create, list or revoke API tokens", cmd_token,
	    cmd_token_usage },
	{ "group", "add or remove groups and their members", cmd_group,
	    cmd_group_usage },
	{ "api-root", "add, change or list TAXII API roots", cmd_apiroot,
	    cmd_apiroot_usage },
	{ "taxii", "load a TAXII server's data (API roots, collections, "
	    "objects)", cmd_taxii, cmd_taxii_usage },
	{ "org", "add, list or remove member organizations and their users",
	    cmd_org, cmd_org_usage },
	{ "ingest", "read sensor logs: match indicators, detect, store "
	    "sightings and alerts", cmd_ingest, cmd_ingest_usage },
	{ "alerts", "list, show or close the alerts of the detectors",
	    cmd_alerts, cmd_alerts_usage },
	{ "cvss", "score CVSS v2.0, v3.0, v3.1 and v4.0 vectors", cmd_cvss,
	    cmd_cvss_usage },
	{ "vuln", "import CVE records, KEV and EPSS; list by priority",
	    cmd_vuln, cmd_vuln_usage },
	{ "incident", "manage incidents: lifecycle, notes, tasks, evidence, "
	    "merge, split, export", cmd_incident, cmd_incident_usage },
	{ "asset", "asset inventory per organization (SBOMs, CSV)",
	    cmd_asset, cmd_asset_usage },
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cybex [--version] [--help] COMMAND [ARGS]\n\n"
	    "cybex is a cybersecurity information-exchange and incident-"
	    "management hub.\n\ncommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'cybex COMMAND --help' or 'cybex help COMMAND' shows a "
	    "command's options.\n");
}

long long
cli_parse_size(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0)
		return -1;
	switch (*end) {
	case '\0':
		return v;
	case 'k': case 'K':
		v *= 1024;
		break;
	case 'm': case 'M':
		v *= 1024 * 1024;
		break;
	case 'g': case 'G':
		v *= 1024LL * 1024 * 1024;
		break;
	default:
		return -1;
	}
	if (end[1] != '\0' && !(end[1] == 'B' && end[2] == '\0'))
		return -1;
	return v;
}

static const struct cli_cmd *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct cli_cmd *c;

	/*
	 * What cybex creates (the database and its -wal/-shm files, exports,
	 * the access log, the data directory) holds shared intelligence and
	 * credential hashes: none of it is for other local users, whatever
	 * the caller's umask.  Files also get explicit modes where they are
	 * made; this covers the rest (and the library's other callers'
	 * files are made 0600 by the library itself).
	 */
	(void)umask(umask(0) | 077);
	if (argc < 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("cybex %s\n", CYBEX_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		if ((c = find(argv[2])) == NULL) {
			cli_err("cybex: unknown command '%s'\n", argv[2]);
			return EXIT_TROUBLE;
		}
		c->usage(stdout);
		return 0;
	}
	if ((c = find(argv[1])) == NULL) {
		cli_err("cybex: unknown command '%s' (try 'cybex "
		    "--help')\n", argv[1]);
		return EXIT_TROUBLE;
	}
	return c->run(argc - 1, argv + 1);
}
