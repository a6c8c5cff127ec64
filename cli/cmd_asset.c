/*
 * cybex asset import|list|remove, and cybex vuln affected
 *
 *   asset import --org ORG FILE...   CycloneDX / SPDX JSON or CSV
 *   asset list [--org ORG] [--json]
 *   asset remove --org ORG (ID | --all)
 *   vuln affected [--org ORG] [--collection C] [--json]
 *
 * The inventory is the store's (cybex_store_asset_*); what is affected is
 * cybex_remed_run over the collection's vulnerabilities, in the priority
 * order of docs/vulnerabilities.md.  Each FILE is one transaction.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/store.h"
#include "cybex/vuln.h"

#include "cli.h"

void
cmd_asset_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex asset import --org ORG FILE...\n"
	    "       cybex asset list [--org ORG] [--json]\n"
	    "       cybex asset remove --org ORG (ID | --all)\n\n"
	    "The products a member organization runs, by CPE 2.3 and/or "
	    "package URL with\ntheir versions.  FILE is a CycloneDX JSON SBOM "
	    "(1.4-1.6), an SPDX 2.3 JSON\ndocument or CSV with a header "
	    "naming the columns cpe, purl, name, version\n(any order).  Each "
	    "FILE is stored in one transaction; an error stores nothing\nand "
	    "is printed as file:line:col: error: message [json-pointer].\n"
	    "'cybex vuln affected' lists what the inventory runs that a "
	    "vulnerability affects.\n\n"
	    "  --org ORG        the organization (cybex org add ORG)\n"
	    "  --json           one JSON object a line\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 done, 1 invalid input or not found, 2 usage, I/O "
	    "or database\nerrors.\n");
}

struct aopts {
	struct cli_db	 db;
	const char	*org;
	const char	*coll;
	bool		 json;
	bool		 all;
};

static char *
slurp(const char *prog, const char *path, size_t max, size_t *len)
{
	struct cybex_buf b;
	char chunk[65536];
	ssize_t n;
	int fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_err("cybex %s: %s: %s\n", prog, path, strerror(errno));
		return NULL;
	}
	cybex_buf_init(&b, max + 1);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (cybex_buf_append(&b, chunk, (size_t)n) != 0) {
			errno = EFBIG;
			n = -1;
			break;
		}
	if (fd != STDIN_FILENO)
		close(fd);
	if (n < 0 || cybex_buf_putc(&b, '\0') != 0) {
		if (errno == EFBIG || n >= 0)
			cli_err("cybex %s: %s: larger than %zu bytes\n", prog,
			    path, max);
		else
			cli_err("cybex %s: %s: %s\n", prog, path,
			    strerror(errno));
		cybex_buf_free(&b);
		return NULL;
	}
	*len = b.len - 1;
	return b.data;
}

static void
print_diag(const char *file, const struct cybex_diag *d)
{
	if (d->pointer[0] != '\0')
		cli_err("%s:%lu:%lu: error: %s [%s]\n", file,
		    d->line > 0 ? d->line : 1, d->column > 0 ? d->column : 1,
		    d->message, d->pointer);
	else
		cli_err("%s:%lu:%lu: error: %s\n", file,
		    d->line > 0 ? d->line : 1, d->column > 0 ? d->column : 1,
		    d->message);
}

struct importer {
	struct cybex_store	*s;
	const char		*org;
	const char		*file;
	struct cybex_diag	*d;
	unsigned long		 added, present;
};

static int
on_item(void *ud, const struct cybex_sbom_item *it)
{
	struct importer *im = ud;
	struct cybex_asset a;
	bool added;
	int r;

	memset(&a, 0, sizeof(a));
	a.org = im->org;
	a.cpe = it->cpe;
	a.purl = it->purl;
	a.version = it->version;
	a.name = it->name;
	a.source = im->file;
	if ((r = cybex_store_asset_add(im->s, &a, &added, im->d)) != 0) {
		im->d->line = it->line;
		if (it->pointer != NULL)
			snprintf(im->d->pointer, sizeof(im->d->pointer), "%s",
			    it->pointer);
		return r;
	}
	if (added)
		im->added++;
	else
		im->present++;
	return 0;
}

static int
do_import(const struct aopts *o, int nfiles, char **files)
{
	struct importer im;
	struct cybex_store *s;
	struct cybex_diag d;
	int status = EXIT_VALID, i, r;
	size_t len;
	char *buf;

	if ((s = cli_store_open("asset", &o->db, CLI_DB_WRITE, NULL, 0)) ==
	    NULL)
		return EXIT_TROUBLE;
	memset(&im, 0, sizeof(im));
	im.s = s;
	im.org = o->org;
	im.d = &d;
	for (i = 0; i < nfiles; i++) {
		if ((buf = slurp("asset", files[i], CYBEX_SBOM_MAX,
		    &len)) == NULL) {
			status = EXIT_TROUBLE;
			continue;
		}
		im.file = files[i];
		cybex_diag_clear(&d);
		if ((r = cybex_store_begin(s, &d)) == 0) {
			r = cybex_sbom_read(buf, len, on_item, &im, &d);
			if (r == 0)
				r = cybex_store_commit(s, &d);
			else
				cybex_store_rollback(s);
		}
		cybex_free(buf);
		if (r == 0)
			continue;
		if (r == CYBEX_ENOTFOUND) {
			cli_err("cybex asset: %s (create it with: cybex org add "
			    "%s)\n", d.message, o->org);
			status = EXIT_INVALID;
			break;
		}
		print_diag(files[i], &d);
		if (status == EXIT_VALID)
			status = r == CYBEX_EDB || r == CYBEX_ENOMEM ||
			    r == CYBEX_EIO ? EXIT_TROUBLE : EXIT_INVALID;
	}
	cli_err("cybex asset: %lu added, %lu already present\n", im.added,
	    im.present);
	cybex_store_close(s);
	return status;
}

/* s as a JSON string, or null. */
static void
jstr_or_null(struct cybex_buf *b, const char *s)
{
	if (s == NULL)
		cybex_buf_puts(b, "null");
	else
		cli_json_str(b, s);
}

