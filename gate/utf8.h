// SPDX-License-Identifier: MIT
/* UTF-8 decoding for names that come from outside (profiles): one decoder,
 * with Go's unicode/utf8 rules, so rune counts match pprof's column widths
 * and what reaches JSON or XML is valid. Pure. */
#ifndef PG_UTF8_H
#define PG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the valid sequence at s (n > 0 bytes left), or 0 when s[0]
 * starts none: a stray byte, an overlong form, a surrogate or a code point
 * beyond U+10FFFF. *cp gets the code point of a valid sequence. */
size_t pg_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

#endif
