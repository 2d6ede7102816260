/* The decision rule, data-driven: every JSON file in tests/data/compare holds a
 * baseline, a current result, the thresholds and gate rules, and the
 * expected verdicts; each file is one cmocka test named after it. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

#define MAX_RULES 16

struct fixture {
	json_t *root;
	struct pg_result base, cur;
	struct pg_gate_rule rules[MAX_RULES];
	struct pg_compare_opts opts;
	struct pg_verdict v;
};

static void load_rules(struct fixture *f, json_t *gate)
{
	const char *name;
	json_t *r, *x;

	json_object_foreach (gate, name, r) {
		struct pg_gate_rule *g = &f->rules[f->opts.nrules++];

		assert_true(f->opts.nrules <= MAX_RULES);
		g->metric = (char *)name;
		g->gated = !json_is_false(json_object_get(r, "gated"));
		if ((x = json_object_get(r, "threshold_pct"))) {
			g->has_threshold = 1;
			g->threshold_pct = json_number_value(x);
		}
		if ((x = json_object_get(r, "min_abs"))) {
			g->has_min_abs = 1;
			g->min_abs = json_number_value(x);
		}
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pg_err err = PG_ERR_INIT;
	json_error_t je;
	json_t *cfg;

	assert_non_null(f);
	f->root = json_load_file(*state, 0, &je);
	if (!f->root)
		fail_msg("%s: %s", (char *)*state, je.text);
	pg_result_init(&f->base);
	pg_result_init(&f->cur);
	pg_verdict_init(&f->v);
	assert_int_equal(pg_result_from_json(&f->base, json_object_get(f->root, "baseline"),
					     "baseline", &err),
			 0);
	assert_int_equal(
		pg_result_from_json(&f->cur, json_object_get(f->root, "current"), "current", &err),
		0);
	pg_compare_opts_init(&f->opts);
	f->opts.rules = f->rules;
	cfg = json_object_get(f->root, "config");
	if (json_object_get(cfg, "threshold_pct"))
		f->opts.threshold_pct = json_number_value(json_object_get(cfg, "threshold_pct"));
	if (json_object_get(cfg, "alpha"))
		f->opts.alpha = json_number_value(json_object_get(cfg, "alpha"));
	load_rules(f, json_object_get(cfg, "gate"));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pg_verdict_release(&f->v);
	pg_result_release(&f->base);
	pg_result_release(&f->cur);
	json_decref(f->root);
	free(f);
	return 0;
}

/* null in the expectation means "not a finite number" (NAN or INFINITY). */
static void check_number(const char *what, json_t *want, double got)
{
	double w;

	if (!want)
		return;
	if (json_is_null(want)) {
		if (isfinite(got))
			fail_msg("%s: got %g, want null", what, got);
		return;
	}
	w = json_number_value(want);
	if (!isfinite(got) || fabs(got - w) > 1e-6 * fmax(1, fabs(w)))
		fail_msg("%s: got %.9g, want %.9g", what, got, w);
}

static const struct pg_compare_row *find_row(const struct pg_verdict *v, const char *metric)
{
	size_t i;

	for (i = 0; i < v->nrows; i++)
		if (!strcmp(v->rows[i].metric, metric))
			return &v->rows[i];
	fail_msg("no row for metric '%s'", metric);
	return NULL;
}

static void check_rows(const struct pg_verdict *v, json_t *want)
{
	const struct pg_compare_row *row;
	const char *name;
	char what[256];
	json_t *w;

	json_object_foreach (want, name, w) {
		row = find_row(v, name);
		if (strcmp(pg_verdict_name(row->verdict),
			   json_string_value(json_object_get(w, "verdict"))))
			fail_msg("%s: verdict %s, want %s", name, pg_verdict_name(row->verdict),
				 json_string_value(json_object_get(w, "verdict")));
		snprintf(what, sizeof(what), "%s change_pct", name);
		check_number(what, json_object_get(w, "change_pct"), row->change_pct);
		snprintf(what, sizeof(what), "%s p_value", name);
		check_number(what, json_object_get(w, "p_value"), row->p_value);
		snprintf(what, sizeof(what), "%s threshold_pct", name);
		check_number(what, json_object_get(w, "threshold_pct"), row->threshold_pct);
		snprintf(what, sizeof(what), "%s min_abs", name);
		check_number(what, json_object_get(w, "min_abs"), row->min_abs);
	}
}

static void check_movers(const struct pg_verdict *v, json_t *want)
{
	json_t *m;
	size_t i;

	if (!want)
		return;
	assert_int_equal(v->nmovers, json_array_size(want));
	json_array_foreach (want, i, m) {
		assert_string_equal(v->movers[i].name, json_string_value(json_array_get(m, 0)));
		check_number("baseline share", json_array_get(m, 1), v->movers[i].baseline_pct);
		check_number("current share", json_array_get(m, 2), v->movers[i].current_pct);
	}
}

static void test_compare_case(void **state)
{
	struct fixture *f = *state;
	struct pg_err err = PG_ERR_INIT;
	json_t *want = json_object_get(f->root, "expected");

	assert_int_equal(pg_compare_results(&f->base, &f->cur, &f->opts, &f->v, &err), 0);
	assert_string_equal(pg_verdict_name(f->v.verdict),
			    json_string_value(json_object_get(want, "verdict")));
	assert_string_equal(f->v.ref_commit, f->base.commit);
	check_rows(&f->v, json_object_get(want, "metrics"));
	check_movers(&f->v, json_object_get(want, "movers"));
}

int main(void)
{
	struct CMUnitTest *tests;
	glob_t g;
	size_t i;
	int rc;

	if (glob("tests/data/compare/*.json", 0, NULL, &g) || !g.gl_pathc) {
		fprintf(stderr, "no tests/data/compare/*.json (run from the repository root)\n");
		return 1;
	}
	tests = calloc(g.gl_pathc, sizeof(*tests));
	if (!tests)
		return 1;
	for (i = 0; i < g.gl_pathc; i++) {
		tests[i].name = strrchr(g.gl_pathv[i], '/') + 1;
		tests[i].test_func = test_compare_case;
		tests[i].setup_func = setup;
		tests[i].teardown_func = teardown;
		tests[i].initial_state = g.gl_pathv[i];
	}
	rc = _cmocka_run_group_tests("compare", tests, g.gl_pathc, NULL, NULL);
	free(tests);
	globfree(&g);
	return rc;
}
