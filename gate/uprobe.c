// SPDX-License-Identifier: MIT
/* The skeleton lifecycle of bpf/vgetrandom.bpf.c: open, set the cgroup in
 * rodata, load, attach a uprobe by function name (libbpf resolves it in
 * the binary's symbol table), read the per-CPU count, destroy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "uprobe.h"
#include "vgetrandom.skel.h"

struct pg_uprobe {
	struct vgetrandom_bpf *skel;
};

int pg_uprobe_new(struct pg_uprobe **out, const char *path, const char *func, uint64_t cgroup_id,
		  int cgroup_level, struct pg_err *err)
{
	LIBBPF_OPTS(bpf_uprobe_opts, o, .func_name = func, .retprobe = false);
	struct pg_uprobe *u = calloc(1, sizeof(*u));
	struct bpf_link *l;
	int rc = 0;

	*out = NULL;
	if (!u)
		return pg_err_nomem(err);
	u->skel = vgetrandom_bpf__open();
	if (!u->skel) {
		rc = pg_err_set(err, PG_EINFRA, "cannot open the uprobe program");
		goto out;
	}
	u->skel->rodata->filter_cgroup_id = cgroup_id;
	u->skel->rodata->filter_cgroup_level = cgroup_level > 0 ? (__u32)cgroup_level : 0;
	if (vgetrandom_bpf__load(u->skel)) {
		rc = pg_err_set(err, PG_EINFRA, "the kernel refused the uprobe program");
		goto out;
	}
	l = bpf_program__attach_uprobe_opts(u->skel->progs.uprobe_call, -1, path, 0, &o);
	if (!l) {
		rc = pg_err_set(err, PG_EINFRA, "cannot attach a uprobe to %s in '%s': %s", func,
				path, strerror(errno));
		goto out;
	}
	u->skel->links.uprobe_call = l;
	*out = u;
	u = NULL;
out:
	pg_uprobe_free(u);
	return rc;
}

int pg_uprobe_read(const struct pg_uprobe *u, uint64_t *calls, struct pg_err *err)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t *v;
	__u32 zero = 0;

	if (ncpu <= 0)
		return pg_err_set(err, PG_EINFRA, "cannot count the possible CPUs");
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return pg_err_nomem(err);
	if (bpf_map__lookup_elem(u->skel->maps.calls, &zero, sizeof(zero), v,
				 (size_t)ncpu * sizeof(*v), 0)) {
		free(v);
		return pg_err_set(err, PG_EINFRA, "cannot read the uprobe's count");
	}
	for (*calls = 0, i = 0; i < ncpu; i++)
		*calls += v[i];
	free(v);
	return 0;
}

void pg_uprobe_free(struct pg_uprobe *u)
{
	if (!u)
		return;
	vgetrandom_bpf__destroy(u->skel);
	free(u);
}
