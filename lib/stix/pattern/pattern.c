/*
 * The pattern object: make one from text (limits, encoding, parse,
 * check), free it, and write it back in canonical form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pattern_int.h"

#define PATTERN_ARENA_CAP	(64u * 1024 * 1024)

const struct cybex_pattern_node *
cybex_pattern_root(const struct cybex_pattern *p)
{
	return p->root;
}

const char *
cybex_pattern_text(const struct cybex_pattern *p, size_t *len)
{
	if (len != NULL)
		*len = p->len;
	return p->text;
}

const char *
cybex_pattern_op_name(int op)
{
	static const char *const names[] = {
		"?", "=", "!=", "<", "<=", ">", ">=", "IN", "LIKE", "MATCHES",
		"ISSUBSET", "ISSUPERSET", "EXISTS",
	};

	if (op < 0 || (size_t)op >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[op];
}

void
cybex_pattern_free(struct cybex_pattern *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nrx; i++)
		prx_free(p->rx[i]);
	cybex_free(p->rx);
	cybex_arena_free(p->a);
	cybex_free(p->block);
	cybex_free(p);
}

/* ---- compaction: the tree copied into one exact block ---- */

struct bump {
	char	*base;		/* NULL: only count */
	size_t	 used;
};

static void *
bump(struct bump *b, size_t n)
{
	size_t a = sizeof(void *) > 8 ? sizeof(void *) : 8, at;

	at = (b->used + a - 1) / a * a;
	b->used = at + n;
	return b->base != NULL ? b->base + at : NULL;
}

