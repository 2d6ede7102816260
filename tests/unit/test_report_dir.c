/* The report folder as a set: symlinks (to a FIFO, a file, a folder) are
 * refused without writing through them, an error run removes the files of
 * an earlier run, and a full or read-only file system (a real tmpfs) leaves
 * no report file and is an infrastructure error. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch.h"

#include "fs.h"
#include "report.h"
#include "sig.h"

struct fixture {
	char dir[64];
	char rep[96];
	struct pg_result cur;
	struct pg_verdict v;
	struct pg_report r;
};

#define sh pg_scratch_sh

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pg_err err = PG_ERR_INIT;
	struct pg_compare_opts o;

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/pg-repdir-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->rep, sizeof(f->rep), "%s/rep", f->dir);
	pg_result_init(&f->cur);
	f->cur.scenario = strdup("demo");
	assert_int_equal(
		pg_result_add_value(&f->cur, "cpu.seconds_per_req", "s", PG_BETTER_LOWER, 1, &err),
		0);
	pg_compare_opts_init(&o);
	assert_int_equal(pg_compare_results(&f->cur, &f->cur, &o, &f->v, &err), 0);
	f->r.baseline = &f->cur;
	f->r.current = &f->cur;
	f->r.verdict = &f->v;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	umount2(f->rep, MNT_DETACH);
	sh("rm -rf '%s'", f->dir);
	pg_verdict_release(&f->v);
	pg_result_release(&f->cur);
	free(f);
	return 0;
}

static int exists(const struct fixture *f, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->rep, name);
	return pg_fs_exists(path);
}

static void test_report_dir_refuses_symlinks(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct stat st;
	char path[256];

	/* summary.md -> a FIFO nobody reads (a device, on a real attack) */
	sh("mkdir -p %s && mkfifo %s/fifo && ln -s %s/fifo %s/summary.md", f->rep, f->dir, f->dir,
	   f->rep);
	alarm(10); /* a write through the link would block here */
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), PG_EINPUT);
	alarm(0);
	assert_non_null(strstr(err.msg, "is a symlink"));
	/* refused before the capture, by the same rule */
	assert_int_equal(pg_report_dir_check(f->rep, &err), PG_EINPUT);
	/* junit.xml -> a file outside: refused, the file untouched */
	sh("rm %s/summary.md && echo keep > %s/outside && ln -s %s/outside %s/junit.xml", f->rep,
	   f->dir, f->dir, f->rep);
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), PG_EINPUT);
	snprintf(path, sizeof(path), "%s/outside", f->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 5);
	/* the folder itself a symlink (perfgate-report -> /etc): refused */
	sh("rm -rf %s && mkdir %s/etc && ln -s %s/etc %s", f->rep, f->dir, f->dir, f->rep);
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "is a symlink; pass the directory"));
	sh("test -z \"$(ls -A %s/etc)\"", f->dir);
}

/* An error run after a full one: result.json records the error, and the
 * earlier run's summary.md, junit.xml and CPU profile do not stay beside
 * it (the profile would pass for this run's in `baseline record --from`). */
static void test_report_dir_error_replaces_set(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT, failure = PG_ERR_INIT;

	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), 0);
	assert_true(exists(f, "summary.md") && exists(f, "junit.xml"));
	sh("echo earlier > %s/result.pb.gz", f->rep);
	pg_err_set(&failure, PG_EINFRA, "the workload died");
	f->r.error = &failure;
	f->r.verdict = NULL;
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), 0);
	assert_true(exists(f, "result.json"));
	assert_false(exists(f, "summary.md"));
	assert_false(exists(f, "junit.xml"));
	assert_false(exists(f, "metrics.txt"));
	assert_false(exists(f, "result.pb.gz"));
	sh("grep -q 'the workload died' %s/result.json", f->rep);
}

/* A run killed (SIGKILL) while writing its reports left temp files; the
 * next run's check removes them, and leaves a live writer's alone. */
