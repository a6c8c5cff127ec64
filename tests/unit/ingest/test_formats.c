/*
 * What the golden files do not show: addresses, format names, reader
 * options, mapping errors with their line and column, the year of RFC 3164
 * dates, Postfix correlation with a capped queue table, statistics.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest_test.h"

static void
ip_parse_format(void **state)
{
	static const struct {
		const char	*in;
		int		 family;
		const char	*out;
	} cases[] = {
		{ "192.0.2.1", 4, "192.0.2.1" },
		{ "0.0.0.0", 4, "0.0.0.0" },
		{ "255.255.255.255", 4, "255.255.255.255" },
		{ "2001:DB8::1", 6, "2001:db8::1" },
		{ "0000:0000:0000:0000:0000:0000:0000:0001", 6, "::1" },
		{ "::ffff:192.0.2.1", 6, "::ffff:192.0.2.1" },
		{ "1.2.3", 0, NULL },
		{ "1.2.3.256", 0, NULL },
		{ "01.2.3.4", 0, NULL },
		{ "1.2.3.4 ", 0, NULL },
		{ "fe80::1%eth0", 0, NULL },
		{ "1::2::3", 0, NULL },
		{ "", 0, NULL },
		{ "example.com", 0, NULL },
	};
	struct cybex_ip ip;
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].family == 0) {
			assert_int_equal(cybex_ip_parse(cases[i].in,
			    strlen(cases[i].in), &ip), CYBEX_EFORMAT);
			assert_int_equal(ip.family, 0);
			continue;
		}
		assert_int_equal(cybex_ip_parse(cases[i].in,
		    strlen(cases[i].in), &ip), 0);
		assert_int_equal(ip.family, cases[i].family);
		cybex_ip_format(&ip, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
	/* length, not NUL, ends the text; a NUL inside is not an address */
	assert_int_equal(cybex_ip_parse("10.0.0.1junk", 8, &ip), 0);
	cybex_ip_format(&ip, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.1");
	assert_int_equal(cybex_ip_parse("10.0\0.0.1", 9, &ip), CYBEX_EFORMAT);
	assert_int_equal(cybex_ip_parse(NULL, 0, &ip), CYBEX_EFORMAT);
	/* a short buffer gets an empty string, not a cut address */
	assert_int_equal(cybex_ip_parse("2001:db8::1", 11, &ip), 0);
	cybex_ip_format(&ip, buf, 5);
	assert_string_equal(buf, "");
	memset(&ip, 0, sizeof(ip));
	cybex_ip_format(&ip, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void
format_names(void **state)
{
	static const char *const names[] = { "eve", "syslog", "access",
	    "postfix", "csv", "page" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(cybex_ingest_format_parse(names[i]), (int)i);
		assert_string_equal(cybex_ingest_format_name(
		    (enum cybex_ingest_format)i), names[i]);
	}
	assert_int_equal(CYBEX_INGEST_FORMAT_MAX, 6);
	assert_int_equal(cybex_ingest_format_parse("EVE"), -1);
	assert_int_equal(cybex_ingest_format_parse(NULL), -1);
	assert_null(cybex_ingest_format_name(CYBEX_INGEST_FORMAT_MAX));
}

static void
options(void **state)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	char sensor[16] = "probe-1";

	(void)state;
	memset(&o, 0, sizeof(o));
	o.format = CYBEX_INGEST_FORMAT_MAX;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), CYBEX_EINVAL);
	assert_null(r);
	o.format = CYBEX_INGEST_EVE;
	o.sensor = sensor;
	o.org = "cert-xy";
	o.line_max = 80;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), 0);
	sensor[0] = 'X';	/* copied */
	assert_int_equal(it_line(r, "{\"timestamp\":\"2020-01-01T00:00:00Z\","
	    "\"event_type\":\"flow\",\"host\":\"from-record\"}", &ob, &d), 1);
	assert_string_equal(ob->sensor, "probe-1");
	assert_string_equal(ob->org, "cert-xy");
	/* line_max is the reader's too; a trailing CR is not counted */
	assert_int_equal(it_line(r, "{\"timestamp\":\"2020-01-01T00:00:00Z\","
	    "\"event_type\":\"flow\",\"host\":\"a-host-name-that-is-long\"}",
	    &ob, &d), CYBEX_ETOOBIG);
	assert_int_equal(d.column, 81);
	assert_int_equal(it_line(r, "{\"timestamp\":\"2020-01-01T00:00:00Z\","
	    "\"event_type\":\"flow\"}\r", &ob, &d), 1);
	cybex_ingest_reader_free(r);
	/* no sensor option: the record's host */
	o.sensor = NULL;
	o.org = NULL;
	o.line_max = 0;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), 0);
	assert_int_equal(it_line(r, "{\"timestamp\":\"2020-01-01T00:00:00Z\","
	    "\"event_type\":\"flow\",\"host\":\"from-record\"}", &ob, &d), 1);
	assert_string_equal(ob->sensor, "from-record");
	assert_null(ob->org);
	cybex_ingest_reader_free(r);
	cybex_ingest_reader_free(NULL);
}

