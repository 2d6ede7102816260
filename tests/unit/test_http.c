/* http.c against a real loopback HTTP server running on a thread of this
 * test (canned answers by path), and, as root, against one inside a network
 * namespace of its own that only the netns_fd path can reach. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"
#include "netns.h"
#include "sig.h"

#define BIG_BODY 65536

struct server {
	int netns_fd; /* -1: ours */
	int lfd;
	int port;
	volatile int stop;
	sem_t ready;
	pthread_t thread;
	int started;
	struct pg_netns ns;
};

static void send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Read the request head; 0 once a blank line arrived, -1 on EOF or stop. */
static int read_request(struct server *s, int fd, char *buf, size_t n)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t len = 0;
	ssize_t r;

	while (!s->stop && len < n - 1) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		r = read(fd, buf + len, n - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			return 0;
	}
	return -1;
}

/* /hang: say nothing until the client gives up (EOF) or the test ends. */
static void hang(struct server *s, int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;

	while (!s->stop)
		if (poll(&p, 1, 100) > 0 && read(fd, &c, 1) <= 0)
			return;
}

static void answer(struct server *s, int fd)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
				 "Connection: close\r\n\r\nhello";
	static const char missing[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n"
				      "Connection: close\r\n\r\nnope";
	char req[4096], head[128];
	char *big;

	if (read_request(s, fd, req, sizeof(req)))
		return;
	if (!strncmp(req, "GET /ok ", 8)) {
		send_all(fd, ok, sizeof(ok) - 1);
	} else if (!strncmp(req, "GET /big ", 9)) {
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n",
			 BIG_BODY);
		send_all(fd, head, strlen(head));
		big = calloc(1, BIG_BODY);
		if (big)
			send_all(fd, big, BIG_BODY);
		free(big);
	} else if (!strncmp(req, "GET /hang ", 10)) {
		hang(s, fd);
	} else {
		send_all(fd, missing, sizeof(missing) - 1);
	}
}

static int listen_loopback(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* The listening socket is made on this thread, after setns when asked, so
 * it lives in the namespace under test. */
static void *serve(void *arg)
{
	struct server *s = arg;
	struct pollfd p;
	int fd;

	if (s->netns_fd < 0 || setns(s->netns_fd, CLONE_NEWNET) == 0)
		s->lfd = listen_loopback(&s->port);
	sem_post(&s->ready);
	if (s->lfd < 0)
		return NULL;
	p.fd = s->lfd;
	p.events = POLLIN;
	while (!s->stop) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		answer(s, fd);
		close(fd);
	}
	close(s->lfd);
	return NULL;
}

static int server_start(struct server *s)
{
	s->lfd = -1;
	s->stop = 0;
	sem_init(&s->ready, 0, 0);
	if (pthread_create(&s->thread, NULL, serve, s))
		return -1;
	s->started = 1;
	sem_wait(&s->ready);
	return s->lfd >= 0 ? 0 : -1;
}

static int setup_alloc(void **state)
{
	struct server *s = calloc(1, sizeof(*s));
	struct pg_netns init = PG_NETNS_INIT;

	if (!s)
		return -1;
	s->ns = init;
	s->netns_fd = -1;
	*state = s;
	return 0;
}

static int setup_server(void **state)
{
	return setup_alloc(state) ? -1 : server_start(*state);
}

static int teardown_server(void **state)
{
	struct server *s = *state;

	if (!s)
		return 0;
	s->stop = 1;
	if (s->started) {
		pthread_join(s->thread, NULL);
		sem_destroy(&s->ready);
	}
	pg_netns_release(&s->ns);
	free(s);
	return 0;
}

static void url_of(char *out, size_t n, const struct server *s, const char *path)
{
	snprintf(out, n, "http://127.0.0.1:%d%s", s->port, path);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void test_http_get_200(void **state)
{
	struct pg_http_opts o = PG_HTTP_OPTS_INIT;
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128];
	long status;

	url_of(url, sizeof(url), *state, "/ok");
	assert_int_equal(pg_http_get(url, &o, &body, &status, &err), 0);
	assert_int_equal(status, 200);
	assert_int_equal(body.len, 5);
	assert_string_equal(body.data, "hello");
	pg_buf_release(&body);
	/* NULL opts and status are allowed. */
	assert_int_equal(pg_http_get(url, NULL, &body, NULL, &err), 0);
	assert_string_equal(body.data, "hello");
	pg_buf_release(&body);
}

static void test_http_get_404_is_infra(void **state)
{
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128], want[192];
	long status;

	url_of(url, sizeof(url), *state, "/missing");
	assert_int_equal(pg_http_get(url, NULL, &body, &status, &err), PG_EINFRA);
	assert_int_equal(status, 404);
	snprintf(want, sizeof(want), "GET '%s' failed: HTTP 404", url);
	assert_string_equal(err.msg, want);
	pg_buf_release(&body);
}

static void test_http_get_over_cap(void **state)
{
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128];

	url_of(url, sizeof(url), *state, "/big");
	assert_int_equal(pg_http_get(url, NULL, &body, NULL, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "response larger than 1024 bytes"));
	assert_true(body.len <= 1024);
	pg_buf_release(&body);
	/* The same body fits under a larger cap. */
	body.max = BIG_BODY;
	assert_int_equal(pg_http_get(url, NULL, &body, NULL, &err), 0);
	assert_int_equal(body.len, BIG_BODY);
	pg_buf_release(&body);
}

