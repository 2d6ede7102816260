// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* mkostemp */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return;
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Hard-link the temp file into place when excl is set: link() fails with
 * EEXIST if the target appeared meanwhile, which rename() would overwrite. */
static int publish(const char *tmp, const char *path, int excl)
{
	if (!excl)
		return rename(tmp, path);
	if (link(tmp, path) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Who can fix a failed write decides its class: a path that names no
 * writable place (a missing or wrong-kind component, too long, not
 * permitted, read-only) is the caller's input (PG_EINPUT, exit 2); a
 * destination that fails while taking the bytes (disk full, quota, I/O
 * error) is the machine's (PG_EINFRA, exit 3), as is a failed write to an
 * open stream. */
static int write_class(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG:
	case EEXIST:
	case EISDIR:
	case EACCES:
	case EPERM:
	case EROFS:
	case ELOOP:
		return PG_EINPUT;
	}
	return PG_EINFRA;
}

/* A character device or FIFO (/dev/null, /dev/stdout, a pipe) is written in
 * place: renaming a temp file over it would replace the device with a file.
 * O_NONBLOCK makes a FIFO nobody reads fail with ENXIO instead of blocking
 * forever; the opened descriptor's type is what is checked, and a block
 * device (a disk) is never written. */
static int write_special(const char *path, const void *data, size_t len, struct pg_err *err)
{
	struct stat st;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return pg_err_set(err, errno == ENXIO ? PG_EINPUT : write_class(errno),
				  "cannot write '%s': %s", path,
				  errno == ENXIO ? "a FIFO nobody reads" : strerror(errno));
	if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
		rc = pg_err_set(err, PG_EINPUT, "cannot write '%s': not a file, FIFO or terminal",
				path);
	else if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
		 write_all(fd, data, len) < 0)
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				strerror(errno));
	close(fd);
	return rc;
}

int pg_fs_write_temp(const char *path, const void *data, size_t len, char *tmp, size_t tmplen,
		     struct pg_err *err)
{
	int fd = -1, rc = 0;

	/* the pid in the name lets a later run tell a dead writer's leftover
	 * (pg_fs_sweep_temps) from a live writer's file */
	if (snprintf(tmp, tmplen, "%s" PG_FS_TMP_TAG "%ld.XXXXXX", path, (long)getpid()) >=
	    (int)tmplen) {
		tmp[0] = '\0';
		return pg_err_set(err, PG_EINPUT, "path too long: '%s'", path);
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = pg_err_set(err, write_class(errno), "cannot create '%s': %s", tmp,
				strerror(errno));
		tmp[0] = '\0';
		return rc;
	}
	if (fchmod(fd, 0644) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0)
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", tmp,
				strerror(errno));
	if (close(fd) < 0 && !rc)
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", tmp,
				strerror(errno));
	if (rc) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	return rc;
}

int pg_fs_check_target(const char *path, struct pg_err *err)
{
	char tmp[PATH_MAX];
	struct stat st;
	int rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return pg_err_set(err, PG_EINPUT, "cannot write '%s': it is a directory", path);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return 0; /* a device or FIFO, written in place */
	rc = pg_fs_write_temp(path, "", 0, tmp, sizeof(tmp), err);
	if (rc) /* said of the file asked for, not of its temp file */
		return pg_err_set(err, rc, "cannot write '%s': %s", path, strerror(errno));
	unlink(tmp);
	return 0;
}

int pg_fs_write_atomic(const char *path, const void *data, size_t len, int excl, struct pg_err *err)
{
	char tmp[PATH_MAX];
	struct stat st;
	int rc = 0;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (excl)
			return pg_err_set(err, PG_EINPUT, "cannot write '%s': file exists", path);
		return write_special(path, data, len, err);
	}
	rc = pg_fs_write_temp(path, data, len, tmp, sizeof(tmp), err);
	if (rc)
		goto out;
	if (publish(tmp, path, excl) < 0) {
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				errno == EEXIST ? "file exists" : strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	fsync_dir_of(path);
out:
	if (tmp[0])
		unlink(tmp);
	return rc;
}

int pg_fs_mkdirs(const char *path, struct pg_err *err)
{
	char p[PATH_MAX];
	char *s;

	if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
		return pg_err_set(err, PG_EINPUT, "path too long: '%s'", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return pg_err_set(err, write_class(errno),
					  "cannot create directory '%s': %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		return pg_err_set(err, write_class(errno), "cannot create directory '%s': %s", p,
				  strerror(errno));
	return 0;
}

int pg_fs_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int pg_fs_publish(const char *tmp, const char *path, struct pg_err *err)
{
	if (rename(tmp, path) < 0)
		return pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				  strerror(errno));
	fsync_dir_of(path);
	return 0;
}

/* The writer's pid from "<name>.tmp.<pid>.XXXXXX", or 0. */
static long temp_owner(const char *name)
{
	const char *tag = strstr(name, PG_FS_TMP_TAG);
	char *end;
	long pid;

	if (!tag)
		return 0;
	pid = strtol(tag + strlen(PG_FS_TMP_TAG), &end, 10);
	return pid > 0 && *end == '.' && strlen(end) == 7 ? pid : 0;
}

int pg_fs_sweep_temps(const char *dir, size_t *removed)
{
	char path[PATH_MAX];
	struct dirent *d;
	long pid;
	DIR *dp;

	*removed = 0;
	dp = opendir(dir);
	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		pid = temp_owner(d->d_name);
		/* only files of a writer that is gone: a live one is mid-write */
		if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) < (int)sizeof(path) &&
		    unlink(path) == 0)
			(*removed)++;
	}
	closedir(dp);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) && errno != ENOENT)
		fprintf(stderr, "perfgate: warning: cannot remove '%s': %s\n", path,
			strerror(errno));
	return 0;
}

int pg_fs_remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	return pg_fs_exists(path) ? -1 : 0;
}
