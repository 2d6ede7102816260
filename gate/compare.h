// SPDX-License-Identifier: MIT
/* The decision rule: compare a current result with a baseline, metric by
 * metric, and say pass, regression, improvement or reported, plus the
 * whole run's verdict and the CPU profile's top movers. Pure: no I/O.
 * struct pg_verdict owns its rows and strings (pg_verdict_release); the
 * results it was computed from may be released independently. */
#ifndef PG_COMPARE_H
#define PG_COMPARE_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "result.h"

#define PG_COMPARE_MIN_RUNS 5 /* runs on both sides before the U test applies */
#define PG_COMPARE_TOP_MOVERS 5

enum pg_verdict_kind {
	PG_VERDICT_PASS = 0,
	PG_VERDICT_REGRESSION,
	PG_VERDICT_IMPROVEMENT,
	PG_VERDICT_REPORTED,
	PG_VERDICT_INCONCLUSIVE, /* paired: not decided within the rounds */
};

/* One metric. baseline/current are medians; NAN when the metric is absent
 * on that side. change_pct is relative to |baseline|: 0 when both are 0,
 * +/-INFINITY when only the baseline is 0, NAN when a side is missing;
 * writers print the non-finite cases as null / "new". p_value is NAN when
 * the U test was not applicable. */
struct pg_compare_row {
	char *metric;
	char *unit;
	enum pg_better better;
	int gated;
	double baseline;
	double current;
	double change_pct;
	double threshold_pct;
	double min_abs;
	double p_value;
	double stored; /* paired: the stored baseline's median, NAN if none */
	double lo_pct; /* paired: 95 % interval of the change; NAN otherwise */
	double hi_pct;
	enum pg_verdict_kind verdict;
	const char *note; /* static text: why a big change passed, or NULL */
};

/* A function of the CPU profile whose flat share of the total moved:
 * shares in percent of each side's total. */
struct pg_mover {
	char *name;
	double baseline_pct;
	double current_pct;
};

struct pg_verdict {
	struct pg_compare_row *rows; /* sorted by metric name */
	size_t nrows;
	struct pg_mover *movers; /* largest |current_pct - baseline_pct| first */
	size_t nmovers;
	enum pg_verdict_kind verdict; /* PASS or REGRESSION */
	size_t nregressions;
	size_t nimprovements;
	size_t ninconclusive;
	int paired;	 /* decided from rounds of reference and current */
	size_t rounds;	 /* paired: rounds measured and kept */
	size_t repeated; /* paired: rounds measured again (squeezed) */
	char **notes;	 /* lines every report shows; owned */
	size_t nnotes;
	char *ref_commit; /* the baseline's commit (set by pg_compare_results) */
	int ref_distance; /* first-parent commits from the reference; -1: unknown */
};

struct pg_compare_opts {
	double threshold_pct;		  /* global threshold (config or --threshold) */
	double alpha;			  /* significance level of the U test */
	const struct pg_gate_rule *rules; /* per-metric overrides (scenario "gate") */
	size_t nrules;
	size_t top_movers;
};

/* Defaults: threshold 15 %, alpha 0.05, no rules, 5 top movers. */
void pg_compare_opts_init(struct pg_compare_opts *o);
/* The options a scenario is judged with: the config's threshold, or
 * threshold when it is above 0 (--threshold), and the scenario's "gate"
 * rules (none when sc is NULL). cfg NULL: the defaults. */
void pg_compare_opts_for(struct pg_compare_opts *o, const struct pg_config *cfg,
			 const struct pg_scenario *sc, double threshold);

void pg_verdict_init(struct pg_verdict *v);
void pg_verdict_release(struct pg_verdict *v);

/* Fill out (initialised by the caller) from baseline and current. */
int pg_compare_results(const struct pg_result *baseline, const struct pg_result *current,
		       const struct pg_compare_opts *o, struct pg_verdict *out, struct pg_err *err);

/* Paired: reference and current hold per_round values per round of each
 * metric, value i of both from the same moment, in arrangement i %
 * per_round (a duet's CPUs). Each gated row is decided from these pairs'
 * changes (stats.h pg_stats_paired_k): regression when the change
 * exceeds its threshold and its interval excludes no change; pass when
 * the interval lies below the threshold; inconclusive otherwise. Medians,
 * movers and the rest are as pg_compare_results fills them. */
int pg_compare_paired(const struct pg_result *reference, const struct pg_result *current,
		      size_t per_round, const struct pg_compare_opts *o, struct pg_verdict *out,
		      struct pg_err *err);

/* The row of metric in v, or NULL. */
const struct pg_compare_row *pg_verdict_row(const struct pg_verdict *v, const char *metric);

/* Notes: one line each, printf-style, kept by the verdict. */
int pg_verdict_note(struct pg_verdict *v, struct pg_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Confirmation: keep as regressions of `second` (the verdict of a second,
 * independent capture against the same baseline) only the metrics that
 * regressed in `first` too, and recount. A drift of the host that pushes one
 * capture over a threshold rarely pushes the next one over the same one; a
 * real regression does. Rows that regressed in one capture only say so in
 * their note. */
void pg_verdict_confirm(struct pg_verdict *second, const struct pg_verdict *first);

/* The built-in min_abs of perfgate's own noisy metrics (getrandom latency
 * quantiles, retransmits per 1k requests); 0 for others. */
double pg_compare_default_min_abs(const char *metric);

/* "pass", "regression", "improvement", "reported", "inconclusive". */
const char *pg_verdict_name(enum pg_verdict_kind k);

#endif
