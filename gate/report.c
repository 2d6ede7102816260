// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fs.h"
#include "goinfo.h"
#include "report.h"

static const struct pg_report_writer writers[] = {
	{ "json", "result.json", pg_report_json, 0, 0, 0 },
	{ "junit", "junit.xml", pg_report_junit, 1, 0, 0 },
	{ "openmetrics", "metrics.txt", pg_report_openmetrics, 0, 0, 0 },
	{ "markdown", "summary.md", pg_report_markdown, 1, 0, 0 },
	{ "flame", "flame-diff.svg", pg_report_flame, 0, 1, 0 },
	{ "reference", "reference.json", pg_report_reference, 1, 0, 1 },
	{ "html", "report.html", pg_report_html, 0, 0, 0 },
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

int pg_report_with_evidence(const struct pg_report *r, struct pg_report *copy,
			    struct pg_evidence *ev, struct pg_err *err)
{
	*copy = *r;
	memset(ev, 0, sizeof(*ev));
	if (r->evidence)
		return 0;
	copy->evidence = ev;
	return pg_report_evidence_build(ev, r, err);
}

int pg_report_print(const struct pg_report_writer *w, const struct pg_report *r, FILE *f,
		    struct pg_err *err)
{
	struct pg_report rr;
	struct pg_evidence ev;
	int rc;

	rc = pg_report_with_evidence(r, &rr, &ev, err);
	if (!rc)
		rc = w->write(f, &rr, err);
	if (!rc && (fflush(f) || ferror(f)))
		rc = pg_err_set(err, PG_EINFRA, "cannot write the %s report", w->name);
	pg_report_evidence_release(&ev);
	return rc;
}

int pg_report_render(const struct pg_report_writer *w, const struct pg_report *r, char **out,
		     size_t *len, struct pg_err *err)
{
	FILE *f;
	int rc;

	*out = NULL;
	*len = 0;
	f = open_memstream(out, len);
	if (!f)
		return pg_err_nomem(err);
	rc = w->write(f, r, err);
	if (fclose(f) && !rc)
		rc = pg_err_nomem(err);
	if (rc) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* Render into memory first so that a failing writer leaves no partial
 * file, then publish with one atomic rename. */
int pg_report_save(const struct pg_report_writer *w, const struct pg_report *r, const char *path,
		   struct pg_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	rc = pg_report_render(w, r, &text, &len, err);
	if (!rc)
		rc = pg_fs_write_atomic(path, text, len, 0, err);
	free(text);
	return rc;
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

const struct pg_finding *pg_report_finding(const struct pg_report *r, const char *metric)
{
	const struct pg_findings *f = r->evidence ? &r->evidence->findings : NULL;
	size_t i;

	for (i = 0; f && i < f->n; i++)
		if (!strcmp(f->items[i].metric, metric))
			return &f->items[i];
	return NULL;
}

/* "~" marks a count estimated from CPU time (no profile at hand, only a
 * result's function table). */
static void side_samples(char *out, size_t len, const char *what, const struct pg_cpu_side *s)
{
	if (!s->present)
		snprintf(out, len, "%s: no profile", what);
	else
		snprintf(out, len, "%s: %s%.0f samples", what, s->from_stacks ? "" : "~",
			 s->samples);
}

int pg_report_samples(const struct pg_report *r, char *out, size_t len)
{
	char b[64], c[64];

	if (!r->evidence || (!r->evidence->base.present && !r->evidence->cur.present))
		return 0;
	side_samples(b, sizeof(b), "baseline", &r->evidence->base);
	side_samples(c, sizeof(c), "current", &r->evidence->cur);
	snprintf(out, len, "CPU profile: %s, %s (each side's runs merged)", r->baseline ? b : "",
		 c);
	if (!r->baseline)
		snprintf(out, len, "CPU profile: %s (the runs merged)", c);
	return 1;
}

int pg_report_vdso_note(const struct pg_report *r, char *out, size_t len)
{
	const struct pg_result *c = r->current;
	const char *kernel = c ? c->host.kernel : NULL;
	struct utsname u;

	if (!kernel && !uname(&u))
		kernel = u.release;
	if (!c || !pg_goinfo_vdso_getrandom(c->go_version, kernel))
		return 0;
	snprintf(out, len,
		 "getrandom.* counts only getrandom(2) syscalls: this workload (%s) on Linux %s "
		 "calls getrandom through the vDSO, which syscall tracepoints do not see, so a "
		 "low or zero count does not mean no calls%s",
		 c->go_version, kernel,
		 pg_result_metric(c, "getrandom.vdso_calls")
			 ? "; getrandom.vdso_calls counts those, by a uprobe on runtime.vgetrandom"
			 : "");
	return 1;
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
