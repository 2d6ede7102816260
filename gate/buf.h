// SPDX-License-Identifier: MIT
/* A growable byte buffer with a hard cap, for everything perfgate reads from
 * outside (files, HTTP bodies, pipes): input larger than the cap is an error,
 * never an unbounded allocation. The buffer owns data; pg_buf_release frees
 * it. data is always NUL-terminated (not counted in len) for text parsers. */
#ifndef PG_BUF_H
#define PG_BUF_H

#include <stddef.h>

#include "err.h"

struct pg_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

#define PG_BUF_INIT(limit)          \
	{                           \
		NULL, 0, 0, (limit) \
	}

/* Append n bytes; PG_EINPUT if the cap would be exceeded, PG_ENOMEM on
 * allocation failure. */
int pg_buf_append(struct pg_buf *b, const void *p, size_t n, struct pg_err *err);

/* Append the whole file at path (at most b->max bytes). Anything but a
 * regular file (FIFO, device, directory) is refused, without blocking. */
int pg_buf_read_file(struct pg_buf *b, const char *path, struct pg_err *err);

/* Append everything readable from fd until EOF. */
int pg_buf_read_fd(struct pg_buf *b, int fd, const char *what, struct pg_err *err);

void pg_buf_release(struct pg_buf *b);

#endif
