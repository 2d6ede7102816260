// SPDX-License-Identifier: MIT
#include <math.h>
#include <string.h>

#include "baseline_diff.h"
#include "compare.h"
#include "esc.h"
#include "report.h"

/* Baselines come from merge requests: their strings are printed inert. */
#define ESC(buf, s) pg_esc_text(buf, sizeof(buf), (s) ? (s) : "?", 0)

int pg_baseline_diff_nearest(struct pg_baseline_store *s, const char *rev, struct pg_result *r,
			     struct pg_baseline_ref *ref, struct pg_err *err)
{
	int rc;

	/* pg_baseline_load refuses a file that is not regular or resolves
	 * outside the scenario's directory, and validates it */
	rc = pg_baseline_nearest(s, rev, ref, err);
	return rc ? rc : pg_baseline_load(s, ref->commit, r, NULL, err);
}

int pg_baseline_diff_previous(struct pg_baseline_store *s, const char *commit, struct pg_result *r,
			      struct pg_baseline_ref *ref, struct pg_err *err)
{
	char rev[PG_SHA_LEN + 2];
	int rc;

	snprintf(rev, sizeof(rev), "%s^", commit);
	rc = pg_baseline_diff_nearest(s, rev, r, ref, err);
	if (rc == PG_EUSAGE) /* a root commit has no parent to walk from */
		rc = pg_err_set(err, PG_ENOBASELINE, "no baseline before the one of %.12s", commit);
	return rc;
}

const char *pg_baseline_diff_relpath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && path[n] == '/' ? path + n + 1 : path;
}

static void range(const struct pg_metric *m, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < m->nvalues; i++) {
		*lo = fmin(*lo, m->values[i]);
		*hi = fmax(*hi, m->values[i]);
	}
}

int pg_baseline_diff_overlap(const struct pg_metric *a, const struct pg_metric *b)
{
	double alo, ahi, blo, bhi;

	if (!a || !b || !a->nvalues || !b->nvalues)
		return -1;
	range(a, &alo, &ahi);
	range(b, &blo, &bhi);
	return alo <= bhi && blo <= ahi;
}

static void side(FILE *f, const char *label, const struct pg_baseline_side *s, int md)
{
	const struct pg_result *r = s->r;
	char e1[128], e2[256], e3[128];

	fprintf(f,
		md ? "- **%s**: `%.12s` (`%s`), recorded %s, %d run%s on %s, %d cores, kernel "
		     "%s\n"
		   : "%s: %.12s (%s)\n     recorded %s, %d run%s on %s, %d cores, kernel %s\n",
		label, s->commit, s->path, ESC(e1, r->created), r->runs, r->runs == 1 ? "" : "s",
		ESC(e2, r->host.cpu_model), r->host.cores, ESC(e3, r->host.kernel));
}

static const char *noise(const struct pg_baseline_side *o, const struct pg_baseline_side *n,
			 const char *metric)
{
	switch (pg_baseline_diff_overlap(pg_result_metric(o->r, metric),
					 pg_result_metric(n->r, metric))) {
	case 1:
		return "inside";
	case 0:
		return "outside";
	}
	return "-";
}

static void row(FILE *f, const struct pg_compare_row *w, const char *nz, int md)
{
	char a[32], b[32], c[32], u[64];

	ESC(u, w->unit);
	pg_report_fmt_value(a, sizeof(a), w->baseline);
	pg_report_fmt_value(b, sizeof(b), w->current);
	pg_report_fmt_change(c, sizeof(c), w->change_pct);
	if (md)
		fprintf(f, "| `%s` | %s | %s | %s | %s | %s |\n", w->metric, u, a, b, c, nz);
	else
		fprintf(f, "%-34s %-7s %12s %12s %10s  %s\n", w->metric, u, a, b, c, nz);
}

static void movers(FILE *f, const struct pg_verdict *v, int md)
{
	const struct pg_mover *m;
	char e[512];
	size_t i;

	if (!v->nmovers)
		return;
	fputs(md ? "\n**Top movers** (flat share of CPU)\n\n| function | old | new | change |\n"
		   "|---|---:|---:|---:|\n"
		 : "\ntop movers (flat share of CPU, old -> new):\n",
	      f);
	for (i = 0; i < v->nmovers; i++) {
		m = &v->movers[i];
		if (md)
			fprintf(f, "| `%s` | %.1f %% | %.1f %% | %+.1f pp |\n", ESC(e, m->name),
				m->baseline_pct, m->current_pct, m->current_pct - m->baseline_pct);
		else
			fprintf(f, "  %5.1f %% -> %5.1f %%  (%+.1f)  %s\n", m->baseline_pct,
				m->current_pct, m->current_pct - m->baseline_pct, ESC(e, m->name));
	}
}

/* The rows come from the decision rule's comparison (medians, change,
 * movers); its thresholds and verdicts are not shown. */
int pg_baseline_diff_write(FILE *f, const struct pg_baseline_side *old,
			   const struct pg_baseline_side *new, int markdown, struct pg_err *err)
{
	struct pg_compare_opts o;
	struct pg_verdict v;
	char hosts[512], esc_hosts[1024];
	size_t i;
	int rc;

	pg_verdict_init(&v);
	pg_compare_opts_init(&o);
	rc = pg_compare_results(old->r, new->r, &o, &v, err);
	if (rc)
		goto out;
	fprintf(f,
		markdown ? "### perfgate baseline `%.12s` → `%.12s`\n\n"
			 : "baseline diff %.12s -> %.12s\n",
		old->commit, new->commit);
	side(f, "old", old, markdown);
	side(f, "new", new, markdown);
	if (pg_host_mismatch(&old->r->host, &new->r->host, hosts, sizeof(hosts)))
		fprintf(f,
			markdown ? "\n⚠️ recorded on different hosts: %s\n"
				 : "note: recorded on different hosts: %s\n",
			pg_esc_text(esc_hosts, sizeof(esc_hosts), hosts, 0));
	/* e.g. CPU counted over the main process on one side only */
	for (i = 0; i < v.nnotes; i++)
		fprintf(f, markdown ? "\n⚠️ %s\n" : "note: %s\n",
			pg_esc_text(esc_hosts, sizeof(esc_hosts), v.notes[i], 0));
	fputs(markdown ? "\n| metric | unit | old | new | change | noise |\n"
			 "|---|---|---:|---:|---:|---|\n"
		       : "\n",
	      f);
	if (!markdown)
		fprintf(f, "%-34s %-7s %12s %12s %10s  %s\n", "metric", "unit", "old", "new",
			"change", "noise (runs overlap)");
	for (i = 0; i < v.nrows; i++)
		row(f, &v.rows[i], noise(old, new, v.rows[i].metric), markdown);
	movers(f, &v, markdown);
out:
	pg_verdict_release(&v);
	return rc;
}
