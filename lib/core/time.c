/*
 * RFC 3339 timestamps.
 *
 * The parser is strict and positional: every field has a fixed width, so
 * a failure can name the exact column.  Calendar arithmetic is done here
 * (proleptic Gregorian, days counted from 1970-01-01) rather than with
 * timegm(), so results never depend on the C library, the locale or TZ.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cybex/core.h"

#define SECS_PER_DAY	86400
/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds from 1970. */
#define TIME_MIN_SEC	(-62167219200LL)
#define TIME_MAX_SEC	253402300799LL

static const uint32_t pow10_u32[10] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

struct tparse {
	const char		*s;
	size_t			 len;
	size_t			 pos;
	struct cybex_diag	*d;
};

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned
cybex_month_days(int64_t y, unsigned m)
{
	static const unsigned char mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/*
 * Days since 1970-01-01 of y-m-d.  Counts in 400-year eras (146097 days
 * each) of years that start on March 1, so the leap day is the last day
 * of its year and the month lengths follow a fixed 153-days-per-5-months
 * pattern.
 */
int64_t
cybex_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe, mp;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);		/* 0..399 */
	mp = m > 2 ? m - 3 : m + 9;			/* March = 0 */
	doy = (153 * mp + 2) / 5 + d - 1;		/* 0..365 */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* 0..146096 */
	/* 719468 days from 0000-03-01 to 1970-01-01. */
	return era * 146097 + (int64_t)doe - 719468;
}

/* Inverse of cybex_days_from_civil. */
void
cybex_civil_from_days(int64_t z, int64_t *yp, unsigned *mp_out, unsigned *dp)
{
	int64_t era, y;
	unsigned doe, yoe, doy, mp, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*dp = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	*mp_out = m;
	*yp = m <= 2 ? y + 1 : y;
}

/* Report a format error at 1-based column col. */
static int
tfail(struct tparse *p, size_t col, const char *fmt, ...) CYBEX_PRINTF(3, 4);

static int
tfail(struct tparse *p, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(p->d, CYBEX_EFORMAT, fmt, ap);
	va_end(ap);
	if (p->d != NULL) {
		p->d->column = (unsigned long)col;
		p->d->offset = (unsigned long long)(col - 1);
	}
	return CYBEX_EFORMAT;
}

/* Printable description of the character at pos, for messages. */
static const char *
tchar(const struct tparse *p, size_t pos, char *tmp, size_t tmpsz)
{
	unsigned char c = (unsigned char)p->s[pos];

	if (c > 0x20 && c < 0x7f && c != '\'')
		snprintf(tmp, tmpsz, "'%c'", c);
	else
		snprintf(tmp, tmpsz, "byte 0x%02x", c);
	return tmp;
}

/* Exactly width digits; *val gets their value. */
static int
tdigits(struct tparse *p, unsigned width, const char *what, unsigned *val)
{
	char tmp[16];
	unsigned i, v = 0;
	int r = 0;

	for (i = 0; i < width; i++) {
		if (p->pos >= p->len) {
			r = tfail(p, p->pos + 1,
			    "timestamp ends early: expected %u-digit %s",
			    width, what);
			goto out;
		}
		if (p->s[p->pos] < '0' || p->s[p->pos] > '9') {
			r = tfail(p, p->pos + 1,
			    "expected %u-digit %s, found %s", width, what,
			    tchar(p, p->pos, tmp, sizeof(tmp)));
			goto out;
		}
		v = v * 10 + (unsigned)(p->s[p->pos] - '0');
		p->pos++;
	}
	*val = v;
 out:
	return r;
}

static int
tsep(struct tparse *p, char c, const char *after)
{
	char tmp[16];
	int r = 0;

	if (p->pos >= p->len)
		r = tfail(p, p->pos + 1,
		    "timestamp ends early: expected '%c' after %s", c, after);
	else if (p->s[p->pos] != c)
		r = tfail(p, p->pos + 1, "expected '%c' after %s, found %s",
		    c, after, tchar(p, p->pos, tmp, sizeof(tmp)));
	else
		p->pos++;
	return r;
}

