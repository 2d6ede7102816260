// SPDX-License-Identifier: MIT
/* The check use case: find what the current tree is judged against, measure
 * it, decide. Stored mode compares one capture of the current tree with the
 * baseline recorded for the nearest commit on the reference's first-parent
 * history (confirming a regression with a second capture); paired mode
 * re-measures the reference commit here, in rounds interleaved with the
 * current tree, and decides from the pairs, showing the stored baseline
 * beside it when there is one. struct pg_check owns everything it holds
 * (pg_check_release), the temporary reference tree included. */
#ifndef PG_CHECK_H
#define PG_CHECK_H

#include "baseline.h"
#include "buf.h"
#include "capture.h"
#include "compare.h"
#include "config.h"
#include "err.h"
#include "paired.h"
#include "reftree.h"
#include "result.h"

struct pg_check_opts {
	const char *against; /* --against, or NULL */
	const struct pg_capture_opts *capture;
	struct pg_compare_opts compare;
	enum pg_mode mode;    /* AUTO: the scenario's */
	int no_baseline_pass; /* stored: no baseline is a pass */
	int no_confirm;	      /* stored: fail on the first capture */
	int duet;	      /* paired: 1 duet, 0 interleaved, -1 the config's */
};

struct pg_check {
	const struct pg_config *cfg;
	const struct pg_scenario *sc;
	struct pg_baseline_store *store;
	struct pg_baseline_ref ref;
	char *changes;	   /* "this merge request changes baselines: ..." or NULL */
	enum pg_mode mode; /* STORED or PAIRED once run */
	/* the stored baseline (have_base), and in stored mode the capture */
	struct pg_result base, cur;
	struct pg_buf base_prof, cur_prof;
	int have_base;
	struct pg_verdict v; /* stored mode's verdict */
	/* paired mode */
	struct pg_reftree tree;
	struct pg_config ref_cfg;
	struct pg_scenario ref_sc;
	struct pg_paired paired;
	struct pg_paired_cfg pcfg;
	int have_paired;
	int ref_borrowed; /* the reference has no scenario of its own: run the current way */
};

void pg_check_init(struct pg_check *k, const struct pg_config *cfg, const struct pg_scenario *sc);
void pg_check_release(struct pg_check *k);

/* Run the check. On success the verdict is pg_check_verdict(k), NULL when
 * stored mode found no baseline and o->no_baseline_pass let it pass. */
int pg_check_run(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err);

/* The outcome, borrowed from k: the verdict, what the current tree and its
 * reference measured, and their profiles. */
const struct pg_verdict *pg_check_verdict(const struct pg_check *k);
const struct pg_result *pg_check_current(const struct pg_check *k);
const struct pg_result *pg_check_reference(const struct pg_check *k);
const struct pg_buf *pg_check_current_profile(const struct pg_check *k);
const struct pg_buf *pg_check_reference_profile(const struct pg_check *k);

#endif
