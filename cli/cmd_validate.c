/*
 * cybex validate [--strict] [--enable L] [--disable L] [--strict-types]
 *     [--strict-properties] [--enforce-refs] [--interop] [--json]
 *     [--quiet] FILE...
 *
 * Streams each file through the STIX reader and validator and prints one
 * line per problem as "file:line:col: error|warning: message [pointer]".
 * Exit: 0 valid (warnings allowed), 1 invalid STIX, 2 unreadable input,
 * not JSON, or a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"

#include "cli.h"

struct vstate {
	const char			*file;
	bool				 json;
	bool				 first_diag;
	const struct cybex_stix_item	*item;
	unsigned long			 errors;
	unsigned long			 warnings;
	struct cybex_buf		 out;
};

void
cmd_validate_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex validate [--strict] [--enable L] [--disable L] "
	    "[--strict-types]\n    [--strict-properties] [--enforce-refs] "
	    "[--interop] [--version 2.1]\n    [--json] [--quiet] "
	    "[--max-object-size N] FILE...\n\n"
	    "Validate STIX 2.1 bundles, single objects, JSON lists of objects "
	    "or JSON lines\n('-' reads standard input).  Every problem is "
	    "printed as\n  file:line:col: error|warning: message "
	    "[json-pointer]\n\n"
	    "  --strict             SHOULD rules are errors, not warnings\n"
	    "  --enable L           run only these best-practice checks "
	    "(codes or names)\n"
	    "  --disable L          do not run these checks (codes or "
	    "names)\n"
	    "  --strict-types       custom object types are errors\n"
	    "  --strict-properties  custom properties are errors\n"
	    "  --enforce-refs       relationship and sighting references must "
	    "resolve\n                       within the file\n"
	    "  --interop            the STIX 2.1 interoperability rules "
	    "(created_by_ref, ...)\n"
	    "  --version 2.1        the STIX version (only 2.1)\n"
	    "  --json               machine-readable results on stdout\n"
	    "  --quiet              no summary line on stderr\n"
	    "  --max-object-size N  largest single object (default 16M; "
	    "k/M/G suffixes)\n"
	    "  --max-depth N        deepest JSON nesting (default %d)\n\n"
	    "exit status: 0 valid (warnings allowed), 1 invalid STIX, 2 "
	    "unreadable input,\nnot JSON, or a usage error.\n",
	    CYBEX_JSON_DEPTH_DEFAULT);
}

static void
emit(struct vstate *st, const struct cybex_diag *d, unsigned long line,
    unsigned long col)
{
	if (d->severity == CYBEX_SEV_ERROR)
		st->errors++;
	else
		st->warnings++;
	cli_diag_print(st->file, st->json, &st->first_diag, &st->out, d, line,
	    col);
}

/* A validation diagnostic: find its line/col through the item's text. */
static void
on_diag(void *ud, const struct cybex_diag *d)
{
	struct vstate *st = ud;
	struct cybex_diag dd = *d;

	cybex_stix_item_locate(st->item, &dd);
	emit(st, &dd, dd.line, dd.column);
}

/* A diagnostic across objects: it carries its own line and column. */
static void
on_xref_diag(void *ud, const struct cybex_diag *d)
{
	emit(ud, d, d->line, d->column);
}

static int
validate_fd(int fd, struct vstate *st, const struct cybex_stix_opts *o,
    unsigned long *nobjects)
{
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_xref *xr = NULL;
	struct cybex_stix_result xres = { 0, 0 };
	struct cybex_stix_item it;
	struct cybex_diag d;
	int rc, status = EXIT_VALID;

	cybex_diag_clear(&d);
	if ((rc = cybex_stix_xref_new(&xr)) != 0 ||
	    (rc = cybex_stix_reader_new(fd, o, &r)) != 0) {
		cybex_diag_set(&d, rc, "cannot start reading: %s",
		    cybex_strerror(rc));
		emit(st, &d, 0, 0);
		return EXIT_TROUBLE;
	}
	while ((rc = cybex_stix_reader_next(r, &it, &d)) == 1) {
		st->item = &it;
		if (it.kind == CYBEX_STIX_ITEM_OBJECT)
			(*nobjects)++;
		rc = cybex_stix_validate(it.json, o, it.pointer, on_diag, st,
		    NULL);
		/* the objects of one file are checked together */
		if (it.kind == CYBEX_STIX_ITEM_OBJECT && (rc == 0 ||
		    rc == CYBEX_ESTIX) && cybex_stix_xref_add(xr, it.json, o,
		    it.pointer, it.line, it.column, on_xref_diag, st,
		    &xres) != 0)
			rc = CYBEX_ENOMEM;
		if (rc == CYBEX_ESTIX)
			status = EXIT_INVALID;
		else if (rc != 0) {
			cybex_diag_set(&d, rc, "validation failed: %s",
			    cybex_strerror(rc));
			emit(st, &d, it.line, it.column);
			status = EXIT_TROUBLE;
		}
	}
	if (rc < 0) {
		d.severity = CYBEX_SEV_ERROR;
		emit(st, &d, d.line, d.column);
		status = rc == CYBEX_ESTIX ? EXIT_INVALID : EXIT_TROUBLE;
	} else
		cybex_stix_xref_finish(xr, o, on_xref_diag, st, &xres);
	if (xres.errors > 0 && status == EXIT_VALID)
		status = EXIT_INVALID;
	cybex_stix_reader_free(r);
	cybex_stix_xref_free(xr);
	return status;
}

