/* The baseline store against real git repositories made with the git CLI
 * in a temporary directory: record, refusals, the first-parent walk, the
 * reference-commit order, shallow clones, prune. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "fs.h"
#include "scratch.h"

struct fixture {
	char *dir;
	char repo[128];
	struct pg_config cfg;
	struct pg_baseline_store *s;
};

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("command failed: %s", cmd);
}

static void rev(struct fixture *f, const char *r, char out[PG_SHA_LEN + 1])
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "git -C %s rev-parse %s", f->repo, r);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, PG_SHA_LEN + 1, p));
	pclose(p);
}

static void commit(struct fixture *f, const char *msg)
{
	sh("cd %s && echo %s >> file && git add file && git commit -qm %s", f->repo, msg, msg);
}

static void open_store(struct fixture *f, const char *repo)
{
	struct pg_err err = PG_ERR_INIT;

	pg_baseline_store_free(f->s);
	f->s = NULL;
	free(f->cfg.dir);
	f->cfg.dir = strdup(repo);
	if (pg_baseline_store_open(&f->s, &f->cfg, "demo", &err))
		fail_msg("open: %s", err.msg);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	setenv("GIT_AUTHOR_NAME", "t", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "t", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
	unsetenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	f->dir = pg_scratch_new("baseline");
	assert_non_null(f->dir);
	snprintf(f->repo, sizeof(f->repo), "%s/repo", f->dir);
	sh("git init -q -b main %s && cd %s && echo bin/ > .gitignore && git add .gitignore && "
	   "git commit -qm init",
	   f->repo, f->repo);
	pg_config_init(&f->cfg);
	f->cfg.baselines_dir = strdup("baselines");
	open_store(f, f->repo);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pg_baseline_store_free(f->s);
	pg_config_release(&f->cfg);
	assert_int_equal(pg_scratch_free(f->dir), 0);
	free(f);
	return 0;
}

/* Record a small result as the baseline of rev r. */
static int record(struct fixture *f, const char *r, int force, struct pg_err *err)
{
	struct pg_result res;
	char sha[PG_SHA_LEN + 1];
	int rc;

	rev(f, r, sha);
	pg_result_init(&res);
	res.scenario = strdup("demo");
	res.commit = strdup(sha);
	res.runs = 1;
	assert_int_equal(
		pg_result_add_value(&res, "cpu.seconds_per_req", "s", PG_BETTER_LOWER, 0.001, err),
		0);
	rc = pg_baseline_record(f->s, &res, "PROFILE", 7, force, err);
	pg_result_release(&res);
	return rc;
}

static void test_baseline_record_refuses_overwrite(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;
	char sha[PG_SHA_LEN + 1], path[512];

	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	rev(f, "HEAD", sha);
	assert_int_equal(pg_baseline_path(f->s, sha, ".json", path, sizeof(path), &err), 0);
	pg_result_init(&r);
	assert_int_equal(pg_result_load(&r, path, &err), 0);
	assert_string_equal(r.commit, sha);
	pg_result_release(&r);
	assert_int_equal(pg_baseline_path(f->s, sha, ".pb.gz", path, sizeof(path), &err), 0);
	assert_true(pg_fs_exists(path));
	assert_int_equal(record(f, "HEAD", 0, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "exists; use --force"));
	assert_int_equal(record(f, "HEAD", 1, &err), 0);
}

