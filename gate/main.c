#include <stdio.h>

#include "cli.h"
#include "err.h"
#include "sig.h"

int main(int argc, char **argv)
{
	struct pg_err err = PG_ERR_INIT;
	int rc;

	pg_sig_install();
	rc = pg_cli_run(argc, argv, &err);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "perfgate: cannot write standard output\n");
		return rc < 0 ? pg_err_exit_status(rc) : 3;
	}
	if (rc < 0)
		fprintf(stderr, "perfgate: %s\n", err.msg[0] ? err.msg : "unknown error");
	else if (rc == PG_REGRESSION && err.msg[0])
		fprintf(stderr, "perfgate: %s\n", err.msg);
	return pg_err_exit_status(rc);
}
