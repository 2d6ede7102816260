// SPDX-License-Identifier: MIT
/* Paired measurement: rounds of the reference (the reference commit's
 * tree) and the current tree, each captured once per round in random
 * order, until every gated metric is decided (compare.h
 * pg_compare_paired), max_rounds or the time budget. A round in which
 * one side was squeezed by neighbours and the other not (CPU pressure of
 * its cgroup, the host's steal time when interleaved) is measured again,
 * a bounded number of times, since a pair is only worth its two sides
 * seeing the same host.
 * struct pg_paired owns both sides' results and profiles and the verdict
 * (pg_paired_release); the measures it was given are borrowed. */
#ifndef PG_PAIRED_H
#define PG_PAIRED_H

#include <stddef.h>

#include "buf.h"
#include "compare.h"
#include "config.h"
#include "err.h"
#include "measure.h"
#include "result.h"

/* A round is squeezed when one side's cgroup waited for CPU this many
 * percentage points of the window more than the other's, or, interleaved,
 * when the host's steal time on either side exceeds PG_PAIRED_MAX_STEAL %
 * (a duet's sides share the host's moments, and so its steal). */
#define PG_PAIRED_MAX_PRESSURE_GAP 20.0
#define PG_PAIRED_MAX_STEAL 5.0

struct pg_paired_side {
	const char *name; /* "reference" or "current" */
	struct pg_measure m;
	struct pg_result res;  /* every kept round, in round order */
	struct pg_buf profile; /* the CPU profile of its last kept round */
};

struct pg_paired {
	struct pg_paired_side ref, cur;
	const struct pg_paired_cfg *cfg;
	const struct pg_compare_opts *opts;
	struct pg_verdict v;
	double seconds; /* the rounds' wall time */
	unsigned seed;
};

/* ref and cur are the two sides' measures (copied; what they point to is
 * borrowed and must outlive p). */
void pg_paired_init(struct pg_paired *p, const struct pg_measure *ref, const struct pg_measure *cur,
		    const struct pg_paired_cfg *cfg, const struct pg_compare_opts *opts);
void pg_paired_release(struct pg_paired *p);

/* Run the rounds and fill p->v (rounds, repeated, notes included). */
int pg_paired_run(struct pg_paired *p, struct pg_err *err);

#endif