static int
on_asset(void *ud, const struct cybex_asset *a)
{
	const struct aopts *o = ud;
	struct cybex_buf b;

	if (!o->json) {
		cli_out("%lld %s %s %s %s %s\n", (long long)a->id, a->org,
		    a->cpe != NULL ? a->cpe : "-",
		    a->purl != NULL ? a->purl : "-",
		    a->version != NULL ? a->version : "-",
		    a->name != NULL ? a->name : "-");
		return 0;
	}
	cybex_buf_init(&b, 0);
	cybex_buf_printf(&b, "{\"id\":%lld,\"org\":", (long long)a->id);
	cli_json_str(&b, a->org);
	cybex_buf_puts(&b, ",\"cpe\":");
	jstr_or_null(&b, a->cpe);
	cybex_buf_puts(&b, ",\"purl\":");
	jstr_or_null(&b, a->purl);
	cybex_buf_puts(&b, ",\"version\":");
	jstr_or_null(&b, a->version);
	cybex_buf_puts(&b, ",\"name\":");
	jstr_or_null(&b, a->name);
	cybex_buf_puts(&b, "}\n");
	if (b.data != NULL)
		fputs(b.data, stdout);
	cybex_buf_free(&b);
	return 0;
}

static int
do_list(const struct aopts *o)
{
	struct cybex_store *s;
	struct cybex_diag d;
	int r;

	if ((s = cli_store_open("asset", &o->db, CLI_DB_READ, NULL, 0)) ==
	    NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	r = cybex_store_asset_list(s, o->org, on_asset, (void *)o, &d);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex asset: %s\n", d.message);
		return r == CYBEX_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
	}
	return EXIT_VALID;
}

