/*
 * Incident management (lib/incident): the state machine table, the
 * optimistic concurrency on versions, merge and split, the timeline's
 * order, the index's keyset listing and filters, and the export under a
 * TLP ceiling.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <unistd.h>

#include "cybex/detect.h"
#include "cybex/incident.h"
#include "cybex/stix.h"

#include "testutil.h"

#define T0	INT64_C(1796000000000000)	/* 2026-11-30T..., fixed */
#define MIN	(60 * INT64_C(1000000))

struct fx {
	struct cybex_store	*s;
	struct cybex_incident_ctx c;
	struct cybex_diag	 d;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || cybex_store_open(":memory:", 0, &f->s, &f->d) != 0)
		return -1;
	f->c.store = f->s;
	f->c.actor = "alice";
	f->c.now_us = T0;
	if (cybex_store_user_add(f->s, "alice", NULL, false, &f->d) != 0 ||
	    cybex_store_user_add(f->s, "bob", NULL, false, &f->d) != 0 ||
	    cybex_store_org_add(f->s, "acme", &f->d) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	cybex_store_close(f->s);
	free(f);
	return 0;
}

static void
mk(struct fx *f, const char *title, int severity, char id[CYBEX_INCIDENT_ID_MAX])
{
	struct cybex_incident_spec sp;

	memset(&sp, 0, sizeof(sp));
	sp.title = title;
	sp.severity = severity;
	assert_int_equal(cybex_incident_new(&f->c, &sp, id, &f->d), 0);
}

static int
set_status(struct fx *f, const char *id, int st, int res, const char *dup)
{
	struct cybex_incident_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_STATUS;
	ch.status = st;
	ch.resolution = res;
	ch.duplicate_of = dup;
	f->c.now_us += MIN;
	return cybex_incident_update(&f->c, id, NULL, &ch, NULL, &f->d);
}

/* The whole table, both ways: what is allowed and what is not. */
static void
test_state_machine_table(void **state)
{
	static const char *const want[CYBEX_INCIDENT_NSTATUS + 1] = {
		/* to:     N T I C E R X  (new .. closed) */
		[CYBEX_INCIDENT_NEW] =		"0110001",
		[CYBEX_INCIDENT_TRIAGE] =	"0011001",
		[CYBEX_INCIDENT_IN_PROGRESS] =	"0001111",
		[CYBEX_INCIDENT_CONTAINED] =	"0010111",
		[CYBEX_INCIDENT_ERADICATED] =	"0010011",
		[CYBEX_INCIDENT_RECOVERED] =	"0010001",
		[CYBEX_INCIDENT_CLOSED] =	"0110000",
	};
	int from, to;

	(void)state;
	for (from = 1; from <= CYBEX_INCIDENT_NSTATUS; from++)
		for (to = 1; to <= CYBEX_INCIDENT_NSTATUS; to++)
			assert_int_equal(cybex_incident_transition_ok(from, to),
			    want[from][to - 1] == '1');
	assert_false(cybex_incident_transition_ok(0, 1));
	assert_false(cybex_incident_transition_ok(1, 8));
	for (from = 1; from <= CYBEX_INCIDENT_NSTATUS; from++) {
		assert_int_equal(cybex_incident_status_parse(
		    cybex_incident_status_name(from)), from);
		assert_non_null(cybex_incident_phase_nist(from));
		assert_non_null(cybex_incident_phase_iso(from));
	}
	assert_int_equal(cybex_incident_status_parse("open"), -1);
}

