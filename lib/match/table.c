/*
 * The exact-value table: one open-addressing hash table (linear probing,
 * at most half full) over keys "field, canonical form, kind, value" kept
 * back to back in one byte pool; each entry heads a list of postings
 * (indicator numbers).  Slots are 4 bytes and entries 16, so an entry
 * costs 24 bytes plus its key and one 8-byte posting per indicator.
 * Also here: the posting lists, hit lists and key building.
 */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

#define TAB_MIN_SLOTS	64

/* 32-bit hash of a short key: FNV-1a with a final avalanche. */
uint32_t
mhash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

void
mtab_init(struct mtab *t)
{
	memset(t, 0, sizeof(*t));
}

void
mtab_free(struct mtab *t)
{
	cybex_free(t->slots);
	cybex_free(t->e);
	cybex_free(t->pool);
	memset(t, 0, sizeof(*t));
}

size_t
mtab_bytes(const struct mtab *t)
{
	return t->nslots * sizeof(*t->slots) + t->cap * sizeof(*t->e) +
	    t->pcap;
}

static int
grow_slots(struct mtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : TAB_MIN_SLOTS, i, k;
	uint32_t *s;

	if ((s = cybex_calloc(n, sizeof(*s))) == NULL)
		return CYBEX_ENOMEM;
	for (i = 0; i < t->n; i++) {
		k = t->e[i].hash & (n - 1);
		while (s[k] != 0)
			k = (k + 1) & (n - 1);
		s[k] = (uint32_t)i + 1;
	}
	cybex_free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* Slot of key, or of the empty slot where it would go. */
static size_t
find(const struct mtab *t, const uint8_t *key, size_t len, uint32_t h)
{
	size_t k = h & (t->nslots - 1);
	const struct mentry *e;

	for (;;) {
		if (t->slots[k] == 0)
			return k;
		e = &t->e[t->slots[k] - 1];
		if (e->hash == h && e->len == len &&
		    memcmp(t->pool + e->off, key, len) == 0)
			return k;
		k = (k + 1) & (t->nslots - 1);
	}
}

int
mtab_put(struct mtab *t, const uint8_t *key, size_t len, uint32_t **post)
{
	uint32_t h = mhash(key, len);
	struct mentry *ne;
	uint8_t *np;
	size_t k, ncap;

	if ((t->n + 1) * 2 > t->nslots && grow_slots(t) != 0)
		return CYBEX_ENOMEM;
	k = find(t, key, len, h);
	if (t->slots[k] != 0) {
		*post = &t->e[t->slots[k] - 1].post;
		return 0;
	}
	if (t->n >= UINT32_MAX - 1 || t->plen + len >= UINT32_MAX)
		return CYBEX_ETOOBIG;
	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 64;
		if ((ne = cybex_reallocarray(t->e, ncap, sizeof(*ne))) == NULL)
			return CYBEX_ENOMEM;
		t->e = ne;
		t->cap = ncap;
	}
	if (t->plen + len > t->pcap) {
		ncap = t->pcap ? t->pcap * 2 : 4096;
		while (ncap < t->plen + len)
			ncap *= 2;
		if ((np = cybex_realloc(t->pool, ncap)) == NULL)
			return CYBEX_ENOMEM;
		t->pool = np;
		t->pcap = ncap;
	}
	memcpy(t->pool + t->plen, key, len);
	t->e[t->n].off = (uint32_t)t->plen;
	t->e[t->n].len = (uint32_t)len;
	t->e[t->n].hash = h;
	t->e[t->n].post = 0;
	t->plen += len;
	t->slots[k] = (uint32_t)++t->n;
	*post = &t->e[t->n - 1].post;
	return 0;
}

uint32_t
mtab_get(const struct mtab *t, const uint8_t *key, size_t len)
{
	size_t k;

	if (t->n == 0)
		return 0;
	k = find(t, key, len, mhash(key, len));
	return t->slots[k] != 0 ? t->e[t->slots[k] - 1].post : 0;
}

/* ---- postings ---- */