/* Optional ".f{1,9}"; sets nsec and digits. */
static int
tfraction(struct tparse *p, uint32_t *nsec, uint8_t *digits)
{
	uint32_t v = 0;
	unsigned n = 0;
	int r = 0;

	*nsec = 0;
	*digits = 0;
	if (p->pos >= p->len || p->s[p->pos] != '.')
		goto out;
	p->pos++;
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		if (n == 9) {
			r = tfail(p, p->pos + 1, "more than 9 fractional "
			    "digits: nanosecond precision is the maximum");
			goto out;
		}
		v = v * 10 + (uint32_t)(p->s[p->pos] - '0');
		n++;
		p->pos++;
	}
	if (n == 0) {
		r = tfail(p, p->pos + 1, "'.' must be followed by 1 to 9 "
		    "fractional digits");
		goto out;
	}
	*nsec = v * pow10_u32[9 - n];
	*digits = (uint8_t)n;
 out:
	return r;
}

/* "Z" or "+HH:MM"/"-HH:MM"; *off gets the offset east of UTC in minutes. */
static int
toffset(struct tparse *p, unsigned flags, int *off)
{
	unsigned oh, om;
	char tmp[16];
	size_t col = p->pos + 1;
	int sign, r = 0;

	*off = 0;
	if (p->pos >= p->len) {
		r = tfail(p, col, (flags & CYBEX_TIME_UTC_Z) ?
		    "timestamp ends early: expected 'Z'" :
		    "timestamp ends early: expected 'Z' or a UTC offset");
		goto out;
	}
	switch (p->s[p->pos]) {
	case 'Z':
		p->pos++;
		goto out;
	case 'z':
		if (flags & CYBEX_TIME_UTC_Z) {
			r = tfail(p, col, "STIX requires upper-case 'Z'");
			goto out;
		}
		p->pos++;
		goto out;
	case '+':
	case '-':
		if (flags & CYBEX_TIME_UTC_Z) {
			r = tfail(p, col, "STIX requires UTC 'Z', not a "
			    "numeric offset");
			goto out;
		}
		sign = p->s[p->pos] == '-' ? -1 : 1;
		p->pos++;
		break;
	default:
		r = tfail(p, col, (flags & CYBEX_TIME_UTC_Z) ?
		    "expected 'Z' (STIX requires UTC), found %s" :
		    "expected 'Z' or a +HH:MM/-HH:MM offset, found %s",
		    tchar(p, p->pos, tmp, sizeof(tmp)));
		goto out;
	}
	col = p->pos + 1;
	if ((r = tdigits(p, 2, "offset hour", &oh)) != 0)
		goto out;
	if (oh > 23) {
		r = tfail(p, col, "offset hour %02u out of range 00-23", oh);
		goto out;
	}
	if ((r = tsep(p, ':', "offset hour")) != 0)
		goto out;
	col = p->pos + 1;
	if ((r = tdigits(p, 2, "offset minute", &om)) != 0)
		goto out;
	if (om > 59) {
		r = tfail(p, col, "offset minute %02u out of range 00-59", om);
		goto out;
	}
	*off = sign * (int)(oh * 60 + om);
 out:
	return r;
}

