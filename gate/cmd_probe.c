#include "cli.h"

const char pg_usage_probe[] = "usage: perfgate probe\n";

int pg_cmd_probe(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'probe' is not built yet");
}
