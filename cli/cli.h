/* The cybex command-line program: one file per subcommand. */
#ifndef CYBEX_CLI_H
#define CYBEX_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses scripts rely on (documented in docs/cybex.1.md). */
#define EXIT_VALID	0
#define EXIT_INVALID	1	/* input read fine but is not valid */
#define EXIT_TROUBLE	2	/* unreadable, not JSON, or bad usage */

struct cli_cmd {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);
	void		(*usage)(FILE *f);
};

int	cmd_validate(int argc, char **argv);
void	cmd_validate_usage(FILE *f);
int	cmd_import(int argc, char **argv);
void	cmd_import_usage(FILE *f);
int	cmd_export(int argc, char **argv);
void	cmd_export_usage(FILE *f);
int	cmd_db(int argc, char **argv);
void	cmd_db_usage(FILE *f);
int	cmd_collection(int argc, char **argv);
void	cmd_collection_usage(FILE *f);
int	cmd_pattern(int argc, char **argv);
void	cmd_pattern_usage(FILE *f);
int	cmd_index(int argc, char **argv);
void	cmd_index_usage(FILE *f);
int	cmd_serve(int argc, char **argv);
void	cmd_serve_usage(FILE *f);
int	cmd_user(int argc, char **argv);
void	cmd_user_usage(FILE *f);
int	cmd_token(int argc, char **argv);
void	cmd_token_usage(FILE *f);
int	cmd_group(int argc, char **argv);
void	cmd_group_usage(FILE *f);
int	cmd_apiroot(int argc, char **argv);
void	cmd_apiroot_usage(FILE *f);
int	cmd_taxii(int argc, char **argv);
void	cmd_taxii_usage(FILE *f);
int	cmd_org(int argc, char **argv);
void	cmd_org_usage(FILE *f);
int	cmd_ingest(int argc, char **argv);
void	cmd_ingest_usage(FILE *f);
int	cmd_alerts(int argc, char **argv);
void	cmd_alerts_usage(FILE *f);
int	cmd_cvss(int argc, char **argv);
void	cmd_cvss_usage(FILE *f);
int	cmd_vuln(int argc, char **argv);
void	cmd_vuln_usage(FILE *f);
int	cmd_incident(int argc, char **argv);
void	cmd_incident_usage(FILE *f);
int	cmd_asset(int argc, char **argv);
void	cmd_asset_usage(FILE *f);
/* cybex vuln affected (cmd_asset.c); argv[0] is "affected". */
int	cmd_vuln_affected(int argc, char **argv);
/*
 * A new password, hashed into out: given (--password), else the first
 * line of file (--password-file), else of stdin, else asked for twice.
 */
int	cli_new_password(const char *given, const char *file, bool from_stdin,
	    char *out);

/* ---- diagnostics (diag_print.c), shared by validate and import ---- */
#include <stdarg.h>
struct cybex_buf;
struct cybex_diag;
/*
 * Everything the CLI prints for people that may hold input-derived text
 * (file names, values from files, the database or a peer, diag messages)
 * goes through these: like fprintf, but the formatted text is escaped
 * for a terminal (cybex_term_escape: no control byte, escape sequence or
 * invalid UTF-8 gets through; readable UTF-8 does), except one final
 * newline.  One line per call.  cli_err prints to stderr, cli_out to
 * stdout.  Not for JSON output, which is escaped by its writer.
 */
void	cli_vfprintf(FILE *f, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
void	cli_fprintf(FILE *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	cli_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append s as a JSON string (quoted, escaped) to b. */
void	cli_json_str(struct cybex_buf *b, const char *s);
/*
 * Print d found at line:col of file: as "file:line:col: error|warning:
 * message [pointer]" on stdout, or, with json, as one JSON object
 * (preceded by ",\n" unless *first) built in scratch buffer b.
 */
void	cli_diag_print(const char *file, bool json, bool *first,
	    struct cybex_buf *b, const struct cybex_diag *d,
	    unsigned long line, unsigned long col);

/* ---- the database (store_open.c), found the same way by every command ---- */
struct cybex_store;
struct cli_db {
	const char	*db;		/* --db */
	const char	*data_dir;	/* --data-dir */
};
#define CLI_OPT_DB		0x1000
#define CLI_OPT_DATA_DIR	0x1001
/* getopt_long entries for --db and --data-dir. */
#define CLI_DB_LONGOPTS \
	{ "db", required_argument, NULL, CLI_OPT_DB }, \
	{ "data-dir", required_argument, NULL, CLI_OPT_DATA_DIR }
#define CLI_DB_HELP \
	"  --db PATH            the database (default: $CYBEX_DB, else " \
	"cybex.db in the\n" \
	"                       data directory)\n" \
	"  --data-dir DIR       the data directory (default: $CYBEX_DATA_DIR, " \
	"else\n" \
	"                       $XDG_DATA_HOME/cybex, else " \
	"~/.local/share/cybex)\n"
/* Take option ch (CLI_OPT_DB, CLI_OPT_DATA_DIR) into o; 1 if it was one. */
int	cli_db_option(struct cli_db *o, int ch, const char *arg);
/* Where the database is: --db, $CYBEX_DB, or DATA_DIR/cybex.db. */
int	cli_db_path(const struct cli_db *o, char *out, size_t outsz);
#define CLI_DB_READ	0	/* the database must exist */
#define CLI_DB_WRITE	1	/* create it (and the data dir, 0700) */
/*
 * Open the store for command prog ("import"); on failure print why on
 * stderr and return NULL.  path (may be NULL) receives where it is.
 */
struct cybex_store *cli_store_open(const char *prog, const struct cli_db *o,
	    int mode, char *path, size_t pathsz);

/* Parse a size like "16M", "512k", "1G" or bytes; -1 on error. */
long long cli_parse_size(const char *s);

#endif
