/* The skeleton lifecycle of perfgate's two BPF objects (bpf/getrandom.bpf.c,
 * bpf/tcp_retransmit.bpf.c): open, load, set the target in their global
 * data, attach, read the per-CPU statistics, retarget, destroy. Every link is owned by its
 * skeleton, so destroying the skeletons detaches everything this module attached. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "probe.h"
#include "../bpf/probes.h"
#include "getrandom.skel.h"
#include "tcp_retransmit.skel.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"
#define TRACEFS "/sys/kernel/tracing"

_Static_assert(PG_PROBE_MAX_PORTS == PG_PROBE_NPORTS, "probe.h and probes.h disagree on ports");

struct pg_probe {
	struct getrandom_bpf *gr;
	struct tcp_retransmit_bpf *tr;
};

/* libbpf prints warnings on stderr by itself; perfgate prints one line per
 * failure, so keep libbpf's last message for that line and show libbpf's
 * whole output only with PERFGATE_DEBUG=1. */
static char libbpf_last[160];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	static int debug = -1;
	size_t n;

	if (debug < 0) {
		const char *d = getenv("PERFGATE_DEBUG");

		debug = d && *d && strcmp(d, "0");
	}
	if (debug)
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, ap);
	n = strlen(libbpf_last);
	while (n && (libbpf_last[n - 1] == '\n' || libbpf_last[n - 1] == ' '))
		libbpf_last[--n] = '\0';
	return 0;
}

/* One line for a failed step: the cause the kernel gave and what to do. */
static int fail(struct pg_err *err, const char *what, int e)
{
	/* EACCES from a load as root is the verifier's refusal, not a
	 * missing privilege. */
	if (e == EPERM || (e == EACCES && geteuid() != 0))
		return pg_err_set(err, PG_EINFRA,
				  "%s: permission denied; run perfgate as root or grant it "
				  "CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE",
				  what);
	return pg_err_set(err, PG_EINFRA, "%s: %s%s%s%s; rerun with PERFGATE_DEBUG=1 for details",
			  what, strerror(e), libbpf_last[0] ? " (libbpf: " : "", libbpf_last,
			  libbpf_last[0] ? ")" : "");
}

static int missing_tp(struct pg_err *err, const char *cat, const char *name)
{
	return pg_err_set(err, PG_EINFRA,
			  "tracepoint '%s:%s' is missing from this kernel; use a kernel built "
			  "with CONFIG_FTRACE_SYSCALLS and CONFIG_TRACEPOINTS",
			  cat, name);
}

/* Read the first line of a file in a private mount of tracefs, from a child
 * in its own mount namespace: hosts (and containers) that do not mount
 * tracefs still let root mount it, and the private mount disappears with the
 * child, so nothing is left mounted. Only syscalls run in the child. */
static int read_private_tracefs(const char *rel, char *out, size_t n)
{
	char path[256];
	pid_t pid;
	int pfd[2], status, fd;
	ssize_t len;

	if (snprintf(path, sizeof(path), TRACEFS "/%s", rel) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -EAGAIN;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tracefs", TRACEFS, "tracefs", 0, NULL))
			_exit(2);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(errno == ENOENT ? 3 : 2);
		len = read(fd, out, n - 1);
		_exit(len > 0 && write(pfd[1], out, len) == len ? 0 : 2);
	}
	close(pfd[1]);
	len = read(pfd[0], out, n - 1);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 2 || len <= 0)
		return -EPERM;
	if (WEXITSTATUS(status) == 3)
		return -ENOENT;
	out[len] = '\0';
	return 0;
}

/* Attach a tracepoint program the way libbpf does, through a perf event,
 * but with the event id read from a private tracefs mount. */
static int attach_tp_private(struct bpf_program *prog, const char *cat, const char *name,
			     struct bpf_link **out, struct pg_err *err)
{
	struct perf_event_attr attr;
	char rel[128], idbuf[32];
	int rc, pfd;

