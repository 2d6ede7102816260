#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attach.h"
#include "attach_int.h"
#include "buf.h"
#include "cgroup.h"

#define MAX_DEPTH 12

/* How each engine names a container's cgroup: "<prefix><id>[.scope]" with
 * both drivers (systemd adds .scope), and for docker and the CRI runtimes
 * with the cgroupfs driver also the bare ID (under /docker, or under a
 * kubepods pod<uid> directory). */
static const struct engine {
	const char *name, *prefix;
} engines[] = {
	{ "podman", "libpod-" },
	{ "docker", "docker-" },
	{ "containerd", "cri-containerd-" },
	{ "cri-o", "crio-" },
};

#define NENGINES (sizeof(engines) / sizeof(engines[0]))

static int all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return n > 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

static int bare_allowed(const struct engine *e, const char *path, const char *parent)
{
	if (!strcmp(e->name, "docker"))
		return !strcmp(parent, "docker");
	if (!strcmp(e->name, "podman"))
		return 0;
	return !strncmp(parent, "pod", 3) && strstr(path, "kubepods");
}

/* The full ID a cgroup directory name stands for under engine e, written
 * to out, if it is a container of e whose ID begins with id (NULL: any). */
static int container_name(const struct engine *e, const char *id, const char *path,
			  const char *name, const char *parent, char *out, size_t outn)
{
	size_t pl = strlen(e->prefix), n;

	if (!strncmp(name, e->prefix, pl))
		name += pl;
	else if (!bare_allowed(e, path, parent))
		return 0;
	n = strlen(name);
	if (ends_with(name, n, ".scope"))
		n -= strlen(".scope");
	if (!all_hex(name, n) || n >= outn ||
	    (id && (strlen(id) > n || strncmp(name, id, strlen(id)))))
		return 0;
	memcpy(out, name, n);
	out[n] = '\0';
	return 1;
}

int pg_attach_match_container(struct pg_attach_walk *w, const char *path, const char *name,
			      const char *parent)
{
	size_t i;

	for (i = 0; i < NENGINES; i++) {
		if (w->engine && strcmp(w->engine, engines[i].name))
			continue;
		if (container_name(&engines[i], w->id, path, name, parent, w->key, sizeof(w->key)))
			return 1;
	}
	return 0;
}

static void record(struct pg_attach_walk *w, const char *path)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (!strcmp(w->keys[i], w->key))
			return; /* the same container seen twice (v1 + v2 mounts) */
	if (w->n < PG_ATTACH_MAX_MATCHES) {
		snprintf(w->paths[w->n], sizeof(w->paths[0]), "%s", path);
		snprintf(w->keys[w->n], sizeof(w->keys[0]), "%s", w->key);
	}
	w->n++;
}

static int is_dir(const char *path, const struct dirent *d)
{
	struct stat st;

	if (d->d_type != DT_UNKNOWN)
		return d->d_type == DT_DIR;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Depth-first over the cgroup tree below path; a matching directory is
 * recorded and not entered (its children are the same workload). */
static void walk_dir(struct pg_attach_walk *w, const char *path, const char *parent, int depth)
{
	char sub[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' ||
		    snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name) >= (int)sizeof(sub) ||
		    !is_dir(sub, d))
			continue;
		if (w->match(w, sub, d->d_name, parent))
			record(w, sub);
		else if (depth < MAX_DEPTH)
			walk_dir(w, sub, d->d_name, depth + 1);
	}
	closedir(dir);
}

void pg_attach_walk(struct pg_attach_walk *w, const char *top)
{
	const char *base = strrchr(top, '/');

	w->n = 0;
	walk_dir(w, top, base ? base + 1 : top, 0);
}

/* The first process found in dir or below: its network namespace is the
 * workload's (a pod's containers share their sandbox's). */
int pg_attach_first_pid(const char *dir, pid_t *out, int depth)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	char sub[PATH_MAX];
	struct dirent *d;
	DIR *dh = NULL;
	int found = 0;

	if (snprintf(sub, sizeof(sub), "%s/cgroup.procs", dir) < (int)sizeof(sub) &&
	    !pg_buf_read_file(&b, sub, NULL) && atoi(b.data) > 0) {
		*out = (pid_t)atoi(b.data);
		found = 1;
		goto out;
	}
	dh = depth < MAX_DEPTH ? opendir(dir) : NULL;
	while (dh && !found && (d = readdir(dh)))
		if (d->d_name[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", dir, d->d_name) < (int)sizeof(sub) &&
		    is_dir(sub, d))
			found = pg_attach_first_pid(sub, out, depth + 1);
out:
	if (dh)
		closedir(dh);
	pg_buf_release(&b);
	return found;
}

void pg_attach_describe(const struct pg_attach_cfg *a, char *out, size_t n)
{
	switch (a->kind) {
	case PG_ATTACH_PID:
		snprintf(out, n, "process %ld", a->pid);
		break;
	case PG_ATTACH_PID_FILE:
		snprintf(out, n, "the process in pid file '%.120s'", a->path);
		break;
	case PG_ATTACH_CGROUP:
		snprintf(out, n, "cgroup '%.120s'", a->path);
		break;
	case PG_ATTACH_CONTAINER:
		snprintf(out, n, "container '%s:%.80s'", a->engine, a->id);
		break;
	case PG_ATTACH_POD:
		snprintf(out, n, "pod '%.60s/%.60s'%s%.60s%s", a->pod_ns, a->pod_name,
			 a->container ? " (container '" : "", a->container ? a->container : "",
			 a->container ? "')" : "");
		break;
	case PG_ATTACH_POD_UID:
		snprintf(out, n, "pod with uid '%.80s'", a->id);
		break;
	default:
		snprintf(out, n, "no target");
	}
}
