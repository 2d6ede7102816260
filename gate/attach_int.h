/* Internals of the attach resolver shared by its files: a walk over the
 * cgroup tree with a matcher, and the lookups built on it. */
#ifndef PG_ATTACH_INT_H
#define PG_ATTACH_INT_H

#include <limits.h>
#include <sys/types.h>

#include "attach.h"

#define PG_ATTACH_MAX_MATCHES 8

/* A walk records each directory match() accepts, keyed by what match()
 * left in key (a container's full ID), so one container is counted once. */
struct pg_attach_walk {
	int (*match)(struct pg_attach_walk *w, const char *path, const char *name,
		     const char *parent);
	const char *engine; /* containers: NULL matches every engine */
	const char *id;	    /* containers: ID prefix (NULL: any); pods: the uid */
	char key[128];
	char paths[PG_ATTACH_MAX_MATCHES][PATH_MAX];
	char keys[PG_ATTACH_MAX_MATCHES][128];
	int n; /* matches, may exceed PG_ATTACH_MAX_MATCHES (only that many kept) */
};

void pg_attach_walk(struct pg_attach_walk *w, const char *top);

/* Container directories of w->engine (NULL: any) whose ID starts w->id. */
int pg_attach_match_container(struct pg_attach_walk *w, const char *path, const char *name,
			      const char *parent);

/* The first process in dir or below; 1 if found. */
int pg_attach_first_pid(const char *dir, pid_t *out, int depth);

/* A container's cgroup by (engine, ID or prefix) below top, and a process
 * in it. what names the target in messages. */
int pg_attach_find_container(struct pg_attach_found *out, const char *engine, const char *id,
			     const char *top, const struct pg_attach_fs *fs, const char *what,
			     struct pg_err *err);

/* Pods (attach_pod.c). */
int pg_attach_resolve_pod(struct pg_attach_found *out, const struct pg_attach_cfg *a,
			  const struct pg_attach_fs *fs, const char *what, struct pg_err *err);

#endif
