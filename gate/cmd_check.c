// SPDX-License-Identifier: MIT
/* perfgate check: parse, run the check use case (check.h: stored or
 * paired), print the table and write the reports. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "config.h"
#include "gitlab_note.h"
#include "report.h"

const char pg_usage_check[] =
	"usage: perfgate check [-c FILE] [-s SCENARIO] [--against REV] [--runs N]\n"
	"                      [--threshold PCT] [--report-dir DIR] [--no-probes]\n"
	"                      [--no-baseline=pass|fail] [--no-confirm]\n"
	"                      [--mode auto|paired|stored] [--duet | --interleaved]\n"
	"                      [--inconclusive=pass|fail] [--gitlab-note] [-v]\n"
	"\n"
	"Measure the scenario and judge it against its reference commit: in paired\n"
	"mode the reference is built and re-measured here, in rounds interleaved with\n"
	"the current tree; in stored mode the baseline recorded for the nearest commit\n"
	"on the reference's first-parent history is the reference. Print the table\n"
	"and write reports.\n"
	"\n"
	"  -c FILE           config (default: perfgate.json at the repository root)\n"
	"  -s SCENARIO       scenario (may be omitted when the config has one)\n"
	"  --against REV     reference commit (default: $CI_MERGE_REQUEST_DIFF_BASE_SHA,\n"
	"                    else the merge base of HEAD and base_branch, else HEAD)\n"
	"  --runs N          stored mode: runs (default: the config's); a paired round\n"
	"                    captures one run of each side\n"
	"  --threshold PCT   global threshold in percent (per-metric \"gate\" rules win)\n"
	"  --report-dir DIR  write result.json, junit.xml, metrics.txt, summary.md,\n"
	"                    report.html, flame-diff.svg (with a pprof_url) and, in\n"
	"                    paired mode, reference.json\n"
	"  --no-probes       capture without eBPF; the probe metrics are absent\n"
	"  --no-baseline=M   fail (default: exit 4) or pass (exit 0 with a warning)\n"
	"                    when no baseline is found\n"
	"  --no-confirm      stored mode: fail on the first capture's regressions; by\n"
	"                    default a regression must hold in a second capture too\n"
	"  --mode M          paired, stored or auto (default: the config's \"mode\",\n"
	"                    else auto: paired when the scenario has a build)\n"
	"  --duet            paired mode (the default): both sides of a round at once,\n"
	"                    each on a CPU and in a network namespace of its own\n"
	"                    (needs isolate_network: else the sides are interleaved)\n"
	"  --interleaved     paired mode: one side after the other, in random order\n"
	"                    (config: \"paired\": {\"duet\": false})\n"
	"  --inconclusive=V  paired mode: what a metric still undecided after\n"
	"                    max_rounds does to the exit status: pass (default, with\n"
	"                    a warning) or fail (exit 1)\n"
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
	int no_baseline_pass, no_confirm, inconclusive_fail, mode, duet, gitlab_note;
};

static int pass_or_fail(const char *opt, const char *v, int *fail, struct pg_err *err)
{
	if (strcmp(v, "pass") && strcmp(v, "fail"))
		return pg_err_set(err, PG_EUSAGE, "%s takes pass or fail, not '%s'", opt, v);
	*fail = !strcmp(v, "fail");
	return 0;
}

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct check_args *a = args;

	switch (c) {
	case 'a':
		a->against = arg;
		return 0;
	case 'd':
		a->report_dir = arg;
		return 0;
	case 'n':
		a->no_confirm = 1;
		return 0;
	case 'g':
		a->gitlab_note = 1;
		return 0;
	case 't':
		return pg_cli_parse_threshold(arg, &a->threshold, err);
	case 'b':
		if (pass_or_fail("--no-baseline", arg, &a->no_baseline_pass, err))
			return PG_EUSAGE;
		a->no_baseline_pass = !a->no_baseline_pass;
		return 0;
	case 'D':
	case 'I':
		if (a->duet == (c == 'I'))
			return pg_err_set(err, PG_EUSAGE,
					  "--duet and --interleaved exclude each other");
		a->duet = c == 'D';
		return 0;
	case 'i':
		return pass_or_fail("--inconclusive", arg, &a->inconclusive_fail, err);
	case 'm':
		a->mode = pg_mode_parse(arg);
		if (a->mode < 0)
			return pg_err_set(err, PG_EUSAGE,
					  "--mode takes auto, paired or stored, not '%s'", arg);
		return 0;
	}
	return pg_cli_scenario_opt(&a->sc, c, arg, err);
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
		{ "mode", required_argument, NULL, 'm' },
		{ "inconclusive", required_argument, NULL, 'i' },
		{ "duet", no_argument, NULL, 'D' },
		{ "interleaved", no_argument, NULL, 'I' },
		{ "gitlab-note", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts o = { "check", PG_SCENARIO_SHORTOPTS, opts, take };
	int first, rc;

	rc = pg_cli_parse(&o, argc, argv, a, &first, err);
	if (rc)
		return rc;
	if (first < argc)
		return pg_err_set(err, PG_EUSAGE,
				  "check takes no arguments, not '%s'; see "
				  "'perfgate check --help'",
				  argv[first]);
	return 0;
}

/* Reports: the table on stdout, the files in --report-dir. failure is the
 * error that ended the run early (only result.json then records it). */
