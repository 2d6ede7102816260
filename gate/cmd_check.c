/* perfgate check: resolve the reference baseline, capture, compare, and
 * write the reports. Resolution and the baseline file are checked before
 * the capture, so a missing or broken baseline costs no load run. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "buf.h"
#include "capture.h"
#include "cli.h"
#include "compare.h"
#include "config.h"
#include "fs.h"
#include "gitlab_note.h"
#include "report.h"

#define MAX_PROFILE_BYTES (256u << 20)

const char pg_usage_check[] =
	"usage: perfgate check [-c FILE] [-s SCENARIO] [--against REV] [--runs N]\n"
	"                      [--threshold PCT] [--report-dir DIR] [--no-probes]\n"
	"                      [--no-baseline=pass|fail] [--no-confirm] [--gitlab-note] [-v]\n"
	"\n"
	"Capture the scenario, compare it with the baseline of the nearest commit on\n"
	"the reference's first-parent history, print the table and write reports.\n"
	"\n"
	"  -c FILE           config (default: perfgate.json at the repository root)\n"
	"  -s SCENARIO       scenario (may be omitted when the config has one)\n"
	"  --against REV     reference commit (default: $CI_MERGE_REQUEST_DIFF_BASE_SHA,\n"
	"                    else the merge base of HEAD and base_branch, else HEAD)\n"
	"  --runs N          runs (default: the config's)\n"
	"  --threshold PCT   global threshold in percent (per-metric \"gate\" rules win)\n"
	"  --report-dir DIR  write result.json, junit.xml, metrics.txt, summary.md and\n"
	"                    flame-diff.svg (when the scenario has a pprof_url)\n"
	"  --no-probes       capture without eBPF; the probe metrics are absent\n"
	"  --no-baseline=M   fail (default: exit 4) or pass (exit 0 with a warning)\n"
	"                    when no baseline is found\n"
	"  --no-confirm      fail on the first capture's regressions; by default a\n"
	"                    regression must hold in a second capture too\n"
	"  --gitlab-note     post summary.md as a merge-request note, edited in place\n"
	"                    on later pipelines (GitLab CI: CI_API_V4_URL, CI_PROJECT_ID,\n"
	"                    CI_MERGE_REQUEST_IID, and PERFGATE_GITLAB_TOKEN, a project\n"
	"                    access token with api scope); a failure is a warning\n"
	"  -v, --verbose     progress lines even when stderr is not a terminal\n"
	"\n"
	"Exit status: 0 pass, 1 regression, 2 usage or input error, 3 infrastructure\n"
	"error, 4 no baseline.\n";

struct check_args {
	struct pg_scenario_args sc;
	const char *against, *report_dir;
	double threshold;
	int has_threshold, no_baseline_pass, no_confirm, gitlab_note;
};

static int parse_opt(int c, struct check_args *a, struct pg_err *err)
{
	switch (c) {
	case 'a':
		a->against = optarg;
		return 0;
	case 'd':
		a->report_dir = optarg;
		return 0;
	case 'n':
		a->no_confirm = 1;
		return 0;
	case 'g':
		a->gitlab_note = 1;
		return 0;
	case 't':
		a->has_threshold = 1;
		return pg_cli_parse_double(optarg, "--threshold", 0, 1e6, &a->threshold, err);
	case 'b':
		if (strcmp(optarg, "pass") && strcmp(optarg, "fail"))
			return pg_err_set(err, PG_EUSAGE,
					  "--no-baseline takes pass or fail, not '%s'", optarg);
		a->no_baseline_pass = !strcmp(optarg, "pass");
		return 0;
	}
	return pg_cli_scenario_opt(&a->sc, c, optarg, err);
}

static int parse(int argc, char **argv, struct check_args *a, struct pg_err *err)
{
	static const struct option opts[] = {
		PG_SCENARIO_LONGOPTS,
		{ "against", required_argument, NULL, 'a' },
		{ "report-dir", required_argument, NULL, 'd' },
		{ "threshold", required_argument, NULL, 't' },
		{ "no-baseline", required_argument, NULL, 'b' },
		{ "no-confirm", no_argument, NULL, 'n' },
		{ "gitlab-note", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, PG_SCENARIO_SHORTOPTS, opts, NULL)) != -1) {
		rc = parse_opt(c, a, err);
		if (rc > 0)
			return pg_cli_badopt(err, "check", optopt, argv[optind - 1]);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return pg_err_set(err, PG_EUSAGE,
				  "check takes no arguments, not '%s'; see "
				  "'perfgate check --help'",
				  argv[optind]);
	return 0;
}

struct check {
	struct pg_config cfg;
	const struct pg_scenario *sc;
	struct pg_baseline_store *store;
	struct pg_baseline_ref ref;
	struct pg_result base, cur;
	struct pg_buf base_prof, cur_prof;
	struct pg_verdict v;
	int have_base;
};

static void check_init(struct check *k)
{
	memset(k, 0, sizeof(*k));
	pg_config_init(&k->cfg);
	pg_result_init(&k->base);
	pg_result_init(&k->cur);
	pg_verdict_init(&k->v);
	k->base_prof = (struct pg_buf)PG_BUF_INIT(MAX_PROFILE_BYTES);
	k->cur_prof = (struct pg_buf)PG_BUF_INIT(MAX_PROFILE_BYTES);
}

static void check_release(struct check *k)
{
	pg_verdict_release(&k->v);
	pg_buf_release(&k->cur_prof);
	pg_buf_release(&k->base_prof);
	pg_result_release(&k->cur);
	pg_result_release(&k->base);
	pg_baseline_store_free(k->store);
	pg_config_release(&k->cfg);
}

static int open_config(struct check *k, const struct check_args *a, struct pg_err *err)
{
	int rc;

	rc = pg_config_open(&k->cfg, a->sc.config, a->sc.scenario, &k->sc, err);
	return rc ? rc : pg_baseline_store_open(&k->store, &k->cfg, k->sc->name, err);
}

/* Resolve and load the baseline (and its profile, when there is one). A
 * missing baseline is not an error with --no-baseline=pass: the run goes
 * on without a comparison. */
