// SPDX-License-Identifier: MIT
/* The report folder: a set of files that is complete or absent, written
 * where a merge request cannot redirect it. The template puts the folder
 * inside the checkout, so a merge request can commit
 * perfgate-report/summary.md -> /dev/sda or perfgate-report -> /etc:
 * symlinks are refused, files are created as new temp files (O_EXCL) and
 * renamed into place, which replaces a name and never writes through it. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "child.h"
#include "fs.h"
#include "report.h"
#include "sig.h"

/* A write that failed in the report folder is the host's problem (a full
 * or read-only disk): exit 3, the message kept. */
static int infra(struct pg_err *err)
{
	if (err)
		err->code = PG_EINFRA;
	return PG_EINFRA;
}

/* The cause after the last ": " of a message ("cannot create 'x': No
 * space left on device" -> "No space left on device"). */
static const char *strerror_of(const char *msg)
{
	const char *p = strrchr(msg, ':');

	return p && p[1] == ' ' ? p + 2 : msg;
}

static int file_path(char *out, size_t len, const char *dir, const char *name, struct pg_err *err)
{
	if (snprintf(out, len, "%s/%s", dir, name) >= (int)len)
		return pg_err_set(err, PG_EUSAGE, "report directory path too long: '%s'", dir);
	return 0;
}

/* Every name of the set is absent or a regular file. */
static int check_files(const char *dir, struct pg_err *err)
{
	const struct pg_report_writer *w = NULL;
	char path[PATH_MAX];
	struct stat st;
	size_t n, i;
	int rc;

	w = pg_report_writers(&n);
	for (i = 0; i < n; i++) {
		if (!w[i].filename)
			continue;
		rc = file_path(path, sizeof(path), dir, w[i].filename, err);
		if (rc)
			return rc;
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
			return pg_err_set(err, PG_EINPUT,
					  "report file '%s' is %s; remove it, perfgate writes "
					  "only regular files",
					  path,
					  S_ISLNK(st.st_mode) ? "a symlink" : "not a regular file");
	}
	return 0;
}

/* After a failed mkdir or write: a folder the user may not write, or a
 * path that cannot be one, is theirs to fix (2); a file system that is
 * full or read-only is the runner's (3). */
static int denied(void)
{
	return errno == EACCES || errno == EPERM;
}

int pg_report_dir_check(const char *dir, struct pg_err *err)
{
	char probe[PATH_MAX], tmp[PATH_MAX], why[sizeof(err->msg)];
	struct stat st;
	size_t swept;
	int rc;

	if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
		return pg_err_set(err, PG_EINPUT,
				  "report folder '%s' is a symlink; pass the directory it points "
				  "to",
				  dir);
	rc = pg_fs_mkdirs(dir, err);
	if (rc) /* pg_fs_mkdirs classed the path's errors as the user's */
		return rc == PG_EINPUT && errno != EROFS ? rc : infra(err);
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return pg_err_set(err, PG_EINPUT, "report folder '%s' is not a directory", dir);
	/* temp files of a run killed while writing its reports (SIGKILL) */
	pg_fs_sweep_temps(dir, &swept);
	rc = check_files(dir, err);
	if (rc)
		return rc;
	/* a read-only or full file system fails here, before the capture */
	rc = file_path(probe, sizeof(probe), dir, ".perfgate-probe", err);
	if (!rc)
		rc = pg_fs_write_temp(probe, "probe\n", 6, tmp, sizeof(tmp), err);
	if (rc) {
		rc = denied() ? PG_EINPUT : PG_EINFRA;
		snprintf(why, sizeof(why), "%s", err ? err->msg : "");
		return pg_err_set(err, rc, "report folder '%s' is not writable: %s", dir,
				  strerror_of(why));
	}
	unlink(tmp);
	return 0;
}

static int wanted(const struct pg_report_writer *w, const struct pg_report *r)
{
	if (!w->filename)
		return 0;
	if (r->error && strcmp(w->name, "json"))
		return 0;
	if (!r->verdict && w->needs_verdict)
		return 0;
	if (w->needs_paired && !(r->verdict && r->verdict->paired))
		return 0;
	return r->current_profile_len || !w->needs_profile;
}

