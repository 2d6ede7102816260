// SPDX-License-Identifier: MIT
/* A merge's strings, mappings, functions and locations: each deduplicated
 * by its content in new ids, as pprof's profile.Merge does. */
#include <stdlib.h>
#include <string.h>

#include "pprof_merge_int.h"

int pp_merge_key_push(struct pp_merge *m, uint64_t v)
{
	if (pp_grow(&m->key, &m->capkey, m->nkey + 1, sizeof(*m->key)))
		return PG_ENOMEM;
	m->key[m->nkey++] = v;
	return 0;
}

/* m->key's index in km (*idx), with room for it in the array at arrp
 * (elements of elem bytes): 1 when it is new and the caller fills the
 * element in, 0 when it was there already, PG_ENOMEM. */
static int slot(struct pp_merge *m, struct pp_kmap *km, void *arrp, size_t *cap, size_t elem,
		uint32_t *idx)
{
	int rc = pp_kmap_get(km, m->key, m->nkey, idx);

	if (rc < 0 || pp_grow(arrp, cap, km->n, elem))
		return PG_ENOMEM;
	return !rc;
}

/* The new index of the string s (which must outlive the merge). */
int pp_merge_add_bytes(struct pp_merge *m, struct pp_str s, int64_t *out)
{
	uint64_t w;
	uint32_t idx;
	size_t k;
	int rc;

	m->nkey = 0;
	if (pp_merge_key_push(m, s.n))
		return PG_ENOMEM;
	for (k = 0; k < s.n; k += 8) {
		w = 0;
		memcpy(&w, s.p + k, s.n - k < 8 ? s.n - k : 8);
		if (pp_merge_key_push(m, w))
			return PG_ENOMEM;
	}
	rc = slot(m, &m->strs, &m->str, &m->capstr, sizeof(*m->str), &idx);
	if (rc < 0)
		return rc;
	if (rc) {
		m->str[idx].data = (uint8_t *)s.p;
		m->str[idx].len = s.n;
	}
	*out = idx;
	return 0;
}

/* The new index of string i of p. */
int pp_merge_add_string(struct pp_merge *m, const struct pg_profile *p, int64_t i, int64_t *out)
{
	return pp_merge_add_bytes(m, pp_string(p, i), out);
}

