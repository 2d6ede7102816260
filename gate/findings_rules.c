// SPDX-License-Identifier: MIT
/* The rules that turn a regressed metric and the other signal into a
 * finding: eBPF's getrandom metrics against the getrandom path's share of
 * CPU, CPU per request against its top movers, latency against CPU per
 * request, retransmits against the TCP paths and the drop rule. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

struct ctx {
	const struct pg_verdict *v;
	const struct pg_cpu_side *b, *c;
	double drop_pct;
};

static void say(struct pg_finding *f, enum pg_finding_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct pg_finding *f, enum pg_finding_kind kind, const char *fmt, ...)
{
	va_list ap;

	f->kind = kind;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}

static const struct pg_top_func *func_of(const struct pg_cpu_side *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->top.nfuncs; i++)
		if (!strcmp(s->top.funcs[i].name, name))
			return &s->top.funcs[i];
	return NULL;
}

/* A function's flat (cum = 0) or cum share of its side's total, 0..1. */
static double share(const struct pg_cpu_side *s, const char *name, int cum)
{
	const struct pg_top_func *f = func_of(s, name);

	if (!f || s->top.total <= 0)
		return 0;
	return (double)(cum ? f->cum : f->flat) / (double)s->top.total;
}

static int profiles(const struct ctx *x, struct pg_finding *f)
{
	if (x->b->present && x->c->present)
		return 1;
	say(f, PG_FINDING_NO_SIGNAL,
	    "no CPU profile on %s to cross-check with (set the scenario's pprof_url)",
	    x->b->present ? "the current side" : "the baseline side");
	return 0;
}

static void getrandom_finding(const struct ctx *x, const struct pg_compare_row *w,
			      struct pg_finding *f)
{
	double p0 = x->b->path[PG_PATH_GETRANDOM], p1 = x->c->path[PG_PATH_GETRANDOM];
	const char *fn = x->c->path_fn[PG_PATH_GETRANDOM];

	if (!profiles(x, f))
		return;
	if (p1 > p0 && pg_share_changed(p0, x->b->samples, p1, x->c->samples, PG_FINDINGS_Z) &&
	    fn) {
		say(f, PG_FINDING_CORROBORATED,
		    "corroborated by pprof: %s %+.1f pp (the getrandom path: %.1f %% -> %.1f %% of "
		    "CPU)",
		    fn, 100 * (share(x->c, fn, 1) - share(x->b, fn, 1)), 100 * p0, 100 * p1);
	} else if (strstr(w->metric, ".lat_")) {
		say(f, PG_FINDING_BLOCKED,
		    "not seen in the CPU profile (the time is spent blocked, not on CPU): the "
		    "getrandom path holds %.1f %% -> %.1f %% of CPU",
		    100 * p0, 100 * p1);
	} else {
		say(f, PG_FINDING_NOT_CORROBORATED,
		    "not corroborated by pprof: the getrandom path's share of CPU did not grow "
		    "beyond sampling noise (%.1f %% -> %.1f %%)",
		    100 * p0, 100 * p1);
	}
}

struct move {
	const char *name;
	double d;
};

/* The two functions whose flat (or cum) share grew most beyond noise. */
static size_t best_moves(const struct ctx *x, int cum, struct move out[2])
{
	const struct pg_top_func *f;
	double p0, p1;
	size_t i, n = 0;

	out[0].d = out[1].d = 0;
	for (i = 0; i < x->c->top.nfuncs; i++) {
		f = &x->c->top.funcs[i];
		p1 = share(x->c, f->name, cum);
		p0 = share(x->b, f->name, cum);
		if (p1 - p0 <= out[1].d ||
		    !pg_share_changed(p0, x->b->samples, p1, x->c->samples, PG_FINDINGS_Z))
			continue;
		if (p1 - p0 > out[0].d) {
			out[1] = out[0];
			out[0] = (struct move){ f->name, p1 - p0 };
		} else {
			out[1] = (struct move){ f->name, p1 - p0 };
		}
		n += n < 2;
	}
	return n;
}

static int put_moves(char *buf, size_t len, const char *what, const struct move *m, size_t n)
{
	size_t i;
	int k = snprintf(buf, len, "%s", n ? what : "");

	for (i = 0; i < n && k >= 0 && (size_t)k < len; i++)
		k += snprintf(buf + k, len - k, "%s%s %+.1f pp", i ? ", " : "", m[i].name,
			      100 * m[i].d);
	return k;
}

static void cpu_finding(const struct ctx *x, struct pg_finding *f)
{
	struct move flat[2], cum[2];
	size_t nf, nc;
	char a[160], b[160];

	if (!profiles(x, f))
		return;
	nf = best_moves(x, 0, flat);
	nc = best_moves(x, 1, cum);
	if (!nf && !nc) {
		say(f, PG_FINDING_NOT_CORROBORATED,
		    "not corroborated by pprof: no function's share of CPU moved beyond sampling "
		    "noise, so the work per request did not change shape (a slower host, or "
		    "more of the same work)");
		return;
	}
	put_moves(a, sizeof(a), "top movers by flat: ", flat, nf);
	put_moves(b, sizeof(b), nf ? "by cum: " : "top movers by cum: ", cum, nc);
	say(f, PG_FINDING_CORROBORATED, "corroborated by pprof: %s%s%s", a, nf && nc ? "; " : "",
	    b);
}

/* Latency in ms against CPU per request: the CPU a request gained can
 * explain at most that much of the latency it gained; when it explains
 * under half, the rest is spent waiting (the demo's injected sleep makes
 * the runtime work a little harder too, so "CPU went up" alone is no
 * proof of computing). */
