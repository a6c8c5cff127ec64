/*
 * Generators of realistic sensor records for the ingest and pipeline
 * benchmarks: Suricata EVE lines in a typical mix and sshd syslog lines
 * (mostly normal logins, some brute force).  Deterministic for a seed.
 */
#ifndef CYBEX_BENCH_INGEST_GEN_H
#define CYBEX_BENCH_INGEST_GEN_H

#include <stddef.h>
#include <stdint.h>

struct bench_gen {
	uint64_t	 state;		/* xorshift64* */
	unsigned long	 n;		/* records made */
	int64_t		 t_us;		/* time of the last record */
	/* sshd: a brute-force burst in progress */
	unsigned	 burst_left;
	uint32_t	 attacker;
	unsigned	 burst_port;
};

/* Start a generator; the same seed gives the same records. */
void	bench_gen_init(struct bench_gen *g, uint64_t seed);

/*
 * One EVE line (no newline) into buf[0..sz): about 40% flow, 20% dns, 15%
 * http, 10% tls, 5% alert, and fileinfo, smtp and anomaly for the rest.
 * Returns its length, or 0 if sz is too small (1024 is always enough).
 */
size_t	bench_gen_eve_line(struct bench_gen *g, char *buf, size_t sz);

/*
 * One sshd syslog line (RFC 3164 header, no newline): logins with keys
 * and passwords, sessions, disconnects, and now and then a burst of
 * failed passwords and invalid users from one address.
 */
size_t	bench_gen_sshd_line(struct bench_gen *g, char *buf, size_t sz);

/*
 * Write n lines of kind "eve" or "sshd" to path.  0, or -1 with errno
 * (EINVAL for an unknown kind).
 */
int	bench_gen_file(const char *path, const char *kind, unsigned long n,
	    uint64_t seed);

#endif