/* The store refuses what the table refuses, and closing needs a resolution. */
static void
test_lifecycle_rules(void **state)
{
	struct fx *f = *state;
	struct cybex_incident *inc = NULL;
	char a[CYBEX_INCIDENT_ID_MAX], b[CYBEX_INCIDENT_ID_MAX];

	mk(f, "Phishing wave", 3, a);
	mk(f, "Same phishing wave", 2, b);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_RECOVERED, 0, NULL),
	    CYBEX_EINVAL);
	assert_non_null(strstr(f->d.message, "cannot go from new to "
	    "recovered"));
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_NEW, 0, NULL),
	    CYBEX_EINVAL);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_TRIAGE, 0, NULL), 0);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_IN_PROGRESS,
	    CYBEX_RESOLUTION_BENIGN, NULL), CYBEX_EINVAL);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_CLOSED, 0, NULL),
	    CYBEX_EINVAL);
	assert_non_null(strstr(f->d.message, "resolution"));
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_CLOSED,
	    CYBEX_RESOLUTION_DUPLICATE, NULL), CYBEX_EINVAL);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_CLOSED,
	    CYBEX_RESOLUTION_DUPLICATE, a), CYBEX_EINVAL);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_CLOSED,
	    CYBEX_RESOLUTION_DUPLICATE, "incident--00000000-0000-4000-8000-"
	    "000000000000"), CYBEX_ENOTFOUND);
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_CLOSED,
	    CYBEX_RESOLUTION_DUPLICATE, b), 0);
	assert_int_equal(cybex_incident_get(f->s, a, &inc, &f->d), 0);
	assert_int_equal(inc->status, CYBEX_INCIDENT_CLOSED);
	assert_int_equal(inc->resolution, CYBEX_RESOLUTION_DUPLICATE);
	assert_string_equal(inc->duplicate_of, b);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(inc->json, "extensions"), CYBEX_INCIDENT_EXT_CORE),
	    "investigation_status")), "closed");
	assert_true(inc->triaged_us > inc->created_us);
	cybex_incident_free(inc);
	/* Reopen clears the resolution. */
	assert_int_equal(set_status(f, a, CYBEX_INCIDENT_IN_PROGRESS, 0, NULL),
	    0);
	assert_int_equal(cybex_incident_get(f->s, a, &inc, &f->d), 0);
	assert_int_equal(inc->resolution, CYBEX_RESOLUTION_NONE);
	assert_null(inc->duplicate_of);
	cybex_incident_free(inc);
}

/* A change against a stale version is refused and writes nothing. */
static void
test_concurrency(void **state)
{
	struct fx *f = *state;
	struct cybex_incident_change ch;
	struct cybex_incident *inc = NULL;
	char id[CYBEX_INCIDENT_ID_MAX], v0[CYBEX_VERSION_KEY_MAX];
	char v1[CYBEX_VERSION_KEY_MAX];

	mk(f, "Brute force on VPN", 2, id);
	assert_int_equal(cybex_incident_get(f->s, id, &inc, &f->d), 0);
	snprintf(v0, sizeof(v0), "%s", inc->modified);
	cybex_incident_free(inc);
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_ASSIGNEE;
	ch.assignee = "bob";
	/* Same clock: the version still moves on. */
	assert_int_equal(cybex_incident_update(&f->c, id, v0, &ch, v1, &f->d),
	    0);
	assert_true(strcmp(v1, v0) > 0);
	ch.assignee = "alice";
	assert_int_equal(cybex_incident_update(&f->c, id, v0, &ch, NULL,
	    &f->d), CYBEX_ECONFLICT);
	assert_non_null(strstr(f->d.message, v1));
	assert_int_equal(cybex_incident_note(&f->c, id, v0, "stale", NULL,
	    &f->d), CYBEX_ECONFLICT);
	assert_int_equal(cybex_incident_get(f->s, id, &inc, &f->d), 0);
	assert_string_equal(inc->assignee, "bob");
	assert_string_equal(inc->modified, v1);
	cybex_incident_free(inc);
	/* Unknown users and values are refused precisely. */
	ch.assignee = "mallory";
	assert_int_equal(cybex_incident_update(&f->c, id, v1, &ch, NULL,
	    &f->d), CYBEX_ENOTFOUND);
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_CLASS;
	ch.class = "fraud";
	ch.type = "scanner";
	assert_int_equal(cybex_incident_update(&f->c, id, v1, &ch, NULL,
	    &f->d), CYBEX_EINVAL);
	assert_non_null(strstr(f->d.message, "phishing"));
}

static int
count_cb(void *ud, const struct cybex_incident_row *r)
{
	(void)r;
	(*(size_t *)ud)++;
	return 0;
}

struct refs {
	size_t		 n;
	char		 first[80];
};

static int
refs_cb(void *ud, const struct cybex_incident_link *l)
{
	struct refs *r = ud;

	if (r->n++ == 0)
		snprintf(r->first, sizeof(r->first), "%s", l->incident);
	return 0;
}

