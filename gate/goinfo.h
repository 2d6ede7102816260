// SPDX-License-Identifier: MIT
/* The Go toolchain a workload binary was built with, read from the build
 * info Go 1.18+ links into every binary, and what it means for the
 * getrandom probes: Go 1.24+ on Linux 6.11+ calls getrandom through the
 * vDSO, which the syscall tracepoints never see. Pure reads; no state. */
#ifndef PG_GOINFO_H
#define PG_GOINFO_H

#include <stddef.h>

#include "err.h"

/* The version ("go1.19.8") of the Go binary at path into out. PG_EINPUT
 * when the file cannot be read or holds no (Go 1.18+) build info. */
int pg_goinfo_version(const char *path, char *out, size_t len, struct pg_err *err);

/* 1 when a binary of go_version ("go1.24.2") running on kernel_release
 * ("6.18.0-1-amd64") calls getrandom through the vDSO. */
int pg_goinfo_vdso_getrandom(const char *go_version, const char *kernel_release);

#endif