static void
mapping_errors(void **state)
{
	static const struct {
		const char	*map;
		unsigned long	 line, column;
		const char	*part;
	} cases[] = {
		{ "column = 1\ntype = ipv5-addr\n", 2, 8, "unknown type" },
		{ "# feed\n\ncolumn = 0\n", 3, 10, "column" },
		{ "column = x1\n", 1, 10, "column" },
		{ "column = 1\ncolour = red\n", 2, 1, "unknown key" },
		{ "column = 1\n  delimiter = ab\n", 2, 15, "delimiter" },
		{ "column = 1\nskip_header = maybe\n", 2, 15, "yes or no" },
		{ "column = 1\njust text\n", 2, 1, "key = value" },
		{ "type = url\n", 1, 1, "needs a column" },
		{ "column = 2\ntime_column = 2\n", 2, 1, "time_column" },
		{ "column = 1\ntime_format = %Y-%q\n", 2, 18, "time_format" },
		{ "column = 1\ntime_format = sometimes\n", 2, 15,
		    "time_format" },
		{ "column = 1\nname =\n", 2, 7, "1 to 200" },
	};
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r;
	struct cybex_diag d;
	size_t i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.format = CYBEX_INGEST_CSV;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.mapping = cases[i].map;
		cybex_diag_clear(&d);
		assert_int_equal(cybex_ingest_reader_new(&o, &r, &d),
		    CYBEX_EINVAL);
		assert_null(r);
		if (d.line != cases[i].line || d.column != cases[i].column ||
		    strstr(d.message, cases[i].part) == NULL)
			fail_msg("case %zu: %lu:%lu: %s", i, d.line, d.column,
			    d.message);
	}
	/* tabs, quotes, CRLF and comments are fine */
	o.mapping = "# x\r\n\tcolumn\t=\t3\r\ndelimiter = tab\nname = \" a b \"\n"
	    "category=spam\ntime_format = epoch_ms\ntime_column = 1\n";
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), 0);
	{
		const struct cybex_obs *ob;

		assert_int_equal(it_line(r, "1717200000123\tx\texample.net",
		    &ob, &d), 1);
		assert_string_equal(ob->listed_value, "example.net");
		assert_string_equal(ob->list_name, " a b ");
		assert_string_equal(ob->list_category, "spam");
		assert_int_equal(ob->ts_us, INT64_C(1717200000123000));
	}
	cybex_ingest_reader_free(r);
}

static int64_t
syslog_time(int64_t ref, const char *line)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	int64_t t;

	memset(&o, 0, sizeof(o));
	o.format = CYBEX_INGEST_SYSLOG;
	o.ref_time_us = ref;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), 0);
	assert_int_equal(it_line(r, line, &ob, &d), 1);
	t = ob->ts_us;
	cybex_ingest_reader_free(r);
	return t;
}

#define DAY	INT64_C(86400000000)

