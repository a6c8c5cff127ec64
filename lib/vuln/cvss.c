/*
 * CVSS vectors: one strict, table-driven parser for every version, and the
 * v2.0 and v3.x equations (v4.0 is in cvss4.c).
 *
 * Strictness, as the specifications state it: every base metric present,
 * no metric twice, only the values of the version.  v2.0 (section 2.4:
 * "a predetermined order") and v4.0 (section 7) vectors must list their
 * metrics in the specification's order; v3.x (section 6) allows any order,
 * as the reference test vectors of strict implementations confirm.
 *
 * Numbers: v3.x scores go through Roundup as v3.1 Appendix A defines it
 * (integer arithmetic on the value times 100,000, so that 8.55 stays 8.6
 * and 4.000000000000001 stays 4.0); v3.0 uses the same function, which is
 * what its "smallest number, to one decimal, not lower than the input"
 * means once floating-point noise is removed.  v2.0 rounds to one decimal,
 * half up, after the same noise removal.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vuln_int.h"

/* ---- the tables ---- */

static const struct cvss_mdef v2_defs[] = {
	{ "AV", "L A N", true },
	{ "AC", "H M L", true },
	{ "Au", "M S N", true },
	{ "C", "N P C", true },
	{ "I", "N P C", true },
	{ "A", "N P C", true },
	{ "E", "U POC F H ND", false },
	{ "RL", "OF TF W U ND", false },
	{ "RC", "UC UR C ND", false },
	{ "CDP", "N L LM MH H ND", false },
	{ "TD", "N L M H ND", false },
	{ "CR", "L M H ND", false },
	{ "IR", "L M H ND", false },
	{ "AR", "L M H ND", false },
};