static void test_http_get_timeout(void **state)
{
	struct pg_http_opts o = { 1, -1 };
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128];
	double t0, took;

	url_of(url, sizeof(url), *state, "/hang");
	t0 = now_s();
	assert_int_equal(pg_http_get(url, &o, &body, NULL, &err), PG_EINFRA);
	took = now_s() - t0;
	assert_non_null(strstr(err.msg, "no response within 1 s"));
	assert_true(took >= 0.9 && took < 3);
	/* a fraction of a second reads as one, not as "0.794229 s" */
	o.timeout_s = 0.794229;
	assert_int_equal(pg_http_get(url, &o, &body, NULL, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "no response within 0.8 s"));
	pg_buf_release(&body);
}

static void test_http_get_refused(void **state)
{
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128];
	long status = -1;
	int fd, port;

	(void)state;
	/* A port that was just free and has nobody listening on it. */
	fd = listen_loopback(&port);
	assert_true(fd >= 0);
	close(fd);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	assert_int_equal(pg_http_get(url, NULL, &body, &status, &err), PG_EINFRA);
	assert_int_equal(status, 0);
	assert_non_null(strstr(err.msg, "failed: "));
	assert_non_null(strstr(err.msg, "onnect"));
	pg_buf_release(&body);
}

static void test_http_get_only_http(void **state)
{
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_http_get("file:///etc/passwd", NULL, &body, NULL, &err), PG_EINFRA);
	assert_string_equal(err.msg,
			    "GET 'file:///etc/passwd' failed: only http:// and https:// URLs");
	assert_int_equal(pg_http_get("ftp://127.0.0.1/", NULL, &body, NULL, &err), PG_EINFRA);
	pg_buf_release(&body);
}

static int netns_ino(char *out, size_t n)
{
	ssize_t r = readlink("/proc/thread-self/ns/net", out, n - 1);

	if (r < 0)
		return -1;
	out[r] = '\0';
	return 0;
}

/* A server inside a fresh namespace: reachable through netns_fd only, and
 * the fetch leaves the caller's own namespace as it was. */
static void test_http_get_in_netns(void **state)
{
	struct pg_http_opts o = PG_HTTP_OPTS_INIT;
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	struct server *s = *state;
	char url[128], before[64], after[64];

	if (geteuid() != 0) {
		print_message("skipped: a network namespace needs root\n");
		skip();
	}
	assert_int_equal(pg_netns_create(&s->ns, 0, &err), 0);
	s->netns_fd = s->ns.fd;
	assert_int_equal(server_start(s), 0);
	assert_int_equal(netns_ino(before, sizeof(before)), 0);
	url_of(url, sizeof(url), s, "/ok");
	o.netns_fd = s->ns.fd;
	assert_int_equal(pg_http_get(url, &o, &body, NULL, &err), 0);
	assert_string_equal(body.data, "hello");
	assert_int_equal(netns_ino(after, sizeof(after)), 0);
	assert_string_equal(before, after);
	pg_buf_release(&body);
	/* From our own namespace nothing listens there. */
	assert_int_equal(pg_http_get(url, NULL, &body, NULL, &err), PG_EINFRA);
	pg_buf_release(&body);
	/* A descriptor that is not a namespace is a clear infra error. */
	o.netns_fd = STDIN_FILENO;
	assert_int_equal(pg_http_get(url, &o, &body, NULL, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "cannot enter network namespace"));
	pg_buf_release(&body);
}

static void *send_sigterm(void *arg)
{
	(void)arg;
	usleep(300 * 1000);
	kill(getpid(), SIGTERM);
	return NULL;
}

/* Last: the pending signal cannot be cleared. A hanging fetch with a long
 * timeout ends within about a second of SIGTERM. */
static void test_http_get_aborts_on_signal(void **state)
{
	struct pg_http_opts o = { 30, -1 };
	struct pg_buf body = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char url[128];
	pthread_t t;
	double t0;

	pg_sig_install();
	url_of(url, sizeof(url), *state, "/hang");
	assert_int_equal(pthread_create(&t, NULL, send_sigterm, NULL), 0);
	t0 = now_s();
	assert_int_equal(pg_http_get(url, &o, &body, NULL, &err), PG_EINFRA);
	assert_true(now_s() - t0 < 2.5);
	pthread_join(t, NULL);
	assert_non_null(strstr(err.msg, "interrupted by signal 15"));
	pg_buf_release(&body);
}

#define SERVED(f) cmocka_unit_test_setup_teardown(f, setup_server, teardown_server)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SERVED(test_http_get_200),
		SERVED(test_http_get_404_is_infra),
		SERVED(test_http_get_over_cap),
		SERVED(test_http_get_timeout),
		cmocka_unit_test(test_http_get_refused),
		cmocka_unit_test(test_http_get_only_http),
		cmocka_unit_test_setup_teardown(test_http_get_in_netns, setup_alloc,
						teardown_server),
		SERVED(test_http_get_aborts_on_signal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
