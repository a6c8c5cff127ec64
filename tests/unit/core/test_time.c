/* Unit tests for lib/core/time.c: RFC 3339 parse, format, compare. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static int
parse(const char *s, unsigned flags, struct cybex_time *t,
    struct cybex_diag *d)
{
	if (d != NULL)
		memset(d, 0, sizeof(*d));
	return cybex_time_parse(s, strlen(s), flags, t, d);
}

/* Parse must succeed; returns the instant. */
static struct cybex_time
must(const char *s, unsigned flags)
{
	struct cybex_time t;
	struct cybex_diag d;
	int r;

	r = parse(s, flags, &t, &d);
	if (r != 0)
		fail_msg("%s: %d col %lu: %s", s, r, d.column, d.message);
	return t;
}

/* Parse must fail with EFORMAT at column col (0: any column). */
static void
bad(const char *s, unsigned flags, unsigned long col, const char *msgpart)
{
	struct cybex_time t;
	struct cybex_diag d;
	int r;

	r = parse(s, flags, &t, &d);
	if (r != CYBEX_EFORMAT)
		fail_msg("%s: expected CYBEX_EFORMAT, got %d", s, r);
	assert_int_equal(d.code, CYBEX_EFORMAT);
	if (col != 0 && d.column != col)
		fail_msg("%s: column %lu, expected %lu (%s)", s, d.column, col,
		    d.message);
	if (msgpart != NULL && strstr(d.message, msgpart) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", s, d.message,
		    msgpart);
	/* Out-parameter is zeroed on failure. */
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.nsec, 0);
	assert_int_equal(t.digits, 0);
	/* A NULL diag must be fine too. */
	assert_int_equal(cybex_time_parse(s, strlen(s), flags, &t, NULL),
	    CYBEX_EFORMAT);
}

static void
test_epoch_values(void **state)
{
	(void)state;
	assert_int_equal(must("1970-01-01T00:00:00Z", 0).sec, 0);
	assert_int_equal(must("2016-01-01T00:00:00Z", 0).sec, 1451606400);
	assert_int_equal(must("2000-02-29T00:00:00Z", 0).sec, 951782400);
	assert_int_equal(must("1969-12-31T23:59:59Z", 0).sec, -1);
	assert_int_equal(must("0000-01-01T00:00:00Z", 0).sec,
	    -62167219200LL);
	assert_int_equal(must("9999-12-31T23:59:59Z", 0).sec,
	    253402300799LL);
	assert_int_equal(must("2038-01-19T03:14:08Z", 0).sec, 2147483648LL);
}

static void
test_fraction_roundtrip(void **state)
{
	static const char *const v[] = {
		"2016-05-12T08:17:27Z",
		"2016-05-12T08:17:27.1Z",
		"2016-05-12T08:17:27.12Z",
		"2016-05-12T08:17:27.123Z",
		"2016-05-12T08:17:27.1234Z",
		"2016-05-12T08:17:27.12345Z",
		"2016-05-12T08:17:27.123456Z",
		"2016-05-12T08:17:27.1234567Z",
		"2016-05-12T08:17:27.12345678Z",
		"2016-05-12T08:17:27.123456789Z",
		"2016-05-12T08:17:27.000Z",
		"2016-05-12T08:17:27.000000001Z",
		"2016-05-12T08:17:27.900000000Z",
		"0000-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999999999Z",
	};
	static const uint32_t nsec[] = {
		0, 100000000, 120000000, 123000000, 123400000, 123450000,
		123456000, 123456700, 123456780, 123456789, 0, 1, 900000000,
		0, 999999999,
	};
	struct cybex_time t;
	char buf[31];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		t = must(v[i], CYBEX_TIME_UTC_Z);
		assert_int_equal(t.nsec, nsec[i]);
		n = cybex_time_format(&t, buf, sizeof(buf));
		assert_int_equal(n, (int)strlen(v[i]));
		assert_string_equal(buf, v[i]);
	}
	t = must("2016-05-12T08:17:27.123456789Z", 0);
	assert_int_equal(t.digits, 9);
	t = must("2016-05-12T08:17:27.12Z", 0);
	assert_int_equal(t.digits, 2);
}

