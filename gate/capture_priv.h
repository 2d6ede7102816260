// SPDX-License-Identifier: MIT
/* Internals of capture shared by its files: the progress line and the turn
 * of one run's raw readings into the contract's metrics. */
#ifndef PG_CAPTURE_PRIV_H
#define PG_CAPTURE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "capture.h"
#include "config.h"
#include "err.h"
#include "pressure.h"
#include "probe.h"
#include "result.h"

/* "\r run 2/3  load  7 s left" on a terminal; one line per phase with -v
 * elsewhere; nothing otherwise. */
struct pg_progress {
	int tty;
	int verbose;
	char side[16]; /* "reference " or "", before "run" */
	int run, nruns;
	const char *phase;
	double left_shown;
};

void pg_progress_init(struct pg_progress *p, const struct pg_capture_opts *o, int nruns);
void pg_progress_run(struct pg_progress *p, int run);
void pg_progress_phase(struct pg_progress *p, const char *phase, double seconds);
void pg_progress_tick(struct pg_progress *p, double left_s);
void pg_progress_done(struct pg_progress *p);

/* One run's metrics: load.<key> for every key of the load script, CPU per
 * request, and, with s0 non-NULL, the probe metrics from the snapshots
 * taken before (s0) and after (s1) the measured window. */
int pg_capture_add_metrics(struct pg_result *out, const struct pg_loadmetric *lm, size_t nlm,
			   const struct pg_probe_snapshot *s0, const struct pg_probe_snapshot *s1,
			   uint64_t cpu_usec, struct pg_err *err);

/* The host's squeeze over the window (pressure.h), as reported metrics. */
int pg_capture_add_pressure(struct pg_result *out, const struct pg_pressure *p0,
			    const struct pg_pressure *p1, struct pg_err *err);

/* Add a run's CPU profile (gzip bytes) to the result's top functions and
 * merge it into profile (pprof's merge: the runs' samples together). A
 * profile that cannot be used (malformed, a gzip bomb over the cap) is an
 * error of the profile, not of the run: out->profile_error says why, the
 * metrics stand. */
int pg_capture_add_profile(struct pg_result *out, struct pg_buf *profile,
			   const struct pg_buf *bytes, struct pg_err *err);

/* The contract's unit and direction of a load script key. */
const char *pg_load_unit(const char *key);
enum pg_better pg_load_better(const char *key);

#endif
