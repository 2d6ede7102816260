/* Shared by the rank tests of stats.c and stats_paired.c. */
#ifndef PG_STATS_INT_H
#define PG_STATS_INT_H

#include <stddef.h>

/* An observation and whether its rank counts (from x; a positive
 * difference). */
struct pg_obs {
	double v;
	int flag;
};

/* Sort o by value and give midranks: the sum of the flagged observations'
 * ranks, and the tie term sum(t^3 - t) over groups of t equal values that
 * the variance needs. */
void pg_stats_rank_sum(struct pg_obs *o, size_t n, double *rank_sum_flagged, double *ties);

#endif
