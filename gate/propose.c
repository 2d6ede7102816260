// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <git2.h>

#include "buf.h"
#include "child.h"
#include "dynlib.h"
#include "propose.h"
#include "sig.h"

#define MAX_FILE (256u << 20)
#define PUSH_TIMEOUT_S 120.0

/* Who commits: git's config, else GitLab CI's user, else perfgate (a CI
 * checkout usually has no user.name). */
static int signature(git_signature **out, git_repository *repo)
{
	const char *name = getenv("GITLAB_USER_NAME"), *mail = getenv("GITLAB_USER_EMAIL");

	if (!pg_libgit2.signature_default(out, repo))
		return 0;
	return pg_libgit2.signature_now(out, name && *name ? name : "perfgate",
					mail && *mail ? mail : "perfgate@localhost");
}

/* Put each file into idx as a blob at its path relative to the work tree. */
static int add_files(git_repository *repo, git_index *idx, const struct pg_propose *p,
		     struct pg_err *err)
{
	const char *wd = pg_libgit2.repository_workdir(repo);
	size_t i, wl = wd ? strlen(wd) : 0;
	git_index_entry e;
	int rc = 0;

	for (i = 0; !rc && i < p->nfiles; i++) {
		struct pg_buf b = PG_BUF_INIT(MAX_FILE);

		if (!wl || strncmp(p->files[i], wd, wl))
			return pg_err_set(err, PG_EINPUT, "'%s' is outside the work tree",
					  p->files[i]);
		memset(&e, 0, sizeof(e));
		e.mode = GIT_FILEMODE_BLOB;
		e.path = p->files[i] + wl;
		rc = pg_buf_read_file(&b, p->files[i], err);
		if (!rc &&
		    (pg_libgit2.blob_create_from_buffer(&e.id, repo, b.data ? b.data : "", b.len) ||
		     pg_libgit2.index_add(idx, &e)))
			rc = pg_libgit2_fail(err, PG_EINPUT,
					     "cannot add the baseline to the commit");
		pg_buf_release(&b);
	}
	return rc;
}

int pg_propose_branch_free(const char *repo_dir, const char *commit, struct pg_err *err)
{
	git_repository *repo = NULL;
	char ref[96];
	git_oid id;
	int rc;

	if ((rc = pg_libgit2_load(err)))
		return rc;
	pg_libgit2.libgit2_init();
	snprintf(ref, sizeof(ref), "refs/heads/" PG_PROPOSE_BRANCH_FMT, commit);
	if (pg_libgit2.repository_open_ext(&repo, repo_dir, 0, NULL))
		rc = pg_libgit2_fail(err, PG_EINPUT, "cannot open the repository");
	else if (!pg_libgit2.reference_name_to_id(&id, repo, ref))
		rc = pg_err_set(err, PG_EINPUT,
				"branch '%s' exists: this commit's baseline was proposed before; "
				"push that branch, or delete it to propose again",
				ref + strlen("refs/heads/"));
	pg_libgit2.repository_free(repo);
	pg_libgit2.libgit2_shutdown();
	return rc;
}

int pg_propose_commit(const struct pg_propose *p, char out[41], struct pg_err *err)
{
	git_repository *repo = NULL;
	git_object *head = NULL;
	git_tree *tree = NULL, *ntree = NULL;
	git_index *idx = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	git_commit *ncommit = NULL;
	git_oid tid, cid;
	int rc = 0;

	if ((rc = pg_libgit2_load(err)))
		return rc;
	pg_libgit2.libgit2_init();
	if (pg_libgit2.repository_open_ext(&repo, p->repo_dir, 0, NULL) ||
	    pg_libgit2.revparse_single(&head, repo, "HEAD^{commit}") ||
	    pg_libgit2.commit_tree(&tree, (git_commit *)head) || pg_libgit2.index_new(&idx) ||
	    pg_libgit2.index_read_tree(idx, tree)) {
		rc = pg_libgit2_fail(err, PG_EINPUT, "cannot read HEAD");
		goto out;
	}
	if ((rc = add_files(repo, idx, p, err)))
		goto out;
	if (pg_libgit2.index_write_tree_to(&tid, idx, repo) ||
	    pg_libgit2.tree_lookup(&ntree, repo, &tid) || signature(&sig, repo) ||
	    pg_libgit2.commit_create(&cid, repo, NULL, sig, sig, NULL, p->message, ntree, 1,
				     (const git_commit **)&head) ||
	    pg_libgit2.commit_lookup(&ncommit, repo, &cid)) {
		rc = pg_libgit2_fail(err, PG_EINPUT, "cannot commit the baseline");
		goto out;
	}
	if (pg_libgit2.branch_create(&ref, repo, p->branch, ncommit, 0)) {
		rc = pg_libgit2_fail(
			err, PG_EINPUT,
			"cannot create the baseline branch (delete it if it is stale)");
		goto out;
	}
	pg_libgit2.oid_tostr(out, 41, &cid);
out:
	pg_libgit2.reference_free(ref);
	pg_libgit2.commit_free(ncommit);
	pg_libgit2.signature_free(sig);
	pg_libgit2.index_free(idx);
	pg_libgit2.tree_free(ntree);
	pg_libgit2.tree_free(tree);
	pg_libgit2.object_free(head);
	pg_libgit2.repository_free(repo);
	pg_libgit2.libgit2_shutdown();
	return rc;
}

