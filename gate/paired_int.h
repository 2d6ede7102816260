// SPDX-License-Identifier: MIT
/* Internals of paired measurement shared by its files: one capture of one
 * side, the duet (paired_duet.c) that runs both sides of a round at once,
 * and its CPU swapper (paired_swap.c). */
#ifndef PG_PAIRED_INT_H
#define PG_PAIRED_INT_H

#include <sys/types.h>

#include "paired.h"

/* One capture of one side: one run, into a result of its own, so a
 * squeezed round can be dropped whole. cpu as in pg_capture_opts. */
int pg_paired_capture_one(const struct pg_paired_side *s, int cpu, struct pg_result *out,
			  struct pg_buf *prof, struct pg_err *err);

/* A duet round: both sides at the same time, each on a CPU of its own and
 * trading them every second, twice, starting from opposite placements
 * (swap: order[0] starts on the second CPU). Each side's result holds its
 * two captures' values, the first from the reference starting on the first
 * CPU; its profile is both merged. Results and profiles in the order's
 * slots. */
int pg_paired_duet(struct pg_paired_side **order, int swap, struct pg_result *r,
		   struct pg_buf *prof, struct pg_err *err);

/* Swap the CPUs of two capturing processes' cgroups every second until
 * stopped (paired_swap.c): pid[i]'s start on cpu[i], then take turns. The
 * swapper's pid, or -1 (errno set). */
pid_t pg_paired_swapper_start(const pid_t pid[2], const int cpu[2]);
/* Kill and reap it; -1 is a no-op. */
void pg_paired_swapper_stop(pid_t swapper);

#endif
