/*
 * Fuzz target: the streaming STIX reader, the validator and the writer.
 *
 * Every item the reader hands out is validated.  An item that the reader
 * accepted and that validates without error must survive a round trip:
 * cybex_stix_write, then cybex_json_parse, gives a value json_equal to the
 * one read, and that value validates again without error.  Any broken
 * invariant aborts, which libFuzzer (or the replay driver) reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "cybex/stix.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_OBJECT_MAX	(1024u * 1024)
#define FUZZ_ITEMS_MAX	10000	/* more than any input of max_len can hold */

/* What the validation callback saw. */
struct vcount {
	const char	*base;
	size_t		 baselen;
	unsigned	 errors;
	unsigned	 warnings;
};

static void
die(const char *what, const struct cybex_stix_item *it)
{
	fprintf(stderr, "fuzz_stix_read: %s (item at offset %llu, "
	    "pointer '%s')\n", what, it != NULL ? it->offset : 0ULL,
	    it != NULL ? it->pointer : "");
	abort();
}

static void
on_diag(void *ud, const struct cybex_diag *d)
{
	struct vcount *vc = ud;

	/* Documented: every pointer starts with base_ptr. */
	if (strncmp(d->pointer, vc->base, vc->baselen) != 0) {
		fprintf(stderr, "fuzz_stix_read: diag pointer '%s' does not "
		    "start with '%s'\n", d->pointer, vc->base);
		abort();
	}
	if (memchr(d->message, '\0', sizeof(d->message)) == NULL)
		die("diag message not NUL-terminated", NULL);
	if (d->severity == CYBEX_SEV_ERROR)
		vc->errors++;
	else
		vc->warnings++;
}

/* Validate; cross-check the callback count against the result counts. */
static int
validate(const json_t *j, const struct cybex_stix_opts *o, const char *base,
    struct vcount *vc)
{
	struct cybex_stix_result res;
	int rc;

	memset(vc, 0, sizeof(*vc));
	vc->base = base;
	vc->baselen = strlen(base);
	rc = cybex_stix_validate(j, o, base, on_diag, vc, &res);
	if (res.errors != vc->errors || res.warnings != vc->warnings)
		die("result counts differ from the callback's", NULL);
	if ((rc == 0) != (vc->errors == 0))
		die("return code disagrees with the error count", NULL);
	if (rc != 0 && rc != CYBEX_ESTIX)
		die("validate returned something other than 0/ESTIX", NULL);
	return rc;
}

/* Write it, parse it back; it must be the same data and still valid. */
static void
round_trip(const struct cybex_stix_item *it, const struct cybex_stix_opts *o,
    unsigned flags)
{
	struct cybex_buf out;
	struct cybex_diag d;
	struct vcount vc;
	json_t *back = NULL;

	cybex_buf_init(&out, 0);
	if (cybex_stix_write(it->json, flags, &out) != 0)
		die("cybex_stix_write failed on a valid item", it);
	/*
	 * A top-level object is read member by member, each member under
	 * the depth cap, so as a whole it may be one level deeper.
	 */
	if (cybex_json_parse(out.data, out.len, o->max_depth + 1, &back,
	    &d) != 0) {
		fprintf(stderr, "fuzz_stix_read: reparse: %s at %lu:%lu\n"
		    "output: %.*s\n", d.message, d.line, d.column,
		    (int)(out.len > 2000 ? 2000 : out.len), out.data);
		die("written item does not parse back", it);
	}
	if (!json_equal(back, it->json))
		die("written item parses back to a different value", it);
	if (validate(back, o, it->pointer, &vc) != 0)
		die("written item no longer validates", it);
	json_decref(back);
	cybex_buf_free(&out);
}

/*
 * The raw text of an object item must be the JSON that was handed out,
 * and what jansson alone makes of it (the reader parses on a faster path
 * that must build the same values).
 */
static void
check_text(const struct cybex_stix_item *it, const struct cybex_stix_opts *o,
    size_t size)
{
	struct cybex_diag d;
	json_t *j = NULL, *ref = NULL;

	if (it->offset >= size || it->len > size - it->offset)
		die("item text lies outside the input", it);
	if (it->kind != CYBEX_STIX_ITEM_OBJECT)
		goto out;
	if (cybex_json_parse(it->text, it->len, o->max_depth + 1, &j, &d) != 0)
		die("item text does not parse", it);
	if (!json_equal(j, it->json))
		die("item text parses to a different value than item json",
		    it);
	ref = json_loadb(it->text, it->len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, NULL);
	if (ref == NULL || !json_equal(ref, it->json))
		die("jansson reads the item text differently", it);
 out:
	json_decref(ref);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_stix_opts o = { 0, FUZZ_OBJECT_MAX, 0, NULL };
	struct cybex_stix_reader *r = NULL;
	struct cybex_stix_item it;
	struct cybex_diag d;
	struct cybex_stix_opts strict;
	struct vcount vc, vs;
	unsigned n = 0;
	int rc;

	o.max_depth = CYBEX_JSON_DEPTH_DEFAULT;
	strict = o;
	strict.flags |= CYBEX_STIX_STRICT;
	if (cybex_stix_reader_new_mem((const char *)data, size, &o, &r) != 0)
		die("reader_new_mem failed", NULL);
	for (;;) {
		cybex_diag_clear(&d);
		rc = cybex_stix_reader_next(r, &it, &d);
		if (rc <= 0)
			break;
		if (++n > FUZZ_ITEMS_MAX)
			die("reader does not make progress", &it);
		if (it.json == NULL)
			die("item without json", &it);
		check_text(&it, &o, size);
		/* STRICT turns every warning into an error, nothing else. */
		(void)validate(it.json, &strict, it.pointer, &vs);
		rc = validate(it.json, &o, it.pointer, &vc);
		if (vs.warnings != 0 || vs.errors != vc.errors + vc.warnings)
			die("STRICT does not count warnings as errors", &it);
		if (rc != 0)
			continue;
		round_trip(&it, &o, 0);
		round_trip(&it, &o, CYBEX_JSON_PRETTY);
	}
	if (rc < 0) {
		if (rc < CYBEX_ECODE_MIN)
			die("reader returned an unknown code", NULL);
		if (d.offset > size)
			die("reader error offset past the input", NULL);
		/* After an error the reader only returns errors. */
		if (cybex_stix_reader_next(r, &it, &d) >= 0)
			die("reader recovered after an error", NULL);
	}
	cybex_stix_reader_free(r);
	return 0;
}
