/*
 * A deterministic traffic generator for the detector tests and the
 * benchmark: normal traffic of a small constituency (web browsing, DNS,
 * mail, logins with typos, servers under a high but steady load, page
 * checks, feed entries) and attacks for each detector, as struct
 * cybex_obs, from a seeded PRNG.
 *
 * Addresses: clients 10.1.0.0/16, admins 10.2.0.0/24, the constituency's
 * servers 10.0.0.10-12 (web) and 10.0.0.25 (mail), the resolver
 * 10.0.0.53; popular external servers and senders in 100.64.0.0/10;
 * attackers in 198.51.100.0/24 and 203.0.113.0/24.
 */
#ifndef CYBEX_TEST_GEN_H
#define CYBEX_TEST_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "cybex/detect.h"

#define GEN_RATE	2000.0		/* normal observations per second */

/* What the settings of a test hub say (gen_config). */
#define GEN_PROTECTED \
	"home_net = 10.0.0.0/8\n" \
	"protected_domain = northbank.example\n" \
	"protected_domain = cityhealth.example\n" \
	"protected_domain = paypal.com\n" \
	"protected_domain = paypalobjects.com\n" \
	"protected_brand = paypal\n" \
	"known_address = www.northbank.example 192.0.2.10 192.0.2.11\n" \
	"known_address = login.northbank.example 192.0.2.12\n" \
	"monitored_page = https://www.northbank.example/ " GEN_PAGE_HASH "\n" \
	"hash_seed = 42\n"
#define GEN_PAGE_HASH \
	"5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

enum gen_attack {
	ATK_NONE = 0,
	ATK_SCAN,		/* horizontal scan of clients, port 445 */
	ATK_VSCAN,		/* vertical scan of one server's ports */
	ATK_BRUTE,		/* one source, 60 passwords, then a success */
	ATK_SPRAY,		/* 50 sources, one account */
	ATK_DDOS,		/* 400 sources flood 10.0.0.10 */
	ATK_BEACON,		/* 10.1.7.7 -> 203.0.113.50:443 every 60 s */
	ATK_PHISH,		/* DNS queries for look-alike names */
	ATK_PHARM,		/* a forged answer for www.northbank.example */
	ATK_DEFACE,		/* the checker reports a new hash */
	ATK_SPAM,		/* 10.1.9.9 mails 300 recipients */
	ATK_SPAMLISTED,		/* a listed relay sends mail */
};

struct gen_atk {
	enum gen_attack	 kind;
	int64_t		 next_us;
	uint64_t	 left;		/* observations still to send */
	uint64_t	 i;		/* sent so far */
	const char	*org;		/* NULL: the generator's org */
	uint32_t	 src;		/* attacker's address (v4, host order) */
};

struct gen {
	uint64_t	 rng;
	int64_t		 now;
	const char	*org;
	struct cybex_obs o;
	/* typo logins: a success due after a failure */
	int64_t		 pending_us;
	uint32_t	 pending_src, pending_user;
	char		 s_query[256], s_host[256], s_sni[256], s_from[256];
	char		 s_user[64], s_rcpt[16][128], s_url[256], s_hash[160];
	char		 s_listed[64], s_rrname[256];
};

void	gen_init(struct gen *g, uint64_t seed, int64_t start_us,
	    const char *org);
/* The next normal observation (time advances; valid until the next
 * call). */
const struct cybex_obs *gen_normal(struct gen *g);
/* Start an attack at now + delay_s. */
void	gen_attack(struct gen *g, struct gen_atk *a, enum gen_attack kind,
	    double delay_s);
/* The attack's next observation if it is due by g->now, else NULL. */
const struct cybex_obs *gen_attack_next(struct gen *g, struct gen_atk *a);

/* The names the phishing attack queries (NULL-terminated). */
extern const char *const gen_phish_names[];

uint64_t gen_rand(struct gen *g);
void	 gen_ip4(struct cybex_ip *ip, uint32_t a);

#endif