static void
test_leap_years(void **state)
{
	(void)state;
	must("2000-02-29T00:00:00Z", CYBEX_TIME_UTC_Z);
	must("2024-02-29T00:00:00Z", CYBEX_TIME_UTC_Z);
	must("1600-02-29T00:00:00Z", CYBEX_TIME_UTC_Z);
	must("0000-02-29T00:00:00Z", CYBEX_TIME_UTC_Z);
	bad("1900-02-29T00:00:00Z", 0, 9, "day");
	bad("2023-02-29T00:00:00Z", 0, 9, "day");
	bad("2100-02-29T00:00:00Z", 0, 9, "day");
	bad("2024-02-30T00:00:00Z", 0, 9, "day");
	bad("2024-02-31T00:00:00Z", 0, 9, "day");
	bad("2024-04-31T00:00:00Z", 0, 9, "day");
	bad("2024-06-31T00:00:00Z", 0, 9, "day");
	bad("2024-09-31T00:00:00Z", 0, 9, "day");
	bad("2024-11-31T00:00:00Z", 0, 9, "day");
	bad("2024-01-32T00:00:00Z", 0, 9, "day");
	bad("2024-01-00T00:00:00Z", 0, 9, "day");
	must("2024-01-31T00:00:00Z", 0);
	must("2024-12-31T00:00:00Z", 0);
	must("2024-07-31T00:00:00Z", 0);
	must("2024-08-31T00:00:00Z", 0);
	/* Leap day is exactly one day after Feb 28. */
	assert_int_equal(must("2024-02-29T00:00:00Z", 0).sec -
	    must("2024-02-28T00:00:00Z", 0).sec, 86400);
	assert_int_equal(must("2024-03-01T00:00:00Z", 0).sec -
	    must("2024-02-28T00:00:00Z", 0).sec, 2 * 86400);
	assert_int_equal(must("2023-03-01T00:00:00Z", 0).sec -
	    must("2023-02-28T00:00:00Z", 0).sec, 86400);
}

static void
test_field_ranges(void **state)
{
	(void)state;
	bad("2016-00-01T00:00:00Z", 0, 6, "month");
	bad("2016-13-01T00:00:00Z", 0, 6, "month");
	bad("2016-01-01T24:00:00Z", 0, 12, "hour");
	bad("2016-01-01T23:60:00Z", 0, 15, "minute");
	bad("2016-01-01T23:59:61Z", 0, 18, "second");
	bad("2016-01-01T00:00:60Z", 0, 18, "leap second");
	bad("2016-12-31T23:58:60Z", 0, 18, "leap second");
	bad("2016-12-31T22:59:60Z", 0, 18, "leap second");
	/* Wrong widths and separators. */
	bad("2016-1-01T00:00:00Z", 0, 7, NULL);
	bad("16-01-01T00:00:00Z", 0, 3, "year");
	bad("02016-01-01T00:00:00Z", 0, 5, NULL);
	bad("2016/01/01T00:00:00Z", 0, 5, NULL);
	bad("2016-01-01 00:00:00Z", 0, 11, "'T'");
	bad("2016-01-01T0:00:00Z", 0, 13, NULL);
	bad("2016-01-01T00.00.00Z", 0, 14, NULL);
	bad("2016-01-01T00:00:00", 0, 20, NULL);
	bad("2016-01-01T00:00:00Zx", 0, 21, NULL);
	bad("2016-01-01T00:00:00ZZ", 0, 21, NULL);
	bad("2016-01-01T00:00:00.Z", 0, 21, "fractional");
	bad("2016-01-01T00:00:00.", 0, 21, NULL);
	bad("2016-01-01T00:00:00,5Z", 0, 20, NULL);
	bad("+2016-01-01T00:00:00Z", 0, 1, NULL);
	bad(" 2016-01-01T00:00:00Z", 0, 1, NULL);
	bad("2016-01-01T00:00:00Z ", 0, 21, NULL);
	bad("", 0, 1, NULL);
	/* Offsets. */
	bad("2016-01-01T00:00:00+24:00", 0, 21, "offset hour");
	bad("2016-01-01T00:00:00+01:60", 0, 24, "offset minute");
	bad("2016-01-01T00:00:00+0100", 0, 23, NULL);
	bad("2016-01-01T00:00:00+01", 0, 23, NULL);
	bad("2016-01-01T00:00:00+1:00", 0, 22, NULL);
	bad("2016-01-01T00:00:00 +01:00", 0, 20, NULL);
	bad("2016-01-01T00:00:00UTC", 0, 20, NULL);
	bad("2016-01-01T00:00:00+01:00Z", 0, 26, NULL);
}

static void
test_fraction_limit(void **state)
{
	struct cybex_time t;

	(void)state;
	t = must("2016-01-01T00:00:00.999999999Z", CYBEX_TIME_UTC_Z);
	assert_int_equal(t.nsec, 999999999);
	/* '.' at column 20, so the 10th digit is at column 30. */
	bad("2016-01-01T00:00:00.1234567890Z", 0, 30, "nanosecond");
	bad("2016-01-01T00:00:00.0000000000Z", CYBEX_TIME_UTC_Z, 30,
	    "nanosecond");
	bad("2016-01-01T00:00:00.12345678901234567890Z", 0, 30,
	    "nanosecond");
}

