/* Every report writer on a real comparison, written to a temporary
 * directory and read back by real parsers: jansson for result.json,
 * xmllint (libxml2) with tests/data/report/junit.xsd for junit.xml. */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "fs.h"
#include "report.h"
#include "scratch.h"

#define WEIRD "load.we<ird>&\"'\x01|`x"

struct fixture {
	char *dir;
	struct pg_result base, cur;
	struct pg_verdict v;
	struct pg_report r;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pg_err err = PG_ERR_INIT;
	struct pg_compare_opts o;
	json_error_t je;
	json_t *root;

	assert_non_null(f);
	f->dir = pg_scratch_new("report");
	assert_non_null(f->dir);
	root = json_load_file("tests/data/compare/regression_both_directions.json", 0, &je);
	assert_non_null(root);
	assert_int_equal(
		pg_result_from_json(&f->base, json_object_get(root, "baseline"), "b", &err), 0);
	assert_int_equal(pg_result_from_json(&f->cur, json_object_get(root, "current"), "c", &err),
			 0);
	json_decref(root);
	/* a hostile name from a load script, and a zero baseline */
	assert_int_equal(pg_result_add_value(&f->base, WEIRD, "u", PG_BETTER_LOWER, 1, &err), 0);
	assert_int_equal(pg_result_add_value(&f->cur, WEIRD, "u", PG_BETTER_LOWER, 2, &err), 0);
	assert_int_equal(pg_result_add_value(&f->base, "load.errors", "", PG_BETTER_LOWER, 0, &err),
			 0);
	assert_int_equal(pg_result_add_value(&f->cur, "load.errors", "", PG_BETTER_LOWER, 5, &err),
			 0);
	pg_compare_opts_init(&o);
	assert_int_equal(pg_compare_results(&f->base, &f->cur, &o, &f->v, &err), 0);
	f->v.ref_distance = 2;
	f->r.baseline = &f->base;
	f->r.current = &f->cur;
	f->r.verdict = &f->v;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(pg_scratch_free(f->dir), 0);
	pg_verdict_release(&f->v);
	pg_result_release(&f->base);
	pg_result_release(&f->cur);
	free(f);
	return 0;
}

static char *slurp(const char *dir, const char *name)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pg_buf_read_file(&b, path, NULL))
		fail_msg("cannot read %s", path);
	return b.data;
}

static char *run(const char *cmd)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	assert_int_equal(pg_buf_read_fd(&b, fileno(p), "pipe", NULL), 0);
	assert_int_equal(pclose(p), 0);
	return b.data ? b.data : strdup("");
}

static void test_report_dir_writes_every_file(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	const char *names[] = { "result.json", "junit.xml", "metrics.txt", "summary.md" };
	char path[256];
	size_t i;

	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, names[i]);
		assert_true(pg_fs_exists(path));
	}
}

static void test_report_junit_validates(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char cmd[512], *out;

	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	snprintf(cmd, sizeof(cmd),
		 "xmllint --noout --schema tests/data/report/junit.xsd %s/junit.xml 2>&1", f->dir);
	free(run(cmd));
	snprintf(cmd, sizeof(cmd),
		 "xmllint --xpath 'count(//testcase)' %s/junit.xml; echo;"
		 "xmllint --xpath '//testcase[failure]/@name' %s/junit.xml",
		 f->dir, f->dir);
	out = run(cmd);
	/* 5 gated metrics; failures: cpu, errors (0 -> 5), rps, the weird one */
	assert_non_null(strstr(out, "5\n"));
	assert_non_null(strstr(out, "name=\"cpu.seconds_per_req\""));
	assert_non_null(strstr(out, "name=\"load.rps\""));
	assert_non_null(strstr(out, "name=\"load.errors\""));
	assert_non_null(strstr(out, "name=\"load.we&lt;ird&gt;&amp;&quot;'\xef\xbf\xbd|`x\""));
	assert_null(strstr(out, "load.lat_p99_ms"));
	free(out);
}

/* An undecided metric is skipped in junit.xml, or a failure when
 * --inconclusive=fail makes it fail the job (GitLab shows which). */
