/*
 * Fuzz target: the JSON helpers.
 *
 * - cybex_json_scan runs on an exactly sized copy of the input (so ASan
 *   sees any read past the end) with several depth caps.
 * - When cybex_json_parse accepts the input, cybex_json_write in every
 *   layout must parse back to an equal value (for CANONICAL, equal as
 *   RFC 8785 sees numbers: 1.0 is written "1" and reads back an integer),
 *   the scanner must agree that the text is one complete value, and
 *   cybex_json_locate must find pointers taken from the parsed value at
 *   offsets inside the input.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH_DEPTH_MAX	8

/*
 * Known limitation, reported (see fuzz/corpus/json/crash-canonical-big-
 * real): RFC 8785 writes an integral real below 1e21 as plain digits
 * ("100000000000000000000" for 1e20), which jansson, and so
 * cybex_json_parse, rejects as "too big integer" when it is >= 2^63.
 * While set, such output is only required to read back as reals.  Set it
 * to 0 once the library reads its own canonical output back, and the
 * crash file becomes a regression test.
 */
#define TOLERATE_CANONICAL_BIG_REAL	1

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_json: %s%s%s\n", what,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	abort();
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Equal, where a number equals another number of the same value whatever
 * its jansson type (an integral real comes back from canonical text as an
 * integer).  Everything else as json_equal.
 */
static int
num_equal(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *va;
	size_t i;
	int eq = 0;

	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			eq = json_integer_value(a) == json_integer_value(b);
		else
			eq = json_number_value(a) == json_number_value(b);
		goto out;
	}
	if (json_typeof(a) != json_typeof(b))
		goto out;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			goto out;
		for (i = 0; i < json_array_size(a); i++) {
			if (!num_equal(json_array_get(a, i),
			    json_array_get(b, i)))
				goto out;
		}
		eq = 1;
	} else if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			goto out;
		json_object_foreach((json_t *)a, key, va) {
			const json_t *vb = json_object_get(b, key);

			if (vb == NULL || !num_equal(va, vb))
				goto out;
		}
		eq = 1;
	} else
		eq = json_equal(a, b);
 out:
	return eq;
}

/* Does v hold a real that canonical form writes as digits past int64? */
static int
has_big_integral_real(const json_t *v)
{
	const char *key;
	json_t *m;
	double r;
	size_t i;
	int has = 0;

	if (json_is_real(v)) {
		r = fabs(json_real_value(v));
		has = r >= 9223372036854775808.0 && r < 1e21;
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v) && !has; i++)
			has = has_big_integral_real(json_array_get(v, i));
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, m) {
			if ((has = has_big_integral_real(m)) != 0)
				break;
		}
	}
	return has;
}

/* The tolerated case: the canonical text must still read back as reals. */
static int
tolerated(const json_t *v, const struct cybex_buf *out, unsigned flags)
{
	json_t *back;
	int ok;

	if (!TOLERATE_CANONICAL_BIG_REAL || !(flags & CYBEX_JSON_CANONICAL) ||
	    !has_big_integral_real(v))
		return 0;
	back = json_loadb(out->data, out->len,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL,
	    NULL);
	ok = back != NULL && num_equal(v, back);
	json_decref(back);
	return ok;
}

static void
check_write(const json_t *v, unsigned flags)
{
	struct cybex_buf out, again;
	struct cybex_diag d;
	json_t *back = NULL;
	size_t end;
	int r;

	cybex_buf_init(&out, 0);
	if ((r = cybex_json_write(v, flags, &out)) != 0)
		die("cybex_json_write failed on a parsed value",
		    cybex_strerror(r));
	if (cybex_json_parse(out.data, out.len, 0, &back, &d) != 0) {
		if (tolerated(v, &out, flags))
			goto out;
		fprintf(stderr, "fuzz_json: flags %u output: %.*s\n", flags,
		    (int)(out.len > 2000 ? 2000 : out.len), out.data);
		die("written JSON does not parse back", d.message);
	}
	if (flags & CYBEX_JSON_CANONICAL) {
		if (!num_equal(v, back))
			die("canonical JSON parses back to another value",
			    out.data);
		/* A fixed point: writing it again changes nothing. */
		cybex_buf_init(&again, 0);
		if (cybex_json_write(back, flags, &again) != 0 ||
		    again.len != out.len ||
		    memcmp(again.data, out.data, out.len) != 0)
			die("canonical JSON is not a fixed point", out.data);
		cybex_buf_free(&again);
	} else if (!json_equal(v, back))
		die("written JSON parses back to another value", out.data);
	/* The writer's output is one complete value for the scanner too. */
	if (out.data[0] == '{' || out.data[0] == '[' || out.data[0] == '"') {
		if (cybex_json_scan(out.data, out.len, 0, &end) != 0 ||
		    end != out.len)
			die("scanner disagrees with written JSON", out.data);
	}
 out:
	json_decref(back);
	cybex_buf_free(&out);
}

