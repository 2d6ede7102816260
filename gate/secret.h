// SPDX-License-Identifier: MIT
/* Secrets in perfgate's environment (CI_JOB_TOKEN, PERFGATE_GITLAB_TOKEN,
 * *_TOKEN, *_PASSWORD, *_SECRET, and the patterns in $PERFGATE_SECRET_ENV,
 * comma-separated shell globs): never passed to the workload or the load
 * script, and their values masked in what perfgate writes of a child's
 * output. Owns nothing; reads environ. */
#ifndef PG_SECRET_H
#define PG_SECRET_H

#include <stddef.h>

/* 1 if the variable name is a secret's. */
int pg_secret_name(const char *name);

/* Replace every secret value (of 4 bytes or more) in s with "***", in
 * place. */
void pg_secret_mask(char *s);

#endif