	snprintf(rel, sizeof(rel), "events/%s/%s/id", cat, name);
	rc = read_private_tracefs(rel, idbuf, sizeof(idbuf));
	if (rc == -ENOENT)
		return missing_tp(err, cat, name);
	if (rc)
		return pg_err_set(
			err, PG_EINFRA,
			"tracefs is not mounted and cannot be mounted privately; mount it "
			"with 'mount -t tracefs nodev " TRACEFS "'");
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = strtoull(idbuf, NULL, 10);
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	pfd = syscall(__NR_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return fail(err, "cannot open the perf event of a tracepoint", errno);
	*out = bpf_program__attach_perf_event(prog, pfd);
	if (!*out) {
		rc = errno;
		close(pfd);
		return fail(err, "cannot attach a tracepoint program", rc);
	}
	return 0;
}

static int attach_tp(struct bpf_program *prog, const char *cat, const char *name,
		     struct bpf_link **out, struct pg_err *err)
{
	*out = bpf_program__attach_tracepoint(prog, cat, name);
	if (*out)
		return 0;
	if (errno != ENOENT)
		return fail(err, "cannot attach a tracepoint program", errno);
	/* ENOENT: the tracepoint is missing, or tracefs is not mounted. */
	return attach_tp_private(prog, cat, name, out, err);
}

static int start_getrandom(struct pg_probe *p, const struct pg_probe_target *t, struct pg_err *err)
{
	struct getrandom_bpf *s;
	int rc;

	s = p->gr = getrandom_bpf__open();
	if (!s)
		return fail(err, "cannot open the getrandom BPF object", errno);
	rc = getrandom_bpf__load(s);
	if (rc)
		return fail(err, "cannot load the getrandom BPF programs", -rc);
	s->bss->filter_cgroup_level = t->cgroup_level > 0 ? (__u32)t->cgroup_level : 0;
	s->bss->filter_cgroup_id = t->cgroup_id;
	rc = attach_tp(s->progs.sys_enter_getrandom, "syscalls", "sys_enter_getrandom",
		       &s->links.sys_enter_getrandom, err);
	if (rc)
		return rc;
	return attach_tp(s->progs.sys_exit_getrandom, "syscalls", "sys_exit_getrandom",
			 &s->links.sys_exit_getrandom, err);
}

/* Whether tcp_retransmit_skb has the err argument (Linux 6.14+): the BTF of
 * its btf_trace_ typedef is a pointer to a prototype (void *ctx, sk, skb[,
 * err]). Without BTF for it the tp_btf program cannot attach at all. */
static int tcp_tp_has_err(int *out, struct pg_err *err)
{
	const struct btf_type *t;
	struct btf *btf;
	int id, rc = 0;

	btf = btf__load_vmlinux_btf();
	if (!btf)
		return fail(err, "cannot read the kernel's BTF", errno);
	id = btf__find_by_name_kind(btf, "btf_trace_tcp_retransmit_skb", BTF_KIND_TYPEDEF);
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	t = t ? btf__type_by_id(btf, t->type) : NULL;
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	if (!t || !btf_is_func_proto(t))
		rc = missing_tp(err, "tcp", "tcp_retransmit_skb");
	else
		*out = btf_vlen(t) >= 4;
	btf__free(btf);
	return rc;
}

/* The filter is three globals the program reads on every event: the port
 * count last, so that a concurrent event never sees more ports than set. */
static void set_tcp_filter(struct tcp_retransmit_bpf *s, const struct pg_probe_target *t)
{
	size_t i;

	s->bss->filter_nports = 0;
	s->bss->filter_netns_ino = (__u32)t->netns_ino;
	for (i = 0; i < PG_PROBE_NPORTS; i++)
		s->bss->filter_ports[i] = i < t->nports ? t->ports[i] : 0;
	__atomic_store_n(&s->bss->filter_nports, (__u32)t->nports, __ATOMIC_RELEASE);
}

static int start_tcp(struct pg_probe *p, const struct pg_probe_target *t, struct pg_err *err)
{
	struct tcp_retransmit_bpf *s;
	int rc, has_err = 0;

	rc = tcp_tp_has_err(&has_err, err);
	if (rc)
		return rc;
	s = p->tr = tcp_retransmit_bpf__open();
	if (!s)
		return fail(err, "cannot open the TCP retransmit BPF object", errno);
	s->rodata->tp_has_err = has_err;
	rc = tcp_retransmit_bpf__load(s);
	if (rc)
		return fail(err, "cannot load the TCP retransmit BPF program", -rc);
	set_tcp_filter(s, t);
	s->links.tcp_retransmit_skb = bpf_program__attach(s->progs.tcp_retransmit_skb);
	if (!s->links.tcp_retransmit_skb)
		return errno == ENOENT
			       ? missing_tp(err, "tcp", "tcp_retransmit_skb")
			       : fail(err, "cannot attach the TCP retransmit program", errno);
	return 0;
}

static int check_target(const struct pg_probe_target *t, struct pg_err *err)
{
	if (t->nports > PG_PROBE_MAX_PORTS)
		return pg_err_set(err, PG_EUSAGE, "at most %d ports can be probed, not %zu",
				  PG_PROBE_MAX_PORTS, t->nports);
	if (t->netns_ino > UINT32_MAX)
		return pg_err_set(err, PG_EUSAGE, "network namespace inode '%llu' is out of range",
				  (unsigned long long)t->netns_ino);
	if (access(BTF_PATH, R_OK) < 0)
		return pg_err_set(err, PG_EINFRA,
				  "the kernel has no BTF ('" BTF_PATH "' is missing); use a kernel "
				  "built with CONFIG_DEBUG_INFO_BTF=y");
	return 0;
}

int pg_probe_new(struct pg_probe **out, const struct pg_probe_target *t, struct pg_err *err)
{
	struct pg_probe *p = NULL;
	int rc;

	*out = NULL;
	rc = check_target(t, err);
	if (rc)
		goto out;
	libbpf_set_print(libbpf_print);
	libbpf_last[0] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p) {
		rc = pg_err_nomem(err);
		goto out;
	}
	if (t->cgroup_id) {
		rc = start_getrandom(p, t, err);
		if (rc)
			goto out;
	}
	if (t->netns_ino || t->nports) {
		rc = start_tcp(p, t, err);
		if (rc)
			goto out;
	}
	*out = p;
	p = NULL;
out:
	pg_probe_free(p);
	return rc;
}

