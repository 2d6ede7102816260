#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

static int run(struct pg_err *err, int argc, char **argv)
{
	int saved, null, rc;

	/* Usage text goes to stdout; keep the test log readable. */
	fflush(stdout);
	saved = dup(1);
	null = open("/dev/null", O_WRONLY);
	assert_true(saved >= 0 && null >= 0);
	dup2(null, 1);
	rc = pg_cli_run(argc, argv, err);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	return rc;
}

static void test_cli_dispatch(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	char *none[] = { "perfgate", NULL };
	char *help[] = { "perfgate", "--help", NULL };
	char *version[] = { "perfgate", "--version", NULL };
	char *bogus[] = { "perfgate", "frobnicate", NULL };
	char *cmdhelp[] = { "perfgate", "profile", "top", "--help", NULL };

	(void)state;
	assert_int_equal(run(&err, 1, none), PG_EUSAGE);
	assert_non_null(strstr(err.msg, "no command"));
	assert_int_equal(run(&err, 2, help), 0);
	assert_int_equal(run(&err, 2, version), 0);
	assert_int_equal(run(&err, 2, bogus), PG_EUSAGE);
	assert_string_equal(err.msg,
			    "'frobnicate' is not a perfgate command; see 'perfgate --help'");
	assert_int_equal(run(&err, 4, cmdhelp), 0);
}

/* A long option without its value is named as typed, not by the short code
 * getopt keeps for it (--format once read "option '-f'"). */
static void test_cli_missing_value(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	char *format[] = { "perfgate", "compare", "a.json", "b.json", "--format", NULL };
	char *bogus[] = { "perfgate", "compare", "a.json", "b.json", "--bogus=1", NULL };

	(void)state;
	assert_int_equal(run(&err, 5, format), PG_EUSAGE);
	assert_string_equal(err.msg, "option '--format' is unknown or needs a value; "
				     "see 'perfgate compare --help'");
	assert_int_equal(run(&err, 5, bogus), PG_EUSAGE);
	assert_non_null(strstr(err.msg, "option '--bogus' is unknown"));
}

/* Options that contradict each other are refused, not decided by order. */
static void test_cli_contradiction(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	char *both[] = { "perfgate", "check", "--interleaved", "--duet", NULL };

	(void)state;
	assert_int_equal(run(&err, 4, both), PG_EUSAGE);
	assert_string_equal(err.msg, "--duet and --interleaved exclude each other");
}

static void test_cli_parse_numbers(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	unsigned long u = 0;
	double d = 0;

	(void)state;
	assert_int_equal(pg_cli_parse_uint("12", "--runs", 100, &u, &err), 0);
	assert_int_equal(u, 12);
	assert_int_equal(pg_cli_parse_uint("101", "--runs", 100, &u, &err), PG_EUSAGE);
	assert_int_equal(pg_cli_parse_uint("-1", "--runs", 100, &u, &err), PG_EUSAGE);
	assert_int_equal(pg_cli_parse_uint("", "--runs", 100, &u, &err), PG_EUSAGE);
	assert_int_equal(pg_cli_parse_uint("3x", "--runs", 100, &u, &err), PG_EUSAGE);
	assert_string_equal(err.msg, "--runs takes a whole number from 0 to 100, not '3x'");
	assert_int_equal(pg_cli_parse_double("12.5", "--threshold", 0, 1000, &d, &err), 0);
	assert_true(d == 12.5);
	assert_int_equal(pg_cli_parse_double("nan", "--threshold", 0, 1000, &d, &err), PG_EUSAGE);
	assert_int_equal(pg_cli_parse_double("1e400", "--threshold", 0, 1000, &d, &err), PG_EUSAGE);
}

static void test_cli_exit_status(void **state)
{
	(void)state;
	assert_int_equal(pg_err_exit_status(PG_OK), 0);
	assert_int_equal(pg_err_exit_status(PG_REGRESSION), 1);
	assert_int_equal(pg_err_exit_status(PG_EUSAGE), 2);
	assert_int_equal(pg_err_exit_status(PG_EINPUT), 2);
	assert_int_equal(pg_err_exit_status(PG_EINFRA), 3);
	assert_int_equal(pg_err_exit_status(PG_ENOMEM), 3);
	assert_int_equal(pg_err_exit_status(PG_ENOBASELINE), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_dispatch),	  cmocka_unit_test(test_cli_missing_value),
		cmocka_unit_test(test_cli_contradiction), cmocka_unit_test(test_cli_parse_numbers),
		cmocka_unit_test(test_cli_exit_status),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
