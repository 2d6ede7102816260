// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline_int.h"
#include "buf.h"
#include "dynlib.h"
#include "fs.h"

#define SHALLOW_HINT \
	"history is shallow; fetch deeper with 'git fetch --deepen=50' or set GIT_DEPTH=0"

#define UNBORN_HINT \
	"the repository has no commits yet; commit first (baselines are kept per commit)"

/* What to do about a commit the clone lacks: deepen a shallow clone; a
 * full one lacks it because it was never fetched. */
static const char *missing_hint(const struct pg_baseline_store *s)
{
	return pg_libgit2.repository_is_shallow(s->repo)
		       ? SHALLOW_HINT
		       : "fetch it, e.g. 'git fetch origin' (the clone is not shallow)";
}

static int read_shallow(struct pg_baseline_store *s, struct pg_err *err)
{
	char path[PATH_MAX];

	if (!pg_libgit2.repository_is_shallow(s->repo))
		return 0;
	if (snprintf(path, sizeof(path), "%sshallow", pg_libgit2.repository_commondir(s->repo)) >=
	    (int)sizeof(path))
		return pg_err_set(err, PG_EINPUT, "repository path too long");
	return pg_buf_read_file(&s->shallow, path, err);
}

/* A SIGKILL during a record leaves "<sha>.pb.gz.tmp.<pid>.*", which
 * `git add baselines` would commit: remove those of dead writers, and say
 * so. */
static void sweep(const struct pg_baseline_store *s)
{
	size_t n = 0;

	pg_fs_sweep_temps(s->dir, &n);
	if (n)
		fprintf(stderr, "perfgate: removed %zu temp file%s of an interrupted run in '%s'\n",
			n, n == 1 ? "" : "s", s->dir);
}

int pg_baseline_store_open(struct pg_baseline_store **out, const struct pg_config *cfg,
			   const char *scenario, struct pg_err *err)
{
	struct pg_baseline_store *s;
	const char *bd = cfg->baselines_dir ? cfg->baselines_dir : "baselines";
	int rc;

	rc = pg_libgit2_load(err);
	if (rc)
		return rc;
	pg_libgit2.libgit2_init();
	s = calloc(1, sizeof(*s));
	if (!s) {
		pg_libgit2.libgit2_shutdown();
		return pg_err_nomem(err);
	}
	s->shallow = (struct pg_buf)PG_BUF_INIT(16 << 20);
	rc = pg_libgit2.repository_open_ext(&s->repo, cfg->dir, 0, NULL);
	if (rc < 0) {
		rc = pg_libgit2_owner_refused(rc)
			     ? pg_libgit2_owner_error(cfg->dir, err)
			     : pg_err_set(
				       err, PG_EINPUT,
				       "'%s' is not in a git repository; baselines are kept per "
				       "commit, so run perfgate in a git work tree with at least "
				       "one commit",
				       cfg->dir);
		goto fail;
	}
	if (asprintf(&s->dir, "%s%s%s/%s", bd[0] == '/' ? "" : cfg->dir, bd[0] == '/' ? "" : "/",
		     bd, scenario) < 0 ||
	    !(s->scenario = strdup(scenario))) {
		s->dir = NULL;
		rc = pg_err_nomem(err);
		goto fail;
	}
	rc = read_shallow(s, err);
	if (rc)
		goto fail;
	rc = pg_baseline_set_rel(s, cfg->dir, bd, err);
	if (rc)
		goto fail;
	sweep(s);
	*out = s;
	return 0;
fail:
	pg_baseline_store_free(s);
	return rc;
}

void pg_baseline_store_free(struct pg_baseline_store *s)
{
	if (!s)
		return;
	pg_libgit2.tree_free(s->ref_tree);
	pg_libgit2.repository_free(s->repo);
	pg_buf_release(&s->shallow);
	free(s->rel);
	free(s->rel_root);
	free(s->dir);
	free(s->scenario);
	free(s);
	pg_libgit2.libgit2_shutdown();
}

int pg_baseline_path(const struct pg_baseline_store *s, const char *sha, const char *ext, char *out,
		     size_t len, struct pg_err *err)
{
	if (snprintf(out, len, "%s/%s%s", s->dir, sha, ext) >= (int)len)
		return pg_err_set(err, PG_EINPUT, "baseline path too long: '%s'", s->dir);
	return 0;
}

static int is_sha(const char *s)
{
	return s && strlen(s) == PG_SHA_LEN && strspn(s, "0123456789abcdef") == PG_SHA_LEN;
}

/* Hold an exclusive flock on the scenario's directory: concurrent records
 * (two CI jobs) otherwise pair one writer's JSON with the other's profile.
 * A lock on the directory itself leaves no lock file to commit. */
