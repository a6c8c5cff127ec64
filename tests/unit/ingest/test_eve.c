/*
 * The EVE reader against Suricata's own examples
 * (../shared/conformance/suricata/_extracted/eve-json-format.examples.jsonl,
 * one cmocka test each): every field the reader maps is compared with
 * what jansson reads from the same record.  Then the errors (code, line,
 * column), the cap on nesting, the 10 MB line, and the promise that a
 * reader in steady state allocates nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_test.h"
#include "testutil.h"

/* ---- jansson's view of a record vs the observation ---- */

static const char *
jstr(json_t *o, const char *path)
{
	char buf[128], *dot;
	json_t *v = o;
	const char *p = path;

	while ((dot = strchr(p, '.')) != NULL) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(dot - p), p);
		v = json_object_get(v, buf);
		p = dot + 1;
	}
	v = json_object_get(v, p);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *
jget(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return b != NULL ? json_object_get(v, b) : v;
}

static void
same_str(const char *want, const char *got, bool lower)
{
	char buf[512];
	size_t i;

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	snprintf(buf, sizeof(buf), "%s", want);
	for (i = 0; lower && buf[i] != '\0'; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] + 32);
	assert_string_equal(got, buf);
}

static void
same_int(json_t *v, uint64_t got)
{
	if (v == NULL)
		assert_int_equal(got, 0);
	else
		assert_int_equal((uint64_t)json_integer_value(v), got);
}

static void
same_ip(const char *text, const struct cybex_ip *got)
{
	struct cybex_ip want;

	if (text == NULL) {
		assert_int_equal(got->family, 0);
		return;
	}
	assert_int_equal(cybex_ip_parse(text, strlen(text), &want), 0);
	assert_int_equal(got->family, want.family);
	assert_memory_equal(got->a, want.a, sizeof(want.a));
}

/* "2017-04-07T22:24:37.251547+0100" -> microseconds via cybex_time_parse */
static int64_t
eve_time(const char *s)
{
	struct cybex_time t;
	char buf[64];
	size_t n = strlen(s);

	assert_true(n > 5 && n < sizeof(buf) - 1);
	memcpy(buf, s, n - 2);
	buf[n - 2] = ':';
	memcpy(buf + n - 1, s + n - 2, 3);
	assert_int_equal(cybex_time_parse(buf, strlen(buf), 0, &t, NULL), 0);
	return t.sec * 1000000 + t.nsec / 1000;
}

