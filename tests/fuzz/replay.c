/* Standalone driver for the fuzz targets: feeds every regular file of the
 * directories (or files) given on the command line to
 * LLVMFuzzerTestOneInput, so `make test` replays the seed corpora without
 * libFuzzer. Prints how many inputs ran; exits 1 if none could be read. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	struct pg_buf b = PG_BUF_INIT(64 << 20);
	struct pg_err err = PG_ERR_INIT;

	if (pg_buf_read_file(&b, path, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
	pg_buf_release(&b);
	return 0;
}

static int run_dir(const char *dir, size_t *ran)
{
	struct dirent *e;
	char path[4096];
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path) == 0)
			(*ran)++;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	struct stat st;
	size_t ran = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &ran) : run_file(argv[i]))
			return 1;
		if (!S_ISDIR(st.st_mode))
			ran++;
	}
	printf("replay: %zu inputs ran\n", ran);
	return ran ? 0 : 1;
}
