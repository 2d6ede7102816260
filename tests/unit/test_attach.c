/* The attach resolver against fake node trees: a temp directory with
 * proc/<pid>/cgroup files, var/log/{pods,containers} and a cgroup tree
 * laid out as each engine and driver lays it out on a real node. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach.h"

#define ID1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2 "0123456789abcdefffffffffffffffffffffffffffffffffffffffffffffffff"
#define UID "9d2a5c1e-77b3-4f0e-8a7d-3c2b1a0f9e8d"
#define UID_ "9d2a5c1e_77b3_4f0e_8a7d_3c2b1a0f9e8d"

struct tree {
	char dir[64];
	char cg[128];
	struct pg_attach_fs fs;
};

/* mkdir -p root/rel, and with procs, a cgroup.procs holding it. */
static void mk(struct tree *t, const char *rel, const char *procs)
{
	char path[PATH_MAX], cmd[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
	if (!procs)
		return;
	strcat(path, "/cgroup.procs");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(procs, f);
	fclose(f);
}

static void put(struct tree *t, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/pg-attach-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->cg, sizeof(t->cg), "%s/sys/fs/cgroup", t->dir);
	t->fs.root = t->dir;
	t->fs.cgroot = t->cg;
	t->fs.podman = "/nonexistent/podman";
	mk(t, "sys/fs/cgroup", "1\n");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static int resolve(struct tree *t, const struct pg_attach_cfg *a, struct pg_attach_found *f,
		   struct pg_err *err)
{
	return pg_attach_resolve(f, a, &t->fs, err);
}

static void expect_container(struct tree *t, const char *engine, const char *id, const char *rel,
			     pid_t pid)
{
	struct pg_attach_cfg a = { .kind = PG_ATTACH_CONTAINER };
	struct pg_err err = PG_ERR_INIT;
	struct pg_attach_found f;
	char want[PATH_MAX];

	a.engine = (char *)engine;
	a.id = (char *)id;
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	snprintf(want, sizeof(want), "%s/%s", t->cg, rel);
	assert_string_equal(f.cgroup, want);
	assert_int_equal(f.pid, pid);
}

/* systemd driver: "<prefix><id>.scope" under a slice, for each engine. */
static void test_attach_container_systemd(void **state)
{
	struct tree *t = *state;

	mk(t, "sys/fs/cgroup/system.slice/docker-" ID1 ".scope", "101\n102\n");
	mk(t, "sys/fs/cgroup/machine.slice/libpod-conmon-" ID1 ".scope", "90\n");
	mk(t, "sys/fs/cgroup/machine.slice/libpod-" ID1 ".scope/container", "103\n");
	mk(t,
	   "sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/"
	   "kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID1 ".scope",
	   "104\n");
	mk(t,
	   "sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/"
	   "kubepods-besteffort-pod" UID_ ".slice/crio-conmon-" ID1 ".scope",
	   "91\n");
	mk(t,
	   "sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/"
	   "kubepods-besteffort-pod" UID_ ".slice/crio-" ID1 ".scope",
	   "105\n");
	expect_container(t, "docker", ID1, "system.slice/docker-" ID1 ".scope", 101);
	/* podman's process sits in a child cgroup: found below the match */
	expect_container(t, "podman", ID1, "machine.slice/libpod-" ID1 ".scope", 103);
	expect_container(t, "containerd", "0123456789ab",
			 "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			 ".slice/cri-containerd-" ID1 ".scope",
			 104);
	expect_container(t, "cri-o", ID1,
			 "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
			 ".slice/crio-" ID1 ".scope",
			 105);
}

/* cgroupfs driver: bare IDs under /docker and under kubepods pod<uid>, and
 * podman's libpod_parent/libpod-<id>. */
static void test_attach_container_cgroupfs(void **state)
{
	struct tree *t = *state;

	mk(t, "sys/fs/cgroup/docker/" ID1, "201\n");
	mk(t, "sys/fs/cgroup/libpod_parent/libpod-" ID1, "202\n");
	mk(t, "sys/fs/cgroup/kubepods/burstable/pod" UID "/" ID1, "203\n");
	mk(t, "sys/fs/cgroup/kubepods/pod" UID "/crio-" ID1, "204\n");
	/* a bare ID anywhere else is nobody's */
	mk(t, "sys/fs/cgroup/other/" ID2, "299\n");
	expect_container(t, "docker", ID1, "docker/" ID1, 201);
	expect_container(t, "podman", ID1, "libpod_parent/libpod-" ID1, 202);
	expect_container(t, "containerd", ID1, "kubepods/burstable/pod" UID "/" ID1, 203);
	expect_container(t, "cri-o", ID1, "kubepods/pod" UID "/crio-" ID1, 204);
}

static void test_attach_container_errors(void **state)
{
	struct pg_attach_cfg a = { .kind = PG_ATTACH_CONTAINER, .engine = "docker" };
	struct tree *t = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_attach_found f;

	mk(t, "sys/fs/cgroup/system.slice/docker-" ID1 ".scope", "1\n");
	mk(t, "sys/fs/cgroup/system.slice/docker-" ID2 ".scope", "2\n");
	mk(t, "sys/fs/cgroup/system.slice/docker-" ID2 ".scope/empty", NULL);
	a.id = "0123456789abcdef"; /* both */
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "matches 2 containers"));
	a.id = "fedcba";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "container 'docker:fedcba' is not running on this node"));
	a.id = "orders"; /* a name: only podman is asked by name */
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "by container ID"));
	a.engine = "podman";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "podman"));
	/* in cgroup v1 only: some process names it on a v1 line */
	mk(t, "proc/77", NULL);
	put(t, "proc/77/cgroup", "4:memory:/docker/abcabc\n0::/\n");
	a.engine = "docker";
	a.id = "abcabc";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "cgroup v1 hierarchies only"));
}

