// SPDX-License-Identifier: MIT
/* One measuring path for check, capture and baseline record: build what a
 * tree's scenario runs, capture it, and stamp the result with what was
 * measured (commit, dirty flag, host facts, time), the same way for every
 * command. The caller owns the result and the profile buffer. */
#ifndef PG_MEASURE_H
#define PG_MEASURE_H

#include "buf.h"
#include "capture.h"
#include "config.h"
#include "err.h"
#include "result.h"

/* What to measure: a scenario of a tree's config (cfg->dir is the tree),
 * and the commit it holds (NULL: HEAD of the repository around cfg->dir,
 * with its dirty flag; a commit given is a clean checkout of it). */
struct pg_measure {
	const struct pg_config *cfg;
	const struct pg_scenario *sc;
	const struct pg_capture_opts *capture;
	const char *commit;
	const char *what; /* "the current tree", "reference 1a2b3c4d5e6f": messages */
};

/* The scenario's build in its tree (nothing without a build). */
int pg_measure_build(const struct pg_measure *m, struct pg_err *err);

/* Capture into out (initialised by the caller; runs append to what it
 * holds) and profile, then stamp out. */
int pg_measure_run(const struct pg_measure *m, struct pg_result *out, struct pg_buf *profile,
		   struct pg_err *err);

/* Sweep what killed runs left, build, then run: what capture and baseline
 * record do. */
int pg_measure_once(const struct pg_measure *m, struct pg_result *out, struct pg_buf *profile,
		    struct pg_err *err);

/* The stamp alone: commit, dirty flag, host facts, creation time. */
int pg_measure_stamp(const struct pg_measure *m, struct pg_result *out, struct pg_err *err);

#endif
