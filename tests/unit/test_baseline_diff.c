/* The baseline diff's own judgement: run ranges that overlap are inside
 * the noise, host facts and CPU scopes that differ are named, the table has
 * no verdict. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "baseline_diff.h"

static void add(struct pg_result *r, const char *m, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(pg_result_add_value(r, m, "s", PG_BETTER_LOWER, v[i], NULL), 0);
}

static void test_baseline_diff_overlap(void **state)
{
	static const double a[] = { 1.0, 1.2, 1.1 }, b[] = { 1.15, 1.3 }, c[] = { 1.3, 1.4 };
	struct pg_result r;

	(void)state;
	pg_result_init(&r);
	add(&r, "a", a, 3);
	add(&r, "b", b, 2);
	add(&r, "c", c, 2);
	assert_int_equal(
		pg_baseline_diff_overlap(pg_result_metric(&r, "a"), pg_result_metric(&r, "b")), 1);
	assert_int_equal(
		pg_baseline_diff_overlap(pg_result_metric(&r, "a"), pg_result_metric(&r, "c")), 0);
	assert_int_equal(pg_baseline_diff_overlap(pg_result_metric(&r, "a"), NULL), -1);
	pg_result_release(&r);
}

static void test_baseline_diff_host_mismatch(void **state)
{
	struct pg_host a = { "6.1.0", "Intel Xeon", 2 }, b = a;
	char line[256];

	(void)state;
	assert_int_equal(pg_host_mismatch(&a, &b, line, sizeof(line)), 0);
	b.cores = 64;
	assert_int_equal(pg_host_mismatch(&a, &b, line, sizeof(line)), 1);
	assert_non_null(strstr(line, "2 cores"));
	assert_non_null(strstr(line, "64 cores"));
	b = a;
	b.kernel = "6.18.0";
	assert_int_equal(pg_host_mismatch(&a, &b, line, sizeof(line)), 1);
	b = a;
	b.cpu_model = NULL; /* unknown is no mismatch */
	assert_int_equal(pg_host_mismatch(&a, &b, line, sizeof(line)), 0);
}

/* The diff of one metric's three runs, old -> new, as text or markdown;
 * the new side's CPU counted scope (NULL: the cgroup). */
static char *diff_of(const char *metric, const double *o, const double *n, const char *scope,
		     int markdown)
{
	struct pg_result old, new;
	struct pg_baseline_side so = { &old, "aaaaaaaaaaaaaaaa", "baselines/s/a.json" };
	struct pg_baseline_side sn = { &new, "bbbbbbbbbbbbbbbb", "baselines/s/b.json" };
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	pg_result_init(&old);
	pg_result_init(&new);
	add(&old, metric, o, 3);
	add(&new, metric, n, 3);
	new.cpu_scope = scope ? strdup(scope) : NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(pg_baseline_diff_write(f, &so, &sn, markdown, &err), 0);
	fclose(f);
	pg_result_release(&new);
	pg_result_release(&old);
	return text;
}

static void test_baseline_diff_table_has_no_verdict(void **state)
{
	static const double o[] = { 1.0, 1.1, 1.05 }, n[] = { 6.0, 6.2, 6.1 };
	char *text = diff_of("load.lat_p99_ms", o, n, NULL, 0);

	(void)state;
	assert_non_null(strstr(text, "baseline diff aaaaaaaaaaaa -> bbbbbbbbbbbb"));
	assert_non_null(strstr(text, "outside"));
	assert_null(strstr(text, "pass"));
	assert_null(strstr(text, "regression"));
	assert_null(strstr(text, "threshold"));
	free(text);
}

/* A lead reviewing a baseline recorded without root reads that its CPU
 * counts the main process only. */
static void test_baseline_diff_cpu_scope(void **state)
{
	static const double o[] = { 1.0, 1.1, 1.05 }, n[] = { 0.1, 0.1, 0.1 };
	char *text = diff_of(PG_METRIC_CPU, o, n, PG_CPU_SCOPE_PROCESS, 1);

	(void)state;
	assert_non_null(strstr(text, "⚠️ cpu.seconds_per_req is not gated: the baseline "
				     "counted the workload's whole cgroup, the current result "
				     "the workload's main process only"));
	free(text);
}

static void test_baseline_diff_relpath(void **state)
{
	(void)state;
	assert_string_equal(pg_baseline_diff_relpath("/r/baselines/x.json", "/r/"),
			    "baselines/x.json");
	assert_string_equal(pg_baseline_diff_relpath("/rr/x.json", "/r"), "/rr/x.json");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_diff_overlap),
		cmocka_unit_test(test_baseline_diff_host_mismatch),
		cmocka_unit_test(test_baseline_diff_table_has_no_verdict),
		cmocka_unit_test(test_baseline_diff_cpu_scope),
		cmocka_unit_test(test_baseline_diff_relpath),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
