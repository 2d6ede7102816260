// SPDX-License-Identifier: MIT
/* SVG rendering of a struct pg_flame: frames as <g><title/><rect/><text/>
 * with the root at the bottom, children left to right in name order, each
 * frame as wide as its share of the current profile. The tooltips are
 * plain SVG <title> elements; the interactive version adds a search box
 * and click-to-zoom (flame_script.c). This file uses the tree (flame.c),
 * never the other way round. */
#include <math.h>
#include <string.h>

#include "findings.h"
#include "flame_int.h"
#include "xml.h"

#define TOP 72.0   /* title lines */
#define BOTTOM 8.0 /* below the root */
#define SIDE 10.0  /* left and right margins */
#define FRAME_H 16.0
#define CHAR_W 6.6 /* 11 px monospace, average advance */
/* Deeper frames are left out: the recursion stays bounded on hostile
 * profiles, and no real stack needs a 16000 px tall image. */
#define MAX_DEPTH 1000
/* What the frames drawn may take, about: a profile of a few thousand
 * samples, each a distinct deep stack just over min_width, drew 30 000
 * frames (5.9 MB); min_width grows until the estimate fits. */
#define MAX_BYTES (4 << 20)
#define FRAME_BYTES 160 /* a frame's markup without its name (title and label) */

struct svg {
	FILE *f;
	const struct pg_flame *fl;
	const struct pg_flame_opts *o;
	double scale;	  /* px per unit of current share */
	double max_abs;	  /* largest |delta| of a frame drawn */
	int depth;	  /* deepest frame drawn */
	double min_width; /* o->min_width, or more to keep within MAX_BYTES */
};

static double delta(const struct pg_flame *fl, const struct pg_flame_node *n)
{
	return pg_flame_share(fl, n, 1) - pg_flame_share(fl, n, 0);
}

static double frame_width(const struct svg *s, const struct pg_flame_node *n)
{
	return pg_flame_share(s->fl, n, 1) * s->scale;
}

/* The frames the children of parent narrower than min_width merge into:
 * their sum in m, their count returned. */
static uint32_t narrow_kids(const struct svg *s, const struct pg_flame_node *parent,
			    struct pg_flame_node *m)
{
	uint32_t i, k = 0;

	memset(m, 0, sizeof(*m));
	for (i = parent->kid; i != PG_FLAME_NONE; i = s->fl->nodes[i].next) {
		const struct pg_flame_node *c = &s->fl->nodes[i];

		if (frame_width(s, c) >= s->min_width)
			continue;
		m->value[0] += c->value[0];
		m->value[1] += c->value[1];
		k++;
	}
	return k;
}

/* The characters of a label a frame w px wide holds; 0 under 3, where
 * it gets none. */
static size_t label_fit(double w)
{
	size_t fit = w > 6 ? (size_t)((w - 6) / CHAR_W) : 0;

	return fit < 3 ? 0 : fit;
}

/* The bytes the frames from id up would take, about, as frame() draws
 * them; stops counting past MAX_BYTES. */
static size_t estimate(const struct svg *s, uint32_t id, int depth, size_t sum)
{
	const struct pg_flame_node *n = &s->fl->nodes[id];
	double w = frame_width(s, n);
	struct pg_flame_node m;
	size_t len, fit;
	uint32_t i;

	if (w < s->min_width || depth > MAX_DEPTH || sum > MAX_BYTES)
		return sum;
	len = strlen(n->name);
	fit = label_fit(w);
	sum += FRAME_BYTES + len + (fit < len ? fit : len);
	for (i = n->kid; i != PG_FLAME_NONE; i = s->fl->nodes[i].next)
		sum = estimate(s, i, depth + 1, sum);
	if (narrow_kids(s, n, &m) && frame_width(s, &m) >= s->min_width)
		sum += FRAME_BYTES + 64;
	return sum;
}

/* First pass: the depth and the largest change among the frames drawn. */
static void measure(struct svg *s, uint32_t id, int depth)
{
	const struct pg_flame_node *n = &s->fl->nodes[id];
	uint32_t i;

	if (frame_width(s, n) < s->min_width || depth > MAX_DEPTH)
		return;
	if (depth > s->depth)
		s->depth = depth;
	if (fabs(delta(s->fl, n)) > s->max_abs)
		s->max_abs = fabs(delta(s->fl, n));
	for (i = n->kid; i != PG_FLAME_NONE; i = s->fl->nodes[i].next)
		measure(s, i, depth + 1);
}

/* Without a baseline, the classic warm palette, picked by name so that a
 * function keeps its colour between graphs. With one: grey when the change
 * is within sampling noise or small, else red (grew) or blue (shrank),
 * deeper with the change. */
