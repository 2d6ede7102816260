#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "../bpf/hist.h"
#include "fs.h"
#include "result.h"
#include "scratch.h"

struct fixture {
	char *dir;
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = pg_scratch_new("result");
	assert_non_null(f->dir);
	snprintf(f->path, sizeof(f->path), "%s/result.json", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pg_scratch_free(f->dir), 0);
	free(f);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void make_result(struct pg_result *r)
{
	pg_result_init(r);
	r->scenario = strdup("orders-api");
	r->commit = strdup("0123456789abcdef0123456789abcdef01234567");
	r->runs = 3;
	assert_int_equal(pg_result_set_host(r, NULL), 0);
	assert_int_equal(pg_result_add_value(r, "load.rps", "req/s", PG_BETTER_HIGHER, 10, NULL),
			 0);
	assert_int_equal(
		pg_result_add_value(r, "cpu.seconds_per_req", "s", PG_BETTER_LOWER, 0.25, NULL), 0);
	assert_int_equal(pg_result_add_value(r, "load.rps", NULL, PG_BETTER_HIGHER, 30, NULL), 0);
	assert_int_equal(pg_result_add_value(r, "load.rps", NULL, PG_BETTER_HIGHER, 20, NULL), 0);
	assert_int_equal(pg_result_add_func(r, "main.a", 10, 20, NULL), 0);
	assert_int_equal(pg_result_add_func(r, "main.b", 30, 30, NULL), 0);
	assert_int_equal(pg_result_add_func(r, "main.a", 5, 5, NULL), 0);
	pg_result_sort_funcs(r);
}

static void test_result_metrics_sorted_with_median(void **state)
{
	struct pg_result r;
	const struct pg_metric *m;

	(void)state;
	make_result(&r);
	assert_int_equal(r.nmetrics, 2);
	assert_string_equal(r.metrics[0].name, "cpu.seconds_per_req");
	m = pg_result_metric(&r, "load.rps");
	assert_non_null(m);
	assert_int_equal(m->nvalues, 3);
	assert_true(pg_metric_median(m) == 20);
	assert_null(pg_result_metric(&r, "nope"));
	assert_string_equal(r.funcs[0].name, "main.b");
	assert_int_equal(r.funcs[1].flat, 15);
	assert_int_equal(r.funcs[1].cum, 25);
	assert_int_equal(pg_result_add_value(&r, "x", "s", PG_BETTER_LOWER, NAN, NULL), PG_EINPUT);
	pg_result_release(&r);
}

static void test_result_median_even(void **state)
{
	double v[] = { 4, 1, 3, 2 };
	struct pg_metric m = { .values = v, .nvalues = 4 };

	(void)state;
	assert_true(pg_metric_median(&m) == 2.5);
}

static void test_result_round_trip(void **state)
{
	struct fixture *f = *state;
	struct pg_result a, b;
	struct pg_err err = PG_ERR_INIT;
	size_t i, j;

	make_result(&a);
	a.cpu_scope = strdup(PG_CPU_SCOPE_PROCESS);
	assert_int_equal(pg_result_save(&a, f->path, 0, &err), 0);
	pg_result_init(&b);
	assert_int_equal(pg_result_load(&b, f->path, &err), 0);
	assert_string_equal(b.cpu_scope, PG_CPU_SCOPE_PROCESS);
	assert_string_equal(b.scenario, a.scenario);
	assert_string_equal(b.commit, a.commit);
	assert_string_equal(b.host.kernel, a.host.kernel);
	assert_int_equal(b.runs, 3);
	assert_int_equal(b.nmetrics, a.nmetrics);
	for (i = 0; i < a.nmetrics; i++) {
		assert_string_equal(b.metrics[i].name, a.metrics[i].name);
		assert_int_equal(b.metrics[i].better, a.metrics[i].better);
		for (j = 0; j < a.metrics[i].nvalues; j++)
			assert_true(b.metrics[i].values[j] == a.metrics[i].values[j]);
	}
	assert_int_equal(b.nfuncs, 2);
	assert_string_equal(b.funcs[0].name, "main.b");
	pg_result_release(&a);
	pg_result_release(&b);
}

/* A result keeps the 50 functions with the most flat time and the 25 with
 * the most cumulative time: a handler that spends its time in callees is
 * saved even when 60 leaf functions each have more flat time. */
static void test_result_saves_top_by_flat_and_cum(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_result a, b;
	char name[32];
	int i, found = 0;

	pg_result_init(&a);
	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "leaf%02d", i);
		assert_int_equal(pg_result_add_func(&a, name, 1000 - i, 1000 - i, NULL), 0);
	}
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "caller%02d", i);
		assert_int_equal(pg_result_add_func(&a, name, 0, 100000 - i, NULL), 0);
	}
	pg_result_sort_funcs(&a);
	assert_int_equal(pg_result_save(&a, f->path, 0, &err), 0);
	pg_result_init(&b);
	assert_int_equal(pg_result_load(&b, f->path, &err), 0);
	assert_int_equal(b.nfuncs, 75);
	for (i = 0; i < (int)b.nfuncs; i++) {
		if (!strncmp(b.funcs[i].name, "caller", 6)) {
			assert_true(atoi(b.funcs[i].name + 6) < 25);
			found++;
		} else {
			assert_true(atoi(b.funcs[i].name + 4) < 50);
		}
	}
	assert_int_equal(found, 25);
	pg_result_release(&a);
	pg_result_release(&b);
}

