// SPDX-License-Identifier: MIT
/* metrics.txt: the current medians in OpenMetrics text, which GitLab's
 * metrics report reads (and diffs against the target branch's artifact).
 * Names: perfgate_<metric>, every character outside [A-Za-z0-9_] -> '_',
 * labelled with the scenario so the legs of a parallel:matrix job do not
 * write the same series. GitLab compares the values as strings, so they are
 * rounded to PG_METRICS_DIGITS significant digits: a median that moved in
 * its tenth digit would otherwise always show as changed. */
#include <math.h>

#include "esc.h"
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

/* Text from result files, which may come from elsewhere: made inert first
 * (controls, bytes that are not UTF-8 and bidi overrides as \xNN or
 * \uNNNN, newlines included), then escaped by the OpenMetrics rule
 * (backslash, and in a label value the quote). */
static void put_text(FILE *f, const char *s, int label)
{
	char inert[1024];
	const char *p;

	for (p = pg_esc_text(inert, sizeof(inert), s, 0); *p; p++) {
		if (*p == '\\' || (label && *p == '"'))
			fputc('\\', f);
		fputc(*p, f);
	}
}

static void put_help(FILE *f, const struct pg_metric *m)
{
	fputs(" median over runs of ", f);
	put_text(f, m->name, 0);
	fputs(" (", f);
	put_text(f, m->unit[0] ? m->unit : "-", 0);
	fprintf(f, ", %s is better)\n", pg_better_name(m->better));
}

/* Config names cannot hold a quote or a control; a result file might. */
static void put_label(FILE *f, const char *value)
{
	fputs("{scenario=\"", f);
	put_text(f, value, 1);
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
