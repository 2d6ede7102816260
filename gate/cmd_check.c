#include "cli.h"

const char pg_usage_check[] = "usage: perfgate check\n";

int pg_cmd_check(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'check' is not built yet");
}
