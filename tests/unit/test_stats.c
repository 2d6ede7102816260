/* Statistics against values that can be checked by hand or that R prints.
 * Exact p-values are counts of arrangements over C(nx + ny, nx); normal
 * approximations follow R's wilcox.test(x, y, correct = TRUE) formula:
 * z = (W - nx ny / 2 - sign * 0.5) / sigma,
 * sigma^2 = nx ny / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_close(double got, double want, double rel)
{
	if (fabs(got - want) > rel * fabs(want)) {
		print_error("got %.10g, want %.10g (relative tolerance %g)\n", got, want, rel);
		fail();
	}
}

static void test_stats_median_odd_even_empty(void **state)
{
	double odd[] = { 9, 1, 5 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	(void)state;
	assert_true(pg_stats_median(odd, N(odd)) == 5);
	assert_true(pg_stats_median(even, N(even)) == 2.5);
	assert_true(pg_stats_median(one, 1) == 7);
	assert_true(isnan(pg_stats_median(odd, 0)));
	assert_true(odd[0] == 9); /* input untouched */
}

/* 5 vs 5, every x above every y: W = 25 is the single most extreme of the
 * C(10, 5) = 252 arrangements, so p = 2 / 252 (R: W = 25, p-value = 0.007937). */
static void test_stats_exact_all_greater(void **state)
{
	double x[] = { 6, 7, 8, 9, 10 }, y[] = { 1, 2, 3, 4, 5 };
	struct pg_mwu r;

	(void)state;
	assert_int_equal(pg_stats_mann_whitney(x, 5, y, 5, &r), 0);
	assert_true(r.exact);
	assert_true(r.w == 25);
	assert_close(r.p, 2.0 / 252, 1e-12);
	/* and mirrored: W = 0, same p */
	assert_int_equal(pg_stats_mann_whitney(y, 5, x, 5, &r), 0);
	assert_true(r.w == 0);
	assert_close(r.p, 2.0 / 252, 1e-12);
}

/* 3 vs 3: the 20 arrangements give U = 0..9 with counts
 * 1 1 2 3 3 3 3 2 1 1. W = 8 -> P(U >= 8) = 2/20 -> p = 0.2;
 * W = 4 -> P(U <= 4) = 10/20 -> p = min(1, 2 * 0.5) = 1. */
static void test_stats_exact_three_by_three(void **state)
{
	double x8[] = { 3, 5, 6 }, y8[] = { 1, 2, 4 };
	double x4[] = { 1, 3, 6 }, y4[] = { 2, 4, 5 };
	struct pg_mwu r;

	(void)state;
	assert_int_equal(pg_stats_mann_whitney(x8, 3, y8, 3, &r), 0);
	assert_true(r.w == 8);
	assert_close(r.p, 0.2, 1e-12);
	assert_int_equal(pg_stats_mann_whitney(x4, 3, y4, 3, &r), 0);
	assert_true(r.w == 4);
	assert_close(r.p, 1.0, 1e-12);
}

/* R's ?wilcox.test example (Hollander & Wolfe, permeability constants):
 * wilcox.test(x, y, alternative = "g") prints W = 35, p-value = 0.1272;
 * P(U >= 35) = 382 / 3003 by enumeration, so two-sided p = 764 / 3003. */
static void test_stats_exact_r_example(void **state)
{
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct pg_mwu r;

	(void)state;
	assert_int_equal(pg_stats_mann_whitney(x, N(x), y, N(y), &r), 0);
	assert_true(r.exact);
	assert_true(r.w == 35);
	assert_close(r.p, 764.0 / 3003, 1e-12);
	assert_close(r.p / 2, 0.1272, 1e-3);
}

/* Ties force the normal approximation. x = 1 1 2 2 3 3, y = 2 2 3 3 4 4:
 * midranks 1.5 (1s), 4.5 (2s), 8.5 (3s), 11.5 (4s); x's rank sum 29,
 * W = 29 - 21 = 8; ties 6 + 60 + 60 + 6 = 132; sigma^2 = 36/12 * (13 - 1)
 * = 36; z = (8 - 18 + 0.5) / 6 = -1.58333; p = erfc(1.58333 / sqrt 2). */
static void test_stats_normal_ties(void **state)
{
	double x[] = { 1, 1, 2, 2, 3, 3 }, y[] = { 2, 2, 3, 3, 4, 4 };
	struct pg_mwu r;

	(void)state;
	assert_int_equal(pg_stats_mann_whitney(x, N(x), y, N(y), &r), 0);
	assert_false(r.exact);
	assert_true(r.w == 8);
	assert_close(r.p, erfc(9.5 / 6 / M_SQRT2), 1e-12);
	assert_close(r.p, 0.1133455, 1e-6);
}

/* 50 vs 50 is past the exact limit even without ties: x = 1..50 below
 * y = 51..100, W = 0, sigma^2 = 2500/12 * 101, z = (-1250 + 0.5) / sigma
 * = -8.61383, p = 7.066e-18. */
static void test_stats_normal_large(void **state)
{
	double x[50], y[50];
	struct pg_mwu r;
	int i;

	(void)state;
	for (i = 0; i < 50; i++) {
		x[i] = i + 1;
		y[i] = i + 51;
	}
	assert_int_equal(pg_stats_mann_whitney(x, 50, y, 50, &r), 0);
	assert_false(r.exact);
	assert_true(r.w == 0);
	assert_close(r.p, erfc(1249.5 / sqrt(2500.0 / 12 * 101) / M_SQRT2), 1e-12);
	assert_close(r.p, 7.066e-18, 1e-3);
}

/* 49 vs 49 is still exact (R's rule is n < 50) and must not overflow:
 * interleaved samples are far from significant. */
static void test_stats_exact_largest(void **state)
{
	double x[49], y[49];
	struct pg_mwu r;
	int i;

	(void)state;
	for (i = 0; i < 49; i++) {
		x[i] = 2 * i;
		y[i] = 2 * i + 1;
	}
	assert_int_equal(pg_stats_mann_whitney(x, 49, y, 49, &r), 0);
	assert_true(r.exact);
	assert_true(r.p > 0.5 && r.p <= 1);
}

static void test_stats_degenerate(void **state)
{
	double same[] = { 3, 3, 3, 3, 3 }, bad[] = { 1, NAN }, one[] = { 1 };
	struct pg_mwu r;

	(void)state;
	/* every value tied: no evidence of a difference */
	assert_int_equal(pg_stats_mann_whitney(same, 5, same, 5, &r), 0);
	assert_close(r.p, 1.0, 0);
	assert_int_equal(pg_stats_mann_whitney(one, 0, same, 5, &r), -1);
	assert_int_equal(pg_stats_mann_whitney(bad, 2, same, 5, &r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_median_odd_even_empty),
		cmocka_unit_test(test_stats_exact_all_greater),
		cmocka_unit_test(test_stats_exact_three_by_three),
		cmocka_unit_test(test_stats_exact_r_example),
		cmocka_unit_test(test_stats_normal_ties),
		cmocka_unit_test(test_stats_normal_large),
		cmocka_unit_test(test_stats_exact_largest),
		cmocka_unit_test(test_stats_degenerate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
