/* Inputs the decision rule must not judge silently: a metric in other
 * units on the two sides is an input error; a metric the baseline lacks is
 * a row saying so, never a pass of that metric; CPU counted over the main
 * process on one side and the cgroup on the other is not judged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
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

struct fixture {
	struct pg_result b, c;
	struct pg_verdict v;
	struct pg_compare_opts o;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	pg_result_init(&f->b);
	pg_result_init(&f->c);
	pg_verdict_init(&f->v);
	pg_compare_opts_init(&f->o);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pg_verdict_release(&f->v);
	pg_result_release(&f->b);
	pg_result_release(&f->c);
	free(f);
	return 0;
}

static void test_compare_unit_mismatch_is_input_error(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	fill(&f->b, "cpu.seconds_per_req", "ms", 1);
	fill(&f->c, "cpu.seconds_per_req", "s", 0.002);
	assert_int_equal(pg_compare_results(&f->b, &f->c, &f->o, &f->v, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "'ms' in the baseline but 's' now"));
}

static void test_compare_metric_without_baseline(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	fill(&f->b, "a", "s", 1);
	fill(&f->c, "a", "s", 1);
	fill(&f->c, "b", "s", 100);
	assert_int_equal(pg_compare_results(&f->b, &f->c, &f->o, &f->v, &err), 0);
	assert_int_equal(f->v.nrows, 2);
	assert_string_equal(f->v.rows[1].metric, "b");
	assert_int_equal(f->v.rows[1].verdict, PG_VERDICT_REPORTED);
	assert_string_equal(f->v.rows[1].note, "no baseline for metric");
}

/* A baseline recorded without root counted a wrapper's main process only:
 * a tenfold rise against it is the scope, not the code. The other metrics
 * are still judged. */
static void test_compare_cpu_scopes_apart(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	fill(&f->b, PG_METRIC_CPU, "s", 0.0001);
	fill(&f->c, PG_METRIC_CPU, "s", 0.001);
	fill(&f->b, "latency.p99_ms", "ms", 10);
	fill(&f->c, "latency.p99_ms", "ms", 20);
	f->b.cpu_scope = strdup(PG_CPU_SCOPE_PROCESS);
	assert_int_equal(pg_compare_results(&f->b, &f->c, &f->o, &f->v, &err), 0);
	assert_int_equal(f->v.rows[0].verdict, PG_VERDICT_REPORTED);
	assert_string_equal(f->v.rows[0].note, "CPU counted differently");
	assert_int_equal(f->v.rows[1].verdict, PG_VERDICT_REGRESSION);
	assert_int_equal(f->v.nregressions, 1);
	assert_int_equal(f->v.nnotes, 1);
	assert_non_null(strstr(f->v.notes[0],
			       "the baseline counted the workload's main "
			       "process only, the current result the workload's whole cgroup"));
}

/* The same scope on both sides ("cgroup" spelled out or implied) is judged
 * as ever. */
static void test_compare_cpu_scopes_alike(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;

	fill(&f->b, PG_METRIC_CPU, "s", 0.0001);
	fill(&f->c, PG_METRIC_CPU, "s", 0.001);
	f->b.cpu_scope = strdup("cgroup");
	assert_int_equal(pg_compare_results(&f->b, &f->c, &f->o, &f->v, &err), 0);
	assert_int_equal(f->v.rows[0].verdict, PG_VERDICT_REGRESSION);
	assert_int_equal(f->v.nnotes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compare_unit_mismatch_is_input_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_compare_cpu_scopes_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_cpu_scopes_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compare_metric_without_baseline, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
