/* The load script run against real processes (root: cgroups): what the
 * script leaves behind (`sleep &`, `setsid sleep &`) is gone when
 * pg_loadrun returns, and a metrics file swapped for a FIFO is an error,
 * not a hang. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "loadrun.h"

static int need_root(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: the load script's cgroup needs root\n");
		return -1;
	}
	return 0;
}

static int run_script(const char *script, struct pg_err *err)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	struct pg_load_cfg cfg = { argv, 3, 1, 0, NULL, 0 };
	struct pg_loadrun r = { &cfg, "http://127.0.0.1:1", 1, -1, -1, 0, NULL, NULL };
	struct pg_loadmetric *m = NULL;
	size_t n = 0;
	int rc;

	rc = pg_loadrun(&r, &m, &n, err);
	pg_loadmetrics_free(m, n);
	return rc;
}

static int running(const char *pattern)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "pgrep -f '%s' >/dev/null",
		 pattern); /* [s]leep: not this shell */
	return system(cmd) == 0;
}

static void test_loadrun_kills_leftovers(void **state)
{
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	if (need_root(state))
		skip();
	assert_int_equal(run_script("sleep 22271 & setsid sleep 33371 & "
				    "echo '{\"requests\": 5}' > \"$PERFGATE_METRICS_FILE\"",
				    &err),
			 0);
	assert_false(running("[s]leep 22271"));
	assert_false(running("[s]leep 33371"));
}

static void test_loadrun_metrics_fifo(void **state)
{
	struct pg_err err = PG_ERR_INIT;

	(void)state;
	if (need_root(state))
		skip();
	alarm(20);
	assert_int_equal(run_script("rm \"$PERFGATE_METRICS_FILE\" && "
				    "mkfifo \"$PERFGATE_METRICS_FILE\"",
				    &err),
			 PG_EINFRA);
	alarm(0);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loadrun_kills_leftovers),
		cmocka_unit_test(test_loadrun_metrics_fifo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
