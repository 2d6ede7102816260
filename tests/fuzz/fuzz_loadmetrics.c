/* Fuzz pg_loadmetrics_parse: a load script is arbitrary code, so its
 * metrics file is hostile input. Success means n >= 1 finite values with
 * names and a NULL terminator; failure is PG_EINPUT with a message. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_loadmetric *m = NULL;
	size_t i, n = 0;
	int rc;

	rc = pg_loadmetrics_parse(&m, &n, (const char *)data, size, &err);
	if (rc == 0) {
		if (!n || !m || m[n].key)
			__builtin_trap();
		for (i = 0; i < n; i++)
			if (!m[i].key || !m[i].key[0] || !isfinite(m[i].value))
				__builtin_trap();
	} else if ((rc != PG_EINPUT && rc != PG_ENOMEM) || m || n || !err.msg[0]) {
		__builtin_trap();
	}
	pg_loadmetrics_free(m, n);
	return 0;
}