static size_t
nlinks(struct fx *f, const char *id, int kind)
{
	struct refs r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(cybex_store_incident_links(f->s, id, kind, refs_cb,
	    &r, &f->d), 0);
	return r.n;
}

struct tl {
	char		 actions[32][16];
	int64_t		 times[32];
	char		 text[64];
	size_t		 n;
};

static int
tl_cb(void *ud, const struct cybex_incident_event *e)
{
	struct tl *t = ud;

	if (t->n < 32) {
		snprintf(t->actions[t->n], sizeof(t->actions[0]), "%s",
		    e->action);
		t->times[t->n++] = e->time_us;
	}
	if (e->text != NULL)
		snprintf(t->text, sizeof(t->text), "%s", e->text);
	return 0;
}

static void
test_timeline_order(void **state)
{
	struct fx *f = *state;
	struct cybex_incident_task_change tc;
	static const char *const ind = "indicator--8e2e2d2b-17d4-4cbf-938f-"
	    "98ee46b3cd3f";
	static const char *const two[2] = {
		"report--5a5b2c6d-3dbf-4c3f-8a6b-6f4e5d7a8192",
		"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
	};
	struct tl t;
	char id[CYBEX_INCIDENT_ID_MAX];
	size_t i;
	int no = 0;

	mk(f, "C2 beacon", 4, id);
	f->c.now_us += MIN;
	assert_int_equal(cybex_incident_note(&f->c, id, NULL, "seen on 3 "
	    "hosts", NULL, &f->d), 0);
	f->c.now_us += MIN;
	assert_int_equal(cybex_incident_task_add(&f->c, id, NULL, "Isolate "
	    "hosts", "bob", T0 + 60 * MIN, &no, &f->d), 0);
	assert_int_equal(no, 1);
	f->c.now_us += MIN;
	assert_int_equal(cybex_incident_link(&f->c, id, NULL, &ind, 1, &f->d),
	    0);
	assert_int_equal(cybex_incident_link(&f->c, id, NULL, &ind, 1, &f->d),
	    CYBEX_EEXIST);
	/* One of two already linked: neither is, nothing is written. */
	assert_int_equal(cybex_incident_link(&f->c, id, NULL, two, 2, &f->d),
	    CYBEX_EEXIST);
	assert_int_equal(nlinks(f, id, CYBEX_INCIDENT_LINK_EVIDENCE), 1);
	assert_int_equal(set_status(f, id, CYBEX_INCIDENT_TRIAGE, 0, NULL), 0);
	memset(&tc, 0, sizeof(tc));
	tc.status = CYBEX_TASK_DONE;
	tc.log = "isolated";
	assert_int_equal(cybex_incident_task_update(&f->c, id, NULL, 1, &tc,
	    &f->d), 0);
	assert_int_equal(cybex_incident_task_update(&f->c, id, NULL, 2, &tc,
	    &f->d), CYBEX_ENOTFOUND);
	memset(&t, 0, sizeof(t));
	assert_int_equal(cybex_incident_timeline(f->s, id, tl_cb, &t, &f->d),
	    0);
	assert_int_equal(t.n, 6);
	assert_string_equal(t.actions[0], "created");
	assert_string_equal(t.actions[1], "note");
	assert_string_equal(t.actions[2], "task");
	assert_string_equal(t.actions[3], "link");
	assert_string_equal(t.actions[4], "status");
	assert_string_equal(t.actions[5], "task");
	assert_string_equal(t.text, "seen on 3 hosts");
	for (i = 1; i < t.n; i++)
		assert_true(t.times[i] > t.times[i - 1]);
}

