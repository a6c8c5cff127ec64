/*
 * Fuzz target: the fast JSON path (lib/core/json_fast.c) against jansson.
 *
 * For every input: when the fast path takes it, jansson must accept it
 * too and build an equal value with the members in the same order; when
 * it declines, it must hand back nothing.  And core_json_load, which
 * tries the fast path first, must answer exactly as jansson does: the
 * same value, or the same error message at the same offset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define JFLAGS	(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static void
die(const char *what, const char *text, size_t size)
{
	fprintf(stderr, "fuzz_json_fast: %s\ninput: %.*s\n", what,
	    (int)(size > 2000 ? 2000 : size), text);
	abort();
}

/* Equal values written the same way (so the member order is the same). */
static int
same(const json_t *a, const json_t *b)
{
	struct cybex_buf wa, wb;
	int eq;

	if (!json_equal(a, b))
		return 0;
	cybex_buf_init(&wa, 0);
	cybex_buf_init(&wb, 0);
	eq = cybex_json_write(a, 0, &wa) == 0 &&
	    cybex_json_write(b, 0, &wb) == 0 && wa.len == wb.len &&
	    memcmp(wa.data, wb.data, wa.len) == 0;
	cybex_buf_free(&wa);
	cybex_buf_free(&wb);
	return eq;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_diag d;
	json_error_t e;
	json_t *ref, *fast = NULL, *loaded = NULL;
	size_t pos;
	char *text;
	int rf, rl;

	/* Exactly size bytes: any over-read is a heap overflow for ASan. */
	if ((text = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(text, data, size);
	ref = json_loadb(text, size, JFLAGS, &e);
	rf = core_json_fast(text, size, &fast);
	if (rf != 0 && rf != 1)
		die("fast path returned neither 0 nor 1", text, size);
	if (rf == 1 && fast != NULL)
		die("fast path declined but handed out a value", text, size);
	if (rf == 0) {
		if (fast == NULL)
			die("fast path took it but handed out nothing", text,
			    size);
		if (ref == NULL)
			die("fast path took what jansson rejects", text, size);
		if (!same(fast, ref))
			die("fast path built another value than jansson", text,
			    size);
	}
	cybex_diag_clear(&d);
	rl = core_json_load(text, size, &loaded, &d);
	if (ref != NULL) {
		if (rl != 0 || loaded == NULL || !same(loaded, ref))
			die("core_json_load differs from jansson", text, size);
	} else {
		pos = e.position > 0 ? (size_t)e.position - 1 : 0;
		if (pos > size)
			pos = size;
		if (rl != CYBEX_EJSON || loaded != NULL ||
		    strcmp(d.message, e.text) != 0 || d.offset != pos)
			die("core_json_load words an error unlike jansson",
			    text, size);
	}
	json_decref(ref);
	json_decref(fast);
	json_decref(loaded);
	free(text);
	return 0;
}