static int load_baseline(struct check *k, const struct check_args *a, struct pg_err *err)
{
	char path[4096];
	int rc;

	rc = pg_baseline_resolve(k->store, a->against, k->cfg.base_branch, &k->ref, err);
	if (rc == PG_ENOBASELINE && a->no_baseline_pass) {
		fprintf(stderr, "perfgate: warning: %s; passing because of --no-baseline=pass\n",
			err->msg);
		return 0;
	}
	if (rc ||
	    (rc = pg_baseline_path(k->store, k->ref.commit, ".json", path, sizeof(path), err)) ||
	    (rc = pg_result_load(&k->base, path, err)))
		return rc;
	k->have_base = 1;
	if (pg_baseline_path(k->store, k->ref.commit, ".pb.gz", path, sizeof(path), NULL) ||
	    !pg_fs_exists(path))
		return 0;
	return pg_buf_read_file(&k->base_prof, path, err);
}

static int compare(struct check *k, const struct check_args *a, struct pg_err *err)
{
	struct pg_compare_opts o;
	int rc;

	pg_compare_opts_init(&o);
	o.threshold_pct = a->has_threshold ? a->threshold : k->cfg.threshold_pct;
	o.rules = k->sc->gate;
	o.nrules = k->sc->ngate;
	rc = pg_compare_results(&k->base, &k->cur, &o, &k->v, err);
	if (rc)
		return rc;
	/* the file's key is the commit the baseline belongs to */
	free(k->v.ref_commit);
	k->v.ref_commit = strdup(k->ref.commit);
	k->v.ref_distance = k->ref.distance;
	return k->v.ref_commit ? 0 : pg_err_nomem(err);
}

/* Reports: the table on stdout, the files in --report-dir. failure is the
 * error that ended the run early (only result.json then records it). */
static int report(struct check *k, const struct check_args *a, const struct pg_err *failure,
		  struct pg_err *err)
{
	struct pg_report r = { 0 };
	int rc = 0;

