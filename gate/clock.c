// SPDX-License-Identifier: MIT
#include <time.h>

#include "clock.h"
#include "sig.h"

double pg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Short steps: the handler does not restart sleeps, but a signal that lands
 * between the check and nanosleep would otherwise wait out the whole step. */
int pg_sleep(double s)
{
	double end = pg_now() + s, left;
	struct timespec ts;

	while ((left = end - pg_now()) > 0) {
		if (pg_sig_pending())
			return -1;
		if (left > 0.05)
			left = 0.05;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return pg_sig_pending() ? -1 : 0;
}
