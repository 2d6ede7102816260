// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "gitinfo.h"

static int git_fail(struct pg_err *err, const char *what, const char *dir)
{
	const git_error *e = git_error_last();

	return pg_err_set(err, PG_EINPUT, "cannot %s of '%s': %s", what, dir,
			  e && e->message ? e->message : "unknown libgit2 error");
}

/* Open the repository around dir: 1 if there is none. */
static int open_repo(git_repository **out, const char *dir, struct pg_err *err)
{
	int rc = git_repository_open_ext(out, dir, 0, NULL);

	if (rc == GIT_ENOTFOUND)
		return 1;
	return rc < 0 ? git_fail(err, "open the git repository", dir) : 0;
}

int pg_git_root(const char *dir, char *out, size_t n, struct pg_err *err)
{
	git_repository *repo = NULL;
	const char *wd;
	int rc;

	git_libgit2_init();
	rc = open_repo(&repo, dir, err);
	if (rc)
		goto out;
	wd = git_repository_workdir(repo);
	if (!wd) {
		rc = 1; /* bare: no work tree to hold a config */
		goto out;
	}
	if (snprintf(out, n, "%s", wd) >= (int)n)
		rc = pg_err_set(err, PG_EINPUT, "repository path '%s' is too long", wd);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

/* Tracked files changed in the index or the work tree. */
static int is_dirty(git_repository *repo, int *dirty, const char *dir, struct pg_err *err)
{
	git_status_options o;
	git_status_list *list = NULL;

	if (git_status_options_init(&o, GIT_STATUS_OPTIONS_VERSION) < 0)
		return git_fail(err, "read the status", dir);

	o.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	o.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &o) < 0)
		return git_fail(err, "read the status", dir);
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

int pg_git_head(const char *dir, char *sha_out, int *dirty, struct pg_err *err)
{
	git_repository *repo = NULL;
	git_oid oid;
	int rc;

	sha_out[0] = '\0';
	*dirty = 0;
	git_libgit2_init();
	rc = open_repo(&repo, dir, err);
	if (rc) {
		rc = rc > 0 ? 0 : rc;
		goto out;
	}
	rc = git_reference_name_to_id(&oid, repo, "HEAD");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) {
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		rc = git_fail(err, "read HEAD", dir);
		goto out;
	}
	git_oid_tostr(sha_out, PG_SHA_LEN + 1, &oid);
	rc = is_dirty(repo, dirty, dir, err);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
