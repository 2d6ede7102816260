/* Go build info: the version of a real Go binary (the demo workload), of a
 * synthetic blob as Go 1.24 writes it, none for a C binary; and which
 * version and kernel pairs go through the vDSO for getrandom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "goinfo.h"

static void test_goinfo_reads_the_demo_workload(void **state)
{
	const char *build = getenv("BUILD");
	struct pg_err err = PG_ERR_INIT;
	char path[4096], v[64];

	(void)state;
	snprintf(path, sizeof(path), "%s/orders-api", build ? build : "build");
	if (access(path, R_OK)) {
		print_message("SKIP: %s is not built\n", path);
		skip();
	}
	assert_int_equal(pg_goinfo_version(path, v, sizeof(v), &err), 0);
	print_message("  %s: %s\n", path, v);
	assert_int_equal(strncmp(v, "go1.", 4), 0);
}

/* 40 bytes of padding, then a blob at offset 48 (16-aligned) and a decoy
 * magic at an odd offset before it. */
static void test_goinfo_reads_a_synthetic_blob(void **state)
{
	char path[] = "/tmp/pg-goinfo-XXXXXX", v[64];
	struct pg_err err = PG_ERR_INIT;
	unsigned char buf[128];
	FILE *f;
	int fd;

	(void)state;
	memset(buf, 0, sizeof(buf));
	memcpy(buf + 3, "\xff Go buildinf:", 14);
	memcpy(buf + 48, "\xff Go buildinf:", 14);
	buf[48 + 14] = 8;
	buf[48 + 15] = 2;
	buf[48 + 32] = 8;
	memcpy(buf + 48 + 33, "go1.24.3", 8);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_int_equal(fwrite(buf, 1, sizeof(buf), f), sizeof(buf));
	fclose(f);
	assert_int_equal(pg_goinfo_version(path, v, sizeof(v), &err), 0);
	assert_string_equal(v, "go1.24.3");
	assert_int_equal(pg_goinfo_version(path, v, 4, &err), PG_EINPUT); /* too small */
	unlink(path);
	assert_int_equal(pg_goinfo_version("/bin/true", v, sizeof(v), &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "no Go build info"));
	assert_int_equal(pg_goinfo_version("/nonexistent", v, sizeof(v), &err), PG_EINPUT);
}

static void test_goinfo_vdso_getrandom(void **state)
{
	(void)state;
	assert_true(pg_goinfo_vdso_getrandom("go1.24.3", "6.18.0-1-amd64"));
	assert_true(pg_goinfo_vdso_getrandom("go1.25rc1", "6.11.0"));
	assert_true(pg_goinfo_vdso_getrandom("go2.0", "7.0"));
	assert_false(pg_goinfo_vdso_getrandom("go1.23.9", "6.18.0"));
	assert_false(pg_goinfo_vdso_getrandom("go1.24.3", "6.10.14"));
	assert_false(pg_goinfo_vdso_getrandom("go1.19.8", "6.1.0"));
	assert_false(pg_goinfo_vdso_getrandom(NULL, "6.18"));
	assert_false(pg_goinfo_vdso_getrandom("devel", "6.18"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goinfo_reads_the_demo_workload),
		cmocka_unit_test(test_goinfo_reads_a_synthetic_blob),
		cmocka_unit_test(test_goinfo_vdso_getrandom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
