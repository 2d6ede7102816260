// SPDX-License-Identifier: MIT
/* `perfgate probe`: attach the eBPF probes to one cgroup or process for a
 * while and write what they saw as JSON. Parse, resolve the target, call
 * gate/probe, render; the probes are detached before the file is written. */
#define _GNU_SOURCE /* sigabbrev_np */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "cgroup.h"
#include "cli.h"
#include "clock.h"
#include "fs.h"
#include "probe.h"
#include "result.h"
#include "sig.h"
#include "workload.h"

const char pg_usage_probe[] =
	"usage: perfgate probe (--cgroup PATH | --pid PID | --container C | --pod P)\n"
	"                      [--duration S] [--port P]... -o FILE\n"
	"\n"
	"Attach perfgate's eBPF probes to one workload, wait for S seconds (or until\n"
	"SIGINT, SIGTERM, SIGHUP or SIGQUIT), detach, and write what they saw as JSON\n"
	"to FILE ('-': stdout).\n"
	"\n"
	"    --cgroup PATH   probe the tasks of this cgroup v2 and of the cgroups below it\n"
	"                    (absolute, or relative to the cgroup v2 root)\n"
	"    --pid PID       probe the cgroup v2 of this process (all its processes);\n"
	"                    TCP retransmits are counted for the sockets of its network\n"
	"                    namespace when it has one of its own (not perfgate's)\n"
	"    --container C   a container on this node: podman:NAME, docker:ID,\n"
	"                    containerd:ID or cri-o:ID (an ID may be a unique prefix);\n"
	"                    its cgroup and its network namespace, as --pid\n"
	"    --pod P         a Kubernetes pod on this node: NAMESPACE/NAME, one of its\n"
	"                    containers with NAMESPACE/NAME/CONTAINER, or the pod's UID;\n"
	"                    all its containers' processes and the pod's network namespace\n"
	"    --port P        count TCP retransmits only of sockets with local port P (the\n"
	"                    workload's listening port); repeatable, up to 8. Needed for\n"
	"                    retransmits when the workload shares perfgate's network\n"
	"                    namespace; combined with the namespace filter otherwise\n"
	"    --duration S    stop after S seconds (default: until a signal)\n"
	"    -o FILE         where to write the JSON\n"
	"\n"
	"The JSON holds getrandom() calls, latency p50/p90/p99/max in ns and the non-empty\n"
	"buckets of its log-linear histogram (each at most 3.1 % wide; upper_ns exclusive),\n"
	"and TCP retransmits (null when no namespace or port scopes them). Needs root, or\n"
	"CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE. PERFGATE_DEBUG=1 shows libbpf's log.\n";

struct opts {
	const char *cgroup;
	long pid;
	struct pg_attach_cfg a; /* --pid, --container, --pod */
	int ntargets;
	double duration; /* 0: until a signal */
	const char *out;
	struct pg_probe_target t;
};

static int add_port(struct opts *o, const char *arg, struct pg_err *err)
{
	unsigned long v;
	int rc;

	rc = pg_cli_parse_uint(arg, "--port", 65535, &v, err);
	if (rc)
		return rc;
	if (!v)
		return pg_err_set(err, PG_EUSAGE, "--port takes a port from 1 to 65535, not '0'");
	if (o->t.nports == PG_PROBE_MAX_PORTS)
		return pg_err_set(err, PG_EUSAGE, "--port may be given at most %d times",
				  PG_PROBE_MAX_PORTS);
	o->t.ports[o->t.nports++] = (uint16_t)v;
	return 0;
}

