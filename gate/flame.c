// SPDX-License-Identifier: MIT
/* The merged call tree of a differential flame graph: every stack of both
 * profiles is added from the root, so a frame is the same node in both
 * when it has the same path of names from the root. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "flame_int.h"

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int names_rehash(struct pg_flame *fl)
{
	size_t cap = fl->nslots ? 2 * fl->nslots : 1024, i, j;
	uint32_t *slot = malloc(cap * sizeof(*slot));

	if (!slot)
		return PG_ENOMEM;
	memset(slot, 0xff, cap * sizeof(*slot));
	for (i = 0; i < fl->nnames; i++) {
		for (j = name_hash(fl->names[i]) & (cap - 1); slot[j] != UINT32_MAX;
		     j = (j + 1) & (cap - 1))
			;
		slot[j] = (uint32_t)i;
	}
	free(fl->name_slot);
	fl->name_slot = slot;
	fl->nslots = cap;
	return 0;
}

/* The one copy of name this graph keeps, made on first sight. */
static char *intern(struct pg_flame *fl, const char *name)
{
	size_t j;
	char **names;

	if ((fl->nnames + 1) * 2 > fl->nslots && names_rehash(fl))
		return NULL;
	for (j = name_hash(name) & (fl->nslots - 1); fl->name_slot[j] != UINT32_MAX;
	     j = (j + 1) & (fl->nslots - 1))
		if (!strcmp(fl->names[fl->name_slot[j]], name))
			return fl->names[fl->name_slot[j]];
	if (fl->nnames == fl->capnames) {
		names = realloc(fl->names,
				(fl->capnames ? 2 * fl->capnames : 256) * sizeof(*names));
		if (!names)
			return NULL;
		fl->names = names;
		fl->capnames = fl->capnames ? 2 * fl->capnames : 256;
	}
	fl->names[fl->nnames] = strdup(name);
	if (!fl->names[fl->nnames])
		return NULL;
	fl->name_slot[j] = (uint32_t)fl->nnames;
	return fl->names[fl->nnames++];
}

static int add_node(struct pg_flame *fl, const char *name, uint32_t *id)
{
	struct pg_flame_node *n;
	size_t cap;

	if (fl->nnodes == fl->capnodes) {
		if (fl->capnodes >= UINT32_MAX / 4)
			return PG_ENOMEM;
		cap = fl->capnodes ? 2 * fl->capnodes : 256;
		n = realloc(fl->nodes, cap * sizeof(*n));
		if (!n)
			return PG_ENOMEM;
		fl->nodes = n;
		fl->capnodes = cap;
	}
	n = &fl->nodes[fl->nnodes];
	memset(n, 0, sizeof(*n));
	n->name = intern(fl, name);
	if (!n->name)
		return PG_ENOMEM;
	*id = (uint32_t)fl->nnodes++;
	return 0;
}

