// SPDX-License-Identifier: MIT
/* Differential flame graphs: a call tree merged from a current CPU profile
 * and an optional baseline one, each frame holding both profiles' shares
 * of their totals, rendered as a self-contained SVG (width = current
 * share, red = grew, blue = shrank, <title> tooltips). A struct pg_flame
 * owns its tree and copies of the names (pg_flame_free); the profiles are
 * only read while it is built. */
#ifndef PG_FLAME_H
#define PG_FLAME_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "pprof.h"

struct pg_flame;

/* A frame is coloured only when its share changed by more than z standard
 * errors of the difference of two binomial shares, given each profile's
 * sample count (pg_share_changed), and by at least neutral_pp; grey
 * otherwise. With hundreds of frames tested at once, z = 3.29 (0.1 %,
 * two-sided) keeps an unchanged program nearly all grey. */
#define PG_FLAME_Z 3.29

struct pg_flame_opts {
	double width;	   /* image width in px */
	double min_width;  /* frames narrower than this (px) are merged, see below */
	double neutral_pp; /* |delta| below this many percentage points: grey */
	double z;	   /* the noise bound, in standard errors */
	int interactive;   /* search box and click-to-zoom (inline script) */
	int embedded;	   /* no XML prolog: for inlining into HTML */
};

#define PG_FLAME_OPTS_DEFAULT                     \
	{                                         \
		1200, 0.5, 0.25, PG_FLAME_Z, 1, 0 \
	}

/* Build the tree from cur and base (NULL: a plain flame graph), each at its
 * default sample index (cpu for Go CPU profiles). */
int pg_flame_new(struct pg_flame **out, const struct pg_profile *base, const struct pg_profile *cur,
		 struct pg_err *err);
void pg_flame_free(struct pg_flame *fl);

/* A line shown under the title, e.g. why the baseline is missing; copied. */
void pg_flame_set_note(struct pg_flame *fl, const char *note);

/* Write the SVG; deterministic (children in byte order of their names).
 * Children narrower than min_width are drawn as one grey frame, "N frames
 * under 0.5 px", after their wider siblings (left out when even that is
 * narrower), so a profile of many tiny frames stays small and fast; when
 * the frames left would take more than about 4 MB, the width used grows
 * until they fit.
 * PG_EINFRA when the stream fails. */
int pg_flame_write_svg(FILE *f, const struct pg_flame *fl, const struct pg_flame_opts *o,
		       struct pg_err *err);

/* Folded stacks of p (its default sample index), as Brendan Gregg's
 * flamegraph.pl reads them: "main;handle;parse 1234" per call path with a
 * value of its own, in the profile's unit, paths in byte order; negative
 * values (delta profiles) get lines of their own after the positive ones.
 * The absolute values add up to pprof's total. */
int pg_flame_folded(FILE *f, const struct pg_profile *p, struct pg_err *err);

/* From profile bytes (gzip or raw) with default options. base may be NULL;
 * an unreadable base profile degrades to a plain graph with a note, an
 * unreadable current one is PG_EINPUT. */
int pg_flame_svg(FILE *f, const void *base, size_t base_len, const void *cur, size_t cur_len,
		 struct pg_err *err);
int pg_flame_svg_opts(FILE *f, const void *base, size_t base_len, const void *cur, size_t cur_len,
		      const struct pg_flame_opts *o, struct pg_err *err);

#endif
