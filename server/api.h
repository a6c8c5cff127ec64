/* Helpers shared by the TAXII handlers (api_taxii.c, api_objects.c). */
#ifndef CYBEX_SERVER_API_H
#define CYBEX_SERVER_API_H

#include "server.h"

#define NEED_READ	0x1
#define NEED_WRITE	0x2

/* Reply with j as TAXII JSON (takes j). */
enum MHD_Result	 reply_json(struct req *r, unsigned status, json_t *j);
/* Load an API root; on failure the reply is queued and *mr set. */
bool	 load_root(struct req *r, const char *root, struct cybex_api_root *ar,
	    enum MHD_Result *mr);
/*
 * Load collection coll of root and check the caller's access: 404 when
 * none at all, 403 when not what need asks.
 */
bool	 load_collection(struct req *r, const char *root, const char *coll,
	    unsigned need, struct cybex_collection *c, bool *can_read,
	    bool *can_write, enum MHD_Result *mr);
/* A collection resource (media types split in r's arena). */
json_t	*collection_json(struct req *r, const struct cybex_collection *c,
	    bool can_read, bool can_write);
/* The status resource as TAXII JSON. */
json_t	*status_json(const struct cybex_status *st);

#endif
