#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "child.h"
#include "env.h"
#include "netns.h"

/* The namespace lives in the fixture so teardown removes it even when an
 * assertion fails mid-test. */
static int setup(void **state)
{
	static struct pg_netns ns;

	ns = (struct pg_netns)PG_NETNS_INIT;
	*state = &ns;
	return 0;
}

static int teardown(void **state)
{
	pg_netns_release(*state);
	return 0;
}

static void need_root(void)
{
	if (geteuid() != 0) {
		print_message("skipped: network namespaces need root\n");
		skip();
	}
}

/* Run a shell command inside ns; its exit status. */
static int run_in(struct pg_netns *ns, const char *cmd, char *out, size_t n)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	struct pg_child_spec s = { "test", argv, NULL, ns->fd, NULL, -1, NULL, 0 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_child c;
	char **env = NULL;
	int st;

	assert_int_equal(pg_env_build(&env, NULL, NULL, 0, &err), 0);
	s.envp = env;
	pg_child_init(&c);
	assert_int_equal(pg_child_start(&c, &s, &err), 0);
	assert_int_equal(pg_child_wait(&c, 20), 1);
	usleep(100 * 1000);
	pg_child_tail(&c, out, n);
	st = WEXITSTATUS(c.status);
	pg_child_release(&c);
	pg_env_free(env);
	return st;
}

/* A fresh namespace: listed under /run/netns, loopback up, other inode than
 * ours; release removes it. */
static void test_netns_lifecycle(void **state)
{
	struct pg_netns *ns = *state;
	struct pg_err err = PG_ERR_INIT;
	char path[PATH_MAX], out[512];
	struct stat st;

	need_root();
	assert_int_equal(pg_netns_create(ns, 0, &err), 0);
	assert_non_null(strstr(ns->path, PG_NETNS_DIR "/" PG_NETNS_PREFIX));
	assert_true(ns->fd >= 0);
	assert_true(ns->ino != 0 && ns->ino != pg_netns_self_ino());
	assert_int_equal(run_in(ns, "ip -o link show lo", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "UP"));
	assert_int_equal(run_in(ns, "nft list ruleset", out, sizeof(out)), 0);
	assert_null(strstr(out, "perfgate"));
	snprintf(path, sizeof(path), "%s", ns->path);
	pg_netns_release(ns);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(ns->fd, -1);
	pg_netns_release(ns);
}

static void test_netns_drop_rule(void **state)
{
	struct pg_netns *ns = *state;
	struct pg_err err = PG_ERR_INIT;
	char out[1024];

	need_root();
	assert_int_equal(pg_netns_create(ns, 5, &err), 0);
	assert_int_equal(run_in(ns, "nft list ruleset", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "numgen random mod 10000 < 500"));
	assert_non_null(strstr(out, "drop"));
	pg_netns_release(ns);
}

static void test_netns_of_self(void **state)
{
	struct pg_netns *ns = *state;
	struct pg_err err = PG_ERR_INIT;

	assert_int_equal(pg_netns_open_pid(ns, getpid(), &err), 0);
	assert_int_equal(ns->owned, 0);
	assert_true(ns->ino == pg_netns_self_ino());
	pg_netns_release(ns);
	/* no such process: the caller named it, as pg_cgroup_of_pid says too */
	assert_int_equal(pg_netns_open_pid(ns, 999999999, &err), PG_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_netns_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_drop_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_netns_of_self, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
