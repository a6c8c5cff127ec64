/*
 * Version comparison per scheme and vers ranges
 * ("vers:npm/>=1.0.0|<2.0.0", the purl project's version range
 * specifier).
 *
 * Schemes: semver 2.0 precedence; dpkg's algorithm for deb; rpmvercmp
 * for rpm; and a generic order for everything else, which is what CVE
 * records call "custom" and most ecosystems' versions need: numbers as
 * numbers, text as case-folded text, and the usual pre-release words
 * (alpha, beta, rc, ...) before the release they qualify.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vuln_int.h"

/* Compare runs of digits a[0..an) and b[0..bn) as numbers of any size. */
static int
numcmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r;

	while (an > 1 && *a == '0') {
		a++;
		an--;
	}
	while (bn > 1 && *b == '0') {
		b++;
		bn--;
	}
	if (an != bn)
		return an < bn ? -1 : 1;
	r = memcmp(a, b, an);
	return r < 0 ? -1 : r > 0;
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* ---- semver ---- */

struct semver {
	const char	*num[3];
	size_t		 numlen[3];
	const char	*pre;		/* NULL: none */
	size_t		 prelen;
};

static bool
semver_parse(const char *s, struct semver *v)
{
	const char *p = s;
	int k;

	memset(v, 0, sizeof(*v));
	if (*p == 'v' || *p == 'V')
		p++;
	for (k = 0; k < 3; k++) {
		v->num[k] = p;
		while (isdigit((unsigned char)*p))
			p++;
		v->numlen[k] = (size_t)(p - v->num[k]);
		if (v->numlen[k] == 0)
			return false;
		if (*p != '.')
			break;
		p++;
	}
	for (k++; k < 3; k++) {
		v->num[k] = "0";
		v->numlen[k] = 1;
	}
	if (*p == '-') {
		v->pre = ++p;
		while (*p != '\0' && *p != '+') {
			if (!isalnum((unsigned char)*p) && *p != '.' &&
			    *p != '-')
				return false;
			p++;
		}
		v->prelen = (size_t)(p - v->pre);
		if (v->prelen == 0)
			return false;
	}
	if (*p == '+')
		return p[1] != '\0';
	return *p == '\0';
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static int
semver_cmp(const struct semver *a, const struct semver *b)
{
	const char *pa, *pb, *ea, *eb, *da, *db;
	size_t la, lb;
	int k, r;

	for (k = 0; k < 3; k++)
		if ((r = numcmp(a->num[k], a->numlen[k], b->num[k],
		    b->numlen[k])) != 0)
			return r;
	if (a->pre == NULL || b->pre == NULL)
		return a->pre == b->pre ? 0 : a->pre == NULL ? 1 : -1;
	pa = a->pre;
	ea = a->pre + a->prelen;
	pb = b->pre;
	eb = b->pre + b->prelen;
	while (pa < ea && pb < eb) {
		if ((da = memchr(pa, '.', (size_t)(ea - pa))) == NULL)
			da = ea;
		if ((db = memchr(pb, '.', (size_t)(eb - pb))) == NULL)
			db = eb;
		la = (size_t)(da - pa);
		lb = (size_t)(db - pb);
		if (all_digits(pa, la) && all_digits(pb, lb))
			r = numcmp(pa, la, pb, lb);
		else if (all_digits(pa, la))
			r = -1;
		else if (all_digits(pb, lb))
			r = 1;
		else {
			r = memcmp(pa, pb, la < lb ? la : lb);
			r = r != 0 ? sign(r) : la == lb ? 0 : la < lb ? -1 : 1;
		}
		if (r != 0)
			return r;
		pa = da + 1;
		pb = db + 1;
	}
	if (pa >= ea && pb >= eb)
		return 0;
	return pa >= ea ? -1 : 1;
}

/* ---- generic ---- */

static const char *const pre_words[] = {
	"a", "alpha", "b", "beta", "c", "cr", "dev", "ea", "m", "milestone",
	"pre", "preview", "rc", "snapshot",
};

static bool
pre_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(pre_words) / sizeof(pre_words[0]); i++)
		if (strlen(pre_words[i]) == n &&
		    strncasecmp(pre_words[i], s, n) == 0)
			return true;
	return false;
}

