// SPDX-License-Identifier: MIT
/* Files that must never be seen half-written: baselines, results, reports.
 * pg_fs_write_atomic writes a temp file beside the target, fsyncs it, renames
 * it over the target and fsyncs the directory; on any failure the temp file
 * is removed and the old target is untouched. A target that is a device or
 * FIFO (/dev/null, /dev/stdout) is written in place instead. A path that
 * names no writable place is PG_EINPUT; a destination that fails while
 * taking the bytes (disk full, I/O error) is PG_EINFRA. */
#ifndef PG_FS_H
#define PG_FS_H

#include <stddef.h>

#include "err.h"

/* Replace path with len bytes of data, atomically. With excl set, fail with
 * PG_EINPUT if path already exists (checked at rename time, so two writers
 * cannot both win). */
int pg_fs_write_atomic(const char *path, const void *data, size_t len, int excl,
		       struct pg_err *err);

/* Whether path can take a file written by pg_fs_write_atomic (not a
 * directory; its directory exists and is writable), with the error that
 * writing it would give: checked before a long job, so the job is not lost
 * on a typo. */
int pg_fs_check_target(const char *path, struct pg_err *err);

/* Temp files are "<target>.tmp.<writer pid>.XXXXXX". */
#define PG_FS_TMP_TAG ".tmp."

/* Write data to a new temp file beside path (its name into tmp), fsynced;
 * on failure nothing is left and tmp is "". */
int pg_fs_write_temp(const char *path, const void *data, size_t len, char *tmp, size_t tmplen,
		     struct pg_err *err);

/* Rename tmp over path (replacing a symlink there, never writing through
 * it) and fsync the directory. */
int pg_fs_publish(const char *tmp, const char *path, struct pg_err *err);

/* Remove the temp files in dir whose writer is gone (a SIGKILL mid-write);
 * *removed counts them. Files of live processes are left alone. */
int pg_fs_sweep_temps(const char *dir, size_t *removed);

/* rm -r, not following symlinks nor crossing mounts; a file that cannot
 * go is named on stderr. 0 when path is gone. */
int pg_fs_remove_tree(const char *path);

/* mkdir -p. */
int pg_fs_mkdirs(const char *path, struct pg_err *err);

/* 1 if path exists (any type), 0 if not. */
int pg_fs_exists(const char *path);

#endif
