/*
 * taxii_fixture: set up what the CLI cannot, straight in the store, for
 * the server's integration tests.
 *
 *   taxii_fixture DB grant COLL (--user U | --group G) [--read] [--write]
 *   taxii_fixture DB revoke COLL (--user U | --group G)
 *   taxii_fixture DB expired-token USER
 *   taxii_fixture DB put COLL JSON
 *
 * grant and revoke take the arguments `cybex collection grant/revoke`
 * takes; they stand in for it while cli/cmd_collection.c has no such
 * subcommand.  expired-token prints a token for USER that expired an hour
 * ago (`cybex token create --expires` takes 1 to 3650 days, so the CLI
 * cannot make one).  put stores one object as it is, unvalidated (as
 * data stored by a STIX 2.0 hub, which cybex's validator would refuse,
 * such as a TLP marking-definition of 2.0 style with its own id).  Exit: 0 done, 1 the store said no (printed), 2 usage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cybex/auth.h"
#include "cybex/core.h"
#include "cybex/store.h"

static int
usage(void)
{
	fprintf(stderr, "usage: taxii_fixture DB grant|revoke COLL (--user U | "
	    "--group G) [--read] [--write]\n"
	    "       taxii_fixture DB expired-token USER\n"
	    "       taxii_fixture DB put COLL JSON\n");
	return 2;
}

static int
grant(struct cybex_store *s, int argc, char **argv, bool revoke,
    struct cybex_diag *d)
{
	const char *who = NULL;
	bool group = false, rd = false, wr = false;
	int i;

	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "--user") == 0 ||
		    strcmp(argv[i], "--group") == 0) && i + 1 < argc) {
			group = strcmp(argv[i], "--group") == 0;
			who = argv[++i];
		} else if (strcmp(argv[i], "--read") == 0 && !revoke)
			rd = true;
		else if (strcmp(argv[i], "--write") == 0 && !revoke)
			wr = true;
		else
			return usage();
	}
	if (who == NULL)
		return usage();
	return cybex_store_grant(s, argv[0], group, who, rd, wr, d) == 0 ? 0 :
	    1;
}

static int
expired_token(struct cybex_store *s, const char *user, struct cybex_diag *d)
{
	uint8_t hash[CYBEX_TOKEN_HASHLEN];
	char tok[CYBEX_TOKEN_MAX];
	int64_t tid, when = ((int64_t)time(NULL) - 3600) * 1000000;
	int r = 1;

	if (cybex_token_new(tok, hash) != 0)
		goto out;
	if (cybex_store_token_add(s, user, "expired", hash, when, &tid, d) != 0)
		goto out;
	printf("%s\n", tok);
	r = 0;
 out:
	cybex_wipe(tok, sizeof(tok));
	return r;
}

static int
put(struct cybex_store *s, const char *key, const char *text,
    struct cybex_diag *d)
{
	struct cybex_collection c;
	struct cybex_arena *a = NULL;
	enum cybex_put_result res;
	json_t *j = NULL;
	int r = 1;

	if (cybex_arena_new(0, &a) != 0 ||
	    cybex_store_collection_get(s, key, a, &c, d) != 0 ||
	    cybex_json_parse(text, strlen(text), 0, &j, d) != 0 ||
	    cybex_store_put(s, c.id, j, text, strlen(text), &res, d) != 0)
		goto out;
	r = 0;
 out:
	json_decref(j);
	cybex_arena_free(a);
	return r;
}

int
main(int argc, char **argv)
{
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	int r = 2;

	if (argc < 4)
		return usage();
	cybex_diag_clear(&d);
	if (cybex_store_open(argv[1], CYBEX_STORE_NOCREATE, &s, &d) != 0) {
		fprintf(stderr, "taxii_fixture: %s: %s\n", argv[1], d.message);
		return 1;
	}
	if (strcmp(argv[2], "grant") == 0 || strcmp(argv[2], "revoke") == 0)
		r = grant(s, argc - 3, argv + 3, strcmp(argv[2], "revoke") == 0,
		    &d);
	else if (strcmp(argv[2], "expired-token") == 0 && argc == 4)
		r = expired_token(s, argv[3], &d);
	else if (strcmp(argv[2], "put") == 0 && argc == 5)
		r = put(s, argv[3], argv[4], &d);
	else
		r = usage();
	if (r == 1)
		fprintf(stderr, "taxii_fixture %s: %s\n", argv[2], d.message);
	cybex_store_close(s);
	return r;
}