/* --container and --pod, checked as in the config (bad: exit 2). */
static int target_opt(struct opts *o, int c, const char *arg, struct pg_err *err)
{
	int rc;

	o->ntargets++;
	pg_attach_cfg_release(&o->a);
	if (c == 'C')
		rc = pg_attach_parse_container(&o->a, arg, "--container", err);
	else if (!strchr(arg, '/'))
		rc = pg_attach_parse_pod_uid(&o->a, arg, "--pod", err);
	else
		rc = pg_attach_parse_pod(&o->a, arg, "--pod", err);
	return rc;
}

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct opts *o = args;
	unsigned long v;
	int rc;

	switch (c) {
	case 'c':
		o->cgroup = arg;
		o->ntargets++;
		return 0;
	case 'p':
		rc = pg_cli_parse_uint(arg, "--pid", 4194304, &v, err);
		if (!rc && !v)
			rc = pg_err_set(err, PG_EUSAGE, "--pid takes a process id, not '0'");
		o->a.kind = PG_ATTACH_PID;
		o->a.pid = o->pid = (long)v;
		o->ntargets++;
		return rc;
	case 'C':
	case 'k':
		return target_opt(o, c, arg, err);
	case 'd':
		rc = pg_cli_parse_double(arg, "--duration", 0.001, 86400 * 365, &o->duration, err);
		return rc;
	case 'P':
		return add_port(o, arg, err);
	case 'o':
		o->out = arg;
		return 0;
	}
	return 1; /* not ours: unknown option */
}

static int parse(int argc, char **argv, struct opts *o, struct pg_err *err)
{
	static const struct option longopts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "container", required_argument, NULL, 'C' },
		{ "pod", required_argument, NULL, 'k' },
		{ "duration", required_argument, NULL, 'd' },
		{ "port", required_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts opts = { "probe", "+o:", longopts, take };
	int first, rc;

	rc = pg_cli_parse(&opts, argc, argv, o, &first, err);
	if (rc)
		return rc;
	if (first < argc)
		return pg_err_set(err, PG_EUSAGE,
				  "unexpected argument '%s'; see 'perfgate probe --help'",
				  argv[first]);
	if (o->ntargets != 1)
		return pg_err_set(err, PG_EUSAGE,
				  "give exactly one of --cgroup, --pid, --container and --pod; see "
				  "'perfgate probe --help'");
	if (!o->out)
		return pg_err_set(err, PG_EUSAGE, "no output file; give -o FILE ('-' for stdout)");
	return 0;
}

/* The cgroup for getrandom (and the cgroups below it), and for --pid,
 * --container and --pod the network namespace of a process in it for
 * retransmits when it is not perfgate's (there, ports are the only way to
 * tell the workload's sockets from the rest): attached as capture attaches
 * to a running workload (workload.h), borrowed, never stopped. */
static int resolve(struct opts *o, struct pg_workload *w, struct pg_err *err)
{
	int rc;

	if (o->cgroup)
		return pg_cgroup_open(&w->target.cg, o->cgroup, err);
	rc = pg_workload_attach_cfg(w, &o->a, NULL, err);
	if (rc)
		return rc;
	o->pid = w->target.pid;
	o->t.netns_ino = w->target.ns.ino; /* 0 in perfgate's own namespace */
	return 0;
}

/* Until the duration ends or a signal arrives (duration 0: until a signal);
 * the time it actually measured. */
static double wait_for(double duration)
{
	double start = pg_now();

	pg_sleep(duration > 0 ? duration : INFINITY);
	return pg_now() - start;
}

static json_t *getrandom_json(const struct pg_probe_snapshot *s)
{
	json_t *g, *buckets = json_array();
	uint32_t b;

	for (b = 0; b < PG_HIST_NBUCKETS; b++) {
		if (!s->getrandom_hist[b])
			continue;
		json_array_append_new(buckets, json_pack("{s:I, s:I, s:I}", "lower_ns",
							 (json_int_t)pg_hist_lower(b), "upper_ns",
							 (json_int_t)pg_hist_upper(b), "count",
							 (json_int_t)s->getrandom_hist[b]));
	}
	g = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "calls",
		      (json_int_t)s->getrandom_calls, "lat_p50_ns",
		      (json_int_t)llround(pg_probe_quantile(s, 0.50)), "lat_p90_ns",
		      (json_int_t)llround(pg_probe_quantile(s, 0.90)), "lat_p99_ns",
		      (json_int_t)llround(pg_probe_quantile(s, 0.99)), "lat_max_ns",
		      (json_int_t)s->getrandom_lat_max_ns, "start_lost",
		      (json_int_t)s->getrandom_start_lost, "histogram", buckets);
	return g;
}

