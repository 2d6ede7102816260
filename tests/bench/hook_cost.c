// SPDX-License-Identifier: MIT
/* hook_cost: what perfgate's getrandom probes add to one system call of a
 * task they watch, for scripts/bench-probes.sh.
 *
 * usage: hook_cost -c CGROUP_DIR [-e OBJECT] [-n CALLS] [-r ROUNDS] getrandom|getppid
 *
 * Joins the cgroup, then in each round times CALLS calls with the probes
 * attached to that cgroup (gate/probe.c, as a capture attaches them) and
 * CALLS calls with nothing attached, the order alternating between rounds.
 * With -e, the programs tp_enter and tp_exit of OBJECT (the bench's empty
 * ones on the getrandom tracepoints) stand in for the probes: what the
 * hook costs by itself.
 * The two halves of a round are milliseconds apart, so the speed of the
 * virtual CPU, which moves by tens of percent over seconds on a shared
 * host, is the same for both: the per-round difference is the probes'
 * cost, the median over rounds the figure. getrandom (16 bytes) is the
 * probed call; getppid stands for every other system call, which pays
 * the slow syscall path that any syscall tracepoint switches on.
 *
 * Prints "call=C calls=N rounds=R off_ns=X on_ns=Y delta_ns=D iqr_ns=Q
 * seen=S": medians per call, the interquartile range of the per-round
 * differences, and how many calls the probes counted in their last round
 * (CALLS for getrandom, 0 for getppid: the proof they were on). Runs at
 * real-time priority when it may, so nothing preempts a timed half. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/mount.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "../../gate/cgroup.h"
#include "../../gate/probe.h"

#define MAX_ROUNDS 1000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ns per call of n calls */
static double timed(int probed, long n)
{
	char buf[16];
	uint64_t t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (probed)
			syscall(SYS_getrandom, buf, sizeof(buf), 0);
		else
			syscall(SYS_getppid);
	}
	return (double)(now_ns() - t0) / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double at(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[(int)(q * (n - 1) + 0.5)];
}

/* One half with OBJECT's tp_enter and tp_exit attached (loaded once). */
static int half_empty(struct bpf_object *obj, int gr, long n, double *ns)
{
	static const char *const names[] = { "tp_enter", "tp_exit" };
	struct bpf_link *link[2] = { NULL, NULL };
	int i, rc = 0;

	for (i = 0; i < 2; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, names[i]);

		link[i] = prog ? bpf_program__attach(prog) : NULL;
		if (!link[i]) {
			fprintf(stderr, "hook_cost: cannot attach %s\n", names[i]);
			rc = -1;
			goto out;
		}
	}
	*ns = timed(gr, n);
out:
	for (i = 0; i < 2; i++)
		bpf_link__destroy(link[i]);
	return rc;
}

/* The empty programs' tracepoints need tracefs: mounted in a private mount
 * namespace, so nothing stays mounted. */
static struct bpf_object *empty_open(const char *path)
{
	struct bpf_object *obj;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) && errno != EBUSY)) {
		perror("hook_cost: private tracefs");
		return NULL;
	}
	obj = bpf_object__open_file(path, NULL);
	if (obj && !bpf_object__load(obj))
		return obj;
	fprintf(stderr, "hook_cost: cannot load %s\n", path);
	bpf_object__close(obj);
	return NULL;
}

/* One half with the probes on: attach, time, count, detach. */
static int half_on(const struct pg_probe_target *t, int gr, long n, double *ns, uint64_t *seen,
		   struct pg_err *err)
{
	struct pg_probe_snapshot s;
	struct pg_probe *p = NULL;
	int rc;

	rc = pg_probe_new(&p, t, err);
	if (rc < 0)
		goto out;
	*ns = timed(gr, n);
	rc = pg_probe_read(p, &s, err);
	if (rc < 0)
		goto out;
	*seen = s.getrandom_calls;
out:
	pg_probe_free(p);
	return rc;
}

int main(int argc, char **argv)
{
	static double off[MAX_ROUNDS], on[MAX_ROUNDS], delta[MAX_ROUNDS];
	struct pg_probe_target t = { 0 };
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct sched_param sp = { .sched_priority = 1 };
	const char *dir = NULL, *empty = NULL;
	struct bpf_object *obj = NULL;
	struct pg_err err = { 0 };
	long calls = 100000;
	int rounds = 20, gr, i, opt;
	uint64_t seen = 0;

	while ((opt = getopt(argc, argv, "c:e:n:r:")) != -1) {
		if (opt == 'c')
			dir = optarg;
		else if (opt == 'e')
			empty = optarg;
		else if (opt == 'n')
			calls = atol(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else
			goto usage;
	}
	if (!dir || optind != argc - 1 || calls < 1 || rounds < 1 || rounds > MAX_ROUNDS)
		goto usage;
	if (!strcmp(argv[optind], "getrandom"))
		gr = 1;
	else if (!strcmp(argv[optind], "getppid"))
		gr = 0;
	else
		goto usage;
	if (pg_cgroup_open(&cg, dir, &err) < 0 || pg_cgroup_add_pid(&cg, 0, &err) < 0) {
		fprintf(stderr, "hook_cost: %s\n", err.msg);
		return 1;
	}
	t.cgroup_id = cg.id;
	if (empty && !(obj = empty_open(empty)))
		return 1;
	sched_setscheduler(0, SCHED_FIFO, &sp); /* best effort */
	timed(gr, calls);			/* warm-up */
	for (i = 0; i < rounds; i++) {
		int first_on = i % 2;

		if (!first_on)
			off[i] = timed(gr, calls);
		if (obj ? half_empty(obj, gr, calls, &on[i]) < 0
			: half_on(&t, gr, calls, &on[i], &seen, &err) < 0) {
			if (!obj)
				fprintf(stderr, "hook_cost: %s\n", err.msg);
			return 1;
		}
		if (first_on)
			off[i] = timed(gr, calls);
		delta[i] = on[i] - off[i];
	}
	printf("call=%s calls=%ld rounds=%d off_ns=%.1f on_ns=%.1f delta_ns=%.1f iqr_ns=%.1f "
	       "seen=%llu\n",
	       argv[optind], calls, rounds, at(off, rounds, 0.5), at(on, rounds, 0.5),
	       at(delta, rounds, 0.5), at(delta, rounds, 0.75) - at(delta, rounds, 0.25),
	       (unsigned long long)seen);
	bpf_object__close(obj);
	return 0;
usage:
	fprintf(stderr, "usage: hook_cost -c CGROUP_DIR [-e OBJECT] [-n CALLS] [-r ROUNDS] "
			"getrandom|getppid\n");
	return 2;
}
