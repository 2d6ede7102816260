// SPDX-License-Identifier: MIT
/* Findings: for each regressed (or inconclusive) metric, what the other
 * signal says. The eBPF metrics are checked against the CPU profile (is the
 * getrandom path's share of CPU up too?), CPU per request against its top
 * movers, latency against CPU per request. Pure: no I/O. A struct
 * pg_cpu_side owns its copy of a profile's facts (pg_cpu_side_release); a
 * struct pg_findings owns its texts and borrows metric names from the
 * verdict it was built from. */
#ifndef PG_FINDINGS_H
#define PG_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "compare.h"
#include "err.h"
#include "pprof.h"
#include "result.h"

/* Call paths of the documented table (README, "Findings"). */
enum pg_cpu_path {
	PG_PATH_GETRANDOM = 0,
	PG_PATH_TCP_WRITE,
	PG_PATH_TCP_READ,
	PG_PATH_N,
};

/* One side's CPU profile as the findings need it. samples is the number of
 * samples, the n of the binomial noise bound (estimated from the total at
 * Go's 100 Hz when only a result's function table is known). */
struct pg_cpu_side {
	int present;
	int from_stacks; /* path shares from call stacks, not from cum */
	double samples;
	struct pg_top top;		/* every function, flat/cum in the profile's unit */
	double path[PG_PATH_N];		/* share of the total under each path, 0..1 */
	const char *path_fn[PG_PATH_N]; /* the path's function with the largest cum (in top) */
};

enum pg_finding_kind {
	PG_FINDING_CORROBORATED = 0,
	PG_FINDING_NOT_CORROBORATED,
	PG_FINDING_OFF_CPU,   /* latency without CPU: waiting, not computing */
	PG_FINDING_BLOCKED,   /* getrandom slower, not on CPU: blocked in the kernel */
	PG_FINDING_NO_SIGNAL, /* no profile, or no cross-check for this metric */
};

struct pg_finding {
	const char *metric; /* borrowed from the verdict's row */
	enum pg_finding_kind kind;
	char text[384];
};

struct pg_findings {
	struct pg_finding *items;
	size_t n;
};

/* Does function name belong to path? The table is in findings.c. */
int pg_cpu_path_match(enum pg_cpu_path path, const char *name);
const char *pg_cpu_path_name(enum pg_cpu_path path);

void pg_cpu_side_init(struct pg_cpu_side *s);
void pg_cpu_side_release(struct pg_cpu_side *s);
/* From a CPU profile (its default sample index): functions, sample count
 * and path shares from the call stacks. */
int pg_cpu_side_from_profile(struct pg_cpu_side *s, const struct pg_profile *p, struct pg_err *err);
/* From a result's function table, when its profile is not at hand. */
int pg_cpu_side_from_result(struct pg_cpu_side *s, const struct pg_result *r, struct pg_err *err);

/* Is the change of a share from p0 (of n0 samples) to p1 (of n1) larger
 * than sampling noise explains? A two-proportion z test (pooled share):
 * |p1 - p0| > z standard errors. A finding tests one share whose rise it
 * predicted, at PG_FINDINGS_Z (5 %, one-sided); a flame graph tests
 * hundreds of frames at once, in both directions, and needs a larger z. */
#define PG_FINDINGS_Z 1.645
int pg_share_changed(double p0, double n0, double p1, double n1, double z);

/* One finding per regressed or inconclusive row of v. drop_pct: the
 * scenario's workload.drop_pct, or a negative number when unknown. */
int pg_findings_build(struct pg_findings *out, const struct pg_verdict *v,
		      const struct pg_cpu_side *base, const struct pg_cpu_side *cur,
		      double drop_pct, struct pg_err *err);
void pg_findings_release(struct pg_findings *f);

/* "corroborated", "not corroborated", "off-CPU", "blocked", "no signal". */
const char *pg_finding_kind_name(enum pg_finding_kind k);

#endif
