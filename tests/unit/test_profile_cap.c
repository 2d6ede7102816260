/* Gzip bombs: a 80 MB run of zeros in ~80 kB of gzip is refused at the
 * 64 MB cap, quickly and without the 1 GB the old cap cost; the cap is
 * PERFGATE_MAX_PROFILE_MB's to raise; real profiles fit under it; and a
 * rejected profile from pprof_url is an error of the profile (named in the
 * result) while the run's metrics stand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>
#include <zlib.h>

#include "buf.h"
#include "capture_priv.h"
#include "pprof.h"

#define BOMB_MB 80

static struct pg_buf bomb = PG_BUF_INIT(16 << 20);

static int make_bomb(void **state)
{
	static unsigned char zeros[1 << 20], out[1 << 16];
	z_stream zs;
	int i, flush;

	(void)state;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	for (i = 0; i < BOMB_MB; i++) {
		zs.next_in = zeros;
		zs.avail_in = sizeof(zeros);
		flush = i == BOMB_MB - 1 ? Z_FINISH : Z_NO_FLUSH;
		do {
			zs.next_out = out;
			zs.avail_out = sizeof(out);
			deflate(&zs, flush);
			if (pg_buf_append(&bomb, out, sizeof(out) - zs.avail_out, NULL))
				return -1;
		} while (zs.avail_out == 0);
	}
	deflateEnd(&zs);
	return 0;
}

static int free_bomb(void **state)
{
	(void)state;
	pg_buf_release(&bomb);
	return 0;
}

static long max_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static void test_profile_cap_refuses_bomb_cheaply(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	(void)state;
	unsetenv("PERFGATE_MAX_PROFILE_MB");
	assert_true(bomb.len < 1 << 20);
	assert_int_equal(pg_profile_max_inflated(), (size_t)64 << 20);
	assert_int_equal(pg_profile_parse(&p, bomb.data, bomb.len, &err), PG_EINPUT);
	assert_null(p);
	assert_non_null(strstr(err.msg, "larger than 64 MB uncompressed"));
	assert_non_null(strstr(err.msg, "PERFGATE_MAX_PROFILE_MB"));
	/* the old 1 GiB cap made this 1.07 GB */
	if (max_rss_mb() > 200)
		fail_msg("peak RSS %ld MB for an %d MB bomb", max_rss_mb(), BOMB_MB);
}

static void test_profile_cap_real_profiles_fit(void **state)
{
	struct pg_buf b = PG_BUF_INIT(64 << 20);
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	(void)state;
	assert_int_equal(pg_buf_read_file(&b, "tests/data/pprof/http-json.cpu.pb.gz", &err), 0);
	assert_int_equal(pg_profile_parse(&p, b.data, b.len, &err), 0);
	pg_profile_free(p);
	pg_buf_release(&b);
}

static void test_profile_cap_rejected_profile_keeps_metrics(void **state)
{
	struct pg_buf kept = PG_BUF_INIT(1 << 20);
	struct pg_err err = PG_ERR_INIT;
	struct pg_result r;

	(void)state;
	pg_result_init(&r);
	assert_int_equal(pg_result_add_value(&r, "m", "s", PG_BETTER_LOWER, 1, &err), 0);
	assert_int_equal(pg_capture_add_profile(&r, &kept, &bomb, &err), 0);
	assert_non_null(r.profile_error);
	assert_non_null(strstr(r.profile_error, "CPU profile from pprof_url was rejected"));
	assert_int_equal(kept.len, 0);
	assert_int_equal(r.nmetrics, 1);
	pg_result_release(&r);
	pg_buf_release(&kept);
}

static void test_profile_cap_user_raises_it(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_profile *p = NULL;

	(void)state;
	setenv("PERFGATE_MAX_PROFILE_MB", "128", 1);
	assert_int_equal(pg_profile_max_inflated(), (size_t)128 << 20);
	/* past the cap now: zeros are refused as a malformed profile instead */
	assert_int_equal(pg_profile_parse(&p, bomb.data, bomb.len, &err), PG_EINPUT);
	assert_null(strstr(err.msg, "larger than"));
	setenv("PERFGATE_MAX_PROFILE_MB", "nonsense", 1);
	assert_int_equal(pg_profile_max_inflated(), (size_t)64 << 20);
	unsetenv("PERFGATE_MAX_PROFILE_MB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_cap_refuses_bomb_cheaply),
		cmocka_unit_test(test_profile_cap_real_profiles_fit),
		cmocka_unit_test(test_profile_cap_rejected_profile_keeps_metrics),
		cmocka_unit_test(test_profile_cap_user_raises_it),
	};

	return cmocka_run_group_tests(tests, make_bomb, free_bomb);
}
