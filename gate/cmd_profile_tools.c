// SPDX-License-Identifier: MIT
/* perfgate profile diff | flame | folded: the other things users do with a
 * pprof profile: the -top table of the difference of two profiles (as
 * `go tool pprof -top -diff_base BASE CUR`), a flame graph as SVG, and
 * folded stacks for other flame graph tools. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "flame.h"
#include "fs.h"
#include "pprof.h"

#define MAX_PROFILE_FILE (1u << 30)

struct tool_args {
	const char *files[2];
	size_t nfiles;
	const char *out, *base, *sample_index;
	unsigned long n;
};

static int parse(int argc, char **argv, struct tool_args *a, size_t want, struct pg_err *err)
{
	static const struct option longopts[] = {
		{ "sample-index", required_argument, NULL, 'i' },
		{ "base", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:o:", longopts, NULL)) != -1) {
		if (c == 'n' && (rc = pg_cli_parse_uint(optarg, "-n", 1000000000UL, &a->n, err)))
			return rc;
		else if (c == 'o')
			a->out = optarg;
		else if (c == 'b')
			a->base = optarg;
		else if (c == 'i')
			a->sample_index = optarg;
		else if (c == '?' || c == ':')
			return pg_cli_badopt(err, "profile", optopt, argv[optind - 1]);
	}
	for (; optind < argc && a->nfiles < 2; optind++)
		a->files[a->nfiles++] = argv[optind];
	if (a->nfiles != want || optind < argc)
		return pg_err_set(err, PG_EUSAGE,
				  "'profile %s' takes %s; see 'perfgate profile --help'", argv[0],
				  want == 2 ? "BASE and CUR" : "one FILE");
	return 0;
}

/* The -top table of cur - base, through pprof's own diff_base form. */
static int diff(int argc, char **argv, struct pg_err *err)
{
	struct tool_args a = { 0 };
	struct pg_top_opts o = PG_TOP_OPTS_PPROF;
	struct pg_profile *base = NULL, *cur = NULL, *d = NULL;
	struct pg_buf merged = PG_BUF_INIT(MAX_PROFILE_FILE);
	struct pg_top t = { 0 };
	int si, rc;

	rc = parse(argc, argv, &a, 2, err);
	if (!rc && !(rc = pg_profile_load(&base, a.files[0], err)))
		rc = pg_profile_load(&cur, a.files[1], err);
	if (!rc && (rc = pg_profile_compatible(base, cur, 1, err)))
		rc = pg_err_set(err, rc,
				"cannot diff '%.200s' against '%.200s': they are profiles of "
				"different kinds (other sample or period types)",
				a.files[1], a.files[0]);
	if (!rc)
		rc = pg_profile_diff_base(&merged, base, cur, err);
	if (!rc)
		rc = pg_profile_parse(&d, merged.data, merged.len, err);
	if (!rc)
		rc = pg_profile_sample_index(d, a.sample_index, &si, err);
	o.node_count = a.n;
	if (!rc)
		rc = pg_profile_top_opts(d, si, &o, &t, err);
	if (!rc)
		rc = pg_top_write_text(stdout, d, &t, err);
	pg_top_release(&t);
	pg_profile_free(d);
	pg_buf_release(&merged);
	pg_profile_free(cur);
	pg_profile_free(base);
	return rc;
}

/* A --base the user named must be a profile: a report's flame graph falls
 * back to the current run alone (and says so inside the SVG), but on the
 * command line that would hide a typo. */
static int read_base(struct pg_buf *base, const char *path, struct pg_err *err)
{
	struct pg_profile *p = NULL;
	int rc = pg_buf_read_file(base, path, err);

	if (!rc)
		rc = pg_profile_file_error(pg_profile_parse(&p, base->data, base->len, err), path,
					   err);
	pg_profile_free(p);
	return rc;
}

/* Render into memory, then publish atomically: no partial SVG on error. */
static int flame(int argc, char **argv, struct pg_err *err)
{
	struct tool_args a = { 0 };
	struct pg_buf cur = PG_BUF_INIT(MAX_PROFILE_FILE), base = PG_BUF_INIT(MAX_PROFILE_FILE);
	char *text = NULL;
	size_t len = 0;
	FILE *m = NULL;
	int rc;

	rc = parse(argc, argv, &a, 1, err);
	if (!rc && !a.out)
		rc = pg_err_set(err, PG_EUSAGE,
				"'profile flame' needs -o SVG; see 'perfgate "
				"profile --help'");
	if (!rc)
		rc = pg_buf_read_file(&cur, a.files[0], err);
	if (!rc && a.base)
		rc = read_base(&base, a.base, err);
	if (!rc && !(m = open_memstream(&text, &len)))
		rc = pg_err_nomem(err);
	if (!rc)
		rc = pg_profile_file_error(pg_flame_svg(m, a.base ? base.data : NULL, base.len,
							cur.data, cur.len, err),
					   a.files[0], err);
	if (m && fclose(m) && !rc)
		rc = pg_err_nomem(err);
	if (!rc)
		rc = pg_fs_write_atomic(a.out, text, len, 0, err);
	free(text);
	pg_buf_release(&base);
	pg_buf_release(&cur);
	return rc;
}

static int folded(int argc, char **argv, struct pg_err *err)
{
	struct tool_args a = { 0 };
	struct pg_profile *p = NULL;
	int rc;

	rc = parse(argc, argv, &a, 1, err);
	if (!rc)
		rc = pg_profile_load(&p, a.files[0], err);
	if (!rc)
		rc = pg_flame_folded(stdout, p, err);
	pg_profile_free(p);
	return rc;
}

int pg_profile_tool(int argc, char **argv, struct pg_err *err)
{
	if (!strcmp(argv[0], "diff"))
		return diff(argc, argv, err);
	if (!strcmp(argv[0], "flame"))
		return flame(argc, argv, err);
	if (!strcmp(argv[0], "folded"))
		return folded(argc, argv, err);
	return 1;
}
