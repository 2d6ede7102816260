// SPDX-License-Identifier: MIT
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "config.h"

static const struct pg_cmd commands[] = {
	{ "check", pg_cmd_check, "capture, compare with the nearest baseline, gate",
	  pg_usage_check },
	{ "capture", pg_cmd_capture, "run a scenario and write its metrics", pg_usage_capture },
	{ "compare", pg_cmd_compare, "compare a result with a baseline", pg_usage_compare },
	{ "baseline", pg_cmd_baseline, "record, list, show, diff and prune baselines",
	  pg_usage_baseline },
	{ "profile", pg_cmd_profile, "read pprof profiles: top, diff, flame graph, folded",
	  pg_usage_profile },
	{ "probe", pg_cmd_probe, "attach the eBPF probes to a cgroup or process", pg_usage_probe },
	{ "hook", pg_cmd_hook, "install the git pre-push hook", pg_usage_hook },
	{ "build", pg_cmd_build, "run the scenario's build, as check does before measuring",
	  pg_usage_build },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: perfgate [--version] [--help] <command> [<args>]\n\n"
		   "A performance-regression gate for services.\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee 'perfgate <command> --help' for a command's options.\n");
}

static const struct pg_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	}
	return 0;
}

int pg_cli_run(int argc, char **argv, struct pg_err *err)
{
	const struct pg_cmd *cmd;

	if (argc < 2)
		return pg_err_set(err, PG_EUSAGE, "no command given; see 'perfgate --help'");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("perfgate %s\n", PG_VERSION);
		return 0;
	}
	cmd = find(argv[1]);
	if (!cmd)
		return pg_err_set(err, PG_EUSAGE,
				  "'%s' is not a perfgate command; see 'perfgate --help'", argv[1]);
	if (wants_help(argc - 1, argv + 1)) {
		fputs(cmd->usage, stdout);
		return 0;
	}
	return cmd->fn(argc - 1, argv + 1, err);
}

int pg_cli_parse(const struct pg_cli_opts *o, int argc, char **argv, void *args, int *first,
		 struct pg_err *err)
{
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, o->shortopts, o->longopts, NULL)) != -1) {
		rc = c == '?' || c == ':' ? 1 : o->take(args, c, optarg, err);
		if (rc > 0)
			return pg_cli_badopt(err, o->cmd, optopt, argv[optind - 1]);
		if (rc)
			return rc;
	}
	*first = optind;
	return 0;
}

int pg_cli_badopt(struct pg_err *err, const char *cmd, int optopt_char, const char *arg)
{
	/* a long option without its value: optopt is its short code, which
	 * the user never typed; name what they did type */
	if (arg && !strncmp(arg, "--", 2))
		return pg_err_set(
			err, PG_EUSAGE,
			"option '%.*s' is unknown or needs a value; see 'perfgate %s --help'",
			(int)strcspn(arg, "="), arg, cmd);
	if (optopt_char && optopt_char != '?')
		return pg_err_set(
			err, PG_EUSAGE,
			"option '-%c' is unknown or needs a value; see 'perfgate %s --help'",
			optopt_char, cmd);
	return pg_err_set(err, PG_EUSAGE,
			  "option '%s' is unknown or needs a value; see 'perfgate %s --help'",
			  arg ? arg : "?", cmd);
}

int pg_cli_parse_uint(const char *s, const char *opt, unsigned long max, unsigned long *out,
		      struct pg_err *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-' || v > max)
		return pg_err_set(err, PG_EUSAGE, "%s takes a whole number from 0 to %lu, not '%s'",
				  opt, max, s);
	*out = v;
	return 0;
}

int pg_cli_parse_double(const char *s, const char *opt, double min, double max, double *out,
			struct pg_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < min || v > max)
		return pg_err_set(err, PG_EUSAGE, "%s takes a number from %g to %g, not '%s'", opt,
				  min, max, s);
	*out = v;
	return 0;
}

int pg_cli_parse_threshold(const char *s, double *out, struct pg_err *err)
{
	int rc = pg_cli_parse_double(s, "--threshold", 0, PG_THRESHOLD_MAX, out, err);

	if (!rc && *out <= 0)
		rc = pg_err_set(err, PG_EUSAGE, "--threshold must be above 0, not '%s'", s);
	return rc;
}

int pg_cli_scenario_opt(struct pg_scenario_args *a, int c, const char *arg, struct pg_err *err)
{
	unsigned long runs;
	int rc;

	switch (c) {
	case 'c':
		a->config = arg;
		return 0;
	case 's':
		a->scenario = arg;
		return 0;
	case 'P':
		a->capture.no_probes = 1;
		return 0;
	case 'v':
		a->capture.verbose++;
		return 0;
	case 'r':
		rc = pg_cli_parse_uint(arg, "--runs", 1000, &runs, err);
		if (!rc && !runs)
			rc = pg_err_set(err, PG_EUSAGE, "--runs must be at least 1");
		if (!rc)
			a->capture.runs = (int)runs;
		return rc;
	}
	return 1;
}
