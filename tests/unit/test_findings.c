/* Findings: each rule on synthetic sides (built through a result's function
 * table, as `perfgate compare` sees them), the path table, the noise test,
 * and the sides of a real CPU profile from its call stacks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "findings.h"

#define MS 1000000LL /* ns */

struct fn {
	const char *name;
	int64_t flat, cum;
};

/* A side of total_ms of CPU (100 samples a second, Go's rate). */
static void side(struct pg_cpu_side *s, int64_t total_ms, const struct fn *fns, size_t n)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;
	size_t i;

	pg_result_init(&r);
	r.profile_sample_type = strdup("cpu");
	r.profile_unit = strdup("nanoseconds");
	r.profile_total = total_ms * MS;
	for (i = 0; i < n; i++)
		assert_int_equal(pg_result_add_func(&r, fns[i].name, fns[i].flat * MS,
						    fns[i].cum * MS, &err),
				 0);
	pg_result_sort_funcs(&r);
	pg_cpu_side_init(s);
	assert_int_equal(pg_cpu_side_from_result(s, &r, &err), 0);
	assert_true(s->present);
	pg_result_release(&r);
}

static struct pg_compare_row row(const char *metric, enum pg_verdict_kind k, double change)
{
	struct pg_compare_row w;

	memset(&w, 0, sizeof(w));
	w.metric = (char *)metric;
	w.unit = (char *)"count";
	w.verdict = k;
	w.change_pct = change;
	w.threshold_pct = 15;
	w.gated = 1;
	return w;
}

/* Build the findings of rows against base and cur; the last one found. */
static struct pg_finding one(struct pg_compare_row *rows, size_t n, const struct pg_cpu_side *b,
			     const struct pg_cpu_side *c, double drop)
{
	struct pg_verdict v;
	struct pg_findings fs;
	struct pg_finding f;
	struct pg_err err = PG_ERR_INIT;

	memset(&v, 0, sizeof(v));
	v.rows = rows;
	v.nrows = n;
	assert_int_equal(pg_findings_build(&fs, &v, b, c, drop, &err), 0);
	assert_true(fs.n >= 1);
	f = fs.items[fs.n - 1];
	print_message("  %s: [%s] %s\n", f.metric, pg_finding_kind_name(f.kind), f.text);
	pg_findings_release(&fs);
	return f;
}

static const struct fn quiet[] = {
	{ "main.handleOrder", 100, 5000 }, { "crypto/rand.Read", 10, 100 },
	{ "syscall.getrandom", 90, 90 },   { "crypto/sha256.block", 2000, 2000 },
	{ "net.(*conn).Write", 10, 800 },
};
static const struct fn rand_up[] = {
	{ "main.handleOrder", 100, 5000 }, { "crypto/rand.Read", 50, 700 },
	{ "syscall.getrandom", 650, 650 }, { "crypto/sha256.block", 1700, 1700 },
	{ "net.(*conn).Write", 10, 800 },
};

static void test_findings_getrandom_corroborated(void **state)
{
	struct pg_cpu_side b, c;
	struct pg_compare_row rows[] = {
		row("cpu.seconds_per_req", PG_VERDICT_PASS, 3),
		row("getrandom.calls_per_req", PG_VERDICT_REGRESSION, 400),
	};
	struct pg_finding f;

	(void)state;
	side(&b, 10000, quiet, 5);
	side(&c, 10000, rand_up, 5);
	f = one(rows, 2, &b, &c, -1);
	assert_string_equal(f.metric, "getrandom.calls_per_req");
	assert_int_equal(f.kind, PG_FINDING_CORROBORATED);
	assert_non_null(strstr(f.text, "corroborated by pprof: crypto/rand.Read +6.0 pp"));
	assert_non_null(strstr(f.text, "1.0 % -> 7.0 %"));
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
}

static void test_findings_getrandom_latency_blocked_or_not_corroborated(void **state)
{
	struct pg_cpu_side b, c;
	struct pg_compare_row lat[] = { row("getrandom.lat_p99_ns", PG_VERDICT_REGRESSION, 80) };
	struct pg_compare_row calls[] = { row("getrandom.calls_per_req", PG_VERDICT_REGRESSION,
					      30) };
	struct pg_finding f;

	(void)state;
	side(&b, 10000, quiet, 5);
	side(&c, 10000, quiet, 5);
	f = one(lat, 1, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_BLOCKED);
	assert_non_null(strstr(f.text, "not seen in the CPU profile (the time is spent blocked, "
				       "not on CPU)"));
	f = one(calls, 1, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_NOT_CORROBORATED);
	assert_non_null(strstr(f.text, "not corroborated"));
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
}

/* Sets a row's medians and unit. */
static void medians(struct pg_compare_row *w, const char *unit, double base, double cur)
{
	w->unit = (char *)unit;
	w->baseline = base;
	w->current = cur;
}

