#include "cli.h"

const char pg_usage_compare[] = "usage: perfgate compare\n";

int pg_cmd_compare(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'compare' is not built yet");
}
