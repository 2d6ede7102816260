// SPDX-License-Identifier: MIT
/* perfgate baseline: the per-commit baseline files a team commits and
 * reviews. The subcommand table, and list, show, diff and prune here;
 * record and propose in cmd_baseline_record.c. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "baseline_diff.h"
#include "cli.h"
#include "cmd_baseline_int.h"
#include "esc.h"
#include "report.h"

const char pg_usage_baseline[] =
	"usage: perfgate baseline record [-c FILE] [-s SCENARIO] [--from RESULT.json]\n"
	"                                [--force] [--allow-dirty] [--runs N] [--no-probes]\n"
	"       perfgate baseline list [-c FILE] [-s SCENARIO]\n"
	"       perfgate baseline show [REV] [-c FILE] [-s SCENARIO]\n"
	"       perfgate baseline diff [REV1] REV2 [--format text|markdown] [-c FILE]\n"
	"                              [-s SCENARIO]\n"
	"       perfgate baseline prune --keep N [-c FILE] [-s SCENARIO]\n"
	"       perfgate baseline propose [record's options] [--remote R] [--no-push]\n"
	"\n"
	"Baselines are files <baselines_dir>/<scenario>/<commit>.json (+ .pb.gz, the\n"
	"CPU profile), committed with the code they measure.\n"
	"\n"
	"  record       capture the scenario (or take --from RESULT.json) and save it as\n"
	"               the baseline of HEAD (of the result's commit with --from);\n"
	"               refuses to replace one without --force, and a work tree with\n"
	"               modified tracked files without --allow-dirty\n"
	"  list         baselines, newest first on HEAD's first-parent history\n"
	"  show [REV]   the baseline a check from REV (default HEAD) would use\n"
	"  diff REV     REV's baseline against the one before it (first-parent history):\n"
	"               per metric old and new medians, the change, and whether the runs\n"
	"               overlap (inside the noise); top movers; both hosts\n"
	"  diff A B     the same for the baselines of A and B (never one with itself)\n"
	"  prune        remove all but the --keep N newest baselines\n"
	"  propose      record HEAD's baseline, commit it on perfgate/baseline-<sha>\n"
	"               (work tree, index and HEAD untouched) and push it to --remote\n"
	"               (default $PERFGATE_PUSH_URL, else origin) with GitLab's\n"
	"               merge-request push options; the description (old -> new per\n"
	"               metric, noise, movers, hosts) is printed, in the commit\n"
	"               message, and set through the API when PERFGATE_GITLAB_TOKEN\n"
	"               is set in a GitLab CI job\n"
	"\n"
	"  -c FILE      config (default: perfgate.json at the repository root)\n"
	"  -s SCENARIO  scenario (may be omitted when the config has one)\n";

static int take(void *args, int c, const char *arg, struct pg_err *err)
{
	struct pg_baseline_args *a = args;

	switch (c) {
	case 'F':
		a->from = arg;
		return 0;
	case 'f':
		a->force = 1;
		return 0;
	case 'd':
		a->allow_dirty = 1;
		return 0;
	case 'k':
		a->has_keep = 1;
		return pg_cli_parse_uint(arg, "--keep", 1000000, &a->keep, err);
	case 'm':
		if (strcmp(arg, "text") && strcmp(arg, "markdown"))
			return pg_err_set(
				err, PG_EUSAGE,
				"'baseline diff --format' takes text or markdown, not '%s'", arg);
		a->markdown = !strcmp(arg, "markdown");
		return 0;
	case 'R':
		a->remote = arg;
		return 0;
	case 'N':
		a->no_push = 1;
		return 0;
	}
	return pg_cli_scenario_opt(&a->sc, c, arg, err);
}

static int parse(int argc, char **argv, struct pg_baseline_args *a, struct pg_err *err)
{
	static const struct option longopts[] = {
		PG_SCENARIO_LONGOPTS,
		{ "from", required_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		{ "allow-dirty", no_argument, NULL, 'd' },
		{ "keep", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'm' },
		{ "remote", required_argument, NULL, 'R' },
		{ "no-push", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct pg_cli_opts opts = { "baseline", PG_SCENARIO_SHORTOPTS, longopts,
						 take };
	int first, rc;

	rc = pg_cli_parse(&opts, argc, argv, a, &first, err);
	if (rc)
		return rc;
	a->pos = argv + first;
	a->npos = argc - first;
	return 0;
}

static int ctx_open(struct pg_baseline_ctx *x, const struct pg_scenario_args *a, struct pg_err *err)
{
	int rc;

	rc = pg_config_open(&x->cfg, a->config, a->scenario, &x->sc, err);
	return rc ? rc : pg_baseline_store_open(&x->store, &x->cfg, x->sc->name, err);
}

static void ctx_close(struct pg_baseline_ctx *x)
{
	pg_baseline_store_free(x->store);
	pg_config_release(&x->cfg);
}

/* Baselines come from merge requests: every string is printed inert. */
#define ESC(buf, s) pg_esc_text(buf, sizeof(buf), (s) ? (s) : "?", 0)

