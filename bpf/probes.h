/* What the BPF programs and gate/probe.c share: the per-CPU statistics the
 * programs accumulate and user space sums. Only __u32/__u64 here, so the
 * layout is the same on both sides without packing rules. Nothing is sent to
 * user space per event; user space reads these values when it wants them. */
#ifndef PG_PROBES_H
#define PG_PROBES_H

#include "hist.h"

#define PG_PROBE_NPORTS 8

/* One per CPU (a single-entry BPF_MAP_TYPE_PERCPU_ARRAY), so one map lookup
 * per event finds the counters and the histogram together. */
struct pg_getrandom_stats {
	__u64 lat_max_ns;	      /* this CPU's largest latency */
	__u64 start_lost;	      /* enters not recorded: no task storage */
	__u64 hist[PG_HIST_NBUCKETS]; /* see hist.h; their sum is the calls */
};

struct pg_tcp_stats {
	__u64 retransmits; /* successful retransmissions of the target's sockets */
	__u64 failed;	   /* retransmission attempts the stack reported as failed */
};

#endif
