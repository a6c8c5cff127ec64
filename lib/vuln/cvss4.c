/*
 * CVSS v4.0 scoring (specification section 8): the vector's macrovector
 * (EQ1..EQ6) gives a score from FIRST's lookup table (cvss4_table.c), which
 * is then lowered by the vector's distance from the most severe vectors of
 * its macrovector, in proportion to the score gap to the next lower
 * macrovector of each equivalence set, and rounded to one decimal.
 *
 * The highest vectors of each EQ level ("max composed") and the depth of
 * each level in severity steps ("max severity") are FIRST's published
 * tables, written out below.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vuln_int.h"

const struct cvss_mdef cvss4_defs[] = {
	{ "AV", "N A L P", true },
	{ "AC", "L H", true },
	{ "AT", "N P", true },
	{ "PR", "N L H", true },
	{ "UI", "N P A", true },
	{ "VC", "H L N", true },
	{ "VI", "H L N", true },
	{ "VA", "H L N", true },
	{ "SC", "H L N", true },
	{ "SI", "H L N", true },
	{ "SA", "H L N", true },
	{ "E", "X A P U", false },
	{ "CR", "X H M L", false },
	{ "IR", "X H M L", false },
	{ "AR", "X H M L", false },
	{ "MAV", "X N A L P", false },
	{ "MAC", "X L H", false },
	{ "MAT", "X N P", false },
	{ "MPR", "X N L H", false },
	{ "MUI", "X N P A", false },
	{ "MVC", "X H L N", false },
	{ "MVI", "X H L N", false },
	{ "MVA", "X H L N", false },
	{ "MSC", "X H L N", false },
	{ "MSI", "X S H L N", false },
	{ "MSA", "X S H L N", false },
	{ "S", "X N P", false },
	{ "AU", "X N Y", false },
	{ "R", "X A U I", false },
	{ "V", "X D C", false },
	{ "RE", "X L M H", false },
	{ "U", "X Clear Green Amber Red", false },
};
const size_t cvss4_ndefs = sizeof(cvss4_defs) / sizeof(cvss4_defs[0]);

/* Index of the first environmental metric (CR) and of the supplemental. */
#define V4_ENV_FIRST	12
#define V4_SUPPL_FIRST	26

/*
 * The effective value of a metric: the modified one when given, else the
 * base one; E unset is A (worst case), CR/IR/AR unset are H.
 */
static const char *
eff(const struct cvss_vec *v, const char *key)
{
	char mk[8];
	const char *s;

	if (strcmp(key, "E") == 0) {
		s = cvss_get(v, "E");
		return s == NULL || strcmp(s, "X") == 0 ? "A" : s;
	}
	if (strcmp(key, "CR") == 0 || strcmp(key, "IR") == 0 ||
	    strcmp(key, "AR") == 0) {
		s = cvss_get(v, key);
		return s == NULL || strcmp(s, "X") == 0 ? "H" : s;
	}
	mk[0] = 'M';
	strncpy(mk + 1, key, sizeof(mk) - 2);
	mk[sizeof(mk) - 1] = '\0';
	if ((s = cvss_get(v, mk)) != NULL && strcmp(s, "X") != 0)
		return s;
	return cvss_get(v, key);
}

static bool
is(const struct cvss_vec *v, const char *key, const char *val)
{
	const char *s = eff(v, key);

	return s != NULL && strcmp(s, val) == 0;
}

