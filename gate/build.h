/* Building what a scenario measures: the scenario's "build" command, run in
 * a tree (the repository being checked, or the reference commit's copy)
 * before measuring, so what is measured is what that tree's code makes.
 * Owns nothing past the call: the child is reaped on every path. */
#ifndef PG_BUILD_H
#define PG_BUILD_H

#include "config.h"
#include "err.h"

/* Run b->cmd in dir with perfgate's environment plus b->env, bounded by
 * b->timeout_s. what names the tree in messages ("the current tree",
 * "reference 1a2b3c4d5e6f"). A failure, a timeout or a signal is PG_EINFRA
 * with the build output's tail. No build command: 0. */
int pg_build_run(const struct pg_build_cfg *b, const char *dir, const char *what, int verbose,
		 struct pg_err *err);

#endif
