#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gitinfo.h"

struct repo {
	char dir[PATH_MAX];
};

static int sh(const char *dir, const char *cmd)
{
	char buf[PATH_MAX + 512];

	snprintf(buf, sizeof(buf), "cd '%s' && { %s; } >/dev/null 2>&1", dir, cmd);
	return system(buf);
}

static int setup(void **state)
{
	struct repo *r = calloc(1, sizeof(*r));

	snprintf(r->dir, sizeof(r->dir), "/tmp/perfgate-gitinfo-XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	*state = r;
	return sh(r->dir, "git init -q && echo a > f && git add f && "
			  "git -c user.name=t -c user.email=t@t commit -qm one");
}

static int teardown(void **state)
{
	struct repo *r = *state;

	if (r && r->dir[0]) {
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", r->dir);
		sh("/tmp", cmd);
	}
	free(r);
	return 0;
}

static void head_sha(const char *dir, char *out)
{
	char cmd[PATH_MAX + 64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, PG_GIT_SHA_LEN + 2, p));
	out[PG_GIT_SHA_LEN] = '\0';
	pclose(p);
}

/* HEAD's sha; dirty only for changed tracked files, as git describe --dirty. */
static void test_gitinfo_head_and_dirty(void **state)
{
	struct repo *r = *state;
	char sha[PG_GIT_SHA_LEN + 1], want[PG_GIT_SHA_LEN + 2], sub[PATH_MAX + 8];
	struct pg_err err = PG_ERR_INIT;
	int dirty = -1;

	head_sha(r->dir, want);
	assert_int_equal(pg_git_head(r->dir, sha, &dirty, &err), 0);
	assert_string_equal(sha, want);
	assert_int_equal(dirty, 0);
	assert_int_equal(sh(r->dir, "echo u > untracked && mkdir -p sub"), 0);
	snprintf(sub, sizeof(sub), "%s/sub", r->dir);
	assert_int_equal(pg_git_head(sub, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 0);
	assert_int_equal(sh(r->dir, "echo b >> f"), 0);
	assert_int_equal(pg_git_head(r->dir, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 1);
	assert_int_equal(sh(r->dir, "git checkout -q f && git rm -q --cached f"), 0);
	assert_int_equal(pg_git_head(r->dir, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 1);
}

static void test_gitinfo_root(void **state)
{
	struct repo *r = *state;
	char root[PATH_MAX], want[PATH_MAX + 1], sub[PATH_MAX + 16];
	struct pg_err err = PG_ERR_INIT;

	assert_int_equal(sh(r->dir, "mkdir -p a/b"), 0);
	snprintf(sub, sizeof(sub), "%s/a/b", r->dir);
	snprintf(want, sizeof(want), "%s/", r->dir);
	assert_int_equal(pg_git_root(sub, root, sizeof(root), &err), 0);
	assert_string_equal(root, want);
	/* Inside .git, the root is still the work tree around it. */
	snprintf(sub, sizeof(sub), "%s/.git/refs", r->dir);
	assert_int_equal(pg_git_root(sub, root, sizeof(root), &err), 0);
	assert_string_equal(root, want);
}

/* A linked worktree's .git is a file; a bare repository has no work tree. */
static void test_gitinfo_root_worktree_and_bare(void **state)
{
	struct repo *r = *state;
	char root[PATH_MAX], want[PATH_MAX + 8], sub[PATH_MAX + 16];
	struct pg_err err = PG_ERR_INIT;

	assert_int_equal(sh(r->dir, "git worktree add -q wt && mkdir wt/x && "
				    "git clone -q --bare . bare.git"),
			 0);
	snprintf(sub, sizeof(sub), "%s/wt/x", r->dir);
	snprintf(want, sizeof(want), "%s/wt/", r->dir);
	assert_int_equal(pg_git_root(sub, root, sizeof(root), &err), 0);
	assert_string_equal(root, want);
	snprintf(sub, sizeof(sub), "%s/bare.git", r->dir);
	assert_int_equal(pg_git_root(sub, root, sizeof(root), &err), 1);
	snprintf(sub, sizeof(sub), "%s/no-such-dir", r->dir);
	assert_int_equal(pg_git_root(sub, root, sizeof(root), &err), PG_EINPUT);
}

static void test_gitinfo_outside_repo(void **state)
{
	char dir[] = "/tmp/perfgate-norepo-XXXXXX", root[PATH_MAX];
	char sha[PG_GIT_SHA_LEN + 1] = "x";
	struct pg_err err = PG_ERR_INIT;
	int dirty = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(pg_git_head(dir, sha, &dirty, &err), 0);
	assert_string_equal(sha, "");
	assert_int_equal(dirty, 0);
	assert_int_equal(pg_git_root(dir, root, sizeof(root), &err), 1);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gitinfo_head_and_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitinfo_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitinfo_root_worktree_and_bare, setup,
						teardown),
		cmocka_unit_test(test_gitinfo_outside_repo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
