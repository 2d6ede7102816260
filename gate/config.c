// SPDX-License-Identifier: MIT
/* perfgate.json: its top level, its scenarios and what each measures (the
 * workload, the load). The pieces live beside it: commands and environments
 * (config_cmd.c), run settings (config_run.c), gate rules (config_gate.c),
 * attached workloads (config_attach.c), finding the file (config_open.c). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "config.h"
#include "config_int.h"
#include "jpath.h"
#include "url.h"

#define CONFIG_MAX_BYTES (1 << 20)
#define MAX_RUNS 1000
#define MAX_DURATION_S 86400.0
#define MAX_NAME 128
/* a significance level above this would call noise a change */
#define MAX_ALPHA 0.5
#define AT_MAX PG_JPATH_MAX

static int check_url(struct pg_jctx *x, const char *path, const char *url)
{
	char origin[256];
	struct pg_err e = PG_ERR_INIT;

	if (pg_url_origin(url, origin, sizeof(origin), &e))
		return pg_jctx_fail(x, PG_EINPUT, "%s: %s", path, e.msg);
	return 0;
}

static int get_url(struct pg_jctx *x, json_t *obj, const char *at, const char *key, char **out)
{
	char path[AT_MAX];
	int rc;

	rc = pg_jctx_str(x, obj, at, key, out);
	if (rc || !*out)
		return rc;
	return check_url(x, pg_jpath_join(path, sizeof(path), at, key), *out);
}

/* perfgate measures a service it starts: a URL off this host would fetch
 * (and time) someone else's, silently. Loopback only, unless the scenario
 * says workload.allow_remote: true. */
static int check_local(struct pg_jctx *x, const struct pg_workload_cfg *w, const char *at,
		       const char *key, const char *url)
{
	char path[AT_MAX];

	if (!url || w->allow_remote || pg_url_is_loopback(url))
		return 0;
	return pg_jctx_fail(x, PG_EINPUT,
			    "%s is not on loopback; point it at the workload perfgate starts, or "
			    "set workload.allow_remote: true",
			    pg_jpath_join(path, sizeof(path), at, key));
}

static int parse_workload(struct pg_jctx *x, json_t *obj, const char *at, struct pg_workload_cfg *w)
{
	static const char *const keys[] = { "cmd",	    "ready_url",       "ready_timeout_s",
					    "env",	    "isolate_network", "drop_pct",
					    "allow_remote", "attach",	       NULL };
	char path[AT_MAX];
	int rc;

	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (!rc && json_object_get(obj, "attach"))
		rc = pg_config_parse_attach(x, obj, at, w);
	else if (!rc)
		rc = pg_config_get_cmd(x, obj, at, &w->cmd, &w->ncmd);
	if (!rc)
		rc = get_url(x, obj, at, "ready_url", &w->ready_url);
	if (!rc)
		rc = pg_jctx_required(x, w->ready_url, at, "ready_url");
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "ready_timeout_s", 0, 1, MAX_DURATION_S,
				 &w->ready_timeout_s);
	if (!rc)
		rc = pg_config_get_env(x, obj, at, &w->env, &w->nenv);
	if (!rc)
		rc = pg_jctx_bool(x, obj, at, "isolate_network", &w->isolate_network);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "drop_pct", 0, 0, 100, &w->drop_pct);
	if (!rc)
		rc = pg_jctx_bool(x, obj, at, "allow_remote", &w->allow_remote);
	if (!rc)
		rc = check_local(x, w, at, "ready_url", w->ready_url);
	if (rc)
		return rc;
	/* Dropping packets outside a namespace of our own would hit the host. */
	if (w->drop_pct > 0 && !w->isolate_network)
		return pg_jctx_fail(x, PG_EINPUT, "%s needs isolate_network: true",
				    pg_jpath_join(path, sizeof(path), at, "drop_pct"));
	return 0;
}

