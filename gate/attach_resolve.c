/* Resolving pids, pid files, cgroups and containers (pods: attach_pod.c). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "attach_int.h"
#include "buf.h"
#include "cgroup.h"
#include "child.h"

#define NOT_HERE "or run perfgate on the node that runs it"
#define CAPS                                                                        \
	"run perfgate as root (it needs CAP_SYS_PTRACE to read another user's "     \
	"/proc entries, CAP_SYS_ADMIN to enter its network namespace, CAP_BPF and " \
	"CAP_PERFMON for the probes)"

static int path_in(char *out, size_t n, const char *a, const char *b, struct pg_err *err)
{
	if (snprintf(out, n, "%s%s", a, b) >= (int)n)
		return pg_err_set(err, PG_EINPUT, "path too long: '%.100s%.100s'", a, b);
	return 0;
}

/* "0::/path" of /proc/<pid>/cgroup, checked: a process in no cgroup v2
 * or outside perfgate's cgroup namespace cannot be scoped. The root ("/")
 * is returned as it is: on a hybrid host it is also where a process only
 * placed in v1 hierarchies sits, and the caller decides (workload.c
 * refuses it, `probe --pid` warns). */
static int v2_path(char *text, char *out, size_t n, const char *what, struct pg_err *err)
{
	char *line, *save = NULL, *v2 = NULL;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3))
			v2 = line + 3;
	if (!v2)
		return pg_err_set(
			err, PG_EINFRA,
			"%s is in cgroup v1 hierarchies only; perfgate needs its cgroup "
			"v2: run the engine with the systemd driver or on a cgroup v2 host",
			what);
	if (!strncmp(v2, "/..", 3))
		return pg_err_set(err, PG_EINFRA,
				  "%s is outside perfgate's cgroup namespace ('%.80s'); run "
				  "perfgate in the host's cgroup namespace",
				  what, v2);
	snprintf(out, n, "%s", strcmp(v2, "/") ? v2 : "");
	return 0;
}

static int pid_cgroup(struct pg_attach_found *out, pid_t pid, const struct pg_attach_fs *fs,
		      const char *what, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(1 << 16);
	char file[PATH_MAX], rel[PATH_MAX];
	struct stat st;
	int rc;

	snprintf(file, sizeof(file), "%s/proc/%d/cgroup", fs->root, (int)pid);
	if (stat(file, &st) < 0) {
		rc = pg_err_set(err, PG_EINFRA,
				"%s is not running on this node; check it, " NOT_HERE, what);
		goto out;
	}
	if (pg_buf_read_file(&b, file, NULL)) {
		rc = pg_err_set(err, PG_EINFRA, "cannot read '%s' for %s; " CAPS, file, what);
		goto out;
	}
	rc = v2_path(b.data, rel, sizeof(rel), what, err);
	if (!rc)
		rc = path_in(out->cgroup, sizeof(out->cgroup), fs->cgroot, rel, err);
	if (!rc && (stat(out->cgroup, &st) < 0 || !S_ISDIR(st.st_mode)))
		rc = pg_err_set(err, PG_EINFRA,
				"the cgroup of %s ('%.120s') is not under '%.60s'; mount the "
				"host's cgroup v2 hierarchy there",
				what, rel, fs->cgroot);
	out->pid = pid;
out:
	pg_buf_release(&b);
	return rc;
}

