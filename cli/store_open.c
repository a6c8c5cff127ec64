/*
 * Every command finds the database the same way:
 *
 *   --db PATH, else --data-dir DIR/cybex.db, else $CYBEX_DB, else
 *   $CYBEX_DATA_DIR/cybex.db, else $XDG_DATA_HOME/cybex/cybex.db, else
 *   ~/.local/share/cybex/cybex.db
 *
 * (command-line flags before the environment, as for every setting).
 * Commands that write create the data directory, mode 0700, and the
 * database; commands that read need both to exist.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/store.h"

#include "cli.h"

#define DB_FILE		"cybex.db"

int
cli_db_option(struct cli_db *o, int ch, const char *arg)
{
	if (ch == CLI_OPT_DB) {
		o->db = arg;
		return 1;
	}
	if (ch == CLI_OPT_DATA_DIR) {
		o->data_dir = arg;
		return 1;
	}
	return 0;
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* The data directory into out; -1 when there is no way to name one. */
static int
data_dir(const struct cli_db *o, char *out, size_t outsz)
{
	const char *v, *home;
	struct passwd *pw;
	int n;

	if (o->data_dir != NULL && *o->data_dir != '\0')
		n = snprintf(out, outsz, "%s", o->data_dir);
	else if ((v = env("CYBEX_DATA_DIR")) != NULL)
		n = snprintf(out, outsz, "%s", v);
	else if ((v = env("XDG_DATA_HOME")) != NULL && v[0] == '/')
		n = snprintf(out, outsz, "%s/cybex", v);	/* XDG: absolute only */
	else {
		if ((home = env("HOME")) == NULL) {
			pw = getpwuid(getuid());
			home = pw != NULL ? pw->pw_dir : NULL;
		}
		if (home == NULL)
			return -1;
		n = snprintf(out, outsz, "%s/.local/share/cybex", home);
	}
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

/* The database's path; *in_dir says whether it is in the data directory. */
static int
resolve(const struct cli_db *o, char *out, size_t outsz, bool *in_dir)
{
	const char *v;
	size_t len;
	int n;

	*in_dir = false;
	if (o->db != NULL && *o->db != '\0')
		n = snprintf(out, outsz, "%s", o->db);
	else if ((o->data_dir == NULL || *o->data_dir == '\0') &&
	    (v = env("CYBEX_DB")) != NULL)
		n = snprintf(out, outsz, "%s", v);
	else {
		*in_dir = true;
		if (data_dir(o, out, outsz) != 0)
			return -1;
		len = strlen(out);
		n = snprintf(out + len, outsz - len, "/%s", DB_FILE);
		if (n >= 0)
			n += (int)len;
	}
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int
cli_db_path(const struct cli_db *o, char *out, size_t outsz)
{
	bool in_dir;

	return resolve(o, out, outsz, &in_dir);
}

/* mkdir -p with mode 0700 for what it creates; errno on failure. */
static int
mkdirs(const char *dir)
{
	char p[4096];
	struct stat st;
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return -1;
		if (stat(p, &st) != 0)
			return -1;
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (i < n)
			p[i] = '/';
	}
	return 0;
}

/* A DSN naming another backend ("postgresql://") is passed through. */
static int
is_url(const char *dsn)
{
	return strstr(dsn, "://") != NULL;
}

struct cybex_store *
cli_store_open(const char *prog, const struct cli_db *o, int mode,
    char *path, size_t pathsz)
{
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	struct stat st;
	char db[4096], dir[4096];
	const char *file;
	char *slash;
	bool in_dir;
	int rc;

	if (resolve(o, db, sizeof(db), &in_dir) != 0) {
		cli_err("cybex %s: cannot name the database: give "
		    "--db PATH or --data-dir DIR (or set HOME)\n", prog);
		goto out;
	}
	if (path != NULL)
		snprintf(path, pathsz, "%s", db);
	file = strncmp(db, "sqlite:", 7) == 0 ? db + 7 : db;
	if (in_dir && mode == CLI_DB_WRITE) {
		/* The data directory is ours to create; a --db path is not. */
		snprintf(dir, sizeof(dir), "%s", file);
		if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
			*slash = '\0';
			if (mkdirs(dir) != 0) {
				cli_err("cybex %s: cannot create the "
				    "data directory %s: %s\n", prog, dir,
				    strerror(errno));
				goto out;
			}
		}
	}
	if (!is_url(db) && mode == CLI_DB_READ && stat(file, &st) != 0) {
		cli_err("cybex %s: no database at %s (import something "
		    "first, or give --db PATH)\n", prog, file);
		goto out;
	}
	cybex_diag_clear(&d);
	rc = cybex_store_open(db, mode == CLI_DB_READ ? CYBEX_STORE_NOCREATE :
	    0, &s, &d);
	if (rc != 0) {
		cli_err("cybex %s: cannot open the database %s: %s\n",
		    prog, file, d.message[0] != '\0' ? d.message :
		    cybex_strerror(rc));
		s = NULL;
	}
 out:
	return s;
}
