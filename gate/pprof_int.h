// SPDX-License-Identifier: MIT
/* Internals of the pprof module, shared by gate/pprof*.c only: the arena
 * that backs every protobuf-c allocation, id maps, and the indexed profile.
 * Everything a struct pg_profile points to lives in its arena or in arrays
 * it owns; pg_profile_free releases all of it. */
#ifndef PG_PPROF_INT_H
#define PG_PPROF_INT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "profile.pb-c.h"
#include "buf.h"
#include "err.h"
#include "pprof.h"

#define PP_NONE UINT32_MAX

struct pp_chunk;
struct pp_big;

/* Bump allocator for protobuf-c: unpacking a profile makes one allocation
 * per element, and malloc's per-block overhead would double the memory. */
struct pp_arena {
	ProtobufCAllocator pc;
	struct pp_chunk *chunks; /* newest first */
	struct pp_big *big;	 /* large blocks, malloc'd one by one */
	size_t next_size;
	unsigned char *next, *end; /* the free part of the newest chunk */
};

void pp_arena_init(struct pp_arena *a, size_t first_chunk);
/* The first chunk of an arena that one decoded sample at a time goes into:
 * large enough that a sample's arrays (up to 16 bytes per encoded byte)
 * stay in it instead of a malloc and free per sample. */
#define PP_SAMPLE_ARENA (64u << 10)
#define PP_ARENA_ALIGN 16

void *pp_arena_alloc_slow(struct pp_arena *a, size_t size);

/* Inline: decoding makes a few allocations per sample, in every pass. The
 * slow path takes empty, large and chunk-crossing requests. */
static inline void *pp_arena_alloc(struct pp_arena *a, size_t size)
{
	size_t need = (size + PP_ARENA_ALIGN - 1) & ~(size_t)(PP_ARENA_ALIGN - 1);

	if (size && size < a->next_size / 4 && need >= size && need <= (size_t)(a->end - a->next)) {
		a->next += need;
		return a->next - need;
	}
	return pp_arena_alloc_slow(a, size);
}
/* Forget every allocation but keep the first chunk, for per-element reuse. */
void pp_arena_reset(struct pp_arena *a);
void pp_arena_release(struct pp_arena *a);

/* id -> index, dense array when ids are small, else open addressing. */
struct pp_idmap {
	uint32_t *dense;
	uint64_t dense_len;
	uint64_t *keys;
	uint32_t *vals;
	size_t cap;
};

/* Insert; 1 if id is already there, 0 if added, PG_ENOMEM. */
int pp_idmap_build(struct pp_idmap *m, const uint64_t *ids, size_t n, uint64_t *dup);
uint32_t pp_idmap_get_sparse(const struct pp_idmap *m, uint64_t id);

/* Inline: every pass over the samples maps each location id through it. */
static inline uint32_t pp_idmap_get(const struct pp_idmap *m, uint64_t id)
{
	if (m->dense)
		return id < m->dense_len ? m->dense[id] : PP_NONE;
	return pp_idmap_get_sparse(m, id);
}
void pp_idmap_release(struct pp_idmap *m);

/* Grow *arrp (elements of elem bytes, *cap of them) to hold need. */
int pp_grow(void *arrp, size_t *cap, size_t need, size_t elem);

/* Content key (a run of 64-bit words) -> dense index in order of first
 * sight, for deduplicating by content. */
struct pp_kmap {
	uint64_t *words;
	size_t nwords, capwords;
	size_t *off; /* n + 1 offsets into words */
	size_t n, capn;
	uint32_t *slot;
	size_t nslot;
};

/* Find key, or add it as the next index: 1 found, 0 added, PG_ENOMEM. */
int pp_kmap_get(struct pp_kmap *m, const uint64_t *key, size_t n, uint32_t *idx);
void pp_kmap_release(struct pp_kmap *m);

/* Decompressed profiles beyond this are refused (zip bombs). */
#define PP_MAX_BYTES ((size_t)1 << 30)

/* Inflate gzip data (concatenated members as one stream) into a malloc'd
 * buffer; PG_EINPUT for corrupt or oversized input. */
int pp_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, struct pg_err *err);
/* Replace out's contents with the gzip compression of len bytes of in. */
int pp_gzip(struct pg_buf *out, const uint8_t *in, size_t len, struct pg_err *err);
/* Pack p and replace out's contents with it, gzip-compressed. */
int pp_write_profile(struct pg_buf *out, const Perftools__Profiles__Profile *p, struct pg_err *err);

/* A graph node of pprof's "functions" granularity: a function name, or for
 * nameless frames the binary (and start line) they belong to. */
