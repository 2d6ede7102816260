/* libFuzzer target: the flame graph of untrusted profile bytes, alone and
 * against themselves (the differential path), written to /dev/null. */
#include <stdint.h>
#include <stdio.h>

#include "flame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	struct pg_err err = PG_ERR_INIT;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (pg_flame_svg(sink, NULL, 0, data, size, &err))
		return 0;
	pg_flame_svg(sink, data, size, data, size, &err);
	return 0;
}
