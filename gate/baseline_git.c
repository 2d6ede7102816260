// SPDX-License-Identifier: MIT
/* Reference baselines read from the git object database: the walk asks the
 * reference commit's tree which baselines exist, pg_baseline_load reads the
 * blobs as committed there, and pg_baseline_changes names the baseline
 * files a merge request touches. Reading the work tree instead would let a
 * merge request commit its own reference (issue 10). */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline_int.h"
#include "dynlib.h"
#include "fs.h"
#include "pprof.h"

/* The line lists this many files, then a count. */
#define MAX_LISTED 8

/* Collapse "//", "/./" and "/x/../" in an absolute path, in place; -1 when
 * ".." climbs above the root. */
static int normalize(char *p)
{
	char *out = p, *in = p;

	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		if (in[0] == '.' && (in[1] == '/' || !in[1])) {
			in++;
			continue;
		}
		if (in[0] == '.' && in[1] == '.' && (in[2] == '/' || !in[2])) {
			if (out == p)
				return -1;
			while (out > p && *--out != '/')
				;
			in += 2;
			continue;
		}
		*out++ = '/';
		while (*in && *in != '/')
			*out++ = *in++;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
	return 0;
}

int pg_baseline_set_rel(struct pg_baseline_store *s, const char *cfg_dir, const char *bd,
			struct pg_err *err)
{
	const char *wd = pg_libgit2.repository_workdir(s->repo);
	char root[PATH_MAX], dir[PATH_MAX], full[2 * PATH_MAX + 2];
	size_t n;

	/* a bare repository or a directory that does not resolve: no tree
	 * path, so baselines come from disk */
	if (!wd || !realpath(wd, root) || !realpath(cfg_dir, dir))
		return 0;
	if (snprintf(full, sizeof(full), "%s/%s", bd[0] == '/' ? "" : dir, bd) >= (int)sizeof(full))
		return pg_err_set(err, PG_EINPUT, "baselines_dir too long: '%s'", bd);
	n = strlen(root);
	if (normalize(full) < 0 || strncmp(full, root, n) || full[n] != '/' || !full[n + 1])
		return 0; /* outside the work tree: not a merge request's file */
	s->rel_root = strdup(full + n + 1);
	if (!s->rel_root || asprintf(&s->rel, "%s/%s", s->rel_root, s->scenario) < 0) {
		s->rel = NULL;
		return pg_err_nomem(err);
	}
	return 0;
}

/* The tree entry of sha's file ext; NULL if absent. */
static git_tree_entry *entry_of(const struct pg_baseline_store *s, const char *sha, const char *ext)
{
	git_tree_entry *e = NULL;
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s%s", s->rel, sha, ext) >= (int)sizeof(path) ||
	    pg_libgit2.tree_entry_bypath(&e, s->ref_tree, path) < 0)
		return NULL;
	return e;
}

static int is_file(const git_tree_entry *e)
{
	git_filemode_t m = pg_libgit2.tree_entry_filemode(e);

	return m == GIT_FILEMODE_BLOB || m == GIT_FILEMODE_BLOB_EXECUTABLE;
}

int pg_baseline_has(const struct pg_baseline_store *s, const char *sha)
{
	char path[PATH_MAX];
	git_tree_entry *e;
	int rc;

	if (!s->ref_tree)
		return !pg_baseline_path(s, sha, ".json", path, sizeof(path), NULL) &&
		       pg_fs_exists(path);
	/* a symlink counts, so that loading it refuses it by name instead
	 * of the walk passing over it */
	e = entry_of(s, sha, ".json");
	rc = e && pg_libgit2.tree_entry_type(e) == GIT_OBJECT_BLOB;
	pg_libgit2.tree_entry_free(e);
	return rc;
}

