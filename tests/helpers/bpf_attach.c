/* bpf_attach: load a BPF object and attach the named programs (or all),
 * then hold them until SIGINT/SIGTERM, for scripts/bench-probes.sh to
 * measure what a hook costs with an empty program on it.
 *
 * usage: bpf_attach OBJECT [PROGRAM...]
 * Prints "attached N" on stdout once every link is up. Tracepoints need
 * tracefs; it is mounted in a private mount namespace, so nothing is left
 * mounted. The links go with the process. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 3)
		return 1;
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bpf_attach OBJECT [PROGRAM...]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) && errno != EBUSY)) {
		perror("bpf_attach: private tracefs");
		return 1;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "bpf_attach: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program (prog, obj) {
		if (!wanted(bpf_program__name(prog), argc, argv))
			continue;
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "bpf_attach: cannot attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			return 1;
		}
		n++;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("attached %d\n", n);
	fflush(stdout);
	while (!stop)
		pause();
	bpf_object__close(obj);
	return 0;
}