static void show_result(const struct pg_result *r, const struct pg_baseline_ref *ref)
{
	char med[32], e1[256], e2[256], e3[256], e4[256];
	size_t i, k;

	printf("baseline %s", ref->commit);
	if (ref->distance)
		printf(" (%d commit%s before %s)", ref->distance, ref->distance == 1 ? "" : "s",
		       ref->how);
	printf("\nscenario %s, recorded %s, %d run%s%s\nhost %s, %d cores, kernel %s\n",
	       ESC(e1, r->scenario), ESC(e2, r->created), r->runs, r->runs == 1 ? "" : "s",
	       r->dirty ? " (dirty work tree)" : "", ESC(e3, r->host.cpu_model), r->host.cores,
	       ESC(e4, r->host.kernel));
	if (pg_result_cpu_main_only(r))
		printf("cpu      the workload's main process only (captured without root)\n");
	putchar('\n');
	printf("%-34s %-7s %-6s %12s  %s\n", "metric", "unit", "better", "median", "runs");
	for (i = 0; i < r->nmetrics; i++) {
		pg_report_fmt_value(med, sizeof(med), pg_metric_median(&r->metrics[i]));
		printf("%-34s %-7s %-6s %12s ", ESC(e1, r->metrics[i].name),
		       ESC(e2, r->metrics[i].unit), pg_better_name(r->metrics[i].better), med);
		for (k = 0; k < r->metrics[i].nvalues; k++)
			printf(" %.6g", r->metrics[i].values[k]);
		putchar('\n');
	}
}

/* The file, and the previous baseline's file: what a reviewer diffs. */
static int show_paths(struct pg_baseline_ctx *x, const struct pg_baseline_ref *ref,
		      struct pg_err *err)
{
	struct pg_baseline_ref prev;
	struct pg_result r;
	char path[4096];
	int rc;

	if ((rc = pg_baseline_path(x->store, ref->commit, ".json", path, sizeof(path), err)))
		return rc;
	printf("file     %s\n", path);
	pg_result_init(&r);
	rc = pg_baseline_diff_previous(x->store, ref->commit, &r, &prev, err);
	pg_result_release(&r);
	if (rc == PG_ENOBASELINE) {
		printf("previous (none: the first baseline on this history)\n");
		return 0;
	}
	if (!rc &&
	    !(rc = pg_baseline_path(x->store, prev.commit, ".json", path, sizeof(path), err)))
		printf("previous %s\n", path);
	return rc;
}

static int cmd_show(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, struct pg_err *err)
{
	struct pg_baseline_ref ref;
	struct pg_result r;
	int rc;

	if (a->npos > 1)
		return pg_err_set(err, PG_EUSAGE, "'baseline show' takes at most one revision");
	pg_result_init(&r);
	rc = pg_baseline_diff_nearest(x->store, a->npos ? a->pos[0] : "HEAD", &r, &ref, err);
	if (!rc)
		rc = show_paths(x, &ref, err);
	if (!rc)
		show_result(&r, &ref);
	pg_result_release(&r);
	return rc;
}

/* diff REV: REV's baseline against its predecessor; diff A B: A's against
 * B's. The same baseline on both sides is refused: a diff of a baseline
 * with itself shows nothing and reads as "no change". */
