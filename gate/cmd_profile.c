// SPDX-License-Identifier: MIT
/* perfgate profile top: the table of `go tool pprof -top` for a profile
 * file, or the same functions as JSON with exact integers. The other
 * subcommands live in cmd_profile_tools.c. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "pprof.h"
#include "utf8.h"

const char pg_usage_profile[] =
	"usage: perfgate profile top FILE [-n N] [--sample-index I] [--node-fraction F]\n"
	"                            [--all] [--json]\n"
	"       perfgate profile diff BASE CUR [-n N] [--sample-index I]\n"
	"       perfgate profile flame FILE -o SVG [--base BASE]\n"
	"       perfgate profile folded FILE\n"
	"\n"
	"diff prints the -top table of CUR minus BASE, as\n"
	"`go tool pprof -top -diff_base BASE CUR` does (percentages of BASE's total).\n"
	"flame writes a flame graph of FILE (a differential one against --base) as\n"
	"SVG with a search box and click-to-zoom. folded prints one line per call\n"
	"path, \"main;handle;parse 1234\", in the profile's unit, for flamegraph.pl\n"
	"and similar tools.\n"
	"\n"
	"top reads a pprof profile (gzip-compressed or raw protobuf, any producer)\n"
	"and lists its functions as `go tool pprof -top FILE` does: the same header,\n"
	"columns (flat, flat%, sum%, cum, cum%), order, units and rounding. cum\n"
	"counts a function once per sample even under recursion; inlined frames are\n"
	"functions of their own, marked (inline) or (partial-inline).\n"
	"\n"
	"As with pprof, functions whose cum is under 0.5% of the total are dropped\n"
	"(\"Dropped N nodes\"); --all keeps every function.\n"
	"\n"
	"options:\n"
	"  -n N                 show only the first N functions (pprof -nodecount=N)\n"
	"  --sample-index I     the sample type to report: a 0-based index or a type\n"
	"                       name (pprof -sample_index); default: the profile's\n"
	"                       default_sample_type, else its last type\n"
	"  --node-fraction F    drop functions with cum under F of the total\n"
	"                       (pprof -nodefraction; default 0.005)\n"
	"  --all                every function (--node-fraction 0)\n"
	"  --json               print {\"sample_type\", \"unit\", \"total\", \"functions\":\n"
	"                       [{\"name\", \"flat\", \"cum\"}]} with exact integers in\n"
	"                       the sample type's own unit (the listed functions)\n"
	"\n"
	"Times print in the local time zone, as pprof does (TZ=UTC for UTC).\n"
	"Exit status: 0 on success, 2 for bad usage or a malformed profile.\n";

struct top_args {
	const char *file;
	const char *sample_index;
	struct pg_top_opts opts;
	int json;
};

/* Names may be any bytes; JSON needs UTF-8, so invalid bytes become U+FFFD
 * as Go's encoding/json does. */
static json_t *json_name(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char *buf = malloc(3 * n + 1);
	size_t i = 0, o = 0, len;
	uint32_t cp;
	json_t *j;

	if (!buf)
		return NULL;
	while (i < n) {
		len = pg_utf8_decode(u + i, n - i, &cp);
		if (len && cp) {
			memcpy(buf + o, u + i, len);
			o += len, i += len;
			continue;
		}
		memcpy(buf + o, "\xef\xbf\xbd", 3);
		o += 3, i++;
	}
	j = json_stringn(buf, o);
	free(buf);
	return j;
}

static int print_json(const struct pg_top *t, struct pg_err *err)
{
	json_t *root = NULL, *funcs, *fn;
	size_t i;
	int rc = 0;

	funcs = json_array();
	root = json_pack("{s:o,s:o,s:I,s:o}", "sample_type",
			 json_name(t->sample_type, strlen(t->sample_type)), "unit",
			 json_name(t->unit, strlen(t->unit)), "total", (json_int_t)t->total,
			 "functions", funcs);
	if (!root) {
		rc = pg_err_nomem(err);
		goto out;
	}
	for (i = 0; i < t->nfuncs; i++) {
		fn = json_pack("{s:o,s:I,s:I}", "name",
			       json_name(t->funcs[i].name, t->funcs[i].name_len), "flat",
			       (json_int_t)t->funcs[i].flat, "cum", (json_int_t)t->funcs[i].cum);
		if (!fn || json_array_append_new(funcs, fn)) {
			rc = pg_err_nomem(err);
			goto out;
		}
	}
	if (json_dumpf(root, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF)
		rc = pg_err_set(err, PG_EINFRA, "cannot write standard output");
out:
	json_decref(root);
	return rc;
}

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct top_args *a = args;
	unsigned long n;
	int rc;

	switch (c) {
	case 'n':
		rc = pg_cli_parse_uint(arg, "-n", 1000000000UL, &n, err);
		if (!rc)
			a->opts.node_count = n;
		return rc;
	case 'i':
		a->sample_index = arg;
		return 0;
	case 'f':
		return pg_cli_parse_double(arg, "--node-fraction", 0, 1, &a->opts.node_fraction,
					   err);
	case 'a':
		a->opts.node_fraction = 0;
		return 0;
	case 'j':
		a->json = 1;
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct top_args *a, struct pg_err *err)
{
	static const struct option longopts[] = {
		{ "sample-index", required_argument, NULL, 'i' },
		{ "node-fraction", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts opts = { "profile", "n:", longopts, take };
	int first, rc;

	rc = pg_cli_parse(&opts, argc, argv, a, &first, err);
	if (rc)
		return rc;
	if (first >= argc || strcmp(argv[first], "top"))
		return pg_err_set(err, PG_EUSAGE,
				  "expected 'perfgate profile top|diff|flame|folded'; see "
				  "'perfgate profile --help'");
	if (argc - first != 2)
		return pg_err_set(err, PG_EUSAGE,
				  "'profile top' takes one FILE; see "
				  "'perfgate profile --help'");
	a->file = argv[first + 1];
	return 0;
}

int pg_cmd_profile(int argc, char **argv, struct pg_err *err)
{
	struct top_args a = { NULL, NULL, PG_TOP_OPTS_PPROF, 0 };
	struct pg_profile *p = NULL;
	struct pg_top t = { 0 };
	int rc;

	if (argc >= 2 && (rc = pg_profile_tool(argc - 1, argv + 1, err)) != 1)
		return rc;
	rc = parse_args(argc, argv, &a, err);
	if (rc)
		return rc;
	rc = pg_profile_top_load(&p, a.file, a.sample_index, &a.opts, &t, err);
	if (rc)
		goto out;
	rc = a.json ? print_json(&t, err) : pg_top_write_text(stdout, p, &t, err);
out:
	pg_top_release(&t);
	pg_profile_free(p);
	return rc;
}
