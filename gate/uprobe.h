// SPDX-License-Identifier: MIT
/* A uprobe that counts the calls of one function of one binary made by the
 * tasks of one cgroup (bpf/vgetrandom.bpf.c): how perfgate sees Go 1.24's
 * vDSO getrandom, which the syscall tracepoints miss. A struct pg_uprobe
 * owns its skeleton and link; pg_uprobe_free detaches. */
#ifndef PG_UPROBE_H
#define PG_UPROBE_H

#include <stdint.h>

#include "err.h"

/* The function Go 1.24+ calls for getrandom through the vDSO. */
#define PG_UPROBE_GO_VGETRANDOM "runtime.vgetrandom"

struct pg_uprobe;

/* Attach to func in the binary at path, counting calls from cgroup_id
 * (and its descendants when cgroup_level > 0). PG_EINFRA when the binary
 * has no such function or the kernel refuses the probe. */
int pg_uprobe_new(struct pg_uprobe **out, const char *path, const char *func, uint64_t cgroup_id,
		  int cgroup_level, struct pg_err *err);
/* Calls so far, summed over CPUs. */
int pg_uprobe_read(const struct pg_uprobe *u, uint64_t *calls, struct pg_err *err);
void pg_uprobe_free(struct pg_uprobe *u);

#endif
