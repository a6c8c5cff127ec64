/*
 * CYBEX_E* code -> HTTP status, title and whether to send Retry-After.
 * A client's mistake is a 4xx whose detail may quote the diagnostic; the
 * server's trouble is a 5xx whose detail stays generic (the log has the
 * diagnostic).  CYBEX_EBUSY alone asks the client to come back.
 */
#include <stddef.h>

#include "cybex/core.h"

#include "errors.h"

static const struct http_error table[] = {
	{ CYBEX_EINTERNAL,	500, "Internal Server Error",	false },
	{ CYBEX_ENOMEM,		500, "Internal Server Error",	false },
	{ CYBEX_EINVAL,		400, "Bad Request",		false },
	{ CYBEX_ETOOBIG,	413, "Payload Too Large",	false },
	{ CYBEX_EIO,		500, "Internal Server Error",	false },
	{ CYBEX_EJSON,		400, "Bad Request",		false },
	{ CYBEX_ESTIX,		400, "Bad Request",		false },
	{ CYBEX_ENOTFOUND,	404, "Not Found",		false },
	{ CYBEX_EFORMAT,	400, "Bad Request",		false },
	{ CYBEX_ECRYPTO,	500, "Internal Server Error",	false },
	{ CYBEX_ECONFLICT,	409, "Conflict",		false },
	{ CYBEX_EDB,		500, "Internal Server Error",	false },
	{ CYBEX_EVERSION,	500, "Internal Server Error",	false },
	{ CYBEX_EEXIST,		409, "Conflict",		false },
	{ CYBEX_EPOLICY,	403, "Forbidden",		false },
	{ CYBEX_EBUSY,		503, "Service Unavailable",	true },
	{ CYBEX_ENOSPC,		507, "Insufficient Storage",	false },
};

const struct http_error *
http_error_find(int code)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].code == code)
			return &table[i];
	return NULL;
}

const struct http_error *
http_error_of(int code)
{
	const struct http_error *e = http_error_find(code);

	return e != NULL ? e : http_error_find(CYBEX_EINTERNAL);
}