	r.current = &k->cur;
	r.baseline = k->have_base ? &k->base : NULL;
	r.verdict = k->have_base && !failure ? &k->v : NULL;
	r.error = failure;
	r.warning = !k->have_base && !failure ? "no baseline found; passed by --no-baseline=pass"
					      : NULL;
	r.baseline_profile = k->base_prof.data;
	r.baseline_profile_len = k->base_prof.len;
	r.current_profile = k->cur_prof.data;
	r.current_profile_len = k->cur_prof.len;
	if (!failure) {
		r.color = pg_report_want_color(stdout);
		rc = pg_report_print(pg_report_writer_find("text"), &r, stdout, err);
	}
	if (!rc && a->report_dir)
		rc = pg_report_write_dir(&r, a->report_dir, err);
	if (!rc && a->gitlab_note)
		pg_gitlab_note_post(&r, a->report_dir, a->sc.capture.verbose);
	return rc;
}

static int capture(struct check *k, const struct check_args *a, struct pg_err *err)
{
	int rc = pg_capture_run(&k->cfg, k->sc, &a->sc.capture, &k->cur, &k->cur_prof, err);

	/* host facts and creation time, as capture -o records them */
	return rc ? rc : pg_result_set_host(&k->cur, err);
}

/* The regressed metrics' names, comma-separated, for the stderr lines. */
static void regressed(const struct pg_verdict *v, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < v->nrows && len < n; i++)
		if (v->rows[i].verdict == PG_VERDICT_REGRESSION)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
						v->rows[i].metric);
}

/* A regression must hold in a second capture before it fails the gate. The
 * host's speed drifts over minutes on shared machines (see the README), and
 * a drift that pushes one capture over a threshold rarely pushes the next
 * over the same one; a real regression survives. The report shows the
 * confirming capture, with notes on the rows the two disagree on. */
static int confirm(struct check *k, const struct check_args *a, struct pg_err *err)
{
	struct pg_verdict first = k->v;
	char names[200];
	int rc;

	regressed(&first, names, sizeof(names));
	fprintf(stderr, "perfgate: %s regressed; capturing again to confirm\n", names);
	pg_verdict_init(&k->v);
	pg_result_release(&k->cur);
	pg_result_init(&k->cur);
	rc = capture(k, a, err);
	if (!rc)
		rc = compare(k, a, err);
	if (!rc)
		pg_verdict_confirm(&k->v, &first);
	pg_verdict_release(&first);
	return rc;
}

int pg_cmd_check(int argc, char **argv, struct pg_err *err)
{
	struct check_args a = { 0 };
	struct pg_err ignored = PG_ERR_INIT;
	struct check k;
	char names[200];
	int rc;

	check_init(&k);
	if ((rc = parse(argc, argv, &a, err)) || (rc = open_config(&k, &a, err)))
		goto out;
	rc = load_baseline(&k, &a, err);
	if (!rc)
		rc = capture(&k, &a, err);
	if (!rc && k.have_base)
		rc = compare(&k, &a, err);
	if (!rc && k.have_base && k.v.nregressions && !a.no_confirm)
		rc = confirm(&k, &a, err);
	if (rc && rc != PG_EUSAGE && rc != PG_EINPUT) {
		/* the run failed: result.json records why, and nothing else */
		if (!k.cur.scenario)
			k.cur.scenario = strdup(k.sc->name);
		report(&k, &a, err, &ignored);
		goto out;
	}
	if (rc || (rc = report(&k, &a, NULL, err)))
		goto out;
	rc = k.have_base && k.v.nregressions ? PG_REGRESSION : 0;
	if (rc) { /* main prints it: every non-zero exit says why on stderr */
		regressed(&k.v, names, sizeof(names));
		pg_err_set(err, PG_REGRESSION, "regression: %s; see the table above%s%s", names,
			   a.report_dir ? " and the reports in " : "",
			   a.report_dir ? a.report_dir : "");
	}
out:
	check_release(&k);
	return rc;
}
