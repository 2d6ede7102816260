// SPDX-License-Identifier: MIT
/* What the baseline subcommands share (gate/cmd_baseline.c reads and prunes
 * baselines, gate/cmd_baseline_record.c records and proposes them): the
 * parsed arguments, and the config and baseline store they work on. */
#ifndef PG_CMD_BASELINE_INT_H
#define PG_CMD_BASELINE_INT_H

#include "baseline.h"
#include "capture.h"
#include "config.h"

struct pg_baseline_args {
	struct pg_scenario_args sc;
	const char *from;
	int force, allow_dirty, has_keep, markdown, no_push;
	const char *remote;
	unsigned long keep;
	char **pos; /* positional arguments after the subcommand */
	int npos;
};

struct pg_baseline_ctx {
	struct pg_config cfg;
	const struct pg_scenario *sc;
	struct pg_baseline_store *store;
};

/* baseline record: HEAD's capture, or --from a result file. */
int pg_baseline_cmd_record(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
			   struct pg_err *err);

/* baseline propose: record, then commit on a branch of its own and push it
 * as a merge request (see propose.h). */
int pg_baseline_cmd_propose(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
			    struct pg_err *err);

#endif