/* "warmup_s" is perfgate's extension to the contract: seconds of load
 * before the measured window, so JIT-free but cache-, pool- and GC-cold
 * first requests do not land in the numbers (default 2, 0 turns it off). */
static int parse_load(struct pg_jctx *x, json_t *obj, const char *at, struct pg_load_cfg *l)
{
	static const char *const keys[] = { "cmd", "duration_s", "warmup_s", "env", NULL };
	int rc;

	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (!rc)
		rc = pg_config_get_cmd(x, obj, at, &l->cmd, &l->ncmd);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "duration_s", 0, 1, MAX_DURATION_S, &l->duration_s);
	if (!rc)
		rc = pg_jctx_num(x, obj, at, "warmup_s", 0, 0, MAX_DURATION_S, &l->warmup_s);
	if (!rc)
		rc = pg_config_get_env(x, obj, at, &l->env, &l->nenv);
	if (!rc)
		rc = pg_jctx_strdup(x, x->dir, &l->dir);
	return rc;
}

/* Scenario names become directory names under baselines/: a safe charset,
 * and never "." or "..". */
static int valid_name(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n && !s[n] && n <= MAX_NAME && strcmp(s, ".") && strcmp(s, "..");
}

static int parse_scenario(struct pg_jctx *x, json_t *obj, const char *at, struct pg_scenario *s)
{
	static const char *const keys[] = { "name",	 "workload", "build", "mode", "paired",
					    "pprof_url", "load",     "gate",  NULL };
	char path[AT_MAX];
	json_t *w, *l;
	int rc;

	if (!json_is_object(obj))
		return pg_jctx_wrong_type(x, at, "an object", obj);
	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (!rc)
		rc = pg_jctx_str(x, obj, at, "name", &s->name);
	if (!rc)
		rc = pg_jctx_required(x, s->name, at, "name");
	if (!rc && !valid_name(s->name))
		rc = pg_jctx_fail(x, PG_EINPUT, "bad scenario name '%s' at %s; use [A-Za-z0-9._-]+",
				  s->name, pg_jpath_join(path, sizeof(path), at, "name"));
	if (!rc)
		rc = pg_jctx_member(x, obj, at, "workload", JSON_OBJECT, "an object", &w);
	if (!rc)
		rc = pg_jctx_required(x, w, at, "workload");
	if (!rc)
		rc = parse_workload(x, w, pg_jpath_join(path, sizeof(path), at, "workload"),
				    &s->workload);
	if (!rc)
		rc = get_url(x, obj, at, "pprof_url", &s->pprof_url);
	if (!rc)
		rc = check_local(x, &s->workload, at, "pprof_url", s->pprof_url);
	if (!rc)
		rc = pg_jctx_member(x, obj, at, "load", JSON_OBJECT, "an object", &l);
	if (!rc)
		rc = pg_jctx_required(x, l, at, "load");
	if (!rc)
		rc = parse_load(x, l, pg_jpath_join(path, sizeof(path), at, "load"), &s->load);
	if (!rc)
		rc = pg_config_parse_gate(x, obj, at, s);
	if (!rc)
		rc = pg_config_parse_build(x, obj, at, &s->build);
	if (!rc)
		rc = pg_config_parse_mode(x, obj, at, &s->mode, &s->paired);
	return rc;
}

static void scenario_defaults(struct pg_scenario *s, const struct pg_config *c)
{
	s->mode = c->mode;
	s->paired = c->paired;
	s->build.timeout_s = 600;
	s->workload.ready_timeout_s = 30;
	s->load.duration_s = 10;
	s->load.warmup_s = 2;
}

