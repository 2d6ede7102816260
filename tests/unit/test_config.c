/* config.c and loadmetrics.c through config.h: a full config round-trips
 * every field, defaults fill the gaps, and every rejection names the JSON
 * path (data-driven: tests/data/config/rejects.json). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "config.h"
#include "url.h"

#define DATA "tests/data/config/"

static void test_config_full_round_trip(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	const struct pg_scenario *s;
	char dir[PATH_MAX], want[PATH_MAX + 32];

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_load(&c, DATA "full.json", &err), 0);
	assert_non_null(realpath(DATA, dir));
	assert_string_equal(c.path, DATA "full.json");
	assert_string_equal(c.dir, dir);
	assert_true(c.threshold_pct == 12.5);
	assert_true(c.alpha == 0.01);
	assert_int_equal(c.runs, 5);
	assert_string_equal(c.baselines_dir, "perf/baselines");
	assert_string_equal(c.base_branch, "develop");
	assert_int_equal(c.nscenarios, 2);

	s = &c.scenarios[0];
	assert_string_equal(s->name, "orders-api");
	assert_int_equal(s->workload.ncmd, 3);
	snprintf(want, sizeof(want), "%s/bin/orders-api", dir);
	assert_string_equal(s->workload.cmd[0], want);
	assert_string_equal(s->workload.cmd[1], "-addr");
	assert_string_equal(s->workload.cmd[2], "127.0.0.1:8080");
	assert_null(s->workload.cmd[3]);
	assert_string_equal(s->workload.ready_url, "http://127.0.0.1:8080/healthz");
	assert_true(s->workload.ready_timeout_s == 7.5);
	assert_int_equal(s->workload.nenv, 2);
	assert_string_equal(s->workload.env[0].key, "GOGC");
	assert_string_equal(s->workload.env[0].value, "100");
	assert_string_equal(s->workload.env[1].key, "GOMAXPROCS");
	assert_string_equal(s->workload.env[1].value, "1");
	assert_int_equal(s->workload.isolate_network, 1);
	assert_true(s->workload.drop_pct == 5);
	assert_string_equal(s->pprof_url, "http://127.0.0.1:8080/debug/pprof/profile");
	/* A bare name is left for PATH lookup. */
	assert_int_equal(s->load.ncmd, 2);
	assert_string_equal(s->load.cmd[0], "wrk");
	assert_string_equal(s->load.cmd[1], "-t1");
	assert_null(s->load.cmd[2]);
	assert_true(s->load.duration_s == 4);
	assert_true(s->load.warmup_s == 0);
	assert_int_equal(s->load.nenv, 1);
	assert_string_equal(s->load.env[0].key, "CONNECTIONS");
	assert_string_equal(s->load.env[0].value, "8");
	/* build and the run mode: a scenario's own settings win, the rest
	 * come from the top level */
	assert_string_equal(s->build.cmd[0], "go");
	assert_int_equal(s->build.ncmd, 5);
	assert_string_equal(s->build.env[0].key, "CGO_ENABLED");
	assert_true(s->build.timeout_s == 120);
	assert_int_equal(c.mode, PG_MODE_STORED);
	assert_int_equal(s->mode, PG_MODE_AUTO);
	assert_int_equal(pg_scenario_mode(s), PG_MODE_PAIRED);
	assert_int_equal(s->paired.min_rounds, 5);
	assert_int_equal(s->paired.duet, 1); /* the default */
	assert_int_equal(s->paired.max_rounds, 12);
	assert_true(s->paired.budget_s == 300);
	assert_null(c.scenarios[1].build.cmd);
	assert_int_equal(pg_scenario_mode(&c.scenarios[1]), PG_MODE_STORED);
	assert_int_equal(c.scenarios[1].paired.min_rounds, 4);
	pg_config_release(&c);
	assert_null(c.scenarios);
}

static void test_config_gate_rules(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	const struct pg_gate_rule *r;
	struct pg_config c;
	const struct pg_scenario *s;

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_load(&c, DATA "full.json", &err), 0);
	assert_int_equal(pg_config_scenario(&c, "orders-api", &s, &err), 0);
	assert_int_equal(s->ngate, 3);
	r = pg_gate_rule_find(s->gate, s->ngate, "load.lat_p99_ms");
	assert_non_null(r);
	assert_true(r->has_threshold && !r->has_min_abs && r->gated);
	assert_true(r->threshold_pct == 20);
	r = pg_gate_rule_find(s->gate, s->ngate, "tcp.retransmits_per_1k_req");
	assert_non_null(r);
	assert_true(!r->has_threshold && r->has_min_abs && r->gated);
	assert_true(r->min_abs == 1);
	r = pg_gate_rule_find(s->gate, s->ngate, "load.rps");
	assert_non_null(r);
	assert_true(!r->has_threshold && !r->has_min_abs && !r->gated);
	assert_null(pg_gate_rule_find(s->gate, s->ngate, "load.errors"));
	pg_config_release(&c);
}

