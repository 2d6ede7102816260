/* summary.md: a table for a merge request comment, with ✅/❌ per gated
 * metric (regressions first), the reference commit and the CPU profile's
 * top movers. */
#include <math.h>
#include <string.h>

#include "report.h"

/* Inside a table cell a '|' ends the cell and a backtick ends code. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '`')
			fputc('\'', f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
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
	default:
		return "✅";
	}
}

static void row(FILE *f, const struct pg_compare_row *w)
{
	char base[32], cur[32], chg[32];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	fprintf(f, "| %s | `", icon(w));
	md_cell(f, w->metric);
	fprintf(f, "` | %s | %s | ", base, cur);
	md_cell(f, w->unit);
	fprintf(f, " | %s | ", chg);
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

int pg_report_markdown(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_verdict *v = r->verdict;
	char note[512];
	size_t i;

	(void)err;
	if (!v)
		return 0;
	fprintf(f, "### perfgate: `");
	md_cell(f, pg_report_scenario(r));
	fprintf(f, "` %s\n\n", v->nregressions ? "❌ regression" : "✅ pass");
	if (v->ref_commit)
		fprintf(f, "Compared with the baseline of `%.12s`", v->ref_commit);
	if (v->ref_commit && v->ref_distance >= 0)
		fprintf(f, ", %d commit%s back on first-parent history", v->ref_distance,
			v->ref_distance == 1 ? "" : "s");
	if (v->ref_commit)
		fputs(".\n\n", f);
	if (pg_report_host_note(r, note, sizeof(note)))
		fprintf(f, "⚠️ %s\n\n", note);
	fputs("| | metric | baseline | current | unit | change | threshold | p | verdict |\n"
	      "|---|---|---:|---:|---|---:|---:|---:|---|\n",
	      f);
	/* regressions first: the rows a reviewer came for */
	for (i = 0; i < v->nrows; i++)
		if (v->rows[i].verdict == PG_VERDICT_REGRESSION)
			row(f, &v->rows[i]);
	for (i = 0; i < v->nrows; i++)
		if (v->rows[i].verdict != PG_VERDICT_REGRESSION)
			row(f, &v->rows[i]);
	movers(f, v);
	return 0;
}
