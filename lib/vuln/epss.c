/*
 * FIRST EPSS scores (the daily CSV) to x-cybex-epss objects.
 *
 * One object per CVE and score date: EPSS is a daily series, and a STIX
 * object's created must not change between versions, so each day's score
 * is an object of its own (id: the UUIDv5 of "epss:CVE:DATE"), created
 * and modified both the score date.  The newest one is the CVE's score.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vuln_int.h"

struct span {
	const char	*p;
	size_t		 n;
	unsigned long	 line;
};

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int r = memcmp(x->p, y->p, n);

	if (r != 0)
		return r;
	return x->n < y->n ? -1 : x->n > y->n;
}

static int CYBEX_PRINTF(4, 5)
at(struct cybex_diag *d, unsigned long line, unsigned long col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(d, CYBEX_EFORMAT, fmt, ap);
	va_end(ap);
	if (d != NULL) {
		d->line = line;
		d->column = col;
	}
	return CYBEX_EFORMAT;
}

/* A probability in 0..1 from s[0..n): digits, '.', exponent; strict. */
static int
prob(const char *s, size_t n, double *out)
{
	char buf[40], *end;
	double v;

	if (n == 0 || n >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return -1;
	/* s is not NUL-terminated: copy first, then check the copy. */
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strspn(buf, "0123456789.eE+-") < n)
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !(v >= 0.0 && v <= 1.0))
		return -1;
	*out = v;
	return 0;
}

/*
 * The comment line "#model_version:V,score_date:T": V into model[64], T
 * as a STIX timestamp into date[32].  T is RFC 3339, or with the offset
 * written "+0000" as the files from 2023 do.
 */
static int
comment(const char *s, size_t n, char *model, char *date,
    struct cybex_diag *d)
{
	const char *comma, *v;
	struct cybex_time t;
	struct cybex_diag td;
	char buf[48];
	size_t k;

	if (n < 15 || memcmp(s, "#model_version:", 15) != 0)
		return at(d, 1, 1, "the first line must be "
		    "'#model_version:V,score_date:DATE'");
	if ((comma = memchr(s, ',', n)) == NULL ||
	    (size_t)(s + n - comma) < 12 || memcmp(comma, ",score_date:", 12) != 0)
		return at(d, 1, 16, "'score_date:' must follow the model "
		    "version");
	k = (size_t)(comma - s) - 15;
	if (k == 0 || k >= 64)
		return at(d, 1, 16, "the model version must be 1 to 63 "
		    "bytes");
	memcpy(model, s + 15, k);
	model[k] = '\0';
	v = comma + 12;
	k = (size_t)(s + n - v);
	if (k == 0 || k >= sizeof(buf) - 2)
		return at(d, 1, (unsigned long)(v - s) + 1, "score_date must "
		    "be a timestamp");
	memcpy(buf, v, k);
	buf[k] = '\0';
	/* "+0000" / "-0500" to "+00:00" / "-05:00". */
	if (k >= 5 && (buf[k - 5] == '+' || buf[k - 5] == '-') &&
	    strspn(buf + k - 4, "0123456789") == 4) {
		buf[k + 1] = '\0';
		buf[k] = buf[k - 1];
		buf[k - 1] = buf[k - 2];
		buf[k - 2] = ':';
		k++;
	}
	cybex_diag_clear(&td);
	if (cybex_time_parse(buf, k, 0, &t, &td) != 0)
		return at(d, 1, (unsigned long)(v - s) + td.column,
		    "score_date is not a timestamp: %s", td.message);
	if (t.digits < 3)
		t.digits = 3;
	cybex_time_format(&t, date, 32);
	return 0;
}

static int
emit(const char *cve, size_t n, double epss, double pct, const char *model,
    const char *date, cybex_vuln_obj_fn fn, void *ud)
{
	char name[96], id[80], vref[64], u[37], cv[32];
	struct cybex_uuid uu;
	json_t *o;
	int r = CYBEX_ENOMEM;

	memcpy(cv, cve, n);
	cv[n] = '\0';
	snprintf(name, sizeof(name), "epss:%s:%s", cv, date);
	cybex_uuid_v5(&vuln_ns, name, strlen(name), &uu);
	cybex_uuid_format(&uu, u);
	snprintf(id, sizeof(id), "x-cybex-epss--%s", u);
	if (cybex_vuln_id(cv, vref, sizeof(vref)) != 0 ||
	    (o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:s,s:s}",
	    "type", "x-cybex-epss", "spec_version", "2.1", "id", id,
	    "created", date, "modified", date, "cve_id", cv,
	    "vulnerability_ref", vref, "epss", epss, "percentile", pct,
	    "model_version", model, "score_date", date)) == NULL)
		return r;
	r = fn(ud, o);
	json_decref(o);
	return r;
}