static void test_config_defaults(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	const struct pg_scenario *s;

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_load(&c, DATA "minimal.json", &err), 0);
	assert_true(c.threshold_pct == 15);
	assert_int_equal(c.runs, 3);
	assert_string_equal(c.baselines_dir, "baselines");
	assert_string_equal(c.base_branch, "main");
	assert_int_equal(pg_config_scenario(&c, NULL, &s, &err), 0);
	assert_string_equal(s->name, "demo");
	assert_true(s->workload.ready_timeout_s == 30);
	assert_int_equal(s->workload.isolate_network, 0);
	assert_true(s->workload.drop_pct == 0);
	assert_int_equal(s->workload.nenv, 0);
	assert_null(s->pprof_url);
	assert_true(s->load.duration_s == 10);
	assert_true(s->load.warmup_s == 2);
	assert_int_equal(s->load.nenv, 0);
	assert_int_equal(s->ngate, 0);
	assert_null(pg_gate_rule_find(s->gate, s->ngate, "load.rps"));
	/* "scripts/load-wrk.sh" has a slash: resolved against the file's dir. */
	assert_string_equal(s->load.cmd[0] + strlen(c.dir), "/scripts/load-wrk.sh");
	pg_config_release(&c);
}

static void test_config_scenario_choice(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	const struct pg_scenario *s;

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_load(&c, DATA "full.json", &err), 0);
	assert_int_equal(pg_config_scenario(&c, NULL, &s, &err), PG_EUSAGE);
	assert_null(s);
	assert_non_null(strstr(err.msg, "has 2 scenarios; choose one with -s"));
	assert_int_equal(pg_config_scenario(&c, "nope", &s, &err), PG_EUSAGE);
	assert_string_equal(err.msg, "no scenario 'nope' in " DATA "full.json; check -s");
	assert_int_equal(pg_config_scenario(&c, "Minimal_2.0", &s, &err), 0);
	assert_string_equal(s->workload.cmd[0], "/usr/bin/env");
	assert_string_equal(s->workload.ready_url, "https://[::1]/ready");
	pg_config_release(&c);
}

/* Every case of rejects.json: PG_EINPUT, the message starting with the
 * expected text (file name and JSON path), and nothing leaked. */
/* Every case of a data file: {why, config or text, error (a prefix)}. */
static void check_rejects(const char *file, size_t min_cases)
{
	json_t *cases, *cs;
	json_error_t jerr;
	size_t i;

	cases = json_load_file(file, 0, &jerr);
	assert_non_null(cases);
	assert_true(json_array_size(cases) > min_cases);
	json_array_foreach (cases, i, cs) {
		struct pg_err err = PG_ERR_INIT;
		const char *want = json_string_value(json_object_get(cs, "error"));
		json_t *text = json_object_get(cs, "text");
		struct pg_config c;
		char *doc;
		int rc;

		doc = text ? strdup(json_string_value(text))
			   : json_dumps(json_object_get(cs, "config"), JSON_COMPACT);
		assert_non_null(doc);
		pg_config_init(&c);
		rc = pg_config_parse(&c, doc, strlen(doc), "/srv/app", &err);
		if (rc != PG_EINPUT || strncmp(err.msg, want, strlen(want)))
			fail_msg("case '%s': rc %d, message '%s', want '%s'",
				 json_string_value(json_object_get(cs, "why")), rc, err.msg, want);
		assert_int_equal(c.nscenarios, 0);
		pg_config_release(&c);
		free(doc);
	}
	json_decref(cases);
}

static void test_config_rejects(void **state)
{
	(void)state;
	check_rejects(DATA "rejects.json", 50);
}

static void test_config_attach_rejects(void **state)
{
	(void)state;
	check_rejects(DATA "attach_rejects.json", 15);
}

/* Each attach target parses into its kind; relative pid files resolve
 * against the config's directory, cgroups against the cgroup root. */
