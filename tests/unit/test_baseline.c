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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "baseline.h"
#include "buf.h"
#include "fs.h"
#include "scratch.h"

struct fixture {
	char *dir;
	char repo[128];
	struct pg_config cfg;
	struct pg_baseline_store *s;
};

#define sh pg_scratch_sh

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
	/* -A: a baseline recorded before is committed with it, as on a
	 * branch where each commit carries the baseline of its parent */
	sh("cd %s && echo %s >> file && git add -A && git commit -qm %s", f->repo, msg, msg);
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
	struct pg_buf prof = PG_BUF_INIT(1 << 20);
	struct pg_result r;
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
	/* its "profile" is no pprof: dropped, named, the metrics still load */
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, a, &r, &prof, &err), 0);
	assert_int_equal(prof.len, 0);
	assert_non_null(r.profile_error);
	assert_non_null(strstr(r.profile_error, "baseline's CPU profile"));
	assert_int_equal(r.nmetrics, 1);
	pg_result_release(&r);
	pg_buf_release(&prof);
	/* --against the root commit, before any baseline: none found */
	assert_int_equal(pg_baseline_resolve(f->s, "HEAD~3", "main", &ref, &err), PG_ENOBASELINE);
	assert_non_null(strstr(err.msg, "no baseline for 'demo'"));
	assert_non_null(strstr(err.msg, "commit it to the target branch"));
	assert_null(strstr(err.msg, "shallow"));
	assert_int_equal(pg_baseline_resolve(f->s, "no-such-rev", "main", &ref, &err), PG_EUSAGE);
	/* an unknown merge request base in a full clone: no shallow hint */
	setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", "0123456789012345678901234567890123456789", 1);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), PG_ENOBASELINE);
	unsetenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	assert_null(strstr(err.msg, "shallow;"));
	assert_non_null(strstr(err.msg, "git fetch origin"));
}

/* main: A - B - C - Z, each commit carrying the baseline of its parent
 * (B holds A's, C A's and B's, Z all three); feature from C: D - E. The
 * reference's own tree says which baselines exist: a check on E compares
 * with B (C's tree has no baseline of C), with origin/main at B with A,
 * with CI_MERGE_REQUEST_DIFF_BASE_SHA=Z with C. */
static void test_baseline_merge_base_order(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	char a[PG_SHA_LEN + 1], b[PG_SHA_LEN + 1], c[PG_SHA_LEN + 1], z[PG_SHA_LEN + 1];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "B");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "C");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "Z");
	rev(f, "HEAD~3", a);
	rev(f, "HEAD~2", b);
	rev(f, "HEAD~1", c);
	rev(f, "HEAD", z);
	sh("cd %s && git checkout -qb feature HEAD~1", f->repo);
	commit(f, "D");
	commit(f, "E");
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.reference, c);
	assert_string_equal(ref.commit, b);
	assert_int_equal(ref.distance, 1);
	assert_non_null(strstr(ref.how, "main"));
	/* no such base branch: HEAD, walking back to B */
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "nope", &ref, &err), 0);
	assert_string_equal(ref.commit, b);
	assert_int_equal(ref.distance, 3);
	sh("cd %s && git update-ref refs/remotes/origin/main %s", f->repo, b);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, a);
	assert_string_equal(ref.how, "merge base of HEAD and origin/main");
	setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", z, 1);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.commit, c);
	/* --against wins over everything */
	assert_int_equal(pg_baseline_resolve(f->s, c, "main", &ref, &err), 0);
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

/* A truncated baseline, committed, is an input error naming the blob;
 * jansson's "near '<token>'" never reaches the message. */
static void test_baseline_truncated_file(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	struct pg_result r;
	char path[512];

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	commit(f, "B");
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_int_equal(pg_baseline_path(f->s, ref.commit, ".json", path, sizeof(path), &err), 0);
	assert_int_equal(truncate(path, 40), 0);
	commit(f, "C");
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, ref.commit, &r, NULL, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "malformed JSON"));
	assert_non_null(strstr(err.msg, ":baselines/demo/"));
	assert_null(strstr(err.msg, "near"));
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

/* Write the baseline JSON of rev r with one metric of the given value and
 * name, as an author could by hand. */
static void write_baseline(struct fixture *f, const char *r, const char *metric, double v)
{
	char sha[PG_SHA_LEN + 1];

	rev(f, r, sha);
	sh("mkdir -p %s/baselines/demo && printf '{\"schema\": 1, \"scenario\": \"demo\", "
	   "\"commit\": \"%s\", \"runs\": 1, \"metrics\": {\"%s\": {\"unit\": \"s\", "
	   "\"better\": \"lower\", \"values\": [%g]}}}' > %s/baselines/demo/%s.json",
	   f->repo, sha, metric, v, f->repo, sha);
}

