// SPDX-License-Identifier: MIT
/* Indexing a parsed profile into pprof's graph nodes at "functions"
 * granularity. Facts from pprof (Go 1.19's vendored copy):
 * - a frame's node is its function name; a nameless function or a location
 *   without lines becomes a node per binary (mapping file) and start line,
 *   shown as "[base]" or "<unknown>";
 * - names are run through the demangler; names that look demangled already
 *   (C++ "::", "<>", "[]") lose their (...) and <...> parts;
 * - profiles are merged before reporting, which folds mappings with the same
 *   size, offset and build id (or file) into the first of them. */
#include <stdlib.h>
#include <string.h>

#include "pprof_int.h"

static int str_eq(struct pp_str a, struct pp_str b)
{
	return a.n == b.n && (a.n == 0 || !memcmp(a.p, b.p, a.n));
}

/* memchr finds the rare first byte of the needles used here fast. */
static int contains(struct pp_str s, const char *needle)
{
	const uint8_t *q = s.p, *end = s.p + s.n;
	size_t n = strlen(needle);

	while ((q = memchr(q, needle[0], (size_t)(end - q))) != NULL) {
		if ((size_t)(end - q) >= n && !memcmp(q, needle, n))
			return 1;
		q++;
	}
	return 0;
}

static int looks_demangled(struct pp_str s)
{
	if (contains(s, ".<") || contains(s, "]).")) /* Java "<init>", Go generics */
		return 0;
	return memchr(s.p, '<', s.n) || memchr(s.p, '>', s.n) || memchr(s.p, '[', s.n) ||
	       memchr(s.p, ']', s.n) || contains(s, "::");
}

/* Remove outermost start..end groups; on an unmatched end, stop and keep
 * the rest as it is (pprof's removeMatching, in one pass). */
static size_t remove_matching(uint8_t *buf, size_t n, uint8_t start, uint8_t end)
{
	size_t i, o = 0, first = 0;
	long nesting = 0;

	for (i = 0; i < n; i++) {
		if (buf[i] == start && ++nesting == 1)
			first = o;
		if (buf[i] == end && --nesting < 0) {
			memmove(buf + o, buf + i, n - i);
			return o + n - i;
		}
		if (buf[i] == end && nesting == 0) {
			o = first;
			continue;
		}
		buf[o++] = buf[i];
	}
	return o;
}

static int func_name(struct pg_profile *p, struct pp_str name, struct pp_str sys,
		     struct pp_str *out)
{
	uint8_t *buf;
	size_t n;

	if (name.n && !str_eq(name, sys)) {
		*out = name;
		return 0;
	}
	*out = sys;
	if (!sys.n || !looks_demangled(sys))
		return 0;
	buf = pp_arena_alloc(&p->arena, sys.n);
	if (!buf)
		return PG_ENOMEM;
	memcpy(buf, sys.p, sys.n);
	n = remove_matching(buf, sys.n, '(', ')');
	n = remove_matching(buf, n, '<', '>');
	out->p = buf;
	out->n = n;
	return 0;
}

static uint32_t hash_bytes(const uint8_t *s, size_t n, uint64_t seed)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return (uint32_t)(h ^ (h >> 32));
}

static int node_eq(const struct pp_node *a, const struct pp_node *b)
{
	if (a->hash != b->hash || !a->name != !b->name)
		return 0;
	if (a->name)
		return a->name_len == b->name_len && !memcmp(a->name, b->name, a->name_len);
	return a->start_line == b->start_line && a->obj_len == b->obj_len &&
	       (!a->obj_len || !memcmp(a->obj, b->obj, a->obj_len));
}

static int node_rehash(struct pg_profile *p)
{
	size_t cap = p->node_hash_cap ? p->node_hash_cap * 2 : 1024, i, j;
	uint32_t *h = malloc(cap * sizeof(*h));

	if (!h)
		return PG_ENOMEM;
	memset(h, 0xff, cap * sizeof(*h));
	for (i = 0; i < p->nnodes; i++) {
		for (j = p->nodes[i].hash & (cap - 1); h[j] != PP_NONE; j = (j + 1) & (cap - 1))
			;
		h[j] = (uint32_t)i;
	}
	free(p->node_hash);
	p->node_hash = h;
	p->node_hash_cap = cap;
	return 0;
}

