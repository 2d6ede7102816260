// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "env.h"
#include "clock.h"
#include "secret.h"
#include "sig.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* What the child reports through the exec pipe when a setup step fails. */
enum step { STEP_STDIO = 1, STEP_CGROUP, STEP_NETNS, STEP_CPU, STEP_CWD, STEP_EXEC };

struct report {
	int step;
	int errnum;
};

void pg_child_init(struct pg_child *c)
{
	memset(c, 0, sizeof(*c));
	c->out_fd = -1;
	pthread_mutex_init(&c->lock, NULL);
}

static void ring_put(struct pg_child *c, const char *p, size_t n)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < n; i++)
		c->ring[(c->ring_len + i) % PG_CHILD_TAIL] = p[i];
	c->ring_len += n;
	pthread_mutex_unlock(&c->lock);
}

/* Drain the child's output until EOF or until told to stop; polling with a
 * timeout because a grandchild may keep the pipe open after the child. */
static void *reader_main(void *arg)
{
	struct pg_child *c = arg;
	struct pollfd pfd = { c->out_fd, POLLIN, 0 };
	char chunk[4097];
	ssize_t n;

	while (!c->stop_reader) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(c->out_fd, chunk, sizeof(chunk) - 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		ring_put(c, chunk, (size_t)n);
		if (!c->echo)
			continue;
		/* masked per chunk: a secret split across two reads is the
		 * one case that escapes (the tail is masked whole) */
		chunk[n] = '\0';
		pg_secret_mask(chunk);
		if (write(STDERR_FILENO, chunk, strlen(chunk)) < 0)
			c->echo = 0;
	}
	c->reader_done = 1;
	return NULL;
}

/* Runs in the forked child: only async-signal-safe calls from here on. */
static void child_main(const struct pg_child_spec *s, const char *path, int cg_fd, int out_fd,
		       int rep_fd)
{
	struct report r = { 0, 0 };
	int devnull = open("/dev/null", O_RDONLY);
	cpu_set_t set;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	r.step = STEP_STDIO;
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		goto fail;
	r.step = STEP_CGROUP;
	if (cg_fd >= 0 && write(cg_fd, "0", 1) != 1)
		goto fail;
	r.step = STEP_NETNS;
	if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) < 0)
		goto fail;
	r.step = STEP_CPU;
	CPU_ZERO(&set);
	if (s->cpu >= 0 && s->cpu < CPU_SETSIZE)
		CPU_SET(s->cpu, &set);
	if (s->cpu >= 0 && sched_setaffinity(0, sizeof(set), &set) < 0)
		goto fail;
	r.step = STEP_CWD;
	if (s->cwd && chdir(s->cwd) < 0)
		goto fail;
	r.step = STEP_EXEC;
	/* Nothing of perfgate's (sockets, BPF, namespaces) leaks into it. */
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(path, s->argv, s->envp);
fail:
	r.errnum = errno;
	if (write(rep_fd, &r, sizeof(r)) < 0)
		r.errnum = 0;
	_exit(127);
}

int pg_child_find_exe(const char *name, char *out, size_t n, const char *what, struct pg_err *err)
{
	const char *path = getenv("PATH"), *p, *end;
	size_t len;

	if (strchr(name, '/')) {
		if (snprintf(out, n, "%s", name) >= (int)n)
			return pg_err_set(err, PG_EINPUT, "%s path '%s' is too long", what, name);
		return 0;
	}
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		len = (size_t)(end - p);
		if (snprintf(out, n, "%.*s/%s", (int)len, len ? p : ".", name) < (int)n &&
		    access(out, X_OK) == 0)
			return 0;
	}
	return pg_err_set(err, PG_EINFRA, "cannot run %s '%s': not found in PATH", what, name);
}

static const char *step_name(int step)
{
	static const char *const names[] = { "",
					     "set up its output",
					     "join its cgroup",
					     "join its network namespace",
					     "pin its CPU",
					     "enter its directory" };

	return step > 0 && step < STEP_EXEC ? names[step] : "start it";
}

/* The child's setup report: nothing means exec succeeded. */
static int read_report(struct pg_child *c, int rep_fd, const struct pg_child_spec *s,
		       struct pg_err *err)
{
	struct report r;
	ssize_t n;

	do
		n = read(rep_fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r))
		return 0;
	waitpid(c->pid, &c->status, 0);
	c->reaped = 1;
	if (r.step == STEP_EXEC)
		return pg_err_set(err, PG_EINFRA, "cannot run %s '%s': %s", s->what, s->argv[0],
				  strerror(r.errnum));
	return pg_err_set(err, PG_EINFRA, "cannot start %s '%s': cannot %s: %s", s->what,
			  s->argv[0], step_name(r.step), strerror(r.errnum));
}

static int open_cgroup_procs(const char *dir, struct pg_err *err)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= (int)sizeof(path))
		return pg_err_set(err, PG_EINPUT, "cgroup path '%s' is too long", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return pg_err_set(err, PG_EINFRA, "cannot open '%s': %s; run as root", path,
				  strerror(errno));
	return fd;
}

