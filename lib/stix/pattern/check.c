/*
 * Checks beyond the grammar, and the indicator rule's hook.
 *
 * Errors (the pattern can never work as written): invalid regular
 * expressions, ISSUBSET/ISSUPERSET operands that are not IP addresses or
 * CIDRs, hash values of the wrong shape for their algorithm, WITHIN 0 or
 * REPEATS 0, START not before STOP, the same qualifier twice on one
 * [ ] expression (as the reference validator rules), a set for IN whose
 * values are not all of one type.
 *
 * Warnings (errors with CYBEX_PATTERN_STRICT): object types and properties
 * the STIX registry does not know (custom ones are legal), literals whose
 * type cannot compare with the property, list properties stepped into
 * without an index, comparisons joined by AND that can never hold for one
 * object, and timestamps the grammar accepts but the calendar does not
 * (t'2023-02-30T00:00:00Z'; the pattern-validator test vectors call them
 * valid, so they are not errors by default).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pattern_int.h"
#include "stix_int.h"

void
pcheck_report(struct pcheck_out *co, int severity, const char *rule,
    size_t pos, const char *fmt, ...)
{
	struct cybex_diag d;
	va_list ap;

	if (co->flags & CYBEX_PATTERN_SYNTAX_ONLY)
		return;
	if (severity == CYBEX_SEV_WARNING && (co->flags & CYBEX_PATTERN_STRICT))
		severity = CYBEX_SEV_ERROR;
	cybex_diag_clear(&d);
	d.code = severity == CYBEX_SEV_ERROR ? CYBEX_EFORMAT : 0;
	d.severity = severity;
	d.rule = rule;
	d.line = 1;
	d.column = pos + 1;
	d.offset = pos;
	va_start(ap, fmt);
	vsnprintf(d.message, sizeof(d.message), fmt, ap);
	va_end(ap);
	if (severity == CYBEX_SEV_ERROR) {
		if (co->errors++ == 0 && co->first != NULL)
			*co->first = d;
	} else
		co->warnings++;
	if (co->fn != NULL)
		co->fn(co->ud, &d);
}

/* ---- resolving a path against the registry ---- */

enum rstate {
	RS_TYPES = 1,	/* at an object of one of r->types */
	RS_EXTS,	/* at the extensions dictionary */
	RS_HASHES,	/* at a hashes dictionary */
	RS_HASHVAL,	/* at one hash value (algo, or NULL for [*]) */
	RS_VALUE,	/* at a scalar property r->prop */
	RS_ANY,		/* dictionary, custom or unknown: nothing to check */
};

#define RTYPES_MAX	8

struct resolved {
	int			 state;
	const struct stix_type	*types[RTYPES_MAX];
	size_t			 ntypes;
	const struct stix_prop	*prop;		/* the last property */
	bool			 list;		/* at a list, index pending */
	const char		*algo;
	const char		*name;		/* the last key */
};

