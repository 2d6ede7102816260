#include "cli.h"

const char pg_usage_profile[] = "usage: perfgate profile\n";

int pg_cmd_profile(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'profile' is not built yet");
}
