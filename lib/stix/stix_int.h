/*
 * Internal interface of the STIX module: the table-driven type registry and
 * the validation context that property checks and named rules report to.
 *
 * Every STIX type (SDO, SRO, SCO, meta object, embedded type, predefined SCO
 * extension) is one struct stix_type; each of its properties is declared
 * once as a struct stix_prop.  The generic engine (validate.c) checks
 * presence, JSON types, formats, bounds, vocabularies and reference target
 * types from the table; rules that span properties are small named checks
 * (the type's check function) that report through v_err()/v_warn().
 */
#ifndef CYBEX_STIX_INT_H
#define CYBEX_STIX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "cybex/core.h"
#include "cybex/stix.h"

/* Value kinds. */
enum stix_kind {
	SK_STRING = 1,	/* JSON string; min/max bound the length in chars when
			   SPF_BOUNDED */
	SK_INTEGER,	/* JSON integer; min/max bounds when SPF_BOUNDED */
	SK_FLOAT,	/* JSON number; min/max bounds when SPF_BOUNDED */
	SK_BOOLEAN,
	SK_TIMESTAMP,	/* RFC 3339, UTC, 'Z' */
	SK_IDENTIFIER,	/* "type--UUID"; ref = allowed target types, see below */
	SK_BINARY,	/* base64 (RFC 4648 section 4, padded) */
	SK_HEX,		/* even number of hex digits */
	SK_OPENVOCAB,	/* string; ref = vocabulary; other values: warning */
	SK_ENUM,	/* string; ref = enumeration; other values: error */
	SK_DICT,	/* JSON object with dictionary key rules; any values */
	SK_HASHES,	/* hashes dictionary: algorithm -> value */
	SK_EMBEDDED,	/* JSON object checked against embedded type ref */
	SK_EXTENSIONS,	/* the "extensions" property */
	SK_OBJECT,	/* any JSON object, checked only by a named rule */
	SK_ANY,		/* any JSON value, checked only by a named rule */
	SK_LANG,	/* RFC 5646 language tag (format is a SHOULD: warning) */
	SK_URL,		/* string that MUST be an RFC 3986 URI */
};

/* Property flags. */
#define SPF_REQUIRED	0x0001	/* MUST be present */
#define SPF_LIST	0x0002	/* value is a non-empty list of kind */
#define SPF_DEPRECATED	0x0004	/* SHOULD NOT be used: warning */
#define SPF_BOUNDED	0x0008	/* min/max apply (inclusive) */
#define SPF_NONEMPTY	0x0010	/* string MUST NOT be empty */
#define SPF_SHOULD	0x0020	/* "SHOULD be present": warning when absent */

/*
 * One property.  ref depends on kind:
 *   SK_IDENTIFIER  allowed target types separated by '|': type names, or
 *                  the classes "@sdo", "@sro", "@sco", "@meta", or "*" for
 *                  any type ("identity|location", "@sco|relationship");
 *                  unknown (custom) types are accepted for classes and "*".
 *   SK_OPENVOCAB, SK_ENUM  vocabulary name ("malware-type-ov")
 *   SK_EMBEDDED    embedded type name ("kill-chain-phase")
 */
struct stix_prop {
	const char	*name;
	uint8_t		 kind;
	uint16_t	 flags;
	const char	*ref;
	int64_t		 min;
	int64_t		 max;
};

/* The entry that ends a property table. */
#define STIX_PROP_END	{ NULL, 0, 0, NULL, 0, 0 }

enum stix_cat {
	SC_SDO = 1,
	SC_SRO,
	SC_SCO,
	SC_META,
	SC_BUNDLE,
	SC_EMBEDDED,	/* kill-chain-phase, external-reference, ... */
	SC_SCO_EXT,	/* predefined SCO extension (archive-ext, ...) */
};

struct vctx;

struct stix_type {
	const char		*name;
	enum stix_cat		 cat;
	const struct stix_prop	*common;	/* stix_common_sdo, ... or NULL */
	const struct stix_prop	*props;		/* ends with { NULL } */
	/* Rules spanning properties; obj is a JSON object. May be NULL. */
	void			(*check)(struct vctx *v, const json_t *obj);
	/* SCO: ID-contributing properties, NULL-terminated (or NULL). */
	const char *const	*id_contrib;
	/* SC_SCO_EXT: the SCO type it extends. */
	const char		*applies_to;
};

/* The entry that ends a type table. */
#define STIX_TYPE_END	{ NULL, 0, NULL, NULL, NULL, NULL, NULL }

/* Tables (registry_*.c).  Each array ends with an entry whose name is NULL. */
extern const struct stix_prop stix_common_sdo[];	/* SDO and SRO */
extern const struct stix_prop stix_common_sco[];
extern const struct stix_type stix_types_sdo[];	/* SDOs, SROs, meta, bundle */
extern const struct stix_type stix_types_sco[];	/* SCOs */
extern const struct stix_type stix_types_sdo_embedded[];	/* kill-chain-phase, ... */
extern const struct stix_type stix_types_sco_embedded[];	/* SCO exts + types */

