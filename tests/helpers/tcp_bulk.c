/* tcp_bulk: bulk TCP traffic on loopback for the retransmit tests. The
 * server sends, so its retransmits are on sockets whose local port is the
 * listening port, as a real service's responses are.
 *
 * usage: tcp_bulk serve PORT      accept connections one at a time and send
 *                                 to each until it closes (runs until killed),
 *                                 16 KiB per 500 us: about 30 MB/s, paced so
 *                                 that loopback never overflows a queue and
 *                                 every retransmit is due to the test's drops
 *        tcp_bulk client PORT S   connect to 127.0.0.1:PORT, read for S
 *                                 seconds, print "bytes=N", exit 0 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int serve(int port)
{
	struct sockaddr_in a = loopback(port);
	static char buf[16384];
	int one = 1, ls, c;

	signal(SIGPIPE, SIG_IGN);
	memset(buf, 'x', sizeof(buf));
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 16)) {
		perror("tcp_bulk: listen");
		return 1;
	}
	for (;;) {
		c = accept(ls, NULL, NULL);
		if (c < 0)
			continue;
		while (write(c, buf, sizeof(buf)) > 0)
			usleep(500);
		close(c);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int client(int port, double seconds)
{
	struct sockaddr_in a = loopback(port);
	struct timeval tv = { 0, 200000 };
	static char buf[65536];
	double end = now() + seconds;
	long long total = 0;
	ssize_t n;
	int s, i;

	for (i = 0; i < 50; i++) { /* the server may still be starting */
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
		close(s);
		s = -1;
		usleep(100000);
	}
	if (s < 0) {
		perror("tcp_bulk: connect");
		return 1;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (now() < end) {
		n = read(s, buf, sizeof(buf));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
		total += n > 0 ? n : 0;
	}
	close(s);
	printf("bytes=%lld\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "client"))
		return client(atoi(argv[2]), atof(argv[3]));
	fprintf(stderr, "usage: tcp_bulk serve PORT | tcp_bulk client PORT SECONDS\n");
	return 2;
}
