#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "baseline.h"

/* libgit2 wants git_libgit2_init before any call; it counts, so pairing it
 * with shutdown per use is safe. */
int pg_repo_default_config(char *out, size_t len, struct pg_err *err)
{
	git_buf root = { 0 };
	git_repository *repo = NULL;
	const char *dir = ".";
	int rc = 0;

	git_libgit2_init();
	if (!git_repository_discover(&root, ".", 0, NULL) &&
	    !git_repository_open(&repo, root.ptr) && !git_repository_is_bare(repo))
		dir = git_repository_workdir(repo);
	if (snprintf(out, len, "%s%sperfgate.json", dir, dir[strlen(dir) - 1] == '/' ? "" : "/") >=
	    (int)len)
		rc = pg_err_set(err, PG_EUSAGE, "repository path too long: '%s'", dir);
	git_repository_free(repo);
	git_buf_dispose(&root);
	git_libgit2_shutdown();
	return rc;
}