static void
check_against_jansson(const struct cybex_obs *o, json_t *ev)
{
	static const struct {
		const char		*type;
		enum cybex_obs_kind	 kind;
	} kinds[] = {
		{ "alert", CYBEX_OBS_ALERT }, { "flow", CYBEX_OBS_FLOW },
		{ "netflow", CYBEX_OBS_FLOW }, { "dns", CYBEX_OBS_DNS },
		{ "http", CYBEX_OBS_HTTP }, { "tls", CYBEX_OBS_TLS },
		{ "fileinfo", CYBEX_OBS_FILE }, { "smtp", CYBEX_OBS_MAIL },
		{ "anomaly", CYBEX_OBS_ANOMALY },
	};
	const char *et = jstr(ev, "event_type");
	enum cybex_obs_kind k = CYBEX_OBS_OTHER;
	char st[64];
	size_t i;

	assert_non_null(et);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].type, et) == 0)
			k = kinds[i].kind;
	assert_int_equal(o->kind, k);
	snprintf(st, sizeof(st), "eve:%s", et);
	assert_string_equal(o->source_type, st);
	assert_int_equal(o->ts_us, eve_time(jstr(ev, "timestamp")));
	same_ip(jstr(ev, "src_ip"), &o->src_ip);
	same_ip(jstr(ev, "dest_ip"), &o->dst_ip);
	assert_int_equal(o->has_src_port, jget(ev, "src_port", NULL) != NULL);
	same_int(jget(ev, "src_port", NULL), o->src_port);
	same_int(jget(ev, "dest_port", NULL), o->dst_port);
	same_str(jstr(ev, "proto"), o->proto, false);
	if (jstr(ev, "app_proto") != NULL)
		same_str(jstr(ev, "app_proto"), o->app_proto, false);
	else
		same_str(jstr(ev, "anomaly.app_proto"), o->app_proto, false);
	/* alert, or anomaly in the same fields */
	if (jget(ev, "anomaly", NULL) != NULL) {
		same_str(jstr(ev, "anomaly.event"), o->signature, false);
		same_str(jstr(ev, "anomaly.type"), o->category, false);
	} else {
		same_str(jstr(ev, "alert.signature"), o->signature, false);
		same_str(jstr(ev, "alert.category"), o->category, false);
	}
	same_int(jget(ev, "alert", "signature_id"), (uint64_t)o->signature_id);
	same_int(jget(ev, "alert", "severity"), (uint64_t)o->severity);
	same_int(jget(ev, "flow", "pkts_toserver"), o->pkts_to_server);
	same_int(jget(ev, "flow", "pkts_toclient"), o->pkts_to_client);
	same_int(jget(ev, "flow", "bytes_toserver"), o->bytes_to_server);
	same_int(jget(ev, "flow", "bytes_toclient"), o->bytes_to_client);
	same_str(jstr(ev, "flow.state"), o->flow_state, false);
	same_str(jstr(ev, "tcp.tcp_flags"), o->tcp_flags, true);
	same_str(jstr(ev, "http.hostname"), o->http_host, true);
	same_str(jstr(ev, "http.url"), o->url, false);
	same_str(jstr(ev, "http.http_method"), o->http_method, false);
	same_str(jstr(ev, "http.http_user_agent"), o->user_agent, false);
	same_str(jstr(ev, "http.http_refer"), o->referrer, false);
	same_int(jget(ev, "http", "status"), (uint64_t)o->http_status);
	same_str(jstr(ev, "fileinfo.filename"), o->file_name, false);
	same_str(jstr(ev, "fileinfo.md5"), o->md5, true);
	same_str(jstr(ev, "fileinfo.sha256"), o->sha256, true);
	assert_int_equal(o->has_file_size,
	    jget(ev, "fileinfo", "size") != NULL);
	same_int(jget(ev, "fileinfo", "size"), o->file_size);
	same_str(jstr(ev, "tls.sni"), o->tls_sni, true);
	same_str(jstr(ev, "tls.subject"), o->tls_subject, false);
}

/* ---- one test per conformance example ---- */

#define EX_MAX	32
static struct {
	char	 name[128];
	char	*line;		/* the "event" member, compact, in order */
	json_t	*event;
} ex[EX_MAX];
static struct CMUnitTest ex_tests[EX_MAX + 16];
static size_t nex;

static void
conformance_example(void **state)
{
	size_t i = (size_t)(uintptr_t)*state;
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_EVE, NULL);
	const struct cybex_obs *o;
	struct cybex_diag d;
	int rc;

	rc = cybex_ingest_read_line(r, ex[i].line, strlen(ex[i].line), 7, &o,
	    &d);
	if (rc != 1)
		fail_msg("%s: %d at %lu: %s", ex[i].name, rc, d.column,
		    d.message);
	assert_int_equal(o->line, 7);
	check_against_jansson(o, ex[i].event);
	cybex_ingest_reader_free(r);
}

