#define _GNU_SOURCE /* nftw's FTW_DEPTH and FTW_PHYS */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "scratch.h"

char *pg_scratch_new(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;

	if (asprintf(&dir, "%s/pg-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag) < 0)
		return NULL;
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

int pg_scratch_free(char *dir)
{
	int rc;

	if (!dir)
		return 0;
	/* Depth first, so a directory is empty when its turn comes; physical,
	 * so a link is removed, never what it points to. */
	rc = nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
	free(dir);
	return rc;
}

void pg_scratch_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("command failed: %s", cmd);
}
