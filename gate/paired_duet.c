// SPDX-License-Identifier: MIT
/* Duet benchmarking (Bulej et al., ICPE 2020): both sides of a round run at
 * the same time, each with its own cgroup, load and CPU, so whatever the
 * host does in that window it does to both; the sides trade CPUs every
 * second (paired_swap.c), which cancels what differs between the CPUs,
 * and a round's two duets start from either placement. The second side
 * runs in a forked process, which hands its result back through a temporary
 * directory: perfgate runs no threads between captures, so the fork is
 * safe, and the child cleans up its own workload as any capture does. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "fs.h"
#include "owner.h"
#include "paired_int.h"
#include "pprof.h"
#include "sig.h"

struct duet_dir {
	char dir[PATH_MAX - 32];
	char result[PATH_MAX], profile[PATH_MAX], error[PATH_MAX];
};

static int dir_make(struct duet_dir *d, struct pg_err *err)
{
	if (pg_owner_mkdtemp("duet", d->dir, sizeof(d->dir)))
		return pg_err_set(err, PG_EINFRA, "cannot create a directory for the duet: %s",
				  strerror(errno));
	snprintf(d->result, sizeof(d->result), "%s/result.json", d->dir);
	snprintf(d->profile, sizeof(d->profile), "%s/profile.pb.gz", d->dir);
	snprintf(d->error, sizeof(d->error), "%s/error", d->dir);
	return 0;
}

static void dir_remove(struct duet_dir *d)
{
	if (!d->dir[0])
		return;
	unlink(d->result);
	unlink(d->profile);
	unlink(d->error);
	rmdir(d->dir);
	d->dir[0] = '\0';
}

/* The forked side: capture, write what the parent needs, exit. */
static void child_main(pid_t parent, const struct pg_paired_side *s, int cpu,
		       const struct duet_dir *d)
{
	struct pg_buf prof = PG_BUF_INIT(PG_PROFILE_MAX_BYTES);
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;
	FILE *f;
	int rc;

	/* perfgate killed outright (SIGKILL) cannot pass a signal on: the
	 * side unwinds its workload and load as on SIGTERM, rather than run
	 * its capture to the end beside the next check */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(1);
	pg_owner_forked();
	pg_result_init(&r);
	rc = pg_paired_capture_one(s, cpu, &r, &prof, &err);
	if (!rc)
		rc = pg_result_save(&r, d->result, 0, &err);
	if (!rc && prof.len)
		rc = pg_fs_write_atomic(d->profile, prof.data, prof.len, 0, &err);
	if (rc && (f = fopen(d->error, "we"))) {
		fprintf(f, "%d %s", rc, err.msg);
		fclose(f);
	}
	pg_result_release(&r);
	pg_buf_release(&prof);
	pg_owner_release();
	fflush(NULL);
	_exit(rc ? 1 : 0);
}

/* Wait for the child; a signal to perfgate is passed on so the child
 * unwinds its own workload first. */
static int reap(pid_t pid, int *status)
{
	int forwarded = 0;
	pid_t w;

	for (;;) {
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (pg_sig_pending() && !forwarded) {
			kill(pid, SIGTERM);
			forwarded = 1;
		}
		usleep(20000);
	}
}

static int child_result(const struct duet_dir *d, int status, struct pg_result *r,
			struct pg_buf *prof, struct pg_err *err)
{
	struct pg_buf e = PG_BUF_INIT(1024);
	int code = PG_EINFRA, n = 0;

	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		if (pg_result_load(r, d->result, err))
			return err->code;
		return pg_fs_exists(d->profile) ? pg_buf_read_file(prof, d->profile, err) : 0;
	}
	if (!pg_buf_read_file(&e, d->error, NULL) && e.len &&
	    sscanf(e.data, "%d %n", &code, &n) == 1 && n > 0) {
		pg_err_set(err, code < 0 ? code : PG_EINFRA, "%s", e.data + n);
		pg_buf_release(&e);
		return err->code;
	}
	pg_buf_release(&e);
	return pg_err_set(err, PG_EINFRA, "the duet's second capture ended without a result");
}

static int duet(struct pg_paired_side **order, int swap, struct pg_result *r, struct pg_buf *prof,
		struct pg_err *err)
{
	struct pg_err mine = PG_ERR_INIT;
	struct duet_dir d = { 0 };
	int status = 0, rc, rc2, cpu[2] = { swap, !swap };
	pid_t pid, side[2], swapper = -1;

	rc = dir_make(&d, err);
	if (rc)
		return rc;
	fflush(NULL);
	side[0] = getpid();
	pid = fork();
	if (pid < 0) {
		rc = pg_err_set(err, PG_EINFRA, "cannot fork the duet: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_main(side[0], order[1], cpu[1] + 1, &d);
	side[1] = pid;
	swapper = pg_paired_swapper_start(side, cpu);
	if (swapper < 0)
		rc = pg_err_set(&mine, PG_EINFRA, "cannot fork the duet's CPU swapper: %s",
				strerror(errno));
	else
		rc = pg_paired_capture_one(order[0], cpu[0] + 1, &r[0], &prof[0], &mine);
	if (rc)
		kill(pid, SIGTERM);
	if (reap(pid, &status) < 0 && !rc)
		rc = pg_err_set(err, PG_EINFRA, "cannot wait for the duet: %s", strerror(errno));
	rc2 = child_result(&d, status, &r[1], &prof[1], err);
	if (rc)
		*err = mine;
	else
		rc = rc2;
	if (!rc && pg_sig_pending())
		rc = pg_err_interrupted(err);
out:
	pg_paired_swapper_stop(swapper);
	dir_remove(&d);
	return rc;
}

/* A duet round: two duets, starting from opposite placements. Each side
 * keeps both values (the first with the reference starting on the first
 * CPU, whichever side goes first), so the decision can take out what the
 * starting placement leaves (pg_stats_paired_k), and both profiles,
 * merged. */
int pg_paired_duet(struct pg_paired_side **order, int swap, struct pg_result *r,
		   struct pg_buf *prof, struct pg_err *err)
{
	struct pg_buf prof2[2] = { PG_BUF_INIT(PG_PROFILE_MAX_BYTES),
				   PG_BUF_INIT(PG_PROFILE_MAX_BYTES) };
	struct pg_result second[2];
	int i, rc;

	pg_result_init(&second[0]);
	pg_result_init(&second[1]);
	rc = duet(order, swap, r, prof, err);
	if (!rc)
		rc = duet(order, !swap, second, prof2, err);
	for (i = 0; i < 2 && !rc; i++) {
		rc = pg_result_append(&r[i], &second[i], err);
		if (!rc && prof2[i].len)
			rc = pg_profile_merge_into(&prof[i], prof2[i].data, prof2[i].len, err);
	}
	for (i = 0; i < 2; i++) {
		pg_result_release(&second[i]);
		pg_buf_release(&prof2[i]);
	}
	return rc;
}
