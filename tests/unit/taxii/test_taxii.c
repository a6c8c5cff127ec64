/*
 * lib/taxii: every resource written, compared with the JSON text the
 * server has always answered, read back, and refused when misshapen
 * (with the member named).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cybex/taxii.h"

static char *
text(json_t *j)
{
	static char out[4096];
	struct cybex_buf b;

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_json_write(j, 0, &b), 0);
	assert_true(b.len < sizeof(out));
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	cybex_buf_free(&b);
	return out;
}

static json_t *
parse(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	assert_non_null(j);
	return j;
}

static void
discovery(void **state)
{
	static const char *const roots[] = { "https://h/default/",
	    "https://h/cert/" };
	struct cybex_taxii_discovery v = { "Hub", NULL, "cirt@example.org",
	    "https://h/default/", roots, 2 }, back;
	struct cybex_arena *a;
	struct cybex_diag d;
	json_t *j, *bad;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_taxii_discovery_write(&v, &j), 0);
	assert_string_equal(text(j), "{\"title\":\"Hub\",\"default\":"
	    "\"https://h/default/\",\"api_roots\":[\"https://h/default/\","
	    "\"https://h/cert/\"],\"contact\":\"cirt@example.org\"}");
	assert_int_equal(cybex_taxii_discovery_read(j, a, &back, &d), 0);
	assert_string_equal(back.title, "Hub");
	assert_null(back.description);
	assert_string_equal(back.contact, "cirt@example.org");
	assert_int_equal(back.napi_roots, 2);
	assert_string_equal(back.api_roots[1], "https://h/cert/");
	json_decref(j);
	bad = parse("{\"title\":\"x\",\"api_roots\":[\"a\",3]}");
	assert_int_equal(cybex_taxii_discovery_read(bad, a, &back, &d),
	    CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/api_roots");
	assert_null(back.title);
	json_decref(bad);
	bad = parse("{\"description\":\"no title\"}");
	assert_int_equal(cybex_taxii_discovery_read(bad, a, &back, &d),
	    CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/title");
	assert_non_null(strstr(d.message, "missing"));
	json_decref(bad);
	bad = parse("[1]");
	assert_int_equal(cybex_taxii_discovery_read(bad, a, &back, &d),
	    CYBEX_ESTIX);
	json_decref(bad);
	cybex_arena_free(a);
}

static void
api_root(void **state)
{
	static const char *const versions[] = { CYBEX_TAXII_MEDIA };
	struct cybex_taxii_api_root v = { "Default", "the hub", versions, 1,
	    1048576 }, back;
	struct cybex_arena *a;
	struct cybex_diag d;
	json_t *j, *bad;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	assert_int_equal(cybex_taxii_api_root_write(&v, &j), 0);
	/* The member order the server has always answered. */
	assert_string_equal(text(j), "{\"title\":\"Default\",\"versions\":"
	    "[\"application/taxii+json;version=2.1\"],\"max_content_length\":"
	    "1048576,\"description\":\"the hub\"}");
	assert_int_equal(cybex_taxii_api_root_read(j, a, &back, &d), 0);
	assert_int_equal(back.max_content_length, 1048576);
	assert_int_equal(back.nversions, 1);
	assert_string_equal(back.versions[0], CYBEX_TAXII_MEDIA);
	json_decref(j);
	bad = parse("{\"title\":\"x\",\"versions\":[],"
	    "\"max_content_length\":-1}");
	assert_int_equal(cybex_taxii_api_root_read(bad, a, &back, &d),
	    CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/max_content_length");
	json_decref(bad);
	cybex_arena_free(a);
}

