/* The eBPF probes of one target: getrandom() calls and latency of the tasks
 * in one cgroup v2, and TCP retransmits of one network namespace (or of a set
 * of local ports). Lifecycle of the libbpf skeleton: open, load, set the
 * target, attach, read, retarget, destroy. struct pg_probe is owned by the
 * caller; pg_probe_free detaches everything it attached. */
#ifndef PG_PROBE_H
#define PG_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "../bpf/hist.h"

#define PG_PROBE_MAX_PORTS 8

/* Each filter that is set must match. getrandom is probed only with a
 * cgroup_id; retransmits only with a netns_ino and/or ports (with neither,
 * the TCP program is not loaded and tcp_retransmits stays 0). */
struct pg_probe_target {
	uint64_t cgroup_id;		    /* getrandom: tasks of this cgroup v2 (0: none) */
	int cgroup_level;		    /* its depth below the root: > 0 counts its descendants
					     * too (pg_cgroup.level); 0: exactly this cgroup */
	uint64_t netns_ino;		    /* retransmits: sockets of this netns (0: any netns) */
	uint16_t ports[PG_PROBE_MAX_PORTS]; /* retransmits: local ports (none: any port) */
	size_t nports;
};

struct pg_probe_snapshot {
	uint64_t getrandom_calls;
	uint64_t getrandom_lat_max_ns;
	uint64_t getrandom_hist[PG_HIST_NBUCKETS]; /* see bpf/hist.h */
	uint64_t tcp_retransmits;
	uint64_t getrandom_start_lost;	/* enters not recorded (no memory) */
	uint64_t tcp_retransmit_failed; /* attempts the stack reported failed (6.14+) */
};

struct pg_probe;

/* Open, load and attach. PG_EINFRA with a line naming cause and fix when the
 * kernel refuses (not root, no BTF, tracepoint missing). */
int pg_probe_new(struct pg_probe **out, const struct pg_probe_target *t, struct pg_err *err);

/* Point the loaded, attached probes at another target of the same kind
 * (same filters set, e.g. the next run's cgroup and namespace) and restart
 * their totals from zero, without loading and verifying the programs again.
 * PG_EINFRA when t sets filters the probes were not made with. */
int pg_probe_retarget(struct pg_probe *p, const struct pg_probe_target *t, struct pg_err *err);

/* Totals since attach or the last retarget. */
int pg_probe_read(struct pg_probe *p, struct pg_probe_snapshot *out, struct pg_err *err);

/* Detach and destroy; NULL-safe. */
void pg_probe_free(struct pg_probe *p);

/* Quantile q (0..1) of the getrandom latency histogram, in ns; 0 if empty.
 * Nearest rank: the bucket holding the ceil(q * calls)-th smallest latency;
 * inside it the bucket's samples are taken as evenly spread, the j-th of n
 * at lower + width * (j - 0.5) / n, so the result always lies inside the
 * right bucket (error below one bucket width, <= 3.1 %). Buckets one
 * nanosecond wide return their exact value; nothing exceeds the max. */
double pg_probe_quantile(const struct pg_probe_snapshot *s, double q);

#endif