static int cmd_diff(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, struct pg_err *err)
{
	struct pg_baseline_ref ra, rb;
	struct pg_result old, new;
	struct pg_baseline_side so = { &old, ra.commit, NULL }, sn = { &new, rb.commit, NULL };
	char po[4096], pn[4096];
	int rc;

	if (a->npos < 1 || a->npos > 2)
		return pg_err_set(err, PG_EUSAGE, "'baseline diff' takes REV or REV1 REV2");
	pg_result_init(&old);
	pg_result_init(&new);
	if ((rc = pg_baseline_diff_nearest(x->store, a->pos[a->npos - 1], &new, &rb, err)))
		goto out;
	rc = a->npos == 2 ? pg_baseline_diff_nearest(x->store, a->pos[0], &old, &ra, err)
			  : pg_baseline_diff_previous(x->store, rb.commit, &old, &ra, err);
	if (rc)
		goto out;
	if (!strcmp(ra.commit, rb.commit)) {
		rc = pg_err_set(err, PG_EUSAGE,
				"'%s' and '%s' both use the baseline of %.12s; a baseline diffed "
				"with itself shows nothing (give one revision to compare with its "
				"predecessor)",
				a->pos[0], a->pos[a->npos - 1], rb.commit);
		goto out;
	}
	if ((rc = pg_baseline_path(x->store, ra.commit, ".json", po, sizeof(po), err)) ||
	    (rc = pg_baseline_path(x->store, rb.commit, ".json", pn, sizeof(pn), err)))
		goto out;
	so.path = pg_baseline_diff_relpath(po, x->cfg.dir);
	sn.path = pg_baseline_diff_relpath(pn, x->cfg.dir);
	rc = pg_baseline_diff_write(stdout, &so, &sn, a->markdown, err);
out:
	pg_result_release(&new);
	pg_result_release(&old);
	return rc;
}

static int cmd_list(struct pg_baseline_ctx *x, const struct pg_baseline_args *a, struct pg_err *err)
{
	struct pg_baseline_entry *e = NULL;
	struct pg_result r;
	char path[4096], e1[256], e2[256];
	size_t n, i;
	int rc;

	if (a->npos)
		return pg_err_set(err, PG_EUSAGE, "'baseline list' takes no arguments");
	rc = pg_baseline_list(x->store, &e, &n, err);
	if (rc)
		return rc;
	if (!n)
		printf("no baselines for '%s'; record one with 'perfgate baseline record'\n",
		       x->sc->name);
	for (i = 0; i < n; i++) {
		pg_result_init(&r);
		if (!pg_baseline_path(x->store, e[i].sha, ".json", path, sizeof(path), NULL) &&
		    !pg_result_load(&r, path, NULL))
			printf("%s  %-20s  %d run%s  %s", e[i].sha, ESC(e1, r.created), r.runs,
			       r.runs == 1 ? " " : "s", ESC(e2, r.host.cpu_model));
		else
			printf("%s  (unreadable)", e[i].sha);
		if (e[i].order >= 0)
			printf("  HEAD~%d\n", e[i].order);
		else
			printf("  (not on HEAD's first-parent history)\n");
		pg_result_release(&r);
	}
	pg_baseline_entries_free(e);
	return 0;
}

static int cmd_prune(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
		     struct pg_err *err)
{
	if (!a->has_keep)
		return pg_err_set(err, PG_EUSAGE, "'baseline prune' needs --keep N");
	if (a->npos)
		return pg_err_set(err, PG_EUSAGE, "'baseline prune' takes no arguments, not '%s'",
				  a->pos[0]);
	return pg_baseline_prune(x->store, a->keep, stdout, err);
}

typedef int (*sub_fn)(struct pg_baseline_ctx *x, const struct pg_baseline_args *a,
		      struct pg_err *err);

static const struct {
	const char *name;
	sub_fn fn;
} subs[] = {
	{ "record", pg_baseline_cmd_record },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "diff", cmd_diff },
	{ "prune", cmd_prune },
	{ "propose", pg_baseline_cmd_propose },
};

static sub_fn find_sub(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(subs[i].name, name))
			return subs[i].fn;
	return NULL;
}

int pg_cmd_baseline(int argc, char **argv, struct pg_err *err)
{
	struct pg_baseline_args a = { 0 };
	struct pg_baseline_ctx x = { 0 };
	const char *name = argc > 1 ? argv[1] : "";
	sub_fn sub = find_sub(name);
	int rc;

	pg_config_init(&x.cfg);
	if (!sub) {
		rc = pg_err_set(
			err, PG_EUSAGE,
			"baseline needs record, list, show, diff, prune or propose%s%s%s; see "
			"'perfgate baseline --help'",
			*name ? ", not '" : "", name, *name ? "'" : "");
		goto out;
	}
	rc = parse(argc - 1, argv + 1, &a, err);
	if (rc)
		goto out;
	rc = ctx_open(&x, &a.sc, err);
	if (rc)
		goto out;
	rc = sub(&x, &a, err);
out:
	ctx_close(&x);
	return rc;
}