static void test_result_save_excl_keeps_old(void **state)
{
	struct fixture *f = *state;
	struct pg_result a;
	struct pg_err err = PG_ERR_INIT;
	char cmd[256];

	make_result(&a);
	write_text(f->path, "old\n");
	assert_int_equal(pg_result_save(&a, f->path, 1, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "exists"));
	/* The old file is intact and no temp file is left beside it. */
	snprintf(cmd, sizeof(cmd), "test \"$(cat '%s')\" = old && test \"$(ls '%s' | wc -l)\" = 1",
		 f->path, f->dir);
	assert_int_equal(system(cmd), 0);
	pg_result_release(&a);
}

static void expect_rejected(struct fixture *f, const char *text, const char *needle)
{
	struct pg_result r;
	struct pg_err err = PG_ERR_INIT;

	write_text(f->path, text);
	pg_result_init(&r);
	assert_int_equal(pg_result_load(&r, f->path, &err), PG_EINPUT);
	if (!strstr(err.msg, needle))
		fail_msg("message '%s' lacks '%s'", err.msg, needle);
	pg_result_release(&r);
}

static void test_result_rejects_bad_files(void **state)
{
	struct fixture *f = *state;

	expect_rejected(f, "", "malformed JSON");
	expect_rejected(f, "{\"schema\": 1, \"metrics\": {", "malformed JSON");
	expect_rejected(f, "[]", "not a JSON object");
	expect_rejected(f, "{\"schema\": 99, \"metrics\": {}}", "unsupported schema");
	expect_rejected(f, "{\"schema\": 1}", "\"metrics\" must be an object");
	expect_rejected(f, "{\"schema\": 1, \"metrics\": {\"a\": {\"unit\": \"s\"}}}",
			"metric 'a' needs");
	expect_rejected(f,
			"{\"schema\": 1, \"metrics\": {\"a\": {\"unit\": \"s\", \"better\": "
			"\"lower\", \"values\": [1, \"x\"]}}}",
			"metrics.a.values[1] is not a number");
	expect_rejected(f,
			"{\"schema\": 1, \"metrics\": {\"a\": {\"unit\": \"s\", \"better\": "
			"\"up\", \"values\": [1]}}}",
			"unknown direction 'up'");
	expect_rejected(f, "{\"schema\": 1, \"metrics\": {}, \"cpu_scope\": \"host\"}",
			"\"cpu_scope\" must be \"cgroup\" or \"process\"");
}