static int
do_remove(const struct aopts *o, const char *idarg)
{
	struct cybex_store *s;
	struct cybex_diag d;
	uint64_t removed = 0;
	long long id = 0;
	char *end;
	int r;

	if (idarg != NULL) {
		errno = 0;
		id = strtoll(idarg, &end, 10);
		if (errno != 0 || *end != '\0' || id <= 0) {
			cli_err("cybex asset: bad asset id '%s'\n", idarg);
			return EXIT_TROUBLE;
		}
	}
	if ((s = cli_store_open("asset", &o->db, CLI_DB_WRITE, NULL, 0)) ==
	    NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	r = cybex_store_asset_remove(s, o->org, id, &removed, &d);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex asset: %s\n", d.message);
		return r == CYBEX_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
	}
	cli_err("cybex asset: %llu removed\n", (unsigned long long)removed);
	return EXIT_VALID;
}

static int
parse_opts(const char *prog, int argc, char **argv, struct aopts *o,
    void (*usage)(FILE *), int *next)
{
	static const struct option longopts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "collection", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_db_option(&o->db, ch, optarg))
			continue;
		switch (ch) {
		case 'o':
			o->org = optarg;
			break;
		case 'c':
			o->coll = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_VALID + 100;
		default:
			cli_err("cybex %s: bad option\n", prog);
			usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	*next = optind;
	return -1;
}

int
cmd_asset(int argc, char **argv)
{
	struct aopts o;
	const char *sub;
	int r, next;

	memset(&o, 0, sizeof(o));
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cmd_asset_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	sub = argv[1];
	argc--;
	argv++;
	if ((r = parse_opts("asset", argc, argv, &o, cmd_asset_usage,
	    &next)) >= 0)
		return r >= 100 ? EXIT_VALID : r;
	argc -= next;
	argv += next;
	if (strcmp(sub, "import") == 0 && o.org != NULL && argc >= 1)
		return do_import(&o, argc, argv);
	if (strcmp(sub, "list") == 0 && argc == 0)
		return do_list(&o);
	if (strcmp(sub, "remove") == 0 && o.org != NULL &&
	    ((o.all && argc == 0) || (!o.all && argc == 1)))
		return do_remove(&o, o.all ? NULL : argv[0]);
	cli_err("cybex asset: bad use of '%s'\n", sub);
	cmd_asset_usage(stderr);
	return EXIT_TROUBLE;
}

/* ---- cybex vuln affected ---- */

struct feed {
	struct cybex_remed	*rm;
	int			 err;
};

static int
on_row(void *ud, const struct cybex_row *row)
{
	struct feed *f = ud;
	json_error_t je;
	json_t *o;
	int r;

	if ((o = json_loadb(row->json, row->len, 0, &je)) == NULL)
		return 0;	/* not ours to judge here */
	r = cybex_remed_add_object(f->rm, o);
	json_decref(o);
	return r;
}

static int
on_store_asset(void *ud, const struct cybex_asset *a)
{
	struct cybex_product p = { a->cpe, a->purl, a->version };

	return cybex_remed_add_asset(ud, a->org, a->id, a->name, &p);
}

static void
num(double v, int digits, char *out, size_t outsz)
{
	if (v < 0)
		snprintf(out, outsz, "-");
	else
		snprintf(out, outsz, "%.*f", digits, v);
}

static int
on_affected(void *ud, const struct cybex_remed_row *r)
{
	const struct aopts *o = ud;
	char epss[32], cvss[32];
	struct cybex_buf b;

	num(r->prio.epss, 5, epss, sizeof(epss));
	num(r->prio.cvss, 1, cvss, sizeof(cvss));
	if (!o->json) {
		cli_out("%s %s %s %s %s %s %s %s\n", r->org, r->cve,
		    r->prio.kev ? "KEV" : "-", epss, cvss,
		    r->cpe != NULL ? r->cpe : r->purl,
		    r->version != NULL ? r->version : "-",
		    r->name != NULL ? r->name : "-");
		return 0;
	}
	cybex_buf_init(&b, 0);
	cybex_buf_puts(&b, "{\"org\":");
	cli_json_str(&b, r->org);
	cybex_buf_puts(&b, ",\"cve\":");
	cli_json_str(&b, r->cve);
	cybex_buf_puts(&b, ",\"vulnerability\":");
	cli_json_str(&b, r->vuln_id);
	cybex_buf_printf(&b, ",\"kev\":%s,\"epss\":%s,\"cvss\":%s",
	    r->prio.kev ? "true" : "false",
	    r->prio.epss < 0 ? "null" : epss, r->prio.cvss < 0 ? "null" : cvss);
	cybex_buf_printf(&b, ",\"asset\":%lld,\"name\":", (long long)r->asset_id);
	jstr_or_null(&b, r->name);
	cybex_buf_puts(&b, ",\"cpe\":");
	jstr_or_null(&b, r->cpe);
	cybex_buf_puts(&b, ",\"purl\":");
	jstr_or_null(&b, r->purl);
	cybex_buf_puts(&b, ",\"version\":");
	jstr_or_null(&b, r->version);
	cybex_buf_puts(&b, "}\n");
	if (b.data != NULL)
		fputs(b.data, stdout);
	cybex_buf_free(&b);
	return 0;
}