/* Allowed reference targets ("ipv4-addr|domain-name") as types. */
static void
ref_targets(struct resolved *r, const char *ref)
{
	char name[64];
	const char *p = ref, *bar;
	size_t n;

	r->ntypes = 0;
	r->state = RS_TYPES;
	while (p != NULL && *p != '\0') {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (n == 0 || n >= sizeof(name) || p[0] == '@' || p[0] == '*') {
			r->state = RS_ANY;	/* a class: any SCO */
			return;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (r->ntypes < RTYPES_MAX &&
		    (r->types[r->ntypes] = stix_type_find(name)) != NULL)
			r->ntypes++;
		p = bar != NULL ? bar + 1 : NULL;
	}
	if (r->ntypes == 0)
		r->state = RS_ANY;
}

static void
enter_prop(struct resolved *r, const struct stix_prop *p)
{
	const struct stix_type *e;

	r->prop = p;
	r->list = (p->flags & SPF_LIST) != 0;
	switch (p->kind) {
	case SK_IDENTIFIER:
		ref_targets(r, p->ref != NULL ? p->ref : "*");
		break;
	case SK_EMBEDDED:
		if ((e = stix_embedded_find(p->ref)) == NULL) {
			r->state = RS_ANY;
			break;
		}
		r->types[0] = e;
		r->ntypes = 1;
		r->state = RS_TYPES;
		break;
	case SK_EXTENSIONS:
		r->state = RS_EXTS;
		break;
	case SK_HASHES:
		r->state = RS_HASHES;
		break;
	case SK_DICT: case SK_OBJECT: case SK_ANY:
		r->state = RS_ANY;
		break;
	default:
		r->state = RS_VALUE;
		break;
	}
}

static void
resolve(struct pcheck_out *co, const struct cybex_pattern_path *pa,
    struct resolved *r)
{
	const struct cybex_pattern_step *st;
	const struct stix_prop *p;
	const struct stix_type *t, *e;
	size_t i, k;

	memset(r, 0, sizeof(*r));
	r->state = RS_ANY;
	if ((t = stix_type_find(pa->type)) == NULL) {
		/*
		 * Section 11.2: custom objects are deprecated ("SHOULD be
		 * defined using the STIX Extension mechanism"), so a
		 * warning; its properties cannot be checked.
		 */
		if (strncmp(pa->type, "x-", 2) == 0)
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-custom-type", pa->pos, "'%s' is a custom "
			    "object type (custom objects are deprecated in "
			    "STIX 2.1); its properties are not checked",
			    pa->type);
		else
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-unknown-type", pa->pos, "'%s' is not a "
			    "STIX 2.1 object type (custom types should start "
			    "with 'x-')", pa->type);
		return;
	}
	if (t->cat != SC_SCO) {
		pcheck_report(co, CYBEX_SEV_WARNING, "pattern-unknown-type",
		    pa->pos, "'%s' is not a cyber-observable (SCO) type; "
		    "patterns match SCOs", pa->type);
		return;
	}
	r->types[0] = t;
	r->ntypes = 1;
	r->state = RS_TYPES;
	for (i = 0; i < pa->nsteps; i++) {
		st = &pa->steps[i];
		if (st->kind != CYBEX_PSTEP_KEY) {
			if (r->state == RS_HASHES)
				r->state = RS_HASHVAL;	/* hashes[*] */
			r->list = false;
			continue;
		}
		r->name = st->key;
		if (r->list) {
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-path-list", st->pos, "'%s' is a list: "
			    "step in with [*] or an index, as in %s[*].%s",
			    r->prop->name, r->prop->name, st->key);
			r->state = RS_ANY;
			return;
		}
		switch (r->state) {
		case RS_TYPES:
			p = NULL;
			for (k = 0; k < r->ntypes && p == NULL; k++)
				p = stix_prop_find(r->types[k], st->key);
			if (p == NULL) {
				if (strncmp(st->key, "x_", 2) != 0)
					pcheck_report(co, CYBEX_SEV_WARNING,
					    "pattern-unknown-property", st->pos,
					    "'%s' has no property '%s' (custom "
					    "properties should start with "
					    "'x_')", r->types[0]->name, st->key);
				r->state = RS_ANY;
				return;
			}
			enter_prop(r, p);
			break;
		case RS_EXTS:
			e = stix_embedded_find(st->key);
			if (e != NULL && e->cat == SC_SCO_EXT) {
				r->types[0] = e;
				r->ntypes = 1;
				r->state = RS_TYPES;
				break;
			}
			if (strncmp(st->key, "extension-definition--", 22) != 0 &&
			    strncmp(st->key, "x-", 2) != 0)
				pcheck_report(co, CYBEX_SEV_WARNING,
				    "pattern-unknown-property", st->pos,
				    "'%s' is not a predefined extension",
				    st->key);
			r->state = RS_ANY;
			return;
		case RS_HASHES:
			r->state = RS_HASHVAL;
			r->algo = st->key;
			break;
		case RS_HASHVAL:
		case RS_VALUE:
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-unknown-property", st->pos, "'%s' holds a "
			    "value, not properties", r->state == RS_VALUE ?
			    r->prop->name : "a hash");
			r->state = RS_ANY;
			return;
		default:
			return;
		}
	}
}

/* ---- literals ---- */

