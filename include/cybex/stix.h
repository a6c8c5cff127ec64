/*
 * cybex STIX 2.1: type registry, validation, deterministic SCO ids,
 * serialization and a streaming reader for bundles, objects and JSON lines.
 *
 * Objects are jansson values (json_t); the reader hands out one object at a
 * time so a bundle of any size is validated in bounded memory.
 */
#ifndef CYBEX_STIX_H
#define CYBEX_STIX_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cybex/core.h"

/* Options shared by the reader and the validator. */
#define CYBEX_STIX_STRICT	0x1	/* SHOULD rules are errors, not warnings */
/* An SDO/SRO without spec_version (implicitly STIX 2.0) is an error, not a
 * warning: for a store that serves what it holds as 2.1. */
#define CYBEX_STIX_REQUIRE_21	0x4
/*
 * The object came as STIX 2.0 (a TAXII media type "version=2.0", a bundle
 * with "spec_version": "2.0" read as a stream): an SDO/SRO without
 * spec_version is then STIX 2.0 content, a warning, not an error.
 */
#define CYBEX_STIX_SPEC_20	0x2

/*
 * The options of the OASIS stix2-validator, with its meaning:
 * STRICT_TYPES refuses object types the specification does not define
 * (custom objects), STRICT_PROPERTIES refuses properties it does not define
 * (custom properties), ENFORCE_REFS requires every identifier an object
 * refers to to be the id of an object of the same bundle (or file),
 * INTEROP applies the STIX 2.1 Interoperability specification's stricter
 * rules (created_by_ref required).
 */
#define CYBEX_STIX_STRICT_TYPES		0x8
#define CYBEX_STIX_STRICT_PROPERTIES	0x10
#define CYBEX_STIX_ENFORCE_REFS		0x20
#define CYBEX_STIX_INTEROP		0x40

#define CYBEX_STIX_OBJECT_MAX_DEFAULT	(16u * 1024 * 1024)

/*
 * Which best-practice checks (warnings) run: the reference validator's
 * optional checks by code or name, and cybex's own warning rules by rule
 * name.  Built by cybex_stix_checks_select; NULL in the options: all run.
 */
#define CYBEX_STIX_CHECKS_MAX	128
struct cybex_stix_checks {
	unsigned char	 off[CYBEX_STIX_CHECKS_MAX];	/* 1: not run */
};

struct cybex_stix_opts {
	unsigned	 flags;
	size_t		 max_object_bytes;	/* 0 = CYBEX_STIX_OBJECT_MAX_DEFAULT */
	size_t		 max_depth;		/* 0 = CYBEX_JSON_DEPTH_DEFAULT */
	const struct cybex_stix_checks *checks;	/* NULL: every check */
};

/*
 * enable and disable (NULL or "" for none) are comma-separated lists of
 * check codes ("218"), the reference's check names ("report-types") or
 * cybex rule names ("vocab-value"); group codes select their members (1:
 * every 1xx, 2: every 2xx, 210 every vocabulary, 270 every external
 * source; the name "cybex" selects every cybex rule without a reference
 * code).  As in the reference: with enable, only the enabled checks run;
 * disable turns checks off; a check both enabled and disabled runs.
 * CYBEX_EINVAL with d naming an unknown entry.
 */
int	 cybex_stix_checks_select(const char *enable, const char *disable,
	    struct cybex_stix_checks *out, struct cybex_diag *d);
/*
 * What spans the objects of one bundle or file: an id twice with the same
 * modified (warning bundle-duplicate-id, at once) and, with
 * CYBEX_STIX_ENFORCE_REFS, relationship and sighting references no object
 * resolves (error reference-unresolved, at finish).  ptr is the object's
 * JSON pointer ("/objects/3"), line/col its position (0: let the caller
 * locate the pointer); diagnostics go to fn, counts are added to res.
 * cybex_stix_validate does this itself for a bundle validated whole.
 */
struct cybex_stix_xref;
struct cybex_stix_result;
int	 cybex_stix_xref_new(struct cybex_stix_xref **out);
void	 cybex_stix_xref_free(struct cybex_stix_xref *x);	/* NULL-safe */
int	 cybex_stix_xref_add(struct cybex_stix_xref *x, const json_t *obj,
	    const struct cybex_stix_opts *o, const char *ptr,
	    unsigned long line, unsigned long col, cybex_diag_fn fn, void *ud,
	    struct cybex_stix_result *res);
