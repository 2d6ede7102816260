#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "stats_int.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double pg_stats_median(const double *v, size_t n)
{
	double *s;
	double m;

	if (!n)
		return NAN;
	s = malloc(n * sizeof(*s));
	if (!s)
		return NAN;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

static int cmp_obs(const void *a, const void *b)
{
	return cmp_double(&((const struct pg_obs *)a)->v, &((const struct pg_obs *)b)->v);
}

void pg_stats_rank_sum(struct pg_obs *o, size_t n, double *rank_sum_x, double *ties)
{
	size_t i = 0, j, k;
	double r, t;

	*rank_sum_x = 0;
	*ties = 0;
	qsort(o, n, sizeof(*o), cmp_obs);
	while (i < n) {
		for (j = i + 1; j < n && o[j].v == o[i].v; j++)
			;
		r = (double)(i + 1 + j) / 2; /* mean of ranks i+1 .. j */
		for (k = i; k < j; k++)
			if (o[k].flag)
				*rank_sum_x += r;
		t = (double)(j - i);
		*ties += t * t * t - t;
		i = j;
	}
}

/* The exact null distribution of U for sample sizes m and n, as counts of
 * arrangements: f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u) (the largest
 * value is an x, beating all n y's, or a y). row[i] holds f(i, n', .) as n'
 * grows from 0 to n. Returns P(U <= u) when upper is 0, else P(U >= u). */
static double exact_tail(size_t m, size_t n, size_t u, int upper)
{
	size_t len = m * n + 1, i, k, q;
	double *f, total = 0, tail = 0;

	f = calloc((m + 1) * len, sizeof(*f));
	if (!f)
		return NAN;
	for (i = 0; i <= m; i++)
		f[i * len] = 1; /* n' = 0: U is 0 */
	for (k = 1; k <= n; k++)
		for (i = 1; i <= m; i++)
			for (q = i * k; q >= k; q--) /* U <= i*k; add f(i-1, k, q-k) */
				f[i * len + q] += f[(i - 1) * len + q - k];
	for (q = 0; q < len; q++) {
		total += f[m * len + q];
		if (upper ? q >= u : q <= u)
			tail += f[m * len + q];
	}
	free(f);
	return tail / total;
}

static int all_finite(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* R: z = W - nx*ny/2; sigma^2 = nx*ny/12 * ((N + 1) - ties / (N (N - 1)));
 * z = (z - sign(z)/2) / sigma; p = 2 min(P(Z <= z), P(Z >= z)). */
static double normal_p(double w, size_t nx, size_t ny, double ties)
{
	double n = (double)(nx + ny), mn = (double)nx * (double)ny;
	double z = w - mn / 2, sigma, corr;

	sigma = sqrt(mn / 12 * ((n + 1) - ties / (n * (n - 1))));
	if (!(sigma > 0) || z == 0)
		return 1; /* everything tied, or W exactly at its mean */
	corr = z > 0 ? 0.5 : -0.5;
	z = (z - corr) / sigma;
	return fmin(1, erfc(fabs(z) / M_SQRT2));
}

int pg_stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
			  struct pg_mwu *out)
{
	struct pg_obs *o;
	double rsx, ties, w, p;
	size_t i;

	if (!nx || !ny || !all_finite(x, nx) || !all_finite(y, ny))
		return -1;
	o = malloc((nx + ny) * sizeof(*o));
	if (!o)
		return -1;
	for (i = 0; i < nx; i++)
		o[i] = (struct pg_obs){ x[i], 1 };
	for (i = 0; i < ny; i++)
		o[nx + i] = (struct pg_obs){ y[i], 0 };
	pg_stats_rank_sum(o, nx + ny, &rsx, &ties);
	free(o);
	w = rsx - (double)nx * (double)(nx + 1) / 2;
	if (nx < PG_STATS_EXACT_MAX && ny < PG_STATS_EXACT_MAX && ties == 0) {
		/* R: the tail on W's side of the mean, doubled, at most 1 */
		if (w > (double)nx * (double)ny / 2)
			p = exact_tail(nx, ny, (size_t)w, 1);
		else
			p = exact_tail(nx, ny, (size_t)w, 0);
		if (isnan(p))
			return -1;
		out->p = fmin(1, 2 * p);
		out->exact = 1;
	} else {
		out->p = normal_p(w, nx, ny, ties);
		out->exact = 0;
	}
	out->w = w;
	return 0;
}
