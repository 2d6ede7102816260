/* XML escaping, read back with libxml2: what a parser returns is the input
 * with malformed and forbidden characters replaced, nothing else changed,
 * in element text and in attributes alike. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xml.h"

#define NASTY                         \
	"a<b>&\"c'\td\ne\rf\x01g\xff" \
	"h\xef\xbf\xbfi\xe2\x82\xac"
#define CLEAN                                         \
	"a<b>&\"c'\td\ne\rf\xef\xbf\xbdg\xef\xbf\xbd" \
	"h\xef\xbf\xbdi\xe2\x82\xac"

/* <d a="s">s</d> with s escaped, parsed; the text and the attribute. */
static void round_trip(const char *s, size_t max, char **text, char **attr)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);
	xmlDoc *x;
	xmlNode *root;

	assert_non_null(f);
	fputs("<d a=\"", f);
	pg_xml_attr(f, s);
	fputs("\">", f);
	pg_xml_text(f, s, max);
	fputs("</d>", f);
	assert_int_equal(fclose(f), 0);
	x = xmlReadMemory(doc, (int)len, "t.xml", NULL, XML_PARSE_NONET);
	assert_non_null(x); /* well-formed */
	root = xmlDocGetRootElement(x);
	*text = (char *)xmlNodeGetContent(root);
	*attr = (char *)xmlGetProp(root, (const xmlChar *)"a");
	xmlFreeDoc(x);
	free(doc);
}

static void test_xml_round_trips_text_and_attributes(void **state)
{
	char *text, *attr;

	(void)state;
	round_trip(NASTY, SIZE_MAX, &text, &attr);
	assert_string_equal(text, CLEAN);
	assert_string_equal(attr, CLEAN);
	xmlFree(text);
	xmlFree(attr);
}

static void test_xml_counts_and_cuts_code_points(void **state)
{
	char *text, *attr;

	(void)state;
	assert_int_equal(pg_xml_chars(NASTY), 21);
	assert_int_equal(pg_xml_chars("\xe2\x82\xac\xe2\x82"), 3); /* a cut sequence: 2 bytes */
	round_trip("\xe2\x82\xac<x", 2, &text, &attr);
	assert_string_equal(text, "\xe2\x82\xac<");
	xmlFree(text);
	xmlFree(attr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_round_trips_text_and_attributes),
		cmocka_unit_test(test_xml_counts_and_cuts_code_points),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	xmlCleanupParser();
	return rc;
}
