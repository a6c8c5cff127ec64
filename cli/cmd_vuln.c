/*
 * cybex vuln import|kev|epss|list|show
 *
 *   import FILE...   CVE JSON 5.x records to STIX vulnerability objects
 *   kev FILE         the CISA KEV catalogue (JSON) to x-cybex-kev objects
 *   epss FILE        a FIRST EPSS CSV file to x-cybex-epss objects
 *   list             the collection's vulnerabilities in priority order
 *   show CVE-ID      one vulnerability with what is known of it
 *
 * Everything is a STIX object in a collection (--collection, default
 * 'default'), stored through the ordinary store API: each FILE is one
 * transaction, so a bad file stores nothing.  The priority order is
 * cybex_vuln_prio_cmp (docs/vulnerabilities.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "cybex/stix.h"
#include "cybex/store.h"
#include "cybex/vuln.h"

#include "cli.h"

void
cmd_vuln_usage(FILE *f)
{
	fprintf(f,
	    "usage: cybex vuln import [OPTIONS] FILE...   CVE JSON 5.x records\n"
	    "       cybex vuln kev [OPTIONS] FILE         CISA KEV catalogue "
	    "(JSON)\n"
	    "       cybex vuln epss [OPTIONS] FILE        FIRST EPSS scores "
	    "(CSV)\n"
	    "       cybex vuln list [OPTIONS] [--limit N] [--json]\n"
	    "       cybex vuln show [OPTIONS] [--json] CVE-ID\n"
	    "       cybex vuln affected [--org ORG] [OPTIONS] [--json]\n\n"
	    "Vulnerabilities are STIX objects in a collection: 'vulnerability'"
	    " (from CVE\nrecords), 'x-cybex-kev' and 'x-cybex-epss'.  Each FILE "
	    "is stored in one\ntransaction: a file with an error stores "
	    "nothing, and the error is printed\nas file:line:col: error: "
	    "message [json-pointer].  'list' orders by priority:\nknown "
	    "exploited (KEV) first, then the higher EPSS probability, then "
	    "the\nhigher CVSS score (docs/vulnerabilities.md).\n\n"
	    "  --collection C   collection id or alias (default: 'default')\n"
	    "  --limit N        list at most N (default: all)\n"
	    "  --json           one JSON object a line\n"
	    CLI_DB_HELP "\n"
	    "exit status: 0 done, 1 invalid input (or show: not found), "
	    "2 usage, I/O or\ndatabase errors.\n");
}

struct vopts {
	struct cli_db	 db;
	const char	*coll;
	bool		 json;
	size_t		 limit;
};

/* The whole file (or stdin for "-"), NUL-terminated; NULL when printed. */
static char *
slurp(const char *path, size_t max, size_t *len)
{
	struct cybex_buf b;
	char chunk[65536];
	ssize_t n;
	int fd;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_err("cybex vuln: %s: %s\n", path, strerror(errno));
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
			cli_err("cybex vuln: %s: larger than %zu bytes\n",
			    path, max);
		else
			cli_err("cybex vuln: %s: %s\n", path, strerror(errno));
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

/* What the puts of one file did. */
struct putter {
	struct cybex_store	*s;
	const char		*coll_id;
	struct cybex_buf	 text;
	struct cybex_diag	*d;
	unsigned long		 added, present, total;
};

struct first_error {
	bool			 seen;
	struct cybex_diag	 d;
};

static void
keep_first(void *ud, const struct cybex_diag *d)
{
	struct first_error *fe = ud;

	if (!fe->seen && d->severity == CYBEX_SEV_ERROR) {
		fe->seen = true;
		fe->d = *d;
	}
}

/* Validate and store one object the vuln module made. */
static int
put_obj(void *ud, json_t *obj)
{
	struct putter *p = ud;
	struct first_error fe;
	enum cybex_put_result res;
	int r;

	memset(&fe, 0, sizeof(fe));
	if (cybex_stix_validate(obj, NULL, NULL, keep_first, &fe, NULL) != 0)
		return cybex_diag_set(p->d, CYBEX_EINTERNAL, "the %s made of "
		    "it is not valid STIX (%s: %s)",
		    json_string_value(json_object_get(obj, "type")),
		    fe.d.pointer, fe.d.message);
	cybex_buf_reset(&p->text);
	if ((r = cybex_json_write(obj, 0, &p->text)) != 0)
		return cybex_diag_set(p->d, r, "cannot write an object");
	if ((r = cybex_store_put(p->s, p->coll_id, obj, p->text.data,
	    p->text.len, &res, p->d)) != 0) {
		if (r == CYBEX_ECONFLICT)
			cybex_diag_set(p->d, r, "%s: the stored object of the "
			    "same version differs (the source changed it "
			    "without a new date)", json_string_value(
			    json_object_get(obj, "id")));
		return r;
	}
	p->total++;
	if (res == CYBEX_PUT_PRESENT)
		p->present++;
	else
		p->added++;
	return 0;
}

static struct cybex_store *
open_coll(const struct vopts *o, int mode, struct cybex_arena **arena,
    struct cybex_collection *coll)
{
	struct cybex_store *s;
	struct cybex_diag d;
	int r;

	*arena = NULL;
	if ((s = cli_store_open("vuln", &o->db, mode, NULL, 0)) == NULL)
		return NULL;
	if (cybex_arena_new(0, arena) != 0) {
		cli_err("cybex vuln: out of memory\n");
		goto fail;
	}
	cybex_diag_clear(&d);
	if ((r = cybex_store_collection_get(s, o->coll, *arena, coll,
	    &d)) != 0) {
		if (r == CYBEX_ENOTFOUND)
			cli_err("cybex vuln: no collection '%s' (create it "
			    "with: cybex collection add --alias '%s' --title "
			    "TITLE)\n", o->coll, o->coll);
		else
			cli_err("cybex vuln: collection '%s': %s\n", o->coll,
			    d.message);
		goto fail;
	}
	return s;
 fail:
	cybex_arena_free(*arena);
	*arena = NULL;
	cybex_store_close(s);
	return NULL;
}

enum vkind { V_CVE, V_KEV, V_EPSS };

/* Read and store each file, one transaction each. */
static int
do_import(const struct vopts *o, enum vkind kind, int nfiles, char **files)
{
	static const size_t max[] = { CYBEX_CVE_MAX, CYBEX_KEV_MAX,
		CYBEX_EPSS_MAX };
	struct cybex_collection coll;
	struct cybex_arena *arena;
	struct cybex_store *s;
	struct cybex_diag d;
	struct putter p;
	int i, r, status = EXIT_VALID;
	unsigned long skipped = 0;

	if ((s = open_coll(o, CLI_DB_WRITE, &arena, &coll)) == NULL)
		return EXIT_TROUBLE;
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.coll_id = coll.id;
	p.d = &d;
	cybex_buf_init(&p.text, 0);
	for (i = 0; i < nfiles; i++) {
		unsigned long added0 = p.added, present0 = p.present;
		char *buf;
		size_t len;
		json_t *obj = NULL;

		if ((buf = slurp(files[i], max[kind], &len)) == NULL) {
			status = EXIT_TROUBLE;
			continue;
		}
		cybex_diag_clear(&d);
		if ((r = cybex_store_begin(s, &d)) != 0) {
			cli_err("cybex vuln: %s\n", d.message);
			free(buf);
			status = EXIT_TROUBLE;
			break;
		}
		switch (kind) {
		case V_CVE:
			if ((r = cybex_cve_read(buf, len, &obj, &d)) == 0) {
				if (obj == NULL)
					skipped++;
				else
					r = put_obj(&p, obj);
			}
			json_decref(obj);
			break;
		case V_KEV:
			r = cybex_kev_read(buf, len, put_obj, &p, &d);
			break;
		case V_EPSS:
			r = cybex_epss_read(buf, len, put_obj, &p, &d);
			break;
		}
		free(buf);
		if (r == 0)
			r = cybex_store_commit(s, &d);
		if (r != 0) {
			cybex_store_rollback(s);
			p.added = added0;
			p.present = present0;
			print_diag(files[i], &d);
			if (r == CYBEX_EJSON || r == CYBEX_EFORMAT ||
			    r == CYBEX_EVERSION || r == CYBEX_ETOOBIG ||
			    r == CYBEX_ECONFLICT || r == CYBEX_EPOLICY) {
				if (status == EXIT_VALID)
					status = EXIT_INVALID;
			} else
				status = EXIT_TROUBLE;
		}
	}
	cli_err("cybex vuln: %lu added, %lu already present%s", p.added,
	    p.present, skipped > 0 ? "" : "\n");
	if (skipped > 0)
		cli_err(", %lu rejected CVE record%s skipped\n", skipped,
		    skipped == 1 ? "" : "s");
	cybex_buf_free(&p.text);
	cybex_arena_free(arena);
	cybex_store_close(s);
	return status;
}

/* ---- list and show ---- */

static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}


