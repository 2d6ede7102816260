// SPDX-License-Identifier: MIT
/* Where the commands find their config: -c, else perfgate.json at the root
 * of the git work tree around the current directory, else here. */
#include <limits.h>
#include <stdio.h>

#include "config.h"
#include "gitinfo.h"

int pg_config_default_path(char *out, size_t n, struct pg_err *err)
{
	char root[PATH_MAX];
	int rc;

	rc = pg_git_root(".", root, sizeof(root), err);
	if (rc < 0)
		return rc;
	if (snprintf(out, n, "%sperfgate.json", rc == 0 ? root : "") >= (int)n)
		return pg_err_set(err, PG_EINPUT, "config path too long: '%s'", root);
	return 0;
}

int pg_config_open(struct pg_config *c, const char *path, const char *scenario,
		   const struct pg_scenario **out, struct pg_err *err)
{
	char def[PATH_MAX];
	int rc;

	if (!path) {
		rc = pg_config_default_path(def, sizeof(def), err);
		if (rc)
			return rc;
		path = def;
	}
	rc = pg_config_load(c, path, err);
	return rc ? rc : pg_config_scenario(c, scenario, out, err);
}
