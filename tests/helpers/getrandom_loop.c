/* getrandom_loop: make exactly N getrandom() system calls (directly, not via
 * libc's wrapper, which may serve from a user-space pool), for the probe
 * tests and benchmarks.
 *
 * usage: getrandom_loop N [-b BYTES] [-c CGROUP_DIR] [-r] [-t]
 *   -b BYTES  bytes per call (default 16; 0 makes calls that return at once,
 *             which measures the overhead of the call itself)
 *   -c DIR    join this cgroup v2 before the first call and after libc's own
 *             start-up (glibc's malloc calls getrandom once to seed its
 *             tcache key), so the cgroup sees exactly N calls
 *   -r        run the calls at real-time priority (SCHED_FIFO 1, root only) so
 *             other tasks cannot preempt the timed loop: otherwise, on a
 *             busy machine, preemption between a call and its clock read
 *             inflates user-space tails the kernel never sees
 *   -t        time every call in user space and print, on stdout,
 *             "calls=N p50_ns=X p99_ns=Y null_p50_ns=Z elapsed_ns=E", where
 *             null_p50_ns is the median cost of a trivial system call
 *             (getppid), timed the same way: the entry/exit and clock
 *             overhead that user-space timing adds to the kernel's view.
 * Without -t it prints "calls=N elapsed_ns=E". Exit 0 on success. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NULL_CALLS 2000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, as the probe's quantiles are defined. */
static uint64_t quantile(uint64_t *v, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);

	qsort(v, n, sizeof(*v), cmp_u64);
	return v[rank ? rank - 1 : 0];
}

static uint64_t null_p50(void)
{
	static uint64_t d[NULL_CALLS];
	uint64_t t0;
	size_t i;

	for (i = 0; i < NULL_CALLS; i++) {
		t0 = now_ns();
		syscall(SYS_getppid);
		d[i] = now_ns() - t0;
	}
	return quantile(d, NULL_CALLS, 0.5);
}

static int join(const char *dir)
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = fprintf(f, "%d\n", (int)getpid()) < 0;
	return fclose(f) || rc ? -1 : 0;
}

static int realtime(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	return sched_setscheduler(0, SCHED_FIFO, &sp);
}

static int run(long n, size_t bytes, uint64_t *d)
{
	unsigned char buf[4096];
	uint64_t t0 = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (d)
			t0 = now_ns();
		if (syscall(SYS_getrandom, buf, bytes, 0) != (long)bytes) {
			fprintf(stderr, "getrandom_loop: getrandom: %s\n", strerror(errno));
			return -1;
		}
		if (d)
			d[i] = now_ns() - t0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t *d = NULL, start, elapsed, p50, p99;
	const char *cgroup = NULL;
	long n, bytes = 16;
	int opt, timed = 0, rt = 0;

	while ((opt = getopt(argc, argv, "b:c:rt")) != -1) {
		if (opt == 'b')
			bytes = atol(optarg);
		else if (opt == 'c')
			cgroup = optarg;
		else if (opt == 'r')
			rt = 1;
		else if (opt == 't')
			timed = 1;
		else
			return 2;
	}
	if (optind != argc - 1 || (n = atol(argv[optind])) <= 0 || bytes < 0 || bytes > 4096) {
		fprintf(stderr, "usage: getrandom_loop N [-b BYTES] [-c CGROUP_DIR] [-r] [-t]\n");
		return 2;
	}
	/* Allocate (and so start malloc, and its getrandom) before joining. */
	d = calloc(timed ? (size_t)n : 1, sizeof(*d));
	if (!d)
		return 1;
	if (!timed) {
		free(d);
		d = NULL;
	}
	if (cgroup && join(cgroup)) {
		fprintf(stderr, "getrandom_loop: cannot join '%s': %s\n", cgroup, strerror(errno));
		return 1;
	}
	if (rt && realtime()) {
		fprintf(stderr, "getrandom_loop: SCHED_FIFO: %s\n", strerror(errno));
		return 1;
	}
	start = now_ns();
	if (run(n, (size_t)bytes, d))
		return 1;
	elapsed = now_ns() - start;
	if (!timed) {
		printf("calls=%ld elapsed_ns=%llu\n", n, (unsigned long long)elapsed);
		return 0;
	}
	p50 = quantile(d, (size_t)n, 0.50);
	p99 = quantile(d, (size_t)n, 0.99);
	printf("calls=%ld p50_ns=%llu p99_ns=%llu null_p50_ns=%llu elapsed_ns=%llu\n", n,
	       (unsigned long long)p50, (unsigned long long)p99, (unsigned long long)null_p50(),
	       (unsigned long long)elapsed);
	free(d);
	return 0;
}
