// SPDX-License-Identifier: MIT
/* Internals of the flame module, shared by gate/flame*.c only: the merged
 * call tree, nodes in one array (index 0 is the root "all"), each node's
 * children a list sorted by name once the tree is built (flame_tree.c). */
#ifndef PG_FLAME_INT_H
#define PG_FLAME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "flame.h"

#define PG_FLAME_NONE UINT32_MAX

struct pg_flame_node {
	char *name;	  /* interned: owned by the pg_flame's names */
	int64_t value[2]; /* [0] baseline, [1] current */
	uint32_t parent;  /* PG_FLAME_NONE for the root */
	uint32_t kid;	  /* the first child, PG_FLAME_NONE for a leaf */
	uint32_t next;	  /* the next sibling */
	uint32_t nkids;
};

/* A frame string of the profile being added, and its interned name. */
struct pg_flame_seen {
	const char *frame;
	char *name;
};

struct pg_flame {
	struct pg_flame_node *nodes;
	size_t nnodes, capnodes;
	/* Names are interned: a function on a million paths is one copy. */
	char **names;
	size_t nnames, capnames;
	uint32_t *name_slot; /* open addressing into names, UINT32_MAX empty */
	size_t nslots;
	/* While the tree is built: children by (parent, name), and the
	 * names of the frame strings of the profile being added. */
	uint32_t *kid_slot;
	size_t nkid_slots;
	struct pg_flame_seen *seen;
	size_t nseen, nseen_slots;
	int has_base;
	double samples[2]; /* samples each profile holds: the n of sampling noise */
	char note[256];
};

/* Building the tree (flame_tree.c): the root first; then the child of
 * parent for a frame string, found or added (*out its index); the frame
 * strings forgotten when their profile goes; the children sorted once
 * all is added. PG_ENOMEM on failure. */
int pg_flame_root(struct pg_flame *fl);
int pg_flame_child(struct pg_flame *fl, uint32_t parent, const char *frame, uint32_t *out);
void pg_flame_forget_frames(struct pg_flame *fl);
int pg_flame_finish(struct pg_flame *fl);
/* What the tree owns (the caller frees fl itself). */
void pg_flame_tree_release(struct pg_flame *fl);

/* The script of the interactive SVG (flame_script.c). */
const char *pg_flame_script(void);

/* The node's share of its profile's total (the root's value), 0..1. */
double pg_flame_share(const struct pg_flame *fl, const struct pg_flame_node *n, int which);

#endif
