/* The duet's CPU swapper (gate/paired_swap.c) on real cgroups: two sides,
 * each a process in a cgroup named with its owner's token, are on opposite
 * CPUs and trade them every second; stopping the swapper reaps it. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "cgroup.h"
#include "owner.h"
#include "paired_int.h"

static pid_t sleeper(void)
{
	pid_t p = fork();

	if (p == 0)
		for (;;)
			pause();
	assert_true(p > 0);
	return p;
}

/* The one CPU p may run on, or -1. */
static int cpu_of(pid_t p)
{
	cpu_set_t set;
	int i, cpu = -1;

	if (sched_getaffinity(p, sizeof(set), &set) || CPU_COUNT(&set) != 1)
		return -1;
	for (i = 0; i < CPU_SETSIZE && cpu < 0; i++)
		if (CPU_ISSET(i, &set))
			cpu = i;
	return cpu;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

static void test_swapper_alternates_the_sides(void **state)
{
	struct pg_cgroup mine = PG_CGROUP_INIT, other = PG_CGROUP_INIT;
	struct pg_err err = PG_ERR_INIT;
	pid_t a, b, side[2], swapper;
	int cpu[2] = { 0, 1 }, i, c[2], seen[2] = { 0, 0 }, same = 0;
	char root[PATH_MAX], path[PATH_MAX + 64];

	(void)state;
	if (geteuid() != 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		print_message("skipped: needs root (cgroups) and two CPUs\n");
		skip();
	}
	/* side 0: this process's cgroup; side 1: one named as a forked
	 * capture's would be, with its pid in the owner token */
	a = sleeper();
	b = sleeper();
	assert_int_equal(pg_cgroup_create(&mine, "unit", &err), 0);
	assert_int_equal(pg_cgroup_root(root, sizeof(root), &err), 0);
	snprintf(path, sizeof(path), "%s/" PG_CGROUP_PREFIX "unit-%d-0badf00d-0", root, (int)b);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(pg_cgroup_open(&other, path, &err), 0);
	assert_int_equal(pg_cgroup_add_pid(&mine, a, &err), 0);
	assert_int_equal(pg_cgroup_add_pid(&other, b, &err), 0);

	side[0] = getpid();
	side[1] = b;
	swapper = pg_paired_swapper_start(side, cpu);
	assert_true(swapper > 0);
	nap_ms(300);
	assert_int_equal(cpu_of(a), 0); /* the first second: as started */
	assert_int_equal(cpu_of(b), 1);
	for (i = 0; i < 30; i++) { /* 3 s */
		c[0] = cpu_of(a);
		c[1] = cpu_of(b);
		assert_true(c[0] >= 0 && c[0] <= 1 && c[1] >= 0 && c[1] <= 1);
		same += c[0] == c[1];
		seen[c[0]]++;
		nap_ms(100);
	}
	pg_paired_swapper_stop(swapper);
	assert_int_equal(kill(swapper, 0), -1);
	assert_int_equal(errno, ESRCH);
	print_message("  side 0 on CPU 0 in %d and on CPU 1 in %d of 30 looks\n", seen[0], seen[1]);
	assert_true(seen[0] >= 10 && seen[1] >= 10);
	assert_true(same <= 1); /* a look between the two pins, at most */

	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	pg_cgroup_release(&mine);
	pg_cgroup_release(&other);
	assert_int_equal(rmdir(path), 0);
	pg_paired_swapper_stop(-1); /* a no-op */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swapper_alternates_the_sides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
