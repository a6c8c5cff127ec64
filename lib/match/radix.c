/*
 * CIDR prefixes in a path-compressed binary radix tree (one root per
 * address family).  A node holds a prefix (key, length); its children
 * extend it by at least one bit and differ in the first bit after it.
 * Internal nodes created by a split carry no postings.  n prefixes need
 * at most 2n nodes of 32 bytes.  A lookup walks one path from the root
 * and collects every node whose prefix holds the address: at most one
 * node per bit of the address.
 */
#include <string.h>

#include "match_int.h"

static unsigned
bit(const uint8_t *k, unsigned i)
{
	return (k[i / 8] >> (7 - i % 8)) & 1;
}

/* Length of the common prefix of a and b, at most max bits. */
static unsigned
common(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i = 0;

	while (i < max && i + 8 <= max && a[i / 8] == b[i / 8])
		i += 8;
	while (i < max && bit(a, i) == bit(b, i))
		i++;
	return i;
}

int
radix_init(struct radix *r)
{
	memset(r, 0, sizeof(*r));
	return 0;
}

void
radix_free(struct radix *r)
{
	cybex_free(r->v);
	memset(r, 0, sizeof(*r));
}

size_t
radix_bytes(const struct radix *r)
{
	return r->cap * sizeof(*r->v);
}

static uint32_t
new_node(struct radix *r, const uint8_t key[16], unsigned plen)
{
	struct rnode *nv;
	size_t ncap;

	if (r->n == 0)
		r->n = 1;		/* node 0 means "none" */
	if (r->n >= UINT32_MAX)
		return 0;
	if (r->n >= r->cap) {
		ncap = r->cap ? r->cap * 2 : 16;
		if ((nv = cybex_reallocarray(r->v, ncap, sizeof(*nv))) == NULL)
			return 0;
		r->v = nv;
		r->cap = ncap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	memcpy(r->v[r->n].key, key, 16);
	r->v[r->n].plen = (uint8_t)plen;
	return (uint32_t)r->n++;
}

/* The link from parent pn (0 = the root) on side pb. */
static uint32_t *
link_of(struct radix *r, int family, uint32_t pn, unsigned pb)
{
	return pn == 0 ? &r->root[family == 6] : &r->v[pn].child[pb];
}

int
radix_insert(struct radix *r, struct mposts *p, int family,
    const uint8_t key[16], unsigned plen, uint32_t ind)
{
	uint32_t pn = 0, n, m, leaf;
	unsigned pb = 0, c;

	for (;;) {
		n = *link_of(r, family, pn, pb);
		if (n == 0) {
			/* new_node may move r->v: take the link after it */
			if ((n = new_node(r, key, plen)) == 0)
				return CYBEX_ENOMEM;
			*link_of(r, family, pn, pb) = n;
			return mposts_add(p, &r->v[n].post, ind);
		}
		c = common(r->v[n].key, key, plen < r->v[n].plen ? plen :
		    r->v[n].plen);
		if (c == r->v[n].plen && c == plen)	/* this prefix */
			return mposts_add(p, &r->v[n].post, ind);
		if (c == r->v[n].plen) {		/* below n */
			pn = n;
			pb = bit(key, c);
			continue;
		}
		/* Split: a node for the common part with n below it, and the
		 * new prefix below it too (or the new prefix is the common
		 * part itself). */
		if ((m = new_node(r, key, c)) == 0)
			return CYBEX_ENOMEM;
		r->v[m].child[bit(r->v[n].key, c)] = n;
		*link_of(r, family, pn, pb) = m;
		if (c == plen)
			return mposts_add(p, &r->v[m].post, ind);
		if ((leaf = new_node(r, key, plen)) == 0)
			return CYBEX_ENOMEM;
		r->v[m].child[bit(key, c)] = leaf;
		return mposts_add(p, &r->v[leaf].post, ind);
	}
}

void
radix_lookup(const struct radix *r, int family, const uint8_t key[16],
    unsigned plen, void (*fn)(void *, uint32_t), void *ud)
{
	uint32_t n = r->root[family == 6];
	const struct rnode *x;

	while (n != 0) {
		x = &r->v[n];
		if (x->plen > plen || common(x->key, key, x->plen) < x->plen)
			return;
		if (x->post != 0)
			fn(ud, x->post);
		if (x->plen == plen)
			return;
		n = x->child[bit(key, x->plen)];
	}
}