static void test_attach_pid(void **state)
{
	struct pg_attach_cfg a = { .kind = PG_ATTACH_PID, .pid = 42 };
	struct tree *t = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_attach_found f;
	char want[PATH_MAX], pidfile[PATH_MAX];

	mk(t, "proc/42", NULL);
	put(t, "proc/42/cgroup", "9:name=systemd:/x\n0::/system.slice/orders.service\n");
	mk(t, "sys/fs/cgroup/system.slice/orders.service", "42\n");
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	snprintf(want, sizeof(want), "%s/system.slice/orders.service", t->cg);
	assert_string_equal(f.cgroup, want);
	assert_int_equal(f.pid, 42);
	snprintf(pidfile, sizeof(pidfile), "%s/orders.pid", t->dir);
	put(t, "orders.pid", "42\n");
	a.kind = PG_ATTACH_PID_FILE;
	a.path = pidfile;
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	assert_string_equal(f.cgroup, want);
	put(t, "orders.pid", "x\n");
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "holds no process id"));
	a.kind = PG_ATTACH_PID;
	a.pid = 43;
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "process 43 is not running on this node"));
	mk(t, "proc/44", NULL);
	put(t, "proc/44/cgroup", "4:memory:/docker/abc\n");
	a.pid = 44;
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "cgroup v1 hierarchies only"));
	put(t, "proc/44/cgroup", "0::/../../kubepods/x\n");
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "cgroup namespace"));
	/* the root is returned as such; workload.c refuses it */
	put(t, "proc/44/cgroup", "4:memory:/docker/abc\n0::/\n");
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	assert_string_equal(f.cgroup, t->cg);
}

static void test_attach_cgroup(void **state)
{
	struct pg_attach_cfg a = { .kind = PG_ATTACH_CGROUP, .path = "svc.slice/a" };
	struct tree *t = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_attach_found f;

	mk(t, "sys/fs/cgroup/svc.slice/a", "");
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "has no process"));
	mk(t, "sys/fs/cgroup/svc.slice/a/worker", "7\n");
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	assert_int_equal(f.pid, 7);
	a.path = "nope";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "does not exist on this node"));
}

/* Pods: by UID in every QoS class and both drivers, by namespace/name from
 * /var/log/pods, one container from the /var/log/containers links. */
static void test_attach_pod(void **state)
{
	struct pg_attach_cfg a = { .kind = PG_ATTACH_POD_UID, .id = UID };
	static const char *const layouts[] = {
		"kubepods.slice/kubepods-pod" UID_ ".slice",
		"kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice",
		"kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice",
		"kubepods/pod" UID,
		"kubepods/burstable/pod" UID,
		"kubepods/besteffort/pod" UID,
	};
	struct tree *t = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_attach_found f;
	char rel[PATH_MAX], want[PATH_MAX], cmd[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s/kubepods'*", t->cg);
		assert_int_equal(system(cmd), 0);
		snprintf(rel, sizeof(rel), "sys/fs/cgroup/%s/%s", layouts[i], ID2); /* pause */
		mk(t, rel, "300\n");
		snprintf(rel, sizeof(rel), "sys/fs/cgroup/%s/cri-containerd-%s.scope", layouts[i],
			 ID1);
		mk(t, rel, "301\n");
		a.kind = PG_ATTACH_POD_UID;
		assert_int_equal(resolve(t, &a, &f, &err), 0);
		snprintf(want, sizeof(want), "%s/%s", t->cg, layouts[i]);
		assert_string_equal(f.cgroup, want);
		assert_true(f.pid == 300 || f.pid == 301);
	}
	a.kind = PG_ATTACH_POD;
	a.pod_ns = "review-42";
	a.pod_name = "orders-7f9c";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "is not on this node"));
	mk(t, "var/log/pods/review-42_orders-7f9c_" UID "/api", NULL);
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	assert_string_equal(f.cgroup, want);
	a.container = "api";
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	mk(t, "var/log/containers", NULL);
	put(t, "var/log/containers/orders-7f9c_review-42_api-" ID1 ".log", "");
	assert_int_equal(resolve(t, &a, &f, &err), 0);
	assert_int_equal(f.pid, 301);
	assert_non_null(strstr(f.cgroup, "cri-containerd-" ID1 ".scope"));
	a.id = "00000000-0000-0000-0000-000000000000";
	a.kind = PG_ATTACH_POD_UID;
	assert_int_equal(resolve(t, &a, &f, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "run perfgate on the pod's node"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attach_container_systemd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_container_cgroupfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_container_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_pod, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