static const struct cvss_mdef v3_defs[] = {
	{ "AV", "N A L P", true },
	{ "AC", "L H", true },
	{ "PR", "N L H", true },
	{ "UI", "N R", true },
	{ "S", "U C", true },
	{ "C", "H L N", true },
	{ "I", "H L N", true },
	{ "A", "H L N", true },
	{ "E", "X H F P U", false },
	{ "RL", "X U W T O", false },
	{ "RC", "X C R U", false },
	{ "CR", "X H M L", false },
	{ "IR", "X H M L", false },
	{ "AR", "X H M L", false },
	{ "MAV", "X N A L P", false },
	{ "MAC", "X L H", false },
	{ "MPR", "X N L H", false },
	{ "MUI", "X N R", false },
	{ "MS", "X U C", false },
	{ "MC", "X H L N", false },
	{ "MI", "X H L N", false },
	{ "MA", "X H L N", false },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
cvss_get(const struct cvss_vec *v, const char *key)
{
	size_t i;

	for (i = 0; i < v->ndefs; i++)
		if (strcmp(v->defs[i].key, key) == 0)
			return v->val[i];
	return NULL;
}

/*
 * The allowed value of def equal to s[0..n), as a static string, or NULL;
 * *pos gets its position in def->values.
 */
static const char *
value_of(const struct cvss_mdef *def, const char *s, size_t n,
    unsigned char *pos)
{
	/* A static copy: the table's strings are the values. */
	static const char *const names[] = {
		"A", "C", "D", "F", "G", "H", "I", "L", "M",
		"N", "O", "P", "R", "S", "T", "U", "W", "X",
		"Y", "OF", "TF", "UC", "UR", "ND", "LM", "MH",
		"POC", "Clear", "Green", "Amber", "Red",
	};
	/* The one-letter values, the most common, without a search. */
	static const char letters[] = "A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0"
	    "N\0O\0P\0Q\0R\0S\0T\0U\0V\0W\0X\0Y\0Z";
	const char *p = def->values, *e;
	unsigned char k = 0;
	size_t i;

	if (n == 0)
		return NULL;
	while (*p != '\0') {
		for (e = p; *e != ' ' && *e != '\0'; e++)
			;
		if ((size_t)(e - p) == n && p[0] == s[0] &&
		    memcmp(p, s, n) == 0) {
			*pos = k;
			if (n == 1 && p[0] >= 'A' && p[0] <= 'Z')
				return letters + 2 * (p[0] - 'A');
			for (i = 0; i < NELEM(names); i++)
				if (names[i][0] == s[0] &&
				    strlen(names[i]) == n &&
				    memcmp(names[i], s, n) == 0)
					return names[i];
			return NULL;
		}
		k++;
		p = *e == ' ' ? e + 1 : e;
	}
	return NULL;
}

/* Whether the NUL-terminated key is p[0..k) (p may hold NUL bytes). */
static bool
key_is(const char *key, const char *p, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (key[i] == '\0' || key[i] != p[i])
			return false;
	return key[k] == '\0';
}

/* s[0..n) for a message: at most 16 bytes, anything unprintable as '?'. */
static const char *
clip(char *buf, const char *s, size_t n)
{
	size_t i;

	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[n] = '\0';
	return buf;
}

/* Whether metric key appears as a component of s[0..n). */
static bool
appears(const char *s, size_t n, const char *key)
{
	size_t k = strlen(key), i;

	for (i = 0; i + k < n; i++)
		if ((i == 0 || s[i - 1] == '/') && memcmp(s + i, key, k) == 0 &&
		    s[i + k] == ':')
			return true;
	return false;
}

/*
 * Parse the metrics of s[0..len) (after any "CVSS:x.y/" prefix, which
 * starts at base[0]) into v with the table defs.
 */
static int
parse_metrics(const char *base, const char *s, size_t len,
    const struct cvss_mdef *defs, size_t ndefs, const char *version,
    bool ordered, struct cvss_vec *v, struct cybex_diag *d)
{
	const char *p = s, *end = s + len, *sep, *colon;
	size_t i, next = 0, k, j, hint = 0;
	char cb[17];

	/* Only the slots of this version: the rest is never read. */
	memset(v->val, 0, ndefs * sizeof(v->val[0]));
	memset(v->idx, 0, ndefs * sizeof(v->idx[0]));
	v->defs = defs;
	v->ndefs = ndefs;
	while (p < end) {
		unsigned long col = (unsigned long)(p - base) + 1;

		/* One pass finds the metric's ':' and its end. */
		for (sep = p, colon = NULL; sep < end && *sep != '/'; sep++)
			if (*sep == ':' && colon == NULL)
				colon = sep;
		if (sep == p || sep + 1 == end) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "empty metric (a '/' too many)", version);
			d->column = sep == p ? col :
			    (unsigned long)(end - base) + 1;
			return CYBEX_EFORMAT;
		}
		if (colon == NULL) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "'%s' is not METRIC:VALUE", version,
			    clip(cb, p, (size_t)(sep - p)));
			d->column = col;
			return CYBEX_EFORMAT;
		}
		/*
		 * Search from the metric after the last one: vectors mostly
		 * list their metrics in the table's order.
		 */
		k = (size_t)(colon - p);
		for (j = 0, i = ndefs; j < ndefs; j++)
			if (key_is(defs[(hint + j) % ndefs].key, p, k)) {
				i = (hint + j) % ndefs;
				break;
			}
		if (i == ndefs) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "unknown metric '%s'", version, clip(cb, p, k));
			d->column = col;
			return CYBEX_EFORMAT;
		}
		if (v->val[i] != NULL) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "metric %s given twice", version, defs[i].key);
			d->column = col;
			return CYBEX_EFORMAT;
		}
		if (!ordered)
			;	/* v3.x: any order (section 6) */
		else if (i < next) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "metric %s out of order (it comes before %s)",
			    version, defs[i].key, defs[next - 1].key);
			d->column = col;
			return CYBEX_EFORMAT;
		}
		for (k = next; ordered && k < i; k++)
			if (defs[k].mandatory) {
				if (appears(s, len, defs[k].key))
					cybex_diag_set(d, CYBEX_EFORMAT,
					    "CVSS %s vector: metric %s out of "
					    "order (%s comes before it)",
					    version, defs[i].key, defs[k].key);
				else
					cybex_diag_set(d, CYBEX_EFORMAT,
					    "CVSS %s vector: base metric %s is "
					    "missing before %s", version,
					    defs[k].key, defs[i].key);
				d->column = col;
				return CYBEX_EFORMAT;
			}
		if ((v->val[i] = value_of(&defs[i], colon + 1,
		    (size_t)(sep - colon - 1), &v->idx[i])) == NULL) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "%s:%s: %s takes one of %s", version,
			    defs[i].key, clip(cb, colon + 1,
			    (size_t)(sep - colon - 1)), defs[i].key,
			    defs[i].values);
			d->column = (unsigned long)(colon + 1 - base) + 1;
			return CYBEX_EFORMAT;
		}
		next = ordered ? i + 1 : 0;
		hint = i + 1;
		p = sep < end ? sep + 1 : end;
	}
	for (i = 0; i < ndefs; i++)
		if (defs[i].mandatory && v->val[i] == NULL) {
			cybex_diag_set(d, CYBEX_EFORMAT, "CVSS %s vector: "
			    "base metric %s is missing", version, defs[i].key);
			d->column = (unsigned long)(end - base) + 1;
			return CYBEX_EFORMAT;
		}
	return 0;
}

