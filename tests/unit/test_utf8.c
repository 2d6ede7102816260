#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "utf8.h"

static size_t decode(const char *s, size_t n, uint32_t *cp)
{
	return pg_utf8_decode((const unsigned char *)s, n, cp);
}

static void test_utf8_valid(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(decode("\xc3\xa9", 2, &cp), 2); /* é */
	assert_int_equal(cp, 0xe9);
	assert_int_equal(decode("\xe2\x82\xac", 3, &cp), 3); /* € */
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(decode("\xf0\x9f\x94\xa5", 4, &cp), 4); /* U+1F525 */
	assert_int_equal(cp, 0x1f525);
	assert_int_equal(decode("\xf4\x8f\xbf\xbf", 4, &cp), 4); /* U+10FFFF */
}

/* Go's unicode/utf8 rejects each of these; one bad byte is one rune. */
static void test_utf8_invalid(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(decode("\x80", 1, &cp), 0);		 /* stray continuation */
	assert_int_equal(decode("\xc0\x80", 2, &cp), 0);	 /* overlong NUL */
	assert_int_equal(decode("\xe0\x80\x80", 3, &cp), 0);	 /* overlong */
	assert_int_equal(decode("\xed\xa0\x80", 3, &cp), 0);	 /* surrogate */
	assert_int_equal(decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(decode("\xe2\x82", 2, &cp), 0);	 /* truncated */
	assert_int_equal(decode("\xe2\x28\xa1", 3, &cp), 0);	 /* bad continuation */
	assert_int_equal(decode("\xff", 1, &cp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
	};

	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
