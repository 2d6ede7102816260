// SPDX-License-Identifier: MIT
/* One capture: for each run, start the scenario's workload (workload.h),
 * attach the probes (probe.h), warm up, run the load script while fetching
 * the CPU profile, read the cgroup's CPU time, tear everything down; then
 * turn it all into the contract's metrics in a struct pg_result. The caller
 * owns the result and the profile buffer. */
#ifndef PG_CAPTURE_H
#define PG_CAPTURE_H

#include "buf.h"
#include "config.h"
#include "err.h"
#include "result.h"

/* Reported with every run: how much the host squeezed the workload over
 * the measured window (pressure.h). Paired measurement drops rounds whose
 * two sides saw very different hosts. */
#define PG_METRIC_CPU_PRESSURE "host.cpu_pressure_pct"
#define PG_METRIC_STEAL "host.steal_pct"

struct pg_capture_opts {
	int runs;	  /* 0: the config's */
	int no_probes;	  /* capture without eBPF (no root needed) */
	int verbose;	  /* progress lines even when stderr is not a terminal */
	int cpu;	  /* 0: no placement; N: workload and load on CPU N - 1 */
	const char *side; /* NULL, or which side of a paired check this is */
};

/* Which scenario of which config file to capture, and how: what the
 * commands that run a scenario take from their command line (cli.h). */
struct pg_scenario_args {
	const char *config;   /* NULL: pg_config_default_path() */
	const char *scenario; /* NULL: the config's only scenario */
	struct pg_capture_opts capture;
};

/* Fill out (initialised by the caller) and profile (gzip bytes of the CPU
 * profiles of all runs merged into one, as `go tool pprof` merges several
 * files; left empty when the scenario has no pprof_url).
 * PG_EINFRA on workload, load, probe or pprof failure. */
int pg_capture_run(const struct pg_config *cfg, const struct pg_scenario *sc,
		   const struct pg_capture_opts *o, struct pg_result *out, struct pg_buf *profile,
		   struct pg_err *err);

#endif
