/* Outside text made inert: control characters (C0, DEL, C1 in UTF-8) as
 * \xNN in text, markdown and HTML escaped in summary.md cells; and the text
 * and markdown writers use them for names from profiles and baselines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "esc.h"
#include "report.h"

static char *md(const char *s, int code)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	pg_esc_md(f, s, code);
	fclose(f);
	return out;
}

static void test_esc_text_controls(void **state)
{
	static const struct {
		const char *in;
		int keep_lines;
		const char *want;
	} cases[] = {
		{ "a\x1b]0;pwn\x07z", 0, "a\\x1b]0;pwn\\x07z" },
		{ "csi\xc2\x9b"
		  "2J",
		  0, "csi\\x9b2J" },
		{ "line\nnext\ttab", 1, "line\nnext\ttab" },
		{ "line\n", 0, "line\\x0a" },
		{ "caf\xc3\xa9", 0, "caf\xc3\xa9" },
		/* a lone 0x9b is CSI to some terminals; a truncated sequence too */
		{ "a\x9b"
		  "8m",
		  0, "a\\x9b8m" },
		{ "end\xe6\x97", 0, "end\\xe6\\x97" },
		/* bidi overrides reorder what a reviewer reads; other text stays */
		{ "rtl\xe2\x80\xae"
		  "cba",
		  0, "rtl\\u202ecba" },
		{ "\xe6\x97\xa5\xf0\x9f\x9a\x80", 0, "\xe6\x97\xa5\xf0\x9f\x9a\x80" },
	};
	char out[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(pg_esc_text(out, sizeof(out), cases[i].in, cases[i].keep_lines),
				    cases[i].want);
	/* an escape that does not fit is left out whole */
	assert_string_equal(pg_esc_text(out, 6, "\x1b\x1b", 0), "\\x1b");
}

/* A name that is a byte range, not a C string: nothing past len is read
 * (a multi-byte sequence cut by the end is escaped, not completed). */
static void test_esc_fwrite_bounded(void **state)
{
	char *buf = malloc(4), *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	memcpy(buf, "ab\xc3\xa9", 4);
	f = open_memstream(&out, &len);
	pg_esc_fwrite(f, buf, 3);
	fclose(f);
	assert_string_equal(out, "ab\\xc3");
	free(out);
	free(buf);
}

static void test_esc_markdown_cells(void **state)
{
	char *s;

	(void)state;
	s = md("<img src=x onerror=alert(1)> **b** [l](u) a|b\x1b", 0);
	assert_string_equal(s,
			    "&lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*b\\*\\* \\[l\\]\\(u\\) "
			    "a\\|b ");
	free(s);
	s = md("main.(*T).f|`x`", 1);
	assert_string_equal(s, "main.(*T).f\\|'x'");
	free(s);
}

/* A CPU profile's function name with an OSC sequence, and a unit with
 * HTML, through the text and markdown writers. */
static void test_esc_writers(void **state)
{
	struct pg_err err = PG_ERR_INIT;
	struct pg_result b, c;
	struct pg_compare_opts o;
	struct pg_verdict v;
	struct pg_report r = { 0 };
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	(void)state;
	pg_result_init(&b);
	pg_result_init(&c);
	pg_verdict_init(&v);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pg_result_add_value(&b, "m", "<b>s</b>", PG_BETTER_LOWER, 1, &err),
				 0);
		assert_int_equal(pg_result_add_value(&c, "m", "<b>s</b>", PG_BETTER_LOWER, 1, &err),
				 0);
	}
	b.profile_total = c.profile_total = 100;
	assert_int_equal(pg_result_add_func(&b, "evil\x1b]0;owned\x07", 10, 10, &err), 0);
	assert_int_equal(pg_result_add_func(&c, "evil\x1b]0;owned\x07", 90, 90, &err), 0);
	assert_int_equal(pg_result_add_func(&c,
					    "lone\x9b"
					    "8m rtl\xe2\x80\xae",
					    50, 50, &err),
			 0);
	/* a baseline from elsewhere: its commit and host facts are text too */
	b.commit = strdup("\x1b]0;PWNED\x07\x1b[8m");
	b.host.cpu_model = strdup("AMD\x1b]0;X\x07\n\n## verdict: pass");
	c.host.cpu_model = strdup("Intel");
	c.scenario = strdup("s\x1b]0;Y\x07\"\\");
	pg_compare_opts_init(&o);
	assert_int_equal(pg_compare_results(&b, &c, &o, &v, &err), 0);
	r.baseline = &b;
	r.current = &c;
	r.verdict = &v;
	f = open_memstream(&out, &len);
	assert_int_equal(pg_report_text(f, &r, &err), 0);
	assert_int_equal(pg_report_markdown(f, &r, &err), 0);
	fclose(f);
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));
	assert_null(strchr(out, (char)0x9b));
	assert_null(strstr(out, "\xe2\x80\xae"));
	assert_null(strstr(out, "\n## verdict"));
	assert_non_null(strstr(out, "lone\\x9b8m rtl\\u202e"));

	assert_non_null(strstr(out, "evil\\x1b]0;owned\\x07"));
	assert_null(strstr(out, "<b>"));
	assert_non_null(strstr(out, "&lt;b&gt;s&lt;/b&gt;"));
	free(out);
	/* OpenMetrics: inert, then its own escapes (backslash, quote) */
	f = open_memstream(&out, &len);
	assert_int_equal(pg_report_openmetrics(f, &r, &err), 0);
	fclose(f);
	assert_null(strchr(out, 0x1b));
	assert_non_null(strstr(out, "scenario=\"s\\\\x1b]0;Y\\\\x07\\\"\\\\\"}"));
	free(out);
	pg_verdict_release(&v);
	pg_result_release(&b);
	pg_result_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esc_text_controls),
		cmocka_unit_test(test_esc_fwrite_bounded),
		cmocka_unit_test(test_esc_markdown_cells),
		cmocka_unit_test(test_esc_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
