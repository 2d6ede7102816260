/* build.c through build.h: a real child in a real directory; a failure
 * carries the output's tail, a timeout says so, no build is no work. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build.h"

static void test_build_runs_in_dir(void **state)
{
	char dir[] = "/tmp/perfgate-test-build-XXXXXX", path[64];
	char *cmd[] = { "sh", "-c", "echo \"$WHO\" > built", NULL };
	struct pg_kv env[] = { { "WHO", "tree" } };
	struct pg_build_cfg b = { cmd, 3, env, 1, 10 };
	struct pg_err err = PG_ERR_INIT;
	char line[16] = "";
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(pg_build_run(&b, dir, "the current tree", 0, &err), 0);
	snprintf(path, sizeof(path), "%s/built", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_string_equal(line, "tree\n");
	unlink(path);
	rmdir(dir);
}

static void test_build_failure_has_tail(void **state)
{
	char *cmd[] = { "sh", "-c", "echo compiling; echo 'main.go:3: undefined: x' >&2; exit 2",
			NULL };
	struct pg_build_cfg b = { cmd, 3, NULL, 0, 10 };
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_build_run(&b, "/tmp", "reference 0123456789ab", 0, &err), PG_EINFRA);
	assert_non_null(
		strstr(err.msg, "the build of reference 0123456789ab exited with status 2"));
	assert_non_null(strstr(err.msg, "undefined: x"));
}

static void test_build_timeout(void **state)
{
	char *cmd[] = { "sleep", "30", NULL };
	struct pg_build_cfg b = { cmd, 2, NULL, 0, 0.3 };
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_build_run(&b, "/tmp", "the current tree", 0, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "did not finish within build.timeout_s"));
}

static void test_build_none(void **state)
{
	struct pg_build_cfg b = { 0 };
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_build_run(&b, "/nonexistent", "x", 0, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_runs_in_dir),
		cmocka_unit_test(test_build_failure_has_tail),
		cmocka_unit_test(test_build_timeout),
		cmocka_unit_test(test_build_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
