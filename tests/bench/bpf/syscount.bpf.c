// SPDX-License-Identifier: GPL-2.0
/* System calls per cgroup v2, for scripts/bench-probes.sh to account what
 * the probes cost a service per request: every call (raw sys_enter, which
 * fires for all of them) and getrandom calls (their own tracepoint, so no
 * syscall number is tied to one architecture). Attached only while the
 * bench counts; never beside a timing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct pg_syscount {
	__u64 all;
	__u64 getrandom;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* cgroup id */
	__type(value, struct pg_syscount);
} pg_syscount SEC(".maps");

static __always_inline struct pg_syscount *counts(void)
{
	static const struct pg_syscount zero;
	__u64 id = bpf_get_current_cgroup_id();
	struct pg_syscount *c;

	c = bpf_map_lookup_elem(&pg_syscount, &id);
	if (c)
		return c;
	bpf_map_update_elem(&pg_syscount, &id, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&pg_syscount, &id);
}

SEC("raw_tracepoint/sys_enter")
int count_all(void *ctx)
{
	struct pg_syscount *c = counts();

	if (c)
		__sync_fetch_and_add(&c->all, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getrandom")
int count_getrandom(void *ctx)
{
	struct pg_syscount *c = counts();

	if (c)
		__sync_fetch_and_add(&c->getrandom, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
