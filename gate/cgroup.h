// SPDX-License-Identifier: MIT
/* cgroup v2: find the unified hierarchy, make and remove perfgate's own
 * cgroups, read their CPU time. A cgroup made by pg_cgroup_create is owned by
 * the struct and removed by pg_cgroup_release (after its tasks are killed);
 * one opened with pg_cgroup_open is only borrowed and never removed. */
#ifndef PG_CGROUP_H
#define PG_CGROUP_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* Every cgroup perfgate makes is named with this prefix, directly under the
 * v2 root, so leak checks can list them. */
#define PG_CGROUP_PREFIX "perfgate-"

struct pg_cgroup {
	char path[PATH_MAX];
	uint64_t id; /* what bpf_get_current_cgroup_id() returns for its tasks */
	int owned;
	int level; /* depth below the v2 root (its children: level + 1); 0: unknown */
};

#define PG_CGROUP_INIT         \
	{                      \
		{ 0 }, 0, 0, 0 \
	}

/* The mount point of the cgroup v2 hierarchy: /sys/fs/cgroup on unified
 * hosts, /sys/fs/cgroup/unified on hybrid ones. */
int pg_cgroup_root(char *out, size_t n, struct pg_err *err);

/* Make <root>/perfgate-<tag>-<pid>-<seq>. */
int pg_cgroup_create(struct pg_cgroup *cg, const char *tag, struct pg_err *err);

/* Borrow an existing cgroup by path (absolute, or relative to the root). */
int pg_cgroup_open(struct pg_cgroup *cg, const char *path, struct pg_err *err);

/* Borrow the cgroup v2 of a running process. */
int pg_cgroup_of_pid(struct pg_cgroup *cg, pid_t pid, struct pg_err *err);

/* Move a process into the cgroup (pid 0: the caller). */
int pg_cgroup_add_pid(const struct pg_cgroup *cg, pid_t pid, struct pg_err *err);

/* Total CPU time of the cgroup's tasks so far (cpu.stat usage_usec). */
int pg_cgroup_cpu_usec(const struct pg_cgroup *cg, uint64_t *out, struct pg_err *err);

/* 1 while the cgroup or one below it has a process (cgroup.events
 * "populated 1"; the root, which has no such file, while it exists), 0 when
 * it is empty or gone. */
int pg_cgroup_populated(const struct pg_cgroup *cg);

/* Number of processes still in the cgroup, or negative on error. */
int pg_cgroup_nprocs(const struct pg_cgroup *cg);

/* Put every thread of the cgroup on that one CPU: the number moved, or -1
 * when its threads cannot be listed. New threads inherit it from their
 * creator. */
int pg_cgroup_pin(const struct pg_cgroup *cg, int cpu);

/* For an owned cgroup: SIGKILL what is left inside, wait until empty (bounded)
 * and rmdir it. For a borrowed one: forget it. NULL-safe, idempotent. */
void pg_cgroup_release(struct pg_cgroup *cg);

#endif
