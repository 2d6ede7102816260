// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "clock.h"
#include "env.h"
#include "http.h"
#include "sig.h"
#include "url.h"
#include "workload.h"

void pg_workload_init(struct pg_workload *w)
{
	memset(w, 0, sizeof(*w));
	w->target.ns.fd = -1;
	pg_child_init(&w->child);
	w->grace_s = 3;
}

static int attach_measured(struct pg_workload *w, const struct pg_attach_cfg *a,
			   const char *ready_url, struct pg_err *err);

int pg_workload_start(struct pg_workload *w, const struct pg_workload_cfg *c,
		      const struct pg_workload_opts *o, struct pg_err *err)
{
	struct pg_child_spec s = { "workload", c->cmd, NULL, -1, NULL, o->cpu, o->cwd, o->echo };
	int rc;

	if (c->attach.kind != PG_ATTACH_NONE)
		return attach_measured(w, &c->attach, c->ready_url, err);
	if (o->grace_s > 0)
		w->grace_s = o->grace_s;
	w->target.port = pg_url_port(c->ready_url);
	rc = o->bare ? 0 : pg_cgroup_create(&w->target.cg, "workload", err);
	if (rc)
		goto out;
	if (!o->bare && c->isolate_network &&
	    (rc = pg_netns_create(&w->target.ns, c->drop_pct, err)))
		goto out;
	s.netns_fd = w->target.ns.fd;
	s.cgroup = w->target.cg.path[0] ? w->target.cg.path : NULL;
	rc = pg_child_start_kv(&w->child, &s, c->env, c->nenv, err);
	if (rc)
		goto out;
	w->target.pid = w->child.pid;
out:
	if (rc)
		pg_workload_stop(w);
	return rc;
}

/* Fields 14 and 15 of /proc/PID/stat, after the command name (which may
 * hold spaces and parentheses, hence the last ')'). */
static int proc_cpu_usec(pid_t pid, uint64_t *out, struct pg_err *err)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || hz <= 0 ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return pg_err_set(err, PG_EINFRA, "cannot read the workload's CPU time from '%s'",
				  path);
	*out = (uint64_t)(ut + st) * 1000000u / (uint64_t)hz;
	return 0;
}

int pg_workload_cpu_usec(const struct pg_workload *w, uint64_t *out, struct pg_err *err)
{
	if (w->target.cg.path[0])
		return pg_cgroup_cpu_usec(&w->target.cg, out, err);
	return proc_cpu_usec(w->target.pid, out, err);
}

/* Borrow cgroup cg and the network namespace of pid in it. */
static int attach_at(struct pg_workload *w, const char *cg, pid_t pid, const char *ready_url,
		     struct pg_err *err)
{
	int rc;

	rc = cg ? pg_cgroup_open(&w->target.cg, cg, err)
		: pg_cgroup_of_pid(&w->target.cg, pid, err);
	if (!rc && (rc = pg_netns_open_pid(&w->target.ns, pid, err)) && geteuid() != 0)
		rc = pg_err_set(err, PG_EINFRA,
				"no permission to open the network namespace of pid %d; run "
				"perfgate as root (CAP_SYS_PTRACE to open it, CAP_SYS_ADMIN to "
				"enter it, CAP_BPF and CAP_PERFMON for the probes)",
				(int)pid);
	if (rc) {
		pg_workload_stop(w);
		return rc;
	}
	/* Sharing perfgate's namespace: no isolation to lean on. */
	if (w->target.ns.ino == pg_netns_self_ino()) {
		pg_netns_release(&w->target.ns);
		w->target.port = ready_url ? pg_url_port(ready_url) : 0;
	}
	w->target.pid = pid;
	return 0;
}

int pg_workload_attach(struct pg_workload *w, pid_t pid, const char *ready_url, struct pg_err *err)
{
	snprintf(w->attached, sizeof(w->attached), "process %d", (int)pid);
	return attach_at(w, NULL, pid, ready_url, err);
}