/* What the collection says of one CVE (the newest of each kind). */
struct ventry {
	char		 cve[32];
	json_t		*vuln;		/* the vulnerability object, or NULL */
	json_t		*kev;
	json_t		*epss;
	struct cybex_vuln_prio prio;
};

struct gather {
	struct ventry	*v;
	size_t		 n, cap;
	const char	*only;		/* show: this CVE only */
	int		 err;
	/* The newest KEV catalogue's dateReleased (its entries' modified). */
	char		 kev_newest[32];
};

static struct ventry *
entry_of(struct gather *g, const char *cve)
{
	size_t i;

	/* Linear for show, sorted merge later for list: see fold(). */
	if (g->only != NULL) {
		if (strcmp(cve, g->only) != 0)
			return NULL;
		if (g->n == 1)
			return &g->v[0];
	}
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 256;
		struct ventry *nv = cybex_reallocarray(g->v, nc, sizeof(*nv));

		if (nv == NULL) {
			g->err = CYBEX_ENOMEM;
			return NULL;
		}
		g->v = nv;
		g->cap = nc;
	}
	i = g->n++;
	memset(&g->v[i], 0, sizeof(g->v[i]));
	snprintf(g->v[i].cve, sizeof(g->v[i].cve), "%s", cve);
	g->v[i].prio.epss = -1;
	g->v[i].prio.cvss = -1;
	return &g->v[i];
}