/* The next run of digits or of letters from *p; false at the end. */
static bool
token(const char **p, const char **t, size_t *n, bool *num)
{
	const char *s = *p;

	while (*s != '\0' && !isalnum((unsigned char)*s))
		s++;
	if (*s == '\0') {
		*p = s;
		return false;
	}
	*t = s;
	*num = isdigit((unsigned char)*s) != 0;
	while (*s != '\0' && (*num ? isdigit((unsigned char)*s) :
	    isalpha((unsigned char)*s)))
		s++;
	*n = (size_t)(s - *t);
	*p = s;
	return true;
}

static int
generic_cmp(const char *a, const char *b)
{
	const char *ta = NULL, *tb = NULL;
	size_t na = 0, nb = 0, k;
	bool ha, hb, numa = false, numb = false;
	int r, ca, cb;

	for (;;) {
		ha = token(&a, &ta, &na, &numa);
		hb = token(&b, &tb, &nb, &numb);
		if (!ha && !hb)
			return 0;
		/* 2.0 against 2.0-beta: the pre-release word comes first. */
		if (!ha)
			return !numb && pre_word(tb, nb) ? 1 : -1;
		if (!hb)
			return !numa && pre_word(ta, na) ? -1 : 1;
		if (numa && numb)
			r = numcmp(ta, na, tb, nb);
		else if (numa != numb)
			r = numa ? (pre_word(tb, nb) ? 1 : -1) :
			    (pre_word(ta, na) ? -1 : 1);
		else {
			r = 0;
			for (k = 0; r == 0 && k < na && k < nb; k++) {
				ca = tolower((unsigned char)ta[k]);
				cb = tolower((unsigned char)tb[k]);
				r = sign(ca - cb);
			}
			if (r == 0 && na != nb)
				r = na < nb ? -1 : 1;
		}
		if (r != 0)
			return r;
	}
}

/* ---- deb (dpkg) ---- */

static int
deb_order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c != '\0')
		return c + 256;
	return 0;
}

static int
verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
	int fd, ac, bc;

#define CA	(a < ae ? (unsigned char)*a : 0)
#define CB	(b < be ? (unsigned char)*b : 0)
	while (CA != 0 || CB != 0) {
		fd = 0;
		while ((CA != 0 && !isdigit(CA)) || (CB != 0 && !isdigit(CB))) {
			ac = deb_order(CA);
			bc = deb_order(CB);
			if (ac != bc)
				return sign(ac - bc);
			a++;
			b++;
		}
		while (CA == '0')
			a++;
		while (CB == '0')
			b++;
		while (isdigit(CA) && isdigit(CB)) {
			if (fd == 0)
				fd = CA - CB;
			a++;
			b++;
		}
		if (isdigit(CA))
			return 1;
		if (isdigit(CB))
			return -1;
		if (fd != 0)
			return sign(fd);
	}
	return 0;
#undef CA
#undef CB
}

/* Split [epoch:]upstream[-revision] (rpm: [epoch:]version[-release]). */
struct evr {
	const char	*ep, *epe, *v, *ve, *rel, *rele;
};

static void
evr_split(const char *s, struct evr *x)
{
	const char *c = strchr(s, ':'), *e = s + strlen(s), *h;

	x->ep = x->epe = s;
	if (c != NULL && all_digits(s, (size_t)(c - s))) {
		x->epe = c;
		s = c + 1;
	}
	h = strrchr(s, '-');
	x->v = s;
	x->ve = h != NULL ? h : e;
	x->rel = h != NULL ? h + 1 : e;
	x->rele = e;
}

static int
epoch_cmp(const struct evr *a, const struct evr *b)
{
	return numcmp(a->ep == a->epe ? "0" : a->ep,
	    a->ep == a->epe ? 1 : (size_t)(a->epe - a->ep),
	    b->ep == b->epe ? "0" : b->ep,
	    b->ep == b->epe ? 1 : (size_t)(b->epe - b->ep));
}

