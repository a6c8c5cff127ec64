/*
 * Shared resources of the server's threads: a pool of store handles (a
 * handle is used by one thread at a time).  The per-client counts behind
 * the 429 answers are in ips.c.
 */
#include <stdlib.h>
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
