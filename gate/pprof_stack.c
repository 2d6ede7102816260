/* Walking a profile's samples as call stacks, root first, with the frame
 * names pprof's -top shows (pp_node_name): one frame per line of each
 * location, so inlined functions are frames of their own. */
#include <stdlib.h>
#include <string.h>

#include "pprof_int.h"

char *pp_node_name(const struct pp_node *n, size_t *len)
{
	struct pp_str b;
	char *s;

	if (n->name) {
		b.p = n->name;
		b.n = n->name_len;
	} else if (n->obj_len) {
		b = pp_base((struct pp_str){ n->obj, n->obj_len });
	} else {
		b.p = (const uint8_t *)"<unknown>";
		b.n = 9;
	}
	s = malloc(b.n + 3);
	if (!s)
		return NULL;
	if (n->name || !n->obj_len) {
		memcpy(s, b.p, b.n);
		*len = b.n;
	} else {
		s[0] = '[';
		memcpy(s + 1, b.p, b.n);
		s[b.n + 1] = ']';
		*len = b.n + 2;
	}
	s[*len] = '\0';
	return s;
}

struct walk {
	char **names; /* per node, made on first use */
	const char **frames;
	size_t cap;
};

/* Fill w->frames with the stack of s, root first; *n frames. */
static int stack_frames(const struct pg_profile *p, struct walk *w,
			const Perftools__Profiles__Sample *s, size_t *n)
{
	uint32_t li, k, node;
	const char **f;
	size_t j, len;

	*n = 0;
	for (j = s->n_location_id; j-- > 0;) {
		li = pp_idmap_get(&p->loc_ids, s->location_id[j]);
		for (k = p->loc_off[li + 1]; k-- > p->loc_off[li];) {
			node = p->loc_nodes[k];
			if (!w->names[node] &&
			    !(w->names[node] = pp_node_name(&p->nodes[node], &len)))
				return PG_ENOMEM;
			if (*n == w->cap) {
				f = realloc(w->frames, (w->cap ? 2 * w->cap : 64) * sizeof(*f));
				if (!f)
					return PG_ENOMEM;
				w->frames = f;
				w->cap = w->cap ? 2 * w->cap : 64;
			}
			w->frames[(*n)++] = w->names[node];
		}
	}
	return 0;
}

int pg_profile_foreach_stack(const struct pg_profile *p, int si, pg_profile_stack_fn fn, void *arg,
			     struct pg_err *err)
{
	Perftools__Profiles__Sample *s;
	struct walk w = { NULL, NULL, 0 };
	struct pp_arena tmp;
	size_t i, n;
	int rc = 0;

	if (si < 0 || (size_t)si >= p->raw->n_sample_type)
		return pg_err_set(err, PG_EUSAGE, "sample index %d is out of range", si);
	pp_arena_init(&tmp, PP_SAMPLE_ARENA);
	w.names = calloc(p->nnodes + 1, sizeof(*w.names));
	if (!w.names)
		rc = pg_err_nomem(err);
	for (i = 0; !rc && i < p->raw->n_sample; i++) {
		s = pp_sample_stack(p, i, &tmp);
		if (!s || stack_frames(p, &w, s, &n))
			rc = pg_err_nomem(err);
		else if (s->value[si] && n)
			rc = fn(arg, w.frames, n, s->value[si]);
		pp_arena_reset(&tmp);
	}
	pp_arena_release(&tmp);
	for (i = 0; w.names && i < p->nnodes; i++)
		free(w.names[i]);
	free(w.names);
	free(w.frames);
	return rc;
}
