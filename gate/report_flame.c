// SPDX-License-Identifier: MIT
/* flame-diff.svg: the differential flame graph of the CPU profile, the
 * current run's against the baseline's (plain when there is none). */
#include "flame.h"
#include "report.h"

int pg_report_flame(FILE *f, const struct pg_report *r, struct pg_err *err)
{
	if (!r->current_profile_len)
		return pg_err_set(err, PG_EUSAGE,
				  "no CPU profile to draw; set the scenario's pprof_url");
	return pg_flame_svg(f, r->baseline_profile_len ? r->baseline_profile : NULL,
			    r->baseline_profile_len, r->current_profile, r->current_profile_len,
			    err);
}