static void test_result_file_is_sorted_and_ends_in_newline(void **state)
{
	struct fixture *f = *state;
	struct pg_result a;
	char cmd[512];

	make_result(&a);
	assert_int_equal(pg_result_save(&a, f->path, 0, NULL), 0);
	snprintf(cmd, sizeof(cmd),
		 "test \"$(tail -c1 '%s' | od -An -c | tr -d ' ')\" = '\\n' && "
		 "grep '^  \"' '%s' | cut -d'\"' -f2 | sort -c",
		 f->path, f->path);
	assert_int_equal(system(cmd), 0);
	pg_result_release(&a);
}

/* A million values of one metric parse in linear time; more metrics or
 * functions than any capture makes are refused; a syntax error never
 * quotes the input (jansson's "near '<token>'"). */
static void test_result_large_and_hostile(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;
	size_t i, n = 1000000, cap = n * 2 + 256;
	char *doc, *p, *end;
	time_t t0;

	(void)state;
	doc = malloc(cap);
	assert_non_null(doc);
	end = doc + cap;
	p = doc + snprintf(doc, cap,
			   "{\"schema\": 1, \"metrics\": {\"a\": {\"unit\": \"s\", "
			   "\"better\": \"lower\", \"values\": [");
	for (i = 0; i < n; i++)
		p += snprintf(p, (size_t)(end - p), i ? ",1" : "1");
	snprintf(p, (size_t)(end - p), "]}}}");
	pg_result_init(&r);
	t0 = time(NULL);
	assert_int_equal(pg_result_parse(&r, doc, strlen(doc), "big", &err), 0);
	assert_true(time(NULL) - t0 < 10);
	assert_int_equal(r.metrics[0].nvalues, n);
	pg_result_release(&r);
	p = doc + snprintf(doc, cap, "{\"schema\": 1, \"metrics\": {");
	for (i = 0; i < 10001; i++)
		p += snprintf(p, (size_t)(end - p), "%s\"m%zu\": {}", i ? "," : "", i);
	snprintf(p, (size_t)(end - p), "}}");
	pg_result_init(&r);
	assert_int_equal(pg_result_parse(&r, doc, strlen(doc), "many", &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "more than 10000 metrics"));
	pg_result_release(&r);
	pg_result_init(&r);
	assert_int_equal(pg_result_parse(&r, "root:x:0:0", 10, "/etc/passwd", &err), PG_EINPUT);
	assert_null(strstr(err.msg, "root"));
	pg_result_release(&r);
	free(doc);
}

/* The getrandom histogram survives JSON: same buckets, same counts, and
 * runs add up. */
static void test_result_hist_round_trip(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r = { 0 }, back;
	uint64_t counts[PG_HIST_NBUCKETS] = { 0 };
	size_t n = PG_HIST_NBUCKETS, i;
	json_t *j;

	(void)state;
	assert_int_equal(pg_result_add_hist(&r, counts, n - 1, &err), PG_EINFRA);
	memset(counts, 0, sizeof(counts));
	counts[3] = 7;
	counts[100] = 2;
	counts[n - 1] = 1;
	pg_result_init(&back);
	assert_int_equal(pg_result_add_hist(&r, counts, n, &err), 0);
	assert_int_equal(pg_result_add_hist(&r, counts, n, &err), 0);
	j = pg_result_hist_to_json(&r);
	assert_int_equal(json_array_size(json_object_get(j, "buckets")), 3);
	assert_int_equal(pg_result_hist_from_json(&back, j, "t", &err), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(back.getrandom_hist[i], 2 * counts[i]);
	assert_true(pg_result_hist_lower(100) > pg_result_hist_lower(99));
	json_decref(j);
	pg_result_release(&r);
	pg_result_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_result_metrics_sorted_with_median),
		cmocka_unit_test(test_result_median_even),
		cmocka_unit_test(test_result_large_and_hostile),
		cmocka_unit_test(test_result_hist_round_trip),
		cmocka_unit_test_setup_teardown(test_result_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_result_saves_top_by_flat_and_cum, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_result_save_excl_keeps_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_result_rejects_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_result_file_is_sorted_and_ends_in_newline,
						setup, teardown),
	};

	return cmocka_run_group_tests_name("result", tests, NULL, NULL);
}