int
cmd_validate(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-object-size", required_argument, NULL, 'm' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "enable", required_argument, NULL, 'E' },
		{ "disable", required_argument, NULL, 'D' },
		{ "strict-types", no_argument, NULL, 'T' },
		{ "strict-properties", no_argument, NULL, 'P' },
		{ "enforce-refs", no_argument, NULL, 'R' },
		{ "interop", no_argument, NULL, 'I' },
		{ "version", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_stix_opts o = { 0 };
	struct cybex_stix_checks checks;
	struct cybex_diag cd;
	const char *enable = NULL, *disable = NULL;
	struct vstate st;
	unsigned long nobj, total_obj = 0, total_err = 0, total_warn = 0;
	bool json = false, quiet = false;
	long long n;
	int ch, i, fd, status = EXIT_VALID, fs;

	while ((ch = getopt_long(argc, argv, "sjqh", lopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.flags |= CYBEX_STIX_STRICT;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'm':
			if ((n = cli_parse_size(optarg)) <= 0) {
				cli_err("cybex validate: bad "
				    "--max-object-size '%s'\n", optarg);
				return EXIT_TROUBLE;
			}
			o.max_object_bytes = (size_t)n;
			break;
		case 'd':
			if ((n = cli_parse_size(optarg)) <= 0 || n > 4096) {
				cli_err("cybex validate: bad --max-depth "
				    "'%s' (1..4096)\n", optarg);
				return EXIT_TROUBLE;
			}
			o.max_depth = (size_t)n;
			break;
		case 'E':
			enable = optarg;
			break;
		case 'D':
			disable = optarg;
			break;
		case 'T':
			o.flags |= CYBEX_STIX_STRICT_TYPES;
			break;
		case 'P':
			o.flags |= CYBEX_STIX_STRICT_PROPERTIES;
			break;
		case 'R':
			o.flags |= CYBEX_STIX_ENFORCE_REFS;
			break;
		case 'I':
			o.flags |= CYBEX_STIX_INTEROP;
			break;
		case 'V':
			if (strcmp(optarg, "2.1") != 0) {
				cli_err("cybex validate: --version '%s': only "
				    "STIX 2.1 is validated\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case 'h':
			cmd_validate_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_validate_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (enable != NULL || disable != NULL) {
		if (cybex_stix_checks_select(enable, disable, &checks,
		    &cd) != 0) {
			cli_err("cybex validate: %s\n", cd.message);
			return EXIT_TROUBLE;
		}
		o.checks = &checks;
	}
	if (optind >= argc) {
		cli_err("cybex validate: no FILE given ('-' for "
		    "standard input)\n");
		cmd_validate_usage(stderr);
		return EXIT_TROUBLE;
	}
	if (json)
		printf("{\"files\":[");
	for (i = optind; i < argc; i++) {
		memset(&st, 0, sizeof(st));
		st.file = strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i];
		st.json = json;
		st.first_diag = true;
		cybex_buf_init(&st.out, 1u << 20);
		nobj = 0;
		if (json) {
			cybex_buf_puts(&st.out, i > optind ? ",\n{\"file\":" :
			    "\n{\"file\":");
			cli_json_str(&st.out, st.file);
			cybex_buf_puts(&st.out, ",\"diagnostics\":[");
			fwrite(st.out.data, 1, st.out.len, stdout);
		}
		if (strcmp(argv[i], "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(argv[i], O_RDONLY | O_CLOEXEC)) < 0) {
			struct cybex_diag d;

			cybex_diag_set(&d, CYBEX_EIO, "cannot open: %s",
			    strerror(errno));
			emit(&st, &d, 0, 0);
		}
		fs = fd < 0 ? EXIT_TROUBLE : validate_fd(fd, &st, &o, &nobj);
		if (fd > STDIN_FILENO)
			close(fd);
		if (json)
			printf("],\"objects\":%lu,\"errors\":%lu,"
			    "\"warnings\":%lu,\"status\":%d,\"valid\":%s}",
			    nobj, st.errors, st.warnings, fs,
			    fs == EXIT_VALID ? "true" : "false");
		if (fs > status)
			status = fs;
		total_obj += nobj;
		total_err += st.errors;
		total_warn += st.warnings;
		cybex_buf_free(&st.out);
	}
	if (json)
		printf("\n],\"objects\":%lu,\"errors\":%lu,\"warnings\":%lu,"
		    "\"status\":%d,\"valid\":%s}\n", total_obj, total_err,
		    total_warn, status, status == EXIT_VALID ? "true" : "false");
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	if (!quiet)
		cli_err("%d file%s, %lu object%s: %lu error%s, %lu "
		    "warning%s\n", argc - optind, argc - optind == 1 ? "" : "s",
		    total_obj, total_obj == 1 ? "" : "s", total_err,
		    total_err == 1 ? "" : "s", total_warn,
		    total_warn == 1 ? "" : "s");
	return status;
}
