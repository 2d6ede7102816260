// SPDX-License-Identifier: MIT
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpath.h"

int pg_jctx_fail(struct pg_jctx *x, int code, const char *fmt, ...)
{
	char msg[sizeof(x->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pg_err_set(x->err, code, "%s: %s", x->name, msg);
}

const char *pg_json_type_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* The JSON path of key inside the object at `at` ("" is the top level).
 * Keys that are not plain identifiers (gate's metric names have dots) are
 * written in brackets: gate["load.lat_p99_ms"]. */
const char *pg_jpath_join(char *buf, size_t n, const char *at, const char *key)
{
	size_t i, plain = key[0] != '\0';

	for (i = 0; key[i]; i++)
		if (!isalnum((unsigned char)key[i]) && key[i] != '_')
			plain = 0;
	if (plain)
		snprintf(buf, n, "%s%s%s", at, at[0] ? "." : "", key);
	else
		snprintf(buf, n, "%s[\"%s\"]", at, key);
	return buf;
}

const char *pg_jpath_where(const char *at)
{
	return at[0] ? at : "top level";
}

int pg_jctx_wrong_type(struct pg_jctx *x, const char *path, const char *want, const json_t *j)
{
	return pg_jctx_fail(x, PG_EINPUT, "%s must be %s, not %s", path, want,
			    pg_json_type_name(j));
}

/* Every key of obj must be in allowed (NULL-terminated). */
int pg_jctx_check_keys(struct pg_jctx *x, json_t *obj, const char *at, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach (obj, key, v) {
		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (!allowed[i])
			return pg_jctx_fail(x, PG_EINPUT, "unknown key '%s' at %s", key,
					    pg_jpath_where(at));
	}
	return 0;
}

/* An optional object member; *out NULL when absent. */
int pg_jctx_member(struct pg_jctx *x, json_t *obj, const char *at, const char *key, json_type type,
		   const char *want, json_t **out)
{
	char path[PG_JPATH_MAX];
	json_t *v = json_object_get(obj, key);
	int ok;

	*out = NULL;
	if (!v)
		return 0;
	ok = type == JSON_REAL ? json_is_number(v) : json_typeof(v) == type;
	if (type == JSON_TRUE)
		ok = json_is_boolean(v);
	if (!ok)
		return pg_jctx_wrong_type(x, pg_jpath_join(path, sizeof(path), at, key), want, v);
	*out = v;
	return 0;
}

int pg_jctx_required(struct pg_jctx *x, const void *v, const char *at, const char *key)
{
	if (v)
		return 0;
	return pg_jctx_fail(x, PG_EINPUT, "missing key '%s' at %s", key, pg_jpath_where(at));
}

int pg_jctx_strdup(struct pg_jctx *x, const char *s, char **out)
{
	*out = strdup(s);
	return *out ? 0 : pg_err_nomem(x->err);
}

/* An optional non-empty string member, copied into *out (left alone if
 * absent, so defaults survive). */
int pg_jctx_str(struct pg_jctx *x, json_t *obj, const char *at, const char *key, char **out)
{
	char path[PG_JPATH_MAX];
	json_t *v;
	int rc;

	rc = pg_jctx_member(x, obj, at, key, JSON_STRING, "a string", &v);
	if (rc || !v)
		return rc;
	if (!json_string_length(v))
		return pg_jctx_fail(x, PG_EINPUT, "%s must not be empty",
				    pg_jpath_join(path, sizeof(path), at, key));
	free(*out);
	*out = NULL;
	return pg_jctx_strdup(x, json_string_value(v), out);
}

/* An optional number in [lo, hi] (lo excluded when lo_open). */
int pg_jctx_num(struct pg_jctx *x, json_t *obj, const char *at, const char *key, double lo,
		int lo_open, double hi, double *out)
{
	char path[PG_JPATH_MAX];
	json_t *v;
	double d;
	int rc;

	rc = pg_jctx_member(x, obj, at, key, JSON_REAL, "a number", &v);
	if (rc || !v)
		return rc;
	d = json_number_value(v);
	if ((lo_open ? d <= lo : d < lo) || d > hi)
		return pg_jctx_fail(x, PG_EINPUT, "%s must be %s %g and at most %g, not %g",
				    pg_jpath_join(path, sizeof(path), at, key),
				    lo_open ? ">" : ">=", lo, hi, d);
	*out = d;
	return 0;
}

int pg_jctx_bool(struct pg_jctx *x, json_t *obj, const char *at, const char *key, int *out)
{
	json_t *v;
	int rc;

	rc = pg_jctx_member(x, obj, at, key, JSON_TRUE, "a boolean", &v);
	if (!rc && v)
		*out = json_is_true(v);
	return rc;
}
