// SPDX-License-Identifier: MIT
/* report.html: one self-contained page (no external assets) a reviewer can
 * trust in a minute: the verdict, the metric table, the findings that
 * cross-check eBPF against pprof, the getrandom latency histogram of both
 * sides, retransmits, and the diff flame graph with search and zoom. */
#include <math.h>
#include <string.h>

#include "flame.h"
#include "report.h"

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1a202c;max-width:1240px}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}"
	".verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff}"
	".verdict.regression,.verdict.inconclusive{background:#c53030}"
	".verdict.pass{background:#2f855a}"
	"table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e2e8f0;"
	"text-align:right}td:first-child,th:first-child{text-align:left}"
	"tr.regression td{background:#fff5f5;color:#c53030;font-weight:600}"
	"tr.improvement td{color:#2f855a}tr.reported td{color:#718096}"
	"li.corroborated b{color:#c53030}li.off-CPU b,li.blocked b{color:#b7791f}"
	"code{font:13px monospace}.muted{color:#718096}";

static void put(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void heading(FILE *f, const struct pg_report *r)
{
	const struct pg_verdict *v = r->verdict;
	const char *word = v ? pg_report_outcome(v) : "no comparison";
	char ref[256];

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>perfgate: ",
	      f);
	put(f, pg_report_scenario(r));
	fprintf(f, " %s</title><style>%s</style></head>\n<body>\n<h1>perfgate: <code>", word,
		style);
	put(f, pg_report_scenario(r));
	fprintf(f, "</code> <span id=\"verdict\" class=\"verdict %s\">%s</span></h1>\n",
		!v		   ? "pass"
		: v->nregressions  ? "regression"
		: v->ninconclusive ? "inconclusive"
				   : "pass",
		word);
	if (v) {
		pg_report_fmt_reference(ref, sizeof(ref), v);
		fputs("<p class=\"muted\">against ", f);
		put(f, ref);
		fputs("</p>\n", f);
	}
	if (r->warning) {
		fputs("<p>warning: ", f);
		put(f, r->warning);
		fputs("</p>\n", f);
	}
}

static void row(FILE *f, const struct pg_compare_row *w, int paired)
{
	char base[32], cur[32], chg[32], iv[64];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	fprintf(f, "<tr class=\"%s\"><td><code>", pg_verdict_name(w->verdict));
	put(f, w->metric);
	fprintf(f, "</code></td><td>%s</td><td>%s</td><td>", base, cur);
	put(f, w->unit);
	fprintf(f, "</td><td>%s</td><td>", chg);
	if (w->gated)
		fprintf(f, "%g %%", w->threshold_pct);
	fputs("</td><td>", f);
	pg_report_fmt_interval(iv, sizeof(iv), w);
	if (paired)
		fprintf(f, "%s</td><td>", iv);
	if (!isnan(w->p_value))
		fprintf(f, "%.3g", w->p_value);
	fprintf(f, "</td><td>%s", pg_verdict_name(w->verdict));
	if (w->note) {
		fputs(" <span class=\"muted\">(", f);
		put(f, w->note);
		fputs(")</span>", f);
	}
	fputs("</td></tr>\n", f);
}

static void table(FILE *f, const struct pg_report *r)
{
	const struct pg_verdict *v = r->verdict;
	const struct pg_result *c = r->current;
	char cur[32];
	size_t i;

	fputs("<h2>Metrics</h2>\n<table id=\"metrics\"><tr><th>metric</th>", f);
	if (!v) {
		fputs("<th>current</th><th>unit</th></tr>\n", f);
		for (i = 0; c && i < c->nmetrics; i++) {
			pg_report_fmt_value(cur, sizeof(cur), pg_metric_median(&c->metrics[i]));
			fputs("<tr><td><code>", f);
			put(f, c->metrics[i].name);
			fprintf(f, "</code></td><td>%s</td><td>", cur);
			put(f, c->metrics[i].unit);
			fputs("</td></tr>\n", f);
		}
	} else {
		fprintf(f,
			"<th>%s</th><th>current</th><th>unit</th><th>change</th>"
			"<th>threshold</th>%s<th>p</th><th>verdict</th></tr>\n",
			v->paired ? "reference" : "baseline",
			v->paired ? "<th>95 % interval</th>" : "");
		for (i = 0; i < v->nrows; i++)
			row(f, &v->rows[i], v->paired);
	}
	fputs("</table>\n", f);
}

