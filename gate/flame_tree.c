// SPDX-License-Identifier: MIT
/* The flame graph's call tree as it is built: one array of nodes, each
 * linked to its first child and next sibling; names interned; a child
 * found by (parent, name) in one open-addressing table. A large profile
 * has millions of distinct call paths: a node costs 40 bytes plus 8 of
 * table while building, where an array of children per node cost about
 * twice as much. */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flame_int.h"

/* Open-addressing tables of indices, UINT32_MAX empty, at most half full. */
static uint32_t *slots_new(size_t cap)
{
	uint32_t *s = malloc(cap * sizeof(*s));

	if (s)
		memset(s, 0xff, cap * sizeof(*s));
	return s;
}

/* arr with room for element n (of size bytes), grown by doubling; NULL
 * (arr untouched) when out of memory or of 32-bit indices. */
static void *room(void *arr, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? 2 * *cap : 256;

	if (n < *cap)
		return arr;
	if (ncap >= UINT32_MAX / 4 || !(arr = realloc(arr, ncap * size)))
		return NULL;
	*cap = ncap;
	return arr;
}

static size_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t pair_hash(uint64_t a, uint64_t b)
{
	return (size_t)(((a << 32) ^ b) * 0x9e3779b97f4a7c15ull >> 32);
}

static int names_rehash(struct pg_flame *fl)
{
	size_t cap = fl->nslots ? 2 * fl->nslots : 1024, i, j;
	uint32_t *slot = slots_new(cap);

	if (!slot)
		return PG_ENOMEM;
	for (i = 0; i < fl->nnames; i++) {
		for (j = str_hash(fl->names[i]) & (cap - 1); slot[j] != UINT32_MAX;
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
	char **names;
	size_t j;

	if ((fl->nnames + 1) * 2 > fl->nslots && names_rehash(fl))
		return NULL;
	for (j = str_hash(name) & (fl->nslots - 1); fl->name_slot[j] != UINT32_MAX;
	     j = (j + 1) & (fl->nslots - 1))
		if (!strcmp(fl->names[fl->name_slot[j]], name))
			return fl->names[fl->name_slot[j]];
	names = room(fl->names, fl->nnames, &fl->capnames, sizeof(*names));
	if (!names)
		return NULL;
	fl->names = names;
	fl->names[fl->nnames] = strdup(name);
	if (!fl->names[fl->nnames])
		return NULL;
	fl->name_slot[j] = (uint32_t)fl->nnames;
	return fl->names[fl->nnames++];
}

/* The interned name of a frame string. A profile hands out one pointer
 * for every frame of a function, so the strings seen are looked up by
 * address before any is hashed (valid until pg_flame_forget_frames). */
static char *frame_name(struct pg_flame *fl, const char *frame)
{
	size_t cap, mask, i, j;
	struct pg_flame_seen *seen;

	if ((fl->nseen + 1) * 2 > fl->nseen_slots) {
		cap = fl->nseen_slots ? 2 * fl->nseen_slots : 1024;
		seen = calloc(cap, sizeof(*seen));
		if (!seen)
			return NULL;
		for (i = 0; i < fl->nseen_slots; i++) {
			if (!fl->seen[i].frame)
				continue;
			for (j = pair_hash(0, (uintptr_t)fl->seen[i].frame) & (cap - 1);
			     seen[j].frame; j = (j + 1) & (cap - 1))
				;
			seen[j] = fl->seen[i];
		}
		free(fl->seen);
		fl->seen = seen;
		fl->nseen_slots = cap;
	}
	mask = fl->nseen_slots - 1;
	for (j = pair_hash(0, (uintptr_t)frame) & mask; fl->seen[j].frame; j = (j + 1) & mask)
		if (fl->seen[j].frame == frame)
			return fl->seen[j].name;
	fl->seen[j].name = intern(fl, frame);
	if (!fl->seen[j].name)
		return NULL;
	fl->seen[j].frame = frame;
	fl->nseen++;
	return fl->seen[j].name;
}

void pg_flame_forget_frames(struct pg_flame *fl)
{
	free(fl->seen);
	fl->seen = NULL;
	fl->nseen = fl->nseen_slots = 0;
}

static int add_node(struct pg_flame *fl, uint32_t parent, char *name, uint32_t *id)
{
	struct pg_flame_node *n = room(fl->nodes, fl->nnodes, &fl->capnodes, sizeof(*n));

	if (!n)
		return PG_ENOMEM;
	fl->nodes = n;
	n = &fl->nodes[fl->nnodes];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->parent = parent;
	n->kid = n->next = PG_FLAME_NONE;
	*id = (uint32_t)fl->nnodes++;
	return 0;
}

int pg_flame_root(struct pg_flame *fl)
{
	char *name = intern(fl, "all");
	uint32_t root;

	return name ? add_node(fl, PG_FLAME_NONE, name, &root) : PG_ENOMEM;
}

/* Where (parent, name) is in the table of children, or the empty slot
 * where it goes. */
static size_t kid_slot(const struct pg_flame *fl, uint32_t parent, const char *name)
{
	size_t mask = fl->nkid_slots - 1, j = pair_hash(parent, (uintptr_t)name) & mask;
	const struct pg_flame_node *n;

	for (; fl->kid_slot[j] != UINT32_MAX; j = (j + 1) & mask) {
		n = &fl->nodes[fl->kid_slot[j]];
		if (n->parent == parent && n->name == name)
			break;
	}
	return j;
}

static int kids_rehash(struct pg_flame *fl)
{
	size_t cap = fl->nkid_slots ? 2 * fl->nkid_slots : 1024, i;
	uint32_t *slot = slots_new(cap);

	if (!slot)
		return PG_ENOMEM;
	free(fl->kid_slot);
	fl->kid_slot = slot;
	fl->nkid_slots = cap;
	for (i = 1; i < fl->nnodes; i++) /* the root is nobody's child */
		slot[kid_slot(fl, fl->nodes[i].parent, fl->nodes[i].name)] = (uint32_t)i;
	return 0;
}

int pg_flame_child(struct pg_flame *fl, uint32_t parent, const char *frame, uint32_t *out)
{
	char *name = frame_name(fl, frame);
	struct pg_flame_node *p;
	size_t j;

	if (!name || (fl->nnodes * 2 >= fl->nkid_slots && kids_rehash(fl)))
		return PG_ENOMEM;
	j = kid_slot(fl, parent, name);
	if (fl->kid_slot[j] != UINT32_MAX) {
		*out = fl->kid_slot[j];
		return 0;
	}
	if (add_node(fl, parent, name, out))
		return PG_ENOMEM;
	p = &fl->nodes[parent];
	fl->nodes[*out].next = p->kid;
	p->kid = *out;
	p->nkids++;
	fl->kid_slot[j] = *out;
	return 0;
}

static int by_name(const void *a, const void *b, void *arg)
{
	const struct pg_flame *fl = arg;

	return strcmp(fl->nodes[*(const uint32_t *)a].name, fl->nodes[*(const uint32_t *)b].name);
}

int pg_flame_finish(struct pg_flame *fl)
{
	uint32_t *kids = NULL, k, max = 0, i;
	struct pg_flame_node *n;
	size_t id;

	free(fl->kid_slot); /* the frames went with their profiles */
	fl->kid_slot = NULL;
	fl->nkid_slots = 0;
	for (id = 0; id < fl->nnodes; id++)
		if (fl->nodes[id].nkids > max)
			max = fl->nodes[id].nkids;
	if (max > 1 && !(kids = malloc(max * sizeof(*kids))))
		return PG_ENOMEM;
	for (id = 0; id < fl->nnodes && max > 1; id++) {
		n = &fl->nodes[id];
		if (n->nkids < 2)
			continue;
		for (i = 0, k = n->kid; k != PG_FLAME_NONE; k = fl->nodes[k].next)
			kids[i++] = k;
		qsort_r(kids, n->nkids, sizeof(*kids), by_name, fl);
		n->kid = kids[0];
		for (i = 0; i + 1 < n->nkids; i++)
			fl->nodes[kids[i]].next = kids[i + 1];
		fl->nodes[kids[i]].next = PG_FLAME_NONE;
	}
	free(kids);
	return 0;
}

void pg_flame_tree_release(struct pg_flame *fl)
{
	size_t i;

	pg_flame_forget_frames(fl);
	free(fl->kid_slot);
	for (i = 0; i < fl->nnames; i++)
		free(fl->names[i]);
	free(fl->names);
	free(fl->name_slot);
	free(fl->nodes);
}