static void
load_examples(void)
{
	char *path = tu_conformance_path(
	    "suricata/_extracted/eve-json-format.examples.jsonl");
	char *text = tu_read_file(path, NULL), *line, *next;
	json_t *rec;
	json_error_t err;

	if (text == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	for (line = text; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (nex == EX_MAX)
			break;
		if ((rec = json_loads(line, JSON_REJECT_DUPLICATES,
		    &err)) == NULL) {
			fprintf(stderr, "%s: %s\n", path, err.text);
			exit(1);
		}
		ex[nex].event = json_incref(json_object_get(rec, "event"));
		ex[nex].line = json_dumps(ex[nex].event, JSON_COMPACT |
		    JSON_PRESERVE_ORDER);
		snprintf(ex[nex].name, sizeof(ex[nex].name), "example %s "
		    "(rst line %lld)", json_string_value(json_object_get(rec,
		    "section")), (long long)json_integer_value(
		    json_object_get(rec, "rst_line")));
		json_decref(rec);
		ex_tests[nex].name = ex[nex].name;
		ex_tests[nex].test_func = conformance_example;
		ex_tests[nex].initial_state = (void *)(uintptr_t)nex;
		nex++;
	}
	free(text);
	free(path);
}

/* ---- errors: code, line and column ---- */

static void
expect_err(const char *line, size_t len, int code, unsigned long col,
    const char *msg_part)
{
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_EVE, NULL);
	const struct cybex_obs *o;
	struct cybex_diag d;
	struct cybex_ingest_stats st;
	int rc;

	cybex_diag_clear(&d);
	rc = cybex_ingest_read_line(r, line, len, 42, &o, &d);
	if (code == 0) {		/* must be read */
		if (rc != 1)
			fail_msg("got %d at column %lu: %s", rc, d.column,
			    d.message);
		cybex_ingest_reader_free(r);
		return;
	}
	if (rc != code || d.column != col)
		fail_msg("got %d at column %lu (%s), want %d at %lu", rc,
		    d.column, d.message, code, col);
	assert_null(o);
	assert_int_equal(d.line, 42);
	if (msg_part != NULL && strstr(d.message, msg_part) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", d.message, msg_part);
	/* The reader goes on after an error. */
	rc = it_line(r, "{\"timestamp\":\"2020-01-01T00:00:00Z\","
	    "\"event_type\":\"flow\"}", &o, &d);
	assert_int_equal(rc, 1);
	assert_int_equal(o->kind, CYBEX_OBS_FLOW);
	cybex_ingest_reader_stats(r, &st);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.observations, 1);
	cybex_ingest_reader_free(r);
}

#define EXPECT(s, code, col, part)	expect_err(s, sizeof(s) - 1, code, \
    col, part)
#define HDR	"{\"timestamp\":\"2017-04-07T22:24:37.251547+0100\","

static void
truncated_and_garbage(void **state)
{
	(void)state;
	EXPECT(HDR "\"event_type\":\"alert\"", CYBEX_EJSON, 68, "truncated");
	/* "t" may start "true": "o" is the first byte that cannot */
	EXPECT("not json at all", CYBEX_EJSON, 2, "malformed JSON");
	EXPECT("[1,2]", CYBEX_EFORMAT, 1, "JSON object");
	EXPECT("\"just a string\"", CYBEX_EFORMAT, 1, "JSON object");
	EXPECT(HDR "\"event_type\":\"alert\"} x", CYBEX_EJSON, 70, NULL);
	EXPECT(HDR "\"event_type\":\"alert\"}{}", CYBEX_EJSON, 69,
	    "second JSON value");
}

/*
 * Where yajl's errors point: at the byte it could not take (lexical
 * errors), or at the start of the token it did not expect (parse errors),
 * whatever yajl's own offset for each kind of error is.
 */
static void
json_error_columns(void **state)
{
	(void)state;
	EXPECT("{\"a\":x}", CYBEX_EJSON, 6, "invalid char");
	EXPECT("@", CYBEX_EJSON, 1, "invalid char");
	EXPECT("{\"a\":tru}", CYBEX_EJSON, 9, "invalid string");
	EXPECT("{\"a\":1.}", CYBEX_EJSON, 8, "decimal point");
	EXPECT("{\"a\":-}", CYBEX_EJSON, 7, "minus sign");
	EXPECT("{\"a\":1e}", CYBEX_EJSON, 8, "exponent");
	EXPECT("{\"a\":\"\\q\"}", CYBEX_EJSON, 8, "'\\'");
	EXPECT("{\"a\":\"\\u12x4\"}", CYBEX_EJSON, 11, "non-hex");
	EXPECT("{\"a\" 1}", CYBEX_EJSON, 6, "colon");
	EXPECT("{\"a\" \"bc\"}", CYBEX_EJSON, 6, "colon");
	EXPECT("{\"a\":1 ]", CYBEX_EJSON, 8, "expect ',' or '}'");
	EXPECT("{\"a\":1 true}", CYBEX_EJSON, 8, "expect ',' or '}'");
	EXPECT("{\"a\":1  \"xyz\"}", CYBEX_EJSON, 9, "expect ',' or '}'");
	EXPECT("{\"a\":1 \"x\\\"y\"}", CYBEX_EJSON, 8, "expect ',' or '}'");
	/* yajl reads 0 and then 1: the column is of the malformed "01" */
	EXPECT("{\"a\":01}", CYBEX_EJSON, 6, "expect ',' or '}'");
	EXPECT("{\"a\":[1 \"abc\"]}", CYBEX_EJSON, 9, "expect ',' or ']'");
	EXPECT("{\"a\":[1 true]}", CYBEX_EJSON, 9, "expect ',' or ']'");
	EXPECT("{\"abc\":1, 23}", CYBEX_EJSON, 11, "object key");
	EXPECT("{,}", CYBEX_EJSON, 2, "object key");
	EXPECT("{\"a\":[1,]}", CYBEX_EJSON, 9, "unallowed token");
	EXPECT("{\"a\":}", CYBEX_EJSON, 6, "unallowed token");
}

