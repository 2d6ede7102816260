#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dynlib.h"

/* Every function of the table resolves, and a call through it reaches the
 * real library: libgit2 counts its initialisations, libcurl names its codes. */
static void test_dynlib_loads_and_calls(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	void *const *p;
	size_t i;

	(void)state;
	assert_int_equal(pg_libgit2_load(&err), 0);
	assert_int_equal(pg_libcurl_load(&err), 0);
	p = (void *const *)&pg_libgit2;
	for (i = 0; i < sizeof(pg_libgit2) / sizeof(void *); i++)
		assert_non_null(p[i]);
	p = (void *const *)&pg_libcurl;
	for (i = 0; i < sizeof(pg_libcurl) / sizeof(void *); i++)
		assert_non_null(p[i]);
	assert_int_equal(pg_libgit2.libgit2_init(), 1);
	assert_int_equal(pg_libgit2.libgit2_shutdown(), 0);
	assert_string_equal(pg_libcurl.easy_strerror(CURLE_OK), "No error");
}

/* A second load is the first one's outcome, not a second dlopen. */
static void test_dynlib_load_once(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	void *before;

	(void)state;
	assert_int_equal(pg_libgit2_load(&err), 0);
	before = (void *)pg_libgit2.libgit2_init;
	assert_int_equal(pg_libgit2_load(&err), 0);
	assert_ptr_equal(before, (void *)pg_libgit2.libgit2_init);
	assert_int_equal(err.code, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dynlib_loads_and_calls),
		cmocka_unit_test(test_dynlib_load_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
