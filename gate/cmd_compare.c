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

static int parse(int argc, char **argv, struct compare_args *a, struct pg_err *err)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const struct pg_report_writer *w;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			rc = pg_cli_parse_threshold(optarg, &a->threshold, err);
			if (rc)
				return rc;
			a->has_threshold = 1;
			break;
		case 'f':
			a->format = optarg;
			break;
		case 'c':
			a->config = optarg;
			break;
		default:
			return pg_cli_badopt(err, "compare", optopt, argv[optind - 1]);
		}
	}
	if (argc - optind != 2)
		return pg_err_set(err, PG_EUSAGE,
				  "compare takes two files, BASELINE.json and RESULT.json; "
				  "see 'perfgate compare --help'");
	a->files[0] = argv[optind];
	a->files[1] = argv[optind + 1];
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
	if ((rc = pg_result_load(&base, a.files[0], err)) ||
	    (rc = pg_result_load(&cur, a.files[1], err)) ||
	    (rc = load_rules(&a, &cur, &cfg, &o, err)))
		goto out;
	rc = pg_compare_results(&base, &cur, &o, &v, err);
	if (rc)
		goto out;
	r.baseline = &base;
	r.current = &cur;
	r.verdict = &v;
	r.color = pg_report_want_color(stdout);
	rc = pg_report_print(pg_report_writer_find(a.format), &r, stdout, err);
	if (!rc && v.nregressions) /* main prints the line: every non-zero exit has one */
		rc = pg_err_set(err, PG_REGRESSION, "regression: %zu gated metric%s regressed",
				v.nregressions, v.nregressions == 1 ? "" : "s");
out:
	pg_verdict_release(&v);
	pg_config_release(&cfg);
	pg_result_release(&cur);
	pg_result_release(&base);
	return rc;
}
