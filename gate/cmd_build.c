// SPDX-License-Identifier: MIT
/* perfgate build: run the scenario's "build" in the config's directory, the
 * same build check, capture and baseline record run before measuring. The
 * pre-push hook and the CI template call it so what is measured is what the
 * pushed commit's code makes, with the build's log apart from the gate's. */
#include <getopt.h>
#include <stdio.h>

#include "build.h"
#include "capture.h"
#include "cli.h"
#include "config.h"

const char pg_usage_build[] =
	"usage: perfgate build [-c FILE] [-s SCENARIO] [-v]\n"
	"\n"
	"Run the scenario's \"build\" command in the directory of the config file, as\n"
	"check, capture and baseline record do before measuring. Nothing to do when\n"
	"the scenario has no \"build\".\n"
	"\n"
	"  -c FILE      config (default: perfgate.json at the repository root)\n"
	"  -s SCENARIO  scenario (may be omitted when the config has one)\n"
	"  -v           say what is built; twice: the build's own output too\n"
	"\n"
	"Exit status: 0 built (or nothing to build), 2 usage or config error, 3 the\n"
	"build failed (the last lines of its output are printed).\n";

int pg_cmd_build(int argc, char **argv, struct pg_err *err)
{
	static const struct option opts[] = { PG_SCENARIO_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct pg_scenario_args a = { 0 };
	const struct pg_scenario *sc;
	struct pg_config cfg;
	int c, rc = 0;

	pg_config_init(&cfg);
	opterr = 0;
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, PG_SCENARIO_SHORTOPTS, opts, NULL)) != -1) {
		rc = pg_cli_scenario_opt(&a, c, optarg, err);
		if (rc > 0)
			rc = pg_cli_badopt(err, "build", optopt, argv[optind - 1]);
	}
	if (!rc && optind < argc)
		rc = pg_err_set(err, PG_EUSAGE, "build takes no arguments, not '%s'", argv[optind]);
	if (!rc)
		rc = pg_config_open(&cfg, a.config, a.scenario, &sc, err);
	if (!rc)
		rc = pg_build_run(&sc->build, cfg.dir, "the current tree", a.capture.verbose, err);
	pg_config_release(&cfg);
	return rc;
}
