/* Internals of the config parser shared by its files: the parts of a
 * scenario parsed outside config.c. Same contract as config.c: strict,
 * PG_EINPUT naming the JSON path; the config owns what is stored. */
#ifndef PG_CONFIG_INT_H
#define PG_CONFIG_INT_H

#include <jansson.h>

#include "config.h"
#include "jpath.h"

/* workload.attach (obj, at its path) into a. */
int pg_config_parse_attach(struct pg_jctx *x, json_t *obj, const char *at, struct pg_attach_cfg *a);

#endif
