// SPDX-License-Identifier: GPL-2.0
/* Calls of one user-space function by the tasks of one cgroup v2: a uprobe
 * on Go's runtime.vgetrandom, the vDSO path Go 1.24+ takes for getrandom on
 * Linux 6.11+, which no syscall tracepoint sees. User space names the
 * binary and the function when it attaches. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* As in getrandom.bpf.c: 0 matches no task; a level > 0 counts the
 * cgroup's descendants too. */
const volatile __u64 filter_cgroup_id = 0;
const volatile __u32 filter_cgroup_level = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("uprobe")
int uprobe_call(void *ctx)
{
	__u64 id = filter_cgroup_level ? bpf_get_current_ancestor_cgroup_id(filter_cgroup_level)
				       : bpf_get_current_cgroup_id();
	__u32 zero = 0;
	__u64 *n;

	if (id != filter_cgroup_id)
		return 0;
	n = bpf_map_lookup_elem(&calls, &zero);
	if (n)
		*n += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
