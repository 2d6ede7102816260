#define _GNU_SOURCE
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "cgroup.h"

static void test_cgroup_root_found(void **state)
{
	char root[PATH_MAX];
	struct pg_err err = PG_ERR_INIT;
	struct stat st;

	(void)state;
	assert_int_equal(pg_cgroup_root(root, sizeof(root), &err), 0);
	assert_int_equal(stat(root, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

static void test_cgroup_of_self(void **state)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_cgroup_of_pid(&cg, getpid(), &err), 0);
	assert_true(cg.id > 0);
	assert_int_equal(cg.owned, 0);
	pg_cgroup_release(&cg);
	assert_int_equal(pg_cgroup_of_pid(&cg, 999999999, &err), PG_EINPUT);
}

/* Create, move a child in, read its CPU time, release: the child is killed
 * and the directory is gone. */
static void test_cgroup_lifecycle(void **state)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	char path[PATH_MAX];
	uint64_t usec = 0;
	struct stat st;
	pid_t child;
	int status;

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: creating cgroups needs root\n");
		skip();
	}
	assert_int_equal(pg_cgroup_create(&cg, "unit", &err), 0);
	assert_non_null(strstr(cg.path, "/" PG_CGROUP_PREFIX "unit-"));
	assert_int_equal(stat(cg.path, &st), 0);
	assert_true(cg.id == st.st_ino);
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	assert_int_equal(pg_cgroup_add_pid(&cg, child, &err), 0);
	assert_int_equal(pg_cgroup_nprocs(&cg), 1);
	assert_int_equal(pg_cgroup_cpu_usec(&cg, &usec, &err), 0);
	snprintf(path, sizeof(path), "%s", cg.path);
	pg_cgroup_release(&cg);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_int_not_equal(stat(path, &st), 0);
	pg_cgroup_release(&cg);
}

/* Every thread of the cgroup goes to the CPU asked, and back. */
static void test_cgroup_pin(void **state)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	cpu_set_t set;
	pid_t child;
	int cpu;

	(void)state;
	if (geteuid() != 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("skipped: needs root (cgroups) and two CPUs\n");
		skip();
	}
	assert_int_equal(pg_cgroup_create(&cg, "unit", &err), 0);
	child = fork();
	if (child == 0)
		for (;;)
			pause();
	assert_int_equal(pg_cgroup_add_pid(&cg, child, &err), 0);
	for (cpu = 1; cpu >= 0; cpu--) {
		assert_int_equal(pg_cgroup_pin(&cg, cpu), 1);
		assert_int_equal(sched_getaffinity(child, sizeof(set), &set), 0);
		assert_int_equal(CPU_COUNT(&set), 1);
		assert_true(CPU_ISSET(cpu, &set));
	}
	assert_int_equal(pg_cgroup_pin(&cg, -1), -1);
	pg_cgroup_release(&cg);
	waitpid(child, NULL, 0);
	assert_int_equal(pg_cgroup_pin(&cg, 0), -1); /* gone */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_root_found),
		cmocka_unit_test(test_cgroup_of_self),
		cmocka_unit_test(test_cgroup_lifecycle),
		cmocka_unit_test(test_cgroup_pin),
	};

	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}
