/* Unit tests of the probe module's pure parts: the log-linear histogram of
 * bpf/hist.h (bucket bounds) and pg_probe_quantile on synthetic snapshots.
 * Loading the programs is tested for real by tests/integration. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "probe.h"

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct pg_probe_snapshot));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Add n samples of value v, as the BPF program would. */
static void add(struct pg_probe_snapshot *s, uint64_t v, uint64_t n)
{
	s->getrandom_hist[pg_hist_bucket(v)] += n;
	s->getrandom_calls += n;
	if (v > s->getrandom_lat_max_ns)
		s->getrandom_lat_max_ns = v;
}

static void test_probe_hist_buckets_contiguous_and_monotonic(void **state)
{
	uint32_t b;

	(void)state;
	assert_int_equal(PG_HIST_NBUCKETS, 1056);
	assert_int_equal(pg_hist_lower(0), 0);
	for (b = 0; b + 1 < PG_HIST_NBUCKETS; b++) {
		assert_true(pg_hist_lower(b) < pg_hist_upper(b));
		assert_int_equal(pg_hist_upper(b), pg_hist_lower(b + 1));
	}
}

/* Above 32 ns no bucket is wider than 5 % of its lower bound (3.125 % by
 * construction), which a 15 % gate needs. The last bucket is the overflow
 * for everything from about 135 s up, which no latency gate relies on. */
static void test_probe_hist_width_below_5_pct(void **state)
{
	uint32_t b;

	(void)state;
	for (b = pg_hist_bucket(32); b < PG_HIST_NBUCKETS - 1; b++) {
		double lo = (double)pg_hist_lower(b), w = (double)(pg_hist_upper(b) - lo);

		assert_true(w / lo <= 0.05);
		assert_true(w / lo <= 1.0 / 32 + 1e-12);
	}
}

/* Every value maps to the bucket whose bounds contain it, including the
 * edges of each power of two, and values past 2^37 share the top bucket. */
static void test_probe_hist_value_in_its_bucket(void **state)
{
	uint64_t v, edges[] = { 0, 1, 31, 32, 33, 63, 64, 65, 1000, 1023, 1024, 1025, 123456789 };
	uint32_t b;
	size_t i;
	int e;

	(void)state;
	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		b = pg_hist_bucket(edges[i]);
		assert_true(pg_hist_lower(b) <= edges[i] && edges[i] < pg_hist_upper(b));
	}
	for (e = 5; e <= 36; e++) {
		for (v = (1ULL << e) - 1; v <= (1ULL << e) + 1; v++) {
			b = pg_hist_bucket(v);
			assert_true(pg_hist_lower(b) <= v && v < pg_hist_upper(b));
		}
	}
	assert_int_equal(pg_hist_bucket(1ULL << 40), PG_HIST_NBUCKETS - 1);
	assert_int_equal(pg_hist_bucket(UINT64_MAX), PG_HIST_NBUCKETS - 1);
	for (v = 1; v < 100000; v = v * 3 / 2 + 1)
		assert_true(pg_hist_bucket(v) >= pg_hist_bucket(v - 1));
}

static void test_probe_quantile_empty_is_zero(void **state)
{
	assert_true(pg_probe_quantile(*state, 0.5) == 0);
	assert_true(pg_probe_quantile(*state, 0.99) == 0);
}

/* Narrow buckets (below 32 ns) hold one value each: exact answers. */
static void test_probe_quantile_exact_small_values(void **state)
{
	struct pg_probe_snapshot *s = *state;

	add(s, 10, 50);
	add(s, 20, 49);
	add(s, 30, 1);
	assert_true(pg_probe_quantile(s, 0.50) == 10);
	assert_true(pg_probe_quantile(s, 0.51) == 20);
	assert_true(pg_probe_quantile(s, 0.99) == 20);
	assert_true(pg_probe_quantile(s, 1.0) == 30);
	assert_true(pg_probe_quantile(s, 0.0) == 10);
}

/* Nearest rank picks the bucket: 90 samples at 1000 ns, 10 at 5000 ns. */
static void test_probe_quantile_picks_right_bucket(void **state)
{
	struct pg_probe_snapshot *s = *state;
	uint32_t lo = pg_hist_bucket(1000), hi = pg_hist_bucket(5000);
	double p50, p90, p91, p99;

	add(s, 1000, 90);
	add(s, 5000, 10);
	p50 = pg_probe_quantile(s, 0.50);
	p90 = pg_probe_quantile(s, 0.90);
	p91 = pg_probe_quantile(s, 0.91);
	p99 = pg_probe_quantile(s, 0.99);
	assert_true(p50 >= pg_hist_lower(lo) && p50 < pg_hist_upper(lo));
	assert_true(p90 >= pg_hist_lower(lo) && p90 < pg_hist_upper(lo));
	assert_true(p91 >= pg_hist_lower(hi) && p91 < pg_hist_upper(hi));
	assert_true(p99 >= pg_hist_lower(hi) && p99 <= 5000);
	assert_true(p50 <= p90 && p90 <= p91 && p91 <= p99);
}

/* Inside a bucket the samples count as evenly spread: one sample sits at
 * the bucket's midpoint; the max caps the top. */
static void test_probe_quantile_interpolates_within_bucket(void **state)
{
	struct pg_probe_snapshot *s = *state;
	uint32_t b = pg_hist_bucket(1024);
	double mid = (pg_hist_lower(b) + pg_hist_upper(b)) / 2.0, q;

	s->getrandom_hist[b] = 1;
	s->getrandom_lat_max_ns = pg_hist_upper(b) - 1;
	q = pg_probe_quantile(s, 0.5);
	assert_true(q > mid - 1e-9 && q < mid + 1e-9);
	s->getrandom_lat_max_ns = pg_hist_lower(b);
	assert_true(pg_probe_quantile(s, 1.0) == pg_hist_lower(b));
}

/* A uniform spread of values: every quantile lands within one bucket width
 * (3.1 %) of the true order statistic. */
static void test_probe_quantile_within_one_bucket_of_truth(void **state)
{
	struct pg_probe_snapshot *s = *state;
	static const double qs[] = { 0.01, 0.25, 0.5, 0.9, 0.99, 0.999 };
	uint64_t v;
	size_t i;

	for (v = 100; v < 100100; v++)
		add(s, v, 1);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double truth = 100 + qs[i] * 100000 - 1, got = pg_probe_quantile(s, qs[i]);

		assert_true(got >= truth * (1 - 1.0 / 32) && got <= truth * (1 + 1.0 / 32));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_hist_buckets_contiguous_and_monotonic),
		cmocka_unit_test(test_probe_hist_width_below_5_pct),
		cmocka_unit_test(test_probe_hist_value_in_its_bucket),
		cmocka_unit_test_setup_teardown(test_probe_quantile_empty_is_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_quantile_exact_small_values, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_probe_quantile_picks_right_bucket, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_probe_quantile_interpolates_within_bucket,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_quantile_within_one_bucket_of_truth,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
