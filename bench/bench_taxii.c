/*
 * bench_taxii: a TAXII 2.1 load client for `cybex serve` on 127.0.0.1.
 *
 *   bench_taxii first URL N        GET the first page (limit 100) N times
 *                                  (over BENCH_TAXII_CONNS connections,
 *                                  default 1, each its own thread)
 *   bench_taxii walk URL [LIMIT]   follow `next` from the first page to
 *                                  the end (pages of LIMIT, default 100)
 *   bench_taxii post URL WRITERS SECONDS BATCH
 *                                  WRITERS threads POST envelopes of BATCH
 *                                  new indicators for SECONDS; then wait
 *                                  until every accepted request is complete
 *
 * URL is a collection's objects endpoint, such as
 * http://127.0.0.1:8080/cybex/collections/ID/objects/.  BENCH_TAXII_AUTH
 * holds "user:password" for HTTP basic authentication.  One connection
 * per thread, kept alive.  Each mode ends with one machine-readable line
 * (`first:`, `walk:`, `post:`) for scripts/bench-taxii.
 */
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "bench_util.h"

#define TAXII_MEDIA	"application/taxii+json;version=2.1"

struct body {
	char	*p;
	size_t	 len, cap;
};

static size_t
on_data(char *ptr, size_t size, size_t n, void *ud)
{
	struct body *b = ud;
	size_t len = size * n;
	char *np;

	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;

		while (cap < b->len + len + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return 0;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, ptr, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

static CURL *
client(struct body *b, struct curl_slist **hdrs)
{
	const char *auth = getenv("BENCH_TAXII_AUTH");
	CURL *c;

	if ((c = curl_easy_init()) == NULL)
		return NULL;
	*hdrs = curl_slist_append(NULL, "Accept: " TAXII_MEDIA);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (auth != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, auth);
	}
	return c;
}

/* GET url; 0 with the status in *code, or -1 (transport error, printed). */
static int
get(CURL *c, struct body *b, const char *url, long *code)
{
	CURLcode rc;

	b->len = 0;
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_URL, url);
	if ((rc = curl_easy_perform(c)) != CURLE_OK) {
		fprintf(stderr, "bench_taxii: %s: %s\n", url,
		    curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	return 0;
}

/*
 * The server writes {"more":true,"next":"TOKEN",...} first: read the token
 * from there (a whole-JSON parse would cost more than the server's work).
 * Tokens are base64url-like: no escapes.  Returns 0 at the last page.
 */
static int
next_token(const struct body *b, char *tok, size_t toksz)
{
	static const char head[] = "{\"more\":true,\"next\":\"";
	const char *p, *e;

	if (b->len < sizeof(head) || memcmp(b->p, head, sizeof(head) - 1) != 0)
		return 0;
	p = b->p + sizeof(head) - 1;
	if ((e = strchr(p, '"')) == NULL || (size_t)(e - p) >= toksz)
		return -1;
	memcpy(tok, p, (size_t)(e - p));
	tok[e - p] = '\0';
	return 1;
}

/* Objects in a page: its "id" keys at the top level of each object. */
static unsigned long
count_objects(const struct body *b)
{
	unsigned long n = 0;
	const char *p = b->p, *end = b->p + b->len;

	while ((p = memmem(p, (size_t)(end - p), "{\"type\":", 8)) != NULL) {
		n++;
		p += 8;
	}
	return n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct firster {
	const char	*url;
	unsigned long	 n, bad;
	double		*lat;
	int		 err;
};

static void *
first_run(void *arg)
{
	struct firster *f = arg;
	struct curl_slist *h = NULL;
	struct body b = { 0 };
	unsigned long i;
	long code;
	CURL *c;

	if ((c = client(&b, &h)) == NULL) {
		f->err = 1;
		return NULL;
	}
	for (i = 0; i < f->n; i++) {
		double s = bench_now();

		if (get(c, &b, f->url, &code) != 0) {
			f->err = 1;
			break;
		}
		if (code != 200)
			f->bad++;
		f->lat[i] = bench_now() - s;
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(b.p);
	return NULL;
}

/* N first pages over BENCH_TAXII_CONNS connections (default 1). */
static int
mode_first(const char *base, unsigned long n)
{
	const char *e = getenv("BENCH_TAXII_CONNS");
	unsigned long conns = e != NULL ? strtoul(e, NULL, 10) : 1, i, k;
	unsigned long bad = 0, per;
	struct firster *f;
	pthread_t *th;
	char url[2048];
	double *lat, t0, t1;
	int err = 0;

	if (conns == 0)
		conns = 1;
	per = n / conns;
	if (per == 0 || (lat = calloc(per * conns, sizeof(*lat))) == NULL ||
	    (f = calloc(conns, sizeof(*f))) == NULL ||
	    (th = calloc(conns, sizeof(*th))) == NULL)
		return 1;
	n = per * conns;
	snprintf(url, sizeof(url), "%s?limit=100", base);
	t0 = bench_now();
	for (i = 0; i < conns; i++) {
		f[i].url = url;
		f[i].n = per;
		f[i].lat = lat + i * per;
		pthread_create(&th[i], NULL, first_run, &f[i]);
	}
	for (i = 0; i < conns; i++) {
		pthread_join(th[i], NULL);
		bad += f[i].bad;
		err |= f[i].err;
	}
	t1 = bench_now();
	if (err)
		return 1;
	qsort(lat, n, sizeof(*lat), cmp_double);
	k = n * 99 / 100;
	printf("first page x%lu over %lu connection(s): %.0f pages/s, median "
	    "%.3f ms, p99 %.3f ms, %lu not 200\n", n, conns, n / (t1 - t0),
	    lat[n / 2] * 1e3, lat[k] * 1e3, bad);
	printf("first: conns=%lu pages_per_s=%.0f median_ms=%.3f p99_ms=%.3f "
	    "bad=%lu\n", conns, n / (t1 - t0), lat[n / 2] * 1e3, lat[k] * 1e3,
	    bad);
	free(lat);
	free(f);
	free(th);
	return bad != 0;
}

static int
mode_walk(const char *base, unsigned long limit)
{
	struct curl_slist *h = NULL;
	struct body b = { 0 };
	char url[4096], tok[1024];
	unsigned long pages = 0, objs = 0;
	double t0, t1, first = 0, worst = 0;
	long code;
	int more;
	CURL *c;

	if ((c = client(&b, &h)) == NULL)
		return 1;
	snprintf(url, sizeof(url), "%s?limit=%lu", base, limit);
	t0 = bench_now();
	for (;;) {
		double s = bench_now(), dt;

		if (get(c, &b, url, &code) != 0)
			return 1;
		if (code != 200) {
			fprintf(stderr, "bench_taxii: page %lu: HTTP %ld: %.200s\n",
			    pages + 1, code, b.p != NULL ? b.p : "");
			return 1;
		}
		dt = bench_now() - s;
		if (pages == 0)
			first = dt;
		else if (dt > worst)
			worst = dt;
		pages++;
		objs += count_objects(&b);
		if ((more = next_token(&b, tok, sizeof(tok))) < 0) {
			fprintf(stderr, "bench_taxii: bad next token\n");
			return 1;
		}
		if (more == 0)
			break;
		snprintf(url, sizeof(url), "%s?limit=%lu&next=%s", base, limit,
		    tok);
	}
	t1 = bench_now();
	printf("walk: %lu objects in %lu pages of %lu, %.2f s, %.0f objects/s,"
	    " %.0f pages/s, first page %.3f ms, slowest next page %.3f ms\n",
	    objs, pages, limit, t1 - t0, objs / (t1 - t0), pages / (t1 - t0),
	    first * 1e3, worst * 1e3);
	printf("walk: objects=%lu pages=%lu secs=%.3f pages_per_s=%.0f "
	    "worst_ms=%.3f\n", objs, pages, t1 - t0, pages / (t1 - t0),
	    worst * 1e3);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(b.p);
	return 0;
}

struct writer {
	const char	*base;
	unsigned	 id, batch;
	double		 until;
	unsigned long	 accepted, objects, busy, other;
	char		 last_status[2048];
};

static void
envelope(struct body *e, unsigned w, unsigned long seq, unsigned batch)
{
	unsigned i;
	int n;

	e->len = 0;
	on_data("{\"objects\":[", 1, 12, e);
	for (i = 0; i < batch; i++) {
		char o[512];
		unsigned long k = seq * batch + i;

		n = snprintf(o, sizeof(o), "%s{\"type\":\"indicator\","
		    "\"spec_version\":\"2.1\",\"id\":\"indicator--%08x-0000-4000-"
		    "8000-%012lx\",\"created\":\"2026-01-01T00:00:00.000Z\","
		    "\"modified\":\"2026-01-01T00:00:00.000Z\",\"pattern\":"
		    "\"[ipv4-addr:value = '10.%u.%lu.%lu']\",\"pattern_type\":"
		    "\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}",
		    i ? "," : "", 0xbe000000u | w, k, w & 255, (k >> 8) & 255,
		    k & 255);
		on_data(o, 1, (size_t)n, e);
	}
	on_data("]}", 1, 2, e);
}

static void *
writer_run(void *arg)
{
	struct writer *w = arg;
	struct curl_slist *h = NULL;
	struct body b = { 0 }, e = { 0 };
	unsigned long seq = 0;
	long code;
	CURL *c;

	if ((c = client(&b, &h)) == NULL)
		return NULL;
	h = curl_slist_append(h, "Content-Type: " TAXII_MEDIA);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_URL, w->base);
	while (bench_now() < w->until) {
		envelope(&e, w->id, seq++, w->batch);
		b.len = 0;
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, e.p);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)e.len);
		if (curl_easy_perform(c) != CURLE_OK) {
			w->other++;
			continue;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code == 202) {
			const char *id = b.p != NULL ? strstr(b.p, "\"id\":\"") :
			    NULL;

			w->accepted++;
			w->objects += w->batch;
			if (id != NULL) {
				const char *q = strchr(id + 6, '"');

				if (q != NULL && (size_t)(q - id - 6) <
				    sizeof(w->last_status)) {
					memcpy(w->last_status, id + 6,
					    (size_t)(q - id - 6));
					w->last_status[q - id - 6] = '\0';
				}
			}
		} else if (code == 503)
			w->busy++;
		else
			w->other++;
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(b.p);
	free(e.p);
	return NULL;
}

/* Wait until the status resource says the request is complete. */
static int
wait_status(const char *base, const char *sid)
{
	struct curl_slist *h = NULL;
	struct body b = { 0 };
	char url[4096], *p;
	long code;
	CURL *c;
	int r = -1;

	/* .../collections/ID/objects/ -> .../status/SID/ */
	snprintf(url, sizeof(url), "%s", base);
	if ((p = strstr(url, "/collections/")) == NULL)
		return -1;
	snprintf(p, sizeof(url) - (size_t)(p - url), "/status/%s/", sid);
	if ((c = client(&b, &h)) == NULL)
		return -1;
	for (;;) {
		if (get(c, &b, url, &code) != 0 || code != 200)
			break;
		if (strstr(b.p, "\"status\":\"complete\"") != NULL) {
			r = 0;
			break;
		}
		usleep(20000);
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	free(b.p);
	return r;
}

static int
mode_post(const char *base, unsigned nw, double secs, unsigned batch)
{
	struct writer *w;
	pthread_t *th;
	unsigned long acc = 0, objs = 0, busy = 0, other = 0;
	double t0, t1, t2;
	unsigned i;
	int r = 0;

	if (nw == 0 || batch == 0 || (w = calloc(nw, sizeof(*w))) == NULL ||
	    (th = calloc(nw, sizeof(*th))) == NULL)
		return 1;
	t0 = bench_now();
	for (i = 0; i < nw; i++) {
		w[i].base = base;
		w[i].id = i;
		w[i].batch = batch;
		w[i].until = t0 + secs;
		pthread_create(&th[i], NULL, writer_run, &w[i]);
	}
	for (i = 0; i < nw; i++)
		pthread_join(th[i], NULL);
	t1 = bench_now();
	for (i = 0; i < nw; i++) {
		acc += w[i].accepted;
		objs += w[i].objects;
		busy += w[i].busy;
		other += w[i].other;
		if (w[i].last_status[0] != '\0' &&
		    wait_status(base, w[i].last_status) != 0)
			r = 1;
	}
	t2 = bench_now();
	printf("post: %u writers x %.0f s, %u objects per request: %lu "
	    "accepted (%lu objects, %.0f objects/s accepted, %.0f objects/s "
	    "stored incl. %.2f s drain), %lu 503, %lu other\n", nw, secs, batch,
	    acc, objs, objs / (t1 - t0), objs / (t2 - t0), t2 - t1, busy, other);
	printf("post: accepted_objs_per_s=%.0f stored_objs_per_s=%.0f "
	    "busy=%lu other=%lu\n", objs / (t1 - t0), objs / (t2 - t0), busy,
	    other);
	free(w);
	free(th);
	return r || other != 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_taxii first URL N\n"
	    "       bench_taxii walk URL [LIMIT]\n"
	    "       bench_taxii post URL WRITERS SECONDS BATCH\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int r;

	if (argc < 3)
		usage();
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (strcmp(argv[1], "first") == 0 && argc == 4)
		r = mode_first(argv[2], strtoul(argv[3], NULL, 10));
	else if (strcmp(argv[1], "walk") == 0 && argc <= 4)
		r = mode_walk(argv[2], argc == 4 ? strtoul(argv[3], NULL, 10) :
		    100);
	else if (strcmp(argv[1], "post") == 0 && argc == 6)
		r = mode_post(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
		    strtod(argv[4], NULL), (unsigned)strtoul(argv[5], NULL, 10));
	else
		usage();
	curl_global_cleanup();
	return r;
}
