/*
 * cybex cvss [--json] VECTOR...   (or '-': one vector a line on stdin)
 *
 * Scores each vector and prints "score rating vector" (v4.0 also its
 * nomenclature and macrovector), or with --json one object a line with
 * every sub-score.  An invalid vector is reported as
 * "VECTOR:COLUMN: error: why" and the others are still scored.  Exit: 0
 * all valid, 1 any invalid, 2 usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/vuln.h"

#include "cli.h"

void
cmd_cvss_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex cvss [--json] VECTOR...\n"
	    "       cybex cvss [--json] -      (one vector a line on "
	    "standard input)\n\n"
	    "Score CVSS v2.0 (AV:N/AC:L/Au:N/C:P/I:P/A:P...), v3.0 and v3.1 "
	    "(CVSS:3.1/...)\nand v4.0 (CVSS:4.0/...) vectors, as FIRST's "
	    "specifications compute them.\nVectors are checked strictly: "
	    "every metric known to its version, in the\nspecification's "
	    "order, at most once, every base metric present.\n"
	    "  --json   one JSON object a line: version, score, rating, base, "
	    "impact,\n           exploitability, temporal, environmental "
	    "(v2/v3), nomenclature and\n           macrovector (v4.0)\n"
	    "  exit status: 0 all valid, 1 any invalid vector, 2 usage "
	    "error\n");
}

static const char *
version_name(enum cybex_cvss_version v)
{
	switch (v) {
	case CYBEX_CVSS_V20:
		return "2.0";
	case CYBEX_CVSS_V30:
		return "3.0";
	case CYBEX_CVSS_V31:
		return "3.1";
	case CYBEX_CVSS_V40:
		return "4.0";
	}
	return "?";
}

/* The first 200 bytes of an untrusted vector, control bytes as \xHH. */
static void
print_vector(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	if (n > 200)
		fputs("...", f);
}

/* Score one vector (NUL-terminated, len bytes) and print it; 0 valid. */
static int
one(const char *vec, size_t len, bool json, struct cybex_buf *b)
{
	struct cybex_cvss c;
	struct cybex_diag d;
	char num[64];

	cybex_diag_clear(&d);
	if (cybex_cvss_read(vec, len, &c, &d) != 0) {
		print_vector(stderr, vec, len);
		cli_err(":%lu: error: %s\n", d.column, d.message);
		return 1;
	}
	if (!json) {
		printf("%.1f %s %.*s", c.score, cybex_cvss_rating_name(c.rating),
		    (int)len, vec);
		if (c.version == CYBEX_CVSS_V40)
			printf(" (%s, macrovector %s)", c.nomenclature,
			    c.macrovector);
		putchar('\n');
		return 0;
	}
	cybex_buf_reset(b);
	cybex_buf_puts(b, "{\"vector\":");
	cli_json_str(b, vec);
	snprintf(num, sizeof(num), ",\"version\":\"%s\"",
	    version_name(c.version));
	cybex_buf_puts(b, num);
	snprintf(num, sizeof(num), ",\"score\":%.1f,\"rating\":\"%s\"",
	    c.score, cybex_cvss_rating_name(c.rating));
	cybex_buf_puts(b, num);
	if (c.version == CYBEX_CVSS_V40) {
		cybex_buf_puts(b, ",\"nomenclature\":\"");
		cybex_buf_puts(b, c.nomenclature);
		cybex_buf_puts(b, "\",\"macrovector\":\"");
		cybex_buf_puts(b, c.macrovector);
		cybex_buf_puts(b, "\"}\n");
	} else {
		snprintf(num, sizeof(num), ",\"base\":%.1f,\"impact\":%.1f",
		    c.base, c.impact);
		cybex_buf_puts(b, num);
		snprintf(num, sizeof(num), ",\"exploitability\":%.1f",
		    c.exploitability);
		cybex_buf_puts(b, num);
		snprintf(num, sizeof(num), ",\"temporal\":%.1f",
		    c.temporal);
		cybex_buf_puts(b, num);
		snprintf(num, sizeof(num), ",\"environmental\":%.1f,"
		    "\"modified_impact\":%.1f", c.environmental,
		    c.modified_impact);
		cybex_buf_puts(b, num);
		cybex_buf_puts(b, "}\n");
	}
	fwrite(b->data, 1, b->len, stdout);
	return 0;
}

int
cmd_cvss(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cybex_buf b;
	bool json = false;
	char line[CYBEX_CVSS_VECTOR_MAX + 2];
	size_t n;
	int ch, i, bad = 0, status = EXIT_TROUBLE;
	unsigned long ln = 0;

	cybex_buf_init(&b, 1u << 16);
	while ((ch = getopt_long(argc, argv, "jh", lopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_cvss_usage(stdout);
			status = EXIT_VALID;
			goto out;
		default:
			cmd_cvss_usage(stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		cmd_cvss_usage(stderr);
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			bad |= one(argv[i], strlen(argv[i]), json, &b);
			continue;
		}
		while (fgets(line, sizeof(line), stdin) != NULL) {
			ln++;
			n = strlen(line);
			if (n > 0 && line[n - 1] != '\n' && !feof(stdin)) {
				cli_err("-:%lu: error: a line longer "
				    "than %d bytes\n", ln,
				    CYBEX_CVSS_VECTOR_MAX);
				bad = 1;
				while ((ch = getchar()) != EOF && ch != '\n')
					;
				continue;
			}
			while (n > 0 && (line[n - 1] == '\n' ||
			    line[n - 1] == '\r' || line[n - 1] == ' '))
				line[--n] = '\0';
			if (n == 0 || line[0] == '#')
				continue;
			bad |= one(line, n, json, &b);
		}
	}
	status = bad ? EXIT_INVALID : EXIT_VALID;
	if (fflush(stdout) != 0)
		status = EXIT_TROUBLE;
 out:
	cybex_buf_free(&b);
	return status;
}
