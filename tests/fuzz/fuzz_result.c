/* Fuzz pg_result_parse: baseline files come from merge requests and
 * result.json from anyone, so the reader is hostile-input code. A parse
 * that succeeds must survive the round trip through pg_result_to_json;
 * a failure is PG_EINPUT or PG_ENOMEM with a message; a syntax error
 * never quotes jansson's "near '<token>'" of the input. */
#include <stdint.h>
#include <string.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r, back;
	json_t *j;
	int rc;

	pg_result_init(&r);
	rc = pg_result_parse(&r, (const char *)data, size, "fuzz", &err);
	if (rc == 0) {
		j = pg_result_to_json(&r);
		if (!j)
			__builtin_trap();
		pg_result_init(&back);
		/* what perfgate writes, it must read back */
		if (pg_result_from_json(&back, j, "round trip", &err) == PG_EINPUT)
			__builtin_trap();
		if (back.nmetrics != r.nmetrics)
			__builtin_trap();
		pg_result_release(&back);
		json_decref(j);
	} else if ((rc != PG_EINPUT && rc != PG_ENOMEM) || !err.msg[0] ||
		   (strstr(err.msg, "malformed JSON") && strstr(err.msg, " near '"))) {
		__builtin_trap();
	}
	pg_result_release(&r);
	return 0;
}
