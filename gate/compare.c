// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

void pg_compare_opts_init(struct pg_compare_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->threshold_pct = PG_THRESHOLD_DEFAULT;
	o->alpha = PG_ALPHA_DEFAULT;
	o->top_movers = PG_COMPARE_TOP_MOVERS;
}

void pg_compare_opts_for(struct pg_compare_opts *o, const struct pg_config *cfg,
			 const struct pg_scenario *sc, double threshold)
{
	pg_compare_opts_init(o);
	if (cfg) {
		o->threshold_pct = cfg->threshold_pct;
		o->alpha = cfg->alpha;
	}
	if (threshold > 0)
		o->threshold_pct = threshold;
	if (sc) {
		o->rules = sc->gate;
		o->nrules = sc->ngate;
	}
}

void pg_verdict_init(struct pg_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->ref_distance = -1;
}

void pg_verdict_release(struct pg_verdict *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nrows; i++) {
		free(v->rows[i].metric);
		free(v->rows[i].unit);
	}
	for (i = 0; i < v->nmovers; i++)
		free(v->movers[i].name);
	for (i = 0; i < v->nnotes; i++)
		free(v->notes[i]);
	free(v->notes);
	free(v->rows);
	free(v->movers);
	free(v->ref_commit);
	pg_verdict_init(v);
}

const char *pg_verdict_name(enum pg_verdict_kind k)
{
	switch (k) {
	case PG_VERDICT_REGRESSION:
		return "regression";
	case PG_VERDICT_IMPROVEMENT:
		return "improvement";
	case PG_VERDICT_REPORTED:
		return "reported";
	case PG_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	default:
		return "pass";
	}
}

/* Floors for perfgate's own metrics, below which a change is noise on any
 * host: a 16-byte getrandom() takes about 1 us and its median moves by
 * more than 1 us, its p99 by tens of us, with the host's load alone
 * (measured A/A on a shared 2-core machine); a 64 KiB read moves them by
 * ~100 us and ~900 us. One retransmit per 1000 requests is the contract's
 * example floor. A scenario's "gate" entry overrides these. */
static const struct {
	const char *metric;
	double min_abs;
} default_floors[] = {
	{ "getrandom.lat_p50_ns", 5000 },
	{ "getrandom.lat_p99_ns", 100000 },
	{ "tcp.retransmits_per_1k_req", 1 },
};

double pg_compare_default_min_abs(const char *metric)
{
	size_t i;

	for (i = 0; i < sizeof(default_floors) / sizeof(default_floors[0]); i++)
		if (!strcmp(default_floors[i].metric, metric))
			return default_floors[i].min_abs;
	return 0;
}

/* Relative change in percent of |baseline|. A zero baseline has no finite
 * relative change unless the current value is zero too; min_abs is what
 * keeps such metrics from failing on noise. */
static double change_pct(double base, double cur)
{
	if (isnan(base) || isnan(cur))
		return NAN;
	if (base == 0)
		return cur == 0 ? 0 : copysign(INFINITY, cur);
	return (cur - base) / fabs(base) * 100;
}

/* The U test applies with at least PG_COMPARE_MIN_RUNS runs on both sides;
 * NAN otherwise. */
static double p_value(const struct pg_metric *b, const struct pg_metric *c)
{
	struct pg_mwu u;

	if (!b || !c || b->nvalues < PG_COMPARE_MIN_RUNS || c->nvalues < PG_COMPARE_MIN_RUNS)
		return NAN;
	if (pg_stats_mann_whitney(c->values, c->nvalues, b->values, b->nvalues, &u))
		return NAN;
	return u.p;
}

/* The contract's rule for one gated row with both sides present. */
static void decide(struct pg_compare_row *r, double alpha)
{
	double delta = r->current - r->baseline;
	int worse = r->better == PG_BETTER_LOWER ? delta > 0 : delta < 0;

	r->verdict = PG_VERDICT_PASS;
	if (delta == 0 || !(fabs(r->change_pct) > r->threshold_pct))
		return;
	if (fabs(delta) < r->min_abs) {
		r->note = "change below min_abs";
		return;
	}
	if (!isnan(r->p_value) && !(r->p_value < alpha)) {
		r->note = "not significant";
		return;
	}
	r->verdict = worse ? PG_VERDICT_REGRESSION : PG_VERDICT_IMPROVEMENT;
}