static int add_mapping(struct pp_merge *m, const struct pg_profile *p,
		       const Perftools__Profiles__Mapping *in, uint64_t *out)
{
	Perftools__Profiles__Mapping *o;
	int64_t file, bid;
	uint32_t idx;
	int rc;

	if (pp_merge_add_string(m, p, in->filename, &file) ||
	    pp_merge_add_string(m, p, in->build_id, &bid))
		return PG_ENOMEM;
	m->nkey = 0;
	if (pp_merge_key_push(m, in->memory_start) || pp_merge_key_push(m, in->memory_limit) ||
	    pp_merge_key_push(m, in->file_offset) || pp_merge_key_push(m, (uint64_t)file) ||
	    pp_merge_key_push(m, (uint64_t)bid) ||
	    pp_merge_key_push(m, (uint64_t)in->has_functions | (uint64_t)in->has_filenames << 1 |
					 (uint64_t)in->has_line_numbers << 2 |
					 (uint64_t)in->has_inline_frames << 3))
		return PG_ENOMEM;
	rc = slot(m, &m->maps, &m->map, &m->capmap, sizeof(*m->map), &idx);
	if (rc < 0)
		return rc;
	if (rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		if (!o)
			return PG_ENOMEM;
		*o = *in;
		o->id = idx + 1;
		o->filename = file;
		o->build_id = bid;
		m->map[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

static int add_function(struct pp_merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Function *in, uint64_t *out)
{
	Perftools__Profiles__Function *o;
	int64_t name, sys, file;
	uint32_t idx;
	int rc;

	if (pp_merge_add_string(m, p, in->name, &name) ||
	    pp_merge_add_string(m, p, in->system_name, &sys) ||
	    pp_merge_add_string(m, p, in->filename, &file))
		return PG_ENOMEM;
	m->nkey = 0;
	if (pp_merge_key_push(m, (uint64_t)name) || pp_merge_key_push(m, (uint64_t)sys) ||
	    pp_merge_key_push(m, (uint64_t)file) || pp_merge_key_push(m, (uint64_t)in->start_line))
		return PG_ENOMEM;
	rc = slot(m, &m->funcs, &m->func, &m->capfunc, sizeof(*m->func), &idx);
	if (rc < 0)
		return rc;
	if (rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		if (!o)
			return PG_ENOMEM;
		perftools__profiles__function__init(o);
		o->id = idx + 1;
		o->name = name;
		o->system_name = sys;
		o->filename = file;
		o->start_line = in->start_line;
		m->func[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

/* The key of a location in new ids: mapping, address, folded, lines. */
static int location_key(struct pp_merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Location *in)
{
	uint32_t mi = pp_idmap_get(&p->map_ids, in->mapping_id), fi;
	size_t i;

	m->nkey = 0;
	if (pp_merge_key_push(m, mi == PP_NONE ? 0 : m->newmap[mi]) ||
	    pp_merge_key_push(m, in->address) || pp_merge_key_push(m, in->is_folded) ||
	    pp_merge_key_push(m, in->n_line))
		return PG_ENOMEM;
	for (i = 0; i < in->n_line; i++) {
		fi = pp_idmap_get(&p->func_ids, in->line[i]->function_id);
		if (pp_merge_key_push(m, fi == PP_NONE ? 0 : m->newfunc[fi]) ||
		    pp_merge_key_push(m, (uint64_t)in->line[i]->line) ||
		    pp_merge_key_push(m, (uint64_t)in->line[i]->column))
			return PG_ENOMEM;
	}
	return 0;
}

static int add_location(struct pp_merge *m, const struct pg_profile *p,
			const Perftools__Profiles__Location *in, uint64_t *out)
{
	Perftools__Profiles__Location *o;
	Perftools__Profiles__Line *lines;
	uint32_t idx;
	size_t i;
	int rc;

	if (location_key(m, p, in))
		return PG_ENOMEM;
	rc = slot(m, &m->locs, &m->loc, &m->caploc, sizeof(*m->loc), &idx);
	if (rc < 0)
		return rc;
	if (rc) {
		o = pp_arena_alloc(&m->arena, sizeof(*o));
		lines = pp_arena_alloc(&m->arena, in->n_line * sizeof(*lines) + 1);
		if (!o || !lines)
			return PG_ENOMEM;
		perftools__profiles__location__init(o);
		o->line = pp_arena_alloc(&m->arena, in->n_line * sizeof(*o->line) + 1);
		if (!o->line)
			return PG_ENOMEM;
		o->id = idx + 1;
		o->mapping_id = m->key[0];
		o->address = in->address;
		o->is_folded = in->is_folded;
		o->n_line = in->n_line;
		for (i = 0; i < in->n_line; i++) {
			perftools__profiles__line__init(&lines[i]);
			lines[i].function_id = m->key[4 + 3 * i];
			lines[i].line = in->line[i]->line;
			lines[i].column = in->line[i]->column;
			o->line[i] = &lines[i];
		}
		m->loc[idx] = o;
	}
	*out = idx + 1;
	return 0;
}

int pp_merge_add_entities(struct pp_merge *m, const struct pg_profile *p, struct pp_arena *tmp)
{
	const Perftools__Profiles__ProfileLazy *r = p->raw;
	const ProtobufCBinaryData *b;
	Perftools__Profiles__Function *f;
	Perftools__Profiles__Location *l;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->n_mapping && !rc; i++)
		rc = add_mapping(m, p, r->mapping[i], &m->newmap[i]);
	for (i = 0; i < r->n_function && !rc; i++) {
		b = &r->function[i];
		f = perftools__profiles__function__unpack(&tmp->pc, b->len, b->data);
		rc = f ? add_function(m, p, f, &m->newfunc[i]) : PG_ENOMEM;
		pp_arena_reset(tmp);
	}
	for (i = 0; i < r->n_location && !rc; i++) {
		b = &r->location[i];
		l = perftools__profiles__location__unpack(&tmp->pc, b->len, b->data);
		rc = l ? add_location(m, p, l, &m->newloc[i]) : PG_ENOMEM;
		pp_arena_reset(tmp);
	}
	return rc;
}
