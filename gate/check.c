// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "owner.h"
#include "pprof.h"
#include "measure.h"

/* in check_paired.c */
int pg_check_paired(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err);
int pg_check_load_stored(struct pg_check *k, struct pg_err *err);

void pg_check_init(struct pg_check *k, const struct pg_config *cfg, const struct pg_scenario *sc)
{
	memset(k, 0, sizeof(*k));
	k->cfg = cfg;
	k->sc = sc;
	pg_result_init(&k->base);
	pg_result_init(&k->cur);
	k->base_prof = (struct pg_buf)PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	k->cur_prof = (struct pg_buf)PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	pg_verdict_init(&k->v);
	pg_reftree_init(&k->tree);
	pg_config_init(&k->ref_cfg);
	/* a run that fails before capturing still names its scenario */
	if (sc)
		k->cur.scenario = strdup(sc->name);
}

void pg_check_release(struct pg_check *k)
{
	if (k->have_paired)
		pg_paired_release(&k->paired);
	pg_config_release(&k->ref_cfg);
	pg_reftree_remove(&k->tree);
	pg_verdict_release(&k->v);
	pg_buf_release(&k->cur_prof);
	pg_buf_release(&k->base_prof);
	pg_result_release(&k->cur);
	pg_result_release(&k->base);
	pg_baseline_store_free(k->store);
	k->store = NULL;
	free(k->changes);
	k->changes = NULL;
}

static int capture(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	struct pg_measure m = { k->cfg, k->sc, o->capture, NULL, NULL };

	return pg_measure_run(&m, &k->cur, &k->cur_prof, err);
}

static int compare(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	int rc = pg_compare_results(&k->base, &k->cur, &o->compare, &k->v, err);

	if (rc)
		return rc;
	/* the file's key is the commit the baseline belongs to */
	free(k->v.ref_commit);
	k->v.ref_commit = strdup(k->ref.commit);
	k->v.ref_distance = k->ref.distance;
	return k->v.ref_commit ? 0 : pg_err_nomem(err);
}

/* A regression must hold in a second capture before it fails the gate. The
 * host's speed drifts over minutes on shared machines, and a drift that
 * pushes one capture over a threshold rarely pushes the next over the same
 * one; a real regression survives. The report shows the confirming
 * capture, with notes on the rows the two disagree on. */
static int confirm(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	struct pg_verdict first = k->v;
	size_t i;
	int rc;

	for (i = 0; i < first.nrows; i++)
		if (first.rows[i].verdict == PG_VERDICT_REGRESSION)
			fprintf(stderr,
				"perfgate: %s regressed (%+.1f %%); capturing again to "
				"confirm\n",
				first.rows[i].metric, first.rows[i].change_pct);
	pg_verdict_init(&k->v);
	pg_result_release(&k->cur);
	pg_result_init(&k->cur);
	rc = capture(k, o, err);
	if (!rc)
		rc = compare(k, o, err);
	if (!rc)
		pg_verdict_confirm(&k->v, &first);
	pg_verdict_release(&first);
	return rc;
}

/* No baseline, and --no-baseline=pass: said, then passed. */
static void pass_without_baseline(const struct pg_err *err)
{
	fprintf(stderr, "perfgate: warning: %s; passing because of --no-baseline=pass\n", err->msg);
}

/* Build and capture the current tree; judge it when there is a stored
 * baseline (k->have_base), confirming a regression by default. */
static int measure_stored(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	struct pg_measure m = { k->cfg, k->sc, o->capture, NULL, NULL };
	int rc;

	rc = pg_measure_build(&m, err);
	if (!rc)
		rc = capture(k, o, err);
	if (!rc && k->have_base)
		rc = compare(k, o, err);
	if (!rc && k->have_base && k->v.nregressions && !o->no_confirm)
		rc = confirm(k, o, err);
	return rc;
}

static int check_stored(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	int rc;

	rc = pg_baseline_resolve(k->store, o->against, k->cfg->base_branch, &k->ref, err);
	if (!rc || rc == PG_ENOBASELINE) {
		int crc = pg_baseline_changes(k->store, &k->changes, err);

		if (crc)
			return crc;
	}
	if (rc == PG_ENOBASELINE && o->no_baseline_pass) {
		pass_without_baseline(err);
		rc = 0;
	} else if (!rc) {
		rc = pg_check_load_stored(k, err);
	}
	return rc ? rc : measure_stored(k, o, err);
}

/* Paired mode with no reference to re-measure (a commit missing from the
 * clone, a scenario new in this merge request) and --no-baseline=pass: as
 * stored mode without a baseline, the current tree alone, and a pass. */
static int current_only(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	pass_without_baseline(err);
	k->mode = PG_MODE_STORED;
	k->have_base = 0; /* a stored record shown beside a reference, not a judge */
	return measure_stored(k, o, err);
}

int pg_check_run(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	int rc;

	k->mode = o->mode != PG_MODE_AUTO ? o->mode : pg_scenario_mode(k->sc);
	if (k->mode == PG_MODE_PAIRED && k->sc->workload.attach.kind)
		return pg_err_set(err, PG_EUSAGE,
				  "paired mode cannot re-measure an attached workload (one running "
				  "service, no reference to start beside it); use --mode stored");
	rc = pg_baseline_store_open(&k->store, k->cfg, k->sc->name, err);
	if (rc)
		return rc;
	/* what a SIGKILLed run left, once, before this run builds (which may
	 * fail) and captures */
	pg_owner_sweep(stderr);
	if (k->mode != PG_MODE_PAIRED)
		return check_stored(k, o, err);
	rc = pg_check_paired(k, o, err);
	return rc == PG_ENOBASELINE && o->no_baseline_pass && !k->have_paired
		       ? current_only(k, o, err)
		       : rc;
}

const struct pg_verdict *pg_check_verdict(const struct pg_check *k)
{
	if (k->mode == PG_MODE_PAIRED)
		return k->have_paired && k->paired.v.nrows ? &k->paired.v : NULL;
	return k->have_base ? &k->v : NULL;
}

const struct pg_result *pg_check_current(const struct pg_check *k)
{
	return k->mode == PG_MODE_PAIRED && k->have_paired ? &k->paired.cur.res : &k->cur;
}

const struct pg_result *pg_check_reference(const struct pg_check *k)
{
	if (k->mode == PG_MODE_PAIRED)
		return k->have_paired ? &k->paired.ref.res : NULL;
	return k->have_base ? &k->base : NULL;
}

const struct pg_buf *pg_check_current_profile(const struct pg_check *k)
{
	return k->mode == PG_MODE_PAIRED && k->have_paired ? &k->paired.cur.profile : &k->cur_prof;
}

const struct pg_buf *pg_check_reference_profile(const struct pg_check *k)
{
	return k->mode == PG_MODE_PAIRED && k->have_paired ? &k->paired.ref.profile : &k->base_prof;
}