/* The attack of issue 10: main A - B (B carries A's baseline, 0.001 s);
 * a merge request from B commits a slow baseline for A and one for B, and
 * edits A's in the work tree too. The gate still finds A's baseline as B
 * committed it, and names the changed files. */
static void test_baseline_mr_cannot_rewrite_reference(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	struct pg_buf prof = PG_BUF_INIT(1 << 20);
	struct pg_result r;
	char a[PG_SHA_LEN + 1], b[PG_SHA_LEN + 1];
	char *line = NULL;

	commit(f, "A");
	assert_int_equal(record(f, "HEAD", 0, &err), 0);
	rev(f, "HEAD", a);
	/* a real CPU profile beside it */
	sh("cp tests/data/pprof/http-json.cpu.pb.gz %s/baselines/demo/%s.pb.gz", f->repo, a);
	commit(f, "B");
	rev(f, "HEAD", b);
	sh("cd %s && git checkout -qb mr", f->repo);
	sh("echo junk > %s/baselines/demo/%s.pb.gz", f->repo, a);
	write_baseline(f, "HEAD~1", "cpu.seconds_per_req", 9.0);
	write_baseline(f, "HEAD", "cpu.seconds_per_req", 9.0);
	commit(f, "slow");
	write_baseline(f, "HEAD~2", "cpu.seconds_per_req", 7.0);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_string_equal(ref.reference, b);
	assert_string_equal(ref.commit, a);
	assert_int_equal(ref.distance, 1);
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, ref.commit, &r, &prof, &err), 0);
	assert_int_equal(r.nmetrics, 1);
	assert_true(r.metrics[0].values[0] == 0.001);
	assert_int_equal(prof.len, 26452); /* the profile as committed, too */
	assert_null(r.profile_error);
	pg_result_release(&r);
	pg_buf_release(&prof);
	assert_int_equal(pg_baseline_changes(f->s, &line, &err), 0);
	assert_non_null(line);
	assert_non_null(strstr(line, "this merge request changes baselines: "));
	assert_non_null(strstr(line, a));
	assert_non_null(strstr(line, b));
	free(line);
	/* on main itself the merge request changes nothing */
	sh("cd %s && git checkout -q -f main", f->repo);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), 0);
	assert_int_equal(pg_baseline_changes(f->s, &line, &err), 0);
	assert_null(line);
}

/* A committed baseline must be what its path says, with metrics of sane
 * names and values. */
static void test_baseline_validation(void **state)
{
	static const struct {
		const char *metric;
		double value;
		const char *want;
	} cases[] = {
		{ "cpu.seconds_per_req", -1.0, "negative" },
		{ "cpu.seconds_per_req", 1e-310, "subnormal" },
		{ "cpu\\u001b]0;x", 1.0, "bad metric name" },
	};
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	struct pg_result r;
	char a[PG_SHA_LEN + 1];
	size_t i;

	commit(f, "A");
	rev(f, "HEAD", a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_baseline(f, a, cases[i].metric, cases[i].value);
		commit(f, "B");
		assert_int_equal(pg_baseline_resolve(f->s, "HEAD", "main", &ref, &err), 0);
		pg_result_init(&r);
		assert_int_equal(pg_baseline_load(f->s, a, &r, NULL, &err), PG_EINPUT);
		pg_result_release(&r);
		if (!strstr(err.msg, cases[i].want))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].want);
		assert_null(strchr(err.msg, 0x1b));
	}
	/* empty metrics; another commit's file under this name; another scenario */
	sh("cd %s/baselines/demo && printf '{\"schema\": 1, \"scenario\": \"demo\", "
	   "\"commit\": \"%s\", \"metrics\": {}}' > %s.json",
	   f->repo, a, a);
	commit(f, "C");
	assert_int_equal(pg_baseline_resolve(f->s, "HEAD", "main", &ref, &err), 0);
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, a, &r, NULL, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "no metrics"));
	pg_result_release(&r);
	sh("cd %s/baselines/demo && sed -i 's/%s/%040d/; s/{}/{\"x\": "
	   "{\"unit\": \"s\", \"better\": \"lower\", \"values\": [1]}}/' %s.json",
	   f->repo, a, 0, a);
	commit(f, "D");
	assert_int_equal(pg_baseline_resolve(f->s, "HEAD", "main", &ref, &err), 0);
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, a, &r, NULL, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "commit is not"));
	pg_result_release(&r);
}

/* Browsing reads the files at hand: a baseline symlinked to a file outside
 * the directory is refused without reading it, a FIFO without hanging. */
