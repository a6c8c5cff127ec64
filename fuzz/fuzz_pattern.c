/*
 * Fuzz target: STIX patterns (lexer, parser, checker, writer, evaluator).
 *
 * The input is one pattern.  Invariants:
 *   - parsing fails only with CYBEX_EFORMAT or CYBEX_ETOOBIG, and the
 *     first error's column names a byte of the input or one past it
 *     (column == offset + 1);
 *   - whatever the full checker accepts, the grammar-only mode accepts;
 *     strict mode accepts nothing the default mode rejects;
 *   - an accepted pattern writes back to canonical text that parses to
 *     the same canonical text (the writer is a fixed point);
 *   - the pattern and its canonical form give the same verdict against a
 *     fixed set of observations (with small limits, so a slow input is a
 *     CYBEX_ETOOBIG answer, never a hang), and the evaluator returns only
 *     0 or CYBEX_ETOOBIG.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/pattern.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The observations every accepted pattern is evaluated against. */
static const char *const observations[] = {
	"[{\"type\":\"file\",\"id\":\"file--1\",\"name\":\"Final Report.exe\","
	"\"size\":371712,\"hashes\":{\"MD5\":\"cead3f77f6cda6ec00f57d76c9a6879f\","
	"\"SHA-256\":\"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f\"},"
	"\"magic_number_hex\":\"ffd8\",\"parent_directory_ref\":\"directory--1\","
	"\"extensions\":{\"windows-pebinary-ext\":{\"pe_type\":\"exe\","
	"\"sections\":[{\"name\":\".text\",\"entropy\":7.5}]}}},"
	"{\"type\":\"directory\",\"id\":\"directory--1\",\"path\":\"C:\\\\Windows\"}]",
	"[{\"type\":\"network-traffic\",\"id\":\"network-traffic--1\","
	"\"src_ref\":\"ipv4-addr--1\",\"dst_ref\":\"domain-name--1\","
	"\"dst_port\":443,\"protocols\":[\"tcp\",\"tls\"],\"is_active\":true},"
	"{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--1\",\"value\":\"198.51.100.7\"},"
	"{\"type\":\"domain-name\",\"id\":\"domain-name--1\",\"value\":\"Example.com\","
	"\"resolves_to_refs\":[\"ipv4-addr--1\",\"ipv6-addr--1\"]},"
	"{\"type\":\"ipv6-addr\",\"id\":\"ipv6-addr--1\",\"value\":\"2001:db8::1\"}]",
	"[{\"type\":\"email-message\",\"id\":\"email-message--1\",\"is_multipart\":true,"
	"\"from_ref\":\"email-addr--1\",\"subject\":\"Conference Info\","
	"\"body_multipart\":[{\"body\":\"hi\"},{\"body_raw_ref\":\"file--1\"}]},"
	"{\"type\":\"email-addr\",\"id\":\"email-addr--1\",\"value\":\"jdoe@example.com\"},"
	"{\"type\":\"url\",\"id\":\"url--1\",\"value\":\"http://example.com/foo\"},"
	"{\"type\":\"artifact\",\"id\":\"artifact--1\",\"payload_bin\":\"1MOyoQIABAA=\","
	"\"mime_type\":\"application/vnd.tcpdump.pcap\"}]",
};

static const struct {
	const char	*first;
	const char	*last;
	uint32_t	 count;
	size_t		 obs;
} schedule[] = {
	{ "2016-06-01T01:30:00Z", "2016-06-01T01:30:00Z", 1, 0 },
	{ "2016-06-01T01:31:00Z", "2016-06-01T01:35:00Z", 3, 1 },
	{ "2016-06-01T01:33:00Z", "2016-06-01T01:33:00.5Z", 1, 2 },
	{ "2016-06-01T02:00:00Z", "2016-06-01T02:00:00Z", 2, 0 },
};

static struct cybex_pattern_obsset *set;

static void
die(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_pattern: %s: input '%.*s'\n", what,
	    (int)(size > 200 ? 200 : size), (const char *)data);
	abort();
}

