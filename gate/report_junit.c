// SPDX-License-Identifier: MIT
/* junit.xml: one test case per gated metric, named after the metric; a
 * regression is a <failure> carrying baseline, current and change, which
 * GitLab shows in the merge request's test report. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "report.h"
#include "xml.h"

static void failure(FILE *f, const struct pg_compare_row *w, const char *ref,
		    const struct pg_finding *fd)
{
	char base[32], cur[32], chg[32], msg[768], body[1024];

	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	snprintf(msg, sizeof(msg), "%s regressed: %s -> %s %s (%s, threshold %g %%)%s%s", w->metric,
		 base, cur, w->unit, chg, w->threshold_pct, fd ? "; " : "", fd ? fd->text : "");
	snprintf(body, sizeof(body),
		 "metric: %s\nbaseline: %s %s\ncurrent: %s %s\nchange: %s\nthreshold: %g %%\n"
		 "better: %s\nbaseline commit: %s\nfinding: %s\n",
		 w->metric, base, w->unit, cur, w->unit, chg, w->threshold_pct,
		 pg_better_name(w->better), ref ? ref : "-", fd ? fd->text : "-");
	fputs("      <failure type=\"regression\" message=\"", f);
	pg_xml_attr(f, msg);
	fputs("\">", f);
	pg_xml_text(f, body, SIZE_MAX);
	fputs("</failure>\n", f);
}

static void testcase(FILE *f, const struct pg_compare_row *w, const char *suite, const char *ref,
		     const struct pg_finding *fd, const char *note, const char *host_note,
		     int inconclusive_fails)
{
	char base[32], cur[32], chg[32], ci[48], out[320];

	fputs("    <testcase classname=\"", f);
	pg_xml_attr(f, suite);
	fputs("\" name=\"", f);
	pg_xml_attr(f, w->metric);
	fputs("\" time=\"0\">\n", f);
	if (w->verdict == PG_VERDICT_REGRESSION)
		failure(f, w, ref, fd);
	pg_report_fmt_value(base, sizeof(base), w->baseline);
	pg_report_fmt_value(cur, sizeof(cur), w->current);
	pg_report_fmt_change(chg, sizeof(chg), w->change_pct);
	pg_report_fmt_interval(ci, sizeof(ci), w);
	snprintf(out, sizeof(out),
		 "%s: %s -> %s %s (%s, 95 %% interval %s, threshold %g %%) %s%s%s", w->metric, base,
		 cur, w->unit, chg, ci, w->threshold_pct, pg_verdict_name(w->verdict),
		 w->note ? ", " : "", w->note ? w->note : "");
	/* undecided is neither a pass nor a failure: GitLab lists it as
	 * skipped, unless --inconclusive=fail made it fail the job */
	if (w->verdict == PG_VERDICT_INCONCLUSIVE) {
		fputs(inconclusive_fails ? "      <failure message=\""
					 : "      <skipped message=\"",
		      f);
		pg_xml_attr(f, out);
		fputs(inconclusive_fails ? "\" type=\"inconclusive\"/>\n" : "\"/>\n", f);
	}
	fputs("      <system-out>", f);
	pg_xml_text(f, out, SIZE_MAX);
	if (note && !strncmp(w->metric, "getrandom.", 10)) {
		pg_xml_text(f, "\nnote: ", SIZE_MAX);
		pg_xml_text(f, note, SIZE_MAX);
	}
	if (host_note) {
		pg_xml_text(f, "\nwarning: ", SIZE_MAX);
		pg_xml_text(f, host_note, SIZE_MAX);
	}
	fputs("</system-out>\n    </testcase>\n", f);
}

int pg_report_junit(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	const struct pg_verdict *v = r->verdict;
	char suite[256], note[512];
	char host_note[512];
	int host = pg_report_host_note(r, host_note, sizeof(host_note));
	size_t i, n = 0, failed, skipped;
	int has_note = pg_report_vdso_note(r, note, sizeof(note));

	(void)err;
	snprintf(suite, sizeof(suite), "perfgate.%s", pg_report_scenario(r));
	for (i = 0; v && i < v->nrows; i++)
		n += v->rows[i].gated;
	skipped = v && !r->inconclusive_fails ? v->ninconclusive : 0;
	failed = v ? v->nregressions + v->ninconclusive - skipped : 0;
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"perfgate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n"
		"  <testsuite name=\"",
		n, failed);
	pg_xml_attr(f, suite);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
		n, failed, skipped);
	for (i = 0; v && i < v->nrows; i++)
		if (v->rows[i].gated)
			testcase(f, &v->rows[i], suite, v->ref_commit,
				 pg_report_finding(r, v->rows[i].metric), has_note ? note : NULL,
				 host ? host_note : NULL, r->inconclusive_fails);
	for (i = 0; i < r->nnotes; i++) {
		fputs(i ? "\n" : "    <system-out>", f);
		pg_xml_text(f, "note: ", SIZE_MAX);
		pg_xml_text(f, r->notes[i], SIZE_MAX);
	}
	if (r->nnotes)
		fputs("</system-out>\n", f);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return 0;
}
