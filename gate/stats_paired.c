// SPDX-License-Identifier: MIT
/* Paired statistics: the decision of a paired comparison rests on the
 * change of each round (reference and current measured back to back), not
 * on the medians of two separate sets, because the host's speed drifts
 * between rounds far more than within one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

/* Student's t, 97.5 % quantile, df 1..30 (any statistics table). */
static const double t975[] = {
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
	2.201,	2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
	2.080,	2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
};

double pg_stats_t975(size_t df)
{
	if (df == 0)
		return INFINITY;
	if (df <= sizeof(t975) / sizeof(t975[0]))
		return t975[df - 1];
	/* Cornish-Fisher's first term: within 0.002 of the table past 30 */
	return 1.959964 + 2.372 / (double)df;
}

static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	*mean = s / (double)n;
	for (i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

/* The mean of v, and the spread about the mean of each arrangement
 * (v[i] in arrangement i % k) with n - k degrees of freedom. */
static void mean_sd_k(const double *v, size_t n, size_t k, double *mean, double *sd)
{
	double am[PG_STATS_MAX_ARRANGEMENTS] = { 0 }, ss = 0;
	size_t i;

	mean_sd(v, n, mean, sd);
	if (k == 1)
		return;
	for (i = 0; i < n; i++)
		am[i % k] += v[i] / (double)(n / k);
	for (i = 0; i < n; i++)
		ss += (v[i] - am[i % k]) * (v[i] - am[i % k]);
	*sd = sqrt(ss / (double)(n - k));
}

static int all_positive(const double *a, const double *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(a[i] > 0) || !(b[i] > 0))
			return 0;
	return 1;
}

static void absolute(struct pg_paired *out, double mean, double half)
{
	out->diff = mean;
	out->diff_lo = mean - half;
	out->diff_hi = mean + half;
}

/* The absolute interval when the change itself was taken on logs. */
static void diffs(struct pg_paired *out, const double *a, const double *b, size_t n, size_t k,
		  double *d)
{
	double mean, sd;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = b[i] - a[i];
	mean_sd_k(d, n, k, &mean, &sd);
	absolute(out, mean, pg_stats_t975(n - k) * sd / sqrt((double)n));
}

int pg_stats_paired(const double *a, const double *b, size_t n, struct pg_paired *out)
{
	return pg_stats_paired_k(a, b, n, 1, out);
}

int pg_stats_paired_k(const double *a, const double *b, size_t n, size_t k, struct pg_paired *out)
{
	double *d, mean, sd, half, ma, sa;
	size_t i;

	if (!k || k > PG_STATS_MAX_ARRANGEMENTS || n <= k || n % k)
		return -1;
	for (i = 0; i < n; i++)
		if (!isfinite(a[i]) || !isfinite(b[i]))
			return -1;
	d = malloc(n * sizeof(*d));
	if (!d)
		return -1;
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->relative = all_positive(a, b, n);
	for (i = 0; i < n; i++)
		d[i] = out->relative ? log(b[i] / a[i]) : b[i] - a[i];
	mean_sd_k(d, n, k, &mean, &sd);
	half = pg_stats_t975(n - k) * sd / sqrt((double)n);
	out->p = pg_stats_signed_rank_p(d, n);
	if (!out->relative)
		absolute(out, mean, half);
	else
		diffs(out, a, b, n, k, d);
	if (out->relative) {
		out->est_pct = expm1(mean) * 100;
		out->lo_pct = expm1(mean - half) * 100;
		out->hi_pct = expm1(mean + half) * 100;
	} else {
		mean_sd(a, n, &ma, &sa);
		if (ma > 0) {
			out->est_pct = mean / ma * 100;
			out->lo_pct = (mean - half) / ma * 100;
			out->hi_pct = (mean + half) / ma * 100;
		} else {
			out->est_pct = mean == 0 ? 0 : copysign(INFINITY, mean);
			out->lo_pct = out->hi_pct = out->est_pct;
		}
	}
	free(d);
	return 0;
}

/* P(V <= v) for the signed-rank statistic of n untied ranks: the number of
 * subsets of 1..n summing to at most v, over 2^n. */
static double exact_cdf(size_t n, double v)
{
	size_t max = n * (n + 1) / 2, i, s;
	double *c, total = 0, below = 0;

	if (v < 0)
		return 0;
	c = calloc(max + 1, sizeof(*c));
	if (!c)
		return NAN;
	c[0] = 1;
	for (i = 1; i <= n; i++)
		for (s = max; s >= i; s--)
			c[s] += c[s - i];
	for (s = 0; s <= max; s++) {
		total += c[s];
		if ((double)s <= v)
			below += c[s];
	}
	free(c);
	return below / total;
}

static double exact_p(size_t n, double v)
{
	double p = v > (double)(n * (n + 1)) / 4 ? 1 - exact_cdf(n, v - 1) : exact_cdf(n, v);

	return fmin(1, 2 * p);
}

double pg_stats_signed_rank_p(const double *d, size_t n)
{
	struct pg_obs *o;
	size_t i, m = 0;
	double v, ties, mu, sigma, z;

	if (!n)
		return NAN;
	o = malloc(n * sizeof(*o));
	if (!o)
		return NAN;
	for (i = 0; i < n; i++)
		if (d[i] != 0)
			o[m++] = (struct pg_obs){ fabs(d[i]), d[i] > 0 };
	if (!m) {
		free(o);
		return 1;
	}
	/* V: the sum of the ranks of |d| over the positive differences */
	pg_stats_rank_sum(o, m, &v, &ties);
	free(o);
	if (m < PG_STATS_EXACT_MAX && ties == 0)
		return exact_p(m, v);
	mu = (double)(m * (m + 1)) / 4;
	sigma = sqrt((double)(m * (m + 1) * (2 * m + 1)) / 24 - ties / 48);
	z = v - mu;
	z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
	return sigma > 0 ? erfc(fabs(z) / sqrt(2)) : 1;
}