static void latency_ms_finding(const struct pg_compare_row *w, const struct pg_compare_row *cpu,
			       struct pg_finding *f)
{
	double dlat = w->current - w->baseline, dcpu = 1000 * (cpu->current - cpu->baseline);
	double part = dcpu > 0 ? dcpu / dlat : 0;

	if (part < 0.5)
		say(f, PG_FINDING_OFF_CPU,
		    "off-CPU: waiting, not computing: latency %+.3g ms, CPU per request %+.3g ms "
		    "(%.0f %% of it): sleeps, locks or I/O that a CPU profile does not show",
		    dlat, dcpu, 100 * (part > 0 ? part : 0));
	else
		say(f, PG_FINDING_CORROBORATED,
		    "computing, not waiting: CPU per request %+.3g ms accounts for %.0f %% of the "
		    "latency's %+.3g ms; see cpu.seconds_per_req",
		    dcpu, 100 * (part > 1 ? 1 : part), dlat);
}

static void latency_finding(const struct ctx *x, const struct pg_compare_row *w,
			    struct pg_finding *f)
{
	const struct pg_compare_row *cpu = pg_verdict_row(x->v, PG_METRIC_CPU);

	if (!cpu || isnan(cpu->change_pct) || isnan(cpu->baseline) || isnan(cpu->current)) {
		say(f, PG_FINDING_NO_SIGNAL,
		    "no CPU per request on both sides to cross-check with");
	} else if (!strcmp(w->unit, "ms") && w->current > w->baseline) {
		latency_ms_finding(w, cpu, f);
	} else if (cpu->verdict == PG_VERDICT_REGRESSION) {
		say(f, PG_FINDING_CORROBORATED,
		    "CPU per request is up too (%+.1f %%): computing, not waiting; see "
		    "cpu.seconds_per_req",
		    cpu->change_pct);
	} else {
		say(f, PG_FINDING_OFF_CPU,
		    "off-CPU: waiting, not computing (CPU per request %+.1f %%, within its "
		    "threshold): sleeps, locks or I/O that a CPU profile does not show",
		    cpu->change_pct);
	}
}

static void drop_rule(const struct ctx *x, char *buf, size_t len)
{
	if (x->drop_pct > 0)
		snprintf(buf, len,
			 "the scenario drops %g %% of its packets on purpose (workload.drop_pct, "
			 "an nft rule in its network namespace)",
			 x->drop_pct);
	else if (x->drop_pct == 0)
		snprintf(buf, len, "no drop rule is set (workload.drop_pct 0): the loss is real");
	else
		snprintf(buf, len, "the drop rule is unknown here");
}

static void retransmit_finding(const struct ctx *x, struct pg_finding *f)
{
	double w0 = x->b->path[PG_PATH_TCP_WRITE], w1 = x->c->path[PG_PATH_TCP_WRITE];
	double r0 = x->b->path[PG_PATH_TCP_READ], r1 = x->c->path[PG_PATH_TCP_READ];
	int grew;
	char drop[160];

	drop_rule(x, drop, sizeof(drop));
	if (!x->b->present || !x->c->present) {
		say(f, PG_FINDING_NO_SIGNAL, "%s; no CPU profile on both sides", drop);
		return;
	}
	grew = (w1 > w0 && pg_share_changed(w0, x->b->samples, w1, x->c->samples, PG_FINDINGS_Z)) ||
	       (r1 > r0 && pg_share_changed(r0, x->b->samples, r1, x->c->samples, PG_FINDINGS_Z));
	say(f, grew ? PG_FINDING_CORROBORATED : PG_FINDING_NOT_CORROBORATED,
	    "%s by pprof: TCP write path %.1f %% -> %.1f %%, read path %.1f %% -> %.1f %% of "
	    "CPU; %s",
	    grew ? "corroborated" : "not corroborated", 100 * w0, 100 * w1, 100 * r0, 100 * r1,
	    drop);
}

static void finding(const struct ctx *x, const struct pg_compare_row *w, struct pg_finding *f)
{
	f->metric = w->metric;
	if (!strncmp(w->metric, "getrandom.", 10))
		getrandom_finding(x, w, f);
	else if (!strcmp(w->metric, PG_METRIC_CPU))
		cpu_finding(x, f);
	else if (!strncmp(w->metric, "load.lat", 8) || !strcmp(w->metric, "load.rps"))
		latency_finding(x, w, f);
	else if (!strncmp(w->metric, "tcp.retransmits", 15))
		retransmit_finding(x, f);
	else
		say(f, PG_FINDING_NO_SIGNAL, "no second signal cross-checks this metric");
}

/* An inconclusive metric (paired mode) needs the other signal most. */
static int wants_finding(const struct pg_compare_row *w)
{
	return w->verdict == PG_VERDICT_REGRESSION || w->verdict == PG_VERDICT_INCONCLUSIVE;
}

int pg_findings_build(struct pg_findings *out, const struct pg_verdict *v,
		      const struct pg_cpu_side *base, const struct pg_cpu_side *cur,
		      double drop_pct, struct pg_err *err)
{
	struct ctx x = { v, base, cur, drop_pct };
	size_t i;

	memset(out, 0, sizeof(*out));
	out->items = calloc(v->nrows + 1, sizeof(*out->items));
	if (!out->items)
		return pg_err_nomem(err);
	for (i = 0; i < v->nrows; i++)
		if (wants_finding(&v->rows[i]))
			finding(&x, &v->rows[i], &out->items[out->n++]);
	return 0;
}

void pg_findings_release(struct pg_findings *f)
{
	free(f->items);
	memset(f, 0, sizeof(*f));
}

const char *pg_finding_kind_name(enum pg_finding_kind k)
{
	static const char *const names[] = { "corroborated", "not corroborated", "off-CPU",
					     "blocked", "no signal" };

	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
