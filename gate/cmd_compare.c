// SPDX-License-Identifier: MIT
/* perfgate compare BASELINE.json RESULT.json: the decision rule on two
 * files, rendered in one format on standard output. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "cli.h"
#include "compare.h"
#include "config.h"
#include "fs.h"
#include "report.h"

const char pg_usage_compare[] =
	"usage: perfgate compare BASELINE.json RESULT.json [--threshold PCT] [--format F]\n"
	"                        [-c FILE]\n"
	"\n"
	"Compare a result with a baseline by the decision rule and print the table.\n"
	"\n"
	"  --threshold PCT  global threshold in percent (default: the config's, else 15);\n"
	"                   per-metric thresholds in the config's \"gate\" still apply\n"
	"  --format F       text (default), json, junit, markdown, openmetrics\n"
	"  -c FILE          config whose \"gate\" rules apply to the result's scenario\n"
	"                   (default: perfgate.json at the repository root, if present)\n"
	"\n"
	"Exit status: 0 pass, 1 regression, 2 bad usage or input.\n";

struct compare_args {
	const char *config;
	const char *format;
	const char *files[2];
	double threshold;
	int has_threshold;
};

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct compare_args *a = args;

	switch (c) {
	case 't':
		a->has_threshold = 1;
		return pg_cli_parse_threshold(arg, &a->threshold, err);
	case 'f':
		a->format = arg;
		return 0;
	case 'c':
		a->config = arg;
		return 0;
	}
	return 1;
}

static int parse(int argc, char **argv, struct compare_args *a, struct pg_err *err)
{
	static const struct option longopts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts opts = { "compare", "c:", longopts, take };
	const struct pg_report_writer *w;
	int first, rc;

	rc = pg_cli_parse(&opts, argc, argv, a, &first, err);
	if (rc)
		return rc;
	if (argc - first != 2)
		return pg_err_set(err, PG_EUSAGE,
				  "compare takes two files, BASELINE.json and RESULT.json; "
				  "see 'perfgate compare --help'");
	a->files[0] = argv[first];
	a->files[1] = argv[first + 1];
	w = pg_report_writer_find(a->format);
	if (!w || w->needs_profile) /* compare has result files, no profiles */
		return pg_err_set(
			err, PG_EUSAGE,
			"--format takes text, json, junit, markdown or openmetrics, not '%s'",
			a->format);
	return 0;
}

/* The config is optional here: an explicit -c must load; the default is
 * used only when it exists. Rules apply when it has the result's scenario. */
static int load_rules(const struct compare_args *a, const struct pg_result *cur,
		      struct pg_config *cfg, struct pg_compare_opts *o, struct pg_err *err)
{
	char path[4096];
	const char *p = a->config;
	const struct pg_scenario *sc = NULL;
	int rc = 0, have = 1;

	if (!p) {
		have = !pg_config_default_path(path, sizeof(path), err) && pg_fs_exists(path);
		p = path;
	}
	if (have)
		rc = pg_config_load(cfg, p, err);
	if (have && !rc && cur->scenario && pg_config_scenario(cfg, cur->scenario, &sc, NULL))
		sc = NULL;
	pg_compare_opts_for(o, have ? cfg : NULL, sc, a->has_threshold ? a->threshold : 0);
	return rc;
}

/* Both results, then the rules that apply to the current one's scenario. */
static int load_all(const struct compare_args *a, struct pg_result *base, struct pg_result *cur,
		    struct pg_config *cfg, struct pg_compare_opts *o, struct pg_err *err)
{
	int rc;

	if ((rc = pg_result_load(base, a->files[0], err)) ||
	    (rc = pg_result_load(cur, a->files[1], err)))
		return rc;
	return load_rules(a, cur, cfg, o, err);
}

int pg_cmd_compare(int argc, char **argv, struct pg_err *err)
{
	struct compare_args a = { .format = "text" };
	struct pg_result base, cur;
	struct pg_config cfg;
	struct pg_compare_opts o;
	struct pg_verdict v;
	struct pg_report r = { 0 };
	int rc;

	pg_result_init(&base);
	pg_result_init(&cur);
	pg_config_init(&cfg);
	pg_verdict_init(&v);
	pg_compare_opts_init(&o);
	rc = parse(argc, argv, &a, err);
	if (rc)
		goto out;
	rc = load_all(&a, &base, &cur, &cfg, &o, err);
	if (rc)
		goto out;
	rc = pg_compare_results(&base, &cur, &o, &v, err);
	if (rc)
		goto out;
	r.baseline = &base;
	r.current = &cur;
	r.verdict = &v;
	r.color = pg_report_want_color(stdout);
	rc = pg_report_print(pg_report_writer_find(a.format), &r, stdout, err);
	if (rc)
		goto out;
	if (v.nregressions) /* main prints the line: every non-zero exit has one */
		rc = pg_err_set(err, PG_REGRESSION,
				"regression: %zu gated metric%s regressed; see the report above",
				v.nregressions, v.nregressions == 1 ? "" : "s");
out:
	pg_verdict_release(&v);
	pg_config_release(&cfg);
	pg_result_release(&cur);
	pg_result_release(&base);
	return rc;
}