static const char *
lit_name(int type)
{
	switch (type) {
	case CYBEX_PLIT_INT: return "an integer";
	case CYBEX_PLIT_FLOAT: return "a number";
	case CYBEX_PLIT_STRING: return "a string";
	case CYBEX_PLIT_BOOL: return "a boolean";
	case CYBEX_PLIT_BINARY: return "a binary literal";
	case CYBEX_PLIT_HEX: return "a hex literal";
	case CYBEX_PLIT_TIMESTAMP: return "a timestamp";
	default: return "a literal";
	}
}

static const char *
kind_name(int kind)
{
	switch (kind) {
	case SK_INTEGER: return "an integer";
	case SK_FLOAT: return "a number";
	case SK_BOOLEAN: return "a boolean";
	case SK_TIMESTAMP: return "a timestamp (compare with t'...')";
	case SK_BINARY: return "binary (base64)";
	case SK_HEX: return "binary (hex)";
	default: return "a string";
	}
}

/* Whether a literal of type lt can ever compare with a property of kind. */
static bool
lit_fits(int kind, int lt)
{
	switch (kind) {
	case SK_INTEGER:
	case SK_FLOAT:
		return lt == CYBEX_PLIT_INT || lt == CYBEX_PLIT_FLOAT;
	case SK_BOOLEAN:
		return lt == CYBEX_PLIT_BOOL;
	case SK_TIMESTAMP:
		return lt == CYBEX_PLIT_TIMESTAMP;
	case SK_BINARY:
	case SK_HEX:
		return lt == CYBEX_PLIT_BINARY || lt == CYBEX_PLIT_HEX ||
		    lt == CYBEX_PLIT_STRING;
	default:
		return lt == CYBEX_PLIT_STRING || lt == CYBEX_PLIT_BINARY ||
		    lt == CYBEX_PLIT_HEX;
	}
}

static bool
all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

/* MD5, SHA-1, ... (upper-cased, '-' dropped, as the reference does). */
static bool
hash_ok(const char *algo, const struct cybex_pattern_lit *l,
    const char **std)
{
	static const struct {
		const char	*norm;
		const char	*name;
		size_t		 len;
	} tab[] = {
		{ "MD5", "MD5", 32 }, { "SHA1", "SHA-1", 40 },
		{ "SHA256", "SHA-256", 64 }, { "SHA512", "SHA-512", 128 },
		{ "SHA3256", "SHA3-256", 64 }, { "SHA3512", "SHA3-512", 128 },
		{ "SHA224", "SHA-224", 56 }, { "SHA384", "SHA-384", 96 },
	};
	char norm[32];
	size_t i, k = 0;

	*std = NULL;
	for (i = 0; algo[i] != '\0' && k + 1 < sizeof(norm); i++)
		if (algo[i] != '-')
			norm[k++] = algo[i] >= 'a' && algo[i] <= 'z' ?
			    (char)(algo[i] - 32) : algo[i];
	norm[k] = '\0';
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strcmp(norm, tab[i].norm) != 0)
			continue;
		*std = tab[i].name;
		return l->n == tab[i].len && all_hex(l->s, l->n);
	}
	if (strcmp(norm, "SSDEEP") == 0) {
		*std = "SSDEEP";
		for (i = 0; i < l->n; i++)
			if (!((l->s[i] >= 'a' && l->s[i] <= 'z') ||
			    (l->s[i] >= 'A' && l->s[i] <= 'Z') ||
			    (l->s[i] >= '0' && l->s[i] <= '9') ||
			    strchr("/+:.", l->s[i]) != NULL))
				return false;
		return l->n >= 1 && l->n <= 128;
	}
	if (strcmp(norm, "TLSH") == 0) {
		*std = "TLSH";
		return (l->n == 70 && all_hex(l->s, l->n)) || (l->n == 72 &&
		    l->s[0] == 'T' && l->s[1] == '1' && all_hex(l->s + 2, 70));
	}
	return true;
}

static void
check_time(struct pcheck_out *co, const struct cybex_time *t, size_t pos,
    const char *text, size_t n)
{
	struct cybex_time strict;

	(void)t;
	if (text != NULL && cybex_time_parse(text, n, CYBEX_TIME_UTC_Z,
	    &strict, NULL) != 0)
		pcheck_report(co, CYBEX_SEV_WARNING, "pattern-timestamp-calendar",
		    pos, "'%.*s' is not a date on the calendar (it is read as "
		    "the instant it rolls over to)", (int)n, text);
}

