/* Find a workload perfgate did not start (workload.attach, `probe --pid
 * --container --pod`) on this node: its cgroup v2 directory and one of its
 * processes, read from /proc/<pid>/cgroup and the cgroup tree (systemd and
 * cgroupfs drivers, the kubepods QoS slices, the engines' ID prefixes
 * docker-, cri-containerd-, crio-, libpod-). Only a podman container given
 * by name asks the engine (`podman inspect`). Nothing is created or held:
 * the result is plain data the caller opens (workload.c). */
#ifndef PG_ATTACH_H
#define PG_ATTACH_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "err.h"

/* Where to look; tests point these at a fake tree. */
struct pg_attach_fs {
	const char *root;   /* prefix of /proc and /var/log: "" on the host */
	const char *cgroot; /* the cgroup v2 mount point */
	const char *podman; /* podman binary for names; NULL: "podman" in PATH */
};

struct pg_attach_found {
	char cgroup[PATH_MAX]; /* absolute path of its cgroup v2 directory */
	pid_t pid;	       /* a process inside it or below (its network namespace) */
};

/* The target as the user wrote it ("container 'podman:orders'"), for
 * messages. */
void pg_attach_describe(const struct pg_attach_cfg *a, char *out, size_t n);

/* Resolve a (kind != PG_ATTACH_NONE). Not found, not on this node, only in
 * cgroup v1, or no process inside: PG_EINFRA naming the target and what to
 * do; an ID prefix matching several containers: PG_EINPUT. */
int pg_attach_resolve(struct pg_attach_found *out, const struct pg_attach_cfg *a,
		      const struct pg_attach_fs *fs, struct pg_err *err);

/* The host's: root "", cgroot from pg_cgroup_root. */
int pg_attach_resolve_host(struct pg_attach_found *out, const struct pg_attach_cfg *a,
			   struct pg_err *err);

#endif