static void
test_merge_split(void **state)
{
	static const char *const ev[3] = {
		"sighting--1b1a0f4e-0a8e-4f0c-9d3e-3c1b2a4d5e6f",
		"indicator--2c2b1a5f-1b9f-4a1d-8e4f-4d2c3b5e6f70",
		"ipv4-addr--3d3c2b6a-2cae-4b2e-9f5a-5e3d4c6f7081",
	};
	struct fx *f = *state;
	struct cybex_incident *inc = NULL;
	struct refs r;
	struct tl t;
	char a[CYBEX_INCIDENT_ID_MAX], b[CYBEX_INCIDENT_ID_MAX];
	char c[CYBEX_INCIDENT_ID_MAX];
	size_t i;

	mk(f, "Scan from 198.51.100.7", 1, a);
	mk(f, "Brute force from 198.51.100.7", 3, b);
	{
		struct cybex_incident_change tch;

		memset(&tch, 0, sizeof(tch));
		tch.set = CYBEX_INCIDENT_SET_TLP;
		tch.tlp = CYBEX_TLP_RED;
		assert_int_equal(cybex_incident_update(&f->c, a, NULL, &tch,
		    NULL, &f->d), 0);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(cybex_incident_link(&f->c, i < 2 ? a : b,
		    NULL, &ev[i], 1, &f->d), 0);
	assert_int_equal(cybex_incident_note(&f->c, a, NULL, "same source",
	    NULL, &f->d), 0);
	assert_int_equal(cybex_incident_task_add(&f->c, a, NULL, "Block "
	    "source", NULL, 0, NULL, &f->d), 0);
	assert_int_equal(cybex_incident_merge(&f->c, b, b, &f->d),
	    CYBEX_EINVAL);
	f->c.now_us += MIN;
	assert_int_equal(cybex_incident_merge(&f->c, b, a, &f->d), 0);
	/* a: closed as a duplicate of b, its evidence gone to b. */
	assert_int_equal(cybex_incident_get(f->s, a, &inc, &f->d), 0);
	assert_int_equal(inc->status, CYBEX_INCIDENT_CLOSED);
	assert_int_equal(inc->resolution, CYBEX_RESOLUTION_DUPLICATE);
	assert_string_equal(inc->duplicate_of, b);
	cybex_incident_free(inc);
	assert_int_equal(nlinks(f, a, CYBEX_INCIDENT_LINK_EVIDENCE), 0);
	assert_int_equal(nlinks(f, b, CYBEX_INCIDENT_LINK_EVIDENCE), 3);
	assert_int_equal(nlinks(f, b, CYBEX_INCIDENT_LINK_NOTE), 1);
	assert_int_equal(cybex_incident_get(f->s, b, &inc, &f->d), 0);
	assert_int_equal(inc->ntasks, 1);
	assert_int_equal(inc->severity, 3);
	assert_int_equal(inc->tlp, CYBEX_TLP_RED);	/* a was RED */
	cybex_incident_free(inc);
	memset(&r, 0, sizeof(r));
	assert_int_equal(cybex_store_incident_by_ref(f->s, ev[0], refs_cb, &r,
	    &f->d), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.first, b);
	/* Merging the closed one again is refused. */
	assert_int_equal(cybex_incident_merge(&f->c, b, a, &f->d),
	    CYBEX_EINVAL);
	/* Split one piece off b. */
	assert_int_equal(cybex_incident_split(&f->c, b, &ev[2], 1, NULL, c,
	    &f->d), 0);
	assert_int_equal(nlinks(f, b, CYBEX_INCIDENT_LINK_EVIDENCE), 2);
	assert_int_equal(nlinks(f, c, CYBEX_INCIDENT_LINK_EVIDENCE), 1);
	assert_int_equal(cybex_incident_get(f->s, c, &inc, &f->d), 0);
	assert_string_equal(inc->title, "Split from Brute force from "
	    "198.51.100.7");
	assert_int_equal(inc->severity, 3);
	cybex_incident_free(inc);
	/*
	 * One ref linked, the next not: nothing happens at all (one
	 * transaction), not even the new incident.
	 */
	{
		const char *two[2] = { ev[1], ev[2] };
		struct cybex_incident_filter flt;
		struct cybex_page page;
		struct ls0 { size_t n; } n0 = { 0 };

		memset(&flt, 0, sizeof(flt));
		assert_int_equal(cybex_incident_split(&f->c, b, two, 2, "x", c,
		    &f->d), CYBEX_ENOTFOUND);
		assert_string_equal(c, "");
		assert_int_equal(nlinks(f, b, CYBEX_INCIDENT_LINK_EVIDENCE),
		    2);
		assert_int_equal(cybex_store_incident_list(f->s, &flt,
		    count_cb, &n0.n, &page, &f->d), 0);
		assert_int_equal(n0.n, 3);
	}
	/* History kept: a's and b's chains tell the story. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(cybex_incident_timeline(f->s, a, tl_cb, &t, &f->d),
	    0);
	assert_string_equal(t.actions[t.n - 1], "merged");
	memset(&t, 0, sizeof(t));
	assert_int_equal(cybex_incident_timeline(f->s, b, tl_cb, &t, &f->d),
	    0);
	assert_string_equal(t.actions[t.n - 2], "merge");
	assert_string_equal(t.actions[t.n - 1], "split");
	/* What was split off can be merged back (derived-from, then
	 * duplicate-of the same incident). */
	assert_int_equal(cybex_incident_split(&f->c, b, &ev[1], 1, NULL, c,
	    &f->d), 0);
	assert_int_equal(cybex_incident_merge(&f->c, b, c, &f->d), 0);
	assert_int_equal(nlinks(f, b, CYBEX_INCIDENT_LINK_EVIDENCE), 2);
	assert_int_equal(cybex_incident_get(f->s, c, &inc, &f->d), 0);
	assert_int_equal(inc->status, CYBEX_INCIDENT_CLOSED);
	assert_string_equal(inc->duplicate_of, b);
	cybex_incident_free(inc);
}

/* An incident opened with its evidence: one version, one transaction. */
static void
test_new_with_evidence(void **state)
{
	static const char *const ev[2] = {
		"x-cybex-alert--6a1f0c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
		"sighting--1b1a0f4e-0a8e-4f0c-9d3e-3c1b2a4d5e6f",
	};
	static const char *const bad[2] = {
		"indicator--2c2b1a5f-1b9f-4a1d-8e4f-4d2c3b5e6f70", "nonsense",
	};
	struct fx *f = *state;
	struct cybex_incident_spec sp;
	struct cybex_incident_filter flt;
	struct cybex_page page;
	struct tl t;
	char id[CYBEX_INCIDENT_ID_MAX];
	size_t n = 0;

	memset(&sp, 0, sizeof(sp));
	sp.title = "Escalated alert";
	sp.evidence = ev;
	sp.nevidence = 2;
	assert_int_equal(cybex_incident_new(&f->c, &sp, id, &f->d), 0);
	assert_int_equal(nlinks(f, id, CYBEX_INCIDENT_LINK_EVIDENCE), 2);
	memset(&t, 0, sizeof(t));
	assert_int_equal(cybex_incident_timeline(f->s, id, tl_cb, &t, &f->d),
	    0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.actions[0], "created");
	/* A bad reference: no incident at all. */
	sp.evidence = bad;
	assert_int_equal(cybex_incident_new(&f->c, &sp, id, &f->d),
	    CYBEX_EINVAL);
	assert_string_equal(id, "");
	memset(&flt, 0, sizeof(flt));
	assert_int_equal(cybex_store_incident_list(f->s, &flt, count_cb, &n,
	    &page, &f->d), 0);
	assert_int_equal(n, 1);
}

struct ls {
	size_t		 n;
	int64_t		 last_seq;
	bool		 desc;
};

static int
ls_cb(void *ud, const struct cybex_incident_row *r)
{
	struct ls *l = ud;

	if (l->n > 0 && r->seq >= l->last_seq)
		l->desc = false;
	l->last_seq = r->seq;
	l->n++;
	return 0;
}

static void
test_list_keyset(void **state)
{
	struct fx *f = *state;
	struct cybex_incident_filter flt;
	struct cybex_incident_change ch;
	struct cybex_page page;
	struct ls l;
	char id[CYBEX_INCIDENT_ID_MAX], title[32], tok[64];
	int i, pages = 0;

	for (i = 0; i < 25; i++) {
		snprintf(title, sizeof(title), "Event %02d%s", i, i % 5 == 0 ?
		    " ransomware" : "");
		mk(f, title, 1 + i % 4, id);
		if (i % 3 == 0) {
			memset(&ch, 0, sizeof(ch));
			ch.set = CYBEX_INCIDENT_SET_ASSIGNEE |
			    CYBEX_INCIDENT_SET_ORG;
			ch.assignee = "bob";
			ch.org = "acme";
			assert_int_equal(cybex_incident_update(&f->c, id, NULL,
			    &ch, NULL, &f->d), 0);
		}
	}
	memset(&flt, 0, sizeof(flt));
	memset(&l, 0, sizeof(l));
	l.desc = true;
	flt.limit = 10;
	do {
		assert_int_equal(cybex_store_incident_list(f->s, &flt, ls_cb,
		    &l, &page, &f->d), 0);
		pages++;
		snprintf(tok, sizeof(tok), "%s", page.next);
		flt.next = page.more ? tok : NULL;
	} while (flt.next != NULL);
	assert_int_equal(l.n, 25);
	assert_int_equal(pages, 3);
	assert_true(l.desc);
	memset(&flt, 0, sizeof(flt));
	memset(&l, 0, sizeof(l));
	flt.assignee = "bob";
	flt.org = "acme";
	assert_int_equal(cybex_store_incident_list(f->s, &flt, ls_cb, &l,
	    &page, &f->d), 0);
	assert_int_equal(l.n, 9);
	memset(&flt, 0, sizeof(flt));
	memset(&l, 0, sizeof(l));
	flt.text = "RANSOM";
	flt.severity = 1;
	assert_int_equal(cybex_store_incident_list(f->s, &flt, ls_cb, &l,
	    &page, &f->d), 0);
	assert_int_equal(l.n, 2);	/* 0, 20 (5, 15 are severity 2, 4) */
	flt.next = "bogus";
	assert_int_equal(cybex_store_incident_list(f->s, &flt, ls_cb, &l,
	    &page, &f->d), CYBEX_EINVAL);
}

static void
test_export_tlp(void **state)
{
	struct fx *f = *state;
	struct cybex_incident_spec sp;
	struct cybex_incident_change ch;
	struct cybex_buf b;
	json_t *bundle, *o;
	char id[CYBEX_INCIDENT_ID_MAX];
	size_t i, withheld = 9;
	bool ext = false, note = false, marking = false;

	memset(&sp, 0, sizeof(sp));
	sp.title = "Data leak";
	sp.tlp = CYBEX_TLP_GREEN;
	assert_int_equal(cybex_incident_new(&f->c, &sp, id, &f->d), 0);
	assert_int_equal(cybex_incident_note(&f->c, id, NULL, "leak on paste "
	    "site", NULL, &f->d), 0);
	cybex_buf_init(&b, 0);
	assert_int_equal(cybex_incident_export(f->s, id, CYBEX_TLP_GREEN, &b,
	    &withheld, &f->d), 0);
	assert_int_equal(withheld, 0);
	assert_non_null(bundle = json_loadb(b.data, b.len, 0, NULL));
	assert_int_equal(cybex_stix_validate(bundle, NULL, NULL, NULL, NULL,
	    NULL), 0);
	json_array_foreach(json_object_get(bundle, "objects"), i, o) {
		const char *oid = json_string_value(json_object_get(o, "id"));

		if (strcmp(oid, CYBEX_INCIDENT_EXT_CORE) == 0)
			ext = true;
		if (strncmp(oid, "note--", 6) == 0)
			note = true;
		if (strcmp(oid, "marking-definition--bab4a63c-aed9-4cf5-a766-"
		    "dfca5abac2bb") == 0)
			marking = true;
	}
	assert_true(ext && note && marking);
	json_decref(bundle);
	/* Raised to RED: a GREEN audience gets nothing. */
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_TLP;
	ch.tlp = CYBEX_TLP_RED;
	assert_int_equal(cybex_incident_update(&f->c, id, NULL, &ch, NULL,
	    &f->d), 0);
	cybex_buf_reset(&b);
	assert_int_equal(cybex_incident_export(f->s, id, CYBEX_TLP_GREEN, &b,
	    NULL, &f->d), CYBEX_EPOLICY);
	assert_int_equal(b.len, 0);
	cybex_buf_free(&b);
}

/* Whatever classification the detectors give an alert is RSIT here. */
static void
test_taxonomy_detect(void **state)
{
	const char *cls, *type;
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		cybex_detect_coop_taxonomy(i, &cls, &type);
		assert_int_equal(cybex_incident_classification_check(cls, type,
		    NULL), 0);
	}
	assert_int_equal(cybex_incident_classification_check("intrusions",
	    "burglary", NULL), 0);
	assert_int_equal(cybex_incident_classification_check("intrusion",
	    "burglary", NULL), CYBEX_EINVAL);
}

