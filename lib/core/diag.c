/* Error codes and diagnostics. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cybex/core.h"

/* Indexed by -code; append-only, like the codes (docs/ERRORS.md). */
static const char *const errnames[] = {
	"CYBEX_OK: success",
	"CYBEX_EINTERNAL: internal error",
	"CYBEX_ENOMEM: out of memory",
	"CYBEX_EINVAL: invalid argument",
	"CYBEX_ETOOBIG: limit exceeded",
	"CYBEX_EIO: input/output error",
	"CYBEX_EJSON: malformed JSON",
	"CYBEX_ESTIX: invalid STIX",
	"CYBEX_ENOTFOUND: not found",
	"CYBEX_EFORMAT: malformed value",
	"CYBEX_ECRYPTO: cryptographic library failure",
	"CYBEX_ECONFLICT: conflicts with stored data",
	"CYBEX_EDB: database error",
	"CYBEX_EVERSION: unsupported (newer) version",
	"CYBEX_EEXIST: already exists",
	"CYBEX_EPOLICY: refused by the sharing policy (TLP)",
	"CYBEX_EBUSY: busy, try again later",
	"CYBEX_ENOSPC: no space left on the device",
};

const char *
cybex_strerror(int code)
{
	if (code > 0 || code < CYBEX_ECODE_MIN)
		return "unknown error code";
	return errnames[-code];
}

void
cybex_diag_clear(struct cybex_diag *d)
{
	if (d == NULL)
		return;
	memset(d, 0, sizeof(*d));
}

int
cybex_diag_vset(struct cybex_diag *d, int code, const char *fmt, va_list ap)
{
	if (d == NULL)
		return code;
	d->code = code;
	d->severity = CYBEX_SEV_ERROR;
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	return code;
}

int
cybex_diag_set(struct cybex_diag *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cybex_diag_vset(d, code, fmt, ap);
	va_end(ap);
	return code;
}
