// SPDX-License-Identifier: GPL-2.0
/* Empty programs on every hook the getrandom probe could use, for
 * scripts/bench-probes.sh: what attaching a hook costs by itself, before
 * any work of ours. The syscall tracepoints fire for one syscall; the raw
 * and BTF forms of sys_enter/sys_exit fire for every syscall of every task
 * (a real program would filter on the syscall id). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tracepoint/syscalls/sys_enter_getrandom")
int tp_enter(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_getrandom")
int tp_exit(void *ctx)
{
	return 0;
}

/* Not empty: one clock read, the least an enter/exit latency probe does on
 * each side, to show what it costs by itself. */
__u64 clock_sink;

SEC("tracepoint/syscalls/sys_enter_getrandom")
int clock_enter(void *ctx)
{
	clock_sink = bpf_ktime_get_ns();
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int raw_enter(void *ctx)
{
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int raw_exit(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int btf_enter(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int btf_exit(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
