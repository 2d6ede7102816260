// SPDX-License-Identifier: MIT
/* Aggregation by function, as pprof's graph and report packages do for
 * `-top` (facts from Go 1.19's vendored pprof):
 * - per sample with a non-zero value, every node on the stack gets the value
 *   once in cum (recursion counts once); the leaf frame (line[0] of the first
 *   location) gets it in flat;
 * - nodes with flat and cum both 0 are not shown; with a node fraction f,
 *   nodes with |cum| < f * (sum of flat) are dropped; then -nodecount keeps
 *   the first N in the order |flat| desc, name asc, |cum| desc;
 * - a node is "(inline)" when all its incoming call edges that weigh at
 *   least edgefraction * (sum of flat) come from a caller it was inlined
 *   into, "(partial-inline)" when only some do;
 * - the report total is the sum of |value| over all samples (only the
 *   "pprof::base" samples when a diff base is present). */
#include <stdlib.h>
#include <string.h>

#include "pprof_int.h"

struct agg {
	int64_t *flat, *cum;
	uint32_t *stamp, seq;
	uint8_t *kept, *label;
	uint32_t *g; /* the graph: node ids shown */
	size_t ng;
	int64_t total, flat_total;
	uint8_t *inl; /* bit per sample: its stack has a node inlined somewhere */
};

struct edge {
	uint64_t key; /* parent << 32 | child, 0 = free */
	int64_t weight;
	uint32_t stamp;
	uint8_t inl;
};

struct edges {
	struct edge *e;
	size_t n, cap;
};

static int next_seq(struct agg *a, size_t nnodes)
{
	if (++a->seq == 0) {
		memset(a->stamp, 0, nnodes * sizeof(*a->stamp));
		a->seq = 1;
	}
	return 0;
}

/* Returns whether a node of the stack is inlined somewhere: only such
 * samples can add the edges that decide inline labels. */
static int add_values(const struct pg_profile *p, struct agg *a,
		      const Perftools__Profiles__Sample *s, int64_t v)
{
	uint32_t li, k, n;
	size_t j;
	int inl = 0;

	next_seq(a, p->nnodes);
	for (j = s->n_location_id; j-- > 0;) {
		li = pp_idmap_get(&p->loc_ids, s->location_id[j]);
		inl |= p->loc_inl[li];
		for (k = p->loc_off[li + 1]; k-- > p->loc_off[li];) {
			n = p->loc_nodes[k];
			if (a->stamp[n] != a->seq) {
				a->stamp[n] = a->seq;
				a->cum[n] = pp_add(a->cum[n], v);
			}
		}
	}
	li = pp_idmap_get(&p->loc_ids, s->location_id[0]);
	n = p->loc_nodes[p->loc_off[li]];
	a->flat[n] = pp_add(a->flat[n], v);
	return inl;
}

static int pass_values(const struct pg_profile *p, int si, struct agg *a, struct pg_err *err)
{
	Perftools__Profiles__Sample *s;
	struct pp_arena tmp;
	int64_t v, diff_total = 0;
	size_t i;
	int base, rc = 0;

	pp_arena_init(&tmp, PP_SAMPLE_ARENA);
	for (i = 0; i < p->raw->n_sample; i++) {
		if (p->samples_unchecked)
			rc = pp_sample_read(p, i, &tmp, &s, &base, err);
		else if (!(s = pp_sample_stack(p, i, &tmp)))
			rc = pg_err_nomem(err);
		else
			base = p->diff_base && p->diff_base[i];
		if (rc)
			break;
		v = s->value[si];
		a->total = pp_add(a->total, pp_abs(v));
		if (base)
			diff_total = pp_add(diff_total, pp_abs(v));
		if (v && s->n_location_id && add_values(p, a, s, v))
			a->inl[i / 8] |= (uint8_t)(1u << (i % 8));
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	if (diff_total > 0)
		a->total = diff_total;
	return rc;
}

static struct edge *edge_find(struct edges *t, uint64_t key)
{
	size_t i = (key * 0x9e3779b97f4a7c15ULL >> 20) & (t->cap - 1);

	while (t->e[i].key && t->e[i].key != key)
		i = (i + 1) & (t->cap - 1);
	return &t->e[i];
}

static int edges_grow(struct edges *t)
{
	struct edges n = { NULL, t->n, t->cap ? 2 * t->cap : 1024 };
	size_t i;

	n.e = calloc(n.cap, sizeof(*n.e));
	if (!n.e)
		return PG_ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->e[i].key)
			*edge_find(&n, t->e[i].key) = t->e[i];
	free(t->e);
	*t = n;
	return 0;
}

