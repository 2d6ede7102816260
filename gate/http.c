// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "dynlib.h"
#include "http.h"
#include "url.h"
#include "sig.h"

#define DEFAULT_TIMEOUT_S 10.0
#define CONNECT_TIMEOUT_MS 5000L

/* One GET: its inputs, the body sink and the outcome, shared with the
 * thread that runs it inside a network namespace. */
struct get_job {
	const char *url;
	double timeout_s;
	int netns_fd;
	struct pg_buf *body;
	long status;
	int over_cap;
	int rc;
	struct pg_err *err;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
	curl_init_rc = pg_libcurl.global_init(CURL_GLOBAL_ALL);
}

int pg_http_begin(struct pg_err *err)
{
	int rc = pg_libcurl_load(err);

	if (rc)
		return rc;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK)
		return pg_err_set(err, PG_EINFRA, "cannot initialise libcurl: %s",
				  pg_libcurl.easy_strerror(curl_init_rc));
	return 0;
}

/* Returning less than n makes libcurl fail the transfer with
 * CURLE_WRITE_ERROR: that is how the size cap stops a large body early. */
static size_t on_body(char *p, size_t size, size_t nmemb, void *userdata)
{
	struct get_job *j = userdata;
	size_t n = size * nmemb;

	if (pg_buf_append(j->body, p, n, NULL)) {
		j->over_cap = 1;
		return 0;
	}
	return n;
}

/* libcurl calls this at least once a second even when no data moves, so a
 * SIGINT/SIGTERM aborts a hanging transfer within about a second. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)userdata, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return pg_sig_pending() != 0;
}

void pg_http_setup(CURL *h, const char *url, curl_write_callback sink, void *data, long timeout_ms,
		   char *errbuf)
{
	pg_libcurl.easy_setopt(h, CURLOPT_URL, url);
	pg_libcurl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	pg_libcurl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	pg_libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	pg_libcurl.easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	pg_libcurl.easy_setopt(h, CURLOPT_WRITEDATA, data);
	pg_libcurl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	pg_libcurl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	pg_libcurl.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	pg_libcurl.easy_setopt(h, CURLOPT_USERAGENT, "perfgate");
}

static void setup(CURL *h, struct get_job *j, char *errbuf)
{
	long total_ms = (long)(j->timeout_s * 1000);

	pg_http_setup(h, j->url, on_body, j, total_ms, errbuf);
	pg_libcurl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			       total_ms < CONNECT_TIMEOUT_MS ? total_ms : CONNECT_TIMEOUT_MS);
	/* Loopback and namespace-local targets: never a proxy from the env. */
	pg_libcurl.easy_setopt(h, CURLOPT_NOPROXY, "*");
}

/* Turn a finished transfer into PG_EINFRA with the most useful cause. */
static int transfer_error(struct get_job *j, CURLcode cc, const char *errbuf)
{
	if (j->over_cap)
		return pg_err_set(j->err, PG_EINFRA,
				  "GET '%s' failed: response larger than %zu bytes", j->url,
				  j->body->max);
	if (cc == CURLE_ABORTED_BY_CALLBACK)
		return pg_err_set(j->err, PG_EINFRA, "GET '%s' interrupted by signal %d", j->url,
				  pg_sig_pending());
	if (cc == CURLE_OPERATION_TIMEDOUT)
		/* whole seconds as such, a fraction to a tenth: "0.8 s" */
		return pg_err_set(j->err, PG_EINFRA, "GET '%s' failed: no response within %.*f s",
				  j->url, j->timeout_s == (long)j->timeout_s ? 0 : 1, j->timeout_s);
	return pg_err_set(j->err, PG_EINFRA, "GET '%s' failed: %s", j->url,
			  errbuf[0] ? errbuf : pg_libcurl.easy_strerror(cc));
}

static int run_get(struct get_job *j)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = NULL;
	CURLcode cc;
	int rc;

	rc = pg_buf_append(j->body, "", 0, j->err);
	if (rc)
		goto out;
	h = pg_libcurl.easy_init();
	if (!h) {
		rc = pg_err_set(j->err, PG_EINFRA, "GET '%s' failed: cannot set up libcurl",
				j->url);
		goto out;
	}
	setup(h, j, errbuf);
	cc = pg_libcurl.easy_perform(h);
	pg_libcurl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &j->status);
	if (cc != CURLE_OK) {
		rc = transfer_error(j, cc, errbuf);
		goto out;
	}
	if (j->status < 200 || j->status > 299)
		rc = pg_err_set(j->err, PG_EINFRA, "GET '%s' failed: HTTP %ld", j->url, j->status);
out:
	pg_libcurl.easy_cleanup(h);
	return rc;
}

/* setns() moves only the calling thread, so the caller's own namespace is
 * never touched; sockets libcurl opens here belong to the target one. */
static void *netns_thread(void *arg)
{
	struct get_job *j = arg;

	if (setns(j->netns_fd, CLONE_NEWNET) < 0)
		j->rc = pg_err_set(j->err, PG_EINFRA,
				   "GET '%s' failed: cannot enter network namespace: %s", j->url,
				   strerror(errno));
	else
		j->rc = run_get(j);
	return NULL;
}

int pg_http_get(const char *url, const struct pg_http_opts *o, struct pg_buf *body, long *status,
		struct pg_err *err)
{
	struct get_job j = { url, DEFAULT_TIMEOUT_S, -1, body, 0, 0, 0, err };
	pthread_t t;
	int rc;

	if (o && o->timeout_s > 0)
		j.timeout_s = o->timeout_s;
	if (o)
		j.netns_fd = o->netns_fd;
	if (status)
		*status = 0;
	if (!pg_url_is_http(url))
		return pg_err_set(err, PG_EINFRA, "GET '%s' failed: only http:// and https:// URLs",
				  url);
	rc = pg_http_begin(err);
	if (rc)
		return rc;
	if (j.netns_fd < 0) {
		rc = run_get(&j);
	} else {
		rc = pthread_create(&t, NULL, netns_thread, &j);
		if (rc)
			return pg_err_set(err, PG_EINFRA,
					  "GET '%s' failed: cannot start thread: %s", url,
					  strerror(rc));
		pthread_join(t, NULL);
		rc = j.rc;
	}
	if (status)
		*status = j.status;
	return rc;
}