static void
build_set(void)
{
	struct cybex_time f, l;
	json_t *arr[3], *v[8];
	size_t i, k, n;

	if (cybex_pattern_obsset_new(0, &set) != 0)
		abort();
	for (i = 0; i < 3; i++)
		if ((arr[i] = json_loads(observations[i], 0, NULL)) == NULL)
			abort();
	for (i = 0; i < sizeof(schedule) / sizeof(schedule[0]); i++) {
		if (cybex_time_parse(schedule[i].first,
		    strlen(schedule[i].first), CYBEX_TIME_UTC_Z, &f, NULL) != 0 ||
		    cybex_time_parse(schedule[i].last, strlen(schedule[i].last),
		    CYBEX_TIME_UTC_Z, &l, NULL) != 0)
			abort();
		n = json_array_size(arr[schedule[i].obs]);
		for (k = 0; k < n; k++)
			v[k] = json_array_get(arr[schedule[i].obs], k);
		if (cybex_pattern_obsset_add_scos(set, v, n, &f, &l,
		    schedule[i].count, NULL) != 0)
			abort();
	}
	for (i = 0; i < 3; i++)
		json_decref(arr[i]);
}

/* 1 match, 0 no match, -1 too big to decide. */
static int
verdict(const struct cybex_pattern *p, const uint8_t *data, size_t size)
{
	struct cybex_pattern_eval_opts o = { .max_bindings = 64,
	    .max_steps = 20000 };
	struct cybex_pattern_result r;
	int rc, v;

	rc = cybex_pattern_match(p, set, &o, &r, NULL);
	if (rc == CYBEX_ETOOBIG)
		return -1;
	if (rc != 0)
		die("the evaluator failed", data, size);
	if (r.matched != (r.nobs > 0) || r.nobs > cybex_pattern_obsset_count(set))
		die("inconsistent result", data, size);
	v = r.matched;
	cybex_pattern_result_clear(&r);
	return v;
}

static int
parse(const uint8_t *data, size_t size, unsigned flags,
    struct cybex_pattern **out, struct cybex_diag *d)
{
	struct cybex_pattern_opts o = { .flags = flags };
	int r;

	r = cybex_pattern_new((const char *)data, size, &o, NULL, NULL, out, d);
	if (r == 0)
		return 0;
	if (r != CYBEX_EFORMAT && r != CYBEX_ETOOBIG)
		die("unexpected error code", data, size);
	if (d->column < 1 || d->column > size + 1 ||
	    d->offset + 1 != d->column)
		die("error position outside the input", data, size);
	return r;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_pattern *full = NULL, *syn = NULL, *again = NULL;
	struct cybex_diag d;
	struct cybex_buf b1, b2;
	int rfull, rsyn, rstrict, v1, v2;

	if (set == NULL)
		build_set();
	cybex_buf_init(&b1, 0);
	cybex_buf_init(&b2, 0);
	rfull = parse(data, size, 0, &full, &d);
	rsyn = parse(data, size, CYBEX_PATTERN_SYNTAX_ONLY, &syn, &d);
	rstrict = parse(data, size, CYBEX_PATTERN_STRICT, NULL, &d);
	if (rfull == 0 && rsyn != 0)
		die("accepted by the checker but not by the grammar", data,
		    size);
	if (rstrict == 0 && rfull != 0)
		die("accepted in strict mode only", data, size);
	if (syn != NULL) {
		if (cybex_pattern_write(syn, &b1) != 0)
			die("cannot write an accepted pattern", data, size);
		if (parse((const uint8_t *)b1.data, b1.len,
		    CYBEX_PATTERN_SYNTAX_ONLY, &again, &d) != 0)
			die("canonical form does not parse", data, size);
		if (cybex_pattern_write(again, &b2) != 0 || b1.len != b2.len ||
		    memcmp(b1.data, b2.data, b1.len) != 0)
			die("canonical form is not a fixed point", data, size);
		v1 = verdict(syn, data, size);
		v2 = verdict(again, data, size);
		if (v1 >= 0 && v2 >= 0 && v1 != v2)
			die("canonical form matches differently", data, size);
	}
	if (full != NULL)
		(void)verdict(full, data, size);
	cybex_pattern_free(full);
	cybex_pattern_free(syn);
	cybex_pattern_free(again);
	cybex_buf_free(&b1);
	cybex_buf_free(&b2);
	return 0;
}