static int read_percpu(struct bpf_map *map, void *vals, size_t size, int ncpu, struct pg_err *err)
{
	__u32 zero = 0;

	if (bpf_map__lookup_elem(map, &zero, sizeof(zero), vals, size * (size_t)ncpu, 0))
		return fail(err, "cannot read a probe map", errno);
	return 0;
}

static void sum_getrandom(struct pg_probe_snapshot *out, const struct pg_getrandom_stats *v,
			  int ncpu)
{
	unsigned int b;
	int c;

	for (c = 0; c < ncpu; c++) {
		out->getrandom_start_lost += v[c].start_lost;
		if (v[c].lat_max_ns > out->getrandom_lat_max_ns)
			out->getrandom_lat_max_ns = v[c].lat_max_ns;
		/* The program counts a call only in its bucket: one add less. */
		for (b = 0; b < PG_HIST_NBUCKETS; b++) {
			out->getrandom_hist[b] += v[c].hist[b];
			out->getrandom_calls += v[c].hist[b];
		}
	}
}

int pg_probe_read(struct pg_probe *p, struct pg_probe_snapshot *out, struct pg_err *err)
{
	struct pg_getrandom_stats *gv = NULL;
	struct pg_tcp_stats *tv = NULL;
	int ncpu, rc = 0, c;

	memset(out, 0, sizeof(*out));
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return fail(err, "cannot count the possible CPUs", -ncpu);
	gv = calloc((size_t)ncpu, sizeof(*gv));
	tv = calloc((size_t)ncpu, sizeof(*tv));
	if (!gv || !tv) {
		rc = pg_err_nomem(err);
		goto out;
	}
	if (p->gr) {
		rc = read_percpu(p->gr->maps.getrandom_stats, gv, sizeof(*gv), ncpu, err);
		if (rc)
			goto out;
		sum_getrandom(out, gv, ncpu);
	}
	if (p->tr) {
		rc = read_percpu(p->tr->maps.tcp_stats, tv, sizeof(*tv), ncpu, err);
		if (rc)
			goto out;
		for (c = 0; c < ncpu; c++) {
			out->tcp_retransmits += tv[c].retransmits;
			out->tcp_retransmit_failed += tv[c].failed;
		}
	}
out:
	free(gv);
	free(tv);
	return rc;
}

