/* What capture records about the code it measured, read with libgit2: the
 * repository around a directory, its HEAD commit, and whether tracked files
 * differ from it (as `git describe --dirty` sees it; untracked files do not
 * count). Stateless; every call opens and frees its own repository. */
#ifndef PG_GITINFO_H
#define PG_GITINFO_H

#include <stddef.h>

#include "err.h"

#define PG_GIT_SHA_LEN 40

/* The work tree root of the repository containing dir: 0 and out filled,
 * 1 when dir is in no repository (or a bare one), negative on error. Found
 * by looking for .git upwards, without loading libgit2 (see dynlib.h). */
int pg_git_root(const char *dir, char *out, size_t n, struct pg_err *err);

/* HEAD's full sha (sha_out[PG_GIT_SHA_LEN + 1]) and dirtiness of the
 * repository containing dir. Outside a repository, or on an unborn HEAD:
 * 0 with sha_out empty and *dirty 0. */
int pg_git_head(const char *dir, char *sha_out, int *dirty, struct pg_err *err);

#endif
