/*
 * Streaming reader for STIX input: a bundle, a single object, a JSON array
 * of objects, or a sequence of objects (JSON lines), in bounded memory.
 *
 * The top level is walked by hand: a top-level object is read member by
 * member, and when a member is "objects" holding a list (in a bundle), the
 * list's elements are cut out one at a time with the structural scanner and
 * parsed one by one (cybex_json_parser_load: yajl building jansson values,
 * jansson itself for the rest and for every error).  Only one element (at
 * most max_object_bytes) plus the read-ahead is ever in memory, whatever
 * the size of the input.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cybex/core.h"
#include "stix_int.h"

#define READ_CHUNK	(64u * 1024)

enum rstate {
	R_TOP = 0,	/* between top-level values */
	R_OBJ,		/* inside a top-level object, between members */
	R_OBJECTS,	/* inside a top-level object's "objects" list */
	R_ARRAY,	/* inside a top-level array */
	R_FAILED,
};

struct cybex_stix_reader {
	int			 fd;		/* -1: read from src */
	const char		*src;
	size_t			 srclen, srcpos;
	struct cybex_stix_opts	 o;
	struct cybex_buf	 buf;
	size_t			 pos;		/* next unread byte in buf */
	unsigned long long	 base;		/* input offset of buf.data[0] */
	unsigned long		 line, col;	/* of buf.data[pos] */
	bool			 eof;
	bool			 seen_value;
	enum rstate		 st;
	bool			 need_comma;	/* in R_OBJ/R_OBJECTS/R_ARRAY */
	bool			 after_comma;	/* a value must follow */
	size_t			 index;		/* element number in a list */
	/* The current top-level object. */
	json_t			*env;
	bool			 streamed;	/* its "objects" were streamed */
	bool			 keep;		/* keep its text in buf */
	size_t			 env_bytes;	/* its members' text, but objects */
	size_t			 obj_start;	/* offset in buf when keep */
	unsigned long		 obj_line, obj_col;
	unsigned long long	 obj_off;
	json_t			*cur;		/* last item's value */
	int			 failed;
	struct cybex_json_parser	*jp;		/* kept from object to object */
};

int
cybex_stix_reader_new_mem(const char *buf, size_t len,
    const struct cybex_stix_opts *o, struct cybex_stix_reader **out)
{
	int rc;

	if ((rc = cybex_stix_reader_new(-1, o, out)) != 0)
		return rc;
	(*out)->src = buf;
	(*out)->srclen = len;
	return 0;
}

int
cybex_stix_reader_new(int fd, const struct cybex_stix_opts *o,
    struct cybex_stix_reader **out)
{
	struct cybex_stix_reader *r;

	*out = NULL;
	if ((r = cybex_calloc(1, sizeof(*r))) == NULL)
		return CYBEX_ENOMEM;
	if (cybex_json_parser_new(&r->jp) != 0) {
		cybex_free(r);
		return CYBEX_ENOMEM;
	}
	r->fd = fd;
	if (o != NULL)
		r->o = *o;
	if (r->o.max_object_bytes == 0)
		r->o.max_object_bytes = CYBEX_STIX_OBJECT_MAX_DEFAULT;
	if (r->o.max_depth == 0)
		r->o.max_depth = CYBEX_JSON_DEPTH_DEFAULT;
	/* Room for one maximal value plus read-ahead, nothing more. */
	cybex_buf_init(&r->buf, r->o.max_object_bytes + 4 * READ_CHUNK);
	r->line = 1;
	r->col = 1;
	*out = r;
	return 0;
}

void
cybex_stix_reader_free(struct cybex_stix_reader *r)
{
	if (r == NULL)
		return;
	json_decref(r->cur);
	json_decref(r->env);
	cybex_json_parser_free(r->jp);
	cybex_buf_free(&r->buf);
	cybex_free(r);
}

unsigned long long
cybex_stix_reader_offset(const struct cybex_stix_reader *r)
{
	return r->base + r->pos;
}

static int fail(struct cybex_stix_reader *, struct cybex_diag *, int,
    const char *, ...) CYBEX_PRINTF(4, 5);

