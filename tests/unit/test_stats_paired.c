/* Paired statistics against values worked out by hand or printed by R:
 * wilcox.test(x, y, paired = TRUE) (exact below 50 untied differences,
 * else the normal approximation with tie and continuity correction), and
 * Student's t interval of the mean log ratio. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_close(double got, double want, double abs_tol)
{
	if (!(fabs(got - want) <= abs_tol))
		fail_msg("got %.6g, want %.6g (+-%g)", got, want, abs_tol);
}

/* R's ?wilcox.test depression example: V = 40, two-sided p = 0.03906. */
static void test_stats_signed_rank_r_example(void **state)
{
	double x[] = { 1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30 };
	double y[] = { 0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29 };
	double d[N(x)];
	size_t i;

	(void)state;
	for (i = 0; i < N(x); i++)
		d[i] = x[i] - y[i];
	assert_close(pg_stats_signed_rank_p(d, N(d)), 0.0390625, 1e-9);
}

/* Three positive differences: only 1 of the 8 sign patterns reaches V = 6,
 * so p = 2/8 however large the change; n = 3 cannot be significant. */
static void test_stats_signed_rank_small_exact(void **state)
{
	double d[] = { 1, 2, 3 }, mixed[] = { -1, 2, 3 };

	(void)state;
	assert_close(pg_stats_signed_rank_p(d, N(d)), 0.25, 1e-12);
	/* V = 5: P(V >= 5) = 2/8 (sums 5 and 6), p = 0.5 */
	assert_close(pg_stats_signed_rank_p(mixed, N(mixed)), 0.5, 1e-12);
}

/* Zeros dropped, ties by midranks: |d| = 1 1 2 2 3 -> ranks 1.5 1.5 3.5
 * 3.5 5; V = 13.5, mu = 7.5, sigma^2 = 5*6*11/24 - (6 + 6)/48 = 13.5,
 * z = (6 - 0.5) / sqrt(13.5), p = erfc(z / sqrt 2) = 0.13437. */
static void test_stats_signed_rank_ties_zeros(void **state)
{
	double d[] = { 1, 2, 2, 0, -1, 3 }, zeros[] = { 0, 0, 0 };

	(void)state;
	assert_close(pg_stats_signed_rank_p(d, N(d)), erfc(5.5 / sqrt(13.5) / sqrt(2)), 1e-12);
	assert_close(pg_stats_signed_rank_p(d, N(d)), 0.13437, 1e-4);
	assert_close(pg_stats_signed_rank_p(zeros, N(zeros)), 1, 0);
	assert_true(isnan(pg_stats_signed_rank_p(d, 0)));
}

static void test_stats_t975_table(void **state)
{
	(void)state;
	assert_close(pg_stats_t975(1), 12.706, 1e-3);
	assert_close(pg_stats_t975(2), 4.303, 1e-3);
	assert_close(pg_stats_t975(30), 2.042, 1e-3);
	assert_close(pg_stats_t975(60), 2.000, 2e-3);
	assert_close(pg_stats_t975(120), 1.980, 2e-3);
	assert_true(isinf(pg_stats_t975(0)));
}

/* Ratios 1.10, 1.21, 1.155: mean log 0.143338, sd 0.047658, half-width
 * 4.303 * sd / sqrt 3; by hand: +15.41 % in [+2.53, +29.92] %. */
static void test_stats_paired_ratio_interval(void **state)
{
	double a[] = { 100, 100, 100 }, b[] = { 110, 121, 115.5 };
	struct pg_paired p;

	(void)state;
	assert_int_equal(pg_stats_paired(a, b, N(a), &p), 0);
	assert_int_equal(p.relative, 1);
	assert_int_equal(p.n, 3);
	assert_close(p.est_pct, 15.4126, 1e-3);
	assert_close(p.lo_pct, 2.5255, 1e-3);
	assert_close(p.hi_pct, 29.9197, 1e-3);
	assert_close(p.diff, 15.5, 1e-9);
	assert_close(p.p, 0.25, 1e-12);
}

/* The host's drift cancels: every round twice as slow as the one before
 * for both sides, with the same 10 % between them, is exactly +10 %. */