static void
check_lits(struct pcheck_out *co, const struct cybex_pattern_node *t,
    const struct resolved *r)
{
	const struct cybex_pattern_lit *l;
	const char *std;
	size_t k;
	int first = 0;

	for (k = 0; k < t->nlits; k++) {
		l = &t->lits[k];
		if (l->type == CYBEX_PLIT_TIMESTAMP)
			check_time(co, &l->t, l->pos, l->s, l->n);
		/*
		 * Section 9.6.1, IN: "The set values in b MUST be constants
		 * of homogeneous data type".  Integers and floats count as
		 * one type, numbers: (1, 2.5) compares as one numeric set.
		 */
		if (t->op == CYBEX_POP_IN) {
			int cls = l->type == CYBEX_PLIT_FLOAT ? CYBEX_PLIT_INT :
			    l->type;

			if (first == 0)
				first = cls;
			else if (cls != first && first > 0) {
				pcheck_report(co, CYBEX_SEV_ERROR,
				    "pattern-set-types", l->pos, "the set "
				    "mixes %s and %s; its values must all be "
				    "of one type", lit_name(first),
				    lit_name(l->type));
				first = -1;
			}
		}
		if (t->op == CYBEX_POP_ISSUBSET ||
		    t->op == CYBEX_POP_ISSUPERSET) {
			uint8_t a[16];
			unsigned plen;
			int fam;

			if (!cybex_pattern_ip_parse(l->s, l->n, &fam, a, &plen))
				pcheck_report(co, CYBEX_SEV_ERROR,
				    "pattern-cidr", l->pos, "%s needs an IPv4 "
				    "or IPv6 address or CIDR, not '%s'",
				    cybex_pattern_op_name(t->op), l->s);
			continue;
		}
		if (t->op == CYBEX_POP_LIKE || t->op == CYBEX_POP_MATCHES)
			continue;
		if (r->state == RS_HASHVAL && r->algo != NULL) {
			if (l->type != CYBEX_PLIT_STRING)
				pcheck_report(co, CYBEX_SEV_WARNING,
				    "pattern-literal-type", l->pos, "a hash "
				    "value is a string, not %s",
				    lit_name(l->type));
			else if (!hash_ok(r->algo, l, &std) &&
			    (t->op == CYBEX_POP_EQ || t->op == CYBEX_POP_NE ||
			    t->op == CYBEX_POP_IN))
				pcheck_report(co, CYBEX_SEV_ERROR,
				    "pattern-hash-value", l->pos, "'%s' is not "
				    "a valid %s hash", l->s, std);
			continue;
		}
		if (r->state == RS_VALUE && !lit_fits(r->prop->kind, l->type))
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-literal-type", l->pos, "'%s' is %s; %s "
			    "never compares with it", r->prop->name,
			    kind_name(r->prop->kind), lit_name(l->type));
		else if (r->state == RS_TYPES && r->prop != NULL &&
		    r->prop->kind == SK_IDENTIFIER)
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-literal-type", l->pos, "'%s' is a "
			    "reference; compare a property of the object it "
			    "names, as in %s.value", r->prop->name,
			    r->prop->name);
	}
}

static void
check_test(struct cybex_pattern *p, struct pcheck_out *co,
    struct cybex_pattern_node *t)
{
	struct resolved r;
	struct perr e;
	const char *pname;
	int kind;

	if (t->op == CYBEX_POP_LIKE || t->op == CYBEX_POP_MATCHES) {
		memset(&e, 0, sizeof(e));
		if (prx_compile(p, t, co->jit, &e) != 0)
			pcheck_report(co, CYBEX_SEV_ERROR, e.rule, e.pos, "%s",
			    e.msg);
	}
	if (co->flags & CYBEX_PATTERN_SYNTAX_ONLY)
		return;
	resolve(co, t->path, &r);
	if (t->op != CYBEX_POP_EXISTS)
		check_lits(co, t, &r);
	if (r.state != RS_VALUE || t->op == CYBEX_POP_EXISTS)
		return;
	kind = r.prop->kind;
	pname = r.prop->name;
	if ((t->op == CYBEX_POP_LIKE || t->op == CYBEX_POP_ISSUBSET ||
	    t->op == CYBEX_POP_ISSUPERSET) && !lit_fits(kind, CYBEX_PLIT_STRING))
		pcheck_report(co, CYBEX_SEV_WARNING, "pattern-literal-type",
		    t->oppos, "%s applies to strings; '%s' is %s",
		    cybex_pattern_op_name(t->op), pname, kind_name(kind));
	if (t->op == CYBEX_POP_MATCHES && !lit_fits(kind, CYBEX_PLIT_STRING))
		pcheck_report(co, CYBEX_SEV_WARNING, "pattern-literal-type",
		    t->oppos, "MATCHES applies to strings and binary values; "
		    "'%s' is %s", pname, kind_name(kind));
}

