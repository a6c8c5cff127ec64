/*
 * The bounded table every detector keeps its state in, and the keys.
 *
 * Set-associative: an entry's key picks one bucket of DT_WAYS entries;
 * a key lives only in its bucket, so a lookup compares at most DT_WAYS
 * keys and an insert into a full bucket evicts the entry of that bucket
 * touched longest ago.  That approximates least-recently-used eviction
 * over the whole table while keeping every operation O(DT_WAYS), and the
 * memory is allocated once, at init, from the configured cap.
 *
 * Keys are a 128-bit SipHash of the key's bytes under a per-detector key
 * (random unless a seed is configured), so an attacker who does not know
 * it cannot aim many keys at one bucket to evict someone else's state,
 * and two keys collide with probability 2^-128.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "detect_int.h"

struct dt_hdr {
	uint64_t	 a, b;		/* the key; a == b == 0: free */
	int64_t		 touched;
};

#define HDR	(sizeof(struct dt_hdr))

void
dt_hash(const struct dt_hasher *h, const void *p, size_t n,
    struct dt_key *out)
{
	unsigned char d[crypto_shorthash_siphashx24_BYTES];

	crypto_shorthash_siphashx24(d, p, n, h->k);
	memcpy(&out->a, d, 8);
	memcpy(&out->b, d + 8, 8);
	if (out->a == 0 && out->b == 0)
		out->b = 1;		/* zero marks a free entry */
}

void
dt_kb_init(struct dt_kb *kb, uint8_t tag)
{
	kb->n = 1;
	kb->b[0] = tag;
}

static void
kb_put(struct dt_kb *kb, const void *p, size_t n)
{
	/* Callers stay far below DT_KB_MAX; cut rather than overflow. */
	if (n > DT_KB_MAX - kb->n)
		n = DT_KB_MAX - kb->n;
	if (n == 0)
		return;			/* p may be NULL then */
	memcpy(kb->b + kb->n, p, n);
	kb->n += n;
}

void
dt_kb_u64(struct dt_kb *kb, uint64_t v)
{
	kb_put(kb, &v, sizeof(v));
}

void
dt_kb_ip(struct dt_kb *kb, const struct cybex_ip *ip)
{
	uint8_t f = ip->family;

	kb_put(kb, &f, 1);
	kb_put(kb, ip->a, f == 4 ? 4 : f == 6 ? 16 : 0);
}

void
dt_kb_str(struct dt_kb *kb, const char *s)
{
	unsigned char d[16];
	size_t n = s != NULL ? strlen(s) : 0;
	uint8_t z = 0, m = 0xff;

	if (n > DT_KB_STR_MAX) {
		crypto_generichash(d, sizeof(d), (const unsigned char *)s, n,
		    NULL, 0);
		kb_put(kb, &m, 1);
		kb_put(kb, d, sizeof(d));
	} else
		kb_put(kb, s, n);
	kb_put(kb, &z, 1);
}

void
dt_kb_hash(const struct dt_kb *kb, const struct dt_hasher *h,
    struct dt_key *out)
{
	dt_hash(h, kb->b, kb->n, out);
}

static size_t
stride_of(size_t vsize)
{
	return (HDR + vsize + 7) & ~(size_t)7;
}

static size_t
buckets_of(size_t cap)
{
	size_t nb = (cap + DT_WAYS - 1) / DT_WAYS;

	return nb != 0 ? nb : 1;
}

size_t
dt_table_bytes(size_t cap, size_t vsize)
{
	return buckets_of(cap) * DT_WAYS * stride_of(vsize);
}

int
dt_table_init(struct dt_table *t, size_t cap, size_t vsize)
{
	memset(t, 0, sizeof(*t));
	t->nbuckets = buckets_of(cap);
	t->stride = stride_of(vsize);
	t->vsize = vsize;
	t->mem = cybex_calloc(t->nbuckets * DT_WAYS, t->stride);
	return t->mem != NULL ? 0 : CYBEX_ENOMEM;
}

void
dt_table_fini(struct dt_table *t)
{
	cybex_free(t->mem);
	t->mem = NULL;
}

size_t
dt_table_cap(const struct dt_table *t)
{
	return t->nbuckets * DT_WAYS;
}

static uint8_t *
bucket(const struct dt_table *t, const struct dt_key *k)
{
	/* Multiply-shift range reduction: no modulo, no power of two. */
	size_t i = (size_t)(((__uint128_t)k->a * t->nbuckets) >> 64);

	return t->mem + i * DT_WAYS * t->stride;
}

void *
dt_table_find(struct dt_table *t, const struct dt_key *k, int64_t now)
{
	uint8_t *e = bucket(t, k);
	struct dt_hdr *h;
	size_t i;

	for (i = 0; i < DT_WAYS; i++, e += t->stride) {
		h = (struct dt_hdr *)(void *)e;
		if (h->a == k->a && h->b == k->b) {
			if (now >= 0 && now > h->touched)
				h->touched = now;
			return e + HDR;
		}
	}
	return NULL;
}

void *
dt_table_get(struct dt_table *t, const struct dt_key *k, int64_t now,
    bool *created)
{
	uint8_t *e = bucket(t, k), *victim = NULL, *free_e = NULL;
	struct dt_hdr *h;
	size_t i;

	*created = false;
	for (i = 0; i < DT_WAYS; i++, e += t->stride) {
		h = (struct dt_hdr *)(void *)e;
		if (h->a == k->a && h->b == k->b) {
			if (now > h->touched)
				h->touched = now;
			return e + HDR;
		}
		if (h->a == 0 && h->b == 0) {
			if (free_e == NULL)
				free_e = e;
		} else if (victim == NULL || h->touched <
		    ((struct dt_hdr *)(void *)victim)->touched)
			victim = e;
	}
	if (free_e == NULL) {
		free_e = victim;
		t->evictions++;
		t->used--;
	}
	memset(free_e, 0, t->stride);
	h = (struct dt_hdr *)(void *)free_e;
	h->a = k->a;
	h->b = k->b;
	h->touched = now;
	t->used++;
	*created = true;
	return free_e + HDR;
}

void
dt_table_remove(struct dt_table *t, void *v)
{
	uint8_t *e = (uint8_t *)v - HDR;

	memset(e, 0, t->stride);
	t->used--;
}

void *
dt_table_next(struct dt_table *t, size_t *it)
{
	size_t n = t->nbuckets * DT_WAYS;
	struct dt_hdr *h;
	uint8_t *e;

	while (*it < n) {
		e = t->mem + *it * t->stride;
		(*it)++;
		h = (struct dt_hdr *)(void *)e;
		if (h->a != 0 || h->b != 0)
			return e + HDR;
	}
	return NULL;
}

size_t
dt_table_slot(const struct dt_table *t, const void *v)
{
	return (size_t)((const uint8_t *)v - HDR - t->mem) / t->stride;
}

void *
dt_table_at(struct dt_table *t, size_t slot)
{
	struct dt_hdr *h;
	uint8_t *e;

	if (slot >= t->nbuckets * DT_WAYS)
		return NULL;
	e = t->mem + slot * t->stride;
	h = (struct dt_hdr *)(void *)e;
	return h->a != 0 || h->b != 0 ? e + HDR : NULL;
}