/* Render w into a new temp file beside path; its name into tmp. */
static int render(const struct pg_report_writer *w, const struct pg_report *r, const char *path,
		  char *tmp, size_t tmplen, struct pg_err *err)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	tmp[0] = '\0';
	rc = pg_report_render(w, r, &text, &len, err);
	if (!rc)
		rc = pg_fs_write_temp(path, text, len, tmp, tmplen, err);
	free(text);
	return rc == PG_EINPUT ? infra(err) : rc;
}

/* An earlier run's result.pb.gz, which must not pass for this run's. */
static void drop_profile(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (!file_path(path, sizeof(path), dir, "result.pb.gz", NULL) && lstat(path, &st) == 0 &&
	    S_ISREG(st.st_mode))
		unlink(path);
}

/* Remove the set's files (all, or those not in keep), and the profile
 * beside them unless keep has one to write. */
static void remove_old(const char *dir, const struct pg_report *keep)
{
	const struct pg_report_writer *w;
	char path[PATH_MAX];
	struct stat st;
	size_t n, i;

	w = pg_report_writers(&n);
	for (i = 0; i < n; i++)
		if (w[i].filename && !(keep && wanted(&w[i], keep)) &&
		    !file_path(path, sizeof(path), dir, w[i].filename, NULL) &&
		    lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			unlink(path);
	if (!keep || keep->error || !keep->current_profile_len)
		drop_profile(dir);
}

static int write_set(const struct pg_report *r, const char *dir, struct pg_err *err)
{
	const struct pg_report_writer *w;
	char path[PATH_MAX], tmp[16][PATH_MAX];
	size_t n, i;
	int rc;

	w = pg_report_writers(&n);
	if (n > 16)
		return pg_err_set(err, PG_EINFRA, "too many report writers");
	memset(tmp, 0, sizeof(tmp));
	/* a refused folder (a symlink) is left as it is; a full one loses
	 * the old set, which must not pass for this run's */
	rc = pg_report_dir_check(dir, err);
	if (rc == PG_EINFRA)
		remove_old(dir, NULL);
	if (rc)
		return rc;
	for (i = 0; !rc && i < n; i++) {
		/* ^C while rendering (a flame graph of a big profile takes
		 * seconds) stops here, leaving no set rather than a late one;
		 * an error's result.json is small, and says why a stopped CI
		 * job ended */
		if (pg_sig_pending() && !r->error)
			rc = pg_err_interrupted(err);
		else if (wanted(&w[i], r) &&
			 !(rc = file_path(path, sizeof(path), dir, w[i].filename, err)))
			rc = render(&w[i], r, path, tmp[i], sizeof(tmp[i]), err);
	}
	for (i = 0; !rc && i < n; i++)
		if (tmp[i][0] && !(rc = file_path(path, sizeof(path), dir, w[i].filename, err)) &&
		    (rc = pg_fs_publish(tmp[i], path, err)) == 0)
			tmp[i][0] = '\0';
	if (rc == PG_EINPUT)
		rc = infra(err);
	for (i = 0; i < n; i++)
		if (tmp[i][0])
			unlink(tmp[i]);
	/* complete or absent: a failure leaves no report file at all */
	remove_old(dir, rc ? NULL : r);
	return rc;
}

/* The current CPU profile beside result.json, as capture -o keeps it, so
 * `baseline record --from DIR/result.json` records the profile too (the
 * default-branch CI job records the baseline from its check's reports). */
static int save_profile(const struct pg_report *r, const char *dir, struct pg_err *err)
{
	char path[PATH_MAX];
	int rc;

	if (r->error || !r->current_profile_len)
		return 0;
	rc = file_path(path, sizeof(path), dir, "result.pb.gz", err);
	if (!rc)
		rc = pg_fs_write_atomic(path, r->current_profile, r->current_profile_len, 0, err);
	if (rc)
		drop_profile(dir);
	return rc;
}

int pg_report_write_dir(const struct pg_report *r, const char *dir, struct pg_err *err)
{
	struct pg_report rr;
	struct pg_evidence ev;
	int rc;

	rc = pg_report_with_evidence(r, &rr, &ev, err);
	if (!rc)
		rc = write_set(&rr, dir, err);
	if (!rc)
		rc = save_profile(r, dir, err);
	pg_report_evidence_release(&ev);
	return rc;
}
