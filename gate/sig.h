// SPDX-License-Identifier: MIT
/* SIGINT/SIGTERM handling: the handler only records the signal; long-running
 * code polls pg_sig_pending() and unwinds through its normal cleanup path, so
 * every resource perfgate made is released on a signal too. */
#ifndef PG_SIG_H
#define PG_SIG_H

#include "err.h"

/* Install the handlers (SIGINT, SIGTERM, SIGHUP, SIGQUIT; SIGPIPE ignored). */
void pg_sig_install(void);

/* The first signal received, or 0. */
int pg_sig_pending(void);

/* PG_EINFRA "interrupted by signal SIGTERM; ..." for the pending signal. */
int pg_err_interrupted(struct pg_err *err);

#endif
