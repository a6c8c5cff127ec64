/* What the detector tests share: an alert recorder and a feeding loop. */
#ifndef CYBEX_TEST_DTEST_H
#define CYBEX_TEST_DTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cybex/detect.h"
#include "gen.h"

#define REC_MAX		512
#define REC_PARTIES	CYBEX_ALERT_PARTIES_MAX

struct rec_party {
	int		 role;
	char		 kind[32];
	char		 value[256];
};

struct rec_alert {
	char		 detector[16];
	char		 cls[48], type[48];
	char		 key[512];
	char		 summary[512];
	char		 org[64];
	int		 severity;
	uint64_t	 count;
	int64_t		 first_us, last_us;
	size_t		 n_parties;
	struct rec_party p[REC_PARTIES];
	json_t		*evidence;
};

/* Every alert raised (the first REC_MAX kept whole); updates (the running
 * totals of a key within its quiet period) counted apart, the last kept. */
struct rec {
	uint64_t	 updates;
	struct rec_alert upd;
	uint64_t	 total;
	size_t		 n;
	struct rec_alert *a;		/* REC_MAX, malloc'd */
};

void	 rec_init(struct rec *r);
void	 rec_free(struct rec *r);
void	 rec_clear(struct rec *r);
int	 rec_fn(void *ud, const struct cybex_alert *a);
/* The first alert of detector (and type, if not NULL). */
const struct rec_alert *rec_find(const struct rec *r, const char *detector,
	    const char *type);
size_t	 rec_count(const struct rec *r, const char *detector);
bool	 rec_party(const struct rec_alert *a, int role, const char *kind,
	    const char *value);
void	 rec_dump(const struct rec *r);

/* A detector with GEN_PROTECTED and extra settings (fails the test on
 * error). */
struct cybex_detect *dt_make(const char *extra);
/*
 * n normal observations with the attacks interleaved; alerts to r.
 * Attacks that are still running when n are reached are run to their end
 * with normal traffic going on.
 */
void	 dt_feed(struct cybex_detect *dt, struct gen *g, uint64_t n,
	    struct gen_atk *atk, size_t natk, struct rec *r);

#endif