/* Severity level of each value, in tenths of a step (section 8.2). */
static double
level(const char *key, const char *val)
{
	static const struct {
		const char	*key, *val;
		double		 lv;
	} t[] = {
		{ "AV", "N", 0.0 }, { "AV", "A", 0.1 }, { "AV", "L", 0.2 },
		{ "AV", "P", 0.3 },
		{ "PR", "N", 0.0 }, { "PR", "L", 0.1 }, { "PR", "H", 0.2 },
		{ "UI", "N", 0.0 }, { "UI", "P", 0.1 }, { "UI", "A", 0.2 },
		{ "AC", "L", 0.0 }, { "AC", "H", 0.1 },
		{ "AT", "N", 0.0 }, { "AT", "P", 0.1 },
		{ "VC", "H", 0.0 }, { "VC", "L", 0.1 }, { "VC", "N", 0.2 },
		{ "VI", "H", 0.0 }, { "VI", "L", 0.1 }, { "VI", "N", 0.2 },
		{ "VA", "H", 0.0 }, { "VA", "L", 0.1 }, { "VA", "N", 0.2 },
		{ "SC", "H", 0.1 }, { "SC", "L", 0.2 }, { "SC", "N", 0.3 },
		{ "SI", "S", 0.0 }, { "SI", "H", 0.1 }, { "SI", "L", 0.2 },
		{ "SI", "N", 0.3 },
		{ "SA", "S", 0.0 }, { "SA", "H", 0.1 }, { "SA", "L", 0.2 },
		{ "SA", "N", 0.3 },
		{ "CR", "H", 0.0 }, { "CR", "M", 0.1 }, { "CR", "L", 0.2 },
		{ "IR", "H", 0.0 }, { "IR", "M", 0.1 }, { "IR", "L", 0.2 },
		{ "AR", "H", 0.0 }, { "AR", "M", 0.1 }, { "AR", "L", 0.2 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].key, key) == 0 && strcmp(t[i].val, val) == 0)
			return t[i].lv;
	return 0.0;
}

/* The score of macrovector m[0..5] (digits), or NAN when there is none. */
static double
lookup(const int m[6])
{
	char key[7];
	size_t lo = 0, hi = cvss4_nlookup, mid;
	int c, i;

	for (i = 0; i < 6; i++) {
		if (m[i] < 0 || m[i] > 9)
			return NAN;
		key[i] = (char)('0' + m[i]);
	}
	key[6] = '\0';
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(key, cvss4_lookup[mid].key)) == 0)
			return cvss4_lookup[mid].score;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NAN;
}

/*
 * FIRST's highest vectors of each EQ level (maxComposed.json): for EQ3
 * indexed by EQ3 then EQ6.  Each string lists metric:value pairs.
 */
static const char *const max_eq1[3][3] = {
	{ "AV:N/PR:N/UI:N/" },
	{ "AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/" },
	{ "AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/" },
};
static const char *const max_eq2[2][2] = {
	{ "AC:L/AT:N/" },
	{ "AC:H/AT:N/", "AC:L/AT:P/" },
};
static const char *const max_eq3[3][2][5] = {
	{
		{ "VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/" },
		{ "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/",
		    "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/" },
	},
	{
		{ "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/",
		    "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/" },
		{ "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/",
		    "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/",
		    "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/",
		    "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/",
		    "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/" },
	},
	{
		{ NULL },
		{ "VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/" },
	},
};
static const char *const max_eq4[3] = {
	"SC:H/SI:S/SA:S/", "SC:H/SI:H/SA:H/", "SC:L/SI:L/SA:L/",
};
/* maxSeverity.json, in steps of 0.1. */
static const int sev_eq1[3] = { 1, 4, 5 };
static const int sev_eq2[2] = { 1, 2 };
static const int sev_eq3eq6[3][2] = { { 7, 6 }, { 8, 8 }, { -1, 10 } };
static const int sev_eq4[3] = { 6, 5, 4 };
static const int sev_eq5[3] = { 1, 1, 1 };

