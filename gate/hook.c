// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>

#include "buf.h"
#include "dynlib.h"
#include "fs.h"
#include "hook.h"

#define HOOK_MARK "perfgate-pre-push-hook"

static const char script[] =
#include "pre_push.h"
	;

const char *pg_hook_script(void)
{
	return script;
}

/* core.hooksPath (relative to the work tree, as git takes it) or .git/hooks,
 * into out; -1 on failure. */
static int hooks_dir(git_repository *repo, char *out, size_t n)
{
	const char *wd = pg_libgit2.repository_workdir(repo);
	git_config *cfg = NULL;
	git_buf hp = { 0 }, item = { 0 };
	int len = -1;

	if (!pg_libgit2.repository_config_snapshot(&cfg, repo) &&
	    !pg_libgit2.config_get_string_buf(&hp, cfg, "core.hooksPath") && hp.size)
		len = snprintf(out, n, "%s%s", hp.ptr[0] == '/' || !wd ? "" : wd, hp.ptr);
	else if (!pg_libgit2.repository_item_path(&item, repo, GIT_REPOSITORY_ITEM_HOOKS))
		len = snprintf(out, n, "%s", item.ptr);
	pg_libgit2.buf_dispose(&item);
	pg_libgit2.buf_dispose(&hp);
	pg_libgit2.config_free(cfg);
	return len < 0 || len >= (int)n ? -1 : 0;
}

/* 1 when the file at path was written by perfgate (or is absent). */
static int ours(const char *path, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	int mine;

	if (!pg_fs_exists(path))
		return 1;
	if (pg_buf_read_file(&b, path, err))
		return -1;
	mine = b.data && strstr(b.data, HOOK_MARK) != NULL;
	pg_buf_release(&b);
	return mine;
}

int pg_hook_install(const char *dir, char *out, size_t n, int *replaced, struct pg_err *err)
{
	git_repository *repo = NULL;
	char hooks[4096];
	size_t hl;
	int rc = 0, mine;

	if ((rc = pg_libgit2_load(err)))
		return rc;
	pg_libgit2.libgit2_init();
	rc = pg_libgit2.repository_open_ext(&repo, dir, 0, NULL);
	if (pg_libgit2_owner_refused(rc)) {
		rc = pg_libgit2_owner_error(dir, err);
		goto out;
	}
	if (rc < 0 || hooks_dir(repo, hooks, sizeof(hooks))) {
		rc = pg_err_set(err, PG_EUSAGE, "'%s' is not in a git repository", dir);
		goto out;
	}
	hl = strlen(hooks);
	if (snprintf(out, n, "%s%spre-push", hooks, hl && hooks[hl - 1] == '/' ? "" : "/") >=
	    (int)n) {
		rc = pg_err_set(err, PG_EUSAGE, "hooks path too long: '%s'", hooks);
		goto out;
	}
	mine = ours(out, err);
	if (mine <= 0) {
		rc = mine < 0
			     ? PG_EINPUT
			     : pg_err_set(err, PG_EINPUT,
					  "'%s' is a pre-push hook perfgate did not write; move it "
					  "aside, install again, then call it from perfgate's",
					  out);
		goto out;
	}
	*replaced = pg_fs_exists(out);
	if (!(rc = pg_fs_mkdirs(hooks, err)) &&
	    !(rc = pg_fs_write_atomic(out, script, strlen(script), 0, err)) && chmod(out, 0755))
		rc = pg_err_set(err, PG_EINPUT, "cannot make '%s' executable", out);
out:
	pg_libgit2.repository_free(repo);
	pg_libgit2.libgit2_shutdown();
	return rc;
}
