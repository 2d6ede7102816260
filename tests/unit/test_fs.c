#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "fs.h"
#include "scratch.h"

static int setup(void **state)
{
	char *dir = pg_scratch_new("fs");

	assert_non_null(dir);
	*state = dir;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(pg_scratch_free(*state), 0);
	return 0;
}

static int count_entries(const char *dir)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void test_fs_write_atomic_replaces(void **state)
{
	const char *dir = *state;
	struct pg_buf b = PG_BUF_INIT(1024);
	char path[256];

	snprintf(path, sizeof(path), "%s/f.json", dir);
	assert_int_equal(pg_fs_write_atomic(path, "one", 3, 0, NULL), 0);
	assert_int_equal(pg_fs_write_atomic(path, "second", 6, 0, NULL), 0);
	assert_int_equal(pg_buf_read_file(&b, path, NULL), 0);
	assert_string_equal(b.data, "second");
	assert_int_equal(count_entries(dir), 1);
	pg_buf_release(&b);
}

static void test_fs_write_atomic_excl_refuses(void **state)
{
	const char *dir = *state;
	struct pg_buf b = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char path[256];

	snprintf(path, sizeof(path), "%s/f.json", dir);
	assert_int_equal(pg_fs_write_atomic(path, "one", 3, 1, NULL), 0);
	assert_int_equal(pg_fs_write_atomic(path, "two", 3, 1, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "file exists"));
	assert_int_equal(pg_buf_read_file(&b, path, NULL), 0);
	assert_string_equal(b.data, "one");
	assert_int_equal(count_entries(dir), 1);
	pg_buf_release(&b);
}

static void test_fs_write_atomic_missing_dir_leaves_nothing(void **state)
{
	const char *dir = *state;
	struct pg_err err = PG_ERR_INIT;
	char path[256];

	snprintf(path, sizeof(path), "%s/no/such/f.json", dir);
	assert_int_equal(pg_fs_write_atomic(path, "x", 1, 0, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "cannot create"));
	assert_int_equal(count_entries(dir), 0);
}

static void test_fs_write_atomic_keeps_devices(void **state)
{
	struct stat st;

	(void)state;
	assert_int_equal(pg_fs_write_atomic("/dev/null", "x", 1, 0, NULL), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(pg_fs_write_atomic("/dev/null", "x", 1, 1, NULL), PG_EINPUT);
}

/* A full device is the machine's failure (exit 3), a missing directory the
 * caller's (exit 2; test_fs_write_atomic_missing_dir_leaves_nothing). */
static void test_fs_write_full_device_is_infra(void **state)
{
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	assert_int_equal(pg_fs_write_atomic("/dev/full", "x", 1, 0, &err), PG_EINFRA);
	assert_non_null(strstr(err.msg, "No space left"));
}

static void test_fs_mkdirs(void **state)
{
	const char *dir = *state;
	struct pg_err err = PG_ERR_INIT;
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/a/b/c", dir);
	assert_int_equal(pg_fs_mkdirs(path, &err), 0);
	assert_int_equal(pg_fs_mkdirs(path, &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(pg_fs_exists(path));
	snprintf(path, sizeof(path), "%s/a/b/c/f", dir);
	assert_int_equal(pg_fs_write_atomic(path, "", 0, 0, NULL), 0);
	snprintf(path, sizeof(path), "%s/a/b/c/f/g", dir);
	assert_int_equal(pg_fs_mkdirs(path, &err), PG_EINPUT);
}

static void test_buf_cap_and_file_kinds(void **state)
{
	const char *dir = *state;
	struct pg_buf b = PG_BUF_INIT(4);
	struct pg_err err = PG_ERR_INIT;
	char path[256];

	assert_int_equal(pg_buf_append(&b, "abcd", 4, &err), 0);
	assert_int_equal(pg_buf_append(&b, "e", 1, &err), PG_EINPUT);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "abcd");
	pg_buf_release(&b);

	snprintf(path, sizeof(path), "%s/big", dir);
	assert_int_equal(pg_fs_write_atomic(path, "12345", 5, 0, NULL), 0);
	assert_int_equal(pg_buf_read_file(&b, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "larger than 4 bytes"));
	pg_buf_release(&b);

	assert_int_equal(pg_buf_read_file(&b, dir, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(pg_buf_read_file(&b, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "No such file"));
	pg_buf_release(&b);
}

static void test_buf_empty_file_is_empty_string(void **state)
{
	const char *dir = *state;
	struct pg_buf b = PG_BUF_INIT(16);
	char path[256];

	snprintf(path, sizeof(path), "%s/empty", dir);
	assert_int_equal(pg_fs_write_atomic(path, "", 0, 0, NULL), 0);
	assert_int_equal(pg_buf_read_file(&b, path, NULL), 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	pg_buf_release(&b);
}

/* A FIFO nobody reads, read or written: refused at once, never a hang
 * (a load script can swap its metrics file for one, a merge request can
 * symlink a baseline or report file to one). */
static void test_fs_fifo_never_blocks(void **state)
{
	const char *dir = *state;
	struct pg_buf b = PG_BUF_INIT(1024);
	struct pg_err err = PG_ERR_INIT;
	char path[256];

	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(pg_buf_read_file(&b, path, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(pg_fs_write_atomic(path, "x", 1, 0, &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "nobody reads"));
	alarm(0);
	pg_buf_release(&b);
}

/* Temp files of a writer that is gone (SIGKILL mid-write) are swept; a
 * live writer's and other files are kept. */
static void test_fs_sweep_temps(void **state)
{
	const char *dir = *state;
	char path[256];
	size_t removed = 0;
	pid_t dead;
	FILE *f;

	dead = fork();
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	snprintf(path, sizeof(path), "%s/x.pb.gz.tmp.%d.AbCdEf", dir, (int)dead);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/x.json.tmp.%d.AbCdEf", dir, (int)getppid());
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/x.json", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(pg_fs_sweep_temps(dir, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(count_entries(dir), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fs_write_atomic_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_write_atomic_excl_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_write_atomic_missing_dir_leaves_nothing,
						setup, teardown),
		cmocka_unit_test(test_fs_write_atomic_keeps_devices),
		cmocka_unit_test(test_fs_write_full_device_is_infra),
		cmocka_unit_test_setup_teardown(test_fs_mkdirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_cap_and_file_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_empty_file_is_empty_string, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fs_fifo_never_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fs_sweep_temps, setup, teardown),
	};

	return cmocka_run_group_tests_name("fs", tests, NULL, NULL);
}
