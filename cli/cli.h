/* The cybex command-line program: one file per subcommand. */
#ifndef CYBEX_CLI_H
#define CYBEX_CLI_H

#include <stdio.h>

/* Exit statuses scripts rely on (documented in docs/cybex.1.md). */
#define EXIT_VALID	0
#define EXIT_INVALID	1	/* input read fine but is not valid */
#define EXIT_TROUBLE	2	/* unreadable, not JSON, or bad usage */

struct cli_cmd {
	const char	*name;
	const char	*summary;
	int		(*run)(int argc, char **argv);
	void		(*usage)(FILE *f);
};

int	cmd_validate(int argc, char **argv);
void	cmd_validate_usage(FILE *f);

/* Parse a size like "16M", "512k", "1G" or bytes; -1 on error. */
long long cli_parse_size(const char *s);

#endif
