// SPDX-License-Identifier: MIT
/* perfgate hook install|show: the pre-push hook (see hook.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hook.h"

const char pg_usage_hook[] =
	"usage: perfgate hook install\n"
	"       perfgate hook show\n"
	"\n"
	"  install  write the git pre-push hook into this repository's hooks directory\n"
	"           (core.hooksPath if set); refuses to replace a hook perfgate did\n"
	"           not write. The hook builds and checks each pushed commit that adds\n"
	"           commits to a branch and blocks the push on a regression;\n"
	"           PERFGATE_SKIP=1 git push skips it once. 'show' explains the rest.\n"
	"  show     print the hook\n";

int pg_cmd_hook(int argc, char **argv, struct pg_err *err)
{
	char path[4096];
	int replaced = 0, rc;

	if (argc == 2 && !strcmp(argv[1], "show")) {
		fputs(pg_hook_script(), stdout);
		return 0;
	}
	if (argc != 2 || strcmp(argv[1], "install"))
		return pg_err_set(err, PG_EUSAGE,
				  "hook takes install or show; see 'perfgate hook --help'");
	rc = pg_hook_install(".", path, sizeof(path), &replaced, err);
	if (!rc)
		printf("%s %s\n", replaced ? "updated" : "installed", path);
	return rc;
}
