/* workload.attach: exactly one target, each checked against the characters
 * its kind allows, so a name can never walk out of the directory the
 * resolver (attach.c) looks it up in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"

#define MAX_PID 4194304 /* PID_MAX_LIMIT on 64-bit */

static const char *const engines[] = { "podman", "docker", "containerd", "cri-o", NULL };

/* Container names and IDs ([a-zA-Z0-9][a-zA-Z0-9_.-]* for podman and
 * docker names, hex for IDs), Kubernetes names (DNS labels and
 * subdomains) and pod UIDs all fit this. */
static int valid_name(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

	return n && !s[n] && n <= 253 && s[0] != '.' && s[0] != '-';
}

static int set_str(char **out, const char *s, size_t n, struct pg_err *err)
{
	free(*out);
	*out = strndup(s, n);
	return *out ? 0 : pg_err_nomem(err);
}

int pg_attach_parse_container(struct pg_attach_cfg *a, const char *spec, const char *what,
			      struct pg_err *err)
{
	const char *colon = strchr(spec, ':');
	size_t i;
	int rc;

	for (i = 0; colon && engines[i]; i++)
		if (strlen(engines[i]) == (size_t)(colon - spec) &&
		    !strncmp(spec, engines[i], (size_t)(colon - spec)))
			break;
	if (!colon || !engines[i])
		return pg_err_set(err, PG_EINPUT,
				  "%s '%.80s' names no known engine; use podman:NAME, docker:ID, "
				  "containerd:ID or cri-o:ID",
				  what, spec);
	if (!valid_name(colon + 1))
		return pg_err_set(err, PG_EINPUT,
				  "%s '%.80s' has a bad name or ID; use [A-Za-z0-9_.-]", what,
				  spec);
	a->kind = PG_ATTACH_CONTAINER;
	rc = set_str(&a->engine, engines[i], strlen(engines[i]), err);
	if (!rc)
		rc = set_str(&a->id, colon + 1, strlen(colon + 1), err);
	return rc;
}

int pg_attach_parse_pod(struct pg_attach_cfg *a, const char *spec, const char *what,
			struct pg_err *err)
{
	const char *s1 = strchr(spec, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	int rc;

	a->kind = PG_ATTACH_POD;
	rc = s1 ? set_str(&a->pod_ns, spec, (size_t)(s1 - spec), err) : 0;
	if (!rc && s1)
		rc = set_str(&a->pod_name, s1 + 1, s2 ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1),
			     err);
	if (!rc && s2)
		rc = set_str(&a->container, s2 + 1, strlen(s2 + 1), err);
	if (rc)
		return rc;
	if (!s1 || !valid_name(a->pod_ns) || !valid_name(a->pod_name) ||
	    (a->container && !valid_name(a->container)))
		return pg_err_set(err, PG_EINPUT,
				  "%s '%.80s' is not NAMESPACE/NAME[/CONTAINER] of Kubernetes "
				  "names",
				  what, spec);
	return 0;
}

int pg_attach_parse_pod_uid(struct pg_attach_cfg *a, const char *spec, const char *what,
			    struct pg_err *err)
{
	a->kind = PG_ATTACH_POD_UID;
	if (!valid_name(spec))
		return pg_err_set(err, PG_EINPUT, "%s '%.80s' is not a pod UID", what, spec);
	return set_str(&a->id, spec, strlen(spec), err);
}

void pg_attach_cfg_release(struct pg_attach_cfg *a)
{
	if (!a)
		return;
	free(a->path);
	free(a->engine);
	free(a->id);
	free(a->pod_ns);
	free(a->pod_name);
	free(a->container);
	memset(a, 0, sizeof(*a));
}

/* A name-like string member: present, a string, valid_name. */
static int get_name(struct pg_jctx *x, json_t *obj, const char *at, const char *key, int required,
		    char **out)
{
	char path[PG_JPATH_MAX];
	int rc;

	rc = pg_jctx_str(x, obj, at, key, out);
	if (!rc && required)
		rc = pg_jctx_required(x, *out, at, key);
	if (!rc && *out && !valid_name(*out))
		rc = pg_jctx_fail(x, PG_EINPUT, "bad name '%.80s' at %s; use [A-Za-z0-9_.-]", *out,
				  pg_jpath_join(path, sizeof(path), at, key));
	return rc;
}

static int parse_pod(struct pg_jctx *x, json_t *obj, const char *at, struct pg_attach_cfg *a)
{
	static const char *const keys[] = { "namespace", "name", "container", NULL };
	int rc;

	if (!json_is_object(obj))
		return pg_jctx_wrong_type(x, at, "an object", obj);
	a->kind = PG_ATTACH_POD;
	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (!rc)
		rc = get_name(x, obj, at, "namespace", 1, &a->pod_ns);
	if (!rc)
		rc = get_name(x, obj, at, "name", 1, &a->pod_name);
	if (!rc)
		rc = get_name(x, obj, at, "container", 0, &a->container);
	return rc;
}

