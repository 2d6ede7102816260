/* Inflating profiles (gate/pprof_gzip.c): concatenated members come out as
 * one stream, also when they outgrow the buffer the last member's trailer
 * sized; input libdeflate refuses gets zlib's reason for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "pprof_int.h"

#define DATA_LEN (1u << 20)

static uint8_t *data;

/* Text like a profile's strings: compressible, never one long run. */
static int make_data(void **state)
{
	uint32_t x = 7;
	size_t i;

	(void)state;
	data = malloc(DATA_LEN);
	if (!data)
		return -1;
	for (i = 0; i < DATA_LEN; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (uint8_t)("main.handler\n"[i % 13] + (x >> 28 == 0));
	}
	return 0;
}

static int free_data(void **state)
{
	(void)state;
	free(data);
	return 0;
}

/* gzip members of data[cut[i]..cut[i + 1]), appended to out. */
static size_t gzip_members(const size_t *cut, size_t n, uint8_t *out, size_t cap)
{
	size_t i, len = 0;
	z_stream zs;

	for (i = 0; i + 1 < n; i++) {
		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = data + cut[i];
		zs.avail_in = (uInt)(cut[i + 1] - cut[i]);
		zs.next_out = out + len;
		zs.avail_out = (uInt)(cap - len);
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		len += zs.total_out;
		deflateEnd(&zs);
	}
	return len;
}

static void assert_inflates(const uint8_t *gz, size_t len)
{
	struct pg_err err = PG_ERR_INIT;
	uint8_t *out = NULL;
	size_t out_len = 0;

	assert_int_equal(pp_gunzip(gz, len, &out, &out_len, &err), 0);
	assert_int_equal(out_len, DATA_LEN);
	assert_memory_equal(out, data, DATA_LEN);
	free(out);
}

static void test_gunzip_members(void **state)
{
	/* The last member's trailer sizes the buffer at 400 KB: the first
	 * two members, 600 KB, outgrow it. */
	const size_t one[] = { 0, DATA_LEN };
	const size_t three[] = { 0, DATA_LEN / 7, DATA_LEN * 3 / 5, DATA_LEN };
	size_t cap = DATA_LEN, len;
	uint8_t *gz = malloc(cap);

	(void)state;
	assert_non_null(gz);
	len = gzip_members(one, 2, gz, cap);
	assert_inflates(gz, len);
	len = gzip_members(three, 4, gz, cap);
	assert_inflates(gz, len);
	free(gz);
}

static void assert_refused(const uint8_t *gz, size_t len, const char *msg)
{
	struct pg_err err = PG_ERR_INIT;
	uint8_t *out = NULL;
	size_t out_len = 0;

	assert_int_equal(pp_gunzip(gz, len, &out, &out_len, &err), PG_EINPUT);
	assert_null(out);
	assert_string_equal(err.msg, msg);
}

static void test_gunzip_says_why(void **state)
{
	const size_t two[] = { 0, DATA_LEN / 2, DATA_LEN };
	size_t cap = DATA_LEN, len;
	uint8_t *gz = malloc(cap);

	(void)state;
	assert_non_null(gz);
	len = gzip_members(two, 3, gz, cap);
	assert_refused(gz, len / 2, "truncated gzip data");
	assert_refused(gz, len - 3, "truncated gzip data");
	gz[len - 6] ^= 1; /* the CRC of the last member */
	assert_refused(gz, len, "corrupt gzip data: incorrect data check");
	gz[len - 6] ^= 1;
	gz[len - 2] ^= 1; /* its length */
	assert_refused(gz, len, "corrupt gzip data: incorrect length check");
	gz[len - 2] ^= 1;
	memcpy(gz + len, "junk", 4);
	assert_refused(gz, len + 4, "corrupt gzip data: incorrect header check");
	free(gz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gunzip_members),
		cmocka_unit_test(test_gunzip_says_why),
	};

	return cmocka_run_group_tests(tests, make_data, free_data);
}
