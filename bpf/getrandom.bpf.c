// SPDX-License-Identifier: GPL-2.0
/* getrandom() latency of the tasks of one cgroup v2: the enter tracepoint
 * stores a start time per thread, the exit tracepoint turns it into a
 * latency and adds it to a per-CPU log-linear histogram (hist.h). The
 * enter/exit pair is the shape of libbpf-tools' syscount; the start time
 * lives in task local storage rather than a hash keyed by thread id. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "probes.h"

/* Set by user space after load and between runs (pg_probe_retarget): a
 * global, not rodata, so one loaded object serves every run of a capture.
 * 0 matches no task. With a level (the cgroup's depth below the root, > 0)
 * its descendants count too: a pod's containers, or the child cgroup an
 * engine runs a container's processes in. Level 0 keeps the exact match. */
__u64 filter_cgroup_id = 0;
__u32 filter_cgroup_level = 0;

/* A descendant's ancestor at the target's level is the target itself;
 * bpf_get_current_ancestor_cgroup_id reads it from the task's cgroup
 * without a walk (0 when the task's cgroup is shallower). */
static __always_inline int in_target(void)
{
	if (!filter_cgroup_level)
		return bpf_get_current_cgroup_id() == filter_cgroup_id;
	return bpf_get_current_ancestor_cgroup_id(filter_cgroup_level) == filter_cgroup_id;
}

/* The enter time of the current call, in the task's own local storage: a
 * lookup there is a pointer chase, where a hash map keyed by thread id (as
 * libbpf-tools' syscount does) costs a locked update and a delete per call. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64); /* bpf_ktime_get_ns() at enter; 0: none */
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pg_getrandom_stats);
} getrandom_stats SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getrandom")
int sys_enter_getrandom(void *ctx)
{
	struct pg_getrandom_stats *s;
	__u32 zero = 0;
	__u64 *ts;

	/* All threads of a process share its cgroup v2 (threaded cgroups
	 * aside), so a Go program's Ms are all matched. */
	if (!in_target())
		return 0;
	ts = bpf_task_storage_get(&start, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (ts) {
		*ts = bpf_ktime_get_ns();
		return 0;
	}
	s = bpf_map_lookup_elem(&getrandom_stats, &zero);
	if (s)
		s->start_lost++;
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_getrandom")
int sys_exit_getrandom(void *ctx)
{
	struct pg_getrandom_stats *s;
	__u64 *tsp, delta;
	__u32 zero = 0, b;

	if (!in_target())
		return 0;
	tsp = bpf_task_storage_get(&start, bpf_get_current_task_btf(), 0, 0);
	if (!tsp || !*tsp)
		return 0;
	delta = bpf_ktime_get_ns() - *tsp;
	*tsp = 0;
	s = bpf_map_lookup_elem(&getrandom_stats, &zero);
	if (!s)
		return 0;
	b = pg_hist_bucket(delta);
	/* pg_hist_bucket caps b already; the verifier needs to see it, on the
	 * very register used for the access (barrier_var stops the copy). */
	barrier_var(b);
	if (b >= PG_HIST_NBUCKETS)
		return 0;
	/* Plain adds are exact: the slot is this CPU's, and a tracepoint
	 * program runs through trace_call_bpf() (kernel/trace/bpf_trace.c),
	 * which holds preemption off and skips any other tracing program on
	 * this CPU while bpf_prog_active is taken, so nothing can interleave
	 * with this update. A locked add cost ~13 ns per event here. The
	 * histogram's sum is the call count (gate/probe.c). */
	s->hist[b]++;
	if (delta > s->lat_max_ns)
		s->lat_max_ns = delta;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
