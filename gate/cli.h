/* The command table and its dispatch, git-style: `perfgate CMD [ARGS]`.
 * Each command lives in gate/cmd_<name>.c, parses its own options, calls the
 * modules and renders; it returns 0, PG_REGRESSION or a negative PG_E* code
 * with err filled, and never exits. `--help` is handled here from the table. */
#ifndef PG_CLI_H
#define PG_CLI_H

#include "capture.h"
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
 * baseline record): -c FILE, -s SCENARIO, --runs N, --no-probes, -v. */
struct pg_scenario_args {
	const char *config;   /* NULL: pg_config_default_path() */
	const char *scenario; /* NULL: the config's only scenario */
	struct pg_capture_opts capture;
};

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
int pg_cmd_probe(int argc, char **argv, struct pg_err *err);
int pg_cmd_build(int argc, char **argv, struct pg_err *err);
int pg_cmd_hook(int argc, char **argv, struct pg_err *err);

extern const char pg_usage_check[], pg_usage_capture[], pg_usage_compare[];
extern const char pg_usage_baseline[], pg_usage_profile[], pg_usage_probe[];
extern const char pg_usage_build[], pg_usage_hook[];

#endif
