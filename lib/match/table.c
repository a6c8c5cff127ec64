/*
 * The exact-value table: one open-addressing hash table (linear probing,
 * at most half full) over keys "field, canonical form, kind, value" kept
 * back to back in one byte pool; each entry heads a list of postings
 * (indicator numbers).  The slots are the entries (hash, key length,
 * key offset, first posting: 16 bytes), and a byte per slot with seven
 * bits of the hash sits in a separate array small enough to stay in the
 * cache, so a probe for an absent key rarely touches a slot and one for a
 * present key touches its slot and its key.  An entry costs 34 bytes at
 * the largest load plus its key and one 8-byte posting per indicator.
 * Also here: the posting lists, hit lists and key building.
 */
#include <stdlib.h>
#include <string.h>

#include "match_int.h"

#define TAB_MIN_SLOTS	64

static uint64_t
load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t
mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * 32-bit hash of a key, eight bytes at a time with a 64x64->128 multiply
 * mix (keys are short: 8 to 70 bytes).  Not keyed: what an attacker can
 * do with collisions is make probes longer, bounded by the load factor.
 */
uint32_t
mhash(const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0x243f6a8885a308d3ULL ^ len, t;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		h = mix(h ^ load64(p + i), 0x9e3779b97f4a7c15ULL);
	if (i < len) {
		t = 0;
		memcpy(&t, p + i, len - i);
		h = mix(h ^ t, 0x9e3779b97f4a7c15ULL);
	}
	h = mix(h, 0xbf58476d1ce4e5b9ULL);
	return (uint32_t)(h ^ h >> 32);
}

static uint8_t
tag_of(uint32_t h)
{
	return (uint8_t)(0x80 | h >> 25);
}

void
mtab_init(struct mtab *t)
{
	memset(t, 0, sizeof(*t));
}

void
mtab_free(struct mtab *t)
{
	cybex_free(t->tags);
	cybex_free(t->slots);
	cybex_free(t->pool);
	memset(t, 0, sizeof(*t));
}

size_t
mtab_bytes(const struct mtab *t)
{
	return t->nslots * (sizeof(*t->slots) + 1) + t->pcap;
}

static int
grow_slots(struct mtab *t)
{
	size_t n = t->nslots ? t->nslots * 2 : TAB_MIN_SLOTS, i, k;
	struct mslot *s;
	uint8_t *tg;

	if ((s = cybex_calloc(n, sizeof(*s))) == NULL)
		return CYBEX_ENOMEM;
	if ((tg = cybex_calloc(n, 1)) == NULL) {
		cybex_free(s);
		return CYBEX_ENOMEM;
	}
	for (i = 0; i < t->nslots; i++) {
		if (t->tags[i] == 0)
			continue;
		k = t->slots[i].hash & (n - 1);
		while (tg[k] != 0)
			k = (k + 1) & (n - 1);
		s[k] = t->slots[i];
		tg[k] = t->tags[i];
	}
	cybex_free(t->slots);
	cybex_free(t->tags);
	t->slots = s;
	t->tags = tg;
	t->nslots = n;
	return 0;
}

/* Slot of key, or the empty slot where it would go. */
static size_t
find(const struct mtab *t, const uint8_t *key, size_t len, uint32_t h)
{
	size_t k = h & (t->nslots - 1);
	const struct mslot *s;
	uint8_t want = tag_of(h), tg;

	for (;;) {
		if ((tg = t->tags[k]) == 0)
			return k;
		if (tg == want) {
			s = &t->slots[k];
			if (s->hash == h && s->len == len &&
			    memcmp(t->pool + s->off, key, len) == 0)
				return k;
		}
		k = (k + 1) & (t->nslots - 1);
	}
}

int
mtab_put(struct mtab *t, const uint8_t *key, size_t len, uint32_t **post)
{
	uint32_t h = mhash(key, len);
	struct mslot *s;
	uint8_t *np;
	size_t k, ncap;

	if (len == 0 || len >= UINT32_MAX)
		return CYBEX_EINVAL;
	if ((t->n + 1) * 2 > t->nslots && grow_slots(t) != 0)
		return CYBEX_ENOMEM;
	k = find(t, key, len, h);
	s = &t->slots[k];
	if (t->tags[k] != 0) {
		*post = &s->post;
		return 0;
	}
	if (t->plen + len >= UINT32_MAX)
		return CYBEX_ETOOBIG;
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
	s->hash = h;
	s->len = (uint32_t)len;
	s->off = (uint32_t)t->plen;
	s->post = 0;
	t->tags[k] = tag_of(h);
	t->plen += len;
	t->n++;
	*post = &s->post;
	return 0;
}

uint32_t
mtab_get(const struct mtab *t, const uint8_t *key, size_t len)
{
	size_t k;

	if (t->n == 0)
		return 0;
	k = find(t, key, len, mhash(key, len));
	return t->tags[k] != 0 ? t->slots[k].post : 0;
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
	uint8_t *d;

	cybex_buf_reset(b);
	if (cybex_buf_reserve(b, MK_HDR + n) != 0)
		return CYBEX_ENOMEM;
	d = (uint8_t *)b->data;
	d[0] = (uint8_t)(field & 0xff);
	d[1] = (uint8_t)(field >> 8);
	d[2] = (uint8_t)canon;
	d[3] = (uint8_t)kind;
	if (n > 0)
		memcpy(d + MK_HDR, v, n);
	b->len = MK_HDR + n;
	b->data[b->len] = '\0';
	return 0;
}

/*
 * The canonical forms a string value at the end of pa can carry (see
 * cybex_pattern_canon_kind and the walk in value.c): a hash right inside
 * "hashes"; for "value", the rule of the root's type when the key is on
 * the root, and any rule on an object reached through a reference or
 * nested deeper; none for other keys.  Paths that end in or go through
 * [n] or [*] just before the end can carry any form (what [*] walks
 * decides), so they get every one.
 */
#define CANON_ALL	(1u << CYBEX_PCANON_NONE | 1u << CYBEX_PCANON_IP | \
			 1u << CYBEX_PCANON_DOMAIN | 1u << CYBEX_PCANON_EMAIL | \
			 1u << CYBEX_PCANON_URL | 1u << CYBEX_PCANON_HASH | \
			 1u << CYBEX_PCANON_MAC)

unsigned
mpath_canons(const struct cybex_pattern_path *pa)
{
	const struct cybex_pattern_step *last = &pa->steps[pa->nsteps - 1];
	const struct cybex_pattern_step *prev = pa->nsteps > 1 ?
	    &pa->steps[pa->nsteps - 2] : NULL;

	if (last->kind != CYBEX_PSTEP_KEY ||
	    (prev != NULL && prev->kind != CYBEX_PSTEP_KEY))
		return CANON_ALL;
	if (prev == NULL)
		return 1u << cybex_pattern_canon_kind(pa->type, last->key,
		    false);
	if (strcmp(prev->key, "hashes") == 0)
		return 1u << CYBEX_PCANON_HASH;
	if (strcmp(last->key, "value") != 0)
		return 1u << CYBEX_PCANON_NONE;
	return CANON_ALL & ~(1u << CYBEX_PCANON_HASH);
}