static void frame_fill(const struct svg *s, const struct pg_flame_node *n, char *buf, size_t len)
{
	double d = delta(s->fl, n), t;
	uint32_t h = 2166136261u;
	const char *c;
	int v;

	if (!s->fl->has_base) {
		for (c = n->name; *c; c++)
			h = (h ^ (unsigned char)*c) * 16777619u;
		snprintf(buf, len, "rgb(%u,%u,%u)", 205 + h % 50, 90 + (h >> 8) % 130,
			 40 + (h >> 16) % 50);
		return;
	}
	if (fabs(d) * 100 < s->o->neutral_pp ||
	    !pg_share_changed(pg_flame_share(s->fl, n, 0), s->fl->samples[0],
			      pg_flame_share(s->fl, n, 1), s->fl->samples[1], s->o->z)) {
		snprintf(buf, len, "rgb(214,214,206)");
		return;
	}
	t = s->max_abs > 0 ? fabs(d) / s->max_abs : 1;
	v = (int)lround(225 - 175 * (0.3 + 0.7 * (t > 1 ? 1 : t)));
	if (d > 0)
		snprintf(buf, len, "rgb(255,%d,%d)", v, v);
	else
		snprintf(buf, len, "rgb(%d,%d,255)", v, v);
}

static void frame_title(const struct svg *s, const struct pg_flame_node *n)
{
	FILE *f = s->f;

	fputs("<title>", f);
	pg_xml_text(f, n->name, SIZE_MAX);
	fprintf(f, "&#10;current: %.2f %%", 100 * pg_flame_share(s->fl, n, 1));
	if (s->fl->has_base)
		fprintf(f, "&#10;baseline: %.2f %%&#10;delta: %+.2f pp",
			100 * pg_flame_share(s->fl, n, 0), 100 * delta(s->fl, n));
	else
		fputs("&#10;baseline: none", f);
	fputs("</title>", f);
}

/* The name, cut with ".." to what fits the frame, or nothing. */
static void frame_label(const struct svg *s, const struct pg_flame_node *n, double x, double y,
			double w)
{
	size_t fit = label_fit(w), len = pg_xml_chars(n->name);

	if (!fit)
		return;
	fprintf(s->f, "<text x=\"%.2f\" y=\"%.2f\">", x + 3, y + FRAME_H - 5);
	if (len <= fit) {
		pg_xml_text(s->f, n->name, len);
	} else {
		pg_xml_text(s->f, n->name, fit - 2);
		fputs("..", s->f);
	}
	fputs("</text>", s->f);
}

static void rect(struct svg *s, const struct pg_flame_node *n, double x, double y, double w,
		 const char *fill)
{
	fputs("<g class=\"frame\">", s->f);
	frame_title(s, n);
	fprintf(s->f,
		"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" "
		"rx=\"2\"/>",
		x, y, w, FRAME_H - 1, fill);
	frame_label(s, n, x, y, w);
	fputs("</g>\n", s->f);
}

/* The children narrower than min_width, as one grey frame. */
static void merged(struct svg *s, const struct pg_flame_node *parent, int depth, double x)
{
	struct pg_flame_node m;
	char name[64];
	uint32_t k = narrow_kids(s, parent, &m);

	if (!k || frame_width(s, &m) < s->min_width)
		return;
	snprintf(name, sizeof(name), "%u frames under %.2g px", k, s->min_width);
	m.name = name;
	rect(s, &m, x, TOP + (s->depth - depth) * FRAME_H, frame_width(s, &m), "rgb(200,200,200)");
}

static void frame(struct svg *s, uint32_t id, int depth, double x)
{
	const struct pg_flame_node *n = &s->fl->nodes[id];
	double w = frame_width(s, n), cw;
	char fill[40];
	uint32_t i;

	if (w < s->min_width || depth > MAX_DEPTH)
		return;
	frame_fill(s, n, fill, sizeof(fill));
	rect(s, n, x, TOP + (s->depth - depth) * FRAME_H, w, fill);
	for (i = n->kid; i != PG_FLAME_NONE; i = s->fl->nodes[i].next) {
		cw = frame_width(s, &s->fl->nodes[i]);
		if (cw < s->min_width)
			continue;
		frame(s, i, depth + 1, x);
		x += cw;
	}
	if (depth + 1 <= MAX_DEPTH)
		merged(s, n, depth + 1, x);
}

/* The legend states the colour rule, with the sample counts it used. */
static void legend(const struct svg *s)
{
	FILE *f = s->f;
	double w = s->o->width;

	if (!s->fl->has_base) {
		fprintf(f,
			"<text x=\"%.1f\" y=\"36\" text-anchor=\"middle\">width: share of CPU "
			"time (%.0f samples); hover for figures%s</text>\n",
			w / 2, s->fl->samples[1], s->o->interactive ? ", click to zoom" : "");
		return;
	}
	fprintf(f,
		"<text x=\"%.1f\" y=\"36\" text-anchor=\"middle\">width: share of current CPU "
		"time; red: grew, blue: shrank, only where the share moved beyond sampling "
		"noise; grey: within noise</text>\n",
		w / 2);
	fprintf(f,
		"<text x=\"%.1f\" y=\"50\" text-anchor=\"middle\" class=\"pg-rule\">rule: "
		"|change| &gt; %.2f standard errors of a binomial share (baseline %.0f samples, "
		"current %.0f) and &gt;= %.2f pp; hover for figures%s</text>\n",
		w / 2, s->o->z, s->fl->samples[0], s->fl->samples[1], s->o->neutral_pp,
		s->o->interactive ? ", click to zoom" : "");
}