static void
test_sla(void **state)
{
	struct fx *f = *state;
	struct cybex_incident_sla sla;
	struct cybex_incident *inc = NULL;
	struct cybex_incident_change ch;
	char id[CYBEX_INCIDENT_ID_MAX];

	assert_int_equal(cybex_incident_sla_default(4, &sla), 0);
	assert_int_equal(sla.triage_us, 15 * MIN);
	assert_int_equal(sla.contain_us, 4 * 60 * MIN);
	assert_int_equal(cybex_incident_sla_default(5, &sla), CYBEX_EINVAL);
	mk(f, "Outage", 1, id);
	memset(&ch, 0, sizeof(ch));
	ch.set = CYBEX_INCIDENT_SET_SEVERITY;
	ch.severity = 4;
	assert_int_equal(cybex_incident_update(&f->c, id, NULL, &ch, NULL,
	    &f->d), 0);
	assert_int_equal(cybex_incident_get(f->s, id, &inc, &f->d), 0);
	assert_int_equal(inc->triage_due_us, inc->created_us + 15 * MIN);
	assert_int_equal(inc->contain_due_us, inc->created_us + 240 * MIN);
	assert_int_equal(inc->priority, 4);	/* severity 1 gave P4 */
	cybex_incident_free(inc);
}

/* The shipped Incident Core definition is OASIS's object, unchanged. */
static void
test_extension_definitions(void **state)
{
	char path[4096], *text;
	json_t *file, *ours, *wf;
	size_t len;

	(void)state;
	assert_non_null(getenv("CYBEX_TESTDATA"));
	snprintf(path, sizeof(path), "%s/incident/extension-definition--"
	    "ef765651-680c-498d-9894-99799f2fa126.json",
	    getenv("CYBEX_TESTDATA"));
	assert_non_null(text = tu_read_file(path, &len));
	assert_non_null(file = json_loadb(text, len, 0, NULL));
	assert_non_null(ours = json_loads(cybex_incident_ext_core_json(), 0,
	    NULL));
	assert_true(json_equal(json_array_get(json_object_get(file,
	    "objects"), 0), ours));
	assert_int_equal(cybex_stix_validate(ours, NULL, NULL, NULL, NULL,
	    NULL), 0);
	assert_non_null(wf = json_loads(cybex_incident_ext_workflow_json(), 0,
	    NULL));
	assert_int_equal(cybex_stix_validate(wf, NULL, NULL, NULL, NULL,
	    NULL), 0);
	assert_string_equal(json_string_value(json_object_get(wf,
	    "created_by_ref")), CYBEX_INCIDENT_IDENTITY);
	json_decref(wf);
	json_decref(ours);
	json_decref(file);
	free(text);
}

