/* Memory helpers of the pprof module: the arena behind protobuf-c and the
 * id -> index maps. Profiles number their mappings, locations and functions
 * with ids that are nearly always 1..n, so a dense array is the usual map;
 * sparse ids (some producers use addresses) fall back to open addressing. */
#include <stdlib.h>
#include <string.h>

#include "pprof_int.h"

#define ALIGN PP_ARENA_ALIGN
#define MAX_CHUNK (64u << 20)

struct pp_chunk {
	struct pp_chunk *next;
	size_t size; /* the newest chunk's free part is a->next..a->end */
	_Alignas(ALIGN) unsigned char data[];
};

struct pp_big {
	struct pp_big *next, *prev;
	_Alignas(ALIGN) unsigned char data[];
};

static void *pc_alloc(void *data, size_t size)
{
	return pp_arena_alloc(data, size);
}

static int in_chunk(const struct pp_arena *a, const void *ptr)
{
	const struct pp_chunk *c;
	const unsigned char *q = ptr;

	for (c = a->chunks; c; c = c->next)
		if (q >= c->data && q < c->data + c->size)
			return 1;
	return 0;
}

/* protobuf-c frees its scratch space and, on a parse error, the partial
 * message; only large blocks are worth giving back. */
static void pc_free(void *data, void *ptr)
{
	struct pp_arena *a = data;
	struct pp_big *b;

	if (!ptr || in_chunk(a, ptr))
		return;
	b = (struct pp_big *)((unsigned char *)ptr - offsetof(struct pp_big, data));
	if (b->prev)
		b->prev->next = b->next;
	else
		a->big = b->next;
	if (b->next)
		b->next->prev = b->prev;
	free(b);
}

void pp_arena_init(struct pp_arena *a, size_t first_chunk)
{
	memset(a, 0, sizeof(*a));
	a->pc.alloc = pc_alloc;
	a->pc.free = pc_free;
	a->pc.allocator_data = a;
	a->next_size = first_chunk;
}

static void *big_alloc(struct pp_arena *a, size_t size)
{
	struct pp_big *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->prev = NULL;
	b->next = a->big;
	if (a->big)
		a->big->prev = b;
	a->big = b;
	return b->data;
}

void *pp_arena_alloc_slow(struct pp_arena *a, size_t size)
{
	struct pp_chunk *c;
	size_t need;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - ALIGN || size >= a->next_size / 4 || size >= MAX_CHUNK / 4)
		return big_alloc(a, size);
	need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!a->chunks || (size_t)(a->end - a->next) < need) {
		c = malloc(sizeof(*c) + a->next_size);
		if (!c)
			return NULL;
		c->size = a->next_size;
		c->next = a->chunks;
		a->chunks = c;
		a->next = c->data;
		a->end = c->data + c->size;
		if (a->next_size < MAX_CHUNK)
			a->next_size *= 2;
	}
	a->next += need;
	return a->next - need;
}

static void free_big(struct pp_arena *a)
{
	struct pp_big *b, *next;

	for (b = a->big; b; b = next) {
		next = b->next;
		free(b);
	}
	a->big = NULL;
}

void pp_arena_reset(struct pp_arena *a)
{
	struct pp_chunk *c, *next;

	free_big(a);
	if (!a->chunks)
		return;
	/* Keep only the newest (largest) chunk. */
	for (c = a->chunks->next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks->next = NULL;
	a->next = a->chunks->data;
	a->end = a->chunks->data + a->chunks->size;
}

void pp_arena_release(struct pp_arena *a)
{
	struct pp_chunk *c, *next;

	free_big(a);
	for (c = a->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
	a->next = a->end = NULL;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static int hash_put(struct pp_idmap *m, uint64_t id, uint32_t val)
{
	size_t i = mix(id) & (m->cap - 1);

	while (m->keys[i]) {
		if (m->keys[i] == id)
			return 1;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = id;
	m->vals[i] = val;
	return 0;
}

static int build_hash(struct pp_idmap *m, const uint64_t *ids, size_t n, uint64_t *dup)
{
	size_t i;

	m->cap = 16;
	while (m->cap < 2 * n)
		m->cap *= 2;
	m->keys = calloc(m->cap, sizeof(*m->keys));
	m->vals = malloc(m->cap * sizeof(*m->vals));
	if (!m->keys || !m->vals)
		return PG_ENOMEM;
	for (i = 0; i < n; i++) {
		if (hash_put(m, ids[i], (uint32_t)i)) {
			*dup = ids[i];
			return 1;
		}
	}
	return 0;
}

/* ids must be non-zero (checked by the caller). */
int pp_idmap_build(struct pp_idmap *m, const uint64_t *ids, size_t n, uint64_t *dup)
{
	uint64_t max = 0;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++)
		if (ids[i] > max)
			max = ids[i];
	if (max > 4 * (uint64_t)n + 1024)
		return build_hash(m, ids, n, dup);
	m->dense_len = max + 1;
	m->dense = malloc(m->dense_len * sizeof(*m->dense));
	if (!m->dense)
		return PG_ENOMEM;
	memset(m->dense, 0xff, m->dense_len * sizeof(*m->dense));
	for (i = 0; i < n; i++) {
		if (m->dense[ids[i]] != PP_NONE) {
			*dup = ids[i];
			return 1;
		}
		m->dense[ids[i]] = (uint32_t)i;
	}
	return 0;
}

uint32_t pp_idmap_get_sparse(const struct pp_idmap *m, uint64_t id)
{
	size_t i;

	if (!m->keys || !id)
		return PP_NONE;
	for (i = mix(id) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == id)
			return m->vals[i];
	return PP_NONE;
}

void pp_idmap_release(struct pp_idmap *m)
{
	free(m->dense);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
