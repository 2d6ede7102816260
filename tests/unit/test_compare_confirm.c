/* pg_verdict_confirm: a regression counts only when two captures agree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

/* A result with metrics a, b, c (lower is better), five runs each. */
static void make(struct pg_result *r, double a, double b, double c)
{
	int i;

	pg_result_init(r);
	for (i = 0; i < 5; i++) {
		assert_int_equal(pg_result_add_value(r, "a", "s", PG_BETTER_LOWER, a + i, NULL), 0);
		assert_int_equal(pg_result_add_value(r, "b", "s", PG_BETTER_LOWER, b + i, NULL), 0);
		assert_int_equal(pg_result_add_value(r, "c", "s", PG_BETTER_LOWER, c + i, NULL), 0);
	}
}

static void verdict(const struct pg_result *base, const struct pg_result *cur, struct pg_verdict *v)
{
	struct pg_compare_opts o;

	pg_compare_opts_init(&o);
	pg_verdict_init(v);
	assert_int_equal(pg_compare_results(base, cur, &o, v, NULL), 0);
}

static void test_compare_confirm_keeps_only_agreeing_regressions(void **state)
{
	struct pg_result base, one, two;
	struct pg_verdict v1, v2;

	(void)state;
	make(&base, 100, 100, 100);
	make(&one, 130, 130, 100);
	make(&two, 130, 100, 130);
	verdict(&base, &one, &v1);
	verdict(&base, &two, &v2);
	assert_int_equal(v1.nregressions, 2);
	assert_int_equal(v2.nregressions, 2);

	pg_verdict_confirm(&v2, &v1);
	assert_int_equal(v2.nregressions, 1);
	assert_int_equal(v2.verdict, PG_VERDICT_REGRESSION);
	assert_string_equal(v2.rows[0].metric, "a");
	assert_int_equal(v2.rows[0].verdict, PG_VERDICT_REGRESSION);
	assert_int_equal(v2.rows[1].verdict, PG_VERDICT_PASS);
	assert_string_equal(v2.rows[1].note, "regressed in the first capture only");
	assert_int_equal(v2.rows[2].verdict, PG_VERDICT_PASS);
	assert_string_equal(v2.rows[2].note, "regressed in the confirming capture only");

	pg_verdict_release(&v1);
	pg_verdict_release(&v2);
	pg_result_release(&base);
	pg_result_release(&one);
	pg_result_release(&two);
}

static void test_compare_confirm_can_clear_the_run(void **state)
{
	struct pg_result base, one, two;
	struct pg_verdict v1, v2;

	(void)state;
	make(&base, 100, 100, 100);
	make(&one, 130, 100, 100);
	make(&two, 100, 100, 100);
	verdict(&base, &one, &v1);
	verdict(&base, &two, &v2);
	pg_verdict_confirm(&v2, &v1);
	assert_int_equal(v2.nregressions, 0);
	assert_int_equal(v2.verdict, PG_VERDICT_PASS);
	pg_verdict_release(&v1);
	pg_verdict_release(&v2);
	pg_result_release(&base);
	pg_result_release(&one);
	pg_result_release(&two);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_confirm_keeps_only_agreeing_regressions),
		cmocka_unit_test(test_compare_confirm_can_clear_the_run),
	};

	return cmocka_run_group_tests_name("compare_confirm", tests, NULL, NULL);
}
