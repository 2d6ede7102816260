// SPDX-License-Identifier: MIT
/* The getrandom latency histogram of both sides as an inline SVG plot:
 * each side a step line of the share of its calls per bucket, on a
 * logarithmic latency axis (the buckets are log-linear, so they are about
 * equally wide there). */
#include <math.h>
#include <stdint.h>

#include "report.h"

#define PW 820.0 /* plot size, px */
#define PH 260.0
#define ML 56.0 /* margins */
#define MR 16.0
#define MT 28.0
#define MB 34.0

struct axis {
	double lo, hi; /* log10 ns */
	double ymax;   /* largest share of a bucket */
};

static uint64_t calls(const struct pg_result *r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; r && r->getrandom_hist && i < r->ngetrandom_hist; i++)
		n += r->getrandom_hist[i];
	return n;
}

static void extend(struct axis *a, const struct pg_result *r)
{
	uint64_t n = calls(r);
	double x, y;
	size_t i;

	for (i = 0; n && i < r->ngetrandom_hist; i++) {
		if (!r->getrandom_hist[i])
			continue;
		x = log10((double)(pg_result_hist_lower(i) + 1));
		y = (double)r->getrandom_hist[i] / (double)n;
		a->lo = x < a->lo ? x : a->lo;
		a->hi = x > a->hi ? x : a->hi;
		a->ymax = y > a->ymax ? y : a->ymax;
	}
}

static double px(const struct axis *a, double lx)
{
	return ML + (lx - a->lo) / (a->hi - a->lo) * (PW - ML - MR);
}

static double py(const struct axis *a, double share)
{
	return PH - MB - share / a->ymax * (PH - MT - MB);
}

static void series(FILE *f, const struct axis *a, const struct pg_result *r, const char *cls,
		   const char *colour)
{
	uint64_t n = calls(r);
	double x, y, prev = PH - MB;
	size_t i;

	if (!n)
		return;
	fprintf(f,
		"<polyline class=\"series %s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
		"points=\"",
		cls, colour);
	for (i = 0; i < r->ngetrandom_hist; i++) {
		if (!r->getrandom_hist[i])
			continue;
		x = px(a, log10((double)(pg_result_hist_lower(i) + 1)));
		y = py(a, (double)r->getrandom_hist[i] / (double)n);
		fprintf(f, "%.1f,%.1f %.1f,%.1f %.1f,%.1f ", x - 1.5, prev, x - 1.5, y, x + 1.5, y);
		prev = y;
	}
	fprintf(f, "%.1f,%.1f\"/>\n", px(a, a->hi) + 1.5, PH - MB);
}

static void axes(FILE *f, const struct axis *a)
{
	static const char *const names[] = { "1 ns", "10 ns", "100 ns", "1 us", "10 us", "100 us",
					     "1 ms", "10 ms", "100 ms", "1 s",	"10 s",	 "100 s" };
	int d;

	fprintf(f,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n"
		"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">getrandom() latency "
		"(log scale)</text>\n"
		"<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
		"text-anchor=\"middle\">share of calls</text>\n",
		ML, PH - MB, PW - MR, PH - MB, (ML + PW - MR) / 2, PH - 4, (PH - MB + MT) / 2,
		(PH - MB + MT) / 2);
	for (d = (int)ceil(a->lo); d <= (int)floor(a->hi) && d < 12; d++)
		fprintf(f,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			px(a, d), MT, px(a, d), PH - MB, px(a, d), PH - MB + 14,
			d >= 0 ? names[d] : "");
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f %%</text>\n", ML - 4,
		MT + 4, 100 * a->ymax);
}

int pg_report_hist_svg(FILE *f, const struct pg_report *r)
{
	struct axis a = { INFINITY, -INFINITY, 0 };
	const struct pg_result *b = r->baseline, *c = r->current;

	extend(&a, b);
	extend(&a, c);
	if (a.ymax <= 0)
		return 0;
	a.lo -= 0.1;
	a.hi += 0.1;
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"getrandom-hist\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
		"font-size=\"11\">\n",
		PW, PH, PW, PH);
	axes(f, &a);
	series(f, &a, b, "baseline", "#2b6cb0");
	series(f, &a, c, "current", "#c53030");
	fprintf(f,
		"<text x=\"%.1f\" y=\"16\" fill=\"#2b6cb0\">baseline: %llu calls</text>"
		"<text x=\"%.1f\" y=\"16\" fill=\"#c53030\">current: %llu calls</text>\n</svg>\n",
		ML, (unsigned long long)calls(b), ML + 220, (unsigned long long)calls(c));
	return 1;
}
