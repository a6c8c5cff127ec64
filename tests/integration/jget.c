/*
 * jget: read JSON answers in shell tests (no jq, no Python).
 *
 *   jget FILE PTR                 the value at PTR: a string as its text,
 *                                 anything else as compact JSON
 *   jget -t FILE PTR              its JSON type: object array string number
 *                                 boolean null, or "absent"
 *   jget -n FILE PTR              members of the array or object (0: absent)
 *   jget -c FILE PTR MEMBER       MEMBER of each element of the array at
 *                                 PTR, one a line
 *   jget -e FILE PTR              each element of the array at PTR as
 *                                 compact JSON, one a line
 *   jget -s FILE1 PTR1 FILE2 PTR2 the two arrays hold the same values, in
 *                                 any order (JSON equality, as multisets)
 *   jget -q FILE1 PTR1 FILE2 PTR2 the two values are equal JSON
 *   jget -S WANT PTR1 GOT PTR2 [OPTIONAL]
 *                                 GOT has WANT's shape: every key of WANT
 *                                 is in GOT with the same JSON type, down
 *                                 the tree (keys named in the comma-
 *                                 separated OPTIONAL may be absent); each
 *                                 element of an array in GOT has the shape
 *                                 of WANT's first one
 *   jget -d DATA PTR1 GOT PTR2    manifests: for each (id, version) of
 *                                 DATA, GOT's date_added is the same or 1
 *                                 microsecond later; prints the counts
 *   jget -m DATA PTR1 GOT PTR2    manifests: GOT has DATA's media_type for
 *                                 each (id, version)
 *
 * FILE "-" is standard input.  PTR is an RFC 6901 JSON pointer ("" is the
 * whole document); as an extension an array index of -1 is the last
 * element.  Exit: 0 yes / found, 1 no / absent (differences printed),
 * 2 unreadable input or bad usage.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define SHOW_MAX	20

static json_t *
load(const char *path)
{
	json_error_t e;
	json_t *j;

	if (strcmp(path, "-") == 0)
		j = json_loadf(stdin, JSON_DECODE_ANY, &e);
	else
		j = json_load_file(path, JSON_DECODE_ANY, &e);
	if (j == NULL)
		fprintf(stderr, "jget: %s:%d:%d: %s\n", path, e.line, e.column,
		    e.text);
	return j;
}

/* One reference token of a pointer, unescaped, into out. */
static const char *
token(const char *p, char *out, size_t n)
{
	size_t k = 0;

	while (*p != '\0' && *p != '/') {
		char c = *p++;

		if (c == '~' && (*p == '0' || *p == '1'))
			c = *p++ == '0' ? '~' : '/';
		if (k + 1 < n)
			out[k++] = c;
	}
	out[k] = '\0';
	return p;
}

static json_t *
at(json_t *j, const char *ptr)
{
	char tok[1024], *end;
	long i;

	while (j != NULL && *ptr == '/') {
		ptr = token(ptr + 1, tok, sizeof(tok));
		if (json_is_object(j))
			j = json_object_get(j, tok);
		else if (json_is_array(j)) {
			i = strtol(tok, &end, 10);
			if (*end != '\0' || end == tok)
				return NULL;
			if (i < 0)
				i += (long)json_array_size(j);
			j = i < 0 ? NULL : json_array_get(j, (size_t)i);
		} else
			return NULL;
	}
	return *ptr == '\0' ? j : NULL;
}

static const char *
type_name(const json_t *j)
{
	if (j == NULL)
		return "absent";
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	default:
		return "null";
	}
}

static void
print(const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		fwrite(json_string_value(v), 1, json_string_length(v), stdout);
		putchar('\n');
		return;
	}
	if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL) {
		puts(s);
		free(s);
	}
}