static void test_stats_paired_drift_cancels(void **state)
{
	double a[] = { 1, 2, 4, 8 }, b[] = { 1.1, 2.2, 4.4, 8.8 };
	struct pg_paired p;

	(void)state;
	assert_int_equal(pg_stats_paired(a, b, N(a), &p), 0);
	assert_close(p.est_pct, 10, 1e-9);
	assert_close(p.lo_pct, 10, 1e-9);
	assert_close(p.hi_pct, 10, 1e-9);
}

/* A zero on one side: differences relative to the reference's mean
 * (retransmits per 1k requests going from 0..2 to 1..3); all-zero
 * reference: an infinite change, the absolute interval to go by. */
static void test_stats_paired_zeros(void **state)
{
	double a[] = { 0, 2, 1 }, b[] = { 1, 3, 2 }, z[] = { 0, 0, 0 }, same[] = { 0, 0, 0 };
	struct pg_paired p;

	(void)state;
	assert_int_equal(pg_stats_paired(a, b, N(a), &p), 0);
	assert_int_equal(p.relative, 0);
	assert_close(p.est_pct, 100, 1e-9);
	assert_close(p.lo_pct, 100, 1e-9);
	assert_int_equal(pg_stats_paired(z, b, N(z), &p), 0);
	assert_true(isinf(p.est_pct) && p.est_pct > 0);
	assert_close(p.diff, 2, 1e-9);
	assert_int_equal(pg_stats_paired(z, same, N(z), &p), 0);
	assert_close(p.est_pct, 0, 0);
}

/* Two arrangements taken in turn (a duet's CPUs swapped): log ratios
 * 0.10, -0.02, 0.06, 0.02, arrangement means 0.08 and 0; residuals
 * +-0.02, so sd sqrt(0.0016 / 2) with 2 degrees of freedom and half-width
 * 4.303 * sd / sqrt 4; by hand: +4.081 % in [-2.064, +10.611] %. Taken as
 * one arrangement, the CPUs' 8 points would widen it to +-8.2 points. */
static void test_stats_paired_arrangements(void **state)
{
	double a[] = { 1, 1, 1, 1 }, b[] = { exp(0.10), exp(-0.02), exp(0.06), exp(0.02) };
	struct pg_paired p, one;

	(void)state;
	assert_int_equal(pg_stats_paired_k(a, b, N(a), 2, &p), 0);
	assert_int_equal(p.n, 4);
	assert_close(p.est_pct, 4.0811, 1e-3);
	assert_close(p.lo_pct, -2.0638, 1e-3);
	assert_close(p.hi_pct, 10.6115, 1e-3);
	assert_int_equal(pg_stats_paired(a, b, N(a), &one), 0);
	assert_close(one.est_pct, p.est_pct, 1e-9);
	assert_true(one.hi_pct - one.lo_pct > p.hi_pct - p.lo_pct + 4);
	/* each arrangement as often, and at least one degree of freedom */
	assert_int_equal(pg_stats_paired_k(a, b, 3, 2, &p), -1);
	assert_int_equal(pg_stats_paired_k(a, b, 2, 2, &p), -1);
	assert_int_equal(pg_stats_paired_k(a, b, 4, 0, &p), -1);
}

static void test_stats_paired_refuses(void **state)
{
	double a[] = { 1, NAN }, b[] = { 1, 2 };
	struct pg_paired p;

	(void)state;
	assert_int_equal(pg_stats_paired(a, b, 1, &p), -1);
	assert_int_equal(pg_stats_paired(a, b, 2, &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_signed_rank_r_example),
		cmocka_unit_test(test_stats_signed_rank_small_exact),
		cmocka_unit_test(test_stats_signed_rank_ties_zeros),
		cmocka_unit_test(test_stats_t975_table),
		cmocka_unit_test(test_stats_paired_ratio_interval),
		cmocka_unit_test(test_stats_paired_drift_cancels),
		cmocka_unit_test(test_stats_paired_zeros),
		cmocka_unit_test(test_stats_paired_arrangements),
		cmocka_unit_test(test_stats_paired_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
