// SPDX-License-Identifier: MIT
/* perfgate baseline propose, after the record: describe, commit, push. */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline_diff.h"
#include "fs.h"
#include "gitlab.h"
#include "propose.h"

/* The description: old -> new against the previous baseline, or a note
 * that this is the first one. */
static int describe(const struct pg_propose_req *q, char **out, struct pg_err *err)
{
	struct pg_baseline_ref ra, rb;
	struct pg_result old, new;
	struct pg_baseline_side so = { &old, ra.commit, NULL }, sn = { &new, rb.commit, NULL };
	char po[4096], pn[4096];
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	int rc;

	if (!f)
		return pg_err_nomem(err);
	pg_result_init(&old);
	pg_result_init(&new);
	/* the new baseline is read from its file: it is not committed yet */
	snprintf(rb.commit, sizeof(rb.commit), "%s", q->commit);
	rc = pg_baseline_path(q->store, q->commit, ".json", pn, sizeof(pn), err);
	if (!rc)
		rc = pg_result_load(&new, pn, err);
	if (!rc)
		rc = pg_baseline_diff_previous(q->store, q->commit, &old, &ra, err);
	if (rc == PG_ENOBASELINE) {
		fprintf(f,
			"### perfgate baseline `%.12s`\n\nThe first baseline of `%s`: there is "
			"no earlier one on this history to compare with.\n",
			q->commit, q->scenario);
		rc = 0;
	} else if (!rc &&
		   !(rc = pg_baseline_path(q->store, ra.commit, ".json", po, sizeof(po), err)) &&
		   !(rc = pg_baseline_path(q->store, rb.commit, ".json", pn, sizeof(pn), err))) {
		so.path = pg_baseline_diff_relpath(po, q->cfg->dir);
		sn.path = pg_baseline_diff_relpath(pn, q->cfg->dir);
		rc = pg_baseline_diff_write(f, &so, &sn, 1, err);
	}
	if (fclose(f) && !rc)
		rc = pg_err_nomem(err);
	pg_result_release(&new);
	pg_result_release(&old);
	return rc;
}

/* In a GitLab CI job with a token, replace the one-line description the
 * push option gave the merge request with the full one. */
static void describe_mr(const char *branch, const char *desc)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_gitlab_mr mr = { getenv("CI_API_V4_URL"), getenv("CI_PROJECT_ID"), "",
				   getenv("PERFGATE_GITLAB_TOKEN") };

	if (!mr.api || !*mr.api || !mr.project || !*mr.project || !mr.token || !*mr.token)
		return;
	if (pg_gitlab_mr_describe(&mr, branch, desc, &err))
		fprintf(stderr, "perfgate: warning: merge request description not set: %s\n",
			err.msg);
}

/* Describe the recorded files and commit them on the branch. */
static int commit_files(const struct pg_propose_req *q, struct pg_propose *p, char **desc,
			char sha[41], struct pg_err *err)
{
	char *msg = NULL;
	int rc = describe(q, desc, err);

	if (rc)
		return rc;
	if (asprintf(&msg, "%s\n\n%s", p->title, *desc) < 0)
		return pg_err_nomem(err);
	p->message = msg;
	fputs(*desc, stdout);
	rc = pg_propose_commit(p, sha, err);
	free(msg);
	return rc;
}

int pg_propose_baseline(const struct pg_propose_req *q, struct pg_err *err)
{
	char branch[64], title[160], sha[41], json[4096], pb[4096];
	const char *files[2] = { json, pb };
	char *desc = NULL;
	struct pg_propose p = { q->cfg->dir,
				branch,
				files,
				1,
				NULL,
				q->remote,
				q->cfg->base_branch ? q->cfg->base_branch : "main",
				title,
				NULL };
	int rc;

	snprintf(branch, sizeof(branch), PG_PROPOSE_BRANCH_FMT, q->commit);
	snprintf(title, sizeof(title), "perfgate: baseline of %s at %.12s", q->scenario, q->commit);
	p.summary = "perfgate baseline update; the commit message holds old -> new per metric";
	if ((rc = pg_baseline_path(q->store, q->commit, ".json", json, sizeof(json), err)) ||
	    (rc = pg_baseline_path(q->store, q->commit, ".pb.gz", pb, sizeof(pb), err)))
		return rc;
	p.nfiles = pg_fs_exists(pb) ? 2 : 1;
	rc = commit_files(q, &p, &desc, sha, err);
	/* the files live on the branch now, or could not go there: left
	 * untracked here they would block merging it back, or the next try */
	unlink(json);
	unlink(pb);
	if (rc)
		goto out;
	printf("\ncommitted %.12s on %s (the baseline files moved there from the work tree)\n", sha,
	       branch);
	if (!q->remote)
		goto out;
	if ((rc = pg_propose_push(&p, q->verbose, err)))
		goto out;
	printf("pushed %s to %s with a merge request for %s\n", branch, q->remote, p.target);
	describe_mr(branch, desc);
out:
	free(desc);
	return rc;
}