/* Find or add node n; its id in *id. */
static int node_get(struct pg_profile *p, struct pp_node *n, uint32_t *id)
{
	size_t j;
	struct pp_node *nodes;

	if (2 * (p->nnodes + 1) > p->node_hash_cap && node_rehash(p))
		return PG_ENOMEM;
	for (j = n->hash & (p->node_hash_cap - 1); p->node_hash[j] != PP_NONE;
	     j = (j + 1) & (p->node_hash_cap - 1)) {
		if (node_eq(&p->nodes[p->node_hash[j]], n)) {
			*id = p->node_hash[j];
			return 0;
		}
	}
	if (p->nnodes == p->capnodes) {
		p->capnodes = p->capnodes ? 2 * p->capnodes : 256;
		nodes = realloc(p->nodes, p->capnodes * sizeof(*nodes));
		if (!nodes)
			return PG_ENOMEM;
		p->nodes = nodes;
	}
	*id = (uint32_t)p->nnodes;
	p->node_hash[j] = *id;
	p->nodes[p->nnodes++] = *n;
	return 0;
}

static int node_named(struct pg_profile *p, uint32_t fi, uint32_t *id)
{
	struct pp_node n = { 0 };
	int rc;

	if (p->func_node[fi] != PP_NONE) {
		*id = p->func_node[fi];
		return 0;
	}
	n.name = p->func_name[fi].p;
	n.name_len = p->func_name[fi].n;
	n.hash = hash_bytes(n.name, n.name_len, 1);
	rc = node_get(p, &n, id);
	if (!rc)
		p->func_node[fi] = *id;
	return rc;
}

static int node_obj(struct pg_profile *p, uint32_t mi, int64_t start_line, uint32_t *id)
{
	struct pp_node n = { 0 };

	if (mi != PP_NONE) {
		n.obj = p->map_file[mi].p;
		n.obj_len = p->map_file[mi].n;
	}
	n.start_line = start_line;
	n.hash = hash_bytes(n.obj ? n.obj : (const uint8_t *)"", n.obj_len,
			    2 + (uint64_t)start_line);
	return node_get(p, &n, id);
}

static int bad_str(const struct pg_profile *p, int64_t i)
{
	return i && (i < 0 || (uint64_t)i >= p->nstr);
}

/* pprof's mapping key: size rounded up to 4 KiB, offset, build id or file. */
static int same_mapping(const struct pg_profile *p, const Perftools__Profiles__Mapping *a,
			const Perftools__Profiles__Mapping *b)
{
	uint64_t sa = a->memory_limit - a->memory_start + 0xfff;
	uint64_t sb = b->memory_limit - b->memory_start + 0xfff;
	struct pp_str ka = pp_string(p, a->build_id), kb = pp_string(p, b->build_id);

	if (!ka.n)
		ka = pp_string(p, a->filename);
	if (!kb.n)
		kb = pp_string(p, b->filename);
	return sa - sa % 0x1000 == sb - sb % 0x1000 && a->file_offset == b->file_offset &&
	       str_eq(ka, kb);
}