static int edge_add(struct edges *t, uint32_t from, uint32_t to, int64_t v, int inl, uint32_t seq)
{
	uint64_t key = (uint64_t)from << 32 | to | (uint64_t)1 << 63;
	struct edge *e;

	if (2 * (t->n + 1) > t->cap && edges_grow(t))
		return PG_ENOMEM;
	e = edge_find(t, key);
	if (!e->key) {
		e->key = key;
		e->inl = 1;
		t->n++;
	} else if (e->stamp == seq) {
		return 0; /* each edge counts once per sample */
	}
	e->stamp = seq;
	e->weight = pp_add(e->weight, v);
	if (!inl)
		e->inl = 0;
	return 0;
}

/* Edges between shown nodes, skipping dropped ones, into nodes that are
 * inlined somewhere (only those can get a label). */
static int add_edges(const struct pg_profile *p, struct agg *a, struct edges *t,
		     const Perftools__Profiles__Sample *s, int64_t v)
{
	uint32_t li, k, n, parent = PP_NONE, end;
	size_t j;

	next_seq(a, p->nnodes);
	for (j = s->n_location_id; j-- > 0;) {
		li = pp_idmap_get(&p->loc_ids, s->location_id[j]);
		end = p->loc_off[li + 1];
		for (k = end; k-- > p->loc_off[li];) {
			n = p->loc_nodes[k];
			if (!a->kept[n])
				continue;
			if (parent != PP_NONE && n != parent && p->nodes[n].inl &&
			    edge_add(t, parent, n, v, k != end - 1, a->seq))
				return PG_ENOMEM;
			parent = n;
		}
	}
	return 0;
}

static int pass_edges(const struct pg_profile *p, int si, struct agg *a, struct edges *t,
		      struct pg_err *err)
{
	Perftools__Profiles__Sample *s;
	struct pp_arena tmp;
	size_t i;
	int rc = 0;

	pp_arena_init(&tmp, PP_SAMPLE_ARENA);
	for (i = 0; i < p->raw->n_sample && !rc; i++) {
		if (!(a->inl[i / 8] >> (i % 8) & 1))
			continue; /* no edge of it can be an inlined one */
		s = pp_sample_stack(p, i, &tmp);
		if (!s || (s->value[si] && add_edges(p, a, t, s, s->value[si])))
			rc = pg_err_nomem(err);
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	return rc;
}

/* label[n]: bit 1 = an inlined incoming edge, bit 2 = a called one. */
static int inline_labels(const struct pg_profile *p, int si, struct agg *a, double ef,
			 struct pg_err *err)
{
	struct edges t = { NULL, 0, 0 };
	int64_t cutoff = pp_abs((int64_t)((double)a->flat_total * ef));
	size_t i;
	int rc;

