// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capture.h"
#include "owner.h"
#include "capture_priv.h"
#include "child.h"
#include "esc.h"
#include "goinfo.h"
#include "uprobe.h"
#include "http.h"
#include "loadrun.h"
#include "pprof.h"
#include "probe.h"
#include "sig.h"
#include "url.h"
#include "workload.h"

/* A CPU profile may take this long past its seconds before we give up. */
#define PPROF_MARGIN_S 15

struct pprof_fetch {
	char url[2048];
	struct pg_http_opts o;
	struct pg_buf body;
	struct pg_err err;
	int rc;
	pthread_t thread;
	int started;
};

/* Everything one run holds; released by run_release on every path. */
struct run {
	const struct pg_scenario *sc;
	const char *tree; /* the config's directory: the workload runs there */
	const struct pg_capture_opts *o;
	struct pg_progress *pr;
	struct pg_workload w;
	struct pg_probe **probes; /* the capture's, kept across runs */
	struct pg_probe *probe;	  /* *probes once this run's target is set */
	struct pg_uprobe *vdso;	  /* Go 1.24+ on Linux 6.11+: vDSO getrandom calls */
	uint64_t vdso0, vdso1;
	struct pprof_fetch pf;
	char origin[256];
	struct pg_probe_snapshot s0, s1;
	uint64_t cpu0, cpu1;
	struct pg_pressure p0, p1;
	struct pg_loadmetric *lm;
	size_t nlm;
};

/* CPU placement, opt-in with PERFGATE_PIN=1 on hosts with 2+ CPUs: the
 * workload gets the last CPU and the load script the first, so the two
 * never trade places between runs. On a dedicated host this makes CPU per
 * request tighter; on a shared one a tenant busy on the pinned CPU slows
 * the workload, which can no longer move away, so it is not the default. */
