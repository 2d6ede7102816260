// SPDX-License-Identifier: MIT
#include <errno.h>
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

/* A device or FIFO (/dev/null, /dev/stdout, a pipe) is written in place:
 * renaming a temp file over it would replace the device with a file. */
static int write_special(const char *path, const void *data, size_t len, struct pg_err *err)
{
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				  strerror(errno));
	if (write_all(fd, data, len) < 0)
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				strerror(errno));
	close(fd);
	return rc;
}

int pg_fs_write_atomic(const char *path, const void *data, size_t len, int excl, struct pg_err *err)
{
	char tmp[PATH_MAX];
	struct stat st;
	int fd = -1;
	int rc = 0;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (excl)
			return pg_err_set(err, PG_EINPUT, "cannot write '%s': file exists", path);
		return write_special(path, data, len, err);
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return pg_err_set(err, PG_EINPUT, "path too long: '%s'", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = pg_err_set(err, write_class(errno), "cannot create '%s': %s", tmp,
				strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (fchmod(fd, 0644) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", tmp,
				strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", tmp,
				strerror(errno));
		goto out;
	}
	fd = -1;
	if (publish(tmp, path, excl) < 0) {
		rc = pg_err_set(err, write_class(errno), "cannot write '%s': %s", path,
				errno == EEXIST ? "file exists" : strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	fsync_dir_of(path);
out:
	if (fd >= 0)
		close(fd);
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
