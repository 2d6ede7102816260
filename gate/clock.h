// SPDX-License-Identifier: MIT
/* Time for the waits perfgate does itself: a monotonic clock in seconds and
 * a sleep that ends early when a signal is pending (sig.h), so a wait never
 * delays the cleanup a signal asks for. Stateless. */
#ifndef PG_CLOCK_H
#define PG_CLOCK_H

/* Monotonic seconds. */
double pg_now(void);

/* Sleep up to s seconds (INFINITY: until a signal); -1 (early) if a signal
 * is pending. */
int pg_sleep(double s);

#endif