static int parse_scenarios(struct pg_jctx *x, json_t *root, struct pg_config *c)
{
	char at[AT_MAX];
	json_t *arr, *v;
	size_t i, j;
	int rc;

	rc = pg_jctx_member(x, root, "", "scenarios", JSON_ARRAY, "an array", &arr);
	if (!rc)
		rc = pg_jctx_required(x, arr, "", "scenarios");
	if (rc)
		return rc;
	if (!json_array_size(arr))
		return pg_jctx_fail(x, PG_EINPUT, "scenarios must not be empty");
	c->scenarios = calloc(json_array_size(arr), sizeof(*c->scenarios));
	if (!c->scenarios)
		return pg_err_nomem(x->err);
	c->nscenarios = json_array_size(arr);
	json_array_foreach (arr, i, v) {
		scenario_defaults(&c->scenarios[i], c);
		snprintf(at, sizeof(at), "scenarios[%zu]", i);
		rc = parse_scenario(x, v, at, &c->scenarios[i]);
		if (rc)
			return rc;
		for (j = 0; j < i; j++)
			if (!strcmp(c->scenarios[j].name, c->scenarios[i].name))
				return pg_jctx_fail(x, PG_EINPUT,
						    "duplicate scenario name '%s' at %s.name",
						    c->scenarios[i].name, at);
	}
	return 0;
}

static int parse_root(struct pg_jctx *x, json_t *root, struct pg_config *c)
{
	static const char *const keys[] = { "threshold_pct", "alpha",	    "runs",
					    "baselines_dir", "base_branch", "mode",
					    "paired",	     "scenarios",   NULL };
	double runs = c->runs;
	json_t *v;
	int rc;

	if (!json_is_object(root))
		return pg_jctx_fail(x, PG_EINPUT, "the top level must be an object, not %s",
				    pg_json_type_name(root));
	rc = pg_jctx_check_keys(x, root, "", keys);
	if (!rc)
		rc = pg_jctx_num(x, root, "", "threshold_pct", 0, 1, PG_THRESHOLD_MAX,
				 &c->threshold_pct);
	if (!rc)
		rc = pg_jctx_num(x, root, "", "alpha", 0, 1, MAX_ALPHA, &c->alpha);
	if (!rc)
		rc = pg_jctx_member(x, root, "", "runs", JSON_INTEGER, "an integer", &v);
	if (!rc)
		rc = pg_jctx_num(x, root, "", "runs", 1, 0, MAX_RUNS, &runs);
	if (rc)
		return rc;
	c->runs = (int)runs;
	rc = pg_jctx_str(x, root, "", "baselines_dir", &c->baselines_dir);
	if (!rc)
		rc = pg_jctx_str(x, root, "", "base_branch", &c->base_branch);
	if (!rc)
		rc = pg_config_parse_mode(x, root, "", &c->mode, &c->paired);
	if (!rc)
		rc = parse_scenarios(x, root, c);
	return rc;
}

void pg_config_init(struct pg_config *c)
{
	memset(c, 0, sizeof(*c));
	c->threshold_pct = PG_THRESHOLD_DEFAULT;
	c->alpha = PG_ALPHA_DEFAULT;
	c->runs = 3;
	c->paired.min_rounds = 3;
	c->paired.max_rounds = 10;
	c->paired.budget_s = 900;
	/* measured better than interleaving (README, bench-power.sh) */
	c->paired.duet = 1;
}

static void scenario_release(struct pg_scenario *s)
{
	size_t i;

	free(s->name);
	pg_config_free_argv(s->workload.cmd, s->workload.ncmd);
	free(s->workload.ready_url);
	pg_config_free_env(s->workload.env, s->workload.nenv);
	pg_attach_cfg_release(&s->workload.attach);
	free(s->pprof_url);
	pg_config_free_argv(s->load.cmd, s->load.ncmd);
	pg_config_free_env(s->load.env, s->load.nenv);
	free(s->load.dir);
	for (i = 0; s->gate && i < s->ngate; i++)
		free(s->gate[i].metric);
	free(s->gate);
	pg_config_free_argv(s->build.cmd, s->build.ncmd);
	pg_config_free_env(s->build.env, s->build.nenv);
}

void pg_config_release(struct pg_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; c->scenarios && i < c->nscenarios; i++)
		scenario_release(&c->scenarios[i]);
	free(c->scenarios);
	free(c->path);
	free(c->dir);
	free(c->baselines_dir);
	free(c->base_branch);
	pg_config_init(c);
}

