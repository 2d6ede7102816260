/* perfgate baseline record|list|show|diff|prune: the per-commit baseline
 * files a team commits and reviews. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "baseline_diff.h"
#include "buf.h"
#include "measure.h"
#include "cli.h"
#include "compare.h"
#include "config.h"
#include "fs.h"
#include "propose.h"
#include "report.h"

#define MAX_PROFILE_BYTES (256u << 20)

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

struct baseline_args {
	struct pg_scenario_args sc;
	const char *from;
	int force, allow_dirty, has_keep, markdown, no_push;
	const char *remote;
	unsigned long keep;
	char **pos; /* positional arguments after the subcommand */
	int npos;
};

static int parse_opt(int c, struct baseline_args *a, struct pg_err *err)
{
	switch (c) {
	case 'F':
		a->from = optarg;
		return 0;
	case 'f':
		a->force = 1;
		return 0;
	case 'd':
		a->allow_dirty = 1;
		return 0;
	case 'm':
		if (strcmp(optarg, "text") && strcmp(optarg, "markdown"))
			return pg_err_set(
				err, PG_EUSAGE,
				"'baseline diff --format' takes text or markdown, not '%s'",
				optarg);
		a->markdown = !strcmp(optarg, "markdown");
		return 0;
	case 'R':
		a->remote = optarg;
		return 0;
	case 'N':
		a->no_push = 1;
		return 0;
	case 'k':
		a->has_keep = 1;
		return pg_cli_parse_uint(optarg, "--keep", 1000000, &a->keep, err);
	}
	return pg_cli_scenario_opt(&a->sc, c, optarg, err);
}

static int parse(int argc, char **argv, struct baseline_args *a, struct pg_err *err)
{
	static const struct option opts[] = {
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
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, PG_SCENARIO_SHORTOPTS, opts, NULL)) != -1) {
		rc = parse_opt(c, a, err);
		if (rc > 0)
			return pg_cli_badopt(err, "baseline", optopt, argv[optind - 1]);
		if (rc)
			return rc;
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	return 0;
}

struct ctx {
	struct pg_config cfg;
	const struct pg_scenario *sc;
	struct pg_baseline_store *store;
};

static int ctx_open(struct ctx *x, const struct pg_scenario_args *a, struct pg_err *err)
{
	int rc;

	rc = pg_config_open(&x->cfg, a->config, a->scenario, &x->sc, err);
	return rc ? rc : pg_baseline_store_open(&x->store, &x->cfg, x->sc->name, err);
}

static void ctx_close(struct ctx *x)
{
	pg_baseline_store_free(x->store);
	pg_config_release(&x->cfg);
}

static void show_result(const struct pg_result *r, const struct pg_baseline_ref *ref)
{
	char med[32];
	size_t i, k;

	printf("baseline %s", ref->commit);
	if (ref->distance)
		printf(" (%d commit%s before %s)", ref->distance, ref->distance == 1 ? "" : "s",
		       ref->how);
	printf("\nscenario %s, recorded %s, %d run%s%s\nhost %s, %d cores, kernel %s\n\n",
	       r->scenario ? r->scenario : "?", r->created ? r->created : "?", r->runs,
	       r->runs == 1 ? "" : "s", r->dirty ? " (dirty work tree)" : "",
	       r->host.cpu_model ? r->host.cpu_model : "?", r->host.cores,
	       r->host.kernel ? r->host.kernel : "?");
	printf("%-34s %-7s %-6s %12s  %s\n", "metric", "unit", "better", "median", "runs");
	for (i = 0; i < r->nmetrics; i++) {
		pg_report_fmt_value(med, sizeof(med), pg_metric_median(&r->metrics[i]));
		printf("%-34s %-7s %-6s %12s ", r->metrics[i].name, r->metrics[i].unit,
		       pg_better_name(r->metrics[i].better), med);
		for (k = 0; k < r->metrics[i].nvalues; k++)
			printf(" %.6g", r->metrics[i].values[k]);
		putchar('\n');
	}
}

