#include "cli.h"

const char pg_usage_baseline[] = "usage: perfgate baseline\n";

int pg_cmd_baseline(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'baseline' is not built yet");
}