/* The CVE id of a vulnerability: its external reference "cve". */
static const char *
cve_of_vuln(const json_t *o)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(o, "external_references"), i, e)
		if (strcmp(json_string_value(json_object_get(e,
		    "source_name")) != NULL ? json_string_value(
		    json_object_get(e, "source_name")) : "", "cve") == 0)
			return json_string_value(json_object_get(e,
			    "external_id"));
	return NULL;
}

/* The first line of s, cut at 60 bytes on a UTF-8 boundary. */
static void
summary(const char *s, char *out, size_t outsz)
{
	size_t n = strcspn(s, "\r\n");

	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* The highest CVSS score (cybex's) of a vulnerability; -1 when none. */
static double
max_cvss(const json_t *v)
{
	const json_t *m;
	double best = -1;
	size_t i;

	json_array_foreach(json_object_get(v, "x_cybex_cvss"), i, m)
		if (json_is_number(json_object_get(m, "score")) &&
		    json_number_value(json_object_get(m, "score")) > best)
			best = json_number_value(json_object_get(m, "score"));
	return best;
}

/*
 * For list: only what the order and the table use, so that a collection
 * of every CVE (300,000 records of up to megabytes) fits in memory.
 */
static json_t *
slim(const char *type, json_t *o)
{
	char line[64];
	json_t *x;

	if (strcmp(type, "vulnerability") == 0) {
		summary(jstr(o, "description"), line, sizeof(line));
		x = json_pack("{s:s,s:[{s:f}]}", "description", line,
		    "x_cybex_cvss", "score", max_cvss(o));
	} else if (strcmp(type, "x-cybex-kev") == 0) {
		summary(jstr(o, "vulnerability_name"), line, sizeof(line));
		x = json_pack("{s:s,s:s}", "modified", jstr(o, "modified"),
		    "vulnerability_name", line);
	} else
		x = json_pack("{s:O,s:s}", "epss", json_object_get(o, "epss"),
		    "score_date", jstr(o, "score_date"));
	json_decref(o);
	return x;
}

static int
on_row(void *ud, const struct cybex_row *row)
{
	struct gather *g = ud;
	const char *cve;
	struct ventry *e;
	json_error_t je;
	json_t *o, **slot;

	if ((o = json_loadb(row->json, row->len, 0, &je)) == NULL)
		return 0;	/* not ours to judge here */
	if (strcmp(row->type, "vulnerability") == 0)
		cve = cve_of_vuln(o);
	else
		cve = json_string_value(json_object_get(o, "cve_id"));
	if (cve == NULL || strlen(cve) >= 32) {
		json_decref(o);
		return 0;
	}
	if (strcmp(row->type, "x-cybex-kev") == 0 && strcmp(jstr(o,
	    "modified"), g->kev_newest) > 0)
		snprintf(g->kev_newest, sizeof(g->kev_newest), "%s",
		    jstr(o, "modified"));
	/* Each row is one object: merged with its CVE's entries in fold(). */
	if ((e = entry_of(g, cve)) == NULL) {
		json_decref(o);
		return g->err;
	}
	if (g->only == NULL && (o = slim(row->type, o)) == NULL)
		return CYBEX_ENOMEM;
	slot = strcmp(row->type, "vulnerability") == 0 ? &e->vuln :
	    strcmp(row->type, "x-cybex-kev") == 0 ? &e->kev : &e->epss;
	/* show: the newest EPSS score date wins. */
	if (*slot != NULL && slot == &e->epss && strcmp(json_string_value(
	    json_object_get(*slot, "score_date")), json_string_value(
	    json_object_get(o, "score_date")) != NULL ? json_string_value(
	    json_object_get(o, "score_date")) : "") >= 0) {
		json_decref(o);
		return 0;
	}
	json_decref(*slot);
	*slot = o;
	return 0;
}

static int
cmp_cve(const void *a, const void *b)
{
	const struct ventry *x = a, *y = b;

	return strcmp(x->cve, y->cve);
}

static int
cmp_prio(const void *a, const void *b)
{
	const struct ventry *x = a, *y = b;
	int r = cybex_vuln_prio_cmp(&x->prio, &y->prio);

	return r != 0 ? r : strcmp(x->cve, y->cve);
}

/* Merge the entries of one CVE (sorted by CVE) and fill prio. */
static void
fold(struct gather *g)
{
	size_t i, j = 0;

	qsort(g->v, g->n, sizeof(*g->v), cmp_cve);
	for (i = 0; i < g->n; i++) {
		struct ventry *a = &g->v[i];

		if (j > 0 && strcmp(g->v[j - 1].cve, a->cve) == 0) {
			struct ventry *t = &g->v[j - 1];

			if (a->vuln != NULL) {
				json_decref(t->vuln);
				t->vuln = a->vuln;
			}
			if (a->kev != NULL) {
				json_decref(t->kev);
				t->kev = a->kev;
			}
			if (a->epss != NULL && (t->epss == NULL ||
			    strcmp(json_string_value(json_object_get(a->epss,
			    "score_date")), json_string_value(json_object_get(
			    t->epss, "score_date"))) > 0)) {
				json_decref(t->epss);
				t->epss = a->epss;
			} else
				json_decref(a->epss);
			continue;
		}
		g->v[j++] = *a;
	}
	g->n = j;
	for (i = 0; i < g->n; i++) {
		struct ventry *e = &g->v[i];

		/*
		 * Each catalogue is the whole list: an entry the newest one
		 * no longer has is no longer known exploited.
		 */
		e->prio.kev = e->kev != NULL && strcmp(jstr(e->kev,
		    "modified"), g->kev_newest) == 0;
		e->prio.epss = e->epss != NULL ? json_number_value(
		    json_object_get(e->epss, "epss")) : -1;
		e->prio.cvss = e->vuln != NULL ? max_cvss(e->vuln) : -1;
	}
}

static void
gather_free(struct gather *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		json_decref(g->v[i].vuln);
		json_decref(g->v[i].kev);
		json_decref(g->v[i].epss);
	}
	cybex_free(g->v);
}

static int
gather(const struct vopts *o, struct gather *g)
{
	static const char *const types[] = { "vulnerability", "x-cybex-kev",
		"x-cybex-epss" };
	struct cybex_collection coll;
	struct cybex_arena *arena;
	struct cybex_store *s;
	struct cybex_query q;
	struct cybex_page page;
	struct cybex_diag d;
	int r;

	if ((s = open_coll(o, CLI_DB_READ, &arena, &coll)) == NULL)
		return EXIT_TROUBLE;
	memset(&q, 0, sizeof(q));
	q.coll_id = coll.id;
	q.types = types;
	q.ntypes = 3;
	q.versions = CYBEX_VERSION_LAST;
	cybex_diag_clear(&d);
	r = cybex_store_query(s, &q, on_row, g, &page, &d);
	cybex_arena_free(arena);
	cybex_store_close(s);
	if (r != 0) {
		cli_err("cybex vuln: %s\n", r == CYBEX_ENOMEM ?
		    "out of memory" : d.message);
		return EXIT_TROUBLE;
	}
	fold(g);
	return EXIT_VALID;
}

/* One entry as JSON: cve, priority fields, name, kev, epss. */
static void
entry_json(const struct ventry *e, bool full, struct cybex_buf *b)
{
	json_t *j = json_object();

	json_object_set_new(j, "cve", json_string(e->cve));
	json_object_set_new(j, "kev", json_boolean(e->prio.kev));
	json_object_set_new(j, "epss", e->prio.epss >= 0 ?
	    json_real(e->prio.epss) : json_null());
	json_object_set_new(j, "cvss", e->prio.cvss >= 0 ?
	    json_real(e->prio.cvss) : json_null());
	if (full) {
		if (e->vuln != NULL)
			json_object_set(j, "vulnerability", e->vuln);
		if (e->kev != NULL)
			json_object_set(j, "x-cybex-kev", e->kev);
		if (e->epss != NULL)
			json_object_set(j, "x-cybex-epss", e->epss);
	} else if (e->vuln != NULL)
		json_object_set_new(j, "description", json_string(
		    jstr(e->vuln, "description")));
	cybex_buf_reset(b);
	if (cybex_json_write(j, 0, b) == 0) {
		fwrite(b->data, 1, b->len, stdout);
		putchar('\n');
	}
	json_decref(j);
}

/* "9.8" or "-" into out[8]. */
static const char *
num(double v, int digits, char *out)
{
	if (v < 0)
		snprintf(out, 8, "-");
	else
		snprintf(out, 8, "%.*f", digits, v);
	return out;
}

static int
do_list(const struct vopts *o)
{
	struct gather g;
	struct cybex_buf b;
	char e1[8], e2[8], line[64];
	size_t i;
	int r;

	memset(&g, 0, sizeof(g));
	if ((r = gather(o, &g)) != EXIT_VALID)
		goto out;
	qsort(g.v, g.n, sizeof(*g.v), cmp_prio);
	cybex_buf_init(&b, 0);
	if (!o->json)
		printf("%-16s %-3s %-7s %-4s %s\n", "CVE", "KEV", "EPSS",
		    "CVSS", "DESCRIPTION");
	for (i = 0; i < g.n && (o->limit == 0 || i < o->limit); i++) {
		const struct ventry *e = &g.v[i];

		if (o->json) {
			entry_json(e, false, &b);
			continue;
		}
		summary(e->vuln != NULL ? jstr(e->vuln, "description") :
		    e->kev != NULL ? jstr(e->kev, "vulnerability_name") : "",
		    line, sizeof(line));
		cli_out("%-16s %-3s %-7s %-4s %s\n", e->cve,
		    e->prio.kev ? "yes" : "-", num(e->prio.epss, 5, e1),
		    num(e->prio.cvss, 1, e2), line);
	}
	cybex_buf_free(&b);
 out:
	gather_free(&g);
	return r;
}

static int
do_show(const struct vopts *o, const char *cve)
{
	struct gather g;
	struct cybex_buf b;
	const struct ventry *e;
	const json_t *m, *a;
	char e1[8], e2[8];
	size_t i;
	int r;

	memset(&g, 0, sizeof(g));
	g.only = cve;
	if ((r = gather(o, &g)) != EXIT_VALID)
		goto out;
	if (g.n == 0) {
		cli_err("cybex vuln: %s: not in collection '%s'\n", cve,
		    o->coll);
		r = EXIT_INVALID;
		goto out;
	}
	e = &g.v[0];
	cybex_buf_init(&b, 0);
	if (o->json) {
		entry_json(e, true, &b);
		cybex_buf_free(&b);
		goto out;
	}
	cybex_buf_free(&b);
	cli_out("%s\n", e->cve);
	if (e->vuln != NULL) {
		cli_out("  id:          %s\n", jstr(e->vuln, "id"));
		cli_out("  modified:    %s\n", jstr(e->vuln, "modified"));
		if (json_object_get(json_object_get(e->vuln, "x_cybex_cve"),
		    "title") != NULL)
			cli_out("  title:       %s\n", jstr(json_object_get(
			    e->vuln, "x_cybex_cve"), "title"));
		cli_out("  description: %s\n", jstr(e->vuln, "description"));
		json_array_foreach(json_object_get(e->vuln, "x_cybex_cvss"),
		    i, m)
			cli_out("  cvss %s:    %s %s %s (%s)\n",
			    jstr(m, "version"), num(json_number_value(
			    json_object_get(m, "score")), 1, e1),
			    jstr(m, "rating"), jstr(m, "vector"),
			    jstr(m, "source"));
		json_array_foreach(json_object_get(e->vuln, "x_cybex_cwe"),
		    i, m)
			cli_out("  cwe:         %s\n", json_string_value(m));
		json_array_foreach(json_object_get(e->vuln,
		    "x_cybex_affected"), i, a) {
			size_t nv = json_array_size(json_object_get(a,
			    "versions"));

			if (json_object_get(a, "product") != NULL)
				cli_out("  affected:    %s %s (%zu version "
				    "range%s)\n", jstr(a, "vendor"),
				    jstr(a, "product"), nv, nv == 1 ? "" : "s");
			else
				cli_out("  affected:    %s in %s (%zu version "
				    "range%s)\n", jstr(a, "packageName"),
				    jstr(a, "collectionURL"), nv,
				    nv == 1 ? "" : "s");
		}
	} else
		cli_out("  (no CVE record imported)\n");
	if (e->kev != NULL && !e->prio.kev)
		cli_out("  kev:         no longer listed (last in catalogue "
		    "%s)\n", jstr(e->kev, "catalog_version"));
	else if (e->kev != NULL)
		cli_out("  kev:         added %.10s, due %.10s, ransomware "
		    "%s: %s\n", jstr(e->kev, "date_added"),
		    jstr(e->kev, "due_date"),
		    jstr(e->kev, "known_ransomware_campaign_use"),
		    jstr(e->kev, "required_action"));
	else
		cli_out("  kev:         no\n");
	if (e->epss != NULL)
		cli_out("  epss:        %s (percentile %s) on %.10s, model "
		    "%s\n", num(e->prio.epss, 5, e1), num(json_number_value(
		    json_object_get(e->epss, "percentile")), 5, e2),
		    jstr(e->epss, "score_date"), jstr(e->epss,
		    "model_version"));
	else
		cli_out("  epss:        -\n");
 out:
	gather_free(&g);
	return r;
}

int
cmd_vuln(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "collection", required_argument, NULL, 'c' },
		{ "limit", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CLI_DB_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct vopts o;
	const char *sub;
	unsigned long ul;
	char *end;
	int ch;

	memset(&o, 0, sizeof(o));
	o.coll = "default";
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cmd_vuln_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_TROUBLE : EXIT_VALID;
	}
	sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "affected") == 0)
		return cmd_vuln_affected(argc, argv);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_db_option(&o.db, ch, optarg))
			continue;
		switch (ch) {
		case 'c':
			o.coll = optarg;
			break;
		case 'l':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || optarg[0] == '-' ||
			    ul == 0 || ul > 100000000) {
				cli_err("cybex vuln: bad --limit '%s'\n",
				    optarg);
				return EXIT_TROUBLE;
			}
			o.limit = ul;
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			cmd_vuln_usage(stdout);
			return EXIT_VALID;
		default:
			cmd_vuln_usage(stderr);
			return EXIT_TROUBLE;
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(sub, "import") == 0 && argc >= 1)
		return do_import(&o, V_CVE, argc, argv);
	if (strcmp(sub, "kev") == 0 && argc == 1)
		return do_import(&o, V_KEV, argc, argv);
	if (strcmp(sub, "epss") == 0 && argc == 1)
		return do_import(&o, V_EPSS, argc, argv);
	if (strcmp(sub, "list") == 0 && argc == 0)
		return do_list(&o);
	if (strcmp(sub, "show") == 0 && argc == 1)
		return do_show(&o, argv[0]);
	cli_err("cybex vuln: bad use of '%s'\n", sub);
	cmd_vuln_usage(stderr);
	return EXIT_TROUBLE;
}
