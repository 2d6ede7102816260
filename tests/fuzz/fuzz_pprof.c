/* libFuzzer target: pg_profile_parse on untrusted bytes, then the whole
 * -top path (aggregation, trimming, labels and text) on what parsed. */
#include <stdint.h>
#include <stdio.h>

#include "pprof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void top(const struct pg_profile *p, const char *spec, double nf, size_t n, FILE *sink)
{
	struct pg_top_opts o = { nf, n, 0.001 };
	struct pg_err err = PG_ERR_INIT;
	struct pg_top t;
	int si;

	if (pg_profile_sample_index(p, spec, &si, &err))
		return;
	if (pg_profile_top_opts(p, si, &o, &t, &err))
		return;
	pg_top_write_text(sink, p, &t, &err);
	pg_top_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (pg_profile_parse(&p, data, size, &err))
		return 0;
	top(p, NULL, 0.005, 0, sink);
	top(p, "0", 0, 3, sink);
	pg_profile_free(p);
	return 0;
}