static int
fail(struct cybex_stix_reader *r, struct cybex_diag *d, int code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(d, code, fmt, ap);
	va_end(ap);
	if (d != NULL) {
		d->line = r->line;
		d->column = r->col;
		d->offset = r->base + r->pos;
	}
	r->st = R_FAILED;
	r->failed = code;
	return code;
}

/* Move pos to np, keeping line/col in step. */
static void
advance(struct cybex_stix_reader *r, size_t np)
{
	const char *p, *e, *nl;

	if (np == r->pos)
		return;			/* also: data may still be NULL */
	p = r->buf.data + r->pos;
	e = r->buf.data + np;
	while ((nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		r->line++;
		r->col = 1;
		p = nl + 1;
	}
	r->col += (unsigned long)(e - p);
	r->pos = np;
}

/*
 * Read more input, at least want bytes when available.  Drops what was
 * consumed (unless the current object's text is being kept).
 */
static int
fill(struct cybex_stix_reader *r, size_t want, struct cybex_diag *d)
{
	size_t drop = r->keep ? r->obj_start : r->pos, n;
	ssize_t got;

	if (drop > 0) {
		cybex_buf_consume(&r->buf, drop);
		r->base += drop;
		r->pos -= drop;
		if (r->keep)
			r->obj_start = 0;
	}
	if (want < READ_CHUNK)
		want = READ_CHUNK;
	if (r->buf.len + want > r->buf.max)
		want = r->buf.max - r->buf.len;
	if (want == 0)
		return fail(r, d, CYBEX_ETOOBIG, "a JSON value is larger than "
		    "the limit of %zu bytes", r->o.max_object_bytes);
	if (cybex_buf_reserve(&r->buf, want) != 0)
		return fail(r, d, CYBEX_ENOMEM, "out of memory%s", "");
	if (r->fd < 0) {
		got = (ssize_t)(r->srclen - r->srcpos < want ?
		    r->srclen - r->srcpos : want);
		memcpy(r->buf.data + r->buf.len, r->src + r->srcpos,
		    (size_t)got);
		r->srcpos += (size_t)got;
	} else for (;;) {
		got = read(r->fd, r->buf.data + r->buf.len, want);
		if (got < 0 && errno == EINTR)
			continue;
		break;
	}
	if (got < 0)
		return fail(r, d, CYBEX_EIO, "read failed: %s", strerror(errno));
	if (got == 0)
		r->eof = true;
	n = (size_t)got;
	r->buf.len += n;
	r->buf.data[r->buf.len] = '\0';
	return 0;
}

/* Skip whitespace; 1 when a byte is available at pos, 0 at EOF. */
static int
skip_ws(struct cybex_stix_reader *r, struct cybex_diag *d)
{
	size_t i;
	int rc;

	for (;;) {
		for (i = r->pos; i < r->buf.len; i++) {
			char c = r->buf.data[i];

			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				break;
		}
		advance(r, i);
		if (r->pos < r->buf.len)
			return 1;
		if (r->eof)
			return 0;
		if ((rc = fill(r, 0, d)) != 0)
			return rc;
	}
}

/*
 * Cut the value at pos out of the input: on success *len is its length
 * (buf.data + pos is its start, which stays valid until the next fill).
 */
static int
scan_value(struct cybex_stix_reader *r, size_t depth, size_t *len,
    struct cybex_diag *d)
{
	size_t end = 0, have;
	int rc;

	for (;;) {
		have = r->buf.len - r->pos;
		rc = cybex_json_scan(r->buf.data + r->pos, have, depth, &end);
		if (rc == 0) {
			if (end > r->o.max_object_bytes) {
				char lim[32];

				snprintf(lim, sizeof(lim), "%zu",
				    r->o.max_object_bytes);
				return fail(r, d, CYBEX_ETOOBIG, "a JSON value is "
				    "larger than the limit of %s bytes", lim);
			}
			*len = end;
			return 0;
		}
		if (rc == CYBEX_ETOOBIG) {
			char lim[32];

			advance(r, r->pos + end);
			snprintf(lim, sizeof(lim), "%zu", r->o.max_depth);
			return fail(r, d, CYBEX_ETOOBIG, "JSON nesting deeper "
			    "than %s levels", lim);
		}
		if (rc < 0) {
			advance(r, r->pos + end);
			return fail(r, d, CYBEX_EJSON, "unexpected '%s'",
			    (char[2]){ r->buf.data[r->pos], '\0' });
		}
		if (r->eof) {
			advance(r, r->buf.len);
			return fail(r, d, CYBEX_EJSON, "input ends inside a JSON "
			    "value (truncated?)%s", "");
		}
		if (have > r->o.max_object_bytes) {
			char lim[32];

			snprintf(lim, sizeof(lim), "%zu", r->o.max_object_bytes);
			return fail(r, d, CYBEX_ETOOBIG, "a JSON value is larger "
			    "than the limit of %s bytes", lim);
		}
		/* Grow geometrically so a long value is scanned O(n) times. */
		if ((rc = fill(r, have, d)) != 0)
			return rc;
	}
}

/* Parse buf[pos..pos+len); diag positions made absolute. */
static int
parse_at(struct cybex_stix_reader *r, size_t len, json_t **out,
    struct cybex_diag *d)
{
	int rc = cybex_json_parser_load(r->jp, r->buf.data + r->pos, len, out,
	    d);

	if (rc != 0) {
		if (d != NULL) {
			if (d->line <= 1)
				d->column += r->col - 1;
			d->line += r->line - 1;
			d->offset += r->base + r->pos;
		}
		r->st = R_FAILED;
		r->failed = rc;
	}
	return rc;
}

static void
set_item(struct cybex_stix_reader *r, struct cybex_stix_item *it, int kind,
    json_t *j, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->json = j;
	it->text = r->buf.data + r->pos;
	it->len = len;
	it->line = r->line;
	it->column = r->col;
	it->offset = r->base + r->pos;
}

/*
 * item->pointer = "/objects/N" or "/N" (snprintf cost a percent of an
 * import, for every object).
 */
static void
set_pointer(struct cybex_stix_item *item, bool in_objects, size_t index)
{
	char digits[24];
	size_t n = 0, k = 0;

	if (in_objects) {
		memcpy(item->pointer, "/objects", 8);
		k = 8;
	}
	item->pointer[k++] = '/';
	do {
		digits[n++] = (char)('0' + index % 10);
		index /= 10;
	} while (index > 0);
	while (n > 0)
		item->pointer[k++] = digits[--n];
	item->pointer[k] = '\0';
}

static const char *
type_of(const json_t *env)
{
	return json_string_value(json_object_get(env, "type"));
}

/* One member of the top-level object at pos (a string key). */
static int
read_member(struct cybex_stix_reader *r, struct cybex_diag *d)
{
	json_t *key = NULL, *val = NULL;
	const char *k, *type;
	size_t len;
	int rc;

	if (r->buf.data[r->pos] != '"')
		return fail(r, d, CYBEX_EJSON, "expected a member name in "
		    "double quotes%s", "");
	if ((rc = scan_value(r, r->o.max_depth, &len, d)) != 0)
		return rc;
	if ((rc = parse_at(r, len, &key, d)) != 0)
		return rc;
	r->env_bytes += len;
	k = json_string_value(key);
	if (json_object_get(r->env, k) != NULL ||
	    (r->streamed && strcmp(k, "objects") == 0)) {
		rc = fail(r, d, CYBEX_EJSON, "duplicate object key '%s'", k);
		goto out;
	}
	advance(r, r->pos + len);
	if ((rc = skip_ws(r, d)) != 1) {
		rc = rc == 0 ? fail(r, d, CYBEX_EJSON, "input ends after a "
		    "member name%s", "") : rc;
		goto out;
	}
	if (r->buf.data[r->pos] != ':') {
		rc = fail(r, d, CYBEX_EJSON, "expected ':' after member name%s",
		    "");
		goto out;
	}
	advance(r, r->pos + 1);
	if ((rc = skip_ws(r, d)) != 1) {
		rc = rc == 0 ? fail(r, d, CYBEX_EJSON, "input ends before a "
		    "member value%s", "") : rc;
		goto out;
	}
	type = type_of(r->env);
	if (strcmp(k, "objects") == 0 && r->buf.data[r->pos] == '[' &&
	    (type == NULL || strcmp(type, "bundle") == 0)) {
		/* A bundle: stream its objects from here on. */
		r->streamed = true;
		r->keep = false;
		r->st = R_OBJECTS;
		r->need_comma = false;
		r->index = 0;
		advance(r, r->pos + 1);
		rc = 0;
		goto out;
	}
	/*
	 * The value sits one level inside the top-level object: the same
	 * object nests as deep here as it may inside a bundle.
	 */
	if ((rc = scan_value(r, r->o.max_depth > 1 ? r->o.max_depth - 1 : 1,
	    &len, d)) != 0)
		goto out;
	/* A top-level object (or a bundle without its objects) is one value. */
	r->env_bytes += len;
	if (r->env_bytes > r->o.max_object_bytes) {
		rc = fail(r, d, CYBEX_ETOOBIG, "a top-level object is larger "
		    "than the limit of %zu bytes", r->o.max_object_bytes);
		goto out;
	}
	if ((rc = parse_at(r, len, &val, d)) != 0)
		goto out;
	if (json_object_set_new(r->env, k, val) != 0) {
		val = NULL;
		rc = fail(r, d, CYBEX_ENOMEM, "out of memory%s", "");
		goto out;
	}
	val = NULL;
	advance(r, r->pos + len);
	r->need_comma = true;
	rc = 0;
 out:
	json_decref(key);
	json_decref(val);
	return rc;
}

/* After a list element or member: ',' or the closing bracket. */
static int
list_sep(struct cybex_stix_reader *r, char close, struct cybex_diag *d,
    bool *closed)
{
	char c = r->buf.data[r->pos];

	*closed = false;
	if (c == close) {
		if (r->after_comma)
			return fail(r, d, CYBEX_EJSON, "trailing ',' before "
			    "'%c'", close);
		advance(r, r->pos + 1);
		*closed = true;
		return 0;
	}
	if (!r->need_comma)
		return 0;
	if (c != ',')
		return fail(r, d, CYBEX_EJSON, "expected ',' or '%s'",
		    close == ']' ? "]" : "}");
	advance(r, r->pos + 1);
	r->need_comma = false;
	r->after_comma = true;
	return 1;	/* caller skips whitespace again */
}

/* The closing '}' of a top-level object was just consumed. */
static int
end_object(struct cybex_stix_reader *r, struct cybex_stix_item *item,
    struct cybex_diag *d)
{
	const char *type = type_of(r->env);

	r->st = R_TOP;
	memset(item, 0, sizeof(*item));
	if (r->streamed) {
		/* A bundle, or a TAXII envelope (which has no type). */
		if (type != NULL && strcmp(type, "bundle") != 0)
			return fail(r, d, CYBEX_ESTIX, "a top-level object "
			    "whose 'objects' is a list must be a bundle or a "
			    "TAXII envelope, not '%s'", type);
		item->kind = CYBEX_STIX_ITEM_BUNDLE;
		item->text = "";
		item->nobjects = r->index;
	} else {
		item->kind = CYBEX_STIX_ITEM_OBJECT;
		item->text = r->buf.data + r->obj_start;
		item->len = r->pos - r->obj_start;
	}
	item->json = r->env;
	item->line = r->obj_line;
	item->column = r->obj_col;
	item->offset = r->obj_off;
	r->cur = r->env;
	r->env = NULL;
	r->keep = false;
	return 1;
}

int
cybex_stix_reader_next(struct cybex_stix_reader *r,
    struct cybex_stix_item *item, struct cybex_diag *d)
{
	json_t *j = NULL;
	size_t len;
	bool closed;
	int rc;

	memset(item, 0, sizeof(*item));
	json_decref(r->cur);
	r->cur = NULL;
	if (r->st == R_FAILED)
		return cybex_diag_set(d, r->failed, "input already failed");
	for (;;) {
		if ((rc = skip_ws(r, d)) < 0)
			return rc;
		if (rc == 0) {
			if (r->st != R_TOP)
				return fail(r, d, CYBEX_EJSON, "input ends inside "
				    "a JSON %s (truncated?)", r->st == R_ARRAY ?
				    "array" : "object");
			if (!r->seen_value)
				return fail(r, d, CYBEX_EJSON, "no JSON value in "
				    "the input (empty file?)%s", "");
			return 0;
		}
		switch (r->st) {
		case R_TOP:
			json_decref(r->env);
			r->env = NULL;
			r->seen_value = true;
			if (r->buf.data[r->pos] == '[') {
				advance(r, r->pos + 1);
				r->st = R_ARRAY;
				r->need_comma = false;
				r->index = 0;
				continue;
			}
			if (r->buf.data[r->pos] != '{') {
				if (strchr("-0123456789\"tfn",
				    r->buf.data[r->pos]) != NULL)
					return fail(r, d, CYBEX_ESTIX, "a top-level "
					    "JSON value must be a STIX object, a "
					    "bundle or a list of objects%s", "");
				return fail(r, d, CYBEX_EJSON, "unexpected '%s' "
				    "where a JSON value should start",
				    (char[2]){ r->buf.data[r->pos], '\0' });
			}
			if ((r->env = json_object()) == NULL)
				return fail(r, d, CYBEX_ENOMEM, "out of memory%s",
				    "");
			r->streamed = false;
			r->keep = true;
			r->env_bytes = 0;
			r->obj_start = r->pos;
			r->obj_line = r->line;
			r->obj_col = r->col;
			r->obj_off = r->base + r->pos;
			advance(r, r->pos + 1);
			r->st = R_OBJ;
			r->need_comma = false;
			continue;
		case R_OBJ:
			if ((rc = list_sep(r, '}', d, &closed)) < 0)
				return rc;
			if (rc == 1)
				continue;
			if (closed)
				return end_object(r, item, d);
			r->after_comma = false;
			if ((rc = read_member(r, d)) != 0)
				return rc;
			continue;
		case R_OBJECTS:
		case R_ARRAY:
			if ((rc = list_sep(r, ']', d, &closed)) < 0)
				return rc;
			if (rc == 1)
				continue;
			if (closed) {
				if (r->st == R_OBJECTS) {
					r->st = R_OBJ;
					r->need_comma = true;
				} else
					r->st = R_TOP;
				continue;
			}
			r->after_comma = false;
			if ((rc = scan_value(r, r->o.max_depth, &len, d)) != 0)
				return rc;
			if ((rc = parse_at(r, len, &j, d)) != 0)
				return rc;
			set_item(r, item, CYBEX_STIX_ITEM_OBJECT, j, len);
			item->in_bundle = r->st == R_OBJECTS;
			set_pointer(item, r->st == R_OBJECTS, r->index);
			r->cur = j;
			r->index++;
			r->need_comma = true;
			/* The text stays valid: nothing is read until next. */
			advance(r, r->pos + len);
			return 1;
		case R_FAILED:
			return cybex_diag_set(d, r->failed, "input already "
			    "failed");
		}
	}
}

void
cybex_stix_item_locate(const struct cybex_stix_item *it, struct cybex_diag *d)
{
	const char *rel = d->pointer;
	size_t off, plen = strlen(it->pointer);
	unsigned long l, c;

	d->line = it->line;
	d->column = it->column;
	d->offset = it->offset;
	if (strncmp(rel, it->pointer, plen) == 0)
		rel += plen;
	if (it->len == 0 || cybex_json_locate(it->text, it->len, rel,
	    &off) != 0)
		return;
	cybex_text_linecol(it->text, off, &l, &c);
	d->column = l == 1 ? it->column + c - 1 : c;
	d->line = it->line + l - 1;
	d->offset = it->offset + off;
}
