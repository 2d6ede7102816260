#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "url.h"

static void test_url_origin(void **state)
{
	static const char *const ok[][2] = {
		{ "http://127.0.0.1:8080/healthz", "http://127.0.0.1:8080" },
		{ "HTTP://localhost/x?y=1#z", "http://localhost" },
		{ "https://[::1]:8443/ready", "https://[::1]:8443" },
		{ "http://user:pw@h:1/", "http://h:1" },
		{ "http://u@x@h:80", "http://h:80" },
		{ "https://h:/p", "https://h" },
		{ "http://h?q=a:b@c", "http://h" },
		{ "http://[::ffff:127.0.0.1]/", "http://[::ffff:127.0.0.1]" },
	};
	static const char *const bad[] = { "ftp://h/",
					   "127.0.0.1:8080",
					   "http://:80/",
					   "http://a b/",
					   "",
					   "http://h:99999/",
					   "http://h:8x/",
					   "http://[::1/",
					   "http://[zz]/",
					   "http://h/\x01",
					   "http://a^b/",
					   "http://[::1]x/" };
	struct pg_err err = PG_ERR_INIT;
	char out[64], tiny[8];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(pg_url_origin(ok[i][0], out, sizeof(out), &err), 0);
		assert_string_equal(out, ok[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pg_url_origin(bad[i], out, sizeof(out), &err) != PG_EINPUT)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(pg_url_origin(ok[0][0], tiny, sizeof(tiny), &err), PG_EINPUT);
	assert_non_null(strstr(err.msg, "too long"));
}

static void test_url_is_http(void **state)
{
	(void)state;
	assert_true(pg_url_is_http("http://h"));
	assert_true(pg_url_is_http("HTTPS://h"));
	assert_false(pg_url_is_http("ftp://h"));
	assert_false(pg_url_is_http("http:/h"));
}

static void test_url_port(void **state)
{
	(void)state;
	assert_int_equal(pg_url_port("http://127.0.0.1:8080/healthz"), 8080);
	assert_int_equal(pg_url_port("http://localhost/x"), 80);
	assert_int_equal(pg_url_port("https://h?q=1"), 443);
	assert_int_equal(pg_url_port("http://[::1]:9000/"), 9000);
	assert_int_equal(pg_url_port("http://h:99999/"), 0);
	assert_int_equal(pg_url_port("nonsense"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_origin),
		cmocka_unit_test(test_url_is_http),
		cmocka_unit_test(test_url_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