static int index_mappings(struct pg_profile *p, struct pg_err *err)
{
	Perftools__Profiles__Mapping **m = p->raw->mapping;
	uint64_t *ids, dup = 0;
	size_t i, j;
	int rc = 0;

	p->nmap = p->raw->n_mapping;
	p->map_file = calloc(p->nmap + 1, sizeof(*p->map_file));
	ids = calloc(p->nmap + 1, sizeof(*ids));
	if (!p->map_file || !ids) {
		free(ids);
		return pg_err_nomem(err);
	}
	for (i = 0; i < p->nmap && !rc; i++) {
		ids[i] = m[i]->id;
		if (!m[i]->id)
			rc = pg_err_set(err, PG_EINPUT, "malformed profile: mapping with id 0");
		else if (bad_str(p, m[i]->filename) || bad_str(p, m[i]->build_id))
			rc = pg_err_set(
				err, PG_EINPUT,
				"malformed profile: mapping id %llu refers to a missing string",
				(unsigned long long)m[i]->id);
		p->map_file[i] = pp_string(p, m[i]->filename);
		for (j = 0; !rc && i < 1024 && j < i; j++)
			if (same_mapping(p, m[j], m[i])) {
				p->map_file[i] = p->map_file[j];
				break;
			}
	}
	if (!rc)
		rc = pp_idmap_build(&p->map_ids, ids, p->nmap, &dup);
	if (rc == 1)
		rc = pg_err_set(err, PG_EINPUT, "malformed profile: two mappings with id %llu",
				(unsigned long long)dup);
	else if (rc == PG_ENOMEM)
		rc = pg_err_nomem(err);
	free(ids);
	return rc;
}

static int check_func(const struct pg_profile *p, const Perftools__Profiles__Function *f,
		      struct pg_err *err)
{
	if (!f)
		return pg_err_set(err, PG_EINPUT, "malformed profile: undecodable function");
	if (!f->id)
		return pg_err_set(err, PG_EINPUT, "malformed profile: function with id 0");
	if (bad_str(p, f->name) || bad_str(p, f->system_name) || bad_str(p, f->filename))
		return pg_err_set(err, PG_EINPUT,
				  "malformed profile: function id %llu refers to a missing string",
				  (unsigned long long)f->id);
	return 0;
}

static int index_functions(struct pg_profile *p, struct pp_arena *tmp, struct pg_err *err)
{
	const ProtobufCBinaryData *b;
	Perftools__Profiles__Function *f;
	uint64_t *ids, dup = 0;
	size_t i;
	int rc = 0;

	p->nfunc = p->raw->n_function;
	ids = calloc(p->nfunc + 1, sizeof(*ids));
	p->func_name = calloc(p->nfunc + 1, sizeof(*p->func_name));
	p->func_start = calloc(p->nfunc + 1, sizeof(*p->func_start));
	p->func_node = malloc((p->nfunc + 1) * sizeof(*p->func_node));
	if (!ids || !p->func_name || !p->func_start || !p->func_node)
		rc = pg_err_nomem(err);
	for (i = 0; i < p->nfunc && !rc; i++) {
		b = &p->raw->function[i];
		f = pp_function_decode(b->data, b->len, tmp);
		rc = check_func(p, f, err);
		if (!rc && func_name(p, pp_string(p, f->name), pp_string(p, f->system_name),
				     &p->func_name[i]))
			rc = pg_err_nomem(err);
		if (!rc) {
			ids[i] = f->id;
			p->func_start[i] = f->start_line;
			p->func_node[i] = PP_NONE;
		}
		pp_arena_reset(tmp);
	}
	if (!rc)
		rc = pp_idmap_build(&p->func_ids, ids, p->nfunc, &dup);
	if (rc == 1)
		rc = pg_err_set(err, PG_EINPUT, "malformed profile: two functions with id %llu",
				(unsigned long long)dup);
	else if (rc == PG_ENOMEM)
		rc = pg_err_nomem(err);
	free(ids);
	return rc;
}

static int push_node(struct pg_profile *p, size_t *cap, uint32_t id)
{
	uint32_t *n;
	size_t len = p->loc_off[p->nloc + 1];

	if (len == *cap) {
		if (len >= UINT32_MAX / 2)
			return PG_ENOMEM;
		*cap = *cap ? 2 * *cap : 1024;
		n = realloc(p->loc_nodes, *cap * sizeof(*n));
		if (!n)
			return PG_ENOMEM;
		p->loc_nodes = n;
	}
	p->loc_nodes[p->loc_off[p->nloc + 1]++] = id;
	return 0;
}