int pg_baseline_use_tree(struct pg_baseline_store *s, const git_oid *oid, struct pg_err *err)
{
	git_commit *c = NULL;
	int rc = 0;

	pg_libgit2.tree_free(s->ref_tree);
	s->ref_tree = NULL;
	pg_libgit2.oid_tostr(s->ref_sha, sizeof(s->ref_sha), oid);
	if (!s->rel)
		return 0;
	if (pg_libgit2.commit_lookup(&c, s->repo, oid) < 0 ||
	    pg_libgit2.commit_tree(&s->ref_tree, c) < 0)
		rc = pg_err_set(
			err, PG_ENOBASELINE,
			"cannot read the tree of %.12s; fetch it with 'git fetch --deepen=50'",
			s->ref_sha);
	pg_libgit2.commit_free(c);
	return rc;
}

/* Append the blob of sha's file ext, as the reference tree holds it, to b.
 * A missing file is 1 when optional; a symlink or submodule is refused. */
static int read_blob(const struct pg_baseline_store *s, const char *sha, const char *ext,
		     int optional, struct pg_buf *b, struct pg_err *err)
{
	git_tree_entry *e = entry_of(s, sha, ext);
	git_blob *blob = NULL;
	int rc;

	if (!e) {
		rc = optional ? 1
			      : pg_err_set(err, PG_ENOBASELINE,
					   "no baseline '%s/%s%s' in the tree of %.12s", s->rel,
					   sha, ext, s->ref_sha);
		goto out;
	}
	if (!is_file(e)) {
		rc = pg_err_set(err, PG_EINPUT,
				"'%s/%s%s' at %.12s is not a regular file; commit baselines as "
				"plain files",
				s->rel, sha, ext, s->ref_sha);
		goto out;
	}
	if (pg_libgit2.blob_lookup(&blob, s->repo, pg_libgit2.tree_entry_id(e)) < 0) {
		rc = pg_err_set(err, PG_EINPUT, "cannot read '%s/%s%s' at %.12s from git", s->rel,
				sha, ext, s->ref_sha);
		goto out;
	}
	rc = pg_buf_append(b, pg_libgit2.blob_rawcontent(blob),
			   (size_t)pg_libgit2.blob_rawsize(blob), err);
	if (rc == PG_EINPUT)
		rc = pg_err_set(err, PG_EINPUT, "'%s/%s%s' at %.12s is larger than %zu bytes",
				s->rel, sha, ext, s->ref_sha, b->max);
out:
	pg_libgit2.blob_free(blob);
	pg_libgit2.tree_entry_free(e);
	return rc;
}

/* A baseline's profile that cannot be parsed (a gzip bomb committed as
 * <sha>.pb.gz) is dropped and named in out->profile_error: an error of the
 * profile, shown in the reports, while the metrics are still compared. */
static int check_profile(struct pg_result *out, struct pg_buf *profile, const char *sha,
			 struct pg_err *err)
{
	struct pg_err perr = PG_ERR_INIT;
	struct pg_profile *p = NULL;
	int rc;

	if (!profile || !profile->len)
		return 0;
	rc = pg_profile_parse(&p, profile->data, profile->len, &perr);
	pg_profile_free(p);
	if (rc == PG_ENOMEM)
		return pg_err_nomem(err);
	if (!rc)
		return 0;
	profile->len = 0;
	free(out->profile_error);
	if (asprintf(&out->profile_error,
		     "the baseline's CPU profile (%.12s.pb.gz) was rejected: %s", sha,
		     perr.msg) < 0) {
		out->profile_error = NULL;
		return pg_err_nomem(err);
	}
	return 0;
}

static int load_git(struct pg_baseline_store *s, const char *sha, struct pg_result *out,
		    struct pg_buf *profile, struct pg_err *err)
{
	struct pg_buf b = PG_BUF_INIT(PG_RESULT_MAX_BYTES);
	char what[PATH_MAX + 64];
	int rc;

	snprintf(what, sizeof(what), "%.12s:%s/%s.json", s->ref_sha, s->rel, sha);
	rc = read_blob(s, sha, ".json", 0, &b, err);
	if (!rc)
		rc = pg_result_parse(out, b.data ? b.data : "", b.len, what, err);
	if (!rc)
		rc = pg_baseline_validate(s, sha, out, what, err);
	if (!rc && profile)
		rc = read_blob(s, sha, ".pb.gz", 1, profile, err);
	if (rc >= 0)
		rc = check_profile(out, profile, sha, err);
	pg_buf_release(&b);
	return rc;
}

