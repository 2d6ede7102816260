// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
/* The paired decision: each gated row is judged from the per-round changes
 * of current against a reference measured in the same rounds, so what the
 * host does between rounds cancels out; what it does within a round shows
 * as the width of the interval. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

int pg_verdict_note(struct pg_verdict *v, struct pg_err *err, const char *fmt, ...)
{
	char **notes;
	va_list ap;
	int n;

	notes = realloc(v->notes, (v->nnotes + 1) * sizeof(*notes));
	if (!notes)
		return pg_err_nomem(err);
	v->notes = notes;
	va_start(ap, fmt);
	n = vasprintf(&v->notes[v->nnotes], fmt, ap);
	va_end(ap);
	if (n < 0)
		return pg_err_nomem(err);
	v->nnotes++;
	return 0;
}

/* The change in the metric's bad direction: positive is worse. */
static void bad_direction(const struct pg_compare_row *r, const struct pg_paired *p, double *est,
			  double *lo, double *hi)
{
	int up = r->better == PG_BETTER_LOWER;

	*est = up ? p->est_pct : -p->est_pct;
	*lo = up ? p->lo_pct : -p->hi_pct;
	*hi = up ? p->hi_pct : -p->lo_pct;
	if (isinf(p->est_pct)) {
		/* a zero reference: only the absolute interval can say */
		*lo = up ? p->diff_lo : -p->diff_hi;
		*hi = up ? p->diff_hi : -p->diff_lo;
		*lo = *lo > 0 ? INFINITY : -INFINITY;
		*hi = *hi > 0 ? INFINITY : -INFINITY;
	}
}

static void decide_paired(struct pg_compare_row *r, const struct pg_paired *p)
{
	double est, lo, hi;

	r->change_pct = p->est_pct;
	r->lo_pct = p->lo_pct;
	r->hi_pct = p->hi_pct;
	r->p_value = p->p;
	r->note = NULL;
	bad_direction(r, p, &est, &lo, &hi);
	if (fabs(p->diff) < r->min_abs) {
		r->verdict = PG_VERDICT_PASS;
		r->note = p->diff != 0 ? "change below min_abs" : NULL;
	} else if (est > r->threshold_pct && lo > 0) {
		r->verdict = PG_VERDICT_REGRESSION;
	} else if (hi < r->threshold_pct) {
		r->verdict = -est > r->threshold_pct && hi < 0 ? PG_VERDICT_IMPROVEMENT
							       : PG_VERDICT_PASS;
	} else {
		r->verdict = PG_VERDICT_INCONCLUSIVE;
		r->note = "the interval reaches the threshold";
	}
}

/* One row: both sides must hold per_round values per round. */
static void pair_row(struct pg_compare_row *r, const struct pg_result *ref,
		     const struct pg_result *cur, size_t per_round)
{
	const struct pg_metric *a = pg_result_metric(ref, r->metric);
	const struct pg_metric *b = pg_result_metric(cur, r->metric);
	struct pg_paired p;

	if (!a || !b || a->nvalues != b->nvalues ||
	    pg_stats_paired_k(a->values, b->values, a->nvalues, per_round, &p)) {
		if (r->gated)
			r->note = "not paired";
		return;
	}
	if (r->gated) {
		decide_paired(r, &p);
		return;
	}
	r->change_pct = p.est_pct;
	r->lo_pct = p.lo_pct;
	r->hi_pct = p.hi_pct;
}

int pg_compare_paired(const struct pg_result *reference, const struct pg_result *current,
		      size_t per_round, const struct pg_compare_opts *o, struct pg_verdict *out,
		      struct pg_err *err)
{
	struct pg_compare_row *r;
	size_t i;
	int rc;

	rc = pg_compare_results(reference, current, o, out, err);
	if (rc)
		return rc;
	out->paired = 1;
	out->nregressions = out->nimprovements = out->ninconclusive = 0;
	for (i = 0; i < out->nrows; i++) {
		r = &out->rows[i];
		pair_row(r, reference, current, per_round);
		out->nregressions += r->verdict == PG_VERDICT_REGRESSION;
		out->nimprovements += r->verdict == PG_VERDICT_IMPROVEMENT;
		out->ninconclusive += r->verdict == PG_VERDICT_INCONCLUSIVE;
	}
	out->verdict = out->nregressions    ? PG_VERDICT_REGRESSION
		       : out->ninconclusive ? PG_VERDICT_INCONCLUSIVE
					    : PG_VERDICT_PASS;
	return 0;
}
