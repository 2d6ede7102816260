// SPDX-License-Identifier: MIT
/* Paired mode of check: the reference commit re-measured on this runner,
 * in its own temporary tree built with its own build, interleaved with the
 * current tree; the load script, its settings and the probes are the
 * current tree's for both sides, since they are the instrument. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "child.h"
#include "measure.h"
#include "sig.h"

/* A duet runs both sides at once: it needs a CPU for each, and a network
 * namespace for each, or the second workload finds the first one's port
 * taken; without root there is neither a namespace nor a cgroup to pin.
 * Otherwise the sides are interleaved; said as a warning when the duet was
 * asked for on the command line, as a note when it is the default. */
static int duet_possible(const struct pg_check *k, int asked)
{
	const char *why = NULL;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		why = "a duet needs two CPUs";
	else if (geteuid() != 0)
		why = "a duet needs root (a cgroup and a network namespace for each side)";
	else if (!k->sc->workload.isolate_network || !k->ref_sc.workload.isolate_network)
		why = "a duet needs \"isolate_network\": true (its two sides would share ports)";
	if (why)
		fprintf(stderr, "perfgate: %s: %s; interleaving instead\n",
			asked ? "warning" : "note", why);
	return !why;
}

int pg_check_paired(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err);
int pg_check_load_stored(struct pg_check *k, struct pg_err *err);

/* The baseline of k->ref.commit as committed on the reference side. */
int pg_check_load_stored(struct pg_check *k, struct pg_err *err)
{
	int rc = pg_baseline_load(k->store, k->ref.commit, &k->base, &k->base_prof, err);

	k->have_base = !rc;
	return rc;
}

/* The stored baseline is the record, not the judge here: shown beside the
 * re-measured reference when there is one, and never an error when not.
 * It is read from the reference's history, as stored mode reads it. */
static int load_stored(struct pg_check *k, struct pg_err *err)
{
	struct pg_baseline_ref near;
	struct pg_err ignored = PG_ERR_INIT;
	int rc;

	rc = pg_baseline_resolve(k->store, k->ref.reference, NULL, &near, &ignored);
	if (!rc || rc == PG_ENOBASELINE) {
		rc = pg_baseline_changes(k->store, &k->changes, err);
		if (rc)
			return rc;
	}
	if (!near.commit[0])
		return 0;
	memcpy(k->ref.commit, near.commit, sizeof(k->ref.commit));
	k->ref.distance = near.distance;
	if (pg_check_load_stored(k, &ignored))
		fprintf(stderr, "perfgate: warning: the stored baseline of %.12s is unusable: %s\n",
			near.commit, ignored.msg);
	return 0;
}

/* The reference's scenario: its workload, build and pprof endpoint from its
 * own tree; everything that measures (load, gate rules) from the current. */
static int reference_scenario(struct pg_check *k, struct pg_err *err)
{
	const struct pg_scenario *rsc;
	int own, rc;

	rc = pg_reftree_checkout(&k->tree, k->cfg, k->ref.reference, err);
	if (!rc)
		rc = pg_reftree_config(&k->tree, k->cfg, k->sc->name, &k->ref_cfg, &rsc, &own, err);
	if (rc)
		return rc;
	k->ref_borrowed = !own;
	if (!own)
		fprintf(stderr,
			"perfgate: note: the reference %.12s has no build of its own for '%s' "
			"(no perfgate.json, no such scenario, or one that does not parse): it is "
			"built and run with this tree's settings\n",
			k->ref.reference, k->sc->name);
	k->ref_sc = *k->sc;
	k->ref_sc.workload = rsc->workload;
	k->ref_sc.build = rsc->build;
	k->ref_sc.pprof_url = rsc->pprof_url;
	return 0;
}

/* A reference that borrowed this tree's settings and cannot be built or
 * run with them (a scenario new in this merge request, its files not yet
 * there) has nothing to be re-measured with: that is "no baseline" (4, and
 * --no-baseline=pass), not the runner's failure. */
