/* pg_compare_paired: each gated row decided from per-round changes.
 * Rounds are built so the change and its interval are known by hand:
 * reference values r_i and current values r_i * f_i. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

#define ROUNDS 4

/* The host drifts between rounds by the factors drift[]; a metric's
 * current side is its reference times ratio[i] in round i. */
static const double drift[ROUNDS] = { 1.0, 1.4, 0.8, 1.2 };

static void add(struct pg_result *ref, struct pg_result *cur, const char *name,
		enum pg_better better, double base, const double *ratio)
{
	int i;

	for (i = 0; i < ROUNDS; i++) {
		assert_int_equal(pg_result_add_value(ref, name, "s", better, base * drift[i], NULL),
				 0);
		assert_int_equal(pg_result_add_value(cur, name, "s", better,
						     base * drift[i] * ratio[i], NULL),
				 0);
	}
}

static const struct pg_compare_row *row(const struct pg_verdict *v, const char *metric)
{
	size_t i;

	for (i = 0; i < v->nrows; i++)
		if (!strcmp(v->rows[i].metric, metric))
			return &v->rows[i];
	fail_msg("no row %s", metric);
	return NULL;
}

static void test_compare_paired_verdicts(void **state)
{
	/* +30 % every round, however the host drifts: a regression with a
	 * zero-width interval */
	const double up30[] = { 1.3, 1.3, 1.3, 1.3 };
	/* +2 % give or take 1 %: a pass, the interval below 15 % */
	const double flat[] = { 1.01, 1.03, 1.02, 1.02 };
	/* +15 % +- 20 %: cannot be told from either side of the threshold */
	const double noisy[] = { 0.95, 1.40, 0.98, 1.30 };
	/* rps down 30 %: a regression of a higher-is-better metric */
	const double down30[] = { 0.7, 0.7, 0.7, 0.7 };
	/* +50 % of almost nothing: below min_abs */
	const double tiny[] = { 1.5, 1.5, 1.5, 1.5 };
	struct pg_result ref, cur;
	struct pg_compare_opts o;
	struct pg_gate_rule rules[] = { { "e.tiny", 0, 1.0, 1, 0, 1 } };
	struct pg_verdict v;
	const struct pg_compare_row *r;

	(void)state;
	pg_result_init(&ref);
	pg_result_init(&cur);
	add(&ref, &cur, "a.up", PG_BETTER_LOWER, 100, up30);
	add(&ref, &cur, "b.flat", PG_BETTER_LOWER, 100, flat);
	add(&ref, &cur, "c.noisy", PG_BETTER_LOWER, 100, noisy);
	add(&ref, &cur, "d.rps", PG_BETTER_HIGHER, 700, down30);
	add(&ref, &cur, "e.tiny", PG_BETTER_LOWER, 0.1, tiny);
	pg_compare_opts_init(&o);
	o.rules = rules;
	o.nrules = 1;
	pg_verdict_init(&v);
	assert_int_equal(pg_compare_paired(&ref, &cur, 1, &o, &v, NULL), 0);
	assert_int_equal(v.paired, 1);

	r = row(&v, "a.up");
	assert_int_equal(r->verdict, PG_VERDICT_REGRESSION);
	assert_true(fabs(r->change_pct - 30) < 1e-9);
	assert_true(fabs(r->lo_pct - 30) < 1e-9 && fabs(r->hi_pct - 30) < 1e-9);
	r = row(&v, "b.flat");
	assert_int_equal(r->verdict, PG_VERDICT_PASS);
	assert_true(r->lo_pct > 0 && r->hi_pct < 15);
	r = row(&v, "c.noisy");
	assert_int_equal(r->verdict, PG_VERDICT_INCONCLUSIVE);
	assert_true(r->lo_pct < 0 && r->hi_pct > 15);
	r = row(&v, "d.rps");
	assert_int_equal(r->verdict, PG_VERDICT_REGRESSION);
	assert_true(fabs(r->change_pct + 30) < 1e-9);
	r = row(&v, "e.tiny");
	assert_int_equal(r->verdict, PG_VERDICT_PASS);
	assert_string_equal(r->note, "change below min_abs");

	assert_int_equal(v.nregressions, 2);
	assert_int_equal(v.ninconclusive, 1);
	assert_int_equal(v.verdict, PG_VERDICT_REGRESSION);
	pg_verdict_release(&v);
	pg_result_release(&ref);
	pg_result_release(&cur);
}

/* Nothing regressed, one metric open: the run is inconclusive; an
 * improvement beyond the threshold whose interval stays below 0 is one. */
static void test_compare_paired_inconclusive_run(void **state)
{
	const double noisy[] = { 0.95, 1.40, 0.98, 1.30 };
	const double down40[] = { 0.6, 0.61, 0.59, 0.6 };
	struct pg_result ref, cur;
	struct pg_compare_opts o;
	struct pg_verdict v;

	(void)state;
	pg_result_init(&ref);
	pg_result_init(&cur);
	add(&ref, &cur, "a.noisy", PG_BETTER_LOWER, 100, noisy);
	add(&ref, &cur, "b.faster", PG_BETTER_LOWER, 100, down40);
	pg_compare_opts_init(&o);
	pg_verdict_init(&v);
	assert_int_equal(pg_compare_paired(&ref, &cur, 1, &o, &v, NULL), 0);
	assert_int_equal(v.verdict, PG_VERDICT_INCONCLUSIVE);
	assert_int_equal(v.nimprovements, 1);
	assert_int_equal(row(&v, "b.faster")->verdict, PG_VERDICT_IMPROVEMENT);
	assert_string_equal(pg_verdict_name(v.verdict), "inconclusive");
	assert_int_equal(pg_verdict_note(&v, NULL, "%s: %d", "x", 1), 0);
	assert_string_equal(v.notes[0], "x: 1");
	pg_verdict_release(&v);
	pg_result_release(&ref);
	pg_result_release(&cur);
}

/* A duet's two CPU arrangements in turn, the second CPU 20 % slower: the
 * ratios swing +-20 % with the arrangement. Taken as one arrangement that
 * is noise, and the unchanged service is inconclusive; with the
 * arrangements' means taken out (per_round 2) it passes, the change about
 * +1 %. */
static void test_compare_paired_duet_arrangements(void **state)
{
	const double swing[] = { 1.22, 0.84, 1.20, 0.85 };
	struct pg_result ref, cur;
	struct pg_compare_opts o;
	struct pg_verdict one, duet;

	(void)state;
	pg_result_init(&ref);
	pg_result_init(&cur);
	add(&ref, &cur, "a.cpu", PG_BETTER_LOWER, 100, swing);
	pg_compare_opts_init(&o);
	pg_verdict_init(&one);
	pg_verdict_init(&duet);
	assert_int_equal(pg_compare_paired(&ref, &cur, 1, &o, &one, NULL), 0);
	assert_int_equal(pg_compare_paired(&ref, &cur, 2, &o, &duet, NULL), 0);
	assert_int_equal(row(&one, "a.cpu")->verdict, PG_VERDICT_INCONCLUSIVE);
	assert_int_equal(row(&duet, "a.cpu")->verdict, PG_VERDICT_PASS);
	assert_true(fabs(row(&duet, "a.cpu")->change_pct - 1.1) < 0.1);
	assert_true(row(&duet, "a.cpu")->hi_pct < 5);
	pg_verdict_release(&one);
	pg_verdict_release(&duet);
	pg_result_release(&ref);
	pg_result_release(&cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_paired_verdicts),
		cmocka_unit_test(test_compare_paired_inconclusive_run),
		cmocka_unit_test(test_compare_paired_duet_arrangements),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
