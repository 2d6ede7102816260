// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* sigabbrev_np */
#include <signal.h>
#include <string.h>

#include "sig.h"

static volatile sig_atomic_t pending;

static void on_signal(int signo)
{
	if (!pending)
		pending = signo;
}

void pg_sig_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking wait must return EINTR so the caller can
	 * notice the signal and clean up. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* ^\ too: a core dump would leave the cgroups, namespaces and
	 * processes perfgate made until the next run swept them */
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int pg_sig_pending(void)
{
	return pending;
}

int pg_err_interrupted(struct pg_err *err)
{
	int sig = pg_sig_pending();
	const char *name = sig ? sigabbrev_np(sig) : NULL;

	return pg_err_set(err, PG_EINFRA,
			  "interrupted by signal SIG%s; everything perfgate started was stopped",
			  name ? name : "?");
}