/* ---- numbers ---- */

/* v3.1 Appendix A Roundup. */
double
cvss_roundup(double x)
{
	long long i = llround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

/* v2.0: one decimal, half up, once the noise below 1e-6 is removed. */
static double
round1(double x)
{
	long long i = llround(x * 100000.0);	/* the value in 1e-5 units */

	return (double)((i + 5000) / 10000) / 10.0;
}

enum cybex_cvss_rating
cybex_cvss_rating_of(double s)
{
	if (s <= 0.0)
		return CYBEX_CVSS_NONE;
	if (s < 4.0)
		return CYBEX_CVSS_LOW;
	if (s < 7.0)
		return CYBEX_CVSS_MEDIUM;
	if (s < 9.0)
		return CYBEX_CVSS_HIGH;
	return CYBEX_CVSS_CRITICAL;
}

const char *
cybex_cvss_rating_name(enum cybex_cvss_rating r)
{
	switch (r) {
	case CYBEX_CVSS_NONE:
		return "None";
	case CYBEX_CVSS_LOW:
		return "Low";
	case CYBEX_CVSS_MEDIUM:
		return "Medium";
	case CYBEX_CVSS_HIGH:
		return "High";
	case CYBEX_CVSS_CRITICAL:
		return "Critical";
	}
	return "None";
}

/* The weight of value val among vals (space-separated), w[] in order. */
static double
weight(const char *val, const char *vals, const double *w)
{
	const char *p = vals, *e;
	size_t i = 0, n = strlen(val);

	while (*p != '\0') {
		if ((e = strchr(p, ' ')) == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == n && memcmp(p, val, n) == 0)
			return w[i];
		i++;
		p = *e == ' ' ? e + 1 : e;
	}
	return 0.0;	/* not reached: values were checked */
}

/* v's value of key, or dflt when unset (or, with x, set to "X"). */
static const char *
get_or(const struct cvss_vec *v, const char *key, const char *dflt)
{
	const char *s = cvss_get(v, key);

	return s == NULL || strcmp(s, "X") == 0 || strcmp(s, "ND") == 0 ?
	    dflt : s;
}

/* ---- v2.0 ---- */

static double
v2_base(double impact, double expl)
{
	double f = impact == 0.0 ? 0.0 : 1.176;

	return round1(((0.6 * impact) + (0.4 * expl) - 1.5) * f);
}

static void
v2_score(const struct cvss_vec *v, struct cybex_cvss *o)
{
	static const double av[] = { 0.395, 0.646, 1.0 };
	static const double ac[] = { 0.35, 0.61, 0.71 };
	static const double au[] = { 0.45, 0.56, 0.704 };
	static const double cia[] = { 0.0, 0.275, 0.660 };
	static const double e[] = { 0.85, 0.9, 0.95, 1.0, 1.0 };
	static const double rl[] = { 0.87, 0.90, 0.95, 1.0, 1.0 };
	static const double rc[] = { 0.90, 0.95, 1.0, 1.0 };
	static const double cdp[] = { 0.0, 0.1, 0.3, 0.4, 0.5, 0.0 };
	static const double td[] = { 0.0, 0.25, 0.75, 1.0, 1.0 };
	static const double req[] = { 0.5, 1.0, 1.51, 1.0 };
	double c = weight(cvss_get(v, "C"), "N P C", cia);
	double i = weight(cvss_get(v, "I"), "N P C", cia);
	double a = weight(cvss_get(v, "A"), "N P C", cia);
	double expl, tm, adj, adjbase, adjtemp;
	size_t k;

	o->impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
	expl = 20 * weight(cvss_get(v, "AV"), "L A N", av) *
	    weight(cvss_get(v, "AC"), "H M L", ac) *
	    weight(cvss_get(v, "Au"), "M S N", au);
	o->exploitability = round1(expl);
	o->base = v2_base(o->impact, expl);
	o->impact = round1(o->impact);
	tm = weight(get_or(v, "E", "ND"), "U POC F H ND", e) *
	    weight(get_or(v, "RL", "ND"), "OF TF W U ND", rl) *
	    weight(get_or(v, "RC", "ND"), "UC UR C ND", rc);
	o->has_temporal = cvss_get(v, "E") != NULL ||
	    cvss_get(v, "RL") != NULL || cvss_get(v, "RC") != NULL;
	o->temporal = round1(o->base * tm);
	o->has_environmental = false;
	for (k = 9; k < NELEM(v2_defs); k++)
		if (v->val[k] != NULL)
			o->has_environmental = true;
	adj = 10.41 * (1 - (1 - c * weight(get_or(v, "CR", "ND"),
	    "L M H ND", req)) * (1 - i * weight(get_or(v, "IR", "ND"),
	    "L M H ND", req)) * (1 - a * weight(get_or(v, "AR", "ND"),
	    "L M H ND", req)));
	if (adj > 10.0)
		adj = 10.0;
	o->modified_impact = round1(adj);
	adjbase = v2_base(adj, expl);
	adjtemp = round1(adjbase * tm);
	o->environmental = round1((adjtemp + (10 - adjtemp) *
	    weight(get_or(v, "CDP", "ND"), "N L LM MH H ND", cdp)) *
	    weight(get_or(v, "TD", "ND"), "N L M H ND", td));
	o->score = o->has_environmental ? o->environmental :
	    o->has_temporal ? o->temporal : o->base;
}

/* ---- v3.0 and v3.1 ---- */

/*
 * The positions of the v3 metrics in v3_defs, and so in cvss_vec.val and
 * .idx.  Scoring works on the value positions (.idx): each weight table
 * below lists the weights in the order of the values in v3_defs, and a
 * Modified metric's values are "X" followed by its base metric's values,
 * so that position - 1 is the base position and 0 means "as the base".
 */
enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_E, V3_RL,
	V3_RC, V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS,
	V3_MC, V3_MI, V3_MA };

