/*
 * The capped line splitter.
 *
 * Bytes fed are kept in one buffer from the first byte not yet handed out
 * (start) to the end.  A line longer than the cap is not kept whole: only
 * its first line_max + 2 bytes are (enough to see that it is too long
 * even after a CR is dropped), the rest is discarded up to its newline,
 * so one endless line costs line_max + 2 bytes, not its length.  Memory is
 * what was fed and not yet taken with next, plus that.
 */
#include <stdbool.h>
#include <string.h>

#include "cybex/ingest.h"

struct cybex_ingest_lines {
	struct cybex_buf buf;
	size_t		 start;		/* first byte of the next line */
	size_t		 scanned;	/* bytes from start known to hold no \n */
	size_t		 partial;	/* bytes of the unterminated last line */
	size_t		 line_max;
	size_t		 keep;		/* line_max + 2 */
	unsigned long	 lineno;	/* number of the last line given */
	bool		 discarding;	/* dropping the tail of a long line */
	bool		 finished;
};

int
cybex_ingest_lines_new(size_t line_max, struct cybex_ingest_lines **out)
{
	struct cybex_ingest_lines *l;
	int r = CYBEX_EINVAL;

	*out = NULL;
	if (line_max == 0)
		line_max = CYBEX_INGEST_LINE_MAX_DEFAULT;
	if (line_max > ((size_t)1 << 30))
		goto out;
	r = CYBEX_ENOMEM;
	if ((l = cybex_calloc(1, sizeof(*l))) == NULL)
		goto out;
	cybex_buf_init(&l->buf, 0);
	l->line_max = line_max;
	l->keep = line_max + 2;
	*out = l;
	r = 0;
 out:
	return r;
}

void
cybex_ingest_lines_free(struct cybex_ingest_lines *l)
{
	if (l == NULL)
		return;
	cybex_buf_free(&l->buf);
	cybex_free(l);
}

static const char *
last_nl(const char *s, size_t n)
{
	while (n > 0) {
		if (s[--n] == '\n')
			return s + n;
	}
	return NULL;
}

/* Drop the bytes already handed out when they are most of the buffer. */
static void
compact(struct cybex_ingest_lines *l)
{
	if (l->start == 0)
		return;
	if (l->start == l->buf.len) {
		cybex_buf_reset(&l->buf);
		l->start = 0;
		return;
	}
	if (l->start < l->buf.len / 2 && l->start < 65536)
		return;
	cybex_buf_consume(&l->buf, l->start);
	l->start = 0;
}

int
cybex_ingest_lines_feed(struct cybex_ingest_lines *l, const void *p,
    size_t n)
{
	const char *s = p, *nl;
	size_t room, head, tail;
	int r;

	compact(l);
	while (n > 0) {
		if (l->discarding) {
			if ((nl = memchr(s, '\n', n)) == NULL)
				return 0;
			/* Keep the newline: it ends the kept head. */
			n -= (size_t)(nl - s);
			s = nl;
			l->discarding = false;
			l->partial = 0;
		}
		/*
		 * The unterminated tail of this chunk comes after its last
		 * newline; lines before it are bounded by the chunk.
		 */
		if ((nl = last_nl(s, n)) != NULL) {
			head = (size_t)(nl - s) + 1;
			tail = n - head;
			if (tail <= l->keep) {
				if ((r = cybex_buf_append(&l->buf, s, n)) != 0)
					return CYBEX_ENOMEM;
				l->partial = tail;
				return 0;
			}
			if ((r = cybex_buf_append(&l->buf, s, head +
			    l->keep)) != 0)
				return CYBEX_ENOMEM;
			l->partial = l->keep;
			l->discarding = true;
			return 0;
		}
		if (l->partial + n <= l->keep) {
			if ((r = cybex_buf_append(&l->buf, s, n)) != 0)
				return CYBEX_ENOMEM;
			l->partial += n;
			return 0;
		}
		room = l->keep - l->partial;
		if (room > 0 && (r = cybex_buf_append(&l->buf, s, room)) != 0)
			return CYBEX_ENOMEM;
		l->partial = l->keep;
		l->discarding = true;
		return 0;
	}
	return 0;
}

void
cybex_ingest_lines_finish(struct cybex_ingest_lines *l)
{
	l->finished = true;
	l->discarding = false;
}

int
cybex_ingest_lines_next(struct cybex_ingest_lines *l, const char **line,
    size_t *len, unsigned long *lineno)
{
	const char *b, *nl;
	size_t avail, n;

	*line = NULL;
	*len = 0;
	avail = l->buf.len - l->start;
	if (avail == 0 || l->buf.data == NULL)
		return 0;
	b = l->buf.data + l->start;
	nl = memchr(b + l->scanned, '\n', avail - l->scanned);
	if (nl == NULL) {
		l->scanned = avail;
		if (!l->finished || l->discarding)
			return 0;
		/* The last line, without a newline. */
		n = avail;
		l->start = l->buf.len;
		l->partial = 0;
	} else {
		n = (size_t)(nl - b);
		l->start += n + 1;
		if (l->start == l->buf.len)
			l->partial = 0;
	}
	l->scanned = 0;
	l->lineno++;
	*lineno = l->lineno;
	if (n > 0 && b[n - 1] == '\r')
		n--;
	if (n > l->line_max)
		return CYBEX_ETOOBIG;
	*line = b;
	*len = n;
	return 1;
}
