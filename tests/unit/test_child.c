#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "child.h"
#include "clock.h"
#include "env.h"

static char **env_with(const char *k, const char *v)
{
	const char *keys[] = { k }, *vals[] = { v };
	struct pg_err err = PG_ERR_INIT;
	char **env = NULL;

	assert_int_equal(pg_env_build(&env, keys, vals, 1, &err), 0);
	return env;
}

/* The child sees the extra variable, its output is captured, its status
 * is reported. */
static void test_child_output_and_status(void **state)
{
	char *argv[] = { "sh", "-c", "echo hello $PG_X; echo line2 >&2; exit 3", NULL };
	char **env = env_with("PG_X", "world");
	struct pg_child_spec s = { "test", argv, env, -1, NULL, -1, NULL, 0 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_child c;
	char buf[128];

	(void)state;
	pg_child_init(&c);
	assert_int_equal(pg_child_start(&c, &s, &err), 0);
	assert_int_equal(pg_child_wait(&c, 10), 1);
	pg_child_describe(&c, buf, sizeof(buf));
	assert_string_equal(buf, "exited with status 3");
	usleep(200 * 1000); /* the reader drains the pipe */
	pg_child_tail(&c, buf, sizeof(buf));
	assert_string_equal(buf, "hello world line2");
	pg_child_tail(&c, buf, 6);
	assert_string_equal(buf, "line2");
	pg_child_release(&c);
	pg_env_free(env);
}

static void test_child_missing_program(void **state)
{
	char *argv[] = { "/nonexistent/prog", NULL };
	char **env = env_with("A", "b");
	struct pg_child_spec s = { "workload", argv, env, -1, NULL, -1, NULL, 0 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_child c;

	(void)state;
	pg_child_init(&c);
	assert_int_equal(pg_child_start(&c, &s, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "cannot run workload '/nonexistent/prog'"));
	argv[0] = "no-such-program-anywhere";
	assert_int_equal(pg_child_start(&c, &s, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "not found in PATH"));
	pg_child_release(&c);
	pg_env_free(env);
}

/* Gone or a zombie waiting for whoever reaps orphans here. */
static int alive(int pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[2] != 'Z';
}

/* A child ignoring SIGTERM is killed after the grace period, and its own
 * children (same process group) with it. */
static void test_child_stop_kills_group(void **state)
{
	char *argv[] = { "sh", "-c", "trap '' TERM; sleep 30 & echo $!; wait", NULL };
	char **env = env_with("A", "b");
	struct pg_child_spec s = { "test", argv, env, -1, NULL, -1, NULL, 0 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_child c;
	char buf[64];
	double t0;
	int grandchild;

	(void)state;
	pg_child_init(&c);
	assert_int_equal(pg_child_start(&c, &s, &err), 0);
	usleep(300 * 1000);
	pg_child_tail(&c, buf, sizeof(buf));
	grandchild = atoi(buf);
	assert_true(grandchild > 0);
	t0 = pg_now();
	pg_child_stop(&c, 0.3);
	assert_true(pg_now() - t0 < 2);
	assert_true(c.reaped);
	usleep(100 * 1000);
	assert_false(alive(grandchild));
	pg_child_release(&c);
	pg_env_free(env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_output_and_status),
		cmocka_unit_test(test_child_missing_program),
		cmocka_unit_test(test_child_stop_kills_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
