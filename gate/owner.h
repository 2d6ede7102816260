// SPDX-License-Identifier: MIT
/* Who owns perfgate's named objects (cgroups, network namespaces, temp
 * directories): each process has a token "<pid>-<8 hex random>", unique
 * beyond the pid (a pid namespace reuses pids), and holds an flock on
 * PG_OWNER_DIR/<token> for its lifetime. The kernel drops the lock when the
 * process dies, SIGKILL included, so a later run can tell a dead owner's
 * leftovers (pg_owner_sweep) from a live run's objects. */
#ifndef PG_OWNER_H
#define PG_OWNER_H

#include <stddef.h>
#include <stdio.h>

#define PG_OWNER_DIR "/run/perfgate"

/* Make a private temp directory "$TMPDIR/perfgate-<kind>-<token>-XXXXXX"
 * (kind: "load", "ref", "duet"; another is EINVAL), its path into dir, so
 * that a sweep can remove it after a SIGKILL; -1 with errno set on
 * failure. */
int pg_owner_mkdtemp(const char *kind, char *dir, size_t n);

/* This process's token (made, and its lock taken, on first use). */
const char *pg_owner_token(void);

/* In a forked perfgate (the duet's second side): forget the parent's
 * token, so this process names its objects with one of its own (the
 * parent's counters would collide). */
void pg_owner_forked(void);
/* Remove this process's lock file now: for a process leaving with
 * _exit, which skips the atexit handler that does it. */
void pg_owner_release(void);

/* The token inside an object name "<prefix>-<pid>-<hex8>-<suffix>" into
 * out; -1 if name does not have that shape. */
int pg_owner_token_of(const char *name, char *out, size_t n);

/* 1 if the token's owner still runs (its lock is held), else 0. */
int pg_owner_alive(const char *token);

/* Remove the objects of dead owners: perfgate-* cgroups (their processes
 * killed), /run/netns/perfgate-* namespaces, $TMPDIR/perfgate-{load,ref,duet}-*
 * directories and stale lock files; never anything of a live owner or
 * anything not named by perfgate. One line on log when something went. */
void pg_owner_sweep(FILE *log);

#endif
