// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "cli.h"
#include "err.h"
#include "esc.h"
#include "sig.h"

int main(int argc, char **argv)
{
	struct pg_err err = PG_ERR_INIT;
	char msg[sizeof(err.msg) * 4];
	int rc;

	pg_sig_install();
	rc = pg_cli_run(argc, argv, &err);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "perfgate: cannot write standard output\n");
		return rc < 0 ? pg_err_exit_status(rc) : 3;
	}
	/* messages quote names from files and children: never raw controls */
	if (rc < 0)
		fprintf(stderr, "perfgate: %s\n",
			err.msg[0] ? pg_esc_text(msg, sizeof(msg), err.msg, 0) : "unknown error");
	else if (rc == PG_REGRESSION && err.msg[0])
		fprintf(stderr, "perfgate: %s\n", pg_esc_text(msg, sizeof(msg), err.msg, 0));
	return pg_err_exit_status(rc);
}
