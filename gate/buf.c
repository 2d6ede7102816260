// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int pg_buf_append(struct pg_buf *b, const void *p, size_t n, struct pg_err *err)
{
	size_t need, cap;
	char *data;

	if (n > b->max || b->len > b->max - n)
		return pg_err_set(err, PG_EINPUT, "input larger than %zu bytes", b->max);
	need = b->len + n + 1;
	if (need > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < need)
			cap *= 2;
		data = realloc(b->data, cap);
		if (!data)
			return pg_err_nomem(err);
		b->data = data;
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int pg_buf_read_fd(struct pg_buf *b, int fd, const char *what, struct pg_err *err)
{
	char chunk[65536];
	ssize_t n;
	int rc;

	/* Make sure data is non-NULL even for empty input. */
	rc = pg_buf_append(b, "", 0, err);
	if (rc)
		return rc;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return pg_err_set(err, PG_EINPUT, "cannot read '%s': %s", what,
					  strerror(errno));
		if (n == 0)
			return 0;
		rc = pg_buf_append(b, chunk, (size_t)n, err);
		if (rc)
			return rc == PG_EINPUT
				       ? pg_err_set(err, PG_EINPUT, "'%s' is larger than %zu bytes",
						    what, b->max)
				       : rc;
	}
}

/* Room for n more bytes in one allocation, so a file read by its size is
 * not copied by doubling; over the cap is refused before reading. */
static int reserve(struct pg_buf *b, size_t n, const char *what, struct pg_err *err)
{
	char *data;

	if (n > b->max || b->len > b->max - n)
		return pg_err_set(err, PG_EINPUT, "'%s' is larger than %zu bytes", what, b->max);
	if (b->len + n + 1 <= b->cap)
		return 0;
	data = realloc(b->data, b->len + n + 1);
	if (!data)
		return pg_err_nomem(err);
	b->data = data;
	b->cap = b->len + n + 1;
	return 0;
}

/* O_NONBLOCK so that opening a FIFO with no writer returns at once instead
 * of blocking forever; the descriptor's own type is then checked (no race
 * with a rename) and blocking reads restored for the regular file. */
int pg_buf_read_file(struct pg_buf *b, const char *path, struct pg_err *err)
{
	struct stat st;
	int fd = -1;
	int rc;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		rc = pg_err_set(err, PG_EINPUT, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = pg_err_set(err, PG_EINPUT, "'%s' is not a regular file; give a plain file",
				path);
		goto out;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		rc = pg_err_set(err, PG_EINPUT, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = reserve(b, (uint64_t)st.st_size > SIZE_MAX ? SIZE_MAX : (size_t)st.st_size, path, err);
	if (rc)
		goto out;
	rc = pg_buf_read_fd(b, fd, path, err);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

void pg_buf_release(struct pg_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}
