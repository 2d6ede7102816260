// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cgroup.h"
#include "child.h"
#include "clock.h"
#include "env.h"
#include "loadrun.h"
#include "owner.h"
#include "sig.h"

/* perfgate's environment + workload.env + load.env + the contract's
 * variables: later ones win, so load.env can differ from the workload's and
 * a scenario cannot override the contract's by accident. */
static int load_env(char ***out, const struct pg_loadrun *r, const char *metrics,
		    struct pg_err *err)
{
	const struct pg_load_cfg *c = r->cfg;
	size_t i, n = 0, max = r->nworkload_env + c->nenv + 3;
	const char **keys, **vals;
	char dur[32];
	int rc;

	keys = calloc(max, sizeof(*keys));
	vals = calloc(max, sizeof(*vals));
	if (!keys || !vals) {
		rc = pg_err_nomem(err);
		goto out;
	}
	for (i = 0; i < r->nworkload_env; i++, n++) {
		keys[n] = r->workload_env[i].key;
		vals[n] = r->workload_env[i].value;
	}
	for (i = 0; i < c->nenv; i++, n++) {
		keys[n] = c->env[i].key;
		vals[n] = c->env[i].value;
	}
	snprintf(dur, sizeof(dur), "%g", r->duration_s);
	keys[n] = "PERFGATE_TARGET_URL", vals[n++] = r->target_url;
	keys[n] = "PERFGATE_DURATION_S", vals[n++] = dur;
	keys[n] = "PERFGATE_METRICS_FILE", vals[n++] = metrics;
	rc = pg_env_build(out, keys, vals, n, err);
out:
	free(keys);
	free(vals);
	return rc;
}

/* A private directory holding the metrics file: scripts may delete and
 * re-create the file, and nobody else can slip one in. */
static int make_tmp(char *dir, size_t n, char *path, size_t pn, struct pg_err *err)
{
	int fd;

	if (pg_owner_mkdtemp("load", dir, n))
		return pg_err_set(err, PG_EINFRA,
				  "cannot create a temporary directory for the load: %s",
				  strerror(errno));
	if (snprintf(path, pn, "%s/metrics.json", dir) >= (int)pn)
		return pg_err_set(err, PG_EINFRA, "the temporary directory '%s' is too long", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return pg_err_set(err, PG_EINFRA, "cannot create '%s': %s", path, strerror(errno));
	close(fd);
	return 0;
}

/* Wait for the script, calling tick; bounded by duration + margin. */
static int wait_load(struct pg_child *c, const struct pg_loadrun *r, struct pg_err *err)
{
	double start = pg_now(), limit = r->duration_s + PG_LOAD_MARGIN_S;
	char how[80], tail[120];
	int w;

	for (;;) {
		w = pg_child_wait(c, 0.25);
		if (w < 0)
			return pg_err_interrupted(err);
		if (w > 0)
			break;
		if (pg_now() - start > limit)
			return pg_err_set(err, PG_EINFRA,
					  "load script still running %g s after its %g s; "
					  "check that it honours PERFGATE_DURATION_S",
					  limit - r->duration_s, r->duration_s);
		if (r->tick)
			r->tick(r->tick_arg, r->duration_s - (pg_now() - start));
	}
	if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0)
		return 0;
	pg_child_describe(c, how, sizeof(how));
	pg_child_tail(c, tail, sizeof(tail));
	return pg_err_set(err, PG_EINFRA, "load script %s; its last output: '%s'", how, tail);
}

/* A run that served nothing has no per-request figures: the script must
 * report a positive "requests". */
static int check_requests(const struct pg_loadmetric *m, size_t n, struct pg_err *err)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].key, "requests"))
			break;
	if (i < n && m[i].value > 0)
		return 0;
	return pg_err_set(err, PG_EINFRA,
			  "load script reported %s requests; its metrics file needs a "
			  "positive \"requests\"",
			  i == n ? "no" : "zero");
}

static int read_metrics(const char *path, struct pg_loadmetric **out, size_t *n, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	struct pg_err perr = PG_ERR_INIT;
	int rc;

	rc = access(path, F_OK) < 0 ? PG_EINFRA : pg_buf_read_file(&b, path, &perr);
	if (rc || b.len == 0) {
		rc = pg_err_set(err, PG_EINFRA,
				"load script wrote no metrics to PERFGATE_METRICS_FILE%s%.120s",
				perr.msg[0] ? ": " : "", perr.msg);
		goto out;
	}
	rc = pg_loadmetrics_parse(out, n, b.data, b.len, &perr);
	if (rc) {
		rc = rc == PG_ENOMEM
			     ? pg_err_nomem(err)
			     : pg_err_set(err, PG_EINFRA,
					  "load script's metrics file is malformed: %s", perr.msg);
		goto out;
	}
	rc = check_requests(*out, *n, err);
	if (rc) {
		pg_loadmetrics_free(*out, *n);
		*out = NULL;
	}
out:
	pg_buf_release(&b);
	return rc;
}

int pg_loadrun(const struct pg_loadrun *r, struct pg_loadmetric **out, size_t *n,
	       struct pg_err *err)
{
	struct pg_child_spec s = { .what = "load script",
				   .argv = r->cfg->cmd,
				   .netns_fd = r->netns_fd,
				   .cpu = r->cpu,
				   .cwd = r->cfg->dir,
				   .echo = r->echo };
	struct pg_cgroup cg = PG_CGROUP_INIT;
	struct pg_child c;
	char dir[4096] = "", metrics[4200] = "";
	char **env = NULL;
	int rc;

	pg_child_init(&c);
	rc = make_tmp(dir, sizeof(dir), metrics, sizeof(metrics), err);
	if (rc)
		goto out;
	rc = load_env(&env, r, metrics, err);
	if (rc)
		goto out;
	s.envp = env;
	/* a cgroup of its own: what the script leaves behind (`sleep &`,
	 * `setsid wrk &`) is killed with it, as the workload's is */
	if (!r->no_cgroup) {
		rc = pg_cgroup_create(&cg, "load", err);
		if (rc)
			goto out;
		s.cgroup = cg.path;
	}
	rc = pg_child_start(&c, &s, err);
	if (rc)
		goto out;
	rc = wait_load(&c, r, err);
	if (rc || !out)
		goto out;
	rc = read_metrics(metrics, out, n, err);
out:
	pg_child_release(&c);
	pg_cgroup_release(&cg);
	pg_env_free(env);
	if (metrics[0])
		unlink(metrics);
	if (dir[0])
		rmdir(dir);
	return rc;
}