static const char *
copy_str(struct bump *b, const char *s, size_t n)
{
	char *d = bump(b, n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static const struct cybex_pattern_path *
copy_path(struct bump *b, const struct cybex_pattern_path *pa)
{
	struct cybex_pattern_path *d = bump(b, sizeof(*d));
	struct cybex_pattern_step *st = bump(b, pa->nsteps * sizeof(*st));
	size_t i;

	if (d != NULL) {
		*d = *pa;
		d->steps = st;
	}
	if (st != NULL)
		memcpy(st, pa->steps, pa->nsteps * sizeof(*st));
	if (d != NULL)
		d->type = copy_str(b, pa->type, strlen(pa->type));
	else
		(void)copy_str(b, pa->type, strlen(pa->type));
	for (i = 0; i < pa->nsteps; i++) {
		const char *k = pa->steps[i].key != NULL ? copy_str(b,
		    pa->steps[i].key, strlen(pa->steps[i].key)) : NULL;

		if (st != NULL)
			st[i].key = k;
	}
	return d;
}

static const struct cybex_pattern_node *
copy_node(struct bump *b, const struct cybex_pattern_node *n)
{
	struct cybex_pattern_node *d = bump(b, sizeof(*d));
	const struct cybex_pattern_node **kids = bump(b,
	    n->nkids * sizeof(*kids));
	struct cybex_pattern_lit *lits = bump(b, n->nlits * sizeof(*lits));
	const struct cybex_pattern_path *pa = NULL;
	size_t i;

	if (n->path != NULL)
		pa = copy_path(b, n->path);
	for (i = 0; i < n->nkids; i++) {
		const struct cybex_pattern_node *k = copy_node(b, n->kids[i]);

		if (kids != NULL)
			kids[i] = k;
	}
	for (i = 0; i < n->nlits; i++) {
		const char *s = n->lits[i].s != NULL ? copy_str(b,
		    n->lits[i].s, n->lits[i].n) : NULL;

		if (lits != NULL) {
			lits[i] = n->lits[i];
			lits[i].s = s;
		}
	}
	if (d != NULL) {
		*d = *n;
		d->kids = n->nkids > 0 ? kids : NULL;
		d->lits = n->nlits > 0 ? lits : NULL;
		d->path = pa;
	}
	return d;
}

int
cybex_pattern_compact(struct cybex_pattern *p)
{
	struct bump b = { NULL, 0 };
	const struct cybex_pattern_node *root;
	const char *text;

	if (p->a == NULL)
		return 0;
	(void)copy_str(&b, p->text, p->len);
	(void)copy_node(&b, p->root);
	if ((b.base = cybex_malloc(b.used)) == NULL)
		return CYBEX_ENOMEM;
	p->blocklen = b.used;
	b.used = 0;
	text = copy_str(&b, p->text, p->len);
	root = copy_node(&b, p->root);
	p->text = (char *)text;
	p->root = root;
	p->block = b.base;
	cybex_arena_free(p->a);
	p->a = NULL;
	return 0;
}

size_t
cybex_pattern_size(const struct cybex_pattern *p)
{
	size_t n = sizeof(*p) + p->rxcap * sizeof(*p->rx), i;

	n += p->a != NULL ? cybex_arena_used(p->a) : p->blocklen;
	for (i = 0; i < p->nrx; i++) {
		size_t sz = 0;

		if (p->rx[i]->utf != NULL &&
		    pcre2_pattern_info(p->rx[i]->utf, PCRE2_INFO_SIZE, &sz) == 0)
			n += sz;
		if (p->rx[i]->bin != NULL &&
		    pcre2_pattern_info(p->rx[i]->bin, PCRE2_INFO_SIZE, &sz) == 0)
			n += sz;
		n += sizeof(*p->rx[i]) + p->rx[i]->srclen + 1;
	}
	return n;
}

/* Report one problem found before the checker runs. */
static void
report(cybex_diag_fn fn, void *ud, struct cybex_diag *first, int code,
    const char *rule, size_t pos, const char *msg)
{
	struct cybex_diag d;

	cybex_diag_clear(&d);
	d.code = code;
	d.severity = CYBEX_SEV_ERROR;
	d.rule = rule;
	d.line = 1;
	d.column = pos + 1;
	d.offset = pos;
	snprintf(d.message, sizeof(d.message), "%s", msg);
	if (fn != NULL)
		fn(ud, &d);
	if (first != NULL)
		*first = d;
}

int
cybex_pattern_new(const char *text, size_t len,
    const struct cybex_pattern_opts *o, cybex_diag_fn fn, void *ud,
    struct cybex_pattern **out, struct cybex_diag *d)
{
	struct cybex_pattern *p = NULL;
	struct pcheck_out co;
	struct perr e;
	size_t max = o != NULL && o->max_len > 0 ? o->max_len :
	    CYBEX_PATTERN_LEN_MAX_DEFAULT, bad;
	int r;

	if (out != NULL)
		*out = NULL;
	if (d != NULL)
		cybex_diag_clear(d);
	memset(&e, 0, sizeof(e));
	if (text == NULL)
		text = "";
	if (len > max) {
		r = CYBEX_ETOOBIG;
		report(fn, ud, d, r, "pattern-too-big", 0, "the pattern is "
		    "longer than the limit");
		goto out;
	}
	if (!plex_utf8_ok(text, len, &bad)) {
		r = CYBEX_EFORMAT;
		report(fn, ud, d, r, "pattern-encoding", bad, "the pattern is "
		    "not UTF-8 (or holds a NUL byte)");
		goto out;
	}
	r = CYBEX_ENOMEM;
	if ((p = cybex_calloc(1, sizeof(*p))) == NULL ||
	    cybex_arena_new(PATTERN_ARENA_CAP, &p->a) != 0 ||
	    (p->text = cybex_arena_strndup(p->a, text, len)) == NULL) {
		report(fn, ud, d, r, "pattern-syntax", 0, "out of memory");
		goto out;
	}
	p->len = len;
	if ((r = pattern_parse(p, o, &e)) != 0) {
		report(fn, ud, d, r, e.rule, e.pos, e.msg);
		goto out;
	}
	memset(&co, 0, sizeof(co));
	co.fn = fn;
	co.ud = ud;
	co.flags = o != NULL ? o->flags : 0;
	co.jit = out != NULL;
	co.first = d;
	pattern_check(p, &co);
	if (co.errors > 0) {
		r = d != NULL && d->code != 0 ? d->code : CYBEX_EFORMAT;
		goto out;
	}
	if (out != NULL) {
		*out = p;
		p = NULL;
	}
	r = 0;
 out:
	cybex_pattern_free(p);
	return r;
}

/* ---- writing back ---- */

static bool
is_plain_key(const char *k)
{
	static const char *const kw[] = {
		"AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES",
		"ISSUPERSET", "ISSUBSET", "EXISTS", "LAST", "IN", "START",
		"STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES", "true", "false",
	};
	const char *c;
	size_t i;

	if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
	    *k == '_'))
		return false;
	for (c = k; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strcmp(k, kw[i]) == 0)
			return false;
	/* t'x' and friends: a lone t, h or b is fine as a name here */
	return true;
}

