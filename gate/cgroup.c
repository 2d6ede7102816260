// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* sched_setaffinity */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cgroup.h"
#include "owner.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

int pg_cgroup_root(char *out, size_t n, struct pg_err *err)
{
	static const char *const guesses[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	struct mntent *m;
	struct statfs sf;
	FILE *f;
	size_t i;

	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++) {
		if (statfs(guesses[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC) {
			snprintf(out, n, "%s", guesses[i]);
			return 0;
		}
	}
	f = setmntent("/proc/self/mounts", "r");
	while (f && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(out, n, "%s", m->mnt_dir);
			endmntent(f);
			return 0;
		}
	}
	if (f)
		endmntent(f);
	return pg_err_set(err, PG_EINFRA,
			  "no cgroup v2 hierarchy is mounted; mount one with "
			  "'mount -t cgroup2 none /sys/fs/cgroup/unified'");
}

/* The depth of path below the v2 root, as the kernel counts cgroup levels
 * (the root is 0); 0 when path is not under the root. */
static int level_of(const char *path)
{
	char root[PATH_MAX];
	size_t n;
	int level = 0;

	if (pg_cgroup_root(root, sizeof(root), NULL))
		return 0;
	n = strlen(root);
	if (strncmp(path, root, n) || path[n] != '/')
		return 0;
	for (path += n; *path; path++)
		if (*path == '/' && path[1] && path[1] != '/')
			level++;
	return level;
}

static int fill_id(struct pg_cgroup *cg, struct pg_err *err)
{
	struct stat st;

	/* On cgroup v2 the kernfs node id, which bpf_get_current_cgroup_id()
	 * returns, is the directory's inode number (64-bit kernels). */
	if (stat(cg->path, &st) < 0 || !S_ISDIR(st.st_mode))
		return pg_err_set(err, PG_EINPUT, "'%s' is not a cgroup v2 directory", cg->path);
	cg->id = st.st_ino;
	cg->level = level_of(cg->path);
	return 0;
}

int pg_cgroup_create(struct pg_cgroup *cg, const char *tag, struct pg_err *err)
{
	static unsigned seq;
	char root[PATH_MAX];
	int rc;

	rc = pg_cgroup_root(root, sizeof(root), err);
	if (rc)
		return rc;
	/* the owner token, not the pid alone: pid namespaces reuse pids,
	 * and a later run sweeps what a killed one left (owner.h) */
	if (snprintf(cg->path, sizeof(cg->path), "%s/" PG_CGROUP_PREFIX "%s-%s-%u", root, tag,
		     pg_owner_token(), seq++) >= (int)sizeof(cg->path))
		return pg_err_set(err, PG_EINPUT, "cgroup path too long");
	/* without root, check and capture still run with --no-probes (no
	 * cgroup): the one way forward a developer has, so it is named */
	if (mkdir(cg->path, 0755) < 0)
		return pg_err_set(err, PG_EINFRA,
				  "cannot create cgroup '%s': %s; run as root, or pass --no-probes "
				  "to measure without cgroups and eBPF",
				  cg->path, strerror(errno));
	cg->owned = 1;
	return fill_id(cg, err);
}

int pg_cgroup_open(struct pg_cgroup *cg, const char *path, struct pg_err *err)
{
	char root[PATH_MAX];
	int rc;

	cg->owned = 0;
	if (path[0] == '/') {
		if (snprintf(cg->path, sizeof(cg->path), "%s", path) >= (int)sizeof(cg->path))
			return pg_err_set(err, PG_EINPUT, "cgroup path too long");
	} else {
		rc = pg_cgroup_root(root, sizeof(root), err);
		if (rc)
			return rc;
		if (snprintf(cg->path, sizeof(cg->path), "%s/%s", root, path) >=
		    (int)sizeof(cg->path))
			return pg_err_set(err, PG_EINPUT, "cgroup path too long");
	}
	return fill_id(cg, err);
}

int pg_cgroup_of_pid(struct pg_cgroup *cg, pid_t pid, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(1 << 16);
	char file[64];
	char *line, *save = NULL;
	int rc;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	rc = pg_buf_read_file(&b, file, err);
	if (rc) {
		rc = pg_err_set(err, PG_EINPUT, "no process with pid %d", (int)pid);
		goto out;
	}
	rc = pg_err_set(err, PG_EINFRA, "process %d is in no cgroup v2", (int)pid);
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "0::", 3))
			continue;
		rc = pg_cgroup_open(cg, line[3] == '/' ? line + 4 : line + 3, err);
		break;
	}
