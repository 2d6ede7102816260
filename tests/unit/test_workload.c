#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "workload.h"

/* The workload lives in the fixture so teardown stops it even when an
 * assertion fails mid-test (cmocka longjmps out of the test body). */
static int setup(void **state)
{
	struct pg_workload *w = calloc(1, sizeof(*w));

	if (!w)
		return -1;
	pg_workload_init(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	pg_workload_stop(*state);
	free(*state);
	return 0;
}

static void need_root(void)
{
	if (geteuid() != 0) {
		print_message("skipped: cgroups and namespaces need root\n");
		skip();
	}
}

static const char *orders_api(void)
{
	static char path[PATH_MAX];
	const char *build = getenv("BUILD");

	snprintf(path, sizeof(path), "%s/orders-api", build && *build ? build : "build");
	if (access(path, X_OK) < 0) {
		print_message("skipped: '%s' is not built (make all)\n", path);
		skip();
	}
	return path;
}

static struct pg_workload_cfg cfg(char **cmd, int isolate)
{
	struct pg_workload_cfg c;

	memset(&c, 0, sizeof(c));
	c.cmd = cmd;
	c.ready_url = "http://127.0.0.1:8080/healthz";
	c.ready_timeout_s = 10;
	c.isolate_network = isolate;
	return c;
}

static int in_cgroup(pid_t pid, const char *cg_path)
{
	char file[64], line[512];
	const char *name = strrchr(cg_path, '/');
	FILE *f;
	int found = 0;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3) && strstr(line, name))
			found = 1;
	if (f)
		fclose(f);
	return found;
}

/* Bare (no root needed): no cgroup, no namespace, and the CPU time comes
 * from the process itself and grows while it works. */
static void test_workload_bare_cpu(void **state)
{
	char *cmd[] = { "/bin/sh", "-c",
			"i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; "
			"sleep 30",
			NULL };
	struct pg_workload_opts o = { .cpu = -1, .bare = 1, .grace_s = 0.2 };
	struct pg_workload_cfg c = cfg(cmd, 1);
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;
	uint64_t t0, t1;
	pid_t pid;

	assert_int_equal(pg_workload_start(w, &c, &o, &err), 0);
	pid = w->target.pid;
	assert_true(pid > 0);
	assert_int_equal(w->target.cg.path[0], '\0');
	assert_int_equal(w->target.ns.fd, -1);
	assert_int_equal(pg_workload_cpu_usec(w, &t0, &err), 0);
	usleep(300000);
	assert_int_equal(pg_workload_cpu_usec(w, &t1, &err), 0);
	assert_true(t1 > t0);
	pg_workload_stop(w);
	assert_true(kill(pid, 0) < 0);
	assert_int_not_equal(pg_workload_cpu_usec(w, &t1, &err), 0);
}

/* The demo service, in its own cgroup and namespace (so port 8080 is free
 * whatever the host runs); stop removes the process, cgroup and namespace. */
static void test_workload_lifecycle(void **state)
{
	char *cmd[] = { (char *)orders_api(), "-addr", "127.0.0.1:8080", NULL };
	struct pg_workload_opts o = { .cpu = -1 };
	struct pg_workload_cfg c = cfg(cmd, 1);
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;
	char cg[PATH_MAX], ns[PATH_MAX];
	struct stat st;
	pid_t pid;

	need_root();
	assert_int_equal(pg_workload_start(w, &c, &o, &err), 0);
	assert_int_equal(pg_workload_wait_ready(w, c.ready_url, 10, &err), 0);
	pid = w->target.pid;
	assert_true(pid > 0 && w->target.cg.id > 0 && w->target.ns.ino > 0);
	assert_int_equal(w->target.port, 8080);
	assert_true(in_cgroup(pid, w->target.cg.path));
	assert_int_equal(pg_workload_check(w, "now", &err), 0);
	snprintf(cg, sizeof(cg), "%s", w->target.cg.path);
	snprintf(ns, sizeof(ns), "%s", w->target.ns.path);
	pg_workload_stop(w);
	assert_int_equal(stat(cg, &st), -1);
	assert_int_equal(stat(ns, &st), -1);
	assert_true(kill(pid, 0) < 0);
	pg_workload_stop(w);
}