/* Zero a per-CPU statistics map: every CPU's copy of its one entry. */
static int zero_percpu(struct bpf_map *map, size_t size, struct pg_err *err)
{
	__u32 zero = 0;
	void *v;
	int ncpu, rc = 0;

	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return fail(err, "cannot count the possible CPUs", -ncpu);
	v = calloc((size_t)ncpu, size);
	if (!v)
		return pg_err_nomem(err);
	if (bpf_map__update_elem(map, &zero, sizeof(zero), v, size * (size_t)ncpu, BPF_ANY))
		rc = fail(err, "cannot reset a probe map", errno);
	free(v);
	return rc;
}

/* The statistics are zeroed while the old filter still holds (its cgroup
 * and namespace are gone by then, so nothing is counted meanwhile), then
 * the new filter is set: the totals start from zero, as after pg_probe_new,
 * and the maximum latency is the new target's alone. */
int pg_probe_retarget(struct pg_probe *p, const struct pg_probe_target *t, struct pg_err *err)
{
	int rc;

	rc = check_target(t, err);
	if (rc)
		return rc;
	if (!t->cgroup_id != !p->gr || !(t->netns_ino || t->nports) != !p->tr)
		return pg_err_set(err, PG_EINFRA,
				  "the probes cannot change what they probe; "
				  "make a new probe set for another kind of target");
	if (p->gr) {
		rc = zero_percpu(p->gr->maps.getrandom_stats, sizeof(struct pg_getrandom_stats),
				 err);
		if (rc)
			return rc;
		p->gr->bss->filter_cgroup_level = t->cgroup_level > 0 ? (__u32)t->cgroup_level : 0;
		__atomic_store_n(&p->gr->bss->filter_cgroup_id, t->cgroup_id, __ATOMIC_RELEASE);
	}
	if (p->tr) {
		rc = zero_percpu(p->tr->maps.tcp_stats, sizeof(struct pg_tcp_stats), err);
		if (rc)
			return rc;
		set_tcp_filter(p->tr, t);
	}
	return 0;
}

void pg_probe_free(struct pg_probe *p)
{
	if (!p)
		return;
	/* __destroy detaches the links (closing their perf events) first. */
	tcp_retransmit_bpf__destroy(p->tr);
	getrandom_bpf__destroy(p->gr);
	free(p);
}

double pg_probe_quantile(const struct pg_probe_snapshot *s, double q)
{
	uint64_t total = 0, cum = 0, rank, lower, width;
	unsigned int b;
	double v;

	for (b = 0; b < PG_HIST_NBUCKETS; b++)
		total += s->getrandom_hist[b];
	if (!total)
		return 0;
	q = q < 0 ? 0 : q > 1 ? 1 : q;
	/* The epsilon keeps 0.99 * 10000 from rounding up to rank 9901. */
	rank = (uint64_t)ceil(q * (double)total - 1e-9);
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	for (b = 0; b < PG_HIST_NBUCKETS - 1 && cum + s->getrandom_hist[b] < rank; b++)
		cum += s->getrandom_hist[b];
	lower = pg_hist_lower(b);
	width = pg_hist_upper(b) - lower;
	if (width <= 1)
		return (double)lower;
	v = (double)lower +
	    (double)width * ((double)(rank - cum) - 0.5) / (double)s->getrandom_hist[b];
	if (s->getrandom_lat_max_ns >= lower && v > (double)s->getrandom_lat_max_ns)
		v = (double)s->getrandom_lat_max_ns;
	return v;
}
