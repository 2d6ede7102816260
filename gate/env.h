// SPDX-License-Identifier: MIT
/* Environments for the processes perfgate starts: perfgate's own with the
 * scenario's keys set on top. The array and its strings belong to the
 * caller (pg_env_free). */
#ifndef PG_ENV_H
#define PG_ENV_H

#include <stddef.h>

#include "err.h"

/* A complete environment: perfgate's own, with keys[i]=vals[i] set on top.
 * *out is a NULL-terminated array the caller frees with pg_env_free. */
int pg_env_build(char ***out, const char *const *keys, const char *const *vals, size_t n,
		 struct pg_err *err);
void pg_env_free(char **env);

/* The same with the pairs of a config's "env" (config.h). */
struct pg_kv;
int pg_env_build_kv(char ***out, const struct pg_kv *kv, size_t n, struct pg_err *err);

#endif
