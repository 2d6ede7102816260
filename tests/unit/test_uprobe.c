/* The uprobe on real binaries: tests/helpers/vdso_caller calls a function
 * named runtime.vgetrandom N times from this test's cgroup, and the probe
 * counts exactly N, another cgroup's probe none; a Go 1.24 program's N
 * crypto/rand reads are N calls (tests/helpers/vdso_go, built when
 * scripts/install-deps.sh could fetch that Go); a binary without the
 * function is refused. Needs root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"
#include "goinfo.h"
#include "uprobe.h"

static char helper[4096], go_helper[4096];

static void run(const char *path, int n)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "'%s' %d", path, n);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	const char *build = getenv("BUILD");

	(void)state;
	build = build ? build : "build";
	snprintf(helper, sizeof(helper), "%s/tests/helpers/vdso_caller", build);
	snprintf(go_helper, sizeof(go_helper), "%s/tests/helpers/vdso_go", build);
	return 0;
}

static void test_uprobe_counts_calls_of_the_function(void **state)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	struct pg_uprobe *u = NULL, *v = NULL;
	uint64_t n = 0;

	(void)state;
	if (geteuid() || access(helper, X_OK)) {
		print_message("SKIP: needs root and %s\n", helper);
		skip();
	}
	assert_int_equal(pg_cgroup_of_pid(&cg, getpid(), &err), 0);
	if (pg_uprobe_new(&u, helper, PG_UPROBE_GO_VGETRANDOM, cg.id, 0, &err)) {
		print_message("SKIP: %s\n", err.msg);
		pg_cgroup_release(&cg);
		skip();
	}
	run(helper, 1234);
	assert_int_equal(pg_uprobe_read(u, &n, &err), 0);
	assert_int_equal(n, 1234);
	/* another cgroup's calls do not count */
	assert_int_equal(
		pg_uprobe_new(&v, helper, PG_UPROBE_GO_VGETRANDOM, cg.id + 1000000, 0, &err), 0);
	run(helper, 10);
	assert_int_equal(pg_uprobe_read(v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pg_uprobe_read(u, &n, &err), 0);
	assert_int_equal(n, 1244);
	pg_uprobe_free(v);
	pg_uprobe_free(u);
	pg_cgroup_release(&cg);
}

/* The real thing: the Go runtime's own runtime.vgetrandom, which it calls
 * once per crypto/rand read of 16 bytes, and whatever it calls at start-up
 * (counted by a run that reads nothing). */
static void test_uprobe_counts_a_go_1_24_binarys_vdso_calls(void **state)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	struct pg_uprobe *u = NULL;
	uint64_t start = 0, n = 0;
	char version[64];
	struct utsname un;

	(void)state;
	if (geteuid() || access(go_helper, X_OK)) {
		print_message("SKIP: needs root and %s, a Go >= 1.24 binary "
			      "(scripts/install-deps.sh fetches that Go into BUILD/go-vdso)\n",
			      go_helper);
		skip();
	}
	assert_int_equal(pg_goinfo_version(go_helper, version, sizeof(version), &err), 0);
	assert_int_equal(uname(&un), 0);
	if (!pg_goinfo_vdso_getrandom(version, un.release)) {
		print_message("SKIP: %s on Linux %s does not use the vDSO getrandom\n", version,
			      un.release);
		skip();
	}
	assert_int_equal(pg_cgroup_of_pid(&cg, getpid(), &err), 0);
	assert_int_equal(pg_uprobe_new(&u, go_helper, PG_UPROBE_GO_VGETRANDOM, cg.id, 0, &err), 0);
	run(go_helper, 0);
	assert_int_equal(pg_uprobe_read(u, &start, &err), 0);
	run(go_helper, 1000);
	assert_int_equal(pg_uprobe_read(u, &n, &err), 0);
	/* the same start-up again, and one call per read */
	assert_int_equal(n, 2 * start + 1000);
	pg_uprobe_free(u);
	pg_cgroup_release(&cg);
}

static void test_uprobe_refuses_a_binary_without_the_function(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_uprobe *u = NULL;

	(void)state;
	if (geteuid()) {
		print_message("SKIP: needs root\n");
		skip();
	}
	assert_int_equal(pg_uprobe_new(&u, "/bin/true", PG_UPROBE_GO_VGETRANDOM, 1, 0, &err),
			 PG_EINFRA);
	assert_null(u);
	assert_non_null(strstr(err.msg, "runtime.vgetrandom"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uprobe_counts_calls_of_the_function, setup),
		cmocka_unit_test_setup(test_uprobe_counts_a_go_1_24_binarys_vdso_calls, setup),
		cmocka_unit_test(test_uprobe_refuses_a_binary_without_the_function),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
