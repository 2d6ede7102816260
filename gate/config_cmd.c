// SPDX-License-Identifier: MIT
/* A config's commands and environments: "cmd" arrays (cmd[0] resolved
 * against the config file's directory, as the contract has it) and "env"
 * objects, shared by the workload, the load script and the build, and their
 * release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "config_int.h"
#include "jpath.h"

#define AT_MAX PG_JPATH_MAX

/* cmd[0] with a '/' that is not absolute is relative to the config file's
 * directory; a bare name is left for PATH lookup, as a shell would. */
static int resolve_cmd0(struct pg_jctx *x, const char *arg, char **out)
{
	const char *dir = x->dir;
	size_t n;

	if (arg[0] == '/' || !strchr(arg, '/'))
		return pg_jctx_strdup(x, arg, out);
	while (arg[0] == '.' && arg[1] == '/')
		for (arg += 2; arg[0] == '/'; arg++)
			;
	n = strlen(dir) + strlen(arg) + 2;
	*out = malloc(n);
	if (!*out)
		return pg_err_nomem(x->err);
	snprintf(*out, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", arg);
	return 0;
}

/* "cmd": a non-empty array of strings, NULL-terminated copy in *out. */
int pg_config_get_cmd(struct pg_jctx *x, json_t *obj, const char *at, char ***out, size_t *n)
{
	char path[AT_MAX], ipath[AT_MAX + 32];
	json_t *arr, *v;
	size_t i;
	int rc;

	rc = pg_jctx_member(x, obj, at, "cmd", JSON_ARRAY, "an array of strings", &arr);
	if (!rc)
		rc = pg_jctx_required(x, arr, at, "cmd");
	if (rc)
		return rc;
	pg_jpath_join(path, sizeof(path), at, "cmd");
	if (!json_array_size(arr))
		return pg_jctx_fail(x, PG_EINPUT, "%s must not be empty", path);
	*out = calloc(json_array_size(arr) + 1, sizeof(**out));
	if (!*out)
		return pg_err_nomem(x->err);
	*n = json_array_size(arr);
	json_array_foreach (arr, i, v) {
		snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
		if (!json_is_string(v))
			return pg_jctx_wrong_type(x, ipath, "a string", v);
		if (i == 0 && !json_string_length(v))
			return pg_jctx_fail(x, PG_EINPUT, "%s must not be empty", ipath);
		rc = i ? pg_jctx_strdup(x, json_string_value(v), &(*out)[i])
		       : resolve_cmd0(x, json_string_value(v), &(*out)[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* "env": an object of string values; names must be usable with setenv. */
int pg_config_get_env(struct pg_jctx *x, json_t *obj, const char *at, struct pg_kv **out, size_t *n)
{
	char path[AT_MAX], kpath[AT_MAX + 64];
	const char *key;
	json_t *env, *v;
	int rc;

	rc = pg_jctx_member(x, obj, at, "env", JSON_OBJECT, "an object", &env);
	if (rc || !env)
		return rc;
	pg_jpath_join(path, sizeof(path), at, "env");
	*out = calloc(json_object_size(env) + 1, sizeof(**out));
	if (!*out)
		return pg_err_nomem(x->err);
	json_object_foreach (env, key, v) {
		pg_jpath_join(kpath, sizeof(kpath), path, key);
		if (!key[0] || strchr(key, '='))
			return pg_jctx_fail(x, PG_EINPUT, "bad variable name '%s' at %s", key,
					    path);
		if (!json_is_string(v))
			return pg_jctx_wrong_type(x, kpath, "a string", v);
		rc = pg_jctx_strdup(x, key, &(*out)[*n].key);
		if (rc)
			return rc;
		rc = pg_jctx_strdup(x, json_string_value(v), &(*out)[(*n)++].value);
		if (rc)
			return rc;
	}
	return 0;
}

void pg_config_free_argv(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void pg_config_free_env(struct pg_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}
