/*
 * Arenas: many small allocations, one free.
 *
 * Memory comes from a list of blocks.  Allocations are bump-allocated from
 * the head block; when it is full a new standard block becomes the head.
 * A request larger than a quarter of a standard block gets a block of its
 * own, linked behind the head, so it neither wastes the rest of the head
 * nor forces a new head.  Every size is rounded up to the alignment of
 * max_align_t, and block payloads start at that alignment, so every
 * pointer handed out is suitably aligned for any type.
 *
 * The cap counts bytes handed out (after rounding), not bytes obtained
 * from the allocator, so it is independent of block sizing.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cybex/core.h"

#define ARENA_CAP_DEFAULT	((size_t)64 << 20)
#define ARENA_BLOCK_SIZE	((size_t)16384)	/* payload bytes */
#define ARENA_BIG		(ARENA_BLOCK_SIZE / 4)
#define ARENA_ALIGN		(alignof(max_align_t))

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* payload bytes */
	size_t			 used;
	max_align_t		 data[];	/* payload, max-aligned */
};

struct cybex_arena {
	struct arena_block	*head;	/* bump-allocate from here */
	size_t			 used;	/* bytes handed out */
	size_t			 cap;
};

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *bl = NULL;

	if (size > SIZE_MAX - sizeof(*bl))
		goto out;
	if ((bl = cybex_malloc(sizeof(*bl) + size)) == NULL)
		goto out;
	bl->next = NULL;
	bl->size = size;
	bl->used = 0;
 out:
	return bl;
}

int
cybex_arena_new(size_t cap, struct cybex_arena **out)
{
	struct cybex_arena *a = NULL;
	int r = CYBEX_ENOMEM;

	*out = NULL;
	if ((a = cybex_malloc(sizeof(*a))) == NULL)
		goto out;
	a->head = NULL;
	a->used = 0;
	a->cap = cap != 0 ? cap : ARENA_CAP_DEFAULT;
	*out = a;
	r = 0;
 out:
	return r;
}

void
cybex_arena_free(struct cybex_arena *a)
{
	struct arena_block *bl, *next;

	if (a == NULL)
		return;
	for (bl = a->head; bl != NULL; bl = next) {
		next = bl->next;
		cybex_free(bl);
	}
	cybex_free(a);
}

void *
cybex_arena_alloc(struct cybex_arena *a, size_t n)
{
	struct arena_block *bl;
	void *p = NULL;

	/* Zero-byte requests still get a distinct pointer. */
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - (ARENA_ALIGN - 1))
		goto out;
	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n > a->cap - a->used)
		goto out;

	if (a->head != NULL && a->head->size - a->head->used >= n) {
		bl = a->head;
	} else if (n > ARENA_BIG) {
		if ((bl = block_new(n)) == NULL)
			goto out;
		if (a->head != NULL) {
			bl->next = a->head->next;
			a->head->next = bl;
		} else
			a->head = bl;
	} else {
		if ((bl = block_new(ARENA_BLOCK_SIZE)) == NULL)
			goto out;
		bl->next = a->head;
		a->head = bl;
	}
	p = (char *)bl->data + bl->used;
	bl->used += n;
	a->used += n;
 out:
	return p;
}

char *
cybex_arena_strndup(struct cybex_arena *a, const char *s, size_t n)
{
	char *p = NULL;
	size_t len;

	len = strnlen(s, n);
	if (len == SIZE_MAX)
		goto out;
	if ((p = cybex_arena_alloc(a, len + 1)) == NULL)
		goto out;
	memcpy(p, s, len);
	p[len] = '\0';
 out:
	return p;
}

void
cybex_arena_reset(struct cybex_arena *a)
{
	struct arena_block *bl, *next, *keep = NULL;

	if (a == NULL)
		return;
	/* Keep one standard block (big ones are one-offs); free the rest. */
	for (bl = a->head; bl != NULL; bl = next) {
		next = bl->next;
		if (keep == NULL && bl->size == ARENA_BLOCK_SIZE) {
			keep = bl;
			continue;
		}
		cybex_free(bl);
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->used = 0;
}

size_t
cybex_arena_used(const struct cybex_arena *a)
{
	return a != NULL ? a->used : 0;
}