static int pid_file(struct pg_attach_found *out, const char *path, const struct pg_attach_fs *fs,
		    const char *what, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(256);
	char *end;
	long pid;
	int rc;

	rc = pg_buf_read_file(&b, path, NULL);
	if (rc) {
		rc = pg_err_set(err, PG_EINFRA, "cannot read %s: %s; start the workload first",
				what, strerror(errno));
		goto out;
	}
	pid = strtol(b.data, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (pid <= 0 || *end || end == b.data) {
		rc = pg_err_set(err, PG_EINFRA, "%s holds no process id", what);
		goto out;
	}
	rc = pid_cgroup(out, (pid_t)pid, fs, what, err);
out:
	pg_buf_release(&b);
	return rc;
}

static int cgroup_dir(struct pg_attach_found *out, const char *path, const struct pg_attach_fs *fs,
		      const char *what, struct pg_err *err)
{
	struct stat st;
	int rc;

	if (path[0] == '/')
		rc = path_in(out->cgroup, sizeof(out->cgroup), "", path, err);
	else
		rc = snprintf(out->cgroup, sizeof(out->cgroup), "%s/%s", fs->cgroot, path) >=
				     (int)sizeof(out->cgroup)
			     ? pg_err_set(err, PG_EINPUT, "cgroup path too long")
			     : 0;
	if (rc)
		return rc;
	if (stat(out->cgroup, &st) < 0 || !S_ISDIR(st.st_mode))
		return pg_err_set(err, PG_EINFRA,
				  "%s does not exist on this node ('%.100s'); " NOT_HERE, what,
				  out->cgroup);
	if (!pg_attach_first_pid(out->cgroup, &out->pid, 0))
		return pg_err_set(err, PG_EINFRA,
				  "%s has no process in it; start the workload first", what);
	return 0;
}

/* A container found only in cgroup v1 hierarchies (a cgroupfs engine on a
 * hybrid host without runc's unified support) can be told from one that is
 * not running: some /proc/<pid>/cgroup names it on a v1 line. */
static int only_in_v1(const struct pg_attach_fs *fs, const char *id)
{
	struct pg_buf b = PG_BUF_INIT(1 << 16);
	char file[PATH_MAX], *line, *save;
	struct dirent *d;
	int found = 0;
	DIR *dir;

	snprintf(file, sizeof(file), "%s/proc", fs->root);
	dir = opendir(file);
	while (dir && !found && (d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(file, sizeof(file), "%s/proc/%s/cgroup", fs->root, d->d_name);
		b.len = 0;
		if (pg_buf_read_file(&b, file, NULL))
			continue;
		save = NULL;
		for (line = strtok_r(b.data, "\n", &save); line && !found;
		     line = strtok_r(NULL, "\n", &save))
			found = strncmp(line, "0::", 3) && strstr(line, id);
	}
	if (dir)
		closedir(dir);
	pg_buf_release(&b);
	return found;
}

static int ambiguous(const struct pg_attach_walk *w, const char *what, struct pg_err *err)
{
	return pg_err_set(err, PG_EINPUT,
			  "%s matches %d containers ('%.16s', '%.16s'%s); give more of its ID",
			  what, w->n, w->keys[0], w->keys[1], w->n > 2 ? ", ..." : "");
}

int pg_attach_find_container(struct pg_attach_found *out, const char *engine, const char *id,
			     const char *top, const struct pg_attach_fs *fs, const char *what,
			     struct pg_err *err)
{
	struct pg_attach_walk *w;
	int rc = 0;

	w = calloc(1, sizeof(*w));
	if (!w)
		return pg_err_nomem(err);
	w->match = pg_attach_match_container;
	w->engine = engine;
	w->id = id;
	pg_attach_walk(w, top);
	if (w->n > 1)
		rc = ambiguous(w, what, err);
	else if (!w->n && id && only_in_v1(fs, id))
		rc = pg_err_set(err, PG_EINFRA,
				"%s is in cgroup v1 hierarchies only; perfgate needs its cgroup "
				"v2: run the engine with the systemd driver or on a cgroup v2 host",
				what);
	else if (!w->n)
		rc = pg_err_set(err, PG_EINFRA,
				"%s is not running on this node: no cgroup below '%.80s' is named "
				"after it; check the name, " NOT_HERE,
				what, top);
	else if (!pg_attach_first_pid(w->paths[0], &out->pid, 0))
		rc = pg_err_set(err, PG_EINFRA, "%s has no process left in '%.100s'", what,
				w->paths[0]);
	else
		snprintf(out->cgroup, sizeof(out->cgroup), "%s", w->paths[0]);
	free(w);
	return rc;
}

/* The full ID of a podman container by name: the one question the cgroup
 * tree cannot answer. */
static int podman_id(char *out, size_t n, const struct pg_attach_fs *fs, const char *name,
		     const char *what, struct pg_err *err)
{
	char *argv[] = { (char *)(fs->podman ? fs->podman : "podman"),
			 "inspect",
			 "--type",
			 "container",
			 "--format",
			 "{{.Id}}",
			 (char *)name,
			 NULL };
	struct pg_child_spec s = { "podman inspect", argv, NULL, -1, NULL, -1, NULL, 0 };
	char tail[160], how[80], *p;
	struct pg_err cerr = PG_ERR_INIT;
	struct pg_child c;
	char **env = NULL;
	int rc;

	pg_child_init(&c);
	rc = pg_env_build(&env, NULL, NULL, 0, err);
	if (rc)
		goto out;
	s.envp = env;
	rc = pg_child_start(&c, &s, &cerr);
	if (rc) {
		rc = pg_err_set(err, PG_EINFRA,
				"cannot run podman to look up %s: %.100s; give its ID instead",
				what, cerr.msg);
		goto out;
	}
	if (pg_child_wait(&c, 30) != 1 || !WIFEXITED(c.status) || WEXITSTATUS(c.status)) {
		pg_child_stop(&c, 0.1);
		pg_child_describe(&c, how, sizeof(how));
		pg_child_tail(&c, tail, sizeof(tail));
		rc = pg_err_set(err, PG_EINFRA,
				"podman knows no %s (podman inspect %s: %.100s); check the name "
				"with 'podman ps', " NOT_HERE,
				what, how, tail);
		goto out;
	}
	pg_child_tail(&c, tail, sizeof(tail));
	p = tail + strspn(tail, " \n");
	p[strcspn(p, " \n")] = '\0';
	if (strlen(p) != 64 || snprintf(out, n, "%s", p) >= (int)n)
		rc = pg_err_set(err, PG_EINFRA, "podman gave no ID for %s: '%.80s'", what, p);
out:
	pg_child_release(&c);
	pg_env_free(env);
	return rc;
}

static int container(struct pg_attach_found *out, const struct pg_attach_cfg *a,
		     const struct pg_attach_fs *fs, const char *what, struct pg_err *err)
{
	char full[80];
	size_t n = strlen(a->id);
	int rc;

	/* An ID (or prefix) first: no engine call when the tree answers. */
	if (n == strspn(a->id, "0123456789abcdef")) {
		rc = pg_attach_find_container(out, a->engine, a->id, fs->cgroot, fs, what, err);
		if (rc != PG_EINFRA || strcmp(a->engine, "podman") || strstr(err->msg, "v1"))
			return rc;
	}
	if (strcmp(a->engine, "podman"))
		return pg_err_set(err, PG_EINPUT,
				  "%s: %s is looked up by container ID, not by name; give the ID "
				  "(e.g. from 'crictl ps' or 'docker ps --no-trunc')",
				  what, a->engine);
	rc = podman_id(full, sizeof(full), fs, a->id, what, err);
	if (!rc)
		rc = pg_attach_find_container(out, "podman", full, fs->cgroot, fs, what, err);
	return rc;
}

int pg_attach_resolve(struct pg_attach_found *out, const struct pg_attach_cfg *a,
		      const struct pg_attach_fs *fs, struct pg_err *err)
{
	char what[200];

	memset(out, 0, sizeof(*out));
	pg_attach_describe(a, what, sizeof(what));
	switch (a->kind) {
	case PG_ATTACH_PID:
		return pid_cgroup(out, (pid_t)a->pid, fs, what, err);
	case PG_ATTACH_PID_FILE:
		return pid_file(out, a->path, fs, what, err);
	case PG_ATTACH_CGROUP:
		return cgroup_dir(out, a->path, fs, what, err);
	case PG_ATTACH_CONTAINER:
		return container(out, a, fs, what, err);
	case PG_ATTACH_POD:
	case PG_ATTACH_POD_UID:
		return pg_attach_resolve_pod(out, a, fs, what, err);
	default:
		return pg_err_set(err, PG_EUSAGE, "no attach target");
	}
}

int pg_attach_resolve_host(struct pg_attach_found *out, const struct pg_attach_cfg *a,
			   struct pg_err *err)
{
	struct pg_attach_fs fs = { "", NULL, NULL };
	char root[PATH_MAX];
	int rc;

	rc = pg_cgroup_root(root, sizeof(root), err);
	if (rc)
		return rc;
	fs.cgroot = root;
	return pg_attach_resolve(out, a, &fs, err);
}
