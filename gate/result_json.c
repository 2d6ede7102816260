// SPDX-License-Identifier: MIT
/* result.json and baseline files <-> struct pg_result. Reading is strict:
 * these files come from disk and merge requests, so every field is checked
 * and a bad one is named with its path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "result.h"

/* Enough functions for "top movers" on both sides, few enough that a
 * baseline stays a readable review diff. The service's own handlers spend
 * little time themselves and much below them: kept by cumulative time, they
 * are there even when a short profile spreads flat time thin. */
#define MAX_SAVED_BY_FLAT 50
#define MAX_SAVED_BY_CUM 25
/* More metrics or functions than any capture makes: a hostile file. */
#define MAX_LOADED 10000
#define JSON_FLAGS (JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12))

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *metric_to_json(const struct pg_metric *m)
{
	json_t *values = json_array();
	size_t i;

	for (i = 0; i < m->nvalues; i++)
		json_array_append_new(values, json_real(m->values[i]));
	return json_pack("{s:s, s:s, s:o, s:f}", "unit", m->unit, "better",
			 pg_better_name(m->better), "values", values, "median",
			 pg_metric_median(m));
}

static int cum_desc(const void *a, const void *b)
{
	const struct pg_func *x = *(const struct pg_func *const *)a;
	const struct pg_func *y = *(const struct pg_func *const *)b;

	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Which of r->funcs (sorted by flat time) a result file keeps: the first
 * MAX_SAVED_BY_FLAT and the MAX_SAVED_BY_CUM with the most cumulative time.
 * NULL when out of memory. */
static char *saved_funcs(const struct pg_result *r)
{
	const struct pg_func **by_cum = malloc((r->nfuncs + 1) * sizeof(*by_cum));
	char *keep = calloc(r->nfuncs + 1, 1);
	size_t i;

	if (!by_cum || !keep) {
		free(keep);
		keep = NULL;
		goto out;
	}
	for (i = 0; i < r->nfuncs; i++) {
		by_cum[i] = &r->funcs[i];
		keep[i] = i < MAX_SAVED_BY_FLAT;
	}
	qsort(by_cum, r->nfuncs, sizeof(*by_cum), cum_desc);
	for (i = 0; i < r->nfuncs && i < MAX_SAVED_BY_CUM; i++)
		keep[by_cum[i] - r->funcs] = 1;
out:
	free(by_cum);
	return keep;
}

static json_t *funcs_to_json(const struct pg_result *r)
{
	char *keep = saved_funcs(r);
	json_t *fns = keep ? json_array() : NULL;
	size_t i;

	for (i = 0; fns && i < r->nfuncs; i++)
		if (keep[i])
			json_array_append_new(fns,
					      json_pack("{s:s, s:I, s:I}", "name", r->funcs[i].name,
							"flat", (json_int_t)r->funcs[i].flat, "cum",
							(json_int_t)r->funcs[i].cum));
	free(keep);
	json_t *top =
		json_pack("{s:o, s:o, s:I, s:o}", "sample_type",
			  str_or_null(r->profile_sample_type), "unit", str_or_null(r->profile_unit),
			  "total", (json_int_t)r->profile_total, "functions", fns);

	/* only when set, so baseline files stay as they were */
	if (top && r->profile_error &&
	    json_object_set_new(top, "error", json_string(r->profile_error))) {
		json_decref(top);
		return NULL;
	}
	return top;
}

/* Optional members only when set, so baseline files stay as they were. */
static int set_str(json_t *obj, const char *key, const char *v)
{
	return v && json_object_set_new(obj, key, json_string(v));
}

json_t *pg_result_to_json(const struct pg_result *r)
{
	json_t *metrics = json_object(), *root;
	size_t i;

	for (i = 0; i < r->nmetrics; i++)
		json_object_set_new(metrics, r->metrics[i].name, metric_to_json(&r->metrics[i]));
	root = json_pack("{s:i, s:o, s:o, s:b, s:o, s:{s:o, s:o, s:i}, s:i, s:o, s:o}", "schema",
			 PG_RESULT_SCHEMA, "scenario", str_or_null(r->scenario), "commit",
			 str_or_null(r->commit), "dirty", r->dirty, "created",
			 str_or_null(r->created), "host", "kernel", str_or_null(r->host.kernel),
			 "cpu_model", str_or_null(r->host.cpu_model), "cores", r->host.cores,
			 "runs", r->runs, "metrics", metrics, "cpu_top", funcs_to_json(r));
	if (root && ((r->getrandom_hist &&
		      json_object_set_new(root, "getrandom_hist", pg_result_hist_to_json(r))) ||
		     set_str(root, "go_version", r->go_version) ||
		     set_str(root, "cpu_scope", r->cpu_scope))) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* Copy an optional string member; a present non-string is an error. */
static int get_str(const json_t *obj, const char *key, char **out, const char *what,
		   struct pg_err *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return pg_err_set(err, PG_EINPUT, "%s: '%s' must be a string", what, key);
	*out = strdup(json_string_value(v));
	return *out ? 0 : pg_err_nomem(err);
}

static enum pg_better better_of(const char *s)
{
	if (!strcmp(s, "lower"))
		return PG_BETTER_LOWER;
	if (!strcmp(s, "higher"))
		return PG_BETTER_HIGHER;
	return PG_BETTER_NONE;
}

static int metric_from_json(struct pg_result *r, const char *name, const json_t *m,
			    const char *what, struct pg_err *err)
{
	const char *unit = NULL, *better = NULL;
	json_t *values = NULL, *v;
	json_error_t je;
	size_t i;
	int rc;

	if (json_unpack_ex((json_t *)m, &je, 0, "{s:s, s:s, s:o}", "unit", &unit, "better", &better,
			   "values", &values) ||
	    !json_is_array(values) || !json_array_size(values))
		return pg_err_set(err, PG_EINPUT,
				  "%s: metric '%s' needs \"unit\", \"better\" and non-empty "
				  "\"values\"",
				  what, name);
	if (strcmp(better, "lower") && strcmp(better, "higher") && strcmp(better, "none"))
		return pg_err_set(err, PG_EINPUT, "%s: metric '%s' has unknown direction '%s'",
				  what, name, better);
	json_array_foreach (values, i, v) {
		if (!json_is_number(v))
			return pg_err_set(err, PG_EINPUT,
					  "%s: metrics.%s.values[%zu] is not a number", what, name,
					  i);
		rc = pg_result_add_value(r, name, unit, better_of(better), json_number_value(v),
					 err);
		if (rc)
			return rc;
	}
	return 0;
}

static int funcs_from_json(struct pg_result *r, const json_t *top, const char *what,
			   struct pg_err *err)
{
	json_t *fns, *f;
	json_int_t flat, cum;
	const char *name;
	size_t i;
	int rc;

	if (!top || json_is_null(top))
		return 0;
	if ((rc = get_str(top, "sample_type", &r->profile_sample_type, what, err)) ||
	    (rc = get_str(top, "unit", &r->profile_unit, what, err)) ||
	    (rc = get_str(top, "error", &r->profile_error, what, err)))
		return rc;
	r->profile_total = json_integer_value(json_object_get(top, "total"));
	fns = json_object_get(top, "functions");
	if (fns && !json_is_array(fns))
		return pg_err_set(err, PG_EINPUT, "%s: cpu_top.functions must be an array", what);
	/* adding a function searches the list: bound it (perfgate saves at most 75) */
	if (json_array_size(fns) > MAX_LOADED)
		return pg_err_set(err, PG_EINPUT, "%s: more than %d cpu_top.functions", what,
				  MAX_LOADED);
	json_array_foreach (fns, i, f) {
		if (json_unpack(f, "{s:s, s:I, s:I}", "name", &name, "flat", &flat, "cum", &cum))
			return pg_err_set(err, PG_EINPUT,
					  "%s: cpu_top.functions[%zu] needs name, flat and cum",
					  what, i);
		rc = pg_result_add_func(r, name, flat, cum, err);
		if (rc)
			return rc;
	}
	pg_result_sort_funcs(r);
	return 0;
}

static int header_from_json(struct pg_result *r, const json_t *root, const char *what,
			    struct pg_err *err)
{
	json_t *host = json_object_get(root, "host");
	json_t *schema = json_object_get(root, "schema");
	int rc;

	if (!json_is_integer(schema) || json_integer_value(schema) != PG_RESULT_SCHEMA)
		return pg_err_set(err, PG_EINPUT, "%s: unsupported schema (want %d)", what,
				  PG_RESULT_SCHEMA);
	if ((rc = get_str(root, "scenario", &r->scenario, what, err)) ||
	    (rc = get_str(root, "commit", &r->commit, what, err)) ||
	    (rc = get_str(root, "created", &r->created, what, err)))
		return rc;
	r->dirty = json_is_true(json_object_get(root, "dirty"));
	r->runs = (int)json_integer_value(json_object_get(root, "runs"));
	if (json_is_object(host)) {
		if ((rc = get_str(host, "kernel", &r->host.kernel, what, err)) ||
		    (rc = get_str(host, "cpu_model", &r->host.cpu_model, what, err)))
			return rc;
		r->host.cores = (int)json_integer_value(json_object_get(host, "cores"));
	}
	return 0;
}

int pg_result_from_json(struct pg_result *r, const json_t *root, const char *what,
			struct pg_err *err)
{
	json_t *metrics, *m;
	const char *name;
	int rc;

	if (!json_is_object(root))
		return pg_err_set(err, PG_EINPUT, "%s: not a JSON object", what);
	rc = header_from_json(r, root, what, err);
	if (rc)
		return rc;
	metrics = json_object_get(root, "metrics");
	if (!json_is_object(metrics))
		return pg_err_set(err, PG_EINPUT, "%s: \"metrics\" must be an object", what);
	if (json_object_size(metrics) > MAX_LOADED)
		return pg_err_set(err, PG_EINPUT, "%s: more than %d metrics", what, MAX_LOADED);
	json_object_foreach (metrics, name, m) {
		if (!json_is_object(m))
			return pg_err_set(err, PG_EINPUT, "%s: metric '%s' must be an object", what,
					  name);
		rc = metric_from_json(r, name, m, what, err);
		if (rc)
			return rc;
	}
	rc = funcs_from_json(r, json_object_get(root, "cpu_top"), what, err);
	if (!rc)
		rc = get_str(root, "go_version", &r->go_version, what, err);
	if (!rc)
		rc = get_str(root, "cpu_scope", &r->cpu_scope, what, err);
	if (!rc && r->cpu_scope && strcmp(r->cpu_scope, "cgroup") &&
	    strcmp(r->cpu_scope, PG_CPU_SCOPE_PROCESS))
		rc = pg_err_set(err, PG_EINPUT, "%s: \"cpu_scope\" must be \"cgroup\" or \"%s\"",
				what, PG_CPU_SCOPE_PROCESS);
	return rc ? rc
		  : pg_result_hist_from_json(r, json_object_get(root, "getrandom_hist"), what, err);
}

/* jansson's messages end in "near '<token>'", a piece of the input: cut
 * it, so that an error about a file (perhaps a symlink to /etc/shadow)
 * never echoes its content. */
static void strip_near(char *text)
{
	char *near = strstr(text, " near ");

	if (near)
		*near = '\0';
}

int pg_result_parse(struct pg_result *r, const char *data, size_t len, const char *what,
		    struct pg_err *err)
{
	json_t *root;
	json_error_t je;
	int rc;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		strip_near(je.text);
		return pg_err_set(err, PG_EINPUT, "%s: malformed JSON at line %d column %d: %s",
				  what, je.line, je.column, je.text);
	}
	rc = pg_result_from_json(r, root, what, err);
	json_decref(root);
	return rc;
}

int pg_result_load(struct pg_result *r, const char *path, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(PG_RESULT_MAX_BYTES);
	int rc;

	rc = pg_buf_read_file(&b, path, err);
	if (!rc)
		rc = pg_result_parse(r, b.data, b.len, path, err);
	pg_buf_release(&b);
	return rc;
}

int pg_json_save(const json_t *root, const char *path, int excl, struct pg_err *err)
{
	char *text;
	size_t len;
	int rc;

	/* A final newline keeps `cat` and diff tools happy. */
	text = json_dumps(root, JSON_FLAGS);
	if (!text)
		return pg_err_nomem(err);
	len = strlen(text);
	text[len] = '\n';
	rc = pg_fs_write_atomic(path, text, len + 1, excl, err);
	free(text);
	return rc;
}

int pg_json_print(const json_t *root, FILE *f)
{
	return json_dumpf(root, f, JSON_FLAGS) || fputc('\n', f) == EOF ? -1 : 0;
}

int pg_result_save(const struct pg_result *r, const char *path, int excl, struct pg_err *err)
{
	json_t *root = pg_result_to_json(r);
	int rc;

	if (!root)
		return pg_err_nomem(err);
	rc = pg_json_save(root, path, excl, err);
	json_decref(root);
	return rc;
}