int
mposts_init(struct mposts *p)
{
	memset(p, 0, sizeof(*p));
	if ((p->v = cybex_calloc(64, sizeof(*p->v))) == NULL)
		return CYBEX_ENOMEM;
	p->cap = 64;
	p->n = 1;		/* 0 means "none" */
	return 0;
}

int
mposts_add(struct mposts *p, uint32_t *head, uint32_t ind)
{
	struct mpost *nv;
	size_t ncap;

	if (*head != 0 && p->v[*head].ind == ind)
		return 0;
	if (p->n >= UINT32_MAX)
		return CYBEX_ETOOBIG;
	if (p->n == p->cap) {
		ncap = p->cap * 2;
		if ((nv = cybex_reallocarray(p->v, ncap, sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		p->v = nv;
		p->cap = ncap;
	}
	p->v[p->n].ind = ind;
	p->v[p->n].next = *head;
	*head = (uint32_t)p->n++;
	return 0;
}

/* ---- hits ---- */

int
mhits_add(struct cybex_match_hits *h, uint32_t ind)
{
	uint32_t *nv;
	size_t ncap;

	if (h->n == h->cap) {
		ncap = h->cap ? h->cap * 2 : 16;
		if ((nv = cybex_reallocarray(h->v, ncap, sizeof(*nv))) == NULL)
			return CYBEX_ENOMEM;
		h->v = nv;
		h->cap = ncap;
	}
	h->v[h->n++] = ind;
	return 0;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
mhits_finish(struct cybex_match_hits *h)
{
	size_t i, o = 0;

	if (h->n < 2)
		return;
	qsort(h->v, h->n, sizeof(*h->v), u32_cmp);
	for (i = 0; i < h->n; i++)
		if (o == 0 || h->v[o - 1] != h->v[i])
			h->v[o++] = h->v[i];
	h->n = o;
}

void
cybex_match_hits_free(struct cybex_match_hits *h)
{
	if (h == NULL)
		return;
	cybex_free(h->v);
	memset(h, 0, sizeof(*h));
}

/* ---- keys ---- */

int
mkey(struct cybex_buf *b, unsigned field, int canon, int kind, const void *v,
    size_t n)
{
	uint8_t hdr[MK_HDR];

	cybex_buf_reset(b);
	hdr[0] = (uint8_t)(field & 0xff);
	hdr[1] = (uint8_t)(field >> 8);
	hdr[2] = (uint8_t)canon;
	hdr[3] = (uint8_t)kind;
	if (cybex_buf_append(b, hdr, sizeof(hdr)) != 0 ||
	    cybex_buf_append(b, v, n) != 0)
		return CYBEX_ENOMEM;
	return 0;
}

/*
 * The canonical forms a string value at the end of pa can carry (see
 * cybex_pattern_canon_kind): a hash inside "hashes"; for "value", the
 * rule of the root's type when the key is on the root, and any rule when
 * it is on an object reached through a reference or nested deeper.
 */
unsigned
mpath_canons(const struct cybex_pattern_path *pa)
{
	const struct cybex_pattern_step *last = &pa->steps[pa->nsteps - 1];
	const struct cybex_pattern_step *prev = pa->nsteps > 1 ?
	    &pa->steps[pa->nsteps - 2] : NULL;

	if (prev != NULL && prev->kind == CYBEX_PSTEP_KEY &&
	    strcmp(prev->key, "hashes") == 0 &&
	    (last->kind == CYBEX_PSTEP_KEY || last->kind == CYBEX_PSTEP_STAR))
		return 1u << CYBEX_PCANON_HASH;
	if (last->kind != CYBEX_PSTEP_KEY || strcmp(last->key, "value") != 0)
		return 1u << CYBEX_PCANON_NONE;
	if (pa->nsteps == 1)
		return 1u << cybex_pattern_canon_kind(pa->type, "value", false);
	return 1u << CYBEX_PCANON_NONE | 1u << CYBEX_PCANON_IP |
	    1u << CYBEX_PCANON_DOMAIN | 1u << CYBEX_PCANON_EMAIL |
	    1u << CYBEX_PCANON_URL | 1u << CYBEX_PCANON_MAC;
}