/* ---- comparison expressions: which object types they can match ---- */

#define TSET_MAX	16

struct tset {
	size_t		 n;		/* SIZE_MAX: too many to track */
	const char	*t[TSET_MAX];
};

static void
tset_add(struct tset *s, const char *t)
{
	size_t i;

	if (s->n == SIZE_MAX)
		return;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i], t) == 0)
			return;
	if (s->n == TSET_MAX)
		s->n = SIZE_MAX;
	else
		s->t[s->n++] = t;
}

static bool
tset_has(const struct tset *s, const char *t)
{
	size_t i;

	if (s->n == SIZE_MAX)
		return true;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->t[i], t) == 0)
			return true;
	return false;
}

static void
cmp_types(struct pcheck_out *co, const struct cybex_pattern_node *n,
    struct tset *out)
{
	struct tset k, acc;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	if (n->kind == CYBEX_PN_TEST) {
		tset_add(out, n->path->type);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		cmp_types(co, n->kids[i], &k);
		if (n->kind == CYBEX_PN_COR || i == 0) {
			for (j = 0; k.n != SIZE_MAX && j < k.n; j++)
				tset_add(out, k.t[j]);
			if (k.n == SIZE_MAX)
				out->n = SIZE_MAX;
			continue;
		}
		memset(&acc, 0, sizeof(acc));
		if (out->n == SIZE_MAX)
			acc = k;
		else
			for (j = 0; j < out->n; j++)
				if (tset_has(&k, out->t[j]))
					tset_add(&acc, out->t[j]);
		if (acc.n == 0 && out->n != 0) {
			pcheck_report(co, CYBEX_SEV_WARNING, "pattern-and-types",
			    n->kids[i]->pos, "comparisons joined by AND must "
			    "hold for one object, and '%s' is never a '%s'",
			    k.n > 0 && k.n != SIZE_MAX ? k.t[0] : "this",
			    out->t[0]);
			out->n = SIZE_MAX;	/* report once */
			continue;
		}
		*out = acc;
	}
}

/* ---- observation expressions ---- */

static bool
is_qualifier(int kind)
{
	return kind == CYBEX_PN_WITHIN || kind == CYBEX_PN_REPEATS ||
	    kind == CYBEX_PN_STARTSTOP;
}

/* The same qualifier again on the chain below q, on a bare [ ]? */
static bool
duplicate_below(const struct cybex_pattern_node *q)
{
	const struct cybex_pattern_node *n = q->kids[0];
	bool seen = false;

	while (is_qualifier(n->kind) && !n->paren) {
		if (n->kind == q->kind)
			seen = true;
		n = n->kids[0];
	}
	return seen && n->kind == CYBEX_PN_OBS && !n->paren;
}

static void
walk(struct cybex_pattern *p, struct pcheck_out *co,
    struct cybex_pattern_node *n)
{
	static const char *const qname[] = { "WITHIN", "REPEATS",
	    "START/STOP" };
	struct tset ts;
	size_t i;
	bool syntax = (co->flags & CYBEX_PATTERN_SYNTAX_ONLY) != 0;

