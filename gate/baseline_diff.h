// SPDX-License-Identifier: MIT
/* Old baseline -> new baseline, for a reviewer: per metric the medians, the
 * change and whether it lies inside the runs' own spread (the runner's
 * noise), the CPU profile's top movers and both hosts. No thresholds and no
 * verdict: a baseline update is judged by a person, not by the gate. Text
 * for a terminal, Markdown for a merge request. Borrows everything. */
#ifndef PG_BASELINE_DIFF_H
#define PG_BASELINE_DIFF_H

#include <stdio.h>

#include "baseline.h"
#include "err.h"
#include "result.h"

struct pg_baseline_side {
	const struct pg_result *r;
	const char *commit; /* full sha the baseline belongs to */
	const char *path;   /* its file, as shown to the reader */
};

/* Load the baseline nearest to rev on its first-parent history (the one a
 * check from rev would use) into r (initialised by the caller). */
int pg_baseline_diff_nearest(struct pg_baseline_store *s, const char *rev, struct pg_result *r,
			     struct pg_baseline_ref *ref, struct pg_err *err);

/* Load the baseline before the one of commit: the nearest on the history of
 * commit's first parent. PG_ENOBASELINE when there is none. */
int pg_baseline_diff_previous(struct pg_baseline_store *s, const char *commit, struct pg_result *r,
			      struct pg_baseline_ref *ref, struct pg_err *err);

/* path relative to dir when inside it (for display), else path. */
const char *pg_baseline_diff_relpath(const char *path, const char *dir);

/* Write the comparison of old and new to f; markdown selects the format. */
int pg_baseline_diff_write(FILE *f, const struct pg_baseline_side *old,
			   const struct pg_baseline_side *new, int markdown, struct pg_err *err);

/* 1 when the run values of a and b overlap (the change is inside the
 * noise), 0 when they do not, -1 when a side has no values. */
int pg_baseline_diff_overlap(const struct pg_metric *a, const struct pg_metric *b);

#endif