static int
put_quoted(struct cybex_buf *b, const char *s, size_t n)
{
	size_t i;
	int r = cybex_buf_putc(b, '\'');

	for (i = 0; i < n && r == 0; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			r = cybex_buf_putc(b, '\\');
		if (r == 0)
			r = cybex_buf_putc(b, s[i]);
	}
	return r != 0 ? r : cybex_buf_putc(b, '\'');
}

int
cybex_pattern_write_lit(const struct cybex_pattern_lit *l,
    struct cybex_buf *b)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = (const unsigned char *)l->s;
	size_t i;
	uint32_t acc;
	int r = 0;

	switch (l->type) {
	case CYBEX_PLIT_INT:
		return cybex_buf_printf(b, "%lld", (long long)l->i);
	case CYBEX_PLIT_FLOAT:
		return cybex_buf_append(b, l->s, l->n);	/* as written */
	case CYBEX_PLIT_BOOL:
		return cybex_buf_puts(b, l->i ? "true" : "false");
	case CYBEX_PLIT_STRING:
		return put_quoted(b, l->s, l->n);
	case CYBEX_PLIT_HEX:
		r = cybex_buf_puts(b, "h'");
		for (i = 0; i < l->n && r == 0; i++)
			r = cybex_buf_printf(b, "%02x", u[i]);
		return r != 0 ? r : cybex_buf_putc(b, '\'');
	case CYBEX_PLIT_BINARY:
		r = cybex_buf_puts(b, "b'");
		for (i = 0; i < l->n && r == 0; i += 3) {
			acc = (uint32_t)u[i] << 16;
			if (i + 1 < l->n)
				acc |= (uint32_t)u[i + 1] << 8;
			if (i + 2 < l->n)
				acc |= u[i + 2];
			r |= cybex_buf_putc(b, b64[acc >> 18 & 63]);
			r |= cybex_buf_putc(b, b64[acc >> 12 & 63]);
			r |= cybex_buf_putc(b, i + 1 < l->n ?
			    b64[acc >> 6 & 63] : '=');
			r |= cybex_buf_putc(b, i + 2 < l->n ? b64[acc & 63] :
			    '=');
		}
		return r != 0 ? r : cybex_buf_putc(b, '\'');
	case CYBEX_PLIT_TIMESTAMP:
		r = cybex_buf_puts(b, "t'");
		r |= cybex_buf_append(b, l->s, l->n);	/* as written */
		return r != 0 ? r : cybex_buf_putc(b, '\'');
	default:
		return CYBEX_EINVAL;
	}
}

int
cybex_pattern_write_path(const struct cybex_pattern_path *pa,
    struct cybex_buf *b)
{
	const struct cybex_pattern_step *st;
	size_t i;
	int r;

	r = cybex_buf_puts(b, pa->type);
	r |= cybex_buf_putc(b, ':');
	for (i = 0; i < pa->nsteps && r == 0; i++) {
		st = &pa->steps[i];
		if (st->kind == CYBEX_PSTEP_KEY) {
			if (i > 0)
				r = cybex_buf_putc(b, '.');
			r |= is_plain_key(st->key) ? cybex_buf_puts(b,
			    st->key) : put_quoted(b, st->key, strlen(st->key));
		} else if (st->kind == CYBEX_PSTEP_STAR)
			r = cybex_buf_puts(b, "[*]");
		else
			r = cybex_buf_printf(b, "[%lld]", (long long)st->index);
	}
	return r;
}

static int
write_time(const struct cybex_time *t, struct cybex_buf *b)
{
	char buf[40];

	if (cybex_time_format(t, buf, sizeof(buf)) < 0)
		return CYBEX_EINVAL;
	return cybex_buf_printf(b, "t'%s'", buf);
}

