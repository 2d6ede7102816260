// SPDX-License-Identifier: MIT
/* What a baseline must be before the gate compares with it: the file of its
 * path (scenario and commit inside agree with the directory and the file
 * name), with metrics, names a terminal cannot be fooled by, and numbers a
 * comparison means something on. Without this "metrics": {} passed every
 * check and a negative or subnormal value was compared silently. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "baseline_int.h"

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#define MAX_METRIC_NAME 128

static int check_metric(const struct pg_metric *m, const char *what, struct pg_err *err)
{
	size_t n = strspn(m->name, NAME_CHARS), i;
	double v;

	if (!n || m->name[n] || n > MAX_METRIC_NAME)
		return pg_err_set(
			err, PG_EINPUT,
			"%s: bad metric name (use [A-Za-z0-9._-], at most %d characters); "
			"re-record the baseline",
			what, MAX_METRIC_NAME);
	if (strcspn(m->unit,
		    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
		    "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f<>") !=
	    strlen(m->unit))
		return pg_err_set(err, PG_EINPUT,
				  "%s: metric '%s' has a unit with control characters or markup; "
				  "re-record the baseline",
				  what, m->name);
	for (i = 0; i < m->nvalues; i++) {
		v = m->values[i];
		if (!isfinite(v) || v < 0 || (v != 0 && fabs(v) < DBL_MIN))
			return pg_err_set(err, PG_EINPUT,
					  "%s: metrics.%s.values[%zu] is %s; baselines hold finite "
					  "non-negative numbers, re-record it",
					  what, m->name, i,
					  !isfinite(v) ? "not finite"
					  : v < 0      ? "negative"
						       : "subnormal");
	}
	return 0;
}

int pg_baseline_validate(const struct pg_baseline_store *s, const char *sha,
			 const struct pg_result *r, const char *what, struct pg_err *err)
{
	size_t i;
	int rc;

	if (!r->scenario || strcmp(r->scenario, s->scenario))
		return pg_err_set(err, PG_EINPUT,
				  "%s: the file's scenario is not '%s'; a baseline belongs in its "
				  "scenario's directory",
				  what, s->scenario);
	if (!r->commit || strcmp(r->commit, sha))
		return pg_err_set(err, PG_EINPUT,
				  "%s: the file's commit is not %.12s; a baseline is named after "
				  "its commit",
				  what, sha);
	if (!r->nmetrics)
		return pg_err_set(err, PG_EINPUT, "%s: no metrics; re-record the baseline", what);
	for (i = 0; i < r->nmetrics; i++) {
		rc = check_metric(&r->metrics[i], what, err);
		if (rc)
			return rc;
	}
	return 0;
}