static void
duplicates(void **state)
{
	(void)state;
	EXPECT(HDR "\"event_type\":\"alert\",\"event_type\":\"flow\"}",
	    CYBEX_EJSON, 69, "\"event_type\"");
	/* nested: a duplicate inside "alert" */
	EXPECT(HDR "\"event_type\":\"alert\",\"alert\":{\"signature_id\":1,"
	    "\"signature_id\":2}}", CYBEX_EJSON, 95, "\"signature_id\"");
	/* an escaped spelling of the same key is the same key */
	EXPECT(HDR "\"event_type\":\"alert\",\"src_\\u0069p\":\"1.2.3.4\","
	    "\"src_ip\":\"5.6.7.8\"}", CYBEX_EJSON, 93, "\"src_ip\"");
	/* keys we do not read may repeat: they change nothing we report */
	EXPECT(HDR "\"event_type\":\"alert\",\"x\":1,\"x\":2}", 0, 0, NULL);
}

static void
encoding(void **state)
{
	(void)state;
	EXPECT(HDR "\"event_type\":\"al\xff\"}", CYBEX_EJSON, 64, "UTF-8");
	EXPECT(HDR "\"event_type\":\"\xed\xa0\x80\"}", CYBEX_EJSON, 62,
	    "UTF-8");
	EXPECT(HDR "\"event_type\":\"\xf4\x90\x80\x80\"}", CYBEX_EJSON, 62,
	    "UTF-8");
	EXPECT(HDR "\"event_type\":\"a\\u0000\"}", CYBEX_EJSON, 63, "NUL");
	EXPECT(HDR "\"event_type\":\"\\ud800x\"}", CYBEX_EJSON, 62,
	    "surrogate");
	/* a raw NUL byte is not JSON at all */
	EXPECT(HDR "\"event_type\":\"a\0b\"}", CYBEX_EJSON, 63, NULL);
	/* a number alone is JSON, but not a record */
	EXPECT("  10.0", CYBEX_EFORMAT, 3, "JSON object");
}

static void
values(void **state)
{
	(void)state;
	EXPECT(HDR "\"event_type\":\"alert\",\"src_ip\":\"1.2.3\"}",
	    CYBEX_EFORMAT, 78, "src_ip");
	EXPECT(HDR "\"event_type\":\"alert\",\"dest_ip\":\"fe80::1::2\"}",
	    CYBEX_EFORMAT, 79, "dest_ip");
	EXPECT("{\"timestamp\":\"2017-04-31T00:00:00Z\",\"event_type\":\"a\"}",
	    CYBEX_EFORMAT, 23, "timestamp");
	EXPECT("{\"timestamp\":\"2017-04-07T24:00:00Z\",\"event_type\":\"a\"}",
	    CYBEX_EFORMAT, 26, "timestamp");
	EXPECT("{\"timestamp\":\"2017-04-07T22:24:37+01\",\"event_type\":\"a\"}",
	    CYBEX_EFORMAT, 34, "timestamp");
	EXPECT("{\"timestamp\":\"yesterday\",\"event_type\":\"a\"}",
	    CYBEX_EFORMAT, 15, "timestamp");
	EXPECT("{\"timestamp\":1491600277,\"event_type\":\"a\"}",
	    CYBEX_EFORMAT, 14, "timestamp");
	EXPECT(HDR "\"event_type\":\"alert\",\"dest_port\":-1}",
	    CYBEX_EFORMAT, 81, "dest_port");
	EXPECT(HDR "\"event_type\":\"alert\",\"src_port\":true}",
	    CYBEX_EFORMAT, 80, "src_port");
	EXPECT(HDR "\"event_type\":\"flow\",\"flow\":[]}", CYBEX_EFORMAT, 75,
	    "\"flow\" must be an object");
}