static int pinned(void)
{
	const char *v = getenv("PERFGATE_PIN");

	return v && !strcmp(v, "1") && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

/* A duet (paired.h) gives each side one CPU for its workload and load. */
static int workload_cpu(const struct pg_capture_opts *o)
{
	if (o->cpu > 0)
		return o->cpu - 1;
	return pinned() ? (int)sysconf(_SC_NPROCESSORS_ONLN) - 1 : -1;
}

static int load_cpu(const struct pg_capture_opts *o)
{
	if (o->cpu > 0)
		return o->cpu - 1;
	return pinned() ? 0 : -1;
}

static void *pprof_main(void *arg)
{
	struct pprof_fetch *f = arg;

	f->rc = pg_http_get(f->url, &f->o, &f->body, NULL, &f->err);
	return NULL;
}

/* Ask for a CPU profile covering the measured window, on a thread, while
 * the load runs. */
static int pprof_start(struct run *r, double seconds, struct pg_err *err)
{
	struct pprof_fetch *f = &r->pf;
	const char *url = r->sc->pprof_url;

	if (snprintf(f->url, sizeof(f->url), "%s%sseconds=%.0f", url, strchr(url, '?') ? "&" : "?",
		     seconds < 1 ? 1 : seconds) >= (int)sizeof(f->url))
		return pg_err_set(err, PG_EINPUT, "pprof_url '%.100s' is too long", url);
	f->o.timeout_s = seconds + PPROF_MARGIN_S;
	f->o.netns_fd = r->w.target.ns.fd;
	if (pthread_create(&f->thread, NULL, pprof_main, f))
		return pg_err_set(err, PG_EINFRA, "cannot start the pprof thread");
	f->started = 1;
	return 0;
}

static int pprof_join(struct run *r, struct pg_err *err)
{
	struct pprof_fetch *f = &r->pf;

	if (!f->started)
		return 0;
	pthread_join(f->thread, NULL);
	f->started = 0;
	if (f->rc)
		return pg_err_set(err, PG_EINFRA, "cannot fetch the CPU profile: %s", f->err.msg);
	return 0;
}

static void run_init(struct run *r, const struct pg_config *cfg, const struct pg_scenario *sc,
		     const struct pg_capture_opts *o, struct pg_progress *pr,
		     struct pg_probe **probes)
{
	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->tree = cfg->dir;
	r->o = o;
	r->pr = pr;
	r->probes = probes;
	pg_workload_init(&r->w);
	r->pf.o = (struct pg_http_opts)PG_HTTP_OPTS_INIT;
	r->pf.body = (struct pg_buf)PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
}

/* Teardown order: the workload goes first, so a pending pprof request
 * fails fast instead of running out its seconds. */
static void run_release(struct run *r)
{
	r->probe = NULL;
	pg_uprobe_free(r->vdso);
	r->vdso = NULL;
	pg_workload_stop(&r->w);
	if (r->pf.started) {
		pthread_join(r->pf.thread, NULL);
		r->pf.started = 0;
	}
	pg_buf_release(&r->pf.body);
	pg_loadmetrics_free(r->lm, r->nlm);
	r->lm = NULL;
	r->nlm = 0;
}

/* Go 1.24+ on Linux 6.11+ calls getrandom through the vDSO, out of the
 * syscall tracepoints' sight: count those calls with a uprobe on the
 * runtime's function, when the binary has it. Best effort: without it the
 * reports still say that getrandom.* counts only syscalls. */
static void attach_vdso(struct run *r)
{
	const char *exe = r->sc->workload.cmd ? r->sc->workload.cmd[0] : NULL;
	struct utsname u;
	char v[64];

	if (!exe || !strchr(exe, '/') || uname(&u) || pg_goinfo_version(exe, v, sizeof(v), NULL) ||
	    !pg_goinfo_vdso_getrandom(v, u.release))
		return;
	pg_uprobe_new(&r->vdso, exe, PG_UPROBE_GO_VGETRANDOM, r->w.target.cg.id,
		      r->w.target.cg.level, NULL);
}

static int attach_probes(struct run *r, struct pg_err *err)
{
	struct pg_probe_target t;
	struct pg_err perr = PG_ERR_INIT;

	memset(&t, 0, sizeof(t));
	t.cgroup_id = r->w.target.cg.id;
	t.cgroup_level = r->w.target.cg.level; /* an attached pod's containers too */
	t.netns_ino = r->w.target.ns.ino;
	if (!t.netns_ino && r->w.target.port) {
		t.ports[0] = r->w.target.port;
		t.nports = 1;
	}
	/* Loading and verifying the programs is most of the cost of a probe
	 * (~0.1 s here): the first run does it, later runs only retarget. */
	if (*r->probes ? !pg_probe_retarget(*r->probes, &t, &perr)
		       : !pg_probe_new(r->probes, &t, &perr)) {
		r->probe = *r->probes;
		attach_vdso(r);
		return 0;
	}
	return pg_err_set(err, PG_EINFRA, "%.200s; or capture without them: --no-probes", perr.msg);
}

static void tick(void *arg, double left)
{
	struct run *r = arg;

	pg_progress_tick(r->pr, left);
}

/* Run the load script; a workload that died meanwhile is the cause to
 * report, whatever the script made of it. */
static int load(struct run *r, double seconds, int measured, struct pg_err *err)
{
	struct pg_loadrun l = { .cfg = &r->sc->load,
				.workload_env = r->sc->workload.env,
				.nworkload_env = r->sc->workload.nenv,
				.target_url = r->origin,
				.duration_s = seconds,
				.netns_fd = r->w.target.ns.fd,
				.cpu = load_cpu(r->o),
				.echo = r->o->verbose > 1,
				.tick = tick,
				.tick_arg = r,
				/* no cgroup for the workload (no root): none for it either */
				.no_cgroup = !r->w.target.cg.path[0] };
	struct pg_err werr = PG_ERR_INIT;
	int rc;

	rc = pg_loadrun(&l, measured ? &r->lm : NULL, &r->nlm, err);
	if (pg_workload_check(&r->w, measured ? "during the load" : "during the warm-up", &werr)) {
		*err = werr;
		rc = werr.code;
	}
	return rc;
}

/* The measured window: snapshots around the load, the profile during it.
 * The CPU reading waits for the profile too, so its encoding cost (small)
 * always lands inside the window rather than sometimes. */
static int measure(struct run *r, struct pg_err *err)
{
	double d = r->sc->load.duration_s;
	int rc;

	if (r->probe && (rc = pg_probe_read(r->probe, &r->s0, err)))
		return rc;
	if (r->vdso && (rc = pg_uprobe_read(r->vdso, &r->vdso0, err)))
		return rc;
	rc = pg_workload_cpu_usec(&r->w, &r->cpu0, err);
	pg_pressure_read(&r->w.target.cg, &r->p0);
	if (!rc && r->sc->pprof_url)
		rc = pprof_start(r, d, err);
	pg_progress_phase(r->pr, "load", d);
	if (!rc)
		rc = load(r, d, 1, err);
	if (!rc)
		rc = pprof_join(r, err);
	if (!rc)
		rc = pg_workload_cpu_usec(&r->w, &r->cpu1, err);
	pg_pressure_read(&r->w.target.cg, &r->p1);
	if (!rc && r->probe)
		rc = pg_probe_read(r->probe, &r->s1, err);
	if (!rc && r->vdso)
		rc = pg_uprobe_read(r->vdso, &r->vdso1, err);
	return rc;
}

/* Without probes and without root: no cgroup, no namespace. */
static int no_cgroup(const struct pg_capture_opts *o)
{
	return o->no_probes && geteuid() != 0;
}

static int run_phases(struct run *r, struct pg_err *err)
{
	const struct pg_workload_cfg *wc = &r->sc->workload;
	struct pg_workload_opts wo = { workload_cpu(r->o), r->o->verbose > 1, 0, r->tree,
				       no_cgroup(r->o) };
	int rc;

	pg_progress_phase(r->pr, "start", 0);
	rc = pg_url_origin(wc->ready_url, r->origin, sizeof(r->origin), err);
	if (!rc)
		rc = pg_workload_start(&r->w, wc, &wo, err);
	if (!rc)
		rc = pg_workload_wait_ready(&r->w, wc->ready_url, wc->ready_timeout_s, err);
	if (!rc && !r->o->no_probes) {
		pg_progress_phase(r->pr, "attach", 0);
		rc = attach_probes(r, err);
	}
	if (!rc && r->sc->load.warmup_s > 0) {
		pg_progress_phase(r->pr, "warm-up", r->sc->load.warmup_s);
		rc = load(r, r->sc->load.warmup_s, 0, err);
	}
	if (!rc)
		rc = measure(r, err);
	if (rc && pg_sig_pending())
		rc = pg_err_interrupted(err);
	return rc;
}

/* One run: start, measure, stop, then record. Stopping comes before the
 * profile is parsed so the workload does not idle while perfgate works. */
static int run_one(struct run *r, struct pg_result *out, struct pg_buf *profile, struct pg_err *err)
{
	int rc, vdso;

	rc = run_phases(r, err);
	vdso = r->vdso != NULL; /* its counts are read; the probe goes now */
	pg_progress_phase(r->pr, "stop", 0);
	r->probe = NULL;
	pg_uprobe_free(r->vdso);
	r->vdso = NULL;
	pg_workload_stop(&r->w);
	if (!rc)
		rc = pg_capture_add_metrics(out, r->lm, r->nlm, r->o->no_probes ? NULL : &r->s0,
					    &r->s1, r->cpu1 - r->cpu0, err);
	if (!rc)
		rc = pg_capture_add_pressure(out, &r->p0, &r->p1, err);
	if (!rc && vdso)
		rc = pg_result_add_value(out, "getrandom.vdso_calls", "count", PG_BETTER_NONE,
					 (double)(r->vdso1 - r->vdso0), err);
	if (!rc && r->pf.body.len)
		rc = pg_capture_add_profile(out, profile, &r->pf.body, err);
	return rc;
}

/* The workload's Go toolchain, when its binary is a Go one: the reports
 * say when getrandom goes through the vDSO, out of the probes' sight. */
static void record_go_version(const struct pg_scenario *sc, struct pg_result *out)
{
	char v[64];

	if (out->go_version || !sc->workload.cmd || !sc->workload.cmd[0] ||
	    !strchr(sc->workload.cmd[0], '/') ||
	    pg_goinfo_version(sc->workload.cmd[0], v, sizeof(v), NULL))
		return;
	out->go_version = strdup(v);
}

/* What the result lacks, said once per process: a paired check captures
 * a dozen times and the lines would drown its rounds. */
static void say_caveats(const struct pg_capture_opts *o, const struct pg_result *out)
{
	static int said_probes, said_profile;

	if (o->no_probes && !said_probes++) {
		fprintf(stderr, "perfgate: captured without probes (--no-probes): the "
				"getrandom.* and tcp.* metrics are absent\n");
		if (no_cgroup(o))
			fprintf(stderr,
				"perfgate: without root: no cgroup and no network namespace; "
				"cpu.seconds_per_req counts the workload's main process only "
				"(not its children) and it shares this host's network\n");
	}
	/* the profile is evidence, not a metric: the capture stands without
	 * it, but a developer should not have to find out from the JSON */
	if (out->profile_error && !said_profile++) {
		fputs("perfgate: warning: ", stderr);
		pg_esc_fputs(stderr, out->profile_error);
		fputc('\n', stderr);
	}
}

int pg_capture_run(const struct pg_config *cfg, const struct pg_scenario *sc,
		   const struct pg_capture_opts *o, struct pg_result *out, struct pg_buf *profile,
		   struct pg_err *err)
{
	struct pg_progress pr;
	struct pg_probe *probes = NULL;
	struct run r;
	int i, n = o->runs > 0 ? o->runs : cfg->runs;
	int rc = 0;

	pg_progress_init(&pr, o, n);
	free(out->scenario);
	out->scenario = strdup(sc->name);
	if (!out->scenario)
		return pg_err_nomem(err);
	out->runs = n;
	record_go_version(sc, out);
	if (no_cgroup(o) && !out->cpu_scope && !(out->cpu_scope = strdup(PG_CPU_SCOPE_PROCESS)))
		return pg_err_nomem(err);
	for (i = 0; i < n && !rc; i++) {
		pg_progress_run(&pr, i + 1);
		run_init(&r, cfg, sc, o, &pr, &probes);
		rc = run_one(&r, out, profile, err);
		run_release(&r);
	}
	/* Between runs the programs stay attached, filtering on a cgroup and
	 * namespace that no longer exist; they go with the capture. */
	pg_probe_free(probes);
	pg_progress_done(&pr);
	if (!rc) {
		pg_result_sort_funcs(out);
		say_caveats(o, out);
	}
	return rc;
}