/* "Authorization: Basic base64(perfgate:token)" for git's http.extraHeader:
 * GitLab takes a project access token as the password of any user name. */
static int auth_header(char *out, size_t n, const char *token)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char plain[600];
	size_t len, i, o;
	int pl;

	pl = snprintf(plain, sizeof(plain), "perfgate:%s", token);
	if (pl < 0 || pl >= (int)sizeof(plain))
		return -1;
	len = (size_t)pl;
	o = (size_t)snprintf(out, n, "Authorization: Basic ");
	for (i = 0; i < len && o + 5 < n; i += 3) {
		unsigned v = (unsigned char)plain[i] << 16;

		v |= i + 1 < len ? (unsigned char)plain[i + 1] << 8 : 0;
		v |= i + 2 < len ? (unsigned char)plain[i + 2] : 0;
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	explicit_bzero(plain, sizeof(plain));
	return i < len ? -1 : 0;
}

/* The push options; a push option cannot hold a newline, hence the one-line
 * summary (the full description is the commit message and stdout). */
static int push_argv(char **argv, char opts[4][512], const struct pg_propose *p)
{
	int i = 0;

	snprintf(opts[0], 512, "merge_request.target=%s", p->target);
	snprintf(opts[1], 512, "merge_request.title=%s", p->title);
	snprintf(opts[2], 512, "merge_request.description=%s", p->summary ? p->summary : "");
	snprintf(opts[3], 512, "refs/heads/%s:refs/heads/%s", p->branch, p->branch);
	argv[i++] = "git";
	argv[i++] = "push";
	argv[i++] = "-o";
	argv[i++] = "merge_request.create";
	argv[i++] = "-o";
	argv[i++] = opts[0];
	argv[i++] = "-o";
	argv[i++] = opts[1];
	argv[i++] = "-o";
	argv[i++] = opts[2];
	argv[i++] = (char *)p->remote;
	argv[i++] = opts[3];
	argv[i] = NULL;
	return 0;
}

int pg_propose_push(const struct pg_propose *p, int verbose, struct pg_err *err)
{
	const char *token = getenv("PERFGATE_GITLAB_TOKEN");
	char opts[4][512], hdr[1024] = "", *argv[16], tail[200], how[64];
	struct pg_kv kv[4] = { { "GIT_TERMINAL_PROMPT", "0" },
			       { "GIT_CONFIG_COUNT", "1" },
			       { "GIT_CONFIG_KEY_0", "http.extraHeader" },
			       { "GIT_CONFIG_VALUE_0", hdr } };
	struct pg_child_spec s = { "git push", argv, NULL, -1, NULL, -1, p->repo_dir, verbose };
	struct pg_child c;
	int rc;

	pg_child_init(&c);
	push_argv(argv, opts, p);
	if (token && *token && auth_header(hdr, sizeof(hdr), token)) {
		rc = pg_err_set(err, PG_EUSAGE, "PERFGATE_GITLAB_TOKEN is too long");
		goto out;
	}
	if ((rc = pg_child_start_kv(&c, &s, kv, hdr[0] ? 4 : 1, err)))
		goto out;
	rc = pg_child_wait(&c, PUSH_TIMEOUT_S);
	if (rc != 1 || !WIFEXITED(c.status) || WEXITSTATUS(c.status)) {
		pg_child_tail(&c, tail, sizeof(tail));
		if (rc == 1)
			pg_child_describe(&c, how, sizeof(how));
		rc = rc < 0 ? pg_err_interrupted(err)
			    : pg_err_set(err, PG_EINFRA, "git push of '%s' to '%s' %s: %s",
					 p->branch, p->remote, rc ? how : "timed out", tail);
		goto out;
	}
	rc = 0;
out:
	pg_child_release(&c);
	explicit_bzero(hdr, sizeof(hdr));
	return rc;
}