out:
	pg_buf_release(&b);
	return rc;
}

static int write_str(const char *dir, const char *file, const char *s)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : 0;
}

int pg_cgroup_add_pid(const struct pg_cgroup *cg, pid_t pid, struct pg_err *err)
{
	char s[32];

	snprintf(s, sizeof(s), "%d", (int)pid);
	if (write_str(cg->path, "cgroup.procs", s) < 0)
		return pg_err_set(err, PG_EINFRA, "cannot move pid %d into cgroup '%s': %s",
				  (int)pid, cg->path, strerror(errno));
	return 0;
}

static int read_small(const struct pg_cgroup *cg, const char *file, struct pg_buf *b,
		      struct pg_err *err)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", cg->path, file) >= (int)sizeof(path))
		return pg_err_set(err, PG_EINPUT, "cgroup path too long");
	return pg_buf_read_file(b, path, err);
}

int pg_cgroup_cpu_usec(const struct pg_cgroup *cg, uint64_t *out, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(1 << 16);
	unsigned long long v;
	char *p;
	int rc;

	rc = read_small(cg, "cpu.stat", &b, err);
	if (rc)
		goto out;
	p = strstr(b.data, "usage_usec ");
	if (!p || sscanf(p, "usage_usec %llu", &v) != 1) {
		rc = pg_err_set(err, PG_EINFRA, "no usage_usec in '%s/cpu.stat'", cg->path);
		goto out;
	}
	*out = v;
out:
	pg_buf_release(&b);
	return rc;
}

int pg_cgroup_populated(const struct pg_cgroup *cg)
{
	struct pg_buf b = PG_BUF_INIT(1 << 12);
	int up;

	if (read_small(cg, "cgroup.events", &b, NULL))
		up = access(cg->path, F_OK) == 0; /* the root has no cgroup.events */
	else
		up = strstr(b.data, "populated 1") != NULL;
	pg_buf_release(&b);
	return up;
}

int pg_cgroup_nprocs(const struct pg_cgroup *cg)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	int n = 0;
	char *p;

	if (read_small(cg, "cgroup.procs", &b, NULL)) {
		n = -1;
		goto out;
	}
	for (p = b.data; *p; p++)
		n += *p == '\n';
out:
	pg_buf_release(&b);
	return n;
}

int pg_cgroup_pin(const struct pg_cgroup *cg, int cpu)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	char *line, *save = NULL;
	cpu_set_t set;
	int n = 0;

	if (cpu < 0 || cpu >= CPU_SETSIZE || read_small(cg, "cgroup.threads", &b, NULL)) {
		pg_buf_release(&b);
		return -1;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* a thread that exits meanwhile (ESRCH) is no one's concern */
	for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		n += sched_setaffinity((pid_t)atoi(line), sizeof(set), &set) == 0;
	pg_buf_release(&b);
	return n;
}

static void kill_all(const struct pg_cgroup *cg)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	char *line, *save = NULL;

	/* cgroup.kill (5.14+) kills atomically, forks included. */
	if (write_str(cg->path, "cgroup.kill", "1") == 0)
		return;
	if (read_small(cg, "cgroup.procs", &b, NULL) == 0)
		for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			kill((pid_t)atoi(line), SIGKILL);
	pg_buf_release(&b);
}

void pg_cgroup_release(struct pg_cgroup *cg)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	if (!cg || !cg->path[0])
		return;
	if (cg->owned) {
		for (i = 0; i < 300 && pg_cgroup_nprocs(cg) > 0; i++) {
			kill_all(cg);
			nanosleep(&ts, NULL);
		}
		/* Zombie-free tasks vanish from cgroup.procs before the
		 * directory can go; retry rmdir briefly for EBUSY. */
		for (i = 0; i < 300 && rmdir(cg->path) < 0 && errno == EBUSY; i++)
			nanosleep(&ts, NULL);
	}
	cg->path[0] = '\0';
	cg->owned = 0;
	cg->id = 0;
	cg->level = 0;
}