/* Each change leaves one audit entry, in its transaction. */
static void
test_audit(void **state)
{
	struct cybex_incident_spec sp;
	struct cybex_incident_ctx c;
	struct cybex_store *s = NULL;
	struct cybex_diag d;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char dir[] = "/tmp/cybex-incident-XXXXXX", path[64];
	char id[CYBEX_INCIDENT_ID_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/db", dir);
	assert_int_equal(cybex_store_open(path, 0, &s, &d), 0);
	memset(&c, 0, sizeof(c));
	c.store = s;
	c.actor = "carol";
	memset(&sp, 0, sizeof(sp));
	sp.title = "Defacement";
	sp.class = "information-content-security";
	sp.type = "unauthorised-information-modification";
	assert_int_equal(cybex_incident_new(&c, &sp, id, &d), 0);
	assert_int_equal(cybex_incident_note(&c, id, NULL, "index.html "
	    "replaced", NULL, &d), 0);
	/* Refused: no entry. */
	assert_int_equal(cybex_incident_note(&c, id, "2000-01-01T00:00:00Z",
	    "stale", NULL, &d), CYBEX_ECONFLICT);
	cybex_store_close(s);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT actor, action, target "
	    "FROM audit WHERE action LIKE 'incident-%' ORDER BY rowid", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "carol");
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
	    "incident-created");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
	    "incident-note");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path);
	snprintf(path, sizeof(path), "%s/db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/db-shm", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
#define T(t)	cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine_table),
		T(test_lifecycle_rules),
		T(test_concurrency),
		T(test_timeline_order),
		T(test_merge_split),
		T(test_new_with_evidence),
		T(test_list_keyset),
		T(test_export_tlp),
		cmocka_unit_test(test_taxonomy_detect),
		T(test_sla),
		cmocka_unit_test(test_extension_definitions),
		cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
