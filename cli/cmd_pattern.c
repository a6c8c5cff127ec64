/*
 * cybex pattern check [--strict] [--json] [--quiet] PATTERN
 * cybex pattern match --pattern PATTERN [--json] [--max-size N] FILE...
 *
 * check parses and checks one STIX 2.1 pattern and prints every problem
 * as "pattern:1:COL: error|warning: message", then the pattern with a
 * caret under the first error.  Exit: 0 valid (warnings allowed), 1
 * invalid, 2 usage error.
 *
 * match evaluates the pattern against the observed-data in the files
 * (each a bundle, a JSON list of bundles, or a JSON list of objects; '-'
 * is standard input), all together, so that FOLLOWEDBY, WITHIN and
 * REPEATS can span files, and prints the observations that take part in
 * the match.  Exit: 0 match, 1 no match, 2 error (bad pattern, unreadable
 * file, invalid observed-data, or a search too large to decide).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/pattern.h"

#include "cli.h"

#define MATCH_FILE_MAX_DEFAULT	(256LL * 1024 * 1024)

void
cmd_pattern_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex pattern check [--strict] [--json] [--quiet] "
	    "PATTERN\n"
	    "       cybex pattern match --pattern PATTERN [--json] "
	    "[--max-size N] FILE...\n\n"
	    "check: parse and check a STIX 2.1 pattern; every problem is "
	    "printed as\n  pattern:1:COLUMN: error|warning: message [rule]\n"
	    "  --strict     unknown object types and properties, literal "
	    "types that cannot\n"
	    "               match, and dates not on the calendar are errors\n"
	    "  --json       machine-readable results on stdout\n"
	    "  --quiet      no pattern and caret after the problems\n"
	    "  exit status: 0 valid (warnings allowed), 1 invalid, 2 usage "
	    "error\n\n"
	    "match: evaluate the pattern against the observed-data objects "
	    "in FILEs (bundles,\n"
	    "JSON lists of bundles or of objects; '-' is standard input), "
	    "all together,\nand print the observations that match.\n"
	    "  --pattern P  the pattern (required)\n"
	    "  --json       machine-readable results on stdout\n"
	    "  --max-size N largest input file (default 256M; k/M/G "
	    "suffixes)\n"
	    "  exit status: 0 match, 1 no match, 2 error\n");
}

/* ---- check ---- */

struct cstate {
	bool			 json;
	bool			 first;
	unsigned long		 errors;
	unsigned long		 warnings;
	size_t			 err_offset;
	bool			 have_err;
	struct cybex_buf	 out;
};

static void
on_diag(void *ud, const struct cybex_diag *d)
{
	struct cstate *st = ud;
	struct cybex_diag dd = *d;

	if (d->severity == CYBEX_SEV_ERROR) {
		st->errors++;
		if (!st->have_err) {
			st->have_err = true;
			st->err_offset = (size_t)d->offset;
		}
	} else
		st->warnings++;
	if (!st->json && d->rule != NULL) {
		size_t n = strlen(dd.message);

		snprintf(dd.message + n, sizeof(dd.message) - n, " [%s]",
		    d->rule);
	}
	cli_diag_print("pattern", st->json, &st->first, &st->out, &dd,
	    d->line, d->column);
}

