// SPDX-License-Identifier: MIT
/* Baselines: committed files <baselines_dir>/<scenario>/<full-sha>.json
 * (+ .pb.gz, the CPU profile) and the git history (libgit2) that says which
 * one a check compares against. A struct pg_baseline_store owns its
 * repository handle and paths (pg_baseline_store_free); entries returned by
 * pg_baseline_list are the caller's (pg_baseline_entries_free). */
#ifndef PG_BASELINE_H
#define PG_BASELINE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "gitinfo.h"
#include "result.h"

struct pg_baseline_store;

/* Open the repository that holds the config file, for one scenario. */
int pg_baseline_store_open(struct pg_baseline_store **out, const struct pg_config *cfg,
			   const char *scenario, struct pg_err *err);
void pg_baseline_store_free(struct pg_baseline_store *s);

/* The file of sha's baseline; ext is ".json" or ".pb.gz". */
int pg_baseline_path(const struct pg_baseline_store *s, const char *sha, const char *ext, char *out,
		     size_t len, struct pg_err *err);

/* Write r as the baseline of r->commit (and profile beside it, when len is
 * not 0), atomically. PG_EINPUT if it exists and force is not set. */
int pg_baseline_record(struct pg_baseline_store *s, const struct pg_result *r, const void *profile,
		       size_t profile_len, int force, struct pg_err *err);

/* How check found its baseline: the reference commit (and how it was
 * chosen), and the nearest commit on its first-parent history whose
 * baseline file the reference's tree holds, distance commits back. */
struct pg_baseline_ref {
	char reference[PG_SHA_LEN + 1];
	char how[128];
	int head_fallback; /* no --against, merge request base or base branch: HEAD */
	char commit[PG_SHA_LEN + 1];
	int distance;
};

/* The contract's order: against (a revision) if not NULL; else
 * $CI_MERGE_REQUEST_DIFF_BASE_SHA; else the merge base of HEAD and
 * base_branch (origin/<base_branch> if present); else HEAD. Then the walk.
 * PG_ENOBASELINE when no baseline is found, with a hint when the history is
 * shallow. */
int pg_baseline_resolve(struct pg_baseline_store *s, const char *against, const char *base_branch,
			struct pg_baseline_ref *out, struct pg_err *err);

/* The reference commit alone (out->reference and out->how), without
 * looking for a baseline: what paired measurement re-measures. */
int pg_baseline_reference(struct pg_baseline_store *s, const char *against, const char *base_branch,
			  struct pg_baseline_ref *out, struct pg_err *err);

/* The walk alone, from the commit rev names. */
int pg_baseline_nearest(struct pg_baseline_store *s, const char *rev, struct pg_baseline_ref *out,
			struct pg_err *err);

struct pg_baseline_entry {
	char sha[PG_SHA_LEN + 1];
	int order;	 /* first-parent commits back from HEAD; -1: not on that history */
	long long mtime; /* of the file, for entries off the history */
};

/* Every baseline of the scenario, newest first: by first-parent order from
 * HEAD, then (off that history) by file time. */
int pg_baseline_list(struct pg_baseline_store *s, struct pg_baseline_entry **out, size_t *n,
		     struct pg_err *err);
void pg_baseline_entries_free(struct pg_baseline_entry *e);

/* Load sha's baseline (and its CPU profile into profile, when profile is
 * not NULL and there is one; profile is left empty otherwise). After
 * pg_baseline_resolve the files are read as blobs from the tree of the
 * reference commit, never from the work tree, which a merge request
 * controls; without a resolved reference (or with baselines_dir outside
 * the repository) from disk, refusing files that are not regular or lie
 * outside the scenario's directory. The baseline is validated: its
 * scenario and commit match its path, it has metrics, metric names are
 * [A-Za-z0-9._-]+ and values finite, not negative and not subnormal. */
int pg_baseline_load(struct pg_baseline_store *s, const char *sha, struct pg_result *out,
		     struct pg_buf *profile, struct pg_err *err);

/* The report line naming the baseline files the merge request changes:
 * the diff from the resolved reference to HEAD under baselines_dir. *out
 * is NULL when there are none (or nothing was resolved); the caller frees
 * it. */
int pg_baseline_changes(struct pg_baseline_store *s, char **out, struct pg_err *err);

/* Remove all but the keep newest baselines (both files); log names each. */
int pg_baseline_prune(struct pg_baseline_store *s, size_t keep, FILE *log, struct pg_err *err);

#endif