static void findings(FILE *f, const struct pg_report *r)
{
	const struct pg_findings *fs = r->evidence ? &r->evidence->findings : NULL;
	char samples[256];
	size_t i;

	fputs("<h2>Findings</h2>\n<ul id=\"findings\">\n", f);
	for (i = 0; fs && i < fs->n; i++) {
		fprintf(f, "<li class=\"%s\"><code>", pg_finding_kind_name(fs->items[i].kind));
		put(f, fs->items[i].metric);
		fprintf(f, "</code> <b>%s</b>: ", pg_finding_kind_name(fs->items[i].kind));
		put(f, fs->items[i].text);
		fputs("</li>\n", f);
	}
	if (!fs || !fs->n)
		fputs("<li class=\"muted\">no regressed metric to cross-check</li>\n", f);
	fputs("</ul>\n", f);
	if (pg_report_samples(r, samples, sizeof(samples)))
		fprintf(f, "<p id=\"samples\" class=\"muted\">%s</p>\n", samples);
}

static void movers(FILE *f, const struct pg_verdict *v)
{
	size_t i;

	if (!v || !v->nmovers)
		return;
	fputs("<h2>Top movers</h2>\n<table id=\"movers\"><tr><th>function (flat share)</th>"
	      "<th>baseline</th><th>current</th><th>change</th></tr>\n",
	      f);
	for (i = 0; i < v->nmovers; i++) {
		fputs("<tr><td><code>", f);
		put(f, v->movers[i].name);
		fprintf(f, "</code></td><td>%.1f %%</td><td>%.1f %%</td><td>%+.1f pp</td></tr>\n",
			v->movers[i].baseline_pct, v->movers[i].current_pct,
			v->movers[i].current_pct - v->movers[i].baseline_pct);
	}
	fputs("</table>\n", f);
}

/* Retransmits of both sides, from their medians. */
static void retransmits(FILE *f, const struct pg_report *r)
{
	static const char *const names[] = { "tcp.retransmits", "tcp.retransmits_per_1k_req" };
	const struct pg_metric *m;
	char b[32], c[32];
	size_t i;

	fputs("<h2>TCP retransmits</h2>\n<table id=\"retransmits\"><tr><th>metric</th>"
	      "<th>baseline</th><th>current</th></tr>\n",
	      f);
	for (i = 0; i < 2; i++) {
		m = r->baseline ? pg_result_metric(r->baseline, names[i]) : NULL;
		pg_report_fmt_value(b, sizeof(b), m ? pg_metric_median(m) : NAN);
		m = r->current ? pg_result_metric(r->current, names[i]) : NULL;
		pg_report_fmt_value(c, sizeof(c), m ? pg_metric_median(m) : NAN);
		fprintf(f, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>\n", names[i], b,
			c);
	}
	fputs("</table>\n", f);
}

static int flame(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	struct pg_flame_opts o = PG_FLAME_OPTS_DEFAULT;

	fputs("<h2>CPU profile: differential flame graph</h2>\n<div id=\"flame\">\n", f);
	o.embedded = 1;
	if (!r->current_profile_len) {
		fputs("<p class=\"muted\">no CPU profile (set the scenario's pprof_url)</p>", f);
	} else {
		int rc = pg_flame_svg_opts(f, r->baseline_profile_len ? r->baseline_profile : NULL,
					   r->baseline_profile_len, r->current_profile,
					   r->current_profile_len, &o, err);
		if (rc)
			return rc;
	}
	fputs("</div>\n", f);
	return 0;
}

int pg_report_html(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	char note[512];
	int rc;

	heading(f, r);
	table(f, r);
	if (r->verdict)
		findings(f, r);
	movers(f, r->verdict);
	fputs("<h2>getrandom() latency</h2>\n", f);
	if (pg_report_vdso_note(r, note, sizeof(note))) {
		fputs("<p id=\"getrandom-note\"><b>Note:</b> ", f);
		put(f, note);
		fputs("</p>\n", f);
	}
	if (!pg_report_hist_svg(f, r))
		fputs("<p class=\"muted\">no getrandom histogram on either side (captured "
		      "without probes, or recorded before perfgate kept histograms)</p>\n",
		      f);
	retransmits(f, r);
	rc = flame(f, r, err);
	if (!rc)
		fputs("</body></html>\n", f);
	return rc;
}
