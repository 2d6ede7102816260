// SPDX-License-Identifier: MIT
/* Child processes perfgate starts (the workload, the load script): placed in
 * a cgroup v2 and a network namespace *before* exec, in a process group of
 * their own (so a terminal's ^C reaches perfgate, which then stops them in
 * order), with stdout/stderr drained by a thread into a small ring buffer
 * whose tail explains a failure. struct pg_child is owned by the caller;
 * pg_child_release stops, reaps and frees everything it made. */
#ifndef PG_CHILD_H
#define PG_CHILD_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define PG_CHILD_TAIL 4096

struct pg_child_spec {
	const char *what;   /* "workload", "load script": for messages */
	char *const *argv;  /* argv[0] is looked up in PATH if it has no '/' */
	char *const *envp;  /* complete environment */
	int netns_fd;	    /* -1: perfgate's network namespace */
	const char *cgroup; /* cgroup v2 directory to join, or NULL */
	int cpu;	    /* -1: no pinning; else pin to this CPU */
	const char *cwd;    /* NULL: perfgate's */
	int echo;	    /* also copy the output to perfgate's stderr */
};

struct pg_child {
	char what[32];
	pid_t pid;  /* 0: none */
	int status; /* wait status, valid once reaped */
	int reaped;
	int out_fd; /* read end of the output pipe */
	int echo;
	pthread_t reader;
	int has_reader;
	volatile int stop_reader;
	volatile int reader_done; /* EOF seen: the ring holds all output */
	pthread_mutex_t lock;
	char ring[PG_CHILD_TAIL];
	size_t ring_len; /* total bytes ever written, ring index = len % size */
};

void pg_child_init(struct pg_child *c);

/* Fork and exec. Setup failures in the child (setns, cgroup, exec) come
 * back as PG_EINFRA naming the step, not as a mysterious exit status. */
int pg_child_start(struct pg_child *c, const struct pg_child_spec *s, struct pg_err *err);

/* argv[0] as execvp would find it (what names it in the error), into out:
 * the path as given when it has a '/', else the first match in PATH. */
int pg_child_find_exe(const char *name, char *out, size_t n, const char *what, struct pg_err *err);

/* The same with s->envp ignored: the child gets perfgate's environment
 * (env.h: secrets left out) with the n pairs of kv set on top. */
struct pg_kv;
int pg_child_start_kv(struct pg_child *c, const struct pg_child_spec *s, const struct pg_kv *kv,
		      size_t n, struct pg_err *err);

/* 1 if the child has exited (reaping it), 0 if it still runs. */
int pg_child_exited(struct pg_child *c);

/* Wait up to timeout_s for the child to exit, polling pg_sig_pending().
 * 1: exited; 0: timed out; -1: a signal arrived. */
int pg_child_wait(struct pg_child *c, double timeout_s);

/* "exited with status 2" / "was killed by signal 9". */
void pg_child_describe(const struct pg_child *c, char *out, size_t n);

/* The last output, on one line, trimmed to at most n - 1 bytes (keeping the
 * end), "(no output)" if there was none. Once the child is reaped, waits
 * (briefly) for the reader to drain what it wrote. */
void pg_child_tail(struct pg_child *c, char *out, size_t n);

/* SIGTERM to its process group, up to grace_s for it to go, then SIGKILL;
 * reap. NULL-safe, idempotent. */
void pg_child_stop(struct pg_child *c, double grace_s);

/* Stop (with a short grace), join the reader, close. */
void pg_child_release(struct pg_child *c);

#endif
