// SPDX-License-Identifier: MIT
/* Baseline updates as merge requests: commit a scenario's new baseline
 * files on a branch of their own (perfgate/baseline-<short sha>) without
 * touching the work tree, index or HEAD, and push it with GitLab's
 * merge-request push options. Owns nothing past a call; the git child is
 * reaped on every path. PERFGATE_GITLAB_TOKEN, when set, authenticates the
 * push through git's environment (never argv, never printed). */
#ifndef PG_PROPOSE_H
#define PG_PROPOSE_H

#include "baseline.h"
#include "config.h"
#include "err.h"

struct pg_propose {
	const char *repo_dir; /* any directory inside the repository */
	const char *branch;   /* e.g. perfgate/baseline-1a2b3c4d5e6f */
	const char **files;   /* absolute paths inside the work tree */
	size_t nfiles;
	const char *message; /* commit message */
	const char *remote;  /* remote name or URL; NULL: do not push */
	const char *target;  /* the merge request's target branch */
	const char *title;   /* the merge request's title */
	const char *summary; /* one line for the MR description push option */
};

/* The branch a commit's baseline is proposed on. */
#define PG_PROPOSE_BRANCH_FMT "perfgate/baseline-%.12s"

/* PG_EINPUT when commit's proposal branch exists already: checked before
 * a capture that could not be proposed afterwards. */
int pg_propose_branch_free(const char *repo_dir, const char *commit, struct pg_err *err);

/* Commit p->files onto a new branch p->branch whose parent is HEAD;
 * PG_EINPUT if the branch exists. out gets the commit's sha. */
int pg_propose_commit(const struct pg_propose *p, char out[41], struct pg_err *err);

/* git push p->remote p->branch with merge_request.create, .target, .title
 * and .description push options; PG_EINFRA with git's last line on failure. */
int pg_propose_push(const struct pg_propose *p, int verbose, struct pg_err *err);

/* The whole proposal for the baseline just recorded for commit: the
 * description (pg_baseline_diff_write against the previous baseline) on
 * stdout and in the commit message, the branch, the push (remote NULL:
 * none) and, in GitLab CI with PERFGATE_GITLAB_TOKEN, the merge request's
 * description through the API (a failure there is a warning). The
 * recorded files leave the work tree: onto the branch, or, when the
 * commit fails, away. */
struct pg_propose_req {
	struct pg_baseline_store *store;
	const struct pg_config *cfg;
	const char *scenario;
	const char *commit;
	const char *remote;
	int verbose;
};

int pg_propose_baseline(const struct pg_propose_req *q, struct pg_err *err);

#endif
