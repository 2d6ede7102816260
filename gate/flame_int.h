// SPDX-License-Identifier: MIT
/* Internals of the flame module, shared by gate/flame*.c only: the merged
 * call tree, nodes in one array (index 0 is the root "all"), each node's
 * children as indices sorted by name. */
#ifndef PG_FLAME_INT_H
#define PG_FLAME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "flame.h"

struct pg_flame_node {
	char *name;	  /* interned: owned by the pg_flame's names */
	int64_t value[2]; /* [0] baseline, [1] current */
	uint32_t *kids;
	uint32_t nkids, capkids;
};

struct pg_flame {
	struct pg_flame_node *nodes;
	size_t nnodes, capnodes;
	/* Names are interned: a function on a million paths is one copy. */
	char **names;
	size_t nnames, capnames;
	uint32_t *name_slot; /* open addressing into names, UINT32_MAX empty */
	size_t nslots;
	int has_base;
	double samples[2]; /* samples each profile holds: the n of sampling noise */
	char note[256];
};

/* The script of the interactive SVG (flame_script.c). */
const char *pg_flame_script(void);

/* The node's share of its profile's total (the root's value), 0..1. */
double pg_flame_share(const struct pg_flame *fl, const struct pg_flame_node *n, int which);

#endif