static int borrowed_failure(const struct pg_check *k, int rc, struct pg_err *err)
{
	char why[sizeof(err->msg)];

	if (!rc || !k->ref_borrowed || rc == PG_ENOMEM || pg_sig_pending())
		return rc;
	snprintf(why, sizeof(why), "%s", err->msg);
	return pg_err_set(err, PG_ENOBASELINE,
			  "nothing to re-measure: the reference %.12s has no build of its own for "
			  "'%s', and built the current way it fails (%s)",
			  k->ref.reference, k->sc->name, why);
}

/* The reference's workload program exists in its tree (checked before the
 * rounds, so a missing one is said as the reference's, not as a temp path
 * that failed to start). */
static int check_ref_program(const struct pg_check *k, struct pg_err *err)
{
	const char *cmd0 = k->ref_sc.workload.cmd ? k->ref_sc.workload.cmd[0] : NULL;
	size_t n = strlen(k->tree.dir);
	char path[PATH_MAX];

	if (!cmd0 || (!pg_child_find_exe(cmd0, path, sizeof(path), "workload", NULL) &&
		      access(path, X_OK) == 0))
		return 0;
	/* named in the commit's tree, not by the temp directory it went to */
	if (n && !strncmp(cmd0, k->tree.dir, n) && cmd0[n] == '/')
		cmd0 += n + 1;
	return pg_err_set(err, PG_EINFRA,
			  "the workload of reference %.12s, '%s', is not there after its build",
			  k->ref.reference, cmd0);
}

/* Drift: how this runner measures the reference against the stored record
 * of the same commit's ancestry, per row, and in one line for CPU. A stored
 * CPU counted over another scope (a baseline recorded without root) is no
 * drift: it is left out. */
static int drift(struct pg_check *k, struct pg_err *err)
{
	struct pg_verdict *v = &k->paired.v;
	int apart = pg_result_cpu_apart(&k->base, &k->paired.ref.res);
	const struct pg_metric *m;
	struct pg_compare_row *r;
	double pct;
	size_t i;
	int rc = 0;

	for (i = 0; i < v->nrows; i++) {
		m = pg_result_metric(&k->base, v->rows[i].metric);
		if (apart && !strcmp(v->rows[i].metric, PG_METRIC_CPU))
			m = NULL;
		v->rows[i].stored = m ? pg_metric_median(m) : NAN;
	}
	for (i = 0; i < v->nrows && !rc; i++) {
		r = &v->rows[i];
		if (strcmp(r->metric, PG_METRIC_CPU) || !(r->stored > 0))
			continue;
		pct = (r->baseline - r->stored) / r->stored * 100;
		rc = pg_verdict_note(
			v, err,
			"this runner measures the reference %.0f %% %s than the stored "
			"baseline of %.12s (cpu.seconds_per_req %.3g -> %.3g)",
			fabs(pct), pct < 0 ? "faster" : "slower", k->ref.commit, r->stored,
			r->baseline);
	}
	return rc;
}

/* The reference fell back to HEAD (no --against, no merge request base, no
 * base branch here): a paired check then measures HEAD against itself and
 * passes whatever it holds, so it says so, at once and in every report. */
static int self_reference(const struct pg_check *k, char *why, size_t n)
{
	if (!k->ref.head_fallback)
		return 0;
	snprintf(why, n,
		 "the reference is HEAD itself (no --against, no CI_MERGE_REQUEST_DIFF_BASE_SHA, "
		 "no branch '%s' to take a merge base with): this check compared HEAD with "
		 "itself; set base_branch or pass --against",
		 k->cfg->base_branch);
	fprintf(stderr, "perfgate: warning: %s\n", why);
	return 1;
}

/* The file a workload's cmd[0] runs; *ok 0 when there is none (yet). */
static struct stat program_of(const struct pg_scenario *sc, char *path, size_t n, int *ok)
{
	struct stat st = { 0 };