/* The value of key in a max-vector string ("AV:N/PR:N/"), or NULL. */
static const char *
max_value(const char *s, const char *key, char *buf, size_t cap)
{
	size_t k = strlen(key);
	const char *p = s, *e;

	while (*p != '\0') {
		if (strncmp(p, key, k) == 0 && p[k] == ':') {
			p += k + 1;
			if ((e = strchr(p, '/')) == NULL)
				e = p + strlen(p);
			if ((size_t)(e - p) >= cap)
				return NULL;
			memcpy(buf, p, (size_t)(e - p));
			buf[e - p] = '\0';
			return buf;
		}
		if ((p = strchr(p, '/')) == NULL)
			break;
		p++;
	}
	return NULL;
}

static const char *const dist_keys[] = {
	"AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA",
	"CR", "IR", "AR",
};
#define NDIST	(sizeof(dist_keys) / sizeof(dist_keys[0]))

/* The distance of v from the max vector made of the five parts. */
static bool
distances(const struct cvss_vec *v, const char *const part[4],
    double dist[NDIST])
{
	char buf[8];
	const char *mv;
	size_t i, j;

	for (i = 0; i < NDIST; i++) {
		mv = NULL;
		for (j = 0; j < 4 && mv == NULL; j++)
			mv = max_value(part[j], dist_keys[i], buf, sizeof(buf));
		if (mv == NULL)
			return false;
		dist[i] = level(dist_keys[i], eff(v, dist_keys[i])) -
		    level(dist_keys[i], mv);
		if (dist[i] < 0)
			return false;
	}
	return true;
}

/*
 * The distances from the first of the macrovector's max vectors that v
 * does not exceed in any metric (FIRST's order: EQ1, EQ2, EQ3/EQ6, EQ4).
 */
static bool
max_distances(const struct cvss_vec *v, const int eq[6], double dist[NDIST])
{
	const char *part[4];
	size_t a, b, c;

	part[3] = max_eq4[eq[3]];
	for (a = 0; a < 3 && max_eq1[eq[0]][a] != NULL; a++)
		for (b = 0; b < 2 && max_eq2[eq[1]][b] != NULL; b++)
			for (c = 0; c < 5 &&
			    max_eq3[eq[2]][eq[5]][c] != NULL; c++) {
				part[0] = max_eq1[eq[0]][a];
				part[1] = max_eq2[eq[1]][b];
				part[2] = max_eq3[eq[2]][eq[5]][c];
				if (distances(v, part, dist))
					return true;
			}
	return false;
}

int
cvss4_score(const struct cvss_vec *v, struct cybex_cvss *o,
    struct cybex_diag *d)
{
	int eq[6], m[6];
	double value, lower[5], avail, maxsev[5], cur[5], dist[NDIST];
	double sum = 0.0;
	bool threat = false, env = false;
	size_t i, n = 0;

	/* Which groups the vector gives: its nomenclature. */
	for (i = V4_ENV_FIRST - 1; i < V4_SUPPL_FIRST; i++)
		if (v->val[i] != NULL && strcmp(v->val[i], "X") != 0) {
			if (i == V4_ENV_FIRST - 1)
				threat = true;
			else
				env = true;
		}
	snprintf(o->nomenclature, sizeof(o->nomenclature), "CVSS-B%s%s",
	    threat ? "T" : "", env ? "E" : "");
	o->has_temporal = threat;
	o->has_environmental = env;

	/* The macrovector. */
	if (is(v, "AV", "N") && is(v, "PR", "N") && is(v, "UI", "N"))
		eq[0] = 0;
	else if ((is(v, "AV", "N") || is(v, "PR", "N") || is(v, "UI", "N")) &&
	    !is(v, "AV", "P"))
		eq[0] = 1;
	else
		eq[0] = 2;
	eq[1] = is(v, "AC", "L") && is(v, "AT", "N") ? 0 : 1;
	if (is(v, "VC", "H") && is(v, "VI", "H"))
		eq[2] = 0;
	else if (is(v, "VC", "H") || is(v, "VI", "H") || is(v, "VA", "H"))
		eq[2] = 1;
	else
		eq[2] = 2;
	if (is(v, "SI", "S") || is(v, "SA", "S"))
		eq[3] = 0;
	else if (is(v, "SC", "H") || is(v, "SI", "H") || is(v, "SA", "H"))
		eq[3] = 1;
	else
		eq[3] = 2;
	eq[4] = is(v, "E", "A") ? 0 : is(v, "E", "P") ? 1 : 2;
	eq[5] = (is(v, "CR", "H") && is(v, "VC", "H")) ||
	    (is(v, "IR", "H") && is(v, "VI", "H")) ||
	    (is(v, "AR", "H") && is(v, "VA", "H")) ? 0 : 1;
	for (i = 0; i < 6; i++)
		o->macrovector[i] = (char)('0' + eq[i]);
	o->macrovector[6] = '\0';