static int fill_row(struct pg_compare_row *r, const struct pg_metric *b, const struct pg_metric *c,
		    const struct pg_compare_opts *o, int apart)
{
	const struct pg_metric *any = c ? c : b;
	const struct pg_gate_rule *rule = pg_gate_rule_find(o->rules, o->nrules, any->name);

	memset(r, 0, sizeof(*r));
	r->lo_pct = r->hi_pct = r->stored = NAN;
	r->metric = strdup(any->name);
	r->unit = strdup(any->unit ? any->unit : "");
	if (!r->metric || !r->unit)
		return -1;
	r->better = any->better;
	r->baseline = b ? pg_metric_median(b) : NAN;
	r->current = c ? pg_metric_median(c) : NAN;
	r->change_pct = change_pct(r->baseline, r->current);
	r->threshold_pct = rule && rule->has_threshold ? rule->threshold_pct : o->threshold_pct;
	r->min_abs =
		rule && rule->has_min_abs ? rule->min_abs : pg_compare_default_min_abs(r->metric);
	r->p_value = p_value(b, c);
	r->gated = r->better != PG_BETTER_NONE && (!rule || rule->gated) && b && c &&
		   !isnan(r->baseline) && !isnan(r->current);
	if (!r->gated) {
		r->verdict = PG_VERDICT_REPORTED;
		if (b && c && r->better != PG_BETTER_NONE)
			r->note = "not gated";
		else if (!b || !c)
			/* a metric the baseline lacks is never judged: say so
			 * as plainly as a verdict */
			r->note = b ? "missing in current" : "no baseline for metric";
		return 0;
	}
	if (apart && !strcmp(r->metric, PG_METRIC_CPU)) {
		r->gated = 0;
		r->verdict = PG_VERDICT_REPORTED;
		r->note = "CPU counted differently";
		return 0;
	}
	decide(r, o->alpha);
	return 0;
}

/* Walk both metric lists (each sorted by name) in step, one row per name. */
static int compare_metrics(const struct pg_result *b, const struct pg_result *c,
			   const struct pg_compare_opts *o, struct pg_verdict *v)
{
	size_t i = 0, j = 0;
	const struct pg_metric *mb, *mc;
	int cmp, apart = pg_result_cpu_apart(b, c);

	v->rows = calloc(b->nmetrics + c->nmetrics + 1, sizeof(*v->rows));
	if (!v->rows)
		return -1;
	while (i < b->nmetrics || j < c->nmetrics) {
		if (i == b->nmetrics)
			cmp = 1;
		else if (j == c->nmetrics)
			cmp = -1;
		else
			cmp = strcmp(b->metrics[i].name, c->metrics[j].name);
		mb = cmp <= 0 ? &b->metrics[i++] : NULL;
		mc = cmp >= 0 ? &c->metrics[j++] : NULL;
		if (fill_row(&v->rows[v->nrows++], mb, mc, o, apart))
			return -1;
		if (v->rows[v->nrows - 1].verdict == PG_VERDICT_REGRESSION)
			v->nregressions++;
		if (v->rows[v->nrows - 1].verdict == PG_VERDICT_IMPROVEMENT)
			v->nimprovements++;
	}
	v->verdict = v->nregressions ? PG_VERDICT_REGRESSION : PG_VERDICT_PASS;
	return 0;
}

static double share(const struct pg_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfuncs; i++)
		if (!strcmp(r->funcs[i].name, name))
			return (double)r->funcs[i].flat / (double)r->profile_total * 100;
	return 0;
}

