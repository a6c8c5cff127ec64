/*
 * Writing STIX objects.  Objects are kept as the jansson values they were
 * read into: member order and every value (timestamps are strings, so
 * their precision) survive; reals are written in their shortest
 * round-trip form.  So reading then writing a valid object gives the same
 * JSON data.
 */
#include "stix_int.h"

int
cybex_stix_write(const json_t *obj, unsigned flags, struct cybex_buf *out)
{
	return cybex_json_write(obj, flags & CYBEX_JSON_PRETTY, out);
}
