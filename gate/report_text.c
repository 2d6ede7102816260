// SPDX-License-Identifier: MIT
/* The terminal table: one line per metric, verdicts coloured on a TTY
 * (red regression, green improvement, dim reported), the top movers of the
 * CPU profile, and the whole run's verdict last, where the eye lands. */
#include <math.h>
#include <string.h>

#include "esc.h"
#include "report.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *colour_of(enum pg_verdict_kind k)
{
	switch (k) {
	case PG_VERDICT_REGRESSION:
		return RED BOLD;
	case PG_VERDICT_IMPROVEMENT:
		return GREEN;
	case PG_VERDICT_REPORTED:
		return DIM;
	case PG_VERDICT_INCONCLUSIVE:
		return BOLD;
	default:
		return "";
	}
}

/* Names and units come from baselines, profiles and load scripts: escape
 * their control characters (ESC, OSC) before they reach a terminal. */
#define ESC(buf, s) pg_esc_text(buf, sizeof(buf), (s), 0)

static void header(FILE *f, const struct pg_report *r, int stored)
{
	const struct pg_verdict *v = r->verdict;
	char ref[160], e[256], e2[640], note[512];

	/* the reference names a commit from a result file: inert too */
	pg_report_fmt_reference(ref, sizeof(ref), v);
	fprintf(f, "perfgate: scenario '%s' against %s\n", ESC(e, pg_report_scenario(r)),
		ESC(e2, ref));
	if (pg_report_host_note(r, note, sizeof(note)))
		fprintf(f, "warning: %s\n", ESC(e, note));
	fprintf(f, "\n%-34s ", "metric");
	if (stored)
		fprintf(f, "%12s ", "stored");
	fprintf(f, "%12s %12s %10s ", v->paired ? "reference" : "baseline", "current", "change");
	if (v->paired)
		fprintf(f, "%16s ", "95 % interval");
	fprintf(f, "%9s %8s  %s\n", "threshold", "p", "verdict");
}

static void row(FILE *f, const struct pg_compare_row *w, const struct pg_verdict *v, int stored,
		int color)
{
	char base[32], cur[32], chg[32], thr[32], p[32], ci[48], st[32], e[256];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	if (w->gated)
		snprintf(thr, sizeof(thr), "%g %%", w->threshold_pct);
	else
		snprintf(thr, sizeof(thr), "-");
	if (isnan(w->p_value))
		snprintf(p, sizeof(p), "-");
	else
		snprintf(p, sizeof(p), "%.3g", w->p_value);
	fprintf(f, "%s%-34s ", color ? colour_of(w->verdict) : "", ESC(e, w->metric));
	if (stored) {
		pg_report_fmt_value(st, sizeof(st), w->stored);
		fprintf(f, "%12s ", st);
	}
	fprintf(f, "%12s %12s %10s ", base, cur, chg);
	if (v->paired) {
		pg_report_fmt_interval(ci, sizeof(ci), w);
		fprintf(f, "%16s ", ci);
	}
	fprintf(f, "%9s %8s  %s%s%s%s\n", thr, p, pg_verdict_name(w->verdict), w->note ? " (" : "",
		w->note ? w->note : "", w->note ? ")" : "");
	if (color)
		fputs(RESET, f);
}

static void movers(FILE *f, const struct pg_verdict *v)
{
	char e[512];
	size_t i;

	if (!v->nmovers)
		return;
	fprintf(f, "\ntop movers (flat share of CPU, %s -> current):\n",
		v->paired ? "reference" : "baseline");
	for (i = 0; i < v->nmovers; i++)
		fprintf(f, "  %6.1f %% -> %5.1f %%  (%+.1f)  %s\n", v->movers[i].baseline_pct,
			v->movers[i].current_pct,
			v->movers[i].current_pct - v->movers[i].baseline_pct,
			ESC(e, v->movers[i].name));
}

static void findings(FILE *f, const struct pg_report *r)
{
	const struct pg_findings *fs = r->evidence ? &r->evidence->findings : NULL;
	char samples[256], note[512];
	size_t i;

	if (pg_report_samples(r, samples, sizeof(samples)))
		fprintf(f, "\n%s\n", samples);
	if (pg_report_vdso_note(r, note, sizeof(note)))
		fprintf(f, "\nnote: %s\n", note);
	if (!fs || !fs->n)
		return;
	fprintf(f, "\nfindings (what the other signal says):\n");
	for (i = 0; i < fs->n; i++)
		fprintf(f, "  %s: %s\n", fs->items[i].metric, fs->items[i].text);
}

static void metrics_only(FILE *f, const struct pg_result *c)
{
	char cur[32], e[256], u[64];
	size_t i;

	fprintf(f, "perfgate: scenario '%s' (no comparison)\n\n",
		ESC(e, c->scenario ? c->scenario : "?"));
	for (i = 0; i < c->nmetrics; i++) {
		pg_report_fmt_value(cur, sizeof(cur), pg_metric_median(&c->metrics[i]));
		fprintf(f, "%-34s %12s %s\n", ESC(e, c->metrics[i].name), cur,
			ESC(u, c->metrics[i].unit));
	}
}

static void notes(FILE *f, const struct pg_report *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		fputs("note: ", f);
		pg_esc_fputs(f, r->notes[i]);
		fputc('\n', f);
	}
}

int pg_report_text(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_verdict *v = r->verdict;
	char e[256];
	size_t i;
	int stored;

	(void)err;
	notes(f, r);
	if (r->error) {
		fputs("perfgate: no verdict: ", f);
		pg_esc_fputs(f, r->error->msg);
		fputc('\n', f);
		return 0;
	}
	if (!v) {
		if (r->current)
			metrics_only(f, r->current);
		if (r->warning)
			fprintf(f, "\nwarning: %s\n", ESC(e, r->warning));
		return 0;
	}
	stored = pg_report_has_stored(v);
	header(f, r, stored);
	for (i = 0; i < v->nrows; i++)
		row(f, &v->rows[i], v, stored, r->color);
	movers(f, v);
	for (i = 0; i < v->nnotes; i++)
		fprintf(f, "%snote: %s\n", i ? "" : "\n", ESC(e, v->notes[i]));
	findings(f, r);
	fprintf(f, "\n%sverdict: %s%s", r->color && v->nregressions ? RED BOLD : "",
		pg_report_outcome(v), r->color && v->nregressions ? RESET : "");
	if (v->nregressions)
		fprintf(f, " (%zu metric%s regressed)", v->nregressions,
			v->nregressions == 1 ? "" : "s");
	else if (v->ninconclusive)
		fprintf(f, " (%zu metric%s not decided)", v->ninconclusive,
			v->ninconclusive == 1 ? "" : "s");
	fputc('\n', f);
	return 0;
}
