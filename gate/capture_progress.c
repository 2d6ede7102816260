// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture_priv.h"

void pg_progress_init(struct pg_progress *p, const struct pg_capture_opts *o, int nruns)
{
	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO);
	/* a CI log (GitLab sets CI) gets the phase lines without -v: minutes of
	 * silence read as a hung job */
	p->verbose = o->verbose ? o->verbose : getenv("CI") && *getenv("CI");
	/* a duet's two sides report at once */
	snprintf(p->side, sizeof(p->side), "%s%s", o->side ? o->side : "", o->side ? " " : "");
	p->nruns = nruns;
	p->phase = "";
	p->left_shown = -1;
}

static void show(struct pg_progress *p, double left)
{
	if (p->tty) {
		if (left > 0)
			fprintf(stderr, "\r %srun %d/%d  %s  %.0f s left\033[K", p->side, p->run,
				p->nruns, p->phase, left);
		else
			fprintf(stderr, "\r %srun %d/%d  %s\033[K", p->side, p->run, p->nruns,
				p->phase);
		fflush(stderr);
	} else if (p->verbose && left < 0) {
		fprintf(stderr, "perfgate: %srun %d/%d: %s\n", p->side, p->run, p->nruns, p->phase);
	}
}

void pg_progress_run(struct pg_progress *p, int run)
{
	p->run = run;
}

void pg_progress_phase(struct pg_progress *p, const char *phase, double seconds)
{
	p->phase = phase;
	p->left_shown = seconds > 0 ? seconds + 0.5 : -1;
	show(p, -1);
	if (seconds > 0)
		pg_progress_tick(p, seconds);
}

/* Redraw only when the whole seconds change: a CI log keeps quiet and a
 * terminal does not flicker. */
void pg_progress_tick(struct pg_progress *p, double left_s)
{
	if (left_s < 0)
		left_s = 0;
	if ((long)(left_s + 0.5) == (long)(p->left_shown + 0.5))
		return;
	p->left_shown = left_s;
	if (p->tty)
		show(p, left_s);
}

void pg_progress_done(struct pg_progress *p)
{
	if (p->tty) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
}
