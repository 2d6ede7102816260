// SPDX-License-Identifier: MIT
/* The duet's CPU swapper. The two CPUs of a duet are not the same place:
 * with neighbours busy, one of them costs a side some 20 % more CPU per
 * request than the other, and which one changes within seconds. Swapping
 * the sides only between a round's two duets left that in the pairs (A/A
 * with two busy loops on the cores: ±11 to ±16 % at min_rounds); swapping
 * them every second took it out (±2 to ±3 %). So a helper process puts
 * each side's cgroups on one CPU and then the other, every second, for the
 * whole duet. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "clock.h"
#include "owner.h"
#include "paired_int.h"
#include "sig.h"

#define SWAP_PERIOD_S 1.0
/* Threads started meanwhile (a load script, a runtime's new thread) are
 * put on their side's CPU within this. */
#define SWAP_POLL_NS (100 * 1000 * 1000)

/* The pid in the owner token of a cgroup's name, or -1. */
static pid_t owner_pid(const char *name)
{
	char t[64];

	return pg_owner_token_of(name, t, sizeof(t)) ? -1 : (pid_t)atol(t);
}

static void place(const char *root, const pid_t pid[2], const int cpu[2], int swapped)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct dirent *e;
	pid_t owner;
	DIR *d;
	int i;

	d = opendir(root);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, PG_CGROUP_PREFIX, strlen(PG_CGROUP_PREFIX)))
			continue;
		owner = owner_pid(e->d_name);
		for (i = 0; i < 2; i++)
			if (owner == pid[i] && snprintf(cg.path, sizeof(cg.path), "%s/%s", root,
							e->d_name) < (int)sizeof(cg.path))
				pg_cgroup_pin(&cg, cpu[swapped ? !i : i]);
	}
	closedir(d);
}

static void swapper_main(pid_t parent, const pid_t pid[2], const int cpu[2])
{
	struct timespec poll = { 0, SWAP_POLL_NS };
	char root[PATH_MAX];
	double t0 = pg_now();

	/* it makes nothing, so it may die any time: with perfgate at worst */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent || pg_cgroup_root(root, sizeof(root), NULL))
		_exit(0);
	while (!pg_sig_pending()) {
		place(root, pid, cpu, (long)((pg_now() - t0) / SWAP_PERIOD_S) % 2);
		nanosleep(&poll, NULL);
	}
	_exit(0);
}

pid_t pg_paired_swapper_start(const pid_t pid[2], const int cpu[2])
{
	pid_t parent = getpid(), s;

	fflush(NULL);
	s = fork();
	if (s == 0)
		swapper_main(parent, pid, cpu);
	return s;
}

void pg_paired_swapper_stop(pid_t swapper)
{
	if (swapper <= 0)
		return;
	kill(swapper, SIGKILL);
	while (waitpid(swapper, NULL, 0) < 0 && errno == EINTR)
		;
}