static int mover_cmp(const void *a, const void *b)
{
	const struct pg_mover *x = a, *y = b;
	double dx = fabs(x->current_pct - x->baseline_pct);
	double dy = fabs(y->current_pct - y->baseline_pct);

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int add_mover(struct pg_verdict *v, const char *name, const struct pg_result *b,
		     const struct pg_result *c)
{
	struct pg_mover *m;
	size_t i;

	for (i = 0; i < v->nmovers; i++)
		if (!strcmp(v->movers[i].name, name))
			return 0;
	m = &v->movers[v->nmovers];
	m->baseline_pct = share(b, name);
	m->current_pct = share(c, name);
	if (m->baseline_pct == m->current_pct)
		return 0;
	m->name = strdup(name);
	if (!m->name)
		return -1;
	v->nmovers++;
	return 0;
}

/* Top movers: functions whose flat share of CPU changed most. A function
 * missing from one side's saved top list counts as a 0 % share there. */
static int compare_funcs(const struct pg_result *b, const struct pg_result *c,
			 const struct pg_compare_opts *o, struct pg_verdict *v)
{
	size_t i;

	if (b->profile_total <= 0 || c->profile_total <= 0 || !o->top_movers)
		return 0;
	v->movers = calloc(b->nfuncs + c->nfuncs + 1, sizeof(*v->movers));
	if (!v->movers)
		return -1;
	for (i = 0; i < b->nfuncs; i++)
		if (add_mover(v, b->funcs[i].name, b, c))
			return -1;
	for (i = 0; i < c->nfuncs; i++)
		if (add_mover(v, c->funcs[i].name, b, c))
			return -1;
	qsort(v->movers, v->nmovers, sizeof(*v->movers), mover_cmp);
	while (v->nmovers > o->top_movers)
		free(v->movers[--v->nmovers].name);
	return 0;
}

/* A metric measured in other units on the two sides (a hand-edited or
 * foreign baseline) cannot be compared: an input error, not a verdict. */
static int check_units(const struct pg_result *b, const struct pg_result *c, struct pg_err *err)
{
	const struct pg_metric *m;
	size_t i;

	for (i = 0; i < c->nmetrics; i++) {
		m = pg_result_metric(b, c->metrics[i].name);
		if (m &&
		    strcmp(m->unit ? m->unit : "", c->metrics[i].unit ? c->metrics[i].unit : ""))
			return pg_err_set(err, PG_EINPUT,
					  "metric '%s' is in '%.32s' in the baseline but '%.32s' "
					  "now; re-record the baseline",
					  c->metrics[i].name, m->unit, c->metrics[i].unit);
	}
	return 0;
}

const struct pg_compare_row *pg_verdict_row(const struct pg_verdict *v, const char *metric)
{
	size_t i;

	for (i = 0; i < v->nrows; i++)
		if (!strcmp(v->rows[i].metric, metric))
			return &v->rows[i];
	return NULL;
}

static const char *scope_words(const struct pg_result *r)
{
	return pg_result_cpu_main_only(r) ? "the workload's main process only"
					  : "the workload's whole cgroup";
}

/* A load.<key> "gate" entry that names no metric of either side is most
 * likely a typo (the config cannot know the load script's names): say so
 * in every report rather than let the rule silently apply to nothing. Other
 * names were checked against perfgate's own when the config was read; one
 * absent here has a reason (no probes, no vDSO), not a typo. */
static int note_unmatched_rules(const struct pg_compare_opts *o, struct pg_verdict *v,
				struct pg_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < o->nrules && !rc; i++)
		if (o->rules[i].metric && !strncmp(o->rules[i].metric, "load.", 5) &&
		    !pg_verdict_row(v, o->rules[i].metric))
			rc = pg_verdict_note(v, err,
					     "the config's gate entry '%s' names no metric of "
					     "this run; check its name",
					     o->rules[i].metric);
	return rc;
}

int pg_compare_results(const struct pg_result *baseline, const struct pg_result *current,
		       const struct pg_compare_opts *o, struct pg_verdict *out, struct pg_err *err)
{
	int rc = check_units(baseline, current, err);

	if (rc)
		return rc;
	if (compare_metrics(baseline, current, o, out) || compare_funcs(baseline, current, o, out))
		goto nomem;
	rc = note_unmatched_rules(o, out, err);
	if (!rc && pg_result_cpu_apart(baseline, current) && pg_verdict_row(out, PG_METRIC_CPU))
		rc = pg_verdict_note(
			out, err,
			"%s is not gated: the baseline counted %s, the current result %s; "
			"compare captures made alike (as root, or both with "
			"--no-probes and without root)",
			PG_METRIC_CPU, scope_words(baseline), scope_words(current));
	if (rc) {
		pg_verdict_release(out);
		return rc;
	}
	if (baseline->commit && !(out->ref_commit = strdup(baseline->commit)))
		goto nomem;
	return 0;
nomem:
	pg_verdict_release(out);
	return pg_err_nomem(err);
}

void pg_verdict_confirm(struct pg_verdict *second, const struct pg_verdict *first)
{
	const struct pg_compare_row *f;
	struct pg_compare_row *r;
	size_t i;

	second->nregressions = 0;
	for (i = 0; i < second->nrows; i++) {
		r = &second->rows[i];
		f = pg_verdict_row(first, r->metric);
		if (r->verdict == PG_VERDICT_REGRESSION &&
		    (!f || f->verdict != PG_VERDICT_REGRESSION)) {
			r->verdict = PG_VERDICT_PASS;
			r->note = "regressed in the confirming capture only";
		} else if (r->verdict != PG_VERDICT_REGRESSION && f &&
			   f->verdict == PG_VERDICT_REGRESSION) {
			r->note = "regressed in the first capture only";
		}
		if (r->verdict == PG_VERDICT_REGRESSION)
			second->nregressions++;
	}
	second->verdict = second->nregressions ? PG_VERDICT_REGRESSION : PG_VERDICT_PASS;
}