/*
 * Walk down from the root, by first and by last child, locating every
 * prefix: it must be found inside the text, after its parent.
 */
static void
check_locate(const char *text, size_t size, const json_t *root, int last)
{
	char ptr[CYBEX_DIAG_PTR_MAX] = "";
	const json_t *v = root;
	size_t off, prev = 0, n;
	const char *key;
	void *it;
	int depth, r;

	for (depth = 0; depth < PATH_DEPTH_MAX; depth++) {
		if (json_is_object(v) && json_object_size(v) > 0) {
			it = json_object_iter((json_t *)v);
			n = json_object_size(v);
			while (last && --n > 0)
				it = json_object_iter_next((json_t *)v, it);
			key = json_object_iter_key(it);
			v = json_object_iter_value(it);
			r = cybex_json_pointer_push(ptr, sizeof(ptr), key);
		} else if (json_is_array(v) && json_array_size(v) > 0) {
			n = last ? json_array_size(v) - 1 : 0;
			v = json_array_get(v, n);
			r = cybex_json_pointer_pushi(ptr, sizeof(ptr), n);
		} else
			break;
		if (r != 0)
			break;	/* too long to name: nothing to check */
		if (cybex_json_locate(text, size, ptr, &off) != 0)
			die("locate does not find an existing member", ptr);
		if (off >= size || (depth > 0 && off <= prev))
			die("locate offset out of place", ptr);
		prev = off;
	}
	/* Pointers that do not resolve are reported as such. */
	if (json_is_array(root) &&
	    cybex_json_locate(text, size, "/-", &off) != CYBEX_ENOTFOUND)
		die("locate resolved '/-'", NULL);
	if (json_is_object(root) && json_object_get(root, "\x01") == NULL &&
	    cybex_json_locate(text, size, "/\x01", &off) != CYBEX_ENOTFOUND)
		die("locate resolved a missing key", NULL);
	(void)cybex_json_locate(text, size, "/0", &off);
	(void)cybex_json_locate(text, size, "/a~1b~0c/0", &off);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t depths[] = { 0, 1, 3, 64, 4096 };
	char *copy;
	json_t *v = NULL;
	struct cybex_diag d;
	size_t i, start = 0, end;
	int rs, rp;

	/* Exactly size bytes: any over-read is a heap overflow for ASan. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(copy, data, size);
	while (start < size && is_ws(copy[start]))
		start++;
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		end = (size_t)-1;
		rs = cybex_json_scan(copy + start, size - start, depths[i],
		    &end);
		if (rs != 0 && rs != 1 && rs != CYBEX_EJSON &&
		    rs != CYBEX_ETOOBIG)
			die("scan returned an unknown code", NULL);
		if (end > size - start)
			die("scan end past the input", NULL);
	}

	cybex_diag_clear(&d);
	rp = cybex_json_parse(copy, size, 0, &v, &d);
	if (rp != 0) {
		if (rp != CYBEX_EJSON && rp != CYBEX_ETOOBIG)
			die("parse returned an unexpected code", d.message);
		if (d.offset > size)
			die("parse diag offset past the input", d.message);
		goto out;
	}
	/* Accepted text is one complete value and only whitespace after. */
	if (start < size && (copy[start] == '{' || copy[start] == '[' ||
	    copy[start] == '"')) {
		if (cybex_json_scan(copy + start, size - start, 0, &end) != 0)
			die("scan rejects text that parses", NULL);
		for (i = start + end; i < size; i++) {
			if (!is_ws(copy[i]))
				die("scan ends the value early", NULL);
		}
	}
	check_write(v, 0);
	check_write(v, CYBEX_JSON_PRETTY);
	check_write(v, CYBEX_JSON_CANONICAL);
	check_locate(copy, size, v, 0);
	check_locate(copy, size, v, 1);
 out:
	json_decref(v);
	free(copy);
	return 0;
}