	*ok = sc->workload.cmd &&
	      !pg_child_find_exe(sc->workload.cmd[0], path, n, "workload", NULL) &&
	      stat(path, &st) == 0;
	return st;
}

/* Both sides run one file outside their trees (an absolute path, a name
 * found in PATH) that the builds wrote: the current tree's build replaced
 * the reference's, so the pairs would compare the change with itself and
 * pass whatever it holds. A shared interpreter (python3, java) the builds
 * leave alone is fine: the code it runs is in each tree. */
static int check_programs(const struct pg_check *k, const struct stat *before, int had,
			  struct pg_err *err)
{
	char rpath[PATH_MAX], cpath[PATH_MAX];
	struct stat r, c;
	int rok, cok;

	r = program_of(&k->ref_sc, rpath, sizeof(rpath), &rok);
	c = program_of(k->sc, cpath, sizeof(cpath), &cok);
	if (!rok || !cok || r.st_dev != c.st_dev || r.st_ino != c.st_ino)
		return 0;
	if (had && before->st_ino == c.st_ino && before->st_mtim.tv_sec == c.st_mtim.tv_sec &&
	    before->st_mtim.tv_nsec == c.st_mtim.tv_nsec)
		return 0;
	return pg_err_set(err, PG_EINPUT,
			  "both sides would run '%s', which the builds write outside their trees "
			  "(the current tree's build replaced the reference's); build the "
			  "workload into its tree (a relative path) for paired mode, or use "
			  "--mode stored",
			  cpath);
}

int pg_check_paired(struct pg_check *k, const struct pg_check_opts *o, struct pg_err *err)
{
	struct pg_measure ref = { &k->ref_cfg, &k->ref_sc, o->capture, k->ref.reference, NULL };
	struct pg_measure cur = { k->cfg, k->sc, o->capture, NULL, "the current tree" };
	char what[64], self_why[320], path[PATH_MAX];
	struct stat before;
	int rc, self, had;

	rc = pg_baseline_reference(k->store, o->against, k->cfg->base_branch, &k->ref, err);
	if (!rc)
		rc = load_stored(k, err);
	if (rc)
		return rc;
	self = self_reference(k, self_why, sizeof(self_why));
	snprintf(what, sizeof(what), "reference %.12s", k->ref.reference);
	ref.what = what;
	rc = reference_scenario(k, err);
	if (rc)
		return rc;
	before = program_of(k->sc, path, sizeof(path), &had);
	rc = borrowed_failure(k, pg_measure_build(&ref, err), err);
	if (!rc)
		rc = borrowed_failure(k, check_ref_program(k, err), err);
	if (!rc)
		rc = pg_measure_build(&cur, err);
	if (!rc)
		rc = check_programs(k, &before, had, err);
	if (rc)
		return rc;
	k->pcfg = k->sc->paired;
	if (o->duet >= 0)
		k->pcfg.duet = o->duet;
	k->pcfg.duet = k->pcfg.duet && duet_possible(k, o->duet == 1);
	pg_paired_init(&k->paired, &ref, &cur, &k->pcfg, &o->compare);
	k->have_paired = 1;
	rc = pg_paired_run(&k->paired, err);
	free(k->paired.v.ref_commit);
	k->paired.v.ref_commit = strdup(k->ref.reference);
	if (!rc && !k->paired.v.ref_commit)
		rc = pg_err_nomem(err);
	k->paired.v.ref_distance = 0;
	if (!rc && self)
		rc = pg_verdict_note(&k->paired.v, err, "%s", self_why);
	if (!rc && k->ref_borrowed)
		rc = pg_verdict_note(
			&k->paired.v, err,
			"the reference %.12s has no build of its own for this scenario: "
			"it was built and run with this merge request's workload, build "
			"and pprof settings, so a change to those does not show here",
			k->ref.reference);
	return rc || !k->have_base ? rc : drift(k, err);
}
