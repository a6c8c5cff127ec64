/*
 * cybex token create|list|revoke: API tokens for the hub.  A token is
 * shown once, when created; the store keeps only its hash.
 */
#include <getopt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cybex/auth.h"
#include "cybex/store.h"

#include "cli.h"

void
cmd_token_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex token create USER [--name NAME] [--expires DAYS]\n"
	    "       cybex token list [USER] [--json]\n"
	    "       cybex token revoke ID\n\n"
	    "API tokens sign in as USER with 'Authorization: Bearer TOKEN'.  "
	    "create prints\nthe token on standard output, once: it cannot be "
	    "shown again.\n\n%s", CLI_DB_HELP);
}

struct list_ctx {
	bool	json;
	bool	first;
};

static void
fmt_time(int64_t us, char *out, size_t n)
{
	if (us == 0)
		snprintf(out, n, "-");
	else
		cybex_store_format_us(us, out, n);
}

static int
print_token(void *ud, const struct cybex_token *t)
{
	struct list_ctx *lc = ud;
	char created[40], expires[40], revoked[40], used[40];
	struct cybex_buf b;

	fmt_time(t->created_us, created, sizeof(created));
	fmt_time(t->expires_us, expires, sizeof(expires));
	fmt_time(t->revoked_us, revoked, sizeof(revoked));
	fmt_time(t->last_used_us, used, sizeof(used));
	if (!lc->json) {
		cli_out("%-6lld %-16s %-20s created %s expires %s revoked %s "
		    "last used %s\n", (long long)t->tid, t->user,
		    t->name != NULL ? t->name : "-", created, expires, revoked,
		    used);
		return 0;
	}
	cybex_buf_init(&b, 1u << 16);
	cybex_buf_printf(&b, "%s{\"id\":%lld,\"user\":", lc->first ? "\n" :
	    ",\n", (long long)t->tid);
	cli_json_str(&b, t->user);
	cybex_buf_puts(&b, ",\"name\":");
	cli_json_str(&b, t->name != NULL ? t->name : "");
	cybex_buf_printf(&b, ",\"created\":\"%s\",\"expires\":\"%s\","
	    "\"revoked\":\"%s\",\"last_used\":\"%s\"}", created, expires,
	    revoked, used);
	fwrite(b.data, 1, b.len, stdout);
	cybex_buf_free(&b);
	lc->first = false;
	return 0;
}

int
cmd_token(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "expires", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct list_ctx lc = { false, true };
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	uint8_t hash[CYBEX_TOKEN_HASHLEN];
	char tok[CYBEX_TOKEN_MAX], *end;
	const char *verb, *name = NULL;
	long long days = 0, id;
	int64_t tid, expires = 0;
	int ch, rc = EXIT_TROUBLE;

	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 'e':
			errno = 0;
			days = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || days < 1 ||
			    days > 3650) {
				cli_err("cybex token: --expires takes "
				    "1 to 3650 days\n");
				return EXIT_TROUBLE;
			}
			break;
		case 'j':
			lc.json = true;
			break;
		case 'h':
			cmd_token_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_token_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind >= argc) {
		cmd_token_usage(stderr);
		return EXIT_TROUBLE;
	}
	verb = argv[optind];
	if ((strcmp(verb, "create") == 0 || strcmp(verb, "revoke") == 0) &&
	    optind + 2 != argc) {
		cli_err("cybex token %s: needs exactly one %s\n", verb,
		    strcmp(verb, "create") == 0 ? "USER" : "ID");
		return EXIT_TROUBLE;
	}
	s = cli_store_open("token", &o, strcmp(verb, "list") == 0 ?
	    CLI_DB_READ : CLI_DB_WRITE, NULL, 0);
	if (s == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	if (strcmp(verb, "create") == 0) {
		if (days > 0)
			expires = ((int64_t)time(NULL) + days * 86400) *
			    1000000;
		if (cybex_token_new(tok, hash) != 0) {
			cli_err("cybex token: no randomness\n");
			goto out;
		}
		if (cybex_store_token_add(s, argv[optind + 1], name, hash,
		    expires, &tid, &d) != 0)
			goto fail;
		(void)cybex_store_audit(s, "cli", "token-create",
		    argv[optind + 1], name, NULL);
		printf("%s\n", tok);
		cli_err("token %lld for %s created; it is shown only "
		    "this once\n", (long long)tid, argv[optind + 1]);
		cybex_wipe(tok, sizeof(tok));
	} else if (strcmp(verb, "revoke") == 0) {
		errno = 0;
		id = strtoll(argv[optind + 1], &end, 10);
		if (errno != 0 || *end != '\0' || id < 1) {
			cli_err("cybex token revoke: '%s' is not a token "
			    "id (see cybex token list)\n", argv[optind + 1]);
			goto out;
		}
		if (cybex_store_token_revoke(s, id, &d) != 0)
			goto fail;
		(void)cybex_store_audit(s, "cli", "token-revoke",
		    argv[optind + 1], NULL, NULL);
		cli_err("token %lld revoked\n", id);
	} else if (strcmp(verb, "list") == 0) {
		if (lc.json)
			printf("{\"tokens\":[");
		if (cybex_store_token_list(s, optind + 1 < argc ?
		    argv[optind + 1] : NULL, print_token, &lc, &d) != 0)
			goto fail;
		if (lc.json)
			printf("\n]}\n");
	} else {
		cli_err("cybex token: unknown verb '%s'\n", verb);
		goto out;
	}
	rc = EXIT_VALID;
	goto out;
 fail:
	cli_err("cybex token %s: %s\n", verb, d.message);
	rc = d.code == CYBEX_ENOTFOUND || d.code == CYBEX_EINVAL ?
	    EXIT_INVALID : EXIT_TROUBLE;
 out:
	cybex_store_close(s);
	return rc;
}