/* A path: relative ones resolve against the config's directory for a pid
 * file, against the cgroup v2 root for a cgroup; ".." never. */
static int parse_path(struct pg_jctx *x, json_t *obj, const char *at, const char *key,
		      struct pg_attach_cfg *a)
{
	char path[PG_JPATH_MAX];
	char *s = NULL;
	size_t n;
	int rc;

	rc = pg_jctx_str(x, obj, at, key, &s);
	if (rc)
		return rc;
	if (strstr(s, "..") && !strcmp(key, "cgroup")) {
		rc = pg_jctx_fail(x, PG_EINPUT, "'..' in %s",
				  pg_jpath_join(path, sizeof(path), at, key));
		free(s);
		return rc;
	}
	if (s[0] == '/' || !strcmp(key, "cgroup")) {
		a->path = s;
		return 0;
	}
	n = strlen(x->dir) + strlen(s) + 2;
	a->path = malloc(n);
	if (a->path)
		snprintf(a->path, n, "%s/%s", x->dir, s);
	free(s);
	return a->path ? 0 : pg_err_nomem(x->err);
}

static int parse_one(struct pg_jctx *x, json_t *obj, const char *at, const char *key,
		     struct pg_attach_cfg *a)
{
	struct pg_err e = PG_ERR_INIT;
	char path[PG_JPATH_MAX];
	double pid = 0;
	char *s = NULL;
	int rc;

	pg_jpath_join(path, sizeof(path), at, key);
	if (!strcmp(key, "pid")) {
		a->kind = PG_ATTACH_PID;
		if (!json_is_integer(json_object_get(obj, key)))
			return pg_jctx_wrong_type(x, path, "an integer", json_object_get(obj, key));
		rc = pg_jctx_num(x, obj, at, key, 1, 0, MAX_PID, &pid);
		a->pid = (long)pid;
		return rc;
	}
	if (!strcmp(key, "pid_file") || !strcmp(key, "cgroup")) {
		a->kind = key[0] == 'p' ? PG_ATTACH_PID_FILE : PG_ATTACH_CGROUP;
		return parse_path(x, obj, at, key, a);
	}
	if (!strcmp(key, "pod"))
		return parse_pod(x, json_object_get(obj, key), path, a);
	if (!strcmp(key, "pod_uid")) {
		a->kind = PG_ATTACH_POD_UID;
		return get_name(x, obj, at, key, 1, &a->id);
	}
	rc = pg_jctx_str(x, obj, at, key, &s);
	if (!rc && (rc = pg_attach_parse_container(a, s, path, &e)))
		rc = pg_jctx_fail(x, e.code, "%s", e.msg);
	free(s);
	return rc;
}

static int parse_target(struct pg_jctx *x, json_t *obj, const char *at, struct pg_attach_cfg *a)
{
	static const char *const keys[] = { "pid", "pid_file", "cgroup", "container",
					    "pod", "pod_uid",  NULL };
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(obj))
		return pg_jctx_wrong_type(x, at, "an object", obj);
	rc = pg_jctx_check_keys(x, obj, at, keys);
	if (rc)
		return rc;
	if (json_object_size(obj) != 1)
		return pg_jctx_fail(x, PG_EINPUT,
				    "%s must name exactly one target: pid, pid_file, cgroup, "
				    "container, pod or pod_uid",
				    at);
	json_object_foreach (obj, key, v)
		rc = parse_one(x, obj, at, key, a);
	return rc;
}

/* What only makes sense for a workload perfgate starts is refused with
 * attach rather than silently ignored. */
int pg_config_parse_attach(struct pg_jctx *x, json_t *obj, const char *at,
			   struct pg_workload_cfg *w)
{
	static const char *const own[] = { "env", "isolate_network", "drop_pct", NULL };
	char path[PG_JPATH_MAX];
	size_t i;

	if (json_object_get(obj, "cmd"))
		return pg_jctx_fail(x, PG_EINPUT, "%s: give either cmd or attach, not both", at);
	for (i = 0; own[i]; i++)
		if (json_object_get(obj, own[i]))
			return pg_jctx_fail(x, PG_EINPUT,
					    "%s.%s applies to a workload perfgate starts, not "
					    "with attach",
					    at, own[i]);
	return parse_target(x, json_object_get(obj, "attach"),
			    pg_jpath_join(path, sizeof(path), at, "attach"), &w->attach);
}
