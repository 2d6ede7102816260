// SPDX-License-Identifier: MIT
/* GitLab merge-request notes through the REST API v4 (libcurl): perfgate's
 * one note per merge request and scenario, found again by a hidden marker
 * and edited in place on later pipelines. struct pg_gitlab_mr borrows its
 * strings (from the environment); nothing outlives a call. The token goes
 * only into the PRIVATE-TOKEN request header, never into a message. */
#ifndef PG_GITLAB_H
#define PG_GITLAB_H

#include <stddef.h>

#include "err.h"

struct pg_gitlab_mr {
	const char *api;     /* CI_API_V4_URL, e.g. https://gitlab.example.com/api/v4 */
	const char *project; /* CI_PROJECT_ID */
	const char *iid;     /* CI_MERGE_REQUEST_IID */
	const char *token;   /* PERFGATE_GITLAB_TOKEN */
};

/* Fill mr from the environment; PG_EUSAGE naming the first missing
 * variable (a note outside a merge-request pipeline cannot be posted). */
int pg_gitlab_mr_from_env(struct pg_gitlab_mr *mr, struct pg_err *err);

/* Post body as a note of the merge request, or replace the body of the
 * note that holds marker (searched across every page of notes). marker is
 * placed in the body by the caller. *note_id gets the note's id, created
 * says which happened. PG_EINFRA on an API or transport failure. */
int pg_gitlab_note_upsert(const struct pg_gitlab_mr *mr, const char *marker, const char *body,
			  long *note_id, int *created, struct pg_err *err);

/* Set the description of the open merge request from source_branch
 * (created by a push with merge-request push options, which cannot carry
 * more than one line). mr->iid is not used. PG_EINFRA on failure, also
 * when no such merge request is open. */
int pg_gitlab_mr_describe(const struct pg_gitlab_mr *mr, const char *source_branch,
			  const char *description, struct pg_err *err);

#endif