static void
test_offsets(void **state)
{
	struct cybex_time a, b;

	(void)state;
	a = must("2016-01-01T01:00:00+01:00", 0);
	b = must("2016-01-01T00:00:00Z", 0);
	assert_int_equal(a.sec, b.sec);
	assert_int_equal(cybex_time_cmp(&a, &b), 0);

	a = must("2015-12-31T19:00:00-05:00", 0);
	assert_int_equal(a.sec, b.sec);
	a = must("2016-01-01T05:30:00+05:30", 0);
	assert_int_equal(a.sec, b.sec);
	a = must("2015-12-31T23:15:00.5-00:45", 0);
	assert_int_equal(a.sec, b.sec);
	assert_int_equal(a.nsec, 500000000);
	a = must("2016-01-01T00:00:00-00:00", 0);
	assert_int_equal(a.sec, b.sec);
	a = must("2016-01-01T00:00:00+23:59", 0);
	assert_int_equal(a.sec, b.sec - (23 * 3600 + 59 * 60));

	/* RFC 3339 allows lower-case 't' and 'z'. */
	a = must("2016-01-01t00:00:00z", 0);
	assert_int_equal(a.sec, b.sec);
	a = must("2016-01-01t01:00:00+01:00", 0);
	assert_int_equal(a.sec, b.sec);
}

static void
test_utc_z_flag(void **state)
{
	(void)state;
	must("2016-01-01T00:00:00Z", CYBEX_TIME_UTC_Z);
	must("2016-01-01T00:00:00.000Z", CYBEX_TIME_UTC_Z);
	bad("2016-01-01t00:00:00Z", CYBEX_TIME_UTC_Z, 11, "'T'");
	bad("2016-01-01T00:00:00z", CYBEX_TIME_UTC_Z, 20, "'Z'");
	bad("2016-01-01T00:00:00+00:00", CYBEX_TIME_UTC_Z, 20,
	    "STIX requires UTC 'Z'");
	bad("2016-01-01T00:00:00-00:00", CYBEX_TIME_UTC_Z, 20,
	    "STIX requires UTC 'Z'");
	bad("2016-01-01T01:00:00.123+01:00", CYBEX_TIME_UTC_Z, 24,
	    "STIX requires UTC 'Z'");
	bad("2016-01-01T00:00:00", CYBEX_TIME_UTC_Z, 20, NULL);
	bad("2016-01-01T00:00:00Q", CYBEX_TIME_UTC_Z, 20, NULL);
}

static void
test_leap_second(void **state)
{
	struct cybex_time a, b, c;

	(void)state;
	a = must("2016-12-31T23:59:60Z", CYBEX_TIME_UTC_Z);
	b = must("2017-01-01T00:00:00Z", CYBEX_TIME_UTC_Z);
	c = must("2016-12-31T23:59:59.999999999Z", CYBEX_TIME_UTC_Z);
	assert_int_equal(cybex_time_cmp(&a, &b), 0);
	assert_true(cybex_time_cmp(&c, &a) < 0);
	a = must("2016-12-31T23:59:60.5Z", 0);
	assert_int_equal(a.sec, b.sec);
	assert_int_equal(a.nsec, 500000000);
	/* 23:59:60 UTC written with an offset. */
	a = must("2017-01-01T00:59:60+01:00", 0);
	assert_int_equal(a.sec, b.sec);
	a = must("2016-12-31T18:59:60-05:00", 0);
	assert_int_equal(a.sec, b.sec);
	/* 23:59:60 local is not 23:59:60 UTC. */
	bad("2016-12-31T23:59:60+01:00", 0, 18, "leap second");
}

/*
 * Only instants cybex_time_format can write back (years 0000..9999 UTC)
 * parse: a leap second at the end of 9999 is 10000-01-01T00:00:00Z, and
 * an offset can move a date out of range as well (issue 25: the store
 * could not write such a 'modified' and failed the whole import).
 */
