// SPDX-License-Identifier: MIT
/* One run of a scenario's load script, per the contract: PERFGATE_TARGET_URL,
 * PERFGATE_DURATION_S and PERFGATE_METRICS_FILE (a temp file made here and
 * always removed) on top of perfgate's environment, workload.env and
 * load.env, run in the config file's directory, inside the
 * workload's network namespace, bounded by duration + a margin. The parsed
 * metrics are handed to the caller (pg_loadmetrics_free). */
#ifndef PG_LOADRUN_H
#define PG_LOADRUN_H

#include <stddef.h>

#include "config.h"
#include "err.h"

/* How long past its duration a load script may take before it is stopped. */
#define PG_LOAD_MARGIN_S 30

struct pg_loadrun {
	const struct pg_load_cfg *cfg;
	const struct pg_kv *workload_env; /* set for the script too, under load.env */
	size_t nworkload_env;
	const char *target_url; /* origin of ready_url */
	double duration_s;
	int netns_fd; /* -1: perfgate's namespace */
	int cpu;      /* pin to this CPU, -1: no pinning */
	int echo;     /* copy its output to stderr */
	/* Called about every 0.25 s with the seconds left (may be NULL). */
	void (*tick)(void *arg, double left_s);
	void *tick_arg;
	/* 1: no cgroup of its own (running without root); its process group
	 * is stopped at the end instead */
	int no_cgroup;
};

/* Run the script; with out non-NULL, parse its metrics file into out and n.
 * PG_EINFRA on a failed start, non-zero exit, timeout, signal, missing or
 * malformed metrics file, or a metrics file without a positive "requests". */
int pg_loadrun(const struct pg_loadrun *r, struct pg_loadmetric **out, size_t *n,
	       struct pg_err *err);

#endif
