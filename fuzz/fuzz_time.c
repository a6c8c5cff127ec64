/*
 * Fuzz target: RFC 3339 timestamps.
 *
 * The input is parsed with and without CYBEX_TIME_UTC_Z.  Whatever is
 * accepted must format (unless its UTC year falls outside 0000..9999,
 * which cybex_time_format documents as CYBEX_EINVAL), and the formatted
 * text must parse back, in STIX mode, to the same instant with the same
 * number of fractional digits.  When the input already was canonical
 * (UTC, upper-case 'T' and 'Z', no leap second) the output must be the
 * input, byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z. */
#define SEC_YEAR_0	(-62167219200LL)
#define SEC_YEAR_10000	(253402300800LL)

static void
die(const char *what, const uint8_t *data, size_t size, const char *out)
{
	fprintf(stderr, "fuzz_time: %s: input '%.*s' output '%s'\n", what,
	    (int)(size > 64 ? 64 : size), (const char *)data,
	    out != NULL ? out : "");
	abort();
}

/* Upper-case 'T', 'Z' at the end, and seconds other than 60. */
static int
looks_canonical(const uint8_t *s, size_t n)
{
	return n >= 20 && s[10] == 'T' && s[n - 1] == 'Z' &&
	    !(s[17] == '6' && s[18] == '0');
}

static void
check(const uint8_t *data, size_t size, unsigned flags)
{
	struct cybex_time t, back;
	struct cybex_diag d;
	char buf[64];
	int n;

	cybex_diag_clear(&d);
	if (cybex_time_parse((const char *)data, size, flags, &t, &d) != 0) {
		if (d.code != CYBEX_EFORMAT)
			die("parse failed with a code other than EFORMAT",
			    data, size, NULL);
		/* The column names a character of the input or one past it. */
		if (d.column < 1 || d.column > size + 1)
			die("diag column outside the input", data, size, NULL);
		goto out;
	}
	if (t.nsec > 999999999 || t.digits > 9)
		die("parsed value out of range", data, size, NULL);
	n = cybex_time_format(&t, buf, sizeof(buf));
	if (n < 0) {
		if (n != CYBEX_EINVAL ||
		    (t.sec >= SEC_YEAR_0 && t.sec < SEC_YEAR_10000))
			die("accepted timestamp does not format", data, size,
			    NULL);
		goto out;
	}
	if ((size_t)n != strlen(buf) || (size_t)n > 30)
		die("format length is wrong", data, size, buf);
	/* Too short a buffer is refused, never overrun. */
	if (cybex_time_format(&t, buf + 32, (size_t)n) != CYBEX_EINVAL)
		die("format accepted a buffer without room for NUL", data,
		    size, buf);
	if (cybex_time_parse(buf, (size_t)n, CYBEX_TIME_UTC_Z, &back,
	    NULL) != 0)
		die("formatted timestamp does not parse", data, size, buf);
	if (cybex_time_cmp(&t, &back) != 0)
		die("formatted timestamp is a different instant", data, size,
		    buf);
	if (back.digits != t.digits)
		die("formatted timestamp has other fractional digits", data,
		    size, buf);
	if ((flags & CYBEX_TIME_UTC_Z) && looks_canonical(data, size) &&
	    ((size_t)n != size || memcmp(buf, data, size) != 0))
		die("canonical timestamp is not written back as it was",
		    data, size, buf);
 out:
	return;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, 0);
	check(data, size, CYBEX_TIME_UTC_Z);
	return 0;
}