static void
collections(void **state)
{
	struct cybex_taxii_collection v, *list;
	struct cybex_arena *a;
	struct cybex_diag d;
	json_t *j, *arr, *bad;
	size_t n;

	(void)state;
	assert_int_equal(cybex_arena_new(0, &a), 0);
	memset(&v, 0, sizeof(v));
	v.id = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
	v.title = "Indicators";
	v.alias = "ind";
	v.can_read = true;
	assert_int_equal(cybex_taxii_media_types_split(NULL, a,
	    &v.media_types, &v.nmedia_types), 0);
	assert_int_equal(v.nmedia_types, 1);
	assert_int_equal(cybex_taxii_collection_write(&v, &j), 0);
	assert_string_equal(text(j), "{\"id\":\"91a7b528-80eb-42ed-a74d-"
	    "c6fbd5a26116\",\"title\":\"Indicators\",\"can_read\":true,"
	    "\"can_write\":false,\"media_types\":[\"application/stix+json;"
	    "version=2.1\"],\"alias\":\"ind\"}");
	arr = json_array();
	json_array_append_new(arr, j);
	assert_int_equal(cybex_taxii_collections_write(arr, &j), 0);
	assert_int_equal(cybex_taxii_collections_read(j, a, &list, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].alias, "ind");
	assert_true(list[0].can_read);
	assert_false(list[0].can_write);
	assert_null(list[0].description);
	json_decref(j);
	/* None at all: an empty object, which reads as none. */
	assert_int_equal(cybex_taxii_collections_write(json_array(), &j), 0);
	assert_string_equal(text(j), "{}");
	assert_int_equal(cybex_taxii_collections_read(j, a, &list, &n, &d), 0);
	assert_int_equal(n, 0);
	json_decref(j);
	assert_int_equal(cybex_taxii_media_types_split("a/b,c/d", a,
	    &v.media_types, &v.nmedia_types), 0);
	assert_int_equal(v.nmedia_types, 2);
	assert_string_equal(v.media_types[1], "c/d");
	bad = parse("{\"collections\":[{\"id\":\"x\",\"title\":\"t\","
	    "\"can_read\":\"yes\",\"can_write\":false}]}");
	assert_int_equal(cybex_taxii_collections_read(bad, a, &list, &n, &d),
	    CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/collections/0/can_read");
	assert_null(list);
	json_decref(bad);
	cybex_arena_free(a);
}

static void
manifest_and_pages(void **state)
{
	struct cybex_taxii_manifest_record v = { "indicator--1",
	    "2024-01-02T03:04:05.000Z", "2024-01-01T00:00:00.000Z",
	    "application/stix+json;version=2.1" }, back;
	struct cybex_taxii_page pg;
	struct cybex_diag d;
	struct cybex_buf b;
	json_t *j;

	(void)state;
	assert_int_equal(cybex_taxii_manifest_record_write(&v, &j), 0);
	assert_string_equal(text(j), "{\"id\":\"indicator--1\",\"date_added\":"
	    "\"2024-01-02T03:04:05.000Z\",\"version\":"
	    "\"2024-01-01T00:00:00.000Z\",\"media_type\":"
	    "\"application/stix+json;version=2.1\"}");
	assert_int_equal(cybex_taxii_manifest_record_read(j, &back, &d), 0);
	assert_string_equal(back.version, v.version);
	json_decref(j);

	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_taxii_page_write(true, "tok\"1", "objects",
	    "{\"a\":1},{\"b\":2}", 15, 2, &b), 0);
	assert_int_equal(cybex_buf_putc(&b, '\0'), 0);
	assert_string_equal(b.data, "{\"more\":true,\"next\":\"tok\\\"1\","
	    "\"objects\":[{\"a\":1},{\"b\":2}]}");
	j = parse(b.data);
	assert_int_equal(cybex_taxii_page_read(j, "objects", &pg, &d), 0);
	assert_true(pg.more);
	assert_string_equal(pg.next, "tok\"1");
	assert_int_equal(json_array_size(pg.items), 2);
	json_decref(j);
	cybex_buf_truncate(&b, 0);
	/* The last page, empty: no next, no items member. */
	assert_int_equal(cybex_taxii_page_write(false, "ignored", "versions",
	    NULL, 0, 0, &b), 0);
	assert_int_equal(cybex_buf_putc(&b, '\0'), 0);
	assert_string_equal(b.data, "{\"more\":false}");
	j = parse(b.data);
	assert_int_equal(cybex_taxii_page_read(j, "versions", &pg, &d), 0);
	assert_false(pg.more);
	assert_null(pg.next);
	assert_null(pg.items);
	json_decref(j);
	cybex_buf_free(&b);
	j = parse("{\"more\":false,\"objects\":{}}");
	assert_int_equal(cybex_taxii_page_read(j, "objects", &pg, &d),
	    CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/objects");
	json_decref(j);
}

static void
status(void **state)
{
	struct cybex_taxii_status v, back;
	struct cybex_diag d;
	json_t *j, *details;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.id = "2d086da7-4bdc-4f91-900e-d77486753710";
	v.complete = false;
	v.request_timestamp = "2024-01-02T03:04:05.000000Z";
	v.total_count = 3;
	v.success_count = 1;
	v.pending_count = 2;
	details = parse("{\"successes\":[{\"id\":\"x--1\",\"version\":\"v\"}],"
	    "\"failures\":[],\"pendings\":[{\"id\":\"x--2\"},{\"id\":\"x--3\"}],"
	    "\"x_cybex_failures_without_id\":[]}");
	assert_int_equal(cybex_taxii_status_write(&v, details, &j), 0);
	json_decref(details);
	assert_string_equal(text(j), "{\"id\":\"2d086da7-4bdc-4f91-900e-"
	    "d77486753710\",\"status\":\"pending\",\"request_timestamp\":"
	    "\"2024-01-02T03:04:05.000000Z\",\"total_count\":3,"
	    "\"success_count\":1,\"failure_count\":0,\"pending_count\":2,"
	    "\"successes\":[{\"id\":\"x--1\",\"version\":\"v\"}],\"pendings\":"
	    "[{\"id\":\"x--2\"},{\"id\":\"x--3\"}]}");
	assert_int_equal(cybex_taxii_status_read(j, &back, &d), 0);
	assert_false(back.complete);
	assert_int_equal(back.pending_count, 2);
	assert_int_equal(json_array_size(back.pendings), 2);
	assert_null(back.failures);
	json_decref(j);
	j = parse("{\"id\":\"s\",\"status\":\"done\",\"total_count\":0,"
	    "\"success_count\":0,\"failure_count\":0,\"pending_count\":0}");
	assert_int_equal(cybex_taxii_status_read(j, &back, &d), CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/status");
	json_decref(j);
}

static void
error_message(void **state)
{
	struct cybex_taxii_error v = { "Not Found", "no collection 'x'", NULL,
	    NULL, 404 }, back;
	struct cybex_diag d;
	json_t *j;

	(void)state;
	assert_int_equal(cybex_taxii_error_write(&v, &j), 0);
	assert_string_equal(text(j), "{\"title\":\"Not Found\",\"description\":"
	    "\"no collection 'x'\",\"http_status\":\"404\"}");
	assert_int_equal(cybex_taxii_error_read(j, &back, &d), 0);
	assert_int_equal(back.http_status, 404);
	assert_string_equal(back.description, "no collection 'x'");
	json_decref(j);
	j = parse("{\"title\":\"x\",\"http_status\":\"40x\"}");
	assert_int_equal(cybex_taxii_error_read(j, &back, &d), CYBEX_ESTIX);
	assert_string_equal(d.pointer, "/http_status");
	json_decref(j);
	j = parse("{\"title\":\"x\",\"http_status\":404}");
	assert_int_equal(cybex_taxii_error_read(j, &back, &d), CYBEX_ESTIX);
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(discovery),
		cmocka_unit_test(api_root),
		cmocka_unit_test(collections),
		cmocka_unit_test(manifest_and_pages),
		cmocka_unit_test(status),
		cmocka_unit_test(error_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