int	 cybex_stix_xref_finish(struct cybex_stix_xref *x,
	    const struct cybex_stix_opts *o, cybex_diag_fn fn, void *ud,
	    struct cybex_stix_result *res);

/* The reference code of a cybex warning rule (vocabulary: for vocab-value),
 * or 0. */
unsigned cybex_stix_check_code(const char *rule, const char *vocab);

struct cybex_stix_result {
	unsigned	 errors;
	unsigned	 warnings;
};

/* Categories of the registry. */
enum cybex_stix_category {
	CYBEX_STIX_UNKNOWN = 0,	/* not a type this registry knows (custom) */
	CYBEX_STIX_SDO,
	CYBEX_STIX_SRO,
	CYBEX_STIX_SCO,
	CYBEX_STIX_META,	/* marking-definition, language-content, extension-definition */
	CYBEX_STIX_BUNDLE,
};

/* Category of a top-level type name. */
enum cybex_stix_category cybex_stix_type_category(const char *type);

/*
 * Validate one STIX object (or a bundle envelope: a bundle's "objects" is
 * then validated too).  Every problem is reported through fn (may be NULL)
 * with a JSON pointer that starts with base_ptr (may be NULL = "").  Errors
 * are MUST violations; warnings are SHOULD rules, deprecated properties and
 * unknown open-vocabulary values (errors with CYBEX_STIX_STRICT).
 * Returns 0 when there is no error, CYBEX_ESTIX when there is; out (may be
 * NULL) counts both.
 */
int	 cybex_stix_validate(const json_t *obj, const struct cybex_stix_opts *o,
	    const char *base_ptr, cybex_diag_fn fn, void *ud,
	    struct cybex_stix_result *out);

/*
 * Deterministic SCO id: "type--UUIDv5" from the ID-contributing properties
 * of the object's type, canonicalized with RFC 8785 under the STIX
 * namespace 00abedb4-aa42-466c-9c01-fed23315a9b7.  out needs 300 bytes
 * (types are at most 250 chars).  CYBEX_ENOTFOUND when the type has no
 * contributing properties or none is present (a UUIDv4 is then right),
 * CYBEX_EINVAL when obj is not a known SCO.
 */
#define CYBEX_STIX_ID_MAX	300
int	 cybex_stix_sco_id(const json_t *obj, char *out, size_t outsz,
	    struct cybex_diag *d);

/*
 * Write obj as JSON (member order and every value as read; timestamps are
 * strings, so their precision is kept).  flags: CYBEX_JSON_PRETTY.
 */
int	 cybex_stix_write(const json_t *obj, unsigned flags,
	    struct cybex_buf *out);

/* ---- Traffic Light Protocol markings ---- */
/*
 * Levels in increasing order of restriction (TLP 1.0 WHITE is CLEAR).
 * 0 is "unset" in every field that holds a level: for an object, no TLP
 * marking; elsewhere the field's default (include/cybex/policy.h lists
 * them).  CYBEX_TLP_NONE is its older name.
 */
enum cybex_tlp {
	CYBEX_TLP_UNSET = 0,
	CYBEX_TLP_NONE = CYBEX_TLP_UNSET,
	CYBEX_TLP_CLEAR,
	CYBEX_TLP_GREEN,
	CYBEX_TLP_AMBER,
	CYBEX_TLP_AMBER_STRICT,
	CYBEX_TLP_RED,
};

/* One of the predefined TLP marking-definition objects. */
struct cybex_tlp_marking {
	const char	*id;		/* "marking-definition--..." */
	const char	*name;		/* "TLP:AMBER+STRICT" */
	enum cybex_tlp	 level;
	int		 tlp_version;	/* 1 (definition_type tlp) or 2 (extension) */
	const char	*value;		/* "amber+strict": tlp or tlp_2_0 value */
	const char	*created;
};

/*
 * The predefined TLP 1.0 or 2.0 marking with this id, or NULL when the id
 * is not one of them (compared case-insensitively).
 */
const struct cybex_tlp_marking *cybex_stix_tlp_find(const char *marking_id);
/*
 * The TLP level of an object: the most restrictive predefined TLP marking
 * among its object_marking_refs and the marking_ref of each of its
 * granular_markings (content marked TLP:RED makes the object RED for
 * sharing), or CYBEX_TLP_NONE when it has none (other markings do not
 * count).
 */
