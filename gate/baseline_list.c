// SPDX-License-Identifier: MIT
/* The scenario's baseline directory as a list: its files newest first by
 * first-parent distance from HEAD (then by time), and pruning all but the
 * newest. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline_int.h"
#include "dynlib.h"

/* The baseline files of the scenario, unordered. */
static int scan(struct pg_baseline_store *s, struct pg_baseline_entry **out, size_t *n,
		struct pg_err *err)
{
	struct pg_baseline_entry *e = NULL, *ne;
	char path[PATH_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	*n = 0;
	dir = opendir(s->dir);
	if (!dir) {
		*out = NULL;
		return errno == ENOENT ? 0
				       : pg_err_set(err, PG_EINPUT, "cannot read '%s': %s", s->dir,
						    strerror(errno));
	}
	while ((d = readdir(dir))) {
		if (strlen(d->d_name) != PG_SHA_LEN + 5 ||
		    strcmp(d->d_name + PG_SHA_LEN, ".json") ||
		    strspn(d->d_name, "0123456789abcdef") != PG_SHA_LEN)
			continue;
		ne = realloc(e, (*n + 1) * sizeof(*e));
		if (!ne) {
			closedir(dir);
			free(e);
			return pg_err_nomem(err);
		}
		e = ne;
		memcpy(e[*n].sha, d->d_name, PG_SHA_LEN);
		e[*n].sha[PG_SHA_LEN] = '\0';
		e[*n].order = -1;
		snprintf(path, sizeof(path), "%s/%s", s->dir, d->d_name);
		e[*n].mtime = stat(path, &st) ? 0 : (long long)st.st_mtime;
		(*n)++;
	}
	closedir(dir);
	*out = e;
	return 0;
}

/* Number the entries by their first-parent distance from HEAD. */
static void order(struct pg_baseline_store *s, struct pg_baseline_entry *e, size_t n)
{
	git_commit *c = NULL, *parent = NULL;
	char sha[PG_SHA_LEN + 1];
	size_t i, found = 0;
	git_oid head;
	int k;

	if (pg_libgit2.reference_name_to_id(&head, s->repo, "HEAD") < 0 ||
	    pg_libgit2.commit_lookup(&c, s->repo, &head) < 0)
		return;
	for (k = 0; found < n && k < MAX_WALK; k++) {
		pg_libgit2.oid_tostr(sha, sizeof(sha), pg_libgit2.commit_id(c));
		for (i = 0; i < n; i++)
			if (e[i].order < 0 && !strcmp(e[i].sha, sha)) {
				e[i].order = k;
				found++;
			}
		if (!pg_libgit2.commit_parentcount(c) ||
		    pg_libgit2.commit_parent(&parent, c, 0) < 0)
			break;
		pg_libgit2.commit_free(c);
		c = parent;
	}
	pg_libgit2.commit_free(c);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct pg_baseline_entry *x = a, *y = b;

	if ((x->order < 0) != (y->order < 0))
		return x->order < 0 ? 1 : -1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->sha, y->sha);
}

int pg_baseline_list(struct pg_baseline_store *s, struct pg_baseline_entry **out, size_t *n,
		     struct pg_err *err)
{
	int rc = scan(s, out, n, err);

	if (rc || !*n)
		return rc;
	order(s, *out, *n);
	qsort(*out, *n, sizeof(**out), entry_cmp);
	return 0;
}

void pg_baseline_entries_free(struct pg_baseline_entry *e)
{
	free(e);
}

int pg_baseline_prune(struct pg_baseline_store *s, size_t keep, FILE *log, struct pg_err *err)
{
	struct pg_baseline_entry *e = NULL;
	char json[PATH_MAX], pb[PATH_MAX];
	size_t n, i;
	int rc;

	rc = pg_baseline_list(s, &e, &n, err);
	for (i = keep; !rc && i < n; i++) {
		if ((rc = pg_baseline_path(s, e[i].sha, ".json", json, sizeof(json), err)) ||
		    (rc = pg_baseline_path(s, e[i].sha, ".pb.gz", pb, sizeof(pb), err)))
			break;
		if (unlink(json) < 0 && errno != ENOENT) {
			rc = pg_err_set(err, PG_EINPUT, "cannot remove '%s': %s", json,
					strerror(errno));
			break;
		}
		unlink(pb);
		if (log)
			fprintf(log, "removed %s\n", json);
	}
	free(e);
	return rc;
}