struct pp_node {
	const uint8_t *name; /* NULL: nameless, shown as [base(obj)] or <unknown> */
	size_t name_len;
	const uint8_t *obj;
	size_t obj_len;
	int64_t start_line;
	uint32_t hash;
	uint8_t inl; /* appears inlined into a caller somewhere */
};

struct pp_str {
	const uint8_t *p;
	size_t n;
};

struct pg_profile {
	struct pp_arena arena;
	Perftools__Profiles__ProfileLazy *raw;
	uint8_t *plain; /* the protobuf bytes raw points into, or NULL (copied) */
	size_t nstr;
	struct pp_str *str;
	/* Mappings, with the file pprof shows after merging equal mappings. */
	size_t nmap;
	struct pp_str *map_file;
	struct pp_idmap map_ids;
	/* Functions: the name pprof shows (after its demangling heuristics). */
	size_t nfunc;
	struct pp_str *func_name;
	int64_t *func_start;
	uint32_t *func_node;
	struct pp_idmap func_ids;
	/* Locations: the nodes of their lines, leaf (line[0]) first. */
	size_t nloc;
	uint32_t *loc_off; /* nloc + 1 offsets into loc_nodes */
	uint32_t *loc_nodes;
	struct pp_idmap loc_ids;
	/* per location: one of its nodes is inlined somewhere; a byte the
	 * aggregation's hot loop reads instead of the nodes, which miss the
	 * cache */
	uint8_t *loc_inl;
	/* Nodes. */
	size_t nnodes, capnodes;
	struct pp_node *nodes;
	uint32_t *node_hash;
	size_t node_hash_cap;
	int has_inline;
	/* Samples marked as diff base ("pprof::base"="true"), or NULL. */
	uint8_t *diff_base;
	/* Loaded by pg_profile_top_load: the samples are checked (and diff
	 * base ones found) by the one aggregation's value pass instead. */
	int samples_unchecked;
};

static inline struct pp_str pp_string(const struct pg_profile *p, int64_t i)
{
	struct pp_str none = { (const uint8_t *)"", 0 };

	if (i < 0 || (uint64_t)i >= p->nstr)
		return none;
	return p->str[i];
}

/* Go's filepath.Base of a non-empty path. */
static inline struct pp_str pp_base(struct pp_str s)
{
	size_t i;

	while (s.n > 1 && s.p[s.n - 1] == '/')
		s.n--;
	if (s.n == 1 && s.p[0] == '/')
		return s;
	for (i = s.n; i > 0 && s.p[i - 1] != '/'; i--)
		;
	s.p += i;
	s.n -= i;
	return s;
}

/* Unpack len protobuf bytes into p->raw and p->str. With keep, data is
 * the caller's malloc'd buffer and p may keep it (p->plain == data after):
 * the elements then point into it instead of being copied (pprof_lazy.c). */
int pp_unpack(struct pg_profile *p, uint8_t *data, size_t len, int keep, struct pg_err *err);

/* Decode sample i into a, which the caller resets. NULL: malformed, or out
 * of memory. */
Perftools__Profiles__Sample *pp_sample(const struct pg_profile *p, size_t i, struct pp_arena *a);
/* Decode sample i with its labels and check it as pg_profile_parse does;
 * *base: it is a diff base sample. PG_EINPUT when malformed. */
int pp_sample_read(const struct pg_profile *p, size_t i, struct pp_arena *a,
		   Perftools__Profiles__Sample **out, int *base, struct pg_err *err);
/* The same without its labels (n_label 0): for the passes that need only
 * stacks and values, once pg_profile_parse has checked the labels. */
Perftools__Profiles__Sample *pp_sample_stack(const struct pg_profile *p, size_t i,
					     struct pp_arena *a);

/* One encoded Sample (labels decoded or not), Function or Location message,
 * read by hand as protobuf-c would unpack it (pprof_wire.c). NULL:
 * malformed, or out of memory. */
Perftools__Profiles__Sample *pp_sample_decode(const uint8_t *data, size_t len, int labels,
					      struct pp_arena *a);
Perftools__Profiles__Function *pp_function_decode(const uint8_t *data, size_t len,
						  struct pp_arena *a);
Perftools__Profiles__Location *pp_location_decode(const uint8_t *data, size_t len,
						  struct pp_arena *a);

/* Build mapping files, function names, nodes and location node lists. */
int pp_index(struct pg_profile *p, struct pg_err *err);

/* pprof's printable name of a node at "functions" granularity, as -top
 * shows it: the function name, "[base of binary]" or "<unknown>". A
 * NUL-terminated malloc'd copy (names may hold NUL; *len counts all). */
char *pp_node_name(const struct pp_node *n, size_t *len);

/* Go's wrapping int64 arithmetic, without C's undefined overflow. */
static inline int64_t pp_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int64_t pp_abs(int64_t a)
{
	return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}

#endif
