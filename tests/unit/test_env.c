#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "env.h"

static void test_env_later_key_wins(void **state)
{
	const char *keys[] = { "PG_T", "PG_T" }, *vals[] = { "1", "2" };
	struct pg_err err = PG_ERR_INIT;
	char **env = NULL;
	int n = 0;

	(void)state;
	setenv("PG_T", "0", 1);
	assert_int_equal(pg_env_build(&env, keys, vals, 2, &err), 0);
	for (char **e = env; *e; e++)
		if (!strncmp(*e, "PG_T=", 5)) {
			n++;
			assert_string_equal(*e, "PG_T=2");
		}
	assert_int_equal(n, 1);
	pg_env_free(env);
	unsetenv("PG_T");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_later_key_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
