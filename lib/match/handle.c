/*
 * Index lifetime: reference counts, and the handle that holds the current
 * index and swaps in a new one without making lookups wait.
 *
 * The handle has two slots and an index saying which is current, and a
 * count of readers inside each slot.  A reader announces itself on the
 * current slot, checks that the slot is still current (else it backs off
 * and retries), takes a reference on the index in it and leaves.  The
 * writer fills the other slot, makes it current, then waits until the old
 * slot has no reader inside (each stays for a few instructions) before
 * it drops the old index: nobody can be about to take a reference on it.
 * Readers never wait for the writer; a reader retries only when a swap
 * lands between its two loads.  All atomics are sequentially consistent.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "match_int.h"

struct cybex_match_index *
cybex_match_index_ref(struct cybex_match_index *ix)
{
	if (ix != NULL)
		atomic_fetch_add(&ix->refs, 1);
	return ix;
}

void
cybex_match_index_unref(struct cybex_match_index *ix)
{
	if (ix != NULL && atomic_fetch_sub(&ix->refs, 1) == 1)
		mindex_free(ix);
}

void
cybex_match_index_stats(const struct cybex_match_index *ix,
    struct cybex_match_stats *out)
{
	*out = ix->st;
}

void
cybex_match_index_indicator_id(const struct cybex_match_index *ix,
    uint32_t n, char *out, size_t outsz)
{
	struct cybex_uuid u;
	char s[CYBEX_UUID_STRLEN + 1];

	if (outsz == 0)
		return;
	if (n >= ix->nind) {
		out[0] = '\0';
		return;
	}
	if (ix->rawid[n] != NULL) {
		snprintf(out, outsz, "%s", ix->rawid[n]);
		return;
	}
	memcpy(u.b, ix->ind[n].uuid, 16);
	cybex_uuid_format(&u, s);
	snprintf(out, outsz, "indicator--%s", s);
}

struct cybex_match_handle {
	struct cybex_match_index	*_Atomic slot[2];
	atomic_uint			 cur;
	atomic_uint			 readers[2];
	atomic_flag			 writer;
};

int
cybex_match_handle_new(struct cybex_match_handle **out)
{
	struct cybex_match_handle *h;

	*out = NULL;
	if ((h = cybex_malloc(sizeof(*h))) == NULL)
		return CYBEX_ENOMEM;
	atomic_init(&h->slot[0], NULL);
	atomic_init(&h->slot[1], NULL);
	atomic_init(&h->cur, 0);
	atomic_init(&h->readers[0], 0);
	atomic_init(&h->readers[1], 0);
	atomic_flag_clear(&h->writer);
	*out = h;
	return 0;
}

void
cybex_match_handle_free(struct cybex_match_handle *h)
{
	if (h == NULL)
		return;
	cybex_match_index_unref(atomic_load(&h->slot[0]));
	cybex_match_index_unref(atomic_load(&h->slot[1]));
	cybex_free(h);
}

struct cybex_match_index *
cybex_match_handle_acquire(struct cybex_match_handle *h)
{
	struct cybex_match_index *ix;
	unsigned i;

	for (;;) {
		i = atomic_load(&h->cur);
		atomic_fetch_add(&h->readers[i], 1);
		if (atomic_load(&h->cur) == i)
			break;
		atomic_fetch_sub(&h->readers[i], 1);	/* a swap: retry */
	}
	ix = cybex_match_index_ref(atomic_load(&h->slot[i]));
	atomic_fetch_sub(&h->readers[i], 1);
	return ix;
}

static void
wait_empty(atomic_uint *readers)
{
	while (atomic_load(readers) != 0)
		sched_yield();
}

void
cybex_match_handle_swap(struct cybex_match_handle *h,
    struct cybex_match_index *ix)
{
	struct cybex_match_index *old;
	unsigned i, j;

	while (atomic_flag_test_and_set(&h->writer))
		sched_yield();
	i = atomic_load(&h->cur);
	j = 1 - i;
	/* Readers that saw j before the last swap have backed off. */
	wait_empty(&h->readers[j]);
	atomic_store(&h->slot[j], ix);
	atomic_store(&h->cur, j);
	/* No one can be between "slot i is current" and its reference. */
	wait_empty(&h->readers[i]);
	old = atomic_exchange(&h->slot[i], NULL);
	atomic_flag_clear(&h->writer);
	cybex_match_index_unref(old);
}
