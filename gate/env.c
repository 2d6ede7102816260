// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "env.h"
#include "secret.h"

extern char **environ;

static int later_dup(const char *const *keys, size_t n, size_t j)
{
	size_t i;

	for (i = j + 1; i < n; i++)
		if (!strcmp(keys[i], keys[j]))
			return 1;
	return 0;
}

/* 1 if env (NAME=value) is a secret's: CI variables such as CI_JOB_TOKEN
 * are not the workload's or the load script's business. */
static int secret_entry(const char *env)
{
	const char *eq = strchr(env, '=');
	char name[256];
	size_t n = eq ? (size_t)(eq - env) : 0;

	if (!n || n >= sizeof(name))
		return 0;
	memcpy(name, env, n);
	name[n] = '\0';
	return pg_secret_name(name);
}

/* Later keys win over earlier ones and over perfgate's environment, which
 * is passed on without its secrets (keys given explicitly are kept). */
int pg_env_build(char ***out, const char *const *keys, const char *const *vals, size_t n,
		 struct pg_err *err)
{
	size_t nenv = 0, i, j, k = 0, klen;
	char **env;

	while (environ[nenv])
		nenv++;
	env = calloc(nenv + n + 1, sizeof(*env));
	if (!env)
		return pg_err_nomem(err);
	for (i = 0; i < nenv; i++) {
		for (j = 0; j < n; j++) {
			klen = strlen(keys[j]);
			if (!strncmp(environ[i], keys[j], klen) && environ[i][klen] == '=')
				break;
		}
		if (j < n || secret_entry(environ[i]))
			continue;
		if (!(env[k++] = strdup(environ[i])))
			goto nomem;
	}
	for (j = 0; j < n; j++)
		if (!later_dup(keys, n, j) && asprintf(&env[k++], "%s=%s", keys[j], vals[j]) < 0) {
			env[--k] = NULL;
			goto nomem;
		}
	*out = env;
	return 0;
nomem:
	pg_env_free(env);
	return pg_err_nomem(err);
}

void pg_env_free(char **env)
{
	size_t i;

	if (!env)
		return;
	for (i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

int pg_env_build_kv(char ***out, const struct pg_kv *kv, size_t n, struct pg_err *err)
{
	const char **keys = NULL, **vals = NULL;
	size_t i;
	int rc;

	keys = calloc(n + 1, sizeof(*keys));
	vals = calloc(n + 1, sizeof(*vals));
	if (!keys || !vals) {
		rc = pg_err_nomem(err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		keys[i] = kv[i].key;
		vals[i] = kv[i].value;
	}
	rc = pg_env_build(out, keys, vals, n, err);
out:
	free(keys);
	free(vals);
	return rc;
}
