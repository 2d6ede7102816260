// SPDX-License-Identifier: MIT
/* The command table and its dispatch, git-style: `perfgate CMD [ARGS]`.
 * Each command lives in gate/cmd_<name>.c, parses its own options, calls the
 * modules and renders; it returns 0, PG_REGRESSION or a negative PG_E* code
 * with err filled, and never exits. `--help` is handled here from the table. */
#ifndef PG_CLI_H
#define PG_CLI_H

#include <getopt.h>

#include "err.h"

#define PG_VERSION "0.1.0"

typedef int (*pg_cmd_fn)(int argc, char **argv, struct pg_err *err);

struct pg_cmd {
	const char *name;
	pg_cmd_fn fn;
	const char *summary;
	const char *usage; /* full usage text, printed by `perfgate CMD --help` */
};

int pg_cli_run(int argc, char **argv, struct pg_err *err);

/* One command's options, the one shape every command parses with: take
 * gets each option getopt_long returns (c, its value) and returns 0 when
 * taken, 1 when c is none of its options (a usage error that names the
 * argument), or a negative PG_E* from checking the value. */
struct pg_cli_opts {
	const char *cmd;	       /* for messages: "see 'perfgate CMD --help'" */
	const char *shortopts;	       /* getopt's; "+" first stops at the first operand */
	const struct option *longopts; /* NULL-terminated */
	int (*take)(void *args, int c, const char *arg, struct pg_err *err);
};

/* Parse argv (argv[0] is the command) into args; *first gets the index of
 * the first operand. */
int pg_cli_parse(const struct pg_cli_opts *o, int argc, char **argv, void *args, int *first,
		 struct pg_err *err);

/* For getopt_long users (opterr = 0): turn the failing argv element into a
 * usage error that names it and points at `perfgate CMD --help`. */
int pg_cli_badopt(struct pg_err *err, const char *cmd, int optopt_char, const char *arg);

/* Parse a non-negative decimal or fractional number option strictly. */
int pg_cli_parse_uint(const char *s, const char *opt, unsigned long max, unsigned long *out,
		      struct pg_err *err);
int pg_cli_parse_double(const char *s, const char *opt, double min, double max, double *out,
			struct pg_err *err);

/* --threshold PCT: above 0, at most PG_THRESHOLD_MAX, as in the config. */
int pg_cli_parse_threshold(const char *s, double *out, struct pg_err *err);

/* The options of the commands that run a scenario (capture, check,
 * baseline record): -c FILE, -s SCENARIO, --runs N, --no-probes, -v, parsed
 * into a struct pg_scenario_args (capture.h, which those commands use). */
struct pg_scenario_args;

#define PG_SCENARIO_SHORTOPTS "c:s:v"
/* clang-format off */
#define PG_SCENARIO_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "scenario", required_argument, NULL, 's' }, \
	{ "runs", required_argument, NULL, 'r' }, \
	{ "no-probes", no_argument, NULL, 'P' }, \
	{ "verbose", no_argument, NULL, 'v' }
/* clang-format on */

/* Take getopt's option c if it is one of those: 0 when taken, 1 when not
 * one of them, negative on a bad value. */
int pg_cli_scenario_opt(struct pg_scenario_args *a, int c, const char *arg, struct pg_err *err);

int pg_cmd_check(int argc, char **argv, struct pg_err *err);
int pg_cmd_capture(int argc, char **argv, struct pg_err *err);
int pg_cmd_compare(int argc, char **argv, struct pg_err *err);
int pg_cmd_baseline(int argc, char **argv, struct pg_err *err);
int pg_cmd_profile(int argc, char **argv, struct pg_err *err);
/* profile diff | flame | folded (argv[0] is the subcommand); 1 when
 * argv[0] is none of them. */
int pg_profile_tool(int argc, char **argv, struct pg_err *err);
int pg_cmd_probe(int argc, char **argv, struct pg_err *err);
int pg_cmd_build(int argc, char **argv, struct pg_err *err);
int pg_cmd_hook(int argc, char **argv, struct pg_err *err);

extern const char pg_usage_check[], pg_usage_capture[], pg_usage_compare[];
extern const char pg_usage_baseline[], pg_usage_profile[], pg_usage_probe[];
extern const char pg_usage_build[], pg_usage_hook[];

#endif