static int report(const struct pg_check *k, const struct check_args *a,
		  const struct pg_err *failure, struct pg_err *err)
{
	const struct pg_verdict *v = pg_check_verdict(k);
	const struct pg_buf *bp = pg_check_reference_profile(k), *cp = pg_check_current_profile(k);
	const struct pg_result *ref = pg_check_reference(k);
	struct pg_report r = { 0 };
	const char *notes[3];
	size_t n = 0;
	int rc = 0;

	r.current = pg_check_current(k);
	r.baseline = v ? pg_check_reference(k) : NULL;
	r.verdict = failure ? NULL : v;
	r.error = failure;
	r.warning = !v && !failure ? "no baseline found; passed by --no-baseline=pass" : NULL;
	r.baseline_profile = bp->data;
	r.baseline_profile_len = bp->len;
	r.current_profile = cp->data;
	r.current_profile_len = cp->len;
	/* lines every report carries: changed baselines, rejected profiles */
	if (k->changes)
		notes[n++] = k->changes;
	if (ref && ref->profile_error)
		notes[n++] = ref->profile_error;
	if (r.current->profile_error)
		notes[n++] = r.current->profile_error;
	r.notes = notes;
	r.nnotes = n;
	r.drop_pct = k->sc->workload.drop_pct;
	r.drop_pct_known = 1;
	r.inconclusive_fails = a->inconclusive_fail;
	/* the verdict (or why there is none) reaches stdout whatever the
	 * report folder does */
	r.color = !failure && pg_report_want_color(stdout);
	rc = pg_report_print(pg_report_writer_find("text"), &r, stdout, err);
	if (!rc && a->report_dir)
		rc = pg_report_write_dir(&r, a->report_dir, err);
	if (!rc && !failure && a->gitlab_note)
		pg_gitlab_note_post(&r, a->report_dir, a->sc.capture.verbose);
	return rc;
}

/* The regressed metrics' names, comma-separated, for the stderr line. */
static void regressed(const struct pg_verdict *v, char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < v->nrows && len < n; i++)
		if (v->rows[i].verdict == PG_VERDICT_REGRESSION)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "",
						v->rows[i].metric);
}

/* The exit status of a finished check: 1 for a regression; an inconclusive
 * paired check passes with a warning unless --inconclusive=fail, because
 * the gate could not show that anything got worse, and a gate that fails
 * on what it cannot resolve teaches a team to ignore it. */
static int outcome(const struct pg_verdict *v, const struct check_args *a, struct pg_err *err)
{
	char names[200];

	if (!v)
		return 0;
	if (v->nregressions) { /* main prints it: every non-zero exit says why */
		regressed(v, names, sizeof(names));
		return pg_err_set(err, PG_REGRESSION, "regression: %s; see the table above%s%s",
				  names, a->report_dir ? " and the reports in " : "",
				  a->report_dir ? a->report_dir : "");
	}
	if (!v->ninconclusive)
		return 0;
	if (a->inconclusive_fail)
		return pg_err_set(err, PG_REGRESSION,
				  "%zu metric%s not decided within the rounds, failing because of "
				  "--inconclusive=fail; see the report's notes",
				  v->ninconclusive, v->ninconclusive == 1 ? "" : "s");
	fprintf(stderr,
		"perfgate: warning: %zu metric%s not decided within the rounds; see the "
		"report's notes\n",
		v->ninconclusive, v->ninconclusive == 1 ? "" : "s");
	return 0;
}

int pg_cmd_check(int argc, char **argv, struct pg_err *err)
{
	struct check_args a = { .mode = PG_MODE_AUTO, .duet = -1 };
	struct pg_check_opts o = { 0 };
	struct pg_err ignored = PG_ERR_INIT;
	const struct pg_scenario *sc = NULL;
	struct pg_config cfg;
	struct pg_check k;
	int rc;

	pg_config_init(&cfg);
	pg_check_init(&k, &cfg, NULL);
	rc = parse(argc, argv, &a, err);
	if (!rc)
		rc = pg_config_open(&cfg, a.sc.config, a.sc.scenario, &sc, err);
	/* a report folder that cannot take the set fails now, not after the
	 * whole measurement */
	if (!rc && a.report_dir)
		rc = pg_report_dir_check(a.report_dir, err);
	if (rc)
		goto out;
	pg_check_init(&k, &cfg, sc);
	o.against = a.against;
	o.capture = &a.sc.capture;
	pg_compare_opts_for(&o.compare, &cfg, sc, a.threshold);
	o.mode = a.mode != PG_MODE_AUTO ? (enum pg_mode)a.mode : sc->mode;
	o.no_baseline_pass = a.no_baseline_pass;
	o.no_confirm = a.no_confirm;
	o.duet = a.duet;
	rc = pg_check_run(&k, &o, err);
	if (rc && rc != PG_EUSAGE && rc != PG_EINPUT) {
		/* the run failed: result.json records why, and nothing else */
		report(&k, &a, err, &ignored);
		goto out;
	}
	if (!rc)
		rc = report(&k, &a, NULL, err);
	if (!rc)
		rc = outcome(pg_check_verdict(&k), &a, err);
out:
	pg_check_release(&k);
	pg_config_release(&cfg);
	return rc;
}