int
cybex_time_parse(const char *s, size_t len, unsigned flags,
    struct cybex_time *out, struct cybex_diag *d)
{
	struct tparse p = { s, len, 0, d };
	unsigned year, mon, day, hour, min, sec, mdays;
	uint32_t nsec;
	uint8_t digits;
	char tmp[16];
	int64_t t;
	int off, r;
	long utcmin;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		p.len = 0;
	/* Positions below are fixed: YYYY-MM-DDTHH:MM:SS, columns 1..19. */
	if ((r = tdigits(&p, 4, "year", &year)) != 0 ||
	    (r = tsep(&p, '-', "year")) != 0 ||
	    (r = tdigits(&p, 2, "month", &mon)) != 0)
		goto out;
	if (mon < 1 || mon > 12) {
		r = tfail(&p, 6, "month %02u out of range 01-12", mon);
		goto out;
	}
	if ((r = tsep(&p, '-', "month")) != 0 ||
	    (r = tdigits(&p, 2, "day", &day)) != 0)
		goto out;
	mdays = cybex_month_days(year, mon);
	if (day < 1 || day > mdays) {
		r = tfail(&p, 9, "day %02u out of range: %04u-%02u has %u "
		    "days", day, year, mon, mdays);
		goto out;
	}
	if (p.pos >= p.len) {
		r = tfail(&p, 11, "timestamp ends early: expected 'T' after "
		    "the date");
		goto out;
	}
	if (s[p.pos] == 't' && (flags & CYBEX_TIME_UTC_Z)) {
		r = tfail(&p, 11, "STIX requires upper-case 'T'");
		goto out;
	}
	if (s[p.pos] != 'T' && s[p.pos] != 't') {
		r = tfail(&p, 11, "expected 'T' between date and time, "
		    "found %s", tchar(&p, p.pos, tmp, sizeof(tmp)));
		goto out;
	}
	p.pos++;
	if ((r = tdigits(&p, 2, "hour", &hour)) != 0)
		goto out;
	if (hour > 23) {
		r = tfail(&p, 12, "hour %02u out of range 00-23", hour);
		goto out;
	}
	if ((r = tsep(&p, ':', "hour")) != 0 ||
	    (r = tdigits(&p, 2, "minute", &min)) != 0)
		goto out;
	if (min > 59) {
		r = tfail(&p, 15, "minute %02u out of range 00-59", min);
		goto out;
	}
	if ((r = tsep(&p, ':', "minute")) != 0 ||
	    (r = tdigits(&p, 2, "second", &sec)) != 0)
		goto out;
	if (sec > 60) {
		r = tfail(&p, 18, "second %02u out of range 00-59 "
		    "(60 only for a leap second)", sec);
		goto out;
	}
	if ((r = tfraction(&p, &nsec, &digits)) != 0 ||
	    (r = toffset(&p, flags, &off)) != 0)
		goto out;
	if (p.pos != p.len) {
		r = tfail(&p, p.pos + 1, "unexpected %s after the timestamp",
		    tchar(&p, p.pos, tmp, sizeof(tmp)));
		goto out;
	}
	if (sec == 60) {
		/* Only the last minute of a UTC day can have 61 seconds. */
		utcmin = ((long)hour * 60 + (long)min - off) % 1440;
		if (utcmin < 0)
			utcmin += 1440;
		if (utcmin != 23 * 60 + 59) {
			r = tfail(&p, 18, "leap second :60 is only valid at "
			    "23:59:60 UTC");
			goto out;
		}
	}
	/* :60 adds up to the next day's first second, as documented. */
	t = cybex_days_from_civil(year, mon, day) * SECS_PER_DAY +
	    (int64_t)hour * 3600 + (int64_t)min * 60 + (int64_t)sec -
	    (int64_t)off * 60;
	/*
	 * Accept only what cybex_time_format writes back: a leap second at
	 * the end of 9999 (or an offset) can carry the instant past
	 * 9999-12-31T23:59:59.999999999Z or before 0000-01-01T00:00:00Z.
	 * Every consumer (the validator, the store's version keys, TAXII
	 * filters) then agrees on one range.
	 */
	if (t < TIME_MIN_SEC || t > TIME_MAX_SEC) {
		r = tfail(&p, 1, "timestamp normalizes to UTC %s the range "
		    "0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z",
		    t < TIME_MIN_SEC ? "before" : "past");
		goto out;
	}
	out->sec = t;
	out->nsec = nsec;
	out->digits = digits;
	r = 0;
 out:
	return r;
}

int
cybex_time_format(const struct cybex_time *t, char *buf, size_t bufsz)
{
	int64_t days, rem, y;
	unsigned m, d, frac;
	size_t need;
	int r = CYBEX_EINVAL;

	if (t->digits > 9 || t->nsec > 999999999)
		goto out;
	days = t->sec / SECS_PER_DAY;
	rem = t->sec % SECS_PER_DAY;
	if (rem < 0) {
		rem += SECS_PER_DAY;
		days--;
	}
	cybex_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		goto out;
	need = 20 + (t->digits != 0 ? 1 + (size_t)t->digits : 0);
	if (buf == NULL || bufsz < need + 1)
		goto out;
	snprintf(buf, bufsz, "%04u-%02u-%02uT%02u:%02u:%02u", (unsigned)y,
	    m, d, (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60),
	    (unsigned)(rem % 60));
	if (t->digits != 0) {
		/* Truncate, never round: rounding could carry into seconds. */
		frac = t->nsec / pow10_u32[9 - t->digits];
		snprintf(buf + 19, bufsz - 19, ".%0*u", (int)t->digits, frac);
	}
	buf[need - 1] = 'Z';
	buf[need] = '\0';
	r = (int)need;
 out:
	return r;
}

int
cybex_time_cmp(const struct cybex_time *a, const struct cybex_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}

int
cybex_time_now(struct cybex_time *out)
{
	struct timespec ts;
	int r = CYBEX_EINTERNAL;

	memset(out, 0, sizeof(*out));
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		goto out;
	out->sec = (int64_t)ts.tv_sec;
	/* Keep only what is written, so format/parse gives the same value. */
	out->nsec = (uint32_t)(ts.tv_nsec / 1000 * 1000);
	out->digits = 6;
	r = 0;
 out:
	return r;
}
