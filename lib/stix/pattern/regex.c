/*
 * Regular expressions of MATCHES and LIKE, compiled with PCRE2.
 *
 * MATCHES is a search (unanchored), like the reference matcher's re.search,
 * in UTF mode for string values.  A second, byte-mode compilation serves
 * binary values (properties ending in _hex or _bin) when every code point
 * of the expression is below 256, as the specification asks.  LIKE is
 * translated to an anchored expression: % is any run of characters, _ one
 * character, everything else literal.  Every compiled expression has match
 * and depth limits so that a hostile expression cannot stall a lookup; an
 * expression that hits a limit does not match.
 */
#include <string.h>

#include "pattern_int.h"

int
prx_like_to_regex(const char *s, size_t n, struct cybex_buf *out)
{
	size_t i;
	int r = 0;
	unsigned char c;

	r |= cybex_buf_puts(out, "\\A");
	for (i = 0; i < n && r == 0; i++) {
		c = (unsigned char)s[i];
		if (c == '%')
			r = cybex_buf_puts(out, ".*");
		else if (c == '_')
			r = cybex_buf_putc(out, '.');
		else if (c < 0x80 && !((c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
			/* \ + ASCII non-alphanumeric is always a literal;
			   NUL cannot be escaped that way. */
			if (c == '\0')
				r = cybex_buf_puts(out, "\\x{0}");
			else {
				r = cybex_buf_putc(out, '\\');
				r |= cybex_buf_putc(out, (char)c);
			}
		} else
			r = cybex_buf_putc(out, (char)c);
	}
	if (r == 0)
		r = cybex_buf_puts(out, "\\z");
	return r != 0 ? CYBEX_ENOMEM : 0;
}

void
prx_free(struct prx *r)
{
	if (r == NULL)
		return;
	pcre2_code_free(r->utf);
	pcre2_code_free(r->bin);
	pcre2_match_context_free(r->mctx);
	cybex_free(r->src);
	cybex_free(r);
}

/* Offset in the pattern text of byte k of the string literal's value. */
static size_t
text_pos(const struct cybex_pattern *p, const struct cybex_pattern_lit *l,
    size_t k)
{
	size_t i = l->pos + 1, end = l->pos + l->len - 1, v = 0;

	while (i < end && v < k) {
		if (p->text[i] == '\\')
			i++;
		i++;
		v++;
	}
	return i;
}

static int
add_rx(struct cybex_pattern *p, struct prx *r)
{
	struct prx **nv;

	if (p->nrx == p->rxcap) {
		if ((nv = cybex_reallocarray(p->rx, p->rxcap ? p->rxcap * 2 : 8,
		    sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		p->rx = nv;
		p->rxcap = p->rxcap ? p->rxcap * 2 : 8;
	}
	p->rx[p->nrx++] = r;
	return 0;
}

int
prx_compile(struct cybex_pattern *p, struct cybex_pattern_node *t, bool jit,
    struct perr *e)
{
	const struct cybex_pattern_lit *l = &t->lits[0];
	struct prx *r = NULL;
	struct cybex_buf src, lat;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE eoff;
	int ec, rc = CYBEX_ENOMEM;
	uint32_t opt;

	cybex_buf_init(&src, 0);
	cybex_buf_init(&lat, 0);
	if ((r = cybex_calloc(1, sizeof(*r))) == NULL)
		goto out;
	r->dotall = t->op == CYBEX_POP_LIKE;
	if (r->dotall) {
		if (prx_like_to_regex(l->s, l->n, &src) != 0)
			goto out;
	} else if (cybex_buf_append(&src, l->s, l->n) != 0)
		goto out;
	if ((r->src = cybex_strndup(src.data != NULL ? src.data : "",
	    src.len)) == NULL)
		goto out;
	r->srclen = src.len;
	if ((r->mctx = pcre2_match_context_create(NULL)) == NULL)
		goto out;
	pcre2_set_match_limit(r->mctx, PRX_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, PRX_DEPTH_LIMIT);
	opt = r->dotall ? PCRE2_DOTALL : 0;
	r->utf = pcre2_compile((PCRE2_SPTR)r->src, r->srclen, opt | PCRE2_UTF,
	    &ec, &eoff, NULL);
	if (r->utf == NULL) {
		if (ec == PCRE2_ERROR_HEAPLIMIT || ec == PCRE2_ERROR_NOMEMORY)
			goto out;
		pcre2_get_error_message(ec, msg, sizeof(msg));
		perr_set(e, CYBEX_EFORMAT, "pattern-regex",
		    r->dotall ? l->pos : text_pos(p, l, eoff),
		    "invalid regular expression: %s (at offset %zu of the "
		    "expression)", (const char *)msg, (size_t)eoff);
		rc = CYBEX_EFORMAT;
		goto out;
	}
	if (jit)
		(void)pcre2_jit_compile(r->utf, PCRE2_JIT_COMPLETE);
	if (pcanon_latin1(r->src, r->srclen, &lat)) {
		r->bin = pcre2_compile((PCRE2_SPTR)(lat.data != NULL ?
		    lat.data : ""), lat.len, opt, &ec, &eoff, NULL);
		if (r->bin != NULL && jit)
			(void)pcre2_jit_compile(r->bin, PCRE2_JIT_COMPLETE);
	}
	if ((rc = add_rx(p, r)) != 0)
		goto out;
	t->priv = r;
	r = NULL;
	rc = 0;
 out:
	if (rc == CYBEX_ENOMEM)
		perr_set(e, CYBEX_ENOMEM, "pattern-regex", l->pos,
		    "out of memory");
	prx_free(r);
	cybex_buf_free(&src);
	cybex_buf_free(&lat);
	return rc;
}

int
prx_match(const struct prx *r, const char *subject, size_t n, bool binary,
    pcre2_match_data *md)
{
	const pcre2_code *code = binary ? r->bin : r->utf;
	pcre2_match_data *own = NULL;
	int rc;

	if (code == NULL)
		return 0;
	if (md == NULL && (md = own = pcre2_match_data_create(1, NULL)) ==
	    NULL)
		return 0;
	rc = pcre2_match(code, (PCRE2_SPTR)(subject != NULL ? subject : ""),
	    n, 0, 0, md, r->mctx);
	pcre2_match_data_free(own);
	return rc >= 0 ? 1 : 0;
}

const char *
cybex_pattern_regex(const struct cybex_pattern_node *t, size_t *len,
    bool *dotall)
{
	const struct prx *r = t->priv;

	if (r == NULL || (t->op != CYBEX_POP_LIKE &&
	    t->op != CYBEX_POP_MATCHES))
		return NULL;
	*len = r->srclen;
	*dotall = r->dotall;
	return r->src;
}