static void
test_range(void **state)
{
	struct cybex_time t;
	char buf[40];

	(void)state;
	bad("9999-12-31T23:59:60.999Z", CYBEX_TIME_UTC_Z, 1, "past the range");
	bad("9999-12-31T23:59:60Z", 0, 1, "past the range");
	bad("9999-12-31T23:30:00-01:00", 0, 1, "past the range");
	bad("0000-01-01T00:30:00+01:00", 0, 1, "before the range");
	t = must("9999-12-31T23:59:59.999999999Z", CYBEX_TIME_UTC_Z);
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 30);
	t = must("0000-01-01T00:00:00Z", CYBEX_TIME_UTC_Z);
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 20);
	t = must("0000-01-01T01:00:00+01:00", 0);
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "0000-01-01T00:00:00Z");
	bad("9999-12-31T22:59:60-01:00", 0, 1, "past the range");
	t = must("9999-12-31T00:59:60+01:00", 0);
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "9999-12-31T00:00:00Z");
}

/* Every proper prefix of a valid timestamp is rejected at its end. */
static void
test_truncated(void **state)
{
	static const char *const v[] = {
		"2016-01-01T00:00:00Z",
		"2016-01-01T00:00:00.123456789Z",
		"2016-12-31T23:59:60.5Z",
		"2016-01-01T01:00:00+01:00",
		"2016-01-01T01:00:00.1-01:30",
	};
	struct cybex_time t;
	struct cybex_diag d;
	size_t i, n, len;
	int r;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		len = strlen(v[i]);
		assert_int_equal(cybex_time_parse(v[i], len, 0, &t, NULL), 0);
		for (n = 0; n < len; n++) {
			memset(&d, 0, sizeof(d));
			r = cybex_time_parse(v[i], n, 0, &t, &d);
			if (r != CYBEX_EFORMAT)
				fail_msg("%.*s: %d", (int)n, v[i], r);
			if (d.column != n + 1)
				fail_msg("%.*s: column %lu", (int)n, v[i],
				    d.column);
			assert_int_equal(cybex_time_parse(v[i], n,
			    CYBEX_TIME_UTC_Z, &t, NULL), CYBEX_EFORMAT);
		}
	}
}

/* The length argument is honoured: bytes past it are never read. */
static void
test_length_and_nul(void **state)
{
	static const char s[] = "2016-01-01T00:00:00Zjunk";
	struct cybex_time t;

	(void)state;
	assert_int_equal(cybex_time_parse(s, 20, CYBEX_TIME_UTC_Z, &t, NULL),
	    0);
	assert_int_equal(t.sec, 1451606400);
	assert_int_equal(cybex_time_parse("2016-01-01T00:00:00Z\0", 21, 0, &t,
	    NULL), CYBEX_EFORMAT);
	assert_int_equal(cybex_time_parse("2016-01-01T00\0:00:00Z", 21, 0, &t,
	    NULL), CYBEX_EFORMAT);
}

static void
test_cmp(void **state)
{
	struct cybex_time a, b;

	(void)state;
	a = must("2016-01-01T00:00:00.1Z", 0);
	b = must("2016-01-01T00:00:00.100000Z", 0);
	assert_int_equal(cybex_time_cmp(&a, &b), 0);	/* digits ignored */
	b = must("2016-01-01T00:00:00.100000001Z", 0);
	assert_true(cybex_time_cmp(&a, &b) < 0);
	assert_true(cybex_time_cmp(&b, &a) > 0);
	b = must("2015-12-31T23:59:59.9Z", 0);
	assert_true(cybex_time_cmp(&a, &b) > 0);
	assert_true(cybex_time_cmp(&b, &a) < 0);
	a = must("1969-12-31T23:59:59.5Z", 0);
	b = must("1970-01-01T00:00:00Z", 0);
	assert_true(cybex_time_cmp(&a, &b) < 0);
	a = must("2016-01-01T00:00:00Z", 0);
	b = must("2016-01-01T00:00:01Z", 0);
	assert_true(cybex_time_cmp(&a, &b) < 0);
}

static void
test_format(void **state)
{
	struct cybex_time t = { 0, 0, 0 };
	char buf[64];

	(void)state;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 20);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	t.sec = -1;
	t.nsec = 987654321;
	t.digits = 3;		/* truncates, never rounds */
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)), 24);
	assert_string_equal(buf, "1969-12-31T23:59:59.987Z");
	t.digits = 9;
	assert_int_equal(cybex_time_format(&t, buf, 31), 30);
	assert_string_equal(buf, "1969-12-31T23:59:59.987654321Z");
	assert_int_equal(cybex_time_format(&t, buf, 30), CYBEX_EINVAL);
	t.digits = 0;
	assert_int_equal(cybex_time_format(&t, buf, 21), 20);
	assert_int_equal(cybex_time_format(&t, buf, 20), CYBEX_EINVAL);
	t.digits = 10;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
	t.digits = 0;
	t.nsec = 1000000000;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
	/* Years outside 0000..9999. */
	t.nsec = 0;
	t.sec = -62167219200LL - 1;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
	t.sec = 253402300799LL + 1;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
	t.sec = INT64_MIN;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
	t.sec = INT64_MAX;
	assert_int_equal(cybex_time_format(&t, buf, sizeof(buf)),
	    CYBEX_EINVAL);
}

