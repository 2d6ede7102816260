#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "build.h"
#include "child.h"

static int build_failed(struct pg_child *c, const char *what, int rc, struct pg_err *err)
{
	char how[64], tail[160];

	pg_child_tail(c, tail, sizeof(tail));
	if (rc < 0)
		return pg_err_interrupted(err);
	if (rc == 0)
		snprintf(how, sizeof(how), "did not finish in time");
	else
		pg_child_describe(c, how, sizeof(how));
	return pg_err_set(err, PG_EINFRA, "the build of %s %s: %s; fix the build (run it by hand)",
			  what, how, tail);
}

int pg_build_run(const struct pg_build_cfg *b, const char *dir, const char *what, int verbose,
		 struct pg_err *err)
{
	struct pg_child_spec s = { "build", b->cmd, NULL, -1, NULL, -1, dir, verbose > 1 };
	struct pg_child c;
	char **env = NULL;
	double t0 = pg_now();
	int rc;

	if (!b->cmd)
		return 0;
	pg_child_init(&c);
	if (verbose)
		fprintf(stderr, "perfgate: building %s: %s ...\n", what, b->cmd[0]);
	rc = pg_env_build_kv(&env, b->env, b->nenv, err);
	if (rc)
		goto out;
	s.envp = env;
	rc = pg_child_start(&c, &s, err);
	if (rc)
		goto out;
	rc = pg_child_wait(&c, b->timeout_s);
	if (rc != 1 || !WIFEXITED(c.status) || WEXITSTATUS(c.status)) {
		rc = build_failed(&c, what, rc, err);
		goto out;
	}
	rc = 0;
	if (verbose)
		fprintf(stderr, "perfgate: built %s in %.1f s\n", what, pg_now() - t0);
out:
	pg_child_release(&c);
	pg_env_free(env);
	return rc;
}
