/*
 * The store contract: one cmocka suite that every backend of
 * include/cybex/store.h must pass unchanged.  A backend's test program
 * describes how to make a fresh, empty database (a DSN factory) and calls
 * store_contract_run(); every test case gets its own database.
 */
#ifndef CYBEX_STORE_CONTRACT_H
#define CYBEX_STORE_CONTRACT_H

#include <stddef.h>

#define STORE_CONTRACT_DSN_MAX	1024

struct store_contract_backend {
	const char	*name;		/* "sqlite", "postgresql" */
	/*
	 * Make a new, empty database (nothing in it yet: cybex_store_open
	 * creates the schema) and write its DSN into dsn[dsnsz].  0 on
	 * success.
	 */
	int		(*create)(void *ud, char *dsn, size_t dsnsz);
	/* Remove what create made; the store is closed.  NULL-safe dsn. */
	void		(*destroy)(void *ud, const char *dsn);
	/*
	 * Mark the (closed) database as written by a newer cybex: set its
	 * schema version to version behind cybex's back.  0 on success; NULL
	 * skips the test.
	 */
	int		(*set_schema_version)(void *ud, const char *dsn,
			    int version);
	void		*ud;
};

/*
 * Run every contract test against b, then the backend's own extra[nextra]
 * (in the same TAP stream: one plan); returns the number of failed tests,
 * so main() can return it.  cmocka.h must be included before this file.
 */
int	store_contract_run(const struct store_contract_backend *b,
	    const struct CMUnitTest *extra, size_t nextra);

#endif
