// SPDX-License-Identifier: MIT
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "clock.h"
#include "paired.h"
#include "paired_int.h"
#include "pprof.h"

void pg_paired_init(struct pg_paired *p, const struct pg_measure *ref, const struct pg_measure *cur,
		    const struct pg_paired_cfg *cfg, const struct pg_compare_opts *opts)
{
	p->ref.name = "reference";
	p->cur.name = "current";
	p->ref.m = *ref;
	p->cur.m = *cur;
	pg_result_init(&p->ref.res);
	pg_result_init(&p->cur.res);
	p->ref.profile = (struct pg_buf)PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	p->cur.profile = (struct pg_buf)PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	p->cfg = cfg;
	p->opts = opts;
	pg_verdict_init(&p->v);
	p->seconds = 0;
	p->seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
}

void pg_paired_release(struct pg_paired *p)
{
	pg_verdict_release(&p->v);
	pg_buf_release(&p->cur.profile);
	pg_buf_release(&p->ref.profile);
	pg_result_release(&p->cur.res);
	pg_result_release(&p->ref.res);
}

int pg_paired_capture_one(const struct pg_paired_side *s, int cpu, struct pg_result *out,
			  struct pg_buf *prof, struct pg_err *err)
{
	struct pg_capture_opts one = *s->m.capture;
	struct pg_measure m = s->m;

	one.runs = 1;
	one.cpu = cpu;
	one.side = s->name;
	m.capture = &one;
	return pg_measure_run(&m, out, prof, err);
}

static double value(const struct pg_result *r, const char *name, size_t i)
{
	const struct pg_metric *m = pg_result_metric(r, name);

	return m && i < m->nvalues ? m->values[i] : 0;
}

/* Any of the round's pairs (a duet has two). Steal is the host's: a duet's
 * two sides lose the same share at the same moments, so only the
 * interleaved sides, which see the host at different moments, are judged
 * by it. */
static int squeezed(const struct pg_result *a, const struct pg_result *b, int duet)
{
	double gap;
	size_t i;

	for (i = 0; i < (size_t)a->runs; i++) {
		gap = fabs(value(a, PG_METRIC_CPU_PRESSURE, i) -
			   value(b, PG_METRIC_CPU_PRESSURE, i));
		if (gap > PG_PAIRED_MAX_PRESSURE_GAP)
			return 1;
		if (!duet && (value(a, PG_METRIC_STEAL, i) > PG_PAIRED_MAX_STEAL ||
			      value(b, PG_METRIC_STEAL, i) > PG_PAIRED_MAX_STEAL))
			return 1;
	}
	return 0;
}

/* Keep a round: its values join each side's, its profile is merged into
 * the side's (pprof's merge), so the flame graph and the findings see
 * every round's samples. */
static int keep(struct pg_paired_side *s, const struct pg_result *r, struct pg_buf *prof,
		struct pg_err *err)
{
	int rc = pg_result_append(&s->res, r, err);

	if (!rc && prof->len)
		rc = pg_profile_merge_into(&s->profile, prof->data, prof->len, err);
	prof->len = 0;
	return rc;
}

/* A round's captures one after the other, in the order given. */
static int sequence(struct pg_paired_side **order, struct pg_result *r, struct pg_buf *prof,
		    struct pg_err *err)
{
	int i, rc = 0;

	for (i = 0; i < 2 && !rc; i++)
		rc = pg_paired_capture_one(order[i], 0, &r[i], &prof[i], err);
	return rc;
}

/* One round: both sides in random order. *kept is 0 when it was
 * squeezed and may_drop allowed dropping it. */