static int lock_dir(const struct pg_baseline_store *s, struct pg_err *err)
{
	int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return pg_err_set(err, PG_EINPUT, "cannot open '%s': %s", s->dir, strerror(errno));
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			return pg_err_set(err, PG_EINPUT, "cannot lock '%s': %s", s->dir,
					  strerror(errno));
		}
	}
	return fd;
}

/* Under the directory lock: the profile first, then the JSON file, whose
 * presence is what makes a baseline exist, exclusively unless forced. */
static int write_pair(struct pg_baseline_store *s, const struct pg_result *r, const void *profile,
		      size_t profile_len, int force, struct pg_err *err)
{
	char json[PATH_MAX], pb[PATH_MAX];
	int rc;

	if ((rc = pg_baseline_path(s, r->commit, ".json", json, sizeof(json), err)) ||
	    (rc = pg_baseline_path(s, r->commit, ".pb.gz", pb, sizeof(pb), err)))
		return rc;
	if (!force && pg_fs_exists(json))
		return pg_err_set(err, PG_EINPUT, "baseline '%s' exists; use --force to replace it",
				  json);
	if (profile_len)
		rc = pg_fs_write_atomic(pb, profile, profile_len, 0, err);
	else if (unlink(pb) < 0 && errno != ENOENT) /* never another capture's profile */
		rc = pg_err_set(err, PG_EINPUT, "cannot remove '%s': %s", pb, strerror(errno));
	return rc ? rc : pg_result_save(r, json, !force, err);
}

int pg_baseline_record(struct pg_baseline_store *s, const struct pg_result *r, const void *profile,
		       size_t profile_len, int force, struct pg_err *err)
{
	int fd, rc;

	if (!is_sha(r->commit))
		return pg_err_set(err, PG_EINPUT,
				  "the result has no commit; capture it in a git "
				  "work tree to record a baseline");
	rc = pg_fs_mkdirs(s->dir, err);
	if (rc)
		return rc;
	fd = lock_dir(s, err);
	if (fd < 0)
		return fd;
	rc = write_pair(s, r, profile, profile_len, force, err);
	close(fd);
	return rc;
}

static int in_shallow(const struct pg_baseline_store *s, const char *sha)
{
	const char *p = s->shallow.data;

	while (p && (p = strstr(p, sha))) {
		if ((p == s->shallow.data || p[-1] == '\n') &&
		    (p[PG_SHA_LEN] == '\n' || !p[PG_SHA_LEN]))
			return 1;
		p += PG_SHA_LEN;
	}
	return 0;
}

/* Why the walk from start stopped at commit sha after n commits. */
static int not_found(struct pg_baseline_store *s, const char *start, const char *sha, int n,
		     int cut, struct pg_err *err)
{
	if (cut || in_shallow(s, sha))
		return pg_err_set(
			err, PG_ENOBASELINE,
			"no baseline for '%s' in the %d commit%s before %.12s; " SHALLOW_HINT,
			s->scenario, n, n == 1 ? "" : "s", start);
	/* check reads the reference's own tree: a baseline committed on the
	 * branch being checked is not there, by design (issue 10) */
	return pg_err_set(
		err, PG_ENOBASELINE,
		"no baseline for '%s' on the first-parent history of %.12s (%d commit%s); "
		"record one with 'perfgate baseline record'%s",
		s->scenario, start, n, n == 1 ? "" : "s",
		s->ref_tree ? " and commit it to the target branch (one committed on this "
			      "branch counts once merged)"
			    : "");
}

/* First-parent walk from start to the nearest commit with a baseline file.
 * A parent that is missing (shallow clone) ends the walk with a hint. */
static int walk(struct pg_baseline_store *s, const git_oid *start, struct pg_baseline_ref *out,
		struct pg_err *err)
{
	git_commit *c = NULL, *parent = NULL;
	char sha[PG_SHA_LEN + 1], from[PG_SHA_LEN + 1];
	int n = 0, rc;

	pg_libgit2.oid_tostr(from, sizeof(from), start);
	if (pg_libgit2.commit_lookup(&c, s->repo, start) < 0) {
		rc = pg_err_set(err, PG_ENOBASELINE, "commit %.12s is not in this clone; %s", from,
				missing_hint(s));
		goto out;
	}
	for (;;) {
		pg_libgit2.oid_tostr(sha, sizeof(sha), pg_libgit2.commit_id(c));
		if (pg_baseline_has(s, sha)) {
			memcpy(out->commit, sha, sizeof(sha));
			out->distance = n;
			rc = 0;
			goto out;
		}
		n++;
		if (in_shallow(s, sha) || !pg_libgit2.commit_parentcount(c) || n >= MAX_WALK) {
			rc = not_found(s, from, sha, n, 0, err);
			goto out;
		}
		if (pg_libgit2.commit_parent(&parent, c, 0) < 0) {
			rc = not_found(s, from, sha, n, 1, err);
			goto out;
		}
		pg_libgit2.commit_free(c);
		c = parent;
		parent = NULL;
	}
out:
	pg_libgit2.commit_free(c);
	return rc;
}

