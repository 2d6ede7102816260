/* How much the host squeezed a workload over a window: the CPU pressure
 * (PSI "some") of its cgroup, the time its tasks waited for a CPU, and the
 * host's steal time, the time the hypervisor gave our CPUs to others.
 * Both are best effort: a kernel without PSI or a host without steal
 * accounting reads as 0. */
#ifndef PG_PRESSURE_H
#define PG_PRESSURE_H

#include <stdint.h>

#include "cgroup.h"

struct pg_pressure {
	double t;	    /* monotonic seconds */
	uint64_t some_usec; /* cpu.pressure "some" total of the cgroup */
	uint64_t steal;	    /* /proc/stat steal ticks, all CPUs */
	uint64_t cpu_ticks; /* /proc/stat ticks, all CPUs, steal included */
};

void pg_pressure_read(const struct pg_cgroup *cg, struct pg_pressure *out);

/* Over the window from a to b: percent of the window the cgroup's tasks
 * waited for a CPU, and percent of CPU time stolen. */
double pg_pressure_cpu_pct(const struct pg_pressure *a, const struct pg_pressure *b);
double pg_pressure_steal_pct(const struct pg_pressure *a, const struct pg_pressure *b);

#endif