/* Same values in any order: each of a matched with an unused equal b. */
static int
same(const json_t *a, const json_t *b)
{
	size_t i, k, na = json_array_size(a), nb = json_array_size(b);
	unsigned long shown = 0;
	bool *used;
	int r = 0;

	if (!json_is_array(a) || !json_is_array(b)) {
		printf("not two arrays (%s, %s)\n", type_name(a), type_name(b));
		return 1;
	}
	if ((used = calloc(nb + 1, sizeof(*used))) == NULL)
		return 2;
	for (i = 0; i < na; i++) {
		for (k = 0; k < nb; k++)
			if (!used[k] && json_equal(json_array_get(a, i),
			    json_array_get(b, k)))
				break;
		if (k < nb) {
			used[k] = true;
			continue;
		}
		r = 1;
		if (shown++ < SHOW_MAX) {
			printf("only in the first: ");
			print(json_array_get(a, i));
		}
	}
	for (k = 0; k < nb; k++) {
		if (used[k])
			continue;
		r = 1;
		if (shown++ < SHOW_MAX) {
			printf("only in the second: ");
			print(json_array_get(b, k));
		}
	}
	if (r != 0)
		printf("%zu and %zu values\n", na, nb);
	free(used);
	return r;
}

/* Is k one of the comma-separated names in list? */
static bool
listed(const char *list, const char *k)
{
	size_t n = strlen(k);
	const char *p;

	for (p = list; p != NULL; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, k, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

static int
shape(const json_t *want, const json_t *got, const char *path,
    const char *optional)
{
	char sub[1024];
	const char *k;
	json_t *v;
	size_t i;
	int r = 0;

	if (strcmp(type_name(want), type_name(got)) != 0) {
		printf("%s: %s wanted, got %s\n", *path ? path : "/",
		    type_name(want), type_name(got));
		return 1;
	}
	if (json_is_object(want)) {
		json_object_foreach((json_t *)want, k, v) {
			if (json_object_get(got, k) == NULL &&
			    listed(optional, k))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, k);
			r |= shape(v, json_object_get(got, k), sub, optional);
		}
	} else if (json_is_array(want) && json_array_size(want) > 0) {
		if (json_array_size(got) == 0) {
			printf("%s: an empty array (cannot compare)\n", path);
			return 1;
		}
		for (i = 0; i < json_array_size(got); i++) {
			snprintf(sub, sizeof(sub), "%s/%zu", path, i);
			r |= shape(json_array_get(want, 0),
			    json_array_get(got, i), sub, optional);
		}
	}
	return r;
}

/* days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS[.f]Z" to nanoseconds; false when not that. */
static bool
ts_ns(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	int64_t frac = 0, scale = 100000000;
	const char *p;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h,
	    &mi, &sec, &n) != 6 || n != 19)
		return false;
	p = s + 19;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (strcmp(p, "Z") != 0)
		return false;
	*out = ((days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) *
	    1000000000) + frac;
	return true;
}

