/*
 * cybex user add|list|remove|passwd: accounts of the hub.  Passwords are
 * stored only as Argon2id hashes; they are read from a prompt without
 * echo, standard input (--password-stdin) or the first line of a file
 * (--password-file).  --password P is kept for old scripts: every local
 * user can read a command line (ps, /proc/PID/cmdline), so it warns, and
 * the copy in argv is overwritten as soon as it is parsed (which narrows,
 * but cannot close, the window in which it shows).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cybex/auth.h"
#include "cybex/store.h"

#include "cli.h"

void
cmd_user_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex user add NAME [--admin] [--password-stdin | "
	    "--password-file FILE |\n"
	    "                  --no-password]\n"
	    "       cybex user passwd NAME [--password-stdin | --password-file "
	    "FILE]\n"
	    "       cybex user remove NAME\n"
	    "       cybex user list [--json]\n\n"
	    "Accounts of the hub.  Without a password option, the password is "
	    "asked for\n(twice, not echoed).  A password needs at least %d "
	    "characters.  --no-password\nmakes an account that signs in with "
	    "API tokens only (cybex token create).\n\n"
	    "  --password-stdin     read the password from the first line of "
	    "standard input\n"
	    "  --password-file FILE read it from the first line of FILE (keep "
	    "FILE mode 0600)\n"
	    "  --password P         deprecated: a command line is visible to "
	    "every local user\n"
	    "                       (ps, /proc); prints a warning\n%s",
	    CYBEX_PASSWORD_MIN, CLI_DB_HELP);
}

/* Read one line from f into buf without its newline; -1 on error/EOF. */
static int
read_line(FILE *f, char *buf, size_t n)
{
	size_t len;

	if (fgets(buf, (int)n, f) == NULL)
		return -1;
	len = strlen(buf);
	if (len == n - 1 && buf[len - 1] != '\n')
		return -1;	/* too long */
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

static int
prompt(const char *what, char *buf, size_t n)
{
	struct termios old, noecho;
	int r;

	cli_err("%s: ", what);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return -1;
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
	r = read_line(stdin, buf, n);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	cli_err("\n");
	return r;
}

/* The first line of file into pw; prints why not and returns -1. */
static int
read_file_line(const char *file, char *pw, size_t n)
{
	FILE *f;
	int r;

	if ((f = fopen(file, "re")) == NULL) {
		cli_err("cybex user: cannot read --password-file %s: %s\n",
		    file, strerror(errno));
		return -1;
	}
	r = read_line(f, pw, n);
	fclose(f);
	if (r != 0)
		cli_err("cybex user: no password in %s (or its first line is "
		    "longer than %d)\n", file, CYBEX_PASSWORD_MAX);
	return r;
}

/* The new password's hash into out; prints why not and returns -1. */
int
cli_new_password(const char *given, const char *file, bool from_stdin,
    char *out)
{
	char pw[CYBEX_PASSWORD_MAX + 2], again[CYBEX_PASSWORD_MAX + 2];
	struct cybex_diag d;
	int r = -1;

	pw[0] = again[0] = '\0';
	if (given != NULL)
		snprintf(pw, sizeof(pw), "%s", given);
	else if (file != NULL) {
		if (read_file_line(file, pw, sizeof(pw)) != 0)
			goto out;
	} else if (from_stdin) {
		if (read_line(stdin, pw, sizeof(pw)) != 0) {
			cli_err("cybex user: no password on standard "
			    "input (or longer than %d)\n", CYBEX_PASSWORD_MAX);
			goto out;
		}
	} else if (isatty(STDIN_FILENO)) {
		if (prompt("New password", pw, sizeof(pw)) != 0 ||
		    prompt("Again", again, sizeof(again)) != 0)
			goto out;
		if (strcmp(pw, again) != 0) {
			cli_err("cybex user: the passwords differ\n");
			goto out;
		}
	} else {
		cli_err("cybex user: give the password with "
		    "--password-stdin or --password-file FILE (standard input "
		    "is not a terminal)\n");
		goto out;
	}
	if (cybex_password_hash(pw, strlen(pw), out, &d) != 0) {
		cli_err("cybex user: %s\n", d.message);
		goto out;
	}
	r = 0;
 out:
	cybex_wipe(pw, sizeof(pw));
	cybex_wipe(again, sizeof(again));
	return r;
}

struct list_ctx {
	bool		 json;
	bool		 first;
};

static int
print_user(void *ud, const struct cybex_user *u)
{
	struct list_ctx *lc = ud;
	struct cybex_buf b;
	char ts[40];

	cybex_store_format_us(u->created_us, ts, sizeof(ts));
	if (!lc->json) {
		cli_out("%-24s %-6s %-9s %s\n", u->name, u->is_admin ? "admin" :
		    "user", u->disabled ? "disabled" : "active", ts);
		return 0;
	}
	cybex_buf_init(&b, 1u << 16);
	cybex_buf_puts(&b, lc->first ? "\n{\"name\":" : ",\n{\"name\":");
	cli_json_str(&b, u->name);
	cybex_buf_printf(&b, ",\"admin\":%s,\"disabled\":%s,\"created\":",
	    u->is_admin ? "true" : "false", u->disabled ? "true" : "false");
	cli_json_str(&b, ts);
	cybex_buf_putc(&b, '}');
	fwrite(b.data, 1, b.len, stdout);
	cybex_buf_free(&b);
	lc->first = false;
	return 0;
}

int
cmd_user(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "admin", no_argument, NULL, 'a' },
		{ "password", required_argument, NULL, 'p' },
		{ "password-stdin", no_argument, NULL, 's' },
		{ "password-file", required_argument, NULL, 'f' },
		{ "no-password", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_store *s = NULL;
	struct list_ctx lc = { false, true };
	struct cybex_diag d;
	struct cli_db o = { NULL, NULL };
	char hash[CYBEX_PWHASH_MAX], given[CYBEX_PASSWORD_MAX + 2];
	const char *verb, *name = NULL, *pw = NULL, *pwfile = NULL;
	bool admin = false, from_stdin = false, nopw = false;
	int ch, nsrc = 0, rc = EXIT_TROUBLE;

	given[0] = hash[0] = '\0';
	while ((ch = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		if (cli_db_option(&o, ch, optarg))
			continue;
		switch (ch) {
		case 'a':
			admin = true;
			break;
		case 'p':
			/*
			 * Take a copy and blank the original, which is what
			 * ps shows; a longer one is cut here and refused by
			 * the hash as too long.
			 */
			snprintf(given, sizeof(given), "%s", optarg);
			memset(optarg, 'x', strlen(optarg));
			pw = given;
			nsrc++;
			cli_err("cybex user: warning: --password is visible to "
			    "other local users (ps); use --password-stdin, "
			    "--password-file FILE or the prompt\n");
			break;
		case 's':
			from_stdin = true;
			nsrc++;
			break;
		case 'f':
			pwfile = optarg;
			nsrc++;
			break;
		case 'n':
			nopw = true;
			nsrc++;
			break;
		case 'j':
			lc.json = true;
			break;
		case 'h':
			cmd_user_usage(stdout);
			rc = EXIT_VALID;
			goto out;
		default:
			cmd_user_usage(stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		cmd_user_usage(stderr);
		goto out;
	}
	if (nsrc > 1) {
		cli_err("cybex user: give at most one of --password, "
		    "--password-stdin, --password-file and --no-password\n");
		goto out;
	}
	verb = argv[optind];
	if (strcmp(verb, "list") != 0) {
		if (optind + 2 != argc) {
			cli_err("cybex user %s: needs exactly one NAME\n",
			    verb);
			goto out;
		}
		name = argv[optind + 1];
	}
	if ((strcmp(verb, "add") == 0 && !nopw) || strcmp(verb, "passwd") == 0)
		if (cli_new_password(pw, pwfile, from_stdin, hash) != 0)
			goto out;
	s = cli_store_open("user", &o, strcmp(verb, "list") == 0 ? CLI_DB_READ :
	    CLI_DB_WRITE, NULL, 0);
	if (s == NULL)
		goto out;
	cybex_diag_clear(&d);
	if (strcmp(verb, "add") == 0) {
		if (cybex_store_user_add(s, name, nopw ? NULL : hash, admin,
		    &d) != 0)
			goto fail;
		(void)cybex_store_audit(s, "cli", "user-add", name, admin ?
		    "admin" : NULL, NULL);
		cli_err("user %s added%s\n", name, admin ?
		    " (administrator)" : "");
	} else if (strcmp(verb, "passwd") == 0) {
		if (cybex_store_user_set_password(s, name, hash, &d) != 0)
			goto fail;
		(void)cybex_store_audit(s, "cli", "user-passwd", name, NULL,
		    NULL);
		cli_err("password of %s changed\n", name);
	} else if (strcmp(verb, "remove") == 0) {
		if (cybex_store_user_remove(s, name, &d) != 0)
			goto fail;
		(void)cybex_store_audit(s, "cli", "user-remove", name, NULL,
		    NULL);
		cli_err("user %s removed\n", name);
	} else if (strcmp(verb, "list") == 0) {
		if (lc.json)
			printf("{\"users\":[");
		if (cybex_store_user_list(s, print_user, &lc, &d) != 0)
			goto fail;
		if (lc.json)
			printf("\n]}\n");
	} else {
		cli_err("cybex user: unknown verb '%s'\n", verb);
		goto out;
	}
	rc = EXIT_VALID;
	goto out;
 fail:
	cli_err("cybex user %s: %s\n", verb, d.message);
	rc = d.code == CYBEX_EEXIST || d.code == CYBEX_ENOTFOUND ||
	    d.code == CYBEX_EINVAL ? EXIT_INVALID : EXIT_TROUBLE;
 out:
	cybex_wipe(given, sizeof(given));
	cybex_wipe(hash, sizeof(hash));
	cybex_store_close(s);
	return rc;
}
