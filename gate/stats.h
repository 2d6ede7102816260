// SPDX-License-Identifier: MIT
/* Pure statistics for the gate: medians and the two-sided Mann-Whitney U
 * test (R's wilcox.test(x, y, correct = TRUE) conventions). Nothing here
 * allocates memory the caller must free, nothing here fails on odd input:
 * empty samples give NAN. */
#ifndef PG_STATS_H
#define PG_STATS_H

#include <stddef.h>

/* Samples smaller than this on both sides and free of ties get the exact
 * distribution of U, as R's wilcox.test does by default (n < 50). */
#define PG_STATS_EXACT_MAX 50
/* pg_stats_paired_k: at most this many arrangements. */
#define PG_STATS_MAX_ARRANGEMENTS 4

/* Median of n values (mean of the middle two for even n); NAN when n is 0
 * or memory for the sorted copy cannot be had. v is not modified. */
double pg_stats_median(const double *v, size_t n);

struct pg_mwu {
	double w;  /* R's W: sum of x's ranks minus nx(nx+1)/2, i.e. U of x */
	double p;  /* two-sided p-value; 1 when every value is tied */
	int exact; /* 1: exact distribution; 0: normal approximation */
};

/* Two-sided Mann-Whitney U test of x against y. Exact when nx and ny are
 * below PG_STATS_EXACT_MAX and there are no ties; otherwise the normal
 * approximation with tie correction and continuity correction. Returns 0,
 * or -1 when a sample is empty, holds a non-finite value or memory runs
 * out (out is then untouched). */
int pg_stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
			  struct pg_mwu *out);

/* Paired samples: the per-pair changes of a current side against a
 * reference measured in the same round. */
struct pg_paired {
	size_t n;	/* pairs used */
	double est_pct; /* change of current against reference, in percent */
	double lo_pct;	/* 95 % interval of the change */
	double hi_pct;
	double p;     /* two-sided Wilcoxon signed-rank p-value; NAN: n < 2 */
	int relative; /* 1: ratios (all values > 0); 0: differences of means */
	double diff;  /* mean of b - a, in the values' unit, and its interval */
	double diff_lo;
	double diff_hi;
};

/* Change of b against a from n pairs (a[i], b[i]). With every value
 * positive the change is the geometric mean of the ratios b/a, so a round
 * that is slower for both sides cancels out, and its interval is Student's
 * t interval of the mean log ratio. Otherwise (zeros) the differences
 * b - a relative to the mean of a, or, when that is 0, +-INFINITY (NAN for
 * no change at all) with only the absolute interval to go by. -1 when
 * n < 2 or a value is not finite. */
int pg_stats_paired(const double *a, const double *b, size_t n, struct pg_paired *out);

/* As pg_stats_paired, for pairs measured in k arrangements taken in turn:
 * pair i in arrangement i % k, each as often (a duet's two CPUs, swapped).
 * What an arrangement adds to the change is taken out of the spread
 * rather than left in it, so the interval has n - k degrees of freedom
 * and the spread is that of the pairs, not of the arrangements. -1 when n
 * is not a multiple of k or n <= k. */
int pg_stats_paired_k(const double *a, const double *b, size_t n, size_t k, struct pg_paired *out);

/* Two-sided 97.5 % quantile of Student's t with df degrees of freedom. */
double pg_stats_t975(size_t df);

/* Two-sided Wilcoxon signed-rank test of the differences d (zeros dropped,
 * as Wilcoxon did and R does): exact below PG_STATS_EXACT_MAX non-zero
 * differences without ties, else the normal approximation with tie and
 * continuity correction. 1 when every difference is 0; NAN when n is 0. */
double pg_stats_signed_rank_p(const double *d, size_t n);

#endif
