/* Internals of the config parser shared by its files: the parts of a
 * scenario parsed outside config.c. Same contract as config.c: strict,
 * PG_EINPUT naming the JSON path; the config owns what is stored. */
#ifndef PG_CONFIG_INT_H
#define PG_CONFIG_INT_H

#include <jansson.h>

#include "config.h"
#include "jpath.h"

/* workload.attach of the workload object obj (at its path) into
 * w->attach; refuses cmd beside it, and the keys that only apply to a
 * workload perfgate starts. */
int pg_config_parse_attach(struct pg_jctx *x, json_t *obj, const char *at,
			   struct pg_workload_cfg *w);

#endif
