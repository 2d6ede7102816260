// SPDX-License-Identifier: MIT
/* perfgate baseline record|propose: file HEAD's baseline (from a capture or
 * a result file) where a reviewer will read it, refusing before a long
 * capture what would be refused after it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd_baseline_int.h"
#include "baseline_diff.h"
#include "fs.h"
#include "gitinfo.h"
#include "measure.h"
#include "pprof.h"
#include "propose.h"

static int load_from(struct pg_baseline_ctx *x, const char *from, struct pg_result *r,
		     struct pg_buf *prof, struct pg_err *err)
{
	char pb[4096];
	size_t len = strlen(from);
	int rc;

	rc = pg_result_load(r, from, err);
	if (rc)
		return rc;
	if (r->scenario && strcmp(r->scenario, x->sc->name))
		return pg_err_set(err, PG_EINPUT, "'%s' is a result of scenario '%s', not '%s'",
				  from, r->scenario, x->sc->name);
	if (len > 5 && !strcmp(from + len - 5, ".json"))
		len -= 5;
	if (snprintf(pb, sizeof(pb), "%.*s.pb.gz", (int)len, from) >= (int)sizeof(pb))
		return pg_err_set(err, PG_EUSAGE, "path too long: '%s'", from);
	return pg_fs_exists(pb) ? pg_buf_read_file(prof, pb, err) : 0;
}

/* HEAD of the repository that holds the config, which must have one: a
 * baseline is filed under its commit. */
static int head_of(struct pg_baseline_ctx *x, char sha[PG_SHA_LEN + 1], int *dirty,
		   struct pg_err *err)
{
	int rc = pg_git_head(x->cfg.dir, sha, dirty, err);

	if (!rc && !sha[0])
		rc = pg_err_set(err, PG_EINPUT,
				"the repository of '%s' has no commits yet; commit first "
				"(baselines are kept per commit)",
				x->cfg.dir);
	return rc;
}

/* A --from result keeps its own commit (HEAD if it has none). */
static int set_commit(struct pg_baseline_ctx *x, struct pg_result *r, struct pg_err *err)
{
	char head[PG_SHA_LEN + 1];
	int rc;

	if (r->commit)
		return 0;
	rc = head_of(x, head, &r->dirty, err);
	if (rc)
		return rc;
	free(r->commit);
	r->commit = strdup(head);
	return r->commit ? 0 : pg_err_nomem(err);
}

/* Refuse before a long capture what would be refused after it (for a
 * proposal, also the branch it would go on). */
static int precheck(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, int propose,
		    struct pg_err *err)
{
	char head[PG_SHA_LEN + 1], path[4096];
	int dirty, rc;

	if ((rc = head_of(x, head, &dirty, err)) ||
	    (rc = pg_baseline_path(x->store, head, ".json", path, sizeof(path), err)))
		return rc;
	if (dirty && !a->allow_dirty)
		return pg_err_set(err, PG_EINPUT,
				  "the work tree has uncommitted changes to tracked files; commit "
				  "them or use --allow-dirty");
	if (!a->force && pg_fs_exists(path))
		return pg_err_set(err, PG_EINPUT, "baseline '%s' exists; use --force to replace it",
				  path);
	return propose ? pg_propose_branch_free(x->cfg.dir, head, err) : 0;
}

/* What record files: a result file with its commit (HEAD if it names
 * none), or a capture of HEAD once nothing would refuse it afterwards. */
static int record_input(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, int propose,
			struct pg_result *r, struct pg_buf *prof, struct pg_err *err)
{
	int rc;

	if (a->from) {
		rc = load_from(x, a->from, r, prof, err);
		return rc ? rc : set_commit(x, r, err);
	}
	rc = precheck(x, a, propose, err);
	if (rc)
		return rc;
	return pg_measure_once(&(struct pg_measure){ &x->cfg, x->sc, &a->sc.capture, NULL, NULL },
			       r, prof, err);
}

/* After a record: the baseline before it, the file a reviewer diffs with. */
static void show_previous(struct pg_baseline_ctx *x, const char *commit)
{
	struct pg_baseline_ref prev;
	struct pg_result r;
	char path[4096];

	pg_result_init(&r);
	if (!pg_baseline_diff_previous(x->store, commit, &r, &prev, NULL) &&
	    !pg_baseline_path(x->store, prev.commit, ".json", path, sizeof(path), NULL))
		printf("previous %s (perfgate baseline diff %.12s)\n", path, commit);
	pg_result_release(&r);
}

/* Record HEAD's baseline; commit (if not NULL: for a proposal) gets its
 * commit. */
static int record(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, char *commit,
		  struct pg_err *err)
{
	struct pg_buf prof = PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	struct pg_result r;
	char path[4096];
	int rc;

	pg_result_init(&r);
	if (a->npos) {
		rc = pg_err_set(err, PG_EUSAGE, "'baseline record' takes no arguments, not '%s'",
				a->pos[0]);
		goto out;
	}
	rc = record_input(x, a, commit != NULL, &r, &prof, err);
	if (rc)
		goto out;
	if (r.dirty && !a->allow_dirty) {
		rc = pg_err_set(
			err, PG_EINPUT,
			"the result was captured from a work tree with uncommitted changes; "
			"commit them or use --allow-dirty");
		goto out;
	}
	rc = pg_baseline_record(x->store, &r, prof.data, prof.len, a->force, err);
	if (rc)
		goto out;
	/* a proposal's files move to a branch, which it names */
	if (commit)
		snprintf(commit, PG_SHA_LEN + 1, "%s", r.commit);
	else if ((rc = pg_baseline_path(x->store, r.commit, ".json", path, sizeof(path), err)))
		goto out;
	else
		printf("recorded %s\n", path);
	show_previous(x, r.commit);
out:
	pg_buf_release(&prof);
	pg_result_release(&r);
	return rc;
}

int pg_baseline_cmd_record(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
			   struct pg_err *err)
{
	return record(x, a, NULL, err);
}

/* Record HEAD's baseline, then commit it on a branch of its own and push
 * that as a merge request (see propose.h). */
int pg_baseline_cmd_propose(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
			    struct pg_err *err)
{
	const char *env_remote = getenv("PERFGATE_PUSH_URL");
	char commit[PG_SHA_LEN + 1];
	struct pg_propose_req q = { x->store, &x->cfg, x->sc->name,
				    commit,   NULL,    a->sc.capture.verbose };
	int rc;

	q.remote = a->remote ? a->remote : env_remote && *env_remote ? env_remote : "origin";
	if (a->no_push)
		q.remote = NULL;
	rc = record(x, a, commit, err);
	return rc ? rc : pg_propose_baseline(&q, err);
}
