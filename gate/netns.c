// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "env.h"
#include "netns.h"
#include "owner.h"

/* Forked child: a new namespace, pinned by a bind mount on path, with lo
 * up. Returns an errno-style exit code (only syscalls: we may be threaded). */
static int make_ns(const char *path)
{
	struct ifreq ifr;
	int fd;

	if (unshare(CLONE_NEWNET) < 0)
		return errno;
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0)
		return errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, "lo", 3);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return errno;
	return 0;
}

static int spawn_ns(const char *path, struct pg_err *err)
{
	int status = 0, e;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return pg_err_set(err, PG_EINFRA, "cannot fork: %s", strerror(errno));
	if (pid == 0)
		_exit(make_ns(path));
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	e = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	if (e)
		return pg_err_set(err, PG_EINFRA,
				  "cannot create network namespace '%s': %s; run as root", path,
				  strerror(e));
	return 0;
}

/* The drop rule, run by nft inside the namespace. Dropping on input only
 * makes the share of lost packets the configured one (loopback traffic
 * would cross an output hook too). */
static int add_drop_rule(struct pg_netns *ns, double drop_pct, struct pg_err *err)
{
	struct pg_child c;
	char rules[512], tail[120], how[80];
	char *argv[] = { "nft", rules, NULL };
	struct pg_child_spec s = { "nft", argv, NULL, ns->fd, NULL, -1, NULL, 0 };
	int rc;

	snprintf(rules, sizeof(rules),
		 "add table inet perfgate; "
		 "add chain inet perfgate input { type filter hook input priority 0; }; "
		 "add rule inet perfgate input meta l4proto tcp numgen random mod 10000 < %ld drop",
		 lround(drop_pct * 100));
	pg_child_init(&c);
	rc = pg_child_start_kv(&c, &s, NULL, 0, err);
	if (rc)
		goto out;
	if (pg_child_wait(&c, 10) != 1 || !WIFEXITED(c.status) || WEXITSTATUS(c.status)) {
		pg_child_stop(&c, 0.1);
		pg_child_describe(&c, how, sizeof(how));
		pg_child_tail(&c, tail, sizeof(tail));
		rc = pg_err_set(err, PG_EINFRA, "cannot add the nftables drop rule: nft %s: %s",
				how, tail);
	}
out:
	pg_child_release(&c);
	return rc;
}

static int open_ns(struct pg_netns *ns, const char *path, struct pg_err *err)
{
	struct stat st;

	ns->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (ns->fd < 0 || fstat(ns->fd, &st) < 0)
		return pg_err_set(err, errno == ENOENT ? PG_EINPUT : PG_EINFRA,
				  "cannot open network namespace '%s': %s", path, strerror(errno));
	ns->ino = st.st_ino;
	return 0;
}

int pg_netns_create(struct pg_netns *ns, double drop_pct, struct pg_err *err)
{
	static unsigned seq;
	int fd, rc;

	if (mkdir(PG_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return pg_err_set(err, PG_EINFRA, "cannot create '%s': %s; run as root",
				  PG_NETNS_DIR, strerror(errno));
	snprintf(ns->path, sizeof(ns->path), PG_NETNS_DIR "/" PG_NETNS_PREFIX "%s-%u",
		 pg_owner_token(), seq++);
	fd = open(ns->path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		rc = pg_err_set(err, PG_EINFRA, "cannot create '%s': %s; run as root", ns->path,
				strerror(errno));
		ns->path[0] = '\0';
		return rc;
	}
	close(fd);
	ns->owned = 1;
	rc = spawn_ns(ns->path, err);
	if (!rc)
		rc = open_ns(ns, ns->path, err);
	if (!rc && drop_pct > 0)
		rc = add_drop_rule(ns, drop_pct, err);
	if (rc)
		pg_netns_release(ns);
	return rc;
}

int pg_netns_open_pid(struct pg_netns *ns, pid_t pid, struct pg_err *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	ns->owned = 0;
	ns->path[0] = '\0';
	return open_ns(ns, path, err);
}

uint64_t pg_netns_self_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

void pg_netns_release(struct pg_netns *ns)
{
	if (!ns)
		return;
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
	if (ns->owned && ns->path[0]) {
		umount2(ns->path, MNT_DETACH);
		unlink(ns->path);
	}
	ns->path[0] = '\0';
	ns->owned = 0;
	ns->ino = 0;
}
