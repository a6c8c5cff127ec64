/*
 * Growable byte buffers with a cap.
 *
 * Invariants: len <= max; when data != NULL, alloc > len and data[len] is
 * NUL.  A failed operation (cap or out of memory) leaves the buffer as it
 * was.  Storage is never handed to realloc: growing copies into a new
 * block and wipes the old one, because buffers may hold secrets and
 * realloc could leave a stale copy behind in freed memory.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cybex/core.h"

#define BUF_MAX_DEFAULT	((size_t)1 << 30)
#define BUF_MIN_ALLOC	64

static size_t
buf_max(const struct cybex_buf *b)
{
	if (b->max == 0)
		return BUF_MAX_DEFAULT;
	/* Room for the NUL must stay representable. */
	return b->max < SIZE_MAX - 1 ? b->max : SIZE_MAX - 1;
}

void
cybex_buf_init(struct cybex_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max != 0 ? max : BUF_MAX_DEFAULT;
	b->flags = 0;
}

int
cybex_buf_reserve(struct cybex_buf *b, size_t extra)
{
	size_t max = buf_max(b), need, nalloc;
	char *p;
	int r = CYBEX_ETOOBIG;

	if (extra > max || b->len > max - extra)
		goto out;
	need = b->len + extra + 1;		/* + NUL; max < SIZE_MAX */
	if (need <= b->alloc) {
		r = 0;
		goto out;
	}
	/* Double, but never past what the cap can use. */
	nalloc = b->alloc < BUF_MIN_ALLOC ? BUF_MIN_ALLOC : b->alloc;
	while (nalloc < need && nalloc <= SIZE_MAX / 2)
		nalloc *= 2;
	if (nalloc < need)
		nalloc = need;
	if (nalloc > max + 1)
		nalloc = max + 1;
	r = CYBEX_ENOMEM;
	if ((p = cybex_malloc(nalloc)) == NULL)
		goto out;
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		if (!(b->flags & CYBEX_BUF_NOWIPE))
			sodium_memzero(b->data, b->alloc);
		cybex_free(b->data);
	} else
		p[0] = '\0';
	b->data = p;
	b->alloc = nalloc;
	r = 0;
 out:
	return r;
}

int
cybex_buf_append(struct cybex_buf *b, const void *p, size_t n)
{
	int r;

	if (n == 0) {
		r = 0;
		goto out;
	}
	if ((r = cybex_buf_reserve(b, n)) != 0)
		goto out;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
 out:
	return r;
}

int
cybex_buf_puts(struct cybex_buf *b, const char *s)
{
	return cybex_buf_append(b, s, strlen(s));
}

int
cybex_buf_putc(struct cybex_buf *b, int c)
{
	unsigned char ch = (unsigned char)c;

	return cybex_buf_append(b, &ch, 1);
}

int
cybex_buf_printf(struct cybex_buf *b, const char *fmt, ...)
{
	va_list ap, aq;
	int n, r;

	va_start(ap, fmt);
	va_copy(aq, ap);
	/* Measure first so a failure leaves the buffer untouched. */
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		r = CYBEX_EINVAL;
		goto out;
	}
	if ((r = cybex_buf_reserve(b, (size_t)n)) != 0)
		goto out;
	if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n) {
		b->data[b->len] = '\0';
		r = CYBEX_EINTERNAL;
		goto out;
	}
	b->len += (size_t)n;
	r = 0;
 out:
	va_end(ap);
	return r;
}

void
cybex_buf_consume(struct cybex_buf *b, size_t n)
{
	if (n > b->len)
		n = b->len;		/* documented n <= len; stay safe */
	if (n == 0)
		return;
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

void
cybex_buf_reset(struct cybex_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
cybex_buf_free(struct cybex_buf *b)
{
	if (b == NULL)
		return;
	if (b->data != NULL) {
		if (!(b->flags & CYBEX_BUF_NOWIPE))
			sodium_memzero(b->data, b->alloc);
		cybex_free(b->data);
	}
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
}

void
cybex_buf_truncate(struct cybex_buf *b, size_t len)
{
	if (b->data == NULL || len > b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}
