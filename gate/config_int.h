// SPDX-License-Identifier: MIT
/* The pieces of the config parser shared by its files (config.c, the
 * scenario's run settings in config_run.c): typed readers of "cmd" and
 * "env" whose copies the caller owns, and their destructors. */
#ifndef PG_CONFIG_INT_H
#define PG_CONFIG_INT_H

#include <stddef.h>

#include <jansson.h>

#include "config.h"
#include "jpath.h"

/* "cmd": a non-empty array of strings, NULL-terminated copy in *out;
 * a relative cmd[0] with a '/' resolves against the config's directory. */
int pg_config_get_cmd(struct pg_jctx *x, json_t *obj, const char *at, char ***out, size_t *n);
/* "env": an object of string values, optional. */
int pg_config_get_env(struct pg_jctx *x, json_t *obj, const char *at, struct pg_kv **out,
		      size_t *n);
void pg_config_free_argv(char **v, size_t n);
void pg_config_free_env(struct pg_kv *kv, size_t n);

/* "build" of a scenario (optional). */
int pg_config_parse_build(struct pg_jctx *x, json_t *obj, const char *at, struct pg_build_cfg *b);
/* "mode" and "paired" of the top level or a scenario (optional, keeping
 * what *mode and *p hold when absent). */
int pg_config_parse_mode(struct pg_jctx *x, json_t *obj, const char *at, enum pg_mode *mode,
			 struct pg_paired_cfg *p);

#endif
