/* Leftovers of a SIGKILLed run, made for real (root): a child process makes
 * a cgroup with a running process in it, a network namespace and the load,
 * reference and duet temp directories (the reference one a tree), then
 * kills itself with SIGKILL. pg_owner_sweep removes
 * all of it, kills the process, says so in one line, and keeps a live
 * owner's objects. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"
#include "netns.h"
#include "owner.h"

struct made {
	char cg[PATH_MAX];
	char ns[PATH_MAX];
	char tmp[3][PATH_MAX];
	pid_t sleeper;
};

static int execed(pid_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strcmp(comm, "sleep\n");
}

/* A checkout's shape: a nested directory, files, a symlink out of it
 * (which the sweep must remove, not follow). */
static int make_tree(const char *dir)
{
	char cmd[4 * PATH_MAX + 200];

	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s/a/b' && echo x >'%s/a/b/f' && echo y >'%s/g' && "
		 "ln -s /etc/hostname '%s/a/link'",
		 dir, dir, dir, dir);
	return system(cmd);
}

/* In the child: make the objects, report their names, die by SIGKILL. */
static void child(int wfd)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_netns ns = PG_NETNS_INIT;
	struct pg_err err = PG_ERR_INIT;
	struct made m;

	memset(&m, 0, sizeof(m));
	pg_owner_forked(); /* a run of its own, as a separate perfgate would be */
	if (pg_cgroup_create(&cg, "workload", &err) || pg_netns_create(&ns, 0, &err))
		_exit(1);
	m.sleeper = fork();
	if (!m.sleeper) {
		pg_cgroup_add_pid(&cg, 0, NULL);
		execlp("sleep", "sleep", "4471", (char *)NULL);
		_exit(127);
	}
	snprintf(m.cg, sizeof(m.cg), "%s", cg.path);
	snprintf(m.ns, sizeof(m.ns), "%s", ns.path);
	if (pg_owner_mkdtemp("load", m.tmp[0], sizeof(m.tmp[0])) ||
	    pg_owner_mkdtemp("ref", m.tmp[1], sizeof(m.tmp[1])) ||
	    pg_owner_mkdtemp("duet", m.tmp[2], sizeof(m.tmp[2])) || make_tree(m.tmp[1]))
		_exit(1);
	/* until it has exec'd: before, it shares (and holds) the owner lock */
	while (!execed(m.sleeper))
		usleep(1000);
	if (write(wfd, &m, sizeof(m)) != sizeof(m))
		_exit(1);
	raise(SIGKILL);
}

static void test_owner_sweeps_dead_runs(void **state)
{
	struct pg_cgroup live = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	struct made m;
	char *log = NULL;
	size_t len = 0;
	int fds[2], st, live_kept, i;
	pid_t pid;
	FILE *f;

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: cgroups and namespaces need root\n");
		skip();
	}
	/* earlier runs' leftovers first, so that the counts below are ours */
	pg_owner_sweep(NULL);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fds[0]);
		child(fds[1]);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &m, sizeof(m)), sizeof(m));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	assert_int_equal(access(m.cg, F_OK), 0);
	assert_int_equal(access(m.ns, F_OK), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(access(m.tmp[i], F_OK), 0);
	assert_int_equal(kill(m.sleeper, 0), 0);
	/* a live owner's cgroup (this process's) stays */
	assert_int_equal(pg_cgroup_create(&live, "workload", &err), 0);
	f = open_memstream(&log, &len);
	assert_non_null(f);
	pg_owner_sweep(f);
	fclose(f);
	live_kept = access(live.path, F_OK) == 0;
	pg_cgroup_release(&live);
	assert_true(live_kept);
	assert_int_not_equal(access(m.cg, F_OK), 0);
	assert_int_not_equal(access(m.ns, F_OK), 0);
	for (i = 0; i < 3; i++)
		assert_int_not_equal(access(m.tmp[i], F_OK), 0);
	assert_int_equal(access("/etc/hostname", F_OK), 0);
	assert_non_null(strstr(log, "removed leftovers of killed runs: 1 cgroup, 1 network "
				    "namespace, 3 temp directories"));
	/* the sleeper was in the swept cgroup: killed ([s]: not pgrep's shell) */
	assert_int_not_equal(system("pgrep -f '[s]leep 4471' >/dev/null"), 0);
	free(log);
}

/* Names carry a random part beside the pid, and only perfgate's own shape
 * yields a token. */
static void test_owner_token_shape(void **state)
{
	char t[64];

	(void)state;
	assert_non_null(strchr(pg_owner_token(), '-'));
	assert_int_equal(pg_owner_token_of("perfgate-workload-12-0a1b2c3d-0", t, sizeof(t)), 0);
	assert_string_equal(t, "12-0a1b2c3d");
	assert_int_equal(pg_owner_token_of("perfgate-12-0a1b2c3d-7", t, sizeof(t)), 0);
	assert_string_equal(t, "12-0a1b2c3d");
	assert_int_equal(pg_owner_token_of("perfgate-load-9-deadbeef-Xy12Ab", t, sizeof(t)), 0);
	assert_string_equal(t, "9-deadbeef");
	assert_int_equal(pg_owner_token_of("perfgate-workload-12-0", t, sizeof(t)), -1);
	assert_int_equal(pg_owner_token_of("perfgate-12-0A1B2C3D-0", t, sizeof(t)), -1);
	assert_int_equal(pg_owner_token_of("other", t, sizeof(t)), -1);
	assert_int_equal(pg_owner_alive(pg_owner_token()), 1);
	/* no lock file: alive while its pid runs (pid 1 does; one above any
	 * pid_max does not) */
	assert_int_equal(pg_owner_alive("1-00000000"), 1);
	assert_int_equal(pg_owner_alive("999999999-00000000"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_sweeps_dead_runs),
		cmocka_unit_test(test_owner_token_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
