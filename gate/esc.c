// SPDX-License-Identifier: MIT
#include <string.h>

#include "esc.h"

/* Length of a control character at s: 1 for C0 and DEL, 2 for a C1 control
 * in UTF-8 (U+0080..U+009F, e.g. CSI as 0xC2 0x9B), 0 for anything else.
 * A tab is text (kernel symbols carry one: "receive_buf\t[virtio_net]"). */
static size_t control_len(const unsigned char *s, int keep_lines)
{
	if (s[0] == '\t')
		return 0;
	if (s[0] < 0x20 || s[0] == 0x7f)
		return keep_lines && s[0] == '\n' ? 0 : 1;
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
		return 2;
	return 0;
}

const char *pg_esc_text(char *out, size_t len, const char *s, int keep_lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;
	char hex[8];

	if (!len)
		return out;
	for (; *p && o + 1 < len; p++) {
		n = control_len(p, keep_lines);
		if (!n) {
			out[o++] = (char)*p;
			continue;
		}
		p += n - 1;
		snprintf(hex, sizeof(hex), "\\x%02x", *p);
		if (o + strlen(hex) >= len)
			break;
		memcpy(out + o, hex, strlen(hex));
		o += strlen(hex);
	}
	out[o] = '\0';
	return out;
}

void pg_esc_fputs(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p++) {
		n = control_len(p, 1);
		if (!n) {
			fputc(*p, f);
			continue;
		}
		p += n - 1;
		fprintf(f, "\\x%02x", *p);
	}
}

void pg_esc_md(FILE *f, const char *s, int code)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p++) {
		n = control_len(p, 0);
		if (n) {
			p += n - 1;
			fputc(' ', f);
		} else if (*p == '|') {
			fputs("\\|", f);
		} else if (code) {
			fputc(*p == '`' ? '\'' : *p, f);
		} else if (*p == '<') {
			fputs("&lt;", f);
		} else if (*p == '>') {
			fputs("&gt;", f);
		} else if (*p == '&') {
			fputs("&amp;", f);
		} else {
			if (strchr("\\`*_[]()#!~", *p))
				fputc('\\', f);
			fputc(*p, f);
		}
	}
}
