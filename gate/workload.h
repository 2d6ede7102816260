// SPDX-License-Identifier: MIT
/* The workload of a scenario: the "target" perfgate measures (a cgroup v2,
 * a network namespace, a port, a main pid) kept apart from the child process
 * perfgate may have started, so a target can also be attached to a workload
 * perfgate did not start (a pod, a systemd service). pg_workload_start makes
 * an owned cgroup (and namespace with isolate_network) and starts the child
 * inside them; pg_workload_stop stops the child and releases what it owns. */
#ifndef PG_WORKLOAD_H
#define PG_WORKLOAD_H

#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "child.h"
#include "config.h"
#include "err.h"
#include "netns.h"

struct pg_target {
	struct pg_cgroup cg; /* CPU time and getrandom probes */
	struct pg_netns ns;  /* fd -1: perfgate's own namespace */
	uint16_t port;	     /* listening port (from ready_url), 0 if unknown */
	pid_t pid;	     /* main process, 0 if unknown */
};

struct pg_workload {
	struct pg_target target;
	struct pg_child child; /* pid 0 when attached */
	double grace_s;	       /* SIGTERM to SIGKILL */
	char attached[200];    /* the attach target for messages; "" when started */
};

struct pg_workload_opts {
	int cpu;	 /* pin the workload to this CPU, -1: no pinning */
	int echo;	 /* copy its output to stderr (verbose) */
	double grace_s;	 /* 0: 3 s */
	const char *cwd; /* the tree it runs from; NULL: perfgate's */
	int bare;	 /* no cgroup, no namespace: what a user without root can do */
};

void pg_workload_init(struct pg_workload *w);

/* Fresh cgroup (+ namespace and drop rule with isolate_network), then the
 * child with perfgate's environment plus c->env. Does not wait for ready.
 * With c->attach set, attaches to that target instead (see below). */
int pg_workload_start(struct pg_workload *w, const struct pg_workload_cfg *c,
		      const struct pg_workload_opts *o, struct pg_err *err);

/* CPU time of the target in microseconds: its cgroup's usage, or for a
 * bare workload (no cgroup) the main process's own utime + stime from
 * /proc (all its threads, in clock ticks; not its child processes). */
int pg_workload_cpu_usec(const struct pg_workload *w, uint64_t *out, struct pg_err *err);

/* Target a running process perfgate did not start: its cgroup and network
 * namespace are borrowed, and pg_workload_stop leaves it running. */
int pg_workload_attach(struct pg_workload *w, pid_t pid, const char *ready_url, struct pg_err *err);

/* Same for a workload.attach target, resolved on this node (attach.h): the
 * target's whole cgroup (a pod's containers included) and the network
 * namespace of a process in it. The root cgroup is taken here (probe
 * warns); pg_workload_start refuses it, since its CPU time is the host's. */
int pg_workload_attach_cfg(struct pg_workload *w, const struct pg_attach_cfg *a,
			   const char *ready_url, struct pg_err *err);

/* Poll url (inside the target's namespace) until it answers 2xx, bounded by
 * timeout_s. PG_EINFRA if the child exits first, on timeout, or on a
 * signal, with the child's last output in the message. */
int pg_workload_wait_ready(struct pg_workload *w, const char *url, double timeout_s,
			   struct pg_err *err);

/* PG_EINFRA if the child we started has exited, or an attached target's
 * cgroup is gone or empty; phase names when ("during the warm-up"). */
int pg_workload_check(struct pg_workload *w, const char *phase, struct pg_err *err);

/* SIGTERM, grace, SIGKILL, reap; release the owned cgroup and namespace.
 * NULL-safe, idempotent. */
void pg_workload_stop(struct pg_workload *w);

#endif
