/* The merge-request note's body: marker per scenario, the summary (or why
 * there is none), links to the job, the flame graph and the reports only
 * where GitLab serves them; and the environment a note needs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gitlab.h"
#include "gitlab_note.h"

static char *body(const struct pg_report *r, const char *dir)
{
	struct pg_err err = PG_ERR_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(pg_gitlab_note_write(f, r, dir, &err), 0);
	fclose(f);
	return text;
}

static void test_gitlab_note_links(void **state)
{
	struct pg_result cur;
	struct pg_report r = { 0 };
	char *text;

	(void)state;
	pg_result_init(&cur);
	cur.scenario = strdup("orders-api");
	r.current = &cur;
	r.warning = "no baseline found; passed by --no-baseline=pass";
	r.current_profile = "x";
	r.current_profile_len = 1;
	setenv("CI_JOB_URL", "https://gitlab.example/g/p/-/jobs/9", 1);
	setenv("CI_PROJECT_DIR", "/builds/g/p", 1);
	setenv("CI_COMMIT_SHORT_SHA", "1a2b3c4d", 1);
	text = body(&r, "/builds/g/p/perfgate-report/");
	assert_true(!strncmp(text, "<!-- perfgate:note scenario=orders-api -->\n", 43));
	assert_non_null(strstr(text, "no baseline found"));
	assert_non_null(strstr(text, "[Job](https://gitlab.example/g/p/-/jobs/9)"));
	assert_non_null(strstr(text, "(https://gitlab.example/g/p/-/jobs/9/artifacts/file/"
				     "perfgate-report/flame-diff.svg)"));
	assert_non_null(strstr(text, "/artifacts/browse/perfgate-report/)"));
	assert_non_null(strstr(text, "`1a2b3c4d`"));
	free(text);
	/* reports outside the project: GitLab cannot serve them, no links */
	text = body(&r, "/tmp/elsewhere");
	assert_null(strstr(text, "artifacts"));
	assert_non_null(strstr(text, "[Job]"));
	free(text);
	pg_result_release(&cur);
}

static void test_gitlab_note_env(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_gitlab_mr mr;

	(void)state;
	setenv("CI_API_V4_URL", "https://gitlab.example/api/v4", 1);
	setenv("CI_PROJECT_ID", "42", 1);
	setenv("CI_MERGE_REQUEST_IID", "7", 1);
	unsetenv("PERFGATE_GITLAB_TOKEN");
	assert_int_equal(pg_gitlab_mr_from_env(&mr, &err), PG_EUSAGE);
	assert_non_null(strstr(err.msg, "PERFGATE_GITLAB_TOKEN"));
	setenv("PERFGATE_GITLAB_TOKEN", "t0ken", 1);
	assert_int_equal(pg_gitlab_mr_from_env(&mr, &err), 0);
	assert_string_equal(mr.iid, "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gitlab_note_links),
		cmocka_unit_test(test_gitlab_note_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