/* The parser behind both entry points; name starts every message. On
 * failure c is released (back to its defaults), so callers need no
 * cleanup of a half-filled config. */
/* What a config has before its file is read: its directory and the
 * defaults of the keys that name places. */
static int set_defaults(struct pg_jctx *x, struct pg_config *c, const char *dir)
{
	int rc;

	rc = pg_jctx_strdup(x, dir, &c->dir);
	if (!rc)
		rc = pg_jctx_strdup(x, "baselines", &c->baselines_dir);
	if (!rc)
		rc = pg_jctx_strdup(x, "main", &c->base_branch);
	return rc;
}

static int parse_named(struct pg_config *c, const char *text, size_t len, const char *dir,
		       const char *name, struct pg_err *err)
{
	struct pg_jctx x = { name, NULL, err };
	json_error_t jerr;
	json_t *root = NULL;
	char cwd[PATH_MAX];
	int rc;

	pg_config_release(c);
	if (!dir)
		dir = getcwd(cwd, sizeof(cwd)) ? cwd : "/";
	rc = set_defaults(&x, c, dir[0] ? dir : ".");
	if (rc)
		goto out;
	x.dir = c->dir;
	if (len > CONFIG_MAX_BYTES) {
		rc = pg_jctx_fail(&x, PG_EINPUT, "larger than %d bytes", CONFIG_MAX_BYTES);
		goto out;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!root) {
		rc = pg_jctx_fail(&x, PG_EINPUT,
				  "invalid JSON at line %d column %d: %s; fix it there", jerr.line,
				  jerr.column, jerr.text);
		goto out;
	}
	rc = parse_root(&x, root, c);
out:
	json_decref(root);
	if (rc)
		pg_config_release(c);
	return rc;
}

int pg_config_parse(struct pg_config *c, const char *text, size_t len, const char *dir,
		    struct pg_err *err)
{
	return parse_named(c, text, len, dir, "config", err);
}

int pg_config_load(struct pg_config *c, const char *path, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(CONFIG_MAX_BYTES);
	char *copy = NULL, *slash, *dir = NULL;
	int rc;

	rc = pg_buf_read_file(&b, path, err);
	if (rc)
		goto out;
	copy = strdup(path);
	if (!copy) {
		rc = pg_err_nomem(err);
		goto out;
	}
	slash = strrchr(copy, '/');
	if (slash)
		slash[slash == copy] = '\0';
	dir = realpath(slash ? copy : ".", NULL);
	if (!dir) {
		rc = pg_err_set(err, PG_EINPUT, "cannot resolve the directory of '%s'", path);
		goto out;
	}
	rc = parse_named(c, b.data, b.len, dir, path, err);
	if (!rc) {
		c->path = strdup(path);
		if (!c->path)
			rc = pg_err_nomem(err);
	}
out:
	if (rc)
		pg_config_release(c);
	free(dir);
	free(copy);
	pg_buf_release(&b);
	return rc;
}

int pg_config_scenario(const struct pg_config *c, const char *name, const struct pg_scenario **out,
		       struct pg_err *err)
{
	const char *file = c->path ? c->path : "config";
	size_t i;

	*out = NULL;
	if (!name && c->nscenarios == 1) {
		*out = &c->scenarios[0];
		return 0;
	}
	if (!name)
		return pg_err_set(err, PG_EUSAGE,
				  "%s has %zu scenarios; choose one with -s (e.g. -s '%s')", file,
				  c->nscenarios, c->nscenarios ? c->scenarios[0].name : "");
	for (i = 0; i < c->nscenarios; i++) {
		if (!strcmp(c->scenarios[i].name, name)) {
			*out = &c->scenarios[i];
			return 0;
		}
	}
	return pg_err_set(err, PG_EUSAGE, "no scenario '%s' in %s; check -s", name, file);
}
