// SPDX-License-Identifier: MIT
/* Internals of the baseline store, shared by gate/baseline*.c only. The
 * store owns the repository, the scenario's directory on disk (dir), the
 * same directory relative to the repository root (rel, NULL when it lies
 * outside the work tree) and the tree of the reference commit that check
 * resolved, from which reference baselines are read. */
#ifndef PG_BASELINE_INT_H
#define PG_BASELINE_INT_H

#include <git2.h>

#include "baseline.h"
#include "buf.h"

/* A walk longer than this is a runaway, not a history. */
#define MAX_WALK 1000000

struct pg_baseline_store {
	git_repository *repo;
	char *dir;	/* <config dir>/<baselines_dir>/<scenario> */
	char *rel_root; /* <baselines_dir> relative to the repository root, or NULL */
	char *rel;	/* <rel_root>/<scenario>, or NULL */
	char *scenario;
	struct pg_buf shallow; /* .git/shallow: the commits whose parents are cut off */
	git_tree *ref_tree;    /* the resolved reference's tree; NULL: the work tree */
	char ref_sha[PG_SHA_LEN + 1];
};

/* rel_root and rel from the config's directory and baselines_dir. */
int pg_baseline_set_rel(struct pg_baseline_store *s, const char *cfg_dir, const char *bd,
			struct pg_err *err);

/* Whether the reference tree (or, without one, the work tree) holds sha's
 * baseline JSON as a regular file. */
int pg_baseline_has(const struct pg_baseline_store *s, const char *sha);

/* Make the tree of commit oid the one baselines are read from. */
int pg_baseline_use_tree(struct pg_baseline_store *s, const git_oid *oid, struct pg_err *err);

/* A loaded baseline must be what its path says and hold comparable
 * numbers; what names the file in errors. */
int pg_baseline_validate(const struct pg_baseline_store *s, const char *sha,
			 const struct pg_result *r, const char *what, struct pg_err *err);

#endif