static void test_config_attach_targets(void **state)
{
	static const char *const targets[] = {
		"{\"pid\": 42}",
		"{\"pid_file\": \"run/orders.pid\"}",
		"{\"cgroup\": \"system.slice/orders.service\"}",
		"{\"container\": \"podman:orders-api\"}",
		"{\"pod\": {\"namespace\": \"review-7\", \"name\": \"orders-1\", "
		"\"container\": \"api\"}}",
		"{\"pod_uid\": \"9d2a5c1e-77b3-4f0e-8a7d-3c2b1a0f9e8d\"}",
	};
	char doc[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct pg_err err = PG_ERR_INIT;
		const struct pg_attach_cfg *a;
		struct pg_config c;

		snprintf(doc, sizeof(doc),
			 "{\"scenarios\": [{\"name\": \"x\", \"workload\": {\"attach\": %s, "
			 "\"ready_url\": \"http://127.0.0.1:1/\"}, \"load\": {\"cmd\": [\"l\"]}}]}",
			 targets[i]);
		pg_config_init(&c);
		if (pg_config_parse(&c, doc, strlen(doc), "/srv/app", &err))
			fail_msg("%s: %s", targets[i], err.msg);
		a = &c.scenarios[0].workload.attach;
		assert_int_equal(a->kind, (int)i + PG_ATTACH_PID);
		assert_null(c.scenarios[0].workload.cmd);
		if (a->kind == PG_ATTACH_PID)
			assert_int_equal(a->pid, 42);
		if (a->kind == PG_ATTACH_PID_FILE)
			assert_string_equal(a->path, "/srv/app/run/orders.pid");
		if (a->kind == PG_ATTACH_CGROUP)
			assert_string_equal(a->path, "system.slice/orders.service");
		if (a->kind == PG_ATTACH_CONTAINER) {
			assert_string_equal(a->engine, "podman");
			assert_string_equal(a->id, "orders-api");
		}
		if (a->kind == PG_ATTACH_POD) {
			assert_string_equal(a->pod_ns, "review-7");
			assert_string_equal(a->pod_name, "orders-1");
			assert_string_equal(a->container, "api");
		}
		pg_config_release(&c);
	}
}

static void test_config_load_names_file(void **state)
{
	char path[] = "/tmp/perfgate-test-config-XXXXXX";
	const char *doc = "{\"scenarios\": [], \"foo\": 1}";
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	char want[128];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, strlen(doc)), (int)strlen(doc));
	close(fd);
	pg_config_init(&c);
	assert_int_equal(pg_config_load(&c, path, &err), PG_EINPUT);
	snprintf(want, sizeof(want), "%s: unknown key 'foo' at top level", path);
	assert_string_equal(err.msg, want);
	assert_null(c.path);
	unlink(path);
	assert_int_equal(pg_config_load(&c, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_config_parse_resolves_cmd(void **state)
{
	const char *doc = "{\"scenarios\": [{\"name\": \"x\", \"workload\": {\"cmd\": "
			  "[\"./././bin/w\", \"./arg\"], \"ready_url\": \"http://127.0.0.1:1/\"}, "
			  "\"load\": {\"cmd\": [\"/abs/load\"]}}]}";
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_parse(&c, doc, strlen(doc), "/srv/app/", &err), 0);
	assert_string_equal(c.scenarios[0].workload.cmd[0], "/srv/app/bin/w");
	/* Only cmd[0] is a program path; arguments are the workload's. */
	assert_string_equal(c.scenarios[0].workload.cmd[1], "./arg");
	assert_string_equal(c.scenarios[0].load.cmd[0], "/abs/load");
	assert_string_equal(c.dir, "/srv/app/");
	pg_config_release(&c);
}

static void test_config_parse_rejects_oversize(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	size_t n = (1 << 20) + 1;
	struct pg_config c;
	char *doc = malloc(n);

	(void)state;
	assert_non_null(doc);
	memset(doc, ' ', n);
	pg_config_init(&c);
	assert_int_equal(pg_config_parse(&c, doc, n, "/", &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "larger than"));
	free(doc);
}

static void test_config_loadmetrics_valid(void **state)
{
	const char *doc = "{\"requests\": 51234, \"lat_p99_ms\": 12.7, \"rps\": 5120.3, "
			  "\"errors\": 0, \"neg-x.y\": -1e3}";
	struct pg_err err = PG_ERR_INIT;
	struct pg_loadmetric *m;
	size_t n;

	(void)state;
	assert_int_equal(pg_loadmetrics_parse(&m, &n, doc, strlen(doc), &err), 0);
	assert_int_equal(n, 5);
	assert_string_equal(m[0].key, "requests");
	assert_true(m[0].value == 51234);
	assert_string_equal(m[1].key, "lat_p99_ms");
	assert_true(m[1].value == 12.7);
	assert_string_equal(m[2].key, "rps");
	assert_string_equal(m[3].key, "errors");
	assert_true(m[3].value == 0);
	assert_string_equal(m[4].key, "neg-x.y");
	assert_true(m[4].value == -1000);
	assert_null(m[5].key);
	pg_loadmetrics_free(m, n);
}

static void test_config_loadmetrics_rejects(void **state)
{
	static const char *const bad[][2] = {
		{ "", "invalid JSON" },
		{ "   ", "invalid JSON" },
		{ "[1, 2]", "not a JSON object of numbers" },
		{ "42", "not a JSON object of numbers" },
		{ "{}", "no metrics in it" },
		{ "{\"a\": {\"b\": 1}}", "metric 'a' is not a finite number" },
		{ "{\"a\": [1]}", "metric 'a' is not a finite number" },
		{ "{\"a\": 1, \"b\": \"2\"}", "metric 'b' is not a finite number" },
		{ "{\"a\": null}", "metric 'a' is not a finite number" },
		{ "{\"a\": true}", "metric 'a' is not a finite number" },
		{ "{\"a\": NaN}", "invalid JSON" },
		{ "{\"a\": Infinity}", "invalid JSON" },
		{ "{\"a\": 1e999}", "invalid JSON" },
		{ "{\"a\": 1, \"a\": 2}", "invalid JSON" },
		{ "{\"a b\": 1}", "bad metric name 'a b'" },
		{ "{\"\": 1}", "bad metric name ''" },
		{ "{\"a\": 1} trailing", "invalid JSON" },
	};
	struct pg_loadmetric *m;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pg_err err = PG_ERR_INIT;
		int rc = pg_loadmetrics_parse(&m, &n, bad[i][0], strlen(bad[i][0]), &err);

		if (rc != PG_EINPUT || !strstr(err.msg, bad[i][1]))
			fail_msg("input '%s': rc %d, message '%s'", bad[i][0], rc, err.msg);
		assert_null(m);
		assert_int_equal(n, 0);
	}
}

