#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "report.h"

static const struct pg_report_writer writers[] = {
	{ "json", "result.json", pg_report_json, 0, 0, 0 },
	{ "junit", "junit.xml", pg_report_junit, 1, 0, 0 },
	{ "openmetrics", "metrics.txt", pg_report_openmetrics, 0, 0, 0 },
	{ "markdown", "summary.md", pg_report_markdown, 1, 0, 0 },
	{ "flame", "flame-diff.svg", pg_report_flame, 0, 1, 0 },
	{ "reference", "reference.json", pg_report_reference, 1, 0, 1 },
	{ "text", NULL, pg_report_text, 0, 0, 0 },
};

#define NWRITERS (sizeof(writers) / sizeof(writers[0]))

const struct pg_report_writer *pg_report_writers(size_t *n)
{
	*n = NWRITERS;
	return writers;
}

const struct pg_report_writer *pg_report_writer_find(const char *name)
{
	size_t i;

	for (i = 0; i < NWRITERS; i++)
		if (!strcmp(writers[i].name, name))
			return &writers[i];
	return NULL;
}

int pg_report_print(const struct pg_report_writer *w, const struct pg_report *r, FILE *f,
		    struct pg_err *err)
{
	int rc = w->write(f, r, err);

	if (!rc && (fflush(f) || ferror(f)))
		rc = pg_err_set(err, PG_EINPUT, "cannot write the %s report", w->name);
	return rc;
}

/* Render into memory first so that a failing writer leaves no partial
 * file, then publish with one atomic rename. */
int pg_report_save(const struct pg_report_writer *w, const struct pg_report *r, const char *path,
		   struct pg_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	f = open_memstream(&text, &len);
	if (!f)
		return pg_err_nomem(err);
	rc = w->write(f, r, err);
	if (fclose(f) && !rc)
		rc = pg_err_nomem(err);
	if (!rc)
		rc = pg_fs_write_atomic(path, text, len, 0, err);
	free(text);
	return rc;
}

/* The current CPU profile beside result.json, as capture -o keeps it, so
 * `baseline record --from DIR/result.json` records the profile too (the
 * default-branch CI job records the baseline from its check's reports). */
static int save_profile(const struct pg_report *r, const char *dir, struct pg_err *err)
{
	char path[4096];

	if (r->error || !r->current_profile_len)
		return 0;
	if (snprintf(path, sizeof(path), "%s/result.pb.gz", dir) >= (int)sizeof(path))
		return pg_err_set(err, PG_EUSAGE, "report directory path too long: '%s'", dir);
	return pg_fs_write_atomic(path, r->current_profile, r->current_profile_len, 0, err);
}

int pg_report_write_dir(const struct pg_report *r, const char *dir, struct pg_err *err)
{
	char path[4096];
	size_t i;
	int rc;

	rc = pg_fs_mkdirs(dir, err);
	if (rc)
		return rc;
	for (i = 0; i < NWRITERS; i++) {
		if (!writers[i].filename)
			continue;
		if (r->error && strcmp(writers[i].name, "json"))
			continue;
		if (!r->verdict && writers[i].needs_verdict)
			continue;
		if (!r->current_profile_len && writers[i].needs_profile)
			continue;
		if (writers[i].needs_paired && !(r->verdict && r->verdict->paired))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, writers[i].filename) >=
		    (int)sizeof(path))
			return pg_err_set(err, PG_EUSAGE, "report directory path too long: '%s'",
					  dir);
		rc = pg_report_save(&writers[i], r, path, err);
		if (rc)
			return rc;
	}
	return save_profile(r, dir, err);
}

int pg_report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(nc && *nc);
}

/* Six significant digits: enough for ns and for s per request alike. */
void pg_report_fmt_value(char *out, size_t len, double v)
{
	if (isnan(v))
		snprintf(out, len, "-");
	else
		snprintf(out, len, "%.6g", v);
}

void pg_report_fmt_change(char *out, size_t len, double pct)
{
	if (isnan(pct))
		snprintf(out, len, "-");
	else if (isinf(pct))
		snprintf(out, len, pct > 0 ? "new > 0" : "new < 0");
	else
		snprintf(out, len, "%+.1f %%", pct);
}

int pg_report_host_note(const struct pg_report *r, char *out, size_t n)
{
	char facts[400];

	if (!r->baseline || !r->current ||
	    !pg_host_mismatch(&r->baseline->host, &r->current->host, facts, sizeof(facts)))
		return 0;
	snprintf(out, n,
		 "host mismatch: baseline on %s (this run); changes may come from the hosts, "
		 "not the code",
		 facts);
	return 1;
}

const char *pg_report_scenario(const struct pg_report *r)
{
	if (r->current && r->current->scenario)
		return r->current->scenario;
	if (r->baseline && r->baseline->scenario)
		return r->baseline->scenario;
	return "unknown";
}

void pg_report_fmt_interval(char *out, size_t len, const struct pg_compare_row *w)
{
	if (isfinite(w->lo_pct) && isfinite(w->hi_pct))
		snprintf(out, len, "[%+.1f, %+.1f]", w->lo_pct, w->hi_pct);
	else
		snprintf(out, len, "-");
}

void pg_report_fmt_reference(char *out, size_t len, const struct pg_verdict *v)
{
	const char *c = v->ref_commit ? v->ref_commit : "?";

	if (v->paired)
		snprintf(out, len, "reference %.12s, re-measured here in %zu paired round%s", c,
			 v->rounds, v->rounds == 1 ? "" : "s");
	else if (v->ref_distance > 0)
		snprintf(out, len, "the baseline of %.12s (%d commit%s back)", c, v->ref_distance,
			 v->ref_distance == 1 ? "" : "s");
	else
		snprintf(out, len, "the baseline of %.12s", c);
}

const char *pg_report_outcome(const struct pg_verdict *v)
{
	if (v->nregressions)
		return "REGRESSION";
	return v->ninconclusive ? "inconclusive" : "pass";
}

int pg_report_has_stored(const struct pg_verdict *v)
{
	size_t i;

	for (i = 0; v->paired && i < v->nrows; i++)
		if (isfinite(v->rows[i].stored))
			return 1;
	return 0;
}

int pg_report_reference(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	json_t *root = r->baseline ? pg_result_to_json(r->baseline) : NULL;
	int rc = 0;

	if (!root)
		return pg_err_nomem(err);
	if (pg_json_print(root, f))
		rc = pg_err_set(err, PG_EINPUT, "cannot write reference.json");
	json_decref(root);
	return rc;
}
