// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "gitlab.h"
#include "gitlab_note.h"

#define MARKER_FMT "<!-- perfgate:note scenario=%s -->"

/* The job artifact path of report_dir: relative to CI_PROJECT_DIR (GitLab
 * serves artifacts by their path in the project), NULL when outside it. */
static const char *artifact_dir(const char *report_dir)
{
	const char *proj = getenv("CI_PROJECT_DIR");
	size_t n;

	if (!report_dir || !*report_dir)
		return NULL;
	if (report_dir[0] != '/')
		return strncmp(report_dir, "./", 2) ? report_dir : report_dir + 2;
	n = proj ? strlen(proj) : 0;
	if (!n || strncmp(report_dir, proj, n) || report_dir[n] != '/')
		return NULL;
	return report_dir + n + 1;
}

static void links(FILE *f, const struct pg_report *r, const char *report_dir)
{
	const char *job = getenv("CI_JOB_URL"), *sha = getenv("CI_COMMIT_SHORT_SHA");
	const char *dir = artifact_dir(report_dir);
	size_t dl = dir ? strlen(dir) : 0;

	while (dl && dir[dl - 1] == '/')
		dl--;
	fputs("\n---\n", f);
	if (job && *job) {
		fprintf(f, "[Job](%s)", job);
		if (dl && r->current_profile_len && !r->error)
			fprintf(f, " · [flame graph](%s/artifacts/file/%.*s/flame-diff.svg)", job,
				(int)dl, dir);
		if (dl)
			fprintf(f, " · [reports](%s/artifacts/browse/%.*s/)", job, (int)dl, dir);
		fputs(" · ", f);
	}
	fprintf(f, "updated for `%s` by perfgate\n", sha && *sha ? sha : "HEAD");
}

int pg_gitlab_note_write(FILE *f, const struct pg_report *r, const char *report_dir,
			 struct pg_err *err)
{
	int rc = 0;

	fprintf(f, MARKER_FMT "\n", pg_report_scenario(r));
	if (r->verdict)
		rc = pg_report_markdown(f, r, err);
	else if (r->error)
		fprintf(f, "### perfgate: `%s` ⚠️ infrastructure error\n\n%s\n",
			pg_report_scenario(r), r->error->msg);
	else
		fprintf(f, "### perfgate: `%s` ⚠️ no comparison\n\n%s\n", pg_report_scenario(r),
			r->warning ? r->warning : "no baseline");
	if (!rc)
		links(f, r, report_dir);
	return rc;
}

void pg_gitlab_note_post(const struct pg_report *r, const char *report_dir, int verbose)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_gitlab_mr mr;
	char marker[256], *body = NULL;
	size_t len = 0;
	long id = 0;
	int created = 0, rc;
	FILE *f;

	snprintf(marker, sizeof(marker), MARKER_FMT, pg_report_scenario(r));
	rc = pg_gitlab_mr_from_env(&mr, &err);
	if (!rc) {
		f = open_memstream(&body, &len);
		rc = f ? pg_gitlab_note_write(f, r, report_dir, &err) : pg_err_nomem(&err);
		if (f && fclose(f) && !rc)
			rc = pg_err_nomem(&err);
	}
	if (!rc)
		rc = pg_gitlab_note_upsert(&mr, marker, body, &id, &created, &err);
	if (rc)
		fprintf(stderr,
			"perfgate: warning: merge-request note not posted: %s; the verdict "
			"stands\n",
			err.msg);
	else if (verbose)
		fprintf(stderr, "perfgate: %s merge-request note %ld\n",
			created ? "posted" : "updated", id);
	free(body);
}
