/*
 * What the server remembers per client address: open connections (the
 * 429 answer past --max-connections-per-ip) and failed sign-ins in the
 * current window (the 429 answer past --auth-fail-limit).
 *
 * The table is bounded: it holds at most `cap` addresses.  When it is
 * full, a new address takes the place of the least recently seen address
 * that has no open connection, so a table filled by many addresses (one
 * bad token each) still counts, and limits, every new address.  An
 * address with open connections is never evicted (its count would be
 * lost); the caller sizes the table above the connection limit.  Only
 * when every entry has open connections does a new address go uncounted
 * (ips_add and ips_fail then return 0).
 *
 * Thread-safe.  Times are whole seconds of a clock the caller chooses
 * (the server: CLOCK_MONOTONIC; tests: a fake one).  Addresses are text,
 * at most IPS_ADDR_MAX - 1 bytes (longer ones are cut).
 */
#ifndef CYBEX_SERVER_IPS_H
#define CYBEX_SERVER_IPS_H

#include <stddef.h>
#include <stdint.h>

#define IPS_ADDR_MAX	64

struct ip_table;

/* A table of at most cap addresses (cap >= 1).  CYBEX_ENOMEM. */
int	 ips_new(size_t cap, struct ip_table **out);
void	 ips_free(struct ip_table *t);
/*
 * Count a connection from addr in (delta 1) or out (-1); 0 only reads.
 * Returns the connections now counted for addr.
 */
unsigned ips_add(struct ip_table *t, const char *addr, int delta,
	    int64_t now);
/*
 * Failed sign-ins from addr in its current window of window_s seconds
 * (a window starts at the first failure after the last one ended):
 * delta 1 counts one more, 0 only reads.  Returns the count.
 */
unsigned ips_fail(struct ip_table *t, const char *addr, int delta,
	    unsigned window_s, int64_t now);
/* Addresses held now (at most cap). */
size_t	 ips_count(struct ip_table *t);

#endif /* CYBEX_SERVER_IPS_H */
