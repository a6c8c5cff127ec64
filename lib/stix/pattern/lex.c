/*
 * The lexer of the STIX patterning language, following the lexer rules of
 * STIXPattern.g4: longest match, keywords in upper case only, typed
 * literals (t'...', h'...', b'...') checked against their token rules, and
 * the grammar's whitespace (ASCII and the Unicode spaces it lists) and
 * comments skipped.  Literal values are decoded into the arena.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/core.h"
#include "pattern_int.h"

void
perr_set(struct perr *e, int code, const char *rule, size_t pos,
    const char *fmt, ...)
{
	va_list ap;

	if (e->code != 0)
		return;			/* keep the first */
	e->code = code;
	e->rule = rule;
	e->pos = (uint32_t)pos;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

bool
plex_utf8_ok(const char *s, size_t n, size_t *bad)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				break;
			i++;
			continue;
		}
		if ((k = cybex_utf8_decode((const unsigned char *)s + i, n - i,
		    &cp)) == 0)
			break;
		i += k;
	}
	*bad = i;
	return i == n;
}

static const struct {
	const char	*word;
	int		 type;
} keywords[] = {
	{ "AND", PT_AND }, { "OR", PT_OR }, { "NOT", PT_NOT },
	{ "FOLLOWEDBY", PT_FOLLOWEDBY }, { "LIKE", PT_LIKE },
	{ "MATCHES", PT_MATCHES }, { "ISSUPERSET", PT_ISSUPERSET },
	{ "ISSUBSET", PT_ISSUBSET }, { "EXISTS", PT_EXISTS },
	{ "LAST", PT_LAST }, { "IN", PT_IN }, { "START", PT_START },
	{ "STOP", PT_STOP }, { "SECONDS", PT_SECONDS }, { "WITHIN", PT_WITHIN },
	{ "REPEATS", PT_REPEATS }, { "TIMES", PT_TIMES },
	{ "true", PT_BOOL }, { "false", PT_BOOL },
};

