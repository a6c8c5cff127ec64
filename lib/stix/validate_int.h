/* Internal interface between the validation engine and the common rules. */
#ifndef CYBEX_VALIDATE_INT_H
#define CYBEX_VALIDATE_INT_H

#include "stix_int.h"

/* validate.c */
void	validate_prop(struct vctx *v, const struct stix_prop *p,
	    const char *key, const json_t *val);
void	validate_members(struct vctx *v, const struct stix_type *t,
	    const json_t *obj, bool custom_ok);
void	validate_custom_property(struct vctx *v, const char *key, bool quiet);
void	validate_bundle(struct vctx *v, const struct stix_type *t,
	    const json_t *obj);

/* rules_common.c */
bool	has_toplevel_extension(const json_t *obj);
void	validate_common(struct vctx *v, const struct stix_type *t,
	    const json_t *obj);
void	validate_extensions(struct vctx *v, const struct stix_type *t,
	    const json_t *obj, const json_t *exts);
void	validate_custom_object(struct vctx *v, const json_t *obj,
	    const char *type);

#endif
