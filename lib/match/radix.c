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
	cybex_free(r->jump);
	cybex_free(r->up16);
	memset(r, 0, sizeof(*r));
}

size_t
radix_bytes(const struct radix *r)
{
	size_t n = r->cap * sizeof(*r->v);

	if (r->jump != NULL)
		n += 65537 * sizeof(*r->jump) +
		    r->jump[65536].at * sizeof(*r->up16);
	return n;
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

#define JUMP_MIN_NODES	2048

/*
 * Walk the first 16 bits once for every /16: what a lookup would collect
 * there is the same for every address in it.
 */
int
radix_finish(struct radix *r)
{
	uint32_t *up = NULL, *nv, n;
	size_t nup = 0, cap = 0, x;
	uint8_t key[16];
	const struct rnode *nd;

	if (r->root[0] == 0 || r->n < JUMP_MIN_NODES || r->jump != NULL)
		return 0;
	if ((r->jump = cybex_calloc(65537, sizeof(*r->jump))) == NULL)
		goto fail;
	memset(key, 0, sizeof(key));
	for (x = 0; x < 65536; x++) {
		key[0] = (uint8_t)(x >> 8);
		key[1] = (uint8_t)x;
		r->jump[x].at = (uint32_t)nup;
		for (n = r->root[0]; n != 0; n = nd->child[bit(key, nd->plen)]) {
			nd = &r->v[n];
			if (nd->plen >= 16) {
				r->jump[x].node = n;
				break;
			}
			if (common(nd->key, key, nd->plen) < nd->plen)
				break;
			if (nd->post == 0)
				continue;
			if (nup == cap) {
				cap = cap ? cap * 2 : 1024;
				if ((nv = cybex_reallocarray(up, cap,
				    sizeof(*nv))) == NULL)
					goto fail;
				up = nv;
			}
			up[nup++] = nd->post;
		}
	}
	r->jump[65536].at = (uint32_t)nup;
	r->up16 = up;
	return 0;
 fail:
	cybex_free(up);
	cybex_free(r->jump);
	r->jump = NULL;
	return CYBEX_ENOMEM;
}

void
radix_lookup(const struct radix *r, int family, const uint8_t key[16],
    unsigned plen, void (*fn)(void *, uint32_t), void *ud)
{
	uint32_t n = r->root[family == 6], k, x;
	const struct rnode *nd;

	if (family == 4 && r->jump != NULL && plen >= 16) {
		x = (uint32_t)key[0] << 8 | key[1];
		for (k = r->jump[x].at; k < r->jump[x + 1].at; k++)
			fn(ud, r->up16[k]);
		n = r->jump[x].node;
	}
	while (n != 0) {
		nd = &r->v[n];
		if (nd->plen > plen || common(nd->key, key, nd->plen) < nd->plen)
			return;
		if (nd->post != 0)
			fn(ud, nd->post);
		if (nd->plen == plen)
			return;
		n = nd->child[bit(key, nd->plen)];
	}
}
