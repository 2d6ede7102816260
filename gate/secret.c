// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* environ */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"

static const char *const builtin[] = {
	"CI_JOB_TOKEN", "PERFGATE_GITLAB_TOKEN", "*_TOKEN", "*_PASSWORD", "*_SECRET", NULL,
};

/* A pattern from the comma-separated $PERFGATE_SECRET_ENV. */
static int user_match(const char *name)
{
	const char *list = getenv("PERFGATE_SECRET_ENV"), *p, *end;
	char pat[128];
	size_t n;

	for (p = list; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (!n || n >= sizeof(pat))
			continue;
		memcpy(pat, p, n);
		pat[n] = '\0';
		if (!fnmatch(pat, name, 0))
			return 1;
	}
	return 0;
}

int pg_secret_name(const char *name)
{
	size_t i;

	for (i = 0; builtin[i]; i++)
		if (!fnmatch(builtin[i], name, 0))
			return 1;
	return user_match(name);
}

static void mask_one(char *s, const char *value)
{
	size_t vlen = strlen(value);
	char *p;

	while ((p = strstr(s, value))) {
		memcpy(p, "***", 3);
		memmove(p + 3, p + vlen, strlen(p + vlen) + 1);
		s = p + 3;
	}
}

void pg_secret_mask(char *s)
{
	char name[256];
	const char *eq;
	size_t i, n;

	for (i = 0; s && environ[i]; i++) {
		eq = strchr(environ[i], '=');
		n = eq ? (size_t)(eq - environ[i]) : 0;
		if (!n || n >= sizeof(name) || strlen(eq + 1) < 4)
			continue;
		memcpy(name, environ[i], n);
		name[n] = '\0';
		if (pg_secret_name(name))
			mask_one(s, eq + 1);
	}
}
