/*
 * TAXII 2.1 resources as JSON (OASIS TAXII 2.1, section 4 and 3.6): the
 * shapes the server answers and a client reads.  Each resource has a
 * struct, a _write that builds its JSON (a new reference in *out) and a
 * _read that checks and takes one apart.
 *
 * Reading: strings and borrowed json_t values point into the JSON that
 * was read (valid while it lives); arrays of pointers are allocated in
 * the arena.  A resource of the wrong shape is CYBEX_ESTIX with d naming
 * the member (d->pointer is its JSON pointer); CYBEX_ENOMEM otherwise.
 * Members a resource may have but that are absent read as NULL, 0 or
 * false; unknown members are ignored (TAXII 2.1 section 1.6.3).
 */
#ifndef CYBEX_TAXII_H
#define CYBEX_TAXII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cybex/core.h"

#define CYBEX_TAXII_MEDIA	"application/taxii+json;version=2.1"

/* Discovery (4.1). */
struct cybex_taxii_discovery {
	const char		*title;
	const char		*description;	/* may be NULL */
	const char		*contact;	/* may be NULL */
	const char		*default_root;	/* "default"; may be NULL */
	const char *const	*api_roots;	/* URLs */
	size_t			 napi_roots;
};
int	 cybex_taxii_discovery_write(const struct cybex_taxii_discovery *v,
	    json_t **out);
int	 cybex_taxii_discovery_read(const json_t *j, struct cybex_arena *a,
	    struct cybex_taxii_discovery *out, struct cybex_diag *d);

/* API root (4.2). */
struct cybex_taxii_api_root {
	const char		*title;
	const char		*description;	/* may be NULL */
	const char *const	*versions;
	size_t			 nversions;
	int64_t			 max_content_length;
};
int	 cybex_taxii_api_root_write(const struct cybex_taxii_api_root *v,
	    json_t **out);
int	 cybex_taxii_api_root_read(const json_t *j, struct cybex_arena *a,
	    struct cybex_taxii_api_root *out, struct cybex_diag *d);

/* A collection (5.2). */
struct cybex_taxii_collection {
	const char		*id;
	const char		*title;
	const char		*description;	/* may be NULL */
	const char		*alias;		/* may be NULL */
	bool			 can_read;
	bool			 can_write;
	const char *const	*media_types;
	size_t			 nmedia_types;
};
int	 cybex_taxii_collection_write(const struct cybex_taxii_collection *v,
	    json_t **out);
int	 cybex_taxii_collection_read(const json_t *j, struct cybex_arena *a,
	    struct cybex_taxii_collection *out, struct cybex_diag *d);
/*
 * Split a comma-separated list of media types ("a,b") into an arena
 * array (the form of struct cybex_collection's media_types); NULL or ""
 * is the STIX 2.1 media type alone.
 */
int	 cybex_taxii_media_types_split(const char *list, struct cybex_arena *a,
	    const char *const **out, size_t *n);
/*
 * The collections resource (5.1) around list, an array of collection
 * objects (taken, also on failure): {} when it is empty.
 */
int	 cybex_taxii_collections_write(json_t *list, json_t **out);
int	 cybex_taxii_collections_read(const json_t *j, struct cybex_arena *a,
	    struct cybex_taxii_collection **out, size_t *n,
	    struct cybex_diag *d);

/* A manifest record (5.3). */
struct cybex_taxii_manifest_record {
	const char	*id;
	const char	*date_added;	/* RFC 3339 */
	const char	*version;	/* RFC 3339 */
	const char	*media_type;	/* may be NULL */
};
int	 cybex_taxii_manifest_record_write(
	    const struct cybex_taxii_manifest_record *v, json_t **out);
int	 cybex_taxii_manifest_record_read(const json_t *j,
	    struct cybex_taxii_manifest_record *out, struct cybex_diag *d);

/*
 * A page: the envelope (3.7, objects), the manifest (objects: manifest
 * records) and versions (versions: strings) share it:
 * {"more":..., "next":..., <name>:[...]}.  The writer appends the page
 * to out with items, the JSON text of count array members separated by
 * commas, copied as they are (objects are served as stored); no <name>
 * member when count is 0, no next unless more.
 */
int	 cybex_taxii_page_write(bool more, const char *next, const char *name,
	    const char *items, size_t len, size_t count, struct cybex_buf *out);
struct cybex_taxii_page {
	bool		 more;
	const char	*next;		/* may be NULL */
	const json_t	*items;		/* the array; NULL when absent */
};
int	 cybex_taxii_page_read(const json_t *j, const char *name,
	    struct cybex_taxii_page *out, struct cybex_diag *d);

/* A status (4.3). */
struct cybex_taxii_status {
	const char	*id;
	bool		 complete;	/* "complete", else "pending" */
	const char	*request_timestamp;	/* may be NULL */
	int64_t		 total_count;
	int64_t		 success_count;
	int64_t		 failure_count;
	int64_t		 pending_count;
	/* Reading: the status details arrays, NULL when absent. */
	const json_t	*successes;
	const json_t	*failures;
	const json_t	*pendings;
};
/*
 * The status, with each member of details (an object, may be NULL)
 * whose value is a non-empty array: successes, failures, pendings and
 * any x_ extension of the same form.
 */
int	 cybex_taxii_status_write(const struct cybex_taxii_status *v,
	    const json_t *details, json_t **out);
int	 cybex_taxii_status_read(const json_t *j,
	    struct cybex_taxii_status *out, struct cybex_diag *d);

/* An error message (3.6.1); http_status is a string there. */
struct cybex_taxii_error {
	const char	*title;
	const char	*description;	/* may be NULL */
	const char	*error_id;	/* may be NULL */
	const char	*error_code;	/* may be NULL */
	unsigned	 http_status;	/* 0 = none */
};
int	 cybex_taxii_error_write(const struct cybex_taxii_error *v,
	    json_t **out);
int	 cybex_taxii_error_read(const json_t *j,
	    struct cybex_taxii_error *out, struct cybex_diag *d);

#endif