	rc = pass_edges(p, si, a, &t, err);
	for (i = 0; !rc && i < t.cap; i++)
		if (t.e[i].key && pp_abs(t.e[i].weight) >= cutoff)
			a->label[t.e[i].key & 0xffffffffu] |= t.e[i].inl ? 1 : 2;
	free(t.e);
	return rc;
}

struct item {
	struct pg_top_func f;
	const struct pp_node *node;
};

static int cmp_bytes(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* fmt.Sprint of pprof's NodeInfo, its last tie-breaker. */
static char *node_info(const struct pp_node *n, size_t *len)
{
	size_t cap = n->name_len + n->obj_len + 64;
	char *s = malloc(cap);
	int k;

	if (!s)
		return NULL;
	s[0] = '{';
	memcpy(s + 1, n->name ? (const char *)n->name : "", n->name_len);
	k = snprintf(s + 1 + n->name_len, 64, "  0  %lld 0 ", (long long)n->start_line);
	*len = 1 + n->name_len + (size_t)k;
	memcpy(s + *len, n->obj ? (const char *)n->obj : "", n->obj_len);
	*len += n->obj_len;
	s[(*len)++] = '}';
	return s;
}

static int cmp_items(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	int64_t fa = pp_abs(a->f.flat), fb = pp_abs(b->f.flat);
	int64_t ca = pp_abs(a->f.cum), cb = pp_abs(b->f.cum);
	size_t la, lb;
	char *ia, *ib;
	int c;

	if (fa != fb)
		return fa > fb ? -1 : 1;
	c = cmp_bytes(a->f.name, a->f.name_len, b->f.name, b->f.name_len);
	if (c)
		return c;
	if (ca != cb)
		return ca > cb ? -1 : 1;
	ia = node_info(a->node, &la);
	ib = node_info(b->node, &lb);
	c = ia && ib ? cmp_bytes(ia, la, ib, lb) : 0;
	free(ia);
	free(ib);
	return c;
}

static int graph_nodes(const struct pg_profile *p, const struct pg_top_opts *o, struct agg *a,
		       struct pg_top *out)
{
	size_t i, n = 0;
	int64_t cutoff;

	a->g = malloc((p->nnodes + 1) * sizeof(*a->g));
	if (!a->g)
		return PG_ENOMEM;
	for (i = 0; i < p->nnodes; i++) {
		if (a->flat[i] || a->cum[i]) {
			a->g[n++] = (uint32_t)i;
			a->flat_total = pp_add(a->flat_total, a->flat[i]);
		}
	}
	cutoff = pp_abs((int64_t)((double)a->flat_total * o->node_fraction));
	a->ng = 0;
	for (i = 0; i < n; i++)
		if (!cutoff || pp_abs(a->cum[a->g[i]]) >= cutoff)
			a->g[a->ng++] = a->g[i];
	out->dropped = n - a->ng;
	out->orig_count = a->ng;
	return 0;
}

static int make_items(const struct pg_profile *p, struct agg *a, struct item *it)
{
	size_t i;

	for (i = 0; i < a->ng; i++) {
		it[i].node = &p->nodes[a->g[i]];
		it[i].f.name = pp_node_name(it[i].node, &it[i].f.name_len);
		if (!it[i].f.name)
			return PG_ENOMEM;
		it[i].f.flat = a->flat[a->g[i]];
		it[i].f.cum = a->cum[a->g[i]];
		it[i].f.inline_label = "";
	}
	return 0;
}

static const char *const labels[] = { "", "(inline)", "", "(partial-inline)" };

/* Sort, apply the node count, label, and hand the items to out. */
static int finish(const struct pg_profile *p, int si, const struct pg_top_opts *o, struct agg *a,
		  struct item *it, struct pg_top *out, struct pg_err *err)
{
	size_t i, n = a->ng;
	int rc = 0;

	qsort(it, n, sizeof(*it), cmp_items);
	if (o->node_count && n > o->node_count)
		n = o->node_count;
	for (i = n; i < a->ng; i++)
		free(it[i].f.name);
	a->ng = n;
	for (i = 0; i < n; i++) {
		a->kept[it[i].node - p->nodes] = 1;
		out->flat_sum = pp_add(out->flat_sum, it[i].f.flat);
	}
	if (p->has_inline)
		rc = inline_labels(p, si, a, o->edge_fraction, err);
	for (i = 0; i < n; i++) {
		it[i].f.inline_label = labels[a->label[it[i].node - p->nodes] & 3];
		out->funcs[i] = it[i].f;
	}
	out->nfuncs = n;
	return rc;
}

static char *dup_str(struct pp_str s)
{
	char *d = malloc(s.n + 1);

	if (d) {
		memcpy(d, s.p, s.n);
		d[s.n] = '\0';
	}
	return d;
}

static int agg_init(struct agg *a, const struct pg_profile *p)
{
	size_t nnodes = p->nnodes;

	memset(a, 0, sizeof(*a));
	a->inl = calloc(p->raw->n_sample / 8 + 1, 1);
	a->flat = calloc(nnodes + 1, sizeof(*a->flat));
	a->cum = calloc(nnodes + 1, sizeof(*a->cum));
	a->stamp = calloc(nnodes + 1, sizeof(*a->stamp));
	a->kept = calloc(nnodes + 1, 1);
	a->label = calloc(nnodes + 1, 1);
	return a->flat && a->cum && a->stamp && a->kept && a->label && a->inl ? 0 : PG_ENOMEM;
}

static void agg_release(struct agg *a)
{
	free(a->flat);
	free(a->cum);
	free(a->stamp);
	free(a->kept);
	free(a->label);
	free(a->inl);
	free(a->g);
}

static int top_header(const struct pg_profile *p, int si, const struct pg_top_opts *o,
		      struct pg_top *out)
{
	const Perftools__Profiles__ValueType *vt = p->raw->sample_type[si];

	memset(out, 0, sizeof(*out));
	out->sample_index = si;
	out->node_fraction = o->node_fraction;
	out->node_count = o->node_count;
	out->sample_type = dup_str(pp_string(p, vt->type));
	out->unit = dup_str(pp_string(p, vt->unit));
	return out->sample_type && out->unit ? 0 : PG_ENOMEM;
}

int pg_profile_top_opts(const struct pg_profile *p, int si, const struct pg_top_opts *opts,
			struct pg_top *out, struct pg_err *err)
{
	struct pg_top_opts o = *opts;
	struct item *it = NULL;
	struct agg a;
	int rc;

	if (si < 0 || (size_t)si >= p->raw->n_sample_type)
		return pg_err_set(err, PG_EUSAGE, "sample index %d is out of range", si);
	o.node_fraction = o.node_fraction > 0 && o.node_fraction <= 1 ? o.node_fraction : 0;
	o.edge_fraction = o.edge_fraction > 0 && o.edge_fraction <= 1 ? o.edge_fraction : 0;
	rc = top_header(p, si, &o, out);
	if (!rc && (rc = agg_init(&a, p)))
		agg_release(&a);
	if (rc) {
		pg_top_release(out);
		return pg_err_nomem(err);
	}
	rc = pass_values(p, si, &a, err);
	out->total = a.total;
	if (!rc && graph_nodes(p, &o, &a, out))
		rc = pg_err_nomem(err);
	if (!rc) {
		it = calloc(a.ng + 1, sizeof(*it));
		out->funcs = calloc(a.ng + 1, sizeof(*out->funcs));
		if (!it || !out->funcs || make_items(p, &a, it))
			rc = pg_err_nomem(err);
	}
	if (!rc)
		rc = finish(p, si, &o, &a, it, out, err);
	else if (it)
		for (size_t i = 0; i < a.ng; i++)
			free(it[i].f.name);
	free(it);
	agg_release(&a);
	if (rc)
		pg_top_release(out);
	return rc;
}

int pg_profile_top(const struct pg_profile *p, int sample_index, struct pg_top *out,
		   struct pg_err *err)
{
	struct pg_top_opts o = PG_TOP_OPTS_ALL;

	return pg_profile_top_opts(p, sample_index, &o, out, err);
}

void pg_top_release(struct pg_top *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nfuncs; i++)
		free(t->funcs[i].name);
	free(t->funcs);
	free(t->sample_type);
	free(t->unit);
	memset(t, 0, sizeof(*t));
}
