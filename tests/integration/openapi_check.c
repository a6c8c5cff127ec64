/*
 * openapi_check: does a real answer match the OpenAPI 3.1 document?
 *
 *   openapi_check SPEC METHOD PATH STATUS CONTENT_TYPE BODY_FILE
 *   openapi_check -l SPEC       every operation, "METHOD PATH" a line
 *
 * PATH is the path template as the document names it
 * ("/api/v1/incidents/{id}").  The answer matches when the operation
 * documents STATUS (or a "default" answer), the Content-Type (its
 * parameters aside) is one the answer has content for, and the body is
 * valid against that content's schema: the subset of JSON Schema 2020-12
 * the document uses ($ref to #/components/schemas, type (one or a list),
 * required, properties, additionalProperties false, items, enum, const,
 * minimum, maximum, minLength, oneOf, anyOf).  Annotations and the
 * keywords only request bodies use (description, title, examples, format,
 * maxLength, maxItems, pattern) are not checked; any other keyword in a
 * schema the answer reaches is an error, so the checker never passes what
 * it did not check.  Prints what does not match, at which
 * JSON pointer.  Exit: 0 matches, 1 does not, 2 usage or unreadable
 * files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

static json_t *spec;
static int problems;
static int quiet;	/* inside oneOf/anyOf: count, do not print */

static void problem(const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(const char *ptr, const char *fmt, ...)
{
	va_list ap;

	problems++;
	if (quiet > 0)
		return;
	printf("%s: ", ptr[0] != '\0' ? ptr : "(body)");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static const char *
type_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
		return "integer";
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static int
type_ok(const char *want, const json_t *v)
{
	const char *got = type_of(v);

	return strcmp(want, got) == 0 ||
	    (strcmp(want, "number") == 0 && strcmp(got, "integer") == 0);
}

static json_t *
resolve(json_t *s)
{
	const char *ref;
	json_t *r;

	while (json_is_object(s) &&
	    (ref = json_string_value(json_object_get(s, "$ref"))) != NULL) {
		if (strncmp(ref, "#/components/schemas/", 21) != 0)
			return NULL;
		r = json_object_get(json_object_get(json_object_get(spec,
		    "components"), "schemas"), ref + 21);
		if (r == NULL)
			return NULL;
		s = r;
	}
	return s;
}

static void check(json_t *schema, const json_t *v, const char *ptr);

/* Does v match schema?  (oneOf, anyOf: counted, not reported.) */
static int
matches(json_t *schema, const json_t *v)
{
	int before = problems, found;

	quiet++;
	check(schema, v, "");
	quiet--;
	found = problems - before;
	problems = before;
	return found == 0;
}

static void
check(json_t *schema, const json_t *v, const char *ptr)
{
	static const char *const known[] = {
		"$ref", "type", "required", "properties",
		"additionalProperties", "items", "enum", "const", "minimum",
		"maximum", "minLength", "oneOf", "anyOf", "description",
		"format", "title", "examples", "maxLength", "maxItems",
		"pattern", NULL
	};
	const char *k;
	json_t *s, *x, *e, *pv;
	char sub[1024], num[32];
	size_t i;
	int okt, n;

	if ((s = resolve(schema)) == NULL || !json_is_object(s)) {
		problem(ptr, "unresolvable schema");
		return;
	}
	json_object_foreach(s, k, x) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(known[i], k) == 0)
				break;
		if (known[i] == NULL)
			problem(ptr, "the checker does not know keyword '%s'",
			    k);
	}
	if ((x = json_object_get(s, "type")) != NULL) {
		okt = 0;
		if (json_is_string(x))
			okt = type_ok(json_string_value(x), v);
		else
			json_array_foreach(x, i, e)
				okt |= type_ok(json_string_value(e), v);
		if (!okt) {
			problem(ptr, "is %s, not of the type the schema gives",
			    type_of(v));
			return;
		}
	}
	if ((x = json_object_get(s, "enum")) != NULL) {
		okt = 0;
		json_array_foreach(x, i, e)
			okt |= json_equal(e, v);
		if (!okt)
			problem(ptr, "%s is not one of the enum", json_is_string(v) ?
			    json_string_value(v) : type_of(v));
	}
	if ((x = json_object_get(s, "const")) != NULL && !json_equal(x, v))
		problem(ptr, "is not the const value");
	if (json_is_number(v) && (x = json_object_get(s, "minimum")) != NULL &&
	    json_number_value(v) < json_number_value(x))
		problem(ptr, "is below the minimum");
	if (json_is_number(v) && (x = json_object_get(s, "maximum")) != NULL &&
	    json_number_value(v) > json_number_value(x))
		problem(ptr, "is above the maximum");
	if (json_is_string(v) && (x = json_object_get(s, "minLength")) != NULL &&
	    (json_int_t)json_string_length(v) < json_integer_value(x))
		problem(ptr, "is shorter than minLength");
	if ((x = json_object_get(s, "oneOf")) != NULL) {
		n = 0;
		json_array_foreach(x, i, e)
			n += matches(e, v);
		if (n != 1) {
			snprintf(num, sizeof(num), "%d", n);
			problem(ptr, "matches %s of oneOf, not 1", num);
		}
	}
	if ((x = json_object_get(s, "anyOf")) != NULL) {
		n = 0;
		json_array_foreach(x, i, e)
			n += matches(e, v);
		if (n == 0)
			problem(ptr, "matches none of anyOf");
	}
	if (json_is_object(v)) {
		json_array_foreach(json_object_get(s, "required"), i, e)
			if (json_object_get(v, json_string_value(e)) == NULL)
				problem(ptr, "required member '%s' is missing",
				    json_string_value(e));
		json_object_foreach((json_t *)v, k, pv) {
			snprintf(sub, sizeof(sub), "%s/%s", ptr, k);
			if ((e = json_object_get(json_object_get(s,
			    "properties"), k)) != NULL)
				check(e, pv, sub);
			else if ((x = json_object_get(s,
			    "additionalProperties")) != NULL) {
				if (json_is_false(x))
					problem(sub, "is not in the schema's "
					    "properties");
				else if (json_is_object(x))
					check(x, pv, sub);
			}
		}
	}
	if (json_is_array(v) && (x = json_object_get(s, "items")) != NULL)
		json_array_foreach((json_t *)v, i, e) {
			snprintf(sub, sizeof(sub), "%s/%zu", ptr, i);
			check(x, e, sub);
		}
}