/*
 * Walk the calendar day by day with a naive stepper and check that the
 * library's day arithmetic agrees, in both directions.
 */
static void
test_calendar_walk(void **state)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	struct cybex_time t, u;
	char want[64], buf[32];
	int y = 0, m = 1, d = 1, dim;
	int64_t sec = -62167219200LL, days = 0;

	(void)state;
	for (;;) {
		/* Every day of 1890..2110, every 97th day elsewhere. */
		if ((y >= 1890 && y <= 2110) || days % 97 == 0) {
			snprintf(want, sizeof(want),
			    "%04d-%02d-%02dT12:34:56Z", y, m, d);
			t.sec = sec + 12 * 3600 + 34 * 60 + 56;
			t.nsec = 0;
			t.digits = 0;
			assert_int_equal(cybex_time_format(&t, buf,
			    sizeof(buf)), 20);
			if (strcmp(buf, want) != 0)
				fail_msg("%lld: %s != %s", (long long)t.sec,
				    buf, want);
			assert_int_equal(cybex_time_parse(want, 20,
			    CYBEX_TIME_UTC_Z, &u, NULL), 0);
			assert_int_equal(u.sec, t.sec);
		}
		dim = mdays[m - 1];
		if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
			dim = 29;
		if (++d > dim) {
			d = 1;
			if (++m > 12) {
				m = 1;
				if (++y > 9999)
					break;
			}
		}
		sec += 86400;
		days++;
	}
	assert_int_equal(days + 1, 3652425);	/* 10000 Gregorian years */
}

static void
test_now(void **state)
{
	struct cybex_time t, u;
	char buf[31];
	int n;

	(void)state;
	assert_int_equal(cybex_time_now(&t), 0);
	assert_int_equal(t.digits, 6);
	assert_int_equal(t.nsec % 1000, 0);
	assert_true(t.sec > 1700000000);	/* after 2023-11 */
	n = cybex_time_format(&t, buf, sizeof(buf));
	assert_int_equal(n, 27);
	assert_int_equal(cybex_time_parse(buf, (size_t)n, CYBEX_TIME_UTC_Z,
	    &u, NULL), 0);
	assert_int_equal(cybex_time_cmp(&t, &u), 0);
	assert_int_equal(u.digits, 6);
}

/* The civil-date functions the readers and the pattern lexer share. */
static void
test_civil(void **state)
{
	static const struct {
		int64_t		 y;
		unsigned	 m, d;
		int64_t		 days;
	} k[] = {
		{ 1970, 1, 1, 0 }, { 1969, 12, 31, -1 }, { 2000, 2, 29, 11016 },
		{ 2000, 3, 1, 11017 }, { 1900, 3, 1, -25508 },
		{ 0, 1, 1, -719528 }, { 9999, 12, 31, 2932896 },
		{ -1, 12, 31, -719529 }, { 2024, 12, 31, 20088 },
	};
	int64_t z, y;
	unsigned m, d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		assert_int_equal(cybex_days_from_civil(k[i].y, k[i].m, k[i].d),
		    k[i].days);
		cybex_civil_from_days(k[i].days, &y, &m, &d);
		assert_int_equal(y, k[i].y);
		assert_int_equal(m, k[i].m);
		assert_int_equal(d, k[i].d);
	}
	/* Inverse of each other over 800 years around the epoch. */
	for (z = -146097; z <= 146097; z += 7) {
		cybex_civil_from_days(z, &y, &m, &d);
		assert_true(m >= 1 && m <= 12 && d >= 1 &&
		    d <= cybex_month_days(y, m));
		assert_int_equal(cybex_days_from_civil(y, m, d), z);
	}
	assert_int_equal(cybex_month_days(2024, 2), 29);
	assert_int_equal(cybex_month_days(1900, 2), 28);
	assert_int_equal(cybex_month_days(2000, 2), 29);
	assert_int_equal(cybex_month_days(2023, 4), 30);
	assert_int_equal(cybex_month_days(2023, 0), 0);
	assert_int_equal(cybex_month_days(2023, 13), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_values),
		cmocka_unit_test(test_fraction_roundtrip),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_field_ranges),
		cmocka_unit_test(test_fraction_limit),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_utc_z_flag),
		cmocka_unit_test(test_leap_second),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_and_nul),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_calendar_walk),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_civil),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
