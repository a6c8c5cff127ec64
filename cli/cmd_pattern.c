/*
 * cybex pattern check [--strict] [--json] [--quiet] PATTERN
 * cybex pattern match --pattern PATTERN|--patterns PFILE [--json]
 *     [--max-size N] FILE...
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
 * file, invalid observed-data, or a search too large to decide).  With
 * --patterns, every pattern of PFILE (one a line) is evaluated against the
 * same observations, read once: exit 0 when any matches.
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
	    "       cybex pattern match --pattern PATTERN|--patterns PFILE "
	    "[--json]\n"
	    "                           [--max-size N] FILE...\n\n"
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
	    "  --pattern P  the pattern\n"
	    "  --patterns PFILE  many patterns, one a line ('#' starts a "
	    "comment line;\n"
	    "               '-' is standard input), each evaluated against "
	    "the same\n"
	    "               observations, read once; an invalid one is "
	    "reported as\n"
	    "               PFILE:LINE:COLUMN and nothing is evaluated\n"
	    "  --json       machine-readable results on stdout\n"
	    "  --max-size N largest input file (default 256M; k/M/G "
	    "suffixes)\n"
	    "  exit status: 0 match (with --patterns: any), 1 no match, "
	    "2 error\n");
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

/* One pattern to evaluate: from --pattern (line 0) or a line of a file. */
struct mpat {
	struct cybex_pattern	*p;
	char			*text;
	unsigned long		 line;
};

/*
 * Read the patterns of FILE, one a line ('#' comments and blank lines
 * skipped), appending to *v.  Every invalid pattern is reported as
 * FILE:LINE:COLUMN; returns the number of invalid ones, or -1 when the
 * file cannot be read.
 */