int
main(int argc, char **argv)
{
	json_error_t je;
	json_t *op, *resp, *content, *media, *body = NULL;
	char method[16], ctype[128];
	const char *ct;
	size_t i, n;

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		const char *p, *m;
		json_t *ops;

		if ((spec = json_load_file(argv[2], 0, &je)) == NULL) {
			fprintf(stderr, "openapi_check: %s: %s\n", argv[2],
			    je.text);
			return 2;
		}
		json_object_foreach(json_object_get(spec, "paths"), p, ops)
			json_object_foreach(ops, m, op) {
				for (i = 0; m[i] != '\0' && i + 1 <
				    sizeof(method); i++)
					method[i] = (char)(m[i] & ~0x20);
				method[i] = '\0';
				printf("%s %s\n", method, p);
			}
		json_decref(spec);
		return 0;
	}
	if (argc != 7 || strlen(argv[2]) >= sizeof(method)) {
		fprintf(stderr, "usage: openapi_check SPEC METHOD PATH STATUS "
		    "CONTENT_TYPE BODY_FILE\n");
		return 2;
	}
	if ((spec = json_load_file(argv[1], 0, &je)) == NULL) {
		fprintf(stderr, "openapi_check: %s: %s\n", argv[1], je.text);
		return 2;
	}
	for (i = 0; argv[2][i] != '\0'; i++)
		method[i] = (char)(argv[2][i] | 0x20);
	method[i] = '\0';
	op = json_object_get(json_object_get(json_object_get(spec, "paths"),
	    argv[3]), method);
	if (op == NULL) {
		printf("%s %s: not in the document\n", argv[2], argv[3]);
		return 1;
	}
	resp = json_object_get(json_object_get(op, "responses"), argv[4]);
	if (resp == NULL)
		resp = json_object_get(json_object_get(op, "responses"),
		    "default");
	if (resp == NULL) {
		printf("%s %s: status %s is not documented\n", argv[2], argv[3],
		    argv[4]);
		return 1;
	}
	if ((content = json_object_get(resp, "content")) == NULL)
		return 0;	/* no body described */
	ct = argv[5];
	/* The media type as sent, else without its parameters. */
	n = json_object_get(content, ct) != NULL ? strlen(ct) :
	    strcspn(ct, ";");
	while (n > 0 && ct[n - 1] == ' ')
		n--;
	if (n >= sizeof(ctype))
		n = sizeof(ctype) - 1;
	memcpy(ctype, ct, n);
	ctype[n] = '\0';
	if ((media = json_object_get(content, ctype)) == NULL) {
		printf("%s %s %s: Content-Type '%s' is not documented\n",
		    argv[2], argv[3], argv[4], ctype);
		return 1;
	}
	if (json_object_get(media, "schema") == NULL)
		return 0;
	if ((body = json_load_file(argv[6], JSON_DECODE_ANY, &je)) == NULL) {
		printf("%s %s %s: the body is not JSON: %s\n", argv[2], argv[3],
		    argv[4], je.text);
		return 1;
	}
	check(json_object_get(media, "schema"), body, "");
	json_decref(body);
	json_decref(spec);
	return problems == 0 ? 0 : 1;
}