enum cybex_tlp cybex_stix_tlp_of(const json_t *obj);
/*
 * The TLP level a marking-definition conveys by its own definition, for
 * marking-definitions other than the predefined ones: definition_type
 * "tlp" with definition.tlp (STIX 2.0 style: "white", "green", "amber",
 * "red", also "clear" and "amber+strict"), or the TLP 2.0 extension's
 * tlp_2_0.  A TLP definition whose level is missing or unknown conveys
 * CYBEX_TLP_RED (nothing less can be assumed).  CYBEX_TLP_NONE for any
 * other object.  What the marking-definition's own markings say comes on
 * top (the store resolves those: see cybex_store_put).
 */
enum cybex_tlp cybex_stix_marking_conveys(const json_t *md);
/*
 * Call fn for each marking reference of obj that is not a predefined TLP
 * marking (object_marking_refs, then each granular marking's marking_ref;
 * strings only).  fn returning non-zero stops and is returned.
 */
int	 cybex_stix_marking_refs(const json_t *obj,
	    int (*fn)(void *ud, const char *ref), void *ud);
/* "red", "amber+strict", ... (case-insensitive, "TLP:" optional) or -1. */
int	 cybex_tlp_parse(const char *s);
/* "TLP:RED", ...; "none" for CYBEX_TLP_NONE. */
const char *cybex_tlp_name(enum cybex_tlp t);

/* ---- streaming reader ---- */
struct cybex_stix_reader;

enum cybex_stix_item_kind {
	CYBEX_STIX_ITEM_OBJECT = 1,	/* a STIX object (top level or in a bundle) */
	CYBEX_STIX_ITEM_BUNDLE = 2,	/* a bundle (or a TAXII envelope, which
					   has no "type"), after its objects;
					   json has every member but "objects" */
};

/*
 * One item.  json, text and pointer belong to the reader and stay valid
 * until the next call.  text[0..len) is the raw JSON of the item (for a
 * bundle envelope: empty).  line/column/offset locate its first byte in
 * the input; pointer is where it sits ("" at top level, "/objects/7" in a
 * bundle, "/3" in a top-level array).  in_bundle: the item is an element
 * of a bundle's "objects".
 */
struct cybex_stix_item {
	int		 kind;
	json_t		*json;
	const char	*text;
	size_t		 len;
	unsigned long	 line;
	unsigned long	 column;
	unsigned long long offset;
	bool		 in_bundle;
	size_t		 nobjects;	/* BUNDLE: how many objects it held */
	char		 pointer[64];
};

/*
 * Read from fd (not closed by the reader).  Input may be a bundle, a single
 * object, a JSON array of objects, or a sequence of objects (JSON lines).
 * Memory is bounded by o->max_object_bytes plus one read buffer, whatever
 * the input size.
 */
int	 cybex_stix_reader_new(int fd, const struct cybex_stix_opts *o,
	    struct cybex_stix_reader **out);
/*
 * Read from memory: buf[0..len) must stay valid and unchanged until the
 * reader is freed (it is copied a chunk at a time, never all at once).
 */
int	 cybex_stix_reader_new_mem(const char *buf, size_t len,
	    const struct cybex_stix_opts *o, struct cybex_stix_reader **out);
void	 cybex_stix_reader_free(struct cybex_stix_reader *r);
/*
 * Next item: 1 and *item filled, 0 at the end of input, or a negative code
 * with d saying where (line/column/offset in the input): CYBEX_EJSON for
 * malformed JSON, CYBEX_ETOOBIG for an object over a limit, CYBEX_EIO,
 * CYBEX_ESTIX for a structure that is JSON but cannot hold STIX objects
 * (a top-level number).  After an error the reader only returns errors.
 */
int	 cybex_stix_reader_next(struct cybex_stix_reader *r,
	    struct cybex_stix_item *item, struct cybex_diag *d);
/*
 * Set d->line, d->column and d->offset (input coordinates) from d->pointer
 * (a pointer into the whole input, as the validator reports it for this
 * item): the member's key when it resolves, else the item's first byte.
 */
void	 cybex_stix_item_locate(const struct cybex_stix_item *it,
	    struct cybex_diag *d);
/* Bytes consumed so far (for progress). */
unsigned long long cybex_stix_reader_offset(const struct cybex_stix_reader *r);

/*
 * Whether s is an absolute URI as RFC 3986 defines it, the check the
 * validator applies to STIX url properties (for readers of other formats
 * that make STIX objects and want to say which input member is wrong).
 */
bool	 cybex_stix_is_uri(const char *s);

#endif /* CYBEX_STIX_H */