static void test_report_dir_sweeps_dead_temps(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	long dead = 4194000;

	while (kill((pid_t)dead, 0) == 0 || errno != ESRCH)
		dead--;
	sh("mkdir -p %s && touch %s/junit.xml.tmp.%ld.AbCdEf %s/summary.md.tmp.%ld.GhIjKl", f->rep,
	   f->rep, dead, f->rep, (long)getpid());
	assert_int_equal(pg_report_dir_check(f->rep, &err), 0);
	sh("test ! -e %s/junit.xml.tmp.%ld.AbCdEf", f->rep, dead);
	sh("test -e %s/summary.md.tmp.%ld.GhIjKl", f->rep, (long)getpid());
}

static int mount_tmpfs(struct fixture *f, const char *opts)
{
	sh("mkdir -p %s", f->rep);
	return mount("pg-test", f->rep, "tmpfs", 0, opts);
}

/* A full disk: the set is absent (old files too), and it is PG_EINFRA. */
static void test_report_dir_full_disk(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	if (mount_tmpfs(f, "size=64k"))
		skip(); /* needs root (CAP_SYS_ADMIN) for a tmpfs */
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), 0);
	assert_true(exists(f, "summary.md"));
	assert_int_equal(pg_report_dir_check(f->rep, &err), 0);
	/* fill it: the next set cannot be written */
	sh("dd if=/dev/zero of=%s/fill bs=1k count=64 2>/dev/null; true", f->rep);
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), PG_EINFRA);
	assert_false(exists(f, "summary.md"));
	assert_false(exists(f, "result.json"));
	sh("test -z \"$(ls -A %s | grep -v '^fill$')\"", f->rep);
}

static void test_report_dir_read_only(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	char cmd[256];

	snprintf(cmd, sizeof(cmd), "mount -o remount,ro %s", f->rep);
	if (mount_tmpfs(f, "size=64k") || system(cmd))
		skip(); /* needs root (CAP_SYS_ADMIN) for a tmpfs */
	assert_int_equal(pg_report_dir_check(f->rep, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "not writable"));
}

/* A folder that cannot be made where the user put it is theirs to fix. */
static void test_report_dir_not_a_path(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char path[128];

	sh("echo x >%s/file", f->dir);
	snprintf(path, sizeof(path), "%s/file/rep", f->dir);
	assert_int_equal(pg_report_dir_check(path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "Not a directory"));
}

/* The notes (changed baselines, a rejected profile) are in every report. */
static void test_report_dir_notes_everywhere(void **state)
{
	static const char *const notes[] = {
		"this merge request changes baselines: baselines/demo/x.json",
		"the CPU profile from pprof_url was rejected: too large",
	};
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	f->r.notes = notes;
	f->r.nnotes = 2;
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), 0);
	sh("grep -q 'changes baselines: baselines/demo/x.json' %s/result.json", f->rep);
	sh("grep -q 'changes baselines: baselines/demo/x.json' %s/junit.xml", f->rep);
	sh("grep -q 'changes baselines: baselines/demo/x.json' %s/summary.md", f->rep);
	sh("grep -q 'profile from pprof\\\\_url was rejected' %s/summary.md", f->rep);
	sh("grep -q 'pprof_url was rejected' %s/junit.xml", f->rep);
	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_text(m, &f->r, &err), 0);
	fclose(m);
	assert_non_null(strstr(text, "note: this merge request changes baselines"));
	assert_non_null(strstr(text, "note: the CPU profile from pprof_url was rejected"));
	free(text);
}

/* ^C while the reports render: no set, an interruption. The run that ends
 * so still records why in result.json, alone (last: the pending signal
 * cannot be cleared). */
static void test_report_dir_interrupted(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT, why = PG_ERR_INIT;

	pg_sig_install();
	raise(SIGINT);
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "interrupted by signal SIGINT"));
	assert_false(exists(f, "result.json"));

	pg_err_interrupted(&why);
	f->r.error = &why;
	f->r.verdict = NULL;
	assert_int_equal(pg_report_write_dir(&f->r, f->rep, &err), 0);
	sh("grep -q 'interrupted by signal SIGINT' %s/result.json", f->rep);
	assert_false(exists(f, "summary.md"));
	assert_false(exists(f, "junit.xml"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_dir_refuses_symlinks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_error_replaces_set, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_full_disk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_not_a_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_sweeps_dead_temps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_notes_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_dir_interrupted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
