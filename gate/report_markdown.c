// SPDX-License-Identifier: MIT
/* summary.md: a table for a merge request comment, with ✅/❌ per gated
 * metric (regressions first), the reference commit and the CPU profile's
 * top movers. */
#include <math.h>
#include <string.h>

#include "esc.h"
#include "report.h"

/* Cells in code spans (metric, function and scenario names) and plain
 * cells (units, notes) escape differently: see esc.h. */
static void md_cell(FILE *f, const char *s)
{
	pg_esc_md(f, s, 1);
}

static const char *icon(const struct pg_compare_row *w)
{
	switch (w->verdict) {
	case PG_VERDICT_REGRESSION:
		return "❌";
	case PG_VERDICT_IMPROVEMENT:
		return "🚀";
	case PG_VERDICT_REPORTED:
		return "ℹ️";
	case PG_VERDICT_INCONCLUSIVE:
		return "❔";
	default:
		return "✅";
	}
}

static void row(FILE *f, const struct pg_compare_row *w, const struct pg_verdict *v, int stored)
{
	char base[32], cur[32], chg[32], ci[48];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	fprintf(f, "| %s | `", icon(w));
	md_cell(f, w->metric);
	fputs("` | ", f);
	if (stored) {
		pg_report_fmt_value(ci, sizeof(ci), w->stored);
		fprintf(f, "%s | ", ci);
	}
	fprintf(f, "%s | %s | ", base, cur);
	pg_esc_md(f, w->unit, 0);
	fprintf(f, " | %s | ", chg);
	if (v->paired) {
		pg_report_fmt_interval(ci, sizeof(ci), w);
		fprintf(f, "%s | ", ci);
	}
	if (w->gated)
		fprintf(f, "%g %%", w->threshold_pct);
	else
		fputs("-", f);
	if (isnan(w->p_value))
		fputs(" | - | ", f);
	else
		fprintf(f, " | %.3g | ", w->p_value);
	fputs(pg_verdict_name(w->verdict), f);
	if (w->note)
		fprintf(f, " (%s)", w->note);
	fputs(" |\n", f);
}

static void movers(FILE *f, const struct pg_verdict *v)
{
	size_t i;

	if (!v->nmovers)
		return;
	fputs("\n**Top movers** (flat share of CPU)\n\n"
	      "| function | baseline | current | change |\n|---|---:|---:|---:|\n",
	      f);
	for (i = 0; i < v->nmovers; i++) {
		fputs("| `", f);
		md_cell(f, v->movers[i].name);
		fprintf(f, "` | %.1f %% | %.1f %% | %+.1f pp |\n", v->movers[i].baseline_pct,
			v->movers[i].current_pct,
			v->movers[i].current_pct - v->movers[i].baseline_pct);
	}
}

static void findings(FILE *f, const struct pg_report *r)
{
	const struct pg_findings *fs = r->evidence ? &r->evidence->findings : NULL;
	char samples[256], note[512];
	size_t i;

	if (pg_report_vdso_note(r, note, sizeof(note)))
		fprintf(f, "\n> **Note:** %s.\n", note);
	if (fs && fs->n)
		fputs("\n**Findings** (what the other signal says)\n\n", f);
	for (i = 0; fs && i < fs->n; i++) {
		fputs("- `", f);
		md_cell(f, fs->items[i].metric);
		fprintf(f, "` (%s): ", pg_finding_kind_name(fs->items[i].kind));
		md_cell(f, fs->items[i].text);
		fputc('\n', f);
	}
	if (pg_report_samples(r, samples, sizeof(samples)))
		fprintf(f, "\n%s.\n", samples);
}

static void table_head(FILE *f, const struct pg_verdict *v, int stored)
{
	fprintf(f, "| | metric | %s%s | current | unit | change | %sthreshold | p | verdict |\n",
		stored ? "stored | " : "", v->paired ? "reference" : "baseline",
		v->paired ? "95 % interval | " : "");
	fprintf(f, "|---|---|%s---:|---:|---|---:|%s---:|---:|---|\n", stored ? "---:|" : "",
		v->paired ? "---:|" : "");
}

static const char *headline(const struct pg_verdict *v)
{
	if (v->nregressions)
		return "❌ regression";
	return v->ninconclusive ? "❔ inconclusive" : "✅ pass";
}

int pg_report_markdown(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_verdict *v = r->verdict;
	char ref[160], note[512];
	size_t i;
	int stored;

	(void)err;
	if (!v)
		return 0;
	stored = pg_report_has_stored(v);
	fprintf(f, "### perfgate: `");
	md_cell(f, pg_report_scenario(r));
	fprintf(f, "` %s\n\n", headline(v));
	for (i = 0; i < r->nnotes; i++) {
		fputs("> **Note:** ", f);
		pg_esc_md(f, r->notes[i], 0);
		fputs("\n\n", f);
	}
	pg_report_fmt_reference(ref, sizeof(ref), v);
	fputs("Compared with ", f);
	pg_esc_md(f, ref, 0);
	fputs(".\n\n", f);
	if (pg_report_host_note(r, note, sizeof(note))) {
		fputs("⚠️ ", f);
		pg_esc_md(f, note, 0);
		fputs("\n\n", f);
	}
	table_head(f, v, stored);
	/* regressions first: the rows a reviewer came for */
	for (i = 0; i < v->nrows; i++)
		if (v->rows[i].verdict == PG_VERDICT_REGRESSION)
			row(f, &v->rows[i], v, stored);
	for (i = 0; i < v->nrows; i++)
		if (v->rows[i].verdict != PG_VERDICT_REGRESSION)
			row(f, &v->rows[i], v, stored);
	movers(f, v);
	if (v->nnotes)
		fputs("\n", f);
	for (i = 0; i < v->nnotes; i++) {
		fputs("- ", f);
		pg_esc_md(f, v->notes[i], 0);
		fputs("\n", f);
	}
	findings(f, r);
	return 0;
}
