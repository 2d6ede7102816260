// SPDX-License-Identifier: MIT
/* Making outside text inert before perfgate prints it: function names from
 * profiles, metric names, units and host facts from baselines may carry
 * terminal escapes (ESC, OSC, C1 controls) or markdown and HTML. The
 * escapers write to the caller's stream or buffer; they own nothing. */
#ifndef PG_ESC_H
#define PG_ESC_H

#include <stddef.h>
#include <stdio.h>

/* s with every C0/C1 control character and DEL as \xNN (newline too unless
 * keep_lines is set; a tab is kept), a byte that is not valid UTF-8 as
 * \xNN and a bidirectional override or isolate as \uNNNN, into out,
 * truncated to len; returns out. */
const char *pg_esc_text(char *out, size_t len, const char *s, int keep_lines);

/* Write s to f as pg_esc_text does (newlines kept). */
void pg_esc_fputs(FILE *f, const char *s);

/* The same for the len bytes at s, which need not end in a NUL (names in
 * a profile are byte ranges of it). */
void pg_esc_fwrite(FILE *f, const char *s, size_t len);

/* Write s as the text of a markdown table cell: '|' and markdown
 * punctuation backslash-escaped, '<', '>' and '&' as HTML entities,
 * controls and newlines as a space. In a code span (code set) only '|'
 * is escaped and a backtick becomes a quote, as code spans show the rest
 * verbatim. */
void pg_esc_md(FILE *f, const char *s, int code);

#endif
