// SPDX-License-Identifier: MIT
/* HTTP GET with libcurl, bounded in size and time, optionally from inside a
 * network namespace (the request runs on a thread that setns()es into it, so
 * the caller's namespace never changes). Aborts early when perfgate receives
 * SIGINT/SIGTERM (pg_sig_pending). The body is appended to a caller-owned
 * pg_buf whose max caps the size. The handle setup is shared with the
 * GitLab client. */
#ifndef PG_HTTP_H
#define PG_HTTP_H

#include <curl/curl.h>

#include "buf.h"
#include "err.h"

struct pg_http_opts {
	double timeout_s; /* whole transfer; 0: 10 s */
	int netns_fd;	  /* -1: the caller's namespace */
};

#define PG_HTTP_OPTS_INIT \
	{                 \
		0, -1     \
	}

/* GET url into body. A transport failure, timeout or non-2xx status is
 * PG_EINFRA with the URL and cause; *status gets the HTTP status (0 if none).
 * status may be NULL. */
int pg_http_get(const char *url, const struct pg_http_opts *o, struct pg_buf *body, long *status,
		struct pg_err *err);

/* Load and initialise libcurl, once per process; every transfer starts here. */
int pg_http_begin(struct pg_err *err);

/* What every perfgate transfer sets on its handle: url, http(s) only, no
 * signals, errbuf (CURL_ERROR_SIZE) for the cause, the body to sink(data),
 * the whole transfer bounded by timeout_ms and aborted on SIGINT/SIGTERM. */
void pg_http_setup(CURL *h, const char *url, curl_write_callback sink, void *data, long timeout_ms,
		   char *errbuf);

#endif
