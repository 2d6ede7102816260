// SPDX-License-Identifier: MIT
/* Strict, typed reading of jansson documents for perfgate's input files
 * (config, metrics): every failure is PG_EINPUT with a message that begins
 * with the file name and names the JSON path of the problem, e.g.
 * "perfgate.json: unknown key 'foo' at scenarios[0].workload". Paths are
 * built by the caller in its own buffers (PG_JPATH_MAX); nothing here
 * allocates except pg_jctx_strdup and pg_jctx_str, whose copies the
 * caller owns. */
#ifndef PG_JPATH_H
#define PG_JPATH_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

#define PG_JPATH_MAX 160

struct pg_jctx {
	const char *name; /* starts every message: the file name */
	const char *dir;  /* for the caller: what relative paths resolve against */
	struct pg_err *err;
};

/* pg_err_set with "<name>: " in front. */
int pg_jctx_fail(struct pg_jctx *x, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "an object", "a string", "an integer", ... for messages. */
const char *pg_json_type_name(const json_t *j);

/* The path of key inside the value at `at` ("" is the top level), into buf:
 * "at.key", or at["key"] when key is not a plain identifier. Returns buf. */
const char *pg_jpath_join(char *buf, size_t n, const char *at, const char *key);

/* at for messages: "top level" for "". */
const char *pg_jpath_where(const char *at);

/* "<path> must be <want>, not <type of j>". */
int pg_jctx_wrong_type(struct pg_jctx *x, const char *path, const char *want, const json_t *j);

/* Every key of obj must be in allowed (NULL-terminated). */
int pg_jctx_check_keys(struct pg_jctx *x, json_t *obj, const char *at, const char *const *allowed);

/* The member key of obj, type-checked (JSON_REAL accepts any number,
 * JSON_TRUE any boolean); *out is NULL when absent. Borrowed. */
int pg_jctx_member(struct pg_jctx *x, json_t *obj, const char *at, const char *key, json_type type,
		   const char *want, json_t **out);

/* "missing key '<key>' at <at>" unless v is set. */
int pg_jctx_required(struct pg_jctx *x, const void *v, const char *at, const char *key);

int pg_jctx_strdup(struct pg_jctx *x, const char *s, char **out);

/* Optional members; when absent, *out is left as it was (the default).
 * Strings must be non-empty; a previous *out is freed when replaced.
 * Numbers must lie in [lo, hi], lo excluded with lo_open. */
int pg_jctx_str(struct pg_jctx *x, json_t *obj, const char *at, const char *key, char **out);
int pg_jctx_num(struct pg_jctx *x, json_t *obj, const char *at, const char *key, double lo,
		int lo_open, double hi, double *out);
int pg_jctx_bool(struct pg_jctx *x, json_t *obj, const char *at, const char *key, int *out);

#endif
