/* SIGINT/SIGTERM handling: the handler only records the signal; long-running
 * code polls pg_sig_pending() and unwinds through its normal cleanup path, so
 * every resource perfgate made is released on a signal too. */
#ifndef PG_SIG_H
#define PG_SIG_H

/* Install the handlers (SIGINT, SIGTERM, SIGHUP; SIGPIPE ignored). */
void pg_sig_install(void);

/* The first signal received, or 0. */
int pg_sig_pending(void);

#endif