/* Binary search of parent's children; *pos is where name belongs. */
static int find_kid(const struct pg_flame *fl, const struct pg_flame_node *parent, const char *name,
		    uint32_t *pos)
{
	uint32_t lo = 0, hi = parent->nkids, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(fl->nodes[parent->kids[mid]].name, name);
		if (!c) {
			*pos = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return 0;
}

/* Find or add the child called name of node parent; its index in *out. */
static int child(struct pg_flame *fl, uint32_t parent, const char *name, uint32_t *out)
{
	struct pg_flame_node *p = &fl->nodes[parent];
	uint32_t pos, id, *kids;
	size_t cap;

	if (find_kid(fl, p, name, &pos)) {
		*out = p->kids[pos];
		return 0;
	}
	if (add_node(fl, name, &id))
		return PG_ENOMEM;
	p = &fl->nodes[parent]; /* add_node may move the array */
	if (p->nkids == p->capkids) {
		cap = p->capkids ? 2 * (size_t)p->capkids : 4;
		kids = realloc(p->kids, cap * sizeof(*kids));
		if (!kids)
			return PG_ENOMEM;
		p->kids = kids;
		p->capkids = (uint32_t)cap;
	}
	memmove(p->kids + pos + 1, p->kids + pos, (p->nkids - pos) * sizeof(*p->kids));
	p->kids[pos] = id;
	p->nkids++;
	*out = id;
	return 0;
}

/* Go-style wrapping addition: hostile profiles must not be UB. */
static int64_t add64(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

struct adder {
	struct pg_flame *fl;
	int which;
	struct pg_err *err;
	int split_sign; /* negative values go to [0], the rest to [1] */
};

static int add_stack(void *arg, const char *const *frames, size_t n, int64_t value)
{
	struct adder *a = arg;
	struct pg_flame *fl = a->fl;
	int which = a->split_sign ? value >= 0 : a->which;
	uint32_t id = 0;
	size_t i;

	fl->nodes[0].value[which] = add64(fl->nodes[0].value[which], value);
	for (i = 0; i < n; i++) {
		if (child(fl, id, frames[i], &id))
			return pg_err_nomem(a->err);
		fl->nodes[id].value[which] = add64(fl->nodes[id].value[which], value);
	}
	return 0;
}

static int add_profile(struct pg_flame *fl, const struct pg_profile *p, int which,
		       struct pg_err *err)
{
	struct adder a = { fl, which, err, which < 0 };
	int si, rc;

	rc = pg_profile_sample_index(p, NULL, &si, err);
	if (!rc)
		rc = pg_profile_foreach_stack(p, si, add_stack, &a, err);
	if (which >= 0)
		fl->samples[which] = pg_profile_sample_count(p);
	return rc;
}

int pg_flame_new(struct pg_flame **out, const struct pg_profile *base, const struct pg_profile *cur,
		 struct pg_err *err)
{
	struct pg_flame *fl = calloc(1, sizeof(*fl));
	uint32_t root;
	int rc;

	*out = NULL;
	if (!fl || add_node(fl, "all", &root)) {
		pg_flame_free(fl);
		return pg_err_nomem(err);
	}
	fl->has_base = base != NULL;
	rc = add_profile(fl, cur, 1, err);
	if (!rc && base)
		rc = add_profile(fl, base, 0, err);
	if (rc) {
		pg_flame_free(fl);
		return rc;
	}
	*out = fl;
	return 0;
}

void pg_flame_free(struct pg_flame *fl)
{
	size_t i;

	if (!fl)
		return;
	for (i = 0; i < fl->nnodes; i++)
		free(fl->nodes[i].kids);
	for (i = 0; i < fl->nnames; i++)
		free(fl->names[i]);
	free(fl->names);
	free(fl->name_slot);
	free(fl->nodes);
	free(fl);
}

void pg_flame_set_note(struct pg_flame *fl, const char *note)
{
	snprintf(fl->note, sizeof(fl->note), "%s", note ? note : "");
}

double pg_flame_share(const struct pg_flame *fl, const struct pg_flame_node *n, int which)
{
	int64_t total = fl->nodes[0].value[which];

	if (total <= 0 || n->value[which] <= 0)
		return 0;
	return (double)n->value[which] / (double)total;
}

/* One line per call path with time of its own: "root;...;leaf self". A
 * ';' in a name would split the frame, so it becomes ':'; controls (a
 * newline too), bytes that are not UTF-8 and bidi overrides are escaped as
 * everywhere else (esc.h). Depth is bounded like the SVG's. */
static void put_frame(FILE *f, const char *name)
{
	char inert[8192];
	const char *p;

	for (p = pg_esc_text(inert, sizeof(inert), name, 0); *p; p++)
		fputc(*p == ';' ? ':' : *p, f);
}

static void folded(FILE *f, const struct pg_flame *fl, uint32_t id, size_t depth, uint32_t *path,
		   int which)
{
	const struct pg_flame_node *n = &fl->nodes[id];
	int64_t self = n->value[which];
	size_t i;

	if (depth >= 4096)
		return;
	path[depth] = id;
	for (i = 0; i < n->nkids; i++)
		self = add64(self, (int64_t)(0 - (uint64_t)fl->nodes[n->kids[i]].value[which]));
	if (self && depth) {
		for (i = 1; i <= depth; i++) {
			if (i > 1)
				fputc(';', f);
			put_frame(f, fl->nodes[path[i]].name);
		}
		fprintf(f, " %lld\n", (long long)self);
	}
	for (i = 0; i < n->nkids; i++)
		folded(f, fl, n->kids[i], depth + 1, path, which);
}

/* Positive and negative values (delta profiles) are summed apart, so a
 * path may have a line of each sign and the lines' absolute values add up
 * to pprof's total, which counts |value|. */
int pg_flame_folded(FILE *f, const struct pg_profile *p, struct pg_err *err)
{
	struct pg_flame *fl = NULL;
	uint32_t *path = NULL;
	uint32_t root;
	int rc;

	fl = calloc(1, sizeof(*fl));
	path = calloc(4097, sizeof(*path));
	if (!fl || !path || add_node(fl, "all", &root)) {
		rc = pg_err_nomem(err);
		goto out;
	}
	rc = add_profile(fl, p, -1, err);
	if (rc)
		goto out;
	folded(f, fl, 0, 0, path, 1);
	folded(f, fl, 0, 0, path, 0);
	if (fflush(f) || ferror(f))
		rc = pg_err_set(err, PG_EINFRA, "cannot write the folded stacks");
out:
	free(path);
	pg_flame_free(fl);
	return rc;
}
