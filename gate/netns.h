// SPDX-License-Identifier: MIT
/* perfgate's own network namespaces: created under /run/netns with the
 * "perfgate-" prefix (so `ip netns list` shows them and leak checks can find
 * them), loopback up, and optionally an nftables rule inside that drops a
 * share of TCP packets. A namespace made by pg_netns_create is owned and
 * deleted by pg_netns_release (its nft rules go with it); one opened from a
 * process is only borrowed. */
#ifndef PG_NETNS_H
#define PG_NETNS_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

#define PG_NETNS_PREFIX "perfgate-"
#define PG_NETNS_DIR "/run/netns"

struct pg_netns {
	char path[PATH_MAX]; /* bind mount under PG_NETNS_DIR when owned */
	int fd;		     /* for setns(); -1 when none */
	uint64_t ino;	     /* the namespace's inode: what the probes filter on */
	int owned;
};

#define PG_NETNS_INIT           \
	{                       \
		{ 0 }, -1, 0, 0 \
	}

/* Make /run/netns/perfgate-<pid>-<seq> with loopback up; with drop_pct > 0
 * add an nftables input rule dropping that share (0.01 % steps) of TCP
 * packets. Needs root (CAP_SYS_ADMIN) and, for drop_pct, nft. */
int pg_netns_create(struct pg_netns *ns, double drop_pct, struct pg_err *err);

/* Borrow the network namespace of a running process. */
int pg_netns_open_pid(struct pg_netns *ns, pid_t pid, struct pg_err *err);

/* The inode of perfgate's own network namespace (0 on error). */
uint64_t pg_netns_self_ino(void);

/* Owned: unmount and unlink (the kernel frees the namespace and its rules
 * once nothing uses it). Borrowed: close. NULL-safe, idempotent. */
void pg_netns_release(struct pg_netns *ns);

#endif
