// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "esc.h"

/* The UTF-8 sequence at s (n bytes available): its length, and whether it
 * must be escaped: C0 controls and DEL, C1 controls (U+0080..U+009F, e.g.
 * CSI as 0xC2 0x9B), the bidirectional overrides and isolates that reorder
 * what a reviewer sees (U+202A..U+202E, U+2066..U+2069), and any byte that
 * does not start a valid sequence (a lone 0x9B is CSI to some terminals).
 * A tab is text (kernel symbols carry one: "receive_buf\t[virtio_net]"). */
static size_t scan(const unsigned char *s, size_t n, int keep_lines, int *esc)
{
	size_t len, i;

	*esc = 0;
	if (s[0] < 0x80) {
		*esc = (s[0] < 0x20 && s[0] != '\t' && !(keep_lines && s[0] == '\n')) ||
		       s[0] == 0x7f;
		return 1;
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (s[0] < 0xc2 || s[0] > 0xf4 || len > n || (s[0] == 0xe0 && s[1] < 0xa0) ||
	    (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xf4 && s[1] > 0x8f)) {
		*esc = 1;
		return 1;
	}
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80) {
			*esc = 1;
			return 1;
		}
	*esc = (s[0] == 0xc2 && s[1] <= 0x9f) ||
	       (s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	       (s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9);
	return len;
}

/* The escape of an escaped sequence of len bytes: \xNN for a byte or a C1
 * control (its code point is its second byte), \uNNNN for the rest. */
static void escape_of(char out[8], const unsigned char *s, size_t len)
{
	if (len == 1)
		snprintf(out, 8, "\\x%02x", s[0]);
	else if (len == 2)
		snprintf(out, 8, "\\x%02x", s[1]);
	else
		snprintf(out, 8, "\\u%04x",
			 (s[0] & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f));
}

const char *pg_esc_text(char *out, size_t len, const char *s, int keep_lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, left = strlen(s), n, m;
	const char *src;
	char e[8];
	int esc;

	if (!len)
		return out;
	for (; left && o + 1 < len; p += n, left -= n) {
		n = scan(p, left, keep_lines, &esc);
		src = (const char *)p;
		m = n;
		if (esc) {
			escape_of(e, p, n);
			src = e;
			m = strlen(e);
		}
		if (o + m >= len)
			break;
		memcpy(out + o, src, m);
		o += m;
	}
	out[o] = '\0';
	return out;
}

/* Text between escapes goes out in one fwrite: profile top writes every
 * function name through here. */
void pg_esc_fwrite(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char e[8];
	size_t n;
	int esc;

	for (; len; p += n, len -= n) {
		n = scan(p, len, 1, &esc);
		if (!esc)
			continue;
		fwrite(run, 1, (size_t)(p - run), f);
		escape_of(e, p, n);
		fputs(e, f);
		run = p + n;
	}
	fwrite(run, 1, (size_t)(p - run), f);
}

void pg_esc_fputs(FILE *f, const char *s)
{
	pg_esc_fwrite(f, s, strlen(s));
}

void pg_esc_md(FILE *f, const char *s, int code)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;
	int esc;

	for (; left; p += n, left -= n) {
		n = scan(p, left, 0, &esc);
		if (esc)
			fputc(' ', f);
		else if (n > 1)
			fwrite(p, 1, n, f);
		else if (*p == '|')
			fputs("\\|", f);
		else if (code)
			fputc(*p == '`' ? '\'' : *p, f);
		else if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '&')
			fputs("&amp;", f);
		else if (strchr("\\`*_[]()#!~", *p))
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
}
