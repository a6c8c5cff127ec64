/*
 * Web defacement: a page checker reports the content hash of monitored
 * pages (CYBEX_OBS_PAGE); a hash other than the expected one is an
 * unauthorised modification.
 *
 * A page listed with a hash (monitored_page = URL HASH) is compared with
 * that hash on every check, so a defaced page keeps alerting once per
 * quiet period until it is restored.  A page listed without a hash, or
 * any page the checker reports when defacement_learn_unlisted is set,
 * learns its first hash; a change alerts once and the new hash becomes
 * the expected one (a legitimate edit raises one alert, not one per
 * check).  Learned hashes live in a capped table (defacement_pages).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect_int.h"

#define HASH_MAX	128

struct page_cfg {
	char		*url;
	char		*hash;		/* NULL: learn */
};

struct dt_page_cfg {
	struct page_cfg	*p;
	size_t		 n;
};

struct page_state {
	char		 hash[HASH_MAX + 1];
	uint32_t	 checks, changes;
	int64_t		 first_us;
};

static int
cmp_page(const void *a, const void *b)
{
	return strcmp(((const struct page_cfg *)a)->url,
	    ((const struct page_cfg *)b)->url);
}

int
dt_page_init(struct cybex_detect *dt, struct cybex_diag *d)
{
	const struct cybex_setting_list *l = &dt->cfg->monitored_page;
	size_t cap = (size_t)dt->cfg->defacement_pages, i;
	struct dt_page_cfg *pc;
	char *sp;

	(void)d;
	if ((pc = dt->pages = cybex_calloc(1, sizeof(*pc))) == NULL ||
	    (pc->p = cybex_calloc(l->n ? l->n : 1, sizeof(*pc->p))) == NULL)
		return CYBEX_ENOMEM;
	dt->memory += sizeof(*pc) + (l->n ? l->n : 1) * sizeof(*pc->p);
	for (i = 0; i < l->n; i++) {
		/* "URL[ HASH]" (checked when set). */
		if ((pc->p[i].url = cybex_strdup(l->v[i])) == NULL)
			return CYBEX_ENOMEM;
		pc->n++;
		dt->memory += strlen(l->v[i]) + 1;
		if ((sp = strchr(pc->p[i].url, ' ')) != NULL) {
			*sp = '\0';
			pc->p[i].hash = sp + 1;
		}
	}
	qsort(pc->p, pc->n, sizeof(*pc->p), cmp_page);
	return dt_table_alloc(dt, &dt->page, cap, sizeof(struct page_state));
}

void
dt_page_fini(struct cybex_detect *dt)
{
	size_t i;

	if (dt->pages != NULL) {
		for (i = 0; i < dt->pages->n; i++)
			cybex_free(dt->pages->p[i].url);
		cybex_free(dt->pages->p);
		cybex_free(dt->pages);
		dt->pages = NULL;
	}
	dt_table_fini(&dt->page);
}

/* The host of an http(s) URL into out ("" if none). */
static void
url_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return;
	p += 3;
	n = strcspn(p, ":/?#");
	if (n == 0 || n >= outsz)
		return;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int
raise_page(struct cybex_detect *dt, const struct cybex_obs *o,
    const char *expected, const char *observed, bool configured,
    const struct page_state *st, cybex_alert_fn fn, void *ud)
{
	struct dt_alert x;
	char host[256];

	dt_alert_init(&x, "defacement", "information-content-security",
	    "unauthorised-information-modification", 3);
	dt_alert_from(dt, &x, o);
	dt_alert_key(&x, "defacement|%s", o->url);
	dt_alert_summary(&x, "content hash %.16s... is not the %s %.16s... of "
	    "%s", observed, configured ? "expected" : "learned", expected,
	    o->url);
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "url", o->url);
	url_host(o->url, host, sizeof(host));
	(void)dt_alert_party(&x, CYBEX_PARTY_VICTIM, "domain-name", host);
	x.a.count = 1;
	if (st != NULL)
		x.a.first_seen_us = st->first_us;
	x.a.evidence = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s?, s:I}",
	    "url", o->url, "expected", expected, "observed", observed,
	    "expected_from", configured ? "configured" : "learned",
	    "checks", (json_int_t)(st != NULL ? st->checks : 0),
	    "changes", (json_int_t)(st != NULL ? st->changes : 0),
	    "checker", o->sensor,
	    "http_status", (json_int_t)o->http_status);
	return dt_emit(dt, &x, fn, ud);
}

int
dt_page_observe(struct cybex_detect *dt, const struct cybex_obs *o,
    cybex_alert_fn fn, void *ud)
{
	const struct page_cfg *pc = NULL;
	struct page_cfg key;
	struct page_state *st;
	struct dt_kb kb;
	struct dt_key k;
	char h[HASH_MAX + 1], old[HASH_MAX + 1];
	size_t n, i;
	const char *ph;
	bool created;
	int r;

	if (o->url == NULL || (ph = o->page_hash) == NULL)
		return 0;
	if (strrchr(ph, ':') != NULL)		/* "sha256:..." */
		ph = strrchr(ph, ':') + 1;
	n = strlen(ph);
	if (n == 0 || n > HASH_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		/* Hex or base64-ish digits; anything else is not a hash. */
		if (!isalnum((unsigned char)ph[i]))
			return 0;
		h[i] = (char)tolower((unsigned char)ph[i]);
	}
	h[n] = '\0';
	key.url = (char *)(uintptr_t)o->url;
	if (dt->pages->n > 0)
		pc = bsearch(&key, dt->pages->p, dt->pages->n,
		    sizeof(*dt->pages->p), cmp_page);
	if (pc == NULL && !dt->cfg->defacement_learn_unlisted)
		return 0;
	dt_kb_init(&kb, 'W');
	dt_kb_str(&kb, o->url);
	dt_kb_hash(&kb, &dt->h, &k);
	if ((st = dt_table_get(&dt->page, &k, dt->now, &created)) == NULL)
		return 0;
	if (created)
		st->first_us = dt->now;
	if (st->checks < UINT32_MAX)
		st->checks++;
	if (pc != NULL && pc->hash != NULL) {
		if (strcmp(h, pc->hash) == 0)
			return 0;
		if (st->changes < UINT32_MAX)
			st->changes++;
		return raise_page(dt, o, pc->hash, h, true, st, fn, ud);
	}
	if (st->hash[0] == '\0') {
		memcpy(st->hash, h, n + 1);
		return 0;
	}
	if (strcmp(st->hash, h) == 0)
		return 0;
	memcpy(old, st->hash, sizeof(old));
	memcpy(st->hash, h, n + 1);
	if (st->changes < UINT32_MAX)
		st->changes++;
	r = raise_page(dt, o, old, h, false, st, fn, ud);
	return r;
}
