/* Fuzz the path of a pprof HTTP response body: pg_capture_add_profile
 * parses what the service sent (gzip or raw protobuf), aggregates it into
 * the result's top functions and merges it into the kept profile (pprof's
 * merge of the runs), twice as for two runs. A body it rejects is an error of the profile, named in
 * the result's profile_error, and leaves no kept bytes. */
#include <stdint.h>

#include "buf.h"
#include "capture_priv.h"
#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_buf body = PG_BUF_INIT(64 << 20), kept = PG_BUF_INIT(64 << 20);
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;
	int rc, i;

	pg_result_init(&r);
	if (pg_buf_append(&body, data, size, &err))
		goto out;
	for (i = 0; i < 2; i++) {
		rc = pg_capture_add_profile(&r, &kept, &body, &err);
		/* merged into the kept profile when used; rejected, it is named
		 * and not kept */
		if (rc == 0 && !r.profile_error && !kept.len)
			__builtin_trap();
		if (rc == 0 && r.profile_error && (kept.len || !r.profile_error[0]))
			__builtin_trap();
		if (rc && ((rc != PG_EINFRA && rc != PG_ENOMEM && rc != PG_EINPUT) || !err.msg[0]))
			__builtin_trap();
		if (rc)
			break;
	}
out:
	pg_result_release(&r);
	pg_buf_release(&kept);
	pg_buf_release(&body);
	return 0;
}