static int round_run(struct pg_paired *p, int may_drop, int *kept, struct pg_err *err)
{
	struct pg_paired_side *order[2] = { &p->ref, &p->cur };
	struct pg_result r[2];
	struct pg_buf prof[2] = { PG_BUF_INIT(PG_PROFILE_MAX_BYTES),
				  PG_BUF_INIT(PG_PROFILE_MAX_BYTES) };
	int i, rc = 0, cur_first = rand_r(&p->seed) & 1;

	if (cur_first) {
		order[0] = &p->cur;
		order[1] = &p->ref;
	}
	pg_result_init(&r[0]);
	pg_result_init(&r[1]);
	if (p->cfg->duet)
		rc = pg_paired_duet(order, cur_first, r, prof, err);
	else
		rc = sequence(order, r, prof, err);
	*kept = !rc && !(may_drop && squeezed(&r[0], &r[1], p->cfg->duet));
	for (i = 0; i < 2 && *kept && !rc; i++)
		rc = keep(order[i], &r[i], &prof[i], err);
	for (i = 0; i < 2; i++) {
		pg_buf_release(&prof[i]);
		pg_result_release(&r[i]);
	}
	if (!rc)
		fprintf(stderr, "perfgate: round %zu: %s%s\n", p->v.rounds + *kept,
			p->cfg->duet ? (cur_first ? "duet, sides swapped" : "duet")
			: cur_first  ? "current first"
				     : "reference first",
			*kept ? "" : "; squeezed by neighbours, measuring it again");
	return rc;
}

static int decide(struct pg_paired *p, struct pg_err *err)
{
	size_t rounds = p->v.rounds, repeated = p->v.repeated;

	pg_verdict_release(&p->v);
	p->v.rounds = rounds;
	p->v.repeated = repeated;
	return pg_compare_paired(&p->ref.res, &p->cur.res, p->cfg->duet ? 2 : 1, p->opts, &p->v,
				 err);
}

/* What the report says of rows still undecided at the end: the width the
 * runner allows, when that is what kept them open. */
static int noise_notes(struct pg_paired *p, struct pg_err *err)
{
	const struct pg_compare_row *r;
	double half;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->v.nrows && !rc; i++) {
		r = &p->v.rows[i];
		if (r->verdict != PG_VERDICT_INCONCLUSIVE)
			continue;
		half = (r->hi_pct - r->lo_pct) / 2;
		if (half > r->threshold_pct)
			rc = pg_verdict_note(&p->v, err,
					     "%s: +-%.0f %% on this runner; %g %% cannot be "
					     "resolved in %zu rounds",
					     r->metric, half, r->threshold_pct, p->v.rounds);
		else
			rc = pg_verdict_note(&p->v, err,
					     "%s: %+.1f %% [%+.1f, %+.1f] after %zu rounds: too "
					     "close to the %g %% threshold to decide",
					     r->metric, r->change_pct, r->lo_pct, r->hi_pct,
					     p->v.rounds, r->threshold_pct);
	}
	return rc;
}

static int done(const struct pg_paired *p, double round_s)
{
	if (p->v.rounds < (size_t)p->cfg->min_rounds)
		return 0;
	if (!p->v.ninconclusive || p->v.rounds >= (size_t)p->cfg->max_rounds)
		return 1;
	return p->seconds + round_s > p->cfg->budget_s;
}

int pg_paired_run(struct pg_paired *p, struct pg_err *err)
{
	size_t max_repeats = p->cfg->max_rounds / 2 ? p->cfg->max_rounds / 2 : 1;
	double t0, round_s = 0;
	int kept, rc = 0;

	do {
		t0 = pg_now();
		/* past max_repeats the host stays busy: pairs still cancel most of it */
		rc = round_run(p, p->v.repeated < max_repeats, &kept, err);
		if (!rc && !kept)
			p->v.repeated++;
		if (!rc && kept)
			p->v.rounds++;
		round_s = pg_now() - t0;
		p->seconds += round_s;
		if (!rc && kept && p->v.rounds >= 2)
			rc = decide(p, err);
	} while (!rc && !done(p, round_s));
	if (!rc)
		rc = pg_measure_stamp(&p->ref.m, &p->ref.res, err);
	if (!rc)
		rc = pg_measure_stamp(&p->cur.m, &p->cur.res, err);
	if (!rc && p->v.repeated)
		rc = pg_verdict_note(&p->v, err,
				     "%zu round%s measured again: one side squeezed by neighbours",
				     p->v.repeated, p->v.repeated == 1 ? "" : "s");
	return rc ? rc : noise_notes(p, err);
}
