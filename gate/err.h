// SPDX-License-Identifier: MIT
/* One error model for all of perfgate: functions return 0 or a negative
 * PG_E* code and describe the failure in a caller-owned struct pg_err.
 * The layer that knows the facts writes the message; callers pass it up
 * unchanged; only main() turns codes into exit statuses. */
#ifndef PG_ERR_H
#define PG_ERR_H

enum pg_errcode {
	PG_OK = 0,
	PG_EUSAGE = -1,	     /* bad flag or argument (exit 2) */
	PG_EINPUT = -2,	     /* bad config, unreadable or malformed file (exit 2) */
	PG_EINFRA = -3,	     /* probes, workload, load script, pprof fetch (exit 3) */
	PG_ENOBASELINE = -4, /* no baseline for the reference commit (exit 4) */
	PG_ENOMEM = -5,	     /* allocation failed (exit 3) */
};

/* A command returns this (not an error) when the gate found a regression. */
#define PG_REGRESSION 1

struct pg_err {
	int code;
	char msg[512]; /* room for a cause and a child's last output */
};

#define PG_ERR_INIT       \
	{                 \
		0,        \
		{         \
			0 \
		}         \
	}

/* Fill err (if not NULL) with code and a printf-style message; returns code
 * so that callers can write `return pg_err_set(err, PG_EINPUT, ...)`.
 * Messages follow git's rules: lowercase, no final period, values quoted,
 * and where it helps, "; what to do" after the cause. */
int pg_err_set(struct pg_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, for allocation failures. */
int pg_err_nomem(struct pg_err *err);

/* The exit status main() uses for a command's return value. */
int pg_err_exit_status(int rc);

#endif
