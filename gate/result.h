// SPDX-License-Identifier: MIT
/* A result: every run's value of every metric of one scenario, plus the
 * facts needed to trust it (commit, host, runs) and the CPU profile's top
 * functions. The same shape is a capture's result.json and a baseline file.
 * struct pg_result owns all its strings and arrays; pg_result_release frees
 * them. Metrics are kept sorted by name, so files diff cleanly. */
#ifndef PG_RESULT_H
#define PG_RESULT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define PG_RESULT_SCHEMA 1
/* Larger result or baseline files are refused, not read. */
#define PG_RESULT_MAX_BYTES (64u << 20)

enum pg_better {
	PG_BETTER_NONE = 0, /* reported, never gated */
	PG_BETTER_LOWER,
	PG_BETTER_HIGHER,
};

struct pg_metric {
	char *name;
	char *unit;
	enum pg_better better;
	double *values; /* one per run */
	size_t nvalues;
};

/* A function of the CPU profile, summed over all runs, in the profile's
 * sample unit (nanoseconds for Go CPU profiles). */
struct pg_func {
	char *name;
	int64_t flat;
	int64_t cum;
};

struct pg_host {
	char *kernel;
	char *cpu_model;
	int cores;
};

struct pg_result {
	char *scenario;
	char *commit; /* full sha, or NULL outside a git repository */
	int dirty;
	char *created; /* RFC 3339, UTC */
	struct pg_host host;
	int runs;
	struct pg_metric *metrics;
	size_t nmetrics;
	char *profile_sample_type; /* e.g. "cpu", NULL when no profile */
	char *profile_unit;
	char *profile_error; /* why the CPU profile was rejected (a gzip bomb), or NULL */
	int64_t profile_total;
	struct pg_func *funcs; /* sorted by flat, descending */
	size_t nfuncs;
	/* getrandom latency histogram (bpf/hist.h's buckets), summed over
	 * runs; NULL when the probes did not run. */
	uint64_t *getrandom_hist;
	size_t ngetrandom_hist;
	char *go_version; /* the workload binary's Go toolchain, or NULL */
	/* What cpu.seconds_per_req counted: NULL for the workload's cgroup,
	 * PG_CPU_SCOPE_PROCESS for its main process only (no cgroup: captured
	 * without root and without probes). */
	char *cpu_scope;
};

#define PG_CPU_SCOPE_PROCESS "process"
#define PG_METRIC_CPU "cpu.seconds_per_req"

/* 1 when r's CPU figures counted the workload's main process only. */
int pg_result_cpu_main_only(const struct pg_result *r);

/* 1 when a and b counted CPU over different scopes: two measurements, not
 * one (a wrapper script's main process uses next to nothing). */
int pg_result_cpu_apart(const struct pg_result *a, const struct pg_result *b);

/* The facts of a and b (CPU model, cores, kernel) on one line into out, 1
 * when they differ; 0 when they match or the differing fact is unknown on
 * a side. */
int pg_host_mismatch(const struct pg_host *a, const struct pg_host *b, char *out, size_t n);

void pg_result_init(struct pg_result *r);
void pg_result_release(struct pg_result *r);

/* Fill host facts from uname and /proc/cpuinfo, and created from the clock. */
int pg_result_set_host(struct pg_result *r, struct pg_err *err);

/* Append one run's value to metric name, creating it with unit and better on
 * first use. Values of a metric are in run order. */
int pg_result_add_value(struct pg_result *r, const char *name, const char *unit,
			enum pg_better better, double value, struct pg_err *err);

/* Add flat/cum to function name (summing over runs). Call pg_result_sort_funcs
 * once all are added. */
int pg_result_add_func(struct pg_result *r, const char *name, int64_t flat, int64_t cum,
		       struct pg_err *err);
void pg_result_sort_funcs(struct pg_result *r);

/* Add one run's histogram (n must be bpf/hist.h's PG_HIST_NBUCKETS). */
int pg_result_add_hist(struct pg_result *r, const uint64_t *counts, size_t n, struct pg_err *err);
/* Smallest latency (ns) that falls in bucket. */
uint64_t pg_result_hist_lower(size_t bucket);
json_t *pg_result_hist_to_json(const struct pg_result *r);
int pg_result_hist_from_json(struct pg_result *r, const json_t *h, const char *what,
			     struct pg_err *err);

/* Append src's runs to dst: every value of every metric, the profile's
 * functions and total (summed); dst->runs grows by src->runs. The facts
 * (commit, host) are dst's own. */
int pg_result_append(struct pg_result *dst, const struct pg_result *src, struct pg_err *err);

/* Borrowed; NULL if absent. */
const struct pg_metric *pg_result_metric(const struct pg_result *r, const char *name);

/* Median of a metric's values (mean of the middle two for even counts). */
double pg_metric_median(const struct pg_metric *m);

const char *pg_better_name(enum pg_better b);

/* JSON: {"schema", "scenario", "commit", "dirty", "created", "host", "runs",
 * "metrics": {NAME: {"unit", "better", "values", "median"}}, "cpu_top":
 * {"sample_type", "unit", "total", "functions": [{"name","flat","cum"}]}}.
 * to_json returns a new reference the caller may extend (comparison,
 * verdict) before saving. */
json_t *pg_result_to_json(const struct pg_result *r);
int pg_result_from_json(struct pg_result *r, const json_t *root, const char *what,
			struct pg_err *err);

/* Parse len bytes of a result or baseline file; what names it in errors.
 * Errors never quote the input: a file may be a symlink to a secret. */
int pg_result_parse(struct pg_result *r, const char *data, size_t len, const char *what,
		    struct pg_err *err);

/* Files: pretty-printed, keys sorted, written atomically. */
int pg_result_load(struct pg_result *r, const char *path, struct pg_err *err);
int pg_result_save(const struct pg_result *r, const char *path, int excl, struct pg_err *err);
int pg_json_save(const json_t *root, const char *path, int excl, struct pg_err *err);

/* Print root to f the way perfgate writes every JSON file, with a final
 * newline; -1 on a write error. */
int pg_json_print(const json_t *root, FILE *f);

#endif
