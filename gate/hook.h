// SPDX-License-Identifier: MIT
/* The git pre-push hook perfgate writes (ci-templates/pre-push, compiled
 * in): installed into the repository's hooks directory (core.hooksPath if
 * set), replacing only a hook perfgate wrote itself, recognised by its
 * marker line. Owns nothing past a call. */
#ifndef PG_HOOK_H
#define PG_HOOK_H

#include <stddef.h>

#include "err.h"

/* The hook's text, borrowed. */
const char *pg_hook_script(void);

/* Install the pre-push hook of the repository around dir; out gets its
 * path, *replaced whether an older perfgate hook was there. PG_EINPUT when
 * a hook perfgate did not write is in the way. */
int pg_hook_install(const char *dir, char *out, size_t n, int *replaced, struct pg_err *err);

#endif
