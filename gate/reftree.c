// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dynlib.h"
#include "fs.h"
#include "owner.h"
#include "reftree.h"

#define CONFIG_MAX_BYTES (1 << 20)

void pg_reftree_init(struct pg_reftree *t)
{
	memset(t, 0, sizeof(*t));
}

static int make_dir(struct pg_reftree *t, struct pg_err *err)
{
	if (pg_owner_mkdtemp("ref", t->dir, sizeof(t->dir)))
		return pg_err_set(err, PG_EINFRA, "cannot create a directory for the reference: %s",
				  strerror(errno));
	return 0;
}

/* The config's place inside the tree: its path relative to the work tree
 * of the repository, appended to the temporary directory. */
static int place_config(struct pg_reftree *t, git_repository *repo, const struct pg_config *cur,
			struct pg_err *err)
{
	const char *wd = pg_libgit2.repository_workdir(repo), *base;
	size_t n = wd ? strlen(wd) : 0;
	const char *rel = cur->dir;

	if (!wd || strncmp(cur->dir, wd, n - 1) || (cur->dir[n - 1] && cur->dir[n - 1] != '/'))
		return pg_err_set(err, PG_EINPUT,
				  "the config '%s' is not inside the work tree of its repository; "
				  "paired mode needs it there",
				  cur->path ? cur->path : cur->dir);
	rel += n - 1;
	while (*rel == '/')
		rel++;
	base = cur->path ? strrchr(cur->path, '/') : NULL;
	base = base ? base + 1 : cur->path ? cur->path : "perfgate.json";
	if (snprintf(t->config, sizeof(t->config), "%s/%s%s%s", t->dir, rel, *rel ? "/" : "",
		     base) >= (int)sizeof(t->config))
		return pg_err_set(err, PG_EINPUT, "path too long under '%s'", t->dir);
	return 0;
}

static int checkout(struct pg_reftree *t, git_repository *repo, const char *sha, struct pg_err *err)
{
	git_checkout_options o;
	git_object *commit = NULL;
	int rc = 0;

	pg_libgit2.checkout_options_init(&o, GIT_CHECKOUT_OPTIONS_VERSION);
	if (pg_libgit2.revparse_single(&commit, repo, sha) < 0 ||
	    pg_libgit2.object_type(commit) != GIT_OBJECT_COMMIT) {
		rc = pg_libgit2_fail(err, PG_EINPUT, "cannot find the reference commit %.12s", sha);
		goto out;
	}
	/* FORCE: the directory is empty; DONT_UPDATE_INDEX: the user's
	 * index must not learn about this checkout */
	o.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	o.target_directory = t->dir;
	if (pg_libgit2.checkout_tree(repo, commit, &o) < 0)
		rc = pg_libgit2_fail(err, PG_EINFRA, "cannot write the tree of %.12s", sha);
out:
	pg_libgit2.object_free(commit);
	return rc;
}

int pg_reftree_checkout(struct pg_reftree *t, const struct pg_config *cur, const char *sha,
			struct pg_err *err)
{
	git_repository *repo = NULL;
	int rc;

	rc = pg_libgit2_load(err);
	if (rc)
		return rc;
	pg_libgit2.libgit2_init();
	snprintf(t->sha, sizeof(t->sha), "%s", sha);
	if (pg_libgit2.repository_open_ext(&repo, cur->dir, 0, NULL) < 0) {
		rc = pg_libgit2_fail(err, PG_EINPUT,
				     "cannot open the repository to check out %.12s", sha);
		goto out;
	}
	rc = make_dir(t, err);
	if (rc)
		goto out;
	rc = place_config(t, repo, cur, err);
	if (rc)
		goto out;
	rc = checkout(t, repo, sha, err);
out:
	if (rc)
		pg_reftree_remove(t);
	pg_libgit2.repository_free(repo);
	pg_libgit2.libgit2_shutdown();
	return rc;
}

/* The current config's text, parsed with the tree's directory. */
static int reparse(const struct pg_reftree *t, const struct pg_config *cur, struct pg_config *out,
		   struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(CONFIG_MAX_BYTES);
	char dir[PATH_MAX], *slash;
	int rc;

	snprintf(dir, sizeof(dir), "%s", t->config);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	rc = pg_buf_read_file(&b, cur->path ? cur->path : "perfgate.json", err);
	if (!rc)
		rc = pg_config_parse(out, b.data, b.len, dir, err);
	pg_buf_release(&b);
	return rc;
}

int pg_reftree_config(const struct pg_reftree *t, const struct pg_config *cur, const char *name,
		      struct pg_config *out, const struct pg_scenario **sc, int *own,
		      struct pg_err *err)
{
	struct pg_err ignored = PG_ERR_INIT;
	int rc;

	/* without a build of its own, the reference is built the current way */
	*own = pg_fs_exists(t->config) && !pg_config_load(out, t->config, &ignored) &&
	       !pg_config_scenario(out, name, sc, &ignored) && (*sc)->build.cmd;
	if (*own)
		return 0;
	rc = reparse(t, cur, out, err);
	return rc ? rc : pg_config_scenario(out, name, sc, err);
}

void pg_reftree_remove(struct pg_reftree *t)
{
	if (!t || !t->dir[0])
		return;
	pg_fs_remove_tree(t->dir);
	t->dir[0] = '\0';
}