int
cybex_epss_read(const char *buf, size_t len, cybex_vuln_obj_fn fn, void *ud,
    struct cybex_diag *d)
{
	char model[64] = "", date[32] = "";
	const char *p, *end = buf + len, *nl, *f[3];
	struct span *seen = NULL;
	size_t nseen = 0, cap = 0, fl[3], i, n;
	unsigned long line;
	double epss, pct;
	int r = 0, pass, k;

	if (len > CYBEX_EPSS_MAX)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "EPSS file of %zu bytes "
		    "(at most %d)", len, CYBEX_EPSS_MAX);
	for (pass = 0; pass < 2; pass++) {
		for (p = buf, line = 1; p < end; p = nl + 1, line++) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			n = (size_t)(nl - p);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			if (memchr(p, '\0', n) != NULL) {
				r = at(d, line, 1, "a NUL byte in the file");
				goto out;
			}
			if (line == 1) {
				if ((r = comment(p, n, model, date, d)) != 0)
					goto out;
				continue;
			}
			if (line == 2) {
				if (n != 19 || memcmp(p, "cve,epss,percentile",
				    19) != 0) {
					r = at(d, 2, 1, "the header must be "
					    "'cve,epss,percentile'");
					goto out;
				}
				continue;
			}
			if (n == 0 && nl + 1 >= end)
				break;		/* the final newline */
			for (k = 0, i = 0; k < 3; k++) {
				f[k] = p + i;
				while (i < n && p[i] != ',')
					i++;
				fl[k] = (size_t)(p + i - f[k]);
				if (k < 2 && i == n) {
					r = at(d, line, i + 1, "a line must be "
					    "'CVE,EPSS,PERCENTILE'");
					goto out;
				}
				i++;
			}
			if (i <= n) {
				r = at(d, line, (unsigned long)(f[2] - p + fl[2])
				    + 1, "more than three fields");
				goto out;
			}
			if (pass == 0) {
				char cv[32];

				if (fl[0] >= sizeof(cv)) {
					r = at(d, line, 1, "not a CVE id");
					goto out;
				}
				memcpy(cv, f[0], fl[0]);
				cv[fl[0]] = '\0';
				if (!vuln_is_cve_id(cv)) {
					r = at(d, line, 1, "'%s' is not a CVE "
					    "id (CVE-YYYY-NNNN)", cv);
					goto out;
				}
			}
			if (prob(f[1], fl[1], &epss) != 0) {
				r = at(d, line, (unsigned long)(f[1] - p) + 1,
				    "the EPSS score must be a number from 0 "
				    "to 1");
				goto out;
			}
			if (prob(f[2], fl[2], &pct) != 0) {
				r = at(d, line, (unsigned long)(f[2] - p) + 1,
				    "the percentile must be a number from 0 "
				    "to 1");
				goto out;
			}
			if (pass == 0) {
				if (nseen == cap) {
					size_t nc = cap ? cap * 2 : 1024;
					struct span *ns = cybex_reallocarray(
					    seen, nc, sizeof(*ns));

					if (ns == NULL) {
						r = cybex_diag_set(d,
						    CYBEX_ENOMEM, "out of "
						    "memory");
						goto out;
					}
					seen = ns;
					cap = nc;
				}
				seen[nseen].p = f[0];
				seen[nseen].n = fl[0];
				seen[nseen++].line = line;
				continue;
			}
			if ((r = emit(f[0], fl[0], epss, pct, model, date, fn,
			    ud)) != 0)
				goto out;
		}
		if (line <= 2 && pass == 0) {
			r = at(d, line, 1, "%s", line == 1 ? "an empty file" :
			    "no header line 'cve,epss,percentile'");
			goto out;
		}
		if (pass == 0 && nseen > 1) {
			qsort(seen, nseen, sizeof(*seen), cmp_span);
			for (i = 1; i < nseen; i++)
				if (cmp_span(&seen[i - 1], &seen[i]) == 0) {
					char cv[32];
					unsigned long l = seen[i].line >
					    seen[i - 1].line ? seen[i].line :
					    seen[i - 1].line;

					memcpy(cv, seen[i].p, seen[i].n);
					cv[seen[i].n] = '\0';
					r = at(d, l, 1, "%s is in the file "
					    "twice", cv);
					goto out;
				}
		}
	}
	r = 0;
 out:
	if (r != 0)
		vuln_diag_clean(d);
	cybex_free(seen);
	return r;
}
