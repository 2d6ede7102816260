// SPDX-License-Identifier: MIT
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "result.h"
#include "stats.h"

void pg_result_init(struct pg_result *r)
{
	memset(r, 0, sizeof(*r));
}

static void metric_release(struct pg_metric *m)
{
	free(m->name);
	free(m->unit);
	free(m->values);
}

void pg_result_release(struct pg_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nmetrics; i++)
		metric_release(&r->metrics[i]);
	for (i = 0; i < r->nfuncs; i++)
		free(r->funcs[i].name);
	free(r->metrics);
	free(r->funcs);
	free(r->scenario);
	free(r->commit);
	free(r->created);
	free(r->host.kernel);
	free(r->host.cpu_model);
	free(r->profile_sample_type);
	free(r->profile_unit);
	free(r->profile_error);
	free(r->getrandom_hist);
	free(r->go_version);
	free(r->cpu_scope);
	pg_result_init(r);
}

static char *cpu_model(void)
{
	struct pg_buf b = PG_BUF_INIT(1 << 20);
	char *model = NULL;
	char *p, *end;

	if (pg_buf_read_file(&b, "/proc/cpuinfo", NULL))
		goto out;
	p = strstr(b.data, "model name");
	if (!p || !(p = strchr(p, ':')))
		goto out;
	p += 1 + strspn(p + 1, " \t");
	end = strchr(p, '\n');
	model = strndup(p, end ? (size_t)(end - p) : strlen(p));
out:
	pg_buf_release(&b);
	return model ? model : strdup("unknown");
}

int pg_result_set_host(struct pg_result *r, struct pg_err *err)
{
	struct utsname u;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (uname(&u) < 0)
		return pg_err_set(err, PG_EINFRA, "uname failed: %s", strerror(errno));
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(r->host.kernel);
	free(r->host.cpu_model);
	free(r->created);
	r->host.kernel = strdup(u.release);
	r->host.cpu_model = cpu_model();
	r->host.cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	r->created = strdup(stamp);
	if (!r->host.kernel || !r->host.cpu_model || !r->created)
		return pg_err_nomem(err);
	return 0;
}

static int metric_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pg_metric *)a)->name, ((const struct pg_metric *)b)->name);
}

static struct pg_metric *find_metric(const struct pg_result *r, const char *name)
{
	struct pg_metric key = { .name = (char *)name };

	if (!r->nmetrics)
		return NULL;
	return bsearch(&key, r->metrics, r->nmetrics, sizeof(key), metric_cmp);
}

const struct pg_metric *pg_result_metric(const struct pg_result *r, const char *name)
{
	return find_metric(r, name);
}

static struct pg_metric *new_metric(struct pg_result *r, const char *name, const char *unit,
				    enum pg_better better, struct pg_err *err)
{
	struct pg_metric *ms, m = { 0 };

	ms = realloc(r->metrics, (r->nmetrics + 1) * sizeof(*ms));
	if (!ms)
		goto nomem;
	r->metrics = ms;
	m.name = strdup(name);
	m.unit = strdup(unit ? unit : "");
	m.better = better;
	if (!m.name || !m.unit) {
		metric_release(&m);
		goto nomem;
	}
	r->metrics[r->nmetrics++] = m;
	qsort(r->metrics, r->nmetrics, sizeof(m), metric_cmp);
	return find_metric(r, name);
nomem:
	pg_err_nomem(err);
	return NULL;
}

int pg_result_add_value(struct pg_result *r, const char *name, const char *unit,
			enum pg_better better, double value, struct pg_err *err)
{
	struct pg_metric *m = find_metric(r, name);
	double *v;

	if (!isfinite(value))
		return pg_err_set(err, PG_EINPUT, "metric '%s' has a value that is not finite",
				  name);
	if (!m)
		m = new_metric(r, name, unit, better, err);
	if (!m)
		return PG_ENOMEM;
	/* capacity doubles at each power of two: one realloc per value made
	 * reading 1e6 values quadratic (under ASan, minutes) */
	if (!(m->nvalues & (m->nvalues - 1))) {
		v = realloc(m->values, (m->nvalues ? 2 * m->nvalues : 1) * sizeof(*v));
		if (!v)
			return pg_err_nomem(err);
		m->values = v;
	}
	m->values[m->nvalues++] = value;
	return 0;
}