static int write_node(const struct cybex_pattern_node *n,
    struct cybex_buf *b);

static int
write_kid(const struct cybex_pattern_node *n, struct cybex_buf *b)
{
	int r = 0;

	if (n->paren)
		r = cybex_buf_putc(b, '(');
	r |= write_node(n, b);
	if (n->paren)
		r |= cybex_buf_putc(b, ')');
	return r;
}

static int
write_test(const struct cybex_pattern_node *n, struct cybex_buf *b)
{
	size_t i;
	int r = 0;

	if (n->op == CYBEX_POP_EXISTS) {
		r = cybex_buf_puts(b, n->negated ? "NOT EXISTS " : "EXISTS ");
		return r != 0 ? r : cybex_pattern_write_path(n->path, b);
	}
	r = cybex_pattern_write_path(n->path, b);
	r |= cybex_buf_printf(b, " %s%s ", n->negated ? "NOT " : "",
	    cybex_pattern_op_name(n->op));
	if (n->op != CYBEX_POP_IN)
		return r != 0 ? r : cybex_pattern_write_lit(&n->lits[0], b);
	r |= cybex_buf_putc(b, '(');
	for (i = 0; i < n->nlits && r == 0; i++) {
		if (i > 0)
			r = cybex_buf_puts(b, ", ");
		r |= cybex_pattern_write_lit(&n->lits[i], b);
	}
	return r != 0 ? r : cybex_buf_putc(b, ')');
}

static int
write_node(const struct cybex_pattern_node *n, struct cybex_buf *b)
{
	const char *sep = NULL;
	char frac[16];
	size_t i, k;
	int r = 0;

	switch (n->kind) {
	case CYBEX_PN_TEST:
		return write_test(n, b);
	case CYBEX_PN_OBS:
		r = cybex_buf_putc(b, '[');
		r |= write_kid(n->kids[0], b);
		return r != 0 ? r : cybex_buf_putc(b, ']');
	case CYBEX_PN_CAND: case CYBEX_PN_AND:
		sep = " AND ";
		break;
	case CYBEX_PN_COR: case CYBEX_PN_OR:
		sep = " OR ";
		break;
	case CYBEX_PN_FOLLOWEDBY:
		sep = " FOLLOWEDBY ";
		break;
	case CYBEX_PN_WITHIN:
		r = write_kid(n->kids[0], b);
		r |= cybex_buf_printf(b, " WITHIN %lld",
		    (long long)n->within_sec);
		if (n->within_nsec > 0) {
			snprintf(frac, sizeof(frac), "%09u",
			    (unsigned)n->within_nsec);
			for (k = 9; k > 0 && frac[k - 1] == '0'; k--)
				frac[k - 1] = '\0';
			r |= cybex_buf_printf(b, ".%s", frac);
		}
		return r != 0 ? r : cybex_buf_puts(b, " SECONDS");
	case CYBEX_PN_REPEATS:
		r = write_kid(n->kids[0], b);
		return r != 0 ? r : cybex_buf_printf(b, " REPEATS %llu TIMES",
		    (unsigned long long)n->repeats);
	case CYBEX_PN_STARTSTOP:
		r = write_kid(n->kids[0], b);
		r |= cybex_buf_puts(b, " START ");
		r |= write_time(&n->start, b);
		r |= cybex_buf_puts(b, " STOP ");
		return r != 0 ? r : write_time(&n->stop, b);
	default:
		return CYBEX_EINVAL;
	}
	for (i = 0; i < n->nkids && r == 0; i++) {
		if (i > 0)
			r = cybex_buf_puts(b, sep);
		r |= write_kid(n->kids[i], b);
	}
	return r;
}

int
cybex_pattern_write_node(const struct cybex_pattern_node *n,
    struct cybex_buf *out)
{
	size_t saved = out->len;
	int r = write_node(n, out);

	if (r != 0)
		cybex_buf_truncate(out, saved);
	return r != 0 ? (r < 0 ? r : CYBEX_ENOMEM) : 0;
}

int
cybex_pattern_write(const struct cybex_pattern *p, struct cybex_buf *out)
{
	return cybex_pattern_write_node(p->root, out);
}
