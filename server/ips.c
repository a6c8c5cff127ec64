/*
 * The per-address table of ips.h: a chained hash (keyed SipHash, so that
 * a client cannot choose addresses that collide) over a fixed array of
 * entries, and a least-recently-seen list of the entries without open
 * connections, whose tail is evicted when the array is full.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cybex/core.h"

#include "ips.h"

#define NIL	SIZE_MAX

struct ip_entry {
	char		 addr[IPS_ADDR_MAX];	/* "" = free */
	unsigned	 n;			/* open connections */
	unsigned	 fails;			/* failed sign-ins in the window */
	int64_t		 window;		/* when that window started */
	size_t		 chain;			/* next in its bucket */
	size_t		 prev, next;		/* LRU list (n == 0 only) */
};

struct ip_table {
	pthread_mutex_t	 mu;
	unsigned char	 key[crypto_shorthash_KEYBYTES];
	struct ip_entry	*e;
	size_t		 cap, used;		/* e[0..used) were ever taken */
	size_t		*bucket;
	size_t		 nbucket;		/* a power of two */
	size_t		 head, tail;		/* LRU: head most recent */
	size_t		 nheld;
};

int
ips_new(size_t cap, struct ip_table **out)
{
	struct ip_table *t;
	size_t i;

	*out = NULL;
	if (cap == 0 || cap > SIZE_MAX / 4)
		return CYBEX_EINVAL;
	if ((t = cybex_calloc(1, sizeof(*t))) == NULL)
		return CYBEX_ENOMEM;
	for (t->nbucket = 16; t->nbucket < cap; t->nbucket *= 2)
		;
	t->e = cybex_calloc(cap, sizeof(*t->e));
	t->bucket = cybex_calloc(t->nbucket, sizeof(*t->bucket));
	if (t->e == NULL || t->bucket == NULL) {
		cybex_free(t->e);
		cybex_free(t->bucket);
		cybex_free(t);
		return CYBEX_ENOMEM;
	}
	for (i = 0; i < t->nbucket; i++)
		t->bucket[i] = NIL;
	t->cap = cap;
	t->head = t->tail = NIL;
	randombytes_buf(t->key, sizeof(t->key));
	pthread_mutex_init(&t->mu, NULL);
	*out = t;
	return 0;
}

void
ips_free(struct ip_table *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->mu);
	cybex_free(t->e);
	cybex_free(t->bucket);
	cybex_free(t);
}

static size_t
bucket_of(const struct ip_table *t, const char *addr)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, (const unsigned char *)addr, strlen(addr), t->key);
	memcpy(&v, h, sizeof(v));
	return (size_t)(v & (t->nbucket - 1));
}

static void
lru_unlink(struct ip_table *t, size_t i)
{
	struct ip_entry *e = &t->e[i];

	if (e->prev != NIL)
		t->e[e->prev].next = e->next;
	else if (t->head == i)
		t->head = e->next;
	if (e->next != NIL)
		t->e[e->next].prev = e->prev;
	else if (t->tail == i)
		t->tail = e->prev;
	e->prev = e->next = NIL;
}

static void
lru_push(struct ip_table *t, size_t i)
{
	struct ip_entry *e = &t->e[i];

	e->prev = NIL;
	e->next = t->head;
	if (t->head != NIL)
		t->e[t->head].prev = i;
	t->head = i;
	if (t->tail == NIL)
		t->tail = i;
}

/* Seen now: an entry without connections moves to the LRU head. */
static void
touch(struct ip_table *t, size_t i)
{
	if (t->e[i].n > 0)
		return;
	lru_unlink(t, i);
	lru_push(t, i);
}

static void
chain_remove(struct ip_table *t, size_t i)
{
	size_t *p = &t->bucket[bucket_of(t, t->e[i].addr)];

	while (*p != NIL && *p != i)
		p = &t->e[*p].chain;
	if (*p == i)
		*p = t->e[i].chain;
}

/* The entry of addr, or NIL; with create, a new one (evicting). */
static size_t
lookup(struct ip_table *t, const char *addr, bool create, int64_t now)
{
	char key[IPS_ADDR_MAX];
	size_t b, i;

	snprintf(key, sizeof(key), "%s", addr);
	b = bucket_of(t, key);
	for (i = t->bucket[b]; i != NIL; i = t->e[i].chain)
		if (strcmp(t->e[i].addr, key) == 0)
			return i;
	if (!create)
		return NIL;
	if (t->used < t->cap) {
		i = t->used++;
		t->nheld++;
	} else if ((i = t->tail) != NIL) {
		/* The least recently seen address without connections. */
		lru_unlink(t, i);
		chain_remove(t, i);
	} else
		return NIL;	/* every address has open connections */
	memset(&t->e[i], 0, sizeof(t->e[i]));
	memcpy(t->e[i].addr, key, sizeof(key));
	t->e[i].window = now;
	t->e[i].chain = t->bucket[b];
	t->e[i].prev = t->e[i].next = NIL;
	t->bucket[b] = i;
	lru_push(t, i);
	return i;
}

unsigned
ips_add(struct ip_table *t, const char *addr, int delta, int64_t now)
{
	struct ip_entry *e;
	unsigned n = 0;
	size_t i;

	pthread_mutex_lock(&t->mu);
	if ((i = lookup(t, addr, delta > 0, now)) == NIL)
		goto out;
	e = &t->e[i];
	touch(t, i);
	if (delta > 0) {
		if (e->n++ == 0)
			lru_unlink(t, i);	/* not evictable while open */
	} else if (delta < 0 && e->n > 0) {
		if (--e->n == 0)
			lru_push(t, i);
	}
	n = e->n;
 out:
	pthread_mutex_unlock(&t->mu);
	return n;
}

unsigned
ips_fail(struct ip_table *t, const char *addr, int delta, unsigned window_s,
    int64_t now)
{
	struct ip_entry *e;
	unsigned n = 0;
	size_t i;

	pthread_mutex_lock(&t->mu);
	if ((i = lookup(t, addr, delta > 0, now)) == NIL)
		goto out;
	e = &t->e[i];
	touch(t, i);
	if (now - e->window >= (int64_t)window_s) {
		e->window = now;
		e->fails = 0;
	}
	if (delta > 0)
		e->fails++;
	n = e->fails;
 out:
	pthread_mutex_unlock(&t->mu);
	return n;
}

size_t
ips_count(struct ip_table *t)
{
	size_t n;

	pthread_mutex_lock(&t->mu);
	n = t->nheld;
	pthread_mutex_unlock(&t->mu);
	return n;
}
