// SPDX-License-Identifier: MIT
/* The merge-request note of a check: summary.md (or the reason there is no
 * table), links to the job and its flame graph, and a hidden marker per
 * scenario so each pipeline edits the note the last one wrote. Posting is
 * best effort: a failure is one warning line on stderr and never changes
 * the verdict. Borrows everything; allocates nothing past the call. */
#ifndef PG_GITLAB_NOTE_H
#define PG_GITLAB_NOTE_H

#include <stdio.h>

#include "report.h"

/* Write the note's body for r to f. report_dir (NULL: none) is where the
 * job's artifacts are, to link flame-diff.svg. */
int pg_gitlab_note_write(FILE *f, const struct pg_report *r, const char *report_dir,
			 struct pg_err *err);

/* Compose and post (or edit) the note; print what happened with verbose,
 * one warning line on failure. */
void pg_gitlab_note_post(const struct pg_report *r, const char *report_dir, int verbose);

#endif
