// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "fs.h"
#include "netns.h"
#include "owner.h"

#define TOKEN_MAX 32

/* The temp directories pg_owner_mkdtemp makes, and the sweep removes: one
 * list, so that no kind can be made that a sweep would not find. */
static const char *const tmp_kinds[] = { "load", "ref", "duet" };
#define NKINDS (sizeof(tmp_kinds) / sizeof(tmp_kinds[0]))

static char token[TOKEN_MAX];
static int lock_fd = -1;

static void drop_lock(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PG_OWNER_DIR "/%s", token);
	unlink(path);
}

void pg_owner_forked(void)
{
	token[0] = '\0';
	if (lock_fd >= 0)
		close(lock_fd); /* the parent's descriptor keeps its lock */
	lock_fd = -1;
}

void pg_owner_release(void)
{
	if (token[0] && lock_fd >= 0)
		drop_lock();
}

/* The lock stays held until the process exits: the fd is never closed,
 * and O_CLOEXEC keeps children from inheriting (and prolonging) it. */
const char *pg_owner_token(void)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	unsigned int r = 0;

	if (token[0])
		return token;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)getpid() * 2654435761u ^ (unsigned int)time(NULL);
	snprintf(token, sizeof(token), "%d-%08x", (int)getpid(), r);
	if (mkdir(PG_OWNER_DIR, 0755) < 0 && errno != EEXIST)
		return token; /* not root: nothing of ours can be left behind */
	/* locked under a hidden name, then renamed: a sweeper never sees
	 * the file unlocked and takes a starting run for a dead one */
	snprintf(tmp, sizeof(tmp), PG_OWNER_DIR "/.%s", token);
	snprintf(path, sizeof(path), PG_OWNER_DIR "/%s", token);
	lock_fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (lock_fd >= 0 && (flock(lock_fd, LOCK_EX | LOCK_NB) < 0 || rename(tmp, path) < 0)) {
		unlink(tmp);
		close(lock_fd);
		lock_fd = -1;
	}
	if (lock_fd >= 0)
		atexit(drop_lock);
	return token;
}

static const char *tmp_base(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

static int known_kind(const char *kind)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (!strcmp(kind, tmp_kinds[i]))
			return 1;
	return 0;
}

int pg_owner_mkdtemp(const char *kind, char *dir, size_t n)
{
	if (!known_kind(kind)) {
		dir[0] = '\0';
		errno = EINVAL;
		return -1;
	}
	if (snprintf(dir, n, "%s/perfgate-%s-%s-XXXXXX", tmp_base(), kind, pg_owner_token()) >=
	    (int)n) {
		dir[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

static int all_of(const char *s, size_t n, const char *set)
{
	return n && strspn(s, set) >= n;
}

int pg_owner_token_of(const char *name, char *out, size_t n)
{
	const char *end = strrchr(name, '-'), *hex, *pid;

	if (!end || end == name)
		return -1;
	hex = end - 8;
	if (hex <= name + 1 || hex[-1] != '-' || !all_of(hex, 8, "0123456789abcdef"))
		return -1;
	for (pid = hex - 1; pid > name && pid[-1] >= '0' && pid[-1] <= '9'; pid--)
		;
	if (pid == hex - 1 || pid == name || pid[-1] != '-' || (size_t)(end - pid) >= n)
		return -1;
	memcpy(out, pid, (size_t)(end - pid));
	out[end - pid] = '\0';
	return 0;
}

static int pid_runs(const char *t)
{
	long pid = strtol(t, NULL, 10);

	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int pg_owner_alive(const char *t)
{
	char path[PATH_MAX];
	int fd, alive;

	if (!strcmp(t, pg_owner_token()))
		return 1;
	snprintf(path, sizeof(path), PG_OWNER_DIR "/%s", t);
	fd = open(path, O_RDWR | O_CLOEXEC);
	/* no lock file: an owner that could not take one (not root) still
	 * runs if its pid does; a reused pid only delays the sweep */
	if (fd < 0 && errno == ENOENT)
		return pid_runs(t);
	if (fd < 0)
		return 1; /* unsure: leave it */
	alive = flock(fd, LOCK_EX | LOCK_NB) < 0;
	close(fd);
	return alive;
}

/* Call fn(dir, name) for every entry of dir named prefix* whose owner
 * token is dead; returns how many fn removed. */
static size_t each_dead(const char *dir, const char *prefix, int (*fn)(const char *, const char *))
{
	char t[TOKEN_MAX];
	struct dirent *d;
	size_t n = 0;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp)))
		if (!strncmp(d->d_name, prefix, strlen(prefix)) &&
		    !pg_owner_token_of(d->d_name, t, sizeof(t)) && !pg_owner_alive(t))
			n += fn(dir, d->d_name) == 0;
	closedir(dp);
	return n;
}

static int sweep_cgroup(const char *dir, const char *name)
{
	struct pg_cgroup cg = PG_CGROUP_INIT;

	if (snprintf(cg.path, sizeof(cg.path), "%s/%s", dir, name) >= (int)sizeof(cg.path))
		return -1;
	cg.owned = 1;
	pg_cgroup_release(&cg); /* kills what is left inside, then rmdir */
	return access(cg.path, F_OK) == 0 ? -1 : 0;
}

static int sweep_netns(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	umount2(path, MNT_DETACH);
	return unlink(path);
}

static int sweep_tmpdir(const char *dir, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	return pg_fs_remove_tree(path);
}

static int sweep_lock(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd, rc = -1;

	if (name[0] == '.' || snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -1;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
		rc = unlink(path);
	if (fd >= 0)
		close(fd);
	return rc;
}

void pg_owner_sweep(FILE *log)
{
	char root[PATH_MAX], prefix[32];
	size_t cg = 0, ns, td = 0, i;
	struct dirent *d;
	DIR *dp;

	pg_owner_token();
	if (!pg_cgroup_root(root, sizeof(root), NULL))
		cg = each_dead(root, PG_CGROUP_PREFIX, sweep_cgroup);
	ns = each_dead(PG_NETNS_DIR, PG_NETNS_PREFIX, sweep_netns);
	for (i = 0; i < NKINDS; i++) {
		snprintf(prefix, sizeof(prefix), "perfgate-%s-", tmp_kinds[i]);
		td += each_dead(tmp_base(), prefix, sweep_tmpdir);
	}
	/* lock files last: their owners' objects are gone now */
	dp = opendir(PG_OWNER_DIR);
	while (dp && (d = readdir(dp)))
		if (strcmp(d->d_name, token) &&
		    strspn(d->d_name, "0123456789abcdef-") == strlen(d->d_name))
			sweep_lock(PG_OWNER_DIR, d->d_name);
	if (dp)
		closedir(dp);
	if (log && cg + ns + td)
		fprintf(log,
			"perfgate: removed leftovers of killed runs: %zu cgroup%s, %zu network "
			"namespace%s, %zu temp director%s\n",
			cg, cg == 1 ? "" : "s", ns, ns == 1 ? "" : "s", td, td == 1 ? "y" : "ies");
}
