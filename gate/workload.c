// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int pg_workload_start(struct pg_workload *w, const struct pg_workload_cfg *c,
		      const struct pg_workload_opts *o, struct pg_err *err)
{
	struct pg_child_spec s = { "workload", c->cmd, NULL, -1, NULL, o->cpu, o->cwd, o->echo };
	char **env = NULL;
	int rc;

	if (o->grace_s > 0)
		w->grace_s = o->grace_s;
	w->target.port = pg_url_port(c->ready_url);
	rc = pg_cgroup_create(&w->target.cg, "workload", err);
	if (rc)
		goto out;
	if (c->isolate_network && (rc = pg_netns_create(&w->target.ns, c->drop_pct, err)))
		goto out;
	rc = pg_env_build_kv(&env, c->env, c->nenv, err);
	if (rc)
		goto out;
	s.envp = env;
	s.netns_fd = w->target.ns.fd;
	s.cgroup = w->target.cg.path;
	rc = pg_child_start(&w->child, &s, err);
	if (rc)
		goto out;
	w->target.pid = w->child.pid;
out:
	pg_env_free(env);
	if (rc)
		pg_workload_stop(w);
	return rc;
}

int pg_workload_attach(struct pg_workload *w, pid_t pid, const char *ready_url, struct pg_err *err)
{
	int rc;

	rc = pg_cgroup_of_pid(&w->target.cg, pid, err);
	if (!rc)
		rc = pg_netns_open_pid(&w->target.ns, pid, err);
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
	if (!w->child.pid || !pg_child_exited(&w->child))
		return 0;
	return died(w, phase, err);
}

int pg_workload_wait_ready(struct pg_workload *w, const char *url, double timeout_s,
			   struct pg_err *err)
{
	struct pg_http_opts o = PG_HTTP_OPTS_INIT;
	struct pg_err last = PG_ERR_INIT;
	double end = pg_now() + timeout_s;
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
		pg_sleep(0.02);
	}
	pg_child_tail(&w->child, tail, sizeof(tail));
	rc = pg_err_set(err, PG_EINFRA,
			"workload not ready within %g s: %.110s; its last output: '%s'", timeout_s,
			last.msg, tail);
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
}