/* The file, and the previous baseline's file: what a reviewer diffs. */
static int show_paths(struct ctx *x, const struct pg_baseline_ref *ref, struct pg_err *err)
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

static int cmd_show(struct ctx *x, const struct baseline_args *a, struct pg_err *err)
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
static int cmd_diff(struct ctx *x, const struct baseline_args *a, struct pg_err *err)
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

static int cmd_list(struct ctx *x, struct pg_err *err)
{
	struct pg_baseline_entry *e = NULL;
	struct pg_result r;
	char path[4096];
	size_t n, i;
	int rc;

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
			printf("%s  %-20s  %d runs  %s", e[i].sha, r.created ? r.created : "?",
			       r.runs, r.host.cpu_model ? r.host.cpu_model : "?");
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

static int cmd_prune(struct ctx *x, const struct baseline_args *a, struct pg_err *err)
{
	if (!a->has_keep || a->npos)
		return pg_err_set(err, PG_EUSAGE,
				  "'baseline prune' takes --keep N and nothing else");
	return pg_baseline_prune(x->store, a->keep, stdout, err);
}

static int load_from(struct ctx *x, const char *from, struct pg_result *r, struct pg_buf *prof,
		     struct pg_err *err)
{
	char pb[4096];
	size_t len = strlen(from);
	int rc;

	rc = pg_result_load(r, from, err);
	if (rc)
		return rc;
	if (r->scenario && strcmp(r->scenario, x->sc->name))
		return pg_err_set(err, PG_EINPUT, "'%s' is a result of scenario '%s', not '%s'",
				  from, r->scenario, x->sc->name);
	if (len > 5 && !strcmp(from + len - 5, ".json"))
		len -= 5;
	if (snprintf(pb, sizeof(pb), "%.*s.pb.gz", (int)len, from) >= (int)sizeof(pb))
		return pg_err_set(err, PG_EUSAGE, "path too long: '%s'", from);
	return pg_fs_exists(pb) ? pg_buf_read_file(prof, pb, err) : 0;
}

/* A --from result keeps its own commit (HEAD if it has none). */
static int set_commit(struct ctx *x, struct pg_result *r, struct pg_err *err)
{
	char head[PG_SHA_LEN + 1];
	int rc;

	if (r->commit)
		return 0;
	if ((rc = pg_baseline_head(x->store, head, err)) ||
	    (rc = pg_baseline_dirty(x->store, &r->dirty, err)))
		return rc;
	free(r->commit);
	r->commit = strdup(head);
	return r->commit ? 0 : pg_err_nomem(err);
}

/* Refuse before a long capture what would be refused after it. */
static int precheck(struct ctx *x, const struct baseline_args *a, struct pg_err *err)
{
	char head[PG_SHA_LEN + 1], path[4096];
	int dirty, rc;

	if ((rc = pg_baseline_head(x->store, head, err)) ||
	    (rc = pg_baseline_dirty(x->store, &dirty, err)) ||
	    (rc = pg_baseline_path(x->store, head, ".json", path, sizeof(path), err)))
		return rc;
	if (dirty && !a->allow_dirty)
		return pg_err_set(err, PG_EINPUT,
				  "the work tree has uncommitted changes to tracked files; commit "
				  "them or use --allow-dirty");
	if (!a->force && pg_fs_exists(path))
		return pg_err_set(err, PG_EINPUT, "baseline '%s' exists; use --force to replace it",
				  path);
	return 0;
}

/* After a record: the baseline before it, the file a reviewer diffs with. */
static void show_previous(struct ctx *x, const char *commit)
{
	struct pg_baseline_ref prev;
	struct pg_result r;
	char path[4096];

	pg_result_init(&r);
	if (!pg_baseline_diff_previous(x->store, commit, &r, &prev, NULL) &&
	    !pg_baseline_path(x->store, prev.commit, ".json", path, sizeof(path), NULL))
		printf("previous %s (perfgate baseline diff %.12s)\n", path, commit);
	pg_result_release(&r);
}

static int cmd_record(struct ctx *x, const struct baseline_args *a, char *commit,
		      struct pg_err *err)
{
	struct pg_buf prof = PG_BUF_INIT(MAX_PROFILE_BYTES);
	struct pg_result r;
	char path[4096];
	int rc;

	pg_result_init(&r);
	if (a->npos) {
		rc = pg_err_set(err, PG_EUSAGE, "'baseline record' takes no arguments, not '%s'",
				a->pos[0]);
		goto out;
	}
	if (a->from)
		rc = load_from(x, a->from, &r, &prof, err);
	else
		rc = precheck(x, a, err);
	if (!rc && a->from)
		rc = set_commit(x, &r, err);
	else if (!rc)
		rc = pg_measure_once(
			&(struct pg_measure){ &x->cfg, x->sc, &a->sc.capture, NULL, NULL }, &r,
			&prof, err);
	if (rc)
		goto out;
	if (r.dirty && !a->allow_dirty) {
		rc = pg_err_set(
			err, PG_EINPUT,
			"the result was captured from a work tree with uncommitted changes; "
			"commit them or use --allow-dirty");
		goto out;
	}
	if ((rc = pg_baseline_record(x->store, &r, prof.data, prof.len, a->force, err)) ||
	    (rc = pg_baseline_path(x->store, r.commit, ".json", path, sizeof(path), err)))
		goto out;
	printf("recorded %s\n", path);
	show_previous(x, r.commit);
	if (commit)
		snprintf(commit, PG_SHA_LEN + 1, "%s", r.commit);
out:
	pg_buf_release(&prof);
	pg_result_release(&r);
	return rc;
}

/* Record HEAD's baseline, then commit it on a branch of its own and push
 * that as a merge request (see propose.h). */
static int cmd_propose(struct ctx *x, const struct baseline_args *a, struct pg_err *err)
{
	const char *env_remote = getenv("PERFGATE_PUSH_URL");
	char commit[PG_SHA_LEN + 1];
	struct pg_propose_req q = { x->store, &x->cfg, x->sc->name,
				    commit,   NULL,    a->sc.capture.verbose };
	int rc;

	q.remote = a->remote ? a->remote : env_remote && *env_remote ? env_remote : "origin";
	if (a->no_push)
		q.remote = NULL;
	rc = cmd_record(x, a, commit, err);
	return rc ? rc : pg_propose_baseline(&q, err);
}

int pg_cmd_baseline(int argc, char **argv, struct pg_err *err)
{
	struct baseline_args a = { 0 };
	struct ctx x = { 0 };
	const char *sub = argc > 1 ? argv[1] : "";
	int rc;

	pg_config_init(&x.cfg);
	if (strcmp(sub, "record") && strcmp(sub, "list") && strcmp(sub, "show") &&
	    strcmp(sub, "diff") && strcmp(sub, "prune") && strcmp(sub, "propose")) {
		rc = pg_err_set(
			err, PG_EUSAGE,
			"baseline needs record, list, show, diff, prune or propose%s%s%s; see "
			"'perfgate baseline --help'",
			*sub ? ", not '" : "", sub, *sub ? "'" : "");
		goto out;
	}
	if ((rc = parse(argc - 1, argv + 1, &a, err)) || (rc = ctx_open(&x, &a.sc, err)))
		goto out;
	if (!strcmp(sub, "record"))
		rc = cmd_record(&x, &a, NULL, err);
	else if (!strcmp(sub, "list"))
		rc = a.npos ? pg_err_set(err, PG_EUSAGE, "'baseline list' takes no arguments")
			    : cmd_list(&x, err);
	else if (!strcmp(sub, "show"))
		rc = cmd_show(&x, &a, err);
	else if (!strcmp(sub, "diff"))
		rc = cmd_diff(&x, &a, err);
	else if (!strcmp(sub, "propose"))
		rc = cmd_propose(&x, &a, err);
	else
		rc = cmd_prune(&x, &a, err);
out:
	ctx_close(&x);
	return rc;
}
