// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure.h"
#include "cli.h"
#include "config.h"
#include "fs.h"
#include "pprof.h"
#include "result.h"

const char pg_usage_capture[] =
	"usage: perfgate capture [-c FILE] [-s SCENARIO] [--runs N] [--no-probes] [-v]\n"
	"                        -o RESULT.json\n"
	"\n"
	"Run a scenario N times and write every run's metrics to RESULT.json, with the\n"
	"runs' CPU profiles merged beside it as RESULT.pb.gz; print the metrics table.\n"
	"\n"
	"    -c, --config FILE      the config (default: perfgate.json at the root of\n"
	"                           the git repository around the current directory)\n"
	"    -s, --scenario NAME    the scenario (may be omitted when there is one)\n"
	"        --runs N           runs instead of the config's \"runs\"\n"
	"        --no-probes        no eBPF (no root needed): getrandom.* and tcp.*\n"
	"                           metrics are absent\n"
	"    -v, --verbose          progress lines outside a terminal; twice: also the\n"
	"                           workload's and the load script's output\n"
	"    -o, --output FILE      the result file to write\n"
	"\n"
	"Environment: PERFGATE_PIN=1 pins the workload to the last CPU and the load\n"
	"script to the first (tighter CPU figures on a dedicated host).\n";

struct capture_args {
	struct pg_scenario_args sc;
	const char *output;
};

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct capture_args *a = args;

	if (c != 'o')
		return pg_cli_scenario_opt(&a->sc, c, arg, err);
	a->output = arg;
	return 0;
}

static int parse_args(struct capture_args *a, int argc, char **argv, struct pg_err *err)
{
	static const struct option longopts[] = {
		PG_SCENARIO_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts opts = { "capture",
						 "+" PG_SCENARIO_SHORTOPTS "o:", longopts, take };
	int first, rc;

	rc = pg_cli_parse(&opts, argc, argv, a, &first, err);
	if (rc)
		return rc;
	if (first < argc)
		return pg_err_set(err, PG_EUSAGE,
				  "unexpected argument '%s'; see 'perfgate capture --help'",
				  argv[first]);
	if (!a->output)
		return pg_err_set(err, PG_EUSAGE,
				  "capture needs -o RESULT.json; see 'perfgate capture --help'");
	return 0;
}

/* result.json -> result.pb.gz; other names get .pb.gz appended. */
static int profile_path(const char *result, char *out, size_t n, struct pg_err *err)
{
	size_t len = strlen(result);

	if (len > 5 && !strcmp(result + len - 5, ".json"))
		len -= 5;
	if (snprintf(out, n, "%.*s.pb.gz", (int)len, result) >= (int)n)
		return pg_err_set(err, PG_EUSAGE, "output path '%s' is too long", result);
	return 0;
}

static void print_value(double v)
{
	printf(" %.6g", v);
}

/* name, unit, median, per-run values: what a developer reads first. */
static void print_table(const struct pg_result *r)
{
	size_t i, j;

	printf("%-32s %-6s %12s  %s\n", "metric", "unit", "median", "runs");
	for (i = 0; i < r->nmetrics; i++) {
		const struct pg_metric *m = &r->metrics[i];

		printf("%-32s %-6s %12.6g ", m->name, m->unit, pg_metric_median(m));
		for (j = 0; j < m->nvalues; j++)
			print_value(m->values[j]);
		printf("\n");
	}
}

/* Both files, or neither: a profile whose result could not be written is
 * taken back. */
static int save(const struct pg_result *r, const struct pg_buf *profile, const char *output,
		struct pg_err *err)
{
	char pb[PATH_MAX];
	int rc;

	rc = profile_path(output, pb, sizeof(pb), err);
	if (rc || !profile->len)
		return rc ? rc : pg_result_save(r, output, 0, err);
	rc = pg_fs_write_atomic(pb, profile->data, profile->len, 0, err);
	if (!rc && (rc = pg_result_save(r, output, 0, err)))
		unlink(pb);
	return rc;
}

/* The output paths can be written: known before the runs, not after. */
static int check_outputs(const char *output, struct pg_err *err)
{
	char pb[PATH_MAX];
	int rc = profile_path(output, pb, sizeof(pb), err);

	if (!rc)
		rc = pg_fs_check_target(output, err);
	return rc ? rc : pg_fs_check_target(pb, err);
}

int pg_cmd_capture(int argc, char **argv, struct pg_err *err)
{
	struct capture_args a = { 0 };
	struct pg_config cfg;
	struct pg_result r;
	struct pg_buf profile = PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	const struct pg_scenario *sc;
	int rc;

	pg_config_init(&cfg);
	pg_result_init(&r);
	rc = parse_args(&a, argc, argv, err);
	if (!rc)
		rc = check_outputs(a.output, err);
	if (!rc)
		rc = pg_config_open(&cfg, a.sc.config, a.sc.scenario, &sc, err);
	if (!rc)
		rc = pg_measure_once(&(struct pg_measure){ &cfg, sc, &a.sc.capture, NULL, NULL },
				     &r, &profile, err);
	if (!rc)
		rc = save(&r, &profile, a.output, err);
	if (!rc)
		print_table(&r);
	pg_buf_release(&profile);
	pg_result_release(&r);
	pg_config_release(&cfg);
	return rc;
}
