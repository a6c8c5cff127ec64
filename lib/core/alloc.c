/*
 * Allocation hooks.  Every allocation of the library (and of jansson)
 * goes through the allocator installed here, so a program can account for
 * or limit memory in one place.  This is the library's only mutable
 * global: it is set once at start, before any other cybex or jansson call.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cybex/core.h"

static struct cybex_allocator alloc_hooks = { malloc, realloc, free };

void
cybex_set_allocator(const struct cybex_allocator *a)
{
	/*
	 * A partial set of hooks would mix allocators (memory from one,
	 * freed by another), so anything incomplete restores the C library.
	 */
	if (a == NULL || a->malloc_fn == NULL || a->realloc_fn == NULL ||
	    a->free_fn == NULL) {
		alloc_hooks.malloc_fn = malloc;
		alloc_hooks.realloc_fn = realloc;
		alloc_hooks.free_fn = free;
	} else
		alloc_hooks = *a;
	json_set_alloc_funcs(alloc_hooks.malloc_fn, alloc_hooks.free_fn);
}

void *
cybex_malloc(size_t n)
{
	/* Never ask for 0 bytes: NULL must only ever mean "out of memory". */
	return alloc_hooks.malloc_fn(n != 0 ? n : 1);
}

void *
cybex_calloc(size_t nmemb, size_t size)
{
	void *p = NULL;
	size_t n;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		goto out;
	}
	n = nmemb * size;
	if ((p = cybex_malloc(n)) != NULL)
		memset(p, 0, n);
 out:
	return p;
}

void *
cybex_realloc(void *p, size_t n)
{
	/* realloc(p, 0) is implementation-defined; keep one byte instead. */
	return alloc_hooks.realloc_fn(p, n != 0 ? n : 1);
}

void *
cybex_reallocarray(void *p, size_t nmemb, size_t size)
{
	void *np = NULL;

	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		goto out;
	}
	np = cybex_realloc(p, nmemb * size);
 out:
	return np;
}

void
cybex_free(void *p)
{
	if (p != NULL)
		alloc_hooks.free_fn(p);
}

char *
cybex_strdup(const char *s)
{
	return cybex_strndup(s, SIZE_MAX);
}

char *
cybex_strndup(const char *s, size_t n)
{
	char *p = NULL;
	size_t len;

	len = strnlen(s, n);
	if (len == SIZE_MAX) {
		errno = ENOMEM;
		goto out;
	}
	if ((p = cybex_malloc(len + 1)) == NULL)
		goto out;
	memcpy(p, s, len);
	p[len] = '\0';
 out:
	return p;
}