/* The base position that modified metric m stands for. */
static unsigned
v3_mod(const struct cvss_vec *v, int m, int base)
{
	return v->idx[m] == 0 ? v->idx[base] : (unsigned)v->idx[m] - 1u;
}

static void
v3_score(const struct cvss_vec *v, bool v31, struct cybex_cvss *o)
{
	static const double av[] = { 0.85, 0.62, 0.55, 0.2 };
	static const double ac[] = { 0.77, 0.44 };
	static const double pr[2][3] = {	/* [changed][N L H] */
		{ 0.85, 0.62, 0.27 }, { 0.85, 0.68, 0.50 },
	};
	static const double ui[] = { 0.85, 0.62 };
	static const double cia[] = { 0.56, 0.22, 0.0 };
	static const double e[] = { 1.0, 1.0, 0.97, 0.94, 0.91 };
	static const double rl[] = { 1.0, 1.0, 0.97, 0.96, 0.95 };
	static const double rc[] = { 1.0, 1.0, 0.96, 0.92 };
	static const double req[] = { 1.0, 1.5, 1.0, 0.5 };
	const unsigned char *x = v->idx;
	bool changed = x[V3_S] == 1, mchanged;
	double iss, imp, expl, tm, miss, mimp, mexpl, m;
	size_t k;

	iss = 1 - (1 - cia[x[V3_C]]) * (1 - cia[x[V3_I]]) *
	    (1 - cia[x[V3_A]]);
	imp = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) :
	    6.42 * iss;
	expl = 8.22 * av[x[V3_AV]] * ac[x[V3_AC]] * pr[changed][x[V3_PR]] *
	    ui[x[V3_UI]];
	if (imp <= 0)
		o->base = 0.0;
	else if (changed)
		o->base = cvss_roundup(fmin(1.08 * (imp + expl), 10.0));
	else
		o->base = cvss_roundup(fmin(imp + expl, 10.0));
	o->impact = round1(imp <= 0 ? 0.0 : imp);
	o->exploitability = round1(expl);
	tm = e[x[V3_E]] * rl[x[V3_RL]] * rc[x[V3_RC]];
	o->temporal = cvss_roundup(o->base * tm);

	mchanged = v3_mod(v, V3_MS, V3_S) == 1;
	miss = 1 - (1 - req[x[V3_CR]] * cia[v3_mod(v, V3_MC, V3_C)]) *
	    (1 - req[x[V3_IR]] * cia[v3_mod(v, V3_MI, V3_I)]) *
	    (1 - req[x[V3_AR]] * cia[v3_mod(v, V3_MA, V3_A)]);
	miss = fmin(miss, 0.915);
	if (!mchanged)
		mimp = 6.42 * miss;
	else if (v31)
		mimp = 7.52 * (miss - 0.029) -
		    3.25 * pow(miss * 0.9731 - 0.02, 13);
	else
		mimp = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	mexpl = 8.22 * av[v3_mod(v, V3_MAV, V3_AV)] *
	    ac[v3_mod(v, V3_MAC, V3_AC)] *
	    pr[mchanged][v3_mod(v, V3_MPR, V3_PR)] *
	    ui[v3_mod(v, V3_MUI, V3_UI)];
	o->modified_impact = round1(mimp <= 0 ? 0.0 : mimp);
	if (mimp <= 0)
		o->environmental = 0.0;
	else {
		m = mchanged ? cvss_roundup(fmin(1.08 * (mimp + mexpl), 10.0)) :
		    cvss_roundup(fmin(mimp + mexpl, 10.0));
		o->environmental = cvss_roundup(m * tm);
	}
	/* The most specific: environmental when a metric of it is given. */
	for (k = V3_E; k < V3_CR; k++)
		if (x[k] != 0)
			o->has_temporal = true;
	for (k = V3_CR; k < NELEM(v3_defs); k++)
		if (x[k] != 0)
			o->has_environmental = true;
	o->score = o->has_environmental ? o->environmental :
	    o->has_temporal ? o->temporal : o->base;
}

