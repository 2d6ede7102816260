// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "config.h"

/* A load script is an arbitrary program: its metrics file is untrusted and
 * bounded. Keys become metric names "load.<key>", so they share the scenario
 * name charset. */
#define METRICS_MAX_BYTES (1 << 20)
#define METRIC_KEY_MAX 64

static int valid_key(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n && !s[n] && n <= METRIC_KEY_MAX;
}

void pg_loadmetrics_free(struct pg_loadmetric *m, size_t n)
{
	size_t i;

	for (i = 0; m && i < n; i++)
		free(m[i].key);
	free(m);
}

/* Copy every member of the (checked) object into a NULL-terminated array. */
static int collect(json_t *root, struct pg_loadmetric **out, size_t *n, struct pg_err *err)
{
	struct pg_loadmetric *m;
	const char *key;
	json_t *v;
	size_t i = 0;

	m = calloc(json_object_size(root) + 1, sizeof(*m));
	if (!m)
		return pg_err_nomem(err);
	json_object_foreach (root, key, v) {
		if (!valid_key(key)) {
			pg_loadmetrics_free(m, i);
			return pg_err_set(err, PG_EINPUT,
					  "bad metric name '%.64s'; use [A-Za-z0-9._-], at most %d",
					  key, METRIC_KEY_MAX);
		}
		if (!json_is_number(v) || !isfinite(json_number_value(v))) {
			pg_loadmetrics_free(m, i);
			return pg_err_set(err, PG_EINPUT, "metric '%s' is not a finite number",
					  key);
		}
		m[i].key = strdup(key);
		m[i].value = json_number_value(v);
		if (!m[i++].key) {
			pg_loadmetrics_free(m, i);
			return pg_err_nomem(err);
		}
	}
	*out = m;
	*n = i;
	return 0;
}

int pg_loadmetrics_parse(struct pg_loadmetric **out, size_t *n, const char *text, size_t len,
			 struct pg_err *err)
{
	json_error_t jerr;
	json_t *root = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	if (len > METRICS_MAX_BYTES)
		return pg_err_set(err, PG_EINPUT, "larger than %d bytes", METRICS_MAX_BYTES);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root)
		return pg_err_set(err, PG_EINPUT, "invalid JSON at line %d column %d: %s",
				  jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root))
		rc = pg_err_set(err, PG_EINPUT, "not a JSON object of numbers");
	else if (!json_object_size(root))
		rc = pg_err_set(err, PG_EINPUT, "no metrics in it");
	else
		rc = collect(root, out, n, err);
	json_decref(root);
	return rc;
}

int pg_loadmetrics_load(struct pg_loadmetric **out, size_t *n, const char *path, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(METRICS_MAX_BYTES);
	struct pg_err e = PG_ERR_INIT;
	int rc;

	*out = NULL;
	*n = 0;
	rc = pg_buf_read_file(&b, path, &e);
	if (!rc)
		rc = pg_loadmetrics_parse(out, n, b.data, b.len, &e);
	if (rc == PG_EINPUT)
		rc = pg_err_set(err, PG_EINPUT, "metrics file '%s': %s", path, e.msg);
	else if (rc)
		rc = pg_err_set(err, rc, "%s", e.msg);
	pg_buf_release(&b);
	return rc;
}
