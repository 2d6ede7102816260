/* The pieces of the config parser shared by its files (config.c, the
 * scenario's run settings in config_run.c, workload.attach in
 * config_attach.c): typed readers of "cmd" and "env" whose copies the
 * caller owns, and their destructors. Same contract as config.c: strict,
 * PG_EINPUT naming the JSON path; the config owns what is stored. */
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

/* workload.attach of the workload object obj (at its path) into
 * w->attach; refuses cmd beside it, and the keys that only apply to a
 * workload perfgate starts. */
int pg_config_parse_attach(struct pg_jctx *x, json_t *obj, const char *at,
			   struct pg_workload_cfg *w);

#endif
