// SPDX-License-Identifier: MIT
/* The evidence every report shows beside the table: each side's CPU
 * profile facts (from its merged profile, else from its result's function
 * table) and the findings that cross-check the regressed metrics. Built
 * once per pg_report_print / pg_report_write_dir when the caller did not. */
#include <string.h>

#include "pprof.h"
#include "report.h"

static void side(struct pg_cpu_side *s, const void *bytes, size_t len, const struct pg_result *r)
{
	struct pg_profile *p = NULL;

	/* an unreadable profile is reported by the flame graph; here the
	 * result's function table still serves */
	if (len && !pg_profile_parse(&p, bytes, len, NULL) &&
	    !pg_cpu_side_from_profile(s, p, NULL)) {
		pg_profile_free(p);
		return;
	}
	pg_profile_free(p);
	pg_cpu_side_release(s);
	pg_cpu_side_from_result(s, r, NULL);
}

int pg_report_evidence_build(struct pg_evidence *ev, const struct pg_report *r, struct pg_err *err)
{
	memset(ev, 0, sizeof(*ev));
	pg_cpu_side_init(&ev->base);
	pg_cpu_side_init(&ev->cur);
	if (r->error)
		return 0;
	side(&ev->cur, r->current_profile, r->current_profile_len, r->current);
	if (r->baseline)
		side(&ev->base, r->baseline_profile, r->baseline_profile_len, r->baseline);
	if (!r->verdict)
		return 0;
	return pg_findings_build(&ev->findings, r->verdict, &ev->base, &ev->cur,
				 r->drop_pct_known ? r->drop_pct : -1, err);
}

void pg_report_evidence_release(struct pg_evidence *ev)
{
	pg_findings_release(&ev->findings);
	pg_cpu_side_release(&ev->base);
	pg_cpu_side_release(&ev->cur);
}
