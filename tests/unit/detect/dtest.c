/* The detector tests' recorder and feeding loop (dtest.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dtest.h"

static void
cpy(char *out, const char *s, size_t outsz)
{
	snprintf(out, outsz, "%s", s != NULL ? s : "");
}

void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->a = calloc(REC_MAX, sizeof(*r->a));
	assert_non_null(r->a);
}

void
rec_clear(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		json_decref(r->a[i].evidence);
	memset(r->a, 0, REC_MAX * sizeof(*r->a));
	json_decref(r->upd.evidence);
	memset(&r->upd, 0, sizeof(r->upd));
	r->n = 0;
	r->total = 0;
	r->updates = 0;
}

void
rec_free(struct rec *r)
{
	rec_clear(r);
	free(r->a);
	r->a = NULL;
}

int
rec_fn(void *ud, const struct cybex_alert *a)
{
	struct rec *r = ud;
	struct rec_alert *x;
	size_t i;

	/* What every alert must have. */
	assert_non_null(a->detector);
	assert_non_null(a->taxonomy_class);
	assert_non_null(a->taxonomy_type);
	assert_non_null(a->key);
	assert_non_null(a->summary);
	assert_non_null(a->evidence);
	assert_true(json_is_object(a->evidence));
	assert_true(a->severity >= 1 && a->severity <= 4);
	assert_true(a->first_seen_us <= a->last_seen_us);
	assert_true(a->n_parties <= CYBEX_ALERT_PARTIES_MAX);
	if (a->update) {
		r->updates++;
		x = &r->upd;
		json_decref(x->evidence);
	} else {
		r->total++;
		if (r->n >= REC_MAX)
			return 0;
		x = &r->a[r->n++];
	}
	cpy(x->detector, a->detector, sizeof(x->detector));
	cpy(x->cls, a->taxonomy_class, sizeof(x->cls));
	cpy(x->type, a->taxonomy_type, sizeof(x->type));
	cpy(x->key, a->key, sizeof(x->key));
	cpy(x->summary, a->summary, sizeof(x->summary));
	cpy(x->org, a->org, sizeof(x->org));
	x->severity = a->severity;
	x->count = a->count;
	x->first_us = a->first_seen_us;
	x->last_us = a->last_seen_us;
	x->n_parties = a->n_parties;
	for (i = 0; i < a->n_parties; i++) {
		assert_non_null(a->parties[i].kind);
		assert_non_null(a->parties[i].value);
		x->p[i].role = (int)a->parties[i].role;
		cpy(x->p[i].kind, a->parties[i].kind, sizeof(x->p[i].kind));
		cpy(x->p[i].value, a->parties[i].value, sizeof(x->p[i].value));
	}
	x->evidence = json_incref(a->evidence);
	return 0;
}

const struct rec_alert *
rec_find(const struct rec *r, const char *detector, const char *type)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->a[i].detector, detector) == 0 &&
		    (type == NULL || strcmp(r->a[i].type, type) == 0))
			return &r->a[i];
	return NULL;
}

size_t
rec_count(const struct rec *r, const char *detector)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->a[i].detector, detector) == 0)
			n++;
	return n;
}

bool
rec_party(const struct rec_alert *a, int role, const char *kind,
    const char *value)
{
	size_t i;

	for (i = 0; i < a->n_parties; i++)
		if (a->p[i].role == role && strcmp(a->p[i].kind, kind) == 0 &&
		    strcmp(a->p[i].value, value) == 0)
			return true;
	return false;
}

void
rec_dump(const struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		printf("# alert %s %s/%s key=%s: %s\n", r->a[i].detector,
		    r->a[i].cls, r->a[i].type, r->a[i].key, r->a[i].summary);
}

struct cybex_detect *
dt_make(const char *extra)
{
	struct cybex_detect_config *c;
	struct cybex_detect *dt;
	struct cybex_diag d;
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", GEN_PROTECTED,
	    extra != NULL ? extra : "");
	assert_int_equal(cybex_detect_config_new(&c), 0);
	if (cybex_detect_config_parse(c, text, strlen(text), &d) != 0)
		fail_msg("settings line %lu: %s", d.line, d.message);
	if (cybex_detect_new(c, &dt, &d) != 0)
		fail_msg("cybex_detect_new: %s", d.message);
	cybex_detect_config_free(c);
	return dt;
}

void
dt_feed(struct cybex_detect *dt, struct gen *g, uint64_t n,
    struct gen_atk *atk, size_t natk, struct rec *r)
{
	const struct cybex_obs *o;
	uint64_t i;
	size_t k;
	bool busy;

	for (i = 0;; i++) {
		busy = false;
		for (k = 0; k < natk; k++) {
			while ((o = gen_attack_next(g, &atk[k])) != NULL)
				assert_int_equal(cybex_detect_observe(dt, o,
				    rec_fn, r), 0);
			if (atk[k].left > 0)
				busy = true;
		}
		if (i >= n && !busy)
			break;
		o = gen_normal(g);
		assert_int_equal(cybex_detect_observe(dt, o, rec_fn, r), 0);
	}
}
