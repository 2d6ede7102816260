// SPDX-License-Identifier: GPL-2.0
/* TCP retransmits of one workload's traffic. Retransmits fire from timers
 * and softirq, where the current task has nothing to do with the socket, so
 * the filter is on the socket itself: its network namespace (inode of
 * /proc/PID/ns/net) and/or its local port. The tp_btf form gives a typed
 * struct sock and needs no tracefs. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "probes.h"

/* Set by user space after load and between runs (pg_probe_retarget), so one
 * loaded object serves every run of a capture. 0 / no ports: that filter is
 * off. */
__u32 filter_netns_ino = 0;
__u32 filter_nports = 0;
__u16 filter_ports[PG_PROBE_NPORTS] = {};
/* Since Linux 6.14 the tracepoint has a third argument, err, and also fires
 * for failed attempts; user space sets this from the kernel's BTF. */
const volatile __u32 tp_has_err = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pg_tcp_stats);
} tcp_stats SEC(".maps");

static __always_inline int port_matches(__u16 port)
{
	__u32 i;

	for (i = 0; i < PG_PROBE_NPORTS; i++) {
		if (i >= filter_nports)
			break;
		if (filter_ports[i] == port)
			return 1;
	}
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit_skb, const struct sock *sk)
{
	struct pg_tcp_stats *s;
	__u32 zero = 0;
	int err = 0;

	if (filter_netns_ino &&
	    BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) != filter_netns_ino)
		return 0;
	if (filter_nports && !port_matches(BPF_CORE_READ(sk, __sk_common.skc_num)))
		return 0;
	if (tp_has_err)
		err = (int)ctx[2];
	s = bpf_map_lookup_elem(&tcp_stats, &zero);
	if (!s)
		return 0;
	if (err)
		__sync_fetch_and_add(&s->failed, 1);
	else
		__sync_fetch_and_add(&s->retransmits, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