/* The nodes of one location, leaf first: one per line (inlined frames
 * first, the caller last), or one for the binary if it has no lines. */
static int location_nodes(struct pg_profile *p, const Perftools__Profiles__Location *l, size_t *cap,
			  struct pg_err *err)
{
	uint32_t mi = pp_idmap_get(&p->map_ids, l->mapping_id), fi, id = 0;
	size_t i;
	int rc = 0;

	p->loc_off[p->nloc + 1] = p->loc_off[p->nloc];
	if (!l->n_line && (rc = node_obj(p, mi, 0, &id)) == 0)
		rc = push_node(p, cap, id);
	for (i = 0; i < l->n_line && !rc; i++) {
		fi = pp_idmap_get(&p->func_ids, l->line[i]->function_id);
		if (fi == PP_NONE)
			return pg_err_set(err, PG_EINPUT,
					  "malformed profile: location id %llu refers to missing "
					  "function id %llu",
					  (unsigned long long)l->id,
					  (unsigned long long)l->line[i]->function_id);
		if (p->func_name[fi].n)
			rc = node_named(p, fi, &id);
		else
			rc = node_obj(p, mi, p->func_start[fi], &id);
		if (!rc)
			rc = push_node(p, cap, id);
		if (!rc && i + 1 < l->n_line) {
			p->nodes[id].inl = 1;
			p->has_inline = 1;
		}
	}
	return rc == PG_ENOMEM ? pg_err_nomem(err) : rc;
}

/* After every location: a node is marked inlined by whichever location
 * inlines it, which may come after the locations that hold it. */
static int location_inline(struct pg_profile *p, struct pg_err *err)
{
	size_t li, k;

	p->loc_inl = calloc(p->nloc + 1, 1);
	if (!p->loc_inl)
		return pg_err_nomem(err);
	for (li = 0; li < p->nloc; li++)
		for (k = p->loc_off[li]; k < p->loc_off[li + 1]; k++)
			p->loc_inl[li] |= p->nodes[p->loc_nodes[k]].inl;
	return 0;
}

static int index_locations(struct pg_profile *p, struct pp_arena *tmp, struct pg_err *err)
{
	const ProtobufCBinaryData *b;
	Perftools__Profiles__Location *l;
	size_t n = p->raw->n_location, cap = 0;
	uint64_t *ids, dup = 0;
	int rc = 0;

	ids = calloc(n + 1, sizeof(*ids));
	p->loc_off = calloc(n + 1, sizeof(*p->loc_off));
	if (!ids || !p->loc_off)
		rc = pg_err_nomem(err);
	for (p->nloc = 0; p->nloc < n && !rc; p->nloc++) {
		b = &p->raw->location[p->nloc];
		l = pp_location_decode(b->data, b->len, tmp);
		if (!l)
			rc = pg_err_set(err, PG_EINPUT, "malformed profile: undecodable location");
		else if (!l->id)
			rc = pg_err_set(err, PG_EINPUT, "malformed profile: location with id 0");
		else
			rc = location_nodes(p, l, &cap, err);
		if (!rc)
			ids[p->nloc] = l->id;
		pp_arena_reset(tmp);
	}
	if (!rc)
		rc = pp_idmap_build(&p->loc_ids, ids, n, &dup);
	if (rc == 1)
		rc = pg_err_set(err, PG_EINPUT, "malformed profile: two locations with id %llu",
				(unsigned long long)dup);
	else if (rc == PG_ENOMEM)
		rc = pg_err_nomem(err);
	if (!rc)
		rc = location_inline(p, err);
	free(ids);
	return rc;
}

int pp_index(struct pg_profile *p, struct pg_err *err)
{
	struct pp_arena tmp;
	int rc;

	pp_arena_init(&tmp, 4096);
	rc = index_mappings(p, err);
	if (!rc)
		rc = index_functions(p, &tmp, err);
	if (!rc)
		rc = index_locations(p, &tmp, err);
	pp_arena_release(&tmp);
	return rc;
}
