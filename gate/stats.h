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

#endif
