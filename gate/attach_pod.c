/* Pods on this node, by UID or by namespace and name, without asking the
 * API server: the kubelet names each pod's cgroup after its UID (systemd
 * driver: kubepods[-<qos>].slice/kubepods-<qos>-pod<uid, '-' as '_'>.slice;
 * cgroupfs: kubepods[/<qos>]/pod<uid>; Guaranteed pods sit right under
 * kubepods), and keeps /var/log/pods/<ns>_<name>_<uid>/ and the links
 * /var/log/containers/<name>_<ns>_<container>-<container ID>.log for every
 * runtime. Kubernetes names cannot hold '_', so these split cleanly. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach_int.h"

static int match_pod(struct pg_attach_walk *w, const char *path, const char *name,
		     const char *parent)
{
	char want[160];
	size_t n = strlen(name), k;
	int i;

	(void)parent;
	if (!strstr(path, "kubepods"))
		return 0;
	snprintf(w->key, sizeof(w->key), "%s", w->id);
	if (!strncmp(name, "pod", 3) && !strcmp(name + 3, w->id))
		return 1; /* cgroupfs */
	snprintf(want, sizeof(want), "-pod%s.slice", w->id);
	for (i = 0; want[i]; i++)
		want[i] = want[i] == '-' && i > 3 ? '_' : want[i];
	k = strlen(want);
	return !strncmp(name, "kubepods", 8) && n > k && !strcmp(name + n - k, want);
}

static int pod_cgroup(char *out, size_t n, const char *uid, const struct pg_attach_fs *fs,
		      const char *what, struct pg_err *err)
{
	struct pg_attach_walk *w;
	int rc = 0;

	w = calloc(1, sizeof(*w));
	if (!w)
		return pg_err_nomem(err);
	w->match = match_pod;
	w->id = uid;
	pg_attach_walk(w, fs->cgroot);
	if (!w->n)
		rc = pg_err_set(err, PG_EINFRA,
				"%s is not running on this node: no kubepods cgroup below '%.80s' "
				"has its uid '%.40s'; run perfgate on the pod's node",
				what, fs->cgroot, uid);
	else
		snprintf(out, n, "%s", w->paths[0]);
	free(w);
	return rc;
}

/* The one entry of dir that starts with prefix, its rest into out. */
static int find_entry(const char *dir, const char *prefix, char *out, size_t n)
{
	size_t k = strlen(prefix);
	struct dirent *d;
	int found = 0;
	DIR *dh;

	dh = opendir(dir);
	while (dh && (d = readdir(dh)))
		if (!strncmp(d->d_name, prefix, k) && strlen(d->d_name + k) < n) {
			snprintf(out, n, "%s", d->d_name + k);
			found++;
		}
	if (dh)
		closedir(dh);
	return found;
}

static int pod_uid(char *out, size_t n, const struct pg_attach_cfg *a,
		   const struct pg_attach_fs *fs, const char *what, struct pg_err *err)
{
	char dir[PATH_MAX], prefix[300];

	snprintf(dir, sizeof(dir), "%s/var/log/pods", fs->root);
	snprintf(prefix, sizeof(prefix), "%s_%s_", a->pod_ns, a->pod_name);
	if (find_entry(dir, prefix, out, n) != 1)
		return pg_err_set(err, PG_EINFRA,
				  "%s is not on this node (no '%.60s/%.80s*'); run perfgate on the "
				  "pod's node, with the node's /var/log/pods mounted",
				  what, dir, prefix);
	return 0;
}

/* The container's cgroup inside the pod's: its ID from the kubelet's log
 * links (several after restarts; the running one has a cgroup). */
static int pod_container(struct pg_attach_found *out, const struct pg_attach_cfg *a,
			 const char *podcg, const struct pg_attach_fs *fs, const char *what,
			 struct pg_err *err)
{
	char dir[PATH_MAX], prefix[400], id[80];
	size_t k;
	struct dirent *d;
	int rc = pg_err_set(err, PG_EINFRA,
			    "%s: no such container is running on this node (no "
			    "'/var/log/containers/%.60s_%.60s_%.60s-*.log' with a cgroup)",
			    what, a->pod_name, a->pod_ns, a->container);
	DIR *dh;

	snprintf(dir, sizeof(dir), "%s/var/log/containers", fs->root);
	snprintf(prefix, sizeof(prefix), "%s_%s_%s-", a->pod_name, a->pod_ns, a->container);
	k = strlen(prefix);
	dh = opendir(dir);
	while (dh && rc && (d = readdir(dh))) {
		if (strncmp(d->d_name, prefix, k) || strlen(d->d_name + k) != 64 + 4)
			continue;
		snprintf(id, sizeof(id), "%.64s", d->d_name + k);
		if (!pg_attach_find_container(out, NULL, id, podcg, fs, what, NULL))
			rc = 0;
	}
	if (dh)
		closedir(dh);
	return rc;
}

int pg_attach_resolve_pod(struct pg_attach_found *out, const struct pg_attach_cfg *a,
			  const struct pg_attach_fs *fs, const char *what, struct pg_err *err)
{
	char uid[128], podcg[PATH_MAX];
	int rc = 0;

	if (a->kind == PG_ATTACH_POD_UID)
		snprintf(uid, sizeof(uid), "%s", a->id);
	else
		rc = pod_uid(uid, sizeof(uid), a, fs, what, err);
	if (!rc)
		rc = pod_cgroup(podcg, sizeof(podcg), uid, fs, what, err);
	if (rc)
		return rc;
	if (a->kind == PG_ATTACH_POD && a->container)
		return pod_container(out, a, podcg, fs, what, err);
	snprintf(out->cgroup, sizeof(out->cgroup), "%s", podcg);
	if (!pg_attach_first_pid(podcg, &out->pid, 0))
		return pg_err_set(err, PG_EINFRA, "%s has no process left in '%.100s'", what,
				  podcg);
	return 0;
}