static void test_workload_exits_before_ready(void **state)
{
	char *cmd[] = { "sh", "-c", "echo starting; echo 'bad flag' >&2; exit 2", NULL };
	struct pg_workload_opts o = { .cpu = -1 };
	struct pg_workload_cfg c = cfg(cmd, 1);
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;

	need_root();
	assert_int_equal(pg_workload_start(w, &c, &o, &err), 0);
	assert_int_equal(pg_workload_wait_ready(w, c.ready_url, 10, &err), PG_EINFRA);
	assert_string_equal(err.msg, "workload exited with status 2 before it was ready; its "
				     "last output: 'starting bad flag'");
	pg_workload_stop(w);
}

static void test_workload_never_ready(void **state)
{
	char *cmd[] = { "sleep", "30", NULL };
	struct pg_workload_opts o = { .cpu = -1, .grace_s = 0.2 };
	struct pg_workload_cfg c = cfg(cmd, 1);
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;
	pid_t pid;

	need_root();
	assert_int_equal(pg_workload_start(w, &c, &o, &err), 0);
	pid = w->target.pid;
	assert_int_equal(pg_workload_wait_ready(w, c.ready_url, 0.5, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "workload not ready within 0.5 s"));
	pg_workload_stop(w);
	assert_true(kill(pid, 0) < 0);
}

/* Attaching borrows: the target is filled, nothing is stopped or removed. */
static void test_workload_attach_self(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;
	char path[PATH_MAX];
	struct stat st;

	assert_int_equal(pg_workload_attach(w, getpid(), "http://127.0.0.1:9999/x", &err), 0);
	assert_true(w->target.cg.id > 0);
	assert_int_equal(w->target.cg.owned, 0);
	assert_int_equal(w->target.ns.fd, -1); /* our own namespace: filter by port */
	assert_int_equal(w->target.port, 9999);
	assert_int_equal(w->child.pid, 0);
	snprintf(path, sizeof(path), "%s", w->target.cg.path);
	pg_workload_stop(w);
	assert_int_equal(stat(path, &st), 0);
}

/* workload.attach through pg_workload_start: the started workload's cgroup
 * as the attach target, with its namespace; stopping the attachment leaves
 * the target alone, and once the target empties the check says it is gone. */
static void test_workload_attach_cfg_gone(void **state)
{
	char *cmd[] = { "/bin/sleep", "60", NULL };
	struct pg_workload_cfg c = cfg(cmd, 1), ac = cfg(NULL, 0);
	struct pg_workload_opts o = { .cpu = -1, .grace_s = 0.2 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_workload *w = *state;
	struct pg_workload a;

	need_root();
	assert_int_equal(pg_workload_start(w, &c, &o, &err), 0);
	ac.attach.kind = PG_ATTACH_CGROUP;
	ac.attach.path = w->target.cg.path;
	pg_workload_init(&a);
	assert_int_equal(pg_workload_start(&a, &ac, &o, &err), 0);
	assert_string_equal(a.target.cg.path, w->target.cg.path);
	assert_int_equal(a.target.cg.level, 1);
	assert_int_equal(a.target.cg.owned, 0);
	assert_int_equal(a.target.ns.ino, w->target.ns.ino); /* the sleeper's namespace */
	assert_int_equal(a.target.pid, w->target.pid);
	assert_int_equal(a.child.pid, 0);
	assert_int_equal(pg_workload_check(&a, "during the load", &err), 0);
	pg_workload_stop(&a);
	assert_int_equal(kill(w->target.pid, 0), 0); /* untouched */
	assert_int_equal(pg_workload_start(&a, &ac, &o, &err), 0);
	pg_workload_stop(w);
	assert_int_equal(pg_workload_check(&a, "during the load", &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "the attached cgroup '"));
	assert_non_null(strstr(err.msg, "is gone during the load"));
	pg_workload_stop(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_workload_bare_cpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workload_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workload_exits_before_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workload_never_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workload_attach_self, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workload_attach_cfg_gone, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
