/*
 * Time stamps as sensors write them: ISO 8601 with or without a colon in
 * the offset (Suricata writes "+0100"), with a space instead of the 'T'
 * (rsyslog, syslog-ng), and dates without a year (RFC 3164).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ingest_int.h"

unsigned
ingest_month_parse(const char *s)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	char lc[3];
	unsigned i;

	for (i = 0; i < 3; i++) {
		if (s[i] == '\0')
			return 0;
		lc[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	}
	for (i = 0; i < 12; i++)
		if (memcmp(names + i * 3, lc, 3) == 0)
			return i + 1;
	return 0;
}

/* n decimal digits at s into *v; false if any is not a digit. */
static bool
digits(const char *s, size_t n, unsigned *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

int
ingest_iso_time(const char *s, size_t n, bool allow_no_zone, int64_t *us,
    size_t *end)
{
	unsigned y, mo, d, hh, mi, ss, oh, om, frac = 0, fd = 0;
	int64_t t, off = 0;
	size_t i = 0;
	int sign;

	*us = 0;
	*end = 0;
	/* i is where the next check looks: the error column if it fails. */
	if (n < 4 || !digits(s, 4, &y))
		goto bad;
	i = 4;
	if (n < 19 || s[4] != '-')
		goto bad;
	i = 5;
	if (!digits(s + 5, 2, &mo) || mo < 1 || mo > 12 || s[7] != '-')
		goto bad;
	i = 8;
	if (!digits(s + 8, 2, &d) || d < 1 || d > cybex_month_days(y, mo))
		goto bad;
	i = 10;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		goto bad;
	i = 11;
	if (!digits(s + 11, 2, &hh) || hh > 23 || s[13] != ':')
		goto bad;
	i = 14;
	if (!digits(s + 14, 2, &mi) || mi > 59 || s[16] != ':')
		goto bad;
	i = 17;
	/* A leap second is taken as the last microsecond of its minute. */
	if (!digits(s + 17, 2, &ss) || ss > 60)
		goto bad;
	i = 19;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, fd++) {
			if (fd >= 9)
				goto bad;
			if (fd < 6)
				frac = frac * 10 + (unsigned)(s[i] - '0');
		}
		if (fd == 0)
			goto bad;
		for (; fd < 6; fd++)
			frac *= 10;
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '-' ? -1 : 1;
		if (n - i < 5 || !digits(s + i + 1, 2, &oh) || oh > 23)
			goto bad;
		if (s[i + 3] == ':') {
			if (n - i < 6 || !digits(s + i + 4, 2, &om) || om > 59)
				goto bad;
			i += 6;
		} else {
			if (!digits(s + i + 3, 2, &om) || om > 59)
				goto bad;
			i += 5;
		}
		off = sign * ((int64_t)oh * 3600 + om * 60);
	} else if (!allow_no_zone) {
		goto bad;
	}
	t = cybex_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 +
	    (ss == 60 ? 59 : ss) - off;
	*us = t * 1000000 + (ss == 60 ? 999999 : frac);
	*end = i;
	return 0;
 bad:
	*end = i;
	return CYBEX_EFORMAT;
}

int
ingest_yearless_time(unsigned mon, unsigned day, unsigned hh, unsigned mm,
    unsigned ss, uint32_t usec, int64_t ref_us, int64_t *us)
{
	int64_t ref_days, y, t;
	unsigned m, rd, k;

	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 ||
	    mm > 59 || ss > 60)
		return CYBEX_EFORMAT;
	/* The civil year of ref_us. */
	ref_days = ref_us / 86400000000LL;
	if (ref_us < 0 && ref_us % 86400000000LL != 0)
		ref_days--;
	cybex_civil_from_days(ref_days, &y, &m, &rd);
	for (k = 0; k < 9; k++, y--) {
		if (day > cybex_month_days(y, mon))
			continue;
		t = (cybex_days_from_civil(y, mon, day) * 86400 + hh * 3600 +
		    mm * 60 + (ss == 60 ? 59 : ss)) * 1000000 + usec;
		if (t > ref_us + INGEST_YEAR_SKEW_US)
			continue;
		*us = t;
		return 0;
	}
	return CYBEX_EFORMAT;
}
