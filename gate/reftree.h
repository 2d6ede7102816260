/* The reference commit's tree, written with libgit2 into a temporary
 * directory (no network; the user's work tree, index and HEAD untouched),
 * so paired measurement can build and run the reference from its own
 * files. A struct pg_reftree owns that directory: pg_reftree_remove
 * deletes it and everything the reference's build put in it. */
#ifndef PG_REFTREE_H
#define PG_REFTREE_H

#include <limits.h>

#include "config.h"
#include "err.h"

struct pg_reftree {
	char dir[PATH_MAX];    /* the temporary tree; "" when none */
	char config[PATH_MAX]; /* the config's path inside it */
	char sha[41];
};

void pg_reftree_init(struct pg_reftree *t);

/* Write commit sha of the repository holding cur's config into a fresh
 * temporary directory. PG_EINPUT when sha is not a commit of it. */
int pg_reftree_checkout(struct pg_reftree *t, const struct pg_config *cur, const char *sha,
			struct pg_err *err);

/* The reference's config (out, initialised by the caller): the tree's own
 * perfgate.json at the same place when it has the scenario with a build,
 * else the
 * current config read as if it lived in the tree, so relative paths are
 * the tree's. *sc is out's scenario called name; *own says which. */
int pg_reftree_config(const struct pg_reftree *t, const struct pg_config *cur, const char *name,
		      struct pg_config *out, const struct pg_scenario **sc, int *own,
		      struct pg_err *err);

/* Delete the tree. NULL-safe, idempotent. */
void pg_reftree_remove(struct pg_reftree *t);

#endif
