// SPDX-License-Identifier: MIT
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dynlib.h"
#include "gitinfo.h"

/* Open the repository around dir: 1 if there is none. */
static int open_repo(git_repository **out, const char *dir, struct pg_err *err)
{
	int rc = pg_libgit2.repository_open_ext(out, dir, 0, NULL);

	/* a refused repository is one, not none: its commit must not go
	 * unrecorded */
	if (pg_libgit2_owner_refused(rc))
		return pg_libgit2_owner_error(dir, err);
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0)
		return pg_libgit2_fail(err, PG_EINPUT, "cannot open the git repository of '%s'",
				       dir);
	return 0;
}

/* Whether path names an existing file or directory (a worktree's .git is a
 * file), and its device. */
static int exists(const char *path, dev_t *dev)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	*dev = st.st_dev;
	return 1;
}

/* A repository's own directory (bare, or a .git we are inside): HEAD,
 * objects/ and refs/ side by side, as git's is_git_directory() checks. */
static int is_gitdir(const char *dir)
{
	char p[PATH_MAX];
	dev_t d;

	return snprintf(p, sizeof(p), "%s/HEAD", dir) < (int)sizeof(p) && exists(p, &d) &&
	       snprintf(p, sizeof(p), "%s/objects", dir) < (int)sizeof(p) && exists(p, &d) &&
	       snprintf(p, sizeof(p), "%s/refs", dir) < (int)sizeof(p) && exists(p, &d);
}

/* git's discovery without libgit2, so that finding the config does not load
 * it: walk up from dir to the first directory holding a .git, staying on one
 * filesystem as libgit2 does without GIT_REPOSITORY_OPEN_CROSS_FS. A bare
 * repository has no work tree (1); inside a .git, its parent is the root. */
int pg_git_root(const char *dir, char *out, size_t n, struct pg_err *err)
{
	char cur[PATH_MAX], probe[PATH_MAX + 8], *slash;
	dev_t first, d;

	if (!realpath(dir, cur))
		return pg_err_set(err, PG_EINPUT, "cannot open the git repository of '%s': %s", dir,
				  strerror(errno));
	if (!exists(cur, &first))
		return 1;
	for (;;) {
		snprintf(probe, sizeof(probe), "%s/.git", strcmp(cur, "/") ? cur : "");
		if (exists(probe, &d))
			break;
		slash = strrchr(cur, '/');
		if (is_gitdir(cur) && strcmp(slash + 1, ".git"))
			return 1; /* bare: no work tree to hold a config */
		if (slash == cur || !exists(cur, &d) || d != first)
			return 1;
		*slash = '\0';
		if (!exists(cur, &d) || d != first)
			return 1;
	}
	if (snprintf(out, n, "%s/", strcmp(cur, "/") ? cur : "") >= (int)n)
		return pg_err_set(err, PG_EINPUT, "repository path '%s' is too long", cur);
	return 0;
}

/* Tracked files changed in the index or the work tree. */
static int is_dirty(git_repository *repo, int *dirty, const char *dir, struct pg_err *err)
{
	git_status_options o;
	git_status_list *list = NULL;

	if (pg_libgit2.status_options_init(&o, GIT_STATUS_OPTIONS_VERSION) < 0)
		return pg_libgit2_fail(err, PG_EINPUT, "cannot read the status of '%s'", dir);

	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (pg_libgit2.status_list_new(&list, repo, &o) < 0)
		return pg_libgit2_fail(err, PG_EINPUT, "cannot read the status of '%s'", dir);
	*dirty = pg_libgit2.status_list_entrycount(list) > 0;
	pg_libgit2.status_list_free(list);
	return 0;
}

int pg_git_head(const char *dir, char *sha_out, int *dirty, struct pg_err *err)
{
	git_repository *repo = NULL;
	git_oid oid;
	int rc;

	sha_out[0] = '\0';
	*dirty = 0;
	rc = pg_libgit2_load(err);
	if (rc)
		return rc;
	pg_libgit2.libgit2_init();
	rc = open_repo(&repo, dir, err);
	if (rc) {
		rc = rc > 0 ? 0 : rc;
		goto out;
	}
	rc = pg_libgit2.reference_name_to_id(&oid, repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		rc = pg_libgit2_fail(err, PG_EINPUT, "cannot read HEAD of '%s'", dir);
		goto out;
	}
	pg_libgit2.oid_tostr(sha_out, PG_SHA_LEN + 1, &oid);
	rc = is_dirty(repo, dirty, dir, err);
out:
	pg_libgit2.repository_free(repo);
	pg_libgit2.libgit2_shutdown();
	return rc;
}
