// SPDX-License-Identifier: MIT
/* metrics.txt: the current medians in OpenMetrics text, which GitLab's
 * metrics report reads (and diffs against the target branch's artifact).
 * Names: perfgate_<metric>, every character outside [A-Za-z0-9_] -> '_',
 * labelled with the scenario so the legs of a parallel:matrix job do not
 * write the same series. GitLab compares the values as strings, so they are
 * rounded to PG_METRICS_DIGITS significant digits: a median that moved in
 * its tenth digit would otherwise always show as changed. */
#include <math.h>

#include "report.h"

#define PG_METRICS_DIGITS 3

static void put_name(FILE *f, const char *metric)
{
	fputs("perfgate_", f);
	for (; *metric; metric++) {
		char c = *metric;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '_';

		fputc(ok ? c : '_', f);
	}
}

/* HELP text escapes backslash and newline (the OpenMetrics rule). */
static void put_help(FILE *f, const struct pg_metric *m)
{
	const char *s;

	fputs(" median over runs of ", f);
	for (s = m->name; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fprintf(f, " (%s, %s is better)\n", m->unit[0] ? m->unit : "-", pg_better_name(m->better));
}

/* Label values escape backslash, quote and newline (the OpenMetrics rule);
 * config names cannot hold them, a result file from elsewhere might. */
static void put_label(FILE *f, const char *value)
{
	fputs("{scenario=\"", f);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fputc('\\', f);
		if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputs("\"}", f);
}

int pg_report_openmetrics(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_result *c = r->current;
	size_t i;
	double v;

	(void)err;
	for (i = 0; c && i < c->nmetrics; i++) {
		v = pg_metric_median(&c->metrics[i]);
		if (!isfinite(v))
			continue;
		fputs("# TYPE ", f);
		put_name(f, c->metrics[i].name);
		fputs(" gauge\n# HELP ", f);
		put_name(f, c->metrics[i].name);
		put_help(f, &c->metrics[i]);
		put_name(f, c->metrics[i].name);
		put_label(f, pg_report_scenario(r));
		fprintf(f, " %.*g\n", PG_METRICS_DIGITS, v);
	}
	fputs("# EOF\n", f);
	return 0;
}
