#include "cli.h"

const char pg_usage_capture[] = "usage: perfgate capture\n";

int pg_cmd_capture(int argc, char **argv, struct pg_err *err)
{
	(void)argc;
	(void)argv;
	return pg_err_set(err, PG_EUSAGE, "'capture' is not built yet");
}
