/*
 * What the `cybex serve` command (cli/cmd_serve.c) needs of the server:
 * its settings (config.h), a check of them, and the run loop.  The CLI
 * includes this header only; the rest of server/ is internal to it.
 */
#ifndef CYBEX_SERVER_SERVE_H
#define CYBEX_SERVER_SERVE_H

#include "cybex/core.h"
#include "config.h"

/*
 * Check a configuration as the server's start would (address, TLS pair,
 * sizes): 0, or a CYBEX_E* code with d saying which setting and why.
 */
int	 srv_check(const struct srv_config *c, struct cybex_diag *d);

/*
 * Open the store at dsn, start listening and serve until SIGTERM or
 * SIGINT: 0 on a clean stop.
 */
int	 serve_run(struct srv_config *cfg, const char *dsn);

#endif /* CYBEX_SERVER_SERVE_H */
