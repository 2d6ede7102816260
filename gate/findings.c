// SPDX-License-Identifier: MIT
/* The facts of one side's CPU profile that the findings need: every
 * function's flat and cum, the sample count, and the share of CPU under
 * each documented call path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

enum match { PREFIX, EXACT, CONTAINS };

struct pattern {
	enum pg_cpu_path path;
	enum match how;
	const char *text;
};

/* The documented table (README, "Findings"): Go's crypto/rand and the
 * runtime's and x/sys's ways into getrandom(2) (Go 1.24's vDSO path is
 * runtime.vgetrandom), glibc's getrandom for C workloads; the socket write
 * and read paths of Go's net package down to the syscall. */
static const struct pattern patterns[] = {
	{ PG_PATH_GETRANDOM, PREFIX, "crypto/rand." },
	{ PG_PATH_GETRANDOM, PREFIX, "crypto/internal/sysrand." },
	{ PG_PATH_GETRANDOM, PREFIX, "internal/syscall/unix.GetRandom" },
	{ PG_PATH_GETRANDOM, EXACT, "runtime.getRandomData" },
	{ PG_PATH_GETRANDOM, PREFIX, "runtime.vgetrandom" },
	{ PG_PATH_GETRANDOM, CONTAINS, "getrandom" },
	{ PG_PATH_GETRANDOM, CONTAINS, "Getrandom" },
	{ PG_PATH_TCP_WRITE, PREFIX, "net.(*conn).Write" },
	{ PG_PATH_TCP_WRITE, PREFIX, "net.(*netFD).Write" },
	{ PG_PATH_TCP_WRITE, PREFIX, "internal/poll.(*FD).Write" },
	{ PG_PATH_TCP_WRITE, EXACT, "syscall.write" },
	{ PG_PATH_TCP_WRITE, CONTAINS, "tcp_sendmsg" },
	{ PG_PATH_TCP_READ, PREFIX, "net.(*conn).Read" },
	{ PG_PATH_TCP_READ, PREFIX, "net.(*netFD).Read" },
	{ PG_PATH_TCP_READ, PREFIX, "internal/poll.(*FD).Read" },
	{ PG_PATH_TCP_READ, EXACT, "syscall.read" },
	{ PG_PATH_TCP_READ, CONTAINS, "tcp_recvmsg" },
};

#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

int pg_cpu_path_match(enum pg_cpu_path path, const char *name)
{
	const struct pattern *p;
	size_t i;

	for (i = 0; i < NPATTERNS; i++) {
		p = &patterns[i];
		if (p->path != path)
			continue;
		if ((p->how == PREFIX && !strncmp(name, p->text, strlen(p->text))) ||
		    (p->how == EXACT && !strcmp(name, p->text)) ||
		    (p->how == CONTAINS && strstr(name, p->text)))
			return 1;
	}
	return 0;
}

const char *pg_cpu_path_name(enum pg_cpu_path path)
{
	static const char *const names[] = { "getrandom path", "TCP write path", "TCP read path" };

	return path < PG_PATH_N ? names[path] : "?";
}

void pg_cpu_side_init(struct pg_cpu_side *s)
{
	memset(s, 0, sizeof(*s));
}

void pg_cpu_side_release(struct pg_cpu_side *s)
{
	pg_top_release(&s->top);
	pg_cpu_side_init(s);
}

/* The function of each path with the largest cum: the one to name. */
static void path_functions(struct pg_cpu_side *s)
{
	const struct pg_top_func *f;
	int64_t best[PG_PATH_N] = { 0 };
	size_t i;
	int k;

	for (i = 0; i < s->top.nfuncs; i++) {
		f = &s->top.funcs[i];
		for (k = 0; k < PG_PATH_N; k++)
			if (f->cum > best[k] && pg_cpu_path_match(k, f->name)) {
				best[k] = f->cum;
				s->path_fn[k] = f->name;
			}
	}
}

struct path_walk {
	int64_t value[PG_PATH_N];
};

/* A sample counts once for a path when any of its frames is on it. */
static int walk_stack(void *arg, const char *const *frames, size_t n, int64_t value)
{
	struct path_walk *w = arg;
	size_t i;
	int k;

	for (k = 0; k < PG_PATH_N; k++)
		for (i = 0; i < n; i++)
			if (pg_cpu_path_match(k, frames[i])) {
				w->value[k] += value;
				break;
			}
	return 0;
}

int pg_cpu_side_from_profile(struct pg_cpu_side *s, const struct pg_profile *p, struct pg_err *err)
{
	struct path_walk w = { { 0 } };
	int si, rc, k;

	rc = pg_profile_sample_index(p, NULL, &si, err);
	if (!rc)
		rc = pg_profile_top(p, si, &s->top, err);
	if (!rc)
		rc = pg_profile_foreach_stack(p, si, walk_stack, &w, err);
	if (rc)
		return rc;
	s->present = s->top.total > 0;
	s->from_stacks = 1;
	s->samples = pg_profile_sample_count(p);
	for (k = 0; k < PG_PATH_N && s->top.total > 0; k++)
		s->path[k] = (double)w.value[k] / (double)s->top.total;
	path_functions(s);
	return 0;
}

static int copy_funcs(struct pg_top *t, const struct pg_result *r)
{
	size_t i;

	t->funcs = calloc(r->nfuncs + 1, sizeof(*t->funcs));
	t->sample_type = strdup(r->profile_sample_type ? r->profile_sample_type : "");
	t->unit = strdup(r->profile_unit ? r->profile_unit : "");
	if (!t->funcs || !t->sample_type || !t->unit)
		return PG_ENOMEM;
	for (i = 0; i < r->nfuncs; i++, t->nfuncs++) {
		t->funcs[i].name = strdup(r->funcs[i].name);
		if (!t->funcs[i].name)
			return PG_ENOMEM;
		t->funcs[i].name_len = strlen(r->funcs[i].name);
		t->funcs[i].flat = r->funcs[i].flat;
		t->funcs[i].cum = r->funcs[i].cum;
		t->funcs[i].inline_label = "";
	}
	t->total = r->profile_total;
	return 0;
}

/* Without stacks, a path's share is the largest cum among its functions:
 * a lower bound of the share under any of them. */
int pg_cpu_side_from_result(struct pg_cpu_side *s, const struct pg_result *r, struct pg_err *err)
{
	int k;

	if (!r || !r->nfuncs || r->profile_total <= 0)
		return 0;
	if (copy_funcs(&s->top, r)) {
		pg_cpu_side_release(s);
		return pg_err_nomem(err);
	}
	s->present = 1;
	s->samples = !strcmp(s->top.unit, "nanoseconds") ? (double)s->top.total / 1e7
							 : (double)s->top.total;
	path_functions(s);
	for (k = 0; k < PG_PATH_N; k++) {
		const struct pg_top_func *f = NULL;
		size_t i;

		for (i = 0; i < s->top.nfuncs && s->path_fn[k]; i++)
			if (s->top.funcs[i].name == s->path_fn[k])
				f = &s->top.funcs[i];
		s->path[k] = f ? (double)f->cum / (double)s->top.total : 0;
	}
	return 0;
}

int pg_share_changed(double p0, double n0, double p1, double n1, double z)
{
	double pooled, se;

	if (n0 < 1 || n1 < 1)
		return 0;
	pooled = (p0 * n0 + p1 * n1) / (n0 + n1);
	se = sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
	/* identical shares never differ; a share of 0 vs 1 always does */
	if (se <= 0)
		return p0 != p1;
	return fabs(p1 - p0) > z * se;
}
