// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "capture_priv.h"
#include "pprof.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

const char *pg_load_unit(const char *key)
{
	static const char *const units[][2] = { { "_ms", "ms" },       { "_us", "us" },
						{ "_ns", "ns" },       { "_s", "s" },
						{ "_bytes", "bytes" }, { "_pct", "%" } };
	size_t i;

	if (!strcmp(key, "rps"))
		return "req/s";
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (ends_with(key, units[i][0]))
			return units[i][1];
	return "count";
}

/* The contract: lat* and errors lower, rps higher, the rest reported. */
enum pg_better pg_load_better(const char *key)
{
	if (!strncmp(key, "lat", 3) || !strcmp(key, "errors"))
		return PG_BETTER_LOWER;
	if (!strcmp(key, "rps"))
		return PG_BETTER_HIGHER;
	return PG_BETTER_NONE;
}

static double requests_of(const struct pg_loadmetric *lm, size_t nlm)
{
	size_t i;

	for (i = 0; i < nlm; i++)
		if (!strcmp(lm[i].key, "requests"))
			return lm[i].value;
	return 0;
}

static int add_probe_metrics(struct pg_result *out, const struct pg_probe_snapshot *s0,
			     const struct pg_probe_snapshot *s1, double req, struct pg_err *err)
{
	struct pg_probe_snapshot d;
	double calls, rtx;
	size_t i;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	for (i = 0; i < PG_HIST_NBUCKETS; i++)
		d.getrandom_hist[i] = s1->getrandom_hist[i] - s0->getrandom_hist[i];
	calls = (double)(s1->getrandom_calls - s0->getrandom_calls);
	rtx = (double)(s1->tcp_retransmits - s0->tcp_retransmits);
#define ADD(name, unit, better, v) \
	if (!rc)                   \
	rc = pg_result_add_value(out, name, unit, better, v, err)
	ADD("getrandom.calls", "count", PG_BETTER_NONE, calls);
	ADD("getrandom.calls_per_req", "count", PG_BETTER_LOWER, calls / req);
	ADD("getrandom.lat_p50_ns", "ns", PG_BETTER_LOWER, pg_probe_quantile(&d, 0.50));
	ADD("getrandom.lat_p99_ns", "ns", PG_BETTER_LOWER, pg_probe_quantile(&d, 0.99));
	/* A maximum cannot be differenced: it covers warm-up too. */
	ADD("getrandom.lat_max_ns", "ns", PG_BETTER_NONE, (double)s1->getrandom_lat_max_ns);
	ADD("tcp.retransmits", "count", PG_BETTER_NONE, rtx);
	ADD("tcp.retransmits_per_1k_req", "count", PG_BETTER_LOWER, rtx * 1000 / req);
#undef ADD
	if (!rc)
		rc = pg_result_add_hist(out, d.getrandom_hist, PG_HIST_NBUCKETS, err);
	return rc;
}

int pg_capture_add_metrics(struct pg_result *out, const struct pg_loadmetric *lm, size_t nlm,
			   const struct pg_probe_snapshot *s0, const struct pg_probe_snapshot *s1,
			   uint64_t cpu_usec, struct pg_err *err)
{
	double req = requests_of(lm, nlm);
	char name[256];
	size_t i;
	int rc = 0;

	for (i = 0; i < nlm && !rc; i++) {
		if (snprintf(name, sizeof(name), "load.%s", lm[i].key) >= (int)sizeof(name)) {
			rc = pg_err_set(err, PG_EINFRA, "load metric name '%.64s...' is too long",
					lm[i].key);
			break;
		}
		rc = pg_result_add_value(out, name, pg_load_unit(lm[i].key),
					 pg_load_better(lm[i].key), lm[i].value, err);
	}
	if (!rc)
		rc = pg_result_add_value(out, PG_METRIC_CPU, "s", PG_BETTER_LOWER,
					 (double)cpu_usec / 1e6 / req, err);
	if (!rc && s0)
		rc = add_probe_metrics(out, s0, s1, req, err);
	return rc;
}

static int set_str(char **dst, const char *s, struct pg_err *err)
{
	if (*dst)
		return 0;
	*dst = strdup(s ? s : "");
	return *dst ? 0 : pg_err_nomem(err);
}

/* Fold this run's profile into the runs' merged profile: one 5-second
 * profile of a light load holds a few hundred samples, too few for a
 * function's share to mean much; the runs together hold more. */
static int keep_bytes(struct pg_buf *profile, const struct pg_buf *bytes, struct pg_err *err)
{
	return profile ? pg_profile_merge_into(profile, bytes->data, bytes->len, err) : 0;
}

/* The profile's top list into the result: its type, unit and functions. */
static int add_top(struct pg_result *out, const struct pg_top *top, struct pg_err *err)
{
	size_t i;
	int rc;

	rc = set_str(&out->profile_sample_type, top->sample_type, err);
	if (!rc)
		rc = set_str(&out->profile_unit, top->unit, err);
	out->profile_total += top->total;
	for (i = 0; i < top->nfuncs && !rc; i++)
		rc = pg_result_add_func(out, top->funcs[i].name, top->funcs[i].flat,
					top->funcs[i].cum, err);
	return rc;
}

/* Parse the bytes and take their top list (default sample type). */
static int parse_top(const struct pg_buf *bytes, struct pg_profile **p, struct pg_top *top,
		     struct pg_err *perr)
{
	int idx, rc;

	rc = pg_profile_parse(p, bytes->data, bytes->len, perr);
	if (!rc)
		rc = pg_profile_sample_index(*p, NULL, &idx, perr);
	if (!rc)
		rc = pg_profile_top(*p, idx, top, perr);
	return rc;
}

int pg_capture_add_profile(struct pg_result *out, struct pg_buf *profile,
			   const struct pg_buf *bytes, struct pg_err *err)
{
	struct pg_profile *p = NULL;
	struct pg_top top;
	struct pg_err perr = PG_ERR_INIT;
	int rc;

	memset(&top, 0, sizeof(top));
	rc = parse_top(bytes, &p, &top, &perr);
	if (rc == PG_ENOMEM) {
		rc = pg_err_nomem(err);
		goto out;
	}
	if (rc) {
		rc = 0;
		if (!out->profile_error &&
		    asprintf(&out->profile_error, "the CPU profile from pprof_url was rejected: %s",
			     perr.msg) < 0) {
			out->profile_error = NULL;
			rc = pg_err_nomem(err);
		}
		goto out;
	}
	rc = add_top(out, &top, err);
	if (rc)
		goto out;
	rc = keep_bytes(profile, bytes, &perr);
	if (rc && rc != PG_ENOMEM)
		rc = pg_err_set(err, PG_EINFRA, "cannot merge the runs' CPU profiles: %s",
				perr.msg);
	else if (rc)
		rc = pg_err_nomem(err);
out:
	pg_top_release(&top);
	pg_profile_free(p);
	return rc;
}

int pg_capture_add_pressure(struct pg_result *out, const struct pg_pressure *p0,
			    const struct pg_pressure *p1, struct pg_err *err)
{
	int rc = pg_result_add_value(out, PG_METRIC_CPU_PRESSURE, "%", PG_BETTER_NONE,
				     pg_pressure_cpu_pct(p0, p1), err);

	return rc ? rc
		  : pg_result_add_value(out, PG_METRIC_STEAL, "%", PG_BETTER_NONE,
					pg_pressure_steal_pct(p0, p1), err);
}