	/* No impact at all: 0.0 (section 8.2). */
	if (is(v, "VC", "N") && is(v, "VI", "N") && is(v, "VA", "N") &&
	    is(v, "SC", "N") && is(v, "SI", "N") && is(v, "SA", "N")) {
		o->base = o->score = 0.0;
		return 0;
	}
	if (isnan(value = lookup(eq)))
		return cybex_diag_set(d, CYBEX_EINTERNAL, "CVSS 4.0: no "
		    "score for macrovector %s", o->macrovector);

	/* The next lower macrovector of each EQ (EQ3 and EQ6 together). */
	memcpy(m, eq, sizeof(m)); m[0]++; lower[0] = lookup(m);
	memcpy(m, eq, sizeof(m)); m[1]++; lower[1] = lookup(m);
	if (eq[2] == 0 && eq[5] == 0) {
		double l, r;

		memcpy(m, eq, sizeof(m)); m[5]++; l = lookup(m);
		memcpy(m, eq, sizeof(m)); m[2]++; r = lookup(m);
		lower[2] = isnan(l) ? r : isnan(r) ? l : fmax(l, r);
	} else if (eq[2] == 1 && eq[5] == 0) {
		memcpy(m, eq, sizeof(m)); m[5]++; lower[2] = lookup(m);
	} else {
		memcpy(m, eq, sizeof(m)); m[2]++; lower[2] = lookup(m);
	}
	memcpy(m, eq, sizeof(m)); m[3]++; lower[3] = lookup(m);
	memcpy(m, eq, sizeof(m)); m[4]++; lower[4] = lookup(m);

	if (!max_distances(v, eq, dist))
		return cybex_diag_set(d, CYBEX_EINTERNAL, "CVSS 4.0: no "
		    "highest vector under macrovector %s", o->macrovector);
	cur[0] = dist[0] + dist[1] + dist[2];		/* AV PR UI */
	cur[1] = dist[3] + dist[4];			/* AC AT */
	cur[2] = dist[5] + dist[6] + dist[7] + dist[11] + dist[12] +
	    dist[13];					/* VC VI VA CR IR AR */
	cur[3] = dist[8] + dist[9] + dist[10];		/* SC SI SA */
	cur[4] = 0.0;
	maxsev[0] = sev_eq1[eq[0]] * 0.1;
	maxsev[1] = sev_eq2[eq[1]] * 0.1;
	maxsev[2] = sev_eq3eq6[eq[2]][eq[5]] * 0.1;
	maxsev[3] = sev_eq4[eq[3]] * 0.1;
	maxsev[4] = sev_eq5[eq[4]] * 0.1;
	for (i = 0; i < 5; i++) {
		if (isnan(lower[i]))
			continue;
		n++;
		avail = value - lower[i];
		sum += avail * (cur[i] / maxsev[i]);
	}
	if (n > 0)
		value -= sum / (double)n;
	if (value < 0.0)
		value = 0.0;
	if (value > 10.0)
		value = 10.0;
	/* One decimal, half up, with the noise below 1e-6 removed. */
	o->score = (double)((llround(value * 100000.0) + 5000) / 10000) / 10.0;
	o->base = o->score;
	return 0;
}