static long
read_patterns(const char *path, long long max, struct mpat **v, size_t *n,
    size_t *cap)
{
	struct cybex_diag d;
	struct mpat *nv;
	char *buf, *line, *nl, *e;
	size_t len;
	unsigned long ln = 0;
	long bad = 0;

	if ((buf = slurp(path, max, &len)) == NULL) {
		cli_err("cybex pattern match: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	for (line = buf; line < buf + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(buf + len - line))) ==
		    NULL)
			nl = buf + len;
		*nl = '\0';
		ln++;
		e = nl;
		while (e > line && (e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'))
			*--e = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			if ((nv = realloc(*v, *cap * sizeof(**v))) == NULL) {
				cli_err("cybex pattern match: out of "
				    "memory\n");
				bad = -1;
				break;
			}
			*v = nv;
		}
		memset(&(*v)[*n], 0, sizeof(**v));
		if (cybex_pattern_new(line, strlen(line), NULL, NULL, NULL,
		    &(*v)[*n].p, &d) != 0) {
			cli_err("%s:%lu:%lu: error: %s\n", path, ln,
			    d.column, d.message);
			bad++;
			continue;
		}
		if (((*v)[*n].text = strdup(line)) == NULL) {
			cybex_pattern_free((*v)[*n].p);
			cli_err("cybex pattern match: out of memory\n");
			bad = -1;
			break;
		}
		(*v)[*n].line = ln;
		(*n)++;
	}
	free(buf);
	return bad;
}

/* Print the result of one pattern; *first tracks the JSON list. */
static void
print_result(const struct mpat *m, bool many, bool json,
    const struct cybex_pattern_result *res,
    struct cybex_pattern_obsset *set, const char **fileof,
    struct cybex_buf *b, bool *first)
{
	size_t i;

	if (json) {
		cybex_buf_reset(b);
		if (many) {
			cybex_buf_puts(b, *first ? "{" : ",{");
			if (m->line > 0) {
				char ls[32];

				snprintf(ls, sizeof(ls), "\"line\":%lu,",
				    m->line);
				cybex_buf_puts(b, ls);
			}
			cybex_buf_puts(b, "\"pattern\":");
			cli_json_str(b, m->text);
			cybex_buf_putc(b, ',');
		} else
			cybex_buf_putc(b, '{');
		cybex_buf_puts(b, res->matched ? "\"matched\":true" :
		    "\"matched\":false");
		cybex_buf_puts(b, ",\"observations\":[");
		for (i = 0; i < res->nobs; i++) {
			cybex_buf_puts(b, i > 0 ? ",{\"file\":" : "{\"file\":");
			cli_json_str(b, fileof[res->obs[i]]);
			cybex_buf_puts(b, ",\"id\":");
			cli_json_str(b, cybex_pattern_obsset_id(set,
			    res->obs[i]));
			cybex_buf_putc(b, '}');
		}
		cybex_buf_putc(b, ']');
		if (!many) {
			char tail[96];

			snprintf(tail, sizeof(tail),
			    ",\"observations_total\":%zu,\"bindings\":%zu}\n",
			    cybex_pattern_obsset_count(set), res->nbindings);
			cybex_buf_puts(b, tail);
		} else
			cybex_buf_putc(b, '}');
		fwrite(b->data, 1, b->len, stdout);
		*first = false;
		return;
	}
	if (many)
		printf("%s%lu: ", m->line > 0 ? "line " : "--pattern",
		    m->line > 0 ? m->line : 0UL);
	printf("%s: %zu of %zu observed-data object%s\n",
	    res->matched ? "match" : "no match", res->nobs,
	    cybex_pattern_obsset_count(set),
	    cybex_pattern_obsset_count(set) == 1 ? "" : "s");
	for (i = 0; i < res->nobs; i++) {
		const char *id = cybex_pattern_obsset_id(set, res->obs[i]);
		struct cybex_time f, l;
		uint32_t count;
		char fs[40], ls[40];

		cybex_pattern_obsset_times(set, res->obs[i], &f, &l, &count);
		if (cybex_time_format(&f, fs, sizeof(fs)) < 0 ||
		    cybex_time_format(&l, ls, sizeof(ls)) < 0)
			fs[0] = ls[0] = '\0';
		printf("  %s: %s %s .. %s x%u\n", fileof[res->obs[i]],
		    id != NULL ? id : "(no id)", fs, ls, (unsigned)count);
	}
}

static int
pattern_match(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "pattern", required_argument, NULL, 'p' },
		{ "patterns", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mpat *pats = NULL, *np;
	size_t npats = 0, pcap = 0, nmatched = 0;
	struct cybex_pattern_obsset *set = NULL;
	struct cybex_pattern_result res;
	struct cybex_diag d;
	struct cybex_buf b;
	const char *pat = NULL, *patfile = NULL, **fileof = NULL;
	json_t **docs = NULL, *root;
	long long max = MATCH_FILE_MAX_DEFAULT;
	bool json = false, many, first = true;
	size_t len, i, ndocs = 0, before;
	long bad;
	char *text;
	int ch, r, status = EXIT_TROUBLE;

	memset(&res, 0, sizeof(res));
	cybex_buf_init(&b, 1u << 20);
	while ((ch = getopt_long(argc, argv, "p:P:jm:h", lopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'p':
			pat = optarg;
			break;
		case 'P':
			patfile = optarg;
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
	if ((pat == NULL && patfile == NULL) || optind >= argc) {
		cli_err("cybex pattern match: need --pattern or "
		    "--patterns, and at least one FILE\n");
		goto out;
	}
	if (patfile != NULL && strcmp(patfile, "-") == 0)
		for (i = (size_t)optind; i < (size_t)argc; i++)
			if (strcmp(argv[i], "-") == 0) {
				cli_err("cybex pattern match: standard "
				    "input cannot hold both the patterns and "
				    "observations\n");
				goto out;
			}
	if (pat != NULL) {
		if ((pats = calloc(1, sizeof(*pats))) == NULL)
			goto oom;
		pcap = 1;
		if (cybex_pattern_new(pat, strlen(pat), NULL, NULL, NULL,
		    &pats[0].p, &d) != 0) {
			cli_err("cybex pattern match: invalid pattern: "
			    "column %lu: %s\n", d.column, d.message);
			goto out;
		}
		if ((pats[0].text = strdup(pat)) == NULL) {
			cybex_pattern_free(pats[0].p);
			goto oom;
		}
		npats = 1;
	}
	if (patfile != NULL) {
		if ((bad = read_patterns(patfile, max, &pats, &npats,
		    &pcap)) != 0) {
			if (bad > 0)
				cli_err("cybex pattern match: %ld "
				    "invalid pattern%s in %s; nothing "
				    "evaluated\n", bad, bad == 1 ? "" : "s",
				    patfile);
			goto out;
		}
		if (npats == 0) {
			cli_err("cybex pattern match: %s holds no "
			    "pattern\n", patfile);
			goto out;
		}
	}
	many = patfile != NULL;
	if (cybex_pattern_obsset_new(0, &set) != 0 ||
	    (docs = calloc((size_t)(argc - optind), sizeof(*docs))) == NULL ||
	    (fileof = calloc(CYBEX_PATTERN_OBS_MAX_DEFAULT,
	    sizeof(*fileof))) == NULL)
		goto oom;
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
	if (many && json)
		printf("{\"patterns\":[");
	for (i = 0; i < npats; i++) {
		np = &pats[i];
		cybex_pattern_result_clear(&res);
		if ((r = cybex_pattern_match(np->p, set, NULL, &res, &d)) !=
		    0) {
			if (many)
				cli_err("%s:%lu: error: %s\n", patfile,
				    np->line, d.message);
			else
				cli_err("cybex pattern match: %s\n",
				    d.message);
			goto out;
		}
		if (res.matched)
			nmatched++;
		print_result(np, many, json, &res, set, fileof, &b, &first);
	}
	if (many && json)
		printf("],\"matched\":%zu,\"patterns_total\":%zu,"
		    "\"observations_total\":%zu}\n", nmatched, npats,
		    cybex_pattern_obsset_count(set));
	else if (many)
		printf("%zu of %zu patterns match\n", nmatched, npats);
	status = nmatched > 0 ? EXIT_VALID : EXIT_INVALID;
	if (fflush(stdout) != 0)
		status = EXIT_TROUBLE;
	goto out;
 oom:
	cli_err("cybex pattern match: out of memory\n");
 out:
	cybex_pattern_result_clear(&res);
	for (i = 0; i < npats; i++) {
		cybex_pattern_free(pats[i].p);
		free(pats[i].text);
	}
	free(pats);
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