int pg_result_add_func(struct pg_result *r, const char *name, int64_t flat, int64_t cum,
		       struct pg_err *err)
{
	struct pg_func *fs;
	size_t i;

	for (i = 0; i < r->nfuncs; i++) {
		if (!strcmp(r->funcs[i].name, name)) {
			r->funcs[i].flat += flat;
			r->funcs[i].cum += cum;
			return 0;
		}
	}
	fs = realloc(r->funcs, (r->nfuncs + 1) * sizeof(*fs));
	if (!fs)
		return pg_err_nomem(err);
	r->funcs = fs;
	fs[r->nfuncs].name = strdup(name);
	if (!fs[r->nfuncs].name)
		return pg_err_nomem(err);
	fs[r->nfuncs].flat = flat;
	fs[r->nfuncs].cum = cum;
	r->nfuncs++;
	return 0;
}

static int func_cmp(const void *a, const void *b)
{
	const struct pg_func *x = a, *y = b;

	if (x->flat != y->flat)
		return x->flat < y->flat ? 1 : -1;
	if (x->cum != y->cum)
		return x->cum < y->cum ? 1 : -1;
	return strcmp(x->name, y->name);
}

void pg_result_sort_funcs(struct pg_result *r)
{
	if (r->nfuncs)
		qsort(r->funcs, r->nfuncs, sizeof(*r->funcs), func_cmp);
}

/* The median rule lives in stats.c; a metric is only its values. */
double pg_metric_median(const struct pg_metric *m)
{
	return m ? pg_stats_median(m->values, m->nvalues) : NAN;
}

const char *pg_better_name(enum pg_better b)
{
	switch (b) {
	case PG_BETTER_LOWER:
		return "lower";
	case PG_BETTER_HIGHER:
		return "higher";
	default:
		return "none";
	}
}

static int set_once(char **dst, const char *src, struct pg_err *err)
{
	if (*dst || !src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : pg_err_nomem(err);
}

int pg_result_append(struct pg_result *dst, const struct pg_result *src, struct pg_err *err)
{
	const struct pg_metric *m;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < src->nmetrics && !rc; i++) {
		m = &src->metrics[i];
		for (j = 0; j < m->nvalues && !rc; j++)
			rc = pg_result_add_value(dst, m->name, m->unit, m->better, m->values[j],
						 err);
	}
	for (i = 0; i < src->nfuncs && !rc; i++)
		rc = pg_result_add_func(dst, src->funcs[i].name, src->funcs[i].flat,
					src->funcs[i].cum, err);
	if (!rc)
		rc = set_once(&dst->scenario, src->scenario, err);
	if (!rc)
		rc = set_once(&dst->profile_sample_type, src->profile_sample_type, err);
	if (!rc)
		rc = set_once(&dst->profile_unit, src->profile_unit, err);
	dst->profile_total += src->profile_total;
	dst->runs += src->runs;
	if (!rc && src->getrandom_hist)
		rc = pg_result_add_hist(dst, src->getrandom_hist, src->ngetrandom_hist, err);
	if (!rc)
		rc = set_once(&dst->go_version, src->go_version, err);
	if (!rc)
		rc = set_once(&dst->cpu_scope, src->cpu_scope, err);
	if (!rc)
		pg_result_sort_funcs(dst);
	return rc;
}

int pg_result_cpu_main_only(const struct pg_result *r)
{
	return r->cpu_scope && !strcmp(r->cpu_scope, PG_CPU_SCOPE_PROCESS);
}

int pg_result_cpu_apart(const struct pg_result *a, const struct pg_result *b)
{
	return pg_result_cpu_main_only(a) != pg_result_cpu_main_only(b);
}

static int same(const char *a, const char *b)
{
	return !a || !b || !strcmp(a, b);
}

int pg_host_mismatch(const struct pg_host *a, const struct pg_host *b, char *out, size_t n)
{
	int len;

	if (same(a->cpu_model, b->cpu_model) && (!a->cores || !b->cores || a->cores == b->cores) &&
	    same(a->kernel, b->kernel))
		return 0;
	len = snprintf(out, n, "'%s', %d cores, kernel %s vs '%s', %d cores, kernel %s",
		       a->cpu_model ? a->cpu_model : "?", a->cores, a->kernel ? a->kernel : "?",
		       b->cpu_model ? b->cpu_model : "?", b->cores, b->kernel ? b->kernel : "?");
	return len > 0;
}