static void test_findings_latency_without_cpu_is_off_cpu(void **state)
{
	struct pg_cpu_side b, c;
	struct pg_compare_row rows[] = {
		row("cpu.seconds_per_req", PG_VERDICT_PASS, 2.5),
		row("load.lat_p99_ms", PG_VERDICT_REGRESSION, 300),
		row("load.rps", PG_VERDICT_REGRESSION, -20),
	};
	struct pg_finding f;

	(void)state;
	side(&b, 10000, quiet, 5);
	side(&c, 10000, quiet, 5);
	medians(&rows[0], "s", 0.0002, 0.000205);
	medians(&rows[1], "ms", 0.5, 2.5);
	f = one(rows, 2, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_OFF_CPU);
	assert_non_null(strstr(f.text, "off-CPU: waiting, not computing: latency +2 ms"));
	assert_null(strstr(f.text, "crypto"));
	/* a sleep costs the runtime a little CPU too: +0.1 ms of +2 ms is no cause */
	rows[0].verdict = PG_VERDICT_REGRESSION;
	medians(&rows[0], "s", 0.0002, 0.0003);
	f = one(rows, 2, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_OFF_CPU);
	assert_non_null(strstr(f.text, "(5 % of it)"));
	/* +0.12 ms of latency with +0.1 ms of CPU: computing */
	medians(&rows[1], "ms", 0.5, 0.62);
	f = one(rows, 2, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_CORROBORATED);
	assert_non_null(strstr(f.text, "computing, not waiting"));
	/* rps has no ms to weigh: the CPU row's verdict decides */
	f = one((struct pg_compare_row[]){ rows[0], rows[2] }, 2, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_CORROBORATED);
	f = one(rows + 1, 1, &b, &c, -1); /* the cpu row is not in this verdict */
	assert_int_equal(f.kind, PG_FINDING_NO_SIGNAL);
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
}

static void test_findings_cpu_names_its_top_movers(void **state)
{
	static const struct fn slow[] = {
		{ "main.handleOrder", 100, 9000 },
		{ "main.rehash", 100, 5000 },
		{ "crypto/sha256.block", 6000, 6000 },
		{ "net.(*conn).Write", 10, 400 },
	};
	struct pg_cpu_side b, c, c2;
	struct pg_compare_row rows[] = { row("cpu.seconds_per_req", PG_VERDICT_REGRESSION, 90) };
	struct pg_finding f;

	(void)state;
	side(&b, 10000, quiet, 5);
	side(&c, 10000, slow, 4);
	f = one(rows, 1, &b, &c, -1);
	assert_int_equal(f.kind, PG_FINDING_CORROBORATED);
	assert_non_null(strstr(f.text, "top movers by flat: crypto/sha256.block +40.0 pp"));
	assert_non_null(strstr(f.text, "by cum: main.rehash +50.0 pp"));
	/* the same shape, only slower: nothing moved */
	side(&c2, 20000,
	     (const struct fn[]){ { "main.handleOrder", 200, 10000 },
				  { "crypto/rand.Read", 20, 200 },
				  { "syscall.getrandom", 180, 180 },
				  { "crypto/sha256.block", 4000, 4000 },
				  { "net.(*conn).Write", 20, 1600 } },
	     5);
	f = one(rows, 1, &b, &c2, -1);
	assert_int_equal(f.kind, PG_FINDING_NOT_CORROBORATED);
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
	pg_cpu_side_release(&c2);
}

static void test_findings_retransmits_and_the_drop_rule(void **state)
{
	struct pg_cpu_side b, c, none;
	struct pg_compare_row rows[] = { row("tcp.retransmits_per_1k_req", PG_VERDICT_REGRESSION,
					     INFINITY) };
	struct pg_finding f;

	(void)state;
	side(&b, 10000, quiet, 5);
	side(&c, 10000, quiet, 5);
	f = one(rows, 1, &b, &c, 2);
	assert_int_equal(f.kind, PG_FINDING_NOT_CORROBORATED);
	assert_non_null(strstr(f.text, "TCP write path 8.0 % -> 8.0 %"));
	assert_non_null(strstr(f.text, "drops 2 % of its packets on purpose"));
	f = one(rows, 1, &b, &c, 0);
	assert_non_null(strstr(f.text, "the loss is real"));
	pg_cpu_side_init(&none);
	f = one(rows, 1, &b, &none, 0);
	assert_int_equal(f.kind, PG_FINDING_NO_SIGNAL);
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
}

