/*
 * Fuzz target: the analysis pipeline over records from outside (the body
 * of POST /api/v1/events, a file given to cybex ingest).
 *
 * The first byte picks the reader's format (low bits), the organization
 * (0x80) and whether the pipeline writes to a database in memory (0x40;
 * without one a run is a hundred times faster, so most of the fuzzing
 * time goes to the matching and the detectors); the rest is the records.
 * They go through the line splitter and the reader into a pipeline with
 * tiny tables and caps (so every input evicts, truncates evidence and
 * cuts keys), eager detectors and a small indicator set (exact values, a
 * suffix, a CIDR, a port, a compound pattern).  Invariants:
 *   - no input makes the pipeline fail: the line errors are reported, the
 *     rest is analysed and every flush is written (a record can never
 *     make an alert or a sighting that the store refuses);
 *   - everything written is valid STIX (the pipeline checks each object)
 *     and the database passes its consistency check;
 *   - every stored alert renders as the API's JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cybex/analysis.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	"[ipv4-addr:value = '198.51.100.7']",
	"[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
	"[domain-name:value LIKE '%.evil.example']",
	"[domain-name:value = 'evil.example']",
	"[url:value = 'http://evil.example/a']",
	"[network-traffic:dst_port = 4444]",
	"[email-addr:value = 'a@evil.example']",
	"[user-account:account_login = 'root']",
	"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
	"[network-traffic:dst_port = 22 AND network-traffic:src_ref.value = "
	    "'203.0.113.9']",
};

static struct cybex_analysis_intel *intel;	/* built once */

static void
fail(const char *what, const struct cybex_diag *d)
{
	fprintf(stderr, "fuzz_analysis: %s: %s\n", what, d->message);
	abort();
}

static void
build_intel(void)
{
	struct cybex_analysis_intel_builder *b;
	struct cybex_diag d;
	char id[64];
	json_t *o;
	size_t i;

	if (cybex_analysis_intel_builder_new(NULL, NULL, &b) != 0)
		abort();
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		snprintf(id, sizeof(id), "indicator--00000000-0000-4000-8000-"
		    "%012zx", i + 1);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type",
		    "indicator", "id", id, "pattern", patterns[i],
		    "pattern_type", "stix", "valid_from", "2000-01-01T00:00:00Z",
		    "modified", "2000-01-01T00:00:00Z", "indicator_types",
		    i % 2 ? "c2" : "phishing");
		if (o == NULL || cybex_analysis_intel_builder_add(b, o, &d) != 0)
			fail("indicator", &d);
		json_decref(o);
	}
	if (cybex_analysis_intel_builder_build(b, &intel, &d) != 0)
		fail("build", &d);
	cybex_analysis_intel_builder_free(b);
}

static int
render(void *ud, const struct cybex_alert_row *r)
{
	struct cybex_buf *b = ud;

	cybex_buf_reset(b);
	if (cybex_analysis_alert_json(r, b) != 0)
		abort();
	return 0;
}

/* Eager detectors with their smallest tables: alerts and evictions on
 * small inputs, and a pipeline quick to make for every input. */
static const char *const eager[] = {
	"bf_source_failures = 2", "bf_account_failures = 2",
	"bf_success_after = 1", "spam_recipients = 2", "coop_min_orgs = 2",
	"beacon_min_intervals = 3", "quiet_period = 0", "alert_keys = 64",
	"scan_sources = 64", "bf_sources = 64", "bf_accounts = 64",
	"ddos_destinations = 64", "beacon_pairs = 64", "phishing_names = 64",
	"defacement_pages = 64", "spam_senders = 64", "spam_listed = 64",
	"coop_keys = 64", "coop_orgs = 16",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cybex_analysis_opts ao;
	struct cybex_ingest_opts io;
	struct cybex_detect_config *dc = NULL;
	struct cybex_ingest_reader *rd = NULL;
	struct cybex_ingest_lines *l = NULL;
	struct cybex_analysis *a = NULL;
	struct cybex_store *s = NULL;
	struct cybex_alert_query q;
	struct cybex_page pg;
	struct cybex_diag d;
	struct cybex_buf b;
	size_t i;

	if (size < 1)
		return 0;
	if (intel == NULL)
		build_intel();
	cybex_diag_clear(&d);
	if ((data[0] & 0x40) && cybex_store_open(":memory:", 0, &s, &d) != 0)
		fail("store", &d);
	if (cybex_detect_config_new(&dc) != 0)
		abort();
	for (i = 0; i < sizeof(eager) / sizeof(eager[0]); i++)
		if (cybex_detect_config_parse(dc, eager[i], strlen(eager[i]),
		    &d) != 0)
			fail(eager[i], &d);
	memset(&ao, 0, sizeof(ao));
	ao.detect = dc;
	ao.max_sightings = 4;
	ao.max_alerts = 3;
	ao.evidence_max = 200;
	ao.flush_interval_us = -1;
	if (cybex_analysis_new(s, &ao, &a, &d) != 0)
		fail("pipeline", &d);
	cybex_analysis_set_intel(a, intel);
	memset(&io, 0, sizeof(io));
	io.format = (enum cybex_ingest_format)((data[0] & 0x3f) %
	    CYBEX_INGEST_FORMAT_MAX);
	io.org = data[0] & 0x80 ? "org-b" : "org-a";
	io.line_max = 4096;
	io.ref_time_us = 1700000000000000LL;
	if (cybex_ingest_reader_new(&io, &rd, &d) != 0 ||
	    cybex_ingest_lines_new(4096, &l) != 0 ||
	    cybex_ingest_lines_feed(l, data + 1, size - 1) != 0)
		fail("reader", &d);
	cybex_ingest_lines_finish(l);
	if (cybex_analysis_feed(a, rd, l, NULL, NULL, &d) != 0)
		fail("feed", &d);
	if (cybex_analysis_flush(a, &d) != 0)
		fail("flush", &d);
	if (s != NULL) {
		if (cybex_store_check(s, NULL, NULL, &d) != 0)
			fail("check", &d);
		memset(&q, 0, sizeof(q));
		cybex_buf_init(&b, 0);
		if (cybex_store_alert_query(s, &q, render, &b, &pg, &d) != 0)
			fail("alerts", &d);
		cybex_buf_free(&b);
	}
	cybex_ingest_lines_free(l);
	cybex_ingest_reader_free(rd);
	cybex_analysis_free(a);
	cybex_detect_config_free(dc);
	cybex_store_close(s);
	return 0;
}