static void test_baseline_dirty_tracked_only(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char sha[PG_SHA_LEN + 1];
	int dirty = -1;

	commit(f, "A");
	assert_int_equal(pg_git_head(f->repo, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 0);
	sh("touch %s/untracked", f->repo);
	assert_int_equal(record(f, "HEAD", 0, &err), 0); /* an untracked baseline file, too */
	assert_int_equal(pg_git_head(f->repo, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 0);
	sh("echo change >> %s/file", f->repo);
	assert_int_equal(pg_git_head(f->repo, sha, &dirty, &err), 0);
	assert_int_equal(dirty, 1);
}

/* A (baseline) - B - C: a check from C uses A, 2 commits back. */
static void test_baseline_walk_nearest_ancestor(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	char a[PG_SHA_LEN + 1], c[PG_SHA_LEN + 1];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	sh("cd %s && git add baselines && git commit -qm B", f->repo);
	commit(f, "C");
	rev(f, "HEAD~2", a);
	rev(f, "HEAD", c);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, a);
	assert_string_equal(ref.reference, c);
	assert_int_equal(ref.distance, 2);
	/* --against the root commit, before any baseline: none found */
	assert_int_equal(pg_baseline_resolve(f->s, "HEAD~3", "main", &ref, &err), PG_ENOBASELINE);
	assert_non_null(strstr(err.msg, "no baseline for 'demo'"));
	assert_null(strstr(err.msg, "shallow"));
	assert_int_equal(pg_baseline_resolve(f->s, "no-such-rev", "main", &ref, &err), PG_EUSAGE);
}

/* main: A(bl) - B(bl) - C(bl); feature from B: D - E. A check on E
 * compares with B, the merge base, not C; with origin/main at A, with A;
 * with CI_MERGE_REQUEST_DIFF_BASE_SHA, with that commit. */
static void test_baseline_merge_base_order(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	char a[PG_SHA_LEN + 1], b[PG_SHA_LEN + 1], c[PG_SHA_LEN + 1];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "B");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "C");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	rev(f, "HEAD~2", a);
	rev(f, "HEAD~1", b);
	rev(f, "HEAD", c);
	sh("cd %s && git checkout -qb feature HEAD~1", f->repo);
	commit(f, "D");
	commit(f, "E");
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.reference, b);
	assert_string_equal(ref.commit, b);
	assert_int_equal(ref.distance, 0);
	assert_non_null(strstr(ref.how, "main"));
	/* no such base branch: HEAD, walking back to B */
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "nope", &ref, &err), 0);
	assert_string_equal(ref.commit, b);
	assert_int_equal(ref.distance, 2);
	sh("cd %s && git update-ref refs/remotes/origin/main %s", f->repo, a);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, a);
	assert_string_equal(ref.how, "merge base of HEAD and origin/main");
	setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", c, 1);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, c);
	/* --against wins over everything */
	assert_int_equal(pg_baseline_resolve(f->s, b, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, b);
	unsetenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
}

/* A shallow clone of depth 1 holds the baseline file of an older commit
 * but not the commit: the walk stops with exit 4 and the fetch hint. */
static void test_baseline_shallow_clone(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	char clone[192];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	sh("cd %s && git add baselines && git commit -qm B", f->repo);
	commit(f, "C");
	snprintf(clone, sizeof(clone), "%s/clone", f->dir);
	sh("git clone -q --depth 1 file://%s %s", f->repo, clone);
	open_store(f, clone);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), PG_ENOBASELINE);
	assert_non_null(strstr(err.msg, "history is shallow"));
	assert_non_null(strstr(err.msg, "git fetch --deepen"));
	/* a merge request base the clone does not have */
	setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", "0123456789012345678901234567890123456789", 1);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), PG_ENOBASELINE);
	assert_non_null(strstr(err.msg, "history is shallow"));
	unsetenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	/* deepened, the walk reaches A */
	sh("git -C %s fetch -q --deepen=5 2>/dev/null", clone);
	open_store(f, clone);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_int_equal(ref.distance, 2);
}

static void test_baseline_truncated_file(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	struct pg_result r;
	char path[512];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_int_equal(pg_baseline_path(f->s, ref.commit, ".json", path, sizeof(path), &err), 0);
	assert_int_equal(truncate(path, 40), 0);
	pg_result_init(&r);
	assert_int_equal(pg_result_load(&r, path, &err), PG_EINPUT);
	pg_result_release(&r);
}

/* Five baselines on history plus one off it (another branch); keeping 2
 * keeps the two nearest HEAD. */
static void test_baseline_list_and_prune(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_entry *e = NULL;
	char head[PG_SHA_LEN + 1], prev[PG_SHA_LEN + 1];
	const char *names[] = { "A", "B", "C", "D", "E" };
	size_t n, i;

	sh("cd %s && git checkout -qb side && echo s > side && git add side && "
	   "git commit -qm side && git checkout -q main",
	   f->repo);
	assert_int_equal(record(f, "side", 0, &err), 0);
	for (i = 0; i < 5; i++) {
		commit(f, names[i]);
		assert_int_equal(record(f, "HEAD", 0, &err), 0);
	}
	assert_int_equal(pg_baseline_list(f->s, &e, &n, &err), 0);
	assert_int_equal(n, 6);
	rev(f, "HEAD", head);
	assert_string_equal(e[0].sha, head);
	assert_int_equal(e[0].order, 0);
	assert_int_equal(e[4].order, 4);
	assert_int_equal(e[5].order, -1);
	pg_baseline_entries_free(e);
	assert_int_equal(pg_baseline_prune(f->s, 2, NULL, &err), 0);
	assert_int_equal(pg_baseline_list(f->s, &e, &n, &err), 0);
	assert_int_equal(n, 2);
	rev(f, "HEAD~1", prev);
	assert_string_equal(e[0].sha, head);
	assert_string_equal(e[1].sha, prev);
	pg_baseline_entries_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_baseline_record_refuses_overwrite, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_baseline_dirty_tracked_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_walk_nearest_ancestor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_baseline_merge_base_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_shallow_clone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_truncated_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_list_and_prune, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
