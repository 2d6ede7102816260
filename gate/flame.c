// SPDX-License-Identifier: MIT
/* The merged call tree of a differential flame graph: every stack of both
 * profiles is added from the root, so a frame is the same node in both
 * when it has the same path of names from the root. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "flame_int.h"

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
		if (pg_flame_child(fl, id, frames[i], &id))
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
	pg_flame_forget_frames(fl); /* their addresses may come again */
	if (which >= 0)
		fl->samples[which] = pg_profile_sample_count(p);
	return rc;
}

int pg_flame_new(struct pg_flame **out, const struct pg_profile *base, const struct pg_profile *cur,
		 struct pg_err *err)
{
	struct pg_flame *fl = calloc(1, sizeof(*fl));
	int rc;

	*out = NULL;
	if (!fl || pg_flame_root(fl)) {
		pg_flame_free(fl);
		return pg_err_nomem(err);
	}
	fl->has_base = base != NULL;
	rc = add_profile(fl, cur, 1, err);
	if (!rc && base)
		rc = add_profile(fl, base, 0, err);
	if (!rc && pg_flame_finish(fl))
		rc = pg_err_nomem(err);
	if (rc) {
		pg_flame_free(fl);
		return rc;
	}
	*out = fl;
	return 0;
}

void pg_flame_free(struct pg_flame *fl)
{
	if (!fl)
		return;
	pg_flame_tree_release(fl);
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
	uint32_t k;
	size_t i;

	if (depth >= 4096)
		return;
	path[depth] = id;
	for (k = n->kid; k != PG_FLAME_NONE; k = fl->nodes[k].next)
		self = add64(self, (int64_t)(0 - (uint64_t)fl->nodes[k].value[which]));
	if (self && depth) {
		for (i = 1; i <= depth; i++) {
			if (i > 1)
				fputc(';', f);
			put_frame(f, fl->nodes[path[i]].name);
		}
		fprintf(f, " %lld\n", (long long)self);
	}
	for (k = n->kid; k != PG_FLAME_NONE; k = fl->nodes[k].next)
		folded(f, fl, k, depth + 1, path, which);
}

/* Positive and negative values (delta profiles) are summed apart, so a
 * path may have a line of each sign and the lines' absolute values add up
 * to pprof's total, which counts |value|. */
int pg_flame_folded(FILE *f, const struct pg_profile *p, struct pg_err *err)
{
	struct pg_flame *fl = NULL;
	uint32_t *path = NULL;
	int rc;

	fl = calloc(1, sizeof(*fl));
	path = calloc(4097, sizeof(*path));
	if (!fl || !path || pg_flame_root(fl)) {
		rc = pg_err_nomem(err);
		goto out;
	}
	rc = add_profile(fl, p, -1, err);
	if (!rc && pg_flame_finish(fl))
		rc = pg_err_nomem(err);
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