static int
deb_cmp(const char *a, const char *b)
{
	struct evr x, y;
	int r;

	evr_split(a, &x);
	evr_split(b, &y);
	if ((r = epoch_cmp(&x, &y)) != 0)
		return r;
	if ((r = verrevcmp(x.v, x.ve, y.v, y.ve)) != 0)
		return r;
	return verrevcmp(x.rel, x.rele, y.rel, y.rele);
}

/* ---- rpm ---- */

static int
rpmvercmp(const char *one, const char *oe, const char *two, const char *te)
{
	const char *p, *q;
	size_t n1, n2;
	bool isnum;
	int r;

#define C1	(one < oe ? (unsigned char)*one : 0)
#define C2	(two < te ? (unsigned char)*two : 0)
	while (C1 != 0 || C2 != 0) {
		while (C1 != 0 && !isalnum(C1) && C1 != '~' && C1 != '^')
			one++;
		while (C2 != 0 && !isalnum(C2) && C2 != '~' && C2 != '^')
			two++;
		if (C1 == '~' || C2 == '~') {
			if (C1 != '~')
				return 1;
			if (C2 != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (C1 == '^' || C2 == '^') {
			if (C1 == 0)
				return -1;
			if (C2 == 0)
				return 1;
			if (C1 != '^')
				return 1;
			if (C2 != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (C1 == 0 || C2 == 0)
			break;
		p = one;
		q = two;
		isnum = isdigit(C1) != 0;
		if (isnum) {
			while (p < oe && isdigit((unsigned char)*p))
				p++;
			while (q < te && isdigit((unsigned char)*q))
				q++;
		} else {
			while (p < oe && isalpha((unsigned char)*p))
				p++;
			while (q < te && isalpha((unsigned char)*q))
				q++;
		}
		if (two == q)
			return isnum ? 1 : -1;
		n1 = (size_t)(p - one);
		n2 = (size_t)(q - two);
		if (isnum)
			r = numcmp(one, n1, two, n2);
		else {
			r = memcmp(one, two, n1 < n2 ? n1 : n2);
			r = r != 0 ? sign(r) : n1 == n2 ? 0 : n1 < n2 ? -1 : 1;
		}
		if (r != 0)
			return r;
		one = p;
		two = q;
	}
	if (C1 == 0 && C2 == 0)
		return 0;
	return C1 != 0 ? 1 : -1;
#undef C1
#undef C2
}

static int
rpm_cmp(const char *a, const char *b)
{
	struct evr x, y;
	int r;

	evr_split(a, &x);
	evr_split(b, &y);
	if ((r = epoch_cmp(&x, &y)) != 0)
		return r;
	if ((r = rpmvercmp(x.v, x.ve, y.v, y.ve)) != 0)
		return r;
	/* A release compares only when both versions give one. */
	if (x.rel == x.rele || y.rel == y.rele)
		return 0;
	return rpmvercmp(x.rel, x.rele, y.rel, y.rele);
}

static bool
semver_scheme(const char *s)
{
	static const char *const names[] = {
		"semver", "npm", "cargo", "golang", "nuget", "composer",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i]) == 0)
			return true;
	return false;
}

int
cybex_version_cmp(const char *scheme, const char *a, const char *b, int *out,
    struct cybex_diag *d)
{
	struct semver x, y;

	*out = 0;
	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return cybex_diag_set(d, CYBEX_EINVAL, "an empty version");
	if (scheme == NULL)
		scheme = "generic";
	if (strcasecmp(scheme, "git") == 0) {
		if (strcmp(a, b) == 0)
			return 0;
		return cybex_diag_set(d, CYBEX_EINVAL, "git versions (commits) "
		    "have no order");
	}
	if (semver_scheme(scheme) && semver_parse(a, &x) &&
	    semver_parse(b, &y))
		*out = semver_cmp(&x, &y);
	else if (strcasecmp(scheme, "deb") == 0)
		*out = deb_cmp(a, b);
	else if (strcasecmp(scheme, "rpm") == 0)
		*out = rpm_cmp(a, b);
	else
		*out = generic_cmp(a, b);
	return 0;
}

/* ---- vers ---- */

static int
hexval_vers(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
cons_cmp(const char *scheme, const char *a, const char *b)
{
	int c = 0;

	(void)cybex_version_cmp(scheme, a, b, &c, NULL);
	return c;
}

int
cybex_vers_read(const char *s, size_t len, struct cybex_vers *out,
    struct cybex_diag *d)
{
	const char *p, *e = s + len, *bar, *sl;
	size_t o = 0, i, j, n;
	struct cybex_vers_cons t;
	enum cybex_vers_op op;
	int c, h, l, cmp;

	memset(out, 0, sizeof(*out));
	if (len >= CYBEX_VERS_LEN)
		return cybex_diag_set(d, CYBEX_ETOOBIG, "a version range longer "
		    "than %d bytes", CYBEX_VERS_LEN - 1);
	if (len < 5 || strncasecmp(s, "vers:", 5) != 0) {
		d->column = 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "not a version range "
		    "(it starts \"vers:\")");
	}
	p = s + 5;
	if ((sl = memchr(p, '/', (size_t)(e - p))) == NULL || sl == p ||
	    (size_t)(sl - p) >= sizeof(out->scheme)) {
		d->column = 6;
		return cybex_diag_set(d, CYBEX_EFORMAT, "a version range is "
		    "vers:<scheme>/<constraints>");
	}
	for (i = 0; p + i < sl; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' &&
		    p[i] != '.' && p[i] != '+') {
			d->column = (size_t)(p + i - s) + 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a bad character "
			    "in the scheme");
		}
		out->scheme[i] = (char)tolower((unsigned char)p[i]);
	}
	p = sl + 1;
	if (p == e) {
		d->column = (size_t)(p - s) + 1;
		return cybex_diag_set(d, CYBEX_EFORMAT, "no constraint");
	}
	while (p <= e) {
		if ((bar = memchr(p, '|', (size_t)(e - p))) == NULL)
			bar = e;
		while (p < bar && *p == ' ')
			p++;
		if (out->n == CYBEX_VERS_MAX)
			return cybex_diag_set(d, CYBEX_ETOOBIG, "more than %d "
			    "constraints", CYBEX_VERS_MAX);
		op = CYBEX_VERS_EQ;
		if (bar - p == 1 && *p == '*')
			op = CYBEX_VERS_STAR;
		else if (bar - p >= 2 && strncmp(p, "!=", 2) == 0)
			op = CYBEX_VERS_NE, p += 2;
		else if (bar - p >= 2 && strncmp(p, "<=", 2) == 0)
			op = CYBEX_VERS_LE, p += 2;
		else if (bar - p >= 2 && strncmp(p, ">=", 2) == 0)
			op = CYBEX_VERS_GE, p += 2;
		else if (bar - p >= 1 && *p == '<')
			op = CYBEX_VERS_LT, p++;
		else if (bar - p >= 1 && *p == '>')
			op = CYBEX_VERS_GT, p++;
		else if (bar - p >= 1 && *p == '=')
			p++;
		out->c[out->n].op = op;
		out->c[out->n].version = out->buf + o;
		if (op == CYBEX_VERS_STAR)
			p = bar;
		n = 0;
		for (; p < bar; p++) {
			c = (unsigned char)*p;
			if (c == '%') {
				if (bar - p < 3 || (h = hexval_vers(p[1])) < 0 ||
				    (l = hexval_vers(p[2])) < 0) {
					d->column = (size_t)(p - s) + 1;
					return cybex_diag_set(d, CYBEX_EFORMAT,
					    "a '%%' without two hex digits");
				}
				c = h * 16 + l;
				p += 2;
			}
			if (c <= 0x20 || c == 0x7f) {
				d->column = (size_t)(p - s) + 1;
				return cybex_diag_set(d, CYBEX_EFORMAT, "a "
				    "control byte or space in a version");
			}
			out->buf[o++] = (char)c;
			n++;
		}
		out->buf[o++] = '\0';
		if (op != CYBEX_VERS_STAR && n == 0) {
			d->column = (size_t)(p - s) + 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "a constraint "
			    "without a version");
		}
		out->n++;
		p = bar + 1;
	}
	for (i = 0; i < out->n; i++)
		if (out->c[i].op == CYBEX_VERS_STAR && out->n > 1) {
			d->column = 1;
			return cybex_diag_set(d, CYBEX_EFORMAT, "'*' is the only "
			    "constraint of its range");
		}
	/*
	 * Every pair, not only neighbours after sorting: "2.0" and "2..0"
	 * are one version to the generic order, and an order that is not
	 * transitive on odd input would hide a pair from the sort.
	 */
	for (i = 0; i < out->n; i++)
		for (j = i + 1; j < out->n; j++)
			if (out->c[i].op != CYBEX_VERS_STAR &&
			    cons_cmp(out->scheme, out->c[i].version,
			    out->c[j].version) == 0) {
				d->column = 1;
				return cybex_diag_set(d, CYBEX_EFORMAT, "version "
				    "'%.64s' is constrained twice",
				    out->c[j].version);
			}
	/* Insertion sort by version (n <= CYBEX_VERS_MAX). */
	for (i = 1; i < out->n; i++)
		for (j = i; j > 0; j--) {
			cmp = cons_cmp(out->scheme, out->c[j - 1].version,
			    out->c[j].version);
			if (cmp < 0)
				break;
			t = out->c[j];
			out->c[j] = out->c[j - 1];
			out->c[j - 1] = t;
		}
	return 0;
}

