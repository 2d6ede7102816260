// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "build.h"
#include "child.h"
#include "clock.h"
#include "env.h"
#include "sig.h"

/* The log's tail, from a word boundary when it had to be cut: a message
 * that starts mid-word hides what the line was about. */
static void log_tail(struct pg_child *c, char *out, size_t n)
{
	char raw[320];
	const char *sp;

	pg_child_tail(c, raw, sizeof(raw));
	sp = strchr(raw, ' ');
	if (strlen(raw) == sizeof(raw) - 1 && sp && sp - raw <= 24)
		snprintf(out, n, "...%s", sp + 1);
	else
		snprintf(out, n, "%s", raw);
}

static int build_failed(struct pg_child *c, const char *what, double timeout_s, int rc,
			struct pg_err *err)
{
	char how[96], tail[324];

	log_tail(c, tail, sizeof(tail));
	if (rc < 0)
		return pg_err_interrupted(err);
	if (rc == 0)
		snprintf(how, sizeof(how), "did not finish within build.timeout_s (%g s)",
			 timeout_s);
	else
		pg_child_describe(c, how, sizeof(how));
	return pg_err_set(err, PG_EINFRA,
			  "the build of %s %s: %s; run it by hand to see the whole log", what, how,
			  tail);
}

int pg_build_run(const struct pg_build_cfg *b, const char *dir, const char *what, int verbose,
		 struct pg_err *err)
{
	struct pg_child_spec s = { "build", b->cmd, NULL, -1, NULL, -1, dir, verbose > 1 };
	struct pg_child c;
	double t0 = pg_now();
	int rc;

	if (!b->cmd)
		return 0;
	pg_child_init(&c);
	if (verbose)
		fprintf(stderr, "perfgate: building %s: %s ...\n", what, b->cmd[0]);
	rc = pg_child_start_kv(&c, &s, b->env, b->nenv, err);
	if (rc)
		goto out;
	rc = pg_child_wait(&c, b->timeout_s);
	if (rc != 1 || !WIFEXITED(c.status) || WEXITSTATUS(c.status)) {
		rc = build_failed(&c, what, b->timeout_s, rc, err);
		goto out;
	}
	rc = 0;
	if (verbose)
		fprintf(stderr, "perfgate: built %s in %.1f s\n", what, pg_now() - t0);
out:
	pg_child_release(&c);
	return rc;
}
