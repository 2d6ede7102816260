// SPDX-License-Identifier: MIT
/* The state of one merge (pprof_merge.c), shared with pprof_merge_ids.c,
 * which deduplicates and renumbers strings, mappings, functions and
 * locations. Keys are built in the scratch key m->key: a caller holding
 * one must not add a string until it is done with it. */
#ifndef PG_PPROF_MERGE_INT_H
#define PG_PPROF_MERGE_INT_H

#include "pprof_int.h"

struct pp_merge {
	struct pp_arena arena; /* the output messages */
	struct pp_kmap strs, maps, funcs, locs, samples;
	ProtobufCBinaryData *str;
	Perftools__Profiles__Mapping **map;
	Perftools__Profiles__Function **func;
	Perftools__Profiles__Location **loc;
	Perftools__Profiles__Sample **sample;
	size_t capstr, capmap, capfunc, caploc, capsample;
	uint64_t *key; /* scratch key */
	size_t nkey, capkey;
	Perftools__Profiles__Profile out;
	int as_base; /* this input is a diff base: values negated, labelled */
	/* Per input: old index of a mapping/function/location -> new id. */
	uint64_t *newmap, *newfunc, *newloc;
};

/* Append v to the scratch key. */
int pp_merge_key_push(struct pp_merge *m, uint64_t v);

/* The new index of the string s (which must outlive the merge). */
int pp_merge_add_bytes(struct pp_merge *m, struct pp_str s, int64_t *out);

/* The new index of string i of p. */
int pp_merge_add_string(struct pp_merge *m, const struct pg_profile *p, int64_t i, int64_t *out);

/* p's mappings, functions and locations, deduplicated by content; their
 * new ids in m->newmap, newfunc and newloc. */
int pp_merge_add_entities(struct pp_merge *m, const struct pg_profile *p, struct pp_arena *tmp);

#endif
