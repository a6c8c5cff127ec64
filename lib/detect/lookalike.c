/*
 * Look-alike names: the skeleton of a label (what it looks like in Latin
 * letters) and the Damerau-Levenshtein distance between labels.
 *
 * The confusables below are a small hand-made table of the letters that
 * are used in IDN homograph attacks on Latin names: Cyrillic, Greek and
 * Armenian look-alikes of Latin letters, Latin letters with diacritics,
 * full-width forms, and the digits 0 and 1 for o and l.  It is meant for
 * comparing against a constituency's own names, not as a general Unicode
 * confusables implementation.
 */
#include <string.h>

#include "cybex/core.h"
#include "detect_int.h"

struct conf {
	uint32_t	 cp;
	char		 to;
};

/* Sorted by code point (bsearch). */
static const struct conf confusables[] = {
	{ 0x00e0, 'a' }, { 0x00e1, 'a' }, { 0x00e2, 'a' }, { 0x00e3, 'a' },
	{ 0x00e4, 'a' }, { 0x00e5, 'a' }, { 0x00e7, 'c' }, { 0x00e8, 'e' },
	{ 0x00e9, 'e' }, { 0x00ea, 'e' }, { 0x00eb, 'e' }, { 0x00ec, 'i' },
	{ 0x00ed, 'i' }, { 0x00ee, 'i' }, { 0x00ef, 'i' }, { 0x00f1, 'n' },
	{ 0x00f2, 'o' }, { 0x00f3, 'o' }, { 0x00f4, 'o' }, { 0x00f5, 'o' },
	{ 0x00f6, 'o' }, { 0x00f8, 'o' }, { 0x00f9, 'u' }, { 0x00fa, 'u' },
	{ 0x00fb, 'u' }, { 0x00fc, 'u' }, { 0x00fd, 'y' }, { 0x00ff, 'y' },
	{ 0x0101, 'a' }, { 0x0103, 'a' }, { 0x0105, 'a' }, { 0x0107, 'c' },
	{ 0x0109, 'c' }, { 0x010b, 'c' }, { 0x010d, 'c' }, { 0x010f, 'd' },
	{ 0x0111, 'd' }, { 0x0113, 'e' }, { 0x0115, 'e' }, { 0x0117, 'e' },
	{ 0x0119, 'e' }, { 0x011b, 'e' }, { 0x011d, 'g' }, { 0x011f, 'g' },
	{ 0x0121, 'g' }, { 0x0123, 'g' }, { 0x0125, 'h' }, { 0x0127, 'h' },
	{ 0x0129, 'i' }, { 0x012b, 'i' }, { 0x012d, 'i' }, { 0x012f, 'i' },
	{ 0x0131, 'i' }, { 0x0135, 'j' }, { 0x0137, 'k' }, { 0x013a, 'l' },
	{ 0x013c, 'l' }, { 0x013e, 'l' }, { 0x0140, 'l' }, { 0x0142, 'l' },
	{ 0x0144, 'n' }, { 0x0146, 'n' }, { 0x0148, 'n' }, { 0x014d, 'o' },
	{ 0x014f, 'o' }, { 0x0151, 'o' }, { 0x0155, 'r' }, { 0x0157, 'r' },
	{ 0x0159, 'r' }, { 0x015b, 's' }, { 0x015d, 's' }, { 0x015f, 's' },
	{ 0x0161, 's' }, { 0x0163, 't' }, { 0x0165, 't' }, { 0x0167, 't' },
	{ 0x0169, 'u' }, { 0x016b, 'u' }, { 0x016d, 'u' }, { 0x016f, 'u' },
	{ 0x0171, 'u' }, { 0x0173, 'u' }, { 0x0175, 'w' }, { 0x0177, 'y' },
	{ 0x017a, 'z' }, { 0x017c, 'z' }, { 0x017e, 'z' }, { 0x0237, 'j' },
	{ 0x0251, 'a' }, { 0x0261, 'g' }, { 0x0269, 'i' }, { 0x03ac, 'a' },
	{ 0x03ad, 'e' }, { 0x03af, 'i' }, { 0x03b1, 'a' }, { 0x03b3, 'y' },
	{ 0x03b5, 'e' }, { 0x03b9, 'i' }, { 0x03ba, 'k' }, { 0x03bd, 'v' },
	{ 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' }, { 0x03c5, 'u' },
	{ 0x03c7, 'x' }, { 0x03c9, 'w' }, { 0x03cc, 'o' }, { 0x03cd, 'u' },
	{ 0x03f2, 'c' }, { 0x03f3, 'j' }, { 0x0430, 'a' }, { 0x0435, 'e' },
	{ 0x043a, 'k' }, { 0x043c, 'm' }, { 0x043e, 'o' }, { 0x0440, 'p' },
	{ 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0451, 'e' },
	{ 0x0455, 's' }, { 0x0456, 'i' }, { 0x0457, 'i' }, { 0x0458, 'j' },
	{ 0x04af, 'y' }, { 0x04bb, 'h' }, { 0x04cf, 'l' }, { 0x0501, 'd' },
	{ 0x051b, 'q' }, { 0x051d, 'w' }, { 0x0570, 'h' }, { 0x0578, 'n' },
	{ 0x057d, 'u' }, { 0x0585, 'o' },
};

static char
map_cp(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(confusables) / sizeof(confusables[0]), mid;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return (char)(cp - 'A' + 'a');
		if (cp == '0')
			return 'o';
		if (cp == '1')
			return 'l';
		return (char)cp;
	}
	if (cp >= 0xff41 && cp <= 0xff5a)	/* full-width a-z */
		return (char)(cp - 0xff41 + 'a');
	if (cp >= 0xff21 && cp <= 0xff3a)	/* full-width A-Z */
		return (char)(cp - 0xff21 + 'a');
	if (cp == 0xff10)
		return 'o';
	if (cp == 0xff11)
		return 'l';
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (confusables[mid].cp == cp)
			return confusables[mid].to;
		if (confusables[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return '?';
}

size_t
dt_skeleton(const char *s, size_t n, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)s;
	char tmp[256];
	size_t i = 0, k = 0, j = 0, len;
	uint32_t cp;
	char c;

	if (outsz == 0)
		return 0;
	while (i < n && k < sizeof(tmp) - 1) {
		len = cybex_utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			cp = 0xfffd;
			len = 1;
		}
		i += len;
		if (cp == '-')
			continue;
		tmp[k++] = map_cp(cp);
	}
	/* Letter pairs that read as one letter. */
	for (i = 0; i < k && j < outsz - 1; i++) {
		c = tmp[i];
		if (i + 1 < k && c == 'r' && tmp[i + 1] == 'n') {
			c = 'm';
			i++;
		} else if (i + 1 < k && c == 'v' && tmp[i + 1] == 'v') {
			c = 'w';
			i++;
		}
		out[j++] = c;
	}
	out[j] = '\0';
	return j;
}

unsigned
dt_edit_distance(const char *a, size_t n, const char *b, size_t m)
{
	unsigned d[DT_LABEL_MAX + 1][DT_LABEL_MAX + 1];
	unsigned cost, v;
	size_t i, j;

	if (n > DT_LABEL_MAX)
		n = DT_LABEL_MAX;
	if (m > DT_LABEL_MAX)
		m = DT_LABEL_MAX;
	for (i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			cost = a[i - 1] != b[j - 1];
			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}
