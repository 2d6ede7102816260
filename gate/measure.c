// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "gitinfo.h"
#include "measure.h"
#include "owner.h"

int pg_measure_build(const struct pg_measure *m, struct pg_err *err)
{
	return pg_build_run(&m->sc->build, m->cfg->dir, m->what ? m->what : "the current tree",
			    m->capture->verbose, err);
}

int pg_measure_stamp(const struct pg_measure *m, struct pg_result *out, struct pg_err *err)
{
	char sha[PG_SHA_LEN + 1] = "";
	int rc;

	out->dirty = 0;
	if (m->commit)
		snprintf(sha, sizeof(sha), "%s", m->commit);
	else if ((rc = pg_git_head(m->cfg->dir, sha, &out->dirty, err)))
		return rc;
	free(out->commit);
	out->commit = NULL;
	if (sha[0] && !(out->commit = strdup(sha)))
		return pg_err_nomem(err);
	return pg_result_set_host(out, err);
}

int pg_measure_run(const struct pg_measure *m, struct pg_result *out, struct pg_buf *profile,
		   struct pg_err *err)
{
	int rc;

	rc = pg_capture_run(m->cfg, m->sc, m->capture, out, profile, err);
	return rc ? rc : pg_measure_stamp(m, out, err);
}

int pg_measure_once(const struct pg_measure *m, struct pg_result *out, struct pg_buf *profile,
		    struct pg_err *err)
{
	int rc;

	/* what a SIGKILLed run left (cgroups, namespaces, temp dirs), before
	 * this one builds; check sweeps once for all its captures */
	pg_owner_sweep(stderr);
	rc = pg_measure_build(m, err);
	return rc ? rc : pg_measure_run(m, out, profile, err);
}