static const char *
member(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Is m the manifest entry of (id, version ns)? */
static bool
entry_is(const json_t *m, const char *id, int64_t ver)
{
	int64_t v;

	return member(m, "id") != NULL && strcmp(member(m, "id"), id) == 0 &&
	    ts_ns(member(m, "version"), &v) && v == ver;
}

static int
dates(const json_t *data, const json_t *got, bool media)
{
	unsigned long eq = 0, shifted = 0, bad = 0, missing = 0;
	const json_t *m, *g;
	const char *id, *mt;
	int64_t ver, da, dg;
	size_t i, k;

	json_array_foreach(data, i, m) {
		id = member(m, "id");
		if (id == NULL || !ts_ns(member(m, "version"), &ver) ||
		    !ts_ns(member(m, "date_added"), &da)) {
			printf("data entry %zu: no id, version or date_added\n",
			    i);
			bad++;
			continue;
		}
		g = NULL;
		json_array_foreach(got, k, g) {
			if (entry_is(g, id, ver))
				break;
			g = NULL;
		}
		mt = g != NULL ? member(g, "media_type") : NULL;
		if (g == NULL) {
			printf("missing: %s %s\n", id, member(m, "version"));
			missing++;
		} else if (media) {
			if (mt != NULL && member(m, "media_type") != NULL &&
			    strcmp(mt, member(m, "media_type")) == 0)
				eq++;
			else {
				printf("%s %s: media_type %s, wanted %s\n", id,
				    member(m, "version"), mt != NULL ? mt : "-",
				    member(m, "media_type"));
				bad++;
			}
		} else if (!ts_ns(member(g, "date_added"), &dg)) {
			printf("bad date_added: %s %s\n", id,
			    member(m, "version"));
			bad++;
		} else if (dg == da)
			eq++;
		else if (dg - da == 1000)
			shifted++;
		else {
			printf("%s %s: date_added %s, wanted %s\n", id,
			    member(m, "version"), member(g, "date_added"),
			    member(m, "date_added"));
			bad++;
		}
	}
	printf("equal %lu shifted %lu different %lu missing %lu extra %lu\n",
	    eq, shifted, bad, missing, (unsigned long)json_array_size(got) -
	    eq - shifted - bad);
	return bad + missing == 0 && json_array_size(got) == eq + shifted ?
	    0 : 1;
}

/* Does operation op take argc - 1 arguments? */
static bool
nargs_ok(char op, int argc)
{
	if (op == '\0' || op == 't' || op == 'n' || op == 'e')
		return argc == 3;
	if (op == 'c')
		return argc == 4;
	if (op == 'S')
		return argc == 5 || argc == 6;
	return (op == 's' || op == 'q' || op == 'd' || op == 'm') &&
	    argc == 5;
}

static int
usage(void)
{
	fprintf(stderr, "usage: jget [-t|-n|-e] FILE PTR | jget -c FILE PTR "
	    "MEMBER | jget -s|-q|-S|-d|-m FILE1 PTR1 FILE2 PTR2 [OPTIONAL]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *op = "";
	json_t *a = NULL, *b = NULL, *v, *e;
	char *s;
	size_t i;
	int r = 2;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '\0') {
		op = argv[1] + 1;
		argc--;
		argv++;
	}
	if (strlen(op) > 1 || !nargs_ok(op[0], argc))
		return usage();
	if ((a = load(argv[1])) == NULL)
		goto out;
	v = at(a, argv[2]);
	r = 0;
	switch (op[0]) {
	case '\0':
		if (v == NULL)
			r = 1;
		else
			print(v);
		break;
	case 't':
		puts(type_name(v));
		break;
	case 'n':
		printf("%zu\n", json_is_array(v) ? json_array_size(v) :
		    json_is_object(v) ? json_object_size(v) : 0);
		break;
	case 'e':
		json_array_foreach(v, i, e) {
			s = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
			if (s != NULL)
				puts(s);
			free(s);
		}
		r = json_is_array(v) ? 0 : 1;
		break;
	case 'c':
		json_array_foreach(v, i, e) {
			if (json_object_get(e, argv[3]) != NULL)
				print(json_object_get(e, argv[3]));
		}
		r = json_is_array(v) ? 0 : 1;
		break;
	default:
		if ((b = load(argv[3])) == NULL) {
			r = 2;
			goto out;
		}
		if (op[0] == 's')
			r = same(v, at(b, argv[4]));
		else if (op[0] == 'S')
			r = shape(v, at(b, argv[4]), "", argc > 5 ? argv[5] :
			    "");
		else if (op[0] == 'q') {
			r = json_equal(v, at(b, argv[4])) ? 0 : 1;
			if (r != 0 && v != NULL && at(b, argv[4]) != NULL) {
				print(v);
				print(at(b, argv[4]));
			}
		} else if (op[0] == 'd' || op[0] == 'm')
			r = dates(v, at(b, argv[4]), op[0] == 'm');
		else
			r = usage();
		break;
	}
 out:
	json_decref(a);
	json_decref(b);
	return r;
}