static void test_report_junit_inconclusive(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	struct pg_compare_row *row = NULL;
	char *out = NULL;
	size_t len = 0, i;
	FILE *m;
	int fails;

	for (i = 0; i < f->v.nrows; i++)
		if (!strcmp(f->v.rows[i].metric, "load.lat_p99_ms"))
			row = &f->v.rows[i];
	assert_non_null(row);
	row->verdict = PG_VERDICT_INCONCLUSIVE;
	f->v.ninconclusive = 1;
	for (fails = 0; fails < 2; fails++) {
		f->r.inconclusive_fails = fails;
		m = open_memstream(&out, &len);
		assert_int_equal(pg_report_junit(m, &f->r, &err), 0);
		fclose(m);
		assert_non_null(strstr(out, fails ? "failures=\"5\" errors=\"0\" skipped=\"0\""
						  : "failures=\"4\" errors=\"0\" skipped=\"1\""));
		assert_true(!strstr(out, "type=\"inconclusive\"") == !fails);
		free(out);
	}
}

static void test_report_json_shape(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text;
	json_t *root, *row, *cmp;
	json_error_t je;
	size_t i, found = 0;

	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	text = slurp(f->dir, "result.json");
	root = json_loads(text, 0, &je);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "verdict")), "regression");
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(root, "reference"), "distance")),
		2);
	cmp = json_object_get(root, "comparison");
	json_array_foreach (cmp, i, row) {
		const char *m = json_string_value(json_object_get(row, "metric"));

		assert_true(json_is_null(json_object_get(row, "p_value")));
		if (!strcmp(m, "load.errors")) {
			/* 0 -> 5: no finite relative change, null rather than inf */
			assert_true(json_is_null(json_object_get(row, "change_pct")));
			assert_string_equal(json_string_value(json_object_get(row, "verdict")),
					    "regression");
			found++;
		}
		if (!strcmp(m, "cpu.seconds_per_req")) {
			assert_true(json_number_value(json_object_get(row, "change_pct")) > 29.99);
			found++;
		}
	}
	assert_int_equal(found, 2);
	assert_non_null(json_object_get(root, "metrics"));
	json_decref(root);
	free(text);
}

static void test_report_openmetrics_names(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text, *line, *save = NULL;
	regex_t re;
	size_t n = 0;

	free(f->cur.scenario);
	f->cur.scenario = strdup("orders-\"api\"");
	assert_int_equal(
		pg_result_add_value(&f->cur, "load.big", "1/s", PG_BETTER_HIGHER, 1234.56789, &err),
		0);
	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	text = slurp(f->dir, "metrics.txt");
	/* labelled by scenario, rounded to 3 significant digits */
	assert_non_null(strstr(text,
			       "\nperfgate_cpu_seconds_per_req{scenario=\"orders-\\\"api\\\"\"} "
			       "0.0013\n"));
	assert_non_null(strstr(
		text, "\nperfgate_load_we_ird_______x{scenario=\"orders-\\\"api\\\"\"} 2\n"));
	assert_non_null(
		strstr(text, "\nperfgate_load_big{scenario=\"orders-\\\"api\\\"\"} 1.23e+03\n"));
	assert_int_equal(strcmp(text + strlen(text) - 6, "# EOF\n"), 0);
	assert_int_equal(
		regcomp(&re,
			"^perfgate_[a-zA-Z0-9_]+\\{scenario=\"([^\"\\\\]|\\\\.)*\"\\} [-0-9.e+]+$",
			REG_EXTENDED),
		0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (regexec(&re, line, 0, NULL, 0))
			fail_msg("not an OpenMetrics sample line: '%s'", line);
		n++;
	}
	assert_int_equal(n, 6);
	regfree(&re);
	free(text);
}

static void test_report_markdown_table(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text;

	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	text = slurp(f->dir, "summary.md");
	assert_non_null(strstr(text, "❌ regression"));
	assert_non_null(strstr(text, "| ❌ | `cpu.seconds_per_req` |"));
	assert_non_null(strstr(text, "| 🚀 | `load.lat_p99_ms` |"));
	assert_non_null(strstr(text, "the baseline of aaaaaaaaaaaa \\(2 commits back\\)"));
	/* every regression row comes before the first other row */
	{
		const char *last_bad = NULL, *p = text, *first_ok = strstr(text, "| 🚀 |");

		while ((p = strstr(p, "| ❌ |")))
			last_bad = p++;
		assert_non_null(last_bad);
		assert_non_null(first_ok);
		assert_true(last_bad < first_ok);
	}
	/* a pipe in a name must not split the row */
	assert_non_null(strstr(text, "\\|'x`"));
	free(text);
}