/* The pattern on one line and a caret under byte offset off. */
static void
show_caret(const char *s, size_t off)
{
	size_t i, n = strlen(s);

	printf("  ");
	for (i = 0; i < n; i++)
		putchar(s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' :
		    s[i]);
	printf("\n  ");
	for (i = 0; i < off && i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			putchar(' ');
	printf("^\n");
}

static int
pattern_check(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "strict", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_pattern_opts o = { 0 };
	struct cstate st;
	bool quiet = false;
	int ch, r;

	memset(&st, 0, sizeof(st));
	st.first = true;
	while ((ch = getopt_long(argc, argv, "sjqh", lopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			o.flags |= CYBEX_PATTERN_STRICT;
			break;
		case 'j':
			st.json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			cmd_pattern_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_pattern_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	if (optind + 1 != argc) {
		cli_err("cybex pattern check: give exactly one "
		    "PATTERN (quote it for the shell)\n");
		return EXIT_TROUBLE;
	}
	cybex_buf_init(&st.out, 1u << 20);
	if (st.json)
		printf("{\"diagnostics\":[");
	r = cybex_pattern_new(argv[optind], strlen(argv[optind]), &o, on_diag,
	    &st, NULL, NULL);
	if (st.json)
		printf("\n],\"errors\":%lu,\"warnings\":%lu,\"valid\":%s}\n",
		    st.errors, st.warnings, r == 0 ? "true" : "false");
	else if (st.have_err && !quiet)
		show_caret(argv[optind], st.err_offset);
	cybex_buf_free(&st.out);
	if (fflush(stdout) != 0)
		return EXIT_TROUBLE;
	if (!st.json && !quiet)
		cli_err("%s: %lu error%s, %lu warning%s\n",
		    r == 0 ? "valid" : "invalid", st.errors,
		    st.errors == 1 ? "" : "s", st.warnings,
		    st.warnings == 1 ? "" : "s");
	if (r == 0)
		return EXIT_VALID;
	return r == CYBEX_EFORMAT ? EXIT_INVALID : EXIT_TROUBLE;
}

/* ---- match ---- */

/* The whole file (or stdin) into a malloc'd buffer of at most max. */
static char *
slurp(const char *path, long long max, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
	    open(path, O_RDONLY | O_CLOEXEC);
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0;
	ssize_t k;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (n == cap) {
			if ((long long)cap >= max) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			if ((long long)cap > max)
				cap = (size_t)max;
			if ((nb = realloc(buf, cap + 1)) == NULL)
				goto fail;
			buf = nb;
		}
		if ((k = read(fd, buf + n, cap - n)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*len = n;
	if (fd != STDIN_FILENO)
		close(fd);
	return buf;
 fail:
	free(buf);
	if (fd != STDIN_FILENO)
		close(fd);
	return NULL;
}

static int
pattern_match(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_pattern *p = NULL;
	struct cybex_pattern_obsset *set = NULL;
	struct cybex_pattern_result res;
	struct cybex_diag d;
	struct cybex_buf b;
	const char *pat = NULL, **fileof = NULL;
	json_t **docs = NULL, *root;
	long long max = MATCH_FILE_MAX_DEFAULT;
	bool json = false;
	size_t len, i, ndocs = 0, before;
	char *text;
	int ch, r, status = EXIT_TROUBLE;

	memset(&res, 0, sizeof(res));
	cybex_buf_init(&b, 1u << 20);
	while ((ch = getopt_long(argc, argv, "p:jm:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			pat = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'm':
			if ((max = cli_parse_size(optarg)) <= 0) {
				cli_err("cybex pattern match: bad "
				    "--max-size '%s'\n", optarg);
				goto out;
			}
			break;
		case 'h':
			cmd_pattern_usage(stdout);
			status = EXIT_VALID;
			goto out;
		default:
			cmd_pattern_usage(stderr);
			goto out;
		}
	}
	if (pat == NULL || optind >= argc) {
		cli_err("cybex pattern match: need --pattern and at "
		    "least one FILE\n");
		goto out;
	}
	if (cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL, &p, &d) !=
	    0) {
		cli_err("cybex pattern match: invalid pattern: column "
		    "%lu: %s\n", d.column, d.message);
		goto out;
	}
	if (cybex_pattern_obsset_new(0, &set) != 0 ||
	    (docs = calloc((size_t)(argc - optind), sizeof(*docs))) == NULL ||
	    (fileof = calloc(CYBEX_PATTERN_OBS_MAX_DEFAULT,
	    sizeof(*fileof))) == NULL) {
		cli_err("cybex pattern match: out of memory\n");
		goto out;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if ((text = slurp(argv[i], max, &len)) == NULL) {
			cli_err("cybex pattern match: %s: %s\n",
			    argv[i], strerror(errno));
			goto out;
		}
		r = cybex_json_parse(text, len, 0, &root, &d);
		free(text);
		if (r != 0) {
			cli_err("%s:%lu:%lu: error: %s\n", argv[i],
			    d.line, d.column, d.message);
			goto out;
		}
		docs[ndocs++] = root;
		before = cybex_pattern_obsset_count(set);
		if (cybex_pattern_obsset_add_json(set, root, NULL, &d) != 0) {
			cli_err("%s: error: %s\n", argv[i], d.message);
			goto out;
		}
		for (; before < cybex_pattern_obsset_count(set); before++)
			fileof[before] = argv[i];
	}
	if ((r = cybex_pattern_match(p, set, NULL, &res, &d)) != 0) {
		cli_err("cybex pattern match: %s\n", d.message);
		goto out;
	}
	status = res.matched ? EXIT_VALID : EXIT_INVALID;
	if (json) {
		printf("{\"matched\":%s,\"observations\":[",
		    res.matched ? "true" : "false");
		for (i = 0; i < res.nobs; i++) {
			cybex_buf_reset(&b);
			cybex_buf_puts(&b, i > 0 ? ",{\"file\":" : "{\"file\":");
			cli_json_str(&b, fileof[res.obs[i]]);
			cybex_buf_puts(&b, ",\"id\":");
			cli_json_str(&b, cybex_pattern_obsset_id(set,
			    res.obs[i]));
			cybex_buf_putc(&b, '}');
			fwrite(b.data, 1, b.len, stdout);
		}
		printf("],\"observations_total\":%zu,\"bindings\":%zu}\n",
		    cybex_pattern_obsset_count(set), res.nbindings);
	} else {
		printf("%s: %zu of %zu observed-data object%s\n",
		    res.matched ? "match" : "no match", res.nobs,
		    cybex_pattern_obsset_count(set),
		    cybex_pattern_obsset_count(set) == 1 ? "" : "s");
		for (i = 0; i < res.nobs; i++) {
			const char *id = cybex_pattern_obsset_id(set,
			    res.obs[i]);
			struct cybex_time f, l;
			uint32_t count;
			char fs[40], ls[40];

			cybex_pattern_obsset_times(set, res.obs[i], &f, &l,
			    &count);
			if (cybex_time_format(&f, fs, sizeof(fs)) < 0 ||
			    cybex_time_format(&l, ls, sizeof(ls)) < 0)
				fs[0] = ls[0] = '\0';
			cli_out("  %s: %s %s .. %s x%u\n", fileof[res.obs[i]],
			    id != NULL ? id : "(no id)", fs, ls,
			    (unsigned)count);
		}
	}
	if (fflush(stdout) != 0)
		status = EXIT_TROUBLE;
 out:
	cybex_pattern_result_clear(&res);
	cybex_pattern_free(p);
	cybex_pattern_obsset_free(set);
	for (i = 0; i < ndocs; i++)
		json_decref(docs[i]);
	free(docs);
	free(fileof);
	cybex_buf_free(&b);
	return status;
}

int
cmd_pattern(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cmd_pattern_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	if (strcmp(argv[1], "check") == 0)
		return pattern_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "match") == 0)
		return pattern_match(argc - 1, argv + 1);
	cli_err("cybex pattern: unknown subcommand '%s' (check or "
	    "match)\n", argv[1]);
	return EXIT_TROUBLE;
}
