/*
 * The one table from CYBEX_E* codes to HTTP answers, used by the TAXII
 * error messages and the REST API's RFC 9457 problem details alike
 * (http.c: reply_error, reply_diag).  Pure: no libmicrohttpd.
 */
#ifndef CYBEX_SERVER_ERRORS_H
#define CYBEX_SERVER_ERRORS_H

#include <stdbool.h>

struct http_error {
	int		 code;		/* CYBEX_E* */
	unsigned	 status;	/* HTTP status */
	const char	*title;		/* its reason phrase */
	bool		 retry_after;	/* the answer carries Retry-After */
};

/* The row of code, or NULL when the table has none (0, unknown codes). */
const struct http_error *http_error_find(int code);
/* The row of code; an unknown code gets CYBEX_EINTERNAL's (500). */
const struct http_error *http_error_of(int code);

#endif