/* A baseline from another host: every report says so, once per place. */
static void test_report_host_mismatch(void **state)
{
	static const char *files[] = { "result.json", "junit.xml", "summary.md" };
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len = 0, i;
	FILE *m;

	f->base.host.cpu_model = strdup("Imaginary Xeon 9999");
	f->base.host.cores = 64;
	f->cur.host.cpu_model = strdup("Intel(R) Xeon(R) Processor");
	f->cur.host.cores = 2;
	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		text = slurp(f->dir, files[i]);
		if (!strstr(text, "host mismatch: baseline on ") ||
		    !strstr(text, "Imaginary Xeon 9999") || !strstr(text, "64 cores"))
			fail_msg("%s does not say the hosts differ", files[i]);
		free(text);
	}
	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_text(m, &f->r, &err), 0);
	fclose(m);
	assert_non_null(strstr(text, "warning: host mismatch"));
	free(text);
	/* the same host: no line */
	free(f->base.host.cpu_model);
	f->base.host.cpu_model = strdup("Intel(R) Xeon(R) Processor");
	f->base.host.cores = 2;
	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	text = slurp(f->dir, "summary.md");
	assert_null(strstr(text, "host mismatch"));
	free(text);
}

static void test_report_text_colour(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_print(pg_report_writer_find("text"), &f->r, m, &err), 0);
	fclose(m);
	assert_null(strchr(text, '\033'));
	assert_non_null(strstr(text, "verdict: REGRESSION (4 metrics regressed)"));
	assert_non_null(strstr(text, "new > 0"));
	free(text);
	f->r.color = 1;
	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_print(pg_report_writer_find("text"), &f->r, m, &err), 0);
	fclose(m);
	assert_non_null(strstr(text, "\033[31m"));
	free(text);
}

/* After an infrastructure error only result.json, with the error and no
 * verdict. */
static void test_report_error_only_result(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT, infra = PG_ERR_INIT;
	char path[256], *text;
	json_t *root;

	pg_err_set(&infra, PG_EINFRA, "workload exited early");
	f->r.verdict = NULL;
	f->r.baseline = NULL;
	f->r.error = &infra;
	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	snprintf(path, sizeof(path), "%s/junit.xml", f->dir);
	assert_false(pg_fs_exists(path));
	snprintf(path, sizeof(path), "%s/summary.md", f->dir);
	assert_false(pg_fs_exists(path));
	snprintf(path, sizeof(path), "%s/metrics.txt", f->dir);
	assert_false(pg_fs_exists(path));
	text = slurp(f->dir, "result.json");
	root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_null(json_object_get(root, "verdict"));
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(root, "error"), "exit_code")),
		3);
	json_decref(root);
	free(text);
}

/* report.html is one page with the table and the findings section, the
 * hostile metric name escaped; a Go 1.24 workload on Linux 6.18 gets the
 * vDSO note in every format. */
static void test_report_html_and_vdso_note(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	char *html, *md, *json, *text = NULL;
	size_t len;
	FILE *m;

	f->cur.go_version = strdup("go1.24.3");
	f->cur.host.kernel = strdup("6.18.0-1-amd64");
	assert_int_equal(pg_report_write_dir(&f->r, f->dir, &err), 0);
	html = slurp(f->dir, "report.html");
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "id=\"findings\""));
	assert_non_null(strstr(html, "id=\"metrics\""));
	assert_non_null(strstr(html, "no CPU profile"));
	assert_null(strstr(html, WEIRD));
	assert_non_null(strstr(html, "through the vDSO"));
	md = slurp(f->dir, "summary.md");
	assert_non_null(strstr(md, "through the vDSO"));
	json = slurp(f->dir, "result.json");
	assert_non_null(strstr(json, "\"getrandom_note\""));
	assert_non_null(strstr(json, "\"go_version\": \"go1.24.3\""));
	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_print(pg_report_writer_find("text"), &f->r, m, &err), 0);
	fclose(m);
	assert_non_null(strstr(text, "note: getrandom.* counts only getrandom(2) syscalls"));
	free(text);
	free(json);
	free(md);
	free(html);
	/* an older Go: no note */
	free(f->cur.go_version);
	f->cur.go_version = strdup("go1.19.8");
	text = NULL;
	m = open_memstream(&text, &len);
	assert_int_equal(pg_report_print(pg_report_writer_find("text"), &f->r, m, &err), 0);
	fclose(m);
	assert_null(strstr(text, "vDSO"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report_dir_writes_every_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_html_and_vdso_note, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_junit_validates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_junit_inconclusive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_json_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_openmetrics_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_markdown_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_host_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_text_colour, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_error_only_result, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