	for (i = 0; i < n->nkids; i++)
		walk(p, co, (struct cybex_pattern_node *)n->kids[i]);
	switch (n->kind) {
	case CYBEX_PN_TEST:
		check_test(p, co, n);
		break;
	case CYBEX_PN_OBS:
		if (!syntax)
			cmp_types(co, n->kids[0], &ts);
		break;
	case CYBEX_PN_WITHIN:
	case CYBEX_PN_REPEATS:
	case CYBEX_PN_STARTSTOP:
		/*
		 * The grammar (observationExpression qualifier*) allows
		 * several qualifiers of one kind; each applies to what its
		 * left holds, as if parenthesised (REPEATS 2 TIMES REPEATS
		 * 3 TIMES is 6 repetitions).  The reference pattern
		 * validator refuses them, the reference matcher evaluates
		 * them: a warning, and evaluated.
		 */
		if (duplicate_below(n))
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-duplicate-qualifier", n->oppos,
			    "duplicate %s qualifier on one observation "
			    "expression: applied in turn, as if the inner part "
			    "were in parentheses",
			    qname[n->kind - CYBEX_PN_WITHIN]);
		if (n->kind == CYBEX_PN_WITHIN && n->within_sec == 0 &&
		    n->within_nsec == 0)
			pcheck_report(co, CYBEX_SEV_ERROR,
			    "pattern-qualifier-value", n->oppos,
			    "WITHIN needs a positive number of seconds");
		if (n->kind == CYBEX_PN_REPEATS && n->repeats == 0)
			pcheck_report(co, CYBEX_SEV_ERROR,
			    "pattern-qualifier-value", n->oppos,
			    "REPEATS needs a count of at least 1");
		/*
		 * Section 9.5: the window is START inclusive to STOP
		 * exclusive; with STOP not after START it is empty, so the
		 * qualified expression never matches.  The grammar and the
		 * specification do not make that invalid (the reference
		 * matcher evaluates it to no match): a warning.
		 */
		if (n->kind == CYBEX_PN_STARTSTOP &&
		    cybex_time_cmp(&n->start, &n->stop) >= 0)
			pcheck_report(co, CYBEX_SEV_WARNING,
			    "pattern-start-stop-order", n->oppos,
			    "STOP is not after START: this can never match");
		break;
	default:
		break;
	}
}

/* START/STOP timestamps against the calendar (their text is in p). */
static void
check_qualifier_times(struct cybex_pattern *p, struct pcheck_out *co,
    const struct cybex_pattern_node *n)
{
	size_t i, pos, end;
	const char *s;

	for (i = 0; i < n->nkids; i++)
		check_qualifier_times(p, co, n->kids[i]);
	if (n->kind != CYBEX_PN_STARTSTOP)
		return;
	/* The two t'...' after the START keyword. */
	for (pos = n->oppos, i = 0; pos < n->end && i < 2; pos++) {
		if (p->text[pos] != 't' || p->text[pos + 1] != '\'')
			continue;
		s = p->text + pos + 2;
		for (end = 0; s[end] != '\''; end++)
			;
		check_time(co, NULL, pos, s, end);
		pos += end + 2;
		i++;
	}
}

void
pattern_check(struct cybex_pattern *p, struct pcheck_out *co)
{
	walk(p, co, (struct cybex_pattern_node *)p->root);
	if (!(co->flags & CYBEX_PATTERN_SYNTAX_ONLY))
		check_qualifier_times(p, co, p->root);
}

/* ---- the indicator rule ---- */

static void
on_diag(void *ud, const struct cybex_diag *d)
{
	struct vctx *v = ud;

	if (d->severity == CYBEX_SEV_ERROR)
		v_err(v, d->rule, "pattern", "at column %lu of the pattern: %s",
		    d->column, d->message);
	else
		v_warn(v, d->rule, "pattern", "at column %lu of the pattern: "
		    "%s", d->column, d->message);
}

void
stix_pattern_validate(struct vctx *v, const json_t *obj)
{
	const json_t *type = json_object_get(obj, "pattern_type");
	const json_t *pat = json_object_get(obj, "pattern");
	struct cybex_pattern_opts o;
	int r;

	if (!json_is_string(type) ||
	    strcmp(json_string_value(type), "stix") != 0 ||
	    !json_is_string(pat))
		return;
	memset(&o, 0, sizeof(o));
	r = cybex_pattern_new(json_string_value(pat), json_string_length(pat),
	    &o, on_diag, v, NULL, NULL);
	if (r == CYBEX_ENOMEM)
		v->internal = r;
}
