/*
 * Shared resources of the server's threads: a pool of store handles (a
 * handle is used by one thread at a time) and the per-client connection
 * counts behind the 429 answer.
 */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "server.h"

int
pool_init(struct store_pool *p, const char *dsn)
{
	memset(p, 0, sizeof(*p));
	if ((p->dsn = cybex_strdup(dsn)) == NULL)
		return CYBEX_ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	return 0;
}

void
pool_fini(struct store_pool *p)
{
	size_t i;

	for (i = 0; i < p->nfree; i++)
		cybex_store_close(p->free[i]);
	cybex_free(p->free);
	cybex_free(p->dsn);
	pthread_mutex_destroy(&p->mu);
	memset(p, 0, sizeof(*p));
}

int
pool_get(struct store_pool *p, struct cybex_store **out,
    struct cybex_diag *d)
{
	pthread_mutex_lock(&p->mu);
	if (p->nfree > 0) {
		*out = p->free[--p->nfree];
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	pthread_mutex_unlock(&p->mu);
	return cybex_store_open(p->dsn, CYBEX_STORE_NOCREATE, out, d);
}

void
pool_put(struct store_pool *p, struct cybex_store *s)
{
	struct cybex_store **nf;

	/* Never hand a handle back inside a transaction. */
	cybex_store_rollback(s);
	pthread_mutex_lock(&p->mu);
	if (p->nfree == p->cap) {
		nf = cybex_reallocarray(p->free, p->cap ? 2 * p->cap : 16,
		    sizeof(*nf));
		if (nf == NULL) {
			pthread_mutex_unlock(&p->mu);
			cybex_store_close(s);
			return;
		}
		p->free = nf;
		p->cap = p->cap ? 2 * p->cap : 16;
	}
	p->free[p->nfree++] = s;
	pthread_mutex_unlock(&p->mu);
}

/* ---- connections per client address ---- */

#define IP_SLOTS	4096	/* open addressing; addresses, not requests */

struct ip_slot {
	char		 addr[64];
	unsigned	 n;
	unsigned	 fails;		/* failed sign-ins in the window */
	time_t		 window;	/* when that window started */
};

struct ip_table {
	pthread_mutex_t	 mu;
	struct ip_slot	 slot[IP_SLOTS];
};

int
ips_new(struct ip_table **out)
{
	struct ip_table *t;

	*out = NULL;
	if ((t = cybex_calloc(1, sizeof(*t))) == NULL)
		return CYBEX_ENOMEM;
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
	cybex_free(t);
}

static size_t
hash(const char *s)
{
	size_t h = 5381;

	while (*s != '\0')
		h = h * 33 + (unsigned char)*s++;
	return h;
}

unsigned
ips_add(struct ip_table *t, const char *addr, int delta)
{
	size_t i, k, tomb = IP_SLOTS;
	unsigned n = 0;

	pthread_mutex_lock(&t->mu);
	for (k = 0, i = hash(addr) % IP_SLOTS; k < IP_SLOTS;
	    k++, i = (i + 1) % IP_SLOTS) {
		struct ip_slot *sl = &t->slot[i];

		if (sl->addr[0] == '\0')
			break;
		if (strcmp(sl->addr, addr) == 0) {
			if (delta < 0 && sl->n > 0)
				sl->n--;
			else if (delta > 0)
				sl->n++;
			n = sl->n;
			goto out;
		}
		/* Free to reuse: no connection and no failed sign-in. */
		if (sl->n == 0 && sl->fails == 0 && tomb == IP_SLOTS)
			tomb = i;
	}
	if (delta <= 0)
		goto out;
	if (tomb == IP_SLOTS)
		tomb = k < IP_SLOTS ? i : IP_SLOTS;
	if (tomb < IP_SLOTS) {
		snprintf(t->slot[tomb].addr, sizeof(t->slot[tomb].addr), "%s",
		    addr);
		t->slot[tomb].n = n = 1;
		t->slot[tomb].fails = 0;
		t->slot[tomb].window = 0;
	}
 out:
	pthread_mutex_unlock(&t->mu);
	return n;
}

/* The slot of addr, or NULL (lock held). */
static struct ip_slot *
find_slot(struct ip_table *t, const char *addr, bool create)
{
	size_t i, k, tomb = IP_SLOTS;

	for (k = 0, i = hash(addr) % IP_SLOTS; k < IP_SLOTS;
	    k++, i = (i + 1) % IP_SLOTS) {
		struct ip_slot *sl = &t->slot[i];

		if (sl->addr[0] == '\0')
			break;
		if (strcmp(sl->addr, addr) == 0)
			return sl;
		if (sl->n == 0 && sl->fails == 0 && tomb == IP_SLOTS)
			tomb = i;
	}
	if (!create)
		return NULL;
	if (tomb == IP_SLOTS)
		tomb = k < IP_SLOTS ? i : IP_SLOTS;
	if (tomb == IP_SLOTS)
		return NULL;
	snprintf(t->slot[tomb].addr, sizeof(t->slot[tomb].addr), "%s", addr);
	t->slot[tomb].n = 0;
	t->slot[tomb].fails = 0;
	t->slot[tomb].window = 0;
	return &t->slot[tomb];
}

unsigned
ips_fail(struct ip_table *t, const char *addr, int delta, unsigned window_s)
{
	struct ip_slot *sl;
	time_t now = time(NULL);
	unsigned n = 0;

	pthread_mutex_lock(&t->mu);
	if ((sl = find_slot(t, addr, delta > 0)) != NULL) {
		if (now - sl->window >= (time_t)window_s) {
			sl->window = now;
			sl->fails = 0;
		}
		if (delta > 0)
			sl->fails++;
		n = sl->fails;
	}
	pthread_mutex_unlock(&t->mu);
	return n;
}