static void
nesting(void **state)
{
	char buf[512];
	size_t n, i;

	(void)state;
	/* 64 levels including the record are fine, 65 are not */
	n = (size_t)snprintf(buf, sizeof(buf), HDR "\"event_type\":\"a\","
	    "\"x\":");
	for (i = 0; i < 63; i++)
		buf[n++] = '[';
	for (i = 0; i < 63; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	expect_err(buf, n, 0, 0, NULL);
	n = (size_t)snprintf(buf, sizeof(buf), HDR "\"event_type\":\"a\","
	    "\"x\":");
	for (i = 0; i < 200; i++)
		buf[n++] = '[';
	/* the prefix is 68 bytes: the 64th '[' is the 65th level */
	expect_err(buf, n, CYBEX_ETOOBIG, 68 + 64, "deeper than 64");
}

static void
huge_line(void **state)
{
	size_t n = 10u << 20;
	char *big = malloc(n);
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_EVE, NULL);
	const struct cybex_obs *o;
	struct cybex_diag d;

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, HDR "\"event_type\":\"alert\",\"x\":\"", 69);
	big[n - 2] = '"';
	big[n - 1] = '}';
	assert_int_equal(cybex_ingest_read_line(r, big, n, 3, &o, &d),
	    CYBEX_ETOOBIG);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.column, CYBEX_INGEST_LINE_MAX_DEFAULT + 1);
	assert_null(o);
	free(big);
	cybex_ingest_reader_free(r);
}

/* Lines with big strings of ever other sizes are all read: the string
 * area gives back what it holds past its cap instead of refusing. */
static void
big_strings(void **state)
{
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_EVE, NULL);
	const struct cybex_obs *o;
	struct cybex_diag d;
	size_t k, n, sig;
	char *line;

	(void)state;
	line = malloc(1u << 20);
	assert_non_null(line);
	for (k = 0; k < 40; k++) {
		sig = 1000 + ((k * 7919) % 40) * 25000;
		n = (size_t)snprintf(line, 200, HDR "\"event_type\":\"alert\","
		    "\"alert\":{\"signature\":\"");
		memset(line + n, 'a' + (int)(k % 26), sig);
		n += sig;
		memcpy(line + n, "\"}}", 3);
		n += 3;
		assert_int_equal(cybex_ingest_read_line(r, line, n, k + 1, &o,
		    &d), 1);
		assert_int_equal(strlen(o->signature), sig);
	}
	free(line);
	cybex_ingest_reader_free(r);
}

/* ---- no allocation per line in steady state ---- */

static size_t allocs;

static void *
count_malloc(size_t n)
{
	allocs++;
	return malloc(n);
}

static void *
count_realloc(void *p, size_t n)
{
	allocs++;
	return realloc(p, n);
}

static void
steady_state(void **state)
{
	const struct cybex_allocator a = { count_malloc, count_realloc, free };
	struct cybex_ingest_reader *r;
	const struct cybex_obs *o;
	struct cybex_diag d;
	size_t i, k, before;

	(void)state;
	cybex_set_allocator(&a);
	r = it_reader(CYBEX_INGEST_EVE, NULL);
	for (k = 0; k < 2; k++) {
		before = allocs;
		for (i = 0; i < nex * 50; i++)
			assert_int_equal(cybex_ingest_read_line(r,
			    ex[i % nex].line, strlen(ex[i % nex].line), i + 1,
			    &o, &d), 1);
		/* the first round may grow buffers, the second must not */
		if (k == 1)
			assert_int_equal(allocs, before);
	}
	cybex_ingest_reader_free(r);
	cybex_set_allocator(NULL);
}

int
main(void)
{
	static const struct CMUnitTest more[] = {
		cmocka_unit_test(truncated_and_garbage),
		cmocka_unit_test(json_error_columns),
		cmocka_unit_test(duplicates),
		cmocka_unit_test(encoding),
		cmocka_unit_test(values),
		cmocka_unit_test(nesting),
		cmocka_unit_test(huge_line),
		cmocka_unit_test(big_strings),
		cmocka_unit_test(steady_state),
	};
	size_t i;

	load_examples();
	if (nex != 9) {
		fprintf(stderr, "expected 9 examples, found %zu\n", nex);
		return 1;
	}
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		ex_tests[nex + i] = more[i];
	return _cmocka_run_group_tests("ingest_eve", ex_tests, nex + i, NULL,
	    NULL);
}
