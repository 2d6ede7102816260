// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int pg_err_set(struct pg_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int pg_err_nomem(struct pg_err *err)
{
	return pg_err_set(err, PG_ENOMEM, "out of memory");
}

int pg_err_exit_status(int rc)
{
	switch (rc) {
	case PG_OK:
		return 0;
	case PG_REGRESSION:
		return 1;
	case PG_EUSAGE:
	case PG_EINPUT:
		return 2;
	case PG_ENOBASELINE:
		return 4;
	default:
		return 3;
	}
}
