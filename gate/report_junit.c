/* junit.xml: one test case per gated metric, named after the metric; a
 * regression is a <failure> carrying baseline, current and change, which
 * GitLab shows in the merge request's test report. */
#include <math.h>
#include <string.h>

#include "report.h"

/* Escape for element text and attribute values (attr: newlines too). XML 1.0 cannot carry
 * most control characters at all, so they become '?'. */
static void xml_put(FILE *f, const char *s, int attr)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (c == '\n' && attr)
			fputs("&#10;", f);
		else if (c < 0x20 && c != '\t' && c != '\n')
			fputc('?', f);
		else
			fputc(c, f);
	}
}

static void xml_put_attr(FILE *f, const char *s)
{
	xml_put(f, s, 1);
}

static void failure(FILE *f, const struct pg_compare_row *w, const char *ref)
{
	char base[32], cur[32], chg[32], msg[256], body[512];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	snprintf(msg, sizeof(msg), "%s regressed: %s -> %s %s (%s, threshold %g %%)", w->metric,
		 base, cur, w->unit, chg, w->threshold_pct);
	snprintf(body, sizeof(body),
		 "metric: %s\nbaseline: %s %s\ncurrent: %s %s\nchange: %s\nthreshold: %g %%\n"
		 "better: %s\nbaseline commit: %s\n",
		 w->metric, base, w->unit, cur, w->unit, chg, w->threshold_pct,
		 pg_better_name(w->better), ref ? ref : "-");
	fputs("      <failure type=\"regression\" message=\"", f);
	xml_put_attr(f, msg);
	fputs("\">", f);
	xml_put(f, body, 0);
	fputs("</failure>\n", f);
}

static void testcase(FILE *f, const struct pg_compare_row *w, const char *suite, const char *ref,
		     const char *host_note)
{
	char base[32], cur[32], chg[32], ci[48], out[320];

	fputs("    <testcase classname=\"", f);
	xml_put_attr(f, suite);
	fputs("\" name=\"", f);
	xml_put_attr(f, w->metric);
	fputs("\" time=\"0\">\n", f);
	if (w->verdict == PG_VERDICT_REGRESSION)
		failure(f, w, ref);
	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	pg_report_fmt_interval(ci, sizeof(ci), w);
	snprintf(out, sizeof(out),
		 "%s: %s -> %s %s (%s, 95 %% interval %s, threshold %g %%) %s%s%s", w->metric, base,
		 cur, w->unit, chg, ci, w->threshold_pct, pg_verdict_name(w->verdict),
		 w->note ? ", " : "", w->note ? w->note : "");
	/* undecided is neither a pass nor a failure: GitLab lists it as skipped */
	if (w->verdict == PG_VERDICT_INCONCLUSIVE) {
		fputs("      <skipped message=\"", f);
		xml_put_attr(f, out);
		fputs("\"/>\n", f);
	}
	fputs("      <system-out>", f);
	xml_put(f, out, 0);
	if (host_note) {
		fputs("\nwarning: ", f);
		xml_put(f, host_note, 0);
	}
	fputs("</system-out>\n    </testcase>\n", f);
}

int pg_report_junit(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_verdict *v = r->verdict;
	char suite[256], note[512];
	int host = pg_report_host_note(r, note, sizeof(note));
	size_t i, n = 0;

	(void)err;
	snprintf(suite, sizeof(suite), "perfgate.%s", pg_report_scenario(r));
	for (i = 0; v && i < v->nrows; i++)
		n += v->rows[i].gated;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"perfgate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n"
		"  <testsuite name=\"",
		n, v ? v->nregressions : 0);
	xml_put_attr(f, suite);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
		n, v ? v->nregressions : 0, v ? v->ninconclusive : 0);
	for (i = 0; v && i < v->nrows; i++)
		if (v->rows[i].gated)
			testcase(f, &v->rows[i], suite, v->ref_commit, host ? note : NULL);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return 0;
}