static bool
satisfies(enum cybex_vers_op op, int cmp)
{
	switch (op) {
	case CYBEX_VERS_EQ:
		return cmp == 0;
	case CYBEX_VERS_NE:
		return cmp != 0;
	case CYBEX_VERS_LT:
		return cmp < 0;
	case CYBEX_VERS_LE:
		return cmp <= 0;
	case CYBEX_VERS_GT:
		return cmp > 0;
	case CYBEX_VERS_GE:
		return cmp >= 0;
	case CYBEX_VERS_STAR:
		return true;
	}
	return false;
}

int
cybex_vers_contains(const struct cybex_vers *v, const char *version, bool *out,
    struct cybex_diag *d)
{
	size_t idx[CYBEX_VERS_MAX], n = 0, i;
	int cmp[CYBEX_VERS_MAX], r;
	enum cybex_vers_op a, b;

	*out = false;
	for (i = 0; i < v->n; i++) {
		if (v->c[i].op == CYBEX_VERS_STAR) {
			*out = true;
			return 0;
		}
		if ((r = cybex_version_cmp(v->scheme, version, v->c[i].version,
		    &cmp[i], d)) != 0)
			return r;
		if (v->c[i].op == CYBEX_VERS_EQ && cmp[i] == 0) {
			*out = true;
			return 0;
		}
		if (v->c[i].op == CYBEX_VERS_NE && cmp[i] == 0)
			return 0;
		if (v->c[i].op != CYBEX_VERS_EQ && v->c[i].op != CYBEX_VERS_NE)
			idx[n++] = i;
	}
	if (n == 0) {
		/* Only != constraints: everything else is in. */
		for (i = 0; i < v->n; i++)
			if (v->c[i].op == CYBEX_VERS_EQ)
				return 0;
		*out = v->n > 0;
		return 0;
	}
	a = v->c[idx[0]].op;
	if ((a == CYBEX_VERS_LT || a == CYBEX_VERS_LE) &&
	    satisfies(a, cmp[idx[0]])) {
		*out = true;
		return 0;
	}
	b = v->c[idx[n - 1]].op;
	if ((b == CYBEX_VERS_GT || b == CYBEX_VERS_GE) &&
	    satisfies(b, cmp[idx[n - 1]])) {
		*out = true;
		return 0;
	}
	for (i = 0; i + 1 < n; i++) {
		a = v->c[idx[i]].op;
		b = v->c[idx[i + 1]].op;
		if ((a == CYBEX_VERS_GT || a == CYBEX_VERS_GE) &&
		    (b == CYBEX_VERS_LT || b == CYBEX_VERS_LE) &&
		    satisfies(a, cmp[idx[i]]) && satisfies(b, cmp[idx[i + 1]])) {
			*out = true;
			return 0;
		}
	}
	return 0;
}