/* ---- the entry point ---- */

int
cybex_cvss_read(const char *vector, size_t len, struct cybex_cvss *out,
    struct cybex_diag *d)
{
	struct cvss_vec v;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > CYBEX_CVSS_VECTOR_MAX) {
		cybex_diag_set(d, CYBEX_ETOOBIG, "CVSS vector of %zu bytes "
		    "(at most %d)", len, CYBEX_CVSS_VECTOR_MAX);
		return CYBEX_ETOOBIG;
	}
	if (len == 0) {
		cybex_diag_set(d, CYBEX_EFORMAT, "empty CVSS vector");
		d->column = 1;
		return CYBEX_EFORMAT;
	}
	if (len >= 9 && memcmp(vector, "CVSS:3.0/", 9) == 0) {
		out->version = CYBEX_CVSS_V30;
		if ((r = parse_metrics(vector, vector + 9, len - 9, v3_defs,
		    NELEM(v3_defs), "3.0", false, &v, d)) != 0)
			return r;
		v3_score(&v, false, out);
	} else if (len >= 9 && memcmp(vector, "CVSS:3.1/", 9) == 0) {
		out->version = CYBEX_CVSS_V31;
		if ((r = parse_metrics(vector, vector + 9, len - 9, v3_defs,
		    NELEM(v3_defs), "3.1", false, &v, d)) != 0)
			return r;
		v3_score(&v, true, out);
	} else if (len >= 9 && memcmp(vector, "CVSS:4.0/", 9) == 0) {
		out->version = CYBEX_CVSS_V40;
		if ((r = parse_metrics(vector, vector + 9, len - 9, cvss4_defs,
		    cvss4_ndefs, "4.0", true, &v, d)) != 0)
			return r;
		if ((r = cvss4_score(&v, out, d)) != 0)
			return r;
	} else if (len >= 5 && memcmp(vector, "CVSS:", 5) == 0) {
		char cb[17];

		cybex_diag_set(d, CYBEX_EFORMAT, "unknown CVSS version "
		    "'%s' (2.0 has no prefix; 3.0, 3.1 and 4.0 are known)",
		    clip(cb, vector + 5, strcspn(vector + 5, "/") < len - 5 ?
		    strcspn(vector + 5, "/") : len - 5));
		d->column = 6;
		return CYBEX_EFORMAT;
	} else {
		out->version = CYBEX_CVSS_V20;
		if ((r = parse_metrics(vector, vector, len, v2_defs,
		    NELEM(v2_defs), "2.0", true, &v, d)) != 0)
			return r;
		v2_score(&v, out);
	}
	out->rating = cybex_cvss_rating_of(out->score);
	return 0;
}