static void test_findings_only_for_regressions(void **state)
{
	struct pg_cpu_side b, c;
	struct pg_compare_row rows[] = {
		row("cpu.seconds_per_req", PG_VERDICT_PASS, 3),
		row("load.rps", PG_VERDICT_IMPROVEMENT, 30),
	};
	struct pg_verdict v;
	struct pg_findings fs;

	(void)state;
	side(&b, 1000, quiet, 5);
	side(&c, 1000, quiet, 5);
	memset(&v, 0, sizeof(v));
	v.rows = rows;
	v.nrows = 2;
	assert_int_equal(pg_findings_build(&fs, &v, &b, &c, -1, NULL), 0);
	assert_int_equal(fs.n, 0);
	pg_findings_release(&fs);
	/* paired mode's undecided metric needs the other signal as much */
	rows[1].verdict = PG_VERDICT_INCONCLUSIVE;
	assert_int_equal(pg_findings_build(&fs, &v, &b, &c, -1, NULL), 0);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.items[0].metric, "load.rps");
	pg_findings_release(&fs);
	pg_cpu_side_release(&b);
	pg_cpu_side_release(&c);
}

static void test_findings_path_table(void **state)
{
	static const char *const getrandom[] = {
		"crypto/rand.Read",	 "crypto/rand.(*reader).Read",
		"runtime.getRandomData", "internal/syscall/unix.GetRandom",
		"syscall.getrandom",	 "golang.org/x/sys/unix.Getrandom",
		"runtime.vgetrandom1",	 "getrandom",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(getrandom) / sizeof(getrandom[0]); i++)
		assert_true(pg_cpu_path_match(PG_PATH_GETRANDOM, getrandom[i]));
	assert_false(pg_cpu_path_match(PG_PATH_GETRANDOM, "main.handleOrder"));
	assert_false(pg_cpu_path_match(PG_PATH_GETRANDOM, "math/rand.Intn"));
	assert_true(pg_cpu_path_match(PG_PATH_TCP_WRITE, "internal/poll.(*FD).Write"));
	assert_true(pg_cpu_path_match(PG_PATH_TCP_READ, "net.(*conn).Read"));
	assert_false(pg_cpu_path_match(PG_PATH_TCP_READ, "net.(*conn).Write"));
}

static void test_findings_share_noise(void **state)
{
	(void)state;
	assert_false(pg_share_changed(0.1, 400, 0.1, 400, PG_FINDINGS_Z));
	/* 10 % -> 13 % of 400 samples each is within noise; of 10000 it is not */
	assert_false(pg_share_changed(0.10, 400, 0.13, 400, PG_FINDINGS_Z));
	assert_true(pg_share_changed(0.10, 10000, 0.13, 10000, PG_FINDINGS_Z));
	assert_true(pg_share_changed(0, 400, 0.05, 400, PG_FINDINGS_Z));
	assert_false(pg_share_changed(0, 0, 0.5, 400, PG_FINDINGS_Z));
}

/* A real Go HTTP server's profile, read through its call stacks: the
 * sample count is the "samples" type's total, the TCP write path holds a
 * real share, and a profile against itself corroborates nothing. */
static void test_findings_side_from_a_real_profile(void **state)
{
	const char *dir = getenv("PERFGATE_PPROF_TESTDATA");
	struct pg_err err = PG_ERR_INIT;
	struct pg_compare_row rows[] = { row("cpu.seconds_per_req", PG_VERDICT_REGRESSION, 20) };
	struct pg_profile *p = NULL;
	struct pg_cpu_side s;
	struct pg_finding f;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/perfgate-gen-http-json.cpu.pb.gz",
		 dir ? dir : "../shared/testdata/pprof");
	if (pg_profile_load(&p, path, &err)) {
		print_message("SKIP: %s\n", err.msg);
		skip();
	}
	pg_cpu_side_init(&s);
	assert_int_equal(pg_cpu_side_from_profile(&s, p, &err), 0);
	assert_true(s.from_stacks);
	assert_true(s.samples > 100);
	assert_true(s.path[PG_PATH_TCP_WRITE] > 0.01 && s.path[PG_PATH_TCP_WRITE] < 1);
	assert_non_null(s.path_fn[PG_PATH_TCP_WRITE]);
	f = one(rows, 1, &s, &s, -1);
	assert_int_equal(f.kind, PG_FINDING_NOT_CORROBORATED);
	pg_cpu_side_release(&s);
	pg_profile_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_getrandom_corroborated),
		cmocka_unit_test(test_findings_getrandom_latency_blocked_or_not_corroborated),
		cmocka_unit_test(test_findings_latency_without_cpu_is_off_cpu),
		cmocka_unit_test(test_findings_cpu_names_its_top_movers),
		cmocka_unit_test(test_findings_retransmits_and_the_drop_rule),
		cmocka_unit_test(test_findings_only_for_regressions),
		cmocka_unit_test(test_findings_path_table),
		cmocka_unit_test(test_findings_share_noise),
		cmocka_unit_test(test_findings_side_from_a_real_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