const char *
plex_tok_name(int type)
{
	static const struct {
		int		 type;
		const char	*name;
	} names[] = {
		{ PT_EOF, "the end of the pattern" }, { PT_LBRACK, "'['" },
		{ PT_RBRACK, "']'" }, { PT_LPAREN, "'('" }, { PT_RPAREN, "')'" },
		{ PT_COLON, "':'" }, { PT_DOT, "'.'" }, { PT_COMMA, "','" },
		{ PT_STAR, "'*'" }, { PT_EQ, "'='" }, { PT_NE, "'!='" },
		{ PT_LT, "'<'" }, { PT_LE, "'<='" }, { PT_GT, "'>'" },
		{ PT_GE, "'>='" }, { PT_PLUS, "'+'" }, { PT_MINUS, "'-'" },
		{ PT_IDENT, "a name" }, { PT_IDENT_H, "a name" },
		{ PT_STRING, "a string" }, { PT_INT, "an integer" },
		{ PT_NEGINT, "an integer" }, { PT_FLOAT, "a number" },
		{ PT_NEGFLOAT, "a number" }, { PT_BOOL, "a boolean" },
		{ PT_BINARY, "a binary literal" }, { PT_HEX, "a hex literal" },
		{ PT_TIMESTAMP, "a timestamp" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (keywords[i].type == type)
			return keywords[i].word;
	return "a token";
}

/* Length of the grammar's whitespace at s[i], or 0. */
static size_t
space_len(const struct plexer *lx, size_t i)
{
	unsigned char c = (unsigned char)lx->s[i];
	uint32_t cp;
	size_t k;

	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f')
		return 1;
	if (c < 0x80)
		return 0;
	if ((k = cybex_utf8_decode((const unsigned char *)lx->s + i, lx->n - i,
	    &cp)) == 0)
		return 0;
	if (cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000)
		return k;
	return 0;
}

/* Skip whitespace and comments; false (with the error set) on an
 * unterminated block comment. */
static bool
skip(struct plexer *lx)
{
	size_t k, j;

	while (lx->i < lx->n) {
		if ((k = space_len(lx, lx->i)) > 0) {
			lx->i += k;
			continue;
		}
		if (lx->s[lx->i] == '/' && lx->i + 1 < lx->n &&
		    lx->s[lx->i + 1] == '*') {
			for (j = lx->i + 2; j + 1 < lx->n; j++)
				if (lx->s[j] == '*' && lx->s[j + 1] == '/')
					break;
			if (j + 1 >= lx->n) {
				perr_set(lx->err, CYBEX_EFORMAT,
				    "pattern-syntax", lx->i,
				    "unterminated comment");
				return false;
			}
			lx->i = j + 2;
			continue;
		}
		if (lx->s[lx->i] == '/' && lx->i + 1 < lx->n &&
		    lx->s[lx->i + 1] == '/') {
			while (lx->i < lx->n && lx->s[lx->i] != '\n' &&
			    lx->s[lx->i] != '\r')
				lx->i++;
			continue;
		}
		break;
	}
	return true;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident_char(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static bool
fail(struct plexer *lx, struct ptoken *t, size_t pos, const char *rule,
    const char *msg)
{
	perr_set(lx->err, CYBEX_EFORMAT, rule, pos, "%s", msg);
	t->type = PT_ERROR;
	return false;
}

static bool
nomem(struct plexer *lx, struct ptoken *t)
{
	perr_set(lx->err, CYBEX_ENOMEM, "pattern-syntax", lx->i,
	    "out of memory");
	t->type = PT_ERROR;
	return false;
}

/* 'string': only \' and \\ are escapes. */
static bool
lex_string(struct plexer *lx, struct ptoken *t, size_t q)
{
	size_t j, k = 0;
	char *out;

	for (j = q + 1; j < lx->n && lx->s[j] != '\''; j++) {
		if (lx->s[j] != '\\')
			continue;
		if (j + 1 >= lx->n || (lx->s[j + 1] != '\'' &&
		    lx->s[j + 1] != '\\'))
			return fail(lx, t, j, "pattern-syntax", "a backslash in "
			    "a string must be followed by ' or \\");
		j++;
	}
	if (j >= lx->n)
		return fail(lx, t, q, "pattern-syntax", "unterminated string");
	if ((out = cybex_arena_alloc(lx->a, j - q)) == NULL)
		return nomem(lx, t);
	for (k = 0, q++; q < j; q++) {
		if (lx->s[q] == '\\')
			q++;
		out[k++] = lx->s[q];
	}
	out[k] = '\0';
	t->lit.type = CYBEX_PLIT_STRING;
	t->lit.s = out;
	t->lit.n = k;
	lx->i = j + 1;
	return true;
}

/* h'...': pairs of hex digits. */
static bool
lex_hex(struct plexer *lx, struct ptoken *t, size_t start)
{
	size_t j, k = 0;
	char *out;

	for (j = start + 2; j < lx->n && cybex_hexval(lx->s[j]) >= 0; j++)
		;
	if (j >= lx->n || lx->s[j] != '\'' || (j - start - 2) % 2 != 0)
		return fail(lx, t, start, "pattern-syntax", "a hex literal "
		    "needs pairs of hex digits: h'ffd8'");
	if ((out = cybex_arena_alloc(lx->a, (j - start - 2) / 2 + 1)) == NULL)
		return nomem(lx, t);
	for (k = 0; start + 2 + 2 * k < j; k++)
		out[k] = (char)(cybex_hexval(lx->s[start + 2 + 2 * k]) << 4 |
		    cybex_hexval(lx->s[start + 3 + 2 * k]));
	out[k] = '\0';
	t->lit.type = CYBEX_PLIT_HEX;
	t->lit.s = out;
	t->lit.n = k;
	lx->i = j + 1;
	return true;
}

/* b'...': padded base64 with at least one group. */
static bool
lex_binary(struct plexer *lx, struct ptoken *t, size_t start)
{
	size_t j, nc, npad = 0, k = 0, g;
	unsigned char *out;
	uint32_t acc;

	for (j = start + 2; j < lx->n && cybex_b64val(lx->s[j]) >= 0; j++)
		;
	nc = j - start - 2;
	while (j < lx->n && lx->s[j] == '=' && npad < 2) {
		npad++;
		j++;
	}
	if (j >= lx->n || lx->s[j] != '\'' || nc + npad == 0 ||
	    (nc + npad) % 4 != 0 || (npad > 0 && nc % 4 == 0))
		return fail(lx, t, start, "pattern-syntax", "a binary literal "
		    "needs padded base64: b'dGVzdA=='");
	if ((out = cybex_arena_alloc(lx->a, nc / 4 * 3 + 3)) == NULL)
		return nomem(lx, t);
	for (g = 0; g < nc; g += 4) {
		size_t m = nc - g >= 4 ? 4 : nc - g, x;

		acc = 0;
		for (x = 0; x < 4; x++)
			acc = acc << 6 | (x < m ? (uint32_t)cybex_b64val(
			    lx->s[start + 2 + g + x]) : 0);
		out[k++] = (unsigned char)(acc >> 16);
		if (m > 2)
			out[k++] = (unsigned char)(acc >> 8);
		if (m > 3)
			out[k++] = (unsigned char)acc;
	}
	out[k] = '\0';
	t->lit.type = CYBEX_PLIT_BINARY;
	t->lit.s = (const char *)out;
	t->lit.n = k;
	lx->i = j + 1;
	return true;
}

static unsigned
num(const char *s, size_t n)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

void
plex_time_lenient(const char *s, size_t n, struct cybex_time *out)
{
	size_t i;
	uint32_t ns = 0;
	uint8_t digits = 0;

	out->sec = cybex_days_from_civil(num(s, 4), num(s + 5, 2),
	    num(s + 8, 2)) * 86400 + (int64_t)num(s + 11, 2) * 3600 +
	    num(s + 14, 2) * 60 + num(s + 17, 2);
	for (i = 20; i + 1 < n && s[19] == '.'; i++) {
		if (digits < 9) {
			ns = ns * 10 + (uint32_t)(s[i] - '0');
			digits++;
		}
	}
	for (i = digits; i < 9; i++)
		ns *= 10;
	out->nsec = ns;
	out->digits = digits;
}

/*
 * t'YYYY-MM-DDTHH:MM:SS[.d+]Z' with the grammar's ranges: month 01-12,
 * day 01-31, hour 00-23, minute 00-59, second 00-60.
 */
static bool
lex_timestamp(struct plexer *lx, struct ptoken *t, size_t start)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	const char *s = lx->s + start + 2, *why = NULL;
	size_t avail = lx->n - start - 2, i, end;
	unsigned mo, dd, hh, mi, ss;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (i >= avail || (shape[i] == 'd' ? !is_digit(s[i]) :
		    s[i] != shape[i])) {
			why = "a timestamp looks like t'2016-06-01T01:30:00Z'";
			goto bad;
		}
	}
	end = i;
	if (end < avail && s[end] == '.') {
		for (end++; end < avail && is_digit(s[end]); end++)
			;
		if (end == i + 1) {
			why = "fractional seconds need digits after '.'";
			goto bad;
		}
	}
	if (end >= avail || s[end] != 'Z' || end + 1 >= avail ||
	    s[end + 1] != '\'') {
		why = "a timestamp must end in 'Z' (UTC) and a quote";
		goto bad;
	}
	mo = num(s + 5, 2);
	dd = num(s + 8, 2);
	hh = num(s + 11, 2);
	mi = num(s + 14, 2);
	ss = num(s + 17, 2);
	if (mo < 1 || mo > 12)
		why = "the month must be 01..12";
	else if (dd < 1 || dd > 31)
		why = "the day must be 01..31";
	else if (hh > 23)
		why = "the hour must be 00..23";
	else if (mi > 59)
		why = "the minute must be 00..59";
	else if (ss > 60)
		why = "the second must be 00..60";
	if (why != NULL)
		goto bad;
	plex_time_lenient(s, end + 1, &t->lit.t);
	t->lit.type = CYBEX_PLIT_TIMESTAMP;
	if ((t->lit.s = cybex_arena_strndup(lx->a, s, end + 1)) == NULL)
		return nomem(lx, t);
	t->lit.n = end + 1;
	lx->i = start + 2 + end + 2;
	return true;
 bad:
	perr_set(lx->err, CYBEX_EFORMAT, "pattern-timestamp", start,
	    "invalid timestamp: %s", why);
	t->type = PT_ERROR;
	return false;
}

/*
 * Numbers: IntPos '+'?('0'|[1-9][0-9]*), IntNeg '-'(...), FloatPos
 * '+'?[0-9]*'.'[0-9]+, FloatNeg.  As in ANTLR, the longest match wins.
 */
static bool
lex_number(struct plexer *lx, struct ptoken *t)
{
	size_t start = lx->i, j = lx->i, dstart;
	bool neg = false, isfloat = false;
	char *endp, *txt;

	if (lx->s[j] == '+' || lx->s[j] == '-')
		neg = lx->s[j++] == '-';
	dstart = j;
	while (j < lx->n && is_digit(lx->s[j]))
		j++;
	if (j + 1 < lx->n && lx->s[j] == '.' && is_digit(lx->s[j + 1])) {
		isfloat = true;
		for (j++; j < lx->n && is_digit(lx->s[j]); j++)
			;
	} else if (j - dstart > 1 && lx->s[dstart] == '0')
		j = dstart + 1;		/* "007" is 0, 0, 7 */
	lx->i = j;
	if ((txt = cybex_arena_strndup(lx->a, lx->s + start, j - start)) ==
	    NULL)
		return nomem(lx, t);
	t->lit.s = txt;
	t->lit.n = j - start;
	errno = 0;
	if (isfloat) {
		t->type = neg ? PT_NEGFLOAT : PT_FLOAT;
		t->lit.type = CYBEX_PLIT_FLOAT;
		t->lit.f = strtod(txt, &endp);
		if (errno == ERANGE && isinf(t->lit.f))
			return fail(lx, t, start, "pattern-literal-range",
			    "number out of range");
	} else {
		t->type = neg ? PT_NEGINT : PT_INT;
		t->lit.type = CYBEX_PLIT_INT;
		t->lit.i = strtoll(txt, &endp, 10);
		if (errno == ERANGE)
			return fail(lx, t, start, "pattern-literal-range",
			    "integer out of range (64 bits)");
		t->lit.f = (double)t->lit.i;
	}
	return true;
}

static bool
lex_word(struct plexer *lx, struct ptoken *t)
{
	size_t start = lx->i, j = lx->i, k;
	bool hyphen = false;
	char *w;

	while (j < lx->n && (is_ident_char(lx->s[j]) || lx->s[j] == '-')) {
		if (lx->s[j] == '-')
			hyphen = true;
		j++;
	}
	/* t'...', h'...', b'...': the typed literal rules are longer. */
	if (j - start == 1 && j < lx->n && lx->s[j] == '\'') {
		switch (lx->s[start]) {
		case 't':
			t->type = PT_TIMESTAMP;
			return lex_timestamp(lx, t, start);
		case 'h':
			t->type = PT_HEX;
			return lex_hex(lx, t, start);
		case 'b':
			t->type = PT_BINARY;
			return lex_binary(lx, t, start);
		default:
			break;
		}
	}
	lx->i = j;
	t->type = hyphen ? PT_IDENT_H : PT_IDENT;
	if (!hyphen) {
		for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
			if (strlen(keywords[k].word) == j - start &&
			    memcmp(keywords[k].word, lx->s + start,
			    j - start) == 0) {
				t->type = keywords[k].type;
				break;
			}
		}
	}
	if (t->type == PT_BOOL) {
		t->lit.type = CYBEX_PLIT_BOOL;
		t->lit.i = lx->s[start] == 't';
		t->lit.f = (double)t->lit.i;
	}
	if ((w = cybex_arena_strndup(lx->a, lx->s + start, j - start)) == NULL)
		return nomem(lx, t);
	if (t->lit.type == 0)
		t->lit.type = CYBEX_PLIT_STRING;
	t->lit.s = w;
	t->lit.n = j - start;
	return true;
}

void
plex_next(struct plexer *lx, struct ptoken *t)
{
	char c, c1;

	memset(t, 0, sizeof(*t));
	if (!skip(lx)) {
		t->type = PT_ERROR;
		t->pos = (uint32_t)lx->i;
		return;
	}
	t->pos = (uint32_t)lx->i;
	if (lx->i >= lx->n) {
		t->type = PT_EOF;
		return;
	}
	c = lx->s[lx->i];
	c1 = lx->i + 1 < lx->n ? lx->s[lx->i + 1] : '\0';
	if (is_digit(c) || ((c == '+' || c == '-') && (is_digit(c1) ||
	    (c1 == '.' && lx->i + 2 < lx->n && is_digit(lx->s[lx->i + 2])))) ||
	    (c == '.' && is_digit(c1))) {
		(void)lex_number(lx, t);
		goto out;
	}
	if (is_ident_start(c)) {
		(void)lex_word(lx, t);
		goto out;
	}
	if (c == '\'') {
		t->type = PT_STRING;
		(void)lex_string(lx, t, lx->i);
		goto out;
	}
	lx->i++;
	switch (c) {
	case '[': t->type = PT_LBRACK; break;
	case ']': t->type = PT_RBRACK; break;
	case '(': t->type = PT_LPAREN; break;
	case ')': t->type = PT_RPAREN; break;
	case ':': t->type = PT_COLON; break;
	case '.': t->type = PT_DOT; break;
	case ',': t->type = PT_COMMA; break;
	case '*': t->type = PT_STAR; break;
	case '+': t->type = PT_PLUS; break;
	case '-': t->type = PT_MINUS; break;
	case '=':
		t->type = PT_EQ;
		if (c1 == '=')
			lx->i++;
		break;
	case '!':
		if (c1 == '=') {
			t->type = PT_NE;
			lx->i++;
		} else
			t->type = PT_INVALID;
		break;
	case '<':
		t->type = PT_LT;
		if (c1 == '=' || c1 == '>') {
			t->type = c1 == '=' ? PT_LE : PT_NE;
			lx->i++;
		}
		break;
	case '>':
		t->type = PT_GT;
		if (c1 == '=') {
			t->type = PT_GE;
			lx->i++;
		}
		break;
	default:
		t->type = PT_INVALID;
		/* One whole UTF-8 character (the text is known to be valid). */
		while (lx->i < lx->n &&
		    ((unsigned char)lx->s[lx->i] & 0xc0) == 0x80)
			lx->i++;
		break;
	}
 out:
	t->len = (uint32_t)(lx->i - t->pos);
	if (t->lit.type != 0) {
		t->lit.pos = t->pos;
		t->lit.len = t->len;
	}
}
