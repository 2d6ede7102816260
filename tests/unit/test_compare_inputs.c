/* Inputs the decision rule must not judge silently: a metric in other
 * units on the two sides is an input error; a metric the baseline lacks is
 * a row saying so, never a pass of that metric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

static void fill(struct pg_result *r, const char *name, const char *unit, double v)
{
	struct pg_err err = PG_ERR_INIT;
	int i;

	for (i = 0; i < 5; i++)
		assert_int_equal(pg_result_add_value(r, name, unit, PG_BETTER_LOWER, v, &err), 0);
}

static void test_compare_unit_mismatch_is_input_error(void **state)
{
	struct pg_result b, c;
	struct pg_verdict v;
	struct pg_compare_opts o;
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	pg_result_init(&b);
	pg_result_init(&c);
	pg_verdict_init(&v);
	pg_compare_opts_init(&o);
	fill(&b, "cpu.seconds_per_req", "ms", 1);
	fill(&c, "cpu.seconds_per_req", "s", 0.002);
	assert_int_equal(pg_compare_results(&b, &c, &o, &v, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "'ms' in the baseline but 's' now"));
	pg_verdict_release(&v);
	pg_result_release(&b);
	pg_result_release(&c);
}

static void test_compare_metric_without_baseline(void **state)
{
	struct pg_result b, c;
	struct pg_verdict v;
	struct pg_compare_opts o;
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	pg_result_init(&b);
	pg_result_init(&c);
	pg_verdict_init(&v);
	pg_compare_opts_init(&o);
	fill(&b, "a", "s", 1);
	fill(&c, "a", "s", 1);
	fill(&c, "b", "s", 100);
	assert_int_equal(pg_compare_results(&b, &c, &o, &v, &err), 0);
	assert_int_equal(v.nrows, 2);
	assert_string_equal(v.rows[1].metric, "b");
	assert_int_equal(v.rows[1].verdict, PG_VERDICT_REPORTED);
	assert_string_equal(v.rows[1].note, "no baseline for metric");
	pg_verdict_release(&v);
	pg_result_release(&b);
	pg_result_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_unit_mismatch_is_input_error),
		cmocka_unit_test(test_compare_metric_without_baseline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