int pg_child_start(struct pg_child *c, const struct pg_child_spec *s, struct pg_err *err)
{
	int out[2] = { -1, -1 }, rep[2] = { -1, -1 }, cg_fd = -1;
	char path[PATH_MAX];
	int rc;

	snprintf(c->what, sizeof(c->what), "%s", s->what);
	c->echo = s->echo;
	rc = pg_child_find_exe(s->argv[0], path, sizeof(path), s->what, err);
	if (rc)
		goto out;
	if (s->cgroup && (rc = cg_fd = open_cgroup_procs(s->cgroup, err)) < 0)
		goto out;
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0) {
		rc = pg_err_set(err, PG_EINFRA, "cannot make a pipe: %s", strerror(errno));
		goto out;
	}
	c->pid = fork();
	if (c->pid < 0) {
		c->pid = 0;
		rc = pg_err_set(err, PG_EINFRA, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (c->pid == 0)
		child_main(s, path, cg_fd, out[1], rep[1]);
	close(rep[1]);
	rep[1] = -1;
	rc = read_report(c, rep[0], s, err);
	if (rc)
		goto out;
	c->out_fd = out[0];
	out[0] = -1;
	if (pthread_create(&c->reader, NULL, reader_main, c) == 0)
		c->has_reader = 1;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (rep[i] >= 0)
			close(rep[i]);
	}
	if (cg_fd >= 0)
		close(cg_fd);
	return rc < 0 ? rc : 0;
}

int pg_child_exited(struct pg_child *c)
{
	pid_t r;

	if (!c->pid || c->reaped)
		return 1;
	r = waitpid(c->pid, &c->status, WNOHANG);
	if (r == c->pid || (r < 0 && errno == ECHILD)) {
		c->reaped = 1;
		return 1;
	}
	return 0;
}

int pg_child_wait(struct pg_child *c, double timeout_s)
{
	double end = pg_now() + timeout_s;

	for (;;) {
		if (pg_child_exited(c))
			return 1;
		if (pg_sig_pending())
			return -1;
		if (pg_now() >= end)
			return 0;
		pg_sleep(0.01);
	}
}

void pg_child_describe(const struct pg_child *c, char *out, size_t n)
{
	if (!c->reaped)
		snprintf(out, n, "is still running");
	else if (WIFEXITED(c->status))
		snprintf(out, n, "exited with status %d", WEXITSTATUS(c->status));
	else if (WIFSIGNALED(c->status))
		snprintf(out, n, "was killed by signal %d (%s)", WTERMSIG(c->status),
			 strsignal(WTERMSIG(c->status)));
	else
		snprintf(out, n, "stopped (wait status %#x)", c->status);
}

/* Copy the ring's last bytes into out, newlines and control bytes turned
 * into spaces so the error stays on one line. */
void pg_child_tail(struct pg_child *c, char *out, size_t n)
{
	size_t avail, take, i, j = 0, start, end;
	double until = pg_now() + 0.5;
	char ch;

	/* A grandchild may hold the pipe open: wait for EOF, but not long. */
	while (c->reaped && c->has_reader && !c->reader_done && pg_now() < until)
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	pthread_mutex_lock(&c->lock);
	end = c->ring_len;
	avail = end < PG_CHILD_TAIL ? end : PG_CHILD_TAIL;
	while (avail && (c->ring[(end - 1) % PG_CHILD_TAIL] == '\n'))
		end--, avail--;
	take = avail < n - 1 ? avail : n - 1;
	start = end - take;
	for (i = 0; i < take; i++) {
		ch = c->ring[(start + i) % PG_CHILD_TAIL];
		out[j++] = (ch < 32 || ch == 127) ? ' ' : ch;
	}
	pthread_mutex_unlock(&c->lock);
	out[j] = '\0';
	/* the tail goes into messages, stderr and result.json */
	pg_secret_mask(out);
	if (!j)
		snprintf(out, n, "(no output)");
}

void pg_child_stop(struct pg_child *c, double grace_s)
{
	double end;

	if (!c || !c->pid || c->reaped)
		return;
	kill(-c->pid, SIGTERM);
	kill(c->pid, SIGTERM);
	for (end = pg_now() + grace_s; pg_now() < end;) {
		if (pg_child_exited(c))
			break;
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	}
	/* The group too: a script's own children (wrk under bash). */
	kill(-c->pid, SIGKILL);
	if (!c->reaped) {
		kill(c->pid, SIGKILL);
		while (waitpid(c->pid, &c->status, 0) < 0 && errno == EINTR)
			;
		c->reaped = 1;
	}
}

void pg_child_release(struct pg_child *c)
{
	if (!c)
		return;
	pg_child_stop(c, 1.0);
	if (c->has_reader) {
		c->stop_reader = 1;
		pthread_join(c->reader, NULL);
		c->has_reader = 0;
	}
	if (c->out_fd >= 0)
		close(c->out_fd);
	c->out_fd = -1;
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_init(&c->lock, NULL);
}

int pg_child_start_kv(struct pg_child *c, const struct pg_child_spec *s, const struct pg_kv *kv,
		      size_t n, struct pg_err *err)
{
	struct pg_child_spec with = *s;
	char **env = NULL;
	int rc;

	rc = pg_env_build_kv(&env, kv, n, err);
	if (rc)
		return rc;
	with.envp = env;
	rc = pg_child_start(c, &with, err);
	pg_env_free(env);
	return rc;
}