static void
cmd_vuln_affected_usage(FILE *f)
{
	fprintf(f, "usage: cybex vuln affected [--org ORG] [--collection C] "
	    "[--json]\n\n"
	    "Each asset of the organization (default: every organization) "
	    "that a\nvulnerability of the collection affects, with the CVE, "
	    "KEV flag, EPSS and\nCVSS, by organization and then in priority "
	    "order (KEV, EPSS, CVSS, CVE id).\nPrinted as ORG CVE KEV EPSS "
	    "CVSS CPE|PURL VERSION NAME.\n\n"
	    CLI_DB_HELP);
}

int
cmd_vuln_affected(int argc, char **argv)
{
	static const char *const types[] = { "vulnerability", "x-cybex-kev",
		"x-cybex-epss" };
	struct cybex_collection coll;
	struct cybex_arena *arena = NULL;
	struct cybex_store *s = NULL;
	struct cybex_query q;
	struct cybex_page page;
	struct cybex_diag d;
	struct aopts o;
	struct feed f;
	size_t skipped = 0;
	int r, next, status = EXIT_TROUBLE;

	memset(&o, 0, sizeof(o));
	memset(&f, 0, sizeof(f));
	o.coll = "default";
	if ((r = parse_opts("vuln affected", argc, argv, &o,
	    cmd_vuln_affected_usage, &next)) >= 0)
		return r >= 100 ? EXIT_VALID : r;
	if (next != argc) {
		cmd_vuln_affected_usage(stderr);
		return EXIT_TROUBLE;
	}
	if ((s = cli_store_open("vuln", &o.db, CLI_DB_READ, NULL, 0)) == NULL)
		return EXIT_TROUBLE;
	cybex_diag_clear(&d);
	if (cybex_arena_new(0, &arena) != 0 || cybex_remed_new(&f.rm) != 0) {
		cli_err("cybex vuln: out of memory\n");
		goto out;
	}
	if ((r = cybex_store_collection_get(s, o.coll, arena, &coll,
	    &d)) != 0) {
		cli_err("cybex vuln: collection '%s': %s\n", o.coll, d.message);
		status = r == CYBEX_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
		goto out;
	}
	if ((r = cybex_store_asset_list(s, o.org, on_store_asset, f.rm,
	    &d)) != 0) {
		cli_err("cybex vuln: %s\n", r == CYBEX_ENOMEM ?
		    "out of memory" : d.message);
		status = r == CYBEX_ENOTFOUND ? EXIT_INVALID : EXIT_TROUBLE;
		goto out;
	}
	memset(&q, 0, sizeof(q));
	q.coll_id = coll.id;
	q.types = types;
	q.ntypes = 3;
	q.versions = CYBEX_VERSION_LAST;
	if ((r = cybex_store_query(s, &q, on_row, &f, &page, &d)) != 0 ||
	    (r = cybex_remed_run(f.rm, on_affected, &o, &skipped, &d)) != 0) {
		cli_err("cybex vuln: %s\n", r == CYBEX_ENOMEM ?
		    "out of memory" : d.message);
		goto out;
	}
	if (skipped > 0)
		cli_err("cybex vuln: %zu affected entr%s could not be read "
		    "and were left out\n", skipped, skipped == 1 ? "y" : "ies");
	status = EXIT_VALID;
 out:
	cybex_remed_free(f.rm);
	cybex_arena_free(arena);
	cybex_store_close(s);
	return status;
}