/* Vocabularies (vocab.c). values ends with NULL. */
struct stix_vocab {
	const char		*name;
	const char *const	*values;
};
extern const struct stix_vocab stix_vocabs[];	/* ends with { NULL } */
const struct stix_vocab *stix_vocab_find(const char *name);
bool	 stix_vocab_has(const struct stix_vocab *vo, const char *value);

/* Registry lookups (registry.c). */
const struct stix_type *stix_type_find(const char *name);	/* top level */
const struct stix_type *stix_embedded_find(const char *name);
const struct stix_prop *stix_prop_find(const struct stix_type *t,
	    const char *name);

/* ---- validation context ---- */
struct vctx {
	const struct cybex_stix_opts	*opts;
	cybex_diag_fn			 fn;
	void				*ud;
	char				 ptr[CYBEX_DIAG_PTR_MAX];
	size_t				 ptrlen;
	unsigned			 errors;
	unsigned			 warnings;
	int				 internal;	/* CYBEX_E* on failure */
	/*
	 * The object is an element of a bundle (V_BUNDLE_*): of one
	 * validated whole, whose spec_version is known, or of one read as a
	 * stream (base pointer "/objects/N"), whose envelope is not seen.
	 */
	int				 bundle;
	/* The open vocabulary a vocab-value warning is about (checks.c). */
	const char			*vocab;
	/* Validating a custom object's members (its own properties). */
	bool				 custom_object;
	/* Position given to every diagnostic (0: the caller locates it). */
	unsigned long			 line;
	unsigned long			 column;
};
#define V_BUNDLE_NONE		0	/* a standalone object: STIX 2.1 */
#define V_BUNDLE_21		1	/* the bundle has no spec_version "2.0" */
#define V_BUNDLE_20		2	/* "spec_version": "2.0" (STIX 2.0) */
#define V_BUNDLE_UNKNOWN	3	/* streamed: the envelope is elsewhere */

/*
 * Report a MUST violation (v_err) or a SHOULD/deprecation warning (v_warn,
 * an error under CYBEX_STIX_STRICT) at the current object's pointer plus
 * sub ("" or NULL for the object itself, "modified", "hashes/MD5",
 * "external_references/0/url").  rule is a stable kebab-case name, listed in
 * docs/internals/stix.md.
 */
void	 v_err(struct vctx *v, const char *rule, const char *sub,
	    const char *fmt, ...) CYBEX_PRINTF(4, 5);
void	 v_warn(struct vctx *v, const char *rule, const char *sub,
	    const char *fmt, ...) CYBEX_PRINTF(4, 5);

/* Is the warning rule off in ck (checks.c)?  vocab: for vocab-value. */
bool	 stix_check_off(const struct cybex_stix_checks *ck, const char *rule,
	    const char *vocab);

/* Enter a member or element (returns the length to restore with v_pop). */
size_t	 v_push(struct vctx *v, const char *key);
size_t	 v_pushi(struct vctx *v, size_t index);
void	 v_pop(struct vctx *v, size_t saved);

/* Value of a string member, or NULL when absent or not a string. */
const char *v_str(const json_t *obj, const char *key);
/*
 * Parsed timestamp member: 1 when present and valid, 0 otherwise (an
 * invalid one is reported by the property pass, not here).
 */
int	 v_time(const json_t *obj, const char *key, struct cybex_time *out);
/*
 * Rule helper: when both timestamps are present, report rule at b unless
 * b >= a (or b > a when strictly_after).
 */
void	 v_time_order(struct vctx *v, const json_t *obj, const char *a,
	    const char *b, bool strictly_after, const char *rule);
/* Report rule unless at least one of the NULL-terminated keys is present. */
void	 v_require_one(struct vctx *v, const json_t *obj, const char *rule,
	    ...);
/* 1 when id is "type--..." for the given type. */
bool	 v_id_is(const char *id, const char *type);
/* Validate obj against embedded type name (as SK_EMBEDDED does). */
void	 v_embedded(struct vctx *v, const json_t *obj, const char *name);

/* tlp.c: the TLP 2.0 marking extension rules for a marking-definition. */
#define STIX_TLP2_EXTENSION \
	"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
void	 stix_check_tlp2(struct vctx *v, const json_t *obj);

/* Format checks shared by rules. */
bool	 stix_is_type_name(const char *s);	/* a-z0-9-, 3..250, no "--" */
bool	 stix_is_prop_name(const char *s);	/* a-z0-9_, 3..250 */
bool	 stix_is_identifier(const char *s, char *type, size_t typesz);
bool	 stix_is_base64(const char *s);
bool	 stix_is_hex(const char *s);
bool	 stix_is_lang_tag(const char *s);
bool	 stix_is_uri(const char *s);
bool	 stix_is_ipv4(const char *s, bool allow_cidr);
bool	 stix_is_ipv6(const char *s, bool allow_cidr);
bool	 stix_is_mac(const char *s);	/* colon-delimited, lower-case */

#endif /* CYBEX_STIX_INT_H */