/* The search box (an XHTML input) and the zoom reset, top left and right. */
static void controls(const struct svg *s)
{
	double w = s->o->width;

	fprintf(s->f,
		"<foreignObject x=\"10\" y=\"6\" width=\"230\" height=\"24\"><input "
		"xmlns=\"http://www.w3.org/1999/xhtml\" class=\"pg-search\" type=\"search\" "
		"placeholder=\"search functions (regexp)\" style=\"width:220px\"/>"
		"</foreignObject>\n"
		"<text class=\"pg-reset\" x=\"%.1f\" y=\"20\" text-anchor=\"end\" "
		"style=\"cursor:pointer;display:none\" fill=\"#0645ad\">Reset zoom</text>\n"
		"<text class=\"pg-matched\" x=\"%.1f\" y=\"36\" text-anchor=\"end\"></text>\n",
		w - 10, w - 10);
}

static void header(const struct svg *s, double height)
{
	FILE *f = s->f;
	double w = s->o->width;

	if (!s->o->embedded)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n", f);
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pg-flame\" version=\"1.1\" "
		"width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		"font-family=\"monospace\" font-size=\"11\">\n",
		w, height, w, height);
	fprintf(f, "<title>%s</title>\n",
		s->fl->has_base ? "perfgate: CPU profile, current against baseline"
				: "perfgate: CPU profile");
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fbfbf8\"/>\n", w,
		height);
	fprintf(f, "<text x=\"%.1f\" y=\"20\" font-size=\"15\" text-anchor=\"middle\">%s</text>\n",
		w / 2,
		s->fl->has_base ? "Differential flame graph: CPU, current against baseline"
				: "Flame graph: CPU, current run");
	legend(s);
	if (s->fl->note[0]) {
		fprintf(f, "<text x=\"%.1f\" y=\"64\" text-anchor=\"middle\">", w / 2);
		pg_xml_text(f, s->fl->note, SIZE_MAX);
		fputs("</text>\n", f);
	}
	if (s->o->interactive)
		controls(s);
}

int pg_flame_write_svg(FILE *f, const struct pg_flame *fl, const struct pg_flame_opts *o,
		       struct pg_err *err)
{
	struct svg s = { f, fl, o, 0, 0, 0, o->min_width };
	double height;

	s.scale = o->width - 2 * SIDE;
	if (s.scale < 1)
		return pg_err_set(err, PG_EUSAGE, "flame graph width %.0f is too small", o->width);
	while (estimate(&s, 0, 0, 0) > MAX_BYTES)
		s.min_width *= 1.25;
	measure(&s, 0, 0);
	height = TOP + (s.depth + 1) * FRAME_H + BOTTOM;
	header(&s, height);
	frame(&s, 0, 0, SIDE);
	if (o->interactive)
		fprintf(f, "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n",
			pg_flame_script());
	fputs("</svg>\n", f);
	if (fflush(f) || ferror(f))
		return pg_err_set(err, PG_EINFRA, "cannot write the flame graph");
	return 0;
}

/* Degrade on a bad baseline: the current profile alone still tells where
 * the time goes. */
int pg_flame_svg(FILE *f, const void *base, size_t base_len, const void *cur, size_t cur_len,
		 struct pg_err *err)
{
	struct pg_flame_opts o = PG_FLAME_OPTS_DEFAULT;

	return pg_flame_svg_opts(f, base, base_len, cur, cur_len, &o, err);
}

int pg_flame_svg_opts(FILE *f, const void *base, size_t base_len, const void *cur, size_t cur_len,
		      const struct pg_flame_opts *o, struct pg_err *err)
{
	struct pg_profile *bp = NULL, *cp = NULL;
	struct pg_err berr = PG_ERR_INIT;
	struct pg_flame *fl = NULL;
	char note[sizeof(berr.msg) + 64] = "";
	int rc;

	rc = pg_profile_parse(&cp, cur, cur_len, err);
	if (rc)
		goto out;
	if (!base)
		snprintf(note, sizeof(note),
			 "no baseline profile: plain flame graph of the current run");
	else if (pg_profile_parse(&bp, base, base_len, &berr))
		snprintf(note, sizeof(note), "baseline profile unreadable (%s): current run only",
			 berr.msg);
	rc = pg_flame_new(&fl, bp, cp, err);
	if (rc)
		goto out;
	pg_flame_set_note(fl, note);
	rc = pg_flame_write_svg(f, fl, o, err);
out:
	pg_flame_free(fl);
	pg_profile_free(bp);
	pg_profile_free(cp);
	return rc;
}