static void
rfc3164_year(void **state)
{
	/* 2024-01-05T00:00:00Z */
	int64_t jan5 = INT64_C(1704412800000000);

	(void)state;
	/* December is last year's */
	assert_int_equal(syslog_time(jan5, "Dec 31 23:00:00 h sshd[1]: "
	    "Accepted password for a from 192.0.2.1 port 1 ssh2"),
	    jan5 - 4 * DAY - 3600 * INT64_C(1000000));
	/*
	 * Never later than the reference plus a day (clocks, zones): a
	 * day ahead is this year's, anything later last year's (issue 23:
	 * days in the future were this year's).
	 */
	assert_int_equal(syslog_time(jan5, "Jan  6 00:00:00 h sshd[1]: "
	    "Accepted password for a from 192.0.2.1 port 1 ssh2"),
	    jan5 + DAY);
	assert_int_equal(syslog_time(jan5, "Jan  6 00:00:01 h sshd[1]: "
	    "Accepted password for a from 192.0.2.1 port 1 ssh2"),
	    jan5 + DAY + 1000000 - 365 * DAY);	/* 2023 */
	assert_int_equal(syslog_time(jan5, "Feb  4 00:00:00 h sshd[1]: "
	    "Accepted password for a from 192.0.2.1 port 1 ssh2"),
	    jan5 + 30 * DAY - 365 * DAY);	/* 2023 */
	/* Feb 29 seen in 2025: the last leap year, 2024 */
	assert_int_equal(syslog_time(jan5 + 366 * DAY + 60 * DAY,
	    "Feb 29 00:00:00 h sshd[1]: Accepted password for a from "
	    "192.0.2.1 port 1 ssh2"), INT64_C(1709164800000000));
}

static void
postfix_eviction(void **state)
{
	struct cybex_ingest_opts o;
	struct cybex_ingest_reader *r;
	const struct cybex_obs *ob;
	struct cybex_diag d;
	char line[256];
	int i, rc;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.format = CYBEX_INGEST_POSTFIX;
	o.ref_time_us = IT_REF_US;
	o.postfix_queue_max = 4;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), 0);
	/* ten messages queued, none removed: only the last four are kept */
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "Jun  1 10:00:00 mx postfix/qmgr"
		    "[1]: AAAA%04d: from=<s%d@example.org>, size=1, nrcpt=3 "
		    "(queue active)", i, i);
		assert_int_equal(it_line(r, line, &ob, &d), 0);
	}
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "Jun  1 10:00:01 mx postfix/smtp"
		    "[2]: AAAA%04d: to=<r@example.net>, relay=x[192.0.2.1]:25, "
		    "status=sent (ok)", i);
		rc = it_line(r, line, &ob, &d);
		assert_int_equal(rc, 1);
		if (i < 6) {
			assert_null(ob->mail_from);
			assert_int_equal(ob->n_rcpt_total, 1);
		} else {
			snprintf(line, sizeof(line), "s%d@example.org", i);
			assert_non_null(ob->mail_from);
			assert_string_equal(ob->mail_from, line);
			assert_int_equal(ob->n_rcpt_total, 3);
		}
	}
	cybex_ingest_reader_free(r);
	o.postfix_queue_max = (size_t)1 << 30;
	assert_int_equal(cybex_ingest_reader_new(&o, &r, &d), CYBEX_EINVAL);
}

static void
stats(void **state)
{
	struct cybex_ingest_reader *r = it_reader(CYBEX_INGEST_SYSLOG, NULL);
	struct cybex_ingest_stats st;
	const struct cybex_obs *ob;
	struct cybex_diag d;

	(void)state;
	assert_int_equal(it_line(r, "Jun  1 10:00:00 h sshd[1]: Accepted "
	    "password for a from 192.0.2.1 port 1 ssh2", &ob, &d), 1);
	assert_int_equal(it_line(r, "Jun  1 10:00:00 h cron[1]: job done",
	    &ob, &d), 0);
	assert_null(ob);
	assert_int_equal(it_line(r, "", &ob, &d), 0);
	assert_int_equal(it_line(r, "garbage", &ob, &d), CYBEX_EFORMAT);
	cybex_ingest_reader_stats(r, &st);
	assert_int_equal(st.lines, 4);
	assert_int_equal(st.observations, 1);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(st.errors, 1);
	cybex_ingest_reader_free(r);
	cybex_ingest_reader_stats(NULL, &st);
	assert_int_equal(st.lines, 0);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(ip_parse_format),
		cmocka_unit_test(format_names),
		cmocka_unit_test(options),
		cmocka_unit_test(mapping_errors),
		cmocka_unit_test(rfc3164_year),
		cmocka_unit_test(postfix_eviction),
		cmocka_unit_test(stats),
	};

	return cmocka_run_group_tests_name("ingest_formats", tests, NULL,
	    NULL);
}