static json_t *tcp_json(const struct opts *o, const struct pg_probe_snapshot *s)
{
	json_t *ports = json_array();
	size_t i;

	for (i = 0; i < o->t.nports; i++)
		json_array_append_new(ports, json_integer(o->t.ports[i]));
	if (!o->t.netns_ino && !o->t.nports) {
		json_decref(ports);
		return json_null();
	}
	return json_pack("{s:I, s:I, s:o, s:o}", "retransmits", (json_int_t)s->tcp_retransmits,
			 "retransmit_failed", (json_int_t)s->tcp_retransmit_failed, "netns_ino",
			 o->t.netns_ino ? json_integer((json_int_t)o->t.netns_ino) : json_null(),
			 "ports", ports);
}

static json_t *result_json(const struct opts *o, const struct pg_cgroup *cg,
			   const struct pg_probe_snapshot *s, double elapsed, int sig)
{
	const char *abbrev = sig ? sigabbrev_np(sig) : NULL;
	char stopped_by[32] = "duration";
	json_t *target;

	if (abbrev)
		snprintf(stopped_by, sizeof(stopped_by), "SIG%s", abbrev);
	target = json_pack("{s:s, s:I, s:o}", "cgroup", cg->path, "cgroup_id", (json_int_t)cg->id,
			   "pid", o->pid ? json_integer((json_int_t)o->pid) : json_null());
	return json_pack("{s:o, s:f, s:s, s:o, s:o}", "target", target, "duration_s",
			 round(elapsed * 1000) / 1000, "stopped_by", stopped_by, "getrandom",
			 getrandom_json(s), "tcp", tcp_json(o, s));
}

static int write_json(const char *path, json_t *j, struct pg_err *err)
{
	if (!j)
		return pg_err_nomem(err);
	if (strcmp(path, "-"))
		return pg_json_save(j, path, 0, err);
	pg_json_print(j, stdout); /* main() checks stdout at exit */
	return 0;
}

static void warn_scope(const struct opts *o, const struct pg_cgroup *cg)
{
	if (cg->id == 1)
		fprintf(stderr,
			"perfgate: warning: '%s' is the cgroup v2 root; every task in "
			"it is probed\n",
			cg->path);
	if (!o->t.netns_ino && !o->t.nports)
		fprintf(stderr, "perfgate: warning: the workload shares perfgate's network "
				"namespace and no --port was given; TCP retransmits are not "
				"counted\n");
}

int pg_cmd_probe(int argc, char **argv, struct pg_err *err)
{
	struct pg_workload w;
	struct pg_probe_snapshot *snap = NULL;
	struct opts o = { 0 };
	struct pg_probe *p = NULL;
	json_t *j = NULL;
	double elapsed;
	int rc;

	pg_workload_init(&w);
	rc = parse(argc, argv, &o, err);
	if (!rc && strcmp(o.out, "-")) /* a typo must not cost the whole wait */
		rc = pg_fs_check_target(o.out, err);
	if (rc)
		goto out;
	rc = resolve(&o, &w, err);
	if (rc)
		goto out;
	o.t.cgroup_id = w.target.cg.id;
	o.t.cgroup_level = w.target.cg.level;
	warn_scope(&o, &w.target.cg);
	snap = malloc(sizeof(*snap));
	if (!snap) {
		rc = pg_err_nomem(err);
		goto out;
	}
	rc = pg_probe_new(&p, &o.t, err);
	if (rc)
		goto out;
	elapsed = wait_for(o.duration);
	rc = pg_probe_read(p, snap, err);
	pg_probe_free(p); /* detach before writing */
	p = NULL;
	if (rc)
		goto out;
	j = result_json(&o, &w.target.cg, snap, elapsed, pg_sig_pending());
	rc = write_json(o.out, j, err);
out:
	json_decref(j);
	pg_probe_free(p);
	free(snap);
	pg_workload_stop(&w); /* borrowed target: released, never stopped */
	pg_attach_cfg_release(&o.a);
	return rc;
}
