// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <string.h>

#include "utf8.h"
#include "xml.h"

/* One code point of s (n > 0 bytes left) and the bytes it used: U+FFFD for a
 * malformed byte (used alone) and for what XML 1.0's Char production
 * excludes (controls but tab, LF and CR; U+FFFE, U+FFFF). */
static size_t next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = pg_utf8_decode(s, n, cp);

	if (!len) {
		*cp = 0xfffd;
		return 1;
	}
	if ((*cp < 0x20 && *cp != '\t' && *cp != '\n' && *cp != '\r') || *cp == 0xfffe ||
	    *cp == 0xffff)
		*cp = 0xfffd;
	return len;
}

static const char *entity(uint32_t cp, int attr)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&apos;";
	case '\r':
		return "&#13;";
	case '\n':
		return attr ? "&#10;" : NULL;
	case '\t':
		return attr ? "&#9;" : NULL;
	case 0xfffd:
		return "\xef\xbf\xbd";
	default:
		return NULL;
	}
}

static void put(FILE *f, const char *s, size_t max, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k, used;
	const char *e;
	uint32_t cp;

	for (k = 0; i < n && k < max; k++) {
		used = next(u + i, n - i, &cp);
		e = entity(cp, attr);
		if (e)
			fputs(e, f);
		else
			fwrite(u + i, 1, used, f);
		i += used;
	}
}

void pg_xml_text(FILE *f, const char *s, size_t max)
{
	put(f, s, max, 0);
}

void pg_xml_attr(FILE *f, const char *s)
{
	put(f, s, SIZE_MAX, 1);
}

size_t pg_xml_chars(const char *s)
{
	size_t n = strlen(s), i = 0, k = 0;
	uint32_t cp;

	while (i < n) {
		i += next((const unsigned char *)s + i, n - i, &cp);
		k++;
	}
	return k;
}