static int rev_commit(struct pg_baseline_store *s, const char *rev, git_oid *out)
{
	git_object *obj = NULL, *c = NULL;
	int rc = -1;

	if (pg_libgit2.revparse_single(&obj, s->repo, rev) < 0)
		return -1;
	if (pg_libgit2.object_peel(&c, obj, GIT_OBJECT_COMMIT) == 0) {
		pg_libgit2.oid_cpy(out, pg_libgit2.object_id(c));
		rc = 0;
	}
	pg_libgit2.object_free(c);
	pg_libgit2.object_free(obj);
	return rc;
}

/* The merge base of HEAD and base_branch, preferring the remote-tracking
 * branch (CI clones often have no local branch of that name). */
static int merge_base(struct pg_baseline_store *s, const char *base, git_oid *out, char *how,
		      size_t len)
{
	const char *prefix[] = { "refs/remotes/origin/", "refs/heads/" };
	char ref[512];
	git_oid head, branch;
	size_t i;

	if (!base || pg_libgit2.reference_name_to_id(&head, s->repo, "HEAD") < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (snprintf(ref, sizeof(ref), "%s%s", prefix[i], base) >= (int)sizeof(ref))
			return -1;
		if (pg_libgit2.reference_name_to_id(&branch, s->repo, ref) < 0)
			continue;
		if (pg_libgit2.merge_base(out, s->repo, &head, &branch) < 0)
			return -1;
		snprintf(how, len, "merge base of HEAD and %s", ref + (i ? 11 : 13));
		return 0;
	}
	return -1;
}

int pg_baseline_reference(struct pg_baseline_store *s, const char *against, const char *base_branch,
			  struct pg_baseline_ref *out, struct pg_err *err)
{
	const char *env = getenv("CI_MERGE_REQUEST_DIFF_BASE_SHA");
	git_oid oid;

	memset(out, 0, sizeof(*out));
	out->distance = -1;
	if (pg_libgit2.repository_head_unborn(s->repo) == 1)
		return pg_err_set(err, PG_EINPUT, UNBORN_HINT);
	if (against) {
		if (rev_commit(s, against, &oid) < 0)
			return pg_err_set(
				err, PG_EUSAGE,
				"--against '%s' does not name a commit of this repository",
				against);
		snprintf(out->how, sizeof(out->how), "--against %s", against);
	} else if (env && *env) {
		if (rev_commit(s, env, &oid) < 0)
			return pg_err_set(err, PG_ENOBASELINE,
					  "merge request base %.40s is not in this clone; %s", env,
					  missing_hint(s));
		snprintf(out->how, sizeof(out->how), "CI_MERGE_REQUEST_DIFF_BASE_SHA");
	} else if (merge_base(s, base_branch, &oid, out->how, sizeof(out->how)) < 0) {
		if (pg_libgit2.reference_name_to_id(&oid, s->repo, "HEAD") < 0)
			return pg_libgit2_fail(err, PG_EINPUT, "cannot resolve HEAD");
		snprintf(out->how, sizeof(out->how), "HEAD");
		out->head_fallback = 1;
	}
	pg_libgit2.oid_tostr(out->reference, sizeof(out->reference), &oid);
	return 0;
}

int pg_baseline_resolve(struct pg_baseline_store *s, const char *against, const char *base_branch,
			struct pg_baseline_ref *out, struct pg_err *err)
{
	git_oid oid;
	int rc;

	rc = pg_baseline_reference(s, against, base_branch, out, err);
	if (rc)
		return rc;
	if (pg_libgit2.oid_fromstr(&oid, out->reference) < 0)
		return pg_libgit2_fail(err, PG_EINPUT, "bad reference commit");
	/* the reference's own tree says which baselines exist: never the
	 * work tree, which holds the merge request's files */
	rc = pg_baseline_use_tree(s, &oid, err);
	return rc ? rc : walk(s, &oid, out, err);
}

int pg_baseline_nearest(struct pg_baseline_store *s, const char *rev, struct pg_baseline_ref *out,
			struct pg_err *err)
{
	git_oid oid;

	memset(out, 0, sizeof(*out));
	if (rev_commit(s, rev, &oid) < 0)
		return pg_err_set(err, PG_EUSAGE, "'%s' does not name a commit of this repository",
				  rev);
	snprintf(out->how, sizeof(out->how), "%s", rev);
	pg_libgit2.oid_tostr(out->reference, sizeof(out->reference), &oid);
	/* browsing (baseline show) looks at the files at hand */
	pg_libgit2.tree_free(s->ref_tree);
	s->ref_tree = NULL;
	return walk(s, &oid, out, err);
}
