// SPDX-License-Identifier: MIT
/* Escaping for the XML perfgate writes (junit.xml, flame.svg), by XML 1.0's
 * rules, so names from outside (profiles, metrics) always give well-formed
 * documents: markup characters as entities, malformed UTF-8 and code points
 * XML 1.0 forbids as U+FFFD. Stateless; writes to the caller's stream. */
#ifndef PG_XML_H
#define PG_XML_H

#include <stddef.h>
#include <stdio.h>

/* Element text: at most max code points of s (SIZE_MAX: all). CR becomes
 * &#13; because parsers turn a literal one into LF. */
void pg_xml_text(FILE *f, const char *s, size_t max);

/* An attribute value (quoted with " or '): as text, and also tab and LF as
 * character references, which attribute-value normalization would
 * otherwise turn into spaces. */
void pg_xml_attr(FILE *f, const char *s);

/* The code points of s as pg_xml_text counts them (a malformed byte is one,
 * replaced), for fitting text to a width. */
size_t pg_xml_chars(const char *s);

#endif