/* From disk: only regular files that resolve inside the scenario's
 * directory, so a symlinked baseline cannot read (and echo) other files. */
static int check_inside(const struct pg_baseline_store *s, const char *path, struct pg_err *err)
{
	char dir[PATH_MAX], real[PATH_MAX];
	size_t n;

	if (!realpath(s->dir, dir) || !realpath(path, real))
		return pg_err_set(err, PG_ENOBASELINE, "cannot open '%s': %s", path,
				  strerror(errno));
	n = strlen(dir);
	if (strncmp(real, dir, n) || real[n] != '/' || strchr(real + n + 1, '/'))
		return pg_err_set(err, PG_EINPUT,
				  "baseline '%s' resolves outside '%s'; baselines must be plain "
				  "files in that directory",
				  path, s->dir);
	return 0;
}

static int load_disk(struct pg_baseline_store *s, const char *sha, struct pg_result *out,
		     struct pg_buf *profile, struct pg_err *err)
{
	char path[PATH_MAX];
	int rc;

	if ((rc = pg_baseline_path(s, sha, ".json", path, sizeof(path), err)) ||
	    (rc = check_inside(s, path, err)) || (rc = pg_result_load(out, path, err)) ||
	    (rc = pg_baseline_validate(s, sha, out, path, err)))
		return rc;
	if (!profile || pg_baseline_path(s, sha, ".pb.gz", path, sizeof(path), NULL) ||
	    !pg_fs_exists(path))
		return 0;
	if ((rc = check_inside(s, path, err)) || (rc = pg_buf_read_file(profile, path, err)))
		return rc;
	return check_profile(out, profile, sha, err);
}

int pg_baseline_load(struct pg_baseline_store *s, const char *sha, struct pg_result *out,
		     struct pg_buf *profile, struct pg_err *err)
{
	if (s->ref_tree)
		return load_git(s, sha, out, profile, err);
	return load_disk(s, sha, out, profile, err);
}

static int changes_line(git_diff *diff, const char *ref_sha, char **out, struct pg_err *err)
{
	size_t n = pg_libgit2.diff_num_deltas(diff), i, len = 0;
	const git_diff_delta *d;
	char *text = NULL;
	FILE *f;

	if (!n)
		return 0;
	f = open_memstream(&text, &len);
	if (!f)
		return pg_err_nomem(err);
	fputs("this merge request changes baselines: ", f);
	for (i = 0; i < n && i < MAX_LISTED; i++) {
		d = pg_libgit2.diff_get_delta(diff, i);
		fprintf(f, "%s%s", i ? ", " : "",
			d->new_file.path ? d->new_file.path : d->old_file.path);
	}
	if (n > MAX_LISTED)
		fprintf(f, " and %zu more", n - MAX_LISTED);
	fprintf(f, "; the gate compared with the baselines as committed at %.12s", ref_sha);
	if (fclose(f)) {
		free(text);
		return pg_err_nomem(err);
	}
	*out = text;
	return 0;
}

int pg_baseline_changes(struct pg_baseline_store *s, char **out, struct pg_err *err)
{
	git_diff_options o;
	git_object *head = NULL;
	git_diff *diff = NULL;
	char *spec;
	int rc = 0;

	*out = NULL;
	if (!s->ref_tree || !s->rel_root)
		return 0;
	pg_libgit2.diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	spec = s->rel_root;
	o.pathspec.strings = &spec;
	o.pathspec.count = 1;
	if (pg_libgit2.revparse_single(&head, s->repo, "HEAD^{tree}") < 0 ||
	    pg_libgit2.diff_tree_to_tree(&diff, s->repo, s->ref_tree, (git_tree *)head, &o) < 0) {
		const git_error *e = pg_libgit2.error_last();

		rc = pg_err_set(err, PG_EINPUT, "cannot diff the baselines against %.12s: %s",
				s->ref_sha, e && e->message ? e->message : "failed");
		goto out;
	}
	rc = changes_line(diff, s->ref_sha, out, err);
out:
	pg_libgit2.diff_free(diff);
	pg_libgit2.object_free(head);
	return rc;
}