static void test_config_loadmetrics_load(void **state)
{
	char path[] = "/tmp/perfgate-test-metrics-XXXXXX";
	struct pg_err err = PG_ERR_INIT;
	struct pg_loadmetric *m;
	char *big, want[128];
	size_t n, len = (1 << 20) + 16;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	big = malloc(len);
	assert_non_null(big);
	memset(big, ' ', len);
	memcpy(big, "{\"requests\": 1}", 15);
	assert_int_equal(fwrite(big, 1, len, f), len);
	fclose(f);
	assert_int_equal(pg_loadmetrics_load(&m, &n, path, &err), PG_EINPUT);
	snprintf(want, sizeof(want), "metrics file '%s': ", path);
	assert_memory_equal(err.msg, want, strlen(want));
	assert_non_null(strstr(err.msg, "larger than"));
	assert_int_equal(truncate(path, 15), 0);
	assert_int_equal(pg_loadmetrics_load(&m, &n, path, &err), 0);
	assert_int_equal(n, 1);
	assert_true(m[0].value == 1);
	pg_loadmetrics_free(m, n);
	unlink(path);
	assert_int_equal(pg_loadmetrics_load(&m, &n, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "cannot open"));
	free(big);
}

/* A scenario may fetch off loopback when it says so; a loopback host in
 * any spelling needs nothing. */
static void test_config_allow_remote(void **state)
{
	const char *doc = "{\"scenarios\": [{\"name\": \"x\", \"workload\": {\"cmd\": [\"/w\"], "
			  "\"ready_url\": \"http://example.com/\", \"allow_remote\": true}, "
			  "\"load\": {\"cmd\": [\"/l\"]}}]}";
	const char *local[] = { "http://localhost:1/", "http://127.1.2.3/", "http://[::1]:8/" };
	struct pg_err err = PG_ERR_INIT;
	struct pg_config c;
	size_t i;

	(void)state;
	pg_config_init(&c);
	assert_int_equal(pg_config_parse(&c, doc, strlen(doc), "/srv/", &err), 0);
	assert_true(c.scenarios[0].workload.allow_remote);
	pg_config_release(&c);
	for (i = 0; i < 3; i++)
		assert_true(pg_url_is_loopback(local[i]));
	assert_false(pg_url_is_loopback("http://127.0.0.1.example.com/"));
	assert_false(pg_url_is_loopback("http://10.0.0.1/"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_full_round_trip),
		cmocka_unit_test(test_config_gate_rules),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_scenario_choice),
		cmocka_unit_test(test_config_rejects),
		cmocka_unit_test(test_config_attach_rejects),
		cmocka_unit_test(test_config_attach_targets),
		cmocka_unit_test(test_config_load_names_file),
		cmocka_unit_test(test_config_parse_resolves_cmd),
		cmocka_unit_test(test_config_allow_remote),
		cmocka_unit_test(test_config_parse_rejects_oversize),
		cmocka_unit_test(test_config_loadmetrics_valid),
		cmocka_unit_test(test_config_loadmetrics_rejects),
		cmocka_unit_test(test_config_loadmetrics_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
