/*
 * GET /api/v1/openapi.json: the OpenAPI 3.1 description of the REST API,
 * docs/api/openapi.json as it was when the server was built (embedded by
 * server/embed.py).  Served to every signed-in caller: it describes the
 * routes, not the data.
 */
#include <stddef.h>

#include "server.h"

extern const char cybex_openapi_json[];
extern const size_t cybex_openapi_json_len;

enum MHD_Result
api_openapi(struct req *r)
{
	return reply(r, 200, "application/json", cybex_openapi_json,
	    cybex_openapi_json_len);
}