static void test_baseline_disk_refuses_links_and_fifos(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	struct pg_result r;
	char a[PG_SHA_LEN + 1];

	commit(f, "A");
	rev(f, "HEAD", a);
	sh("mkdir -p %s/baselines/demo && echo 'root:secret' > %s/secret && "
	   "ln -s %s/secret %s/baselines/demo/%s.json",
	   f->repo, f->dir, f->dir, f->repo, a);
	assert_int_equal(pg_baseline_nearest(f->s, "HEAD", &ref, &err), 0);
	pg_result_init(&r);
	assert_int_equal(pg_baseline_load(f->s, a, &r, NULL, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "resolves outside"));
	assert_null(strstr(err.msg, "root"));
	sh("rm %s/baselines/demo/%s.json && mkfifo %s/baselines/demo/%s.json", f->repo, a, f->repo,
	   a);
	alarm(10); /* a hang fails the test instead of stalling make test */
	assert_int_equal(pg_baseline_load(f->s, a, &r, NULL, &err), PG_EINPUT);
	alarm(0);
	assert_non_null(strstr(err.msg, "not a regular file"));
	pg_result_release(&r);
}

/* Record the baseline of HEAD with value i and a profile of i's bytes,
 * in a child process with its own store; the child's exit status is the
 * record's. */
static pid_t record_child(struct fixture *f, const char *sha, int i)
{
	static char prof[1 << 18];
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_store *s = NULL;
	struct pg_result res;
	pid_t pid = fork();
	int rc;

	if (pid)
		return pid;
	memset(prof, 'a' + i, sizeof(prof));
	pg_result_init(&res);
	res.scenario = strdup("demo");
	res.commit = strdup(sha);
	rc = pg_baseline_store_open(&s, &f->cfg, "demo", &err) ||
	     pg_result_add_value(&res, "v", "s", PG_BETTER_LOWER, i, &err) ||
	     pg_baseline_record(s, &res, prof, sizeof(prof), 1, &err);
	_exit(rc ? 1 : 0);
}

/* Concurrent records: the JSON and the .pb.gz always come from one
 * capture (before the lock, 10 of 40 tries paired them across writers). */
static void test_baseline_concurrent_record_pairs(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_buf prof = PG_BUF_INIT(1 << 20);
	char sha[PG_SHA_LEN + 1], path[512];
	struct pg_result r;
	pid_t pids[6];
	int round, i, st;

	commit(f, "A");
	rev(f, "HEAD", sha);
	for (round = 0; round < 15; round++) {
		for (i = 0; i < 6; i++)
			pids[i] = record_child(f, sha, i);
		for (i = 0; i < 6; i++) {
			assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		assert_int_equal(pg_baseline_path(f->s, sha, ".json", path, sizeof(path), &err), 0);
		pg_result_init(&r);
		assert_int_equal(pg_result_load(&r, path, &err), 0);
		assert_int_equal(pg_baseline_path(f->s, sha, ".pb.gz", path, sizeof(path), &err),
				 0);
		prof.len = 0;
		assert_int_equal(pg_buf_read_file(&prof, path, &err), 0);
		if (prof.data[0] != 'a' + (int)r.metrics[0].values[0])
			fail_msg("round %d: JSON of writer %g with the profile of writer %d", round,
				 r.metrics[0].values[0], prof.data[0] - 'a');
		pg_result_release(&r);
	}
	pg_buf_release(&prof);
}

/* Errors say what to do: an empty repository, a directory outside any. */
static void test_baseline_errors_say_what_to_do(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_baseline_ref ref;
	char dir[192];

	snprintf(dir, sizeof(dir), "%s/empty", f->dir);
	sh("git init -q %s", dir);
	open_store(f, dir);
	assert_int_equal(pg_baseline_resolve(f->s, NULL, "main", &ref, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "no commits yet; commit first"));
	snprintf(dir, sizeof(dir), "%s/plain", f->dir);
	sh("mkdir %s", dir);
	setenv("GIT_CEILING_DIRECTORIES", f->dir, 1);
	free(f->cfg.dir);
	f->cfg.dir = strdup(dir);
	pg_baseline_store_free(f->s);
	f->s = NULL;
	assert_int_equal(pg_baseline_store_open(&f->s, &f->cfg, "demo", &err), PG_EINPUT);
	unsetenv("GIT_CEILING_DIRECTORIES");
	assert_non_null(strstr(err.msg, "run perfgate in a git work tree"));
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
		cmocka_unit_test_setup_teardown(test_baseline_mr_cannot_rewrite_reference, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_baseline_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_baseline_errors_say_what_to_do, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_baseline_concurrent_record_pairs, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_baseline_disk_refuses_links_and_fifos, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