int pg_workload_attach_cfg(struct pg_workload *w, const struct pg_attach_cfg *a,
			   const char *ready_url, struct pg_err *err)
{
	struct pg_attach_found f;
	int rc;

	pg_attach_describe(a, w->attached, sizeof(w->attached));
	rc = pg_attach_resolve_host(&f, a, err);
	return rc ? rc : attach_at(w, f.cgroup, f.pid, ready_url, err);
}

/* A target to measure: its cgroup's CPU time is the workload's, so the
 * root, which holds the whole host, will not do (probe, which only
 * filters on the cgroup, warns instead). */
static int attach_measured(struct pg_workload *w, const struct pg_attach_cfg *a,
			   const char *ready_url, struct pg_err *err)
{
	int rc;

	rc = pg_workload_attach_cfg(w, a, ready_url, err);
	if (!rc && w->target.cg.level == 0) {
		rc = pg_err_set(err, PG_EINFRA,
				"%s is in the root cgroup v2, with the whole host (on a hybrid "
				"host, also where a cgroup v1-only process sits); run it in a "
				"cgroup v2 of its own",
				w->attached);
		pg_workload_stop(w);
	}
	return rc;
}

static int died(struct pg_workload *w, const char *phase, struct pg_err *err)
{
	char how[80], tail[120];

	pg_child_describe(&w->child, how, sizeof(how));
	pg_child_tail(&w->child, tail, sizeof(tail));
	return pg_err_set(err, PG_EINFRA, "workload %s %s; its last output: '%s'", how, phase,
			  tail);
}

int pg_workload_check(struct pg_workload *w, const char *phase, struct pg_err *err)
{
	if (w->attached[0] && w->target.cg.path[0] && !pg_cgroup_populated(&w->target.cg))
		return pg_err_set(err, PG_EINFRA,
				  "the attached %s is gone %s (its cgroup is empty or removed); "
				  "check why it stopped",
				  w->attached, phase);
	if (!w->child.pid || !pg_child_exited(&w->child))
		return 0;
	return died(w, phase, err);
}
/* Shorten msg in place to at most n bytes at a word boundary, marking the
 * cut: a curl error cut mid-word reads as a different error. */
static const char *cut_words(char *msg, size_t n)
{
	char *sp;

	if (strlen(msg) <= n)
		return msg;
	msg[n - 3] = '\0';
	sp = strrchr(msg, ' ');
	if (sp && sp > msg + n / 2)
		*sp = '\0';
	memcpy(msg + strlen(msg), "...", 4);
	return msg;
}

int pg_workload_wait_ready(struct pg_workload *w, const char *url, double timeout_s,
			   struct pg_err *err)
{
	struct pg_http_opts o = PG_HTTP_OPTS_INIT;
	struct pg_err last = PG_ERR_INIT;
	double end = pg_now() + timeout_s, pause = 0.002;
	struct pg_buf body = PG_BUF_INIT(1 << 16);
	char tail[80];
	int rc;

	o.netns_fd = w->target.ns.fd;
	for (;;) {
		if (pg_sig_pending()) {
			rc = pg_err_interrupted(err);
			goto out;
		}
		rc = pg_workload_check(w, "before it was ready", err);
		if (rc)
			goto out;
		o.timeout_s = end - pg_now() < 1 ? end - pg_now() : 1;
		if (o.timeout_s <= 0)
			break;
		body.len = 0;
		if (!pg_http_get(url, &o, &body, NULL, &last))
			goto out;
		/* Most services answer within a few ms of binding: poll fast
		 * first, then back off to 20 ms so a slow start is not spun on. */
		pg_sleep(pause);
		pause = pause * 2 < 0.02 ? pause * 2 : 0.02;
	}
	pg_child_tail(&w->child, tail, sizeof(tail));
	rc = pg_err_set(err, PG_EINFRA, "workload not ready within %g s: %s; its last output: '%s'",
			timeout_s, cut_words(last.msg, 110), tail);
out:
	pg_buf_release(&body);
	return rc;
}

void pg_workload_stop(struct pg_workload *w)
{
	if (!w)
		return;
	pg_child_stop(&w->child, w->grace_s);
	pg_child_release(&w->child);
	pg_cgroup_release(&w->target.cg);
	pg_netns_release(&w->target.ns);
	w->target.pid = 0;
	w->attached[0] = '\0';
}
